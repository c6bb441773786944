"""Measurement: output and outcome calculators that turn data rows into quantities.

A calculator stands wherever a quantity stands::

    OutcomeValuation(quantity=measure.Threshold(column="employed", at_least=1,
                                                data="survey"), ...)
    ik.sroi(model, data={"survey": df})

Filters are data (:class:`Condition`), never code. Every result counts the
rows it used (``n``) and those it could not (``missing``).

Questionnaires are declared as data too: a :class:`Scale` (items, reversed
items, range, scoring, prorating) stands wherever a column does
(``PrePost(..., measure=Scale(...))``); :func:`cronbach_alpha`,
:func:`mcdonald_omega` and :func:`item_total_correlations` give its
reliability, and :class:`ReliableChange` counts the change larger than the
instrument's noise (Jacobson & Truax 1991). Published instruments with a
free scoring ship as scales with their sourced norms and reliabilities:
:data:`SWEMWBS`, :data:`ONS4`, :data:`MCSI` (carers' strain) and
:data:`AUDIT` (alcohol), scoring only (docs/methods/scales.md).

Layer: analyses (see the architecture page). Calculators depend on the
foundation only; binding them to data uses the model.
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
from impactkit.measure._eq5d import (
    EQ5D5L_COLUMNS,
    EQ5D5L_DIMENSIONS,
    EQ5D5L_VALUE_SETS,
    EQ5DIndexResult,
    EQ5DValueSet,
    QALYGain,
    QALYResult,
    eq5d5l_index,
    qaly_proxy,
)
from impactkit.measure._filters import OPS, Condition
from impactkit.measure._instruments import AUDIT, AUDIT_NORMS, MCSI, MCSI_NORMS
from impactkit.measure._reliable_change import (
    ReliableChange,
    ReliableChangeResult,
    clinical_cutoff,
)
from impactkit.measure._scales import (
    ONS4,
    ONS4_NORMS,
    SWEMWBS,
    SWEMWBS_NORMS,
    ReliabilityResult,
    Scale,
    cronbach_alpha,
    item_total_correlations,
    mcdonald_omega,
)
from impactkit.measure._sites import measure_sites
from impactkit.measure._wellbeing import (
    LifeSatisfaction,
    wellby_proxy,
)

__all__ = [
    "AUDIT",
    "AUDIT_NORMS",
    "EQ5D5L_COLUMNS",
    "EQ5D5L_DIMENSIONS",
    "EQ5D5L_VALUE_SETS",
    "MCSI",
    "MCSI_NORMS",
    "ONS4",
    "ONS4_NORMS",
    "OPS",
    "SWEMWBS",
    "SWEMWBS_NORMS",
    "Condition",
    "Count",
    "DistanceTravelled",
    "EQ5DIndexResult",
    "EQ5DValueSet",
    "LifeSatisfaction",
    "MeasureResult",
    "PrePost",
    "Proportion",
    "QALYGain",
    "QALYResult",
    "ReliabilityResult",
    "ReliableChange",
    "ReliableChangeResult",
    "Scale",
    "Sum",
    "Threshold",
    "bind",
    "clinical_cutoff",
    "cronbach_alpha",
    "eq5d5l_index",
    "has_calculators",
    "is_calculator",
    "item_total_correlations",
    "mcdonald_omega",
    "measure_sites",
    "paired_t_interval",
    "qaly_proxy",
    "resolve",
    "wellby_proxy",
    "wilson_interval",
]
