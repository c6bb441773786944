"""Abadie-Imbens variances of propensity-score matching do not depend on the order of rows."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit import attribution as att
from impactkit.attribution._matching import _same_arm_variance


def brute_sigma2(x, y):
    """sigma^2_i = m/(m+1) (y_i - mean of the m same-arm units nearest to i)^2, ties kept."""
    out = np.empty(len(x))
    for i in range(len(x)):
        d = np.abs(x - x[i])
        d[i] = np.inf
        near = np.flatnonzero(d == d.min())
        m = len(near)
        out[i] = m / (m + 1) * (y[i] - y[near].mean()) ** 2
    return out


def tied_sample(seed=0, n=120):
    rng = np.random.default_rng(seed)
    e = rng.choice([0.2, 0.35, 0.5, 0.65], size=n)  # known scores, heavily tied
    w = (rng.random(n) < e).astype(float)
    y = 1.0 * w + 3 * e + rng.normal(size=n)
    return pd.DataFrame({"y": y, "w": w, "e": e})


def test_same_arm_variance_without_ties_is_half_the_squared_gap():
    x = np.array([0.0, 1.0, 3.0])
    y = np.array([1.0, 2.0, 6.0])
    np.testing.assert_allclose(_same_arm_variance(x, y), [0.5, 0.5, 8.0])


def test_same_arm_variance_averages_tied_neighbours():
    x = np.array([0.0, 0.0, 0.0, 2.0, 3.0, 4.0])
    y = np.array([1.0, 3.0, 5.0, 0.0, 4.0, 10.0])
    # unit 0: ties {1, 2}, mean 4 -> 2/3 * 9; unit 4 (x=3): units at 2 and 4 both at distance 1
    expected = [6.0, 0.0, 6.0, 0.5 * 16, 2 / 3 * (4 - 5) ** 2, 0.5 * 36]
    np.testing.assert_allclose(_same_arm_variance(x, y), expected)
    np.testing.assert_allclose(brute_sigma2(x, y), expected)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 6), st.floats(-5, 5)), min_size=2, max_size=40))
def test_same_arm_variance_matches_brute_force(pairs):
    x = np.array([p[0] for p in pairs], dtype=float)
    y = np.array([p[1] for p in pairs])
    np.testing.assert_allclose(_same_arm_variance(x, y), brute_sigma2(x, y), atol=1e-12)


@pytest.mark.parametrize("variance", ["sample", "population"])
def test_matching_se_does_not_depend_on_row_order(variance):
    df = tied_sample()
    est = att.PropensityScoreMatching(variance=variance)
    base = est.estimate(df, outcome="y", treatment="w", propensity="e")
    for seed in range(5):
        shuffled = df.sample(frac=1.0, random_state=seed)
        again = est.estimate(shuffled, outcome="y", treatment="w", propensity="e")
        assert again.effect == pytest.approx(base.effect, rel=1e-12)
        assert again.se == pytest.approx(base.se, rel=1e-12)
