"""Sobol indices of a model of many rows evaluate their samples in slices of bounded size."""

from __future__ import annotations

import tracemalloc

import numpy as np
import pytest

import impactkit as ik
from impactkit.dist import Uniform
from impactkit.model import compile_model
from impactkit.uncertainty import sobol, sobol_indices

pytest.importorskip("SALib")


def _model(rows: int) -> ik.ImpactModel:
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=Uniform(80_000, 120_000))],
        outcomes=[
            ik.OutcomeValuation(
                outcome=f"o{i}",
                stakeholder="s",
                quantity=Uniform(5, 15) if i < 2 else 10,
                proxy=100,
                deadweight=0.1,
                drop_off=0.1,
                duration=3,
            )
            for i in range(rows)
        ],
    )


def test_memory_does_not_grow_with_samples_times_rows() -> None:
    # 1,024 x 5 samples x 2,000 rows: one kernel call over all of them holds
    # arrays of 10 million values (over 160 MB at its peak)
    m = _model(2000)
    sobol(_model(3), n=8, seed=1, n_bootstrap=2)  # imports outside the measure
    tracemalloc.start()
    try:
        sobol(m, n=1024, seed=1, n_bootstrap=10)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 80e6, peak


def test_slices_give_the_indices_of_one_call() -> None:
    m = _model(3000)  # 65,536 // 3,000 = 21 samples a slice: 244 slices
    vm = compile_model(m)
    idx = vm.uncertain
    dists = {vm.params[int(i)].name: vm.params[int(i)].value for i in idx}

    def whole(x: np.ndarray) -> np.ndarray:
        out = vm.evaluate(idx, x)
        return out.present_value / out.total_inputs

    a = sobol(m, n=1024, seed=3, n_bootstrap=10).to_frame()
    b = sobol_indices(whole, dists, n=1024, seed=3, n_bootstrap=10).to_frame()  # type: ignore[arg-type]
    np.testing.assert_allclose(a.to_numpy(), b.to_numpy(), rtol=1e-9, atol=1e-12)
