"""A difference in differences whose treated units all lie in one cluster says so."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att
from impactkit.errors import ImpactkitWarning


def _regions(treated_regions: tuple[int, ...]) -> pd.DataFrame:
    rng = np.random.default_rng(1)
    rows = []
    for reg in range(8):
        shock = rng.normal(size=2)
        for i in range(10):
            for t in (0, 1):
                treated = int(reg in treated_regions)
                rows.append((reg * 10 + i, reg, t, treated, treated * t, shock[t] + rng.normal()))
    return pd.DataFrame(rows, columns=["id", "region", "t", "T", "D", "y"])


@pytest.mark.parametrize("design", ["2x2", "twfe"])
def test_one_treated_cluster_warns(design: str) -> None:
    df = _regions((0,))
    treatment = "T" if design == "2x2" else "D"
    with pytest.warns(ImpactkitWarning, match="treated observations all lie in one cluster"):
        att.DifferenceInDifferences(design=design).estimate(  # type: ignore[arg-type]
            df, outcome="y", treatment=treatment, time="t", entity="id", cluster="region"
        )


def test_two_treated_clusters_do_not_warn() -> None:
    df = _regions((0, 1))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        est = att.DifferenceInDifferences().estimate(
            df, outcome="y", treatment="T", time="t", entity="id", cluster="region"
        )
    assert est.df == 7.0
