"""Life satisfaction to WELLBYs, and the WELLBY's money value without silent conversion."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import impactkit as ik
from impactkit import measure
from impactkit.errors import ValidationError
from impactkit.measure import LifeSatisfaction, wellby_proxy


def test_wellbys_by_hand():
    df = pd.DataFrame({"ls0": [5, 6, 4, np.nan, 7], "ls1": [6, 6.5, 5.5, 7, 6]})
    r = LifeSatisfaction(baseline="ls0", followup="ls1").compute(df)
    d = np.array([1, 0.5, 1.5, -1])
    assert r.quantity == pytest.approx(d.sum())
    assert r.n == 4
    assert r.missing == 1
    assert r.mean_change == pytest.approx(d.mean())
    t = stats.t.ppf(0.975, 3)
    half = t * d.std(ddof=1) / 2
    assert r.ci == pytest.approx((d.mean() - half, d.mean() + half))
    assert r.se == pytest.approx(2 * d.std(ddof=1))


def test_out_of_scale_values_are_errors():
    df = pd.DataFrame({"ls0": [5, 11, -1], "ls1": [6, 6, 12]})
    with pytest.raises(ValidationError) as e:
        LifeSatisfaction(baseline="ls0", followup="ls1").compute(df)
    assert len(e.value.problems) == 2
    assert "rows [1, 2]" in str(e.value)


def test_registered_and_round_trips():
    assert "life_satisfaction" in ik.registry.names("outcome")
    calc = LifeSatisfaction(baseline="a", followup="b", data="survey")
    spec = calc.to_dict()
    assert spec["calculator"] == "life_satisfaction"
    rebuilt = ik.registry.get("outcome", "life_satisfaction").from_dict(
        {k: v for k, v in spec.items() if k != "calculator"}
    )
    assert rebuilt == calc


def test_wellby_value_and_no_silent_conversion():
    p = wellby_proxy()
    assert (p.value, p.currency, p.year) == (13_000.0, "GBP", 2019)
    d = wellby_proxy(distribution=True).value
    assert isinstance(d, ik.dist.Triangular)
    assert (d.low, d.mode, d.high) == (10_000.0, 13_000.0, 16_000.0)
    eur = wellby_proxy(rate=1.2, currency="EUR", rate_source="illustrative")
    assert eur.value == pytest.approx(15_600.0)
    assert "1.2 EUR per GBP" in eur.source
    with pytest.raises(ValidationError):
        wellby_proxy(rate=1.2)
    with pytest.raises(ValidationError):
        wellby_proxy(rate=-1.0, currency="EUR")


def test_sroi_with_wellbys():
    df = pd.DataFrame({"ls0": [5.0, 6.0, 4.0], "ls1": [6.0, 6.5, 5.5]})
    model = ik.ImpactModel(
        name="w",
        currency="GBP",
        base_year=2019,
        discount=ik.discount.Constant(0.0),
        inputs=[ik.Input("Grant", amount=10_000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="ls",
                stakeholder="people",
                quantity=measure.LifeSatisfaction(baseline="ls0", followup="ls1", data="s"),
                proxy=wellby_proxy(),
                duration=1,
            )
        ],
    )
    res = ik.sroi(model, data={"s": df})
    assert res.present_value == pytest.approx(3.0 * 13_000)
    with pytest.raises(ValidationError, match="never converts currencies"):
        model.evolve(currency="EUR")
