"""Second-order indices refuse a bootstrap of one resample, whose half-widths would be NaN."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest

from impactkit.errors import ValidationError
from impactkit.uncertainty import second_order_indices

Y = np.random.default_rng(0).normal(size=6 * 64)  # k = 2: 64 base points


@pytest.mark.parametrize("n_bootstrap", [1, -1, 2.5, "a", math.nan, True])
def test_bad_n_bootstrap_is_refused(n_bootstrap: object) -> None:
    with pytest.raises(ValidationError) as err:
        second_order_indices(Y, 2, n_bootstrap=n_bootstrap, seed=1)  # type: ignore[arg-type]
    assert [p.path for p in err.value.problems] == [("n_bootstrap",)]


@pytest.mark.parametrize("level", [0.0, 1.0, 1.5, math.nan, "a"])
def test_bad_level_is_refused(level: object) -> None:
    with pytest.raises(ValidationError) as err:
        second_order_indices(Y, 2, level=level, seed=1)  # type: ignore[arg-type]
    assert [p.path for p in err.value.problems] == [("level",)]


def test_every_problem_at_once() -> None:
    with pytest.raises(ValidationError) as err:
        second_order_indices(Y[:-1], 2, n_bootstrap=1, level=2.0, seed=1)
    assert sorted(p.path for p in err.value.problems) == [("level",), ("n_bootstrap",), ("y",)]


def test_two_resamples_give_a_finite_half_width() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s2, conf = second_order_indices(Y, 2, n_bootstrap=2, seed=1)
    assert np.isfinite(s2[0, 1])
    assert np.isfinite(conf[0, 1])
    assert conf[0, 1] >= 0


def test_no_bootstrap_still_gives_the_indices() -> None:
    s2, conf = second_order_indices(Y, 2, n_bootstrap=0)
    s2_b, _ = second_order_indices(Y, 2, n_bootstrap=np.int64(5), seed=1)
    assert s2[0, 1] == s2_b[0, 1]
    assert np.isnan(conf).all()
