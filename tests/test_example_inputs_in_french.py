"""The inputs the example builders compute (an integration workshop's state aid, volunteer
time) carry their French: a French workbook of an example shows no English source or
description of an input."""

from __future__ import annotations

import re

import pytest

import impactkit as ik
from impactkit.model import in_language

ENGLISH = re.compile(r"\bFTE\b|\bper (?:hour|FTE)\b|\bhours x\b|\bless the\b|catalogue:\w")


@pytest.mark.parametrize("name", ik.examples.names())
def test_input_texts_are_french(name):
    fr = in_language(ik.examples.load_example(name), "fr")
    texts = [t for i in fr.inputs for t in (i.source, i.description, i.label) if t]
    assert not [t for t in texts if ENGLISH.search(t)]


def test_the_computed_texts_are_written_the_french_way():
    fr = in_language(ik.examples.load_example("insertion_iae"), "fr")
    assert fr.inputs[0].source.startswith(
        "91,43 ETP x aide au poste du catalogue (23\u202f921 EUR"
    )
    assert fr.inputs[0].source.endswith("; moins la part du Département")
    fr = in_language(ik.examples.load_example("emploi_accompagne"), "fr")
    assert "600 heures x 11,88 par heure" in [i.description for i in fr.inputs]
