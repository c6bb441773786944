"""Start-up stays light: what `import impactkit`, the CLI parser and the SROI path load.

Each check runs in a fresh interpreter, so the modules loaded are those of that path
only. Timings are measured by benchmarks/run.py; these tests guard what makes them.
"""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

HEAVY = ("scipy.stats", "scipy.optimize", "networkx", "matplotlib", "statsmodels", "sklearn")


def loaded(code: str) -> set[str]:
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            f"{code}\nimport json, sys\nprint(json.dumps(sorted(sys.modules)))",
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return set(json.loads(out.strip().splitlines()[-1]))


def test_import_impactkit_loads_only_the_package_root():
    mods = loaded("import impactkit")
    assert {m for m in mods if m.startswith("impactkit")} <= {
        "impactkit",
        "impactkit._version",
    }
    assert "numpy" not in mods
    assert "pandas" not in mods


def test_cli_parser_needs_no_computation_module():
    mods = loaded("from impactkit.cli import build_parser\nbuild_parser()")
    assert {m for m in mods if m.startswith("impactkit")} <= {
        "impactkit",
        "impactkit._version",
        "impactkit.cli",
        "impactkit.cli._main",
        "impactkit.cli._network",
        "impactkit.errors",
    }
    assert "numpy" not in mods


@pytest.mark.parametrize(
    "code",
    [
        "import impactkit as ik\nik.ImpactModel, ik.sroi, ik.monte_carlo",
        "from impactkit.examples import run_demo\nrun_demo(n_draws=100, seed=0)",
    ],
    ids=["sroi_path", "demo"],
)
def test_the_sroi_path_loads_no_heavy_module(code):
    mods = loaded(code)
    heavy = sorted(m for m in HEAVY if m in mods)
    assert not heavy, (
        f"imported at start-up: {heavy}; import them inside the functions that use them"
    )


def test_lazy_names_work_as_eager_imports():
    mods = loaded(
        "import impactkit as ik\n"
        "from impactkit import sroi, attribution\n"
        "assert ik.attribution is attribution and callable(sroi)\n"
        "assert 'monte_carlo' in dir(ik)\n"
        "import impactkit.toc as t\nassert ik.toc is t"
    )
    assert "impactkit.attribution" in mods
