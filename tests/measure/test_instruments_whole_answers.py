"""The instruments' items take only the answers their forms offer: no fractions."""

from __future__ import annotations

import pandas as pd
import pytest

import impactkit as ik
from impactkit.measure import AUDIT, MCSI


@pytest.mark.parametrize(
    ("scale", "item", "answer"),
    [
        (AUDIT, "audit_3", 2.5),
        (AUDIT, "audit_9", 1),
        (MCSI, "mcsi_4", 0.5),
        (MCSI, "mcsi_13", 3),
    ],
)
def test_an_answer_the_form_does_not_offer_is_refused(scale, item, answer) -> None:  # type: ignore[no-untyped-def]
    row = dict.fromkeys(scale.items, 0) | {item: answer}
    with pytest.raises(ik.errors.ValidationError, match=item):
        scale.score(pd.DataFrame([row]))


def test_whole_answers_still_score() -> None:
    audit = dict.fromkeys(AUDIT.items, 4)
    mcsi = dict.fromkeys(MCSI.items, 1)
    assert AUDIT.score(pd.DataFrame([audit])).tolist() == [40.0]
    assert MCSI.score(pd.DataFrame([mcsi])).tolist() == [13.0]
