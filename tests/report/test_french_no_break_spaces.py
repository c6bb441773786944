"""French numbers keep their no-break spaces wherever they are shown: a narrow one between
thousands (1 234 567), a full one before « € » and « % » (12,5 %), in the Markdown
report as in the HTML one, in fixed texts (« intervalle à 90 % ») as in figures, on
the command line as in reports (see docs/howto/report.md)."""

from __future__ import annotations

import re

import pytest

import impactkit as ik
from impactkit import report
from impactkit._escape import md_text
from impactkit.cli import main

# a digit, then an ordinary space, then a unit or three digits of a grouped number
_BROKEN = re.compile(r"\d (?:%|€|\d{3}\b)")


def broken(text: str) -> list[str]:
    """The pattern's matches outside quoted titles (« Le Smic fixé à 11,88 € », a source's
    own words)."""
    return _BROKEN.findall(re.sub(r"«[^»]*»", "", text))


@pytest.fixture(scope="module")
def content():
    model = ik.examples.load_example()
    data = ik.examples.load_example_data()
    return report.analyse(model, data=data, lang="fr", n_draws=300, seed=0)


def test_md_text_keeps_no_break_spaces():
    assert md_text("1\u202f234\xa0€") == "1\u202f234\xa0€"
    assert md_text(" a \n\t b  ") == "a b"


def test_markdown_report(content):
    text = report.markdown(content)
    assert "\u202f" in text
    assert not broken(text), broken(text)[:5]


def test_html_report(content):
    page = report.html(content)
    text = re.sub(r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", page, flags=re.S)
    assert "intervalle à 90\xa0%" in text
    assert not broken(text), broken(text)[:5]


def test_command_line(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    book = tmp_path / "carte.xlsx"
    assert main(["new", str(book), "--example", "insertion_iae", "--lang", "fr"]) == 0
    capsys.readouterr()
    assert main(["sroi", str(book), "--mc", "200", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "intervalle à 90\xa0%" in out
    assert not broken(out), broken(out)
    assert main(["demo", "--mc", "200", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert not broken(out), broken(out)


def test_network_report(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    book = tmp_path / "resultats.xlsx"
    assert main(["new", str(book), "--network", "--lang", "fr"]) == 0
    for name in ("reseau.md", "reseau.html"):
        assert main(["network", str(book), "-o", str(tmp_path / name), "--mc", "200"]) == 0
        text = (tmp_path / name).read_text(encoding="utf-8")
        text = re.sub(r"<svg.*?</svg>|<style>.*?</style>|<[^>]+>", " ", text, flags=re.S)
        assert not broken(text), (name, broken(text)[:5])
