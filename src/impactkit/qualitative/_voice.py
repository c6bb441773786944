"""Stakeholder voice: what a report may show of the qualitative evidence, computed once.

:func:`stakeholder_voice` gathers the consented quotes by outcome, the themes
with their counts, the triangulation table with confidence and the engagement
by stakeholder. Evidence without consent is filtered out here, before any
writer sees it; only their number is kept, so a report can say that some
testimony was heard but withheld.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable, Sequence
from typing import Any

import attrs
import pandas as pd

from impactkit._results import Summary, displayed, jsonable
from impactkit.errors import ImpactkitWarning, ValidationError
from impactkit.qualitative._records import (
    Engagement,
    Evidence,
    consented,
    personal_data,
    pseudonymise,
)
from impactkit.qualitative._triangulate import evidence_for, triangulate

__all__ = ["QUOTE_COLUMNS", "StakeholderVoice", "stakeholder_voice"]

QUOTE_COLUMNS = ("outcome", "id", "kind", "stakeholder", "direction", "text", "source", "date")
THEME_COLUMNS = ("theme", "count", "n_sources")
ENGAGEMENT_COLUMNS = ("stakeholder", "records", "people", "methods", "stages")


def _personal_data_kinds(e: Evidence) -> list[str]:
    """The kinds of personal data in the texts of a record that :func:`pseudonymise` redacts."""
    texts = (
        e.id,
        e.text,
        e.person,
        e.source,
        e.selection_reason,
        e.significance,
        e.contribution,
        e.substantiation,
        e.driver,
        *e.themes,
    )
    return sorted({kind for t in texts for kind, _, _ in personal_data(t)})


@displayed
@attrs.frozen
class StakeholderVoice:
    """The stakeholder-voice section of a report, consent already applied.

    Returned by :func:`stakeholder_voice`. Evidence without consent is
    filtered out before this object is built: its text never reaches any
    table here, only its number (``n_withheld``); the names of the people
    recorded as speakers are pseudonymised in every text shown.

    Parameters
    ----------
    quotes : pandas.DataFrame
        Consented evidence by outcome, one row per (outcome, record):
        ``outcome``, ``id``, ``kind``, ``stakeholder``, ``direction``,
        ``text``, ``source``, ``date``.
    themes : pandas.DataFrame
        ``theme``, ``count`` (consented records carrying it), ``n_sources``
        (distinct sources among them); most frequent first, then by name.
    triangulation : pandas.DataFrame
        :func:`~impactkit.qualitative.triangulate` on consented evidence,
        indexed by outcome (supporting and contradicting records,
        stakeholders heard, confidence).
    engagement : pandas.DataFrame
        By stakeholder: ``stakeholder``, ``records``, ``people`` (sum of the
        records' ``n``), ``methods`` and ``stages`` (comma-separated, in
        first-seen order).
    n_evidence : int, default 0
        Consented records shown.
    n_withheld : int, default 0
        Records left out for lack of consent (counted, never shown).

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit import qualitative as ql
    >>> _, ev, eng = ik.examples.load_example_interviews()
    >>> v = ql.stakeholder_voice(ik.sroi(ik.examples.load_example()), evidence=ev,
    ...                          engagement=eng)
    >>> sorted(v.to_dict())
    ['engagement', 'n_evidence', 'n_withheld', 'quotes', 'themes', 'triangulation']
    """

    quotes: pd.DataFrame = attrs.field(eq=False, repr=False)
    themes: pd.DataFrame = attrs.field(eq=False, repr=False)
    triangulation: pd.DataFrame = attrs.field(eq=False, repr=False)
    engagement: pd.DataFrame = attrs.field(eq=False, repr=False)
    n_evidence: int = 0
    n_withheld: int = 0

    @property
    def empty(self) -> bool:
        """True when there is nothing to show (no evidence and no engagement)."""
        return not self.n_evidence and not self.n_withheld and not len(self.engagement)

    def to_frame(self) -> pd.DataFrame:
        """The quotes table (a copy).

        Returns
        -------
        pandas.DataFrame
        """
        return self.quotes.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: quotes, themes, triangulation, engagement and the counts.

        Returns
        -------
        dict
        """
        return dict(
            jsonable(
                {
                    "quotes": self.quotes,
                    "themes": self.themes,
                    "triangulation": self.triangulation.reset_index(),
                    "engagement": self.engagement,
                    "n_evidence": self.n_evidence,
                    "n_withheld": self.n_withheld,
                }
            )
        )

    def summary(self) -> Summary:
        """Counts for people, with the triangulation table.

        Returns
        -------
        Summary
        """
        lines = (
            ("Evidence shown (consented)", str(self.n_evidence)),
            ("Evidence withheld (no consent)", str(self.n_withheld)),
            ("Themes", str(len(self.themes))),
            ("Stakeholder groups engaged", str(len(self.engagement))),
        )
        tri = self.triangulation.reset_index()
        cols = ["outcome", "supports", "contradicts", "stakeholders_heard", "confidence"]
        return Summary("Stakeholder voice", lines, tri[cols] if len(tri) else None)


def _engagement_table(engagement: Sequence[Engagement]) -> pd.DataFrame:
    rows = []
    by: dict[str, list[Engagement]] = {}
    for g in engagement:
        by.setdefault(g.stakeholder, []).append(g)
    for sh, gs in by.items():
        rows.append(
            {
                "stakeholder": sh,
                "records": len(gs),
                "people": sum(g.n for g in gs),
                "methods": ", ".join(dict.fromkeys(g.method for g in gs)),
                "stages": ", ".join(dict.fromkeys(g.stage for g in gs)),
            }
        )
    return pd.DataFrame(rows, columns=ENGAGEMENT_COLUMNS)


def stakeholder_voice(
    result: Any,
    *,
    evidence: Iterable[Evidence] | None = None,
    engagement: Iterable[Engagement] | None = None,
    personal_names: Sequence[str] = (),
    judgements: Any = None,
) -> StakeholderVoice:
    """What a report shows of stakeholders' words, with consent applied.

    Parameters
    ----------
    result : SROIResult
        Gives the valued outcomes; its model gives the evidence and the
        engagement unless they are passed.
    evidence, engagement : iterable, optional
        Override the model's records.
    personal_names : sequence of str
        Further names to pseudonymise in every text shown
        (:func:`pseudonymise`); the ``person`` of every record, consented or
        not, is always pseudonymised, in any case, accent or Unicode form,
        in ids and sources too. Personal data (NIR, IBAN, phone numbers,
        e-mail and postal addresses, see :func:`personal_data`) is redacted.
    judgements : mapping, optional
        CERQual judgements by outcome (see :func:`triangulate`).

    Returns
    -------
    StakeholderVoice

    Warns
    -----
    ImpactkitWarning
        When personal data was redacted from a consented record, naming the
        (pseudonymised) record and the kinds found: the sources hold it, and
        a report would have shown it.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit import qualitative as ql
    >>> _, ev, eng = ik.examples.load_example_interviews()
    >>> model = ik.examples.load_example().evolve(evidence=ev, engagement=eng)
    >>> v = ql.stakeholder_voice(ik.sroi(model))
    >>> v.n_withheld > 0 and all(v.quotes["id"].isin([e.id for e in ev if e.consent]))
    True
    """
    model = getattr(result, "model", None)
    if evidence is None:
        evidence = getattr(model, "evidence", ())
    if engagement is None:
        engagement = getattr(model, "engagement", ())
    items = list(evidence)
    if any(not isinstance(e, Evidence) for e in items):
        raise ValidationError("evidence holds Evidence records only", path=("evidence",))
    shown = consented(items)
    withheld = len(items) - len(shown)
    # The speakers recorded on any record are personal names, wherever they appear.
    names = list(dict.fromkeys([*(e.person for e in items if e.person.strip()), *personal_names]))
    found = [_personal_data_kinds(e) for e in shown]
    shown = pseudonymise(shown, names)
    redacted = [f"{e.id!r} ({', '.join(k)})" for e, k in zip(shown, found, strict=True) if k]
    if redacted:
        warnings.warn(
            "personal data redacted from the evidence a report shows (check the sources): "
            + "; ".join(redacted),
            ImpactkitWarning,
            stacklevel=2,
        )
    tri = triangulate(result, shown, judgements=judgements, consented_only=True)
    quotes = []
    for outcome in tri.index:
        for e in evidence_for(str(outcome), shown):
            quotes.append(
                {
                    "outcome": outcome,
                    "id": e.id,
                    "kind": e.kind,
                    "stakeholder": e.stakeholder,
                    "direction": e.direction,
                    "text": e.text,
                    "source": e.source,
                    "date": e.date,
                }
            )
    counts: dict[str, set[str]] = {}
    n: dict[str, int] = {}
    for e in shown:
        for th in dict.fromkeys(e.themes):
            n[th] = n.get(th, 0) + 1
            counts.setdefault(th, set()).add(e.source or e.id)
    themes = pd.DataFrame(
        [{"theme": k, "count": n[k], "n_sources": len(counts[k])} for k in n],
        columns=THEME_COLUMNS,
    )
    if len(themes):
        themes = themes.sort_values(["count", "theme"], ascending=[False, True]).reset_index(
            drop=True
        )
    engs = list(engagement)
    if any(not isinstance(g, Engagement) for g in engs):
        raise ValidationError("engagement holds Engagement records only", path=("engagement",))
    return StakeholderVoice(
        quotes=pd.DataFrame(quotes, columns=QUOTE_COLUMNS),
        themes=themes,
        triangulation=tri,
        engagement=_engagement_table(engs),
        n_evidence=len(shown),
        n_withheld=withheld,
    )
