"""A synthetic network of establishments built from the six sector examples.

For demonstrations, documentation and benchmarks of the network view: every
site copies the value map of one sector example (its measured rows, proxies at
the base year and haircuts), scaled to the site's size, with regional and
site-level variation in its results. The figures are **synthetic**: they
describe no real establishment.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit._random import as_generator
from impactkit.errors import ValidationError
from impactkit.typing import SeedLike

__all__ = ["REGIONS", "synthetic_network"]

REGIONS: tuple[str, ...] = (
    "Auvergne-Rhône-Alpes",
    "Bourgogne-Franche-Comté",
    "Bretagne",
    "Centre-Val de Loire",
    "Corse",
    "Grand Est",
    "Hauts-de-France",
    "Île-de-France",
    "Normandie",
    "Nouvelle-Aquitaine",
    "Occitanie",
    "Pays de la Loire",
    "Provence-Alpes-Côte d'Azur",
)
"""The thirteen regions of metropolitan France."""

PAYERS = {"etat", "assurance_maladie", "departement", "caf", "commune", "region"}


def _templates() -> list[dict[str, Any]]:
    from impactkit import examples
    from impactkit.dist import central
    from impactkit.methods import sroi

    out = []
    for name in examples.names():
        model = examples.load_example(name, measured=False)
        res = sroi(model, data=examples.load_example_data(name))
        vm = res.value_map()
        rows = []
        for i, row in enumerate(vm.to_dict(orient="records")):
            m = res.measured.get(i)
            share = getattr(m, "share", None)
            rows.append(
                {
                    "outcome": str(row["outcome"]),
                    "label": str(row["label"]),
                    "stakeholder": str(row["stakeholder"]),
                    "quantity": float(row["quantity"]),
                    "proxy": float(row["proxy_value"]),
                    "duration": float(row["duration"]),
                    "start_year": float(row["start_year"]),
                    "deadweight": float(row["deadweight"]),
                    "displacement": float(row["displacement"]),
                    "attribution": float(row["attribution"]),
                    "leakage": float(row["leakage"]),
                    "drop_off": float(row["drop_off"]),
                    "n": float(getattr(m, "n", np.nan)) if share is not None else np.nan,
                    "rate": float(share) if share is not None else np.nan,
                }
            )
        sector = examples.describe(name).sector
        out.append(
            {
                "example": name,
                "sector": sector,
                "rows": pd.DataFrame(rows),
                "inputs": float(sum(central(i.amount) for i in model.inputs)),
            }
        )
    return out


def synthetic_network(
    n_sites: int = 11_000, *, seed: SeedLike = 0
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Tidy outcome and input tables of a synthetic network of establishments.

    Parameters
    ----------
    n_sites : int, default 11,000
        Establishments; each is a copy of one of the six sector examples, in
        equal proportions.
    seed : int, SeedSequence, Generator or None, default 0
        Randomness of sizes, regions and results.

    Returns
    -------
    (pandas.DataFrame, pandas.DataFrame)
        ``outcomes`` (one row per site × outcome: the columns of
        :func:`impactkit.portfolio.evaluate` plus ``sector``, ``region``,
        ``payer`` and the denominator ``n`` of the measured shares) and
        ``inputs`` (``site``, ``amount``).

    Raises
    ------
    ValidationError
        When ``n_sites`` is not a positive whole number.

    Notes
    -----
    A site's size is the example's size times a log-normal factor (median 1,
    sd of the log 0.6). Its measured shares vary by a regional effect (sd 0.08
    on the logit scale) and a site effect (sd 0.25); counted quantities scale
    with size. Payer is the stakeholder when it is a public payer.

    Examples
    --------
    >>> outcomes, inputs = synthetic_network(12, seed=1)
    >>> outcomes["site"].nunique(), len(inputs), sorted(outcomes["sector"].unique())[:2]
    (12, 12, ['addictologie', 'handicap'])
    """
    if not isinstance(n_sites, int | np.integer) or n_sites < 1:
        raise ValidationError(
            f"n_sites must be a whole number >= 1, got {n_sites!r}",
            path=("n_sites",),
            code="out_of_range",
        )
    rng = as_generator(seed)
    templates = _templates()
    k = len(templates)
    kind = np.arange(n_sites) % k
    region_of = rng.integers(0, len(REGIONS), n_sites)
    region_effect = rng.normal(0, 0.08, (k, len(REGIONS)))
    size = np.exp(rng.normal(0, 0.6, n_sites))
    outcome_parts, input_parts = [], []
    width = len(str(n_sites))
    names = np.array([f"ES{i:0{width}d}" for i in range(n_sites)])
    for j, tpl in enumerate(templates):
        idx = np.flatnonzero(kind == j)
        if not len(idx):
            continue
        rows: pd.DataFrame = tpl["rows"]
        m, r = len(idx), len(rows)
        site_rep = np.repeat(idx, r)
        block = pd.concat([rows] * m, ignore_index=True)
        s = np.repeat(size[idx], r)
        shared = block["rate"].notna().to_numpy()
        n = np.maximum(1.0, np.round(block["n"].to_numpy() * s))
        base = np.clip(block["rate"].to_numpy(), 0.02, 0.98)
        logit = np.log(base / (1 - base))
        eff = region_effect[j, region_of[site_rep]] + rng.normal(0, 0.25, m * r)
        p = 1 / (1 + np.exp(-(logit + eff)))
        draws = rng.binomial(np.where(shared, n, 1).astype(np.int64), np.where(shared, p, 0.5))
        q = np.where(shared, draws, np.round(block["quantity"].to_numpy() * s))
        block["quantity"] = q.astype(float)
        block["n"] = np.where(shared, n, np.nan)
        block.insert(0, "site", names[site_rep])
        block["sector"] = tpl["sector"]
        block["region"] = np.array(REGIONS)[region_of[site_rep]]
        block["payer"] = [x if x in PAYERS else None for x in block["stakeholder"]]
        outcome_parts.append(block.drop(columns="rate"))
        input_parts.append(
            pd.DataFrame({"site": names[idx], "amount": np.round(tpl["inputs"] * size[idx], 2)})
        )
    outcomes = pd.concat(outcome_parts, ignore_index=True)
    inputs = pd.concat(input_parts, ignore_index=True)
    order = np.argsort(outcomes["site"].to_numpy(), kind="stable")
    return outcomes.iloc[order].reset_index(drop=True), inputs.sort_values(
        "site", ignore_index=True
    )
