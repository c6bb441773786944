"""Markdown reports are as safe as HTML ones.

The same hostile names, labels, quotations and sources, rendered by a
CommonMark renderer (markdown-it-py, with tables): no raw HTML, no link or
image, no heading, list, blockquote or table row that the benign report does
not have, no bidirectional control. One escaping function
(``impactkit._escape``) serves the SROI report, its stakeholder-voice
section, the network report, the member page and ``impactkit sroi --format
markdown``.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit import qualitative as ql
from impactkit._escape import BIDI_CONTROLS, html_text, md_text
from impactkit.cli import main

markdown_it = pytest.importorskip("markdown_it")

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="https://tracker.example/p.gif">',
    "[clic](javascript:alert(1))",
    "![pixel](https://tracker.example/p.gif)",
    "<javascript:alert(1)>",
    "Nom\n# Total : 1 000 000 €",
    "Nom\r\n\r\n| forged | row |\n|---|---|\n| total | 9 999 999 |",
    "Nom\u2028## Total",
    "a | b",
    "*gras* _it_ `code` ~~barré~~",
    "[ref]: https://tracker.example/p.gif",
    "- liste",
    "1. liste",
    "===",
    "&#x6A;avascript&colon;alert(1)",
    "exe\u202egpj.txt \u2066isolé\u2069 \u200fmarque",
]
PAYLOAD = " ".join(HOSTILE)  # one string with every payload
TOKENS = ("<script", "<img", "<a ", "<iframe", 'href="')


def _render(md: str) -> str:
    return markdown_it.MarkdownIt("commonmark").enable("table").enable("strikethrough").render(md)


def _shape(page: str) -> dict[str, int]:
    """How many of each structural element a rendered page has."""
    return {
        tag: len(re.findall(rf"<{tag}[\s>]", page))
        for tag in ("h1", "h2", "h3", "h4", "h5", "h6", "table", "tr", "li", "blockquote", "hr")
    } | {"a": page.count("<a "), "img": page.count("<img"), "script": page.count("<script")}


def _model(text: str):
    """The shipped example with ``text`` in every user-written place a report shows."""
    base = ik.examples.load_example()
    d = ik.io.to_dict(base)
    d["name"] = text
    for node in d["toc"]["nodes"]:
        node["label"] = text
    for sh in d["toc"]["stakeholders"]:
        sh["label"] = text
    for inp in d["inputs"]:
        inp["label"] = text
    for out in d["outcomes"]:
        out["label"] = text
    model = ik.io.from_dict(d)
    _, evidence, engagement = ik.examples.load_example_interviews()
    shown = ql.Evidence(
        id="hostile",
        kind="testimony",
        text=text,
        stakeholder="families",
        nodes=("carer_respite",),
        consent=True,
        source=text,
        themes=(text,),
    )
    return model.evolve(evidence=(*evidence, shown), engagement=engagement)


def _network(text: str):
    sites = [f"{text} {i}" for i in range(6)]
    outcomes = pd.DataFrame(
        {
            "site": sites,
            "outcome": ["emploi"] * 6,
            "label": [text] * 6,
            "stakeholder": [text] * 6,
            "quantity": [3.0, 4.0, 5.0, 6.0, 2.0, 8.0],
            "n": [10.0, 12.0, 11.0, 14.0, 9.0, 15.0],
            "proxy": [1000.0] * 6,
            "sector": [text] * 6,
            "region": [text] * 6,
            "payer": [text] * 6,
        }
    )
    inputs = pd.DataFrame(
        {"site": sites, "amount": [1000.0, 2000.0, 1500.0, 900.0, 800.0, 3000.0]}
    )
    return outcomes, inputs, sites


def _check(md_hostile: str, md_benign: str) -> None:
    for ch in BIDI_CONTROLS:
        assert ch not in md_hostile
    page = _render(md_hostile)
    for token in TOKENS:
        assert token not in page, token
    assert _shape(page) == _shape(_render(md_benign))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page  # shown as text, not dropped


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_sroi_report_and_voice_markdown_resist_hostile_text(lang):
    hostile = ik.report.markdown(ik.sroi(_model(PAYLOAD)), lang=lang)
    benign = ik.report.markdown(ik.sroi(_model("Nom ordinaire")), lang=lang)
    title = "Paroles des parties prenantes" if lang == "fr" else "Stakeholder voice"
    assert title in hostile
    _check(hostile, benign)


@pytest.mark.parametrize("fmt", ["markdown", "html"])
def test_network_report_resists_hostile_text(fmt):
    outcomes, inputs, _ = _network(PAYLOAD)
    b_outcomes, b_inputs, _ = _network("Nom ordinaire")
    hostile = ik.report.network(outcomes, inputs, format=fmt, charts=False, lang="fr")
    benign = ik.report.network(b_outcomes, b_inputs, format=fmt, charts=False, lang="fr")
    if fmt == "markdown":
        _check(hostile, benign)
    else:
        assert "<script" not in hostile
        assert "<img" not in hostile
        assert not any(ch in hostile for ch in BIDI_CONTROLS)


def test_member_page_markdown_resists_hostile_text():
    outcomes, inputs, sites = _network(PAYLOAD)
    b_outcomes, b_inputs, b_sites = _network("Nom ordinaire")
    hostile = ik.report.member(outcomes, inputs, member=sites[0], format="markdown")
    benign = ik.report.member(b_outcomes, b_inputs, member=b_sites[0], format="markdown")
    _check(hostile, benign)


def test_cli_sroi_markdown_resists_hostile_text(tmp_path, capsys):
    def run(text: str) -> str:
        path = tmp_path / "m.json"
        ik.io.dump(_model(text).evolve(evidence=(), engagement=()), path)
        assert main(["sroi", str(path), "--format", "markdown"]) == 0
        return capsys.readouterr().out

    _check(run(PAYLOAD), run("Nom ordinaire"))


def test_html_report_neutralises_bidi_controls():
    page = ik.report.html(ik.sroi(_model(PAYLOAD)), lang="fr")
    assert not any(ch in page for ch in BIDI_CONTROLS)
    assert "exegpj.txt" in page


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_md_text_is_one_inert_line(text):
    out = md_text(text)
    page = _render(out)
    assert "\n" not in out
    assert "\r" not in out
    assert page.count("<p>") <= 1
    for token in TOKENS:
        assert token not in page
    for tag in ("<em>", "<strong>", "<code>", "<s>", "<blockquote>", "<table", "<h", "<ul", "<ol"):
        assert tag not in page
    assert not any(ch in out for ch in BIDI_CONTROLS)


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=40))
def test_html_text_has_no_markup(text):
    out = html_text(text)
    assert "<" not in out
    assert ">" not in out
    assert '"' not in out
    assert not any(ch in out for ch in BIDI_CONTROLS)
