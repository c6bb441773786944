r"""Avoided public costs (*coûts évités*) and the public return ratio.

A cost-benefit analysis from the public payer's view (Garrabé 2001; ATD Quart
Monde; docs/methods/avoided_costs.md):

.. math::
    \text{avoided}(t) = \sum_k N_k \, \Delta p_k \, c_k(t), \qquad
    \text{public ROI} = \frac{PV(\text{avoided} + \text{extra revenue})}{PV(\text{public funding})}

with :math:`N_k` people exposed to a costly situation, :math:`\Delta p_k` the
reduction in its probability (or units used) *already net of the
counterfactual*, :math:`c_k` the unit public cost in base-year prices. Duration
and drop-off apply as in SROI, through the same kernel.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit import kernel
from impactkit._fields import FIELD_RULES
from impactkit._results import Summary, displayed, jsonable
from impactkit._validation import Checker
from impactkit.discount import Constant, Discount, Schedule
from impactkit.errors import Problem, ValidationError
from impactkit.valuation import PAYER_LEVELS, PriceIndex, UnitCost

__all__ = ["AvoidedCostItem", "AvoidedCostsResult", "avoided_costs"]


@attrs.frozen
class AvoidedCostItem:
    """People for whom a costly situation is avoided.

    Parameters
    ----------
    cost : str
        Key of a :class:`UnitCost` of the catalogue.
    people : float
        :math:`N`, people exposed.
    reduction : float
        :math:`\\Delta p`, reduction in probability or units per person per
        year, net of what would have happened anyway.
    duration : int, default 1
        Years it lasts.
    drop_off : float, default 0
        Yearly compound decline from the second year.
    start_year : int, default 1
        Year of the first saving: 1 during the activity, 2 the period after,
        later for a forecast's later cohorts (up to 100).
    label : str, optional

    Examples
    --------
    Twelve people leave the RSA thanks to an insertion programme, each
    avoiding 8 months of allowance in the first year, 20 % fewer in the
    second (the reduction is already net of what would have happened anyway):

    >>> import impactkit as ik
    >>> item = AvoidedCostItem("rsa_month", people=12, reduction=8, duration=2,
    ...                        drop_off=0.2, label="Sortie du RSA")
    >>> costs = ik.examples.load_unit_costs()  # RSA: 2025 national scale
    >>> r = avoided_costs([item], costs, discount=0.0)
    >>> r.by_year["avoided"].round(2).tolist()  # 12 x 8 x 646.52, then 80 % of it
    [62065.92, 49652.74]
    """

    cost: str
    people: float
    reduction: float
    duration: int = 1
    drop_off: float = 0.0
    start_year: int = 1
    label: str = ""

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.cost, "cost", empty=False)
        c.number(self.people, "people", low=0.0)
        c.number(self.reduction, "reduction", low=0.0)
        c.number(self.duration, "duration", low=0, high=300, integer=True)
        c.number(self.drop_off, "drop_off", low=0.0, high=1.0)
        start = FIELD_RULES["start_year"]
        c.number(self.start_year, "start_year", low=start.low, high=start.high, integer=True)
        c.raise_if_errors()


@displayed(headline=("Public return ratio", "Avoided costs", "Public funding"))
@attrs.frozen
class AvoidedCostsResult:
    """Avoided public costs by item, payer and year, and the public return ratio.

    Parameters
    ----------
    present_value : float
        PV of avoided costs plus extra revenue [currency].
    public_funding : float
        PV of the public funding [currency].
    public_roi : float or None
        ``present_value / public_funding``.
    transfers : float
        PV of avoided transfers (benefit payments): public savings, not net social value.
    by_item, by_payer, by_year : DataFrame
        ``by_payer`` splits each payer's saving into ``resource_costs`` (real
        resources released: a place, a stay, an hour of care) and
        ``transfers`` (money no longer paid out: an allowance); ``by_year``
        shows the ``transfers`` part of each year's avoided costs.
    warnings : tuple of Problem
        Average-cost bases, benefits in kind, unit costs of several price years
        added without a base year, and other notes.
    revenue : float, default 0
        PV of the extra revenue (taxes and social contributions): a transfer
        to the public purse too, counted in ``present_value``.

    Examples
    --------
    :func:`avoided_costs` returns it: here months of RSA avoided against
    60,000 of public funding, discounted at 3.2 %.

    >>> import impactkit as ik
    >>> r = avoided_costs(
    ...     [AvoidedCostItem("rsa_month", people=12, reduction=8, duration=2, drop_off=0.2)],
    ...     ik.examples.load_unit_costs(), public_funding=60_000, discount=0.032)
    >>> round(r.present_value, 2), round(r.public_roi, 4)
    (106762.63, 1.7794)
    >>> r.transfers == r.present_value  # the RSA is a transfer: not net social value
    True
    >>> r.resource_costs
    0.0
    >>> r.by_payer.round(2)
                  payer  resource_costs  transfers  present_value
    0              etat             0.0       0.00           0.00
    1  securite_sociale             0.0       0.00           0.00
    2       departement             0.0  106762.63      106762.63
    3           commune             0.0       0.00           0.00
    >>> r.to_frame()[["item", "payer", "people"]].to_dict("records")
    [{'item': 'rsa_month', 'payer': 'departement', 'people': 12}]
    """

    present_value: float
    public_funding: float
    public_roi: float | None
    transfers: float
    by_item: pd.DataFrame = attrs.field(eq=False, repr=False)
    by_payer: pd.DataFrame = attrs.field(eq=False, repr=False)
    by_year: pd.DataFrame = attrs.field(eq=False, repr=False)
    warnings: tuple[Problem, ...] = ()
    revenue: float = 0.0

    @property
    def resource_costs(self) -> float:
        """PV of the real resources released: ``present_value`` less transfers and revenue."""
        return self.present_value - self.transfers - self.revenue

    def to_frame(self) -> pd.DataFrame:
        """The avoided costs by item (a copy of ``by_item``).

        Returns
        -------
        pandas.DataFrame
        """
        return self.by_item.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: headline figures, the three tables and the warnings.

        Returns
        -------
        dict
        """
        return dict(
            jsonable(
                {
                    "present_value": self.present_value,
                    "public_funding": self.public_funding,
                    "public_roi": self.public_roi,
                    "transfers": self.transfers,
                    "revenue": self.revenue,
                    "by_item": self.by_item,
                    "by_payer": self.by_payer,
                    "by_year": self.by_year,
                    "warnings": [
                        {"path": list(w.path), "code": w.code, "message": w.message}
                        for w in self.warnings
                    ],
                }
            )
        )

    def summary(self) -> Summary:
        """Headline figures and the table by payer, for people.

        Returns
        -------
        Summary
        """
        roi = self.public_roi
        lines = (
            ("Avoided costs (PV)", f"{self.present_value:,.2f}"),
            ("Public funding (PV)", f"{self.public_funding:,.2f}"),
            ("Public return ratio", "-" if roi is None else f"{roi:.2f}"),
            ("Avoided transfers (PV)", f"{self.transfers:,.2f}"),
            ("Extra revenue, a transfer (PV)", f"{self.revenue:,.2f}"),
            ("Resources released (PV)", f"{self.resource_costs:,.2f}"),
            ("Notes", str(len(self.warnings))),
        )
        return Summary("Avoided public costs", lines, self.by_payer)


def avoided_costs(
    items: Iterable[AvoidedCostItem],
    catalogue: Mapping[str, UnitCost],
    *,
    public_funding: float | Sequence[float] = 0.0,
    extra_revenue: float = 0.0,
    discount: Discount | float = 0.032,
    base_year: int | None = None,
    price_index: PriceIndex | None = None,
    currency: str = "EUR",
) -> AvoidedCostsResult:
    r"""Avoided public costs per year, by payer, and the public return ratio.

    For each item :math:`k` (people :math:`N_k`, reduction :math:`\Delta p_k`
    net of the counterfactual, unit cost :math:`c_k` moved to the base year
    by ``price_index``), the avoided cost of year :math:`t` is

    .. math::
        \text{avoided}(t) = \sum_k N_k\, \Delta p_k\, c_k\, (1 - d_k)^{t - s_k}

    over the item's ``duration`` years from its start year :math:`s_k`, with
    :math:`d_k` its drop-off (compound, from the second year), as in SROI.
    Years count from 1 and year :math:`t` is discounted by :math:`DF(t)`;
    the public funding of year :math:`t` (from 0, undiscounted) by the same
    factors. Then

    .. math::
        \text{public ROI} =
        \frac{\sum_t (\text{avoided}(t) + R)\, DF(t)}{\sum_t F_t\, DF(t)}

    with :math:`R` the yearly ``extra_revenue`` and :math:`F_t` the funding
    (docs/methods/avoided_costs.md).

    Parameters
    ----------
    items : iterable of AvoidedCostItem
        The situations avoided: people, reduction, duration and drop-off,
        each naming a unit cost of ``catalogue``.
    catalogue : mapping of str to UnitCost
        Unit costs by key (:meth:`UnitCost.catalogue` reads one from a
        table).
    public_funding : float or sequence of float, default 0
        Public funding by year from year 0 (year 0 undiscounted) [currency].
    extra_revenue : float, default 0
        Yearly taxes and social contributions generated, counted each year
        from year 1 to the last year an item reaches (an impactkit
        simplification; model it as an item for finer control) [currency/year].
    discount : Discount or float, default 0.032
        Rate or schedule; the default is the 3.2 % rate of the France
        Stratégie 2021 revision.
    base_year : int, optional
        Price year of the analysis; unit costs of other years need ``price_index``.
        Without it the unit costs are added in their own prices, with a
        warning (code ``price_years_differ``) when these differ.
    price_index : PriceIndex, optional
        Moves unit costs from their price year to ``base_year``.
    currency : str, default "EUR"
        Every unit cost must be in this currency (no silent conversion).

    Returns
    -------
    AvoidedCostsResult
        The present value of avoided costs plus extra revenue, of the public
        funding, their ratio (None without funding), the avoided transfers,
        the tables by item, payer and year, and warnings for unit costs on an
        average-cost basis.

    Raises
    ------
    ValidationError
        Items that are not :class:`AvoidedCostItem`, unknown cost keys,
        a public funding that is negative or not finite, an extra revenue
        that is not finite,
        currencies that differ, price years without an index (or outside
        it), and the same expense (``covers``) counted at two payer levels
        (the same euro twice); every problem at once.

    References
    ----------
    .. [1] Garrabé, M. (2001). Coût public évité, coût social évité.
    .. [2] France Stratégie (2021). Complément opérationnel I : révision du
       taux d'actualisation.

    Examples
    --------
    >>> cat = {"night": UnitCost("night", "Emergency shelter night", 30.0, "night",
    ...                          "etat", 2024, "illustrative")}
    >>> r = avoided_costs([AvoidedCostItem("night", people=10, reduction=100)], cat,
    ...                   public_funding=20_000, discount=0.0)
    >>> r.present_value, r.public_roi
    (30000.0, 1.5)
    """
    items = list(items)
    c = Checker()
    seen: dict[str, tuple[str, int]] = {}
    factors = []
    for i, it in enumerate(items):
        if not isinstance(it, AvoidedCostItem):
            c.add(("items", i), "type", "expected an AvoidedCostItem")
            continue
        u = catalogue.get(it.cost)
        if u is None:
            c.add(
                ("items", i, "cost"),
                "unknown_cost",
                f"no unit cost {it.cost!r}; catalogue: {', '.join(catalogue)}",
            )
            factors.append(1.0)
            continue
        if u.currency != currency:
            c.add(
                ("items", i, "cost"),
                "currency_mismatch",
                f"unit cost {u.key!r} is in {u.currency}, the analysis in {currency}",
            )
        f = 1.0
        if base_year is not None and u.price_year != base_year:
            if price_index is None:
                c.add(
                    ("items", i, "cost"),
                    "price_year",
                    f"unit cost {u.key!r} is in {u.price_year} prices; give a price_index to "
                    f"move it to {base_year}",
                )
            else:
                try:
                    f = price_index.factor(u.price_year, base_year)
                except ValidationError as exc:
                    c.extend(exc.problems, "items", i, "cost")
        factors.append(f)
        if u.covers:
            if u.covers in seen and seen[u.covers][0] != u.payer:
                j = seen[u.covers][1]
                c.add(
                    ("items", i, "cost"),
                    "double_count",
                    f"expense {u.covers!r} is counted at two payer levels ({seen[u.covers][0]} "
                    f"in items[{j}] and {u.payer} here): the same euro twice",
                )
            seen.setdefault(u.covers, (u.payer, i))
    funding_list = (
        [public_funding] if np.ndim(public_funding) == 0 else list(np.ravel(public_funding))
    )
    for j, x in enumerate(funding_list):
        c.number(
            x, ("public_funding", j) if np.ndim(public_funding) else "public_funding", low=0.0
        )
    c.number(extra_revenue, "extra_revenue")
    if not isinstance(discount, Constant | Schedule):
        c.number(discount, "discount", low=-1.0, low_open=True)
    c.raise_if_errors()
    notes = tuple(
        Problem(
            ("items", i, "cost"),
            "average_cost",
            f"unit cost {it.cost!r} is an average cost: it overstates savings when no "
            "capacity is actually released",
            "warning",
        )
        for i, it in enumerate(items)
        if catalogue[it.cost].basis == "average"
    ) + tuple(
        Problem(
            ("items", i, "cost"),
            "benefit_in_kind",
            f"unit cost {it.cost!r} is an allowance earmarked to buy help: a saving only if "
            "the help is no longer consumed (a notified plan is more than what is spent)",
            "warning",
        )
        for i, it in enumerate(items)
        if catalogue[it.cost].benefit_in_kind
    )
    price_years = sorted({int(catalogue[it.cost].price_year) for it in items})
    if base_year is None and len(price_years) > 1:  # summed as they are: say so
        notes += (
            Problem(
                ("base_year",),
                "price_years_differ",
                f"the unit costs are in the prices of {', '.join(map(str, price_years))} and "
                "are added as they are; give base_year and price_index to move them to one "
                "price year",
                "warning",
            ),
        )
    k = len(items)
    q = np.array([[it.people * it.reduction for it in items]])
    p = np.array([[catalogue[it.cost].cost * f for it, f in zip(items, factors, strict=True)]])
    z = np.zeros((1, k))
    d = np.array([[it.drop_off for it in items]])
    dur = np.array([[float(it.duration) for it in items]])
    start = np.array([it.start_year for it in items], dtype=np.int64)
    linear = np.zeros(k, dtype=bool)
    disc = discount if isinstance(discount, Constant | Schedule) else Constant(float(discount))
    rate = np.array([[disc.central_rate]]) if isinstance(disc, Constant) else None
    horizon = int(start.max(initial=1) + dur.max(initial=1)) + 2
    cum = disc.cumulative(horizon) if isinstance(disc, Schedule) else None
    pv_items = (
        kernel.present_values(
            q, p, z, z, z, z, d, dur, start=start, linear=linear, rate=rate, cumulative=cum
        )[0]
        if k
        else np.zeros(0)
    )
    years = (
        kernel.year_values(q, p, z, z, z, z, d, dur, start=start, linear=linear)[0]
        if k
        else np.zeros((0, 1))
    )
    n_years = years.shape[1]
    t = np.arange(1, n_years + 1)
    dfs = disc.factors(t)
    revenue_years = np.full(n_years, float(extra_revenue))
    funding = np.atleast_1d(np.asarray(public_funding, dtype=float))
    pv_funding = float(funding @ disc.factors(np.arange(funding.size)))
    transfer = np.array([catalogue[it.cost].transfer for it in items], dtype=bool)
    pv_total = float(pv_items.sum() + revenue_years @ dfs)
    by_item = pd.DataFrame(
        {
            "item": [it.label or it.cost for it in items],
            "cost": [it.cost for it in items],
            "payer": [catalogue[it.cost].payer for it in items],
            "basis": [catalogue[it.cost].basis for it in items],
            "transfer": transfer,
            "unit_cost": p[0] if k else np.zeros(0),
            "people": [it.people for it in items],
            "reduction": [it.reduction for it in items],
            "present_value": pv_items,
        }
    )
    split = by_item.assign(
        resource_costs=np.where(transfer, 0.0, pv_items),
        transfers=np.where(transfer, pv_items, 0.0),
    )
    by_payer = (
        split.groupby("payer", sort=True)[["resource_costs", "transfers", "present_value"]]
        .sum()
        .reindex(list(PAYER_LEVELS), fill_value=0.0)
        .reset_index()
    )
    by_year = pd.DataFrame(
        {
            "year": t,
            "avoided": years.sum(axis=0),
            "transfers": years[transfer].sum(axis=0) if k else np.zeros(n_years),
            "extra_revenue": revenue_years,
            "discount_factor": dfs,
        }
    )
    by_year["present_value"] = (by_year["avoided"] + by_year["extra_revenue"]) * dfs
    return AvoidedCostsResult(
        present_value=pv_total,
        public_funding=pv_funding,
        public_roi=pv_total / pv_funding if pv_funding > 0 else None,
        transfers=float(pv_items[transfer].sum()) if k else 0.0,
        by_item=by_item,
        by_payer=by_payer,
        by_year=by_year,
        warnings=notes,
        revenue=float(revenue_years @ dfs),
    )
