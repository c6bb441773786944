"""Shared pieces of the sector examples: catalogue proxies, price index, synthetic counts
before and after, EQ-5D-5L waves, missing values."""

from __future__ import annotations

from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit.discount import FRANCE_2021
from impactkit.examples._sectors._french import french
from impactkit.model import ImpactModel, Input, OutcomeValuation, to_dict
from impactkit.toc import TheoryOfChange
from impactkit.valuation import FinancialProxy, PriceIndex, catalogue, proxy_from_catalogue

__all__ = [
    "BASE_YEAR",
    "CATALOGUE_TAG",
    "before_after",
    "catalogue_proxy",
    "catalogue_row",
    "counts_before_after",
    "cpi",
    "eq5d_waves",
    "french_translations",
    "holes",
    "marginal_note",
    "sector_model",
    "weekly_hours",
    "zarit_waves",
]

BASE_YEAR = 2025
"""Base year of every sector example (prices and discounting): the latest complete
year of the shipped INSEE consumer price index."""

CATALOGUE_TAG = "[catalogue:{}] "
"""Prefix of a proxy's source naming the catalogue entry it comes from."""


def catalogue_row(entry_id: str) -> pd.Series:
    """The row of the reference catalogue with this id."""
    cat = catalogue()
    return cat.loc[cat["id"] == entry_id].iloc[0]


def catalogue_proxy(
    entry_id: str,
    *,
    transfer: str = "",
    description: str = "",
    unit: str = "",
    times: float = 1.0,
    sign: float = 1.0,
) -> FinancialProxy:
    """A financial proxy from the reference catalogue, with its price year and source.

    The source starts with ``[catalogue:<id>]`` then names the publication (or
    says the entry is illustrative). A value whose guidance moves it with
    another index than consumer prices (the value of a life-year, with GDP per
    head) is kept at its stated amount as a base-year value, and the source
    says so. ``times`` scales a unit value (a daily
    price times a number of days, said in ``description``); ``sign`` -1 makes
    a negative row (a loss to the stakeholder).
    """
    p: FinancialProxy = proxy_from_catalogue(entry_id, transfer=transfer)
    row = catalogue_row(entry_id)
    source = CATALOGUE_TAG.format(entry_id) + p.source
    year = p.year
    if p.index_rule:
        # the guidance moves this value with another index than consumer prices; no such
        # series is applied here, so the amount is kept as stated, in base-year terms
        year = BASE_YEAR
        source += (
            f" Kept at its stated amount as a {BASE_YEAR} value, not revalued from "
            f"{int(row['year'])}: its guidance moves it with {p.index_rule}, which the "
            "example does not apply (an understatement)."
        )
    return attrs.evolve(
        p,
        value=sign * times * float(row["value"]),
        description=description or str(row["label_fr"]),
        unit=unit or p.unit,
        source=source,
        year=year,
    )


def marginal_note(share: float, why: str) -> str:
    """The ``sources["proxy"]`` note of an average cost counted as a saving.

    An average cost (a budget divided by a volume) overstates what one unit
    less releases; the model's ``metadata["marginal_shares"]`` gives, per
    outcome, the share of the average kept in the sensitivity case, and this
    note says why.
    """
    return (
        f"Average cost used as a saving; sensitivity case: {share:.0%} of it is released "
        f"when one unit is avoided (metadata marginal_shares). {why}"
    )


def cpi() -> PriceIndex:
    """INSEE consumer price index (annual averages), used to reach the base year."""
    return PriceIndex.insee_cpi()


def holes(rng: np.random.Generator, values: Any, rate: float) -> np.ndarray[Any, Any]:
    """A float copy of ``values`` with a share ``rate`` of entries set missing."""
    out = np.asarray(values, dtype=float).copy()
    out[rng.random(out.shape[0]) < rate] = np.nan
    return out


def counts_before_after(
    rng: np.random.Generator, n: int, *, before: float, fall: Any, new: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Synthetic counts of events (visits, stays, falls) in the 12 months before entry and
    after: Poisson(``before``) before; after, those less a Poisson(``fall``) drop, floored
    at 0, plus Poisson(``new``) new ones (``fall`` may vary by person)."""
    b = rng.poisson(before, n).astype(float)
    a = np.maximum(b - rng.poisson(fall, n), 0) + rng.poisson(new, n)
    return b, a


def weekly_hours(
    rng: np.random.Generator, employed: np.ndarray[Any, Any], *, mean: float, sd: float, low: float
) -> np.ndarray[Any, Any]:
    """Synthetic contractual weekly hours of the job held at follow-up: Normal(``mean``,
    ``sd``) rounded and bounded to [``low``, 35] for people in work, 0 for those not in
    work, missing where ``employed`` is missing (lost to follow-up)."""
    hours: np.ndarray[Any, Any] = np.clip(
        np.round(rng.normal(mean, sd, employed.shape[0])), low, 35
    )
    hours[employed == 0] = 0.0
    hours[np.isnan(employed)] = np.nan
    return hours


def zarit_waves(
    rng: np.random.Generator, n: int, *, share: float, relief: float
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Synthetic burden of a relative or family carer on the Zarit scale (0-88) at entry
    and at 12 months, lower by ``relief`` on average; missing for the people without one
    (a share ``1 - share``)."""
    has_one = rng.random(n) < share
    z0 = np.where(has_one, np.clip(np.round(rng.normal(38, 12, n)), 0, 88), np.nan)
    z1 = np.where(has_one, np.clip(np.round(z0 - rng.normal(relief, 8, n)), 0, 88), np.nan)
    return z0, z1


def before_after(name: str, before: Any, after: Any) -> dict[str, Any]:
    """The columns ``<name>_before``, ``<name>_after`` and ``<name>_avoided`` (before less
    after) of a count measured before entry and after."""
    return {f"{name}_before": before, f"{name}_after": after, f"{name}_avoided": before - after}


def eq5d_waves(
    rng: np.random.Generator,
    n: int,
    *,
    severity: float,
    change: float,
    weights: tuple[float, float, float, float, float] = (1.0, 0.8, 1.0, 0.9, 0.7),
    nonresponse: tuple[float, float] = (0.04, 0.12),
) -> pd.DataFrame:
    """Synthetic EQ-5D-5L levels at entry (``_t0``) and at 12 months (``_t1``).

    A latent severity per person (mean ``severity``, lower after by ``change``
    on average) sets the level of each dimension (1-5) with its ``weights``
    and some noise; a share ``nonresponse`` of people skip each wave, and one
    answer in a hundred is left blank (incomplete profile). Columns
    ``eq5d_mo_t0`` ... ``eq5d_ad_t1``, as :class:`~impactkit.measure.QALYGain`
    reads them.
    """
    from impactkit.measure import EQ5D5L_COLUMNS

    before = rng.normal(severity, 0.8, n)
    after = before - rng.normal(change, 0.5, n)
    out: dict[str, np.ndarray[Any, Any]] = {}
    for wave, latent, skip in (("t0", before, nonresponse[0]), ("t1", after, nonresponse[1])):
        absent = rng.random(n) < skip
        for col, w in zip(EQ5D5L_COLUMNS, weights, strict=True):
            level = np.clip(np.round(1 + w * latent + rng.normal(0, 0.6, n)), 1, 5)
            level[absent] = np.nan
            out[f"{col}_{wave}"] = holes(rng, level, 0.01)
    return pd.DataFrame(out)


def sector_model(
    name: str,
    *,
    title: str,
    sector: str,
    description: str,
    toc: TheoryOfChange,
    inputs: list[Input],
    outcomes: list[OutcomeValuation],
    marginal_shares: dict[str, float] | None = None,
) -> ImpactModel:
    """The evaluative model of a sector example: euros at base-year prices moved with the
    INSEE index, the French discount rate (France Stratégie 2021), French labels.

    ``marginal_shares`` maps each outcome valued with an average cost to the
    share of that cost its sensitivity case keeps (see :func:`marginal_note`).
    The model's texts written in English get their French in
    ``translations["fr"]`` (see :func:`french_translations`).
    """
    metadata: dict[str, Any] = {"lang": "fr", "sector": sector, "example": name}
    if marginal_shares:
        metadata["marginal_shares"] = dict(marginal_shares)
    model = ImpactModel(
        name=title,
        currency="EUR",
        base_year=BASE_YEAR,
        discount=FRANCE_2021,
        toc=toc,
        inputs=inputs,
        outcomes=outcomes,
        price_index=cpi(),
        mode="evaluative",
        description=description,
        metadata=metadata,
    )
    return attrs.evolve(model, translations={"fr": french_translations(model)})


def french_translations(model: ImpactModel) -> dict[str, str]:
    """The French of every text of ``model`` written in English that has one, by text.

    Walks the model's file form, so that every text a report may show (the
    description, labels, justifications, assumptions, sources) is found.
    """
    texts: set[str] = set()

    def walk(x: Any) -> None:
        if isinstance(x, str):
            texts.add(x)
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, list | tuple):
            for v in x:
                walk(v)

    walk(to_dict(model))
    out = {s: fr for s in sorted(texts) if (fr := french(s)) is not None}
    return out
