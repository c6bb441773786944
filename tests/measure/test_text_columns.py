"""Comparisons that can never hold are errors, never a silent count of 0 of n."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.measure import Condition, Count, Proportion, Sum, Threshold
from impactkit.measure._sites import measure_sites


@pytest.mark.parametrize(
    ("column", "values"),
    [
        (["1", "0", "1", None], (True,)),
        (["1", "0", "1", None], (1,)),
        (["oui", "non", "oui", None], (True,)),
        (["oui", "non", "oui", None], (1, True)),
        ([1.0, 0.0, 1.0, None], ("1",)),
        ([True, False, True, None], ("oui",)),
    ],
)
def test_proportion_refuses_values_the_column_can_never_equal(column, values):
    df = pd.DataFrame({"employed": column})
    with pytest.raises(ik.ValidationError) as ei:
        Proportion(column="employed", values=values).compute(df)
    (p,) = ei.value.problems
    assert p.path == ("values",)
    assert p.code == "incomparable"
    assert "'employed'" in p.message
    shown = [str(v) for v in pd.Series(column).dropna().unique()[:2]]
    assert all(v in p.message for v in shown)  # a few values of the column are shown


def test_the_message_says_how_to_write_the_values():
    df = pd.DataFrame({"employed": ["oui", "non", "oui"]})
    with pytest.raises(ik.ValidationError, match=r"e\.g\. \['oui'\]"):
        Proportion(column="employed").compute(df)


def test_text_values_written_as_in_the_data_count():
    df = pd.DataFrame({"employed": ["1", "0", "1", None], "ok": ["oui", "non", "oui", "oui"]})
    r = Proportion(column="employed", values=["1"]).compute(df)
    assert (r.quantity, r.n, r.missing) == (2.0, 3, 1)
    assert Proportion(column="ok", values="oui").compute(df).quantity == 3.0
    # booleans and numbers compare equal: no error, the usual count
    num = pd.DataFrame({"employed": [1, 0, 1, np.nan]})
    assert Proportion(column="employed").compute(num).quantity == 2.0


def test_the_same_answer_in_another_case_is_refused():
    df = pd.DataFrame({"ok": ["oui", "non", "Oui", " oui", "OUI"]})
    with pytest.raises(ik.ValidationError) as ei:
        Proportion(column="ok", values=["oui"]).compute(df)
    p = ei.value.problems[0]
    assert p.code == "near_match"
    assert "'Oui'" in p.message
    # every spelling listed: counted
    r = Proportion(column="ok", values=["oui", "Oui", " oui", "OUI"]).compute(df)
    assert r.quantity == 4.0


def test_an_all_missing_column_is_not_judged():
    df = pd.DataFrame({"ok": [None, None], "x": [1, 2]})
    with pytest.raises(ik.ValidationError, match="no usable rows"):
        Proportion(column="ok", values=["oui"]).compute(df)


def test_proportion_by_site_applies_the_rule():
    df = pd.DataFrame({"site": ["a", "a", "b"], "employed": ["1", "0", "1"]})
    with pytest.raises(ik.ValidationError) as ei:
        measure_sites(Proportion(column="employed"), df)
    assert ei.value.problems[0].code == "incomparable"
    out = measure_sites(Proportion(column="employed", values=["1"]), df)
    assert out["quantity"].tolist() == [1.0, 1.0]


@pytest.mark.parametrize(
    "where",
    [
        {"done": 1},
        [{"column": "done", "op": "!=", "value": 0}],
        [{"column": "done", "op": "in", "value": [1, True]}],
        [{"column": "done", "op": "not_in", "value": [0]}],
    ],
)
def test_count_with_a_condition_refuses_a_text_column_against_numbers(where):
    df = pd.DataFrame({"done": ["1", "0", "1"], "hours": [1.0, 2.0, 3.0]})
    for calc in (Count(where=where), Sum("hours", where=where)):
        with pytest.raises(ik.ValidationError) as ei:
            calc.compute(df)
        assert ei.value.problems[0].path == ("where",)
        assert ei.value.problems[0].code == "incomparable"
        assert "'done'" in ei.value.problems[0].message


def test_conditions_written_as_in_the_data_filter():
    df = pd.DataFrame({"done": ["1", "0", "1"], "n": [1, 0, 1], "hours": [1.0, 2.0, 3.0]})
    assert Count(where={"done": "1"}).compute(df).quantity == 2.0
    assert Sum("hours", where={"n": 1}).compute(df).quantity == 4.0
    with pytest.raises(ik.ValidationError, match="never equal"):
        Condition("n", "in", ["1"]).mask(df)


def test_dates_against_text_with_equality_are_left_to_pandas():
    df = pd.DataFrame({"d": pd.to_datetime(["2020-01-01", "2021-01-01"])})
    assert Count(where={"d": "2020-01-01"}).compute(df).quantity == 1.0
    with pytest.raises(ik.ValidationError, match="never equal"):
        Count(where=[{"column": "d", "op": "in", "value": ["2020-01-01"]}]).compute(df)


@pytest.mark.parametrize(
    "column",
    [
        ["1", "0", "1"],
        ["oui", "non", "oui"],
        [1 + 1j, 0j, 1 + 0j],
        pd.to_datetime(["2020", "2021", "2022"]),
    ],
)
def test_threshold_reads_numbers_only(column):
    df = pd.DataFrame({"employed": column})
    with pytest.raises(ik.ValidationError) as ei:
        Threshold(column="employed", at_least=1).compute(df)
    assert ei.value.problems[0].code == "not_numeric"
    assert ei.value.problems[0].path == ("column",)
