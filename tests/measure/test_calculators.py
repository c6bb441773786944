"""Calculators against hand-computed values and reference intervals; binding; bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from scipy import stats
from statsmodels.stats.proportion import proportion_confint

import impactkit as ik
from impactkit import measure


def test_prepost_hand_values():
    df = pd.DataFrame({"t0": [3, 5, 4, 6, None, 2], "t1": [6, 5, 7, 9, 8, None]})
    r = measure.PrePost(baseline="t0", followup="t1", min_change=2).compute(df)
    assert (r.quantity, r.n, r.missing) == (3.0, 4, 2)
    assert r.mean_change == pytest.approx(2.25)
    d = np.array([3, 0, 3, 3])
    ref = stats.ttest_rel([6, 5, 7, 9], [3, 5, 4, 6]).confidence_interval(0.95)
    assert r.ci == (pytest.approx(ref.low), pytest.approx(ref.high))
    assert r.share == 0.75
    assert d.mean() == r.mean_change


def test_prepost_decrease_and_default_min_change():
    df = pd.DataFrame({"before": [10, 8, 5], "after": [7, 8, 6]})
    r = measure.PrePost(baseline="before", followup="after", direction="decrease").compute(df)
    assert r.quantity == 1.0
    assert r.mean_change == pytest.approx(2 / 3)


def test_threshold_wilson_matches_statsmodels():
    df = pd.DataFrame({"y": [1] * 30 + [0] * 70 + [None] * 5})
    r = measure.Threshold(column="y", at_least=1).compute(df)
    assert (r.quantity, r.n, r.missing, r.share) == (30.0, 100, 5, 0.3)
    lo, hi = proportion_confint(30, 100, alpha=0.05, method="wilson")
    assert r.ci == (pytest.approx(lo), pytest.approx(hi))


@given(st.integers(0, 200), st.integers(1, 200), st.floats(0.5, 0.999))
def test_wilson_matches_statsmodels_everywhere(k, n, level):
    k = min(k, n)
    lo, hi = measure.wilson_interval(k, n, level=level)
    rlo, rhi = proportion_confint(k, n, alpha=1 - level, method="wilson")
    assert lo == pytest.approx(rlo, abs=1e-9)
    assert hi == pytest.approx(rhi, abs=1e-9)


def test_threshold_between_and_boolean():
    df = pd.DataFrame({"score": [1, 5, 7, 10], "ok": [True, False, True, None]})
    assert measure.Threshold(column="score", at_least=5, at_most=8).compute(df).quantity == 2
    r = measure.Threshold(column="ok", at_least=1).compute(df)
    assert (r.quantity, r.n, r.missing) == (2.0, 3, 1)


def test_count_sum_where_by():
    df = pd.DataFrame(
        {
            "pid": [1, 1, 2, 3, None],
            "site": ["a", "a", "b", "b", "a"],
            "h": [1.0, 2.0, None, 4.0, 1.0],
        }
    )
    assert measure.Count().compute(df).quantity == 5
    r = measure.Count(unique="pid", by="site").compute(df)
    assert r.quantity == 3.0
    assert r.by.set_index("site")["quantity"].to_dict() == {"a": 1.0, "b": 2.0}
    r = measure.Sum("h", where=[{"column": "site", "op": "==", "value": "a"}]).compute(df)
    assert (r.quantity, r.n, r.missing) == (4.0, 3, 0)
    r = measure.Sum("h", where={"site": "b"}).compute(df)
    assert (r.quantity, r.n, r.missing) == (4.0, 1, 1)


def test_filter_operators():
    df = pd.DataFrame({"x": [1, 2, 3, None], "c": ["a", "b", "c", "a"]})
    m = measure.Condition
    assert m("x", ">=", 2).mask(df).tolist() == [False, True, True, False]
    assert m("c", "in", ["a", "c"]).mask(df).tolist() == [True, False, True, True]
    assert m("c", "not_in", ["a"]).mask(df).tolist() == [False, True, True, False]
    assert m("x", "isna").mask(df).tolist() == [False, False, False, True]
    assert m("x", "!=", 1).mask(df).tolist() == [False, True, True, False]
    with pytest.raises(ik.ValidationError):
        m("x", "~=", 1)
    with pytest.raises(ik.ValidationError, match="eval"):
        measure.Condition("x", "eval", "__import__('os')")


def test_proportion_and_distance_travelled():
    df = pd.DataFrame({"a": ["yes", "no", "yes", None]})
    r = measure.Proportion(column="a", values=["yes"]).compute(df)
    assert (r.quantity, r.n, r.missing) == (2.0, 3, 1)
    df = pd.DataFrame(
        {
            "work_t0": [2, 5, 3],
            "work_t1": [5, 5, 6],
            "money_t0": [4, 4, None],
            "money_t1": [6, 3, 5],
        }
    )
    r = measure.DistanceTravelled(domains=["work", "money"]).compute(df)
    assert (r.quantity, r.n, r.missing) == (1.0, 2, 1)
    assert r.mean_change == pytest.approx(((3 + 2) / 2 + (0 - 1) / 2) / 2)
    assert list(r.by["domain"]) == ["work", "money"]
    bad = df.assign(work_t1=[11, 5, 6])
    with pytest.raises(ik.ValidationError, match="outside the scale"):
        measure.DistanceTravelled(domains=["work", "money"]).compute(bad)


@given(
    st.lists(
        st.tuples(
            st.one_of(st.none(), st.integers(0, 10)), st.one_of(st.none(), st.integers(0, 10))
        ),
        min_size=3,
        max_size=40,
    ),
    st.randoms(),
)
def test_prepost_row_order_invariant_and_counts(rows, rnd):
    df = pd.DataFrame(rows, columns=["a", "b"], dtype=float)
    calc = measure.PrePost(baseline="a", followup="b", min_change=1)
    try:
        r = calc.compute(df)
    except ik.ValidationError:
        assert df.dropna().shape[0] == 0
        return
    assert r.n + r.missing == len(df)
    shuffled = df.sample(frac=1, random_state=rnd.randint(0, 1000))
    assert calc.compute(shuffled).quantity == r.quantity


@given(st.lists(st.one_of(st.none(), st.floats(0, 10)), min_size=1, max_size=60))
def test_threshold_share_inside_interval(values):
    df = pd.DataFrame({"y": values}, dtype=float)
    try:
        r = measure.Threshold(column="y", at_least=5).compute(df)
    except ik.ValidationError:
        assert df["y"].notna().sum() == 0
        return
    assert r.ci[0] <= r.share <= r.ci[1]
    assert r.n + r.missing == len(values)


def test_bad_data():
    calc = measure.Threshold(column="y", at_least=1)
    with pytest.raises(ik.ValidationError) as ei:
        calc.compute(pd.DataFrame({"z": [1]}))
    assert ei.value.paths == ("column",)
    assert "'y'" in str(ei.value)
    with pytest.raises(ik.ValidationError, match="not numeric"):
        calc.compute(pd.DataFrame({"y": ["one", "two"]}))
    with pytest.raises(ik.ValidationError, match="no usable rows"):
        calc.compute(pd.DataFrame({"y": [None, None]}, dtype=float))
    with pytest.raises(ik.ValidationError, match="no usable rows"):
        measure.Threshold(column="y", at_least=1, by="g").compute(
            pd.DataFrame({"y": [1.0, None], "g": ["a", "b"]})
        )
    with pytest.raises(ik.ValidationError):
        measure.Threshold(column="y")  # neither bound


def test_binding_errors_name_the_model_path():
    ov = ik.OutcomeValuation(
        outcome="o",
        stakeholder="s",
        proxy=10,
        quantity=measure.PrePost(baseline="a", followup="b", data="survey"),
    )
    m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=10)], outcomes=[ov, ov])
    with pytest.raises(ik.ValidationError) as ei:
        ik.sroi(m, data={"survey": pd.DataFrame({"a": [1, 2]})})
    assert set(ei.value.paths) == {
        "outcomes[0].quantity.followup",
        "outcomes[1].quantity.followup",
    }
    with pytest.raises(ik.ValidationError) as ei:
        ik.sroi(m)
    assert "outcomes[0].quantity.data" in ei.value.paths


def test_pinned_binding_and_lineage():
    df = pd.DataFrame({"employed": [1, 0, 1, 1, None]})
    ov = ik.OutcomeValuation(
        outcome="employed",
        stakeholder="p",
        proxy=1000,
        quantity=measure.Threshold(column="employed", at_least=1, data="survey"),
    )
    m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)], outcomes=[ov], discount=0.0)
    res = ik.sroi(m, data={"survey": df})
    assert res.present_value == 3000.0
    assert "n=4, missing=1" in str(res.explain("employed"))
    mc = ik.monte_carlo(m, n=5000, seed=0, data={"survey": df}, sampling_uncertainty=True)
    assert mc.ratio.std() > 0
    assert np.all(mc.present_value <= 4000 + 1e-9)
    mc0 = ik.monte_carlo(m, n=100, seed=0, data={"survey": df})
    assert np.allclose(mc0.ratio, 3.0)
