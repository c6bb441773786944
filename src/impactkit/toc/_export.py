"""Exports of a theory of change: Mermaid, Graphviz DOT, GraphML, JSON, logframe.

Every function returns text or a DataFrame; writing files is the caller's job
(see :mod:`impactkit.io` and the ``impactkit toc`` command).
"""

from __future__ import annotations

import json
import re

import pandas as pd

from impactkit.toc._nodes import Link
from impactkit.toc._toc import TheoryOfChange

__all__ = ["logframe", "to_dot", "to_graphml", "to_json", "to_mermaid"]

_MERMAID_SHAPES = {
    "input": ('[/"', '"/]'),
    "activity": ('["', '"]'),
    "output": ('(["', '"])'),
    "outcome": ('("', '")'),
    "impact": ('{{"', '"}}'),
}
_DOT_SHAPES = {
    "input": "parallelogram",
    "activity": "box",
    "output": "box",
    "outcome": "ellipse",
    "impact": "doubleoctagon",
}


def _mermaid_ids(toc: TheoryOfChange) -> dict[str, str]:
    out: dict[str, str] = {}
    used: set[str] = set()
    for i, nid in enumerate(toc):
        base = re.sub(r"[^A-Za-z0-9_]", "_", nid) or f"n{i}"
        if base[0].isdigit():
            base = f"n_{base}"
        cand = base
        while cand in used:
            cand = f"{base}_{i}"
        used.add(cand)
        out[nid] = cand
    return out


def _mermaid_text(s: str) -> str:
    return s.replace('"', "#quot;").replace("\n", " ")


def to_mermaid(toc: TheoryOfChange, *, direction: str = "LR") -> str:
    """Mermaid ``flowchart`` text of the theory of change.

    Node shapes show the kind; feedback links are dotted.

    Parameters
    ----------
    toc : TheoryOfChange
    direction : {"LR", "TB", "RL", "BT"}
        Direction of the flowchart.

    Returns
    -------
    str
        Mermaid flowchart text.

    Examples
    --------
    >>> toc = TheoryOfChange("t")
    >>> toc.add_node("a", kind="activity", label="Coaching")
    >>> toc.add_node("o", kind="outcome", label="Employed")
    >>> toc.add_link("a", "o")
    >>> print(to_mermaid(toc))
    flowchart LR
        a["Coaching"]
        o("Employed")
        a --> o
    """
    ids = _mermaid_ids(toc)
    lines = [f"flowchart {direction}"]
    for n in toc.nodes:
        left, right = _MERMAID_SHAPES[n.kind]
        lines.append(f"    {ids[n.id]}{left}{_mermaid_text(n.label)}{right}")
    for lk in toc.links:
        arrow = "-.->" if lk.kind == "feedback" else "-->"
        lines.append(f"    {ids[lk.source]} {arrow} {ids[lk.target]}")
    return "\n".join(lines)


def _dot_quote(s: str) -> str:
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def to_dot(toc: TheoryOfChange) -> str:
    """Graphviz DOT text of the theory of change.

    Parameters
    ----------
    toc : TheoryOfChange

    Returns
    -------
    str
        Graphviz DOT text.

    Examples
    --------
    >>> toc = TheoryOfChange("t")
    >>> toc.add_node("a", kind="activity", label="Coaching")
    >>> print(to_dot(toc))
    digraph "t" {
      rankdir=LR;
      "a" [label="Coaching", shape=box];
    }
    """
    lines = [f"digraph {_dot_quote(toc.name)} {{", "  rankdir=LR;"]
    for n in toc.nodes:
        lines.append(
            f"  {_dot_quote(n.id)} [label={_dot_quote(n.label)}, shape={_DOT_SHAPES[n.kind]}];"
        )
    for lk in toc.links:
        style = " [style=dashed]" if lk.kind == "feedback" else ""
        lines.append(f"  {_dot_quote(lk.source)} -> {_dot_quote(lk.target)}{style};")
    lines.append("}")
    return "\n".join(lines)


def to_graphml(toc: TheoryOfChange) -> str:
    """GraphML text; records are flattened to text attributes.

    Nodes carry ``kind``, ``label``, ``stakeholder``, ``horizon`` (empty when
    absent), ``indicators`` (labels joined by ``"; "``) and ``above_ceiling``;
    links carry ``kind``, ``rationale``, ``assumptions`` (texts joined by
    ``"; "``), ``evidence`` (the 1-5 level, ``-1`` when none is given: GraphML
    attributes have one type, so an integer code stands for "none") and
    ``strength``.

    Parameters
    ----------
    toc : TheoryOfChange
        The theory of change to write.

    Returns
    -------
    str
        GraphML text.

    Examples
    --------
    >>> import networkx as nx
    >>> toc = TheoryOfChange("AEMO renforcée")
    >>> toc.add_node("visits", kind="activity", label="Visites à domicile")
    >>> toc.add_node("at_home", kind="outcome", label="Maintien au domicile")
    >>> toc.add_link("visits", "at_home", assumption="Les parents acceptent", evidence=3)
    >>> g = nx.parse_graphml(to_graphml(toc))
    >>> g.nodes["at_home"]["label"], g.edges["visits", "at_home"]["strength"]
    ('Maintien au domicile', 0.6)
    >>> g.edges["visits", "at_home"]["assumptions"]
    'Les parents acceptent'
    """
    import networkx as nx

    g = nx.DiGraph(name=toc.name)
    for n in toc.nodes:
        g.add_node(
            n.id,
            kind=n.kind,
            label=n.label,
            description=n.description,
            stakeholder=n.stakeholder or "",
            horizon=n.horizon or "",
            indicators="; ".join(i.label for i in n.indicators),
            above_ceiling=n.above_ceiling,
        )
    for lk in toc.links:
        g.add_edge(
            lk.source,
            lk.target,
            kind=lk.kind,
            rationale=lk.rationale,
            assumptions="; ".join(a.text for a in lk.assumptions),
            evidence=-1 if lk.evidence is None else lk.evidence,
            strength=lk.strength,
        )
    return "\n".join(nx.generate_graphml(g))


def to_json(toc: TheoryOfChange, *, indent: int | None = 2) -> str:
    """Node-link JSON text (the model-file form of the theory of change).

    Parameters
    ----------
    toc : TheoryOfChange
    indent : int or None, default 2
        Indentation of the JSON text.

    Returns
    -------
    str
        Node-link JSON.

    Examples
    --------
    >>> import json
    >>> toc = TheoryOfChange("AEMO renforcée")
    >>> toc.add_node("visits", kind="activity", label="Visites à domicile")
    >>> toc.add_node("at_home", kind="outcome", label="Maintien au domicile")
    >>> toc.add_link("visits", "at_home", evidence=3)
    >>> text = to_json(toc, indent=None)
    >>> json.loads(text)["links"]
    [{'source': 'visits', 'target': 'at_home', 'evidence': 3}]
    >>> TheoryOfChange.from_dict(json.loads(text)).link("visits", "at_home").evidence
    3
    """
    return json.dumps(toc.to_dict(), indent=indent, ensure_ascii=False)


_LOGFRAME_LEVEL = {
    "impact": "Goal",
    "outcome": "Purpose",
    "output": "Output",
    "activity": "Activity",
    "input": "Input",
}


def logframe(toc: TheoryOfChange) -> pd.DataFrame:
    """The logical-framework matrix, one row per node from goal down to inputs.

    Parameters
    ----------
    toc : TheoryOfChange

    Returns
    -------
    pandas.DataFrame
        Columns ``level`` (Goal, Purpose, Output, Activity, Input), ``id``,
        ``narrative_summary``, ``indicators``, ``means_of_verification``,
        ``assumptions`` (assumptions of the links leaving the node, i.e. the
        conditions for the next level up to follow).

    Examples
    --------
    >>> toc = TheoryOfChange("AEMO renforcée")
    >>> toc.add_node("visits", kind="activity", label="Home visits")
    >>> toc.add_node("at_home", kind="outcome", label="Child stays home",
    ...              indicators=[{"id": "non_placement", "label": "Not placed at 12 months",
    ...                           "data_source": "Child welfare case files"}])
    >>> toc.add_link("visits", "at_home", assumption="Parents agree to the visits")
    >>> lf = logframe(toc)
    >>> lf[["level", "narrative_summary"]].values.tolist()
    [['Purpose', 'Child stays home'], ['Activity', 'Home visits']]
    >>> lf.loc[0, "means_of_verification"], lf.loc[1, "assumptions"]
    ('Child welfare case files', 'Parents agree to the visits')
    """
    rows = []
    order = {"impact": 0, "outcome": 1, "output": 2, "activity": 3, "input": 4}
    outgoing: dict[str, list[Link]] = {}
    for lk in toc.links:  # read once and grouped: linear in nodes and links
        outgoing.setdefault(lk.source, []).append(lk)
    for n in sorted(toc.nodes, key=lambda n: (order[n.kind], -n.level)):
        rows.append(
            {
                "level": _LOGFRAME_LEVEL[n.kind],
                "id": n.id,
                "narrative_summary": n.label,
                "indicators": "; ".join(i.label for i in n.indicators),
                "means_of_verification": "; ".join(
                    i.data_source for i in n.indicators if i.data_source
                ),
                "assumptions": "; ".join(
                    a.text for lk in outgoing.get(n.id, ()) for a in lk.assumptions
                ),
            }
        )
    return pd.DataFrame(
        rows,
        columns=[
            "level",
            "id",
            "narrative_summary",
            "indicators",
            "means_of_verification",
            "assumptions",
        ],
    )
