"""REFI-QDA exchange: read and write ``.qdpx`` projects of qualitative data analysis software.

A ``.qdpx`` file is a ZIP archive holding ``project.qde`` (XML in the namespace
``urn:QDA-XML:project:1.0``, REFI-QDA standard 1.5) and, optionally, the
source files under ``sources/``. The major tools (NVivo, ATLAS.ti, MAXQDA,
QualCoder) export and import it. Archives from elsewhere are untrusted: the
XML is parsed without DTDs, entities or external references, sizes are
bounded, and member names that could escape a folder are refused.

This module and :mod:`impactkit.io` are the doors of impactkit to files.
"""

from __future__ import annotations

import io
import os
import re
import uuid
import warnings
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterable, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, cast

import attrs
import pandas as pd

from impactkit.errors import FileFormatError, ImpactkitWarning, Problem, ValidationError
from impactkit.qualitative._records import Evidence

__all__ = [
    "CODE_COLUMNS",
    "CODING_COLUMNS",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "NAMESPACE",
    "QdaProject",
    "codings_to_evidence",
    "read_qdpx",
    "write_qdpx",
]

NAMESPACE = "urn:QDA-XML:project:1.0"
"""XML namespace of REFI-QDA projects."""
CODEBOOK_NAMESPACE = "urn:QDA-XML:codebook:1.0"
MAX_MEMBERS = 10_000
"""Most members a ``.qdpx`` archive may hold."""
MAX_MEMBER_BYTES = 64 * 1024 * 1024
"""Largest uncompressed member (64 MiB)."""
MAX_TOTAL_BYTES = 256 * 1024 * 1024
"""Largest total uncompressed size read from one archive (256 MiB)."""

CODE_COLUMNS = ("id", "name", "parent", "codable", "description", "color")
SOURCE_COLUMNS = ("id", "name", "kind", "text", "path", "case")
CODING_COLUMNS = (
    "id",
    "selection",
    "source",
    "source_name",
    "start",
    "end",
    "text",
    "code",
    "code_name",
    "coder",
    "case",
)
USER_COLUMNS = ("id", "name")
VARIABLE_COLUMNS = ("owner", "owner_kind", "name", "value")

_GUID = re.compile(
    r"^(\{)?[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}(?(1)\})$"
)
_SOURCE_KINDS = {
    "TextSource": "text",
    "PDFSource": "pdf",
    "PictureSource": "picture",
    "AudioSource": "audio",
    "VideoSource": "video",
}
_VALUE_TAGS = (
    "TextValue",
    "BooleanValue",
    "IntegerValue",
    "FloatValue",
    "DateValue",
    "DateTimeValue",
)


def _frame(df: Any, columns: tuple[str, ...], what: str) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame({c: pd.Series(dtype=object) for c in columns})
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"expected a DataFrame, got {type(df).__name__}", path=(what,))
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise ValidationError(
            [Problem((what, c), "missing_column", f"column {c!r} is missing") for c in missing]
        )
    return df.reset_index(drop=True).copy()


@attrs.frozen
class QdaProject:
    """A qualitative data analysis project: codes, sources, codings.

    Parameters
    ----------
    name : str
        Project name.
    codes : DataFrame
        ``id``, ``name``, ``parent`` (id or None), ``codable``, ``description``, ``color``.
    sources : DataFrame, optional
        ``id``, ``name``, ``kind`` (``text``, ``pdf``...), ``text`` (plain text
        or None), ``path`` (where the text came from), ``case`` (case name).
    codings : DataFrame, optional
        ``id``, ``selection``, ``source``, ``source_name``, ``start``, ``end``
        (character offsets into the source text), ``text`` (the span),
        ``code``, ``code_name``, ``coder``, ``case``.
    users : DataFrame, optional
        ``id``, ``name``.
    variables : DataFrame, optional
        ``owner`` (source id or case name), ``owner_kind`` (``source`` or
        ``case``), ``name``, ``value``.
    description : str, optional

    Notes
    -----
    The tables are returned as copies, so the project cannot be changed in
    place; build a new one from changed tables.

    Examples
    --------
    >>> import pandas as pd
    >>> from impactkit import qualitative as ql
    >>> codes = pd.DataFrame({"id": ["c1"], "name": ["Confiance"], "parent": [None],
    ...                       "codable": [True], "description": [""], "color": [None]})
    >>> p = ql.QdaProject("Entretiens", codes=codes)
    >>> list(p.codes["name"]), len(p.codings)
    (['Confiance'], 0)
    """

    name: str
    _codes: pd.DataFrame = attrs.field(alias="codes", eq=False, repr=False)
    _sources: pd.DataFrame | None = attrs.field(
        default=None, alias="sources", eq=False, repr=False
    )
    _codings: pd.DataFrame | None = attrs.field(
        default=None, alias="codings", eq=False, repr=False
    )
    _users: pd.DataFrame | None = attrs.field(default=None, alias="users", eq=False, repr=False)
    _variables: pd.DataFrame | None = attrs.field(
        default=None, alias="variables", eq=False, repr=False
    )
    description: str = ""

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.name, str) or not self.name.strip():
            raise ValidationError("a project needs a name", path=("name",), code="empty")
        object.__setattr__(self, "_codes", _frame(self._codes, CODE_COLUMNS, "codes"))
        object.__setattr__(self, "_sources", _frame(self._sources, SOURCE_COLUMNS, "sources"))
        object.__setattr__(self, "_codings", _frame(self._codings, CODING_COLUMNS, "codings"))
        object.__setattr__(self, "_users", _frame(self._users, USER_COLUMNS, "users"))
        object.__setattr__(
            self, "_variables", _frame(self._variables, VARIABLE_COLUMNS, "variables")
        )

    @property
    def codes(self) -> pd.DataFrame:
        """The codebook (a copy), parents before children."""
        return self._codes.copy()

    @property
    def sources(self) -> pd.DataFrame:
        """The sources (a copy)."""
        return cast(pd.DataFrame, self._sources).copy()

    @property
    def codings(self) -> pd.DataFrame:
        """The codings with their text spans (a copy)."""
        return cast(pd.DataFrame, self._codings).copy()

    @property
    def users(self) -> pd.DataFrame:
        """The coders (a copy)."""
        return cast(pd.DataFrame, self._users).copy()

    @property
    def variables(self) -> pd.DataFrame:
        """Variable values of sources and cases (a copy)."""
        return cast(pd.DataFrame, self._variables).copy()


# ----------------------------------------------------------------------------- reading
def _fail(msg: str, code: str = "invalid", *path: str | int) -> FileFormatError:
    return FileFormatError(msg, path=path, code=code)


def _safe_member(name: str) -> bool:
    if not name or "\x00" in name or name.startswith(("/", "\\")) or "\\" in name:
        return False
    if re.match(r"^[A-Za-z]:", name):
        return False
    return ".." not in PurePosixPath(name).parts


def _parse_xml(data: bytes, what: str) -> ET.Element:
    try:
        import defusedxml
        import defusedxml.ElementTree as DET
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ImportError(
            "reading REFI-QDA files needs defusedxml: pip install 'impactkit[qualitative]'"
        ) from exc
    try:
        root: ET.Element = DET.fromstring(
            data, forbid_dtd=True, forbid_entities=True, forbid_external=True
        )
    except defusedxml.DefusedXmlException as exc:
        raise _fail(
            f"{what}: XML with a DTD, entities or external references is refused ({exc})",
            "unsafe",
        ) from exc
    except ET.ParseError as exc:
        raise _fail(f"{what}: invalid XML: {exc}", "syntax") from exc
    return root


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: list[int]) -> bytes:
    if info.file_size > MAX_MEMBER_BYTES:
        raise _fail(
            f"archive member {info.filename!r} is {info.file_size} bytes; the limit is "
            f"{MAX_MEMBER_BYTES}",
            "too_large",
        )
    with zf.open(info) as fh:
        # The header's size may lie: never read more than the limit.
        data = fh.read(MAX_MEMBER_BYTES + 1)
    if len(data) > MAX_MEMBER_BYTES:
        raise _fail(
            f"archive member {info.filename!r} is over {MAX_MEMBER_BYTES} bytes", "too_large"
        )
    budget[0] += len(data)
    if budget[0] > MAX_TOTAL_BYTES:
        raise _fail(f"the archive holds more than {MAX_TOTAL_BYTES} bytes", "too_large")
    return data


def _tag(el: ET.Element) -> str:
    return el.tag.rsplit("}", 1)[-1]


def _children(el: ET.Element, name: str) -> list[ET.Element]:
    return [c for c in el if _tag(c) == name]


def _child_text(el: ET.Element, name: str) -> str:
    found = _children(el, name)
    return (found[0].text or "") if found else ""


def _codes_of(codebook: ET.Element | None) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    if codebook is None:
        return rows
    stack: list[tuple[ET.Element, str | None]] = []
    for codes in _children(codebook, "Codes"):
        stack += [(c, None) for c in reversed(_children(codes, "Code"))]
    while stack:  # depth first, parents before children, document order
        el, parent = stack.pop()
        guid = el.get("guid", "")
        rows.append(
            {
                "id": guid,
                "name": el.get("name", ""),
                "parent": parent,
                "codable": el.get("isCodable", "true").strip().lower() in ("true", "1"),
                "description": _child_text(el, "Description"),
                "color": el.get("color"),
            }
        )
        stack += [(c, guid) for c in reversed(_children(el, "Code"))]
    return rows


def _value_of(vv: ET.Element) -> Any:
    for t in _VALUE_TAGS:
        found = _children(vv, t)
        if found:
            text = (found[0].text or "").strip()
            if t == "BooleanValue":
                return text.lower() in ("true", "1")
            if t == "IntegerValue":
                return int(text) if re.fullmatch(r"-?\d+", text) else text
            if t == "FloatValue":
                try:
                    return float(text)
                except ValueError:
                    return text
            return text
    return None


def _source_text(
    el: ET.Element,
    members: Mapping[str, zipfile.ZipInfo],
    zf: zipfile.ZipFile | None,
    budget: list[int],
) -> tuple[str | None, str]:
    inline = _children(el, "PlainTextContent")
    if inline:
        return inline[0].text or "", ""
    path = el.get("plainTextPath", "")
    if not path.startswith("internal://") or zf is None:
        return None, path
    name = path[len("internal://") :]
    if not _safe_member(name):
        raise _fail(f"source path {path!r} leaves the archive", "path_traversal")
    info = members.get(f"sources/{name}".lower()) or members.get(name.lower())
    if info is None:
        raise _fail(f"source file {path!r} is not in the archive", "missing")
    raw = _read_member(zf, info, budget)
    try:
        return raw.decode("utf-8-sig"), path
    except UnicodeDecodeError as exc:
        raise _fail(f"source file {path!r} is not UTF-8 text", "encoding") from exc


def _parse_project(
    root: ET.Element,
    zf: zipfile.ZipFile | None,
    members: Mapping[str, zipfile.ZipInfo],
    budget: list[int],
) -> QdaProject:
    if _tag(root) == "CodeBook":
        return QdaProject("codebook", codes=pd.DataFrame(_codes_of(root), columns=CODE_COLUMNS))
    if root.tag != f"{{{NAMESPACE}}}Project":
        raise _fail(
            f"project.qde: root element is {root.tag!r}, expected Project in {NAMESPACE}",
            "format",
        )
    users = {
        u.get("guid", ""): (u.get("name") or u.get("guid") or "")
        for us in _children(root, "Users")
        for u in _children(us, "User")
    }
    cb = _children(root, "CodeBook")
    codes = _codes_of(cb[0] if cb else None)
    code_names = {c["id"]: c["name"] for c in codes}
    var_names = {
        v.get("guid", ""): v.get("name", "")
        for vs in _children(root, "Variables")
        for v in _children(vs, "Variable")
    }
    variables: list[dict[str, Any]] = []

    def add_values(owner: ET.Element, kind: str, key: str) -> None:
        for vv in _children(owner, "VariableValue"):
            ref = _children(vv, "VariableRef")
            target = ref[0].get("targetGUID", "") if ref else ""
            variables.append(
                {
                    "owner": key,
                    "owner_kind": kind,
                    "name": var_names.get(target, target),
                    "value": _value_of(vv),
                }
            )

    case_of: dict[str, str] = {}
    for cs in _children(root, "Cases"):
        for case in _children(cs, "Case"):
            case_name = case.get("name") or case.get("guid") or ""
            add_values(case, "case", case_name)
            for sr in _children(case, "SourceRef"):
                case_of.setdefault(sr.get("targetGUID", ""), case_name)
    sources: list[dict[str, Any]] = []
    codings: list[dict[str, Any]] = []
    problems: list[Problem] = []
    for ss in _children(root, "Sources"):
        for el in ss:
            kind = _SOURCE_KINDS.get(_tag(el))
            if kind is None:
                continue
            sid = el.get("guid", "")
            sname = el.get("name", "") or sid
            # A PDF carries its text in a Representation, coded like a text source.
            rep = _children(el, "Representation") if kind == "pdf" else []
            text_el = el if kind == "text" else rep[0] if rep else None
            text, path = (
                _source_text(text_el, members, zf, budget)
                if text_el is not None
                else (None, el.get("path", ""))
            )
            add_values(el, "source", sid)
            sources.append(
                {
                    "id": sid,
                    "name": sname,
                    "kind": kind,
                    "text": text,
                    "path": path,
                    "case": case_of.get(sid),
                }
            )
            if text_el is None:
                continue
            spans: list[tuple[ET.Element, int, int, str]] = []
            for sel in _children(text_el, "PlainTextSelection"):
                try:
                    start = int(sel.get("startPosition", ""))
                    end = int(sel.get("endPosition", ""))
                except ValueError:
                    problems.append(
                        Problem(
                            ("Sources", sname, sel.get("guid", "")),
                            "type",
                            "startPosition and endPosition must be whole numbers",
                        )
                    )
                    continue
                spans.append((sel, start, end, sel.get("guid", "")))
            n = len(text or "")
            spans += [(text_el, 0, n, "")] if _children(text_el, "Coding") else []
            for sel, start, end, sel_id in spans:
                if text is not None and not (0 <= start <= end <= n):
                    problems.append(
                        Problem(
                            ("Sources", sname, sel_id),
                            "out_of_range",
                            f"span {start}-{end} is outside the text (0-{n})",
                        )
                    )
                    continue
                for cd in _children(sel, "Coding"):
                    ref = _children(cd, "CodeRef")
                    code = ref[0].get("targetGUID", "") if ref else ""
                    user = cd.get("creatingUser") or sel.get("creatingUser") or ""
                    codings.append(
                        {
                            "id": cd.get("guid", ""),
                            "selection": sel_id,
                            "source": sid,
                            "source_name": sname,
                            "start": start,
                            "end": end,
                            "text": None if text is None else text[start:end],
                            "code": code,
                            "code_name": code_names.get(code),
                            "coder": users.get(user, user),
                            "case": case_of.get(sid),
                        }
                    )
    unknown = sorted({c["code"] for c in codings if c["code"] not in code_names})
    problems += [
        Problem(
            ("CodeRef", g), "unknown_code", f"coding refers to code {g!r}, not in the codebook"
        )
        for g in unknown
    ]
    if problems:
        raise FileFormatError(problems)
    return QdaProject(
        root.get("name", "") or "project",
        codes=pd.DataFrame(codes, columns=CODE_COLUMNS),
        sources=pd.DataFrame(sources, columns=SOURCE_COLUMNS),
        codings=pd.DataFrame(codings, columns=CODING_COLUMNS),
        users=pd.DataFrame(list(users.items()), columns=USER_COLUMNS),
        variables=pd.DataFrame(variables, columns=VARIABLE_COLUMNS),
        description=_child_text(root, "Description"),
    )


def read_qdpx(path: str | os.PathLike[str] | bytes) -> QdaProject:
    """Read a REFI-QDA project (``.qdpx``) or codebook (``.qdc``), safely.

    Parameters
    ----------
    path : str, path-like or bytes
        The file, or its bytes. A ``.qdc`` file is a codebook alone (XML).

    Returns
    -------
    QdaProject
        ``.codes`` (nested codebooks flattened with ``parent``), ``.sources``
        and ``.codings``, each coding with its text span resolved from the
        source's inline text or from its file inside the archive
        (``plainTextPath="internal://..."``, ``sources/`` folder); a PDF's
        text representation is read and coded like a text source.

    Raises
    ------
    FileFormatError
        Not a ZIP archive, no ``project.qde``, a member name that leaves the
        archive (``../``, absolute paths), members or totals over
        :data:`MAX_MEMBER_BYTES` / :data:`MAX_TOTAL_BYTES`, more than
        :data:`MAX_MEMBERS` members, XML with a DTD or entities (entity
        expansion and external entities are never resolved), invalid XML,
        spans outside their text, codings of unknown codes.

    Examples
    --------
    >>> from impactkit import examples, qualitative as ql
    >>> p = ql.read_qdpx(examples.interviews_path())
    >>> sorted(p.codings.columns)[:4]
    ['case', 'code', 'code_name', 'coder']
    """
    if isinstance(path, bytes):
        raw, label, suffix = path, "data", ".qdpx"
    else:
        p = Path(path)
        label, suffix = p.name, p.suffix.lower()
        size = p.stat().st_size
        if size > MAX_TOTAL_BYTES:
            raise _fail(f"{label} is {size} bytes; the limit is {MAX_TOTAL_BYTES}", "too_large")
        raw = p.read_bytes()
    if suffix == ".qdc":
        if len(raw) > MAX_MEMBER_BYTES:
            raise _fail(f"{label} is over {MAX_MEMBER_BYTES} bytes", "too_large")
        root = _parse_xml(raw, label)
        if root.tag != f"{{{CODEBOOK_NAMESPACE}}}CodeBook":
            raise _fail(f"{label}: expected a CodeBook in {CODEBOOK_NAMESPACE}", "format")
        return _parse_project(root, None, {}, [0])
    if not zipfile.is_zipfile(io.BytesIO(raw)):
        raise _fail(
            f"{label} is not a ZIP archive (a .qdpx file is a ZIP holding project.qde)",
            "not_a_zip",
        )
    try:
        with zipfile.ZipFile(io.BytesIO(raw)) as zf:
            infos = zf.infolist()
            if len(infos) > MAX_MEMBERS:
                raise _fail(
                    f"{label} holds {len(infos)} members; the limit is {MAX_MEMBERS}", "too_large"
                )
            bad = [i.filename for i in infos if not _safe_member(i.filename)]
            if bad:
                raise _fail(
                    f"{label}: member names that leave the archive are refused: {bad[:5]}",
                    "path_traversal",
                )
            if sum(i.file_size for i in infos) > MAX_TOTAL_BYTES:
                raise _fail(f"{label} unpacks to more than {MAX_TOTAL_BYTES} bytes", "too_large")
            members = {i.filename.lower(): i for i in infos if not i.is_dir()}
            qde = members.get("project.qde")
            if qde is None:
                raise _fail(f"{label} has no project.qde", "missing")
            budget = [0]
            root = _parse_xml(_read_member(zf, qde, budget), "project.qde")
            return _parse_project(root, zf, members, budget)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError) as exc:
        raise _fail(f"{label}: damaged or unsupported ZIP archive ({exc})", "not_a_zip") from exc


# ----------------------------------------------------------------------------- writing
def _guid(value: Any, kind: str) -> str:
    s = "" if value is None else str(value)
    if _GUID.match(s):
        return s
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"impactkit:{kind}:{s}"))


def _sub(parent: ET.Element, tag: str, /, **attrib: str) -> ET.Element:
    return ET.SubElement(parent, f"{{{NAMESPACE}}}{tag}", {k: v for k, v in attrib.items() if v})


def _write_codes(parent: ET.Element, codes: pd.DataFrame, ids: dict[Any, str]) -> None:
    kids: dict[Any, list[dict[Any, Any]]] = {}
    known = set(codes["id"])
    for rec in codes.to_dict("records"):
        par = rec["parent"] if rec["parent"] in known else None
        kids.setdefault(par, []).append(rec)

    def emit(el: ET.Element, parent_id: Any, depth: int) -> None:
        if depth > 200:
            raise ValidationError("the codebook nests too deeply", path=("codes",))
        for rec in kids.get(parent_id, []):
            color = rec.get("color")
            c = _sub(
                el,
                "Code",
                guid=ids[rec["id"]],
                name=str(rec["name"]),
                isCodable="true" if bool(rec["codable"]) else "false",
                color=str(color) if isinstance(color, str) and color else "",
            )
            if rec.get("description"):
                _sub(c, "Description").text = str(rec["description"])
            emit(c, rec["id"], depth + 1)

    emit(parent, None, 0)


def _project_xml(project: QdaProject, inline: bool) -> tuple[bytes, dict[str, bytes]]:
    codes, sources, codings = project.codes, project.sources, project.codings
    problems = []
    code_ids = {c: _guid(c, "code") for c in codes["id"]}
    for i, c in enumerate(codings["code"]):
        if c not in code_ids:
            problems.append(
                Problem(
                    ("codings", i, "code"), "unknown_code", f"code {c!r} is not in the codebook"
                )
            )
    src_ids = {s: _guid(s, "source") for s in sources["id"]}
    for i, s in enumerate(codings["source"]):
        if s not in src_ids:
            problems.append(
                Problem(
                    ("codings", i, "source"),
                    "unknown_source",
                    f"source {s!r} is not in the project",
                )
            )
    with_text = {
        s for s, t in zip(sources["id"], sources["text"], strict=True) if isinstance(t, str)
    }
    for i, s in enumerate(codings["source"]):
        if s in src_ids and s not in with_text:
            problems.append(
                Problem(("codings", i, "source"), "no_text", f"source {s!r} has no text to code")
            )
    if problems:
        raise ValidationError(problems)
    ET.register_namespace("", NAMESPACE)
    root = ET.Element(f"{{{NAMESPACE}}}Project", {"name": project.name, "origin": "impactkit"})
    user_ids = {str(r["name"]): _guid(r["id"], "user") for r in project.users.to_dict("records")}
    for coder in codings["coder"].dropna().astype(str).unique():
        user_ids.setdefault(coder, _guid(coder, "user"))
    if user_ids:
        us = _sub(root, "Users")
        for name, gid in user_ids.items():
            _sub(us, "User", guid=gid, name=name)
    if len(codes):
        _write_codes(_sub(_sub(root, "CodeBook"), "Codes"), codes, code_ids)
    var = project.variables
    var_ids = {n: _guid(n, "variable") for n in var["name"].astype(str).unique()}
    if var_ids:
        vs = _sub(root, "Variables")
        for n, gid in var_ids.items():
            kinds = {type(v) for v in var.loc[var["name"].astype(str) == n, "value"]}
            t = (
                "Boolean"
                if kinds == {bool}
                else "Integer"
                if kinds == {int}
                else "Float"
                if kinds <= {float, int}
                else "Text"
            )
            _sub(vs, "Variable", guid=gid, name=n, typeOfVariable=t)

    def values(el: ET.Element, owner: Any) -> None:
        for rec in var[var["owner"] == owner].to_dict("records"):
            vv = _sub(el, "VariableValue")
            _sub(vv, "VariableRef", targetGUID=var_ids[str(rec["name"])])
            v = rec["value"]
            tag = (
                "BooleanValue"
                if isinstance(v, bool)
                else "IntegerValue"
                if isinstance(v, int)
                else "FloatValue"
                if isinstance(v, float)
                else "TextValue"
            )
            _sub(vv, tag).text = ("true" if v else "false") if isinstance(v, bool) else str(v)

    cases = sources.dropna(subset=["case"])
    case_var = var[var["owner_kind"] == "case"]
    if len(cases) or len(case_var):
        cs = _sub(root, "Cases")
        names = list(dict.fromkeys([*cases["case"].astype(str), *case_var["owner"].astype(str)]))
        for cname in names:
            case = _sub(cs, "Case", guid=_guid(cname, "case"), name=cname)
            values(case, cname)
            for sid in cases.loc[cases["case"].astype(str) == cname, "id"]:
                _sub(case, "SourceRef", targetGUID=src_ids[sid])
    files: dict[str, bytes] = {}
    has_text = sources["text"].map(lambda x: isinstance(x, str))
    no_text = sources[~has_text]
    if len(no_text):
        warnings.warn(
            f"{len(no_text)} source(s) without text (pictures, audio, video, PDFs without a "
            "text representation) are not written",
            ImpactkitWarning,
            stacklevel=3,
        )
    text_sources = sources[has_text]
    if len(text_sources):
        ss = _sub(root, "Sources")
        for rec in text_sources.to_dict("records"):
            gid = src_ids[rec["id"]]
            text = rec["text"] if isinstance(rec["text"], str) else ""
            el = _sub(ss, "TextSource", guid=gid, name=str(rec["name"]))
            if inline:
                _sub(el, "PlainTextContent").text = text
            else:
                el.set("plainTextPath", f"internal://{gid}.txt")
                files[f"sources/{gid}.txt"] = text.encode("utf-8")
            mine = codings[codings["source"] == rec["id"]]
            for (start, end), grp in mine.groupby(["start", "end"], sort=True):
                sel_id = grp["selection"].iloc[0]
                sel = _sub(
                    el,
                    "PlainTextSelection",
                    guid=_guid(sel_id if sel_id else f"{gid}:{start}:{end}", "selection"),
                    startPosition=str(int(start)),
                    endPosition=str(int(end)),
                )
                for cd in grp.to_dict("records"):
                    key = (
                        cd["id"] if cd["id"] else f"{gid}:{start}:{end}:{cd['code']}:{cd['coder']}"
                    )
                    user = user_ids.get(str(cd["coder"]), "") if cd["coder"] is not None else ""
                    coding = _sub(sel, "Coding", guid=_guid(key, "coding"), creatingUser=user)
                    _sub(coding, "CodeRef", targetGUID=code_ids[cd["code"]])
            values(el, rec["id"])
    if project.description:
        _sub(root, "Description").text = project.description
    body = ET.tostring(root, encoding="utf-8", xml_declaration=True)
    return body, files


def write_qdpx(project: QdaProject, path: str | os.PathLike[str], *, inline: bool = False) -> None:
    """Write a REFI-QDA project (``.qdpx``) that QDA software can import.

    Parameters
    ----------
    project : QdaProject
    path : str or path-like
    inline : bool, default False
        True: source texts inside ``project.qde`` (``PlainTextContent``);
        False: one UTF-8 file per source under ``sources/`` referenced as
        ``internal://<guid>.txt``, as the major tools export.

    Notes
    -----
    Sources with text (text sources, PDFs with a text representation) are
    written as text sources; sources without text (pictures, audio, video) are
    left out with a warning, and a coding of one is an error.
    The XML validates against the REFI-QDA 1.5 ``Project.xsd``. Ids that are
    not GUIDs (the schema requires them) get a stable name-based GUID
    (UUID 5), so writing twice gives the same file. The archive is built in
    memory and written atomically.

    Examples
    --------
    >>> import tempfile, os
    >>> from impactkit import examples, qualitative as ql
    >>> p = ql.read_qdpx(examples.interviews_path())
    >>> with tempfile.TemporaryDirectory() as d:
    ...     ql.write_qdpx(p, os.path.join(d, "copy.qdpx"))
    ...     len(ql.read_qdpx(os.path.join(d, "copy.qdpx")).codings) == len(p.codings)
    True
    """
    if not isinstance(project, QdaProject):
        raise ValidationError(
            f"expected a QdaProject, got {type(project).__name__}", path=("project",)
        )
    body, files = _project_xml(project, inline)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        # A fixed timestamp makes the archive depend on the project only.
        for name, data in {"project.qde": body, **files}.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, data)
    from impactkit._atomic import write_file

    write_file(path, buf.getvalue())


# ----------------------------------------------------------------------------- evidence
def codings_to_evidence(
    project: QdaProject,
    mapping: Mapping[str, str | Iterable[str]],
    *,
    kind: str = "testimony",
    stakeholder: str = "",
    stakeholder_variable: str = "stakeholder",
    consent_variable: str = "consent",
    contradicts: Iterable[str] = (),
) -> tuple[Evidence, ...]:
    """Turn coded segments into Evidence linked to theory-of-change nodes.

    Parameters
    ----------
    project : QdaProject
        The coded project (:func:`read_qdpx`).
    mapping : mapping of str to str or list of str
        Code (id or name) to node id(s). Segments with no mapped code give no
        evidence; the names of all their codes become the evidence's themes.
    kind : str, default "testimony"
        Kind of every piece of evidence (see :class:`Evidence`).
    stakeholder : str, optional
        Stakeholder of every segment, unless a source or case variable named
        ``stakeholder_variable`` says otherwise.
    stakeholder_variable : str, default "stakeholder"
        Name of the text variable of the source (or, failing that, of its
        case) giving the segment's stakeholder; an empty or non-text value
        falls back to ``stakeholder``.
    consent_variable : str, default "consent"
        Boolean variable of the source or its case recording consent. Without
        it a segment's evidence has ``consent=False``: consent is never assumed.
    contradicts : iterable of str
        Codes (id or name) marking a segment as contradicting its nodes.

    Returns
    -------
    tuple of Evidence
        One per coded segment (source, start, end), ids ``"<source>@<start>-<end>"``.

    Raises
    ------
    ValidationError
        When a code of ``mapping`` is not in the project's codebook (code
        ``unknown_code``).

    Examples
    --------
    >>> from impactkit import examples, qualitative as ql
    >>> p = ql.read_qdpx(examples.interviews_path())
    >>> ev = ql.codings_to_evidence(p, {"Confiance": "self_esteem"})
    >>> all("self_esteem" in e.nodes for e in ev)
    True
    """
    codes = project.codes
    by_name = dict(zip(codes["name"], codes["id"], strict=True))
    node_map: dict[str, tuple[str, ...]] = {}
    for key, nodes in mapping.items():
        cid = key if key in set(codes["id"]) else by_name.get(key)
        if cid is None:
            raise ValidationError(
                f"code {key!r} is not in the codebook",
                path=("mapping", str(key)),
                code="unknown_code",
            )
        node_map[cid] = (nodes,) if isinstance(nodes, str) else tuple(nodes)
    against = {by_name.get(c, c) for c in contradicts}
    var = project.variables
    src = project.sources.set_index("id")
    owner_vars: dict[tuple[Any, str], Any] = {
        (r["owner"], str(r["name"])): r["value"] for r in var.to_dict("records")
    }

    def lookup(source: Any, name: str) -> Any:
        if (source, name) in owner_vars:
            return owner_vars[(source, name)]
        case = src.at[source, "case"] if source in src.index else None
        return owner_vars.get((case, name))

    names = dict(zip(codes["id"], codes["name"], strict=True))
    out = []
    cod = project.codings
    for seg, grp in cod.groupby(["source", "start", "end"], sort=True):
        source, start, end = cast(tuple[Any, int, int], seg)
        mapped = [c for c in grp["code"] if c in node_map]
        if not mapped:
            continue
        nodes = tuple(dict.fromkeys(n for c in mapped for n in node_map[c]))
        text = grp["text"].iloc[0]
        consent = lookup(source, consent_variable)
        sh = lookup(source, stakeholder_variable)
        out.append(
            Evidence(
                id=f"{grp['source_name'].iloc[0]}@{int(start)}-{int(end)}",
                kind=kind,
                text=text if isinstance(text, str) and text.strip() else "(no text)",
                stakeholder=str(sh) if isinstance(sh, str) and sh else stakeholder,
                nodes=nodes,
                consent=consent is True,
                direction="contradicts" if any(c in against for c in grp["code"]) else "supports",
                source=str(grp["source_name"].iloc[0]),
                themes=tuple(dict.fromkeys(str(names.get(c, c)) for c in grp["code"])),
            )
        )
    return tuple(out)
