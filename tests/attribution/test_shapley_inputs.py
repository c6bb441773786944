"""Shapley values refuse non-finite game values and too few permutations instead of NaN."""

from __future__ import annotations

import math

import pytest

import impactkit as ik
from impactkit import attribution as att


def test_a_non_finite_coalition_value_in_a_mapping_is_located() -> None:
    v = {(1,): 10, (2,): math.nan, (1, 2): 60, (3,): math.inf}
    with pytest.raises(ik.ValidationError) as ei:
        att.shapley([1, 2], v)
    assert len(ei.value.problems) == 2
    assert all(p.code == "not_finite" for p in ei.value.problems)


def test_a_non_finite_value_from_a_function_is_an_error() -> None:
    with pytest.raises(ik.ValidationError, match="finite"):
        att.shapley([1, 2, 3], lambda s: math.nan if len(s) == 2 else float(len(s)))


@pytest.mark.parametrize("n_permutations", [0, 1, -5, 2.5])
def test_sampling_needs_two_permutations(n_permutations) -> None:
    players = list(range(13))  # above exact_max: permutation sampling
    with pytest.raises(ik.ValidationError) as ei:
        att.shapley(players, lambda s: len(s) ** 2, n_permutations=n_permutations, seed=0)
    assert ei.value.paths == ("n_permutations",)


def test_sampled_values_stay_finite_and_efficient() -> None:
    players = list(range(13))
    r = att.shapley(players, lambda s: len(s) ** 2, n_permutations=2, seed=0)
    assert all(math.isfinite(x) for x in r.se.values())
    assert sum(r.values.values()) == pytest.approx(r.total)
