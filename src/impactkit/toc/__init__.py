"""Theory of change: stakeholders, nodes, links, indicators, rules and exports.

A :class:`TheoryOfChange` is a builder over a :class:`networkx.DiGraph`. It
holds immutable records (:class:`Stakeholder`, :class:`Node`,
:class:`Indicator`, :class:`Link`, :class:`Assumption`) and checks the rules of
docs/guide/theory_of_change.md in :meth:`TheoryOfChange.problems`.

Layer: model (see the architecture page). networkx is imported only when a
graph algorithm or export needs it.
"""

from __future__ import annotations

from impactkit.toc._export import logframe, to_dot, to_graphml, to_json, to_mermaid
from impactkit.toc._nodes import (
    ASSUMPTION_STATUSES,
    EVIDENCE_LEVELS,
    HORIZONS,
    LINK_KINDS,
    NODE_KINDS,
    Assumption,
    Indicator,
    Link,
    Node,
    Stakeholder,
    level_of,
)
from impactkit.toc._toc import TheoryOfChange, problems

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
    "TheoryOfChange",
    "level_of",
    "logframe",
    "problems",
    "to_dot",
    "to_graphml",
    "to_json",
    "to_mermaid",
]
