r"""Propensity scores: logistic maximum likelihood and inverse probability weighting."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar, Literal

import attrs
import numpy as np
import pandas as pd
from scipy import special

from impactkit._random import as_generator, seeded
from impactkit.attribution._core import (
    ESTIMANDS,
    EffectEstimate,
    Prepared,
    balance_table,
    interval,
    ols,
    overlap_summary,
    prepare,
    sandwich,
)
from impactkit.errors import EstimationError
from impactkit.typing import FloatArray, SeedLike

__all__ = ["InverseProbabilityWeighting", "LogitFit", "fit_logit", "ipw_weights"]


@attrs.frozen
class LogitFit:
    """A fitted logistic regression."""

    params: FloatArray = attrs.field(eq=False)
    cov: FloatArray = attrs.field(eq=False)
    fitted: FloatArray = attrs.field(eq=False, repr=False)
    iterations: int
    converged: bool


def fit_logit(
    x: FloatArray,
    w: FloatArray,
    *,
    max_iter: int = 100,
    tol: float = 1e-10,
    names: Sequence[str] = (),
) -> LogitFit:
    r"""Logistic regression of ``w`` on ``x`` (with an intercept added) by IRLS.

    Newton-Raphson on the log-likelihood, vectorised over rows:
    :math:`\beta \leftarrow \beta + (X'VX)^{-1}X'(w - p)`, :math:`V = p(1-p)`.
    Agrees with ``statsmodels`` GLM (Binomial) to the solver's tolerance.

    Raises
    ------
    EstimationError
        Perfect or quasi-complete separation (fitted probabilities of 0 or 1,
        diverging coefficients), or collinear covariates.
    """
    xx = np.column_stack([np.ones(len(w)), x])
    beta = np.zeros(xx.shape[1])
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - Newton iterations, not rows
        eta = xx @ beta
        p = special.expit(eta)
        v = p * (1 - p)
        grad = xx.T @ (w - p)
        hess = xx.T @ (xx * v[:, None])
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError as exc:
            raise EstimationError(
                "the propensity model is singular: covariates are collinear "
                "or separate treatment perfectly"
            ) from exc
        beta = beta + step
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))):
            converged = True
            break
    eta = xx @ beta
    p = special.expit(eta)
    if not converged or np.max(np.abs(eta)) > 35 or np.max(np.abs(beta)) > 50:
        sep = [n for n, b in zip(("intercept", *names), beta, strict=False) if abs(b) > 10]
        raise EstimationError(
            "perfect separation in the propensity model: some covariates "
            f"{sep or ''} predict treatment (almost) exactly, so propensity scores reach 0 or "
            "1; remove or coarsen them, or restrict the sample to the region of overlap"
        )
    v = p * (1 - p)
    cov = np.linalg.inv(xx.T @ (xx * v[:, None]))
    return LogitFit(beta, cov, p, it, converged)


def propensity_scores(p: Prepared, propensity: str | None) -> FloatArray:
    """Known scores from the column ``propensity`` (checked in (0, 1)), else a logistic fit."""
    if propensity is not None:
        e = p.frame[propensity].to_numpy(dtype=float)
        if np.any((e <= 0) | (e >= 1)):
            raise EstimationError(
                f"propensity scores in {propensity!r} must lie strictly between 0 and 1"
            )
        return e
    return fit_logit(p.x, p.w, names=p.names).fitted


def prepare_with_scores(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    propensity: str | None,
    dropna: bool,
) -> tuple[Prepared, FloatArray]:
    """Clean the data of a propensity-score estimator and get its scores."""
    if propensity is None and not covariates:
        raise EstimationError(
            "give covariates for the propensity model, or a column of "
            "known propensity scores (propensity=...)"
        )
    extra = [propensity] if propensity is not None else []
    p = prepare(
        df, outcome=outcome, treatment=treatment, covariates=covariates, extra=extra, dropna=dropna
    )
    return p, propensity_scores(p, propensity)


def ipw_weights(
    w: FloatArray, e: FloatArray, estimand: str, *, stabilized: bool = False
) -> FloatArray:
    r"""Inverse probability weights for the ATE, ATT or ATC.

    .. math::
        ATE: \frac{W}{e} + \frac{1-W}{1-e}, \quad
        ATT: W + (1-W)\frac{e}{1-e}, \quad
        ATC: W\frac{1-e}{e} + (1-W)

    Stabilised ATE weights multiply by :math:`\bar p` and :math:`1 - \bar p`.
    """
    if estimand == "ATE":
        if stabilized:
            pbar = w.mean()
            return np.asarray(w * pbar / e + (1 - w) * (1 - pbar) / (1 - e), dtype=float)
        return np.asarray(w / e + (1 - w) / (1 - e), dtype=float)
    if estimand == "ATT":
        return np.asarray(w + (1 - w) * e / (1 - e), dtype=float)
    if estimand == "ATC":
        return np.asarray(w * (1 - e) / e + (1 - w), dtype=float)
    raise EstimationError(f"estimand must be one of {ESTIMANDS}, got {estimand!r}")


@attrs.frozen
class InverseProbabilityWeighting:
    r"""Inverse probability weighting with a logistic propensity score.

    Parameters
    ----------
    estimand : {"ATE", "ATT", "ATC"}
        Effect on everyone, on the treated, or on the controls.
    normalized : bool, default True
        Hájek (weights normalised within each arm, the default) or
        Horvitz–Thompson.
    stabilized : bool, default False
        Stabilised ATE weights (changes Horvitz–Thompson only).
    trim : float or (float, float), optional
        Drop units whose propensity lies outside ``[lo, hi]`` (a float ``a``
        means ``[a, 1 - a]``; Crump et al. 2009 use 0.1). The dropped count is
        reported and the estimand becomes the effect on the overlap population.
    truncate : (float, float), optional
        Clip weights at these percentiles (e.g. ``(1, 99)``).
    se : {"robust", "bootstrap"}
        ``"robust"``: heteroskedasticity-robust (HC1) sandwich of the weighted
        regression of the outcome on treatment, weights taken as given (equals
        statsmodels ``WLS(...).fit(cov_type="HC1")``); ``"bootstrap"``:
        nonparametric bootstrap re-fitting the propensity model.
    n_boot : int, default 500
        Bootstrap replications.
    level : float, default 0.95
    dropna : bool, default False

    Notes
    -----
    Hájek: :math:`\hat\tau = \frac{\sum_i w_i W_i Y_i}{\sum_i w_i W_i} -
    \frac{\sum_i w_i (1-W_i) Y_i}{\sum_i w_i (1-W_i)}`, the coefficient of a
    weighted regression of :math:`Y` on :math:`(1, W)`. Horvitz–Thompson (ATE):
    :math:`\frac1n\sum_i \left[\frac{W_i Y_i}{e_i} - \frac{(1-W_i)Y_i}{1-e_i}\right]`.
    Assumes no unmeasured confounding and overlap.

    References
    ----------
    .. [1] Hirano, K., Imbens, G., Ridder, G. (2003). Efficient estimation of
       average treatment effects using the estimated propensity score.
       Econometrica 71(4).
    .. [2] Crump, R., Hotz, V. J., Imbens, G., Mitnik, O. (2009). Dealing with
       limited overlap in estimation of average treatment effects.
       Biometrika 96(1).

    Examples
    --------
    With known propensity scores (METHODS §3.3 fixture):

    >>> df = pd.DataFrame({"w": [1, 1, 0, 0], "y": [10, 8, 6, 4], "e": [.5, .8, .5, .2]})
    >>> ipw = InverseProbabilityWeighting()
    >>> round(ipw.estimate(df, outcome="y", treatment="w", propensity="e").effect, 6)
    4.0
    >>> ht = InverseProbabilityWeighting(normalized=False)
    >>> round(ht.estimate(df, outcome="y", treatment="w", propensity="e").effect, 6)
    3.25
    """

    name: ClassVar[str] = "inverse_probability_weighting"
    estimand: Literal["ATE", "ATT", "ATC"] = "ATE"
    normalized: bool = True
    stabilized: bool = False
    trim: float | tuple[float, float] | None = None
    truncate: tuple[float, float] | None = None
    se: Literal["robust", "bootstrap"] = "robust"
    n_boot: int = 500
    level: float = 0.95
    dropna: bool = False

    def __attrs_post_init__(self) -> None:
        if self.estimand not in ESTIMANDS:
            raise EstimationError(f"estimand must be one of {ESTIMANDS}, got {self.estimand!r}")
        if self.se not in ("robust", "bootstrap"):
            raise EstimationError(f"se must be 'robust' or 'bootstrap', got {self.se!r}")

    def _bounds(self) -> tuple[float, float] | None:
        if self.trim is None:
            return None
        if isinstance(self.trim, int | float):
            lo, hi = float(self.trim), 1.0 - float(self.trim)
        else:
            lo, hi = (float(v) for v in self.trim)
        if not 0 <= lo < hi <= 1:
            raise EstimationError(f"trim must give 0 <= lo < hi <= 1, got {self.trim!r}")
        return lo, hi

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
        """Estimate the effect; ``propensity`` names a column of known scores instead of a fit.

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
            Seed of the bootstrap (``se="bootstrap"``); None draws fresh
            entropy, recorded on the estimate as ``seed_entropy``.

        Returns
        -------
        EffectEstimate

        Raises
        ------
        EstimationError
            When an arm is empty after trimming, or the bootstrap fails too often.
        """
        p, e = prepare_with_scores(
            df,
            outcome=outcome,
            treatment=treatment,
            covariates=covariates,
            propensity=propensity,
            dropna=self.dropna,
        )
        res = self._fit(p, e)
        effect, se, kept, weights = res
        dof = None
        entropy = None
        if self.se == "bootstrap":
            rng, entropy = seeded(seed)
            se = self._bootstrap(p, propensity, rng)
        dropped = dict(p.dropped)
        if (~kept).any():
            dropped["trimming"] = int((~kept).sum())
        w_kept = p.w[kept]
        bal = balance_table(_subset(p, kept), weights)
        return EffectEstimate(
            effect=effect,
            se=se,
            ci=interval(effect, se, self.level, dof),
            level=self.level,
            df=dof,
            estimand=self.estimand,
            method=_describe(self.normalized, self.stabilized, self.se),
            n_treated=int(w_kept.sum()),
            n_control=int((1 - w_kept).sum()),
            dropped=dropped,
            diagnostics={
                "balance": bal,
                "overlap": overlap_summary(e, p.w),
                "effective_sample_size": _ess(weights, w_kept),
                "propensity": e,
            },
            seed_entropy=entropy,
        )

    def _fit(self, p: Prepared, e: FloatArray) -> tuple[float, float, np.ndarray, FloatArray]:
        kept = np.ones(len(e), dtype=bool)
        bounds = self._bounds()
        if bounds is not None:
            kept = (e >= bounds[0]) & (e <= bounds[1])
        y, w, ek = p.y[kept], p.w[kept], e[kept]
        if w.sum() == 0 or w.sum() == len(w):
            raise EstimationError("after trimming one arm is empty; loosen the trimming bounds")
        wt = ipw_weights(w, ek, self.estimand, stabilized=self.stabilized)
        if self.truncate is not None:
            lo, hi = np.percentile(wt, self.truncate)
            wt = np.clip(wt, lo, hi)
        if self.normalized:
            x = np.column_stack([np.ones_like(w), w])
            beta, resid, bread = ols(x, y, wt)
            cov = sandwich(x, resid, bread, kind="HC1", weights=wt)
            return float(beta[1]), float(math.sqrt(cov[1, 1])), kept, wt
        n = len(y)
        psi = (w - (1 - w)) * wt * y
        if self.estimand == "ATE":
            scale = n
        elif self.estimand == "ATT":
            scale = w.sum()
        else:
            scale = (1 - w).sum()
        effect = float(psi.sum() / scale)
        se = float(psi.std(ddof=1) * math.sqrt(n) / scale)
        return effect, se, kept, wt

    def _bootstrap(self, p: Prepared, propensity: str | None, seed: SeedLike) -> float:
        rng = as_generator(seed)
        n = len(p.y)
        draws = np.empty(self.n_boot)
        for b in range(self.n_boot):  # replications, each a full re-fit
            idx = rng.integers(0, n, n)
            sub = _subset(p, idx)
            try:
                e = propensity_scores(sub, propensity)
                draws[b] = self._fit(sub, e)[0]
            except EstimationError:
                draws[b] = np.nan
        ok = np.isfinite(draws)
        if ok.sum() < 0.9 * self.n_boot:
            raise EstimationError(
                f"{int((~ok).sum())} of {self.n_boot} bootstrap samples "
                "could not be estimated (empty arm or separation)"
            )
        return float(np.std(draws[ok], ddof=1))


def _describe(normalized: bool, stabilized: bool, se: str) -> str:
    kind = "Hájek" if normalized else "Horvitz-Thompson"
    stab = ", stabilized" if stabilized else ""
    return f"inverse probability weighting ({kind}{stab}), SE {se}"


def _subset(p: Prepared, idx: np.ndarray) -> Prepared:
    return attrs.evolve(
        p,
        y=p.y[idx],
        w=p.w[idx],
        x=p.x[idx],
        index=p.index[idx],
        frame=p.frame.iloc[np.flatnonzero(idx) if idx.dtype == bool else idx],
    )


def _ess(weights: FloatArray, w: FloatArray) -> dict[str, float]:
    out = {}
    for label, m in (("treated", w == 1), ("control", w == 0)):
        ww = weights[m]
        out[label] = float(ww.sum() ** 2 / (ww**2).sum()) if ww.size else 0.0
    return out
