"""A director reads the summary first; tables fit the screen and the printed page."""

from __future__ import annotations

import re
import subprocess

import pytest

import impactkit as ik
from french_text import visible_chunks
from impactkit import report
from impactkit.report._caveats import unvalued_outcomes


@pytest.fixture(scope="module")
def content():
    model = ik.examples.load_example()
    data = ik.examples.load_example_data()
    return report.analyse(model, data=data, lang="fr", n_draws=1_000, seed=0)


def test_synthesis_opens_the_report(content):
    page = report.html(content)
    chunks = visible_chunks(page)
    assert chunks.index("Synthèse") < chunks.index("L'analyse") < chunks.index("Méthode")
    section = re.search(r"<section data-section='synthesis'>(.*?)</section>", page, re.S)
    assert section is not None
    text = " ".join(visible_chunks(section.group(1)))
    assert "Qui y gagne : Personnes accompagnées (94,7 %)" in text.replace("\xa0", " ")
    assert "2,16 pour 1" in text
    assert "dans 90 % des simulations" in text
    assert "Principales réserves" in text
    not_valued = unvalued_outcomes(content.result)  # one rule, as the "not counted" section
    assert not_valued is not None
    assert ("Ce chiffre ne compte pas encore" if not_valued else "Tous les effets") in text
    assert all(label in text for label in not_valued)
    assert len(re.findall(r"<li>", section.group(1))) <= 4 + 1  # three caveats and the unvalued
    md = report.markdown(content)
    assert md.index("## Synthèse") < md.index("## Chiffres clés")


def test_unreachable_tipping_points_fold_into_one_sentence(content):
    page = report.html(content)
    table = re.search(r"<table data-table=\"tipping_points\">(.*?)</table>", page, re.S)
    assert table is not None
    assert "il faudrait" not in page
    assert "hors des valeurs admissibles" not in page
    folded = re.findall(r"<p data-note='tipping'>([^<]*)</p>", page)
    assert folded, "no sentence for the figures that cannot bring the ratio to 1:1"
    unreachable = int((~content.tipping["attainable"].astype(bool)).sum())
    rows = len(re.findall(r"<tr>", table.group(1))) - 1
    assert rows == int(content.tipping["attainable"].astype(bool).sum())
    assert unreachable > 0
    assert "reste au-dessus de 1 pour 1" in folded[0]


def test_print_css_pages_tables_and_value_map(content):
    page = report.html(content)
    css = re.search(r"<style>(.*?)</style>", page, re.S).group(1)
    assert "counter(page)" in css
    assert "Page" in css
    assert re.search(r"\.scroll\{[^}]*break-before:avoid", css)  # a table stays with its title
    assert "thead{display:table-header-group}" in css
    assert "orphans:3" in css
    assert re.search(r"table\[data-table=value_map\]\{[^}]*font-size:\.72rem", css)
    assert "overflow-wrap:anywhere" in css


def _chromium():
    exe = report.find_browser()
    if exe is None:
        pytest.skip("no headless Chromium")
    return exe


def test_value_map_fits_1280_px(content, tmp_path):
    exe = _chromium()
    page = report.html(content).replace(
        "</body>",
        "<script>document.title=String(Math.max(...[...document.querySelectorAll("
        "'.scroll')].map(e=>e.scrollWidth-e.clientWidth)))</script></body>",
    )
    p = tmp_path / "r.html"
    p.write_text(page, encoding="utf-8")
    args = [exe, "--headless", "--disable-gpu", "--window-size=1280,900", "--dump-dom"]
    args += [f"--user-data-dir={tmp_path / 'profile'}", p.as_uri()]
    import os

    if hasattr(os, "geteuid") and os.geteuid() == 0:
        args.insert(1, "--no-sandbox")
    done = subprocess.run(args, capture_output=True, text=True, timeout=120)
    overflow = re.search(r"<title>(-?\d+)</title>", done.stdout)
    assert overflow is not None, done.stderr[-500:]
    assert int(overflow.group(1)) <= 0  # no table wider than its box: nothing clipped


def test_pdf_has_page_numbers(content, tmp_path):
    _chromium()
    import shutil

    if shutil.which("pdftotext") is None:
        pytest.skip("no pdftotext")
    out = report.write(content, tmp_path / "r.pdf")
    text = subprocess.run(
        ["pdftotext", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Page 1 / \d+", text)
    assert re.search(r"Page 2 / \d+", text)
