"""The decision-analysis spellings pinned in docs/architecture.md."""

from __future__ import annotations

import inspect

import numpy as np

import impactkit as ik


def _kind(func, name):
    return inspect.signature(func).parameters[name].kind


def test_pinned_decision_spellings():
    kw = inspect.Parameter.KEYWORD_ONLY
    assert callable(ik.uncertainty.evpi)
    assert list(inspect.signature(ik.uncertainty.evppi).parameters)[:2] == [
        "net_benefit",
        "parameters",
    ]
    assert _kind(ik.uncertainty.ceac, "wtp") is kw
    assert _kind(ik.monte_carlo, "correlation") is kw
    assert _kind(ik.monte_carlo, "keep_samples") is kw
    assert _kind(ik.valuation.distributional_weights, "reference") is kw
    assert inspect.signature(ik.valuation.distributional_weights).parameters["eta"].default == 1.3


def test_pinned_shapes():
    rng = np.random.default_rng(0)
    nb = rng.normal(size=(500, 3))
    assert isinstance(ik.uncertainty.evpi(nb), float)
    assert ik.uncertainty.evppi(nb, rng.normal(size=500), n_bootstrap=0).value >= 0
    assert ik.uncertainty.evppi(nb, rng.normal(size=(500, 2)), n_bootstrap=0).value >= 0
    probs = ik.uncertainty.ceac(rng.normal(size=(500, 3)), nb, wtp=[0.0, 1.0, 2.0, 3.0])
    assert probs.shape == (4, 3)
