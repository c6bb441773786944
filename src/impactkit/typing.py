"""Public type aliases used across impactkit's signatures."""

from __future__ import annotations

from typing import TypeAlias

import numpy as np
import numpy.typing as npt

__all__ = ["FloatArray", "FloatLike", "SeedLike"]

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""A float64 numpy array."""

FloatLike: TypeAlias = float | npt.NDArray[np.float64]
"""A float or a float64 array."""

SeedLike: TypeAlias = int | np.random.SeedSequence | np.random.Generator | None
"""Anything :func:`numpy.random.default_rng` accepts; ``None`` draws fresh entropy."""
