r"""Staggered adoption: Callaway & Sant'Anna (2021) group-time average effects.

Units adopt the programme in different periods (cohorts). Two-way fixed effects
mixes comparisons that use already-treated units as controls and is biased when
effects vary over time (Goodman-Bacon 2021); the group-time estimator compares
each cohort only with units not (yet) treated, then aggregates (METHODS §11.11):

.. math::
    ATT(g, t) = \bigl[\bar Y_{g,t} - \bar Y_{g,b}\bigr] - \bigl[\bar Y_{C,t} - \bar Y_{C,b}\bigr]

with :math:`b = g - 1 - \delta` for :math:`t \ge g` (the last period before
anticipation :math:`\delta`) and, with a varying base period, :math:`b = t - 1`
for pre-treatment cells.

References
----------
.. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences with
   multiple time periods. Journal of Econometrics 225(2), 200-230.
.. [2] Sant'Anna, P. H. C., & Zhao, J. (2020). Doubly robust
   difference-in-differences estimators. Journal of Econometrics 219(1), 101-122.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd
from scipy import special

from impactkit._results import Summary, displayed, freeze, jsonable
from impactkit.attribution._core import EffectEstimate
from impactkit.attribution._panel import fmt_period, last_before, staggered_panel
from impactkit.attribution._propensity import fit_logit
from impactkit.errors import EstimationError
from impactkit.typing import FloatArray, SeedLike

__all__ = ["StaggeredDiD", "StaggeredResult"]

CONTROLS = ("never_treated", "not_yet_treated")
BASE_PERIODS = ("varying", "universal")
KINDS = ("simple", "dynamic", "group", "calendar")


def _z(level: float) -> float:
    return float(special.ndtri(0.5 + level / 2))


def _dr_panel(dy: FloatArray, d: FloatArray, x: FloatArray) -> tuple[float, FloatArray]:
    """Doubly robust DiD on one 2×2 (Sant'Anna & Zhao 2020, panel, traditional form).

    Returns the effect and its influence function normalised on the subset
    (variance = mean(IF²) / n).
    """
    n = len(dy)
    xx = np.column_stack([np.ones(n), x])
    fit = fit_logit(x, d)
    ps = np.minimum(fit.fitted, 1 - 1e-16)
    c = d == 0
    xc = xx[c]
    beta, *_ = np.linalg.lstsq(xc, dy[c], rcond=None)
    out = xx @ beta
    w_t = d
    w_c = ps * (1 - d) / (1 - ps)
    att_t = w_t * (dy - out)
    att_c = w_c * (dy - out)
    eta_t = att_t.mean() / w_t.mean()
    eta_c = att_c.mean() / w_c.mean()
    # influence of the outcome regression (OLS on controls)
    w_ols = 1.0 - d
    xpx_inv = np.linalg.inv((xx * w_ols[:, None]).T @ xx / n)
    lin_ols = (w_ols * (dy - out))[:, None] * xx @ xpx_inv
    # influence of the propensity score (logit)
    v = ps * (1 - ps)
    hess = np.linalg.inv((xx * v[:, None]).T @ xx / n)
    lin_ps = ((d - ps)[:, None] * xx) @ hess
    inf_t = (att_t - w_t * eta_t - lin_ols @ (w_t[:, None] * xx).mean(axis=0)) / w_t.mean()
    m2 = (w_c * (dy - out - eta_c))[:, None] * xx
    inf_c = (
        att_c - w_c * eta_c + lin_ps @ m2.mean(axis=0) - lin_ols @ (w_c[:, None] * xx).mean(axis=0)
    ) / w_c.mean()
    return float(eta_t - eta_c), inf_t - inf_c


@displayed(headline=("ATT", "Std. error", "interval"))
@attrs.frozen
class StaggeredResult:
    """Group-time average effects and their aggregations.

    Parameters
    ----------
    att_gt : pandas.DataFrame
        One row per (cohort, time) cell: ``cohort``, ``time``, ``att``, ``se``,
        ``ci_low``, ``ci_high``, ``post``, ``base``, ``n_treated``, ``n_control``.
    influence : numpy.ndarray
        Influence functions, units × cells (read-only), so that the variance of
        a cell is ``sum(IF**2) / n**2``.
    cohort_size : mapping
        Units per cohort (never treated under key 0).
    n_units : int
        Units in the panel.
    level : float
        Confidence level of the intervals.
    method : str
        Estimator and its options.
    uniform : bool, default False
        Whether ``ci_low``/``ci_high`` are simultaneous (uniform) bands from the
        multiplier bootstrap.
    seed_entropy : int or None, default None
        Entropy of the bootstrap's seed, to reproduce the run.
    unit_cohort : numpy.ndarray, optional
        Cohort of each unit, in the row order of :attr:`influence` (read-only;
        empty by default).

    Examples
    --------
    :meth:`StaggeredDiD.estimate` returns it.
    36 home nursing services (SSIAD) observed 2019-2024, a third starting a
    fall-prevention programme in 2021, a third in 2022, a third never; it
    cuts falls by 4 per 100 patients a year (seeded panel):

    >>> rng = np.random.default_rng(5)
    >>> site = np.repeat(np.arange(36), 6)
    >>> year = np.tile(np.arange(2019, 2025), 36)
    >>> first = np.array([0, 2021, 2022])[site % 3]    # year it started; 0: never
    >>> prog = (first > 0) & (year >= first)
    >>> falls = (30 - 0.5 * (year - 2019) + rng.normal(0, 2, 36)[site] - 4 * prog
    ...          + rng.normal(0, 1, 216))
    >>> df = pd.DataFrame({"site": site, "year": year, "first": first, "falls": falls})
    >>> r = StaggeredDiD().estimate(df, outcome="falls", unit="site", time="year",
    ...                             cohort="first")
    >>> dict(r.cohort_size)
    {0: 12, 2021: 12, 2022: 12}
    >>> overall = r.aggregate("simple")
    >>> round(overall.effect, 2), round(overall.se, 2)
    (-4.06, 0.36)
    >>> r.aggregate("group")[["cohort", "att"]].round(2)
       cohort   att
    0    2021 -4.33
    1    2022 -3.69
    """

    att_gt: pd.DataFrame = attrs.field(eq=False)
    influence: FloatArray = attrs.field(eq=False, repr=False, converter=freeze)
    cohort_size: Any = attrs.field(converter=freeze)
    n_units: int
    level: float
    method: str
    uniform: bool = False
    seed_entropy: int | None = None
    unit_cohort: FloatArray = attrs.field(
        factory=lambda: np.zeros(0), eq=False, repr=False, converter=freeze
    )

    def _pg(self) -> FloatArray:
        g = self.att_gt["cohort"].to_numpy(dtype=float)
        return np.array([self.cohort_size[fmt_period(c)] for c in g], dtype=float) / self.n_units

    def _weighted(
        self, keep: np.ndarray[Any, Any], *, estimated: bool
    ) -> tuple[float, FloatArray]:
        """Weighted average of the kept cells by cohort share, with its influence function.

        With ``estimated`` the weights' own influence function is included
        (they are estimated cohort shares), as in the published estimator.
        """
        att = self.att_gt["att"].to_numpy()
        pg = self._pg()
        idx = np.flatnonzero(keep)
        w = pg[idx] / pg[idx].sum()
        theta = float(w @ att[idx])
        inf = self.influence[:, idx] @ w
        if estimated:
            units_g = self._unit_cohorts
            g_cells = self.att_gt["cohort"].to_numpy(dtype=float)[idx]
            ind = (units_g[:, None] == g_cells[None, :]).astype(float)  # (n, cells)
            s = pg[idx].sum()
            if1 = (ind - pg[idx]) / s
            if2 = (ind - pg[idx]).sum(axis=1)[:, None] * (pg[idx] / s**2)[None, :]
            inf = inf + (if1 - if2) @ att[idx]
        return theta, inf

    @property
    def _unit_cohorts(self) -> FloatArray:
        return np.asarray(self.unit_cohort, dtype=float)

    def _se(self, inf: FloatArray) -> float:
        return float(math.sqrt(float(np.sum(inf**2))) / self.n_units)

    def _row(self, label: Any, theta: float, inf: FloatArray) -> dict[str, Any]:
        se = self._se(inf)
        z = _z(self.level)
        return {
            "key": label,
            "att": theta,
            "se": se,
            "ci_low": theta - z * se,
            "ci_high": theta + z * se,
        }

    def _estimate(self, theta: float, inf: FloatArray, what: str) -> EffectEstimate:
        se = self._se(inf)
        z = _z(self.level)
        n_control = int(self.cohort_size.get(0, 0))
        return EffectEstimate(
            effect=theta,
            se=se,
            ci=(theta - z * se, theta + z * se),
            level=self.level,
            df=None,
            estimand="ATT",
            method=f"{self.method}; aggregation {what}",
            n_treated=self.n_units - n_control,
            n_control=n_control,
            diagnostics=freeze({"aggregation": what}),
        )

    def aggregate(self, kind: str = "simple", *, overall: bool = False) -> Any:
        r"""Aggregate the group-time effects with the published weights.

        Parameters
        ----------
        kind : {"simple", "dynamic", "group", "calendar"}
            ``simple``: post cells weighted by cohort size,
            :math:`\sum_{g, t\ge g} n_g ATT(g,t) / \sum n_g`.
            ``dynamic``: the event study by event time :math:`e = t - g`,
            :math:`\theta(e) = \sum_g n_g ATT(g, g+e) / \sum_g n_g`.
            ``group``: per cohort, the mean of its post cells.
            ``calendar``: per period, post cells weighted by cohort size.
        overall : bool, default False
            For ``dynamic``, ``group`` and ``calendar``: return the overall
            summary instead of the table (mean over event times :math:`e \ge 0`,
            cohort-size-weighted mean of the group effects, mean over periods).

        Returns
        -------
        EffectEstimate or pandas.DataFrame
            An :class:`EffectEstimate` for ``simple`` (or ``overall=True``);
            otherwise a DataFrame with the key column (``event_time``,
            ``cohort`` or ``time``), ``att``, ``se``, ``ci_low``, ``ci_high``.

        Raises
        ------
        EstimationError
            An unknown ``kind``, or no post-treatment cell.

        Notes
        -----
        Standard errors come from the influence functions, including the
        estimation of the cohort-share weights where they are estimated (as in
        Callaway & Sant'Anna's aggregation).
        """
        if kind not in KINDS:
            raise EstimationError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        tab = self.att_gt
        g = tab["cohort"].to_numpy(dtype=float)
        t = tab["time"].to_numpy(dtype=float)
        post = tab["post"].to_numpy(dtype=bool)
        if not post.any():
            raise EstimationError("no post-treatment cell to aggregate")
        if kind == "simple":
            theta, inf = self._weighted(post, estimated=True)
            return self._estimate(theta, inf, "simple")
        rows: list[dict[str, Any]] = []
        infs: list[FloatArray] = []
        if kind == "dynamic":
            e = tab["event_time"].to_numpy(dtype=float)
            for ev in np.unique(e):
                th, inf = self._weighted(e == ev, estimated=True)
                rows.append(self._row(fmt_period(ev), th, inf))
                infs.append(inf)
            out = pd.DataFrame(rows).rename(columns={"key": "event_time"})
            if overall:
                sel = out["event_time"].to_numpy(dtype=float) >= 0
                th = float(out.loc[sel, "att"].mean())
                inf = np.mean([infs[i] for i in np.flatnonzero(sel)], axis=0)
                return self._estimate(th, inf, "dynamic (mean over e >= 0)")
            return out
        if kind == "group":
            cohorts = np.unique(g[post])
            ths, grp_infs = [], []
            for c in cohorts:
                sel = post & (g == c)
                th, inf = self._weighted(sel, estimated=False)
                rows.append(self._row(fmt_period(c), th, inf))
                ths.append(th)
                grp_infs.append(inf)
            out = pd.DataFrame(rows).rename(columns={"key": "cohort"})
            if overall:
                pg = np.array([self.cohort_size[fmt_period(c)] for c in cohorts], float)
                pg = pg / self.n_units
                w = pg / pg.sum()
                th = float(w @ np.array(ths))
                inf = np.column_stack(grp_infs) @ w
                ind = (self._unit_cohorts[:, None] == cohorts[None, :]).astype(float)
                s = pg.sum()
                if1 = (ind - pg) / s
                if2 = (ind - pg).sum(axis=1)[:, None] * (pg / s**2)[None, :]
                inf = inf + (if1 - if2) @ np.array(ths)
                return self._estimate(th, inf, "group (cohort-size weighted)")
            return out
        times = np.unique(t[post])
        for tt in times:
            th, inf = self._weighted(post & (t == tt), estimated=True)
            rows.append(self._row(fmt_period(tt), th, inf))
            infs.append(inf)
        out = pd.DataFrame(rows).rename(columns={"key": "time"})
        if overall:
            return self._estimate(
                float(out["att"].mean()), np.mean(infs, axis=0), "calendar (mean over periods)"
            )
        return out

    def to_frame(self) -> pd.DataFrame:
        """The group-time table.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`att_gt`.
        """
        return self.att_gt.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the group-time table and the simple aggregation.

        Returns
        -------
        dict
            ``method``, ``level``, ``n_units``, ``cohort_size``, ``att_gt``
            (records) and ``simple`` (the aggregated estimate).
        """
        return {
            "method": self.method,
            "level": self.level,
            "n_units": self.n_units,
            "uniform": self.uniform,
            "cohort_size": jsonable(dict(self.cohort_size)),
            "att_gt": jsonable(self.att_gt),
            "simple": self.aggregate("simple").to_dict(),
        }

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
            The simple aggregation and the event-study table.
        """
        s = self.aggregate("simple")
        lo, hi = s.ci
        lines = (
            ("Method", self.method),
            ("ATT (simple)", f"{s.effect:.6g}"),
            ("Std. error", f"{s.se:.6g}"),
            (f"{self.level:.0%} interval", f"[{lo:.6g}, {hi:.6g}]"),
            ("Units", str(self.n_units)),
            ("Cohorts", ", ".join(f"{k}: {v}" for k, v in self.cohort_size.items())),
        )
        return Summary("Staggered difference-in-differences", lines, self.aggregate("dynamic"))


@attrs.frozen
class StaggeredDiD:
    r"""Callaway & Sant'Anna (2021) group-time effects for staggered adoption.

    Parameters
    ----------
    control : {"never_treated", "not_yet_treated"}, default "never_treated"
        Comparison units of each cell: never treated, or also those not yet
        treated by :math:`\max(t, b) + \delta`.
    base_period : {"varying", "universal"}, default "varying"
        ``varying``: pre-treatment cells compare :math:`t` with :math:`t-1`
        (short differences); ``universal``: every cell compares with
        :math:`g - 1 - \delta` (the base cell itself is omitted).
    anticipation : int, default 0
        Periods :math:`\delta` before adoption in which units may already react.
    level : float, default 0.95
        Confidence level.
    bootstrap : int, default 0
        With ``B > 0``, standard errors and simultaneous (uniform) bands over
        the group-time cells come from the multiplier bootstrap with Mammen
        weights; ``0`` uses the analytic influence-function standard errors
        and pointwise intervals.
    seed : int, SeedSequence, Generator or None
        Randomness of the bootstrap.

    Notes
    -----
    Data: a balanced panel in long form, one row per unit and period. The
    ``cohort`` column holds each unit's first treated period; **never-treated
    units are coded 0** (a missing cohort is read as 0 too). Adoption is
    absorbing: a unit's cohort must not change.

    Without covariates each cell is the unconditional 2×2 difference in
    differences above. With covariates (taken at each unit's first period, as
    time-invariant characteristics) each cell is the doubly robust estimator of
    Sant'Anna & Zhao (2020): a logit propensity score for the cohort against
    its controls and a linear regression of the outcome change on the
    controls; it is consistent if either model is right.

    Influence functions :math:`\psi_i` give the standard errors,
    :math:`\widehat{SE} = \sqrt{\sum_i \psi_i^2} / n`; for the unconditional
    cell :math:`\psi_i = \frac{1[G_i=g]}{\pi_g}(\Delta Y_i - \mu_g) -
    \frac{1[C_i]}{\pi_C}(\Delta Y_i - \mu_C)`.

    References
    ----------
    .. [1] Callaway, B., & Sant'Anna, P. H. C. (2021). Difference-in-differences
       with multiple time periods. Journal of Econometrics 225(2), 200-230.
    .. [2] Sant'Anna, P. H. C., & Zhao, J. (2020). Doubly robust
       difference-in-differences estimators. Journal of Econometrics 219(1), 101-122.
    .. [3] Goodman-Bacon, A. (2021). Difference-in-differences with variation in
       treatment timing. Journal of Econometrics 225(2), 254-277.

    Examples
    --------
    >>> rows = []
    >>> for i in range(40):
    ...     g = (0, 3, 4)[i % 3]
    ...     for t in range(1, 6):
    ...         effect = (t - g + 1) if g and t >= g else 0.0
    ...         rows.append({"id": i, "year": t, "g": g, "y": 0.1 * i + t + effect})
    >>> df = pd.DataFrame(rows)
    >>> r = StaggeredDiD().estimate(df, outcome="y", unit="id", time="year", cohort="g")
    >>> round(r.aggregate("simple").effect, 6)   # mean of 1, 2, 3 and 1, 2
    1.8
    >>> r.aggregate("dynamic")[["event_time", "att"]].round(6).values.tolist()[-3:]
    [[0.0, 1.0], [1.0, 2.0], [2.0, 3.0]]
    """

    name: ClassVar[str] = "staggered_did"
    control: str = "never_treated"
    base_period: str = "varying"
    anticipation: int = 0
    level: float = 0.95
    bootstrap: int = 0
    seed: SeedLike = attrs.field(default=None, eq=False)

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.control not in CONTROLS:
            problems.append(f"control must be one of {CONTROLS}, got {self.control!r}")
        if self.base_period not in BASE_PERIODS:
            problems.append(f"base_period must be one of {BASE_PERIODS}, got {self.base_period!r}")
        if not isinstance(self.anticipation, int | np.integer) or self.anticipation < 0:
            problems.append(f"anticipation must be a whole number >= 0, got {self.anticipation!r}")
        if not 0 < self.level < 1:
            problems.append(f"level must be in (0, 1), got {self.level!r}")
        if not isinstance(self.bootstrap, int | np.integer) or self.bootstrap < 0:
            problems.append(f"bootstrap must be a whole number >= 0, got {self.bootstrap!r}")
        if problems:
            raise EstimationError("; ".join(problems))

    def estimate(
        self,
        df: pd.DataFrame,
        *,
        outcome: str,
        unit: str,
        time: str,
        cohort: str,
        covariates: Sequence[str] | None = None,
    ) -> StaggeredResult:
        """Estimate every group-time effect.

        Parameters
        ----------
        df : pandas.DataFrame
            Balanced panel, long form.
        outcome, unit, time, cohort : str
            Columns: outcome, unit id, period (numeric), first treated period
            (0 or missing for never treated).
        covariates : sequence of str, optional
            Pre-treatment covariates for the doubly robust cells.

        Returns
        -------
        StaggeredResult
            The group-time table, influence functions and aggregations.

        Raises
        ------
        EstimationError
            Bad columns or panel (see the Notes), a cohort with no pre-period,
            no never-treated units with ``control="never_treated"``.
        """
        p = staggered_panel(
            df, outcome=outcome, unit=unit, time=time, cohort=cohort, covariates=covariates or ()
        )
        delta = int(self.anticipation)
        periods = p.periods
        cohorts = p.cohorts
        if not len(cohorts):
            raise EstimationError(f"no treated cohort in {cohort!r}: every unit has cohort 0")
        problems = []
        if self.control == "never_treated" and not (p.cohort == 0).any():
            problems.append(
                f"no never-treated units (cohort 0 in {cohort!r}): use "
                "control='not_yet_treated' or add a comparison group"
            )
        no_pre = [fmt_period(g) for g in cohorts if last_before(periods, g - delta) is None]
        if no_pre:
            problems.append(
                f"cohorts {no_pre} of {cohort!r} have no pre-treatment period in the data "
                f"(first period {fmt_period(periods[0])}, anticipation {delta}): drop those "
                "units or extend the panel backwards"
            )
        outside = [fmt_period(g) for g in cohorts if g > periods[-1]]
        if outside and self.control == "never_treated":
            pass  # treated after the window: they are never treated within it
        if problems:
            raise EstimationError("; ".join(problems))
        # cohorts adopting after the window behave as never treated
        coh = np.where(p.cohort > periods[-1], 0.0, p.cohort)
        cohorts = np.unique(coh[coh > 0])
        n = p.n
        rows: list[dict[str, Any]] = []
        infs: list[FloatArray] = []
        for g in cohorts:
            b_post = last_before(periods, g - delta)
            assert b_post is not None
            for ti, t in enumerate(periods):
                if self.base_period == "varying":
                    if t < g:
                        if ti == 0:
                            continue
                        b = ti - 1
                    else:
                        b = b_post
                else:
                    b = b_post
                    if ti == b:
                        continue
                in_g = coh == g
                if self.control == "never_treated":
                    ctrl = coh == 0
                else:
                    limit = max(t, periods[b]) + delta
                    ctrl = (coh == 0) | ((coh > limit) & ~in_g)
                n_g, n_c = int(in_g.sum()), int(ctrl.sum())
                if n_c == 0:
                    continue
                dy = p.y[:, ti] - p.y[:, b]
                inf = np.zeros(n)
                if p.x.shape[1]:
                    sub = in_g | ctrl
                    att, inf_sub = _dr_panel(dy[sub], in_g[sub].astype(float), p.x[sub])
                    inf[sub] = inf_sub * (n / int(sub.sum()))
                else:
                    mu_g, mu_c = dy[in_g].mean(), dy[ctrl].mean()
                    att = float(mu_g - mu_c)
                    inf[in_g] = (dy[in_g] - mu_g) * n / n_g
                    inf[ctrl] -= (dy[ctrl] - mu_c) * n / n_c
                rows.append(
                    {
                        "cohort": fmt_period(g),
                        "time": fmt_period(t),
                        "att": att,
                        "post": bool(t >= g),
                        "base": fmt_period(periods[b]),
                        "event_time": fmt_period(t - g),
                        "n_treated": n_g,
                        "n_control": n_c,
                    }
                )
                infs.append(inf)
        if not rows:
            raise EstimationError("no group-time cell has comparison units")
        influence = np.column_stack(infs)
        tab = pd.DataFrame(rows)
        se = np.sqrt((influence**2).sum(axis=0)) / n
        z = _z(self.level)
        uniform = False
        entropy = None
        if self.bootstrap:
            se, z_u, entropy = _multiplier_bootstrap(
                influence, int(self.bootstrap), self.level, self.seed
            )
            z = z_u
            uniform = True
        att_v = tab["att"].to_numpy()
        tab.insert(3, "se", se)
        tab.insert(4, "ci_low", att_v - z * se)
        tab.insert(5, "ci_high", att_v + z * se)
        sizes = {fmt_period(c): int((coh == c).sum()) for c in [0.0, *cohorts.tolist()]}
        order = np.argsort(coh, kind="stable")  # influence rows follow units by cohort
        covs = f", covariates {list(p.covariates)} (doubly robust)" if p.covariates else ""
        method = (
            f"Callaway-Sant'Anna group-time ATT, control {self.control}, base period "
            f"{self.base_period}, anticipation {delta}{covs}"
        )
        res = StaggeredResult(
            att_gt=tab,
            influence=influence[order],
            cohort_size=sizes,
            n_units=n,
            level=self.level,
            method=method,
            uniform=uniform,
            seed_entropy=entropy,
            unit_cohort=coh[order],
        )
        return res


def _multiplier_bootstrap(
    influence: FloatArray, b: int, level: float, seed: SeedLike
) -> tuple[FloatArray, float, int | None]:
    """Mammen multiplier bootstrap: IQR standard errors and the uniform critical value."""
    if isinstance(seed, np.random.Generator):
        entropy, rng = None, seed
    else:
        seq = seed if isinstance(seed, np.random.SeedSequence) else np.random.SeedSequence(seed)
        entropy = int(seq.entropy) if isinstance(seq.entropy, int) else None
        rng = np.random.default_rng(seq)
    n = influence.shape[0]
    s5 = math.sqrt(5.0)
    a, c = (1 - s5) / 2, (1 + s5) / 2
    p_a = (s5 + 1) / (2 * s5)
    draws = np.empty((b, influence.shape[1]))
    chunk = max(1, min(b, 2_000_000 // max(n, 1)))
    for start in range(0, b, chunk):  # chunks of draws; each is one matrix product
        m = min(chunk, b - start)
        v = np.where(rng.random((m, n)) < p_a, a, c)
        draws[start : start + m] = v @ influence / n
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0)
    se = (q75 - q25) / (special.ndtri(0.75) - special.ndtri(0.25))
    ok = se > 1e-12 * np.maximum(1.0, np.abs(draws).max(axis=0))
    tmax = np.max(np.abs(draws[:, ok]) / se[ok], axis=1) if ok.any() else np.zeros(b)
    crit = float(np.quantile(tmax, level))
    return se, crit, entropy
