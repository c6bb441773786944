"""A French workbook's *Paramètres* sheet names its fields in French (it showed the
file's keys: format_version, discount_name...), and the reader reads either the French
names or the keys, so workbooks written before still read."""

from __future__ import annotations

import openpyxl
import pytest

import impactkit as ik
from impactkit import dist
from impactkit.io._excel_layout import SETTINGS_FIRST, SETTINGS_KEYS, SETTINGS_NAMES_FR
from sheets import FR


@pytest.fixture
def model():
    m = ik.examples.load_example()
    return m.evolve(discount=ik.discount.Constant(dist.Triangular(0.02, 0.035, 0.05)))


def _first_column(path, sheet):
    ws = openpyxl.load_workbook(path)[sheet]
    return [ws.cell(SETTINGS_FIRST + i, 1).value for i in range(len(SETTINGS_KEYS))]


def test_the_french_sheet_names_its_fields_in_french(model, tmp_path):
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(model, p, lang="fr")
    shown = _first_column(p, FR["settings"])
    assert shown == [SETTINGS_NAMES_FR[k] for k in SETTINGS_KEYS]
    assert not set(shown) & set(SETTINGS_KEYS)
    assert ik.io.read_value_map(p) == model  # the law on the rate follows its row


def test_the_english_sheet_keeps_the_keys(model, tmp_path):
    p = tmp_path / "map.xlsx"
    ik.io.write_value_map(model, p, lang="en")
    assert _first_column(p, "Settings") == SETTINGS_KEYS
    assert ik.io.read_value_map(p) == model


def test_a_french_workbook_with_the_keys_still_reads(model, tmp_path):
    p = tmp_path / "ancien.xlsx"
    ik.io.write_value_map(model, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["settings"]]
    for i, key in enumerate(SETTINGS_KEYS):
        ws.cell(SETTINGS_FIRST + i, 1).value = key  # as the previous version wrote it
    wb.save(p)
    assert ik.io.read_value_map(p) == model


def test_french_names_are_read_whatever_their_case_and_spaces(model, tmp_path):
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(model, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["settings"]]
    row = SETTINGS_FIRST + SETTINGS_KEYS.index("base_year")
    ws.cell(row, 1).value = "  année   DE base "
    wb.save(p)
    assert ik.io.read_value_map(p).base_year == model.base_year


def test_an_unknown_french_name_is_refused_with_a_suggestion(model, tmp_path):
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(model, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    row = SETTINGS_FIRST + SETTINGS_KEYS.index("currency")
    wb[FR["settings"]].cell(row, 1).value = "Devis"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as exc:
        ik.io.read_value_map(p)
    [problem] = [x for x in exc.value.problems if x.code == "unknown_key"]
    assert "champ inconnu « Devis »" in problem.message
    assert "vouliez-vous dire « Devise » ?" in problem.message
