r"""Correlated inputs by rank correlation (Iman & Conover 1982).

The marginal draws of each input are kept exactly; only their order changes,
so that the ranks of the inputs follow a target rank correlation matrix
(docs/methods/decision.md):

1. van der Waerden scores :math:`\Phi^{-1}(i/(n+1))`, permuted at random in
   each column, form :math:`S` (n × k);
2. with :math:`T` the sample correlation of :math:`S`, :math:`C = P P^\top`
   and :math:`T = Q Q^\top` (Cholesky), :math:`S^* = S (Q^{-1})^\top P^\top`
   has correlation :math:`C` exactly;
3. each input's sorted draws are put in the rank order of the same column of
   :math:`S^*`.

Normal scores with Pearson correlation :math:`r` have Spearman correlation
:math:`(6/\pi)\arcsin(r/2)`; the target is therefore first mapped to
:math:`2\sin(\pi C/6)` (when that matrix is still positive semi-definite),
so that the achieved Spearman correlation matches :math:`C` up to sampling
error, not only approximately.

References
----------
.. [1] Iman, R. L., Conover, W. J. (1982). A distribution-free approach to
   inducing rank correlation among input variables. Communications in
   Statistics - Simulation and Computation 11(3), 311-334.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray

__all__ = ["correlation_matrix", "iman_conover"]


def correlation_matrix(
    names: Sequence[str], correlation: Mapping[tuple[str, str], float]
) -> tuple[FloatArray, list[int]]:
    """Target rank correlation matrix of the inputs named in ``correlation``.

    Parameters
    ----------
    names : sequence of str
        Paths of every uncertain input (e.g. ``outcomes[0].deadweight``).
    correlation : mapping of (str, str) to float
        Rank correlation of pairs of inputs, in [-1, 1]; unlisted pairs are 0.

    Returns
    -------
    (ndarray, list of int)
        The (m, m) matrix over the inputs that appear in a pair, and their
        positions in ``names``.

    Raises
    ------
    ValidationError
        Listing every unknown path, self-pair, value outside [-1, 1] or pair
        given twice with different values; or, when the matrix is not
        positive semi-definite, naming the pairs involved.

    Examples
    --------
    >>> c, cols = correlation_matrix(["a", "b", "c"], {("a", "c"): 0.5})
    >>> cols, c.tolist()
    ([0, 2], [[1.0, 0.5], [0.5, 1.0]])
    """
    probs: list[Problem] = []
    if not isinstance(correlation, Mapping):
        raise ValidationError(
            "correlation must map (path_a, path_b) pairs to a rank correlation",
            path=("correlation",),
            code="type",
        )
    pos = {n: i for i, n in enumerate(names)}
    seen: dict[frozenset[str], float] = {}
    pairs: list[tuple[str, str, float]] = []
    for key, rho in correlation.items():
        label = f"{key!r}"
        if not (isinstance(key, tuple) and len(key) == 2 and all(isinstance(k, str) for k in key)):
            probs.append(Problem(("correlation", label), "type", "keys are (path_a, path_b)"))
            continue
        a, b = key
        for p in (a, b):
            if p not in pos:
                known = ", ".join(names) if names else "none"
                probs.append(
                    Problem(
                        ("correlation", label),
                        "unknown_parameter",
                        f"{p!r} is not an uncertain input; uncertain inputs: {known}",
                    )
                )
        if a == b:
            probs.append(Problem(("correlation", label), "invalid", "a pair needs two inputs"))
        try:
            r = float(rho)
        except (TypeError, ValueError):
            probs.append(
                Problem(("correlation", label), "type", f"expected a number, got {rho!r}")
            )
            continue
        if not (np.isfinite(r) and -1.0 <= r <= 1.0):
            probs.append(
                Problem(("correlation", label), "out_of_range", f"must be in [-1, 1], got {r!r}")
            )
        fk = frozenset(key)
        if fk in seen and seen[fk] != r:
            probs.append(
                Problem(("correlation", label), "conflict", "the pair is given twice, differently")
            )
        seen[fk] = r
        pairs.append((a, b, r))
    if probs:
        raise ValidationError(probs)
    involved = sorted({pos[p] for a, b, _ in pairs for p in (a, b)})
    local = {names[i]: j for j, i in enumerate(involved)}
    c = np.eye(len(involved))
    for a, b, r in pairs:
        c[local[a], local[b]] = c[local[b], local[a]] = r
    if involved:
        vals, vecs = np.linalg.eigh(c)
        if vals[0] < -1e-10:
            v = vecs[:, 0]
            bad = [f"({a}, {b})" for a, b, r in pairs if abs(v[local[a]] * v[local[b]] * r) > 1e-8]
            raise ValidationError(
                [
                    Problem(
                        ("correlation",),
                        "not_positive_semidefinite",
                        "the rank correlations cannot hold together (the matrix is not "
                        f"positive semi-definite, smallest eigenvalue {vals[0]:.4g}); "
                        f"pairs involved: {', '.join(bad)}",
                    )
                ]
            )
    return c, involved


def _factor(c: FloatArray) -> FloatArray:
    """A lower factor ``P`` with ``P Pᵀ = c`` (Cholesky, or eigen for a singular ``c``)."""
    try:
        return np.asarray(np.linalg.cholesky(c), dtype=float)
    except np.linalg.LinAlgError:
        vals, vecs = np.linalg.eigh(c)
        return np.asarray(vecs * np.sqrt(np.clip(vals, 0.0, None)), dtype=float)


def iman_conover(x: FloatArray, target: FloatArray, rng: np.random.Generator) -> FloatArray:
    """Reorder the columns of ``x`` so that their rank correlation approaches ``target``.

    Parameters
    ----------
    x : ndarray, shape (n, k)
        Independent draws of each input (one column per input).
    target : ndarray, shape (k, k)
        Positive semi-definite correlation matrix (see :func:`correlation_matrix`).
    rng : numpy.random.Generator
        Stream of the random permutations of the scores.

    Returns
    -------
    ndarray, shape (n, k)
        Each column holds exactly the values of the same column of ``x``,
        reordered. With fewer than ``k + 2`` rows ``x`` is returned as it is
        (there are too few draws to order).

    Examples
    --------
    >>> import numpy as np
    >>> from scipy import stats
    >>> rng = np.random.default_rng(0)
    >>> x = np.column_stack([rng.uniform(size=20_000), rng.lognormal(size=20_000)])
    >>> y = iman_conover(x, np.array([[1, 0.7], [0.7, 1]]), rng)
    >>> round(float(stats.spearmanr(y[:, 0], y[:, 1])[0]), 2)
    0.7
    >>> bool(np.array_equal(np.sort(y, axis=0), np.sort(x, axis=0)))
    True
    """
    x = np.asarray(x, dtype=float)
    n, k = x.shape
    if k < 2 or n < k + 2:
        return x
    from scipy import special  # imported on use: keeps `import impactkit` light

    scores = special.ndtri(np.arange(1, n + 1) / (n + 1.0))
    s = rng.permuted(np.repeat(scores[:, None], k, axis=1), axis=0)
    t = np.corrcoef(s, rowvar=False)
    q = _factor(t)
    c = np.asarray(target, dtype=float)
    # normal scores with Pearson r have Spearman (6/pi) asin(r/2): aim at the
    # Pearson value whose Spearman is the target, when that matrix is valid
    adjusted = 2.0 * np.sin(np.pi * c / 6.0)
    p = _factor(adjusted if np.linalg.eigvalsh(adjusted)[0] > -1e-12 else c)
    s_star = s @ np.linalg.solve(q.T, p.T)
    # the r-th smallest draw goes to the row holding the r-th smallest score
    out = np.empty_like(x)
    np.put_along_axis(out, np.argsort(s_star, axis=0), np.sort(x, axis=0), axis=0)
    return out
