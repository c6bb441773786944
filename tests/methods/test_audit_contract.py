"""Outcomes contracts: achievements and cost per outcome (docs/methods/contracts.md)."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit.methods import OutcomesContract, PaymentRule


def _contract() -> OutcomesContract:
    return OutcomesContract(
        rules=[PaymentRule("jobs", price=4_000, period=2, threshold=50)], drawdowns=[300_000]
    )


def test_settle_refuses_a_nan_achievement_instead_of_paying_nothing() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        _contract().settle({"jobs": float("nan")})
    assert [p.path for p in exc.value.problems] == [("achieved", "jobs")]


def test_simulate_refuses_a_nan_fixed_achievement() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        _contract().simulate({"jobs": float("nan")}, n=10, seed=0)
    assert [p.path for p in exc.value.problems] == [("achieved", "jobs")]
