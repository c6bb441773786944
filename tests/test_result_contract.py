"""The result contract, checked on every exported result type.

Result types are found, not listed: every class that a public module exports
and that a public function or method returns (read from its return annotation),
or whose name says it is a result. A result type added later without an example
here, or without the contract, fails this file.
"""

from __future__ import annotations

import html
import inspect
import json
import re

import attrs
import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit._results import FrozenDict, Summary
from public import public_members, public_methods, public_modules

RESULT_NAME = re.compile(r"(Result|Estimate|Evaluation|Simulation|MonteCarlo|Story)$")

NOT_RESULTS = {
    # specifications and building blocks that public functions return
    "ImpactModel": "the model itself (a specification)",
    "Input": "an input of the model (a specification)",
    "Constant": "a discount specification",
    "Normal": "a distribution",
    "Link": "a node of the theory of change (a specification)",
    "Node": "a node of the theory of change (a specification)",
    "Stakeholder": "part of the theory of change (a specification)",
    "Problem": "an error detail",
    "Registry": "the calculator registry",
    "Summary": "the contract's own display value",
    "Distribution": "the base of the distributions (specifications)",
    "TheoryOfChange": "the theory-of-change builder (a specification)",
    "ValidationError": "an exception",
    "CounterfactualDeadweight": "a calculator (a specification), built from its file form",
    "LogNormal": "a distribution (a specification)",
    "PriceIndex": "a price index (a specification)",
    "UnitCost": "a unit cost of a catalogue (a specification)",
    "Scale": "a questionnaire scale (a specification)",
    "Evidence": "a qualitative record, a field of the model (a specification)",
    "Engagement": "a record of stakeholder engagement, a field of the model (a specification)",
    "QdaProject": "a REFI-QDA project read from a file: codes and codings (input data)",
    "FinancialProxy": "a financial proxy of a value map (a specification)",
    "EquityWeights": "distributional weights passed to sroi or cba (a specification)",
}


def _exported_classes(mods):
    out = {}
    for _, _, obj in public_members(mods):
        if inspect.isclass(obj):
            out.setdefault(obj.__name__, obj)
    return out


def _public_callables(mods):
    for _, _, obj in public_members(mods):
        if inspect.isfunction(obj):
            yield obj
        else:
            yield from (m for _, m in public_methods(obj))
            for attr, member in vars(obj).items():
                if not attr.startswith("_") and isinstance(member, property):
                    yield member.fget


def result_types():
    mods = public_modules()
    classes = _exported_classes(mods)
    found = {name for name in classes if RESULT_NAME.search(name)}
    for fn in _public_callables(mods):
        ret = fn.__annotations__.get("return")
        text = ret if isinstance(ret, str) else getattr(ret, "__name__", "")
        found |= {w for w in re.findall(r"[A-Za-z_]\w*", text) if w in classes}
    return {name: classes[name] for name in sorted(found - set(NOT_RESULTS))}


# --- one example of each result type ----------------------------------------------------


def _model():
    return ik.examples.load_example()


def _sroi():
    return ik.sroi(_model(), data=ik.examples.load_example_data())


def _effect():
    rng = np.random.default_rng(0)
    df = pd.DataFrame({"t": np.repeat([0, 1], 40), "x": rng.normal(size=80)})
    df["y"] = 1.0 + 0.5 * df["t"] + df["x"] + rng.normal(size=80)
    return ik.attribution.InverseProbabilityWeighting(estimand="ATE").estimate(
        df, outcome="y", treatment="t", covariates=["x"]
    )


def _cba():
    flows = pd.DataFrame(
        [(0, 1000.0, "cost", "etat", False), (1, 600.0, "benefit", "beneficiaries", False)],
        columns=["year", "amount", "kind", "perspective", "transfer"],
    )
    return ik.methods.cba(flows, discount=0.03)


def _contract():
    m = ik.methods
    return m.OutcomesContract(
        rules=[m.PaymentRule("jobs", price=4_000, period=2)], drawdowns=[100_000]
    )


def _avoided():
    m = ik.methods
    night = ik.valuation.UnitCost("night", "Shelter night", 30.0, "night", "etat", 2024, "x")
    cat = {"night": night}
    return m.avoided_costs(
        [m.AvoidedCostItem("night", people=10, reduction=100)], cat, public_funding=20_000
    )


def _portfolio():
    outcomes = pd.DataFrame(
        {
            "site": ["a", "a", "b"],
            "outcome": ["o1", "o2", "o1"],
            "stakeholder": ["s", "s", "s"],
            "quantity": [10.0, 5.0, 8.0],
            "quantity_low": [8.0, 4.0, 6.0],
            "quantity_high": [12.0, 6.0, 9.0],
            "proxy": [1000.0, 2000.0, 1000.0],
            "duration": [2, 1, 3],
        }
    )
    inputs = pd.DataFrame({"site": ["a", "b"], "amount": [5000.0, 4000.0]})
    return ik.portfolio.monte_carlo(outcomes, inputs, n=200, seed=1)


def _rollout(n=60, periods=5, seed=0):
    rng = np.random.default_rng(seed)
    cohort = rng.choice([0, 3, 4], size=n)
    rows = [
        {
            "id": i,
            "t": t,
            "g": int(cohort[i]),
            "y": 0.3 * t + (1.0 if cohort[i] and t >= cohort[i] else 0.0) + rng.normal(),
        }
        for i in range(n)
        for t in range(1, periods + 1)
    ]
    return pd.DataFrame(rows)


def _clusters(n_g=8, seed=0):
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_g), 20)
    df = pd.DataFrame({"g": g, "x": rng.normal(size=g.size)})
    df["y"] = 0.2 * df["x"] + rng.normal(size=n_g)[g] + rng.normal(size=g.size)
    return df


def _items(seed=0):
    rng = np.random.default_rng(seed)
    trait = rng.normal(size=80)
    return pd.DataFrame({f"q{k}": trait + rng.normal(scale=0.8, size=80) for k in range(4)})


def _survey():
    import tempfile
    from pathlib import Path

    with tempfile.TemporaryDirectory() as tmp:
        p = Path(tmp) / "export.csv"
        p.write_text("start;grp/age;grp/score;_uuid\n2024-01-01;34;12,5;a1\n", encoding="utf-8")
        return ik.io.read_survey(p, form=["age", "score", "poids"])


_PANEL = {"outcome": "y", "entity": "id", "time": "t", "cohort": "g"}

EXAMPLES = {
    "SROIResult": _sroi,
    "Lineage": lambda: _sroi().explain(0),
    "MonteCarloResult": lambda: ik.monte_carlo(
        _model(), n=500, seed=1, data=ik.examples.load_example_data()
    ),
    "Evaluation": lambda: ik.evaluate(_model(), data=ik.examples.load_example_data()),
    "EffectEstimate": _effect,
    "DeadweightEstimate": lambda: ik.attribution.deadweight_from_effect(
        _effect(), 0.8, n_treated=40
    ),
    "ShapleyResult": lambda: ik.attribution.shapley(
        [1, 2], {(1,): 10, (2,): 20, (1, 2): 50}, seed=0
    ),
    "ContributionStory": lambda: ik.attribution.contribution_story(_model().toc),
    "MeasureResult": lambda: ik.measure.Threshold(column="y", at_least=1).compute(
        pd.DataFrame({"y": [0, 1, 2, None]})
    ),
    "EQ5DIndexResult": lambda: ik.measure.eq5d5l_index(
        pd.DataFrame({c: [1, 3, None] for c in ik.measure.EQ5D5L_COLUMNS}), value_set="france"
    ),
    "QALYResult": lambda: ik.measure.QALYGain(baseline="a", followup="b", horizon=2).compute(
        pd.DataFrame({"a": [0.5, 0.6], "b": [0.7, 0.65]})
    ),
    "SurveyResult": lambda: _survey(),
    "CBAResult": _cba,
    "ContractResult": lambda: _contract().settle({"jobs": 30}),
    "ContractSimulation": lambda: _contract().simulate(
        {"jobs": ik.dist.Triangular(10, 30, 40)}, n=300, seed=2
    ),
    "AvoidedCostsResult": _avoided,
    "CostPerOutcome": lambda: ik.methods.cost_per_outcome(100_000, 50, deadweight=0.6),
    "PortfolioMonteCarlo": _portfolio,
    "Finding": lambda: ik.lint(_model())[0],
    "StaggeredResult": lambda: ik.attribution.StaggeredDiD().estimate(_rollout(), **_PANEL),
    "EventStudyResult": lambda: ik.attribution.SunAbraham().estimate(_rollout(), **_PANEL),
    "BaconDecomposition": lambda: ik.attribution.bacon_decomposition(_rollout(), **_PANEL),
    "WildClusterResult": lambda: ik.attribution.wild_cluster_test(
        _clusters(), outcome="y", regressor="x", cluster="g", n_bootstrap=99, seed=0
    ),
    "ReliabilityResult": lambda: ik.measure.cronbach_alpha(_items()),
    "ReliableChangeResult": lambda: ik.measure.ReliableChange(
        baseline="pre", followup="post", reliability=0.85, sd=5.0
    ).compute(pd.DataFrame({"pre": [10.0, 12, 15, 9, None], "post": [20.0, 13, 4, 9, 11]})),
    "NetworkAnalysis": lambda: ik.portfolio.analyse_network(
        *ik.examples.synthetic_network(30, seed=0)
    ),
    "ExampleInfo": lambda: ik.examples.describe("insertion_iae"),
    "Agreement": lambda: ik.qualitative.agreement(
        pd.DataFrame(
            [(u, c, (u + (c == "b" and u % 3 == 0)) % 3) for u in range(12) for c in "abc"],
            columns=["entity", "coder", "code"],
        ),
        entity="entity",
        coder="coder",
        code="code",
    ),
    "StakeholderVoice": lambda: ik.qualitative.stakeholder_voice(
        ik.sroi(
            _model().evolve(
                evidence=ik.examples.load_example_interviews()[1],
                engagement=ik.examples.load_example_interviews()[2],
            ),
            data=ik.examples.load_example_data(),
        )
    ),
    "WeightedOutcomes": lambda: ik.methods.weighted_outcomes(
        ik.ImpactModel(
            name="m",
            outcomes=[
                ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=10, proxy=0),
                ik.OutcomeValuation(outcome="b", stakeholder="s", quantity=4, proxy=0),
            ],
        ),
        pd.DataFrame({"outcome": ["a", "a", "b"], "importance": [5, 4, 3], "change": [2, 4, 3]}),
        n_draws=100,
        seed=0,
    ),
    "AcceptabilityResult": lambda: ik.uncertainty.acceptability(
        np.column_stack([np.zeros(200), np.linspace(800, 1000, 200)]),
        np.column_stack([np.zeros(200), np.linspace(0.2, 0.4, 200)]),
        wtp=[0, 2_000, 5_000],
    ),
    "EVPPIResult": lambda: ik.uncertainty.evppi(
        np.linspace(-1, 1, 300) + np.sin(np.arange(300)),
        np.linspace(-1, 1, 300),
        n_bootstrap=5,
        seed=0,
    ),
    "VOIResult": lambda: ik.uncertainty.value_of_information(
        np.linspace(-1, 1, 300) + np.sin(np.arange(300)),
        pd.DataFrame({"a": np.linspace(-1, 1, 300), "b": np.cos(np.arange(300))}),
        n_bootstrap=5,
        seed=0,
    ),
    "SobolResult": lambda: ik.uncertainty.sobol_indices(
        lambda x: x[:, 0] + 2 * x[:, 1],
        {"a": ik.dist.Uniform(0, 1), "b": ik.dist.Uniform(0, 1)},
        n=64,
        seed=0,
        n_bootstrap=10,
    ),
    "FunnelResult": lambda: ik.portfolio.funnel(
        pd.DataFrame({"site": list("abc"), "rate": [0.5, 0.8, 0.3], "n": [100, 25, 400]}),
        value="rate",
        n="n",
        site="site",
    ),
    "ShrinkageResult": lambda: ik.portfolio.shrink(
        pd.Series([0.2, 0.5, 0.9], index=["a", "b", "c"]), [0.1, 0.1, 0.3], seed=0
    ),
    "ReportContent": lambda: ik.report.analyse(
        _model(), data=ik.examples.load_example_data(), n_draws=300, seed=1
    ),
}


RESULTS = result_types()


def test_known_result_types_are_found():
    for name in (
        "SROIResult",
        "MonteCarloResult",
        "EffectEstimate",
        "DeadweightEstimate",
        "ShapleyResult",
        "MeasureResult",
        "CBAResult",
        "ContractResult",
        "AvoidedCostsResult",
        "PortfolioMonteCarlo",
        "Evaluation",
    ):
        assert name in RESULTS, name


def test_exclusions_are_current():
    classes = _exported_classes(public_modules())
    assert set(NOT_RESULTS) <= set(classes)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_every_result_type_has_an_example(name):
    assert name in EXAMPLES, (
        f"{name} is a public result type: add an example to EXAMPLES in "
        "tests/test_result_contract.py so the contract is checked"
    )


def _example(name):
    if name not in EXAMPLES:
        pytest.skip(f"no example for {name} (reported by the test above)")
    res = EXAMPLES[name]()
    assert type(res) is RESULTS[name]
    return res


def _field_values(res):
    for a in attrs.fields(type(res)):
        yield a, getattr(res, a.name)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_frozen_and_hashable(name):
    res = _example(name)
    cls = type(res)
    assert attrs.has(cls)
    first = attrs.fields(cls)[0].name
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        setattr(res, first, getattr(res, first))
    assert hash(res) == hash(res)
    assert res == res


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_no_mutable_container_inside(name):
    res = _example(name)
    for a, v in _field_values(res):
        assert not isinstance(v, dict | list | set), (
            f"{name}.{a.name} holds a mutable {type(v).__name__}; use freeze()"
        )
        if isinstance(v, FrozenDict):
            assert hash(v) == hash(v)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_to_frame(name):
    res = _example(name)
    df = res.to_frame()
    assert isinstance(df, pd.DataFrame)
    assert all(isinstance(c, str) for c in df.columns), list(df.columns)
    if len(df) and len(df.columns):
        # a copy: changing it leaves the result unchanged
        before = res.to_frame()
        df.iloc[0, 0] = None
        pd.testing.assert_frame_equal(res.to_frame(), before)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_to_dict_is_json_ready(name):
    res = _example(name)
    d = res.to_dict()
    assert isinstance(d, dict)
    text = json.dumps(d, allow_nan=False)
    assert json.loads(text) == d


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_summary(name):
    res = _example(name)
    s = res.summary()
    assert isinstance(s, Summary)
    assert s.title
    assert str(s).startswith(s.title)
    assert "<h4>" in s._repr_html_()


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_short_repr_and_rich_display(name):
    """One line under 200 characters with the headline figures; an HTML table in notebooks."""
    res = _example(name)
    text = repr(res)
    assert len(text) < 200, text
    assert "\n" not in text
    assert text.startswith(f"<{name}")
    page = res._repr_html_()
    assert page.startswith('<div class="impactkit-summary"><h4>')
    headline = type(res)._display_headline or (res.summary().lines[0][0],)
    first_row = page.split("<tr>")[1]
    assert first_row.startswith('<th style="text-align:left">'), first_row
    assert html.escape(headline[0]) in first_row, (headline, first_row)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_model_inside_round_trips(name):
    res = _example(name)
    model = getattr(res, "model", None)
    if model is None:
        pytest.skip("no model inside")
    back = ik.io.from_dict(res.to_dict()["model_spec"])
    assert back == model
    assert ik.sroi(back).present_value == pytest.approx(res.present_value, rel=1e-12)


@pytest.mark.parametrize("name", sorted(RESULTS))
def test_explain_where_lineage_exists(name):
    res = _example(name)
    has_lineage = any("lineage" in a.name for a in attrs.fields(type(res))) or (
        getattr(res, "sroi", None) is not None
    )
    if not has_lineage:
        pytest.skip("no lineage")
    lin = res.explain(0)
    assert lin.row == 0
    assert lin.steps


def test_level_defaults_agree():
    """One rule: every interval defaults to 95 %."""
    from impactkit._results import DEFAULT_LEVEL

    assert DEFAULT_LEVEL == 0.95
    mc = EXAMPLES["MonteCarloResult"]()
    assert mc.interval() == mc.interval(0.95)
    est = _effect()
    assert est.interval() == est.interval(0.95)
    defaults = {
        inspect.signature(ik.uncertainty.MonteCarloResult.interval).parameters["level"].default,
        inspect.signature(ik.attribution.EffectEstimate.interval).parameters["level"].default,
        inspect.signature(ik.measure.wilson_interval).parameters["level"].default,
    }
    assert defaults == {DEFAULT_LEVEL}
