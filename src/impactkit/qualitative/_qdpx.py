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
import math
import os
import re
import uuid
import warnings
import xml.etree.ElementTree as ET
import zipfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import Any, cast

import attrs
import pandas as pd

from impactkit.errors import FileFormatError, ImpactkitWarning, Problem, ValidationError
from impactkit.qualitative._records import Evidence

__all__ = [
    "CODE_COLUMNS",
    "CODING_COLUMNS",
    "MAX_CODED_CHARS",
    "MAX_CODE_DEPTH",
    "MAX_ELEMENTS",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_RATIO",
    "MAX_TEXT_CHARS",
    "MAX_TOTAL_BYTES",
    "MAX_XML_DEPTH",
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
MAX_RATIO = 100
"""Largest ratio of uncompressed to compressed size of a member over 1 MiB."""
MAX_ELEMENTS = 300_000
"""Most XML elements in ``project.qde`` (about 100,000 codings)."""
MAX_TEXT_CHARS = 64 * 1024 * 1024
"""Most characters of text and attribute values in ``project.qde``."""
MAX_CODE_DEPTH = 100
"""Deepest nesting of codes in a codebook, on reading and on writing."""
MAX_XML_DEPTH = MAX_CODE_DEPTH + 8
"""Deepest nesting of XML elements (the codes' nesting and the project's own levels)."""
MAX_CODED_CHARS = 32 * 1024 * 1024
"""Most characters over all distinct coded spans (each span's text is kept once)."""
_RATIO_FREE = 1024 * 1024
_CHUNK = 64 * 1024

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


class _Budget:
    """Sizes read so far from one archive, checked against the limits as they grow."""

    def __init__(self) -> None:
        self.bytes = 0
        self.elements = 0
        self.coded = 0

    def add_bytes(self, n: int, what: str) -> None:
        self.bytes += n
        if self.bytes > MAX_TOTAL_BYTES:
            raise _fail(
                f"{what}: the archive unpacks to more than {MAX_TOTAL_BYTES} bytes", "too_large"
            )


class _CountingBuilder:
    """Tree builder that refuses too many elements, too deep nesting or too much text."""

    def __init__(self, what: str, budget: _Budget) -> None:
        self.what = what
        self.budget = budget
        self.depth = 0
        self.text = 0
        self.builder = ET.TreeBuilder()

    def start(self, tag: str, attrib: dict[str, str]) -> ET.Element:
        self.depth += 1
        self.budget.elements += 1
        if self.depth > MAX_XML_DEPTH:
            raise _fail(
                f"{self.what}: elements nest more than {MAX_XML_DEPTH} levels deep", "too_deep"
            )
        if self.budget.elements > MAX_ELEMENTS:
            raise _fail(f"{self.what}: more than {MAX_ELEMENTS} XML elements", "too_large")
        self._count(sum(len(k) + len(v) for k, v in attrib.items()))
        return self.builder.start(tag, attrib)

    def end(self, tag: str) -> ET.Element:
        self.depth -= 1
        return self.builder.end(tag)

    def data(self, data: str) -> None:
        self._count(len(data))
        self.builder.data(data)

    def close(self) -> ET.Element:
        return self.builder.close()

    def _count(self, n: int) -> None:
        self.text += n
        if self.text > MAX_TEXT_CHARS:
            raise _fail(f"{self.what}: more than {MAX_TEXT_CHARS} characters of text", "too_large")


_ENCODINGS = ("utf-8", "utf-16", "iso-8859-1", "us-ascii")
"""Encodings the XML parser reads itself (REFI-QDA asks for UTF-8)."""
_DECLARED = re.compile(rb"""^(?:\xef\xbb\xbf)?\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")


def _parse_xml(chunks: Iterable[bytes], what: str, budget: _Budget | None = None) -> ET.Element:
    """Parse XML fed block by block, counting elements, depth and text as it goes."""
    try:
        import defusedxml
        import defusedxml.ElementTree as DET
    except ImportError as exc:  # pragma: no cover - depends on the extra
        raise ImportError(
            "reading REFI-QDA files needs defusedxml: pip install 'impactkit[qualitative]'"
        ) from exc
    target = _CountingBuilder(what, budget or _Budget())
    parser = DET.DefusedXMLParser(
        target=target, forbid_dtd=True, forbid_entities=True, forbid_external=True
    )
    first = True
    try:
        for chunk in chunks:
            if first:
                first = False
                declared = _DECLARED.match(chunk[:400])
                enc = declared.group(1).decode("ascii", "replace") if declared else "utf-8"
                if enc.strip().lower() not in _ENCODINGS:
                    raise _fail(
                        f"{what}: the XML declares the encoding {enc!r}; REFI-QDA files are UTF-8",
                        "encoding",
                    )
            parser.feed(chunk)
        root: ET.Element = parser.close()
    except FileFormatError:
        raise
    except defusedxml.DefusedXmlException as exc:
        raise _fail(
            f"{what}: XML with a DTD, entities or external references is refused ({exc})",
            "unsafe",
        ) from exc
    except ET.ParseError as exc:
        raise _fail(f"{what}: invalid XML: {exc}", "syntax") from exc
    except (ValueError, LookupError, UnicodeError, RecursionError) as exc:
        raise _fail(f"{what}: unreadable XML ({exc})", "syntax") from exc
    return root


def _member_chunks(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> Iterator[bytes]:
    """The member's bytes by blocks, refused as soon as a size or ratio limit is passed."""
    name = info.filename
    if info.flag_bits & 0x1:
        raise _fail(f"archive member {name!r} is encrypted", "encrypted")
    if info.file_size > MAX_MEMBER_BYTES:
        raise _fail(
            f"archive member {name!r} is {info.file_size} bytes; the limit is {MAX_MEMBER_BYTES}",
            "too_large",
        )
    limit = min(MAX_MEMBER_BYTES, max(_RATIO_FREE, MAX_RATIO * info.compress_size))

    def too_large(size: str) -> FileFormatError:
        return _fail(
            f"archive member {name!r} unpacks to {size} bytes ({info.compress_size} "
            f"compressed; the limits are {MAX_RATIO} times the compressed size above "
            f"{_RATIO_FREE} bytes, and {MAX_MEMBER_BYTES} bytes)",
            "too_large",
        )

    if info.file_size > limit:
        raise too_large(str(info.file_size))
    # The header's sizes may lie: count what really comes out.
    seen = 0
    try:
        with zf.open(info) as fh:
            while block := fh.read(_CHUNK):
                seen += len(block)
                if seen > limit:
                    raise too_large(f"more than {limit}")
                budget.add_bytes(len(block), name)
                yield block
    except (zlib.error, zipfile.BadZipFile, EOFError, NotImplementedError, RuntimeError) as exc:
        raise _fail(
            f"archive member {name!r} is damaged or unsupported ({exc})", "damaged"
        ) from exc


def _read_member(zf: zipfile.ZipFile, info: zipfile.ZipInfo, budget: _Budget) -> bytes:
    return b"".join(_member_chunks(zf, info, budget))


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
    stack: list[tuple[ET.Element, str | None, int]] = []
    for codes in _children(codebook, "Codes"):
        stack += [(c, None, 1) for c in reversed(_children(codes, "Code"))]
    seen: set[str] = set()
    problems: list[Problem] = []
    while stack:  # depth first, parents before children, document order
        el, parent, level = stack.pop()
        guid = el.get("guid", "")
        if level > MAX_CODE_DEPTH:
            problems.append(
                Problem(
                    ("CodeBook", "Code", guid),
                    "too_deep",
                    f"codes nest more than {MAX_CODE_DEPTH} levels deep",
                )
            )
            continue
        if guid in seen:
            problems.append(
                Problem(
                    ("CodeBook", "Code", guid), "duplicate", f"two codes have the guid {guid!r}"
                )
            )
        seen.add(guid)
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
        stack += [(c, guid, level + 1) for c in reversed(_children(el, "Code"))]
    if problems:
        raise FileFormatError(problems)
    return rows


def _value_of(vv: ET.Element, problems: list[Problem], where: tuple[str, ...]) -> Any:
    for t in _VALUE_TAGS:
        found = _children(vv, t)
        if found:
            text = (found[0].text or "").strip()
            if t == "BooleanValue":
                return text.lower() in ("true", "1")
            if t == "IntegerValue" and re.fullmatch(r"[-+]?\d+", text):
                if len(text.lstrip("+-")) > 18:
                    problems.append(
                        Problem(
                            (*where, t), "out_of_range", f"integer of {len(text)} digits refused"
                        )
                    )
                    return None
                return int(text)
            if t == "FloatValue":
                try:
                    x = float(text)
                except ValueError:
                    return text
                if not math.isfinite(x):
                    problems.append(
                        Problem((*where, t), "not_finite", f"{text[:20]!r} is not a finite number")
                    )
                    return None
                return x
            return text
    return None


def _source_text(
    el: ET.Element,
    members: Mapping[str, zipfile.ZipInfo],
    zf: zipfile.ZipFile | None,
    budget: _Budget,
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
    budget: _Budget,
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
    problems: list[Problem] = []

    def add_values(owner: ET.Element, kind: str, key: str) -> None:
        for vv in _children(owner, "VariableValue"):
            ref = _children(vv, "VariableRef")
            target = ref[0].get("targetGUID", "") if ref else ""
            name = var_names.get(target, target)
            variables.append(
                {
                    "owner": key,
                    "owner_kind": kind,
                    "name": name,
                    "value": _value_of(vv, problems, (kind, key, name)),
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
    seen: set[str] = set()
    spans_text: dict[tuple[int, int], str] = {}
    for ss in _children(root, "Sources"):
        for el in ss:
            kind = _SOURCE_KINDS.get(_tag(el))
            if kind is None:
                continue
            sid = el.get("guid", "")
            sname = el.get("name", "") or sid
            if sid in seen:
                problems.append(
                    Problem(("Sources", sname), "duplicate", f"two sources have the guid {sid!r}")
                )
                continue
            seen.add(sid)
            spans_text.clear()
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
                ends = (sel.get("startPosition", "").strip(), sel.get("endPosition", "").strip())
                if all(re.fullmatch(r"-?\d{1,15}", x) for x in ends):
                    start, end = int(ends[0]), int(ends[1])
                else:
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
                found = _children(sel, "Coding")
                span = None
                if text is not None and found:
                    # one string per distinct span, shared by all its codings
                    span = spans_text.get((start, end))
                    if span is None:
                        budget.coded += end - start
                        if budget.coded > MAX_CODED_CHARS:
                            raise _fail(
                                f"the coded spans cover more than {MAX_CODED_CHARS} characters",
                                "too_large",
                                "Sources",
                                sname,
                            )
                        span = spans_text[(start, end)] = text[start:end]
                for cd in found:
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
                            "text": span,
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
        # text as objects: the codings of one span share one string (a str column
        # would copy every span)
        codings=pd.DataFrame(
            {
                c: pd.Series([r[c] for r in codings], dtype=object if c == "text" else None)
                for c in CODING_COLUMNS
            }
        ),
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
        spans outside their text, codings of unknown codes. Also, checked as
        the archive is unpacked and parsed: a member unpacking to more than
        :data:`MAX_RATIO` times its packed size (above 1 MiB), more than
        :data:`MAX_ELEMENTS` elements, :data:`MAX_TEXT_CHARS` characters or
        :data:`MAX_XML_DEPTH` levels of XML, codes nested more than
        :data:`MAX_CODE_DEPTH` levels, distinct coded spans of more than
        :data:`MAX_CODED_CHARS` characters in all; encrypted or damaged
        members, an encoding other than UTF-8 (or UTF-16, ISO-8859-1,
        US-ASCII, which the parser reads itself), integers of more than 18
        digits, non-finite numbers, two sources or two codes with one GUID.

    Notes
    -----
    The codings of one span share one string: the ``text`` column holds
    objects, so reading costs the distinct spans, not one copy per coding.

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
        root = _parse_xml([raw], label)
        if root.tag != f"{{{CODEBOOK_NAMESPACE}}}CodeBook":
            raise _fail(f"{label}: expected a CodeBook in {CODEBOOK_NAMESPACE}", "format")
        return _parse_project(root, None, {}, _Budget())
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
            files = [i.filename for i in infos if not i.is_dir()]
            if len(members) != len(files):  # the same name twice: which one is read is arbitrary
                counts = Counter(n.lower() for n in files)
                twice = sorted(n for n in files if counts[n.lower()] > 1)
                raise _fail(
                    f"{label}: members named twice (letter case aside) are refused: {twice[:5]}",
                    "duplicate",
                )
            qde = members.get("project.qde")
            if qde is None:
                raise _fail(f"{label} has no project.qde", "missing")
            budget = _Budget()
            root = _parse_xml(_member_chunks(zf, qde, budget), "project.qde", budget)
            return _parse_project(root, zf, members, budget)
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        NotImplementedError,
        EOFError,
        zlib.error,
        RuntimeError,
    ) as exc:
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
        if depth >= MAX_CODE_DEPTH and kids.get(parent_id):
            raise ValidationError(
                f"codes nest more than {MAX_CODE_DEPTH} levels deep (code {parent_id!r})",
                path=("codes",),
                code="too_deep",
            )
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


_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_SURROGATE = re.compile("[\ud800-\udfff]")


def _unwritable(project: QdaProject, inline: bool) -> list[Problem]:
    """Text XML 1.0 cannot hold (control characters, lone surrogates), located."""
    problems = []

    def check(value: Any, path: tuple[str | int, ...], pattern: re.Pattern[str]) -> None:
        if isinstance(value, str) and (m := pattern.search(value)):
            problems.append(
                Problem(
                    path,
                    "unwritable",
                    f"character U+{ord(m.group()):04X} at position {m.start()} cannot be "
                    "written to a REFI-QDA file",
                )
            )

    check(project.name, ("name",), _NOT_XML)
    check(project.description, ("description",), _NOT_XML)
    tables = {
        "codes": (project.codes, ("id", "name", "description", "color")),
        "sources": (project.sources, ("id", "name", "case")),
        "codings": (project.codings, ("id", "selection", "coder")),
        "users": (project.users, ("id", "name")),
        "variables": (project.variables, ("owner", "name", "value")),
    }
    for what, (df, cols) in tables.items():
        for col in cols:
            for i, v in enumerate(df[col]):
                check(v, (what, i, col), _NOT_XML)
    for i, v in enumerate(project.variables["value"]):
        # what read_qdpx refuses is not written (a missing value, None or NaN, is left out)
        if isinstance(v, int) and not isinstance(v, bool) and abs(v) >= 10**18:
            problems.append(
                Problem(
                    ("variables", i, "value"),
                    "out_of_range",
                    "integers of more than 18 digits cannot be written",
                )
            )
        elif isinstance(v, float) and math.isinf(v):
            problems.append(
                Problem(("variables", i, "value"), "not_finite", f"{v} is not a finite number")
            )
    for i, v in enumerate(project.sources["text"]):
        # a text written as a file only needs to be UTF-8; inline it must be XML
        check(v, ("sources", i, "text"), _NOT_XML if inline else _SURROGATE)
    return problems


def _project_xml(project: QdaProject, inline: bool) -> tuple[bytes, dict[str, bytes]]:
    codes, sources, codings = project.codes, project.sources, project.codings
    problems = _unwritable(project, inline)
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
            v = rec["value"]
            if v is None or (isinstance(v, float) and math.isnan(v)):
                continue  # a missing value
            vv = _sub(el, "VariableValue")
            _sub(vv, "VariableRef", targetGUID=var_ids[str(rec["name"])])
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
                # the reader drops one leading byte-order mark: keep the text's own
                bom = "\ufeff" if text.startswith("\ufeff") else ""
                files[f"sources/{gid}.txt"] = (bom + text).encode("utf-8")
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
    # A parser reads a raw CR (alone or before LF) as LF, which moves every offset
    # after it: written as a character reference it stays a CR. Attribute values
    # are escaped already, so raw CRs are in text content only.
    return body.replace(b"\r", b"&#13;"), files


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
    Reading the file back gives the same texts and offsets: carriage returns
    are written as character references (a parser would turn them into line
    feeds). Names and inline texts holding characters XML cannot carry
    (control characters, lone surrogates) are a :class:`ValidationError`
    naming each cell, and so are variable values :func:`read_qdpx` refuses
    (integers of more than 18 digits, infinite numbers); missing values (None,
    NaN) are left out. Codes may nest :data:`MAX_CODE_DEPTH` levels, the limit
    of :func:`read_qdpx`.
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
        Code (id or name) to node id(s); a name stands for every code of that
        name. Segments with no mapped code give no
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
        Consent holds only when every value recorded for the source and its
        case is true: contradictory values mean no consent.
    contradicts : iterable of str
        Codes (id or name) marking a segment as contradicting its nodes.

    Returns
    -------
    tuple of Evidence
        One per coded segment (source, start, end), ids ``"<source>@<start>-<end>"``
        with the source's name, followed by its id in brackets when several
        sources share that name (``"Interview [<id>]@0-120"``), so ids stay unique.

    Raises
    ------
    ValidationError
        When a code of ``mapping`` or ``contradicts`` is not in the project's
        codebook (code ``unknown_code``), every one at once.

    Examples
    --------
    >>> from impactkit import examples, qualitative as ql
    >>> p = ql.read_qdpx(examples.interviews_path())
    >>> ev = ql.codings_to_evidence(p, {"Confiance": "self_esteem"})
    >>> all("self_esteem" in e.nodes for e in ev)
    True
    """
    codes = project.codes
    # codes of the same name (in different branches of the codebook) all count
    by_name: dict[Any, list[Any]] = {}
    for name, cid in zip(codes["name"], codes["id"], strict=True):
        by_name.setdefault(name, []).append(cid)
    ids = set(codes["id"])

    def resolve(key: Any) -> list[Any]:
        return [key] if key in ids else by_name.get(key, [])

    node_map: dict[str, tuple[str, ...]] = {}
    contradicts = list(contradicts)
    # a code of contradicts not in the codebook would leave its segments "supports"
    unknown = [("mapping", key) for key in mapping if not resolve(key)]
    unknown += [("contradicts", key) for key in contradicts if not resolve(key)]
    if unknown:
        raise ValidationError(
            [
                Problem((field, str(key)), "unknown_code", f"code {key!r} is not in the codebook")
                for field, key in unknown
            ]
        )
    for key, nodes in mapping.items():
        for cid in resolve(key):
            new = (nodes,) if isinstance(nodes, str) else tuple(nodes)
            node_map[cid] = tuple(dict.fromkeys((*node_map.get(cid, ()), *new)))
    against = {cid for c in contradicts for cid in resolve(c)}
    var = project.variables
    src = project.sources.drop_duplicates("id").set_index("id")
    owner_vars: dict[tuple[Any, str], list[Any]] = {}
    for r in var.to_dict("records"):
        owner_vars.setdefault((r["owner"], str(r["name"])), []).append(r["value"])

    def recorded(source: Any, name: str) -> list[Any]:
        """Values of the source, then of its case."""
        case = src.at[source, "case"] if source in src.index else None
        return [*owner_vars.get((source, name), []), *owner_vars.get((case, name), [])]

    def lookup(source: Any, name: str) -> Any:
        found = recorded(source, name)
        return found[0] if found else None

    def consented(source: Any) -> bool:
        # consent only when every recorded value says so: contradictory values
        # (on the source, or between the source and its case) mean no consent
        found = recorded(source, consent_variable)
        return bool(found) and all(v is True for v in found)

    names = dict(zip(codes["id"], codes["name"], strict=True))
    # sources sharing a name are told apart by their id, so that evidence ids stay unique
    shared = src["name"][src["name"].duplicated(keep=False)]
    label = {sid: f"{name} [{sid}]" for sid, name in shared.items()}
    out = []
    cod = project.codings
    for seg, grp in cod.groupby(["source", "start", "end"], sort=True):
        source, start, end = cast(tuple[Any, int, int], seg)
        mapped = [c for c in grp["code"] if c in node_map]
        if not mapped:
            continue
        nodes = tuple(dict.fromkeys(n for c in mapped for n in node_map[c]))
        text = grp["text"].iloc[0]
        sh = lookup(source, stakeholder_variable)
        out.append(
            Evidence(
                id=f"{label.get(source, grp['source_name'].iloc[0])}@{int(start)}-{int(end)}",
                kind=kind,
                text=text if isinstance(text, str) and text.strip() else "(no text)",
                stakeholder=str(sh) if isinstance(sh, str) and sh else stakeholder,
                nodes=nodes,
                consent=consented(source),
                direction="contradicts" if any(c in against for c in grp["code"]) else "supports",
                source=str(grp["source_name"].iloc[0]),
                themes=tuple(dict.fromkeys(str(names.get(c, c)) for c in grp["code"])),
            )
        )
    return tuple(out)
