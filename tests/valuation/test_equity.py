"""Distributional weights against the Green Book formula, shown beside unweighted values."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit.errors import ValidationError
from impactkit.methods import cba
from impactkit.valuation import EquityWeights, distributional_weights


@pytest.mark.parametrize(
    ("income", "reference", "eta", "expected"),
    [
        (20_000, 40_000, 1.0, 2.0),
        (40_000, 20_000, 1.0, 0.5),
        (10_000, 20_000, 1.3, 2.0**1.3),
        (30_000, 30_000, 1.3, 1.0),
        (12_345, 27_000, 0.0, 1.0),
    ],
)
def test_weights_against_formula(income, reference, eta, expected):
    assert distributional_weights(income, reference=reference, eta=eta) == pytest.approx(expected)


def test_default_eta_is_green_book():
    assert distributional_weights(10_000, reference=20_000) == pytest.approx(2.0**1.3)


@given(st.floats(100, 1e6), st.floats(100, 1e6), st.floats(100, 1e6), st.floats(0, 3))
def test_weights_decrease_with_income(y1, y2, ref, eta):
    lo, hi = sorted((y1, y2))
    w = distributional_weights([lo, hi], reference=ref, eta=eta)
    assert w[0] >= w[1]
    np.testing.assert_allclose(w, (ref / np.array([lo, hi])) ** eta)


def test_series_keeps_index_and_bad_incomes_listed():
    s = pd.Series([10_000.0, 20_000.0], index=["a", "b"])
    w = distributional_weights(s, reference=20_000, eta=1.0)
    assert list(w.index) == ["a", "b"]
    assert w["a"] == 2.0
    with pytest.raises(ValidationError) as e:
        distributional_weights([0.0, -5.0, np.nan, 1.0], reference=-1, eta=-1)
    assert len(e.value.problems) == 5


def test_equity_weights_groups_and_contract():
    eq = EquityWeights(
        {"D1": 10_000, "D5": 20_000},
        reference=20_000,
        eta=1.0,
        groups={"participants": "D1", "families": "D5"},
        source="illustrative incomes",
    )
    assert eq.weight("participants") == 2.0
    assert eq.weight("families") == 1.0
    assert eq.weight("funder") == 1.0
    assert hash(eq) == hash(eq)
    json.dumps(eq.to_dict(), allow_nan=False)
    assert "eta" in str(eq.summary()).lower()
    with pytest.raises(ValidationError) as e:
        EquityWeights({"D1": -1}, reference=0, groups={"x": "D9"})
    assert len(e.value.problems) == 3


def _model():
    return ik.ImpactModel(
        name="m",
        currency="EUR",
        discount=ik.discount.Constant(0.0),
        inputs=[ik.Input("Grant", amount=10_000, stakeholder="funder")],
        outcomes=[
            ik.OutcomeValuation(
                outcome="a", stakeholder="participants", quantity=10, proxy=1000, duration=1
            ),
            ik.OutcomeValuation(
                outcome="b", stakeholder="families", quantity=10, proxy=500, duration=1
            ),
        ],
    )


def test_sroi_weighted_beside_unweighted():
    eq = EquityWeights({"participants": 10_000, "families": 20_000}, reference=20_000, eta=1.0)
    plain = ik.sroi(_model())
    res = ik.sroi(_model(), equity=eq)
    # unweighted figures are untouched
    assert res.present_value == plain.present_value == 15_000
    assert res.ratio == plain.ratio
    assert plain.weighted_present_value is None
    assert res.weighted_present_value == pytest.approx(10_000 * 2 + 5_000 * 1)
    assert res.weighted_total_inputs == 10_000  # the funder has no income: weight 1
    assert res.weighted_ratio == pytest.approx(2.5)
    t = res.weighted_by_stakeholder
    assert {"present_value", "weight", "weighted_present_value"} <= set(t.columns)
    d = res.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["present_value"] == 15_000
    assert d["weighted_present_value"] == pytest.approx(25_000)
    text = str(res.summary())
    assert "equity-weighted" in text
    assert "Present value  " in text or "Present value " in text
    assert "weighted" not in json.dumps(plain.to_dict())


def test_cba_weighted_beside_unweighted():
    flows = pd.DataFrame(
        {
            "year": [0, 1, 1],
            "amount": [100.0, 80.0, 40.0],
            "kind": ["cost", "benefit", "benefit"],
            "perspective": ["etat", "beneficiaries", "others"],
        }
    )
    eq = EquityWeights({"beneficiaries": 10_000}, reference=20_000, eta=1.0)
    plain = cba(flows, 0.0)
    r = cba(flows, 0.0, equity=eq)
    assert r.npv == plain.npv == 20.0
    assert plain.weighted_npv is None
    assert r.weighted_pv_benefits == pytest.approx(80 * 2 + 40)
    assert r.weighted_npv == pytest.approx(200 - 100)
    bp = r.by_perspective.set_index("perspective")
    assert bp.loc["beneficiaries", "weighted_npv"] == pytest.approx(160)
    assert bp.loc["beneficiaries", "npv"] == pytest.approx(80)


def test_stakeholders_carry_income_and_round_trip(tmp_path):
    toc = ik.TheoryOfChange("t")
    toc.add_stakeholder("participants", income=11_000)
    toc.add_stakeholder("familles", income_group="D5")
    toc.add_stakeholder("financeur")
    toc.add_node("a", kind="activity", label="A")
    toc.add_node("o", kind="outcome", label="O", stakeholder="participants")
    toc.add_link("a", "o")
    eq = EquityWeights.from_toc(toc, reference=22_000, eta=1.0, group_incomes={"D5": 22_000})
    assert eq.weight("participants") == 2.0
    assert eq.weight("familles") == 1.0
    assert eq.weight("financeur") == 1.0
    back = ik.TheoryOfChange.from_dict(toc.to_dict())
    assert [s.income for s in back.stakeholders] == [11_000, None, None]
    assert [s.income_group for s in back.stakeholders] == [None, "D5", None]
    with pytest.raises(ValidationError) as e:
        EquityWeights.from_toc(toc, reference=22_000)  # group D5 has no income
    assert "D5" in str(e.value)
    with pytest.raises(ValidationError):
        toc.add_stakeholder("bad", income=-5)
    model = ik.ImpactModel(
        name="m",
        toc=toc,
        inputs=[ik.Input("Grant", amount=1_000)],
        outcomes=[
            ik.OutcomeValuation(outcome="o", stakeholder="participants", quantity=1, proxy=500)
        ],
    )
    path = tmp_path / "m.json"
    ik.dump(model, path)
    assert ik.load(path).toc.stakeholders[0].income == 11_000
