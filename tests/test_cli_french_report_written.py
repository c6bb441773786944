"""« rapport écrit dans … » is said once, by one helper, in the command's language, by
``impactkit report`` and ``impactkit network`` alike (docs/reference/cli.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from impactkit.cli import main

SRC = Path(__file__).resolve().parent.parent / "src" / "impactkit"


@pytest.fixture
def tables(tmp_path, capsys):
    pytest.importorskip("openpyxl")
    book = tmp_path / "resultats.xlsx"
    assert main(["new", str(book), "--network", "--lang", "fr"]) == 0
    model = tmp_path / "modele.yaml"
    assert main(["new", str(model), "--lang", "fr"]) == 0
    capsys.readouterr()
    return book, model


def _runs(tmp_path: Path, files: tuple[Path, Path], lang: str) -> list[tuple[list[str], Path]]:
    tables, model = files
    out = tmp_path / lang
    out.mkdir()
    return [
        (["report", str(model), "--mc", "0"], out / "a.html"),
        (["report", str(model), "--mc", "0"], out / "a.md"),
        (["network", str(tables)], out / "reseau.html"),
        (["network", str(tables)], out / "reseau.md"),
        (["network", str(tables), "--member", "750000001"], out / "membre.html"),
    ]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_said_once_in_the_language_of_the_command(lang, tables, tmp_path, capsys):
    said = "rapport écrit dans" if lang == "fr" else "report written to"
    for command, target in _runs(tmp_path, tables, lang):
        assert main([*command, "-o", str(target), "--lang", lang]) == 0, command
        captured = capsys.readouterr()
        assert captured.out == f"{said} {target}\n", command
        assert said not in captured.err, command
        assert target.exists()


def test_one_helper_says_it(tables, tmp_path, capsys, monkeypatch):
    import impactkit.cli._words as words

    lines: list[tuple[str, str]] = []
    monkeypatch.setattr(words, "say_written", lambda path, lang: lines.append((str(path), lang)))
    runs = _runs(tmp_path, tables, "fr")
    for command, target in runs:
        assert main([*command, "-o", str(target), "--lang", "fr"]) == 0
    assert lines == [(str(target), "fr") for _, target in runs]
    assert capsys.readouterr().out == ""


def test_the_sentence_is_written_once_in_the_sources():
    sources = [p.read_text(encoding="utf-8") for p in SRC.rglob("*.py")]
    assert sum(text.count("rapport écrit dans") for text in sources) == 2  # code + doctest
    assert sum(text.count("report written to") for text in sources) == 1
