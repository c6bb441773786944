"""Public type aliases used across impactkit's signatures."""

from __future__ import annotations

from typing import Any, ClassVar, Protocol, TypeAlias, runtime_checkable

import numpy as np
import numpy.typing as npt
import pandas as pd

__all__ = [
    "AttributionEstimator",
    "DeadweightCalculator",
    "FloatArray",
    "FloatLike",
    "MeasureCalculator",
    "SeedLike",
]

FloatArray: TypeAlias = npt.NDArray[np.float64]
"""A float64 numpy array."""

FloatLike: TypeAlias = float | npt.NDArray[np.float64]
"""A float or a float64 array."""

SeedLike: TypeAlias = int | np.random.SeedSequence | np.random.Generator | None
"""Anything :func:`numpy.random.default_rng` accepts; ``None`` draws fresh entropy."""


@runtime_checkable
class MeasureCalculator(Protocol):
    """Protocol of output and outcome calculators (stages ``output`` and ``outcome``).

    A calculator is a frozen value; ``compute`` reads a DataFrame and returns a
    result with at least ``quantity``, ``n`` and ``missing``; ``data`` names the
    data source it is bound to; ``to_dict`` gives its file form
    ``{"calculator": name, ...}``.

    The protocol is structural: any class with these attributes and methods
    is a calculator (``isinstance`` checks that the members exist, not their
    signatures). Where a model holds a calculator as an outcome's
    ``quantity``, evaluation calls ``compute`` on the data source named by
    ``data`` and uses the returned ``quantity`` (and its ``se``, when
    sampling uncertainty is asked for). Plugins register their class under
    ``name`` in the entry-point group ``impactkit.outcome`` or
    ``impactkit.output`` (see :mod:`impactkit.registry`).

    Parameters
    ----------
    *args, **kwargs : Any
        A protocol is not instantiated: these stand for the constructor of
        the implementing class, which the protocol leaves free (the built-in
        calculators take their options as keywords, e.g.
        ``Count(data="sessions")``).

    Attributes
    ----------
    name : str
        Class attribute: the calculator's registry name, written as
        ``"calculator"`` in the file form (``"count"``, ``"threshold"``...).
    data : str or None
        Name of the data source the calculator reads; None when a model has a
        single, unnamed source.

    See Also
    --------
    impactkit.measure.MeasureResult : What the built-in calculators return.
    DeadweightCalculator : The same binding, for deadweights.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit.typing import MeasureCalculator
    >>> count = ik.measure.Count(data="sessions")
    >>> isinstance(count, MeasureCalculator)
    True
    >>> count.name, count.data
    ('count', 'sessions')
    """

    name: ClassVar[str]
    data: str | None

    def compute(self, df: pd.DataFrame) -> Any:
        """Measure the quantity on one data source.

        Parameters
        ----------
        df : pandas.DataFrame
            The data source named by ``data``, one row per unit (person,
            session, employer...). The implementer reads it and must not
            modify it.

        Returns
        -------
        MeasureResult or object
            A result with at least ``quantity`` (float, the measured quantity
            [units]), ``n`` (int, rows used) and ``missing`` (int, rows
            considered but unusable), and optionally ``se`` (float, the
            standard error of ``quantity``); the built-in calculators return
            :class:`~impactkit.measure.MeasureResult`.

        Raises
        ------
        ValidationError
            Expected of an implementer when a column is missing or holds
            unusable values; evaluation prefixes each problem with the model
            path (``outcomes[2].quantity``) and reports them all at once.

        Examples
        --------
        >>> import pandas as pd
        >>> import impactkit as ik
        >>> df = pd.DataFrame({"employed": [1.0, 0.0, 1.0, None]})
        >>> res = ik.measure.Threshold(column="employed", at_least=1).compute(df)
        >>> res.quantity, res.n, res.missing
        (2.0, 3, 1)
        """
        ...

    def to_dict(self) -> dict[str, Any]:
        """The calculator's file form, from which the registry rebuilds it.

        Returns
        -------
        dict of str to Any
            JSON-ready: ``{"calculator": name, ...}`` with the options that
            differ from their defaults, and ``"data"`` when it is set.

        Examples
        --------
        >>> import impactkit as ik
        >>> ik.measure.Count(data="sessions").to_dict()
        {'calculator': 'count', 'data': 'sessions'}
        """
        ...


@runtime_checkable
class AttributionEstimator(Protocol):
    """Protocol of counterfactual estimators (stage ``attribution``).

    An estimator is configured at construction (its options, such as the
    confidence level or the estimand) and estimates the effect of a binary
    treatment on an outcome with :meth:`estimate`. Plugins register their
    class under ``name`` in the entry-point group ``impactkit.attribution``
    (see :mod:`impactkit.registry`); a
    :class:`~impactkit.attribution.CounterfactualDeadweight` builds the
    estimator from its ``options`` and calls ``estimate``.

    Parameters
    ----------
    *args, **kwargs : Any
        A protocol is not instantiated: these stand for the constructor of
        the implementing class, which takes the estimator's options (the
        ``options`` mapping of a
        :class:`~impactkit.attribution.CounterfactualDeadweight` is passed
        as keywords).

    Attributes
    ----------
    name : str
        Class attribute: the estimator's registry name
        (``"difference_in_means"``, ``"ipw"``...).

    See Also
    --------
    impactkit.attribution.EffectEstimate : What the built-in estimators return.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit.typing import AttributionEstimator
    >>> isinstance(ik.attribution.DifferenceInMeans(), AttributionEstimator)
    True
    >>> ik.attribution.DifferenceInMeans.name
    'difference_in_means'
    """

    name: ClassVar[str]

    def estimate(self, df: pd.DataFrame, *, outcome: str, treatment: str, **kwargs: Any) -> Any:
        """Estimate the effect of ``treatment`` on ``outcome`` in ``df``.

        Parameters
        ----------
        df : pandas.DataFrame
            One row per unit (or per unit and period, for panel designs).
            The implementer reads it and must not modify it.
        outcome : str
            Column of the outcome (a 0/1 rate or a numeric score).
        treatment : str
            Column of the treatment indicator (1 treated, 0 control).
        **kwargs : Any
            Design-specific keywords the implementer may require or accept,
            such as ``covariates`` (sequence of column names), ``time``,
            ``unit`` or ``cluster``; an implementer rejects those it does not
            know.

        Returns
        -------
        EffectEstimate or object
            The effect with its uncertainty; the built-in estimators return
            :class:`~impactkit.attribution.EffectEstimate` (``effect``,
            ``se``, ``ci``, ``n_treated``, ``n_control``, ``dropped``,
            ``diagnostics``). A deadweight derived from the effect reads
            ``effect``, ``se`` and ``diagnostics``.

        Raises
        ------
        EstimationError
            Expected of an implementer when the effect cannot be estimated on
            ``df`` (too few units per arm, no variance, missing column...);
            :class:`~impactkit.attribution.CounterfactualDeadweight` turns it
            into a :class:`~impactkit.errors.ValidationError` with the model
            path.

        Examples
        --------
        >>> import pandas as pd
        >>> import impactkit as ik
        >>> df = pd.DataFrame({"y": [3.0, 4.0, 5.0, 1.0, 2.0, 2.0], "w": [1, 1, 1, 0, 0, 0]})
        >>> eff = ik.attribution.DifferenceInMeans().estimate(df, outcome="y", treatment="w")
        >>> round(eff.effect, 4), eff.n_treated, eff.n_control
        (2.3333, 3, 3)
        """
        ...


@runtime_checkable
class DeadweightCalculator(Protocol):
    """Protocol of objects that measure a deadweight from data (bound like calculators).

    Stands where a deadweight stands in an
    :class:`~impactkit.model.OutcomeValuation`. On evaluation, ``compute`` is
    called on the data source named by ``data``; its result's ``deadweight``
    replaces the calculator (or its ``as_distribution()`` when sampling
    uncertainty is asked for), and its ``quantity``, when not None, replaces
    the outcome's quantity. The built-in implementation is
    :class:`~impactkit.attribution.CounterfactualDeadweight`.

    Parameters
    ----------
    *args, **kwargs : Any
        A protocol is not instantiated: these stand for the constructor of
        the implementing class, which the protocol leaves free.

    Attributes
    ----------
    data : str or None
        Name of the data source the calculator reads; None when a model has a
        single, unnamed source.

    See Also
    --------
    impactkit.attribution.DeadweightEstimate : What the built-in calculator returns.
    MeasureCalculator : The same binding, for quantities.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit.typing import DeadweightCalculator
    >>> dw = ik.attribution.CounterfactualDeadweight(
    ...     "difference_in_means", "employed", "coached", data="cohort"
    ... )
    >>> isinstance(dw, DeadweightCalculator), dw.data
    (True, 'cohort')
    """

    data: str | None

    def compute(self, df: pd.DataFrame) -> Any:
        """Estimate the deadweight on one data source.

        Parameters
        ----------
        df : pandas.DataFrame
            The data source named by ``data``. The implementer reads it and
            must not modify it.

        Returns
        -------
        DeadweightEstimate or object
            A result with ``deadweight`` (float in [0, 1], the share of the
            outcome that would have happened anyway), ``quantity`` (float or
            None: the outcome's quantity measured on the same rows, which
            replaces the model's when given) and ``as_distribution()`` (the
            deadweight as a :class:`~impactkit.dist.Distribution` carrying its
            sampling uncertainty); the built-in calculator returns
            :class:`~impactkit.attribution.DeadweightEstimate`.

        Raises
        ------
        ValidationError
            Expected of an implementer when the deadweight cannot be
            estimated on ``df``; evaluation prefixes each problem with the
            model path (``outcomes[0].deadweight``).

        Examples
        --------
        >>> import pandas as pd
        >>> import impactkit as ik
        >>> df = pd.DataFrame({"y": [1, 1, 1, 0, 1, 0, 1, 0], "w": [1, 1, 1, 1, 0, 0, 0, 0]})
        >>> est = ik.attribution.CounterfactualDeadweight("difference_in_means", "y", "w")
        >>> round(est.compute(df).deadweight, 4)
        0.6667
        """
        ...

    def to_dict(self) -> dict[str, Any]:
        """The calculator's file form, from which a model file rebuilds it.

        Returns
        -------
        dict of str to Any
            JSON-ready; for the built-in calculator ``{"estimator": name,
            "outcome": ..., "treatment": ..., ...}``, the key ``"estimator"``
            telling a model file's reader to build a
            :class:`~impactkit.attribution.CounterfactualDeadweight`.

        Examples
        --------
        >>> import impactkit as ik
        >>> ik.attribution.CounterfactualDeadweight("difference_in_means", "y", "w").to_dict()
        {'estimator': 'difference_in_means', 'outcome': 'y', 'treatment': 'w'}
        """
        ...
