"""Non-cash inputs valued: volunteers' time and gifts in kind.

See docs/methods/sroi.md, "Valuing inputs".
"""

from __future__ import annotations

from impactkit._validation import Checker, is_number
from impactkit.errors import ValidationError
from impactkit.model._model import Input

__all__ = ["in_kind", "volunteer_time"]


def volunteer_time(
    hours: float,
    rate: float,
    *,
    label: str = "Volunteer time",
    stakeholder: str = "volunteers",
    year: int = 0,
    source: str = "",
) -> Input:
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
) -> Input:
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
    if not is_number(value):
        raise ValidationError(f"expected a number, got {value!r}", path=("value",), code="type")
    return Input(
        label, amount=float(value), stakeholder=stakeholder, year=year, in_kind=True, source=source
    )
