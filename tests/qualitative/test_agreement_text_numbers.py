"""Ordered text codes that read as numbers must sort as numbers, or be given an order.

Codes read from a file as text ("1", "2", "9", "10") were sorted as text,
putting 10 between 1 and 2: the ordinal alpha and the weighted kappa used
that order silently.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest
from sklearn.metrics import cohen_kappa_score

from impactkit import qualitative as ql
from impactkit.errors import ValidationError

TEXT = np.array([["1", "2", "10", "9", "1", "9"], ["1", "2", "10", "10", "2", "9"]], dtype=object)
NUMS = TEXT.astype(float)


@pytest.mark.parametrize("kw", [{"metric": "ordinal"}, {"method": "cohen", "weights": "linear"}])
def test_text_numbers_in_text_order_are_refused(kw):
    with pytest.raises(ValidationError) as exc:
        ql.agreement(TEXT, **kw)
    (p,) = exc.value.problems
    assert (tuple(p.path), p.code) == (("order",), "ambiguous_order")
    assert "['1', '2', '9', '10']" in p.message


def test_with_the_order_they_agree_with_the_numbers():
    order = ["1", "2", "9", "10"]
    got = ql.agreement(TEXT, metric="ordinal", order=order).value
    ref = krippendorff.alpha(reliability_data=NUMS, level_of_measurement="ordinal")
    assert got == pytest.approx(ref, abs=1e-12)
    got = ql.agreement(TEXT, method="cohen", weights="linear", order=order).value
    assert got == pytest.approx(cohen_kappa_score(NUMS[0], NUMS[1], weights="linear"), abs=1e-12)


def test_nominal_and_single_digit_text_codes_are_read_as_before():
    assert ql.agreement(TEXT).value == ql.agreement(NUMS).value
    one_digit = np.array([["1", "2", "3", "4"], ["1", "2", "3", "3"]], dtype=object)
    ref = krippendorff.alpha(
        reliability_data=one_digit.astype(float), level_of_measurement="ordinal"
    )
    assert ql.agreement(one_digit, metric="ordinal").value == pytest.approx(ref, abs=1e-12)
