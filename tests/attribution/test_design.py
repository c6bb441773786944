"""Rank-deficient and hostile designs: an estimator never returns a silent wrong number."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit import attribution as att
from impactkit.attribution._design import aliased_columns, drop_aliased
from impactkit.errors import EstimationError, ImpactkitWarning


@pytest.fixture
def df() -> pd.DataFrame:
    rng = np.random.default_rng(7)
    n = 300
    x1 = rng.normal(size=n)
    x3 = rng.normal(size=n)
    t = (rng.random(n) < 1 / (1 + np.exp(-0.5 * x1))).astype(int)
    y = 1.0 + 2.0 * t + x1 - 0.5 * x3 + rng.normal(size=n)
    return pd.DataFrame({"y": y, "t": t, "x1": x1, "x2": x1 + 3.0, "x3": x3})


def _lin_ols(df: pd.DataFrame, covs: list[str]) -> float:
    """Lin (2013) interacted regression in statsmodels, on the reduced design."""
    xc = df[covs] - df[covs].mean()
    inter = xc.mul(df["t"], axis=0).add_suffix(":t")
    x = sm.add_constant(pd.concat([df[["t"]], xc, inter], axis=1))
    return float(sm.OLS(df["y"], x).fit().params["t"])


def test_aliased_covariate_is_dropped_with_a_named_warning(df: pd.DataFrame) -> None:
    with pytest.warns(ImpactkitWarning, match=r"\['x2'\]"):
        est = att.RegressionAdjustment().estimate(
            df, outcome="y", treatment="t", covariates=["x1", "x2", "x3"]
        )
    reduced = att.RegressionAdjustment().estimate(
        df, outcome="y", treatment="t", covariates=["x1", "x3"]
    )
    assert est.effect == pytest.approx(reduced.effect, rel=1e-12)
    assert est.se == pytest.approx(reduced.se, rel=1e-12)
    assert est.effect == pytest.approx(_lin_ols(df, ["x1", "x3"]), rel=1e-9)


@pytest.mark.parametrize(
    "estimator",
    [
        att.InverseProbabilityWeighting(),
        att.PropensityScoreMatching(),
        att.DoublyRobust(),
    ],
)
def test_every_covariate_estimator_reduces_the_design(df: pd.DataFrame, estimator: object) -> None:
    with pytest.warns(ImpactkitWarning, match="x2"):
        full = estimator.estimate(  # type: ignore[attr-defined]
            df, outcome="y", treatment="t", covariates=["x1", "x2"]
        )
    reduced = estimator.estimate(  # type: ignore[attr-defined]
        df, outcome="y", treatment="t", covariates=["x1"]
    )
    assert full.effect == pytest.approx(reduced.effect, rel=1e-12)


def test_aliased_columns_follow_column_order() -> None:
    x = np.column_stack([np.ones(5), [1.0, 2, 4, 7, 8], [0.0, 1, 0, 1, 1], [3.0, 5, 9, 15, 17]])
    assert aliased_columns(x) == [3]  # 3 = 1 + 2 * column 1
    assert aliased_columns(np.column_stack([np.ones(3), np.zeros(3)])) == [1]
    with pytest.raises(EstimationError, match=r"\['b'\] is a linear combination of \['a', 'c'\]"):
        drop_aliased(x[:, [0, 3, 1]], ("a", "c", "b"), protected=3)
    with pytest.warns(ImpactkitWarning, match=r"\['c'\]"):
        reduced, names, kept = drop_aliased(x, ("a", "b", "w", "c"), protected=2)
    assert names == ("a", "b", "w")
    assert kept == [0, 1, 2]
    assert reduced.shape == (5, 3)


def test_constant_outcome_is_refused(df: pd.DataFrame) -> None:
    df = df.assign(y=4.0)
    for est in (att.RegressionAdjustment(), att.DifferenceInMeans()):
        with pytest.raises(EstimationError, match="'y' is constant"):
            est.estimate(df, outcome="y", treatment="t")


def test_infinite_outcome_names_the_column(df: pd.DataFrame) -> None:
    df.loc[5, "y"] = np.inf
    with pytest.raises(EstimationError, match=r"\['y'\] hold infinite"):
        att.RegressionAdjustment().estimate(df, outcome="y", treatment="t", covariates=["x1"])


def test_duplicated_columns_and_roles_are_clear_errors(df: pd.DataFrame) -> None:
    dup = pd.concat([df[["y", "t", "x1"]], df[["x1"]]], axis=1)
    with pytest.raises(EstimationError, match="several columns named"):
        att.RegressionAdjustment().estimate(dup, outcome="y", treatment="t", covariates=["x1"])
    with pytest.raises(EstimationError, match="both as treatment and as covariate"):
        att.RegressionAdjustment().estimate(df, outcome="y", treatment="t", covariates=["t"])
    copy = df.assign(t_copy=df["t"].astype(float))
    with pytest.raises(EstimationError, match=r"\[.t_copy.\] are collinear with the treatment"):
        att.DoublyRobust().estimate(copy, outcome="y", treatment="t", covariates=["x1", "t_copy"])
