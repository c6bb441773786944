"""Outcome contracts paying on a difference against a comparison group or an estimated effect."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import impactkit as ik
from impactkit.attribution import DifferenceInMeans, EffectEstimate
from impactkit.errors import ValidationError
from impactkit.methods import OutcomesContract, PaymentRule


def _rule(**kw):
    base = {
        "metric": "retour_emploi",
        "price": 2_000.0,
        "period": 1,
        "threshold": 0.03,
        "comparison": "comparaison",
        "cohort": 200,
    }
    base.update(kw)
    return PaymentRule(**base)


@pytest.mark.parametrize(
    ("treated", "comparison", "counted", "fixed", "cap", "expected"),
    [
        (0.42, 0.40, "all", 0.0, None, 0.0),  # +2 points: no payment
        (0.43, 0.40, "all", 0.0, None, 0.03 * 200 * 2000),  # exactly +3 points
        (0.50, 0.40, "all", 0.0, None, 0.10 * 200 * 2000),
        (0.50, 0.40, "above", 0.0, None, 0.07 * 200 * 2000),
        (0.50, 0.40, "above", 10_000.0, None, 10_000 + 0.07 * 200 * 2000),
        (0.50, 0.40, "above", 10_000.0, 30_000.0, 30_000.0),
        (0.38, 0.40, "above", 10_000.0, 30_000.0, 0.0),  # worse than comparison
    ],
)
def test_payment_triggers_by_hand(treated, comparison, counted, fixed, cap, expected):
    r = _rule(counted=counted, fixed=fixed, cap=cap)
    got = r.pay(np.array([treated]), np.array([comparison]))[0]
    assert got == pytest.approx(expected)
    assert bool(r.triggered(np.array([treated]), np.array([comparison]))[0]) == (expected > 0)


def test_absolute_rules_unchanged():
    r = PaymentRule("jobs", price=100, period=1, threshold=10, counted="above", cap=500)
    np.testing.assert_allclose(r.pay(np.array([5.0, 10.0, 12.0, 30.0])), [0, 0, 200, 500])


def test_contract_evaluate_against_comparison_group():
    c = OutcomesContract(rules=[_rule(counted="above", fixed=50_000)], drawdowns=[60_000])
    res = c.settle({"retour_emploi": 0.47, "comparaison": 0.40})
    assert c.metrics == ["retour_emploi", "comparaison"]
    assert res.payer_cost == pytest.approx(50_000 + 0.04 * 200 * 2000)
    with pytest.raises(ValidationError):
        c.settle({"retour_emploi": 0.47})  # comparison missing


def test_invalid_rules_listed():
    with pytest.raises(ValidationError) as e:
        PaymentRule("a", price=1, period=1, comparison="a", cohort=0, fixed=-1)
    assert len(e.value.problems) == 3


def _estimate(effect, se, df=None):
    return EffectEstimate(
        effect=effect,
        se=se,
        ci=(effect - 1.96 * se, effect + 1.96 * se),
        level=0.95,
        df=df,
        estimand="ATT",
        method="test",
        n_treated=200,
        n_control=200,
    )


def test_effect_estimate_uncertainty_reaches_payments_irr_and_cost():
    rule = PaymentRule(
        "retour_emploi", price=2_000, period=1, threshold=0.03, cohort=200, fixed=100_000
    )
    c = OutcomesContract(rules=[rule], drawdowns=[100_000])
    est = _estimate(0.05, 0.01)
    point = c.settle({"retour_emploi": est})
    assert point.payer_cost == pytest.approx(100_000 + 0.05 * 200 * 2000)
    sim = c.simulate({"retour_emploi": est}, n=200_000, seed=1)
    p = stats.norm.cdf((0.05 - 0.03) / 0.01)
    assert sim.probability_triggered[0] == pytest.approx(p, abs=0.003)
    # E[cost] = P(trigger) (fixed + price c E[x | x >= tau]) by the normal partial mean
    z = (0.03 - 0.05) / 0.01
    partial = 0.05 * stats.norm.sf(z) + 0.01 * stats.norm.pdf(z)
    expected = 100_000 * p + 2_000 * 200 * partial
    assert sim.expected_payer_cost == pytest.approx(expected, rel=0.005)
    assert sim.payments.shape == (200_000, 1)
    assert sim.probability_of_loss == pytest.approx(1 - p, abs=0.003)
    assert np.ptp(sim.irr) > 0
    # a t reference with few degrees of freedom has fatter tails: more misses
    sim_t = c.simulate({"retour_emploi": _estimate(0.05, 0.01, df=3)}, n=200_000, seed=1)
    assert sim_t.probability_triggered[0] == pytest.approx(stats.t.cdf(2.0, 3), abs=0.003)


def test_estimate_from_an_attribution_estimator():
    rng = np.random.default_rng(0)
    n = 800
    t = rng.integers(0, 2, n)
    y = rng.binomial(1, 0.40 + 0.06 * t).astype(float)
    est = DifferenceInMeans().estimate(pd.DataFrame({"y": y, "t": t}), outcome="y", treatment="t")
    rule = PaymentRule("retour_emploi", price=1_000, period=1, threshold=0.03, cohort=400)
    c = OutcomesContract(rules=[rule], drawdowns=[10_000])
    sim = c.simulate({"retour_emploi": est}, n=50_000, seed=2)
    p = (
        stats.t.sf((0.03 - est.effect) / est.se, est.df)
        if est.df
        else stats.norm.sf((0.03 - est.effect) / est.se)
    )
    assert sim.probability_triggered[0] == pytest.approx(p, abs=0.01)
    np.testing.assert_allclose(
        sim.achieved["retour_emploi"].mean(), est.effect, atol=4 * est.se / 200
    )
    assert ik.methods.PaymentRule is PaymentRule
