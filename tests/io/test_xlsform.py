"""XLSForms written from the shipped examples convert with pyxform, and an export of
the form goes back through read_survey into the same measured quantities."""

from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import ValidationError
from impactkit.examples.generate import write_survey_export
from impactkit.io._xlsform import CONSENT, WAVE, sources
from impactkit.measure import bind

pyxform = pytest.importorskip("pyxform")
from pyxform.xls2xform import convert  # noqa: E402

CASES = [
    (name, src)
    for name in ik.examples.names()
    for src in sources(ik.examples.load_example(name, measured=False))
]


@pytest.mark.parametrize(("name", "src"), CASES)
def test_every_example_form_converts_with_pyxform(tmp_path, name, src):
    model = ik.examples.load_example(name, measured=False)
    path = ik.io.write_xlsform(model, tmp_path / f"{name}.xlsx", data=src)
    result = convert(xlsform=str(path))
    assert "<h:html" in result.xform
    assert not result.warnings
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["survey", "choices", "settings"]
    header = [c.value for c in wb["survey"][1]]
    assert "label::Français (fr)" in header
    assert "label::English (en)" in header
    first = [c.value for c in wb["survey"][2]]
    assert first[header.index("name")] == CONSENT


def test_form_layout_and_reversed_items(tmp_path):
    scale = ik.measure.Scale(items=["q1", "q2", "q3"], reverse=["q2"], low=1, high=4, name="se")
    model = ik.examples.load_example("personnes_agees", measured=False)
    rc = ik.measure.ReliableChange(
        baseline="t0", followup="t1", measure=scale, reliability=0.8, sd=2.0, data="patients"
    )
    qg = ik.measure.QALYGain(
        baseline="t0", followup="t1", horizon=2, value_set="france", data="patients"
    )
    outcomes = list(model.outcomes)
    outcomes[0] = ik.OutcomeValuation(
        **{**{f: getattr(outcomes[0], f) for f in ("outcome", "stakeholder", "proxy")}},
        quantity=rc,
    )
    outcomes[1] = ik.OutcomeValuation(
        **{**{f: getattr(outcomes[1], f) for f in ("outcome", "stakeholder", "proxy")}},
        quantity=qg,
    )
    model = model.evolve(outcomes=outcomes)
    path = ik.io.write_xlsform(model, tmp_path / "form.xlsx", lang="en")
    convert(xlsform=str(path))
    ws = openpyxl.load_workbook(path)["survey"]
    rows = list(ws.iter_rows(values_only=True))
    head = rows[0]
    by_name = {r[head.index("name")]: r for r in rows[1:] if r[head.index("name")]}
    assert by_name["se"][head.index("type")] == "begin_group"
    assert by_name["eq5d5l"][head.index("type")] == "begin_group"
    assert "Reversed item" in by_name["q2"][head.index("hint::English (en)")]
    assert by_name["q1"][head.index("constraint")] == ". >= 1 and . <= 4"
    assert by_name["eq5d_mo"][head.index("constraint")] == ". >= 1 and . <= 5"
    assert by_name[WAVE][head.index("type")] == "select_one waves"
    assert by_name["questionnaire"][head.index("relevant")] == "${consent} = 'yes'"
    settings = list(openpyxl.load_workbook(path)["settings"].iter_rows(values_only=True))
    assert settings[1][2] == "English (en)"
    # no EuroQol wording: the dimension labels say scoring only
    group_fr = by_name["eq5d5l"][head.index("label::Français (fr)")]
    assert "cotation seulement" in group_fr
    assert by_name["eq5d_mo"][head.index("label::Français (fr)")] == "Mobilité : niveau de 1 à 5"
    assert by_name["q2"][head.index("label::Français (fr)")] == "Item 2 sur 3 (inversé)"


def test_several_sources_need_a_choice(tmp_path):
    model = ik.examples.load_example("emploi_accompagne", measured=False)
    with pytest.raises(ValidationError, match="several data sources") as e:
        ik.io.write_xlsform(model, tmp_path / "f.xlsx")
    assert e.value.problems[0].path == ("data",)
    with pytest.raises(ValidationError):
        ik.io.write_xlsform(model, tmp_path / "f.xlsx", data="nowhere")
    with pytest.raises(ValidationError):
        ik.io.write_xlsform(model, tmp_path / "f.xlsx", data="participants", lang="de")
    assert not (tmp_path / "f.xlsx").exists()


def kobo_export(model, data: pd.DataFrame, src: str, xlsx, out) -> None:
    """One row per participant and wave, group paths, ';', decimal commas, metadata."""
    write_survey_export(model, data, src, xlsx, out)


ROUND_TRIP = [(n, s) for n, s in CASES if s != "sessions"]  # sessions: one row per session


@pytest.mark.parametrize(("name", "src"), ROUND_TRIP)
def test_round_trip_gives_the_same_quantities(tmp_path, name, src):
    model = ik.examples.load_example(name, measured=False)
    data = ik.examples.load_example_data(name)
    xlsx = ik.io.write_xlsform(model, tmp_path / "form.xlsx", data=src)
    export = tmp_path / "export.csv"
    kobo_export(model, data[src], src, xlsx, export)
    assert ";" in export.read_text(encoding="utf-8").splitlines()[0]
    r = ik.io.read_survey(export, form=model, data=src)
    assert r.format == "kobo"
    assert r.refused == 1
    assert {"start", "end", "_uuid", "_submission_time"} <= set(r.dropped)
    assert r.missing == ()
    assert r.problems == ()
    assert len(r.data) == len(data[src])
    expected = bind(model, data).measured
    got = bind(model, {**data, src: r.data}).measured
    assert expected.keys() == got.keys()
    for k, e in expected.items():
        g = got[k]
        assert (g.n, g.missing) == (e.n, e.missing), k
        assert g.quantity == pytest.approx(e.quantity, rel=1e-12), k
