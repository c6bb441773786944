"""Catalogue corrections: the certificate's price, the value of life and its index rule, APA
notified not consumed, a primary AAH source, payers at their real level, one basis rule."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit.valuation._catalogue import INDEX_RULES, PAYERS


@pytest.fixture(scope="module")
def cat():
    return ik.valuation.catalogue().set_index("id")


def test_certificate_is_192_paid_and_160_before_vat(cat):
    row = cat.loc["pjm_certificat_medical"]
    assert row["value"] == 192.0
    assert row["payer"] == "personne"
    assert row["basis"] == "marginal"
    assert "192 € (160 € hors taxe)" in row["notes"]
    assert "R. 217-1" in row["notes"]
    assert not row["transfer"]


def test_value_of_life_states_its_year_and_index_rule(cat):
    # The statistical life is stated in euros of 2010 (read in a secondary source); the
    # life-year's price year was not read, so it keeps the report's year, an upper bound.
    expected = {"valeur_vie_statistique": 2010, "valeur_annee_vie": 2013}
    for entry, year in expected.items():
        row = cat.loc[entry]
        assert row["year"] == year, entry
        assert "GDP per head" in row["notes"]
        assert INDEX_RULES[entry] == "GDP per head"
        assert ik.valuation.proxy_from_catalogue(entry).index_rule == "GDP per head"
    assert "2010 value" in cat.loc["valeur_vie_statistique", "notes"]
    assert "not stated on the page" in cat.loc["valeur_annee_vie", "notes"]
    assert ik.valuation.proxy_from_catalogue("mas_place_an").index_rule == ""


def _life_model(base_year):
    return ik.ImpactModel(
        name="m",
        base_year=base_year,
        price_index=ik.PriceIndex.insee_cpi(),
        inputs=[ik.Input("g", amount=1e6)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="life_years",
                stakeholder="patients",
                quantity=2,
                proxy=ik.valuation.proxy_from_catalogue("valeur_annee_vie"),
                deadweight=0.5,
            )
        ],
    )


def test_moving_a_life_value_with_the_cpi_is_flagged():
    found = [f for f in ik.lint(_life_model(2024)) if f.code == "proxy_index_rule"]
    assert len(found) == 1
    assert found[0].severity == "warning"
    assert "GDP per head" in found[0].message
    assert found[0].location == "outcomes[0].proxy.year"
    assert not [f for f in ik.lint(_life_model(2013)) if f.code == "proxy_index_rule"]


def test_the_index_rule_survives_the_model_file():
    from impactkit.io import dumps, loads

    back = loads(dumps(_life_model(2024)))
    assert back.outcomes[0].proxy.index_rule == "GDP per head"


def test_apa_notified_plans_have_several_payers_and_a_departement_share(cat):
    for g, share in (("1", 0.84), ("2", 0.80), ("3", 0.80), ("4", 0.78)):
        plan = cat.loc[f"apa_domicile_plan_gir{g}"]
        part = cat.loc[f"apa_domicile_part_departement_gir{g}"]
        assert plan["payer"] == "autre"
        assert "47 %" in plan["notes"]
        assert part["payer"] == "departement"
        assert part["value"] == pytest.approx(share * plan["value"])
        assert part["year"] == plan["year"]
        assert bool(part["transfer"])
        assert bool(part["benefit_in_kind"])
        assert f"apa_domicile_plan_gir{g}" in part["overlaps"].split(";")
        assert "Derived" in part["notes"]


def test_aah_cites_a_primary_source(cat):
    row = cat.loc["aah_taux_plein_2025"]
    assert row["value"] == 1033.32
    assert row["source"].startswith("CRAMIF")
    assert row["url"].startswith("https://cramif.fr/")


def test_legal_protection_mean_cost_per_measure(cat):
    row = cat.loc["pjm_cout_mesure_an_igas_2013"]
    assert (row["value"], row["year"], row["payer"], row["basis"]) == (
        1828.0,
        2013,
        "autre",
        "average",
    )
    assert "IGAS" in row["source"]
    assert "156" not in str(row["value"])
    assert "mjpm_tarif_mensuel_reference" in row["overlaps"].split(";")


def test_branche_autonomie_funds_medico_social_care(cat):
    assert "branche_autonomie" in PAYERS
    for entry in (
        "mas_place_an",
        "mas_place_jour",
        "eeap_place_an",
        "ime_place_an",
        "sessad_place_an",
    ):
        assert cat.loc[entry, "payer"] == "branche_autonomie", entry
        assert "CNSA" in cat.loc[entry, "notes"]
    # at the avoided-costs level the branche autonomie is social security
    assert ik.valuation.unit_cost_from_catalogue("mas_place_an").payer == "securite_sociale"


def test_rsa_recentralisation_and_iae_cofinancing_are_noted(cat):
    for entry in ("rsa_forfait_personne_seule", "rsa_majore_parent_isole_1_enfant"):
        notes = cat.loc[entry, "notes"]
        for place in (
            "Guyane",
            "Mayotte",
            "La Réunion",
            "Seine-Saint-Denis",
            "Pyrénées-Orientales",
            "Ariège",
        ):
            assert place in notes, (entry, place)
    assert "2014-728" in cat.loc["iae_aide_poste_aci", "notes"]


def test_one_basis_rule_for_legal_per_unit_amounts(cat):
    # a legal or regulated amount per unit is what one unit more or fewer changes: marginal
    legal = [
        "rsa_forfait_personne_seule",
        "rsa_majore_parent_isole_1_enfant",
        "aah_taux_plein_2025",
        "aah_taux_plein_2023",
        "iae_aide_poste_aci",
        "iae_aide_poste_ei",
        "iae_aide_poste_etti",
        "iae_aide_poste_ai",
        "pjm_certificat_medical",
        "mjpm_tarif_mensuel_reference",
        "aide_domicile_tarif_plancher_heure",
        "smic_horaire_brut",
    ]
    for entry in legal:
        assert cat.loc[entry, "basis"] == "marginal", entry
