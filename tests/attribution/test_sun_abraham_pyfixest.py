"""Sun-Abraham intervals equal pyfixest's with CRV1 by unit (t on G - 1 degrees of freedom)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest


def _one_cohort_panel() -> pd.DataFrame:
    """10 units over 5 periods, half adopting in period 3: few clusters, t and normal differ."""
    rng = np.random.default_rng(21)
    rows = []
    for i in range(10):
        g = 3 if i < 5 else 0
        a = rng.normal()
        for t in range(1, 6):
            d = int(g > 0 and t >= g)
            rows.append({"id": i, "t": t, "g": g, "y": a + 0.4 * t + 1.5 * d + rng.normal()})
    return pd.DataFrame(rows)


@pytest.mark.parametrize("level", [0.95, 0.9])
def test_event_time_intervals_equal_pyfixest(level: float) -> None:
    pf = pytest.importorskip("pyfixest")
    from impactkit import attribution as att

    df = _one_cohort_panel()
    sa = att.SunAbraham(level=level).estimate(df, outcome="y", entity="id", time="t", cohort="g")
    mine = sa.event_study.set_index("event_time")
    # one cohort: the interaction-weighted estimates are the event-time dummies of a two-way
    # fixed-effects regression, never-treated units and event time -1 as the reference
    df["rel"] = np.where(df["g"] > 0, df["t"] - df["g"], -1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit = pf.feols("y ~ i(rel, ref=-1) | id + t", data=df, vcov={"CRV1": "id"})
        ci = fit.confint(alpha=1 - level)
    for name, (lo, hi) in zip(ci.index, ci.to_numpy(), strict=True):
        e = int(name.split("::")[1].rstrip("]").split(".")[0])
        assert mine.loc[e, "att"] == pytest.approx(fit.coef()[name], abs=1e-10)
        assert mine.loc[e, "se"] == pytest.approx(fit.se()[name], rel=1e-10)
        assert (mine.loc[e, "ci_low"], mine.loc[e, "ci_high"]) == pytest.approx((lo, hi), rel=1e-9)
