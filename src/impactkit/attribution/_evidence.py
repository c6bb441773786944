r"""Evidence on links: process-tracing tests, contribution tracing, the contribution story."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import pandas as pd

from impactkit._results import Summary, displayed, jsonable
from impactkit._validation import Checker
from impactkit.toc import TheoryOfChange

__all__ = [
    "CONFIDENCE_LABELS",
    "TEST_PRESETS",
    "ContributionStory",
    "EvidenceItem",
    "bayes_update",
    "contribution_story",
    "contribution_tracing",
]

TEST_PRESETS: dict[str, tuple[float, float]] = {
    "straw_in_the_wind": (0.6, 0.4),
    "hoop": (0.95, 0.6),
    "smoking_gun": (0.3, 0.05),
    "doubly_decisive": (0.95, 0.05),
}
"""Default (sensitivity, type-I error) of the process-tracing tests (Van Evera 1997; Collier
2011). **impactkit convention**: a hoop test is passed by almost every true claim (high
sensitivity) but also by many false ones; a smoking gun is rarely seen unless the claim is
true (low type-I error). Give your own probabilities whenever you can."""

CONFIDENCE_LABELS: tuple[tuple[float, str], ...] = (
    (0.99, "practically certain"),
    (0.95, "very confident"),
    (0.85, "confident"),
    (0.70, "more likely than not"),
    (0.50, "uncertain"),
    (0.0, "doubtful"),
)
"""Posterior thresholds and labels (**impactkit convention**, configurable)."""


def _ids(x: Any) -> tuple[Any, ...]:
    return (x,) if isinstance(x, str) else tuple(x)


def _check_citations(items: Sequence[EvidenceItem], evidence: Iterable[Any]) -> None:
    known = {getattr(e, "id", None) for e in evidence}
    c = Checker()
    for i, item in enumerate(items):
        for j, eid in enumerate(item.evidence_ids):
            if eid not in known:
                c.add(("items", i, "evidence_ids", j), "unknown_evidence",
                      f"no evidence record with id {eid!r}")  # fmt: skip
    c.raise_if_errors()


@attrs.frozen
class EvidenceItem:
    """One piece of evidence for a claim (usually a link of the theory of change).

    Parameters
    ----------
    description : str
        What the evidence is.
    test : {"straw_in_the_wind", "hoop", "smoking_gun", "doubly_decisive"}, optional
        Process-tracing test type; fills sensitivity and type-I error from
        :data:`TEST_PRESETS` when they are not given.
    sensitivity : float, optional
        :math:`P(E | H)` [fraction].
    type_i_error : float, optional
        :math:`P(E | \\neg H)` [fraction].
    observed : bool, default True
        Whether the evidence was found (a failed hoop test is evidence too).
    source : str, optional
    evidence_ids : sequence of str, optional
        Ids of the :class:`impactkit.qualitative.Evidence` records the claim
        cites (checked by :func:`contribution_tracing` when given ``evidence=``).

    Examples
    --------
    Claim: the job coaching of an *emploi accompagné* service led to the
    hires. A hoop test takes its probabilities from :data:`TEST_PRESETS`;
    other evidence gives its own:

    >>> hoop = EvidenceItem("A job coach visited before each hire", test="hoop")
    >>> hoop.probabilities
    (0.95, 0.6)
    >>> elsewhere = EvidenceItem("Hires rose as much in a service without coaching",
    ...                          sensitivity=0.3, type_i_error=0.7, observed=False)
    >>> elsewhere.observed, elsewhere.probabilities
    (False, (0.3, 0.7))
    """

    description: str
    test: str | None = None
    sensitivity: float | None = None
    type_i_error: float | None = None
    observed: bool = True
    source: str = ""
    evidence_ids: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_ids)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.description, "description", empty=False)
        for j, eid in enumerate(self.evidence_ids):
            c.text(eid, ("evidence_ids", j), empty=False)
        if self.test is not None:
            c.choice(self.test, "test", tuple(TEST_PRESETS))
        elif self.sensitivity is None or self.type_i_error is None:
            c.add("test", "missing", "give a test type or both sensitivity and type_i_error")
        for f in ("sensitivity", "type_i_error"):
            v = getattr(self, f)
            if v is not None:
                c.number(v, f, low=0.0, high=1.0)
        c.raise_if_errors()

    @property
    def probabilities(self) -> tuple[float, float]:
        """(sensitivity, type-I error), presets filling what is not given."""
        s0, a0 = TEST_PRESETS.get(self.test or "", (None, None))
        s = self.sensitivity if self.sensitivity is not None else s0
        a = self.type_i_error if self.type_i_error is not None else a0
        return float(s), float(a)  # type: ignore[arg-type]


def bayes_update(
    prior: float, *, sensitivity: float, type_i_error: float, observed: bool = True
) -> float:
    r"""Posterior probability of a claim after one piece of evidence (Befani & Stedman-Bryce).

    .. math::
        P(H|E) = \frac{P(E|H)P(H)}{P(E|H)P(H) + P(E|\neg H)(1 - P(H))}

    and, when the evidence was looked for and not found, the same with
    :math:`1 - P(E|H)` and :math:`1 - P(E|\neg H)`.

    Parameters
    ----------
    prior : float
        Probability of the claim before the evidence [0-1].
    sensitivity : float
        P(evidence observed | claim true).
    type_i_error : float
        P(evidence observed | claim false).
    observed : bool, default True
        Whether the evidence was observed.

    Returns
    -------
    float
        The posterior probability.

    Examples
    --------
    >>> round(bayes_update(0.5, sensitivity=0.95, type_i_error=0.05), 4)
    0.95
    >>> round(bayes_update(0.5, sensitivity=0.95, type_i_error=0.6, observed=False), 4)
    0.1111
    """
    c = Checker()
    c.number(prior, "prior", low=0.0, high=1.0)
    c.number(sensitivity, "sensitivity", low=0.0, high=1.0)
    c.number(type_i_error, "type_i_error", low=0.0, high=1.0)
    c.raise_if_errors()
    s, a = (sensitivity, type_i_error) if observed else (1 - sensitivity, 1 - type_i_error)
    num = s * prior
    den = num + a * (1 - prior)
    return prior if den == 0 else num / den


def _label(p: float, labels: Sequence[tuple[float, str]]) -> str:
    for threshold, name in labels:
        if p >= threshold:
            return name
    return labels[-1][1]


def contribution_tracing(
    items: Iterable[EvidenceItem],
    *,
    prior: float = 0.5,
    labels: Sequence[tuple[float, str]] = CONFIDENCE_LABELS,
    evidence: Iterable[Any] | None = None,
) -> pd.DataFrame:
    """Update the confidence in a claim item by item (contribution tracing).

    Parameters
    ----------
    items : iterable of EvidenceItem
        The evidence, in the order it is weighed.
    prior : float, default 0.5
        Starting confidence in the claim.
    labels : sequence of (float, str)
        Thresholds and their confidence labels.
    evidence : iterable of qualitative.Evidence, optional
        The records the items may cite (``model.evidence``); an unknown id is
        an error at ``items[i].evidence_ids[j]``.

    Returns
    -------
    pandas.DataFrame
        One row per item: ``description``, ``test``, ``observed``, ``sensitivity``,
        ``type_i_error``, ``prior``, ``posterior``, ``label``, ``evidence_ids``
        (comma-separated); the last posterior is the confidence in the claim
        (use it as the link's ``confidence``).

    Raises
    ------
    ValidationError
        A ``prior`` that is not a number in [0, 1] (even without items), an
        item's probability outside [0, 1], or an evidence id not in
        ``evidence``.

    References
    ----------
    .. [1] Befani, B., Stedman-Bryce, G. (2017). Process tracing and Bayesian
       updating for impact evaluation. Evaluation 23(1).
    .. [2] Van Evera, S. (1997). Guide to Methods for Students of Political Science.

    Examples
    --------
    Claim: the job coaching of an *emploi accompagné* service led to the
    hires. A passed hoop test helps a little, a smoking gun a lot, and a
    comparison that did not show the same rise elsewhere a little more:

    >>> items = [
    ...     EvidenceItem("A job coach visited before each hire", test="hoop"),
    ...     EvidenceItem("Employers say they hired because a coach was there",
    ...                  test="smoking_gun"),
    ...     EvidenceItem("Hires rose as much in a service without coaching",
    ...                  sensitivity=0.3, type_i_error=0.7, observed=False),
    ... ]
    >>> contribution_tracing(items, prior=0.5)[["prior", "posterior", "label"]].round(4)
        prior  posterior           label
    0  0.5000     0.6129       uncertain
    1  0.6129     0.9048       confident
    2  0.9048     0.9568  very confident
    """
    items = list(items)
    c = Checker()
    c.number(prior, "prior", low=0.0, high=1.0)  # checked even without items
    c.raise_if_errors()
    if evidence is not None:
        _check_citations(items, evidence)
    rows = []
    p = prior
    for item in items:
        s, a = item.probabilities
        post = bayes_update(p, sensitivity=s, type_i_error=a, observed=item.observed)
        rows.append(
            {
                "description": item.description,
                "test": item.test,
                "observed": item.observed,
                "sensitivity": s,
                "type_i_error": a,
                "prior": p,
                "posterior": post,
                "label": _label(post, labels),
                "evidence_ids": ", ".join(item.evidence_ids),
            }
        )
        p = post
    return pd.DataFrame(
        rows,
        columns=[
            "description",
            "test",
            "observed",
            "sensitivity",
            "type_i_error",
            "prior",
            "posterior",
            "label",
            "evidence_ids",
        ],
    )


@displayed
@attrs.frozen
class ContributionStory:
    """The state of the evidence behind a theory of change.

    Parameters
    ----------
    links : DataFrame
        ``source``, ``target``, ``evidence``, ``strength``, ``status``
        (``supported``, ``weak`` or ``unsupported``), ``rationale``.
    assumptions : DataFrame
        Assumptions needing attention: ``source``, ``target``, ``assumption``,
        ``status`` (untested, partly, fails or missing).
    pathways : DataFrame
        Every activity-to-outcome pathway with its confidence (weakest link)
        and its weakest link.

    Examples
    --------
    :func:`contribution_story` returns it; here for the theory of change of
    the supported-employment example:

    >>> import impactkit as ik
    >>> story = contribution_story(ik.examples.load_example().toc)
    >>> story.links["status"].value_counts().to_dict()
    {'weak': 14, 'supported': 2}
    >>> story.assumptions[["target", "status"]]
                    target    status
    0         employed_12m    partly
    1  inclusive_employers  untested
    2        carer_respite    partly
    3      quality_of_life    partly
    4    fewer_emergencies    partly
    >>> story.pathways.loc[0, "weakest_link"]
    'coaching->sessions'
    """

    links: pd.DataFrame = attrs.field(eq=False)
    assumptions: pd.DataFrame = attrs.field(eq=False)
    pathways: pd.DataFrame = attrs.field(eq=False)

    def to_frame(self) -> pd.DataFrame:
        """The links with their status (a copy).

        Returns
        -------
        pandas.DataFrame
            ``source``, ``target``, ``evidence``, ``strength``, ``status``, ``rationale``.
        """
        return self.links.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the three tables as lists of records.

        Returns
        -------
        dict
            ``links``, ``assumptions`` and ``pathways``.
        """
        return dict(
            jsonable(
                {"links": self.links, "assumptions": self.assumptions, "pathways": self.pathways}
            )
        )

    def summary(self) -> Summary:
        """Counts for people; the tables hold the detail.

        Returns
        -------
        Summary
        """
        st = self.links["status"].value_counts()
        lines = (
            ("Links", str(len(self.links))),
            ("Supported", str(int(st.get("supported", 0)))),
            ("Weak", str(int(st.get("weak", 0)))),
            ("Unsupported", str(int(st.get("unsupported", 0)))),
            ("Assumptions to test", str(len(self.assumptions))),
        )
        weak = self.links[self.links["status"] != "supported"]
        return Summary("Contribution story", lines, weak if len(weak) else None)


def contribution_story(
    toc: TheoryOfChange, *, weak_below: float = 0.6, max_paths: int = 10_000
) -> ContributionStory:
    """List unsupported or weak links and untested assumptions of a theory of change.

    A link is *unsupported* with no evidence level, confidence or rationale,
    *weak* when its strength (:attr:`~impactkit.toc.Link.strength`) is below
    ``weak_below`` (evidence level 1-2 by default), *supported* otherwise.
    Steps 4-6 of Mayne's contribution analysis start from this list.

    Parameters
    ----------
    toc : TheoryOfChange
    weak_below : float, default 0.6
        Strength under which a link is weak.
    max_paths : int, default 10,000
        Most pathways listed (whole number >= 0); paths are enumerated lazily,
        so the limit also bounds the work on a densely linked graph.

    Returns
    -------
    ContributionStory

    Raises
    ------
    ValidationError
        When ``weak_below`` is not in [0, 1] or ``max_paths`` is not a whole
        number >= 0.

    References
    ----------
    .. [1] Mayne, J. (2008). Contribution analysis: an approach to exploring cause
       and effect. ILAC brief 16.

    Examples
    --------
    Which links of the supported-employment example need more evidence:

    >>> import impactkit as ik
    >>> story = contribution_story(ik.examples.load_example().toc)
    >>> supported = story.links[story.links["status"] == "supported"]
    >>> list(zip(supported["source"], supported["target"]))
    [('sessions', 'employed_12m'), ('employed_12m', 'public_revenue')]
    >>> len(story.links), len(story.assumptions)
    (16, 5)
    """
    c = Checker()
    c.number(weak_below, "weak_below", low=0.0, high=1.0)
    c.number(max_paths, "max_paths", low=0, integer=True)
    c.raise_if_errors()
    link_rows = []
    asm_rows = []
    for lk in toc.links:
        if lk.evidence is None and lk.confidence is None and not lk.rationale:
            status = "unsupported"
        elif lk.strength < weak_below:
            status = "weak"
        else:
            status = "supported"
        link_rows.append(
            {
                "source": lk.source,
                "target": lk.target,
                "evidence": lk.evidence,
                "strength": lk.strength,
                "status": status,
                "rationale": lk.rationale,
            }
        )
        for a in lk.assumptions:
            if a.status in (None, "untested", "partly", "fails"):
                asm_rows.append(
                    {
                        "source": lk.source,
                        "target": lk.target,
                        "assumption": a.text,
                        "status": a.status or "missing",
                    }
                )
    path_rows: list[dict[str, Any]] = []
    limit = int(max_paths)
    every_path = (  # lazily: no pair is searched once the limit is reached
        (act, out, path)
        for act in toc.nodes_of_kind("activity")
        for out in toc.reachable_outcomes(act)
        for path in toc.pathways(act, out, limit=limit)
    )
    for act, out, path in itertools.islice(every_path, limit):
        strengths = [toc.link(u, v).strength for u, v in itertools.pairwise(path)]
        i = min(range(len(strengths)), key=strengths.__getitem__)
        path_rows.append(
            {
                "activity": act,
                "outcome": out,
                "path": " -> ".join(path),
                "confidence": strengths[i],
                "weakest_link": f"{path[i]}->{path[i + 1]}",
            }
        )
    return ContributionStory(
        pd.DataFrame(
            link_rows, columns=["source", "target", "evidence", "strength", "status", "rationale"]
        ),
        pd.DataFrame(asm_rows, columns=["source", "target", "assumption", "status"]),
        pd.DataFrame(
            path_rows, columns=["activity", "outcome", "path", "confidence", "weakest_link"]
        ),
    )
