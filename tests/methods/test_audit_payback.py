"""Discounted payback when the outlay is not in year 0 (docs/methods/cba.md)."""

from __future__ import annotations

import pandas as pd
import pytest

import impactkit as ik
from impactkit import kernel
from impactkit import methods as M


def test_leading_zero_year_is_not_a_payback() -> None:
    # cumulative 0, -100, -40, +20: paid back two thirds into year 3 (by hand)
    assert M.discounted_payback_period([0, -100, 60, 60], 0.0) == pytest.approx(2 + 40 / 60)
    assert kernel.payback_year([0.0, 0.0, -10.0, 20.0]) == pytest.approx(2.5)


def test_positive_year_zero_then_outlay() -> None:
    # cumulative 50, -50, +50: back to zero halfway through year 2
    assert M.discounted_payback_period([50, -100, 100], 0.0) == pytest.approx(1.5)
    assert M.discounted_payback_period([50, -10, -100], 0.0) is None


def test_never_negative_and_at_once() -> None:
    assert M.discounted_payback_period([0, 10, 10], 0.1) == 0.0
    assert M.discounted_payback_period([-100, 100], 0.0) == pytest.approx(1.0)


def test_cba_with_outlay_in_year_one() -> None:
    flows = pd.DataFrame(
        {
            "year": [1, 2, 3],
            "amount": [100.0, 60.0, 60.0],
            "kind": ["cost", "benefit", "benefit"],
            "perspective": ["etat", "beneficiaries", "beneficiaries"],
        }
    )
    r = M.cba(flows, 0.0)
    assert r.discounted_payback == pytest.approx(2 + 40 / 60)
    assert r.to_dict()["discounted_payback"] == r.discounted_payback


def test_cba_refuses_empty_flows() -> None:
    empty = pd.DataFrame(columns=["year", "amount", "kind", "perspective"])
    with pytest.raises(ik.ValidationError) as exc:
        M.cba(empty, 0.035)
    assert [p.path for p in exc.value.problems] == [("flows",)]


def test_cba_summary_shows_the_weighted_npv_beside_the_unweighted_one() -> None:
    flows = pd.DataFrame(
        {
            "year": [0, 1, 1],
            "amount": [1000.0, 600.0, 300.0],
            "kind": ["cost", "benefit", "benefit"],
            "perspective": ["etat", "beneficiaries", "others"],
        }
    )
    eq = ik.valuation.EquityWeights({"beneficiaries": 10_000}, reference=20_000, eta=1.0)
    r = M.cba(flows, 0.0, equity=eq)
    lines = dict(r.summary().lines)
    # by hand: 600 x 2 + 300 - 1,000
    assert r.weighted_npv == pytest.approx(500.0)
    assert lines["NPV"] == "-100.00"
    assert lines["NPV, equity-weighted"] == "500.00"
    assert lines["PV benefits, equity-weighted"] == "1,500.00"
    assert "NPV, equity-weighted" not in dict(M.cba(flows, 0.0).summary().lines)


def test_xirr_without_a_root_says_so_rather_than_several() -> None:
    # a 99,999-fold gain in one day: the rate is beyond any search bound
    with pytest.raises(ik.ValidationError) as exc:
        M.xirr([-100, 1e7], ["2020-01-01", "2020-01-02"])
    assert exc.value.problems[0].code == "no_root"


def test_mirr_and_xnpv_refuse_rates_at_or_below_minus_one_and_nan() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        M.mirr([-100, 50, 60], finance_rate=float("nan"), reinvest_rate=-1.0)
    assert {p.path for p in exc.value.problems} == {("finance_rate",), ("reinvest_rate",)}
    with pytest.raises(ik.ValidationError) as exc:
        M.xnpv(-1.5, [-100, 50], dates=["2020-01-01", "2021-01-01"])
    assert [p.path for p in exc.value.problems] == [("rate",)]
    # by hand: (50 x 1.1 + 60) / 100 over two periods
    got = M.mirr([-100, 50, 60], finance_rate=0.05, reinvest_rate=0.1)
    assert got == pytest.approx((115 / 100) ** 0.5 - 1)


def test_dated_flows_name_each_bad_date() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        M.xirr([-100, 50, 60], ["2021-01-01", None, 5])
    assert [p.path for p in exc.value.problems] == [("dates", 1), ("dates", 2)]
    with pytest.raises(ik.ValidationError):
        M.xnpv(0.1, [-100, 110], dates=["2021-01-01", "not a date"])
    # a datetime and a date mix: 365 days, 10 %
    import datetime as dt

    assert M.xirr([-100, 110], [dt.datetime(2021, 1, 1, 12), dt.date(2022, 1, 1)]) == (
        pytest.approx(0.1)
    )
