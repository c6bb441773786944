"""Sites whose inputs total 0 are listed with every other problem of the tables.

The ratio of such a site is undefined: the tables are refused (code
``no_inputs``) naming the sites, in the same error as the other problems,
so that one correction pass fixes everything.
"""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def _codes(err: ValidationError) -> list[tuple[tuple[object, ...], str]]:
    return [(tuple(p.path), p.code) for p in err.problems]


def test_zero_inputs_are_listed_with_the_outcome_problems() -> None:
    out = pd.DataFrame({"site": list("abcd"), "quantity": [1.0, -2.0, 3.0, 1.0], "proxy": 1.0})
    inp = pd.DataFrame({"site": ["a", "b", "c", "x", None], "amount": [0.0, 1.0, 0.0, 5.0, 5.0]})
    with pytest.raises(ValidationError) as exc:
        pf.evaluate(out, inp)
    codes = _codes(exc.value)
    assert (("outcomes", "quantity"), "out_of_range") in codes
    assert (("inputs", "site"), "no_inputs") in codes  # d has no input row
    assert (("inputs", "site"), "unknown_site") in codes
    zero = [p for p in exc.value.problems if p.path == ("inputs", "amount")]
    assert [p.code for p in zero] == ["no_inputs"]
    assert "2 sites" in zero[0].message
    assert "a, c" in zero[0].message  # d, with no input row, is not counted twice


def test_zero_inputs_alone() -> None:
    out = pd.DataFrame({"site": list("ab"), "quantity": [1.0, 2.0], "proxy": 1.0})
    inp = pd.DataFrame({"site": ["a", "b", "b"], "amount": [0.0, 0.0, 0.0]})
    with pytest.raises(ValidationError) as exc:
        pf.evaluate(out, inp)
    assert _codes(exc.value) == [(("inputs", "amount"), "no_inputs")]


def test_invalid_amounts_are_not_totalled() -> None:
    out = pd.DataFrame({"site": list("ab"), "quantity": [1.0, 2.0], "proxy": 1.0})
    inp = pd.DataFrame({"site": ["a", "b"], "amount": [0.0, -1.0]})
    with pytest.raises(ValidationError) as exc:
        pf.evaluate(out, inp)
    assert _codes(exc.value) == [(("inputs", "amount"), "out_of_range")]
