"""Per-site measurement: pandas and dask give the numbers of the calculator on each site."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import measure


def participants(n_sites=40, per=60, seed=0):
    rng = np.random.default_rng(seed)
    n = n_sites * per
    site = np.repeat([f"E{i:04d}" for i in range(n_sites)], per)
    pre = rng.normal(10, 2, n)
    df = pd.DataFrame(
        {
            "site": site,
            "employed": (rng.random(n) < np.repeat(rng.uniform(0.2, 0.8, n_sites), per)).astype(
                float
            ),
            "pre": pre,
            "post": pre + rng.normal(1, 1, n),
            "age": rng.integers(16, 65, n),
        }
    )
    df.loc[rng.choice(n, min(30, n // 4), replace=False), "employed"] = np.nan
    return df.sample(frac=1.0, random_state=1).reset_index(drop=True)  # sites interleaved


CALCS = [
    measure.Proportion("employed"),
    measure.PrePost("pre", "post"),
    measure.Threshold("employed", at_least=1, where=[{"column": "age", "op": ">=", "value": 26}]),
]


@pytest.mark.parametrize("calc", CALCS, ids=lambda c: c.name)
def test_pandas_equals_the_calculator_on_each_site(calc):
    df = participants()
    out = measure.measure_sites(calc, df)
    assert list(out.columns) == ["site", *measure._sites.SITE_COLUMNS]
    assert list(out["site"]) == list(pd.unique(df["site"]))
    for s in ("E0000", "E0017", "E0039"):
        ref = calc.compute(df[df["site"] == s])
        row = out.set_index("site").loc[s]
        assert row["quantity"] == ref.quantity
        assert row["n"] == ref.n
        assert row["missing"] == ref.missing
        if ref.ci is not None:
            assert (row["ci_low"], row["ci_high"]) == pytest.approx(ref.ci, rel=1e-12)


@pytest.mark.parametrize("calc", CALCS, ids=lambda c: c.name)
def test_every_figure_of_every_site_is_the_calculators(calc):
    df = participants(n_sites=15, per=25)
    df.loc[df["site"] == "E0003", "age"] = 20  # the where= filter leaves this site empty
    out = measure.measure_sites(calc, df).set_index("site")
    for s, part in df.groupby("site"):
        frame = calc._frame(part)
        ref = calc._compute_frame(frame)
        row = out.loc[s]
        assert row["quantity"] == ref.quantity
        assert (row["n"], row["missing"]) == (ref.n, ref.missing)
        for col, val in (("share", ref.share), ("se", ref.se), ("mean_change", ref.mean_change)):
            assert np.isnan(row[col]) if val is None else row[col] == val, (s, col)
        lo, hi = ref.ci if ref.ci is not None else (np.nan, np.nan)
        np.testing.assert_array_equal([row["ci_low"], row["ci_high"]], [lo, hi])


@pytest.mark.filterwarnings("ignore")
@pytest.mark.parametrize("calc", CALCS[:2], ids=lambda c: c.name)
def test_dask_equals_pandas(calc):
    dd = pytest.importorskip("dask.dataframe")
    df = participants()
    ref = measure.measure_sites(calc, df).set_index("site").sort_index()
    got = measure.measure_sites(calc, dd.from_pandas(df, npartitions=5)).set_index("site")
    pd.testing.assert_frame_equal(got.sort_index(), ref, check_exact=False, rtol=1e-12)


@pytest.mark.filterwarnings("ignore")
def test_partitioned_data_needs_whole_sites():
    dd = pytest.importorskip("dask.dataframe")
    df = participants(n_sites=6, per=20)
    by_site = df.sort_values("site", kind="stable").reset_index(drop=True)
    # whole sites per partition: no shuffle needed, same numbers
    parts = dd.from_pandas(by_site.set_index("site"), npartitions=3, sort=True).reset_index()
    got = measure.measure_sites(measure.Proportion("employed"), parts, partitioned=True)
    ref = measure.measure_sites(measure.Proportion("employed"), df)
    pd.testing.assert_frame_equal(
        got.set_index("site").sort_index(), ref.set_index("site").sort_index()
    )
    # sites split across partitions are refused, not double counted
    split = dd.from_pandas(df, npartitions=4, sort=False)
    with pytest.raises(ik.ValidationError, match="span several partitions"):
        measure.measure_sites(measure.Proportion("employed"), split, partitioned=True)


@pytest.mark.filterwarnings("ignore")
def test_local_cluster():
    distributed = pytest.importorskip("distributed")
    dd = pytest.importorskip("dask.dataframe")
    df = participants(n_sites=12, per=30)
    ref = measure.measure_sites(measure.Proportion("employed"), df)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster),
    ):
        got = measure.measure_sites(
            measure.Proportion("employed"), dd.from_pandas(df, npartitions=3)
        )
    pd.testing.assert_frame_equal(
        got.set_index("site").sort_index(), ref.set_index("site").sort_index()
    )


def test_bad_input():
    df = participants(n_sites=2, per=5)
    with pytest.raises(ik.ValidationError, match="no site column"):
        measure.measure_sites(measure.Proportion("employed"), df, site="establishment")
    with pytest.raises(ik.ValidationError, match="not in the data"):
        measure.measure_sites(measure.Proportion("missing_column"), df)
    with pytest.raises(ik.ValidationError, match="calculator"):
        measure.measure_sites(object(), df)
