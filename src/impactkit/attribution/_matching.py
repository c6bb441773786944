r"""Propensity-score matching, regression adjustment and doubly robust (AIPW) estimators."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar, Literal

import attrs
import numpy as np
import pandas as pd
from scipy import special

from impactkit._random import seeded
from impactkit.attribution._core import (
    ESTIMANDS,
    EffectEstimate,
    Prepared,
    balance_table,
    ols,
    overlap_summary,
    prepare,
    sandwich,
    with_interval,
)
from impactkit.attribution._design import drop_aliased
from impactkit.attribution._propensity import (
    _subset,
    effective_sample_size,
    fit_logit,
    ipw_weights,
    prepare_with_scores,
    trim_bounds,
    warn_poor_overlap,
)
from impactkit.errors import EstimationError
from impactkit.typing import FloatArray, SeedLike

__all__ = ["DoublyRobust", "PropensityScoreMatching", "RegressionAdjustment", "nn_match"]


@attrs.frozen
class MatchSets:
    """For each treated unit, a contiguous range of sorted controls (ties included)."""

    order: np.ndarray  # sort order of the controls by score
    lo: np.ndarray  # (n1,) first matched sorted control
    hi: np.ndarray  # (n1,) one past the last
    kept: np.ndarray  # (n1,) bool: treated with a match inside the caliper


def nn_match(xt: FloatArray, xc: FloatArray, m: int, caliper: float = math.inf) -> MatchSets:
    """Nearest-neighbour matching with replacement on a scalar score, ties kept.

    ``O((n1 + n0) log n0)``: controls are sorted once, each treated unit finds
    its ``m`` nearest among the ``2m`` sorted candidates around its insertion
    point, and every control at the same distance as the ``m``-th is kept (the
    matched set is a contiguous range of the sorted controls). No distance
    matrix is ever formed.
    """
    order = np.argsort(xc, kind="stable")
    xs = xc[order]
    n0 = len(xs)
    pos = np.searchsorted(xs, xt)
    offs = np.arange(-m, m)
    cand = pos[:, None] + offs[None, :]
    valid = (cand >= 0) & (cand < n0)
    dist = np.where(valid, np.abs(xs[np.clip(cand, 0, n0 - 1)] - xt[:, None]), np.inf)
    k = min(m, n0)
    d_m = np.partition(dist, k - 1, axis=1)[:, k - 1]
    d_1 = dist.min(axis=1)
    kept = d_1 <= caliper
    radius = np.minimum(d_m, caliper)
    tol = radius * 1e-12 + 1e-300
    lo = np.searchsorted(xs, xt - radius - tol, side="left")
    hi = np.searchsorted(xs, xt + radius + tol, side="right")
    return MatchSets(order, lo, hi, kept)


def _same_arm_variance(x: FloatArray, y: FloatArray) -> FloatArray:
    r"""Conditional variance from the nearest same-arm neighbours, ties kept.

    :math:`\hat\sigma^2_i = \frac{m_i}{m_i + 1}(Y_i - \bar Y_{H(i)})^2`, with
    :math:`H(i)` every other unit of the arm at the smallest distance from unit
    :math:`i` and :math:`m_i = |H(i)|` (Abadie & Imbens 2006 with :math:`J = 1`,
    ties included as in the matching step: :math:`\frac12(Y_i - Y_j)^2` without
    ties). It depends on the values only, never on the order of the rows.
    """
    n = len(x)
    if n < 2:
        raise EstimationError("the Abadie-Imbens variance needs at least 2 units per arm")
    vals, g, cnt = np.unique(x, return_inverse=True, return_counts=True)
    total = np.bincount(g, weights=y, minlength=vals.size)
    gap = np.diff(vals)
    d_left = np.concatenate([[np.inf], gap])[g]
    d_right = np.concatenate([gap, [np.inf]])[g]
    left = np.maximum(g - 1, 0)
    right = np.minimum(g + 1, vals.size - 1)
    use_left = (d_left <= d_right).astype(float)
    use_right = (d_right <= d_left).astype(float)
    tied = cnt[g] > 1
    m = np.where(tied, cnt[g] - 1.0, use_left * cnt[left] + use_right * cnt[right])
    s = np.where(tied, total[g] - y, use_left * total[left] + use_right * total[right])
    return np.asarray(m / (m + 1.0) * (y - s / m) ** 2, dtype=float)


@attrs.frozen
class PropensityScoreMatching:
    r"""Nearest-neighbour matching on the (logit) propensity score: the ATT.

    Parameters
    ----------
    k : int, default 1
        Neighbours per treated unit (``M``).
    replace : bool, default True
        Match with replacement (required by the Abadie–Imbens variance).
        Without replacement: greedy matching in a random order (``seed``),
        standard error from the matched pairs.
    caliper : float, optional
        Maximum distance in standard deviations of the score (Austin 2011
        recommends 0.2 of the SD of the logit propensity). Treated units without
        a control inside it are dropped and counted.
    on : {"logit", "ps"}, default "logit"
        Match on :math:`\mathrm{logit}(e)` or on :math:`e`.
    variance : {"population", "sample"}, default "population"
        Abadie–Imbens variance of the population or of the sample ATT.
    level : float, default 0.95
    dropna : bool, default False
    trim : float or (float, float), optional
        Drop units whose propensity lies outside ``[lo, hi]`` before matching
        (a float ``a`` means ``[a, 1 - a]``; Crump et al. 2009 use
        ``(0.1, 0.9)``). They are counted in ``dropped["trimming"]`` and the
        estimand becomes the effect on the treated with overlap.

    Warns
    -----
    OverlapWarning
        Poor overlap for the ATT (scores above 0.99, or controls reused so
        much that their effective sample size collapses).

    Notes
    -----
    :math:`\hat\tau = \frac{1}{n_1}\sum_{W_i=1}\left[Y_i - \hat Y_i(0)\right]`
    with :math:`\hat Y_i(0)` the mean outcome of the matched controls (all ties
    kept, each weighted :math:`1/|J(i)|`). With :math:`K_j = \sum_i 1_{j \in J(i)}/|J(i)|`
    (``K_M(j)/M`` without ties) and :math:`\hat\sigma^2_j =
    \frac{m_j}{m_j+1}(Y_j - \bar Y_{H(j)})^2` from the nearest same-arm
    neighbours :math:`H(j)` (:math:`J = 1`, every tied neighbour kept, so the
    result never depends on the order of the rows; :math:`m_j = |H(j)|`):

    .. math::
        \hat V_{pop} = \frac{1}{n_1^2}\left[\sum_{W_i=1}(Y_i - \hat Y_i(0) - \hat\tau)^2
            + \sum_{W_j=0}\left(K_j^2 - \sum_i 1_{j\in J(i)}/|J(i)|^2\right)\hat\sigma^2_j\right]

    .. math::
        \hat V_{sample} = \frac{1}{n_1^2}\left[\sum_{W_i=1}\hat\sigma^2_i
            + \sum_{W_j=0} K_j^2 \hat\sigma^2_j\right]

    The search is :math:`O(n \log n)` (sorted scores), never an
    :math:`n_1 \times n_0` matrix. The naive bootstrap is invalid for
    nearest-neighbour matching (Abadie & Imbens 2008); the Abadie–Imbens (2016)
    correction for an estimated propensity score is not applied.

    References
    ----------
    .. [1] Abadie, A., Imbens, G. (2006). Large sample properties of matching
       estimators for average treatment effects. Econometrica 74(1).
    .. [2] Abadie, A., Drukker, D., Herr, J. L., Imbens, G. (2004). Implementing
       matching estimators for average treatment effects in Stata. Stata
       Journal 4(3).
    .. [3] Austin, P. (2011). Optimal caliper widths for propensity-score
       matching. Pharmaceutical Statistics 10(2).

    Examples
    --------
    >>> rng = np.random.default_rng(0)
    >>> x = rng.normal(size=400)
    >>> w = (rng.random(400) < 1 / (1 + np.exp(-x))).astype(int)
    >>> df = pd.DataFrame({"x": x, "w": w, "y": 2 * w + x + rng.normal(size=400)})
    >>> est = PropensityScoreMatching().estimate(df, outcome="y", treatment="w",
    ...                                          covariates=["x"])
    >>> est.estimand, 1.5 < est.effect < 2.5
    ('ATT', True)
    """

    name: ClassVar[str] = "propensity_score_matching"
    k: int = 1
    replace: bool = True
    caliper: float | None = None
    on: Literal["logit", "ps"] = "logit"
    variance: Literal["population", "sample"] = "population"
    level: float = 0.95
    dropna: bool = False
    trim: float | tuple[float, float] | None = None

    def __attrs_post_init__(self) -> None:
        problems = []
        try:
            trim_bounds(self.trim)
        except EstimationError as exc:
            problems.append(str(exc))
        if not (isinstance(self.k, int) and self.k >= 1):
            problems.append(f"k must be a positive whole number, got {self.k!r}")
        if self.caliper is not None and not self.caliper > 0:
            problems.append(f"caliper must be positive, got {self.caliper!r}")
        if self.on not in ("logit", "ps"):
            problems.append(f"on must be 'logit' or 'ps', got {self.on!r}")
        if self.variance not in ("population", "sample"):
            problems.append(f"variance must be 'population' or 'sample', got {self.variance!r}")
        if problems:
            raise EstimationError("; ".join(problems))

    def estimate(
        self,
        df: pd.DataFrame,
        *,
        outcome: str,
        treatment: str,
        covariates: Sequence[str] = (),
        propensity: str | None = None,
        seed: SeedLike = None,
    ) -> EffectEstimate:
        """Estimate the ATT.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit.
        outcome, treatment : str
            Columns of the outcome and of the 0/1 treatment.
        covariates : sequence of str
            Columns of the propensity model.
        propensity : str, optional
            Column of known propensity scores (no fit).
        seed : int, SeedSequence, Generator or None
            Seed of the order of greedy matching without replacement; None
            draws fresh entropy, recorded on the estimate as ``seed_entropy``.

        Returns
        -------
        EffectEstimate

        Raises
        ------
        EstimationError
            When no treated unit has a control inside the caliper.
        """
        p, e = prepare_with_scores(
            df,
            outcome=outcome,
            treatment=treatment,
            covariates=covariates,
            propensity=propensity,
            dropna=self.dropna,
        )
        p, e = _trim(p, e, trim_bounds(self.trim))
        e = np.clip(e, 1e-12, 1 - 1e-12)
        score = special.logit(e) if self.on == "logit" else e
        cal = math.inf if self.caliper is None else self.caliper * float(np.std(score, ddof=1))
        t = p.w == 1
        if self.replace:
            est = self._with_replacement(p, e, score, t, cal)
        else:
            est = self._greedy(p, e, score, t, cal, seed)
        warn_poor_overlap(e, p.w, "ATT", est.diagnostics["effective_sample_size"], stacklevel=2)
        return est

    def _with_replacement(
        self, p: Prepared, e: FloatArray, score: FloatArray, t: np.ndarray, cal: float
    ) -> EffectEstimate:
        xt, xc = score[t], score[~t]
        yt, yc = p.y[t], p.y[~t]
        ms = nn_match(xt, xc, self.k, cal)
        kept = ms.kept
        if not kept.any():
            raise EstimationError("no treated unit has a control inside the caliper; widen it")
        lo, hi = ms.lo[kept], ms.hi[kept]
        size = (hi - lo).astype(float)
        ys = yc[ms.order]
        cum = np.concatenate([[0.0], np.cumsum(ys)])
        y0_hat = (cum[hi] - cum[lo]) / size
        y1 = yt[kept]
        n1 = int(kept.sum())
        effect = float(np.mean(y1 - y0_hat))
        n0 = len(xc)
        kw = np.zeros(n0 + 1)
        np.add.at(kw, lo, 1.0 / size)
        np.add.at(kw, hi, -1.0 / size)
        k_sorted = np.cumsum(kw)[:n0]
        s2 = np.zeros(n0 + 1)
        np.add.at(s2, lo, 1.0 / size**2)
        np.add.at(s2, hi, -1.0 / size**2)
        s2_sorted = np.cumsum(s2)[:n0]
        k_c = np.empty(n0)
        k_c[ms.order] = k_sorted
        s2_c = np.empty(n0)
        s2_c[ms.order] = s2_sorted
        sig_c = _same_arm_variance(xc, yc)
        if self.variance == "population":
            v = (np.sum((y1 - y0_hat - effect) ** 2) + np.sum((k_c**2 - s2_c) * sig_c)) / n1**2
        else:
            sig_t = _same_arm_variance(xt, yt)[kept]
            v = (np.sum(sig_t) + np.sum(k_c**2 * sig_c)) / n1**2
        se = math.sqrt(max(v, 0.0))
        dropped = dict(p.dropped)
        if (~kept).any():
            dropped["caliper"] = int((~kept).sum())
        weights = np.zeros(len(p.y))
        weights[np.flatnonzero(~t)] = k_c
        weights[np.flatnonzero(t)[kept]] = 1.0
        bal = balance_table(p, weights)
        return with_interval(
            effect,
            se,
            self.level,
            None,
            estimand="ATT",
            method=f"propensity score matching ({self.k}-NN on {self.on}, with replacement"
            f"{f', caliper {self.caliper:g} SD' if self.caliper else ''}), "
            f"Abadie-Imbens {self.variance} variance",
            n_treated=n1,
            n_control=int((k_c > 0).sum()),
            dropped=dropped,
            diagnostics={
                "outcome_mean_treated": float(y1.mean()),
                "balance": bal,
                "overlap": overlap_summary(e, p.w),
                "effective_sample_size": effective_sample_size(weights, p.w),
                "matched_controls": int((k_c > 0).sum()),
                "mean_matches_per_treated": float(size.mean()),
            },
        )

    def _greedy(
        self,
        p: Prepared,
        e: FloatArray,
        score: FloatArray,
        t: np.ndarray,
        cal: float,
        seed: SeedLike,
    ) -> EffectEstimate:
        rng, entropy = seeded(seed)
        ti = np.flatnonzero(t)
        ci = np.flatnonzero(~t)
        order = np.argsort(score[ci], kind="stable")
        xs = score[ci][order]
        available = np.ones(len(xs), dtype=bool)
        weights = np.zeros(len(p.y))
        diffs = []
        treated_y: list[float] = []
        used: list[int] = []
        dropped_cal = 0
        for i in rng.permutation(ti):  # greedy matching is sequential by nature
            pos = int(np.searchsorted(xs, score[i]))
            chosen: list[int] = []
            for _ in range(self.k):
                best, best_d = -1, math.inf
                j = pos - 1
                while j >= 0 and not available[j]:
                    j -= 1
                if j >= 0:
                    best, best_d = j, score[i] - xs[j]
                j = pos
                while j < len(xs) and not available[j]:
                    j += 1
                if j < len(xs) and xs[j] - score[i] < best_d:
                    best, best_d = j, xs[j] - score[i]
                if best < 0 or best_d > cal:
                    break
                available[best] = False
                chosen.append(best)
            if not chosen:
                dropped_cal += 1
                continue
            used.extend(chosen)
            treated_y.append(float(p.y[i]))
            weights[i] = 1.0
            weights[ci[order[chosen]]] = 1.0 / len(chosen)
            diffs.append(p.y[i] - float(np.mean(p.y[ci[order[chosen]]])))
        if len(diffs) < 2:
            raise EstimationError("fewer than 2 treated units could be matched")
        d = np.array(diffs)
        effect, se = float(d.mean()), float(d.std(ddof=1) / math.sqrt(len(d)))
        dropped = dict(p.dropped)
        if dropped_cal:
            dropped["caliper_or_exhausted"] = dropped_cal
        return with_interval(
            effect,
            se,
            self.level,
            len(d) - 1.0,
            estimand="ATT",
            method=f"propensity score matching ({self.k}-NN on {self.on}, greedy without "
            "replacement, random order), matched-pairs variance",
            n_treated=len(d),
            n_control=len(used),
            dropped=dropped,
            diagnostics={
                "outcome_mean_treated": float(np.mean(treated_y)),
                "overlap": overlap_summary(e, p.w),
                "effective_sample_size": effective_sample_size(weights, p.w),
            },
            seed_entropy=entropy,
        )


def _trim(
    p: Prepared, e: FloatArray, bounds: tuple[float, float] | None
) -> tuple[Prepared, FloatArray]:
    """Keep the units whose score lies in ``bounds``; the others are counted as trimmed."""
    if bounds is None:
        return p, e
    keep = (e >= bounds[0]) & (e <= bounds[1])
    if keep.all():
        return p, e
    n1 = int(p.w[keep].sum())
    if n1 == 0 or n1 == int(keep.sum()):
        raise EstimationError(
            f"after trimming to {list(bounds)} one arm is empty; loosen the trimming bounds"
        )
    sub = attrs.evolve(_subset(p, keep), dropped={**p.dropped, "trimming": int((~keep).sum())})
    return sub, e[keep]


def _centered(x: FloatArray, w: FloatArray, estimand: str) -> FloatArray:
    if estimand == "ATE":
        centre = x.mean(axis=0)
    elif estimand == "ATT":
        centre = x[w == 1].mean(axis=0)
    else:
        centre = x[w == 0].mean(axis=0)
    return np.asarray(x - centre, dtype=float)


COV_TYPES = ("HC0", "HC1", "HC2", "HC3")
"""Heteroskedasticity-robust standard errors of :class:`RegressionAdjustment`."""


@attrs.frozen
class RegressionAdjustment:
    r"""Regression adjustment: one OLS per arm, effects from the imputed outcomes.

    Parameters
    ----------
    estimand : {"ATE", "ATT", "ATC"}
    cov_type : {"HC0", "HC1", "HC2", "HC3"}, default "HC2"
        Heteroskedasticity-robust standard error (HC2 as Lin 2013 recommends;
        the same as statsmodels' ``cov_type`` of that name).
    level : float, default 0.95
    dropna : bool, default False

    Notes
    -----
    Fitting :math:`\mu_w(X)` separately per arm is the same as the fully
    interacted regression :math:`Y \sim W + \tilde X + W \tilde X` with
    covariates centred at the mean of the target population
    (:math:`\tilde X = X - \bar X`, the treated mean for the ATT); the
    coefficient of :math:`W` is :math:`\frac1n\sum_i[\hat\mu_1(X_i) -
    \hat\mu_0(X_i)]` over that population (Lin 2013). Its robust standard
    error treats the centring mean as fixed.

    References
    ----------
    .. [1] Lin, W. (2013). Agnostic notes on regression adjustments to
       experimental data. Annals of Applied Statistics 7(1).

    Examples
    --------
    A seeded insertion workshop that younger people join more often; weekly
    hours worked a year later fall with age, so the raw gap overstates the
    true effect of 8 hours:

    >>> rng = np.random.default_rng(11)
    >>> age = rng.uniform(18, 60, 400)
    >>> workshop = (rng.random(400) < 1 / (1 + np.exp((age - 35) / 8))).astype(int)
    >>> hours = 20 + 8 * workshop - 0.3 * (age - 35) + rng.normal(0, 5, 400)
    >>> df = pd.DataFrame({"age": age, "workshop": workshop, "hours": hours})
    >>> raw = df.groupby("workshop")["hours"].mean()
    >>> round(float(raw[1] - raw[0]), 2)
    13.54
    >>> est = RegressionAdjustment().estimate(df, outcome="hours", treatment="workshop",
    ...                                       covariates=["age"])
    >>> est.estimand, round(est.effect, 2), round(est.se, 2)
    ('ATE', 8.98, 0.61)
    """

    name: ClassVar[str] = "regression_adjustment"
    estimand: Literal["ATE", "ATT", "ATC"] = "ATE"
    cov_type: Literal["HC0", "HC1", "HC2", "HC3"] = "HC2"
    level: float = 0.95
    dropna: bool = False

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.estimand not in ESTIMANDS:
            problems.append(f"estimand must be one of {ESTIMANDS}, got {self.estimand!r}")
        if self.cov_type not in COV_TYPES:
            problems.append(f"cov_type must be one of {COV_TYPES}, got {self.cov_type!r}")
        if problems:
            raise EstimationError("; ".join(problems))

    def estimate(
        self, df: pd.DataFrame, *, outcome: str, treatment: str, covariates: Sequence[str] = ()
    ) -> EffectEstimate:
        r"""Estimate the effect by regression adjustment.

        The estimand is the average effect :math:`E[Y(1) - Y(0)]` over the
        population set by ``estimand``: all units (ATE), the treated (ATT)
        or the controls (ATC). With :math:`\hat\mu_w(X)` the OLS fit of
        :math:`Y` on :math:`X` in arm :math:`w` (docs/methods/attribution.md),

        .. math::
            \hat\tau = \frac{1}{|P|} \sum_{i \in P}
            [\hat\mu_1(X_i) - \hat\mu_0(X_i)],

        :math:`P` the target population; for the ATT this equals
        :math:`\frac{1}{n_1}\sum_{W_i=1}[Y_i - \hat\mu_0(X_i)]`. It is
        computed as the coefficient of :math:`W` in the fully interacted
        regression with covariates centred on :math:`P` (Lin 2013), with a
        heteroskedasticity-robust standard error (``cov_type``) and a
        t interval on :math:`n - p` degrees of freedom (:math:`p` columns of
        that regression).

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit.
        outcome : str
            Column of the outcome :math:`Y`.
        treatment : str
            Column of the 0/1 treatment indicator :math:`W`.
        covariates : sequence of str, default ()
            Columns of the covariates :math:`X` of the outcome models;
            without any, the estimate is the difference in means.

        Returns
        -------
        EffectEstimate
            The effect, its standard error, confidence interval, degrees of
            freedom, counts by arm, dropped rows and a covariate balance
            table (``diagnostics["balance"]``).

        Raises
        ------
        EstimationError
            When ``estimand`` is not ATE, ATT or ATC, when ``level`` is not in
            (0, 1), or when the data are unusable: missing or duplicated
            columns, missing values (unless ``dropna``), infinite values, a
            constant outcome, a non-binary treatment or an empty arm.

        Warns
        -----
        ImpactkitWarning
            Covariates or interaction terms that are linear combinations of
            the others are dropped, by name.

        References
        ----------
        .. [1] Lin, W. (2013). Agnostic notes on regression adjustments to
           experimental data. Annals of Applied Statistics 7(1).

        Examples
        --------
        >>> df = pd.DataFrame({"y": [3.0, 5, 7, 6, 1, 2, 3, 2.5],
        ...                    "w": [1, 1, 1, 1, 0, 0, 0, 0],
        ...                    "x": [1.0, 2, 3, 2.5, 0.5, 1.5, 2.5, 1.0]})
        >>> ate = RegressionAdjustment().estimate(df, outcome="y", treatment="w",
        ...                                       covariates=["x"])
        >>> round(ate.effect, 4), round(ate.se, 4), ate.df
        (2.0643, 0.1912, 4.0)
        >>> att = RegressionAdjustment(estimand="ATT").estimate(
        ...     df, outcome="y", treatment="w", covariates=["x"])
        >>> round(att.effect, 4)
        2.5036
        """
        if self.estimand not in ESTIMANDS:
            raise EstimationError(f"estimand must be one of {ESTIMANDS}, got {self.estimand!r}")
        p = prepare(
            df, outcome=outcome, treatment=treatment, covariates=covariates, dropna=self.dropna
        )
        xc = _centered(p.x, p.w, self.estimand)
        x = np.column_stack([np.ones_like(p.w), p.w, xc, xc * p.w[:, None]])
        terms = ("intercept", treatment, *p.names, *(f"{n}:{treatment}" for n in p.names))
        x, terms, _ = drop_aliased(x, terms, protected=2, what="terms")
        beta, resid, bread = ols(x, p.y, names=terms)
        cov = sandwich(x, resid, bread, kind=self.cov_type)
        effect, se = float(beta[1]), float(math.sqrt(cov[1, 1]))
        dof = float(len(p.y) - x.shape[1])
        return with_interval(
            effect,
            se,
            self.level,
            dof,
            estimand=self.estimand,
            method=f"regression adjustment (per-arm OLS), SE {self.cov_type}",
            n_treated=int(p.w.sum()),
            n_control=int((1 - p.w).sum()),
            dropped=p.dropped,
            diagnostics={
                "outcome_mean_treated": float(p.y[p.w == 1].mean()),
                "balance": balance_table(p),
            },
        )


@attrs.frozen
class DoublyRobust:
    r"""Augmented inverse probability weighting (AIPW): consistent if either model is right.

    Parameters
    ----------
    estimand : {"ATE", "ATT"}
    trim : float or (float, float), optional
        Drop units whose propensity lies outside the bounds (as in
        :class:`InverseProbabilityWeighting`, e.g. ``(0.1, 0.9)``); they are
        counted in ``dropped["trimming"]``.
    level : float, default 0.95
    dropna : bool, default False

    Warns
    -----
    OverlapWarning
        Poor overlap, by the rule of :class:`InverseProbabilityWeighting`.

    Notes
    -----
    With per-arm OLS :math:`\hat\mu_w` and a logistic :math:`\hat e`:

    .. math::
        \psi_i = \hat\mu_1(X_i) - \hat\mu_0(X_i) + \frac{W_i(Y_i - \hat\mu_1(X_i))}{\hat e_i}
                 - \frac{(1-W_i)(Y_i - \hat\mu_0(X_i))}{1 - \hat e_i}

    ATE :math:`= \bar\psi`, :math:`SE = s_\psi/\sqrt n` (influence function).
    ATT: :math:`\hat\tau = \sum_i [W_i - (1-W_i)\hat e_i/(1-\hat e_i)](Y_i -
    \hat\mu_0(X_i)) / \sum_i W_i`.

    References
    ----------
    .. [1] Robins, J., Rotnitzky, A., Zhao, L. P. (1994). Estimation of
       regression coefficients when some regressors are not always observed.
       JASA 89.
    .. [2] Glynn, A., Quinn, K. (2010). An introduction to the augmented
       inverse propensity weighted estimator. Political Analysis 18(1).

    Examples
    --------
    A seeded insertion workshop that younger people join more often; weekly
    hours worked a year later fall with age (true effect 8 hours). The
    propensity and the outcome models both use age:

    >>> rng = np.random.default_rng(11)
    >>> age = rng.uniform(18, 60, 400)
    >>> workshop = (rng.random(400) < 1 / (1 + np.exp((age - 35) / 8))).astype(int)
    >>> hours = 20 + 8 * workshop - 0.3 * (age - 35) + rng.normal(0, 5, 400)
    >>> df = pd.DataFrame({"age": age, "workshop": workshop, "hours": hours})
    >>> est = DoublyRobust(estimand="ATT").estimate(df, outcome="hours",
    ...                                             treatment="workshop", covariates=["age"])
    >>> est.estimand, round(est.effect, 2), round(est.se, 2)
    ('ATT', 8.99, 0.9)
    >>> round(est.diagnostics["overlap"]["max"], 3)    # largest propensity score
    0.883
    """

    name: ClassVar[str] = "doubly_robust"
    estimand: Literal["ATE", "ATT"] = "ATE"
    trim: float | tuple[float, float] | None = None
    level: float = 0.95
    dropna: bool = False

    def __attrs_post_init__(self) -> None:
        trim_bounds(self.trim)

    def estimate(
        self, df: pd.DataFrame, *, outcome: str, treatment: str, covariates: Sequence[str] = ()
    ) -> EffectEstimate:
        r"""Estimate the effect by augmented inverse probability weighting.

        The estimand is :math:`E[Y(1) - Y(0)]` over all units (ATE) or over
        the treated (ATT). The propensity :math:`\hat e(X)` is a logistic
        regression of :math:`W` on the covariates, the outcome models
        :math:`\hat\mu_w(X)` one OLS per arm (docs/methods/attribution.md):

        .. math::
            \psi_i = \hat\mu_1(X_i) - \hat\mu_0(X_i)
                    + \frac{W_i(Y_i - \hat\mu_1(X_i))}{\hat e_i}
                    - \frac{(1-W_i)(Y_i - \hat\mu_0(X_i))}{1 - \hat e_i},
            \qquad \widehat{ATE} = \bar\psi,\quad SE = s_\psi / \sqrt n;

        .. math::
            \widehat{ATT} = \frac{\sum_i [W_i - (1-W_i)\hat e_i/(1-\hat e_i)]
                             (Y_i - \hat\mu_0(X_i))}{\sum_i W_i},

        its standard error from the influence function
        :math:`(a_i - W_i \widehat{ATT}) / \bar W`, :math:`a_i` the summand
        above. The interval uses the normal quantile. Units outside ``trim``
        are dropped before the outcome models are fitted.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit.
        outcome : str
            Column of the outcome :math:`Y`.
        treatment : str
            Column of the 0/1 treatment indicator :math:`W`.
        covariates : sequence of str
            Columns of the covariates :math:`X`, used by both the propensity
            and the outcome models (at least one).

        Returns
        -------
        EffectEstimate
            The effect, its standard error and normal confidence interval,
            counts by arm, dropped rows (``dropped["trimming"]`` for trimmed
            units) and diagnostics: overlap summary, effective sample size and
            covariate balance.

        Raises
        ------
        EstimationError
            When ``estimand`` is not ATE or ATT, when no covariates are given,
            when trimming empties an arm, when an arm has no more units than
            outcome-model terms, when ``level`` is not in (0, 1), or when the
            data are unusable (missing or duplicated columns, missing values
            unless ``dropna``, a non-binary treatment, an empty arm).

        Warns
        -----
        OverlapWarning
            Poor overlap of the propensity scores.

        References
        ----------
        .. [1] Robins, J., Rotnitzky, A., Zhao, L. P. (1994). Estimation of
           regression coefficients when some regressors are not always
           observed. JASA 89.

        Examples
        --------
        >>> rng = np.random.default_rng(0)
        >>> x = rng.normal(size=200)
        >>> w = (rng.random(200) < 1 / (1 + np.exp(-x))).astype(int)
        >>> df = pd.DataFrame({"y": 1 + 2 * w + x + rng.normal(size=200), "w": w, "x": x})
        >>> est = DoublyRobust().estimate(df, outcome="y", treatment="w", covariates=["x"])
        >>> est.estimand, round(est.effect, 4), round(est.se, 4)
        ('ATE', 1.8747, 0.1489)
        """
        if self.estimand not in ("ATE", "ATT"):
            raise EstimationError(f"estimand must be 'ATE' or 'ATT', got {self.estimand!r}")
        if not covariates:
            raise EstimationError("doubly robust estimation needs covariates")
        p = prepare(
            df, outcome=outcome, treatment=treatment, covariates=covariates, dropna=self.dropna
        )
        e = fit_logit(p.x, p.w, names=p.names).fitted
        p, e = _trim(p, e, trim_bounds(self.trim))
        dropped = dict(p.dropped)
        xx = np.column_stack([np.ones_like(p.w), p.x])
        t = p.w == 1
        if t.sum() <= xx.shape[1] or (~t).sum() <= xx.shape[1]:
            raise EstimationError("too few units in an arm to fit its outcome model")
        terms = ("intercept", *p.names)
        x1, n1, k1 = drop_aliased(xx[t], terms, protected=1, what="terms (treated arm)")
        x0, n0, k0 = drop_aliased(xx[~t], terms, protected=1, what="terms (control arm)")
        b1 = ols(x1, p.y[t], names=n1)[0]
        b0 = ols(x0, p.y[~t], names=n0)[0]
        mu1, mu0 = xx[:, k1] @ b1, xx[:, k0] @ b0
        y, w = p.y, p.w
        n = len(y)
        if self.estimand == "ATE":
            psi = mu1 - mu0 + w * (y - mu1) / e - (1 - w) * (y - mu0) / (1 - e)
            effect = float(psi.mean())
            se = float(psi.std(ddof=1) / math.sqrt(n))
        else:
            a = (w - (1 - w) * e / (1 - e)) * (y - mu0)
            pbar = w.mean()
            effect = float(a.sum() / w.sum())
            infl = (a - w * effect) / pbar
            se = float(infl.std(ddof=1) / math.sqrt(n))
        ess = effective_sample_size(ipw_weights(w, e, self.estimand), w)
        warn_poor_overlap(e, w, self.estimand, ess, stacklevel=2)
        return with_interval(
            effect,
            se,
            self.level,
            None,
            estimand=self.estimand,
            method="doubly robust (AIPW), influence-function SE",
            n_treated=int(w.sum()),
            n_control=int((1 - w).sum()),
            dropped=dropped,
            diagnostics={
                "outcome_mean_treated": float(y[w == 1].mean()),
                "overlap": overlap_summary(e, w),
                "effective_sample_size": ess,
                "balance": balance_table(p),
            },
        )
