"""The JSON Schemas of results' ``to_dict()``: ``ik.io.result_schema``, ``impactkit schema``.

Every result type found by the contract test has a published schema, every schema
is valid draft 2020-12, and the ``to_dict()`` of every example result validates:
the contract test's examples, the six embedded examples, and every result the
doc examples of the analysis modules make.
"""

from __future__ import annotations

import doctest
import importlib
import inspect
import json
import subprocess
import sys
import typing
import warnings

import jsonschema
import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import ValidationError
from impactkit.io._result_schema import RESULT_SCHEMAS, _type_schema
from test_result_contract import EXAMPLES, RESULTS

NAME_OF = {path.split(":")[1]: name for name, path in RESULT_SCHEMAS.items()}


def _validator(name):
    schema = ik.io.result_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def _check(res):
    d = res.to_dict()
    errors = sorted(
        _validator(NAME_OF[type(res).__name__]).iter_errors(d), key=lambda e: list(e.path)
    )
    assert not errors, [(list(e.absolute_path), e.message[:200]) for e in errors[:5]]


def test_every_result_type_has_a_schema():
    assert set(NAME_OF) == set(RESULTS)
    for name, path in RESULT_SCHEMAS.items():
        module, _, cls = path.partition(":")
        assert getattr(importlib.import_module(module), cls) is RESULTS[cls], name


@pytest.mark.parametrize("name", sorted(RESULT_SCHEMAS))
def test_schema_is_valid_and_closed(name):
    schema = ik.io.result_schema(name)
    jsonschema.Draft202012Validator.check_schema(schema)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["$id"].endswith(f"/{name}.json")
    assert schema["type"] == "object"
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) <= set(schema["properties"])
    json.dumps(schema, allow_nan=False)
    schema["title"] = "changed"
    assert ik.io.result_schema(name)["title"] != "changed"  # a new copy each call


@pytest.mark.parametrize("cls", sorted(RESULTS))
def test_contract_examples_validate(cls):
    _check(EXAMPLES[cls]())


@pytest.mark.parametrize("example", ik.examples.names())
def test_embedded_examples_validate(example):
    model = ik.examples.load_example(example)
    data = ik.examples.load_example_data(example)
    res = ik.sroi(model, data=data)
    _check(res)
    _check(ik.monte_carlo(model, n=200, seed=0, data=data))
    if res.model is not None:  # the model inside follows the model-file schema
        jsonschema.validate(res.to_dict()["model_spec"], ik.io.json_schema())


ANALYSIS_MODULES = (
    "impactkit",
    "impactkit.valuation",
    "impactkit.attribution",
    "impactkit.methods",
    "impactkit.uncertainty",
    "impactkit.measure",
    "impactkit.qualitative",
    "impactkit.portfolio",
    "impactkit.pipeline",
    "impactkit.assurance",
)


def _doc_example_results():
    """Every result value left by the doc examples of the analysis modules."""
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    found = {}
    for modname in ANALYSIS_MODULES:
        mod = importlib.import_module(modname)
        for name in getattr(mod, "__all__", []):
            obj = getattr(mod, name)
            if not (inspect.isclass(obj) or inspect.isfunction(obj)):
                continue
            for test in finder.find(obj, f"{modname}.{name}", module=inspect.getmodule(obj)):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore")
                    runner.run(test, out=lambda _s: None, clear_globs=False)
                for value in test.globs.values():
                    if type(value) in RESULTS.values():
                        found.setdefault(test.name, []).append(value)
                test.globs.clear()
    return found


def test_doc_example_results_validate():
    found = _doc_example_results()
    kinds = {type(r).__name__ for rs in found.values() for r in rs}
    # the estimators and the main methods are among them
    assert {"EffectEstimate", "SROIResult", "MonteCarloResult", "CBAResult"} <= kinds, kinds
    for where, values in found.items():
        for res in values:
            try:
                _check(res)
            except AssertionError as exc:
                raise AssertionError(f"{where}: {type(res).__name__}: {exc}") from None


def test_schema_rejects_a_wrong_to_dict():
    d = EXAMPLES["SROIResult"]().to_dict()
    v = _validator("sroi")
    assert v.is_valid(d)
    assert not v.is_valid({**d, "ratio": "3.2"})
    assert not v.is_valid({**d, "unexpected": 1})
    del d["present_value"]
    assert not v.is_valid(d)


def test_non_finite_numbers_are_null():
    d = EXAMPLES["CBAResult"]().to_dict()
    assert _validator("cba").is_valid({**d, "irr": None, "npv": None})


def test_types_map_to_json():
    def ts(tp):
        return _type_schema(tp, {}, set())

    assert ts(float) == {"type": ["number", "null"]}
    assert ts(int | None) == {"type": ["integer", "null"]}
    assert ts(tuple[str, ...]) == {"type": "array", "items": {"type": "string"}}
    assert ts(tuple[float, float])["prefixItems"] == [{"type": ["number", "null"]}] * 2
    assert ts(typing.Literal["a", "b"]) == {"enum": ["a", "b"]}
    assert ts(pd.DataFrame) == {"$ref": "#/$defs/table"}
    assert ts(np.ndarray) == {"$ref": "#/$defs/array"}
    assert ts(typing.Mapping[str, int]) == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }


def test_unknown_name_lists_the_known_ones():
    with pytest.raises(ValidationError) as info:
        ik.io.result_schema("sroj")
    assert info.value.paths == ("name",)
    assert "did you mean 'sroi'" in str(info.value)
    assert "monte_carlo" in str(info.value)


def _cli(capsys, *args):
    from impactkit.cli import main

    code = main(["schema", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_cli_prints_result_schemas(capsys):
    code, out, _ = _cli(capsys, "--result", "list")
    assert code == 0
    assert out.split() == sorted(RESULT_SCHEMAS)
    code, out, _ = _cli(capsys, "--result", "monte_carlo")
    assert code == 0
    assert json.loads(out) == ik.io.result_schema("monte_carlo")
    code, out, err = _cli(capsys, "--result", "nope")
    assert code == 2
    assert "unknown_result" in err
    assert json.loads(_cli(capsys)[1])["title"] == "impactkit model file"


def test_cli_command_line():
    out = subprocess.run(
        [sys.executable, "-m", "impactkit.cli", "schema", "--result", "cba"],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    assert json.loads(out.stdout) == ik.io.result_schema("cba")


def test_reference_page_lists_every_schema():
    from pathlib import Path

    page = Path(__file__).parent.parent / "docs" / "reference" / "result_schemas.md"
    text = page.read_text(encoding="utf-8")
    for name, path in RESULT_SCHEMAS.items():
        assert f"| `{name}` | `{path.split(':')[1]}` |" in text, name


def test_equity_weighted_sroi_validates():
    from impactkit.valuation import EquityWeights

    model = ik.examples.load_example()
    weights = EquityWeights({"participants": 12_000}, reference=24_000, eta=1.0)
    res = ik.sroi(model, data=ik.examples.load_example_data(), equity=weights)
    assert "weighted_ratio" in res.to_dict()
    _check(res)
