"""Survey exports come back as expected: group paths, separators, decimal commas,
select_multiple, LimeSurvey codes, SPSS value labels and user-missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit.errors import ValidationError
from impactkit.io import read_survey

KOBO = (
    "start;end;grp/age;grp/score;grp/aides;grp/aides/repas;grp/aides/soins;"
    "meta/instanceID;_uuid;_submission_time\n"
    "2024-01-01;2024-01-01;34;12,5;repas soins;1;1;uuid:a;a;2024-01-02\n"
    "2024-01-01;2024-01-01;51;-3,25;soins;0;1;uuid:b;b;2024-01-02\n"
    "2024-01-01;2024-01-01;;7;;;;uuid:c;c;2024-01-02\n"
)


def test_kobo_semicolon_groups_metadata_decimal_commas(tmp_path):
    p = tmp_path / "kobo.csv"
    p.write_text(KOBO, encoding="utf-8")
    r = read_survey(p)
    assert r.format == "kobo"
    assert list(r.data.columns) == ["age", "score", "aides", "aides_repas", "aides_soins"]
    assert r.data["score"].tolist() == [12.5, -3.25, 7.0]
    assert r.data["age"].tolist()[:2] == [34.0, 51.0]
    assert np.isnan(r.data["age"].iloc[2])
    assert r.data["aides_repas"].tolist()[:2] == [1.0, 0.0]
    assert r.dropped == ("start", "end", "meta/instanceID", "_uuid", "_submission_time")
    assert list(r.metadata.columns) == list(r.dropped)
    assert r.renamed["grp/aides/repas"] == "aides_repas"
    assert r.renamed["grp/age"] == "age"
    assert r.ok


def test_comma_separated_and_xlsx_read_the_same(tmp_path):
    df = pd.read_csv(__import__("io").StringIO(KOBO), sep=";", dtype=str, keep_default_na=False)
    comma = tmp_path / "kobo_comma.csv"
    df.replace({",": "."}, regex=True).to_csv(comma, index=False)
    xlsx = tmp_path / "kobo.xlsx"
    num = df.replace({",": "."}, regex=True)
    num.to_excel(xlsx, index=False)
    a = read_survey(tmp_path / "kobo_comma.csv")
    b = read_survey(xlsx)
    for r in (a, b):
        assert r.data["score"].tolist() == [12.5, -3.25, 7.0]
        assert r.data.columns.tolist()[:2] == ["age", "score"]


def test_select_multiple_split_from_the_form(tmp_path):
    import openpyxl

    form = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["begin_group", "grp", "G"])
    ws.append(["integer", "age", "Age"])
    ws.append(["select_multiple aides", "aides", "Aides"])
    ws.append(["end_group", "", ""])
    ch = wb.create_sheet("choices")
    ch.append(["list_name", "name", "label"])
    for n in ("repas", "soins", "transport"):
        ch.append(["aides", n, n])
    wb.save(form)
    p = tmp_path / "export.csv"
    p.write_text("grp/Age,grp/aides\n30,repas transport\n41,\n", encoding="utf-8")
    r = read_survey(p, form=form)
    assert r.data["aides_repas"].tolist()[0] == 1.0
    assert r.data["aides_soins"].tolist()[0] == 0.0
    assert r.data["aides_transport"].tolist()[0] == 1.0
    assert np.isnan(r.data["aides_repas"].iloc[1])  # unanswered stays missing
    assert r.renamed["grp/Age"] == "age"  # case fixed to the form's name
    assert r.ok


def test_unknown_and_missing_columns_are_located_problems(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("age;poids;ville\n30;70,5;Lyon\n", encoding="utf-8")
    r = read_survey(p, form=["age", "score"])
    assert r.missing == ("score",)
    assert r.unknown == ("poids", "ville")
    codes = sorted((pr.path, pr.code) for pr in r.problems)
    assert codes == [
        (("poids",), "unknown_column"),
        (("score",), "missing_column"),
        (("ville",), "unknown_column"),
    ]
    assert "answer column 2" in next(pr.message for pr in r.problems if pr.path == ("poids",))
    assert not r.ok
    with pytest.raises(ValidationError) as e:
        r.raise_if_problems()
    assert len(e.value.problems) == 3
    assert "Unknown columns" in str(r.summary())


def test_mapping_form_renames(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("Q_AGE,Q_SCORE\n30,5\n", encoding="utf-8")
    r = read_survey(p, form={"Q_AGE": "age", "Q_SCORE": "score"})
    assert r.data.columns.tolist() == ["age", "score"]
    assert r.renamed == {"Q_AGE": "age", "Q_SCORE": "score"}
    assert r.ok


def test_limesurvey_codes(tmp_path):
    p = tmp_path / "results-survey123.csv"
    p.write_text(
        '"id","submitdate","lastpage","startlanguage","seed","Q1","Q2[SQ001]","Q2[SQ002]",'
        '"Q3[A1]"\n'
        '"1","2024-03-01 10:00:00","3","fr","123","4","Y","","A3"\n'
        '"2","2024-03-02 10:00:00","3","fr","456","2","","Y","A1"\n',
        encoding="utf-8",
    )
    r = read_survey(p)
    assert r.format == "limesurvey"
    assert r.dropped == ("id", "submitdate", "lastpage", "startlanguage", "seed")
    assert r.data.to_dict("records") == [
        {"Q1": 4.0, "Q2_SQ001": 1.0, "Q2_SQ002": 0.0, "Q3_A1": "A3"},
        {"Q1": 2.0, "Q2_SQ001": 0.0, "Q2_SQ002": 1.0, "Q3_A1": "A1"},
    ]


def test_spss_value_labels_and_user_missing(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"sexe": [1.0, 2.0, 1.0, 9.0], "score": [10.0, 99.0, 12.0, 11.0]})
    path = tmp_path / "enquete.sav"
    pyreadstat.write_sav(
        df,
        str(path),
        variable_value_labels={"sexe": {1.0: "femme", 2.0: "homme", 9.0: "refus"}},
        missing_ranges={"sexe": [9.0], "score": [{"lo": 98.0, "hi": 99.0}]},
    )
    r = read_survey(path)
    assert r.format == "spss"
    assert r.labels["sexe"] == {1.0: "femme", 2.0: "homme", 9.0: "refus"}
    assert r.data["sexe"].tolist()[:3] == [1.0, 2.0, 1.0]
    assert np.isnan(r.data["sexe"].iloc[3])
    assert np.isnan(r.data["score"].iloc[1])
    assert r.user_missing == {"sexe": 1, "score": 1}
    assert r.to_dict()["user_missing"] == {"sexe": 1, "score": 1}


def test_stata_value_labels(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"gir": [1.0, 4.0], "age": [81.0, 77.0]})
    path = tmp_path / "patients.dta"
    pyreadstat.write_dta(
        df, str(path), variable_value_labels={"gir": {1.0: "GIR 1", 4.0: "GIR 4"}}
    )
    r = read_survey(path, form=["gir", "age"])
    assert r.format == "stata"
    assert r.labels["gir"][4.0] == "GIR 4"
    assert r.data.to_dict("records") == [{"gir": 1.0, "age": 81.0}, {"gir": 4.0, "age": 77.0}]
    assert r.ok


def test_bad_inputs(tmp_path):
    p = tmp_path / "x.pdf"
    p.write_text("x", encoding="utf-8")
    with pytest.raises(ValidationError, match="unknown export type"):
        read_survey(p)
    with pytest.raises(ValidationError, match="format must be one of"):
        read_survey(p, format="qualtrics")
    with pytest.raises(FileNotFoundError):
        read_survey(tmp_path / "absent.csv")


def test_model_form_reports_non_numeric_answers_and_duplicates(tmp_path):
    model = ik.examples.load_example("personnes_agees", measured=False)
    p = tmp_path / "export.csv"
    p.write_text(
        "questionnaire/participant_id;questionnaire/wave;questionnaire/zarit;"
        "questionnaire/at_home_12m;questionnaire/gir;questionnaire/fall_stays_avoided\n"
        "A;t0;22;;;\n"
        "A;t1;18;1;2;0\n"
        "A;t1;17;1;2;0\n"
        "B;t0;beaucoup;;;\n",
        encoding="utf-8",
    )
    r = read_survey(p, form=model)
    codes = {pr.code for pr in r.problems}
    assert {"not_numeric", "duplicate"} <= codes
    assert r.data.set_index("participant_id").loc["A", "zarit_t1"] == 17.0


def test_xlsform_numeric_question_with_text_answer_is_located(tmp_path):
    import openpyxl

    form = tmp_path / "form.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "survey"
    ws.append(["type", "name", "label"])
    ws.append(["integer", "age", "Age"])
    wb.save(form)
    p = tmp_path / "export.csv"
    p.write_text("age\n30\ntrente\n", encoding="utf-8")
    r = read_survey(p, form=form)
    (problem,) = r.problems
    assert problem.path == ("age", 1)
    assert problem.code == "not_numeric"
    assert r.data["age"].tolist()[0] == 30.0
    assert np.isnan(r.data["age"].iloc[1])


def test_sas_transport_file(tmp_path):
    pyreadstat = pytest.importorskip("pyreadstat")
    df = pd.DataFrame({"AGE": [81.0, 77.0], "SCORE": [1.5, 2.0]})
    path = tmp_path / "patients.xpt"
    pyreadstat.write_xport(df, str(path))
    r = read_survey(path, form=["age", "score"])
    assert r.format == "sas"
    assert r.renamed == {"AGE": "age", "SCORE": "score"}
    assert r.data.to_dict("records") == [{"age": 81.0, "score": 1.5}, {"age": 77.0, "score": 2.0}]
    assert r.ok


def test_wide_export_with_a_model_form_needs_no_pivot(tmp_path):
    # an SPSS-like file already one row per person, names in capitals
    model = ik.examples.load_example("personnes_agees", measured=False)
    data = ik.examples.load_example_data("personnes_agees")["patients"]
    from impactkit.io._xlsform import plan

    cols = list(plan(model).columns)
    assert {"zarit_t0", "eq5d_ad_t1", "gir"} <= set(cols)
    p = tmp_path / "wide.csv"
    data[cols].rename(columns=str.upper).to_csv(p, index=False)
    r = read_survey(p, form=model)
    assert r.missing == ()
    assert r.renamed["ZARIT_T0"] == "zarit_t0"
    got = r.data["zarit_t0"].to_numpy()
    assert np.array_equal(got, data["zarit_t0"].to_numpy(), equal_nan=True)
    with pytest.raises(ValidationError, match="data="):
        read_survey(p, form=["a"], data="patients")


def test_codes_with_leading_zeros_stay_text(tmp_path):
    p = tmp_path / "export.csv"
    p.write_text("code_postal;participant_id;note\n01000;12;3\n75011;13;4\n", encoding="utf-8")
    r = read_survey(p)
    assert r.data["code_postal"].tolist() == ["01000", "75011"]
    assert r.data["participant_id"].tolist() == ["12", "13"]
    assert r.data["note"].tolist() == [3.0, 4.0]
