"""Monte Carlo: reproducibility across chunk sizes, agreement with point evaluation."""

from __future__ import annotations

import attrs
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit import dist

from strategies import synthetic_model


def uncertain_model():
    m = synthetic_model()
    a, b = m.outcomes
    return m.evolve(
        outcomes=[
            attrs.evolve(
                a,
                quantity=dist.Triangular(30, 50, 70),
                deadweight=dist.Beta(0.2, 0.05),
                drop_off=dist.PERT(0, 0.1, 0.3),
            ),
            attrs.evolve(
                b,
                proxy=ik.FinancialProxy(dist.LogNormal(2500, 500)),
                duration=dist.Uniform(0.5, 1.5),
            ),
        ],
        discount=ik.discount.Constant(dist.Uniform(0.02, 0.05)),
    )


def test_pinned_api():
    mc = ik.monte_carlo(uncertain_model(), n=20_000, seed=0)
    assert isinstance(mc.ratio, np.ndarray)
    assert mc.ratio.shape == (20_000,)
    lo, hi = mc.interval(0.90)
    assert lo < np.median(mc.ratio) < hi
    assert 0.0 <= mc.probability_ratio_above(1.0) <= 1.0
    assert np.all(np.isfinite(mc.ratio))
    df = mc.to_frame()
    assert list(df.columns) == [
        "draw",
        "present_value",
        "total_inputs",
        "net_present_value",
        "ratio",
    ]
    assert "P(ratio > 1)" in str(mc.summary())
    assert len(mc.parameters) == 6


@given(st.integers(1, 30_000), st.integers(1, 20_000), st.integers(0, 2**32))
def test_same_seed_same_draws_whatever_chunk(n, chunk, seed):
    m = uncertain_model()
    a = ik.monte_carlo(m, n=n, seed=seed, chunk_size=chunk)
    b = ik.monte_carlo(m, n=n, seed=seed)
    np.testing.assert_array_equal(a.ratio, b.ratio)


def test_prefix_stability_and_seed_sensitivity():
    m = uncertain_model()
    a = ik.monte_carlo(m, n=5000, seed=1)
    b = ik.monte_carlo(m, n=9000, seed=1)
    np.testing.assert_array_equal(a.ratio[:4096], b.ratio[:4096])
    c = ik.monte_carlo(m, n=5000, seed=2)
    assert not np.array_equal(a.ratio, c.ratio)
    g = ik.monte_carlo(m, n=100, seed=np.random.default_rng(5))
    g2 = ik.monte_carlo(m, n=100, seed=np.random.default_rng(5))
    np.testing.assert_array_equal(g.ratio, g2.ratio)


def test_mean_matches_point_for_linear_fields():
    # quantity only uncertain: PV linear in it, so E[PV] = PV(E[Q])
    m = synthetic_model()
    rows = [attrs.evolve(m.outcomes[0], quantity=dist.Triangular(30, 50, 70)), m.outcomes[1]]
    m2 = m.evolve(outcomes=rows)
    mc = ik.monte_carlo(m2, n=200_000, seed=3)
    assert mc.mean("present_value") == pytest.approx(ik.sroi(m2).present_value, rel=2e-3)


def test_each_draw_equals_point_evaluation():
    m = uncertain_model()
    mc = ik.monte_carlo(m, n=50, seed=9)
    from impactkit.model._valuemap import compile_model
    from impactkit.uncertainty._monte_carlo import draw_block

    vm = compile_model(m)
    draws = draw_block(vm, vm.uncertain, np.random.SeedSequence(9), 0, 50)
    for i in (0, 17, 49):
        rows = list(m.outcomes)
        vals = dict(zip([vm.params[j].path for j in vm.uncertain], draws[i], strict=True))
        a, b = rows
        rows = [
            attrs.evolve(
                a,
                quantity=vals[("outcomes", 0, "quantity")],
                deadweight=vals[("outcomes", 0, "deadweight")],
                drop_off=vals[("outcomes", 0, "drop_off")],
            ),
            attrs.evolve(
                b,
                proxy=vals[("outcomes", 1, "proxy", "value")],
                duration=dist.Fixed(vals[("outcomes", 1, "duration")]),
            ),
        ]
        point = ik.sroi(m.evolve(outcomes=rows, discount=vals[("discount", "rate")]))
        assert mc.ratio[i] == pytest.approx(point.ratio, rel=1e-10)


def test_no_distribution_gives_constant_draws():
    mc = ik.monte_carlo(synthetic_model(), n=10, seed=0)
    assert np.allclose(mc.ratio, ik.sroi(synthetic_model()).ratio)


def test_progress_and_bad_input():
    seen = []
    ik.monte_carlo(
        uncertain_model(), n=10_000, seed=0, chunk_size=4096, progress=lambda d, n: seen.append(d)
    )
    assert seen == [4096, 8192, 10_000]
    with pytest.raises(ik.ValidationError):
        ik.monte_carlo(uncertain_model(), n=0)
    with pytest.raises(ik.ValidationError):
        ik.monte_carlo(uncertain_model(), n=10, chunk_size=-1)
    with pytest.raises(ik.ValidationError):
        ik.monte_carlo(synthetic_model().evolve(inputs=[]), n=10)
    with pytest.raises(ik.ValidationError):
        ik.monte_carlo(uncertain_model(), n=10, seed=0).interval(1.5)
