"""Monte Carlo checks its options together, as ValidationErrors, before any draw."""

from __future__ import annotations

import math

import pytest

import impactkit as ik
from impactkit.dist import Uniform
from impactkit.errors import ValidationError


def _model() -> ik.ImpactModel:
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=Uniform(5, 15), proxy=150)
        ],
    )


@pytest.mark.parametrize(
    ("options", "path"),
    [
        ({"chunk_size": "a"}, ("chunk_size",)),
        ({"chunk_size": math.nan}, ("chunk_size",)),
        ({"chunk_size": 0}, ("chunk_size",)),
        ({"chunk_size": 2.5}, ("chunk_size",)),
        ({"max_memory": "a"}, ("max_memory",)),
        ({"max_memory": -1}, ("max_memory",)),
        ({"max_memory": math.nan}, ("max_memory",)),
    ],
)
def test_bad_option(options: dict[str, object], path: tuple[str]) -> None:
    with pytest.raises(ValidationError) as err:
        ik.monte_carlo(_model(), n=10, seed=1, **options)  # type: ignore[arg-type]
    assert [p.path for p in err.value.problems] == [path]


def test_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        ik.monte_carlo(_model(), n=0, chunk_size="a", max_memory=-1)  # type: ignore[arg-type]
    assert sorted(p.path for p in err.value.problems) == [
        ("chunk_size",),
        ("max_memory",),
        ("n",),
    ]


def test_good_options_run() -> None:
    mc = ik.monte_carlo(_model(), n=10, seed=1, chunk_size=1, max_memory=10**9)
    assert mc.n == 10
