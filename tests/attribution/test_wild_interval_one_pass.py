"""The wild bootstrap interval is found from per-draw sums computed in one pass.

The bootstrap statistic is linear in the tested value r through the restricted
residuals u~(r) = m0 - r m1, so its numerator is linear and its squared
denominator quadratic in r: after one pass over the rows, the inversion of the
test never reads the rows again, and every p-value equals the one computed
from the rows at that r.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att
from impactkit.attribution import _wild


def data(seed: int, n_g: int = 9) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    g = np.repeat(np.arange(n_g), 25)
    n = len(g)
    x = np.column_stack([np.ones(n), rng.normal(size=n) + rng.normal(size=n_g)[g]])
    x = np.column_stack([x, rng.normal(size=n)])
    y = 0.3 * x[:, 1] + rng.normal(size=n_g)[g] + rng.normal(size=n)
    return y, x, g.astype(np.int64)


def p_from_rows(y, x, j, groups, v, r: float) -> float:
    """The WCR p-value at r, every bootstrap sample fitted from the rows."""
    n, k = x.shape
    n_g = groups.max() + 1
    factor = n_g / (n_g - 1) * (n - 1) / (n - k)
    inv = np.linalg.inv(x.T @ x)
    a = (inv @ x.T)[j]

    def t_of(yy: np.ndarray) -> float:
        u = yy - x @ (inv @ (x.T @ yy))
        s = np.bincount(groups, weights=a * u, minlength=n_g)
        return float(((inv @ (x.T @ yy))[j] - r) / np.sqrt(factor * s @ s))

    xr = np.delete(x, j, axis=1)
    yr = y - r * x[:, j]
    fit = xr @ np.linalg.lstsq(xr, yr, rcond=None)[0]
    u_r = yr - fit
    t = abs(t_of(y))
    t_boot = np.array([t_of(fit + r * x[:, j] + w[groups] * u_r) for w in v])
    return float(np.mean(np.abs(t_boot) > t * (1 + 1e-10) + 1e-300))


def test_every_p_value_of_the_search_equals_the_one_from_the_rows():
    y, x, g = data(1)
    wcr = _wild._WCR(y, x, 1, g, x.shape[1])
    v, enumerated, _ = _wild._weights(9, 9999, "rademacher", None)
    assert enumerated
    d = wcr.draws(v)
    # (r = beta_j itself is left out: there t = 0 and every tie is decided by rounding)
    b, se = wcr.beta_j, wcr.se
    for r in (0.0, b + 0.3 * se, b + 1.7 * se, b - 2.2 * se, b - 3.1 * se, -2.0):
        assert wcr.pvalue(r, d) == p_from_rows(y, x, 1, g, v, r)


def test_the_interval_search_never_reads_the_rows_again():
    y, x, g = data(2)
    wcr = _wild._WCR(y, x, 1, g, x.shape[1])
    v, _, _ = _wild._weights(9, 9999, "rademacher", None)
    d = wcr.draws(v)
    expected = _wild._invert(wcr, d, 0.95)
    for name in ("x", "y", "m0", "m1", "a", "groups"):  # the rows are gone
        setattr(wcr, name, None)
    assert _wild._invert(wcr, d, 0.95) == expected
    lo, hi = expected
    alpha = 0.05
    width = hi - lo
    assert p_from_rows(y, x, 1, g, v, lo + 1e-6 * width) >= alpha
    assert p_from_rows(y, x, 1, g, v, lo - 1e-3 * width) < alpha
    assert p_from_rows(y, x, 1, g, v, hi - 1e-6 * width) >= alpha
    assert p_from_rows(y, x, 1, g, v, hi + 1e-3 * width) < alpha


def test_public_test_and_interval_are_unchanged_with_random_draws():
    y, x, g = data(3, n_g=15)  # 2^15 > B: random Rademacher draws
    df = pd.DataFrame({"y": y, "x": x[:, 1], "z": x[:, 2], "g": g})
    r = att.wild_cluster_test(
        df, outcome="y", regressor="x", cluster="g", covariates=["z"], n_bootstrap=999, seed=5
    )
    assert not r.enumerated
    v, _, _ = _wild._weights(15, 999, "rademacher", 5)
    assert r.pvalue == p_from_rows(y, x, 1, g, v, 0.0)
    lo, hi = r.ci
    assert lo < r.coefficient < hi
    assert (
        p_from_rows(y, x, 1, g, v, hi + 1e-3 * (hi - lo))
        < 0.05
        <= p_from_rows(y, x, 1, g, v, hi - 1e-6 * (hi - lo))
    )
    assert r.se == pytest.approx(_wild._WCR(y, x, 1, g, 3).se, rel=1e-12)
