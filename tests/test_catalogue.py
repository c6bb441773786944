"""The French reference catalogue and the INSEE price index shipped as package data."""

from __future__ import annotations

import csv
import itertools
import json
import math
from importlib import resources

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.methods import AvoidedCostItem, avoided_costs
from impactkit.valuation._catalogue import BASES, COLUMNS, PAYERS, SECTORS, STATUSES

DATA = resources.files("impactkit.valuation") / "data"


@pytest.fixture(scope="module")
def cat() -> pd.DataFrame:
    return ik.valuation.catalogue()


# --------------------------------------------------------------- integrity
def test_file_has_exactly_the_documented_columns():
    with (DATA / "catalogue.csv").open(encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    assert tuple(header) == COLUMNS


def test_ids_unique_and_vocabularies_allowed(cat):
    assert cat["id"].is_unique
    assert set(cat["status"]) <= set(STATUSES)
    assert set(cat["sector"]) <= set(SECTORS)
    assert set(cat["payer"]) <= set(PAYERS)
    assert set(cat["basis"]) <= set(BASES)
    assert (cat["currency"] == "EUR").all()


def test_every_sourced_entry_names_its_source_and_where_it_was_read(cat):
    sourced = cat[cat["status"] == "sourced"]
    assert (sourced["source"].str.len() > 20).all()
    assert (sourced["url"].str.startswith("http")).all()
    assert (sourced["notes"].str.contains("Read")).all()
    illustrative = cat[cat["status"] == "illustrative"]
    assert (illustrative["source"] == "").all()
    assert illustrative["notes"].str.startswith("Illustrative").all()


def test_counts_meet_the_issue(cat):
    assert len(cat) >= 40
    assert (cat["status"] == "sourced").sum() >= 25
    per_sector = cat[cat["status"] == "sourced"].groupby("sector").size()
    for sector in SECTORS:
        assert per_sector.get(sector, 0) >= 2, sector


def test_values_years_and_ranges_are_sane(cat):
    assert np.isfinite(cat["value"]).all()
    assert (cat["value"] > 0).all()
    assert cat["year"].between(2005, 2025).all()
    has_range = cat["low"].notna() & cat["high"].notna()
    assert (cat.loc[has_range, "low"] <= cat.loc[has_range, "value"]).all()
    assert (cat.loc[has_range, "value"] <= cat.loc[has_range, "high"]).all()


def test_overlaps_name_existing_entries_both_ways(cat):
    pairs = zip(cat["id"], cat["overlaps"], strict=True)
    links = {i: [x for x in o.split(";") if x] for i, o in pairs}
    assert any(links.values())
    for i, others in links.items():
        for o in others:
            assert o != i, i
            assert i in links.get(o, []), (i, o)


@pytest.mark.parametrize(
    ("entry", "value", "year", "payer"),
    [
        # figures read in the documents named in the entries' source column
        ("rsa_forfait_personne_seule", 646.52, 2025, "departement"),
        ("aah_taux_plein_2025", 1033.32, 2025, "etat"),
        ("iae_aide_poste_aci", 23921.0, 2024, "etat"),
        ("ehpad_hebergement_jour_habilite_ash", 63.50, 2023, "personne"),
        ("mjpm_tarif_mensuel_reference", 142.95, 2025, "autre"),
        ("apa_domicile_plan_gir1", 1250.0, 2017, "autre"),  # the département pays ~80 %
        ("cout_social_alcool", 102e9, 2019, "autre"),
    ],
)
def test_spot_values(cat, entry, value, year, payer):
    row = cat.set_index("id").loc[entry]
    assert row["value"] == value
    assert row["year"] == year
    assert row["payer"] == payer


def test_typed_columns(cat):
    assert cat["value"].dtype == np.float64
    assert cat["year"].dtype == np.int64
    assert str(cat["low"].dtype) == "Float64"
    assert str(cat["id"].dtype) == "string"


# --------------------------------------------------------------- filters and copies
def test_filters_combine(cat):
    sub = ik.valuation.catalogue(sector=["handicap", "insertion"], status="sourced")
    assert set(sub["sector"]) == {"handicap", "insertion"}
    assert set(sub["status"]) == {"sourced"}
    expected = cat[cat["sector"].isin(["handicap", "insertion"]) & (cat["status"] == "sourced")]
    assert list(sub["id"]) == list(expected["id"])
    assert set(ik.valuation.catalogue(payer="departement")["payer"]) == {"departement"}


def test_unknown_filter_lists_the_choices():
    with pytest.raises(ik.ValidationError, match="protection_enfance") as ei:
        ik.valuation.catalogue(sector="enfance")
    assert ei.value.problems[0].code == "invalid_choice"


def test_each_call_is_a_fresh_copy():
    a = ik.valuation.catalogue()
    a.loc[0, "value"] = -1.0
    assert ik.valuation.catalogue().loc[0, "value"] > 0


# --------------------------------------------------------------- validation of a user file
def _write(tmp_path, rows):
    path = tmp_path / "mine.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS)
        w.writeheader()
        for r in rows:
            w.writerow({c: r.get(c, "") for c in COLUMNS})
    return path


def _row(**kw):
    base = {
        "id": "x",
        "label_fr": "x",
        "label_en": "x",
        "value": "10",
        "unit": "EUR per day",
        "currency": "EUR",
        "year": "2024",
        "payer": "etat",
        "basis": "average",
        "transfer": "false",
        "benefit_in_kind": "false",
        "sector": "transversal",
        "status": "sourced",
        "source": "Publisher, Title, 2024, p. 1",
        "url": "https://example.org",
        "notes": "Read on p. 1",
    }
    return {**base, **kw}


def test_user_catalogue_reports_every_problem_at_once(tmp_path):
    path = _write(
        tmp_path,
        [
            _row(id="a", overlaps="b;zz"),
            _row(id="a"),
            _row(id="b", status="guessed"),
            _row(id="c", source=""),
            _row(id="d", low="20"),
            _row(id="e", year="twenty", payer="mairie"),
            _row(id="f", status="illustrative", source="", notes=""),
            _row(id="g", value="abc", currency="euro"),
        ],
    )
    with pytest.raises(ik.ValidationError) as ei:
        ik.valuation.catalogue(path=path)
    found = {(p.location, p.code) for p in ei.value.problems}
    assert found >= {
        ("[1].id", "duplicate_id"),
        ("[2].status", "invalid_choice"),
        ("[3].source", "missing_source"),
        ("[4].low", "order"),
        ("[5].year", "type"),
        ("[5].payer", "invalid_choice"),
        ("[6].notes", "missing_notes"),
        ("[7].value", "type"),
        ("[7].currency", "currency"),
        ("[0].overlaps", "unknown_id"),
        ("[0].overlaps", "asymmetric"),
    }


def test_user_catalogue_with_wrong_columns(tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text("id,value\na,1\n", encoding="utf-8")
    with pytest.raises(ik.ValidationError, match="columns must be") as ei:
        ik.valuation.catalogue(path=path)
    assert ei.value.problems[0].code == "columns"


def test_user_catalogue_round_trips(tmp_path):
    path = _write(tmp_path, [_row(id="a", overlaps="b"), _row(id="b", overlaps="a", low="5")])
    mine = ik.valuation.catalogue(path=path)
    assert list(mine["id"]) == ["a", "b"]
    assert mine.loc[1, "low"] == 5.0
    assert pd.isna(mine.loc[0, "low"])


# --------------------------------------------------------------- proxies and unit costs
def test_proxy_from_catalogue_carries_value_currency_year_and_source(cat):
    row = cat.set_index("id").loc["iae_aide_poste_aci"]
    p = ik.valuation.proxy_from_catalogue("iae_aide_poste_aci")
    assert isinstance(p, ik.FinancialProxy)
    assert (p.value, p.currency, p.year, p.unit) == (23921.0, "EUR", 2024, row["unit"])
    assert p.source.startswith(row["source"])
    assert row["url"] in p.source
    assert p.description == row["label_en"]


def test_proxy_spread_uses_low_mode_high():
    p = ik.valuation.proxy_from_catalogue("ime_place_an", spread=True)
    assert p.value == ik.dist.Triangular(32000, 39000, 43000)
    assert p.central_value == pytest.approx((32000 + 39000 + 43000) / 3)
    assert ik.valuation.proxy_from_catalogue("mas_place_an", spread=True).value == 84000.0


def test_illustrative_proxy_says_so():
    p = ik.valuation.proxy_from_catalogue("esat_place_an", transfer="")
    assert p.source.startswith("illustrative value")


def test_unknown_entry():
    with pytest.raises(ik.ValidationError, match="no catalogue entry 'nope'") as ei:
        ik.valuation.proxy_from_catalogue("nope")
    assert ei.value.problems[0].code == "unknown_id"


def test_catalogue_proxy_is_moved_to_the_base_year_with_the_insee_index():
    proxy = ik.valuation.proxy_from_catalogue("mas_place_an")  # 84 000 EUR, 2020 prices
    model = ik.ImpactModel(
        name="m",
        currency="EUR",
        base_year=2023,
        price_index=ik.PriceIndex.insee_cpi(),
        inputs=[ik.Input("g", amount=1000)],
        outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=2, proxy=proxy)],
        discount=0.0,
    )
    # by hand: 84 000 x 117.47 / 104.73 per place, two places
    assert model.proxy_factor(0) == pytest.approx(117.47 / 104.73, rel=1e-12)
    assert ik.sroi(model).present_value == pytest.approx(2 * 84000 * 117.47 / 104.73)


def test_unit_cost_shares_covers_across_an_overlap_group():
    a = ik.valuation.unit_cost_from_catalogue("mas_place_an")
    b = ik.valuation.unit_cost_from_catalogue("mas_place_jour")
    assert a.covers == b.covers == "mas_place_an"
    assert (a.payer, a.cost, a.price_year) == ("securite_sociale", 84000.0, 2020)
    assert a.basis == "average"
    assert ik.valuation.unit_cost_from_catalogue("pch_aide_humaine_mois").covers == ""


def test_unit_cost_refuses_a_private_payer():
    with pytest.raises(ik.ValidationError, match="not a public payer") as ei:
        ik.valuation.unit_cost_from_catalogue("ehpad_hebergement_jour_non_habilite")
    assert ei.value.problems[0].code == "payer"


def test_avoided_costs_refuses_an_overlap_counted_at_two_payer_levels(tmp_path):
    path = _write(
        tmp_path,
        [
            _row(id="night_state", payer="etat", overlaps="night_dept"),
            _row(id="night_dept", payer="departement", overlaps="night_state"),
        ],
    )
    mine = ik.valuation.catalogue(path=path)
    units = {k: ik.valuation.unit_cost_from_catalogue(k, table=mine) for k in mine["id"]}
    items = [AvoidedCostItem(k, people=1, reduction=1) for k in units]
    with pytest.raises(ik.ValidationError) as ei:
        avoided_costs(items, units, discount=0.0)
    assert [p.code for p in ei.value.problems] == ["double_count"]
    one = avoided_costs(items[:1], units, discount=0.0)
    assert one.present_value == 10.0


# --------------------------------------------------------------- INSEE CPI
def test_insee_cpi_exact_values_read_in_the_source():
    cpi = ik.PriceIndex.insee_cpi()
    # INSEE BDM idbank 001764363 (annual averages, base 2015)
    assert cpi.values[2015] == 100.0
    assert cpi.values[2022] == 112.01
    assert cpi.values[2023] == 117.47
    assert cpi.values[1998] == 78.2
    assert cpi.values[2025] == 120.95
    assert "001764363" in cpi.source
    assert "INSEE" in cpi.name


def test_insee_cpi_coverage_and_monotone():
    v = ik.PriceIndex.insee_cpi().values
    years = sorted(v)
    assert years[0] == 1998
    assert years[-1] == 2025
    assert years == list(range(1998, 2026))
    levels = [v[y] for y in years]
    assert all(b > a for a, b in itertools.pairwise(levels))
    assert all(60 < x < 130 for x in levels)


def test_insee_cpi_agrees_with_insee_published_annual_variations():
    # INSEE idbank 001768676, « Variations annuelles - Ensemble des ménages - France -
    # Ensemble », in %, read in the same INSEE export as the levels.
    published = {2007: 1.5, 2008: 2.8, 2009: 0.1, 2010: 1.5, 2011: 2.1, 2012: 2.0, 2013: 0.9}
    published |= {2014: 0.5, 2015: 0.0, 2016: 0.2, 2017: 1.0, 2018: 1.8, 2019: 1.1}
    published |= {2020: 0.5, 2021: 1.6, 2022: 5.2, 2023: 4.9}
    v = ik.PriceIndex.insee_cpi().values
    for year, pct in published.items():
        assert round(100 * (v[year] / v[year - 1] - 1), 1) == pct, year


def test_insee_cpi_2024_is_marked_derived_and_agrees_with_insee():
    with (DATA / "insee_cpi.csv").open(encoding="utf-8") as fh:
        frame = pd.read_csv(fh, comment="#")
    status = dict(zip(frame["year"], frame["status"], strict=True))
    assert {y for y, s in status.items() if s != "read"} == {2024}
    assert status[2024] == "derived"
    v = ik.PriceIndex.insee_cpi().values
    # 5-decimal variations of series 001764363 the level was derived from
    assert round(v[2024] / v[2023] - 1, 4) == pytest.approx(0.0200, abs=1e-4)
    assert abs(v[2023] * 1.02001 - v[2024]) < 0.005
    assert abs(v[2025] / 1.00943 - v[2024]) < 0.005
    # INSEE's published annual averages: +2.0 % in 2024, +0.9 % in 2025
    assert round(100 * (v[2024] / v[2023] - 1), 1) == 2.0
    assert round(100 * (v[2025] / v[2024] - 1), 1) == 0.9


def test_insee_cpi_year_outside_the_series_is_an_error():
    with pytest.raises(ik.ValidationError) as ei:
        ik.PriceIndex.insee_cpi().factor(1997, 2025)
    assert ei.value.problems[0].code == "missing_year"


def test_insee_cpi_is_read_only_and_equal_each_time():
    a = ik.PriceIndex.insee_cpi()
    with pytest.raises(TypeError):
        a.values[2015] = 1.0  # type: ignore[index]
    assert a == ik.PriceIndex.insee_cpi()
    assert ik.PriceIndex.insee_cpi().values[2015] == 100.0


def test_insee_cpi_survives_the_model_file_format():
    model = ik.ImpactModel(name="m", base_year=2023, price_index=ik.PriceIndex.insee_cpi())
    back = ik.io.loads(ik.io.dumps(model, "json"), "json")
    assert back.price_index.values == model.price_index.values
    json.dumps(ik.io.dumps(model, "json"))
    assert math.isclose(back.price_index.factor(1998, 2025), 120.95 / 78.2)


# --------------------------------------------------------------- packaging
def test_data_files_are_package_data():
    assert (DATA / "catalogue.csv").is_file()
    assert (DATA / "insee_cpi.csv").is_file()
