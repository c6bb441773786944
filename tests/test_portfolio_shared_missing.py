"""A shared multiplier never reaches rows of another group.

Rows whose group label is missing form a group of their own in the network
Monte Carlo, with its own multiplier, instead of borrowing the last group's.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

import impactkit as ik
from impactkit import portfolio as pf


def test_rows_without_a_group_get_their_own_multiplier() -> None:
    out = pd.DataFrame(
        {
            "site": list("abcd"),
            "quantity": 1.0,
            "proxy": 100.0,
            "sector": ["x", "y", None, np.nan],
        }
    )
    inp = pd.DataFrame({"site": list("abcd"), "amount": 100.0})
    shared = {"proxy": ("sector", ik.dist.LogNormal(1.0, 0.3))}
    pv = pf.monte_carlo(out, inp, n=200, seed=1, discount=0.0, shared=shared).present_value
    a, b, c, d = pv.T
    np.testing.assert_array_equal(c, d)  # the two unlabelled sites share one multiplier
    assert not np.array_equal(c, a)
    assert not np.array_equal(c, b)
    assert len({tuple(col) for col in (a, b, c)}) == 3


def test_labelled_groups_keep_their_draws() -> None:
    out = pd.DataFrame(
        {"site": list("abc"), "quantity": 1.0, "proxy": 100.0, "sector": ["x", "y", "x"]}
    )
    inp = pd.DataFrame({"site": list("abc"), "amount": 100.0})
    shared = {"proxy": ("sector", ik.dist.LogNormal(1.0, 0.3))}
    pv = pf.monte_carlo(out, inp, n=50, seed=2, discount=0.0, shared=shared).present_value
    np.testing.assert_array_equal(pv[:, 0], pv[:, 2])
    assert not np.array_equal(pv[:, 0], pv[:, 1])
