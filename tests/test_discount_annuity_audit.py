"""Annuity factors take whole numbers of years (docs/methods/discounting.md)."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit import discount


def test_annuity_factor_refuses_fractional_or_negative_years() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        discount.annuity_factor(discount.UK_GREEN_BOOK, 2.5, first=-2)  # type: ignore[arg-type]
    assert {p.path for p in exc.value.problems} == {("years",), ("first",)}
    with pytest.raises(ik.ValidationError):
        discount.annuity_factor(discount.UK_GREEN_BOOK, -3)


def test_annuity_factor_by_hand() -> None:
    # (1 - 1.035**-5) / 0.035 and the declining schedule over 40 years, chained
    assert discount.annuity_factor(discount.UK_GREEN_BOOK, 5) == pytest.approx(
        (1 - 1.035**-5) / 0.035
    )
    by_hand = sum(1.035**-t for t in range(1, 31)) + sum(
        1.035**-30 * 1.03 ** -(t - 30) for t in range(31, 41)
    )
    assert discount.annuity_factor(discount.GREEN_BOOK, 40) == pytest.approx(by_hand)
    assert discount.annuity_factor(discount.GREEN_BOOK, 0) == 0.0
