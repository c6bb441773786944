"""An indicator row whose quantity is a distribution reads its mean in the funnel.

The tables allow a blank ``quantity`` cell on a row whose ``quantity_dist``
gives it (its mean is the point value): the network's funnel plots read that
same central quantity, as the site's present value does.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import portfolio as pf


def test_funnel_reads_the_mean_of_a_quantity_distribution() -> None:
    out = pd.DataFrame(
        {
            "site": ["a", "b", "c"],
            "outcome": ["job"] * 3,
            "quantity": [np.nan, 12.0, 20.0],
            "quantity_dist": ["uniform", None, None],
            "quantity_low": [20.0, np.nan, np.nan],
            "quantity_high": [40.0, np.nan, np.nan],
            "n": [40, 30, 35],
            "proxy": [8000.0] * 3,
        }
    )
    inp = pd.DataFrame({"site": ["a", "b", "c"], "amount": [1.5e5, 9e4, 1e5]})
    a = pf.analyse_network(out, inp, discount=0.0)
    assert a.sites["present_value"].tolist() == [240_000.0, 96_000.0, 160_000.0]
    t = a.funnels["job"].table
    assert t["value"].tolist() == [30 / 40, 12 / 30, 20 / 35]  # a: the mean of U(20, 40)
    assert a.funnels["job"].target == pytest.approx((30 + 12 + 20) / (40 + 30 + 35))
