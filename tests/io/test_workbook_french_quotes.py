"""A French workbook's problems quote what the user typed in French quotation marks
(« =B4*2 »), never as a Python string ('=B4*2'), and name a column by its heading
(« Effet d'aubaine »), not by its key (deadweight)."""

from __future__ import annotations

import json
import re

import openpyxl
import pytest

import impactkit as ik
from impactkit.errors import ValidationError
from sheets import FR, column_of

from strategies import synthetic_model


@pytest.fixture
def book(tmp_path):
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(synthetic_model(), p, lang="fr")
    return p


def _messages(p) -> list[str]:
    with pytest.raises(ValidationError) as exc:
        ik.io.read_value_map(p)
    return [q.message for q in exc.value.problems]


def test_a_formula_and_an_ambiguous_number(book):
    wb = openpyxl.load_workbook(book)
    ws = wb[FR["map"]]
    ws[f"{column_of(ws, 'quantity')}4"] = "=B4*2"
    ws[f"{column_of(ws, 'quantity')}5"] = "1,234"
    wb.save(book)
    messages = _messages(book)
    assert any("la formule « =B4*2 »" in m for m in messages), messages
    assert any("nombre ambigu « 1,234 »" in m for m in messages), messages
    assert not any("'" + "=B4*2" in m or "'1,234'" in m for m in messages)


def test_a_hidden_figure_is_named_by_its_heading(book):
    wb = openpyxl.load_workbook(book)
    ws = wb[FR["map"]]
    ws[f"{column_of(ws, 'deadweight')}4"] = None
    wd = wb[FR["data"]]
    row = wd.max_row + 1
    wd[f"A{row}"] = "outcomes"
    wd[f"B{row}"] = json.dumps([{"outcome": "a", "deadweight": 0.9}])
    wb.save(book)
    [message] = _messages(book)
    assert "donne « Effet d'aubaine » pour l'effet « a »" in message
    assert "deadweight" not in message


def test_the_inputs_label_is_commented_as_an_input(book):
    wb = openpyxl.load_workbook(book)
    comment = wb[FR["inputs"]]["A1"].comment.text
    assert "ressource" in comment
    assert "effet" not in comment
    assert "effet" in wb[FR["map"]][f"{column_of(wb[FR['map']], 'label')}2"].comment.text


def test_comments_and_guards_write_percentages_the_french_way(book):
    wb = openpyxl.load_workbook(book)
    texts = [
        c.comment.text for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.comment
    ]
    texts += [dv.error or "" for ws in wb.worksheets for dv in ws.data_validations.dataValidation]
    texts += [
        dv.errorTitle or "" for ws in wb.worksheets for dv in ws.data_validations.dataValidation
    ]
    assert any("100\xa0%" in t for t in texts)
    assert not [t for t in texts if re.search(r"\d %", t)]
