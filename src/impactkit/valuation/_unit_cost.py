"""Unit costs of public services and the payer levels that bear them.

A :class:`UnitCost` is the public cost of one unit of a service (a day in
hospital, a month of a measure), with its payer level, price year, source and
whether it is a marginal or an average cost (docs/methods/avoided_costs.md).
"""

from __future__ import annotations

from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from impactkit._validation import Checker
from impactkit.errors import Problem, ValidationError

__all__ = ["PAYER_LEVELS", "UnitCost"]

PAYER_LEVELS: tuple[str, ...] = ("etat", "securite_sociale", "departement", "commune")
"""The payer levels avoided costs and cost-benefit perspectives sum by: the State,
social security, départements, communes (catalogue payers map onto them)."""


@attrs.frozen
class UnitCost:
    """One entry of a unit-cost catalogue.

    Parameters
    ----------
    key : str
        Identifier (``"hospital_day"``).
    label : str
        Description.
    cost : float
        Public cost of one unit [currency/unit].
    unit : str
        What a unit is (``"day"``, ``"person-year"``).
    payer : str
        Who pays: ``etat``, ``securite_sociale``, ``departement`` or ``commune``.
    price_year : int
        Year of the prices.
    source : str
        Where the figure comes from.
    basis : {"marginal", "average"}
        Marginal costs are released when demand falls; an average cost (a
        *prix de journée*) overstates savings when no capacity closes.
    covers : str, optional
        The real-world expense the cost stands for; two entries covering the
        same expense at different payer levels would count the same euro twice.
    transfer : bool, default False
        A benefit payment (a transfer): counted in the public-finance view,
        not as net social value.
    benefit_in_kind : bool, default False
        An allowance earmarked to buy help (PCH, APA): a saving only if the
        help is no longer consumed.
    currency : str, default "EUR"

    Examples
    --------
    One night in an emergency shelter paid by the State (an illustrative
    figure, not a sourced one):

    >>> night = UnitCost("nuitee_chu", "Nuitée en centre d'hébergement d'urgence", 30.0,
    ...                  "night", "etat", 2024, "illustrative")
    >>> night.cost, night.payer, night.basis
    (30.0, 'etat', 'marginal')

    A whole catalogue is read from a table, one row per cost:

    >>> df = pd.DataFrame({"key": ["nuitee_chu", "journee_hopital"],
    ...                    "label": ["Nuitée en CHU", "Journée d'hospitalisation"],
    ...                    "cost": [30.0, 1_200.0], "unit": ["night", "day"],
    ...                    "payer": ["etat", "securite_sociale"], "price_year": [2024, 2024],
    ...                    "source": ["illustrative", "illustrative"],
    ...                    "basis": ["marginal", "average"]})
    >>> cat = UnitCost.catalogue(df)
    >>> sorted(cat), cat["journee_hopital"].basis
    (['journee_hopital', 'nuitee_chu'], 'average')
    """

    key: str
    label: str
    cost: float
    unit: str
    payer: str
    price_year: int
    source: str
    basis: Literal["marginal", "average"] = "marginal"
    covers: str = ""
    transfer: bool = False
    currency: str = "EUR"
    benefit_in_kind: bool = False

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.key, "key", empty=False)
        for flag in ("transfer", "benefit_in_kind"):
            if not isinstance(getattr(self, flag), bool | np.bool_):
                c.add(flag, "type", f"expected true or false, got {getattr(self, flag)!r}")
        if self.benefit_in_kind and not self.transfer:
            c.add("benefit_in_kind", "benefit_in_kind", "a benefit in kind is a transfer too")
        c.text(self.label, "label", empty=False)
        c.number(self.cost, "cost", low=0.0)
        c.text(self.unit, "unit", empty=False)
        c.choice(self.payer, "payer", PAYER_LEVELS)
        c.number(self.price_year, "price_year", low=1800, high=2200, integer=True)
        c.text(self.source, "source")
        c.choice(self.basis, "basis", ("marginal", "average"))
        c.raise_if_errors()

    @classmethod
    def catalogue(cls, df: pd.DataFrame) -> dict[str, UnitCost]:
        """Read a catalogue from a DataFrame with the field names as columns.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit cost, the field names as columns.

        Returns
        -------
        dict of str to UnitCost
            Keyed by ``key``.

        Raises
        ------
        ValidationError
            Listing every bad row and field.
        """
        out: dict[str, UnitCost] = {}
        probs: list[Problem] = []
        names = {f.name for f in attrs.fields(cls)}
        for i, rec in enumerate(df.to_dict(orient="records")):
            kw = {str(k): v for k, v in rec.items() if k in names and not _is_na(v)}
            try:
                u = cls(**kw)
            except ValidationError as exc:
                probs.extend(p.prefixed("catalogue", i) for p in exc.problems)
                continue
            except TypeError as exc:
                probs.append(Problem(("catalogue", i), "missing", str(exc)))
                continue
            if u.key in out:
                probs.append(
                    Problem(("catalogue", i, "key"), "duplicate_id", f"duplicate key {u.key!r}")
                )
            out[u.key] = u
        if probs:
            raise ValidationError(probs)
        return out


def _is_na(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v))
