"""The Excel value map: round trip, template, errors naming sheet and cell."""

from __future__ import annotations

import openpyxl
import pytest

import impactkit as ik

from strategies import rich_model, synthetic_model


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_round_trip_preserves_ratio(tmp_path, lang):
    for m in (
        synthetic_model(base_year=2024),
        rich_model().evolve(toc=None, outcomes=[rich_model().outcomes[0]]),
    ):
        p = tmp_path / f"vm_{lang}.xlsx"
        ik.io.write_value_map(m, p, lang=lang)
        back = ik.io.read_value_map(p)
        assert ik.sroi(back).ratio == pytest.approx(ik.sroi(m).ratio, rel=1e-9)
        assert back.evolve(toc=None) == m.evolve(toc=None)


def test_example_round_trip_with_data(tmp_path):
    m = ik.examples.load_example()
    d = ik.examples.load_example_data()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p, data=d)
    ws = openpyxl.load_workbook(p)["Value map"]
    headers = [c.value for c in ws[3]]
    assert ws.cell(4, headers.index("present_value") + 1).value == pytest.approx(
        ik.sroi(m, data=d).by_outcome["present_value"][0]
    )
    back = ik.io.read_value_map(p)
    assert ik.sroi(back, data=d).ratio == pytest.approx(ik.sroi(m, data=d).ratio, rel=1e-9)


def test_template_filled_by_hand(tmp_path):
    p = tmp_path / "tpl.xlsx"
    ik.io.write_value_map_template(p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb["Value map"]
    keys = {c.value: c.column for c in ws[3] if c.value}
    row = {
        "stakeholder": "jeunes",
        "outcome": "emploi",
        "quantity": 10,
        "proxy_value": 1000,
        "duration": 2,
        "deadweight": 0.2,
    }
    for k, v in row.items():
        ws.cell(4, keys[k], v)
    wi = wb["Inputs"]
    wi.append(["Subvention", 5000])
    wb["Model"]["B3"] = "Essai"
    wb.save(p)
    m = ik.io.read_value_map(p)
    assert m.name == "Essai"
    assert ik.sroi(m).present_value == pytest.approx(8000 / 1.035 + 8000 / 1.035**2)


def test_foreign_or_malformed_workbooks(tmp_path):
    foreign = tmp_path / "foreign.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.save(foreign)
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.read_value_map(foreign)
    assert {"Model", "Value map", "Inputs"} <= {p.path[0] for p in ei.value.problems}
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    wb = openpyxl.load_workbook(p)
    wb["Value map"]["B3"] = "result"
    wb.save(p)
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.read_value_map(p)
    assert "outcome" in str(ei.value)
    assert "Value map" in str(ei.value)
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("hello")
    with pytest.raises(ik.FileFormatError):
        ik.io.read_value_map(not_excel)


def test_bad_values_named_by_cell(tmp_path):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    wb = openpyxl.load_workbook(p)
    ws = wb["Value map"]
    keys = {c.value: c.column_letter for c in ws[3] if c.value}
    ws[f"{keys['quantity']}4"] = "lots"
    ws[f"{keys['deadweight']}5"] = 1.5
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    assert set(ei.value.paths) == {
        f"['Value map'].{keys['quantity']}4.quantity",
        f"['Value map'].{keys['deadweight']}5.deadweight",
    }
