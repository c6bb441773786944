"""A measurement's summary shows its quantity to the unit, as its attribute holds it.

Six significant digits showed a count of 1,234,567 as 1.23457e+06.
"""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit import measure as m


@pytest.mark.parametrize(
    ("values", "shown"),
    [([1_234_567.0], "1234567"), ([1_234_567.5], "1234567.5"), ([0.125, 0.25], "0.375")],
)
def test_summary_shows_the_quantity(values, shown):
    r = m.Sum("hours").compute(pd.DataFrame({"hours": values}))
    (line,) = [v for k, v in r.summary().lines if k == "Quantity"]
    assert line == shown
    assert float(line) == r.quantity
