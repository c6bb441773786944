"""The rules of a well-formed theory of change (docs/guide/theory_of_change.md), as problem lists.

Every rule returns problems instead of raising, so that one call reports all of
them. Paths use ids: ``nodes['employed']``, ``links['a->b']``.
"""

from __future__ import annotations

from array import array
from collections import deque
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np
import numpy.typing as npt

from impactkit.errors import Problem
from impactkit.toc._nodes import LinkRow, NodeRow, Stakeholder, level_of, node_from_row

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]

__all__ = ["Columns", "graph_problems"]


def _bfs(adj: Mapping[str, Iterable[str]], sources: Iterable[str]) -> set[str]:
    seen = set(sources)
    queue = deque(seen)
    while queue:
        u = queue.popleft()
        for v in adj.get(u, ()):
            if v not in seen:
                seen.add(v)
                queue.append(v)
    return seen


_KIND_CODE = {"input": 0, "activity": 1, "output": 2, "outcome": 3, "impact": 4}
# bits of Columns.node_flags and Columns.link_flags
_NO_HORIZON, _INCOMPLETE, _ABOVE, _UNKNOWN_STAKEHOLDER = 1, 2, 4, 8
_FEEDBACK, _BARE, _ASSUMPTIONS = 1, 2, 4


class Columns:
    """What the checks read of each record, as integer columns in record order.

    ``pos`` maps a node id to its position; per node: kind code, level and
    flags (no horizon, incomplete indicator, above the ceiling, unknown
    stakeholder); per link: the positions of its ends (-1 for an end that is
    not a node) and flags (feedback, no rationale nor assumption, has
    assumptions). A builder appends to them as records are added, so that
    checking a large graph reads a few contiguous arrays instead of visiting
    every record again; removing a record drops them (they are rebuilt from
    the records by :meth:`of` on the next check).
    """

    __slots__ = ("dst", "kind", "level", "link_flags", "node_flags", "pos", "src")

    def __init__(self) -> None:
        self.pos: dict[str, int] = {}
        self.kind = array("b")
        self.level = array("b")
        self.node_flags = array("b")
        self.src = array("q")
        self.dst = array("q")
        self.link_flags = array("b")

    @classmethod
    def of(
        cls,
        nodes: Mapping[str, NodeRow],
        links: Mapping[tuple[str, str], LinkRow],
        stakeholders: Mapping[str, Stakeholder],
    ) -> Columns:
        """The columns of these records (stored rows: ``NodeRow``)."""
        cols = cls()
        for nid, row in nodes.items():
            cols.add_node(nid, row, stakeholders)
        for (u, v), link in links.items():
            cols.add_link(u, v, link)
        return cols

    def copy(self) -> Columns:
        """An independent copy."""
        new = Columns()
        new.pos = dict(self.pos)
        for name in ("kind", "level", "node_flags", "src", "dst", "link_flags"):
            getattr(new, name).extend(getattr(self, name))
        return new

    @staticmethod
    def _codes(row: NodeRow, stakeholders: Mapping[str, Stakeholder]) -> tuple[int, int, int]:
        """Kind code, level and flags of a node row."""
        kind, _, _, stakeholder, horizon, indicators, above, _ = row
        flags = _NO_HORIZON if horizon is None else 0
        if indicators and any(not x.complete for x in indicators):
            flags |= _INCOMPLETE
        if above:
            flags |= _ABOVE
        if stakeholder is not None and stakeholder not in stakeholders:
            flags |= _UNKNOWN_STAKEHOLDER
        return _KIND_CODE[kind], level_of(kind, horizon), flags

    def add_node(self, id: str, row: NodeRow, stakeholders: Mapping[str, Stakeholder]) -> None:
        """Append a node (a new id: the caller has checked it)."""
        kind, level, flags = self._codes(row, stakeholders)
        self.pos[id] = len(self.kind)
        self.kind.append(kind)
        self.level.append(level)
        self.node_flags.append(flags)

    def replace_node(self, id: str, row: NodeRow, stakeholders: Mapping[str, Stakeholder]) -> None:
        """Write the columns of node ``id`` from its new row."""
        i = self.pos[id]
        self.kind[i], self.level[i], self.node_flags[i] = self._codes(row, stakeholders)

    def add_link(self, source: str, target: str, row: LinkRow) -> None:
        """Append a link (a new pair: the caller has checked it)."""
        kind, assumptions, rationale = row[0], row[1], row[2]
        self.src.append(self.pos.get(source, -1))
        self.dst.append(self.pos.get(target, -1))
        self.link_flags.append(
            _FEEDBACK * (kind == "feedback")
            | _BARE * (not rationale and not assumptions)
            | _ASSUMPTIONS * bool(assumptions)
        )


_LEVELS = 64  # levels walked with array operations before going node by node


def _grouped(n: int, src: IntArray, dst: IntArray) -> tuple[IntArray, IntArray]:
    """Edges grouped by source: node ``i``'s targets are ``targets[starts[i]:starts[i + 1]]``."""
    order = np.argsort(src, kind="stable")
    starts = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(np.bincount(src, minlength=n), out=starts[1:])
    return starts, dst[order]


def _neighbours(starts: IntArray, targets: IntArray, nodes: IntArray) -> IntArray:
    """Targets of every edge leaving ``nodes`` (with repeats), in one gather."""
    lo, hi = starts[nodes], starts[nodes + 1]
    count = hi - lo
    total = int(count.sum())
    if not total:
        return np.zeros(0, dtype=np.int64)
    offset = np.repeat(lo - (np.cumsum(count) - count), count)
    return np.asarray(targets[np.arange(total, dtype=np.int64) + offset], dtype=np.int64)


def _reach(starts: IntArray, targets: IntArray, sources: IntArray) -> BoolArray:
    """Nodes reachable from ``sources`` (sources included).

    Breadth first, one array operation per level while the levels are few (a
    theory of change is a handful of layers deep); a longer chain is finished
    node by node, so the cost stays linear in nodes and links.
    """
    seen = np.zeros(starts.size - 1, dtype=bool)
    frontier = np.unique(sources)
    seen[frontier] = True
    for _ in range(_LEVELS):
        if not frontier.size:
            return seen
        nb = _neighbours(starts, targets, frontier)
        frontier = np.unique(nb[~seen[nb]])
        seen[frontier] = True
    st, tg, flags = starts.tolist(), targets.tolist(), seen.tolist()
    queue = deque(frontier.tolist())
    while queue:
        u = queue.popleft()
        for k in range(st[u], st[u + 1]):
            v = tg[k]
            if not flags[v]:
                flags[v] = True
                queue.append(v)
    return np.array(flags, dtype=bool)


def _on_or_behind_cycles(n: int, src: IntArray, dst: IntArray) -> IntArray:
    """Nodes a topological sort cannot remove (Kahn), in node order: empty without a cycle."""
    starts, targets = _grouped(n, src, dst)
    indeg = np.bincount(dst, minlength=n)
    frontier = np.flatnonzero(indeg == 0)
    for _ in range(_LEVELS):
        if not frontier.size:
            return np.flatnonzero(indeg > 0)
        nb = _neighbours(starts, targets, frontier)
        np.subtract.at(indeg, nb, 1)
        cand = np.unique(nb)
        frontier = cand[indeg[cand] == 0]
    st, tg, deg = starts.tolist(), targets.tolist(), indeg.tolist()
    queue = deque(frontier.tolist())
    while queue:
        u = queue.popleft()
        for k in range(st[u], st[u + 1]):
            v = tg[k]
            deg[v] -= 1
            if deg[v] == 0:
                queue.append(v)
    return np.flatnonzero(np.array(deg) > 0)


def _cycle_problems(left: list[str], edges: list[tuple[str, str]]) -> list[Problem]:
    """One problem per strongly connected group of links that closes a cycle."""
    import networkx as nx

    keep = set(left)
    g = nx.DiGraph()
    g.add_nodes_from(left)
    g.add_edges_from((u, v) for u, v in edges if u in keep and v in keep)
    out = []
    order = {nid: i for i, nid in enumerate(left)}
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1:
            # node order, not set order: the same cycle is named in every run
            members_in_order = sorted(comp, key=order.__getitem__)
            sub = nx.DiGraph()
            sub.add_nodes_from(members_in_order)
            sub.add_edges_from((u, v) for u, v in g.edges(members_in_order) if v in comp)
            cycle = nx.find_cycle(sub, source=members_in_order[0])
            members = [u for u, _ in cycle]
            first = cycle[0]
            out.append(
                Problem(
                    ("links", f"{first[0]}->{first[1]}"),
                    "cycle",
                    "cycle "
                    + " -> ".join([*members, members[0]])
                    + " made of links not all typed 'feedback'",
                    "error",
                )
            )
    return out


def graph_problems(
    nodes: Mapping[str, NodeRow],
    links: Mapping[tuple[str, str], LinkRow],
    stakeholders: Mapping[str, Stakeholder],
    valued: Mapping[str, str] | None = None,
    cols: Columns | None = None,
) -> list[Problem]:
    """Check every structural rule; return errors and warnings together.

    The rules are evaluated on integer arrays (node positions, link ends,
    kind codes and flags: :class:`Columns`), so the cost is linear in nodes
    and links and a large graph is checked in a few array passes; problems are
    then written in the order of the records (per link, then per node), each
    with its path.

    Parameters
    ----------
    nodes, links, stakeholders
        The records of a theory of change, nodes and links as stored rows
        (``NodeRow``, ``LinkRow``) keyed by id and by (source, target).
    valued : mapping of outcome id to stakeholder id, optional
        Outcomes that carry a value in a model: adds the value-map rules
        (indicator and stakeholder present; double counting on a path).
    cols : Columns, optional
        The columns of these records, when the caller keeps them up to date;
        built from the records otherwise.

    Returns
    -------
    list of Problem
    """
    out: list[Problem] = []

    def err(path: tuple[str | int, ...], code: str, msg: str) -> None:
        out.append(Problem(path, code, msg, "error"))

    def warn(path: tuple[str | int, ...], code: str, msg: str) -> None:
        out.append(Problem(path, code, msg, "warning"))

    if cols is None:
        cols = Columns.of(nodes, links, stakeholders)
    ids = list(nodes)
    n = len(ids)
    pos = cols.pos
    kind = np.asarray(cols.kind, dtype=np.int64)
    level = np.asarray(cols.level, dtype=np.int64)
    nflags = np.asarray(cols.node_flags, dtype=np.int64)
    src = np.asarray(cols.src, dtype=np.int64)
    dst = np.asarray(cols.dst, dtype=np.int64)
    lflags = np.asarray(cols.link_flags, dtype=np.int64)
    keys: list[tuple[str, str]] = []

    def link_keys() -> list[tuple[str, str]]:
        if not keys:
            keys.extend(links)
        return keys

    # unknown stakeholders on nodes
    for k in np.flatnonzero(nflags & _UNKNOWN_STAKEHOLDER).tolist():
        nid = ids[k]
        known = ", ".join(sorted(stakeholders)) or "none defined"
        err(
            ("nodes", nid, "stakeholder"),
            "unknown_stakeholder",
            f"unknown stakeholder {nodes[nid][3]!r}; known: {known}",
        )

    # links: dangling ends, direction, rationale
    inside = (src >= 0) & (dst >= 0)
    feedback = (lflags & _FEEDBACK).astype(bool)
    bare = (lflags & _BARE).astype(bool)
    has_assumptions = (lflags & _ASSUMPTIONS).astype(bool)
    no_horizon = (nflags & _NO_HORIZON).astype(bool)
    # a dangling end reads a padding slot (no kind, level 0): never backwards
    s, d = np.where(inside, src, n), np.where(inside, dst, n)
    kind_p, level_p = np.append(kind, -1), np.append(level, 0)
    no_horizon_p = np.append(no_horizon, True)
    same_outcome_level = (
        (kind_p[s] == _KIND_CODE["outcome"])
        & (kind_p[d] == _KIND_CODE["outcome"])
        & (no_horizon_p[s] | no_horizon_p[d] | (level_p[s] == level_p[d]))
    )
    backwards = inside & ~feedback & (level_p[d] <= level_p[s]) & ~same_outcome_level
    for j in np.flatnonzero(~inside | backwards | bare | has_assumptions).tolist():
        u, v = link_keys()[j]
        key = f"{u}->{v}"
        if not inside[j]:
            for end, nid in (("source", u), ("target", v)):
                if nid not in nodes:
                    err(("links", key, end), "dangling_link", f"link {end} {nid!r} is not a node")
            continue
        if backwards[j]:
            err(
                ("links", key),
                "backwards_link",
                f"link goes from {nodes[u][0]} {u!r} back to {nodes[v][0]} {v!r}; links go "
                "input < activity < output < outcome (short < intermediate < long) "
                "< impact, unless typed 'feedback'",
            )
        if bare[j]:
            warn(("links", key), "no_rationale", "link has neither a rationale nor an assumption")
        for i, asm in enumerate(links[(u, v)][1]):
            if asm.status is None:
                warn(
                    ("links", key, "assumptions", i, "status"),
                    "assumption_status",
                    "assumption has no status (untested, holds, partly, fails)",
                )

    # cycles among non-feedback links: peel off nodes without incoming links (Kahn,
    # linear); only the nodes left over, which lie on or behind a cycle, go to networkx
    causal_inside = inside & ~feedback
    left = _on_or_behind_cycles(n, src[causal_inside], dst[causal_inside])
    if left.size:
        causal = [link_keys()[j] for j in np.flatnonzero(causal_inside).tolist()]
        out.extend(_cycle_problems([ids[i] for i in left.tolist()], causal))

    # reachability, over every link (feedback included)
    src, dst = src[inside], dst[inside]
    succ = _grouped(n, src, dst)
    from_activity = _reach(*succ, np.flatnonzero(kind == _KIND_CODE["activity"]))
    to_outcome = _reach(*_grouped(n, dst, src), np.flatnonzero(kind == _KIND_CODE["outcome"]))
    linked = np.zeros(n, dtype=bool)
    linked[src] = True
    linked[dst] = True
    is_ = {k: kind == c for k, c in _KIND_CODE.items()}
    incomplete = (nflags & _INCOMPLETE).astype(bool)
    above = (nflags & _ABOVE).astype(bool)
    flagged = (
        ~linked
        | (is_["outcome"] & ~from_activity)
        | (is_["activity"] & ~to_outcome)
        | (is_["output"] & (~from_activity | above))
        | incomplete
    )
    for k in np.flatnonzero(flagged).tolist():
        nid = ids[k]
        node = node_from_row(nid, nodes[nid])
        path = ("nodes", nid)
        if not linked[k]:
            warn(path, "orphan", f"{node.kind} {nid!r} has no links")
        if node.kind == "outcome" and not from_activity[k]:
            err(
                path,
                "unreached_outcome",
                f"no activity reaches outcome {nid!r}: nothing in the model can claim it",
            )
        if node.kind == "activity" and not to_outcome[k]:
            warn(path, "activity_without_outcome", f"activity {nid!r} leads to no outcome")
        if node.kind == "output" and not from_activity[k]:
            warn(path, "output_without_activity", f"no activity produces output {nid!r}")
        if node.kind == "output" and node.above_ceiling:
            warn(
                path,
                "output_above_ceiling",
                f"output {nid!r} is placed above the ceiling of accountability",
            )
        for i, ind in enumerate(node.indicators):
            if not ind.complete:
                missing = [x for x in ("target", "threshold") if getattr(ind, x) is None]
                if not ind.timeline:
                    missing.append("timeline")
                warn(
                    (*path, "indicators", i),
                    "indicator_incomplete",
                    f"indicator {ind.id!r} lacks {', '.join(missing)}",
                )

    impacts = [ids[k] for k in np.flatnonzero(is_["impact"]).tolist()]
    if nodes and not impacts:
        warn(("nodes",), "no_impact", "no impact node: a theory of change centres on one goal")
    elif len(impacts) > 1:
        warn(
            ("nodes",),
            "several_impacts",
            f"{len(impacts)} impact nodes ({', '.join(sorted(impacts))}); "
            "a theory of change usually centres on one long-term goal",
        )

    if valued:
        _valued_problems(nodes, valued, pos, succ, ids, err, warn)
    return out


def _valued_problems(
    nodes: Mapping[str, NodeRow],
    valued: Mapping[str, str],
    pos: Mapping[str, int],
    succ: tuple[IntArray, IntArray],
    ids: Sequence[str],
    err: Any,
    warn: Any,
) -> None:
    """The value-map rules: indicator and stakeholder present, no double counting."""
    for oid in valued:
        if oid not in nodes:
            continue
        node = node_from_row(oid, nodes[oid])
        if not node.indicators:
            err(
                ("nodes", oid, "indicators"),
                "no_indicator",
                f"valued outcome {oid!r} has no indicator; add one with "
                f"toc.add_indicator({oid!r}, '{oid}_rate', label='...')",
            )
        if node.stakeholder is None:
            err(
                ("nodes", oid, "stakeholder"),
                "no_stakeholder",
                f"valued outcome {oid!r} has no stakeholder",
            )
    st, tg = succ[0].tolist(), succ[1].tolist()
    for oid, sh in valued.items():
        if oid not in nodes:
            continue
        # breadth first from this outcome only: the work is what it reaches, not the graph
        start = pos[oid]
        seen = {start}
        queue = deque([start])
        while queue:
            u = queue.popleft()
            for k in range(st[u], st[u + 1]):
                if tg[k] not in seen:
                    seen.add(tg[k])
                    queue.append(tg[k])
        seen.discard(start)
        for k in sorted(seen):  # in node order
            d = ids[k]
            if d in valued and valued[d] == sh:
                warn(
                    ("nodes", oid),
                    "double_counting",
                    f"outcomes {oid!r} and {d!r} are both valued for stakeholder {sh!r} "
                    "on the same causal path: value only the last material outcome unless "
                    "the earlier one has distinct value",
                )
