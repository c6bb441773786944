"""Distributions: moments (docs/methods/uncertainty.md), quantiles against scipy, sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats

import impactkit as ik
from impactkit import dist


def test_methods_fixtures():
    p = dist.PERT(0, 0.2, 0.6)
    assert p.mean() == pytest.approx(0.233333, abs=1e-6)
    assert p.alpha == pytest.approx(2.333333, abs=1e-6)
    assert p.beta == pytest.approx(3.666667, abs=1e-6)
    assert p.var() == pytest.approx(0.012222, abs=1e-6)
    t = dist.Triangular(0, 0.2, 0.6)
    assert t.mean() == pytest.approx(0.266667, abs=1e-6)
    assert t.var() == pytest.approx(0.015556, abs=1e-6)
    ln = dist.LogNormal(1000, 500)
    assert ln.mu == pytest.approx(6.79618, abs=1e-5)
    assert ln.sigma == pytest.approx(0.47238, abs=1e-5)
    b = dist.Beta(0.3, 0.1)
    assert (b.alpha, b.beta) == (pytest.approx(6.0), pytest.approx(14.0))


def test_pert_variance_rule_of_seven():
    # for lambda = 4, var = (mu - a)(b - mu) / 7
    p = dist.PERT(2, 5, 13)
    mu = p.mean()
    assert p.var() == pytest.approx((mu - 2) * (13 - mu) / 7)


REFERENCE = [
    (dist.Uniform(2, 5), stats.uniform(2, 3)),
    (dist.Triangular(1, 2, 6), stats.triang(0.2, loc=1, scale=5)),
    (dist.PERT(0, 0.2, 0.6), stats.beta(7 / 3, 11 / 3, loc=0, scale=0.6)),
    (dist.Normal(3, 2), stats.norm(3, 2)),
    (dist.Normal(0.2, 0.1, low=0, high=1), stats.truncnorm(-2, 8, loc=0.2, scale=0.1)),
    (
        dist.LogNormal(1000, 500),
        stats.lognorm(
            math.sqrt(math.log1p(0.25)), scale=math.exp(math.log(1000) - math.log1p(0.25) / 2)
        ),
    ),
    (dist.Beta(0.3, 0.1), stats.beta(6, 14)),
    (
        dist.Beta(30, 5, low=0, high=100),
        stats.beta(
            30 * (0.3 * 0.7 / 0.0025 - 1) / 100,
            70 * (0.3 * 0.7 / 0.0025 - 1) / 100,
            loc=0,
            scale=100,
        ),
    ),
]


@pytest.mark.parametrize(("d", "ref"), REFERENCE, ids=lambda x: type(x).__name__)
def test_against_scipy(d, ref):
    q = np.array([0.01, 0.1, 0.5, 0.9, 0.99])
    np.testing.assert_allclose(d.ppf(q), ref.ppf(q), rtol=1e-6)
    assert d.mean() == pytest.approx(ref.mean(), rel=1e-6)
    assert d.var() == pytest.approx(ref.var(), rel=1e-6)
    x = d.sample(np.random.default_rng(0), 200_000)
    assert x.mean() == pytest.approx(ref.mean(), rel=0.02, abs=1e-3)
    assert stats.kstest(x[:5000], ref.cdf).pvalue > 1e-3
    lo, hi = d.support
    assert x.min() >= lo
    assert x.max() <= hi


def test_group_draw_is_vectorised_and_reproducible():
    ds = [dist.Triangular(0, i, 10) for i in range(1, 6)]
    a = dist.Triangular.draw_group(np.random.default_rng(3), ds, 1000)
    b = dist.Triangular.draw_group(np.random.default_rng(3), ds, 1000)
    assert a.shape == (1000, 5)
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a.mean(axis=0), [d.mean() for d in ds], rtol=0.05)


def test_fixed():
    f = dist.Fixed(3)
    assert f.central == 3.0
    assert f.var() == 0
    np.testing.assert_array_equal(f.sample(np.random.default_rng(0), 4), [3, 3, 3, 3])


def test_from_median():
    d = dist.LogNormal.from_median(1000, 0.5)
    assert d.percentile(50) == pytest.approx(1000)
    assert d.sigma == pytest.approx(0.5)


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: dist.PERT(5, 3, 10), "mode"),
        (lambda: dist.Triangular(0, 11, 10), "mode"),
        (lambda: dist.Uniform(2, 2), "high"),
        (lambda: dist.Normal(0, -1), "sd"),
        (lambda: dist.LogNormal(-5, 1), "mean"),
        (lambda: dist.Beta(0.5, 0.6), "sd"),
        (lambda: dist.Beta(1.5, 0.1), "mean"),
    ],
)
def test_bad_parameters(make, path):
    with pytest.raises(ik.ValidationError) as ei:
        make()
    assert path in ei.value.paths


def test_bad_parameters_all_reported():
    with pytest.raises(ik.ValidationError) as ei:
        dist.PERT("a", 1, float("nan"))
    assert {"low", "high"} <= set(ei.value.paths)


def test_from_dict_round_trip_and_errors():
    for d in [
        dist.PERT(1, 2, 3, lam=3),
        dist.Normal(1, 2, low=0),
        dist.Beta(0.2, 0.1),
        dist.LogNormal(10, 2),
        dist.Fixed(1),
        dist.Uniform(0, 1),
        dist.Triangular(0, 1, 2),
    ]:
        assert dist.from_dict(d.to_dict()) == d
    with pytest.raises(ik.ValidationError, match="available"):
        dist.from_dict({"dist": "gamma", "a": 1})
    with pytest.raises(ik.ValidationError) as ei:
        dist.from_dict({"dist": "pert", "low": 1, "top": 3})
    assert set(ei.value.paths) >= {"top", "mode", "high"}


@given(st.floats(-100, 100), st.floats(0.01, 50), st.floats(0.01, 50))
def test_triangular_mode_inside(a, w1, w2):
    d = dist.Triangular(a, a + w1, a + w1 + w2)
    assert d.support[0] <= d.central <= d.support[1]
    q = d.ppf(np.linspace(0, 1, 11))
    assert np.all(np.diff(q) >= -1e-9)


@pytest.mark.parametrize("low", [None, -40.0, -3.0, 0.0, 2.0, 9.0, 30.0])
@pytest.mark.parametrize("high", [None, -2.0, 0.4, 3.0, 12.0, 40.0])
def test_truncated_normal_moments_agree_with_scipy(low, high):
    """The closed form (no scipy.stats at run time) against scipy's truncnorm."""
    from scipy import stats

    if low is not None and high is not None and high <= low:
        return
    d = dist.Normal(0.0, 1.0, low=low, high=high)
    a = -np.inf if low is None else low
    b = np.inf if high is None else high
    if a >= 5 or b <= -5:
        # beyond 5 sd scipy's truncnorm loses about seven digits of the variance
        # (2.2e-8 for [30, inf)); the 400-digit reference is the oracle there
        ref_mean, ref_var = _truncnorm_reference(0.0, 1.0, a, min(b, a + 60))
        if b <= -5:
            ref_mean, ref_var = _truncnorm_reference(0.0, 1.0, max(a, b - 60), b)
    else:
        ref_mean, ref_var = stats.truncnorm.mean(a, b), stats.truncnorm.var(a, b)
    assert d.mean() == pytest.approx(ref_mean, rel=1e-9, abs=1e-12)
    assert d.var() == pytest.approx(ref_var, rel=1e-9)
    shifted = dist.Normal(
        5.0,
        2.0,
        low=None if low is None else 5 + 2 * low,
        high=None if high is None else 5 + 2 * high,
    )
    assert shifted.mean() == pytest.approx(5 + 2 * stats.truncnorm.mean(a, b), rel=1e-9)


def _truncnorm_reference(mu, sd, low, high):
    """Mean and variance of a truncated normal in 400-digit arithmetic (independent oracle)."""
    mp = pytest.importorskip("mpmath")
    with mp.workdps(400):
        a = (mp.mpf(low) - mp.mpf(mu)) / mp.mpf(sd)
        b = (mp.mpf(high) - mp.mpf(mu)) / mp.mpf(sd)
        sign = 1
        if a + b > 0:
            a, b, sign = -b, -a, -1
        z = mp.ncdf(b) - mp.ncdf(a)
        m = (mp.npdf(a) - mp.npdf(b)) / z
        v = 1 + (a * mp.npdf(a) - b * mp.npdf(b)) / z - m * m
        return float(mp.mpf(mu) + mp.mpf(sd) * sign * m), float(mp.mpf(sd) ** 2 * v)


FAR_WINDOWS = [
    # (mu, sd, low, high): windows far in a tail and narrow ones, where the closed
    # form cancels (the mean came out 1.8e8 for the window [1e8, 1e8 + 0.5] before)
    (0.0, 1.0, 1e8, 1e8 + 0.5),
    (0.0, 1.0, 20.0, 23.0),
    (0.0, 1.0, -1003.0, -1000.0),
    (0.0, 1.0, 5.1, 5.2),
    (0.1, 0.05, 1e3, 1e3 + 1.0),
    (50.0, 0.05, 0.0, 1.0),  # a percentage typed where a fraction was meant
    (1e15, 1e-5, 0.0, 1.0),
    (6.5e15, 0.05, 0.0, 1.0),
    (-4.4e11, 1.6, -0.3823, -0.3822),
    (204813.0, 3.0, 0.12095, 0.12106),
    (0.5, 1.0, 0.5, 0.5 + 1e-9),  # a window narrower than the rounding of the moments
    (0.0, 1.0, -0.3, 0.2),
]


@pytest.mark.parametrize(("mu", "sd", "low", "high"), FAR_WINDOWS)
def test_truncated_normal_far_in_a_tail_agrees_with_high_precision(mu, sd, low, high):
    d = dist.Normal(mu, sd, low=low, high=high)
    ref_mean, ref_var = _truncnorm_reference(mu, sd, low, high)
    assert low <= d.mean() <= high
    assert abs(d.mean() - ref_mean) <= 1e-12 * (high - low) + 4 * np.spacing(abs(ref_mean))
    assert d.var() == pytest.approx(ref_var, rel=1e-10)
    x = d.sample(np.random.default_rng(0), 500)
    assert np.all((x >= low) & (x <= high))


@given(
    st.floats(-1e15, 1e15),
    st.floats(1e-9, 1e6),
    st.floats(-10.0, 10.0),
    st.floats(1e-9, 20.0),
)
def test_truncated_normal_moments_and_draws_stay_in_the_window(mu, sd, low, width):
    high = low + width
    if not high > low:
        return
    d = dist.Normal(mu, sd, low=low, high=high)
    m, v = d.mean(), d.var()
    assert low <= m <= high
    assert 0.0 <= v <= (high - low) ** 2 / 4 * (1 + 1e-12)
    x = d.sample(np.random.default_rng(1), 64)
    assert np.all((x >= low) & (x <= high))


@pytest.mark.parametrize("q", [-0.1, 1.5, float("nan"), [0.2, 1.01]])
def test_quantiles_refuse_probabilities_outside_zero_one(q):
    with pytest.raises(ik.ValidationError) as ei:
        dist.Triangular(0, 0.2, 0.6).ppf(q)
    assert ei.value.problems[0].path == ("q",)
    with pytest.raises(ik.ValidationError):
        dist.Uniform(0, 1).percentile(101)


def test_lognormal_from_median_too_wide_is_a_validation_error():
    with pytest.raises(ik.ValidationError) as ei:
        dist.LogNormal.from_median(1000.0, 40.0)
    assert ei.value.problems[0].path == ("sigma",)


@pytest.mark.parametrize(
    "d",
    [
        dist.Normal(0.0, 1e-300, low=1e10),
        dist.Normal(0.0, 1.0, low=1e200),
        dist.Normal(0.0, 1.0, high=-1e200),
    ],
)
def test_bounds_astronomically_far_out_give_the_bound_not_nan(d):
    bound = d.low if d.low is not None else d.high
    assert d.mean() == bound
    assert d.var() == 0.0
    assert np.all(d.ppf([0.0, 0.5, 1.0]) == bound)
    assert np.all(d.sample(np.random.default_rng(0), 5) == bound)


def test_percentile_errors_name_p():
    with pytest.raises(ik.ValidationError) as ei:
        dist.Uniform(0, 1).percentile(101)
    assert ei.value.problems[0].path == ("p",)
