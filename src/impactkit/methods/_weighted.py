r"""A value map without money: outcomes weighted by stakeholders' ratings, then ranked.

For organisations that will not monetise, stakeholders rate each outcome's
importance and the amount of change; the ratings are weighted by the quantity
and the same haircuts as the monetary value map (deadweight, displacement,
attribution, leakage), through the one impact kernel with the mean rating
product in place of the financial proxy. The ranking comes with its stability
under Monte Carlo: raters are resampled within each outcome and every
distribution of the model is sampled.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit._random import seeded
from impactkit._results import Summary, displayed, freeze, jsonable
from impactkit.dist import Distribution
from impactkit.errors import Problem, ValidationError
from impactkit.kernel import impact
from impactkit.model import HAIRCUTS, ImpactModel
from impactkit.typing import SeedLike

__all__ = ["WeightedOutcomes", "weighted_outcomes"]

FloatArray = npt.NDArray[np.float64]
_COLUMNS = (
    "outcome",
    "stakeholder",
    "quantity",
    "importance",
    "change",
    "n_ratings",
    "n_missing",
    "adjustment",
    "score",
    "share",
    "rank",
)
_STABILITY = ("outcome", "rank", "mean_rank", "rank_low", "rank_high", "p_same_rank", "p_top")


@displayed
@attrs.frozen
class WeightedOutcomes:
    r"""Outcomes weighted by stakeholders' ratings and ranked, with rank stability.

    Returned by :func:`weighted_outcomes`. The score of outcome row :math:`k`
    is :math:`S_k = Q_k\,\bar I_k \bar C_k (1 - DW_k)(1 - DS_k)(1 - AT_k)(1 - LK_k)`,
    with :math:`\bar I_k` and :math:`\bar C_k` its mean importance and change
    ratings; its share is :math:`S_k / \sum_j S_j`.

    Parameters
    ----------
    by_outcome : pandas.DataFrame
        One row per outcome row of the model: ``outcome``, ``stakeholder``,
        ``quantity``, ``importance`` and ``change`` (mean ratings),
        ``n_ratings``, ``n_missing`` (ratings rows left out for a missing
        value), ``adjustment`` (product of the haircuts' complements),
        ``score``, ``share``, ``rank`` (1 = most valued; ties share the
        smallest rank).
    stability : pandas.DataFrame
        ``outcome``, ``rank``, ``mean_rank``, ``rank_low`` and ``rank_high``
        (90 % interval of the simulated ranks), ``p_same_rank`` and ``p_top``
        (probability of rank 1); empty without simulation.
    n_draws : int, default 0
        Number of Monte Carlo draws behind ``stability`` (0: no simulation).
    seed_entropy : int or None, default None
        Entropy of the seed of the simulation, so it can be reproduced; None
        without simulation or when a Generator was given.
    ranks : numpy.ndarray or None, default None
        The simulated ranks, shape (n_draws, outcome rows); None without
        simulation.

    Examples
    --------
    >>> import pandas as pd
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", outcomes=[
    ...     ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=2, proxy=0)])
    >>> w = ik.methods.weighted_outcomes(
    ...     m, pd.DataFrame({"outcome": ["a"], "importance": [4], "change": [2]}), n_draws=10)
    >>> float(w.by_outcome["score"][0]), float(w.stability["p_same_rank"][0])
    (16.0, 1.0)
    """

    by_outcome: pd.DataFrame = attrs.field(eq=False)
    stability: pd.DataFrame = attrs.field(eq=False)
    n_draws: int = 0
    seed_entropy: int | None = None
    ranks: FloatArray | None = attrs.field(default=None, eq=False, repr=False, converter=freeze)

    def to_frame(self) -> pd.DataFrame:
        """The outcome table with its stability columns (a copy).

        Returns
        -------
        pandas.DataFrame
        """
        if not len(self.stability):
            return self.by_outcome.copy()
        extra = self.stability.drop(columns=["outcome", "rank"])
        return pd.concat([self.by_outcome, extra], axis=1)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready tables and settings (simulated ranks left out).

        Returns
        -------
        dict
        """
        return dict(
            jsonable(
                {
                    "by_outcome": self.by_outcome,
                    "stability": self.stability,
                    "n_draws": self.n_draws,
                    "seed_entropy": self.seed_entropy,
                }
            )
        )

    def summary(self) -> Summary:
        """The ranking for people.

        Returns
        -------
        Summary
        """
        lines = (("Outcomes", str(len(self.by_outcome))), ("Simulations", str(self.n_draws)))
        cols = ["rank", "outcome", "stakeholder", "score", "share"]
        return Summary(
            "Weighted outcomes (value without money)",
            lines,
            self.to_frame()[cols + (["p_same_rank"] if len(self.stability) else [])].sort_values(
                "rank"
            ),
        )


def _point(x: Any) -> float:
    return float(x.central) if isinstance(x, Distribution) else float(x)


def _check_ratings(ratings: Any, model: ImpactModel, cols: Mapping[str, str]) -> pd.DataFrame:
    if not isinstance(ratings, pd.DataFrame):
        raise ValidationError(
            f"ratings must be a DataFrame, got {type(ratings).__name__}", path=("ratings",)
        )
    missing = [c for c in cols.values() if c not in ratings.columns]
    if missing:
        raise ValidationError(
            [
                Problem(("ratings", c), "missing_column", f"column {c!r} is missing")
                for c in missing
            ]
        )
    df = ratings[list(cols.values())].rename(columns={v: k for k, v in cols.items()})
    probs = []
    known = {ov.outcome for ov in model.outcomes}
    for o in sorted(set(df["outcome"].dropna().astype(str)) - known):
        probs.append(
            Problem(
                ("ratings", "outcome", o),
                "unknown_outcome",
                f"{o!r} is not an outcome of the model",
            )
        )
    for c in ("importance", "change"):
        vals = pd.to_numeric(df[c], errors="coerce")
        bad = df[c].notna() & vals.isna()
        if bad.any():
            probs.append(
                Problem(("ratings", cols[c]), "type", f"{int(bad.sum())} ratings are not numbers")
            )
        if (vals < 0).any() or np.isinf(vals).any():
            probs.append(
                Problem(
                    ("ratings", cols[c]), "out_of_range", "ratings must be finite and non-negative"
                )
            )
        df[c] = vals
    # a rating whose outcome is blank would be lost without trace; a blank row is nothing
    orphan = df["outcome"].isna() & (df["importance"].notna() | df["change"].notna())
    for i in np.flatnonzero(orphan.to_numpy(dtype=bool)):
        probs.append(
            Problem(
                ("ratings", int(i), cols["outcome"]),
                "missing",
                "a rating without an outcome: name the outcome it rates or remove the row",
            )
        )
    rated = set(df.dropna()["outcome"].astype(str))
    for k, ov in enumerate(model.outcomes):
        if ov.outcome not in rated:
            probs.append(
                Problem(
                    ("outcomes", k, "outcome"),
                    "not_rated",
                    f"outcome {ov.outcome!r} has no complete rating",
                )
            )
    if probs:
        raise ValidationError(probs)
    return df


def weighted_outcomes(
    model: ImpactModel,
    ratings: pd.DataFrame,
    *,
    outcome: str = "outcome",
    importance: str = "importance",
    change: str = "change",
    data: Mapping[str, Any] | None = None,
    n_draws: int = 2000,
    seed: SeedLike = None,
) -> WeightedOutcomes:
    r"""Weight and rank outcomes without money (Social Value UK's value-map option).

    Parameters
    ----------
    model : ImpactModel
        Quantities and haircuts of its outcome rows are used; proxies are not.
    ratings : pandas.DataFrame
        One row per rating (a stakeholder rating an outcome): columns
        ``outcome``, ``importance`` and ``change`` (any non-negative scale,
        e.g. 1-5). Rows with a missing rating are left out and counted.
    outcome, importance, change : str
        Column names in ``ratings``.
    data : mapping, optional
        Data sources for measured quantities.
    n_draws : int, default 2000
        Monte Carlo draws for rank stability (0: none).
    seed : int, SeedSequence, Generator or None
        Seed of the rank simulation; None draws fresh entropy, recorded on the
        result as ``seed_entropy`` (a Generator is used as it is and recorded as None).

    Returns
    -------
    WeightedOutcomes

    Raises
    ------
    ValidationError
        Missing columns, ratings that are not finite non-negative numbers,
        ratings of unknown outcomes, ratings without an outcome (a wholly
        blank row is ignored), outcome rows without any rating.

    Notes
    -----
    For outcome row :math:`k` with mean importance :math:`\bar I_k` and mean
    change :math:`\bar C_k` over its ratings,

    .. math::
        S_k = Q_k\,\bar I_k \bar C_k (1 - DW_k)(1 - DS_k)(1 - AT_k)(1 - LK_k)

    (the impact kernel with :math:`\bar I_k \bar C_k` as the proxy), the share
    is :math:`S_k / \sum_j S_j` and rank 1 is the largest score. Each
    simulation resamples each outcome's ratings with replacement and draws
    every distribution of the model; ``p_same_rank`` is how often an outcome
    keeps its point rank [impactkit convention]. Rows valuing the same outcome
    for different stakeholders share one resample of its ratings per
    simulation. Scores are comparable within
    one analysis only: they are not money and do not sum with a present value.

    References
    ----------
    .. [1] Social Value International (2017). Accompanying note to updated
       Value Map, October 2017 ("Value (Options)": ranking and rating outcomes).

    Examples
    --------
    >>> import pandas as pd
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", outcomes=[
    ...     ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=10, proxy=0,
    ...                         deadweight=0.5),
    ...     ik.OutcomeValuation(outcome="b", stakeholder="s", quantity=4, proxy=0)])
    >>> r = pd.DataFrame({"outcome": ["a", "a", "b"], "importance": [4, 2, 5],
    ...                   "change": [3, 3, 4]})
    >>> w = ik.methods.weighted_outcomes(m, r, n_draws=0)
    >>> w.by_outcome[["outcome", "score", "rank"]]
      outcome  score  rank
    0       a   45.0     2
    1       b   80.0     1
    """
    cols = {"outcome": outcome, "importance": importance, "change": change}
    if not isinstance(model, ImpactModel):
        raise ValidationError(
            f"expected an ImpactModel, got {type(model).__name__}", path=("model",)
        )
    if not (isinstance(n_draws, int) and not isinstance(n_draws, bool) and n_draws >= 0):
        raise ValidationError("n_draws must be a whole number >= 0", path=("n_draws",))
    if data is not None or any(
        callable(getattr(ov.quantity, "compute", None)) for ov in model.outcomes
    ):
        from impactkit.measure import resolve

        model = resolve(model, data)
    df = _check_ratings(ratings, model, cols)
    complete = df.dropna(subset=["importance", "change"])
    ovs = model.outcomes
    k = len(ovs)
    # Ratings in one flat array, grouped by outcome row (a row shares its outcome's ratings).
    groups = [complete[complete["outcome"].astype(str) == ov.outcome] for ov in ovs]
    sizes = np.array([len(g) for g in groups])
    offsets = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    flat_i = np.concatenate([g["importance"].to_numpy(float) for g in groups])
    flat_c = np.concatenate([g["change"].to_numpy(float) for g in groups])
    n_missing = [
        int((df["outcome"].astype(str) == ov.outcome).sum()) - int(s)
        for ov, s in zip(ovs, sizes, strict=True)
    ]
    mean_i = np.add.reduceat(flat_i, offsets) / sizes
    mean_c = np.add.reduceat(flat_c, offsets) / sizes
    q = np.array([_point(ov.quantity) for ov in ovs])
    cuts = {h: np.array([_point(getattr(ov, h)) for ov in ovs]) for h in HAIRCUTS}
    score = impact(q, mean_i * mean_c, *(cuts[h] for h in HAIRCUTS))
    adjustment = impact(np.ones(k), np.ones(k), *(cuts[h] for h in HAIRCUTS))
    total = float(score.sum())
    from scipy.stats import rankdata  # imported on use: scipy.stats is slow to import

    rank = rankdata(-score, method="min").astype(int)
    table = pd.DataFrame(
        {
            "outcome": [ov.outcome for ov in ovs],
            "stakeholder": [ov.stakeholder for ov in ovs],
            "quantity": q,
            "importance": mean_i,
            "change": mean_c,
            "n_ratings": sizes,
            "n_missing": n_missing,
            "adjustment": adjustment,
            "score": score,
            "share": score / total if total else np.zeros(k),
            "rank": rank,
        },
        columns=list(_COLUMNS),
    )
    stability = pd.DataFrame(columns=list(_STABILITY))
    ranks = None
    seed_out = None
    if n_draws:
        rng, seed_out = seeded(seed)
        n = n_draws
        # Bootstrap of raters within each outcome: slot j of group g picks one of its ratings.
        # One resample per outcome, shared by the rows that value it (the same raters
        # rated it for every stakeholder); outcomes rated once draw as one row each.
        first: dict[str, int] = {}
        for j, ov in enumerate(ovs):
            first.setdefault(ov.outcome, j)
        uniq = np.array(list(first.values()), dtype=np.int64)
        row_of = np.array([list(first).index(ov.outcome) for ov in ovs], dtype=np.int64)
        u_sizes, u_offsets = sizes[uniq], offsets[uniq]
        u_starts = np.concatenate([[0], np.cumsum(u_sizes)[:-1]])
        slot_group = np.repeat(np.arange(uniq.size), u_sizes)
        pick = u_offsets[slot_group] + np.floor(
            rng.random((n, int(u_sizes.sum()))) * u_sizes[slot_group]
        ).astype(np.int64)
        bi = (np.add.reduceat(flat_i[pick], u_starts, axis=1) / u_sizes)[:, row_of]
        bc = (np.add.reduceat(flat_c[pick], u_starts, axis=1) / u_sizes)[:, row_of]

        def draws(values: list[Any]) -> FloatArray:
            out = np.empty((n, k))
            for j, v in enumerate(values):  # one column per outcome row, each vectorised
                out[:, j] = v.sample(rng, n) if isinstance(v, Distribution) else float(v)
            return out

        qs = draws([ov.quantity for ov in ovs])
        hs = [draws([getattr(ov, h) for ov in ovs]) for h in HAIRCUTS]
        sims = impact(qs, bi * bc, *hs)
        ranks = rankdata(-sims, method="min", axis=1).astype(float)
        lo, hi = np.quantile(ranks, [0.05, 0.95], axis=0)
        stability = pd.DataFrame(
            {
                "outcome": table["outcome"],
                "rank": rank,
                "mean_rank": ranks.mean(axis=0),
                "rank_low": lo,
                "rank_high": hi,
                "p_same_rank": (ranks == rank[None, :]).mean(axis=0),
                "p_top": (ranks == 1).mean(axis=0),
            },
            columns=list(_STABILITY),
        )
    return WeightedOutcomes(table, stability, n_draws, seed_out, ranks)
