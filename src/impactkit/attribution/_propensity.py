r"""Propensity scores: logistic maximum likelihood and inverse probability weighting."""

from __future__ import annotations

import math
import warnings
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
    ols,
    overlap_summary,
    prepare,
    sandwich,
    with_interval,
)
from impactkit.errors import EstimationError, OverlapWarning
from impactkit.typing import FloatArray, SeedLike

__all__ = [
    "InverseProbabilityWeighting",
    "LogitFit",
    "effective_sample_size",
    "fit_logit",
    "ipw_weights",
    "kept_by_trimming",
    "trim_bounds",
]


@attrs.frozen
class LogitFit:
    """A fitted logistic regression.

    Attributes
    ----------
    parameters : ndarray
        Coefficients, the intercept first, on the scale of the covariates.
    cov : ndarray
        Their covariance (inverse of the observed information).
    fitted : ndarray
        Fitted probabilities.
    iterations : int
        Newton iterations used.
    converged : bool
        Whether the steps fell below the tolerance.
    """

    parameters: FloatArray = attrs.field(eq=False)
    cov: FloatArray = attrs.field(eq=False)
    fitted: FloatArray = attrs.field(eq=False, repr=False)
    iterations: int
    converged: bool


def _loglik(w: FloatArray, eta: FloatArray) -> float:
    # log(1 + exp(eta)), stable for any eta
    softplus = np.maximum(eta, 0.0) + np.log1p(np.exp(-np.abs(eta)))
    return float(np.sum(w * eta - softplus))


def separation_direction(z: FloatArray, w: FloatArray) -> FloatArray | None:
    r"""A direction :math:`b` that separates the arms, or None when there is none.

    Complete or quasi-complete separation (no finite maximum-likelihood
    estimate, Albert & Anderson 1984) means some :math:`b \ne 0` has
    :math:`(2W_i - 1)\, z_i'b \ge 0` for every unit, strictly for at least one.
    The linear programme maximises :math:`\sum_i (2W_i - 1) z_i'b` under those
    constraints with :math:`|b_j| \le 1`: its optimum is 0 exactly when no such
    direction exists.
    """
    s = 2.0 * w - 1.0
    a = s[:, None] * z
    from scipy import optimize  # imported on use: keeps `import impactkit` light

    res = optimize.linprog(
        -a.sum(axis=0),
        A_ub=-a,
        b_ub=np.zeros(len(w)),
        bounds=[(-1.0, 1.0)] * z.shape[1],
        method="highs",
    )
    if res.status != 0 or res.x is None:
        return None
    b = np.asarray(res.x, dtype=float)
    size = float(np.max(np.abs(b)))
    if size < 1e-9:
        return None
    b = b / size  # a solver's noise around b = 0 does not survive this: its margins mix signs
    margin = a @ b
    if margin.min() >= -1e-9 * max(float(np.abs(a).max()), 1.0) and margin.max() > 1e-6:
        return b
    return None


def _sparse_direction(z: FloatArray, w: FloatArray, b: FloatArray) -> FloatArray:
    """A separating direction using as few covariates as it can (least L1 norm)."""
    a = (2.0 * w - 1.0)[:, None] * z
    k = z.shape[1]
    # variables: b (k, free) then t (k - 1) >= |b_j| for the covariates
    eye = np.eye(k)[1:]
    a_ub = np.vstack(
        [
            np.hstack([-a, np.zeros((len(w), k - 1))]),
            np.hstack([eye, -np.eye(k - 1)]),
            np.hstack([-eye, -np.eye(k - 1)]),
        ]
    )
    from scipy import optimize  # imported on use: keeps `import impactkit` light

    res = optimize.linprog(
        np.r_[np.zeros(k), np.ones(k - 1)],
        A_ub=a_ub,
        b_ub=np.zeros(a_ub.shape[0]),
        A_eq=np.r_[a.sum(axis=0), np.zeros(k - 1)][None, :],
        b_eq=[1.0],
        bounds=[(None, None)] * k + [(0, None)] * (k - 1),
        method="highs",
    )
    return np.asarray(res.x[:k], dtype=float) if res.status == 0 and res.x is not None else b


def _separation_error(
    z: FloatArray, w: FloatArray, b: FloatArray, names: Sequence[str]
) -> EstimationError:
    b = _sparse_direction(z, w, b)
    cov_names = list(names) or [f"x{j}" for j in range(1, z.shape[1])]
    size = float(np.max(np.abs(b[1:]))) or 1.0
    involved = [n for n, bj in zip(cov_names, b[1:], strict=True) if abs(bj) > 1e-6 * size]
    return EstimationError(
        f"perfect separation in the propensity model: {', '.join(involved)} "
        f"predict{'s' if len(involved) == 1 else ''} treatment exactly for some units, "
        "so the maximum-likelihood estimate does not exist (scores of exactly 0 or 1); "
        "remove or coarsen these covariates, or restrict the sample to the region of overlap"
    )


def _standardised(x: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """The design of :func:`fit_logit`: an intercept, then the covariates standardised."""
    n = x.shape[0]
    centre = x.mean(axis=0)
    spread = x.std(axis=0)
    spread = np.where(spread > 0, spread, 1.0)
    return np.column_stack([np.ones(n), (x - centre) / spread]), centre, spread


def _full_rank(z: FloatArray) -> bool:
    """Whether a standardised design has full column rank (the test of :func:`fit_logit`)."""
    gram = np.linalg.eigvalsh(z.T @ z / z.shape[0])
    return bool(gram.min() > 1e-12 * gram.max())


def fit_logit(
    x: FloatArray,
    w: FloatArray,
    *,
    max_iter: int = 100,
    tol: float = 1e-10,
    names: Sequence[str] = (),
) -> LogitFit:
    r"""Logistic regression of ``w`` on ``x`` (with an intercept added) by maximum likelihood.

    Newton-Raphson with step halving on standardised covariates,
    :math:`\beta \leftarrow \beta + (X'VX)^{-1}X'(w - p)`, :math:`V = p(1-p)`,
    vectorised over rows; the coefficients are mapped back to the scale of the
    covariates. Agrees with ``statsmodels`` ``Logit`` to the solver's
    tolerance, including fits whose scores come very close to 0 or 1: a
    converged fit with extreme scores is a problem of *overlap*, reported by
    the estimators, not separation (docs/methods/attribution.md).

    Parameters
    ----------
    x : ndarray, shape (n, k)
        Covariates, without the intercept.
    w : ndarray, shape (n,)
        Treatment, 0 or 1.
    max_iter : int, default 100
        Newton iterations.
    tol : float, default 1e-10
        Convergence when every step is below ``tol × (1 + max |β|)``.
    names : sequence of str, optional
        Covariate names, for messages.

    Returns
    -------
    LogitFit

    Raises
    ------
    EstimationError
        Collinear covariates; complete or quasi-complete separation (no finite
        maximum-likelihood estimate: the Newton steps do not settle and a
        linear programme finds a separating direction; the message names the
        covariates involved); or no convergence for another reason.

    References
    ----------
    .. [1] Albert, A., Anderson, J. A. (1984). On the existence of maximum
       likelihood estimates in logistic regression models. Biometrika 71(1).

    Examples
    --------
    >>> x = np.array([[0.0], [1.0], [2.0], [3.0], [4.0], [5.0]])
    >>> w = np.array([0.0, 0.0, 1.0, 0.0, 1.0, 1.0])
    >>> fit = fit_logit(x, w)
    >>> fit.converged, fit.parameters.round(4).tolist()
    (True, [-3.0351, 1.214])
    """
    n = len(w)
    x = np.asarray(x, dtype=float).reshape(n, -1)
    z, centre, spread = _standardised(x)
    k = z.shape[1]
    if not _full_rank(z):
        raise EstimationError(
            "the propensity model is singular: covariates "
            f"{list(names) or ''} are collinear; remove redundant ones"
        )
    beta = np.zeros(k)
    eta = np.zeros(n)
    ll = _loglik(w, eta)
    converged = False
    it = 0
    for it in range(1, max_iter + 1):  # noqa: B007 - Newton iterations, not rows
        p = special.expit(eta)
        v = p * (1 - p)
        grad = z.T @ (w - p)
        hess = z.T @ (z * v[:, None])
        try:
            step = np.linalg.solve(hess, grad)
        except np.linalg.LinAlgError:
            break
        t = 1.0
        while True:  # step halving: the likelihood never decreases
            cand = beta + t * step
            eta_new = z @ cand
            ll_new = _loglik(w, eta_new)
            if ll_new >= ll - 1e-12 * abs(ll) or t < 1e-8:
                break
            t /= 2
        beta, eta, ll = cand, eta_new, ll_new
        if np.max(np.abs(step)) < tol * (1 + np.max(np.abs(beta))):
            converged = True
            break
    p = special.expit(eta)
    extreme = bool(np.any((p < 1e-8) | (p > 1 - 1e-8)))
    if not converged or extreme:
        # scores near 0 or 1: separation only if a direction separates the arms exactly
        b = separation_direction(z, w)
        if b is not None:
            raise _separation_error(z, w, b, names)
    if not converged:
        raise EstimationError(f"the propensity model did not converge in {max_iter} iterations")
    v = p * (1 - p)
    cov_z = np.linalg.inv(z.T @ (z * v[:, None]))
    # back to the covariates' scale: beta_raw = A beta_z
    a = np.eye(k)
    a[1:, 1:] = np.diag(1.0 / spread)
    a[0, 1:] = -centre / spread
    return LogitFit(a @ beta, a @ cov_z @ a.T, p, it, converged)


def separated_units(z: FloatArray, w: FloatArray) -> tuple[np.ndarray, list[FloatArray]]:
    r"""The units whose score tends to 0 or 1 as the likelihood climbs: none without separation.

    Under complete or quasi-complete separation the likelihood rises along
    every separating direction :math:`b` (:func:`separation_direction`), and
    the units with a strictly positive margin :math:`(2W_i - 1)\, z_i'b > 0`
    go to a score of 1 (treated) or 0 (controls). The union over all
    separating directions is found one direction at a time, each on the units
    not yet separated (a sum of separating directions separates the union);
    the other units keep scores inside (0, 1), those of the logit fitted on
    them alone (Albert & Anderson 1984, quasi-complete separation).

    Parameters
    ----------
    z : ndarray, shape (n, k)
        Design with its intercept (standardised, as :func:`fit_logit` builds it).
    w : ndarray, shape (n,)
        Treatment, 0 or 1.

    Returns
    -------
    separated : ndarray of bool
        True for the separated units.
    directions : list of ndarray
        The separating directions found, each on the units left by the previous
        ones.
    """
    out = np.zeros(len(w), dtype=bool)
    directions = []
    while not out.all():
        rest = np.flatnonzero(~out)
        b = separation_direction(z[rest], w[rest])
        if b is None:
            break
        margin = (2.0 * w[rest] - 1.0) * (z[rest] @ b)
        new = margin > 1e-6 * max(float(np.abs(z[rest]).max()), 1.0)
        if not new.any():
            break
        out[rest[new]] = True
        directions.append(b)
    return out, directions


@attrs.frozen
class LimitFit:
    """Propensity scores at the limit of the logistic likelihood (see :func:`fit_logit_limit`).

    Attributes
    ----------
    fitted : ndarray
        Scores: exactly 1 (treated) or 0 (controls) for the separated units, the
        fitted logit's for the others.
    separated : ndarray of bool
        The separated units (none when the maximum-likelihood estimate exists).
    columns : tuple of int
        Covariates (columns of ``x``) of the logit fitted on the units not
        separated: those spanning their design.
    involved : tuple of str
        Covariates that separate the units (empty without separation).
    """

    fitted: FloatArray = attrs.field(eq=False, repr=False)
    separated: np.ndarray = attrs.field(eq=False, repr=False)
    columns: tuple[int, ...]
    involved: tuple[str, ...] = ()


def fit_logit_limit(x: FloatArray, w: FloatArray, *, names: Sequence[str] = ()) -> LimitFit:
    r"""Logit scores, taken at the limit of the likelihood when separation leaves no maximum.

    Without separation this is :func:`fit_logit`. Under separation the
    likelihood keeps rising as the coefficients go to infinity along the
    separating directions; the scores then converge: the separated units'
    (:func:`separated_units`) to exactly 0 or 1, the others' to the logit
    fitted on those units alone, on the covariates that vary among them. A
    fitting routine that stops along the way (R's ``glm``, ``statsmodels``)
    returns scores near that limit, such as :math:`10^{-11}` for the separated
    controls.

    Parameters
    ----------
    x : ndarray, shape (n, k)
        Covariates, without the intercept.
    w : ndarray, shape (n,)
        Treatment, 0 or 1.
    names : sequence of str, optional
        Covariate names, for messages.

    Returns
    -------
    LimitFit

    Raises
    ------
    EstimationError
        Collinear covariates, or a fit that does not converge without separation.
    """
    n = len(w)
    x = np.asarray(x, dtype=float).reshape(n, -1)
    try:
        fit = fit_logit(x, w, names=names)
    except EstimationError:
        z = _standardised(x)[0]
        if not _full_rank(z):
            raise
        sep, directions = separated_units(z, w)
        if not sep.any():
            raise
    else:
        return LimitFit(fit.fitted, np.zeros(n, dtype=bool), tuple(range(x.shape[1])))
    labels = list(names) or [f"x{j}" for j in range(1, z.shape[1])]
    used = np.zeros(len(labels), dtype=bool)
    for b in directions:
        size = float(np.max(np.abs(b[1:]))) if len(b) > 1 else 0.0
        used |= (np.abs(b[1:]) > 1e-6 * size) & (size > 0)
    involved = tuple(lab for lab, u in zip(labels, used, strict=True) if u)
    p = np.where(sep, w, 0.0).astype(float)
    rest = ~sep
    columns: list[int] = []
    if rest.any():
        zr = _standardised(x[rest])[0]
        keep = [0]
        for j in range(1, zr.shape[1]):  # covariates that still vary, as the rank allows
            if _full_rank(zr[:, [*keep, j]]):
                keep.append(j)
        columns = [j - 1 for j in keep[1:]]
        kept_names = [names[c] for c in columns] if names else ()
        p[rest] = fit_logit(x[rest][:, columns], w[rest], names=kept_names).fitted
    return LimitFit(p, sep, tuple(columns), involved)


def trim_bounds(trim: float | tuple[float, float] | None) -> tuple[float, float] | None:
    """Check a trimming option: ``a`` means ``[a, 1 - a]``; ``(lo, hi)`` as given."""
    if trim is None:
        return None
    try:
        if isinstance(trim, int | float):
            lo, hi = float(trim), 1.0 - float(trim)
        else:
            lo, hi = (float(v) for v in trim)
    except (TypeError, ValueError) as exc:
        raise EstimationError(f"trim must be a number or (lo, hi), got {trim!r}") from exc
    if not 0 <= lo < hi <= 1:
        raise EstimationError(f"trim must give 0 <= lo < hi <= 1, got {trim!r}")
    return lo, hi


ATT_TRIM_LEVEL = 0.995
"""Propensity score at or above which a control gets zero weight in an ATT cell of a
doubly robust difference in differences (``trim.level`` of the DRDID engine behind R ``did``)."""

ATT_TRIM_BOUNDS = (0.0, float(np.nextafter(ATT_TRIM_LEVEL, 0.0)))
""":data:`ATT_TRIM_LEVEL` as closed bounds for :func:`kept_by_trimming`: a score is kept
below 0.995 and trimmed from 0.995 up, exactly."""

OVERLAP_LIMIT = 0.999
"""Largest propensity score from which a group-time cell is not estimated at all
(the overlap guard of R ``did``: Callaway & Sant'Anna 2021, assumption 6)."""


def kept_by_trimming(
    e: FloatArray, bounds: tuple[float, float], *, w: FloatArray | None = None
) -> np.ndarray:
    """The units that trimming keeps: scores within ``bounds``, both ends included.

    One rule for every propensity-score estimator: the ``trim`` option of
    :class:`InverseProbabilityWeighting` (and of matching and AIPW) keeps
    ``lo <= e <= hi`` in both arms; the doubly robust cells of
    :class:`~impactkit.attribution.StaggeredDiD` keep every treated unit and the
    controls within :data:`ATT_TRIM_BOUNDS` (``w`` given: only controls,
    ``w == 0``, are trimmed).

    Parameters
    ----------
    e : ndarray
        Propensity scores.
    bounds : (float, float)
        Closed interval of the scores kept.
    w : ndarray, optional
        Treatment (0/1); when given, treated units are always kept.

    Returns
    -------
    ndarray of bool
        True for the units kept.
    """
    keep = (e >= bounds[0]) & (e <= bounds[1])
    if w is not None:
        keep = keep | (w != 0)
    return np.asarray(keep, dtype=bool)


def effective_sample_size(weights: FloatArray, w: FloatArray) -> dict[str, float]:
    r"""Kish's effective sample size of each arm, :math:`(\sum w_i)^2 / \sum w_i^2`."""
    out = {}
    for label, m in (("treated", w == 1), ("control", w == 0)):
        ww = weights[m]
        sq = float((ww**2).sum())
        out[label] = float(ww.sum() ** 2 / sq) if sq > 0 else 0.0
    return out


TAIL_SHARE = 0.01
"""Share of units with extreme scores (beyond 0.01 or 0.99) that makes overlap poor."""

ESS_RATIO = 0.1
"""Effective sample size of an arm, relative to its size (at most the target's), below which
overlap is poor."""


def poor_overlap(e: FloatArray, w: FloatArray, estimand: str, ess: dict[str, float]) -> list[str]:
    """Why overlap is poor for this estimand (docs/methods/attribution.md); empty when it is not.

    Two signs, each documented in :class:`~impactkit.errors.OverlapWarning`:
    at least 1 % of the units have scores beyond 0.01 or 0.99 on the side that
    matters for the estimand (both for the ATE, above 0.99 for the ATT, below
    0.01 for the ATC); or an arm's effective sample size is below a tenth of
    its number of units (or of the target population's, when smaller: the
    treated for the ATT, the controls for the ATC).
    """
    if estimand == "ATT":
        bad, where, n_target = e > 0.99, "above 0.99", int(w.sum())
    elif estimand == "ATC":
        bad, where, n_target = e < 0.01, "below 0.01", int((1 - w).sum())
    else:
        bad, where, n_target = (e < 0.01) | (e > 0.99), "outside [0.01, 0.99]", len(w)
    reasons = []
    if bad.mean() >= TAIL_SHARE:
        reasons.append(f"{int(bad.sum())} of {len(e)} units have propensity scores {where}")
    for label, n_arm in (("treated", int(w.sum())), ("control", int((1 - w).sum()))):
        base = min(n_arm, n_target)
        if base and ess[label] < ESS_RATIO * base:
            reasons.append(
                f"the {label} arm weighs as {ess[label]:.1f} units (effective sample size) "
                f"out of {n_arm}"
            )
    return reasons


def warn_poor_overlap(
    e: FloatArray, w: FloatArray, estimand: str, ess: dict[str, float], stacklevel: int
) -> None:
    """Issue an :class:`~impactkit.errors.OverlapWarning` when :func:`poor_overlap` finds signs."""
    reasons = poor_overlap(e, w, estimand, ess)
    if not reasons:
        return
    warnings.warn(
        f"poor overlap for the {estimand}: {'; '.join(reasons)} (scores from "
        f"{float(e.min()):.3g} to {float(e.max()):.3g}), so a few units dominate the estimate; "
        "see diagnostics['overlap'], and consider trim=(0.1, 0.9) (Crump et al. 2009), which "
        "estimates the effect on the population with overlap",
        OverlapWarning,
        stacklevel=stacklevel + 1,
    )


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
        Stabilised ATE weights :math:`\bar p W/e + (1 - \bar p)(1 - W)/(1 - e)`.
        Each arm's weights are scaled by a constant, so neither the Hájek nor
        the Horvitz–Thompson estimate changes (Horvitz–Thompson divides each
        arm's weighted sum by its expected total, :math:`n\bar p` and
        :math:`n(1 - \bar p)`); the weights reported are the stabilised ones.
    trim : float or (float, float), optional
        Drop units whose propensity lies outside ``[lo, hi]`` (a float ``a``
        means ``[a, 1 - a]``; Crump et al. 2009 use 0.1). The dropped count is
        reported and the estimand becomes the effect on the overlap population.
    truncate : (float, float), optional
        Clip weights at these percentiles (e.g. ``(1, 99)``; ``0 <= lo < hi
        <= 100``).
    se : {"robust", "bootstrap"}
        ``"robust"``: heteroskedasticity-robust (HC1) sandwich of the weighted
        regression of the outcome on treatment, weights taken as given (equals
        statsmodels ``WLS(...).fit(cov_type="HC1")``); ``"bootstrap"``:
        nonparametric bootstrap re-fitting the propensity model.
    n_bootstrap : int, default 500
        Bootstrap replications (at least 2).
    level : float, default 0.95
    dropna : bool, default False

    Warns
    -----
    OverlapWarning
        When the propensity scores show poor overlap for the estimand (see
        :class:`~impactkit.errors.OverlapWarning`); ``diagnostics["overlap"]``
        and ``diagnostics["effective_sample_size"]`` give the figures.

    Notes
    -----
    Hájek: :math:`\hat\tau = \frac{\sum_i w_i W_i Y_i}{\sum_i w_i W_i} -
    \frac{\sum_i w_i (1-W_i) Y_i}{\sum_i w_i (1-W_i)}`, the coefficient of a
    weighted regression of :math:`Y` on :math:`(1, W)`. Horvitz–Thompson (ATE):
    :math:`\frac1n\sum_i \left[\frac{W_i Y_i}{e_i} - \frac{(1-W_i)Y_i}{1-e_i}\right]`;
    for the ATT (ATC) the sum of :math:`\psi_i = (2W_i - 1) w_i Y_i` is divided
    by :math:`n_1` (:math:`n_0`), and its standard error is that of the influence
    function :math:`(\psi_i - T_i\hat\tau)/\bar T`, :math:`T_i` the indicator
    of the target population (:math:`W_i`, :math:`1 - W_i`, or 1 for the ATE),
    scores taken as given.
    Assumes no unmeasured confounding and overlap. The propensity model is
    refused only under separation (no finite maximum-likelihood estimate, see
    :func:`fit_logit`); scores close to 0 or 1 are an overlap problem,
    reported and, on request, trimmed.

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
    With known propensity scores (docs/methods/attribution.md):

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
    n_bootstrap: int = 500
    level: float = 0.95
    dropna: bool = False

    def __attrs_post_init__(self) -> None:
        problems = []
        if self.estimand not in ESTIMANDS:
            problems.append(f"estimand must be one of {ESTIMANDS}, got {self.estimand!r}")
        if self.se not in ("robust", "bootstrap"):
            problems.append(f"se must be 'robust' or 'bootstrap', got {self.se!r}")
        try:
            trim_bounds(self.trim)
        except EstimationError as exc:
            problems.append(str(exc))
        if self.truncate is not None:
            try:
                lo, hi = (float(v) for v in self.truncate)
                ok = 0 <= lo < hi <= 100
            except (TypeError, ValueError):
                ok = False
            if not ok:
                problems.append(
                    "truncate must be two percentiles (lo, hi) with 0 <= lo < hi <= 100, "
                    f"got {self.truncate!r}"
                )
        if not (isinstance(self.n_bootstrap, int | np.integer) and self.n_bootstrap >= 2):
            problems.append(f"n_bootstrap must be a whole number >= 2, got {self.n_bootstrap!r}")
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
        e_kept = e[kept]
        bal = balance_table(_subset(p, kept), weights)
        ess = effective_sample_size(weights, w_kept)
        warn_poor_overlap(e_kept, w_kept, self.estimand, ess, stacklevel=2)
        return with_interval(
            effect,
            se,
            self.level,
            dof,
            estimand=self.estimand,
            method=_describe(self.normalized, self.stabilized, self.se),
            n_treated=int(w_kept.sum()),
            n_control=int((1 - w_kept).sum()),
            dropped=dropped,
            diagnostics={
                "outcome_mean_treated": float(p.y[kept][w_kept == 1].mean()),
                "balance": bal,
                "overlap": overlap_summary(e_kept, w_kept),
                "effective_sample_size": ess,
                "propensity": e,
            },
            seed_entropy=entropy,
        )

    def _fit(self, p: Prepared, e: FloatArray) -> tuple[float, float, np.ndarray, FloatArray]:
        kept = np.ones(len(e), dtype=bool)
        bounds = trim_bounds(self.trim)
        if bounds is not None:
            kept = kept_by_trimming(e, bounds)
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
        arm = w - (1 - w)
        if self.stabilized and self.estimand == "ATE":
            # stabilised weights carry the factors pbar and 1 - pbar of each arm; Horvitz-Thompson
            # divides each arm's weighted sum by n pbar and n (1 - pbar), their expected totals
            pbar = float(w.mean())
            arm = w / pbar - (1 - w) / (1 - pbar)
        psi = arm * wt * y
        # the population the effect is averaged over: everyone, the treated or the controls;
        # its size is random, so the influence function centres each term on it
        target = {"ATE": np.ones_like(w), "ATT": w, "ATC": 1 - w}[self.estimand]
        effect = float(psi.sum() / target.sum())
        infl = (psi - target * effect) / target.mean()
        se = float(infl.std(ddof=1) / math.sqrt(n))
        return effect, se, kept, wt

    def _bootstrap(self, p: Prepared, propensity: str | None, seed: SeedLike) -> float:
        rng = as_generator(seed)
        n = len(p.y)
        draws = np.empty(self.n_bootstrap)
        for b in range(self.n_bootstrap):  # replications, each a full re-fit
            idx = rng.integers(0, n, n)
            sub = _subset(p, idx)
            try:
                e = propensity_scores(sub, propensity)
                draws[b] = self._fit(sub, e)[0]
            except EstimationError:
                draws[b] = np.nan
        ok = np.isfinite(draws)
        if ok.sum() < 0.9 * self.n_bootstrap:
            raise EstimationError(
                f"{int((~ok).sum())} of {self.n_bootstrap} bootstrap samples "
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
