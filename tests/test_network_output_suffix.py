"""``impactkit network -o`` writes only what its suffix says, like ``impactkit report``."""

from __future__ import annotations

from pathlib import Path

import pytest

import impactkit as ik
from impactkit.cli import main


@pytest.fixture
def tables(tmp_path: Path) -> tuple[Path, Path]:
    outcomes, inputs = ik.examples.synthetic_network(12, seed=0)
    out, inp = tmp_path / "outcomes.csv", tmp_path / "inputs.csv"
    outcomes.to_csv(out, index=False)
    inputs.to_csv(inp, index=False)
    return out, inp


@pytest.mark.parametrize("name", ["r.docx", "r.txt", "r"])
def test_an_unknown_suffix_is_refused_before_any_work(tables, tmp_path, name, capsys):
    out, inp = tables
    target = tmp_path / name
    assert main(["network", str(out), str(inp), "-o", str(target)]) == 2
    assert not target.exists()
    assert "n'en fait pas partie" in capsys.readouterr().err  # network speaks French
    assert main(["network", str(out), str(inp), "-o", str(target), "--lang", "en"]) == 2
    assert not target.exists()
    assert "is not one of them" in capsys.readouterr().err


@pytest.mark.parametrize(("name", "start"), [("r.HTML", "<!DOCTYPE"), ("r.Md", "#")])
def test_suffixes_are_read_in_any_case(tables, tmp_path, name, start):
    out, inp = tables
    target = tmp_path / name
    assert main(["network", str(out), str(inp), "-o", str(target)]) == 0
    assert target.read_text(encoding="utf-8").lstrip().startswith(start)
