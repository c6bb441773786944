"""One rule for time order and degenerate panels, in every panel estimator.

Text periods are never sorted alphabetically: numbers written as text are
ordered as numbers, other text is refused (naming the column and suggesting
an ordered Categorical or numbers); numbers, dates and ordered Categoricals
are accepted. Duplicated (unit, period) rows, an outcome with no variation and
cohorts that are not periods of the panel are refused; a missing cohort is
read as never treated with one warning saying for how many units.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att
from impactkit.errors import EstimationError, ImpactkitWarning

MONTHS = ["janvier", "février", "mars", "avril", "mai", "juin"]


def rollout(n: int = 60, seed: int = 0) -> pd.DataFrame:
    """Units observed in periods 1..6, cohorts 0 (never), 3 and 4; effect 2."""
    rng = np.random.default_rng(seed)
    unit = np.repeat(np.arange(n), 6)
    t = np.tile(np.arange(1, 7), n)
    g = np.array([0, 3, 4])[np.arange(n) % 3][unit]
    d = ((g > 0) & (t >= g)).astype(float)
    y = rng.normal(size=n)[unit] + 0.5 * t + 2 * d + rng.normal(size=6 * n)
    return pd.DataFrame({"id": unit, "t": t, "g": g, "d": d, "y": y})


def two_by_two() -> pd.DataFrame:
    """Two periods, 9 and 10: treated 10 -> 16, control 8 -> 11 (effect 3)."""
    return pd.DataFrame(
        {
            "id": [1, 1, 2, 2, 3, 3, 4, 4],
            "year": [9, 10] * 4,
            "d": [1, 1, 1, 1, 0, 0, 0, 0],
            "y": [9, 15, 11, 17, 7, 10, 9, 12],
        }
    )


def did(df: pd.DataFrame, **kw) -> att.EffectEstimate:
    return att.DifferenceInDifferences().estimate(
        df, outcome="y", treatment="d", entity="id", time="year", **kw
    )


def staggered(df: pd.DataFrame, kind: str):
    cols = {"outcome": "y", "entity": "id", "time": "t", "cohort": "g"}
    if kind == "staggered":
        return att.StaggeredDiD().estimate(df, **cols)
    if kind == "sun_abraham":
        return att.SunAbraham().estimate(df, **cols)
    return att.bacon_decomposition(df, **cols)


def twfe(df: pd.DataFrame) -> att.EffectEstimate:
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", "treatment starts at", ImpactkitWarning)
        return att.DifferenceInDifferences(design="twfe").estimate(
            df, outcome="y", treatment="d", entity="id", time="t"
        )


def numbers(r) -> np.ndarray:
    if isinstance(r, att.StaggeredResult):
        return r.att_gt[["cohort", "time", "att", "se"]].to_numpy(float)
    if isinstance(r, att.EventStudyResult):
        return r.cohort_effects[["cohort", "event_time", "att", "se"]].to_numpy(float)
    return r.comparisons[["treated", "control", "estimate", "weight"]].to_numpy(float)


KINDS = ["staggered", "sun_abraham", "bacon"]


# --- time order ---------------------------------------------------------------------


def test_numbers_written_as_text_are_ordered_as_numbers_in_a_2x2():
    df = two_by_two()
    ref = did(df)
    assert ref.effect == 3.0
    text = did(df.assign(year=df.year.astype(str)))  # "9" after "10" alphabetically
    assert text.effect == 3.0
    assert (text.se, text.ci) == (ref.se, ref.ci)


def test_numbers_written_as_text_are_ordered_as_numbers_with_fixed_effects():
    df = rollout(seed=1)
    df["t"] = df["t"] + 7  # periods 8..13: "10" < "8" alphabetically
    ref = twfe(df)
    text = twfe(df.assign(t=df.t.astype(str)))
    assert (text.effect, text.se) == pytest.approx((ref.effect, ref.se), rel=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_staggered_estimators_order_numbers_written_as_text(kind):
    df = rollout(seed=2)
    df["t"] = df["t"] + 7
    df["g"] = np.where(df.g > 0, df.g + 7, 0)
    ref = numbers(staggered(df, kind))
    text = numbers(staggered(df.assign(t=df.t.astype(str), g=df.g.astype(str)), kind))
    np.testing.assert_allclose(text, ref, rtol=1e-12)


def test_text_periods_without_order_are_refused_by_every_estimator():
    df = two_by_two()
    months = df.assign(year=df.year.map({9: "mars", 10: "avril"}))
    with pytest.raises(EstimationError, match=r"time column 'year'.*ordered pandas Categorical"):
        did(months)
    panel = rollout(seed=3)
    panel["t"] = panel["t"].map(dict(enumerate(MONTHS, start=1)))
    with pytest.raises(EstimationError, match=r"time column 't'.*numbers"):
        twfe(panel)
    for kind in KINDS:
        with pytest.raises(EstimationError, match=r"time column 't'.*ordered pandas Categorical"):
            staggered(panel, kind)


def test_ordered_categoricals_and_dates_are_ordered_as_time():
    df = two_by_two()
    ref = did(df)
    cat = pd.Categorical(
        df.year.map({9: "mars", 10: "avril"}), categories=["mars", "avril"], ordered=True
    )
    assert did(df.assign(year=cat)).effect == ref.effect == 3.0
    dates = pd.to_datetime(df.year.map({9: "2021-03-01", 10: "2021-04-01"}))
    assert did(df.assign(year=dates)).effect == 3.0
    panel = rollout(seed=4)
    ref_tw = twfe(panel)
    cats = pd.Categorical(panel.t.map(dict(enumerate(MONTHS, start=1))), MONTHS, ordered=True)
    assert twfe(panel.assign(t=cats)).effect == pytest.approx(ref_tw.effect, rel=1e-12)


@pytest.mark.parametrize("kind", KINDS)
def test_staggered_estimators_take_ordered_categoricals_and_dates(kind):
    df = rollout(seed=5)
    ref = numbers(staggered(df, kind))
    month = dict(enumerate(MONTHS, start=1))
    # periods and cohorts as months: periods are numbered 1..6 in time order
    cats = df.assign(
        t=pd.Categorical(df.t.map(month), MONTHS, ordered=True),
        g=pd.Categorical(df.g.map(month), MONTHS, ordered=True),  # never treated: missing
    )
    with pytest.warns(ImpactkitWarning, match="missing for 20 units"):
        np.testing.assert_allclose(numbers(staggered(cats, kind)), ref, rtol=1e-12)
    day = {k: pd.Timestamp(2021, k, 1) for k in range(1, 7)}
    dates = df.assign(t=df.t.map(day), g=pd.to_datetime(df.g.map(day)))
    with pytest.warns(ImpactkitWarning, match="missing for 20 units"):
        np.testing.assert_allclose(numbers(staggered(dates, kind)), ref, rtol=1e-12)


# --- degenerate panels --------------------------------------------------------------


def test_duplicated_unit_period_rows_are_refused_by_did_with_count_and_examples():
    df = two_by_two()
    dup = pd.concat([df, df.iloc[[0, 3]]])
    with pytest.raises(EstimationError, match=r"2 duplicated \('id', 'year'\) rows.*\(1, 9\)"):
        did(dup)
    panel = rollout(seed=6)
    with pytest.raises(EstimationError, match=r"1 duplicated \('id', 't'\) row"):
        twfe(pd.concat([panel, panel.iloc[[5]]]))
    # "01" and "1" are the same period once read as numbers
    text = df.assign(year=df.year.astype(str))
    text.loc[0, "year"] = "09"
    assert did(text).effect == 3.0
    text.loc[1, "year"] = "09"
    with pytest.raises(EstimationError, match="duplicated"):
        did(text)


@pytest.mark.parametrize("kind", KINDS)
def test_degenerate_panels_are_refused_by_every_staggered_estimator(kind):
    df = rollout(seed=7)
    with pytest.raises(EstimationError, match=r"2 duplicated \('id', 't'\) rows"):
        staggered(pd.concat([df, df.iloc[[0, 7]]]), kind)
    with pytest.raises(EstimationError, match="outcome 'y' is constant"):
        staggered(df.assign(y=1.0), kind)
    with pytest.raises(
        EstimationError, match=r"cohort 'g' is not a period of the panel in 6 rows"
    ):
        staggered(df.assign(g=np.where(df.id == 1, 3.5, df.g)), kind)
    gap = df[df.t != 3]  # cohort 3 is no longer a period of the panel
    with pytest.raises(
        EstimationError, match=r"not a period of the panel in \d+ rows \(e\.g\. \[3\]\)"
    ):
        staggered(gap, kind)


def test_constant_outcome_is_refused_by_did_too():
    with pytest.raises(EstimationError, match="outcome 'y' is constant"):
        did(two_by_two().assign(y=4.0))


def test_cohorts_after_the_window_are_not_treated_within_it():
    df = rollout(seed=8)
    later = df.assign(g=np.where(df.g == 0, 9, df.g))
    np.testing.assert_array_equal(
        numbers(staggered(later, "staggered")), numbers(staggered(df, "staggered"))
    )


@pytest.mark.parametrize("kind", KINDS)
def test_missing_cohorts_warn_once_with_the_number_of_units(kind):
    df = rollout(seed=9)
    ref = numbers(staggered(df, kind))
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        got = numbers(staggered(df.assign(g=df.g.replace(0, np.nan)), kind))
    said = [w for w in caught if issubclass(w.category, ImpactkitWarning)]
    assert len(said) == 1
    assert "cohort 'g' is missing for 20 units" in str(said[0].message)
    assert "never treated" in str(said[0].message)
    assert said[0].filename == __file__
    np.testing.assert_array_equal(got, ref)


def test_date_and_category_cohorts_must_be_periods_or_after_the_window():
    df = rollout(seed=10)
    day = {k: pd.Timestamp(2021, k, 1) for k in range(1, 10)}
    dates = df.assign(t=df.t.map(day), g=pd.to_datetime(df.g.map(day)))
    off = dates.assign(g=dates.g.where(dates.id != 1, pd.Timestamp(2021, 3, 15)))
    with pytest.raises(
        EstimationError, match=r"cohort 'g' is not a period of the panel in 6 rows"
    ):
        att.StaggeredDiD().estimate(off, outcome="y", entity="id", time="t", cohort="g")
    # never-treated units adopting in September, after the window: not treated within it
    later = dates.assign(g=dates.g.fillna(pd.Timestamp(2021, 9, 1)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ImpactkitWarning)
        ref = att.StaggeredDiD().estimate(dates, outcome="y", entity="id", time="t", cohort="g")
    got = att.StaggeredDiD().estimate(later, outcome="y", entity="id", time="t", cohort="g")
    np.testing.assert_array_equal(numbers(got), numbers(ref))
    months = [*MONTHS, "juillet"]
    cats = df.assign(
        t=pd.Categorical(df.t.map(dict(enumerate(MONTHS, start=1))), months, ordered=True),
        g=pd.Categorical(df.g.map({0: "juillet", 3: "mars", 4: "avril"}), months, ordered=True),
    )
    got = att.StaggeredDiD().estimate(cats, outcome="y", entity="id", time="t", cohort="g")
    np.testing.assert_array_equal(numbers(got), numbers(ref))
