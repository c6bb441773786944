"""Reading a value map saved as OpenDocument (``.ods``) or Excel 97-2003 (``.xls``).

LibreOffice saves ``.ods``; many associations still keep ``.xls``. Both are
read with python-calamine (the ``excel`` extra), and give the reader of
:mod:`impactkit.io._excel` the same grid as an ``.xlsx``: (row, column) ->
(value, is_formula), so that every check applies alike.

An ``.ods`` is first streamed once (its ``content.xml``), counting elements,
text and the cells its repeat attributes stand for, and refused beyond a
limit before calamine builds anything; the same pass finds the formulas
(``table:formula``) and the merged cells (``table:number-columns-spanned``),
which calamine does not give. An ``.xls`` keeps no formula calamine can
report: its cells are read as the values the spreadsheet saved.
"""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import Any

from impactkit.errors import FileFormatError, Problem

_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"


def calamine() -> Any:
    try:
        import python_calamine
    except ImportError as exc:  # pragma: no cover - the excel extra
        raise ImportError(
            "value maps in .ods or .xls need python-calamine: pip install 'impactkit[excel]'"
        ) from exc
    return python_calamine


def _letters(col: int) -> str:
    out = ""
    while col:
        col, rem = divmod(col - 1, 26)
        out = chr(65 + rem) + out
    return out


class OdsScan:
    """One streaming pass over the ``content.xml`` of an ``.ods``.

    Counts elements, characters and the valued cells the repeat attributes
    stand for (a cell repeated over a million rows is a million cells), and
    records the formulas and merged ranges of each sheet.
    """

    def __init__(self, *, max_elements: int, max_cells: int, max_text: int) -> None:
        self.max_elements, self.max_cells, self.max_text = max_elements, max_cells, max_text
        self.elements = self.cells = self.text = 0
        self.formulas: dict[str, dict[tuple[int, int], str]] = {}
        self.merges: dict[str, list[str]] = {}

    def refuse(self, where: str, message: str) -> FileFormatError:
        return FileFormatError([Problem((where,), "too_large", message)])

    def run(self, z: zipfile.ZipFile, name: str) -> None:
        from xml.parsers import expat

        sheet = [""]
        pos = [0, 0, 1]  # row (1-based, of the current row), column before the next cell, repeat

        def attr(attrs: dict[str, str], ns: str, local: str) -> str | None:
            return attrs.get(f"{ns} {local}")

        def start(tag: str, attrs: dict[str, str]) -> None:
            ns, _, local = tag.rpartition(" ")
            if ns != _TABLE:
                return
            if local == "table":
                sheet[0] = attrs.get(f"{_TABLE} name", "")
                self.formulas.setdefault(sheet[0], {})
                self.merges.setdefault(sheet[0], [])
                pos[0] = 0
            elif local == "table-row":
                rows = attr(attrs, _TABLE, "number-rows-repeated")
                pos[0] += pos[2] if pos[0] else 1
                pos[1] = 0
                pos[2] = int(rows) if rows and rows.isdigit() else 1
            elif local in ("table-cell", "covered-table-cell"):
                times = attr(attrs, _TABLE, "number-columns-repeated")
                n = int(times) if times and times.isdigit() else 1
                col = pos[1] + 1
                pos[1] += n
                valued = attr(attrs, _OFFICE, "value-type") is not None
                if valued:
                    self.cells += n * pos[2]
                    if self.cells > self.max_cells:
                        raise self.refuse(
                            sheet[0], f"more than {self.max_cells:,} cells in the workbook"
                        )
                formula = attr(attrs, _TABLE, "formula")
                if formula is not None and local == "table-cell":
                    for k in range(min(n, 1000)):
                        self.formulas[sheet[0]][(pos[0], col + k)] = formula
                span_c = attr(attrs, _TABLE, "number-columns-spanned") or "1"
                span_r = attr(attrs, _TABLE, "number-rows-spanned") or "1"
                if local == "table-cell" and (span_c != "1" or span_r != "1"):
                    c2 = col + max(int(span_c) if span_c.isdigit() else 1, 1) - 1
                    r2 = pos[0] + max(int(span_r) if span_r.isdigit() else 1, 1) - 1
                    self.merges[sheet[0]].append(f"{_letters(col)}{pos[0]}:{_letters(c2)}{r2}")

        def chars(data: str) -> None:
            self.text += len(data)
            if self.text > self.max_text:
                raise self.refuse(sheet[0] or name, f"more than {self.max_text:,} characters")

        def doctype(*args: Any) -> None:
            raise FileFormatError(
                [
                    Problem(
                        (name,),
                        "format",
                        "a document type declaration, which a spreadsheet never holds",
                    )
                ]
            )

        parser = expat.ParserCreate(namespace_separator=" ")
        parser.buffer_text = True
        parser.StartElementHandler = start
        parser.CharacterDataHandler = chars
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            with z.open("content.xml") as f:
                while chunk := f.read(1 << 16):
                    self.elements += chunk.count(b"<") - chunk.count(b"</")
                    if self.elements > self.max_elements:
                        raise self.refuse(name, f"more than {self.max_elements:,} XML elements")
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except FileFormatError:
            raise
        except Exception as exc:
            raise FileFormatError(
                [Problem((name,), "format", f"content.xml cannot be read ({exc})")]
            ) from None


class CalamineBook:
    """A workbook read by calamine, with the sheet names and close() of an openpyxl one."""

    def __init__(self, path: Path, scan: OdsScan | None) -> None:
        pc = calamine()
        try:
            self.book = pc.CalamineWorkbook.from_path(str(path))
        except Exception as exc:
            raise FileFormatError(
                f"{path.name} cannot be read as a spreadsheet: {str(exc) or type(exc).__name__}",
                code="format",
            ) from exc
        self.sheetnames = list(self.book.sheet_names)
        self.scan = scan

    def merges(self, sheet: str) -> list[str]:
        if self.scan is not None:
            return self.scan.merges.get(sheet, [])
        try:
            ranges = self.book.get_sheet_by_name(sheet).merged_cell_ranges or []
        except Exception:
            return []
        return [
            f"{_letters(c1 + 1)}{r1 + 1}:{_letters(c2 + 1)}{r2 + 1}"
            for (r1, c1), (r2, c2) in ranges
        ]

    def rows(self, sheet: str) -> Any:
        """(row, column, value, formula or None) of every non-empty cell, 1-based."""
        ws = self.book.get_sheet_by_name(sheet)
        formulas = self.scan.formulas.get(sheet, {}) if self.scan is not None else {}
        r0, c0 = ws.start if ws.start is not None else (0, 0)
        for i, row in enumerate(ws.iter_rows()):
            for j, v in enumerate(row):
                r, c = r0 + i + 1, c0 + j + 1
                f = formulas.get((r, c))
                if f is not None:
                    yield r, c, f, True
                elif v is not None and v != "":
                    if isinstance(v, float) and v.is_integer() and abs(v) < 2**53:
                        v = int(v)  # a spreadsheet keeps whole numbers as floats
                    yield r, c, v, False
        for (r, c), f in formulas.items():  # formulas whose saved value is blank
            if r > r0 + ws.height or c > c0 + ws.width:
                yield r, c, f, True

    def close(self) -> None:
        self.book.close()
