"""The rank check skips its QR when X'X shows no column can be aliased, and flags the
same columns as the rule on the rows either way; SunAbraham equals pyfixest's
saturated event study."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.attribution import SunAbraham, _design
from impactkit.attribution._core import ols
from impactkit.attribution._design import RANK_TOL, aliased_columns


def aliased_by_rows(x: np.ndarray, tol: float = RANK_TOL) -> list[int]:
    """R's ``lm`` rule on the rows (finite, non-zero columns): a column whose residual
    on the kept earlier columns is at most ``tol`` times its norm is aliased."""
    basis = np.empty((x.shape[0], 0))
    out = []
    for j in range(x.shape[1]):
        col = x[:, j]
        v = col - basis @ (basis.T @ col)
        v = v - basis @ (basis.T @ v)
        r = float(np.linalg.norm(v))
        if r <= tol * float(np.linalg.norm(col)):
            out.append(j)
            continue
        basis = np.column_stack([basis, v / r])
    return out


def test_a_well_conditioned_design_needs_no_qr(monkeypatch):
    def no_qr(*args, **kwargs):
        raise AssertionError("QR called on a well-conditioned design")

    rng = np.random.default_rng(0)
    x = np.column_stack([np.ones(2_000), rng.normal(size=(2_000, 6))])
    monkeypatch.setattr(_design.np.linalg, "qr", no_qr)
    assert aliased_columns(x) == []
    y = x @ np.arange(7.0) + rng.normal(size=2_000)
    beta, _, _ = ols(x, y)
    assert beta == pytest.approx(np.linalg.lstsq(x, y, rcond=None)[0], rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    k=st.integers(2, 8),
    log_gap=st.floats(-12.0, 0.0),
)
def test_near_aliased_columns_are_judged_by_the_rule(seed, k, log_gap):
    # a column that is an earlier one plus a deviation 10**log_gap as long: around
    # the tolerance the screen must defer to the QR, and the answer is the rule's
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(80, k))
    j = int(rng.integers(1, k))
    x[:, j] = x[:, :j] @ rng.normal(size=j) + 10.0**log_gap * rng.normal(size=80)
    assert aliased_columns(x) == aliased_by_rows(x)


def test_the_screen_defers_to_the_qr_below_its_threshold(monkeypatch):
    calls = []
    real = np.linalg.qr

    def counted(*args, **kwargs):
        calls.append(1)
        return real(*args, **kwargs)

    rng = np.random.default_rng(1)
    a = rng.normal(size=200)
    x = np.column_stack([np.ones(200), a, a + 1e-5 * rng.normal(size=200)])
    monkeypatch.setattr(_design.np.linalg, "qr", counted)
    assert aliased_columns(x) == aliased_by_rows(x) == []  # residual 1e-5 > 1e-7: kept
    assert calls  # the smallest eigenvalue (about 1e-10) is below the screen


def test_sun_abraham_equals_pyfixest_saturated_event_study():
    pyfixest = pytest.importorskip("pyfixest")
    rng = np.random.default_rng(4)
    units, periods = 300, 8
    first = rng.choice([0, 3, 5, 6], units)
    uid = np.repeat(np.arange(units), periods)
    t = np.tile(np.arange(1, periods + 1), units)
    g = first[uid]
    effect = np.where((g > 0) & (t >= g), 1.0 + 0.3 * (t - g), 0.0)
    y = rng.normal(size=units)[uid] + 0.2 * t + effect + rng.normal(size=uid.size)
    df = pd.DataFrame({"id": uid, "t": t, "g": g, "rel": np.where(g > 0, t - g, -1), "y": y})
    ce = SunAbraham().estimate(df, outcome="y", entity="id", time="t", cohort="g").cohort_effects
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pyfixest.feols(
            "y ~ i(rel, g, ref=-1, ref2=0) | id + t", data=df, vcov={"CRV1": "id"}
        )
    names = [f"rel::{e}:g::{c}" for c, e in zip(ce["cohort"], ce["event_time"], strict=True)]
    assert len(fit.coef()) == len(ce)
    np.testing.assert_allclose(ce["att"], fit.coef().loc[names], rtol=0, atol=1e-10)
    np.testing.assert_allclose(ce["se"], fit.se().loc[names], rtol=1e-8)
