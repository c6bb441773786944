"""DerSimonian-Laird refuses what it cannot weigh, instead of returning 0.

A missing estimate, a zero or negative standard error, or lengths that differ
used to give a between-site variance of 0 (``max(0, NaN)``) or a numpy error.
"""

from __future__ import annotations

import numpy as np
import pytest
from statsmodels.stats.meta_analysis import combine_effects

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


@pytest.mark.parametrize(
    ("estimates", "se", "where"),
    [
        ([1.0, np.nan, 3.0], [1.0, 1.0, 1.0], ("estimates",)),
        ([1.0, 2.0, 3.0], [1.0, 0.0, 1.0], ("se",)),
        ([1.0, 2.0, 3.0], [1.0, -1.0, 1.0], ("se",)),
        ([1.0, 2.0, 3.0], [1.0, 1.0], ("se",)),
        ([1.0, 2.0], [1e-200, 1.0], ("result", "weights")),
    ],
)
def test_what_cannot_be_weighed_is_an_error(
    estimates: list[float], se: list[float], where: tuple[str, ...]
) -> None:
    with pytest.raises(ValidationError) as exc:
        pf.dersimonian_laird(np.array(estimates), np.array(se))
    assert [tuple(p.path) for p in exc.value.problems] == [where]


# statsmodels takes square roots of its other estimators' negative values
@pytest.mark.filterwarnings("ignore:invalid value encountered in sqrt:RuntimeWarning")
def test_agrees_with_statsmodels() -> None:
    rng = np.random.default_rng(4)
    for _ in range(10):
        k = int(rng.integers(2, 15))
        est = rng.normal(0.0, 1.0, k)
        se = rng.uniform(0.05, 1.0, k)
        want = max(0.0, combine_effects(est, se**2, method_re="dl").tau2)  # unclipped there
        assert pf.dersimonian_laird(est, se) == pytest.approx(want, rel=1e-10, abs=1e-14)
    assert pf.dersimonian_laird(np.array([1.0]), np.array([0.5])) == 0.0
