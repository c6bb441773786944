"""Reliable change by group uses the reference SD and reliability of all the rows.

Without a stated ``sd`` (or ``reliability``), each group of ``by`` took the
standard deviation (or Cronbach's alpha) of its own rows, so a group was
judged with another S_diff than the total and the groups' counts did not add
up to the quantity of the same result.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from impactkit import measure as m


def _frame():
    # group a: wide baseline spread; group b: narrow; same changes in both
    pre = [10.0, 30.0, 14.0, 26.0, 20.0, 19.0, 21.0, 20.5, 19.5, 20.0]
    change = [4.0, 4.0, -4.0, 9.0, 0.0, 4.0, 4.0, -4.0, 9.0, 0.0]
    return pd.DataFrame({"g": ["a"] * 5 + ["b"] * 5, "pre": pre, "post": np.add(pre, change)})


def test_groups_share_the_total_sd():
    df = _frame()
    r = m.ReliableChange(baseline="pre", followup="post", reliability=0.8, by="g").compute(df)
    s_diff = math.sqrt(2) * float(np.std(df["pre"].to_numpy(), ddof=1)) * math.sqrt(0.2)
    assert r.s_diff == pytest.approx(s_diff, rel=1e-14)
    rci = (df["post"] - df["pre"]) / s_diff
    want = (rci > 1.96).groupby(df["g"]).sum().astype(float).tolist()
    assert r.by["quantity"].tolist() == want
    assert r.by["quantity"].sum() == r.quantity


def test_groups_share_the_total_alpha():
    rng = np.random.default_rng(7)
    # group a answers along one factor (high alpha), group b at random (low alpha)
    f = rng.normal(size=40) * np.tile([2.0, 0.0], 20)
    items = {f"q{i}_t0": np.clip(np.round(3 + f + rng.normal(size=40)), 1, 5) for i in range(4)}
    items |= {
        f"q{i}_t1": np.clip(items[f"q{i}_t0"] + rng.integers(0, 3, 40), 1, 5) for i in range(4)
    }
    df = pd.DataFrame(items).assign(g=["a", "b"] * 20)
    scale = m.Scale(items=["q0", "q1", "q2", "q3"], low=1, high=5, scoring="sum")
    r = m.ReliableChange(baseline="t0", followup="t1", measure=scale, by="g").compute(df)
    assert r.by["quantity"].sum() == r.quantity
    stated = m.ReliableChange(
        baseline="t0",
        followup="t1",
        measure=scale,
        reliability=r.reliability,
        sd=float(scale.score(df, suffix="t0").std(ddof=1)),
        by="g",
    ).compute(df)
    assert stated.by["quantity"].tolist() == r.by["quantity"].tolist()
