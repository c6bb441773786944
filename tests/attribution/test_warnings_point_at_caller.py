"""Estimator warnings name the line of the user's code that called ``estimate``."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

import impactkit as ik
from impactkit import attribution as att


def test_twfe_staggered_warning_points_at_the_caller():
    rng = np.random.default_rng(3)
    units, periods = 40, 5
    ids = np.repeat(np.arange(units), periods)
    yr = np.tile(np.arange(periods), units)
    starts = rng.choice([2, 3, 99], size=units)
    d = (yr >= starts[ids]).astype(float)
    df = pd.DataFrame({"id": ids, "year": yr, "d": d, "y": d + rng.normal(size=ids.size)})
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        att.DifferenceInDifferences(design="twfe").estimate(
            df, outcome="y", treatment="d", entity="id", time="year"
        )
    staggered = [w for w in caught if issubclass(w.category, ik.ImpactkitWarning)]
    assert len(staggered) == 1
    assert staggered[0].filename == __file__
