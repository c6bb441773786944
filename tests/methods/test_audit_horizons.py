"""Year tables end at the last year any row reaches (docs/methods/avoided_costs.md)."""

from __future__ import annotations

import numpy as np
import pytest

import impactkit as ik
from impactkit import kernel
from impactkit import methods as M
from impactkit.valuation import UnitCost

CATALOGUE = {
    "night": UnitCost("night", "Shelter night", 30.0, "night", "etat", 2024, "illustrative"),
    "rsa": UnitCost(
        "rsa", "RSA month", 600.0, "month", "departement", 2024, "illustrative", transfer=True
    ),
}


def test_year_values_stop_at_the_last_year_a_row_reaches() -> None:
    # row 0: years 1-5; row 1: year 4 only -> the last year reached is 5, not 4 + 5 - 1
    one = np.ones((1, 2))
    z = np.zeros((1, 2))
    v = kernel.year_values(
        one,
        one,
        z,
        z,
        z,
        z,
        z,
        np.array([[5.0, 1.0]]),
        start=np.array([1, 4]),
        linear=np.array([False, False]),
    )
    assert v.shape == (1, 2, 5)
    assert v[0].sum(axis=0).tolist() == [1.0, 1.0, 1.0, 2.0, 1.0]


def test_extra_revenue_counts_only_the_years_of_the_analysis() -> None:
    items = [
        M.AvoidedCostItem("night", people=10, reduction=100, duration=5),
        M.AvoidedCostItem("rsa", people=1, reduction=1, duration=1, start_year=4),
    ]
    r = M.avoided_costs(
        items, CATALOGUE, public_funding=[20_000], extra_revenue=1000, discount=0.0
    )
    # by hand: 10 x 100 x 30 a year for 5 years, 600 in year 4, 1,000 of revenue in years 1-5
    assert r.by_year["year"].tolist() == [1, 2, 3, 4, 5]
    assert r.revenue == pytest.approx(5 * 1000)
    assert r.present_value == pytest.approx(5 * 30_000 + 600 + 5 * 1000)
    assert r.by_year["present_value"].sum() == pytest.approx(r.present_value)


def test_sroi_year_table_has_no_trailing_empty_years() -> None:
    m = ik.ImpactModel(
        name="cohorts",
        inputs=[ik.Input("grant", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=1, proxy=100, duration=5),
            ik.OutcomeValuation(
                outcome="b", stakeholder="s", quantity=1, proxy=100, duration=1, start_year=4
            ),
        ],
    )
    r = ik.sroi(m)
    assert r.by_year["year"].tolist() == [1, 2, 3, 4, 5]
    assert [c for c in r.value_map().columns if c.startswith("year_")] == [
        f"year_{t}" for t in range(1, 6)
    ]
    assert r.to_frame()["present_value"].sum() == pytest.approx(r.present_value)


def test_avoided_costs_refuse_bad_funding_revenue_and_rate_at_once() -> None:
    items = [M.AvoidedCostItem("night", people=10, reduction=100)]
    with pytest.raises(ik.ValidationError) as exc:
        M.avoided_costs(
            items,
            CATALOGUE,
            public_funding=[1000.0, float("nan"), -5.0],
            extra_revenue=float("inf"),
            discount=float("nan"),
        )
    paths = {p.path for p in exc.value.problems}
    assert paths == {
        ("public_funding", 1),
        ("public_funding", 2),
        ("extra_revenue",),
        ("discount",),
    }


def test_avoided_costs_warn_when_price_years_are_mixed_without_a_base_year() -> None:
    cat = dict(CATALOGUE)
    cat["old"] = UnitCost("old", "Old night", 20.0, "night", "etat", 2012, "illustrative")
    items = [
        M.AvoidedCostItem("night", people=1, reduction=1),
        M.AvoidedCostItem("old", people=1, reduction=1),
    ]
    r = M.avoided_costs(items, cat, discount=0.0)
    assert r.present_value == pytest.approx(50.0)  # added as they are
    codes = [w.code for w in r.warnings]
    assert codes == ["price_years_differ"]
    assert "2012, 2024" in r.warnings[0].message
    one_year = M.avoided_costs(items[:1], cat, discount=0.0)
    assert [w.code for w in one_year.warnings] == []
