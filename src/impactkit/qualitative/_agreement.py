r"""Inter-coder agreement: Krippendorff's alpha, Cohen's kappa and Fleiss' kappa.

Codings come in long form, one row per (unit, coder) with the code given; a
missing code (NaN or None) or an absent row is a missing value. Every
statistic is computed from per-unit contributions, so the bootstrap over units
is one matrix product over all replicates (docs/methods/agreement.md).
"""

from __future__ import annotations

import numbers
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit._random import seeded
from impactkit._results import Summary, displayed, freeze, jsonable
from impactkit.errors import EstimationError, Problem, ValidationError
from impactkit.typing import SeedLike

__all__ = ["AGREEMENT_METHODS", "Agreement", "agreement"]

AGREEMENT_METHODS: tuple[str, ...] = ("krippendorff", "cohen", "fleiss")
"""Methods of :func:`agreement`."""

_METRICS = ("nominal", "ordinal", "interval", "ratio")
_WEIGHTS = (None, "linear", "quadratic")
FloatArray = npt.NDArray[np.float64]


@displayed(headline=("alpha", "Units", "Coders"))
@attrs.frozen
class Agreement:
    r"""The agreement between coders, with an optional bootstrap interval.

    Returned by :func:`agreement`: Krippendorff's
    :math:`\alpha = 1 - D_o/D_e`, Cohen's
    :math:`\kappa = (p_o - p_e)/(1 - p_e)` or Fleiss'
    :math:`\kappa = (\bar P - \bar P_e)/(1 - \bar P_e)` (docs/methods/agreement.md).

    Parameters
    ----------
    value : float
        Alpha or kappa (1 is perfect agreement, 0 is chance agreement).
    method : {"krippendorff", "cohen", "fleiss"}
        The statistic.
    metric : str
        Krippendorff's difference function (``nominal``, ``ordinal``,
        ``interval``, ``ratio``); Cohen's weights (``none``, ``linear``,
        ``quadratic``); ``nominal`` for Fleiss.
    n_entities : int
        Entities (coded units) that entered the statistic.
    n_coders : int
        Coders in the data.
    n_values : int
        Codings that entered the statistic.
    n_missing : int
        Rows whose code was missing.
    n_excluded_entities : int
        Entities left out: coded by fewer than two coders (alpha), not coded by
        both coders (Cohen), not coded by the full number of coders (Fleiss).
    categories : tuple
        The categories, in the order used.
    ci : tuple of float or None, default None
        Percentile bootstrap interval over units, when asked for.
    level : float or None, default None
        Level of ``ci``; None without bootstrap.
    n_bootstrap : int, default 0
        Bootstrap replicates with a defined value (0 without bootstrap);
        replicates where the statistic is undefined (one category) are
        left out.
    draws : numpy.ndarray or None, default None
        The ``n_bootstrap`` bootstrap values, kept so that :meth:`interval` can
        give other levels (left out of :meth:`to_dict`); None without
        bootstrap.
    seed_entropy : int or None, default None
        Entropy of the bootstrap's seed (``seed=r.seed_entropy`` repeats the
        run); None without bootstrap or when given a Generator.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
       Annenberg School for Communication, University of Pennsylvania.

    Examples
    --------
    >>> import pandas as pd
    >>> from impactkit import qualitative as ql
    >>> df = pd.DataFrame({"entity": [1, 1, 2, 2], "coder": ["a", "b"] * 2,
    ...                    "code": ["x", "x", "y", "y"]})
    >>> r = ql.agreement(df)
    >>> r.value, r.band
    (1.0, 'reliable')
    """

    value: float
    method: str
    metric: str
    n_entities: int
    n_coders: int
    n_values: int
    n_missing: int
    n_excluded_entities: int
    categories: tuple[Any, ...]
    ci: tuple[float, float] | None = None
    level: float | None = None
    n_bootstrap: int = 0
    draws: FloatArray | None = attrs.field(default=None, eq=False, repr=False, converter=freeze)
    seed_entropy: int | None = None

    def interval(self, level: float = 0.95) -> tuple[float, float]:
        r"""Percentile bootstrap interval at another level, from the kept draws.

        The bounds are the :math:`(1 - \text{level})/2` and
        :math:`(1 + \text{level})/2` quantiles of ``draws`` (linear
        interpolation between order statistics, as :func:`numpy.quantile`).

        Parameters
        ----------
        level : float, default 0.95
            Coverage of the interval [fraction, strictly between 0 and 1].

        Returns
        -------
        tuple of float
            Lower and upper bound of the agreement.

        Raises
        ------
        ValidationError
            When ``level`` is not strictly between 0 and 1, or the agreement
            was computed without bootstrap (no draws).

        Examples
        --------
        >>> import pandas as pd
        >>> from impactkit import qualitative as ql
        >>> df = pd.DataFrame({"entity": [1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6],
        ...                    "coder": ["a", "b"] * 6,
        ...                    "code": list("xxyyxyyyxxzz")})
        >>> r = ql.agreement(df, n_bootstrap=2000, seed=1)
        >>> round(r.value, 4), r.n_bootstrap
        (0.7556, 1991)
        >>> [round(b, 3) for b in r.interval(0.8)]
        [0.312, 1.0]
        """
        if not (isinstance(level, float | int) and not isinstance(level, bool) and 0 < level < 1):
            raise ValidationError(
                f"level must be in (0, 1), got {level!r}", path=("level",), code="out_of_range"
            )
        if self.draws is None or not len(self.draws):
            raise ValidationError(
                "no bootstrap draws: call agreement(..., n_bootstrap=2000)",
                path=("n_bootstrap",),
                code="missing",
            )
        a = (1 - level) / 2
        lo, hi = np.quantile(self.draws, [a, 1 - a])
        return float(lo), float(hi)

    @property
    def band(self) -> str:
        """A descriptive label, not a test.

        Kappas: Landis & Koch (1977) bands. Alpha: Krippendorff (2004), data
        reliable from 0.800, tentative conclusions from 0.667.
        """
        v = self.value
        if self.method == "krippendorff":
            return "reliable" if v >= 0.8 else "tentative" if v >= 0.667 else "unreliable"
        for lim, name in (
            (0.8, "almost perfect"),
            (0.6, "substantial"),
            (0.4, "moderate"),
            (0.2, "fair"),
            (0.0, "slight"),
        ):
            if v > lim:
                return name
        return "poor"

    def to_frame(self) -> pd.DataFrame:
        """One row: ``method``, ``metric``, ``value``, ``ci_low``, ``ci_high``, counts.

        ``ci_low``, ``ci_high`` and ``level`` are None without bootstrap, as in
        :meth:`to_dict`.

        Returns
        -------
        pandas.DataFrame
        """
        lo, hi = self.ci if self.ci is not None else (None, None)  # no interval, not NaN
        return pd.DataFrame(
            [
                {
                    "method": self.method,
                    "metric": self.metric,
                    "value": self.value,
                    "ci_low": lo,
                    "ci_high": hi,
                    "level": self.level,
                    "n_entities": self.n_entities,
                    "n_coders": self.n_coders,
                    "n_values": self.n_values,
                    "n_missing": self.n_missing,
                    "n_excluded_entities": self.n_excluded_entities,
                }
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready data (the draws are left out).

        Returns
        -------
        dict
        """
        out = {a.name: getattr(self, a.name) for a in attrs.fields(Agreement) if a.eq}
        return dict(jsonable(out))

    def summary(self) -> Summary:
        """For people: the value, its interval and the counts.

        Returns
        -------
        Summary
        """
        name = {
            "krippendorff": "Krippendorff's alpha",
            "cohen": "Cohen's kappa",
            "fleiss": "Fleiss' kappa",
        }[self.method]
        lines = [(f"{name} ({self.metric})", f"{self.value:.3f} ({self.band})")]
        if self.ci is not None:
            lines.append(
                (f"{self.level:.0%} bootstrap interval", f"{self.ci[0]:.3f} to {self.ci[1]:.3f}")
            )
        lines += [
            ("Units", str(self.n_entities)),
            ("Coders", str(self.n_coders)),
            ("Codings used", str(self.n_values)),
            ("Missing codes", str(self.n_missing)),
            ("Units left out", str(self.n_excluded_entities)),
        ]
        return Summary("Inter-coder agreement", tuple(lines))


@attrs.frozen
class _Coded:
    """The codes as integers: unit, coder and category of each coded value."""

    u_idx: npt.NDArray[np.intp] = attrs.field(eq=False)
    c_idx: npt.NDArray[np.intp] = attrs.field(eq=False)
    k_idx: npt.NDArray[np.intp] = attrs.field(eq=False)
    n_u: int
    n_c: int
    n_missing: int
    cats: list[Any]


def _prepare(
    df: pd.DataFrame, entity: str, coder: str, code: str, order: Sequence[Any] | None
) -> _Coded:
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"expected a DataFrame, got {type(df).__name__}", path=("df",))
    missing_cols = [c for c in (entity, coder, code) if c not in df.columns]
    if missing_cols:
        raise ValidationError(
            [
                Problem((c,), "missing_column", f"column {c!r} is not in the data")
                for c in missing_cols
            ]
        )
    d = df[[entity, coder, code]]
    probs = []
    for col in (entity, coder):
        if d[col].isna().any():
            probs.append(
                Problem((col,), "missing", f"{int(d[col].isna().sum())} rows have no {col}")
            )
    if probs:
        raise ValidationError(probs)
    is_missing = d[code].isna()
    n_missing = int(is_missing.sum())
    d = d[~is_missing]
    values = d[code]
    u_idx, u_lab = pd.factorize(d[entity], sort=True)
    c_idx, c_lab = pd.factorize(d[coder], sort=True)
    n_u, n_c = len(u_lab), len(c_lab)
    # one code per (unit, coder): duplicates found on the integer codes of the pair
    key = u_idx.astype(np.int64) * n_c + c_idx
    if n_u * n_c <= 4 * len(key) + 1024:
        seen = np.bincount(key, minlength=n_u * n_c)
        dup = seen[key] > 1
    else:
        order_ = np.argsort(key, kind="stable")
        same = np.diff(key[order_]) == 0
        dup = np.zeros(len(key), dtype=bool)
        dup[order_[1:][same]] = True
        dup[order_[:-1][same]] = True
    if dup.any():
        first = d.iloc[int(np.argmax(dup))]
        raise ValidationError(
            f"{int(dup.sum())} rows give a coder two codes for one unit (e.g. unit "
            f"{first[entity]!r}, coder {first[coder]!r}); code one value per unit and coder, "
            "e.g. one presence/absence column per code",
            path=(code,),
            code="duplicate",
        )
    if order is not None:
        cats = list(order)
        unknown = sorted({repr(v) for v in values.unique() if v not in set(cats)})
        if unknown:
            raise ValidationError(
                f"codes not in order: {', '.join(unknown[:5])}", path=("order",), code="unknown"
            )
        if len(set(cats)) != len(cats):
            raise ValidationError("order has duplicates", path=("order",), code="duplicate")
        k_idx = pd.Categorical(values, categories=cats).codes.astype(np.intp)
    else:
        try:
            k_idx, uniques = pd.factorize(values, sort=True)
        except TypeError as exc:
            raise ValidationError(
                "codes of mixed types cannot be ordered; give order=",
                path=(code,),
                code="type",
            ) from exc
        cats = list(uniques)
    return _Coded(u_idx, c_idx, k_idx.astype(np.intp), n_u, n_c, n_missing, cats)


def _check_text_numbers(cats: Sequence[Any]) -> None:
    """Refuse text codes that read as numbers and sort otherwise as text ("10" < "9").

    The ordinal metric and Cohen's weights use the categories' order; sorted as
    text, codes read from a file as ``"1"`` ... ``"10"`` would put 10 between 1
    and 2, silently.
    """
    if not cats or not all(isinstance(x, str) for x in cats):
        return
    try:
        numbers_ = [float(x) for x in cats]
    except ValueError:
        return
    by_number = [x for _, x in sorted(zip(numbers_, cats, strict=True))]
    if by_number != list(cats):
        raise ValidationError(
            f"the codes are text that reads as numbers ({', '.join(map(repr, cats[:6]))}"
            f"{', ...' if len(cats) > 6 else ''}), which sort otherwise as text; give "
            f"order={by_number[:6]!r}{'...' if len(cats) > 6 else ''} or numeric codes",
            path=("order",),
            code="ambiguous_order",
        )


def _small_integer_codes(values: npt.NDArray[Any]) -> tuple[npt.NDArray[np.intp], list[Any]]:
    """Sorted categories and each value's position among them.

    Codes that are whole numbers in a short range (the usual 0..k or 1..k) are
    counted in one pass; any other numbers are sorted.
    """
    if values.size and values.dtype.kind in "fiu":
        lo, hi = values.min(), values.max()
        if float(hi) - float(lo) <= max(1024, values.size) and (
            values.dtype.kind in "iu" or bool(np.all(values == np.floor(values)))
        ):
            shift = (values - lo).astype(np.intp)
            seen = np.bincount(shift, minlength=int(hi - lo) + 1) > 0
            cats = (np.flatnonzero(seen) + lo).astype(values.dtype).tolist()
            return (np.cumsum(seen) - 1)[shift].astype(np.intp, copy=False), cats
    uniques, k_idx = np.unique(values, return_inverse=True)
    return k_idx.astype(np.intp, copy=False), uniques.tolist()


def _from_matrix(matrix: npt.NDArray[Any], order: Sequence[Any] | None) -> _Coded:
    """A reliability matrix (coders in rows, units in columns) as integer codes."""
    if matrix.ndim != 2:
        raise ValidationError(
            f"a reliability matrix has two dimensions (coders, units), got shape {matrix.shape}",
            path=("df",),
            code="shape",
        )
    if matrix.dtype.kind in "fc":
        present = ~np.isnan(matrix)
    elif matrix.dtype.kind in "US":
        # NumPy writes a NaN among text as the text "nan": it is a missing value
        present = np.char.strip(matrix.astype(str)) != "nan"
    elif matrix.dtype.kind in "iub":
        present = np.ones(matrix.shape, dtype=bool)
    else:
        present = ~pd.isna(matrix)
    # units and coders without any value are absent, as absent rows are in long form
    coded_units = present.any(axis=0)
    coders = present.any(axis=1)
    c_idx, u_idx = np.nonzero(present)
    values = matrix[present]
    n_missing = int(matrix.size - values.size)
    if not coded_units.all():
        u_idx = (np.cumsum(coded_units) - 1)[u_idx]
    if not coders.all():
        c_idx = (np.cumsum(coders) - 1)[c_idx]
    if order is not None:
        cats = list(order)
        if len(set(cats)) != len(cats):
            raise ValidationError("order has duplicates", path=("order",), code="duplicate")
        k_idx = pd.Index(cats).get_indexer(values).astype(np.intp)
        if (k_idx < 0).any():
            unknown = sorted({repr(v) for v in values[k_idx < 0]})
            raise ValidationError(
                f"codes not in order: {', '.join(unknown[:5])}", path=("order",), code="unknown"
            )
    elif values.dtype.kind in "fciub":
        k_idx, cats = _small_integer_codes(values)
    elif values.dtype.kind in "US":
        text_uniques, k_idx = np.unique(values.astype(str), return_inverse=True)
        cats = [str(x) for x in text_uniques]
    else:
        try:
            k_idx, uniques = pd.factorize(values, sort=True)
        except TypeError as exc:
            raise ValidationError(
                "codes of mixed types cannot be ordered; give order=", path=("df",), code="type"
            ) from exc
        cats = list(uniques)
    return _Coded(
        u_idx.astype(np.intp, copy=False),
        c_idx.astype(np.intp, copy=False),
        np.asarray(k_idx).astype(np.intp, copy=False),
        int(coded_units.sum()),
        int(coders.sum()),
        n_missing,
        cats,
    )


def _unit_counts(
    u_idx: npt.NDArray[np.intp], k_idx: npt.NDArray[np.intp], n_u: int, c: int
) -> FloatArray:
    """How many values of each category each unit received, shape (units, categories)."""
    flat = np.bincount(u_idx.astype(np.int64) * c + k_idx, minlength=n_u * c)
    return flat.reshape(n_u, c).astype(float)


def _bootstrap_weights(
    n_units: int, n_bootstrap: int, seed: SeedLike
) -> tuple[FloatArray, int | None]:
    rng, entropy = seeded(seed)
    # Multinomial counts are resampling units with replacement, expressed as weights.
    counts = rng.multinomial(n_units, np.full(n_units, 1.0 / n_units), size=n_bootstrap)
    return counts.astype(float), entropy


def _delta2(metric: str, values: FloatArray, marg: FloatArray) -> FloatArray:
    """Squared differences, shape (..., C, C); ``marg`` is (..., C) for ordinal."""
    if metric == "nominal":
        c = values.shape[-1]
        return 1.0 - np.eye(c)
    if metric == "interval":
        return (values[:, None] - values[None, :]) ** 2
    if metric == "ratio":
        s = values[:, None] + values[None, :]
        d = values[:, None] - values[None, :]
        with np.errstate(invalid="ignore", divide="ignore"):
            r = np.where(s == 0, 0.0, d / np.where(s == 0, 1.0, s))
        return r**2
    cum = np.cumsum(marg, axis=-1)
    diff = cum[..., None, :] - cum[..., :, None] + (marg[..., :, None] - marg[..., None, :]) / 2
    return diff**2


def _alpha_from(o: FloatArray, metric: str, values: FloatArray) -> FloatArray:
    """Alpha from coincidence matrices of shape (B, C, C)."""
    nc = o.sum(axis=-1)
    n = nc.sum(axis=-1)
    d2 = _delta2(metric, values, nc)
    do = (o * d2).sum(axis=(-2, -1))
    de = (nc[..., :, None] * nc[..., None, :] * d2).sum(axis=(-2, -1))
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(de > 0, 1.0 - (n - 1) * do / np.where(de > 0, de, 1.0), np.nan)


def _krippendorff(
    u_idx: npt.NDArray[np.intp],
    k_idx: npt.NDArray[np.intp],
    n_u: int,
    cats: list[Any],
    metric: str,
) -> tuple[FloatArray, FloatArray, FloatArray, int, int]:
    c = len(cats)
    counts = _unit_counts(u_idx, k_idx, n_u, c)
    m = counts.sum(axis=1)
    keep = m >= 2
    counts, m = counts[keep], m[keep]
    if metric in ("interval", "ratio"):
        try:
            values = np.asarray(cats, dtype=float)
        except (TypeError, ValueError) as exc:
            raise ValidationError(
                f"the {metric} metric needs numeric codes", path=("metric",), code="type"
            ) from exc
    else:
        values = np.arange(c, dtype=float)
    return counts, 1.0 / (m - 1), values, int(keep.sum()), int(m.sum())


def agreement(
    df: pd.DataFrame,
    *,
    entity: str = "entity",
    coder: str = "coder",
    code: str = "code",
    method: str = "krippendorff",
    metric: str = "nominal",
    weights: str | None = None,
    order: Sequence[Any] | None = None,
    n_bootstrap: int = 0,
    level: float = 0.95,
    seed: SeedLike = None,
) -> Agreement:
    r"""Agreement between coders: Krippendorff's alpha, Cohen's or Fleiss' kappa.

    Parameters
    ----------
    df : pandas.DataFrame or numpy.ndarray
        Long form: one row per unit and coder. A missing code (NaN, None) or an
        absent row is a missing value. Or a reliability matrix, coders in rows
        and units in columns, NaN (or None) where a coder gave no value, as
        Krippendorff (2011) lays the data out: the same statistics, without
        reading unit and coder labels. In a NumPy text matrix, where NumPy
        writes a NaN as the text ``"nan"``, that text is a missing value.
    entity, coder, code : str
        Column names of the long form.
    method : {"krippendorff", "cohen", "fleiss"}, default "krippendorff"
    metric : {"nominal", "ordinal", "interval", "ratio"}, default "nominal"
        Krippendorff's difference function.
    weights : {None, "linear", "quadratic"}
        Cohen's kappa weights (distances between category positions).
    order : sequence, optional
        Categories in order (ordinal data, or to fix the category set);
        sorted codes by default. Text codes that read as numbers but sort
        otherwise as text (``"10"`` before ``"9"``) need it for the ordinal
        metric and Cohen's weights.
    n_bootstrap : int, default 0
        Bootstrap replicates (units resampled with replacement); 0 for none.
    level : float, default 0.95
        Level of the bootstrap interval [fraction, 0-1].
    seed : int, SeedSequence, Generator or None
        Seed of the bootstrap; None draws fresh entropy, recorded on the result.

    Returns
    -------
    Agreement
        ``.value``, ``.n_entities``, ``.method``, ``.ci`` (bootstrap), counts.

    Raises
    ------
    ValidationError
        Missing columns, two codes from one coder for one unit, an unknown
        option, Cohen's kappa with other than two coders, or ordered text
        codes that read as numbers and sort otherwise as text, without
        ``order`` (code ``ambiguous_order``).
    EstimationError
        No unit coded by two coders, or a single category (no variation: the
        statistic is undefined).

    Notes
    -----
    Krippendorff: :math:`\alpha = 1 - D_o/D_e` from the coincidence matrix
    :math:`o_{ck} = \sum_u \sum_{i \ne j} 1[c_{ui}=c, c_{uj}=k]/(m_u - 1)` over
    units with :math:`m_u \ge 2` values, :math:`D_o = \sum o_{ck}\delta^2_{ck}/n`,
    :math:`D_e = \sum n_c n_k \delta^2_{ck}/(n(n-1))`; nominal, ordinal
    (:math:`\delta_{ck} = \sum_{g=c}^{k} n_g - (n_c + n_k)/2`), interval and
    ratio differences [1]_. Cohen: :math:`\kappa = (p_o - p_e)/(1 - p_e)` on
    units coded by both coders [2]_ (weighted: :math:`1 - \sum w o / \sum w e`).
    Fleiss: on units coded by the full number :math:`m` of coders,
    :math:`\kappa = (\bar P - \bar P_e)/(1 - \bar P_e)` [3]_. The bootstrap
    resamples units; replicates where the statistic is undefined (one
    category) are left out and ``n_bootstrap`` counts the others.

    References
    ----------
    .. [1] Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability.
       Annenberg School for Communication, University of Pennsylvania.
    .. [2] Cohen, J. (1960). A coefficient of agreement for nominal scales.
       Educational and Psychological Measurement 20(1), 37-46.
    .. [3] Fleiss, J. L. (1971). Measuring nominal scale agreement among many
       raters. Psychological Bulletin 76(5), 378-382.

    Examples
    --------
    >>> import pandas as pd
    >>> from impactkit import qualitative as ql
    >>> df = pd.DataFrame({"entity": [1, 1, 2, 2, 3, 3, 4, 4],
    ...                    "coder": ["a", "b"] * 4,
    ...                    "code": ["x", "x", "y", "y", "x", "y", "y", "y"]})
    >>> r = ql.agreement(df, entity="entity", coder="coder", code="code")
    >>> round(r.value, 4), r.n_entities, r.method
    (0.5333, 4, 'krippendorff')
    >>> round(ql.agreement(df, method="cohen").value, 4)
    0.5

    The same codes as a reliability matrix (coders in rows, units in columns):

    >>> import numpy as np
    >>> m = np.array([["x", "y", "x", "y"], ["x", "y", "y", "y"]], dtype=object)
    >>> round(ql.agreement(m).value, 4)
    0.5333
    """
    c = []
    if method not in AGREEMENT_METHODS:
        c.append(
            Problem(
                ("method",),
                "invalid_choice",
                f"must be one of {AGREEMENT_METHODS}, got {method!r}",
            )
        )
    if metric not in _METRICS:
        c.append(
            Problem(("metric",), "invalid_choice", f"must be one of {_METRICS}, got {metric!r}")
        )
    if weights not in _WEIGHTS:
        c.append(
            Problem(("weights",), "invalid_choice", f"must be one of {_WEIGHTS}, got {weights!r}")
        )
    if not (
        isinstance(n_bootstrap, numbers.Integral)
        and not isinstance(n_bootstrap, bool | np.bool_)
        and n_bootstrap >= 0
    ):
        c.append(
            Problem(("n_bootstrap",), "type", f"expected a whole number >= 0, got {n_bootstrap!r}")
        )
    if not (isinstance(level, float | int) and 0 < level < 1):
        c.append(Problem(("level",), "out_of_range", f"must be in (0, 1), got {level!r}"))
    if c:
        raise ValidationError(c)
    if isinstance(df, np.ndarray):
        coded = _from_matrix(df, order)
    else:
        coded = _prepare(df, entity, coder, code, order)
    u_idx, c_idx, k_idx = coded.u_idx, coded.c_idx, coded.k_idx
    n_u, n_c, n_missing, cats = coded.n_u, coded.n_c, coded.n_missing, coded.cats
    ordered = (method == "krippendorff" and metric == "ordinal") or (
        method == "cohen" and weights is not None
    )
    if ordered and order is None:
        _check_text_numbers(cats)
    if method == "krippendorff":
        counts, inv, values, used, n_values = _krippendorff(u_idx, k_idx, n_u, cats, metric)
        if used == 0:
            raise EstimationError("no unit was coded by two coders: alpha is undefined")

        def stat(w: FloatArray) -> FloatArray:
            # o[c, k] = sum_u w_u (n_uc n_uk - [c = k] n_uc) / (m_u - 1), for each replicate
            wi = w * inv
            n_units, c = counts.shape
            o = np.zeros((w.shape[0], c * c))
            step = max(1, 2**22 // (c * c))
            for s in range(0, n_units, step):  # blocks of units bound the outer products' memory
                blk = counts[s : s + step]
                o += wi[:, s : s + step] @ (blk[:, :, None] * blk[:, None, :]).reshape(-1, c * c)
            o = o.reshape(-1, c, c)
            idx = np.arange(c)
            o[:, idx, idx] -= wi @ counts
            return _alpha_from(o, metric, values)

        value = float(stat(np.ones((1, used)))[0])
        label = metric
    elif method == "cohen":
        if n_c != 2:
            raise ValidationError(
                f"Cohen's kappa compares two coders, the data have {n_c}; use "
                "method='fleiss' or 'krippendorff'",
                path=(coder,),
                code="coders",
            )
        pair = np.full((n_u, 2), -1, dtype=np.intp)
        pair[u_idx, c_idx] = k_idx
        both = (pair >= 0).all(axis=1)
        pair = pair[both]
        used, n_values = int(both.sum()), 2 * int(both.sum())
        if used == 0:
            raise EstimationError("no unit was coded by both coders: kappa is undefined")
        k = len(cats)
        present = np.unique(pair) if order is None else np.arange(k)
        remap = np.full(k, -1, dtype=np.intp)
        remap[present] = np.arange(len(present))
        kk = len(present)
        onehot = np.zeros((used, kk * kk))
        onehot[np.arange(used), remap[pair[:, 0]] * kk + remap[pair[:, 1]]] = 1.0
        pos = np.arange(kk, dtype=float)
        dist = np.abs(pos[:, None] - pos[None, :])
        w_mat = {None: (dist > 0).astype(float), "linear": dist, "quadratic": dist**2}[weights]

        def stat(w: FloatArray) -> FloatArray:
            cm = (w @ onehot).reshape(-1, kk, kk)
            tot = cm.sum(axis=(1, 2))
            exp = cm.sum(axis=2)[:, :, None] * cm.sum(axis=1)[:, None, :] / tot[:, None, None]
            num = (w_mat * cm).sum(axis=(1, 2))
            den = (w_mat * exp).sum(axis=(1, 2))
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(den > 0, 1.0 - num / np.where(den > 0, den, 1.0), np.nan)

        value = float(stat(np.ones((1, used)))[0])
        label = weights or "none"
    else:
        counts = _unit_counts(u_idx, k_idx, n_u, len(cats))
        m_u = counts.sum(axis=1)
        m = int(m_u.max()) if n_u else 0
        keep = m_u == m
        counts = counts[keep]
        used, n_values = int(keep.sum()), int(m * keep.sum())
        if m < 2 or used == 0:
            raise EstimationError("Fleiss' kappa needs units coded by at least two coders")
        p_u = ((counts**2).sum(axis=1) - m) / (m * (m - 1))

        def stat(w: FloatArray) -> FloatArray:
            tot = w.sum(axis=1)
            p_bar = (w @ p_u) / tot
            p_k = (w @ counts) / (m * tot[:, None])
            p_e = (p_k**2).sum(axis=1)
            with np.errstate(invalid="ignore", divide="ignore"):
                return np.where(p_e < 1, (p_bar - p_e) / np.where(p_e < 1, 1 - p_e, 1.0), np.nan)

        value = float(stat(np.ones((1, used)))[0])
        label = "nominal"
    if not np.isfinite(value):
        raise EstimationError(
            f"{method}: the codes show no variation (one category), so agreement is undefined"
        )
    ci = None
    draws = None
    n_ok = 0
    entropy = None
    if n_bootstrap:
        w, entropy = _bootstrap_weights(used, int(n_bootstrap), seed)
        vals = stat(w)
        draws = vals[np.isfinite(vals)]
        n_ok = len(draws)
        if n_ok:
            a = (1 - level) / 2
            lo, hi = np.quantile(draws, [a, 1 - a])
            ci = (float(lo), float(hi))
    return Agreement(
        value=value,
        metric=label,
        n_entities=used,
        n_values=n_values,
        n_excluded_entities=n_u - used,
        ci=ci,
        level=float(level) if n_bootstrap else None,
        n_bootstrap=n_ok,
        draws=draws,
        seed_entropy=entropy,
        method=method,
        n_coders=n_c,
        n_missing=n_missing,
        categories=tuple(cats),
    )
