"""The admissible values of every numeric field, declared once.

The model validators (:class:`~impactkit.OutcomeValuation`,
:class:`~impactkit.Input`, :class:`~impactkit.discount.Constant`), the value map
the uncertainty tools clip to, the portfolio's vectorised checks of tidy tables,
the JSON Schema of model files and the spreadsheet reader all read
:data:`FIELD_RULES`; none of them writes a range of its own.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType

import attrs
import numpy as np
import numpy.typing as npt

from impactkit.errors import Problem

__all__ = ["FIELD_RULES", "MAX_DURATION", "MAX_START_YEAR", "FieldRule", "rule"]

MAX_DURATION = 300
"""Longest admissible duration, input year or horizon [years]."""

MAX_START_YEAR = 100
"""Latest admissible start year of an outcome (a forecast's last cohort) [years]."""


@attrs.frozen
class FieldRule:
    """The admissible values of one numeric field.

    Attributes
    ----------
    name : str
        Field name, as in model files and tidy tables.
    low, high : float or None
        Closed bounds (None: unbounded); ``low_open`` makes the lower bound open.
    integer : bool
        Whole numbers only (a distribution may still be given, as for ``duration``).
    choices : tuple of float, optional
        The only admissible values (none of the built-in fields uses it now).
    default : float or None
        Value of an omitted field; None when the field is required.
    unit : str
        Unit, for documentation and spreadsheets.
    """

    name: str
    low: float | None = None
    high: float | None = None
    low_open: bool = False
    integer: bool = False
    choices: tuple[float, ...] | None = None
    default: float | None = None
    unit: str = ""

    @property
    def range_text(self) -> str:
        """The range as text, e.g. ``[0, 1]`` or ``(-1, inf]``."""
        if self.choices is not None:
            return "{" + ", ".join(f"{c:g}" for c in self.choices) + "}"
        lo = "-inf" if self.low is None else f"{self.low:g}"
        hi = "inf" if self.high is None else f"{self.high:g}"
        return f"{'(' if self.low_open else '['}{lo}, {hi}]"

    def bad(self, values: npt.ArrayLike) -> npt.NDArray[np.bool_]:
        """Mask of the values that break the rule (vectorised; infinite values break
        every rule, NaN is not judged: missing values are the caller's matter).

        Examples
        --------
        >>> FIELD_RULES["deadweight"].bad([0.2, 1.5, float("nan"), float("inf")]).tolist()
        [False, True, False, True]
        """
        x = np.asarray(values, dtype=float)
        big = np.finfo(float).max
        with np.errstate(invalid="ignore"):
            if self.choices is not None:
                ok = np.zeros(x.shape, dtype=bool)
                for c in self.choices:
                    ok |= x == c
                return np.asarray(~ok & (x == x), dtype=bool)  # x == x: not NaN
            lo = -big if self.low is None else self.low
            hi = big if self.high is None else self.high
            # comparisons with NaN are False: NaN is never flagged, infinities always are
            out = ((x <= lo) if self.low_open else (x < lo)) | (x > hi)
            if self.integer:
                out |= (x - np.floor(x)) > 0
        return np.asarray(out, dtype=bool)

    def problems(self, value: object, path: Sequence[str | int]) -> list[Problem]:
        """Problems of a number-or-distribution value against this rule."""
        from impactkit.dist import Distribution, problems_in_number

        return problems_in_number(
            value,
            path,
            low=self.low,
            high=self.high,
            low_open=self.low_open,
            integer=self.integer and not isinstance(value, Distribution),
        )

    def json_schema(self) -> dict[str, object]:
        """The JSON Schema of a plain number obeying the rule."""
        out: dict[str, object] = {"type": "integer" if self.integer else "number"}
        if self.choices is not None:
            return {"enum": [int(c) if float(c).is_integer() else c for c in self.choices]}
        if self.low is not None:
            out["exclusiveMinimum" if self.low_open else "minimum"] = _num(self.low)
        if self.high is not None:
            out["maximum"] = _num(self.high)
        return out


def _num(x: float) -> int | float:
    return int(x) if float(x).is_integer() else x


def _fraction(name: str) -> FieldRule:
    return FieldRule(name, low=0.0, high=1.0, default=0.0, unit="fraction")


FIELD_RULES: Mapping[str, FieldRule] = MappingProxyType(
    {
        "quantity": FieldRule("quantity", low=0.0, unit="people or units"),
        "proxy": FieldRule("proxy", unit="currency per unit"),
        "duration": FieldRule(
            "duration", low=0.0, high=MAX_DURATION, integer=True, default=1.0, unit="years"
        ),
        "start_year": FieldRule(
            "start_year", low=1.0, high=MAX_START_YEAR, integer=True, default=1.0, unit="year"
        ),
        "deadweight": _fraction("deadweight"),
        "displacement": _fraction("displacement"),
        "attribution": _fraction("attribution"),
        "leakage": _fraction("leakage"),
        "drop_off": _fraction("drop_off"),
        "price_factor": FieldRule("price_factor", low=0.0, low_open=True, default=1.0),
        "amount": FieldRule("amount", low=0.0, unit="currency"),
        "year": FieldRule(
            "year", low=0.0, high=MAX_DURATION, integer=True, default=0.0, unit="year"
        ),
        "rate": FieldRule("rate", low=-1.0, low_open=True, unit="fraction per year"),
    }
)
"""Every numeric field of outcomes, inputs and discounting with its admissible values.

``price_factor`` is the multiplier that moves a proxy to the model's base-year
prices (the tidy-table form of a price index); ``year`` is an input's year.
"""


def rule(name: str) -> FieldRule:
    """The rule of field ``name``."""
    return FIELD_RULES[name]


OPS: tuple[str, ...] = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "notna", "isna")
"""Operators a row condition of a measurement calculator may use (model files name them)."""
