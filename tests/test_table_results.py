"""Sobol indices, funnels and shrinkage are results with fields, not tables with ``attrs``;
portfolio tables carry no discount: it is always the caller's ``discount=``."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import impactkit as ik
from impactkit import portfolio as pf


def _linear(x):
    return x[:, 0] + 2 * x[:, 1]


UNIFORMS = {"a": ik.dist.Uniform(0, 1), "b": ik.dist.Uniform(0, 1)}


def test_sobol_indices_is_a_result_whose_entropy_repeats_the_run():
    first = ik.uncertainty.sobol_indices(_linear, UNIFORMS, n=128, n_bootstrap=20, level=0.9)
    assert isinstance(first, ik.uncertainty.SobolResult)
    assert (first.n, first.n_bootstrap, first.level) == (128, 20, 0.9)
    assert isinstance(first.seed_entropy, int)
    again = ik.uncertainty.sobol_indices(
        _linear, UNIFORMS, n=128, n_bootstrap=20, level=0.9, seed=first.seed_entropy
    )
    pd.testing.assert_frame_equal(first.indices, again.indices)
    assert first.indices.attrs == {}
    pd.testing.assert_frame_equal(first.to_frame(), first.indices)
    d = first.to_dict()
    assert [r["input"] for r in d["indices"]] == ["a", "b"]
    assert d["seed_entropy"] == first.seed_entropy
    json.dumps(d, allow_nan=False)


def test_sobol_of_a_model_is_a_result():
    m = ik.ImpactModel(
        name="m",
        inputs=[ik.Input("grant", amount=200_000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="o", stakeholder="s", quantity=ik.dist.Uniform(4, 8), proxy=45_000
            )
        ],
    )
    s = ik.uncertainty.sobol(m, n=64, seed=3, n_bootstrap=10)
    assert isinstance(s, ik.uncertainty.SobolResult)
    assert s.seed_entropy == 3
    assert list(s.indices.index) == ["outcomes[0].quantity"]


def test_funnel_is_a_result_with_its_target_and_overdispersion():
    rng = np.random.default_rng(1)
    n = np.full(50, 400.0)
    p = np.clip(rng.normal(0.3, 0.08, 50), 0.01, 0.99)
    df = pd.DataFrame({"site": [f"s{i}" for i in range(50)], "rate": rng.binomial(400, p) / n})
    df["n"] = n
    f = pf.funnel(df, value="rate", n="n", site="site", overdispersion=True, levels=(0.998, 0.9))
    assert isinstance(f, pf.FunnelResult)
    assert f.target == pytest.approx(float(np.sum(df.rate * n) / n.sum()))
    assert f.phi > 1
    assert (f.kind, f.levels) == ("proportion", (0.9, 0.998))
    assert f.table.attrs == {}
    assert f.to_frame()["target"].iloc[0] == pytest.approx(f.target)
    d = f.to_dict()
    assert d["phi"] == pytest.approx(f.phi)
    assert d["levels"] == [0.9, 0.998]
    assert [r["site"] for r in d["table"]] == df["site"].tolist()


def test_shrink_is_a_result_whose_entropy_repeats_the_ranks():
    est = pd.Series([0.1, 0.4, 0.35, 0.8, 0.55], index=list("abcde"))
    se = [0.1, 0.2, 0.15, 0.3, 0.1]
    r = pf.shrink(est, se, n_draws=300)
    assert isinstance(r, pf.ShrinkageResult)
    assert isinstance(r.seed_entropy, int)
    assert (r.n_draws, r.level) == (300, 0.95)
    assert r.tau2 == pytest.approx(pf.dersimonian_laird(est.to_numpy(), np.array(se)))
    again = pf.shrink(est, se, n_draws=300, seed=r.seed_entropy)
    pd.testing.assert_frame_equal(r.table, again.table)
    assert r.table.attrs == {}
    assert [x["site"] for x in r.to_dict()["table"]] == list("abcde")
    point = pf.shrink(est, se, n_draws=0, seed=0)
    assert point.seed_entropy is None
    assert "rank_low" not in point.table


def test_the_network_funnels_keep_their_overdispersion():
    outcomes, inputs = ik.examples.synthetic_network(40, seed=0)
    a = pf.analyse_network(outcomes, inputs)
    assert a.funnels
    for f in a.funnels.values():
        assert isinstance(f, pf.FunnelResult)
        assert "shrunk" in f.table.columns
        assert f.levels == (0.95, 0.998)
        assert np.isfinite(f.phi)
        assert f.phi > 0


def _models(rate):
    m = ik.ImpactModel(
        name="a",
        discount=rate,
        inputs=[ik.Input("grant", amount=10_000)],
        outcomes=[
            ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=20, proxy=1_000, duration=4)
        ],
    )
    return {"a": m, "b": m.evolve(name="b")}


def test_portfolio_tables_carry_no_discount():
    """The discount is the caller's: the same tables give the same numbers in every function."""
    models = _models(0.06)
    out, inp = pf.from_models(models)
    assert out.attrs == {}
    assert inp.attrs == {}
    plain = pf.evaluate(out, inp)
    assert plain.attrs == {}
    pd.testing.assert_frame_equal(plain, pf.evaluate(out, inp, discount=0.035))
    rows = pf.row_values(out, inp)
    assert rows["present_value"].sum() == pytest.approx(plain["present_value"].sum(), rel=1e-12)
    given = pf.evaluate(out, inp, discount=models["a"].discount).set_index("site")
    for s, m in models.items():
        assert given.loc[s, "ratio"] == pytest.approx(ik.sroi(m).ratio, rel=1e-12)
    assert given.loc["a", "ratio"] < plain.set_index("site").loc["a", "ratio"]
