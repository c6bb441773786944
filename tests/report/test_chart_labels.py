"""Chart size does not grow with label length; bidirectional controls never reach a chart."""

from __future__ import annotations

import re

import pytest

import impactkit as ik

pytest.importorskip("matplotlib")
from impactkit.report import _charts as ch


def _result(label: str):
    model = ik.ImpactModel(
        name="m",
        discount=0.0,
        inputs=[ik.Input("g", amount=1000.0)],
        outcomes=[
            ik.OutcomeValuation(outcome="o", stakeholder="people", quantity=10, proxy=250.0),
            ik.OutcomeValuation(outcome="p", stakeholder="staff", quantity=5, proxy=100.0),
        ],
    )
    d = ik.io.to_dict(model)
    d["toc"] = {
        "name": "t",
        "stakeholders": [{"id": "people", "label": label}, {"id": "staff", "label": "Équipe"}],
        "nodes": [],
        "links": [],
    }
    return ik.sroi(ik.io.from_dict(d))


def _width(svg: str) -> float:
    return float(re.search(r'<svg[^>]*\swidth="([\d.]+)pt"', svg).group(1))


def test_the_stakeholder_chart_width_is_bounded_whatever_the_label():
    short = _width(ch.to_svg(ch.by_stakeholder_chart(_result("Personnes"), "fr")))
    widths = [
        _width(ch.to_svg(ch.by_stakeholder_chart(_result("Personnes accompagnées " * k), "fr")))
        for k in (3, 30, 300)
    ]
    assert max(widths) == min(widths)  # the label is cut: 300 repeats are as wide as 3
    assert max(widths) < short + 200  # at most two lines of 32 characters


def test_short_labels_are_kept_and_long_ones_cut_on_two_lines():
    assert ch.short_label("Familles et aidants") == "Familles et aidants"
    long = ch.short_label("Personnes accompagnées vers et dans l'emploi ordinaire à 12 mois")
    lines = long.split("\n")
    assert len(lines) == 2
    assert all(len(x) <= ch.LABEL_WIDTH for x in lines)
    assert long.endswith("…")
    assert ch.short_label("x" * 500).count("\n") == 1


def test_bidi_controls_never_reach_a_chart():
    svg = ch.to_svg(ch.by_stakeholder_chart(_result("Dupont\u202egpj.exe\u2066"), "fr"))
    assert "\u202e" not in svg
    assert "\u2066" not in svg
