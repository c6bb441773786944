"""A French workbook speaks French in every problem of its cells: an unknown field or column,
an unknown distribution (named in French, with a suggestion), a yes-or-no cell, a missing
index level, an uncertainty row naming no uncertain figure."""

from __future__ import annotations

import attrs
import openpyxl
import pytest

import impactkit as ik
from impactkit import dist
from sheets import FR, column_of

from strategies import synthetic_model

ENGLISH = ("unknown", "expected", "did you mean", "row ", "missing", "the ")


@pytest.fixture
def book(tmp_path):
    m = synthetic_model()
    first = attrs.evolve(m.outcomes[0], deadweight=dist.Uniform(0.1, 0.3))
    m = m.evolve(outcomes=[first, *m.outcomes[1:]])
    p = tmp_path / "carte.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    return m, p


def test_distributions_are_named_in_french_with_a_drop_down_list(book):
    m, p = book
    wu = openpyxl.load_workbook(p)[FR["uncertainty"]]
    assert wu["D4"].value == "uniforme"
    rules = [dv.formula1 for dv in wu.data_validations.dataValidation]
    assert '"fixe,uniforme,triangulaire,PERT,normale,log-normale,bêta"' in rules
    assert ik.io.read_value_map(p) == m


def test_every_problem_of_a_cell_is_in_french(book):
    _, p = book
    wb = openpyxl.load_workbook(p)
    wb[FR["settings"]]["A3"] = "nmae"
    wb[FR["settings"]]["E2"], wb[FR["settings"]]["F2"] = 2020, None
    ws = wb[FR["map"]]
    ws[f"{column_of(ws, 'deadweight')}3"] = "deadwieght"
    wb[FR["inputs"]]["E3"] = "peut-être"
    wu = wb[FR["uncertainty"]]
    wu["D4"] = "unifrome"
    wu["A5"], wu["B5"], wu["D5"], wu["K5"] = FR["map"], "A40", "fixe", 1.0
    wb.save(p)
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(p)
    messages = {str(x.path[:2]): x.message for x in ei.value.problems}
    text = "\n".join(messages.values())
    assert "Paramètres!A3 : champ inconnu « nmae » ; vouliez-vous dire « name » ?" in text
    assert "colonne inconnue « deadwieght » ; vouliez-vous dire « deadweight » ?" in text
    assert "Ressources!E3 : « peut-être » n'est ni oui ni non ; saisissez oui ou non" in text
    assert "Incertitude!D4 : loi inconnue « unifrome »" in text
    assert "vouliez-vous dire « uniforme » ?" in text
    assert "Paramètres!F2 : le niveau de l'indice des prix manque" in text
    assert f"Incertitude!A5 : cette ligne nomme {FR['map']}!A40" in text
    for message in messages.values():
        assert not any(word in message for word in ENGLISH), message
