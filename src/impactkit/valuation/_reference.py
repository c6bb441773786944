"""Reference values of a unit of health and wellbeing, one constant each.

These are the values the methods and calculators use by default; each states
its currency, price year and source. Analyses in euros convert them explicitly
(docs/methods/conventions.md): nothing is converted silently.
"""

from __future__ import annotations

__all__ = [
    "QALY_GREEN_BOOK_2022",
    "WELLBY_GREEN_BOOK_2019",
    "WELLBY_HIGH_2019",
    "WELLBY_LOW_2019",
]

WELLBY_GREEN_BOOK_2019 = 13_000.0
"""Central value of one WELLBY, £ in 2019 prices (HM Treasury wellbeing guidance 2021; range
£10,000-£16,000)."""

QALY_GREEN_BOOK_2022 = 70_000.0
"""Value of one QALY for Green Book appraisal, £ (2022 edition)."""

WELLBY_LOW_2019 = 10_000.0
"""Low value of one WELLBY for sensitivity analysis, £ 2019 prices (same guidance)."""

WELLBY_HIGH_2019 = 16_000.0
"""High value of one WELLBY for sensitivity analysis, £ 2019 prices (same guidance)."""
