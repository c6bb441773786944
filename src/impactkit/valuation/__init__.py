r"""Valuation: financial proxies, price-year indexing and non-cash inputs.

A :class:`FinancialProxy` is a money value per unit of outcome per year, with
its currency, the *price year* its value is expressed in, and its source.
Before evaluation every proxy is re-expressed in the model's base year through
a user-supplied :class:`PriceIndex` (a consumer price index, a GDP deflator):

.. math:: P_{base} = P_{y} \times \frac{I_{base}}{I_{y}}

There is never a silent currency conversion: a proxy in another currency than
the model's is an error.

Non-cash inputs (volunteer time, donated goods, free premises) are valued at
market or replacement cost (SROI Guide 2012, docs/methods/sroi.md):
:func:`volunteer_time` multiplies hours by an hourly rate whose choice
(minimum wage loaded with charges, market wage of the equivalent job) the
caller states in ``source``.

Layer: model (see the architecture page). Uses the foundation only.

References
----------
.. [1] Nicholls, J., Lawlor, E., Neitzert, E., Goodspeed, T. (2012). A Guide to
   Social Return on Investment. The SROI Network.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit._results import FrozenDict, Summary, html_table
from impactkit._validation import Checker, as_float, is_number
from impactkit.dist import Distribution, central, problems_in_number
from impactkit.errors import ValidationError
from impactkit.valuation._catalogue import (
    catalogue,
    proxy_from_catalogue,
    unit_cost_from_catalogue,
)
from impactkit.valuation._equity import GREEN_BOOK_ETA, EquityWeights, distributional_weights

__all__ = [
    "GREEN_BOOK_ETA",
    "EquityWeights",
    "FinancialProxy",
    "PriceIndex",
    "catalogue",
    "distributional_weights",
    "in_kind",
    "proxy_from_catalogue",
    "unit_cost_from_catalogue",
    "volunteer_time",
]


def _number(x: Any) -> float | Distribution:
    if isinstance(x, Distribution):
        return x
    return as_float(x)  # type: ignore[no-any-return]  # others are reported by the validator


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
        payment saved, a tax or social contribution). A transfer is a gain to
        one party and a loss to another: :func:`impactkit.lint` flags a
        transfer valued on one side only, or twice with the same sign; valued
        on both sides with opposite signs it nets out of the society view,
        which is correct (see docs/methods/avoided_costs.md).
    benefit_in_kind : bool, default False
        The value is an allowance earmarked to buy help (PCH, APA): it is a
        saving only if the help is no longer consumed (a transfer too, so
        ``transfer`` must name it).
    index_rule : str, optional
        The index the value's own guidance moves it with between price years
        when it is not a consumer price index (e.g. ``"GDP per head"`` for the
        value of a statistical life). :func:`impactkit.lint` warns when a
        model moves such a value with its price index.

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
    benefit_in_kind: bool = False
    index_rule: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.extend(problems_in_number(self.value, ("value",)))
        if not isinstance(self.benefit_in_kind, bool):
            c.add(
                "benefit_in_kind", "type", f"expected true or false, got {self.benefit_in_kind!r}"
            )
        elif self.benefit_in_kind and not self.transfer:
            c.add(
                "benefit_in_kind",
                "benefit_in_kind",
                "a benefit in kind is a transfer too: name it in transfer",
            )
        if self.currency is not None:
            _check_currency(c, self.currency, "currency")
        if self.year is not None:
            c.number(self.year, "year", low=1800, high=2200, integer=True)
        for name in ("source", "description", "unit", "transfer", "index_rule"):
            c.text(getattr(self, name), name)
        c.raise_if_errors()

    @property
    def central_value(self) -> float:
        """The value used by point evaluation."""
        return central(self.value)


def _check_currency(c: Checker, value: Any, path: str | tuple[str | int, ...]) -> None:
    if not (isinstance(value, str) and len(value) == 3 and value.isalpha() and value.isupper()):
        c.add(path, "currency", f"expected an ISO 4217 code such as 'EUR', got {value!r}")


def _year_key(k: Any) -> Any:
    """A whole-number year as ``int``; anything else is kept for the validator to report."""
    if isinstance(k, bool | np.bool_):
        return k
    if isinstance(k, int | np.integer):
        return int(k)
    if isinstance(k, float | np.floating) and float(k).is_integer():
        return int(k)
    return k


def _index_values(x: Any) -> Any:
    if isinstance(x, pd.Series):
        x = x.to_dict()
    if isinstance(x, Mapping):
        out: dict[Any, Any] = {}
        for k, v in x.items():
            out[_year_key(k)] = as_float(v)
        # read-only: a price index is a value, shared by every model that holds it
        return FrozenDict(dict(sorted(out.items(), key=lambda kv: _order(kv[0]))))
    return x  # reported by the validator


def _order(k: Any) -> tuple[int, int, str]:
    return (0, k, "") if isinstance(k, int) and not isinstance(k, bool) else (1, 0, str(k))


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
                if not isinstance(k, int) or isinstance(k, bool):
                    c.add(("values", str(k)), "type", f"year must be a whole number, got {k!r}")
                c.number(v, ("values", str(k)), low=0.0, low_open=True)
        c.text(self.name, "name")
        c.text(self.source, "source")
        c.raise_if_errors()

    def __repr__(self) -> str:
        years = sorted(self.values)
        name = self.name if len(self.name) <= 60 else self.name[:59] + "\u2026"
        label = f" {name!r}" if name else ""
        return f"<PriceIndex{label}: {len(years)} years, {years[0]}-{years[-1]}>"

    def _repr_html_(self) -> str:
        years = sorted(self.values)
        lines = (
            ("Name", self.name or "-"),
            ("Years", f"{years[0]}-{years[-1]} ({len(years)} values)"),
            ("Source", self.source or "-"),
        )
        table = pd.DataFrame({"year": years, "level": [float(self.values[y]) for y in years]})
        return html_table(Summary("Price index", lines, table))

    @classmethod
    def from_series(cls, series: pd.Series, *, name: str = "", source: str = "") -> PriceIndex:
        """Build from a pandas Series indexed by year.

        Parameters
        ----------
        series : pandas.Series
            Index values by year.
        name : str, optional
            Name of the index; default the Series name.
        source : str, optional
            Where the values come from.

        Returns
        -------
        PriceIndex
        """
        return cls(series, name=name or str(series.name or ""), source=source)

    @classmethod
    def insee_cpi(cls) -> PriceIndex:
        """INSEE consumer price index, all households, France, base 2015, annual averages.

        The annual series 001764363 (« Indice annuel des prix à la consommation -
        Base 2015 - Ensemble des ménages - France - Ensemble ») as shipped in
        ``impactkit/valuation/data/insee_cpi.csv``, whose header and
        :attr:`source` say where each year was read. It covers 1998-2025.
        Every level was read in INSEE data except 2024 (119.82), which is
        derived: the only two-decimal level consistent with the read 2023 and
        2025 levels and with the series' annual variations published to five
        decimals (the file's ``status`` column marks it ``derived``).

        Returns
        -------
        PriceIndex

        References
        ----------
        .. [1] INSEE, Indice des prix à la consommation - Base 2015 - Ensemble
           des ménages - France, série annuelle 001764363,
           https://www.insee.fr/fr/statistiques/serie/001764363

        Examples
        --------
        >>> cpi = PriceIndex.insee_cpi()
        >>> cpi.values[2015], cpi.values[2023]
        (100.0, 117.47)
        >>> round(cpi.factor(2020, 2023), 6)   # 117.47 / 104.73
        1.121646
        """
        from impactkit.valuation._catalogue import insee_cpi_values

        values, name, source = insee_cpi_values()
        return cls(values, name=name, source=source)

    def factor(self, from_year: int, to_year: int) -> float:
        """Multiplier that moves a value from ``from_year`` prices to ``to_year`` prices.

        Parameters
        ----------
        from_year, to_year : int
            Price years.

        Returns
        -------
        float
            ``I[to_year] / I[from_year]``.

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

    Returns
    -------
    Input
        With ``in_kind=True``.

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

    Parameters
    ----------
    label : str
        What is given.
    value : float
        Market value [currency].
    stakeholder : str, optional
        Who gives it.
    year : int, default 0
        Year of the input (0 = start, undiscounted).
    source : str, optional
        Where the market value comes from.

    Returns
    -------
    Input
        With ``in_kind=True``.

    Raises
    ------
    ValidationError
        When ``value`` is not a finite number of at least 0.

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
