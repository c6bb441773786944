"""Tornado and tipping points never hand out an infinite ratio, and check their options."""

from __future__ import annotations

import math

import numpy as np
import pytest

import impactkit as ik
from impactkit.dist import Uniform
from impactkit.errors import ValidationError
from impactkit.uncertainty import tipping_points, tornado


def _model(amount: float = 1000.0) -> ik.ImpactModel:
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=amount)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=Uniform(5, 15), proxy=150)
        ],
    )


def test_swing_to_zero_inputs_is_refused_for_the_ratio() -> None:
    # swing 1 moves the one input to 0: the ratio 1500 / 0 is undefined
    with pytest.raises(ValidationError) as err:
        tornado(_model(), swing=1.0)
    (p,) = err.value.problems
    assert p.path == ("inputs", 0, "amount")
    assert p.code == "no_inputs"


def test_swing_to_zero_inputs_is_fine_for_the_net_present_value() -> None:
    t = tornado(_model(), swing=1.0, metric="net_present_value")
    row = t.set_index("parameter").loc["inputs[0].amount"]
    assert row["low_value"] == 0.0
    pv = ik.sroi(_model()).present_value
    assert row["metric_low"] == pytest.approx(pv)
    assert np.isfinite(t.select_dtypes("number").to_numpy(dtype=float)).all()


def test_another_input_keeps_the_ratio_defined() -> None:
    m = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1000), ik.Input("In kind", amount=500)],
        outcomes=[ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=10, proxy=150)],
    )
    t = tornado(m, swing=1.0).set_index("parameter")
    assert t.loc["inputs[0].amount", "metric_low"] == pytest.approx(ik.sroi(m).present_value / 500)
    assert np.isfinite(t.select_dtypes("number").to_numpy(dtype=float)).all()


@pytest.mark.parametrize("fn", [tornado, tipping_points])
def test_zero_inputs_at_base_is_refused(fn: object) -> None:
    with pytest.raises(ValidationError) as err:
        fn(_model(amount=0.0))  # type: ignore[operator]
    assert [(p.path, p.code) for p in err.value.problems] == [(("inputs",), "no_inputs")]


@pytest.mark.parametrize("swing", ["a", None, math.nan, math.inf, -0.1, 11])
def test_bad_swing_is_a_validation_error(swing: object) -> None:
    with pytest.raises(ValidationError) as err:
        tornado(_model(), swing=swing)  # type: ignore[arg-type]
    assert err.value.problems[0].path == ("swing",)


@pytest.mark.parametrize("target", ["a", None, math.nan, math.inf])
def test_bad_target_is_a_validation_error(target: object) -> None:
    with pytest.raises(ValidationError) as err:
        tipping_points(_model(), target=target)  # type: ignore[arg-type]
    assert err.value.problems[0].path == ("target",)
