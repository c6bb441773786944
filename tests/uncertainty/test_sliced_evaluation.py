"""A sliced evaluation works out the model's layout once, not at every slice."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

import impactkit as ik
from impactkit.dist import Uniform
from impactkit.model import ValueMap, compile_model
from impactkit.uncertainty import sobol, tipping_points
from impactkit.uncertainty._sensitivity import _evaluator


def _model(rows: int) -> ik.ImpactModel:
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=Uniform(80_000, 120_000)), ik.Input("Kind", amount=50)],
        outcomes=[
            ik.OutcomeValuation(
                outcome=f"o{i}",
                stakeholder="s",
                quantity=Uniform(5, 15) if i < 2 else 10,
                proxy=Uniform(90, 110) if i == 1 else 100,
                deadweight=0.1,
                drop_off=0.1,
                duration=3 + i % 3,
            )
            for i in range(rows)
        ],
    )


def _count_fields(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    calls: list[int] = []
    fields = ValueMap.fields

    def counted(self: ValueMap, *args: Any, **kwargs: Any) -> Any:
        calls.append(1)
        return fields(self, *args, **kwargs)

    monkeypatch.setattr(ValueMap, "fields", counted)
    return calls


def test_sobol_builds_the_layout_once(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("SALib")
    m = _model(3000)  # 244 slices of 21 samples
    calls = _count_fields(monkeypatch)
    sobol(m, n=1024, seed=1, n_bootstrap=2)
    assert len(calls) <= 1


def test_rate_grid_builds_the_layout_once(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = _count_fields(monkeypatch)
    tipping_points(_model(30), parameters=["discount.rate"])  # the grid in one slice
    small = len(calls)
    calls.clear()
    tipping_points(_model(3000), parameters=["discount.rate"])  # 13 slices of 21 rates
    assert len(calls) == small


def test_evaluator_equals_evaluate() -> None:
    vm = compile_model(_model(7))
    idx = vm.uncertain
    rng = np.random.default_rng(0)
    x = np.column_stack([vm.params[int(i)].value.ppf(rng.uniform(size=50)) for i in idx])
    base = vm.base * 1.01
    for b in (None, base):
        a = vm.evaluate(idx, x, base=b)
        e = _evaluator(vm, idx, b)(x)
        np.testing.assert_array_equal(a.present_value, e.present_value)
        np.testing.assert_array_equal(a.total_inputs, e.total_inputs)
    one = np.array([vm.kind_index["rate"][0]], dtype=np.int64)
    r = np.linspace(0, 1, 9)[:, None]
    np.testing.assert_array_equal(
        vm.evaluate(one, r).present_value, _evaluator(vm, one)(r).present_value
    )
