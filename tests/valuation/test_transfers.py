"""Transfers the code can read: the catalogue's ``transfer`` and ``benefit_in_kind`` marks."""

from __future__ import annotations

import csv
import re

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
