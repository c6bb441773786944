"""The French report: one language, labels not ids, a method, the same bytes every run,
print CSS, a readable theory of change, and PDF through a headless Chromium."""

from __future__ import annotations

import html
import re

import pytest

import impactkit as ik
from impactkit import report
from impactkit.cli import main

pytest.importorskip("matplotlib")


@pytest.fixture(scope="module")
def page():
    content = report.analyse(ik.examples.load_example(), lang="fr", n_draws=2_000, seed=1)
    return report.html(content)


def visible(text):
    text = re.sub(r"<svg.*?</svg>", " ", text, flags=re.S)
    text = re.sub(r"<style>.*?</style>", " ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    return html.unescape(re.sub(r"\s+", " ", text)).replace("\xa0", " ").replace("\u202f", " ")


def test_labels_instead_of_ids_and_paths(page):
    text = visible(page)
    assert "Effet d'aubaine — En emploi en milieu ordinaire à 12 mois" in text
    assert "Personnes accompagnées" in text
    for code in ("employed_12m", "outcomes[", "proxy.value", "carer_respite", "families"):
        assert code not in text, code


def test_everything_in_french(page):
    text = visible(page)
    for english in (
        "outside the admissible",
        "stays above",
        "does not depend",
        "years from year",
        "impact per year",
        "stakeholder_judgement",
        "(compound)",
        "Theory of change",
    ):
        assert english not in text, english
    assert "hors des valeurs admissibles" in text or "reste au-dessus" in text
    assert "Impact annuel" in text
    assert "3 ans à partir de l'année 1" in text
    assert "littérature publiée" in text
    assert "2,16 pour 1" in text
    assert "30 %" in text
    assert "30,0 %" not in text
    assert re.search(r"1 092 959 €", text)  # the example's present value


def test_description_and_method(page):
    m = ik.examples.load_example()
    text = visible(page)
    assert m.translations["fr"][m.description] in text  # the description, in French
    assert "data-section='method'" in page
    for words in ("Méthode", "Actualisation", "Limites et hypothèses", "guide du SROI"):
        assert words in text


def test_same_bytes_every_run():
    model = ik.examples.load_example()
    a = report.html(report.analyse(model, lang="fr", n_draws=1_000, seed=3))
    b = report.html(report.analyse(model, lang="fr", n_draws=1_000, seed=3))
    assert a == b
    assert 'id="' in a  # the SVGs do carry ids: fixed ones


def test_print_css_keeps_the_value_map(page):
    css = re.search(r"<style>(.*?)</style>", page, flags=re.S).group(1)
    assert "size:A4 landscape" in css
    assert re.search(r"@media print\{.*\.scroll\{overflow:visible\}", css, flags=re.S)
    table = re.search(r"<table data-table=\"value_map\">.*?</table>", page, flags=re.S)
    heads = re.findall(r"<th>(.*?)</th>", table.group(0))
    for col in (
        "Effet d&#x27;aubaine",
        "Attribution",
        "Dégressivité",
        "Impact",
        "Valeur actuelle",
    ):
        assert col in heads


def test_toc_diagram_is_readable():
    fig = report.toc_diagram(ik.examples.load_example().toc, lang="fr")
    assert fig.get_figwidth() <= 10.5
    ax = fig.axes[0]
    sizes = [txt.get_fontsize() for txt in ax.texts]
    assert min(sizes) >= 9  # 12 px at the natural width, shown unscaled at 1280 px
    arrows = [c for c in ax.get_children() if hasattr(c, "arrow_patch") and c.arrow_patch]
    assert len(arrows) == len(ik.examples.load_example().toc.links)
    assert all("-|>" in str(a.arrowprops["arrowstyle"]) for a in arrows)


def test_dollar_in_a_label_stays_text():
    toc = ik.TheoryOfChange("5$ à 10$")
    toc.add_stakeholder("p", label="$\\foo$ users")
    toc.add_node("a", kind="activity", label="5$ à 10$ par jour")
    toc.add_node("o", kind="outcome", label="$x^2$", stakeholder="p")
    toc.add_link("a", "o")
    m = ik.ImpactModel(
        name="m",
        toc=toc,
        inputs=[ik.Input("g", amount=100)],
        outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="p", quantity=1, proxy=500)],
    )
    res = ik.sroi(m)
    for fig in (report.by_stakeholder_chart(res, lang="fr"), report.toc_diagram(toc)):
        texts = [t for ax in fig.axes for t in (*ax.texts, *ax.get_yticklabels())]
        assert any("$" in t.get_text() for t in texts)  # shown as typed ...
        assert not any(t.get_parse_math() for t in texts)  # ... never as mathtext
        assert report.to_svg(fig).startswith("<svg")


def test_pdf_refused_without_a_browser(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("IMPACTKIT_CHROMIUM", "no-such-browser-here")
    p = tmp_path / "m.yaml"
    ik.dump(ik.examples.load_example(), p)
    out = tmp_path / "x.pdf"
    assert main(["report", str(p), "-o", str(out), "--mc", "0"]) == 2
    assert "Chromium" in capsys.readouterr().err
    assert not out.exists()
    with pytest.raises(report.PDFUnavailableError):
        report.write(ik.sroi(ik.examples.load_example()), out)


@pytest.mark.skipif(report.find_browser() is None, reason="no headless Chromium")
def test_pdf_is_a_pdf(tmp_path, capsys):
    p = tmp_path / "m.yaml"
    ik.dump(ik.examples.load_example(), p)
    out = tmp_path / "rapport.pdf"
    assert main(["report", str(p), "-o", str(out), "--lang", "fr", "--mc", "0"]) == 0
    assert out.read_bytes()[:5] == b"%PDF-"
