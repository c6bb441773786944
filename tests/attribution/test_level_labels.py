"""Summaries name the confidence level the intervals have, whatever it is."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att
from impactkit.errors import EstimationError


def _trial() -> pd.DataFrame:
    rng = np.random.default_rng(0)
    t = np.repeat([1, 0], 30)
    return pd.DataFrame({"y": rng.normal(size=60) + t, "t": t})


@pytest.mark.parametrize(
    ("level", "label"), [(0.95, "95%"), (0.975, "97.5%"), (0.995, "99.5%"), (0.9, "90%")]
)
def test_effect_summary_names_its_level(level: float, label: str) -> None:
    est = att.DifferenceInMeans(level=level).estimate(_trial(), outcome="y", treatment="t")
    lines = dict(est.summary().lines)
    assert f"{label} interval" in lines
    lo, hi = est.ci
    assert lines[f"{label} interval"] == f"[{lo:.6g}, {hi:.6g}]"
    assert est.to_frame()["level"].iloc[0] == level


def _rollout() -> pd.DataFrame:
    rng = np.random.default_rng(1)
    unit = np.repeat(np.arange(60), 5)
    t = np.tile(np.arange(1, 6), 60)
    g = np.array([0, 3, 4])[np.arange(60) % 3][unit]
    y = rng.normal(size=60)[unit] + 0.5 * t + 2 * ((g > 0) & (t >= g)) + rng.normal(size=300)
    return pd.DataFrame({"id": unit, "t": t, "g": g, "y": y})


def test_staggered_summary_names_its_level_and_band() -> None:
    r = att.StaggeredDiD(level=0.975, n_bootstrap=199).estimate(
        _rollout(), outcome="y", entity="id", time="t", cohort="g", seed=3
    )
    lines = dict(r.summary().lines)
    assert "97.5% interval" in lines
    assert "Uniform 97.5% band, critical value" in lines


def test_wild_summary_names_its_level_and_refuses_a_level_outside_0_1() -> None:
    rng = np.random.default_rng(2)
    g = np.repeat(np.arange(6), 10)
    df = pd.DataFrame({"g": g, "x": rng.normal(size=60)})
    df["y"] = 0.5 * df["x"] + rng.normal(size=6)[g] + rng.normal(size=60)
    r = att.wild_cluster_test(df, outcome="y", regressor="x", cluster="g", level=0.975)
    assert "97.5% interval (inverted)" in dict(r.summary().lines)
    for bad in (1.5, 0.0, 1.0, -0.2):
        with pytest.raises(EstimationError, match="level"):
            att.wild_cluster_test(df, outcome="y", regressor="x", cluster="g", level=bad)
