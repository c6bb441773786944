"""The Excel value map: a live workbook on the structure SROI practitioners know.

Sheets, named in the chosen language (English / French):

* *Settings* / *Paramètres*: name, currency, base year, discount rate,
  timing convention, price index (a year / level table);
* *Stakeholders* / *Parties prenantes*: the stakeholders of the theory of
  change, read as their list (a row added is a stakeholder, which the
  stakeholder drop-down lists offer);
* *Inputs* / *Ressources*: what is invested, with its discount factor and
  present value as formulas;
* *Value map* / *Carte de valeur*: one row per outcome under the five stage
  headings; price factor, impact, the value of each year (drop-off) and the
  present value are formulas;
* *SROI calculation* / *Calcul SROI*: value of each year, discount factors,
  present values, total present value, net present value and the ratio, with
  the defined names ``total_present_value``, ``total_inputs``,
  ``net_present_value`` and ``sroi_ratio``;
* *Uncertainty* / *Incertitude*: one row per uncertain figure, with its
  distribution and parameters in readable columns; the parameter that sets
  its centre (a mode, a mean) is a formula of the figure's cell, so that the
  two cannot disagree;
* *Theory of change* / *Théorie du changement*: its nodes (kind, label,
  stakeholder, horizon, first indicator) and links (with their evidence
  level, chosen in words from a list), read as the list of
  nodes and links;
* *_data* (hidden): only what no visible column shows: the rest of the
  theory of change (indicators, measures, a link's assumptions; its
  stakeholders are read from the visible sheet), metadata, evidence
  (consented, names pseudonymised) and engagement records, and the measurement
  calculators, sources, evidence grades and proxy unit of each row, so that
  reading a written workbook gives the model back exactly.

Text is always stored as text (a label beginning with ``=`` is never a
formula); the computed cells are the only formulas. What the workbook shows
is what is read: a blank cell is blank, and a formula or an external link in
an input cell, merged input cells, an ambiguous number typed as text
(``"1,234"``) and a hidden figure for a visible column are problems located
at their cell (``Carte de valeur!E4``), in the workbook's language, all at
once. Numbers may be typed the French way (``100 000,50``, ``25 %``).
Reading first streams every XML part once, counting elements, cells per
row, rich-text runs and characters, and refuses a workbook beyond a limit
before openpyxl builds anything; then it reads the sheets in read-only mode
within limits of rows, columns and filled cells.

This module reads; :mod:`impactkit.io._excel_write` writes and
:mod:`impactkit.io._excel_layout` holds what both share (sheets, columns,
rows, words).
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from impactkit.errors import (
    FileFormatError,
    ImpactkitWarning,
    PathElement,
    Problem,
    ValidationError,
)
from impactkit.io._excel_layout import (
    COMPUTED,
    DIST_NAMES,
    DIST_PARAMS,
    FIRST_ROW,
    INPUT_COLUMNS,
    INPUT_FIRST,
    INTEGERS,
    KEY_ROW,
    OPTIONS,
    PERCENT,
    PI_COL,
    PROXY_FIELDS,
    REQUIRED,
    ROW_NUMBERS,
    SETTINGS_FIRST,
    SETTINGS_KEYS,
    SETTINGS_NAMES_FR,
    SHEETS,
    TOC_FIRST,
    TOC_KEY_ROW,
    UNC_FIRST,
    UNC_KEY_COLUMNS,
    UNC_KEYS,
    WORDS,
    _cell_ref,
    _central,
    _detect_lang,
    _heading,
    _letter,
    _map_columns,
    _openpyxl,
    _q,
    _say,
    centre_formula,
    centre_key,
    centre_value,
    number_text,
    option_value,
    setting_key,
)
from impactkit.io._excel_write import write_value_map, write_value_map_template
from impactkit.io._files import FORMAT_VERSION, from_dict
from impactkit.model import ImpactModel

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_ELEMENTS",
    "MAX_COLUMNS",
    "MAX_RICH_RUNS",
    "MAX_ROWS",
    "MAX_ROW_CELLS",
    "MAX_TEXT_CHARS",
    "MAX_WORKBOOK_BYTES",
    "MAX_XML_ELEMENTS",
    "read_value_map",
    "write_value_map",
    "write_value_map_template",
]

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
"""Largest workbook read, on disk and for any part once uncompressed (bytes)."""
MAX_ROWS = 5_000
"""Rows read per sheet; a sheet with more is refused."""
MAX_COLUMNS = 400
"""Columns read per sheet (enough for 300 years of value)."""
MAX_CELLS = 200_000
"""Non-empty cells read per workbook."""
MAX_JSON_DEPTH = 64
_MAX_UNZIPPED = 5 * MAX_WORKBOOK_BYTES


# --------------------------------------------------------------------------- reading
class _Limits(Exception):
    pass


_BAD = object()  # an input cell whose value could not be read (already reported)
# stand-ins for values already reported as wrong: valid, so that the model's own
# checks still run on the rest of the workbook without repeating the problem
_STAND_IN: dict[str, Any] = {
    **dict.fromkeys(ROW_NUMBERS, 0.0),
    "duration": 1,
    "start_year": 1,
    "outcome": "unreadable",
    "stakeholder": "unreadable",
    "input_amount": 0.0,
    "input_year": 0,
    "input_label": "unreadable",
    "input_in_kind": False,
}


class _Problems(list[Problem]):
    """The problems found while reading, and the language to word them in."""

    lang = "en"

    def __init__(self) -> None:
        super().__init__()
        # an Uncertainty row -> the (heading key, cell) of each parameter it gives
        self.unc_cells: dict[tuple[PathElement, ...], list[tuple[str, str]]] = {}


MAX_XML_ELEMENTS = 1_000_000
"""XML elements read per workbook, every part together, before anything is built."""
MAX_CELL_ELEMENTS = 400_000
"""Cell elements (filled or empty) per workbook."""
MAX_ROW_CELLS = 16_384
"""Cell elements per row (the column count of a spreadsheet)."""
MAX_RICH_RUNS = 20_000
"""Rich-text runs per workbook."""
MAX_TEXT_CHARS = 32_000_000
"""Characters of text per workbook."""

_DIMENSION = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row) of ``A1`` or ``A1:C4``; None when malformed."""
    m = _DIMENSION.match(ref.strip().upper())
    if m is None:
        return None
    c1, r1 = _col_number(m.group(1)), int(m.group(2))
    c2 = _col_number(m.group(3)) if m.group(3) else c1
    r2 = int(m.group(4)) if m.group(4) else r1
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


class _Scan:
    """One streaming pass over every XML part, counting before anything is built.

    openpyxl builds a whole row, and every rich-text run of the shared strings,
    before a caller sees it: a few kilobytes of zipped XML can ask for
    gigabytes. This pass keeps nothing but counts and the merged ranges, and
    stops at the first limit.
    """

    def __init__(self, z: zipfile.ZipFile, lang: str) -> None:
        self.z = z
        self.lang = lang
        self.elements = self.cells = self.runs = self.text = 0
        self.sheet_names: dict[str, str] = {}  # part -> sheet name
        self.merges: dict[str, list[str]] = {}  # sheet name -> merged ranges

    def refuse(self, where: str, key: str, **kw: Any) -> FileFormatError:
        return FileFormatError(
            [Problem((where,), "too_large", _say(self.lang, key, where=where, **kw))]
        )

    def parse(self, member: str, kind: str) -> list[tuple[str, dict[str, str]]]:
        """Stream one part; returns the elements of interest (workbook and rels parts).

        Elements are counted on the raw bytes before they reach the parser (``<``
        not followed by ``/``: an upper bound), so a part is refused before a
        single handler runs on what lies beyond the limit; the handlers look
        only at the few elements that matter.
        """
        from xml.parsers import expat

        where = self.sheet_names.get(member, member)
        found: list[tuple[str, dict[str, str]]] = []
        row: list[Any] = ["?", 0, 0]  # row number, cells in the row, rows so far
        merges = self.merges.setdefault(where, []) if kind == "sheet" else []

        def run() -> None:
            self.runs += 1
            if self.runs > MAX_RICH_RUNS:
                raise self.refuse(where, "runs", limit=MAX_RICH_RUNS)

        def sheet(name: str, attrs: dict[str, str]) -> None:
            # one function, most frequent first: it runs on every element of a sheet
            if ":" in name:
                name = name.rpartition(":")[2]
            if name == "c":
                row[1] += 1
                if row[1] > MAX_ROW_CELLS:
                    raise self.refuse(where, "row_cells", row=row[0], limit=MAX_ROW_CELLS)
                self.cells += 1
                if self.cells > MAX_CELL_ELEMENTS:
                    raise self.refuse(where, "cell_elements", limit=MAX_CELL_ELEMENTS)
            elif name == "row":
                row[0], row[1], row[2] = attrs.get("r", "?"), 0, row[2] + 1
                r = row[0]
                number = (int(r) if len(r) < 9 else 10**9) if r.isdigit() else row[2]
                if max(number, row[2]) > 4 * MAX_ROWS:
                    raise self.refuse(where, "rows", row=row[0], limit=4 * MAX_ROWS)
            elif name == "r":
                run()
            elif name == "mergeCell":
                merges.append(str(attrs.get("ref", "")))
            elif name == "dimension":
                self.dimension(where, str(attrs.get("ref", "")))

        def strings(name: str, attrs: dict[str, str]) -> None:
            if name == "r" or name.endswith(":r"):
                run()

        def listed(name: str, attrs: dict[str, str]) -> None:
            local = name.rpartition(":")[2]
            if local in ("sheet", "Relationship"):
                found.append((local, dict(attrs)))

        def chars(data: str) -> None:
            self.text += len(data)
            if self.text > MAX_TEXT_CHARS:
                raise self.refuse(where, "text", limit=MAX_TEXT_CHARS)

        def doctype(*args: Any) -> None:
            raise FileFormatError(
                [Problem((where,), "format", _say(self.lang, "dtd", where=where))]
            )

        parser = expat.ParserCreate()
        parser.buffer_text = True  # one call per text node, not per line
        handler = {"sheet": sheet, "strings": strings, "workbook": listed, "rels": listed}
        if kind in handler:
            parser.StartElementHandler = handler[kind]
        parser.CharacterDataHandler = chars
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            with self.z.open(member) as f:
                while chunk := f.read(1 << 16):
                    self.elements += chunk.count(b"<") - chunk.count(b"</")
                    if self.elements > MAX_XML_ELEMENTS:
                        raise self.refuse(where, "elements", limit=MAX_XML_ELEMENTS)
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise FileFormatError(
                [Problem((where,), "format", _say(self.lang, "xml", where=where, error=exc))]
            ) from None
        except FileFormatError:
            raise
        except Exception as exc:  # corrupt deflate stream, bad CRC, encryption, ...
            error = str(exc) or type(exc).__name__
            raise FileFormatError(
                [Problem((where,), "format", _say(self.lang, "member", where=where, error=error))]
            ) from None
        return found

    def dimension(self, where: str, ref: str) -> None:
        bounds = _range_bounds(ref)
        rows, cols = 4 * MAX_ROWS, MAX_ROW_CELLS
        if bounds is None or bounds[3] > rows or bounds[2] > cols:
            raise self.refuse(where, "dimension", ref=ref[:40], rows=rows, cols=cols)

    def run(self) -> None:
        names = set(self.z.namelist())
        workbook = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for _, a in self.parse("_rels/.rels", "rels"):
                if str(a.get("Type", "")).endswith("/officeDocument"):
                    workbook = str(a.get("Target", workbook)).lstrip("/")
        folder = workbook.rpartition("/")[0]
        rels_part = f"{folder}/_rels/{workbook.rpartition('/')[2]}.rels"
        targets: dict[str, str] = {}
        if rels_part in names:
            for _, a in self.parse(rels_part, "rels"):
                t = str(a.get("Target", ""))
                targets[str(a.get("Id", ""))] = (
                    t.lstrip("/") if t.startswith("/") else (f"{folder}/{t}" if folder else t)
                )
        if workbook in names:
            sheets = self.parse(workbook, "workbook")
            for _, a in sheets:
                rid = next((v for k, v in a.items() if k.endswith(":id") or k == "id"), "")
                if rid in targets:
                    self.sheet_names[targets[rid]] = str(a.get("name", ""))
            if _detect_lang([str(a.get("name", "")) for _, a in sheets]) == "fr":
                self.lang = "fr"
        done = {"_rels/.rels", rels_part, workbook}
        for member in sorted(names - done):
            if not member.lower().endswith((".xml", ".rels", ".vml")):
                continue
            kind = (
                "sheet"
                if member in self.sheet_names
                else "strings"
                if member.lower().endswith("sharedstrings.xml")
                else "other"
            )
            self.parse(member, kind)


class _Reader:
    """Streams the sheets of a workbook within limits; collects problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems = _Problems()
        self.cells = 0
        self.merges: dict[str, list[str]] = {}
        self.grids: dict[str, dict[tuple[int, int], tuple[Any, bool]]] = {}
        self.text_numbers = "read"

    def open(self) -> Any:
        p = self.path
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise FileFormatError(f"{p.name} cannot be read: {exc}", code="format") from exc
        if size > MAX_WORKBOOK_BYTES:
            raise FileFormatError(
                f"{p.name} is {size:,} bytes; a value map is read up to "
                f"{MAX_WORKBOOK_BYTES:,} bytes",
                code="too_large",
            )
        suffix = p.suffix.lower()
        if suffix in (".ods", ".xls"):
            return self._open_calamine(suffix)
        openpyxl = _openpyxl()
        try:
            with zipfile.ZipFile(p) as z:
                infos = z.infolist()
                if sum(i.file_size for i in infos) > _MAX_UNZIPPED or any(
                    i.file_size > MAX_WORKBOOK_BYTES * 4 for i in infos
                ):
                    raise FileFormatError(
                        f"{p.name} expands to more than {_MAX_UNZIPPED:,} bytes: refused",
                        code="too_large",
                    )
                scan = _Scan(z, "en")
                scan.run()
        except (zipfile.BadZipFile, OSError) as exc:
            raise FileFormatError(
                f"{p.name} is not an Excel workbook: {exc}", code="format"
            ) from exc
        self.merges = scan.merges
        return self._load(openpyxl, data_only=False)

    def _open_calamine(self, suffix: str) -> Any:
        """An ``.ods`` (streamed once within the limits first) or an ``.xls``."""
        from impactkit.io._excel_calamine import CalamineBook, OdsScan, calamine

        calamine()  # the extra is there before anything is read
        p = self.path
        scan = None
        if suffix == ".ods":
            try:
                with zipfile.ZipFile(p) as z:
                    infos = z.infolist()
                    if sum(i.file_size for i in infos) > _MAX_UNZIPPED:
                        raise FileFormatError(
                            f"{p.name} expands to more than {_MAX_UNZIPPED:,} bytes: refused",
                            code="too_large",
                        )
                    if "content.xml" not in z.namelist():
                        raise FileFormatError(
                            f"{p.name} is not an OpenDocument spreadsheet: no content.xml",
                            code="format",
                        )
                    scan = OdsScan(
                        max_elements=MAX_XML_ELEMENTS,
                        max_cells=MAX_CELL_ELEMENTS,
                        max_text=MAX_TEXT_CHARS,
                    )
                    scan.run(z, p.name)
            except (zipfile.BadZipFile, OSError) as exc:
                raise FileFormatError(
                    f"{p.name} is not an OpenDocument spreadsheet: {exc}", code="format"
                ) from exc
        book = CalamineBook(p, scan)
        for name in book.sheetnames:
            self.merges[name] = book.merges(name)
        return book

    def _load(self, openpyxl: Any, *, data_only: bool) -> Any:
        import warnings

        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        try:
            with warnings.catch_warnings(), _LOAD_LOCK:
                warnings.simplefilter("ignore")
                original = ReadOnlyWorksheet._get_size
                ReadOnlyWorksheet._get_size = _sheet_size
                try:
                    return openpyxl.load_workbook(self.path, read_only=True, data_only=data_only)
                finally:
                    ReadOnlyWorksheet._get_size = original
        except Exception as exc:
            raise FileFormatError(
                f"{self.path.name} cannot be read as an Excel workbook: "
                f"{str(exc) or type(exc).__name__}",
                code="format",
            ) from exc

    def grid(self, wb: Any, sheet: str) -> dict[tuple[int, int], tuple[Any, bool]]:
        """Non-empty cells of a sheet: (row, col) -> (value, is_formula)."""
        if sheet in self.grids:
            return self.grids[sheet]
        if hasattr(wb, "rows"):  # an .ods or .xls read by calamine
            cells = wb.rows(sheet)
        else:
            ws = wb[sheet]
            if hasattr(ws, "reset_dimensions"):
                ws.reset_dimensions()  # the stored dimension may lie: read what is there
            cells = self._openpyxl_cells(ws, sheet)
        out: dict[tuple[int, int], tuple[Any, bool]] = {}
        try:
            for r, j, v, is_formula in cells:
                if r > MAX_ROWS or j > MAX_COLUMNS:
                    raise _Limits(
                        f"sheet {sheet!r} goes beyond row {MAX_ROWS} or column "
                        f"{MAX_COLUMNS}: a value map is read within these limits"
                    )
                self.cells += 1
                if self.cells > MAX_CELLS:
                    raise _Limits(f"the workbook has more than {MAX_CELLS:,} filled cells")
                out[(r, j)] = (v, is_formula)
        except _Limits as exc:
            raise FileFormatError([Problem((sheet,), "too_large", str(exc))]) from None
        except FileFormatError:
            raise
        except Exception as exc:
            raise FileFormatError(
                [
                    Problem(
                        (sheet,),
                        "format",
                        f"sheet {sheet!r} cannot be read: {str(exc) or type(exc).__name__}",
                    )
                ]
            ) from exc
        self.grids[sheet] = out
        return out

    @staticmethod
    def _openpyxl_cells(ws: Any, sheet: str) -> Iterator[tuple[int, int, Any, bool]]:
        """(row, column, value, is_formula) of the filled cells of an openpyxl sheet."""
        for n, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1)):
            if n > 4 * MAX_ROWS:
                raise _Limits(f"sheet {sheet!r} has more than {4 * MAX_ROWS} rows")
            for c in row:
                v = getattr(c, "value", None)
                if v is None or v == "":
                    continue
                yield c.row, c.column, v, getattr(c, "data_type", None) == "f"

    def merged(self, sheet: str, first_row: int) -> None:
        """Merged ranges reaching the input rows of a sheet are located problems."""
        for ref in self.merges.get(sheet, ()):
            bounds = _range_bounds(ref)
            if bounds is None or bounds[3] < first_row:
                continue
            at = _cell_ref(bounds[0], max(bounds[1], first_row))
            self.problems.append(
                Problem(
                    (sheet, at),
                    "merged_cells",
                    _say(self.problems.lang, "merged", ref=f"{sheet}!{at}", range=ref),
                )
            )


_LOAD_LOCK = threading.Lock()


def _sheet_size(ws: Any) -> None:
    """The dimension a sheet declares, read from its first elements only.

    openpyxl's own reading of it parses the whole sheet when the sheet has no
    dimension element, which takes seconds on a large hostile workbook before
    any limit can apply; the declared dimension is only a hint here anyway.
    """
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    dimension, data = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"
    src = ws._get_source()
    try:
        for _, element in iterparse(src, events=("start",)):
            if element.tag == dimension:
                dims = SheetDimension.from_tree(element).boundaries
                if dims is not None:
                    ws._min_column, ws._min_row, ws._max_column, ws._max_row = dims
                break
            if element.tag == data:
                break
    finally:
        src.close()


def _json_cell(text: Any, where: tuple[PathElement, ...], probs: list[Problem]) -> Any:
    if not isinstance(text, str):
        probs.append(Problem(where, "type", "expected JSON text"))
        return None
    depth = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                probs.append(
                    Problem(where, "too_deep", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
                )
                return None
        elif ch in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        probs.append(Problem(where, "syntax", f"not valid JSON: {exc}"))
        return None


_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# one separator then exactly three digits after one to three digits not starting with 0:
# "1,234" is 1234 to an English reader and 1.234 to a French one
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3}){2,}$|^[+-]?[1-9]\d{0,2}(\.\d{3}){2,}$")


class AmbiguousNumber(ValueError):
    """Text such as ``"1,234"``: a thousands separator in English, a decimal comma in French."""

    def __init__(self, text: Any) -> None:
        super().__init__(
            f"ambiguous number {text!r}: thousands or decimals? Type it as a number cell, "
            "or without the separator (1234), or with two decimals (1,23 or 1.23)"
        )
        self.text = text


def parse_number(v: Any, *, integer: bool = False, percent: bool = False) -> float | int:
    """A number from a cell: a number, or text typed the French or English way.

    ``"100 000,50"``, ``"1 234,5 €"``, ``"25 %"`` (0.25) and ``"1,234.5"`` are
    accepted; anything else raises ``ValueError`` with a message.
    """
    if isinstance(v, bool):
        raise ValueError(f"expected a number, got {v!r}")
    if isinstance(v, int | float):
        x: float | int = v
    elif isinstance(v, str):
        s = v.strip()
        for sp in ("\u00a0", "\u202f", " ", "'"):
            s = s.replace(sp, "")
        pct = s.endswith("%")
        s = s.rstrip("%")
        for sym in ("€", "EUR", "£", "GBP", "$", "USD"):
            s = s.replace(sym, "")
        if _AMBIGUOUS.match(s):
            raise AmbiguousNumber(v)
        if _GROUPED.match(s):  # 1,234,567 or 1.234.567: only thousands
            s = s.replace(",", "").replace(".", "")
        elif "," in s and "." in s:
            s = (
                s.replace(".", "").replace(",", ".")
                if s.rfind(",") > s.rfind(".")
                else s.replace(",", "")
            )
        elif "," in s:
            s = s.replace(",", ".")
        if not _NUM.match(s):
            raise ValueError(f"expected a number, got {v!r}")
        x = float(s) / 100.0 if pct else float(s)
        plain_int = "." not in s and "e" not in s.lower() and abs(x) < 2**53
        if not pct and ((integer and x == int(x)) or plain_int):
            x = int(x)
    else:
        raise ValueError(f"expected a number, got {type(v).__name__}")
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"expected a finite number, got {v!r}")
    if integer:
        if isinstance(x, float) and (x != int(x) or percent):
            raise ValueError(f"expected a whole number, got {v!r}")
        return int(x)
    return x


def read_value_map(path: str | os.PathLike[str], *, text_numbers: str = "read") -> ImpactModel:
    """Read a value map written by :func:`write_value_map` or filled by hand.

    Parameters
    ----------
    path : str or path-like
        An ``.xlsx`` workbook with English or French sheet names, or the same
        workbook saved as OpenDocument (``.ods``) or Excel 97-2003 (``.xls``),
        read with python-calamine (the ``excel`` extra) and the same checks.
    text_numbers : {"read", "warn", "refuse"}
        What to do with a number typed as text (``"120,5"``, ``"25 %"``) in
        a cell the workbook's formulas read, where the spreadsheet shows
        #VALUE! or counts 0 while the number it spells is read: ``"read"``
        reads it silently; ``"warn"`` reads it and issues a
        :class:`~impactkit.ImpactkitWarning` (a ``CellWarning``) whose
        ``problems`` name each cell (the command line does this);
        ``"refuse"`` makes each cell an error.

    Returns
    -------
    ImpactModel
        The model; ``read_value_map(p)`` after ``write_value_map(m, p)``
        equals ``m``, theory of change included.

    Raises
    ------
    FileFormatError
        Not a workbook, a corrupt or malformed part, a workbook above the
        limits (:data:`MAX_WORKBOOK_BYTES`, :data:`MAX_XML_ELEMENTS`,
        :data:`MAX_CELL_ELEMENTS`, :data:`MAX_ROW_CELLS`,
        :data:`MAX_RICH_RUNS`, :data:`MAX_TEXT_CHARS`, :data:`MAX_ROWS`,
        :data:`MAX_COLUMNS`, :data:`MAX_CELLS`), a missing sheet or a header
        that is not where it should be, each named with its sheet or part.
    ValidationError
        Every problem of the values at once, each located at its sheet and
        cell (``['Carte de valeur'].E5.quantity``): values out of range,
        ambiguous numbers, formulas and external links in input cells,
        merged input cells, hidden figures for visible columns, rows outside
        the block of formulas the workbook counts, a figure its uncertainty
        law cannot be centred on (the law's centre is a formula of the
        figure's cell; a law whose centre is a number, as earlier versions
        wrote it, must be centred on the figure), naming the cells of the
        *Uncertainty* sheet to change; worded in the workbook's language.

    Warns
    -----
    ImpactkitWarning
        With ``text_numbers="warn"``, the numbers typed as text.

    Examples
    --------
    >>> import tempfile, pathlib, impactkit as ik
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "vm.xlsx"
    >>> m = ik.examples.load_example()
    >>> ik.io.write_value_map(m, p)
    >>> round(ik.sroi(ik.io.read_value_map(p)).ratio, 2), round(ik.sroi(m).ratio, 2)
    (2.16, 2.16)
    """
    if text_numbers not in ("read", "warn", "refuse"):
        raise ValidationError(
            f"text_numbers must be one of read, warn, refuse, got {text_numbers!r}",
            path=("text_numbers",),
            code="invalid_choice",
        )
    reader = _Reader(Path(path))
    reader.text_numbers = text_numbers
    wb = reader.open()
    try:
        return _read(reader, wb)
    finally:
        wb.close()


def _read(reader: _Reader, wb: Any) -> ImpactModel:
    names = list(wb.sheetnames)
    lang = _detect_lang(names)
    if lang is None:
        raise FileFormatError(
            [
                Problem(
                    (SHEETS[k]["en"],),
                    "missing_sheet",
                    f"sheet {SHEETS[k]['en']!r} (French: {SHEETS[k]['fr']!r}) is missing; a "
                    "value map has the sheets "
                    + ", ".join(repr(SHEETS[q]["en"]) for q in REQUIRED),
                )
                for k in REQUIRED
                if SHEETS[k]["en"] not in names and SHEETS[k]["fr"] not in names
            ]
            or [Problem((), "missing_sheet", "the sheets of a value map are missing")]
        )
    sheet = {k: SHEETS[k][lang] for k in SHEETS}
    probs = reader.problems
    probs.lang = lang
    for key, first in (("settings", 2), ("inputs", INPUT_FIRST - 1), ("map", KEY_ROW)):
        reader.merged(sheet[key], first)
    reader.merged(sheet["uncertainty"], UNC_FIRST - 1)
    reader.merged(sheet["data"], 2)

    def value(grid: dict[tuple[int, int], tuple[Any, bool]], sh: str, r: int, c: int) -> Any:
        """What the cell shows as typed; a formula is a located problem, never its saved value."""
        v, is_formula = grid.get((r, c), (None, False))
        if is_formula:
            formula = str(v)[:80]
            ref = _cell_ref(c, r)
            key = "external" if _external(formula) else "formula"
            probs.append(
                Problem(
                    (sh, ref),
                    "external_link" if key == "external" else "formula",
                    _say(lang, key, ref=f"{sh}!{ref}", formula=formula),
                )
            )
            return _BAD
        return v

    data: dict[str, Any] = {}
    # Settings ------------------------------------------------------------------
    sh = sheet["settings"]
    g = reader.grid(wb, sh)
    settings: dict[str, Any] = {}
    settings_at: dict[str, tuple[PathElement, ...]] = {}
    for (r, c), (k, _) in sorted(g.items()):
        if c != 1 or r < SETTINGS_FIRST:
            continue
        key = setting_key(k)
        where: tuple[PathElement, ...] = (sh, _cell_ref(2, r))
        if key not in SETTINGS_KEYS:
            # a French sheet reads its French names and the keys: suggest from both
            choices = (
                [*SETTINGS_NAMES_FR.values(), *SETTINGS_KEYS] if lang == "fr" else SETTINGS_KEYS
            )
            probs.append(
                Problem(
                    (sh, _cell_ref(1, r)),
                    "unknown_key",
                    _say(lang, "unknown_setting", ref=f"{sh}!{_cell_ref(1, r)}", name=key)
                    + _did_you_mean(key, choices, lang),
                )
            )
            continue
        v = value(g, sh, r, 2)
        if v is None or v == "" or v is _BAD:
            continue
        settings[key] = v
        settings_at[key] = where
    for key in ("format_version", "base_year"):
        if key in settings:
            settings[key] = _num(
                settings[key],
                settings_at[key],
                probs,
                integer=True,
                shown="value" if key == "base_year" else None,
            )
    if "discount_rate" in settings:
        settings["discount_rate"] = _num(
            settings["discount_rate"],
            settings_at["discount_rate"],
            probs,
            percent=True,
            shown="value",
        )
    for key in ("name", "description", "currency", "first_flow_at", "mode"):
        if key in settings:
            data[key] = settings[key] if isinstance(settings[key], str) else str(settings[key])
    if "mode" in data:
        data["mode"] = option_value("mode", data["mode"])
    for key in ("format_version", "base_year"):
        if settings.get(key) is not None:
            data[key] = settings[key]
    data.setdefault("format_version", FORMAT_VERSION)
    data.setdefault("name", "")
    disc: dict[str, Any] = {}
    if "discount_schedule" in settings:
        bands = _json_cell(settings["discount_schedule"], settings_at["discount_schedule"], probs)
        if bands is not None:
            disc["bands"] = bands
    elif settings.get("discount_rate") is not None:
        disc["rate"] = settings["discount_rate"]
    if "discount_name" in settings and disc:
        disc["name"] = str(settings["discount_name"])
    if disc:
        data["discount"] = disc
    pi_values: dict[int, Any] = {}
    for (r, c), _ in sorted(g.items()):
        if c != PI_COL or r < 2:
            continue
        yv, lv = value(g, sh, r, c), value(g, sh, r, c + 1)
        if yv is _BAD or lv is _BAD:
            continue
        y = _num(yv, (sh, _cell_ref(c, r)), probs, integer=True, shown="value")
        if lv is None:
            at = _cell_ref(c + 1, r)
            probs.append(Problem((sh, at), "missing", _say(lang, "pi_level", ref=f"{sh}!{at}")))
            continue
        level = _num(lv, (sh, _cell_ref(c + 1, r)), probs, shown="value")
        if y is not None and level is not None:
            pi_values[int(y)] = level
    if pi_values:
        pi: dict[str, Any] = {"values": pi_values}
        for k in ("name", "source"):
            if settings.get(f"price_index_{k}"):
                pi[k] = str(settings[f"price_index_{k}"])
        data["price_index"] = pi

    # Uncertainty -----------------------------------------------------------------
    dists: dict[tuple[str, str], tuple[dict[str, Any], tuple[PathElement, ...]]] = {}
    if sheet["uncertainty"] in names:
        dists = _read_uncertainty(reader, wb, sheet["uncertainty"], value, probs, sheet)
    if ("discount_rate" in settings) and (sh, settings_at["discount_rate"][1]) in dists:
        d, unc_row = dists.pop((sh, str(settings_at["discount_rate"][1])))
        disc["rate"] = _law(
            settings["discount_rate"], d, settings_at["discount_rate"], probs, unc_row
        )

    # Hidden data -----------------------------------------------------------------
    blobs: dict[str, Any] = {}
    blob_at: dict[str, tuple[PathElement, ...]] = {}
    if sheet["data"] in names:
        gd = reader.grid(wb, sheet["data"])
        rows: dict[int, dict[int, Any]] = {}
        for (r, c), (v, _) in gd.items():
            rows.setdefault(r, {})[c] = v
        for r, dcells in sorted(rows.items()):
            if r < 2 or 1 not in dcells:
                continue
            text = "".join(str(dcells[c]) for c in sorted(dcells) if c > 1)
            blob_at[str(dcells[1])] = (sheet["data"], _cell_ref(2, r))
            blobs[str(dcells[1])] = _json_cell(text, blob_at[str(dcells[1])], probs)
    for key in ("toc", "metadata", "evidence", "engagement", "translations"):
        if blobs.get(key) is not None:
            data[key] = blobs[key]
    data["lang"] = lang  # the workbook's language is that of its texts and of its reports
    toc_at: dict[str, list[dict[str, tuple[PathElement, ...]]]] = {}
    if sheet["toc"] in names:
        toc_at = _visible_toc(reader, wb, sheet["toc"], data, value, probs)
    if isinstance(data.get("toc"), dict) and sheet["stakeholders"] in names:
        toc_at["stakeholders"] = _visible_stakeholders(
            reader, wb, sheet["stakeholders"], data["toc"], value, probs
        )
    extras: list[Any] = blobs["outcomes"] if isinstance(blobs.get("outcomes"), list) else []

    # Value map -----------------------------------------------------------------
    sh = sheet["map"]
    g = reader.grid(wb, sh)
    header = {str(v): c for (r, c), (v, _) in g.items() if r == KEY_ROW}
    missing = [k for k in ("stakeholder", "outcome", "quantity", "proxy_value") if k not in header]
    if missing:
        raise FileFormatError(
            [
                Problem(
                    (sh, f"row {KEY_ROW}"),
                    "header",
                    f"expected the field name {k!r} in row {KEY_ROW} of {sh!r} "
                    "(the field names under the headings)",
                )
                for k in missing
            ]
        )
    known = set(_map_columns(0)) | {k for k in header if re.fullmatch(r"year_\d+", k)}
    for k, c in header.items():
        if k not in known:
            probs.append(
                Problem(
                    (sh, _cell_ref(c, KEY_ROW)),
                    "unknown_key",
                    _say(lang, "unknown_column", ref=f"{sh}!{_cell_ref(c, KEY_ROW)}", name=k)
                    + _did_you_mean(k, list(known), lang),
                )
            )
    year_cols = [k for k in header if k.startswith("year_")]
    block = _Block(reader, wb, sheet, names, "map", g, header.get("impact"))
    outcomes: list[dict[str, Any]] = []
    where_rows: list[dict[str, tuple[PathElement, ...]]] = []
    used = [False] * len(extras)
    last_row = max((r for (r, _) in g), default=0)
    for r in range(FIRST_ROW, last_row + 1):
        inputs_here = {
            k: c
            for k, c in header.items()
            if k in known and k not in COMPUTED and k not in year_cols and (r, c) in g
        }
        if not inputs_here or not block.holds(r, probs):
            continue
        rec: dict[str, Any] = {}
        proxy: dict[str, Any] = {}
        cells: dict[str, tuple[PathElement, ...]] = {}
        for k, c in inputs_here.items():
            ref: tuple[PathElement, ...] = (sh, _cell_ref(c, r))
            v = value(g, sh, r, c)
            if v is None or v == "":
                continue
            v = None if v is _BAD else _field(k, v, ref, probs)
            if v is None:  # reported: a neutral stand-in, so no other problem is hidden
                v = _STAND_IN.get(k)
                if v is None:
                    continue
            elif (sh, str(ref[1])) in dists and k in ROW_NUMBERS:
                d, unc_row = dists.pop((sh, str(ref[1])))
                v = _law(v, d, ref, probs, unc_row)
            if k in PROXY_FIELDS:
                proxy[PROXY_FIELDS[k]] = v
                cells[f"proxy.{PROXY_FIELDS[k]}"] = ref
            else:
                rec[k] = v
                cells[k] = ref
        oid = rec.get("outcome")
        for i, e in enumerate(extras):
            if not used[i] and isinstance(e, dict) and e.get("outcome") == oid:
                used[i] = True
                _merge_hidden(e, rec, proxy, blob_at.get("outcomes", (sh,)), probs)
                break
        rec["proxy"] = proxy
        _check_years(rec, cells, len(year_cols), probs)
        outcomes.append(rec)
        where_rows.append(cells)
    data["outcomes"] = outcomes

    # Inputs --------------------------------------------------------------------
    sh = sheet["inputs"]
    g = reader.grid(wb, sh)
    in_header = {str(v): c for (r, c), (v, _) in g.items() if r == INPUT_FIRST - 1}
    if "label" not in in_header or "amount" not in in_header:
        raise FileFormatError(
            [
                Problem(
                    (sh, f"row {INPUT_FIRST - 1}"),
                    "header",
                    f"expected the field names 'label' and 'amount' in row {INPUT_FIRST - 1}",
                )
            ]
        )
    inputs: list[dict[str, Any]] = []
    in_where: list[dict[str, tuple[PathElement, ...]]] = []
    last_row = max((r for (r, _) in g), default=0)
    block = _Block(reader, wb, sheet, names, "inputs", g, in_header.get("present_value"))
    for r in range(INPUT_FIRST, last_row + 1):
        here = {k: c for k, c in in_header.items() if k not in COMPUTED and (r, c) in g}
        if not here or not block.holds(r, probs):
            continue
        rec = {}
        cells = {}
        for k, c in here.items():
            ref = (sh, _cell_ref(c, r))
            if k not in INPUT_COLUMNS:
                at = "!".join(str(w) for w in ref)
                probs.append(
                    Problem(ref, "unknown_key", _say(lang, "unknown_column", ref=at, name=k))
                )
                continue
            v = value(g, sh, r, c)
            if v is None or v == "":
                continue
            if v is _BAD:
                v = _STAND_IN.get(f"input_{k}")
            elif k == "amount":
                v = _num(v, ref, probs, shown="value")
                if v is not None and (sh, str(ref[1])) in dists:
                    d, unc_row = dists.pop((sh, str(ref[1])))
                    v = _law(v, d, ref, probs, unc_row)
            elif k == "year":
                v = _num(v, ref, probs, integer=True, shown="zero")
            elif k == "in_kind":
                v = _bool(v, ref, probs)
            elif not isinstance(v, str):
                v = str(v)
            if v is None:
                v = _STAND_IN.get(f"input_{k}")
            if v is not None:
                rec[k] = v
                cells[k] = ref
        inputs.append(rec)
        in_where.append(cells)
    data["inputs"] = inputs
    for (s_name, s_cell), (_, ref) in dists.items():
        probs.append(
            Problem(
                ref,
                "unknown_cell",
                _say(
                    lang,
                    "unknown_cell",
                    ref=f"{ref[0]}!A{str(ref[1]).removeprefix('row ')}",
                    cell=f"{s_name}!{s_cell}",
                ),
            )
        )
    if "bands" in disc and sheet["calc"] in names:
        _check_schedule_rates(reader, wb, sheet["calc"], disc["bands"], probs)
    problems = list(probs)
    try:
        model = from_dict(data)
    except ValidationError as exc:
        problems += [
            _worded(_locate(pr, where_rows, in_where, toc_at), lang, sheet) for pr in exc.problems
        ]
        model = None
    if reader.text_numbers == "read":
        problems = [p for p in problems if p.code != "number_as_text"]
    elif reader.text_numbers == "refuse":
        problems = [
            Problem(p.path, p.code, p.message) if p.code == "number_as_text" else p
            for p in problems
        ]
    if any(p.severity == "error" for p in problems):
        raise ValidationError(problems)
    assert model is not None
    if problems and reader.text_numbers == "warn":
        _warn(problems)
    return model


class CellWarning(ImpactkitWarning):
    """Cells of a workbook the spreadsheet computes otherwise than impactkit reads them.

    A number typed as text (``"120,5"``, ``"25 %"``, text pasted from another
    file) is read as the number it spells, while the workbook's formulas show
    #VALUE! or count it as 0. The warning's ``problems`` lists each cell as a
    :class:`~impactkit.errors.Problem` of severity ``"warning"``, located at
    its sheet and cell and worded in the workbook's language.
    """

    problems: tuple[Problem, ...] = ()


def _warn(problems: list[Problem]) -> None:
    import warnings

    w = CellWarning("\n".join(p.message for p in problems))
    w.problems = tuple(problems)
    warnings.warn(w, stacklevel=4)


# 'Carte de valeur'!J4:J15 (Excel) or [$'Carte de valeur'.J4:.J15] (OpenDocument)
_SUM_RANGE = re.compile(r"[!.]\$?([A-Z]{1,3})\$?(\d+):\.?\$?([A-Z]{1,3})\$?(\d+)")


def _external(formula: str) -> bool:
    """Whether a formula takes a value from another file."""
    if formula.startswith(("of:", "msoxl:")):  # OpenDocument: [.A1] is a local reference
        return "'file:" in formula or "#$" in formula
    return "[" in formula


# where the SROI calculation sums each sheet: (row, column) of the cell
_SUM_CELL = {"map": (4, 2), "inputs": (10, 2)}


class _Block:
    """The rows of a sheet the workbook's formulas count.

    The SROI calculation sums the value map and the inputs over a block of
    rows (``=SUM('Carte de valeur'!J4:J15)``), and each row computes its
    figures with its own formulas (its impact, its present value). A row
    typed outside the block, or a row without those formulas, is not counted
    by the workbook: it is a located problem and is not read, so that
    impactkit never counts what the workbook does not. A workbook without
    these formulas (built by hand, or read from a format that keeps no
    formulas) is read whole.
    """

    def __init__(
        self,
        reader: _Reader,
        wb: Any,
        sheet: dict[str, str],
        names: list[str],
        key: str,
        g: dict[tuple[int, int], tuple[Any, bool]],
        formula_col: int | None,
    ) -> None:
        self.sheet = sheet[key]
        self.span: tuple[int, int] | None = None
        if sheet["calc"] in names:
            v, is_formula = reader.grid(wb, sheet["calc"]).get(_SUM_CELL[key], (None, False))
            m = _SUM_RANGE.search(str(v)) if is_formula else None
            if m is not None:
                self.span = (int(m.group(2)), int(m.group(4)))
        self.col = formula_col
        self.rows = (
            {r for (r, c), (_, f) in g.items() if c == formula_col and f}
            if formula_col is not None
            else set()
        )

    def holds(self, r: int, probs: _Problems) -> bool:
        """Whether the workbook counts row ``r``; a located problem when it does not."""
        at = f"{self.sheet}!A{r}"
        if self.span is not None and not self.span[0] <= r <= self.span[1]:
            first, last = self.span
            message = _say(probs.lang, "below_block", ref=at, row=r, first=first, last=last)
            probs.append(Problem((self.sheet, f"A{r}"), "outside_formulas", message))
            return False
        if self.rows and r not in self.rows and self.col is not None:
            column = _letter(self.col)
            message = _say(probs.lang, "no_formulas", ref=at, row=r, column=column)
            probs.append(Problem((self.sheet, f"A{r}"), "outside_formulas", message))
            return False
        return True


def _visible_stakeholders(
    reader: _Reader, wb: Any, sh: str, toc: dict[str, Any], value: Any, probs: _Problems
) -> list[dict[str, tuple[PathElement, ...]]]:
    """The stakeholders of the theory of change, as the sheet shows them.

    The sheet is the list of stakeholders, as the *Theory of change* sheet is
    the list of nodes: a row added there (an identifier and a label) is a
    stakeholder of the model, which the value map's and the theory of
    change's drop-down lists then offer; a row deleted is gone. Its columns
    (identifier, label, size, description, income, income group, from row 3)
    give these fields; a workbook written before the last two columns keeps
    the income and income group of the hidden sheet, by identifier. Returns
    the cell of each field of each stakeholder, to locate the model's
    problems.
    """
    hidden = {str(s.get("id")): s for s in toc.get("stakeholders") or [] if isinstance(s, dict)}
    g = reader.grid(wb, sh)
    fields = ("id", "label", "size", "description", "income", "income_group")
    shown = {f for j, f in enumerate(fields, start=1) if j <= 4 or (2, j) in g}
    records: list[dict[str, Any]] = []
    at: list[dict[str, tuple[PathElement, ...]]] = []
    for r in sorted({r for (r, _) in g if r >= 3}):
        cells = {f: value(g, sh, r, j) for j, f in enumerate(fields, start=1) if f in shown}
        if any(v is _BAD for v in cells.values()):
            continue
        cells = {f: v for f, v in cells.items() if v is not None and str(v).strip() != ""}
        if not cells:
            continue
        where: dict[str, tuple[PathElement, ...]] = {
            f: (sh, _cell_ref(j, r)) for j, f in enumerate(fields, start=1)
        }
        if "id" not in cells:
            ref = _cell_ref(1, r)
            probs.append(
                Problem((sh, ref), "missing", _say(probs.lang, "sh_id", ref=f"{sh}!{ref}"))
            )
            continue
        sid = str(cells["id"]).strip()
        rec = {k: v for k, v in hidden.get(sid, {}).items() if k not in shown}
        rec["id"] = sid
        if "label" not in cells:
            ref = _cell_ref(2, r)
            probs.append(
                Problem(
                    (sh, ref), "empty", _say(probs.lang, "sh_label", ref=f"{sh}!{ref}", id=sid)
                )
            )
            rec["label"] = sid  # a stand-in: the problem is reported
        else:
            rec["label"] = str(cells["label"])
        if "size" in cells:
            n = _num(cells["size"], where["size"], probs, integer=True)
            if n is not None:
                rec["size"] = n
        if "income" in cells:
            x = _num(cells["income"], where["income"], probs)
            if x is not None:
                rec["income"] = x
        for f in ("description", "income_group"):
            if f in cells:
                rec[f] = str(cells[f])
        records.append(rec)
        at.append(where)
    toc["stakeholders"] = records
    return at


_NODE_KEYS = {
    "node_id": "id",
    "kind": "kind",
    "node_label": "label",
    "node_description": "description",
    "node_stakeholder": "stakeholder",
    "horizon": "horizon",
    "node_indicator": "indicator",
}
_LINK_KEYS = {
    "link_source": "source",
    "link_target": "target",
    "link_rationale": "rationale",
    "link_evidence": "evidence",
}


def _evidence_level(text: str, where: tuple[PathElement, ...], probs: _Problems) -> Any:
    """A link's evidence level from its cell: ``3 causal``, ``3``, ``causal`` (either language)."""
    value = option_value("link_evidence", text)
    if value in OPTIONS["link_evidence"]["en"]:
        return int(value)
    ref = "!".join(str(w) for w in where[:2])
    levels = ", ".join(OPTIONS["link_evidence"][probs.lang].values())
    probs.append(
        Problem(
            where,
            "invalid_choice",
            _say(probs.lang, "evidence", ref=ref, text=text, levels=levels),
        )
    )
    return None


def _visible_toc(
    reader: _Reader, wb: Any, sh: str, data: dict[str, Any], value: Any, probs: _Problems
) -> dict[str, list[dict[str, tuple[PathElement, ...]]]]:
    """The nodes and links of the theory of change, as the sheet shows them.

    The sheet is the list of nodes and links: a row added there is a node
    or a link of the model, a row deleted is gone. What no column shows (a
    node's indicators and measure, a link's assumptions) comes
    from the hidden sheet, by node identifier and by (from, to). Returns,
    for each node and link, the cell of each field, to locate the model's
    problems.
    """
    g = reader.grid(wb, sh)
    header = {str(v): c for (r, c), (v, _) in g.items() if r == TOC_KEY_ROW}
    if "node_id" not in header or "link_source" not in header:
        return {}  # a sheet without its field names: the hidden theory of change stands
    toc = data.get("toc")
    if not isinstance(toc, dict):
        toc = {"name": data.get("name") or "", "stakeholders": [], "nodes": [], "links": []}
    hidden_nodes = {str(n.get("id")): n for n in toc.get("nodes", []) if isinstance(n, dict)}
    hidden_links = {
        (str(x.get("source")), str(x.get("target"))): x
        for x in toc.get("links", [])
        if isinstance(x, dict)
    }
    at: dict[str, list[dict[str, tuple[PathElement, ...]]]] = {"nodes": [], "links": []}
    nodes: list[dict[str, Any]] = []
    links: list[dict[str, Any]] = []
    for r in sorted({r for (r, _) in g if r >= TOC_FIRST}):
        for keys, out, where in ((_NODE_KEYS, nodes, "nodes"), (_LINK_KEYS, links, "links")):
            cells = {k: header[k] for k in keys if k in header and (r, header[k]) in g}
            if not cells:
                continue
            vals = {k: value(g, sh, r, c) for k, c in cells.items()}
            if any(v is _BAD for v in vals.values()):
                continue
            shown = {keys[k]: str(v) for k, v in vals.items() if v is not None and str(v).strip()}
            if where == "nodes":
                rec = dict(hidden_nodes.get(shown.get("id", ""), {}))
            else:
                rec = dict(
                    hidden_links.get((shown.get("source", ""), shown.get("target", "")), {})
                )
            for key, field in keys.items():
                if key in header:  # a column the sheet shows: its cell is what is read
                    rec.pop(field, None)
            indicator = shown.pop("indicator", None)
            level = shown.pop("evidence", None)
            rec.update({f: option_value(f, v) for f, v in shown.items()})
            if level is not None:
                rec["evidence"] = _evidence_level(
                    level, (sh, _cell_ref(cells["link_evidence"], r)), probs
                )
            if indicator is not None:  # the first indicator's label; a new one for a new node
                given = rec.get("indicators")
                if isinstance(given, list) and given and isinstance(given[0], dict):
                    rec["indicators"] = [{**given[0], "label": indicator}, *given[1:]]
                else:
                    rec["indicators"] = [{"id": f"{rec.get('id', 'node')}_1", "label": indicator}]
            out.append(rec)
            at[where].append({keys[k]: (sh, _cell_ref(c, r)) for k, c in cells.items()})
    if nodes or links or "toc" in data:
        toc["nodes"], toc["links"] = nodes, links
        data["toc"] = toc
    return at


_VISIBLE = {k for k in _map_columns(0) if k not in COMPUTED and k not in PROXY_FIELDS}
_HIDDEN_ONLY = {"sources", "evidence"}
_HIDDEN_PROXY = {"unit", "transfer", "benefit_in_kind", "index_rule"}


def _merge_hidden(
    extra: dict[str, Any],
    rec: dict[str, Any],
    proxy: dict[str, Any],
    where: tuple[PathElement, ...],
    probs: list[Problem],
) -> None:
    """Add to a value-map row what the hidden sheet keeps for it, and only that.

    The hidden sheet carries what no visible column shows (sources, evidence
    grades, a proxy's unit and transfer, a measurement calculator in place of
    a figure). A figure that has a visible column is read from the visible
    cell only: a blank cell is blank, whatever the hidden sheet says.
    """
    lang = getattr(probs, "lang", "en")
    ref = "!".join(str(w) for w in where[:2])

    def hidden(field: str) -> None:
        probs.append(
            Problem(
                where,
                "hidden_value",
                _say(
                    lang,
                    "hidden",
                    ref=ref,
                    field=_heading(field, lang) if lang == "fr" else field,
                    outcome=extra.get("outcome"),
                ),
            )
        )

    for k, v in extra.items():
        if k == "outcome":
            continue
        if k in _HIDDEN_ONLY:
            rec[k] = v
        elif k == "proxy" and isinstance(v, dict):
            for pk, pv in v.items():
                if pk in _HIDDEN_PROXY:
                    proxy[pk] = pv
                else:
                    hidden(f"proxy.{pk}")
        elif k in ROW_NUMBERS and isinstance(v, dict) and ("calculator" in v or "estimator" in v):
            target, key = (proxy, "value") if k == "proxy_value" else (rec, k)
            target.setdefault(key, v)  # a figure typed in the visible cell wins
        elif k in _VISIBLE or k in ROW_NUMBERS:
            hidden(k)
        else:
            rec.setdefault(k, v)  # unknown: the model names it


def _check_years(
    rec: dict[str, Any],
    cells: dict[str, tuple[PathElement, ...]],
    n_years: int,
    probs: list[Problem],
) -> None:
    """A row must end within the workbook's year columns, or its formulas miss years."""
    if not n_years:
        return
    try:
        dur = _central(rec.get("duration", 1))
    except (ValidationError, TypeError, ValueError, KeyError):
        return  # the distribution's own problems are reported by the model
    start = rec.get("start_year", 1)
    if not isinstance(dur, int | float) or not isinstance(start, int) or isinstance(dur, bool):
        return
    last = start + math.ceil(dur) - 1
    if last > n_years:
        where = cells.get("duration", cells.get("start_year", ()))
        probs.append(
            Problem(
                where,
                "beyond_years",
                _say(
                    getattr(probs, "lang", "en"),
                    "beyond_years",
                    ref="!".join(str(w) for w in where[:2]),
                    last=last,
                    n=n_years,
                ),
            )
        )


def _check_schedule_rates(
    reader: _Reader, wb: Any, sh: str, bands: Any, probs: list[Problem]
) -> None:
    """The SROI calculation's rates (values) must still be those of the schedule."""
    from impactkit.discount import Schedule

    try:
        rates = Schedule(bands).rates(MAX_COLUMNS)
    except (ValidationError, TypeError, ValueError):
        return  # the model reports the schedule's own problems
    g = reader.grid(wb, sh)
    for (r, c), (v, is_formula) in sorted(g.items()):
        if r != 17 or c < 3 or is_formula or not isinstance(v, int | float):
            continue
        period = c - 2
        if period < len(rates) and not math.isclose(float(v), float(rates[period]), rel_tol=1e-9):
            probs.append(
                Problem(
                    (sh, _cell_ref(c, r)),
                    "stale_schedule",
                    _say(
                        getattr(probs, "lang", "en"),
                        "stale_schedule",
                        ref=f"{sh}!{_cell_ref(c, r)}",
                        period=period,
                        here=number_text(float(v), getattr(probs, "lang", "en")),
                        rate=number_text(float(rates[period]), getattr(probs, "lang", "en")),
                    ),
                )
            )
            return


def _did_you_mean(word: str, choices: list[str], lang: str = "en") -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return _say(lang, "did_you_mean", word=close[0]) if close else ""


def _num(
    v: Any,
    where: tuple[PathElement, ...],
    probs: list[Problem],
    *,
    integer: bool = False,
    percent: bool = False,
    shown: str | None = None,
) -> Any:
    """A number from a cell, every problem located at ``where``.

    ``shown`` says how the workbook's formulas use the cell: ``"value"`` (a
    text there shows #VALUE!), ``"zero"`` (read through ``N()``: a text
    counts as 0) or None (no formula reads it). A number typed as text in a
    cell a formula reads is a located warning: the workbook does not compute
    what impactkit reads.
    """
    try:
        x = parse_number(v, integer=integer, percent=percent)
    except AmbiguousNumber as exc:
        lang = getattr(probs, "lang", "en")
        ref = "!".join(str(w) for w in where[:2])
        probs.append(
            Problem(where, "ambiguous_number", _say(lang, "ambiguous", ref=ref, text=exc.text))
        )
        return None
    except ValueError as exc:
        if getattr(probs, "lang", "en") == "fr":
            ref = "!".join(str(w) for w in where[:2])
            kind = "un nombre entier" if integer else "un nombre"
            probs.append(Problem(where, "type", f"{ref} : « {v} » n'est pas {kind} lisible"))
        else:
            probs.append(Problem(where, "type", str(exc)))
        return None
    if shown is not None and isinstance(v, str):
        lang = getattr(probs, "lang", "en")
        ref = "!".join(str(w) for w in where[:2])
        key = "text_zero" if shown == "zero" else "text_value"
        probs.append(Problem(where, "number_as_text", _say(lang, key, ref=ref, text=v), "warning"))
    return x


def _bool(v: Any, where: tuple[PathElement, ...], probs: list[Problem]) -> Any:
    if isinstance(v, bool):
        return v
    text = str(v).strip().lower()
    if text in ("true", "vrai", "yes", "oui", "1"):
        return True
    if text in ("false", "faux", "no", "non", "0"):
        return False
    lang = getattr(probs, "lang", "en")
    ref = "!".join(str(w) for w in where[:2])
    probs.append(Problem(where, "type", _say(lang, "yes_no", ref=ref, text=str(v))))
    return None


# value-map columns the formulas read through N(): a text there counts as 0
_READ_AS_ZERO = {"deadweight", "displacement", "attribution", "leakage", "drop_off"}


def _field(k: str, v: Any, ref: tuple[PathElement, ...], probs: list[Problem]) -> Any:
    if k in ROW_NUMBERS:
        shown = "zero" if k in _READ_AS_ZERO else "value"
        return _num(v, ref, probs, percent=k in PERCENT, shown=shown)
    if k in INTEGERS:
        return _num(v, ref, probs, integer=True, shown="value")
    text = v if isinstance(v, str) else str(v)
    return option_value(k, text) if k in OPTIONS else text


def _check_central(
    v: Any,
    d: dict[str, Any],
    where: tuple[PathElement, ...],
    probs: list[Problem],
    unc_row: tuple[PathElement, ...] = (),
) -> None:
    """A visible figure must be the central value of its uncertainty law.

    The message names the visible cell and the cells of the *Uncertainty*
    sheet that set the law's centre, in the workbook's language.
    """
    try:
        c = _central(d)
    except (ValidationError, TypeError, ValueError, KeyError):
        return  # the distribution's own problems are reported by the model
    if isinstance(v, int | float) and not math.isclose(float(v), c, rel_tol=1e-9, abs_tol=1e-12):
        lang = getattr(probs, "lang", "en")
        cells = getattr(probs, "unc_cells", {}).get(unc_row, [])
        unc_sheet = str(unc_row[0]) if unc_row else SHEETS["uncertainty"][lang]
        row = str(unc_row[1]).removeprefix("row ") if len(unc_row) > 1 else "?"
        refs = [ref for _, ref in cells]
        span = refs[0] if len(refs) == 1 else f"{refs[0]}:{refs[-1]}" if refs else f"{row}"
        probs.append(
            Problem(
                where,
                "central_mismatch",
                _say(
                    lang,
                    "central",
                    ref="!".join(str(w) for w in where[:2]),
                    value=number_text(float(v), lang),
                    central=number_text(c, lang),
                    dist=DIST_NAMES[lang].get(str(d["dist"]), str(d["dist"])),
                    row=row,
                    sheet=unc_sheet,
                    cells=f"{unc_sheet}!{span}",
                    params=", ".join(WORDS[lang][k] for k, _ in cells),
                ),
            )
        )


def _read_uncertainty(
    reader: _Reader,
    wb: Any,
    sh: str,
    value: Any,
    probs: list[Problem],
    sheets: dict[str, str] | None = None,
) -> dict[tuple[str, str], tuple[dict[str, Any], tuple[PathElement, ...]]]:
    """The distributions of the *Uncertainty* sheet, keyed by the (sheet, cell) they describe.

    The cell a row describes is found by the row's hidden keys
    (:data:`~impactkit.io._excel_layout.UNC_KEYS`: the key of the described row, such as
    the outcome id, the key of its column and its rank among the rows of that key), so
    that a row inserted, deleted, moved or sorted in the value map, the inputs or the
    settings leaves each law on its figure whether or not the program that moved the row
    rewrote the *Cell* column or the formulas; a row whose key the sheet no longer has is
    a located problem. A row without these keys (a workbook written before them, or a
    row typed by hand) is read at its *Cell*. Two rows describing one cell are a problem.

    The centre cell of a row (the mode of a triangular or PERT law, the mean
    or the value of the others, :func:`~impactkit.io._excel_layout.centre_key`)
    holds, as written, a formula of the visible cell the row describes: it is
    not read here but derived from that cell's value when the cell is read
    (:func:`_law`), so that a formula without a saved value is never stale.
    A number there (a workbook written before, or typed) is read as it is.
    """
    lang = getattr(probs, "lang", "en")
    g = reader.grid(wb, sh)
    header = {str(v): c for (r, c), (v, _) in g.items() if r == UNC_FIRST - 1}
    out: dict[tuple[str, str], tuple[dict[str, Any], tuple[PathElement, ...]]] = {}
    last_row = max((r for (r, _) in g), default=0)
    for r in range(UNC_FIRST, last_row + 1):
        raw = {k: g[(r, c)] for k, c in header.items() if (r, c) in g}
        name = str(raw.get("dist", ("", False))[0]).strip().lower()
        name = _DIST_TYPED.get(name, name)  # a French name (triangulaire) is read too
        centre = centre_key({"dist": name}) if name != "normal" else None
        if name == "normal" and not any(k in raw for k in ("low", "high")):
            centre = "mean"
        formula = raw.get(centre, (None, False)) if centre is not None else (None, False)
        vals = {
            k: value(g, sh, r, header[k])
            for k in raw
            if not (k == centre and formula[1]) and k not in COMPUTED and k not in UNC_KEYS
        }
        vals = {k: v for k, v in vals.items() if v is not _BAD and v is not None and v != ""}
        if not vals:
            continue
        row_ref: tuple[PathElement, ...] = (sh, f"row {r}")
        if name not in DIST_PARAMS:
            names = ", ".join(DIST_NAMES[lang].values())
            probs.append(
                Problem(
                    (sh, _cell_ref(header.get("dist", 4), r)),
                    "unknown_distribution",
                    _say(
                        lang,
                        "unknown_dist",
                        ref=f"{sh}!{_cell_ref(header.get('dist', 4), r)}",
                        name=str(vals.get("dist", "")),
                        names=names,
                    )
                    + _did_you_mean(name, list(DIST_NAMES[lang].values()), lang),
                )
            )
            continue
        d: dict[str, Any] = {"dist": name}
        given: list[tuple[str, str]] = []
        for p in DIST_PARAMS[name]:
            col = "fixed" if p == "value" else p
            if col == centre and formula[1]:
                given.append((col, _cell_ref(header[col], r)))
            elif col in vals:
                x = _num(vals[col], (sh, _cell_ref(header[col], r)), probs)
                given.append((col, _cell_ref(header[col], r)))
                if x is not None:
                    d[p] = x
        if isinstance(probs, _Problems):
            probs.unc_cells[row_ref] = sorted(
                given, key=lambda kc: _col_number(kc[1].rstrip("0123456789"))
            )
        if "sheet" not in vals or "cell" not in vals:
            probs.append(
                Problem(row_ref, "missing", _say(lang, "unc_missing", ref=f"{sh}!A{r}", row=r))
            )
            continue
        s_name, s_cell = str(vals["sheet"]), str(vals["cell"]).replace("$", "").upper()
        as_written = s_cell
        keys = {k: raw[k][0] for k in UNC_KEYS if k in raw and not raw[k][1]}
        if sheets is not None and keys.get("row_key") not in (None, "") and keys.get("field"):
            found = _keyed_cell(reader, wb, sheets, s_name, keys)
            what = str(raw.get("what", ("", False))[0] or "")
            if found is None and _renamed(reader, wb, sheets, s_name, s_cell, what, g, header):
                found = ""  # the row renamed where it was: read at its Cell
            if found is None:
                probs.append(
                    Problem(
                        row_ref,
                        "unknown_row",
                        _say(
                            lang,
                            "unknown_row",
                            ref=f"{sh}!A{r}",
                            what=what,
                            row_key=str(keys["row_key"]),
                            sheet=s_name,
                        ),
                    )
                )
                continue
            if found != "":
                s_cell = found
        if (s_name, s_cell) in out:
            probs.append(
                Problem(
                    row_ref,
                    "two_laws",
                    _say(
                        lang,
                        "two_laws",
                        ref=f"{sh}!A{r}",
                        cell=f"{s_name}!{s_cell}",
                        first=str(out[(s_name, s_cell)][1][1]).removeprefix("row "),
                    ),
                )
            )
            continue
        if centre is not None and formula[1]:
            at = _cell_ref(header[centre], r)
            visible = f"{_q(s_name)}!{s_cell}"
            expected = centre_formula(name, visible, r)
            # the formula follows its cell where a spreadsheet moved the row; a program
            # that moves rows without rewriting formulas leaves the address as written
            stale = centre_formula(name, f"{_q(s_name)}!{as_written}", r)
            if _formula_key(str(formula[0])) not in (
                _formula_key(expected),
                _formula_key(stale),
            ):
                probs.append(
                    Problem(
                        (sh, at),
                        "formula",
                        _say(
                            lang,
                            "centre_formula",
                            ref=f"{sh}!{at}",
                            formula=str(formula[0])[:80],
                            visible=f"{s_name}!{s_cell}",
                            expected=expected,
                        ),
                    )
                )
                continue
            written = raw.get("written", (None, False))
            d[_PENDING] = {
                "key": "value" if centre == "fixed" else centre,
                "at": (sh, at),
                "written": written[0]
                if isinstance(written[0], int | float) and not isinstance(written[0], bool)
                else None,
            }
        out[(s_name, s_cell)] = (d, row_ref)
    return out


def _keyed_cell(
    reader: _Reader, wb: Any, sheets: dict[str, str], s_name: str, keys: dict[str, Any]
) -> str | None:
    """The cell an *Uncertainty* row names by its keys, where it is now.

    ``""`` when the keys cannot be followed (a sheet or a column the keys do not
    know: the row is read at its *Cell*), None when the described sheet has no row
    of that key and rank any more.
    """
    kind = next((k for k in UNC_KEY_COLUMNS if sheets.get(k) == s_name), None)
    if kind is None or s_name not in wb.sheetnames:
        return ""
    g = reader.grid(wb, s_name)
    if kind == "settings":
        key_col, first, col = 1, SETTINGS_FIRST, 2 if keys["field"] == "value" else None
    else:
        head_row, first = (KEY_ROW, FIRST_ROW) if kind == "map" else (INPUT_FIRST - 1, INPUT_FIRST)
        header = {str(v): c for (r, c), (v, _) in g.items() if r == head_row}
        key_col, col = header.get(UNC_KEY_COLUMNS[kind], 0), header.get(str(keys["field"]))
    if col is None or not key_col:
        return ""
    try:
        rank = int(keys.get("occurrence") or 1)
    except (TypeError, ValueError):
        rank = 1
    wanted = str(keys["row_key"]).strip()
    rows = sorted(
        r
        for (r, c), (v, is_formula) in g.items()
        if c == key_col
        and r >= first
        and not is_formula
        and (setting_key(v) if kind == "settings" else str(v).strip()) == wanted
    )
    return f"{_letter(col)}{rows[rank - 1]}" if 0 < rank <= len(rows) else None


def _renamed(
    reader: _Reader,
    wb: Any,
    sheets: dict[str, str],
    s_name: str,
    s_cell: str,
    what: str,
    unc: dict[tuple[int, int], tuple[Any, bool]],
    unc_header: dict[str, int],
) -> bool:
    """Whether the row at an *Uncertainty* row's *Cell* is the row it describes under a
    new key (an outcome identifier edited in place): no *Uncertainty* row names that row's
    key, and its label is the one the *Figure* column names. A deleted row, whose place
    another row took, is not."""
    m = re.fullmatch(r"([A-Z]{1,3})(\d+)", s_cell)
    kind = next((k for k in ("map", "inputs") if sheets.get(k) == s_name), None)
    if m is None or kind is None or s_name not in wb.sheetnames:
        return False
    g = reader.grid(wb, s_name)
    head_row = KEY_ROW if kind == "map" else INPUT_FIRST - 1
    header = {str(v): c for (r, c), (v, _) in g.items() if r == head_row}
    row = int(m.group(2))
    key = g.get((row, header.get(UNC_KEY_COLUMNS[kind], 0)), (None, False))[0]
    label = g.get((row, header.get("label", 0)), (None, False))[0]
    if key in (None, "") or label in (None, "") or str(label).strip() not in what:
        return False
    key_col, sheet_col = unc_header.get("row_key"), unc_header.get("sheet")
    claimed = {
        str(v).strip()
        for (r, c), (v, _) in unc.items()
        if c == key_col and str(unc.get((r, sheet_col or 0), ("", False))[0]) == s_name
    }
    return str(key).strip() not in claimed


_DIST_TYPED = {v.lower(): k for k, v in DIST_NAMES["fr"].items()}
_PENDING = "_centre"  # a law whose centre follows its visible cell, not yet read


def _formula_key(text: str) -> str:
    """A formula compared by its meaning, whatever its syntax.

    ``of:=[$'Carte de valeur'.H4]`` (OpenDocument) and
    ``='Carte de valeur'!$H$4`` (Excel) are the same formula.
    """
    t = text.strip()
    if t[:3].lower() == "of:":
        t = t[3:]
    t = re.sub(
        r"\[\$?('(?:[^']|'')*'|[^\].']*)?\.\$?([A-Za-z]{1,3})\$?(\d+)\]",
        lambda m: (m.group(1) + "!" if m.group(1) else "") + m.group(2) + m.group(3),
        t,
    )
    return t.replace("$", "").replace(" ", "").replace("'", "").upper()


def _law(
    v: Any,
    d: dict[str, Any],
    where: tuple[PathElement, ...],
    probs: list[Problem],
    unc_row: tuple[PathElement, ...],
) -> Any:
    """The law of a visible figure ``v``: its centre follows ``v``, or must be ``v``.

    A row whose centre cell is a formula of the visible cell takes its centre
    from ``v`` (what the formula computes, whether or not the spreadsheet
    saved its value); the centre as written is kept while the formula still
    gives it to 1e-9, so that a round trip is exact. When the other
    parameters no longer admit the new centre (a mode outside the minimum
    and maximum), the problem names the visible cell, the range it admits and
    the cells to change; the figure is then read as a plain number. A row
    whose centre cell holds a number must be centred on ``v``
    (:func:`_check_central`).
    """
    from impactkit.dist import from_dict as dist_from_dict

    pending = d.pop(_PENDING, None)
    if pending is None:
        _check_central(v, d, where, probs, unc_row)
        return d
    if not isinstance(v, int | float) or isinstance(v, bool):
        return v
    lang = getattr(probs, "lang", "en")
    name = str(d["dist"])
    cells = list(getattr(probs, "unc_cells", {}).get(unc_row, []))
    key = pending["key"]
    others = [(k, ref) for k, ref in cells if k != ("fixed" if key == "value" else key)]
    unc_sheet = str(unc_row[0])
    row = str(unc_row[1]).removeprefix("row ")
    ref = "!".join(str(w) for w in where[:2])
    x = centre_value(name, float(v), d)
    if x is None:
        at = "!".join(str(w) for w in pending["at"])
        probs.append(
            Problem(
                pending["at"],
                "missing",
                _say(
                    lang,
                    "centre_missing",
                    ref=at,
                    dist=DIST_NAMES[lang].get(name, name),
                    row=row,
                    params=", ".join(WORDS[lang][k] for k in ("low", "high", "lam")),
                    visible=ref,
                ),
            )
        )
        return float(v)
    written = pending["written"]
    if written is not None:
        scale = max(abs(float(v)), abs(x), abs(float(written)))
        scale = max([scale, *(abs(float(d[k])) for k in ("low", "high") if k in d)])
        if abs(x - float(written)) <= 1e-9 * scale:
            x = float(written)
    law = {**d, key: x}
    try:
        dist_from_dict(law)
    except ValidationError:
        probs.append(
            Problem(
                where,
                "central_outside",
                _say(
                    lang,
                    "centre_out",
                    ref=ref,
                    value=number_text(float(v), lang),
                    dist=DIST_NAMES[lang].get(name, name),
                    row=row,
                    sheet=unc_sheet,
                    params=", ".join(
                        f"{WORDS[lang][k]} {number_text(float(d[_param(k)]), lang)}"
                        for k, _ in others
                        if isinstance(d.get(_param(k)), int | float)
                    ),
                    span=_span(name, d, lang),
                    cells=(" or " if lang == "en" else " ou ").join(
                        f"{unc_sheet}!{r}" for _, r in others
                    )
                    or unc_sheet,
                ),
            )
        )
        return float(v)
    return law


def _param(col: str) -> str:
    return "value" if col == "fixed" else col


def _span(name: str, d: dict[str, Any], lang: str) -> str:
    """The central values a law's other parameters admit, as a message says them."""
    try:
        a, b = float(d.get("low", 0.0)), float(d.get("high", 1.0))
        if name == "triangular":
            lo, hi, key = (2 * a + b) / 3, (a + 2 * b) / 3, "span_between"
        elif name == "pert":
            lam = float(d["lam"])
            lo, hi = (a * (1 + lam) + b) / (lam + 2), (a + (1 + lam) * b) / (lam + 2)
            key = "span_between"
        elif name == "beta":
            lo, hi, key = a, b, "span_inside"
        else:
            return ""
    except (KeyError, TypeError, ValueError):
        return ""
    if not (math.isfinite(lo) and math.isfinite(hi)) or lo > hi:
        return ""
    return _say(lang, key, lo=number_text(lo, lang), hi=number_text(hi, lang))


_TOC_TABLES = ("nodes", "links", "stakeholders")
_UNKNOWN_SH = re.compile(r"unknown stakeholder '([^']*)'")


def _worded(p: Problem, lang: str, sheet: dict[str, str]) -> Problem:
    """A problem of the model located at a cell, in the workbook's words.

    A stakeholder a node names but the *Stakeholders* sheet does not list
    (its row deleted, or a typing error) says where stakeholders are added.
    """
    m = _UNKNOWN_SH.search(p.message)
    if p.code != "unknown_stakeholder" or m is None or len(p.path) < 2:
        return p
    ref = f"{p.path[0]}!{p.path[1]}"
    text = _say(lang, "sh_unlisted", ref=ref, id=m.group(1), sheet=sheet["stakeholders"])
    return Problem(p.path, p.code, text, p.severity)


def _locate(
    p: Problem,
    where: list[dict[str, tuple[PathElement, ...]]],
    in_where: list[dict[str, tuple[PathElement, ...]]],
    toc_at: dict[str, list[dict[str, tuple[PathElement, ...]]]] | None = None,
) -> Problem:
    path = p.path
    if len(path) >= 4 and path[0] == "toc" and path[1] in _TOC_TABLES and toc_at:
        rows, i, field = toc_at.get(str(path[1]), []), path[2], str(path[3])
        if isinstance(i, int) and i < len(rows) and field in rows[i]:
            return Problem((*rows[i][field], field, *path[4:]), p.code, p.message, p.severity)
    if len(path) >= 3 and path[0] in ("outcomes", "inputs") and isinstance(path[1], int):
        table = where if path[0] == "outcomes" else in_where
        i = path[1]
        field = str(path[2])
        key = f"proxy.{path[3]}" if field == "proxy" and len(path) > 3 else field
        if i < len(table) and key in table[i]:
            return Problem((*table[i][key], field, *path[3:]), p.code, p.message, p.severity)
    return p
