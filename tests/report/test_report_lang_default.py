"""A model (or a workbook) written in French reports in French without being told."""

from __future__ import annotations

import attrs

import impactkit as ik
from impactkit import report


def test_model_language_is_the_reports_default():
    model = attrs.evolve(ik.examples.load_example(), lang="fr")
    assert report.analyse(model, n_draws=0, sensitivity=False).lang == "fr"
    assert report.html(ik.sroi(model)).startswith('<!DOCTYPE html><html lang="fr">')
    assert report.markdown(ik.sroi(model)).startswith("# Retour social")
    assert report.analyse(model, lang="en", n_draws=0, sensitivity=False).lang == "en"
    plain = attrs.evolve(model, lang="en")
    assert report.build(ik.sroi(plain)).lang == "en"


def test_french_workbook_reports_in_french(tmp_path):
    model = ik.examples.load_example()
    assert model.lang == "en"
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(model, p, lang="fr")
    back = ik.io.read_value_map(p)
    assert back.lang == "fr"
    assert back == model
    content = report.analyse(back, n_draws=0, sensitivity=False)
    assert content.lang == "fr"
    path = report.write(content, tmp_path / "rapport.md")
    assert path.read_text(encoding="utf-8").startswith("# Retour social sur investissement")
    en = tmp_path / "map.xlsx"
    ik.io.write_value_map(model, en, lang="en")
    assert report.analyse(ik.io.read_value_map(en), n_draws=0, sensitivity=False).lang == "en"


def test_translations_survive_the_workbook(tmp_path):
    model = attrs.evolve(
        ik.examples.load_example(), translations={"en": {"Personnes accompagnées": "People"}}
    )
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(model, p, lang="fr")
    assert dict(ik.io.read_value_map(p).translations["en"]) == {"Personnes accompagnées": "People"}
