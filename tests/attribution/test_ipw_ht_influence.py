"""Horvitz-Thompson ATT and ATC standard errors centre each term on the target population."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att


def test_att_fixture_by_hand() -> None:
    # docs/methods/attribution.md fixture: (W, Y, e) = (1,10,.5), (1,8,.8), (0,6,.5), (0,4,.2)
    df = pd.DataFrame({"w": [1, 1, 0, 0], "y": [10, 8, 6, 4], "e": [0.5, 0.8, 0.5, 0.2]})
    est = att.InverseProbabilityWeighting(estimand="ATT", normalized=False).estimate(
        df, outcome="y", treatment="w", propensity="e"
    )
    # psi = W Y - (1 - W) Y e / (1 - e) = 10, 8, -6, -1; ATT = 11 / 2
    assert est.effect == pytest.approx(5.5)
    # influence (psi - W ATT) / mean(W) = 9, 5, -12, -2; SE = sd / sqrt(n)
    assert est.se == pytest.approx(math.sqrt((81 + 25 + 144 + 4) / 3) / 2, rel=1e-12)


@pytest.mark.parametrize("estimand", ["ATT", "ATC", "ATE"])
def test_influence_function_standard_error(estimand: str) -> None:
    rng = np.random.default_rng(1)
    n = 300
    x = rng.normal(size=n)
    e = 1 / (1 + np.exp(-(x - 0.5)))
    w = (rng.random(n) < e).astype(float)
    y = 10 + x + 2 * w + rng.normal(size=n)
    df = pd.DataFrame({"y": y, "w": w.astype(int), "e": e})
    est = att.InverseProbabilityWeighting(estimand=estimand, normalized=False).estimate(
        df, outcome="y", treatment="w", propensity="e"
    )
    weight = {
        "ATE": w / e + (1 - w) / (1 - e),
        "ATT": w + (1 - w) * e / (1 - e),
        "ATC": w * (1 - e) / e + (1 - w),
    }[estimand]
    target = {"ATE": np.ones(n), "ATT": w, "ATC": 1 - w}[estimand]
    psi = (2 * w - 1) * weight * y
    tau = psi.sum() / target.sum()
    infl = (psi - target * tau) / target.mean()
    assert est.effect == pytest.approx(tau, rel=1e-12)
    assert est.se == pytest.approx(infl.std(ddof=1) / math.sqrt(n), rel=1e-12)
