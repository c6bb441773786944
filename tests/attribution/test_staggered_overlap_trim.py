"""Overlap in the doubly robust group-time cells: DRDID's trimming and R did's guard.

Controls with a propensity score of 0.995 or more get zero weight; a cell whose
largest score reaches 0.999 (or whose propensity model separates the arms) is
not estimated, with a warning naming it. Oracles: the cell formula written out
with statsmodels' logit, and ``csdid`` (the Python port of R ``did``).
"""

from __future__ import annotations

import contextlib
import io
import json
import warnings

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit import attribution as att
from impactkit.errors import OverlapWarning


def panel(x_out: float, *, later: bool = False, seed: int = 0) -> pd.DataFrame:
    """Cohort 3 (x around 0.8) against never-treated units (x around -0.8).

    One more never-treated unit sits at ``x_out``, far in the cohort's
    covariate range, and its outcome drifts by 8 after period 2: it is the
    control that trimming removes. ``later`` adds a cohort 4 that looks like
    the never-treated units (good overlap).
    """
    rng = np.random.default_rng(seed)
    n1 = n0 = 60
    x = np.r_[rng.normal(0.8, 1, n1), rng.normal(-0.8, 1, n0), [x_out]]
    g = np.r_[np.full(n1, 3), np.zeros(n0 + 1, dtype=int)]
    if later:
        x = np.r_[x, rng.normal(-0.8, 1, 60)]
        g = np.r_[g, np.full(60, 4)]
    a = rng.normal(size=len(x))
    rows = []
    for i in range(len(x)):
        for t in range(1, 5):
            eff = 1.0 if g[i] and t >= g[i] else 0.0
            y = a[i] + 0.5 * t + 0.5 * x[i] * t + eff + rng.normal(scale=0.5)
            if i == n1 + n0 and t >= 3:
                y += 8.0
            rows.append({"id": i, "t": t, "g": int(g[i]), "x": x[i], "y": y})
    return pd.DataFrame(rows)


def estimate(df: pd.DataFrame, **options):
    return att.StaggeredDiD(**options).estimate(
        df, outcome="y", entity="id", time="t", cohort="g", covariates=["x"]
    )


def dr_by_hand(df: pd.DataFrame, g: int, t: int, b: int, *, trim: bool) -> float:
    """The traditional doubly robust 2x2 of Sant'Anna & Zhao (2020), written out."""
    wide = df.pivot(index="id", columns="t", values="y")
    unit = df.groupby("id")[["g", "x"]].first()
    sub = unit["g"].isin([0, g])
    d = (unit.loc[sub, "g"] == g).to_numpy(dtype=float)
    x = sm.add_constant(unit.loc[sub, "x"].to_numpy())
    dy = (wide.loc[sub, t] - wide.loc[sub, b]).to_numpy()
    ps = sm.Logit(d, x).fit(disp=0, tol=1e-12).predict(x)
    ps = np.minimum(ps, 1 - 1e-6)
    keep = np.ones_like(d) if not trim else ((d == 1) | (ps < 0.995)).astype(float)
    beta = np.linalg.lstsq(x[d == 0], dy[d == 0], rcond=None)[0]
    resid = dy - x @ beta
    w_c = keep * ps * (1 - d) / (1 - ps)
    return float(resid[d == 1].mean() - (w_c * resid).sum() / w_c.sum())


def test_a_control_at_or_above_0995_gets_zero_weight():
    df = panel(4.5)
    unit = df.groupby("id")[["g", "x"]].first()
    fit = sm.Logit((unit["g"] == 3).astype(float), sm.add_constant(unit["x"])).fit(disp=0)
    p_out = float(fit.predict()[-1])
    assert 0.995 <= p_out < 0.999  # trimmed, but the cell is still estimated
    with pytest.warns(OverlapWarning, match=r"\(3, 3\): 1") as caught:
        r = estimate(df)
    message = str(caught[0].message)
    assert caught[0].filename == __file__  # the warning points at the caller
    assert "(3, 2): 1" in message
    assert "(3, 4): 1" in message
    cell = r.att_gt.set_index(["cohort", "time"])
    assert (cell["n_trimmed"] == 1).all()
    trimmed = dr_by_hand(df, 3, 3, 2, trim=True)
    assert cell.loc[(3, 3), "att"] == pytest.approx(trimmed, abs=1e-9)
    # with its weight, the drifting control pulls the effect far from the truth (1.0)
    untrimmed = dr_by_hand(df, 3, 3, 2, trim=False)
    assert abs(untrimmed - trimmed) > 0.3
    assert abs(trimmed - 1.0) < abs(untrimmed - 1.0)
    assert not r.missing_cells


def test_a_cell_reaching_0999_is_missing_and_named():
    df = panel(6.0, later=True)
    with pytest.warns(OverlapWarning, match=r"not estimated.*\(3, 3\)"):
        r = estimate(df)
    assert [(g, t) for g, t, _ in r.missing_cells] == [(3, 2), (3, 3), (3, 4)]
    assert all("0.999" in why for _, _, why in r.missing_cells)
    assert set(r.att_gt["cohort"]) == {4}  # cohort 3 is out of the table
    assert np.isfinite(r.att_gt[["att", "se"]].to_numpy()).all()
    # aggregations rest on the estimated cells only (R did's aggte with na.rm = TRUE)
    post4 = r.att_gt.query("post")
    assert r.aggregate("simple").effect == pytest.approx(post4["att"].mean(), abs=1e-12)
    assert list(r.aggregate("group")["cohort"]) == [4]
    data = r.to_dict()
    json.dumps(data, allow_nan=False)
    assert [c["time"] for c in data["missing_cells"]] == [2, 3, 4]
    assert "(3, 3)" in str(r.summary())


def test_separation_makes_the_cell_missing_not_the_estimate_fail():
    df = panel(-1.0, later=True)
    df.loc[df.g == 3, "x"] += 20.0  # cohort 3 lies wholly beyond every control
    with pytest.warns(OverlapWarning, match="separates"):
        r = estimate(df)
    assert {g for g, _, _ in r.missing_cells} == {3}
    assert set(r.att_gt["cohort"]) == {4}


def csdid_cells(df: pd.DataFrame) -> pd.DataFrame:
    from csdid.att_gt import ATTgt

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        out = ATTgt(
            yname="y",
            gname="g",
            idname="id",
            tname="t",
            xformla="~ x",
            data=df,
            control_group="nevertreated",
        ).fit(est_method="dr", bstrap=False)
    res = out.results
    return pd.DataFrame(
        {
            "cohort": np.asarray(res["group"], dtype=int),
            "time": np.asarray(res["year"], dtype=int),
            "att": np.asarray(res["att"], dtype=float),
            "se": np.asarray(res["se"], dtype=float),
        }
    )


@pytest.mark.parametrize("x_out", [4.5, 6.0])
def test_agrees_with_the_reference_port_when_trimming_or_dropping(x_out):
    df = panel(x_out, later=True)
    with pytest.warns(OverlapWarning):
        r = estimate(df)
    ref = csdid_cells(df)
    missing = ref[ref["att"].isna()]
    assert sorted(zip(missing.cohort, missing.time, strict=True)) == [
        (g, t) for g, t, _ in r.missing_cells
    ]
    both = r.att_gt.merge(ref.dropna(), on=["cohort", "time"], suffixes=("", "_ref"))
    assert len(both) == len(r.att_gt) == len(ref.dropna())
    np.testing.assert_allclose(both["att"], both["att_ref"], atol=1e-9)
    np.testing.assert_allclose(both["se"], both["se_ref"], atol=1e-9)


def test_one_trimming_rule_for_every_propensity_estimator():
    from impactkit.attribution._propensity import ATT_TRIM_BOUNDS, kept_by_trimming

    e = np.array([0.1, 0.2, 0.5, 0.8, 0.9, 0.995, 0.9949])
    w = np.array([0, 1, 0, 1, 0, 0, 0])
    np.testing.assert_array_equal(
        kept_by_trimming(e, (0.2, 0.8)), [False, True, True, True, False, False, False]
    )
    # DRDID: treated always kept, controls kept strictly below 0.995
    np.testing.assert_array_equal(
        kept_by_trimming(e, ATT_TRIM_BOUNDS, w=w), [True, True, True, True, True, False, True]
    )
    # the IPW option keeps both ends of its bounds, as before
    df = pd.DataFrame({"w": [1, 1, 0, 0, 1, 0], "y": [3.0, 2, 1, 0, 5, 4]})
    df["e"] = [0.2, 0.5, 0.8, 0.5, 0.9, 0.1]
    est = att.InverseProbabilityWeighting(trim=(0.2, 0.8)).estimate(
        df, outcome="y", treatment="w", propensity="e"
    )
    assert est.dropped["trimming"] == 2
