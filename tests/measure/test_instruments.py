"""Published instruments shipped as scales: scoring range and sourced norms."""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit.errors import ValidationError
from impactkit.measure import ONS4, ONS4_NORMS, SWEMWBS, SWEMWBS_NORMS, ReliableChange


def test_swemwbs_raw_sum_spans_7_to_35():
    df = pd.DataFrame({c: [1, 5, 3] for c in SWEMWBS.columns()})
    assert SWEMWBS.score(df).tolist() == [7.0, 35.0, 21.0]
    with pytest.raises(ValidationError):
        SWEMWBS.score(df.assign(swemwbs_1=[0, 5, 3]))


def test_swemwbs_reliable_change_with_items_at_two_times():
    pre = {f"{c}_t0": [2, 3, 2, 4] for c in SWEMWBS.items}
    post = {f"{c}_t1": [4, 3, 2, 4] for c in SWEMWBS.items}
    df = pd.DataFrame({**pre, **post})
    r = ReliableChange(
        baseline="t0", followup="t1", measure=SWEMWBS, reliability=0.8, sd=4.0
    ).compute(df)
    assert r.improved == 1  # 14 -> 28
    assert r.unchanged == 3


def test_norms_carry_their_source():
    assert SWEMWBS_NORMS["mean_men"] == 23.7
    assert SWEMWBS_NORMS["mean_women"] == 23.2
    assert "Quality of Life Research 26" in SWEMWBS_NORMS["source"]
    assert ONS4_NORMS["ons_life_satisfaction"] == 7.45
    assert "Office for National Statistics" in ONS4_NORMS["source"]
    assert (ONS4.low, ONS4.high, ONS4.k) == (0, 10, 4)
