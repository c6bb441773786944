"""ImpactModel, Input, OutcomeValuation, FinancialProxy: values, bad input, consistency."""

from __future__ import annotations

import attrs
import pandas as pd
import pytest

import impactkit as ik
from impactkit.toc import Indicator


def test_pinned_construction():
    toc = ik.TheoryOfChange("Job coaching")
    toc.add_stakeholder("participants", label="Adults with disabilities", size=120)
    toc.add_node("coaching", kind="activity", label="Individual job coaching")
    toc.add_node(
        "employed", kind="outcome", label="In paid work at 12 months", stakeholder="participants"
    )
    toc.add_link("coaching", "employed", assumption="...", evidence=3)
    model = ik.ImpactModel(
        name="...",
        currency="EUR",
        base_year=2024,
        discount=ik.discount.Constant(0.035),
        toc=toc,
        inputs=[ik.Input("Grant", amount=100_000, stakeholder="funder")],
        outcomes=[
            ik.OutcomeValuation(
                outcome="employed",
                stakeholder="participants",
                quantity=45,
                proxy=ik.FinancialProxy(8_000, currency="EUR", year=2024, source="..."),
                duration=3,
                deadweight=0.25,
                displacement=0.0,
                attribution=0.2,
                drop_off=0.1,
            )
        ],
    )
    assert model.inputs[0].year == 0
    assert model.outcomes[0].start_year == 1
    toc.add_node("late", kind="output", label="Added after")
    assert "late" not in model.toc  # the model keeps its own copy
    codes = {p.code for p in model.problems()}
    assert "no_indicator" in codes  # valued outcome without indicator


def test_values_are_frozen():
    ov = ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1, proxy=1)
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ov.quantity = 3
    assert attrs.evolve(ov, quantity=3).quantity == 3.0


def test_outcome_valuation_reports_every_problem():
    with pytest.raises(ik.ValidationError) as ei:
        ik.OutcomeValuation(
            outcome="",
            stakeholder="s",
            quantity=-1,
            proxy=10,
            deadweight=1.4,
            displacement=-0.1,
            attribution="lots",
            drop_off=2,
            duration=2.5,
            start_year=0,
            drop_off_method="sometimes",
            evidence={"deadweight": "rumour"},
        )
    paths = set(ei.value.paths)
    assert paths >= {
        "outcome",
        "quantity",
        "deadweight",
        "displacement",
        "attribution",
        "drop_off",
        "duration",
        "start_year",
        "drop_off_method",
        "evidence.deadweight",
    }


def test_distribution_support_must_stay_admissible():
    with pytest.raises(ik.ValidationError) as ei:
        ik.OutcomeValuation(
            outcome="o", stakeholder="s", quantity=1, proxy=1, deadweight=ik.dist.Normal(0.3, 0.1)
        )
    assert ei.value.problems[0].code == "support"
    ok = ik.OutcomeValuation(
        outcome="o",
        stakeholder="s",
        quantity=1,
        proxy=1,
        deadweight=ik.dist.Normal(0.3, 0.1, low=0, high=1),
        duration=ik.dist.Triangular(1, 2, 4.5),
    )
    assert ok.has_uncertainty


def test_input_bad():
    with pytest.raises(ik.ValidationError) as ei:
        ik.Input("", amount=-5, year=1.5)
    assert set(ei.value.paths) == {"label", "amount", "year"}


def test_currency_and_price_year_checks_name_the_path():
    ov = ik.OutcomeValuation(
        outcome="o",
        stakeholder="s",
        quantity=1,
        proxy=ik.FinancialProxy(10, currency="GBP", year=2020),
    )
    with pytest.raises(ik.ValidationError) as ei:
        ik.ImpactModel(
            name="m",
            currency="EUR",
            base_year=2024,
            inputs=[ik.Input("g", amount=1)],
            outcomes=[ov, ov],
        )
    assert set(ei.value.paths) == {
        "outcomes[0].proxy.currency",
        "outcomes[0].proxy.year",
        "outcomes[1].proxy.currency",
        "outcomes[1].proxy.year",
    }


def test_price_index_moves_proxies_to_base_year():
    idx = ik.PriceIndex.from_series(pd.Series({2020: 100.0, 2024: 118.0}), name="cpi")
    ov = ik.OutcomeValuation(
        outcome="o", stakeholder="s", quantity=1, proxy=ik.FinancialProxy(100, year=2020)
    )
    m = ik.ImpactModel(
        name="m",
        base_year=2024,
        price_index=idx,
        inputs=[ik.Input("g", amount=100)],
        outcomes=[ov],
        discount=0.0,
    )
    assert m.proxy_factor(0) == pytest.approx(1.18)
    assert ik.sroi(m).present_value == pytest.approx(118.0)
    with pytest.raises(ik.ValidationError, match="no value for 2019"):
        ik.ImpactModel(
            name="m",
            base_year=2024,
            price_index=idx,
            outcomes=[attrs.evolve(ov, proxy=ik.FinancialProxy(100, year=2019))],
        )


def test_model_consistency_with_toc():
    toc = ik.TheoryOfChange("t")
    toc.add_stakeholder("p")
    toc.add_node("act", kind="activity", label="A")
    toc.add_node(
        "o",
        kind="outcome",
        label="O",
        stakeholder="p",
        indicators=[Indicator("i", "I", target=1, threshold=1, timeline="1y")],
    )
    toc.add_link("act", "o", rationale="r")
    m = ik.ImpactModel(
        name="m",
        toc=toc,
        inputs=[ik.Input("g", amount=1)],
        outcomes=[
            ik.OutcomeValuation(outcome="ghost", stakeholder="p", quantity=1, proxy=1),
            ik.OutcomeValuation(outcome="o", stakeholder="q", quantity=1, proxy=1),
            ik.OutcomeValuation(outcome="act", stakeholder="p", quantity=1, proxy=1),
        ],
    )
    by = {(p.location, p.code) for p in m.problems()}
    assert ("outcomes[0].outcome", "unknown_node") in by
    assert ("outcomes[1].stakeholder", "stakeholder_mismatch") in by
    assert ("outcomes[1].stakeholder", "unknown_stakeholder") in by
    assert ("outcomes[2].outcome", "not_an_outcome") in by
    with pytest.raises(ik.ValidationError):
        m.validate()


def test_model_bad_fields_all_at_once():
    with pytest.raises(ik.ValidationError) as ei:
        ik.ImpactModel(
            name="",
            currency="euro",
            base_year=1500,
            first_flow_at="t2",
            mode="guess",
            inputs=["x"],
            metadata={"a": object()},
        )
    assert set(ei.value.paths) >= {
        "name",
        "currency",
        "base_year",
        "first_flow_at",
        "mode",
        "inputs[0]",
        "metadata.a",
    }


def test_volunteer_time_and_in_kind():
    v = ik.model.volunteer_time(500, 12, source="SMIC")
    assert v.amount == 6000
    assert v.in_kind
    assert ik.model.in_kind("Premises", 1200).amount == 1200
    with pytest.raises(ik.ValidationError):
        ik.model.volunteer_time(-1, 12)
