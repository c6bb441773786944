"""The wild cluster restricted bootstrap of two-way fixed effects is the WCR of the
regression with unit and time dummies.

The oracle is written out by brute force: for every one of the 2^G Rademacher
sign vectors, the bootstrap sample is built from the restricted fit of the
dummy-variable regression, refitted with all its dummies, and studentised with
its own CR1 variance. ``wildboottest`` (which takes a design matrix) gives the
same bootstrap distribution when handed the dummies.
"""

from __future__ import annotations

import contextlib
import io
import itertools

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit import attribution as att
from impactkit.errors import ImpactkitWarning


def panel(n_units: int, n_t: int, seed: int, *, clusters: int | str | None = None) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n_units), n_t)
    t = np.tile(np.arange(n_t), n_units)
    start = rng.choice([1, 2, 3, 99], size=n_units)  # 99: never treated
    start[:2] = (2, 99)  # both arms present
    d = (t >= start[unit]).astype(float)
    if clusters == "across":  # a unit's rows fall in several clusters
        region = (unit + t) % 7
    else:
        region = unit % clusters if clusters is not None else unit
    y = (
        rng.normal(size=n_units)[unit]
        + 0.5 * t
        + rng.normal(size=n_t)[t] * rng.normal(size=n_units)[unit]  # cluster-specific shocks
        + 0.3 * d
        + rng.normal(scale=1 + d, size=n_units * n_t)
    )
    return pd.DataFrame({"unit": unit, "t": t, "d": d, "y": y, "region": region})


def dummy_design(df: pd.DataFrame) -> np.ndarray:
    return np.column_stack(
        [
            df["d"].to_numpy(float),
            pd.get_dummies(df["unit"], dtype=float).to_numpy(),
            pd.get_dummies(df["t"], drop_first=True, dtype=float).to_numpy(),
        ]
    )


def crv_t(x: np.ndarray, y: np.ndarray, groups: np.ndarray, r: float) -> float:
    """t of the first coefficient with the CR1 sandwich of the full design."""
    n, k = x.shape
    n_g = len(np.unique(groups))
    bread = np.linalg.inv(x.T @ x)
    beta = bread @ (x.T @ y)
    u = y - x @ beta
    meat_rows = np.array([x[groups == g].T @ u[groups == g] for g in np.unique(groups)])
    a = bread[0] @ meat_rows.T  # per-cluster scores of coefficient 0
    factor = n_g / (n_g - 1) * (n - 1) / (n - k)
    return float((beta[0] - r) / np.sqrt(factor * (a @ a)))


def brute_force_wcr(df: pd.DataFrame, cluster: str, r: float = 0.0) -> tuple[float, float]:
    """(t, p) of the WCR on the dummy regression, all 2^G Rademacher vectors."""
    x = dummy_design(df)
    y = df["y"].to_numpy(float)
    groups = pd.factorize(df[cluster], sort=True)[0]
    n_g = groups.max() + 1
    t = crv_t(x, y, groups, r)
    # restricted fit: coefficient of d fixed at r, the dummies estimated
    xr = x[:, 1:]
    yr = y - r * x[:, 0]
    fit_r = xr @ np.linalg.lstsq(xr, yr, rcond=None)[0]
    u_r = yr - fit_r
    base = r * x[:, 0] + fit_r
    t_boot = []
    for v in itertools.product((1.0, -1.0), repeat=n_g):
        y_star = base + np.asarray(v)[groups] * u_r
        t_boot.append(crv_t(x, y_star, groups, r))
    p = float(np.mean(np.abs(np.array(t_boot)) > abs(t) * (1 + 1e-10)))
    return t, p


@pytest.mark.parametrize(
    ("n_units", "n_t", "seed", "clusters", "drop"),
    [
        (9, 5, 1, None, 0),  # clustered by unit
        (10, 4, 2, None, 3),  # unbalanced panel
        (33, 4, 3, 11, 0),  # 11 départements, units nested in them
        (24, 3, 4, 8, 5),  # clusters and an unbalanced panel
        (20, 4, 5, "across", 0),  # clusters that cut across units
        (20, 4, 6, "across", 4),  # the same, unbalanced
    ],
)
def test_wild_twfe_p_value_equals_brute_force_wcr_on_dummy_regression(
    n_units, n_t, seed, clusters, drop
):
    df = panel(n_units, n_t, seed, clusters=clusters)
    if drop:
        rng = np.random.default_rng(seed)
        df = df.drop(index=rng.choice(df.index[2 * n_t :], size=drop, replace=False))
    cluster = "region" if clusters else "unit"
    est = wild_twfe(df, cluster, fe_dof="all")  # K counts every dummy, as statsmodels does
    wild = est.diagnostics["wild"]
    n_g = df[cluster].nunique()
    assert wild["enumerated"] is True
    assert wild["n_bootstrap"] == 2**n_g
    t, p = brute_force_wcr(df, cluster)
    # the oracle's t is that of statsmodels' dummy regression with CR1 errors
    x = dummy_design(df)
    fit = sm.OLS(df["y"].to_numpy(float), x).fit(
        cov_type="cluster", cov_kwds={"groups": pd.factorize(df[cluster])[0]}
    )
    assert t == pytest.approx(fit.tvalues[0], rel=1e-8)
    assert wild["statistic"] == pytest.approx(t, rel=1e-8)
    assert wild["pvalue"] == p
    # the default count of K changes the statistic's scale, never the p-value
    assert wild_twfe(df, cluster).diagnostics["wild"]["pvalue"] == p


def wild_twfe(df: pd.DataFrame, cluster: str, **options) -> att.EffectEstimate:
    with pytest.warns(ImpactkitWarning, match="different times"):  # staggered starts
        return att.DifferenceInDifferences(design="twfe", se="wild", **options).estimate(
            df, outcome="y", treatment="d", entity="unit", time="t", cluster=cluster
        )


def test_wild_twfe_agrees_with_wildboottest_on_the_dummy_design():
    from wildboottest.wildboottest import WildboottestCL

    df = panel(30, 4, 7, clusters=10)
    est = wild_twfe(df, "region", fe_dof="all")
    wild = est.diagnostics["wild"]
    x = dummy_design(df)
    groups = pd.factorize(df["region"], sort=True)[0]
    with contextlib.redirect_stdout(io.StringIO()):
        wb = WildboottestCL(
            X=x, Y=df["y"].to_numpy(float), cluster=groups, R=np.eye(x.shape[1])[0], B=9999
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
    t_boot = np.abs(np.ravel(wb.t_boot))
    assert len(t_boot) == wild["n_bootstrap"] == 2**10
    assert wild["statistic"] == pytest.approx(t, rel=1e-8)
    # the same bootstrap distribution; ties with |t| (the vectors of ones) never count
    assert wild["pvalue"] == pytest.approx(float(np.mean(t_boot > abs(t) * (1 + 1e-10))))


def test_wild_twfe_interval_inverts_the_dummy_regression_wcr():
    df = panel(8, 4, 8)
    est = wild_twfe(df, "unit")
    lo, hi = est.ci
    width = hi - lo
    alpha = 1 - est.level
    for bound, sign in ((lo, -1.0), (hi, 1.0)):
        assert brute_force_wcr(df, "unit", bound - sign * 1e-6 * width)[1] >= alpha
        assert brute_force_wcr(df, "unit", bound + sign * 1e-3 * width)[1] < alpha


@pytest.mark.parametrize(("clusters", "drop"), [(None, 0), (6, 0), (None, 7), (6, 7)])
def test_nested_shortcut_equals_the_projection_of_every_cluster_column(clusters, drop):
    # with units nested in clusters the fixed effects act only through the time
    # effects net of the unit effects (a T x T system); it equals projecting the
    # (n x G) columns by the within transformation, balanced or not
    from impactkit.attribution import _wild
    from impactkit.attribution._means_did import demean_two_way

    df = panel(18, 5, 11, clusters=clusters)
    if drop:
        df = df.drop(index=np.random.default_rng(1).choice(df.index[10:], drop, replace=False))
    u = pd.factorize(df["unit"])[0].astype(np.int64)
    t = pd.factorize(df["t"])[0].astype(np.int64)
    groups = pd.factorize(df["region"])[0].astype(np.int64)
    n_u, n_t, n_g = u.max() + 1, t.max() + 1, groups.max() + 1
    fe = _wild.TwoWayEffects(u, t, n_u, n_t, lambda z: demean_two_way(z, u, t, n_u, n_t))
    z = demean_two_way(df[["y", "d"]].to_numpy(float), u, t, n_u, n_t)
    a = np.random.default_rng(2).normal(size=len(df))
    a = demean_two_way(a, u, t, n_u, n_t)[:, 0]  # orthogonal to the dummies, as in the WCR
    parts = [z[:, 0], z[:, 1]]
    short = _wild._fe_nested(fe, groups, n_g, a, parts)
    full = _wild._fe_within(fe, groups, n_g, a, parts)
    for s_, f_ in zip(short, full, strict=True):
        np.testing.assert_allclose(s_, f_, atol=1e-9 * np.abs(f_).max())
