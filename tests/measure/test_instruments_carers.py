"""The Modified Caregiver Strain Index as a scale: scoring, published reliability, reliable change.

Thornton & Travis (2003), abstract: alpha .90, two-week test-retest .88
(158 caregivers). Hartford Institute, Try This issue 14: 2 points a 'yes',
1 a 'sometimes', 0 a 'no'; 13 items; scores 0-26.
"""

from __future__ import annotations

import ast
import doctest
import itertools
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit.measure as measure
from impactkit.errors import ValidationError
from impactkit.measure import MCSI, MCSI_NORMS, PrePost, ReliableChange

SOURCE = Path(measure.__file__).with_name("_instruments.py")


def test_exported_and_listed():
    for name in ("MCSI", "MCSI_NORMS", "AUDIT", "AUDIT_NORMS"):
        assert name in measure.__all__
        assert hasattr(measure, name)


def test_scoring_rule():
    assert MCSI.k == 13
    assert (MCSI.low, MCSI.high, MCSI.scoring) == (0, 2, "sum")
    assert MCSI.reverse == ()  # no reversed item in the published scoring
    assert MCSI.min_answered is None  # no prorating rule published: every item needed
    assert MCSI.columns()[0] == "mcsi_1"
    assert MCSI.columns()[-1] == "mcsi_13"


def test_hand_scored_answer_patterns():
    rows = [
        [2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 2],  # 2+1+0+2+2+1+0+0+1+2+0+1+2 = 14
        [0] * 13,  # 0
        [2] * 13,  # 26, the top of the range
        [1] * 13,  # 13
    ]
    df = pd.DataFrame(rows, columns=MCSI.columns())
    assert MCSI.score(df).tolist() == [14.0, 0.0, 26.0, 13.0]


def test_an_item_at_its_maximum_never_lowers_the_score():
    # with no reversed item, raising item 7 from 0 to 2 adds exactly 2
    base = [1] * 13
    up = list(base)
    up[6] = 2
    low = list(base)
    low[6] = 0
    df = pd.DataFrame([low, base, up], columns=MCSI.columns())
    assert MCSI.score(df).tolist() == [12.0, 13.0, 14.0]


def test_missing_item_is_counted_not_dropped_or_prorated():
    answers = [2, 1, 0, 2, 2, 1, 0, 0, 1, 2, 0, 1, 2]
    df = pd.DataFrame([answers, [*answers[:-1], None]], columns=MCSI.columns())
    scores = MCSI.score(df)
    assert scores.iloc[0] == 14.0
    assert math.isnan(scores.iloc[1])  # not 12 (dropped) nor 12 x 13/12 (prorated)
    pre = {f"{c}_t0": [a, a] for c, a in zip(MCSI.items, answers, strict=True)}
    post = {f"{c}_t1": [a, a] for c, a in zip(MCSI.items, answers, strict=True)}
    post["mcsi_13_t1"] = [2, None]
    r = PrePost(baseline="t0", followup="t1", measure=MCSI).compute(pd.DataFrame({**pre, **post}))
    assert (r.n, r.missing) == (1, 1)


def test_out_of_range_answer_is_an_error_naming_the_column():
    df = pd.DataFrame([[3] + [0] * 12], columns=MCSI.columns())
    with pytest.raises(ValidationError, match="mcsi_1"):
        MCSI.score(df)


def test_published_reliability_and_its_source():
    assert MCSI_NORMS["alpha"] == 0.90
    assert MCSI_NORMS["test_retest"] == 0.88
    assert MCSI_NORMS["reliability"] == MCSI_NORMS["test_retest"]
    assert MCSI_NORMS["n"] == 158
    assert MCSI_NORMS["retest_n"] == 53
    assert "not-for-profit educational" in MCSI_NORMS["licence"]
    assert "sd" not in MCSI_NORMS  # none was read
    assert "10.1093/geronb/58.2.S127" in MCSI_NORMS["source"]
    assert "Try This" in MCSI_NORMS["scoring_source"]


def _items(totals: list[float | None], suffix: str) -> dict[str, list[float | None]]:
    """Thirteen MCSI items (0-2) summing to each total, filled from the first item."""
    out: dict[str, list[float | None]] = {f"{c}_{suffix}": [] for c in MCSI.items}
    for t in totals:
        left = t
        for c in MCSI.items:
            if left is None:
                out[f"{c}_{suffix}"].append(None)
                continue
            v = min(2, left)
            out[f"{c}_{suffix}"].append(v)
            left -= v
    return out


def test_reliable_change_with_the_published_test_retest_by_hand():
    pre = [10, 14, 18, 6, 12]
    post = [4, 13, 24, 6, None]  # the fifth has no follow-up: counted in missing
    df = pd.DataFrame({**_items(pre, "t0"), **_items(post, "t1")})
    assert MCSI.score(df, suffix="t0").tolist() == [10, 14, 18, 6, 12]
    r = ReliableChange(
        baseline="t0",
        followup="t1",
        measure=MCSI,
        reliability=MCSI_NORMS["reliability"],
        direction="decrease",
    ).compute(df)
    # baseline SD of the four kept units (10, 14, 18, 6): mean 12, squares 4+4+36+36 = 80,
    # s^2 = 80/3; S_diff = sqrt(2 x 80/3 x 0.12) = sqrt(6.4) = 2.529822
    assert r.s_diff == pytest.approx(math.sqrt(6.4), rel=1e-12)
    # changes -6, -1, +6, 0 -> RCIs (less strain is better) 2.372, 0.395, -2.372, 0
    assert (r.improved, r.unchanged, r.deteriorated) == (1, 2, 1)
    assert (r.n, r.missing) == (4, 1)


@settings(max_examples=60, deadline=None)
@given(
    answers=st.lists(st.integers(0, 2), min_size=13, max_size=13),
    item=st.integers(0, 12),
)
def test_score_is_monotone_in_each_item(answers, item):
    lower = list(answers)
    higher = list(answers)
    lower[item] = 0
    higher[item] = 2
    df = pd.DataFrame([lower, answers, higher], columns=MCSI.columns())
    s = MCSI.score(df).to_numpy()
    assert s[0] <= s[1] <= s[2]
    assert s[2] - s[0] == 2.0  # no reversed item: each item adds its own points
    assert s.min() >= 0
    assert s.max() <= 26
    assert s[1] == float(np.sum(answers))


def _attribute_docstrings(path: Path) -> dict[str, str]:
    """Docstrings written under the module's constants (not seen by doctest)."""
    body = ast.parse(path.read_text(encoding="utf-8")).body
    out: dict[str, str] = {}
    for node, nxt in itertools.pairwise(body):
        target = None
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            target = node.targets[0].id
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            target = node.target.id
        if (
            target
            and isinstance(nxt, ast.Expr)
            and isinstance(nxt.value, ast.Constant)
            and isinstance(nxt.value.value, str)
        ):
            out[target] = nxt.value.value
    return out


@pytest.mark.parametrize("name", ["MCSI", "MCSI_NORMS", "AUDIT", "AUDIT_NORMS"])
def test_constant_docstrings_have_references_or_examples_that_run(name):
    doc = _attribute_docstrings(SOURCE)[name]
    assert "Examples\n--------" in doc
    if not name.endswith("_NORMS"):
        assert "References\n----------" in doc
    test = doctest.DocTestParser().get_doctest(doc, vars(measure).copy(), name, str(SOURCE), 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
