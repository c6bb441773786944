"""A French workbook's problems found by the model's own checks are said in French too."""

from __future__ import annotations

import openpyxl

from impactkit.cli import main

from .french_text import english_sentences


def test_an_unknown_stakeholder_typed_in_a_french_workbook(tmp_path, capsys) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "carte.xlsx"
    main(["new", str(p), "--example", "protection_enfance", "--lang", "fr"])
    capsys.readouterr()
    wb = openpyxl.load_workbook(p)
    ws = wb["Carte de valeur"]
    col = next(c for c in range(1, ws.max_column + 1) if ws.cell(2, c).value == "Partie prenante")
    ws.cell(5, col).value = "inconnus"
    wb.save(p)
    assert main(["validate", str(p)]) == 1
    out = capsys.readouterr().out
    assert "« inconnus » n'existe pas dans la théorie du changement" in out
    assert "is not in" not in out
    assert english_sentences(f"<p>{out}</p>") == []
