"""What the value-map workbook shows is what is read: no blank cell filled from the hidden
sheet, no ambiguous number, no formula's saved value, no merged input cell; every such cell
is a located problem, in the workbook's language, all at once. A round trip keeps the
evidence and engagement records; like a report, it holds no evidence without consent and no
personal name, and evidence text stays out of the visible sheets."""

from __future__ import annotations

import json
import re
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit import qualitative as ql
from impactkit.io import _excel
from sheets import FR, column_of

from strategies import synthetic_model

EN = {k: v["en"] for k, v in _excel.SHEETS.items()}


def _fields(ov, **changes):
    import attrs

    out = {a.name: getattr(ov, a.name) for a in attrs.fields(type(ov))}
    out.update(changes)
    return out


def read_problems(p):
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    return ei.value.problems


# ----------------------------------------------------------------- the hidden sheet
def test_a_blank_visible_cell_is_not_filled_from_the_hidden_sheet(tmp_path):
    m = synthetic_model()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    wb = openpyxl.load_workbook(p)
    ws = wb[EN["map"]]
    dw = column_of(ws, "deadweight")
    ws[f"{dw}4"] = None  # cleared by the user ...
    wd = wb[EN["data"]]
    row = wd.max_row + 1  # ... while the hidden sheet says 0.9
    wd[f"A{row}"] = "outcomes"
    wd[f"B{row}"] = json.dumps([{"outcome": m.outcomes[0].outcome, "deadweight": 0.9}])
    wb.save(p)
    probs = read_problems(p)
    assert [(q.code, q.path) for q in probs] == [("hidden_value", (EN["data"], f"B{row}"))]
    assert f"_data!B{row}" in probs[0].message
    assert "deadweight" in probs[0].message


def test_a_cleared_cell_reads_blank(tmp_path):
    m = synthetic_model()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m.evolve(outcomes=[_ov(m, deadweight=0.9)]), p)
    wb = openpyxl.load_workbook(p)
    ws = wb[EN["map"]]
    ws[f"{column_of(ws, 'deadweight')}4"] = None
    wb.save(p)
    assert ik.io.read_value_map(p).outcomes[0].deadweight == 0.0


def _ov(m, **changes):
    return m.outcomes[0].__class__(**_fields(m.outcomes[0], **changes))


# ----------------------------------------------------------------- numbers
@pytest.mark.parametrize("text", ["1,234", "12.500", "-250,000", "999.999"])
def test_ambiguous_numbers_are_refused(text):
    with pytest.raises(_excel.AmbiguousNumber, match="ambiguous"):
        _excel.parse_number(text)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,234,567", 1_234_567),
        ("1.234.567", 1_234_567),
        ("0,125", 0.125),
        ("1,5", 1.5),
        ("1,2340", 1.234),
        ("1 234", 1234),
        ("1,234.5", 1234.5),
    ],
)
def test_unambiguous_numbers(text, value):
    assert _excel.parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_an_ambiguous_number_in_a_sheet_is_located(tmp_path, lang):
    names = EN if lang == "en" else FR
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p, lang=lang)
    wb = openpyxl.load_workbook(p)
    ws = wb[names["map"]]
    q = column_of(ws, "quantity")
    ws[f"{q}4"] = "1,234"  # 1234 people to an English reader, not 1.234
    wb.save(p)
    probs = read_problems(p)
    assert [(x.code, x.path[:2]) for x in probs] == [("ambiguous_number", (names["map"], f"{q}4"))]
    assert f"{names['map']}!{q}4" in probs[0].message
    assert ("ambigu " if lang == "fr" else "ambiguous number") in probs[0].message


# ----------------------------------------------------------------- formulas
def _set_formula(path, sheet_name, ref, formula, cached):
    wb = openpyxl.load_workbook(path, read_only=True)
    index = wb.sheetnames.index(sheet_name) + 1
    wb.close()
    with zipfile.ZipFile(path) as z:
        parts = {n: z.read(n) for n in z.namelist()}
    name = f"xl/worksheets/sheet{index}.xml"
    xml = parts[name].decode()
    cell = re.search(rf'<c r="{ref}"[^>]*?(/>|>.*?</c>)', xml)
    assert cell is not None
    v = f"<v>{cached}</v>" if cached is not None else ""
    xml = xml.replace(cell.group(0), f'<c r="{ref}"><f>{formula}</f>{v}</c>')
    parts[name] = xml.encode()
    with zipfile.ZipFile(path, "w") as z:
        for n, data in parts.items():
            z.writestr(n, data)


def test_an_external_workbook_value_is_not_read(tmp_path):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    ws = openpyxl.load_workbook(p)[EN["map"]]
    dw = column_of(ws, "deadweight")
    _set_formula(p, EN["map"], f"{dw}4", "[1]Budget!A1", 0.1)
    probs = read_problems(p)
    assert [(x.code, x.path[:2]) for x in probs] == [("external_link", (EN["map"], f"{dw}4"))]
    assert "another workbook" in probs[0].message


# ----------------------------------------------------------------- merged cells
def test_merged_input_cells_are_located(tmp_path):
    m = synthetic_model()
    m = m.evolve(outcomes=[_ov(m, duration=3), _ov(m, outcome="other", duration=3)])
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    assert ik.io.read_value_map(p) == m
    wb = openpyxl.load_workbook(p)
    ws = wb[EN["map"]]
    d = column_of(ws, "duration")
    ws.merge_cells(f"{d}4:{d}5")  # row 5's duration now reads blank, i.e. 1 year
    wb.save(p)
    probs = read_problems(p)
    assert [(x.code, x.path[:2]) for x in probs] == [("merged_cells", (EN["map"], f"{d}4"))]
    assert f"{d}4:{d}5" in probs[0].message


def test_the_written_stage_headings_are_merged_and_read(tmp_path):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    assert openpyxl.load_workbook(p)[EN["map"]].merged_cells.ranges  # row 1 only
    assert ik.io.read_value_map(p) == synthetic_model()


# ----------------------------------------------------------------- all at once, in French
def test_every_problem_at_once_in_french(tmp_path):
    m = synthetic_model()
    m = m.evolve(outcomes=[_ov(m, duration=3), _ov(m, outcome="other", duration=3)])
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    q, d, dw = (column_of(ws, k) for k in ("quantity", "duration", "deadweight"))
    ws[f"{q}4"] = "12.500"
    ws.merge_cells(f"{d}4:{d}5")
    wb.save(p)
    _set_formula(p, FR["map"], f"{dw}5", "0.1*2", 0.2)
    probs = read_problems(p)
    got = {(x.code, x.path[:2]) for x in probs}
    assert got == {
        ("ambiguous_number", (FR["map"], f"{q}4")),
        ("merged_cells", (FR["map"], f"{d}4")),
        ("formula", (FR["map"], f"{dw}5")),
    }
    for x in probs:
        assert x.message.startswith(f"{FR['map']}!")
        assert not re.search(r"\b(the|cell|number|merged|formula is)\b", x.message)


# ----------------------------------------------------------------- records
def records_model():
    """Consented evidence without personal names, and engagement records."""
    m = ik.examples.load_example()
    node = m.outcomes[0].outcome
    return m.evolve(
        evidence=[
            ql.Evidence(
                id="q1",
                kind="testimony",
                text="J'ai retrouvé confiance.",
                stakeholder="participants",
                nodes=(node,),
                consent=True,
                themes=("Confiance",),
                date="2024-02-10",
            ),
            ql.Evidence(
                id="q2",
                kind="testimony",
                text="Je travaille depuis un an.",
                nodes=(node,),
                consent=True,
                direction="contradicts",
            ),
        ],
        engagement=[
            ql.Engagement(stakeholder="participants", method="interview", n=12, stage="outcomes"),
            ql.Engagement(stakeholder="families", method="survey", n=40, stage="calculation"),
        ],
    )


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_evidence_and_engagement_survive_a_round_trip(tmp_path, lang):
    m = records_model()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p, lang=lang)
    back = ik.io.read_value_map(p)
    assert back == m
    assert back.evidence == m.evidence
    assert back.engagement == m.engagement


def test_the_workbook_holds_what_a_report_may_show(tmp_path):
    m = records_model()
    node = m.outcomes[0].outcome
    withheld = ql.Evidence(
        id="q3", kind="testimony", text="Ne pas publier, Dupont.", nodes=(node,), person="Hélène"
    )
    named = ql.Evidence(
        id="q4", kind="testimony", text="Hélène m'a aidé.", nodes=(node,), consent=True
    )
    listed = ql.Evidence(
        id="q5", kind="testimony", text="Jeanne aussi.", nodes=(node,), consent=True
    )
    m = m.evolve(
        evidence=(*m.evidence, withheld, named, listed),
        metadata={"personal_names": ["Jeanne"], "note": "gardée"},
    )
    p = tmp_path / "vm.xlsx"
    with pytest.warns(ik.ImpactkitWarning, match="1 of 5 evidence records without consent"):
        ik.io.write_value_map(m, p)
    wb = openpyxl.load_workbook(p)
    for ws in wb.worksheets:  # hidden sheet included
        text = " ".join(str(c.value) for row in ws.iter_rows() for c in row if c.value)
        assert "Dupont" not in text
        assert "Hélène" not in text
        assert "Jeanne" not in text
        if ws.sheet_state == "visible":
            assert "confiance" not in text  # evidence text, even consented, stays hidden
    back = ik.io.read_value_map(p)
    assert back.evidence[:2] == m.evidence[:2]
    assert [e.id for e in back.evidence] == ["q1", "q2", "q4", "q5"]
    assert back.evidence[2].text == "[P1] m'a aidé."
    assert back.evidence[3].text == "[P2] aussi."
    assert dict(back.metadata) == {"note": "gardée"}
    assert back.engagement == m.engagement


# ----------------------------------------------------------------- stakeholders
def test_the_stakeholders_sheet_is_what_is_read(tmp_path):
    m = ik.examples.load_example()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["stakeholders"]]
    assert ws["A3"].value == m.toc.stakeholders[0].id
    ws["B3"], ws["C3"], ws["D3"] = "Salariés en insertion", 48, None
    wb.save(p)
    s = ik.io.read_value_map(p).toc.stakeholders[0]
    assert (s.label, s.size, s.description) == ("Salariés en insertion", 48, "")
    # the sheet is the list: a renamed id is a new stakeholder and the old one is gone,
    # so the nodes still naming it are problems at their cells; a label cleared
    ws["A3"], ws["B4"] = "inconnus", None
    wb.save(p)
    probs = read_problems(p)
    got = {(x.code, x.path[0]) for x in probs}
    assert got == {
        ("unknown_stakeholder", FR["toc"]),
        ("empty", FR["stakeholders"]),
    }
    assert ("empty", (FR["stakeholders"], "B4")) in {(x.code, x.path) for x in probs}
    assert all("partie prenante" in x.message for x in probs)


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.generate],
)
@given(
    texts=st.lists(st.text(st.characters(blacklist_categories=("Cs",)), min_size=1), max_size=3),
    n=st.integers(1, 10_000),
    lang=st.sampled_from(["en", "fr"]),
)
def test_any_records_survive_a_round_trip(tmp_path, texts, n, lang):
    m = ik.examples.load_example()
    node = m.outcomes[0].outcome
    evidence = []
    for i, text in enumerate(texts):
        try:
            evidence.append(
                ql.Evidence(id=f"e{i}", kind="testimony", text=text, nodes=(node,), consent=True)
            )
        except ik.ValidationError:
            continue  # a blank text, refused by the record itself
    m = m.evolve(
        evidence=evidence,
        engagement=[
            ql.Engagement(stakeholder="participants", method="survey", n=n, stage="outcomes")
        ],
    )
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p, lang=lang)
    assert ik.io.read_value_map(p) == m


def test_records_with_characters_xml_cannot_hold(tmp_path):
    m = ik.examples.load_example()
    node = m.outcomes[0].outcome
    texts = ["fin\uffff", "d\u00e9but\ufffe", "tab\x0b", "barre \\uffff"]
    m = m.evolve(
        evidence=[
            ql.Evidence(id=f"e{i}", kind="testimony", text=t, nodes=(node,), consent=True)
            for i, t in enumerate(texts)
        ]
    )
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p)
    assert ik.io.read_value_map(p) == m


def test_an_unreadable_number_is_worded_in_french(tmp_path):
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(synthetic_model(), p, lang="fr")
    wb = openpyxl.load_workbook(p)
    ws = wb[FR["map"]]
    q, sy = column_of(ws, "quantity"), column_of(ws, "start_year")
    ws[f"{q}4"], ws[f"{sy}4"] = "beaucoup", "1,5"
    wb.save(p)
    probs = read_problems(p)
    assert {(x.code, x.path[:2]) for x in probs} >= {
        ("type", (FR["map"], f"{q}4")),
        ("type", (FR["map"], f"{sy}4")),
    }
    messages = {x.path[1]: x.message for x in probs}
    assert messages[f"{q}4"] == f"{FR['map']}!{q}4 : « beaucoup » n'est pas un nombre lisible"
    assert messages[f"{sy}4"].endswith("n'est pas un nombre entier lisible")


def test_text_a_cell_cannot_hold_is_refused_before_writing(tmp_path):
    m = ik.examples.load_example()
    m = m.evolve(name="Carte\x01", outcomes=[_ov(m, label="fin\uffff"), *m.outcomes[1:]])
    p = tmp_path / "vm.xlsx"
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.write_value_map(m, p)
    assert {(x.path, x.code) for x in ei.value.problems} == {
        (("name",), "unwritable_character"),
        (("outcomes", 0, "label"), "unwritable_character"),
    }
    assert not p.exists()
