"""measure_sites in one pass equals each calculator run site by site.

For every built-in calculator, the grouped computation (one pass over the
rows, sums by site code) must give the numbers of ``calculator.compute`` on
each site's rows alone, with missing values, filters and empty sites, on
pandas and on a dask DataFrame (docs/methods/measurement.md).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import measure
from impactkit.errors import ValidationError
from impactkit.measure import _sites

SCALE = measure.Scale(items=["a", "b", "c"], reverse=["c"], low=1, high=5)


def _data(seed: int, sites: int = 40, rows: int = 2_000) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    site = rng.choice([f"{i:03d}" for i in range(sites)], rows)
    t0 = rng.integers(1, 11, rows).astype(float)
    t1 = np.clip(t0 + rng.integers(-3, 5, rows), 1, 10).astype(float)
    df = pd.DataFrame(
        {
            "site": site,
            "t0": t0,
            "t1": t1,
            "ls0": rng.integers(0, 11, rows).astype(float),
            "ls1": rng.integers(0, 11, rows).astype(float),
            "work_t0": rng.integers(1, 11, rows).astype(float),
            "work_t1": rng.integers(1, 11, rows).astype(float),
            "money_t0": rng.integers(1, 11, rows).astype(float),
            "money_t1": rng.integers(1, 11, rows).astype(float),
            "employed": rng.integers(0, 2, rows).astype(float),
            "hours": rng.gamma(2.0, 3.0, rows),
            "person": rng.integers(0, 300, rows).astype(float),
            "age": rng.integers(18, 70, rows),
        }
    )
    for item in ("a", "b", "c"):
        for t in ("t0", "t1"):
            df[f"{item}_{t}"] = rng.integers(1, 6, rows).astype(float)
    for col in df.columns.drop(["site", "age"]):
        df.loc[rng.random(rows) < 0.08, col] = np.nan
    df.loc[df["site"] == "007", ["t0", "ls0", "work_t0", "a_t0", "b_t0", "c_t0"]] = np.nan
    return df


CALCULATORS = {
    "count": measure.Count(),
    "count_unique": measure.Count(unique="person"),
    "sum": measure.Sum("hours"),
    "prepost": measure.PrePost(baseline="t0", followup="t1", min_change=2),
    "prepost_decrease": measure.PrePost(baseline="t0", followup="t1", direction="decrease"),
    "prepost_scale": measure.PrePost(baseline="t0", followup="t1", measure=SCALE),
    "distance": measure.DistanceTravelled(domains=["work", "money"]),
    "distance_scale": measure.DistanceTravelled(measure=SCALE),
    "life_satisfaction": measure.LifeSatisfaction(baseline="ls0", followup="ls1"),
    "reliable_change": measure.ReliableChange(
        baseline="t0", followup="t1", reliability=0.8, sd=2.0
    ),
    "reliable_change_sd": measure.ReliableChange(baseline="t0", followup="t1", reliability=0.7),
    "proportion": measure.Proportion("employed"),
    "threshold": measure.Threshold("hours", at_least=5),
    "filtered": measure.PrePost(
        baseline="t0", followup="t1", where=[{"column": "age", "op": ">=", "value": 40}]
    ),
}


def _site_by_site(calc, df: pd.DataFrame) -> pd.DataFrame:
    """The per-site path: the calculator's own computation on each site's rows."""
    frame = calc._frame(df)
    labels = pd.unique(df["site"].to_numpy())
    recs = []
    for s in labels:
        r = calc._compute_frame(frame[frame["site"] == s])
        ci = r.ci if r.ci is not None else (np.nan, np.nan)
        recs.append(
            {
                "site": s,
                "quantity": r.quantity,
                "n": r.n,
                "missing": r.missing,
                "share": np.nan if r.share is None else r.share,
                "mean_change": np.nan if r.mean_change is None else r.mean_change,
                "ci_low": ci[0],
                "ci_high": ci[1],
                "se": np.nan if r.se is None else r.se,
            }
        )
    return pd.DataFrame(recs).astype({"n": "int64", "missing": "int64"})


@pytest.mark.parametrize("name", sorted(CALCULATORS))
def test_one_pass_equals_site_by_site(name):
    calc = CALCULATORS[name]
    df = _data(1)
    if name.startswith("reliable_change_"):
        df = df[df["site"] != "007"]  # a site without pre scores has no spread to use
    got = measure.measure_sites(calc, df)
    want = _site_by_site(calc, df)
    assert list(got.columns) == list(want.columns)
    assert (got["site"].to_numpy() == want["site"].to_numpy()).all()
    assert (got["n"].to_numpy() == want["n"].to_numpy()).all()
    assert (got["missing"].to_numpy() == want["missing"].to_numpy()).all()
    for col in ("quantity", "share", "mean_change", "ci_low", "ci_high", "se"):
        np.testing.assert_array_equal(got[col], want[col], err_msg=col)


def test_every_built_in_calculator_has_a_one_pass_path(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("per-site loop used")

    df = _data(2, sites=5, rows=200)
    df = df[df["site"] != "007"]
    for name, calc in CALCULATORS.items():
        if name == "reliable_change_sd":
            continue
        frame = calc._frame(df)
        g = _sites._Sites(pd.Index(pd.unique(df["site"])).get_indexer(frame["site"]), 5)
        assert any(f(calc, frame, g) is not None for f in _sites._GROUPED), name


def test_a_site_whose_pre_scores_do_not_vary_is_refused_like_the_calculator():
    df = pd.DataFrame(
        {"site": ["a", "a", "b", "b"], "t0": [1.0, 1.0, 2.0, 5.0], "t1": [3, 4, 5, 6]}
    )
    calc = measure.ReliableChange(baseline="t0", followup="t1", reliability=0.8)
    with pytest.raises(ValidationError, match="do not vary"):
        calc.compute(df[df["site"] == "a"])
    with pytest.raises(ValidationError, match="do not vary"):
        measure.measure_sites(calc, df)


def test_a_value_outside_the_scale_is_refused_like_the_calculator():
    df = _data(3, sites=3, rows=60)
    df.loc[df.index[5], "work_t1"] = 12.0
    calc = measure.DistanceTravelled(domains=["work", "money"])
    with pytest.raises(ValidationError, match="outside the scale"):
        measure.measure_sites(calc, df)


def test_dask_partitions_equal_pandas_for_a_change_calculator():
    dd = pytest.importorskip("dask.dataframe")
    df = _data(4, sites=30, rows=1_500)
    calc = CALCULATORS["prepost"]
    want = measure.measure_sites(calc, df).set_index("site").sort_index()
    ddf = dd.from_pandas(df, npartitions=4)
    import dask

    with dask.config.set(scheduler="synchronous"):
        got = measure.measure_sites(calc, ddf).set_index("site").sort_index()
    pd.testing.assert_frame_equal(got, want, check_exact=False, rtol=1e-12)


def test_reliable_change_with_reliability_estimated_per_site_is_the_calculators():
    rng = np.random.default_rng(5)
    rows = 600
    df = pd.DataFrame({"site": rng.choice(["a", "b", "c"], rows)})
    for t, shift in (("t0", 0.0), ("t1", 0.6)):
        true = rng.normal(3 + shift, 0.8, rows)
        for item in ("a", "b", "c"):
            x = np.clip(np.round(true + rng.normal(0, 0.4, rows)), 1, 5)
            df[f"{item}_{t}"] = 6 - x if item == "c" else x
    calc = measure.ReliableChange(baseline="t0", followup="t1", measure=SCALE)
    got = measure.measure_sites(calc, df)
    want = _site_by_site(calc, df)
    for col in ("quantity", "n", "missing", "share", "mean_change", "ci_low", "ci_high", "se"):
        np.testing.assert_array_equal(got[col], want[col], err_msg=col)
