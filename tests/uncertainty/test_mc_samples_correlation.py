"""Monte Carlo with kept samples and rank-correlated inputs."""

from __future__ import annotations

import numpy as np
import pytest
from scipy import stats

import impactkit as ik
from impactkit.errors import ValidationError
from impactkit.model._valuemap import compile_model

DW0, DW1, Q0 = "outcomes[0].deadweight", "outcomes[1].deadweight", "outcomes[0].quantity"


def _model():
    return ik.ImpactModel(
        name="m",
        currency="EUR",
        inputs=[ik.Input("Grant", amount=100_000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="o",
                stakeholder="s",
                quantity=ik.dist.Triangular(30, 45, 60),
                proxy=ik.dist.LogNormal(mean=3_000, sd=800),
                duration=3,
                deadweight=ik.dist.Uniform(0.2, 0.5),
            ),
            ik.OutcomeValuation(
                outcome="p",
                stakeholder="s",
                quantity=ik.dist.Triangular(10, 20, 30),
                proxy=2_000,
                duration=2,
                deadweight=ik.dist.Beta(mean=0.3, sd=0.1),
            ),
        ],
    )


CORR = {(DW0, DW1): 0.7, (Q0, DW0): -0.4}


def test_samples_are_the_draws_evaluated():
    m = _model()
    mc = ik.monte_carlo(m, n=10_000, seed=3, keep_samples=True)
    s = mc.samples
    assert list(s.columns) == list(mc.parameters)
    assert s.shape == (10_000, 5)
    vm = compile_model(m)
    out = vm.evaluate(vm.uncertain, s.to_numpy()[:50])
    np.testing.assert_allclose(out.present_value, mc.present_value[:50], rtol=1e-12)
    # keeping the samples changes no number
    plain = ik.monte_carlo(m, n=10_000, seed=3)
    np.testing.assert_array_equal(plain.present_value, mc.present_value)
    assert plain.samples is None


def test_evppi_of_a_deadweight_is_one_call():
    mc = ik.monte_carlo(_model(), n=8_000, seed=1, keep_samples=True)
    r = ik.uncertainty.evppi(mc.net_present_value, mc.samples[DW0], n_bootstrap=10)
    assert 0.0 <= r.value <= ik.uncertainty.evpi(mc.net_present_value)
    voi = mc.value_of_information(n_bootstrap=5)
    assert set(voi.table["parameter"]) == set(mc.parameters)
    with pytest.raises(ValidationError, match="keep_samples"):
        ik.monte_carlo(_model(), n=100, seed=1).value_of_information()


@pytest.mark.parametrize("chunk_size", [None, 4096, 10_000])
def test_rank_correlation_achieved_and_marginals_unchanged(chunk_size):
    m = _model()
    mc = ik.monte_carlo(
        m, n=40_000, seed=5, correlation=CORR, keep_samples=True, chunk_size=chunk_size
    )
    s = mc.samples
    assert stats.spearmanr(s[DW0], s[DW1])[0] == pytest.approx(0.7, abs=0.02)
    assert stats.spearmanr(s[Q0], s[DW0])[0] == pytest.approx(-0.4, abs=0.02)
    assert abs(stats.spearmanr(s["outcomes[1].quantity"], s[DW0])[0]) < 0.02
    ind = ik.monte_carlo(m, n=40_000, seed=5, keep_samples=True).samples
    for col in s.columns:  # the very same draws, reordered: KS distance 0
        assert stats.ks_2samp(s[col], ind[col]).statistic == 0.0
        np.testing.assert_array_equal(np.sort(s[col]), np.sort(ind[col]))
    # uncorrelated columns are not even reordered
    np.testing.assert_array_equal(s["outcomes[1].quantity"], ind["outcomes[1].quantity"])
    assert mc.correlation[(DW0, DW1)] == 0.7


def test_correlation_is_reproducible_and_changes_the_output():
    m = _model()
    a = ik.monte_carlo(m, n=9_000, seed=2, correlation=CORR)
    b = ik.monte_carlo(m, n=9_000, seed=2, correlation=CORR, chunk_size=4096)
    np.testing.assert_array_equal(a.present_value, b.present_value)
    ind = ik.monte_carlo(m, n=9_000, seed=2)
    # positively correlated deadweights widen the spread of the present value
    assert a.std("present_value") > ind.std("present_value")
    assert a.mean("present_value") == pytest.approx(ind.mean("present_value"), rel=0.01)


def test_bad_correlations_are_named():
    m = _model()
    with pytest.raises(ValidationError) as e:
        ik.monte_carlo(m, n=100, seed=0, correlation={(DW0, "outcomes[9].proxy"): 0.2})
    assert "outcomes[9].proxy" in str(e.value)
    bad = {(DW0, DW1): 0.9, (DW1, Q0): 0.9, (Q0, DW0): -0.9}
    with pytest.raises(ValidationError) as e:
        ik.monte_carlo(m, n=100, seed=0, correlation=bad)
    msg = str(e.value)
    assert "positive semi-definite" in msg
    assert f"({DW0}, {DW1})" in msg


def test_result_stays_hashable_and_says_it_is_correlated():
    mc = ik.monte_carlo(_model(), n=500, seed=0, keep_samples=True, correlation=CORR)
    assert hash(mc) == hash(mc)
    assert "Rank-correlated pairs  2" in str(mc.summary())
    assert "Rank-correlated" not in str(ik.monte_carlo(_model(), n=500, seed=0).summary())


def test_portfolio_shared_multipliers_correlated():
    import pandas as pd

    outcomes = pd.DataFrame(
        {
            "site": ["a", "b", "c", "d"],
            "sector": ["x", "x", "y", "y"],
            "quantity": [10.0, 8.0, 12.0, 9.0],
            "proxy": [100.0, 120.0, 90.0, 110.0],
            "deadweight": [0.2, 0.3, 0.25, 0.2],
        }
    )
    inputs = pd.DataFrame({"site": ["a", "b", "c", "d"], "amount": [500.0, 400.0, 600.0, 450.0]})
    shared = {
        "proxy": ("sector", ik.dist.Uniform(0.8, 1.2)),
        "quantity": ("sector", ik.dist.Triangular(0.7, 1.0, 1.2)),
    }
    kw = {"n": 20_000, "seed": 4, "discount": 0.0, "shared": shared}
    ind = ik.portfolio.monte_carlo(outcomes, inputs, **kw)
    cor = ik.portfolio.monte_carlo(
        outcomes, inputs, correlation={("proxy", "quantity"): 0.8}, **kw
    )
    # site a's value is quantity x proxy x multipliers: their product spreads more when correlated
    assert cor.ratio[:, 0].std() > 1.05 * ind.ratio[:, 0].std()
    assert cor.ratio[:, 0].mean() == pytest.approx(ind.ratio[:, 0].mean(), rel=0.01)
    with pytest.raises(ValidationError):
        ik.portfolio.monte_carlo(
            outcomes, inputs, correlation={("proxy", "deadweight"): 0.5}, **kw
        )
    with pytest.raises(ValidationError, match="one group column"):
        ik.portfolio.monte_carlo(
            outcomes,
            inputs,
            correlation={("proxy", "quantity"): 0.5},
            **{**kw, "shared": {**shared, "quantity": ("site", ik.dist.Uniform(0.9, 1.1))}},
        )
