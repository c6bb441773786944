"""Builders of the sector examples (theory of change, model, seeded synthetic data).

One module per example; each exposes ``NAME``, ``SEED``, ``build_data(seed)``,
``build_toc()`` and ``build_model()``; ``_common`` (catalogue proxies, the
model's settings, synthetic draws) and ``_rows`` (value-map rows) hold what
they share with each other and with :mod:`impactkit.examples.generate`, which
writes their files; nothing here is imported when an example is loaded.
"""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["NAMES", "modules"]

NAMES = (
    "protection_enfance",
    "insertion_iae",
    "protection_majeurs",
    "addictologie",
    "personnes_agees",
)
"""The sector examples built here, in the order of :func:`impactkit.examples.names`."""


def modules() -> list[ModuleType]:
    """The builder module of every sector example."""
    return [importlib.import_module(f"impactkit.examples._sectors.{n}") for n in NAMES]
