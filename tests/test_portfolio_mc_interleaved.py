"""Monte Carlo of a network whose rows are not grouped by site.

Each row's draws must stay with that row, whatever the order of the rows in
the outcomes table: a site's present value is bounded by its own rows' lows
and highs, and its mean is close to its point value.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import portfolio as pf


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    # two sites of very different sizes, their rows alternating: a, b, a, b, ...
    out = pd.DataFrame(
        {
            "site": ["a", "b"] * 3,
            "outcome": ["x", "x", "y", "y", "z", "z"],
            "quantity": [10.0, 1_000.0, 5.0, 2_000.0, 2.0, 500.0],
            "proxy": [100.0, 5_000.0, 50.0, 8_000.0, 20.0, 3_000.0],
        }
    )
    out["proxy_low"] = out["proxy"] * 0.8
    out["proxy_high"] = out["proxy"] * 1.2
    inp = pd.DataFrame({"site": ["a", "b"], "amount": [1_000.0, 1e7]})
    return out, inp


@pytest.mark.parametrize("chunk_size", [256, 1024])
def test_draws_stay_with_their_rows_when_sites_interleave(chunk_size: int) -> None:
    out, inp = _tables()
    mc = pf.monte_carlo(out, inp, n=600, seed=3, discount=0.0, chunk_size=chunk_size)
    assert mc.sites == ("a", "b")
    for j, s in enumerate(mc.sites):
        rows = out[out["site"] == s]
        low = float((rows["quantity"] * rows["proxy_low"]).sum())
        high = float((rows["quantity"] * rows["proxy_high"]).sum())
        pv = mc.present_value[:, j]
        assert low <= pv.min()
        assert pv.max() <= high
        point = float((rows["quantity"] * rows["proxy"]).sum())
        assert pv.mean() == pytest.approx(point, rel=0.01)


def test_interleaved_draws_do_not_depend_on_the_chunk_size() -> None:
    out, inp = _tables()
    a = pf.monte_carlo(out, inp, n=300, seed=5, discount=0.035)
    b = pf.monte_carlo(out, inp, n=300, seed=5, discount=0.035, chunk_size=512)
    np.testing.assert_array_equal(a.present_value, b.present_value)
