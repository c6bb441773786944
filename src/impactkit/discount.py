r"""Discounting: constant rates and declining schedules.

A discount object turns a period index :math:`t` into a discount factor
:math:`DF(t)`. Factors chain year by year (METHODS §2.3, HM Treasury Green
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
from impactkit.errors import ValidationError
from impactkit.kernel import rate_factors
from impactkit.typing import FloatArray

__all__ = [
    "FRANCE_2013",
    "FRANCE_2021",
    "GREEN_BOOK",
    "GREEN_BOOK_HEALTH",
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
        """Discount factors :math:`(1 + r)^{-t}` at the central rate."""
        return rate_factors(self.central_rate, periods)

    def describe(self) -> str:
        """Short human description."""
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
        """Rate :math:`r(t)` for years 0 to ``horizon``."""
        t = np.arange(horizon + 1)
        starts = np.array([y for y, _ in self.bands])
        vals = np.array([r for _, r in self.bands])
        idx = np.searchsorted(starts, t, side="right") - 1
        return np.asarray(vals[np.clip(idx, 0, None)], dtype=float)

    def cumulative(self, horizon: int) -> FloatArray:
        """Discount factors :math:`DF(0), ..., DF(horizon)` chained year by year."""
        r = self.rates(horizon)
        out = np.empty(horizon + 1)
        out[0] = 1.0
        out[1:] = np.exp(-np.cumsum(np.log1p(r[1:])))
        return out

    def factors(self, periods: Sequence[int] | npt.NDArray[Any]) -> FloatArray:
        """Discount factors at whole-year ``periods``."""
        t = np.asarray(periods, dtype=np.int64)
        if t.size == 0:
            return np.zeros(t.shape)
        return self.cumulative(int(t.max()))[t]

    @property
    def central_rate(self) -> float:
        """Rate of the first band (shown in summaries)."""
        return self.bands[0][1]

    def describe(self) -> str:
        """Short human description."""
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
    """Sum of discount factors over ``years`` consecutive years from ``first``.

    Examples
    --------
    >>> round(annuity_factor(UK_GREEN_BOOK, 5), 4), round(annuity_factor(UK_GREEN_BOOK, 10), 4)
    (4.5151, 8.3166)
    """
    return float(np.sum(discount.factors(np.arange(first, first + years))))


def france_2021(beta: float = 1.0) -> Constant:
    """France Stratégie 2021 rate, 1.2 % + 2 % × ``beta``.

    Parameters
    ----------
    beta : float, default 1
        The project's sensitivity to GDP (may be below 1 or negative for
        counter-cyclical services).

    Examples
    --------
    >>> france_2021().rate, round(france_2021(0.5).rate, 6)
    (0.032, 0.022)
    """
    return Constant(round(0.012 + 0.02 * float(beta), 12), name=f"france_2021(beta={beta:g})")


def france_2013(beta: float = 1.0) -> Constant:
    """Quinet 2013 rate, 2.5 % + 2 % × ``beta`` (4.5 % at β = 1)."""
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
