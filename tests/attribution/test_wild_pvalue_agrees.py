"""A DiD estimate whose interval comes from the wild bootstrap reports that bootstrap's p-value."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att
from impactkit.errors import EstimationError


def _panel(design: str) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    rows = []
    for i in range(8):
        for t in range(4 if design == "twfe" else 2):
            d = int(i < 4 and t >= (2 if design == "twfe" else 1))
            if design == "2x2":
                d = int(i < 4)
            rows.append((i, t, d, rng.normal() + 0.8 * d * (t >= 1) + 0.3 * i))
    return pd.DataFrame(rows, columns=["id", "t", "d", "y"])


@pytest.mark.parametrize("design", ["twfe", "2x2"])
def test_pvalue_to_frame_to_dict_and_summary_are_the_bootstrap_one(design: str) -> None:
    df = _panel(design)
    est = att.DifferenceInDifferences(design=design, se="wild").estimate(  # type: ignore[arg-type]
        df, outcome="y", treatment="d", time="t", entity="id", seed=1
    )
    wild = est.diagnostics["wild"]
    assert wild["enumerated"] is True  # 8 clusters: all 256 sign vectors, no randomness
    plain = att.DifferenceInDifferences(design=design).estimate(  # type: ignore[arg-type]
        df, outcome="y", treatment="d", time="t", entity="id"
    )
    assert plain.pvalue != pytest.approx(wild["pvalue"])  # the two tests differ here
    assert est.pvalue == wild["pvalue"]
    assert est.to_frame()["pvalue"].iloc[0] == wild["pvalue"]
    assert est.to_dict()["pvalue"] == wild["pvalue"]
    assert dict(est.summary().lines)["p-value"] == f"{wild['pvalue']:.4g}"
    # the interval is the inverted bootstrap test: it excludes 0 exactly when p < 0.05
    assert (est.ci[0] > 0 or est.ci[1] < 0) == (est.pvalue < 0.05)


def test_interval_is_the_bootstrap_one_at_its_level_and_refused_at_another() -> None:
    df = _panel("twfe")
    est = att.DifferenceInDifferences(se="wild").estimate(
        df, outcome="y", treatment="d", time="t", entity="id", seed=1
    )
    assert est.interval(0.95) == est.ci
    with pytest.raises(EstimationError, match=r"level=0\.9"):
        est.interval(0.9)
    plain = att.DifferenceInDifferences().estimate(
        df, outcome="y", treatment="d", time="t", entity="id"
    )
    assert plain.interval(0.95) == pytest.approx(plain.ci)
