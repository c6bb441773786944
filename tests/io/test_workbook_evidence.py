"""A link's evidence level (the 1-5 scale of impactkit.toc.EVIDENCE_LEVELS) has a visible
column on the *Théorie du changement* sheet, with a drop-down list in the workbook's words:
what the cell shows is what is read, in either language, and a round trip is exact."""

from __future__ import annotations

import openpyxl
import pytest

import impactkit as ik
from impactkit.io import _excel
from impactkit.io._files import from_dict, to_dict
from sheets import FR, column_of

EN = {k: v["en"] for k, v in _excel.SHEETS.items()}


def graded_model():
    plain = to_dict(ik.examples.load_example("emploi_accompagne"))
    for i, link in enumerate(plain["toc"]["links"]):
        link["evidence"] = 1 + i % 5
    plain["toc"]["links"][-1].pop("evidence")  # a link without a stated level
    return from_dict(plain)


@pytest.fixture
def book(tmp_path):
    m = graded_model()
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    return m, p


def test_the_level_is_shown_in_french_words_with_a_drop_down_list(book):
    m, p = book
    ws = openpyxl.load_workbook(p)[FR["toc"]]
    col = column_of(ws, "link_evidence")
    assert ws[f"{col}2"].value == "Niveau de preuve (1 à 5)"
    assert "Nesta" in ws[f"{col}2"].comment.text
    shown = [ws[f"{col}{4 + i}"].value for i in range(len(m.toc.links))]
    assert shown[:5] == ["1 décrit", "2 corrélé", "3 causal", "4 reproduit", "5 systématisé"]
    assert shown[-1] is None
    rules = {str(dv.sqref): dv.formula1 for dv in ws.data_validations.dataValidation}
    assert rules[f"{col}4:{col}503"] == '"1 décrit,2 corrélé,3 causal,4 reproduit,5 systématisé"'


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_exact_round_trip(tmp_path, lang):
    m = graded_model()
    p = tmp_path / f"carte_{lang}.xlsx"
    ik.io.write_value_map(m, p, lang=lang)
    assert ik.io.read_value_map(p) == m
    if lang == "en":
        ws = openpyxl.load_workbook(p)[EN["toc"]]
        assert ws[f"{column_of(ws, 'link_evidence')}6"].value == "3 causal"


def test_what_the_cell_shows_is_what_is_read(book):
    m, p = book
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["toc"]]
    col = column_of(ws, "link_evidence")
    ws[f"{col}4"] = "4 reproduit"
    ws[f"{col}5"] = 5  # the number alone
    ws[f"{col}6"] = None  # cleared: no level, whatever the hidden sheet says
    ws[f"{col}7"] = "replicated"  # the English word
    wb.save(p)
    links = ik.io.read_value_map(p).toc.links
    assert [x.evidence for x in links[:4]] == [4, 5, None, 4]
    assert links[4:] == m.toc.links[4:]


def test_a_level_not_of_the_list_is_a_french_problem_at_its_cell(book):
    _, p = book
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["toc"]]
    col = column_of(ws, "link_evidence")
    ws[f"{col}4"] = "très bon"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    (pr,) = ei.value.problems
    assert pr.path[:2] == (FR["toc"], f"{col}4")
    assert pr.message == (
        f"{FR['toc']}!{col}4 : « très bon » n'est pas un niveau de preuve ; choisissez-en un "
        "de la liste : 1 décrit, 2 corrélé, 3 causal, 4 reproduit, 5 systématisé"
    )


def test_a_workbook_written_before_the_column_keeps_the_hidden_levels(book):
    m, p = book
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["toc"]]
    ws.delete_cols(openpyxl.utils.column_index_from_string(column_of(ws, "link_evidence")))
    wb.save(p)
    assert ik.io.read_value_map(p).toc.links == m.toc.links
