"""Qualitative accountability: evidence, engagement, codings, agreement, triangulation.
"""

from __future__ import annotations

from impactkit.qualitative._records import (
    DIRECTIONS,
    ENGAGEMENT_METHODS,
    ENGAGEMENT_STAGES,
    EVIDENCE_KINDS,
    Engagement,
    Evidence,
    consented,
    pseudonymise,
)

__all__ = [
    "DIRECTIONS",
    "ENGAGEMENT_METHODS",
    "ENGAGEMENT_STAGES",
    "EVIDENCE_KINDS",
    "Engagement",
    "Evidence",
    "consented",
    "pseudonymise",
]
