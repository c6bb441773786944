"""Shared pieces of the sector examples: catalogue proxies, price index, missing values."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.valuation import FinancialProxy, PriceIndex

__all__ = ["BASE_YEAR", "catalogue_proxy", "catalogue_row", "cpi", "holes"]

BASE_YEAR = 2024
"""Base year of every sector example (prices and discounting)."""


def catalogue_row(entry_id: str) -> pd.Series:
    """The row of the reference catalogue with this id."""
    from impactkit.valuation import catalogue

    cat = catalogue().set_index("id")
    return cat.loc[entry_id]


def catalogue_proxy(
    entry_id: str,
    *,
    transfer: str = "",
    description: str = "",
    unit: str = "",
    times: float = 1.0,
    sign: float = 1.0,
) -> FinancialProxy:
    """A financial proxy taken from the reference catalogue, with its price year and source.

    The source names the catalogue entry (``catalogue:<id>``), then the
    publication; an illustrative entry says so. ``times`` scales a unit value
    (e.g. a daily price times 365 days, said in ``description``); ``sign`` -1
    makes a negative row (a loss to the stakeholder).
    """
    row = catalogue_row(entry_id)
    source = f"catalogue:{entry_id} - {row['source']}"
    url = row.get("url")
    if isinstance(url, str) and url:
        source += f" <{url}>"
    if row["status"] != "sourced":
        source += " [illustratif / illustrative]"
    return FinancialProxy(
        sign * times * float(row["value"]),
        currency=str(row["currency"]),
        year=int(row["year"]),
        unit=unit or str(row["unit"]),
        description=description or str(row["label_fr"]),
        source=source,
        transfer=transfer,
    )


def cpi() -> PriceIndex:
    """INSEE consumer price index (annual averages), used to reach the base year."""
    return PriceIndex.insee_cpi()  # type: ignore[attr-defined, no-any-return]


def holes(rng: np.random.Generator, values: Any, rate: float) -> np.ndarray[Any, Any]:
    """A float copy of ``values`` with a share ``rate`` of entries set missing."""
    out = np.asarray(values, dtype=float).copy()
    out[rng.random(out.shape[0]) < rate] = np.nan
    return out
