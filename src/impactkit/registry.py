"""Calculator registries: built-ins plus plugins found through entry points.

Each stage of the flow (``output``, ``outcome``, ``attribution``,
``deadweight``, ``valuation``) has an immutable :class:`Registry` of built-in
calculators and discovers third-party ones through the entry-point group
``impactkit.<stage>``. The built-ins are plugins in the box: :data:`BUILTINS`
names them as ``"module:Class"`` references, loaded on use by the same path as
the entry points of other packages, so this module imports no calculator.
A plugin package declares, in its ``pyproject.toml``::

    [project.entry-points."impactkit.outcome"]
    wellbeing_scale = "my_package:WellbeingScale"

and model files can then name ``{"calculator": "wellbeing_scale", ...}``.
There is no global registration: to add a calculator in-process, build a new
registry with :meth:`Registry.with_builtin` and pass it where a registry is
accepted.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from importlib.metadata import EntryPoint, entry_points
from types import MappingProxyType
from typing import Any

import attrs

from impactkit.errors import CalculatorNotFoundError, ImpactkitWarning, ValidationError

__all__ = ["BUILTINS", "STAGES", "Registry", "default_registry", "get", "names"]

STAGES: tuple[str, ...] = ("output", "outcome", "attribution", "deadweight", "valuation")
"""The stages of the flow that take calculators."""


def _frozen_map(
    m: Mapping[str, str | Callable[..., Any]],
) -> Mapping[str, str | Callable[..., Any]]:
    return MappingProxyType(dict(m))


@attrs.frozen
class Registry:
    """Built-in calculators of one stage plus those of an entry-point group.

    Parameters
    ----------
    group : str
        Entry-point group, e.g. ``"impactkit.outcome"``.
    builtins : mapping of str to str or callable
        Name to the built-in calculator: a ``"module:Class"`` reference, loaded
        on use like an entry point, or the class (or factory) itself.

    Examples
    --------
    The outcome stage builds a calculator from its file form:

    >>> import pandas as pd
    >>> reg = default_registry("outcome")
    >>> calc = reg.build({"calculator": "threshold", "column": "emploi", "at_least": 1})
    >>> calc.compute(pd.DataFrame({"emploi": [1, 0, 1, 1, None]})).quantity
    3.0

    A calculator is added in-process by building a new registry (no global
    registration; ``reg`` is unchanged):

    >>> from impactkit.measure import Threshold
    >>> mine = reg.with_builtin("en_emploi", Threshold)
    >>> mine.get("en_emploi") is Threshold, "en_emploi" in reg.builtins
    (True, False)
    """

    group: str
    builtins: Mapping[str, str | Callable[..., Any]] = attrs.field(converter=_frozen_map)

    def _entry_points(self) -> dict[str, EntryPoint]:
        return {ep.name: ep for ep in entry_points(group=self.group)}

    def names(self) -> list[str]:
        """Built-in and plugin names, sorted; plugins that fail to load are warned about.

        Returns
        -------
        list of str
            Built-in and plugin names, sorted.
        """
        out = set(self.builtins)
        for name, ep in self._entry_points().items():
            if name in self.builtins:
                continue
            try:
                ep.load()
            except Exception as exc:
                warnings.warn(
                    f"plugin {ep.value!r} ({self.group}: {name}) failed to load: {exc}",
                    ImpactkitWarning,
                    stacklevel=2,
                )
                continue
            out.add(name)
        return sorted(out)

    def get(self, name: str) -> Callable[..., Any]:
        """The calculator class registered as ``name``.

        Parameters
        ----------
        name : str
            Calculator name.

        Returns
        -------
        callable
            The calculator class or factory.

        Raises
        ------
        CalculatorNotFoundError
            Unknown name (the message lists the available ones), or a plugin
            that fails to load (chained from the original error).
        """
        if name in self.builtins:
            builtin = self.builtins[name]
            return _load(self.group, name, builtin) if isinstance(builtin, str) else builtin
        eps = self._entry_points()
        if name not in eps:
            raise CalculatorNotFoundError(
                f"no {self.group} calculator {name!r}; available: "
                f"{', '.join(self.names()) or 'none'}"
            )
        try:
            obj: Callable[..., Any] = eps[name].load()
        except Exception as exc:
            raise CalculatorNotFoundError(
                f"{self.group} calculator {name!r} failed to load from {eps[name].value!r}: {exc}"
            ) from exc
        return obj

    def with_builtin(self, name: str, factory: Callable[..., Any]) -> Registry:
        """A new registry with one more built-in (this one is unchanged).

        Parameters
        ----------
        name : str
            Name to register.
        factory : callable
            Class or factory of the calculator.

        Returns
        -------
        Registry
            A new registry; this one is unchanged.
        """
        return attrs.evolve(self, builtins={**self.builtins, name: factory})

    def build(self, spec: Mapping[str, Any]) -> Any:
        """Build a calculator from its file form ``{"calculator": name, ...}``.

        Parameters
        ----------
        spec : mapping
            The file form, with the name under ``calculator``.

        Returns
        -------
        object
            The calculator.

        Raises
        ------
        ValidationError
            When ``spec`` has no ``calculator`` key or a name that is not text
            (path ``calculator``), names no registered calculator (code
            ``unknown_calculator``), or its parameters do not build one (code
            ``invalid``, or the calculator's own validation errors).
        """
        if not isinstance(spec, Mapping) or "calculator" not in spec:
            raise ValidationError(
                "a calculator spec is a mapping with a 'calculator' key",
                path=("calculator",),
                code="missing",
            )
        name = spec["calculator"]
        if not isinstance(name, str):
            raise ValidationError(
                f"calculator name must be text, got {name!r}", path=("calculator",), code="type"
            )
        try:
            cls = self.get(name)
        except CalculatorNotFoundError as exc:
            raise ValidationError(
                str(exc), path=("calculator",), code="unknown_calculator"
            ) from exc
        params = {k: v for k, v in spec.items() if k != "calculator"}
        from_dict = getattr(cls, "from_dict", None)
        try:
            return from_dict(params) if callable(from_dict) else cls(**params)
        except TypeError as exc:
            raise ValidationError(f"{name}: {exc}", code="invalid") from exc


BUILTINS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "output": MappingProxyType(
            {"count": "impactkit.measure:Count", "sum": "impactkit.measure:Sum"}
        ),
        "outcome": MappingProxyType(
            {
                "prepost": "impactkit.measure:PrePost",
                "threshold": "impactkit.measure:Threshold",
                "proportion": "impactkit.measure:Proportion",
                "distance_travelled": "impactkit.measure:DistanceTravelled",
                "count": "impactkit.measure:Count",
                "sum": "impactkit.measure:Sum",
                "reliable_change": "impactkit.measure:ReliableChange",
                "life_satisfaction": "impactkit.measure:LifeSatisfaction",
                "qaly_gain": "impactkit.measure:QALYGain",
            }
        ),
        "attribution": MappingProxyType(
            {
                "difference_in_means": "impactkit.attribution:DifferenceInMeans",
                "difference_in_differences": "impactkit.attribution:DifferenceInDifferences",
                "did": "impactkit.attribution:DifferenceInDifferences",
                "inverse_probability_weighting": (
                    "impactkit.attribution:InverseProbabilityWeighting"
                ),
                "ipw": "impactkit.attribution:InverseProbabilityWeighting",
                "propensity_score_matching": "impactkit.attribution:PropensityScoreMatching",
                "psm": "impactkit.attribution:PropensityScoreMatching",
                "regression_adjustment": "impactkit.attribution:RegressionAdjustment",
                "doubly_robust": "impactkit.attribution:DoublyRobust",
                "aipw": "impactkit.attribution:DoublyRobust",
            }
        ),
        "deadweight": MappingProxyType(
            {"counterfactual": "impactkit.attribution:CounterfactualDeadweight"}
        ),
        "valuation": MappingProxyType({"financial_proxy": "impactkit.valuation:FinancialProxy"}),
    }
)
"""The built-in calculators of each stage, as ``"module:Class"`` references.

They are plugins shipped in the box: :meth:`Registry.get` loads them by the
same path as the entry points of third-party packages, so the registry imports
no calculator module and the layers that use it depend on it downward only.
"""


def _load(group: str, name: str, ref: str) -> Callable[..., Any]:
    """Load a ``"module:attribute"`` reference as an entry point is loaded."""
    obj: Callable[..., Any] = EntryPoint(name=name, value=ref, group=group).load()
    return obj


def default_registry(stage: str) -> Registry:
    """The registry of a stage: impactkit's built-ins plus installed plugins.

    Parameters
    ----------
    stage : {"output", "outcome", "attribution", "deadweight", "valuation"}

    Returns
    -------
    Registry

    Raises
    ------
    CalculatorNotFoundError
        When ``stage`` is not one of :data:`STAGES`.

    Examples
    --------
    >>> reg = default_registry("output")
    >>> reg.group, sorted(reg.builtins)
    ('impactkit.output', ['count', 'sum'])
    """
    if stage not in STAGES:
        raise CalculatorNotFoundError(f"no stage {stage!r}; stages: {', '.join(STAGES)}")
    return Registry(f"impactkit.{stage}", BUILTINS[stage])


def names(stage: str) -> list[str]:
    """Names of the built-in and plugin calculators of ``stage``.

    Parameters
    ----------
    stage : {"output", "outcome", "attribution", "deadweight", "valuation"}

    Returns
    -------
    list of str

    Examples
    --------
    >>> "threshold" in names("outcome")
    True
    """
    return default_registry(stage).names()


def get(stage: str, name: str) -> Callable[..., Any]:
    """The calculator class named ``name`` in ``stage``.

    Parameters
    ----------
    stage : {"output", "outcome", "attribution", "deadweight", "valuation"}
    name : str
        Calculator name.

    Returns
    -------
    callable

    Raises
    ------
    CalculatorNotFoundError
        Unknown stage or name (the message lists the available ones).

    Examples
    --------
    >>> import pandas as pd
    >>> Count = get("output", "count")
    >>> Count.__name__
    'Count'
    >>> sessions = pd.DataFrame({"person": ["p1", "p1", "p2", "p3"]})
    >>> Count(unique="person").compute(sessions).quantity  # people seen, not sessions
    3.0
    """
    return default_registry(stage).get(name)
