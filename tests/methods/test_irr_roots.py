"""IRR roots from the NPV polynomial (docs/methods/cba.md) and the money multiple of contracts
(docs/methods/contracts.md)."""

from __future__ import annotations

import numpy as np
import numpy_financial as npf
import pytest
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit import methods as M


def npv_from_roots(rates):
    """Flows whose NPV vanishes exactly at ``rates``: the product of (1 - (1 + r) x)."""
    poly = np.poly1d([1.0])
    for r in rates:
        poly = poly * np.poly1d([-(1 + r), 1.0])  # coefficients of x, highest first
    return poly.coeffs[::-1]  # year 0 first


def test_three_roots_two_in_one_grid_cell():
    # roots at 10 %, 10.05 % and 30 %: a scan of rates loses the two close ones
    cf = [-1000, 3500.5, -4071.2, 1573.715]
    np.testing.assert_allclose(M.npv(cf, 0.1), 0, atol=1e-9)
    np.testing.assert_allclose(M.npv(cf, 0.1005), 0, atol=1e-9)
    roots = M.irr_roots(cf)
    assert roots == [pytest.approx(0.1), pytest.approx(0.1005), pytest.approx(0.3)]
    with pytest.raises(ik.ValidationError, match="3 internal rates") as info:
        M.irr(cf)
    assert info.value.problems[0].code == "multiple_irr"


def test_double_root_is_found_and_refused_by_irr():
    cf = [-100, 220, -121]  # -(1 - 1.1 x)^2 * 100: the NPV touches zero at 10 %
    assert M.irr_roots(cf) == [pytest.approx(0.1, abs=1e-9)]
    with pytest.raises(ik.ValidationError, match="multiplicity 2") as info:
        M.irr(cf)
    assert info.value.problems[0].code == "multiple_irr"


def test_no_root_though_the_sign_changes():
    cf = [-100, 200, -101]  # NPV = -(1 - x)^2 * 100 - x^2 < 0 for every rate
    assert M.irr_roots(cf) == []
    with pytest.raises(ik.ValidationError) as info:
        M.irr(cf)
    assert info.value.problems[0].code == "no_root"


@given(
    st.lists(st.floats(-0.95, 5.0), min_size=1, max_size=5, unique=True).filter(
        lambda rs: all(abs(a - b) > 1e-3 for a in rs for b in rs if a != b)
    )
)
def test_every_root_of_built_flows_is_found(rates):
    cf = npv_from_roots(rates)
    assert M.irr_roots(cf) == [pytest.approx(r, abs=1e-7) for r in sorted(rates)]


def test_bounds_filter_the_roots():
    cf = [-1000, 3500.5, -4071.2, 1573.715]
    assert M.irr_roots(cf, upper=0.2) == [pytest.approx(0.1), pytest.approx(0.1005)]
    assert M.irr_roots(cf, lower=0.2) == [pytest.approx(0.3)]


def test_vectorised_irr_gives_nan_not_a_bound():
    flows = np.array(
        [
            [-100.0, 230.0, -132.0],  # 10 % and 20 %: not unique
            [-100.0, 220.0, -121.0],  # double root
            [-100.0, 200.0, -101.0],  # no root
            [-100.0, 0.0, 121.0],  # 10 %
            [-100.0, 0.0, 0.0],  # nothing back: all capital lost
            [-1.0, 100.0, 0.0],  # 9900 %
        ]
    )
    r = M.vectorised_irr(flows)
    assert np.isnan(r[:3]).all()
    np.testing.assert_allclose(r[3:], [0.1, -1.0, 99.0], rtol=1e-12)


def test_vectorised_irr_agrees_with_numpy_financial():
    rng = np.random.default_rng(4)
    flows = np.column_stack([-rng.uniform(50, 150, 300), rng.uniform(0, 60, (300, 4))])
    ours = M.vectorised_irr(flows)
    ref = np.array([npf.irr(f) for f in flows])
    np.testing.assert_allclose(ours, ref, rtol=1e-9, atol=1e-12)


def test_contract_simulation_counts_draws_without_irr():
    # a second drawdown in year 2 between payments: the flows of a draw change sign up to
    # three times, so some draws have two IRRs, or none
    c = M.OutcomesContract(
        rules=[M.PaymentRule("jobs", price=1.0, period=1), M.PaymentRule("home", 1.0, period=3)],
        drawdowns=[100.0, 0.0, 132.0],
    )
    achieved = {"jobs": ik.dist.Uniform(200.0, 260.0), "home": ik.dist.Uniform(0.0, 20.0)}
    sim = c.simulate(achieved, n=2_000, seed=3)
    flows = c._flows(sim.achieved.to_numpy())[1]
    expected = np.array([len(M.irr_roots(f)) != 1 for f in flows])
    assert expected.any()
    assert not expected.all()
    assert sim.irr_undefined == int(expected.sum())
    np.testing.assert_array_equal(np.isnan(sim.irr), expected)
    assert np.nanmax(sim.irr) < 1.0  # no clipped bound reported as a rate
    assert np.isfinite(sim.irr_percentiles().to_numpy()).all()


def test_moic_on_gross_flows():
    # year 1: 50 drawn and 80 paid back; netting the period would hide both
    c = M.OutcomesContract(
        rules=[M.PaymentRule("jobs", price=1.0, period=1)], drawdowns=[100.0, 50.0]
    )
    r = c.settle({"jobs": 80})
    assert r.moic == pytest.approx(80 / 150)
    sim = c.simulate({"jobs": 80.0}, n=3, seed=0)
    np.testing.assert_allclose(sim.moic, 80 / 150)


def test_moic_counts_fees_as_outflows():
    c = M.OutcomesContract(
        rules=[M.PaymentRule("jobs", price=10.0, period=1)],
        drawdowns=[100.0],
        fees=[0.0, 5.0],
        investor_share=0.5,
    )
    r = c.settle({"jobs": 30})
    assert r.moic == pytest.approx(0.5 * 300 / 105)
