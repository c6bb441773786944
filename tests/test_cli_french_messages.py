"""A French command line says a model's own problems in French: no English word and no
code notation (``outcomes[0].quantity``) in what ``validate``, ``sroi``, ``lint``,
``report``, ``new`` and ``network`` print with ``--lang fr``; the English output stays as
it was."""

from __future__ import annotations

import copy
import json
import re
import warnings
from importlib import resources
from pathlib import Path

import pytest

from impactkit._i18n import PROBLEM_FR_FALLBACK, PROBLEMS_FR, path_fr, problem_fr
from impactkit.cli import main

EXAMPLE = Path(str(resources.files("impactkit.examples") / "insertion_iae.json"))
DATA = Path(str(resources.files("impactkit.examples") / "data" / "insertion_iae"))

# English words a French message never holds ("source", "date", "action"... are French too)
STOP = frozenset(
    [
        "the",
        "is",
        "are",
        "was",
        "were",
        "be",
        "must",
        "should",
        "missing",
        "not",
        "value",
        "field",
        "expected",
        "got",
        "unknown",
        "given",
        "cannot",
        "found",
        "required",
        "number",
        "text",
        "error",
        "warning",
        "invalid",
        "valid",
        "and",
        "of",
        "with",
        "has",
        "have",
        "none",
        "no",
        "link",
        "node",
        "key",
        "data",
        "available",
        "did",
        "you",
        "mean",
        "one",
        "none",
        "only",
        "this",
        "that",
        "which",
        "from",
        "for",
    ]
)


def english_words(text: str, *, strip: tuple[str, ...] = ()) -> set[str]:
    """The stop-list words of ``text``, outside user data (paths, « quoted values »)."""
    for s in strip:
        text = text.replace(s, " ")
    text = re.sub(r"«[^»]*»", " ", text)  # the user's own labels and ids
    text = re.sub(r"--\w[\w-]*(?:\s+[A-Z]+=\S+)?", " ", text)  # an option to type
    return set(re.findall(r"[A-Za-z]+", text.lower())) & STOP


def broken(name: str, change) -> dict:
    model = json.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(model)
    return {name: model}


def _set(path, value):
    def change(m):
        obj = m
        for p in path[:-1]:
            obj = obj[p]
        obj[path[-1]] = value

    return change


def _drop(path):
    def change(m):
        obj = m
        for p in path[:-1]:
            obj = obj[p]
        del obj[path[-1]]

    return change


def _cycle(m):
    m["toc"]["links"].append({"source": "work", "target": "aid", "rationale": "boucle"})


def _duplicate_node(m):
    m["toc"]["nodes"].append(copy.deepcopy(m["toc"]["nodes"][0]))


FAMILIES = {
    **broken("out_of_range", _set(("outcomes", 1, "deadweight"), 1.4)),
    **broken("wrong_type", _set(("outcomes", 1, "duration"), "deux")),
    **broken("unknown_key", _set(("outcomes", 1, "poids_mort"), 0.2)),
    **broken("missing_field", _drop(("outcomes", 1, "proxy"))),
    **broken("wrong_text", _set(("currency",), 12)),
    **broken("unknown_preset", _set(("discount",), "taux")),
    **broken("dangling_link", _set(("toc", "links", 0, "target"), "nulle_part")),
    **broken("cycle", _cycle),
    **broken("duplicate_id", _duplicate_node),
    **broken("missing_column", _set(("outcomes", 0, "quantity", "column"), "heures")),
    **broken("missing_data", _set(("outcomes", 0, "quantity", "data"), "absent")),
    **broken("stakeholder_mismatch", _set(("outcomes", 1, "stakeholder"), "families")),
}


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    d = tmp_path_factory.mktemp("broken")
    out = {}
    for name, model in FAMILIES.items():
        p = d / f"{name}.json"
        p.write_text(json.dumps(model, ensure_ascii=False), encoding="utf-8")
        out[name] = p
    syntax = d / "syntax.json"
    syntax.write_text('{"name": "x", "currency": }', encoding="utf-8")
    out["syntax"] = syntax
    return out


def _run(capsys, *args: str) -> tuple[int, str]:
    code = main([str(a) for a in args])
    cap = capsys.readouterr()
    return code, cap.out + cap.err


def _check_french(text: str, *strip: str) -> None:
    assert text.strip()
    assert not english_words(text, strip=strip), text
    assert "[" not in text, text
    assert "]" not in text, text
    assert not re.search(r"\b\w+\.\w+\b(?<!\.json)(?<!\.csv)", _no_paths(text, strip)), text


def _no_paths(text: str, strip: tuple[str, ...]) -> str:
    for s in strip:
        text = text.replace(s, " ")
    text = re.sub(r"«[^»]*»", " ", text)
    return re.sub(r"\d+[.,]\d+|NOM=FICHIER\.csv|impactkit\[\w+\]", " ", text)


@pytest.mark.parametrize("family", [*FAMILIES, "syntax"])
def test_validate_and_sroi_speak_french(files, family, capsys):
    path = files[family]
    data = f"employees={DATA / 'employees.csv'}"
    for command in (
        ["validate", path, "--lang", "fr"],
        ["sroi", path, "--data", data, "--lang", "fr"],
        ["lint", path, "--lang", "fr"],
    ):
        code, text = _run(capsys, *command)
        if command[0] == "sroi":  # validate and lint read no data: they may find it valid
            assert code in (1, 2), text
        _check_french(text, str(path), str(DATA))


@pytest.mark.parametrize("family", ["out_of_range", "missing_column", "dangling_link"])
def test_a_french_report_refuses_in_french(files, family, tmp_path, capsys):
    path = files[family]
    out = tmp_path / "rapport.html"
    data = f"employees={DATA / 'employees.csv'}"
    code, text = _run(
        capsys, "report", path, "-o", out, "--mc", "0", "--data", data, "--lang", "fr"
    )
    assert code == 1
    assert not out.exists()
    _check_french(text, str(path), str(DATA), str(out))


PLACES = [
    (
        "out_of_range",
        "erreur : résultat n°2 (« Emploi à la sortie »), effet d'aubaine : doit être compris "
        "entre 0 et 1, reçu 1,4",
    ),
    ("unknown_key", "clé inconnue « poids_mort »"),
    (
        "stakeholder_mismatch",
        "donne l'effet « Emploi durable à la sortie » à « Salariés en insertion », pas à "
        "« Familles des salariés »",
    ),
    (
        "dangling_link",
        "lien n°1 (« Aide au poste de l'État et cofinancements → nulle_part »), cible",
    ),
    ("missing_column", "quantité, colonne : la colonne « heures » manque dans les données"),
]


@pytest.mark.parametrize(("family", "expected"), PLACES)
def test_places_are_named_in_users_words(files, capsys, family, expected):
    data = ["--data", f"employees={DATA / 'employees.csv'}"]
    command = ["sroi", *data] if family == "missing_column" else ["validate"]
    _, text = _run(capsys, *command, files[family], "--lang", "fr")
    assert expected in text


def test_a_warning_names_nodes_and_stakeholders_by_their_labels(capsys):
    _, text = _run(capsys, "validate", EXAMPLE, "--lang", "fr")
    assert "pour « Salariés en insertion »" in text
    assert "'employees'" not in text
    _check_french(text, str(EXAMPLE))


def test_english_output_is_unchanged(files, capsys):
    code, text = _run(capsys, "validate", files["out_of_range"], "--lang", "en")
    assert code == 1
    assert text.splitlines() == [
        "error: outcomes[1].deadweight: must be in [0, 1], got 1.4 [out_of_range]",
        f"{files['out_of_range']}: invalid (1 error)",
    ]
    _, text = _run(capsys, "sroi", files["missing_data"], "--lang", "en")
    assert (
        "error: outcomes[0].quantity.data: data source 'absent' was not given; "
        "sources: none given [missing_data]"
    ) in text


def test_an_unknown_code_is_still_french(monkeypatch, capsys):
    import impactkit.cli._main as cli
    from impactkit.errors import Problem, ValidationError

    def boom(args):
        raise ValidationError([Problem(("outcomes", 0, "quantity"), "zz_new", "it broke")])

    monkeypatch.setattr(cli, "_cmd_validate", boom)
    code, text = _run(capsys, "validate", EXAMPLE, "--lang", "fr")
    assert code == 1
    assert text.strip() == (
        "erreur : résultat n°1 (« Revenu d'activité pendant le parcours »), quantité : "
        + PROBLEM_FR_FALLBACK
    )


def test_every_sentence_of_the_table_is_french():
    for code, (plain, patterns) in PROBLEMS_FR.items():
        texts = [plain, *(template for _, template in patterns)]
        for text in texts:
            assert not english_words(re.sub(r"\{\w+\}", " ", text)), (code, text)
        for pattern, template in patterns:
            names = set(re.compile(pattern).groupindex)
            assert set(re.findall(r"\{(\w+)\}", template)) <= names, code
    assert problem_fr("out_of_range", "something else") == PROBLEMS_FR["out_of_range"][0]


def test_paths_in_french():
    assert path_fr(()) == ""
    assert path_fr(("inputs", 0, "amount")) == "ressource n°1, montant"
    assert path_fr(("toc", "stakeholders", "familles", "size")) == (
        "théorie du changement, partie prenante « familles », effectif"
    )


def test_new_and_network_refusals_in_french(tmp_path, capsys):
    target = tmp_path / "carte.json"
    target.write_text("{}", encoding="utf-8")
    code, text = _run(capsys, "new", target, "--lang", "fr")
    assert (code, text.strip()) == (2, f"impactkit : {target} existe ; --force le remplace")
    code, text = _run(capsys, "new", tmp_path / "x.docx", "--lang", "fr")
    assert code == 2
    assert "impossible de savoir quoi écrire" in text
    code, text = _run(capsys, "new", tmp_path / "x.csv", "--network", "--lang", "fr")
    assert code == 2
    assert "classeur .xlsx" in text
    code, text = _run(capsys, "report", EXAMPLE, "-o", tmp_path / "r.docx", "--lang", "fr")
    assert code == 2
    _check_french(text, str(tmp_path / "r.docx"))
    assert "un rapport s'écrit en .html" in text


def test_an_output_directory_is_refused_in_french(tmp_path, capsys):
    model = tmp_path / "m.json"
    assert main(["new", str(model), "--lang", "fr"]) == 0
    out = tmp_path / "rapport.html"
    out.mkdir()
    capsys.readouterr()
    code, text = _run(capsys, "report", model, "-o", out, "--mc", "0", "--lang", "fr")
    assert code == 2
    assert "n'est pas un fichier ordinaire" in text
    _check_french(text, str(out))


def test_network_problems_in_french(tmp_path, capsys):
    import impactkit as ik

    outcomes, inputs = ik.examples.synthetic_network(6, seed=0)
    out, inp = tmp_path / "o.csv", tmp_path / "i.csv"
    outcomes.to_csv(out, index=False)
    inputs.to_csv(inp, index=False)
    strip = (str(tmp_path),)
    code, text = _run(capsys, "network", tmp_path / "absent.csv", inp, "-o", tmp_path / "r.md")
    assert code == 2
    assert "fichier introuvable" in text
    _check_french(text, *strip)
    code, text = _run(capsys, "network", out, inp, "-o", tmp_path / "r.md", "--anonymise")
    assert code == 2
    assert "clé secrète" in text
    _check_french(text, *strip)
    code, text = _run(
        capsys, "network", out, inp, "-o", tmp_path / "r.md", "--key", "a", "--key-file", "b",
        "--anonymise",
    )  # fmt: skip
    assert code in (1, 2)
    assert "pas les deux" in text
    _check_french(text, *strip)
    code, text = _run(
        capsys, "network", out, inp, "-o", tmp_path / "r.md", "--discount", "beaucoup"
    )
    assert code == 2
    assert "--discount « beaucoup »" in text
    code, text = _run(
        capsys, "network", out, inp, "-o", tmp_path / "r.md", "--discount", "x", "--lang", "en"
    )
    assert "give a rate (0.032)" in text


@pytest.mark.parametrize(("lang", "sheet"), [("fr", "Carte de valeur"), ("en", "Value map")])
def test_a_workbook_problem_is_placed_by_its_cell(tmp_path, capsys, lang, sheet):
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "carte.xlsx"
    assert main(["new", str(book), "--lang", lang]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb[sheet]
    columns = {str(c.value): c.column_letter for c in ws[3] if c.value}
    ws[f"{columns['quantity']}4"] = "120,5"  # a number typed as text
    ws[f"{columns['deadweight']}4"] = 1.4  # out of range
    wb.save(book)
    capsys.readouterr()
    code, text = _run(capsys, "validate", book, "--lang", "fr")
    assert code == 1
    q, d = f"{sheet}!{columns['quantity']}4", f"{sheet}!{columns['deadweight']}4"
    assert f"avertissement : {q} contient le texte « 120,5 » : le classeur affichera" in text
    assert f"erreur : {d} (effet d'aubaine) : doit être compris entre 0 et 1, reçu 1,4" in text
    _check_french(text, str(book), sheet)
    code, text = _run(capsys, "validate", book, "--lang", "en")
    assert f"error: ['{sheet}'].{columns['deadweight']}4.deadweight: must be in [0, 1]" in text


def test_a_warning_of_a_computing_command_is_a_french_line(tmp_path, capsys):
    openpyxl = pytest.importorskip("openpyxl")
    book = tmp_path / "carte.xlsx"
    assert main(["new", str(book), "--lang", "fr"]) == 0
    wb = openpyxl.load_workbook(book)
    ws = wb["Carte de valeur"]
    columns = {str(c.value): c.column_letter for c in ws[3] if c.value}
    ws[f"{columns['quantity']}4"] = "120,5"
    wb.save(book)
    capsys.readouterr()
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        assert main(["sroi", str(book), "--lang", "fr"]) == 0
    err = capsys.readouterr().err
    assert err.startswith(f"avertissement : Carte de valeur!{columns['quantity']}4 contient")
    for code in ("CellWarning", "_main.py", "read_value_map"):
        assert code not in err
