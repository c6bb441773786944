"""Outcomes contracts: achievements and cost per outcome (docs/methods/contracts.md)."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit.methods import OutcomesContract, PaymentRule


def _contract() -> OutcomesContract:
    return OutcomesContract(
        rules=[PaymentRule("jobs", price=4_000, period=2, threshold=50)], drawdowns=[300_000]
    )


def test_settle_refuses_a_nan_achievement_instead_of_paying_nothing() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        _contract().settle({"jobs": float("nan")})
    assert [p.path for p in exc.value.problems] == [("achieved", "jobs")]


def test_simulate_refuses_a_nan_fixed_achievement() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        _contract().simulate({"jobs": float("nan")}, n=10, seed=0)
    assert [p.path for p in exc.value.problems] == [("achieved", "jobs")]


def test_cost_per_outcome_counts_additional_outcomes_against_a_comparison_group() -> None:
    def rule(**kw: float | str) -> PaymentRule:
        return PaymentRule(
            "retour_emploi", period=1, threshold=0.03, comparison="groupe", cohort=200, **kw
        )  # type: ignore[arg-type]

    c = OutcomesContract(
        rules=[rule(price=0.0, fixed=400_000), rule(price=2_500, counted="above", cap=60_000)],
        drawdowns=[400_000],
        avoided_cost_per_outcome={"retour_emploi": 30_000, "groupe": 1_000},
    )
    r = c.settle({"retour_emploi": 0.47, "groupe": 0.41})
    # by hand: 0.06 x 200 = 12 additional returns to work; 400,000 + 0.03 x 200 x 2,500 paid
    paid = 400_000 + 15_000
    assert r.payer_cost == pytest.approx(paid)
    assert r.cost_per_outcome["retour_emploi"] == pytest.approx(paid / 12)
    assert r.payer_net == pytest.approx(30_000 * 12 - paid)


def test_cost_per_outcome_with_a_cohort_and_no_comparison() -> None:
    c = OutcomesContract(
        rules=[PaymentRule("effet", price=2_000, period=1, cohort=100)], drawdowns=[10_000]
    )
    r = c.settle({"effet": 0.1})  # an effect of 10 points on 100 people: 10 outcomes
    assert r.payer_cost == pytest.approx(20_000)
    assert r.cost_per_outcome["effet"] == pytest.approx(2_000)


def test_simulation_summary_shows_no_nan_when_no_draw_has_an_irr() -> None:
    # flows -100, +230, -132 in every draw: two IRRs (10 % and 20 %), so none is kept
    c = OutcomesContract(rules=[PaymentRule("jobs", price=1, period=1)], drawdowns=[100, 0, 132])
    s = c.simulate({"jobs": 230}, n=3, seed=1)
    assert s.irr_undefined == 3
    lines = dict(s.summary().lines)
    assert lines["IRR P5 / P50 / P95"] == "- / - / -"
    assert lines["Draws without a unique IRR"] == "3"
    assert "nan" not in s.summary().as_text()
