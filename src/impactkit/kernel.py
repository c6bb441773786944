r"""The one vectorised value computation every method uses.

Arrays are shaped ``(samples, rows)``; a field that does not vary across
samples is passed with a leading axis of 1 and is never materialised at full
size. The year sum of each row is folded in closed form when the rate is
constant and drop-off compounds, and through per-row cumulative factors
otherwise (discount schedules, linear drop-off).

For row :math:`k` with start year :math:`s_k`, duration :math:`D_k`,
drop-off :math:`d_k`:

.. math::
    \mathrm{impact}_k = Q_k P_k (1-DW_k)(1-DS_k)(1-AT_k)(1-LK_k)

    PV_k = \mathrm{impact}_k \sum_{j \ge 0} w_j(D_k)\, \delta_j(d_k)\, DF(\pi(s_k + j))

with the year weight :math:`w_j(D) = \min(\max(D - j, 0), 1)` (whole years
count fully; a fractional last year counts pro rata), the decay
:math:`\delta_j = (1-d)^j` (compound, the SROI Guide) or :math:`\max(1 - dj, 0)`
(linear), and the period :math:`\pi(t) = t` (SROI convention ``"t1"``) or
:math:`t - 1` (``"t0"``). With a constant rate :math:`r`, :math:`v = 1/(1+r)`,
:math:`x = (1-d)v`, :math:`n = \lfloor D \rfloor`, :math:`f = D - n`:

.. math::
    \sum_j w_j \delta_j DF(\pi(s+j)) = v^{\pi(s)} \left(\frac{1 - x^n}{1 - x} + f x^n\right)

Inputs: :math:`I = \sum_m A_m\, DF(\pi_I(y_m))` with :math:`\pi_I(y) = y`
(``"t1"``) or :math:`\max(y - 1, 0)` (``"t0"``).

No function here loops over samples or rows in Python.

References
----------
.. [1] Nicholls, J. et al. (2012). A Guide to Social Return on Investment.
   The SROI Network (stages 4 and 5).
.. [2] HM Treasury (2022). The Green Book, annex A6 (discount factors).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from impactkit.typing import FloatArray

__all__ = [
    "impact",
    "input_present_value",
    "present_values",
    "profile",
    "year_values",
]

IntArray = npt.NDArray[np.int64]
BoolArray = npt.NDArray[np.bool_]


def impact(
    quantity: FloatArray,
    proxy: FloatArray,
    deadweight: FloatArray,
    displacement: FloatArray,
    attribution: FloatArray,
    leakage: FloatArray,
) -> FloatArray:
    """Yearly impact :math:`Q P (1-DW)(1-DS)(1-AT)(1-LK)` (METHODS §1.3).

    Small (non-varying) factors are multiplied first so that full-size
    arrays are touched as few times as possible.

    Examples
    --------
    >>> float(impact(50.0, 1000.0, 0.2, 0.0, 0.1, 0.0))
    36000.0
    """
    return _product(
        [np.asarray(quantity, dtype=float), np.asarray(proxy, dtype=float)]
        + [
            1.0 - np.asarray(h, dtype=float)
            for h in (deadweight, displacement, attribution, leakage)
        ]
    )


def _product(arrays: Sequence[FloatArray]) -> FloatArray:
    small = sorted(arrays, key=lambda a: a.size)
    out = np.array(small[0], dtype=float, copy=True)
    for a in small[1:]:
        if a.size > out.size:
            out = a * out
        else:
            out *= a
    return out


def _periods(t: IntArray, t0: bool) -> IntArray:
    return np.maximum(t - 1, 0) if t0 else t


def _geometric(x: FloatArray, n: FloatArray) -> FloatArray:
    """:math:`\\sum_{j<n} x^j` for real ``x >= 0`` and whole ``n >= 0``, stable near 1."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lx = np.log(x)
        g = np.expm1(n * lx) / np.expm1(lx)
    g = np.where(lx == 0.0, n, g)
    return np.where(n == 0.0, 0.0, g)


def _rate_factors(rate: FloatArray, periods: IntArray) -> FloatArray:
    return np.asarray((1.0 + rate) ** (-periods.astype(float)), dtype=float)


def profile(
    drop_off: FloatArray,
    duration: FloatArray,
    start: IntArray,
    linear: BoolArray,
    *,
    rate: FloatArray | None = None,
    cumulative: FloatArray | None = None,
    t0: bool = False,
) -> FloatArray:
    r"""Discounted sum of a row's yearly value factors, :math:`\sum_j w_j \delta_j DF`.

    Parameters
    ----------
    drop_off, duration : ndarray
        Shapes broadcastable to ``(samples, rows)`` [fraction, years].
    start : ndarray of int
        Start year of each row, 1 or 2, shape ``(rows,)``.
    linear : ndarray of bool
        Rows whose drop-off is linear, shape ``(rows,)``.
    rate : ndarray, optional
        Constant rate, broadcastable to ``(samples, 1)``.
    cumulative : ndarray, optional
        Discount factors ``DF(0..T)`` of a schedule (instead of ``rate``).
    t0 : bool
        Timing convention ``"t0"``.

    Returns
    -------
    ndarray
        Broadcast shape of the inputs; multiply by the yearly impact to get
        each row's present value.
    """
    d = np.asarray(drop_off, dtype=float)
    dur = np.asarray(duration, dtype=float)
    if rate is not None and not linear.any():
        r = np.asarray(rate, dtype=float)
        v = 1.0 / (1.0 + r)
        x = (1.0 - d) * v
        n = np.floor(dur)
        frac = dur - n
        head = v ** _periods(start, t0).astype(float)
        return np.asarray(head * (_geometric(x, n) + frac * np.power(x, n)), dtype=float)
    return _profile_expanded(d, dur, start, linear, rate, cumulative, t0)


def _year_weights(d: FloatArray, dur: FloatArray, linear: BoolArray, horizon: int) -> FloatArray:
    """:math:`w_j \\delta_j` for ``j`` from 0 to ``horizon - 1``; shape (..., rows, horizon)."""
    j = np.arange(horizon, dtype=float)
    w = np.clip(dur[..., None] - j, 0.0, 1.0)
    dd = d[..., None]
    compound = (1.0 - dd) ** j
    if linear.any():
        lin = np.clip(1.0 - dd * j, 0.0, None)
        decay = np.where(linear[:, None], lin, compound)
    else:
        decay = compound
    return np.asarray(w * decay, dtype=float)


def _horizon(dur: FloatArray) -> int:
    return int(np.ceil(np.max(dur))) if dur.size else 0


def _profile_expanded(
    d: FloatArray,
    dur: FloatArray,
    start: IntArray,
    linear: BoolArray,
    rate: FloatArray | None,
    cumulative: FloatArray | None,
    t0: bool,
) -> FloatArray:
    d, dur = np.broadcast_arrays(d, dur)
    horizon = max(_horizon(dur), 1)
    wd = _year_weights(d, dur, linear, horizon)  # (..., K, J)
    periods = _periods(start[:, None] + np.arange(horizon)[None, :], t0)  # (K, J)
    if cumulative is not None:
        df = cumulative[periods]  # (K, J)
    else:
        if rate is None:
            raise ValueError("profile needs a rate or cumulative factors")
        r = np.asarray(rate, dtype=float)[..., None]  # (S|1, 1, 1)
        df = _rate_factors(r, periods)
    return np.asarray(np.sum(wd * df, axis=-1), dtype=float)


def present_values(
    quantity: FloatArray,
    proxy: FloatArray,
    deadweight: FloatArray,
    displacement: FloatArray,
    attribution: FloatArray,
    leakage: FloatArray,
    drop_off: FloatArray,
    duration: FloatArray,
    *,
    start: IntArray,
    linear: BoolArray,
    rate: FloatArray | None = None,
    cumulative: FloatArray | None = None,
    t0: bool = False,
    reduce: bool = False,
) -> FloatArray:
    """Present value of every row, or their sum per sample.

    Parameters
    ----------
    quantity, proxy, deadweight, displacement, attribution, leakage, drop_off, duration
        Arrays broadcastable to ``(samples, rows)``.
    start, linear, rate, cumulative, t0
        As in :func:`profile`.
    reduce : bool
        When True return the total per sample, shape ``(samples,)``,
        computed as a matrix-vector product when the non-varying factors allow.

    Returns
    -------
    ndarray
        ``(samples, rows)`` row present values, or ``(samples,)`` totals.

    Examples
    --------
    The synthetic fixture of METHODS §1.13 (two rows, 3.5 %):

    >>> import numpy as np
    >>> pv = present_values(
    ...     np.array([[50.0, 20.0]]), np.array([[1000.0, 2500.0]]),
    ...     np.array([[0.2, 0.5]]), np.array([[0.0, 0.1]]), np.array([[0.1, 0.25]]),
    ...     np.zeros((1, 2)), np.array([[0.1, 0.0]]), np.array([[3.0, 1.0]]),
    ...     start=np.array([1, 1]), linear=np.array([False, False]), rate=np.array([[0.035]]))
    >>> round(float(pv.sum()), 2)
    107633.35
    """
    prof = profile(drop_off, duration, start, linear, rate=rate, cumulative=cumulative, t0=t0)
    factors = (
        [np.asarray(quantity, dtype=float), np.asarray(proxy, dtype=float)]
        + [
            1.0 - np.asarray(h, dtype=float)
            for h in (deadweight, displacement, attribution, leakage)
        ]
        + [prof]
    )
    if not reduce:
        return _product(factors)
    small = [f for f in factors if f.ndim < 2 or f.shape[0] == 1]
    big = [f for f in factors if f.ndim == 2 and f.shape[0] > 1]
    fixed = _product(small).reshape(-1) if small else None
    if not big:
        return np.atleast_1d(np.asarray(np.sum(_product(factors), axis=-1), dtype=float))
    varying = _product(big)
    if fixed is None:
        return np.asarray(varying.sum(axis=1), dtype=float)
    if fixed.shape[0] == 1 and varying.shape[1] != 1:
        fixed = np.broadcast_to(fixed, (varying.shape[1],))
    return np.asarray(varying @ fixed, dtype=float)


def year_values(
    quantity: FloatArray,
    proxy: FloatArray,
    deadweight: FloatArray,
    displacement: FloatArray,
    attribution: FloatArray,
    leakage: FloatArray,
    drop_off: FloatArray,
    duration: FloatArray,
    *,
    start: IntArray,
    linear: BoolArray,
    horizon: int | None = None,
) -> FloatArray:
    """Undiscounted value of every row in calendar years 1 to ``horizon``.

    Returns
    -------
    ndarray
        Shape ``(samples, rows, horizon)``; column ``t - 1`` holds year ``t``.

    Examples
    --------
    >>> import numpy as np
    >>> v = year_values(np.array([[50.0]]), np.array([[1000.0]]), np.array([[0.2]]),
    ...                 np.zeros((1, 1)), np.array([[0.1]]), np.zeros((1, 1)),
    ...                 np.array([[0.1]]), np.array([[3.0]]),
    ...                 start=np.array([1]), linear=np.array([False]))
    >>> v.round(2).tolist()
    [[[36000.0, 32400.0, 29160.0]]]
    """
    imp = impact(quantity, proxy, deadweight, displacement, attribution, leakage)
    d = np.asarray(drop_off, dtype=float)
    dur = np.asarray(duration, dtype=float)
    d, dur, imp = np.broadcast_arrays(d, dur, imp)
    span = max(_horizon(dur), 1)
    if horizon is None:
        horizon = int(start.max(initial=1)) + span - 1
    wd = _year_weights(d, dur, linear, span) * imp[..., None]  # (S, K, J)
    out = np.zeros((*imp.shape, horizon + span + 2))
    # place year j of row k at calendar column start_k - 1 + j: one shifted add per start year
    for s in np.unique(start):  # at most two values (1 and 2), not a loop over rows
        rows = start == s
        out[..., rows, s - 1 : s - 1 + span] += wd[..., rows, :]
    return out[..., :horizon]


def input_present_value(
    amounts: FloatArray,
    years: IntArray,
    *,
    rate: FloatArray | None = None,
    cumulative: FloatArray | None = None,
    t0: bool = False,
) -> FloatArray:
    """Present value of the inputs per sample.

    Parameters
    ----------
    amounts : ndarray
        Shape broadcastable to ``(samples, inputs)`` [currency].
    years : ndarray of int
        Year of each input, shape ``(inputs,)``; year 0 is not discounted.
    rate, cumulative, t0
        As in :func:`profile`.

    Returns
    -------
    ndarray
        Shape ``(samples,)``.
    """
    a = np.atleast_2d(np.asarray(amounts, dtype=float))
    periods = np.maximum(years - 1, 0) if t0 else years
    if cumulative is not None:
        df = cumulative[periods]
    elif rate is not None:
        df = _rate_factors(np.asarray(rate, dtype=float), periods)
    else:
        raise ValueError("input_present_value needs a rate or cumulative factors")
    return np.asarray(np.sum(a * df, axis=-1), dtype=float)
