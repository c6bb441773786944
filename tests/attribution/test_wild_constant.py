"""The wild cluster test refuses a constant outcome or regressor, not testing rounding noise."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att
from impactkit.errors import EstimationError


def _data() -> pd.DataFrame:
    g = np.repeat(np.arange(6), 5)
    return pd.DataFrame({"g": g, "x": np.arange(30.0), "y": np.full(30, 3.0), "z": 1.0})


def test_constant_outcome_is_refused() -> None:
    with pytest.raises(EstimationError, match="outcome 'y' is constant"):
        att.wild_cluster_test(_data(), outcome="y", regressor="x", cluster="g")


def test_constant_outcome_and_regressor_are_listed_together() -> None:
    with pytest.raises(EstimationError) as ei:
        att.wild_cluster_test(_data(), outcome="y", regressor="z", cluster="g")
    assert "outcome 'y'" in str(ei.value)
    assert "regressor 'z'" in str(ei.value)
