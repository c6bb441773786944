"""Iman-Conover rank correlation: achieved within 0.02, marginals unchanged, bad matrices named."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

from impactkit.errors import ValidationError
from impactkit.uncertainty._correlation import correlation_matrix, iman_conover


def _draws(n, rng):
    return np.column_stack(
        [
            rng.uniform(0.1, 0.4, n),
            rng.lognormal(8.0, 0.5, n),
            rng.triangular(30, 45, 60, n),
            rng.beta(2, 5, n),
        ]
    )


@pytest.mark.parametrize("rho", [-0.8, -0.3, 0.0, 0.4, 0.9])
def test_pairwise_rank_correlation_within_002(rho):
    rng = np.random.default_rng(1)
    x = _draws(20_000, rng)[:, :2]
    y = iman_conover(x, np.array([[1.0, rho], [rho, 1.0]]), rng)
    got = stats.spearmanr(y[:, 0], y[:, 1])[0]
    assert got == pytest.approx(rho, abs=0.02)
    # marginals are unchanged: the same values, so a KS test cannot tell them apart
    np.testing.assert_array_equal(np.sort(y, axis=0), np.sort(x, axis=0))
    for j in range(2):
        assert stats.ks_2samp(x[:, j], y[:, j]).statistic == 0.0


def test_full_matrix_within_002():
    rng = np.random.default_rng(2)
    names = ["a", "b", "c", "d"]
    target = {("a", "b"): 0.5, ("a", "c"): -0.3, ("b", "d"): 0.6, ("c", "d"): 0.2}
    c, cols = correlation_matrix(names, target)
    assert cols == [0, 1, 2, 3]
    x = _draws(10_000, rng)
    y = iman_conover(x, c, rng)
    got = stats.spearmanr(y).statistic
    np.testing.assert_allclose(got, c, atol=0.02)


def test_matrix_only_over_correlated_inputs():
    c, cols = correlation_matrix(["a", "b", "c"], {("c", "a"): -0.4})
    assert cols == [0, 2]
    assert c.tolist() == [[1.0, -0.4], [-0.4, 1.0]]


def test_non_psd_names_the_pairs():
    bad = {("a", "b"): 0.9, ("b", "c"): 0.9, ("a", "c"): -0.9}
    with pytest.raises(ValidationError) as e:
        correlation_matrix(["a", "b", "c", "d"], {**bad, ("c", "d"): 0.0})
    msg = str(e.value)
    assert "positive semi-definite" in msg
    for pair in ("(a, b)", "(b, c)", "(a, c)"):
        assert pair in msg
    assert "(c, d)" not in msg


def test_every_bad_entry_listed():
    with pytest.raises(ValidationError) as e:
        correlation_matrix(
            ["a", "b"],
            {("a", "zz"): 0.1, ("a", "a"): 0.2, ("a", "b"): 1.5, ("b", "a"): 0.3},
        )
    codes = sorted(p.code for p in e.value.problems)
    assert codes == ["conflict", "invalid", "out_of_range", "unknown_parameter"]


def test_same_generator_state_same_order_and_tiny_samples_untouched():
    x = _draws(500, np.random.default_rng(0))[:, :2]
    c = np.array([[1.0, 0.5], [0.5, 1.0]])
    a = iman_conover(x, c, np.random.default_rng(5))
    b = iman_conover(x, c, np.random.default_rng(5))
    np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(iman_conover(x[:3], c, np.random.default_rng(5)), x[:3])


def test_perfect_correlation_is_allowed():
    rng = np.random.default_rng(3)
    x = _draws(5000, rng)[:, :2]
    y = iman_conover(x, np.ones((2, 2)), rng)
    assert stats.spearmanr(y[:, 0], y[:, 1])[0] > 0.99
