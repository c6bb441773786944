"""Sobol options are checked together, as ValidationErrors, before any sampling."""

from __future__ import annotations

import math

import numpy as np
import pytest

import impactkit as ik
from impactkit.dist import Uniform
from impactkit.errors import ValidationError
from impactkit.uncertainty import sobol, sobol_indices

pytest.importorskip("SALib")

DISTS = {"a": Uniform(0, 1), "b": Uniform(0, 1)}


def _f(x: np.ndarray) -> np.ndarray:
    return x[:, 0] + 2 * x[:, 1]


def _paths(exc: pytest.ExceptionInfo[ValidationError]) -> list[tuple[object, ...]]:
    return [p.path for p in exc.value.problems]


@pytest.mark.parametrize(
    ("options", "path"),
    [
        ({"level": 1.5}, ("level",)),
        ({"level": 0.0}, ("level",)),
        ({"level": 1.0}, ("level",)),
        ({"level": math.nan}, ("level",)),
        ({"n_bootstrap": 0}, ("n_bootstrap",)),
        ({"n_bootstrap": 1}, ("n_bootstrap",)),
        ({"n_bootstrap": -1}, ("n_bootstrap",)),
        ({"n_bootstrap": 2.5}, ("n_bootstrap",)),
        ({"n": "a"}, ("n",)),
        ({"n": 100}, ("n",)),
        ({"n": 1.5}, ("n",)),
        ({"n": True}, ("n",)),
    ],
)
def test_bad_option_is_a_validation_error(options: dict[str, object], path: tuple[str]) -> None:
    kwargs: dict[str, object] = {"n": 64, "seed": 1, **options}
    with pytest.raises(ValidationError) as err:
        sobol_indices(_f, DISTS, **kwargs)  # type: ignore[arg-type]
    assert _paths(err) == [path]


def test_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        sobol_indices(_f, DISTS, n=100, n_bootstrap=0, level=2.0, seed=1)
    assert sorted(_paths(err)) == [("level",), ("n",), ("n_bootstrap",)]


def test_second_order_needs_two_inputs() -> None:
    with pytest.raises(ValidationError) as err:
        sobol_indices(lambda x: x[:, 0], {"a": Uniform(0, 1)}, n=64, calc_second_order=True)
    assert _paths(err) == [("calc_second_order",)]


def test_not_a_distribution() -> None:
    with pytest.raises(ValidationError) as err:
        sobol_indices(_f, {"a": Uniform(0, 1), "b": 3.0}, n=64)  # type: ignore[dict-item]
    assert _paths(err) == [("distributions", "b")]


def test_function_of_the_wrong_shape() -> None:
    with pytest.raises(ValidationError) as err:
        sobol_indices(lambda x: x, DISTS, n=64, seed=1)
    assert _paths(err) == [("func",)]


def test_two_resamples_give_finite_half_widths() -> None:
    r = sobol_indices(_f, DISTS, n=64, seed=1, n_bootstrap=2, calc_second_order=True)
    t = r.to_frame()[["S1", "S1_conf", "ST", "ST_conf"]].to_numpy()
    assert np.isfinite(t).all()


def test_model_sobol_checks_n_bootstrap() -> None:
    m = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=Uniform(5, 15), proxy=150)
        ],
    )
    with pytest.raises(ValidationError) as err:
        sobol(m, n=64, seed=1, n_bootstrap=1)
    assert _paths(err) == [("n_bootstrap",)]
