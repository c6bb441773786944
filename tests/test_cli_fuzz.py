"""The command line on hostile files: never a traceback, always a documented exit code.

Each example takes a valid model file (with a theory of change, distributions
and a price index), replaces one value anywhere in it or adds one key, and
writes it as JSON or YAML. The values include non-string keys, lone
surrogates, huge and non-finite numbers, nested lists and mappings. The
commands run in-process through :func:`impactkit.cli.main`; an exception
escaping it is a traceback a user would see.
"""

from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from impactkit.cli import EXIT_INTERNAL, EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from impactkit.io import to_dict

from strategies import rich_model

DOCUMENTED = {EXIT_OK, EXIT_INVALID, EXIT_USAGE}
BASE = to_dict(rich_model())
SURVEY = "y,site\n1,a\n0,a\n2,b\n1,c\n"  # the data source the base model measures from


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [path]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*path, i))
    return out


PATHS = [p for p in _paths(BASE) if p]


def _get(doc: Any, path: tuple[Any, ...]) -> Any:
    for k in path:
        doc = doc[k]
    return doc


def _dict_paths() -> list[tuple[Any, ...]]:
    return [(), *(p for p in PATHS if isinstance(_get(BASE, p), dict))]


surrogates = st.characters(min_codepoint=0xD800, max_codepoint=0xDFFF)
texts = st.text(st.characters() | surrogates, max_size=12) | st.sampled_from(
    ["", "2023.7", "yes", "=cmd|' /C calc'!A0", "$\\foo$ users", "<script>x</script>"]
)
numbers = (
    st.integers(min_value=-(10**30), max_value=10**30)
    | st.sampled_from([10**400, -(10**400), 2**63, 1e308, -1e308, 1e200, 5e-324, 0.0, -0.0])
    | st.floats(allow_nan=True, allow_infinity=True)
)
scalars = st.none() | st.booleans() | numbers | texts
keys = texts | st.integers(-3, 3000) | st.booleans() | st.none() | st.floats(allow_nan=False)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)


TEXT_PATHS = [p for p in PATHS if isinstance(_get(BASE, p), str)]
NUMBER_PATHS = [
    p
    for p in PATHS
    if isinstance(_get(BASE, p), int | float) and not isinstance(_get(BASE, p), bool)
]
# same-type values keep many files valid, so the evaluation and reports run on them too
plain_texts = st.text(st.characters(), max_size=12) | st.sampled_from(
    ["5$ à 10$", "$\\foo$ users", "<img src=x onerror=alert(1)>", "*a* | _b_ [c](d)", "\n"]
)
plain_numbers = st.floats(-10.0, 1e16) | st.integers(-5, 10**16) | st.sampled_from([0, 1, 2024])


def _mutated(draw: st.DrawFn) -> dict[str, Any]:
    doc = json.loads(json.dumps(BASE))
    kind = draw(st.sampled_from(["replace", "add_key", "text", "number"]))
    if kind == "add_key":
        target = _get(doc, draw(st.sampled_from(_dict_paths())))
        target[draw(keys)] = draw(values)
        return doc
    pool, new = {
        "replace": (PATHS, values),
        "text": (TEXT_PATHS, plain_texts),
        "number": (NUMBER_PATHS, plain_numbers),
    }[kind]
    path = draw(st.sampled_from(pool))
    _get(doc, path[:-1])[path[-1]] = draw(new)
    return doc


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str]:
    """(suffix, text) of a hostile model file."""
    doc = _mutated(draw)
    if draw(st.booleans()):
        # JSON turns every key into text; lone surrogates are written as escapes
        try:
            return ".json", json.dumps(doc, ensure_ascii=True)
        except (TypeError, ValueError):
            return ".json", "{"
    try:
        text = yaml.safe_dump(doc, allow_unicode=False)
    except yaml.YAMLError:
        text = "format_version: 1\nname: x\n? [1, 2]\n: 3\n"
    return ".yaml", text


def _run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:  # argparse usage errors
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def _strict_json(text: str) -> Any:
    def refuse(name: str) -> Any:
        raise AssertionError(f"{name} in the JSON output")

    return json.loads(text, parse_constant=refuse)


@settings(suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(documents())
def test_hostile_model_files_get_an_exit_code_never_a_traceback(doc: tuple[str, str]) -> None:
    suffix, text = doc
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"model{suffix}"
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        survey = Path(tmp) / "survey.csv"
        survey.write_text(SURVEY, encoding="utf-8")
        data = ("--data", f"survey={survey}")
        for argv in (
            ("validate", str(path)),
            ("sroi", str(path), "--format", "json", "--mc", "100", *data),
            ("lint", str(path), *data),
            ("report", str(path), "-o", str(Path(tmp) / "report.md"), "--mc", "0", *data),
        ):
            code, out, err = _run(*argv)
            assert code in DOCUMENTED, (argv[0], code, err)
            assert code != EXIT_INTERNAL
            assert "Traceback" not in out + err
            if argv[0] == "sroi" and code == EXIT_OK:
                _strict_json(out)


HOSTILE_YAML = [
    "format_version: 1\nname: x\n? [1, 2]\n: 3\n",  # an unhashable key
    "format_version: 1\nname: x\n1: 2\n",  # a non-string key
    "format_version: 1\nname: x\nmetadata: {true: 1, null: 2, 1.5: 3}\n",
    'format_version: 1\nname: "\\uD800"\n',  # a lone surrogate
    "format_version: 1\nname: x\ninputs: [{label: g, amount: 1" + "0" * 5000 + "}]\n",
    "format_version: 1\nname: x\nbase_year: 2024-01-01\n",  # a date
    "a: &x [1, 2]\nb: *x\n",
    "[" * 5000,
]


def test_known_hostile_yaml_files() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        for i, text in enumerate(HOSTILE_YAML):
            path = Path(tmp) / f"m{i}.yaml"
            path.write_text(text, encoding="utf-8")
            code, out, err = _run("validate", str(path))
            assert code in (EXIT_INVALID, EXIT_USAGE), (text[:40], code, err)
            assert err.strip() or out.strip()
