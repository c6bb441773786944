"""Shared test configuration: Hypothesis profiles and fixtures."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", max_examples=25, deadline=None)
settings.register_profile(
    "ci", max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
settings.register_profile(
    "deep", max_examples=400, deadline=None, suppress_health_check=list(HealthCheck)
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture
def synthetic_model():
    """The synthetic value map of docs/methods/sroi.md."""
    from strategies import synthetic_model

    return synthetic_model()


@pytest.fixture(autouse=True)
def _command_line_in_english(monkeypatch):
    """The command line speaks the system's language when not told: tests that do not set
    one run as on a machine without a locale (C), whatever the developer's is."""
    for var in ("LC_ALL", "LC_MESSAGES", "LANGUAGE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
