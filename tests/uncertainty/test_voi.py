"""Value of information and acceptability against closed forms and direct computation."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import impactkit as ik
from impactkit.errors import ValidationError
from impactkit.uncertainty import (
    acceptability,
    ceac,
    evpi,
    evppi,
    population_evpi,
    value_of_information,
)


def normal_loss(m: float, s: float) -> float:
    """E[max(0, X)] - max(0, E[X]) for X ~ N(m, s^2)."""
    return m * stats.norm.cdf(m / s) + s * stats.norm.pdf(m / s) - max(m, 0.0)


@pytest.mark.parametrize(("m", "s"), [(0.0, 1.0), (0.5, 2.0), (-1.0, 1.5), (3.0, 1.0)])
def test_evpi_normal_closed_form(m, s):
    rng = np.random.default_rng(11)
    nb = rng.normal(m, s, 400_000)
    # the Monte Carlo error of mean(max(0, X)) bounds the tolerance
    tol = 5 * np.std(np.maximum(nb, 0)) / np.sqrt(nb.size) + 5 * s / np.sqrt(nb.size)
    assert evpi(nb) == pytest.approx(normal_loss(m, s), abs=tol)


def test_evpi_two_options_is_loss_of_difference():
    rng = np.random.default_rng(2)
    a = rng.normal(1.0, 1.0, 200_000)
    b = a + rng.normal(-0.3, 2.0, 200_000)
    assert evpi(np.column_stack([a, b])) == pytest.approx(evpi(b - a), abs=1e-12)
    assert evpi(np.column_stack([a, b])) == pytest.approx(normal_loss(-0.3, 2.0), abs=0.01)


def test_evpi_by_hand_and_bounds():
    assert evpi([[10.0, 0.0], [0.0, 8.0]]) == 4.0
    assert evpi(np.ones((5, 3))) == 0.0
    assert evpi([1.0, 2.0]) == 0.0  # always fund: nothing to learn


@pytest.mark.parametrize("bad", [[1.0, np.nan], [[1.0, np.inf], [0.0, 1.0]], [1.0]])
def test_evpi_rejects_bad_draws(bad):
    with pytest.raises(ValidationError):
        evpi(bad)


def _linear_case(n: int, seed: int):
    rng = np.random.default_rng(seed)
    t1, t2 = rng.normal(0, 1, n), rng.normal(2, 0.5, n)
    noise = rng.normal(0, 1.5, n)
    a, b1, b2 = -1.1, 1.0, 0.7  # mean net benefit -1.1 + 1.4 = 0.3
    return t1, t2, a + b1 * t1 + b2 * t2 + noise, (a, b1, b2)


def test_evppi_one_parameter_linear_closed_form():
    t1, _t2, nb, (a, b1, b2) = _linear_case(20_000, 3)
    r = evppi(nb, t1, n_bootstrap=100, seed=1)
    m = a + b2 * 2.0
    truth = normal_loss(m, abs(b1))
    # the same quantity with the true conditional mean on the same draws
    g = a + b1 * t1 + b2 * 2.0
    oracle = np.mean(np.maximum(g, 0)) - max(np.mean(g), 0)
    assert r.value == pytest.approx(oracle, abs=3 * r.se + 0.005)
    assert r.value == pytest.approx(truth, abs=4 * r.se + 0.01)
    assert 0 < r.se < 0.05
    assert r.value <= r.evpi


def test_evppi_two_parameters_linear_closed_form():
    t1, t2, nb, (a, b1, b2) = _linear_case(20_000, 4)
    x = pd.DataFrame({"t1": t1, "t2": t2})
    r = evppi(nb, x, n_bootstrap=50, seed=1)
    truth = normal_loss(a + b2 * 2.0, float(np.hypot(b1, b2 * 0.5)))
    g = a + b1 * t1 + b2 * t2
    oracle = np.mean(np.maximum(g, 0)) - max(np.mean(g), 0)
    assert r.parameters == ("t1", "t2")
    assert r.value == pytest.approx(oracle, abs=3 * r.se + 0.005)
    assert r.value == pytest.approx(truth, abs=4 * r.se + 0.01)


def test_evppi_two_options_linear():
    # option B - option A = 0.2 + theta; EVPPI of theta is the normal loss
    rng = np.random.default_rng(5)
    n = 20_000
    theta = rng.normal(0, 0.8, n)
    a = rng.normal(10, 3, n)
    b = a + 0.2 + theta + rng.normal(0, 1, n)
    r = evppi(np.column_stack([a, b]), theta, n_bootstrap=50, seed=0)
    oracle = np.mean(np.maximum(0.2 + theta, 0)) - max(np.mean(0.2 + theta), 0)
    assert r.value == pytest.approx(oracle, abs=3 * r.se + 0.005)
    assert r.value == pytest.approx(normal_loss(0.2, 0.8), abs=4 * r.se + 0.01)


def test_evppi_nonlinear_and_irrelevant_parameter():
    rng = np.random.default_rng(6)
    n = 10_000
    theta = rng.normal(0, 1, n)
    g = np.sin(2 * theta) - 0.2
    nb = g + rng.normal(0, 1, n)
    r = evppi(nb, theta, n_bootstrap=0)
    oracle = np.mean(np.maximum(g, 0)) - max(np.mean(g), 0)
    assert r.value == pytest.approx(oracle, abs=0.02)
    noise = evppi(nb, rng.normal(size=n), n_bootstrap=0)
    assert noise.value < 0.02


def test_evppi_same_seed_same_result_and_contract():
    t1, _, nb, _ = _linear_case(3000, 7)
    a = evppi(nb, t1, n_bootstrap=20, seed=3)
    b = evppi(nb, t1, n_bootstrap=20, seed=3)
    assert a == b
    assert hash(a) == hash(b)
    json.dumps(a.to_dict(), allow_nan=False)
    assert list(a.to_frame().columns) == ["parameters", "evppi", "se", "evpi", "n"]
    assert "EVPPI" in str(a.summary())


def test_evppi_rejects_misaligned_and_nan():
    with pytest.raises(ValidationError) as e:
        evppi(np.zeros(10), np.r_[np.zeros(8), np.nan])
    assert "parameters" in str(e.value)
    with pytest.raises(ValidationError):
        evppi(np.zeros(10), np.zeros(10), n_bootstrap=-1)


def test_value_of_information_ranks():
    rng = np.random.default_rng(0)
    s = pd.DataFrame(
        {"small": rng.normal(size=5000), "big": rng.normal(size=5000), "fixed": np.ones(5000)}
    )
    nb = 0.1 + 2 * s["big"] + 0.3 * s["small"]
    v = value_of_information(nb, s, n_bootstrap=10)
    assert list(v.table["parameter"]) == ["big", "small", "fixed"]
    assert v.table["evppi"].iloc[-1] == 0.0
    assert v.table["evppi"].iloc[0] <= v.evpi + 1e-12
    json.dumps(v.to_dict(), allow_nan=False)
    assert "EVPI" in str(v.summary())


def test_population_evpi_by_hand():
    assert population_evpi(10.0, population=100, horizon=3, discount=0.0) == pytest.approx(3000)
    by_hand = 10 * (100 + 200 / 1.035 + 300 / 1.035**2)
    assert population_evpi(10.0, population=[100, 200, 300], discount=0.035) == pytest.approx(
        by_hand
    )
    t1 = 10 * (100 / 1.035 + 200 / 1.035**2 + 300 / 1.035**3)
    assert population_evpi(
        10.0, population=[100, 200, 300], discount=0.035, first_flow_at="t1"
    ) == pytest.approx(t1)
    gb = population_evpi(1.0, population=1, horizon=40, discount=ik.discount.GREEN_BOOK)
    assert gb == pytest.approx(ik.discount.GREEN_BOOK.factors(np.arange(40)).sum())
    with pytest.raises(ValidationError) as e:
        population_evpi(-1.0, population=10)
    assert len(e.value.problems) == 2  # negative value and missing horizon at once


def direct_ceac(c, e, lam):
    nmb = lam * e - c
    best = np.argmax(nmb, axis=1)
    return np.bincount(best, minlength=c.shape[1]) / c.shape[0]


def test_ceac_against_direct_computation():
    rng = np.random.default_rng(8)
    n = 3000
    e = np.column_stack([rng.normal(0, 0.1, n), rng.normal(1, 0.5, n), rng.normal(1.5, 0.8, n)])
    c = np.column_stack(
        [rng.normal(100, 10, n), rng.normal(2000, 300, n), rng.normal(4000, 900, n)]
    )
    wtp = np.linspace(0, 20_000, 41)
    got = ceac(c, e, wtp=wtp)
    assert got.shape == (41, 3)
    np.testing.assert_allclose(got.sum(axis=1), 1.0)
    for i, lam in enumerate(wtp):
        np.testing.assert_array_equal(got[i], direct_ceac(c, e, lam))


def test_ceac_wtp_is_keyword_only():
    with pytest.raises(TypeError):
        ceac(np.zeros((2, 2)), np.zeros((2, 2)), [1.0])  # type: ignore[misc]


def test_acceptability_frontier_matches_cea_frontier():
    rng = np.random.default_rng(9)
    n = 4000
    me = np.array([0.0, 1.0, 1.6])
    mc = np.array([0.0, 1000.0, 2500.0])
    e = me + rng.normal(0, 0.3, (n, 3))
    c = mc + rng.normal(0, 100, (n, 3))
    a = acceptability(c, e, wtp=np.arange(0, 5001, 50.0), names=["none", "A", "B"])
    front = ik.methods.cea_frontier(a.options_frame())
    icers = front.set_index("name")["icer"]
    f = a.frontier()
    # the frontier switches option where λ crosses each frontier ICER
    for lam, opt in zip(f["wtp"], f["option"], strict=True):
        expected = "none" if lam < icers["A"] else ("A" if lam < icers["B"] else "B")
        if min(abs(lam - icers["A"]), abs(lam - icers["B"])) > 60:
            assert opt == expected
    np.testing.assert_allclose(a.probability, ceac(c, e, wtp=a.wtp))
    nmb = a.nmb_table()
    assert list(nmb.columns) == ["wtp", "none", "A", "B"]
    np.testing.assert_allclose(nmb["B"], a.wtp * e[:, 2].mean() - c[:, 2].mean())
    # EVPI at each λ equals evpi() of the NMB draws
    np.testing.assert_allclose(a.evpi[20], evpi(a.wtp[20] * e - c), atol=1e-9)
    long = a.to_frame()
    assert len(long) == 3 * a.wtp.size
    assert long["on_frontier"].sum() == a.wtp.size
    json.dumps(a.to_dict(), allow_nan=False)
    assert "acceptability" in str(a.summary())


def test_acceptability_rejects_bad_shapes():
    with pytest.raises(ValidationError) as e:
        acceptability(np.zeros((4, 2)), np.zeros((4, 3)), wtp=[np.nan])
    assert len(e.value.problems) == 2


def test_evppi_several_parameters_with_interaction_and_curvature():
    rng = np.random.default_rng(1)
    n = 10_000
    x = rng.normal(size=(n, 3))
    g = 0.2 + x[:, 0] * x[:, 1] + 0.5 * x[:, 2]
    r = evppi(g + rng.normal(0, 1, n), x, n_bootstrap=0)
    assert r.value == pytest.approx(np.mean(np.maximum(g, 0)) - max(g.mean(), 0), abs=0.03)
    g2 = np.sin(x[:, 0]) + 0.5 * x[:, 1] ** 2 - 0.3
    r2 = evppi(g2 + rng.normal(0, 1, n), x[:, :2], n_bootstrap=0)
    assert r2.value == pytest.approx(np.mean(np.maximum(g2, 0)) - max(g2.mean(), 0), abs=0.03)
