"""The discount rate's tipping value when the ratio crosses its target more than once."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import optimize

import impactkit as ik
from impactkit.uncertainty import tipping_points


def _model(rate: float = 0.035) -> ik.ImpactModel:
    # 100 in year 1, a harm of 50 in year 5, 60 of inputs in year 0:
    # PV(r) = 100/(1+r) - 50/(1+r)^5 rises to r = 2.5^(1/4) - 1 then falls,
    # so PV/I = 1 at two rates while the ratio is below 1 at both 0 and 1
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=60)],
        outcomes=[
            ik.OutcomeValuation(outcome="gain", stakeholder="s", quantity=1, proxy=100),
            ik.OutcomeValuation(
                outcome="harm", stakeholder="s", quantity=1, proxy=-50, start_year=5
            ),
        ],
        discount=ik.discount.Constant(rate),
    )


def _gap(r: float) -> float:
    return 100 / (1 + r) - 50 / (1 + r) ** 5 - 60


@pytest.mark.parametrize(("base", "nearest"), [(0.035, 0), (0.7, 1), (0.3, 0)])
def test_rate_crossing_inside_a_same_sign_range_is_found(base: float, nearest: int) -> None:
    peak = 2.5**0.25 - 1
    roots = [optimize.brentq(_gap, 0, peak), optimize.brentq(_gap, peak, 1)]
    assert ik.sroi(_model(0.0)).ratio < 1
    assert ik.sroi(_model(1.0)).ratio < 1
    row = tipping_points(_model(base), parameters=["discount.rate"]).iloc[0]
    assert row["attainable"]
    assert row["method"] == "brent"
    # the crossing nearest to the base rate, the other one named in the note
    assert row["tipping_value"] == pytest.approx(roots[nearest], abs=1e-9)
    assert "2 rates" in row["note"]
    assert ik.sroi(_model(row["tipping_value"])).ratio == pytest.approx(1.0, abs=1e-9)


def test_rate_never_reaching_the_target_is_not_attainable() -> None:
    row = tipping_points(_model(), target=1.2, parameters=["discount.rate"]).iloc[0]
    grid = np.linspace(0, 1, 2001)
    assert max(_gap(r) + 60 for r in grid) / 60 < 1.2
    assert not row["attainable"]
    assert row["tipping_value"] is None
    assert row["note"].startswith("the ratio stays below 1.2")


def test_single_crossing_unchanged() -> None:
    m = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=250)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=1, proxy=100, duration=5)
        ],
    )
    row = tipping_points(m, parameters=["discount.rate"]).iloc[0]

    def gap(r: float) -> float:
        return sum(100 / (1 + r) ** t for t in range(1, 6)) - 250

    assert row["tipping_value"] == pytest.approx(optimize.brentq(gap, 0, 1), abs=1e-10)
    assert row["note"] == ""
