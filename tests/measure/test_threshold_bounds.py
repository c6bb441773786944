"""Threshold refuses bounds that no value can lie between, instead of counting 0 of n."""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit import measure as m
from impactkit.errors import ValidationError


def test_crossed_bounds_are_refused():
    with pytest.raises(ValidationError) as exc:
        m.Threshold(column="a", at_least=5, at_most=3)
    (p,) = exc.value.problems
    assert (tuple(p.path), p.code) == (("at_most",), "out_of_range")


def test_equal_bounds_count_that_value():
    r = m.Threshold(column="a", at_least=4, at_most=4).compute(pd.DataFrame({"a": [1, 4, 4, 6]}))
    assert (r.quantity, r.n) == (2.0, 4)


def test_crossed_bounds_in_a_model_file_form_are_refused():
    with pytest.raises(ValidationError):
        m.Threshold.from_dict({"column": "a", "at_least": 20, "at_most": 10})
