r"""Distributional (equity) weights: whose benefits count how much.

The Green Book weights a money flow reaching a group of income :math:`y` by

.. math:: w = \left(\frac{\bar y}{y}\right)^{\eta}

with :math:`\bar y` a reference income (the median household's equivalised
income) and :math:`\eta = 1.3` the elasticity of the marginal utility of
income, from the review of international evidence by Layard, Mayraz & Nickell
(2008) [2]_ quoted by the Green Book [1]_ (Annex A3, §A3.12-A3.14, and
docs/methods/decision.md). With :math:`\eta = 1`, £1 to someone on £20,000 a year counts
twice as much as £1 to someone on £40,000.

When to weight
--------------
Weighting is optional, never the default: the unweighted value is the minimum
requirement of a social cost-benefit analysis, and weighted values are shown
*beside* the unweighted ones to show what weighting changes, never instead of
them [1]_. It is appropriate when a programme's gains and costs fall on groups
of clearly different incomes (a service for people on minimum income financed
by general taxation) and when the incomes used are equivalised household
incomes of those groups, not guesses. It is not appropriate for values that are
not money to the stakeholder (most proxies of wellbeing already reflect the
person's situation), nor to rank establishments by "weighted SROI" alone.

References
----------
.. [1] HM Treasury (2020, 2022). The Green Book: Central Government Guidance on
   Appraisal and Evaluation, Annex A3 "Distributional appraisal",
   paragraphs A3.12-A3.14.
.. [2] Layard, R., Mayraz, G., Nickell, S. (2008). The marginal utility of
   income. Journal of Public Economics 92(8-9), 1846-1857.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, overload

import attrs
import numpy as np
import pandas as pd

from impactkit._results import FrozenDict, Summary, jsonable
from impactkit._validation import Checker
from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray

__all__ = ["GREEN_BOOK_ETA", "EquityWeights", "distributional_weights"]

GREEN_BOOK_ETA = 1.3
"""Elasticity of the marginal utility of income used for distributional weights
(HM Treasury, Green Book, Annex A3 §A3.14, from Layard et al. 2008)."""


@overload
def distributional_weights(income: float, *, reference: float, eta: float = ...) -> float: ...
@overload
def distributional_weights(
    income: pd.Series, *, reference: float, eta: float = ...
) -> pd.Series: ...
@overload
def distributional_weights(
    income: Any, *, reference: float, eta: float = ...
) -> FloatArray | float | pd.Series: ...


def distributional_weights(
    income: Any, *, reference: float, eta: float = GREEN_BOOK_ETA
) -> FloatArray | float | pd.Series:
    r"""Green Book distributional weights :math:`(\bar y / y)^\eta`.

    Parameters
    ----------
    income : float, array_like or pandas.Series
        Equivalised income of each group [currency/year], all positive.
    reference : float
        Reference income :math:`\bar y`, usually the median [currency/year].
    eta : float, default 1.3
        Elasticity of the marginal utility of income (Green Book 1.3); 0 gives
        weights of 1 (no weighting).

    Returns
    -------
    float, ndarray or pandas.Series
        One weight per income, shaped like ``income`` (a Series keeps its index).

    Raises
    ------
    ValidationError
        When an income or the reference is not a finite positive number, or
        ``eta`` is negative; every bad entry is listed.

    Notes
    -----
    Weighted values are presented beside the unweighted ones, never alone
    (Green Book Annex A3 §A3.12) [1]_.

    References
    ----------
    .. [1] HM Treasury (2020, 2022). The Green Book, Annex A3, §A3.12-A3.14.

    Examples
    --------
    >>> distributional_weights(20_000, reference=40_000, eta=1.0)
    2.0
    >>> distributional_weights([10_000, 20_000], reference=20_000).round(4)
    array([2.4623, 1.    ])
    """
    c = Checker()
    c.number(reference, "reference", low=0.0, low_open=True)
    c.number(eta, "eta", low=0.0)
    series = income if isinstance(income, pd.Series) else None
    try:
        y = np.asarray(income, dtype=float)
    except (TypeError, ValueError):
        c.add("income", "type", f"expected numbers, got {type(income).__name__}")
        c.raise_if_errors()
        raise  # pragma: no cover - raise_if_errors raised
    flat = np.atleast_1d(y).ravel()
    for i in np.flatnonzero(~(np.isfinite(flat) & (flat > 0))):
        path: tuple[str | int, ...] = ("income",) if y.ndim == 0 else ("income", int(i))
        c.add(path, "out_of_range", f"income must be a finite number > 0, got {flat[i]!r}")
    c.raise_if_errors()
    w = (float(reference) / y) ** float(eta)
    if series is not None:
        return pd.Series(w, index=series.index, name="weight")
    if y.ndim == 0:
        return float(w)
    return np.asarray(w, dtype=float)


def _incomes(x: Mapping[str, Any]) -> FrozenDict[str, Any]:
    return FrozenDict(dict(x)) if isinstance(x, Mapping) else x


@attrs.frozen
class EquityWeights:
    """Incomes of stakeholders (or of their income groups) and the weights they imply.

    Parameters
    ----------
    incomes : mapping of str to float
        Equivalised income by stakeholder id [currency/year]. Stakeholders not
        listed keep weight 1 (reported as ``weighted = False``), e.g. a funder
        or the State.
    reference : float
        Reference (median) income [currency/year].
    eta : float, default 1.3
        Elasticity of the marginal utility of income.
    source : str
        Where the incomes and the reference come from (survey, INSEE decile...).
    groups : mapping of str to str, optional
        Income group of each stakeholder, when incomes are given per group:
        then ``incomes`` is keyed by group.

    Examples
    --------
    >>> w = EquityWeights({"participants": 12_000}, reference=24_000, eta=1.0)
    >>> w.weight("participants"), w.weight("funder")
    (2.0, 1.0)
    >>> g = EquityWeights({"D1": 10_000, "D5": 20_000}, reference=20_000, eta=1.0,
    ...                   groups={"young_people": "D1", "families": "D5"})
    >>> g.weight("young_people")
    2.0
    """

    incomes: Mapping[str, float] = attrs.field(converter=_incomes)
    reference: float
    eta: float = GREEN_BOOK_ETA
    source: str = ""
    groups: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=_incomes)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        if not isinstance(self.incomes, Mapping):
            c.add("incomes", "type", "expected a mapping of stakeholder (or group) to income")
        else:
            for k, v in self.incomes.items():
                c.number(v, ("incomes", str(k)), low=0.0, low_open=True)
        c.number(self.reference, "reference", low=0.0, low_open=True)
        c.number(self.eta, "eta", low=0.0)
        c.text(self.source, "source")
        if isinstance(self.groups, Mapping) and isinstance(self.incomes, Mapping):
            for s, g in self.groups.items():
                if g not in self.incomes:
                    c.add(
                        ("groups", str(s)),
                        "unknown_group",
                        f"income group {g!r} has no income; known: {sorted(self.incomes)}",
                    )
        c.raise_if_errors()

    @classmethod
    def from_toc(
        cls,
        toc: Any,
        *,
        reference: float,
        eta: float = GREEN_BOOK_ETA,
        group_incomes: Mapping[str, float] | None = None,
        source: str = "",
    ) -> EquityWeights:
        """Weights from the incomes (or income groups) the stakeholders carry.

        Parameters
        ----------
        toc : TheoryOfChange
            Its stakeholders' ``income`` and ``income_group``.
        reference : float
            Reference (median) income [currency/year].
        eta : float, default 1.3
            Elasticity of the marginal utility of income.
        group_incomes : mapping of str to float, optional
            Income of each income group named by a stakeholder.
        source : str
            Where the incomes come from.

        Returns
        -------
        EquityWeights

        Raises
        ------
        ValidationError
            When a stakeholder carries both an income and a group, or a group
            has no income in ``group_incomes``.

        Examples
        --------
        >>> import impactkit as ik
        >>> toc = ik.TheoryOfChange("t")
        >>> toc.add_stakeholder("jeunes", income=10_000)
        >>> toc.add_stakeholder("familles", income_group="D5")
        >>> w = EquityWeights.from_toc(toc, reference=20_000, eta=1.0,
        ...                            group_incomes={"D5": 20_000})
        >>> w.weight("jeunes"), w.weight("familles")
        (2.0, 1.0)
        """
        incomes: dict[str, float] = {}
        groups: dict[str, str] = {}
        c = Checker()
        for s in toc.stakeholders:
            if s.income is not None and s.income_group is not None:
                c.add(
                    ("stakeholders", s.id),
                    "conflict",
                    "a stakeholder carries an income or an income group, not both",
                )
            elif s.income is not None:
                incomes[s.id] = float(s.income)
            elif s.income_group is not None:
                groups[s.id] = s.income_group
        c.raise_if_errors()
        for g in set(groups.values()):
            if group_incomes is not None and g in group_incomes:
                incomes[g] = float(group_incomes[g])
        return cls(incomes, reference=reference, eta=eta, source=source, groups=groups)

    def income(self, stakeholder: str) -> float | None:
        """Income used for ``stakeholder``, or None when it is not weighted.

        Parameters
        ----------
        stakeholder : str
            Stakeholder id; its income group's income is used when it has one.

        Returns
        -------
        float or None
            Income [currency/year], or None when none is known for it.
        """
        key = self.groups.get(stakeholder, stakeholder)
        v = self.incomes.get(key)
        return None if v is None else float(v)

    def weight(self, stakeholder: str) -> float:
        """Weight of ``stakeholder`` (1 when no income is known for it).

        Parameters
        ----------
        stakeholder : str
            Stakeholder id.

        Returns
        -------
        float
            ``(reference / income) ** eta``, or 1.0 when no income is known.
        """
        y = self.income(stakeholder)
        if y is None:
            return 1.0
        return float(distributional_weights(y, reference=self.reference, eta=self.eta))

    def weights(self, stakeholders: Any) -> FloatArray:
        """Weights of a sequence of stakeholder ids, in order.

        Parameters
        ----------
        stakeholders : iterable
            Stakeholder ids (each converted with ``str``).

        Returns
        -------
        ndarray
            One weight per stakeholder, as :meth:`weight`.
        """
        return np.array([self.weight(str(s)) for s in stakeholders], dtype=float)

    def to_frame(self) -> pd.DataFrame:
        """One row per stakeholder or group: ``stakeholder``, ``group``, ``income``, ``weight``.

        Returns
        -------
        pandas.DataFrame
            Grouped stakeholders first (``group`` names their income group),
            then incomes given directly (``group`` empty).
        """
        rows = [(s, g, self.incomes[g]) for s, g in self.groups.items()]
        grouped = set(self.groups.values())
        rows += [(k, "", v) for k, v in self.incomes.items() if k not in grouped]
        df = pd.DataFrame(rows, columns=["stakeholder", "group", "income"])
        df["weight"] = (self.reference / df["income"].astype(float)) ** self.eta
        return df

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready fields.

        Returns
        -------
        dict
            ``incomes``, ``reference``, ``eta``, ``source`` and ``groups``.
        """
        return dict(jsonable(attrs.asdict(self, recurse=False)))

    def summary(self) -> Summary:
        """Reference, elasticity and the weights, for people.

        Returns
        -------
        Summary
            Reference income, elasticity and source, with the table of
            :meth:`to_frame`.
        """
        return Summary(
            "Distributional weights",
            (
                ("Reference income", f"{self.reference:,.0f}"),
                ("Elasticity (eta)", f"{self.eta:g}"),
                ("Source", self.source or "not stated"),
            ),
            self.to_frame(),
        )


def weighted_table(values: pd.DataFrame, equity: EquityWeights, *, column: str) -> pd.DataFrame:
    """``values`` with ``income``, ``weight`` and ``weighted_<column>`` added, by ``stakeholder``.

    Shared by the SROI and CBA results so both weight the same way.
    """
    if "stakeholder" not in values.columns:
        raise ValidationError(
            [Problem(("stakeholder",), "missing_column", "the table has no stakeholder column")]
        )
    out = values.copy()
    sh = out["stakeholder"].astype(str)
    out["income"] = [equity.income(s) for s in sh]
    out["weight"] = equity.weights(sh)
    out[f"weighted_{column}"] = out[column].astype(float) * out["weight"]
    return out
