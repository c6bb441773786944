"""Public type aliases used across impactkit's signatures."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, TypeAlias, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "AttributionEstimator",
    "DeadweightCalculator",
    "FloatArray",
    "FloatLike",
    "MeasureCalculator",
    "SeedLike",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""A float64 numpy array."""

FloatLike: TypeAlias = float | npt.NDArray[np.float64]
"""A float or a float64 array."""

SeedLike: TypeAlias = int | np.random.SeedSequence | np.random.Generator | None
"""Anything :func:`numpy.random.default_rng` accepts; ``None`` draws fresh entropy."""


@runtime_checkable
class MeasureCalculator(Protocol):
    """Protocol of output and outcome calculators (stages ``output`` and ``outcome``).

    A calculator is a frozen value; ``compute`` reads a DataFrame and returns a
    result with at least ``quantity``, ``n`` and ``missing``; ``data`` names the
    data source it is bound to; ``to_dict`` gives its file form
    ``{"calculator": name, ...}``.
    """

    name: ClassVar[str]
    data: str | None

    def compute(self, df: pd.DataFrame) -> Any: ...

    def to_dict(self) -> dict[str, Any]: ...


@runtime_checkable
class AttributionEstimator(Protocol):
    """Protocol of counterfactual estimators (stage ``attribution``)."""

    name: ClassVar[str]

    def estimate(
        self, df: pd.DataFrame, *, outcome: str, treatment: str, **kwargs: Any
    ) -> Any: ...


@runtime_checkable
class DeadweightCalculator(Protocol):
    """Protocol of objects that measure a deadweight from data (bound like calculators)."""

    data: str | None

    def compute(self, df: pd.DataFrame) -> Any: ...

    def to_dict(self) -> dict[str, Any]: ...
