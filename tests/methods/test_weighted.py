"""Value without money: weighted outcome scores and rank stability."""

from __future__ import annotations

import json

import attrs
import numpy as np
import pandas as pd
import pytest

import impactkit as ik


def model():
    return ik.ImpactModel(
        name="m",
        outcomes=[
            ik.OutcomeValuation(
                outcome="a", stakeholder="s", quantity=10, proxy=0, deadweight=0.5, attribution=0.2
            ),
            ik.OutcomeValuation(
                outcome="b",
                stakeholder="s",
                quantity=ik.dist.Uniform(2, 6),
                proxy=0,
                displacement=0.1,
                leakage=0.5,
            ),
            ik.OutcomeValuation(outcome="c", stakeholder="t", quantity=1, proxy=0),
        ],
    )


RATINGS = pd.DataFrame(
    {
        "outcome": ["a", "a", "a", "b", "b", "c", "c"],
        "importance": [5, 4, np.nan, 3, 5, 1, 2],
        "change": [2, 4, 3, 4, 2, 1, 1],
    }
)


def test_scores_by_hand():
    w = ik.methods.weighted_outcomes(model(), RATINGS, n_draws=0)
    t = w.by_outcome.set_index("outcome")
    # a: Q 10, mean I (5+4)/2 = 4.5, mean C (2+4)/2 = 3 (the incomplete row is left out),
    #    haircuts 0.5 * 0.8 -> 10 * 13.5 * 0.4 = 54
    assert t.loc["a", "score"] == pytest.approx(54.0)
    assert t.loc["a", "n_missing"] == 1
    assert t.loc["a", "n_ratings"] == 2
    # b: Q = mean of U(2, 6) = 4, I 4, C 3, (1 - 0.1)(1 - 0.5) = 0.45 -> 21.6
    assert t.loc["b", "score"] == pytest.approx(4 * 4 * 3 * 0.45)
    assert t.loc["c", "score"] == pytest.approx(1.5)
    assert t["share"].sum() == pytest.approx(1.0)
    assert list(t["rank"]) == [1, 2, 3]
    assert w.stability.empty


def test_more_deadweight_never_raises_a_score():
    base = ik.methods.weighted_outcomes(model(), RATINGS, n_draws=0).by_outcome
    m = model()
    worse = m.evolve(outcomes=[attrs.evolve(m.outcomes[0], deadweight=0.9), *m.outcomes[1:]])
    after = ik.methods.weighted_outcomes(worse, RATINGS, n_draws=0).by_outcome
    assert after["score"][0] < base["score"][0]


def test_rank_stability_is_reproducible_and_sensible():
    a = ik.methods.weighted_outcomes(model(), RATINGS, n_draws=3000, seed=3)
    b = ik.methods.weighted_outcomes(model(), RATINGS, n_draws=3000, seed=3)
    pd.testing.assert_frame_equal(a.stability, b.stability)
    s = a.stability.set_index("outcome")
    # c is far below the others in every resample: always last
    assert s.loc["c", "p_same_rank"] == 1.0
    assert s.loc["c", "rank_low"] == 3
    assert s["p_top"].sum() == pytest.approx(1.0)
    assert ((s["rank_low"] <= s["mean_rank"]) & (s["mean_rank"] <= s["rank_high"])).all()
    assert a.ranks.shape == (3000, 3)
    json.dumps(a.to_dict(), allow_nan=False)
    assert "Weighted outcomes" in str(a.summary())
    hash(a)


def test_bad_ratings_listed_at_once():
    with pytest.raises(ik.ValidationError) as e:
        ik.methods.weighted_outcomes(
            model(),
            RATINGS.assign(
                importance=["x", 4, 4, -1, 5, 1, 2], outcome=["a", "a", "a", "b", "b", "zz", "zz"]
            ),
        )
    assert set(e.value.paths) >= {
        "ratings.importance",
        "ratings.outcome.zz",
        "outcomes[2].outcome",
    }
    with pytest.raises(ik.ValidationError):
        ik.methods.weighted_outcomes(model(), RATINGS.drop(columns="change"))
