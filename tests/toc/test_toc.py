"""TheoryOfChange: building, the rules of docs/guide/theory_of_change.md, queries, bad input."""

from __future__ import annotations

import networkx as nx
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit.toc import TheoryOfChange, problems

from strategies import pinned_toc as pinned
from strategies import tocs


def test_pinned_api():
    toc = pinned()
    toc.validate()
    assert isinstance(toc.problems(), list)
    g = toc.graph
    assert isinstance(g, nx.DiGraph)
    assert nx.is_frozen(g)
    assert set(g.nodes) == {"coaching", "sessions", "employed"}
    assert g.nodes["employed"]["stakeholder"] == "participants"
    assert toc.pathways("coaching", "employed") == [["coaching", "sessions", "employed"]]


def test_graph_is_a_copy():
    toc = pinned()
    g = toc.to_networkx()
    g.add_node("x")
    assert "x" not in toc


def test_queries():
    toc = pinned()
    toc.add_node(
        "conf", kind="outcome", label="Confidence", stakeholder="participants", horizon="short"
    )
    toc.add_link("sessions", "conf", evidence=5)
    assert toc.upstream("employed") == {"coaching", "sessions"}
    assert toc.downstream("coaching") == {"sessions", "employed", "conf"}
    assert toc.contributing_activities("employed") == ["coaching"]
    assert toc.reachable_outcomes("coaching") == ["employed", "conf"]
    path = ["coaching", "sessions", "employed"]
    # coaching->sessions has no evidence: weakest link is 0
    assert toc.pathway_confidence(path) == 0.0
    assert toc.pathway_confidence(["sessions", "conf"]) == 1.0
    toc2 = pinned()
    toc2.remove_link("coaching", "sessions")
    toc2.add_link("coaching", "sessions", evidence=4)
    assert toc2.pathway_confidence(path) == pytest.approx(0.6)
    assert toc2.pathway_confidence(path, method="product") == pytest.approx(0.8 * 0.6)


def plant_all_faults() -> dict:
    return {
        "name": "faulty",
        "stakeholders": [{"id": "p", "label": "People"}],
        "nodes": [
            {"id": "act", "kind": "activity", "label": "Activity"},
            {"id": "out", "kind": "output", "label": "Output"},
            {"id": "o1", "kind": "outcome", "label": "O1", "stakeholder": "p"},
            {"id": "o2", "kind": "outcome", "label": "O2", "stakeholder": "p", "horizon": "long"},
            {
                "id": "o3",
                "kind": "outcome",
                "label": "O3",
                "stakeholder": "ghost",
                "horizon": "long",
            },
            {"id": "lonely", "kind": "output", "label": "Nobody links me"},
            {"id": "out", "kind": "output", "label": "Duplicate"},
            {"id": "c1", "kind": "outcome", "label": "C1", "horizon": "short"},
            {"id": "c2", "kind": "outcome", "label": "C2", "horizon": "short"},
        ],
        "links": [
            {"source": "act", "target": "out"},
            {"source": "out", "target": "o1"},
            {"source": "o1", "target": "act"},
            {"source": "out", "target": "nowhere"},
            {"source": "act", "target": "c1"},
            {"source": "c1", "target": "c2"},
            {"source": "c2", "target": "c1"},
        ],
    }


def test_every_fault_reported_in_one_call():
    probs = problems(plant_all_faults())
    by_code = {}
    for p in probs:
        by_code.setdefault(p.code, []).append(p.location)
    assert "nodes[6].id" in by_code["duplicate_id"]
    assert "links[3].target" in by_code["dangling_link"]
    assert "nodes[4].stakeholder" in by_code["unknown_stakeholder"]
    assert "links[2]" in by_code["backwards_link"]
    assert any(loc.startswith("links[") for loc in by_code["cycle"])
    assert "nodes[5]" in by_code["orphan"]
    assert {"nodes[3]", "nodes[4]"} <= set(by_code["unreached_outcome"])
    errors = [p for p in probs if p.severity == "error"]
    warnings = [p for p in probs if p.severity == "warning"]
    assert errors
    assert warnings
    assert probs == errors + warnings  # errors first


def test_from_dict_refuses_what_cannot_be_built():
    with pytest.raises(ik.ValidationError) as ei:
        TheoryOfChange.from_dict(plant_all_faults())
    codes = {p.code for p in ei.value.problems}
    assert {"duplicate_id", "dangling_link", "unknown_stakeholder"} <= codes


def test_validate_raises_with_warnings_included():
    toc = pinned()
    toc.add_node("back", kind="input", label="Money")
    toc.add_link("employed", "back")
    with pytest.raises(ik.ValidationError) as ei:
        toc.validate()
    codes = [p.code for p in ei.value.problems]
    assert "backwards_link" in codes
    assert "no_impact" in codes  # a warning, listed too


def test_feedback_links_allowed():
    toc = pinned()
    toc.add_link("employed", "coaching", kind="feedback", rationale="results shape practice")
    assert not [p for p in toc.problems() if p.severity == "error"]


def test_cycle_of_causal_links():
    toc = pinned()
    toc.add_node("o2", kind="outcome", label="O2")
    toc.add_link("employed", "o2", rationale="r")
    toc.add_link("o2", "employed", rationale="r")
    codes = [p.code for p in toc.problems() if p.severity == "error"]
    assert codes.count("cycle") == 1


def test_warnings():
    toc = TheoryOfChange("w")
    toc.add_stakeholder("p")
    toc.add_node("a", kind="activity", label="A")
    toc.add_node("b", kind="activity", label="B")
    toc.add_node(
        "o",
        kind="outcome",
        label="O",
        stakeholder="p",
        indicators=[ik.toc.Indicator("i", "Indicator")],
    )
    toc.add_node("i1", kind="impact", label="I1")
    toc.add_node("i2", kind="impact", label="I2")
    toc.add_node("out", kind="output", label="Out", above_ceiling=True)
    toc.add_link("a", "o", assumption="x")
    toc.add_link("o", "i1")
    toc.add_link("o", "i2", rationale="because")
    toc.add_link("out", "i2", rationale="r")
    codes = {p.code for p in toc.problems()}
    assert {
        "activity_without_outcome",
        "several_impacts",
        "no_rationale",
        "assumption_status",
        "indicator_incomplete",
        "output_without_activity",
        "output_above_ceiling",
        "orphan",
    } <= codes


def test_bad_input_leaves_graph_unchanged():
    toc = pinned()
    before = toc.copy()
    for call in [
        lambda: toc.add_node("coaching", kind="activity", label="dup"),
        lambda: toc.add_node("x", kind="widget", label="X"),
        lambda: toc.add_node("x", kind="outcome", label=""),
        lambda: toc.add_node("x", kind="outcome", label="X", stakeholder="ghost"),
        lambda: toc.add_node("x", kind="activity", label="X", horizon="short"),
        lambda: toc.add_link("coaching", "ghost"),
        lambda: toc.add_link("coaching", "sessions"),
        lambda: toc.add_link("coaching", "employed", evidence=7),
        lambda: toc.add_stakeholder("participants"),
        lambda: toc.add_stakeholder("q", size=-3),
        lambda: toc.add_indicator("ghost", "i", label="x"),
    ]:
        with pytest.raises(ik.ValidationError):
            call()
        assert toc == before


def test_unknown_node_error_is_keyerror_with_path():
    toc = pinned()
    with pytest.raises(KeyError):
        toc.node("ghost")
    with pytest.raises(ik.UnknownNodeError) as ei:
        toc.add_link("ghost", "phantom")
    assert ei.value.paths == ("links['ghost->phantom'].source", "links['ghost->phantom'].target")


def test_add_node_reports_all_problems():
    toc = pinned()
    with pytest.raises(ik.ValidationError) as ei:
        toc.add_node("x", kind="widget", label="", description=3)
    assert set(ei.value.paths) >= {"kind", "label", "description"}


@given(tocs())
def test_random_valid_tocs_have_no_errors(toc):
    assert not [p for p in toc.problems() if p.severity == "error"]


@given(tocs())
def test_node_link_round_trip(toc):
    back = TheoryOfChange.from_dict(toc.to_dict())
    assert back == toc
    assert back.problems() == toc.problems()


@given(tocs())
def test_networkx_round_trip(toc):
    back = TheoryOfChange.from_networkx(toc.to_networkx())
    assert back == toc


@given(tocs())
def test_relabel_invariance_of_rules(toc):
    g = toc.to_networkx()
    mapping = {n: f"x_{n}" for n in g}
    back = TheoryOfChange.from_networkx(nx.relabel_nodes(g, mapping))
    assert sorted(p.code for p in back.problems()) == sorted(p.code for p in toc.problems())


def test_checks_are_reused_until_the_next_change():
    """validate() reuses what it found until the theory of change changes."""
    toc = ik.TheoryOfChange("cache")
    toc.add_stakeholder("p")
    toc.add_node("a", kind="activity")
    toc.add_node("o", kind="outcome", stakeholder="p", indicators=[{"id": "i1", "label": "x"}])
    first = toc.problems()
    assert toc.problems() == first
    assert toc.problems() is not toc.problems()  # callers get their own list
    assert any(p.code == "unreached_outcome" for p in first)
    toc.add_link("a", "o", rationale="r")
    assert not any(p.code == "unreached_outcome" for p in toc.problems())
    toc.add_node("b", kind="activity")
    toc.add_link("o", "b", kind="feedback", rationale="r")
    toc.add_link("b", "o", rationale="r")
    assert not any(p.code == "cycle" for p in toc.problems())  # the loop is typed feedback
    toc.remove_link("o", "b")
    toc.add_link("o", "b", rationale="r")
    assert any(p.code == "cycle" for p in toc.problems())
    assert toc.upstream("o") == {"a", "b"}
    assert toc.downstream("a") == {"o", "b"}


def test_indicator_ids_stay_unique_through_the_index():
    toc = ik.TheoryOfChange("index")
    toc.add_node("a", kind="output", indicators=[{"id": "i1", "label": "x"}])
    with pytest.raises(ik.ValidationError, match="already used"):
        toc.add_node("b", kind="output", indicators=[{"id": "i1", "label": "y"}])
    assert "b" not in toc
    toc.add_node("c", kind="output")
    with pytest.raises(ik.ValidationError, match="already used"):
        toc.add_indicator("c", "i1", label="z")
    toc.remove_node("a")
    toc.add_indicator("c", "i1", label="z")  # freed by the removal
    copy = toc.copy()
    with pytest.raises(ik.ValidationError, match="already used"):
        copy.add_node("d", kind="output", indicators=[{"id": "i1", "label": "w"}])


_KINDS = ("input", "activity", "output", "outcome", "impact")


@st.composite
def _random_graphs(draw):
    """Any kinds, any links (backwards, cycles, feedback), some nodes left alone."""
    n = draw(st.integers(1, 30))
    kinds = draw(st.lists(st.sampled_from(_KINDS), min_size=n, max_size=n))
    pairs = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1), st.booleans()),
            max_size=3 * n,
        )
    )
    toc = TheoryOfChange("random")
    for i, k in enumerate(kinds):
        toc.add_node(f"n{i}", kind=k)
    for u, v, fb in pairs:
        if u != v and (f"n{u}", f"n{v}") not in {(lk.source, lk.target) for lk in toc.links}:
            toc.add_link(f"n{u}", f"n{v}", rationale="r", kind="feedback" if fb else "causal")
    return toc


@given(_random_graphs())
def test_structural_rules_agree_with_networkx(toc):
    """Reachability, orphans and cycles as networkx computes them (an independent oracle)."""
    g = nx.DiGraph()
    g.add_nodes_from(toc)
    g.add_edges_from((lk.source, lk.target) for lk in toc.links)
    kind = {n: toc.node(n).kind for n in toc}
    acts = [n for n in g if kind[n] == "activity"]
    outs = [n for n in g if kind[n] == "outcome"]
    from_act = set(acts).union(*(nx.descendants(g, a) for a in acts))
    to_out = set(outs).union(*(nx.ancestors(g, o) for o in outs))
    found = {
        (p.code, p.path[1]) for p in toc.problems() if p.path[0] == "nodes" and len(p.path) > 1
    }
    assert {n for c, n in found if c == "unreached_outcome"} == {
        n for n in outs if n not in from_act
    }
    assert {n for c, n in found if c == "activity_without_outcome"} == {
        n for n in acts if n not in to_out
    }
    assert {n for c, n in found if c == "output_without_activity"} == {
        n for n in g if kind[n] == "output" and n not in from_act
    }
    assert {n for c, n in found if c == "orphan"} == {n for n in g if g.degree(n) == 0}
    causal = nx.DiGraph()
    causal.add_nodes_from(g)
    causal.add_edges_from((lk.source, lk.target) for lk in toc.links if lk.kind != "feedback")
    has_cycle = any(p.code == "cycle" for p in toc.problems())
    assert has_cycle == (not nx.is_directed_acyclic_graph(causal))


def test_a_chain_deeper_than_the_array_levels_is_checked_node_by_node():
    """Past 64 levels the walk goes node by node; the answers do not change."""
    toc = TheoryOfChange("chain")
    toc.add_node("a", kind="activity")
    prev = "a"
    for i in range(300):
        toc.add_node(f"o{i}", kind="outcome")
        toc.add_link(prev, f"o{i}", rationale="r")
        prev = f"o{i}"
    toc.add_node("lost", kind="outcome")
    toc.add_link("lost", "o0", rationale="r")
    codes = {(p.code, p.path[-1]) for p in toc.problems()}
    assert ("unreached_outcome", "lost") in codes
    assert not any(c == "unreached_outcome" and n != "lost" for c, n in codes)
    toc.add_link("o299", "o150", rationale="r")  # a causal loop 150 levels down
    assert any(p.code == "cycle" for p in toc.problems())


def test_link_assumptions_from_arrays_and_series():
    from impactkit.toc import Link

    assert len(Link("a", "b", assumptions=np.array(["x", "y"])).assumptions) == 2
    assert Link("a", "b", assumptions=np.array([])).assumptions == ()
    assert Link("a", "b", assumptions=pd.Series(["x"])).assumptions[0].text == "x"


def test_a_cycle_is_named_the_same_way_in_every_run():
    """The cycle reported used to depend on the order of a set (the hash seed)."""
    import subprocess
    import sys

    script = (
        "import impactkit as ik\n"
        "t = ik.TheoryOfChange('c')\n"
        "for n, k in [('act','activity'),('hired','outcome'),('confident','outcome'),"
        "('stable','outcome'),('d1','outcome'),('d2','outcome'),('d3','outcome'),"
        "('d4','outcome')]:\n"
        "    t.add_node(n, kind=k)\n"
        "for u, v in [('act','hired'),('hired','confident'),('confident','stable'),"
        "('stable','hired'),('stable','d1'),('stable','d2'),('stable','d3'),('stable','d4')]:\n"
        "    t.add_link(u, v, rationale='r')\n"
        "print([(p.path, p.message) for p in t.problems() if p.code == 'cycle'])\n"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", script],
            capture_output=True,
            text=True,
            check=True,
            env={**__import__("os").environ, "PYTHONHASHSEED": str(seed)},
        ).stdout
        for seed in range(4)
    }
    assert len(runs) == 1
    assert "hired -> confident -> stable -> hired" in runs.pop()


def test_an_outcome_calculator_on_an_output_node_is_refused_when_built():
    """The builder accepted it and reading the model file back refused it."""
    from impactkit import measure

    toc = TheoryOfChange("t")
    with pytest.raises(ik.ValidationError) as ei:
        toc.add_node(
            "placed",
            kind="output",
            measure=measure.Threshold(column="x", at_least=1, data="d"),
        )
    assert ei.value.problems[0].code == "wrong_stage"
    assert "placed" not in toc
    toc.add_node("placed", kind="output", measure=measure.Count(data="d"))  # both stages
    rate = measure.Proportion(column="x", data="d")
    toc.add_indicator("placed", "rate", label="l", measure=rate)


_HORIZONS = (None, "short", "intermediate", "long")


@st.composite
def _edited_graphs(draw):
    """A builder taken through random additions, checks, removals, indicators and copies.

    Returns the builder and, for each check made along the way, its problems
    with the theory of change it was made on (as node-link data).
    """
    toc = TheoryOfChange("edited")
    toc.add_stakeholder("p")
    checks = []
    ids: list[str] = []
    for step in range(draw(st.integers(1, 40))):
        op = draw(
            st.sampled_from(["node", "node", "link", "link", "link", "check", "drop", "ind"])
        )
        if op == "node" or not ids:
            nid = f"n{step}"
            kind = draw(st.sampled_from(_KINDS))
            toc.add_node(
                nid,
                kind=kind,
                horizon=draw(st.sampled_from(_HORIZONS)) if kind == "outcome" else None,
                stakeholder="p" if kind == "outcome" and draw(st.booleans()) else None,
                above_ceiling=draw(st.booleans()),
            )
            ids.append(nid)
        elif op == "link":
            u, v = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
            if u != v and (u, v) not in {(lk.source, lk.target) for lk in toc.links}:
                toc.add_link(
                    u,
                    v,
                    rationale=draw(st.sampled_from(["", "r"])),
                    assumptions=draw(
                        st.sampled_from([[], ["a"], [{"text": "b", "status": "holds"}]])
                    ),
                    kind=draw(st.sampled_from(["causal", "feedback"])),
                )
        elif op == "check":
            checks.append((toc.problems(), toc.to_dict()))
        elif op == "drop":
            links = toc.links
            if links and draw(st.booleans()):
                lk = draw(st.sampled_from(links))
                toc.remove_link(lk.source, lk.target)
            else:
                nid = draw(st.sampled_from(ids))
                toc.remove_node(nid)
                ids.remove(nid)
        else:
            nid = draw(st.sampled_from(ids))
            target = draw(st.sampled_from([None, 1.0]))
            toc.add_indicator(nid, f"i{step}", label="x", target=target, timeline="2027")
        if draw(st.integers(0, 9)) == 0:
            toc = toc.copy()
    checks.append((toc.problems(), toc.to_dict()))
    return checks


@given(_edited_graphs())
def test_checks_kept_up_while_editing_agree_with_a_check_from_scratch(checks):
    """The builder keeps what the checks read as records come and go; a theory of
    change read back from its data (checked from its records alone) finds the same."""
    for found, data in checks:
        assert TheoryOfChange.from_dict(data).problems() == found


@given(tocs())
def test_records_read_back_are_the_records_added(toc):
    """Nodes and links are stored as rows and made again on access: equal records."""
    import attrs

    from impactkit.toc import Link, Node

    for node in toc.nodes:
        assert node == toc.node(node.id)
        assert Node(**attrs.asdict(node, recurse=False)) == node  # passes its own checks
    for link in toc.links:
        assert link == toc.link(link.source, link.target)
        assert Link(**attrs.asdict(link, recurse=False)) == link
    assert hash(toc.frozen()) == hash(toc.copy().frozen())


def test_a_large_graph_leaves_nothing_for_the_collector():
    """Stored rows of plain values are not tracked by the cyclic collector, so a
    graph of thousands of records does not add to every later full collection."""
    import gc

    def tracked_after(n):
        toc = TheoryOfChange("big")
        toc.add_stakeholder("p")
        for i in range(n):
            toc.add_node(f"a{i}", kind="activity")
            toc.add_node(f"o{i}", kind="outcome", stakeholder="p", horizon="short")
            toc.add_link(f"a{i}", f"o{i}", rationale="r")
        toc.problems()
        gc.collect()
        return len(gc.get_objects()), toc

    small, _keep_small = tracked_after(10)
    large, _keep_large = tracked_after(3000)
    assert large - small < 100  # not thousands: nodes and links are not tracked
