"""Binding measurement calculators to data: a calculator stands where a quantity stands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pandas as pd

from impactkit.dist import Normal
from impactkit.errors import Problem, ValidationError
from impactkit.model import ImpactModel

__all__ = ["bind", "has_calculators", "is_calculator", "resolve"]


def is_calculator(value: object) -> bool:
    """True for a measurement calculator (an object with ``compute`` and ``data``)."""
    return callable(getattr(value, "compute", None)) and hasattr(value, "data")


def has_calculators(model: ImpactModel) -> bool:
    """True when some quantity of the model is a calculator bound to data."""
    return any(is_calculator(ov.quantity) for ov in model.outcomes)


def bind(
    model: ImpactModel,
    data: Mapping[str, Any] | None,
    *,
    sampling_uncertainty: bool = False,
) -> tuple[ImpactModel, dict[int, Any]]:
    """Measure every calculator quantity on its data source.

    Parameters
    ----------
    model : ImpactModel
    data : mapping of str to DataFrame
        Data sources by name; a calculator's ``data`` names its source (a
        single source may be left unnamed).
    sampling_uncertainty : bool
        Replace each measured quantity by a normal distribution with the
        measurement's standard error, truncated to ``[0, n]``, so that Monte
        Carlo carries the sampling uncertainty.

    Returns
    -------
    model : ImpactModel
        The model with numbers (or distributions) instead of calculators.
    measured : dict of int to MeasureResult
        The measurement of each bound row, for lineage.

    Raises
    ------
    ValidationError
        Missing data sources or columns, non-numeric columns, empty data;
        every problem at once with the model path
        (``outcomes[2].quantity.column``); nothing is evaluated.
    """
    rows = [(k, ov) for k, ov in enumerate(model.outcomes) if is_calculator(ov.quantity)]
    if not rows:
        return model, {}
    sources = dict(data or {})
    problems: list[Problem] = []
    measured: dict[int, Any] = {}
    for k, ov in rows:
        calc: Any = ov.quantity
        path = ("outcomes", k, "quantity")
        name = getattr(calc, "data", None)
        if name is None and len(sources) == 1:
            name = next(iter(sources))
        if name is None or name not in sources:
            known = ", ".join(sources) or "none given"
            problems.append(
                Problem(
                    (*path, "data"),
                    "missing_data",
                    f"data source {name!r} was not given; sources: {known}",
                )
            )
            continue
        df = sources[name]
        if not isinstance(df, pd.DataFrame):
            problems.append(
                Problem((*path, "data"), "type", f"data source {name!r} is not a DataFrame")
            )
            continue
        try:
            measured[k] = calc.compute(df)
        except ValidationError as exc:
            problems.extend(p.prefixed(*path) for p in exc.problems)
    if problems:
        raise ValidationError(problems)
    outcomes = list(model.outcomes)
    for k, res in measured.items():
        q: Any = float(res.quantity)
        se = getattr(res, "se", None)
        if sampling_uncertainty and se is not None and se > 0:
            q = Normal(float(res.quantity), float(se), low=0.0, high=float(res.n))
        outcomes[k] = attrs.evolve(outcomes[k], quantity=q)
    return attrs.evolve(model, outcomes=outcomes), measured


def resolve(model: ImpactModel, data: Mapping[str, Any] | None) -> ImpactModel:
    """The model with every calculator replaced by the quantity it measures."""
    return bind(model, data)[0]
