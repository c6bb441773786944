"""IPW refuses truncation percentiles and bootstrap sizes it cannot use."""

from __future__ import annotations

import pytest

from impactkit import attribution as att
from impactkit.errors import EstimationError


@pytest.mark.parametrize("truncate", [(99, 1), (50, 50), (-5, 150), (1, 101), ("a", 2), (1,)])
def test_bad_truncation_is_refused(truncate) -> None:
    with pytest.raises(EstimationError, match="truncate"):
        att.InverseProbabilityWeighting(truncate=truncate)


@pytest.mark.parametrize("n_bootstrap", [0, 1, 2.5])
def test_bootstrap_needs_two_replications(n_bootstrap) -> None:
    with pytest.raises(EstimationError, match="n_bootstrap"):
        att.InverseProbabilityWeighting(se="bootstrap", n_bootstrap=n_bootstrap)


def test_every_bad_option_is_listed_at_once() -> None:
    with pytest.raises(EstimationError) as ei:
        att.InverseProbabilityWeighting(
            estimand="ATX",  # type: ignore[arg-type]
            truncate=(99, 1),
            n_bootstrap=0,
        )
    message = str(ei.value)
    for option in ("estimand", "truncate", "n_bootstrap"):
        assert option in message


def test_good_options_are_accepted() -> None:
    att.InverseProbabilityWeighting(truncate=(1, 99), se="bootstrap", n_bootstrap=2)
    att.InverseProbabilityWeighting(truncate=(0, 100))
