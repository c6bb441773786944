"""Each row of the *Incertitude* sheet stays on its figure when a spreadsheet user inserts,
deletes, moves or sorts rows of the value map, the inputs or the settings (the rows carry
the key of the row and column they describe, see docs/reference/excel.md); a workbook
written before these keys is still read at its « Cellule »."""

from __future__ import annotations

import attrs
import openpyxl
import pytest

import impactkit as ik
from impactkit import dist
from impactkit.errors import ValidationError
from impactkit.io import _excel
from sheets import FR, column_of

from strategies import synthetic_model


def model() -> ik.ImpactModel:
    """Five rows (one outcome id twice, as cohorts; row 5 without a law), laws with and
    without a centre formula, an uncertain input amount and an uncertain discount rate."""
    m = synthetic_model()
    a, b = m.outcomes
    rows = [
        attrs.evolve(a, deadweight=dist.Triangular(0.1, 0.2, 0.4)),
        attrs.evolve(b, outcome="d", quantity=7),
        attrs.evolve(b, quantity=dist.PERT(20, 30, 50), attribution=dist.Uniform(0.1, 0.3)),
        attrs.evolve(
            a, outcome="c", label="Loisirs", deadweight=0.0, leakage=dist.Beta(mean=0.1, sd=0.05)
        ),
        attrs.evolve(a, start_year=2, deadweight=dist.Triangular(0.2, 0.3, 0.5)),
    ]
    cash, volunteers = m.inputs
    return m.evolve(
        outcomes=rows,
        inputs=[attrs.evolve(cash, amount=dist.Triangular(35_000, 40_000, 50_000)), volunteers],
        discount=ik.discount.Constant(dist.Triangular(0.02, 0.035, 0.05)),
    )


@pytest.fixture
def written(tmp_path):
    m = model()
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    return m, p, ik.io.read_value_map(p)


def _same(a: ik.ImpactModel, b: ik.ImpactModel) -> None:
    assert ik.io.to_dict(a)["outcomes"] == ik.io.to_dict(b)["outcomes"]
    assert ik.io.to_dict(a)["inputs"] == ik.io.to_dict(b)["inputs"]
    assert ik.io.to_dict(a)["discount"] == ik.io.to_dict(b)["discount"]


def _edit(p, sheet: str, edit) -> None:
    wb = openpyxl.load_workbook(p)
    edit(wb[FR[sheet]])
    wb.save(p)


def test_the_round_trip_is_exact(written):
    m, _, back = written
    _same(back, m)


@pytest.mark.parametrize("at", [4, 5, 8])
def test_a_row_inserted_in_the_value_map(written, at):
    """openpyxl's insert_rows moves the cells and rewrites no formula: the law follows its
    figure by the row's key, not by the « Cellule » text or the formula's address."""
    _m, p, back = written
    _edit(p, "map", lambda ws: ws.insert_rows(at))
    _same(ik.io.read_value_map(p), back)


def test_rows_inserted_in_the_inputs_and_the_settings(written):
    _m, p, back = written
    _edit(p, "inputs", lambda ws: ws.insert_rows(3))
    _edit(p, "settings", lambda ws: ws.insert_rows(3, amount=2))
    _same(ik.io.read_value_map(p), back)


def test_a_row_deleted_above_the_described_rows(written):
    _m, p, back = written
    _edit(p, "map", lambda ws: ws.delete_rows(5))  # outcome d, without a law
    read = ik.io.read_value_map(p)
    assert [o.outcome for o in read.outcomes] == ["a", "b", "c", "a"]
    kept = [back.outcomes[i] for i in (0, 2, 3, 4)]
    assert ik.io.to_dict(read)["outcomes"] == ik.io.to_dict(back.evolve(outcomes=kept))["outcomes"]


def test_rows_sorted_in_the_value_map(written):
    """Rows sorted by hand (values moved, the formulas of the other sheets left in place);
    two rows of one outcome id are told apart by their order."""
    _m, p, back = written
    order = [3, 2, 0, 1, 4]  # c, b, a, d, a (the cohorts of a keep their order)

    def sort(ws):
        width = ws.max_column
        rows = [[ws.cell(r, c).value for c in range(1, width + 1)] for r in range(4, 9)]
        for r, i in zip(range(4, 9), order, strict=True):
            for c, v in enumerate(rows[i], start=1):
                if not str(v).startswith("="):
                    ws.cell(r, c).value = v

    _edit(p, "map", sort)
    read = ik.io.read_value_map(p)
    rows = ik.io.to_dict(back)["outcomes"]
    assert ik.io.to_dict(read)["outcomes"] == [rows[i] for i in order]


def test_a_spreadsheet_that_rewrites_the_formulas(written):
    """Excel or LibreOffice rewrite the formulas of the Incertitude sheet on insertion, not
    the « Cellule » text: read as well."""
    _m, p, back = written
    wb = openpyxl.load_workbook(p)
    wb[FR["map"]].insert_rows(4)
    wu = wb[FR["uncertainty"]]
    for row in wu.iter_rows(min_row=4):
        for c in row:
            if isinstance(c.value, str) and "'Carte de valeur'!" in c.value:
                c.value = _excel.re.sub(
                    r"('Carte de valeur'!\$?[A-Z]+\$?)(\d+)",
                    lambda mo: mo.group(1) + str(int(mo.group(2)) + 1),
                    c.value,
                )
    wb.save(p)
    _same(ik.io.read_value_map(p), back)


def test_the_described_row_deleted_is_a_french_problem(written):
    _m, p, _ = written
    _edit(p, "map", lambda ws: ws.delete_rows(7))  # outcome c, whose leakage has a law
    with pytest.raises(ValidationError) as exc:
        ik.io.read_value_map(p)
    [problem] = [q for q in exc.value.problems if q.code == "unknown_row"]
    assert problem.path[0] == FR["uncertainty"]
    assert "« c »" in problem.message
    assert "Carte de valeur" in problem.message
    assert "supprimez cette ligne" in problem.message


def test_two_rows_describing_one_figure(written):
    _m, p, _ = written
    wb = openpyxl.load_workbook(p)
    wu = wb[FR["uncertainty"]]
    first = next(r for r in range(4, wu.max_row + 1) if wu.cell(r, 1).value == FR["map"])
    last = max(r for r in range(4, wu.max_row + 1) if wu.cell(r, 1).value)
    for c in range(1, wu.max_column + 1):
        wu.cell(last + 1, c).value = wu.cell(first, c).value
    wb.save(p)
    with pytest.raises(ValidationError) as exc:
        ik.io.read_value_map(p)
    assert [q.code for q in exc.value.problems] == ["two_laws"]
    assert f"ligne {first}" in exc.value.problems[0].message


def test_a_workbook_without_the_keys_is_read_at_its_cell(written):
    """A workbook written before the keys (no such columns) reads as it did."""
    _m, p, back = written
    wb = openpyxl.load_workbook(p)
    wu = wb[FR["uncertainty"]]
    for key in ("occurrence", "field", "row_key"):
        wu.delete_cols(openpyxl.utils.column_index_from_string(column_of(wu, key)))
    wb.save(p)
    _same(ik.io.read_value_map(p), back)


def test_the_keys_are_hidden_columns(written):
    _, p, _ = written
    wu = openpyxl.load_workbook(p)[FR["uncertainty"]]
    for key in ("row_key", "field", "occurrence"):
        assert wu.column_dimensions[column_of(wu, key)].hidden
    heads = {c.value for c in wu[2]}
    assert "Ligne décrite (impactkit)" in heads


def test_an_outcome_renamed_in_place_keeps_its_law(written):
    """The identifier edited where it stands (no row moved): the law stays on its figure."""
    _, p, back = written

    def rename(ws):
        ws[f"{column_of(ws, 'outcome')}7"] = "c_renamed"

    _edit(p, "map", rename)
    read = ik.io.read_value_map(p)
    assert read.outcomes[3].outcome == "c_renamed"
    assert read.outcomes[3].leakage == back.outcomes[3].leakage


def test_an_outcome_renamed_and_relabelled_is_a_problem(written):
    _, p, _ = written

    def rename(ws):
        ws[f"{column_of(ws, 'outcome')}7"] = "c_renamed"
        ws[f"{column_of(ws, 'label')}7"] = "Autre libellé"

    _edit(p, "map", rename)
    with pytest.raises(ValidationError) as exc:
        ik.io.read_value_map(p)
    assert "unknown_row" in [q.code for q in exc.value.problems]


def test_the_command_line_shows_the_reader_s_french_words(written, capsys):
    from impactkit.cli import main

    _, p, _ = written
    _edit(p, "map", lambda ws: ws.delete_rows(7))
    assert main(["validate", str(p), "--lang", "fr"]) == 1
    out = capsys.readouterr().out
    assert "cette ligne décrit" in out
    assert "relancez avec --lang en" not in out
    assert "row " not in out
