"""wilson_interval names the number of trials when it is not a finite number, instead of
raising a TypeError for text or blaming the successes for an infinite count, and lists
every problem at once (docs/methods/measurement.md)."""

from __future__ import annotations

import pytest

from impactkit import measure
from impactkit.errors import ValidationError


@pytest.mark.parametrize(
    ("n", "code"), [("ten", "type"), (None, "type"), (float("nan"), "out_of_range")]
)
def test_trials_that_are_not_a_finite_number_are_located(n, code):
    with pytest.raises(ValidationError) as exc:
        measure.wilson_interval(3, n)
    assert [(p.path, p.code) for p in exc.value.problems] == [(("n",), code)]


def test_infinite_trials_are_blamed_on_n():
    with pytest.raises(ValidationError) as exc:
        measure.wilson_interval(3, float("inf"))
    assert exc.value.problems[0].path == ("n",)


def test_every_problem_at_once():
    with pytest.raises(ValidationError) as exc:
        measure.wilson_interval(7, 5, level=2.0)
    assert [p.path for p in exc.value.problems] == [("k",), ("level",)]


def test_no_observation_is_still_empty():
    with pytest.raises(ValidationError) as exc:
        measure.wilson_interval(0, 0)
    assert exc.value.problems[0].code == "empty"
