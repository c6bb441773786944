"""Evidence and engagement records: what stakeholders said, and how they were involved.

An :class:`Evidence` record is one piece of qualitative evidence (a testimony,
a Most Significant Change story, a harvested outcome, a causal claim, an
observation or a document) linked to nodes or links of the theory of change.
An :class:`Engagement` record says which stakeholders were involved, how, how
many, and at which stage of the analysis. Both are frozen values held by
:class:`~impactkit.ImpactModel` (fields ``evidence`` and ``engagement``).

Consent is part of the record: evidence without ``consent=True`` is used for
nothing that is published (reports, exports); :func:`consented` is the one
filter every writer calls.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from impactkit._validation import Checker, is_number
from impactkit.errors import Problem, ValidationError

__all__ = [
    "DIRECTIONS",
    "ENGAGEMENT_METHODS",
    "ENGAGEMENT_STAGES",
    "EVIDENCE_KINDS",
    "REDACTED",
    "Engagement",
    "Evidence",
    "consented",
    "evidence_problems",
    "personal_data",
    "pseudonymise",
    "redact_personal_data",
]

EVIDENCE_KINDS: tuple[str, ...] = (
    "testimony",
    "msc_story",
    "harvested_outcome",
    "causal_claim",
    "observation",
    "document",
)
"""Kinds of evidence: a testimony; a Most Significant Change story (Davies & Dart 2005);
a harvested outcome (Wilson-Grau & Britt 2012); a QuIP-style causal claim (Copestake et
al.); an observation; a document."""

DIRECTIONS: tuple[str, ...] = ("supports", "contradicts")
"""Whether a piece of evidence supports or contradicts what it is linked to."""

ENGAGEMENT_METHODS: tuple[str, ...] = (
    "interview",
    "focus_group",
    "survey",
    "workshop",
    "msc_panel",
    "outcome_harvesting",
    "quip",
    "observation",
    "other",
)
"""How stakeholders were involved."""

ENGAGEMENT_STAGES: tuple[str, ...] = (
    "scope",
    "outcomes",
    "evidence",
    "impact",
    "calculation",
    "reporting",
)
"""The six stages of an SROI (SROI Guide 2012): establishing scope and identifying
stakeholders, mapping outcomes, evidencing outcomes and giving them a value, establishing
impact, calculating the SROI, reporting and embedding."""

# Fields that belong to one kind only, and the kind's required fields.
_REQUIRED: dict[str, tuple[str, ...]] = {
    "msc_story": ("selection_reason",),
    "harvested_outcome": ("significance", "contribution"),
    "causal_claim": ("driver",),
}


def _strings(x: Any) -> Any:
    if isinstance(x, str):
        return (x,)
    if isinstance(x, Iterable):
        return tuple(x)
    return x


def _check_date(c: Checker, value: Any, path: str) -> None:
    if not c.text(value, path) or not value:
        return
    try:
        _dt.date.fromisoformat(value)
    except ValueError:
        c.add(path, "invalid_date", f"expected an ISO date (YYYY-MM-DD), got {value!r}")


def _check_ids(c: Checker, values: Any, path: str) -> None:
    if not isinstance(values, tuple):
        c.add(path, "type", "expected a list of ids")
        return
    for j, v in enumerate(values):
        c.text(v, (path, j), empty=False)


@attrs.frozen
class Evidence:
    """One piece of qualitative evidence linked to the theory of change.

    Parameters
    ----------
    id : str
        Identifier, unique in a model (cited by contribution claims).
    kind : str
        One of :data:`EVIDENCE_KINDS`.
    text : str
        The quote, story, outcome description, claim or observation (not empty).
    stakeholder : str, optional
        Stakeholder group the evidence comes from (a stakeholder id of the
        theory of change); empty for a document or an observation by staff.
    nodes : sequence of str, optional
        Nodes of the theory of change it is about.
    links : sequence of str, optional
        Links it is about, written ``"source->target"``.
    consent : bool, default False
        True only when the person agreed to the use of their words. Evidence
        without consent never appears in a report or an export.
    direction : {"supports", "contradicts"}, default "supports"
        Whether it supports or contradicts the nodes and links.
    source : str, optional
        Where it comes from (interview, document, coding reference).
    date : str, optional
        ISO date (``YYYY-MM-DD``).
    themes : sequence of str, optional
        Codes or themes given by the analysis.
    person : str, optional
        Who spoke, if recorded: personal data, pseudonymise before sharing
        (:func:`pseudonymise`).
    selection_reason : str, optional
        Most Significant Change: why the panel selected the story (required
        for ``msc_story``).
    significance, contribution, substantiation : str, optional
        Outcome Harvesting: why the outcome matters, how the intervention
        contributed (both required for ``harvested_outcome``), and what
        independent sources said.
    driver : str, optional
        QuIP causal claim: the driver of change named by the respondent
        (required for ``causal_claim``); the outcome is in ``nodes``.
    attributed : bool, optional
        QuIP causal claim: whether the respondent named the intervention.

    Raises
    ------
    ValidationError
        Every problem at once (unknown kind, empty text, bad date, a kind's
        required field missing).

    Examples
    --------
    >>> from impactkit import qualitative as ql
    >>> e = ql.Evidence(id="q1", kind="testimony", text="J'ai retrouvé confiance.",
    ...                 stakeholder="participants", nodes=("self_esteem",), consent=True)
    >>> e.nodes, e.direction
    (('self_esteem',), 'supports')
    """

    id: str = attrs.field(kw_only=True)
    kind: str = attrs.field(kw_only=True)
    text: str = attrs.field(kw_only=True)
    stakeholder: str = attrs.field(default="", kw_only=True)
    nodes: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_strings)
    links: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_strings)
    consent: bool = attrs.field(default=False, kw_only=True)
    direction: str = attrs.field(default="supports", kw_only=True)
    source: str = attrs.field(default="", kw_only=True)
    date: str = attrs.field(default="", kw_only=True)
    themes: tuple[str, ...] = attrs.field(default=(), kw_only=True, converter=_strings)
    person: str = attrs.field(default="", kw_only=True)
    selection_reason: str = attrs.field(default="", kw_only=True)
    significance: str = attrs.field(default="", kw_only=True)
    contribution: str = attrs.field(default="", kw_only=True)
    substantiation: str = attrs.field(default="", kw_only=True)
    driver: str = attrs.field(default="", kw_only=True)
    attributed: bool | None = attrs.field(default=None, kw_only=True)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.id, "id", empty=False)
        c.choice(self.kind, "kind", EVIDENCE_KINDS)
        c.text(self.text, "text", empty=False)
        c.choice(self.direction, "direction", DIRECTIONS)
        if not isinstance(self.consent, bool):
            c.add("consent", "type", f"expected true or false, got {self.consent!r}")
        if self.attributed is not None and not isinstance(self.attributed, bool):
            c.add("attributed", "type", f"expected true, false or null, got {self.attributed!r}")
        _check_ids(c, self.nodes, "nodes")
        _check_ids(c, self.links, "links")
        _check_ids(c, self.themes, "themes")
        if isinstance(self.links, tuple):
            for j, lk in enumerate(self.links):
                if isinstance(lk, str) and len([p for p in lk.split("->") if p.strip()]) != 2:
                    c.add(("links", j), "invalid", f"expected 'source->target', got {lk!r}")
        for f in (
            "stakeholder",
            "source",
            "person",
            "selection_reason",
            "significance",
            "contribution",
            "substantiation",
            "driver",
        ):
            c.text(getattr(self, f), f)
        _check_date(c, self.date, "date")
        for f in _REQUIRED.get(self.kind, ()):
            v = getattr(self, f)
            if isinstance(v, str) and not v.strip():
                c.add(f, "missing", f"a {self.kind} records its {f.replace('_', ' ')}")
        c.raise_if_errors()

    def link_pairs(self) -> tuple[tuple[str, str], ...]:
        """The links as ``(source, target)`` pairs.

        Each link written ``"source->target"`` is split at the arrow and its
        two ends stripped of surrounding spaces.

        Returns
        -------
        tuple of (str, str)
            One pair per link, in the order of ``links``; empty without links.

        Examples
        --------
        >>> from impactkit import qualitative as ql
        >>> e = ql.Evidence(id="q1", kind="testimony", text="Je sors plus souvent.",
        ...                 links=("activities -> social_ties",))
        >>> e.link_pairs()
        (('activities', 'social_ties'),)
        """
        out = []
        for lk in self.links:
            a, b = lk.split("->")
            out.append((a.strip(), b.strip()))
        return tuple(out)

    def to_dict(self) -> dict[str, Any]:
        """Plain data, default values left out (the model-file form).

        This is the form saved in a model file, so it keeps every field that
        differs from its default, ``text`` and ``person`` included, whatever
        ``consent``: reports and exports are what leave out evidence without
        consent.

        Returns
        -------
        dict
            Field name to value (sequences as lists) for every field that
            differs from its default; ``id``, ``kind`` and ``text`` always.

        Examples
        --------
        >>> from impactkit import qualitative as ql
        >>> d = ql.Evidence(id="q1", kind="testimony", text="J'ai retrouvé confiance.",
        ...                 nodes=("self_esteem",), consent=True).to_dict()
        >>> sorted(d)
        ['consent', 'id', 'kind', 'nodes', 'text']
        >>> d["nodes"]
        ['self_esteem']
        """
        return _plain(self)


@attrs.frozen
class Engagement:
    """How one stakeholder group was involved in the analysis.

    Parameters
    ----------
    stakeholder : str
        Stakeholder id (of the theory of change when the model has one).
    method : str
        One of :data:`ENGAGEMENT_METHODS`.
    n : int
        Number of people involved [people], at least 1.
    stage : str
        SROI stage, one of :data:`ENGAGEMENT_STAGES`.
    date : str, optional
        ISO date (``YYYY-MM-DD``).
    notes : str, optional
        Free text (who ran it, how people were invited).

    Examples
    --------
    >>> from impactkit import qualitative as ql
    >>> ql.Engagement(stakeholder="participants", method="interview", n=12,
    ...               stage="outcomes").n
    12
    """

    stakeholder: str = attrs.field(kw_only=True)
    method: str = attrs.field(kw_only=True)
    n: int = attrs.field(kw_only=True)
    stage: str = attrs.field(kw_only=True)
    date: str = attrs.field(default="", kw_only=True)
    notes: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.stakeholder, "stakeholder", empty=False)
        c.choice(self.method, "method", ENGAGEMENT_METHODS)
        if c.number(self.n, "n", low=1, integer=True) and is_number(self.n):
            object.__setattr__(self, "n", int(self.n))
        c.choice(self.stage, "stage", ENGAGEMENT_STAGES)
        _check_date(c, self.date, "date")
        c.text(self.notes, "notes")
        c.raise_if_errors()

    def to_dict(self) -> dict[str, Any]:
        """Plain data, default values left out (the model-file form).

        Returns
        -------
        dict
            Field name to value for every field that differs from its
            default; ``stakeholder``, ``method``, ``n`` and ``stage`` always.

        Examples
        --------
        >>> from impactkit import qualitative as ql
        >>> ql.Engagement(stakeholder="participants", method="interview", n=12,
        ...               stage="outcomes").to_dict()
        {'stakeholder': 'participants', 'method': 'interview', 'n': 12, 'stage': 'outcomes'}
        """
        return _plain(self)


def _plain(obj: Any) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for a in attrs.fields(type(obj)):
        v = getattr(obj, a.name)
        if a.default is not attrs.NOTHING and v == a.default:
            continue
        out[a.name] = list(v) if isinstance(v, tuple) else v
    return out


_EVIDENCE_FIELDS = {a.name for a in attrs.fields(Evidence)}
_ENGAGEMENT_FIELDS = {a.name for a in attrs.fields(Engagement)}


def from_plain(data: Any, cls: type[Any]) -> Any:
    """Build an Evidence or Engagement from plain data, unknown keys rejected.

    Raises
    ------
    ValidationError
        Unknown or missing keys, and every problem of the values.
    """
    if not isinstance(data, Mapping):
        raise ValidationError(f"expected a mapping, got {type(data).__name__}", code="type")
    allowed = _EVIDENCE_FIELDS if cls is Evidence else _ENGAGEMENT_FIELDS
    probs = [
        Problem((str(k),), "unknown_key", f"unknown key {k!r}") for k in data if k not in allowed
    ]
    required = [a.name for a in attrs.fields(cls) if a.default is attrs.NOTHING]
    probs += [
        Problem((k,), "missing", "required field is missing") for k in required if k not in data
    ]
    for k in ("nodes", "links", "themes"):
        if k in data and not isinstance(data[k], list | tuple):
            probs.append(Problem((k,), "type", "expected a list of ids"))
    if probs:
        raise ValidationError(probs)
    return cls(**{str(k): v for k, v in data.items()})


def evidence_problems(
    evidence: Sequence[Evidence],
    engagement: Sequence[Engagement],
    toc: Any,
) -> list[Problem]:
    """Cross-record problems: duplicate ids, unknown nodes, links and stakeholders.

    Parameters
    ----------
    evidence, engagement : sequence
        The model's records.
    toc : TheoryOfChange or None
        Nodes, links and stakeholders are checked against it when given.

    Returns
    -------
    list of Problem
        Paths such as ``evidence[2].nodes[0]``.
    """
    c = Checker()
    seen: dict[str, int] = {}
    for i, e in enumerate(evidence):
        if not isinstance(e, Evidence):
            c.add(("evidence", i), "type", f"expected an Evidence, got {type(e).__name__}")
            continue
        if e.id in seen:
            c.add(
                ("evidence", i, "id"),
                "duplicate_id",
                f"evidence id {e.id!r} is already used by evidence[{seen[e.id]}]",
            )
        seen.setdefault(e.id, i)
        if toc is None:
            continue
        for j, nid in enumerate(e.nodes):
            if nid not in toc:
                c.add(
                    ("evidence", i, "nodes", j),
                    "unknown_node",
                    f"node {nid!r} is not in the theory of change",
                )
        known_links = {(lk.source, lk.target) for lk in toc.links}
        for j, pair in enumerate(e.link_pairs()):
            if pair not in known_links:
                c.add(
                    ("evidence", i, "links", j),
                    "unknown_link",
                    f"link {pair[0]!r} -> {pair[1]!r} is not in the theory of change",
                )
        known_sh = {s.id for s in toc.stakeholders}
        if e.stakeholder and e.stakeholder not in known_sh:
            c.add(
                ("evidence", i, "stakeholder"),
                "unknown_stakeholder",
                f"stakeholder {e.stakeholder!r} is not in the theory of change",
            )
    for i, g in enumerate(engagement):
        if not isinstance(g, Engagement):
            c.add(("engagement", i), "type", f"expected an Engagement, got {type(g).__name__}")
            continue
        if toc is not None and g.stakeholder not in {s.id for s in toc.stakeholders}:
            c.add(
                ("engagement", i, "stakeholder"),
                "unknown_stakeholder",
                f"stakeholder {g.stakeholder!r} is not in the theory of change",
            )
    return c.problems


def consented(evidence: Iterable[Evidence]) -> tuple[Evidence, ...]:
    """The evidence that may be published: records with ``consent=True`` only.

    Every report, export and writer calls this before showing any evidence.

    Parameters
    ----------
    evidence : iterable of Evidence

    Returns
    -------
    tuple of Evidence
        In the same order.

    Examples
    --------
    >>> from impactkit import qualitative as ql
    >>> ev = [ql.Evidence(id="a", kind="testimony", text="oui", consent=True),
    ...       ql.Evidence(id="b", kind="testimony", text="non")]
    >>> [e.id for e in ql.consented(ev)]
    ['a']
    """
    return tuple(e for e in evidence if isinstance(e, Evidence) and e.consent is True)


def pseudonymise(
    evidence: Iterable[Evidence],
    names: Sequence[str] | Mapping[str, str],
    *,
    prefix: str = "P",
    redact: bool = True,
) -> tuple[Evidence, ...]:
    """Replace personal names in evidence by stable pseudonyms, and redact personal data.

    Testimony about disability, health or children is special-category
    personal data (GDPR art. 9): names listed as personal are replaced in
    ``id``, ``text``, ``person``, ``source``, ``themes`` and the free-text
    fields of every record (a source such as ``Entretien_Helene_Dupont.docx``
    carries the interviewee's name).

    Matching is on folded text: Unicode compatibility decomposition (text
    exported from macOS is decomposed, NFD), accents removed, case folded. A
    name matches whole words only, and the words of a name match whatever
    separates them (space, underscore, hyphen, apostrophe, dot): "Hélène
    Dupont" matches ``HELENE_DUPONT``, ``helene-dupont`` and the decomposed
    ``He\u0301le\u0300ne Dupont``. Longer names are replaced first (so
    "Marie Dupont" before "Marie").

    With ``redact``, French personal-data patterns are replaced by a marker
    (:data:`REDACTED`): a NIR (social security number, 13 digits and its
    2-digit key ``97 - (n mod 97)``, Corsica ``2A``/``2B`` read as 19/18,
    the key checked), a French IBAN (mod-97 checked), a phone number
    (``+33``/``0033``/``0`` then 9 digits, in the usual spacings), an
    e-mail address and a postal address (a street number, ``bis``/``ter``,
    a street type and its name, with or without a 5-digit postcode and a
    town). See :func:`personal_data`.

    Parameters
    ----------
    evidence : iterable of Evidence
    names : sequence of str or mapping of str to str
        The personal names; a mapping gives each its pseudonym. From a
        sequence, the k-th name (in the order given) becomes ``"[P{k}]"``,
        so the same list gives the same pseudonyms in every run. Names that
        fold to the same text are one name (the first pseudonym is used).
    prefix : str, default "P"
        Prefix of generated pseudonyms.
    redact : bool, default True
        Redact the personal-data patterns too.

    Returns
    -------
    tuple of Evidence
        New records. Ids stay distinct: an id that becomes equal to an
        earlier one gets a ``#2``, ``#3``... suffix.

    Raises
    ------
    ValidationError
        A name is empty or has no letter or digit.

    Examples
    --------
    >>> from impactkit import qualitative as ql
    >>> e = ql.Evidence(id="a", kind="testimony", text="Marie dit que PAUL l'aide.",
    ...                 person="Marie", source="Entretien_Marie.docx", consent=True)
    >>> out = ql.pseudonymise([e], ["Marie", "Paul"])[0]
    >>> out.text, out.person, out.source
    ("[P1] dit que [P2] l'aide.", '[P1]', 'Entretien_[P1].docx')
    >>> e = ql.Evidence(id="b", kind="testimony", text="Appelez-moi au 06 12 34 56 78.")
    >>> ql.pseudonymise([e], [])[0].text
    'Appelez-moi au [tél.].'
    """
    if isinstance(names, Mapping):
        pairs = [(str(k), str(v)) for k, v in names.items()]
    else:
        pairs = [(str(n), f"[{prefix}{k}]") for k, n in enumerate(names, start=1)]
    if any(not n.strip() for n, _ in pairs):
        raise ValidationError("personal names must not be empty", path=("names",), code="empty")
    mapping: dict[str, str] = {}
    for name, pseudonym in pairs:
        key = _name_key(name)
        if not key:
            raise ValidationError(
                f"personal name {name!r} has no letter or digit", path=("names",), code="empty"
            )
        mapping.setdefault(key, pseudonym)
    if not mapping and not redact:
        return tuple(evidence)
    pattern = None
    if mapping:
        ordered = sorted(mapping, key=len, reverse=True)
        pattern = re.compile(
            r"(?<![^\W_])("
            + "|".join(r"[\W_]+".join(map(re.escape, k.split(" "))) for k in ordered)
            + r")(?![^\W_])"
        )

    def sub(s: str) -> str:
        if redact:
            s = redact_personal_data(s)
        return s if pattern is None else _replace_names(s, pattern, mapping)

    fields = (
        "text",
        "person",
        "source",
        "selection_reason",
        "significance",
        "contribution",
        "substantiation",
        "driver",
    )
    out = []
    ids: set[str] = set()
    for e in evidence:
        changes: dict[str, Any] = {f: sub(getattr(e, f)) for f in fields}
        changes["themes"] = tuple(sub(t) for t in e.themes)
        new_id = base = sub(e.id)
        k = 1
        while new_id in ids:
            k += 1
            new_id = f"{base}#{k}"
        ids.add(new_id)
        changes["id"] = new_id
        out.append(attrs.evolve(e, **changes))
    return tuple(out)


# ------------------------------------------------------------------ name matching
def _fold(text: str) -> str:
    """Compatibility-decomposed, accents removed, case folded (may change the length)."""
    out = "".join(
        c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c)
    ).casefold()
    return "".join(c for c in unicodedata.normalize("NFKD", out) if not unicodedata.combining(c))


def _name_key(name: str) -> str:
    """The words of a folded name, joined by one space."""
    return " ".join(w for w in re.split(r"[\W_]+", _fold(name)) if w)


@functools.lru_cache(maxsize=65536)
def _fold_char(c: str) -> str:
    return _fold(c)


def _replace_names(text: str, pattern: re.Pattern[str], mapping: Mapping[str, str]) -> str:
    """``text`` with every match of ``pattern`` in its folded form replaced by its pseudonym."""
    if text.isascii():  # one character each way: no index to keep
        folded = text.lower()
        index: Sequence[int] = range(len(text))
        pieces: Sequence[str] = text
    else:
        pieces = [_fold_char(c) for c in text]
        index = [i for i, p in enumerate(pieces) for _ in p]
        folded = "".join(pieces)
    parts: list[str] = []
    last = 0
    for m in pattern.finditer(folded):
        start, end = index[m.start()], index[m.end() - 1] + 1
        if start < last:
            continue
        while end < len(text) and not pieces[end]:
            end += 1  # combining marks that follow the last letter
        parts += [text[last:start], mapping[_name_key(m.group(0))]]
        last = end
    parts.append(text[last:])
    return "".join(parts)


# ------------------------------------------------------------------ personal data
REDACTED: dict[str, str] = {
    "nir": "[NIR]",
    "iban": "[IBAN]",
    "email": "[e-mail]",
    "phone": "[tél.]",
    "address": "[adresse]",
}
"""The marker that replaces each kind of personal data found by :func:`personal_data`."""

_S = r"[ .\-\u00a0\u202f]?"
_NIR = re.compile(
    rf"(?<![\w+])[1-478](?:{_S}\d){{4}}{_S}(?:\d{{2}}|2[AaBb])(?:{_S}\d){{6}}{_S}\d{{2}}(?!\w)"
)
_IBAN = re.compile(r"(?<!\w)[Ff][Rr]\d{2}(?:[ \-\u00a0]?[0-9A-Za-z]){23}(?!\w)")
_PHONE = re.compile(
    rf"(?<![\w+])(?:(?:\+|00)\s?33{_S}(?:\(0\){_S})?|0)[1-9](?:{_S}\d{{2}}){{4}}(?!\d)"
)
_EMAIL = re.compile(r"(?<![\w.+\-])[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)*\.[^\W\d_]{2,}(?!\w)")
_STREET = (
    r"(?i:rue|avenue|av\.|boulevard|bd|allée|allee|impasse|chemin|place|route|quai|cours"
    r"|square|passage|résidence|residence|lotissement|hameau|lieu[- ]dit|sentier|voie"
    r"|rond[- ]point|faubourg|cité|cite|esplanade|promenade|parvis|villa|ruelle|sente"
    r"|montée|montee|domaine|clos)"
)
_TOWN = r"[A-ZÀ-ÖØ-Þ][\w'’\-]*(?:[ \-](?:[A-ZÀ-ÖØ-Þ][\w'’\-]*|(?i:sur|sous|en|le|la|les)))*"
_LINK = r"(?i:de|du|des|la|le|les|aux|au|sur|sous|en|saint|sainte|st|ste)"
_CAP = r"(?:(?i:[dl]['’]))?[A-ZÀ-ÖØ-Þ0-9][\w'’\-]*"
_WORD = r"(?:(?i:[dl]['’]))?[^\W_][\w'’\-]*"
_ADDRESS = re.compile(
    # number [bis] street-type [links] first word [capitalised words or links] [postcode [town]]
    rf"(?<![\w,])\d{{1,4}}(?:\s?(?i:bis|ter|quater|[a-d])\b)?,?\s+{_STREET}\b"
    rf"(?:\s+{_LINK}\b)*\s+(?!\d{{5}}\b){_WORD}(?:\s+(?!\d{{5}}\b)(?:{_LINK}\b|{_CAP}))*"
    rf"(?:,?\s+\d{{5}}(?:\s+{_TOWN})?)?"
    rf"|(?<![\w,])(?:0[1-9]|[1-8]\d|9[0-8])\d{{3}}\s+{_TOWN}"
)


def _nir_ok(match: str) -> bool:
    digits = re.sub(r"[^0-9AB]", "", match.upper())
    if len(digits) != 15:
        return False
    body = digits[:5] + {"2A": "19", "2B": "18"}.get(digits[5:7], digits[5:7]) + digits[7:13]
    return body.isdigit() and 97 - int(body) % 97 == int(digits[13:])


def _iban_ok(match: str) -> bool:
    code = re.sub(r"[^0-9A-Z]", "", match.upper())
    moved = code[4:] + code[:4]
    return len(code) == 27 and int("".join(str(int(c, 36)) for c in moved)) % 97 == 1


_KINDS: tuple[tuple[str, re.Pattern[str], Any], ...] = (
    ("iban", _IBAN, _iban_ok),
    ("nir", _NIR, _nir_ok),
    ("email", _EMAIL, None),
    ("phone", _PHONE, None),
    ("address", _ADDRESS, None),
)


def personal_data(text: str) -> list[tuple[str, int, int]]:
    """The French personal-data patterns found in ``text``: ``(kind, start, end)``.

    Kinds (keys of :data:`REDACTED`): ``"nir"`` (social security number with
    a valid key; Corsica ``2A``/``2B`` read as 19/18), ``"iban"`` (a French
    IBAN whose mod-97 check holds), ``"email"``, ``"phone"`` (``+33``,
    ``0033`` or ``0``, then nine digits, grouped by spaces, dots or hyphens,
    or not at all) and ``"address"`` (a street number, optionally ``bis``,
    ``ter``..., a street type such as ``rue`` or ``avenue`` and up to six
    words, then an optional postcode and town; or a 5-digit postcode
    followed by a capitalised town). Matches do not overlap; the earlier kind
    in that order wins.

    Parameters
    ----------
    text : str

    Returns
    -------
    list of (str, int, int)
        Sorted by position.

    Examples
    --------
    >>> from impactkit.qualitative import personal_data
    >>> text = "Mail : ana@exemple.fr, tél. +33 6 12 34 56 78, 12 bis rue des Lilas 75011 Paris"
    >>> [(kind, text[a:b]) for kind, a, b in personal_data(text)]  # doctest: +NORMALIZE_WHITESPACE
    [('email', 'ana@exemple.fr'), ('phone', '+33 6 12 34 56 78'),
     ('address', '12 bis rue des Lilas 75011 Paris')]
    """
    found: list[tuple[str, int, int]] = []
    taken = bytearray(len(text))
    for kind, regex, check in _KINDS:
        for m in regex.finditer(text):
            if check is not None and not check(m.group(0)):
                continue
            if any(taken[m.start() : m.end()]):
                continue
            taken[m.start() : m.end()] = b"\x01" * (m.end() - m.start())
            found.append((kind, m.start(), m.end()))
    return sorted(found, key=lambda x: x[1])


def redact_personal_data(text: str) -> str:
    """``text`` with every :func:`personal_data` match replaced by its :data:`REDACTED` marker.

    Parameters
    ----------
    text : str

    Returns
    -------
    str

    Examples
    --------
    >>> from impactkit.qualitative import redact_personal_data
    >>> redact_personal_data("NIR 2 95 10 99 126 111 93, IBAN FR76 3000 6000 0112 3456 7890 189")
    'NIR [NIR], IBAN [IBAN]'
    """
    out = text
    for kind, a, b in reversed(personal_data(text)):
        out = out[:a] + REDACTED[kind] + out[b:]
    return out
