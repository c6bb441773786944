"""impactkit: social impact measurement methods.

Theory of change, SROI and other valuation methods, attribution and
uncertainty, as an embeddable library.

The top level holds what most users need; everything else is reached through
its subpackage (``impactkit.toc``, ``impactkit.uncertainty``, ...).
"""

from __future__ import annotations

from impactkit import (
    attribution,
    discount,
    dist,
    examples,
    kernel,
    measure,
    methods,
    portfolio,
    qualitative,
    registry,
    report,
    toc,
    uncertainty,
    valuation,
)
from impactkit._version import __version__
from impactkit.assurance import Finding, lint
from impactkit.errors import (
    CalculatorNotFoundError,
    ConvergenceWarning,
    CycleError,
    DanglingLinkError,
    EstimationError,
    FileFormatError,
    GraphStructureError,
    ImpactkitDeprecationWarning,
    ImpactkitError,
    ImpactkitWarning,
    OverlapWarning,
    Problem,
    UnidentifiableError,
    UnknownNodeError,
    ValidationError,
)
from impactkit.io import dump, load
from impactkit.methods import SROIResult, sroi
from impactkit.model import ImpactModel, Input, OutcomeValuation
from impactkit.pipeline import Evaluation, evaluate
from impactkit.toc import TheoryOfChange
from impactkit.uncertainty import MonteCarloResult, monte_carlo
from impactkit.valuation import FinancialProxy, PriceIndex

__all__ = [
    "CalculatorNotFoundError",
    "ConvergenceWarning",
    "CycleError",
    "DanglingLinkError",
    "EstimationError",
    "Evaluation",
    "FileFormatError",
    "FinancialProxy",
    "Finding",
    "GraphStructureError",
    "ImpactModel",
    "ImpactkitDeprecationWarning",
    "ImpactkitError",
    "ImpactkitWarning",
    "Input",
    "MonteCarloResult",
    "OutcomeValuation",
    "OverlapWarning",
    "PriceIndex",
    "Problem",
    "SROIResult",
    "TheoryOfChange",
    "UnidentifiableError",
    "UnknownNodeError",
    "ValidationError",
    "__version__",
    "attribution",
    "discount",
    "dist",
    "dump",
    "evaluate",
    "examples",
    "kernel",
    "lint",
    "load",
    "measure",
    "methods",
    "monte_carlo",
    "portfolio",
    "qualitative",
    "registry",
    "report",
    "sroi",
    "toc",
    "uncertainty",
    "valuation",
]
