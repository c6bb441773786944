"""Attribution and contribution: counterfactual estimators, SROI deadweight from
evidence, Shapley shares and the evidence behind links.

Estimators take a DataFrame and column names and return an
:class:`EffectEstimate`::

    from impactkit import attribution as att
    est = att.InverseProbabilityWeighting(estimand="ATE").estimate(
        df, outcome="y", treatment="t", covariates=["x1", "x2"])
    est.effect, est.se, est.ci

Layer: analyses (see the architecture page). Uses the foundation and the
theory of change; never :mod:`impactkit.methods`.
"""

from __future__ import annotations

from typing import Any

from impactkit.attribution._contribution import (
    CounterfactualDeadweight,
    DeadweightEstimate,
    ShapleyResult,
    deadweight_from_effect,
    shapley,
    share_value,
)
from impactkit.attribution._core import EffectEstimate
from impactkit.attribution._evidence import (
    CONFIDENCE_LABELS,
    TEST_PRESETS,
    ContributionStory,
    EvidenceItem,
    bayes_update,
    contribution_story,
    contribution_tracing,
)
from impactkit.attribution._matching import (
    DoublyRobust,
    PropensityScoreMatching,
    RegressionAdjustment,
)
from impactkit.attribution._means_did import DifferenceInDifferences, DifferenceInMeans
from impactkit.attribution._propensity import InverseProbabilityWeighting, fit_logit

__all__ = [
    "CONFIDENCE_LABELS",
    "ESTIMATORS",
    "TEST_PRESETS",
    "ContributionStory",
    "CounterfactualDeadweight",
    "DeadweightEstimate",
    "DifferenceInDifferences",
    "DifferenceInMeans",
    "DoublyRobust",
    "EffectEstimate",
    "EvidenceItem",
    "InverseProbabilityWeighting",
    "PropensityScoreMatching",
    "RegressionAdjustment",
    "ShapleyResult",
    "bayes_update",
    "contribution_story",
    "contribution_tracing",
    "deadweight_from_effect",
    "fit_logit",
    "shapley",
    "share_value",
]

ESTIMATORS: dict[str, Any] = {
    cls.name: cls
    for cls in (
        DifferenceInMeans,
        DifferenceInDifferences,
        InverseProbabilityWeighting,
        PropensityScoreMatching,
        RegressionAdjustment,
        DoublyRobust,
    )
}
"""Built-in estimators by registry name (stage ``attribution``)."""
ESTIMATORS.update(
    {
        "did": DifferenceInDifferences,
        "ipw": InverseProbabilityWeighting,
        "psm": PropensityScoreMatching,
        "aipw": DoublyRobust,
    }
)
