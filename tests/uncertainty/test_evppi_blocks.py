"""EVPPI's bootstrap in blocks: each replicate is the penalised fit of its resample.

The oracle refits every bootstrap resample from scratch (rows repeated, as a
user would resample a data frame) with the penalties of the full fit, and
takes the mean regret of the resample's fitted values (docs/methods/decision.md).
The library computes the same replicates from weighted normal equations, in
blocks of replicates that bound memory: the numbers must agree, and must not
depend on the block size.
"""

from __future__ import annotations

import numpy as np
import pytest

from impactkit.uncertainty import _voi, evppi


def _oracle(nb: np.ndarray, x: np.ndarray, reps: int, seed: int) -> np.ndarray:
    y = nb - nb[:, :1]
    design, pen = _voi._design(x)
    n, p = design.shape
    fit = _voi._fit(design.T @ design, design.T @ y, np.sum(y * y, axis=0), pen, n)
    rng = np.random.default_rng(seed)
    picks = rng.integers(0, n, (reps, n))
    out = []
    for r in range(reps):
        xr, yr = design[picks[r]], y[picks[r]]
        xtx = xr.T @ xr
        jitter = 1e-10 * np.trace(xtx) / p * np.eye(p)
        coef = np.column_stack(
            [
                np.linalg.solve(xtx + jitter + fit.lam[j] * np.diag(pen), xr.T @ yr[:, j])
                for j in range(y.shape[1])
            ]
        )
        g = xr @ coef
        best = int(np.argmax(g.mean(axis=0)))
        out.append(float(np.mean(g.max(axis=1) - g[:, best])))
    return np.array(out)


def _problem(n: int, options: int, seed: int = 0) -> tuple[np.ndarray, np.ndarray]:
    rng = np.random.default_rng(seed)
    theta = rng.normal(size=(n, 2))
    cols = [np.zeros(n)]
    for j in range(options - 1):
        cols.append((j + 1) * theta[:, 0] - 0.5 * j + 0.3 * theta[:, 1] + rng.normal(size=n))
    return np.column_stack(cols), theta


@pytest.mark.parametrize(("options", "params"), [(2, 1), (3, 1), (3, 2)])
def test_bootstrap_replicates_equal_refits_of_the_resamples(options, params):
    nb, theta = _problem(600, options, seed=options + params)
    x = theta[:, :params]
    reps, seed = 12, 7
    y = nb - nb[:, :1]
    design, pen = _voi._design(x)
    fit = _voi._fit(design.T @ design, design.T @ y, np.sum(y * y, axis=0), pen, len(y))
    got = _voi._bootstrap(design, y, pen, fit.lam, reps, np.random.default_rng(seed))
    np.testing.assert_allclose(got, _oracle(nb, x, reps, seed), rtol=1e-9, atol=1e-12)


def test_bootstrap_does_not_depend_on_the_block_size(monkeypatch):
    nb, theta = _problem(500, 3, seed=4)
    whole = evppi(nb, theta[:, 0], n_bootstrap=23, seed=11)
    monkeypatch.setattr(_voi, "_BLOCK", 3 * 500 + 7)  # blocks of 3 replicates, ragged end
    blocks = evppi(nb, theta[:, 0], n_bootstrap=23, seed=11)
    assert blocks.value == whole.value
    assert blocks.se == pytest.approx(whole.se, rel=1e-12)


def test_one_option_has_no_value_and_no_spread():
    rng = np.random.default_rng(0)
    r = evppi(rng.normal(size=(50, 1)), rng.normal(size=50), n_bootstrap=5, seed=0)
    assert r.value == 0.0
    assert r.se == 0.0
