"""A result's seed_entropy repeats its run, or is None when no integer does."""

from __future__ import annotations

import numpy as np
import pytest

import impactkit as ik
from impactkit._random import reproducing_entropy, seeded
from impactkit.dist import Uniform


def _model() -> ik.ImpactModel:
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="a",
                stakeholder="s",
                quantity=Uniform(5, 15),
                proxy=150,
                deadweight=Uniform(0.1, 0.3),
            )
        ],
    )


def test_spawned_child_records_no_entropy() -> None:
    child = np.random.SeedSequence(7).spawn(2)[1]
    assert reproducing_entropy(child) is None
    assert seeded(child)[1] is None
    mc = ik.monte_carlo(_model(), n=200, seed=child)
    assert mc.seed_entropy is None
    # the child's draws are not those of its parent's entropy
    assert not np.array_equal(
        mc.present_value, ik.monte_carlo(_model(), n=200, seed=7).present_value
    )


def test_sobol_spawned_child_records_no_entropy() -> None:
    pytest.importorskip("SALib")
    child = np.random.SeedSequence(7).spawn(1)[0]
    assert ik.uncertainty.sobol(_model(), n=64, seed=child).seed_entropy is None


@pytest.mark.parametrize("seed", [None, 0, 12345, np.random.SeedSequence(99)])
def test_recorded_entropy_repeats_the_run(seed: object) -> None:
    a = ik.monte_carlo(_model(), n=300, seed=seed)
    assert a.seed_entropy is not None
    b = ik.monte_carlo(_model(), n=300, seed=a.seed_entropy)
    np.testing.assert_array_equal(a.present_value, b.present_value)
    _, entropy = seeded(seed)  # the rule of every other stochastic function
    if seed is not None:
        assert entropy == a.seed_entropy


def test_generator_seed_repeats_via_entropy() -> None:
    a = ik.monte_carlo(_model(), n=300, seed=np.random.default_rng(3))
    b = ik.monte_carlo(_model(), n=300, seed=a.seed_entropy)
    np.testing.assert_array_equal(a.present_value, b.present_value)
