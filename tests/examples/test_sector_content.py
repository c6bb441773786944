"""What a practitioner would sign in each shipped example: enough valued outcomes, for the
people supported as well as the payers, mostly sourced, no transfer counted as social value,
and a marginal-share sensitivity case for every average cost counted as a saving."""

from __future__ import annotations

import re

import attrs
import pytest

import impactkit as ik

NAMES = ik.examples.names()
PAYERS = {
    "etat",
    "etat_justice",
    "assurance_maladie",
    "departement",
    "caf",
    "commune",
    "public",
    "region",
    "france_travail",
    "branche_autonomie",
    "cnsa",
}
"""Stakeholder ids of public payers, spelt as the examples' theories of change spell them."""


def _illustrative(ov: ik.OutcomeValuation) -> bool:
    return "illustrati" in ov.proxy.source.lower()


def _catalogue_id(ov: ik.OutcomeValuation) -> str | None:
    m = re.match(r"\[catalogue:([a-z0-9_]+)\] ", ov.proxy.source)
    return m.group(1) if m else None


@pytest.fixture(scope="module", params=NAMES)
def example(request):
    name = request.param
    model = ik.examples.load_example(name, measured=False)
    data = ik.examples.load_example_data(name)
    return name, model, data, ik.sroi(model, data=data)


def test_valid(example):
    _, model, _, _ = example
    model.validate()
    assert [p for p in model.problems() if p.severity == "error"] == []


def test_no_transfer_or_concentration_warning(example):
    _, model, data, _ = example
    codes = {f.code for f in ik.lint(model, data=data) if f.severity == "warning"}
    flagged = {c for c in codes if "transfer" in c or "concentrat" in c or "illustrat" in c}
    assert flagged == set()


def test_at_least_four_valued_outcomes_including_the_people_supported(example):
    name, model, _, res = example
    pv = res.by_outcome["present_value"]
    # a transfer row (money moved, not value created) does not count
    valued = [
        ov for k, ov in enumerate(model.outcomes) if pv.iloc[k] != 0 and not ov.proxy.transfer
    ]
    assert len(valued) >= 4, name
    assert any(ov.stakeholder not in PAYERS for ov in valued), name


def test_illustrative_proxies_carry_at_most_a_quarter_of_the_value(example):
    name, model, _, res = example
    pv = res.by_outcome["present_value"].abs()
    share = sum(pv.iloc[k] for k, ov in enumerate(model.outcomes) if _illustrative(ov)) / pv.sum()
    assert share <= 0.25, (name, share)


def test_no_transfer_counted_as_social_value(example):
    name, model, _, res = example
    pv = res.by_outcome["present_value"]
    cat = ik.valuation.catalogue().set_index("id")
    net: dict[str, float] = {}
    for k, ov in enumerate(model.outcomes):
        entry = _catalogue_id(ov)
        is_transfer = bool(ov.proxy.transfer)
        if entry is not None and "transfer" in cat.columns:
            is_transfer |= bool(cat.loc[entry, "transfer"])
        if is_transfer:
            key = ov.proxy.transfer or entry or ov.outcome
            net[key] = net.get(key, 0.0) + float(pv.iloc[k])
    # a transfer is either left out or valued on both sides, netting to nothing
    assert all(v == pytest.approx(0.0, abs=1e-6) for v in net.values()), (name, net)


def test_every_average_cost_saving_has_a_marginal_share_case(example):
    name, model, data, res = example
    cat = ik.valuation.catalogue().set_index("id")
    shares = model.metadata.get("marginal_shares", {})
    averages = [
        k
        for k, ov in enumerate(model.outcomes)
        if (entry := _catalogue_id(ov)) is not None
        and cat.loc[entry, "basis"] == "average"
        and cat.loc[entry, "payer"] not in ("personne", "autre")
        and res.by_outcome["present_value"].iloc[k] > 0
    ]
    for k in averages:
        ov = model.outcomes[k]
        assert ov.outcome in shares, (name, ov.outcome)
        assert 0 < shares[ov.outcome] < 1
        assert "sensitivity case" in ov.sources.get("proxy", ""), (name, ov.outcome)
    # the case runs: the saving scaled by its marginal share lowers the ratio
    if shares:
        outcomes = [
            attrs.evolve(
                ov,
                proxy=attrs.evolve(ov.proxy, value=ov.proxy.central_value * shares[ov.outcome]),
            )
            if ov.outcome in shares
            else ov
            for ov in model.outcomes
        ]
        low = ik.sroi(attrs.evolve(model, outcomes=outcomes), data=data)
        assert 0 < low.ratio < res.ratio


def test_measured_model_equals_the_computation_from_its_data(example):
    name, _, _, res = example
    measured = ik.examples.load_example(name)
    assert not ik.measure.has_calculators(measured)
    a = ik.sroi(measured)
    assert a.ratio == pytest.approx(res.ratio, rel=1e-12)
    assert a.present_value == pytest.approx(res.present_value, rel=1e-12)


def test_french_report_names_every_unvalued_outcome(example):
    import html

    from impactkit import report

    _, model, _, res = example
    text = html.unescape(report.html(report.build(res, lang="fr")))
    start = text.index("Ce chiffre ne compte pas encore :")
    sentence = text[start : text.index("</p>", start)]
    valued = {ov.outcome for ov in model.outcomes}
    for node in model.toc.nodes_of_kind("outcome"):
        if node not in valued:
            assert model.toc.node(node).label in sentence, node
