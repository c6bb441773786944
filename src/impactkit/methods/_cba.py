r"""Cost-benefit analysis: NPV, benefit-cost ratio, IRR, MIRR and payback, by perspective."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit._results import Summary, displayed, jsonable
from impactkit._validation import Checker, require_finite
from impactkit.discount import Discount, factors
from impactkit.dist import MAX_MAGNITUDE
from impactkit.errors import Problem, ValidationError
from impactkit.kernel import payback_year
from impactkit.typing import FloatArray
from impactkit.valuation import PAYER_LEVELS, EquityWeights

__all__ = [
    "PERSPECTIVES",
    "CBAResult",
    "cba",
    "discounted_payback_period",
    "irr",
    "irr_roots",
    "mirr",
    "npv",
    "xirr",
    "xnpv",
]

PERSPECTIVES: tuple[str, ...] = (*PAYER_LEVELS, "beneficiaries", "others")
"""Perspectives a flow can belong to; ``society`` sums them, ``public`` sums the payers."""


def _flows(cash_flows: Any, name: str = "cash_flows") -> FloatArray:
    try:
        cf = np.asarray(cash_flows, dtype=float).ravel()
    except (TypeError, ValueError) as exc:
        raise ValidationError(f"{name} must be numbers", path=(name,), code="type") from exc
    if cf.size == 0:
        raise ValidationError(f"{name} is empty", path=(name,), code="empty")
    bad = np.flatnonzero(~np.isfinite(cf))
    if bad.size:
        raise ValidationError(
            [Problem((name, int(i)), "not_finite", "must be a finite number") for i in bad]
        )
    big = np.flatnonzero(np.abs(cf) > MAX_MAGNITUDE)
    if big.size:
        raise ValidationError(
            [
                Problem((name, int(i)), "too_large", f"must be at most {MAX_MAGNITUDE:g} in size")
                for i in big
            ]
        )
    return cf


def _factors(discount: float | Discount, n: int) -> FloatArray:
    return factors(discount, np.arange(n))


CashFlows = Sequence[float] | npt.NDArray[Any]


def npv(cash_flows: CashFlows, rate: float | Discount) -> float:
    r"""Net present value of yearly flows, the first at year 0 (undiscounted).

    .. math:: NPV = \sum_{t=0}^{T} CF_t\, DF(t)

    with :math:`DF(t) = 1/(1+r)^t` for a constant rate :math:`r` (the Green
    Book convention: year 0 is the present, factor 1), or the cumulative
    factors :math:`DF(0) = 1,\ DF(t) = DF(t-1)/(1 + r(t))` of a discount
    schedule. Same timing as ``numpy_financial.npv``; unlike Excel ``NPV``,
    the first flow is not discounted.

    Parameters
    ----------
    cash_flows : sequence of float or numpy.ndarray
        Net flow of each year [currency], year 0 first (flattened).
    rate : float or Discount
        Constant yearly rate above -1 [fraction], or a discount schedule
        (:mod:`impactkit.discount`).

    Returns
    -------
    float
        The net present value [currency].

    Raises
    ------
    ValidationError
        When ``cash_flows`` is empty, not numeric, holds a non-finite value or
        one larger than the library's magnitude limit (every offending index
        is named), when ``rate`` is not above -1, or when the result
        overflows.

    References
    ----------
    .. [1] HM Treasury (2022). The Green Book: Central Government Guidance on
       Appraisal and Evaluation.

    Examples
    --------
    >>> round(npv([-100, 60, 60], 0.1), 4)
    4.1322
    """
    cf = _flows(cash_flows)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(cf @ _factors(rate, cf.size))
    require_finite({"npv": value})
    return value


def _npv_curve(cf: FloatArray, times: FloatArray, r: FloatArray) -> FloatArray:
    return np.asarray(np.exp(-np.log1p(r)[:, None] * times[None, :]) @ cf, dtype=float)


def _roots(
    cf: FloatArray,
    times: FloatArray,
    *,
    lower: float = -0.9999,
    upper: float = 10.0,
    grid: int = 4000,
) -> list[float]:
    _no_sign_change(cf)
    # widen the upper bound until the NPV has the sign of its limit (the earliest flow)
    first = cf[np.argmin(np.where(cf != 0, times, np.inf))]
    while upper < 1e9:
        if np.sign(_npv_curve(cf, times, np.array([upper]))[0]) == np.sign(first):
            break
        upper *= 2
    u = np.linspace(np.log1p(lower), np.log1p(upper), grid)
    r = np.expm1(u)
    f = _npv_curve(cf, times, r)
    roots: list[float] = [float(x) for x in r[f == 0]]
    idx = np.flatnonzero(np.sign(f[:-1]) * np.sign(f[1:]) < 0)

    def g(x: float) -> float:
        return float(_npv_curve(cf, times, np.array([x]))[0])

    from scipy import optimize  # imported on use: keeps `import impactkit` light

    for i in idx:
        roots.append(
            float(optimize.brentq(g, r[i], r[i + 1], xtol=1e-14, rtol=1e-14, maxiter=500))
        )
    roots = sorted(set(roots))
    # A root where the NPV touches zero without crossing it (even multiplicity)
    # shows no sign change. Ordered by date, flows with one sign change have at
    # most one root (Descartes' rule holds for real exponents); otherwise each
    # extremum of the NPV is checked, and one at zero counts as a double root.
    order = np.argsort(times, kind="stable")
    signs = np.sign(cf[order][cf[order] != 0])
    if np.count_nonzero(signs[1:] != signs[:-1]) > 1:
        slope = _npv_curve(-times * cf, times, r)  # d NPV / d log(1 + r)

        def dg(x: float) -> float:
            return float(_npv_curve(-times * cf, times, np.array([x]))[0])

        for i in np.flatnonzero(np.sign(slope[:-1]) * np.sign(slope[1:]) < 0):
            x = float(optimize.brentq(dg, r[i], r[i + 1], xtol=1e-14, rtol=1e-14, maxiter=500))
            size = float(_npv_curve(np.abs(cf), times, np.array([x]))[0])
            near = any(abs(x - z) <= 1e-6 * max(1.0, abs(z)) for z in roots)
            if abs(g(x)) <= 1e-9 * size and not near:
                roots += [x, x]
    return sorted(roots)


_REAL_TOL = 1e-5
"""Relative imaginary part (and gap) below which polynomial roots count as one real root."""


def _horner(c: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
    """Value, derivative and absolute scale of ``sum_j c[..., j] y**(T - j)`` at ``y``."""
    f = np.zeros_like(y)
    d = np.zeros_like(y)
    scale = np.zeros_like(y)
    for j in range(c.shape[-1]):  # over periods (few), vectorised over rows and roots
        d = d * y + f
        f = f * y + c[..., j, None]
        scale = scale * np.abs(y) + np.abs(c[..., j, None])
    return f, d, scale


def irr_polynomial_roots(flows: FloatArray) -> FloatArray:
    r"""Every real rate above -100 % where the NPV of each row of yearly flows is zero.

    The NPV is a polynomial in :math:`y = 1 + r`: multiplied by :math:`y^T` it
    is :math:`\sum_t CF_t\, y^{T-t}`. Its roots are the eigenvalues of the
    companion matrix (computed for all rows at once); real positive roots are
    polished by Newton's method on the NPV. A root of multiplicity ``m``
    appears ``m`` times.

    Parameters
    ----------
    flows : ndarray, shape (S, T + 1)
        Yearly flows, one series per row, the first at year 0.

    Returns
    -------
    ndarray, shape (S, T)
        The rates, sorted within each row, NaN-padded.
    """
    f = np.atleast_2d(np.asarray(flows, dtype=float))
    s, n = f.shape
    if n < 2:
        return np.full((s, max(n - 1, 0)), np.nan)
    # shift every row so that its first non-zero flow sits at year 0: a zero at year 0
    # would be a root at y = infinity; trailing zeros become roots at y = 0 (discarded)
    nz = f != 0
    first = np.where(nz.any(axis=1), nz.argmax(axis=1), 0)
    cols = np.arange(n)[None, :] + first[:, None]
    c = np.where(cols < n, np.take_along_axis(f, np.minimum(cols, n - 1), axis=1), 0.0)
    lead = c[:, 0]
    ok = lead != 0
    c = c / np.where(ok, lead, 1.0)[:, None]
    comp = np.zeros((s, n - 1, n - 1))
    comp[:, 0, :] = -c[:, 1:]
    comp[:, np.arange(1, n - 1), np.arange(n - 2)] = 1.0
    lam = np.linalg.eigvals(comp)
    y = lam.real
    real = (np.abs(lam.imag) <= _REAL_TOL * np.abs(lam)) & (y > 0) & ok[:, None]
    y = np.where(real, y, 1.0)
    for _ in range(8):  # Newton polish: the eigenvalues are already close
        val, der, _scale = _horner(c, y)
        with np.errstate(divide="ignore", invalid="ignore"):
            step = np.where(der != 0, val / der, 0.0)
        cand = y - step
        better = np.abs(_horner(c, cand)[0]) < np.abs(val)
        y = np.where(better & (cand > 0) & np.isfinite(cand), cand, y)
    val, _der, scale = _horner(c, y)
    real &= np.abs(val) <= 1e-9 * scale
    r = np.where(real, y - 1.0, np.nan)
    return np.sort(r, axis=1)


def _distinct(rates: FloatArray) -> list[tuple[float, int]]:
    """Rates of one row (NaN-padded) grouped into (root, multiplicity)."""
    r = np.sort(rates[np.isfinite(rates)])
    out: list[tuple[float, int]] = []
    group: list[float] = []
    for v in r:  # a handful of roots
        if group and (1 + v) - (1 + group[-1]) > _REAL_TOL * (1 + v):
            out.append((float(np.mean(group)), len(group)))
            group = []
        group.append(float(v))
    if group:
        out.append((float(np.mean(group)), len(group)))
    return out


def _no_sign_change(cf: FloatArray) -> None:
    signs = np.sign(cf[cf != 0])
    if signs.size == 0 or np.all(signs == signs[0]):
        raise ValidationError(
            "cash flows never change sign: the internal rate of return does not exist",
            path=("cash_flows",),
            code="no_sign_change",
        )


def _irr_roots_multiplicity(cash_flows: CashFlows) -> list[tuple[float, int]]:
    cf = _flows(cash_flows)
    _no_sign_change(cf)
    return _distinct(irr_polynomial_roots(cf[None, :])[0])


def irr_roots(
    cash_flows: CashFlows, *, lower: float = -1.0, upper: float | None = None
) -> list[float]:
    """Every internal rate of return of yearly flows, each listed once.

    The NPV is a polynomial in :math:`1/(1+r)` (docs/methods/cba.md): its real roots
    above -100 % are found all at once from the companion matrix, then polished
    by Newton's method, so roots lying close together (or a double root, where
    the NPV touches zero without changing sign) are never lost, whatever their
    distance. Rates closer than about 0.001 % of :math:`1 + r` count as one
    root.

    Parameters
    ----------
    cash_flows : sequence of float
        Yearly flows, the first at year 0.
    lower : float, default -1
        Only rates above it are returned.
    upper : float, optional
        Only rates up to it are returned (default: no limit).

    Returns
    -------
    list of float
        The distinct rates, ascending (empty when the NPV never reaches zero).

    Raises
    ------
    ValidationError
        When the flows never change sign (no IRR exists).

    Examples
    --------
    >>> [round(r, 4) for r in irr_roots([-100, 230, -132])]
    [0.1, 0.2]
    >>> [round(r, 6) for r in irr_roots([-100, 220, -121])]  # a double root
    [0.1]
    """
    hi = np.inf if upper is None else upper
    return [r for r, _m in _irr_roots_multiplicity(cash_flows) if lower < r <= hi]


def irr(cash_flows: CashFlows) -> float:
    r"""Internal rate of return: the rate at which the NPV of yearly flows is zero.

    The IRR is the rate :math:`r > -1` solving

    .. math:: \sum_{t=0}^{T} \frac{CF_t}{(1+r)^t} = 0,

    with the first flow at year 0, undiscounted. Multiplied by
    :math:`(1+r)^T` the NPV is a polynomial in :math:`1 + r`; every real root
    above -100 % is found from its companion matrix and polished by Newton's
    method (:func:`irr_roots`). The IRR is returned only when there is exactly
    one root and it is a simple root (the NPV changes sign there); by
    Descartes' rule of signs, flows that change sign once have at most one.

    Parameters
    ----------
    cash_flows : sequence of float or numpy.ndarray
        Net flow of each year [currency], year 0 first.

    Returns
    -------
    float
        The internal rate of return [fraction per year, e.g. 0.07 for 7 %].

    Raises
    ------
    ValidationError
        When the flows never change sign (no IRR exists), when the NPV never
        reaches zero, or when there is more than one root, a double root
        counting as two (code ``multiple_irr``): the message lists them and
        points to :func:`mirr` or the NPV at a hurdle rate. Never NaN. Also
        when ``cash_flows`` is empty, not numeric or holds a non-finite value.

    References
    ----------
    .. [1] HM Treasury (2022). The Green Book: Central Government Guidance on
       Appraisal and Evaluation.

    Examples
    --------
    The outcomes-contract investor of docs/methods/contracts.md:

    >>> round(irr([-1_000_000, 0, 400_000, 800_000]), 5)
    0.07097
    """
    roots = _irr_roots_multiplicity(cash_flows)
    if not roots:
        raise ValidationError(
            "the net present value never reaches zero: no internal rate of return above -100 %",
            path=("cash_flows",),
            code="no_root",
        )
    count = sum(m for _r, m in roots)
    if count > 1:
        shown = ", ".join(f"{r:.6g}" + (f" (multiplicity {m})" if m > 1 else "") for r, m in roots)
        raise ValidationError(
            f"the flows change sign more than once and have {count} internal rates of "
            f"return, counted with multiplicity ({shown}): the IRR is not meaningful; use "
            "irr_roots(), mirr() or the NPV at a hurdle rate",
            path=("cash_flows",),
            code="multiple_irr",
        )
    return roots[0][0]


def mirr(cash_flows: CashFlows, *, finance_rate: float, reinvest_rate: float) -> float:
    r"""Modified internal rate of return of yearly flows, always unique.

    Positive flows are compounded to the last year at the reinvestment rate,
    negative flows discounted to year 0 at the finance rate:

    .. math::
        MIRR = \left(\frac{\sum_t CF_t^+ (1 + r_{re})^{n-t}}
                          {-\sum_t CF_t^- / (1 + r_{fi})^{t}}\right)^{1/n} - 1

    with :math:`t = 0, \dots, n` (the first flow at year 0) and :math:`n` the
    number of periods (flows minus one). Unlike the IRR it has a single value
    whatever the number of sign changes, which makes it the fallback when
    :func:`irr` finds several roots. Agrees with ``numpy_financial.mirr``.

    Parameters
    ----------
    cash_flows : sequence of float or numpy.ndarray
        Net flow of each year [currency], year 0 first.
    finance_rate : float
        Rate at which the negative flows (outlays) are financed [fraction].
    reinvest_rate : float
        Rate at which the positive flows are reinvested [fraction].

    Returns
    -------
    float
        The modified internal rate of return [fraction per year].

    Raises
    ------
    ValidationError
        When the flows do not hold both a positive and a negative value
        (code ``no_sign_change``), when a rate is not a finite number above
        -1, or when ``cash_flows`` is empty, not numeric or holds a
        non-finite value.

    Examples
    --------
    >>> round(mirr([-100, 50, 60], finance_rate=0.1, reinvest_rate=0.12), 6)
    0.077033
    """
    c = Checker()
    c.number(finance_rate, "finance_rate", low=-1.0, low_open=True)
    c.number(reinvest_rate, "reinvest_rate", low=-1.0, low_open=True)
    c.raise_if_errors()
    cf = _flows(cash_flows)
    n = cf.size - 1
    t = np.arange(cf.size)
    pos = np.where(cf > 0, cf, 0.0)
    neg = np.where(cf < 0, cf, 0.0)
    if not pos.any() or not neg.any():
        raise ValidationError(
            "MIRR needs both positive and negative flows",
            path=("cash_flows",),
            code="no_sign_change",
        )
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        fv = float(np.sum(pos * (1 + float(reinvest_rate)) ** (n - t)))
        pv = float(-np.sum(neg / (1 + float(finance_rate)) ** t))
        value = float((fv / pv) ** (1.0 / n) - 1.0)
    require_finite({"mirr": value})
    return value


def _dated_flows(
    cash_flows: Sequence[float], dates: Sequence[Any]
) -> tuple[FloatArray, FloatArray]:
    """The flows and their times in years of 365 days from the first date."""
    cf = _flows(cash_flows)
    ds: list[_dt.date] = []
    bad: list[Problem] = []
    for i, d in enumerate(dates):
        day: _dt.date | None = None
        if isinstance(d, _dt.date) and not pd.isna(d):  # NaT is a datetime too
            day = d.date() if isinstance(d, _dt.datetime) else d
        elif isinstance(d, str | np.datetime64):  # a number is not a date
            try:
                ts = pd.Timestamp(d)
                day = None if pd.isna(ts) else ts.date()
            except (TypeError, ValueError, OverflowError):
                day = None
        if day is None:
            bad.append(Problem(("dates", i), "type", f"not a date: {d!r}"))
            continue
        ds.append(day)
    if bad:
        raise ValidationError(bad)
    t = np.array([(d - ds[0]).days / 365.0 for d in ds], dtype=float)
    if t.size != cf.size:
        raise ValidationError("dates and cash_flows differ in length", path=("dates",))
    return cf, t


def xnpv(rate: float, cash_flows: Sequence[float], *, dates: Sequence[Any]) -> float:
    r"""Net present value of dated flows, discounted to the first date (Excel XNPV).

    .. math:: XNPV = \sum_i CF_i\, (1 + r)^{-(d_i - d_0)/365}

    Time is counted in days from the first date :math:`d_0` (whose flow is
    undiscounted) over a 365-day year, the XNPV/XIRR day count (see
    docs/methods/conventions.md and docs/methods/contracts.md); a leap day
    therefore counts as 1/365 of a year.

    Parameters
    ----------
    rate : float
        Yearly discount rate [fraction].
    cash_flows : sequence of float
        The flows [currency], in the order of ``dates``.
    dates : sequence of date-like
        Date of each flow (:class:`datetime.date` or anything
        :class:`pandas.Timestamp` parses); the first is the valuation date.

    Returns
    -------
    float
        The net present value at the first date [currency].

    Raises
    ------
    ValidationError
        When ``rate`` is not a finite number above -1, when ``dates`` and
        ``cash_flows`` differ in length, or when ``cash_flows`` is empty, not
        numeric or holds a non-finite value.

    Examples
    --------
    >>> round(xnpv(0.1, [-1000, 1100], dates=["2023-01-01", "2024-01-01"]), 4)
    0.0
    >>> round(xnpv(0.1, [-1000, 1100], dates=["2024-01-01", "2025-01-01"]), 4)  # 366 days
    -0.2611
    """
    c = Checker()
    c.number(rate, "rate", low=-1.0, low_open=True)
    c.raise_if_errors()
    cf, t = _dated_flows(cash_flows, dates)
    with np.errstate(over="ignore", invalid="ignore"):
        value = float(_npv_curve(cf, t, np.array([float(rate)]))[0])
    require_finite({"xnpv": value})
    return value


def xirr(cash_flows: Sequence[float], dates: Sequence[Any]) -> float:
    r"""Internal rate of return of dated flows (Excel XIRR day count).

    The rate :math:`r > -1` solving

    .. math:: \sum_i CF_i\, (1 + r)^{-(d_i - d_0)/365} = 0,

    the first flow undiscounted and time counted in days over a 365-day year
    (docs/methods/contracts.md). The NPV is evaluated on a grid of rates from -99.99 % to
    an upper bound that starts at 1000 % and doubles until the NPV has the
    sign of the earliest flow; each sign change of the grid is refined with
    Brent's method (docs/methods/cba.md). When the flows, in date order, change sign
    more than once, every extremum of the NPV is also located and one at zero
    (to 1e-9 of the flows' discounted size) counts as a double root, where the
    NPV touches zero without changing sign; with a single sign change there is
    at most one root (Descartes' rule of signs, which holds for real
    exponents). The rate is returned only when exactly one simple root exists.

    Parameters
    ----------
    cash_flows : sequence of float
        The flows [currency], in the order of ``dates``.
    dates : sequence of date-like
        Date of each flow (:class:`datetime.date` or anything
        :class:`pandas.Timestamp` parses); the first is the valuation date.

    Returns
    -------
    float
        The internal rate of return [fraction per year].

    Raises
    ------
    ValidationError
        When ``dates`` and ``cash_flows`` differ in length, when the flows
        never change sign (code ``no_sign_change``), when no root is found
        (code ``no_root``), when more than one root is found, a double root
        counting twice (code ``multiple_irr``), or when
        ``cash_flows`` is empty, not numeric or holds a non-finite value.

    Examples
    --------
    >>> round(xirr([-1000, 1100], ["2024-01-01", "2024-12-31"]), 4)
    0.1
    """
    cf, t = _dated_flows(cash_flows, dates)
    roots = _roots(cf, t)
    if not roots:  # as irr(): no root is not several roots
        raise ValidationError(
            "the net present value never reaches zero between -99.99 % and the search's "
            "upper bound: no internal rate of return found",
            path=("cash_flows",),
            code="no_root",
        )
    if len(roots) != 1:
        raise ValidationError(
            f"{len(roots)} internal rates of return: not meaningful",
            path=("cash_flows",),
            code="multiple_irr",
        )
    return roots[0]


def discounted_payback_period(cash_flows: CashFlows, rate: float | Discount) -> float | None:
    r"""Fractional year at which cumulative discounted net flows turn non-negative.

    The smallest :math:`t` with :math:`\sum_{u \le t} CF_u\, DF(u) \ge 0`
    after the first year at which that sum is negative (leading years without
    flows are not a payback), the first flow at year 0 (undiscounted), with
    linear interpolation inside the year in which the cumulative sum crosses
    zero (docs/methods/sroi.md).

    Parameters
    ----------
    cash_flows : sequence of float or numpy.ndarray
        Net flow of each year [currency], year 0 first.
    rate : float or Discount
        Constant yearly rate above -1 [fraction], or a discount schedule.

    Returns
    -------
    float or None
        The payback [years]: 0.0 when the cumulative discounted flows are
        never negative, None when they never come back to zero.

    Raises
    ------
    ValidationError
        When ``rate`` is not above -1, or when ``cash_flows`` is empty, not
        numeric or holds a non-finite value.

    Examples
    --------
    >>> round(discounted_payback_period([-100, 60, 60], 0.0), 6)
    1.666667
    >>> round(discounted_payback_period([0, -100, 60, 60], 0.0), 6)
    2.666667
    """
    cf = _flows(cash_flows)
    return payback_year(cf * _factors(rate, cf.size))


@displayed(headline=("NPV", "Benefit-cost ratio", "IRR"))
@attrs.frozen
class CBAResult:
    r"""A cost-benefit analysis from one perspective, as returned by :func:`cba`.

    Present values use the discount factors :math:`DF(t)` of :func:`cba`
    (year 0 undiscounted): :math:`PV_B = \sum_t B_t DF(t)`,
    :math:`PV_C = \sum_t C_t DF(t)`, :math:`NPV = PV_B - PV_C` and
    :math:`BCR = PV_B / PV_C` (HM Treasury Green Book 2022).

    Parameters
    ----------
    perspective : str
        ``society`` (transfers netted out), ``public`` (the payer levels) or one
        perspective of :data:`PERSPECTIVES`.
    pv_benefits : float
        Present value of the benefits seen from ``perspective`` [currency].
    pv_costs : float
        Present value of the costs seen from ``perspective`` [currency].
    npv : float
        ``pv_benefits - pv_costs``, the net present social value [currency].
    bcr : float or None
        Benefit-cost ratio ``pv_benefits / pv_costs``; None when there are no
        costs (``pv_costs`` is not positive).
    irr : float or None
        Internal rate of return of the yearly net flows (:func:`irr`) when it
        exists and is unique [fraction per year]; None otherwise.
    irr_note : str
        Why ``irr`` is None (the message of the refusal: no sign change, no
        root or several roots); empty when ``irr`` is set.
    discounted_payback : float or None
        Years until the cumulative discounted net flows turn non-negative
        (:func:`discounted_payback_period`); None when never reached.
    by_year : pandas.DataFrame
        One row per year from 0: ``year``, ``benefits``, ``costs``, ``net``,
        ``discount_factor`` and ``present_value`` (of the net flow), for the
        flows of ``perspective``.
    by_perspective : pandas.DataFrame
        One row per party of the input flows (all of them, whatever
        ``perspective``, transfers included): ``perspective``,
        ``pv_benefits``, ``pv_costs`` and ``npv``; with ``equity`` also
        ``weight`` and ``weighted_npv``.
    weighted_npv : float or None, default None
        Equity-weighted NPV beside the unweighted one: each flow multiplied by
        the distributional weight of its party (HM Treasury Green Book 2022,
        Annex A3); None when no ``equity`` weights were given.
    weighted_pv_benefits : float or None, default None
        Equity-weighted present value of the benefits; None without weights.
    weighted_pv_costs : float or None, default None
        Equity-weighted present value of the costs; None without weights.

    Examples
    --------
    >>> flows = pd.DataFrame({"year": [0, 1, 2], "amount": [100.0, 60.0, 60.0],
    ...                       "kind": ["cost", "benefit", "benefit"],
    ...                       "perspective": ["etat", "beneficiaries", "beneficiaries"]})
    >>> r = cba(flows, 0.1)
    >>> round(r.npv, 4), round(r.bcr, 4), round(r.irr, 4)
    (4.1322, 1.0413, 0.1307)
    >>> r.weighted_npv is None
    True
    """

    perspective: str
    pv_benefits: float
    pv_costs: float
    npv: float
    bcr: float | None
    irr: float | None
    irr_note: str
    discounted_payback: float | None
    by_year: pd.DataFrame = attrs.field(eq=False, repr=False)
    by_perspective: pd.DataFrame = attrs.field(eq=False, repr=False)
    weighted_npv: float | None = None
    """Equity-weighted NPV beside the unweighted one (None without weights)."""
    weighted_pv_benefits: float | None = None
    weighted_pv_costs: float | None = None

    def to_frame(self) -> pd.DataFrame:
        """The flows by year (a copy of ``by_year``).

        Returns
        -------
        pandas.DataFrame
        """
        return self.by_year.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: headline figures and both tables as records.

        Returns
        -------
        dict
        """
        head = {
            a.name: getattr(self, a.name)
            for a in attrs.fields(CBAResult)
            if a.name not in ("by_year", "by_perspective")
        }
        return dict(
            jsonable({**head, "by_year": self.by_year, "by_perspective": self.by_perspective})
        )

    def summary(self) -> Summary:
        """Headline figures and the table by perspective, for people.

        Returns
        -------
        Summary
            With equity weights, the weighted present values and NPV follow
            the unweighted ones.
        """

        def f(x: float | None, fmt: str) -> str:
            return "-" if x is None else format(x, fmt)

        lines: tuple[tuple[str, str], ...] = (
            ("Perspective", self.perspective),
            ("PV benefits", f(self.pv_benefits, ",.2f")),
            ("PV costs", f(self.pv_costs, ",.2f")),
            ("NPV", f(self.npv, ",.2f")),
            ("Benefit-cost ratio", f(self.bcr, ".3f")),
            ("IRR", f(self.irr, ".2%") if self.irr is not None else self.irr_note or "-"),
            ("Discounted payback", f(self.discounted_payback, ".2f")),
        )
        if self.weighted_npv is not None:  # beside the unweighted figures, never instead
            lines += (
                ("PV benefits, equity-weighted", f(self.weighted_pv_benefits, ",.2f")),
                ("PV costs, equity-weighted", f(self.weighted_pv_costs, ",.2f")),
                ("NPV, equity-weighted", f(self.weighted_npv, ",.2f")),
            )
        return Summary("Cost-benefit analysis", lines, self.by_perspective)


_CBA_COLUMNS = ("year", "amount", "kind", "perspective")


def _check_flows(df: pd.DataFrame) -> pd.DataFrame:
    if not isinstance(df, pd.DataFrame):
        raise ValidationError("flows must be a DataFrame", path=("flows",), code="type")
    missing = [c for c in _CBA_COLUMNS if c not in df.columns]
    if missing:
        raise ValidationError(
            [
                Problem(
                    ("flows", c),
                    "missing_column",
                    f"column {c!r} is missing; flows need {', '.join(_CBA_COLUMNS)}",
                )
                for c in missing
            ]
        )
    probs: list[Problem] = []
    out = df.copy()
    if "transfer" not in out.columns:
        out["transfer"] = False
    if "label" not in out.columns:
        out["label"] = ""
    for i, r in out.reset_index(drop=True).iterrows():
        idx = int(i)  # type: ignore[call-overload]
        if r["kind"] not in ("cost", "benefit"):
            probs.append(
                Problem(
                    ("flows", idx, "kind"),
                    "invalid_choice",
                    f"kind must be 'cost' or 'benefit', got {r['kind']!r}",
                )
            )
        if r["perspective"] not in PERSPECTIVES:
            probs.append(
                Problem(
                    ("flows", idx, "perspective"),
                    "invalid_choice",
                    f"perspective must be one of {', '.join(PERSPECTIVES)}, got "
                    f"{r['perspective']!r}",
                )
            )
        y = r["year"]
        if (
            not (isinstance(y, int | np.integer) or (isinstance(y, float) and y.is_integer()))
            or y < 0
        ):
            probs.append(
                Problem(
                    ("flows", idx, "year"),
                    "not_integer",
                    f"year must be a whole number >= 0, got {y!r}",
                )
            )
        a = r["amount"]
        if not isinstance(a, int | float | np.number) or not np.isfinite(a):
            probs.append(
                Problem(
                    ("flows", idx, "amount"),
                    "not_finite",
                    f"amount must be a finite number, got {a!r}",
                )
            )
    if not probs and out.empty:
        probs.append(Problem(("flows",), "empty", "flows hold no row"))
    if probs:
        raise ValidationError(probs)
    out["year"] = out["year"].astype(int)
    out["transfer"] = out["transfer"].astype(bool)
    return out


def cba(
    flows: pd.DataFrame,
    discount: float | Discount = 0.035,
    *,
    perspective: str = "society",
    equity: EquityWeights | None = None,
) -> CBAResult:
    r"""Cost-benefit analysis of tidy yearly flows, from one perspective.

    Parameters
    ----------
    flows : DataFrame
        One row per flow: ``year`` (0 = now), ``amount`` (positive; a
        negative benefit, a disbenefit, lowers the benefits' present value,
        the BCR's numerator, and leaves the costs as they are), ``kind``
        (``cost`` or ``benefit``), ``perspective`` (who pays or
        gains, :data:`PERSPECTIVES`), optional ``transfer`` (True for money
        that moves between parties, e.g. benefit payments) and ``label``.
    discount : float or Discount
        Rate or schedule; year 0 is undiscounted (Green Book convention).
    perspective : str
        ``"society"``: every party, transfers netted out (a transfer is a
        gain to one party and a loss to another, Green Book 2022);
        ``"public"``: the public payer levels (État, Sécurité sociale,
        département, commune), transfers counted; or one perspective.
    equity : EquityWeights, optional
        Distributional weights keyed by the ``perspective`` column (the party
        that pays or gains); adds weighted present values beside the
        unweighted ones. Weighted values use the same flows as the
        unweighted ones (transfers excluded from ``"society"`` stay excluded).

    Returns
    -------
    CBAResult

    Raises
    ------
    ValidationError
        When a column is missing, the flows hold no row, or a row's
        ``kind``, ``perspective``, ``year`` or ``amount`` is not allowed
        (every problem at once), or ``perspective`` is unknown.

    Notes
    -----
    .. math::
        NPV = \sum_t (B_t - C_t) DF(t), \qquad BCR = \frac{\sum_t B_t DF(t)}{\sum_t C_t DF(t)}

    Examples
    --------
    >>> flows = pd.DataFrame({"year": [0, 1, 2], "amount": [100.0, 60.0, 60.0],
    ...                       "kind": ["cost", "benefit", "benefit"],
    ...                       "perspective": ["etat", "beneficiaries", "beneficiaries"]})
    >>> r = cba(flows, 0.0)
    >>> r.npv, r.bcr
    (20.0, 1.2)
    """
    f = _check_flows(flows)
    if perspective == "society":
        sel = f[~f["transfer"]]
    elif perspective == "public":
        sel = f[f["perspective"].isin(PAYER_LEVELS)]
    elif perspective in PERSPECTIVES:
        sel = f[f["perspective"] == perspective]
    else:
        raise ValidationError(
            f"perspective must be 'society', 'public' or one of "
            f"{', '.join(PERSPECTIVES)}, got {perspective!r}",
            path=("perspective",),
            code="invalid_choice",
        )
    horizon = int(f["year"].max()) + 1
    dfs = _factors(discount, horizon)
    ben = np.bincount(
        sel.loc[sel["kind"] == "benefit", "year"],
        weights=sel.loc[sel["kind"] == "benefit", "amount"],
        minlength=horizon,
    )
    cost = np.bincount(
        sel.loc[sel["kind"] == "cost", "year"],
        weights=sel.loc[sel["kind"] == "cost", "amount"],
        minlength=horizon,
    )
    pv_b, pv_c = float(ben @ dfs), float(cost @ dfs)
    net = ben - cost
    try:
        rate: float | None = irr(net)
        note = ""
    except ValidationError as exc:
        rate, note = None, exc.problems[0].message
    by_year = pd.DataFrame(
        {
            "year": np.arange(horizon),
            "benefits": ben,
            "costs": cost,
            "net": net,
            "discount_factor": dfs,
            "present_value": net * dfs,
        }
    )
    g = f.assign(pv=f["amount"] * dfs[f["year"].to_numpy()])
    by_persp = (
        g.pivot_table(
            index="perspective", columns="kind", values="pv", aggfunc="sum", fill_value=0.0
        )
        .reindex(columns=["benefit", "cost"], fill_value=0.0)
        .rename(columns={"benefit": "pv_benefits", "cost": "pv_costs"})
        .reset_index()
    )
    by_persp["npv"] = by_persp["pv_benefits"] - by_persp["pv_costs"]
    weighted: tuple[float | None, float | None, float | None] = (None, None, None)
    if equity is not None:
        if not isinstance(equity, EquityWeights):
            raise ValidationError("equity must be an EquityWeights", path=("equity",), code="type")
        by_persp["weight"] = equity.weights(by_persp["perspective"])
        by_persp["weighted_npv"] = by_persp["npv"] * by_persp["weight"]
        w = equity.weights(sel["perspective"]) * sel["amount"].to_numpy(dtype=float)
        w = w * dfs[sel["year"].to_numpy()]
        is_b = (sel["kind"] == "benefit").to_numpy()
        wb, wc = float(w[is_b].sum()), float(w[~is_b].sum())
        weighted = (wb - wc, wb, wc)
    return CBAResult(
        perspective,
        pv_b,
        pv_c,
        pv_b - pv_c,
        pv_b / pv_c if pv_c > 0 else None,
        rate,
        note,
        discounted_payback_period(net, discount),
        by_year,
        by_persp,
        *weighted,
    )
