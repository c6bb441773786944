"""The command line speaks French: ``--lang`` on every command, else the file's language,
else the system locale; French messages, help and lint hints; a missing extra named;
a closed pipe ends quietly."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from impactkit.cli import main

EXAMPLE = str(resources.files("impactkit.examples") / "insertion_iae.json")
SRC = str(Path(__file__).resolve().parent.parent / "src")


@pytest.mark.parametrize(
    "command",
    [
        ["validate", EXAMPLE],
        ["toc", EXAMPLE],
        ["schema"],
        ["sroi", EXAMPLE],
        ["lint", EXAMPLE],
        ["demo", "--mc", "0"],
        ["examples"],
    ],
)
def test_every_command_takes_lang(command, capsys):
    args = [*command, "--lang", "fr"]
    assert main(args) in (0, 1)
    assert "unrecognized arguments" not in capsys.readouterr().err


def test_validate_in_french(capsys):
    assert main(["validate", EXAMPLE, "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == f"{EXAMPLE} : valide (1 avertissement)"
    assert out.startswith("avertissement : ")
    assert "[double_counting]" not in out  # no code in French output


def test_french_plural_of_zero(capsys):
    path = str(resources.files("impactkit.examples") / "addictologie.json")
    assert main(["validate", path, "--lang", "fr"]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == f"{path} : valide (0 avertissement)"


def test_system_locale_decides_when_not_told(monkeypatch, capsys):
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert main(["validate", EXAMPLE]) == 0
    assert "valide (1 avertissement)" in capsys.readouterr().out
    monkeypatch.setenv("LC_ALL", "en_GB.UTF-8")
    assert main(["validate", EXAMPLE]) == 0
    assert "valid (1 warning)" in capsys.readouterr().out


def test_a_french_workbook_speaks_french_without_lang(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    book = tmp_path / "carte.xlsx"
    assert main(["new", str(book), "--lang", "fr"]) == 0
    capsys.readouterr()
    main(["validate", str(book)])
    out = capsys.readouterr().out
    assert " : valide (" in out or " : invalide (" in out
    report = tmp_path / "rapport.html"
    assert main(["report", str(book), "-o", str(report), "--mc", "0"]) == 0
    assert capsys.readouterr().out.strip() == f"rapport écrit dans {report}"
    assert '<html lang="fr"' in report.read_text(encoding="utf-8")


def test_help_in_french(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["report", "--lang", "fr", "--help"])
    assert exc.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith("utilisation : impactkit report")
    assert "afficher cette aide et quitter" in out
    assert "show this help" not in out


def test_usage_errors_in_french(capsys):
    with pytest.raises(SystemExit):
        main(["reprot", "--lang", "fr"])
    err = capsys.readouterr().err
    assert "commande inconnue « reprot » ; vouliez-vous dire « report » ?" in err


def test_lint_hints_in_users_words(capsys):
    main(["lint", EXAMPLE, "--lang", "fr"])
    out = capsys.readouterr().out
    assert "conseil : " in out
    assert "consignez l'avis des proches" in out
    for code in ("qualitative.", "Evidence", "Engagement", "outcomes[", "hint:", "data="):
        assert code not in out


def test_missing_extra_names_it(monkeypatch, tmp_path, capsys):
    import impactkit.io

    def no_openpyxl(*args, **kwargs):
        raise ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")

    monkeypatch.setattr(impactkit.io, "write_value_map", no_openpyxl)
    target = tmp_path / "carte.xlsx"
    assert main(["new", str(target), "--lang", "fr"]) == 2
    err = capsys.readouterr().err
    assert "installez impactkit[excel]" in err
    assert "défaut" not in err
    assert not target.exists()
    assert main(["new", str(target), "--lang", "en"]) == 2
    assert 'pip install "impactkit[excel]"' in capsys.readouterr().err


def test_internal_error_in_french(monkeypatch, capsys):
    import impactkit.cli._main as cli

    def boom(args):
        raise KeyError("x")

    monkeypatch.setattr(cli, "_cmd_validate", boom)
    assert main(["validate", EXAMPLE, "--lang", "fr"]) == 3
    assert "erreur interne" in capsys.readouterr().err


def test_a_closed_pipe_ends_quietly():
    env = {**os.environ, "PYTHONPATH": SRC, "LANG": "C.UTF-8"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "impactkit.cli", "schema"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    assert proc.stdout is not None
    proc.stdout.close()  # the reader is gone before the first line is written (`| head -0`)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 141
    assert b"Traceback" not in err
    assert err == b""


def test_sroi_table_in_french(tmp_path, capsys):
    model = tmp_path / "m.json"
    assert main(["new", str(model), "--lang", "fr"]) == 0
    capsys.readouterr()
    assert main(["sroi", str(model), "--mc", "50", "--lang", "fr"]) == 0
    captured = capsys.readouterr()
    assert "Ratio SROI" in captured.out
    assert "Délai de retour" in captured.out
    assert "tirages) : intervalle à 90" in captured.out
    for english in ("Present value", "Total inputs", "draws", "interval "):
        assert english not in captured.out
    assert "prenez-en au moins 1\u202f000" in captured.err
