"""A network result records a seed entropy only when it repeats the run: a spawned child
SeedSequence carries its parent's entropy, which draws other streams."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit import portfolio as pf


def _tables():
    out = pd.DataFrame(
        {
            "site": ["a", "b"],
            "quantity": [10.0, 8.0],
            "proxy": [100.0, 100.0],
            "proxy_dist": ["uniform"] * 2,
            "proxy_low": [80.0, 90.0],
            "proxy_high": [120.0, 110.0],
        }
    )
    return out, pd.DataFrame({"site": ["a", "b"], "amount": [500.0, 400.0]})


def test_monte_carlo_records_only_an_entropy_that_repeats_the_run():
    out, inp = _tables()
    child = np.random.SeedSequence(7).spawn(2)[1]
    mc = pf.monte_carlo(out, inp, n=300, seed=child, discount=0.0)
    assert mc.seed_entropy is None
    plain = pf.monte_carlo(out, inp, n=300, seed=7, discount=0.0)
    assert plain.seed_entropy == 7
    again = pf.monte_carlo(out, inp, n=300, seed=plain.seed_entropy, discount=0.0)
    np.testing.assert_array_equal(again.present_value, plain.present_value)


def test_shrinkage_records_only_an_entropy_that_repeats_the_run():
    est, se = np.array([1.0, 1.4, 2.0, 0.7]), np.array([0.2, 0.3, 0.25, 0.4])
    child = np.random.SeedSequence(7).spawn(2)[1]
    assert pf.shrink(est, se, n_draws=200, seed=child).seed_entropy is None
    assert pf.shrink(est, se, n_draws=200, seed=7).seed_entropy == 7
