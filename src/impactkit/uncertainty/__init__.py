"""Uncertainty: Monte Carlo, tornado, tipping (switching) values and Sobol indices.

Every tool here evaluates the model through the one kernel
(:mod:`impactkit.kernel`) used by :func:`impactkit.sroi`.
"""

from __future__ import annotations

from impactkit.uncertainty._monte_carlo import BLOCK, MonteCarloResult, monte_carlo
from impactkit.uncertainty._sensitivity import (
    second_order_indices,
    sobol,
    sobol_indices,
    tipping_points,
    tornado,
)
from impactkit.uncertainty._voi import (
    AcceptabilityResult,
    EVPPIResult,
    VOIResult,
    acceptability,
    ceac,
    evpi,
    evppi,
    population_evpi,
    value_of_information,
)

__all__ = [
    "BLOCK",
    "AcceptabilityResult",
    "EVPPIResult",
    "MonteCarloResult",
    "VOIResult",
    "acceptability",
    "ceac",
    "evpi",
    "evppi",
    "monte_carlo",
    "population_evpi",
    "second_order_indices",
    "sobol",
    "sobol_indices",
    "tipping_points",
    "tornado",
    "value_of_information",
]
