"""ik.lint says when the value rests on one outcome or on illustrative proxies."""

from __future__ import annotations

import attrs
import pytest

import impactkit as ik
from impactkit.assurance import concentration_sentences


def _row(outcome, value, *, source="INSEE, table 1", transfer=""):
    return ik.OutcomeValuation(
        outcome=outcome,
        stakeholder="people",
        quantity=1,
        proxy=ik.FinancialProxy(value, source=source, transfer=transfer),
        deadweight=0.1,
    )


def _model(*rows):
    return ik.ImpactModel(
        name="m", discount=0.0, inputs=[ik.Input("g", amount=1_000.0)], outcomes=list(rows)
    )


def _found(model, **kw):
    return {
        f.code: f
        for f in ik.lint(model, **kw)
        if f.code in ("value_concentration", "illustrative_share")
    }


def test_eighty_percent_on_one_outcome_is_flagged():
    found = _found(_model(_row("a", 800), _row("b", 200)))
    assert set(found) == {"value_concentration"}
    f = found["value_concentration"]
    assert f.severity == "warning"
    assert f.message == "80% of the value rests on one outcome: 'a'."


def test_just_below_the_threshold_passes():
    assert _found(_model(_row("a", 799), _row("b", 201))) == {}


def test_rows_of_one_outcome_add_up():
    m = _model(_row("a", 500), attrs.evolve(_row("a", 400), stakeholder="others"), _row("b", 100))
    assert "value_concentration" in _found(m)


def test_half_on_illustrative_proxies_is_flagged():
    m = _model(
        _row("a", 300, source="Illustrative: a guess"),
        _row("b", 200, source=""),
        _row("c", 250),
        _row("d", 250),
    )
    found = _found(m)
    assert set(found) == {"illustrative_share"}
    assert found["illustrative_share"].message == (
        "50% of the value rests on illustrative or unsourced financial proxies."
    )
    assert _found(m, illustrative=0.6) == {}


def test_catalogue_illustrative_entries_count_as_illustrative():
    p = ik.valuation.proxy_from_catalogue("csapa_suivi_patient_an")
    assert "illustrative" in p.source
    m = _model(
        ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=1, proxy=p, deadweight=0.1),
        _row("b", 500),
        _row("c", 500),
    ).evolve(base_year=2023)
    assert "illustrative_share" in _found(m)


def test_transfers_are_left_out_of_the_shares():
    # the two sides of the RSA cancel; they neither dilute nor make the concentration
    m = _model(
        _row("a", 600),
        _row("b", 400),
        _row("rsa_saved", 5_000, transfer="rsa"),
        _row("rsa_lost", -5_000, transfer="rsa"),
    )
    assert _found(m) == {}


def test_thresholds_are_options():
    m = _model(_row("a", 700), _row("b", 300))
    assert _found(m) == {}
    assert set(_found(m, concentration=0.7)) == {"value_concentration"}


def test_french_sentence_and_labels():
    r = ik.sroi(_model(_row("a", 900), _row("b", 100)))
    ((code, text),) = concentration_sentences(r, lang="fr", labels={"a": "Emploi retrouvé"})
    assert code == "value_concentration"
    assert text == "90\xa0% de la valeur repose sur un seul effet : Emploi retrouvé."


def test_no_positive_value_no_sentence():
    r = ik.sroi(_model(_row("a", -100)))
    assert concentration_sentences(r) == []


@pytest.mark.parametrize("name", ["protection_enfance", "insertion_iae"])
def test_shares_match_the_by_outcome_table(name):
    r = ik.sroi(ik.examples.load_example(name))
    found = concentration_sentences(r, concentration=0.0)
    assert found[0][0] == "value_concentration"
