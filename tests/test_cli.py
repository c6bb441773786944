"""The impactkit command, through subprocesses as a user runs it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

import impactkit as ik

from strategies import synthetic_model


def run(*args, check=False):
    proc = subprocess.run(
        [sys.executable, "-m", "impactkit.cli", *args], capture_output=True, text=True, timeout=120
    )
    if check:
        assert proc.returncode == 0, proc.stderr
    return proc


@pytest.fixture
def model_file(tmp_path):
    p = tmp_path / "model.yaml"
    ik.dump(ik.examples.load_example(), p)
    return p


def test_help_everywhere():
    for args in ([], ["validate"], ["toc"], ["schema"], ["demo"], ["sroi"]):
        proc = run(*args, "--help")
        assert proc.returncode == 0
        assert "usage" in proc.stdout


def test_validate_ok(model_file):
    proc = run("validate", str(model_file), check=True)
    assert "valid" in proc.stdout


def test_validate_lists_every_problem(tmp_path):
    data = ik.io.to_dict(synthetic_model())
    data["outcomes"][0]["deadweight"] = 1.5
    data["outcomes"][1]["attribution"] = -1
    p = tmp_path / "bad.json"
    p.write_text(json.dumps(data))
    proc = run("validate", str(p))
    assert proc.returncode == 1
    assert "outcomes[0].deadweight" in proc.stdout
    assert "outcomes[1].attribution" in proc.stdout


def test_validate_graph_errors(tmp_path):
    m = ik.examples.load_example()
    toc = m.toc.copy()  # the model holds a frozen theory of change
    toc.add_link("inclusion", "coaching")  # backwards, not feedback
    p = tmp_path / "cyc.json"
    ik.dump(m.evolve(toc=toc), p)
    proc = run("validate", str(p))
    assert proc.returncode == 1
    assert "backwards_link" in proc.stdout


def test_toc_formats(model_file):
    assert run("toc", str(model_file), check=True).stdout.startswith("flowchart LR")
    assert run("toc", str(model_file), "--format", "dot", check=True).stdout.startswith("digraph")
    assert "<graphml" in run("toc", str(model_file), "--format", "graphml", check=True).stdout
    data = json.loads(run("toc", str(model_file), "--format", "json", check=True).stdout)
    assert data["nodes"]


def test_schema_prints_json():
    schema = json.loads(run("schema", check=True).stdout)
    assert schema["title"] == "impactkit model file"


def test_sroi_json(tmp_path):
    p = tmp_path / "m.json"
    ik.dump(synthetic_model(), p)
    out = json.loads(run("sroi", str(p), "--format", "json", "--mc", "2000", check=True).stdout)
    assert out["sroi"]["ratio"] == pytest.approx(2.3399, abs=1e-4)
    assert out["monte_carlo"]["n"] == 2000


def test_missing_file_exit_2(tmp_path):
    proc = run("validate", str(tmp_path / "nope.json"))
    assert proc.returncode == 2
    assert "impactkit:" in proc.stderr


def test_demo_runs():
    proc = run("demo", "--mc", "2000", check=True)
    for text in ("Theory of change", "missing=", "SROI ratio", "Monte Carlo"):
        assert text in proc.stdout


def test_lint_command(tmp_path):
    p = tmp_path / "m.json"
    ik.dump(synthetic_model(base_year=2024), p)
    proc = run("lint", str(p), check=True)
    assert "proxy_no_source" in proc.stdout
    assert "hint:" in proc.stdout
    assert run("lint", str(p), "--strict").returncode == 1


def test_data_option(tmp_path):
    p = tmp_path / "m.json"
    ik.dump(ik.examples.load_example(measured=False), p)
    files = ik.examples.load_example_data()
    args = []
    for name, df in files.items():
        f = tmp_path / f"{name}.csv"
        df.to_csv(f, index=False)
        args += ["--data", f"{name}={f}"]
    out = json.loads(run("sroi", str(p), "--format", "json", *args, check=True).stdout)
    ref = ik.sroi(ik.examples.load_example(measured=False), data=files)
    assert out["sroi"]["ratio"] == pytest.approx(ref.ratio)
    assert run("sroi", str(p)).returncode == 1  # measured quantities need data


def test_sroi_json_matches_documented_schema(tmp_path):
    import jsonschema

    from impactkit.cli import SROI_JSON_SCHEMA

    p = tmp_path / "m.json"
    ik.dump(synthetic_model(), p)
    for extra in ([], ["--mc", "1000"]):
        out = json.loads(run("sroi", str(p), "--format", "json", *extra, check=True).stdout)
        jsonschema.validate(out, SROI_JSON_SCHEMA)


def test_report_command(tmp_path):
    p = tmp_path / "m.json"
    ik.dump(synthetic_model(), p)
    html = tmp_path / "r.html"
    run("report", str(p), "-o", str(html), "--lang", "fr", check=True)
    assert "Retour social sur investissement" in html.read_text(encoding="utf-8")
    md = tmp_path / "r.md"
    run("report", str(p), "-o", str(md), check=True)
    assert md.read_text(encoding="utf-8").startswith("# Social return on investment")
