"""What the workbook tests share: the French sheet names and a column by its key."""

from __future__ import annotations

from typing import Any

from impactkit.io import _excel

FR = {k: v["fr"] for k, v in _excel.SHEETS.items()}
"""Sheet key -> its name in a French workbook."""


def column_of(ws: Any, key: str, key_row: int = 3) -> str:
    """The letter of the column whose cell in ``key_row`` (the hidden id row) is ``key``."""
    for c in ws[key_row]:
        if c.value == key:
            return str(c.column_letter)
    raise KeyError(key)
