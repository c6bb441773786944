"""Attribution and contribution: counterfactual estimators, SROI deadweight from
evidence, Shapley shares and the evidence behind links.

Staggered rollouts across establishments have their own estimators:
:class:`StaggeredDiD` (Callaway & Sant'Anna group-time effects),
:class:`SunAbraham` (interaction-weighted event study),
:func:`bacon_decomposition` (why two-way fixed effects mislead) and, with few
clusters, :func:`wild_cluster_test`.

Estimators take a DataFrame and column names and return an
:class:`EffectEstimate`::

    from impactkit import attribution as att
    est = att.InverseProbabilityWeighting(estimand="ATE").estimate(
        df, outcome="y", treatment="t", covariates=["x1", "x2"])
    est.effect, est.se, est.ci
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
from impactkit.attribution._event_study import (
    BaconDecomposition,
    EventStudyResult,
    SunAbraham,
    bacon_decomposition,
)
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
from impactkit.attribution._staggered import StaggeredDiD, StaggeredResult
from impactkit.attribution._wild import WildClusterResult, wild_cluster_test

__all__ = [
    "CONFIDENCE_LABELS",
    "ESTIMATORS",
    "TEST_PRESETS",
    "BaconDecomposition",
    "ContributionStory",
    "CounterfactualDeadweight",
    "DeadweightEstimate",
    "DifferenceInDifferences",
    "DifferenceInMeans",
    "DoublyRobust",
    "EffectEstimate",
    "EventStudyResult",
    "EvidenceItem",
    "InverseProbabilityWeighting",
    "PropensityScoreMatching",
    "RegressionAdjustment",
    "ShapleyResult",
    "StaggeredDiD",
    "StaggeredResult",
    "SunAbraham",
    "WildClusterResult",
    "bacon_decomposition",
    "bayes_update",
    "contribution_story",
    "contribution_tracing",
    "deadweight_from_effect",
    "fit_logit",
    "shapley",
    "share_value",
    "wild_cluster_test",
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
