"""Funnel limits and shrinkage against their formulas, a hand DerSimonian-Laird,
and the coverage of rank intervals in simulation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def test_proportion_limits_against_the_formula():
    rng = np.random.default_rng(0)
    n = rng.integers(10, 500, 60).astype(float)
    y = rng.binomial(n.astype(int), 0.3) / n
    df = pd.DataFrame({"site": [f"s{i}" for i in range(60)], "rate": y, "n": n})
    res = pf.funnel(df, value="rate", n="n", site="site")
    f = res.table
    theta0 = (y * n).sum() / n.sum()
    assert res.target == pytest.approx(theta0)
    for level, lab in ((0.95, "95"), (0.998, "998")):
        z = stats.norm.ppf(0.5 + level / 2)
        half = z * np.sqrt(theta0 * (1 - theta0) / n)
        np.testing.assert_allclose(f[f"lower_{lab}"], np.clip(theta0 - half, 0, 1))
        np.testing.assert_allclose(f[f"upper_{lab}"], np.clip(theta0 + half, 0, 1))
    expected = np.where(
        y > f["upper_998"], "above", np.where(y < f["lower_998"], "below", "within")
    )
    assert (f["flag"] == expected).all()
    assert f["site"].tolist() == df["site"].tolist()


def test_mean_and_ratio_limits():
    df = pd.DataFrame({"m": [10.0, 12.0, 9.0], "n": [25, 100, 4], "sd": [5.0, 5.0, 5.0]})
    f = pf.funnel(df, value="m", n="n", kind="mean", sd="sd", target=10.0, levels=(0.95,)).table
    np.testing.assert_allclose(f["upper_95"], 10 + 1.959963985 * 5 / np.sqrt(df.n))
    assert f["flag"].tolist() == ["within", "above", "within"]
    r = pd.DataFrame({"smr": [1.5, 0.9], "expected": [40.0, 10.0]})
    g = pf.funnel(r, value="smr", n="expected", kind="ratio", target=1.0).table
    np.testing.assert_allclose(g["upper_95"], 1 + 1.959963985 * np.sqrt(1 / r.expected))
    assert g["flag_95"].tolist() == ["above", "within"]


def test_overdispersion_inflates_by_root_phi():
    rng = np.random.default_rng(1)
    n = np.full(200, 400.0)
    p = np.clip(rng.normal(0.3, 0.08, 200), 0.01, 0.99)  # far more spread than binomial
    df = pd.DataFrame({"rate": rng.binomial(400, p) / n, "n": n})
    plain = pf.funnel(df, value="rate", n="n", target=0.3).table
    res = pf.funnel(df, value="rate", n="n", target=0.3, overdispersion=True)
    od = res.table
    z = (df.rate - 0.3) / np.sqrt(0.3 * 0.7 / n)
    lo, hi = np.quantile(z, [0.1, 0.9])
    phi = np.mean(np.clip(z, lo, hi) ** 2)
    assert res.phi == pytest.approx(phi)
    assert phi > 1
    np.testing.assert_allclose(
        od["upper_95"] - 0.3, (plain["upper_95"] - 0.3) * np.sqrt(phi), rtol=1e-12
    )
    assert (od["flag"] != "within").sum() < (plain["flag"] != "within").sum()


def test_funnel_reports_every_problem():
    df = pd.DataFrame({"rate": [0.2, 1.4, np.nan], "n": [10, 0, 5]})
    with pytest.raises(ValidationError) as exc:
        pf.funnel(df, value="rate", n="n")
    locs = {p.location for p in exc.value.problems}
    assert {"rate", "n"} <= locs
    with pytest.raises(ValidationError, match="sd"):
        pf.funnel(df.fillna(0.1).assign(n=5), value="rate", n="n", kind="mean")


def test_dersimonian_laird_by_hand():
    t = np.array([0.1, 0.4, 0.35, 0.8, 0.55])
    s = np.array([0.1, 0.2, 0.15, 0.3, 0.1])
    v = 1 / s**2
    bar = (v * t).sum() / v.sum()
    q = (v * (t - bar) ** 2).sum()
    tau2 = max(0.0, (q - 4) / (v.sum() - (v**2).sum() / v.sum()))
    assert pf.dersimonian_laird(t, s) == pytest.approx(tau2)
    r = pf.shrink(t, s, seed=0)
    assert r.tau2 == pytest.approx(tau2)


def test_shrinkage_closed_form_with_tau2_given():
    t = np.array([0.1, 0.4, 0.35, 0.8, 0.55])
    s = np.array([0.1, 0.2, 0.15, 0.3, 0.1])
    tau2 = 0.02
    res = pf.shrink(pd.Series(t, index=list("abcde")), s, tau2=tau2, seed=1)
    r = res.table
    var = tau2 + s**2
    mu = (t / var).sum() / (1 / var).sum()
    w = tau2 / var
    np.testing.assert_allclose(r["weight"], w)
    np.testing.assert_allclose(r["shrunk"], w * t + (1 - w) * mu)
    np.testing.assert_allclose(r["shrunk_se"], np.sqrt(w * s**2))
    assert res.mu == pytest.approx(mu)
    assert list(r.index) == list("abcde")
    assert (r["rank_low"] <= r["rank"]).all()
    assert (r["rank"] <= r["rank_high"]).all()
    json.dumps(r.reset_index().to_dict(orient="records"), allow_nan=False)


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.floats(-5, 5), min_size=3, max_size=12),
    st.floats(0.05, 2.0),
    st.floats(0.0, 3.0),
)
def test_shrinkage_moves_towards_the_mean_never_past_it(est, s, tau2):
    t = np.array(est)
    res = pf.shrink(t, np.full(len(t), s), tau2=tau2, n_draws=50, seed=0)
    r = res.table
    mu = res.mu
    # each shrunk estimate lies between its raw estimate and the pooled mean
    lo = np.minimum(t, mu) - 1e-9
    hi = np.maximum(t, mu) + 1e-9
    assert ((r["shrunk"] >= lo) & (r["shrunk"] <= hi)).all()


def test_rank_intervals_cover_true_ranks_at_about_the_nominal_rate():
    rng = np.random.default_rng(7)
    k, tau = 40, 0.5
    cover = []
    for rep in range(30):
        theta = rng.normal(0, tau, k)
        s = rng.uniform(0.2, 0.6, k)
        est = theta + s * rng.standard_normal(k)
        r = pf.shrink(est, s, tau2=tau**2, level=0.9, n_draws=2000, seed=rep).table
        true_rank = pd.Series(theta).rank(ascending=False).to_numpy()
        cover.append(((r["rank_low"] <= true_rank) & (true_rank <= r["rank_high"])).mean())
    assert 0.85 <= float(np.mean(cover)) <= 0.96


def test_shrink_accepts_per_site_draws():
    rng = np.random.default_rng(3)
    draws = rng.normal([1.0, 2.0, 3.0], [0.5, 0.2, 1.0], size=(4000, 3))
    frame = pd.DataFrame(draws, columns=["x", "y", "z"])
    r = pf.shrink(frame, tau2=0.5, seed=0).table
    np.testing.assert_allclose(r["estimate"], draws.mean(axis=0))
    np.testing.assert_allclose(r["se"], draws.std(axis=0, ddof=1))
    assert list(r.index) == ["x", "y", "z"]


def test_shrink_rejects_bad_input_at_once():
    with pytest.raises(ValidationError) as exc:
        pf.shrink([1.0, 2.0, np.inf], [0.1, -1.0, 0.2], tau2=-1, level=2)
    locs = {p.location for p in exc.value.problems}
    assert {"estimates", "se", "tau2", "level"} <= locs
