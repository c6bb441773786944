"""Staggered adoption and few-cluster inference against hand formulas and oracles.

Oracles: the Python port of the group-time estimator (``csdid``) for cells,
standard errors and aggregations; ``linearmodels`` and ``statsmodels`` for the
event-study regression; ``wildboottest`` for the wild cluster bootstrap.
"""

from __future__ import annotations

import contextlib
import io
import json
import math
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from linearmodels import PanelOLS

import impactkit as ik
from impactkit import attribution as att
from impactkit.errors import EstimationError


def rollout(
    n: int = 240,
    periods: int = 6,
    cohorts: tuple[int, ...] = (0, 3, 4, 5),
    seed: int = 0,
    slope: float = 0.5,
    covariate: bool = False,
) -> pd.DataFrame:
    """A balanced panel whose effects grow with time since adoption."""
    rng = np.random.default_rng(seed)
    g = rng.choice(np.array(cohorts), size=n)
    x = rng.normal(size=n)
    rows = []
    for i in range(n):
        a = rng.normal() + (0.5 * x[i] if covariate else 0)
        for t in range(1, periods + 1):
            eff = (1 + slope * (t - g[i])) if g[i] and t >= g[i] else 0.0
            trend = 0.3 * t + (0.2 * x[i] * t if covariate else 0)
            rows.append(
                {"id": i, "t": t, "g": int(g[i]), "x": x[i], "y": a + trend + eff + rng.normal()}
            )
    return pd.DataFrame(rows)


def csdid_fit(df: pd.DataFrame, control: str, xformla: str | None = None):
    from csdid.att_gt import ATTgt

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        return ATTgt(
            yname="y",
            gname="g",
            idname="id",
            tname="t",
            xformla=xformla,
            data=df,
            control_group=control,
        ).fit(est_method="dr", bstrap=False)


def csdid_aggte(out, kind: str):
    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        agg = out.aggte(typec=kind, bstrap=False)
    return agg.atte if hasattr(agg, "atte") else agg


def test_cells_equal_the_two_by_two_formula():
    df = rollout(seed=1)
    r = att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    means = df.groupby(["g", "t"])["y"].mean().unstack()
    for row in r.att_gt.itertuples():
        g, t, b = row.cohort, row.time, row.base
        hand = (means.loc[g, t] - means.loc[g, b]) - (means.loc[0, t] - means.loc[0, b])
        assert row.att == pytest.approx(hand, abs=1e-12)
        assert row.post == (t >= g)
        assert b == (g - 1 if t >= g else t - 1)


def test_not_yet_treated_controls_and_universal_base_by_hand():
    df = rollout(seed=2)
    r = att.StaggeredDiD(control="not_yet_treated", base_period="universal").estimate(
        df, outcome="y", entity="id", time="t", cohort="g"
    )
    wide = df.pivot(index="id", columns="t", values="y")
    coh = df.groupby("id")["g"].first()
    row = r.att_gt.query("cohort == 3 and time == 4").iloc[0]
    b = 2
    ctrl = (coh == 0) | (coh > max(4, b))
    hand = (wide.loc[coh == 3, 4] - wide.loc[coh == 3, b]).mean() - (
        wide.loc[ctrl, 4] - wide.loc[ctrl, b]
    ).mean()
    assert row.att == pytest.approx(hand, abs=1e-12)
    assert row.n_control == int(ctrl.sum())
    assert not ((r.att_gt["cohort"] == 3) & (r.att_gt["time"] == 2)).any()  # base cell omitted


def test_aggregations_equal_hand_weighted_sums():
    df = rollout(seed=3)
    r = att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    tab = r.att_gt
    size = df.groupby("g")["id"].nunique()
    post = tab[tab.post]
    w = post["cohort"].map(size)
    assert r.aggregate("simple").effect == pytest.approx((w * post.att).sum() / w.sum())
    dyn = r.aggregate("dynamic").set_index("event_time")
    for e, part in tab.groupby("event_time"):
        we = part["cohort"].map(size)
        assert dyn.loc[e, "att"] == pytest.approx((we * part.att).sum() / we.sum())
    grp = r.aggregate("group").set_index("cohort")
    for g, part in post.groupby("cohort"):
        assert grp.loc[g, "att"] == pytest.approx(part.att.mean())
    cal = r.aggregate("calendar").set_index("time")
    for t, part in post.groupby("time"):
        wt = part["cohort"].map(size)
        assert cal.loc[t, "att"] == pytest.approx((wt * part.att).sum() / wt.sum())


@pytest.mark.parametrize(
    ("control", "oracle_control", "covariates"),
    [
        ("never_treated", "nevertreated", None),
        ("not_yet_treated", "notyettreated", None),
        ("never_treated", "nevertreated", ["x"]),
    ],
)
def test_agrees_with_the_reference_port(control, oracle_control, covariates):
    df = rollout(n=300, seed=0, covariate=True)
    r = att.StaggeredDiD(control=control).estimate(
        df, outcome="y", entity="id", time="t", cohort="g", covariates=covariates
    )
    out = csdid_fit(df, oracle_control, "~ x" if covariates else None)
    ref = out.results
    np.testing.assert_allclose(r.att_gt["att"], np.asarray(ref["att"]), atol=1e-10)
    np.testing.assert_allclose(r.att_gt["se"], np.asarray(ref["se"]), atol=1e-10)
    simple = csdid_aggte(out, "simple")
    est = r.aggregate("simple")
    assert est.effect == pytest.approx(simple["overall_att"], abs=1e-10)
    assert est.se == pytest.approx(simple["overall_se"], abs=1e-10)
    for kind in ("dynamic", "group", "calendar"):
        agg = csdid_aggte(out, kind)
        tab = r.aggregate(kind)
        np.testing.assert_allclose(tab["att"], np.asarray(agg["att_egt"]), atol=1e-10)
        np.testing.assert_allclose(tab["se"], np.ravel(agg["se_egt"]), atol=1e-10)
        overall = r.aggregate(kind, overall=True)
        assert overall.effect == pytest.approx(agg["overall_att"], abs=1e-10)
        assert overall.se == pytest.approx(agg["overall_se"], abs=1e-10)


def test_recovers_growing_effects_where_twfe_is_biased():
    df = rollout(n=3000, periods=8, cohorts=(0, 3, 5, 7), seed=4, slope=1.0)
    r = att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    dyn = r.aggregate("dynamic").set_index("event_time")
    for e in range(0, 4):
        truth = 1 + 1.0 * e
        assert dyn.loc[e, "ci_low"] <= truth <= dyn.loc[e, "ci_high"]
    for e in (-3, -2):  # no pre-trends in the simulation
        assert dyn.loc[e, "ci_low"] <= 0 <= dyn.loc[e, "ci_high"]
    # the simple ATT truth: the cohort-size weighted mean of 1 + (t - g) over post cells
    tab = r.att_gt[r.att_gt.post]
    size = df.groupby("g")["id"].nunique()
    truth = (tab["cohort"].map(size) * (1 + (tab.time - tab.cohort))).sum() / tab["cohort"].map(
        size
    ).sum()
    est = r.aggregate("simple")
    assert est.ci[0] <= truth <= est.ci[1]
    d = df.assign(D=((df.t >= df.g) & (df.g > 0)).astype(float))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        twfe = att.DifferenceInDifferences(design="twfe").estimate(
            d, outcome="y", treatment="D", entity="id", time="t"
        )
    assert abs(twfe.effect - truth) > 5 * est.se  # TWFE visibly misses
    bacon = att.bacon_decomposition(df, outcome="y", entity="id", time="t", cohort="g")
    by = bacon.by_type().set_index("type")
    assert by.loc["later vs earlier (already treated)", "estimate"] < truth - 1


def test_bacon_weights_sum_to_one_and_reproduce_twfe():
    df = rollout(n=200, periods=7, cohorts=(0, 3, 4, 6), seed=5)
    b = att.bacon_decomposition(df, outcome="y", entity="id", time="t", cohort="g")
    c = b.comparisons
    assert c["weight"].sum() == pytest.approx(1.0, abs=1e-12)
    assert (c["weight"] * c["estimate"]).sum() == pytest.approx(b.twfe, abs=1e-10)
    panel = df.assign(D=((df.t >= df.g) & (df.g > 0)).astype(float)).set_index(["id", "t"])
    ref = PanelOLS(panel.y, panel[["D"]], entity_effects=True, time_effects=True).fit()
    assert b.twfe == pytest.approx(float(ref.params["D"]), abs=1e-10)
    json.dumps(b.to_dict(), allow_nan=False)


def test_sun_abraham_equals_universal_base_cells_and_regression_oracles():
    df = rollout(n=200, periods=7, cohorts=(0, 3, 4, 6), seed=6)
    sa = att.SunAbraham().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    cs = att.StaggeredDiD(base_period="universal").estimate(
        df, outcome="y", entity="id", time="t", cohort="g"
    )
    m = cs.att_gt.merge(sa.cohort_effects, on=["cohort", "event_time"], suffixes=("_cs", "_sa"))
    assert len(m) == len(sa.cohort_effects)
    np.testing.assert_allclose(m["att_cs"], m["att_sa"], atol=1e-10)
    # the same regression with explicit unit and time dummies, clustered by unit:
    # its CR1 counts every dummy in k, ours the time effects and the constant (unit
    # effects nested in the clusters), as fixest, pyfixest and reghdfe do
    d = df.copy()
    names = []
    for g, e in zip(sa.cohort_effects.cohort, sa.cohort_effects.event_time, strict=True):
        name = f"d_{g}_{e}"
        d[name] = ((d.g == g) & (d.t - d.g == e)).astype(float)
        names.append(name)
    x = pd.concat(
        [
            d[names],
            pd.get_dummies(d.id, prefix="u", dtype=float),
            pd.get_dummies(d.t, prefix="t", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    fit = sm.OLS(d.y, x).fit(cov_type="cluster", cov_kwds={"groups": d.id})
    np.testing.assert_allclose(fit.params[names].to_numpy(), sa.cohort_effects["att"], atol=1e-9)
    n, k_sm = len(d), x.shape[1]
    k_ours = len(names) + d.t.nunique()
    ratio = np.sqrt((n - k_ours) / (n - k_sm))
    np.testing.assert_allclose(
        fit.bse[names].to_numpy() / sa.cohort_effects["se"].to_numpy(), ratio, rtol=1e-8
    )
    ev = sa.event_study.set_index("event_time")
    ce = sa.cohort_effects
    for e, part in ce.groupby("event_time"):
        assert ev.loc[e, "att"] == pytest.approx((part.weight * part.att).sum())


def test_wild_bootstrap_matches_full_enumeration_and_the_oracle():
    from wildboottest.wildboottest import WildboottestCL

    rng = np.random.default_rng(3)
    for n_g in (6, 9):
        n = 30 * n_g
        g = np.repeat(np.arange(n_g), 30)
        df = pd.DataFrame({"g": g, "x": rng.normal(size=n) + rng.normal(size=n_g)[g]})
        df["z"] = rng.normal(size=n)
        df["y"] = 0.15 * df.x + 0.3 * df.z + rng.normal(size=n_g)[g] + rng.normal(size=n)
        r = att.wild_cluster_test(
            df, outcome="y", regressor="x", cluster="g", covariates=["z"], n_bootstrap=999
        )
        assert r.enumerated
        assert r.n_bootstrap == 2**n_g
        x = np.column_stack([np.ones(n), df.x, df.z])
        with contextlib.redirect_stdout(io.StringIO()):
            wb = WildboottestCL(
                X=x, Y=df.y.to_numpy(), cluster=g, R=np.array([0, 1, 0]), B=999, seed=1
            )
            wb.get_scores(bootstrap_type="11", impose_null=True)
            wb.get_weights(weights_type="rademacher")
            wb.get_numer()
            wb.get_denom()
            wb.get_tboot()
            wb.get_vcov()
            wb.get_tstat()
            wb.get_pvalue()
        t = float(np.ravel(wb.t_stat)[0])
        assert r.statistic == pytest.approx(t, rel=1e-10)
        t_boot = np.abs(np.ravel(wb.t_boot))
        assert len(t_boot) == r.n_bootstrap
        # same bootstrap distribution; ties with |t| (the vectors of ones) never count
        assert r.pvalue == pytest.approx(float(np.mean(t_boot > abs(t) * (1 + 1e-10))))
        assert abs(r.pvalue - float(wb.pvalue)) <= 2 / r.n_bootstrap
        # enumeration is deterministic: any seed gives the same answer
        r2 = att.wild_cluster_test(
            df, outcome="y", regressor="x", cluster="g", covariates=["z"], n_bootstrap=999, seed=42
        )
        assert (r2.pvalue, r2.ci) == (r.pvalue, r.ci)


def test_wild_interval_is_the_inverted_test():
    rng = np.random.default_rng(8)
    g = np.repeat(np.arange(10), 20)
    df = pd.DataFrame({"g": g, "x": rng.normal(size=200)})
    df["y"] = 0.4 * df.x + rng.normal(size=10)[g] + rng.normal(size=200)
    r = att.wild_cluster_test(
        df, outcome="y", regressor="x", cluster="g", n_bootstrap=2000, level=0.9
    )
    lo, hi = r.ci
    assert lo < r.coefficient < hi
    inside = att.wild_cluster_test(
        df, outcome="y", regressor="x", cluster="g", n_bootstrap=2000, null=lo + 1e-4 * (hi - lo)
    )
    outside = att.wild_cluster_test(
        df, outcome="y", regressor="x", cluster="g", n_bootstrap=2000, null=lo - 0.05 * (hi - lo)
    )
    assert inside.pvalue >= 0.1
    assert outside.pvalue < 0.1


def test_wild_webb_weights_are_reproducible_with_a_seed():
    rng = np.random.default_rng(9)
    g = np.repeat(np.arange(5), 20)
    df = pd.DataFrame({"g": g, "x": rng.normal(size=100)})
    df["y"] = rng.normal(size=100)
    a = att.wild_cluster_test(
        df,
        outcome="y",
        regressor="x",
        cluster="g",
        weights="webb",
        n_bootstrap=499,
        seed=7,
        level=None if False else 0.95,
    )
    b = att.wild_cluster_test(
        df, outcome="y", regressor="x", cluster="g", weights="webb", n_bootstrap=499, seed=7
    )
    assert not a.enumerated
    assert a == b
    assert a.seed_entropy == 7
    json.dumps(a.to_dict(), allow_nan=False)
    assert hash(a) == hash(b)


def test_did_se_wild_replaces_the_interval():
    df = rollout(n=120, periods=4, cohorts=(0, 3), seed=10)
    df["region"] = df["id"] % 8
    d = df.assign(D=((df.t >= df.g) & (df.g > 0)).astype(float))
    cl = att.DifferenceInDifferences(design="twfe").estimate(
        d, outcome="y", treatment="D", entity="id", time="t", cluster="region"
    )
    wild = att.DifferenceInDifferences(design="twfe", se="wild").estimate(
        d, outcome="y", treatment="D", entity="id", time="t", cluster="region"
    )
    assert wild.effect == cl.effect
    assert wild.se == cl.se
    assert wild.ci != cl.ci
    assert wild.diagnostics["wild"]["enumerated"] is True
    assert wild.diagnostics["wild"]["n_clusters"] == 8
    assert 0 <= wild.diagnostics["wild"]["pvalue"] <= 1


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: d.assign(g=np.where((d.id == 3) & (d.t == 2), 5, d.g)), "switch cohort"),
        (lambda d: d[~((d.id == 4) & (d.t == 2))], "unbalanced"),
        (lambda d: pd.concat([d, d.iloc[[0]]]), "duplicated"),
        (lambda d: d.assign(y=np.where(d.index == 7, np.inf, d.y)), "infinite"),
        (lambda d: d.assign(g=np.where(d.g == 3, 1, d.g)), "no pre-treatment period"),
    ],
)
def test_bad_panels_get_clear_errors(mutate, message):
    df = mutate(rollout(n=60, seed=11))
    with pytest.raises(EstimationError, match=message):
        att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")


def test_never_treated_control_needs_never_treated_units():
    df = rollout(n=60, cohorts=(3, 4, 5), seed=12)
    with pytest.raises(EstimationError, match="never-treated"):
        att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    with pytest.warns(ik.ImpactkitWarning, match="without any comparison unit"):
        r = att.StaggeredDiD(control="not_yet_treated").estimate(
            df, outcome="y", entity="id", time="t", cohort="g"
        )
    assert (r.att_gt["n_control"] > 0).all()
    assert r.missing_cells  # the last cohort's post cells: no comparison unit


def test_missing_cohort_means_never_treated():
    df = rollout(n=90, seed=13)
    a = att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    with pytest.warns(ik.ImpactkitWarning, match="read as never treated"):
        b = att.StaggeredDiD().estimate(
            df.assign(g=df.g.replace(0, np.nan)), outcome="y", entity="id", time="t", cohort="g"
        )
    np.testing.assert_array_equal(a.att_gt["att"], b.att_gt["att"])


def test_multiplier_bootstrap_bands_are_uniform_and_reproducible():
    df = rollout(n=400, seed=14)
    an = att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    bs = att.StaggeredDiD(n_bootstrap=2000).estimate(
        df, outcome="y", entity="id", time="t", cohort="g", seed=3
    )
    again = att.StaggeredDiD(n_bootstrap=2000).estimate(
        df, outcome="y", entity="id", time="t", cohort="g", seed=3
    )
    np.testing.assert_array_equal(bs.att_gt["ci_low"], again.att_gt["ci_low"])
    assert bs.uniform
    # IQR-based bootstrap SEs are close to the analytic ones at this size
    np.testing.assert_allclose(bs.att_gt["se"], an.att_gt["se"], rtol=0.15)
    width_b = (bs.att_gt.ci_high - bs.att_gt.ci_low) / bs.att_gt.se
    width_a = (an.att_gt.ci_high - an.att_gt.ci_low) / an.att_gt.se
    assert (width_b > width_a).all()  # simultaneous bands are wider than pointwise


def test_staggered_estimate_feeds_deadweight_and_the_result_contract():
    df = rollout(n=200, seed=15)
    r = att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    est = r.aggregate("simple")
    dw = att.deadweight_from_effect(est, observed=est.effect * 2, kind="change")
    assert dw.deadweight == pytest.approx(0.5, abs=1e-12)
    json.dumps(r.to_dict(), allow_nan=False)
    assert isinstance(r.to_frame(), pd.DataFrame)
    assert "Staggered" in str(r.summary())
    hash(r)
    assert not r.influence.flags.writeable
    assert ik.attribution.StaggeredDiD is att.StaggeredDiD
    assert math.isfinite(est.se)
