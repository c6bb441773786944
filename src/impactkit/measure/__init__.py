"""Measurement: output and outcome calculators that turn data rows into quantities.

A calculator stands wherever a quantity stands::

    OutcomeValuation(quantity=measure.Threshold(column="employed", at_least=1,
                                                data="survey"), ...)
    ik.sroi(model, data={"survey": df})

Filters are data (:class:`Condition`), never code. Every result counts the
rows it used (``n``) and those it could not (``missing``).
"""

from __future__ import annotations

from impactkit.measure._binding import bind, has_calculators, is_calculator, resolve
from impactkit.measure._calculators import (
    Count,
    DistanceTravelled,
    MeasureResult,
    PrePost,
    Proportion,
    Sum,
    Threshold,
    paired_t_interval,
    wilson_interval,
)
from impactkit.measure._filters import OPS, Condition
from impactkit.measure._sites import measure_sites
from impactkit.measure._wellbeing import (
    WELLBY_HIGH_2019,
    WELLBY_LOW_2019,
    WELLBY_VALUE_2019,
    LifeSatisfaction,
    wellby_proxy,
)

__all__ = [
    "OPS",
    "WELLBY_HIGH_2019",
    "WELLBY_LOW_2019",
    "WELLBY_VALUE_2019",
    "Condition",
    "Count",
    "DistanceTravelled",
    "LifeSatisfaction",
    "MeasureResult",
    "PrePost",
    "Proportion",
    "Sum",
    "Threshold",
    "bind",
    "has_calculators",
    "is_calculator",
    "measure_sites",
    "paired_t_interval",
    "resolve",
    "wellby_proxy",
    "wilson_interval",
]
