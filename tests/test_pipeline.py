"""The evaluation pipeline: per-node measures, SROI, lineage, bad input."""

from __future__ import annotations

import math

import pandas as pd
import pytest

import impactkit as ik


def test_evaluate_example():
    model = ik.examples.load_example()
    data = ik.examples.load_example_data()
    ev = ik.evaluate(model, data=data)
    assert ev.mode == "evaluative"
    sessions = ev.measures[ev.measures["node"] == "sessions"].iloc[0]
    assert sessions["quantity"] == len(data["sessions"])
    assert sessions["indicator"] is None
    emp = ev.measures[ev.measures["indicator"] == "employed"].iloc[0]
    assert emp["n"] + emp["missing"] == len(data["participants"])
    res = ik.sroi(model, data=data)
    assert ev.sroi is not None
    assert ev.sroi.ratio == res.ratio
    by = ev.by_node.set_index("node")
    assert by["present_value"].sum() == pytest.approx(res.present_value)
    assert by.loc["inclusion", "measured"] is None
    for v in ev.by_node["present_value"]:
        assert math.isfinite(v)
    d = ev.to_dict()
    assert d["mode"] == "evaluative"
    assert "SROI ratio" in str(ev.summary())


def test_evaluate_reports_every_missing_source_with_paths():
    model = ik.examples.load_example(measured=False)
    data = ik.examples.load_example_data()
    broken = {
        "participants": data["participants"].drop(columns=["employed_12m", "hours_week_12m"])
    }
    with pytest.raises(ik.ValidationError) as ei:
        ik.evaluate(model, data=broken)
    paths = set(ei.value.paths)
    assert "toc.nodes.sessions.measure.data" in paths
    assert "toc.nodes.employed_12m.indicators[0].measure.column" in paths
    assert "outcomes[0].quantity.column" in paths


def test_measures_round_trip_in_files(tmp_path):
    model = ik.examples.load_example()
    ik.dump(model, tmp_path / "m.yaml")
    back = ik.load(tmp_path / "m.yaml")
    assert back == model
    assert isinstance(back.toc.node("sessions").measure, ik.measure.Count)


def test_bad_measure_in_toc_file():
    data = ik.io.to_dict(ik.examples.load_example())
    data["toc"]["nodes"][4]["measure"] = {"calculator": "nope"}
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.from_dict(data)
    assert "toc.nodes[4].measure.calculator" in ei.value.paths
    with pytest.raises(ik.ValidationError):
        ik.toc.Node("x", "output", "X", measure="count rows")


def test_model_without_toc_or_inputs():
    m = ik.ImpactModel(
        name="bare",
        outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1, proxy=1)],
    )
    ev = ik.evaluate(m)
    assert ev.sroi is None
    assert ev.measures.empty
    assert isinstance(ev.by_node, pd.DataFrame)
