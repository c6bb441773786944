"""A domain that nobody answered twice has no mean change, not a change of 0.

With a scale whose ``min_answered`` lets an item go unanswered, the
per-domain table of DistanceTravelled showed 0.0 mean change and 0.0 share
improved for an item with no answer at follow-up.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import measure as m


def test_an_unanswered_item_has_no_change():
    scale = m.Scale(items=["a", "b", "c"], low=1, high=5, scoring="mean", min_answered=2)
    df = pd.DataFrame(
        {
            "a_t0": [1, 2, 3],
            "b_t0": [2, 2, 3],
            "c_t0": [1, 1, 1],
            "a_t1": [3, 3, 4],
            "b_t1": [3, 4, 4],
            "c_t1": [np.nan] * 3,
        }
    )
    r = m.DistanceTravelled(measure=scale).compute(df)
    c = r.by.set_index("domain").loc["c"]
    assert (c["n"], c["missing"]) == (0, 3)
    assert np.isnan(c["mean_change"])
    assert np.isnan(c["share_improved"])
    rec = r.to_dict()["by"][2]
    assert (rec["mean_change"], rec["share_improved"]) == (None, None)
    a = r.by.set_index("domain").loc["a"]
    assert (a["mean_change"], a["share_improved"]) == (4 / 3, 1.0)
    # the units' distances use the items answered at each time: 3 - 4/3, 3.5 - 5/3, 4 - 7/3
    assert r.mean_change == pytest.approx((3 - 4 / 3 + 3.5 - 5 / 3 + 4 - 7 / 3) / 3)
