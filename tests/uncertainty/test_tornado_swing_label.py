"""The tornado's source label states the swing that moved a fixed value, unrounded."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit.uncertainty import tornado


@pytest.mark.parametrize(
    ("swing", "label"), [(0.2, "±20%"), (0.125, "±12.5%"), (0.004, "±0.4%"), (1.5, "±150%")]
)
def test_label_matches_the_values(swing: float, label: str) -> None:
    m = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1000)],
        outcomes=[ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=10, proxy=150)],
    )
    row = tornado(m, swing=swing, metric="net_present_value").set_index("parameter")
    q = row.loc["outcomes[0].quantity"]
    assert q["source"] == label
    assert q["high_value"] == pytest.approx(10 * (1 + swing))
