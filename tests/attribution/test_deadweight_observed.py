"""The deadweight's observed level p1 is that of the participants the effect is about."""

from __future__ import annotations

import warnings

import attrs
import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import attribution as att


def _two_by_two() -> pd.DataFrame:
    # docs/methods/attribution.md: treated means 10 -> 16, control 8 -> 11, effect 3
    return pd.DataFrame(
        {
            "id": [1, 1, 2, 2, 3, 3, 4, 4],
            "year": [0, 1] * 4,
            "d": [1, 1, 1, 1, 0, 0, 0, 0],
            "y": [9, 15, 11, 17, 7, 10, 9, 12],
        }
    )


@pytest.mark.parametrize(
    ("kind", "observed", "deadweight"),
    [("rate", 16.0, 1 - 3 / 16), ("change", 6.0, 1 - 3 / 6)],
)
def test_difference_in_differences_reads_the_post_level_or_the_change(
    kind: str, observed: float, deadweight: float
) -> None:
    calc = att.CounterfactualDeadweight(
        estimator="did",
        outcome="y",
        treatment="d",
        kind=kind,
        estimate_kwargs={"entity": "id", "time": "year"},
    )
    dw = calc.compute(_two_by_two())
    assert dw.effect == pytest.approx(3.0)
    assert dw.observed == pytest.approx(observed)
    assert dw.deadweight == pytest.approx(deadweight)


def test_two_way_fixed_effects_refuse_a_change_deadweight() -> None:
    rng = np.random.default_rng(0)
    unit = np.repeat(np.arange(20), 4)
    t = np.tile(np.arange(4), 20)
    d = ((unit < 10) & (t >= 2)).astype(int)
    df = pd.DataFrame({"id": unit, "t": t, "d": d, "y": 5 + d + rng.normal(size=80)})
    calc = att.CounterfactualDeadweight(
        estimator="did",
        outcome="y",
        treatment="d",
        kind="change",
        estimate_kwargs={"entity": "id", "time": "t"},
    )
    with pytest.raises(ik.ValidationError) as ei:
        calc.compute(df)
    assert "kind" in ei.value.paths
    rate = attrs.evolve(calc, kind="rate").compute(df)
    assert rate.observed == pytest.approx(df.loc[df.d == 1, "y"].mean())


def test_trimmed_and_dropped_units_leave_p1() -> None:
    # known scores: the treated unit at e = 0.95 is trimmed, one treated row lacks its score
    df = pd.DataFrame(
        {
            "w": [1, 1, 1, 1, 0, 0, 0, 0],
            "y": [1.0, 1, 0, 1, 0, 1, 0, 0],
            "e": [0.5, 0.4, 0.95, np.nan, 0.5, 0.3, 0.6, 0.2],
        }
    )
    calc = att.CounterfactualDeadweight(
        estimator="ipw",
        outcome="y",
        treatment="w",
        options={"estimand": "ATT", "trim": 0.1, "dropna": True},
        estimate_kwargs={"propensity": "e"},
    )
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        dw = calc.compute(df)
    # the treated kept: y = 1 and 1 (the trimmed unit's 0 and the dropped row are out)
    assert dw.observed == pytest.approx(1.0)
    # ATT with weights e/(1-e) on the controls kept (e = 0.5, 0.3, 0.6, 0.2)
    e0 = np.array([0.5, 0.3, 0.6, 0.2])
    y0 = np.array([0.0, 1, 0, 0])
    w0 = e0 / (1 - e0)
    assert dw.effect == pytest.approx(1.0 - (w0 @ y0) / w0.sum())
    assert dw.deadweight == pytest.approx(1 - dw.effect / 1.0)


def test_matching_caliper_drops_treated_from_p1() -> None:
    df = pd.DataFrame(
        {
            "w": [1, 1, 1, 0, 0, 0],
            "y": [3.0, 2.0, 10.0, 1.0, 1.5, 0.5],
            "e": [0.40, 0.50, 0.97, 0.41, 0.49, 0.30],
        }
    )
    est = att.PropensityScoreMatching(caliper=0.2).estimate(
        df, outcome="y", treatment="w", propensity="e"
    )
    assert est.dropped["caliper"] == 1
    assert est.diagnostics["outcome_mean_treated"] == pytest.approx(2.5)
    dw = att.deadweight_from_effect(est, est.diagnostics["outcome_mean_treated"])
    calc = att.CounterfactualDeadweight(
        estimator="psm",
        outcome="y",
        treatment="w",
        options={"caliper": 0.2},
        estimate_kwargs={"propensity": "e"},
    )
    assert calc.compute(df).observed == pytest.approx(2.5)
    assert calc.compute(df).deadweight == pytest.approx(dw.deadweight)
