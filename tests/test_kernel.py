"""The kernel: closed form against the year-by-year expansion and a plain loop."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from impactkit import kernel
from impactkit.discount import GREEN_BOOK


def loop_pv(q, p, dw, ds, at, lk, d, dur, start, linear, rate, t0=False):
    """Reference: the value map as a spreadsheet recomputes it, one year at a time."""
    total = 0.0
    imp = q * p * (1 - dw) * (1 - ds) * (1 - at) * (1 - lk)
    j = 0
    while j < dur:
        w = min(dur - j, 1.0)
        decay = max(1 - d * j, 0.0) if linear else (1 - d) ** j
        t = start + j
        period = t - 1 if t0 else t
        total += imp * w * decay / (1 + rate) ** period
        j += 1
    return total


rows = st.tuples(
    st.floats(0, 1e3),
    st.floats(-1e4, 1e4),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 1),
    st.floats(0, 30),
    st.sampled_from([1, 2]),
    st.booleans(),
)


@given(st.lists(rows, min_size=1, max_size=6), st.floats(0, 0.3), st.booleans())
def test_kernel_matches_loop(rs, rate, t0):
    arr = np.array([r[:8] for r in rs], dtype=float).T[:, None, :]
    start = np.array([r[8] for r in rs])
    linear = np.array([r[9] for r in rs])
    pv = kernel.present_values(*arr, start=start, linear=linear, rate=np.array([[rate]]), t0=t0)
    ref = [loop_pv(*r[:8], r[8], r[9], rate, t0) for r in rs]
    np.testing.assert_allclose(pv[0], ref, rtol=1e-9, atol=1e-6)


@given(st.lists(rows, min_size=1, max_size=6), st.floats(0, 0.3))
def test_closed_form_equals_expansion(rs, rate):
    arr = np.array([r[:8] for r in rs], dtype=float).T[:, None, :]
    start = np.array([r[8] for r in rs])
    linear = np.zeros(len(rs), dtype=bool)
    closed = kernel.profile(arr[6], arr[7], start, linear, rate=np.array([[rate]]))
    expanded = kernel._profile_expanded(
        arr[6], arr[7], start, linear, np.array([[rate]]), None, False
    )
    np.testing.assert_allclose(closed, expanded, rtol=1e-10, atol=1e-12)


def test_schedule_uses_cumulative_factors():
    dur = np.array([[40.0]])
    cum = GREEN_BOOK.cumulative(60)
    prof = kernel.profile(np.zeros((1, 1)), dur, np.array([1]), np.array([False]), cumulative=cum)
    assert prof[0, 0] == pytest.approx(cum[1:41].sum())


def test_reduce_matches_row_sum():
    rng = np.random.default_rng(0)
    s, k = 50, 7
    q = rng.uniform(0, 100, (s, k))
    p = rng.uniform(0, 1000, (1, k))
    dw = rng.uniform(0, 1, (s, k))
    z = np.zeros((1, k))
    args = (q, p, dw, z, z, z, np.full((1, k), 0.1), np.full((1, k), 3.0))
    kw = {
        "start": np.ones(k, dtype=int),
        "linear": np.zeros(k, dtype=bool),
        "rate": np.array([[0.035]]),
    }
    rows_ = kernel.present_values(*args, **kw)
    tot = kernel.present_values(*args, **kw, reduce=True)
    np.testing.assert_allclose(tot, rows_.sum(axis=1), rtol=1e-12)


def test_fractional_duration_pro_rata():
    one = kernel.present_values(
        *[np.array([[x]]) for x in (1, 100, 0, 0, 0, 0, 0, 2.5)],
        start=np.array([1]),
        linear=np.array([False]),
        rate=np.array([[0.0]]),
    )
    assert one[0, 0] == pytest.approx(250.0)


def test_year_values_place_start_year():
    v = kernel.year_values(
        *[np.array([[x, x]]) for x in (1, 100, 0, 0, 0, 0)],
        np.array([[0.5, 0.5]]),
        np.array([[2.0, 2.0]]),
        start=np.array([1, 2]),
        linear=np.array([False, True]),
    )
    np.testing.assert_allclose(v[0], [[100, 50, 0], [0, 100, 50]])


def test_inputs_pv():
    got = kernel.input_present_value(
        np.array([[100.0, 100.0, 100.0]]), np.array([0, 1, 2]), rate=np.array([[0.1]])
    )
    assert got[0] == pytest.approx(100 + 100 / 1.1 + 100 / 1.21)
    got0 = kernel.input_present_value(
        np.array([[100.0, 100.0, 100.0]]), np.array([0, 1, 2]), rate=np.array([[0.1]]), t0=True
    )
    assert got0[0] == pytest.approx(200 + 100 / 1.1)
