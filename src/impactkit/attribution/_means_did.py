r"""Difference in means (Welch) and difference-in-differences (2×2 and two-way fixed effects)."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit.attribution._core import (
    FE_DOF,
    EffectEstimate,
    Prepared,
    _check_columns,
    cr1_parameters,
    ols,
    prepare,
    sandwich,
    with_interval,
)
from impactkit.attribution._design import drop_aliased
from impactkit.attribution._panel import PeriodOrder, order_periods, panel_problems
from impactkit.errors import ConvergenceWarning, EstimationError, ImpactkitWarning
from impactkit.typing import FloatArray, SeedLike

if TYPE_CHECKING:
    from impactkit.attribution._wild import TwoWayEffects

__all__ = ["DifferenceInDifferences", "DifferenceInMeans"]


@attrs.frozen
class DifferenceInMeans:
    r"""Difference in mean outcomes between treated and control units, Welch standard error.

    Parameters
    ----------
    level : float, default 0.95
        Confidence level.
    dropna : bool, default False
        Drop rows with missing values (counted in ``dropped``) instead of failing.

    Notes
    -----
    .. math::
        \hat\tau = \bar Y_1 - \bar Y_0, \qquad
        SE = \sqrt{s_1^2/n_1 + s_0^2/n_0}, \qquad
        df = \frac{(s_1^2/n_1 + s_0^2/n_0)^2}{\frac{(s_1^2/n_1)^2}{n_1 - 1}
             + \frac{(s_0^2/n_0)^2}{n_0 - 1}}

    The interval uses Student's t with the Welch–Satterthwaite ``df``. Unbiased
    for the ATE under random assignment only.

    References
    ----------
    .. [1] Welch, B. L. (1947). The generalization of "Student's" problem when
       several different population variances are involved. Biometrika 34.

    Examples
    --------
    >>> df = pd.DataFrame({"y": [3, 5, 7, 1, 2, 3], "t": [1, 1, 1, 0, 0, 0]})
    >>> est = DifferenceInMeans().estimate(df, outcome="y", treatment="t")
    >>> est.effect, round(est.se, 5), round(est.df, 4)
    (3.0, 1.29099, 2.9412)
    """

    name: ClassVar[str] = "difference_in_means"
    level: float = 0.95
    dropna: bool = False

    def estimate(self, df: pd.DataFrame, *, outcome: str, treatment: str) -> EffectEstimate:
        r"""Estimate the effect of ``treatment`` on ``outcome``.

        The estimand is the average treatment effect :math:`E[Y(1) - Y(0)]`,
        identified by random assignment of the treatment (docs/methods/attribution.md):

        .. math::
            \hat\tau = \bar Y_1 - \bar Y_0, \qquad
            SE = \sqrt{s_1^2/n_1 + s_0^2/n_0},

        with :math:`s_w^2` the sample variance (:math:`n_w - 1` divisor) in arm
        :math:`w`; the interval uses Student's t with the Welch–Satterthwaite
        degrees of freedom of the class docstring.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit.
        outcome : str
            Column of the outcome :math:`Y`.
        treatment : str
            Column of the 0/1 treatment indicator.

        Returns
        -------
        EffectEstimate
            The effect, its Welch standard error, confidence interval and
            degrees of freedom, counts by arm, dropped rows, and the mean
            outcome of each arm in ``diagnostics``.

        Raises
        ------
        EstimationError
            When an arm has fewer than 2 units, when the outcome has no
            variance within arms (zero standard error), when ``level`` is not
            in (0, 1), or when the data are unusable: missing or duplicated
            columns, missing values (unless ``dropna``), infinite values, a
            constant outcome or a non-binary treatment.

        References
        ----------
        .. [1] Welch, B. L. (1947). The generalization of "Student's" problem
           when several different population variances are involved.
           Biometrika 34.

        Examples
        --------
        >>> df = pd.DataFrame({"y": [3, 5, 7, 1, 2, 3], "t": [1, 1, 1, 0, 0, 0]})
        >>> est = DifferenceInMeans().estimate(df, outcome="y", treatment="t")
        >>> est.effect, round(est.se, 5), round(est.df, 4)
        (3.0, 1.29099, 2.9412)
        """
        p = prepare(df, outcome=outcome, treatment=treatment, dropna=self.dropna)
        y1, y0 = p.y[p.w == 1], p.y[p.w == 0]
        n1, n0 = len(y1), len(y0)
        if n1 < 2 or n0 < 2:
            raise EstimationError(
                f"Welch's test needs at least 2 units per arm, got {n1} treated and {n0} control"
            )
        a, b = y1.var(ddof=1) / n1, y0.var(ddof=1) / n0
        se = math.sqrt(a + b)
        effect = float(y1.mean() - y0.mean())
        if se == 0:
            raise EstimationError(
                "the outcome has no variance within arms: the standard "
                "error is zero and no interval can be given"
            )
        dof = (a + b) ** 2 / (a * a / (n1 - 1) + b * b / (n0 - 1))
        return with_interval(
            effect,
            se,
            self.level,
            float(dof),
            estimand="ATE",
            method="difference in means (Welch)",
            n_treated=n1,
            n_control=n0,
            dropped=p.dropped,
            diagnostics={
                "outcome_mean_treated": float(y1.mean()),
                "outcome_mean_control": float(y0.mean()),
            },
        )


def _codes(s: pd.Series) -> tuple[npt.NDArray[np.int64], int]:
    codes, uniques = pd.factorize(s, sort=True)
    return codes.astype(np.int64), len(uniques)


def demean_two_way(
    values: FloatArray,
    unit: npt.NDArray[np.int64],
    time: npt.NDArray[np.int64],
    n_unit: int,
    n_time: int,
    *,
    tol: float = 1e-10,
    max_iter: int = 1000,
) -> FloatArray:
    r"""Remove unit and time means from each column (the within transformation).

    Alternating projections (Gauss–Seidel): subtract unit means, then time
    means, until the largest change is below ``tol`` relative to the data's
    scale; exact in one sweep for a balanced panel. Vectorised with
    ``bincount``; no dummy matrices.
    """
    x = np.array(values, dtype=float, copy=True)
    if x.ndim == 1:
        x = x[:, None]
    cu = np.bincount(unit, minlength=n_unit).astype(float)
    ct = np.bincount(time, minlength=n_time).astype(float)
    scale = max(float(np.abs(x).max(initial=0.0)), 1.0)
    for _ in range(max_iter):
        biggest = 0.0
        for idx, cnt, m in ((unit, cu, n_unit), (time, ct, n_time)):
            means = np.empty((m, x.shape[1]))
            for j in range(x.shape[1]):  # columns (few), never rows
                means[:, j] = np.bincount(idx, weights=x[:, j], minlength=m) / cnt
            x -= means[idx]
            biggest = max(biggest, float(np.abs(means).max(initial=0.0)))
        if biggest <= tol * scale:
            return x
    warnings.warn(
        f"two-way demeaning did not converge in {max_iter} sweeps",
        ConvergenceWarning,
        stacklevel=2,
    )
    return x


@attrs.frozen
class DifferenceInDifferences:
    r"""Difference-in-differences: the 2×2 design, or two-way fixed effects on a panel.

    Parameters
    ----------
    design : {"auto", "2x2", "twfe"}
        ``"2x2"``: ``treatment`` marks the treated *group* (constant within a
        unit), ``time`` has two values, the later is the post period.
        ``"twfe"``: ``treatment`` is the unit-period indicator :math:`D_{it}`.
        ``"auto"``: 2×2 when ``time`` has two values and ``treatment`` is
        constant within units, else two-way fixed effects.
    fe_dof : {"nested", "all", "none"}, default "nested"
        Which absorbed fixed effects count in the ``K`` of the CR1 factor of
        two-way fixed effects. ``"nested"``: the time effects and the constant
        but not the unit effects when they are nested in the clusters (every
        unit in one cluster; the convention of fixest, pyfixest and reghdfe,
        shared by every regression estimator); ``"all"``: every
        unit and time effect, as a regression with dummies in statsmodels and
        ``linearmodels`` PanelOLS (``group_debias=True, debiased=True``) do;
        ``"none"``: the regressors only.
    level : float, default 0.95
        Confidence level (t with G − 1 degrees of freedom when clustered).
    dropna : bool, default False
        Drop rows with missing values (counted) instead of failing.
    se : {"cluster", "wild"}, default "cluster"
        ``"cluster"``: CR1 standard errors and a t interval with G − 1 degrees of
        freedom. ``"wild"``: the same CR1 standard error, but the interval and
        the p-value come from the wild cluster restricted bootstrap
        (:func:`wild_cluster_test`), reliable with few clusters; the p-value
        (``pvalue``, ``to_frame()``, ``summary()``) is
        ``diagnostics["wild"]["pvalue"]``.
    n_bootstrap : int, default 9999
        Draws of the wild bootstrap (all :math:`2^G` sign vectors when fewer).

    Notes
    -----
    2×2: the coefficient :math:`\tau` of :math:`Y = \alpha + \beta T + \gamma
    P + \tau T P + \varepsilon`, i.e. :math:`(\bar Y_{T,post} - \bar Y_{T,pre})
    - (\bar Y_{C,post} - \bar Y_{C,pre})`. With ``entity`` (a panel) the standard
    error is clustered by unit (CR1); without it (repeated cross-sections) it
    is HC1.

    Two-way fixed effects: :math:`Y_{it} = \alpha_i + \lambda_t + \tau D_{it}
    + X_{it}'\beta + \varepsilon_{it}`, estimated on the within-transformed data
    (alternating projections, no dummies). CR1 by unit:
    :math:`V = (\tilde X'\tilde X)^{-1} \sum_g \tilde X_g' \hat u_g \hat u_g'
    \tilde X_g (\tilde X'\tilde X)^{-1} \times \frac{G}{G-1}\frac{N-1}{N-K}`
    where ``K`` counts the regressors plus the absorbed effects chosen by
    ``fe_dof`` (by default the time effects and constant, not the unit effects
    nested in the clusters).

    Identifying assumption: parallel trends. With staggered treatment timing
    TWFE can be biased when effects vary (Goodman-Bacon 2021; de Chaisemartin
    and D'Haultfœuille 2020): a warning is issued.

    References
    ----------
    .. [1] Angrist, J., Pischke, J.-S. (2009). Mostly Harmless Econometrics, ch. 5.
    .. [2] Cameron, A. C., Miller, D. L. (2015). A practitioner's guide to
       cluster-robust inference. Journal of Human Resources 50(2).
    .. [3] Goodman-Bacon, A. (2021). Difference-in-differences with variation
       in treatment timing. Journal of Econometrics 225(2).

    Examples
    --------
    >>> df = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4], "year": [0, 1] * 4,
    ...                    "d": [1, 1, 1, 1, 0, 0, 0, 0],
    ...                    "y": [9, 15, 11, 17, 7, 10, 9, 12]})
    >>> DifferenceInDifferences().estimate(df, outcome="y", treatment="d", entity="id",
    ...                                    time="year").effect
    3.0
    """

    name: ClassVar[str] = "difference_in_differences"
    design: Literal["auto", "2x2", "twfe"] = "auto"
    fe_dof: Literal["nested", "all", "none"] = "nested"
    level: float = 0.95
    dropna: bool = False
    se: Literal["cluster", "wild"] = "cluster"
    n_bootstrap: int = 9999

    def estimate(
        self,
        df: pd.DataFrame,
        *,
        outcome: str,
        treatment: str,
        time: str,
        entity: str | None = None,
        covariates: Sequence[str] = (),
        cluster: str | None = None,
        seed: SeedLike = None,
    ) -> EffectEstimate:
        r"""Estimate the effect on the treated; see the class docstring for the designs.

        The estimand is the average effect on the treated (ATT), identified
        by parallel trends: without treatment, treated and control units
        would have followed the same average path (docs/methods/attribution.md). In
        the 2×2 design,

        .. math::
            \hat\tau = (\bar Y_{T,post} - \bar Y_{T,pre})
                       - (\bar Y_{C,post} - \bar Y_{C,pre}),

        the coefficient of :math:`T \times P` in
        :math:`Y = \alpha + \beta T + \gamma P + \tau T P (+ X'\delta) + \varepsilon`;
        with two-way fixed effects, :math:`\tau` of
        :math:`Y_{it} = \alpha_i + \lambda_t + \tau D_{it} + X_{it}'\beta + \varepsilon_{it}`.
        Standard errors are CR1, clustered by ``cluster`` (default ``entity``),
        with a t interval on :math:`G - 1` degrees of freedom; a 2×2 design
        without units or clusters (repeated cross-sections) uses HC1 and
        :math:`n - p` degrees of freedom. With ``se="wild"`` the interval
        and p-value come from the wild cluster restricted bootstrap.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit and period (a panel) or per observation
            (repeated cross-sections, 2×2 only).
        outcome : str
            Column of the outcome :math:`Y`.
        treatment : str
            Column of the 0/1 treatment: the treated group :math:`T`
            (constant within a unit) in a 2×2 design, the unit-period
            indicator :math:`D_{it}` with two-way fixed effects.
        time : str
            Column of the period; in a 2×2 design its later value is the
            post period. Numbers, dates and ordered pandas Categoricals are
            ordered as such; text only when it holds numbers ("9" before
            "10"), and other text is refused, never sorted alphabetically
            (see docs/methods/attribution.md).
        entity : str, optional
            Column identifying units (panel data); required by two-way fixed
            effects and the default cluster.
        covariates : sequence of str, default ()
            Columns of time-varying covariates :math:`X` added to the
            regression (covariates absorbed by the fixed effects are dropped
            with a warning).
        cluster : str, optional
            Column of the clusters of the standard error (default: ``entity``),
            e.g. the département when units are establishments.
        seed : int, SeedSequence, Generator or None
            Randomness of the wild bootstrap (``se="wild"``); None draws fresh
            entropy, recorded on the result.

        Returns
        -------
        EffectEstimate
            The ATT, its standard error, confidence interval and degrees of
            freedom, counts of treated and control observations (2×2) or
            units (two-way fixed effects), dropped rows and diagnostics: the
            cell counts (2×2), or entities, periods, observations and
            coefficients (two-way fixed effects); ``diagnostics["wild"]``
            with ``se="wild"``.

        Raises
        ------
        EstimationError
            When ``se``, ``design`` or ``fe_dof`` is not an allowed value; a
            2×2 design without exactly two periods or with a treatment that
            varies within units; two-way fixed effects without ``entity``, with
            a treatment that never varies or is absorbed by the fixed
            effects; fewer than 2 clusters; ``se="wild"`` without clusters;
            or unusable data (missing columns, missing values unless
            ``dropna``, infinite values, a non-binary treatment, a constant
            outcome, text periods that are not numbers, duplicated (unit,
            period) rows).

        Warns
        -----
        ImpactkitWarning
            When treatment starts at several times (staggered adoption):
            two-way fixed effects can then be biased (Goodman-Bacon 2021).
            When the treated (or the untreated) observations all lie in one
            cluster: clustered inference is then unreliable (MacKinnon & Webb
            2017).

        References
        ----------
        .. [1] Angrist, J., Pischke, J.-S. (2009). Mostly Harmless
           Econometrics, ch. 5.
        .. [2] Goodman-Bacon, A. (2021). Difference-in-differences with
           variation in treatment timing. Journal of Econometrics 225(2).
        .. [3] MacKinnon, J. G., Webb, M. D. (2017). Wild bootstrap inference
           for wildly different cluster sizes. Journal of Applied Econometrics
           32(2).

        Examples
        --------
        docs/methods/attribution.md: treated means 10 → 16, control means 8 → 11.

        >>> df = pd.DataFrame({"id": [1, 1, 2, 2, 3, 3, 4, 4], "year": [0, 1] * 4,
        ...                    "d": [1, 1, 1, 1, 0, 0, 0, 0],
        ...                    "y": [9, 15, 11, 17, 7, 10, 9, 12]})
        >>> est = DifferenceInDifferences().estimate(df, outcome="y", treatment="d",
        ...                                          entity="id", time="year")
        >>> est.effect, est.estimand, est.df
        (3.0, 'ATT', 3.0)
        """
        if self.se not in ("cluster", "wild"):
            raise EstimationError(f"se must be 'cluster' or 'wild', got {self.se!r}")
        return self._estimate(df, outcome, treatment, time, entity, covariates, cluster, seed)

    def _estimate(
        self,
        df: pd.DataFrame,
        outcome: str,
        treatment: str,
        time: str,
        entity: str | None,
        covariates: Sequence[str],
        cluster: str | None,
        seed: SeedLike,
    ) -> EffectEstimate:
        if self.design not in ("auto", "2x2", "twfe"):
            raise EstimationError(f"design must be 'auto', '2x2' or 'twfe', got {self.design!r}")
        if self.fe_dof not in FE_DOF:
            raise EstimationError(f"fe_dof must be 'nested', 'all' or 'none', got {self.fe_dof!r}")
        extra = [time] + ([entity] if entity is not None else [])
        if cluster is not None and cluster not in extra:
            extra.append(cluster)
        _check_columns(df, [outcome, treatment, *extra, *covariates])
        p = prepare(
            df,
            outcome=outcome,
            treatment=treatment,
            covariates=covariates,
            extra=extra,
            dropna=self.dropna,
        )
        frame = p.frame
        # one rule for time order and degenerate panels (see _panel): text periods are
        # never sorted alphabetically, a unit has one row per period
        order = order_periods(frame[time], time)
        if entity is not None:
            problems = panel_problems(
                frame[entity],
                order,
                p.y,
                entity=entity,
                time=time,
                outcome=outcome,
                hint=" (repeated cross-sections: give the groups as cluster=, not entity=)",
            )
            if problems:
                raise EstimationError("; ".join(problems))
        n_times = order.n
        within_const = True
        if entity is not None:
            within_const = bool(
                (frame.groupby(entity, sort=False)[treatment].nunique() <= 1).all()
            )
        design = self.design
        if design == "auto":
            design = "2x2" if n_times == 2 and within_const else "twfe"
        if design == "2x2":
            if n_times != 2:
                raise EstimationError(
                    f"a 2x2 design needs exactly two periods in {time!r}, "
                    f"found {n_times}; use design='twfe'"
                )
            if not within_const:
                raise EstimationError(
                    f"treatment {treatment!r} varies within units: in a 2x2 design it marks "
                    "the treated group (constant per unit); pass the group indicator or "
                    "use design='twfe' with the unit-period treatment"
                )
            return self._two_by_two(p, frame, order, entity, cluster, seed)
        if entity is None:
            raise EstimationError("two-way fixed effects need the entity column (entity=...)")
        return self._twfe(p, frame, order, entity, treatment, cluster, seed)

    def _wild(
        self,
        est: EffectEstimate,
        y: FloatArray,
        x: FloatArray,
        j: int,
        groups: npt.NDArray[np.int64],
        k: int,
        seed: SeedLike,
        fe: TwoWayEffects | None = None,
    ) -> EffectEstimate:
        """Replace the interval by the wild cluster bootstrap's inverted test."""
        if self.se != "wild":
            return est
        from impactkit.attribution._wild import wild_test_arrays

        w = wild_test_arrays(
            y,
            x,
            j,
            groups,
            k=k,
            n_bootstrap=self.n_bootstrap,
            seed=seed,
            level=self.level,
            fe=fe,
        )
        assert w.ci is not None
        diag = {**est.diagnostics, "wild": w.to_dict()}
        return attrs.evolve(
            est,
            ci=w.ci,
            method=f"{est.method}; interval and p-value by wild cluster restricted bootstrap "
            f"({w.n_clusters} clusters, {'all sign vectors' if w.enumerated else w.n_bootstrap})",
            diagnostics=diag,
        )

    def _two_by_two(
        self,
        p: Prepared,
        frame: pd.DataFrame,
        order: PeriodOrder,
        entity: str | None,
        cluster: str | None,
        seed: SeedLike,
    ) -> EffectEstimate:
        post = (order.codes == order.n - 1).astype(float)  # the later period
        t = p.w
        x = np.column_stack([np.ones_like(t), t, post, t * post, p.x])
        x, _, _ = drop_aliased(
            x, ("intercept", "treated", "post", "treated:post", *p.names), protected=4
        )
        beta, resid, bread = ols(x, p.y)
        by = cluster if cluster is not None else entity
        if by is not None:
            groups, g = _codes(frame[by])
            if g < 2:
                raise EstimationError("clustered standard errors need at least 2 units")
            cov = sandwich(x, resid, bread, kind="CR1", groups=groups)
            _warn_one_cluster(groups, t == 1)
            dof: float | None = float(g - 1)
            kind = f"clustered by {'entity' if by == entity else repr(by)} (CR1)"
        else:
            cov = sandwich(x, resid, bread, kind="HC1")
            dof = float(len(p.y) - x.shape[1])
            kind = "HC1"
        effect, se = float(beta[3]), float(math.sqrt(max(cov[3, 3], 0.0)))
        cells = {
            f"treated={a},post={b}": int(np.sum((t == a) & (post == b)))
            for a in (0, 1)
            for b in (0, 1)
        }
        est = with_interval(
            effect,
            se,
            self.level,
            dof,
            estimand="ATT",
            method=f"difference-in-differences 2x2, SE {kind}",
            n_treated=int(t.sum()),
            n_control=int((1 - t).sum()),
            dropped=p.dropped,
            diagnostics={
                "cells": cells,
                # the participants' observed level and change, for deadweight_from_effect
                "outcome_mean_treated": float(p.y[(t == 1) & (post == 1)].mean()),
                "mean_change_treated": float(
                    p.y[(t == 1) & (post == 1)].mean() - p.y[(t == 1) & (post == 0)].mean()
                ),
            },
        )
        if self.se == "wild":
            if by is None:
                raise EstimationError("se='wild' needs clusters: give entity= or cluster=")
            return self._wild(est, p.y, x, 3, groups, x.shape[1], seed)
        return est

    def _twfe(
        self,
        p: Prepared,
        frame: pd.DataFrame,
        order: PeriodOrder,
        entity: str,
        treatment: str,
        cluster: str | None,
        seed: SeedLike,
    ) -> EffectEstimate:
        u, n_u = _codes(frame[entity])
        tt, n_t = order.codes, order.n
        if n_u < 2:
            raise EstimationError("clustered standard errors need at least 2 units")
        if p.w.min() == p.w.max():
            raise EstimationError(
                f"treatment {treatment!r} never varies: no effect can be identified"
            )
        _warn_staggered(frame, entity, tt, p.w)
        cols = np.column_stack([p.y, p.w, p.x])
        z = demean_two_way(cols, u, tt, n_u, n_t)
        yt, xt = z[:, 0], z[:, 1:]
        if np.abs(xt[:, 0]).max() < 1e-12:
            raise EstimationError(
                "the treatment is absorbed by the unit and time effects: "
                "no within variation remains"
            )
        xt, kept_names, _ = drop_aliased(
            xt, (treatment, *p.names), protected=1, what="covariates absorbed by the fixed effects"
        )
        beta, resid, bread = ols(xt, yt, names=kept_names)
        groups = u if cluster is None else _codes(frame[cluster])[0]
        if int(np.unique(groups).size) < 2:
            raise EstimationError("clustered standard errors need at least 2 clusters")
        _warn_one_cluster(groups, p.w == 1)
        # unit effects are nested in the clusters when every unit lies in one cluster
        nested = cluster is None or int(pd.Series(groups).groupby(u).nunique().max()) <= 1
        k = cr1_parameters(
            xt.shape[1], n_units=n_u, n_times=n_t, units_nested=nested, fe_dof=self.fe_dof
        )
        cov = sandwich(xt, resid, bread, kind="CR1", groups=groups, k=k)
        effect, se = float(beta[0]), float(math.sqrt(max(cov[0, 0], 0.0)))
        dof = float(int(np.unique(groups).size) - 1)
        est = with_interval(
            effect,
            se,
            self.level,
            dof,
            estimand="ATT",
            method=f"two-way fixed effects (within), SE clustered by unit (CR1, fixed effects "
            f"counted in K: {self.fe_dof})",
            n_treated=int(frame.loc[p.w == 1, entity].nunique()),
            n_control=int(n_u - frame.loc[p.w == 1, entity].nunique()),
            dropped=p.dropped,
            diagnostics={
                "outcome_mean_treated": float(p.y[p.w == 1].mean()),
                "entities": n_u,
                "periods": n_t,
                "observations": len(yt),
                "coefficients": dict(
                    zip(["treatment", *kept_names[1:]], map(float, beta), strict=True)
                ),
            },
        )
        if self.se != "wild":
            return est
        # the bootstrap errors are projected off the unit and time effects, as in the
        # regression with the dummies (the within transformation is that projection)
        return self._wild(
            est,
            yt,
            xt,
            0,
            groups,
            k,
            seed,
            fe=_two_way(u, tt, n_u, n_t),
        )


def _two_way(
    u: npt.NDArray[np.int64], tt: npt.NDArray[np.int64], n_u: int, n_t: int
) -> TwoWayEffects:
    from impactkit.attribution._wild import TwoWayEffects

    return TwoWayEffects(u, tt, n_u, n_t, lambda z: demean_two_way(z, u, tt, n_u, n_t))


def _warn_one_cluster(groups: npt.NDArray[np.int64], treated: npt.NDArray[np.bool_]) -> None:
    """Warn when the treated (or the untreated) observations all lie in one cluster."""
    sides = [
        label
        for label, mask in (("treated", treated), ("untreated", ~treated))
        if int(np.unique(groups[mask]).size) == 1
    ]
    if sides:
        warnings.warn(
            f"the {' and the '.join(sides)} observations all lie in one cluster: "
            "cluster-robust standard errors then understate the uncertainty (tests reject "
            "far too often) and the wild cluster bootstrap rejects too seldom (MacKinnon & "
            "Webb 2017); an effect identified by one cluster cannot be told from a shock to "
            "that cluster",
            ImpactkitWarning,
            stacklevel=5,  # the caller: estimate -> _estimate -> _two_by_two/_twfe -> here
        )


def _warn_staggered(
    frame: pd.DataFrame, entity: str, period: npt.NDArray[np.int64], w: FloatArray
) -> None:
    treated = w == 1
    if not treated.any():
        return
    starts = (
        pd.Series(period[treated]).groupby(frame[entity].to_numpy()[treated], sort=False).min()
    )
    if starts.nunique() > 1:
        warnings.warn(
            f"treatment starts at {starts.nunique()} different times: with staggered timing "
            "and effects that vary, two-way fixed effects can be biased (Goodman-Bacon 2021); "
            "consider group-time estimators",
            ImpactkitWarning,
            stacklevel=5,  # the caller: estimate -> _estimate -> _twfe -> here
        )
