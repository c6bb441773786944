"""``impactkit demo`` follows ``--lang`` and the system locale like the other commands:
French words and numbers, outcomes and stakeholders by their labels."""

from __future__ import annotations

import re

import pytest

from french_text import CODE, ENGLISH_WORDS
from impactkit.cli import main

ENGLISH = ENGLISH_WORDS | {"draws", "seed", "interval", "missing", "outputs", "stakeholders"}


def _demo(capsys, *args: str) -> str:
    assert main(["demo", "--mc", "200", "--seed", "1", *args]) == 0
    return capsys.readouterr().out


def test_demo_in_french(capsys):
    text = _demo(capsys, "--lang", "fr")
    assert text.splitlines()[2] == "Théorie du changement"
    assert "Réalisations et quantités mesurées" in text
    assert "Ratio SROI                      2,16 pour 1" in text
    assert "  séances réalisées" in text
    assert "3 164 mesures, 0 manquante" in text.replace("\u202f", " ")
    assert "(Personnes accompagnées) ← Accompagnement individuel" in text
    assert "200 tirages, graine 1" in text
    assert re.search(
        r"intervalle à 90 % du ratio SROI de \d,\d\d à \d,\d\d pour 1", text.replace("\xa0", " ")
    )
    words = set(re.findall(r"[a-z]+", text.lower()))
    assert not words & ENGLISH, words & ENGLISH
    assert not [line for line in text.splitlines() for rx in CODE if rx.search(line)]
    for code in ("outcomes[", "[participants]", "<-", "n=", "employed_12m", "P(ratio"):
        assert code not in text


def test_demo_follows_the_locale(monkeypatch, capsys):
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")
    assert "Théorie du changement" in _demo(capsys)
    monkeypatch.setenv("LANG", "en_GB.UTF-8")
    assert "Theory of change" in _demo(capsys)


def test_demo_in_english_is_unchanged(capsys):
    import impactkit as ik

    text = _demo(capsys, "--lang", "en")
    assert text.rstrip("\n") == ik.examples.run_demo(n_draws=200, seed=1)
    for part in ("Theory of change", "missing=", "SROI ratio", "90% interval"):
        assert part in text


def test_run_demo_refuses_an_unknown_language():
    import impactkit as ik

    with pytest.raises(ik.ValidationError, match="lang"):
        ik.examples.run_demo(n_draws=10, lang="de")
