"""The theory of change on a visible sheet: a spreadsheet user adds an outcome (its node, its
link, its value-map row) and every command reads it alike; a wrong link is located at its
cell."""

from __future__ import annotations

import openpyxl
import pytest

import impactkit as ik
from impactkit.cli import main
from sheets import FR, column_of


@pytest.fixture
def book(tmp_path):
    m = ik.examples.load_example("emploi_accompagne")
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    return m, p


def first_blank(ws, col, first=4):
    r = first
    while ws[f"{col}{r}"].value not in (None, ""):
        r += 1
    return r


def test_the_sheet_shows_the_nodes_and_links_in_french(book):
    m, p = book
    ws = openpyxl.load_workbook(p)[FR["toc"]]
    ids = [ws[f"A{r}"].value for r in range(4, 4 + len(m.toc.nodes))]
    assert ids == [n.id for n in m.toc.nodes]
    kinds = {ws[f"B{r}"].value for r in range(4, 4 + len(m.toc.nodes))}
    assert "effet" in kinds
    assert "outcome" not in kinds
    assert ws.row_dimensions[3].hidden


def test_a_spreadsheet_user_adds_an_outcome(book, capsys):
    m, p = book
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["toc"]]
    r = first_blank(ws, "A")
    ws[f"A{r}"], ws[f"B{r}"], ws[f"C{r}"] = "mobilite", "effet", "Mobilité retrouvée"
    ws[f"E{r}"], ws[f"F{r}"] = "participants", "court terme"
    ws[f"G{r}"] = "Personnes se déplaçant seules"
    lr = first_blank(ws, "I")
    ws[f"I{lr}"], ws[f"J{lr}"], ws[f"K{lr}"] = "coaching", "mobilite", "Trajets appris"
    vm = wb[FR["map"]]
    row = 4 + len(m.outcomes)
    for key, v in {
        "stakeholder": "participants",
        "outcome": "mobilite",
        "quantity": 10,
        "proxy_value": 300,
    }.items():
        vm[f"{column_of(vm, key)}{row}"] = v
    wb.save(p)
    back = ik.io.read_value_map(p)
    node = back.toc.node("mobilite") if hasattr(back.toc, "node") else None
    assert "mobilite" in [n.id for n in back.toc.nodes]
    added = next(n for n in back.toc.nodes if n.id == "mobilite")
    assert (added.kind, added.horizon, added.label) == ("outcome", "short", "Mobilité retrouvée")
    assert node is None or node.id == "mobilite"
    assert any(x.source == "coaching" and x.target == "mobilite" for x in back.toc.links)
    assert back.outcomes[-1].outcome == "mobilite"
    assert added.indicators[0].label == "Personnes se déplaçant seules"
    # one rule for every command: validate accepts what sroi and report compute
    assert main(["validate", str(p)]) == 0
    assert main(["sroi", str(p)]) == 0
    # the rest of the theory of change is kept (indicators and measures from the hidden sheet)
    before = {n.id: n for n in m.toc.nodes}
    assert all(n == before[n.id] for n in back.toc.nodes if n.id in before)


def test_a_link_to_an_unknown_node_is_located_at_its_cell(book):
    _, p = book
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["toc"]]
    lr = first_blank(ws, "I")
    ws[f"I{lr}"], ws[f"J{lr}"] = "coaching", "nulle_part"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    assert any(x.path[:2] == (FR["toc"], f"J{lr}") for x in ei.value.problems), [
        (x.path, x.message) for x in ei.value.problems
    ]
