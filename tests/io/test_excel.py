"""The live Excel value map: formulas that compute the library's numbers, exact round
trips, text never turned into formulas, French number entry, every problem at its cell,
bounded reading."""

from __future__ import annotations

import math
import re
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import impactkit as ik
import workbook_engine
from impactkit import dist
from impactkit.io import _excel
from sheets import FR, column_of

from strategies import models, rich_model, synthetic_model

formulas = pytest.importorskip("formulas")

EN = {k: v["en"] for k, v in _excel.SHEETS.items()}


def compute(path):
    """Every defined name and cell of a workbook, computed by a formula engine that reads
    the stored numbers to the last digit, as Excel and LibreOffice do (workbook_engine)."""
    return workbook_engine.compute(path)


def names_of(cells):
    return {ref.lower(): v for (sheet, ref), v in cells.items() if sheet == ""}


def assert_workbook_equals_library(path, res):
    cells = compute(path)
    got = names_of(cells)
    assert float(got["total_present_value"]) == pytest.approx(res.present_value, rel=1e-9)
    assert float(got["total_inputs"]) == pytest.approx(res.total_inputs, rel=1e-9)
    assert float(got["net_present_value"]) == pytest.approx(
        res.net_present_value, rel=1e-9, abs=1e-9 * res.total_inputs
    )
    assert float(got["sroi_ratio"]) == pytest.approx(res.ratio, rel=1e-9)
    return cells


def simple_models():
    base = synthetic_model(base_year=2024)
    yield base
    yield base.evolve(first_flow_at="t0")
    yield base.evolve(discount=ik.discount.GREEN_BOOK)
    yield base.evolve(
        outcomes=[
            base.outcomes[0].__class__(
                outcome="c",
                stakeholder="p",
                quantity=12.5,
                proxy=ik.FinancialProxy(900, year=2020),
                duration=3,
                start_year=2,
                drop_off=0.3,
                drop_off_method="linear",
                leakage=0.1,
            ),
            base.outcomes[1].__class__(
                outcome="d", stakeholder="p", quantity=3, proxy=-200, drop_off=1.0, duration=4
            ),
        ],
        price_index=ik.PriceIndex({2020: 100.0, 2024: 117.5}),
        inputs=[ik.Input("later", amount=5000, year=2), ik.Input("now", amount=1000)],
    )
    yield ik.examples.load_example()


@pytest.mark.parametrize("lang", ["en", "fr"])
@pytest.mark.parametrize("k", range(5))
def test_formulas_compute_the_library_numbers(tmp_path, lang, k):
    model = list(simple_models())[k]
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(model, p, lang=lang)
    res = ik.sroi(model)
    cells = assert_workbook_equals_library(p, res)
    sheets = EN if lang == "en" else FR
    ws = openpyxl.load_workbook(p)[sheets["map"]]
    pv_col = column_of(ws, "present_value", 3)
    for i, pv in enumerate(res.by_outcome["present_value"]):
        got = cells[(sheets["map"].upper(), f"{pv_col}{4 + i}")]
        assert float(got) == pytest.approx(pv, rel=1e-9, abs=1e-9)
    assert ik.io.read_value_map(p) == model


@pytest.mark.parametrize(
    ("field", "new"),
    [("quantity", 61), ("deadweight", 0.45), ("duration", 4), ("proxy_year", 2022)],
)
def test_formulas_follow_an_edit(tmp_path, field, new):
    model = ik.examples.load_example()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(model, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    row = 6  # third outcome row: no distribution on it
    ws[f"{column_of(ws, field, 3)}{row}"] = new
    wb.save(p)
    edited = ik.io.read_value_map(p)
    assert edited != model
    res = ik.sroi(edited)
    assert res.ratio != pytest.approx(ik.sroi(model).ratio, rel=1e-6)
    assert_workbook_equals_library(p, res)


def test_edit_of_the_discount_rate_and_an_input(tmp_path):
    model = synthetic_model()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(model, p)
    wb = openpyxl.load_workbook(p)
    ws = wb[EN["settings"]]
    row = _excel.SETTINGS_FIRST + _excel.SETTINGS_KEYS.index("discount_rate")
    ws[f"B{row}"] = 0.05
    wb[EN["inputs"]]["D3"] = 2  # year of the first input
    wb.save(p)
    edited = ik.io.read_value_map(p)
    assert edited.discount.rate == 0.05
    assert edited.inputs[0].year == 2
    assert_workbook_equals_library(p, ik.sroi(edited))


@settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.generate],
)
@given(m=models(max_rows=3))
def test_random_models_compute_and_round_trip(tmp_path, m):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    assert ik.io.read_value_map(p) == m
    res = ik.sroi(m)
    if math.isfinite(res.ratio) and res.total_inputs > 0:
        assert_workbook_equals_library(p, res)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_exact_round_trip_with_toc_and_everything(tmp_path, lang):
    for m in (synthetic_model(base_year=2024), rich_model(), ik.examples.load_example()):
        p = tmp_path / f"vm_{lang}.xlsx"
        ik.io.write_value_map(m, p, lang=lang)
        assert ik.io.read_value_map(p) == m


def test_layout_names_formats_and_uncertainty_columns(tmp_path):
    m = ik.examples.load_example()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames == list(FR.values())
    assert wb[FR["data"]].sheet_state == "hidden"
    for name in ("sroi_ratio", "total_present_value", "total_inputs", "net_present_value"):
        assert name in wb.defined_names
    ws = wb[FR["map"]]
    dw = column_of(ws, "deadweight", 3)
    pv = column_of(ws, "proxy_value", 3)
    assert "%" in ws[f"{dw}6"].number_format
    assert "€" in ws[f"{pv}6"].number_format
    assert ws[f"{column_of(ws, 'displacement', 3)}6"].value == 0  # defaults are filled in
    assert ws[f"{column_of(ws, 'impact', 3)}6"].data_type == "f"
    # the Beta deadweight of row 1 is in readable columns, not JSON
    wu = wb[FR["uncertainty"]]
    heads = [c.value for c in wu[3]]
    rows = [dict(zip(heads, [c.value for c in r], strict=True)) for r in wu.iter_rows(min_row=4)]
    beta = next(r for r in rows if r["cell"] == f"{dw}4")
    assert (beta["sheet"], beta["dist"], beta["written"], beta["sd"]) == (
        FR["map"],
        "bêta",  # in the workbook's words; the English name is read too
        0.3,
        0.07,
    )
    assert beta["mean"] == f"='{FR['map']}'!{dw}4"  # the law's centre follows its cell
    assert ws[f"{dw}4"].value == pytest.approx(0.3)
    assert not any(isinstance(c.value, str) and c.value.startswith("{") for r in ws for c in r)


def test_template_filled_by_hand_in_french(tmp_path):
    p = tmp_path / "tpl.xlsx"
    ik.io.write_value_map_template(p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    row = {
        "stakeholder": "jeunes",
        "outcome": "emploi",
        "quantity": "10",
        "proxy_value": "1 000,00 €",
        "duration": 2,
        "deadweight": "20 %",
    }
    for k, v in row.items():
        ws[f"{column_of(ws, k, 3)}4"] = v
    wi = wb[FR["inputs"]]
    wi["A3"], wi["B3"] = "Subvention", "5 000"
    ws_s = wb[FR["settings"]]
    ws_s[f"B{_excel.SETTINGS_FIRST + _excel.SETTINGS_KEYS.index('name')}"] = "Essai"
    wb.save(p)
    m = ik.io.read_value_map(p)
    assert m.name == "Essai"
    assert m.outcomes[0].deadweight == 0.2
    assert ik.sroi(m).present_value == pytest.approx(8000 / 1.035 + 8000 / 1.035**2)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("100 000,50", 100_000.5),
        ("100\u202f000,50", 100_000.5),
        ("1 234,5 €", 1234.5),
        ("1.234,5", 1234.5),
        ("1,234.5", 1234.5),
        ("25 %", 0.25),
        ("12,5%", 0.125),
        ("-3", -3),
        (7, 7),
    ],
)
def test_french_number_entry(text, value):
    assert _excel.parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("text", ["lots", "1,2,3", "", "nan", "inf", "1e400", True])
def test_numbers_that_are_not(text):
    with pytest.raises(ValueError, match="number"):
        _excel.parse_number(text)


PAYLOADS = [
    "=cmd|' /C calc'!A0",
    '=HYPERLINK("http://example.invalid","click")',
    "+1+1",
    "-2",
    "@SUM(1,1)",
    "=1+1",
]


def test_text_is_never_a_formula(tmp_path):
    m = synthetic_model()
    toc = ik.TheoryOfChange("t")
    toc.add_stakeholder("participants", label=PAYLOADS[0])
    outcomes = [
        o.__class__(
            **{**{a: getattr(o, a) for a in ("outcome", "stakeholder", "quantity", "proxy")}},
            label=PAYLOADS[i],
            indicator=PAYLOADS[i + 1],
        )
        for i, o in enumerate(m.outcomes)
    ]
    m = m.evolve(
        name=PAYLOADS[1],
        description=PAYLOADS[2],
        outcomes=outcomes,
        inputs=[ik.Input(PAYLOADS[3], amount=100, source=PAYLOADS[4], description=PAYLOADS[5])],
    )
    p = tmp_path / "x.xlsx"
    ik.io.write_value_map(m, p)
    assert ik.io.read_value_map(p) == m
    wb = openpyxl.load_workbook(p)
    inputs_sheet = {EN["inputs"]}
    for ws in wb:
        for row in ws.iter_rows():
            for c in row:
                if isinstance(c.value, str) and c.value in PAYLOADS:
                    assert c.data_type == "s", (ws.title, c.coordinate)
                if c.data_type == "f":  # the only formulas are computed cells
                    assert ws.title in {EN["map"], EN["calc"], *inputs_sheet}
                    assert "cmd|" not in c.value
                    assert "HYPERLINK" not in c.value
    # and the engine sees them as text, not as formulas
    cells = compute(p)
    assert cells[(EN["inputs"].upper(), "A3")] == PAYLOADS[3]


def _set_cached_formula(path, sheet_index, ref, formula, cached):
    """Put a formula with (or without) a saved value in a cell, as a spreadsheet does."""
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = f"xl/worksheets/sheet{sheet_index}.xml"
    xml = parts[name].decode()
    cell = re.search(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml)
    assert cell is not None
    v = f"<v>{cached}</v>" if cached is not None else ""
    xml = xml.replace(cell.group(0), f'<c r="{ref}"><f>{formula}</f>{v}</c>')
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_formula_in_an_input_cell(tmp_path):
    m = synthetic_model()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    ws = openpyxl.load_workbook(p)[EN["map"]]
    q = column_of(ws, "quantity", 3)
    sheet_index = openpyxl.load_workbook(p).sheetnames.index(EN["map"]) + 1
    for cached in (50, None):  # a saved value may be stale: never read in place of the cell
        _set_cached_formula(p, sheet_index, f"{q}4", "25*2", cached)
        with pytest.raises(ik.ValidationError) as ei:
            ik.io.read_value_map(p)
        assert [pr.path[:2] for pr in ei.value.problems] == [(EN["map"], f"{q}4")]
        assert "formula" in str(ei.value)


def test_every_problem_in_one_pass(tmp_path):
    m = ik.examples.load_example()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    q, dw, dr = (column_of(ws, k, 3) for k in ("quantity", "deadweight", "drop_off"))
    ws[f"{q}5"] = "beaucoup"  # a type error ...
    ws[f"{dw}6"] = 1.5  # ... must not hide range errors
    ws[f"{dr}7"] = "-20 %"
    wb[FR["settings"]]["E2"] = "deux mille"  # a price-index year
    wu = wb[FR["uncertainty"]]
    wu["D4"] = "trianglar"  # an unknown distribution
    wb[FR["inputs"]]["B4"] = "cher"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    where = {pr.path[:2] for pr in ei.value.problems}
    assert {
        (FR["map"], f"{q}5"),
        (FR["map"], f"{dw}6"),
        (FR["map"], f"{dr}7"),
        (FR["settings"], "E2"),
        (FR["uncertainty"], "D4"),
        (FR["inputs"], "B4"),
    } <= where
    assert "vouliez-vous dire « triangulaire » ?" in str(ei.value)


def test_central_value_must_match_its_distribution(tmp_path):
    m = ik.examples.load_example()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    wb = openpyxl.load_workbook(p)
    ws = wb[EN["map"]]
    dw = column_of(ws, "deadweight", 3)
    ws[f"{dw}4"] = 0.5
    wu = wb[EN["uncertainty"]]
    row = next(r for r in range(4, wu.max_row + 1) if wu[f"B{r}"].value == f"{dw}4")
    wu[f"H{row}"] = 0.3  # the mean typed as a number, as workbooks written before hold it
    wb.save(p)
    with pytest.raises(ik.ValidationError, match="central value") as ei:
        ik.io.read_value_map(p)
    assert ei.value.problems[0].path[:2] == (EN["map"], f"{dw}4")


def test_malformed_uncertainty_and_deep_json(tmp_path):
    m = ik.examples.load_example()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    wb = openpyxl.load_workbook(p)
    wu = wb[EN["uncertainty"]]
    heads = {c.value: c.column_letter for c in wu[3]}
    wu[f"{heads['mean']}4"] = "{]"
    wd = wb[EN["data"]]
    wd["B2"] = "[" * 100_000 + "]" * 100_000
    wd["A5"], wd["B5"] = "metadata", '{"a": ' * 5000 + "1" + "}" * 5000
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    codes = {pr.path[:2]: pr.code for pr in ei.value.problems}
    assert codes[(EN["uncertainty"], f"{heads['mean']}4")] == "type"
    assert codes[(EN["data"], "B2")] == "too_deep"
    assert codes[(EN["data"], "B5")] == "too_deep"


def test_foreign_or_malformed_workbooks(tmp_path):
    foreign = tmp_path / "foreign.xlsx"
    wb = openpyxl.Workbook()
    wb.active.title = "Budget"
    wb.save(foreign)
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.read_value_map(foreign)
    assert {"Settings", "Value map", "Inputs"} <= {p.path[0] for p in ei.value.problems}
    assert "Carte de valeur" in str(ei.value)
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    wb = openpyxl.load_workbook(p)
    wb[EN["map"]]["B3"] = "result"
    wb.save(p)
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.read_value_map(p)
    assert "outcome" in str(ei.value)
    assert "Value map" in str(ei.value)
    not_excel = tmp_path / "x.xlsx"
    not_excel.write_text("hello")
    with pytest.raises(ik.FileFormatError):
        ik.io.read_value_map(not_excel)


def test_unknown_columns_and_settings_get_a_suggestion(tmp_path):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    wb = openpyxl.load_workbook(p)
    wb[EN["settings"]]["A3"] = "nmae"
    ws = wb[EN["map"]]
    ws[f"{column_of(ws, 'deadweight', 3)}3"] = "deadwieght"
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    assert "did you mean 'name'" in str(ei.value)
    assert "did you mean 'deadweight'" in str(ei.value)


def test_reading_is_bounded(tmp_path, monkeypatch):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    wb = openpyxl.load_workbook(p)
    wb[EN["map"]]["A900"] = "far away"
    wb.save(p)
    monkeypatch.setattr(_excel, "MAX_ROWS", 500)
    with pytest.raises(ik.FileFormatError, match="beyond row 500"):
        ik.io.read_value_map(p)
    monkeypatch.setattr(_excel, "MAX_ROWS", 5000)
    monkeypatch.setattr(_excel, "MAX_CELLS", 100)
    with pytest.raises(ik.FileFormatError, match="more than 100 filled cells"):
        ik.io.read_value_map(p)
    monkeypatch.setattr(_excel, "MAX_WORKBOOK_BYTES", 1000)
    with pytest.raises(ik.FileFormatError, match="bytes"):
        ik.io.read_value_map(p)


def test_a_large_workbook_is_refused_fast(tmp_path):
    import time

    p = tmp_path / "big.xlsx"
    wb = openpyxl.Workbook(write_only=True)
    for key in ("settings", "inputs", "map"):
        ws = wb.create_sheet(EN[key])
        if key == "map":
            for r in range(40_000):  # no dimension element: nothing may parse it all
                ws.append([f"s{r}", f"o{r}", "x" * 20, 1, 2, 3, 4, 5, 6, 7])
    wb.save(p)
    t = time.perf_counter()
    with pytest.raises(ik.FileFormatError):
        ik.io.read_value_map(p)
    assert time.perf_counter() - t < 6


def test_calculators_travel_in_the_hidden_sheet(tmp_path):
    m = rich_model()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    ws = openpyxl.load_workbook(p)[EN["map"]]
    assert ws[f"{column_of(ws, 'quantity', 3)}5"].value is None
    back = ik.io.read_value_map(p)
    assert back == m
    assert isinstance(back.outcomes[0].quantity, dist.Triangular)


def test_a_row_longer_than_the_year_columns_is_reported(tmp_path):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)  # 10 year columns
    wb = openpyxl.load_workbook(p)
    ws = wb[EN["map"]]
    d = column_of(ws, "duration", 3)
    ws[f"{d}4"] = 12
    wb.save(p)
    with pytest.raises(ik.ValidationError, match="year 12") as ei:
        ik.io.read_value_map(p)
    assert ei.value.problems[0].path[:2] == (EN["map"], f"{d}4")
    ws[f"{d}4"] = 10
    wb.save(p)
    m = ik.io.read_value_map(p)
    assert_workbook_equals_library(p, ik.sroi(m))


def test_an_edited_schedule_must_not_leave_stale_rates(tmp_path):
    m = synthetic_model(discount=ik.discount.GREEN_BOOK)
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    assert ik.io.read_value_map(p) == m
    wb = openpyxl.load_workbook(p)
    row = _excel.SETTINGS_FIRST + _excel.SETTINGS_KEYS.index("discount_schedule")
    wb[EN["settings"]][f"B{row}"] = "[[0, 0.05]]"
    wb.save(p)
    with pytest.raises(ik.ValidationError, match="schedule") as ei:
        ik.io.read_value_map(p)
    assert ei.value.problems[0].path == (EN["calc"], "C17")
