r"""Network scale: the SROI of thousands of establishments at once.

Tidy tables in — one row per site × outcome, named like the
:class:`~impactkit.OutcomeValuation` fields, and inputs per site (or per site ×
input) — one row per site out, evaluated by the same kernel as
:func:`impactkit.sroi` in one vectorised call over every row of every site.

Work can be split by site over any :class:`concurrent.futures.Executor`
(including a ``dask.distributed`` client); sites are cut into fixed blocks of
:data:`SITE_BLOCK`, each with its own random streams, so results are identical
whatever the executor or the number of workers.
"""

from __future__ import annotations

import concurrent.futures as cf
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit import kernel
from impactkit._comparison import dersimonian_laird, funnel, shrink
from impactkit._network import NetworkAnalysis, analyse_network, pseudonyms
from impactkit._random import root_sequence
from impactkit._valuemap import ROW_FIELDS
from impactkit.discount import Constant, Discount, Schedule
from impactkit.dist import Distribution
from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray, SeedLike

__all__ = [
    "FIELDS",
    "SITE_BLOCK",
    "NetworkAnalysis",
    "PortfolioMonteCarlo",
    "aggregate",
    "analyse_network",
    "dersimonian_laird",
    "distribution",
    "evaluate",
    "funnel",
    "monte_carlo",
    "position",
    "pseudonyms",
    "row_values",
    "shrink",
    "stakeholder_shares",
]

FIELDS: dict[str, tuple[float, float | None, float | None]] = {
    # name: (default, low, high)
    "quantity": (np.nan, 0.0, None),
    "proxy": (np.nan, None, None),
    "duration": (1.0, 0.0, 300.0),
    "start_year": (1.0, 1.0, 2.0),
    "deadweight": (0.0, 0.0, 1.0),
    "displacement": (0.0, 0.0, 1.0),
    "attribution": (0.0, 0.0, 1.0),
    "leakage": (0.0, 0.0, 1.0),
    "drop_off": (0.0, 0.0, 1.0),
}
"""Numeric outcome columns, their default (NaN: required) and admissible range."""

TEXT_COLUMNS = ("outcome", "stakeholder", "label", "indicator", "proxy_source", "drop_off_method")
SITE_BLOCK = 512
"""Sites per work unit and per random stream block (fixed: results never depend on workers)."""
DRAW_BLOCK = 256
"""Monte Carlo draws per random block."""


def _discount(discount: Discount | float) -> Discount:
    if isinstance(discount, Constant | Schedule):
        return discount
    return Constant(float(discount))


def _rows_listing(idx: Sequence[Any] | npt.NDArray[Any], limit: int = 20) -> str:
    shown = ", ".join(map(str, list(idx)[:limit]))
    more = f" and {len(idx) - limit} more" if len(idx) > limit else ""
    return shown + more


@attrs.frozen
class _Prepared:
    sites: list[Any]  # site labels in order of first appearance
    site_of_row: npt.NDArray[np.int64]  # (R,) site position of each outcome row
    fields: dict[str, FloatArray]  # (R,) each
    linear: npt.NDArray[np.bool_]
    start: npt.NDArray[np.int64]
    inputs: FloatArray  # (n_sites,) PV of inputs
    outcomes: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)


def _prepare(
    outcomes: pd.DataFrame, inputs: pd.DataFrame, site: str, discount: Discount, by: Sequence[str]
) -> _Prepared:
    probs: list[Problem] = []
    for name, df in (("outcomes", outcomes), ("inputs", inputs)):
        if not isinstance(df, pd.DataFrame):
            raise ValidationError(f"{name} must be a DataFrame", path=(name,), code="type")
        if site not in df.columns:
            probs.append(Problem((name, site), "missing_column", f"no site column {site!r}"))
    if probs:
        raise ValidationError(probs)
    uncertain = {f"{f}_{s}" for f in FIELDS for s in ("low", "high")}
    allowed = {site, *FIELDS, *TEXT_COLUMNS, *by, *uncertain}
    unknown = [c for c in outcomes.columns if c not in allowed]
    if unknown:
        probs.append(
            Problem(
                ("outcomes",),
                "unknown_column",
                f"unknown columns {unknown}; outcome columns are {', '.join(FIELDS)}"
                f", {', '.join(TEXT_COLUMNS)}, the site and by= columns",
            )
        )
    for req in ("quantity", "proxy"):
        if req not in outcomes.columns:
            probs.append(
                Problem(("outcomes", req), "missing_column", f"column {req!r} is required")
            )
    in_unknown = [
        c
        for c in inputs.columns
        if c not in {site, "amount", "year", "label", "stakeholder", "in_kind", *by}
    ]
    if "amount" not in inputs.columns:
        probs.append(
            Problem(("inputs", "amount"), "missing_column", "column 'amount' is required")
        )
    if in_unknown:
        probs.append(Problem(("inputs",), "unknown_column", f"unknown columns {in_unknown}"))
    missing_by = [b for b in by if b not in outcomes.columns]
    if missing_by:
        probs.append(
            Problem(("by",), "missing_column", f"by= columns {missing_by} are not in the outcomes")
        )
    if any(p.code == "missing_column" for p in probs):
        raise ValidationError(probs)  # the values cannot be checked without these columns

    n = len(outcomes)
    fields: dict[str, FloatArray] = {}
    for f, (default, lo, hi) in FIELDS.items():
        if f in outcomes.columns:
            col = pd.to_numeric(outcomes[f], errors="coerce").to_numpy(dtype=float)
            bad_type = np.flatnonzero(np.isnan(col) & outcomes[f].notna().to_numpy())
            if bad_type.size:
                probs.append(
                    Problem(
                        ("outcomes", f),
                        "type",
                        f"non-numeric values in rows {_rows_listing(bad_type)}",
                    )
                )
            missing = np.flatnonzero(outcomes[f].isna().to_numpy())
            if missing.size:
                if np.isnan(default):
                    probs.append(
                        Problem(
                            ("outcomes", f),
                            "missing",
                            f"missing values in rows {_rows_listing(missing)}",
                        )
                    )
                col = np.where(np.isnan(col), default, col)
        else:
            col = np.full(n, default)
        out = np.zeros(n, dtype=bool)
        if lo is not None:
            out |= col < lo
        if hi is not None:
            out |= col > hi
        rows = np.flatnonzero(out & ~np.isnan(col))
        if rows.size:
            lo_t = "-inf" if lo is None else f"{lo:g}"
            hi_t = "inf" if hi is None else f"{hi:g}"
            rng = f"[{lo_t}, {hi_t}]"
            probs.append(
                Problem(
                    ("outcomes", f),
                    "out_of_range",
                    f"values outside {rng} in rows {_rows_listing(rows)}",
                )
            )
        fields[f] = col
    start = fields["start_year"]
    bad_start = np.flatnonzero(~np.isin(start, (1.0, 2.0)))
    if bad_start.size:
        probs.append(
            Problem(
                ("outcomes", "start_year"),
                "invalid_choice",
                f"start_year must be 1 or 2 in rows {_rows_listing(bad_start)}",
            )
        )
    if "duration" in outcomes.columns:
        frac = np.flatnonzero(fields["duration"] != np.floor(fields["duration"]))
        if frac.size:
            probs.append(
                Problem(
                    ("outcomes", "duration"),
                    "not_integer",
                    f"durations must be whole years in rows {_rows_listing(frac)}",
                )
            )
    linear = np.zeros(n, dtype=bool)
    if "drop_off_method" in outcomes.columns:
        m = outcomes["drop_off_method"].fillna("compound")
        bad = np.flatnonzero(~m.isin(["compound", "linear"]).to_numpy())
        if bad.size:
            probs.append(
                Problem(
                    ("outcomes", "drop_off_method"),
                    "invalid_choice",
                    f"must be 'compound' or 'linear' in rows {_rows_listing(bad)}",
                )
            )
        linear = (m == "linear").to_numpy()
    key_cols = [site] + [c for c in ("outcome", "stakeholder") if c in outcomes.columns]
    if len(key_cols) > 1:
        dup = outcomes.duplicated(subset=key_cols, keep=False)
        if dup.any():
            probs.append(
                Problem(
                    ("outcomes",),
                    "duplicate_key",
                    f"duplicate {'/'.join(key_cols)} keys in rows "
                    f"{_rows_listing(np.flatnonzero(dup.to_numpy()))}",
                )
            )
    amount = pd.to_numeric(inputs["amount"], errors="coerce").to_numpy(dtype=float)
    bad_amount = np.flatnonzero(~np.isfinite(amount) | (amount < 0))
    if bad_amount.size:
        probs.append(
            Problem(
                ("inputs", "amount"),
                "out_of_range",
                f"amounts must be finite and >= 0 in rows {_rows_listing(bad_amount)}",
            )
        )
    years = np.zeros(len(inputs))
    if "year" in inputs.columns:  # optional; a missing year is year 0, like a missing column
        raw = inputs["year"]
        years = pd.to_numeric(raw, errors="coerce").to_numpy(dtype=float)
        years = np.where(raw.isna().to_numpy(), 0.0, years)
    bad_year = np.flatnonzero(~np.isfinite(years) | (years < 0) | (years != np.floor(years)))
    if bad_year.size:
        probs.append(
            Problem(
                ("inputs", "year"),
                "not_integer",
                f"years must be whole numbers >= 0 in rows {_rows_listing(bad_year)}",
            )
        )
    sites = list(pd.unique(outcomes[site]))
    site_pos = {s: i for i, s in enumerate(sites)}
    in_sites = set(pd.unique(inputs[site]))
    no_inputs = [s for s in sites if s not in in_sites]
    if no_inputs:
        probs.append(
            Problem(
                ("inputs", site),
                "no_inputs",
                f"{len(no_inputs)} sites have no inputs: {_rows_listing(no_inputs)}",
            )
        )
    orphans = sorted(map(str, in_sites - set(sites)))
    if orphans:
        probs.append(
            Problem(
                ("inputs", site),
                "unknown_site",
                f"inputs for sites with no outcome rows: {_rows_listing(orphans)}",
            )
        )
    for b in by:
        nunique = outcomes.groupby(site, sort=False)[b].nunique(dropna=False)
        varying = nunique[nunique > 1].index.tolist()
        if varying:
            probs.append(
                Problem(
                    ("outcomes", b),
                    "not_constant",
                    f"{b!r} varies within sites {_rows_listing(varying)}",
                )
            )
    if probs:
        raise ValidationError(probs)
    site_of_row = outcomes[site].map(site_pos).to_numpy(dtype=np.int64)
    in_pos = inputs[site].map(site_pos).to_numpy(dtype=np.int64)
    t = years.astype(np.int64)
    dfs = discount.factors(t) if t.size else np.zeros(0)
    pv_inputs = np.asarray(
        np.bincount(in_pos, weights=amount * dfs, minlength=len(sites)), dtype=float
    )
    zero = [sites[i] for i in np.flatnonzero(pv_inputs <= 0)]
    if zero:
        raise ValidationError(
            f"{len(zero)} sites have inputs totalling 0: the ratio is "
            f"undefined for {_rows_listing(zero)}",
            path=("inputs", "amount"),
            code="no_inputs",
        )
    return _Prepared(
        sites, site_of_row, fields, linear, start.astype(np.int64), pv_inputs, outcomes
    )


def _kernel_rows(
    p: _Prepared,
    discount: Discount,
    values: Mapping[str, FloatArray],
    rows: npt.NDArray[np.int64] | slice = slice(None),
) -> FloatArray:
    """Row present values, (S, R') for field arrays shaped (S or 1, R')."""
    rate = None
    cum = None
    if isinstance(discount, Constant):
        rate = np.array([[discount.central_rate]])
    else:
        dur = values["duration"]
        cum = discount.cumulative(int(p.start.max(initial=1)) + int(np.ceil(dur.max(initial=1))))
    return kernel.present_values(
        *[values[f] for f in ROW_FIELDS],
        start=p.start[rows],
        linear=p.linear[rows],
        rate=rate,
        cumulative=cum,
    )


def _point_block(
    p: _Prepared, discount: Discount, rows: npt.NDArray[np.int64]
) -> tuple[FloatArray, FloatArray]:
    vals = {f: p.fields[f][rows][None, :] for f in FIELDS}
    pv = _kernel_rows(p, discount, vals, rows)[0]
    y1 = kernel.year_values(
        *[vals[f] for f in ROW_FIELDS],
        start=p.start[rows],
        linear=p.linear[rows],
        horizon=1,
    )[0, :, 0]
    return pv, y1


def _blocks(p: _Prepared) -> list[npt.NDArray[np.int64]]:
    """Row indices of each fixed block of SITE_BLOCK sites."""
    order = np.argsort(p.site_of_row, kind="stable")
    block_of_row = p.site_of_row[order] // SITE_BLOCK
    cuts = np.flatnonzero(np.diff(block_of_row)) + 1
    return [np.asarray(b, dtype=np.int64) for b in np.split(order, cuts)]


def _as_executor(executor: Any) -> cf.Executor | None:
    if executor is None:
        return None
    get = getattr(executor, "get_executor", None)
    if callable(get):  # a dask.distributed Client
        ex = get()
        if isinstance(ex, cf.Executor):
            return ex
    if isinstance(executor, cf.Executor):
        return executor
    raise ValidationError(
        "executor must be a concurrent.futures.Executor or a dask client",
        path=("executor",),
        code="type",
    )


def row_values(
    outcomes: pd.DataFrame,
    inputs: pd.DataFrame,
    *,
    site: str = "site",
    discount: Discount | float = 0.035,
    executor: Any = None,
) -> pd.DataFrame:
    """Present value of every outcome row (the outcomes table with ``present_value`` added)."""
    d = _discount(discount)
    p = _prepare(outcomes, inputs, site, d, ())
    pv, _ = _run(p, d, executor)
    out = outcomes.copy()
    out["present_value"] = pv
    return out


def _subset(p: _Prepared, rows: npt.NDArray[np.int64]) -> _Prepared:
    """Only the rows of one block: what a worker needs, nothing more (cheap to send)."""
    return _Prepared(
        p.sites,
        p.site_of_row[rows],
        {f: v[rows] for f, v in p.fields.items()},
        p.linear[rows],
        p.start[rows],
        p.inputs,
        None,
    )


def _local(rows: npt.NDArray[np.int64]) -> npt.NDArray[np.int64]:
    return np.arange(rows.size, dtype=np.int64)


def _run(p: _Prepared, d: Discount, executor: Any) -> tuple[FloatArray, FloatArray]:
    blocks = _blocks(p)
    ex = _as_executor(executor)
    pv = np.zeros(len(p.site_of_row))
    y1 = np.zeros(len(p.site_of_row))
    if ex is None:
        pv[:], y1[:] = _point_block(p, d, np.arange(len(p.site_of_row), dtype=np.int64))
    else:
        futures = [ex.submit(_point_block, _subset(p, b), d, _local(b)) for b in blocks]
        for b, fut in zip(blocks, futures, strict=True):
            pv[b], y1[b] = fut.result()
    return pv, y1


def evaluate(
    outcomes_df: pd.DataFrame,
    inputs_df: pd.DataFrame,
    site: str = "site",
    discount: Discount | float = 0.035,
    by: Sequence[str] | None = None,
    executor: Any = None,
) -> pd.DataFrame:
    r"""The SROI of every site in one vectorised kernel call.

    Parameters
    ----------
    outcomes_df : DataFrame
        One row per site × outcome. Columns named like the OutcomeValuation
        fields: ``quantity`` and ``proxy`` (a number in the model currency,
        base-year prices) are required; ``duration`` (1), ``start_year`` (1),
        ``deadweight``, ``displacement``, ``attribution``, ``leakage``,
        ``drop_off`` (0) and ``drop_off_method`` (compound) are optional;
        ``outcome``, ``stakeholder``, ``label`` are text. Unknown columns are
        errors.
    inputs_df : DataFrame
        One row per site or per site × input: ``amount``, optional ``year`` (0).
    site : str, default "site"
        The site column of both tables.
    discount : Discount or float, default 0.035
    by : sequence of str, optional
        Columns of ``outcomes_df`` constant within a site (sector, region),
        copied to the result for grouping.
    executor : concurrent.futures.Executor or dask client, optional
        Evaluate blocks of sites in parallel; the numbers equal the local run.

    Returns
    -------
    DataFrame
        One row per site, in order of first appearance: ``site``, the ``by``
        columns, ``present_value``, ``total_inputs``, ``net_present_value``,
        ``ratio``, ``net_ratio``, ``payback_months`` (None when year 1 has no
        positive value).

    Raises
    ------
    ValidationError
        Unknown or missing columns, values out of range, duplicate
        site/outcome keys, sites with no inputs or inputs totalling zero,
        negative amounts: every problem at once, listing the sites and row
        indices. Valid sites are never dropped silently.

    Examples
    --------
    >>> outcomes = pd.DataFrame({"site": ["a", "a", "b"], "outcome": ["x", "y", "x"],
    ...                          "quantity": [10, 5, 8], "proxy": [100.0, 50.0, 100.0]})
    >>> inputs = pd.DataFrame({"site": ["a", "b"], "amount": [500.0, 400.0]})
    >>> evaluate(outcomes, inputs, discount=0.0)[["site", "present_value", "ratio"]]
      site  present_value  ratio
    0    a         1250.0    2.5
    1    b          800.0    2.0
    """
    by = list(by or ())
    d = _discount(discount)
    p = _prepare(outcomes_df, inputs_df, site, d, by)
    pv, y1 = _run(p, d, executor)
    n = len(p.sites)
    site_pv = np.bincount(p.site_of_row, weights=pv, minlength=n)
    site_y1 = np.bincount(p.site_of_row, weights=y1, minlength=n)
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = np.where(site_y1 > 0, 12.0 * p.inputs / site_y1, np.nan)
    payback_obj = pd.Series(
        [None if not np.isfinite(x) else float(x) for x in payback], dtype=object
    )
    out = pd.DataFrame({site: p.sites})
    if by:
        first = outcomes_df.drop_duplicates(site).set_index(site)[by]
        for b in by:
            out[b] = first.loc[p.sites, b].to_numpy()
    out["present_value"] = site_pv
    out["total_inputs"] = p.inputs
    out["net_present_value"] = site_pv - p.inputs
    out["ratio"] = site_pv / p.inputs
    out["net_ratio"] = out["ratio"] - 1.0
    out["payback_months"] = payback_obj
    out.attrs["discount"] = d.describe()
    return out


def aggregate(result: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Totals and value-weighted ratios by group (sector, region, organisation).

    The group ratio is :math:`\\sum PV / \\sum I` (value-weighted), not the mean
    of site ratios; ``mean_ratio`` and ``median_ratio`` are given beside it.
    """
    keys = [by] if isinstance(by, str) else list(by)
    g = result.groupby(keys, sort=True)
    out = g.agg(
        sites=("ratio", "size"),
        present_value=("present_value", "sum"),
        total_inputs=("total_inputs", "sum"),
        mean_ratio=("ratio", "mean"),
        median_ratio=("ratio", "median"),
    ).reset_index()
    out["net_present_value"] = out["present_value"] - out["total_inputs"]
    out["ratio"] = out["present_value"] / out["total_inputs"]
    return out


def distribution(
    result: pd.DataFrame,
    percentiles: Sequence[float] = (5, 25, 50, 75, 95),
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Percentiles of the site ratios, overall or by group."""
    q = [p / 100 for p in percentiles]
    if by is None:
        vals = np.quantile(result["ratio"].to_numpy(), q)
        return pd.DataFrame([dict(zip([f"p{p:g}" for p in percentiles], vals, strict=True))])
    keys = [by] if isinstance(by, str) else list(by)
    out = result.groupby(keys)["ratio"].quantile(np.array(q)).unstack()
    out.columns = [f"p{p:g}" for p in percentiles]
    return out.reset_index()


def position(
    result: pd.DataFrame, site_id: Any, *, site: str = "site", peers: str | None = None
) -> dict[str, Any]:
    """Where one site stands among its peers (all sites, or those of the same ``peers`` group).

    Returns the site's ratio, its percentile rank (share of peers with a lower
    ratio, ties counted half), the peers' median and the number of peers.
    """
    rows = result[result[site] == site_id]
    if rows.empty:
        raise ValidationError(
            f"no site {site_id!r} in the result", path=("site",), code="unknown_site"
        )
    me = rows.iloc[0]
    group = result if peers is None else result[result[peers] == me[peers]]
    r = group["ratio"].to_numpy()
    below = float(np.mean(r < me["ratio"]) + 0.5 * np.mean(r == me["ratio"]))
    return {
        "site": site_id,
        "ratio": float(me["ratio"]),
        "percentile": 100 * below,
        "peer_median": float(np.median(r)),
        "peers": len(r),
    }


def stakeholder_shares(
    outcomes_df: pd.DataFrame,
    inputs_df: pd.DataFrame,
    *,
    site: str = "site",
    discount: Discount | float = 0.035,
    stakeholder: str = "stakeholder",
) -> pd.DataFrame:
    """Share of the network's present value by stakeholder group."""
    if stakeholder not in outcomes_df.columns:
        raise ValidationError(
            f"no {stakeholder!r} column in the outcomes",
            path=("outcomes", stakeholder),
            code="missing_column",
        )
    rv = row_values(outcomes_df, inputs_df, site=site, discount=discount)
    out = rv.groupby(stakeholder)["present_value"].sum().reset_index()
    total = out["present_value"].sum()
    out["share"] = out["present_value"] / total if total else 0.0
    return out.sort_values("present_value", ascending=False, ignore_index=True)


@attrs.frozen
class PortfolioMonteCarlo:
    """Draws of every site's SROI.

    Attributes
    ----------
    sites : list
        Site labels, in the order of the columns of the arrays.
    present_value, ratio : ndarray
        Shape (n, sites).
    total_inputs : ndarray
        Shape (sites,) (inputs are certain).
    """

    sites: list[Any]
    present_value: FloatArray = attrs.field(eq=False, repr=False)
    total_inputs: FloatArray = attrs.field(eq=False, repr=False)

    @property
    def ratio(self) -> FloatArray:
        """Ratio draws, (n, sites)."""
        return self.present_value / self.total_inputs[None, :]

    def summary(self, percentiles: Sequence[float] = (5, 50, 95)) -> pd.DataFrame:
        """Per site: mean ratio, percentiles and P(ratio > 1)."""
        r = self.ratio
        out = pd.DataFrame({"site": self.sites, "mean_ratio": r.mean(axis=0)})
        for p, v in zip(percentiles, np.percentile(r, list(percentiles), axis=0), strict=True):
            out[f"p{p:g}"] = v
        out["probability_ratio_above_1"] = (r > 1).mean(axis=0)
        return out

    def network_ratio(self) -> FloatArray:
        """Draws of the value-weighted network ratio, (n,)."""
        return np.asarray(self.present_value.sum(axis=1) / self.total_inputs.sum(), dtype=float)


def _mc_block(
    p: _Prepared,
    d: Discount,
    rows: npt.NDArray[np.int64],
    n: int,
    row_dists: Mapping[str, tuple[FloatArray, FloatArray]],
    shared: Mapping[str, tuple[npt.NDArray[np.int64], FloatArray]],
    root: np.random.SeedSequence,
    chunk: int,
) -> FloatArray:
    """PV draws (n, sites of the block) for one block of sites; chunked over draws."""
    block_id = int(p.site_of_row[rows[0]] // SITE_BLOCK)
    sites_in = np.unique(p.site_of_row[rows])
    local = np.searchsorted(sites_in, p.site_of_row[rows])
    out = np.zeros((n, sites_in.size))
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        vals = {f: p.fields[f][rows][None, :] for f in FIELDS}
        s = hi - lo
        for f, (low, high) in row_dists.items():
            u = np.empty((s, rows.size))
            for b in range(lo // DRAW_BLOCK, -(-hi // DRAW_BLOCK)):
                b_lo, b_hi = max(b * DRAW_BLOCK, lo), min((b + 1) * DRAW_BLOCK, hi)
                seq = np.random.SeedSequence(
                    root.entropy, spawn_key=(1, block_id, b, list(FIELDS).index(f))
                )
                g = np.random.Generator(np.random.PCG64(seq))
                # every draw block of a site block has its own stream: the draws of a row
                # depend only on the seed, never on chunking or workers
                full = g.random((min((b + 1) * DRAW_BLOCK, n) - b * DRAW_BLOCK, rows.size))
                u[b_lo - lo : b_hi - lo] = full[b_lo - b * DRAW_BLOCK : b_hi - b * DRAW_BLOCK]
            mode = p.fields[f][rows][None, :]
            lo_v, hi_v = low[rows][None, :], high[rows][None, :]
            vals[f] = _tri_ppf(u, lo_v, mode, hi_v)
        for f, (group_of_row, mult) in shared.items():
            vals[f] = vals[f] * mult[lo:hi][:, group_of_row[rows]]
        pv = _kernel_rows(p, d, vals, rows)
        out[lo:hi] = _sum_by(pv, local, sites_in.size)
    return out


def _sum_by(pv: FloatArray, col: npt.NDArray[np.int64], m: int) -> FloatArray:
    """Sum the columns of ``pv`` by site; ``col`` is sorted, so each site is a contiguous run.

    ``np.add.reduceat`` adds in a fixed order per draw, so the sums do not depend on how
    many draws are evaluated together (a matrix product would).
    """
    starts = np.flatnonzero(np.r_[True, np.diff(col) != 0])
    out = np.zeros((pv.shape[0], m))
    out[:, col[starts]] = np.add.reduceat(pv, starts, axis=1)
    return out


def _tri_ppf(u: FloatArray, a: FloatArray, m: FloatArray, b: FloatArray) -> FloatArray:
    w = np.where(b > a, b - a, 1.0)
    fc = (m - a) / w
    left = a + np.sqrt(u * (b - a) * (m - a))
    right = b - np.sqrt((1 - u) * (b - a) * (b - m))
    return np.asarray(np.where(b > a, np.where(u < fc, left, right), m), dtype=float)


def monte_carlo(
    outcomes_df: pd.DataFrame,
    inputs_df: pd.DataFrame,
    *,
    n: int = 1_000,
    seed: SeedLike = None,
    site: str = "site",
    discount: Discount | float = 0.035,
    shared: Mapping[str, tuple[str, Distribution]] | None = None,
    chunk_size: int = 256,
    executor: Any = None,
) -> PortfolioMonteCarlo:
    """Monte Carlo over a whole network, per-site and shared uncertainty.

    Parameters
    ----------
    outcomes_df, inputs_df, site, discount
        As in :func:`evaluate`. A field ``F`` with columns ``F_low`` and
        ``F_high`` is drawn per row from a triangular distribution with the
        row's ``F`` as mode.
    n : int, default 1,000
        Draws.
    seed : int, optional
        The same seed gives the same draws whatever ``chunk_size``, executor
        or number of workers.
    shared : mapping, optional
        ``{field: (group_column, distribution)}``: one multiplier per group
        and draw applied to the field of every row of the group (e.g. a
        sector-wide proxy uncertainty common to all its sites).
    chunk_size : int, default 256
        Draws evaluated at once; memory is about ``chunk_size × rows × 8``
        bytes per array.
    executor : concurrent.futures.Executor or dask client, optional
        Evaluate blocks of sites in parallel.

    Returns
    -------
    PortfolioMonteCarlo
    """
    if n < 1 or chunk_size < 1:
        raise ValidationError(
            "n and chunk_size must be positive", path=("n",), code="out_of_range"
        )
    d = _discount(discount)
    shared = dict(shared or {})
    group_cols = [g for g, _ in shared.values()]
    extra = [c for c in group_cols if c in outcomes_df.columns]
    p = _prepare(outcomes_df, inputs_df, site, d, extra)
    probs: list[Problem] = []
    row_dists: dict[str, tuple[FloatArray, FloatArray]] = {}
    for f in FIELDS:
        lo_c, hi_c = f"{f}_low", f"{f}_high"
        if lo_c in outcomes_df.columns or hi_c in outcomes_df.columns:
            if not (lo_c in outcomes_df.columns and hi_c in outcomes_df.columns):
                probs.append(
                    Problem(("outcomes", f), "missing_column", f"give both {lo_c} and {hi_c}")
                )
                continue
            lo = outcomes_df[lo_c].to_numpy(dtype=float)
            hi = outcomes_df[hi_c].to_numpy(dtype=float)
            mode = p.fields[f]
            bad = np.flatnonzero(~((lo <= mode) & (mode <= hi)))
            if bad.size:
                probs.append(
                    Problem(
                        ("outcomes", f),
                        "order",
                        f"need {lo_c} <= {f} <= {hi_c} in rows {_rows_listing(bad)}",
                    )
                )
            _, flo, fhi = FIELDS[f]
            if (flo is not None and np.any(lo < flo)) or (fhi is not None and np.any(hi > fhi)):
                probs.append(
                    Problem(
                        ("outcomes", f),
                        "out_of_range",
                        f"{lo_c}/{hi_c} leave the admissible range of {f}",
                    )
                )
            row_dists[f] = (lo, hi)
    root = root_sequence(seed)
    shared_arrays: dict[str, tuple[npt.NDArray[np.int64], FloatArray]] = {}
    for k, (f, (col, dist)) in enumerate(shared.items()):
        if f not in FIELDS:
            probs.append(Problem(("shared", f), "unknown_field", f"no field {f!r}"))
            continue
        if col not in outcomes_df.columns:
            probs.append(Problem(("shared", f), "missing_column", f"no column {col!r}"))
            continue
        codes, uniques = pd.factorize(outcomes_df[col], sort=True)
        g = np.random.Generator(
            np.random.PCG64(np.random.SeedSequence(root.entropy, spawn_key=(2, k)))
        )
        mult = dist.draw_group(g, [dist], n * len(uniques)).reshape(n, len(uniques))
        shared_arrays[f] = (codes.astype(np.int64), mult)
    if probs:
        raise ValidationError(probs)
    blocks = _blocks(p)
    ex = _as_executor(executor)
    pv = np.zeros((n, len(p.sites)))
    args = (p, d)
    if ex is None:
        results = [
            _mc_block(*args, b, n, row_dists, shared_arrays, root, chunk_size) for b in blocks
        ]
    else:
        futs = [
            ex.submit(
                _mc_block,
                _subset(p, b),
                d,
                _local(b),
                n,
                {f: (lo[b], hi[b]) for f, (lo, hi) in row_dists.items()},
                {f: (codes[b], mult) for f, (codes, mult) in shared_arrays.items()},
                root,
                chunk_size,
            )
            for b in blocks
        ]
        results = [f.result() for f in futs]
    for b, res in zip(blocks, results, strict=True):
        pv[:, np.unique(p.site_of_row[b])] = res
    return PortfolioMonteCarlo(p.sites, pv, p.inputs)
