"""The rules of a well-formed theory of change (METHODS §4.3), as problem lists.

Every rule returns problems instead of raising, so that one call reports all of
them. Paths use ids: ``nodes['employed']``, ``links['a->b']``.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterable, Mapping, Sequence, Sized

from impactkit.errors import Problem
from impactkit.toc._nodes import Link, Node, Stakeholder

__all__ = ["graph_problems"]


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


def _on_or_behind_cycles(
    succ: Mapping[str, Iterable[str]], pred: Mapping[str, Sized]
) -> list[str]:
    """Nodes a topological sort cannot remove, in node order: empty without a cycle."""
    indeg = {n: len(p) for n, p in pred.items()}
    queue = deque(n for n, d in indeg.items() if d == 0)
    while queue:
        u = queue.popleft()
        for v in succ[u]:
            indeg[v] -= 1
            if indeg[v] == 0:
                queue.append(v)
    return [n for n, d in indeg.items() if d > 0]


def _cycle_problems(left: list[str], edges: list[tuple[str, str]]) -> list[Problem]:
    """One problem per strongly connected group of links that closes a cycle."""
    import networkx as nx

    keep = set(left)
    g = nx.DiGraph()
    g.add_nodes_from(left)
    g.add_edges_from((u, v) for u, v in edges if u in keep and v in keep)
    out = []
    for comp in nx.strongly_connected_components(g):
        if len(comp) > 1:
            cycle = nx.find_cycle(g.subgraph(comp))
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
    nodes: Mapping[str, Node],
    links: Mapping[tuple[str, str], Link],
    stakeholders: Mapping[str, Stakeholder],
    valued: Mapping[str, str] | None = None,
    adjacency: tuple[Mapping[str, Sequence[str]], Mapping[str, Sequence[str]]] | None = None,
) -> list[Problem]:
    """Check every structural rule; return errors and warnings together.

    Parameters
    ----------
    nodes, links, stakeholders
        The records of a theory of change (links keyed by (source, target)).
    valued : mapping of outcome id to stakeholder id, optional
        Outcomes that carry a value in a model: adds the value-map rules
        (indicator and stakeholder present; double counting on a path).
    adjacency : (successors, predecessors), optional
        The lists of a built theory of change (every link between nodes), reused
        instead of rebuilt.

    Returns
    -------
    list of Problem
    """
    out: list[Problem] = []

    def err(path: tuple[str | int, ...], code: str, msg: str) -> None:
        out.append(Problem(path, code, msg, "error"))

    def warn(path: tuple[str | int, ...], code: str, msg: str) -> None:
        out.append(Problem(path, code, msg, "warning"))

    succ: Mapping[str, Sequence[str]]
    pred: Mapping[str, Sequence[str]]
    if adjacency is not None:
        succ, pred = adjacency
    else:
        s_lists: dict[str, list[str]] = {n: [] for n in nodes}
        p_lists: dict[str, list[str]] = {n: [] for n in nodes}
        for u, v in links:
            if u in nodes and v in nodes:
                s_lists[u].append(v)
                p_lists[v].append(u)
        succ, pred = s_lists, p_lists

    # unknown stakeholders on nodes
    for nid, node in nodes.items():
        if node.stakeholder is not None and node.stakeholder not in stakeholders:
            known = ", ".join(sorted(stakeholders)) or "none defined"
            err(
                ("nodes", nid, "stakeholder"),
                "unknown_stakeholder",
                f"unknown stakeholder {node.stakeholder!r}; known: {known}",
            )

    # links: dangling ends, direction, rationale
    for (u, v), link in links.items():
        a, b = nodes.get(u), nodes.get(v)
        if a is None or b is None:
            for end, nid in (("source", u), ("target", v)):
                if nid not in nodes:
                    err(
                        ("links", link.key, end),
                        "dangling_link",
                        f"link {end} {nid!r} is not a node",
                    )
            continue
        if link.kind != "feedback":
            same_outcome_level = a.kind == b.kind == "outcome" and (
                a.horizon is None or b.horizon is None or a.level == b.level
            )
            if b.level <= a.level and not same_outcome_level:
                err(
                    ("links", link.key),
                    "backwards_link",
                    f"link goes from {a.kind} {u!r} back to {b.kind} {v!r}; links go "
                    "input < activity < output < outcome (short < intermediate < long) "
                    "< impact, unless typed 'feedback'",
                )
        if not link.rationale and not link.assumptions:
            warn(
                ("links", link.key),
                "no_rationale",
                "link has neither a rationale nor an assumption",
            )
        for i, asm in enumerate(link.assumptions):
            if asm.status is None:
                warn(
                    ("links", link.key, "assumptions", i, "status"),
                    "assumption_status",
                    "assumption has no status (untested, holds, partly, fails)",
                )

    # cycles among non-feedback links: peel off nodes without incoming links (Kahn, linear);
    # only the nodes left over, which lie on or behind a cycle, go to networkx
    feedback = [k for k, lk in links.items() if lk.kind == "feedback"]
    if feedback:  # the lists without the feedback links
        skip = set(feedback)
        c_succ = {u: [v for v in vs if (u, v) not in skip] for u, vs in succ.items()}
        c_pred = {v: [u for u in us if (u, v) not in skip] for v, us in pred.items()}
        left = _on_or_behind_cycles(c_succ, c_pred)
    else:
        left = _on_or_behind_cycles(succ, pred)
    if left:
        causal = [
            (u, v)
            for (u, v), lk in links.items()
            if lk.kind != "feedback" and u in nodes and v in nodes
        ]
        out.extend(_cycle_problems(left, causal))

    # reachability
    kinds: dict[str, list[str]] = {
        k: [] for k in ("input", "activity", "output", "outcome", "impact")
    }
    for nid, node in nodes.items():
        kinds[node.kind].append(nid)
    from_activity = _bfs(succ, kinds["activity"])
    to_outcome = _bfs(pred, kinds["outcome"])

    for nid, node in nodes.items():
        path = ("nodes", nid)
        if not succ[nid] and not pred[nid]:
            warn(path, "orphan", f"{node.kind} {nid!r} has no links")
        if node.kind == "outcome" and nid not in from_activity:
            err(
                path,
                "unreached_outcome",
                f"no activity reaches outcome {nid!r}: nothing in the model can claim it",
            )
        if node.kind == "activity" and nid not in to_outcome:
            warn(path, "activity_without_outcome", f"activity {nid!r} leads to no outcome")
        if node.kind == "output" and nid not in from_activity:
            warn(path, "output_without_activity", f"no activity produces output {nid!r}")
        if node.kind == "output" and node.above_ceiling:
            warn(
                path,
                "output_above_ceiling",
                f"output {nid!r} is placed above the ceiling of accountability",
            )
        for i, ind in enumerate(node.indicators):
            if not ind.complete:
                missing = [n for n in ("target", "threshold") if getattr(ind, n) is None]
                if not ind.timeline:
                    missing.append("timeline")
                warn(
                    (*path, "indicators", i),
                    "indicator_incomplete",
                    f"indicator {ind.id!r} lacks {', '.join(missing)}",
                )

    n_impact = len(kinds["impact"])
    if nodes and n_impact == 0:
        warn(("nodes",), "no_impact", "no impact node: a theory of change centres on one goal")
    elif n_impact > 1:
        warn(
            ("nodes",),
            "several_impacts",
            f"{n_impact} impact nodes ({', '.join(sorted(kinds['impact']))}); "
            "a theory of change usually centres on one long-term goal",
        )

    if valued:
        for oid in valued:
            if oid not in nodes:
                continue
            node = nodes[oid]
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
        for oid, sh in valued.items():
            if oid not in nodes:
                continue
            for d in _bfs(succ, [oid]) - {oid}:
                if d in valued and valued[d] == sh:
                    warn(
                        ("nodes", oid),
                        "double_counting",
                        f"outcomes {oid!r} and {d!r} are both valued for stakeholder {sh!r} "
                        "on the same causal path: value only the last material outcome unless "
                        "the earlier one has distinct value",
                    )
    return out
