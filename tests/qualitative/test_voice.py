"""Consent is honoured in every report and export; the stakeholder-voice section."""

from __future__ import annotations

import json

import pytest

import impactkit as ik
from impactkit import qualitative as ql

SECRET = "Je ne veux pas que ceci soit publié, Jeanne."


def model():
    _, ev, eng = ik.examples.load_example_interviews()
    hidden = ql.Evidence(
        id="secret",
        kind="testimony",
        text=SECRET,
        stakeholder="participants",
        nodes=("employed_12m",),
        consent=False,
        person="Jeanne",
        source="Entretien secret",
        themes=("Thème caché",),
    )
    named = ql.Evidence(
        id="named",
        kind="testimony",
        text="Jeanne m'a beaucoup aidé.",
        stakeholder="families",
        nodes=("carer_respite",),
        consent=True,
    )
    return ik.examples.load_example().evolve(
        evidence=(*ev, hidden, named),
        engagement=eng,
    )


def withheld_texts(m):
    return [e.text for e in m.evidence if not e.consent]


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_html_and_markdown_never_show_evidence_without_consent(tmp_path, lang):
    m = model()
    res = ik.sroi(m)
    page = ik.report.html(res, lang=lang)
    ik.report.write(ik.report.build(res, lang=lang), tmp_path / "r.html")
    md = ik.report.markdown(res, lang=lang)
    for text in withheld_texts(m):
        assert text not in page
        assert text not in md
        assert text.split(",")[0] not in page
    for text in (page, md, (tmp_path / "r.html").read_text(encoding="utf-8")):
        assert "Jeanne" not in text
        assert "Thème caché" not in text
        assert "secret" not in text
    title = "Paroles des parties prenantes" if lang == "fr" else "Stakeholder voice"
    assert title in page
    assert title in md
    shown = [e for e in m.evidence if e.consent and "employed_12m" in e.nodes]
    assert all(e.text in md for e in shown)
    assert "\\[P1\\] m'a beaucoup aidé." in md  # brackets escaped: no link


def test_json_export_and_result_contract():
    m = model()
    v = ql.stakeholder_voice(ik.sroi(m))
    text = json.dumps(v.to_dict(), allow_nan=False, ensure_ascii=False)
    for t in withheld_texts(m):
        assert t not in text
    assert "Jeanne" not in text
    assert "secret" not in text
    assert v.n_withheld == sum(not e.consent for e in m.evidence)
    assert v.n_evidence == sum(e.consent for e in m.evidence)
    assert set(v.quotes["id"]) <= {e.id for e in m.evidence if e.consent}
    themes = v.themes.set_index("theme")["count"]
    assert themes["Emploi durable"] == sum(
        "Emploi durable" in e.themes for e in m.evidence if e.consent
    )
    eng = v.engagement.set_index("stakeholder")
    assert eng.loc["participants", "people"] == sum(
        g.n for g in m.engagement if g.stakeholder == "participants"
    )
    assert "Stakeholder voice" in str(v.summary())
    hash(v)
    assert v.to_frame().equals(v.quotes)


def test_no_section_without_records():
    m = ik.examples.load_example()
    assert "Stakeholder voice" not in ik.report.markdown(ik.sroi(m))


def test_consented_is_what_writers_call():
    m = model()
    assert all(e.consent for e in ql.consented(m.evidence))
    assert len(ql.consented(m.evidence)) == len(m.evidence) - len(withheld_texts(m))


def test_excel_value_map_never_holds_evidence_without_consent(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    m = model()
    path = tmp_path / "vm.xlsx"
    with pytest.warns(ik.ImpactkitWarning, match="without consent are left out"):
        ik.io.write_value_map(m, path, lang="fr")
    wb = openpyxl.load_workbook(path)
    cells = [str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row]
    cells += [str(d.value) for d in wb.defined_names.values()]
    for text in withheld_texts(m):
        assert not any(text in c for c in cells)
    assert not any("Jeanne" in c for c in cells)


def test_names_listed_in_metadata_are_pseudonymised_too():
    m = model()
    paul = ql.Evidence(
        id="paul",
        kind="testimony",
        text="Paul est venu chaque semaine.",
        stakeholder="families",
        nodes=("carer_respite",),
        consent=True,
    )
    m = m.evolve(evidence=(*m.evidence, paul), metadata={"personal_names": ["Paul"]})
    md = ik.report.markdown(ik.sroi(m))
    assert "Paul" not in md
    assert "\\[P2\\] est venu chaque semaine." in md
