"""Cost-effectiveness functions refuse non-finite input at its own path (docs/methods/cea.md)."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import methods as M


def _paths(exc: pytest.ExceptionInfo[ik.ValidationError]) -> set[tuple[object, ...]]:
    return {p.path for p in exc.value.problems}


def test_icer_refuses_nan_instead_of_returning_it() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        M.icer(cost_a=float("nan"), effect_a=1.0, cost_b=0.0, effect_b=float("inf"))
    assert _paths(exc) == {("cost_a",), ("effect_b",)}
    with pytest.raises(ik.ValidationError):
        M.icer(cost_a=1e308, effect_a=1e-300, cost_b=-1e308, effect_b=0.0)
    assert M.icer(cost_a=np.float64(150), effect_a=12, cost_b=100, effect_b=10) == 25.0


def test_cost_per_outcome_names_each_bad_field() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        M.cost_per_outcome(-100, 10, deadweight=1.5)
    assert _paths(exc) == {("cost",), ("deadweight",)}
    with pytest.raises(ik.ValidationError) as exc:
        M.cost_per_outcome("100", 10)  # type: ignore[arg-type]
    assert _paths(exc) == {("cost",)}


def test_frontier_refuses_a_nan_willingness_to_pay() -> None:
    df = pd.DataFrame({"name": ["A", "B"], "cost": [1.0, 2.0], "effect": [1.0, 2.0]})
    with pytest.raises(ik.ValidationError) as exc:
        M.cea_frontier(df, wtp=float("nan"))
    assert _paths(exc) == {("wtp",)}
    assert M.cea_frontier(df, wtp=2.0)["optimal"].tolist() == [False, True]


def test_wellbys_refuse_nan_people_change_and_negative_start() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        M.wellbys([0.5, float("nan")], float("nan"), start_year=-1)
    assert _paths(exc) == {("delta_life_satisfaction", 1), ("people",), ("start_year",)}
    # by hand: 0.5 x 10 in years 2 and 3 at 3.5 %
    got = M.wellbys([0.5, 0.5], 10, discount=0.035, start_year=2)
    assert math.isclose(got, 5 / 1.035**2 + 5 / 1.035**3)
