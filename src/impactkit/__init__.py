"""impactkit: social impact measurement methods.

Theory of change, SROI and other valuation methods, attribution and
uncertainty, as an embeddable library.

The top level holds what most users need; everything else is reached through
its subpackage (``impactkit.toc``, ``impactkit.uncertainty``, ...).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

from impactkit._version import __version__

# Subpackages and top-level names load on first use (PEP 562), so that
# ``import impactkit`` and ``impactkit --help`` cost little; ``ik.attribution``,
# ``from impactkit import sroi`` and ``from impactkit import attribution`` work
# as eager imports would.
_SUBPACKAGES = frozenset(
    {
        "assurance",
        "attribution",
        "cli",
        "discount",
        "dist",
        "errors",
        "examples",
        "io",
        "kernel",
        "measure",
        "methods",
        "model",
        "pipeline",
        "portfolio",
        "qualitative",
        "registry",
        "report",
        "testing",
        "toc",
        "typing",
        "uncertainty",
        "valuation",
    }
)

_NAMES = {
    "Finding": "impactkit.assurance",
    "lint": "impactkit.assurance",
    "CalculatorNotFoundError": "impactkit.errors",
    "ConvergenceWarning": "impactkit.errors",
    "CycleError": "impactkit.errors",
    "DanglingLinkError": "impactkit.errors",
    "EstimationError": "impactkit.errors",
    "FileFormatError": "impactkit.errors",
    "GraphStructureError": "impactkit.errors",
    "ImpactkitDeprecationWarning": "impactkit.errors",
    "ImpactkitError": "impactkit.errors",
    "ImpactkitWarning": "impactkit.errors",
    "OverlapWarning": "impactkit.errors",
    "Problem": "impactkit.errors",
    "UnidentifiableError": "impactkit.errors",
    "UnknownNodeError": "impactkit.errors",
    "ValidationError": "impactkit.errors",
    "dump": "impactkit.io",
    "load": "impactkit.io",
    "SROIResult": "impactkit.methods",
    "sroi": "impactkit.methods",
    "ImpactModel": "impactkit.model",
    "Input": "impactkit.model",
    "OutcomeValuation": "impactkit.model",
    "Evaluation": "impactkit.pipeline",
    "evaluate": "impactkit.pipeline",
    "TheoryOfChange": "impactkit.toc",
    "MonteCarloResult": "impactkit.uncertainty",
    "monte_carlo": "impactkit.uncertainty",
    "FinancialProxy": "impactkit.valuation",
    "PriceIndex": "impactkit.valuation",
}


def __getattr__(name: str) -> Any:
    if name in _SUBPACKAGES:
        module = importlib.import_module(f"impactkit.{name}")
    elif name in _NAMES:
        module = getattr(importlib.import_module(_NAMES[name]), name)
    else:
        raise AttributeError(f"module 'impactkit' has no attribute {name!r}")
    globals()[name] = module
    return module


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


if TYPE_CHECKING:  # the names as static tools see them
    from impactkit import (
        assurance,
        attribution,
        cli,
        discount,
        dist,
        errors,
        examples,
        io,
        kernel,
        measure,
        methods,
        model,
        pipeline,
        portfolio,
        qualitative,
        registry,
        report,
        testing,
        toc,
        typing,
        uncertainty,
        valuation,
    )
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
    "assurance",
    "attribution",
    "cli",
    "discount",
    "dist",
    "dump",
    "errors",
    "evaluate",
    "examples",
    "io",
    "kernel",
    "lint",
    "load",
    "measure",
    "methods",
    "model",
    "monte_carlo",
    "pipeline",
    "portfolio",
    "qualitative",
    "registry",
    "report",
    "sroi",
    "testing",
    "toc",
    "typing",
    "uncertainty",
    "valuation",
]
