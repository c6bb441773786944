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
    "payback_months",
    "payback_year",
    "periods",
    "present_values",
    "profile",
    "rate_factors",
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
    """Yearly impact :math:`Q P (1-DW)(1-DS)(1-AT)(1-LK)` (docs/methods/sroi.md).

    The deductions are multiplicative, each applied to what remains (20 %
    deadweight then 10 % attribution leave 72 %, not 70 %). Leakage is the
    optional further factor (default 0 in models). This is the impact per
    year of outcome, before drop-off and discounting. Small (non-varying)
    factors are multiplied first so that full-size arrays are touched as
    few times as possible.

    Parameters
    ----------
    quantity : ndarray or float
        Number of people or units with the outcome, :math:`Q`.
    proxy : ndarray or float
        Financial proxy per unit per year, :math:`P` [currency].
    deadweight, displacement, attribution, leakage : ndarray or float
        Deductions :math:`DW, DS, AT, LK` [fraction, 0-1].

    Returns
    -------
    ndarray
        The broadcast shape of the inputs [currency/year].

    References
    ----------
    .. [1] Cabinet Office / SROI Network (2012). *A guide to Social Return
       on Investment*, stage 4.

    Examples
    --------
    >>> float(impact(50.0, 1000.0, 0.2, 0.0, 0.1, 0.0))
    36000.0
    """
    return _product(
        _impact_factors(quantity, proxy, (deadweight, displacement, attribution, leakage))
    )


def _impact_factors(
    quantity: FloatArray, proxy: FloatArray, deductions: Sequence[FloatArray]
) -> list[FloatArray]:
    """The factors of :func:`impact`: ``Q``, ``P`` and one minus each deduction."""
    return [np.asarray(quantity, dtype=float), np.asarray(proxy, dtype=float)] + [
        1.0 - np.asarray(h, dtype=float) for h in deductions
    ]


def _product(arrays: Sequence[FloatArray]) -> FloatArray:
    small = sorted(arrays, key=lambda a: a.size)
    out = np.array(small[0], dtype=float, copy=True)
    for a in small[1:]:
        if a.size > out.size:
            out = a * out
        else:
            out *= a
    return out


def periods(t: IntArray, t0: bool) -> IntArray:
    """Discounting period of year ``t``: ``t`` (convention ``"t1"``) or ``max(t - 1, 0)``.

    Parameters
    ----------
    t : ndarray of int
        Years (year 0 first).
    t0 : bool
        Timing convention ``"t0"`` (periods ``max(t - 1, 0)``); False for
        ``"t1"`` (periods ``t``).

    Returns
    -------
    ndarray of int
        Discounting period of each year, same shape as ``t``.

    Examples
    --------
    >>> periods(np.array([0, 1, 2]), True).tolist(), periods(np.array([0, 1, 2]), False).tolist()
    ([0, 0, 1], [0, 1, 2])
    """
    return np.maximum(t - 1, 0) if t0 else t


def _geometric(x: FloatArray, n: FloatArray) -> FloatArray:
    """:math:`\\sum_{j<n} x^j` for real ``x >= 0`` and whole ``n >= 0``, stable near 1."""
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        lx = np.log(x)
        g = np.expm1(n * lx) / np.expm1(lx)
    # the two limits, written only where they occur (the values are those of np.where)
    at_one = lx == 0.0
    if at_one.any():
        g = np.where(at_one, n, g)
    empty = n == 0.0
    if np.any(empty):
        g = np.where(empty, 0.0, g)
    return np.asarray(g, dtype=float)


def rate_factors(rate: FloatArray | float, periods: npt.ArrayLike) -> FloatArray:
    r"""Discount factors :math:`(1 + r)^{-t}` of a constant rate: the one formula.

    Every constant-rate discount factor of impactkit (models, portfolios, CBA,
    CEA) is computed here; declining schedules chain these year by year
    (:meth:`impactkit.discount.Schedule.cumulative`).

    Parameters
    ----------
    rate : float or ndarray
        Annual rate(s) [fraction], broadcast against ``periods``.
    periods : array_like of int
        Whole-year periods :math:`t`.

    Returns
    -------
    ndarray
        The broadcast shape of ``rate`` and ``periods``.

    Examples
    --------
    >>> rate_factors(0.1, [0, 1, 2]).round(6).tolist()
    [1.0, 0.909091, 0.826446]
    """
    t = np.asarray(periods, dtype=float)
    return np.asarray((1.0 + np.asarray(rate, dtype=float)) ** -t, dtype=float)


def payback_months(total_inputs: npt.ArrayLike, year_one: npt.ArrayLike) -> FloatArray:
    """The SROI Guide's payback in months, :math:`I / (V_1 / 12)` (docs/methods/sroi.md).

    Parameters
    ----------
    total_inputs : array_like
        Present value of the inputs [currency].
    year_one : array_like
        Undiscounted value of benefit year 1 [currency].

    Returns
    -------
    ndarray
        Months; NaN where year 1 has no positive value or the payback is not finite.

    Examples
    --------
    >>> payback_months([46_000.0, 10.0], [52_875.0, 0.0]).round(2).tolist()
    [10.44, nan]
    """
    i = np.asarray(total_inputs, dtype=float)
    v1 = np.asarray(year_one, dtype=float)
    with np.errstate(divide="ignore", invalid="ignore", over="ignore"):
        months = np.where(v1 > 0, 12.0 * i / np.where(v1 > 0, v1, 1.0), np.nan)
    return np.asarray(np.where(np.isfinite(months), months, np.nan), dtype=float)


def payback_year(discounted: npt.ArrayLike) -> float | None:
    """Fractional year at which cumulative discounted net flows turn non-negative.

    ``discounted[t]`` is the discounted net flow of year ``t`` (year 0 first).
    The payback is the first year at which the cumulative sum, having been
    negative, is back at or above zero: years of zero flow before the
    investment (a project whose outlay falls in year 1) do not count as paid
    back. Linear interpolation inside the year; None when never reached. This
    is the discounted payback of both the SROI (inputs at year 0, benefits
    after) and cost-benefit analysis.

    Parameters
    ----------
    discounted : array_like
        Discounted net flow of each year, year 0 first (flattened).

    Returns
    -------
    float or None
        Fractional year at which the cumulative sum first turns non-negative
        after its first negative year (0.0 when it is never negative), or
        None when it never does.

    Examples
    --------
    >>> round(payback_year([-100.0, 60.0, 60.0]), 6)
    1.666667
    >>> round(payback_year([0.0, -100.0, 60.0, 60.0]), 6)  # the outlay in year 1
    2.666667
    >>> payback_year([-100.0, 10.0]) is None
    True
    """
    disc = np.asarray(discounted, dtype=float).ravel()
    cum = np.cumsum(disc)
    below = np.flatnonzero(cum < 0)
    if below.size == 0:
        return 0.0
    hit = np.flatnonzero(cum[below[0] :] >= 0) + below[0]
    if hit.size == 0:
        return None
    t = int(hit[0])
    return float(t - 1 + (-cum[t - 1]) / disc[t])


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
        Start year of each row (1 during the activity, 2 the period after,
        later for later cohorts), shape ``(rows,)``.
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

    Examples
    --------
    An outcome lasting 3 years from year 1, with a 10 % yearly drop-off,
    discounted at 3.5 % (SROI convention ``"t1"``: year 1 is discounted once):

    >>> f = profile(np.array([[0.10]]), np.array([[3.0]]), np.array([1]),
    ...             np.array([False]), rate=np.array([[0.035]]))
    >>> round(float(f[0, 0]), 6)
    2.536917
    >>> round(sum(0.9**j / 1.035 ** (j + 1) for j in range(3)), 6)  # by hand
    2.536917
    >>> f2 = profile(np.array([[0.10]]), np.array([[2.5]]), np.array([1]),
    ...              np.array([False]), rate=np.array([[0.035]]))
    >>> round(float(f2[0, 0]), 6)  # a duration of 2.5 years: half of year 3 counts
    2.17163
    >>> round(1 / 1.035 + 0.9 / 1.035**2 + 0.5 * 0.9**2 / 1.035**3, 6)
    2.17163
    """
    d = np.asarray(drop_off, dtype=float)
    dur = np.asarray(duration, dtype=float)
    if rate is not None and not linear.any():
        r = np.asarray(rate, dtype=float)
        v = 1.0 / (1.0 + r)
        x = (1.0 - d) * v
        n = np.floor(dur)
        frac = dur - n
        per = periods(start, t0)
        if v.size == 1 and per.size:  # one rate: a table of v^t, indexed (no pow per row)
            head = (v.reshape(-1)[0] ** np.arange(int(per.max()) + 1, dtype=float))[per]
        else:
            head = v ** per.astype(float)
        body = _geometric(x, n)
        if np.any(frac):  # whole-year durations add nothing for the last fraction
            body = body + frac * np.power(x, n)
        return np.asarray(head * body, dtype=float)
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
    per = periods(start[:, None] + np.arange(horizon)[None, :], t0)  # (K, J)
    if cumulative is not None:
        df = cumulative[per]  # (K, J)
    else:
        if rate is None:
            raise ValueError("profile needs a rate or cumulative factors")
        r = np.asarray(rate, dtype=float)[..., None]  # (S|1, 1, 1)
        df = rate_factors(r, per)
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
    The synthetic fixture of docs/methods/sroi.md (two rows, 3.5 %):

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
    factors = _impact_factors(quantity, proxy, (deadweight, displacement, attribution, leakage))
    factors.append(prof)
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

    Row :math:`k` holds :math:`\\mathrm{impact}_k\\, w_j \\delta_j` in calendar
    year :math:`t = s_k + j` for :math:`j = 0, 1, \\ldots` while the row lasts
    (docs/methods/sroi.md): :math:`w_j = \\min(1, \\max(0, D_k - j))` is the share of
    year :math:`j` inside the duration :math:`D_k` (a fractional last year
    counts in part), and :math:`\\delta_j = (1 - d_k)^j` (compound drop-off,
    starting in the row's second year) or :math:`\\max(0, 1 - d_k j)` (linear,
    an explicit option).

    Parameters
    ----------
    quantity, proxy, deadweight, displacement, attribution, leakage : ndarray
        The factors of :func:`impact`, shape ``(samples, rows)`` or
        broadcastable to it.
    drop_off : ndarray
        Yearly drop-off :math:`d` [fraction, 0-1].
    duration : ndarray
        Duration :math:`D` [years].
    start : ndarray of int
        Calendar start year :math:`s` of each row (a whole year from 1), shape
        ``(rows,)``.
    linear : ndarray of bool
        Rows whose drop-off is linear, shape ``(rows,)``.
    horizon : int, optional
        Number of calendar years returned; by default the last year any row
        reaches. Later years are cut off.

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
    if horizon is None:  # the last year a row reaches: its start plus its own duration
        k = dur.shape[-1] if dur.ndim else 1
        longest = np.ceil(dur.reshape(-1, k).max(axis=0, initial=0.0)) if dur.size else 0.0
        horizon = max(int(np.max(start + np.maximum(longest, 1.0) - 1, initial=1)), 1)
    wd = _year_weights(d, dur, linear, span) * imp[..., None]  # (S, K, J)
    out = np.zeros((*imp.shape, horizon + span + 2))
    # place year j of row k at calendar column start_k - 1 + j: one shifted add per start year
    for s in np.unique(start):  # a few start years, not a loop over rows
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

    Examples
    --------
    A grant of 40,000 paid at once (year 0, not discounted) and 6,000 of
    volunteer time in year 1, at 3.5 %:

    >>> amounts, years = np.array([[40_000.0, 6_000.0]]), np.array([0, 1])
    >>> input_present_value(amounts, years, rate=0.035).round(2).tolist()
    [45797.1]
    >>> round(40_000 + 6_000 / 1.035, 2)  # by hand
    45797.1
    >>> input_present_value(amounts, years, rate=0.035, t0=True).tolist()  # year 1 at period 0
    [46000.0]
    """
    a = np.atleast_2d(np.asarray(amounts, dtype=float))
    per = periods(years, t0)
    if cumulative is not None:
        df = cumulative[per]
    elif rate is not None:
        df = rate_factors(rate, per)
    else:
        raise ValueError("input_present_value needs a rate or cumulative factors")
    return np.asarray(np.sum(a * df, axis=-1), dtype=float)
