"""Agreement.interval checks its level, and agreement takes a NumPy integer of replicates.

``interval(1.5)`` raised NumPy's ValueError, ``interval(-1)`` returned the
bounds reversed; ``n_bootstrap=np.int64(10)`` was refused as not a whole number.
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from impactkit import qualitative as ql
from impactkit.errors import ValidationError

M = np.array([[1, 2, 3, 3, 2, 1, 4, 1, 2.0], [1, 2, 3, 3, 2, 2, 4, 1, 2.0]])


@pytest.mark.parametrize("level", [1.5, 1.0, 0.0, -1.0, math.nan, True, "0.9"])
def test_interval_refuses_a_level_outside_zero_one(level):
    r = ql.agreement(M, n_bootstrap=50, seed=1)
    with pytest.raises(ValidationError) as exc:
        r.interval(level)
    (p,) = exc.value.problems
    assert (tuple(p.path), p.code) == (("level",), "out_of_range")


def test_interval_at_the_run_level_is_the_ci():
    r = ql.agreement(M, n_bootstrap=50, seed=1)
    assert r.interval(0.95) == r.ci
    lo, hi = r.interval(0.5)
    assert r.ci[0] <= lo <= hi <= r.ci[1]


def test_numpy_integer_replicates():
    a = ql.agreement(M, n_bootstrap=np.int64(40), seed=3)
    b = ql.agreement(M, n_bootstrap=40, seed=3)
    assert a.ci == b.ci
    assert a.n_bootstrap == b.n_bootstrap
