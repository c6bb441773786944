"""Cost-benefit, cost-effectiveness, avoided costs, outcomes contracts, profiles, comparison."""

from __future__ import annotations

import itertools

import attrs
import numpy as np
import numpy_financial as npf
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import impactkit as ik
from impactkit import methods as M

from strategies import synthetic_model


def test_irr_fixture_and_moic():
    assert M.irr([-1_000_000, 0, 400_000, 800_000]) == pytest.approx(0.07097, abs=1e-5)


amounts = st.one_of(st.just(0.0), st.floats(1e-3, 1e6))  # no subnormal flows
conventional = st.tuples(st.floats(1, 1e6), st.lists(amounts, min_size=1, max_size=12))


@given(conventional)
def test_irr_agrees_with_numpy_financial(flows):
    first, rest = flows
    assume(sum(rest) > 1e-6 * first)
    cf = [-first, *rest]
    with np.errstate(all="ignore"):
        ref = npf.irr(cf)
    assume(np.isfinite(ref) and ref > -0.9999)  # impactkit searches rates above -99.99 %
    ours = M.irr(cf)
    assert ours == pytest.approx(ref, rel=1e-6, abs=1e-8)
    assert M.npv(cf, ours) == pytest.approx(0.0, abs=1e-6 * first)


def test_irr_errors_never_nan():
    with pytest.raises(ik.ValidationError, match="never change sign"):
        M.irr([100, 50, 20])
    with pytest.raises(ik.ValidationError, match="more than once"):
        M.irr([-100, 230, -132])  # roots at 10 % and 20 %
    roots = M.irr_roots([-100, 230, -132])
    assert roots == [pytest.approx(0.1), pytest.approx(0.2)]


def test_high_irr_found_by_widening():
    r = M.irr([-1, 100])
    assert r == pytest.approx(99.0)


@given(
    st.lists(st.floats(-1e5, 1e5), min_size=2, max_size=10), st.floats(0, 0.5), st.floats(0, 0.5)
)
def test_npv_matches_numpy_financial_and_decreases_for_conventional(cf, r1, r2):
    assert M.npv(cf, r1) == pytest.approx(npf.npv(r1, cf), rel=1e-9, abs=1e-6)
    conv = [-abs(cf[0]) - 1, *[abs(x) for x in cf[1:]]]
    lo, hi = sorted((r1, r2))
    assert M.npv(conv, hi) <= M.npv(conv, lo) + 1e-9


def test_mirr_and_xirr():
    assert M.mirr([-100, 50, 60], finance_rate=0.1, reinvest_rate=0.12) == pytest.approx(
        npf.mirr([-100, 50, 60], 0.1, 0.12)
    )
    assert M.xirr([-1000, 1100], ["2024-01-01", "2024-12-31"]) == pytest.approx(0.1)
    assert M.xnpv(0.1, [-1000, 1100], dates=["2024-01-01", "2024-12-31"]) == pytest.approx(
        0.0, abs=1e-9
    )


def test_discount_schedule_in_npv():
    assert M.npv([0, 100], ik.discount.GREEN_BOOK) == pytest.approx(100 / 1.035)


def test_cba_perspectives_and_transfers():
    flows = pd.DataFrame(
        [
            (0, 1000.0, "cost", "etat", False, "programme"),
            (1, 600.0, "benefit", "beneficiaries", False, "earnings"),
            (1, 300.0, "benefit", "securite_sociale", True, "benefits not paid"),
            (1, 300.0, "cost", "beneficiaries", True, "benefits not received"),
            (2, 600.0, "benefit", "beneficiaries", False, "earnings"),
        ],
        columns=["year", "amount", "kind", "perspective", "transfer", "label"],
    )
    soc = M.cba(flows, 0.0)
    assert soc.npv == pytest.approx(200.0)
    assert soc.bcr == pytest.approx(1.2)
    pub = M.cba(flows, 0.0, perspective="public")
    assert pub.pv_costs == 1000.0
    assert pub.pv_benefits == 300.0
    assert soc.irr is not None
    assert soc.discounted_payback == pytest.approx(1 + 400 / 600)
    table = soc.by_perspective.set_index("perspective")
    assert table.loc["beneficiaries", "pv_costs"] == 300.0


def test_cba_bad_rows_listed():
    bad = pd.DataFrame(
        {
            "year": [0, 1.5],
            "amount": [1.0, np.nan],
            "kind": ["cost", "gift"],
            "perspective": ["etat", "mars"],
        }
    )
    with pytest.raises(ik.ValidationError) as ei:
        M.cba(bad)
    assert set(ei.value.paths) == {
        "flows[1].year",
        "flows[1].amount",
        "flows[1].kind",
        "flows[1].perspective",
    }


def test_cea_frontier_reference():
    df = pd.DataFrame(
        {"name": list("ABCDE"), "cost": [100, 200, 250, 400, 300], "effect": [10, 12, 18, 20, 15]}
    )
    out = M.cea_frontier(df, wtp=30).set_index("name")
    assert out.loc["E", "dominated"] == "strong"  # C is cheaper-per... dearer? C: 250, 18
    assert out.loc["B", "dominated"] == "extended"
    assert out.loc["A", "dominated"] is None
    assert out.loc["C", "icer"] == pytest.approx(18.75)
    assert out.loc["D", "icer"] == pytest.approx(75.0)
    assert out.loc["A", "icer"] is None
    assert bool(out.loc["C", "optimal"])


@given(
    st.lists(st.tuples(st.floats(0, 1000), st.floats(0, 100)), min_size=1, max_size=8, unique=True)
)
def test_dominance_removal_is_idempotent(opts):
    """Removing dominated options leaves a frontier that removes nothing more."""
    df = pd.DataFrame(
        {
            "name": [f"o{i}" for i in range(len(opts))],
            "cost": [o[0] for o in opts],
            "effect": [o[1] for o in opts],
        }
    )
    effects = sorted({o[1] for o in opts})
    # two effects a subnormal apart have no finite ICER: refused, tested below
    assume(all(b - a > 1e-300 for a, b in itertools.pairwise(effects)))
    out = M.cea_frontier(df)
    frontier = out[out["dominated"].isna()][["name", "cost", "effect"]]
    again = M.cea_frontier(frontier)
    assert again["dominated"].isna().all()
    icers = [x for x in again.sort_values(["effect", "cost"])["icer"] if x is not None]
    assert all(b >= a - 1e-9 for a, b in itertools.pairwise(icers))


def test_cost_per_outcome_icer_nmb_wellby():
    r = M.cost_per_outcome(100_000, 50, deadweight=0.6)
    assert (r.gross, r.net) == (2000.0, 5000.0)
    assert M.icer(cost_a=150, effect_a=12, cost_b=100, effect_b=10) == 25.0
    with pytest.raises(ik.ValidationError):
        M.icer(cost_a=1, effect_a=1, cost_b=2, effect_b=1)
    assert M.net_monetary_benefit(1000, 0.1, wtp=ik.valuation.QALY_GREEN_BOOK_2022) == 6000.0
    w = M.wellbys([0.5, 0.5], 100, discount=0.035)
    assert w == pytest.approx(50 / 1.035 + 50 / 1.035**2)
    assert M.cost_per_wellby(10_000, w) == pytest.approx(10_000 / w)


def catalogue():
    return {
        "shelter": ik.valuation.UnitCost(
            "shelter",
            "Emergency shelter night",
            30.0,
            "night",
            "etat",
            2022,
            "illustrative",
            covers="shelter",
        ),
        "shelter_dept": ik.valuation.UnitCost(
            "shelter_dept",
            "Shelter night (département)",
            30.0,
            "night",
            "departement",
            2024,
            "illustrative",
            covers="shelter",
        ),
        "hospital": ik.valuation.UnitCost(
            "hospital",
            "Hospital day",
            1300.0,
            "day",
            "securite_sociale",
            2024,
            "illustrative",
            basis="average",
        ),
        "rsa": ik.valuation.UnitCost(
            "rsa", "RSA month", 600.0, "month", "departement", 2024, "illustrative", transfer=True
        ),
    }


def test_avoided_costs_kernel_and_roi():
    idx = ik.PriceIndex({2022: 100.0, 2024: 110.0})
    items = [
        M.AvoidedCostItem("shelter", people=10, reduction=50, duration=2, drop_off=0.5),
        M.AvoidedCostItem("hospital", people=5, reduction=2),
        M.AvoidedCostItem("rsa", people=4, reduction=12),
    ]
    r = M.avoided_costs(
        items,
        catalogue(),
        public_funding=[20_000],
        discount=0.0,
        base_year=2024,
        price_index=idx,
        extra_revenue=1000,
    )
    shelter = 10 * 50 * 33.0 * (1 + 0.5)
    expected = shelter + 5 * 2 * 1300 + 4 * 12 * 600 + 2 * 1000
    assert r.present_value == pytest.approx(expected)
    assert r.public_roi == pytest.approx(expected / 20_000)
    assert r.transfers == pytest.approx(4 * 12 * 600)
    assert [w.code for w in r.warnings] == ["average_cost"]
    assert r.by_payer.set_index("payer").loc["etat", "present_value"] == pytest.approx(shelter)


def test_avoided_costs_guards():
    with pytest.raises(ik.ValidationError) as ei:
        M.avoided_costs(
            [
                M.AvoidedCostItem("shelter", people=1, reduction=1),
                M.AvoidedCostItem("shelter_dept", people=1, reduction=1),
                M.AvoidedCostItem("ghost", people=1, reduction=1),
            ],
            catalogue(),
            base_year=2024,
        )
    codes = {p.code for p in ei.value.problems}
    assert {"double_count", "unknown_cost", "price_year"} <= codes


def test_catalogue_from_frame():
    df = pd.DataFrame(
        [
            {
                "key": "a",
                "label": "A",
                "cost": 10.0,
                "unit": "day",
                "payer": "etat",
                "price_year": 2024,
                "source": "s",
            },
            {
                "key": "a",
                "label": "A2",
                "cost": -1.0,
                "unit": "day",
                "payer": "mairie",
                "price_year": 2024,
                "source": "s",
            },
        ]
    )
    with pytest.raises(ik.ValidationError) as ei:
        ik.valuation.UnitCost.catalogue(df)
    assert {"catalogue[1].cost", "catalogue[1].payer"} <= set(ei.value.paths)


def test_outcomes_contract_fixture_and_rules():
    c = M.OutcomesContract(
        rules=[
            M.PaymentRule("jobs", price=4_000, period=2),
            M.PaymentRule("housing", price=8_000, period=3),
        ],
        drawdowns=[1_000_000],
        avoided_cost_per_outcome={"jobs": 9000},
    )
    r = c.settle({"jobs": 100, "housing": 100})
    assert r.irr == pytest.approx(0.07097, abs=1e-5)
    assert r.moic == pytest.approx(1.2)
    assert r.payer_cost == 1_200_000
    assert r.cost_per_outcome["jobs"] == 4000
    assert r.payer_net == pytest.approx(900_000 - 1_200_000)
    rule = M.PaymentRule("x", price=10, period=1, threshold=5, counted="above", cap=30)
    np.testing.assert_allclose(rule.pay(np.array([4, 5, 7, 100])), [0, 0, 20, 30])


def test_outcomes_contract_simulation():
    c = M.OutcomesContract(
        rules=[M.PaymentRule("jobs", price=10_000, period=2, threshold=60)],
        drawdowns=[500_000, 100_000],
        payer_cap=1_000_000,
    )
    sim = c.simulate({"jobs": ik.dist.Triangular(40, 70, 90)}, n=20_000, seed=1)
    assert 0.2 < sim.probability_of_loss < 0.5
    lost = sim.moic == 0
    assert np.all(sim.irr[lost] == -1.0)
    ok = ~lost
    flows = c._flows(sim.achieved.to_numpy()[ok][:5])[1]
    for f, r in zip(flows, sim.irr[ok][:5], strict=True):
        assert r == pytest.approx(M.irr(f), abs=1e-8)
    assert sim.expected_payer_cost <= 1_000_000
    assert list(sim.irr_percentiles().index) == [5, 50, 95]


def test_impact_profiles_and_abc():
    m = synthetic_model()
    neg = ik.OutcomeValuation(outcome="harm", stakeholder="x", quantity=5, proxy=-100)
    m = m.evolve(outcomes=[*m.outcomes, neg])
    t = M.impact_profiles(
        m,
        underserved={"participants": True},
        risks={"a": {"evidence": "low", "drop_off": "medium"}, "b": {"execution": "high"}},
    ).set_index("outcome")
    assert t.loc["a", "contribution"] == pytest.approx(0.8 * 0.9)
    assert t.loc["a", "abc"] == "C"
    assert t.loc["b", "abc"] == "B"  # families not marked underserved, high risk
    assert t.loc["harm", "abc"] == "A"
    lenient = M.ABCRules(require_underserved=False, max_risk="high", min_contribution=0.3)
    t2 = M.impact_profiles(m, rules=lenient).set_index("outcome")
    assert t2.loc["b", "abc"] == "C"
    with pytest.raises(ik.ValidationError):
        M.ImpactProfile("o", "s", True, 1, 1, 1, 1, risks={"weather": "low"})


@pytest.mark.parametrize(
    ("levels", "mean"),
    [
        (("low", "medium"), "medium"),  # a tie goes to the higher risk
        (("medium", "high"), "high"),
        (("low", "low", "high"), "medium"),
        (("low", "low", "low", "high"), "medium"),
        (("low", "low", "low", "medium"), "low"),
    ],
)
def test_mean_risk_level_rounds_ties_to_the_higher_risk(levels, mean):
    """Ties used to round to even: low+medium gave low but medium+high gave high."""
    names = ("evidence", "drop_off", "execution", "external")
    p = M.ImpactProfile("o", "s", True, 1, 1, 1, 1, risks=dict(zip(names, levels, strict=False)))
    assert p.risk_level("mean") == mean
    assert p.risk_level() == max(levels, key=M.RISK_LEVELS.index)
    assert hash(p) == hash(attrs.evolve(p))  # a value: its risks are read-only
    with pytest.raises(ik.ValidationError):
        p.risk_level("median")


def test_compare_shapley_decomposition_adds_up():
    f = synthetic_model()
    a, _b = f.outcomes
    e = f.evolve(
        outcomes=[
            attrs.evolve(a, quantity=40, proxy=1200, deadweight=0.3, duration=2),
            ik.OutcomeValuation(outcome="new", stakeholder="s", quantity=1, proxy=500),
        ]
    )
    t = M.compare(f, e)
    parts = t[[c for c in t.columns if c.startswith("due_to_")]].sum(axis=1)
    np.testing.assert_allclose(
        parts[t["status"] == "matched"], t.loc[t["status"] == "matched", "difference"]
    )
    assert set(t["status"]) == {"matched", "forecast only", "evaluation only"}
    assert t["difference"].sum() == pytest.approx(
        ik.sroi(e).present_value - ik.sroi(f).present_value
    )
    assert (
        not t.drop(columns=[c for c in t.columns if c.endswith(("_forecast", "_evaluation"))])
        .isna()
        .any()
        .any()
    )


def test_cea_frontier_keeps_input_order_and_index():
    df = pd.DataFrame(
        {"name": list("DBCA"), "cost": [400, 200, 250, 100], "effect": [20, 12, 18, 10]},
        index=[10, 11, 12, 13],
    )
    out = M.cea_frontier(df)
    assert list(out["name"]) == list("DBCA")
    assert list(out.index) == [10, 11, 12, 13]
    assert list(out["dominated"]) == [None, "extended", None, None]
    assert out["icer"].tolist() == [75.0, None, 18.75, None]


@pytest.mark.parametrize(
    ("call", "bad"),
    [
        (lambda: M.cost_per_qaly(float("nan"), 1.0), "cost_pv"),
        (lambda: M.cost_per_qaly(1000.0, float("inf")), "qaly_pv"),
        (lambda: M.cost_per_wellby("1000", 2.0), "cost_pv"),
        (lambda: M.net_monetary_benefit(1.0, float("nan"), wtp=30_000), "effect"),
        (lambda: M.net_monetary_benefit(-1e308, 1e308, wtp=1e308), "net_monetary_benefit"),
        (lambda: M.cost_per_qaly(1e308, 1e-308), "cost_per_qaly"),
    ],
)
def test_cost_effectiveness_helpers_never_return_nan_or_inf(call, bad):
    with pytest.raises(ik.ValidationError) as ei:
        call()
    assert bad in {p.path[0] for p in ei.value.problems}


def test_a_cost_saving_programme_has_a_negative_cost_per_qaly():
    assert M.cost_per_qaly(-9_000.0, 1.5) == -6_000.0  # dominant: saves money and gains QALYs
    assert M.cost_per_qaly(np.array(9_000.0), np.float64(1.5)) == 6_000.0


def test_xirr_sees_a_root_where_the_npv_only_touches_zero():
    """NPV = -(y - 1/1.05)(y - 1/1.2)^2 with y = 1/(1+r): a simple root at 5 % and a
    double one at 20 %. The grid saw only the sign change at 5 % and returned it."""
    y1, y2 = 1 / 1.05, 1 / 1.2
    cf = [-1000 * y1 * y2**2, 1000 * (2 * y1 * y2 + y2**2), -1000 * (y1 + 2 * y2), 1000]
    dates = ["2021-01-01", "2022-01-01", "2023-01-01", "2024-01-01"]  # 365 days apart
    with pytest.raises(ik.ValidationError, match="3 internal rates") as ei:
        M.xirr(cf, dates)
    assert ei.value.problems[0].code == "multiple_irr"
    with pytest.raises(ik.ValidationError, match="2 internal rates"):
        M.xirr([-100, 220, -121], dates[:3])  # a double root alone
    # one sign change: one root, found as before (and equal to the yearly irr)
    assert M.xirr([-1000, 300, 400, 500], dates) == pytest.approx(M.irr([-1000, 300, 400, 500]))


def test_an_icer_beyond_the_range_of_numbers_is_refused_not_infinite():
    df = pd.DataFrame({"name": ["a", "b"], "cost": [0.0, 1.0], "effect": [0.0, 2.2e-311]})
    with pytest.raises(ik.ValidationError, match="beyond the range"):
        M.cea_frontier(df)
