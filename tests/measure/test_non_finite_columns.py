"""Infinite values and numbers a float cannot hold are refused by the calculators, by column.

An infinite value read as a number turned a sum into inf, a mean change and
its interval into NaN, and counted as beyond any threshold; a Fraction raised
an IndexError and an integer beyond a float's range an OverflowError.
"""

from __future__ import annotations

import math
from fractions import Fraction

import pandas as pd
import pytest

from impactkit import measure as m
from impactkit.errors import ValidationError

INF = math.inf


def _problem(exc: pytest.ExceptionInfo[ValidationError]) -> tuple[tuple[object, ...], str]:
    (p,) = exc.value.problems
    return tuple(p.path), p.code


@pytest.mark.parametrize(
    ("calc", "frame", "path"),
    [
        (m.Sum("a"), {"a": [1.0, INF, 2.0]}, ("column",)),
        (m.Threshold(column="a", at_least=3), {"a": [1.0, INF, 2.0]}, ("column",)),
        (
            m.PrePost(baseline="a", followup="b"),
            {"a": [1.0, 2.0, 3.0], "b": [2, -INF, 4]},
            ("followup",),
        ),
        (
            m.ReliableChange(baseline="a", followup="b", reliability=0.8, sd=2.0),
            {"a": [1.0, INF, 3.0], "b": [2.0, 3.0, 4.0]},
            ("baseline",),
        ),
        (
            m.DistanceTravelled(domains=["x"], scale=(0, 10)),
            {"x_t0": [1.0, 2.0, INF], "x_t1": [2.0, 3.0, 4.0]},
            ("domains",),
        ),
    ],
)
def test_an_infinite_value_is_refused_naming_the_column(calc, frame, path):
    with pytest.raises(ValidationError) as exc:
        calc.compute(pd.DataFrame(frame))
    assert _problem(exc) == (path, "not_finite")
    assert "infinite" in str(exc.value)


def test_infinite_values_in_object_columns_are_refused_too():
    df = pd.DataFrame({"a": pd.Series([1, INF, None], dtype=object)})
    with pytest.raises(ValidationError) as exc:
        m.Sum("a").compute(df)
    assert _problem(exc) == (("column",), "not_finite")


def test_fractions_are_numbers():
    df = pd.DataFrame({"a": pd.Series([Fraction(1, 2), Fraction(3, 2), None], dtype=object)})
    r = m.Sum("a").compute(df)
    assert (r.quantity, r.n, r.missing) == (2.0, 2, 1)


def test_an_integer_beyond_a_float_is_refused():
    df = pd.DataFrame({"a": pd.Series([1, 10**400], dtype=object)})
    with pytest.raises(ValidationError) as exc:
        m.Sum("a").compute(df)
    assert _problem(exc) == (("column",), "too_large")


def test_finite_values_are_read_as_before():
    df = pd.DataFrame(
        {"a": pd.Series([1, 2.5, None, True], dtype=object), "b": [1.0, 2.0, 3.0, 4.0]}
    )
    r = m.Sum("a").compute(df)
    assert (r.quantity, r.n, r.missing) == (4.5, 3, 1)
    r = m.PrePost(baseline="b", followup="a").compute(df)
    assert (r.n, r.missing, r.mean_change) == (3, 1, (0 + 0.5 - 3) / 3)
