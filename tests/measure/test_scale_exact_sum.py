"""A complete sum score is the exact sum of its items, not the mean times k.

Before, every sum was computed as mean x k, which misses some totals in
floating point (29 / 7 x 7 = 28.999999999999996): a SWEMWBS raw sum of 29
would not match the row 29 of a conversion table, and a total on a cut-off
could fall on the wrong side of it.
"""

from __future__ import annotations

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.measure import MCSI, SWEMWBS, Scale


def test_swemwbs_raw_sum_of_29_is_29():
    df = pd.DataFrame([[5, 4, 4, 4, 4, 4, 4]], columns=SWEMWBS.columns())
    assert SWEMWBS.score(df).tolist() == [29.0]


def test_mcsi_total_of_15_is_15():
    df = pd.DataFrame([[2, 0, 2, 1, 2, 2, 1, 2, 1, 1, 1, 0, 0]], columns=MCSI.columns())
    assert MCSI.score(df).tolist() == [15.0]


def test_prorating_is_unchanged():
    s = Scale(items=["a", "b", "c"], low=1, high=5, scoring="sum", min_answered=2)
    df = pd.DataFrame({"a": [5, 1], "b": [4, None], "c": [None, 2]})
    assert s.score(df).tolist() == [13.5, 4.5]  # (5+4)/2 x 3 and (1+2)/2 x 3


@settings(max_examples=80, deadline=None)
@given(st.lists(st.integers(1, 5), min_size=7, max_size=7))
def test_complete_sum_equals_the_integer_sum(answers):
    df = pd.DataFrame([answers], columns=SWEMWBS.columns())
    assert SWEMWBS.score(df).iloc[0] == float(sum(answers))
