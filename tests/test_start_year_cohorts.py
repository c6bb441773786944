"""Outcomes that start after the period after: a forecast's later cohorts.

V(t) = impact (1 - d)^(t - s) for s <= t <= s + D - 1, discounted at t
(docs/methods/sroi.md, "Duration, start year and drop-off"). A start year is a
whole year from 1 to 100; years 3 and later were refused before.
"""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit import portfolio as pf
from impactkit.methods import AvoidedCostItem, avoided_costs


def _model(start: int, *, duration: int = 3, drop_off: float = 0.2) -> ik.ImpactModel:
    row = ik.OutcomeValuation(
        outcome="job",
        stakeholder="people",
        quantity=10,
        proxy=1000.0,
        deadweight=0.25,
        duration=duration,
        drop_off=drop_off,
        start_year=start,
    )
    return ik.ImpactModel(
        "cohorts", inputs=[ik.Input("grant", amount=20_000.0)], outcomes=[row], discount=0.035
    )


def test_a_cohort_starting_in_year_4_by_hand() -> None:
    res = ik.sroi(_model(4))
    impact = 10 * 1000.0 * 0.75
    want = sum(impact * 0.8**j / 1.035 ** (4 + j) for j in range(3))
    assert res.present_value == pytest.approx(want, rel=1e-12)
    years = res.by_year.set_index("year")["value"]
    assert years.loc[1:3].sum() == 0.0
    assert years.loc[4] == pytest.approx(impact)
    assert years.loc[6] == pytest.approx(impact * 0.8**2)
    assert res.payback_months is None  # nothing in year 1


@settings(max_examples=30, deadline=None)
@given(start=st.integers(1, 12), duration=st.integers(1, 6), d=st.floats(0, 0.9))
def test_a_later_start_is_the_same_stream_discounted_further(
    start: int, duration: int, d: float
) -> None:
    first = ik.sroi(_model(1, duration=duration, drop_off=d)).present_value
    later = ik.sroi(_model(start, duration=duration, drop_off=d)).present_value
    assert later == pytest.approx(first / 1.035 ** (start - 1), rel=1e-12)


def test_the_portfolio_and_the_workbook_agree_with_the_model(tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = _model(5)
    out, inp = pf.from_models({"site": m})
    got = pf.evaluate(out, inp, discount=0.035)["present_value"].iloc[0]
    assert got == pytest.approx(ik.sroi(m).present_value, rel=1e-12)
    p = tmp_path / "cohorts.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    back = ik.io.read_value_map(p)
    assert back.outcomes[0].start_year == 5
    assert ik.sroi(back).present_value == pytest.approx(ik.sroi(m).present_value, rel=1e-12)


def test_round_trip_through_the_file_form() -> None:
    m = _model(7)
    assert ik.model.from_dict(ik.model.to_dict(m)) == m


@pytest.mark.parametrize("bad", [0, 101, 2.5, -1])
def test_start_years_outside_1_100_are_refused(bad: float) -> None:
    with pytest.raises(ik.errors.ValidationError) as err:
        attrs.evolve(_model(1).outcomes[0], start_year=bad)
    assert list(err.value.paths) == ["start_year"]
    table = pd.DataFrame({"site": ["a"], "quantity": [1.0], "proxy": [1.0], "start_year": [bad]})
    with pytest.raises(ik.errors.ValidationError, match="start_year"):
        pf.evaluate(table, pd.DataFrame({"site": ["a"], "amount": [1.0]}))


def test_avoided_costs_of_a_later_cohort() -> None:
    costs = ik.examples.load_unit_costs()
    now = avoided_costs(
        [AvoidedCostItem("rsa_month", people=12, reduction=8)], costs, discount=0.0
    )
    later = avoided_costs(
        [AvoidedCostItem("rsa_month", people=12, reduction=8, start_year=3)], costs, discount=0.0
    )
    assert later.present_value == pytest.approx(now.present_value)
    by_year = later.by_year.set_index("year")["avoided"]
    assert by_year.loc[3] == pytest.approx(now.present_value)
    assert np.allclose(by_year.drop(3).to_numpy(), 0.0)


def test_a_refused_start_year_is_said_in_french(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    import json

    from impactkit.cli import main

    d = ik.model.to_dict(_model(1))
    d["outcomes"][0]["start_year"] = 0
    p = tmp_path / "m.json"
    p.write_text(json.dumps(d), encoding="utf-8")
    assert main(["validate", str(p), "--lang", "fr"]) == 1
    out = capsys.readouterr().out
    assert "année de début : doit être une année entière de 1" in out
    assert "reçu 0" in out
