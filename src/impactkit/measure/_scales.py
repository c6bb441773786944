r"""Questionnaire scales: scoring with reversed items and prorating, and reliability.

A :class:`Scale` is data (items, reversed items, response range, scoring), so a
licensed instrument is declared by its item columns in a model file; impactkit
ships no item texts. Reliability follows docs/methods/scales.md:

.. math::
    \alpha = \frac{k}{k-1}\Bigl(1 - \frac{\sum_i \sigma^2_i}{\sigma^2_X}\Bigr), \qquad
    \omega = \frac{(\sum_i \lambda_i)^2}{(\sum_i \lambda_i)^2 + \sum_i \psi_i}

References
----------
.. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
   tests. Psychometrika 16(3), 297-334.
.. [2] McDonald, R. P. (1999). Test theory: a unified treatment. Erlbaum.
.. [3] Jöreskog, K. G. (1967). Some contributions to maximum likelihood factor
   analysis. Psychometrika 32(4), 443-482.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit._results import Summary, displayed, jsonable
from impactkit._validation import Checker, is_number
from impactkit.errors import Problem, ValidationError

__all__ = [
    "ONS4",
    "ONS4_NORMS",
    "SWEMWBS",
    "SWEMWBS_NORMS",
    "ReliabilityResult",
    "Scale",
    "cronbach_alpha",
    "item_total_correlations",
    "mcdonald_omega",
]

SCORINGS: tuple[str, ...] = ("mean", "sum")


def _names(x: Iterable[Any] | None) -> tuple[Any, ...]:
    if x is None:
        return ()
    if isinstance(x, str):
        return (x,)
    return tuple(x)


def _levels(x: Any) -> tuple[tuple[Any, tuple[Any, ...]], ...]:
    """Allowed answers per item, as ``((item, (value, ...)), ...)``; a mapping is accepted."""
    if x is None:
        return ()
    pairs = x.items() if isinstance(x, Mapping) else x
    try:
        return tuple(
            (item, (values,) if isinstance(values, str) else tuple(values))
            if not is_number(values)
            else (item, (values,))
            for item, values in pairs
        )
    except (TypeError, ValueError):
        return ((_NOT_A_MAPPING, (x,)),)  # reported by the check, with the value given


_NOT_A_MAPPING = "\0not a mapping"


@attrs.frozen
class Scale:
    r"""A multi-item questionnaire scale, scored from item columns.

    Parameters
    ----------
    items : sequence of str
        Item columns, in the instrument's order.
    reverse : sequence of str, optional
        Items scored in reverse: :math:`x' = \text{low} + \text{high} - x`.
    low, high : float
        Response range of every item (e.g. 1 and 4 for a four-point Likert item).
        A value outside it is an error naming the column.
    scoring : {"mean", "sum"}, default "mean"
        Mean of the answered items, or their sum. A sum with unanswered items is
        *prorated*: mean of the answered items times the number of items.
    min_answered : int, optional
        Fewest items that must be answered for a score; below it the score is
        missing (counted by the calculators, never dropped). Default: every item.
    name : str, optional
        Name of the score (the Series name), e.g. ``"self_esteem"``.
    levels : mapping of str to sequence of float, optional
        The only answers allowed for some items, when not every value of
        ``[low, high]`` is one (e.g. items scored 0, 2 or 4 on a 0-4 scale).
        An answer outside them is an error naming the column. Items not
        listed take any value in the range.

    Notes
    -----
    Item columns are ``item`` or, when a time suffix is given to
    :meth:`score` (as :class:`~impactkit.measure.PrePost` does with
    ``baseline``/``followup``), ``f"{item}{separator}{suffix}"``.

    Examples
    --------
    >>> df = pd.DataFrame({"q1": [4, 1, None], "q2": [1, 4, 2], "q3": [3, 3, None]})
    >>> s = Scale(items=["q1", "q2", "q3"], reverse=["q2"], low=1, high=4,
    ...           scoring="sum", min_answered=2)
    >>> s.score(df).tolist()
    [11.0, 5.0, nan]
    >>> Scale(items=["a", "b"], low=0, high=4, scoring="sum", levels={"b": [0, 2, 4]}).score(
    ...     pd.DataFrame({"a": [3], "b": [2]})).tolist()
    [5.0]
    """

    items: tuple[str, ...] = attrs.field(converter=_names)
    reverse: tuple[str, ...] = attrs.field(default=(), converter=_names)
    low: float = 1.0
    high: float = 5.0
    scoring: str = "mean"
    min_answered: int | None = None
    name: str | None = None
    levels: tuple[tuple[str, tuple[float, ...]], ...] = attrs.field(default=(), converter=_levels)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        if not self.items:
            c.add("items", "empty", "give at least one item column")
        for i, it in enumerate(self.items):
            c.text(it, ("items", i), empty=False)
        if len(set(self.items)) != len(self.items):
            dup = sorted({x for x in self.items if self.items.count(x) > 1})
            c.add("items", "duplicate", f"items listed twice: {', '.join(map(str, dup))}")
        for i, r in enumerate(self.reverse):
            if r not in self.items:
                c.add(("reverse", i), "unknown_item", f"{r!r} is not one of the items")
        ok = c.number(self.low, "low") & c.number(self.high, "high")
        if ok and self.low >= self.high:
            c.add("high", "out_of_range", f"high must exceed low ({self.low:g})")
        c.choice(self.scoring, "scoring", SCORINGS)
        if self.min_answered is not None:
            c.number(self.min_answered, "min_answered", low=1, high=max(1, len(self.items)))
            if is_number(self.min_answered) and self.min_answered != int(self.min_answered):
                c.add("min_answered", "not_integer", "must be a whole number of items")
        if self.name is not None:
            c.text(self.name, "name", empty=False)
        seen: set[Any] = set()
        for item, values in self.levels:
            where = ("levels", str(item))
            if item == _NOT_A_MAPPING:
                c.add("levels", "type", f"map items to their allowed answers, got {values[0]!r}")
                continue
            if item not in self.items:
                c.add(where, "unknown_item", f"{item!r} is not one of the items")
            elif item in seen:
                c.add(where, "duplicate", f"allowed answers of {item!r} given twice")
            seen.add(item)
            if not values:
                c.add(where, "empty", "give the allowed answers of the item")
            for j, v in enumerate(values):
                if not (is_number(v) and math.isfinite(v)):
                    c.add((*where, j), "not_a_number", f"{v!r} is not a number")
                elif ok and not self.low <= v <= self.high:
                    c.add(
                        (*where, j),
                        "out_of_range",
                        f"{v:g} lies outside [{self.low:g}, {self.high:g}]",
                    )
        c.raise_if_errors()

    @property
    def k(self) -> int:
        """Number of items."""
        return len(self.items)

    def columns(self, suffix: str | None = None, *, separator: str = "_") -> list[str]:
        """Item column names, with an optional time suffix.

        Parameters
        ----------
        suffix : str, optional
            Time suffix, e.g. ``"t0"``.
        separator : str, default "_"
            Between the item and the suffix.

        Returns
        -------
        list of str
            One column name per item.

        Examples
        --------
        >>> Scale(items=["q1", "q2"]).columns("t0")
        ['q1_t0', 'q2_t0']
        """
        if suffix is None:
            return list(self.items)
        return [f"{it}{separator}{suffix}" for it in self.items]

    def item_values(
        self, df: pd.DataFrame, *, suffix: str | None = None, separator: str = "_"
    ) -> pd.DataFrame:
        """The items as floats, reversed items reversed, columns named by item.

        Parameters
        ----------
        df : pandas.DataFrame
            Data with the item columns.
        suffix : str, optional
            Time suffix of the columns (see :meth:`columns`).
        separator : str, default "_"
            Between item and suffix.

        Returns
        -------
        pandas.DataFrame
            One float column per item (missing answers stay NaN).

        Raises
        ------
        ValidationError
            Every missing column, non-numeric column, out-of-range value and
            answer outside an item's ``levels``, at once.

        Examples
        --------
        >>> Scale(items=["a", "b"], reverse=["b"], low=1, high=5).item_values(
        ...     pd.DataFrame({"a": [1], "b": [2]})).iloc[0].tolist()
        [1.0, 4.0]
        """
        cols = self.columns(suffix, separator=separator)
        allowed = dict(self.levels)
        problems: list[Problem] = []
        out: dict[str, pd.Series] = {}
        for i, (item, col) in enumerate(zip(self.items, cols, strict=True)):
            if col not in df.columns:
                problems.append(
                    Problem(("items", i), "missing_column", f"column {col!r} is not in the data")
                )
                continue
            s = df[col]
            if pd.api.types.is_bool_dtype(s) or not (
                pd.api.types.is_numeric_dtype(s) or s.dropna().map(is_number).all()
            ):
                problems.append(
                    Problem(("items", i), "not_numeric", f"column {col!r} is not numeric")
                )
                continue
            v = pd.to_numeric(s).astype(float)
            bad = v.notna() & ((v < self.low) | (v > self.high) | ~np.isfinite(v))
            if bad.any():
                problems.append(
                    Problem(
                        ("items", i),
                        "out_of_range",
                        f"{int(bad.sum())} values of {col!r} lie outside "
                        f"[{self.low:g}, {self.high:g}] (e.g. {v[bad].iloc[0]!r})",
                    )
                )
                continue
            if item in allowed:
                odd = v.notna() & ~v.isin([float(a) for a in allowed[item]])
                if odd.any():
                    problems.append(
                        Problem(
                            ("items", i),
                            "not_allowed",
                            f"{int(odd.sum())} values of {col!r} are not among its answers "
                            f"{', '.join(f'{a:g}' for a in allowed[item])} "
                            f"(e.g. {v[odd].iloc[0]:g})",
                        )
                    )
                    continue
            out[item] = self.low + self.high - v if item in self.reverse else v
        if problems:
            raise ValidationError(problems)
        return pd.DataFrame(out, index=df.index)

    def score(
        self, df: pd.DataFrame, *, suffix: str | None = None, separator: str = "_"
    ) -> pd.Series:
        """Score every row: mean or (prorated) sum of the answered items.

        Parameters
        ----------
        df : pandas.DataFrame
            Data with the item columns.
        suffix : str, optional
            Time suffix of the columns (see :meth:`columns`).
        separator : str, default "_"
            Between item and suffix.

        Returns
        -------
        pandas.Series
            Float scores, NaN where fewer than ``min_answered`` items are answered.

        Raises
        ------
        ValidationError
            When columns are missing, not numeric or out of range.

        Examples
        --------
        >>> Scale(items=["a", "b"], scoring="sum", min_answered=1).score(
        ...     pd.DataFrame({"a": [2, None], "b": [4, 3]})).tolist()
        [6.0, 6.0]
        """
        x = self.item_values(df, suffix=suffix, separator=separator).to_numpy()
        answered = np.sum(~np.isnan(x), axis=1)
        need = self.k if self.min_answered is None else int(self.min_answered)
        ok = answered >= need
        means = np.full(len(x), np.nan)
        if ok.any():
            means[ok] = np.nanmean(x[ok], axis=1)
        if self.scoring != "sum":
            scores = means
        else:  # exact sum when complete (mean x k can miss it: 29/7*7 != 29); prorated if not
            scores = np.where(answered == self.k, np.nansum(x, axis=1), means * self.k)
        return pd.Series(scores, index=df.index, name=self.name or "score")

    def to_dict(self) -> dict[str, Any]:
        """File form of the scale (parameters that differ from their defaults).

        Returns
        -------
        dict
            JSON-ready parameters.

        Examples
        --------
        >>> Scale(items=["a", "b"], low=1, high=4).to_dict()
        {'items': ['a', 'b'], 'high': 4}
        """
        out: dict[str, Any] = {}
        for f in attrs.fields(Scale):
            v = getattr(self, f.name)
            if f.default is not attrs.NOTHING and v == f.default:
                continue
            if f.name == "levels":
                out[f.name] = {item: list(values) for item, values in v}
                continue
            out[f.name] = list(v) if isinstance(v, tuple) else v
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Scale:
        """Build a scale from its file form; unknown keys are errors.

        Parameters
        ----------
        data : mapping
            As written by :meth:`to_dict`.

        Returns
        -------
        Scale
            The scale.

        Raises
        ------
        ValidationError
            On unknown keys or invalid values.

        Examples
        --------
        >>> Scale.from_dict({"items": ["a", "b"], "scoring": "sum"}).scoring
        'sum'
        """
        if isinstance(data, Scale):
            return data
        if not isinstance(data, Mapping):
            raise ValidationError(
                f"a scale is a mapping of its parameters, got {type(data).__name__}",
                code="type",
            )
        names = [f.name for f in attrs.fields(cls)]
        bad = [k for k in data if k not in names]
        if bad:
            raise ValidationError(
                [
                    Problem((k,), "unknown_key", f"unknown scale parameter; expected {names}")
                    for k in bad
                ]
            )
        if "items" not in data:
            raise ValidationError("a scale needs its items", path=("items",), code="missing")
        return cls(**dict(data))


def as_scale(value: Any) -> Scale | None:
    """Converter for ``measure=`` fields: a :class:`Scale`, its file form or None."""
    if value is None or isinstance(value, Scale):
        return value
    return Scale.from_dict(value)


@displayed
@attrs.frozen
class ReliabilityResult:
    r"""A reliability coefficient with the cases it used.

    Returned by :func:`cronbach_alpha`,
    :math:`\alpha = \frac{k}{k-1}(1 - \sum_i s_i^2 / s_X^2)`, and by
    :func:`mcdonald_omega`,
    :math:`\omega = (\sum_i \lambda_i)^2 / ((\sum_i \lambda_i)^2 + \sum_i \psi_i)`
    from a one-factor model (docs/methods/scales.md). ``float(result)`` is ``value``.

    Parameters
    ----------
    value : float
        The coefficient.
    method : str
        ``"cronbach_alpha"`` or ``"mcdonald_omega"``.
    n : int
        Complete cases used (rows with every item answered).
    missing : int
        Rows left out because at least one item is missing.
    k : int
        Number of items.
    items : pandas.DataFrame or None, default None
        Per-item table: for alpha, ``item``, ``mean``, ``sd``,
        ``item_total_r`` (corrected item-total correlation) and
        ``alpha_if_deleted``; for omega, ``item``, ``loading`` and
        ``uniqueness``.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure
       of tests. Psychometrika 16(3), 297-334.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, None]})
    >>> r = cronbach_alpha(df)
    >>> r.method, round(float(r), 4), r.n, r.missing, r.k
    ('cronbach_alpha', 0.8889, 3, 1, 3)
    >>> r.items["item"].tolist()
    ['a', 'b', 'c']
    """

    value: float
    method: str
    n: int
    missing: int
    k: int
    items: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)

    def __float__(self) -> float:
        return self.value

    def to_frame(self) -> pd.DataFrame:
        """The per-item table (or a one-row table of the coefficient).

        Returns
        -------
        pandas.DataFrame
            Per-item statistics.
        """
        if self.items is not None:
            return self.items.copy()
        return pd.DataFrame([{"method": self.method, "value": self.value, "n": self.n}])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            value, method, n, missing, k and the item table as records.
        """
        return {
            "value": jsonable(self.value),
            "method": self.method,
            "n": self.n,
            "missing": self.missing,
            "k": self.k,
            "items": jsonable(self.items) if self.items is not None else None,
        }

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
            Coefficient, cases used and left out, items.
        """
        label = "Cronbach's alpha" if self.method == "cronbach_alpha" else "McDonald's omega"
        lines = (
            (label, f"{self.value:.4f}"),
            ("Complete cases", str(self.n)),
            ("Left out (missing)", str(self.missing)),
            ("Items", str(self.k)),
        )
        return Summary("Reliability", lines, self.items)


def _complete(items_df: pd.DataFrame, what: str) -> tuple[np.ndarray[Any, Any], int]:
    if not isinstance(items_df, pd.DataFrame):
        raise ValidationError(f"{what} needs a pandas DataFrame of items", code="type")
    if items_df.shape[1] < 2:
        raise ValidationError(f"{what} needs at least two items", code="too_few_items")
    if items_df.columns.duplicated().any():
        dup = list(items_df.columns[items_df.columns.duplicated()])
        raise ValidationError(f"duplicated item columns: {dup}", code="duplicate")
    problems = [
        Problem((str(c),), "not_numeric", f"item {c!r} is not numeric")
        for c in items_df.columns
        if not pd.api.types.is_numeric_dtype(items_df[c])
        or pd.api.types.is_bool_dtype(items_df[c])
    ]
    if problems:
        raise ValidationError(problems)
    x = items_df.to_numpy(dtype=float)
    if not np.isfinite(x[~np.isnan(x)]).all():
        raise ValidationError(f"{what}: items hold infinite values", code="not_finite")
    keep = ~np.isnan(x).any(axis=1)
    xc = x[keep]
    if len(xc) < 2:
        raise ValidationError(
            f"{what} needs at least two complete cases, got {len(xc)}", code="empty"
        )
    return xc, int((~keep).sum())


def _alpha(x: np.ndarray[Any, Any]) -> float:
    k = x.shape[1]
    total = x.sum(axis=1).var(ddof=1)
    if total <= 0:
        raise ValidationError(
            "the total score does not vary: alpha is undefined", code="no_variance"
        )
    return float(k / (k - 1) * (1 - x.var(axis=0, ddof=1).sum() / total))


def cronbach_alpha(items_df: pd.DataFrame) -> ReliabilityResult:
    r"""Cronbach's alpha of a set of items, on complete cases.

    .. math::
        \alpha = \frac{k}{k-1}\Bigl(1 - \frac{\sum_{i=1}^k s^2_i}{s^2_X}\Bigr)

    with :math:`s^2_i` the item variances and :math:`s^2_X` the variance of the
    sum score (both with :math:`n-1`). Rows with any missing item are left out
    and counted in ``missing``. Reverse items first (:meth:`Scale.item_values`).

    Parameters
    ----------
    items_df : pandas.DataFrame
        One numeric column per item, one row per respondent.

    Returns
    -------
    ReliabilityResult
        ``value`` is alpha; ``items`` holds the corrected item-total correlation
        and alpha if the item is deleted (see :func:`item_total_correlations`).

    Raises
    ------
    ValidationError
        Fewer than two items or two complete cases, non-numeric items, or a
        constant total score.

    References
    ----------
    .. [1] Cronbach, L. J. (1951). Coefficient alpha and the internal structure of
       tests. Psychometrika 16(3), 297-334.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [2, 2, 4, 4], "c": [1, 3, 3, None]})
    >>> r = cronbach_alpha(df)
    >>> round(r.value, 4), r.n, r.missing
    (0.8889, 3, 1)
    """
    x, missing = _complete(items_df, "cronbach_alpha")
    table = _item_table(x, [str(c) for c in items_df.columns])
    return ReliabilityResult(
        value=_alpha(x),
        method="cronbach_alpha",
        n=len(x),
        missing=missing,
        k=x.shape[1],
        items=table,
    )


def _item_table(x: np.ndarray[Any, Any], names: Sequence[str]) -> pd.DataFrame:
    k = x.shape[1]
    total = x.sum(axis=1)
    rows = []
    for i in range(k):
        rest = total - x[:, i]
        sd_i, sd_r = x[:, i].std(ddof=1), rest.std(ddof=1)
        r = float(np.corrcoef(x[:, i], rest)[0, 1]) if sd_i > 0 and sd_r > 0 else math.nan
        others = np.delete(x, i, axis=1)
        a = math.nan
        if k > 2 and others.sum(axis=1).var(ddof=1) > 0:
            a = _alpha(others)
        rows.append(
            {
                "item": names[i],
                "mean": float(x[:, i].mean()),
                "sd": float(sd_i),
                "item_total_r": r,
                "alpha_if_deleted": a,
            }
        )
    return pd.DataFrame(rows)


def item_total_correlations(items_df: pd.DataFrame) -> pd.DataFrame:
    """Corrected item-total correlations and alpha if each item is deleted.

    The corrected correlation of item *i* is its Pearson correlation with the
    sum of the *other* items, on complete cases.

    Parameters
    ----------
    items_df : pandas.DataFrame
        One numeric column per item.

    Returns
    -------
    pandas.DataFrame
        Columns ``item``, ``mean``, ``sd``, ``item_total_r``, ``alpha_if_deleted``
        (NaN where undefined: a constant item, or two items left).

    Raises
    ------
    ValidationError
        As :func:`cronbach_alpha`.

    Examples
    --------
    >>> df = pd.DataFrame({"a": [1, 2, 3, 4], "b": [1, 3, 2, 4], "c": [2, 2, 3, 3]})
    >>> item_total_correlations(df)["item"].tolist()
    ['a', 'b', 'c']
    """
    x, _ = _complete(items_df, "item_total_correlations")
    return _item_table(x, [str(c) for c in items_df.columns])


def _one_factor_ml(s: np.ndarray[Any, Any]) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Maximum-likelihood one-factor model of a covariance matrix (Jöreskog 1967).

    For uniquenesses Ψ, the loadings maximising the likelihood are
    λ = Ψ^½ u √(θ − 1) with (θ, u) the largest eigenpair of Ψ^-½ S Ψ^-½; the
    discrepancy log|Σ| + tr(S Σ⁻¹) is then minimised over log Ψ.
    """
    d = np.diag(s)
    scale = np.sqrt(d)
    r = s / np.outer(scale, scale)  # work on correlations: ML is scale invariant

    def loadings(psi: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        h = 1 / np.sqrt(psi)
        w, v = np.linalg.eigh(r * np.outer(h, h))
        theta, u = w[-1], v[:, -1]
        lam: np.ndarray[Any, Any] = np.sqrt(psi) * u * math.sqrt(max(theta - 1.0, 0.0))
        return lam if lam.sum() >= 0 else -lam

    def objective(logpsi: np.ndarray[Any, Any]) -> float:
        psi = np.exp(logpsi)
        lam = loadings(psi)
        sigma = np.outer(lam, lam) + np.diag(psi)
        sign, logdet = np.linalg.slogdet(sigma)
        if sign <= 0:
            return 1e10
        return float(logdet + np.trace(np.linalg.solve(sigma, r)))

    inv = np.linalg.inv(r)
    start = np.log(np.clip(1 / np.diag(inv), 0.005, 1.0))  # 1 - SMC
    from scipy import optimize  # imported on use: keeps `import impactkit` light

    fit = optimize.minimize(
        objective,
        start,
        method="L-BFGS-B",
        bounds=[(math.log(0.005), 0.0)] * len(d),
        options={"ftol": 1e-14, "gtol": 1e-10, "maxiter": 2000},
    )
    psi = np.exp(fit.x)
    lam = loadings(psi)
    return np.asarray(lam * scale, dtype=float), np.asarray(psi * d, dtype=float)


def mcdonald_omega(items_df: pd.DataFrame) -> ReliabilityResult:
    r"""McDonald's omega (total) from a one-factor model, on complete cases.

    .. math::
        \omega = \frac{(\sum_i \lambda_i)^2}{(\sum_i \lambda_i)^2 + \sum_i \psi_i}

    where :math:`\lambda_i` and :math:`\psi_i` are the loadings and unique
    variances of a one-factor model fitted by maximum likelihood to the item
    covariance matrix (divisor :math:`n`). Computed on the covariance matrix,
    omega is the reliability of the unweighted sum score of the items as given.

    Parameters
    ----------
    items_df : pandas.DataFrame
        One numeric column per item (at least three for an identified model).

    Returns
    -------
    ReliabilityResult
        ``value`` is omega; ``items`` holds loadings and unique variances.

    Raises
    ------
    ValidationError
        Fewer than three items or two complete cases, or non-numeric items.

    References
    ----------
    .. [1] McDonald, R. P. (1999). Test theory: a unified treatment. Erlbaum.
    .. [2] Jöreskog, K. G. (1967). Some contributions to maximum likelihood factor
       analysis. Psychometrika 32(4), 443-482.

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> f = rng.normal(size=500)
    >>> df = pd.DataFrame({f"q{i}": f + rng.normal(size=500) for i in range(4)})
    >>> 0.7 < mcdonald_omega(df).value < 0.9
    True
    """
    x, missing = _complete(items_df, "mcdonald_omega")
    if x.shape[1] < 3:
        raise ValidationError("omega needs at least three items", code="too_few_items")
    s = np.cov(x, rowvar=False, ddof=0)
    if (np.diag(s) <= 0).any():
        raise ValidationError("an item does not vary: omega is undefined", code="no_variance")
    lam, psi = _one_factor_ml(s)
    omega = float(lam.sum() ** 2 / (lam.sum() ** 2 + psi.sum()))
    table = pd.DataFrame(
        {"item": [str(c) for c in items_df.columns], "loading": lam, "uniqueness": psi}
    )
    return ReliabilityResult(
        value=omega, method="mcdonald_omega", n=len(x), missing=missing, k=x.shape[1], items=table
    )


# Published instruments ------------------------------------------------------------
# Only scoring rules and published figures are shipped, never item wording.

SWEMWBS = Scale(
    items=[f"swemwbs_{i}" for i in range(1, 8)],
    low=1,
    high=5,
    scoring="sum",
    name="swemwbs_raw",
)
"""Short Warwick-Edinburgh Mental Well-being Scale: 7 items 1-5, raw sum 7-35.

Scoring only, on the raw sum (Stewart-Brown S. et al. 2009, Health and
Quality of Life Outcomes 7:15, BioMed Central, open access). The scale is
free to use after registration with its owners and protected by copyright
("© NHS Health Scotland, University of Warwick and University of Edinburgh,
2008, all rights reserved": terms of use quoted by CORC, "Short
Warwick-Edinburgh Mental Wellbeing Scale (SWEMWBS)", corc.uk.net); its Rasch
raw-to-metric conversion table is printed in the owners' user guide, whose
text states that its material may not be reproduced without permission:
impactkit does not ship it. Convert raw sums with the table you receive on registration. Norms in
:data:`SWEMWBS_NORMS`.
"""

SWEMWBS_NORMS: dict[str, Any] = {
    "mean_men": 23.7,
    "mean_women": 23.2,
    "median_men": 23.2,
    "median_women": 23.2,
    "population": "adults 16+ in England, Health Survey for England 2010-2013, n = 27,169",
    "scale": "metric (Rasch-converted) score",
    "source": (
        "Ng Fat L., Scholes S., Boniface S., Mindell J., Stewart-Brown S. (2017). "
        "Evaluating and establishing national norms for mental wellbeing using the "
        "short Warwick-Edinburgh Mental Well-being Scale (SWEMWBS): findings from the "
        "Health Survey for England. Quality of Life Research 26(5), 1129-1144 "
        "(Springer, open access), abstract"
    ),
    # Reliable change: Shah et al. (2018), clinical sample, abstract (Results)
    "clinical_baseline_mean": 19.28,
    "sd": 3.921,
    "sem": 1.03,
    "reliability": 1.0 - (1.03 / 3.921) ** 2,
    "reliable_change_population": (
        "172 adults starting cognitive hypnotherapy (clinical sample), baseline scores"
    ),
    "reliable_change_source": (
        "Shah N. et al. (2018). Responsiveness of the Short Warwick Edinburgh Mental "
        "Well-Being Scale (SWEMWBS): evaluation a clinical sample. Health and Quality "
        "of Life Outcomes 16, 239 (BioMed Central, open access), doi:10.1186/"
        "s12955-018-1060-2, abstract: baseline mean (SD) 19.28 (3.921), 1 SEM = 1.03 points"
    ),
}
r"""Published SWEMWBS norms and measurement error, with their sources.

Population means and medians (metric score, Health Survey for England;
Ng Fat et al. 2017, abstract), and the figures :class:`~impactkit.measure.ReliableChange`
needs, under the names of its options: ``sd`` (3.921, the baseline standard
deviation of a clinical sample) and ``reliability``, derived from the
published standard error of measurement (1.03 points) as
:math:`r = 1 - (\mathrm{SEM}/s)^2 = 0.9310`, so that
:math:`S_{diff} = \sqrt 2\, s \sqrt{1 - r} = \sqrt 2 \times 1.03` (Shah et al.
2018, abstract). Pass them as
``ReliableChange(..., sd=SWEMWBS_NORMS["sd"], reliability=SWEMWBS_NORMS["reliability"])``;
without them it estimates both from your own baseline.

The abstract does not say whether these scores are raw sums or Rasch metric
scores, nor how the SEM's reliability was obtained; no internal-consistency
coefficient of SWEMWBS was read. The sample is clinical (people starting
therapy): for a general population, your own baseline may be the better
reference. See docs/methods/scales.md.
"""

ONS4 = Scale(
    items=["ons_life_satisfaction", "ons_worthwhile", "ons_happy", "ons_anxious"],
    low=0,
    high=10,
    scoring="mean",
    min_answered=1,
    name="ons4",
)
"""The four ONS personal well-being questions, each 0-10 (item columns only).

The Office for National Statistics publishes the four questions for free
reuse (Open Government Licence) and reports each one separately: score the
items one by one (life satisfaction feeds
:class:`~impactkit.measure.LifeSatisfaction` and WELLBYs); the scale exists
so that a form and a survey reader know the four columns and their range.
No reversed item is declared: anxiety is reported as is (higher = worse).
Norms in :data:`ONS4_NORMS`.
"""

ONS4_NORMS: dict[str, Any] = {
    "ons_life_satisfaction": 7.45,
    "ons_worthwhile": 7.73,
    "population": "adults 16+ in the UK, Annual Population Survey, year ending March 2023",
    "statistic": "mean rating out of 10",
    "source": (
        "Office for National Statistics (2023). Personal well-being in the UK: April 2022 "
        "to March 2023, statistical bulletin of 7 November 2023, section 2"
    ),
}
"""Published UK mean ratings of two ONS-4 items, with their source (the two read).

No standard deviation or reliability is given: none was found in the parts
of the ONS methodology pages read (personal well-being user guide, quality
and methodology information, frequently asked questions), and a single item
has no internal consistency. :class:`~impactkit.measure.ReliableChange` on
an ONS-4 item therefore needs ``reliability`` (a test-retest correlation)
and ``sd`` from your own repeated measurements, stated with their source.
"""
