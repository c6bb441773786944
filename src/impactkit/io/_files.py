"""Model files: JSON and YAML, versioned, loaded safely and strictly."""

from __future__ import annotations

import json
import math
import os
import sys
from pathlib import Path
from typing import Any, Literal

from impactkit.errors import FileFormatError, Problem
from impactkit.model import FORMAT_VERSION, ImpactModel, from_dict, to_dict

__all__ = [
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_YAML_BYTES",
    "dump",
    "dumps",
    "from_dict",
    "load",
    "loads",
    "to_dict",
]
# FORMAT_VERSION, from_dict and to_dict (the file form as plain data) live in
# impactkit.model; they are named here beside the text and files that carry them.

MAX_FILE_BYTES = 16 * 1024 * 1024
"""Largest model file impactkit reads (16 MiB): untrusted input is bounded."""

MAX_YAML_BYTES = 2 * 1024 * 1024
"""Largest YAML model text (2 MiB).

YAML costs about twenty times more than JSON to parse, even with the C loader
(about a second per MiB on a quiet machine); a model of 2 MiB already holds
thousands of value-map rows. Larger models are written as JSON.
"""

MAX_NODES = 1_000_000
"""Most values (scalars, lists, mappings) one YAML model document may hold."""

MAX_DEPTH = 100
"""Deepest nesting of lists and mappings a model file may have."""

Format = Literal["json", "yaml"]


def _format_of(path: Path, fmt: str | None) -> Format:
    if fmt is not None:
        if fmt not in ("json", "yaml"):
            raise FileFormatError(
                f"format must be 'json' or 'yaml', got {fmt!r}",
                path=("format",),
                code="invalid_choice",
            )
        return fmt  # type: ignore[return-value]
    suffix = path.suffix.lower()
    if suffix == ".json":
        return "json"
    if suffix in (".yaml", ".yml"):
        return "yaml"
    raise FileFormatError(
        f"cannot tell the format of {path.name!r}: a model file is .json, .yaml or .yml; "
        "a value map is .xlsx or .ods (.xls is read too): save other spreadsheets as .xlsx "
        "or .ods (Save as, in Excel or LibreOffice)",
        path=("path",),
        code="format",
    )


def _reject_constant(name: str) -> Any:
    raise FileFormatError(f"{name} is not a number a model file may hold", code="not_finite")


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for k, v in pairs:
        if k in out:
            raise FileFormatError(f"duplicate key {k!r}", code="duplicate_key")
        out[k] = v
    return out


def _yaml_loader() -> Any:
    try:
        import yaml
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ImportError("YAML files need PyYAML: pip install 'impactkit[yaml]'") from exc

    # The C parser (libyaml) is several times faster and leaner than the pure
    # Python one; construction stays the safe constructor either way.
    base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

    class SafeStrictLoader(base):  # type: ignore[misc]
        """Safe loader without aliases, with duplicate and non-scalar keys rejected."""

        def construct_document(self, node: Any) -> Any:
            _check_yaml_nodes(node)
            return super().construct_document(node)

        def construct_mapping(self, node: Any, deep: bool = False) -> Any:
            keys = set()
            for key_node, _ in node.value:
                if not isinstance(key_node, yaml.ScalarNode):
                    raise FileFormatError(
                        f"a mapping key must be text, got a {key_node.id} at line "
                        f"{key_node.start_mark.line + 1}",
                        code="key_type",
                    )
                key = self.construct_object(key_node, deep=deep)
                if key in keys:
                    raise FileFormatError(f"duplicate key {key!r}", code="duplicate_key")
                keys.add(key)
            return super().construct_mapping(node, deep=deep)

    return SafeStrictLoader


def _check_yaml_nodes(root: Any) -> None:
    """Refuse aliases (a node reached twice) and bound the node count, before construction."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        if id(node) in seen:
            raise FileFormatError(
                "YAML anchors and aliases are not allowed in model files", code="unsafe"
            )
        seen.add(id(node))
        if len(seen) > MAX_NODES:
            raise FileFormatError(
                f"the YAML document has more than {MAX_NODES} values", code="too_large"
            )
        value = node.value
        if isinstance(value, list):
            for item in value:
                stack.extend(item if isinstance(item, tuple) else (item,))


def _yaml_dumper() -> Any:
    import yaml

    class SafeDumper(yaml.SafeDumper):
        """Safe dumper that quotes strings holding YAML line-break characters."""

    def represent_str(dumper: Any, s: str) -> Any:
        # NEL and the Unicode line/paragraph separators are read back as line breaks
        # from plain or single-quoted scalars; double quotes escape them.
        if any(ch in s for ch in "\x85\u2028\u2029"):
            return dumper.represent_scalar("tag:yaml.org,2002:str", s, style='"')
        return dumper.represent_str(s)

    SafeDumper.add_representer(str, represent_str)
    return SafeDumper


def _parse(text: str, fmt: Format) -> Any:
    size = len(text.encode("utf-8", errors="surrogatepass"))
    if size > MAX_FILE_BYTES:
        raise FileFormatError(
            f"model text is larger than {MAX_FILE_BYTES} bytes", code="too_large"
        )
    if fmt == "json":
        try:
            data = json.loads(text, object_pairs_hook=_pairs, parse_constant=_reject_constant)
        except json.JSONDecodeError as exc:
            raise FileFormatError(
                f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}", code="syntax"
            ) from exc
        except RecursionError as exc:
            raise FileFormatError("JSON nests too deeply", code="too_deep") from exc
        except FileFormatError:  # raised by the hooks (duplicate key, NaN): keep its code
            raise
        except ValueError as exc:  # e.g. an integer longer than Python converts
            raise FileFormatError(f"invalid JSON: {exc}", code="syntax") from exc
        return _checked_values(data)
    if size > MAX_YAML_BYTES:
        raise FileFormatError(
            f"YAML model text is larger than {MAX_YAML_BYTES} bytes; write large models as JSON",
            code="too_large",
        )
    import yaml

    try:
        data = yaml.load(text, Loader=_yaml_loader())
    except yaml.YAMLError as exc:
        raise FileFormatError(_yaml_message(exc), code="syntax") from exc
    except RecursionError as exc:
        raise FileFormatError("YAML nests too deeply", code="too_deep") from exc
    except FileFormatError:  # raised by the loader's checks: keep its code
        raise
    except ValueError as exc:  # e.g. an integer longer than Python converts
        raise FileFormatError(f"invalid YAML: {exc}", code="syntax") from exc
    return _checked_values(data)


def _yaml_message(exc: Any) -> str:
    """``invalid YAML at line 2, column 2: <problem> (<context> at line 1, column 7)``.

    The parser's own text names a ``"<unicode string>"`` source and spreads over
    several lines; this says where, in the words the JSON errors use.
    """
    mark = getattr(exc, "problem_mark", None)
    problem = getattr(exc, "problem", None)
    if mark is None or problem is None:
        return f"invalid YAML: {exc}"
    text = f"invalid YAML at line {mark.line + 1}, column {mark.column + 1}: {problem}"
    context, where = getattr(exc, "context", None), getattr(exc, "context_mark", None)
    if context and where is not None:
        text += f" ({context} at line {where.line + 1}, column {where.column + 1})"
    return text


def _checked_values(data: Any) -> Any:
    """Plain values only, every problem listed with its path.

    Keys are text (whole-number keys, such as YAML price-index years, become
    their decimal text, as JSON writes them); strings hold no lone surrogate;
    numbers are finite and within the range of a float; nesting is bounded.
    """
    probs: list[Problem] = []
    out = _walk(data, (), probs)
    if probs:
        raise FileFormatError(probs[:MAX_REPORTED] if len(probs) > MAX_REPORTED else probs)
    return out


MAX_REPORTED = 100
"""Problems listed at most for one file (the count is what matters beyond)."""


def _has_surrogate(s: str) -> bool:
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        return True
    return False


def _walk(value: Any, path: tuple[str | int, ...], probs: list[Problem]) -> Any:
    # depth is bounded (MAX_DEPTH), so the recursion is too
    if len(path) > MAX_DEPTH:
        probs.append(Problem(path[:MAX_DEPTH], "too_deep", f"nests more than {MAX_DEPTH} levels"))
        return None
    if isinstance(value, bool) or value is None:
        return value
    if isinstance(value, int):
        if abs(value) > sys.float_info.max:
            probs.append(Problem(path, "too_large", "the number is too large for a float"))
        return value
    if isinstance(value, float):
        if not math.isfinite(value):
            probs.append(
                Problem(path, "not_finite", f"{value!r} is not a number a model file may hold")
            )
        return value
    if isinstance(value, str):
        if _has_surrogate(value):
            probs.append(Problem(path, "encoding", "text holds a lone surrogate (not Unicode)"))
        return value
    if isinstance(value, dict):
        out: dict[str, Any] = {}
        for k, v in value.items():
            if isinstance(k, int) and not isinstance(k, bool):
                key = str(k)
            elif isinstance(k, str):
                key = k
                if _has_surrogate(k):
                    probs.append(
                        Problem(path, "encoding", "a key holds a lone surrogate (not Unicode)")
                    )
                    continue
            else:
                probs.append(
                    Problem(
                        path,
                        "key_type",
                        f"mapping keys must be text, got {type(k).__name__} {k!r}",
                    )
                )
                continue
            if key in out:
                probs.append(Problem((*path, key), "duplicate_key", f"duplicate key {key!r}"))
                continue
            out[key] = _walk(v, (*path, key), probs)
        return out
    if isinstance(value, list):
        return [_walk(v, (*path, i), probs) for i, v in enumerate(value)]
    probs.append(
        Problem(path, "type", f"a model file holds plain data only, got {type(value).__name__}")
    )
    return None


def loads(text: str, format: Format = "json") -> ImpactModel:
    """Read a model from JSON or YAML text (see :func:`load`).

    Parameters
    ----------
    text : str
        The model file's text.
    format : {"json", "yaml"}, default "json"
        Syntax of ``text``.

    Returns
    -------
    ImpactModel
        The model, validated.

    Raises
    ------
    FileFormatError
        Too large (over :data:`MAX_FILE_BYTES`, or :data:`MAX_YAML_BYTES` for
        YAML), not valid JSON/YAML, YAML aliases or tags that construct
        objects, duplicate keys, NaN or infinite numbers, nesting deeper than
        100 levels, missing or unsupported ``format_version``.
    ValidationError
        Every problem of the content, each with its path; unknown keys
        included.

    Examples
    --------
    >>> import impactkit as ik
    >>> loads('{"format_version": 1, "name": "Foyer"}').name
    'Foyer'
    >>> loads("format_version: 1\\nname: Foyer\\ndiscount: france_2021\\n", "yaml").name
    'Foyer'
    >>> try:
    ...     loads('{"format_version": 1, "name": "Foyer", "nom": "x"}')
    ... except ik.errors.ValidationError as exc:
    ...     print(exc.problems[0].path, exc.problems[0].code)
    ('nom',) unknown_key
    >>> try:
    ...     loads('{"format_version": 1, "name": ')
    ... except ik.errors.FileFormatError as exc:
    ...     print(exc.problems[0].message)
    invalid JSON at line 1, column 31: Expecting value
    """
    return from_dict(_parse(text, format))


def load(path: str | os.PathLike[str], *, format: Format | None = None) -> ImpactModel:
    """Read a model file (JSON or YAML), safely and strictly.

    Parameters
    ----------
    path : str or path-like
        ``.json``, ``.yaml`` or ``.yml``.
    format : {"json", "yaml"}, optional
        Overrides the format told by the suffix.

    Returns
    -------
    ImpactModel

    Raises
    ------
    FileFormatError
        Too large (over :data:`MAX_FILE_BYTES`), not valid JSON/YAML, YAML
        aliases or tags that construct objects, duplicate keys, NaN or
        infinite numbers, missing or unsupported ``format_version``.
    ValidationError
        Every problem of the content, each with its path; unknown keys
        included.

    Notes
    -----
    Loading uses no pickle, no eval and constructs no arbitrary object: YAML
    goes through a safe loader, numbers and text are checked strictly (a
    string is never taken for a number).

    Examples
    --------
    A model file written by hand:

    >>> import tempfile
    >>> from pathlib import Path
    >>> import impactkit as ik
    >>> text = (
    ...     "format_version: 1\\n"
    ...     "name: Foyer de vie\\n"
    ...     "discount: 0.025\\n"
    ...     "inputs:\\n"
    ...     "  - {label: Conseil départemental, amount: 850000}\\n"
    ... )
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "foyer.yaml"
    ...     _ = path.write_text(text, encoding="utf-8")
    ...     model = load(path)
    >>> model.name, model.discount.rate, model.inputs[0].amount
    ('Foyer de vie', 0.025, 850000.0)

    What :func:`dump` writes comes back as an equal model:

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     dump(model, Path(tmp) / "foyer.json")
    ...     print(load(Path(tmp) / "foyer.json") == model)
    True

    A file with a misplaced value is refused, with the path of the field:

    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "foyer.yaml"
    ...     _ = path.write_text(text.replace("0.025", "'2.5%'"), encoding="utf-8")
    ...     try:
    ...         load(path)
    ...     except ik.errors.ValidationError as exc:
    ...         print(exc.paths)
    ('discount',)
    """
    p = Path(path)
    fmt = _format_of(p, format)
    size = p.stat().st_size
    if size > MAX_FILE_BYTES:
        raise FileFormatError(
            f"{p.name} is {size} bytes; model files are limited to {MAX_FILE_BYTES} bytes",
            code="too_large",
        )
    with p.open("rb") as fh:
        raw = fh.read(MAX_FILE_BYTES + 1)
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FileFormatError(f"{p.name} is not UTF-8 text", code="encoding") from exc
    return loads(text, fmt)


def dumps(model: ImpactModel, format: Format = "json") -> str:
    """The model as JSON or YAML text (see :func:`dump`).

    The text of :func:`to_dict`: JSON indented by two spaces, or block-style
    YAML, keys in the model's order, non-ASCII text written as is.

    Parameters
    ----------
    model : ImpactModel
        The model to write.
    format : {"json", "yaml"}, default "json"
        Syntax of the text.

    Returns
    -------
    str
        The text, ending with a newline; :func:`loads` reads it back into an
        equal model.

    Raises
    ------
    FileFormatError
        ``format`` is neither ``"json"`` nor ``"yaml"``.

    Examples
    --------
    >>> import impactkit as ik
    >>> model = ik.ImpactModel(name="Foyer")
    >>> print(dumps(model, "yaml"), end="")
    format_version: 1
    name: Foyer
    currency: EUR
    base_year: null
    discount:
      rate: 0.035
    inputs: []
    outcomes: []
    first_flow_at: t1
    mode: forecast
    >>> dumps(model).splitlines()[:2]
    ['{', '  "format_version": 1,']
    >>> loads(dumps(model)) == model
    True
    """
    data = to_dict(model)
    if format == "json":
        return json.dumps(data, indent=2, ensure_ascii=False, allow_nan=False) + "\n"
    if format == "yaml":
        import yaml

        return str(yaml.dump(data, Dumper=_yaml_dumper(), sort_keys=False, allow_unicode=True))
    raise FileFormatError(
        f"format must be 'json' or 'yaml', got {format!r}", path=("format",), code="invalid_choice"
    )


def dump(
    model: ImpactModel, path: str | os.PathLike[str], *, format: Format | None = None
) -> None:
    """Write a model file; reading it back with :func:`load` gives an equal model.

    Parameters
    ----------
    model : ImpactModel
    path : str or path-like
        ``.json``, ``.yaml`` or ``.yml``.
    format : {"json", "yaml"}, optional
        Overrides the format told by the suffix.

    Notes
    -----
    The text is built in full before the file is opened, so a failure leaves
    no partial file.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import impactkit as ik
    >>> model = ik.examples.load_example("protection_enfance", measured=False)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     path = Path(tmp) / "aemo.yaml"
    ...     dump(model, path)
    ...     head = path.read_text(encoding="utf-8").splitlines()[:2]
    ...     same = load(path) == model
    >>> head, same
    (['format_version: 1', 'name: AEMO renforcée - Cap Familles (exemple)'], True)
    """
    p = Path(path)
    text = dumps(model, _format_of(p, format))
    from impactkit._atomic import write_file

    write_file(p, text)
