"""Sobol options that pass the check as whole numbers written as floats run as their ints."""

from __future__ import annotations

import numpy as np
import pytest

from impactkit.dist import Uniform
from impactkit.uncertainty import sobol_indices

pytest.importorskip("SALib")

DISTS = {"a": Uniform(0, 1), "b": Uniform(0, 1)}


def _f(x: np.ndarray) -> np.ndarray:
    return x[:, 0] + 2 * x[:, 1] * x[:, 0]


@pytest.mark.parametrize("options", [{"n": 64.0}, {"n_bootstrap": 10.0}, {"n": np.float64(64)}])
def test_whole_float_options_give_the_int_run(options: dict[str, object]) -> None:
    kwargs: dict[str, object] = {"n": 64, "n_bootstrap": 10, "seed": 1, "calc_second_order": True}
    a = sobol_indices(_f, DISTS, **{**kwargs, **options})  # type: ignore[arg-type]
    b = sobol_indices(_f, DISTS, **kwargs)  # type: ignore[arg-type]
    np.testing.assert_array_equal(a.to_frame().to_numpy(), b.to_frame().to_numpy())
    assert type(a.n) is int
    assert type(a.n_bootstrap) is int
