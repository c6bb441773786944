"""Reports: figures equal the result's numbers, both languages complete, self-contained HTML."""

from __future__ import annotations

import re

import matplotlib
import pytest

import impactkit as ik
from impactkit import report

from strategies import synthetic_model

matplotlib.use("Agg")


@pytest.fixture(scope="module")
def example():
    model = ik.examples.load_example()
    data = ik.examples.load_example_data()
    return ik.sroi(model, data=data)


def values(text):
    return {k: float(v) for k, v in re.findall(r'data-key="(\w+)" data-value="([^"]+)"', text)}


def test_translations_complete():
    en, fr = set(report.TEXTS["en"]), set(report.TEXTS["fr"])
    assert en == fr
    for lang in report.LANGS:
        assert all(v.strip() for v in report.TEXTS[lang].values())
    assert report.t("deadweight", "fr") == "Effet d'aubaine"
    assert report.t("drop_off", "fr") == "Dégressivité"
    assert report.t("parties", "fr") == "Parties prenantes"
    with pytest.raises(ik.ValidationError):
        report.t("ratio", "de")


def test_locale_formatting():
    assert report.fmt_money(1234.4, "EUR", "en") == "€1,234"
    assert report.fmt_money(1234.4, "EUR", "fr") == "1\u202f234\xa0€"
    assert report.fmt_ratio(2.3399, "fr") == "2,34 pour 1"
    assert report.fmt_pct(0.5, "en") == "50.0%"


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_figures_equal_result(example, lang, tmp_path):
    path = tmp_path / "r.html"
    model = ik.examples.load_example()
    content = report.analyse(model, data=ik.examples.load_example_data(), n_draws=2000, seed=0)
    report.write(content, path, lang=lang)
    text = report.html(content, lang=lang)
    assert path.read_text(encoding="utf-8") == text
    v = values(text)
    assert v["ratio"] == example.ratio
    assert v["present_value"] == example.present_value
    assert v["total_inputs"] == example.total_inputs
    assert v["net_present_value"] == example.net_present_value
    assert v["payback_months"] == example.payback_months
    mc = ik.monte_carlo(example.model, n=2000, seed=0)
    assert v["interval_low"] == mc.interval(0.9)[0]
    assert v["p_above_1"] == mc.probability_ratio_above(1.0)
    cells = re.findall(r'data-table="by_outcome".*?</table>', text, re.S)[0]
    pv = [float(x) for x in re.findall(r'data-value="([^"]+)"', cells)]
    for x in example.by_outcome["present_value"]:
        assert x in pv
    assert text.count("<svg") >= 5  # stakeholder, years, theory of change, tornado, MC
    heading = {"en": "Theory of change", "fr": "Théorie du changement"}[lang]
    assert heading in text


def test_html_is_self_contained(example):
    text = report.html(report.build(example, monte_carlo=ik.monte_carlo(example.model, n=500)))
    assert not re.search(r"""(src|href)=["']https?://""", text)
    assert "<script" not in text
    assert "<link" not in text


def test_failed_report_writes_nothing(tmp_path):
    path = tmp_path / "r.html"
    with pytest.raises(ik.ValidationError):
        report.write(ik.sroi(synthetic_model()), path, lang="de")
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_markdown(example):
    md = report.markdown(example, lang="fr")
    assert md.startswith("# Retour social sur investissement")
    assert "2,16\xa0€" in md
    assert "Valeur par partie prenante" in md


def test_charts_return_figures(example):
    from matplotlib.figure import Figure

    mc = ik.monte_carlo(example.model, n=500, seed=0)
    figs = [
        report.by_stakeholder_chart(example, "fr"),
        report.by_year_chart(example),
        report.tornado_chart(ik.uncertainty.tornado(example.model)),
        report.mc_histogram(mc, "fr"),
        report.toc_diagram(example.model.toc),
    ]
    for f in figs:
        assert isinstance(f, Figure)
        assert report.to_svg(f).startswith("<svg")


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1,243 (measured: 102 records, 18 missing)"),
        ("fr", "1\u202f243 (mesurée : 102 observations, 18 manquantes)"),
    ],
)
def test_lineage_says_how_many_records_a_measured_quantity_rests_on(lang, expected):
    """A quantity measured from data shows its records and missing values in the
    report's own language (the first outcome: 102 participants gave their hours, 18 not)."""
    model = ik.examples.load_example(measured=False)
    result = ik.sroi(model, data=ik.examples.load_example_data())
    text = report.html(report.build(result, lang=lang))
    table = re.findall(r"<table class='lineage' data-lineage='0'>.*?</table>", text, re.S)[0]
    assert expected in table
    typed = report.html(report.build(ik.sroi(ik.examples.load_example()), lang=lang))
    assert "102" not in re.findall(r"data-lineage='0'>.*?</table>", typed, re.S)[0]
