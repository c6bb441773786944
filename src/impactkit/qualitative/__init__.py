"""Qualitative accountability: evidence, engagement, coded interviews, agreement, confidence.

The sector's account of its work is not only financial. This package records
what stakeholders said (:class:`Evidence`: testimony, Most Significant Change
stories, harvested outcomes, causal claims, observations, documents) and how
they were involved (:class:`Engagement`); it exchanges coded interviews with
qualitative data analysis software (REFI-QDA ``.qdpx``), measures inter-coder
agreement, sets each valued outcome beside the evidence about it and grades
confidence with GRADE-CERQual::

    from impactkit import qualitative as ql
    p = ql.read_qdpx("project.qdpx")
    evidence = ql.codings_to_evidence(p, {"Confiance": "self_esteem"})
    model = model.evolve(evidence=evidence, engagement=[
        ql.Engagement(stakeholder="participants", method="interview", n=12, stage="outcomes")])
    ql.triangulate(ik.sroi(model), model.evidence)

Consent is part of every record: evidence without ``consent=True`` never
appears in a report or an export (:func:`consented` is the filter writers
call), and :func:`pseudonymise` replaces personal names and redacts personal
data (:func:`personal_data`: NIR, IBAN, phone numbers, e-mail and postal addresses).
"""

from __future__ import annotations

from impactkit.qualitative._agreement import AGREEMENT_METHODS, Agreement, agreement
from impactkit.qualitative._qdpx import (
    MAX_MEMBER_BYTES,
    MAX_MEMBERS,
    MAX_TOTAL_BYTES,
    QdaProject,
    codings_to_evidence,
    read_qdpx,
    write_qdpx,
)
from impactkit.qualitative._records import (
    DIRECTIONS,
    ENGAGEMENT_METHODS,
    ENGAGEMENT_STAGES,
    EVIDENCE_KINDS,
    Engagement,
    Evidence,
    consented,
    personal_data,
    pseudonymise,
    redact_personal_data,
)
from impactkit.qualitative._triangulate import (
    CERQUAL_COMPONENTS,
    CONCERN_LEVELS,
    CONFIDENCE_LEVELS,
    confidence,
    triangulate,
)
from impactkit.qualitative._voice import StakeholderVoice, stakeholder_voice

__all__ = [
    "AGREEMENT_METHODS",
    "CERQUAL_COMPONENTS",
    "CONCERN_LEVELS",
    "CONFIDENCE_LEVELS",
    "DIRECTIONS",
    "ENGAGEMENT_METHODS",
    "ENGAGEMENT_STAGES",
    "EVIDENCE_KINDS",
    "MAX_MEMBERS",
    "MAX_MEMBER_BYTES",
    "MAX_TOTAL_BYTES",
    "Agreement",
    "Engagement",
    "Evidence",
    "QdaProject",
    "StakeholderVoice",
    "agreement",
    "codings_to_evidence",
    "confidence",
    "consented",
    "personal_data",
    "pseudonymise",
    "read_qdpx",
    "redact_personal_data",
    "stakeholder_voice",
    "triangulate",
    "write_qdpx",
]
