"""The federation report's funnel plots are written at their own size in one drawing,
with a title that fits the figure, and a report typesets only the format it writes."""

from __future__ import annotations

import re

import pandas as pd
import pytest

pytest.importorskip("matplotlib")

from impactkit.portfolio import FunnelResult, funnel
from impactkit.report import _charts, _network


def _funnel() -> FunnelResult:
    sites = pd.DataFrame(
        {
            "site": list("abcdefgh"),
            "rate": [0.32, 0.18, 0.45, 0.25, 0.05, 0.3, 0.22, 0.4],
            "n": [120, 60, 40, 200, 80, 90, 150, 30],
        }
    )
    return funnel(sites, value="rate", n="n", site="site")


def test_funnel_svg_keeps_the_figure_size_and_draws_once(monkeypatch):
    draws = []
    fig = _network.funnel_chart(_funnel(), lang="fr", title="Sorties")
    real = type(fig).draw

    def counted(self, renderer):
        draws.append(1)
        return real(self, renderer)

    monkeypatch.setattr(type(fig), "draw", counted)
    svg = _network._svg(fig)
    assert len(draws) == 1
    assert re.search(r'width="504pt" height="273\.6pt"', svg)  # 7 x 3.8 inches
    # other charts are still cropped to their content
    cropped = _charts.to_svg(_network.funnel_chart(_funnel(), lang="fr", title="Sorties"))
    assert not re.search(r'width="504pt" height="273\.6pt"', cropped)


def test_a_long_title_is_one_line_that_fits():
    label = "Personnes accompagnées ayant retrouvé un logement stable " * 4
    fig = _network.funnel_chart(_funnel(), lang="fr", title=label)
    title = fig.axes[0].get_title()
    assert "\n" not in title
    assert len(title) <= _network.TITLE_WIDTH
    assert title.endswith("…")


def test_an_html_report_does_not_typeset_markdown_tables(monkeypatch):
    outcomes = pd.DataFrame(
        {
            "site": ["A", "B"],
            "outcome": ["job"] * 2,
            "quantity": [30, 12],
            "n": [40, 30],
            "proxy": [8000.0, 8000.0],
            "sector": ["insertion", "handicap"],
        }
    )
    inputs = pd.DataFrame({"site": ["A", "B"], "amount": [1.5e5, 9e4]})

    def refuse(*args, **kwargs):
        raise AssertionError("markdown table typeset for an HTML report")

    monkeypatch.setattr(_network, "_md_table", refuse)
    text = _network.network(outcomes, inputs, discount=0.0, charts=False)
    assert "<table>" in text
