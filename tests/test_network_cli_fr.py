"""``impactkit network`` for a French federation: workbooks and their template, a keyed
anonymisation, PDF output, labels instead of ids, one stated discount rate, and a
wrong member id answered with the nearest ones."""

from __future__ import annotations

import stat
import sys
from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik
from impactkit import portfolio as pf
from impactkit.cli import main

pytest.importorskip("openpyxl")


@pytest.fixture
def tables(tmp_path: Path) -> tuple[Path, Path, pd.DataFrame, pd.DataFrame]:
    outcomes, inputs = ik.examples.synthetic_network(12, seed=0)
    out, inp = tmp_path / "outcomes.csv", tmp_path / "inputs.csv"
    outcomes.to_csv(out, index=False)
    inputs.to_csv(inp, index=False)
    return out, inp, outcomes, inputs


# ---------------------------------------------------------------- workbooks
def test_template_is_written_and_read_back(tmp_path, capsys):
    book = tmp_path / "resultats.xlsx"
    assert main(["new", str(book), "--network", "--lang", "fr"]) == 0
    sheets = pd.read_excel(book, sheet_name=None, engine="openpyxl")
    assert list(sheets)[:2] == ["Résultats", "Ressources"]
    head = list(sheets["Résultats"].columns)
    assert {"établissement", "quantité", "valeur unitaire", "effet d'aubaine"} <= set(head)
    assert len(sheets["Résultats"]) >= 2
    assert len(sheets["Ressources"]) >= 2
    capsys.readouterr()
    report = tmp_path / "reseau.md"
    assert main(["network", str(book), "-o", str(report), "--lang", "fr"]) == 0
    err = capsys.readouterr().err
    assert "feuille « Résultats »" in err
    assert "feuille « Ressources »" in err
    assert "colonnes reconnues : établissement, secteur, région" in err
    assert "→" not in err  # the names the labels stand for are code
    text = report.read_text(encoding="utf-8")
    assert "**Établissements** : 2" in text
    # FINESS ids keep their digits as text
    assert main(["network", str(book), "-o", str(tmp_path / "m.md"), "--member", "750000001"]) == 0


def test_workbook_gives_the_report_a_csv_gives(tables, tmp_path):
    out, inp, outcomes, inputs = tables
    book = tmp_path / "reseau.xlsx"
    with pd.ExcelWriter(book, engine="openpyxl") as xl:
        outcomes.to_excel(xl, sheet_name="Résultats", index=False)
        inputs.to_excel(xl, sheet_name="Ressources", index=False)
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert main(["network", str(out), str(inp), "-o", str(a)]) == 0
    assert main(["network", str(book), str(book), "-o", str(b)]) == 0
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_french_column_labels_in_a_csv_are_read(tables, tmp_path):
    from impactkit.cli._network import COLUMNS

    out, inp, outcomes, inputs = tables
    fr_out, fr_in = tmp_path / "resultats.csv", tmp_path / "ressources.csv"
    outcomes.rename(columns=COLUMNS["fr"]).to_csv(fr_out, index=False, sep=";", decimal=",")
    inputs.rename(columns=COLUMNS["fr"]).to_csv(fr_in, index=False, sep=";", decimal=",")
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert main(["network", str(out), str(inp), "-o", str(a)]) == 0
    assert main(["network", str(fr_out), str(fr_in), "-o", str(b)]) == 0
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


def test_ods_sheets_are_read_when_a_reader_is_installed(tables, tmp_path):
    pytest.importorskip("odf")
    out, inp, outcomes, inputs = tables
    book = tmp_path / "reseau.ods"
    with pd.ExcelWriter(book, engine="odf") as xl:
        outcomes.to_excel(xl, sheet_name="Résultats", index=False)
        inputs.to_excel(xl, sheet_name="Ressources", index=False)
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert main(["network", str(out), str(inp), "-o", str(a)]) == 0
    assert main(["network", str(book), "-o", str(b)]) == 0
    assert a.read_text(encoding="utf-8") == b.read_text(encoding="utf-8")


# ---------------------------------------------------------------- anonymisation
def test_anonymise_without_a_key_is_refused(tables, tmp_path, capsys):
    out, inp, *_ = tables
    target = tmp_path / "r.html"
    assert main(["network", str(out), str(inp), "-o", str(target), "--anonymise"]) == 2
    assert "clé secrète" in capsys.readouterr().err
    assert not target.exists()
    outcomes, inputs = tables[2], tables[3]
    with pytest.raises(ik.ValidationError, match="secret key"):
        pf.analyse_network(outcomes, inputs, anonymise=True)
    with pytest.raises(ik.ValidationError, match="secret key"):
        pf.pseudonyms(["a", "b"])


def test_pseudonyms_survive_membership_changes_and_need_the_key():
    sites = [f"0{750000000 + i}" for i in range(40)]
    before = pf.pseudonyms(sites, key="clé de la fédération")
    after = pf.pseudonyms([*sites[5:], "0760000000"], key="clé de la fédération")
    assert all(after[s] == before[s] for s in sites[5:])  # joining and leaving change nothing
    # not computable from the public list alone: the sorted-names key of old is not the key
    import hashlib

    derived = hashlib.sha256("\x1f".join(sorted(sites)).encode()).digest()
    assert pf.pseudonyms(sites, key=derived) != before
    assert len(set(before.values())) == len(sites)


def test_key_file_gives_the_same_report_as_key(tables, tmp_path):
    out, inp, *_ = tables
    keyfile = tmp_path / "cle.txt"
    keyfile.write_text("secret-fédération\n", encoding="utf-8")
    a, b = tmp_path / "a.md", tmp_path / "b.md"
    assert main(["network", str(out), str(inp), "-o", str(a), "--anonymise", "--key",
                 "secret-fédération"]) == 0  # fmt: skip
    assert main(["network", str(out), str(inp), "-o", str(b), "--anonymise", "--key-file",
                 str(keyfile)]) == 0  # fmt: skip
    text = a.read_text(encoding="utf-8")
    assert text == b.read_text(encoding="utf-8")
    assert "ES0" not in text
    assert "remplacés par des pseudonymes" in text


# ---------------------------------------------------------------- the report
def test_pdf_output_is_printed_by_the_browser(tables, tmp_path, monkeypatch, capsys):
    if sys.platform == "win32":
        pytest.skip("a shell script stands for the browser")
    out, inp, *_ = tables
    fake = tmp_path / "fake-chromium"
    fake.write_text(
        '#!/bin/sh\nfor a in "$@"; do case $a in --print-to-pdf=*) '
        "printf '%%PDF-1.4 fake' > \"${a#--print-to-pdf=}\";; esac; done\n",
        encoding="utf-8",
    )
    fake.chmod(fake.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("IMPACTKIT_CHROMIUM", str(fake))
    target = tmp_path / "reseau.pdf"
    assert main(["network", str(out), str(inp), "-o", str(target)]) == 0
    assert target.read_bytes().startswith(b"%PDF-")
    assert "rapport écrit dans" in capsys.readouterr().out
    monkeypatch.setenv("IMPACTKIT_CHROMIUM", str(tmp_path / "none"))
    assert main(["network", str(out), str(inp), "-o", str(tmp_path / "x.pdf")]) == 2


def test_report_states_its_default_rate_and_shows_labels(tables, tmp_path):
    out, inp, *_ = tables
    target = tmp_path / "r.md"
    assert main(["network", str(out), str(inp), "-o", str(target)]) == 0
    text = target.read_text(encoding="utf-8").replace("\u00a0", " ").replace("\u202f", " ")
    assert "Taux d'actualisation : 3,2 % par an, taux de France Stratégie (2021)." in text
    assert "non renseigné" in text
    assert "| - |" not in text
    # the payers of the rebuilt examples: health insurance and the département
    for word in ("Personnes âgées", "Salariés en insertion", "Assurance maladie"):
        assert word in text
    for code in ("personnes_agees", "| employees |", "| assurance_maladie |", "poids mort"):
        assert code not in text
    lib = ik.report.network(*tables[2:], format="markdown", lang="en", charts=False)
    lib = lib.replace("\u00a0", " ").replace("\u202f", " ")
    assert "Discount rate: 3.5% a year, constant rate." in lib


def test_member_page_labels_its_percentile_rank(tables):
    outcomes, inputs = tables[2], tables[3]
    page = ik.report.member(outcomes, inputs, member="ES00", format="markdown", lang="fr")
    assert "Rang centile parmi les pairs" in page
    assert "| Part |" not in page


def test_a_wrong_member_id_suggests_the_nearest(tables, tmp_path, capsys):
    out, inp, *_ = tables
    assert main(["network", str(out), str(inp), "-o", str(tmp_path / "m.md"),
                 "--member", "ES0O"]) == 1  # fmt: skip
    err = capsys.readouterr().err
    assert "aucun établissement « ES0O »" in err
    assert "ES00" in err
    with pytest.raises(ik.ValidationError, match="nearest: 'ES00'"):
        ik.report.member(*tables[2:], member="ES0O")
