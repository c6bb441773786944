"""``impactkit sroi --format markdown --lang fr`` is French: French names of the figures,
French numbers, stakeholders by their labels, the Monte Carlo line in French."""

from __future__ import annotations

import re

import pytest

from french_text import english_sentences
from impactkit.cli import main


@pytest.fixture
def book(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    path = tmp_path / "carte.xlsx"
    assert main(["new", str(path), "--example", "insertion_iae", "--lang", "fr"]) == 0
    capsys.readouterr()
    return path


def test_markdown_in_french(book, capsys):
    assert main(["sroi", str(book), "--format", "markdown", "--mc", "200", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "| Chiffre | Valeur |" in out
    assert "| Ratio SROI | 0,89 pour 1 |" in out
    assert "| Salariés en insertion | 1\u202f962\u202f129\xa0€ | 93,6\xa0% |" in out
    assert "intervalle à 90\xa0% de" in out
    for english in ("Present value", "figure", "value |", "draws", "employees", "EUR", "P("):
        assert english not in out, english
    assert not re.search(r"\d,\d{3}\b", out)  # no English thousands
    assert not english_sentences(out)


def test_markdown_in_english_is_unchanged(book, capsys):
    assert main(["sroi", str(book), "--format", "markdown", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "| figure | value |" in out
    assert "| Present value | 2,097,258.76 EUR |" in out
