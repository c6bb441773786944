"""The French command line's usage lines, argparse errors and file errors carry French
names and French quotation marks, not English destinations (``file``, ``SEED``) or
Python strings (``'abc'``), and say where a file's syntax breaks or that it is empty."""

from __future__ import annotations

import re

import pytest

from impactkit.cli import main


def _usage_error(args: list[str], capsys) -> str:
    with pytest.raises(SystemExit) as exc:
        main([*args, "--lang", "fr"])
    assert exc.value.code == 2
    return capsys.readouterr().err


def test_help_names_the_values_in_french(capsys, monkeypatch):
    with pytest.raises(SystemExit):
        main(["sroi", "--lang", "fr", "--help"])
    out = capsys.readouterr().out
    assert "[--seed GRAINE]" in out
    assert "[--data NOM=FICHIER.csv]" in out
    assert "fichier" in out
    for english in ("SEED", "NAME=PATH", " file\n", "COMMAND"):
        assert english not in out, english
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    with pytest.raises(SystemExit):
        main(["--help"])
    assert "COMMANDE ..." in capsys.readouterr().out


def test_argparse_errors_quote_in_french(capsys):
    err = _usage_error(["sroi", "m.json", "--mc", "abc"], capsys)
    assert "option --mc : valeur invalide : « abc »" in err
    assert "(int)" not in err
    assert "'abc'" not in err
    err = _usage_error(["sroi", "m.json", "--format", "xml"], capsys)
    assert "choix invalide : « xml »" in err
    err = _usage_error(["sroi"], capsys)
    assert "arguments obligatoires manquants : fichier" in err


@pytest.mark.parametrize(
    ("name", "text", "said"),
    [
        ("vide.yaml", "", "le fichier est vide"),
        ("liste.yaml", "[1, 2]\n", "pas une liste ni une valeur seule"),
        ("casse.yaml", "a: [1, 2\n", "erreur de syntaxe YAML à la ligne 2, colonne 1"),
        ("casse.json", '{"name": \n', "erreur de syntaxe JSON à la ligne 2, colonne 1"),
    ],
)
def test_a_broken_model_file_says_what_and_where(name, text, said, tmp_path, capsys):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    assert main(["validate", str(path), "--lang", "fr"]) == 2
    captured = capsys.readouterr()
    assert said in captured.out + captured.err
    assert not re.search(r"NoneType|invalid|line \d", captured.out + captured.err)
