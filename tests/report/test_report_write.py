"""Rendering and writing are separate: html/markdown/pdf return the report, write writes it."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit import report
from impactkit._i18n import Formatter
from impactkit.errors import OutputPathError


def _result():
    model = ik.ImpactModel(
        name="Accueil de jour",
        discount=0.0,
        inputs=[ik.Input("Conseil départemental", amount=120_000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="crises", stakeholder="personnes", quantity=40, proxy=7_500
            )
        ],
    )
    return ik.sroi(model)


def test_renderers_return_text_and_write_nothing(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    page = report.html(_result(), lang="fr")
    text = report.markdown(_result(), lang="fr")
    assert page.startswith("<!DOCTYPE html>")
    assert text.startswith("# Retour social")
    assert list(tmp_path.iterdir()) == []
    with pytest.raises(TypeError):
        report.html(_result(), tmp_path / "r.html")  # no path: writing is report.write


@pytest.mark.parametrize(
    ("name", "start"),
    [("r.html", "<!DOCTYPE html>"), ("R.HTM", "<!DOCTYPE html>"), ("r.md", "# Retour")],
)
def test_write_picks_the_format_from_the_suffix(tmp_path, name, start):
    path = report.write(_result(), tmp_path / name, lang="fr")
    assert path.read_text(encoding="utf-8").startswith(start)
    if start.startswith("<!"):
        assert path.read_text(encoding="utf-8") == report.html(_result(), lang="fr")
    else:
        assert path.read_text(encoding="utf-8") == report.markdown(_result(), lang="fr")


@pytest.mark.parametrize("name", ["r.docx", "r.txt", "r", "r.html.bak"])
def test_unknown_suffix_refused_and_nothing_written(tmp_path, name):
    with pytest.raises(OutputPathError, match="is not one of them"):
        report.write(_result(), tmp_path / name)
    assert list(tmp_path.iterdir()) == []


def test_cli_refuses_unknown_suffix(tmp_path):
    from impactkit.cli import main

    p = tmp_path / "m.json"
    ik.dump(ik.examples.load_example(), p)
    for name in ("r.docx", "r.txt"):
        assert main(["report", str(p), "-o", str(tmp_path / name), "--mc", "0"]) == 2
        assert not (tmp_path / name).exists()


@pytest.mark.skipif(report.find_browser() is None, reason="no headless Chromium")
def test_pdf_returns_bytes_and_write_prints_it(tmp_path):
    data = report.pdf(_result(), lang="fr")
    assert isinstance(data, bytes)
    assert data[:5] == b"%PDF-"
    assert report.write(_result(), tmp_path / "r.pdf").read_bytes()[:5] == b"%PDF-"


def test_formatter_binds_language_and_currency():
    f = Formatter("fr", "EUR")
    assert f.money(1234.4) == "1\u202f234\xa0€"
    assert f.ratio(2.5) == "2,50 pour 1"
    assert f.share(0.3) == "30\xa0%"
    assert f.share(0.125) == "12,5\xa0%"
    assert f.year(2023) == "2023"
    assert f.year(2023.0) == "2023"
    assert f.t("deadweight") == "Effet d'aubaine"
    assert Formatter("en", "GBP").money(10) == "£10"
    with pytest.raises(ik.ValidationError):
        Formatter("de", "EUR")
