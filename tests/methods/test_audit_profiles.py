"""Impact profiles and ABC rules refuse values they cannot classify (docs/methods/profiles.md)."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit.methods import ABCRules, ImpactProfile


def test_abc_rules_refuse_an_unknown_risk_level_and_nan_contribution() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        ABCRules(min_contribution=float("nan"), max_risk="extreme")
    assert {p.path for p in exc.value.problems} == {("min_contribution",), ("max_risk",)}


def test_profile_refuses_nan_scale_and_a_contribution_above_one() -> None:
    with pytest.raises(ik.ValidationError) as exc:
        ImpactProfile(
            outcome="a",
            stakeholder="s",
            positive=True,
            scale=float("nan"),
            depth=1.0,
            duration=1.0,
            contribution=7.0,
        )
    assert {p.path for p in exc.value.problems} == {("scale",), ("contribution",)}


def test_profiles_of_a_model_still_classify() -> None:
    m = ik.ImpactModel(
        name="m",
        outcomes=[
            ik.OutcomeValuation(
                outcome="emploi",
                stakeholder="jeunes",
                quantity=40,
                proxy=5_000,
                deadweight=0.25,
                attribution=0.2,
            ),
            ik.OutcomeValuation(outcome="bruit", stakeholder="voisins", quantity=10, proxy=-50),
        ],
    )
    t = ik.methods.impact_profiles(m, underserved={"jeunes": True})
    # by hand: 0.75 x 0.8 = 0.6 >= 0.5, underserved, no risk given -> C; negative -> A
    assert t["contribution"].tolist() == pytest.approx([0.6, 1.0])
    assert t["abc"].tolist() == ["C", "A"]
