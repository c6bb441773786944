"""The refusals added to the measurement and agreement calculators say their problem in
French under a sentence of their own, not the generic French fallback."""

from __future__ import annotations

import numpy as np
import pytest

from impactkit import measure
from impactkit._i18n import PROBLEM_FR_FALLBACK, problem_fr
from impactkit.errors import ValidationError
from impactkit.qualitative import agreement


def _problem(call):
    with pytest.raises(ValidationError) as err:
        call()
    return err.value.problems[0]


def test_a_cut_off_a_with_equal_means_is_said_in_french():
    p = _problem(
        lambda: measure.ReliableChange(
            baseline="t0",
            followup="t1",
            reliability=0.8,
            functional_mean=10.0,
            functional_sd=2.0,
            dysfunctional_mean=10.0,
            dysfunctional_sd=3.0,
            criterion="a",
        )
    )
    assert p.code == "inconsistent"
    fr = problem_fr(p.code, p.message)
    assert fr != PROBLEM_FR_FALLBACK
    assert "valeur" in fr


def test_text_codes_that_read_as_numbers_are_said_in_french():
    m = np.array([["1", "2", "10", "9"], ["1", "2", "10", "10"]])
    p = _problem(lambda: agreement(m, metric="ordinal"))
    assert p.code == "ambiguous_order"
    fr = problem_fr(p.code, p.message)
    assert fr != PROBLEM_FR_FALLBACK
    assert "ordre" in fr
