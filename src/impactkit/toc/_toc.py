"""The TheoryOfChange builder over a networkx DiGraph."""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from impactkit._results import Summary, html_table
from impactkit._validation import Checker, did_you_mean
from impactkit.errors import (
    Problem,
    UnknownNodeError,
    ValidationError,
)
from impactkit.toc._checks import Columns, _bfs, graph_problems
from impactkit.toc._nodes import (
    LINK_ROW_FIELDS,
    NODE_KINDS,
    NODE_ROW_FIELDS,
    Assumption,
    Indicator,
    Link,
    LinkRow,
    Node,
    NodeRow,
    Stakeholder,
    coerce_evidence,
    link_from_row,
    link_row,
    node_from_row,
    node_row,
)

if TYPE_CHECKING:
    import networkx as nx

__all__ = ["TheoryOfChange", "problems"]

# positions in a NodeRow (NODE_ROW_FIELDS)
_KIND: Final = 0
_INDICATORS: Final = 5

#: codes of problems that stop a theory of change from being built from data
RULE_CODES = frozenset(
    {"backwards_link", "cycle", "unreached_outcome", "no_indicator", "no_stakeholder"}
)
"""Graph-rule errors that do not stop loading (reported by ``problems``)."""

DATA_CODES = frozenset(
    {
        "type",
        "empty",
        "missing",
        "unknown_key",
        "duplicate_id",
        "dangling_link",
        "unknown_stakeholder",
        "invalid_choice",
        "out_of_range",
        "not_integer",
        "not_finite",
        "invalid",
        "self_loop",
        "duplicate_link",
    }
)


def _unknown_node(nid: str, what: str, path: tuple[str | int, ...]) -> UnknownNodeError:
    return UnknownNodeError(
        [Problem(path, "unknown_node", f"no {what} {nid!r} in the theory of change")]
    )


class TheoryOfChange:
    """A theory of change: stakeholders, nodes and links over a networkx graph.

    The builder checks each addition on the spot (types, empty labels, unknown
    or duplicate ids) and leaves itself unchanged when a call fails. Rules about
    the whole graph (cycles, links going backwards, outcomes no activity
    reaches, ...) are reported together by :meth:`problems` and raised by
    :meth:`validate`.

    Parameters
    ----------
    name : str
        Name of the programme or organisation.
    description : str, optional
        Free text.

    See Also
    --------
    impactkit.toc.problems : the same checks on a file's raw node-link data.

    Examples
    --------
    >>> toc = TheoryOfChange("Job coaching")
    >>> toc.add_stakeholder("participants", label="Adults with disabilities", size=120)
    >>> toc.add_node("coaching", kind="activity", label="Individual job coaching")
    >>> toc.add_node("sessions", kind="output", label="Coaching sessions delivered")
    >>> toc.add_node("employed", kind="outcome", label="In paid work at 12 months",
    ...              stakeholder="participants")
    >>> toc.add_link("coaching", "sessions")
    >>> toc.add_link("sessions", "employed", assumption="Employers hire", evidence=3)
    >>> toc.pathways("coaching", "employed")
    [['coaching', 'sessions', 'employed']]
    >>> [p.code for p in toc.problems() if p.severity == "error"]
    []
    """

    def __init__(self, name: str, description: str = "") -> None:
        c = Checker()
        c.text(name, "name", empty=False)
        c.text(description, "description")
        c.raise_if_errors()
        self.name = name
        self.description = description
        self._stakeholders: dict[str, Stakeholder] = {}
        # nodes and links as plain rows (see NodeRow, LinkRow): records are made on access
        self._nodes: dict[str, NodeRow] = {}
        self._links: dict[tuple[str, str], LinkRow] = {}
        # what the checks read, appended as records are added (None: rebuild)
        self._cols: Columns | None = Columns()
        self._frozen = False
        self._changed()

    def _changed(self) -> None:
        """Forget what was derived from the records (after every change).

        The networkx graph and the checked problems are built on first use and
        kept until the next change, so repeated queries and ``validate`` calls
        do not rebuild them; the indicator index is rebuilt here only when it
        is missing (it is kept up to date by the builders).
        """
        if getattr(self, "_checked", None) == {} and self._g is None and self._adj is None:
            return  # nothing derived yet: nothing to forget (the common case while building)
        self._g: nx.DiGraph | None = None
        self._adj: tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]] | None = None
        self._checked: dict[Any, list[Problem]] = {}
        if getattr(self, "_indicator_owner", None) is None:
            self._indicator_owner: dict[str, str] = {
                i.id: nid for nid, row in self._nodes.items() for i in row[_INDICATORS]
            }

    def _adjacency(self) -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
        """Successors and predecessors of every node (built on first use after a change).

        Kept as tuples of ids: the collector stops tracking those, so a large
        graph's cached lists do not add to every later full collection.
        """
        if self._adj is None:
            succ: dict[str, list[str]] = {n: [] for n in self._nodes}
            pred: dict[str, list[str]] = {n: [] for n in self._nodes}
            for u, v in self._links:
                succ[u].append(v)
                pred[v].append(u)
            self._adj = (
                {n: tuple(vs) for n, vs in succ.items()},
                {n: tuple(us) for n, us in pred.items()},
            )
        return self._adj

    def _graph(self) -> nx.DiGraph:
        """The bare graph of node ids and links (built on first use after a change)."""
        if self._g is None:
            import networkx as nx

            g = nx.DiGraph()
            g.add_nodes_from(self._nodes)
            g.add_edges_from(self._links)
            self._g = g
        return self._g

    # ------------------------------------------------------------------ build
    def add_stakeholder(
        self,
        id: str,
        *,
        label: str | None = None,
        size: int | None = None,
        description: str = "",
        income: float | None = None,
        income_group: str | None = None,
    ) -> None:
        """Add a stakeholder group.

        Parameters
        ----------
        id : str
            Unique identifier.
        label : str, optional
            Name shown to people; defaults to ``id``.
        size : int, optional
            Number of people in the group [people].
        description : str, optional
            Free text.
        income, income_group : optional
            Equivalised income [currency/year] or income group of the group,
            for distributional weights (see :class:`~impactkit.toc.Stakeholder`).

        Raises
        ------
        ValidationError
            Duplicate id, empty label, negative or fractional size.
        """
        self._check_mutable()
        s = Stakeholder(
            id, id if label is None else label, size, description, income, income_group
        )
        id = s.id  # in normal form C
        if id in self._stakeholders:
            raise ValidationError(
                f"duplicate stakeholder id {id!r}", path=("stakeholders", id), code="duplicate_id"
            )
        self._stakeholders[id] = s
        self._changed()

    def add_node(
        self,
        id: str,
        *,
        kind: str,
        label: str | None = None,
        description: str = "",
        stakeholder: str | None = None,
        horizon: str | None = None,
        indicators: Iterable[Indicator | Mapping[str, Any]] = (),
        above_ceiling: bool = False,
        measure: Any = None,
    ) -> None:
        """Add a node.

        Parameters
        ----------
        id : str
            Unique identifier.
        kind : {"input", "activity", "output", "outcome", "impact"}
            Place in the chain.
        label : str, optional
            Name shown to people; defaults to ``id``.
        description : str, optional
            Free text.
        stakeholder : str, optional
            Id of an existing stakeholder (for outcomes).
        horizon : {"short", "intermediate", "long"}, optional
            Outcome horizon.
        indicators : iterable of Indicator or mapping, optional
            Indicators of the node.
        above_ceiling : bool, default False
            Whether the node sits above the ceiling of accountability.
        measure : calculator, optional
            How an output is counted from data (see :func:`impactkit.evaluate`).

        Raises
        ------
        ValidationError
            Bad values, duplicate id or unknown stakeholder; the graph is left
            unchanged.
        """
        self._check_mutable()
        node = Node(
            id,
            kind,
            id if label is None else label,
            description,
            stakeholder,
            horizon,
            tuple(indicators),
            above_ceiling,
            measure,
        )
        id, stakeholder = node.id, node.stakeholder  # in normal form C
        c = Checker("nodes", id)
        if id in self._nodes:
            c.add("id", "duplicate_id", f"duplicate node id {id!r}")
        if stakeholder is not None and stakeholder not in self._stakeholders:
            c.add(
                "stakeholder",
                "unknown_stakeholder",
                f"unknown stakeholder {stakeholder!r}; add it first with add_stakeholder "
                f"(known: {', '.join(sorted(self._stakeholders)) or 'none'})",
            )
        if node.indicators:
            self._check_indicator_ids(node, c)
        c.raise_if_errors()
        row = node_row(node)
        self._nodes[id] = row
        if node.indicators:
            self._indicator_owner.update((i.id, id) for i in node.indicators)
        if self._cols is not None:
            self._cols.add_node(id, row, self._stakeholders)
        self._changed()

    def _check_indicator_ids(self, node: Node, c: Checker) -> None:
        owner = self._indicator_owner
        for i, ind in enumerate(node.indicators):
            if owner.get(ind.id, node.id) != node.id:
                c.add(
                    ("indicators", i, "id"),
                    "duplicate_id",
                    f"indicator id {ind.id!r} is already used by another node",
                )

    def add_indicator(self, node: str, id: str, *, label: str, **fields: Any) -> None:
        """Attach an :class:`Indicator` to an existing node.

        Parameters
        ----------
        node : str
            Node id.
        id : str
            Indicator id, unique within the theory of change.
        label : str
            What is measured.
        **fields
            Other :class:`Indicator` fields (unit, direction, baseline, target,
            threshold, timeline, data_source, external_ids).
        """
        self._check_mutable()
        if node not in self._nodes:
            raise _unknown_node(node, "node", ("nodes", node))
        try:
            ind = Indicator(id, label, **fields)
        except TypeError as exc:
            raise ValidationError(
                str(exc), path=("nodes", node, "indicators"), code="type"
            ) from exc
        id = ind.id  # in normal form C
        old = node_from_row(node, self._nodes[node])
        new = attrs.evolve(old, indicators=(*old.indicators, ind))
        c = Checker("nodes", node)
        if any(i.id == id for i in old.indicators):
            c.add(
                ("indicators", len(old.indicators), "id"),
                "duplicate_id",
                f"duplicate indicator id {id!r}",
            )
        self._check_indicator_ids(new, c)
        c.raise_if_errors()
        row = node_row(new)
        self._nodes[node] = row
        self._indicator_owner[id] = node
        if self._cols is not None:
            self._cols.replace_node(node, row, self._stakeholders)
        self._changed()

    def add_link(
        self,
        source: str,
        target: str,
        *,
        assumption: str | Assumption | None = None,
        assumptions: Iterable[str | Assumption | Mapping[str, Any]] = (),
        rationale: str = "",
        evidence: int | None = None,
        confidence: float | None = None,
        kind: str = "causal",
        lag: float | None = None,
    ) -> None:
        """Add a link from ``source`` to ``target``.

        Parameters
        ----------
        source, target : str
            Existing node ids.
        assumption : str or Assumption, optional
            One assumption (shorthand for ``assumptions=[...]``).
        assumptions : iterable, optional
            Assumptions, as text, :class:`Assumption` or mappings.
        rationale : str, optional
            Why the link should hold.
        evidence : int, optional
            Evidence level 1-5 (:data:`~impactkit.toc.EVIDENCE_LEVELS`).
        confidence : float, optional
            Probability the link holds [fraction, 0-1].
        kind : {"causal", "feedback"}
            Feedback links may go backwards and close loops.
        lag : float, optional
            Expected delay [years].

        Raises
        ------
        UnknownNodeError
            When an end is not a node.
        ValidationError
            Bad values or a duplicate link; the graph is left unchanged.
        """
        self._check_mutable()
        items = tuple(assumptions)
        if assumption is not None:
            items = (assumption, *items)
        link = Link(
            source,
            target,
            kind,
            items,
            rationale,
            None if evidence is None else coerce_evidence(evidence),
            confidence,
            lag,
        )
        source, target = link.source, link.target  # in normal form C
        key = (source, target)
        if source not in self._nodes or target not in self._nodes:
            raise UnknownNodeError(
                [
                    Problem(
                        ("links", link.key, end),
                        "unknown_node",
                        f"no node {nid!r} in the theory of change",
                    )
                    for end, nid in (("source", source), ("target", target))
                    if nid not in self._nodes
                ]
            )
        if key in self._links:
            raise ValidationError(
                f"duplicate link {link.key}", path=("links", link.key), code="duplicate_link"
            )
        row = link_row(link)
        self._links[key] = row
        if self._cols is not None:
            self._cols.add_link(source, target, row)
        self._changed()

    def remove_node(self, id: str) -> None:
        """Remove a node and its links.

        Parameters
        ----------
        id : str
            Node id.

        Raises
        ------
        UnknownNodeError
            When there is no such node.
        """
        self._check_mutable()
        if id not in self._nodes:
            raise _unknown_node(id, "node", ("nodes", id))
        for ind in self._nodes.pop(id)[_INDICATORS]:
            self._indicator_owner.pop(ind.id, None)
        self._links = {k: v for k, v in self._links.items() if id not in k}
        self._cols = None
        self._changed()

    def remove_link(self, source: str, target: str) -> None:
        """Remove the link from ``source`` to ``target``.

        Parameters
        ----------
        source, target : str
            Node ids of the link's ends.

        Raises
        ------
        UnknownNodeError
            When there is no such link.
        """
        self._check_mutable()
        if (source, target) not in self._links:
            raise _unknown_node(f"{source}->{target}", "link", ("links", f"{source}->{target}"))
        del self._links[(source, target)]
        self._cols = None
        self._changed()

    def copy(self) -> TheoryOfChange:
        """An independent copy (the stored rows are immutable and shared).

        Returns
        -------
        TheoryOfChange
            A builder that changes independently of this one.
        """
        new = TheoryOfChange.__new__(TheoryOfChange)
        new.name, new.description = self.name, self.description
        new._stakeholders = dict(self._stakeholders)
        new._nodes = dict(self._nodes)
        new._links = dict(self._links)
        new._indicator_owner = dict(self._indicator_owner)
        new._cols = None if self._cols is None else self._cols.copy()
        new._changed()
        new._frozen = False
        return new

    def frozen(self) -> TheoryOfChange:
        """A read-only copy: its builder methods raise and it is hashable.

        An :class:`~impactkit.ImpactModel` holds such a copy, so that neither
        the model's nor the caller's later changes reach each other. Build on
        a frozen theory of change through :meth:`copy`.

        Returns
        -------
        TheoryOfChange
            ``self`` when it is already frozen, else a frozen copy.

        Examples
        --------
        >>> toc = TheoryOfChange("Job coaching")
        >>> toc.add_node("coaching", kind="activity")
        >>> ro = toc.frozen()
        >>> ro.add_node("sessions", kind="output")
        Traceback (most recent call last):
        ...
        TypeError: this theory of change is frozen (held by a model); build on toc.copy()
        >>> len(ro), hash(ro) == hash(toc.frozen())
        (1, True)
        """
        if self._frozen:
            return self
        new = self.copy()
        new._frozen = True
        return new

    @property
    def is_frozen(self) -> bool:
        """True for a read-only theory of change (see :meth:`frozen`)."""
        return self._frozen

    def _check_mutable(self) -> None:
        if self._frozen:
            raise TypeError(
                "this theory of change is frozen (held by a model); build on toc.copy()"
            )

    __copy__ = copy

    def __deepcopy__(self, memo: dict[int, Any]) -> TheoryOfChange:
        return self if self._frozen else self.copy()  # a frozen one is a value: share it

    # ------------------------------------------------------------------ read
    @property
    def stakeholders(self) -> tuple[Stakeholder, ...]:
        """Stakeholders in insertion order."""
        return tuple(self._stakeholders.values())

    @property
    def nodes(self) -> tuple[Node, ...]:
        """Nodes in insertion order."""
        return tuple(node_from_row(nid, row) for nid, row in self._nodes.items())

    @property
    def links(self) -> tuple[Link, ...]:
        """Links in insertion order."""
        return tuple(link_from_row(u, v, row) for (u, v), row in self._links.items())

    def node(self, id: str) -> Node:
        """The node ``id``; :class:`~impactkit.errors.UnknownNodeError` if absent.

        Parameters
        ----------
        id : str
            Node id.

        Returns
        -------
        Node
        """
        try:
            return node_from_row(id, self._nodes[id])
        except KeyError:
            raise _unknown_node(id, "node", ("nodes", id)) from None

    def link(self, source: str, target: str) -> Link:
        """The link from ``source`` to ``target``.

        Parameters
        ----------
        source, target : str
            Node ids of the link's ends.

        Returns
        -------
        Link

        Raises
        ------
        UnknownNodeError
            When there is no such link.
        """
        try:
            return link_from_row(source, target, self._links[(source, target)])
        except KeyError:
            raise _unknown_node(
                f"{source}->{target}", "link", ("links", f"{source}->{target}")
            ) from None

    def stakeholder(self, id: str) -> Stakeholder:
        """The stakeholder ``id``.

        Parameters
        ----------
        id : str
            Stakeholder id.

        Returns
        -------
        Stakeholder

        Raises
        ------
        UnknownNodeError
            When there is no such stakeholder.
        """
        try:
            return self._stakeholders[id]
        except KeyError:
            raise _unknown_node(id, "stakeholder", ("stakeholders", id)) from None

    def nodes_of_kind(self, kind: str) -> list[str]:
        """Ids of the nodes of one kind, in insertion order.

        Parameters
        ----------
        kind : {"input", "activity", "output", "outcome", "impact"}

        Returns
        -------
        list of str
        """
        return [n for n, row in self._nodes.items() if row[_KIND] == kind]

    def _among(self, kind: str, ids: set[str]) -> list[str]:
        """Nodes of ``kind`` within ``ids``, in insertion order, scanning the smaller side."""
        if len(ids) < len(self._nodes) // 4:
            order = {n: i for i, n in enumerate(self._nodes)} if len(ids) > 64 else None
            found = [n for n in ids if self._nodes[n][_KIND] == kind]
            if order is None:
                keys = list(self._nodes)
                return sorted(found, key=keys.index)
            return sorted(found, key=order.__getitem__)
        return [n for n in self.nodes_of_kind(kind) if n in ids]

    def __contains__(self, id: object) -> bool:
        return id in self._nodes

    def __len__(self) -> int:
        return len(self._nodes)

    def __iter__(self) -> Iterator[str]:
        return iter(self._nodes)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TheoryOfChange):
            return NotImplemented
        return (
            self.name == other.name
            and self.description == other.description
            and self._stakeholders == other._stakeholders
            and self._nodes == other._nodes
            and self._links == other._links
        )

    def __hash__(self) -> int:
        if not self._frozen:
            raise TypeError(
                "a theory of change under construction is not hashable; use toc.frozen()"
            )
        return hash(
            (
                self.name,
                self.description,
                tuple(self._stakeholders.values()),
                tuple(self._nodes.items()),
                tuple(self._links.items()),
            )
        )

    def _kind_counts(self) -> dict[str, int]:
        """Nodes by kind, kinds in causal order, kinds without nodes left out."""
        counts = dict.fromkeys(NODE_KINDS, 0)
        for row in self._nodes.values():
            counts[row[_KIND]] = counts.get(row[_KIND], 0) + 1
        return {kind: n for kind, n in counts.items() if n}

    def __repr__(self) -> str:
        by_kind = ", ".join(f"{n} {kind}" for kind, n in self._kind_counts().items())
        name = self.name if len(self.name) <= 60 else self.name[:59] + "\u2026"
        return (
            f"TheoryOfChange({name!r}, {len(self._stakeholders)} stakeholders, "
            f"{len(self._nodes)} nodes"
            + (f" ({by_kind})" if by_kind else "")
            + f", {len(self._links)} links)"
        )

    def _repr_html_(self) -> str:
        lines = [
            ("Stakeholders", str(len(self._stakeholders))),
            ("Nodes", str(len(self._nodes))),
            *((f"{kind.capitalize()} nodes", str(n)) for kind, n in self._kind_counts().items()),
            ("Links", str(len(self._links))),
        ]
        return html_table(Summary(f"Theory of change - {self.name}", tuple(lines)))

    # ------------------------------------------------------------------ graph
    @property
    def graph(self) -> nx.DiGraph:
        """A frozen :class:`networkx.DiGraph` copy with flat node and link attributes."""
        import networkx as nx

        return nx.freeze(self.to_networkx())

    def to_networkx(self) -> nx.DiGraph:
        """A mutable networkx copy.

        Node attributes: ``kind``, ``label``, ``description``, ``stakeholder``,
        ``horizon``, ``above_ceiling``, ``indicators`` (tuple of
        :class:`Indicator`). Link attributes: ``kind``, ``assumptions``,
        ``rationale``, ``evidence``, ``confidence``, ``lag``. Graph attributes:
        ``name``, ``description``, ``stakeholders``.

        Returns
        -------
        networkx.DiGraph
        """
        import networkx as nx

        g = nx.DiGraph(
            name=self.name, description=self.description, stakeholders=self.stakeholders
        )
        for nid, row in self._nodes.items():
            g.add_node(nid, **dict(zip(NODE_ROW_FIELDS, row, strict=True)))
        for (u, v), link in self._links.items():
            g.add_edge(u, v, **dict(zip(LINK_ROW_FIELDS, link, strict=True)))
        return g

    @classmethod
    def from_networkx(cls, g: nx.DiGraph, name: str | None = None) -> TheoryOfChange:
        """Build from a networkx DiGraph with the attributes of :meth:`to_networkx`.

        Nodes need a ``kind``; ``label`` defaults to the node id. Stakeholders
        come from the graph attribute ``stakeholders`` (records or mappings)
        and from stakeholder ids named by nodes.

        Parameters
        ----------
        g : networkx.DiGraph
            The graph, with the attributes of :meth:`to_networkx`.
        name : str, optional
            Name of the theory of change; default the graph's ``name`` attribute.
        """
        data: dict[str, Any] = {
            "name": name or g.graph.get("name") or "theory of change",
            "description": g.graph.get("description", ""),
            "stakeholders": [
                attrs.asdict(s) if isinstance(s, Stakeholder) else dict(s)
                for s in g.graph.get("stakeholders", ())
            ],
            "nodes": [],
            "links": [],
        }
        known = {s["id"] for s in data["stakeholders"]}
        for nid, attrs_ in g.nodes(data=True):
            rec = {"id": nid, **attrs_}
            rec.setdefault("label", str(nid))
            rec["indicators"] = [
                attrs.asdict(i) if isinstance(i, Indicator) else i
                for i in rec.get("indicators", ())
            ]
            sh = rec.get("stakeholder")
            if sh is not None and sh not in known:
                data["stakeholders"].append({"id": sh, "label": sh})
                known.add(sh)
            data["nodes"].append(rec)
        for u, v, attrs_ in g.edges(data=True):
            rec = {"source": u, "target": v, **attrs_}
            rec["assumptions"] = [
                attrs.asdict(a) if isinstance(a, Assumption) else a
                for a in rec.get("assumptions", ())
            ]
            data["links"].append(rec)
        return cls.from_dict(data)

    # ------------------------------------------------------------------ data
    def to_dict(self) -> dict[str, Any]:
        """Plain node-link data (the model-file form); defaults are left out.

        Returns
        -------
        dict
            ``name``, ``description``, ``stakeholders``, ``nodes``, ``links``.
        """
        return {
            "name": self.name,
            **({"description": self.description} if self.description else {}),
            "stakeholders": [_record(s) for s in self._stakeholders.values()],
            "nodes": [_record(n) for n in self.nodes],
            "links": [_record(lk) for lk in self.links],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> TheoryOfChange:
        """Build from node-link data (the model-file form).

        Parameters
        ----------
        data : mapping
            Node-link data with ``name``, ``stakeholders``, ``nodes`` and ``links``.

        Raises
        ------
        ValidationError
            Every problem of the data at once: wrong types, unknown keys,
            empty labels, duplicate ids, dangling links, unknown stakeholders.
            Graph rules (cycles, backwards links, ...) do not stop loading; see
            :meth:`problems`.
        """
        toc, probs = _build(data)
        errs = [p for p in probs if p.severity == "error" and p.code not in RULE_CODES]
        if errs or toc is None:
            raise ValidationError(errs or probs)
        return toc

    # ------------------------------------------------------------------ checks
    def problems(self, valued: Mapping[str, str] | None = None) -> list[Problem]:
        """Every rule of docs/guide/theory_of_change.md, errors and warnings, without raising.

        Parameters
        ----------
        valued : mapping of outcome id to stakeholder id, optional
            Outcomes valued in a model; adds the value-map rules.

        Returns
        -------
        list of Problem
            Errors first, then warnings, each with its path.
        """
        key = None if valued is None else tuple(sorted(valued.items()))
        if key not in self._checked:
            if self._cols is None:
                self._cols = Columns.of(self._nodes, self._links, self._stakeholders)
            probs = graph_problems(
                self._nodes, self._links, self._stakeholders, valued, self._cols
            )
            self._checked[key] = sorted(probs, key=lambda p: p.severity != "error")
        return list(self._checked[key])

    def validate(self, valued: Mapping[str, str] | None = None) -> None:
        """Raise :class:`~impactkit.ValidationError` listing every problem if any is an error.

        The error carries warnings too, so that one message tells everything.

        Parameters
        ----------
        valued : mapping of outcome id to stakeholder id, optional
            Outcomes valued in a model; adds the value-map rules.
        """
        probs = self.problems(valued)
        if any(p.severity == "error" for p in probs):
            raise ValidationError(probs)

    # ------------------------------------------------------------------ queries
    def _need(self, *ids: str) -> None:
        for i in ids:
            if i not in self._nodes:
                raise _unknown_node(i, "node", ("nodes", i))

    def pathways(
        self,
        source: str,
        target: str,
        *,
        cutoff: int | None = None,
        limit: int | None = None,
    ) -> list[list[str]]:
        """Every simple path of node ids from ``source`` to ``target``.

        The search runs only through nodes that lie between the two (reached
        from ``source`` and reaching ``target``), so it never explores
        branches that cannot end at ``target``; with ``limit`` it stops after
        that many paths.

        Parameters
        ----------
        source, target : str
            Node ids.
        cutoff : int, optional
            Longest path length (in links) to consider.
        limit : int, optional
            Most paths returned (the first ones found).

        Returns
        -------
        list of list of str
            Node ids along each path.

        Raises
        ------
        UnknownNodeError
            When ``source`` or ``target`` is not a node.
        ValidationError
            When ``limit`` is not a whole number >= 0.

        Examples
        --------
        >>> toc = TheoryOfChange("Job coaching")
        >>> for n, k in [("coaching", "activity"), ("cv", "output"), ("interviews", "output"),
        ...              ("employed", "outcome")]:
        ...     toc.add_node(n, kind=k)
        >>> for u, v in [("coaching", "cv"), ("coaching", "interviews"), ("cv", "employed"),
        ...              ("interviews", "employed")]:
        ...     toc.add_link(u, v)
        >>> toc.pathways("coaching", "employed")
        [['coaching', 'cv', 'employed'], ['coaching', 'interviews', 'employed']]
        >>> toc.pathways("coaching", "employed", limit=1)
        [['coaching', 'cv', 'employed']]
        """
        import itertools

        import networkx as nx

        self._need(source, target)
        if limit is not None:
            c = Checker()
            c.number(limit, "limit", low=0, integer=True)
            c.raise_if_errors()
        between = (self.downstream(source) | {source}) & (self.upstream(target) | {target})
        if target not in between:
            return []
        g = self._graph().subgraph(between)
        paths = nx.all_simple_paths(g, source, target, cutoff=cutoff)
        return [list(p) for p in itertools.islice(paths, None if limit is None else int(limit))]

    def upstream(self, node: str) -> set[str]:
        """Every node with a path to ``node``.

        Parameters
        ----------
        node : str
            Node id.

        Returns
        -------
        set of str
        """
        self._need(node)
        return _bfs(self._adjacency()[1], (node,)) - {node}

    def downstream(self, node: str) -> set[str]:
        """Every node reachable from ``node``.

        Parameters
        ----------
        node : str
            Node id.

        Returns
        -------
        set of str
        """
        self._need(node)
        return _bfs(self._adjacency()[0], (node,)) - {node}

    def contributing_activities(self, outcome: str) -> list[str]:
        """Activities with a path to ``outcome``, in insertion order.

        Parameters
        ----------
        outcome : str
            Node id.

        Returns
        -------
        list of str
        """
        return self._among("activity", self.upstream(outcome))

    def reachable_outcomes(self, activity: str) -> list[str]:
        """Outcomes reachable from ``activity``, in insertion order.

        Parameters
        ----------
        activity : str
            Node id.

        Returns
        -------
        list of str
        """
        return self._among("outcome", self.downstream(activity))

    def pathway_confidence(
        self, path: Sequence[str], *, method: Literal["weakest", "product"] = "weakest"
    ) -> float:
        """Confidence in a pathway from the strength of its links.

        Parameters
        ----------
        path : sequence of str
            Node ids along existing links.
        method : {"weakest", "product"}
            ``"weakest"`` (default): the weakest link, :math:`\\min_e c_e`;
            ``"product"``: :math:`\\prod_e c_e`, as if links held independently.

        Returns
        -------
        float
            In [0, 1]; link strength is :attr:`Link.strength`.
        """
        if len(path) < 2:
            raise ValidationError("a pathway needs at least two nodes", path=("path",))
        strengths = [self.link(u, v).strength for u, v in itertools.pairwise(path)]
        if method == "weakest":
            return min(strengths)
        if method == "product":
            out = 1.0
            for s in strengths:
                out *= s
            return out
        raise ValidationError(
            f"method must be 'weakest' or 'product', got {method!r}",
            path=("method",),
            code="invalid_choice",
        )


def _record(obj: Any) -> dict[str, Any]:
    """attrs record as a plain dict without default values."""
    out: dict[str, Any] = {}
    for f in attrs.fields(type(obj)):
        v = getattr(obj, f.name)
        default = f.default
        if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
            default = default.factory()
        if f.default is not attrs.NOTHING and v == default:
            continue
        if f.name == "measure" and v is not None:
            v = v.to_dict()
        elif isinstance(v, tuple):
            v = [_record(x) if attrs.has(type(x)) else x for x in v]
        elif isinstance(v, Mapping):
            v = dict(v)
        out[f.name] = v
    return out


def _make(
    cls: type[Any],
    rec: Any,
    path: tuple[str | int, ...],
    c: Checker,
    nested: Mapping[str, type[Any]] = {},
) -> Any:
    if not isinstance(rec, Mapping):
        c.add(path, "type", f"expected a mapping, got {type(rec).__name__}")
        return None
    names = {f.name for f in attrs.fields(cls)}
    required = [f.name for f in attrs.fields(cls) if f.default is attrs.NOTHING]
    ok = True
    for k in rec:
        if k not in names:
            c.add(
                (*path, str(k)),
                "unknown_key",
                f"unknown key {k!r}{did_you_mean(k, names)}; expected one of "
                f"{', '.join(sorted(names))}",
            )
            ok = False
    for k in required:
        if k not in rec:
            c.add((*path, k), "missing", "required field is missing")
            ok = False
    kwargs = dict(rec)
    for key, sub in nested.items():
        items = kwargs.get(key, ())
        if not isinstance(items, list | tuple):
            c.add((*path, key), "type", "expected a list")
            ok = False
            continue
        built = []
        for j, item in enumerate(items):
            if isinstance(item, str) and sub is Assumption:
                item = {"text": item}
            obj = _make(sub, item, (*path, key, j), c)
            ok = ok and obj is not None
            built.append(obj)
        kwargs[key] = tuple(built)
    if "evidence" in kwargs:
        kwargs["evidence"] = coerce_evidence(kwargs["evidence"])
    if isinstance(kwargs.get("measure"), Mapping):
        from impactkit.registry import default_registry

        stage = "output" if cls is Node else "outcome"
        try:
            kwargs["measure"] = default_registry(stage).build(kwargs["measure"])
        except ValidationError as exc:
            c.extend(exc.problems, *path, "measure")
            ok = False
    if not ok:
        return None
    try:
        return cls(**kwargs)
    except ValidationError as exc:
        c.extend(exc.problems, *path)
    except TypeError as exc:
        c.add(path, "type", str(exc))
    return None


def _build(data: Any) -> tuple[TheoryOfChange | None, list[Problem]]:
    """Build what can be built from node-link data and report every problem."""
    c = Checker()
    if not isinstance(data, Mapping):
        c.add((), "type", f"expected a mapping, got {type(data).__name__}")
        return None, c.problems
    allowed = {"name", "description", "stakeholders", "nodes", "links"}
    for k in data:
        if k not in allowed:
            c.add(
                str(k),
                "unknown_key",
                f"unknown key {k!r}{did_you_mean(k, allowed)}; expected one of "
                f"{', '.join(sorted(allowed))}",
            )
    name = data.get("name", "theory of change")
    description = data.get("description", "")
    c.text(name, "name", empty=False)
    c.text(description, "description")
    lists: dict[str, list[Any]] = {}
    for key in ("stakeholders", "nodes", "links"):
        v = data.get(key, [])
        if not isinstance(v, list | tuple):
            c.add(key, "type", f"expected a list, got {type(v).__name__}")
            v = []
        lists[key] = list(v)

    stakeholders: dict[str, Stakeholder] = {}
    for i, rec in enumerate(lists["stakeholders"]):
        s = _make(Stakeholder, rec, ("stakeholders", i), c)
        if s is None:
            continue
        if s.id in stakeholders:
            c.add(("stakeholders", i, "id"), "duplicate_id", f"duplicate stakeholder id {s.id!r}")
        else:
            stakeholders[s.id] = s

    nodes: dict[str, NodeRow] = {}
    node_index: dict[str, int] = {}
    ind_ids: set[str] = set()
    for i, rec in enumerate(lists["nodes"]):
        n = _make(Node, rec, ("nodes", i), c, {"indicators": Indicator})
        if n is None:
            continue
        if n.id in nodes:
            c.add(("nodes", i, "id"), "duplicate_id", f"duplicate node id {n.id!r}")
            continue
        for j, ind in enumerate(n.indicators):
            if ind.id in ind_ids:
                c.add(
                    ("nodes", i, "indicators", j, "id"),
                    "duplicate_id",
                    f"indicator id {ind.id!r} is used twice",
                )
            ind_ids.add(ind.id)
        nodes[n.id] = node_row(n)
        node_index[n.id] = i

    links: dict[tuple[str, str], LinkRow] = {}
    link_index: dict[str, int] = {}
    for i, rec in enumerate(lists["links"]):
        lk = _make(Link, rec, ("links", i), c, {"assumptions": Assumption})
        if lk is None:
            continue
        if (lk.source, lk.target) in links:
            c.add(("links", i), "duplicate_link", f"duplicate link {lk.key}")
            continue
        links[(lk.source, lk.target)] = link_row(lk)
        link_index[lk.key] = i

    def remap(p: Problem) -> Problem:
        path = list(p.path)
        if len(path) >= 2 and path[0] == "nodes" and path[1] in node_index:
            path[1] = node_index[str(path[1])]
        elif len(path) >= 2 and path[0] == "links" and path[1] in link_index:
            path[1] = link_index[str(path[1])]
        return attrs.evolve(p, path=tuple(path))

    cols = Columns.of(nodes, links, stakeholders)
    graph_probs = [remap(p) for p in graph_problems(nodes, links, stakeholders, cols=cols)]
    probs = c.problems + graph_probs
    if c.has_errors or any(p.code in DATA_CODES and p.severity == "error" for p in graph_probs):
        return None, probs
    toc = TheoryOfChange.__new__(TheoryOfChange)
    toc.name, toc.description = name, description
    toc._stakeholders, toc._nodes, toc._links = stakeholders, nodes, links
    toc._cols = cols
    toc._frozen = False
    toc._changed()
    return toc, probs


def problems(
    toc: TheoryOfChange | Mapping[str, Any], valued: Mapping[str, str] | None = None
) -> list[Problem]:
    """Every problem of a theory of change or of its raw node-link data, at once.

    On raw data this also reports what cannot be built at all (duplicate ids,
    dangling links, unknown stakeholders, wrong types, unknown keys), with
    index paths such as ``nodes[3].stakeholder``.

    Parameters
    ----------
    toc : TheoryOfChange or mapping
        A builder, or node-link data as in a model file.
    valued : mapping of outcome id to stakeholder id, optional
        Outcomes valued in a model (see :meth:`TheoryOfChange.problems`).

    Returns
    -------
    list of Problem
        Errors first, then warnings.

    Examples
    --------
    A model file's theory of change with a misspelt stakeholder and a link to a
    node nobody wrote: both errors come at once, with their paths.

    >>> data = {
    ...     "name": "AEMO renforcée",
    ...     "stakeholders": [{"id": "children", "label": "Children at risk of placement"}],
    ...     "nodes": [
    ...         {"id": "visits", "kind": "activity", "label": "Home visits"},
    ...         {"id": "at_home", "kind": "outcome", "label": "Child stays home",
    ...          "stakeholder": "childen"},
    ...     ],
    ...     "links": [{"source": "visits", "target": "at_home"},
    ...               {"source": "visits", "target": "school"}],
    ... }
    >>> for p in problems(data):
    ...     print(p.severity, p.location, p.code)
    error nodes[1].stakeholder unknown_stakeholder
    error links[1].target dangling_link
    warning links[0] no_rationale
    warning nodes no_impact
    """
    if isinstance(toc, TheoryOfChange):
        return toc.problems(valued)
    built, probs = _build(toc)
    if built is not None and valued:
        extra = [
            p
            for p in built.problems(valued)
            if p.code in ("no_indicator", "no_stakeholder", "double_counting")
        ]
        probs = probs + extra
    return sorted(probs, key=lambda p: p.severity != "error")
