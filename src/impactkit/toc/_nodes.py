"""Frozen records of a theory of change: stakeholders, nodes, indicators, links."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from impactkit._results import FrozenDict
from impactkit._validation import Checker, identifier, is_number
from impactkit.errors import ValidationError

__all__ = [
    "ASSUMPTION_STATUSES",
    "EVIDENCE_LEVELS",
    "HORIZONS",
    "LINK_KINDS",
    "NODE_KINDS",
    "Assumption",
    "Indicator",
    "Link",
    "Node",
    "Stakeholder",
    "level_of",
]

NodeKind = Literal["input", "activity", "output", "outcome", "impact"]
NODE_KINDS: tuple[str, ...] = ("input", "activity", "output", "outcome", "impact")
HORIZONS: tuple[str, ...] = ("short", "intermediate", "long")
LINK_KINDS: tuple[str, ...] = ("causal", "feedback")
ASSUMPTION_STATUSES: tuple[str, ...] = ("untested", "holds", "partly", "fails")
DIRECTIONS: tuple[str, ...] = ("increase", "decrease")

EVIDENCE_LEVELS: dict[int, str] = {
    1: "described: what is done and why it should matter is set out logically",
    2: "correlated: data show the expected change, causality not shown",
    3: "causal: shown with a control or comparison group",
    4: "replicated: confirmed by one or more independent evaluations",
    5: "systematised: replicated consistently from manuals or systems",
}
"""The 1-5 evidence scale of links (Nesta Standards of Evidence, Puttick & Ludlow 2013)."""

_LEVELS = {"input": 0, "activity": 1, "output": 2, "outcome": 3, "impact": 7}
_HORIZON_LEVEL = {"short": 3, "intermediate": 4, "long": 5}


def level_of(kind: str, horizon: str | None) -> int:
    """Order of a node in the chain input < activity < output < outcome < impact.

    Outcomes rank short (3) < intermediate (4) < long (5); an outcome without a
    horizon ranks 3 and may link to any outcome.

    Parameters
    ----------
    kind : str
        Node kind.
    horizon : str or None
        Outcome horizon.

    Returns
    -------
    int
        Rank in the chain, lowest first.

    Examples
    --------
    >>> level_of("activity", None), level_of("output", None)
    (1, 2)
    >>> level_of("outcome", "short"), level_of("outcome", "long"), level_of("impact", None)
    (3, 5, 7)
    """
    if kind == "outcome" and horizon is not None:
        return _HORIZON_LEVEL[horizon]
    return _LEVELS[kind]


def _check_measure(c: Checker, measure: Any, stage: str) -> None:
    """A measurement calculator, and not one of the other stage.

    A node counts outputs (``stage="output"``), an indicator measures an
    outcome (``stage="outcome"``); a model file names the calculator in that
    stage's registry, so a built-in calculator of the other stage would be
    accepted here and refused when the file is read back. Calculators unknown
    to both (a plugin built in memory) are left to the caller.
    """
    if measure is None:
        return
    if not (
        callable(getattr(measure, "compute", None)) and callable(getattr(measure, "to_dict", None))
    ):
        c.add("measure", "type", f"expected a measurement calculator, got {measure!r}")
        return
    try:
        name = measure.to_dict().get("calculator")
    except Exception:  # a broken to_dict is reported where the file is written
        return
    from impactkit.registry import BUILTINS as builtins

    other = "outcome" if stage == "output" else "output"
    if name not in builtins[stage] and name in builtins[other]:
        c.add(
            "measure",
            "wrong_stage",
            f"{name!r} is an {other} calculator; here an {stage} calculator is needed "
            f"({', '.join(sorted(builtins[stage]))} or a plugin)",
        )


def _raise(c: Checker) -> None:
    c.raise_if_errors()


def _opt_number(c: Checker, value: Any, path: str) -> None:
    if value is not None and not isinstance(value, str):
        c.number(value, path)


def _str_dict(x: Mapping[str, str]) -> Mapping[str, str]:
    return FrozenDict(dict(x))  # read-only: records are values


def _tuple(x: Iterable[Any] | None) -> tuple[Any, ...]:
    return () if x is None else tuple(x)


@attrs.frozen
class Stakeholder:
    """A group of people or organisations that experiences or causes change.

    Parameters
    ----------
    id : str
        Unique identifier.
    label : str
        Name shown to people (not empty).
    size : int, optional
        Number of people in the group [people].
    description : str, optional
        Free text.
    income : float, optional
        Equivalised income of the group [currency/year], for distributional
        weights (:class:`impactkit.valuation.EquityWeights`).
    income_group : str, optional
        Income group of the stakeholders (e.g. an INSEE decile ``"D1"``), when
        incomes are known per group rather than per stakeholder.

    Examples
    --------
    >>> children = Stakeholder("children", label="Enfants suivis en AEMO renforcée", size=85)
    >>> children.label, children.size
    ('Enfants suivis en AEMO renforcée', 85)

    Every problem is reported at once, with the field it concerns:

    >>> try:
    ...     Stakeholder("familles", label="", size=-3)
    ... except ValidationError as exc:
    ...     print(exc.paths)
    ('label', 'size')
    """

    id: str = attrs.field(converter=identifier)
    label: str
    size: int | None = None
    description: str = ""
    income: float | None = None
    income_group: str | None = None

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.ident(self.id, "id")
        c.text(self.label, "label", empty=False)
        if self.size is not None:
            c.number(self.size, "size", low=0, integer=True)
        c.text(self.description, "description")
        if self.income is not None:
            c.number(self.income, "income", low=0.0, low_open=True)
        if self.income_group is not None:
            c.text(self.income_group, "income_group", empty=False)
        _raise(c)


@attrs.frozen
class Indicator:
    """A measurable sign of a node (usually an outcome).

    Parameters
    ----------
    id : str
        Identifier, unique within the theory of change.
    label : str
        What is measured.
    unit : str, optional
        Unit of the measure (``"people"``, ``"score 1-10"``).
    direction : {"increase", "decrease"}
        Which way is better.
    baseline, target, threshold : float or str, optional
        Starting level, level aimed for, and how much is enough (ActKnowledge
        indicator parts: population, target, threshold, timeline).
    timeline : str, optional
        By when (``"12 months after entry"``).
    data_source : str, optional
        Where the data come from (means of verification).
    external_ids : mapping of str to str, optional
        Codes in external catalogues, e.g. ``{"iris": "PI4060"}``.
    measure : calculator, optional
        How the indicator is measured from data (an outcome calculator of
        :mod:`impactkit.measure` naming its data source); used by
        :func:`impactkit.evaluate`.

    Examples
    --------
    >>> ind = Indicator(
    ...     "non_placement",
    ...     label="Share of children still living at home",
    ...     unit="share",
    ...     baseline=0.55,
    ...     target=0.70,
    ...     threshold=0.60,
    ...     timeline="12 months after entry",
    ...     data_source="Child welfare case files",
    ... )
    >>> ind.complete, ind.direction
    (True, 'increase')
    >>> Indicator("visits", label="Home visits per month").complete
    False
    """

    id: str = attrs.field(converter=identifier)
    label: str
    unit: str = ""
    direction: str = "increase"
    baseline: float | str | None = None
    target: float | str | None = None
    threshold: float | str | None = None
    timeline: str = ""
    data_source: str = ""
    external_ids: Mapping[str, str] = attrs.field(factory=dict, converter=_str_dict)
    measure: Any = None

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.ident(self.id, "id")
        c.text(self.label, "label", empty=False)
        c.text(self.unit, "unit")
        c.choice(self.direction, "direction", DIRECTIONS)
        for name in ("baseline", "target", "threshold"):
            _opt_number(c, getattr(self, name), name)
        c.text(self.timeline, "timeline")
        c.text(self.data_source, "data_source")
        for k, v in self.external_ids.items():
            if not (isinstance(k, str) and isinstance(v, str)):
                c.add(("external_ids", str(k)), "type", "external ids map text to text")
        _check_measure(c, self.measure, "outcome")
        _raise(c)

    @property
    def complete(self) -> bool:
        """True when target, threshold and timeline are all given."""
        return self.target is not None and self.threshold is not None and bool(self.timeline)


def _indicators(x: Iterable[Indicator | Mapping[str, Any]] | None) -> tuple[Indicator, ...]:
    out = []
    for i in _tuple(x):
        out.append(Indicator(**i) if isinstance(i, Mapping) else i)
    return tuple(out)


@attrs.frozen
class Node:
    """A box of the theory of change.

    Parameters
    ----------
    id : str
        Unique identifier.
    kind : {"input", "activity", "output", "outcome", "impact"}
        Place in the logic-model chain.
    label : str
        Name shown to people (not empty).
    description : str, optional
        Free text.
    stakeholder : str, optional
        The stakeholder who experiences the change (outcomes).
    horizon : {"short", "intermediate", "long"}, optional
        Outcome horizon; only for outcomes.
    indicators : tuple of Indicator
        Measurable signs of the node.
    above_ceiling : bool, default False
        True when the node sits above the ceiling of accountability: the
        programme contributes but is not accountable for it.
    measure : calculator, optional
        How an output is counted from data (an output calculator of
        :mod:`impactkit.measure`); used by :func:`impactkit.evaluate`.

    Examples
    --------
    >>> node = Node(
    ...     "at_home",
    ...     kind="outcome",
    ...     label="Child stays with the family",
    ...     stakeholder="children",
    ...     horizon="intermediate",
    ...     indicators=[{"id": "non_placement", "label": "Not placed at 12 months"}],
    ... )
    >>> node.level, node.indicators[0].label
    (4, 'Not placed at 12 months')
    >>> try:
    ...     Node("at_home", kind="outcome", label="Child stays home", horizon="medium")
    ... except ValidationError as exc:
    ...     print(exc.problems[0])
    horizon: must be one of 'short', 'intermediate', 'long', got 'medium' [invalid_choice]
    """

    id: str = attrs.field(converter=identifier)
    kind: str
    label: str
    description: str = ""
    stakeholder: str | None = attrs.field(default=None, converter=identifier)
    horizon: str | None = None
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=_indicators)
    above_ceiling: bool = False
    measure: Any = None

    def __attrs_post_init__(self) -> None:
        c = Checker()
        _check_measure(c, self.measure, "output")
        c.ident(self.id, "id")
        c.choice(self.kind, "kind", NODE_KINDS)
        c.text(self.label, "label", empty=False)
        c.text(self.description, "description")
        if self.stakeholder is not None:
            c.ident(self.stakeholder, "stakeholder")
        if self.horizon is not None:
            if self.kind != "outcome":
                c.add("horizon", "invalid", f"only outcomes have a horizon, not an {self.kind}")
            else:
                c.choice(self.horizon, "horizon", HORIZONS)
        seen: set[str] = set()
        for i, ind in enumerate(self.indicators):
            if not isinstance(ind, Indicator):
                c.add(("indicators", i), "type", f"expected an Indicator, got {ind!r}")
            elif ind.id in seen:
                c.add(
                    ("indicators", i, "id"), "duplicate_id", f"duplicate indicator id {ind.id!r}"
                )
            else:
                seen.add(ind.id)
        if not isinstance(self.above_ceiling, bool):
            c.add("above_ceiling", "type", "expected true or false")
        _raise(c)

    @property
    def level(self) -> int:
        """Rank in the chain (see :func:`level_of`)."""
        return level_of(self.kind, self.horizon)


@attrs.frozen
class Assumption:
    """A condition believed to hold for a link.

    Parameters
    ----------
    text : str
        The assumption (not empty).
    status : {"untested", "holds", "partly", "fails"}, optional
        What the evidence says; ``None`` when nobody has said (a warning).

    Examples
    --------
    >>> a = Assumption("Parents agree to the home visits", status="partly")
    >>> a.status
    'partly'
    >>> Link("visits", "at_home", assumptions=[a]).assumptions[0].text
    'Parents agree to the home visits'
    """

    text: str
    status: str | None = None

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.text, "text", empty=False)
        if self.status is not None:
            c.choice(self.status, "status", ASSUMPTION_STATUSES)
        _raise(c)


def _assumptions(x: Any) -> tuple[Assumption, ...]:
    if x is None or (isinstance(x, tuple) and not x):
        return ()
    if isinstance(x, str | Assumption | Mapping):
        x = [x]
    out = []
    for a in x:
        if isinstance(a, str):
            out.append(Assumption(a))
        elif isinstance(a, Mapping):
            out.append(Assumption(**a))
        else:
            out.append(a)
    return tuple(out)


@attrs.frozen
class Link:
    """A causal (or feedback) link between two nodes.

    Parameters
    ----------
    source, target : str
        Node ids.
    kind : {"causal", "feedback"}
        ``feedback`` links may go backwards and close loops.
    assumptions : tuple of Assumption
        Conditions for the link to hold.
    rationale : str, optional
        Why the link should hold.
    evidence : int, optional
        Evidence level on the 1-5 scale of :data:`EVIDENCE_LEVELS`.
    confidence : float, optional
        Probability that the link holds [fraction, 0-1]; defaults to
        ``evidence / 5`` when not given, and to 0 without evidence.
    lag : float, optional
        Expected delay between cause and effect [years].

    Examples
    --------
    >>> link = Link(
    ...     "visits",
    ...     "at_home",
    ...     assumptions=["Parents agree to the home visits"],
    ...     evidence=3,
    ...     lag=0.5,
    ... )
    >>> link.key, link.strength, link.assumptions[0].status
    ('visits->at_home', 0.6, None)
    >>> Link("visits", "at_home", confidence=0.8).strength
    0.8
    """

    source: str = attrs.field(converter=identifier)
    target: str = attrs.field(converter=identifier)
    kind: str = "causal"
    assumptions: tuple[Assumption, ...] = attrs.field(default=(), converter=_assumptions)
    rationale: str = ""
    evidence: int | None = None
    confidence: float | None = None
    lag: float | None = None

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.ident(self.source, "source")
        c.ident(self.target, "target")
        c.choice(self.kind, "kind", LINK_KINDS)
        for i, a in enumerate(self.assumptions):
            if not isinstance(a, Assumption):
                c.add(("assumptions", i), "type", f"expected an Assumption, got {a!r}")
        c.text(self.rationale, "rationale")
        if self.evidence is not None:
            c.number(self.evidence, "evidence", low=1, high=5, integer=True)
        if self.confidence is not None:
            c.number(self.confidence, "confidence", low=0.0, high=1.0)
        if self.lag is not None:
            c.number(self.lag, "lag", low=0.0)
        if self.source == self.target and isinstance(self.source, str):
            c.add("target", "self_loop", f"a link cannot join {self.source!r} to itself")
        _raise(c)

    @property
    def key(self) -> str:
        """``"source->target"``, the link's id in paths."""
        return f"{self.source}->{self.target}"

    @property
    def strength(self) -> float:
        """Confidence that the link holds, in [0, 1]."""
        if self.confidence is not None:
            return float(self.confidence)
        if self.evidence is not None:
            return self.evidence / 5.0
        return 0.0


# ------------------------------------------------------------------ stored rows
# A theory of change stores its nodes and links as plain tuples of their field
# values (a "row"), keyed by node id or by (source, target). A tuple of plain
# values is not tracked by the cyclic garbage collector and is about half the
# size of the record, so a large graph neither adds to the work of every later
# full collection nor spreads over twice the memory; the records are made from
# the rows on access. A row is only ever made from a validated record, so a
# record is remade from it without checking the values again.

#: The fields of a :class:`Node` after its id, in the order of a stored row.
NODE_ROW_FIELDS = (
    "kind",
    "label",
    "description",
    "stakeholder",
    "horizon",
    "indicators",
    "above_ceiling",
    "measure",
)
#: The fields of a :class:`Link` after its ends, in the order of a stored row.
LINK_ROW_FIELDS = ("kind", "assumptions", "rationale", "evidence", "confidence", "lag")

#: A node as stored: the values of :data:`NODE_ROW_FIELDS`.
NodeRow = tuple[str, str, str, str | None, str | None, tuple[Indicator, ...], bool, Any]
#: A link as stored: the values of :data:`LINK_ROW_FIELDS`.
LinkRow = tuple[str, tuple[Assumption, ...], str, int | None, float | None, float | None]


def node_row(node: Node) -> NodeRow:
    """The stored row of a validated node."""
    return (
        node.kind,
        node.label,
        node.description,
        node.stakeholder,
        node.horizon,
        node.indicators,
        node.above_ceiling,
        node.measure,
    )


def link_row(link: Link) -> LinkRow:
    """The stored row of a validated link."""
    return (link.kind, link.assumptions, link.rationale, link.evidence, link.confidence, link.lag)


def _slot_setters(cls: type[Any], names: tuple[str, ...]) -> tuple[Any, ...]:
    """The slot descriptors' setters of ``names`` (they bypass the frozen ``__setattr__``)."""
    return tuple(vars(cls)[name].__set__ for name in names)


# unpacked once: making a record from a row is on the path of every read
(_N_ID, _N_KIND, _N_LABEL, _N_DESCRIPTION, _N_STAKEHOLDER, _N_HORIZON, _N_INDICATORS, _N_ABOVE,
 _N_MEASURE) = _slot_setters(Node, ("id", *NODE_ROW_FIELDS))  # fmt: skip
(_L_SOURCE, _L_TARGET, _L_KIND, _L_ASSUMPTIONS, _L_RATIONALE, _L_EVIDENCE, _L_CONFIDENCE,
 _L_LAG) = _slot_setters(Link, ("source", "target", *LINK_ROW_FIELDS))  # fmt: skip


def node_from_row(id: str, row: NodeRow) -> Node:
    """The :class:`Node` a stored row describes."""
    kind, label, description, stakeholder, horizon, indicators, above, measure = row
    node: Node = object.__new__(Node)
    _N_ID(node, id)
    _N_KIND(node, kind)
    _N_LABEL(node, label)
    _N_DESCRIPTION(node, description)
    _N_STAKEHOLDER(node, stakeholder)
    _N_HORIZON(node, horizon)
    _N_INDICATORS(node, indicators)
    _N_ABOVE(node, above)
    _N_MEASURE(node, measure)
    return node


def link_from_row(source: str, target: str, row: LinkRow) -> Link:
    """The :class:`Link` a stored row describes."""
    kind, assumptions, rationale, evidence, confidence, lag = row
    link: Link = object.__new__(Link)
    _L_SOURCE(link, source)
    _L_TARGET(link, target)
    _L_KIND(link, kind)
    _L_ASSUMPTIONS(link, assumptions)
    _L_RATIONALE(link, rationale)
    _L_EVIDENCE(link, evidence)
    _L_CONFIDENCE(link, confidence)
    _L_LAG(link, lag)
    return link


def make(cls: type[Any], kwargs: Mapping[str, Any]) -> Any:
    """Build ``cls(**kwargs)``, turning type errors into ValidationError."""
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise ValidationError(str(exc), code="type") from exc


def coerce_evidence(x: Any) -> Any:
    """Keep integral floats from files as ints."""
    if is_number(x) and float(x).is_integer():
        return int(x)
    return x
