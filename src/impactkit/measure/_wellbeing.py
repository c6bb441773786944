r"""Wellbeing valuation: life-satisfaction change to WELLBYs, and the money value of a WELLBY.

A WELLBY is a one-point change in life satisfaction, on the 0-10 scale
("Overall, how satisfied are you with your life nowadays?"), for one person
for one year (docs/methods/decision.md). The HM Treasury supplementary Green
Book guidance on wellbeing (July 2021) values a WELLBY at £13,000 in 2019
prices and values [1]_; the guidance gives a low-high range of
£10,000-£16,000 for sensitivity analysis, which :func:`wellby_proxy` offers as
a triangular distribution.

There is no silent currency conversion: the value is in pounds sterling, and
a value in euros needs an exchange rate (and its source) given by the user.

References
----------
.. [1] HM Treasury, Social Impact Task Force (2021). Wellbeing Guidance for
   Appraisal: Supplementary Green Book Guidance. July 2021.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import ClassVar

import attrs
import pandas as pd

from impactkit._validation import Checker
from impactkit.dist import Triangular
from impactkit.measure._calculators import (
    MeasureResult,
    _by,
    _Calculator,
    paired_t_interval,
)
from impactkit.measure._filters import Condition, conditions
from impactkit.valuation import (
    WELLBY_GREEN_BOOK_2019,
    WELLBY_HIGH_2019,
    WELLBY_LOW_2019,
    FinancialProxy,
)

__all__ = [
    "LifeSatisfaction",
    "wellby_proxy",
]


_SOURCE = (
    "HM Treasury (2021), Wellbeing Guidance for Appraisal: Supplementary Green Book "
    "Guidance; £13,000 per WELLBY (range £10,000-£16,000), 2019 prices and values"
)


@attrs.frozen
class LifeSatisfaction(_Calculator):
    r"""WELLBYs gained per year from life satisfaction measured before and after (0-10).

    The quantity is the sum over people of their change in life satisfaction,
    i.e. the WELLBYs of one year; multiplied by a WELLBY value
    (:func:`wellby_proxy`) and a duration in the value map, it gives the
    money value of the wellbeing change.

    Parameters
    ----------
    baseline, followup : str
        Columns of life satisfaction (0-10) before and after.
    low, high : float, default 0 and 10
        Ends of the scale; a value outside is an error listing the rows.
    level : float, default 0.95
        Confidence level of the interval of the mean change, in (0, 1)
        (at 1 a t interval is infinite).
    where, by, data
        Row filter, grouping columns and data source name, as in
        :class:`~impactkit.measure.Count`.

    Notes
    -----
    :math:`\text{WELLBY per year} = \sum_i (LS_{i1} - LS_{i0})`, with a paired
    t interval of the mean change; the standard error of the sum is
    :math:`\sqrt n\, s_\Delta`. People with either measurement missing are
    counted in ``missing``. This is the *gross* change: deadweight (the change
    a comparison group shows) is applied in the value map, as for any outcome.

    References
    ----------
    .. [1] HM Treasury (2021). Wellbeing Guidance for Appraisal: Supplementary
       Green Book Guidance.

    Examples
    --------
    >>> df = pd.DataFrame({"ls0": [5, 6, 4, None], "ls1": [6, 6.5, 5.5, 7]})
    >>> r = LifeSatisfaction(baseline="ls0", followup="ls1").compute(df)
    >>> r.quantity, r.n, r.missing, r.mean_change
    (3.0, 3, 1, 1.0)
    """

    name: ClassVar[str] = "life_satisfaction"
    _t_interval: ClassVar[bool] = True
    stage: ClassVar[str] = "outcome"
    baseline: str
    followup: str
    low: float = 0.0
    high: float = 10.0
    level: float = 0.95
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)

    def _check(self, c: Checker) -> None:
        c.text(self.baseline, "baseline", empty=False)
        c.text(self.followup, "followup", empty=False)
        ok = c.number(self.low, "low") & c.number(self.high, "high")
        if ok and not self.low < self.high:
            c.add("high", "out_of_range", f"high ({self.high}) must exceed low ({self.low})")

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        return ((("baseline",), self.baseline), (("followup",), self.followup))

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        y0 = self._numeric(df[self.baseline], "baseline")
        y1 = self._numeric(df[self.followup], "followup")
        c = Checker()
        for field, s in (("baseline", y0), ("followup", y1)):
            bad = s[s.notna() & ((s < self.low) | (s > self.high))]
            if len(bad):
                c.add(
                    field,
                    "out_of_range",
                    f"{len(bad)} values outside [{self.low:g}, {self.high:g}] in column "
                    f"{s.name!r} (rows {list(bad.index[:5])})",
                )
        c.raise_if_errors()
        ok = y0.notna() & y1.notna()
        d = (y1[ok] - y0[ok]).to_numpy(dtype=float)
        n = int(ok.sum())
        sd = float(d.std(ddof=1)) if n >= 2 else None
        return self._result(
            df,
            quantity=float(d.sum()),
            n=n,
            missing=int((~ok).sum()),
            mean_change=float(d.mean()) if n else None,
            ci=paired_t_interval(d, self.level) if n >= 2 else None,
            se=math.sqrt(n) * sd if sd is not None else None,
            level=self.level,
        )


def wellby_proxy(
    *,
    distribution: bool = False,
    rate: float | None = None,
    currency: str | None = None,
    rate_source: str = "",
) -> FinancialProxy:
    """The money value of one WELLBY as a :class:`~impactkit.FinancialProxy`.

    Parameters
    ----------
    distribution : bool, default False
        False: the central £13,000; True: a triangular distribution on
        £10,000-£16,000 with mode £13,000, for Monte Carlo.
    rate : float, optional
        Units of ``currency`` per pound sterling. Without it the proxy stays
        in GBP (and a model in another currency refuses it): impactkit never
        converts currencies silently.
    currency : str, optional
        ISO code of the converted value; required with ``rate``.
    rate_source : str
        Where the exchange rate comes from (recorded in the proxy's source).

    Returns
    -------
    FinancialProxy
        Per WELLBY, price year 2019, with its source.

    Raises
    ------
    ValidationError
        When ``rate`` and ``currency`` are not given together or ``rate`` is
        not positive.

    Notes
    -----
    Converting with an exchange rate keeps the 2019 price year: re-express
    the value in the model's base year with a price index of that currency.
    A market exchange rate is not a purchasing-power parity; say which one
    you used in ``rate_source``.

    Examples
    --------
    >>> wellby_proxy().value, wellby_proxy().currency, wellby_proxy().year
    (13000.0, 'GBP', 2019)
    >>> p = wellby_proxy(rate=1.18, currency="EUR", rate_source="illustrative rate")
    >>> round(p.value, 2), p.currency
    (15340.0, 'EUR')
    """
    c = Checker()
    if (rate is None) != (currency is None):
        c.add("rate", "missing", "give both rate and currency to convert, or neither")
    if rate is not None:
        c.number(rate, "rate", low=0.0, low_open=True)
    c.text(rate_source, "rate_source")
    c.raise_if_errors()
    factor = 1.0 if rate is None else float(rate)
    value: float | Triangular = WELLBY_GREEN_BOOK_2019 * factor
    if distribution:
        value = Triangular(
            WELLBY_LOW_2019 * factor, WELLBY_GREEN_BOOK_2019 * factor, WELLBY_HIGH_2019 * factor
        )
    source = _SOURCE
    if rate is not None:
        source += f"; converted at {rate:g} {currency} per GBP" + (
            f" ({rate_source})" if rate_source else ""
        )
    return FinancialProxy(
        value,
        currency=currency or "GBP",
        year=2019,
        source=source,
        unit="WELLBY",
        description="One point of life satisfaction (0-10) for one person for one year",
    )
