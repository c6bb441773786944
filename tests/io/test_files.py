"""Model files: lossless round trips, safety, strictness, every problem with its path."""

from __future__ import annotations

import json

import attrs
import jsonschema
import pytest
from hypothesis import given

import impactkit as ik
from impactkit import dist
from impactkit.io import dumps, from_dict, json_schema, loads, to_dict

from strategies import models, rich_model, synthetic_model, tocs


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_every_field(fmt, tmp_path):
    m = rich_model()
    path = tmp_path / f"model.{fmt}"
    ik.dump(m, path)
    back = ik.load(path)
    assert back == m
    assert back.toc == m.toc
    assert ik.io.dumps(back, fmt) == path.read_text(encoding="utf-8")


@given(models())
def test_round_trip_random_models(model):
    for fmt in ("json", "yaml"):
        assert loads(dumps(model, fmt), fmt) == model


@given(tocs())
def test_round_trip_random_tocs_in_models(toc):
    m = ik.ImpactModel(name="m", toc=toc)
    assert loads(dumps(m, "yaml"), "yaml") == m


@pytest.mark.parametrize("model", [rich_model(), synthetic_model()], ids=["rich", "synthetic"])
def test_files_validate_against_schema(model):
    jsonschema.validate(json.loads(dumps(model)), json_schema())


def test_schema_rejects_what_loader_rejects():
    data = to_dict(synthetic_model())
    data["outcomes"][0]["deadweight"] = 1.4
    data["outcomes"][1]["colour"] = "red"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, json_schema())
    with pytest.raises(ik.ValidationError) as ei:
        from_dict(data)
    assert set(ei.value.paths) == {"outcomes[0].deadweight", "outcomes[1].colour"}


def test_every_problem_with_its_path():
    data = to_dict(synthetic_model())
    data["outcomes"][0]["quantity"] = "fifty"
    data["outcomes"][1]["deadweight"] = 2
    data["outcomes"][1]["start_year"] = 0
    data["inputs"][0]["amount"] = -1
    data["currency"] = 978
    data["unexpected"] = True
    with pytest.raises(ik.ValidationError) as ei:
        from_dict(data)
    assert set(ei.value.paths) >= {
        "outcomes[0].quantity",
        "outcomes[1].deadweight",
        "outcomes[1].start_year",
        "inputs[0].amount",
        "currency",
        "unexpected",
    }


def test_nested_toc_problems_have_paths():
    data = to_dict(rich_model())
    data["toc"]["nodes"][0]["kind"] = "widget"
    data["toc"]["links"][0]["target"] = "ghost"
    with pytest.raises(ik.ValidationError) as ei:
        from_dict(data)
    assert "toc.nodes[0].kind" in ei.value.paths


def test_strict_types_never_coerce():
    data = to_dict(synthetic_model())
    data["outcomes"][0]["duration"] = "3"
    data["base_year"] = 2024.5
    data["inputs"][0]["in_kind"] = "yes"
    with pytest.raises(ik.ValidationError) as ei:
        from_dict(data)
    assert set(ei.value.paths) == {"outcomes[0].duration", "base_year", "inputs[0].in_kind"}


def test_format_version():
    data = to_dict(synthetic_model())
    assert data["format_version"] == ik.io.FORMAT_VERSION
    with pytest.raises(ik.FileFormatError, match="newer"):
        from_dict({**data, "format_version": 99})
    with pytest.raises(ik.FileFormatError, match="missing"):
        from_dict({k: v for k, v in data.items() if k != "format_version"})


def test_discount_presets_and_forms():
    data = to_dict(synthetic_model())
    for form, expected in [
        ("green_book", ik.discount.GREEN_BOOK),
        (0.03, ik.discount.Constant(0.03)),
        ({"bands": [[0, 0.035], [31, 0.03]]}, ik.discount.Schedule(((0, 0.035), (31, 0.03)))),
    ]:
        assert from_dict({**data, "discount": form}).discount == expected
    with pytest.raises(ik.ValidationError, match="available"):
        from_dict({**data, "discount": "nope"})


UNSAFE_YAML = [
    "!!python/object/apply:os.system ['echo pwned']",
    "format_version: 1\nname: !!python/name:os.system\n",
    "a: &x [1, 2]\nb: *x\n",
    "format_version: 1\nname: a\nname: b\n",
]


@pytest.mark.parametrize("text", UNSAFE_YAML)
def test_yaml_loading_is_safe(text):
    with pytest.raises(ik.FileFormatError):
        loads(text, "yaml")


@pytest.mark.parametrize(
    "text",
    [
        '{"format_version": 1, "name": "a", "name": "b"}',
        '{"format_version": 1, "name": "a", "discount": NaN}',
        '{"format_version": 1, "name": "a"',
        "[1, 2]",
    ],
)
def test_json_rejections(text):
    with pytest.raises(ik.FileFormatError):
        loads(text, "json")


def test_size_limit(tmp_path, monkeypatch):
    monkeypatch.setattr(ik.io._files, "MAX_FILE_BYTES", 100)
    p = tmp_path / "big.json"
    p.write_text(" " * 200 + "{}")
    with pytest.raises(ik.FileFormatError, match="limited"):
        ik.load(p)


def test_unknown_suffix(tmp_path):
    with pytest.raises(ik.FileFormatError, match="format"):
        ik.dump(synthetic_model(), tmp_path / "m.txt")
    assert not (tmp_path / "m.txt").exists()


def test_unknown_calculator_in_file():
    data = to_dict(synthetic_model())
    data["outcomes"][0]["quantity"] = {"calculator": "magic", "column": "x"}
    with pytest.raises(ik.ValidationError) as ei:
        from_dict(data)
    assert "available" in str(ei.value)
    assert "threshold" in str(ei.value)
    assert "outcomes[0].quantity.calculator" in ei.value.paths


def test_evolve_round_trip_keeps_distribution_types():
    m = rich_model()
    back = loads(dumps(m, "yaml"), "yaml")
    assert isinstance(back.outcomes[0].quantity, dist.Triangular)
    assert isinstance(back.discount.rate, dist.Uniform)
    assert attrs.evolve(back, name="x").name == "x"


def test_every_example_model_file_validates_against_the_schema():
    """The published schema accepts what the library writes (indicators' measures included)."""
    import json

    import jsonschema

    from impactkit.io import json_schema, to_dict

    validator = jsonschema.Draft202012Validator(json_schema())
    for name in ik.examples.names():
        for measured in (True, False):
            data = json.loads(
                json.dumps(to_dict(ik.examples.load_example(name, measured=measured)))
            )
            errors = [list(e.absolute_path) for e in validator.iter_errors(data)]
            assert not errors, (name, measured, errors[:3])


@pytest.mark.parametrize(
    ("text", "fmt", "code"),
    [
        ('{"name": "a", "name": "b"}', "json", "duplicate_key"),
        ('{"name": NaN}', "json", "not_finite"),
        ("name: a\nname: b\n", "yaml", "duplicate_key"),
    ],
)
def test_file_errors_keep_their_own_code(text, fmt, code):
    """A duplicate key or a NaN is reported as such, not re-wrapped as a syntax error."""
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.loads(text, format=fmt)
    assert [p.code for p in ei.value.problems] == [code]


def test_a_yaml_syntax_error_says_where_like_a_json_one():
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.loads("name: [a, b\nx: 1\n", format="yaml")
    message = ei.value.problems[0].message
    assert message.startswith("invalid YAML at line 2, column 2: did not find expected")
    assert "<unicode string>" not in message
    assert "line 1, column 7" in message  # where the unclosed list began
