"""One small-sample convention for every regression estimator with unit and time effects.

The CR1 factor is (G/(G-1)) (N-1)/(N-K) with K counting the regressors and
every absorbed parameter except the fixed effects nested in the clusters
(fixest's ``fixef.K="nested"``, pyfixest, reghdfe): with unit clusters, the
regressors, the T - 1 time effects and the constant. The oracle is
statsmodels' regression with all the dummies, its uncorrected cluster
sandwich scaled by that factor.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit import attribution as att
from impactkit.attribution._core import cr1_parameters
from impactkit.errors import ImpactkitWarning


def rollout(n: int, periods: int, seed: int) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    g = rng.choice(np.array([0, 3, 4, 6]), size=n)
    rows = []
    alpha = rng.normal(size=n)
    for i in range(n):
        for t in range(1, periods + 1):
            treated = g[i] > 0 and t >= g[i]
            eff = (1 + t - g[i]) if treated else 0.0
            rows.append((i, t, g[i], alpha[i] + 0.3 * t + eff + rng.normal()))
    return pd.DataFrame(rows, columns=["id", "t", "g", "y"])


def raw_cluster_se(
    x: pd.DataFrame, y: pd.Series, groups: pd.Series
) -> tuple[pd.Series, pd.Series]:
    """statsmodels' cluster sandwich without any small-sample correction."""
    fit = sm.OLS(y, x).fit(
        cov_type="cluster", cov_kwds={"groups": groups, "use_correction": False}
    )
    return fit.params, fit.bse


def cr1(se: pd.Series, n: int, n_g: int, k: int) -> pd.Series:
    return se * np.sqrt(n_g / (n_g - 1) * (n - 1) / (n - k))


def test_sun_abraham_se_is_cr1_with_the_time_effects_and_constant_in_k():
    df = rollout(150, 7, seed=21)
    sa = att.SunAbraham().estimate(df, outcome="y", entity="id", time="t", cohort="g")
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
    params, se = raw_cluster_se(x, d.y, d.id)
    n, n_g, n_t = len(d), d.id.nunique(), d.t.nunique()
    k = len(names) + (n_t - 1) + 1  # regressors, time effects, constant
    np.testing.assert_allclose(params[names].to_numpy(), sa.cohort_effects["att"], atol=1e-9)
    np.testing.assert_allclose(
        sa.cohort_effects["se"].to_numpy(), cr1(se[names], n, n_g, k).to_numpy(), rtol=1e-9
    )


def test_did_and_sun_abraham_count_k_the_same_way():
    # one cohort, never-treated controls: TWFE and the event study's pooled design
    # share the time effects; both use the one helper
    assert cr1_parameters(3, n_units=40, n_times=5) == 3 + 5
    assert cr1_parameters(3, n_units=40, n_times=5, fe_dof="all") == 3 + 40 + 5 - 1
    assert cr1_parameters(3, n_units=40, n_times=5, fe_dof="none") == 3
    assert cr1_parameters(3, n_units=40, n_times=5, units_nested=False) == 3 + 40 + 5 - 1


def twfe_oracle(df: pd.DataFrame, cluster: str, k_absorbed: int) -> float:
    x = pd.concat(
        [
            df[["D"]],
            pd.get_dummies(df.id, prefix="u", dtype=float),
            pd.get_dummies(df.t, prefix="t", drop_first=True, dtype=float),
        ],
        axis=1,
    )
    _, se = raw_cluster_se(x, df.y, df[cluster])
    return float(cr1(se, len(df), df[cluster].nunique(), 1 + k_absorbed)["D"])


def test_did_twfe_se_follows_the_same_convention():
    df = rollout(90, 6, seed=22)
    df["D"] = ((df.g > 0) & (df.t >= df.g)).astype(float)
    n_u, n_t = df.id.nunique(), df.t.nunique()
    with pytest.warns(ImpactkitWarning, match="different times"):
        est = att.DifferenceInDifferences(design="twfe").estimate(
            df, outcome="y", treatment="D", entity="id", time="t"
        )
    assert est.se == pytest.approx(twfe_oracle(df, "id", n_t), rel=1e-9)
    # clusters that group units (regions): the unit effects stay nested
    df["region"] = df.id % 9
    with pytest.warns(ImpactkitWarning, match="different times"):
        est = att.DifferenceInDifferences(design="twfe").estimate(
            df, outcome="y", treatment="D", entity="id", time="t", cluster="region"
        )
    assert est.se == pytest.approx(twfe_oracle(df, "region", n_t), rel=1e-9)
    # clusters that cut across units: the unit effects are not nested and count
    df["wave"] = (df.id + df.t) % 7
    with pytest.warns(ImpactkitWarning, match="different times"):
        est = att.DifferenceInDifferences(design="twfe").estimate(
            df, outcome="y", treatment="D", entity="id", time="t", cluster="wave"
        )
    assert est.se == pytest.approx(twfe_oracle(df, "wave", n_u + n_t - 1), rel=1e-9)
