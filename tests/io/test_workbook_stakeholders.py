"""The *Parties prenantes* sheet is the list of stakeholders: a spreadsheet user adds one there,
picks it in the value map's drop-down list, gives it an outcome, and every command reads it
alike; a row without identifier or label is a French problem at its cell."""

from __future__ import annotations

import openpyxl
import pytest

import impactkit as ik
from impactkit.cli import main
from impactkit.io import _excel_layout
from sheets import FR, column_of


def first_blank(ws, col, first):
    r = first
    while ws[f"{col}{r}"].value not in (None, ""):
        r += 1
    return r


@pytest.fixture
def book(tmp_path):
    m = ik.examples.load_example("emploi_accompagne")
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    return m, p


def add_stakeholder_and_outcome(m, p):
    wb = openpyxl.load_workbook(p)
    wsh = wb[FR["stakeholders"]]
    r = first_blank(wsh, "A", 3)
    wsh[f"A{r}"], wsh[f"B{r}"], wsh[f"C{r}"] = "aidants", "Aidants familiaux", 30
    wsh[f"D{r}"], wsh[f"E{r}"], wsh[f"F{r}"] = "Proches des participants", 18_000, "D3"
    toc = wb[FR["toc"]]
    n = first_blank(toc, "A", 4)
    toc[f"A{n}"], toc[f"B{n}"], toc[f"C{n}"] = "repit", "effet", "Répit des aidants"
    toc[f"E{n}"], toc[f"F{n}"], toc[f"G{n}"] = "aidants", "court terme", "Aidants moins épuisés"
    lr = first_blank(toc, "I", 4)
    activity = next(n.id for n in m.toc.nodes if n.kind == "activity")
    toc[f"I{lr}"], toc[f"J{lr}"] = activity, "repit"
    vm = wb[FR["map"]]
    row = 4 + len(m.outcomes)
    for key, v in {
        "stakeholder": "aidants",
        "outcome": "repit",
        "indicator": "Aidants moins épuisés",
        "quantity": 20,
        "proxy_value": 500,
    }.items():
        vm[f"{column_of(vm, key)}{row}"] = v
    wb.save(p)
    return r


def test_a_spreadsheet_user_adds_a_stakeholder_and_its_outcome(book, capsys):
    m, p = book
    add_stakeholder_and_outcome(m, p)
    back = ik.io.read_value_map(p)
    added = next(s for s in back.toc.stakeholders if s.id == "aidants")
    assert (added.label, added.size, added.description) == (
        "Aidants familiaux",
        30,
        "Proches des participants",
    )
    assert (added.income, added.income_group) == (18_000.0, "D3")
    assert back.outcomes[-1].stakeholder == "aidants"
    # the stakeholders written before are those of the model, unchanged
    assert back.toc.stakeholders[: len(m.toc.stakeholders)] == m.toc.stakeholders
    # one rule for every command: validate accepts what sroi computes and report shows
    assert [x for x in back.problems() if x.severity == "error"] == []
    res = ik.sroi(back)
    row = res.by_stakeholder.set_index("stakeholder").loc["aidants"]
    assert row["present_value"] > 0
    capsys.readouterr()
    assert main(["validate", str(p)]) == 0
    assert main(["sroi", str(p), "--lang", "fr"]) == 0
    assert "Aidants familiaux" in capsys.readouterr().out
    out = p.with_suffix(".html")
    assert main(["report", str(p), "-o", str(out)]) == 0
    assert "Aidants familiaux" in out.read_text(encoding="utf-8")


def test_the_drop_down_lists_cover_the_rows_a_user_adds(book):
    m, p = book
    wb = openpyxl.load_workbook(p)
    last = 2 + _excel_layout.MAX_STAKEHOLDERS
    lists = {
        name: [dv.formula1 for dv in wb[name].data_validations.dataValidation]
        for name in (FR["map"], FR["toc"], FR["inputs"])
    }
    for name, formulas in lists.items():
        assert f"'{FR['stakeholders']}'!$A$3:$A${last}" in formulas, name
    assert len(m.toc.stakeholders) + 3 < last  # room for the rows a user adds


def test_a_row_without_identifier_or_label_is_a_french_problem_at_its_cell(book):
    _, p = book
    wb = openpyxl.load_workbook(p)
    wsh = wb[FR["stakeholders"]]
    r = first_blank(wsh, "A", 3)
    wsh[f"B{r}"] = "Sans identifiant"
    wsh[f"A{r + 1}"] = "sans_libelle"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    got = {(x.code, x.path[:2]) for x in ei.value.problems}
    assert got == {
        ("missing", (FR["stakeholders"], f"A{r}")),
        ("empty", (FR["stakeholders"], f"B{r + 1}")),
    }
    assert all("partie prenante" in x.message for x in ei.value.problems)


def test_a_deleted_stakeholder_is_gone(book):
    m, p = book
    wb = openpyxl.load_workbook(p)
    wsh = wb[FR["stakeholders"]]
    last = 3 + len(m.toc.stakeholders) - 1
    gone = wsh[f"A{last}"].value
    for col in "ABCDEF":
        wsh[f"{col}{last}"] = None
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    probs = [x for x in ei.value.problems if x.code == "unknown_stakeholder"]
    assert probs
    assert all(x.path[0] == FR["toc"] for x in probs)
    assert all(
        x.message.startswith(f"{FR['toc']}!{x.path[1]} : la partie prenante « {gone} »")
        and "Parties prenantes" in x.message
        for x in probs
    )


def test_a_workbook_written_before_the_income_columns_keeps_the_hidden_income(tmp_path):
    from impactkit.io._files import from_dict, to_dict

    plain = to_dict(ik.examples.load_example("emploi_accompagne"))
    plain["toc"]["stakeholders"][0]["income"] = 15_000.0
    m = from_dict(plain)
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    assert ik.io.read_value_map(p) == m
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["stakeholders"]]
    ws.delete_cols(5, 2)  # the sheet as earlier versions wrote it
    wb.save(p)
    assert ik.io.read_value_map(p).toc.stakeholders[0].income == 15_000.0
