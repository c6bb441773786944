r"""Valuation: financial proxies, price-year indexing and non-cash inputs.

A :class:`FinancialProxy` is a money value per unit of outcome per year, with
its currency, the *price year* its value is expressed in, and its source.
Before evaluation every proxy is re-expressed in the model's base year through
a user-supplied :class:`PriceIndex` (a consumer price index, a GDP deflator):

.. math:: P_{base} = P_{y} \times \frac{I_{base}}{I_{y}}

There is never a silent currency conversion: a proxy in another currency than
the model's is an error.

Non-cash inputs (volunteer time, donated goods, free premises) are valued at
market or replacement cost (SROI Guide 2012, §1.8 of METHODS):
:func:`volunteer_time` multiplies hours by an hourly rate whose choice
(minimum wage loaded with charges, market wage of the equivalent job) the
caller states in ``source``.

References
----------
.. [1] Nicholls, J., Lawlor, E., Neitzert, E., Goodspeed, T. (2012). A Guide to
   Social Return on Investment. The SROI Network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pandas as pd

from impactkit._validation import Checker, is_number
from impactkit.dist import Distribution, central, problems_in_number
from impactkit.errors import ValidationError
from impactkit.valuation._equity import GREEN_BOOK_ETA, EquityWeights, distributional_weights

__all__ = [
    "GREEN_BOOK_ETA",
    "EquityWeights",
    "FinancialProxy",
    "PriceIndex",
    "distributional_weights",
    "in_kind",
    "volunteer_time",
]


def _number(x: Any) -> float | Distribution:
    if isinstance(x, Distribution):
        return x
    if is_number(x):
        return float(x)
    return x  # type: ignore[no-any-return]  # reported by the validator


@attrs.frozen
class FinancialProxy:
    """Money value of one unit of an outcome for one year.

    Parameters
    ----------
    value : float or Distribution
        Value per unit per year [currency/unit/year]; negative for a negative
        outcome (a separate row that reduces the present value).
    currency : str, optional
        ISO 4217 code; ``None`` means the model's currency.
    year : int, optional
        Price year the value is expressed in; ``None`` means the model's base
        year.
    source : str, optional
        Where the value comes from (study, database, stakeholder valuation).
    description : str, optional
        What the proxy stands for.
    unit : str, optional
        The unit of outcome the value applies to.
    transfer : str, optional
        Name of the money transfer the value stands for (e.g. a benefit
        payment saved); two rows naming the same transfer value it twice and
        :func:`impactkit.lint` flags them.

    Examples
    --------
    >>> FinancialProxy(8_000, currency="EUR", year=2024, source="INSEE").value
    8000.0
    """

    value: float | Distribution = attrs.field(converter=_number)
    currency: str | None = None
    year: int | None = None
    source: str = ""
    description: str = ""
    unit: str = ""
    transfer: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.extend(problems_in_number(self.value, ("value",)))
        if self.currency is not None:
            _check_currency(c, self.currency, "currency")
        if self.year is not None:
            c.number(self.year, "year", low=1800, high=2200, integer=True)
        for name in ("source", "description", "unit", "transfer"):
            c.text(getattr(self, name), name)
        c.raise_if_errors()

    @property
    def central_value(self) -> float:
        """The value used by point evaluation."""
        return central(self.value)


def _check_currency(c: Checker, value: Any, path: str | tuple[str | int, ...]) -> None:
    if not (isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()):
        c.add(path, "currency", f"expected an ISO 4217 code such as 'EUR', got {value!r}")


def _index_values(x: Any) -> dict[int, float]:
    if isinstance(x, pd.Series):
        x = x.to_dict()
    if isinstance(x, Mapping):
        out: dict[int, float] = {}
        for k, v in x.items():
            try:
                out[int(k)] = float(v) if is_number(v) else v
            except (TypeError, ValueError):
                out[k] = v
        return dict(sorted(out.items(), key=lambda kv: str(kv[0])))
    return x  # type: ignore[no-any-return]  # reported by the validator


@attrs.frozen
class PriceIndex:
    """A price index by year, to move money values between price years.

    Parameters
    ----------
    values : mapping of int to float, or pandas.Series
        Index level by year (any base), all positive.
    name : str, optional
        E.g. ``"INSEE CPI, all households"``.
    source : str, optional
        Where the series comes from.

    Examples
    --------
    >>> idx = PriceIndex({2020: 100.0, 2024: 116.0})
    >>> idx.factor(2020, 2024)
    1.16
    """

    values: Mapping[int, float] = attrs.field(converter=_index_values)
    name: str = ""
    source: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checker()
        if not isinstance(self.values, Mapping) or not self.values:
            c.add("values", "type", "expected a non-empty mapping of year to index level")
        else:
            for k, v in self.values.items():
                if not isinstance(k, int):
                    c.add(("values", str(k)), "type", f"year must be a whole number, got {k!r}")
                c.number(v, ("values", str(k)), low=0.0, low_open=True)
        c.text(self.name, "name")
        c.text(self.source, "source")
        c.raise_if_errors()

    @classmethod
    def from_series(cls, series: pd.Series, *, name: str = "", source: str = "") -> PriceIndex:
        """Build from a pandas Series indexed by year."""
        return cls(series, name=name or str(series.name or ""), source=source)

    def factor(self, from_year: int, to_year: int) -> float:
        """Multiplier that moves a value from ``from_year`` prices to ``to_year`` prices.

        Raises
        ------
        ValidationError
            When either year is missing from the index.
        """
        c = Checker()
        for label, y in (("from_year", from_year), ("to_year", to_year)):
            if y not in self.values:
                c.add(
                    label,
                    "missing_year",
                    f"price index {self.name!r} has no value for {y}; "
                    f"it covers {min(self.values)}-{max(self.values)}",
                )
        c.raise_if_errors()
        return self.values[to_year] / self.values[from_year]


def volunteer_time(
    hours: float,
    rate: float,
    *,
    label: str = "Volunteer time",
    stakeholder: str = "volunteers",
    year: int = 0,
    source: str = "",
) -> Any:
    """A non-cash :class:`~impactkit.Input` worth ``hours × rate``.

    Parameters
    ----------
    hours : float
        Hours given [hours].
    rate : float
        Value of one hour [currency/hour], e.g. the loaded minimum wage or the
        market wage of the equivalent job; say which in ``source``.
    label, stakeholder : str
        Input label and contributing stakeholder.
    year : int, default 0
        Year the time is given.
    source : str
        Justification of the rate.

    Examples
    --------
    >>> volunteer_time(500, 12).amount
    6000.0
    """
    from impactkit.model import Input

    c = Checker()
    c.number(hours, "hours", low=0.0)
    c.number(rate, "rate", low=0.0)
    c.raise_if_errors()
    desc = f"{hours:g} hours x {rate:g} per hour"
    return Input(
        label,
        amount=float(hours) * float(rate),
        stakeholder=stakeholder,
        year=year,
        in_kind=True,
        source=source,
        description=desc,
    )


def in_kind(
    label: str, value: float, *, stakeholder: str = "", year: int = 0, source: str = ""
) -> Any:
    """A non-cash :class:`~impactkit.Input` (donated goods, free premises) at market value.

    Examples
    --------
    >>> in_kind("Premises lent by the town", 12_000, stakeholder="town").in_kind
    True
    """
    from impactkit.model import Input

    if not is_number(value):
        raise ValidationError(f"expected a number, got {value!r}", path=("value",), code="type")
    return Input(
        label, amount=float(value), stakeholder=stakeholder, year=year, in_kind=True, source=source
    )
