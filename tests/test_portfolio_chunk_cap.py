"""A chunk size beyond the draws asked for allocates only those draws."""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit import portfolio as pf


def test_a_huge_chunk_size_gives_the_same_draws() -> None:
    out = pd.DataFrame(
        {
            "site": ["a", "b"],
            "quantity": [1.0, 1.0],
            "proxy": [100.0, 100.0],
            "proxy_low": [50.0, 50.0],
            "proxy_high": [150.0, 150.0],
        }
    )
    inp = pd.DataFrame({"site": ["a", "b"], "amount": [100.0, 100.0]})
    small = pf.monte_carlo(out, inp, n=300, seed=1, discount=0.0)
    huge = pf.monte_carlo(out, inp, n=300, seed=1, discount=0.0, chunk_size=10**10)
    np.testing.assert_array_equal(small.present_value, huge.present_value)
