"""Design matrices of the estimators: numerical rank and aliased columns.

Inverting a singular :math:`X'X` does not always fail in floating point: it
can return a finite, meaningless matrix, and with it a wrong effect. Every
estimator therefore checks the rank of its design before fitting. The rule is
the one of R's ``lm`` (``qr(..., tol = 1e-7)``, LINPACK ``dqrdc2``): columns
are taken in order, and a column whose part orthogonal to the columns kept
before it is shorter than ``tol`` times its own length is *aliased*, a linear
combination of earlier columns. The rule runs on the triangular factor of one
Householder QR of the design (which keeps every inner product of the columns),
not on the rows, so its cost is that of one QR. Before it, the smallest
eigenvalue of the design's normalised Gram matrix :math:`X'X` (formed by the
fit anyway) bounds every column's residual on all the others from below: when
it lies far above both the tolerance and the rounding error of forming
:math:`X'X`, no column can be aliased and the QR is skipped; otherwise the QR
decides, so the columns flagged are always those of the rule. Aliased covariates are dropped
with a warning that names them; a column the effect depends on (intercept,
treatment) that is aliased is an error, because no effect can then be
identified.
"""

from __future__ import annotations

import warnings
from collections.abc import Sequence

import numpy as np

from impactkit.errors import EstimationError, ImpactkitWarning
from impactkit.typing import FloatArray

__all__ = ["RANK_TOL", "aliased_columns", "check_not_treatment", "drop_aliased"]

RANK_TOL = 1e-7
"""Relative tolerance of the rank check (R's ``lm`` default)."""


def aliased_columns(
    x: FloatArray, *, tol: float = RANK_TOL, gram: FloatArray | None = None
) -> list[int]:
    """Indices of the columns of ``x`` that are linear combinations of earlier ones.

    Parameters
    ----------
    x : ndarray of shape (n, k)
        The design matrix.
    tol : float, default 1e-7
        A column is aliased when the norm of its residual on the columns kept
        before it is at most ``tol`` times its own norm (a zero column is
        always aliased).
    gram : ndarray of shape (k, k), optional
        :math:`X'X` when the caller has formed it (it is formed here
        otherwise): a well-conditioned design is recognised from it without a
        QR (see the module notes); the columns flagged are the same.

    Returns
    -------
    list of int
        Aliased column indices, in order.

    Examples
    --------
    >>> x = np.column_stack([np.ones(4), [1.0, 2, 3, 5], [4.0, 5, 6, 8]])
    >>> aliased_columns(x)
    [2]
    """
    n, k = x.shape
    norms = np.linalg.norm(x, axis=0) if n else np.zeros(k)
    usable = np.isfinite(norms) & (norms > 0)
    out = [j for j in range(k) if not usable[j]]  # zero or non-finite: always aliased
    cols = np.flatnonzero(usable)
    if not len(cols):
        return out
    # One Householder QR of the design (LAPACK, blocked) preserves every inner
    # product of its columns: X'X = R'R. The residual of a column on any set of
    # other columns, and so the rule, is therefore the same on the columns of R,
    # a (min(n, k) x k) matrix: the column-by-column rule runs there, never on
    # the n rows.
    xs = x if len(cols) == k else x[:, cols]
    if _well_conditioned(xs, tol, gram if len(cols) == k else None):
        return out
    r = np.asarray(np.linalg.qr(xs, mode="r"), dtype=float)
    out += [int(cols[i]) for i in _sequential(r, norms[cols], tol)]
    return sorted(out)


SCREEN = 1e-6
"""Smallest eigenvalue of the normalised Gram matrix above which no column is aliased
(at least this, and far above the rounding error of forming it; see ``_well_conditioned``)."""


def _well_conditioned(x: FloatArray, tol: float, gram: FloatArray | None) -> bool:
    r"""Whether no column of ``x`` (finite, non-zero columns) can be aliased, read from X'X.

    With :math:`C = D^{-1/2} X'X D^{-1/2}` (unit diagonal), the residual of any
    column on *all* the others is at least :math:`\sqrt{\lambda_{min}(C)}` times
    its norm, hence so is its residual on the kept earlier columns. Forming
    :math:`X'X` in floating point moves each entry of :math:`C` by at most
    about :math:`n\varepsilon` and so :math:`\lambda_{min}` by at most
    :math:`k n \varepsilon`; the answer is yes only when :math:`\lambda_{min}`
    exceeds ``max(SCREEN, tol**2)`` plus ten times that error. Otherwise the
    QR rule decides.
    """
    n, k = x.shape
    if n < k:
        return False
    g = np.asarray(x.T @ x if gram is None else gram, dtype=float)
    d = np.diag(g)
    if not (np.isfinite(g).all() and (d > 0).all()):
        return False
    s = 1.0 / np.sqrt(d)
    c = g * s[:, None] * s[None, :]
    lam = float(np.linalg.eigvalsh(c)[0])
    err = 10.0 * k * max(n, k) * float(np.finfo(float).eps)
    return bool(lam > max(SCREEN, tol * tol) + err)


def _sequential(r: FloatArray, norms: FloatArray, tol: float) -> list[int]:
    """R's rule on the columns of ``r`` (small): aliased when the residual on the kept
    earlier columns is at most ``tol`` times the column's own norm ``norms``."""
    m, k = r.shape
    basis = np.zeros((m, min(m, k)))
    kept = 0
    out: list[int] = []
    for j in range(k):
        col = r[:, j]
        b = basis[:, :kept]
        v = col - b @ (b.T @ col)
        v = v - b @ (b.T @ v)  # a second pass keeps the basis orthogonal
        res = float(np.linalg.norm(v))
        if res <= tol * norms[j] or kept == basis.shape[1]:
            out.append(j)
            continue
        basis[:, kept] = v / res
        kept += 1
    return out


def drop_aliased(
    x: FloatArray,
    names: Sequence[str],
    *,
    protected: int = 0,
    what: str = "covariates",
    tol: float = RANK_TOL,
) -> tuple[FloatArray, tuple[str, ...], list[int]]:
    """Remove aliased columns of a design, warning with their names.

    Parameters
    ----------
    x : ndarray of shape (n, k)
        The design, with the ``protected`` columns (intercept, treatment) first.
    names : sequence of str
        One name per column.
    protected : int, default 0
        How many leading columns must stay: when one of these is aliased, no
        effect can be identified and an
        :class:`~impactkit.errors.EstimationError` names it.
    what : str
        How the warning calls the dropped columns.
    tol : float, default 1e-7
        Relative tolerance (see :func:`aliased_columns`).

    Returns
    -------
    x : ndarray
        The design without aliased columns.
    names : tuple of str
        The names kept.
    kept : list of int
        Indices of the kept columns in the original design.

    Raises
    ------
    EstimationError
        A protected column is aliased.

    Warns
    -----
    ImpactkitWarning
        Naming the aliased columns dropped, as R's ``lm`` reports
        coefficients "not defined because of singularities".
    """
    bad = aliased_columns(x, tol=tol)
    if not bad:
        return x, tuple(names), list(range(x.shape[1]))
    lead = [j for j in bad if j < protected]
    if lead:
        raise EstimationError(
            f"{[names[j] for j in lead]} is a linear combination of "
            f"{list(names[: lead[0]]) or 'nothing (a zero column)'}: no effect can be identified"
        )
    dropped = [names[j] for j in bad]
    warnings.warn(
        f"{what} {dropped} are linear combinations of the other columns (aliased) and "
        "were dropped from the design; the estimate is that of the reduced design",
        ImpactkitWarning,
        stacklevel=3,
    )
    kept = [j for j in range(x.shape[1]) if j not in set(bad)]
    return x[:, kept], tuple(names[j] for j in kept), kept


def check_not_treatment(
    x: FloatArray, names: Sequence[str], w: FloatArray, treatment: str, *, tol: float = RANK_TOL
) -> None:
    """Refuse covariates that are the treatment in disguise (in the span of 1 and ``w``).

    Raises
    ------
    EstimationError
        Naming the covariates: adjusting for them leaves no effect to identify.
    """
    base = np.column_stack([np.ones_like(w), w])
    # residual of every covariate on (1, w) at once: one least-squares solve
    coef, *_ = np.linalg.lstsq(base, x, rcond=None)
    resid = np.linalg.norm(x - base @ coef, axis=0)
    bad = [names[int(j)] for j in np.flatnonzero(resid <= tol * np.linalg.norm(x, axis=0))]
    if bad:
        raise EstimationError(
            f"covariates {bad} are collinear with the treatment {treatment!r}: they carry "
            "the treatment itself, so no effect can be identified; remove them"
        )
