"""Identifiers read from files stay text: "01" and "1" are two sites, "0101" keeps its zero."""

from __future__ import annotations

import io

import pandas as pd

from impactkit._tables import id_columns, read_csv
from impactkit.cli import main
from impactkit.cli._main import _read_csv
from impactkit.cli._network import read_table
from impactkit.portfolio import evaluate

OUTCOMES = "site,outcome,quantity,proxy\n01,emploi,10,100\n1,emploi,20,100\n0101,emploi,30,100\n"
INPUTS = "site,amount\n01,500\n1,1000\n0101,3000\n"


def _write(tmp_path, outcomes=OUTCOMES, inputs=INPUTS):
    o, i = tmp_path / "outcomes.csv", tmp_path / "inputs.csv"
    o.write_text(outcomes, encoding="utf-8")
    i.write_text(inputs, encoding="utf-8")
    return o, i


def test_network_tables_keep_site_codes_as_text(tmp_path):
    o, i = _write(tmp_path)
    outcomes, inputs = read_table(str(o), ids=("site",)), read_table(str(i), ids=("site",))
    assert outcomes["site"].tolist() == ["01", "1", "0101"]
    res = evaluate(outcomes, inputs, discount=0.0)
    assert res["site"].tolist() == ["01", "1", "0101"]
    # each site keeps its own inputs: nothing summed across "01" and "1"
    assert res["total_inputs"].tolist() == [500.0, 1000.0, 3000.0]
    assert res["ratio"].tolist() == [2.0, 2.0, 1.0]


def test_a_site_column_of_another_name_is_text_too(tmp_path):
    o, _i = _write(
        tmp_path,
        OUTCOMES.replace("site,", "etab,"),
        INPUTS.replace("site,", "etab,"),
    )
    assert read_table(str(o), ids=("etab",))["etab"].tolist() == ["01", "1", "0101"]


def test_cli_network_member_page_of_a_zero_led_site(tmp_path):
    o, i = _write(tmp_path)
    out = tmp_path / "reseau.md"
    assert main(["network", str(o), str(i), "-o", str(out), "--lang", "en"]) == 0
    assert "**Establishments**: 3" in out.read_text(encoding="utf-8")
    page = tmp_path / "member.md"
    assert main(["network", str(o), str(i), "-o", str(page), "--member", "0101"]) == 0
    assert "0101" in page.read_text(encoding="utf-8")


def test_every_id_column_is_text_and_other_columns_are_inferred():
    df = read_csv(
        io.StringIO(
            "participant_id,finess,Département,code_insee,age,score\n"
            "007,010001234,01,01053,34,1.5\n"
            "7,10001234,2A,2A004,,2\n"
        )
    )
    assert df["participant_id"].tolist() == ["007", "7"]
    assert df["finess"].tolist() == ["010001234", "10001234"]
    assert df["Département"].tolist() == ["01", "2A"]
    assert df["code_insee"].tolist() == ["01053", "2A004"]
    assert pd.api.types.is_numeric_dtype(df["age"])
    assert df["age"].isna().sum() == 1
    assert df["score"].tolist() == [1.5, 2.0]


def test_measure_data_read_by_the_cli_keeps_participant_ids(tmp_path):
    p = tmp_path / "participants.csv"
    p.write_text("participant_id,employed\n01,1\n1,0\n001,1\n", encoding="utf-8")
    df = _read_csv("participants", str(p))
    assert df["participant_id"].nunique() == 3
    from impactkit.measure import Count

    assert Count(unique="participant_id").compute(df).quantity == 3.0


def test_id_columns_rule():
    cols = ["site", "member", "establishment", "unit_id", "id_personne", "amount", "sector"]
    assert id_columns(cols) == ["site", "member", "establishment", "unit_id", "id_personne"]
