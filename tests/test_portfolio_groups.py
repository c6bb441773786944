"""The federation tables computed from group codes equal pandas' groupby.

``aggregate`` and ``distribution`` take one hash of the group labels and
order statistics from one sort; the network's shares by stakeholder and payer
are sums by code. Each is checked here against the groupby a user would write,
on random tables with missing labels, one-site groups and ties.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit import portfolio as pf


def _sites(seed: int, n: int, k: int, *, missing: bool, text: str) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    labels = np.array([f"g{j}" for j in range(k)], dtype=object)
    group = labels[rng.integers(0, k, n)]
    if missing:
        group[rng.random(n) < 0.2] = None
    pv = rng.gamma(2.0, 1000.0, n)
    inputs = rng.gamma(2.0, 800.0, n) + 1.0
    ratio = np.round(pv / inputs, 1)  # ties within groups
    out = pd.DataFrame({"site": [f"s{i}" for i in range(n)], "group": group, "present_value": pv})
    out["group"] = out["group"].astype(text)
    out["total_inputs"] = inputs
    out["ratio"] = ratio
    return out


@settings(max_examples=40, deadline=None)
@given(
    seed=st.integers(0, 2**32 - 1),
    n=st.integers(1, 60),
    k=st.integers(1, 6),
    missing=st.booleans(),
    text=st.sampled_from(["str", "object"]),
)
def test_aggregate_and_distribution_equal_groupby(
    seed: int, n: int, k: int, missing: bool, text: str
) -> None:
    res = _sites(seed, n, k, missing=missing, text=text)
    got = pf.aggregate(res, "group")
    g = res.groupby("group", sort=True, dropna=False)  # sites with no label: a group, last
    want = g.agg(
        sites=("ratio", "size"),
        present_value=("present_value", "sum"),
        total_inputs=("total_inputs", "sum"),
        mean_ratio=("ratio", "mean"),
        median_ratio=("ratio", "median"),
    ).reset_index()
    assert [str(x) for x in got["group"]] == [str(x) for x in want["group"]]
    assert got["sites"].tolist() == want["sites"].tolist()
    for c in ("present_value", "total_inputs", "mean_ratio", "median_ratio"):
        np.testing.assert_allclose(got[c], want[c], rtol=1e-12, atol=0)
    np.testing.assert_allclose(got["ratio"], want["present_value"] / want["total_inputs"])
    q = (5, 25, 50, 75, 95)
    dist = pf.distribution(res, by="group", percentiles=q)
    wq = pd.DataFrame({p: g["ratio"].quantile(p / 100) for p in q})
    assert [str(x) for x in dist["group"]] == [str(x) for x in wq.index]
    np.testing.assert_allclose(dist[[f"p{p}" for p in q]].to_numpy(), wq.to_numpy(), rtol=1e-12)


def test_quantiles_by_hand() -> None:
    res = pd.DataFrame(
        {
            "site": list("abcde"),
            "sector": ["x", "x", "x", "y", "y"],
            "ratio": [3.0, 1.0, 2.0, 4.0, 0.5],
            "present_value": [3.0, 1.0, 2.0, 4.0, 0.5],
            "total_inputs": [1.0] * 5,
        }
    )
    d = pf.distribution(res, by="sector", percentiles=(0, 25, 50, 100))
    # x: 1, 2, 3 -> p25 = 1 + 0.5 * (2 - 1); y: 0.5, 4 -> p25 = 0.5 + 0.25 * 3.5
    assert d.to_dict("list") == {
        "sector": ["x", "y"],
        "p0": [1.0, 0.5],
        "p25": [1.5, 1.375],
        "p50": [2.0, 2.25],
        "p100": [3.0, 4.0],
    }
    a = pf.aggregate(res, "sector")
    assert a["median_ratio"].tolist() == [2.0, 2.25]
    assert a["mean_ratio"].tolist() == [2.0, 2.25]


def test_categorical_and_several_keys_keep_the_groupby() -> None:
    res = _sites(3, 40, 3, missing=False, text="object")
    res["region"] = np.where(np.arange(40) % 2, "nord", "sud")
    several = pf.aggregate(res, ["group", "region"])
    assert len(several) == res.groupby(["group", "region"]).ngroups
    cat = res.assign(group=res["group"].astype("category"))
    np.testing.assert_allclose(
        pf.aggregate(cat, "group")["present_value"], pf.aggregate(res, "group")["present_value"]
    )


@pytest.mark.parametrize("seed", [0, 1])
def test_network_shares_equal_a_groupby_of_row_values(seed: int) -> None:
    out, inp = ik.examples.synthetic_network(60, seed=seed)
    out.loc[out.index[::7], "payer"] = None  # a payer not given counts under "-"
    a = pf.analyse_network(out, inp, discount=0.035)
    rows = pf.row_values(out.drop(columns=["sector", "region", "payer", "n"]), inp, discount=0.035)
    for table, key in (
        (a.by_stakeholder, rows["stakeholder"]),
        (a.by_payer, out["payer"].fillna("-").astype(str)),
    ):
        want = rows["present_value"].groupby(key.to_numpy()).sum()
        got = table.set_index("group")["present_value"]
        assert sorted(got.index) == sorted(str(x) for x in want.index)
        np.testing.assert_allclose(
            got.loc[[str(x) for x in want.index]], want.to_numpy(), rtol=1e-12
        )
        assert table["present_value"].is_monotonic_decreasing
        assert table["share"].sum() == pytest.approx(1.0)


def test_group_sums_are_exactly_rounded() -> None:
    from fractions import Fraction

    rng = np.random.default_rng(7)
    n = 2_000
    res = pd.DataFrame(
        {
            "site": np.arange(n),
            "sector": rng.choice(["a", "b", "c"], n),
            "present_value": rng.gamma(2.0, 1e5, n) * 10.0 ** rng.integers(-3, 4, n),
            "total_inputs": rng.gamma(2.0, 1e5, n),
        }
    )
    res["ratio"] = res["present_value"] / res["total_inputs"]
    got = pf.aggregate(res, "sector").set_index("sector")
    for s, part in res.groupby("sector"):
        for c in ("present_value", "total_inputs"):
            exact = float(sum(Fraction(x) for x in part[c]))
            assert got.loc[s, c] == exact
        assert got.loc[s, "mean_ratio"] == float(sum(Fraction(x) for x in part["ratio"])) / len(
            part
        )


def test_quantiles_take_the_fraction_within_the_group() -> None:
    res = pd.DataFrame({"sector": list("AAABB"), "ratio": [2.0, 2.0, 3.0, 1.0, 2.0]})
    d = pf.distribution(res, by="sector", percentiles=(5,))
    assert d["p5"].tolist() == [2.0, float(np.quantile([1.0, 2.0], 0.05))]  # 1.05 exactly
    inf = pd.DataFrame({"sector": ["A"] * 3, "ratio": [1.0, 2.0, np.inf]})
    assert pf.distribution(inf, by="sector", percentiles=(50,))["p50"].tolist() == [2.0]


@pytest.mark.parametrize("bad", [(150,), (-50,), (float("nan"),), ("50",)])
def test_percentiles_outside_0_100_are_refused(bad: tuple[object, ...]) -> None:
    res = pd.DataFrame({"sector": list("AAB"), "ratio": [1.0, 2.0, 3.0]})
    for by in (None, "sector"):
        with pytest.raises(ik.errors.ValidationError, match="percentiles"):
            pf.distribution(res, by=by, percentiles=bad)  # type: ignore[arg-type]


def test_a_measured_row_without_an_outcome_id_is_located() -> None:
    o = pd.DataFrame(
        {
            "site": list("aabb"),
            "outcome": ["job", None, "job", "home"],
            "quantity": [30, 10, 12, 5],
            "n": [40, 40, 30, 30],
            "proxy": [8000.0, 500.0] * 2,
            "label": ["Emploi", "Logement"] * 2,
        }
    )
    inp = pd.DataFrame({"site": ["a", "b"], "amount": [1.5e5, 9e4]})
    with pytest.raises(ik.errors.ValidationError, match=r"rows \[1\] give n but no outcome id"):
        pf.analyse_network(o, inp, discount=0.0)


def test_payers_that_read_the_same_are_one_group() -> None:
    o = pd.DataFrame(
        {
            "site": list("aabb"),
            "outcome": ["job", "home"] * 2,
            "quantity": [30, 10, 12, 5],
            "proxy": [8000.0, 500.0] * 2,
            "payer": pd.Series([1, "1", "1", 1], dtype=object),
        }
    )
    inp = pd.DataFrame({"site": ["a", "b"], "amount": [1.5e5, 9e4]})
    by_payer = pf.analyse_network(o, inp, discount=0.0).by_payer
    assert by_payer.to_dict("list") == {
        "group": ["1"],
        "present_value": [343500.0],
        "share": [1.0],
    }
