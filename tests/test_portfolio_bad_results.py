"""The group tables refuse a per-site table they cannot read, with impactkit errors.

A missing grouping, site or ratio column is named (code ``missing_column``),
every one at once, instead of a bare ``KeyError``; an empty table has no
overall percentiles (code ``empty``).
"""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def _result() -> pd.DataFrame:
    r = pd.DataFrame(
        {
            "site": ["a", "b"],
            "sector": ["x", "y"],
            "present_value": [1.0, 2.0],
            "total_inputs": [1.0, 1.0],
        }
    )
    r["ratio"] = r["present_value"] / r["total_inputs"]
    return r


def _problems(call: object) -> list[tuple[tuple[object, ...], str]]:
    with pytest.raises(ValidationError) as exc:
        call()  # type: ignore[operator]
    return [(tuple(p.path), p.code) for p in exc.value.problems]


def test_missing_columns_are_named() -> None:
    r = _result()
    assert _problems(lambda: pf.aggregate(r, "region")) == [
        (("result", "region"), "missing_column")
    ]
    assert _problems(
        lambda: pf.aggregate(r.drop(columns=["ratio", "total_inputs"]), "sector")
    ) == [
        (("result", "total_inputs"), "missing_column"),
        (("result", "ratio"), "missing_column"),
    ]
    assert _problems(lambda: pf.distribution(r, by=["sector", "region"])) == [
        (("result", "region"), "missing_column")
    ]
    assert _problems(lambda: pf.position(r, "a", peers="region")) == [
        (("result", "region"), "missing_column")
    ]
    assert _problems(lambda: pf.position(r, "a", site="finess")) == [
        (("result", "finess"), "missing_column")
    ]


def test_not_a_table_and_no_sites() -> None:
    assert _problems(lambda: pf.aggregate([1.0], "sector")) == [(("result",), "type")]
    assert _problems(lambda: pf.distribution(_result().iloc[:0])) == [(("result",), "empty")]
    empty = pf.distribution(_result().iloc[:0], by="sector", percentiles=(50,))
    assert list(empty.columns) == ["sector", "p50"]
    assert len(empty) == 0
