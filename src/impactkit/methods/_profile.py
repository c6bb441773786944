r"""Impact profiles (the five dimensions of impact), ABC classification, forecast vs evaluation."""

from __future__ import annotations

import itertools
import math
from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit import kernel
from impactkit._results import FrozenDict
from impactkit._validation import Checker
from impactkit.errors import ValidationError
from impactkit.model import ROW_FIELDS, ImpactModel, compile_model

__all__ = [
    "RISK_LEVELS",
    "RISK_TYPES",
    "ABCRules",
    "ImpactProfile",
    "compare",
    "impact_profiles",
]

RISK_TYPES: tuple[str, ...] = (
    "evidence",
    "external",
    "stakeholder_participation",
    "drop_off",
    "efficiency",
    "execution",
    "alignment",
    "endurance",
    "unexpected_impact",
)
"""The nine impact risk types (Impact Management Project with Social Value International)."""

RISK_LEVELS: tuple[str, ...] = ("low", "medium", "high")


def _str_dict(x: Mapping[str, str]) -> Mapping[str, str]:
    return FrozenDict(dict(x))  # read-only: a profile is a value


@attrs.frozen
class ImpactProfile:
    """One outcome described along the five dimensions of impact (IMP 2018-2021).

    Parameters
    ----------
    outcome, stakeholder : str
    positive : bool
        *What*: a positive or negative outcome.
    importance : str or None
        *What*: importance to the stakeholder (low, medium, high).
    goal : str
        *What*: the goal it serves (an SDG or other).
    underserved : bool or None
        *Who*: whether the stakeholders are underserved for this outcome.
    baseline : float or None
        *Who*: outcome level at baseline.
    scale : float
        *How much*: people (units) experiencing it.
    depth : float
        *How much*: value of the change per person and year [currency].
    duration : float
        *How much*: years it lasts.
    contribution : float
        *Contribution*: share that would not have happened anyway,
        :math:`(1-DW)(1-DS)(1-AT)(1-LK)`.
    risks : mapping of str to str
        *Risk*: level of each of the nine risk types (:data:`RISK_TYPES`).

    Examples
    --------
    :func:`impact_profiles` builds one per outcome row; by hand, older people
    kept at home by a fall-prevention service:

    >>> p = ImpactProfile(outcome="maintien_domicile", stakeholder="personnes_agees",
    ...                   positive=True, scale=60, depth=4_000.0, duration=2,
    ...                   contribution=0.6, underserved=True,
    ...                   risks={"evidence": "medium", "drop_off": "low"})
    >>> p.risk_level(), ABCRules().classify(p)
    ('medium', 'C')
    """

    outcome: str
    stakeholder: str
    positive: bool
    scale: float
    depth: float
    duration: float
    contribution: float
    importance: str | None = None
    goal: str = ""
    underserved: bool | None = None
    baseline: float | None = None
    risks: Mapping[str, str] = attrs.field(factory=dict, converter=_str_dict)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.number(self.scale, "scale", low=0.0)
        c.number(self.depth, "depth")
        c.number(self.duration, "duration", low=0.0)
        c.number(self.contribution, "contribution", low=0.0, high=1.0)
        for k, v in self.risks.items():
            c.choice(k, ("risks", str(k)), RISK_TYPES)
            c.choice(v, ("risks", str(k)), RISK_LEVELS)
        if self.importance is not None:
            c.choice(self.importance, "importance", RISK_LEVELS)
        c.raise_if_errors()

    def risk_level(self, method: str = "max") -> str | None:
        """Aggregate risk: the highest level (``"max"``) or the rounded mean (``"mean"``).

        Parameters
        ----------
        method : {"max", "mean"}
            How the risk levels are combined. With ``"mean"`` the levels count
            0 (low), 1 (medium), 2 (high) and their mean is rounded half up: a
            tie goes to the higher risk (impactkit convention, the prudent
            side; low and medium give medium).

        Returns
        -------
        str or None
            None without risks.

        Raises
        ------
        ValidationError
            When ``method`` is neither ``"max"`` nor ``"mean"``.

        Examples
        --------
        >>> p = ImpactProfile("employed", "participants", True, 40, 0.5, 2, 0.6,
        ...                   risks={"evidence": "low", "drop_off": "medium"})
        >>> p.risk_level(), p.risk_level("mean")
        ('medium', 'medium')
        """
        if method not in ("max", "mean"):
            raise ValidationError(
                f"method must be 'max' or 'mean', got {method!r}", path=("method",), code="invalid"
            )
        if not self.risks:
            return None
        levels = [RISK_LEVELS.index(v) for v in self.risks.values()]
        agg = max(levels) if method == "max" else math.floor(float(np.mean(levels)) + 0.5)
        return RISK_LEVELS[agg]


@attrs.frozen
class ABCRules:
    """Editable rules of the ABC classification (IMP): Act to avoid harm, Benefit, Contribute.

    Parameters
    ----------
    min_contribution : float, default 0.5
        Smallest contribution (share additional) for *C*.
    require_underserved : bool, default True
        *C* requires underserved stakeholders.
    max_risk : str, default "medium"
        *C* requires an aggregate risk no higher than this.

    Examples
    --------
    The same outcome classified under the default rules and stricter ones:

    >>> p = ImpactProfile(outcome="maintien_domicile", stakeholder="personnes_agees",
    ...                   positive=True, scale=60, depth=4_000.0, duration=2,
    ...                   contribution=0.6, underserved=True, risks={"evidence": "medium"})
    >>> ABCRules().classify(p), ABCRules(min_contribution=0.7).classify(p)
    ('C', 'B')
    >>> ABCRules(max_risk="low").classify(p)
    'B'
    >>> ABCRules().classify(attrs.evolve(p, positive=False))  # a harm: act to avoid it
    'A'
    """

    min_contribution: float = 0.5
    require_underserved: bool = True
    max_risk: str = "medium"

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.number(self.min_contribution, "min_contribution", low=0.0, high=1.0)
        if not isinstance(self.require_underserved, bool | np.bool_):
            c.add("require_underserved", "type", "expected true or false")
        c.choice(self.max_risk, "max_risk", RISK_LEVELS)
        c.raise_if_errors()

    def classify(self, p: ImpactProfile) -> str:
        """``"A"`` for a negative outcome, ``"C"`` when every C rule holds, else ``"B"``.

        Parameters
        ----------
        p : ImpactProfile

        Returns
        -------
        str
            "A", "B" or "C".
        """
        if not p.positive:
            return "A"
        ok = p.contribution >= self.min_contribution
        if self.require_underserved:
            ok = ok and bool(p.underserved)
        risk = p.risk_level()
        if risk is not None:
            ok = ok and RISK_LEVELS.index(risk) <= RISK_LEVELS.index(self.max_risk)
        return "C" if ok else "B"


def impact_profiles(
    model: ImpactModel,
    *,
    data: Mapping[str, Any] | None = None,
    underserved: Mapping[str, bool] | None = None,
    importance: Mapping[str, str] | None = None,
    risks: Mapping[str, Mapping[str, str]] | None = None,
    goals: Mapping[str, str] | None = None,
    rules: ABCRules | None = None,
) -> pd.DataFrame:
    r"""The five dimensions of every outcome row, with its ABC class.

    Scale (quantity), depth (financial proxy), duration and contribution come
    from the value map, the contribution being the share that would not have
    happened anyway,
    :math:`(1 - DW)(1 - DS)(1 - AT)(1 - LK)`; the other dimensions come from
    the mappings (keyed by outcome id, or by stakeholder for ``underserved``).
    An outcome with a negative proxy is negative (class *A*); a positive one
    is *C* when every rule of ``rules`` holds, else *B* (:class:`ABCRules`).

    Parameters
    ----------
    model : ImpactModel
        The model whose outcome rows are profiled.
    data : mapping of str to DataFrame, optional
        Data sources by name, for outcome fields given by calculators (a
        single source may be left unnamed).
    underserved : mapping of str to bool, optional
        *Who*: whether each stakeholder is underserved, keyed by stakeholder;
        a stakeholder not listed is unknown (None).
    importance : mapping of str to str, optional
        *What*: importance of each outcome to its stakeholders (``"low"``,
        ``"medium"`` or ``"high"``), keyed by outcome id.
    risks : mapping of str to mapping of str to str, optional
        *Risk*: by outcome id, the level (:data:`RISK_LEVELS`) of each impact
        risk type (:data:`RISK_TYPES`) rated.
    goals : mapping of str to str, optional
        *What*: the goal each outcome serves (an SDG or other), by outcome id.
    rules : ABCRules, optional
        Rules of the ABC classification (default :class:`ABCRules`).

    Returns
    -------
    DataFrame
        ``outcome``, ``stakeholder``, ``positive``, ``importance``, ``goal``,
        ``underserved``, ``scale``, ``depth``, ``duration``, ``contribution``,
        ``risk``, ``abc``, and one ``risk_<type>`` column per risk type given.
        ``risk`` is the highest level given for the outcome (None without
        any).

    Raises
    ------
    ValidationError
        When the data sources do not fit the model's calculators, or when an
        importance, risk type or risk level is not one of the allowed values.

    References
    ----------
    .. [1] Impact Management Project (2018-2021). The five dimensions of
       impact; impact risk; the ABC of enterprise impact.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", discount=0.0, outcomes=[ik.OutcomeValuation(
    ...     outcome="emploi", stakeholder="jeunes", quantity=40, proxy=5_000,
    ...     deadweight=0.25, attribution=0.2)])
    >>> t = impact_profiles(m, underserved={"jeunes": True},
    ...                     risks={"emploi": {"evidence": "medium", "drop_off": "low"}})
    >>> row = t.iloc[0]
    >>> print(row.scale, row.depth, round(row.contribution, 4), row.risk, row.abc)
    40.0 5000.0 0.6 medium C
    """
    from impactkit.measure import bind

    m = bind(model, data).model
    vm = compile_model(m)
    base = vm.base * vm.scales
    rules = rules or ABCRules()
    rows = []
    for k, ov in enumerate(m.outcomes):
        val = {kind: float(base[vm.kind_index[kind][k]]) for kind in ROW_FIELDS}
        contrib = (
            (1 - val["deadweight"])
            * (1 - val["displacement"])
            * (1 - val["attribution"])
            * (1 - val["leakage"])
        )
        p = ImpactProfile(
            outcome=ov.outcome,
            stakeholder=ov.stakeholder,
            positive=val["proxy"] >= 0,
            scale=val["quantity"],
            depth=val["proxy"],
            duration=val["duration"],
            contribution=contrib,
            importance=(importance or {}).get(ov.outcome),
            goal=(goals or {}).get(ov.outcome, ""),
            underserved=(underserved or {}).get(ov.stakeholder),
            risks=(risks or {}).get(ov.outcome, {}),
        )
        rec = {
            f.name: getattr(p, f.name)
            for f in attrs.fields(ImpactProfile)
            if f.name not in ("risks", "baseline")
        }
        rec["risk"] = p.risk_level()
        rec["abc"] = rules.classify(p)
        for rt, lvl in p.risks.items():
            rec[f"risk_{rt}"] = lvl
        rows.append(rec)
    return pd.DataFrame(rows)


_SHOWN = ("quantity", "proxy", "deadweight", "attribution", "duration")
_GROUPS: dict[str, tuple[str, ...]] = {
    "quantity": ("quantity",),
    "proxy": ("proxy",),
    "haircuts": ("deadweight", "displacement", "attribution", "leakage"),
    "persistence": ("duration", "drop_off"),
}


def compare(
    forecast: ImpactModel,
    evaluation: ImpactModel,
    *,
    data_forecast: Mapping[str, Any] | None = None,
    data_evaluation: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    r"""Compare a forecast with an evaluation, outcome by outcome, and explain the variance.

    Rows are matched on (outcome, stakeholder), the n-th row of a pair on one
    side with the n-th on the other (the cohorts of a forecast share their
    outcome and stakeholder). For each matched row the
    change in present value is shared among four factor groups — quantity,
    proxy, haircuts (deadweight, displacement, attribution, leakage) and
    persistence (duration, drop-off, its method and the start year) — by
    their Shapley values over the 16 combinations of forecast and evaluated
    values, so the parts add up to the change whatever the order. Both are
    evaluated with the forecast's discounting and timing; rows present on one
    side only are listed whole.

    With groups :math:`G` and :math:`v(S)` the row's present value when the
    groups in :math:`S` take their evaluated values and the others their
    forecast values, the part due to group :math:`g` is

    .. math::
        \phi_g = \sum_{S \subseteq G \setminus \{g\}}
        \frac{|S|!\,(|G| - |S| - 1)!}{|G|!}\,[v(S \cup \{g\}) - v(S)],

    and :math:`\sum_g \phi_g = v(G) - v(\emptyset)`, the difference
    (docs/methods/profiles.md and docs/methods/attribution.md).

    Parameters
    ----------
    forecast : ImpactModel
        The forecast model; its discounting and timing value both sides.
    evaluation : ImpactModel
        The evaluative model, with the outcomes actually measured.
    data_forecast : mapping of str to DataFrame, optional
        Data sources of the forecast's calculators, by name.
    data_evaluation : mapping of str to DataFrame, optional
        Data sources of the evaluation's calculators, by name.

    Returns
    -------
    DataFrame
        ``outcome``, ``stakeholder``, ``status`` (``matched``, ``forecast only``,
        ``evaluation only``), forecast and evaluated ``quantity``, ``proxy``,
        ``deadweight``, ``attribution``, ``duration``, ``pv_forecast``,
        ``pv_evaluation``, ``difference`` and ``due_to_<group>`` columns.
        Forecast and evaluated values are in ``<field>_forecast`` and
        ``<field>_evaluation`` columns (None on the side a row lacks); the
        ``due_to_`` columns are 0 for unmatched rows.

    Raises
    ------
    ValidationError
        When neither model has outcome rows, or when the data sources do not
        fit a model's calculators.

    References
    ----------
    .. [1] Shapley, L. S. (1953). A value for n-person games.

    Examples
    --------
    >>> import impactkit as ik
    >>> f = ik.ImpactModel(name="f", discount=0.0, outcomes=[ik.OutcomeValuation(
    ...     outcome="o", stakeholder="s", quantity=100, proxy=10, deadweight=0.5)])
    >>> e = f.evolve(outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s",
    ...     quantity=80, proxy=10, deadweight=0.25)])
    >>> compare(f, e)[["difference", "due_to_quantity", "due_to_haircuts"]]
       difference  due_to_quantity  due_to_haircuts
    0       100.0           -125.0            225.0
    """
    from impactkit.measure import bind

    fm = bind(forecast, data_forecast).model
    em = bind(evaluation, data_evaluation).model
    vf, ve = compile_model(fm), compile_model(em)
    bf, be = vf.base * vf.scales, ve.base * ve.scales

    def keyed(model: ImpactModel) -> dict[tuple[str, str, int], int]:
        # the n-th row of an (outcome, stakeholder) pair meets the other side's n-th:
        # the cohorts of a forecast share their outcome and stakeholder
        seen: dict[tuple[str, str], int] = {}
        out: dict[tuple[str, str, int], int] = {}
        for k, o in enumerate(model.outcomes):
            n = seen.get((o.outcome, o.stakeholder), 0)
            seen[(o.outcome, o.stakeholder)] = n + 1
            out[(o.outcome, o.stakeholder, n)] = k
        return out

    key_f, key_e = keyed(fm), keyed(em)
    matched = [key for key in key_f if key in key_e]
    fi = np.array([key_f[key] for key in matched], dtype=np.int64)
    ei = np.array([key_e[key] for key in matched], dtype=np.int64)

    def arrays(vm: Any, b: Any, idx: Any) -> dict[str, Any]:
        return {kind: b[vm.kind_index[kind][idx]][None, :] for kind in ROW_FIELDS}

    def pv_rows(vm: Any, fields: Mapping[str, Any], start: Any, linear: Any) -> Any:
        rate = vf.base[vf.kind_index["rate"]][None, :] if "rate" in vf.kind_index else None
        horizon = int(start.max(initial=1)) + int(np.ceil(fields["duration"].max(initial=1)))
        cum = vf.schedule.cumulative(horizon + 1) if vf.schedule is not None else None
        return kernel.present_values(
            *[fields[k] for k in ROW_FIELDS],
            start=start,
            linear=linear,
            rate=rate,
            cumulative=cum,
            t0=vf.t0,
        )[0]

    rows: list[dict[str, Any]] = []
    if len(matched):
        af, ae = arrays(vf, bf, fi), arrays(ve, be, ei)
        # the start year and the drop-off method persist with duration and drop-off
        timing_f = (vf.start[fi], vf.linear[fi])
        timing_e = (ve.start[ei], ve.linear[ei])
        groups = list(_GROUPS)
        n = len(groups)
        value: dict[frozenset[str], Any] = {}
        for size in range(n + 1):
            for combo in itertools.combinations(groups, size):
                fields = {
                    k: (ae[k] if any(k in _GROUPS[g] for g in combo) else af[k])
                    for k in ROW_FIELDS
                }
                start, linear = timing_e if "persistence" in combo else timing_f
                value[frozenset(combo)] = pv_rows(vf, fields, start, linear)
        phi = {g: np.zeros(len(matched)) for g in groups}
        for g in groups:
            others = [x for x in groups if x != g]
            for size in range(n):
                w = math.factorial(size) * math.factorial(n - size - 1) / math.factorial(n)
                for combo in itertools.combinations(others, size):
                    s = frozenset(combo)
                    phi[g] += w * (value[s | {g}] - value[s])
        pf, pe = value[frozenset()], value[frozenset(groups)]
        for j, key in enumerate(matched):
            rows.append(
                {
                    "outcome": key[0],
                    "stakeholder": key[1],
                    "status": "matched",
                    **{f"{k}_forecast": float(af[k][0, j]) for k in _SHOWN},
                    **{f"{k}_evaluation": float(ae[k][0, j]) for k in _SHOWN},
                    "pv_forecast": float(pf[j]),
                    "pv_evaluation": float(pe[j]),
                    "difference": float(pe[j] - pf[j]),
                    **{f"due_to_{g}": float(phi[g][j]) for g in groups},
                }
            )
    for label, keys, vm, b, _model in (
        ("forecast only", key_f, vf, bf, fm),
        ("evaluation only", key_e, ve, be, em),
    ):
        for key, k in keys.items():
            if key in matched:
                continue
            idx = np.array([k])
            fields = arrays(vm, b, idx)
            pv = float(pv_rows(vm, fields, vm.start[idx], vm.linear[idx])[0])
            side = "forecast" if label == "forecast only" else "evaluation"
            other = "evaluation" if side == "forecast" else "forecast"
            rows.append(
                {
                    "outcome": key[0],
                    "stakeholder": key[1],
                    "status": label,
                    **{f"{f}_{side}": float(fields[f][0, 0]) for f in _SHOWN},
                    **{f"{f}_{other}": None for f in _SHOWN},
                    "pv_forecast": pv if side == "forecast" else 0.0,
                    "pv_evaluation": pv if side == "evaluation" else 0.0,
                    "difference": pv if side == "evaluation" else -pv,
                    **{f"due_to_{g}": 0.0 for g in _GROUPS},
                }
            )
    if not rows:
        raise ValidationError("neither model has outcome rows", path=("outcomes",), code="empty")
    out = pd.DataFrame(rows)
    for f in _SHOWN:  # a side that does not exist is None, never NaN
        for side in ("forecast", "evaluation"):
            col = f"{f}_{side}"
            out[col] = pd.Series([r[col] for r in rows], dtype=object)
    return out
