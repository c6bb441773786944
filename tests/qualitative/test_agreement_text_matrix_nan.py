"""In a NumPy text matrix, the "nan" NumPy writes for a NaN is a missing value.

``np.array([["x", np.nan]])`` holds the text "nan": it was read as a
category, so a coder's missing value counted as a disagreement.
"""

from __future__ import annotations

import krippendorff
import numpy as np
import pytest

from impactkit import qualitative as ql


def test_nan_in_a_text_matrix_is_missing():
    text = np.array([["x", "y", "x", np.nan, "y"], ["x", "y", "y", "x", "y"]])
    assert text.dtype.kind == "U"
    objects = np.array([["x", "y", "x", None, "y"], ["x", "y", "y", "x", "y"]], dtype=object)
    a, b = ql.agreement(text), ql.agreement(objects)
    assert a.value == b.value
    assert (a.categories, a.n_missing, a.n_values) == (("x", "y"), 1, 8)
    codes = np.array([[0, 1, 0, np.nan, 1], [0, 1, 1, 0, 1]])
    ref = krippendorff.alpha(reliability_data=codes, level_of_measurement="nominal")
    assert a.value == pytest.approx(ref, abs=1e-12)


def test_text_categories_are_plain_strings():
    r = ql.agreement(np.array([[b"x", b"y"], [b"x", b"x"]]))
    assert r.categories == ("x", "y")
    assert all(type(c) is str for c in r.categories)
