"""One-at-a-time sensitivity is linear in the number of outcomes, in memory and time.

The tornado and the tipping points move one parameter at a time. They use
that the SROI is additive over rows and inputs (a row's parameter changes only
that row's present value); these tests check the result against evaluating
the whole model once per moved parameter, and bound the memory on a model of
many outcomes (see docs/methods/uncertainty.md).
"""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest
from hypothesis import given, settings

import impactkit as ik
from impactkit.model._valuemap import compile_model
from impactkit.uncertainty import tipping_points, tornado

from strategies import models, synthetic_model


def _direct(m: ik.ImpactModel, paths: list[str], xs: list[float]) -> np.ndarray:
    """The ratio with each parameter moved alone, evaluating the whole model each time."""
    vm = compile_model(m)
    out = []
    for path, x in zip(paths, xs, strict=True):
        i = next(j for j, p in enumerate(vm.params) if p.name == path)
        r = vm.evaluate([i], np.array([[x]]))
        out.append(r.present_value[0] / r.total_inputs[0])
    return np.array(out)


def _check_tornado(m: ik.ImpactModel) -> None:
    t = tornado(m)
    low = _direct(m, list(t["parameter"]), list(t["low_value"]))
    high = _direct(m, list(t["parameter"]), list(t["high_value"]))
    np.testing.assert_allclose(t["metric_low"], low, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(t["metric_high"], high, rtol=1e-10, atol=1e-12)
    assert t["metric_base"].iloc[0] == pytest.approx(ik.sroi(m).ratio, rel=1e-12)


@settings(max_examples=15)
@given(models(max_rows=6))
def test_tornado_equals_whole_model_evaluation(m):
    _check_tornado(m)


def test_tornado_with_schedule_price_index_and_later_inputs():
    m = synthetic_model(
        discount=ik.discount.Schedule(((0, 0.035), (2, 0.03)), name="short"),
        inputs=[ik.Input("a", amount=10_000), ik.Input("b", amount=5_000, year=3)],
        first_flow_at="t0",
        base_year=2024,
        price_index={2020: 100.0, 2024: 116.0},
    )
    rows = list(m.outcomes)
    rows[1] = ik.OutcomeValuation(
        outcome="c",
        stakeholder="s",
        quantity=ik.dist.Uniform(10, 30),
        proxy=ik.FinancialProxy(800, year=2020),
        drop_off=0.3,
        duration=4,
        start_year=2,
        drop_off_method="linear",
    )
    m = m.evolve(outcomes=rows)
    assert compile_model(m).params[9].scale == pytest.approx(1.16)
    _check_tornado(m)


def test_tipping_points_tip_the_whole_model():
    m = synthetic_model(inputs=[ik.Input("big", amount=60_000), ik.Input("b", amount=100, year=2)])
    tp = tipping_points(m)
    ok = tp[tp["attainable"]]
    assert len(ok) > 5
    ratios = _direct(m, list(ok["parameter"]), [float(x) for x in ok["tipping_value"]])
    np.testing.assert_allclose(ratios, 1.0, atol=1e-8)


def _many_outcomes(n: int) -> ik.ImpactModel:
    return ik.ImpactModel(
        name="many",
        inputs=[ik.Input("g", amount=1e6), ik.Input("h", amount=1e5, year=1)],
        outcomes=[
            ik.OutcomeValuation(
                outcome=f"o{i}",
                stakeholder="s",
                quantity=10 + i % 7,
                proxy=100,
                deadweight=0.1,
                drop_off=0.1,
                duration=3,
            )
            for i in range(n)
        ],
    )


def test_memory_is_linear_in_the_number_of_outcomes():
    # 400 outcomes: 3,203 parameters. Evaluating every moved parameter as a
    # sample of the whole model tiles a (2k + 1) x k matrix (164 MB here,
    # 6.4 GB at 2,500 outcomes); moving one row at a time needs a few MB.
    m = _many_outcomes(400)
    tornado(_many_outcomes(2))  # imports outside the measure
    tracemalloc.start()
    try:
        t = tornado(m)
        _, peak_tornado = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        tp = tipping_points(m)
        _, peak_tipping = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert len(t) == len(tp) == 8 * 400 + 3
    assert peak_tornado < 30e6, peak_tornado
    assert peak_tipping < 30e6, peak_tipping


def test_drop_offs_and_durations_are_solved_together_and_exactly():
    # every row can tip the ratio (it is just above 1): 2 x 200 searches at once
    m = _many_outcomes(200)
    pv = ik.sroi(m).present_value
    m = m.evolve(inputs=[ik.Input("g", amount=pv / 1.00001)])
    tp = tipping_points(m)
    searched = tp[tp["kind"].isin(["drop_off", "duration"])]
    assert len(searched) == 400
    assert (searched["method"] == "bisection").all()
    assert searched["attainable"].all()
    xs = [float(x) for x in searched["tipping_value"]]
    np.testing.assert_allclose(_direct(m, list(searched["parameter"]), xs), 1.0, atol=1e-12)
    # the same roots as a scalar solver on the whole model
    from scipy import optimize

    vm = compile_model(m)
    for path, x in list(zip(searched["parameter"], xs, strict=True))[::97]:
        i = next(j for j, p in enumerate(vm.params) if p.name == path)
        hi = 1.0 if path.endswith("drop_off") else 100.0

        def gap(v: float, i: int = i) -> float:
            r = vm.evaluate([i], np.array([[v]]))
            return float(r.present_value[0] - r.total_inputs[0])

        assert x == pytest.approx(optimize.brentq(gap, 0.0, hi, xtol=1e-14), abs=1e-10)


def test_a_large_row_moved_to_nothing_leaves_no_rounding():
    # found by the property above: leakage moved to 1 zeroes a row of 16.8 million;
    # PV - pv_r + 0 kept 2.2e-10 of its rounding on a ratio of 0.76
    rows = [
        ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1.0, proxy=0.76),
        ik.OutcomeValuation(
            outcome="o", stakeholder="s", quantity=1678.0, proxy=9999.0, leakage=0.875
        ),
    ]
    m = ik.ImpactModel("random", inputs=[ik.Input("in0", amount=1.0)], outcomes=rows, discount=0.0)
    _check_tornado(m)
