r"""From estimates to SROI deadweight; sharing value among contributors (Shapley)."""

from __future__ import annotations

import itertools
import math
import numbers
from collections.abc import Callable, Hashable, Mapping, Sequence
from typing import Any, Literal

import attrs
import numpy as np
import pandas as pd

from impactkit._random import seeded
from impactkit._results import Summary, displayed, freeze, jsonable
from impactkit._validation import did_you_mean
from impactkit.attribution._core import EffectEstimate
from impactkit.dist import Normal
from impactkit.errors import Problem, ValidationError
from impactkit.typing import SeedLike

__all__ = [
    "CounterfactualDeadweight",
    "DeadweightEstimate",
    "ShapleyResult",
    "deadweight_from_effect",
    "shapley",
    "share_value",
]


@displayed(headline=("Deadweight", "Effect"))
@attrs.frozen
class DeadweightEstimate:
    """SROI deadweight derived from a counterfactual estimate (docs/methods/attribution.md).

    Parameters
    ----------
    deadweight : float
        In [0, 1].
    quantity : float or None
        The claimable quantity ``n1 × τ`` when the deadweight formula would be
        negative (things would have got worse without the programme): then
        deadweight is 0 and this quantity replaces the observed one.
    effect, se : float
        The effect estimate used.
    observed : float
        Participants' observed rate (or mean change) ``p1``.
    kind : {"rate", "change"}
    note : str
        What was done, for the lineage (``deadweight_source``).

    Examples
    --------
    :func:`deadweight_from_effect` returns it. Coaching raised employment by
    15 points (standard error 5) among participants of whom 60 % are employed:
    three in four of them would have found work anyway.

    >>> dw = deadweight_from_effect(0.15, 0.6, se=0.05)
    >>> round(dw.deadweight, 4), dw.note
    (0.75, 'counterfactual_estimate')
    >>> d = dw.as_distribution()    # for Monte Carlo: sd = se / observed
    >>> round(d.mean_, 4), round(d.sd, 4), (d.low, d.high)
    (0.75, 0.0833, (0.0, 1.0))
    """

    deadweight: float
    quantity: float | None
    effect: float
    se: float
    observed: float
    kind: str
    note: str

    def as_distribution(self) -> Normal | float:
        """Deadweight carrying the effect's uncertainty into Monte Carlo.

        :math:`DW = 1 - \\tau/p_1` with :math:`\\tau \\sim N(\\hat\\tau, SE^2)`, i.e. a
        normal with mean ``deadweight`` and sd ``SE/p1``, truncated to [0, 1].
        A deadweight of exactly 0 or 1 from the edge cases stays a number.

        Returns
        -------
        Normal or float
            A truncated normal, or the deadweight itself when it is certain.
        """
        if self.quantity is not None or self.deadweight in (0.0, 1.0) or self.se <= 0:
            return self.deadweight
        return Normal(self.deadweight, self.se / abs(self.observed), low=0.0, high=1.0)

    def to_frame(self) -> pd.DataFrame:
        """The estimate as a one-row table.

        Returns
        -------
        pandas.DataFrame
            Columns ``deadweight``, ``quantity``, ``effect``, ``se``,
            ``observed``, ``kind``, ``note``.
        """
        return pd.DataFrame([self.to_dict()])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            Every attribute by name.
        """
        return dict(jsonable(attrs.asdict(self)))

    def summary(self) -> Summary:
        """The deadweight and where it comes from, for people.

        Returns
        -------
        Summary
        """
        lines = (
            ("Deadweight", f"{self.deadweight:.4g}"),
            ("Claimable quantity", "-" if self.quantity is None else f"{self.quantity:.6g}"),
            ("Effect (se)", f"{self.effect:.6g} ({self.se:.6g})"),
            (f"Observed {self.kind}", f"{self.observed:.6g}"),
            ("Note", self.note),
        )
        return Summary("Deadweight from a counterfactual estimate", lines)


def deadweight_from_effect(
    effect: float | EffectEstimate,
    observed: float,
    *,
    se: float | None = None,
    n_treated: int | None = None,
    kind: Literal["rate", "change"] = "rate",
) -> DeadweightEstimate:
    r"""Turn a counterfactual effect into the SROI deadweight (docs/methods/attribution.md).

    Parameters
    ----------
    effect : float or EffectEstimate
        :math:`\tau`, the effect on participants (ATT), on the outcome's scale.
    observed : float
        :math:`p_1`, participants' observed outcome rate (``kind="rate"``) or
        mean observed change (``kind="change"``).
    se : float, optional
        Standard error of ``effect`` (taken from an EffectEstimate).
    n_treated : int, optional
        :math:`n_1`, needed for the claimable quantity when :math:`\tau > p_1`.
    kind : {"rate", "change"}

    Returns
    -------
    DeadweightEstimate

    Raises
    ------
    ValidationError
        Listing at once every bad argument: an effect that is not finite, a
        standard error that is negative or not finite, an observed level that
        is not a finite positive number, an unknown ``kind``, a negative
        ``n_treated``, or a missing ``n_treated`` when the effect exceeds the
        observed level.

    Notes
    -----
    :math:`DW = p_0 / p_1 = 1 - \tau / p_1` (rates) or :math:`1 - \tau/\bar\Delta_1`
    (change scores), so that :math:`Q(1 - DW) = n_1 \tau`, the number of
    additional outcomes. :math:`\tau \le 0` gives :math:`DW = 1` (nothing to
    claim). :math:`\tau > p_1` would give a negative deadweight: impactkit sets
    :math:`DW = 0` and the quantity to :math:`n_1 \tau` (impactkit convention).

    Examples
    --------
    60 % of 100 participants employed against 40 % for the comparison group:

    >>> dw = deadweight_from_effect(0.2, 0.6, n_treated=100)
    >>> round(dw.deadweight, 4), round(100 * (1 - dw.deadweight) * 0.6, 6)
    (0.6667, 20.0)
    """
    if isinstance(effect, EffectEstimate):
        se = effect.se if se is None else se
        n_treated = effect.n_treated if n_treated is None else n_treated
        tau = float(effect.effect)
    else:
        tau = float(effect)
    se = 0.0 if se is None else float(se)
    problems: list[Problem] = []
    if not math.isfinite(tau):
        problems.append(
            Problem(("effect",), "not_finite", f"must be a finite number, got {tau!r}")
        )
    if not (math.isfinite(se) and se >= 0):
        problems.append(
            Problem(("se",), "out_of_range", f"must be a finite number >= 0, got {se!r}")
        )
    kinds = ("rate", "change")
    if kind not in kinds:
        problems.append(
            Problem(("kind",), "invalid_choice", f"must be one of {kinds}, got {kind!r}")
        )
    real = isinstance(observed, numbers.Real) and not isinstance(observed, bool)
    if not (real and math.isfinite(observed) and observed > 0):
        what = kind if kind in kinds else "level"
        problems.append(
            Problem(
                ("observed",),
                "out_of_range",
                f"the participants' observed {what} must be a finite positive number, "
                f"got {observed!r}",
            )
        )
    if n_treated is not None and not (
        isinstance(n_treated, int | np.integer)
        and not isinstance(n_treated, bool)
        and n_treated >= 0
    ):
        problems.append(
            Problem(
                ("n_treated",), "out_of_range", f"must be a whole number >= 0, got {n_treated!r}"
            )
        )
    if problems:
        raise ValidationError(problems)
    if tau <= 0:
        return DeadweightEstimate(
            1.0,
            None,
            tau,
            se,
            observed,
            kind,
            "effect <= 0: no claimable positive value (deadweight 1); "
            "consider a negative-outcome row if significantly below 0",
        )
    if tau > observed:
        if n_treated is None:
            raise ValidationError(
                "the effect exceeds the observed level: give n_treated to "
                "compute the claimable quantity",
                path=("n_treated",),
                code="missing",
            )
        return DeadweightEstimate(
            0.0,
            n_treated * tau,
            tau,
            se,
            observed,
            kind,
            "counterfactual_estimate: effect > observed level, "
            "deadweight 0 and quantity n1 x effect",
        )
    return DeadweightEstimate(
        1.0 - tau / observed, None, tau, se, observed, kind, "counterfactual_estimate"
    )


@displayed
@attrs.frozen
class ShapleyResult:
    """Shapley values of the players of a cooperative game.

    Parameters
    ----------
    values : dict
        Player to Shapley value.
    total : float
        :math:`v(N)`; the values sum to it (efficiency).
    exact : bool
        Computed over every coalition (else by permutation sampling).
    se : dict
        Monte Carlo standard errors (zeros when exact).
    n_permutations : int
    seed_entropy : int or None
        Entropy of the seed of the permutation sampling.

    Examples
    --------
    :func:`shapley` returns it. A département and a foundation co-fund an
    insertion workshop; alone they would place 40 and 20 people, together 80:

    >>> v = {("departement",): 40, ("foundation",): 20, ("departement", "foundation"): 80}
    >>> r = shapley(["departement", "foundation"], v)
    >>> r.exact, r.total
    (True, 80.0)
    >>> r.to_frame()[["player", "value", "share"]]
            player  value  share
    0  departement   50.0  0.625
    1   foundation   30.0  0.375
    """

    values: Mapping[Hashable, float] = attrs.field(converter=freeze)
    total: float
    exact: bool
    se: Mapping[Hashable, float] = attrs.field(converter=freeze)
    n_permutations: int
    seed_entropy: int | None = None
    """Entropy of the seed of the permutation sampling (None when exact or
    when a Generator was given)."""

    def to_frame(self) -> pd.DataFrame:
        """One row per player.

        Returns
        -------
        pandas.DataFrame
            ``player``, ``value``, ``share`` (of the total), ``se``.
        """
        players = list(self.values)
        vals = np.array([self.values[p] for p in players])
        share = vals / self.total if self.total else np.zeros_like(vals)
        return pd.DataFrame(
            {"player": players, "value": vals, "share": share, "se": [self.se[p] for p in players]}
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (players become strings).

        Returns
        -------
        dict
            ``total``, ``exact``, ``n_permutations``, ``seed_entropy`` and one
            record per player (``player``, ``value``, ``share``, ``se``).
        """
        frame = self.to_frame()
        frame["player"] = frame["player"].map(str)
        return dict(
            jsonable(
                {
                    "total": self.total,
                    "exact": self.exact,
                    "n_permutations": self.n_permutations,
                    "seed_entropy": self.seed_entropy,
                    "players": frame,
                }
            )
        )

    def summary(self) -> Summary:
        """Each player's value and share, for people.

        Returns
        -------
        Summary
        """
        lines = (
            ("Total value", f"{self.total:,.2f}"),
            ("Method", "exact" if self.exact else f"{self.n_permutations:,} permutations"),
        )
        return Summary("Shapley values", lines, self.to_frame())


def _value_fn(
    value: Callable[[frozenset[Any]], float] | Mapping[Any, float],
) -> Callable[[frozenset[Any]], float]:
    if callable(value):
        return value
    table = {
        frozenset(k) if not isinstance(k, frozenset) else k: float(v) for k, v in value.items()
    }
    bad = [
        Problem(
            ("value", ", ".join(sorted(map(str, k)))),  # value["a, b"]
            "not_finite",
            f"a coalition's value must be a finite number, got {v!r}",
        )
        for k, v in table.items()
        if not math.isfinite(v)
    ]
    if bad:
        raise ValidationError(bad)

    def lookup(s: frozenset[Any]) -> float:
        if not s:
            return table.get(s, 0.0)
        if s not in table:
            raise ValidationError(
                f"no value given for coalition {sorted(map(str, s))}",
                path=("value",),
                code="missing",
            )
        return table[s]

    return lookup


def shapley(
    players: Sequence[Hashable],
    value: Callable[[frozenset[Any]], float] | Mapping[Any, float],
    *,
    exact_max: int = 12,
    n_permutations: int = 20_000,
    seed: SeedLike = None,
) -> ShapleyResult:
    r"""Shapley values: each player's average marginal contribution.

    Parameters
    ----------
    players : sequence
        The contributors (funders, partners).
    value : callable or mapping
        :math:`v(S)` for a coalition :math:`S` (a frozenset of players), or a
        mapping from coalitions (any iterable of players) to values;
        :math:`v(\emptyset) = 0`.
    exact_max : int, default 12
        Up to this many players every coalition is enumerated.
    n_permutations : int, default 20,000
        Random orderings sampled above ``exact_max`` (seeded).
    seed : int, SeedSequence, Generator or None
        Seed of the permutation sampling; None draws fresh entropy, recorded
        on the result as ``seed_entropy``.

    Returns
    -------
    ShapleyResult

    Raises
    ------
    ValidationError
        When ``players`` is empty or has duplicates, ``n_permutations`` is not
        a whole number of at least 2, or a coalition's value is missing or not
        finite.

    Notes
    -----
    .. math::
        \phi_i = \sum_{S \subseteq N \setminus \{i\}}
                 \frac{|S|!\,(n - |S| - 1)!}{n!}\,[v(S \cup \{i\}) - v(S)]

    Efficiency (:math:`\sum_i \phi_i = v(N)`), symmetry, dummy player and
    additivity hold. The share :math:`\phi_i / v(N)` of a present value is a
    contribution split, not an attribution haircut: do not multiply it into
    the attribution of an outcome row.

    References
    ----------
    .. [1] Shapley, L. S. (1953). A value for n-person games. Contributions to
       the Theory of Games II, 307-317.
    .. [2] Castro, J., Gómez, D., Tejada, J. (2009). Polynomial calculation of
       the Shapley value based on sampling. Computers & Operations Research 36.

    Examples
    --------
    >>> v = {(1,): 10, (2,): 20, (3,): 0, (1, 2): 60, (1, 3): 30, (2, 3): 40,
    ...      (1, 2, 3): 100}
    >>> r = shapley([1, 2, 3], v)
    >>> {k: round(x, 6) for k, x in r.values.items()}
    {1: 35.0, 2: 45.0, 3: 20.0}
    """
    players = list(players)
    n = len(players)
    problems: list[Problem] = []
    if n == 0 or len(set(players)) != n:
        problems.append(
            Problem(("players",), "invalid", "players must be a non-empty list without duplicates")
        )
    if not (isinstance(n_permutations, int | np.integer) and n_permutations >= 2):
        problems.append(
            Problem(
                ("n_permutations",),
                "out_of_range",
                f"must be a whole number >= 2 (a standard error needs two), "
                f"got {n_permutations!r}",
            )
        )
    if problems:
        raise ValidationError(problems)
    v = _value_fn(value)
    cache: dict[frozenset[Any], float] = {}

    def val(s: frozenset[Any]) -> float:
        if s not in cache:
            x = 0.0 if not s else float(v(s))
            if not math.isfinite(x):
                raise ValidationError(
                    f"the value of coalition {sorted(map(str, s))} must be a finite number, "
                    f"got {x!r}",
                    path=("value",),
                    code="not_finite",
                )
            cache[s] = x
        return cache[s]

    total = val(frozenset(players))
    if n <= exact_max:
        phi = dict.fromkeys(players, 0.0)
        fact = [math.factorial(k) for k in range(n + 1)]
        for size in range(n):
            wgt = fact[size] * fact[n - size - 1] / fact[n]
            for s in itertools.combinations(players, size):
                fs = frozenset(s)
                vs = val(fs)
                for p in players:
                    if p not in fs:
                        phi[p] += wgt * (val(fs | {p}) - vs)
        return ShapleyResult(phi, total, True, dict.fromkeys(players, 0.0), 0)
    rng, entropy = seeded(seed)
    contrib = np.zeros((n_permutations, n))
    for r in range(n_permutations):  # each ordering needs its own chain of game values
        perm = rng.permutation(n)
        coalition: frozenset[Any] = frozenset()
        prev = 0.0
        for idx in perm:
            coalition = coalition | {players[idx]}
            cur = val(coalition)
            contrib[r, idx] = cur - prev
            prev = cur
    means = contrib.mean(axis=0)
    ses = contrib.std(axis=0, ddof=1) / math.sqrt(n_permutations)
    return ShapleyResult(
        dict(zip(players, map(float, means), strict=True)),
        total,
        False,
        dict(zip(players, map(float, ses), strict=True)),
        n_permutations,
        entropy,
    )


def share_value(
    present_value: float,
    contributors: Sequence[Hashable],
    *,
    coalition_values: Callable[[frozenset[Any]], float] | Mapping[Any, float],
    **kwargs: Any,
) -> pd.DataFrame:
    """Share an outcome's present value among its co-funders or partners by Shapley value.

    ``coalition_values`` gives the outcome (or value) each coalition of
    contributors would achieve; each contributor's share of ``present_value`` is
    its Shapley value over :math:`v(N)`.

    Parameters
    ----------
    present_value : float
        The value to share [currency].
    contributors : sequence
        The co-funders or partners.
    coalition_values : callable or mapping
        What each coalition would achieve (see :func:`shapley`).
    **kwargs
        Options of :func:`shapley` (``exact_max``, ``n_permutations``, ``seed``).

    Returns
    -------
    pandas.DataFrame
        ``player``, ``value`` (Shapley), ``share``, ``se``, ``present_value``.

    Examples
    --------
    >>> share_value(100_000, ["state", "foundation"], coalition_values=
    ...             {("state",): 40, ("foundation",): 20, ("state", "foundation"): 80}
    ...             )[["player", "share", "present_value"]]
           player  share  present_value
    0       state  0.625        62500.0
    1  foundation  0.375        37500.0
    """
    res = shapley(contributors, coalition_values, **kwargs)
    out = res.to_frame()
    out["present_value"] = out["share"] * float(present_value)
    return out


@attrs.frozen
class CounterfactualDeadweight:
    """A deadweight measured from data with a counterfactual estimator.

    Stands where a deadweight stands in an :class:`~impactkit.OutcomeValuation`
    and is bound to a data source on evaluation, like a measurement calculator::

        OutcomeValuation(..., deadweight=att.CounterfactualDeadweight(
            estimator="ipw", outcome="employed", treatment="coached",
            covariates=["age", "diploma"], data="cohort", options={"estimand": "ATT"}))

    Parameters
    ----------
    estimator : str
        Registry name of the estimator (``impactkit.registry.names("attribution")``).
    outcome, treatment : str
        Columns of the data source.
    covariates : sequence of str
        Covariates (for estimators that take them).
    kind : {"rate", "change"}
        Outcome is a rate (0/1) or a change score (see :func:`deadweight_from_effect`).
    data : str, optional
        Name of the data source.
    options : mapping, optional
        Parameters of the estimator (e.g. ``{"estimand": "ATT", "trim": 0.1}``).
    estimate_kwargs : mapping, optional
        Further keyword arguments of ``estimate`` (e.g. ``{"entity": "id", "time": "year"}``).

    Notes
    -----
    The participants' observed level :math:`p_1` is the mean outcome of the
    treated units the estimate is about (``diagnostics["outcome_mean_treated"]``:
    after rows dropped for missing values, trimming or a caliper); with a
    difference in differences, the treated's mean in the post period, and with
    ``kind="change"`` their mean change from the pre to the post period (2×2
    design; with two-way fixed effects the change is not defined and
    ``kind="change"`` is refused). For a cross-sectional estimator with
    ``kind="change"`` the outcome is the change score itself. In Monte Carlo
    with ``sampling_uncertainty=True`` the deadweight is drawn as
    :math:`1 - \\tau/p_1` with :math:`\\tau \\sim N(\\hat\\tau, SE^2)`
    (truncated to [0, 1]).

    Examples
    --------
    A seeded cohort where the older are coached less often and find work less
    often; inverse probability weighting on age gives the effect on the
    coached (ATT), hence the deadweight:

    >>> rng = np.random.default_rng(7)
    >>> age = rng.integers(20, 60, 300)
    >>> coached = (rng.random(300) < 1 / (1 + np.exp(-(age - 40) / 10))).astype(int)
    >>> employed = (rng.random(300) < 0.3 + 0.2 * coached - 0.004 * (age - 40)).astype(int)
    >>> cohort = pd.DataFrame({"age": age, "coached": coached, "employed": employed})
    >>> cd = CounterfactualDeadweight(estimator="ipw", outcome="employed",
    ...     treatment="coached", covariates=["age"], data="cohort",
    ...     options={"estimand": "ATT"})
    >>> dw = cd.compute(cohort)
    >>> round(dw.effect, 4), round(dw.observed, 4), round(dw.deadweight, 4)
    (0.2709, 0.5065, 0.4651)
    >>> cd.to_dict()["options"]
    {'estimand': 'ATT'}
    """

    estimator: str
    outcome: str
    treatment: str
    covariates: tuple[str, ...] = attrs.field(default=(), converter=tuple)
    kind: str = "rate"
    data: str | None = attrs.field(default=None, kw_only=True)
    options: Mapping[str, Any] = attrs.field(factory=dict, converter=freeze)
    estimate_kwargs: Mapping[str, Any] = attrs.field(factory=dict, converter=freeze)

    name = "counterfactual_deadweight"

    def compute(self, df: pd.DataFrame) -> DeadweightEstimate:
        """Estimate the effect on ``df`` and derive the deadweight.

        Parameters
        ----------
        df : pandas.DataFrame
            The data source.

        Returns
        -------
        DeadweightEstimate

        Raises
        ------
        ValidationError
            When the estimator is unknown or cannot estimate on ``df``.
        """
        from impactkit.errors import CalculatorNotFoundError, EstimationError
        from impactkit.registry import default_registry

        try:
            cls = default_registry("attribution").get(self.estimator)
        except CalculatorNotFoundError as exc:
            raise ValidationError(
                str(exc), path=("estimator",), code="unknown_calculator"
            ) from exc
        est = cls(**self.options)
        kwargs: dict[str, Any] = dict(self.estimate_kwargs)
        if self.covariates:
            kwargs["covariates"] = list(self.covariates)
        try:
            eff = est.estimate(df, outcome=self.outcome, treatment=self.treatment, **kwargs)
        except EstimationError as exc:
            raise ValidationError(str(exc), path=("estimator",), code="estimation") from exc
        for col in (self.outcome, self.treatment):
            if col not in df.columns:  # pragma: no cover - the estimator checked
                raise ValidationError(f"column {col!r} is not in the data", path=(col,))
        # p1 of the units the effect is about (after dropped rows, trimming, caliper); a
        # difference in differences gives the treated's post-period level and their change
        diag = eff.diagnostics
        if "outcome_mean_treated" in diag:
            observed = float(diag["outcome_mean_treated"])
        else:  # an estimator from a plugin: every treated row
            treated = df[self.treatment].astype(float) == 1
            observed = float(df.loc[treated, self.outcome].astype(float).mean())
        if self.kind == "change":
            if "mean_change_treated" in diag:
                observed = float(diag["mean_change_treated"])
            elif "time" in self.estimate_kwargs:
                raise ValidationError(
                    "kind='change' needs the participants' mean change, which this panel "
                    "estimate does not define (two-way fixed effects); use the 2x2 design, "
                    "or kind='rate'",
                    path=("kind",),
                    code="invalid_choice",
                )
        return deadweight_from_effect(eff, observed, kind=self.kind)  # type: ignore[arg-type]

    def to_dict(self) -> dict[str, Any]:
        """File form: ``{"estimator": name, ...}``.

        Returns
        -------
        dict
        """
        out: dict[str, Any] = {
            "estimator": self.estimator,
            "outcome": self.outcome,
            "treatment": self.treatment,
        }
        if self.covariates:
            out["covariates"] = list(self.covariates)
        if self.kind != "rate":
            out["kind"] = self.kind
        if self.data is not None:
            out["data"] = self.data
        if self.options:
            out["options"] = dict(self.options)
        if self.estimate_kwargs:
            out["estimate_kwargs"] = dict(self.estimate_kwargs)
        return out

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> CounterfactualDeadweight:
        """Build from the file form.

        Parameters
        ----------
        data : mapping
            The file form (see :meth:`to_dict`).

        Returns
        -------
        CounterfactualDeadweight
        """
        allowed = {
            "estimator",
            "outcome",
            "treatment",
            "covariates",
            "kind",
            "data",
            "options",
            "estimate_kwargs",
        }
        extra = set(data) - allowed
        if extra:
            raise ValidationError(
                [
                    Problem(
                        (k,),
                        "unknown_key",
                        f"unknown key{did_you_mean(k, allowed)}; expected {sorted(allowed)}",
                    )
                    for k in sorted(extra)
                ]
            )
        try:
            return cls(**data)
        except TypeError as exc:
            raise ValidationError(str(exc), code="missing") from exc
