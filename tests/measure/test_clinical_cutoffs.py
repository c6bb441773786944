"""Jacobson & Truax's three cut-offs a, b and c, by hand, and their refusals.

a = M1 + 2 sigma s1, b = M0 - 2 sigma s0, c = (s0 M1 + s1 M0) / (s0 + s1),
sigma the side of the functional mean (docs/methods/scales.md). Before, only
c existed, and a NaN mean gave a NaN cut-off.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from impactkit import measure as m
from impactkit.errors import ValidationError


@pytest.mark.parametrize(
    ("functional", "dysfunctional", "a", "b", "c"),
    [
        ((30.0, 5.0), (20.0, 10.0), 40.0, 20.0, (5 * 20 + 10 * 30) / 15),
        # lower is better (a symptom score): the functional side is below
        ((10.0, 4.0), (25.0, 6.0), 13.0, 18.0, (4 * 25 + 6 * 10) / 10),
    ],
)
def test_cutoffs_by_hand(functional, dysfunctional, a, b, c):
    assert m.clinical_cutoff(functional, dysfunctional, criterion="a") == pytest.approx(a)
    assert m.clinical_cutoff(functional, dysfunctional, criterion="b") == pytest.approx(b)
    assert m.clinical_cutoff(functional, dysfunctional) == pytest.approx(c)


def test_reliable_change_recovers_with_each_criterion():
    df = pd.DataFrame({"pre": [10.0, 12, 20, 15, 8], "post": [20.0, 13, 10, 22, 17.5]})
    norms = {
        "functional_mean": 25.0,
        "functional_sd": 4.0,
        "dysfunctional_mean": 12.0,
        "dysfunctional_sd": 3.0,
    }
    # S_diff = 3.162: 10 -> 20 (RCI 3.16), 15 -> 22 (2.21) and 8 -> 17.5 (3.00) improve
    got = {}
    for crit in ("a", "b", "c"):
        r = m.ReliableChange(
            baseline="pre", followup="post", reliability=0.8, sd=5.0, criterion=crit, **norms
        ).compute(df)
        got[crit] = (r.cutoff, r.recovered)
    assert got["a"] == (18.0, 2)  # 20 and 22 end above 12 + 2 x 3
    assert got["b"] == (17.0, 3)  # 20, 22 and 17.5 end above 25 - 2 x 4
    assert got["c"][0] == pytest.approx((4 * 12 + 3 * 25) / 7)
    assert got["c"][1] == 2


@pytest.mark.parametrize(
    ("args", "path", "code"),
    [
        (((math.nan, 1.0), (2.0, 1.0)), ("functional", 0), "not_finite"),
        (((1.0, 1.0), (2.0, math.inf)), ("dysfunctional", 1), "not_finite"),
        (((1.0, 0.0), (2.0, 1.0)), ("functional", 1), "out_of_range"),
    ],
)
def test_bad_norms_are_located(args, path, code):
    with pytest.raises(ValidationError) as exc:
        m.clinical_cutoff(*args)
    (p,) = exc.value.problems
    assert (tuple(p.path), p.code) == (path, code)


def test_a_and_b_need_different_means_and_the_norms():
    with pytest.raises(ValidationError) as exc:
        m.clinical_cutoff((5.0, 1.0), (5.0, 2.0), criterion="b")
    assert exc.value.problems[0].code == "inconsistent"
    with pytest.raises(ValidationError) as exc:
        m.ReliableChange(baseline="x", followup="y", reliability=0.8, cutoff=3.0, criterion="a")
    assert exc.value.problems[0].path == ("criterion",)
    with pytest.raises(ValidationError) as exc:
        m.clinical_cutoff((5.0, 1.0), (6.0, 2.0), criterion="d")
    assert exc.value.problems[0].path == ("criterion",)


def test_the_criterion_round_trips_in_the_file_form():
    rc = m.ReliableChange(
        baseline="x",
        followup="y",
        reliability=0.8,
        functional_mean=25.0,
        functional_sd=4.0,
        dysfunctional_mean=12.0,
        dysfunctional_sd=3.0,
        criterion="b",
    )
    spec = rc.to_dict()
    assert spec["criterion"] == "b"
    spec.pop("calculator")
    assert m.ReliableChange.from_dict(spec) == rc
    assert rc.clinical_cutoff == 17.0
