"""The rank check runs on one QR of the design and flags the same columns as R's rule
applied column by column to the rows (the reference below)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit.attribution._design import RANK_TOL, aliased_columns


def aliased_by_rows(x: np.ndarray, tol: float = RANK_TOL) -> list[int]:
    """R's ``lm`` rule on the rows: a column whose residual on the kept earlier
    columns is at most ``tol`` times its norm is aliased."""
    n, k = x.shape
    basis = np.empty((n, 0))
    out = []
    for j in range(k):
        if not np.isfinite(x[:, j]).all():
            out.append(j)
            continue
        col = x[:, j]
        norm = float(np.linalg.norm(col))
        v = col - basis @ (basis.T @ col)
        v = v - basis @ (basis.T @ v)
        r = float(np.linalg.norm(v))
        if not np.isfinite(norm) or norm == 0.0 or r <= tol * norm:
            out.append(j)
            continue
        basis = np.column_stack([basis, v / r])
    return out


def design(seed: int, n: int, k: int, n_alias: int, scale_spread: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, k))
    x[:, 0] = 1.0
    x *= 10.0 ** rng.uniform(-scale_spread, scale_spread, size=k)
    for _ in range(n_alias if k > 1 else 0):  # a column made of earlier ones, a copy, zero
        j = int(rng.integers(1, k))
        kind = rng.integers(0, 3)
        if kind == 0:
            x[:, j] = x[:, :j] @ rng.normal(size=j)
        elif kind == 1:
            x[:, j] = x[:, int(rng.integers(0, j))] * 3.0
        else:
            x[:, j] = 0.0
    return x


@settings(max_examples=60, deadline=None)
@given(
    seed=st.integers(0, 10_000),
    n=st.integers(2, 60),
    k=st.integers(1, 12),
    n_alias=st.integers(0, 4),
    spread=st.sampled_from([0.0, 3.0]),
)
def test_one_qr_flags_the_columns_the_rule_flags_on_the_rows(seed, n, k, n_alias, spread):
    x = design(seed, n, k, n_alias, spread)
    assert aliased_columns(x) == aliased_by_rows(x)


def test_near_aliased_column_then_its_own_deviation():
    # x2 = x1 + 1e-9 e is aliased (its residual is below tol); e itself is not,
    # because the rule projects on the *kept* columns only
    rng = np.random.default_rng(0)
    x1, e = rng.normal(size=50), rng.normal(size=50)
    x = np.column_stack([np.ones(50), x1, x1 + 1e-9 * e, e])
    assert aliased_columns(x) == aliased_by_rows(x) == [2]


@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_non_finite_and_zero_columns_are_aliased(bad):
    x = np.column_stack(
        [np.ones(5), np.arange(5.0), np.zeros(5), np.full(5, bad), np.arange(5.0) ** 2]
    )
    assert aliased_columns(x) == aliased_by_rows(x) == [2, 3]


def test_wide_and_empty_designs():
    rng = np.random.default_rng(1)
    wide = rng.normal(size=(3, 6))
    assert aliased_columns(wide) == aliased_by_rows(wide) == [3, 4, 5]
    assert aliased_columns(np.zeros((4, 0))) == []
