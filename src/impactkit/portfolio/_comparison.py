r"""Comparing establishments fairly: funnel plots and empirical-Bayes shrinkage.

Raw league tables of site results mislead: small services sit at the extremes
by chance. Health-care institutional comparison uses two tools instead
(Spiegelhalter 2005; docs/methods/comparison.md):

- a **funnel plot**: each site's indicator against its precision, with control
  limits around the network target :math:`\theta_0` that narrow as the site
  grows, :math:`\theta_0 \pm z_p\, s(\theta_0, n)`;
- **shrinkage** before any ranking: each estimate is pulled towards the network
  mean in proportion to its noise, :math:`\hat\theta_i^* = w_i\hat\theta_i +
  (1 - w_i)\hat\mu` with :math:`w_i = \hat\tau^2 / (\hat\tau^2 + s_i^2)`, and
  ranks come with intervals.

References
----------
.. [1] Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional
   performance. Statistics in Medicine 24(8), 1185-1202.
.. [2] DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials.
   Controlled Clinical Trials 7(3), 177-188.
.. [3] Goldstein, H., & Spiegelhalter, D. J. (1996). League tables and their
   limitations. JRSS A 159(3), 385-443.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd
from scipy import special

from impactkit._random import reproducing_entropy, root_sequence
from impactkit._results import Summary, displayed, jsonable
from impactkit._validation import is_number, require_finite
from impactkit.dist import MAX_MAGNITUDE
from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray, SeedLike

__all__ = [
    "FunnelResult",
    "ShrinkageResult",
    "dersimonian_laird",
    "funnel",
    "level_label",
    "shrink",
]

KINDS = ("proportion", "mean", "ratio")
FLAGS = ("below", "within", "above")


def level_label(level: float) -> str:
    """Column suffix of a control level: 0.95 → ``"95"``, 0.998 → ``"998"``.

    Parameters
    ----------
    level : float
        A level in (0, 1).

    Returns
    -------
    str
        The percentage without its decimal point.

    Examples
    --------
    >>> level_label(0.95), level_label(0.998)
    ('95', '998')
    """
    return f"{level * 100:g}".replace(".", "")


def _real(
    x: Any, path: tuple[str, ...], problems: list[Problem], labels: Any = None
) -> FloatArray:
    """Real numbers of an array or column under the model validators' rules.

    Booleans, complex numbers, dates, durations and text that is not a number
    are problems (never coerced); so are missing and non-finite values and
    magnitudes beyond :data:`impactkit.dist.MAX_MAGNITUDE`. The problem rows
    are named by ``labels`` (default: positions).
    """
    raw = x.to_numpy() if isinstance(x, pd.Series | pd.DataFrame) else np.asarray(x)
    kind = raw.dtype.kind
    if kind in "iuf":
        out = raw.astype(float)
        wrong = np.zeros(raw.shape, dtype=bool)
    elif kind in "bcmM":
        problems.append(
            Problem(
                path,
                "type",
                f"expected real numbers, got {raw.dtype} values (booleans, complex numbers, "
                "dates and durations are not coerced)",
            )
        )
        return np.full(raw.shape, np.nan)
    else:  # object or text: numbers (also written as text) one by one
        flat = raw.reshape(-1)
        vals = np.full(flat.shape, np.nan)
        wrong = np.zeros(flat.shape, dtype=bool)
        for i, v in enumerate(flat):
            if v is None or v is pd.NA:
                continue
            if is_number(v) or isinstance(v, str):
                try:
                    vals[i] = float(v)
                except ValueError:
                    wrong[i] = True
                except OverflowError:  # an integer beyond any float
                    vals[i] = MAX_MAGNITUDE * 10
            else:
                wrong[i] = True
        out = vals.reshape(raw.shape)
        wrong = wrong.reshape(raw.shape)
    with np.errstate(invalid="ignore"):
        bad = ~np.isfinite(out) & ~wrong
        big = np.isfinite(out) & (np.abs(out) > MAX_MAGNITUDE)

    def where(mask: Any) -> str:
        names = list(labels) if labels is not None else None  # only to name a problem
        rows = np.flatnonzero(mask.any(axis=0) if mask.ndim == 2 else mask)
        named = names is not None and len(names) == mask.shape[-1]
        shown = (
            [names[i] for i in rows[:10]] if names is not None and named else rows[:10].tolist()
        )
        return f"rows {shown}" if mask.ndim < 2 else f"sites {shown}"

    if wrong.any():
        problems.append(
            Problem(
                path, "type", f"{int(wrong.sum())} values are not real numbers ({where(wrong)})"
            )
        )
    if bad.any():
        problems.append(
            Problem(
                path,
                "not_finite",
                f"{int(bad.sum())} missing or non-numeric values ({where(bad)})",
            )
        )
    if big.any():
        problems.append(
            Problem(
                path,
                "too_large",
                f"{int(big.sum())} values beyond {MAX_MAGNITUDE:g} in magnitude ({where(big)})",
            )
        )
    return np.asarray(out, dtype=float)


def _z(level: float) -> float:
    return float(special.ndtri(0.5 + level / 2))


def _records(table: pd.DataFrame) -> Any:
    """A table's records, its index kept as a column when it names the rows."""
    default = isinstance(table.index, pd.RangeIndex) and table.index.name is None
    name = table.index.name or "index"
    if default or name in table.columns:
        return jsonable(table)
    return jsonable(table.reset_index(names=name))


def _levels(values: Sequence[float]) -> tuple[float, ...]:
    return tuple(float(x) for x in values)


@displayed(headline=["Target", "Sites"])
@attrs.frozen
class FunnelResult:
    r"""Funnel-plot control limits and flags of every site, with the network target.

    Parameters
    ----------
    table : pandas.DataFrame
        Per site (the index of the data kept): the ``site`` column when asked
        for, ``value``, ``n``, ``target``, ``z``, ``lower_<l>``, ``upper_<l>``
        and ``flag_<l>`` for each level, and ``flag`` at the most stringent
        level.
    target : float
        The network target :math:`\theta_0`.
    phi : float
        The overdispersion factor :math:`\hat\phi` (1 without
        ``overdispersion``; the limits are widened by :math:`\sqrt{\hat\phi}`
        only when it exceeds 1).
    kind : {"proportion", "mean", "ratio"}
        What the indicator is.
    levels : tuple of float
        The control levels, ascending.

    Examples
    --------
    :func:`funnel` returns it:

    >>> df = pd.DataFrame({"site": list("abc"), "rate": [0.5, 0.8, 0.3],
    ...                    "n": [100, 25, 400]})
    >>> f = funnel(df, value="rate", n="n", target=0.5, site="site")
    >>> f.target, f.phi, f.kind, f.levels
    (0.5, 1.0, 'proportion', (0.95, 0.998))
    >>> f.table["flag"].tolist()
    ['within', 'within', 'below']
    """

    table: pd.DataFrame = attrs.field(eq=False, repr=False)
    target: float
    phi: float
    kind: str
    levels: tuple[float, ...] = attrs.field(converter=_levels)

    def to_frame(self) -> pd.DataFrame:
        """The per-site table (a copy).

        Returns
        -------
        pandas.DataFrame
            Limits, z-scores and flags of every site.
        """
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the table's records and the target, ``phi``, kind and levels.

        Returns
        -------
        dict
            ``table`` (one record per site; a named or non-default index is
            kept as a column), ``target``, ``phi``, ``kind`` and ``levels``.
        """
        return {
            "table": _records(self.table),
            "target": jsonable(self.target),
            "phi": jsonable(self.phi),
            "kind": self.kind,
            "levels": jsonable(self.levels),
        }

    def summary(self) -> Summary:
        """The target and how many sites fall above, within and below, for people.

        Returns
        -------
        Summary
            Target, number of sites, overdispersion, levels and the counts of
            each flag at the most stringent level.
        """
        counts = self.table["flag"].value_counts() if len(self.table) else pd.Series()
        lines = (
            ("Target", f"{self.target:.4g}"),
            ("Sites", f"{len(self.table):,}"),
            ("Kind", self.kind),
            ("Overdispersion phi", f"{self.phi:.3g}"),
            ("Levels", ", ".join(f"{lv:.1%}" for lv in self.levels)),
            *((f"Sites {flag}", str(int(counts.get(flag, 0)))) for flag in FLAGS),
        )
        return Summary("Funnel plot", lines)


@displayed(headline=["Between-site variance", "Sites"])
@attrs.frozen
class ShrinkageResult:
    r"""Shrunk site estimates and rank intervals, with the network mean and variance.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by site (``site``): ``estimate``, ``se``, ``weight``,
        ``shrunk``, ``shrunk_se``, ``rank`` and, when ranks were drawn,
        ``rank_low`` and ``rank_high``.
    tau2 : float
        The between-site variance :math:`\hat\tau^2` (given or estimated).
    mu : float
        The network mean :math:`\hat\mu` the estimates are pulled towards.
    level : float
        Level of the rank intervals.
    n_draws : int
        Posterior draws of the rank intervals (0: none drawn).
    seed_entropy : int or None
        Entropy of the root seed of the rank draws, which repeats them
        (``seed=result.seed_entropy``); None when nothing was drawn or the seed
        was a Generator.

    Examples
    --------
    :func:`shrink` returns it:

    >>> r = shrink(pd.Series([0.2, 0.5, 0.9], index=["a", "b", "c"]),
    ...            [0.1, 0.1, 0.3], tau2=0.04, seed=0)
    >>> r.tau2, round(r.mu, 4), r.seed_entropy
    (0.04, 0.4387, 0)
    >>> r.table["rank"].tolist()
    [3, 2, 1]
    """

    table: pd.DataFrame = attrs.field(eq=False, repr=False)
    tau2: float
    mu: float
    level: float
    n_draws: int
    seed_entropy: int | None

    def to_frame(self) -> pd.DataFrame:
        """The per-site table (a copy), indexed by site.

        Returns
        -------
        pandas.DataFrame
            Estimates, weights, shrunk estimates and ranks.
        """
        return self.table.copy()

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready: the table's records (with ``site``) and the fields.

        Returns
        -------
        dict
            ``table``, ``tau2``, ``mu``, ``level``, ``n_draws`` and ``seed_entropy``.
        """
        return {
            "table": _records(self.table),
            "tau2": jsonable(self.tau2),
            "mu": jsonable(self.mu),
            "level": jsonable(self.level),
            "n_draws": self.n_draws,
            "seed_entropy": self.seed_entropy,
        }

    def summary(self) -> Summary:
        """The network mean and variance and the shrunk estimates, for people.

        Returns
        -------
        Summary
            Between-site variance, network mean, number of sites, and the
            table ordered by rank.
        """
        lines = (
            ("Between-site variance", f"{self.tau2:.4g}"),
            ("Sites", f"{len(self.table):,}"),
            ("Network mean", f"{self.mu:.4g}"),
            ("Rank draws", f"{self.n_draws:,}"),
            ("Level", f"{self.level:.1%}"),
        )
        return Summary("Shrinkage", lines, self.table.sort_values("rank").reset_index())


def funnel(
    df: pd.DataFrame,
    *,
    value: str,
    n: str,
    target: float | None = None,
    levels: Sequence[float] = (0.95, 0.998),
    kind: str = "proportion",
    sd: float | str | None = None,
    overdispersion: bool = False,
    site: str | None = None,
) -> FunnelResult:
    r"""Funnel-plot control limits and flags for every site.

    Parameters
    ----------
    df : pandas.DataFrame
        One row per site.
    value : str
        The indicator column: a proportion in [0, 1] (``kind="proportion"``),
        a mean (``"mean"``), or an observed-to-expected ratio (``"ratio"``).
    n : str
        The precision column: the denominator (people measured) for a
        proportion or a mean, the expected count for a ratio. Must be > 0.
    target : float, optional
        The network target :math:`\theta_0`; default the pooled value
        :math:`\sum_i y_i n_i / \sum_i n_i`.
    levels : sequence of float, default (0.95, 0.998)
        Two-sided control levels (95 % "warning", 99.8 % "alarm").
    kind : {"proportion", "mean", "ratio"}, default "proportion"
        The standard error at the target: :math:`\sqrt{\theta_0(1-\theta_0)/n}`
        (binomial), :math:`\sigma/\sqrt n` (``sd`` gives σ, a number or a
        column), or :math:`\sqrt{\theta_0/E}` (Poisson ratio).
    sd : float or str, optional
        Standard deviation of individual values for ``kind="mean"``.
    overdispersion : bool, default False
        Inflate the limits by :math:`\sqrt{\hat\phi}` when the sites vary more
        than chance allows: :math:`\hat\phi = \frac1k\sum_i z_i^2` over the
        z-scores winsorised at their 10th and 90th percentiles (used only when
        :math:`\hat\phi > 1`; with fewer than three sites it is not
        estimated and ``phi`` is 1).
    site : str, optional
        A site column copied to the result (default: the index is kept).

    Returns
    -------
    FunnelResult
        ``table``, per site: ``value``, ``n``, ``target``, ``z`` (the site's
        z-score), ``lower_<l>``, ``upper_<l>`` and ``flag_<l>`` for each level
        (e.g. ``lower_95``, ``upper_998``), and ``flag`` (``"above"``,
        ``"within"`` or ``"below"``) at the most stringent level; and the
        fields ``target``, ``phi``, ``kind`` and ``levels``.

    Raises
    ------
    ValidationError
        Missing columns, non-positive ``n``, proportions outside [0, 1],
        missing or non-finite values, bad levels: every problem at once.

    Notes
    -----
    Limits use the normal approximation at the target; a proportion's limits
    are clipped to [0, 1] and a ratio's lower limit at 0.

    References
    ----------
    .. [1] Spiegelhalter, D. J. (2005). Funnel plots for comparing institutional
       performance. Statistics in Medicine 24(8), 1185-1202.

    Examples
    --------
    >>> df = pd.DataFrame({"site": list("abc"), "rate": [0.5, 0.8, 0.3],
    ...                    "n": [100, 25, 400]})
    >>> f = funnel(df, value="rate", n="n", target=0.5, site="site")
    >>> f.table[["site", "lower_95", "upper_95", "flag"]].round(3).values.tolist()
    [['a', 0.402, 0.598, 'within'], ['b', 0.304, 0.696, 'within'], ['c', 0.451, 0.549, 'below']]
    """
    problems: list[Problem] = []
    if kind not in KINDS:
        problems.append(Problem(("kind",), "invalid_choice", f"kind must be one of {KINDS}"))
    if not isinstance(df, pd.DataFrame):
        raise ValidationError(f"funnel needs a DataFrame, got {type(df).__name__}", code="type")
    for col in (value, n, *([site] if site else []), *([sd] if isinstance(sd, str) else [])):
        if col not in df.columns:
            problems.append(
                Problem((col,), "missing_column", f"column {col!r} is not in the data")
            )
    lv = list(levels) if isinstance(levels, Sequence) and not isinstance(levels, str) else []
    if not lv or any(not (is_number(x) and 0 < x < 1) for x in lv):
        problems.append(Problem(("levels",), "out_of_range", "levels must lie in (0, 1)"))
    if kind == "mean" and sd is None:
        problems.append(Problem(("sd",), "missing", "kind='mean' needs sd (a number or column)"))
    if target is not None and not (
        is_number(target) and np.isfinite(float(target)) and abs(float(target)) <= MAX_MAGNITUDE
    ):
        problems.append(
            Problem(
                ("target",),
                "out_of_range",
                f"target must be a finite number up to {MAX_MAGNITUDE:g} in magnitude, "
                f"got {target!r}",
            )
        )
    if sd is not None and not isinstance(sd, str) and not is_number(sd):
        problems.append(Problem(("sd",), "type", f"sd must be a number or a column, got {sd!r}"))
    if problems:
        raise ValidationError(problems)
    y = _real(df[value], (value,), problems, df.index)
    m = _real(df[n], (n,), problems, df.index)
    bad_n = np.isfinite(m) & (m <= 0)
    if bad_n.any():
        problems.append(
            Problem(
                (n,),
                "out_of_range",
                f"{int(bad_n.sum())} values are not > 0 (rows {list(df.index[bad_n][:10])})",
            )
        )
    if kind == "proportion" and ((y < 0) | (y > 1)).any():
        problems.append(Problem((value,), "out_of_range", "proportions must lie in [0, 1]"))
    if kind == "ratio" and (y < 0).any():
        problems.append(Problem((value,), "out_of_range", "ratios must be >= 0"))
    if problems:
        raise ValidationError(problems)
    theta0 = float(np.sum(y * m) / np.sum(m)) if target is None else float(target)
    if kind == "proportion":
        if not 0 < theta0 < 1:
            raise ValidationError(
                f"the target proportion must lie in (0, 1), got {theta0!r}", code="out_of_range"
            )
        with np.errstate(over="ignore", divide="ignore"):
            s = np.sqrt(theta0 * (1 - theta0) / m)
    elif kind == "mean":
        sd_probs: list[Problem] = []
        sig = (
            _real(df[sd], ("sd",), sd_probs, df.index)
            if isinstance(sd, str)
            else _real(np.array([sd]), ("sd",), sd_probs)
        )
        if sd_probs:
            raise ValidationError(sd_probs)
        if np.any(np.asarray(sig) <= 0):
            raise ValidationError("sd must be finite and > 0", path=("sd",), code="out_of_range")
        with np.errstate(over="ignore", divide="ignore"):
            s = np.asarray(sig, dtype=float) / np.sqrt(m)
    else:
        if theta0 <= 0:
            raise ValidationError("the target ratio must be > 0", code="out_of_range")
        with np.errstate(over="ignore", divide="ignore"):
            s = np.sqrt(theta0 / m)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        z = (y - theta0) / s
    if not np.all(np.isfinite(z)):  # nothing below can be computed from it
        require_finite({"z": z, "standard_error": s}, "result")
    phi = 1.0
    if overdispersion and len(z) >= 3:
        lo, hi = np.quantile(z, [0.1, 0.9])
        phi = float(np.mean(np.clip(z, lo, hi) ** 2))
    inflate = np.sqrt(phi) if phi > 1 else 1.0
    cols: dict[str, Any] = {}  # the columns first, then one frame (not a column at a time)
    if site:
        ids = df[site]  # text is not converted again; other columns as the frame infers them
        cols[site] = ids.array if ids.dtype == "str" else ids.to_numpy()
    cols["value"] = y
    cols["n"] = m
    cols["target"] = np.full(len(y), theta0)
    cols["z"] = z / inflate
    flags: list[str] = []
    for level in sorted(lv):
        lab = level_label(level)
        half = _z(level) * s * inflate
        lower, upper = theta0 - half, theta0 + half
        if kind == "proportion":
            lower, upper = np.clip(lower, 0, 1), np.clip(upper, 0, 1)
        elif kind == "ratio":
            lower = np.maximum(lower, 0.0)
        cols[f"lower_{lab}"] = lower
        cols[f"upper_{lab}"] = upper
        cols[f"flag_{lab}"] = np.where(y > upper, "above", np.where(y < lower, "below", "within"))
        flags.append(f"flag_{lab}")
    cols["flag"] = cols[flags[-1]]
    out = pd.DataFrame(cols, index=df.index)
    limits = [c for c in out.columns if c.startswith(("lower_", "upper_"))]
    require_finite(
        {"target": theta0, "phi": phi, "z": out["z"], **{c: out[c] for c in limits}}, "result"
    )
    return FunnelResult(table=out, target=theta0, phi=phi, kind=kind, levels=tuple(sorted(lv)))


def dersimonian_laird(estimates: FloatArray, se: FloatArray) -> float:
    r"""DerSimonian–Laird estimate of the between-site variance :math:`\tau^2`.

    .. math::
        v_i = 1/s_i^2,\ \bar\theta = \frac{\sum v_i\hat\theta_i}{\sum v_i},\
        Q = \sum v_i(\hat\theta_i - \bar\theta)^2,\
        \hat\tau^2 = \max\Bigl(0, \frac{Q - (k-1)}{\sum v_i - \sum v_i^2/\sum v_i}\Bigr)

    Parameters
    ----------
    estimates : array_like
        Site estimates :math:`\hat\theta_i`.
    se : array_like
        Their standard errors :math:`s_i > 0`.

    Returns
    -------
    float
        :math:`\hat\tau^2 \ge 0` (0 for fewer than two sites).

    Raises
    ------
    ValidationError
        Values that are not finite real numbers, standard errors that are not
        > 0, or lengths that differ: every problem at once.

    References
    ----------
    .. [1] DerSimonian, R., & Laird, N. (1986). Meta-analysis in clinical trials.
       Controlled Clinical Trials 7(3), 177-188.

    Examples
    --------
    >>> round(dersimonian_laird(np.array([1.0, 2.0, 3.0]), np.array([0.5, 0.5, 0.5])), 6)
    0.75
    """
    problems: list[Problem] = []
    t = _real(np.ravel(np.asarray(estimates)), ("estimates",), problems)
    s = _real(np.ravel(np.asarray(se)), ("se",), problems)
    if len(t) != len(s):
        problems.append(
            Problem(("se",), "length", f"{len(s)} standard errors for {len(t)} estimates")
        )
    elif np.any(np.isfinite(s) & (s <= 0)):
        problems.append(Problem(("se",), "out_of_range", "standard errors must be > 0"))
    if problems:
        raise ValidationError(problems)
    k = len(t)
    if k < 2:
        return 0.0
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        v = 1.0 / s**2
        bar = float(np.sum(v * t) / np.sum(v))
        q = float(np.sum(v * (t - bar) ** 2))
        denom = float(np.sum(v) - np.sum(v**2) / np.sum(v))
        tau2 = (q - (k - 1)) / denom if denom > 0 else 0.0
    # never max(0, NaN): weights beyond floats (tiny standard errors) are an error
    require_finite({"weights": v, "tau2": tau2}, "result")
    return max(0.0, tau2)


def _from_draws(estimates: Any) -> tuple[FloatArray, FloatArray, list[Any]] | None:
    """(means, sds, labels) when ``estimates`` holds per-site draws, else None."""
    probs: list[Problem] = []
    if hasattr(estimates, "ratio") and hasattr(estimates, "sites"):
        labels = list(estimates.sites)
        draws = _real(estimates.ratio, ("estimates",), probs, labels)
    elif isinstance(estimates, pd.DataFrame):
        labels = list(estimates.columns)
        draws = _real(estimates, ("estimates",), probs, labels)
    else:
        arr = np.asarray(estimates)
        if arr.ndim != 2:
            return None
        labels = list(range(arr.shape[1]))
        draws = _real(arr, ("estimates",), probs, labels)
    if probs:
        raise ValidationError(probs)
    if draws.shape[0] < 2:
        raise ValidationError("per-site draws need at least 2 rows", code="too_few_draws")
    return draws.mean(axis=0), draws.std(axis=0, ddof=1), labels


def shrink(
    estimates: Any,
    se: Any = None,
    *,
    tau2: float | None = None,
    level: float = 0.95,
    n_draws: int = 1000,
    seed: SeedLike = None,
) -> ShrinkageResult:
    r"""Empirical-Bayes normal–normal shrinkage of site estimates, with rank intervals.

    Parameters
    ----------
    estimates : array_like, pandas.Series, DataFrame or PortfolioMonteCarlo
        Site estimates :math:`\hat\theta_i` (a Series' index labels the sites);
        or per-site draws (a 2-D array or DataFrame, draws × sites, or the
        result of :func:`impactkit.portfolio.monte_carlo`), whose mean and
        standard deviation give :math:`\hat\theta_i` and :math:`s_i`.
    se : array_like, optional
        Standard errors :math:`s_i > 0` (required unless draws are given).
    tau2 : float, optional
        Between-site variance :math:`\tau^2`; estimated by DerSimonian–Laird
        (:func:`dersimonian_laird`) when not given.
    level : float, default 0.95
        Level of the rank intervals.
    n_draws : int, default 1000
        Posterior draws for the rank intervals; ``0`` skips the simulation (no
        ``rank_low``/``rank_high`` columns), for when only the shrunk
        estimates are needed.
    seed : int, SeedSequence, Generator or None
        Randomness of the rank simulation; None draws fresh entropy, recorded
        in the result's ``seed_entropy``.

    Returns
    -------
    ShrinkageResult
        ``table``, per site: ``estimate``, ``se``, ``weight`` (:math:`w_i`),
        ``shrunk``, ``shrunk_se`` (posterior sd), ``rank`` (1 = highest
        shrunk estimate), ``rank_low`` and ``rank_high`` (the rank interval);
        and the fields ``tau2``, ``mu``, ``level``, ``n_draws`` and
        ``seed_entropy``.

    Raises
    ------
    ValidationError
        Mismatched lengths, non-positive or non-finite standard errors, fewer
        than two sites, a negative ``tau2``.

    Notes
    -----
    :math:`\hat\mu = \sum_i \hat\theta_i/(\hat\tau^2 + s_i^2) \big/ \sum_i
    1/(\hat\tau^2 + s_i^2)`, :math:`w_i = \hat\tau^2/(\hat\tau^2 + s_i^2)`,
    :math:`\hat\theta_i^* = w_i\hat\theta_i + (1 - w_i)\hat\mu`, posterior
    variance :math:`w_i s_i^2` (treating :math:`\hat\mu, \hat\tau^2` as known).
    Ranks are drawn from the independent normal posteriors; the interval is
    their central ``level`` range. Tied values share the best rank, in the
    point ranks and in the draws (with :math:`\hat\tau^2 = 0` every site
    has the network mean, rank 1 and the interval [1, 1]).

    References
    ----------
    .. [1] Spiegelhalter, D. J. (2005). Statistics in Medicine 24(8), 1185-1202.
    .. [2] DerSimonian, R., & Laird, N. (1986). Controlled Clinical Trials 7, 177-188.

    Examples
    --------
    >>> r = shrink(pd.Series([0.2, 0.5, 0.9], index=["a", "b", "c"]),
    ...            [0.1, 0.1, 0.3], tau2=0.04, seed=0)
    >>> r.table["weight"].round(3).tolist(), r.table["shrunk"].round(3).tolist()
    ([0.8, 0.8, 0.308], [0.248, 0.488, 0.581])
    """
    from_draws = _from_draws(estimates) if se is None else None
    problems: list[Problem] = []
    if from_draws is not None:
        est, s, labels = from_draws
    else:
        if se is None:
            raise ValidationError("give se, or per-site draws", path=("se",), code="missing")
        names = list(estimates.index) if isinstance(estimates, pd.Series) else None
        est = _real(np.ravel(np.asarray(estimates)), ("estimates",), problems, names)
        s = _real(np.ravel(np.asarray(se)), ("se",), problems, names)
        labels = names if names is not None else list(range(len(est)))
    if len(est) != len(s):
        problems.append(
            Problem(("se",), "length", f"{len(s)} standard errors for {len(est)} sites")
        )
    elif len(est) < 2:
        problems.append(Problem(("estimates",), "too_few", "shrinkage needs at least two sites"))
    else:
        if not np.isfinite(est).all() and not any(p.path == ("estimates",) for p in problems):
            problems.append(Problem(("estimates",), "not_finite", "estimates must be finite"))
        if not (np.isfinite(s).all() and (s > 0).all()):
            problems.append(
                Problem(("se",), "out_of_range", "standard errors must be finite and > 0")
            )
    if tau2 is not None and not (is_number(tau2) and np.isfinite(tau2) and tau2 >= 0):
        problems.append(Problem(("tau2",), "out_of_range", "tau2 must be finite and >= 0"))
    if not (is_number(level) and 0 < level < 1):
        problems.append(Problem(("level",), "out_of_range", "level must lie in (0, 1)"))
    if not isinstance(n_draws, int | np.integer) or isinstance(n_draws, bool) or n_draws < 0:
        problems.append(
            Problem(("n_draws",), "out_of_range", "n_draws must be a whole number >= 0")
        )
    if problems:
        raise ValidationError(problems)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        t2 = dersimonian_laird(est, s) if tau2 is None else float(tau2)
        var = t2 + s**2
        mu = float(np.sum(est / var) / np.sum(1 / var))
        w = t2 / var
        shrunk = w * est + (1 - w) * mu
        post_sd = np.sqrt(w * s**2)
    # a rank is drawn from these: never from NaN (it would read -9223372036854775808)
    require_finite(
        {"tau2": t2, "mu": mu, "weight": w, "shrunk": shrunk, "shrunk_se": post_sd}, "result"
    )
    point = pd.Series(shrunk).rank(ascending=False, method="min").to_numpy()
    out = pd.DataFrame(
        {
            "estimate": est,
            "se": s,
            "weight": w,
            "shrunk": shrunk,
            "shrunk_se": post_sd,
            "rank": point.astype(int),
        },
        index=pd.Index(labels, name="site"),
    )
    entropy: int | None = None
    if n_draws:
        if not isinstance(seed, np.random.Generator):
            seed = root_sequence(seed)  # the same stream, its entropy recorded
            entropy = reproducing_entropy(seed)
        out["rank_low"], out["rank_high"] = _rank_interval(shrunk, post_sd, level, n_draws, seed)
    return ShrinkageResult(
        table=out,
        tau2=float(t2),
        mu=mu,
        level=float(level),
        n_draws=int(n_draws),
        seed_entropy=entropy,
    )


def _rank_interval(
    mean: FloatArray, sd: FloatArray, level: float, draws: int, seed: SeedLike
) -> tuple[FloatArray, FloatArray]:
    """Central ``level`` interval of each site's rank under independent normal posteriors."""
    k = len(mean)
    rng = (
        seed
        if isinstance(seed, np.random.Generator)
        else np.random.default_rng(root_sequence(seed))
    )
    ranks = np.empty((draws, k), dtype=np.int32)
    chunk = max(1, min(draws, 4_000_000 // k))
    for start in range(0, draws, chunk):  # blocks of draws, each fully vectorised
        m = min(chunk, draws - start)
        x = mean + sd * rng.standard_normal((m, k))
        order = np.argsort(-x, axis=1, kind="stable")
        # tied draws share the best rank, as the point ranks do (method "min"): sites
        # with no posterior spread (tau2 = 0) tie in every draw, whatever their order
        ordered = np.take_along_axis(x, order, axis=1)
        new = np.ones((m, k), dtype=bool)
        new[:, 1:] = ordered[:, 1:] != ordered[:, :-1]
        first = np.maximum.accumulate(np.where(new, np.arange(k)[None, :], 0), axis=1)
        r = np.empty_like(order)
        np.put_along_axis(r, order, first + 1, axis=1)
        ranks[start : start + m] = r
    a = (1 - level) / 2
    lo, hi = np.quantile(ranks, [a, 1 - a], axis=0, method="inverted_cdf")
    return lo.astype(int), hi.astype(int)
