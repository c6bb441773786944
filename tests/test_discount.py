"""Discounting: docs/methods/discounting.md factors, schedules chaining year by year, presets."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit import discount as d

STANDARD = {
    1: 0.9662,
    2: 0.9335,
    3: 0.9019,
    4: 0.8714,
    5: 0.8420,
    10: 0.7089,
    20: 0.5026,
    30: 0.3563,
    31: 0.3459,
    50: 0.1973,
    75: 0.0942,
    76: 0.0919,
    100: 0.0508,
    125: 0.0274,
    200: 0.0062,
}
HEALTH = {
    1: 0.9852,
    5: 0.9283,
    10: 0.8617,
    30: 0.6398,
    31: 0.6316,
    75: 0.3594,
    76: 0.3556,
    100: 0.2754,
}


def test_green_book_schedule_factors():
    years = list(STANDARD)
    np.testing.assert_allclose(d.GREEN_BOOK.factors(years), list(STANDARD.values()), atol=5e-5)


def test_health_schedule_factors():
    years = list(HEALTH)
    np.testing.assert_allclose(
        d.GREEN_BOOK_HEALTH.factors(years), list(HEALTH.values()), atol=5e-5
    )


def test_constant_matches_schedule_in_first_band():
    t = np.arange(0, 31)
    np.testing.assert_allclose(d.UK_GREEN_BOOK.factors(t), d.GREEN_BOOK.factors(t), rtol=1e-12)


def test_annuity_factors():
    assert d.annuity_factor(d.UK_GREEN_BOOK, 5) == pytest.approx(4.5151, abs=1e-4)
    assert d.annuity_factor(d.UK_GREEN_BOOK, 10) == pytest.approx(8.3166, abs=1e-4)


def test_french_rates():
    assert d.FRANCE_2021.rate == pytest.approx(0.032)
    assert d.france_2021(0.5).rate == pytest.approx(0.022)
    assert d.FRANCE_2013.rate == pytest.approx(0.045)


def test_schedule_chains_not_band_power():
    # DF(31) is DF(30)/1.03, not 1.03**-31
    df31 = d.GREEN_BOOK.factors([31])[0]
    assert df31 == pytest.approx(1.035**-30 / 1.03)
    assert df31 != pytest.approx(1.03**-31)


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: d.Constant(-1.5), "rate"),
        (lambda: d.Schedule(((5, 0.03),)), "bands[0][0]"),
        (lambda: d.Schedule(((0, 0.03), (0, 0.02))), "bands[1][0]"),
        (lambda: d.Schedule(()), "bands"),
    ],
)
def test_bad_discounts(make, path):
    with pytest.raises(ik.ValidationError) as ei:
        make()
    assert path in ei.value.paths


@given(st.floats(0, 0.5), st.floats(0, 0.5), st.integers(1, 60))
def test_higher_rate_lower_factor(r1, r2, t):
    lo, hi = sorted((r1, r2))
    assert d.Constant(hi).factors([t])[0] <= d.Constant(lo).factors([t])[0]


@pytest.mark.parametrize("bad", [[-1, 5], [1.5], [float("nan")], [2, float("inf")], [2**53 + 1]])
def test_schedule_factors_refuse_periods_it_cannot_chain(bad):
    """Negative periods used to wrap around (DF(-1) came back as the last factor)."""
    with pytest.raises(ik.ValidationError) as ei:
        ik.discount.GREEN_BOOK.factors(bad)
    assert ei.value.problems[0].path == ("periods",)
    assert ik.discount.GREEN_BOOK.factors([0, 2]).tolist() == pytest.approx([1.0, 1 / 1.035**2])
