"""A non-finite coalition value is located by its players, as people write them."""

from __future__ import annotations

import math

import pytest

import impactkit as ik
from impactkit import attribution as att


def test_the_path_names_the_coalition_by_its_players() -> None:
    v = {("a",): 10, ("b",): math.nan, ("a", "b"): math.inf}
    with pytest.raises(ik.ValidationError) as ei:
        att.shapley(["a", "b"], v)
    assert {p.path for p in ei.value.problems} == {("value", "b"), ("value", "a, b")}
    assert "['b']" not in str(ei.value)  # value.b, not value["['b']"]
