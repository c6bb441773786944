"""Binding calculators to data: a calculator stands where a quantity (or deadweight) stands."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import pandas as pd

from impactkit._results import freeze
from impactkit.dist import Normal
from impactkit.errors import Problem, ValidationError
from impactkit.model import ImpactModel

__all__ = ["BOUND_FIELDS", "Binding", "bind", "has_calculators", "is_calculator", "resolve"]

BOUND_FIELDS: tuple[str, ...] = ("quantity", "deadweight")
"""Fields of an outcome row that may hold a calculator bound to data."""


def is_calculator(value: object) -> bool:
    """True for a calculator bound to data (an object with ``compute`` and ``data``).

    Parameters
    ----------
    value : object
        A field value of a model.

    Returns
    -------
    bool

    Examples
    --------
    >>> from impactkit.measure import Threshold
    >>> is_calculator(Threshold(column="employed_12m", at_least=1, data="participants"))
    True
    >>> is_calculator(68.0)
    False
    """
    return callable(getattr(value, "compute", None)) and hasattr(value, "data")


def has_calculators(model: ImpactModel) -> bool:
    """True when some field of the model is a calculator bound to data.

    Parameters
    ----------
    model : ImpactModel

    Returns
    -------
    bool

    Examples
    --------
    The supported-employment example as stored measures its quantities on
    its data sources; once bound it holds numbers only:

    >>> from impactkit.examples import load_example, load_example_data
    >>> model = load_example(measured=False)
    >>> has_calculators(model)
    True
    >>> has_calculators(bind(model, load_example_data()).model)
    False
    """
    return any(is_calculator(getattr(ov, f)) for ov in model.outcomes for f in BOUND_FIELDS)


@attrs.frozen
class Binding:
    """A model with its calculators replaced by what they measured.

    Attributes
    ----------
    model : ImpactModel
        Numbers (or distributions) instead of calculators.
    measured : mapping of int to MeasureResult
        The measured quantity of each bound row (lineage).
    deadweights : mapping of int to DeadweightEstimate
        The deadweight estimated from data for each bound row (lineage).
    """

    model: ImpactModel
    measured: Mapping[int, Any] = attrs.field(factory=dict, converter=freeze)
    deadweights: Mapping[int, Any] = attrs.field(factory=dict, converter=freeze)


def _source(
    calc: Any, sources: Mapping[str, Any], path: tuple[str | int, ...]
) -> tuple[pd.DataFrame | None, Problem | None]:
    name = getattr(calc, "data", None)
    if name is None and len(sources) == 1:
        name = next(iter(sources))
    if name is None or name not in sources:
        known = ", ".join(sources) or "none given"
        return None, Problem(
            (*path, "data"),
            "missing_data",
            f"data source {name!r} was not given; sources: {known}",
        )
    df = sources[name]
    if not isinstance(df, pd.DataFrame):
        return None, Problem((*path, "data"), "type", f"data source {name!r} is not a DataFrame")
    return df, None


def bind(
    model: ImpactModel,
    data: Mapping[str, Any] | None,
    *,
    sampling_uncertainty: bool = False,
) -> Binding:
    """Evaluate every calculator of the model on its data source.

    Parameters
    ----------
    model : ImpactModel
    data : mapping of str to DataFrame
        Data sources by name; a calculator's ``data`` names its source (a
        single source may be left unnamed).
    sampling_uncertainty : bool
        Replace each measured value by a distribution carrying its sampling
        uncertainty: a measured quantity becomes a normal with its standard
        error, truncated to ``[0, n]`` when it counts units among ``n`` (it
        has a share), to ``[0, inf)`` when it sums changes (wellbeing change,
        QALYs gained, which may exceed ``n``); a deadweight
        estimated from data becomes
        :meth:`~impactkit.attribution.DeadweightEstimate.as_distribution`.

    Returns
    -------
    Binding
        The model with calculators replaced, what each measured, and the deadweights estimated.

    Raises
    ------
    ValidationError
        Missing data sources or columns, non-numeric columns, empty data,
        estimation failures; every problem at once with the model path
        (``outcomes[2].quantity.column``); nothing is evaluated.

    Examples
    --------
    The supported-employment example as stored measures its valued quantities
    on its participants' data:

    >>> from impactkit.examples import load_example, load_example_data
    >>> b = bind(load_example(measured=False), load_example_data())
    >>> [ov.quantity for ov in b.model.outcomes]
    [1243.0, 2.5051075, 40.0, 57.0]
    >>> m = b.measured[2]                 # carers helping less: lineage
    >>> m.n, m.missing
    (84, 36)
    >>> u = bind(load_example(measured=False), load_example_data(),
    ...          sampling_uncertainty=True)
    >>> q = u.model.outcomes[2].quantity  # a normal truncated to [0, n]
    >>> q.mean_, round(q.sd, 3), q.high
    (40.0, 4.577, 84.0)
    """
    todo = [
        (k, f, getattr(ov, f))
        for k, ov in enumerate(model.outcomes)
        for f in BOUND_FIELDS
        if is_calculator(getattr(ov, f))
    ]
    if not todo:
        return Binding(model)
    sources = dict(data or {})
    problems: list[Problem] = []
    results: dict[tuple[int, str], Any] = {}
    for k, field, calc in todo:
        path: tuple[str | int, ...] = ("outcomes", k, field)
        df, prob = _source(calc, sources, path)
        if prob is not None or df is None:
            problems.append(prob)  # type: ignore[arg-type]
            continue
        try:
            results[(k, field)] = calc.compute(df)
        except ValidationError as exc:
            problems.extend(p.prefixed(*path) for p in exc.problems)
    if problems:
        raise ValidationError(problems)
    outcomes = list(model.outcomes)
    measured: dict[int, Any] = {}
    deadweights: dict[int, Any] = {}
    for (k, field), res in results.items():
        changes: dict[str, Any] = {}
        if field == "quantity":
            measured[k] = res
            q: Any = float(res.quantity)
            se = getattr(res, "se", None)
            if sampling_uncertainty and se is not None and se > 0 and res.quantity >= 0:
                # a count of units among n (it has a share) stays in [0, n]; a sum of
                # changes (wellbeing, QALYs) may exceed n: kept at or above 0 only (a
                # negative sum stays a number, which the model refuses as it is)
                bounds = {"high": float(res.n)} if res.share is not None else {}
                q = Normal(float(res.quantity), float(se), low=0.0, **bounds)
            changes["quantity"] = q
        else:
            deadweights[k] = res
            changes["deadweight"] = (
                res.as_distribution() if sampling_uncertainty else float(res.deadweight)
            )
            if res.quantity is not None:
                changes["quantity"] = float(res.quantity)
        try:
            outcomes[k] = attrs.evolve(outcomes[k], **changes)
        except ValidationError as exc:  # e.g. a negative measured quantity
            problems.extend(p.prefixed("outcomes", k) for p in exc.problems)
    if problems:
        raise ValidationError(problems)
    return Binding(attrs.evolve(model, outcomes=outcomes), measured, deadweights)


def resolve(model: ImpactModel, data: Mapping[str, Any] | None) -> ImpactModel:
    """The model with every calculator replaced by the value it measures.

    Parameters
    ----------
    model : ImpactModel
    data : mapping of str to DataFrame or None
        The data sources.

    Returns
    -------
    ImpactModel
        With numbers (and distributions) only.

    Examples
    --------
    >>> from impactkit.examples import load_example, load_example_data
    >>> model = resolve(load_example(measured=False), load_example_data())
    >>> model.outcomes[1].outcome, model.outcomes[1].quantity
    ('quality_of_life', 2.5051075)
    """
    return bind(model, data).model
