"""Network tables with a column name used twice are refused, naming the columns."""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def test_duplicate_columns_of_both_tables_are_listed() -> None:
    out = pd.DataFrame([["a", 1.0, 2.0, 3.0]], columns=["site", "quantity", "proxy", "quantity"])
    inp = pd.DataFrame([["a", 1.0, 2.0]], columns=["site", "amount", "amount"])
    for call in (pf.evaluate, pf.row_values):
        with pytest.raises(ValidationError) as exc:
            call(out, inp)
        problems = [(p.path, p.code, p.message) for p in exc.value.problems]
        assert problems == [
            (("outcomes",), "duplicate_column", "duplicate column names: ['quantity']"),
            (("inputs",), "duplicate_column", "duplicate column names: ['amount']"),
        ]
    with pytest.raises(ValidationError, match="duplicate column names"):
        pf.monte_carlo(out, inp, n=2, seed=1)
