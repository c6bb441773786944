"""Valuation methods: SROI, cost-benefit, cost-effectiveness, avoided public costs,
outcome-based contracts, impact profiles and forecast-evaluation comparison.

Every method evaluates values through the one kernel of :mod:`impactkit.kernel`
and the discounting of :mod:`impactkit.discount`.

Layer: analyses (see the architecture page). Methods compute from the
model and the foundation; they read and write no file.
"""

from __future__ import annotations

from impactkit.methods._avoided import (
    AvoidedCostItem,
    AvoidedCostsResult,
    avoided_costs,
)
from impactkit.methods._cba import (
    PERSPECTIVES,
    CBAResult,
    cba,
    discounted_payback_period,
    irr,
    irr_roots,
    mirr,
    npv,
    xirr,
    xnpv,
)
from impactkit.methods._cea import (
    CostPerOutcome,
    cea_frontier,
    cost_per_outcome,
    cost_per_qaly,
    cost_per_wellby,
    icer,
    net_monetary_benefit,
    wellbys,
)
from impactkit.methods._contract import (
    ContractResult,
    ContractSimulation,
    OutcomesContract,
    PaymentRule,
    vectorised_irr,
)
from impactkit.methods._profile import (
    RISK_LEVELS,
    RISK_TYPES,
    ABCRules,
    ImpactProfile,
    compare,
    impact_profiles,
)
from impactkit.methods._sroi import Lineage, SROIResult, Summary, sroi
from impactkit.methods._weighted import WeightedOutcomes, weighted_outcomes

__all__ = [
    "PERSPECTIVES",
    "RISK_LEVELS",
    "RISK_TYPES",
    "ABCRules",
    "AvoidedCostItem",
    "AvoidedCostsResult",
    "CBAResult",
    "ContractResult",
    "ContractSimulation",
    "CostPerOutcome",
    "ImpactProfile",
    "Lineage",
    "OutcomesContract",
    "PaymentRule",
    "SROIResult",
    "Summary",
    "WeightedOutcomes",
    "avoided_costs",
    "cba",
    "cea_frontier",
    "compare",
    "cost_per_outcome",
    "cost_per_qaly",
    "cost_per_wellby",
    "discounted_payback_period",
    "icer",
    "impact_profiles",
    "irr",
    "irr_roots",
    "mirr",
    "net_monetary_benefit",
    "npv",
    "sroi",
    "vectorised_irr",
    "weighted_outcomes",
    "wellbys",
    "xirr",
    "xnpv",
]
