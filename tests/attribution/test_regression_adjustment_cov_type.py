"""Regression adjustment's cov_type matches statsmodels'; an unknown one is refused."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit import attribution as att
from impactkit.errors import EstimationError


def _data() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    n = 50
    x = rng.normal(size=n)
    w = rng.integers(0, 2, n)
    y = x + w + rng.normal(size=n) * (1 + x**2)
    return pd.DataFrame({"x": x, "w": w, "y": y})


@pytest.mark.parametrize("cov_type", ["HC0", "HC1", "HC2", "HC3"])
def test_standard_error_equals_statsmodels(cov_type: str) -> None:
    df = _data()
    est = att.RegressionAdjustment(cov_type=cov_type).estimate(  # type: ignore[arg-type]
        df, outcome="y", treatment="w", covariates=["x"]
    )
    xc = df["x"] - df["x"].mean()
    design = np.column_stack([np.ones(len(df)), df["w"], xc, xc * df["w"]])
    ref = sm.OLS(df["y"].to_numpy(), design).fit(cov_type=cov_type)
    assert est.effect == pytest.approx(ref.params[1], rel=1e-12)
    assert est.se == pytest.approx(ref.bse[1], rel=1e-10)


@pytest.mark.parametrize("cov_type", ["hc2", "HC4", "cluster"])
def test_unknown_cov_type_is_refused(cov_type: str) -> None:
    with pytest.raises(EstimationError, match="cov_type"):
        att.RegressionAdjustment(cov_type=cov_type)  # type: ignore[arg-type]


def test_unknown_estimand_is_refused_at_construction() -> None:
    with pytest.raises(EstimationError, match="estimand"):
        att.RegressionAdjustment(estimand="ATX")  # type: ignore[arg-type]
