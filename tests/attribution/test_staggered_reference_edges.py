"""Group-time effects at the edges of overlap, against ``csdid`` (the Python port of R ``did``).

- Covariates that separate some controls from a cohort push those controls'
  scores to 0 while the largest score stays far below 0.999: every cell is
  estimated, at the limit of the logit (the separated controls get zero
  weight), as R ``did`` and ``csdid`` estimate it.
- Cells without covariates follow R's intercept-only doubly robust cell: the
  score is the cohort's share of the cell, so a share of 0.995 or more trims
  every control and the cell is missing.
- The multiplier bootstrap draws Rademacher weights, as R ``did``'s ``mboot``:
  on a panel near separation its critical values and standard errors agree
  with ``csdid``'s within Monte Carlo error (Mammen weights do not).
"""

from __future__ import annotations

import contextlib
import io
import warnings
from collections.abc import Iterator

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from impactkit import attribution as att
from impactkit.errors import ConvergenceWarning, OverlapWarning


def panel(
    *,
    shifts: tuple[float, float, float] = (4.0, 1.5, 1.5),
    v: float | None = None,
    separating_dummy: bool = False,
    n: int = 240,
    periods: int = 6,
    seed: int = 1,
) -> pd.DataFrame:
    """Cohorts 3, 4, 5 and never-treated units; treatment more likely for large ``x``.

    ``x2`` is shifted up by ``shifts`` in each cohort (near separation for a
    large shift), ``v`` sets the ``x2`` of one never-treated unit, and
    ``separating_dummy`` adds ``d``, equal to 1 for 8 never-treated units only.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    treated = rng.random(n) < 1 / (1 + np.exp(-(0.3 + 0.8 * x)))
    g = np.where(treated, rng.choice([3, 4, 5], n), 0)
    g[0] = 0
    x2 = rng.normal(size=n)
    for c, s in zip([3, 4, 5], shifts, strict=True):
        x2[g == c] += s
    if v is not None:
        x2[0] = v
    a = rng.normal(size=n)
    t = np.arange(1, periods + 1)
    post = (g[:, None] > 0) & (t[None, :] >= g[:, None])
    effect = np.where(post, 1 + 0.5 * (t[None, :] - g[:, None]), 0.0)
    y = (
        a[:, None]
        + 0.3 * t
        + 0.5 * x[:, None] * t / periods
        + 0.2 * x2[:, None] * t
        + effect
        + rng.normal(size=(n, periods))
    )
    df = pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), periods),
            "t": np.tile(t, n),
            "g": np.repeat(g, periods),
            "x": np.repeat(x, periods),
            "x2": np.repeat(x2, periods),
            "y": y.ravel(),
        }
    )
    if separating_dummy:
        d = np.zeros(n)
        d[np.flatnonzero(g == 0)[:8]] = 1.0
        df["d"] = np.repeat(d, periods)
    return df


@contextlib.contextmanager
def quiet_global_seed(seed: int) -> Iterator[None]:
    """``csdid`` draws from NumPy's global state: seed it, then give the state back."""
    state = np.random.get_state()  # noqa: NPY002 - the port draws from the global state
    np.random.seed(seed)  # noqa: NPY002
    try:
        with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
            warnings.simplefilter("ignore")
            yield
    finally:
        np.random.set_state(state)  # noqa: NPY002


def csdid_fit(df: pd.DataFrame, xformla: str | None, *, biters: int = 0, seed: int = 0):
    from csdid.att_gt import ATTgt

    with quiet_global_seed(seed):
        out = ATTgt(
            yname="y",
            tname="t",
            idname="id",
            gname="g",
            data=df,
            control_group="nevertreated",
            xformla=xformla,
            biters=max(biters, 1),
            cband=bool(biters),
        ).fit(est_method="dr", bstrap=bool(biters))
    res = out.results
    cells = pd.DataFrame(
        {
            "cohort": np.asarray(res["group"], dtype=int),
            "time": np.asarray(res["year"], dtype=int),
            "att": np.asarray(res["att"], dtype=float),
            "se": np.asarray(res["se"], dtype=float),
        }
    )
    return out, cells


def csdid_aggte(out, kind: str, *, biters: int = 0, seed: int = 0) -> dict:
    with quiet_global_seed(seed):
        out.aggte(
            typec=kind, na_rm=True, bstrap=bool(biters), biters=max(biters, 1), cband=bool(biters)
        )
    return out.atte


# --- controls separated toward 0 -------------------------------------------------------


def limit_cell_by_hand(df: pd.DataFrame, g: int, t: int, b: int) -> float:
    """The doubly robust 2x2 at the limit where the d = 1 controls' scores reach 0.

    The logit is fitted on the units with d = 0 (where d is constant, so it
    drops out), the d = 1 controls get zero weight, and the outcome regression
    uses every control with x, x2 and d.
    """
    wide = df.pivot(index="id", columns="t", values="y")
    unit = df.groupby("id")[["g", "x", "x2", "d"]].first()
    unit = unit[unit["g"].isin([0, g])]
    dy = (wide.loc[unit.index, t] - wide.loc[unit.index, b]).to_numpy()
    treated = (unit["g"] == g).to_numpy(dtype=float)
    design = sm.add_constant(unit[["x", "x2", "d"]].to_numpy())
    rest = unit["d"].to_numpy() == 0
    ps = np.zeros(len(treated))
    logit = sm.Logit(treated[rest], design[rest][:, :3]).fit(disp=0, tol=1e-12)
    ps[rest] = logit.predict(design[rest][:, :3])
    beta = np.linalg.lstsq(design[treated == 0], dy[treated == 0], rcond=None)[0]
    resid = dy - design @ beta
    w_c = ps * (1 - treated) / (1 - ps)
    return float(resid[treated == 1].mean() - (w_c * resid).sum() / w_c.sum())


@pytest.fixture(scope="module")
def separated():
    df = panel(shifts=(0.5, 0.5, 0.5), separating_dummy=True)
    with pytest.warns(ConvergenceWarning, match=r"\(3, 3\): 8 controls \(d\)") as caught:
        r = att.StaggeredDiD().estimate(
            df, outcome="y", entity="id", time="t", cohort="g", covariates=["x", "x2", "d"]
        )
    return df, r, caught


def test_controls_separated_toward_zero_leave_every_cell_estimated(separated):
    df, r, caught = separated
    assert caught[0].filename == __file__  # the warning points at the caller
    assert not r.missing_cells
    assert len(r.att_gt) == 15
    assert np.isfinite(r.att_gt[["att", "se"]].to_numpy()).all()
    cell = r.att_gt.set_index(["cohort", "time"])
    # the limit, written out: the separated controls get zero weight
    assert cell.loc[(3, 3), "att"] == pytest.approx(limit_cell_by_hand(df, 3, 3, 2), abs=1e-10)
    assert cell.loc[(4, 6), "att"] == pytest.approx(limit_cell_by_hand(df, 4, 6, 3), abs=1e-10)
    assert round(float(cell.loc[(3, 3), "att"]), 4) == 1.0268
    simple = r.aggregate("simple")
    assert (round(simple.effect, 5), round(simple.se, 5)) == (1.75464, 0.14223)


def test_controls_separated_toward_zero_agree_with_the_reference_port(separated):
    # statsmodels' IRLS inside csdid stops with the separated controls' scores at 1e-11
    # to 3e-11, so its cells lie that far from the limit: they agree to about 3e-11
    # (effects) and 6e-12 (standard errors); the bound leaves room for another stop.
    df, r, _ = separated
    out, ref = csdid_fit(df, "~ x + x2 + d")
    both = r.att_gt.merge(ref, on=["cohort", "time"], suffixes=("", "_ref"))
    assert len(both) == len(ref) == 15
    np.testing.assert_allclose(both["att"], both["att_ref"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(both["se"], both["se_ref"], rtol=0, atol=1e-8)
    simple = csdid_aggte(out, "simple")
    assert r.aggregate("simple").effect == pytest.approx(float(simple["overall_att"]), abs=1e-8)
    assert r.aggregate("simple").se == pytest.approx(float(simple["overall_se"]), abs=1e-8)


def test_controls_separated_by_two_covariates_with_not_yet_treated_controls():
    # d separates 8 never-treated units, e 5 others: both are found and named, and the
    # cells still agree with the port (measured: 5e-11 for the effects, 4e-12 for the SEs)
    df = panel(shifts=(0.5, 0.5, 0.5), separating_dummy=True)
    unit = df.groupby("id")[["g", "d"]].first()
    others = unit.index[(unit["g"] == 0) & (unit["d"] == 0)][:5]
    df["e"] = np.where(df["id"].isin(others), 1.0 + 0.3 * (df["id"] % 2), 0.0)
    with pytest.warns(ConvergenceWarning, match=r"\(3, 3\): 13 controls \(d, e\)"):
        r = att.StaggeredDiD(control="not_yet_treated").estimate(
            df, outcome="y", entity="id", time="t", cohort="g", covariates=["x", "x2", "d", "e"]
        )
    from csdid.att_gt import ATTgt

    with quiet_global_seed(0):
        ref = ATTgt(
            yname="y",
            tname="t",
            idname="id",
            gname="g",
            data=df,
            control_group="notyettreated",
            xformla="~ x + x2 + d + e",
        ).fit(est_method="dr", bstrap=False)
    assert not r.missing_cells
    np.testing.assert_allclose(r.att_gt["att"], ref.results["att"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(r.att_gt["se"], ref.results["se"], rtol=0, atol=1e-8)


def test_separation_that_reaches_the_treated_still_leaves_the_cell_missing():
    df = panel(shifts=(0.5, 0.5, 0.5))
    df.loc[df.g == 3, "x2"] += 40.0  # cohort 3 lies wholly beyond every control
    with pytest.warns(OverlapWarning, match="separates"):
        r = att.StaggeredDiD().estimate(
            df, outcome="y", entity="id", time="t", cohort="g", covariates=["x", "x2"]
        )
    assert {g for g, _, _ in r.missing_cells} == {3}
    assert all("0.999" in why for _, _, why in r.missing_cells)
    assert set(r.att_gt["cohort"]) == {4, 5}


# --- cells without covariates: R's intercept-only doubly robust cell ---------------------


def shares_panel(n_late: int, *, n_never: int = 5, n_early: int = 100) -> pd.DataFrame:
    """5 never-treated units, ``n_early`` adopting in period 2 and ``n_late`` in period 3."""
    rng = np.random.default_rng(0)
    g = np.r_[np.zeros(n_never, int), np.full(n_late, 3), np.full(n_early, 2)]
    t = np.arange(1, 4)
    y = rng.normal(size=(len(g), 3)) + t + (t[None, :] >= g[:, None]) * (g[:, None] > 0)
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(len(g)), 3),
            "t": np.tile(t, len(g)),
            "g": np.repeat(g, 3),
            "y": y.ravel(),
        }
    )


@pytest.mark.parametrize(
    ("n_late", "reason"),
    [(1295, "every control has a propensity score >= 0.995"), (5000, ">= 0.999"), (800, None)],
)
def test_cells_without_covariates_follow_the_intercept_only_rule(n_late, reason):
    df = shares_panel(n_late)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        r = att.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    _, ref = csdid_fit(df, None)
    missing = ref[ref["att"].isna()]
    assert sorted(zip(missing.cohort, missing.time, strict=True)) == [
        (g, t) for g, t, _ in r.missing_cells
    ]
    if reason is None:
        assert not r.missing_cells
    else:
        assert [(g, t) for g, t, _ in r.missing_cells] == [(3, 2), (3, 3)]
        assert all(reason in why and "share" in why for _, _, why in r.missing_cells)
        assert any(issubclass(w.category, OverlapWarning) for w in caught)
    both = r.att_gt.merge(ref.dropna(), on=["cohort", "time"], suffixes=("", "_ref"))
    assert len(both) == len(r.att_gt) == len(ref.dropna())
    np.testing.assert_allclose(both["att"], both["att_ref"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(both["se"], both["se_ref"], rtol=0, atol=1e-10)


# --- the multiplier bootstrap: Rademacher weights, as R did ------------------------------


def test_bootstrap_agrees_with_the_reference_port_near_separation():
    # One never-treated unit sits at x2 = 5, inside cohort 3's range (whose cells are
    # missing: score >= 0.999); its influence is heavy in the other cells, where the
    # skewness of Mammen weights moves the sup-t critical value of the cells from
    # 2.609 (Rademacher, as csdid: 2.608) to 2.680. Monte Carlo standard deviations
    # of the critical value, measured over seeds: 0.009 with 40,000 draws, so about
    # 0.004 with impactkit's 200,000 and 0.008 with csdid's 50,000 here; of each
    # bootstrap standard error, under 1 % (csdid) and 0.5 % (impactkit).
    df = panel(v=5.0)
    with pytest.warns(OverlapWarning):
        r = att.StaggeredDiD(n_bootstrap=200_000).estimate(
            df, outcome="y", entity="id", time="t", cohort="g", covariates=["x", "x2"], seed=11
        )
    out, ref = csdid_fit(df, "~ x + x2", biters=50_000, seed=7)
    dyn_ref = csdid_aggte(out, "dynamic", biters=50_000, seed=8)
    assert [(g, t) for g, t, _ in r.missing_cells] == [(3, t) for t in range(2, 7)]
    both = r.att_gt.merge(ref.dropna(), on=["cohort", "time"], suffixes=("", "_ref"))
    assert len(both) == 10
    np.testing.assert_allclose(both["att"], both["att_ref"], rtol=0, atol=1e-8)
    np.testing.assert_allclose(both["se"], both["se_ref"], rtol=0.04)
    crit = float(r.att_gt["critical_value"].iloc[0])
    assert crit == pytest.approx(float(out.results["c"]), abs=0.035)
    dyn = r.aggregate("dynamic")
    np.testing.assert_allclose(
        dyn["se"], np.ravel(np.asarray(dyn_ref["se_egt"], float)), rtol=0.04
    )
    assert float(dyn["critical_value"].iloc[0]) == pytest.approx(
        float(dyn_ref["crit_val_egt"]), abs=0.035
    )


def test_multipliers_are_rademacher():
    from impactkit.attribution._staggered import _multiplier_draws

    n = 7
    influence = np.eye(n) * n  # each draw's column j is unit j's multiplier
    draws, _ = _multiplier_draws(influence, 20_000, 3)
    assert set(np.unique(draws)) == {-1.0, 1.0}
    assert abs(draws.mean()) < 0.02
    assert "Rademacher" in str(
        att.StaggeredDiD(n_bootstrap=50)
        .estimate(shares_panel(200), outcome="y", entity="id", time="t", cohort="g", seed=0)
        .summary()
    )
