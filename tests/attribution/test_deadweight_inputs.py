"""deadweight_from_effect refuses non-finite or negative inputs, listing every problem at once."""

from __future__ import annotations

import math

import pytest

import impactkit as ik
from impactkit import attribution as att


@pytest.mark.parametrize(
    ("args", "kwargs", "path"),
    [
        ((math.nan, 0.6), {}, "effect"),
        ((math.inf, 0.6), {"n_treated": 10}, "effect"),
        ((0.2, 0.6), {"se": math.nan}, "se"),
        ((0.2, 0.6), {"se": -0.1}, "se"),
        ((0.2, math.inf), {}, "observed"),
        ((0.2, math.nan), {}, "observed"),
        ((0.7, 0.6), {"n_treated": -5}, "n_treated"),
    ],
)
def test_bad_input_is_a_located_error(args, kwargs, path) -> None:
    with pytest.raises(ik.ValidationError) as ei:
        att.deadweight_from_effect(*args, **kwargs)
    assert ei.value.paths == (path,)


def test_every_problem_is_listed_at_once() -> None:
    with pytest.raises(ik.ValidationError) as ei:
        att.deadweight_from_effect(math.nan, -1.0, se=-2.0, kind="ratio")  # type: ignore[arg-type]
    assert set(ei.value.paths) == {"effect", "se", "kind", "observed"}


def test_good_input_is_unchanged() -> None:
    dw = att.deadweight_from_effect(0.2, 0.6, n_treated=100)
    assert dw.deadweight == pytest.approx(1 - 0.2 / 0.6)
    assert att.deadweight_from_effect(-0.1, 0.6).deadweight == 1.0
    assert att.deadweight_from_effect(0.8, 0.6, n_treated=10).quantity == pytest.approx(8.0)
