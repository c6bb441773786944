"""Rank intervals of shrunk estimates that tie.

With no between-site variance every site is pulled to the network mean: the
sites tie, each ranks first, and the rank interval drawn from the posteriors
must say the same, whatever the order of the sites.
"""

from __future__ import annotations

import numpy as np
import pytest

from impactkit import portfolio as pf


@pytest.mark.parametrize("tau2", [None, 0.0])
def test_sites_pulled_to_the_mean_share_rank_one(tau2: float | None) -> None:
    # estimates well within their noise: DerSimonian-Laird gives tau2 = 0
    r = pf.shrink(np.array([0.1, 0.2, 0.3, 0.4]), np.ones(4), tau2=tau2, seed=0)
    assert r.tau2 == 0.0
    t = r.table
    assert t["rank"].tolist() == [1, 1, 1, 1]
    assert t["rank_low"].tolist() == [1, 1, 1, 1]
    assert t["rank_high"].tolist() == [1, 1, 1, 1]


def test_rank_intervals_hold_the_point_rank() -> None:
    rng = np.random.default_rng(2)
    for _ in range(20):
        k = int(rng.integers(2, 12))
        est = rng.normal(0.0, 1.0, k)
        se = rng.uniform(0.05, 1.0, k)
        tau2 = float(rng.choice([0.0, 0.01, 1.0]))
        t = pf.shrink(est, se, tau2=tau2, seed=int(rng.integers(1_000))).table
        assert (t["rank_low"] <= t["rank"]).all()
        assert (t["rank"] <= t["rank_high"]).all()


def test_distinct_draws_keep_their_ranks() -> None:
    r = pf.shrink(np.array([0.2, 0.5, 0.9]), [0.1, 0.1, 0.3], tau2=0.04, seed=0)
    assert r.table["rank"].tolist() == [3, 2, 1]
    assert (r.table["rank_low"] >= 1).all()
    assert (r.table["rank_high"] <= 3).all()
