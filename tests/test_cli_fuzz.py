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
import re
import tempfile
import time
import zipfile
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


def _nested(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3)


values = st.recursive(scalars, _nested, max_leaves=8)


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


# ------------------------------------------------------------ CSV, xlsx and qdpx files
# The same promise for the other files the library reads: a mutated CSV given to
# ``--data`` or to ``network``, a mutated Excel value map given to ``validate``
# and ``sroi``, a mutated REFI-QDA project given to ``read_qdpx`` (the library's
# door for it; no command reads one). Mutations work on the bytes (flips, cuts,
# insertions, repeated slices) and, inside ZIP containers, on one member before
# re-packing it, so the XML parsers see the damage rather than a CRC error.
HOSTILE_TOKENS = [
    b"",
    b"-1",
    b"9" * 5000,
    b"1e999",
    b"NaN",
    b"-0",
    b"0101",
    b"1,234",
    b"=1+1",
    b"\x00",
    b"\r\n",
    b'"',
    b"&#0;",
    b"&lt;",
    b"<a>",
    b"]]>",
    b"\xe2\x80\xae",  # right-to-left override
    b"\xed\xa0\x80",  # an encoded lone surrogate
    b"\xff\xfe",
    "é".encode(),
]


@st.composite
def damaged(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` with a few byte-level mutations."""
    data = bytearray(base)
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        i = draw(st.integers(0, len(data) - 1))
        j = min(len(data), i + draw(st.integers(1, 64)))
        op = draw(st.sampled_from(["flip", "cut", "insert", "repeat", "delete", "token"]))
        if op == "flip":
            data[i] ^= draw(st.integers(1, 255))
        elif op == "cut":
            del data[i:]
        elif op == "insert":
            data[i:i] = draw(st.binary(min_size=1, max_size=8))
        elif op == "repeat":
            data[i:i] = data[i:j] * draw(st.integers(1, 50))
        elif op == "delete":
            del data[i:j]
        else:
            data[i:j] = draw(st.sampled_from(HOSTILE_TOKENS))
    return bytes(data)


_VALUE = re.compile(rb'="[^"]*"|>[^<]+<')


@st.composite
def damaged_xml(draw: st.DrawFn, base: bytes) -> bytes:
    """``base`` (XML) with attribute values or texts replaced, or damaged bytes."""
    spans = [m.span() for m in _VALUE.finditer(base)]
    if not spans or draw(st.booleans()):
        return draw(damaged(base))
    data = base
    for _ in range(draw(st.integers(1, 3))):
        a, b = draw(st.sampled_from(spans))
        new = draw(st.sampled_from(HOSTILE_TOKENS) | st.binary(max_size=6))
        new = b'="' + new + b'"' if base[a : a + 1] == b"=" else b">" + new + b"<"
        data = data[:a] + new + data[b:]
        spans = [m.span() for m in _VALUE.finditer(data)] or [(0, 0)]
    return data


def _members(raw: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(raw)) as zf:
        return {i.filename: zf.read(i) for i in zf.infolist()}


def _zip(members: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


@st.composite
def damaged_zip(draw: st.DrawFn, base: bytes, xml_members: list[str]) -> bytes:
    """The archive with one XML member damaged and re-packed, or its own bytes damaged."""
    if draw(st.integers(0, 3)) == 0:
        return draw(damaged(base))
    members = _members(base)
    name = draw(st.sampled_from(xml_members))
    members[name] = draw(damaged_xml(members[name]))
    return _zip(members)


def _check_exit(argv: tuple[str, ...]) -> tuple[int, str]:
    code, out, err = _run(*argv)
    assert code in DOCUMENTED, (argv[0], code, err)
    assert "Traceback" not in out + err
    return code, out


def _network_tables() -> tuple[bytes, bytes]:
    rows = ["site,outcome,stakeholder,quantity,proxy,deadweight,duration,sector,region"]
    for i, site in enumerate(["01", "1", "0101", "Établissement 4"]):
        for outcome, proxy in (("emploi", 9000), ("logement", 3000)):
            rows.append(f"{site},{outcome},personnes,{10 + i},{proxy},0.2,2,insertion,Bretagne")
    inputs = "site,amount\n01,40000\n1,30000\n0101,20000\nÉtablissement 4,10000\n"
    return ("\n".join(rows) + "\n").encode(), inputs.encode()


NETWORK_OUTCOMES, NETWORK_INPUTS = _network_tables()
MODEL_JSON = json.dumps(BASE)


def _bounded_seconds(t0: float, limit: float = 10.0) -> None:
    assert time.perf_counter() - t0 < limit


@settings(max_examples=15, suppress_health_check=[HealthCheck.too_slow])
@given(st.data())
def test_hostile_csv_files_get_an_exit_code_never_a_traceback(data: st.DataObject) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        d = Path(tmp)
        model = d / "model.json"
        model.write_text(MODEL_JSON, encoding="utf-8")
        survey = d / "survey.csv"
        survey.write_bytes(data.draw(damaged(SURVEY.encode()), label="survey"))
        t0 = time.perf_counter()
        _check_exit(("sroi", str(model), "--format", "json", "--data", f"survey={survey}"))
        _bounded_seconds(t0)
        which = data.draw(st.sampled_from(["outcomes", "inputs"]), label="table")
        o, i = d / "outcomes.csv", d / "inputs.csv"
        o.write_bytes(NETWORK_OUTCOMES)
        i.write_bytes(NETWORK_INPUTS)
        target = o if which == "outcomes" else i
        target.write_bytes(data.draw(damaged(target.read_bytes()), label=which))
        t0 = time.perf_counter()
        _check_exit(("network", str(o), str(i), "-o", str(d / "reseau.md"), "--lang", "fr"))
        _bounded_seconds(t0)


def _value_map() -> bytes:
    from impactkit.examples import load_example
    from impactkit.io import write_value_map

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vm.xlsx"
        write_value_map(load_example(), path)
        return path.read_bytes()


VALUE_MAP = _value_map()
VALUE_MAP_XML = [n for n in _members(VALUE_MAP) if n.endswith(".xml")]


@settings(max_examples=12, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_zip(VALUE_MAP, VALUE_MAP_XML))
def test_hostile_value_maps_get_an_exit_code_never_a_traceback(raw: bytes) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "vm.xlsx"
        path.write_bytes(raw)
        for argv in (("validate", str(path)), ("sroi", str(path), "--format", "json")):
            t0 = time.perf_counter()
            code, out = _check_exit(argv)
            _bounded_seconds(t0)
            if argv[0] == "sroi" and code == EXIT_OK:
                _strict_json(out)


def _qdpx() -> bytes:
    from impactkit.examples import interviews_path

    return Path(interviews_path()).read_bytes()


QDPX = _qdpx()
QDPX_XML = [n for n in _members(QDPX) if n.endswith((".qde", ".txt"))]


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(damaged_zip(QDPX, QDPX_XML))
def test_hostile_qdpx_files_are_read_or_refused(raw: bytes) -> None:
    from impactkit import qualitative as ql
    from impactkit.errors import FileFormatError, ValidationError

    t0 = time.perf_counter()
    try:
        project = ql.read_qdpx(raw)
    except FileFormatError as exc:
        refused: FileFormatError | None = exc
    else:
        refused = None
    _bounded_seconds(t0)
    if refused is not None:
        assert refused.problems
        return
    names = [n for n in project.codes["name"] if isinstance(n, str) and n]
    if names:
        ql.codings_to_evidence(project, {names[0]: "node"})
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "copy.qdpx"
        try:
            ql.write_qdpx(project, path)
        except ValidationError:
            return
        again = ql.read_qdpx(path)
        assert len(again.codings) == len(project.codings)
