"""Stabilised weights leave the Horvitz-Thompson estimate of the ATE unchanged."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att


def _fixture() -> pd.DataFrame:
    # docs/methods/attribution.md: HT ATE 3.25, Hajek ATE 4.0
    return pd.DataFrame({"w": [1, 1, 0, 0], "y": [10, 8, 6, 4], "e": [0.5, 0.8, 0.5, 0.2]})


@pytest.mark.parametrize(("normalized", "expected"), [(False, 3.25), (True, 4.0)])
def test_stabilised_weights_give_the_documented_fixture(normalized: bool, expected: float) -> None:
    df = _fixture()
    plain = att.InverseProbabilityWeighting(normalized=normalized).estimate(
        df, outcome="y", treatment="w", propensity="e"
    )
    stab = att.InverseProbabilityWeighting(normalized=normalized, stabilized=True).estimate(
        df, outcome="y", treatment="w", propensity="e"
    )
    assert stab.effect == pytest.approx(expected, abs=1e-12)
    assert stab.effect == pytest.approx(plain.effect, abs=1e-12)
    assert stab.se == pytest.approx(plain.se, rel=1e-12)


def test_stabilised_horvitz_thompson_by_hand_with_unequal_arms() -> None:
    rng = np.random.default_rng(5)
    n = 60
    e = rng.uniform(0.2, 0.6, n)
    w = (rng.random(n) < e).astype(int)
    y = 3 + 2 * w + rng.normal(size=n)
    df = pd.DataFrame({"w": w, "y": y, "e": e})
    # (1/n) sum [W Y / e - (1 - W) Y / (1 - e)]: stabilising rescales each arm by a constant
    ht = float(np.mean(w * y / e - (1 - w) * y / (1 - e)))
    est = att.InverseProbabilityWeighting(normalized=False, stabilized=True).estimate(
        df, outcome="y", treatment="w", propensity="e"
    )
    assert est.effect == pytest.approx(ht, rel=1e-12)
