"""deadweight_from_effect's problems read well, in English and in French."""

from __future__ import annotations

import math

import pytest

import impactkit as ik
from impactkit import attribution as att
from impactkit._i18n import PROBLEMS_FR, problem_fr


def test_an_unknown_kind_is_said_once_and_in_french_with_the_choices() -> None:
    with pytest.raises(ik.ValidationError) as ei:
        att.deadweight_from_effect(math.nan, -1.0, kind="ratio")  # type: ignore[arg-type]
    by_path = {p.path: p for p in ei.value.problems}
    kind = by_path[("kind",)]
    assert kind.message == "must be one of ('rate', 'change'), got 'ratio'"
    french = problem_fr(kind.code, kind.message)
    assert french != PROBLEMS_FR["invalid_choice"][0]  # the choices, not the plain sentence
    assert "« rate »" in french
    assert "« ratio »" in french
    # the observed level is not called by the refused kind's name
    assert "observed ratio" not in by_path[("observed",)].message
    assert "observed level" in by_path[("observed",)].message


def test_a_known_kind_names_the_observed_level() -> None:
    with pytest.raises(ik.ValidationError) as ei:
        att.deadweight_from_effect(0.2, -1.0, kind="change")
    assert "observed change" in ei.value.problems[0].message
