"""Hostile input: a library error naming the path, never a traceback or a silent wrong number."""

from __future__ import annotations

import contextlib
import io
import json
import math

import attrs
import numpy as np
import pytest
from scipy import stats

import impactkit as ik
from impactkit import dist
from impactkit.cli import EXIT_INVALID, EXIT_USAGE, main
from impactkit.io import from_dict, loads, to_dict

from strategies import rich_model, synthetic_model


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def _codes(exc: pytest.ExceptionInfo[ik.ValidationError]) -> dict[str, str]:
    return {p.location: p.code for p in exc.value.problems}


# -- item 3: no non-finite results ---------------------------------------------------


def test_magnitudes_are_bounded_at_the_edge() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1e200, proxy=100)
    assert _codes(exc) == {"quantity": "too_large"}
    with pytest.raises(ik.ValidationError) as exc:
        ik.FinancialProxy(1e200)
    assert _codes(exc) == {"value": "too_large"}
    with pytest.raises(ik.ValidationError) as exc:
        ik.Input("Grant", amount=1e308)
    assert _codes(exc) == {"amount": "too_large"}
    with pytest.raises(ik.ValidationError) as exc:
        ik.Input("Grant", amount=dist.LogNormal(1e14, 1e16))
    assert _codes(exc) == {"amount": "too_large"}
    # the largest admitted values still give finite results
    m = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("g", amount=1.0)],
        outcomes=[
            ik.OutcomeValuation(
                outcome=f"o{i}", stakeholder="s", quantity=1e15, proxy=1e15, duration=300
            )
            for i in range(3)
        ],
    )
    res = ik.sroi(m)
    assert math.isfinite(res.ratio)
    json.dumps(res.to_dict(), allow_nan=False)


def test_tiny_beta_is_refused() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        dist.Beta(0.5, 1e-160)
    assert _codes(exc) == {"sd": "out_of_range"}


@pytest.mark.parametrize(("low", "high"), [(40.0, 41.0), (-41.0, -40.0), (8.0, 60.0)])
def test_truncated_normal_far_in_its_tail_is_sampled_inside_its_window(
    low: float, high: float
) -> None:
    d = dist.Normal(0.0, 1.0, low=low, high=high)
    x = d.sample(np.random.default_rng(0), 20_000)
    assert np.all(np.isfinite(x))
    assert x.min() >= low
    assert x.max() <= high
    q = np.array([0.001, 0.25, 0.5, 0.75, 0.999])
    np.testing.assert_allclose(d.ppf(q), stats.truncnorm.ppf(q, low, high), rtol=1e-9)
    assert x.mean() == pytest.approx(d.mean(), rel=1e-3)


def test_truncated_normal_moments_far_outside_the_mean() -> None:
    d = dist.Normal(1.8e11, 0.05, low=0.0, high=1.0)  # the window sits 3.6e12 sd below
    assert d.mean() == pytest.approx(1.0)
    assert 0.0 <= d.var() <= 0.25
    x = d.sample(np.random.default_rng(1), 1000)
    assert x.min() >= 0.0
    assert x.max() <= 1.0
    tail = dist.Normal(0.0, 1.0, low=40.0, high=41.0)
    a, b = 40.0, 41.0
    assert tail.mean() == pytest.approx(stats.truncnorm.mean(a, b), rel=1e-9)
    assert tail.var() == pytest.approx(stats.truncnorm.var(a, b), rel=1e-6)


def test_monte_carlo_of_a_far_tail_normal_agrees_with_the_point_value() -> None:
    m = ik.ImpactModel(
        name="m",
        discount=0.0,
        inputs=[ik.Input("g", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="o",
                stakeholder="s",
                quantity=dist.Normal(0.0, 1.0, low=40.0, high=41.0),
                proxy=100,
            )
        ],
    )
    point = ik.sroi(m).ratio
    mc = ik.monte_carlo(m, n=4096, seed=0)
    assert np.all(np.isfinite(mc.ratio))
    assert float(np.mean(mc.ratio)) == pytest.approx(point, rel=1e-3)


def test_results_are_checked_for_finiteness_by_field() -> None:
    from impactkit._validation import require_finite

    with pytest.raises(ik.ValidationError) as exc:
        require_finite({"present_value": 1.0, "ratio": np.inf, "draws": np.array([1, np.nan])})
    assert _codes(exc) == {"ratio": "not_finite", "draws": "not_finite"}
    assert "1 of 2" in str(exc.value)


# -- item 4: strict files ------------------------------------------------------------


def _doc() -> dict:
    return json.loads(json.dumps(to_dict(synthetic_model())))


def test_unknown_nested_keys_are_errors_with_a_suggestion() -> None:
    d = _doc()
    d["base_year"] = 2024
    d["price_index"] = {"values": {"2020": 100, "2024": 110}}
    d["outcomes"][0]["proxy"] = {"value": 100, "yaer": 2020}
    d["discount"] = {"rat": 0.03}
    d["inputs"][0]["amout"] = 5
    with pytest.raises(ik.ValidationError) as exc:
        from_dict(d)
    text = str(exc.value)
    assert "outcomes[0].proxy.yaer" in text
    assert "did you mean 'year'?" in text
    assert "did you mean 'rate'?" in text
    assert "did you mean 'amount'?" in text


@pytest.mark.parametrize("year", ["2023.7", "yes", "true", "-2020", "２０２０"])
def test_price_index_years_are_whole_numbers_in_files(year: str) -> None:
    d = _doc()
    d["price_index"] = {"values": {year: 100, "2024": 110}}
    with pytest.raises(ik.ValidationError, match="year must be a whole number"):
        from_dict(d)


@pytest.mark.parametrize("key", [2023.7, True, "2024"])
def test_price_index_years_are_not_coerced(key: object) -> None:
    with pytest.raises(ik.ValidationError, match="year must be a whole number"):
        ik.valuation.PriceIndex({key: 100.0, 2025: 110.0})


def test_yaml_price_index_years_read_as_json_ones() -> None:
    m = synthetic_model().evolve(price_index={2020: 100.0, 2024: 110.0})
    assert loads(ik.io.dumps(m, "yaml"), "yaml") == m


def test_metadata_holds_finite_json_values_and_round_trips() -> None:
    for bad in (math.nan, math.inf):
        with pytest.raises(ik.ValidationError) as exc:
            synthetic_model(metadata={"a": {"b": [1, bad]}})
        assert _codes(exc) == {"metadata.a.b[1]": "not_finite"}
    m = synthetic_model(metadata={"t": (1, 2), "l": [{"x": (3,)}]})
    assert m.metadata == {"t": (1, 2), "l": ({"x": (3,)},)}
    for fmt in ("json", "yaml"):
        assert loads(ik.io.dumps(m, fmt), fmt) == m


# -- item 5: the command line --------------------------------------------------------


@pytest.mark.parametrize(
    "build",
    [
        lambda: ik.Input("g", amount=10**400),
        lambda: ik.FinancialProxy(-(10**400)),
        lambda: dist.Normal(10**400, 1),
        lambda: ik.discount.Constant(10**400),
        lambda: ik.valuation.PriceIndex({2020: 10**400}),
        lambda: from_dict(
            {"format_version": 1, "name": "m", "discount": {"bands": [[10**400, 0]]}}
        ),
    ],
)
def test_huge_integers_are_validation_errors(build) -> None:
    with pytest.raises(ik.ValidationError) as exc:
        build()
    assert "too_large" in _codes(exc).values()


def test_cli_exit_codes_are_distinct(tmp_path) -> None:
    good = tmp_path / "m.json"
    ik.dump(synthetic_model(), good)
    bad = tmp_path / "bad.json"
    d = _doc()
    d["outcomes"][0]["deadweight"] = 1.5
    bad.write_text(json.dumps(d))
    assert _run("validate", str(good))[0] == 0
    assert _run("validate", str(bad))[0] == EXIT_INVALID
    assert _run("validate", str(tmp_path / "missing.json"))[0] == EXIT_USAGE
    with pytest.raises(SystemExit) as exc, contextlib.redirect_stderr(io.StringIO()):
        main(["sroi", str(good), "--mc", "many"])
    assert exc.value.code == EXIT_USAGE


def test_cli_internal_error_is_exit_3_without_traceback(tmp_path, monkeypatch) -> None:
    good = tmp_path / "m.json"
    ik.dump(synthetic_model(), good)

    def broken(*args: object, **kwargs: object) -> None:
        raise ZeroDivisionError("a defect")

    monkeypatch.setattr("impactkit.methods.sroi", broken)
    code, _, err = _run("sroi", str(good))
    assert code == 3
    assert "internal error" in err
    assert "Traceback" not in err


def test_cli_empty_or_bad_csv_is_a_file_error(tmp_path) -> None:
    model = tmp_path / "m.json"
    ik.dump(ik.examples.load_example(), model)
    empty = tmp_path / "empty.csv"
    empty.write_text("")
    broken = tmp_path / "broken.csv"
    broken.write_text('a,b\n1,2\n"unterminated\n')
    for csv in (empty, broken):
        code, _, err = _run("sroi", str(model), "--data", f"participants={csv}")
        assert code == EXIT_USAGE
        assert "data.participants" in err


def test_a_list_as_a_comparison_value_is_a_validation_error() -> None:
    with pytest.raises(ik.ValidationError, match="use 'in' for a list"):
        ik.measure.Threshold(
            column="y", at_least=1, where=[{"column": "site", "op": "==", "value": ["a", "b"]}]
        )


def test_cli_json_never_holds_nan(tmp_path) -> None:
    p = tmp_path / "m.json"
    ik.dump(synthetic_model(), p)
    code, out, _ = _run("sroi", str(p), "--format", "json", "--mc", "500")
    assert code == 0

    def refuse(name: str) -> None:
        raise AssertionError(name)

    json.loads(out, parse_constant=refuse)


# -- item 6: bounded resources -------------------------------------------------------


def test_yaml_is_capped_and_uses_the_c_loader(monkeypatch) -> None:
    import yaml

    from impactkit.io import _files

    if hasattr(yaml, "CSafeLoader"):
        assert issubclass(_files._yaml_loader(), yaml.CSafeLoader)
    monkeypatch.setattr(_files, "MAX_YAML_BYTES", 64)
    with pytest.raises(ik.FileFormatError, match="write large models as JSON"):
        loads("format_version: 1\nname: " + "x" * 100 + "\n", "yaml")
    monkeypatch.setattr(_files, "MAX_NODES", 10)
    monkeypatch.setattr(_files, "MAX_YAML_BYTES", 10_000)
    with pytest.raises(ik.FileFormatError, match="more than 10 values"):
        loads("format_version: 1\nname: x\nmetadata: [" + "1, " * 20 + "]\n", "yaml")


def test_monte_carlo_refuses_above_its_memory_cap() -> None:
    m = synthetic_model()
    need = ik.uncertainty.memory_estimate(10**9, n_rows=3, n_parameters=4, chunk=4096)
    assert need >= 32 * 10**9
    with pytest.raises(ik.ValidationError) as exc:
        ik.monte_carlo(m, n=10**9, seed=0)
    assert _codes(exc) == {"n": "too_large"}
    assert "max_memory" in str(exc.value)
    with pytest.raises(ik.ValidationError, match=r"cap of 0\.0 GB"):
        ik.monte_carlo(m, n=10_000, seed=0, max_memory=1000)
    assert ik.monte_carlo(m, n=10_000, seed=0, max_memory=None).n == 10_000


# -- item 7: values stay values ------------------------------------------------------


def test_the_model_holds_a_frozen_theory_of_change() -> None:
    m = rich_model()
    toc = ik.TheoryOfChange("t")
    toc.add_node("a", kind="activity")
    model = m.evolve(toc=toc)
    toc.add_node("b", kind="activity")  # the caller's builder stays a builder
    assert "b" not in model.toc
    with pytest.raises(TypeError, match="frozen"):
        model.toc.add_node("c", kind="activity")
    with pytest.raises(TypeError, match="frozen"):
        model.toc.remove_node("a")
    with pytest.raises(nx_frozen_error()):
        model.toc.graph.add_node("z")
    copy = model.toc.copy()
    copy.add_node("c", kind="activity")
    assert "c" not in model.toc
    import copy as copying
    import pickle

    for clone in (copying.deepcopy(model), pickle.loads(pickle.dumps(model))):
        assert clone == model
        assert clone.toc.is_frozen


def nx_frozen_error() -> type[Exception]:
    import networkx as nx

    return nx.NetworkXError


def test_models_and_their_mappings_are_read_only_and_hashable() -> None:
    m = rich_model().evolve(metadata={"a": [1, 2]}, price_index={2020: 100.0, 2024: 110.0})
    assert hash(m) == hash(rich_model().evolve(metadata={"a": [1, 2]}, price_index=m.price_index))
    with pytest.raises(TypeError):
        m.metadata["b"] = 1  # type: ignore[index]
    with pytest.raises(TypeError):
        m.price_index.values[2021] = 1.0  # type: ignore[index]
    ov = attrs.evolve(m.outcomes[0], sources={"deadweight": "survey"})
    with pytest.raises(TypeError):
        ov.sources["quantity"] = "x"  # type: ignore[index]
    assert len({m, m.evolve()}) == 1


# -- item 8: reports -----------------------------------------------------------------


def _hostile_model() -> ik.ImpactModel:
    return ik.ImpactModel(
        name="<img src=x onerror=alert(1)> *m*",
        inputs=[ik.Input("g", amount=1000, stakeholder="5$ à 10$")],
        outcomes=[
            ik.OutcomeValuation(
                outcome="<b>o</b>", stakeholder="$\\foo$ users", quantity=10, proxy=250
            ),
            ik.OutcomeValuation(outcome="p", stakeholder="5$ à 10$", quantity=5, proxy=100),
        ],
    )


def test_markdown_report_escapes_html() -> None:
    md = ik.report.markdown(ik.sroi(_hostile_model()))
    assert "<img" not in md
    assert "<b>" not in md
    assert "&lt;img src=x onerror=alert(1)&gt; \\*m\\*" in md
    assert "&lt;b&gt;o&lt;/b&gt;" in md


def test_dollars_in_names_are_text_in_charts(tmp_path) -> None:
    pytest.importorskip("matplotlib")
    from matplotlib.text import Text

    from impactkit.report import _charts

    res = ik.sroi(_hostile_model())
    fig = _charts.by_stakeholder_chart(res)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert "$\\foo$ users" in labels
    assert all(not t.get_parse_math() for t in fig.findobj(Text))
    assert _charts.to_svg(fig).startswith("<svg")
    ik.report.write(res, tmp_path / "r.html")
    assert "&lt;img src=x" in (tmp_path / "r.html").read_text(encoding="utf-8")


# -- item 9: double counting ---------------------------------------------------------


def test_duplicated_outcome_rows_are_flagged() -> None:
    m = synthetic_model()
    row = m.outcomes[0]
    twice = m.evolve(outcomes=[*m.outcomes, row])
    codes = {(p.location, p.code, p.severity) for p in twice.problems()}
    assert (f"outcomes[{len(m.outcomes)}]", "duplicate_row", "error") in codes
    assert "duplicate_row" in {f.code for f in ik.lint(twice)}
    near = m.evolve(outcomes=[*m.outcomes, attrs.evolve(row, label="reworded")])
    assert "duplicate_outcome" in {p.code for p in near.problems()}
    renamed = m.evolve(outcomes=[*m.outcomes, attrs.evolve(row, outcome="another_id")])
    assert "similar_rows" in {p.code for p in renamed.problems()}
    assert not {"duplicate_row", "duplicate_outcome", "similar_rows"} & {
        p.code for p in m.problems()
    }


def test_cash_flow_methods_never_return_non_finite_numbers() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        ik.methods.npv([1e308, 1e308], 0.0)
    assert _codes(exc) == {"cash_flows[0]": "too_large", "cash_flows[1]": "too_large"}
    with pytest.raises(ik.ValidationError) as exc:
        ik.methods.npv([-1.0, *[1e15] * 300], -0.99)
    assert _codes(exc) == {"npv": "not_finite"}
    with pytest.raises(ik.ValidationError) as exc:
        ik.methods.cost_per_outcome(1e308, 1e-308)
    assert _codes(exc) == {"gross": "not_finite", "net": "not_finite"}
