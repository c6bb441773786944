"""A yes/no answer in an EQ-5D-5L dimension is out of range, never level 1.

``pd.to_numeric`` reads True as 1, so a boolean column (or a True in a column
of answers) was scored as "no problems" on that dimension.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit.errors import ValidationError
from impactkit.measure import EQ5D5L_COLUMNS, EQ5D5L_VALUE_SETS, QALYGain, eq5d5l_index


def test_a_boolean_column_is_out_of_range():
    df = pd.DataFrame({c: [True, False] for c in EQ5D5L_COLUMNS})
    r = eq5d5l_index(df, value_set="england")
    assert (r.n, r.incomplete, r.out_of_range) == (0, 0, 2)
    assert r.index.isna().all()


def test_a_true_among_answers_is_out_of_range_and_the_rest_is_scored():
    df = pd.DataFrame({c: [True, "3", 2.0, None] for c in EQ5D5L_COLUMNS})
    r = eq5d5l_index(df, value_set="france")
    assert (r.n, r.incomplete, r.out_of_range) == (2, 1, 1)
    # 33333 and 22222 with the French value set (Andrade et al. 2020 as distributed)
    assert np.isnan(r.index.iloc[0])
    assert round(r.index.iloc[1], 6) == round(
        1 - (0.04774 + 0.050781 + 0.03979 + 0.04704 + 0.04683), 6
    )
    assert round(r.index.iloc[2], 3) == 0.850


def test_nullable_booleans_are_out_of_range_or_missing():
    df = pd.DataFrame({c: pd.array([True, None], dtype="boolean") for c in EQ5D5L_COLUMNS})
    r = eq5d5l_index(df, value_set="france")
    assert (r.n, r.incomplete, r.out_of_range) == (0, 1, 1)


def test_qaly_gain_counts_boolean_answers_as_missing():
    cols = {f"{c}_t0": [1, True, 2] for c in EQ5D5L_COLUMNS}
    cols.update({f"{c}_t1": [1, 1, 1] for c in EQ5D5L_COLUMNS})
    r = QALYGain(baseline="t0", followup="t1", horizon=1, value_set="france").compute(
        pd.DataFrame(cols)
    )
    assert (r.n, r.missing) == (2, 1)


def test_value_of_a_profile_refuses_booleans():
    with pytest.raises(ValidationError):
        EQ5D5L_VALUE_SETS["france"].value((True, 1, 1, 1, 1))
    assert EQ5D5L_VALUE_SETS["france"].value((1, 1, 1, 1, 1)) == 1.0
