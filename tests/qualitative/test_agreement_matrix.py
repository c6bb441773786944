"""Agreement from a reliability matrix equals agreement from the long form, and the
reference package, for every method and metric (docs/methods/agreement.md)."""

from __future__ import annotations

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from impactkit import qualitative as ql
from impactkit.errors import ValidationError


def _long(mat: np.ndarray) -> pd.DataFrame:
    coders, units = mat.shape
    return pd.DataFrame(
        {
            "entity": np.tile(np.arange(units), coders),
            "coder": np.repeat(np.arange(coders), units),
            "code": mat.ravel(),
        }
    )


def _matrix(seed: int, coders: int = 6, units: int = 300, cats: int = 4) -> np.ndarray:
    rng = np.random.default_rng(seed)
    truth = rng.integers(1, cats + 1, units)
    noise = rng.integers(1, cats + 1, (coders, units))
    mat = np.where(rng.random((coders, units)) < 0.7, truth[None, :], noise).astype(float)
    mat[rng.random((coders, units)) < 0.15] = np.nan
    return mat


@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval", "ratio"])
def test_matrix_alpha_equals_long_form_and_reference(metric):
    mat = _matrix(1)
    from_matrix = ql.agreement(mat, metric=metric)
    from_long = ql.agreement(_long(mat), metric=metric)
    ref = krippendorff.alpha(reliability_data=mat, level_of_measurement=metric)
    assert from_matrix.value == pytest.approx(ref, rel=1e-12)
    assert from_matrix.value == pytest.approx(from_long.value, rel=1e-12)
    assert from_matrix.n_entities == from_long.n_entities
    assert from_matrix.n_missing == from_long.n_missing
    assert from_matrix.n_values == from_long.n_values


@pytest.mark.parametrize("method", ["cohen", "fleiss"])
def test_matrix_kappas_equal_long_form(method):
    mat = _matrix(2, coders=2 if method == "cohen" else 5)
    if method == "fleiss":
        mat[:, np.isnan(mat).any(axis=0)] = np.nan  # complete units only
    assert ql.agreement(mat, method=method).value == pytest.approx(
        ql.agreement(_long(mat), method=method).value, rel=1e-12
    )


def test_matrix_bootstrap_equals_long_form_bootstrap():
    mat = _matrix(3)
    a = ql.agreement(mat, n_bootstrap=50, seed=4)
    b = ql.agreement(_long(mat), n_bootstrap=50, seed=4)
    assert a.ci == pytest.approx(b.ci, rel=1e-12)


def test_matrix_of_text_codes_and_absent_coders_and_units():
    m = np.array(
        [["a", "b", None, "a"], [None, None, None, None], ["a", "b", None, "b"]], dtype=object
    )
    r = ql.agreement(m)
    long = pd.DataFrame(
        {"entity": [0, 1, 3, 0, 1, 3], "coder": [0, 0, 0, 2, 2, 2], "code": list("abaabb")}
    )
    assert r.value == pytest.approx(ql.agreement(long).value, rel=1e-12)
    assert r.n_coders == 2
    assert r.n_missing == 6


def test_matrix_must_be_two_dimensional_and_codes_in_order():
    with pytest.raises(ValidationError, match="two dimensions"):
        ql.agreement(np.zeros(5))
    with pytest.raises(ValidationError, match="not in order"):
        ql.agreement(np.array([[1.0, 2.0], [1.0, 3.0]]), order=[1.0, 2.0])


@settings(max_examples=40, deadline=None)
@given(
    st.integers(2, 5),
    st.integers(3, 12),
    st.integers(2, 4),
    st.integers(0, 2**31 - 1),
)
def test_matrix_and_long_form_agree_on_any_data(coders, units, cats, seed):
    rng = np.random.default_rng(seed)
    mat = rng.integers(0, cats, (coders, units)).astype(float)
    mat[rng.random((coders, units)) < 0.3] = np.nan
    try:
        want = ql.agreement(_long(mat)).value
    except Exception as exc:  # undefined alpha: the matrix form must refuse alike
        with pytest.raises(type(exc)):
            ql.agreement(mat)
        return
    assert ql.agreement(mat).value == pytest.approx(want, rel=1e-10, abs=1e-12)
