"""Sun-Abraham intervals use t on G - 1 degrees of freedom, as DifferenceInDifferences does."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from impactkit import attribution as att


def _one_cohort(n: int = 8) -> pd.DataFrame:
    """Half the units adopt in period 2 of 2; few clusters, so t and normal differ."""
    rng = np.random.default_rng(9)
    rows = []
    for i in range(n):
        g = 2 if i < n // 2 else 0
        a = rng.normal()
        for t in (1, 2):
            d = int(g and t >= g)
            rows.append({"id": i, "t": t, "g": g, "d": d, "y": a + 0.5 * t + d + rng.normal()})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("level", [0.95, 0.9])
def test_same_interval_as_two_way_fixed_effects_on_one_cohort(level: float) -> None:
    df = _one_cohort()
    sa = att.SunAbraham(level=level).estimate(df, outcome="y", entity="id", time="t", cohort="g")
    row = sa.event_study.set_index("event_time").loc[0]
    did = att.DifferenceInDifferences(design="twfe", level=level).estimate(
        df, outcome="y", treatment="d", entity="id", time="t"
    )
    assert row["att"] == pytest.approx(did.effect, abs=1e-12)
    assert row["se"] == pytest.approx(did.se, rel=1e-10)
    assert (row["ci_low"], row["ci_high"]) == pytest.approx(did.ci, rel=1e-10)
    q = stats.t.ppf(0.5 + level / 2, df=8 - 1)
    assert row["ci_high"] - row["att"] == pytest.approx(q * row["se"], rel=1e-10)


def test_summary_names_the_level_of_its_intervals() -> None:
    r = att.SunAbraham(level=0.9).estimate(
        _one_cohort(), outcome="y", entity="id", time="t", cohort="g"
    )
    assert dict(r.summary().lines)["Intervals"] == "90%, pointwise"
    assert r.to_dict()["level"] == 0.9
