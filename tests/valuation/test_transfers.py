"""Transfers the code can read: the catalogue's ``transfer`` and ``benefit_in_kind`` marks."""

from __future__ import annotations

import csv
import re

import attrs
import numpy as np
import pytest

import impactkit as ik
from impactkit.valuation._catalogue import COLUMNS

# Every allowance, minimum income, tax or social contribution and subsidy in the catalogue.
TRANSFERS = {
    "rsa_forfait_personne_seule",
    "rsa_majore_parent_isole_1_enfant",
    "aah_taux_plein_2025",
    "aah_taux_plein_2023",
    "pch_aide_humaine_mois",
    "apa_domicile_plan_gir1",
    "apa_domicile_plan_gir2",
    "apa_domicile_plan_gir3",
    "apa_domicile_plan_gir4",
    "emploi_recettes_publiques_an",
    "iae_aide_poste_aci",
    "iae_aide_poste_ei",
    "iae_aide_poste_etti",
    "iae_aide_poste_ai",
}
# Allowances earmarked to buy help: a saving only if the help is no longer consumed.
IN_KIND = {
    "pch_aide_humaine_mois",
    "apa_domicile_plan_gir1",
    "apa_domicile_plan_gir2",
    "apa_domicile_plan_gir3",
    "apa_domicile_plan_gir4",
}


@pytest.fixture(scope="module")
def cat():
    return ik.valuation.catalogue().set_index("id")


def test_the_two_marks_are_booleans_placed_after_basis(cat):
    assert COLUMNS.index("transfer") == COLUMNS.index("basis") + 1
    assert COLUMNS.index("benefit_in_kind") == COLUMNS.index("transfer") + 1
    assert cat["transfer"].dtype == np.bool_
    assert cat["benefit_in_kind"].dtype == np.bool_


@pytest.mark.parametrize("entry", sorted(TRANSFERS))
def test_every_allowance_tax_and_contribution_is_a_transfer(cat, entry):
    assert bool(cat.loc[entry, "transfer"]), entry


@pytest.mark.parametrize("entry", sorted(IN_KIND))
def test_allowances_earmarked_for_help_are_benefits_in_kind(cat, entry):
    assert bool(cat.loc[entry, "benefit_in_kind"]), entry


def test_allowances_found_by_label_are_all_marked(cat):
    # any entry whose label names an allowance, a minimum income, a tax or a
    # contribution must carry the mark, whoever added it
    names = re.compile(
        r"^(rsa|allocation|prestation|apa|aide au poste)\b|\b(cotisations|impôts)\b"
    )
    labelled = {i for i, label in cat["label_fr"].items() if names.search(label.lower())}
    assert labelled, "the label search found nothing"
    for entry in labelled:
        assert bool(cat.loc[entry, "transfer"]), entry


def test_resource_costs_are_not_transfers(cat):
    for entry in ("mas_place_an", "urgences_passage_cnam", "pjm_certificat_medical"):
        assert not bool(cat.loc[entry, "transfer"]), entry
    assert not cat.loc[~cat["transfer"], "benefit_in_kind"].any()


def _write(tmp_path, **kw):
    row = {
        "id": "x",
        "label_fr": "x",
        "label_en": "x",
        "value": "10",
        "unit": "EUR per month",
        "currency": "EUR",
        "year": "2024",
        "payer": "etat",
        "basis": "marginal",
        "transfer": "true",
        "benefit_in_kind": "false",
        "sector": "transversal",
        "status": "sourced",
        "source": "Publisher, Title, 2024, p. 1",
        "url": "https://example.org",
        "notes": "Read on p. 1",
        **kw,
    }
    path = tmp_path / "mine.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        w.writerow(row)
    return path


def test_user_catalogue_reads_the_marks(tmp_path):
    df = ik.valuation.catalogue(path=_write(tmp_path))
    assert bool(df.loc[0, "transfer"]) is True
    assert bool(df.loc[0, "benefit_in_kind"]) is False


def test_user_catalogue_refuses_a_blank_or_odd_mark(tmp_path):
    path = _write(tmp_path, transfer="", benefit_in_kind="yes")
    with pytest.raises(ik.ValidationError) as ei:
        ik.valuation.catalogue(path=path)
    found = {(p.location, p.code) for p in ei.value.problems}
    assert found >= {("[0].transfer", "type"), ("[0].benefit_in_kind", "type")}


def test_a_benefit_in_kind_must_be_a_transfer(tmp_path):
    path = _write(tmp_path, transfer="false", benefit_in_kind="true")
    with pytest.raises(ik.ValidationError, match="transfer too") as ei:
        ik.valuation.catalogue(path=path)
    assert ei.value.problems[0].code == "benefit_in_kind"


# --------------------------------------------------------------- the marks travel
def test_proxy_from_catalogue_carries_the_marks():
    p = ik.valuation.proxy_from_catalogue("rsa_forfait_personne_seule")
    assert p.transfer == "rsa_forfait_personne_seule"
    assert p.benefit_in_kind is False
    apa = ik.valuation.proxy_from_catalogue("apa_domicile_plan_gir2")
    assert (apa.transfer, apa.benefit_in_kind) == ("apa_domicile_plan_gir2", True)
    assert ik.valuation.proxy_from_catalogue("mas_place_an").transfer == ""
    assert (
        ik.valuation.proxy_from_catalogue("rsa_forfait_personne_seule", transfer="rsa").transfer
        == "rsa"
    )


def test_proxy_from_catalogue_negative_side_and_refused_empty_name():
    lost = ik.valuation.proxy_from_catalogue("aah_taux_plein_2025", negative=True)
    assert lost.value == -1033.32
    with pytest.raises(ik.ValidationError) as ei:
        ik.valuation.proxy_from_catalogue("aah_taux_plein_2025", transfer="")
    assert ei.value.problems[0].code == "transfer"


def test_unit_cost_from_catalogue_carries_the_marks():
    u = ik.valuation.unit_cost_from_catalogue("rsa_forfait_personne_seule")
    assert (u.transfer, u.benefit_in_kind) == (True, False)
    apa = ik.valuation.unit_cost_from_catalogue("apa_domicile_part_departement_gir1")
    assert (apa.transfer, apa.benefit_in_kind) == (True, True)
    assert ik.valuation.unit_cost_from_catalogue("mas_place_an").transfer is False
    # an explicit choice still wins
    assert ik.valuation.unit_cost_from_catalogue("mas_place_an", transfer=True).transfer


def test_a_benefit_in_kind_proxy_must_name_its_transfer():
    with pytest.raises(ik.ValidationError, match="transfer too"):
        ik.FinancialProxy(100, benefit_in_kind=True)


def test_the_mark_survives_the_model_file():
    from impactkit.io import dumps, loads

    ov = ik.OutcomeValuation(
        outcome="apa",
        stakeholder="departement",
        quantity=3,
        proxy=ik.valuation.proxy_from_catalogue("apa_domicile_plan_gir1"),
    )
    m = ik.ImpactModel(name="m", outcomes=[ov], inputs=[ik.Input("g", amount=1.0)])
    back = loads(dumps(m))
    assert back.outcomes[0].proxy.benefit_in_kind is True
    assert back.outcomes[0].proxy.transfer == "apa_domicile_plan_gir1"


# --------------------------------------------------------------- lint
def _model(*rows, **kw):
    return ik.ImpactModel(
        name="m",
        **kw,
        base_year=2025,
        inputs=[ik.Input("g", amount=10_000.0)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="job",
                stakeholder="participants",
                quantity=10,
                proxy=ik.FinancialProxy(5_000, source="INSEE 2025", year=2025),
                deadweight=0.2,
            ),
            *rows,
        ],
    )


def _aah(stakeholder, *, negative=False, outcome=None):
    return ik.OutcomeValuation(
        outcome=outcome or f"aah_{stakeholder}",
        stakeholder=stakeholder,
        quantity=12,
        proxy=ik.valuation.proxy_from_catalogue("aah_taux_plein_2025", negative=negative),
        deadweight=0.2,
    )


def _codes(model):
    return [(f.code, f.location) for f in ik.lint(model) if f.code.startswith("transfer")]


def test_an_allowance_saved_alone_gets_the_transfer_warning():
    found = _codes(_model(_aah("etat")))
    assert found == [("transfer_one_side", "outcomes[1].proxy.transfer")]
    f = next(f for f in ik.lint(_model(_aah("etat"))) if f.code == "transfer_one_side")
    assert f.severity == "warning"
    assert "'etat'" in f.message


def test_an_allowance_lost_alone_gets_the_transfer_warning():
    assert [c for c, _ in _codes(_model(_aah("participants", negative=True)))] == [
        "transfer_one_side"
    ]


def test_both_sides_with_opposite_signs_pass():
    # the correct treatment: the State's saving and the participants' loss cancel
    model = _model(_aah("etat"), _aah("participants", negative=True))
    assert _codes(model) == []
    assert ik.sroi(model).present_value == pytest.approx(ik.sroi(_model()).present_value)


def test_the_same_sign_twice_is_still_flagged():
    found = _codes(_model(_aah("etat"), _aah("departement")))
    assert found == [("transfer_twice", "outcomes[2].proxy.transfer")]


def test_a_benefit_in_kind_gets_an_information():
    apa = ik.OutcomeValuation(
        outcome="apa_saved",
        stakeholder="departement",
        quantity=2,
        proxy=ik.valuation.proxy_from_catalogue("apa_domicile_plan_gir2"),
        deadweight=0.2,
    )
    lost = attrs.evolve(
        apa,
        outcome="apa_lost",
        stakeholder="patients",
        proxy=ik.valuation.proxy_from_catalogue("apa_domicile_plan_gir2", negative=True),
    )
    model = _model(apa, lost, price_index=ik.PriceIndex.insee_cpi())
    found = [(f.code, f.severity) for f in ik.lint(model) if f.code == "benefit_in_kind"]
    assert found == [("benefit_in_kind", "info"), ("benefit_in_kind", "info")]


# --------------------------------------------------------------- avoided costs
def test_avoided_costs_report_transfers_apart_by_payer():
    from impactkit.methods import AvoidedCostItem, avoided_costs

    units = {
        k: ik.valuation.unit_cost_from_catalogue(k)
        for k in ("rsa_forfait_personne_seule", "mas_place_jour")
    }
    items = [
        AvoidedCostItem("rsa_forfait_personne_seule", people=10, reduction=6),
        AvoidedCostItem("mas_place_jour", people=2, reduction=30),
    ]
    r = avoided_costs(items, units, discount=0.0, extra_revenue=1_000.0, public_funding=1.0)
    rsa, mas, revenue = 10 * 6 * 646.52, 2 * 30 * 230.0, 1_000.0
    assert r.transfers == pytest.approx(rsa)
    assert r.revenue == pytest.approx(revenue)
    assert r.resource_costs == pytest.approx(mas)
    assert r.present_value == pytest.approx(rsa + mas + revenue)
    bp = r.by_payer.set_index("payer")
    assert bp.loc["departement", "transfers"] == pytest.approx(rsa)
    assert bp.loc["departement", "resource_costs"] == 0.0
    assert bp.loc["securite_sociale", "resource_costs"] == pytest.approx(mas)
    assert r.by_year["transfers"].sum() == pytest.approx(rsa)
    d = r.to_dict()
    assert d["revenue"] == pytest.approx(revenue)
    lines = dict(r.summary().lines)
    assert lines["Resources released (PV)"] == f"{mas:,.2f}"


def test_avoided_costs_note_a_benefit_in_kind():
    from impactkit.methods import AvoidedCostItem, avoided_costs

    units = {"apa": ik.valuation.unit_cost_from_catalogue("apa_domicile_part_departement_gir1")}
    units = {"apa": attrs.evolve(units["apa"], key="apa")}
    r = avoided_costs([AvoidedCostItem("apa", people=1, reduction=12)], units, discount=0.0)
    assert "benefit_in_kind" in {w.code for w in r.warnings}
