"""The funnel chart of a mean draws sigma / sqrt(n), the limits the funnel computed."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from impactkit import portfolio as pf
from impactkit.report import funnel_chart


def _data() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = rng.integers(5, 400, 60).astype(float)
    return pd.DataFrame(
        {"site": [f"s{i}" for i in range(60)], "score": 10 + rng.normal(0, 2 / np.sqrt(n)), "n": n}
    )


def test_a_mean_funnel_draws_sigma_over_root_n() -> None:
    f = pf.funnel(_data(), value="score", n="n", kind="mean", sd=2.0, target=10.0)
    ax = funnel_chart(f).axes[0]
    curves = [ln for ln in ax.lines if len(ln.get_xdata()) == 200]
    assert len(curves) == 4  # lower and upper at 95 % and 99.8 %
    grid = np.asarray(curves[0].get_xdata(), dtype=float)
    half95 = 1.959963984540054 * 2.0 / np.sqrt(grid)
    np.testing.assert_allclose(curves[0].get_ydata(), 10.0 - half95, rtol=1e-9)
    np.testing.assert_allclose(curves[1].get_ydata(), 10.0 + half95, rtol=1e-9)
    # each site's limit in the table lies on the drawn curve
    t = f.table
    np.testing.assert_allclose(t["upper_95"], 10.0 + 1.959963984540054 * 2.0 / np.sqrt(t["n"]))


def test_a_standard_deviation_per_site_draws_each_sites_limits() -> None:
    df = _data().assign(sd=lambda d: np.where(np.arange(len(d)) % 2, 1.0, 3.0))
    f = pf.funnel(df, value="score", n="n", kind="mean", sd="sd", target=10.0)
    ax = funnel_chart(f).axes[0]
    marks = [ln for ln in ax.lines if ln.get_marker() == "_"]
    assert len(marks) == 4
    np.testing.assert_allclose(marks[1].get_ydata(), f.table["upper_95"])
