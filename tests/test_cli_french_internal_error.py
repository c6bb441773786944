"""A defect of impactkit on the French command line: one French line, exit 3, no English,
no exception name, no traceback unless ``--debug`` asks for it (docs/reference/cli.md)."""

from __future__ import annotations

import re
from importlib import resources

import pytest

from impactkit.cli import EXIT_INTERNAL, main

EXAMPLE = str(resources.files("impactkit.examples") / "insertion_iae.json")


def _boom(args: object) -> int:
    raise KeyError("the internal table has no such key")


def _french_only(err: str) -> None:
    assert "erreur interne" in err
    assert "défaut d'impactkit" in err
    for english in ("KeyError", "internal", "the ", "key", "Traceback", "error"):
        assert english not in err, english
    assert not re.search(r"\w+Error\b", err)
    assert len(err.strip().splitlines()) == 1


def test_an_internal_error_is_one_french_line(monkeypatch, capsys):
    import impactkit.cli._main as cli

    monkeypatch.setattr(cli, "_cmd_validate", _boom)
    assert main(["validate", EXAMPLE, "--lang", "fr"]) == EXIT_INTERNAL
    captured = capsys.readouterr()
    assert captured.out == ""
    _french_only(captured.err)


def test_debug_adds_the_traceback(monkeypatch, capsys):
    import impactkit.cli._main as cli

    monkeypatch.setattr(cli, "_cmd_validate", _boom)
    assert main(["validate", EXAMPLE, "--lang", "fr", "--debug"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    first, *_rest = err.strip().splitlines()
    assert "erreur interne" in first
    assert "KeyError" not in first
    assert "Traceback" in err
    assert "KeyError" in err
    # before the command too, and in English
    assert main(["--debug", "validate", EXAMPLE, "--lang", "en"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "internal error (KeyError" in err
    assert "Traceback" in err


def test_english_keeps_the_exception_for_the_bug_report(monkeypatch, capsys):
    import impactkit.cli._main as cli

    monkeypatch.setattr(cli, "_cmd_validate", _boom)
    assert main(["validate", EXAMPLE, "--lang", "en"]) == EXIT_INTERNAL
    err = capsys.readouterr().err
    assert "internal error (KeyError" in err
    assert "Traceback" not in err


def test_a_defect_while_wording_an_error_is_still_one_french_line(monkeypatch, capsys, tmp_path):
    """The French words of a problem fail: the command still ends with one French line."""
    import impactkit.cli._words as words

    def broken(*args: object, **kwargs: object) -> list[str]:
        raise TypeError("unsupported operand type(s)")

    monkeypatch.setattr(words, "problem_lines_fr", broken)
    bad = tmp_path / "m.json"
    bad.write_text('{"name": "m", "inputs": [], "outcomes": [{"quantity": -1}]}', "utf-8")
    assert main(["sroi", str(bad), "--lang", "fr"]) == EXIT_INTERNAL
    _french_only(capsys.readouterr().err)


def test_ctrl_c_is_a_french_line_and_code_130(monkeypatch, capsys):
    import impactkit.cli._main as cli

    def interrupted(args: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "_cmd_validate", interrupted)
    assert main(["validate", EXAMPLE, "--lang", "fr"]) == 130
    err = capsys.readouterr().err
    assert err.strip() == "impactkit : interrompu"


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_debug_is_no_file_name(lang, capsys):
    """``--debug`` is taken out before the command reads its arguments."""
    assert main(["validate", EXAMPLE, "--debug", "--lang", lang]) == 0
    assert "--debug" not in capsys.readouterr().err
