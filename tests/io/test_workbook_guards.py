"""The guard rails a spreadsheet user expects: drop-down lists, shares kept between 0 % and
100 %, computed cells locked, field-name rows hidden, choices in the workbook's language,
a comment on each column heading, and an empty workbook that says which cells to fill."""

from __future__ import annotations

import openpyxl
import pytest

import impactkit as ik
from impactkit.cli import main
from impactkit.io import _excel
from sheets import FR, column_of

from strategies import synthetic_model


@pytest.fixture
def french(tmp_path):
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(synthetic_model(), p, lang="fr")
    return p


def rules(ws):
    return {
        str(cell): dv
        for dv in ws.data_validations.dataValidation
        for rng in dv.sqref.ranges
        for cell in [rng.coord.split(":")[0]]
    }


def test_choices_are_french_in_a_french_workbook_and_read_back(french):
    wb = openpyxl.load_workbook(french)
    ws = wb[FR["map"]]
    method = column_of(ws, "drop_off_method")
    assert ws[f"{method}4"].value == "composée"
    assert "linéaire" in ws[f"{column_of(ws, 'year_2')}4"].value  # the formula knows it
    assert ws[f"{method}2"].value.endswith("(composée / linéaire)")
    ws[f"{method}4"] = "linéaire"
    wb.save(french)
    m = ik.io.read_value_map(french)
    assert m.outcomes[0].drop_off_method == "linear"
    assert "compound" not in [c.value for row in ws.iter_rows(min_row=4) for c in row]


def test_drop_down_lists_and_shares_between_0_and_100_percent(french):
    wb = openpyxl.load_workbook(french)
    ws = wb[FR["map"]]
    found = rules(ws)
    sh = found[f"{column_of(ws, 'stakeholder')}4"]
    assert sh.type == "list"
    assert sh.formula1.startswith(f"'{FR['stakeholders']}'!$A$3")
    assert found[f"{column_of(ws, 'drop_off_method')}4"].formula1 == '"composée,linéaire"'
    for key in ("deadweight", "displacement", "attribution", "leakage", "drop_off"):
        rule = found[f"{column_of(ws, key)}4"]
        assert (rule.type, rule.formula1, rule.formula2) == ("decimal", "0", "1")
        assert rule.error == "Saisissez une part de 0\xa0% à 100\xa0% (par exemple 25\xa0%)."
    assert rules(wb[FR["inputs"]])["C3"].type == "list"  # the stakeholder of an input


def test_computed_cells_are_locked_and_input_cells_are_not(french):
    wb = openpyxl.load_workbook(french)
    for key, computed, typed in (("map", "impact", "quantity"), ("inputs", None, "amount")):
        ws = wb[FR[key]]
        assert ws.protection.sheet
        assert not ws.protection.insertRows
        row = 4 if key == "map" else 3
        col = column_of(ws, computed) if computed else "I"
        assert ws[f"{col}{row}"].protection.locked
        typed_col = column_of(ws, typed, 3 if key == "map" else 2)
        assert not ws[f"{typed_col}{row}"].protection.locked


def test_field_name_rows_are_hidden_and_headings_carry_comments(french):
    wb = openpyxl.load_workbook(french)
    ws = wb[FR["map"]]
    assert ws.row_dimensions[3].hidden
    assert wb[FR["inputs"]].row_dimensions[2].hidden
    comment = ws[f"{column_of(ws, 'deadweight')}2"].comment
    assert comment is not None
    assert "de toute façon" in comment.text


def test_new_empty_says_which_cells_to_fill(tmp_path, capsys):
    p = tmp_path / "vide.xlsx"
    assert main(["new", str(p), "--empty", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    row = _excel.SETTINGS_FIRST + _excel.SETTINGS_KEYS.index("name")
    assert f"Paramètres!B{row}" in out
    assert "impactkit report" not in out
