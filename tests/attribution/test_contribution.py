"""Deadweight from evidence, Shapley shares, contribution tracing and the contribution story."""

from __future__ import annotations

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit import attribution as att

from strategies import pinned_toc


def test_deadweight_rate_example():
    dw = att.deadweight_from_effect(0.2, 0.6, n_treated=100)
    assert dw.deadweight == pytest.approx(2 / 3)
    assert dw.quantity is None
    # Q x (1 - DW) equals the additional outcomes n1 x tau
    assert 100 * 0.6 * (1 - dw.deadweight) == pytest.approx(100 * 0.2)


def test_deadweight_edge_cases():
    assert att.deadweight_from_effect(-0.1, 0.5).deadweight == 1.0
    worse = att.deadweight_from_effect(0.7, 0.5, n_treated=40)
    assert worse.deadweight == 0.0
    assert worse.quantity == pytest.approx(28.0)
    change = att.deadweight_from_effect(3.0, 4.0, kind="change")
    assert change.deadweight == pytest.approx(0.25)
    with pytest.raises(ik.ValidationError):
        att.deadweight_from_effect(0.7, 0.5)  # needs n_treated
    with pytest.raises(ik.ValidationError):
        att.deadweight_from_effect(0.1, 0.0)


def test_deadweight_distribution_carries_se():
    dw = att.deadweight_from_effect(0.2, 0.6, se=0.05)
    d = dw.as_distribution()
    assert isinstance(d, ik.dist.Normal)
    assert d.sd == pytest.approx(0.05 / 0.6)
    assert d.support == (0.0, 1.0)


@given(st.floats(0.01, 1), st.floats(0.01, 1))
def test_deadweight_in_unit_interval(tau, p1):
    dw = att.deadweight_from_effect(tau, p1, n_treated=10)
    assert 0.0 <= dw.deadweight <= 1.0


def test_shapley_fixture():
    v = {(1,): 10, (2,): 20, (3,): 0, (1, 2): 60, (1, 3): 30, (2, 3): 40, (1, 2, 3): 100}
    r = att.shapley([1, 2, 3], v)
    assert r.values == {1: pytest.approx(35), 2: pytest.approx(45), 3: pytest.approx(20)}
    assert r.exact


def test_shapley_sampling_above_exact_limit():
    rng = np.random.default_rng(0)
    a = dict(enumerate(rng.uniform(1, 10, 15)))

    def v(s):  # superadditive game with known Shapley values: a_i + pairwise bonus shared
        return sum(a[i] for i in s) + 0.5 * len(s) * (len(s) - 1)

    r = att.shapley(list(a), v, n_permutations=4000, seed=1)
    assert not r.exact
    assert sum(r.values.values()) == pytest.approx(r.total)
    for i in a:
        assert r.values[i] == pytest.approx(a[i] + 7.0, abs=5 * r.se[i] + 1e-9)


@given(st.lists(st.floats(0, 100), min_size=1, max_size=6))
def test_shapley_additive_game_gives_own_values(vals):
    players = list(range(len(vals)))
    r = att.shapley(players, lambda s: sum(vals[i] for i in s))
    for i in players:
        assert r.values[i] == pytest.approx(vals[i], abs=1e-9)
    assert sum(r.values.values()) == pytest.approx(sum(vals))


def test_share_value_and_bad_input():
    t = att.share_value(1000, ["a", "b"], coalition_values={("a",): 1, ("b",): 1, ("a", "b"): 2})
    assert list(t["present_value"]) == [500.0, 500.0]
    with pytest.raises(ik.ValidationError, match="no value given"):
        att.shapley(["a", "b"], {("a",): 1})
    with pytest.raises(ik.ValidationError):
        att.shapley(["a", "a"], lambda s: 1.0)


def test_bayes_and_tracing():
    assert att.bayes_update(0.5, sensitivity=0.95, type_i_error=0.05) == pytest.approx(0.95)
    items = [
        att.EvidenceItem("Staff diary", test="straw_in_the_wind"),
        att.EvidenceItem("Employer letters", test="smoking_gun"),
        att.EvidenceItem("Hired before coaching?", test="hoop", observed=False),
    ]
    t = att.contribution_tracing(items)
    assert t["posterior"].iloc[0] == pytest.approx(0.6)
    assert t["posterior"].iloc[1] == pytest.approx(0.18 / (0.18 + 0.02))
    assert t["posterior"].iloc[2] < t["posterior"].iloc[1]
    assert set(t["label"]) <= {lbl for _, lbl in att.CONFIDENCE_LABELS}
    with pytest.raises(ik.ValidationError):
        att.EvidenceItem("x")  # neither test nor probabilities
    with pytest.raises(ik.ValidationError):
        att.EvidenceItem("x", sensitivity=1.2, type_i_error=0.1)


def test_contribution_story():
    toc = pinned_toc()
    story = att.contribution_story(toc)
    st_ = story.links.set_index("target")["status"]
    assert st_["sessions"] == "unsupported"
    assert st_["employed"] == "supported"  # evidence 3 -> 0.6
    assert list(story.assumptions["status"]) == ["missing"]
    assert story.pathways["confidence"].iloc[0] == 0.0
    assert "Unsupported" in str(story.summary())


def test_contribution_story_lists_at_most_max_paths():
    """The limit holds across activities and outcomes, not only within one pair."""
    model = ik.examples.load_example()
    every = att.contribution_story(model.toc).pathways
    assert len(every) > 2
    for k in (1, 2, len(every)):
        limited = att.contribution_story(model.toc, max_paths=k).pathways
        assert len(limited) == k
        assert limited.equals(every.iloc[:k])


def test_counterfactual_deadweight_in_a_model(tmp_path):
    rng = np.random.default_rng(0)
    n = 2000
    x = rng.normal(size=n)
    coached = (rng.random(n) < 1 / (1 + np.exp(-x))).astype(int)
    base = 1 / (1 + np.exp(-(x - 0.5)))
    employed = (rng.random(n) < np.clip(base + 0.2 * coached, 0, 1)).astype(int)
    cohort = pd.DataFrame({"employed": employed, "coached": coached, "x": x})
    calc = att.CounterfactualDeadweight(
        estimator="ipw",
        outcome="employed",
        treatment="coached",
        covariates=["x"],
        data="cohort",
        options={"estimand": "ATT"},
    )
    row = ik.OutcomeValuation(
        outcome="employed", stakeholder="p", quantity=100, proxy=1000, deadweight=calc
    )
    m = ik.ImpactModel(
        name="m", discount=0.0, inputs=[ik.Input("g", amount=10_000)], outcomes=[row]
    )
    res = ik.sroi(m, data={"cohort": cohort})
    direct = calc.compute(cohort)
    assert res.by_outcome["deadweight"].item() == pytest.approx(direct.deadweight)
    assert 0.3 < direct.deadweight < 0.9
    assert "estimated: effect" in str(res.explain(0))
    ik.dump(m, tmp_path / "m.json")
    assert ik.load(tmp_path / "m.json") == m
    mc = ik.monte_carlo(m, n=2000, seed=0, data={"cohort": cohort}, sampling_uncertainty=True)
    assert mc.present_value.std() > 0
    with pytest.raises(ik.ValidationError) as ei:
        ik.sroi(m)
    assert "outcomes[0].deadweight.data" in ei.value.paths
    bad = attrs.evolve(row, deadweight=attrs.evolve(calc, estimator="nope"))
    with pytest.raises(ik.ValidationError, match="available"):
        ik.sroi(m.evolve(outcomes=[bad]), data={"cohort": cohort})


def test_estimators_registered():
    names = ik.registry.names("attribution")
    for n in (
        "difference_in_means",
        "did",
        "ipw",
        "psm",
        "regression_adjustment",
        "doubly_robust",
    ):
        assert n in names
    assert ik.registry.get("attribution", "ipw") is att.InverseProbabilityWeighting


def test_counterfactual_deadweight_is_a_hashable_value():
    calc = att.CounterfactualDeadweight(
        estimator="ipw",
        outcome="employed",
        treatment="coached",
        covariates=["x"],
        data="cohort",
        options={"estimand": "ATT", "trim": [0.1, 0.9]},
    )
    same = att.CounterfactualDeadweight.from_dict(calc.to_dict())
    assert same == calc
    assert hash(same) == hash(calc)
    with pytest.raises(TypeError):
        calc.options["estimand"] = "ATE"  # type: ignore[index]


def test_max_paths_bounds_the_work_on_a_dense_graph():
    """Nine fully linked layers hold 4**9 paths; listing ten must not walk them all
    (before, the search for the first outcome explored every path of the graph)."""
    toc = ik.TheoryOfChange("dense")
    toc.add_node("a", kind="activity")
    prev = ["a"]
    for d in range(9):
        layer = [f"o{d}_{j}" for j in range(4)]
        for n in layer:
            toc.add_node(n, kind="outcome")
        for u in prev:
            for v in layer:
                toc.add_link(u, v, rationale="r")
        prev = layer
    story = att.contribution_story(toc, max_paths=10)
    assert len(story.pathways) == 10
    assert toc.pathways("a", "o0_0") == [["a", "o0_0"]]
    assert len(toc.pathways("a", "o2_0", limit=5)) == 5
    with pytest.raises(ik.ValidationError):
        att.contribution_story(toc, max_paths=-1)
