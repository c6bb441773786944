"""Every command that computes from a model validates it first: a model that
``impactkit validate`` rejects stops ``sroi``, ``sroi --mc``, ``report`` and ``toc`` with
exit 1 and the same problems, and nothing is written; ``lint`` lists them with its hints."""

from __future__ import annotations

import json

import pytest

import impactkit as ik
from impactkit.cli import main

from strategies import synthetic_model


@pytest.fixture
def duplicated(tmp_path):
    """A model whose first value-map row is repeated: its value would count twice."""
    data = ik.io.to_dict(synthetic_model())
    data["outcomes"].append(data["outcomes"][0])
    p = tmp_path / "dup.json"
    p.write_text(json.dumps(data))
    return p


def commands(p, out):
    return {
        "sroi": ["sroi", str(p)],
        "sroi json": ["sroi", str(p), "--format", "json"],
        "monte carlo": ["sroi", str(p), "--mc", "200", "--seed", "1"],
        "report": ["report", str(p), "-o", str(out / "r.html")],
        "markdown report": ["report", str(p), "-o", str(out / "r.md")],
        "toc": ["toc", str(p)],
    }


def test_validate_rejects_the_duplicated_row(duplicated, capsys):
    assert main(["validate", str(duplicated)]) == 1
    assert "duplicate_row" in capsys.readouterr().out


@pytest.mark.parametrize(
    "name", ["sroi", "sroi json", "monte carlo", "report", "markdown report", "toc"]
)
def test_no_command_computes_from_a_rejected_model(duplicated, tmp_path, capsys, name):
    args = commands(duplicated, tmp_path)[name]
    assert main(args) == 1
    out, err = capsys.readouterr()
    assert "outcomes[2]" in err
    assert "duplicate_row" in err
    assert "ratio" not in out.lower()
    assert not (tmp_path / "r.html").exists()
    assert not (tmp_path / "r.md").exists()


def test_an_excel_value_map_is_validated_too(tmp_path, capsys):
    m = synthetic_model()
    p = tmp_path / "dup.xlsx"
    ik.io.write_value_map(m.evolve(outcomes=[*m.outcomes, m.outcomes[0]]), p)
    assert main(["sroi", str(p)]) == 1
    assert "duplicate_row" in capsys.readouterr().err


def test_a_look_alike_outcome_id_stops_the_command(tmp_path, capsys):
    data = ik.io.to_dict(synthetic_model())
    # "аa": a Cyrillic a, then a Latin one, beside the outcome "a"
    data["outcomes"].append(dict(data["outcomes"][0], outcome="\u0430a"))
    p = tmp_path / "m.json"
    p.write_text(json.dumps(data), encoding="utf-8")
    assert main(["sroi", str(p)]) == 1
    assert "invalid_identifier" in capsys.readouterr().err


def test_warnings_do_not_stop_a_command(tmp_path, capsys):
    p = tmp_path / "m.json"
    ik.dump(ik.examples.load_example(), p)  # valid, with one warning
    assert main(["sroi", str(p)]) == 0
    assert "ratio" in capsys.readouterr().out.lower()


def test_lint_lists_the_problem_with_its_hint(duplicated, capsys):
    assert main(["lint", str(duplicated)]) == 1
    assert "duplicate_row" in capsys.readouterr().out
