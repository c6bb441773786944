"""A French report is French: translated model texts, no English sentence, no code notation."""

from __future__ import annotations

import sys

import attrs
import pytest

import impactkit as ik
from french_text import code_notation, english_sentences, visible_chunks
from impactkit import report


@pytest.fixture(scope="module")
def example_pages():
    pages = {}
    for name in ik.examples.names():
        model = ik.examples.load_example(name)
        content = report.analyse(model, lang="fr", n_draws=500, seed=1)
        pages[name] = (report.html(content), report.markdown(content))
    return pages


def _model(**kw):
    return ik.ImpactModel(
        name="Accueil de jour",
        discount=ik.discount.france_2021(),
        base_year=2024,
        inputs=[ik.Input("Conseil départemental", amount=120_000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="crises",
                label="Crises avoided",
                stakeholder="personnes",
                quantity=40,
                proxy=ik.FinancialProxy(
                    7_500,
                    year=2023,
                    source="[catalogue:urgences] Unit cost taken from the national survey",
                ),
                deadweight=0.2,
                duration=1,
                sources={"deadweight": "Estimated from the waiting list, which is long"},
            )
        ],
        price_index={2023: 100.0, 2024: 102.0},
        **kw,
    )


TRANSLATIONS = {
    "fr": {
        "Crises avoided": "Crises évitées",
        "Unit cost taken from the national survey": "Coût unitaire tiré de l'enquête nationale",
        "[catalogue:urgences] Unit cost taken from the national survey": "Coût unitaire tiré "
        "de l'enquête nationale",
        "Estimated from the waiting list, which is long": "Estimé d'après la liste d'attente",
    }
}


def test_model_texts_are_shown_in_the_reports_language():
    model = _model(translations=TRANSLATIONS)
    page = report.html(ik.sroi(model), lang="fr")
    text = " ".join(visible_chunks(page))
    assert "Crises évitées" in text
    assert "Crises avoided" not in text
    assert "Estimé d'après la liste d'attente" in text
    assert english_sentences(page) == []
    english = " ".join(visible_chunks(report.html(ik.sroi(model), lang="en")))
    assert "Crises avoided" in english  # the model's own text where no translation is given


def test_translations_round_trip_through_the_model_file(tmp_path):
    model = _model(lang="en", translations=TRANSLATIONS)
    p = tmp_path / "m.json"
    ik.dump(model, p)
    back = ik.load(p)
    assert back == model
    assert back.lang == "en"
    assert dict(back.translations["fr"]) == TRANSLATIONS["fr"]
    with pytest.raises(ik.ValidationError) as err:
        attrs.evolve(model, lang="de", translations={"xx": {"a": 1}})
    paths = {p.path for p in err.value.problems}
    assert {("lang",), ("translations", "xx"), ("translations", "xx", "a")} <= paths


def test_translations_in_the_json_schema():
    schema = ik.io.json_schema()
    assert "translations" in schema["properties"]
    assert "lang" in schema["properties"]


def test_no_code_in_a_french_report():
    page = report.html(ik.sroi(_model(translations=TRANSLATIONS)), lang="fr")
    text = " ".join(visible_chunks(page))
    assert code_notation(page) == []
    assert "taux de France Stratégie (2021)" in text
    assert "france_2021" not in text
    assert "[catalogue:" not in text
    assert "(1 + r)^t" not in text
    assert "2023" in text
    assert "2\u202f023" not in page
    assert "2 023" not in text
    assert "1 an à partir de l'année 1" in text
    assert "1 ans" not in text


def test_no_code_in_the_examples_french_reports(example_pages):
    for name, (page, md) in example_pages.items():
        assert code_notation(page) == [], name
        assert "P(> 1)" not in page
        assert "france_2021" not in md
        assert "[catalogue:" not in md


def test_no_english_sentence_in_the_examples_french_reports(example_pages):
    # Needs the examples' French texts (descriptions, justifications, sources).
    found = {name: english_sentences(page) for name, (page, _) in example_pages.items()}
    assert found == {name: [] for name in found}


def test_core_install_french_note_and_warning(monkeypatch):
    for mod in [m for m in sys.modules if m == "matplotlib" or m.startswith("matplotlib.")]:
        monkeypatch.delitem(sys.modules, mod)
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib fails
    content = report.analyse(_model(translations=TRANSLATIONS), lang="fr", n_draws=0)
    with pytest.warns(ik.errors.ImpactkitWarning, match="graphiques"):
        page = report.html(content)
    text = " ".join(visible_chunks(page))
    assert "matplotlib" not in text
    assert "charts need" not in text
    assert "Les graphiques ne sont pas affichés" in text
    assert "120\u202f000\xa0€" in page  # French number format without any extra
    assert english_sentences(page) == []
