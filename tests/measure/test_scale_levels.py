"""A scale's ``levels``: the only answers some items allow, checked like the range.

The AUDIT scores items 9 and 10 as 0, 2 or 4 on its 0-4 range; before, a 1 or
a 3 there passed unnoticed and was summed.
"""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.errors import ValidationError
from impactkit.measure import PrePost, Scale

S = Scale(items=["a", "b", "c"], low=0, high=4, scoring="sum", levels={"c": [0, 2, 4]})


def test_allowed_answers_score_as_usual():
    df = pd.DataFrame({"a": [1, 4], "b": [3, 0], "c": [2, 4]})
    assert S.score(df).tolist() == [6.0, 8.0]


def test_other_answers_are_an_error_naming_the_column_and_counting_them():
    df = pd.DataFrame({"a": [1, 4, 2], "b": [3, 0, 2], "c": [1, 3, 2]})
    with pytest.raises(ValidationError) as err:
        S.score(df)
    [p] = err.value.problems
    assert (p.path, p.code) == (("items", 2), "not_allowed")
    assert "2 values of 'c'" in p.message
    assert "0, 2, 4" in p.message


def test_problems_of_range_and_levels_are_listed_together():
    df = pd.DataFrame({"a": [5], "b": [1], "c": [3]})
    with pytest.raises(ValidationError) as err:
        S.score(df)
    assert {p.code for p in err.value.problems} == {"out_of_range", "not_allowed"}


def test_missing_answer_is_not_an_error():
    s = Scale(items=["a", "c"], low=0, high=4, levels={"c": [0, 2, 4]}, min_answered=1)
    assert s.score(pd.DataFrame({"a": [1.0], "c": [None]})).tolist() == [1.0]


def test_with_time_suffixes_in_a_calculator():
    df = pd.DataFrame(
        {"a_t0": [1], "b_t0": [1], "c_t0": [2], "a_t1": [2], "b_t1": [2], "c_t1": [3]}
    )
    with pytest.raises(ValidationError, match="c_t1"):
        PrePost(baseline="t0", followup="t1", measure=S).compute(df)


def test_file_form_round_trip():
    d = S.to_dict()
    assert d["levels"] == {"c": [0, 2, 4]}
    assert Scale.from_dict(d) == S
    assert "levels" not in Scale(items=["a"]).to_dict()
    assert hash(S) == hash(Scale.from_dict(d))


@pytest.mark.parametrize(
    ("levels", "path", "code"),
    [
        ({"z": [0]}, ("levels", "z"), "unknown_item"),
        ({"c": []}, ("levels", "c"), "empty"),
        ({"c": [0, 5]}, ("levels", "c", 1), "out_of_range"),
        ({"c": ["x"]}, ("levels", "c", 0), "not_a_number"),
        (5, ("levels",), "type"),
        ([("c", [0]), ("c", [2])], ("levels", "c"), "duplicate"),
    ],
)
def test_invalid_levels_are_named(levels, path, code):
    with pytest.raises(ValidationError) as err:
        Scale(items=["a", "c"], low=0, high=4, levels=levels)
    assert (path, code) in {(p.path, p.code) for p in err.value.problems}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.sampled_from([0, 1, 2, 3, 4]), min_size=1, max_size=20))
def test_an_answer_passes_exactly_when_it_is_allowed(values):
    df = pd.DataFrame({"a": [0] * len(values), "b": [0] * len(values), "c": values})
    if all(v in (0, 2, 4) for v in values):
        assert S.score(df).tolist() == [float(v) for v in values]
    else:
        with pytest.raises(ValidationError, match="not among its answers"):
            S.score(df)
