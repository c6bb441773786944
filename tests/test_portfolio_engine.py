"""The portfolio is a front end of the model engine: same numbers as ik.sroi / ik.monte_carlo."""

from __future__ import annotations

import concurrent.futures as cf

import attrs
import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import dist
from impactkit import portfolio as pf
from impactkit._fields import FIELD_RULES
from impactkit.model._valuemap import compile_model
from impactkit.uncertainty._monte_carlo import BLOCK, draw_block

INDEX = ik.valuation.PriceIndex({2019: 100.0, 2022: 108.0, 2024: 116.0})


def model(k: int, *, discount=0.035, t0=False, uncertain=True) -> ik.ImpactModel:
    """A model using every feature a portfolio row can carry."""
    rng = np.random.default_rng(k)
    q = float(rng.integers(10, 60))
    p = float(rng.integers(300, 3000))
    dw = float(rng.uniform(0.1, 0.4))
    outcomes = [
        ik.OutcomeValuation(
            outcome="a",
            stakeholder="participants",
            quantity=dist.Triangular(0.8 * q, q, 1.3 * q) if uncertain else q,
            proxy=ik.FinancialProxy(
                dist.LogNormal(p, 0.2 * p) if uncertain else p, year=2019 + 3 * (k % 2)
            ),
            deadweight=dist.Beta(dw, 0.05) if uncertain else dw,
            attribution=dist.Normal(0.2, 0.05, low=0.0, high=1.0) if uncertain else 0.2,
            leakage=0.05,
            drop_off=dist.PERT(0.0, 0.1, 0.3) if uncertain else 0.1,
            duration=int(rng.integers(2, 6)),
        ),
        ik.OutcomeValuation(
            outcome="b",
            stakeholder="families",
            quantity=float(rng.integers(5, 20)),
            proxy=float(rng.integers(1000, 4000)),
            displacement=dist.Uniform(0.0, 0.2) if uncertain else 0.1,
            drop_off=0.25,
            drop_off_method="linear",
            duration=3,
            start_year=2,
        ),
    ]
    return ik.ImpactModel(
        name=f"site {k}",
        base_year=2024,
        price_index=INDEX,
        discount=discount,
        first_flow_at="t0" if t0 else "t1",
        inputs=[
            ik.Input("grant", amount=float(rng.integers(20_000, 60_000))),
            ik.Input("year two", amount=5_000.0, year=2),
        ],
        outcomes=outcomes,
    )


def network(n=8, **kw):
    return {f"S{k}": model(k, t0=k % 3 == 0, **kw) for k in range(n)}


@pytest.mark.parametrize("discount", [0.035, ik.discount.GREEN_BOOK])
def test_from_models_point_values_equal_sroi(discount):
    models = {s: m.evolve(discount=discount) for s, m in network().items()}
    out, inp = pf.from_models(models)
    for c in ("price_factor", "price_year", "first_flow_at", "leakage", "start_year"):
        assert c in out.columns
    assert {"proxy_dist", "proxy_mean", "deadweight_dist", "drop_off_mode"} <= set(out.columns)
    res = pf.evaluate(out, inp, discount=discount).set_index("site")  # one for all sites
    for s, m in models.items():
        ref = ik.sroi(m)
        row = res.loc[s]
        assert row["present_value"] == pytest.approx(ref.present_value, rel=1e-12)
        assert row["total_inputs"] == pytest.approx(ref.total_inputs, rel=1e-12)
        assert row["ratio"] == pytest.approx(ref.ratio, rel=1e-12)
        assert row["payback_months"] == pytest.approx(ref.payback_months, rel=1e-12)


def test_from_models_monte_carlo_within_monte_carlo_error():
    models = network(4)
    out, inp = pf.from_models(models)
    n = 6000
    mc = pf.monte_carlo(out, inp, n=n, seed=3)
    for j, (s, m) in enumerate(models.items()):
        assert mc.sites[j] == s
        ref = ik.monte_carlo(m, n=n, seed=11)
        a, b = mc.ratio[:, j], ref.ratio
        se = np.sqrt(a.var() / n + b.var() / n)
        assert abs(a.mean() - b.mean()) < 4 * se
        assert a.std() == pytest.approx(b.std(), rel=0.1)  # same spread, not only the mean
        for q in (10, 50, 90):
            assert np.percentile(a, q) == pytest.approx(np.percentile(b, q), rel=0.03)


def test_spawned_children_give_different_draws():
    out, inp = pf.from_models(network(3))
    a, b = np.random.SeedSequence(5).spawn(2)
    ra = pf.monte_carlo(out, inp, n=300, seed=a).ratio
    rb = pf.monte_carlo(out, inp, n=300, seed=b).ratio
    assert not np.array_equal(ra, rb)
    again = np.random.SeedSequence(5).spawn(2)[0]
    np.testing.assert_array_equal(ra, pf.monte_carlo(out, inp, n=300, seed=again).ratio)


def test_draws_do_not_depend_on_chunks_or_executor():
    out, inp = pf.from_models(network(5))
    a = pf.monte_carlo(out, inp, n=700, seed=2)
    b = pf.monte_carlo(out, inp, n=700, seed=2, chunk_size=1000)
    with cf.ThreadPoolExecutor(2) as ex:
        c = pf.monte_carlo(out, inp, n=700, seed=2, chunk_size=300, executor=ex)
    np.testing.assert_array_equal(a.present_value, b.present_value)
    np.testing.assert_array_equal(a.present_value, c.present_value)


def test_certain_models_give_constant_draws():
    models = network(3, uncertain=False)
    out, inp = pf.from_models(models)
    assert not any(c.endswith("_dist") for c in out.columns)
    mc = pf.monte_carlo(out, inp, n=10, seed=0)
    for j, m in enumerate(models.values()):
        np.testing.assert_allclose(mc.ratio[:, j], ik.sroi(m).ratio, rtol=1e-12)


def test_distribution_columns_are_checked_row_by_row():
    out, inp = pf.from_models(network(3))
    bad = out.copy()
    bad.loc[0, "deadweight_sd"] = 0.6  # too wide for a Beta with this mean
    bad.loc[1, "proxy_dist"] = "cauchy"
    bad.loc[2, "quantity"] = 1.0  # not the mean of its triangular
    bad.loc[3, "leakage_low"] = 0.1  # a parameter without a distribution
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(bad, inp)
    text = str(ei.value)
    for part in ("sd too large", "rows 0", "cauchy", "mean of quantity_dist", "leakage_low"):
        assert part in text, part
    wide = out.copy()
    wide["deadweight_dist"] = "uniform"
    wide["deadweight_low"] = -0.1
    wide["deadweight_high"] = 0.5
    wide = wide.drop(columns=["deadweight_mean", "deadweight_sd"])
    wide["deadweight"] = np.nan
    with pytest.raises(ik.ValidationError, match=r"admissible range \[0, 1\]"):
        pf.evaluate(wide, inp)


def test_shorthand_triangular_keeps_its_meaning():
    out, inp = pf.from_models(network(3, uncertain=False))
    out["proxy_low"] = out["proxy"] * 0.9
    out["proxy_high"] = out["proxy"] * 1.1
    point = pf.evaluate(out, inp)
    plain = pf.evaluate(out.drop(columns=["proxy_low", "proxy_high"]), inp)
    pd.testing.assert_frame_equal(point, plain)
    mc = pf.monte_carlo(out, inp, n=4000, seed=1)
    assert np.allclose(mc.ratio.mean(axis=0), point["ratio"], rtol=0.01)


def test_from_models_refuses_what_tables_cannot_hold():
    models = network(2)
    models["S1"] = models["S1"].evolve(discount=0.05)
    models["S9"] = "not a model"
    with pytest.raises(ik.ValidationError) as ei:
        pf.from_models(models)
    assert "discount" in str(ei.value)
    assert "ImpactModel" in str(ei.value)
    m = model(0)
    unc = m.evolve(inputs=[ik.Input("grant", amount=dist.Uniform(1.0, 2.0))])
    with pytest.raises(ik.ValidationError, match="certain"):
        pf.from_models({"a": unc})


def test_one_field_table():
    schema = ik.io.json_schema()
    dw = schema["$defs"]["outcome"]["properties"]["deadweight"]["anyOf"][0]
    assert (dw["minimum"], dw["maximum"]) == (FIELD_RULES["deadweight"].low, 1)
    dur = schema["$defs"]["outcome"]["properties"]["duration"]["anyOf"][0]
    assert dur["maximum"] == FIELD_RULES["duration"].high
    with pytest.raises(ik.ValidationError, match=r"\[0, 1\]"):
        ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1, proxy=1, deadweight=1.2)
    assert not hasattr(pf, "FIELDS")
    assert not hasattr(pf, "_tri_ppf")


def test_monte_carlo_writes_the_draws_of_draw_block():
    """The engine places each draw where the layout-free draws put it: identical numbers."""
    m = model(1)
    vm = compile_model(m)
    idx = vm.uncertain
    n = BLOCK + 100
    mc = ik.monte_carlo(m, n=n, seed=4)
    root = np.random.SeedSequence(4)
    for b, (lo, hi) in enumerate([(0, BLOCK), (BLOCK, n)]):
        ref = vm.evaluate(idx, draw_block(vm, idx, root, b, hi - lo))
        np.testing.assert_array_equal(mc.present_value[lo:hi], ref.present_value)
        np.testing.assert_array_equal(mc.total_inputs[lo:hi], ref.total_inputs)


def test_payback_when_every_row_starts_in_year_one():
    """The shortcut for year-1 values (all rows start in year 1, durations >= 1)."""
    models = {
        s: m.evolve(outcomes=[attrs.evolve(o, start_year=1) for o in m.outcomes])
        for s, m in network(4, uncertain=False).items()
    }
    out, inp = pf.from_models(models)
    res = pf.evaluate(out, inp).set_index("site")
    for s, m in models.items():
        ref = ik.sroi(m)
        assert res.loc[s, "payback_months"] == pytest.approx(ref.payback_months, rel=1e-12)
        assert res.loc[s, "ratio"] == pytest.approx(ref.ratio, rel=1e-12)
