"""Models written as the portfolio's tidy tables.

See :mod:`impactkit.portfolio`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from impactkit.discount import Constant
from impactkit.dist import Distribution
from impactkit.errors import Problem, ValidationError
from impactkit.model import ROW_FIELDS

__all__ = ["from_models"]


def from_models(models: Mapping[Any, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write models as the tidy tables of :func:`evaluate` and :func:`monte_carlo`.

    Parameters
    ----------
    models : mapping of site label to ImpactModel
        One model per site. They share one currency and one certain discount;
        quantities are numbers or distributions (measure calculators first
        with :func:`impactkit.measure.bind`-style evaluation); input amounts
        are certain.

    Returns
    -------
    outcomes_df, inputs_df : DataFrame
        One row per site × outcome with every numeric field (central values),
        ``price_year``, ``price_factor``, ``start_year``, ``first_flow_at``,
        ``drop_off_method``, the text fields, and ``F_dist`` /
        ``F_<parameter>`` columns for the fields that hold distributions; one
        row per site × input. The tables do not carry the discount: pass the
        models' common discount to :func:`evaluate` and :func:`monte_carlo`
        (``discount=next(iter(models.values())).discount``); models with
        different discounts are refused.

    Raises
    ------
    ValidationError
        Models that are not :class:`~impactkit.ImpactModel`, differing
        currencies or discounts, uncertain discount rates or input amounts,
        unmeasured calculators: every problem at once.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="a", inputs=[ik.Input("Grant", amount=10_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=20,
    ...               proxy=ik.dist.LogNormal(1_000, 200), duration=2)])
    >>> out, inp = from_models({"a": m})
    >>> out[["site", "proxy", "proxy_dist", "proxy_mean", "proxy_sd"]]
      site   proxy proxy_dist  proxy_mean  proxy_sd
    0    a  1000.0  lognormal      1000.0     200.0
    >>> from impactkit.portfolio import evaluate
    >>> res = evaluate(out, inp, discount=m.discount)
    >>> round(float(res["ratio"][0]), 6) == round(ik.sroi(m).ratio, 6)
    True
    """
    from impactkit.model import ImpactModel

    probs: list[Problem] = []
    out_recs: list[dict[str, Any]] = []
    in_recs: list[dict[str, Any]] = []
    first: ImpactModel | None = None
    for site, m in models.items():
        if not isinstance(m, ImpactModel):
            probs.append(Problem(("models", str(site)), "type", "expected an ImpactModel"))
            continue
        if first is None:
            first = m
        shared = {
            "currency": (m.currency, first.currency),
            "discount": (m.discount.describe(), first.discount.describe()),
        }
        for attr, (mine, theirs) in shared.items():  # one of each for the whole network
            if getattr(m, attr) != getattr(first, attr):
                probs.append(
                    Problem(
                        ("models", str(site), attr),
                        f"{attr}_mismatch",
                        f"{mine} differs from {theirs}",
                    )
                )
        if isinstance(m.discount, Constant) and isinstance(m.discount.rate, Distribution):
            probs.append(
                Problem(
                    ("models", str(site), "discount", "rate"),
                    "uncertain_discount",
                    "a portfolio's discount rate must be certain",
                )
            )
        for k, ov in enumerate(m.outcomes):
            rec: dict[str, Any] = {
                "site": site,
                "outcome": ov.outcome,
                "stakeholder": ov.stakeholder,
                "label": ov.label,
                "indicator": ov.indicator,
                "proxy_source": ov.proxy.source,
                "price_year": ov.proxy.year if ov.proxy.year is not None else m.base_year,
                "price_factor": m.proxy_factor(k),
                "start_year": ov.start_year,
                "drop_off_method": ov.drop_off_method,
                "first_flow_at": m.first_flow_at,
            }
            for f in ROW_FIELDS:
                v = ov.proxy.value if f == "proxy" else getattr(ov, f)
                if callable(getattr(v, "compute", None)):
                    probs.append(
                        Problem(
                            ("models", str(site), "outcomes", k, f),
                            "unbound_calculator",
                            f"{f} is measured by a calculator: bind the model to its data first",
                        )
                    )
                    continue
                if isinstance(v, Distribution):
                    rec[f] = v.central
                    rec[f"{f}_dist"] = v.name
                    for key, x in v.to_dict().items():
                        if key != "dist" and x is not None:
                            rec[f"{f}_{key}"] = x
                else:
                    rec[f] = float(v)
            out_recs.append(rec)
        for j, inp in enumerate(m.inputs):
            if isinstance(inp.amount, Distribution):
                probs.append(
                    Problem(
                        ("models", str(site), "inputs", j, "amount"),
                        "uncertain_input",
                        "a portfolio's input amounts are certain",
                    )
                )
                continue
            in_recs.append(
                {
                    "site": site,
                    "label": inp.label,
                    "stakeholder": inp.stakeholder,
                    "amount": float(inp.amount),
                    "year": inp.year,
                    "in_kind": inp.in_kind,
                }
            )
    if probs:
        raise ValidationError(probs)
    base = [
        "site",
        "outcome",
        "stakeholder",
        "label",
        "indicator",
        *ROW_FIELDS,
        "start_year",
        "drop_off_method",
        "price_year",
        "price_factor",
        "proxy_source",
        "first_flow_at",
    ]
    outcomes = pd.DataFrame.from_records(out_recs)
    outcomes = outcomes.reindex(
        columns=base + sorted(c for c in outcomes.columns if c not in base)
    )
    inputs = pd.DataFrame.from_records(
        in_recs, columns=["site", "label", "stakeholder", "amount", "year", "in_kind"]
    )
    return outcomes, inputs
