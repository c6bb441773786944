r"""Triangulation of valued outcomes with qualitative evidence, and CERQual confidence.

GRADE-CERQual (Lewin et al. 2018) judges confidence in a qualitative finding
from four components: methodological limitations, coherence, adequacy of
data and relevance, each with *no*, *minor*, *moderate* or *serious* concerns.
CERQual is a judgement, not an algorithm; impactkit's convention (
docs/methods/cerqual.md, configurable) scores the concerns 0, 1, 2, 3, starts at *high* and
downgrades one level per ``points_per_level`` points of total concern
(rounded up), and any single *serious* concern caps the result at *low*.
The rule is monotone: more concern never raises confidence.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import Problem, ValidationError
from impactkit.qualitative._records import Evidence, consented

__all__ = [
    "CERQUAL_COMPONENTS",
    "CONCERN_LEVELS",
    "CONFIDENCE_LEVELS",
    "TRIANGULATION_COLUMNS",
    "confidence",
    "evidence_for",
    "triangulate",
]

CONCERN_LEVELS: tuple[str, ...] = ("no", "minor", "moderate", "serious")
"""Concern levels of a CERQual component, scored 0 to 3."""
CONFIDENCE_LEVELS: tuple[str, ...] = ("high", "moderate", "low", "very low")
"""Confidence levels, highest first."""
CERQUAL_COMPONENTS: tuple[str, ...] = (
    "methodological_limitations",
    "coherence",
    "adequacy",
    "relevance",
)
"""The four CERQual components."""
TRIANGULATION_COLUMNS: tuple[str, ...] = (
    "stakeholder",
    "value",
    "share",
    "supports",
    "contradicts",
    "n_sources",
    "n_stakeholders",
    "stakeholders_heard",
    *CERQUAL_COMPONENTS,
    "confidence",
)


def confidence(
    *,
    methodological_limitations: str,
    coherence: str,
    adequacy: str,
    relevance: str,
    points_per_level: int = 2,
    serious_caps_at_low: bool = True,
) -> str:
    r"""Confidence in a qualitative finding (GRADE-CERQual, impactkit convention).

    Parameters
    ----------
    methodological_limitations, coherence, adequacy, relevance : str
        Concerns about each component: ``"no"``, ``"minor"``, ``"moderate"``
        or ``"serious"``.
    points_per_level : int, default 2
        Points of total concern (0-3 per component) that cost one level.
    serious_caps_at_low : bool, default True
        Any serious concern caps confidence at ``"low"``.

    Returns
    -------
    str
        ``"high"``, ``"moderate"``, ``"low"`` or ``"very low"``.

    Raises
    ------
    ValidationError
        Every component whose level is not a concern level.

    Notes
    -----
    With scores :math:`s_j \in \{0, 1, 2, 3\}`, the number of levels lost is
    :math:`\min(3, \lceil \sum_j s_j / p \rceil)`, and at least 2 when some
    :math:`s_j = 3`. Both terms are non-decreasing in every :math:`s_j`, so
    the rule is monotone [1]_.

    References
    ----------
    .. [1] Lewin, S. et al. (2018). Applying GRADE-CERQual to qualitative
       evidence synthesis findings. Implementation Science 13 (Suppl 1), 2.

    Examples
    --------
    >>> from impactkit import qualitative as ql
    >>> ql.confidence(methodological_limitations="minor", coherence="no",
    ...               adequacy="minor", relevance="no")
    'moderate'
    >>> ql.confidence(methodological_limitations="no", coherence="serious",
    ...               adequacy="no", relevance="no")
    'low'
    """
    given = {
        "methodological_limitations": methodological_limitations,
        "coherence": coherence,
        "adequacy": adequacy,
        "relevance": relevance,
    }
    probs = [
        Problem((k,), "invalid_choice", f"must be one of {CONCERN_LEVELS}, got {v!r}")
        for k, v in given.items()
        if v not in CONCERN_LEVELS
    ]
    if not (isinstance(points_per_level, int) and points_per_level >= 1):
        probs.append(Problem(("points_per_level",), "out_of_range", "must be a whole number >= 1"))
    if probs:
        raise ValidationError(probs)
    scores = [CONCERN_LEVELS.index(v) for v in given.values()]
    down = min(3, math.ceil(sum(scores) / points_per_level))
    if serious_caps_at_low and max(scores) == 3:
        down = max(down, 2)
    return CONFIDENCE_LEVELS[down]


def evidence_for(outcome: str, evidence: Iterable[Evidence]) -> list[Evidence]:
    """Evidence about an outcome: its node, or a link that ends at it."""
    return [
        e for e in evidence if outcome in e.nodes or any(t == outcome for _, t in e.link_pairs())
    ]


def _components(items: list[Evidence], own: str) -> dict[str, str]:
    """Default judgements from the evidence itself (impactkit convention)."""
    n = len(items)
    against = sum(e.direction == "contradicts" for e in items)
    sources = {e.source or e.id for e in items}
    share_against = against / n
    share_own = sum(e.stakeholder == own for e in items) / n
    return {
        "methodological_limitations": "minor" if len(sources) >= 2 else "moderate",
        "coherence": (
            "no"
            if share_against == 0
            else "minor"
            if share_against <= 0.2
            else "moderate"
            if share_against <= 0.4
            else "serious"
        ),
        "adequacy": "no" if n >= 6 else "minor" if n >= 3 else "moderate",
        "relevance": "no" if share_own >= 0.5 else "minor" if share_own > 0 else "moderate",
    }


def triangulate(
    result: Any,
    evidence: Iterable[Evidence],
    *,
    judgements: Mapping[str, Mapping[str, str]] | None = None,
    consented_only: bool = True,
    points_per_level: int = 2,
) -> pd.DataFrame:
    """Set each valued outcome beside the qualitative evidence about it.

    Parameters
    ----------
    result : SROIResult or WeightedOutcomes
        Its ``by_outcome`` table gives each outcome's value (present value,
        or weighted score) and share.
    evidence : iterable of Evidence
        Usually ``model.evidence``.
    judgements : mapping, optional
        Outcome to {component: concern level}: the analysts' CERQual
        judgements, which replace the default ones component by component.
    consented_only : bool, default True
        Count only evidence with consent (what a report may show).
    points_per_level : int, default 2
        See :func:`confidence`.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``outcome``: ``stakeholder``, ``value``, ``share``,
        ``supports``, ``contradicts``, ``n_sources``, ``n_stakeholders``,
        ``stakeholders_heard`` (comma-separated), the four CERQual components
        and ``confidence``.

    Notes
    -----
    Default judgements (impactkit convention, stated so they can be
    challenged): *adequacy* no concerns from 6 items, minor from 3, else
    moderate; *coherence* from the share of contradicting items (0: no,
    up to 20 %: minor, up to 40 %: moderate, more: serious); *relevance* no
    concerns when at least half the items come from the outcome's own
    stakeholder, minor when some do, else moderate; *methodological
    limitations* cannot be read from the records: minor with two or more
    independent sources, moderate with one (only a stated judgement gives
    "no"). An outcome without evidence is *very low*: it is assumed, not heard.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit import qualitative as ql
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=100)], outcomes=[
    ...     ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1, proxy=300)])
    >>> ev = [ql.Evidence(id="a", kind="testimony", text="oui", stakeholder="s",
    ...                   nodes=("o",), consent=True, source="i1")]
    >>> ql.triangulate(ik.sroi(m), ev)[["supports", "contradicts", "confidence"]]
             supports  contradicts confidence
    outcome
    o               1            0        low
    """
    bo = getattr(result, "by_outcome", None)
    if not isinstance(bo, pd.DataFrame) or "outcome" not in bo.columns:
        raise ValidationError(
            f"expected a result with a by_outcome table, got {type(result).__name__}",
            path=("result",),
            code="type",
        )
    items = list(evidence)
    bad = [i for i, e in enumerate(items) if not isinstance(e, Evidence)]
    if bad:
        raise ValidationError(
            [Problem(("evidence", i), "type", "expected an Evidence") for i in bad]
        )
    if consented_only:
        items = list(consented(items))
    value_col = "present_value" if "present_value" in bo.columns else "score"
    grouped = bo.groupby("outcome", sort=False).agg(
        stakeholder=("stakeholder", "first"), value=(value_col, "sum")
    )
    total = float(np.abs(grouped["value"]).sum())
    grouped["share"] = grouped["value"] / total if total else 0.0
    judgements = judgements or {}
    unknown = [k for k in judgements if k not in grouped.index]
    probs = [
        Problem(("judgements", k), "unknown_outcome", f"{k!r} is not a valued outcome")
        for k in unknown
    ]
    for k, comp in judgements.items():
        probs += [
            Problem(("judgements", k, c), "unknown_component", f"components: {CERQUAL_COMPONENTS}")
            for c in comp
            if c not in CERQUAL_COMPONENTS
        ]
    if probs:
        raise ValidationError(probs)
    rows = []
    for outcome, row in grouped.iterrows():
        mine = evidence_for(str(outcome), items)
        heard = sorted({e.stakeholder for e in mine if e.stakeholder})
        rec: dict[str, Any] = {
            "outcome": outcome,
            "stakeholder": row["stakeholder"],
            "value": float(row["value"]),
            "share": float(row["share"]),
            "supports": sum(e.direction == "supports" for e in mine),
            "contradicts": sum(e.direction == "contradicts" for e in mine),
            "n_sources": len({e.source or e.id for e in mine}),
            "n_stakeholders": len(heard),
            "stakeholders_heard": ", ".join(heard),
        }
        if mine:
            comps = {
                **_components(mine, str(row["stakeholder"])),
                **judgements.get(str(outcome), {}),
            }
            rec.update(comps)
            rec["confidence"] = confidence(
                methodological_limitations=comps["methodological_limitations"],
                coherence=comps["coherence"],
                adequacy=comps["adequacy"],
                relevance=comps["relevance"],
                points_per_level=points_per_level,
            )
        else:
            comps = dict(judgements.get(str(outcome), {}))
            rec.update({c: comps.get(c) for c in CERQUAL_COMPONENTS})
            rec["confidence"] = "very low"
        rows.append(rec)
    out = pd.DataFrame(rows, columns=["outcome", *TRIANGULATION_COLUMNS])
    return out.set_index("outcome")
