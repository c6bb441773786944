"""The evaluation pipeline: a whole theory of change and value map against data.

:func:`evaluate` runs every stage of the flow on the data sources given:
outputs for the output nodes that say how they are counted, outcomes through
their indicators, attribution (haircuts, or deadweights estimated from data by
name), valuation and the SROI; every number keeps its lineage.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pandas as pd

from impactkit._results import Summary, displayed, jsonable
from impactkit.errors import Problem, ValidationError
from impactkit.methods import Lineage, SROIResult, sroi
from impactkit.model import ImpactModel

__all__ = ["Evaluation", "evaluate"]

_MEASURE_COLS = [
    "node",
    "kind",
    "label",
    "indicator",
    "calculator",
    "data",
    "quantity",
    "n",
    "missing",
    "share",
    "mean_change",
    "ci_low",
    "ci_high",
]


@displayed(headline=("SROI ratio", "Present value", "Mode"))
@attrs.frozen
class Evaluation:
    """Everything an evaluation produced, per node and for the whole model.

    Parameters
    ----------
    mode : {"forecast", "evaluative"}
        The model's mode, recorded with the results.
    measures : DataFrame
        One row per measured output node and indicator: ``node``, ``kind``,
        ``label``, ``indicator``, ``calculator``, ``data``, ``quantity``, ``n``,
        ``missing``, ``share``, ``mean_change``, ``ci_low``, ``ci_high``
        (None where a calculator does not give them).
    by_node : DataFrame
        One row per node of the theory of change: ``node``, ``kind``,
        ``label``, ``stakeholder``, ``measured`` (quantity or None),
        ``present_value`` (valued rows of the outcome), ``share``.
    sroi : SROIResult or None
        The SROI (None when the model has no inputs or no outcome rows).

    Examples
    --------
    :func:`evaluate` returns it; here the shipped example of intensive
    home-based educational support (AEMO renforcée) against its data:

    >>> import impactkit as ik
    >>> ev = ik.evaluate(ik.examples.load_example("protection_enfance"),
    ...                  data=ik.examples.load_example_data("protection_enfance"))
    >>> row = ev.measures.set_index("node").loc["placement_avoided"]
    >>> float(row["quantity"]), int(row["n"]), int(row["missing"])
    (152.0, 189, 7)
    >>> ev.mode, round(ev.sroi.ratio, 2)
    ('evaluative', 1.99)
    >>> ev.explain("placement_avoided").outcome
    'placement_avoided'
    """

    mode: str
    measures: pd.DataFrame = attrs.field(eq=False)
    by_node: pd.DataFrame = attrs.field(eq=False)
    sroi: SROIResult | None = attrs.field(eq=False)

    def to_frame(self) -> pd.DataFrame:
        """Every node of the theory of change with what was measured and valued.

        Returns
        -------
        pandas.DataFrame
            A copy of ``by_node``.
        """
        return self.by_node.copy()

    def explain(self, outcome: str | int) -> Lineage:
        """Lineage of one valued row of the SROI (see :meth:`SROIResult.explain`).

        Parameters
        ----------
        outcome : str or int
            Outcome id (first row with that id) or row number.

        Returns
        -------
        Lineage

        Raises
        ------
        ValidationError
            When the evaluation has no SROI or no such row.
        """
        if self.sroi is None:
            raise ValidationError(
                "the evaluation has no SROI (no inputs or no valued outcome rows)",
                path=("outcomes",),
                code="missing",
            )
        return self.sroi.explain(outcome)

    def summary(self) -> Summary:
        """Counts and headline figures.

        Returns
        -------
        Summary
        """
        lines = [("Mode", self.mode), ("Measured nodes", str(self.measures["node"].nunique()))]
        if self.sroi is not None:
            lines += [
                ("SROI ratio", f"{self.sroi.ratio:.2f} : 1"),
                ("Present value", f"{self.sroi.present_value:,.2f} {self.sroi.currency}"),
            ]
        return Summary("Evaluation", tuple(lines), self.measures)

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready).

        Returns
        -------
        dict
            ``mode``, ``measures`` and ``by_node`` as records, and ``sroi``
            (see :meth:`SROIResult.to_dict`, which holds the model) or None.
        """
        return {  # jsonable: numpy scalars in the object columns become numbers
            "mode": self.mode,
            "measures": jsonable(self.measures),
            "by_node": jsonable(self.by_node),
            "sroi": None if self.sroi is None else self.sroi.to_dict(),
        }


def _frame(rows: list[dict[str, Any]], cols: list[str], nullable: tuple[str, ...]) -> pd.DataFrame:
    """A table whose nullable columns keep None (object dtype), never NaN."""
    return pd.DataFrame(
        {
            c: pd.Series([r[c] for r in rows], dtype=object if c in nullable else None)
            for c in cols
        },
        columns=cols,
    )


def _source(
    calc: Any, data: Mapping[str, Any], path: tuple[str | int, ...]
) -> tuple[Any, Problem | None]:
    name = getattr(calc, "data", None)
    if name is None and len(data) == 1:
        name = next(iter(data))
    if name is None or name not in data:
        return None, Problem(
            (*path, "data"),
            "missing_data",
            f"data source {name!r} was not given; sources: {', '.join(data) or 'none'}",
        )
    return data[name], None


def evaluate(model: ImpactModel, *, data: Mapping[str, Any] | None = None) -> Evaluation:
    """Run a whole model against data: outputs, outcomes, attribution, valuation, SROI.

    Parameters
    ----------
    model : ImpactModel
        Output nodes and indicators of its theory of change may carry a
        ``measure`` (a calculator); outcome rows may hold calculators for their
        quantity and deadweight.
    data : mapping of str to DataFrame
        Data sources by name.

    Returns
    -------
    Evaluation

    Raises
    ------
    ValidationError
        Every problem at once (missing sources or columns, with the path of
        the node, indicator or row); nothing is half-evaluated.

    Examples
    --------
    >>> import impactkit as ik
    >>> ev = ik.evaluate(ik.examples.load_example(), data=ik.examples.load_example_data())
    >>> ev.mode, sorted(ev.measures["node"].unique())[:2]
    ('evaluative', ['carer_respite', 'employed_12m'])
    """
    data = dict(data or {})
    problems: list[Problem] = []
    rows: list[dict[str, Any]] = []
    toc = model.toc
    if toc is not None:
        for node in toc.nodes:
            jobs: list[tuple[Any, tuple[str | int, ...], str]] = []
            if node.measure is not None:
                jobs.append((node.measure, ("toc", "nodes", node.id, "measure"), ""))
            for i, ind in enumerate(node.indicators):
                if ind.measure is not None:
                    jobs.append(
                        (
                            ind.measure,
                            ("toc", "nodes", node.id, "indicators", i, "measure"),
                            ind.id,
                        )
                    )
            for calc, path, ind_id in jobs:
                df, prob = _source(calc, data, path)
                if prob is not None:
                    problems.append(prob)
                    continue
                try:
                    r = calc.compute(df)
                except ValidationError as exc:
                    problems.extend(p.prefixed(*path) for p in exc.problems)
                    continue
                ci = getattr(r, "ci", None)
                rows.append(
                    {
                        "node": node.id,
                        "kind": node.kind,
                        "label": node.label,
                        "indicator": ind_id or None,
                        "calculator": calc.to_dict().get("calculator"),
                        "data": getattr(r, "data", None),
                        "quantity": float(r.quantity),
                        "n": int(r.n),
                        "missing": int(r.missing),
                        "share": getattr(r, "share", None),
                        "mean_change": getattr(r, "mean_change", None),
                        "ci_low": None if ci is None else float(ci[0]),
                        "ci_high": None if ci is None else float(ci[1]),
                    }
                )
    result: SROIResult | None = None
    if model.inputs and model.outcomes:
        try:
            result = sroi(model, data=data)
        except ValidationError as exc:
            problems.extend(exc.problems)
    if problems:
        raise ValidationError(problems)
    measures = _frame(
        rows, _MEASURE_COLS, ("indicator", "share", "mean_change", "ci_low", "ci_high")
    )
    nodes = []
    pv = (
        result.by_outcome.groupby("outcome")["present_value"].sum()
        if result is not None
        else pd.Series(dtype=float)
    )
    total = float(pv.sum()) if len(pv) else 0.0
    if toc is not None:
        first = measures.drop_duplicates("node").set_index("node")["quantity"]
        for node in toc.nodes:
            v = float(pv.get(node.id, 0.0))
            nodes.append(
                {
                    "node": node.id,
                    "kind": node.kind,
                    "label": node.label,
                    "stakeholder": node.stakeholder,
                    "measured": float(first[node.id]) if node.id in first.index else None,
                    "present_value": v,
                    "share": v / total if total else 0.0,
                }
            )
    by_node = _frame(
        nodes,
        ["node", "kind", "label", "stakeholder", "measured", "present_value", "share"],
        ("stakeholder", "measured"),
    )
    return Evaluation(model.mode, measures, by_node, result)
