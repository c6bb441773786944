"""Every assurance finding reads in French on the French command line: the transfer,
allowance, index-rule and concentration findings had no French words and printed a
generic line, and the concentration findings say their share as the report does."""

from __future__ import annotations

import re

import impactkit as ik
from impactkit import assurance
from impactkit.cli import main
from impactkit.cli._words import LINT_FR
from impactkit.io import dump

GENERIC = "constat du contrôle d'assurance"


def _model():
    cat = ik.valuation.proxy_from_catalogue
    rows = [
        ik.OutcomeValuation(  # an allowance saved for the State alone: a transfer, one side
            outcome="aah_saved",
            stakeholder="etat",
            quantity=10,
            proxy=cat("aah_taux_plein_2025"),
            deadweight=0.2,
        ),
        ik.OutcomeValuation(  # a value moved with GDP per head, moved here by prices
            outcome="life",
            label="Années de vie gagnées",
            stakeholder="patients",
            quantity=2,
            proxy=cat("valeur_annee_vie"),
            deadweight=0.5,
        ),
        ik.OutcomeValuation(  # an allowance earmarked to buy help
            outcome="apa",
            stakeholder="departement",
            quantity=1,
            proxy=cat("apa_domicile_part_departement_gir1"),
            deadweight=0.5,
        ),
        ik.OutcomeValuation(  # an illustrative figure with no source
            outcome="calm",
            stakeholder="patients",
            quantity=1,
            proxy=10.0,
            deadweight=0.1,
        ),
    ]
    return ik.ImpactModel(
        name="m",
        base_year=2024,
        price_index=ik.PriceIndex.insee_cpi(),
        inputs=[ik.Input("g", amount=10_000)],
        outcomes=rows,
    )


def test_every_code_of_the_assurance_table_has_french_words():
    table = re.findall(r"^``([a-z_]+)``", assurance.__doc__ or "", re.M)
    assert len(table) >= 21
    assert sorted(set(table) - set(LINT_FR)) == []


def test_the_french_lint_words_every_finding(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    model = _model()
    dump(model, path)
    codes = {f.code for f in ik.lint(model)}
    assert {
        "transfer_one_side",
        "proxy_index_rule",
        "benefit_in_kind",
        "value_concentration",
    } <= codes
    main(["lint", str(path), "--lang", "fr"])
    out = capsys.readouterr().out
    assert GENERIC not in out
    assert "transfert compté comme valeur sociale d'un seul côté" in out
    assert "évolue avec le PIB par habitant" in out
    assert "GDP" not in out
    assert "transfer " not in out
    # the share, worded as the report words it, with the outcome's label
    share = re.search(r"(\d+)\u00a0% de la valeur repose sur un seul effet : « Années de vie", out)
    assert share is not None
    expected = dict(assurance.concentration_sentences(ik.sroi(model), lang="fr"))
    assert expected["value_concentration"].startswith(f"{share.group(1)}\u00a0%")


def test_duplicate_rows_in_french(tmp_path, capsys):
    row = ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=3, proxy=100.0)
    twin = ik.OutcomeValuation(outcome="b", stakeholder="s", quantity=3, proxy=100.0)
    model = ik.ImpactModel(
        name="m", inputs=[ik.Input("g", amount=1000)], outcomes=[row, row, twin]
    )
    assert {"duplicate_row", "similar_rows"} <= {f.code for f in ik.lint(model)}
    path = tmp_path / "m.yaml"
    dump(model, path)
    main(["lint", str(path), "--lang", "fr"])
    out = capsys.readouterr().out
    assert GENERIC not in out
    assert "répète exactement une autre ligne" in out
    assert "les mêmes chiffres qu'un autre effet" in out


def test_the_illustrative_share_in_french(tmp_path, capsys):
    model = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("g", amount=1000)],
        outcomes=[
            ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=3, proxy=100.0),
            ik.OutcomeValuation(outcome="b", stakeholder="s", quantity=2, proxy=100.0),
        ],
    )
    path = tmp_path / "m.yaml"
    dump(model, path)
    main(["lint", str(path), "--lang", "fr"])
    out = capsys.readouterr().out
    assert GENERIC not in out
    assert "100\u00a0% de la valeur repose sur des valeurs monétaires d'illustration" in out
