"""Embedded example: *emploi accompagné*, a supported-employment service in France.

A realistic medico-social programme helping adults with disabilities into
ordinary work, with its theory of change (participants, families, employers,
public finances), seeded synthetic participant, session and employer data
with missing values, and proxies with sources and price years.

>>> import impactkit as ik
>>> model = ik.examples.load_example(measured=False)    # quantities are calculators
>>> data = ik.examples.load_example_data()
>>> sorted(data)
['employers', 'participants', 'sessions']
>>> res = ik.sroi(model, data=data)
>>> res.ratio > 1
True
>>> round(ik.sroi(ik.examples.load_example()).ratio, 10) == round(res.ratio, 10)
True

The files are rebuilt by ``python -m impactkit.examples.generate``.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import pandas as pd

from impactkit.model import ImpactModel

__all__ = ["EXAMPLE", "load_example", "load_example_data", "load_unit_costs", "run_demo"]

EXAMPLE = "emploi_accompagne"
"""Name of the embedded example."""


def _files() -> Any:
    return resources.files("impactkit.examples")


def load_example(name: str = EXAMPLE, *, measured: bool = True) -> ImpactModel:
    """The embedded example model.

    Parameters
    ----------
    name : str
        The example (only ``"emploi_accompagne"`` for now).
    measured : bool, default True
        True: the quantities measured on the shipped data, so the model
        evaluates on its own (``ik.sroi(load_example())``). False: the model as
        stored, its quantities being calculators bound to the data sources of
        :func:`load_example_data` (``ik.sroi(model, data=load_example_data())``).
    """
    from impactkit.io import loads

    if name != EXAMPLE:
        from impactkit.errors import ValidationError

        raise ValidationError(
            f"no example {name!r}; available: {EXAMPLE}", path=("name",), code="unknown_example"
        )
    text = (_files() / f"{name}.json").read_text(encoding="utf-8")
    model = loads(text, "json")
    if measured:
        from impactkit.measure._binding import bind

        model = bind(model, load_example_data()).model
    return model


def load_example_data() -> dict[str, pd.DataFrame]:
    """The example's data sources: ``participants``, ``sessions``, ``employers``."""
    out = {}
    for name in ("participants", "sessions", "employers"):
        with (_files() / "data" / f"{name}.csv").open("r", encoding="utf-8") as fh:
            out[name] = pd.read_csv(fh)
    return out


def load_unit_costs() -> dict[str, Any]:
    """The example's unit public-cost catalogue (for :func:`impactkit.methods.avoided_costs`).

    AAH and RSA amounts are the 2024 national scales (transfers); the other
    entries are illustrative orders of magnitude, labelled as such.
    """
    from impactkit.methods import UnitCost

    with (_files() / "data" / "unit_costs.csv").open("r", encoding="utf-8") as fh:
        return UnitCost.catalogue(pd.read_csv(fh))


def run_demo(n: int = 10_000, seed: int = 0) -> str:
    """Run the example end to end and return the text the ``impactkit demo`` command prints.

    Theory-of-change summary, outputs and measured quantities with ``n`` and
    ``missing``, the SROI table and a Monte Carlo interval.
    """
    from impactkit.measure import Count, Sum
    from impactkit.methods import sroi
    from impactkit.uncertainty import monte_carlo

    model = load_example(measured=False)
    data = load_example_data()
    toc = model.toc
    lines: list[str] = [f"impactkit demo - {model.name}", ""]
    if toc is not None:
        kinds = pd.Series([n.kind for n in toc.nodes]).value_counts()
        probs = model.problems()
        n_err = sum(p.severity == "error" for p in probs)
        lines += [
            "Theory of change",
            "----------------",
            f"{len(toc.stakeholders)} stakeholders, {len(toc)} nodes "
            f"({', '.join(f'{v} {k}' for k, v in kinds.items())}), {len(toc.links)} links; "
            f"{n_err} errors, {len(probs) - n_err} warnings",
        ]
        for o in toc.nodes_of_kind("outcome"):
            node = toc.node(o)
            lines.append(
                f"  - {node.label} [{node.stakeholder}] <- "
                f"{', '.join(toc.contributing_activities(o))}"
            )
        lines.append("")
    sessions = Count(data="sessions").compute(data["sessions"])
    hours = Sum("hours", data="sessions").compute(data["sessions"])
    people = Count(unique="participant_id", data="sessions").compute(data["sessions"])
    res = sroi(model, data=data)
    lines += ["Outputs and measured quantities", "-------------------------------"]
    rows = [
        ("sessions delivered", sessions),
        ("hours of coaching", hours),
        ("people coached", people),
    ]
    rows += [(f"outcomes[{k}] {model.outcomes[k].outcome}", m) for k, m in res.measured.items()]
    width = max(len(r[0]) for r in rows)
    for label, m in rows:
        lines.append(
            f"  {label.ljust(width)}  {m.quantity:10,.1f}   n={m.n:<5} missing={m.missing}"
        )
    lines += ["", str(res.summary()), ""]
    table = res.by_outcome[
        ["outcome", "stakeholder", "quantity", "proxy_value", "impact", "present_value", "share"]
    ]
    lines += [table.to_string(index=False, float_format=lambda x: f"{x:,.2f}"), ""]
    mc = monte_carlo(model, n=n, seed=seed, data=data, sampling_uncertainty=True)
    lo, hi = mc.interval(0.90)
    lines.append(
        f"Monte Carlo ({n:,} draws, seed {seed}, sampling uncertainty of measured "
        f"quantities included): SROI ratio 90% interval {lo:.2f} - {hi:.2f} : 1, "
        f"P(ratio > 1) = {mc.probability_ratio_above(1.0):.1%}"
    )
    return "\n".join(lines)


from impactkit.examples._interviews import (  # noqa: E402 - the coded interview set
    interviews_path,
    load_example_interviews,
)

__all__ += ["interviews_path", "load_example_interviews"]
