"""A filter that compares with a missing value is refused: it never matched as written.

``{"op": "in", "value": ["a", None]}`` kept the rows missing a text column
but not those missing a number column, ``"=="`` with None kept no row and
``"!="`` / ``"not_in"`` with NaN kept every known row, all silently.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from impactkit import measure as m
from impactkit.errors import ValidationError


@pytest.mark.parametrize(
    ("op", "value"),
    [
        ("in", ["a", None]),
        ("in", [1.0, math.nan]),
        ("not_in", [None]),
        ("==", None),
        ("!=", math.nan),
        ("<", None),
    ],
)
def test_a_missing_value_in_a_comparison_is_refused(op, value):
    with pytest.raises(ValidationError) as exc:
        m.Count(where=[{"column": "s", "op": op, "value": value}])
    (p,) = exc.value.problems
    assert (tuple(p.path), p.code) == (("where", 0, "value"), "missing")
    assert "isna" in p.message


def test_missing_rows_are_kept_only_by_isna():
    df = pd.DataFrame({"s": ["a", None, "b"], "x": [1.0, None, 2.0]})
    assert m.Count(where=[{"column": "s", "op": "in", "value": ["a"]}]).compute(df).quantity == 1
    assert m.Count(where=[{"column": "x", "op": "isna"}]).compute(df).quantity == 1
    assert (
        m.Count(where=[{"column": "s", "op": "not_in", "value": ["a"]}]).compute(df).quantity == 1
    )
