"""AUDIT (WHO) as a scale: scoring, risk zones, published test-retest reliability, reliable change.

Scoring: items 1-8 score 0-4, items 9 and 10 score 0, 2 or 4, sum 0-40
(Babor et al. 2001). Zones I 0-7, II 8-15, III 16-19, IV 20-40. Selin (2003),
abstract: one-month test-retest reliability of the total 0.84 (n = 457).
"""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.errors import ValidationError
from impactkit.measure import AUDIT, AUDIT_NORMS, ReliableChange


def _zone(score: float) -> str:
    return next(z for z, (lo, hi) in AUDIT_NORMS["zones"].items() if lo <= score <= hi)


def test_scoring_rule():
    assert AUDIT.k == 10
    assert (AUDIT.low, AUDIT.high, AUDIT.scoring) == (0, 4, "sum")
    assert AUDIT.reverse == ()  # no reversed item
    assert AUDIT.min_answered is None  # no prorating: every item needed
    assert AUDIT.columns() == [f"audit_{i}" for i in range(1, 11)]


def test_hand_scored_answer_patterns_and_zones():
    rows = [
        [1, 2, 1, 0, 0, 0, 1, 0, 2, 4],  # 1+2+1+0+0+0+1+0+2+4 = 11 -> zone II
        [0] * 10,  # 0 -> I
        [4] * 10,  # 40 -> IV
        [1, 1, 1, 1, 1, 1, 1, 0, 0, 0],  # 7 -> I (top of I)
        [1, 1, 1, 1, 1, 1, 1, 1, 0, 0],  # 8 -> II
        [2, 2, 2, 2, 2, 2, 2, 2, 0, 0],  # 16 -> III
        [3, 2, 2, 2, 2, 2, 2, 2, 2, 0],  # 19 -> III
        [3, 2, 2, 2, 2, 2, 2, 3, 2, 0],  # 20 -> IV
    ]
    df = pd.DataFrame(rows, columns=AUDIT.columns())
    scores = AUDIT.score(df).tolist()
    assert scores == [11.0, 0.0, 40.0, 7.0, 8.0, 16.0, 19.0, 20.0]
    assert [_zone(s) for s in scores] == ["II", "I", "IV", "I", "II", "III", "III", "IV"]


def test_zones_cover_0_to_40_without_gaps():
    bounds = list(AUDIT_NORMS["zones"].values())
    assert bounds[0][0] == 0
    assert bounds[-1][1] == 40
    for (_, hi), (lo, _) in itertools.pairwise(bounds):
        assert lo == hi + 1
    assert set(AUDIT_NORMS["zone_actions"]) == set(AUDIT_NORMS["zones"])


def test_missing_item_scores_nan_and_is_counted():
    df = pd.DataFrame([[1, 2, 1, 0, 0, 0, 1, 0, 2, None]], columns=AUDIT.columns())
    assert math.isnan(AUDIT.score(df).iloc[0])  # not 7 (dropped), not prorated


def test_out_of_range_answer_is_an_error_naming_the_column():
    df = pd.DataFrame([[0] * 9 + [5]], columns=AUDIT.columns())
    with pytest.raises(ValidationError, match="audit_10"):
        AUDIT.score(df)


def test_items_9_and_10_take_only_0_2_or_4():
    assert dict(AUDIT.levels) == {
        **{f"audit_{i}": (0, 1, 2, 3, 4) for i in range(1, 9)},
        "audit_9": (0, 2, 4),
        "audit_10": (0, 2, 4),
    }
    ok = pd.DataFrame([[4] * 8 + [2, 4]], columns=AUDIT.columns())
    assert AUDIT.score(ok).tolist() == [38.0]
    bad = pd.DataFrame([[0] * 8 + [1, 3]], columns=AUDIT.columns())
    with pytest.raises(ValidationError) as err:
        AUDIT.score(bad)
    problems = {(p.path, p.code) for p in err.value.problems}
    assert problems == {(("items", 8), "not_allowed"), (("items", 9), "not_allowed")}
    assert "audit_9" in str(err.value)
    assert "audit_10" in str(err.value)
    # items 1-8 take every value 0-4
    assert AUDIT.score(pd.DataFrame([[3] * 8 + [0, 0]], columns=AUDIT.columns())).tolist() == [
        24.0
    ]


def test_published_reliability_sd_and_their_sources():
    assert AUDIT_NORMS["test_retest"] == 0.84
    assert AUDIT_NORMS["reliability"] == 0.84
    assert AUDIT_NORMS["n"] == 457
    assert (AUDIT_NORMS["mean"], AUDIT_NORMS["sd"], AUDIT_NORMS["median"]) == (4.5, 5.8, 3)
    assert "Table 1" in AUDIT_NORMS["sd_source"]
    assert "10.1186/s13011-025-00638-w" in AUDIT_NORMS["sd_source"]
    assert "27(9), 1428-1435" in AUDIT_NORMS["reliability_source"]
    assert "WHO/MSD/MSB/01.6a" in AUDIT_NORMS["zones_source"]


def test_reliable_change_with_the_published_sd_and_reliability_by_hand():
    df = pd.DataFrame({"pre": [20.0, 20.0, 12.0, 8.0], "post": [13.0, 14.0, 19.0, 14.0]})
    r = ReliableChange(
        baseline="pre",
        followup="post",
        sd=AUDIT_NORMS["sd"],
        reliability=AUDIT_NORMS["reliability"],
        direction="decrease",
    ).compute(df)
    # S_diff = sqrt(2) x 5.8 x sqrt(1 - 0.84) = 1.4142136 x 5.8 x 0.4 = 3.2809755
    assert r.s_diff == pytest.approx(3.2809755, abs=1e-7)
    # reliable beyond 1.96 x 3.2809755 = 6.4307 points:
    # -7 -> 2.134 improved; -6 -> 1.829 unchanged; +7 -> deteriorated; +6 unchanged
    assert (r.improved, r.unchanged, r.deteriorated) == (1, 2, 1)


def _items(totals: list[int], suffix: str) -> dict[str, list[int]]:
    """Ten AUDIT items summing to each total: items 1-8 filled first (0-4)."""
    out: dict[str, list[int]] = {f"{c}_{suffix}": [] for c in AUDIT.items}
    for t in totals:
        left = t
        for c in AUDIT.items:
            v = min(4, left)
            out[f"{c}_{suffix}"].append(v)
            left -= v
    return out


def test_reliable_change_with_the_published_test_retest_and_sample_sd_by_hand():
    pre = [20, 12, 8, 16]
    post = [12, 10, 14, 13]  # changes -8, -2, +6, -3
    df = pd.DataFrame({**_items(pre, "t0"), **_items(post, "t1")})
    r = ReliableChange(
        baseline="t0",
        followup="t1",
        measure=AUDIT,
        reliability=AUDIT_NORMS["reliability"],
        direction="decrease",
    ).compute(df)
    # baseline mean 14, squares 36+4+36+4 = 80, s^2 = 80/3;
    # S_diff = sqrt(2 x 80/3 x 0.16) = sqrt(8.5333) = 2.921187
    assert r.s_diff == pytest.approx(math.sqrt(2 * 80 / 3 * 0.16), rel=1e-12)
    # RCIs (less is better): 8/2.9212 = 2.739, 0.685, -2.054, 1.027
    assert (r.improved, r.unchanged, r.deteriorated) == (1, 2, 1)


@settings(max_examples=60, deadline=None)
@given(
    head=st.lists(st.integers(0, 4), min_size=8, max_size=8),
    tail=st.lists(st.sampled_from([0, 2, 4]), min_size=2, max_size=2),
    item=st.integers(0, 9),
)
def test_score_is_monotone_in_each_item(head, tail, item):
    answers = head + tail
    lower, higher = list(answers), list(answers)
    lower[item] = 0
    higher[item] = 4
    df = pd.DataFrame([lower, answers, higher], columns=AUDIT.columns())
    s = AUDIT.score(df).tolist()
    assert s[0] <= s[1] <= s[2]
    assert s[2] - s[0] == 4.0
    assert s[1] == float(sum(answers))
    assert min(s) >= 0
    assert max(s) <= 40
