"""An item whose answers are restricted to some levels (AUDIT items 9 and 10: 0, 2 or 4)
is a select_one of exactly those scores in the XLSForm, and the export reads back into
the same AUDIT totals."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import numpy as np
import openpyxl
import pandas as pd
import pytest

import impactkit as ik
from impactkit.examples.generate import write_survey_export
from impactkit.measure import AUDIT, PrePost, bind

pyxform = pytest.importorskip("pyxform")
from pyxform.xls2xform import convert  # noqa: E402

FR, EN = "label::Français (fr)", "label::English (en)"


def audit_model() -> ik.ImpactModel:
    calc = PrePost(
        baseline="t0", followup="t1", measure=AUDIT, direction="decrease", data="patients"
    )
    row = ik.OutcomeValuation(outcome="alcool", stakeholder="patients", quantity=calc, proxy=100.0)
    return ik.ImpactModel(name="Consommation d'alcool", outcomes=[row])


def audit_answers(n: int = 40, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    cols: dict[str, object] = {"participant_id": [f"P{i:03d}" for i in range(n)]}
    allowed = dict(AUDIT.levels)
    for w in ("t0", "t1"):
        for item in AUDIT.items:
            values = allowed.get(item, (0, 1, 2, 3, 4))
            cols[f"{item}_{w}"] = rng.choice(np.asarray(values, dtype=float), size=n)
    df = pd.DataFrame(cols)
    df.loc[5, "audit_9_t1"] = np.nan  # an unanswered item: the total is missing
    return df


def xform_choices(xform: str, item: str) -> list[str]:
    """The values a select_one of the converted XForm offers for ``item``."""
    root = ET.fromstring(xform)
    xf = "{http://www.w3.org/2002/xforms}"
    (sel,) = [e for e in root.iter(f"{xf}select1") if e.get("ref", "").endswith(f"/{item}")]
    nodeset = sel.find(f"{xf}itemset").get("nodeset")  # instance('<list>')/root/item
    lst = nodeset.split("'")[1]
    (inst,) = [e for e in root.iter(f"{xf}instance") if e.get("id") == lst]
    return [it.find(f"{xf}name").text for it in inst.iter(f"{xf}item")]


def sheet(path, name):
    rows = list(openpyxl.load_workbook(path)[name].iter_rows(values_only=True))
    return [dict(zip(rows[0], r, strict=True)) for r in rows[1:]]


def test_audit_items_9_and_10_offer_only_0_2_4(tmp_path):
    path = ik.io.write_xlsform(audit_model(), tmp_path / "audit.xlsx", lang="fr")
    result = convert(xlsform=str(path))
    assert not result.warnings
    survey = {r["name"]: r for r in sheet(path, "survey") if r["name"]}
    choices = sheet(path, "choices")
    for item in ("audit_9", "audit_10"):
        row = survey[item]
        kind, lst = row["type"].split()
        assert kind == "select_one"
        assert not row.get("constraint")
        options = [c for c in choices if c["list_name"] == lst]
        assert [c["name"] for c in options] == ["0", "2", "4"]
        assert [c[FR] for c in options] == ["0", "2", "4"]
        assert [c[EN] for c in options] == ["0", "2", "4"]
    # the XForm itself offers exactly those values for items 9 and 10
    assert xform_choices(result.xform, "audit_9") == ["0", "2", "4"]
    assert xform_choices(result.xform, "audit_10") == ["0", "2", "4"]
    # items 1-8 offer their five answers, 0 to 4, from one shared list
    for i in range(1, 9):
        row = survey[f"audit_{i}"]
        kind, lst = row["type"].split()
        assert kind == "select_one"
        assert [c["name"] for c in choices if c["list_name"] == lst] == ["0", "1", "2", "3", "4"]
        assert not row.get("constraint")
        assert row[FR] == f"Item {i} sur 10"
        assert row[EN] == f"Item {i} of 10"
    assert survey["audit_9"][FR] == "Item 9 sur 10"
    assert survey["audit_10"][EN] == "Item 10 of 10"
    # one choice list shared by the two items
    assert survey["audit_9"]["type"] == survey["audit_10"]["type"]
    assert sum(c["list_name"] == survey["audit_9"]["type"].split()[1] for c in choices) == 3


def test_export_reads_back_into_the_same_audit_totals(tmp_path):
    model = audit_model()
    data = audit_answers()
    xlsx = ik.io.write_xlsform(model, tmp_path / "audit.xlsx")
    export = tmp_path / "export.csv"
    write_survey_export(model, data, "patients", xlsx, export)
    r = ik.io.read_survey(export, form=model, data="patients")
    assert r.problems == ()
    assert r.missing == ()
    assert r.refused == 1
    assert len(r.data) == len(data)
    for w in ("t0", "t1"):
        expected = AUDIT.score(data, suffix=w)
        got = AUDIT.score(r.data, suffix=w)
        pd.testing.assert_series_equal(got, expected, check_index=False)
    assert np.isnan(AUDIT.score(r.data, suffix="t1").iloc[5])
    e = bind(model, {"patients": data}).measured
    g = bind(model, {"patients": r.data}).measured
    for k, v in e.items():
        assert (g[k].n, g[k].missing) == (v.n, v.missing)
        assert g[k].quantity == pytest.approx(v.quantity, rel=1e-12)


def test_levels_list_names_are_valid_and_shared(tmp_path):
    scale = ik.measure.Scale(
        items=["a", "b", "c"],
        low=-1,
        high=1,
        levels={"a": [-1, 0.5, 1], "b": (-1, 0.5, 1), "c": [0, 1]},
        name="s",
    )
    calc = PrePost(baseline="t0", followup="t1", measure=scale, data="d")
    row = ik.OutcomeValuation(outcome="o", stakeholder="p", quantity=calc, proxy=1.0)
    path = ik.io.write_xlsform(ik.ImpactModel(name="m", outcomes=[row]), tmp_path / "s.xlsx")
    result = convert(xlsform=str(path))
    assert not result.warnings
    survey = {r["name"]: r for r in sheet(path, "survey") if r["name"]}
    assert survey["a"]["type"] == survey["b"]["type"] != survey["c"]["type"]
    choices = sheet(path, "choices")
    lst = survey["a"]["type"].split()[1]
    assert [c["name"] for c in choices if c["list_name"] == lst] == ["-1", "0.5", "1"]
