"""Point evaluation of the portfolio tables: per row, per site, by group.

See :mod:`impactkit.portfolio`.
"""

from __future__ import annotations

import concurrent.futures as cf
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from impactkit import kernel
from impactkit._validation import is_number, require_finite
from impactkit.discount import Constant, Discount
from impactkit.errors import Problem, ValidationError
from impactkit.model import ROW_FIELDS
from impactkit.portfolio._tables import (
    SITE_BLOCK,
    _discount,
    _first_values,
    _IntArray,
    _prepare,
    _Prepared,
    _require_finite_sites,
    _RowDist,
    _take,
)
from impactkit.typing import FloatArray

__all__ = ["aggregate", "distribution", "evaluate", "position", "row_values", "stakeholder_shares"]


def _profile(
    p: _Prepared,
    discount: Discount,
    drop_off: FloatArray,
    duration: FloatArray,
    rows: _IntArray | slice,
) -> FloatArray:
    """Discounted year profile of rows (the kernel's closed form when it applies)."""
    rate = cum = None
    if isinstance(discount, Constant):
        rate = np.array([[discount.central_rate]])
    else:
        horizon = int(p.start.max(initial=1)) + int(np.ceil(np.max(duration, initial=1)))
        cum = discount.cumulative(horizon)
    # the "t0" convention discounts benefit year t at period t - 1: a shifted start
    return kernel.profile(
        drop_off,
        duration,
        _take(p.start, rows) - _take(p.period_shift, rows),
        p.linear[rows],
        rate=rate,
        cumulative=cum,
    )


def _point_rows(
    p: _Prepared, discount: Discount, rows: _IntArray | slice = slice(None)
) -> tuple[FloatArray, FloatArray]:
    """Present value and year-1 value of rows at central values; no year tensor."""
    f = {k: _take(v, rows) for k, v in p.fields.items()}
    impact = kernel.impact(*(f[k] for k in ROW_FIELDS[:6]))
    pv = impact * _profile(p, discount, f["drop_off"], f["duration"], rows)
    # year 1 holds the first year's weight min(duration, 1) of rows starting in year 1
    start, dur = _take(p.start, rows), f["duration"]
    if np.all(start == 1) and dur.size and float(np.min(dur)) >= 1.0:
        y1 = impact  # every weight is 1: the same numbers without three passes
    else:
        y1 = np.where(start == 1, impact * np.clip(dur, 0.0, 1.0), 0.0)
    y1 = np.broadcast_to(y1, np.shape(pv)[-1:])
    return np.asarray(pv, dtype=float).reshape(-1), y1


def _site_sums(p: _Prepared, values: FloatArray) -> FloatArray:
    """Sum of a per-row array by site (contiguous sites: one pass of ``reduceat``)."""
    if p.runs is not None and values.size == p.site_of_row.size:
        return np.asarray(np.add.reduceat(values, p.runs), dtype=float)
    return np.asarray(
        np.bincount(p.site_of_row, weights=values, minlength=len(p.sites)), dtype=float
    )


def _blocks(p: _Prepared) -> list[_IntArray]:
    """Row indices of each fixed block of SITE_BLOCK sites, sorted by site."""
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


def _subset(p: _Prepared, rows: _IntArray) -> _Prepared:
    """Only the rows of one block: what a worker needs, nothing more (cheap to send)."""
    local = np.full(len(p.site_of_row), -1, dtype=np.int64)
    local[rows] = np.arange(rows.size)
    dists = {
        f: [
            _RowDist(d.cls, local[d.rows[keep]], d.params[:, keep])
            for d in ds
            if (keep := np.flatnonzero(local[d.rows] >= 0)).size
        ]
        for f, ds in p.dists.items()
    }
    return _Prepared(
        p.sites,
        p.site_of_row[rows],
        {f: _take(v, rows) for f, v in p.fields.items()},
        p.linear[rows],
        _take(p.start, rows),
        _take(p.period_shift, rows),
        _take(p.price_factor, rows),
        p.inputs,
        dists,
    )


def _run(p: _Prepared, d: Discount, executor: Any) -> tuple[FloatArray, FloatArray]:
    ex = _as_executor(executor)
    if ex is None:
        return _point_rows(p, d)
    blocks = _blocks(p)
    pv = np.zeros(len(p.site_of_row))
    y1 = np.zeros(len(p.site_of_row))
    futures = [ex.submit(_point_rows, _subset(p, b), d) for b in blocks]
    for b, fut in zip(blocks, futures, strict=True):
        pv[b], y1[b] = fut.result()
    return pv, y1


def row_values(
    outcomes: pd.DataFrame,
    inputs: pd.DataFrame,
    *,
    site: str = "site",
    discount: Discount | float = 0.035,
    executor: Any = None,
) -> pd.DataFrame:
    """Present value of every outcome row (the outcomes table with ``present_value`` added).

    Parameters
    ----------
    outcomes, inputs, site, discount, executor
        As in :func:`evaluate`.

    Returns
    -------
    DataFrame
        A copy of ``outcomes`` with a ``present_value`` column [currency].

    Examples
    --------
    Two ESAT of a network, the value of each outcome row at 3.5 %:

    >>> outcomes = pd.DataFrame({"site": ["esat_lyon", "esat_lyon", "esat_brest"],
    ...                          "outcome": ["emploi", "sante", "emploi"],
    ...                          "quantity": [10, 5, 8], "proxy": [1000.0, 500.0, 1000.0],
    ...                          "deadweight": [0.2, 0.0, 0.2], "duration": [2, 1, 2]})
    >>> inputs = pd.DataFrame({"site": ["esat_lyon", "esat_brest"],
    ...                        "amount": [15_000.0, 12_000.0]})
    >>> row_values(outcomes, inputs, discount=0.035)["present_value"].round(2).tolist()
    [15197.55, 2415.46, 12158.04]
    >>> round(10 * 1000 * 0.8 * (1 / 1.035 + 1 / 1.035**2), 2)  # first row by hand
    15197.55
    """
    d = _discount(discount)
    p = _prepare(outcomes, inputs, site, d, ())
    pv, _ = _run(p, d, executor)
    require_finite({"present_value": pv}, "result")
    out = outcomes.copy()
    out["present_value"] = pv
    return out


def _evaluate(
    outcomes_df: pd.DataFrame,
    inputs_df: pd.DataFrame,
    *,
    site: str,
    discount: Discount | float,
    by: Sequence[str],
    executor: Any = None,
) -> tuple[pd.DataFrame, FloatArray, FloatArray]:
    """The per-site table of :func:`evaluate`, the present value and the quantity of every row.

    One check of the tables and one pass of the kernel serve both: the
    federation report needs the sites and the rows (by stakeholder, by payer,
    and each indicator's central quantity, a distribution's mean where the
    cell is blank).
    """
    by = list(by)
    d = _discount(discount)
    p = _prepare(outcomes_df, inputs_df, site, d, by)
    pv, y1 = _run(p, d, executor)
    site_pv = _site_sums(p, pv)
    site_y1 = _site_sums(p, y1)
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ratio = site_pv / p.inputs
    _require_finite_sites(p.sites, {"present_value": site_pv, "ratio": ratio})
    payback = kernel.payback_months(p.inputs, site_y1)
    payback_obj = np.array(payback, dtype=object)
    payback_obj[~np.isfinite(payback)] = None
    out = pd.DataFrame(
        {
            site: p.sites,
            **{b: _first_values(outcomes_df[b], p.first_row) for b in by},
            "present_value": site_pv,
            "total_inputs": p.inputs,
            "net_present_value": site_pv - p.inputs,
            "ratio": ratio,
            "net_ratio": ratio - 1.0,
            "payback_months": payback_obj,
        }
    )
    quantity = np.broadcast_to(p.fields["quantity"], pv.shape)
    return out, pv, quantity


def evaluate(
    outcomes_df: pd.DataFrame,
    inputs_df: pd.DataFrame,
    *,
    site: str = "site",
    discount: Discount | float = 0.035,
    by: Sequence[str] | None = None,
    executor: Any = None,
) -> pd.DataFrame:
    """Point SROI of every site of a network in one vectorised kernel call.

    Parameters
    ----------
    outcomes_df : DataFrame
        One row per site × outcome. Numeric columns (:data:`NUMERIC_COLUMNS`):
        ``quantity`` and ``proxy`` (required); ``deadweight``,
        ``displacement``, ``attribution``, ``leakage``, ``drop_off`` (0),
        ``duration`` (1, whole years), ``start_year`` (1), ``price_factor``
        (1, the multiplier that moves the proxy to base-year prices). Text:
        ``drop_off_method`` (``compound``), ``first_flow_at`` (``t1``,
        constant within a site), ``outcome``, ``stakeholder``, ``label``,
        ``indicator``, ``proxy_source``, ``price_year``. Columns ``F_dist``
        and ``F_<parameter>`` give a field a distribution (its mean is the
        point value). Unknown columns are errors.
    inputs_df : DataFrame
        One row per site or per site × input: ``amount``, optional ``year`` (0).
    site : str, default "site"
        The site column of both tables.
    discount : Discount or float, default 0.035
        The one discount rate or schedule of the whole network. The tables do
        not carry it: for tables written by :func:`from_models`, pass the
        models' common discount (``discount=model.discount``).
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
    out, _, _ = _evaluate(
        outcomes_df, inputs_df, site=site, discount=discount, by=list(by or ()), executor=executor
    )
    return out


def _check_percentiles(percentiles: Sequence[Any]) -> None:
    """Refuse percentiles that are not numbers in [0, 100], naming them all."""
    bad = [p for p in percentiles if not (is_number(p) and 0 <= float(p) <= 100)]
    if bad:
        raise ValidationError(
            f"percentiles must be numbers in [0, 100], got {bad}",
            path=("percentiles",),
            code="out_of_range",
        )


def _require_columns(result: pd.DataFrame, needed: Sequence[str]) -> None:
    """Refuse a per-site table without the columns a function reads, naming them all."""
    if not isinstance(result, pd.DataFrame):
        raise ValidationError(
            f"result must be the DataFrame of evaluate, got {type(result).__name__}",
            path=("result",),
            code="type",
        )
    missing = [c for c in dict.fromkeys(needed) if c not in result.columns]
    if missing:
        raise ValidationError(
            [
                Problem(("result", str(c)), "missing_column", f"no column {c!r} in the result")
                for c in missing
            ]
        )


def aggregate(result: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Totals and value-weighted ratios by group (sector, region, organisation).

    The group ratio is :math:`\\sum_s PV_s / \\sum_s I_s` over the group's sites
    (value-weighted), not the mean of site ratios; ``mean_ratio`` and
    ``median_ratio`` are given beside it, since a few large sites can make the
    two differ. Sites with no group label (a missing sector) form a group of
    their own, last, with a missing label: every site is counted, so the
    groups add up to the network.

    Parameters
    ----------
    result : DataFrame
        The per-site table of :func:`evaluate` (``present_value``,
        ``total_inputs``, ``ratio`` and the grouping columns).
    by : str or sequence of str
        Grouping column(s), e.g. the ``by=`` columns given to :func:`evaluate`.

    Returns
    -------
    DataFrame
        One row per group, sorted by group (the group of sites with no label
        last): the group columns, ``sites``,
        ``present_value``, ``total_inputs``, ``mean_ratio``, ``median_ratio``,
        ``net_present_value`` and ``ratio`` (value-weighted).

    Raises
    ------
    ValidationError
        When ``result`` is not a DataFrame or lacks a column it reads (code
        ``missing_column``, every such column named).

    Examples
    --------
    >>> result = pd.DataFrame({"site": ["a", "b", "c", "d"],
    ...                        "sector": ["care", "care", "work", "work"],
    ...                        "present_value": [300.0, 100.0, 400.0, 50.0],
    ...                        "total_inputs": [100.0, 100.0, 200.0, 100.0]})
    >>> result["ratio"] = result["present_value"] / result["total_inputs"]
    >>> aggregate(result, "sector")[["sector", "sites", "ratio", "mean_ratio"]]
      sector  sites  ratio  mean_ratio
    0   care      2    2.0        2.00
    1   work      2    1.5        1.25
    """
    keys = [by] if isinstance(by, str) else list(by)
    _require_columns(result, [*keys, "present_value", "total_inputs", "ratio"])
    groups = _sorted_groups(result, keys, ("present_value", "total_inputs"))
    if groups is None:
        g = result.groupby(keys, sort=True, dropna=False, observed=True)
        out = g.agg(
            sites=("ratio", "size"),
            present_value=("present_value", "sum"),
            total_inputs=("total_inputs", "sum"),
            mean_ratio=("ratio", "mean"),
            median_ratio=("ratio", "median"),
        ).reset_index()
    else:
        uniques, sizes, rows, ordered = groups

        def total(col: str) -> FloatArray:
            return _group_sums(result[col].to_numpy(dtype=float)[rows], sizes)

        out = pd.DataFrame(
            {
                keys[0]: uniques,
                "sites": sizes,
                "present_value": total("present_value"),
                "total_inputs": total("total_inputs"),
                "mean_ratio": _group_sums(ordered, sizes) / sizes,
                "median_ratio": _group_quantiles(ordered, sizes, [0.5])[:, 0],
            }
        )
    out["net_present_value"] = out["present_value"] - out["total_inputs"]
    out["ratio"] = out["present_value"] / out["total_inputs"]
    return out


def distribution(
    result: pd.DataFrame,
    *,
    percentiles: Sequence[float] = (5, 25, 50, 75, 95),
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Percentiles of the site ratios, overall or by group.

    Each site counts once, whatever its size (the spread of practice across
    the network, not a value-weighted figure; see :func:`aggregate`).
    Percentiles use :func:`numpy.quantile`'s default linear interpolation.
    Sites with no group label form a group of their own, last, as in
    :func:`aggregate`.

    Parameters
    ----------
    result : DataFrame
        The per-site table of :func:`evaluate`.
    percentiles : sequence of float, default (5, 25, 50, 75, 95)
        Percentiles, 0-100.
    by : str or sequence of str, optional
        Grouping column(s); one row per group instead of one row overall.

    Returns
    -------
    DataFrame
        Columns ``p5``, ``p25``, ... (one per percentile), preceded by the
        group columns when ``by`` is given.

    Raises
    ------
    ValidationError
        Percentiles outside [0, 100], a missing column (``missing_column``),
        or no site at all without ``by`` (``empty``).

    Examples
    --------
    >>> result = pd.DataFrame({"site": ["a", "b", "c", "d"],
    ...                        "sector": ["care", "care", "work", "work"],
    ...                        "ratio": [3.0, 1.0, 2.0, 0.5]})
    >>> distribution(result, percentiles=(25, 50, 75))
         p25  p50   p75
    0  0.875  1.5  2.25
    >>> distribution(result, percentiles=(50,), by="sector")
      sector   p50
    0   care  2.00
    1   work  1.25
    """
    _check_percentiles(percentiles)
    q = [p / 100 for p in percentiles]
    _require_columns(
        result, [*([] if by is None else [by] if isinstance(by, str) else by), "ratio"]
    )
    if by is None:
        if not len(result):
            raise ValidationError("no sites in the result", path=("result",), code="empty")
        vals = np.quantile(result["ratio"].to_numpy(), q)
        return pd.DataFrame([dict(zip([f"p{p:g}" for p in percentiles], vals, strict=True))])
    keys = [by] if isinstance(by, str) else list(by)
    names = [f"p{p:g}" for p in percentiles]
    groups = _sorted_groups(result, keys)
    if groups is None:
        g = result.groupby(keys, sort=True, dropna=False, observed=True)
        # one percentile at a time: the groups' own order, the unlabelled last
        out = pd.DataFrame({c: g["ratio"].quantile(x) for c, x in zip(names, q, strict=True)})
        return out.reset_index()
    uniques, sizes, _, ordered = groups
    table = _group_quantiles(ordered, sizes, q)
    return pd.DataFrame({keys[0]: uniques, **dict(zip(names, table.T, strict=True))})


def _sorted_groups(
    result: pd.DataFrame, keys: list[str], columns: Sequence[str] = ()
) -> tuple[Any, _IntArray, _IntArray, FloatArray] | None:
    """The groups of one key: sorted labels, sizes, rows in group order, sorted ratios.

    The grouping of :meth:`pandas.DataFrame.groupby` with ``dropna=False``
    (sorted labels, rows with a missing label in a group of their own, last)
    for one key, from one hash of the labels and one
    sort: ``rows`` lists the rows group after group (by ratio within a group),
    so each group is a contiguous run of ``ratio[rows]`` (``ordered``). None
    (use the groupby) for several keys, a categorical key, or a ratio or one
    of ``columns`` that is not finite (the groupby's rules for those).
    """
    if len(keys) != 1 or keys[0] not in result.columns:
        return None
    if isinstance(result[keys[0]].dtype, pd.CategoricalDtype):
        return None
    ratio = result["ratio"].to_numpy(dtype=float)
    if not all(np.isfinite(result[c].to_numpy(dtype=float)).all() for c in ("ratio", *columns)):
        return None
    raw, uniques = pd.factorize(result[keys[0]], sort=True, use_na_sentinel=False)
    codes = raw.astype(np.int64, copy=False)
    rows = np.lexsort((ratio, codes))
    sizes = np.bincount(codes, minlength=len(uniques)).astype(np.int64)
    if uniques.dtype == object:  # labels as the groupby gives them (e.g. whole numbers)
        uniques = pd.Index(pd.Series(uniques, dtype=object).infer_objects())
    return uniques, sizes, rows, ratio[rows]


def _group_sums(values: FloatArray, sizes: _IntArray) -> FloatArray:
    """Exactly rounded sum of each contiguous run of ``values`` (:func:`math.fsum`)."""
    ends = np.cumsum(sizes)
    flat = values.tolist()
    return np.array(
        [math.fsum(flat[e - n : e]) for e, n in zip(ends.tolist(), sizes.tolist(), strict=True)],
        dtype=float,
    )


def _group_quantiles(ordered: FloatArray, sizes: _IntArray, q: Sequence[float]) -> FloatArray:
    r"""Quantiles of each contiguous sorted run of values, as the groupby computes them.

    Linear interpolation between order statistics :math:`x_{(j)}` and
    :math:`x_{(j+1)}` at :math:`j + f = q\,(n - 1)` (0-based):
    :math:`x_{(j)} + (x_{(j+1)} - x_{(j)})\,f`, and :math:`x_{(j)}` itself
    when :math:`f = 0` (so an infinite neighbour never enters).
    """
    n = sizes[:, None]
    start = (np.cumsum(sizes) - sizes)[:, None]
    idx = np.asarray(q, dtype=float)[None, :] * (n - 1)  # within the group, not after the offset
    lo = np.floor(idx).astype(np.int64)
    frac = idx - lo
    a = ordered[start + lo]
    b = ordered[start + np.minimum(lo + 1, n - 1)]
    with np.errstate(invalid="ignore"):
        return np.asarray(np.where(frac == 0, a, a + (b - a) * frac), dtype=float)


def position(
    result: pd.DataFrame, site_id: Any, *, site: str = "site", peers: str | None = None
) -> dict[str, Any]:
    """Where one site stands among its peers (all sites, or those of the same ``peers`` group).

    The percentile rank is :math:`100\\,(P(r < r_s) + \\tfrac12 P(r = r_s))` over
    the peers (the site included): the share of peers with a lower ratio,
    ties counted half.

    Parameters
    ----------
    result : DataFrame
        The per-site table of :func:`evaluate`.
    site_id : object
        Label of the site.
    site : str, default "site"
        The site column of ``result``.
    peers : str, optional
        A column of ``result`` (sector, region): the peers are the sites that
        share the site's value (a site with no value there is compared with
        the other sites with none, the group :func:`aggregate` gives them);
        all sites when omitted.

    Returns
    -------
    dict
        ``site``, ``ratio``, ``percentile`` [0-100], ``peer_median`` (median
        ratio of the peers) and ``peers`` (their number, the site included).

    Raises
    ------
    ValidationError
        When no row of ``result`` has ``site_id`` (code ``unknown_site``), or
        ``result`` lacks a column it reads (``missing_column``).

    Examples
    --------
    >>> result = pd.DataFrame({"site": ["a", "b", "c", "d"],
    ...                        "sector": ["care", "care", "work", "work"],
    ...                        "ratio": [3.0, 1.0, 2.0, 0.5]})
    >>> position(result, "c")
    {'site': 'c', 'ratio': 2.0, 'percentile': 62.5, 'peer_median': 1.5, 'peers': 4}
    >>> position(result, "a", peers="sector")["percentile"]
    75.0
    """
    _require_columns(result, [site, *([] if peers is None else [peers]), "ratio"])
    rows = result[result[site] == site_id]
    if rows.empty:
        raise ValidationError(
            f"no site {site_id!r} in the result", path=("site",), code="unknown_site"
        )
    me = rows.iloc[0]
    if peers is None:
        group = result
    elif pd.isna(me[peers]):  # no label: the group of the unlabelled sites
        group = result[result[peers].isna()]
    else:
        group = result[result[peers] == me[peers]]
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
    """Share of the network's present value by stakeholder group.

    Each row's present value is computed as in :func:`row_values` (the same
    kernel as :func:`evaluate`); the shares are
    :math:`PV_g / \\sum_g PV_g` over the whole network. Rows with no
    stakeholder form a group of their own (a missing label), so the shares
    cover the whole present value.

    Parameters
    ----------
    outcomes_df, inputs_df : DataFrame
        The tidy tables of :func:`evaluate` (validated the same way).
    site : str, default "site"
        The site column of both tables.
    discount : Discount or float, default 0.035
        Discount rate or schedule.
    stakeholder : str, default "stakeholder"
        The column of ``outcomes_df`` naming each row's stakeholder group.

    Returns
    -------
    DataFrame
        ``stakeholder`` (the column named by ``stakeholder``),
        ``present_value`` [currency] and ``share`` [fraction], largest first.

    Raises
    ------
    ValidationError
        When the stakeholder column is missing, or the tables are invalid
        (every problem listed, as in :func:`evaluate`).

    Examples
    --------
    >>> outcomes = pd.DataFrame({"site": ["a", "a", "b"], "outcome": ["x", "y", "x"],
    ...                          "stakeholder": ["people", "state", "people"],
    ...                          "quantity": [10, 5, 8], "proxy": [100.0, 50.0, 100.0]})
    >>> inputs = pd.DataFrame({"site": ["a", "b"], "amount": [500.0, 400.0]})
    >>> stakeholder_shares(outcomes, inputs, discount=0.0).round(4)
      stakeholder  present_value  share
    0      people         1800.0  0.878
    1       state          250.0  0.122
    """
    if stakeholder not in outcomes_df.columns:
        raise ValidationError(
            f"no {stakeholder!r} column in the outcomes",
            path=("outcomes", stakeholder),
            code="missing_column",
        )
    rv = row_values(outcomes_df, inputs_df, site=site, discount=discount)
    out = rv.groupby(stakeholder, dropna=False)["present_value"].sum().reset_index()
    total = out["present_value"].sum()
    out["share"] = out["present_value"] / total if total else 0.0
    return out.sort_values("present_value", ascending=False, ignore_index=True)
