r"""Output and outcome calculators: from data rows to quantities, with lineage.

Every calculator is a frozen value whose ``compute(df)`` returns a
:class:`MeasureResult` carrying the quantity, the rows used (``n``), the rows
that could not be used (``missing``, counted, never dropped silently), the
data source name and the calculator's own spec. ``n + missing`` always equals
the rows considered (after the ``where`` filter).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, cast

import attrs
import numpy as np
import pandas as pd

from impactkit._results import DEFAULT_LEVEL, FrozenDict, Summary, displayed, freeze, jsonable
from impactkit._validation import Checker, did_you_mean, is_number
from impactkit.errors import Problem, ValidationError
from impactkit.measure._filters import (
    Condition,
    apply_conditions,
    check_comparable,
    conditions,
)
from impactkit.measure._scales import Scale, as_scale, cronbach_alpha

__all__ = [
    "Count",
    "DistanceTravelled",
    "MeasureResult",
    "PrePost",
    "Proportion",
    "Sum",
    "Threshold",
    "paired_t_interval",
    "wilson_interval",
]


def wilson_interval(k: float, n: float, *, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
    r"""Wilson score interval of a proportion ``k / n``.

    .. math::
        \frac{\hat p + z^2/2n}{1 + z^2/n} \pm
        \frac{z}{1 + z^2/n}\sqrt{\frac{\hat p(1-\hat p)}{n} + \frac{z^2}{4n^2}}

    Parameters
    ----------
    k : float
        Successes.
    n : float
        Trials (at least 1).
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        The interval of the share ``k / n``.

    Raises
    ------
    ValidationError
        When ``n`` is not a positive finite number (at ``n``), ``k`` is not
        in ``[0, n]`` (at ``k``), or ``level`` is not in (0, 1], every problem
        at once.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession, and
       statistical inference. JASA 22, 209-212.

    Examples
    --------
    >>> [round(x, 4) for x in wilson_interval(30, 100)]
    [0.2189, 0.3958]
    """
    problems = []
    if not is_number(n):
        problems.append(Problem(("n",), "type", f"expected a number, got {n!r}"))
    elif not math.isfinite(n):
        problems.append(
            Problem(("n",), "out_of_range", f"the number of trials must be finite, got {n!r}")
        )
    elif n <= 0:
        problems.append(Problem((), "empty", "a proportion needs at least one observation"))
    elif not (is_number(k) and 0 <= k <= n):
        problems.append(
            Problem(
                ("k",),
                "out_of_range",
                f"successes must lie between 0 and the number of trials, got {k!r} of {n!r}",
            )
        )
    if not (is_number(level) and 0 < level <= 1):
        problems.append(
            Problem(("level",), "out_of_range", f"level must be in (0, 1], got {level!r}")
        )
    if problems:  # every problem at once
        raise ValidationError(problems)
    from scipy import special  # imported on use: keeps `import impactkit` light

    z = float(special.ndtri(0.5 + level / 2))
    p = k / n
    denom = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denom
    half = z / denom * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
    # at k = 0 (k = n) the bound is exactly 0 (1); rounding must not move it inside
    lo = 0.0 if k <= 0 else max(0.0, centre - half)
    hi = 1.0 if k >= n else min(1.0, centre + half)
    return lo, hi


def paired_t_interval(
    diff: np.ndarray[Any, Any] | Sequence[float], level: float = DEFAULT_LEVEL
) -> tuple[float, float]:
    r"""Student t interval of the mean of paired differences, :math:`\bar d \pm t_{n-1} s/\sqrt n`.

    Parameters
    ----------
    diff : array_like
        Paired differences, every one a finite number.
    level : float, default 0.95
        Confidence level.

    Returns
    -------
    tuple of float
        The interval of the mean difference.

    Raises
    ------
    ValidationError
        With fewer than 2 pairs, a missing or infinite difference, or
        ``level`` not in (0, 1).

    Examples
    --------
    >>> [round(x, 4) for x in paired_t_interval(np.array([1.0, 2.0, 3.0, 4.0]))]
    [0.4457, 4.5543]
    """
    try:
        diff = np.asarray(diff, dtype=float)
    except (TypeError, ValueError):
        raise ValidationError(
            "paired differences must be numbers", path=("diff",), code="type"
        ) from None
    n = diff.size
    if n < 2:
        raise ValidationError("a paired t interval needs at least 2 pairs", code="empty")
    if not np.isfinite(diff).all():
        raise ValidationError(
            f"{int((~np.isfinite(diff)).sum())} paired differences are missing or infinite",
            path=("diff",),
            code="not_finite",
        )
    if not (is_number(level) and 0 < level < 1):
        raise ValidationError(
            f"level must be in (0, 1), got {level!r}", path=("level",), code="out_of_range"
        )
    m = float(diff.mean())
    se = float(diff.std(ddof=1)) / math.sqrt(n)
    from scipy import special  # imported on use: keeps `import impactkit` light

    t = float(special.stdtrit(n - 1, 0.5 + level / 2))
    return m - t * se, m + t * se


@displayed
@attrs.frozen
class MeasureResult:
    """A measured quantity with its lineage.

    Parameters
    ----------
    quantity : float
        The measured quantity [units].
    n : int
        Rows used.
    missing : int
        Rows considered but not usable (missing or invalid values).
    share : float or None
        ``quantity / n`` where it applies.
    mean_change : float or None
        Mean change (pre/post calculators).
    ci : tuple of float or None
        Interval of ``share`` (Wilson) or of ``mean_change`` (paired t).
    se : float or None
        Standard error of ``quantity`` (sampling), when known.
    level : float
        Confidence level of ``ci``.
    calculator : mapping
        Spec of the calculator (its file form), read-only.
    data : str or None
        Name of the data source.
    reliability : float or None
        Cronbach's alpha of the scale on the rows used, when the quantity was
        measured with a :class:`~impactkit.measure.Scale` (None otherwise, or when
        alpha is undefined on those rows).
    by : DataFrame or None
        The measurement by group, when measured ``by`` columns.

    Examples
    --------
    Every calculator's ``compute`` returns one. Participants of the
    supported-employment example in work 12 months after entry:

    >>> from impactkit.examples import load_example_data
    >>> participants = load_example_data()["participants"]
    >>> r = Threshold(column="employed_12m", at_least=1).compute(participants)
    >>> r.quantity, r.n, r.missing      # 9 participants not followed up
    (68.0, 111, 9)
    >>> round(r.share, 4), [round(x, 4) for x in r.ci], round(r.se, 3)
    (0.6126, [0.5197, 0.698], 5.132)
    """

    quantity: float
    n: int
    missing: int
    share: float | None = None
    mean_change: float | None = None
    ci: tuple[float, float] | None = None
    se: float | None = None
    level: float = 0.95
    calculator: Mapping[str, Any] = attrs.field(factory=FrozenDict, converter=freeze, eq=False)
    data: str | None = attrs.field(default=None, kw_only=True)
    by: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)
    reliability: float | None = None

    def to_frame(self) -> pd.DataFrame:
        """The measurement as a table: one row, or one row per group when measured ``by``.

        Returns
        -------
        pandas.DataFrame
            ``quantity``, ``n``, ``missing``, ``share``, ``mean_change``,
            ``ci_low``, ``ci_high``, ``se``, ``level``, ``data``, ``reliability``
            (a copy of the table by group when there is one).
        """
        if self.by is not None:
            return self.by.copy()
        lo, hi = self.ci if self.ci is not None else (None, None)
        return pd.DataFrame(
            [
                {
                    "quantity": self.quantity,
                    "n": self.n,
                    "missing": self.missing,
                    "share": self.share,
                    "mean_change": self.mean_change,
                    "ci_low": lo,
                    "ci_high": hi,
                    "se": self.se,
                    "level": self.level,
                    "data": self.data,
                    "reliability": self.reliability,
                }
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            Every attribute by name; ``by`` as a list of records (or None).
        """
        return dict(jsonable({a.name: getattr(self, a.name) for a in attrs.fields(type(self))}))

    def summary(self) -> Summary:
        """The measurement and its lineage, for people.

        Returns
        -------
        Summary
        """
        # ten significant digits: a count or a sum of a few million shows every unit
        # (six gave 1.23457e+06 for 1,234,567)
        lines = [("Quantity", f"{self.quantity:.10g}"), ("Lineage", self.describe())]
        return Summary("Measurement", tuple(lines), self.by)

    def describe(self) -> str:
        """One line for lineage and reports.

        Returns
        -------
        str
            Calculator, data source, n, missing and the interval.
        """
        bits = [
            f"{self.calculator.get('calculator', '?')} on {self.data or 'data'}",
            f"n={self.n}",
            f"missing={self.missing}",
        ]
        if self.share is not None:
            bits.append(f"share={self.share:.4g}")
        if self.mean_change is not None:
            bits.append(f"mean change={self.mean_change:.4g}")
        if self.ci is not None:
            bits.append(f"{self.level:.0%} CI [{self.ci[0]:.4g}, {self.ci[1]:.4g}]")
        if self.reliability is not None:
            bits.append(f"alpha={self.reliability:.3f}")
        return ", ".join(bits)


def _any_tuple(x: Iterable[Any]) -> tuple[Any, ...]:
    return tuple(x)


def _values(x: Any) -> tuple[Any, ...]:
    """``values`` of a comparison: one value alone (text included) or a sequence."""
    if isinstance(x, str | bytes) or not isinstance(x, Iterable):
        return (x,)
    return tuple(x)


def _by(x: Any) -> tuple[str, ...]:
    if x is None:
        return ()
    if isinstance(x, str):
        return (x,)
    return tuple(x)


class _Calculator:
    """Shared behaviour of the built-in calculators."""

    __slots__ = ()
    name: ClassVar[str] = ""
    stage: ClassVar[str] = ""
    #: the interval is a paired t interval, infinite at level 1 (level must stay below 1)
    _t_interval: ClassVar[bool] = False

    def _check(self, c: Checker) -> None:  # pragma: no cover - overridden
        pass

    def __attrs_post_init__(self) -> None:
        c = Checker()
        data = getattr(self, "data", None)
        if data is not None:
            c.text(data, "data", empty=False)
        level = getattr(self, "level", 0.95)
        if c.number(level, "level", low=0.0, high=1.0, low_open=True) and (
            self._t_interval and level == 1
        ):
            c.add(
                "level",
                "out_of_range",
                "a t interval at level 1 is infinite: give a level below 1",
            )
        for i, b in enumerate(getattr(self, "by", ())):
            c.text(b, ("by", i), empty=False)
        self._check(c)
        c.raise_if_errors()

    def to_dict(self) -> dict[str, Any]:
        """File form: ``{"calculator": name, ...parameters that differ from defaults}``."""
        out: dict[str, Any] = {"calculator": self.name}
        for f in attrs.fields(type(self)):  # type: ignore[arg-type]
            v = getattr(self, f.name)
            if f.default is not attrs.NOTHING:
                d = f.default.factory() if isinstance(f.default, attrs.Factory) else f.default  # type: ignore[arg-type]
                if v == d:
                    continue
            if f.name == "where":
                v = [cnd.to_dict() for cnd in v]
            elif isinstance(v, Scale):
                v = v.to_dict()
            elif isinstance(v, tuple):
                v = list(v)
            out[f.name] = v
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Any:
        """Build from the file form (without the ``calculator`` key)."""
        c = Checker()
        names = {f.name for f in attrs.fields(cls)}  # type: ignore[arg-type]
        for k in data:
            if k not in names:
                c.add(
                    k,
                    "unknown_key",
                    f"unknown parameter of {cls.name}{did_you_mean(k, names)}; expected "
                    f"{', '.join(sorted(names))}",
                )
        c.raise_if_errors()
        try:
            return cls(**data)
        except TypeError as exc:
            raise ValidationError(str(exc), code="missing") from exc

    # helpers -------------------------------------------------------------
    def _frame(self, df: pd.DataFrame) -> pd.DataFrame:
        if not isinstance(df, pd.DataFrame):
            raise ValidationError(
                f"{self.name} needs a pandas DataFrame, got {type(df).__name__}", code="type"
            )
        needed = list(self._columns()) + [
            (("by", i), b) for i, b in enumerate(getattr(self, "by", ()))
        ]
        missing = [(path, col) for path, col in needed if col not in df.columns]
        if missing:
            raise ValidationError([_col_problem(path, col, df) for path, col in missing])
        return apply_conditions(df, getattr(self, "where", ()))

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        """(field path, column name) of every column the calculator reads."""
        return ()

    def _numeric(self, s: pd.Series, field: str) -> pd.Series:
        if pd.api.types.is_bool_dtype(s):
            return s.astype(float)
        if pd.api.types.is_complex_dtype(s):
            raise ValidationError(
                f"column {s.name!r} holds complex numbers, not real ones",
                path=(field,),
                code="not_numeric",
            )
        if pd.api.types.is_numeric_dtype(s):
            out = s.astype(float)
        else:
            present = s.notna().to_numpy()
            non_null = s[present]
            bad = non_null[~non_null.map(lambda x: is_number(x) or isinstance(x, bool | np.bool_))]
            if len(bad):
                raise ValidationError(
                    f"column {s.name!r} is not numeric (e.g. {bad.iloc[0]!r} in row "
                    f"{bad.index[0]!r})",
                    path=(field,),
                    code="not_numeric",
                )
            values = np.full(len(s), np.nan)
            try:  # a Fraction or an int too large for a float is a number too
                values[present] = [float(x) for x in non_null]
            except OverflowError:
                raise ValidationError(
                    f"column {s.name!r} holds a number too large for a float",
                    path=(field,),
                    code="too_large",
                ) from None
            out = pd.Series(values, index=s.index, name=s.name)
        infinite = np.isinf(out.to_numpy())
        if infinite.any():  # an infinite value would turn sums, means and intervals to inf or NaN
            rows = list(out.index[infinite][:5])
            raise ValidationError(
                f"{int(infinite.sum())} values of column {s.name!r} are infinite (rows {rows})",
                path=(field,),
                code="not_finite",
            )
        return out

    def _scored(self, df: pd.DataFrame, column: str, field: str) -> pd.Series:
        """The values a calculator reads: a numeric column, or a scale's scores.

        With ``measure=Scale(...)``, ``column`` is the time suffix of the item
        columns (``None`` when they carry none).
        """
        scale: Scale | None = getattr(self, "measure", None)
        if scale is None:
            return self._numeric(df[column], field)
        sep: str = getattr(self, "separator", "_")
        try:
            return scale.score(df, suffix=column or None, separator=sep)
        except ValidationError as exc:
            raise ValidationError([p.prefixed("measure") for p in exc.problems]) from None

    def _scale_columns(
        self, suffixes: Sequence[str | None]
    ) -> list[tuple[tuple[str | int, ...], str]]:
        scale: Scale = getattr(self, "measure")  # noqa: B009
        sep: str = getattr(self, "separator", "_")
        return [
            (("measure", "items", i), col)
            for sfx in suffixes
            for i, col in enumerate(scale.columns(sfx or None, separator=sep))
        ]

    def _paired_columns(
        self, baseline: str, followup: str
    ) -> Sequence[tuple[tuple[str | int, ...], str]]:
        """The columns of a measure taken twice: a scale's items at both times, or two columns."""
        if getattr(self, "measure", None) is not None:
            return self._scale_columns((baseline, followup))
        return ((("baseline",), baseline), (("followup",), followup))

    def _paired(
        self, df: pd.DataFrame, baseline: str, followup: str
    ) -> tuple[pd.Series, pd.Series, pd.Series]:
        """The baseline and followup values (see :meth:`_scored`) and the rows with both."""
        y0 = self._scored(df, baseline, "baseline")
        y1 = self._scored(df, followup, "followup")
        return y0, y1, y0.notna() & y1.notna()

    def _reliability(self, df: pd.DataFrame, suffix: str | None) -> float | None:
        """Cronbach's alpha of the scale's items (at ``suffix``) on complete rows."""
        scale: Scale | None = getattr(self, "measure", None)
        if scale is None or scale.k < 2:
            return None
        items = scale.item_values(
            df, suffix=suffix or None, separator=getattr(self, "separator", "_")
        )
        try:
            return cronbach_alpha(items).value
        except ValidationError:
            return None

    def _result(self, df: pd.DataFrame, **kw: Any) -> MeasureResult:
        return MeasureResult(calculator=self.to_dict(), data=getattr(self, "data", None), **kw)

    def _grouped(self, df: pd.DataFrame) -> pd.DataFrame | None:
        by = list(getattr(self, "by", ()))
        if not by:
            return None
        rows = []
        empty = []
        for key, part in df.groupby(by, sort=True, dropna=False):
            r = self._compute_frame(part)
            k = key if isinstance(key, tuple) else (key,)
            if r.n == 0:
                empty.append(k)
            rows.append(
                {
                    **dict(zip(by, cast(tuple[Any, ...], k), strict=True)),
                    "quantity": r.quantity,
                    "n": r.n,
                    "missing": r.missing,
                    **({"share": r.share} if r.share is not None else {}),
                }
            )
        if empty:
            raise ValidationError(
                f"groups with no usable rows: {empty}", path=("by",), code="empty_group"
            )
        return pd.DataFrame(rows)

    def compute(self, df: pd.DataFrame) -> MeasureResult:
        """Measure on ``df`` (after the ``where`` filter); see the class docstring."""
        frame = self._frame(df)
        res = self._compute_frame(frame)
        if res.n == 0 and not isinstance(self, Count | Sum):
            raise ValidationError(
                f"{self.name}: no usable rows among {len(frame)} considered "
                f"({res.missing} missing)",
                code="empty",
            )
        by = self._grouped(frame)
        return attrs.evolve(res, by=by) if by is not None else res

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:  # pragma: no cover
        raise NotImplementedError


def _col_problem(path: tuple[str | int, ...], col: str, df: pd.DataFrame) -> Any:
    from impactkit.errors import Problem

    return Problem(
        path,
        "missing_column",
        f"column {col!r} is not in the data; columns: {', '.join(map(str, df.columns))}",
    )


@attrs.frozen
class Count(_Calculator):
    """Count rows, or distinct values of a column (an output calculator).

    Parameters
    ----------
    unique : str, optional
        Count distinct non-missing values of this column (e.g. participant id)
        instead of rows; rows where it is missing are counted in ``missing``.
    where : conditions, optional
        Filters as data (:class:`~impactkit.measure.Condition` or mappings).
    by : str or sequence of str, optional
        Also count per group (``result.by``).
    data : str, optional
        Name of the data source.

    Examples
    --------
    >>> df = pd.DataFrame({"pid": [1, 1, 2, None]})
    >>> r = Count(unique="pid").compute(df)
    >>> r.quantity, r.n, r.missing
    (2.0, 3, 1)
    """

    name: ClassVar[str] = "count"
    stage: ClassVar[str] = "output"
    unique: str | None = None
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)

    def _check(self, c: Checker) -> None:
        if self.unique is not None:
            c.text(self.unique, "unique", empty=False)

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        return () if self.unique is None else ((("unique",), self.unique),)

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        if self.unique is None:
            return self._result(df, quantity=float(len(df)), n=len(df), missing=0)
        s = df[self.unique]
        ok = s.notna()
        return self._result(
            df, quantity=float(s[ok].nunique()), n=int(ok.sum()), missing=int((~ok).sum())
        )


@attrs.frozen
class Sum(_Calculator):
    """Sum a numeric column (e.g. hours delivered); an output calculator.

    The quantity is the sum of the non-missing values of ``column`` over the
    rows kept by ``where``; ``n`` counts those values and ``missing`` the
    rows where the column is missing (never silently dropped). No interval
    is given: the sum is a count of what was delivered, not an estimate.

    Parameters
    ----------
    column : str
        Numeric (or boolean) column to sum.
    where : conditions, optional
        Filters as data (:class:`~impactkit.measure.Condition` or mappings);
        only the rows meeting every condition are summed.
    by : str or sequence of str, optional
        Also sum per group (``result.by``: the group columns, ``quantity``,
        ``n`` and ``missing``).
    data : str, optional
        Name of the data source.

    Raises
    ------
    ValidationError
        At construction, when ``column`` is empty; at :meth:`compute`, when
        a column is not in the data, ``column`` is not numeric, a ``where``
        comparison does not apply to its column, or a ``by`` group has no
        usable rows.

    Examples
    --------
    >>> Sum("hours").compute(pd.DataFrame({"hours": [1.5, 2.0, None]})).quantity
    3.5
    """

    name: ClassVar[str] = "sum"
    stage: ClassVar[str] = "output"
    column: str
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)

    def _check(self, c: Checker) -> None:
        c.text(self.column, "column", empty=False)

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        return ((("column",), self.column),)

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        s = self._numeric(df[self.column], "column")
        ok = s.notna()
        return self._result(
            df, quantity=float(s[ok].sum()), n=int(ok.sum()), missing=int((~ok).sum())
        )


@attrs.frozen
class PrePost(_Calculator):
    r"""Paired change between two measurements of the same units.

    The quantity is the number of units whose change reaches ``min_change`` in
    the indicator's direction; ``mean_change`` comes with a paired t interval.

    Parameters
    ----------
    baseline, followup : str
        Columns of the first and second measurement.
    min_change : float, optional
        Smallest change that counts (in the indicator's direction); default:
        any strictly positive change.
    direction : {"increase", "decrease"}
        Which way is better; with ``"decrease"`` changes are negated.
    level : float, default 0.95
        Confidence level of the interval of the mean change, in (0, 1)
        (at 1 a t interval is infinite).
    where, by, data
        As in :class:`Count`.
    measure : Scale, optional
        Measure each time with a questionnaire scale instead of one column:
        ``baseline`` and ``followup`` are then the time suffixes of the item
        columns (``q1_t0``, ``q1_t1``, ...); a score with too few items
        answered is missing. The result reports Cronbach's alpha of the
        baseline items (``reliability``).
    separator : str, default "_"
        Between an item and its time suffix.

    Notes
    -----
    :math:`\Delta_i = \pm(y_{i1} - y_{i0})`; quantity :math:`= \#\{i: \Delta_i
    \ge m\}`; interval :math:`\bar\Delta \pm t_{n-1, 1-\alpha/2}\, s_\Delta/\sqrt n`.
    Units with either measurement missing are counted in ``missing``.

    Examples
    --------
    >>> df = pd.DataFrame({"t0": [3, 5, 4, 6, None], "t1": [6, 5, 7, 9, 8]})
    >>> r = PrePost(baseline="t0", followup="t1", min_change=2).compute(df)
    >>> r.quantity, r.n, r.missing, r.mean_change
    (3.0, 4, 1, 2.25)
    """

    name: ClassVar[str] = "prepost"
    _t_interval: ClassVar[bool] = True
    stage: ClassVar[str] = "outcome"
    baseline: str
    followup: str
    min_change: float | None = None
    direction: str = "increase"
    level: float = 0.95
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)
    measure: Scale | None = attrs.field(default=None, converter=as_scale)
    separator: str = "_"

    def _check(self, c: Checker) -> None:
        c.text(self.baseline, "baseline", empty=False)
        c.text(self.followup, "followup", empty=False)
        if self.min_change is not None:
            c.number(self.min_change, "min_change", low=0.0)
        c.choice(self.direction, "direction", ("increase", "decrease"))

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        return self._paired_columns(self.baseline, self.followup)

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        y0, y1, ok = self._paired(df, self.baseline, self.followup)
        d = (y1[ok] - y0[ok]).to_numpy()
        if self.direction == "decrease":
            d = -d
        reached = d >= self.min_change if self.min_change is not None else d > 0
        n = int(ok.sum())
        mean = float(d.mean()) if n else None
        ci = paired_t_interval(d, self.level) if n >= 2 else None
        q = float(reached.sum())
        se = math.sqrt(q * (1 - q / n)) if n else None
        return self._result(
            df,
            quantity=q,
            n=n,
            missing=int((~ok).sum()),
            share=q / n if n else None,
            mean_change=mean,
            ci=ci,
            se=se,
            level=self.level,
            reliability=self._reliability(df[ok], self.baseline),
        )


@attrs.frozen
class Threshold(_Calculator):
    """Units at or beyond a target level of an indicator.

    Parameters
    ----------
    column : str
        Indicator column (numeric or boolean); with ``measure``, the time suffix
        of the item columns, or None when they carry none.
    at_least, at_most : float, optional
        Bounds that count (at least one of them; ``at_least`` no greater
        than ``at_most``).
    level : float, default 0.95
        Confidence level of the Wilson interval of the share.
    where, by, data
        As in :class:`Count`.
    measure : Scale, optional
        Score a questionnaire scale and count the scores within the bounds;
        the result reports Cronbach's alpha of the items (``reliability``).
    separator : str, default "_"
        Between an item and its time suffix.

    Examples
    --------
    >>> df = pd.DataFrame({"employed": [1, 0, 1, 1, None]})
    >>> r = Threshold(column="employed", at_least=1).compute(df)
    >>> r.quantity, r.n, r.missing, r.share
    (3.0, 4, 1, 0.75)
    """

    name: ClassVar[str] = "threshold"
    stage: ClassVar[str] = "outcome"
    column: str | None = None
    at_least: float | None = None
    at_most: float | None = None
    level: float = 0.95
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)
    measure: Scale | None = attrs.field(default=None, converter=as_scale)
    separator: str = "_"

    def _check(self, c: Checker) -> None:
        if self.measure is None or self.column is not None:
            c.text(self.column, "column", empty=False)
        if self.at_least is None and self.at_most is None:
            c.add("at_least", "missing", "give at_least, at_most or both")
        ok = True
        for k in ("at_least", "at_most"):
            v = getattr(self, k)
            if v is not None:
                ok &= c.number(v, k)
        lo, hi = self.at_least, self.at_most
        if ok and lo is not None and hi is not None and lo > hi:  # nothing could count
            c.add(
                "at_most",
                "out_of_range",
                f"at_most ({hi:g}) is below at_least ({lo:g}): no value lies between them",
            )

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        if self.measure is not None:
            return self._scale_columns((self.column,))
        return ((("column",), cast(str, self.column)),)

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        s = self._scored(df, cast(str, self.column), "column")
        ok = s.notna()
        v = s[ok]
        hit = pd.Series(True, index=v.index)
        if self.at_least is not None:
            hit &= v >= self.at_least
        if self.at_most is not None:
            hit &= v <= self.at_most
        n = int(ok.sum())
        k = float(hit.sum())
        res = _share_result(self, df, k, n, int((~ok).sum()))
        if self.measure is None:
            return res
        return attrs.evolve(res, reliability=self._reliability(df[ok], self.column))


def _share_result(calc: Any, df: pd.DataFrame, k: float, n: int, missing: int) -> MeasureResult:
    share = k / n if n else None
    ci = wilson_interval(k, n, level=calc.level) if n else None
    se = math.sqrt(n * (k / n) * (1 - k / n)) if n else None
    res: MeasureResult = calc._result(
        df, quantity=k, n=n, missing=missing, share=share, ci=ci, se=se, level=calc.level
    )
    return res


@attrs.frozen
class Proportion(_Calculator):
    r"""Units whose column takes one of ``values`` (e.g. a yes/no answer).

    The quantity is :math:`k`, the number of rows (kept by ``where``) whose
    non-missing ``column`` equals one of ``values``; with :math:`n` the
    non-missing rows, the share is :math:`\hat p = k/n` with a Wilson score
    interval (:func:`wilson_interval`), and the standard error of the count
    is the binomial :math:`\sqrt{n \hat p (1 - \hat p)}`. Rows where the
    column is missing are counted in ``missing``.

    Parameters
    ----------
    column : str
        Column of the answer.
    values : sequence, default (True,)
        Values that count (compared with ``==``, as :meth:`pandas.Series.isin`
        does); a single value may be given alone.
    level : float, default 0.95
        Confidence level of the Wilson interval of the share.
    where : conditions, optional
        Filters as data (:class:`~impactkit.measure.Condition` or mappings).
    by : str or sequence of str, optional
        Also measure per group (``result.by``: the group columns,
        ``quantity``, ``n``, ``missing`` and ``share``).
    data : str, optional
        Name of the data source.

    Raises
    ------
    ValidationError
        At construction, when ``column`` is empty, ``values`` is empty or
        ``level`` is not in (0, 1]; at :meth:`compute`, when a column is not
        in the data, no row is usable, a ``by`` group has no usable rows, the
        column can never equal ``values`` (text against numbers or booleans,
        code ``incomparable``: a yes/no column read as ``"1"``/``"0"`` or
        ``"oui"``/``"non"`` never counts 0 of n silently), or holds one of
        ``values`` written in another case or with spaces (code
        ``near_match``); see docs/methods/measurement.md.

    References
    ----------
    .. [1] Wilson, E. B. (1927). Probable inference, the law of succession,
       and statistical inference. JASA 22, 209-212.

    Examples
    --------
    >>> df = pd.DataFrame({"answer": ["yes", "no", "yes", None]})
    >>> r = Proportion(column="answer", values=["yes"]).compute(df)
    >>> r.quantity, r.n, r.missing
    (2.0, 3, 1)
    >>> round(r.share, 4), [round(x, 4) for x in r.ci]
    (0.6667, [0.2077, 0.9385])
    """

    name: ClassVar[str] = "proportion"
    stage: ClassVar[str] = "outcome"
    column: str
    values: tuple[Any, ...] = attrs.field(default=(True,), converter=_values)
    level: float = 0.95
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)

    def _check(self, c: Checker) -> None:
        c.text(self.column, "column", empty=False)
        if not self.values:
            c.add("values", "empty", "give at least one value that counts")

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        return ((("column",), self.column),)

    def _matches(self, s: pd.Series) -> tuple[pd.Series, pd.Series]:
        """Usable rows and rows that count; a column that can never equal ``values``
        (text against numbers, or the same answer in another case) is an error."""
        check_comparable(s, self.values, path=("values",), column=self.column)
        ok = s.notna()
        return ok, s.isin(list(self.values)) & ok

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        ok, hit = self._matches(df[self.column])
        return _share_result(self, df, float(hit.sum()), int(ok.sum()), int((~ok).sum()))


@attrs.frozen
class DistanceTravelled(_Calculator):
    r"""Movement on ordinal scales (e.g. a 1-10 outcomes star), per domain.

    Columns are named ``{domain}{separator}{baseline}`` and
    ``{domain}{separator}{followup}``. A unit is usable when every domain has
    both measurements; its distance is its mean change over the domains. The
    quantity is the number of usable units whose distance reaches
    ``min_change``; ``result.by`` holds the per-domain table (``domain``, ``n``,
    ``missing``, ``mean_change``, ``share_improved``; the last two missing
    for a domain with no unit measured twice, possible with a ``measure``
    whose ``min_answered`` lets an item go unanswered).

    With ``measure=Scale(...)`` the domains are the scale's items (reversed
    items reversed, its ``low``/``high`` as the scale): a unit's distance is its
    follow-up score minus its baseline score, and a score with too few items
    answered is missing. The result reports Cronbach's alpha of the baseline
    items (``reliability``).

    The mean change over the usable units comes with a paired t interval,
    :math:`\bar d \pm t_{n-1} s_d / \sqrt n`, and the standard error of the
    quantity :math:`q` is the binomial :math:`\sqrt{q (1 - q/n)}`.

    Parameters
    ----------
    domains : sequence of str
        Domains measured (column prefixes); give either ``domains`` or
        ``measure``.
    baseline : str, default "t0"
        Suffix of the baseline columns.
    followup : str, default "t1"
        Suffix of the follow-up columns.
    separator : str, default "_"
        Between a domain (or item) and its time suffix.
    scale : (float, float), default (1, 10)
        Lowest and highest point of the domains' scale; a value outside it
        is an error (ignored with ``measure``, which has its own).
    min_change : float, default 1
        Smallest distance (mean change, in scale points) that counts a unit
        in the quantity; not negative.
    level : float, default 0.95
        Confidence level of the interval of the mean change, in (0, 1)
        (at 1 a t interval is infinite).
    where : conditions, optional
        Filters as data (:class:`~impactkit.measure.Condition` or mappings).
    data : str, optional
        Name of the data source.
    measure : Scale, optional
        A questionnaire scale whose items are the domains, scored at each
        time (:class:`~impactkit.measure.Scale`).

    Raises
    ------
    ValidationError
        At construction, when neither or both of ``domains`` and ``measure``
        are given, ``scale`` is not ``[low, high]`` with ``low < high`` or
        ``min_change`` is negative; at :meth:`compute`, when a column is not
        in the data or not numeric, a value lies outside ``scale``, or no
        unit is usable.

    Examples
    --------
    >>> df = pd.DataFrame({"work_t0": [2, 5, 3], "work_t1": [5, 5, 6],
    ...                    "money_t0": [4, 4, None], "money_t1": [6, 3, 5]})
    >>> r = DistanceTravelled(domains=["work", "money"]).compute(df)
    >>> r.quantity, r.n, r.missing, r.mean_change
    (1.0, 2, 1, 1.0)
    """

    name: ClassVar[str] = "distance_travelled"
    _t_interval: ClassVar[bool] = True
    stage: ClassVar[str] = "outcome"
    domains: tuple[str, ...] = attrs.field(default=(), converter=_any_tuple)
    baseline: str = "t0"
    followup: str = "t1"
    separator: str = "_"
    scale: tuple[float, ...] = attrs.field(default=(1.0, 10.0), converter=_any_tuple)
    min_change: float = 1.0
    level: float = 0.95
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    data: str | None = attrs.field(default=None, kw_only=True)
    measure: Scale | None = attrs.field(default=None, converter=as_scale)

    def _check(self, c: Checker) -> None:
        if not self.domains and self.measure is None:
            c.add("domains", "empty", "give at least one domain (or a measure)")
        if self.domains and self.measure is not None:
            c.add("measure", "conflict", "give domains or a measure, not both")
        for i, d in enumerate(self.domains):
            c.text(d, ("domains", i), empty=False)
        if (
            len(self.scale) != 2
            or not all(is_number(x) for x in self.scale)
            or self.scale[0] >= self.scale[1]
        ):
            c.add(
                "scale",
                "invalid",
                f"scale must be [low, high] with low < high, got {self.scale!r}",
            )
        c.number(self.min_change, "min_change", low=0.0)

    def _col(self, domain: str, when: str) -> str:
        return f"{domain}{self.separator}{when}"

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        if self.measure is not None:
            return self._scale_columns((self.baseline, self.followup))
        return [
            (("domains", i), self._col(d, w))
            for i, d in enumerate(self.domains)
            for w in (self.baseline, self.followup)
        ]

    def _domain_changes(self, df: pd.DataFrame) -> tuple[list[pd.Series], list[pd.Series]]:
        """Each domain's change and the rows where both measurements exist (scale checked)."""
        lo, hi = self.scale
        changes, oks = [], []
        for d in self.domains:
            y0 = self._numeric(df[self._col(d, self.baseline)], "domains")
            y1 = self._numeric(df[self._col(d, self.followup)], "domains")
            for s in (y0, y1):
                out = s.notna() & ((s < lo) | (s > hi))
                if out.any():
                    raise ValidationError(
                        f"{int(out.sum())} values of {s.name!r} lie outside the scale "
                        f"[{lo:g}, {hi:g}]",
                        path=("scale",),
                        code="out_of_range",
                    )
            oks.append(y0.notna() & y1.notna())
            changes.append(y1 - y0)
        return changes, oks

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        if self.measure is not None:
            return self._compute_scale(df, self.measure)
        changes, oks = self._domain_changes(df)
        usable = pd.Series(True, index=df.index)
        per_domain = []
        for d, ch, ok in zip(self.domains, changes, oks, strict=True):
            usable &= ok
            per_domain.append(self._domain_row(d, ok, ch[ok]))
        dist = pd.concat(changes, axis=1)[usable].mean(axis=1).to_numpy()
        return self._distance_result(df, dist, usable, per_domain, None)

    def _distance_result(
        self,
        df: pd.DataFrame,
        dist: np.ndarray[Any, Any],
        usable: pd.Series,
        per_domain: list[dict[str, Any]],
        reliability: float | None,
    ) -> MeasureResult:
        """The result from each usable unit's distance and the per-domain rows."""
        n = int(usable.sum())
        q = float((dist >= self.min_change).sum())
        res = self._result(
            df,
            quantity=q,
            n=n,
            missing=int((~usable).sum()),
            share=q / n if n else None,
            mean_change=float(dist.mean()) if n else None,
            ci=paired_t_interval(dist, self.level) if n >= 2 else None,
            se=math.sqrt(q * (1 - q / n)) if n else None,
            level=self.level,
            reliability=reliability,
        )
        return attrs.evolve(res, by=pd.DataFrame(per_domain))

    def _domain_row(self, domain: str, ok: pd.Series, dv: pd.Series) -> dict[str, Any]:
        """One row of the per-domain table: usable units and their changes ``dv``."""
        return {
            "domain": domain,
            "n": int(ok.sum()),
            "missing": int((~ok).sum()),
            # a domain nobody answered twice has no change, not a change of 0
            "mean_change": float(dv.mean()) if len(dv) else None,
            "share_improved": float((dv >= self.min_change).mean()) if len(dv) else None,
        }

    def _compute_scale(self, df: pd.DataFrame, scale: Scale) -> MeasureResult:
        s0, s1, usable = self._paired(df, self.baseline, self.followup)
        x0 = scale.item_values(df, suffix=self.baseline, separator=self.separator)
        x1 = scale.item_values(df, suffix=self.followup, separator=self.separator)
        per_domain = []
        for item in scale.items:
            ok = x0[item].notna() & x1[item].notna()
            per_domain.append(self._domain_row(item, ok, (x1[item] - x0[item])[ok]))
        dist = (s1 - s0)[usable].to_numpy()
        return self._distance_result(
            df, dist, usable, per_domain, self._reliability(df[usable], self.baseline)
        )
