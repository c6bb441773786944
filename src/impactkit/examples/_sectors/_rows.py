"""Rows of the examples' value maps, and the pieces several examples share.

A row whose deadweight and attribution say why they are set (:func:`row`),
with the marginal-share note of an average cost counted as a saving (a
hospital stay avoided), and the rows that recur from one example to another
with the same proxy and counterfactual: health-related quality of life valued
at the French value of a life-year (:func:`qaly_row`), an emergency visit
avoided (:func:`emergency_row`). Each example gives what differs (its
stakeholder, quantity, deadweight, attribution and why).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Any

from impactkit import dist, measure
from impactkit.examples._sectors._common import catalogue_proxy, marginal_note
from impactkit.model import OutcomeValuation
from impactkit.valuation import FinancialProxy

__all__ = [
    "JUDGEMENT",
    "emergency_row",
    "qaly_gain",
    "qaly_proxy",
    "qaly_row",
    "row",
    "weekly_job_proxy",
]

JUDGEMENT: Mapping[str, str] = MappingProxyType({"deadweight": "judgement"})
"""Evidence grade of a deadweight set by judgement, the usual case of the examples."""

EMERGENCY_NOTE = (
    "Of the 227 EUR mean cost of a visit, about 80 EUR are the acts and consultations "
    "(Sénat report n° 685, 2016-2017)."
)
"""Why a share only of an emergency visit's average cost is released when one is avoided."""


def row(
    outcome: str,
    stakeholder: str,
    label: str,
    *,
    why_deadweight: str,
    why_attribution: str,
    marginal: tuple[float, str] | None = None,
    evidence: Mapping[str, str] = JUDGEMENT,
    **fields: Any,
) -> OutcomeValuation:
    """A row of a value map whose deadweight and attribution say why they are set.

    ``fields`` are the row's own, as :class:`~impactkit.model.OutcomeValuation`
    takes them (``indicator``, ``quantity``, ``proxy``, ``deadweight``,
    ``attribution``, ``duration``, ``drop_off``). ``marginal`` is, for an
    average cost counted as a saving, the share of it kept in the sensitivity
    case and why (the proxy's note, see
    :func:`~impactkit.examples._sectors._common.marginal_note`).
    """
    sources = {"deadweight": why_deadweight, "attribution": why_attribution}
    if marginal is not None:
        sources["proxy"] = marginal_note(*marginal)
    return OutcomeValuation(
        outcome=outcome,
        stakeholder=stakeholder,
        label=label,
        sources=sources,
        evidence=dict(evidence),
        **fields,
    )


def qaly_gain(data: str) -> measure.QALYGain:
    """QALYs of the year followed, EQ-5D-5L at entry and at 12 months (``_t0``, ``_t1``)
    scored with the French value set (Andrade et al. 2020); undiscounted because the
    model discounts the row's flows."""
    return measure.QALYGain(baseline="t0", followup="t1", horizon=1, value_set="france", data=data)


def qaly_proxy() -> FinancialProxy:
    """A year in full health (QALY) valued at the value of a life-year recommended in
    France (catalogue ``valeur_annee_vie``)."""
    return catalogue_proxy(
        "valeur_annee_vie",
        unit="QALY",
        description="Une année en pleine santé (QALY), valorisée à la valeur d'une année de "
        "vie recommandée en France",
    )


def weekly_job_proxy(description: str = "") -> FinancialProxy:
    """The net pay of one weekly hour at the minimum wage for 52 weeks (catalogue
    ``smic_horaire_net``); ``description`` replaces the default one."""
    return catalogue_proxy(
        "smic_horaire_net",
        times=52,
        unit="weekly hour for a year",
        description=description
        or "Salaire net d'une heure hebdomadaire au SMIC pendant 52 semaines",
    )


def qaly_row(
    outcome: str,
    stakeholder: str,
    label: str,
    *,
    why_deadweight: str,
    why_attribution: str,
    indicator: str = "eq5d",
    **fields: Any,
) -> OutcomeValuation:
    """Health-related quality of life gained (QALYs, EQ-5D-5L), valued at the value of a
    life-year (:func:`qaly_proxy`), its deadweight set by judgement; ``fields`` as for
    :func:`row` (``quantity``, ``deadweight``, ``attribution``, ``duration``, ...)."""
    return row(
        outcome,
        stakeholder,
        label,
        why_deadweight=why_deadweight,
        why_attribution=why_attribution,
        indicator=indicator,
        proxy=qaly_proxy(),
        **fields,
    )


def emergency_row(
    *,
    quantity: Any,
    share: float,
    attribution: float,
    why_attribution: str,
    why_share: str = EMERGENCY_NOTE,
) -> OutcomeValuation:
    """Emergency-department visits avoided, for the health insurance, at the average cost
    of a visit (catalogue ``urgences_passage_cnam``) of which a ``share`` is released when
    one is avoided (sensitivity case); indicator ``ed_visits``, a deadweight of 40 % on
    average, sd 8 points (regression to the mean after a crisis year, judgement)."""
    return row(
        "fewer_emergencies",
        "assurance_maladie",
        "Passages aux urgences évités",
        indicator="ed_visits",
        quantity=quantity,
        proxy=catalogue_proxy("urgences_passage_cnam", unit="visit"),
        deadweight=dist.Beta(0.4, 0.08),
        attribution=attribution,
        why_deadweight="Emergency visits fall after a crisis year anyway "
        "(regression to the mean; judgement)",
        why_attribution=why_attribution,
        marginal=(share, why_share),
    )
