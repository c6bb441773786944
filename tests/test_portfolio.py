"""Portfolio: one kernel call for a network, equality with ik.sroi, executors, bad input."""

from __future__ import annotations

import concurrent.futures as cf

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import portfolio as pf

SECTORS = [
    "disability",
    "child_protection",
    "insertion",
    "legal_protection",
    "addiction",
    "elderly",
]


def network(n_sites=60, k=6, seed=0):
    rng = np.random.default_rng(seed)
    sec = rng.choice(SECTORS, n_sites)
    site = np.repeat([f"S{i:05d}" for i in range(n_sites)], k)
    n = n_sites * k
    out = pd.DataFrame(
        {
            "site": site,
            "outcome": np.tile([f"o{j}" for j in range(k)], n_sites),
            "stakeholder": np.resize(["participants", "families", "public"], n),
            "sector": np.repeat(sec, k),
            "quantity": rng.integers(5, 100, n).astype(float),
            "proxy": rng.uniform(200, 5000, n),
            "deadweight": rng.uniform(0, 0.5, n),
            "attribution": rng.uniform(0, 0.3, n),
            "duration": rng.integers(1, 6, n),
            "drop_off": rng.uniform(0, 0.3, n),
            "start_year": rng.choice([1, 2], n),
        }
    )
    inp = pd.DataFrame({"site": np.unique(site), "amount": rng.uniform(2e4, 2e5, n_sites)})
    return out, inp


def _year(r):
    y = getattr(r, "year", 0)
    return 0 if pd.isna(y) else int(y)


def model_of(out, inp, site, discount):
    rows = out[out["site"] == site]
    ins = inp[inp["site"] == site]
    return ik.ImpactModel(
        name=str(site),
        discount=discount,
        inputs=[
            ik.Input(f"in{i}", amount=float(r.amount), year=_year(r))
            for i, r in enumerate(ins.itertuples())
        ],
        outcomes=[
            ik.OutcomeValuation(
                outcome=r.outcome,
                stakeholder=r.stakeholder,
                quantity=r.quantity,
                proxy=r.proxy,
                deadweight=r.deadweight,
                attribution=r.attribution,
                duration=int(r.duration),
                drop_off=r.drop_off,
                start_year=int(r.start_year),
            )
            for r in rows.itertuples()
        ],
    )


@pytest.mark.parametrize("discount", [0.035, ik.discount.GREEN_BOOK])
def test_equals_sroi_per_site(discount):
    out, inp = network()
    inp = pd.concat([inp, inp.iloc[:5].assign(amount=1000.0, year=2)], ignore_index=True)
    res = pf.evaluate(out, inp, site="site", discount=discount, by=["sector"])
    assert list(res.columns) == [
        "site",
        "sector",
        "present_value",
        "total_inputs",
        "net_present_value",
        "ratio",
        "net_ratio",
        "payback_months",
    ]
    assert len(res) == 60
    for s in ["S00000", "S00003", "S00042"]:
        ref = ik.sroi(model_of(out, inp, s, discount))
        row = res.set_index("site").loc[s]
        assert row["present_value"] == pytest.approx(ref.present_value, rel=1e-12)
        assert row["total_inputs"] == pytest.approx(ref.total_inputs, rel=1e-12)
        assert row["ratio"] == pytest.approx(ref.ratio, rel=1e-12)
        if ref.payback_months is None:
            assert row["payback_months"] is None
        else:
            assert row["payback_months"] == pytest.approx(ref.payback_months, rel=1e-12)


def test_aggregation_distribution_position_shares():
    out, inp = network()
    res = pf.evaluate(out, inp, by=["sector"])
    agg = pf.aggregate(res, "sector")
    assert agg["present_value"].sum() == pytest.approx(res["present_value"].sum())
    g = res[res["sector"] == agg["sector"][0]]
    assert agg["ratio"][0] == pytest.approx(g["present_value"].sum() / g["total_inputs"].sum())
    d = pf.distribution(res)
    assert d["p50"][0] == pytest.approx(res["ratio"].median())
    assert len(pf.distribution(res, by="sector")) == agg.shape[0]
    pos = pf.position(res, "S00001", peers="sector")
    assert 0 <= pos["percentile"] <= 100
    sh = pf.stakeholder_shares(out.drop(columns="sector"), inp)
    assert sh["share"].sum() == pytest.approx(1.0)
    assert set(sh["stakeholder"]) == {"participants", "families", "public"}


def test_executor_results_equal_local():
    out, inp = network(n_sites=1200, k=3)
    out = out.drop(columns="sector")
    local = pf.evaluate(out, inp)
    with cf.ThreadPoolExecutor(2) as ex:
        threaded = pf.evaluate(out, inp, executor=ex)
    pd.testing.assert_frame_equal(local, threaded)


def test_monte_carlo_reproducible_and_shared():
    out, inp = network(n_sites=40, k=4)
    out["proxy_low"] = out["proxy"] * 0.8
    out["proxy_high"] = out["proxy"] * 1.2
    shared = {"quantity": ("sector", ik.dist.LogNormal(1.0, 0.1))}
    a = pf.monte_carlo(out, inp, n=600, seed=7, shared=shared)
    b = pf.monte_carlo(out, inp, n=600, seed=7, shared=shared, chunk_size=50)
    np.testing.assert_array_equal(a.ratio, b.ratio)
    with cf.ThreadPoolExecutor(2) as ex:
        c = pf.monte_carlo(out, inp, n=600, seed=7, shared=shared, executor=ex)
    np.testing.assert_array_equal(a.ratio, c.ratio)
    point = pf.evaluate(out, inp, by=["sector"]).set_index("site")["ratio"]
    mean = pd.Series(a.ratio.mean(axis=0), index=a.sites)
    assert np.allclose(mean, point.loc[list(a.sites)], rtol=0.05)
    s = a.to_frame()
    assert (s["p5"] <= s["p50"]).all()
    assert a.network_ratio().shape == (600,)
    # a shared multiplier moves whole sectors together
    sec = out.drop_duplicates("site").set_index("site")["sector"]
    same = [x for x in a.sites if sec[x] == sec[a.sites[0]]]
    r = np.log(a.present_value[:, [a.sites.index(x) for x in same]])
    assert np.corrcoef(r[:, 0], r[:, 1])[0, 1] > 0.5


def test_bad_input_lists_sites_and_rows():
    out, inp = network(n_sites=10, k=3)
    bad = out.copy()
    bad.loc[4, "deadweight"] = 1.5
    bad.loc[7, "quantity"] = -1
    bad = pd.concat([bad, bad.iloc[[0]]], ignore_index=True)
    bad["colour"] = "red"
    inp2 = inp[inp["site"] != "S00003"].copy()
    inp2.loc[inp2.index[0], "amount"] = -5
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(bad, inp2)
    text = str(ei.value)
    for part in ("rows 4", "rows 7", "duplicate", "colour", "S00003", "amounts must be"):
        assert part in text
    with pytest.raises(ik.ValidationError, match="inputs totalling 0"):
        pf.evaluate(out, inp.assign(amount=0.0), by=["sector"])
    with pytest.raises(ik.ValidationError, match="varies within sites"):
        pf.evaluate(out.assign(sector=np.arange(len(out)).astype(str)), inp, by=["sector"])


@pytest.mark.parametrize("labels", ["text", "int", "object", "category"])
def test_row_order_and_label_type_do_not_change_the_numbers(labels):
    """Contiguous sites (read from their runs) and shuffled rows (hashed) agree."""
    out, inp = network(n_sites=40, k=5, seed=3)
    cast = {
        "text": lambda s: s,
        "int": lambda s: s.str[1:].astype(int),
        "object": lambda s: s.astype(object),
        "category": lambda s: s.astype("category"),
    }[labels]
    out = out.assign(site=cast(out["site"]), sector=out["sector"].astype("category"))
    inp = inp.assign(site=cast(inp["site"]))
    ordered = pf.evaluate(out, inp, by=["sector"])
    shuffled = out.iloc[np.random.default_rng(0).permutation(len(out))]
    mixed = pf.evaluate(shuffled, inp, by=["sector"]).set_index("site").loc[ordered["site"]]
    np.testing.assert_allclose(mixed["ratio"], ordered["ratio"], rtol=1e-13)
    np.testing.assert_allclose(mixed["present_value"], ordered["present_value"], rtol=1e-13)
    assert list(mixed["sector"]) == list(ordered["sector"])
    assert (
        ordered["sector"].dtype
        == pf.evaluate(out.assign(sector=out["sector"].astype(object)), inp, by=["sector"])[
            "sector"
        ].dtype
    )
    # a site whose rows come back later is still one site, reported once
    split = pd.concat([out.iloc[:3], out.iloc[8:], out.iloc[3:8]], ignore_index=True)
    again = pf.evaluate(split, inp, by=["sector"]).set_index("site").loc[ordered["site"]]
    np.testing.assert_allclose(again["ratio"], ordered["ratio"], rtol=1e-13)
    # a varying by= column is found in either layout
    varied = out.assign(sector=out["sector"].cat.codes.where(out.index != 6, 99))
    for table in (varied, varied.iloc[::-1]):
        with pytest.raises(ik.ValidationError, match="varies within sites"):
            pf.evaluate(table, inp, by=["sector"])


@pytest.mark.parametrize("missing", [None, np.nan, pd.NA])
@pytest.mark.parametrize("labels", ["object", "Int64"])
def test_a_row_without_a_site_is_an_error_not_a_crash(missing, labels):
    out, inp = network(n_sites=5, k=3)
    if labels == "Int64":
        out["site"] = out["site"].str[1:].astype(int).astype("Int64")
        inp["site"] = inp["site"].str[1:].astype(int).astype("Int64")
    out["site"] = out["site"].astype(object if labels == "object" else "Int64")
    out.loc[4, "site"] = missing
    with pytest.raises(ik.ValidationError, match="rows 4 have no site") as ei:
        pf.evaluate(out, inp, by=["sector"])
    assert [p.path for p in ei.value.problems] == [("outcomes", "site")]


def test_a_row_without_a_site_does_not_hide_the_other_problems():
    out = pd.DataFrame(
        {
            "site": ["a", "a", None, "b", "c"],
            "outcome": ["x", "x", "y", "x", "x"],
            "quantity": 1.0,
            "proxy": 1.0,
            "sector": ["s", "t", "s", "s", "s"],
        }
    )
    inp = pd.DataFrame({"site": ["a"], "amount": [-5.0]})
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(out, inp, by=["sector"])
    codes = [p.code for p in ei.value.problems]
    assert codes == ["missing", "duplicate_key", "not_constant", "out_of_range", "no_inputs"]


@pytest.mark.filterwarnings("ignore")
def test_dask_local_cluster_equals_local():
    distributed = pytest.importorskip("distributed")
    out, inp = network(n_sites=1100, k=3)
    out = out.drop(columns="sector")
    local = pf.evaluate(out, inp)
    with (
        distributed.LocalCluster(
            n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        remote = pf.evaluate(out, inp, executor=client)
        mc_remote = pf.monte_carlo(out.iloc[:600], inp.iloc[:200], n=300, seed=1, executor=client)
    pd.testing.assert_frame_equal(local, remote)
    mc_local = pf.monte_carlo(out.iloc[:600], inp.iloc[:200], n=300, seed=1)
    np.testing.assert_array_equal(mc_local.ratio, mc_remote.ratio)


def test_an_input_without_a_site_is_reported_as_such():
    out, inp = network(n_sites=3, k=2)
    inp = pd.concat([inp, pd.DataFrame({"site": [None], "amount": [10.0]})], ignore_index=True)
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(out, inp, by=["sector"])
    assert [(p.code, p.message) for p in ei.value.problems] == [("missing", "rows 3 have no site")]
