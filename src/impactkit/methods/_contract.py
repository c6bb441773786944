r"""Outcome-based contracts (*contrat à impact*, social impact bonds).

Investors pre-finance a programme (drawdowns); an outcome payer reimburses
them with payments that depend on measured outcomes (price per outcome,
trigger thresholds, caps); an independent evaluator measures the outcomes.
The investor's internal rate of return and money multiple follow from the
cash flows (docs/methods/contracts.md); a Monte Carlo over outcome achievement gives
the probability of loss, the IRR distribution and the payer's expected cost.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from impactkit._random import seeded
from impactkit._results import Summary, displayed, freeze, jsonable
from impactkit._validation import Checker
from impactkit.dist import Distribution
from impactkit.errors import ValidationError
from impactkit.methods._cba import irr as _irr
from impactkit.methods._cba import irr_polynomial_roots
from impactkit.typing import FloatArray, SeedLike

__all__ = [
    "ContractResult",
    "ContractSimulation",
    "OutcomesContract",
    "PaymentRule",
    "vectorised_irr",
]


@attrs.frozen
class PaymentRule:
    r"""How one outcome metric is paid.

    Parameters
    ----------
    metric : str
        Name of the measured outcome.
    price : float
        Payment per outcome counted [currency].
    period : int
        Period (year) when the payment is made.
    threshold : float, default 0
        Trigger: below this achievement nothing is paid.
    counted : {"all", "above"}, default "all"
        Once the trigger is met, pay for every outcome (``"all"``) or only
        for those above the threshold (``"above"``).
    cap : float, optional
        Largest payment for this metric [currency].
    comparison : str, optional
        Name of the comparison group's metric (e.g. the return-to-work rate
        of a comparison group): the rule then triggers on the difference
        ``achieved[metric] - achieved[comparison]`` instead of the level. An
        achievement given as an :class:`~impactkit.attribution.EffectEstimate`
        is already such a difference (the estimated effect); its uncertainty
        is carried into :meth:`OutcomesContract.simulate`.
    cohort : float, default 1
        Units counted per unit of the triggering value, e.g. the number of
        participants when the trigger is a rate difference, so that
        ``difference × cohort`` is the number of additional outcomes
        [people].
    fixed : float, default 0
        Amount paid once the trigger is met, on top of the per-outcome
        payment (e.g. repayment of the capital) [currency]; ``cap`` bounds the
        total.

    Notes
    -----
    With :math:`x` the level (or difference), :math:`\tau` the threshold and
    :math:`c` the cohort, the payment is
    :math:`\min(cap, 1[x \ge \tau]\,(fixed + price \cdot c \cdot \max(u, 0)))`
    with :math:`u = x` (``counted="all"``) or :math:`u = x - \tau`
    (``counted="above"``).

    Examples
    --------
    +3 points of return to work against a comparison group, 200 participants,
    €2,000 per additional return to work above the trigger, capped:

    >>> r = PaymentRule("retour_emploi", price=2_000, period=1, threshold=0.03,
    ...                 counted="above", cap=50_000, comparison="groupe_comparaison",
    ...                 cohort=200)
    >>> float(r.pay(np.array([0.42]), np.array([0.40]))[0])  # 2 points: below trigger
    0.0
    >>> round(float(r.pay(np.array([0.50]), np.array([0.40]))[0]), 2)  # (0.10-0.03)x200x2000
    28000.0
    """

    metric: str
    price: float
    period: int
    threshold: float = 0.0
    counted: Literal["all", "above"] = "all"
    cap: float | None = None
    comparison: str | None = None
    cohort: float = 1.0
    fixed: float = 0.0

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.metric, "metric", empty=False)
        c.number(self.price, "price", low=0.0)
        c.number(self.period, "period", low=0, high=100, integer=True)
        c.number(self.threshold, "threshold", low=0.0)
        c.choice(self.counted, "counted", ("all", "above"))
        if self.cap is not None:
            c.number(self.cap, "cap", low=0.0)
        if self.comparison is not None:
            c.text(self.comparison, "comparison", empty=False)
            if self.comparison == self.metric:
                c.add("comparison", "invalid_choice", "the comparison must differ from the metric")
        c.number(self.cohort, "cohort", low=0.0, low_open=True)
        c.number(self.fixed, "fixed", low=0.0)
        c.raise_if_errors()

    @property
    def relative(self) -> bool:
        """True when the rule triggers on a difference against a comparison group."""
        return self.comparison is not None

    def _basis(self, achieved: FloatArray, comparison: FloatArray | None) -> FloatArray:
        a = np.asarray(achieved, dtype=float)
        if comparison is not None:
            a = a - np.asarray(comparison, dtype=float)
        return a

    def triggered(self, achieved: FloatArray, comparison: FloatArray | None = None) -> FloatArray:
        """Whether the trigger is met, per achievement (vectorised; arguments as :meth:`pay`).

        Parameters
        ----------
        achieved : ndarray
            Levels of the metric (or differences, e.g. estimated effects).
        comparison : ndarray, optional
            Levels of the comparison group, subtracted from ``achieved``.

        Returns
        -------
        ndarray of bool
            True where the level (or difference) reaches the threshold.
        """
        return np.asarray(self._basis(achieved, comparison) >= self._trigger)

    @property
    def _trigger(self) -> float:
        # a difference of rates computed in floating point (0.43 - 0.40) may fall
        # a rounding error short of the threshold it equals
        return self.threshold - 1e-9 * max(1.0, abs(self.threshold))

    def pay(self, achieved: FloatArray, comparison: FloatArray | None = None) -> FloatArray:
        """Payment for an array of achievements (vectorised).

        Parameters
        ----------
        achieved : ndarray
            Levels of the metric (or differences, e.g. estimated effects).
        comparison : ndarray, optional
            Levels of the comparison group, subtracted from ``achieved``.

        Returns
        -------
        ndarray
            Payment per achievement [currency].
        """
        a = self._basis(achieved, comparison)
        units = a - self.threshold if self.counted == "above" else a
        amount = np.maximum(units, 0.0) * self.price * self.cohort + self.fixed
        out = np.where(a >= self._trigger, amount, 0.0)
        if self.cap is not None:
            out = np.minimum(out, self.cap)
        return np.asarray(out, dtype=float)


def vectorised_irr(
    flows: FloatArray, *, lower: float = -1.0, upper: float | None = None
) -> FloatArray:
    """IRR of many yearly flow series at once (rows), NaN where it is not unique.

    Every real root above -100 % of every row comes from the companion
    matrices of the NPV polynomials, computed for all rows at once (
    docs/methods/cba.md, as :func:`~impactkit.methods.irr_roots`). A row gets its rate when it
    has exactly one root, a simple one, in ``(lower, upper]``; rows with no root
    or several (a double root counting as two) get NaN, never a search bound.
    Rows whose inflows are all zero, with some outflow, get -1: all capital
    lost, the limit of the IRR as the inflows shrink to zero. No loop over rows.

    Parameters
    ----------
    flows : ndarray, shape (S, T + 1) or (T + 1,)
        Yearly flows, one series per row, the first at year 0.
    lower : float, default -1
        Rates at or below it do not count.
    upper : float, optional
        Rates above it do not count (default: no limit).

    Returns
    -------
    ndarray, shape (S,)
        One rate per row, NaN where no unique rate exists.

    Examples
    --------
    >>> flows = np.array([[-100.0, 110.0, 0.0], [-100.0, 0.0, 121.0], [-100.0, 230.0, -132.0]])
    >>> vectorised_irr(flows).round(6)  # the last row has two roots, 10 % and 20 %
    array([0.1, 0.1, nan])
    """
    f = np.atleast_2d(np.asarray(flows, dtype=float))
    roots = irr_polynomial_roots(f)
    hi = np.inf if upper is None else upper
    roots = np.where((roots > lower) & (roots <= hi), roots, np.nan)
    found = np.isfinite(roots)
    unique = found.sum(axis=1) == 1
    rate = np.where(found, roots, 0.0).sum(axis=1)
    r = np.where(unique, rate, np.nan)
    nothing = np.all(f <= 0, axis=1) & np.any(f < 0, axis=1)
    return np.asarray(np.where(nothing, -1.0, r), dtype=float)


@displayed
@attrs.frozen
class ContractResult:
    r"""An outcomes contract evaluated for one set of achievements.

    Returned by :meth:`OutcomesContract.settle`. With :math:`I_t` the
    investors' share of the payments made in period :math:`t` and
    :math:`O_t` their drawdowns and fees, the investor flow is
    :math:`I_t - O_t`, the IRR solves :math:`\sum_t (I_t - O_t)/(1+r)^t = 0`
    and the money multiple is :math:`\sum_t I_t / \sum_t O_t`
    (docs/methods/contracts.md and docs/methods/cba.md).

    Parameters
    ----------
    payments : pandas.DataFrame
        One row per rule: ``metric``, ``achieved`` (the level or difference
        given), ``period`` and ``payment`` (after the payer cap) [currency].
    investor_flows : numpy.ndarray
        Net investor cash flow by period from 0, :math:`I_t - O_t`
        (drawdowns and fees negative) [currency].
    irr : float or None
        Investor internal rate of return of ``investor_flows``, the first at
        period 0 (:func:`~impactkit.methods.irr`) [fraction per period]; None
        when it does not exist or is not unique.
    irr_note : str
        Why ``irr`` is None (no sign change, no root or several roots); empty
        when ``irr`` is set.
    moic : float
        Money multiple on gross flows (docs/methods/contracts.md): the sum of the
        investors' inflows over the sum of their outflows (drawdowns and
        fees), never netted within a period.
    payer_cost : float
        Total outcome payments by the payer, undiscounted, including the
        share that stays with the operator [currency].
    cost_per_outcome : mapping of str to float or None
        By metric: the payments of that metric's rules divided by its
        outcomes :math:`n_m`, the number the metric's first rule counts:
        achievement × ``cohort``, or (achievement − comparison) × ``cohort``
        for a rule against a comparison group (the additional outcomes)
        [currency per outcome]; None when :math:`n_m` is not positive.
    payer_net : float or None
        :math:`\sum_m a_m\, n_m` - ``payer_cost``, with :math:`a_m`
        the public cost avoided per outcome of metric :math:`m` (0 for a
        metric without one) and :math:`n_m` its outcomes as above
        [currency]; None when the contract has no avoided costs per outcome.

    Examples
    --------
    >>> c = OutcomesContract(rules=[PaymentRule("jobs", price=4_000, period=2)],
    ...                      drawdowns=[300_000], avoided_cost_per_outcome={"jobs": 5_000})
    >>> r = c.settle({"jobs": 90})
    >>> r.investor_flows.tolist(), r.payer_cost, r.payer_net
    ([-300000.0, 0.0, 360000.0], 360000.0, 90000.0)
    >>> round(r.irr, 4), round(r.moic, 2), dict(r.cost_per_outcome)
    (0.0954, 1.2, {'jobs': 4000.0})
    """

    payments: pd.DataFrame = attrs.field(eq=False)
    investor_flows: FloatArray = attrs.field(eq=False)
    irr: float | None
    irr_note: str
    moic: float
    payer_cost: float
    cost_per_outcome: Mapping[str, float | None] = attrs.field(converter=freeze)
    payer_net: float | None

    def to_frame(self) -> pd.DataFrame:
        """The payments, one row per rule (a copy of ``payments``).

        Returns
        -------
        pandas.DataFrame
            ``metric``, ``achieved``, ``period``, ``payment``.
        """
        return self.payments.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            Every attribute by name; tables and arrays as lists.
        """
        fields = attrs.fields(ContractResult)
        return dict(jsonable({a.name: getattr(self, a.name) for a in fields}))

    def summary(self) -> Summary:
        """Investor and payer figures, for people.

        Returns
        -------
        Summary
        """
        lines = (
            ("Investor IRR", "-" if self.irr is None else f"{self.irr:.2%}"),
            ("Money multiple", f"{self.moic:.3f}"),
            ("Payer cost", f"{self.payer_cost:,.2f}"),
            ("Payer net", "-" if self.payer_net is None else f"{self.payer_net:,.2f}"),
        )
        return Summary("Outcomes contract", lines, self.payments)


@displayed(headline=("Expected money multiple", "P(loss)", "Draws"))
@attrs.frozen
class ContractSimulation:
    """Monte Carlo of an outcomes contract over uncertain achievements.

    Returned by :meth:`OutcomesContract.simulate`. Report the distribution of
    the IRR, the probability of loss and the expected money multiple rather
    than the IRR of the expected flows: :math:`E[IRR(CF)] \ne IRR(E[CF])`
    (docs/methods/contracts.md).

    Parameters
    ----------
    achieved : pandas.DataFrame
        Draws of every metric of the contract, one column per metric (in the
        order of :attr:`OutcomesContract.metrics`), one row per draw.
    irr : numpy.ndarray
        Investor IRR per draw (:func:`vectorised_irr`) [fraction per
        period]: -1 when investors receive nothing, NaN when the draw's flows
        have no unique IRR.
    moic : numpy.ndarray
        Money multiple per draw on gross flows: investors' inflows over
        their drawdowns and fees.
    payer_cost : numpy.ndarray
        Total outcome payments per draw, undiscounted [currency].
    irr_undefined : int, default 0
        Number of draws without a unique IRR (NaN in ``irr``).
    seed_entropy : int or None, default None
        Entropy of the seed of the draws, so they can be reproduced; None
        when a Generator was given.
    payments : numpy.ndarray or None, default None
        Payment per draw and rule, shape (draws, rules) [currency]
        (keyword-only).
    triggered : numpy.ndarray or None, default None
        Whether each rule's trigger is met, per draw, shape (draws, rules)
        (keyword-only).

    Examples
    --------
    >>> from impactkit.dist import Uniform
    >>> c = OutcomesContract(rules=[PaymentRule("jobs", price=4_000, period=2, threshold=60)],
    ...                      drawdowns=[300_000])
    >>> s = c.simulate({"jobs": Uniform(40, 100)}, n=20_000, seed=1)
    >>> round(s.probability_of_loss, 2), s.irr_undefined  # exactly P(jobs < 75) = 35/60
    (0.59, 0)
    """

    achieved: pd.DataFrame = attrs.field(eq=False)
    irr: FloatArray = attrs.field(eq=False)
    moic: FloatArray = attrs.field(eq=False)
    payer_cost: FloatArray = attrs.field(eq=False)
    irr_undefined: int = 0
    seed_entropy: int | None = None
    """Entropy of the seed of the draws (None when a Generator was given)."""
    payments: FloatArray | None = attrs.field(default=None, eq=False, kw_only=True)
    """Payment per draw and rule (draws x rules) [currency]."""
    triggered: FloatArray | None = attrs.field(default=None, eq=False, kw_only=True)
    """Whether each rule's trigger is met, per draw (draws x rules)."""

    @property
    def probability_triggered(self) -> FloatArray | None:
        """Share of draws in which each rule's trigger is met (in rule order)."""
        if self.triggered is None:
            return None
        return np.asarray(self.triggered.mean(axis=0), dtype=float)

    @property
    def probability_of_loss(self) -> float:
        """Share of draws where investors get back less than they put in."""
        return float(np.mean(self.moic < 1.0))

    @property
    def expected_payer_cost(self) -> float:
        """Mean total outcome payments."""
        return float(np.mean(self.payer_cost))

    @property
    def expected_moic(self) -> float:
        """Mean money multiple."""
        return float(np.mean(self.moic))

    def irr_percentiles(self, q: Sequence[float] = (5, 50, 95)) -> pd.Series:
        """Percentiles of the IRR distribution (note E[IRR] is not IRR(E[flows])).

        Draws without a unique IRR (``irr_undefined`` of them) are left out;
        all NaN when no draw has one.

        Parameters
        ----------
        q : sequence of float, default (5, 50, 95)
            Percentiles, 0-100.

        Returns
        -------
        pandas.Series
            Indexed by ``q``.
        """
        ok = self.irr[np.isfinite(self.irr)]
        vals = np.percentile(ok, list(q)) if ok.size else np.full(len(q), np.nan)
        return pd.Series(vals, index=list(q), name="irr")

    def to_frame(self) -> pd.DataFrame:
        """One row per draw: the achievements, then ``irr``, ``moic``, ``payer_cost``.

        Returns
        -------
        pandas.DataFrame
        """
        out = self.achieved.copy()
        out["irr"] = self.irr
        out["moic"] = self.moic
        out["payer_cost"] = self.payer_cost
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the summaries of the draws (not the draws).

        Returns
        -------
        dict
            ``n``, ``seed_entropy``, ``probability_of_loss``,
            ``expected_payer_cost``, ``expected_moic`` and ``irr_percentiles``
            (P5, P50, P95).
        """
        p = self.irr_percentiles()
        return dict(
            jsonable(
                {
                    "n": len(self.moic),
                    "seed_entropy": self.seed_entropy,
                    "probability_of_loss": self.probability_of_loss,
                    "expected_payer_cost": self.expected_payer_cost,
                    "expected_moic": self.expected_moic,
                    "irr_percentiles": {f"p{k:g}": v for k, v in p.items()},
                }
            )
        )

    def summary(self) -> Summary:
        """Risk figures for investors and payers, for people.

        Returns
        -------
        Summary
        """
        p = self.irr_percentiles()
        lines = (
            ("Draws", f"{len(self.moic):,}"),
            ("P(loss)", f"{self.probability_of_loss:.1%}"),
            ("Expected money multiple", f"{self.expected_moic:.3f}"),
            ("Expected payer cost", f"{self.expected_payer_cost:,.2f}"),
            (
                "IRR P5 / P50 / P95",
                " / ".join("-" if np.isnan(v) else f"{v:.2%}" for v in p.to_numpy()),
            ),
            ("Draws without a unique IRR", f"{self.irr_undefined:,}"),
        )
        return Summary("Outcomes contract simulation", lines)


def _point(v: Any) -> Any:
    """The point value of an achievement (an EffectEstimate's effect)."""
    effect = getattr(v, "effect", None)
    if effect is not None and hasattr(v, "se"):
        return float(effect)
    return v


def _draws(v: Any, rng: np.random.Generator, n: int) -> FloatArray:
    """Draws of one achievement: a number, a Distribution or an EffectEstimate."""
    if isinstance(v, Distribution):
        return v.sample(rng, n)
    if hasattr(v, "effect") and hasattr(v, "se"):
        df = getattr(v, "df", None)
        z = rng.standard_t(df, n) if df is not None and np.isfinite(df) else rng.standard_normal(n)
        return np.asarray(float(v.effect) + float(v.se) * z, dtype=float)
    return np.full(n, float(v))


def _floats(x: Sequence[float]) -> tuple[float, ...]:
    return tuple(float(v) for v in x)


def _rules(x: Sequence[PaymentRule]) -> tuple[PaymentRule, ...]:
    return tuple(x)


def _dict(x: Mapping[str, float]) -> dict[str, float]:
    return dict(x)


@attrs.frozen
class OutcomesContract:
    """An outcome-based contract: drawdowns, payment rules, payer cap, investor share.

    Parameters
    ----------
    rules : sequence of PaymentRule
    drawdowns : sequence of float
        Investor capital drawn in each period from 0 [currency].
    payer_cap : float, optional
        Largest total payment by the outcome payer.
    investor_share : float, default 1
        Share of payments going to investors (the rest stays with the operator).
    fees : sequence of float, optional
        Fees paid by investors each period (intermediary, evaluation).
    avoided_cost_per_outcome : mapping, optional
        Public cost avoided per outcome, by metric, to compare with payments.

    Examples
    --------
    docs/methods/contracts.md: one million drawn at t0, 400,000 paid at t2, 800,000 at t3.

    >>> c = OutcomesContract(
    ...     rules=[PaymentRule("jobs", price=4_000, period=2),
    ...            PaymentRule("housing", price=8_000, period=3)],
    ...     drawdowns=[1_000_000])
    >>> r = c.settle({"jobs": 100, "housing": 100})
    >>> round(r.irr, 5), round(r.moic, 2)
    (0.07097, 1.2)
    """

    rules: tuple[PaymentRule, ...] = attrs.field(converter=_rules)
    drawdowns: tuple[float, ...] = attrs.field(converter=_floats)
    payer_cap: float | None = None
    investor_share: float = 1.0
    fees: tuple[float, ...] = attrs.field(default=(), converter=_floats)
    avoided_cost_per_outcome: Mapping[str, float] = attrs.field(factory=dict, converter=_dict)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        if not self.rules:
            c.add("rules", "empty", "a contract needs at least one payment rule")
        for i, r in enumerate(self.rules):
            if not isinstance(r, PaymentRule):
                c.add(("rules", i), "type", "expected a PaymentRule")
        for i, d in enumerate(self.drawdowns):
            c.number(d, ("drawdowns", i), low=0.0)
        if not any(d > 0 for d in self.drawdowns):
            c.add("drawdowns", "empty", "investors must draw some capital")
        if self.payer_cap is not None:
            c.number(self.payer_cap, "payer_cap", low=0.0)
        c.number(self.investor_share, "investor_share", low=0.0, high=1.0)
        for i, f in enumerate(self.fees):
            c.number(f, ("fees", i), low=0.0)
        c.raise_if_errors()

    @property
    def metrics(self) -> list[str]:
        """Metrics named by the rules, in order."""
        names = (m for r in self.rules for m in (r.metric, r.comparison) if m is not None)
        return list(dict.fromkeys(names))

    @property
    def periods(self) -> int:
        """Number of periods covered by drawdowns, fees and payments."""
        return max(len(self.drawdowns), len(self.fees), max(r.period for r in self.rules) + 1)

    def _flows(self, achieved: FloatArray) -> tuple[FloatArray, FloatArray]:
        """Payments per rule (S, R) and net investor flows (S, T) for achievements (S, M)."""
        pay, inflow, out = self._gross_flows(achieved)
        return pay, inflow - out[None, :]

    def _gross_flows(self, achieved: FloatArray) -> tuple[FloatArray, FloatArray, FloatArray]:
        """Payments per rule (S, R), investor inflows (S, T) and outflows (T,).

        Inflows are the investors' share of the payments, outflows the
        drawdowns and fees, each gross: the net flow of a period is their
        difference.
        """
        pay = np.column_stack(
            [r.pay(*args) for r, args in zip(self.rules, self._rule_inputs(achieved), strict=True)]
        )
        if self.payer_cap is not None:
            total = pay.sum(axis=1, keepdims=True)
            with np.errstate(divide="ignore", invalid="ignore"):
                scale = np.where(total > self.payer_cap, self.payer_cap / total, 1.0)
            pay = pay * scale
        periods = self.periods
        t_idx = np.array([r.period for r in self.rules])
        onehot = np.zeros((len(self.rules), periods))
        onehot[np.arange(len(self.rules)), t_idx] = 1.0
        inflow = self.investor_share * (pay @ onehot)
        out = np.zeros(periods)
        out[: len(self.drawdowns)] += self.drawdowns
        out[: len(self.fees)] += self.fees
        return pay, inflow, out

    def _rule_inputs(self, achieved: FloatArray) -> list[tuple[FloatArray, FloatArray | None]]:
        """Each rule's achievements (S,) and its comparison's (or None), from (S, M)."""
        idx = {m: i for i, m in enumerate(self.metrics)}
        return [
            (
                achieved[:, idx[r.metric]],
                None if r.comparison is None else achieved[:, idx[r.comparison]],
            )
            for r in self.rules
        ]

    def _check_achieved(self, achieved: Mapping[str, Any]) -> None:
        missing = [m for m in self.metrics if m not in achieved]
        if missing:
            raise ValidationError(
                f"no achievement given for {missing}", path=("achieved",), code="missing"
            )

    def _achieved(self, achieved: Mapping[str, Any]) -> FloatArray:
        self._check_achieved(achieved)
        c = Checker()
        for m in self.metrics:
            c.number(achieved[m], ("achieved", m))
        c.raise_if_errors()
        return np.array([[float(achieved[m]) for m in self.metrics]])

    def settle(self, achieved: Mapping[str, Any]) -> ContractResult:
        """Payments, investor flows, IRR and money multiple for given achievements.

        Each rule pays :meth:`PaymentRule.pay` on its metric's achievement
        (minus the comparison group's when the rule has one); when the
        total exceeds ``payer_cap`` every payment is scaled down in
        proportion. Investors receive ``investor_share`` of each payment in
        the rule's period and pay the drawdowns and fees; the IRR and money
        multiple follow (docs/methods/contracts.md).

        Parameters
        ----------
        achieved : mapping of str to float or EffectEstimate
            Achievement of every metric named by the rules (and of every
            comparison metric). An
            :class:`~impactkit.attribution.EffectEstimate` counts by its
            point estimate here; :meth:`simulate` carries its uncertainty.

        Returns
        -------
        ContractResult
            Payments, investor flows, IRR (None with a note when it is not
            unique), money multiple and the payer's cost.

        Raises
        ------
        ValidationError
            When a metric named by the rules has no achievement (code
            ``missing``) or an achievement is not a finite number.

        References
        ----------
        .. [1] Avise (2020, updated since). Contrats à impact : où en est-on ?
           (payment by results: principal and premium repaid only if the
           targets are met).

        Examples
        --------
        docs/methods/contracts.md: one million drawn at t0, 400,000 paid at t2, 800,000 at t3.

        >>> c = OutcomesContract(
        ...     rules=[PaymentRule("jobs", price=4_000, period=2),
        ...            PaymentRule("housing", price=8_000, period=3)],
        ...     drawdowns=[1_000_000])
        >>> r = c.settle({"jobs": 100, "housing": 100})
        >>> round(r.irr, 5), round(r.moic, 2)
        (0.07097, 1.2)
        """
        achieved = {k: _point(v) for k, v in achieved.items()}
        a = self._achieved(achieved)
        pay, inflow, out = self._gross_flows(a)
        f = inflow[0] - out
        inflows, outflows = float(inflow.sum()), float(out.sum())
        try:
            rate: float | None = _irr(f)
            note = ""
        except ValidationError as exc:
            rate, note = None, exc.problems[0].message
        payer_cost = float(pay.sum())
        by_metric: dict[str, float] = {}
        counted: dict[str, float] = {}  # outcomes of a metric, as its first rule counts them
        for r, p, args in zip(self.rules, pay[0], self._rule_inputs(a), strict=True):
            by_metric[r.metric] = by_metric.get(r.metric, 0.0) + float(p)
            counted.setdefault(r.metric, float(r._basis(*args)[0]) * r.cohort)
        cpo = {m: (by_metric[m] / counted[m] if counted[m] > 0 else None) for m in by_metric}
        net = None
        if self.avoided_cost_per_outcome:
            net = float(
                sum(self.avoided_cost_per_outcome.get(m, 0.0) * n for m, n in counted.items())
                - payer_cost
            )
        table = pd.DataFrame(
            {
                "metric": [r.metric for r in self.rules],
                "achieved": [float(achieved[r.metric]) for r in self.rules],
                "period": [r.period for r in self.rules],
                "payment": pay[0],
            }
        )
        return ContractResult(
            table,
            f,
            rate,
            note,
            float(inflows / outflows) if outflows > 0 else float("inf"),
            payer_cost,
            cpo,
            net,
        )

    def simulate(
        self,
        achieved: Mapping[str, Distribution | float],
        *,
        n: int = 10_000,
        seed: SeedLike = None,
    ) -> ContractSimulation:
        """Monte Carlo over outcome achievement (independent metrics), vectorised over draws.

        An achievement may be a number, a :class:`~impactkit.dist.Distribution`
        or an :class:`~impactkit.attribution.EffectEstimate`, drawn as
        ``effect + se × T`` (T a Student t with the estimate's degrees of
        freedom, or a standard normal without them): the estimate's
        uncertainty reaches payments, investor IRR and the payer's cost.

        Parameters
        ----------
        achieved : mapping of str to Distribution or float
            Achievement of every metric of the contract.
        n : int, default 10,000
            Number of draws.
        seed : int, SeedSequence, Generator or None
            Seed of the draws; None draws fresh entropy, recorded on the result.

        Returns
        -------
        ContractSimulation

        Raises
        ------
        ValidationError
            When ``n`` is not positive, a metric has no achievement, or a
            fixed achievement is not a finite number.
        """
        if n < 1:
            raise ValidationError("n must be positive", path=("n",), code="out_of_range")
        rng, entropy = seeded(seed)
        self._check_achieved(achieved)
        c = Checker()
        for m in self.metrics:
            v = achieved[m]
            if not isinstance(v, Distribution) and not (hasattr(v, "effect") and hasattr(v, "se")):
                c.number(v, ("achieved", m))
        c.raise_if_errors()
        cols = [_draws(achieved[m], rng, n) for m in self.metrics]
        a = np.column_stack(cols)
        pay, inflow, out = self._gross_flows(a)
        rates = vectorised_irr(inflow - out[None, :])
        hit = np.column_stack(
            [r.triggered(*args) for r, args in zip(self.rules, self._rule_inputs(a), strict=True)]
        )
        return ContractSimulation(
            pd.DataFrame(a, columns=self.metrics),
            rates,
            inflow.sum(axis=1) / out.sum(),
            pay.sum(axis=1),
            irr_undefined=int(np.isnan(rates).sum()),
            seed_entropy=entropy,
            payments=pay,
            triggered=hit,
        )
