"""The benchmark runner reports missed goals, and fails on them with ``--strict``."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

RUN = Path(__file__).resolve().parents[1] / "benchmarks" / "run.py"


@pytest.fixture
def runner() -> ModuleType:
    spec = importlib.util.spec_from_file_location("impactkit_benchmark_runner", RUN)
    assert spec is not None
    assert spec.loader is not None
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def _case(ok: bool) -> Any:
    def fn(quick: bool) -> list[dict[str, Any]]:
        return [{"measure": "m", "impactkit_s": 1.0, "baseline": "b", "baseline_s": 1.0,
                 "ratio": 1.0, "goal": "<= 1", "ok": ok, "note": ""}]  # fmt: skip

    return fn


@pytest.mark.parametrize("ok", [True, False])
def test_default_run_stays_informative(
    runner: ModuleType, tmp_path: Path, ok: bool, capsys: pytest.CaptureFixture[str]
) -> None:
    runner.CASES.clear()
    runner.CASES["probe"] = _case(ok)
    out = tmp_path / "r.json"
    assert runner.main(["--only", "probe", "--out", str(out)]) == 0
    assert json.loads(out.read_text())["cases"]["probe"][0]["ok"] is ok
    assert ("Goals missed" in capsys.readouterr().out) is not ok


@pytest.mark.parametrize("ok", [True, False])
def test_strict_run_fails_on_a_missed_goal(runner: ModuleType, tmp_path: Path, ok: bool) -> None:
    runner.CASES.clear()
    runner.CASES["probe"] = _case(ok)
    code = runner.main(["--only", "probe", "--strict", "--out", str(tmp_path / "r.json")])
    assert code == (0 if ok else 1)
