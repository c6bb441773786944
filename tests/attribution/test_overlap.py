"""Propensity models: separation versus overlap (docs/methods/attribution.md), overlap diagnostics,
the overlap warning and trimming.

The observational comparisons of job-training evaluations (the NSW treated men
against PSID or CPS comparison groups, Dehejia & Wahba 1999) have a finite
maximum-likelihood propensity model whose scores reach 1e-20 for most
comparison units. Those files carry no licence we could check, so the tests
below simulate data of the same shape: 185 treated, 2,490 comparison units
(the sizes of the NSW/PSID files), a treated group of young, unmarried men with
little past earnings against older, married, higher earners. The parameters are
illustrative, not estimates.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import special

import impactkit as ik
from impactkit import attribution as att
from impactkit.attribution._propensity import fit_logit

COVARIATES = ["age", "educ", "black", "married", "nodegree", "re74", "re75"]


def job_training_like(seed=1, n1=185, n0=2490):
    rng = np.random.default_rng(seed)

    def arm(n, age, educ, black, married, nodegree, zero74, mean74, treat):
        e74 = np.where(rng.random(n) < zero74, 0.0, rng.exponential(mean74, n))
        e75 = np.where(
            e74 == 0,
            np.where(rng.random(n) < 0.8, 0.0, rng.exponential(mean74 / 2, n)),
            e74 * rng.lognormal(0, 0.3, n),
        )
        return pd.DataFrame(
            {
                "treat": float(treat),
                "age": np.clip(rng.normal(age, 8, n), 17, 55).round(),
                "educ": np.clip(rng.normal(educ, 2.5, n), 3, 17).round(),
                "black": (rng.random(n) < black).astype(float),
                "married": (rng.random(n) < married).astype(float),
                "nodegree": (rng.random(n) < nodegree).astype(float),
                "re74": e74,  # earnings in thousands
                "re75": e75,
            }
        )

    df = pd.concat(
        [
            arm(n1, 26, 10.3, 0.84, 0.19, 0.71, 0.71, 6.0, 1),
            arm(n0, 35, 12, 0.25, 0.87, 0.31, 0.09, 20.0, 0),
        ],
        ignore_index=True,
    )
    df["re78"] = 1.8 * df["treat"] + 0.6 * df["re75"] + 0.1 * df["educ"]
    df["re78"] += rng.exponential(5, len(df))
    return df


@pytest.fixture(scope="module")
def jobs():
    df = job_training_like()
    x = sm.add_constant(df[COVARIATES])
    ref = sm.Logit(df["treat"], x).fit(disp=0, maxiter=200)
    assert ref.mle_retvals["converged"]
    return df, ref


def test_extreme_scores_with_a_finite_mle_are_fitted_like_statsmodels(jobs):
    df, ref = jobs
    eta = sm.add_constant(df[COVARIATES]).to_numpy() @ ref.params.to_numpy()
    assert np.abs(eta).max() > 35  # scores below 1e-15: the shape that used to be refused
    fit = fit_logit(df[COVARIATES].to_numpy(), df["treat"].to_numpy(), names=COVARIATES)
    assert fit.converged
    np.testing.assert_allclose(fit.parameters, ref.params, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(fit.cov, ref.cov_params(), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(fit.fitted, ref.predict(), rtol=1e-6, atol=1e-300)


def manual_hajek_att(y, w, e):
    wt = np.where(w == 1, 1.0, e / (1 - e))
    return np.sum(wt * w * y) / np.sum(wt * w) - np.sum(wt * (1 - w) * y) / np.sum(wt * (1 - w))


def test_ipw_att_and_diagnostics_on_job_training_shape(jobs):
    df, ref = jobs
    e = np.asarray(ref.predict())
    w = df["treat"].to_numpy()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.OverlapWarning)
        est = att.InverseProbabilityWeighting(estimand="ATT").estimate(
            df, outcome="re78", treatment="treat", covariates=COVARIATES
        )
    assert est.effect == pytest.approx(manual_hajek_att(df["re78"].to_numpy(), w, e), rel=1e-7)
    ov = est.diagnostics["overlap"]
    assert ov["min"] == pytest.approx(e.min(), rel=1e-5)
    assert ov["max"] == pytest.approx(e.max(), rel=1e-7)
    for lo, hi in ((0.01, 0.99), (0.1, 0.9)):
        n_out = int(np.sum((e < lo) | (e > hi)))
        assert ov[f"outside_{lo:g}_{hi:g}"] == n_out
        assert ov[f"share_outside_{lo:g}_{hi:g}"] == pytest.approx(n_out / len(e))
    assert ov["outside_0.01_0.99"] > len(e) / 2
    wt = e / (1 - e)
    ess = est.diagnostics["effective_sample_size"]
    assert ess["control"] == pytest.approx(wt[w == 0].sum() ** 2 / (wt[w == 0] ** 2).sum())
    assert ess["treated"] == pytest.approx(185.0)


@pytest.mark.parametrize(
    "estimator",
    [
        att.InverseProbabilityWeighting(),
        att.DoublyRobust(),
        att.InverseProbabilityWeighting(estimand="ATT"),
        att.DoublyRobust(estimand="ATT"),
        att.PropensityScoreMatching(),
    ],
    ids=["ipw-ate", "aipw-ate", "ipw-att", "aipw-att", "psm"],
)
def test_estimators_fit_the_job_training_shape(jobs, estimator):
    df, _ = jobs
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ik.OverlapWarning)
        est = estimator.estimate(df, outcome="re78", treatment="treat", covariates=COVARIATES)
    assert np.isfinite(est.effect)
    assert np.isfinite(est.se)
    assert set(est.diagnostics["effective_sample_size"]) == {"treated", "control"}
    assert est.diagnostics["overlap"]["outside_0.1_0.9"] > 0


@pytest.mark.parametrize(
    "estimator",
    [att.InverseProbabilityWeighting(), att.DoublyRobust()],
    ids=["ipw", "aipw"],
)
def test_poor_overlap_warns_and_points_at_the_caller(jobs, estimator):
    df, _ = jobs
    with pytest.warns(ik.OverlapWarning, match="poor overlap for the ATE") as rec:
        estimator.estimate(df, outcome="re78", treatment="treat", covariates=COVARIATES)
    assert rec[0].filename == __file__
    assert issubclass(ik.OverlapWarning, ik.ImpactkitWarning)


def test_matching_warns_when_controls_are_reused_heavily():
    rng = np.random.default_rng(5)
    n = 600
    x = rng.normal(size=n)
    w = (rng.random(n) < special.expit(-1 + 3 * x)).astype(float)
    df = pd.DataFrame({"x": x, "w": w, "y": w + x + rng.normal(size=n)})
    with pytest.warns(ik.OverlapWarning, match="effective sample size") as rec:
        att.PropensityScoreMatching().estimate(df, outcome="y", treatment="w", covariates=["x"])
    assert rec[0].filename == __file__


def test_good_overlap_does_not_warn():
    rng = np.random.default_rng(2)
    n = 500
    x = rng.normal(size=n)
    w = (rng.random(n) < special.expit(0.5 * x)).astype(float)
    df = pd.DataFrame({"x": x, "w": w, "y": w + x + rng.normal(size=n)})
    for estimator in (
        att.InverseProbabilityWeighting(),
        att.DoublyRobust(),
        att.PropensityScoreMatching(),
    ):
        estimator.estimate(df, outcome="y", treatment="w", covariates=["x"])  # no warning


@pytest.mark.parametrize(
    "make",
    [
        lambda: att.InverseProbabilityWeighting(estimand="ATT", trim=(0.1, 0.9)),
        lambda: att.DoublyRobust(estimand="ATT", trim=(0.1, 0.9)),
        lambda: att.PropensityScoreMatching(trim=(0.1, 0.9)),
    ],
    ids=["ipw", "aipw", "psm"],
)
def test_trimming_drops_and_counts_units_outside_the_bounds(jobs, make):
    df, ref = jobs
    e = np.asarray(ref.predict())
    keep = (e >= 0.1) & (e <= 0.9)
    estimator = make()
    est = estimator.estimate(df, outcome="re78", treatment="treat", covariates=COVARIATES)
    assert est.dropped["trimming"] == int((~keep).sum())
    assert est.diagnostics["overlap"]["outside_0.1_0.9"] == 0
    n1 = int(df["treat"][keep].sum())
    assert est.n_treated == n1
    if not isinstance(estimator, att.PropensityScoreMatching):  # matching counts matched units
        assert est.n_control == int(keep.sum()) - n1


def test_trimmed_ipw_is_ipw_on_the_kept_units(jobs):
    df, ref = jobs
    e = np.asarray(ref.predict())
    keep = (e >= 0.1) & (e <= 0.9)
    est = att.InverseProbabilityWeighting(estimand="ATT", trim=(0.1, 0.9)).estimate(
        df, outcome="re78", treatment="treat", covariates=COVARIATES
    )
    y, w = df["re78"].to_numpy()[keep], df["treat"].to_numpy()[keep]
    assert est.effect == pytest.approx(manual_hajek_att(y, w, e[keep]), rel=1e-7)


@pytest.mark.parametrize("trim", [(0.9, 0.1), (-0.1, 0.5), "a", (0.2,)])
def test_bad_trimming_bounds_are_refused(trim):
    for cls in (att.InverseProbabilityWeighting, att.DoublyRobust, att.PropensityScoreMatching):
        with pytest.raises(ik.EstimationError, match="trim"):
            cls(trim=trim)


def test_complete_separation_is_refused_naming_the_covariate():
    rng = np.random.default_rng(0)
    n = 200
    df = pd.DataFrame({"noise": rng.normal(size=n), "score": rng.normal(size=n)})
    df["w"] = (df["score"] > 0.3).astype(float)
    df["y"] = df["w"] + rng.normal(size=n)
    with pytest.raises(ik.EstimationError, match="separation") as info:
        att.InverseProbabilityWeighting().estimate(
            df, outcome="y", treatment="w", covariates=["noise", "score"]
        )
    assert "score" in str(info.value)
    assert "noise" not in str(info.value)


def test_quasi_complete_separation_is_refused():
    # everyone with the dummy set is treated; elsewhere both arms mix: no finite MLE
    rng = np.random.default_rng(1)
    n = 300
    d = (rng.random(n) < 0.2).astype(float)
    x = rng.normal(size=n)
    w = np.where(d == 1, 1.0, (rng.random(n) < special.expit(x)).astype(float))
    df = pd.DataFrame({"d": d, "x": x, "w": w, "y": w + rng.normal(size=n)})
    for estimator in (att.InverseProbabilityWeighting(), att.PropensityScoreMatching()):
        with pytest.raises(ik.EstimationError, match=r"separation.*\bd\b"):
            estimator.estimate(df, outcome="y", treatment="w", covariates=["d", "x"])


def test_logit_agrees_with_statsmodels_on_ordinary_data():
    rng = np.random.default_rng(9)
    x = rng.normal(size=(400, 3)) * [1, 10, 1000]
    w = (rng.random(400) < special.expit(x @ [0.5, -0.05, 0.001])).astype(float)
    fit = fit_logit(x, w)
    ref = sm.Logit(w, sm.add_constant(x)).fit(disp=0)
    np.testing.assert_allclose(fit.parameters, ref.params, rtol=1e-8)
    np.testing.assert_allclose(fit.cov, ref.cov_params(), rtol=1e-6)
