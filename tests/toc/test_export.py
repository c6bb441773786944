"""Exports: Mermaid, DOT, GraphML (read back by networkx), JSON, logframe."""

from __future__ import annotations

import json

import networkx as nx

from impactkit import toc as T

from strategies import pinned_toc as pinned


def test_mermaid_shapes_and_feedback():
    toc = pinned()
    toc.add_link("employed", "coaching", kind="feedback", rationale="r")
    text = T.to_mermaid(toc)
    assert text.splitlines()[0] == "flowchart LR"
    assert 'employed("In paid work at 12 months")' in text
    assert "employed -.-> coaching" in text
    assert "coaching --> sessions" in text


def test_mermaid_sanitises_ids_and_quotes():
    toc = T.TheoryOfChange("t")
    toc.add_node("a b", kind="activity", label='say "hi"')
    toc.add_node("1x", kind="outcome", label="o")
    toc.add_link("a b", "1x")
    text = T.to_mermaid(toc)
    assert 'a_b["say #quot;hi#quot;"]' in text
    assert "a_b --> n_1x" in text


def test_dot_escapes():
    toc = T.TheoryOfChange('quote "me"')
    toc.add_node("a", kind="activity", label='x "y"')
    text = T.to_dot(toc)
    assert 'digraph "quote \\"me\\""' in text
    assert 'label="x \\"y\\""' in text


def test_graphml_reads_back():
    toc = pinned()
    g = nx.parse_graphml(T.to_graphml(toc))
    assert set(g.nodes) == {"coaching", "sessions", "employed"}
    assert g.nodes["employed"]["kind"] == "outcome"
    assert g.edges["sessions", "employed"]["evidence"] == 3


def test_json_is_node_link():
    data = json.loads(T.to_json(pinned()))
    assert [n["id"] for n in data["nodes"]] == ["coaching", "sessions", "employed"]
    assert T.TheoryOfChange.from_dict(data) == pinned()


def test_logframe():
    lf = T.logframe(pinned())
    assert list(lf.columns) == [
        "level",
        "id",
        "narrative_summary",
        "indicators",
        "means_of_verification",
        "assumptions",
    ]
    assert list(lf["level"]) == ["Purpose", "Output", "Activity"]
    assert lf.loc[lf["id"] == "sessions", "assumptions"].item() == "..."
