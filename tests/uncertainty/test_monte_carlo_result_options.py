"""The summaries of a Monte Carlo result check their arguments as ValidationErrors."""

from __future__ import annotations

import math

import numpy as np
import pytest

import impactkit as ik
from impactkit.dist import Uniform
from impactkit.errors import ValidationError


@pytest.fixture(scope="module")
def mc() -> ik.MonteCarloResult:
    m = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=Uniform(5, 15), proxy=150)
        ],
    )
    return ik.monte_carlo(m, n=500, seed=1)


@pytest.mark.parametrize(
    ("q", "path"),
    [([150], ("q", 0)), ([5, math.nan], ("q", 1)), ([5, None], ("q", 1)), ("abc", ("q",))],
)
def test_bad_percentiles(mc: ik.MonteCarloResult, q: object, path: tuple[object, ...]) -> None:
    with pytest.raises(ValidationError) as err:
        mc.percentiles(q)  # type: ignore[arg-type]
    assert [p.path for p in err.value.problems] == [path]


@pytest.mark.parametrize("level", ["a", None, math.nan, 0, 1])
def test_bad_level(mc: ik.MonteCarloResult, level: object) -> None:
    with pytest.raises(ValidationError) as err:
        mc.interval(level)  # type: ignore[arg-type]
    assert [p.path for p in err.value.problems] == [("level",)]


@pytest.mark.parametrize("x", ["a", None, math.nan])
def test_bad_threshold(mc: ik.MonteCarloResult, x: object) -> None:
    with pytest.raises(ValidationError) as err:
        mc.probability_ratio_above(x)  # type: ignore[arg-type]
    assert [p.path for p in err.value.problems] == [("x",)]


def test_good_arguments_agree_with_numpy(mc: ik.MonteCarloResult) -> None:
    r = mc.present_value / mc.total_inputs
    np.testing.assert_allclose(mc.percentiles((5, 50, 95)), np.percentile(r, [5, 50, 95]))
    np.testing.assert_allclose(mc.percentiles(np.array([10.0])), np.percentile(r, [10]))
    assert mc.interval(0.9) == tuple(np.quantile(r, [0.05, 0.95]))
    assert mc.probability_ratio_above(1.5) == np.mean(r > 1.5)
    d = mc.to_dict()
    assert d["metrics"]["ratio"]["p50"] == mc.percentiles()[50]
    assert d["probability_ratio_above_1"] == mc.probability_ratio_above()
