"""A formula engine that computes a workbook from the numbers it holds, to the last digit.

The ``formulas`` package rounds every number it reads from a cell to 15 decimal
places (``round(value, 15)`` in ``ExcelModel.compile_cell``), which Excel and
LibreOffice do not: they read the 17 significant digits the value map writes.
A small value loses relative precision there (a deadweight of 0.99999988, whose
complement is 1.2e-7, is off by up to 4e-9), so that a workbook would seem to
compute another figure than the library. :class:`ExactExcelModel` reads the
numbers as they are stored.
"""

from __future__ import annotations

from typing import Any


def exact_excel_model() -> Any:
    """An ``formulas.ExcelModel`` that keeps every stored number as it is."""
    import formulas

    class ExactExcelModel(formulas.ExcelModel):  # type: ignore[misc, name-defined]
        def compile_cell(self, cell: Any, context: Any, references: Any, formula_refs: Any) -> Any:
            if cell.data_type == "n" and isinstance(cell.value, float):
                crd = formula_refs.get(cell.coordinate, cell.coordinate)
                return self._compile_cell(crd, cell.value, context, True, references)
            return super().compile_cell(cell, context, references, formula_refs)

    return ExactExcelModel()


def compute(path: Any, *, exact: bool = True) -> dict[tuple[str, str], Any]:
    """Every defined name and cell of a workbook, computed by a formula engine.

    Keys are (SHEET, REF) in upper case; defined names have the sheet ``""``.
    ``exact=False`` uses the engine as it is, rounding the stored numbers.
    """
    import formulas

    engine = exact_excel_model() if exact else formulas.ExcelModel()
    sol = engine.loads(str(path)).finish().calculate()
    out = {}
    for key, ranges in sol.items():
        book_sheet, _, ref = key.rpartition("!")
        sheet = book_sheet.strip("'").partition("]")[2]
        value = getattr(ranges, "value", None)
        if value is None or value.shape != (1, 1):
            continue
        out[(sheet.upper(), ref.upper())] = value[0, 0]
    return out
