"""Rank stability of one outcome valued for two stakeholders.

See docs/methods/value_without_money.md.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactkit as ik


def test_rows_of_one_outcome_share_its_resampled_ratings() -> None:
    # "a" for s (10 people) always outranks "a" for t (9 people): the same ratings
    m = ik.ImpactModel(
        name="m",
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=10, proxy=0),
            ik.OutcomeValuation(outcome="a", stakeholder="t", quantity=9, proxy=0),
        ],
    )
    r = pd.DataFrame({"outcome": ["a"] * 4, "importance": [1, 5, 2, 4], "change": [5, 1, 4, 2]})
    w = ik.methods.weighted_outcomes(m, r, n_draws=500, seed=3)
    assert w.by_outcome["rank"].tolist() == [1, 2]
    assert w.ranks is not None
    assert np.all(w.ranks[:, 0] == 1)
    assert np.all(w.ranks[:, 1] == 2)
    assert w.stability["p_same_rank"].tolist() == [1.0, 1.0]


def test_unique_outcomes_draw_as_before() -> None:
    m = ik.ImpactModel(
        name="m",
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=10, proxy=0),
            ik.OutcomeValuation(outcome="b", stakeholder="s", quantity=4, proxy=0),
        ],
    )
    r = pd.DataFrame(
        {"outcome": ["a", "a", "b", "b"], "importance": [4, 2, 5, 1], "change": [3, 3, 4, 5]}
    )
    w = ik.methods.weighted_outcomes(m, r, n_draws=200, seed=1)
    # by hand: a = 10 x 3 x 3 = 90, b = 4 x 3 x 4.5 = 54
    assert w.by_outcome["score"].tolist() == [90.0, 54.0]
    assert 0.0 < float(w.stability["p_same_rank"][0]) <= 1.0


def test_a_rating_without_an_outcome_is_refused_not_dropped() -> None:
    m = ik.ImpactModel(
        name="m", outcomes=[ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=1, proxy=0)]
    )
    r = pd.DataFrame(
        {
            "outcome": ["a", None, None],
            "importance": [4, 5, None],
            "change": [3, 2, None],  # the last row is blank: ignored
        }
    )
    with pytest.raises(ik.ValidationError) as exc:
        ik.methods.weighted_outcomes(m, r, n_draws=0)
    assert [p.path for p in exc.value.problems] == [("ratings", 1, "outcome")]
    ok = ik.methods.weighted_outcomes(m, r.drop(index=1), n_draws=0)
    assert ok.by_outcome["score"].tolist() == [12.0]
