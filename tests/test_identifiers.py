"""Identifiers that look alike are one identifier or refused: ids are put in Unicode normal
form C when a record is made, and an id holding an invisible character or mixing Latin,
Greek and Cyrillic letters is a located error, so that two rows of one outcome cannot pass
for two outcomes."""

from __future__ import annotations

import json

import pytest

import impactkit as ik
from impactkit import OutcomeValuation
from impactkit.model import Input, duplicate_rows
from impactkit.toc import Indicator, Link, Node, Stakeholder, TheoryOfChange

from strategies import synthetic_model

COMPOSED = "caf\u00e9"
DECOMPOSED = "cafe\u0301"  # as text typed on macOS
LOOK_ALIKES = {
    "cyrillic": "\u0435mploi",  # Cyrillic ie, then Latin letters
    "greek": "empl\u03bfi",  # Greek omicron
    "zero_width": "emploi\u200b",
    "joiner": "em\u200dploi",
    "bidi": "emploi\u202e",
    "bom": "\ufeffemploi",
    "soft_hyphen": "em\u00adploi",
    "control": "emploi\t",
}


def row(outcome, **kw):
    return OutcomeValuation(outcome=outcome, stakeholder="s", quantity=10, proxy=100, **kw)


def test_ids_are_in_normal_form_c():
    assert row(DECOMPOSED).outcome == COMPOSED
    assert (
        OutcomeValuation(outcome="o", stakeholder=DECOMPOSED, quantity=1, proxy=1).stakeholder
        == COMPOSED
    )
    assert Input("Grant", amount=1, stakeholder=DECOMPOSED).stakeholder == COMPOSED
    assert Stakeholder(DECOMPOSED, label="x").id == COMPOSED
    assert Indicator(DECOMPOSED, label="x").id == COMPOSED
    node = Node(DECOMPOSED, kind="outcome", label="x", stakeholder=DECOMPOSED)
    assert (node.id, node.stakeholder) == (COMPOSED, COMPOSED)
    link = Link(DECOMPOSED, "b")
    assert link.source == COMPOSED


def test_the_same_outcome_typed_two_ways_is_one_duplicated_row():
    rows = [row(COMPOSED), row(DECOMPOSED)]
    assert [p.code for p in duplicate_rows(rows)] == ["duplicate_row"]
    m = synthetic_model().evolve(outcomes=rows)
    assert "duplicate_row" in {p.code for p in m.problems()}


def test_a_theory_of_change_sees_one_node():
    toc = TheoryOfChange("t")
    toc.add_stakeholder(DECOMPOSED, label="Café")
    toc.add_node("act", kind="activity")
    toc.add_node(DECOMPOSED, kind="outcome", stakeholder=COMPOSED)
    toc.add_link("act", COMPOSED)
    assert toc.node(COMPOSED).stakeholder == COMPOSED
    with pytest.raises(ik.ValidationError, match="duplicate"):
        toc.add_node(COMPOSED, kind="outcome")


@pytest.mark.parametrize("name", sorted(LOOK_ALIKES))
def test_look_alike_ids_are_refused_where_they_are(name):
    bad = LOOK_ALIKES[name]
    with pytest.raises(ik.ValidationError) as ei:
        row(bad)
    assert [(p.path, p.code) for p in ei.value.problems] == [(("outcome",), "invalid_identifier")]
    for make, path in (
        (lambda: Stakeholder(bad, label="x"), ("id",)),
        (lambda: Node(bad, kind="outcome", label="x"), ("id",)),
        (lambda: Link("a", bad), ("target",)),
        (lambda: Indicator(bad, label="x"), ("id",)),
        (lambda: Input("Grant", amount=1, stakeholder=bad), ("stakeholder",)),
    ):
        with pytest.raises(ik.ValidationError) as ei:
            make()
        assert [p.path for p in ei.value.problems] == [path]


def test_the_message_names_the_character():
    with pytest.raises(ik.ValidationError) as ei:
        row(LOOK_ALIKES["cyrillic"])
    assert "U+0435 CYRILLIC SMALL LETTER IE" in str(ei.value)
    with pytest.raises(ik.ValidationError) as ei:
        row(LOOK_ALIKES["zero_width"])
    assert "U+200B ZERO WIDTH SPACE" in str(ei.value)


@pytest.mark.parametrize(
    "good",
    [
        "emploi",
        "emploi_12m",
        "Café crème",
        "занятость",
        "απασχόληση",
        "就職",
        "emploi 就職",
        "a-b.c",
    ],
)
def test_ids_in_one_script_are_accepted(good):
    assert row(good).outcome == good


def test_a_model_file_with_a_look_alike_id_is_located(tmp_path):
    data = ik.io.to_dict(synthetic_model())
    data["outcomes"][1]["outcome"] = data["outcomes"][0]["outcome"] + "\u200b"
    p = tmp_path / "m.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ik.ValidationError) as ei:
        ik.load(p)
    assert ("outcomes", 1, "outcome") in {p.path for p in ei.value.problems}
