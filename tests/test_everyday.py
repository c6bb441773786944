"""The everyday path: from a template or an example to a French report, without Python.

``impactkit new vm.xlsx --example emploi_accompagne --lang fr``; edit numbers in the
workbook; ``impactkit report vm.xlsx -o rapport.html --lang fr``: the report's figures
equal the workbook's own formulas.
"""

from __future__ import annotations

import html
import re

import openpyxl
import pytest

import impactkit as ik
from impactkit.cli import main
from impactkit.io import _excel

formulas = pytest.importorskip("formulas")


def workbook_names(path):
    sol = formulas.ExcelModel().loads(str(path)).finish().calculate()
    out = {}
    for key, ranges in sol.items():
        book_sheet, _, ref = key.rpartition("!")
        if book_sheet.endswith("]'"):
            out[ref.lower()] = ranges.value[0, 0]
    return out


def test_new_edit_report_in_french(tmp_path, capsys):
    vm = tmp_path / "vm.xlsx"
    assert main(["new", str(vm), "--example", "emploi_accompagne", "--lang", "fr"]) == 0
    wb = openpyxl.load_workbook(vm)
    assert "Carte de valeur" in wb.sheetnames
    ws = wb["Carte de valeur"]
    keys = {c.value: c.column_letter for c in ws[3] if c.value}
    ws[f"{keys['quantity']}6"] = 55  # edit numbers as a practitioner would
    ws[f"{keys['attribution']}7"] = 0.35
    wb["Ressources"]["B3"] = 500_000
    wb.save(vm)
    expected = workbook_names(vm)
    out = tmp_path / "rapport.html"
    assert main(["report", str(vm), "-o", str(out), "--lang", "fr", "--mc", "0"]) == 0
    page = out.read_text(encoding="utf-8")
    ratio = float(re.search(r'data-key="ratio" data-value="([^"]+)"', page).group(1))
    pv = float(re.search(r'data-key="present_value" data-value="([^"]+)"', page).group(1))
    assert ratio == pytest.approx(float(expected["sroi_ratio"]), rel=1e-9)
    assert pv == pytest.approx(float(expected["total_present_value"]), rel=1e-9)
    assert ratio != pytest.approx(ik.sroi(ik.examples.load_example()).ratio, rel=1e-6)
    text = html.unescape(page)
    assert "Retour social sur investissement" in text
    assert " pour 1" in text


@pytest.mark.parametrize("suffix", [".yaml", ".json", ".xlsx"])
def test_new_writes_a_valid_model(tmp_path, suffix, capsys):
    p = tmp_path / f"m{suffix}"
    assert main(["new", str(p), "--lang", "fr"]) == 0
    assert main(["validate", str(p)]) == 0
    assert main(["sroi", str(p)]) == 0
    assert main(["lint", str(p)]) == 0
    assert main(["new", str(p)]) == 2  # never overwrites without --force
    assert "--force" in capsys.readouterr().err


def test_new_empty_template_and_unknown_example(tmp_path, capsys):
    p = tmp_path / "tpl.xlsx"
    assert main(["new", str(p), "--empty", "--lang", "fr"]) == 0
    wb = openpyxl.load_workbook(p)
    assert wb.sheetnames[:3] == ["Paramètres", "Parties prenantes", "Ressources"]
    assert main(["new", str(tmp_path / "x.xlsx"), "--example", "emploi_acompagne"]) == 2
    assert "did you mean 'emploi_accompagne'" in capsys.readouterr().err
    assert main(["new", str(tmp_path / "x.txt")]) == 2


def test_examples_lists_what_the_library_has(capsys):
    assert main(["examples"]) == 0
    out = capsys.readouterr().out
    for name in getattr(ik.examples, "names", lambda: [ik.examples.EXAMPLE])():
        assert name in out


def test_did_you_mean_for_commands(capsys):
    with pytest.raises(SystemExit) as ei:
        main(["valdate", "x.yaml"])
    assert ei.value.code == 2
    assert "did you mean 'validate'" in capsys.readouterr().err


def test_plurals_markdown_numbers_and_few_draws(tmp_path, capsys):
    p = tmp_path / "m.yaml"
    ik.dump(ik.examples.load_example(), p)
    assert main(["validate", str(p)]) == 0
    assert "(0 warnings)" in capsys.readouterr().out
    assert main(["sroi", str(p), "--format", "markdown"]) == 0
    out = capsys.readouterr().out
    assert "| participants | 1,035,411.31 |" in out
    assert "e+05" not in out
    assert main(["sroi", str(p), "--mc", "50"]) == 0
    assert "50 Monte Carlo draws" in capsys.readouterr().err


def test_xlsx_accepted_by_every_reading_command(tmp_path, capsys):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(ik.examples.load_example(), p, lang="fr")
    for cmd in (["validate"], ["sroi"], ["lint"], ["toc"]):
        assert main([*cmd, str(p)]) == 0, cmd
    bad = tmp_path / "bad.xlsx"
    wb = openpyxl.load_workbook(p)
    wb["Carte de valeur"]["E4"] = "beaucoup"
    wb.save(bad)
    assert main(["validate", str(bad)]) == 1
    assert "Carte de valeur!E4" in capsys.readouterr().out  # named as the spreadsheet names it


def test_limits_are_documented():
    assert _excel.MAX_ROWS >= 1000


def test_validate_and_lint_name_the_fix_for_a_missing_indicator(tmp_path, capsys):
    toc = ik.TheoryOfChange("t")
    toc.add_stakeholder("p", label="People")
    toc.add_node("a", kind="activity", label="A")
    toc.add_node("o", kind="outcome", label="O", stakeholder="p")
    toc.add_link("a", "o", rationale="r")
    m = ik.ImpactModel(
        name="m",
        toc=toc,
        inputs=[ik.Input("g", amount=100)],
        outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="p", quantity=1, proxy=500)],
    )
    p = tmp_path / "m.yaml"
    ik.dump(m, p)
    assert main(["validate", str(p)]) == 1
    assert "toc.add_indicator('o'" in capsys.readouterr().out
    assert main(["lint", str(p)]) == 1
    assert "hint: add an indicator: toc.add_indicator('o'" in capsys.readouterr().out
