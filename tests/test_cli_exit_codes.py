"""One table of exit codes for every command; ``report`` refuses an unknown output suffix."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit.cli import EXIT_CODES, EXIT_INTERNAL, EXIT_INVALID, EXIT_USAGE, exit_code, main


def _model(tmp_path):
    path = tmp_path / "m.json"
    ik.io.dump(ik.examples.load_example("insertion_iae"), path)
    return path


@pytest.mark.parametrize("command", ["validate", "sroi", "report", "lint", "toc"])
@pytest.mark.parametrize("content", ["{not json", "[1, 2", "\x00\x01", ""])
def test_an_unreadable_file_is_code_2_for_every_command(tmp_path, capsys, command, content):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8")
    extra = ["-o", str(tmp_path / "r.html")] if command == "report" else []
    assert main([command, str(bad), *extra]) == EXIT_USAGE
    assert not (tmp_path / "r.html").exists()


@pytest.mark.parametrize("command", ["validate", "sroi", "report"])
def test_a_missing_file_is_code_2_for_every_command(tmp_path, capsys, command):
    extra = ["-o", str(tmp_path / "r.html")] if command == "report" else []
    assert main([command, str(tmp_path / "missing.json"), *extra]) == EXIT_USAGE


def test_an_invalid_model_is_code_1_for_validate_and_sroi(tmp_path, capsys):
    path = tmp_path / "m.json"
    path.write_text('{"format_version": 1, "name": "x", "discount": "abc"}', encoding="utf-8")
    assert main(["validate", str(path)]) == EXIT_INVALID
    assert main(["sroi", str(path)]) == EXIT_INVALID


def test_the_table_decides_by_first_matching_row():
    assert exit_code(ik.errors.FileFormatError("x")) == EXIT_USAGE
    assert exit_code(ik.ValidationError("x")) == EXIT_INVALID
    assert exit_code(ik.errors.OutputPathError("x")) == EXIT_USAGE
    assert exit_code(PermissionError("x")) == EXIT_USAGE
    assert exit_code(ZeroDivisionError()) == EXIT_INTERNAL
    classes = [cls for cls, _ in EXIT_CODES]
    assert classes.index(ik.errors.FileFormatError) < classes.index(ik.ValidationError)


@pytest.mark.parametrize("name", ["r.docx", "r.txt", "r", "r.html.bak", "r.pdf.docx"])
def test_report_refuses_an_unknown_suffix_before_computing(tmp_path, capsys, name):
    out = tmp_path / name
    assert main(["report", str(_model(tmp_path)), "-o", str(out)]) == EXIT_USAGE
    err = capsys.readouterr().err
    assert ".html, .htm, .md, .markdown, .pdf" in err
    assert not out.exists()


@pytest.mark.parametrize(
    ("name", "start"), [("R.HTML", "<!DOCTYPE html>"), ("r.htm", "<!DOCTYPE"), ("r.MD", "# ")]
)
def test_report_accepts_its_suffixes_in_any_case(tmp_path, capsys, name, start):
    out = tmp_path / name
    assert main(["report", str(_model(tmp_path)), "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith(start)
