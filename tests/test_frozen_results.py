"""Results are values: their mappings are read-only and the results hash."""

from __future__ import annotations

import json

import attrs
import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import attribution as att
from impactkit.measure import MeasureResult
from impactkit.model._valuemap import compile_model


@pytest.fixture(scope="module")
def estimate():
    rng = np.random.default_rng(0)
    n = 300
    x = rng.normal(size=n)
    w = (rng.random(n) < 1 / (1 + np.exp(-0.5 * x))).astype(float)
    y = w + x + rng.normal(size=n)
    y[:3] = np.nan
    df = pd.DataFrame({"x": x, "w": w, "y": y})
    return att.InverseProbabilityWeighting(dropna=True).estimate(
        df, outcome="y", treatment="w", covariates=["x"]
    )


def test_effect_estimate_mappings_are_read_only(estimate):
    assert estimate.dropped == {"missing": 3}
    with pytest.raises(TypeError):
        estimate.dropped["missing"] = 0  # type: ignore[index]
    with pytest.raises(TypeError):
        estimate.diagnostics["overlap"] = {}  # type: ignore[index]
    with pytest.raises(TypeError):
        estimate.diagnostics["overlap"]["min"] = 0.5  # type: ignore[index]
    with pytest.raises(ValueError, match="read-only"):
        estimate.diagnostics["propensity"][0] = 0.5


def test_effect_estimate_hashes_and_round_trips_to_json(estimate):
    twin = attrs.evolve(estimate, dropped=dict(estimate.dropped))
    assert twin == estimate
    assert hash(twin) == hash(estimate)
    d = estimate.to_dict()
    json.dumps(d, allow_nan=False)
    assert d["dropped"] == {"missing": 3}
    assert isinstance(d["diagnostics"]["overlap"], dict)


def test_every_estimator_result_hashes():
    rng = np.random.default_rng(1)
    n = 200
    x = rng.normal(size=n)
    w = (rng.random(n) < 0.5).astype(float)
    df = pd.DataFrame({"x": x, "w": w, "y": w + x + rng.normal(size=n)})
    for est in (
        att.DifferenceInMeans(),
        att.RegressionAdjustment(),
        att.DoublyRobust(),
        att.PropensityScoreMatching(),
        att.InverseProbabilityWeighting(),
    ):
        kw = {} if isinstance(est, att.DifferenceInMeans) else {"covariates": ["x"]}
        r = est.estimate(df, outcome="y", treatment="w", **kw)
        assert isinstance(hash(r), int)


def test_sroi_measured_is_read_only():
    model = ik.examples.load_example(measured=False)
    res = ik.sroi(model, data=ik.examples.load_example_data())
    assert len(res.measured) > 0
    k = next(iter(res.measured))
    with pytest.raises(TypeError):
        res.measured[k] = None  # type: ignore[index]
    assert isinstance(hash(res), int)


def test_measure_result_calculator_is_read_only():
    r = MeasureResult(
        quantity=3.0, n=10, missing=1, calculator={"calculator": "count", "where": [{"a": 1}]}
    )
    with pytest.raises(TypeError):
        r.calculator["calculator"] = "sum"  # type: ignore[index]
    with pytest.raises(TypeError):
        r.calculator["where"][0]["a"] = 2  # type: ignore[index]
    assert isinstance(hash(r), int)
    assert r.describe().startswith("count on data")


def test_value_map_kind_index_is_read_only():
    vm = compile_model(ik.examples.load_example())
    kind = next(iter(vm.kind_index))
    with pytest.raises(TypeError):
        vm.kind_index[kind] = np.array([0])  # type: ignore[index]
    with pytest.raises(ValueError, match="read-only"):
        vm.kind_index[kind][0] = 0


def test_binding_lineage_is_read_only_and_hashes():
    from impactkit.measure import bind

    ov = ik.OutcomeValuation(
        outcome="employed",
        stakeholder="p",
        proxy=1000,
        quantity=ik.measure.Threshold(column="employed", at_least=1, data="survey"),
    )
    model = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)], outcomes=[ov])
    binding = bind(model, {"survey": pd.DataFrame({"employed": [1, 0, 1, 1, None]})})
    assert binding.measured
    with pytest.raises(TypeError):
        binding.measured[0] = None  # type: ignore[index]
    assert hash(binding) == hash(attrs.evolve(binding))
