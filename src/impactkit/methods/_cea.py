r"""Cost-effectiveness: cost per outcome, ICER, dominance, net monetary benefit, WELLBY, QALY."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit._results import Record, displayed
from impactkit._validation import Checker, require_finite
from impactkit.discount import Discount
from impactkit.errors import Problem, ValidationError
from impactkit.methods._cba import _factors

__all__ = [
    "CostPerOutcome",
    "cea_frontier",
    "cost_per_outcome",
    "cost_per_qaly",
    "cost_per_wellby",
    "icer",
    "net_monetary_benefit",
    "wellbys",
]


@displayed(headline=("Net", "Gross", "Outcomes"))
@attrs.frozen
class CostPerOutcome(Record):
    """Gross and net (of deadweight) cost per outcome.

    Parameters
    ----------
    gross : float or None
        ``cost / outcomes`` (every outcome observed); None when there is no
        outcome.
    net : float or None
        ``cost / (outcomes × (1 − deadweight))`` (additional outcomes only);
        None when no outcome is additional.
    cost : float
        Cost [currency].
    outcomes : float
        Outcomes observed.
    additional : float
        Outcomes net of deadweight.

    Examples
    --------
    :func:`cost_per_outcome` returns it: 50 young people in work for a
    budget of 100,000, 60 % of whom would have found work anyway.

    >>> r = cost_per_outcome(100_000, 50, deadweight=0.6)
    >>> r.additional, r.gross, r.net
    (20.0, 2000.0, 5000.0)
    >>> r.to_dict()["net"]
    5000.0
    """

    cost: float
    outcomes: float
    additional: float
    gross: float | None
    net: float | None


def cost_per_outcome(cost: float, outcomes: float, *, deadweight: float = 0.0) -> CostPerOutcome:
    """Cost per outcome, gross and net of deadweight (docs/methods/cea.md).

    Parameters
    ----------
    cost : float
        Cost [currency].
    outcomes : float
        Outcomes observed [units].
    deadweight : float, default 0.0
        Share that would have happened anyway [fraction, 0-1].

    Returns
    -------
    CostPerOutcome

    Raises
    ------
    ValidationError
        When ``cost`` or ``outcomes`` is negative or not a finite number, or
        ``deadweight`` is outside [0, 1] (every problem at once, each at its
        own path).

    Examples
    --------
    >>> r = cost_per_outcome(100_000, 50, deadweight=0.6)
    >>> r.gross, r.net
    (2000.0, 5000.0)
    """
    c = Checker()
    c.number(cost, "cost", low=0.0)
    c.number(outcomes, "outcomes", low=0.0)
    c.number(deadweight, "deadweight", low=0.0, high=1.0)
    c.raise_if_errors()
    additional = outcomes * (1 - deadweight)
    gross = cost / outcomes if outcomes > 0 else None
    net = cost / additional if additional > 0 else None
    require_finite({"cost": cost, "outcomes": outcomes, "gross": gross, "net": net})
    return CostPerOutcome(float(cost), float(outcomes), float(additional), gross, net)


def icer(*, cost_a: float, effect_a: float, cost_b: float, effect_b: float) -> float:
    """Incremental cost-effectiveness ratio of A over B, (C_A − C_B) / (E_A − E_B).

    Parameters
    ----------
    cost_a, effect_a : float
        Cost and effect of the option assessed.
    cost_b, effect_b : float
        Cost and effect of the comparator.

    Returns
    -------
    float
        ``(cost_a - cost_b) / (effect_a - effect_b)``.

    Raises
    ------
    ValidationError
        When an argument is not a finite number (every problem at once), or
        when the effects are equal (the ratio is undefined) or so close that
        the ratio is not a finite number.

    Examples
    --------
    >>> icer(cost_a=150.0, effect_a=12.0, cost_b=100.0, effect_b=10.0)
    25.0
    """
    _finite(cost_a=cost_a, effect_a=effect_a, cost_b=cost_b, effect_b=effect_b)
    de = float(effect_a) - float(effect_b)
    if de == 0:
        raise ValidationError(
            "equal effects: the ICER is undefined", path=("effect",), code="undefined"
        )
    with np.errstate(over="ignore", invalid="ignore"):
        ratio = float((np.float64(cost_a) - np.float64(cost_b)) / np.float64(de))
    require_finite({"icer": ratio})
    return ratio


def net_monetary_benefit(cost: float, effect: float, *, wtp: float) -> float:
    """Net monetary benefit ``wtp × effect − cost`` at a willingness to pay per unit of effect.

    Parameters
    ----------
    cost : float
        Cost [currency].
    effect : float
        Effect [units].
    wtp : float
        Willingness to pay per unit of effect [currency/unit].

    Returns
    -------
    float
        ``wtp * effect - cost``.

    Raises
    ------
    ValidationError
        When an argument is not a finite number (every problem at once).

    Examples
    --------
    A fall-prevention programme costing 36,000 that gains 1.5 QALYs, at an
    illustrative willingness to pay of 30,000 per QALY: positive, so worth
    funding at that threshold.

    >>> net_monetary_benefit(36_000, 1.5, wtp=30_000)
    9000.0
    >>> net_monetary_benefit(36_000, 1.5, wtp=20_000)
    -6000.0
    """
    _finite(cost=cost, effect=effect, wtp=wtp)
    nmb = float(wtp * effect - cost)
    require_finite({"net_monetary_benefit": nmb})
    return nmb


def cea_frontier(options: pd.DataFrame, *, wtp: float | None = None) -> pd.DataFrame:
    """The cost-effectiveness frontier: ICERs, strong and extended dominance.

    Parameters
    ----------
    options : DataFrame
        Columns ``name``, ``cost``, ``effect``.
    wtp : float, optional
        Willingness to pay per unit of effect, a finite number; adds ``nmb``
        (net monetary benefit) and ``optimal`` (the option of largest NMB).

    Returns
    -------
    DataFrame
        The options in their given order and index, with ``icer`` (against
        the next less effective option on the frontier; None for the least
        effective frontier option and for dominated options) and ``dominated``
        (None, ``"strong"`` or ``"extended"``).

    Notes
    -----
    Strong dominance: another option costs no more and is at least as
    effective (strictly better in one). Extended dominance: among the rest
    sorted by effect, an option whose ICER exceeds that of the next more
    effective option is removed, until ICERs increase (docs/methods/cea.md).

    References
    ----------
    .. [1] Drummond, M. et al. (2015). Methods for the Economic Evaluation of
       Health Care Programmes, 4th ed. Oxford University Press.

    Examples
    --------
    >>> df = pd.DataFrame({"name": ["A", "B", "C", "D"], "cost": [100, 200, 250, 400],
    ...                    "effect": [10, 12, 18, 20]})
    >>> cea_frontier(df)[["name", "icer", "dominated"]]
      name  icer dominated
    0    A  None      None
    1    B  None  extended
    2    C  18.75      None
    3    D  75.0      None
    """
    if not isinstance(options, pd.DataFrame):
        raise ValidationError("options must be a DataFrame", path=("options",), code="type")
    miss = [c for c in ("name", "cost", "effect") if c not in options.columns]
    if miss:
        raise ValidationError(
            [Problem(("options", c), "missing_column", f"column {c!r} is missing") for c in miss]
        )
    probs = []
    for col in ("cost", "effect"):
        vals = pd.to_numeric(options[col], errors="coerce")
        for i in np.flatnonzero(~np.isfinite(vals.to_numpy(dtype=float))):
            probs.append(
                Problem(("options", int(i), col), "not_finite", f"{col} must be a finite number")
            )
    if options["name"].duplicated().any():
        probs.append(Problem(("options", "name"), "duplicate_id", "option names repeat"))
    if wtp is not None:
        wc = Checker()
        wc.number(wtp, "wtp")
        probs.extend(wc.problems)
    if probs:
        raise ValidationError(probs)
    df = options.copy()
    df["cost"] = df["cost"].astype(float)
    df["effect"] = df["effect"].astype(float)
    original = df.index
    df = df.reset_index(drop=True)
    order = df.sort_values(["effect", "cost"], kind="stable").index
    df = df.loc[order].reset_index(drop=True)
    c = df["cost"].to_numpy(dtype=float)
    e = df["effect"].to_numpy(dtype=float)
    dominated: list[str | None] = [None] * len(df)
    ce, ee = c[:, None], e[:, None]
    dom = (c[None, :] <= ce) & (e[None, :] >= ee) & ((c[None, :] < ce) | (e[None, :] > ee))
    for i in np.flatnonzero(dom.any(axis=1)):
        dominated[int(i)] = "strong"
    # duplicates (same cost and effect): keep the first only
    for k in range(1, len(df)):
        if dominated[k] is None and any(
            dominated[j] is None and c[j] == c[k] and e[j] == e[k] for j in range(k)
        ):
            dominated[k] = "strong"
    changed = True
    while changed:
        changed = False
        keep = [i for i in range(len(df)) if dominated[i] is None]
        for a, b, nxt in zip(keep, keep[1:], keep[2:], strict=False):
            # slopes compared by cross-multiplication: effects increase along the frontier,
            # and a quotient of a tiny effect difference would overflow
            if (c[b] - c[a]) * (e[nxt] - e[b]) > (c[nxt] - c[b]) * (e[b] - e[a]):
                dominated[b] = "extended"
                changed = True
                break
    icers: list[float | None] = [None] * len(df)
    keep = [i for i in range(len(df)) if dominated[i] is None]
    for a, b in itertools.pairwise(keep):
        with np.errstate(over="ignore"):
            icer = float((c[b] - c[a]) / (e[b] - e[a]))
        if not math.isfinite(icer):
            raise ValidationError(
                f"the effects of {df['name'][a]!r} and {df['name'][b]!r} differ by "
                f"{e[b] - e[a]:.3g}: their ICER is beyond the range of numbers; give the "
                "effects in a larger unit or merge the two options",
                path=("options", "effect"),
                code="not_finite",
            )
        icers[b] = icer
    df["icer"] = pd.Series(icers, dtype=object)
    df["dominated"] = pd.Series(dominated, dtype=object)
    if wtp is not None:
        df["nmb"] = wtp * df["effect"] - df["cost"]
        df["optimal"] = df["nmb"] == df["nmb"].max()
    df.index = order  # back to the options' own order and index
    df = df.sort_index()
    df.index = original
    return df


def wellbys(
    delta_life_satisfaction: float | Sequence[float],
    people: float,
    *,
    discount: float | Discount = 0.035,
    start_year: int = 1,
) -> float:
    """Discounted WELLBYs: life-satisfaction points (0-10) × people × years.

    ``delta_life_satisfaction`` is one change per year (a number for one year);
    year ``start_year`` is discounted ``start_year`` times.

    Parameters
    ----------
    delta_life_satisfaction : float or sequence of float
        Change on the 0-10 scale, one per year.
    people : float
        People concerned [people].
    discount : float or Discount, default 0.035
        Discounting.
    start_year : int, default 1
        Year of the first change.

    Returns
    -------
    float
        Discounted WELLBYs.

    Raises
    ------
    ValidationError
        When a change is not finite, ``people`` is negative
        or not finite, or ``start_year`` is not a whole number >= 0 (every
        problem at once).

    Examples
    --------
    >>> round(wellbys([0.5, 0.5], 100, discount=0.0), 6)
    100.0
    """
    c = Checker()
    d = np.atleast_1d(np.asarray(delta_life_satisfaction, dtype=float)).ravel()
    for i in np.flatnonzero(~np.isfinite(d)):
        c.add(("delta_life_satisfaction", int(i)), "not_finite", "must be a finite number")
    c.number(people, "people", low=0.0)
    c.number(start_year, "start_year", low=0, integer=True)
    c.raise_if_errors()
    start = int(start_year)
    dfs = _factors(discount, start + d.size)[start:]
    value = float(people * d @ dfs)
    require_finite({"wellbys": value})
    return value


def cost_per_wellby(cost_pv: float, wellby_pv: float) -> float | None:
    """PV of costs per discounted WELLBY (None when no WELLBY is gained).

    Parameters
    ----------
    cost_pv : float
        PV of costs [currency].
    wellby_pv : float
        Discounted WELLBYs.

    Returns
    -------
    float or None

    Raises
    ------
    ValidationError
        When an argument is not a finite number (every problem at once).

    Examples
    --------
    40 residents gain half a point of life satisfaction for two years, for
    30,000 (PV):

    >>> w = wellbys([0.5, 0.5], 40, discount=0.035)
    >>> round(w, 4), round(cost_per_wellby(30_000, w), 2)
    (37.9939, 789.6)
    >>> cost_per_wellby(30_000, 0.0) is None
    True
    """
    return _cost_per_unit("cost_per_wellby", cost_pv=cost_pv, wellby_pv=wellby_pv)


def cost_per_qaly(cost_pv: float, qaly_pv: float) -> float | None:
    """PV of costs per discounted QALY (None when no QALY is gained).

    Parameters
    ----------
    cost_pv : float
        PV of costs [currency].
    qaly_pv : float
        Discounted QALYs.

    Returns
    -------
    float or None

    Raises
    ------
    ValidationError
        When an argument is not a finite number (every problem at once).

    Examples
    --------
    >>> cost_per_qaly(45_000, 1.5)  # 45,000 (PV) for 1.5 discounted QALYs
    30000.0
    >>> cost_per_qaly(45_000, 0.0) is None
    True
    """
    return _cost_per_unit("cost_per_qaly", cost_pv=cost_pv, qaly_pv=qaly_pv)


def _cost_per_unit(name: str, *, cost_pv: float, **units: float) -> float | None:
    """Cost per discounted unit (the one keyword in ``units``); None without units."""
    _finite(cost_pv=cost_pv, **units)
    (unit_pv,) = units.values()
    if unit_pv <= 0:
        return None
    ratio = float(cost_pv) / float(unit_pv)
    require_finite({name: ratio})
    return ratio


def _finite(**values: Any) -> None:
    """Every value a finite real number, or one error listing each that is not."""
    c = Checker()
    for name, value in values.items():
        if isinstance(value, np.ndarray) and value.ndim == 0:  # a numpy scalar array
            value = value.item()
        c.number(value, name)
    c.raise_if_errors()
