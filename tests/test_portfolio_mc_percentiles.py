"""The per-site table of a network Monte Carlo refuses percentiles outside [0, 100]."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def _mc() -> pf.PortfolioMonteCarlo:
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
    return pf.monte_carlo(out, inp, n=50, seed=1, discount=0.0)


@pytest.mark.parametrize("bad", [(150,), (-1,), (float("nan"),), ("5",)])
def test_bad_percentiles_are_refused(bad: tuple[object, ...]) -> None:
    with pytest.raises(ValidationError) as exc:
        _mc().to_frame(bad)  # type: ignore[arg-type]
    assert [(p.path, p.code) for p in exc.value.problems] == [(("percentiles",), "out_of_range")]


def test_percentiles_of_the_draws() -> None:
    mc = _mc()
    t = mc.to_frame((0, 50, 100))
    np.testing.assert_array_equal(t["p0"], mc.ratio.min(axis=0))
    np.testing.assert_array_equal(t["p100"], mc.ratio.max(axis=0))
    np.testing.assert_array_equal(t["p50"], np.median(mc.ratio, axis=0))
