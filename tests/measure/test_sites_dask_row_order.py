"""measure_sites on a shuffled dask DataFrame reads each site's rows in their order in
the data, so that its figures equal the pandas path's to the last bit, not to 1e-16: a
sum of floating-point numbers depends on the order of its terms (docs/howto/network.md)."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from impactkit import measure

dd = pytest.importorskip("dask.dataframe")
dask = pytest.importorskip("dask")

SCALE = measure.Scale(items=["a", "b", "c"], reverse=["c"], low=1, high=5)


def rows(n_sites: int = 30, per: int = 150, seed: int = 3) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    n = n_sites * per
    pre = rng.normal(5, 2, n)
    df = pd.DataFrame(
        {
            "site": np.repeat([f"S{i:03d}" for i in range(n_sites)], per),
            "pre": pre,
            "post": pre + rng.normal(0.7, 1.3, n),
            "spend": rng.gamma(2.0, 123.456, n),
        }
    )
    for t, shift in (("t0", 0.0), ("t1", 0.5)):
        true = rng.normal(3 + shift, 0.8, n)
        for item in ("a", "b", "c"):
            x = np.clip(np.round(true + rng.normal(0, 0.5, n)), 1, 5)
            df[f"{item}_{t}"] = 6 - x if item == "c" else x
    df.loc[rng.choice(n, 40, replace=False), "post"] = np.nan
    return df.sample(frac=1.0, random_state=2).reset_index(drop=True)  # sites interleaved


CALCS = [
    measure.PrePost("pre", "post"),
    measure.Sum("spend"),
    measure.LifeSatisfaction("pre", "post", low=-100, high=100),
    measure.ReliableChange(baseline="pre", followup="post", reliability=0.8),
    # reliability estimated from each site's items: the calculator itself, site by site
    measure.ReliableChange(baseline="t0", followup="t1", measure=SCALE),
]


@pytest.mark.parametrize("calc", CALCS, ids=lambda c: c.name)
@pytest.mark.parametrize("npartitions", [3, 7])
def test_shuffled_dask_equals_pandas_to_the_last_bit(calc, npartitions):
    df = rows()
    want = measure.measure_sites(calc, df).set_index("site").sort_index()
    with warnings.catch_warnings(), dask.config.set(scheduler="synchronous"):
        warnings.simplefilter("ignore")
        got = measure.measure_sites(calc, dd.from_pandas(df, npartitions=npartitions))
    got = got.set_index("site").sort_index()
    pd.testing.assert_frame_equal(got, want, check_exact=True)


def test_columns_named_like_the_row_tags_are_kept_apart():
    df = rows(n_sites=6, per=40).assign(_impactkit_row_0=1.0)
    calc = measure.Sum("_impactkit_row_0")
    want = measure.measure_sites(calc, df).set_index("site").sort_index()
    with warnings.catch_warnings(), dask.config.set(scheduler="synchronous"):
        warnings.simplefilter("ignore")
        got = measure.measure_sites(calc, dd.from_pandas(df, npartitions=3))
    pd.testing.assert_frame_equal(got.set_index("site").sort_index(), want, check_exact=True)
    assert (want["quantity"] == 40.0).all()
