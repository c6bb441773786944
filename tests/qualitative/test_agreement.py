"""Inter-coder agreement against the reference implementations, with missing values."""

from __future__ import annotations

import json
import pickle

import krippendorff
import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import cohen_kappa_score
from statsmodels.stats.inter_rater import fleiss_kappa

import impactkit as ik
from impactkit import qualitative as ql


def _random_codings(seed: int, missing: float = 0.3):
    rng = np.random.default_rng(seed)
    n_units, n_coders, n_cats = (
        int(rng.integers(8, 40)),
        int(rng.integers(2, 6)),
        int(rng.integers(2, 6)),
    )
    data = rng.integers(1, n_cats + 1, size=(n_coders, n_units)).astype(float)
    data[rng.random(data.shape) < missing] = np.nan
    rows = [(u, f"c{m}", data[m, u]) for m in range(n_coders) for u in range(n_units)]
    df = pd.DataFrame(rows, columns=["entity", "coder", "code"])
    # absent rows are missing values too
    return data, df.drop(
        index=df.index[rng.random(len(df)) < 0.05].intersection(df.index[df["code"].isna()])
    )


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("metric", ["nominal", "ordinal", "interval", "ratio"])
def test_krippendorff_equals_reference(seed, metric):
    data, df = _random_codings(seed)
    ref = krippendorff.alpha(reliability_data=data, level_of_measurement=metric)
    got = ql.agreement(df, entity="entity", coder="coder", code="code", metric=metric)
    assert got.value == pytest.approx(ref, abs=1e-9)
    assert got.method == "krippendorff"
    pairable = (~np.isnan(data)).sum(axis=0) >= 2
    assert got.n_entities == int(pairable.sum())
    assert got.n_values == int((~np.isnan(data[:, pairable])).sum())


def test_krippendorff_published_example():
    # Krippendorff (2011), the reliability data used by the krippendorff package's own docs.
    data = [
        [np.nan, np.nan, np.nan, np.nan, np.nan, 3, 4, 1, 2, 1, 1, 3, 3, np.nan, 3],
        [1, np.nan, 2, 1, 3, 3, 4, 3, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan, np.nan],
        [np.nan, np.nan, 2, 1, 3, 4, 4, np.nan, 2, 1, 1, 3, 3, np.nan, 4],
    ]
    df = pd.DataFrame(
        [(u, c, data[c][u]) for c in range(3) for u in range(15)],
        columns=["entity", "coder", "code"],
    )
    assert ql.agreement(df).value == pytest.approx(0.691358, abs=1e-6)
    assert ql.agreement(df, metric="interval").value == pytest.approx(0.810845, abs=1e-6)


@pytest.mark.parametrize("seed", range(12))
@pytest.mark.parametrize("weights", [None, "linear", "quadratic"])
def test_cohen_equals_sklearn(seed, weights):
    data, df = _random_codings(seed)
    two = df[df["coder"].isin(["c0", "c1"])]
    both = ~np.isnan(data[:2]).any(axis=0)
    ref = cohen_kappa_score(data[0, both], data[1, both], weights=weights)
    got = ql.agreement(two, method="cohen", weights=weights)
    assert got.value == pytest.approx(ref, abs=1e-9)
    assert got.n_entities == int(both.sum())
    assert got.n_excluded_entities == len(set(two.dropna()["entity"])) - int(both.sum())


@pytest.mark.parametrize("seed", range(12))
def test_fleiss_equals_statsmodels(seed):
    data, df = _random_codings(seed, missing=0.15)
    m = int((~np.isnan(data)).sum(axis=0).max())
    full = (~np.isnan(data)).sum(axis=0) == m
    cats = np.unique(data[~np.isnan(data)])
    table = np.stack([(data[:, full] == k).sum(axis=0) for k in cats], axis=1)
    got = ql.agreement(df, method="fleiss")
    assert got.value == pytest.approx(fleiss_kappa(table, method="fleiss"), abs=1e-9)
    assert got.n_entities == int(full.sum())


def test_hand_computed_alpha_and_kappa():
    # 4 units, 2 coders, nominal: coincidences x-x 2, y-y 4, x-y 1 and y-x 1;
    # n = 8, n_x = 3, n_y = 5; alpha = 1 - 7 * 2 / (2 * 3 * 5) = 0.5333...
    df = pd.DataFrame(
        {
            "entity": [1, 1, 2, 2, 3, 3, 4, 4],
            "coder": ["a", "b"] * 4,
            "code": ["x", "x", "y", "y", "x", "y", "y", "y"],
        }
    )
    assert ql.agreement(df).value == pytest.approx(1 - 7 * 2 / 30)
    # Cohen: p_o = 3/4, p_e = (2/4)(1/4) + (2/4)(3/4) = 1/2, kappa = 0.5
    assert ql.agreement(df, method="cohen").value == pytest.approx(0.5)


def test_bootstrap_interval_and_reproducibility():
    _, df = _random_codings(3)
    a = ql.agreement(df, n_bootstrap=400, seed=7)
    b = ql.agreement(df, n_bootstrap=400, seed=7)
    assert a.ci == b.ci
    assert a.ci is not None
    assert a.ci[0] <= a.value <= a.ci[1] or a.n_bootstrap < 400
    assert a.interval(0.5)[0] >= a.ci[0] - 1e-12
    assert ql.agreement(df).ci is None
    with pytest.raises(ik.ValidationError):
        ql.agreement(df).interval()
    for method in ("cohen", "fleiss"):
        sub = df[df["coder"].isin(["c0", "c1"])] if method == "cohen" else df
        r = ql.agreement(sub, method=method, n_bootstrap=200, seed=1)
        assert r.ci is not None
        assert r.ci[0] <= r.ci[1]


def test_result_contract():
    _, df = _random_codings(5)
    r = ql.agreement(df, n_bootstrap=50, seed=0)
    json.dumps(r.to_dict(), allow_nan=False)
    assert list(r.to_frame()["value"]) == [r.value]
    assert "alpha" in str(r.summary())
    hash(r)
    assert pickle.loads(pickle.dumps(r)) == r


def test_bad_input_lists_every_problem():
    df = pd.DataFrame({"entity": [1, 1], "coder": ["a", "a"], "code": ["x", "y"]})
    with pytest.raises(ik.ValidationError) as e:
        ql.agreement(df, method="kappa", metric="nominalish", n_bootstrap=-1)
    assert {p.path[0] for p in e.value.problems} == {"method", "metric", "n_bootstrap"}
    with pytest.raises(ik.ValidationError, match="two codes"):
        ql.agreement(df)
    with pytest.raises(ik.ValidationError) as e:
        ql.agreement(df, entity="u", code="c")
    assert {p.path for p in e.value.problems} == {("u",), ("c",)}
    three = pd.DataFrame({"entity": [1, 1, 1], "coder": ["a", "b", "c"], "code": [1, 2, 1]})
    with pytest.raises(ik.ValidationError, match="two coders"):
        ql.agreement(three, method="cohen")
    one = pd.DataFrame({"entity": [1, 1, 2, 2], "coder": ["a", "b"] * 2, "code": [1] * 4})
    with pytest.raises(ik.EstimationError, match="no variation"):
        ql.agreement(one)
    with pytest.raises(ik.ValidationError, match="numeric"):
        ql.agreement(three.assign(code=["x", "y", "x"]), metric="interval")


@given(st.integers(0, 10_000), st.sampled_from(["krippendorff", "fleiss"]))
def test_relabelling_codes_and_coders_changes_nothing(seed, method):
    _, df = _random_codings(seed, missing=0.1)
    try:
        base = ql.agreement(df, method=method).value
    except ik.EstimationError:
        return
    relabelled = df.assign(
        code=df["code"].map(lambda c: f"k{int(c) * 7 % 11}" if c == c else None),
        coder=df["coder"].map(lambda c: c[::-1] + "x"),
    )
    assert ql.agreement(relabelled, method=method).value == pytest.approx(base, abs=1e-12)


@given(st.lists(st.integers(0, 4), min_size=2, max_size=30), st.integers(2, 5))
def test_identical_codings_agree_perfectly(codes, n_coders):
    if len(set(codes)) < 2:
        return
    df = pd.DataFrame(
        [(u, f"c{m}", c) for u, c in enumerate(codes) for m in range(n_coders)],
        columns=["entity", "coder", "code"],
    )
    for method in ("krippendorff", "fleiss"):
        assert ql.agreement(df, method=method).value == pytest.approx(1.0)
    two = df[df["coder"].isin(["c0", "c1"])]
    assert ql.agreement(two, method="cohen").value == pytest.approx(1.0)
