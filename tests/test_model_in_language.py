"""A model's texts in another language: same analysis, texts from its own translations."""

from __future__ import annotations

import openpyxl
import pytest

import impactkit as ik
from impactkit.cli import main
from impactkit.model import in_language, to_dict

from .french_text import english_sentences

SECTORS = ik.examples.names()


def _texts(x: object) -> list[str]:
    if isinstance(x, dict):
        return [t for k, v in x.items() if k != "translations" for t in _texts(v)]
    if isinstance(x, list):
        return [t for v in x for t in _texts(v)]
    return [x] if isinstance(x, str) else []


@pytest.mark.parametrize("name", SECTORS)
def test_the_same_analysis_in_french(name: str) -> None:
    m = ik.examples.load_example(name)
    fr = in_language(m, "fr")
    assert fr.lang == "fr"
    assert ik.sroi(fr).to_frame().equals(ik.sroi(m).to_frame())
    assert sorted((p.code, p.path) for p in ik.lint(fr)) == sorted(
        (p.code, p.path) for p in ik.lint(m)
    )
    words = m.translations["fr"]
    texts = _texts(to_dict(fr))
    assert not [t for t in texts if t in words and words[t] != t]  # every translation used
    assert any(t in texts for t in words.values())
    # the way back is kept: the English model's texts return, except where two of
    # its texts share one French text (a label already French and a description)
    back = in_language(fr, "en")
    assert back.lang == "en"
    assert ik.sroi(back).ratio == ik.sroi(m).ratio
    shared = {v for k, v in words.items() if v in _texts(to_dict(m))}
    differ = [
        (a, b) for a, b in zip(_texts(to_dict(m)), _texts(to_dict(back)), strict=True) if a != b
    ]
    assert all(b in shared for _, b in differ)


def test_identifiers_and_links_are_not_translated() -> None:
    m = ik.examples.load_example("protection_enfance")
    fr = in_language(m, "fr")
    assert [n.id for n in fr.toc.nodes] == [n.id for n in m.toc.nodes]
    assert [(lk.source, lk.target) for lk in fr.toc.links] == [
        (lk.source, lk.target) for lk in m.toc.links
    ]
    assert [o.outcome for o in fr.outcomes] == [o.outcome for o in m.outcomes]
    assert in_language(fr, "en") == m  # this example shares no French text


def test_nothing_to_translate_gives_the_model_itself() -> None:
    m = ik.examples.load_example("protection_enfance")
    assert in_language(m, "en") is m
    plain = ik.ImpactModel("x")
    assert in_language(plain, "fr") is plain
    with pytest.raises(ik.errors.ValidationError, match="lang"):
        in_language(m, "de")


@pytest.mark.parametrize("name", SECTORS)
def test_a_french_workbook_of_an_example_shows_its_french_texts(tmp_path, name) -> None:  # type: ignore[no-untyped-def]
    p = tmp_path / "carte.xlsx"
    assert main(["new", str(p), "--example", name, "--lang", "fr"]) == 0
    wb = openpyxl.load_workbook(p)
    visible = [
        str(c.value)
        for ws in wb.worksheets
        if ws.sheet_state == "visible"
        for row in ws.iter_rows()
        for c in row
        if isinstance(c.value, str) and not c.value.startswith("=")
    ]
    english = [s for v in visible for s in english_sentences(v)]
    assert not english, english[:5]
    assert main(["sroi", str(p), "--lang", "fr"]) == 0
