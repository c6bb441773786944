"""The six embedded sector examples: each validates, runs, is reproducible and sourced."""

from __future__ import annotations

import json
import math
import re

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit._tables import read_csv
from impactkit.errors import ValidationError
from impactkit.examples import generate

NAMES = ik.examples.names()
SECTORS = {
    "handicap",
    "protection_enfance",
    "insertion",
    "protection_majeurs",
    "addictologie",
    "personnes_agees",
}
PUBLIC_PAYERS = {
    "etat",
    "etat_justice",
    "assurance_maladie",
    "departement",
    "caf",
    "commune",
    "public",
}


def test_names_cover_the_six_fields():
    assert NAMES == [
        "emploi_accompagne",
        "protection_enfance",
        "insertion_iae",
        "protection_majeurs",
        "addictologie",
        "personnes_agees",
    ]
    info = ik.examples.info()
    assert list(info.index) == NAMES
    assert set(info["sector"]) == SECTORS
    for col in ("title_fr", "description_fr", "description_en", "sources"):
        assert info[col].str.len().gt(10 if col.startswith("desc") else 0).all()


@pytest.mark.parametrize("bad", ["nope", "", "Protection_Enfance", None, 3])
def test_unknown_example_lists_the_available_ones(bad):
    for call in (
        ik.examples.load_example,
        ik.examples.load_example_data,
        ik.examples.describe,
    ):
        with pytest.raises(ValidationError) as err:
            call(bad)
        msg = str(err.value)
        assert all(n in msg for n in NAMES)
        assert err.value.problems[0].code == "unknown_example"


@pytest.fixture(scope="module", params=NAMES)
def example(request):
    name = request.param
    return (
        name,
        ik.examples.load_example(name, measured=False),
        ik.examples.load_example_data(name),
    )


def test_validates_without_lint_errors(example):
    _, model, data = example
    model.validate()
    assert [p for p in model.problems() if p.severity == "error"] == []
    findings = ik.lint(model, data=data)
    assert [f for f in findings if f.severity == "error"] == []
    # the only warnings allowed are documented choices: a pair of transfer rows that
    # net out, an earlier outcome valued for its own worth on the same causal path
    warn = {f.code for f in findings if f.severity == "warning"}
    assert warn <= {"transfer_twice", "double_counting"}
    if "transfer_twice" in warn:
        transfers = [ov for ov in model.outcomes if ov.proxy.transfer]
        assert len(transfers) == 2
        total = sum(ov.proxy.central_value for ov in transfers)
        assert total == 0.0  # the transfer nets out between the two stakeholders


def test_metadata_matches_the_listing(example):
    name, model, data = example
    d = ik.examples.describe(name)
    assert model.metadata["sector"] == d.sector
    assert model.metadata["example"] == name
    assert model.metadata["lang"] == "fr"
    assert sorted(data) == sorted(d.sources)


def test_theory_of_change_shape(example):
    _, model, _ = example
    toc = model.toc
    assert toc is not None
    kinds = {k: toc.nodes_of_kind(k) for k in ("input", "activity", "output", "outcome", "impact")}
    assert all(kinds.values())
    assert len(kinds["impact"]) == 1
    for a in kinds["activity"]:
        assert any(toc.pathways(a, i) for i in kinds["impact"]), a
    stakeholders = {s.id for s in toc.stakeholders}
    assert stakeholders & PUBLIC_PAYERS, "public payers at their real level"
    assert len(stakeholders) >= 4
    # French labels on every node and stakeholder
    assert all(toc.node(n).label for n in toc.graph.nodes)
    assert all(s.label for s in toc.stakeholders)


def test_every_valued_outcome_has_a_complete_indicator(example):
    name, model, _ = example
    toc = model.toc
    for ov in model.outcomes:
        node = toc.node(ov.outcome)
        ind = {i.id: i for i in node.indicators}
        assert ov.indicator in ind, (name, ov.outcome)
        i = ind[ov.indicator]
        assert i.complete, (name, ov.outcome)  # target, threshold and timeline
        assert i.measure is not None
        assert i.data_source
        # the population is named in the label ("<population> : <what is counted>")
        assert " : " in i.label
        # the valuation measures what the indicator measures
        assert i.measure == ov.quantity


def test_external_ids_are_the_verified_references(example):
    _, model, _ = example
    for n in model.toc.graph.nodes:
        for ind in model.toc.node(n).indicators:
            for k, v in ind.external_ids.items():
                assert k in {"iris", "has_essms_2022", "anap_tdb"}
                if k == "has_essms_2022":
                    assert v.startswith("chapitre 1 « La personne »")
                if k == "anap_tdb":
                    assert "prestations de soins et d'accompagnement" in v


def test_every_proxy_has_a_source_and_a_price_year(example):
    name, model, _ = example
    for ov in model.outcomes:
        p = ov.proxy
        assert p.source.strip(), (name, ov.outcome)
        assert isinstance(p.year, int)
        assert 1990 <= p.year <= model.base_year
        assert p.currency in (None, "EUR")
        assert model.price_index is not None
        assert p.year in model.price_index.values


@pytest.mark.parametrize("name", NAMES[1:])
def test_sector_proxies_come_from_the_catalogue(name):
    model = ik.examples.load_example(name, measured=False)
    cat = ik.valuation.catalogue().set_index("id")
    assert model.price_index == ik.valuation.PriceIndex.insee_cpi()
    for ov in model.outcomes:
        m = re.match(r"\[catalogue:([a-z0-9_]+)\] ", ov.proxy.source)
        assert m, ov.proxy.source
        row = cat.loc[m.group(1)]
        if ov.proxy.index_rule:  # kept at its stated amount, as a base-year value
            assert ov.proxy.year == model.base_year
            assert "not revalued" in ov.proxy.source
        else:
            assert ov.proxy.year == row["year"]
        ratio = ov.proxy.central_value / row["value"]
        # a unit value, possibly scaled by a stated number of days, hours or months
        assert abs(ratio) >= 1
        assert float(abs(ratio)).is_integer()
        if row["status"] == "illustrative":
            assert "illustrative" in ov.proxy.source
        else:
            assert row["source"] in ov.proxy.source


def test_sroi_and_monte_carlo_run(example):
    _, model, data = example
    res = ik.sroi(model, data=data)
    assert math.isfinite(res.ratio)
    assert res.ratio > 0
    assert res.present_value > 0
    assert res.total_inputs > 0
    json.dumps(res.to_dict(), allow_nan=False)
    for k, meas in res.measured.items():
        assert meas.n > 0
        assert res.by_outcome.loc[k, "quantity"] == meas.quantity
    mc = ik.monte_carlo(model, n=300, seed=1, data=data)
    assert mc.ratio.shape == (300,)
    assert np.isfinite(mc.ratio).all()
    lo, hi = mc.interval(0.9)
    assert lo <= hi


def test_measured_model_equals_the_computation_from_its_data(example):
    name, model, data = example
    measured = ik.examples.load_example(name)
    assert not ik.measure.has_calculators(measured)
    assert ik.measure.has_calculators(model)
    a, b = ik.sroi(measured), ik.sroi(model, data=data)
    assert a.ratio == pytest.approx(b.ratio, rel=1e-12)
    assert a.present_value == pytest.approx(b.present_value, rel=1e-12)
    # and by hand: each measured quantity is its calculator applied to its source
    for k, ov in enumerate(model.outcomes):
        q = ov.quantity
        if ik.measure.is_calculator(q):
            assert measured.outcomes[k].quantity == q.compute(data[q.data]).quantity


def test_data_are_small_synthetic_and_have_missing_values(example):
    name, _, data = example
    rows = sum(len(df) for df in data.values())
    assert 100 <= rows <= (3500 if name == "emploi_accompagne" else 700)
    assert any(df.isna().any().any() for df in data.values())


@pytest.mark.parametrize("name", NAMES[1:])
def test_generator_reproduces_the_shipped_files(name, tmp_path):
    generate.write_sector(name, tmp_path)
    shipped = ik.examples.load_example_data(name)
    for source, df in shipped.items():
        # read as the loader reads: identifier columns as text
        pd.testing.assert_frame_equal(read_csv(tmp_path / "data" / name / f"{source}.csv"), df)
    assert ik.load(tmp_path / f"{name}.json") == ik.examples.load_example(name, measured=False)


def test_transfers_net_out_in_the_insertion_example():
    res = ik.sroi(ik.examples.load_example("insertion_iae"))
    by = res.by_outcome.set_index("outcome")["present_value"]
    assert by["rsa_exit"] > 0
    assert by["rsa_exit"] + by["rsa_lost"] == pytest.approx(0.0, abs=1e-6)


def test_evaluation_measures_every_indicator_and_output(example):
    _, model, data = example
    by = ik.evaluate(model, data=data).by_node.set_index("node")
    toc = model.toc
    for n in toc.graph.nodes:
        node = toc.node(n)
        if node.measure is not None or any(i.measure is not None for i in node.indicators):
            assert by.loc[n, "measured"] is not None, n
            assert math.isfinite(float(by.loc[n, "measured"]))
    assert by["share"].sum() == pytest.approx(1.0)


def test_each_example_has_its_french_page_linked_from_the_sector_page():
    from pathlib import Path

    docs = Path(__file__).parent.parent / "docs"
    index = (docs / "secteurs" / "index.md").read_text(encoding="utf-8")
    for name in NAMES:
        d = ik.examples.describe(name)
        page = docs / f"{d.docs}.md"
        text = page.read_text(encoding="utf-8")
        assert f'ik.examples.load_example("{name}"' in text
        for part in ("Théorie du changement", "Valorisation", "Limites"):
            assert f"## {part}" in text, (name, part)
        assert f"{{doc}}`{name}`" in index
        assert json.dumps(d.to_dict(), ensure_ascii=False)
