"""Registries: built-ins, plugin discovery through entry points, contract checks."""

from __future__ import annotations

import sys
import warnings
from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik
from impactkit import registry
from impactkit.testing import check_measure_calculator

PLUGIN_DIR = Path(__file__).parent / "plugins"


@pytest.fixture
def installed_plugin(tmp_path, monkeypatch):
    """Install the plugin the way an installer does: a dist-info with entry points."""
    dist = tmp_path / "impactkit_demo_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: impactkit-demo-plugin\nVersion: 1.0\n"
    )
    (dist / "entry_points.txt").write_text(
        "[impactkit.outcome]\nabove_median = impactkit_demo_plugin:AboveMedian\n"
        "broken = impactkit_demo_plugin:DoesNotExist\n"
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(PLUGIN_DIR))
    yield
    sys.modules.pop("impactkit_demo_plugin", None)


def test_builtin_names():
    assert {"threshold", "prepost", "proportion", "distance_travelled"} <= set(
        ik.registry.names("outcome")
    )
    assert {"count", "sum"} <= set(ik.registry.names("output"))
    assert "financial_proxy" in ik.registry.names("valuation")


def test_unknown_name_lists_available():
    with pytest.raises(ik.CalculatorNotFoundError, match=r"available: .*threshold"):
        registry.get("outcome", "nope")
    with pytest.raises(ik.CalculatorNotFoundError, match="stages"):
        registry.names("nowhere")


def test_registry_is_immutable_and_extends_by_copy():
    reg = registry.default_registry("outcome")
    with pytest.raises(TypeError):
        reg.builtins["x"] = object  # type: ignore[index]
    reg2 = reg.with_builtin("mine", ik.measure.Count)
    assert "mine" in reg2.names()
    assert "mine" not in reg.names()


def test_plugin_found_and_used_from_model_file(installed_plugin):
    with pytest.warns(ik.ImpactkitWarning, match="broken"):
        names = ik.registry.names("outcome")
    assert "above_median" in names
    data = ik.io.to_dict(
        ik.ImpactModel(
            name="p",
            inputs=[ik.Input("g", amount=100)],
            outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1, proxy=10)],
        )
    )
    data["outcomes"][0]["quantity"] = {
        "calculator": "above_median",
        "column": "score",
        "data": "survey",
    }
    model = ik.io.from_dict(data)
    res = ik.sroi(model, data={"survey": pd.DataFrame({"score": [1, 2, 3, 4, None]})})
    assert res.by_outcome["quantity"].item() == 2.0
    assert ik.io.from_dict(ik.io.to_dict(model)) == model
    with pytest.raises(ik.CalculatorNotFoundError, match="failed to load"):
        registry.get("outcome", "broken")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        check_measure_calculator(
            registry.get("outcome", "above_median")(column="score"),
            pd.DataFrame({"score": [1.0, 5.0, 3.0, None]}),
        )


CASES = {
    "count": (ik.measure.Count(unique="pid"), pd.DataFrame({"pid": [1, 2, 2, None]})),
    "sum": (ik.measure.Sum("h"), pd.DataFrame({"h": [1.0, None, 2.0]})),
    "prepost": (
        ik.measure.PrePost(baseline="a", followup="b"),
        pd.DataFrame({"a": [1, 2, 3, None], "b": [2, 2, 5, 1]}),
    ),
    "threshold": (
        ik.measure.Threshold(column="a", at_least=2),
        pd.DataFrame({"a": [1, 2, 3, None]}),
    ),
    "proportion": (
        ik.measure.Proportion(column="a", values=["y"]),
        pd.DataFrame({"a": ["y", "n", None, "y"]}),
    ),
    "distance_travelled": (
        ik.measure.DistanceTravelled(domains=["w"]),
        pd.DataFrame({"w_t0": [1, 2, None], "w_t1": [3, 2, 4]}),
    ),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_builtins_pass_the_contract(name):
    calc, df = CASES[name]
    assert type(calc).name == name
    check_measure_calculator(calc, df)
