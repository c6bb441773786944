r"""Discounting: constant rates and declining schedules.

A discount object turns a period index :math:`t` into a discount factor
:math:`DF(t)`. Factors chain year by year (docs/methods/discounting.md, HM Treasury Green
Book):

.. math:: DF(0) = 1, \qquad DF(t) = \frac{DF(t-1)}{1 + r(t)}

where :math:`r(t)` is the rate of the band year :math:`t` falls in. For a
constant rate this is :math:`(1 + r)^{-t}`.

Which period a flow sits in is the model's timing convention
(:attr:`impactkit.ImpactModel.first_flow_at`): with the SROI convention
(``"t1"``, the default) benefit year 1 is discounted once and inputs of year 0
are not discounted; with ``"t0"`` benefit year 1 sits at period 0, as in
``numpy_financial.npv``.

Presets
-------
``UK_GREEN_BOOK``
    Constant 3.5 % (STPR: 0.5 % + 1 % + 1 × 2 %), HM Treasury Green Book 2022.
``GREEN_BOOK``
    Declining standard schedule 3.5/3.0/2.5/2.0/1.5/1.0 % for years
    0–30/31–75/76–125/126–200/201–300/301+ (Green Book 2003 Table 6.1, kept in
    the 2018–2022 editions).
``GREEN_BOOK_HEALTH``
    Reduced schedule excluding the wealth effect, 1.5/1.29/1.07/0.86/0.64/0.43 %
    (the standard schedule scaled by 1.5/3.5; long-horizon values to be checked
    against the Green Book annex).
``FRANCE_2021``
    France Stratégie 2021: 1.2 % + 2 % × β, 3.2 % at β = 1
    (see :func:`france_2021` for other β).
``FRANCE_2013``
    Quinet 2013: 2.5 % + 2 % × β, 4.5 % at β = 1 (see :func:`france_2013`).

References
----------
.. [1] HM Treasury (2022). The Green Book: appraisal and evaluation in central
   government, annex A6.
.. [2] France Stratégie (2021). Guide de l'évaluation socioéconomique des
   investissements publics, complément opérationnel I : révision du taux
   d'actualisation.
.. [3] Commissariat général à la stratégie et à la prospective (2013).
   L'évaluation socioéconomique des investissements publics (rapport Quinet).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt

from impactkit._fields import FIELD_RULES
from impactkit._validation import Checker, as_float
from impactkit.dist import Distribution, central
from impactkit.errors import Problem, ValidationError
from impactkit.kernel import rate_factors
from impactkit.typing import FloatArray

__all__ = [
    "FRANCE_2013",
    "FRANCE_2021",
    "GREEN_BOOK",
    "GREEN_BOOK_HEALTH",
    "MAX_PERIOD",
    "UK_GREEN_BOOK",
    "Constant",
    "Discount",
    "Schedule",
    "annuity_factor",
    "factors",
    "france_2013",
    "france_2021",
]


def _number(x: Any) -> float | Distribution:
    return as_float(x)  # type: ignore[no-any-return]  # others: reported by the validator


def _bands(b: Any) -> Any:
    try:
        return tuple(
            (
                int(y) if isinstance(as_float(y), float) and float(y).is_integer() else y,
                as_float(r),
            )
            for y, r in b
        )
    except (TypeError, ValueError):
        return b


MAX_PERIOD = 100_000
"""Longest period a schedule chains to [years]: a resource limit, far beyond any appraisal."""


@attrs.frozen
class Constant:
    """A constant annual discount rate.

    Parameters
    ----------
    rate : float or Distribution
        Annual real rate [fraction]; must exceed -1. May be uncertain.
    name : str, optional
        A label shown in reports (e.g. ``"uk_green_book"``).

    Examples
    --------
    >>> d = Constant(0.035)
    >>> [round(float(f), 4) for f in d.factors([1, 2, 3, 10])]
    [0.9662, 0.9335, 0.9019, 0.7089]
    """

    rate: float | Distribution = attrs.field(converter=_number)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.extend(FIELD_RULES["rate"].problems(self.rate, ("rate",)))
        c.text(self.name, "name")
        c.raise_if_errors()

    @property
    def central_rate(self) -> float:
        """The rate used by point evaluation."""
        return central(self.rate)

    def factors(self, periods: Sequence[int] | npt.NDArray[Any]) -> FloatArray:
        r"""Discount factors :math:`(1 + r)^{-t}` at the central rate.

        With :math:`DF(0) = 1` and :math:`DF(t) = DF(t-1)/(1 + r)`, a constant
        rate gives

        .. math:: DF(t) = (1 + r)^{-t}

        (the Green Book chaining [1]_ with one band). When the rate is a
        :class:`~impactkit.dist.Distribution`, :math:`r` is its central value
        (its mean); Monte Carlo samples the rate itself.

        Parameters
        ----------
        periods : sequence of int or numpy.ndarray
            Whole years :math:`t` from the base year (year 0 is undiscounted).

        Returns
        -------
        numpy.ndarray
            One factor per period, same shape as ``periods``.

        References
        ----------
        .. [1] HM Treasury (2022). The Green Book (social time preference rate
           3.5 % real; year 0 has factor 1).

        Examples
        --------
        >>> [round(float(f), 4) for f in Constant(0.035).factors([0, 1, 5, 30])]
        [1.0, 0.9662, 0.842, 0.3563]
        """
        return rate_factors(self.central_rate, periods)

    def describe(self) -> str:
        """Short human description of the rate, as shown in reports.

        Returns
        -------
        str
            ``"constant 3.50%"`` followed by the name in parentheses when there
            is one; for an uncertain rate, the distribution's name and its
            central rate.

        Examples
        --------
        >>> Constant(0.035, name="uk_green_book_2022").describe()
        'constant 3.50% (uk_green_book_2022)'
        >>> from impactkit.dist import Uniform
        >>> Constant(Uniform(0.02, 0.05)).describe()
        'constant rate ~ uniform, central 3.50%'
        """
        label = f" ({self.name})" if self.name else ""
        if isinstance(self.rate, Distribution):
            return f"constant rate ~ {self.rate.name}, central {self.central_rate:.2%}{label}"
        return f"constant {self.central_rate:.2%}{label}"


@attrs.frozen
class Schedule:
    """A declining (or any) schedule of annual rates by band of years.

    Parameters
    ----------
    bands : sequence of (first_year, rate)
        Each band starts at ``first_year`` and lasts until the next band; the
        first band must start at year 0 or 1, starts must increase. Rates are
        fractions greater than -1.
    name : str, optional
        Label shown in reports.

    Notes
    -----
    Factors chain year by year: :math:`DF(t) = DF(t-1)/(1 + r(t))`.

    Examples
    --------
    >>> [round(float(f), 4) for f in GREEN_BOOK.factors([30, 31, 75, 76, 100])]
    [0.3563, 0.3459, 0.0942, 0.0919, 0.0508]
    """

    bands: tuple[tuple[int, float], ...] = attrs.field(converter=_bands)
    name: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checker()
        if not isinstance(self.bands, tuple) or not self.bands:
            c.add("bands", "empty", "a schedule needs at least one [first_year, rate] band")
            c.raise_if_errors()
        prev = -1
        for i, (year, rate) in enumerate(self.bands):
            if not c.number(year, ("bands", i, 0), low=0, integer=True):
                continue
            c.number(rate, ("bands", i, 1), low=-1.0, low_open=True)
            if i == 0 and year not in (0, 1):
                c.add(
                    ("bands", 0, 0), "out_of_range", f"first band must start at 0 or 1, got {year}"
                )
            if year <= prev:
                c.add(("bands", i, 0), "order", "band start years must increase")
            prev = year
        c.text(self.name, "name")
        c.raise_if_errors()

    def rates(self, horizon: int) -> FloatArray:
        """Rate :math:`r(t)` for years 0 to ``horizon``.

        Year :math:`t` takes the rate of the band it falls in (as in the Green
        Book declining schedule [1]_): the last band whose ``first_year`` is
        at most :math:`t`. When the first band starts at year 1, year 0 takes
        the first band's rate (it is never used to discount: :math:`DF(0) = 1`).

        Parameters
        ----------
        horizon : int
            Last year, a whole number of years at least 0.

        Returns
        -------
        numpy.ndarray
            Array of ``horizon + 1`` rates [fraction per year], entry
            :math:`t` being :math:`r(t)`.

        References
        ----------
        .. [1] HM Treasury (2003). The Green Book, Table 6.1 (declining
           long-term discount rates, retained in the 2018, 2020 and 2022
           editions).

        Examples
        --------
        >>> [float(r) for r in GREEN_BOOK.rates(76)[[0, 30, 31, 75, 76]]]
        [0.035, 0.035, 0.03, 0.03, 0.025]
        """
        t = np.arange(horizon + 1)
        starts = np.array([y for y, _ in self.bands])
        vals = np.array([r for _, r in self.bands])
        idx = np.searchsorted(starts, t, side="right") - 1
        return np.asarray(vals[np.clip(idx, 0, None)], dtype=float)

    def cumulative(self, horizon: int) -> FloatArray:
        r"""Discount factors :math:`DF(0), ..., DF(horizon)` chained year by year.

        The rate of a year is the rate of the band it falls in, and factors
        chain cumulatively (not :math:`(1 + r_{band})^{-t}`), as in the Green
        Book [1]_:

        .. math:: DF(0) = 1, \qquad DF(t) = \frac{DF(t-1)}{1 + r(t)}
                  = \prod_{u=1}^{t} \frac{1}{1 + r(u)}

        computed as :math:`\exp(-\sum_{u \le t} \ln(1 + r(u)))`.

        Parameters
        ----------
        horizon : int
            Last year, a whole number of years at least 0.

        Returns
        -------
        numpy.ndarray
            Array of ``horizon + 1`` factors, entry :math:`t` being
            :math:`DF(t)`.

        References
        ----------
        .. [1] HM Treasury (2003). The Green Book, Table 6.1 (declining
           long-term discount rates, retained in the 2018, 2020 and 2022
           editions).

        Examples
        --------
        >>> [round(float(f), 4) for f in GREEN_BOOK.cumulative(3)]
        [1.0, 0.9662, 0.9335, 0.9019]
        >>> round(float(GREEN_BOOK.cumulative(31)[31]), 4)  # 30 years at 3.5 %, one at 3 %
        0.3459
        """
        r = self.rates(horizon)
        out = np.empty(horizon + 1)
        out[0] = 1.0
        out[1:] = np.exp(-np.cumsum(np.log1p(r[1:])))
        return out

    def factors(self, periods: Sequence[int] | npt.NDArray[Any]) -> FloatArray:
        r"""Discount factors at whole-year ``periods``.

        Picks :math:`DF(t)` of :meth:`cumulative` (chained year by year, as in
        the Green Book [1]_) at each period.

        Parameters
        ----------
        periods : sequence of int or numpy.ndarray
            Whole years :math:`t \ge 0` from the base year (year 0 is
            undiscounted), in any order.

        Returns
        -------
        numpy.ndarray
            One factor per period, same shape as ``periods`` (empty when
            ``periods`` is empty).

        Raises
        ------
        ValidationError
            When a period is negative, fractional or not finite (a schedule
            is chained forward from year 0; code ``out_of_range`` or
            ``not_integer`` at ``periods``), or beyond ``MAX_PERIOD``
            years (code ``too_large``: the chain is built year by year).

        References
        ----------
        .. [1] HM Treasury (2003). The Green Book, Table 6.1 (declining
           long-term discount rates, retained in the 2018, 2020 and 2022
           editions).

        Examples
        --------
        >>> [round(float(f), 4) for f in GREEN_BOOK_HEALTH.factors([1, 10, 30])]
        [0.9852, 0.8617, 0.6398]
        """
        x = np.asarray(periods, dtype=float)
        if x.size == 0:
            return np.zeros(x.shape)
        problems = []
        if not (np.isfinite(x).all() and (x >= 0).all()):
            problems.append(
                Problem(("periods",), "out_of_range", "periods must be finite and >= 0")
            )
        elif (x > MAX_PERIOD).any():  # the chain is built year by year up to the last
            problems.append(
                Problem(("periods",), "too_large", f"periods beyond {MAX_PERIOD:,} years")
            )
        elif (x != np.floor(x)).any():
            problems.append(Problem(("periods",), "not_integer", "periods must be whole years"))
        if problems:
            raise ValidationError(problems)
        t = x.astype(np.int64)
        return self.cumulative(int(t.max()))[t]

    @property
    def central_rate(self) -> float:
        """Rate of the first band (shown in summaries)."""
        return self.bands[0][1]

    def describe(self) -> str:
        """Short human description of the bands, as shown in reports.

        Returns
        -------
        str
            ``"schedule "`` followed by each band's rate and first year, then
            the name in parentheses when there is one.

        Examples
        --------
        >>> Schedule(((0, 0.035), (31, 0.03)), name="short").describe()
        'schedule 3.50% from year 0, 3.00% from year 31 (short)'
        """
        parts = ", ".join(f"{r:.2%} from year {y}" for y, r in self.bands)
        label = f" ({self.name})" if self.name else ""
        return f"schedule {parts}{label}"


Discount = Constant | Schedule
"""Any discount object a model accepts."""


def factors(discount: Discount | float, periods: Sequence[int] | npt.NDArray[Any]) -> FloatArray:
    """Discount factors of a schedule, or of a constant rate, at whole-year ``periods``.

    Parameters
    ----------
    discount : Constant, Schedule or float
        A discount schedule, or a constant yearly rate above -1.
    periods : sequence of int or numpy.ndarray
        Whole years from the base year (0 is undiscounted).

    Returns
    -------
    numpy.ndarray
        :math:`1/(1+r)^t` for a constant rate; the schedule's factors otherwise.

    Raises
    ------
    ValidationError
        When a rate is not above -1.

    Examples
    --------
    >>> [round(float(x), 4) for x in factors(0.1, [0, 1, 2])]
    [1.0, 0.9091, 0.8264]
    """
    if isinstance(discount, Constant | Schedule):
        return discount.factors(periods)
    r = float(discount)
    if not r > -1:
        raise ValidationError(
            f"rate must exceed -1, got {r!r}", path=("rate",), code="out_of_range"
        )
    return rate_factors(r, np.asarray(periods))


def annuity_factor(discount: Discount, years: int, *, first: int = 1) -> float:
    r"""Sum of discount factors over ``years`` consecutive years from ``first``.

    The present value of one unit a year received in years ``first`` to
    ``first + years - 1``:

    .. math:: A = \sum_{t=f}^{f+n-1} DF(t)

    which for a constant rate :math:`r > 0` and :math:`f = 1` is
    :math:`A = (1 - (1 + r)^{-n}) / r`. Multiply a constant annual value by
    :math:`A` to get its present value. With a schedule, the factors chain
    year by year (Green Book [1]_).

    Parameters
    ----------
    discount : Constant or Schedule
        The discount object whose factors are summed.
    years : int
        Number of consecutive years :math:`n`; 0 gives 0.
    first : int, default 1
        First year :math:`f` (1: the SROI convention, the first year is
        discounted once; 0: the first year is undiscounted).

    Returns
    -------
    float
        The annuity factor :math:`A`.

    Raises
    ------
    ValidationError
        When ``years`` or ``first`` is not a whole number >= 0 (a fractional
        number of years would silently round up).

    References
    ----------
    .. [1] HM Treasury (2022). The Green Book (discount factors: year 0 has
       factor 1, factors chain year by year).

    Examples
    --------
    >>> round(annuity_factor(UK_GREEN_BOOK, 5), 4), round(annuity_factor(UK_GREEN_BOOK, 10), 4)
    (4.5151, 8.3166)
    >>> round(annuity_factor(UK_GREEN_BOOK, 5, first=0), 4)
    4.6731
    """
    c = Checker()
    c.number(years, "years", low=0, integer=True)
    c.number(first, "first", low=0, integer=True)
    c.raise_if_errors()
    return float(np.sum(discount.factors(np.arange(int(first), int(first) + int(years)))))


def france_2021(beta: float = 1.0) -> Constant:
    r"""France Stratégie 2021 rate, 1.2 % + 2 % × ``beta``.

    The current French public-investment discount rate [1]_:

    .. math:: r = 1.2\,\% + \beta \times 2\,\%

    a risk-free rate plus a risk premium proportional to the project's
    :math:`\beta`; 3.2 % at :math:`\beta = 1` (the ``FRANCE_2021``
    preset). The rate is real and constant over time.

    Parameters
    ----------
    beta : float, default 1
        The project's sensitivity to GDP (may be below 1 or negative for
        counter-cyclical services such as hospitals).

    Returns
    -------
    Constant
        The constant rate, named ``"france_2021(beta=...)"``.

    Raises
    ------
    ValidationError
        When the rate is not a finite number above -1 (``beta`` not finite,
        or at most -50.6).
    TypeError, ValueError
        When ``beta`` cannot be converted to a float.

    References
    ----------
    .. [1] France Stratégie (2021). Guide de l'évaluation socioéconomique des
       investissements publics, Complément opérationnel I « Révision du taux
       d'actualisation » (validated by the expert committee on 21 October
       2021).

    Examples
    --------
    >>> france_2021().rate, round(france_2021(0.5).rate, 6)
    (0.032, 0.022)
    >>> france_2021(0.5).name
    'france_2021(beta=0.5)'
    """
    return Constant(round(0.012 + 0.02 * float(beta), 12), name=f"france_2021(beta={beta:g})")


def france_2013(beta: float = 1.0) -> Constant:
    r"""Quinet 2013 rate, 2.5 % + 2 % × ``beta`` (4.5 % at β = 1).

    The French public-investment discount rate of the Quinet report [1]_,
    replaced by :func:`france_2021`:

    .. math:: r = 2.5\,\% + \beta \times 2\,\%

    a risk-free rate of 2.5 % plus a risk premium of 2 % times the project's
    :math:`\beta`; 4.5 % at :math:`\beta = 1` (the ``FRANCE_2013`` preset).

    Parameters
    ----------
    beta : float, default 1
        The project's sensitivity to GDP (1 by default).

    Returns
    -------
    Constant
        The constant rate, named ``"france_2013(beta=...)"``.

    Raises
    ------
    ValidationError
        When the rate is not a finite number above -1 (``beta`` not finite,
        or at most -51.25).
    TypeError, ValueError
        When ``beta`` cannot be converted to a float.

    Notes
    -----
    The report also lowers the risk-free rate after 2070; those values are
    not implemented here (the rate stays constant).

    References
    ----------
    .. [1] Commissariat général à la stratégie et à la prospective (2013).
       Quinet report on the socio-economic evaluation of public investment.

    Examples
    --------
    >>> france_2013().rate, round(france_2013(0.5).rate, 6)
    (0.045, 0.035)
    >>> france_2013().describe()
    'constant 4.50% (france_2013(beta=1))'
    """
    return Constant(round(0.025 + 0.02 * float(beta), 12), name=f"france_2013(beta={beta:g})")


UK_GREEN_BOOK = Constant(0.035, name="uk_green_book_2022")
GREEN_BOOK = Schedule(
    ((0, 0.035), (31, 0.03), (76, 0.025), (126, 0.02), (201, 0.015), (301, 0.01)),
    name="green_book",
)
GREEN_BOOK_HEALTH = Schedule(
    ((0, 0.015), (31, 0.0129), (76, 0.0107), (126, 0.0086), (201, 0.0064), (301, 0.0043)),
    name="green_book_health",
)
FRANCE_2021 = france_2021(1.0)
FRANCE_2013 = france_2013(1.0)
