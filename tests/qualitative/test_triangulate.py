"""CERQual confidence (monotone) and triangulation of valued outcomes."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit import qualitative as ql

LEVELS = ql.CONCERN_LEVELS
RANK = {c: i for i, c in enumerate(ql.CONFIDENCE_LEVELS)}


def conf(scores, **kw):
    return ql.confidence(
        **dict(zip(ql.CERQUAL_COMPONENTS, (LEVELS[s] for s in scores), strict=True)), **kw
    )


def test_convention_by_hand():
    assert conf((0, 0, 0, 0)) == "high"
    assert conf((1, 0, 0, 0)) == "moderate"  # ceil(1/2) = 1
    assert conf((1, 1, 0, 0)) == "moderate"
    assert conf((1, 1, 1, 0)) == "low"  # ceil(3/2) = 2
    assert conf((0, 0, 0, 3)) == "low"  # a serious concern caps at low
    assert conf((2, 2, 1, 0)) == "very low"  # ceil(5/2) = 3
    assert conf((3, 3, 3, 3)) == "very low"
    assert conf((0, 0, 0, 3), serious_caps_at_low=False) == "low"  # ceil(3/2) anyway
    assert conf((1, 0, 0, 0), points_per_level=3) == "moderate"
    assert conf((2, 0, 0, 0), points_per_level=3) == "moderate"


@given(
    st.tuples(*[st.integers(0, 3)] * 4),
    st.integers(0, 3),
    st.integers(0, 3),
    st.integers(1, 4),
    st.booleans(),
)
def test_more_concern_never_raises_confidence(scores, j, extra, p, cap):
    worse = list(scores)
    worse[j] = min(3, worse[j] + extra)
    a = conf(scores, points_per_level=p, serious_caps_at_low=cap)
    b = conf(worse, points_per_level=p, serious_caps_at_low=cap)
    assert RANK[b] >= RANK[a]


def test_every_combination_is_graded():
    for combo in itertools.product(range(4), repeat=4):
        assert conf(combo) in ql.CONFIDENCE_LEVELS


def test_bad_levels_listed_together():
    with pytest.raises(ik.ValidationError) as e:
        ql.confidence(
            methodological_limitations="none", coherence="no", adequacy="big", relevance="no"
        )
    assert set(e.value.paths) == {"methodological_limitations", "adequacy"}


def model_and_evidence():
    m = ik.ImpactModel(
        name="m",
        discount=0.0,
        inputs=[ik.Input("g", amount=100)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=1, proxy=300),
            ik.OutcomeValuation(outcome="b", stakeholder="t", quantity=1, proxy=100),
        ],
    )
    ev = [
        ql.Evidence(
            id=f"e{i}",
            kind="testimony",
            text="x",
            stakeholder="s",
            nodes=("a",),
            consent=True,
            source=f"i{i}",
        )
        for i in range(6)
    ]
    ev += [
        ql.Evidence(
            id="c",
            kind="testimony",
            text="x",
            stakeholder="t",
            links=("z->a",),
            direction="contradicts",
            consent=True,
            source="i9",
        ),
        ql.Evidence(id="h", kind="testimony", text="x", stakeholder="t", nodes=("b",)),
    ]
    return m, ev


def test_triangulate_counts_and_confidence():
    m, ev = model_and_evidence()
    t = ql.triangulate(ik.sroi(m), ev)
    a, b = t.loc["a"], t.loc["b"]
    assert (a["supports"], a["contradicts"], a["n_sources"]) == (6, 1, 7)
    assert a["value"] == pytest.approx(300)
    assert a["share"] == pytest.approx(0.75)
    assert a["stakeholders_heard"] == "s, t"
    assert a["n_stakeholders"] == 2
    # 7 items: adequacy no; 1/7 contradicting: coherence minor; 6/7 own: relevance no;
    # 7 sources: methodological limitations minor -> 2 points -> moderate
    assert (a["adequacy"], a["coherence"], a["relevance"], a["methodological_limitations"]) == (
        "no",
        "minor",
        "no",
        "minor",
    )
    assert a["confidence"] == "moderate"
    # b's only evidence has no consent: not counted, so assumed rather than heard
    assert b["supports"] == 0
    assert b["confidence"] == "very low"
    assert ql.triangulate(ik.sroi(m), ev, consented_only=False).loc["b", "supports"] == 1
    judged = ql.triangulate(
        ik.sroi(m), ev, judgements={"a": {"methodological_limitations": "no", "coherence": "no"}}
    )
    assert judged.loc["a", "confidence"] == "high"
    with pytest.raises(ik.ValidationError) as e:
        ql.triangulate(ik.sroi(m), ev, judgements={"zz": {}, "a": {"rigour": "no"}})
    assert set(e.value.paths) == {"judgements.zz", "judgements.a.rigour"}
    with pytest.raises(ik.ValidationError):
        ql.triangulate(m, ev)


def test_triangulate_a_value_map_without_money():
    import pandas as pd

    m, ev = model_and_evidence()
    ratings = pd.DataFrame({"outcome": ["a", "b"], "importance": [2, 4], "change": [3, 3]})
    w = ik.methods.weighted_outcomes(m, ratings, n_draws=0)
    t = ql.triangulate(w, ev)
    assert t.loc["a", "value"] == pytest.approx(6.0)
    assert t.loc["b", "value"] == pytest.approx(12.0)
    assert t["share"].sum() == pytest.approx(1.0)
    assert t.loc["a", "supports"] == 6
