"""A t interval at level 1 is refused where it is built; Wilson intervals keep (0, 1].

At level 1 the t quantile is infinite: the mean change's interval came out
(-inf, inf), or (nan, nan) when every change was the same.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from statsmodels.stats.proportion import proportion_confint

from impactkit import measure as m
from impactkit.errors import ValidationError


@pytest.mark.parametrize(
    "build",
    [
        lambda: m.PrePost(baseline="a", followup="b", level=1.0),
        lambda: m.DistanceTravelled(domains=["x"], level=1),
        lambda: m.LifeSatisfaction(baseline="a", followup="b", level=1.0),
        lambda: m.QALYGain(baseline="a", followup="b", horizon=1, level=1.0),
    ],
)
def test_level_one_is_refused_for_a_t_interval(build):
    with pytest.raises(ValidationError) as exc:
        build()
    (p,) = exc.value.problems
    assert (tuple(p.path), p.code) == (("level",), "out_of_range")


def test_constant_changes_at_level_one_never_gave_nan():
    # the interval this refusal prevents: (nan, nan) from an infinite t times a zero spread
    with pytest.raises(ValidationError):
        m.PrePost(baseline="a", followup="b", level=1.0).compute(
            pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [2.0, 3.0, 4.0]})
        )


@pytest.mark.parametrize("level", [1.0, 1.5, 0.0, -0.2, float("nan")])
def test_paired_t_interval_checks_its_level(level):
    with pytest.raises(ValidationError) as exc:
        m.paired_t_interval(np.array([1.0, 2.0, 4.0]), level)
    assert exc.value.problems[0].code == "out_of_range"


@pytest.mark.parametrize("level", [1.5, 0.0, -0.2, float("nan")])
def test_wilson_interval_checks_its_level(level):
    with pytest.raises(ValidationError) as exc:
        m.wilson_interval(3, 10, level=level)
    assert exc.value.problems[0].code == "out_of_range"


def test_share_calculators_keep_level_one_as_the_whole_range():
    df = pd.DataFrame({"a": [1.0, 0.0, 1.0, 1.0]})
    r = m.Threshold(column="a", at_least=1, level=1.0).compute(df)
    assert r.ci == (0.0, 1.0)
    r = m.Proportion(column="a", values=[1.0], level=0.9).compute(df)
    assert np.allclose(r.ci, proportion_confint(3, 4, alpha=0.1, method="wilson"), atol=1e-12)


@pytest.mark.parametrize(("k", "n"), [(5, 3), (-1, 3), (float("nan"), 3), (1, float("inf"))])
def test_wilson_interval_checks_its_counts(k, n):
    # 5 of 3 and -1 of 3 raised "math domain error"; NaN of 3 gave (0, 1)
    with pytest.raises(ValidationError) as exc:
        m.wilson_interval(k, n)
    assert exc.value.problems[0].code == "out_of_range"


def test_wilson_interval_at_the_ends():
    assert m.wilson_interval(0, 5)[0] == 0.0
    assert m.wilson_interval(5, 5)[1] == 1.0
    assert np.allclose(m.wilson_interval(5, 5), proportion_confint(5, 5, method="wilson"))


def test_paired_t_interval_refuses_missing_differences():
    # a NaN difference gave (nan, nan)
    with pytest.raises(ValidationError) as exc:
        m.paired_t_interval(np.array([1.0, np.nan, 2.0]))
    assert exc.value.problems[0].code == "not_finite"


def test_paired_t_interval_takes_a_list():
    assert m.paired_t_interval([1.0, 2.0, 3.0, 4.0]) == m.paired_t_interval(
        np.array([1.0, 2.0, 3.0, 4.0])
    )
