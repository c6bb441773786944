"""The network analysis, the federation report, the member page and the CLI."""

from __future__ import annotations

import json
import re

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import portfolio as pf
from impactkit.cli import main

SECTORS = ["handicap", "protection_enfance", "insertion"]
REGIONS = ["Bretagne", "Occitanie", "Grand Est"]


def network_tables(n_sites: int = 120, seed: int = 0, star: int | None = 7):
    """A synthetic network: two indicators with denominators, payers, one planted star."""
    rng = np.random.default_rng(seed)
    names = [f"Établissement n°{i} <b>" for i in range(n_sites)]
    size = rng.integers(15, 400, n_sites).astype(float)
    if star is not None:
        size[star] = 380.0  # a large service: its lead cannot be chance
    rows = []
    for i, name in enumerate(names):
        sector = SECTORS[i % 3]
        region = REGIONS[(i // 3) % 3]
        for outcome, label, base, proxy, payer in (
            ("emploi", "En emploi à 12 mois", 0.35, 9000.0, "etat"),
            ("logement", "Logement stable", 0.6, 3000.0, "departement"),
        ):
            p = min(0.95, base + (0.35 if star is not None and i == star else 0.0))
            q = rng.binomial(int(size[i]), p)
            rows.append(
                {
                    "site": name,
                    "outcome": outcome,
                    "label": label,
                    "stakeholder": "personnes",
                    "quantity": float(q),
                    "n": size[i],
                    "proxy": proxy,
                    "deadweight": 0.2,
                    "duration": 2,
                    "drop_off": 0.1,
                    "sector": sector,
                    "region": region,
                    "payer": payer,
                }
            )
    outcomes = pd.DataFrame(rows)
    inputs = pd.DataFrame({"site": names, "amount": size * 4000.0})
    return outcomes, inputs


def test_analysis_totals_and_breakdowns_agree_with_the_portfolio():
    outcomes, inputs = network_tables()
    a = pf.analyse_network(outcomes, inputs, discount=0.035)
    ref = pf.evaluate(
        outcomes.drop(columns=["payer", "n"]), inputs, discount=0.035, by=["sector", "region"]
    )
    assert a.totals["present_value"] == pytest.approx(ref["present_value"].sum())
    assert a.totals["ratio"] == pytest.approx(
        ref["present_value"].sum() / ref["total_inputs"].sum()
    )
    assert a.by_payer["share"].sum() == pytest.approx(1.0)
    assert set(a.by_payer["group"]) == {"etat", "departement"}
    assert a.by_sector["present_value"].sum() == pytest.approx(a.totals["present_value"])
    assert set(a.funnels) == {"emploi", "logement"}
    json.dumps(a.to_dict(), allow_nan=False)
    assert "Network" in str(a.summary())


def test_the_planted_star_is_remarkable_and_chance_is_not():
    outcomes, inputs = network_tables(star=7)
    a = pf.analyse_network(outcomes, inputs)
    rem = a.remarkable
    assert (rem["site"] == "Établissement n°7 <b>").any()
    assert set(rem.loc[rem["site"] == "Établissement n°7 <b>", "indicator"]) >= {"emploi"}
    calm = pf.analyse_network(*network_tables(star=None, seed=3))
    assert len(calm.remarkable) <= 1  # 120 sites x 2 indicators at the 99.8 % limit


def test_anonymised_reports_name_no_site(tmp_path):
    outcomes, inputs = network_tables()
    html = ik.report.network(
        outcomes, inputs, anonymise=True, key="k", lang="fr", n_draws=200, seed=1
    )
    md = ik.report.network(outcomes, inputs, anonymise=True, key="k", format="markdown")
    for text in (html, md):
        assert "Établissement n°" not in text
        assert "n°7" not in text
    assert re.search(r"E-[0-9A-Z]{6}", html)  # pseudonyms in the remarkable list
    again = ik.report.network(
        outcomes, inputs, anonymise=True, key="k", lang="fr", n_draws=200, seed=1
    )
    assert again == html  # deterministic bytes, pseudonyms included


def test_named_report_escapes_hostile_names_and_speaks_french():
    outcomes, inputs = network_tables()
    html = ik.report.network(outcomes, inputs, lang="fr")
    assert "Établissement n°7 &lt;b&gt;" in html
    assert "Établissement n°7 <b>" not in html
    for heading in (
        "Le réseau en chiffres",
        "Par secteur",
        "Valeur par financeur public",
        "Pratiques remarquables",
        "Méthode",
    ):
        assert heading in html
    assert "<svg" in html
    en = ik.report.network(outcomes, inputs, lang="en", charts=False)
    assert "Remarkable practices" in en
    assert "<svg" not in en


def test_member_page_places_the_site_among_its_peers():
    outcomes, inputs = network_tables()
    a = pf.analyse_network(outcomes, inputs)
    page = ik.report.member(a, member="Établissement n°7 <b>", lang="fr", format="markdown")
    assert page.startswith("# Votre établissement parmi ses pairs")
    assert "au-dessus" in page
    assert "À lire avec prudence" in page
    with pytest.raises(ik.ValidationError, match="no establishment"):
        ik.report.member(a, member="nowhere")


def test_pseudonyms_are_stable_and_keyed():
    sites = [f"s{i}" for i in range(30)]
    a = pf.pseudonyms(sites, key="k")
    assert a == pf.pseudonyms(list(reversed(sites)), key="k")
    assert a != pf.pseudonyms(sites, key="other")
    assert len(set(a.values())) == 30
    assert all(re.fullmatch(r"E-[0-9A-HJKMNP-TV-Z]{6}", v) for v in a.values())


def test_cli_network_writes_a_report(tmp_path, capsys):
    outcomes, inputs = network_tables(n_sites=30)
    o, i = tmp_path / "outcomes.csv", tmp_path / "inputs.csv"
    outcomes.to_csv(o, index=False)
    inputs.to_csv(i, index=False)
    out = tmp_path / "reseau.html"
    args = ["network", str(o), str(i), "-o", str(out), "--lang", "fr", "--anonymise", "--key", "k"]
    assert main(args) == 0
    text = out.read_text(encoding="utf-8")
    assert "Rapport d'impact du réseau" in text
    assert "Établissement n°" not in text
    page = tmp_path / "membre.md"
    member = ["--member", "Établissement n°3 <b>"]
    assert main(["network", str(o), str(i), "-o", str(page), "--lang", "fr", *member]) == 0
    assert "parmi ses pairs" in page.read_text(encoding="utf-8")
    assert main(["network", str(tmp_path / "missing.csv"), str(i), "-o", str(out)]) == 2


def test_remarkable_sites_carry_their_theory_of_change():
    outcomes, inputs = network_tables(star=7)
    model = ik.examples.load_example()
    a = pf.analyse_network(
        outcomes, inputs, anonymise=True, key="k", models={"Établissement n°7 <b>": model}
    )
    row = a.remarkable.iloc[0]
    assert row["site"].startswith("E-")
    outcome_labels = [
        d["label"] for _, d in model.toc.graph.nodes(data=True) if d.get("kind") == "outcome"
    ]
    assert outcome_labels[0] in row["toc"]
    html = ik.report.network(a, lang="fr")
    assert "Théorie du changement" in html


def test_remarkable_voice_is_consented_and_pseudonymised():
    from impactkit import qualitative as ql

    outcomes, inputs = network_tables(star=7)
    model = ik.examples.load_example().evolve(
        evidence=[
            ql.Evidence(
                id="e1",
                kind="testimony",
                text="Marie Dupont a retrouvé un emploi.",
                stakeholder="participants",
                nodes=("employed_12m",),
                consent=True,
                person="Marie Dupont",
            ),
            ql.Evidence(
                id="e2",
                kind="testimony",
                text="Secret: not for publication.",
                stakeholder="participants",
                nodes=("employed_12m",),
                consent=False,
            ),
        ]
    )
    a = pf.analyse_network(outcomes, inputs, models={"Établissement n°7 <b>": model})
    voice = a.remarkable["voice"].iloc[0]
    assert "retrouvé un emploi" in voice
    assert "Marie Dupont" not in voice
    assert "Secret" not in voice
    html = ik.report.network(a, lang="fr")
    assert "Marie Dupont" not in html
    assert "Secret" not in html
