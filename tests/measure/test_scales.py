"""Scales, reliability and reliable change against hand computation, a published
worked example, an independent factor-analysis fit, and properties."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.decomposition import FactorAnalysis

import impactkit as ik
from impactkit import measure
from impactkit.errors import ValidationError

# Denis, D. J. (2021). Applied Univariate, Bivariate, and Multivariate Statistics
# (2nd ed., Wiley), chapter on reliability: five items, ten respondents; SPSS
# reports Cronbach's alpha 0.633, item means 7.3 / 8.8 / 9.1 / 9.4 / 7.0 and
# standard deviations 2.71006 / 5.05085 / 4.74810 / 2.71621 / 3.80058.
DENIS = pd.DataFrame(
    {
        "Item_1": [10, 12, 8, 6, 4, 6, 3, 7, 8, 9],
        "Item_2": [12, 18, 16, 8, 7, 6, 4, 3, 9, 5],
        "Item_3": [15, 12, 14, 16, 8, 3, 6, 7, 4, 6],
        "Item_4": [11, 12, 14, 8, 7, 7, 5, 9, 10, 11],
        "Item_5": [12, 1, 4, 6, 5, 3, 8, 9, 10, 12],
    }
)


def alpha_by_covariance(x: np.ndarray) -> float:
    """Alpha from the covariance matrix: k/(k-1) (1 - tr C / sum C)."""
    c = np.cov(x, rowvar=False)
    k = c.shape[0]
    return k / (k - 1) * (1 - np.trace(c) / c.sum())


def test_alpha_reproduces_published_worked_example():
    r = measure.cronbach_alpha(DENIS)
    assert round(r.value, 3) == 0.633
    assert (r.n, r.missing, r.k) == (10, 0, 5)
    table = r.to_frame()
    assert table["mean"].tolist() == pytest.approx([7.3, 8.8, 9.1, 9.4, 7.0])
    assert table["sd"].tolist() == pytest.approx(
        [2.71006, 5.05085, 4.74810, 2.71621, 3.80058], abs=1e-5
    )


def test_alpha_formula_and_complete_cases():
    rng = np.random.default_rng(3)
    f = rng.normal(size=200)
    x = np.column_stack([f + rng.normal(size=200) for _ in range(6)])
    df = pd.DataFrame(x, columns=list("abcdef"))
    df.iloc[[3, 17, 40], [0, 2, 5]] = np.nan
    r = measure.cronbach_alpha(df)
    complete = df.dropna().to_numpy()
    assert r.value == pytest.approx(alpha_by_covariance(complete), rel=1e-12)
    assert (r.n, r.missing) == (197, 3)


def test_item_total_correlations_by_hand():
    df = pd.DataFrame({"a": [1, 2, 3, 4, 5], "b": [2, 1, 4, 3, 5], "c": [1, 1, 2, 2, 4]})
    t = measure.item_total_correlations(df)
    rest = df["b"] + df["c"]
    assert t.loc[0, "item_total_r"] == pytest.approx(np.corrcoef(df["a"], rest)[0, 1])
    assert t.loc[0, "alpha_if_deleted"] == pytest.approx(
        alpha_by_covariance(df[["b", "c"]].to_numpy())
    )


def test_omega_agrees_with_an_independent_ml_factor_fit():
    rng = np.random.default_rng(11)
    n = 2000
    f = rng.normal(size=n)
    lam = np.array([0.9, 0.7, 0.5, 0.8, 0.6])
    x = f[:, None] * lam + rng.normal(size=(n, 5)) * np.array([0.5, 0.8, 1.0, 0.6, 0.9])
    df = pd.DataFrame(x, columns=[f"q{i}" for i in range(5)])
    r = measure.mcdonald_omega(df)
    fa = FactorAnalysis(n_components=1, tol=1e-12, max_iter=100_000).fit(x)
    lam_ref = np.abs(fa.components_[0])
    omega_ref = lam_ref.sum() ** 2 / (lam_ref.sum() ** 2 + fa.noise_variance_.sum())
    assert r.value == pytest.approx(omega_ref, abs=2e-4)
    assert r.to_frame()["loading"].to_numpy() == pytest.approx(lam_ref, rel=5e-3)


def test_scale_scoring_by_hand_with_reverse_and_prorating():
    df = pd.DataFrame(
        {
            "q1": [4, 1, None, None],
            "q2": [1, 4, 2, None],
            "q3": [3, 3, None, 2],
            "q4": [2, 2, 2, 2],
        }
    )
    s = measure.Scale(
        items=["q1", "q2", "q3", "q4"],
        reverse=["q2"],
        low=1,
        high=4,
        scoring="sum",
        min_answered=3,
    )
    # row 0: 4 + (5-1) + 3 + 2 = 13; row 1: 1 + 1 + 3 + 2 = 7
    # row 2: q2 reversed 3, q4 2 -> 2 answered < 3: missing; row 3: 2 answered: missing
    got = s.score(df)
    assert got.iloc[:2].tolist() == [13.0, 7.0]
    assert got.iloc[2:].isna().all()
    s2 = measure.Scale(
        items=["q1", "q2", "q3", "q4"],
        reverse=["q2"],
        low=1,
        high=4,
        scoring="sum",
        min_answered=2,
    )
    # row 2 prorated: mean(3, 2) * 4 = 10
    assert s2.score(df).iloc[2] == pytest.approx(10.0)
    s3 = attrs_evolve(s2, scoring="mean")
    assert s3.score(df).iloc[0] == pytest.approx(13 / 4)


def attrs_evolve(s: measure.Scale, **kw):
    import attrs

    return attrs.evolve(s, **kw)


def test_scale_rejects_bad_definitions_all_at_once():
    with pytest.raises(ValidationError) as exc:
        measure.Scale(items=["a", "a"], reverse=["z"], low=5, high=1, scoring="median")
    codes = {p.code for p in exc.value.problems}
    assert {"duplicate", "unknown_item", "out_of_range", "invalid_choice"} <= codes


def test_scale_values_out_of_range_name_the_column():
    s = measure.Scale(items=["a", "b"], low=1, high=4)
    with pytest.raises(ValidationError, match="'b'") as exc:
        s.score(pd.DataFrame({"a": [1, 2], "b": [3, 7]}))
    assert exc.value.problems[0].location == "items[1]"


def test_scale_round_trips_through_its_file_form():
    s = measure.Scale(
        items=["a", "b", "c"],
        reverse=["b"],
        low=0,
        high=3,
        scoring="sum",
        min_answered=2,
        name="rses",
    )
    assert measure.Scale.from_dict(json.loads(json.dumps(s.to_dict()))) == s
    with pytest.raises(ValidationError, match="unknown"):
        measure.Scale.from_dict({"items": ["a"], "revers": ["a"]})


@given(st.lists(st.integers(1, 5), min_size=3, max_size=3), st.sampled_from(["mean", "sum"]))
def test_reversing_twice_is_identity(values, scoring):
    df = pd.DataFrame({"a": [values[0]], "b": [values[1]], "c": [values[2]]})
    s = measure.Scale(items=["a", "b", "c"], reverse=["a", "c"], low=1, high=5, scoring=scoring)
    once = s.item_values(df)
    twice = s.item_values(once)
    assert twice.to_numpy().tolist() == df.astype(float).to_numpy().tolist()


@settings(max_examples=30)
@given(st.integers(0, 10_000), st.permutations(range(4)))
def test_alpha_invariant_to_item_order(seed, order):
    rng = np.random.default_rng(seed)
    f = rng.normal(size=30)
    df = pd.DataFrame({f"x{i}": f + rng.normal(size=30) for i in range(4)})
    a = measure.cronbach_alpha(df).value
    b = measure.cronbach_alpha(df.iloc[:, list(order)]).value
    assert a == pytest.approx(b, rel=1e-12, abs=1e-12)


# -- calculators with a scale -------------------------------------------------


def _two_waves() -> tuple[pd.DataFrame, measure.Scale]:
    df = pd.DataFrame(
        {
            "q1_t0": [1, 2, 2, 3, None, 1],
            "q2_t0": [4, 3, 3, 2, 2, 4],
            "q3_t0": [1, 2, 1, 3, 1, None],
            "q1_t1": [3, 2, 4, 3, 3, 2],
            "q2_t1": [2, 3, 1, 2, 1, None],
            "q3_t1": [3, 2, 4, 3, 4, None],
        }
    )
    s = measure.Scale(
        items=["q1", "q2", "q3"], reverse=["q2"], low=1, high=4, scoring="sum", min_answered=2
    )
    return df, s


def test_prepost_with_a_scale_by_hand():
    df, s = _two_waves()
    r = measure.PrePost(baseline="t0", followup="t1", min_change=2, measure=s).compute(df)
    # reversed q2 = 5 - q2. Baseline sums: [3, 6, 5, 9, prorated mean(3,1)*3=6, mean(1,1)*3=3]
    # follow-up: [9, 6, 12, 9, 11, only q1 answered -> missing]
    t0 = np.array([3, 6, 5, 9, 6])
    t1 = np.array([9, 6, 12, 9, 11])
    d = t1 - t0
    assert (r.n, r.missing) == (5, 1)
    assert r.quantity == float((d >= 2).sum())
    assert r.mean_change == pytest.approx(d.mean())
    assert r.reliability is not None
    assert "alpha=" in r.describe()


def test_threshold_and_distance_travelled_accept_a_scale():
    df, s = _two_waves()
    t = measure.Threshold(column="t1", at_least=9, measure=s).compute(df)
    assert (t.quantity, t.n, t.missing) == (4.0, 5, 1)
    d = measure.DistanceTravelled(measure=s, min_change=3).compute(df)
    assert (d.n, d.missing) == (5, 1)
    assert d.quantity == 3.0  # changes 6, 0, 7, 0, 5
    assert d.by["domain"].tolist() == ["q1", "q2", "q3"]


def test_scale_in_a_model_file_round_trips(tmp_path):
    _, s = _two_waves()
    model = ik.examples.load_example()
    row = model.outcomes[0]
    calc = measure.PrePost(baseline="t0", followup="t1", measure=s, data="survey")
    m2 = model.evolve(
        outcomes=[
            row.evolve(quantity=calc)
            if hasattr(row, "evolve")
            else __import__("attrs").evolve(row, quantity=calc),
            *model.outcomes[1:],
        ]
    )
    path = tmp_path / "m.json"
    ik.dump(m2, path)
    back = ik.load(path)
    assert back.outcomes[0].quantity == calc


# -- reliable change -------------------------------------------------------------


def _rci_counts(pre, post, r, sd, z=1.96, sign=1.0):
    sdiff = math.sqrt(2 * (sd * math.sqrt(1 - r)) ** 2)
    rci = sign * (np.asarray(post) - np.asarray(pre)) / sdiff
    return int((rci > z).sum()), int((np.abs(rci) <= z).sum()), int((rci < -z).sum())


def test_reliable_change_counts_against_the_formula():
    rng = np.random.default_rng(5)
    pre = rng.normal(20, 5, size=300)
    post = pre + rng.normal(3, 6, size=300)
    df = pd.DataFrame({"pre": pre, "post": post})
    df.loc[[4, 9], "post"] = np.nan
    r = measure.ReliableChange(baseline="pre", followup="post", reliability=0.85, sd=5.0).compute(
        df
    )
    ok = df.dropna()
    imp, unch, det = _rci_counts(ok["pre"], ok["post"], 0.85, 5.0)
    assert (r.improved, r.unchanged, r.deteriorated) == (imp, unch, det)
    assert r.quantity == imp
    assert (r.n, r.missing) == (298, 2)
    down = measure.ReliableChange(
        baseline="pre", followup="post", reliability=0.85, sd=5.0, direction="decrease"
    ).compute(df)
    assert (down.improved, down.deteriorated) == (det, imp)


def test_reliable_change_default_sd_is_the_pre_sample_sd():
    df = pd.DataFrame({"pre": [10.0, 14, 18, 12, 16], "post": [16.0, 15, 30, 12, 10]})
    r = measure.ReliableChange(baseline="pre", followup="post", reliability=0.7).compute(df)
    sd = df["pre"].std(ddof=1)
    assert r.s_diff == pytest.approx(math.sqrt(2) * sd * math.sqrt(0.3))
    assert (r.improved, r.unchanged, r.deteriorated) == _rci_counts(df.pre, df.post, 0.7, sd)


def test_clinical_cutoff_and_recovery_by_hand():
    # c = (s0 M1 + s1 M0) / (s0 + s1) = (4*20 + 6*32) / 10 = 27.2
    rc = measure.ReliableChange(
        baseline="pre",
        followup="post",
        reliability=0.9,
        sd=5.0,
        functional_mean=32,
        functional_sd=4,
        dysfunctional_mean=20,
        dysfunctional_sd=6,
    )
    assert rc.clinical_cutoff == pytest.approx(27.2)
    df = pd.DataFrame({"pre": [18, 20, 26, 30, 22], "post": [30, 25, 33, 36, 26]})
    r = rc.compute(df)
    # S_diff = sqrt(2) * 5 * sqrt(0.1) = 2.236; reliable when change > 4.38
    # changes 12, 5, 7, 6, 4 -> improved 4; recovered: started <= 27.2 and ended > 27.2:
    # rows 0 (18->30) and 2 (26->33); row 1 ends at 25, row 3 started above c.
    assert r.improved == 4
    assert r.recovered == 2
    assert r.cutoff == pytest.approx(27.2)


def test_reliable_change_reliability_from_the_scale():
    df, s = _two_waves()
    r = measure.ReliableChange(baseline="t0", followup="t1", measure=s, sd=2.0).compute(df)
    items = s.item_values(df.iloc[:5], suffix="t0")
    alpha = measure.cronbach_alpha(items).value
    assert r.reliability == pytest.approx(alpha)
    assert r.s_diff == pytest.approx(math.sqrt(2) * 2.0 * math.sqrt(1 - alpha))


def test_reliable_change_bad_parameters_listed_together():
    with pytest.raises(ValidationError) as exc:
        measure.ReliableChange(
            baseline="a", followup="b", reliability=1.0, sd=-1, direction="up", functional_mean=3
        )
    paths = {p.location for p in exc.value.problems}
    assert {"reliability", "sd", "direction", "functional_sd"} <= paths


@settings(max_examples=40)
@given(st.floats(0.0, 0.98), st.floats(0.0, 0.98), st.integers(0, 1000))
def test_reliable_change_counts_monotone_in_reliability(r1, r2, seed):
    lo, hi = sorted((r1, r2))
    rng = np.random.default_rng(seed)
    df = pd.DataFrame({"pre": rng.normal(size=50)})
    df["post"] = df["pre"] + rng.normal(0.5, 1, size=50)
    a = measure.ReliableChange(baseline="pre", followup="post", reliability=lo, sd=1.0).compute(df)
    b = measure.ReliableChange(baseline="pre", followup="post", reliability=hi, sd=1.0).compute(df)
    assert b.improved >= a.improved
    assert b.deteriorated >= a.deteriorated


def test_reliable_change_is_registered_and_round_trips():
    assert "reliable_change" in ik.registry.names("outcome")
    rc = measure.ReliableChange(baseline="t0", followup="t1", reliability=0.8, sd=4.0, cutoff=12.0)
    cls = ik.registry.get("outcome", "reliable_change")
    spec = rc.to_dict()
    assert spec["calculator"] == "reliable_change"
    assert cls.from_dict({k: v for k, v in spec.items() if k != "calculator"}) == rc
