r"""Staggered adoption: Callaway & Sant'Anna (2021) group-time average effects.

Units adopt the programme in different periods (cohorts). Two-way fixed effects
mixes comparisons that use already-treated units as controls and is biased when
effects vary over time (Goodman-Bacon 2021); the group-time estimator compares
each cohort only with units not (yet) treated, then aggregates (docs/methods/staggered.md):

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
import warnings
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd
from scipy import special

from impactkit._random import seeded
from impactkit._results import Summary, displayed, freeze, jsonable
from impactkit.attribution._core import EffectEstimate, level_text
from impactkit.attribution._panel import fmt_period, last_before, staggered_panel
from impactkit.attribution._propensity import (
    ATT_TRIM_BOUNDS,
    ATT_TRIM_LEVEL,
    OVERLAP_LIMIT,
    LimitFit,
    fit_logit_limit,
    kept_by_trimming,
)
from impactkit.errors import (
    ConvergenceWarning,
    EstimationError,
    ImpactkitWarning,
    OverlapWarning,
)
from impactkit.typing import FloatArray, SeedLike

__all__ = ["StaggeredDiD", "StaggeredResult"]

CONTROLS = ("never_treated", "not_yet_treated")
BASE_PERIODS = ("varying", "universal")
KINDS = ("simple", "dynamic", "group", "calendar")


def _z(level: float) -> float:
    return float(special.ndtri(0.5 + level / 2))


class _NoEstimate(Exception):
    """A group-time cell that cannot be estimated; the message says why."""


def _dr_panel(
    dy: FloatArray, d: FloatArray, x: FloatArray, names: Sequence[str] = ()
) -> tuple[float, FloatArray, int, LimitFit]:
    r"""Doubly robust DiD on one 2×2 (Sant'Anna & Zhao 2020, panel, traditional form).

    Returns the effect, its influence function normalised on the subset
    (variance = mean(IF²) / n), the number of controls trimmed and the
    propensity fit. As the DRDID engine behind R ``did``: the scores are capped
    at :math:`1 - 10^{-6}`, controls with :math:`\hat p \ge 0.995` get zero
    weight (the outcome regression still uses every control), and the cell is
    not estimated (:class:`_NoEstimate`) when the largest score reaches 0.999
    or when every control is trimmed. Under separation the scores are those
    at the limit of the likelihood (:func:`fit_logit_limit`): treated units
    separated reach 1, so the cell is not estimated; controls separated reach
    0 and get zero weight, and the score's influence is taken on the other
    units (the separated ones' score residuals vanish at the limit).
    """
    n = len(dy)
    xx = np.column_stack([np.ones(n), x])
    fit = fit_logit_limit(x, d, names=names)
    top = float(fit.fitted.max())
    if top >= OVERLAP_LIMIT:
        k = int(fit.separated[d == 1].sum())
        if k:
            raise _NoEstimate(
                "the propensity model separates the cohort from its controls: the scores "
                f"of {k} treated units tend to 1 (>= {OVERLAP_LIMIT})"
            )
        raise _NoEstimate(f"largest propensity score {top:.6g} >= {OVERLAP_LIMIT}")
    ps = np.minimum(fit.fitted, 1 - 1e-6)
    kept = kept_by_trimming(ps, ATT_TRIM_BOUNDS, w=d)
    n_trim = int((~kept).sum())
    c = d == 0
    if not kept[c].any():
        raise _NoEstimate(f"every control has a propensity score >= {ATT_TRIM_LEVEL}")
    xc = xx[c]
    beta, *_ = np.linalg.lstsq(xc, dy[c], rcond=None)
    out = xx @ beta
    w_t = d
    w_c = kept * ps * (1 - d) / (1 - ps)
    if not w_c.sum() > 0:
        raise _NoEstimate(
            f"every control has a propensity score >= {ATT_TRIM_LEVEL} or separated to 0"
        )
    att_t = w_t * (dy - out)
    att_c = w_c * (dy - out)
    eta_t = att_t.mean() / w_t.mean()
    eta_c = att_c.mean() / w_c.mean()
    # influence of the outcome regression (OLS on controls)
    w_ols = 1.0 - d
    xpx_inv = np.linalg.inv((xx * w_ols[:, None]).T @ xx / n)
    lin_ols = (w_ols * (dy - out))[:, None] * xx @ xpx_inv
    # influence of the propensity score (logit); under separation, on the covariates of
    # the units not separated, whose information matrix is then invertible
    xp = xx[:, [0, *(j + 1 for j in fit.columns)]] if fit.separated.any() else xx
    v = ps * (1 - ps)
    hess = np.linalg.inv((xp * v[:, None]).T @ xp / n)
    lin_ps = ((d - ps)[:, None] * xp) @ hess
    inf_t = (att_t - w_t * eta_t - lin_ols @ (w_t[:, None] * xx).mean(axis=0)) / w_t.mean()
    m2 = (w_c * (dy - out - eta_c))[:, None] * xp
    inf_c = (
        att_c - w_c * eta_c + lin_ps @ m2.mean(axis=0) - lin_ols @ (w_c[:, None] * xx).mean(axis=0)
    ) / w_c.mean()
    return float(eta_t - eta_c), inf_t - inf_c, n_trim, fit


@displayed(headline=("ATT", "Std. error", "interval"))
@attrs.frozen
class StaggeredResult:
    r"""Group-time average effects and their aggregations.

    Parameters
    ----------
    att_gt : pandas.DataFrame
        One row per (cohort, time) cell: ``cohort``, ``time``, ``att``, ``se``,
        ``ci_low``, ``ci_high``, ``post``, ``base``, ``event_time``,
        ``n_treated``, ``n_control``, ``n_trimmed`` (controls given zero weight
        for lack of overlap) and, with the bootstrap, ``band_low``,
        ``band_high`` (the uniform band, equal to ``ci_low``/``ci_high``) and
        ``critical_value``.
    influence : numpy.ndarray
        Influence functions, units × cells (read-only), so that the variance of
        a cell is ``sum(IF**2) / n**2``.
    cohort_size : mapping
        Units per cohort (never treated under key 0).
    n_entities : int
        Entities (units) in the panel.
    level : float
        Confidence level of the intervals.
    method : str
        Estimator and its options.
    uniform : bool, default False
        Whether ``ci_low``/``ci_high`` are simultaneous (uniform) bands from the
        multiplier bootstrap.
    seed_entropy : int or None, default None
        Entropy of the bootstrap's seed, to reproduce the run.
    entity_cohort : numpy.ndarray, optional
        Cohort of each entity, in the row order of :attr:`influence` (read-only;
        empty by default).
    missing_cells : tuple, default ()
        Cells (cohort, time, reason) not estimated for lack of overlap (see
        :class:`StaggeredDiD`) or for want of any comparison unit (no
        never-treated unit and none not yet treated); they are absent from
        :attr:`att_gt` and from every aggregation.
    n_bootstrap : int, default 0
        Multiplier bootstrap draws (0: analytic standard errors).
    boot_cells : numpy.ndarray, optional
        The bootstrap draws of the cells, draws × cells, centred at 0
        (:math:`\frac1n\sum_i V_i \psi_i`; read-only, empty without bootstrap).
    boot_cohorts : numpy.ndarray, optional
        The same draws of the centred cohort indicators
        :math:`1[G_i = g] - n_g/n`, one column per key of :attr:`cohort_size`,
        from which the aggregations' draws are computed.

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
    >>> r = StaggeredDiD().estimate(df, outcome="falls", entity="site", time="year",
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
    n_entities: int
    level: float
    method: str
    uniform: bool = False
    seed_entropy: int | None = None
    entity_cohort: FloatArray = attrs.field(
        factory=lambda: np.zeros(0), eq=False, repr=False, converter=freeze
    )
    missing_cells: Any = attrs.field(default=(), converter=freeze)
    n_bootstrap: int = 0
    boot_cells: FloatArray = attrs.field(
        factory=lambda: np.zeros((0, 0)), eq=False, repr=False, converter=freeze
    )
    boot_cohorts: FloatArray = attrs.field(
        factory=lambda: np.zeros((0, 0)), eq=False, repr=False, converter=freeze
    )

    def _pg(self) -> FloatArray:
        g = self.att_gt["cohort"].to_numpy(dtype=float)
        return (
            np.array([self.cohort_size[fmt_period(c)] for c in g], dtype=float) / self.n_entities
        )

    def _cohort_columns(self, cohorts: FloatArray) -> list[int]:
        keys = {float(k): j for j, k in enumerate(self.cohort_size)}
        return [keys[float(c)] for c in cohorts]

    def _spaces(self) -> list[tuple[FloatArray, FloatArray]]:
        """The rows on which aggregations are computed: units, then bootstrap draws.

        Each space is (cell influence, centred cohort indicators): the units'
        influence functions and :math:`1[G_i = g] - n_g/n`, or the same
        multiplied by the bootstrap's multipliers and averaged (one row per
        draw). Every aggregation is linear in both, so one code gives its
        influence function and its bootstrap draws from the same draws as the
        cells.
        """
        keys = np.array([float(k) for k in self.cohort_size], dtype=float)
        share = np.array([self.cohort_size[k] for k in self.cohort_size], float) / self.n_entities
        ind = (self._unit_cohorts[:, None] == keys[None, :]).astype(float) - share[None, :]
        spaces = [(np.asarray(self.influence), ind)]
        if self.n_bootstrap:
            spaces.append((np.asarray(self.boot_cells), np.asarray(self.boot_cohorts)))
        return spaces

    def _weighted(
        self,
        keep: np.ndarray[Any, Any],
        *,
        estimated: bool,
        space: tuple[FloatArray, FloatArray],
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
        cells, coh = space
        inf = cells[:, idx] @ w
        if estimated:
            g_cells = self.att_gt["cohort"].to_numpy(dtype=float)[idx]
            centred = coh[:, self._cohort_columns(g_cells)]  # (rows, cells)
            s = pg[idx].sum()
            if1 = centred / s
            if2 = centred.sum(axis=1)[:, None] * (pg[idx] / s**2)[None, :]
            inf = inf + (if1 - if2) @ att[idx]
        return theta, inf

    @property
    def _unit_cohorts(self) -> FloatArray:
        return np.asarray(self.entity_cohort, dtype=float)

    def _se(self, inf: FloatArray) -> float:
        return float(math.sqrt(float(np.sum(inf**2))) / self.n_entities)

    def _table(
        self, key: str, labels: list[Any], thetas: list[float], vecs: list[list[FloatArray]]
    ) -> pd.DataFrame:
        """An aggregation's table: pointwise intervals, and with the bootstrap its uniform band."""
        z = _z(self.level)
        att = np.array(thetas, dtype=float)
        if self.n_bootstrap:
            se, crit = _boot_se_crit(np.column_stack(vecs[1]), self.level)
            crit = max(crit, z)  # as R did's aggte: never narrower than pointwise
        else:
            se = np.array([self._se(v) for v in vecs[0]])
            crit = z
        out = pd.DataFrame(
            {key: labels, "att": att, "se": se, "ci_low": att - z * se, "ci_high": att + z * se}
        )
        if self.n_bootstrap:
            out["band_low"] = att - crit * se
            out["band_high"] = att + crit * se
            out["critical_value"] = crit
        return out

    def _estimate(self, theta: float, vecs: list[FloatArray], what: str) -> EffectEstimate:
        if self.n_bootstrap:
            se = float(_boot_se_crit(vecs[1][:, None], self.level)[0][0])
            what = f"{what}; multiplier bootstrap standard error ({self.n_bootstrap} draws)"
        else:
            se = self._se(vecs[0])
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
            n_treated=self.n_entities - n_control,
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
            ``cohort`` or ``time``), ``att``, ``se``, ``ci_low``, ``ci_high``
            (pointwise intervals) and, with the bootstrap, ``band_low``,
            ``band_high`` (the simultaneous band over the table's rows) and
            ``critical_value`` (its :math:`\hat c`, the same on every row).

        Raises
        ------
        EstimationError
            An unknown ``kind``, or no post-treatment cell.

        Notes
        -----
        Standard errors come from the influence functions, including the
        estimation of the cohort-share weights where they are estimated (as in
        Callaway & Sant'Anna's aggregation). With ``n_bootstrap=B`` every
        aggregation is bootstrapped from the same multiplier draws as the
        cells (its influence function is linear in theirs): the standard error
        is :math:`(q_{.75} - q_{.25}) / (z_{.75} - z_{.25})` of its draws, and
        a table's band is :math:`\widehat{ATT} \pm \hat c\, \widehat{SE}` with
        :math:`\hat c` the ``level`` quantile of
        :math:`\max_j |\theta^*_j - \hat\theta_j| / \widehat{SE}_j` over the
        draws (the sup-t band of R ``did``'s ``aggte(cband=TRUE)``, never
        narrower than the pointwise interval).
        """
        if kind not in KINDS:
            raise EstimationError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        tab = self.att_gt
        g = tab["cohort"].to_numpy(dtype=float)
        t = tab["time"].to_numpy(dtype=float)
        post = tab["post"].to_numpy(dtype=bool)
        if not post.any():
            raise EstimationError("no post-treatment cell to aggregate")
        spaces = self._spaces()
        if kind == "simple":
            parts = [self._weighted(post, estimated=True, space=sp) for sp in spaces]
            return self._estimate(parts[0][0], [v for _, v in parts], "simple")
        if kind == "dynamic":
            e = tab["event_time"].to_numpy(dtype=float)
            keys = np.unique(e)
            sels = [e == ev for ev in keys]
            estimated = True
        elif kind == "group":
            keys = np.unique(g[post])
            sels = [post & (g == c) for c in keys]
            estimated = False
        else:
            keys = np.unique(t[post])
            sels = [post & (t == tt) for tt in keys]
            estimated = True
        thetas: list[float] = []
        vecs: list[list[FloatArray]] = [[] for _ in spaces]
        for sel in sels:
            for k, sp in enumerate(spaces):
                th, inf = self._weighted(sel, estimated=estimated, space=sp)
                vecs[k].append(inf)
            thetas.append(th)
        if overall:
            return self._overall(kind, keys, np.array(thetas), vecs, spaces)
        labels = [fmt_period(k) for k in keys]
        name = {"dynamic": "event_time", "group": "cohort", "calendar": "time"}[kind]
        return self._table(name, labels, thetas, vecs)

    def _overall(
        self,
        kind: str,
        keys: FloatArray,
        thetas: FloatArray,
        vecs: list[list[FloatArray]],
        spaces: list[tuple[FloatArray, FloatArray]],
    ) -> EffectEstimate:
        if kind == "dynamic":
            sel = np.flatnonzero(keys >= 0)
            out = [np.mean([v[i] for i in sel], axis=0) for v in vecs]
            return self._estimate(float(thetas[sel].mean()), out, "dynamic (mean over e >= 0)")
        if kind == "calendar":
            out = [np.mean(v, axis=0) for v in vecs]
            return self._estimate(float(thetas.mean()), out, "calendar (mean over periods)")
        pg = np.array([self.cohort_size[fmt_period(c)] for c in keys], float) / self.n_entities
        w = pg / pg.sum()
        s = pg.sum()
        out = []
        for v, (_, coh) in zip(vecs, spaces, strict=True):
            centred = coh[:, self._cohort_columns(keys)]
            if1 = centred / s
            if2 = centred.sum(axis=1)[:, None] * (pg / s**2)[None, :]
            out.append(np.column_stack(v) @ w + (if1 - if2) @ thetas)
        return self._estimate(float(w @ thetas), out, "group (cohort-size weighted)")

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
            ``method``, ``level``, ``n_entities``, ``uniform``, ``n_bootstrap``
            (draws, 0 for none), ``cohort_size``, ``att_gt`` (records, with the
            bands and critical value under the bootstrap), ``missing_cells``,
            ``simple`` (the aggregated estimate) and ``event_study`` (records of
            the dynamic aggregation, with its uniform band and critical value
            under the bootstrap).
        """
        return {
            "method": self.method,
            "level": self.level,
            "n_entities": self.n_entities,
            "uniform": self.uniform,
            "n_bootstrap": self.n_bootstrap,
            "cohort_size": jsonable(dict(self.cohort_size)),
            "att_gt": jsonable(self.att_gt),
            "missing_cells": [
                {"cohort": jsonable(g), "time": jsonable(t), "reason": why}
                for g, t, why in self.missing_cells
            ],
            "simple": self.aggregate("simple").to_dict(),
            "event_study": jsonable(self.aggregate("dynamic")),
        }

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
            The simple aggregation and the event-study table (with its uniform
            band and critical value under the bootstrap).
        """
        s = self.aggregate("simple")
        lo, hi = s.ci
        dyn = self.aggregate("dynamic")
        lines = [
            ("Method", self.method),
            ("ATT (simple)", f"{s.effect:.6g}"),
            ("Std. error", f"{s.se:.6g}"),
            (f"{level_text(self.level)} interval", f"[{lo:.6g}, {hi:.6g}]"),
            ("Units", str(self.n_entities)),
            ("Cohorts", ", ".join(f"{k}: {v}" for k, v in self.cohort_size.items())),
        ]
        if self.n_bootstrap:
            lines.append(("Bootstrap", f"multiplier (Rademacher), {self.n_bootstrap} draws"))
            lines.append(
                (
                    f"Uniform {level_text(self.level)} band, critical value",
                    f"cells {float(self.att_gt['critical_value'].iloc[0]):.4g}, "
                    f"event study {float(dyn['critical_value'].iloc[0]):.4g}",
                )
            )
        if self.missing_cells:
            cells = ", ".join(f"({g}, {t})" for g, t, _ in self.missing_cells)
            lines.append(("Cells not estimated", cells))
        return Summary("Staggered difference-in-differences", tuple(lines), dyn)


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
    n_bootstrap : int, default 0
        With ``B >= 2``, standard errors and simultaneous (uniform) bands over
        the group-time cells come from the multiplier bootstrap with Rademacher
        weights (:math:`\pm 1`, as R ``did``), and so do those of every
        aggregation (from the same draws), each aggregation table with its own
        uniform band (``band_low``, ``band_high``, ``critical_value``); ``0``
        uses the analytic influence-function standard errors and pointwise
        intervals.

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

    **Overlap** (Callaway & Sant'Anna 2021, assumption 6), as the DRDID
    engine behind R ``did``: in a doubly robust cell the scores are capped at
    :math:`1 - 10^{-6}`, controls with :math:`\hat p \ge 0.995` get zero
    weight (counted in ``n_trimmed``; the outcome regression keeps them), and a
    cell is not estimated when its largest score reaches 0.999 or when every
    control is trimmed. Such cells are listed in ``missing_cells``, left out of
    the table and of every aggregation (R's ``aggte(na.rm = TRUE)``), and an
    :class:`~impactkit.errors.OverlapWarning` names the cells (cohort, time)
    trimmed or missing. When covariates separate units exactly, the scores are
    taken at the limit of the logit's likelihood: treated units separated
    reach 1, so the cell is missing; controls separated reach 0 and get zero
    weight, and the cell is estimated, with a
    :class:`~impactkit.errors.ConvergenceWarning` (R ``did`` estimates it from
    a fit stopped near that limit). A cell without covariates is R's
    intercept-only doubly robust cell: every score is the cohort's share of
    the cell, so a share of 0.995 or more leaves it missing.

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
    >>> r = StaggeredDiD().estimate(df, outcome="y", entity="id", time="year", cohort="g")
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
    n_bootstrap: int = 0

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
        if (
            not isinstance(self.n_bootstrap, int | np.integer)
            or self.n_bootstrap < 0
            or self.n_bootstrap == 1
        ):
            # one draw has no spread: its standard errors would be 0
            problems.append(
                "n_bootstrap must be 0 (analytic) or a whole number >= 2, "
                f"got {self.n_bootstrap!r}"
            )
        if problems:
            raise EstimationError("; ".join(problems))

    def estimate(
        self,
        df: pd.DataFrame,
        *,
        outcome: str,
        entity: str,
        time: str,
        cohort: str,
        covariates: Sequence[str] | None = None,
        seed: SeedLike = None,
    ) -> StaggeredResult:
        """Estimate every group-time effect.

        Parameters
        ----------
        df : pandas.DataFrame
            Balanced panel, long form.
        outcome, entity, time, cohort : str
            Columns: outcome, entity id, period (numeric), first treated period
            (0 or missing for never treated).
        covariates : sequence of str, optional
            Pre-treatment covariates for the doubly robust cells.
        seed : int, SeedSequence, Generator or None
            Randomness of the bootstrap (``n_bootstrap > 0``); None draws fresh
            entropy, recorded on the result as ``seed_entropy``.

        Returns
        -------
        StaggeredResult
            The group-time table, influence functions and aggregations.

        Raises
        ------
        EstimationError
            Bad columns or panel (see the Notes), a cohort with no pre-period,
            no never-treated units with ``control="never_treated"``, no cell
            that can be estimated.

        Warns
        -----
        OverlapWarning
            Naming the doubly robust cells (cohort, time) where controls were
            trimmed, and those not estimated for lack of overlap.
        ConvergenceWarning
            Naming the cells whose propensity model has no maximum because
            covariates separate some controls from the cohort (estimated at the
            limit, where those controls get zero weight).
        """
        p = staggered_panel(
            df,
            outcome=outcome,
            entity=entity,
            time=time,
            cohort=cohort,
            covariates=covariates or (),
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
        missing: list[tuple[Any, Any, str]] = []
        trimmed: list[tuple[Any, Any, int]] = []
        separated: list[tuple[Any, Any, int, tuple[str, ...]]] = []
        uncontrolled: list[tuple[Any, Any, str]] = []
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
                    # no never-treated unit, and none not yet treated by then: said, never
                    # dropped silently
                    why = (
                        "no comparison units: no never-treated unit, and none not yet "
                        f"treated by period {fmt_period(limit)}"
                        if self.control == "not_yet_treated"
                        else "no comparison units"
                    )
                    uncontrolled.append((fmt_period(g), fmt_period(t), why))
                    continue
                dy = p.y[:, ti] - p.y[:, b]
                inf = np.zeros(n)
                n_trim = 0
                if p.x.shape[1]:
                    sub = in_g | ctrl
                    try:
                        att, inf_sub, n_trim, fit = _dr_panel(
                            dy[sub], in_g[sub].astype(float), p.x[sub], p.covariates
                        )
                    except _NoEstimate as why:
                        missing.append((fmt_period(g), fmt_period(t), str(why)))
                        continue
                    inf[sub] = inf_sub * (n / int(sub.sum()))
                    if n_trim:
                        trimmed.append((fmt_period(g), fmt_period(t), n_trim))
                    if fit.separated.any():
                        separated.append(
                            (fmt_period(g), fmt_period(t), int(fit.separated.sum()), fit.involved)
                        )
                else:
                    # R did's intercept-only doubly robust cell: every score is the cohort's
                    # share of the cell, so the same overlap rules apply to it
                    cohort_share = n_g / (n_g + n_c)
                    if cohort_share >= OVERLAP_LIMIT:
                        reason = f"largest propensity score {cohort_share:.6g} >= {OVERLAP_LIMIT}"
                    elif cohort_share >= ATT_TRIM_LEVEL:
                        reason = f"every control has a propensity score >= {ATT_TRIM_LEVEL}"
                    else:
                        reason = ""
                    if reason:
                        missing.append(
                            (
                                fmt_period(g),
                                fmt_period(t),
                                f"{reason} (without covariates the score is the cohort's share "
                                f"of the cell, {n_g} of {n_g + n_c} units)",
                            )
                        )
                        continue
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
                        "n_trimmed": n_trim,
                    }
                )
                infs.append(inf)
        _warn_overlap(trimmed, missing)
        _warn_separated(separated)
        if uncontrolled:
            cells = ", ".join(f"({g}, {t})" for g, t, _ in uncontrolled)
            warnings.warn(
                f"group-time cells (cohort, time) without any comparison unit, not estimated: "
                f"{cells}; they are left out of the table and of every aggregation (see "
                "missing_cells)",
                ImpactkitWarning,
                stacklevel=2,
            )
            missing.extend(uncontrolled)
        if not rows:
            raise EstimationError(
                "no group-time cell could be estimated: "
                + (
                    "; ".join(f"({g}, {t}): {why}" for g, t, why in missing)
                    or "no comparison units"
                )
            )
        influence = np.column_stack(infs)
        tab = pd.DataFrame(rows)
        se = np.sqrt((influence**2).sum(axis=0)) / n
        z = _z(self.level)
        sizes = {fmt_period(c): int((coh == c).sum()) for c in [0.0, *cohorts.tolist()]}
        uniform = False
        entropy = None
        boot_cells = boot_cohorts = np.zeros((0, 0))
        if self.n_bootstrap:
            keys = np.array([0.0, *cohorts.tolist()])
            share = np.array(list(sizes.values()), dtype=float) / n
            centred = (coh[:, None] == keys[None, :]).astype(float) - share[None, :]
            draws, entropy = _multiplier_draws(
                np.hstack([influence, centred]), int(self.n_bootstrap), seed
            )
            boot_cells, boot_cohorts = (
                draws[:, : influence.shape[1]],
                draws[:, influence.shape[1] :],
            )
            se, z = _boot_se_crit(boot_cells, self.level)
            uniform = True
        att_v = tab["att"].to_numpy()
        tab.insert(3, "se", se)
        tab.insert(4, "ci_low", att_v - z * se)
        tab.insert(5, "ci_high", att_v + z * se)
        if self.n_bootstrap:
            tab["band_low"] = tab["ci_low"]
            tab["band_high"] = tab["ci_high"]
            tab["critical_value"] = z
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
            n_entities=n,
            level=self.level,
            method=method,
            uniform=uniform,
            seed_entropy=entropy,
            entity_cohort=coh[order],
            missing_cells=missing,
            n_bootstrap=int(self.n_bootstrap),
            boot_cells=boot_cells,
            boot_cohorts=boot_cohorts,
        )
        return res


def _warn_overlap(
    trimmed: list[tuple[Any, Any, int]], missing: list[tuple[Any, Any, str]]
) -> None:
    """Warn once naming the cells with trimmed controls, once naming the missing cells."""
    if trimmed:
        cells = ", ".join(f"({g}, {t}): {k}" for g, t, k in trimmed)
        warnings.warn(
            f"controls with propensity scores >= {ATT_TRIM_LEVEL} get zero weight in the "
            f"doubly robust cells; controls trimmed by cell (cohort, time): {cells} "
            "(column n_trimmed); the effect rests on the remaining controls",
            OverlapWarning,
            stacklevel=3,
        )
    if missing:
        cells = "; ".join(f"({g}, {t}): {why}" for g, t, why in missing)
        warnings.warn(
            f"group-time cells (cohort, time) not estimated for lack of overlap: {cells}; "
            "they are left out of the table and of every aggregation (see missing_cells)",
            OverlapWarning,
            stacklevel=3,
        )


def _warn_separated(separated: list[tuple[Any, Any, int, tuple[str, ...]]]) -> None:
    """Warn once naming the cells whose propensity fit did not converge (controls separated)."""
    if not separated:
        return
    cells = ", ".join(
        f"({g}, {t}): {k} controls" + (f" ({', '.join(inv)})" if inv else "")
        for g, t, k, inv in separated
    )
    warnings.warn(
        "the propensity model did not converge in some doubly robust cells: covariates "
        "separate some controls from the cohort, so their scores tend to 0; the cells are "
        "estimated at that limit, where those controls get zero weight (the outcome "
        f"regression keeps them); separated controls by cell (cohort, time): {cells}",
        ConvergenceWarning,
        stacklevel=3,
    )


def _multiplier_draws(
    influence: FloatArray, b: int, seed: SeedLike
) -> tuple[FloatArray, int | None]:
    r"""Multiplier bootstrap: ``b`` draws of :math:`\frac1n\sum_i V_i \psi_i` per column.

    Rademacher multipliers (:math:`V_i = \pm 1` with probability 1/2 each), as R
    ``did``'s ``mboot`` (``BMisc::multiplier_bootstrap``) and ``csdid``.
    """
    rng, entropy = seeded(seed)  # the one seed rule: a bad seed is a located error
    n = influence.shape[0]
    draws = np.empty((b, influence.shape[1]))
    chunk = max(1, min(b, 2_000_000 // max(n, 1)))
    for start in range(0, b, chunk):  # chunks of draws; each is one matrix product
        m = min(chunk, b - start)
        v = np.where(rng.random((m, n)) < 0.5, -1.0, 1.0)
        draws[start : start + m] = v @ influence / n
    return draws, entropy


def _boot_se_crit(draws: FloatArray, level: float) -> tuple[FloatArray, float]:
    r"""IQR standard errors of each column and the sup-t critical value over the columns.

    As R ``did``'s ``mboot``: :math:`(q_{.75} - q_{.25}) / (z_{.75} - z_{.25})`
    with type-1 (inverse empirical distribution) quantiles, and the ``level``
    quantile of :math:`\max_j |\theta^*_j| / \widehat{SE}_j` over the draws,
    leaving out degenerate columns (no spread).
    """
    q75, q25 = np.quantile(draws, [0.75, 0.25], axis=0, method="inverted_cdf")
    se = (q75 - q25) / (special.ndtri(0.75) - special.ndtri(0.25))
    ok = se > 1e-12 * np.maximum(1.0, np.abs(draws).max(axis=0))
    tmax = np.max(np.abs(draws[:, ok]) / se[ok], axis=1) if ok.any() else np.zeros(len(draws))
    crit = float(np.quantile(tmax, level, method="inverted_cdf"))
    return np.asarray(se, dtype=float), crit
