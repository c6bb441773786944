"""What the spreadsheet shows is what impactkit reads: numbers typed as text, rows outside
the block of formulas and a figure that disagrees with its uncertainty law are located at
their sheet and cell, in the workbook's language."""

from __future__ import annotations

import warnings

import attrs
import openpyxl
import pytest

import impactkit as ik
from impactkit import dist
from impactkit.cli import main
from impactkit.io import _excel
from sheets import FR, column_of

from strategies import synthetic_model


def french_workbook(tmp_path, model=None):
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(model or synthetic_model(), p, lang="fr")
    return p


# ------------------------------------------------------------------ numbers typed as text
def test_numbers_typed_as_text_are_each_named_in_french(tmp_path):
    p = french_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    q, dw = column_of(ws, "quantity"), column_of(ws, "deadweight")
    ws[f"{q}4"], ws[f"{dw}4"] = "120,5", "25 %"
    wb[FR["inputs"]]["B3"] = "5 000"
    wb.save(p)
    with pytest.warns(_excel.CellWarning) as record:
        m = ik.io.read_value_map(p, text_numbers="warn")
    assert m.outcomes[0].quantity == 120.5  # read as the number it spells, with a warning
    problems = {pr.path[:2]: pr for w in record for pr in w.message.problems}
    assert set(problems) == {(FR["map"], f"{q}4"), (FR["map"], f"{dw}4"), (FR["inputs"], "B3")}
    assert {pr.severity for pr in problems.values()} == {"warning"}
    assert problems[(FR["map"], f"{q}4")].message == (
        f"{FR['map']}!{q}4 contient le texte « 120,5 » : le classeur affichera #VALEUR! "
        "(ou un autre résultat que le rapport) ; saisissez un nombre"
    )
    assert "le classeur le compte pour 0" in problems[(FR["map"], f"{dw}4")].message


def test_numbers_typed_as_text_may_be_refused(tmp_path):
    p = french_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    q = column_of(ws, "quantity")
    ws[f"{q}4"] = "120,5"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p, text_numbers="refuse")
    assert [(x.path[:2], x.severity) for x in ei.value.problems] == [
        ((FR["map"], f"{q}4"), "error")
    ]
    assert ik.io.read_value_map(p).outcomes[0].quantity == 120.5  # read, as before


def test_the_report_command_warns_of_numbers_typed_as_text(tmp_path, capsys):
    p = french_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    q = column_of(ws, "quantity")
    ws[f"{q}4"] = "120,5"
    wb.save(p)
    main(["sroi", str(p)])  # a French workbook: the warning is a French line on stderr
    err = capsys.readouterr().err
    assert f"{FR['map']}!{q}4 contient le texte « 120,5 »" in err
    assert "CellWarning" not in err


def test_validate_lists_numbers_typed_as_text(tmp_path, capsys):
    p = french_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    q = column_of(ws, "quantity")
    ws[f"{q}4"] = "120,5"
    wb.save(p)
    main(["validate", str(p)])
    out = capsys.readouterr().out
    assert f"{FR['map']}!{q}4 contient le texte « 120,5 »" in out
    assert "number_as_text" not in out  # a French message shows no code
    main(["validate", str(p), "--lang", "en"])
    out = capsys.readouterr().out
    assert f"{FR['map']}!{q}4" in out
    assert "number_as_text" in out


def test_numbers_typed_as_numbers_give_no_warning(tmp_path):
    p = french_workbook(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error", _excel.CellWarning)
        ik.io.read_value_map(p, text_numbers="warn")


# ------------------------------------------------------------------ the block of formulas
def test_a_row_below_the_formulas_is_named_with_its_row(tmp_path):
    p = french_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    last = max(r for r in range(4, ws.max_row + 1) if ws[f"{column_of(ws, 'impact')}{r}"].value)
    row = last + 1
    for key, v in {
        "stakeholder": ws["A4"].value,
        "outcome": "ajoute",
        "quantity": 10,
        "proxy_value": 100,
    }.items():
        ws[f"{column_of(ws, key)}{row}"] = v
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    (pr,) = [x for x in ei.value.problems if x.code == "outside_formulas"]
    assert pr.path == (FR["map"], f"A{row}")
    assert pr.message.startswith(
        f"{FR['map']}!A{row} : la ligne {row} est hors du bloc de formules (lignes 4 à {last})"
    )


def test_a_row_without_its_formulas_is_named(tmp_path):
    p = french_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    impact = column_of(ws, "impact")
    ws[f"{impact}5"] = None  # the formulas of row 5 deleted, its figures still typed
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    (pr,) = [x for x in ei.value.problems if x.code == "outside_formulas"]
    assert pr.path == (FR["map"], "A5")
    assert f"(colonne {impact})" in pr.message


def test_an_input_below_the_formulas_is_named(tmp_path):
    p = french_workbook(tmp_path)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["inputs"]]
    last = max(r for r in range(3, ws.max_row + 1) if ws[f"I{r}"].value)
    ws[f"A{last + 1}"], ws[f"B{last + 1}"] = "Don", 1000
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    assert [x.path for x in ei.value.problems if x.code == "outside_formulas"] == [
        (FR["inputs"], f"A{last + 1}")
    ]


# ------------------------------------------------------------------ the uncertainty law
def test_a_figure_apart_from_its_law_names_the_cells_of_its_law(tmp_path):
    base = synthetic_model()
    ov = attrs.evolve(base.outcomes[0], deadweight=dist.Triangular(0.6, 0.7, 0.8))
    m = base.evolve(outcomes=(ov, *base.outcomes[1:]))
    p = french_workbook(tmp_path, m)
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    dw = column_of(ws, "deadweight")
    ws[f"{dw}4"] = 0.6
    unc = wb[FR["uncertainty"]]
    row = next(r for r in range(4, unc.max_row + 1) if unc[f"B{r}"].value == f"{dw}4")
    unc[f"F{row}"] = 0.7  # the mode typed as a number, as workbooks written before hold it
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    (pr,) = [x for x in ei.value.problems if x.code == "central_mismatch"]
    assert pr.message == (
        f"{FR['map']}!{dw}4 vaut 0,6 mais sa loi d'incertitude (triangulaire, ligne {row} de "
        f"la feuille Incertitude) a pour valeur centrale 0,7 : modifiez Incertitude!E{row}:G{row} "
        "(Minimum, Mode, Maximum) pour que sa valeur centrale soit 0,6, ou remettez 0,7 en "
        f"{FR['map']}!{dw}4"
    )
    assert "Uncertainty" not in pr.message
