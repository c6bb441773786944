"""A balanced panel with staggered adoption, validated once for every staggered estimator."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit.errors import EstimationError
from impactkit.typing import FloatArray

__all__ = ["StaggeredPanel", "staggered_panel"]


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
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] = (),
) -> StaggeredPanel:
    """Validate a long panel and return it in wide form.

    Never-treated units have cohort ``0`` or a missing cohort (both read as 0).

    Raises
    ------
    EstimationError
        Missing columns; a non-numeric or non-finite outcome, time or cohort;
        missing outcomes; a unit whose cohort changes over time; duplicated
        (unit, time) rows; an unbalanced panel; a cohort outside the periods
        in a way that makes it unusable is left to the estimators.
    """
    if not isinstance(df, pd.DataFrame):
        raise EstimationError(f"expected a pandas DataFrame, got {type(df).__name__}")
    if df.columns.duplicated().any():
        dup = sorted(set(map(str, df.columns[df.columns.duplicated()])))
        raise EstimationError(f"duplicated columns in the data: {dup}")
    cols = [outcome, unit, time, cohort, *covariates]
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise EstimationError(
            f"columns {missing} are not in the data; columns: {', '.join(map(str, df.columns))}"
        )
    problems: list[str] = []
    y = _numeric(df[outcome], outcome, "outcome")
    t = _numeric(df[time], time, "time")
    g = _numeric(df[cohort].fillna(0), cohort, "cohort")
    if np.isnan(y).any():
        problems.append(f"outcome {outcome!r} has {int(np.isnan(y).sum())} missing values")
    elif not np.isfinite(y).all():
        problems.append(f"outcome {outcome!r} holds infinite values")
    if not np.isfinite(t).all():
        problems.append(f"time {time!r} has missing or infinite values")
    if not np.isfinite(g).all() or (g < 0).any():
        problems.append(f"cohort {cohort!r} must be a period, or 0 for never treated")
    if df[unit].isna().any():
        problems.append(f"unit {unit!r} has missing values")
    if problems:
        raise EstimationError("; ".join(problems))
    frame = pd.DataFrame({"u": df[unit].to_numpy(), "t": t, "g": g, "y": y})
    per_unit = frame.groupby("u", sort=False)["g"].nunique()
    switching = per_unit[per_unit > 1]
    if len(switching):
        raise EstimationError(
            f"cohort {cohort!r} must be constant within a unit; {len(switching)} units switch "
            f"cohort (e.g. {list(switching.index[:3])}): adoption must be absorbing"
        )
    dupl = frame.duplicated(["u", "t"])
    if dupl.any():
        raise EstimationError(
            f"{int(dupl.sum())} duplicated ({unit!r}, {time!r}) rows: one row per unit and period"
        )
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
    return StaggeredPanel(wide, coh, periods, units, x, tuple(covariates))


def last_before(periods: FloatArray, value: float) -> int | None:
    """Index of the last period strictly before ``value``, or None."""
    i = int(np.searchsorted(periods, value, side="left")) - 1
    return i if i >= 0 else None


def fmt_period(p: float) -> Any:
    """A period as an int when it is whole (for tables and messages)."""
    return int(p) if math.isfinite(p) and float(p).is_integer() else float(p)
