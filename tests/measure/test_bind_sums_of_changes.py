"""Sampling uncertainty keeps a measured sum of changes where it was measured.

A wellbeing change or QALYs gained was drawn from a normal truncated to
``[0, n]`` like a count of units: 19.5 QALYs over 3 people became a
distribution centred near 3, and a WELLBY sum of -6.5 over 6 people, refused
as a number, passed as a distribution centred near 0.21.
"""

from __future__ import annotations

import attrs
import pandas as pd
import pytest

from impactkit.dist import Normal
from impactkit.errors import ValidationError
from impactkit.examples import load_example
from impactkit.measure import LifeSatisfaction, QALYGain, Threshold, bind


def _bound(calc, df, uncertain=True):
    m = load_example()
    ov = attrs.evolve(m.outcomes[0], quantity=calc)
    model = attrs.evolve(m, outcomes=[ov, *m.outcomes[1:]])
    b = bind(model, {"s": df}, sampling_uncertainty=uncertain)
    return b.measured[0], b.model.outcomes[0].quantity


def test_a_negative_wellbeing_change_is_refused_with_or_without_uncertainty():
    df = pd.DataFrame({"ls0": [5, 6, 7, 8, 6, 5], "ls1": [4, 5, 6, 6, 5, 4.5]})
    for uncertain in (False, True):
        with pytest.raises(ValidationError) as exc:
            _bound(LifeSatisfaction(baseline="ls0", followup="ls1", data="s"), df, uncertain)
        (p,) = exc.value.problems
        assert (tuple(p.path), p.code) == (("outcomes", 0, "quantity"), "out_of_range")


def test_a_wellbeing_change_above_n_is_kept():
    df = pd.DataFrame({"ls0": [2, 3, 1, 2], "ls1": [6, 7, 5, 6.5]})
    res, q = _bound(LifeSatisfaction(baseline="ls0", followup="ls1", data="s"), df)
    assert res.quantity == 16.5
    assert q == Normal(16.5, res.se, low=0.0)
    assert q.central == pytest.approx(16.5)


def test_qalys_above_n_are_not_truncated():
    df = pd.DataFrame({"u0": [0.2, 0.3, 0.1], "u1": [0.9, 0.95, 0.8]})
    res, q = _bound(QALYGain(baseline="u0", followup="u1", horizon=10, data="s"), df)
    assert res.quantity == pytest.approx(19.475)
    assert (q.low, q.high) == (0.0, None)
    assert q.central == pytest.approx(res.quantity)


def test_a_count_of_units_stays_in_zero_n():
    df = pd.DataFrame({"y": [1, 0, 1, 1, 0, None]})
    res, q = _bound(Threshold(column="y", at_least=1, data="s"), df)
    assert (res.quantity, res.n) == (3.0, 5)
    assert (q.low, q.high) == (0.0, 5.0)
