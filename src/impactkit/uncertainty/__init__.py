"""Uncertainty: Monte Carlo, tornado, tipping (switching) values and Sobol indices.

Every tool here evaluates the model through the one kernel
(:mod:`impactkit.kernel`) used by :func:`impactkit.sroi`.

Layer: analyses (see the architecture page). Uses the compiled value map
and the foundation; never :mod:`impactkit.methods`.
"""

from __future__ import annotations

from impactkit.uncertainty._monte_carlo import (
    BLOCK,
    MAX_MEMORY,
    MonteCarloResult,
    memory_estimate,
    monte_carlo,
)
from impactkit.uncertainty._sensitivity import (
    SobolResult,
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
    "MAX_MEMORY",
    "AcceptabilityResult",
    "EVPPIResult",
    "MonteCarloResult",
    "SobolResult",
    "VOIResult",
    "acceptability",
    "ceac",
    "evpi",
    "evppi",
    "memory_estimate",
    "monte_carlo",
    "population_evpi",
    "second_order_indices",
    "sobol",
    "sobol_indices",
    "tipping_points",
    "tornado",
    "value_of_information",
]
