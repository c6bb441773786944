r"""Event studies under staggered adoption: Sun & Abraham (2021), and why TWFE misleads.

:class:`SunAbraham` estimates cohort-specific effects :math:`\delta_{g,e}` by
interacting cohort and event-time indicators in a two-way fixed-effects
regression (reference period :math:`e = -1`, clean controls), then averages
them over cohorts with their shares (interaction-weighted estimator).
:func:`bacon_decomposition` writes the TWFE coefficient of a staggered design
as the weighted average of every 2×2 comparison (Goodman-Bacon 2021), showing
the weight put on "forbidden" comparisons that use already-treated units as
controls.

References
----------
.. [1] Sun, L., & Abraham, S. (2021). Estimating dynamic treatment effects in
   event studies with heterogeneous treatment effects. Journal of Econometrics
   225(2), 175-199.
.. [2] Goodman-Bacon, A. (2021). Difference-in-differences with variation in
   treatment timing. Journal of Econometrics 225(2), 254-277.
"""

from __future__ import annotations

from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd
from scipy import special

from impactkit._results import Summary, displayed, jsonable
from impactkit.attribution._core import cr1_parameters, level_text, ols, sandwich
from impactkit.attribution._means_did import demean_two_way
from impactkit.attribution._panel import fmt_period, staggered_panel
from impactkit.errors import EstimationError

__all__ = ["BaconDecomposition", "EventStudyResult", "SunAbraham", "bacon_decomposition"]


@displayed
@attrs.frozen
class EventStudyResult:
    """An event study: effects by event time, and by cohort and event time.

    Parameters
    ----------
    event_study : pandas.DataFrame
        ``event_time``, ``att``, ``se``, ``ci_low``, ``ci_high`` (the
        interaction-weighted averages; event time -1 is the reference).
    cohort_effects : pandas.DataFrame
        ``cohort``, ``event_time``, ``att``, ``se``, ``weight`` (the cohort's
        share at that event time).
    level : float
        Confidence level.
    method : str
        Estimator and its options.
    n_entities : int
        Entities (units) in the panel.

    Examples
    --------
    :meth:`SunAbraham.estimate` returns it.
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
    >>> r = SunAbraham().estimate(df, outcome="falls", entity="site", time="year",
    ...                           cohort="first")
    >>> es = r.event_study.set_index("event_time")
    >>> es.loc[[0, 1, 2, 3], "att"].round(1).tolist()
    [-3.9, -3.7, -4.2, -4.8]
    >>> r.n_entities, r.cohort_effects.columns.tolist()
    (36, ['cohort', 'event_time', 'att', 'se', 'weight'])
    """

    event_study: pd.DataFrame = attrs.field(eq=False)
    cohort_effects: pd.DataFrame = attrs.field(eq=False)
    level: float
    method: str
    n_entities: int

    def to_frame(self) -> pd.DataFrame:
        """The event-study table.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`event_study`.
        """
        return self.event_study.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            Method, level, units and both tables as records.
        """
        return {
            "method": self.method,
            "level": self.level,
            "n_entities": self.n_entities,
            "event_study": jsonable(self.event_study),
            "cohort_effects": jsonable(self.cohort_effects),
        }

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
            Method, units, the intervals' level and the event-study table.
        """
        return Summary(
            "Event study",
            (
                ("Method", self.method),
                ("Units", str(self.n_entities)),
                ("Intervals", f"{level_text(self.level)}, pointwise"),
            ),
            self.event_study,
        )


@attrs.frozen
class SunAbraham:
    r"""Sun & Abraham (2021) interaction-weighted event study.

    Parameters
    ----------
    control : {"never_treated", "last_treated"}, default "never_treated"
        Clean comparison cohort: units never treated in the window, or the
        last cohort to adopt (then only periods before it adopts are used).
    level : float, default 0.95
        Confidence level.

    Notes
    -----
    On a balanced panel the regression

    .. math::
        Y_{it} = \alpha_i + \lambda_t + \sum_{g}\sum_{e \ne -1}
        \delta_{g,e}\, 1[G_i = g]\, 1[t - g = e] + \varepsilon_{it}

    is fitted within (two-way demeaning) and the event-study coefficient is
    :math:`\hat\theta(e) = \sum_g w_{g,e}\hat\delta_{g,e}` with :math:`w_{g,e}`
    the share of cohort :math:`g` among the cohorts observed at event time
    :math:`e`. Standard errors are clustered by unit (CR1,
    :math:`\frac{G}{G-1}\frac{n-1}{n-k}` with *k* counting the interaction
    terms, the time effects and the constant; the unit effects, nested in the
    clusters, are not counted: the convention of
    :class:`DifferenceInDifferences`, fixest, pyfixest and reghdfe); the
    cohort shares are treated as fixed in the aggregation. Intervals are
    Student's t on :math:`G - 1` degrees of freedom, *G* the units (clusters),
    as those of :class:`DifferenceInDifferences`.
    Never-treated units are coded 0 in ``cohort``.

    References
    ----------
    .. [1] Sun, L., & Abraham, S. (2021). Estimating dynamic treatment effects in
       event studies with heterogeneous treatment effects. Journal of
       Econometrics 225(2), 175-199.

    Examples
    --------
    >>> rows = []
    >>> for i in range(30):
    ...     g = (0, 3, 4)[i % 3]
    ...     for t in range(1, 6):
    ...         effect = (t - g + 1) if g and t >= g else 0.0
    ...         rows.append({"id": i, "year": t, "g": g, "y": 0.1 * i + t + effect})
    >>> r = SunAbraham().estimate(pd.DataFrame(rows), outcome="y", entity="id",
    ...                           time="year", cohort="g")
    >>> r.event_study.set_index("event_time")["att"].round(6).loc[[0, 1, 2]].tolist()
    [1.0, 2.0, 3.0]
    """

    name: ClassVar[str] = "sun_abraham"
    control: str = "never_treated"
    level: float = 0.95

    def __attrs_post_init__(self) -> None:
        if self.control not in ("never_treated", "last_treated"):
            raise EstimationError(
                f"control must be 'never_treated' or 'last_treated', got {self.control!r}"
            )
        if not 0 < self.level < 1:
            raise EstimationError(f"level must be in (0, 1), got {self.level!r}")

    def estimate(
        self, df: pd.DataFrame, *, outcome: str, entity: str, time: str, cohort: str
    ) -> EventStudyResult:
        """Estimate the cohort-specific effects and the event study.

        Parameters
        ----------
        df : pandas.DataFrame
            Balanced panel, long form.
        outcome, entity, time, cohort : str
            Columns (cohort: first treated period, 0 for never treated).

        Returns
        -------
        EventStudyResult
            The event-study and cohort tables.

        Raises
        ------
        EstimationError
            Bad panel, no clean control cohort, a cohort with no pre-period.
        """
        p = staggered_panel(df, outcome=outcome, entity=entity, time=time, cohort=cohort)
        periods = p.periods
        coh = np.where(p.cohort > periods[-1], 0.0, p.cohort)
        y = p.y
        if self.control == "never_treated":
            if not (coh == 0).any():
                raise EstimationError(
                    f"no never-treated units (cohort 0 in {cohort!r}); use control='last_treated'"
                )
            is_control = coh == 0
            keep_t = np.ones(len(periods), bool)
        else:
            last = float(coh.max())
            is_control = (coh == 0) | (coh == last)
            keep_t = periods < last
        treated = np.unique(coh[~is_control])
        if not len(treated):
            raise EstimationError("no treated cohort besides the control cohort")
        no_pre = [fmt_period(g) for g in treated if g <= periods[0]]
        if no_pre:
            raise EstimationError(
                f"cohorts {no_pre} of {cohort!r} have no pre-treatment period in the data"
            )
        units_ok = is_control | np.isin(coh, treated)
        y = y[units_ok][:, keep_t]
        coh_u = coh[units_ok]
        tt = periods[keep_t]
        n_u, n_t = y.shape
        ui = np.repeat(np.arange(n_u), n_t)
        # The panel is balanced (units x periods): the within transformation of a
        # unit-level a_i times a period-level b_t is (a_i - mean a)(b_t - mean b), so
        # the cohort x event-time dummy 1[G_i = g] 1[t = g + e] is demeaned exactly
        # in one product, and the outcome by its row, column and grand means.
        cells = []
        parts = []
        for g in treated:
            in_g = (coh_u == g).astype(float)
            for e in np.unique(tt - g):
                if e == -1:
                    continue
                at_e = (tt - g == e).astype(float)
                if in_g.any() and at_e.any():
                    cells.append((g, e))
                    parts.append((in_g - in_g.mean(), at_e - at_e.mean()))
        if not cells:
            raise EstimationError("no cohort-by-event-time cell to estimate")
        # one contiguous column at a time (the design is column-major: each column is
        # written in one sequential pass, not spread over every row)
        xd = np.empty((len(cells), n_u, n_t))
        for c, (a, b) in enumerate(parts):
            np.multiply.outer(a, b, out=xd[c])
        xd = xd.reshape(len(cells), n_u * n_t).T
        yd = (y - y.mean(axis=1, keepdims=True) - y.mean(axis=0, keepdims=True) + y.mean()).ravel()
        beta, resid, bread = ols(xd, yd)
        # CR1: G/(G-1) (n-1)/(n-k), k counting the regressors, the time effects and
        # the constant; unit effects are nested in the unit clusters and are not counted
        k = cr1_parameters(len(cells), n_units=n_u, n_times=n_t)
        vcov = sandwich(xd, resid, bread, kind="CR1", groups=ui, k=k)
        # t on G - 1 degrees of freedom (clusters: the units), as DifferenceInDifferences
        z = float(special.stdtrit(n_u - 1, 0.5 + self.level / 2))
        size = {g: int((coh_u == g).sum()) for g in treated}
        ce = pd.DataFrame(
            {
                "cohort": [fmt_period(g) for g, _ in cells],
                "event_time": [fmt_period(e) for _, e in cells],
                "att": beta,
                "se": np.sqrt(np.diag(vcov)),
            }
        )
        ev = np.array([e for _, e in cells])
        rows = []
        weights = np.zeros(len(cells))
        for e in np.unique(ev):
            idx = np.flatnonzero(ev == e)
            n_g = np.array([size[cells[i][0]] for i in idx], float)
            w = n_g / n_g.sum()
            weights[idx] = w
            th = float(w @ beta[idx])
            se = float(np.sqrt(w @ vcov[np.ix_(idx, idx)] @ w))
            rows.append(
                {
                    "event_time": fmt_period(e),
                    "att": th,
                    "se": se,
                    "ci_low": th - z * se,
                    "ci_high": th + z * se,
                }
            )
        ce["weight"] = weights
        method = f"Sun-Abraham interaction-weighted event study, control {self.control}"
        return EventStudyResult(pd.DataFrame(rows), ce, self.level, method, n_u)


@displayed
@attrs.frozen
class BaconDecomposition:
    """The TWFE coefficient of a staggered design as a weighted sum of 2×2 comparisons.

    Parameters
    ----------
    comparisons : pandas.DataFrame
        One row per 2×2: ``type``, ``treated``, ``control`` (cohorts; 0 never
        treated), ``estimate``, ``weight``.
    twfe : float
        The two-way fixed-effects coefficient, equal to
        ``(comparisons.estimate * comparisons.weight).sum()``.

    Examples
    --------
    :func:`bacon_decomposition` returns it.
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
    >>> b = bacon_decomposition(df, outcome="falls", entity="site", time="year",
    ...                         cohort="first")
    >>> round(b.twfe, 3)
    -4.072
    >>> b.by_type()[["type", "weight"]].round(3)
                                     type  weight
    0            treated vs never treated   0.773
    1  earlier vs later (not yet treated)   0.091
    2  later vs earlier (already treated)   0.136
    """

    comparisons: pd.DataFrame = attrs.field(eq=False)
    twfe: float

    def by_type(self) -> pd.DataFrame:
        """Weight and weighted average estimate of each type of comparison.

        Returns
        -------
        pandas.DataFrame
            ``type``, ``weight``, ``estimate`` (weight-averaged within the type).
        """
        c = self.comparisons
        g = c.assign(wx=c["weight"] * c["estimate"]).groupby("type", sort=False)
        out = g[["weight", "wx"]].sum()
        out["estimate"] = out["wx"] / out["weight"].where(out["weight"] != 0)
        return out.drop(columns="wx").reset_index()

    def to_frame(self) -> pd.DataFrame:
        """The table of comparisons.

        Returns
        -------
        pandas.DataFrame
            A copy of :attr:`comparisons`.
        """
        return self.comparisons.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            ``twfe``, ``comparisons`` and ``by_type`` as records.
        """
        return {
            "twfe": jsonable(self.twfe),
            "comparisons": jsonable(self.comparisons),
            "by_type": jsonable(self.by_type()),
        }

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
            The TWFE coefficient and the weight of each type of comparison.
        """
        bt = self.by_type()
        forbidden = float(bt.loc[bt["type"] == LATER_VS_EARLIER, "weight"].sum())
        lines = (
            ("TWFE coefficient", f"{self.twfe:.6g}"),
            ("Weight on already-treated controls", f"{forbidden:.1%}"),
        )
        return Summary("Goodman-Bacon decomposition", lines, bt)


TREATED_VS_NEVER = "treated vs never treated"
EARLIER_VS_LATER = "earlier vs later (not yet treated)"
LATER_VS_EARLIER = "later vs earlier (already treated)"


def bacon_decomposition(
    df: pd.DataFrame, *, outcome: str, entity: str, time: str, cohort: str
) -> BaconDecomposition:
    r"""Goodman-Bacon (2021) decomposition of a staggered TWFE estimate.

    Parameters
    ----------
    df : pandas.DataFrame
        Balanced panel, long form, with a binary absorbing treatment defined by
        ``cohort`` (first treated period; 0 never treated).
    outcome, entity, time, cohort : str
        Columns.

    Returns
    -------
    BaconDecomposition
        Every 2×2 estimate with its weight, and the TWFE coefficient.

    Raises
    ------
    EstimationError
        Bad panel, or no variation in treatment timing.

    Notes
    -----
    With :math:`n_k` the share of units in timing group *k*,
    :math:`\bar D_k` its share of periods treated and :math:`\hat V^D` the
    variance of the two-way demeaned treatment, the weights are (Theorem 1)

    .. math::
        s_{kU} &= (n_k + n_U)^2\, n_{kU}(1-n_{kU})\, \bar D_k(1-\bar D_k) / \hat V^D \\
        s^k_{k\ell} &= \bigl((n_k + n_\ell)(1-\bar D_\ell)\bigr)^2 n_{k\ell}(1-n_{k\ell})
            \tfrac{\bar D_k-\bar D_\ell}{1-\bar D_\ell}\tfrac{1-\bar D_k}{1-\bar D_\ell}
            / \hat V^D \\
        s^\ell_{k\ell} &= \bigl((n_k + n_\ell)\bar D_k\bigr)^2 n_{k\ell}(1-n_{k\ell})
            \tfrac{\bar D_\ell}{\bar D_k}\tfrac{\bar D_k-\bar D_\ell}{\bar D_k} / \hat V^D

    for an earlier cohort *k* and a later cohort :math:`\ell`; they sum to one
    and :math:`\hat\beta^{TWFE} = \sum s\,\hat\beta^{2\times2}`. The third kind
    ("later vs earlier") uses already-treated units as controls: when effects
    grow over time its 2×2 estimates are biased, possibly of the wrong sign.

    References
    ----------
    .. [1] Goodman-Bacon, A. (2021). Difference-in-differences with variation in
       treatment timing. Journal of Econometrics 225(2), 254-277.

    Examples
    --------
    >>> rows = []
    >>> for i in range(30):
    ...     g = (0, 3, 4)[i % 3]
    ...     for t in range(1, 6):
    ...         rows.append({"id": i, "year": t, "g": g,
    ...                      "y": i + t + ((t - g + 1) if g and t >= g else 0)})
    >>> b = bacon_decomposition(pd.DataFrame(rows), outcome="y", entity="id",
    ...                         time="year", cohort="g")
    >>> round(float(b.comparisons["weight"].sum()), 12)
    1.0
    """
    p = staggered_panel(df, outcome=outcome, entity=entity, time=time, cohort=cohort)
    periods = p.periods
    n_units, n_t = p.y.shape
    coh = np.where(p.cohort > periods[-1], 0.0, p.cohort)
    d = (periods[None, :] >= coh[:, None]) & (coh[:, None] > 0)
    groups = np.unique(coh)
    if len(groups[groups > 0]) == 0:
        raise EstimationError("no treated units: nothing to decompose")
    ui = np.repeat(np.arange(n_units), n_t)
    ti = np.tile(np.arange(n_t), n_units)
    dd = demean_two_way(d.ravel().astype(float), ui, ti, n_units, n_t)[:, 0]
    yd = demean_two_way(p.y.ravel(), ui, ti, n_units, n_t)[:, 0]
    vd = float(dd @ dd) / (n_units * n_t)
    if vd <= 0:
        raise EstimationError("the treatment does not vary after the fixed effects")
    twfe = float(dd @ yd / (dd @ dd))
    share = {g: float((coh == g).mean()) for g in groups}
    dbar = {g: float(d[coh == g].mean()) for g in groups}
    ybar = {g: p.y[coh == g].mean(axis=0) for g in groups}

    def dd2(a: float, b: float, pre: np.ndarray[Any, Any], post: np.ndarray[Any, Any]) -> float:
        return float(
            (ybar[a][post].mean() - ybar[a][pre].mean())
            - (ybar[b][post].mean() - ybar[b][pre].mean())
        )

    rows: list[dict[str, Any]] = []
    never = [g for g in groups if dbar[g] == 0]
    timing = [g for g in groups if dbar[g] > 0]
    for k in timing:
        for u in never:
            post = periods >= k
            if post.all() or not post.any():
                continue
            nk, nu = share[k], share[u]
            nku = nk / (nk + nu)
            w = (nk + nu) ** 2 * nku * (1 - nku) * dbar[k] * (1 - dbar[k]) / vd
            rows.append(
                {
                    "type": TREATED_VS_NEVER,
                    "treated": k,
                    "control": u,
                    "estimate": dd2(k, u, ~post, post),
                    "weight": w,
                }
            )
    for i, k in enumerate(timing):  # k earlier than l
        for l_ in timing[i + 1 :]:
            nk, nl = share[k], share[l_]
            nkl = nk / (nk + nl)
            dk, dl = dbar[k], dbar[l_]
            pre, mid, post = periods < k, (periods >= k) & (periods < l_), periods >= l_
            if dk < 1 and pre.any():
                w = (
                    ((nk + nl) * (1 - dl)) ** 2
                    * nkl
                    * (1 - nkl)
                    * ((dk - dl) / (1 - dl))
                    * ((1 - dk) / (1 - dl))
                    / vd
                )
                rows.append(
                    {
                        "type": EARLIER_VS_LATER,
                        "treated": k,
                        "control": l_,
                        "estimate": dd2(k, l_, pre, mid),
                        "weight": w,
                    }
                )
            if post.any() and mid.any():
                w = ((nk + nl) * dk) ** 2 * nkl * (1 - nkl) * (dl / dk) * ((dk - dl) / dk) / vd
                rows.append(
                    {
                        "type": LATER_VS_EARLIER,
                        "treated": l_,
                        "control": k,
                        "estimate": dd2(l_, k, mid, post),
                        "weight": w,
                    }
                )
    tab = pd.DataFrame(rows, columns=["type", "treated", "control", "estimate", "weight"])
    tab["treated"] = [fmt_period(v) for v in tab["treated"]]
    tab["control"] = [fmt_period(v) for v in tab["control"]]
    return BaconDecomposition(tab, twfe)
