"""The shared rules of panel data: time order, degenerate panels, and the staggered panel.

Every estimator that orders time or reads a panel (``DifferenceInDifferences``,
``SunAbraham``, ``StaggeredDiD``, ``bacon_decomposition``) applies the rules of
this module, so that the same data are read the same way by each (see
docs/methods/attribution.md, "Panels: time order and degenerate data"):

* **Time order** (:func:`order_periods`): numbers, dates and ordered pandas
  Categoricals are ordered as such; text is ordered only when every value is a
  number written as text ("9" < "10"), and otherwise refused, never sorted
  alphabetically ("avril" < "mars").
* **Degenerate panels** (:func:`panel_problems`, :func:`read_cohorts`):
  duplicated (unit, period) rows, an outcome with no variation, and cohorts
  that are not periods of the panel are refused; a missing cohort is read as
  never treated, with a warning saying for how many units.
"""

from __future__ import annotations

import math
import sys
import warnings
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit.errors import EstimationError, ImpactkitWarning
from impactkit.typing import FloatArray

__all__ = [
    "PeriodOrder",
    "StaggeredPanel",
    "order_periods",
    "panel_problems",
    "read_cohorts",
    "staggered_panel",
    "warn_missing_cohorts",
]

_PACKAGE = str(Path(__file__).resolve().parents[1])


def _user_stacklevel() -> int:
    """The stack level of the first frame outside impactkit (the user's call)."""
    frame = sys._getframe(1)
    level = 1
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE):
        frame = frame.f_back  # type: ignore[assignment]
        level += 1
    return level


@attrs.frozen
class PeriodOrder:
    """The periods of a time column, in time order.

    ``codes`` gives each row's period as an index into ``labels`` (the
    distinct periods in time order). ``values`` gives each row's period as a
    number: the period itself when periods are numbers (or numbers written as
    text), else its rank in time order, from 1 (dates; an ordered
    Categorical's position among its categories).
    """

    codes: npt.NDArray[np.int64] = attrs.field(eq=False)
    values: FloatArray = attrs.field(eq=False)
    labels: tuple[Any, ...]
    numeric: bool
    kind: str
    categories: tuple[Any, ...] = ()  # every category of an ordered Categorical

    @property
    def n(self) -> int:
        """Number of distinct periods."""
        return len(self.labels)

    def label(self, code: int) -> Any:
        """The period of a code, for messages."""
        return self.labels[code]


def _refuse_text(s: pd.Series, column: str, bad: pd.Series) -> EstimationError:
    examples = [str(v) for v in pd.unique(bad)[:3]]
    return EstimationError(
        f"time column {column!r} holds text periods that have no order of their own "
        f"(e.g. {examples}): text is never sorted alphabetically as time ('10' would come "
        "before '9', 'avril' before 'mars'); pass numbers (e.g. 2021, 2022), dates, or an "
        f"ordered pandas Categorical: pd.Categorical(df[{column!r}], categories=[... in "
        "time order ...], ordered=True)"
    )


def order_periods(s: pd.Series, column: str) -> PeriodOrder:
    """Order the periods of a time column by the one rule of every panel estimator.

    Parameters
    ----------
    s : pandas.Series
        The time column, without missing values.
    column : str
        Its name, for messages.

    Returns
    -------
    PeriodOrder
        Codes, numbers and labels of the periods in time order.

    Raises
    ------
    EstimationError
        Missing or non-finite periods; text that is not a number written as
        text; an unordered Categorical of such text; any other type.

    Examples
    --------
    >>> order_periods(pd.Series(["9", "10", "11"]), "year").labels
    (9, 10, 11)
    >>> months = pd.Categorical(["mars", "avril"], categories=["mars", "avril"], ordered=True)
    >>> order_periods(pd.Series(months), "month").labels
    ('mars', 'avril')
    """
    n_missing = int(s.isna().sum())
    if n_missing:
        raise EstimationError(f"time column {column!r} has {n_missing} missing values")
    dtype = s.dtype
    if isinstance(dtype, pd.CategoricalDtype):
        if dtype.ordered:
            pos = np.asarray(s.cat.codes, dtype=np.int64)
            observed = np.unique(pos)
            codes = np.searchsorted(observed, pos).astype(np.int64)
            labels = tuple(dtype.categories[observed])
            return PeriodOrder(
                codes,
                (pos + 1).astype(float),
                labels,
                False,
                "ordered categories",
                tuple(dtype.categories),
            )
        s = s.astype(object)  # an unordered Categorical is read as its values
    values: FloatArray
    kind = "numbers"
    if pd.api.types.is_bool_dtype(s) or pd.api.types.is_numeric_dtype(s):
        values = s.to_numpy(dtype=float)
    elif (
        pd.api.types.is_datetime64_any_dtype(s)
        or pd.api.types.is_timedelta64_dtype(s)
        or isinstance(dtype, pd.PeriodDtype)
        or pd.api.types.infer_dtype(s, skipna=True) in ("datetime", "datetime64", "date")
    ):
        try:
            uniq = pd.Index(pd.unique(s)).sort_values()
        except TypeError as exc:  # e.g. dates with and without a time zone
            raise EstimationError(
                f"time column {column!r} mixes dates that cannot be compared: {exc}"
            ) from exc
        codes = np.asarray(uniq.get_indexer(pd.Index(s)), dtype=np.int64)
        return PeriodOrder(codes, (codes + 1).astype(float), tuple(uniq), False, "dates")
    else:
        obj = s.astype(object)
        num = pd.to_numeric(obj, errors="coerce")
        bad = obj[num.isna()]
        if len(bad):
            raise _refuse_text(s, column, bad)
        values = num.to_numpy(dtype=float)
        kind = "numbers written as text"
    if not np.isfinite(values).all():
        raise EstimationError(f"time column {column!r} holds infinite values")
    uniq_v = np.unique(values)
    codes = np.searchsorted(uniq_v, values).astype(np.int64)
    return PeriodOrder(codes, values, tuple(fmt_period(v) for v in uniq_v), True, kind)


def panel_problems(
    units: pd.Series | npt.NDArray[Any],
    order: PeriodOrder,
    y: FloatArray,
    *,
    entity: str,
    time: str,
    outcome: str,
    hint: str = "",
) -> list[str]:
    """The degenerate-panel problems shared by every panel estimator.

    Duplicated (unit, period) rows (how many, and the first few) and an
    outcome with no variation. Returns the problems as sentences (empty when
    the panel is fine), so that callers list every problem at once; ``hint``
    ends the duplicates' sentence.

    Examples
    --------
    >>> order = order_periods(pd.Series([1, 2, 1]), "t")
    >>> panel_problems(pd.Series(["a", "a", "a"]), order, np.array([1.0, 2, 3]),
    ...                entity="id", time="t", outcome="y")[0][:28]
    "1 duplicated ('id', 't') row"
    """
    problems: list[str] = []
    frame = pd.DataFrame({"u": np.asarray(units), "t": order.codes})
    dupl = frame.duplicated(["u", "t"], keep="first")
    if dupl.any():
        first = frame.loc[dupl.to_numpy()].drop_duplicates().head(3)
        pairs = [(u, order.label(int(t))) for u, t in zip(first["u"], first["t"], strict=True)]
        n_dupl = int(dupl.sum())
        problems.append(
            f"{n_dupl} duplicated ({entity!r}, {time!r}) row{'s' if n_dupl > 1 else ''} "
            f"(e.g. {', '.join(map(repr, pairs))}): a panel has one row per unit and period; "
            f"aggregate or remove the repeats{hint}"
        )
    finite = y[np.isfinite(y)]
    if len(finite) and np.ptp(finite) == 0:
        problems.append(
            f"outcome {outcome!r} is constant (every value is {finite[0]:g}): there is no "
            "variation to estimate an effect or its uncertainty from"
        )
    return problems


def read_cohorts(
    s: pd.Series, column: str, order: PeriodOrder, unit_codes: npt.NDArray[np.int64]
) -> tuple[FloatArray, list[str], int]:
    """Each row's cohort on the scale of ``order.values``, with the problems found.

    Never treated: ``0`` or missing (the caller warns with
    :func:`warn_missing_cohorts` once the panel is accepted). A treated
    cohort must be a period of the panel, or later than its last period
    (adoption after the window: not treated within it).
    Anything else (a value between periods, a non-whole value among whole
    periods, before the first period, negative, text that is not a period)
    is a problem.

    Returns
    -------
    cohorts : ndarray
        The period's number (or rank); 0 for never treated and for adoption
        after the last period.
    problems : list of str
        Sentences naming the column and the offending values.
    n_missing : int
        Units whose cohort is missing.
    """
    problems: list[str] = []
    missing = s.isna().to_numpy()
    g = np.zeros(len(s))
    bad_values: list[Any] = []
    present = s[~missing]
    if order.numeric:
        if pd.api.types.is_bool_dtype(present) or isinstance(present.dtype, pd.CategoricalDtype):
            num = pd.to_numeric(present.astype(object), errors="coerce")
        elif pd.api.types.is_numeric_dtype(present):
            num = present.astype(float)
        else:
            num = pd.to_numeric(present.astype(object), errors="coerce")
        v = num.to_numpy(dtype=float)
        periods = np.unique(order.values)
        ok = np.isfinite(v) & ((v == 0) | np.isin(v, periods) | (v > periods[-1]))
        bad_values = list(present[~ok])
        # adoption after the window: not treated within it (as R did reads it)
        g[~missing] = np.where(ok & (v <= periods[-1]), v, 0.0)
    else:
        observed = np.unique(order.values)
        if order.kind == "ordered categories":  # a category's rank among all of them
            lookup = {lab: float(i + 1) for i, lab in enumerate(order.categories)}
        else:
            lookup = {
                (pd.Timestamp(lab) if order.kind == "dates" else lab): float(i + 1)
                for i, lab in enumerate(order.labels)
            }
        last = order.labels[-1]
        uniq = pd.unique(present.astype(object))
        mapped: list[float] = []
        bad_uniq: list[Any] = []
        for val in uniq:  # distinct cohorts, not rows
            key = val
            if order.kind == "dates":
                try:  # a date, a datetime, a Timestamp or date text: one key
                    key = pd.Timestamp(val)
                except (TypeError, ValueError):
                    key = val
            pos = lookup.get(key)
            if pos is not None and pos in observed:
                mapped.append(pos)
                continue
            if pos is not None:
                after = bool(pos > observed[-1])
            else:
                try:
                    after = order.kind == "dates" and bool(pd.Timestamp(val) > pd.Timestamp(last))
                except (TypeError, ValueError):
                    after = False
            if not after:
                bad_uniq.append(val)
            mapped.append(0.0)  # after the window: not treated within it
        idx = pd.Index(uniq).get_indexer(pd.Index(present.astype(object)))
        g[~missing] = np.asarray(mapped, dtype=float)[idx]
        bad_set = pd.Index(bad_uniq, dtype=object)
        bad_values = list(present[pd.Index(present.astype(object)).isin(bad_set)])
    if bad_values:
        shown = [
            fmt_period(float(v)) if isinstance(v, int | float | np.integer | np.floating) else v
            for v in pd.unique(pd.Series(bad_values, dtype=object))[:5]
        ]
        problems.append(
            f"cohort {column!r} is not a period of the panel in {len(bad_values)} rows "
            f"(e.g. {shown}): a cohort is the first treated period (one of the values "
            f"of the time column, or later than the last), {'0 or ' if order.numeric else ''}"
            "missing for never treated"
        )
    n_missing = int(np.unique(unit_codes[missing]).size) if missing.any() else 0
    return g, problems, n_missing


def warn_missing_cohorts(column: str, n_units: int, *, numeric: bool = True) -> None:
    """Say that units with a missing cohort are read as never treated (once per call)."""
    if not n_units:
        return
    warnings.warn(
        f"cohort {column!r} is missing for {n_units} unit{'s' if n_units > 1 else ''}: "
        f"{'they are' if n_units > 1 else 'it is'} read as never treated"
        f"{'; code never-treated units 0 to say so' if numeric else ''}",
        ImpactkitWarning,
        stacklevel=_user_stacklevel(),
    )


@attrs.frozen
class StaggeredPanel:
    """Wide arrays of a balanced panel: outcomes (units × periods) and cohorts.

    ``cohort`` is the first treated period of each unit, ``0`` for units never
    treated in the sample window.
    """

    y: FloatArray = attrs.field(eq=False)  # (n_units, n_periods)
    cohort: FloatArray = attrs.field(eq=False)  # (n_units,)
    periods: FloatArray = attrs.field(eq=False)  # (n_periods,) sorted
    units: pd.Index = attrs.field(eq=False)
    x: FloatArray = attrs.field(eq=False)  # (n_units, k) covariates at the first period
    covariates: tuple[str, ...] = ()

    @property
    def n(self) -> int:
        """Number of units."""
        return int(self.y.shape[0])

    @property
    def cohorts(self) -> FloatArray:
        """Treated cohorts, sorted (never treated excluded)."""
        c = np.unique(self.cohort)
        return c[c > 0]


def _numeric(s: pd.Series, name: str, what: str) -> FloatArray:
    if pd.api.types.is_bool_dtype(s) or not pd.api.types.is_numeric_dtype(s):
        raise EstimationError(f"{what} column {name!r} must be numeric, got dtype {s.dtype}")
    return s.to_numpy(dtype=float)


def staggered_panel(
    df: pd.DataFrame,
    *,
    outcome: str,
    entity: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] = (),
) -> StaggeredPanel:
    """Validate a long panel and return it in wide form.

    Time is ordered by :func:`order_periods` (numbers, numbers written as
    text, dates, ordered Categoricals; with dates or categories the periods
    are numbered 1, 2, ... in time order, and cohorts and event times are
    given in those numbers). Never-treated units have cohort ``0`` or a
    missing cohort (both read as 0; a missing one warns); a cohort later than
    the last period is not treated within the window.

    Raises
    ------
    EstimationError
        Missing columns; a non-numeric or non-finite outcome; missing
        outcomes; unordered text periods; cohorts that are not periods of the
        panel; a unit whose cohort changes over time; duplicated (unit, time)
        rows; an outcome with no variation; an unbalanced panel. Every
        problem of the columns is listed at once.

    Warns
    -----
    ImpactkitWarning
        Missing cohorts read as never treated, saying for how many units.
    """
    if not isinstance(df, pd.DataFrame):
        raise EstimationError(f"expected a pandas DataFrame, got {type(df).__name__}")
    if df.columns.duplicated().any():
        dup = sorted(set(map(str, df.columns[df.columns.duplicated()])))
        raise EstimationError(f"duplicated columns in the data: {dup}")
    cols = [outcome, entity, time, cohort, *covariates]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise EstimationError(
            f"columns {missing} are not in the data; columns: {', '.join(map(str, df.columns))}"
        )
    problems: list[str] = []
    y = _numeric(df[outcome], outcome, "outcome")
    if np.isnan(y).any():
        problems.append(f"outcome {outcome!r} has {int(np.isnan(y).sum())} missing values")
    elif not np.isfinite(y).all():
        problems.append(f"outcome {outcome!r} holds infinite values")
    if df[entity].isna().any():
        problems.append(f"entity {entity!r} has missing values")
    try:
        order: PeriodOrder | None = order_periods(df[time], time)
    except EstimationError as exc:
        problems.append(str(exc))
        order = None
    if order is None:
        raise EstimationError("; ".join(problems))
    unit_codes = pd.factorize(df[entity])[0].astype(np.int64)
    g, cohort_problems, n_missing = read_cohorts(df[cohort], cohort, order, unit_codes)
    problems += cohort_problems
    if (g < 0).any():
        problems.append(f"cohort {cohort!r} must be a period, or 0 for never treated")
    if problems:
        raise EstimationError("; ".join(problems))
    t = order.values
    frame = pd.DataFrame({"u": df[entity].to_numpy(), "t": t, "g": g, "y": y})
    per_unit = frame.groupby("u", sort=False)["g"].nunique()
    switching = per_unit[per_unit > 1]
    if len(switching):
        raise EstimationError(
            f"cohort {cohort!r} must be constant within a unit; {len(switching)} units switch "
            f"cohort (e.g. {list(switching.index[:3])}): adoption must be absorbing"
        )
    problems = panel_problems(df[entity], order, y, entity=entity, time=time, outcome=outcome)
    if problems:
        raise EstimationError("; ".join(problems))
    periods = np.unique(t)
    units = pd.Index(pd.unique(frame["u"]))
    if len(frame) != len(units) * len(periods):
        counts = frame.groupby("u", sort=False).size()
        short = counts[counts < len(periods)]
        raise EstimationError(
            f"unbalanced panel: {len(short)} units lack some of the {len(periods)} periods "
            f"(e.g. {list(short.index[:3])}); the estimator needs a balanced panel"
        )
    ui = units.get_indexer(pd.Index(frame["u"]))
    ti = np.searchsorted(periods, t)
    wide = np.empty((len(units), len(periods)))
    wide[ui, ti] = y
    coh = np.zeros(len(units))
    coh[ui] = g
    x = np.zeros((len(units), 0))
    if covariates:
        first = ti == 0
        sub = df.loc[first, list(covariates)]
        bad = [c for c in covariates if not pd.api.types.is_numeric_dtype(sub[c])]
        if bad:
            raise EstimationError(f"covariates {bad} must be numeric")
        xv = sub.to_numpy(dtype=float)
        if not np.isfinite(xv).all():
            raise EstimationError(f"covariates {list(covariates)} have missing or infinite values")
        x = np.empty((len(units), len(covariates)))
        x[ui[first]] = xv
    warn_missing_cohorts(cohort, n_missing, numeric=order.numeric)
    return StaggeredPanel(wide, coh, periods, units, x, tuple(covariates))


def last_before(periods: FloatArray, value: float) -> int | None:
    """Index of the last period strictly before ``value``, or None."""
    i = int(np.searchsorted(periods, value, side="left")) - 1
    return i if i >= 0 else None


def fmt_period(p: float) -> Any:
    """A period as an int when it is whole (for tables and messages)."""
    return int(p) if math.isfinite(p) and float(p).is_integer() else float(p)
