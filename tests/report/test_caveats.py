"""Every report names what it does not value, says what its ratio means, and shows the
public-finance view beside the society view."""

from __future__ import annotations

import html
import re

import pytest

import impactkit as ik
from impactkit import report
from impactkit.report._caveats import caveat_sentences, unvalued_outcomes


def visible(text):
    text = re.sub(r"<svg.*?</svg>", " ", text, flags=re.S)
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(re.sub(r"\s+", " ", text)).replace("\xa0", " ").replace("\u202f", " ")


def _toc_model(*, ratio_below_one=False):
    toc = ik.TheoryOfChange(name="t")
    toc.add_stakeholder("people", label="Personnes accompagnées")
    toc.add_stakeholder("departement", label="Département")
    toc.add_node("action", kind="activity", label="Accompagnement")
    toc.add_node("job", kind="outcome", label="Emploi retrouvé", stakeholder="people")
    toc.add_node(
        "wellbeing", kind="outcome", label="Bien-être des personnes", stakeholder="people"
    )
    toc.add_node("no_label_outcome", kind="outcome", stakeholder="people")
    toc.add_link("action", "job")
    toc.add_link("action", "wellbeing")
    toc.add_link("action", "no_label_outcome")
    funding = 100_000 if ratio_below_one else 10_000
    return ik.ImpactModel(
        name="m",
        discount=0.0,
        toc=toc,
        inputs=[ik.Input("Dotation", amount=funding, stakeholder="departement")],
        outcomes=[
            ik.OutcomeValuation(
                outcome="job",
                stakeholder="people",
                quantity=10,
                proxy=ik.FinancialProxy(2_000, source="INSEE"),
                deadweight=0.2,
            )
        ],
    )


def test_unvalued_outcomes_are_named_by_their_labels():
    r = ik.sroi(_toc_model())
    assert unvalued_outcomes(r) == ["Bien-être des personnes", "no label outcome"]


def test_without_a_theory_of_change_nothing_can_be_named():
    m = _toc_model().evolve(toc=None)
    r = ik.sroi(m)
    assert unvalued_outcomes(r) is None
    assert "cannot be named" in caveat_sentences(r, "en")[0]


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_markdown_names_them_before_the_tables(lang):
    text = report.markdown(ik.sroi(_toc_model()), lang=lang).replace("\xa0", " ")
    lead = "Ce chiffre ne compte pas encore : " if lang == "fr" else "This figure does not count "
    assert lead in text
    assert "Bien-être des personnes" in text
    assert text.index(lead) < text.index("Bien-être des personnes")
    assert "no_label_outcome" not in text  # no code in a report


def test_the_html_report_shows_it_before_the_method():
    page = report.html(ik.sroi(_toc_model()), lang="fr")
    text = visible(page)
    assert "Ce chiffre ne compte pas encore : Bien-être des personnes et no label outcome." in text
    assert page.index("data-section='not_counted'") < page.index("data-section='method'")
    assert "Ce que dit le ratio" in text
    assert "no_label_outcome" not in text


def test_a_ratio_below_one_is_explained_in_plain_words():
    r = ik.sroi(_toc_model(ratio_below_one=True))
    assert r.ratio < 1
    fr = " ".join(caveat_sentences(r, "fr")).replace("\xa0", " ")
    assert "Ici, le ratio est de 0,16 pour 1, inférieur à 1." in fr
    assert "ne signifie pas que l'action ne crée pas de valeur" in fr
    en = " ".join(caveat_sentences(r, "en"))
    assert "below 1" in en
    assert "does not mean that the action creates no value" in en
    above = " ".join(caveat_sentences(ik.sroi(_toc_model()), "fr"))
    assert "Ici, le ratio" not in above
    assert "Ce que dit le ratio" in above  # said in every report


def test_the_concentration_sentence_is_lint_s_sentence():
    r = ik.sroi(_toc_model())
    lint_sentences = {
        f.message
        for f in ik.lint(r.model)
        if f.code in ("value_concentration", "illustrative_share")
    }
    assert lint_sentences == {"100% of the value rests on one outcome: 'job'."}
    en = caveat_sentences(r, "en")
    assert "100% of the value rests on one outcome: Emploi retrouvé." in en
    fr = [s.replace("\u202f", " ").replace("\xa0", " ") for s in caveat_sentences(r, "fr")]
    assert "100 % de la valeur repose sur un seul effet : Emploi retrouvé." in fr


def test_public_finance_view_in_the_result_and_the_report():
    aah = ik.valuation.proxy_from_catalogue("aah_taux_plein_2025")
    m = _toc_model().evolve(
        base_year=2025,
        outcomes=[
            *_toc_model().outcomes,
            ik.OutcomeValuation(
                outcome="aah_saved", stakeholder="departement", quantity=2, proxy=aah
            ),
            ik.OutcomeValuation(
                outcome="aah_lost",
                stakeholder="people",
                quantity=2,
                proxy=ik.valuation.proxy_from_catalogue("aah_taux_plein_2025", negative=True),
            ),
        ],
    )
    r = ik.sroi(m)
    pf = r.public_finance
    assert list(pf.columns) == ["payer", "pays", "saves", "transfers", "net"]
    row = pf.set_index("payer").loc["departement"]
    assert row["pays"] == 10_000
    assert row["saves"] == 0.0
    assert row["transfers"] == pytest.approx(2 * 1033.32)
    assert row["net"] == pytest.approx(2 * 1033.32 - 10_000)
    assert r.to_dict()["public_finance"][0]["payer"] == "departement"
    assert "Public finances" in dict(r.summary().lines)
    text = visible(report.html(r, lang="fr"))
    assert "Finances publiques : qui paie, qui économise" in text
    assert "Une économie présentée ici n'est pas de la valeur sociale." in text
    md = report.markdown(r, lang="en")
    assert "## Public finances: who pays, who saves" in md
    assert "| Département |" in md  # the stakeholder's label, not its id


def test_public_payers_named_by_the_model():
    m = _toc_model().evolve(metadata={"public_payers": ["people"]})
    assert "people" in set(ik.sroi(m).public_finance["payer"])
    one = _toc_model().evolve(metadata={"public_payers": "people"})  # one name, not letters
    assert "people" in set(ik.sroi(one).public_finance["payer"])


@pytest.mark.parametrize("name", ["protection_enfance", "insertion_iae"])
def test_shipped_french_reports_name_every_unvalued_outcome(name):
    model = ik.examples.load_example(name)
    r = ik.sroi(model)
    text = report.markdown(r, lang="fr")
    valued = {ov.outcome for ov in model.outcomes}
    for node in model.toc.nodes:
        if node.kind == "outcome" and node.id not in valued:
            assert node.label in text, node.label


@pytest.mark.parametrize("name", ["emploi_accompagne", "protection_majeurs", "insertion_iae"])
def test_french_sections_have_no_english_and_no_code(name):
    model = ik.examples.load_example(name)
    r = ik.sroi(model)
    page = report.html(r, lang="fr")
    sections = re.findall(
        r"<div data-section='(?:not_counted|public_finance)'>.*?</table></div></div>|"
        r"<div data-section='not_counted'>.*?</div>",
        page,
        flags=re.S,
    )
    text = " ".join(visible(s) for s in sections)
    assert "Ce chiffre ne compte pas encore" in text or "Tous les effets" in text
    for english in (" the ", " value ", "outcome", "payer", "ratio means", "below 1", "Public"):
        assert english not in text, english
    for ov in model.outcomes:
        assert ov.outcome not in text, ov.outcome  # ids are code
