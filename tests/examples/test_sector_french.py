"""The sector examples' French texts: every English text has its French, in good order."""

from __future__ import annotations

import impactkit as ik
from french_text import code_notation, english_sentences
from impactkit.examples._sectors._french import FR, french


def test_every_french_text_is_used_and_is_french():
    used: set[str] = set()
    for name in ik.examples.names():
        model = ik.examples.load_example(name)
        assert model.translations, name
        for en, fr in model.translations["fr"].items():
            assert fr == french(en), (name, en)
            assert english_sentences(f"<p>{fr}</p>") == [], (name, fr)
            assert code_notation(f"<p>{fr.split('] ', 1)[-1]}</p>") == [], (name, fr)
            assert "marginal_shares" not in fr
        used |= set(model.translations["fr"])
    # no French for a text no example writes any more (a marginal note's reason is the end
    # of a text)
    assert {k for k in FR if not any(u.endswith(k) for u in used)} == set()


def test_a_catalogue_note_keeps_its_citation():
    en = (
        "[catalogue:x] A. Author, « Titre », 2015 Kept at its stated amount as a 2025 value, "
        "not revalued from 2013: its guidance moves it with GDP per head, which the example "
        "does not apply (an understatement)."
    )
    assert french(en) == (
        "[catalogue:x] A. Author, « Titre », 2015 Montant retenu tel quel comme valeur de "
        "2025, sans revalorisation depuis 2013 : ses recommandations le font évoluer avec le "
        "PIB par habitant, ce que l'exemple n'applique pas (une sous-estimation)."
    )
    assert french("A text no example writes") is None
