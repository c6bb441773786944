"""The reliable-change and QALY results show their own figures in to_frame and summary.

``to_frame()`` gave only the fields of the base measurement: the counts
improved, unchanged, deteriorated and recovered, the S_diff and cut-off used,
and the QALY weight and mean per person were in ``to_dict()`` but not in the
table, and the weight not in ``summary()``.
"""

from __future__ import annotations

import math

import pandas as pd

from impactkit import measure as m


def _frame_agrees(r, fields):
    row = r.to_frame().iloc[0]
    d = r.to_dict()
    for k in fields:
        assert row[k] == getattr(r, k) == d[k], k


def test_reliable_change_table_holds_its_counts():
    df = pd.DataFrame({"pre": [10, 12, 20, 15], "post": [20, 13, 10, 22]})
    r = m.ReliableChange(
        baseline="pre", followup="post", reliability=0.8, sd=5.0, cutoff=21.0
    ).compute(df)
    _frame_agrees(
        r, ["quantity", "n", "missing", "improved", "unchanged", "deteriorated", "recovered"]
    )
    row = r.to_frame().iloc[0]
    assert math.isclose(row["s_diff"], math.sqrt(2) * 5 * math.sqrt(0.2))
    assert row["cutoff"] == 21.0
    text = str(r.summary())
    assert "S_diff=3.162" in text
    assert "cutoff=21" in text
    assert "deteriorated=1" in text


def test_reliable_change_by_group_keeps_the_group_table():
    df = pd.DataFrame(
        {"g": ["a", "a", "b", "b"], "pre": [10, 12, 20, 15], "post": [20, 13, 10, 22]}
    )
    r = m.ReliableChange(baseline="pre", followup="post", reliability=0.8, sd=5.0, by="g")
    out = r.compute(df).to_frame()
    assert out["g"].tolist() == ["a", "b"]
    assert out["quantity"].tolist() == [1.0, 1.0]


def test_qaly_table_and_summary_hold_the_weight():
    df = pd.DataFrame({"u0": [0.5, 0.6, None], "u1": [0.7, 0.8, 0.9]})
    r = m.QALYGain(baseline="u0", followup="u1", horizon=3).compute(df)
    _frame_agrees(r, ["quantity", "n", "missing", "weight", "mean_qalys"])
    assert r.to_frame().iloc[0]["weight"] == 2.5
    assert "weight=2.5" in str(r.summary())
    assert "QALYs per person=0.5" in str(r.summary())
