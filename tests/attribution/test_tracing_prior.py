"""contribution_tracing checks its prior even when there is no evidence to weigh."""

from __future__ import annotations

import math

import pytest

import impactkit as ik
from impactkit import attribution as att


@pytest.mark.parametrize("prior", [3.0, -0.1, math.nan])
def test_bad_prior_is_refused_without_items(prior: float) -> None:
    with pytest.raises(ik.ValidationError) as ei:
        att.contribution_tracing([], prior=prior)
    assert ei.value.paths == ("prior",)


def test_no_items_leaves_an_empty_table() -> None:
    assert att.contribution_tracing([], prior=0.5).empty
