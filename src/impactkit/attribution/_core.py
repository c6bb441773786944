"""Shared parts of the counterfactual estimators: results, data preparation, OLS algebra."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import special

from impactkit._results import DEFAULT_LEVEL, FrozenDict, Summary, displayed, freeze, jsonable
from impactkit.attribution._design import aliased_columns, check_not_treatment, drop_aliased
from impactkit.errors import EstimationError
from impactkit.typing import FloatArray

__all__ = ["EffectEstimate", "Prepared", "balance_table", "level_text", "prepare"]

ESTIMANDS = ("ATE", "ATT", "ATC")


@displayed(headline=("Effect", "Std. error", "interval", "Estimand"))
@attrs.frozen
class EffectEstimate:
    """A counterfactual effect estimate with its uncertainty and diagnostics.

    Parameters
    ----------
    effect : float
        The estimated effect (same scale as the outcome).
    se : float
        Its standard error.
    ci : tuple of float
        Confidence interval at ``level`` (t with ``df`` when given, else normal).
    level : float
        Confidence level of ``ci``.
    df : float or None
        Degrees of freedom of the t reference distribution, where it applies.
    estimand : {"ATE", "ATT", "ATC"}
        What is estimated.
    method : str
        Estimator and its options.
    n_treated, n_control : int
        Units used in each arm.
    dropped : mapping of str to int
        Units removed, by reason (``missing``, ``trimming``, ``caliper``, ...).
        Read-only.
    diagnostics : mapping
        Estimator-specific: ``balance`` (DataFrame of standardised mean
        differences), ``overlap`` (propensity summary), ``outcome_mean_treated``...
        Read-only (nested mappings too; arrays are read-only copies).
    seed_entropy : int or None
        Entropy of the seed of a randomised step (bootstrap, matching order).

    Examples
    --------
    Every estimator's ``estimate`` returns one. A seeded trial: 100 people
    supported and 100 on the waiting list, well-being score (WEMWBS) at
    follow-up:

    >>> from impactkit.attribution import DifferenceInMeans
    >>> rng = np.random.default_rng(3)
    >>> supported = np.repeat([1, 0], 100)
    >>> df = pd.DataFrame({"wellbeing": rng.normal(50 + 6 * supported, 10),
    ...                    "supported": supported})
    >>> est = DifferenceInMeans().estimate(df, outcome="wellbeing", treatment="supported")
    >>> est.estimand, round(est.effect, 2), round(est.se, 2), round(est.pvalue, 4)
    ('ATE', 3.8, 1.46, 0.0098)
    >>> [round(x, 2) for x in est.ci], [round(x, 2) for x in est.interval(0.90)]
    ([0.93, 6.67], [1.39, 6.2])
    >>> est.to_frame()[["n_treated", "n_control"]].iloc[0].tolist()
    [100, 100]
    """

    effect: float
    se: float
    ci: tuple[float, float]
    level: float
    df: float | None
    estimand: str
    method: str
    n_treated: int
    n_control: int
    dropped: Mapping[str, int] = attrs.field(factory=FrozenDict, converter=freeze)
    diagnostics: Mapping[str, Any] = attrs.field(
        factory=FrozenDict, converter=freeze, eq=False, repr=False
    )
    seed_entropy: int | None = None
    """Entropy of the seed of a randomised step (bootstrap, matching order);
    None when nothing was random or a Generator was given."""

    def __attrs_post_init__(self) -> None:
        figures = (
            ("effect", self.effect),
            ("se", self.se),
            ("ci", self.ci[0]),
            ("ci", self.ci[1]),
        )
        bad = [name for name, v in figures if not math.isfinite(float(v))]
        if bad:
            raise EstimationError(
                f"the estimate's {sorted(set(bad))} is not finite ({self.method}): the data "
                "are degenerate for this estimator (a unit with all the leverage, an empty "
                "cell, extreme weights); no number is returned"
            )

    def interval(self, level: float = DEFAULT_LEVEL) -> tuple[float, float]:
        """Confidence interval at another level (same reference distribution).

        Parameters
        ----------
        level : float, default 0.95
            Confidence level, in (0, 1).

        Returns
        -------
        tuple of float
            ``effect ± q × se`` with ``q`` the t (``df``) or normal quantile;
            when the interval inverts a wild cluster bootstrap test
            (``diagnostics["wild"]``), ``ci`` itself at ``level``.

        Raises
        ------
        EstimationError
            When ``level`` is not in (0, 1), or differs from ``level`` of an
            interval from the wild cluster bootstrap (estimate again with that
            level: the test is inverted at one level).
        """
        if isinstance(self.diagnostics.get("wild"), Mapping):
            if level == self.level:
                return self.ci
            raise EstimationError(
                f"this interval inverts a wild cluster bootstrap test at level {self.level:g}; "
                f"estimate again with level={level!r} for an interval at that level"
            )
        return interval(self.effect, self.se, level, self.df)

    @property
    def pvalue(self) -> float:
        """Two-sided p-value of the null hypothesis of no effect.

        From the reference distribution of ``ci`` (t on ``df``, else normal);
        when the interval comes from a wild cluster bootstrap
        (``diagnostics["wild"]``), that bootstrap's p-value, so that the
        p-value and the interval always answer the same test.
        """
        wild = self.diagnostics.get("wild")
        if isinstance(wild, Mapping) and wild.get("pvalue") is not None:
            return float(wild["pvalue"])
        if self.se == 0:
            return 0.0 if self.effect != 0 else 1.0
        z = abs(self.effect / self.se)
        if self.df is not None:
            return float(2 * special.stdtr(self.df, -z))
        return float(2 * special.ndtr(-z))

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
            With the balance table when there is one.
        """
        lo, hi = self.ci
        lines = (
            ("Method", self.method),
            ("Estimand", self.estimand),
            ("Effect", f"{self.effect:.6g}"),
            ("Std. error", f"{self.se:.6g}"),
            (f"{level_text(self.level)} interval", f"[{lo:.6g}, {hi:.6g}]"),
            ("p-value", f"{self.pvalue:.4g}"),
            ("Treated / control", f"{self.n_treated} / {self.n_control}"),
            ("Dropped", ", ".join(f"{k}: {v}" for k, v in self.dropped.items()) or "none"),
        )
        bal = self.diagnostics.get("balance")
        return Summary("Effect estimate", lines, bal if isinstance(bal, pd.DataFrame) else None)

    def to_frame(self) -> pd.DataFrame:
        """The estimate as a one-row table.

        Returns
        -------
        pandas.DataFrame
            Columns ``estimand``, ``method``, ``effect``, ``se``, ``ci_low``,
            ``ci_high``, ``level``, ``df``, ``pvalue``, ``n_treated``, ``n_control``.
        """
        return pd.DataFrame(
            [
                {
                    "estimand": self.estimand,
                    "method": self.method,
                    "effect": self.effect,
                    "se": self.se,
                    "ci_low": self.ci[0],
                    "ci_high": self.ci[1],
                    "level": self.level,
                    "df": self.df,
                    "pvalue": self.pvalue,
                    "n_treated": self.n_treated,
                    "n_control": self.n_control,
                }
            ]
        )

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-ready); diagnostics tables become records.

        Returns
        -------
        dict
            Every attribute, the p-value, and the diagnostics as plain data.
        """
        diag = jsonable(self.diagnostics)
        out: dict[str, Any] = jsonable(
            {
                "effect": self.effect,
                "se": self.se,
                "ci": list(self.ci),
                "level": self.level,
                "df": self.df,
                "estimand": self.estimand,
                "method": self.method,
                "n_treated": self.n_treated,
                "n_control": self.n_control,
                "dropped": dict(self.dropped),
                "pvalue": self.pvalue,
                "diagnostics": diag,
                "seed_entropy": self.seed_entropy,
            }
        )
        return out

    def __str__(self) -> str:
        return self.summary().as_text()


def level_text(level: float) -> str:
    """A confidence level as people read it: 0.95 → ``"95%"``, 0.975 → ``"97.5%"``."""
    return f"{level * 100:.10g}%"


def interval(effect: float, se: float, level: float, df: float | None) -> tuple[float, float]:
    """``effect ± q × se`` with the t (``df``) or normal quantile."""
    if not 0 < level < 1:
        raise EstimationError(f"level must be in (0, 1), got {level!r}")
    p = 0.5 + level / 2
    q = float(special.stdtrit(df, p)) if df is not None else float(special.ndtri(p))
    return effect - q * se, effect + q * se


def with_interval(
    effect: float,
    se: float,
    level: float,
    df: float | None,
    *,
    estimand: str,
    method: str,
    n_treated: int,
    n_control: int,
    dropped: Mapping[str, int],
    diagnostics: Mapping[str, Any],
    seed_entropy: int | None = None,
) -> EffectEstimate:
    """An estimate whose interval is :func:`interval` at ``level``: t on ``df``, else normal."""
    return EffectEstimate(
        effect=effect,
        se=se,
        ci=interval(effect, se, level, df),
        level=level,
        df=df,
        estimand=estimand,
        method=method,
        n_treated=n_treated,
        n_control=n_control,
        dropped=dropped,
        diagnostics=diagnostics,
        seed_entropy=seed_entropy,
    )


@attrs.frozen
class Prepared:
    """Cleaned estimation data."""

    y: FloatArray
    w: FloatArray
    x: FloatArray  # (n, k) covariates without intercept
    names: tuple[str, ...]
    index: pd.Index
    dropped: dict[str, int]
    frame: pd.DataFrame = attrs.field(eq=False, repr=False)


def _check_columns(df: pd.DataFrame, cols: Sequence[str]) -> None:
    if not isinstance(df, pd.DataFrame):
        raise EstimationError(f"expected a pandas DataFrame, got {type(df).__name__}")
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise EstimationError(
            f"columns {missing} are not in the data; columns: {', '.join(map(str, df.columns))}"
        )
    dup = sorted({str(c) for c in cols if int((df.columns == c).sum()) > 1})
    if dup:
        raise EstimationError(
            f"the data has several columns named {dup}: rename them so each name is unique"
        )


def _check_roles(outcome: str, treatment: str, covariates: Sequence[str]) -> None:
    """One column, one role: the treatment or the outcome is never also a covariate."""
    roles = [("outcome", outcome), ("treatment", treatment)]
    roles += [("covariate", c) for c in covariates]
    seen: dict[str, str] = {}
    for role, col in roles:
        if col in seen and seen[col] == role:
            raise EstimationError(f"column {col!r} is listed twice as {role}")
        if col in seen:
            raise EstimationError(
                f"column {col!r} is given both as {seen[col]} and as {role}: a column "
                "plays one role (a covariate equal to the treatment leaves no effect "
                "to identify)"
            )
        seen[col] = role


def _check_finite(sub: pd.DataFrame, cols: Sequence[str]) -> None:
    bad = [
        c
        for c in dict.fromkeys(cols)
        if pd.api.types.is_numeric_dtype(sub[c])
        and not pd.api.types.is_bool_dtype(sub[c])
        and np.isinf(sub[c].to_numpy(dtype=float)).any()
    ]
    if bad:
        raise EstimationError(
            f"columns {bad} hold infinite values: an effect cannot be estimated from them; "
            "fix or remove those rows"
        )


def binary(s: pd.Series, name: str) -> FloatArray:
    """A 0/1 treatment as floats; anything else is an EstimationError."""
    if pd.api.types.is_bool_dtype(s):
        return s.to_numpy(dtype=float)
    if not pd.api.types.is_numeric_dtype(s):
        raise EstimationError(f"treatment {name!r} must be 0/1 or boolean, got dtype {s.dtype}")
    v = s.to_numpy(dtype=float)
    bad = ~np.isin(v, (0.0, 1.0))
    if bad.any():
        raise EstimationError(
            f"treatment {name!r} must be binary 0/1; found values "
            f"{sorted(set(v[bad].tolist()))[:5]}; recode it"
        )
    return v


def design(df: pd.DataFrame, covariates: Sequence[str]) -> tuple[FloatArray, tuple[str, ...]]:
    """Covariate matrix: numeric as is, booleans 0/1, categories one-hot (first level dropped)."""
    cols: list[FloatArray] = []
    names: list[str] = []
    for c in covariates:
        s = df[c]
        if pd.api.types.is_bool_dtype(s) or (
            pd.api.types.is_numeric_dtype(s) and not isinstance(s.dtype, pd.CategoricalDtype)
        ):
            cols.append(s.to_numpy(dtype=float))
            names.append(c)
        else:
            cat = s.astype("category")
            levels = list(cat.cat.categories)
            for lev in levels[1:]:
                cols.append((cat == lev).to_numpy(dtype=float))
                names.append(f"{c}[{lev}]")
    x = np.column_stack(cols) if cols else np.zeros((len(df), 0))
    return x, tuple(names)


def prepare(
    df: pd.DataFrame,
    *,
    outcome: str,
    treatment: str,
    covariates: Sequence[str] = (),
    extra: Sequence[str] = (),
    dropna: bool = False,
    need_both_arms: bool = True,
) -> Prepared:
    """Validate and clean the estimation data (shared by every estimator).

    Raises
    ------
    EstimationError
        Missing or duplicated columns, a column in two roles, missing values
        (unless ``dropna``), infinite values, a constant outcome, a
        non-binary treatment, an empty arm, constant covariates or covariates
        collinear with the treatment.

    Warns
    -----
    ImpactkitWarning
        Covariates that are linear combinations of the others are dropped,
        by name (see ``drop_aliased``).
    """
    _check_roles(outcome, treatment, covariates)
    cols = list(dict.fromkeys([outcome, treatment, *covariates, *extra]))
    _check_columns(df, cols)
    sub = df[cols]
    na = sub.isna().any(axis=1)
    dropped: dict[str, int] = {}
    if na.any():
        if not dropna:
            bad = [c for c in cols if sub[c].isna().any()]
            raise EstimationError(
                f"{int(na.sum())} rows have missing values in {bad}; "
                "impute them or pass dropna=True (they are then counted "
                "in dropped['missing'])"
            )
        dropped["missing"] = int(na.sum())
        sub = sub.loc[~na]
    if not (
        pd.api.types.is_numeric_dtype(sub[outcome]) or pd.api.types.is_bool_dtype(sub[outcome])
    ):
        raise EstimationError(
            f"outcome {outcome!r} must be numeric, got dtype {sub[outcome].dtype}"
        )
    _check_finite(sub, [outcome, *covariates])
    y = sub[outcome].to_numpy(dtype=float)
    if len(y) and np.ptp(y) == 0:
        raise EstimationError(
            f"outcome {outcome!r} is constant (every value is {y[0]:g}): there is no "
            "variation to estimate an effect or its uncertainty from"
        )
    w = binary(sub[treatment], treatment)
    if need_both_arms:
        n1 = int(w.sum())
        if n1 == 0 or n1 == len(w):
            arm = "treated" if n1 == 0 else "control"
            raise EstimationError(
                f"no {arm} units: an effect needs both treated and control units"
            )
    x, names = design(sub, covariates)
    if x.shape[1]:
        const = np.ptp(x, axis=0) == 0
        if const.any():
            raise EstimationError(
                f"constant covariates {[names[i] for i in np.flatnonzero(const)]}"
                ": they carry no information; remove them"
            )
        check_not_treatment(x, names, w, treatment)
        full = np.column_stack([np.ones_like(w), x])
        _, kept_names, kept = drop_aliased(full, ("intercept", *names), protected=1)
        x, names = x[:, [j - 1 for j in kept[1:]]], kept_names[1:]
    return Prepared(y, w, x, names, sub.index, dropped, sub)


def ols(
    x: FloatArray,
    y: FloatArray,
    weights: FloatArray | None = None,
    *,
    names: Sequence[str] | None = None,
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """(coefficients, residuals, (X'WX)^-1) of a (weighted) least-squares fit.

    The design's rank is checked first (``aliased_columns``, R's ``lm``
    tolerance): a rank-deficient design is an error naming the aliased
    columns (``names``), never a number from a near-singular inverse.
    """
    if weights is not None:
        sw = np.sqrt(weights)
        xw, yw = x * sw[:, None], y * sw
    else:
        xw, yw = x, y
    xtx = xw.T @ xw
    bad = aliased_columns(xw, gram=xtx)
    if bad:
        which = [names[j] for j in bad] if names is not None else [f"column {j}" for j in bad]
        raise EstimationError(
            f"the regressors are collinear: {which} are linear combinations of the "
            "other columns; remove redundant covariates"
        )
    try:
        inv = np.asarray(np.linalg.inv(xtx), dtype=float)
    except np.linalg.LinAlgError as exc:  # pragma: no cover - excluded by the rank check
        raise EstimationError("the regressors are collinear; remove redundant covariates") from exc
    beta = inv @ (xw.T @ yw)
    resid = y - x @ beta
    return beta, resid, inv


FE_DOF = ("nested", "all", "none")
"""Ways of counting absorbed fixed effects in the CR1 factor (see :func:`cr1_parameters`)."""


def cr1_parameters(
    n_regressors: int,
    *,
    n_units: int,
    n_times: int,
    units_nested: bool = True,
    fe_dof: str = "nested",
) -> int:
    r"""The *K* of the CR1 factor :math:`\frac{G}{G-1}\frac{N-1}{N-K}` of a two-way FE fit.

    The one convention of every regression estimator with unit and time
    effects (see docs/methods/attribution.md, "Degrees of freedom"): *K*
    counts the regressors and every absorbed parameter, except fixed effects
    nested in the clusters (fixest's ``fixef.K = "nested"``, reghdfe,
    pyfixest). With unit effects nested in the clusters (clusters are units,
    or groups of units) that is the regressors, the :math:`T - 1` time
    effects and the constant: ``n_regressors + n_times``.

    Parameters
    ----------
    n_regressors : int
        Coefficients estimated explicitly (after dropping aliased columns).
    n_units, n_times : int
        Levels of the unit and time effects.
    units_nested : bool, default True
        Whether every unit lies in one cluster; when not, the unit effects
        count too (:math:`n_{units} + T - 1` absorbed parameters).
    fe_dof : {"nested", "all", "none"}, default "nested"
        ``"all"`` counts every absorbed effect whatever the clusters (the
        regression with dummies of statsmodels), ``"none"`` only the
        regressors.

    Returns
    -------
    int
        *K*.

    Examples
    --------
    >>> cr1_parameters(1, n_units=50, n_times=6)
    7
    >>> cr1_parameters(1, n_units=50, n_times=6, fe_dof="all")
    56
    """
    if fe_dof == "none":
        return n_regressors
    if fe_dof == "all" or not units_nested:
        return n_regressors + n_units + n_times - 1
    if fe_dof == "nested":
        return n_regressors + n_times
    raise EstimationError(f"fe_dof must be one of {FE_DOF}, got {fe_dof!r}")


def sandwich(
    x: FloatArray,
    resid: FloatArray,
    bread: FloatArray,
    *,
    kind: str,
    weights: FloatArray | None = None,
    groups: npt.NDArray[np.int64] | None = None,
    k: int | None = None,
) -> FloatArray:
    """Heteroskedasticity- or cluster-robust covariance of OLS/WLS coefficients.

    ``kind``: ``HC0``, ``HC1`` (× n/(n−k)), ``HC2`` (squared residuals /
    (1 − h_ii)), ``HC3`` (squared residuals / (1 − h_ii)²), ``CR1`` (clusters
    ``groups``: × G/(G−1) × (n−1)/(n−k)). ``k`` counts the regressors for the
    small-sample factors (default: columns of ``x``).
    """
    if kind not in ("HC0", "HC1", "HC2", "HC3", "CR1"):
        raise EstimationError(f"kind must be HC0, HC1, HC2, HC3 or CR1, got {kind!r}")
    n = x.shape[0]
    k = x.shape[1] if k is None else k
    wr = resid if weights is None else resid * weights
    if kind in ("HC2", "HC3"):
        xw = x if weights is None else x * np.sqrt(weights)[:, None]
        h = np.einsum("ij,jk,ik->i", xw, bread, xw)
        wr = wr / (np.sqrt(1.0 - h) if kind == "HC2" else 1.0 - h)
    if kind == "CR1":
        if groups is None:
            raise ValueError("CR1 needs groups")
        g = int(groups.max()) + 1
        # the scores x_i u_i summed by cluster, a column at a time (bincount adds in
        # row order, as np.add.at did: the same sums, without an n x k array)
        summed = np.asarray(
            np.column_stack(
                [np.bincount(groups, weights=x[:, j] * wr, minlength=g) for j in range(x.shape[1])]
            ).reshape(g, x.shape[1]),
            dtype=float,
        )
        meat = summed.T @ summed
        n_groups = int(np.count_nonzero(np.bincount(groups)))
        factor = n_groups / (n_groups - 1) * (n - 1) / (n - k)
    else:
        scores = x * wr[:, None]
        meat = scores.T @ scores
        factor = n / (n - k) if kind == "HC1" else 1.0
    return np.asarray(factor * bread @ meat @ bread, dtype=float)


def _wstats(x: FloatArray, w: FloatArray | None) -> tuple[FloatArray, FloatArray]:
    if w is None:
        v = x.var(axis=0, ddof=1) if len(x) > 1 else np.zeros(x.shape[1])
        return np.asarray(x.mean(axis=0), dtype=float), np.asarray(v, dtype=float)
    ws = w / w.sum()
    m = ws @ x
    return np.asarray(m, dtype=float), np.asarray(ws @ (x - m) ** 2, dtype=float)


def smd(
    x1: FloatArray,
    x0: FloatArray,
    w1: FloatArray | None = None,
    w0: FloatArray | None = None,
    denom: FloatArray | None = None,
) -> tuple[FloatArray, FloatArray]:
    """Standardised mean differences and variance ratios, each arm optionally weighted."""
    m1, v1 = _wstats(x1, w1)
    m0, v0 = _wstats(x0, w0)
    if denom is None:
        denom = np.sqrt((v1 + v0) / 2)
    with np.errstate(divide="ignore", invalid="ignore"):
        d = np.where(denom > 0, (m1 - m0) / denom, 0.0)
        vr = np.where(v0 > 0, v1 / v0, np.inf)
    return np.asarray(d, dtype=float), np.asarray(vr, dtype=float)


def balance_table(p: Prepared, weights: FloatArray | None = None) -> pd.DataFrame:
    """Covariate balance before and (with unit weights) after adjustment.

    ``weights`` holds one weight per unit of ``p`` (both arms; 0 excludes a
    unit). Columns: ``covariate``, ``smd_before``, ``variance_ratio_before``,
    ``smd_after``, ``variance_ratio_after``; the after-columns keep the
    before-denominator, so that changes reflect mean differences (targets:
    |SMD| < 0.1, variance ratio in [0.5, 2]).
    """
    cols = [
        "covariate",
        "smd_before",
        "variance_ratio_before",
        "smd_after",
        "variance_ratio_after",
    ]
    if not p.names:
        return pd.DataFrame(columns=cols)
    t = p.w == 1
    x1, x0 = p.x[t], p.x[~t]
    before, vr_before = smd(x1, x0)
    denom = np.sqrt((x1.var(axis=0, ddof=1) + x0.var(axis=0, ddof=1)) / 2)
    out: dict[str, Any] = {
        "covariate": list(p.names),
        "smd_before": before,
        "variance_ratio_before": vr_before,
    }
    if weights is not None:
        after, vr_after = smd(x1, x0, weights[t], weights[~t], denom)
        out["smd_after"] = after
        out["variance_ratio_after"] = vr_after
    return pd.DataFrame(out, columns=[c for c in cols if c in out])


def overlap_summary(e: FloatArray, w: FloatArray) -> dict[str, float]:
    """Overlap of the propensity scores (docs/methods/attribution.md).

    Keys: ``min`` and ``max`` of the scores; ``outside_0.01_0.99`` and
    ``outside_0.1_0.9``, the number of units outside these bands, with
    ``share_outside_...`` their share; then the range and quartiles of the
    scores in each arm (``treated_min``, ``treated_q25``, ... ``control_max``).
    """
    out: dict[str, float] = {
        "min": float(e.min()) if e.size else math.nan,
        "max": float(e.max()) if e.size else math.nan,
    }
    for lo, hi in ((0.01, 0.99), (0.1, 0.9)):
        n_out = int(np.sum((e < lo) | (e > hi)))
        out[f"outside_{lo:g}_{hi:g}"] = n_out
        out[f"share_outside_{lo:g}_{hi:g}"] = n_out / e.size if e.size else math.nan
    for label, m in (("treated", w == 1), ("control", w == 0)):
        q = np.quantile(e[m], [0, 0.25, 0.5, 0.75, 1]) if m.any() else np.full(5, math.nan)
        for name, v in zip(("min", "q25", "median", "q75", "max"), q, strict=True):
            out[f"{label}_{name}"] = float(v)
    return out
