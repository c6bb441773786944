"""What the French command line says on the way is French: the network tables' columns
by their French labels only, and a PDF that no browser can print (docs/reference/cli.md)."""

from __future__ import annotations

import pytest

from impactkit.cli import main


@pytest.fixture
def files(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    tables = tmp_path / "resultats.xlsx"
    model = tmp_path / "modele.yaml"
    assert main(["new", str(tables), "--network", "--lang", "fr"]) == 0
    assert main(["new", str(model), "--lang", "fr"]) == 0
    capsys.readouterr()
    return tables, model


def test_network_columns_by_their_french_labels(files, tmp_path, capsys):
    tables, _ = files
    assert main(["network", str(tables), "-o", str(tmp_path / "r.md")]) == 0
    err = capsys.readouterr().err
    assert "colonnes reconnues : établissement, secteur" in err
    for code in ("→", " site", "sector", "quantity", "drop_off", "amount"):
        assert code not in err, code


def test_a_pdf_without_a_browser(files, tmp_path, capsys, monkeypatch):
    tables, model = files
    monkeypatch.setenv("IMPACTKIT_CHROMIUM", str(tmp_path / "no-such-browser"))
    for command in (["report", str(model), "--mc", "0"], ["network", str(tables)]):
        target = tmp_path / "rapport.pdf"
        assert main([*command, "-o", str(target), "--lang", "fr"]) == 2
        err = capsys.readouterr().err
        assert "Chrome, Edge ou Chromium" in err
        assert "-o rapport.html" in err
        assert "--lang en" not in err
        assert "headless" not in err
        assert not target.exists()
