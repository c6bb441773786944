"""The value map of a long-lived outcome (docs/methods/sroi.md)."""

from __future__ import annotations

import warnings

import pytest

import impactkit as ik


def test_value_map_over_a_long_horizon_warns_nothing_and_sums_to_the_present_value() -> None:
    m = ik.ImpactModel(
        name="long",
        inputs=[ik.Input("grant", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="a", stakeholder="s", quantity=1, proxy=100, duration=120, drop_off=0.01
            )
        ],
    )
    r = ik.sroi(m)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        vm = r.value_map()
    years = [c for c in vm.columns if c.startswith("year_")]
    assert len(years) == 120
    assert vm.columns[-1] == "present_value"
    assert vm["present_value"].sum() == pytest.approx(r.present_value)
    assert vm[years].to_numpy().sum() == pytest.approx(r.by_outcome["total_value"].sum())
