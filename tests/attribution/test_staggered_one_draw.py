"""One multiplier-bootstrap draw has no spread: it is refused, not turned into zero errors."""

from __future__ import annotations

import pytest

from impactkit import attribution as att
from impactkit.errors import EstimationError


@pytest.mark.parametrize("n_bootstrap", [1, -1, 2.5])
def test_one_draw_is_refused(n_bootstrap) -> None:
    with pytest.raises(EstimationError, match="n_bootstrap"):
        att.StaggeredDiD(n_bootstrap=n_bootstrap)


@pytest.mark.parametrize("n_bootstrap", [0, 2, 999])
def test_analytic_or_two_draws_and_more_are_accepted(n_bootstrap: int) -> None:
    assert att.StaggeredDiD(n_bootstrap=n_bootstrap).n_bootstrap == n_bootstrap
