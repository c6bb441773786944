"""Matching refuses a score scale or variance it does not know, instead of picking one silently."""

from __future__ import annotations

import pytest

from impactkit import attribution as att
from impactkit.errors import EstimationError


@pytest.mark.parametrize(
    ("options", "name"),
    [({"on": "probit"}, "on"), ({"on": "PS"}, "on"), ({"variance": "pop"}, "variance")],
)
def test_unknown_choice_is_refused(options: dict[str, str], name: str) -> None:
    with pytest.raises(EstimationError, match=name):
        att.PropensityScoreMatching(**options)  # type: ignore[arg-type]


def test_every_bad_option_is_listed_at_once() -> None:
    with pytest.raises(EstimationError) as ei:
        att.PropensityScoreMatching(k=0, caliper=-1, on="x", variance="y")  # type: ignore[arg-type]
    for name in ("k must", "caliper", "on must", "variance"):
        assert name in str(ei.value)
