"""The multiplier bootstrap of the aggregations of group-time effects and their uniform bands.

With ``n_bootstrap=B`` every aggregation is bootstrapped from the cells' own
multiplier draws, and each aggregation table carries the simultaneous band of
R ``did``'s ``aggte(cband=TRUE)`` with its sup-t critical value. Oracles: the
draws recomputed by hand from the stored cell draws, and ``csdid``'s bootstrap
(Rademacher weights, other random numbers: agreement within Monte Carlo error).
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import special

from impactkit import attribution as att

KINDS = {"dynamic": "event_time", "group": "cohort", "calendar": "time"}


def rollout(n: int = 400, seed: int = 21) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = rng.choice(np.array([0, 3, 4, 5]), size=n)
    rows = []
    for i in range(n):
        a = rng.normal()
        for t in range(1, 7):
            eff = (1 + 0.5 * (t - g[i])) if g[i] and t >= g[i] else 0.0
            rows.append({"id": i, "t": t, "g": int(g[i]), "y": a + 0.3 * t + eff + rng.normal()})
    return pd.DataFrame(rows)


def fit(df: pd.DataFrame, seed=None, **options):
    return att.StaggeredDiD(**options).estimate(
        df, outcome="y", entity="id", time="t", cohort="g", seed=seed
    )


@pytest.fixture(scope="module")
def runs():
    df = rollout()
    return df, fit(df), fit(df, n_bootstrap=999, seed=4), fit(df, n_bootstrap=999, seed=4)


def iqr_se(draws: np.ndarray) -> np.ndarray:
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
    return (q75 - q25) / (special.ndtri(0.75) - special.ndtri(0.25))


def test_event_study_draws_are_the_cells_draws_aggregated(runs):
    df, _, bs, _ = runs
    tab = bs.att_gt
    size = df.groupby("g")["id"].nunique()
    n = df["id"].nunique()
    cells = np.asarray(bs.boot_cells)
    keys = [float(k) for k in bs.cohort_size]
    coh = np.asarray(bs.boot_cohorts)
    dyn = bs.aggregate("dynamic").set_index("event_time")
    draws = {}
    for e, part in tab.groupby("event_time"):
        idx = part.index.to_numpy()
        pg = part["cohort"].map(size).to_numpy() / n
        s = pg.sum()
        # the cells' draws weighted by cohort share, plus the draws of the shares' influence
        centred = coh[:, [keys.index(float(c)) for c in part["cohort"]]]
        wif = centred / s - centred.sum(axis=1)[:, None] * (pg / s**2)[None, :]
        draws[e] = cells[:, idx] @ (pg / s) + wif @ part["att"].to_numpy()
    d = np.column_stack([draws[e] for e in dyn.index])
    se = iqr_se(d)
    np.testing.assert_allclose(dyn["se"], se, rtol=1e-12)
    tmax = np.max(np.abs(d) / se, axis=1)
    crit = max(float(np.quantile(tmax, 0.95, method="inverted_cdf")), special.ndtri(0.975))
    assert dyn["critical_value"].iloc[0] == pytest.approx(crit, rel=1e-12)
    np.testing.assert_allclose(dyn["band_low"], dyn["att"] - crit * se, rtol=1e-12)
    np.testing.assert_allclose(dyn["band_high"], dyn["att"] + crit * se, rtol=1e-12)


@pytest.mark.parametrize("kind", list(KINDS))
def test_uniform_bands_contain_the_pointwise_ones(runs, kind):
    _, an, bs, again = runs
    tab = bs.aggregate(kind)
    z = special.ndtri(0.975)
    assert (tab["critical_value"] >= z).all()
    assert tab["critical_value"].nunique() == 1
    assert (tab["band_low"] <= tab["ci_low"]).all()
    assert (tab["band_high"] >= tab["ci_high"]).all()
    np.testing.assert_allclose(tab["ci_high"] - tab["att"], z * tab["se"], rtol=1e-12)
    # bootstrap standard errors: not the analytic ones, but close to them at this size
    ref = an.aggregate(kind)
    np.testing.assert_array_equal(tab["att"], ref["att"])
    assert not np.allclose(tab["se"], ref["se"], rtol=1e-6)
    np.testing.assert_allclose(tab["se"], ref["se"], rtol=0.15)
    # reproducible with the seed
    pd.testing.assert_frame_equal(tab, again.aggregate(kind))
    assert "band_low" not in ref.columns


def test_overall_aggregations_are_bootstrapped_too(runs):
    _, an, bs, _ = runs
    for kind in ("simple", *KINDS):
        kw = {} if kind == "simple" else {"overall": True}
        b, a = bs.aggregate(kind, **kw), an.aggregate(kind, **kw)
        assert b.effect == pytest.approx(a.effect, abs=1e-12)
        assert b.se != a.se
        assert b.se == pytest.approx(a.se, rel=0.15)
        assert "bootstrap" in b.method


def test_more_event_times_widen_the_band():
    # the sup over more rows needs a larger critical value
    df = rollout(n=300, seed=5)
    r = fit(df, n_bootstrap=999, seed=1)
    dyn = r.aggregate("dynamic")
    grp = r.aggregate("group")
    assert len(dyn) > len(grp)
    assert dyn["critical_value"].iloc[0] > grp["critical_value"].iloc[0]


def test_band_and_critical_value_in_the_result_contract(runs):
    _, _, bs, _ = runs
    data = bs.to_dict()
    json.dumps(data, allow_nan=False)
    assert data["n_bootstrap"] == 999
    ev = pd.DataFrame(data["event_study"])
    assert {"band_low", "band_high", "critical_value"} <= set(ev.columns)
    cells = pd.DataFrame(data["att_gt"])
    assert (cells["band_low"] == cells["ci_low"]).all()  # cells: ci is the uniform band
    text = str(bs.summary())
    crit = bs.aggregate("dynamic")["critical_value"].iloc[0]
    assert f"{crit:.4g}" in text
    assert "999 draws" in text
    assert {"band_low", "critical_value"} <= set(bs.to_frame().columns)


def csdid_boot(df: pd.DataFrame, kind: str, biters: int):
    from csdid.att_gt import ATTgt

    np.random.seed(11)  # noqa: NPY002 - the port draws its multipliers from the global state
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        out = ATTgt(
            yname="y",
            gname="g",
            idname="id",
            tname="t",
            data=df,
            control_group="nevertreated",
            biters=biters,
        ).fit(est_method="dr", bstrap=True)
        return out.aggte(typec=kind, bstrap=True, biters=biters, cband=True).atte


@pytest.mark.parametrize("kind", list(KINDS))
def test_agrees_with_the_reference_port_within_monte_carlo_error(kind):
    df = rollout(n=300, seed=8)
    r = fit(df, n_bootstrap=4000, seed=2).aggregate(kind)
    ref = csdid_boot(df, kind, 4000)
    np.testing.assert_allclose(r["att"], np.asarray(ref["att_egt"]), atol=1e-10)
    np.testing.assert_allclose(r["se"], np.ravel(ref["se_egt"]), rtol=0.1)
    assert r["critical_value"].iloc[0] == pytest.approx(float(ref["crit_val_egt"]), abs=0.15)


SMALL = rollout(n=120, seed=3)


@settings(max_examples=15, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    draws=st.integers(40, 300),
    level=st.sampled_from([0.8, 0.9, 0.95, 0.99]),
    kind=st.sampled_from(list(KINDS)),
)
def test_band_properties_for_any_seed_size_and_level(seed, draws, level, kind):
    a = fit(SMALL, n_bootstrap=draws, seed=seed, level=level).aggregate(kind)
    z = special.ndtri(0.5 + level / 2)
    assert (a["critical_value"] >= z - 1e-12).all()
    assert (a["band_low"] <= a["ci_low"] + 1e-12).all()
    assert (a["band_high"] >= a["ci_high"] - 1e-12).all()
    assert np.isfinite(a[["se", "band_low", "band_high"]].to_numpy()).all()
    b = fit(SMALL, n_bootstrap=draws, seed=seed, level=level).aggregate(kind)
    pd.testing.assert_frame_equal(a, b)
