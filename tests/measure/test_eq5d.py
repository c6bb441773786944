"""EQ-5D-5L value sets against their published values, and QALYs gained by hand."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import ValidationError
from impactkit.measure import (
    EQ5D5L_COLUMNS,
    EQ5D5L_VALUE_SETS,
    QALYGain,
    eq5d5l_index,
    qaly_proxy,
)


def _frame(*profiles: str) -> pd.DataFrame:
    return pd.DataFrame([[int(c) for c in p] for p in profiles], columns=list(EQ5D5L_COLUMNS))


def _values(value_set: str, *profiles: str) -> list[float]:
    return [round(x, 3) for x in eq5d5l_index(_frame(*profiles), value_set=value_set).index]


def test_published_anchors_france():
    # Andrade et al. 2020, abstract: "Values ranged from -0.525 to 1".
    assert _values("france", "11111", "55555") == [1.0, -0.525]


def _all_states() -> pd.DataFrame:
    grid = np.array(np.meshgrid(*[range(1, 6)] * 5, indexing="ij")).reshape(5, -1).T
    return pd.DataFrame(grid, columns=list(EQ5D5L_COLUMNS))


@pytest.mark.parametrize(
    ("value_set", "low", "best_below_full"),
    # Published ranges: France -0.525 to 1 (Andrade et al. 2020, abstract);
    # England -0.285 to 0.950 below full health (Devlin et al. 2018, abstract).
    [("france", -0.525, None), ("england", -0.285, 0.950)],
)
def test_range_over_all_3125_states(value_set, low, best_below_full):
    r = eq5d5l_index(_all_states(), value_set=value_set)
    assert r.n == 3125
    assert round(r.index.min(), 3) == low
    assert r.index.max() == 1.0
    assert r.index.idxmin() == 3124  # 55555
    below = r.index[r.index < 1]
    if best_below_full is not None:
        assert round(below.max(), 3) == best_below_full


def test_published_states_england():
    # Devlin et al. 2018 abstract: 55555 is -0.285; 11211 is 0.950.
    assert _values("england", "11111", "55555", "11211") == [1.0, -0.285, 0.950]


@pytest.mark.parametrize("value_set", ["france", "england"])
def test_single_dimension_moves_equal_the_coefficients(value_set):
    vs = EQ5D5L_VALUE_SETS[value_set]
    for d, dim in enumerate(("MO", "SC", "UA", "PD", "AD")):
        for level in range(2, 6):
            profile = ["1"] * 5
            profile[d] = str(level)
            (v,) = eq5d5l_index(_frame("".join(profile)), value_set=value_set).index
            assert v == pytest.approx(1 - vs.decrements[dim][level - 2], abs=1e-12)


def test_mixed_states_france():
    # Mixed states of the R package eq5d's tests (tests/testthat/test-eq5d5l.R),
    # an independent implementation of the same value set, to three decimals.
    assert _values("france", "22222", "33333", "44444", "54321") == [0.850, 0.768, 0.028, 0.441]


def test_mixed_states_england():
    # Same source: 23245 is 0.247 in England.
    assert _values("england", "23245") == [0.247]
    # Hand computation: 1 - MO2 - SC3 - UA2 - PD4 - AD5.
    assert _values("england", "23245")[0] == round(1 - 0.058 - 0.080 - 0.050 - 0.276 - 0.289, 3)


def test_missing_and_out_of_range_are_counted_not_dropped():
    df = pd.DataFrame(
        {
            "eq5d_mo": [1, 2, None, 6, 0, "3", 2.5, "x"],
            "eq5d_sc": [1, 1, 1, 1, 1, 1, 1, 1],
            "eq5d_ua": [1, 1, 1, 1, 1, 1, 1, 1],
            "eq5d_pd": [1, 1, 1, 1, 1, 1, 1, 1],
            "eq5d_ad": [1, 1, 1, 1, 1, None, 1, 1],
        }
    )
    r = eq5d5l_index(df, value_set="england")
    assert len(r.index) == len(df)
    assert r.index.notna().tolist() == [True, True, False, False, False, False, False, False]
    assert r.n == 2
    assert r.incomplete == 2  # row 2 (mo missing), row 5 (ad missing)
    assert r.out_of_range == 4  # 6, 0, 2.5, "x"
    assert r.missing == 6
    d = r.to_dict()
    assert d["index"][2] is None
    assert "Out of range" in str(r.summary())


def test_columns_mapping_and_errors():
    df = _frame("21111").rename(columns=dict(zip(EQ5D5L_COLUMNS, "abcde", strict=True)))
    r = eq5d5l_index(
        df,
        value_set="england",
        columns=dict(zip(("MO", "SC", "UA", "PD", "AD"), "abcde", strict=True)),
    )
    assert round(r.index.iloc[0], 3) == 0.942
    with pytest.raises(ValidationError) as e:
        eq5d5l_index(df, value_set="england")
    assert len(e.value.problems) == 5
    with pytest.raises(ValidationError, match="value set"):
        eq5d5l_index(df, value_set="frence", columns="abcde")


def test_qaly_gain_by_hand():
    # horizon 3 years, follow-up at 1 year, 3.5 % a year: year 1 holds half the
    # change (linear), years 2 and 3 the whole change.
    df = pd.DataFrame({"u0": [0.5, 0.6, 0.7, None], "u1": [0.7, 0.9, 0.6, 0.9]})
    r = QALYGain(baseline="u0", followup="u1", horizon=3, discount_rate=0.035).compute(df)
    w = 0.5 / 1.035 + 1 / 1.035**2 + 1 / 1.035**3
    changes = np.array([0.2, 0.3, -0.1])
    assert r.weight == pytest.approx(w)
    assert r.quantity == pytest.approx(w * changes.sum())
    assert r.n == 3
    assert r.missing == 1
    assert r.mean_change == pytest.approx(changes.mean())
    assert r.se == pytest.approx(w * math.sqrt(3) * changes.std(ddof=1))
    assert r.mean_qalys == pytest.approx(w * changes.mean())


def test_qaly_gain_partial_years_and_late_followup():
    # Follow-up at 1.5 years, horizon 2.5 years, undiscounted: the area under
    # min(t / 1.5, 1) from 0 to 2.5 is 0.75 + 1.0 = 1.75.
    df = pd.DataFrame({"u0": [0.4], "u1": [0.8]})
    r = QALYGain(baseline="u0", followup="u1", horizon=2.5, followup_at=1.5).compute(df)
    assert r.weight == pytest.approx(1.75)
    assert r.quantity == pytest.approx(0.4 * 1.75)
    # Discounted, year by year: [0,1] -> 1/3, [1,2] -> (2.25-1)/3 + 0.5, [2,2.5] -> 0.5.
    r = QALYGain(
        baseline="u0", followup="u1", horizon=2.5, followup_at=1.5, discount_rate=0.04
    ).compute(df)
    w = (1 / 3) / 1.04 + (1.25 / 3 + 0.5) / 1.04**2 + 0.5 / 1.04**3
    assert r.weight == pytest.approx(w)


def test_qaly_gain_from_eq5d_dimensions():
    pre = _frame("33333", "22222", "11111")
    post = _frame("22222", "11111", "11111")
    df = pd.concat([pre.add_suffix("_t0"), post.add_suffix("_t1")], axis=1)
    df.loc[2, "eq5d_ad_t1"] = 7  # out of range: that person is missing
    calc = QALYGain(baseline="t0", followup="t1", horizon=2, value_set="france")
    r = calc.compute(df)
    vs = EQ5D5L_VALUE_SETS["france"]
    d = [vs.value((2,) * 5) - vs.value((3,) * 5), 1 - vs.value((2,) * 5)]
    assert r.n == 2
    assert r.missing == 1
    assert r.quantity == pytest.approx(1.5 * sum(d))


def test_qaly_gain_checks_and_file_form():
    with pytest.raises(ValidationError) as e:
        QALYGain(baseline="", followup="b", horizon=1, followup_at=2, value_set="nowhere")
    paths = {p.path for p in e.value.problems}
    assert ("baseline",) in paths
    assert ("followup_at",) in paths
    assert ("value_set",) in paths
    with pytest.raises(ValidationError, match="above 1"):
        QALYGain(baseline="a", followup="b", horizon=1).compute(
            pd.DataFrame({"a": [0.5], "b": [1.2]})
        )
    calc = QALYGain(baseline="t0", followup="t1", horizon=5, value_set="england", data="survey")
    assert "qaly_gain" in ik.registry.names("outcome")
    assert ik.registry.default_registry("outcome").build(calc.to_dict()) == calc
    assert (
        QALYGain.from_dict({k: v for k, v in calc.to_dict().items() if k != "calculator"}) == calc
    )


def test_qaly_proxy_is_the_catalogue_life_year():
    p = qaly_proxy()
    row = ik.valuation.catalogue().set_index("id").loc["valeur_annee_vie"]
    assert p.value == float(row["value"])
    assert p.year == int(row["year"])
    assert p.currency == "EUR"
    assert p.unit == "EUR per QALY"


@pytest.mark.parametrize("value_set", ["france", "england"])
def test_more_problems_never_raise_the_index(value_set):
    # Logical consistency over all 3,125 states: moving one dimension one level
    # worse never raises the value (both papers report consistent coefficients).
    states = _all_states()
    base = eq5d5l_index(states, value_set=value_set).index.to_numpy()
    for col in EQ5D5L_COLUMNS:
        worse = states.copy()
        can = worse[col] < 5
        worse.loc[can, col] += 1
        after = eq5d5l_index(worse, value_set=value_set).index.to_numpy()
        assert np.all(after[can.to_numpy()] < base[can.to_numpy()])
