"""Hypothesis strategies and reference models shared by the tests."""

from __future__ import annotations

import functools
import operator
from typing import Any

from hypothesis import strategies as st

import impactkit as ik
from impactkit import dist, measure
from impactkit.toc import HORIZONS, TheoryOfChange

fractions = st.floats(0.0, 1.0, allow_nan=False)
money = st.floats(0.0, 1e7, allow_nan=False)
quantities = st.floats(0.0, 1e4, allow_nan=False)
proxies = st.floats(0.0, 1e5, allow_nan=False)
durations = st.integers(0, 12)
rates = st.floats(0.0, 0.2, allow_nan=False)
ids = st.from_regex(r"[a-z][a-z0-9_]{0,10}", fullmatch=True)
labels = st.text(
    alphabet=st.characters(codec="utf-8", categories=("L", "N", "Zs")), min_size=1, max_size=20
).filter(lambda s: s.strip())


def synthetic_model(**changes: Any) -> ik.ImpactModel:
    """docs/methods/sroi.md: two outcome rows, inputs 46,000, 3.5 %, SROI convention."""
    m = ik.ImpactModel(
        name="Synthetic fixture",
        currency="EUR",
        discount=ik.discount.Constant(0.035),
        inputs=[
            ik.Input("Cash", amount=40_000, stakeholder="funder"),
            ik.model.volunteer_time(500, 12),
        ],
        outcomes=[
            ik.OutcomeValuation(
                outcome="a",
                stakeholder="participants",
                quantity=50,
                proxy=1000,
                deadweight=0.2,
                displacement=0.0,
                attribution=0.1,
                drop_off=0.1,
                duration=3,
                start_year=1,
            ),
            ik.OutcomeValuation(
                outcome="b",
                stakeholder="families",
                quantity=20,
                proxy=2500,
                deadweight=0.5,
                displacement=0.1,
                attribution=0.25,
                duration=1,
            ),
        ],
    )
    return m.evolve(**changes) if changes else m


@st.composite
def outcome_rows(draw: st.DrawFn, stakeholder: str = "s", outcome: str = "o") -> Any:
    return ik.OutcomeValuation(
        outcome=outcome,
        stakeholder=stakeholder,
        quantity=draw(quantities),
        proxy=draw(proxies),
        deadweight=draw(fractions),
        displacement=draw(fractions),
        attribution=draw(fractions),
        leakage=draw(fractions),
        drop_off=draw(fractions),
        duration=draw(durations),
        start_year=draw(st.sampled_from([1, 2])),
        drop_off_method=draw(st.sampled_from(["compound", "linear"])),
    )


@st.composite
def models(draw: st.DrawFn, max_rows: int = 5) -> ik.ImpactModel:
    rows = draw(st.lists(outcome_rows(), min_size=1, max_size=max_rows))
    amounts = draw(st.lists(st.floats(1.0, 1e6), min_size=1, max_size=3))
    years = draw(st.lists(st.integers(0, 3), min_size=len(amounts), max_size=len(amounts)))
    return ik.ImpactModel(
        name="random",
        discount=ik.discount.Constant(draw(rates)),
        inputs=[
            ik.Input(f"in{i}", amount=a, year=y)
            for i, (a, y) in enumerate(zip(amounts, years, strict=True))
        ],
        outcomes=rows,
        first_flow_at=draw(st.sampled_from(["t1", "t0"])),
    )


@st.composite
def tocs(draw: st.DrawFn, max_per_layer: int = 4) -> TheoryOfChange:
    """Random valid theories of change: layered, links only go up, every outcome reached."""
    toc = TheoryOfChange(draw(labels), description=draw(st.text(max_size=20)))
    n_sh = draw(st.integers(1, 3))
    shs = [f"s{i}" for i in range(n_sh)]
    for s in shs:
        toc.add_stakeholder(s, label=draw(labels), size=draw(st.none() | st.integers(0, 500)))
    layers: list[list[str]] = []
    spec = (
        [("input", None), ("activity", None), ("output", None)]
        + [("outcome", h) for h in HORIZONS]
        + [("impact", None)]
    )
    for kind, horizon in spec:
        n = draw(st.integers(1 if kind in ("activity", "outcome") else 0, max_per_layer))
        if kind == "impact":
            n = draw(st.integers(0, 1))
        layer = []
        for j in range(n):
            nid = f"{kind[:3]}{horizon or ''}{j}"
            sh = draw(st.sampled_from(shs)) if kind == "outcome" else None
            inds = []
            if kind == "outcome" and draw(st.booleans()):
                inds = [
                    ik.toc.Indicator(
                        f"i_{nid}",
                        draw(labels),
                        target=draw(st.floats(0, 100)),
                        threshold=1,
                        timeline="12 months",
                    )
                ]
            toc.add_node(
                nid,
                kind=kind,
                label=draw(labels),
                stakeholder=sh,
                horizon=horizon,
                indicators=inds,
            )
            layer.append(nid)
        layers.append(layer)
    placed: list[str] = []
    for li, layer in enumerate(layers):
        for nid in layer:
            earlier = [n for n in placed if n in functools.reduce(operator.iadd, layers[:li], [])]
            if earlier and (toc.node(nid).kind != "input"):
                sources = draw(
                    st.lists(st.sampled_from(earlier), min_size=1, max_size=3, unique=True)
                )
                for s in sources:
                    toc.add_link(
                        s,
                        nid,
                        rationale=draw(st.text(max_size=10)),
                        evidence=draw(st.none() | st.integers(1, 5)),
                        assumptions=draw(
                            st.lists(
                                st.builds(
                                    ik.toc.Assumption,
                                    labels,
                                    st.sampled_from([None, "holds", "untested"]),
                                ),
                                max_size=2,
                            )
                        ),
                    )
        placed.extend(layer)
    # guarantee every outcome is reached from an activity
    acts = layers[1]
    for nid in [n for layer in layers[3:6] for n in layer]:
        if not (set(toc.upstream(nid)) & set(acts)):
            toc.add_link(acts[0], nid, rationale="direct")
    return toc


def pinned_toc() -> TheoryOfChange:
    """The theory of change of the architecture page's pinned example."""
    toc = ik.TheoryOfChange("Job coaching")
    toc.add_stakeholder("participants", label="Adults with disabilities", size=120)
    toc.add_node("coaching", kind="activity", label="Individual job coaching")
    toc.add_node("sessions", kind="output", label="Coaching sessions delivered")
    toc.add_node(
        "employed", kind="outcome", label="In paid work at 12 months", stakeholder="participants"
    )
    toc.add_link("coaching", "sessions")
    toc.add_link("sessions", "employed", assumption="...", evidence=3)
    return toc


def rich_model():
    toc = ik.TheoryOfChange("Rich", description="all features")
    toc.add_stakeholder("p", label="People", size=10, description="d")
    toc.add_node("a", kind="activity", label="Act")
    toc.add_node(
        "o",
        kind="outcome",
        label="Out",
        stakeholder="p",
        horizon="short",
        indicators=[
            ik.toc.Indicator(
                "i",
                "Ind",
                unit="people",
                baseline=1,
                target="more",
                threshold=2,
                timeline="1y",
                data_source="survey",
                external_ids={"iris": "PI4060"},
            )
        ],
        above_ceiling=True,
    )
    toc.add_link(
        "a",
        "o",
        assumptions=[ik.toc.Assumption("x", "holds"), "y"],
        rationale="r",
        evidence=4,
        confidence=0.7,
        lag=0.5,
    )
    return ik.ImpactModel(
        name="Rich",
        currency="GBP",
        base_year=2024,
        toc=toc,
        discount=ik.discount.Constant(dist.Uniform(0.02, 0.05), name="uncertain"),
        price_index=ik.PriceIndex({2020: 100.0, 2024: 120.0}, name="cpi", source="ONS"),
        inputs=[
            ik.Input(
                "Grant",
                amount=dist.PERT(9, 10, 12),
                stakeholder="funder",
                year=1,
                in_kind=False,
                source="s",
                description="d",
            ),
            ik.model.volunteer_time(10, 9.5),
        ],
        outcomes=[
            ik.OutcomeValuation(
                outcome="o",
                stakeholder="p",
                quantity=dist.Triangular(1, 2, 3),
                proxy=ik.FinancialProxy(
                    dist.LogNormal(100, 20),
                    currency="GBP",
                    year=2020,
                    source="src",
                    description="desc",
                    unit="person",
                ),
                duration=dist.Uniform(1, 3),
                start_year=2,
                deadweight=dist.Beta(0.3, 0.1),
                displacement=dist.Normal(0.1, 0.05, low=0, high=1),
                attribution=0.2,
                leakage=0.05,
                drop_off=dist.Fixed(0.1),
                drop_off_method="linear",
                label="lbl",
                indicator="i",
                sources={"deadweight": "study"},
                evidence={"deadweight": "rct"},
            ),
            ik.OutcomeValuation(
                outcome="o",
                stakeholder="p",
                quantity=measure.Threshold(
                    column="y",
                    at_least=1,
                    data="survey",
                    where=[{"column": "site", "op": "in", "value": ["a", "b"]}],
                    by="site",
                ),
                proxy=50,
            ),
        ],
        first_flow_at="t0",
        mode="evaluative",
        description="desc",
        metadata={"k": [1, 2.5, "x", None, True], "nested": {"a": {"b": 1}}},
    )
