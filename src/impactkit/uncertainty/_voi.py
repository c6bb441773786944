r"""Value of information and acceptability: EVPI, EVPPI, CEAC and the acceptability frontier.

A decision between options ``d`` is made on expected net benefit; the draws
``NB[s, d]`` of a probabilistic analysis (a Monte Carlo) say how much that
decision could gain from better evidence (docs/methods/decision.md):

.. math::

    EVPI = E_s[\max_d NB_{sd}] - \max_d E_s[NB_{sd}]

    EVPPI(\theta) = E_\theta[\max_d E(NB_d \mid \theta)] - \max_d E[NB_d]

For an SROI the decision is *fund* (net benefit = present value − inputs)
against *do not fund* (net benefit 0): pass the one-dimensional draws of
``present_value - total_inputs``.

References
----------
.. [1] Claxton, K. (1999). The irrelevance of inference: a decision-making
   approach to the stochastic evaluation of health care technologies. Journal
   of Health Economics 18(3), 341-364.
.. [2] Strong, M., Oakley, J. E., Brennan, A. (2014). Estimating multiparameter
   partial expected value of perfect information from a probabilistic
   sensitivity analysis sample: a nonparametric regression approach. Medical
   Decision Making 34(3), 311-326.
.. [3] Fenwick, E., Claxton, K., Sculpher, M. (2001). Representing uncertainty:
   the role of cost-effectiveness acceptability curves. Health Economics
   10(8), 779-787.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from typing import Any, Literal

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit._random import seeded
from impactkit._results import Summary, displayed, jsonable
from impactkit.discount import Constant, Schedule
from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray, SeedLike

__all__ = [
    "AcceptabilityResult",
    "EVPPIResult",
    "VOIResult",
    "acceptability",
    "ceac",
    "evpi",
    "evppi",
    "population_evpi",
    "value_of_information",
]

_KNOTS = 12  # interior knots of the one-parameter penalised spline
_KNOTS_MULTI = 5  # per parameter when several are smoothed together
_LAMBDAS = np.logspace(-8, 6, 57)  # penalty grid searched by GCV (relative to tr(X'X)/p)
_CHUNK = 1 << 22  # elements per (wtp x draws x options) block in the CEAC


# --------------------------------------------------------------------------- inputs


def _array(x: Any, name: str) -> FloatArray:
    if isinstance(x, pd.DataFrame | pd.Series):
        x = x.to_numpy()
    try:
        a = np.asarray(x, dtype=float)
    except (TypeError, ValueError) as exc:
        raise ValidationError(
            f"{name} must be numeric, got {type(x).__name__}", path=(name,), code="type"
        ) from exc
    return a


def _net_benefit(net_benefit: Any) -> FloatArray:
    """Draws x options; one-dimensional input is one option against doing nothing (0)."""
    nb = _array(net_benefit, "net_benefit")
    probs: list[Problem] = []
    if nb.ndim == 1:
        nb = np.column_stack([np.zeros(nb.shape[0]), nb])
    if nb.ndim != 2:
        raise ValidationError(
            f"net_benefit must be (draws,) or (draws, options), got shape {nb.shape}",
            path=("net_benefit",),
            code="shape",
        )
    if nb.shape[0] < 2:
        probs.append(Problem(("net_benefit",), "too_few", "at least 2 draws are needed"))
    bad = ~np.isfinite(nb)
    if bad.any():
        rows = np.flatnonzero(bad.any(axis=1))
        probs.append(
            Problem(
                ("net_benefit",),
                "not_finite",
                f"{rows.size} draws hold NaN or infinite values (first at row {int(rows[0])})",
            )
        )
    if probs:
        raise ValidationError(probs)
    return nb


def _parameters(parameters: Any, n: int) -> tuple[FloatArray, tuple[str, ...]]:
    if isinstance(parameters, pd.Series):
        names: tuple[str, ...] = (str(parameters.name or "theta"),)
    elif isinstance(parameters, pd.DataFrame):
        names = tuple(str(c) for c in parameters.columns)
    else:
        names = ()
    x = _array(parameters, "parameters")
    if x.ndim == 1:
        x = x[:, None]
    if x.ndim != 2 or x.shape[1] < 1:
        raise ValidationError(
            f"parameters must be (draws,) or (draws, k), got shape {x.shape}",
            path=("parameters",),
            code="shape",
        )
    if not names:
        names = tuple(f"theta_{j}" for j in range(x.shape[1]))
    probs: list[Problem] = []
    if x.shape[0] != n:
        probs.append(
            Problem(
                ("parameters",),
                "shape",
                f"parameters have {x.shape[0]} draws but net_benefit has {n}",
            )
        )
    bad = ~np.isfinite(x)
    for j in np.flatnonzero(bad.any(axis=0)):
        probs.append(
            Problem(
                ("parameters", names[int(j)]),
                "not_finite",
                f"{int(bad[:, j].sum())} draws are NaN or infinite",
            )
        )
    if probs:
        raise ValidationError(probs)
    return x, names


# --------------------------------------------------------------------------- EVPI


def evpi(net_benefit: Any) -> float:
    r"""Expected value of perfect information per decision.

    Parameters
    ----------
    net_benefit : array_like, shape (draws,) or (draws, options)
        Net benefit draws of each option [currency]. One-dimensional input is
        one option (fund) against doing nothing (net benefit 0), the SROI
        decision.

    Returns
    -------
    float
        :math:`E_s[\max_d NB_{sd}] - \max_d E_s[NB_{sd}]` [currency], never
        negative.

    Raises
    ------
    ValidationError
        When the draws are not numeric, not finite, or fewer than two.

    See Also
    --------
    evppi : the same for a subset of parameters.
    population_evpi : scaled to the population the decision affects.

    Notes
    -----
    EVPI is the most a decision maker should pay to remove all uncertainty
    before choosing [1]_. For a normal net benefit :math:`N(m, s^2)` against
    0, EVPI is the unit normal loss :math:`s\,\varphi(m/s) - |m|\,\Phi(-|m|/s)`.

    References
    ----------
    .. [1] Claxton, K. (1999). The irrelevance of inference. Journal of Health
       Economics 18(3), 341-364.

    Examples
    --------
    >>> round(evpi([[10.0, 0.0], [0.0, 8.0]]), 6)
    4.0
    >>> evpi([-5.0, 15.0])   # fund vs do not fund
    2.5
    """
    nb = _net_benefit(net_benefit)
    return _loss(nb)


def _loss(nb: FloatArray) -> float:
    """mean(max_d NB) - max_d mean(NB), as the mean regret of the chosen option.

    Written as a mean of non-negative differences, it is exactly 0 when the
    chosen option is the best in every draw (no rounding residue).
    """
    best = int(np.argmax(nb.mean(axis=0)))
    return float(np.mean(nb.max(axis=1) - nb[:, best]))


def population_evpi(
    value: float,
    *,
    population: float | Sequence[float],
    horizon: int | None = None,
    discount: float | Constant | Schedule = 0.035,
    first_flow_at: Literal["t0", "t1"] = "t0",
) -> float:
    r"""Per-decision EVPI (or EVPPI) scaled to the population over the decision's horizon.

    Parameters
    ----------
    value : float
        EVPI or EVPPI per decision (per person or per establishment) [currency].
    population : float or sequence of float
        People (or establishments) concerned each year; one number is the same
        population every year of ``horizon`` [people/year].
    horizon : int, optional
        Years the decision stands; required with a single population figure,
        otherwise the length of ``population``.
    discount : float, Constant or Schedule, default 0.035
        A rate or a discount of :mod:`impactkit.discount`.
    first_flow_at : {"t0", "t1"}, default "t0"
        ``"t0"``: the first year's population is not discounted (Green Book);
        ``"t1"``: it is discounted once (SROI convention, docs/methods/conventions.md).

    Returns
    -------
    float
        :math:`value \times \sum_t Pop_t\, DF(t)` [currency].

    Raises
    ------
    ValidationError
        On a negative value or population, or a missing or mismatched horizon.

    Notes
    -----
    docs/methods/decision.md. Compare the result with the cost of the research that
    would reduce the uncertainty: research costing more than the population
    EVPI is not worth it [1]_.

    References
    ----------
    .. [1] Claxton, K. (1999). Journal of Health Economics 18(3), 341-364.

    Examples
    --------
    >>> round(population_evpi(10.0, population=100, horizon=2, discount=0.0), 6)
    2000.0
    >>> round(population_evpi(10.0, population=[100, 100], discount=0.1), 4)
    1909.0909
    """
    from impactkit.discount import factors

    probs: list[Problem] = []
    if not (np.isfinite(value) and value >= 0):
        probs.append(Problem(("value",), "out_of_range", f"must be >= 0, got {value!r}"))
    pop = np.atleast_1d(np.asarray(population, dtype=float))
    if pop.ndim != 1 or pop.size == 0 or not np.all(np.isfinite(pop)) or np.any(pop < 0):
        probs.append(
            Problem(("population",), "out_of_range", "population must be finite and >= 0")
        )
    if pop.size == 1 and horizon is None:
        probs.append(Problem(("horizon",), "missing", "give a horizon with one population figure"))
    if horizon is not None:
        if not (isinstance(horizon, int | np.integer) and horizon >= 1):
            probs.append(Problem(("horizon",), "out_of_range", "must be a whole number >= 1"))
        elif pop.size not in (1, horizon):
            probs.append(
                Problem(
                    ("horizon",),
                    "shape",
                    f"horizon is {horizon} but population has {pop.size} years",
                )
            )
    if first_flow_at not in ("t0", "t1"):
        probs.append(Problem(("first_flow_at",), "invalid_choice", "must be 't0' or 't1'"))
    if probs:
        raise ValidationError(probs)
    years = int(horizon) if horizon is not None else pop.size
    pop = np.broadcast_to(pop, (years,)) if pop.size == 1 else pop
    shift = 1 if first_flow_at == "t1" else 0
    dfs = factors(discount, np.arange(years + shift))[shift:]
    return float(value * pop @ dfs)


# --------------------------------------------------------------------------- EVPPI


def _spline_basis(x: FloatArray, knots: int) -> tuple[FloatArray, int]:
    """Cubic truncated-power basis of standardised ``x``: (columns, unpenalised count).

    Columns: x, x², x³ (unpenalised) and (x − κ_j)³₊ at ``knots`` quantile knots
    (penalised), the penalised regression spline of Ruppert, Wand & Carroll (2003).
    """
    sd = x.std()
    z = (x - x.mean()) / (sd if sd > 0 else 1.0)
    uniq = np.unique(z)
    if uniq.size <= 4:  # a discrete parameter: indicator columns are exact
        cols = [(z == u).astype(float) for u in uniq[1:]]
        return np.column_stack(cols) if cols else np.empty((z.size, 0)), len(cols)
    k = min(knots, uniq.size - 4)
    kappa = np.unique(np.quantile(z, np.linspace(0, 1, k + 2)[1:-1]))
    poly = np.column_stack([z, z**2, z**3])
    trunc = np.maximum(z[:, None] - kappa[None, :], 0.0) ** 3
    return np.column_stack([poly, trunc]), 3


def _design(x: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Design matrix (intercept first) and the penalty's diagonal for parameters ``x``."""
    n, k = x.shape
    knots = _KNOTS if k == 1 else _KNOTS_MULTI
    blocks, pen = [np.ones((n, 1))], [np.zeros(1)]
    lin: list[FloatArray] = []
    for j in range(k):
        b, free = _spline_basis(x[:, j], knots)
        blocks.append(b)
        pen.append(np.r_[np.zeros(free), np.ones(b.shape[1] - free)])
        lin.append(b[:, :1] if b.shape[1] else np.zeros((n, 1)))
    # interactions: products of the parameters' linear and quadratic terms,
    # penalised so that only the data's signal keeps them
    for a, b_ in itertools.combinations(range(k), 2):
        za, zb = lin[a][:, 0], lin[b_][:, 0]
        inter = np.column_stack([za * zb, za**2 * zb, za * zb**2])
        blocks.append(inter)
        pen.append(np.ones(3))
    return np.column_stack(blocks), np.concatenate(pen)


@attrs.frozen
class _Fit:
    beta: FloatArray = attrs.field(eq=False)  # (p, options)
    lam: FloatArray = attrs.field(eq=False)  # (options,)
    edf: FloatArray = attrs.field(eq=False)  # (options,)


def _fit(xtx: FloatArray, xty: FloatArray, yty: FloatArray, pen: FloatArray, n: int) -> _Fit:
    """Penalised least squares per option, the penalty chosen by GCV (vectorised over λ)."""
    p = xtx.shape[0]
    scale = np.trace(xtx) / p
    lams = _LAMBDAS * scale
    # (L, p, p) systems: one per penalty on the grid
    a = xtx[None, :, :] + lams[:, None, None] * np.diag(pen)[None, :, :]
    a = a + 1e-10 * scale * np.eye(p)[None, :, :]
    beta = np.linalg.solve(a, np.broadcast_to(xty, (lams.size, *xty.shape)))  # (L, p, D)
    hat = np.linalg.solve(a, np.broadcast_to(xtx, (lams.size, p, p)))
    edf = np.trace(hat, axis1=1, axis2=2)  # (L,)
    rss = (
        yty[None, :]
        - 2 * np.einsum("lpd,pd->ld", beta, xty)
        + np.einsum("lpd,pq,lqd->ld", beta, xtx, beta)
    )
    rss = np.maximum(rss, 0.0)
    gcv = n * rss / np.maximum(n - edf[:, None], 1.0) ** 2
    best = np.argmin(gcv, axis=0)  # (D,)
    d = np.arange(xty.shape[1])
    return _Fit(beta[best, :, d].T, lams[best], edf[best])


_BLOCK = 1 << 23  # elements of one block of bootstrap weights (64 MiB as float64)


def _resample_counts(
    n: int, reps: int, rng: np.random.Generator, order: npt.NDArray[np.intp] | None = None
) -> Any:
    """How many times each draw is picked by each resample, as small integers (reps, n).

    With ``order``, column ``i`` holds the counts of draw ``order[i]``.

    The picks are drawn in blocks of replicates; the generator's stream does
    not depend on the block size, so the counts are those of one call for all
    replicates. Counts are kept as 16-bit integers (a draw picked more than
    65,535 times in one resample would widen them), a quarter of the memory
    of floats.
    """
    block = max(1, min(reps, _BLOCK // n))
    counts = np.empty((reps, n), dtype=np.uint16)
    top = np.iinfo(np.uint16).max
    for r0 in range(0, reps, block):
        b = min(block, reps - r0)
        picks = rng.integers(0, n, (b, n))
        for i in range(b):  # one resample at a time: its counts stay in cache
            c = np.bincount(picks[i], minlength=n)
            if counts.dtype == np.uint16 and c.max() > top:  # pragma: no cover - rare
                counts = counts.astype(np.int64)
            # narrowed before the reordering: the gather then reads a quarter of the bytes
            c = c.astype(counts.dtype, copy=False)
            counts[r0 + i] = c if order is None else c[order]
    return counts


def _bootstrap(
    design: FloatArray,
    y: FloatArray,
    pen: FloatArray,
    lam: FloatArray,
    reps: int,
    rng: np.random.Generator,
) -> FloatArray:
    r"""EVPPI of ``reps`` bootstrap resamples of the draws, penalties held fixed.

    A resample is a vector of counts ``w`` over the draws; its normal
    equations ``X'WX β = X'Wy`` are matrix products over the draws, taken for
    all resamples at once chunk of draws by chunk of draws (each chunk's
    products of columns are formed once), so the draws are read once whatever
    the number of resamples. The chunks follow the draws in the order of the
    first parameter: a truncated-power column :math:`(z - \kappa)^3_+` is then
    zero on whole chunks, and the products and fitted values skip the columns
    that are zero on a chunk (the spline's local support, about half the work).
    The fitted values and regrets are then computed in a second pass over the
    same chunks. Memory is bounded by the counts (16-bit) and one chunk, not
    by replicates × draws. Option 0 is the reference (its column of ``y`` is
    zero), so its fitted values are zero and are not computed.
    """
    n, p = design.shape
    yr = y[:, 1:]
    lam_r = lam[1:]
    d = yr.shape[1]
    if d == 0:  # one option: nothing to learn
        return np.zeros(reps)
    # the draws in the order of the first parameter, and the counts in that order
    order = np.argsort(design[:, 1], kind="stable") if p > 1 else np.arange(n)
    design, yr = design[order], yr[order]
    counts = _resample_counts(n, reps, rng, order)
    # about 32 chunks (the spline's knots are 12 quantiles), of at least 4,096 draws so
    # that each matrix product is large enough to run at full speed
    per_chunk = max(-(-n // 32), 4096)
    rows = max(1, min(per_chunk, _BLOCK // max(p * (p + 1) // 2 + p * d, reps * d, 1)))
    chunks = []
    for lo in range(0, n, rows):
        idx = slice(lo, min(lo + rows, n))
        nz = np.flatnonzero((design[idx] != 0).any(axis=0))  # columns not zero on the chunk
        chunks.append((idx, nz))
    # normal equations of every resample: on each chunk, the products of its
    # non-zero columns and their products with y side by side, weighted by one
    # matrix product
    xtx = np.zeros((reps, p, p))
    xty = np.zeros((reps, d, p))
    for idx, nz in chunks:
        x = design[idx, nz]
        m = nz.size
        iu = np.triu_indices(m)
        q = iu[0].size
        cols = np.empty((x.shape[0], q + d * m))
        np.multiply(x[:, iu[0]], x[:, iu[1]], out=cols[:, :q])
        for j in range(d):
            np.multiply(x, yr[idx, j : j + 1], out=cols[:, q + j * m : q + (j + 1) * m])
        prod = counts[:, idx].astype(float) @ cols
        xtx[:, nz[iu[0]], nz[iu[1]]] += prod[:, :q]
        xty[:, :, nz] += prod[:, q:].reshape(reps, d, m)
    il = np.tril_indices(p, -1)
    xtx[:, il[0], il[1]] = xtx[:, il[1], il[0]]
    jitter = 1e-10 * np.trace(xtx, axis1=1, axis2=2)[:, None, None] / p * np.eye(p)
    penalty = lam_r[:, None, None] * np.diag(pen)[None, :, :]  # (d, p, p)
    a = (xtx + jitter)[:, None, :, :] + penalty[None, :, :, :]  # (reps, d, p, p)
    coef = np.linalg.solve(a, xty[..., None])[..., 0]  # (reps, d, p)
    # Each resample's mean fitted value of each option, sum_i w_i g_d(x_i), is
    # (X'W 1)' coef: the first column of the design is the intercept, so X'W 1 is
    # the first row of X'WX, already formed.
    means = np.einsum("rp,rdp->rd", xtx[:, 0, :], coef)
    best = np.argmax(np.column_stack([np.zeros(reps), means]), axis=1)  # 0: option 0
    # mean regret = (sum_i w_i max(0, max_d g_d(x_i)) - sum_i w_i g_best(x_i)) / n; the
    # second sum is the best option's mean above, the first is summed chunk by chunk
    chosen = np.where(best > 0, means[np.arange(reps), np.maximum(best - 1, 0)], 0.0)
    out = np.zeros(reps)
    for idx, nz in chunks:
        cf = coef[:, :, nz].reshape(reps * d, nz.size)
        x = design[idx, nz]
        g = (cf @ x.T).reshape(reps, d, x.shape[0])  # fitted values
        top = g[:, 0] if d == 1 else g.max(axis=1)
        np.maximum(top, 0.0, out=top)  # (reps, rows): the best option draw by draw
        out += np.einsum("rn,rn->r", counts[:, idx].astype(float), top)
    return np.asarray((out - chosen) / n, dtype=float)


@displayed(headline=("EVPPI", "EVPI", "Draws"))
@attrs.frozen
class EVPPIResult:
    """Expected value of partial perfect information for one parameter or a group.

    Parameters
    ----------
    value : float
        EVPPI per decision [currency].
    se : float
        Bootstrap standard error of ``value`` [currency].
    evpi : float
        EVPI of the same draws, the upper bound of any EVPPI [currency].
    parameters : tuple of str
        Names of the parameters learnt together.
    n : int
        Draws used.
    n_bootstrap : int
        Bootstrap replicates behind ``se``.
    edf : tuple of float
        Effective degrees of freedom of each option's smoother.
    method : str, default "penalised regression spline, GCV (Strong, Oakley & Brennan 2014)"
        How the conditional expectations were estimated.
    seed_entropy : int or None, default None
        Entropy of the bootstrap's seed, which reproduces the standard error.

    Examples
    --------
    >>> import numpy as np
    >>> theta = np.linspace(-1.0, 1.0, 201)
    >>> r = evppi(theta, theta, n_bootstrap=0)       # learning theta removes all doubt
    >>> round(r.value, 6) == round(r.evpi, 6), r.to_frame().columns.tolist()[:2]
    (True, ['parameters', 'evppi'])
    """

    value: float
    se: float
    evpi: float
    parameters: tuple[str, ...]
    n: int
    n_bootstrap: int
    edf: tuple[float, ...]
    method: str = "penalised regression spline, GCV (Strong, Oakley & Brennan 2014)"
    seed_entropy: int | None = None

    def to_frame(self) -> pd.DataFrame:
        """One row: ``parameters``, ``evppi``, ``se``, ``evpi``, ``n``.

        Returns
        -------
        pandas.DataFrame
            One row; ``parameters`` joins the parameter names with " + ".
        """
        return pd.DataFrame(
            {
                "parameters": [" + ".join(self.parameters)],
                "evppi": [self.value],
                "se": [self.se],
                "evpi": [self.evpi],
                "n": [self.n],
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields.

        Returns
        -------
        dict
            Every field of the result, by name, as JSON-ready values.
        """
        return dict(jsonable(attrs.asdict(self, recurse=False)))

    def summary(self) -> Summary:
        """The EVPPI, its standard error and the EVPI, for people.

        Returns
        -------
        Summary
            Parameters, EVPPI with its standard error, EVPI and number of draws.
        """
        return Summary(
            "EVPPI",
            (
                ("Parameters", ", ".join(self.parameters)),
                ("EVPPI", f"{self.value:,.2f} (SE {self.se:,.2f})"),
                ("EVPI", f"{self.evpi:,.2f}"),
                ("Draws", f"{self.n:,}"),
            ),
        )


def evppi(
    net_benefit: Any,
    parameters: Any,
    *,
    n_bootstrap: int = 200,
    seed: SeedLike = None,
) -> EVPPIResult:
    r"""Expected value of partial perfect information, by nonparametric regression.

    Parameters
    ----------
    net_benefit : array_like, shape (draws,) or (draws, options)
        Net benefit draws [currency]; one dimension is fund vs do not fund
        (net benefit 0), as in :func:`evpi`.
    parameters : array_like or DataFrame, shape (draws,) or (draws, k)
        The draws of the parameter(s) that would be learnt, row-aligned with
        ``net_benefit`` (e.g. columns of ``monte_carlo(..., keep_samples=True)
        .samples``). Several columns are learnt together (a group EVPPI).
    n_bootstrap : int, default 200
        Bootstrap replicates for the standard error (0 skips it).
    seed : int, SeedSequence, Generator or None, optional
        Seed of the bootstrap.

    Returns
    -------
    EVPPIResult

    Raises
    ------
    ValidationError
        On non-finite or misaligned draws.

    Notes
    -----
    Following Strong, Oakley & Brennan [1]_, the conditional expectation
    :math:`g_d(\theta) = E[NB_d \mid \theta]` is estimated from the one
    probabilistic sample by regressing each option's net benefit on the
    parameter draws; then

    .. math:: \widehat{EVPPI} = \frac1S\sum_s \max_d \hat g_d(\theta_s)
              - \max_d \frac1S \sum_s \hat g_d(\theta_s).

    The smoother is a penalised cubic regression spline (truncated-power
    basis, 12 quantile knots, a ridge penalty on the knot terms) whose
    penalty is chosen by generalised cross-validation, a one-dimensional
    equivalent of the GAM smoother the authors use. For several parameters
    the model is additive in per-parameter splines (5 knots each) plus
    penalised products of their linear and quadratic terms; it is exact for
    net benefits linear in the parameters and approximates smooth
    interactions, not arbitrary ones. Use it for up to about five parameters;
    beyond, the additive structure may miss interactions and the EVPPI is
    then underestimated.

    **Bias.** Noise left in :math:`\hat g` makes the maximum over options
    larger on average, so the estimate is biased *upwards* (more with few
    draws, flat net benefit, or many options); with a parameter that carries
    no information the estimate is small but positive. The standard error is
    a nonparametric bootstrap of the draws with the penalties held at their
    GCV values; it does not include the bias. The result is capped at the
    EVPI of the same draws.

    References
    ----------
    .. [1] Strong, M., Oakley, J. E., Brennan, A. (2014). Estimating
       multiparameter partial expected value of perfect information from a
       probabilistic sensitivity analysis sample: a nonparametric regression
       approach. Medical Decision Making 34(3), 311-326.
    .. [2] Ruppert, D., Wand, M. P., Carroll, R. J. (2003). Semiparametric
       Regression. Cambridge University Press.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(1)
    >>> theta = rng.normal(0.0, 1.0, 4000)
    >>> nb = theta + rng.normal(0.0, 1.0, 4000)      # fund vs do not fund
    >>> r = evppi(nb, theta, n_bootstrap=0)
    >>> abs(r.value - 0.3989) < 0.03                  # E[max(0, θ)] = φ(0)
    True
    """
    nb = _net_benefit(net_benefit)
    x, names = _parameters(parameters, nb.shape[0])
    if not (isinstance(n_bootstrap, int | np.integer) and n_bootstrap >= 0):
        raise ValidationError(
            "n_bootstrap must be a whole number >= 0", path=("n_bootstrap",), code="out_of_range"
        )
    n = nb.shape[0]
    total = evpi(nb)
    # regress the net benefit relative to option 0: same decisions, less noise
    y = nb - nb[:, :1]
    design, pen = _design(x)
    xtx = design.T @ design
    fit = _fit(xtx, design.T @ y, np.sum(y * y, axis=0), pen, n)
    fitted = design @ fit.beta
    value = min(_loss(fitted), total)
    se = 0.0
    entropy = None
    if n_bootstrap:
        rng, entropy = seeded(seed)
        reps = _bootstrap(design, y, pen, fit.lam, int(n_bootstrap), rng)
        se = float(np.std(reps, ddof=1)) if n_bootstrap > 1 else 0.0
    return EVPPIResult(
        value=float(value),
        se=se,
        evpi=total,
        parameters=names,
        n=n,
        n_bootstrap=int(n_bootstrap),
        edf=tuple(float(e) for e in fit.edf),
        seed_entropy=entropy,
    )


@displayed
@attrs.frozen
class VOIResult:
    """EVPI and the EVPPI of each parameter, ranked.

    Parameters
    ----------
    evpi : float
        Per-decision EVPI [currency].
    n : int
        Draws used.
    table : DataFrame
        One row per parameter, largest EVPPI first: ``parameter``, ``evppi``,
        ``se``, ``share_of_evpi``.
    seed_entropy : int or None, default None
        Entropy of the bootstraps' seed, which reproduces the standard errors.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> s = pd.DataFrame({"a": np.linspace(-1, 1, 101), "b": np.ones(101)})
    >>> v = value_of_information(s["a"], s, n_bootstrap=0)
    >>> v.table["parameter"].tolist(), round(v.evpi, 4)
    (['a', 'b'], 0.2525)
    """

    evpi: float
    n: int
    table: pd.DataFrame = attrs.field(eq=False, repr=False)
    seed_entropy: int | None = None

    def to_frame(self) -> pd.DataFrame:
        """The ranking table (a copy).

        Returns
        -------
        pandas.DataFrame
            ``parameter``, ``evppi``, ``se``, ``share_of_evpi``; largest EVPPI first.
        """
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: ``evpi``, ``n`` and the table's records.

        Returns
        -------
        dict
            ``evpi``, ``n`` and ``table`` (the ranking table's records).
        """
        return {"evpi": jsonable(self.evpi), "n": self.n, "table": jsonable(self.table)}

    def summary(self) -> Summary:
        """EVPI and the ranking, for people.

        Returns
        -------
        Summary
            EVPI per decision and number of draws, with the ranking table
            (EVPPI, standard error and share of EVPI formatted).
        """
        tab = self.table.copy()
        tab["evppi"] = tab["evppi"].map(lambda v: f"{v:,.2f}")
        tab["se"] = tab["se"].map(lambda v: f"{v:,.2f}")
        tab["share_of_evpi"] = tab["share_of_evpi"].map(lambda v: f"{v:.1%}")
        return Summary(
            "Value of information",
            (("EVPI per decision", f"{self.evpi:,.2f}"), ("Draws", f"{self.n:,}")),
            tab,
        )


def value_of_information(
    net_benefit: Any,
    samples: pd.DataFrame,
    *,
    n_bootstrap: int = 50,
    seed: SeedLike = None,
) -> VOIResult:
    """EVPI, and the EVPPI of each sampled parameter ranked from largest.

    Parameters
    ----------
    net_benefit : array_like, shape (draws,) or (draws, options)
        Net benefit draws [currency] (see :func:`evpi`).
    samples : DataFrame
        One column per uncertain parameter, one row per draw, e.g.
        ``monte_carlo(model, keep_samples=True).samples``.
    n_bootstrap : int, default 50
        Bootstrap replicates for each standard error.
    seed : int, SeedSequence, Generator or None, optional
        Seed of the bootstraps.

    Returns
    -------
    VOIResult

    Raises
    ------
    ValidationError
        When ``samples`` is not a DataFrame or the draws are not finite or misaligned.

    Notes
    -----
    Each EVPPI is a one-parameter :func:`evppi`; parameters that do not vary
    get 0. The shares of EVPI do not add up to one: information on parameters
    is not additive.

    Examples
    --------
    >>> import numpy as np, pandas as pd
    >>> rng = np.random.default_rng(0)
    >>> s = pd.DataFrame({"a": rng.normal(size=3000), "b": rng.normal(size=3000)})
    >>> v = value_of_information(2 * s["a"] + 0.1 * s["b"], s, n_bootstrap=0)
    >>> list(v.table["parameter"])
    ['a', 'b']
    """
    if not isinstance(samples, pd.DataFrame):
        raise ValidationError("samples must be a DataFrame", path=("samples",), code="type")
    nb = _net_benefit(net_benefit)
    _parameters(samples, nb.shape[0])
    total = evpi(nb)
    rng, entropy = seeded(seed)
    rows = []
    for col in samples.columns:
        x = samples[col].to_numpy(dtype=float)
        if np.ptp(x) == 0:
            rows.append((str(col), 0.0, 0.0))
            continue
        r = evppi(nb, x, n_bootstrap=n_bootstrap, seed=rng)
        rows.append((str(col), r.value, r.se))
    table = pd.DataFrame(rows, columns=["parameter", "evppi", "se"])
    table["share_of_evpi"] = table["evppi"] / total if total > 0 else 0.0
    table = table.sort_values("evppi", ascending=False, kind="stable").reset_index(drop=True)
    return VOIResult(evpi=total, n=nb.shape[0], table=table, seed_entropy=entropy)


# --------------------------------------------------------------------------- acceptability


def _cost_effect(costs: Any, effects: Any, wtp: Any) -> tuple[FloatArray, FloatArray, FloatArray]:
    c = _array(costs, "costs")
    e = _array(effects, "effects")
    w = np.atleast_1d(_array(wtp, "wtp"))
    probs: list[Problem] = []
    if c.ndim == 1:
        c = c[:, None]
    if e.ndim == 1:
        e = e[:, None]
    if c.ndim != 2 or e.ndim != 2 or c.shape != e.shape:
        probs.append(
            Problem(
                ("effects",),
                "shape",
                f"costs {c.shape} and effects {e.shape} must both be (draws, options)",
            )
        )
    for name, a in (("costs", c), ("effects", e), ("wtp", w)):
        if not np.all(np.isfinite(a)):
            probs.append(
                Problem((name,), "not_finite", f"{int(np.sum(~np.isfinite(a)))} values not finite")
            )
    if w.ndim != 1 or w.size == 0:
        probs.append(Problem(("wtp",), "shape", "wtp must be one value or a 1-D sequence"))
    if probs:
        raise ValidationError(probs)
    return c, e, w


def _names(names: Sequence[str] | None, d: int) -> tuple[str, ...]:
    if names is None:
        return tuple(f"option_{j}" for j in range(d))
    out = tuple(str(s) for s in names)
    if len(out) != d or len(set(out)) != d:
        raise ValidationError(
            f"names must be {d} distinct labels, got {list(out)}", path=("names",), code="shape"
        )
    return out


def ceac(costs: Any, effects: Any, *, wtp: Any) -> FloatArray:
    r"""Cost-effectiveness acceptability curves.

    Parameters
    ----------
    costs, effects : array_like, shape (draws, options)
        Draws of each option's cost [currency] and effect [unit of effect],
        row-aligned (same draw, same row).
    wtp : float or array_like
        Willingness to pay per unit of effect, λ [currency/unit].

    Returns
    -------
    ndarray, shape (len(wtp), options)
        Probability that each option has the largest net monetary benefit
        :math:`\lambda E_d - C_d` at each λ; rows sum to 1.

    Raises
    ------
    ValidationError
        On mismatched shapes or non-finite values.

    Notes
    -----
    :math:`CEAC_d(\lambda) = P(d = \arg\max_j \lambda E_j - C_j)` [1]_,
    estimated by the share of draws; ties go to the first option in column
    order. Computed in blocks of λ, vectorised over draws.

    References
    ----------
    .. [1] Fenwick, E., Claxton, K., Sculpher, M. (2001). Representing
       uncertainty: the role of cost-effectiveness acceptability curves.
       Health Economics 10(8), 779-787.

    Examples
    --------
    >>> c = [[0.0, 100.0], [0.0, 100.0]]
    >>> e = [[0.0, 1.0], [0.0, 3.0]]
    >>> ceac(c, e, wtp=[10.0, 50.0, 200.0])
    array([[1. , 0. ],
           [0.5, 0.5],
           [0. , 1. ]])
    """
    c, e, w = _cost_effect(costs, effects, wtp)
    n, d = c.shape
    out = np.empty((w.size, d))
    step = max(1, _CHUNK // max(n * d, 1))
    for lo in range(0, w.size, step):
        lam = w[lo : lo + step]
        nmb = lam[:, None, None] * e[None, :, :] - c[None, :, :]
        best = np.argmax(nmb, axis=2)  # (L, n)
        out[lo : lo + step] = (best[:, :, None] == np.arange(d)[None, None, :]).mean(axis=1)
    return out


@displayed
@attrs.frozen
class AcceptabilityResult:
    """Acceptability curves, the acceptability frontier and expected net monetary benefits.

    Parameters
    ----------
    options : tuple of str
        Option labels.
    n : int
        Draws used.
    wtp : ndarray
        Willingness-to-pay values λ [currency/unit of effect].
    probability : ndarray, shape (len(wtp), options)
        CEAC: probability each option has the largest NMB.
    expected_nmb : ndarray, shape (len(wtp), options)
        Mean net monetary benefit λ·E − C [currency].
    evpi : ndarray
        EVPI at each λ [currency].
    mean_cost, mean_effect : ndarray
        Mean cost and effect of each option.

    Examples
    --------
    >>> a = acceptability([[0.0, 100.0], [0.0, 100.0]], [[0.0, 1.0], [0.0, 3.0]],
    ...                   wtp=[10.0, 200.0], names=["none", "programme"])
    >>> a.nmb_table()
         wtp  none  programme
    0   10.0   0.0      -80.0
    1  200.0   0.0      300.0
    """

    options: tuple[str, ...]
    n: int
    wtp: FloatArray = attrs.field(eq=False)
    probability: FloatArray = attrs.field(eq=False)
    expected_nmb: FloatArray = attrs.field(eq=False)
    evpi: FloatArray = attrs.field(eq=False)
    mean_cost: FloatArray = attrs.field(eq=False)
    mean_effect: FloatArray = attrs.field(eq=False)

    def frontier(self) -> pd.DataFrame:
        """The cost-effectiveness acceptability frontier (CEAF).

        Returns
        -------
        DataFrame
            One row per λ: ``wtp``, ``option`` (largest expected NMB, the
            decision on current evidence), ``probability`` (its CEAC value,
            which may be below that of another option when the NMB
            distribution is skewed) and ``evpi``.
        """
        best = np.argmax(self.expected_nmb, axis=1)
        return pd.DataFrame(
            {
                "wtp": self.wtp,
                "option": [self.options[int(i)] for i in best],
                "probability": self.probability[np.arange(self.wtp.size), best],
                "evpi": self.evpi,
            }
        )

    def nmb_table(self) -> pd.DataFrame:
        """Expected net monetary benefit, one row per λ and one column per option.

        Returns
        -------
        pandas.DataFrame
            ``wtp`` followed by one column per option (expected NMB [currency]).
        """
        out = pd.DataFrame(self.expected_nmb, columns=list(self.options))
        out.insert(0, "wtp", self.wtp)
        return out

    def options_frame(self) -> pd.DataFrame:
        """The options' mean cost and effect, in the input format of the CEA frontier.

        ``impactkit.methods.cea_frontier(acc.options_frame())`` gives the
        frontier; the ICERs of its non-dominated options are the λ at which
        the acceptability frontier switches option.

        Returns
        -------
        pandas.DataFrame
            ``name``, ``cost``, ``effect`` (one row per option).
        """
        return pd.DataFrame(
            {"name": list(self.options), "cost": self.mean_cost, "effect": self.mean_effect}
        )

    def to_frame(self) -> pd.DataFrame:
        """Long table: ``wtp``, ``option``, ``probability``, ``expected_nmb``, ``on_frontier``.

        Returns
        -------
        pandas.DataFrame
            One row per λ and option; ``on_frontier`` is True for the option of
            largest expected NMB at that λ.
        """
        L, d = self.probability.shape
        best = np.argmax(self.expected_nmb, axis=1)
        return pd.DataFrame(
            {
                "wtp": np.repeat(self.wtp, d),
                "option": np.tile(np.array(self.options, dtype=object), L),
                "probability": self.probability.ravel(),
                "expected_nmb": self.expected_nmb.ravel(),
                "on_frontier": (best[:, None] == np.arange(d)[None, :]).ravel(),
            }
        )

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: options, draws and the long table's records.

        Returns
        -------
        dict
            ``options``, ``n`` and ``table`` (the records of :meth:`to_frame`).
        """
        return {"options": list(self.options), "n": self.n, "table": jsonable(self.to_frame())}

    def summary(self) -> Summary:
        """The acceptability frontier, for people.

        Returns
        -------
        Summary
            Options and number of draws, with the table of :meth:`frontier`
            (probabilities as percentages).
        """
        f = self.frontier()
        f["probability"] = f["probability"].map(lambda v: f"{v:.1%}")
        return Summary(
            "Cost-effectiveness acceptability",
            (("Options", ", ".join(self.options)), ("Draws", f"{self.n:,}")),
            f,
        )


def acceptability(
    costs: Any,
    effects: Any,
    *,
    wtp: Any,
    names: Sequence[str] | None = None,
) -> AcceptabilityResult:
    """CEAC, acceptability frontier, expected NMB and EVPI over a range of λ.

    Parameters
    ----------
    costs, effects : array_like, shape (draws, options)
        Row-aligned draws [currency] and [unit of effect].
    wtp : float or array_like
        Willingness to pay per unit of effect [currency/unit].
    names : sequence of str, optional
        Option labels (default ``option_0``, ``option_1``, ...).

    Returns
    -------
    AcceptabilityResult

    Raises
    ------
    ValidationError
        On mismatched shapes, non-finite values or bad names.

    Notes
    -----
    See docs/methods/decision.md and docs/methods/cea.md. The frontier follows
    Fenwick et al. [1]_: at each λ the option chosen is the one of largest
    *expected* NMB, not the one most likely to be cost-effective.

    References
    ----------
    .. [1] Fenwick, E., Claxton, K., Sculpher, M. (2001). Health Economics
       10(8), 779-787.

    Examples
    --------
    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> e = np.column_stack([np.zeros(500), rng.normal(2.0, 1.0, 500)])
    >>> c = np.column_stack([np.zeros(500), np.full(500, 100.0)])
    >>> a = acceptability(c, e, wtp=[10, 100], names=["none", "programme"])
    >>> list(a.frontier()["option"])
    ['none', 'programme']
    """
    c, e, w = _cost_effect(costs, effects, wtp)
    n, d = c.shape
    labels = _names(names, d)
    prob = ceac(c, e, wtp=w)
    mc, me = c.mean(axis=0), e.mean(axis=0)
    enmb = w[:, None] * me[None, :] - mc[None, :]
    step = max(1, _CHUNK // max(n * d, 1))
    ev = np.empty(w.size)
    for lo in range(0, w.size, step):
        lam = w[lo : lo + step]
        nmb = lam[:, None, None] * e[None, :, :] - c[None, :, :]
        ev[lo : lo + step] = nmb.max(axis=2).mean(axis=1) - nmb.mean(axis=1).max(axis=1)
    return AcceptabilityResult(
        options=labels,
        n=n,
        wtp=w,
        probability=prob,
        expected_nmb=enmb,
        evpi=np.maximum(ev, 0.0),
        mean_cost=mc,
        mean_effect=me,
    )
