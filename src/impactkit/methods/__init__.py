"""Valuation methods: SROI (and, as they land, cost-benefit, cost-effectiveness,
avoided public costs and outcome-based contracts).

Every method evaluates values through the one kernel of :mod:`impactkit.kernel`.
"""

from __future__ import annotations

from impactkit.methods._sroi import Lineage, SROIResult, Summary, discounted_payback, sroi

__all__ = ["Lineage", "SROIResult", "Summary", "discounted_payback", "sroi"]
