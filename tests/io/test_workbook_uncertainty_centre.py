"""The centre of an uncertainty law is a formula of the cell it describes: a spreadsheet user
changes the deadweight and the law follows it, in the workbook and in every command; a law
whose bounds no longer admit the new value is a French problem at its cell; a workbook
written before, with a number there, is still read with the old check."""

from __future__ import annotations

import math
import shutil
import subprocess

import attrs
import openpyxl
import pytest

import impactkit as ik
from impactkit import dist
from impactkit.cli import main
from impactkit.io import _excel
from sheets import FR, column_of

from strategies import synthetic_model


def unc_rows(wb):
    wu = wb[FR["uncertainty"]]
    heads = [c.value for c in wu[3]]
    return {
        r: dict(zip(heads, [c.value for c in wu[r]], strict=True))
        for r in range(4, wu.max_row + 1)
        if wu[f"A{r}"].value
    }


def with_deadweight(law):
    m = synthetic_model()
    first = attrs.evolve(m.outcomes[0], deadweight=law)
    return m.evolve(outcomes=[first, *m.outcomes[1:]])


@pytest.fixture
def book(tmp_path):
    m = with_deadweight(dist.Triangular(0.5, 0.7, 0.9))
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    return m, p


def set_deadweight(p, value):
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    cell = f"{column_of(ws, 'deadweight')}4"
    ws[cell] = value
    wb.save(p)
    return cell


def test_the_centre_is_a_formula_of_the_visible_cell(book):
    m, p = book
    wb = openpyxl.load_workbook(p)
    dw = f"{column_of(wb[FR['map']], 'deadweight')}4"
    (row,) = [r for r, v in unc_rows(wb).items() if v["cell"] == dw]
    v = unc_rows(wb)[row]
    assert v["mode"] == f"=3*'Carte de valeur'!{dw}-E{row}-G{row}"
    assert v["central"] == f"='Carte de valeur'!{dw}"
    assert (v["low"], v["high"]) == (0.5, 0.9)
    assert wb[FR["uncertainty"]].column_dimensions["M"].hidden  # the centre as written
    assert ik.io.read_value_map(p) == m  # exact round trip, to the last digit


def test_changing_the_deadweight_moves_the_law(book):
    m, p = book
    set_deadweight(p, 0.65)
    back = ik.io.read_value_map(p)
    law = back.outcomes[0].deadweight
    assert isinstance(law, dist.Triangular)
    assert (law.low, law.high) == (0.5, 0.9)
    assert law.mode == 3 * 0.65 - 0.5 - 0.9  # what the formula computes, in its order
    assert law.central == pytest.approx(0.65, rel=1e-12)
    # every command reads the same: validate accepts it, sroi computes with it
    assert main(["validate", str(p)]) == 0
    assert main(["sroi", str(p)]) == 0
    expected = ik.sroi(
        m.evolve(outcomes=[attrs.evolve(m.outcomes[0], deadweight=0.65), m.outcomes[1]])
    )
    assert ik.sroi(back).ratio == pytest.approx(expected.ratio, rel=1e-12)


def test_a_formula_engine_computes_the_mode_the_reader_reads(book):
    pytest.importorskip("formulas")
    import workbook_engine

    _, p = book
    set_deadweight(p, 0.66)
    back = ik.io.read_value_map(p)
    wb = openpyxl.load_workbook(p)
    dw = f"{column_of(wb[FR['map']], 'deadweight')}4"
    (row,) = [r for r, v in unc_rows(wb).items() if v["cell"] == dw]
    cells = workbook_engine.compute(p)
    assert float(cells[("INCERTITUDE", f"F{row}")]) == back.outcomes[0].deadweight.mode


def test_libreoffice_recomputes_the_mode_the_reader_reads(book, tmp_path):
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None:
        pytest.skip("LibreOffice (soffice) is not installed: the workbook cannot be recomputed")
    _, p = book
    set_deadweight(p, 0.66)
    back = ik.io.read_value_map(p)
    out = tmp_path / "lo"
    subprocess.run(
        [soffice, "--headless", "--convert-to", "xlsx", "--outdir", str(out), str(p)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    wb = openpyxl.load_workbook(out / p.name, data_only=True)
    dw = f"{column_of(wb[FR['map']], 'deadweight')}4"
    rows = unc_rows(openpyxl.load_workbook(p))
    (row,) = [r for r, v in rows.items() if v["cell"] == dw]
    assert wb[FR["uncertainty"]][f"F{row}"].value == back.outcomes[0].deadweight.mode
    assert ik.io.read_value_map(out / p.name).outcomes[0].deadweight == back.outcomes[0].deadweight


def test_a_centre_the_bounds_do_not_admit_is_a_french_problem_at_its_cell(book):
    _, p = book
    cell = set_deadweight(p, 0.6)  # the mode would be 0.4, below the minimum 0.5
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    (pr,) = [x for x in ei.value.problems if x.code == "central_outside"]
    assert pr.path[:2] == (FR["map"], cell)
    assert pr.message.startswith(f"Carte de valeur!{cell} vaut 0,6, valeur centrale de sa loi")
    assert "comprise entre 0,633333333333 et 0,766666666667" in pr.message
    assert "Modifiez Incertitude!E4 ou Incertitude!G4," in pr.message
    for english in ("distribution", "Uncertainty", "row ", "must"):
        assert english not in pr.message
    assert main(["validate", str(p)]) != 0


def test_pert_beta_normal_and_fixed_follow_their_cell(tmp_path):
    cases = {
        "pert": dist.PERT(0.2, 0.3, 0.6, lam=3.0),
        "beta": dist.Beta(0.3, 0.1),
        "fixed": dist.Fixed(0.3),
    }
    for name, law in cases.items():
        m = with_deadweight(law)
        p = tmp_path / f"{name}.xlsx"
        ik.io.write_value_map(m, p, lang="fr")
        assert ik.io.read_value_map(p) == m, name
        set_deadweight(p, 0.35)
        back = ik.io.read_value_map(p).outcomes[0].deadweight
        assert type(back) is type(law), name
        assert back.central == pytest.approx(0.35, rel=1e-12), name
        if name == "pert":
            assert back.mode == ((3.0 + 2) * 0.35 - 0.2 - 0.6) / 3.0
            assert (back.low, back.high, back.lam) == (0.2, 0.6, 3.0)
    # unbounded laws (on a value: a share must be bounded) follow their cell too
    for law, back in (
        (dist.Normal(50, 5), dist.Normal(60.0, 5.0)),
        (dist.LogNormal(50, 5), dist.LogNormal(60.0, 5.0)),
    ):
        m = synthetic_model()
        first = attrs.evolve(m.outcomes[0], proxy=ik.FinancialProxy(law))
        m = m.evolve(outcomes=[first, m.outcomes[1]])
        p = tmp_path / "quantity.xlsx"
        ik.io.write_value_map(m, p, lang="fr")
        assert ik.io.read_value_map(p) == m
        wb = openpyxl.load_workbook(p)
        ws = wb[FR["map"]]
        ws[f"{column_of(ws, 'proxy_value')}4"] = 60
        wb.save(p)
        assert ik.io.read_value_map(p).outcomes[0].proxy.value == back


def test_uniform_and_bounded_normal_keep_the_check_of_their_numbers(tmp_path):
    for law in (dist.Uniform(0.6, 0.8), dist.Normal(0.7, 0.1, low=0.0, high=1.0)):
        m = with_deadweight(law)
        p = tmp_path / "carte.xlsx"
        ik.io.write_value_map(m, p, lang="fr")
        rows = unc_rows(openpyxl.load_workbook(p))
        assert not any(
            isinstance(v, str) and v.startswith("=") for r in rows.values() for v in r.values()
        )
        assert ik.io.read_value_map(p) == m
        set_deadweight(p, 0.6)
        with pytest.raises(ik.ValidationError) as ei:
            ik.io.read_value_map(p)
        (pr,) = [x for x in ei.value.problems if x.code == "central_mismatch"]
        assert "modifiez Incertitude!" in pr.message


def test_a_workbook_written_before_with_a_number_in_the_centre_is_still_read(book):
    m, p = book
    wb = openpyxl.load_workbook(p)
    dw = f"{column_of(wb[FR['map']], 'deadweight')}4"
    (row,) = [r for r, v in unc_rows(wb).items() if v["cell"] == dw]
    wu = wb[FR["uncertainty"]]
    wu[f"F{row}"], wu[f"L{row}"], wu[f"M{row}"] = 0.7, 0.7, None  # as the previous version wrote
    wb.save(p)
    assert ik.io.read_value_map(p) == m
    set_deadweight(p, 0.6)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    (pr,) = [x for x in ei.value.problems if x.code == "central_mismatch"]
    assert f"Incertitude!E{row}:G{row}" in pr.message


def test_a_centre_formula_changed_by_hand_is_a_located_problem(book):
    _, p = book
    wb = openpyxl.load_workbook(p)
    dw = f"{column_of(wb[FR['map']], 'deadweight')}4"
    (row,) = [r for r, v in unc_rows(wb).items() if v["cell"] == dw]
    wb[FR["uncertainty"]][f"F{row}"] = f"='Carte de valeur'!{dw}+0.1"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    (pr,) = [x for x in ei.value.problems if x.path[:2] == (FR["uncertainty"], f"F{row}")]
    assert "ne donne pas la valeur centrale" in pr.message


def test_the_formula_is_recognised_in_opendocument_syntax():
    xlsx = "=3*'Carte de valeur'!N4-E5-G5"
    ods = "of:=3*[$'Carte de valeur'.$N$4]-[.E5]-[.G5]"
    assert _excel._formula_key(ods) == _excel._formula_key(xlsx)
    assert _excel._formula_key("of:=[$'Carte de valeur'.N4]+1") != _excel._formula_key(
        "='Carte de valeur'!N4"
    )


def test_an_ods_saved_with_the_formulas_follows_the_cell(book, tmp_path):
    pytest.importorskip("python_calamine")
    import importlib.util
    import pathlib

    here = pathlib.Path(__file__).with_name("test_workbook_ods.py")
    spec = importlib.util.spec_from_file_location("workbook_ods", here)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)

    _, p = book
    set_deadweight(p, 0.65)
    ods = tmp_path / "carte.ods"
    module.to_ods(p, ods)
    law = ik.io.read_value_map(ods).outcomes[0].deadweight
    assert math.isclose(law.central, 0.65, rel_tol=1e-12)
