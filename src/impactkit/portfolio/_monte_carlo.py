"""Monte Carlo of the portfolio tables: draws of every site's SROI.

See :mod:`impactkit.portfolio`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit import kernel
from impactkit._fields import FIELD_RULES
from impactkit._random import block_generator, reproducing_entropy, root_sequence
from impactkit._results import Summary, displayed, jsonable
from impactkit.discount import Constant, Discount
from impactkit.dist import Distribution
from impactkit.errors import Problem, ValidationError
from impactkit.model import ROW_FIELDS
from impactkit.portfolio._evaluate import _as_executor, _blocks, _check_percentiles, _subset
from impactkit.portfolio._tables import (
    SITE_BLOCK,
    _discount,
    _IntArray,
    _prepare,
    _Prepared,
    _require_finite_sites,
    _rows_listing,
    _take,
)
from impactkit.typing import FloatArray, SeedLike

__all__ = ["PortfolioMonteCarlo", "monte_carlo"]


DRAW_BLOCK = 256
"""Monte Carlo draws per random block; chunks are whole numbers of blocks."""


@displayed(headline=("Mean network ratio", "range", "Draws"))
@attrs.frozen
class PortfolioMonteCarlo:
    """Draws of every site's SROI (the result of :func:`monte_carlo`).

    Parameters
    ----------
    sites : sequence
        Site labels, in the order of the columns of the arrays.
    present_value : ndarray
        Present value draws [currency], shape ``(n, sites)``.
    total_inputs : ndarray
        Present value of each site's inputs [currency], shape ``(sites,)``
        (inputs are certain).
    seed_entropy : int, optional
        Entropy of the root seed, which reproduces the draws.

    Attributes
    ----------
    ratio : ndarray
        Ratio draws :math:`PV / I`, shape ``(n, sites)``.

    Examples
    --------
    >>> outcomes = pd.DataFrame({"site": ["a", "a", "b"], "outcome": ["x", "y", "x"],
    ...                          "quantity": [10, 5, 8], "proxy": [100.0, 50.0, 100.0],
    ...                          "proxy_low": [80.0, 40.0, 80.0],
    ...                          "proxy_high": [120.0, 60.0, 120.0]})
    >>> inputs = pd.DataFrame({"site": ["a", "b"], "amount": [500.0, 400.0]})
    >>> mc = monte_carlo(outcomes, inputs, n=1000, seed=1, discount=0.0)
    >>> mc.sites, mc.present_value.shape, mc.seed_entropy
    (('a', 'b'), (1000, 2), 1)
    >>> mc.ratio.mean(axis=0).round(2).tolist()
    [2.5, 2.0]
    """

    sites: tuple[Any, ...] = attrs.field(converter=tuple)
    present_value: FloatArray = attrs.field(eq=False, repr=False)
    total_inputs: FloatArray = attrs.field(eq=False, repr=False)
    seed_entropy: int | None = None
    """Entropy of the root seed, which reproduces the draws."""

    @property
    def ratio(self) -> FloatArray:
        """Ratio draws, (n, sites)."""
        return self.present_value / self.total_inputs[None, :]

    def to_frame(self, percentiles: Sequence[float] = (5, 50, 95)) -> pd.DataFrame:
        """Per site: mean ratio, percentiles and P(ratio > 1).

        Parameters
        ----------
        percentiles : sequence of float, default (5, 50, 95)
            Percentiles of the ratio draws, 0-100.

        Returns
        -------
        pandas.DataFrame
            ``site``, ``mean_ratio``, ``p5``, ``p50``, ``p95`` (one column per
            percentile) and ``probability_ratio_above_1``.

        Raises
        ------
        ValidationError
            Percentiles that are not numbers in [0, 100] (code ``out_of_range``).

        .. versionchanged:: 0.2
           The per-site table, formerly returned by ``summary``.
        """
        _check_percentiles(percentiles)
        r = self.ratio
        out = pd.DataFrame({"site": self.sites, "mean_ratio": r.mean(axis=0)})
        for p, v in zip(percentiles, np.percentile(r, list(percentiles), axis=0), strict=True):
            out[f"p{p:g}"] = v
        out["probability_ratio_above_1"] = (r > 1).mean(axis=0)
        return out

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the per-site table and the network ratio's percentiles.

        Returns
        -------
        dict
            ``n``, ``seed_entropy``, ``sites`` (records of :meth:`to_frame`) and
            ``network_ratio`` (``mean``, ``p5``, ``p50``, ``p95``).
        """
        net = self.network_ratio()
        p5, p50, p95 = np.percentile(net, [5, 50, 95])
        return dict(
            jsonable(
                {
                    "n": int(self.present_value.shape[0]),
                    "seed_entropy": self.seed_entropy,
                    "sites": self.to_frame(),
                    "network_ratio": {"mean": net.mean(), "p5": p5, "p50": p50, "p95": p95},
                }
            )
        )

    def summary(self) -> Summary:
        """The network ratio and the per-site table, for people.

        Returns
        -------
        Summary
        """
        net = self.network_ratio()
        p5, p95 = np.percentile(net, [5, 95])
        lines = (
            ("Draws", f"{self.present_value.shape[0]:,}"),
            ("Sites", f"{len(self.sites):,}"),
            ("Mean network ratio", f"{net.mean():.2f} : 1"),
            ("90% range (P5-P95)", f"{p5:.2f} - {p95:.2f}"),
        )
        return Summary("Network Monte Carlo", lines, self.to_frame())

    def network_ratio(self) -> FloatArray:
        """Draws of the value-weighted network ratio, (n,).

        Returns
        -------
        numpy.ndarray
            Total present value over total inputs, per draw.
        """
        return np.asarray(self.present_value.sum(axis=1) / self.total_inputs.sum(), dtype=float)


def _rate_args(
    p: _Prepared, discount: Discount, duration: FloatArray
) -> tuple[FloatArray | None, FloatArray | None]:
    if isinstance(discount, Constant):
        return np.array([[discount.central_rate]]), None
    horizon = int(p.start.max(initial=1)) + int(np.ceil(np.max(duration, initial=1)))
    return None, discount.cumulative(horizon)


@attrs.frozen
class _Draw:
    """Where the draws of one distribution class of one field go in a block."""

    field: str
    cls: type[Distribution]
    cols: _IntArray  # block-local row positions
    params: FloatArray
    scale: FloatArray | None  # price factors of proxies, None when all 1
    whole: bool  # the draws are the field's whole array, in row order


def _mc_block(
    p: _Prepared,
    d: Discount,
    n: int,
    shared: Mapping[str, tuple[_IntArray, FloatArray]],
    root: np.random.SeedSequence,
    chunk: int,
    out: FloatArray | None = None,
) -> FloatArray:
    """PV draws (n, sites of the block) for one block of sites, rows sorted by site.

    Draw block ``j`` of site block ``b`` comes from stream ``(0, b, j)`` of the
    seed, so a row's draws never depend on chunking, executors or workers.
    """
    block_id = int(p.site_of_row[0] // SITE_BLOCK)
    local = p.site_of_row - p.site_of_row.min()
    starts = np.flatnonzero(np.r_[True, local[1:] != local[:-1]])
    res = np.empty((n, starts.size)) if out is None else out
    n_rows = local.size
    base = {f: p.fields[f][None, :] for f in ROW_FIELDS}
    plan: list[_Draw] = []
    for f in ROW_FIELDS:
        for rd in p.dists.get(f, []):
            scale = _take(p.price_factor, rd.rows) if f == "proxy" else None
            if scale is not None and np.all(scale == 1.0):
                scale = None
            # every row, each at its own position (rows given site by site, not interleaved)
            whole = (
                len(p.dists[f]) == 1
                and rd.rows.size == n_rows
                and bool(np.all(rd.rows == np.arange(n_rows)))
            )
            plan.append(_Draw(f, rd.cls, rd.rows, rd.params, scale, whole))
    buffers: dict[str, FloatArray] = {}
    for dr in plan:
        if dr.field not in buffers:
            buffers[dr.field] = np.empty((chunk, n_rows))
            buffers[dr.field][:] = base[dr.field]  # fixed values written once
    start = p.start - p.period_shift  # "t0": benefit year t is discounted at period t - 1
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        s = hi - lo
        vals = dict(base)
        single = hi - lo <= DRAW_BLOCK
        for b in range(lo // DRAW_BLOCK, -(-hi // DRAW_BLOCK)):
            g = block_generator(root, (0, block_id, b))
            b_lo = b * DRAW_BLOCK - lo
            size = min(DRAW_BLOCK, n - b * DRAW_BLOCK)
            for dr in plan:
                x = dr.cls.draw_parameters(g, dr.params, size=size)
                if dr.scale is not None:
                    x *= dr.scale
                if dr.whole and single:
                    vals[dr.field] = x  # the draws are the field: no copy
                else:
                    buffers[dr.field][b_lo : b_lo + size, dr.cols] = x
                    vals[dr.field] = buffers[dr.field][:s]
        for f, (group_of_row, mult) in shared.items():
            vals[f] = vals[f] * mult[lo:hi][:, group_of_row]
            _check_shared(p, f, vals[f])
        rate, cum = _rate_args(p, d, vals["duration"])
        pv = kernel.present_values(
            *[vals[f] for f in ROW_FIELDS],
            start=start,
            linear=p.linear,
            rate=rate,
            cumulative=cum,
        )
        pv = np.broadcast_to(pv, (s, n_rows))
        # reduceat adds in a fixed order per draw: the sums never depend on the chunk
        res[lo:hi] = np.add.reduceat(pv, starts, axis=1)
    return res


def _check_shared(p: _Prepared, f: str, values: FloatArray) -> None:
    """Refuse draws that a shared multiplier takes out of the field's admissible range.

    The rows' own values and distributions are admissible; a multiplier above
    1 can still take a haircut above 1 (a negative value), or a duration
    beyond its bound, which no single-model draw can reach.
    """
    rule = attrs.evolve(FIELD_RULES[f], integer=False)  # drawn durations need not be whole
    with np.errstate(invalid="ignore"):
        bad = rule.bad(values) if rule.low is not None or rule.high is not None else None
    if bad is None or not bad.any():
        return
    rows = np.flatnonzero(bad.any(axis=0))
    sites = [p.sites[i] for i in np.unique(p.site_of_row[rows])]
    raise ValidationError(
        f"the shared multiplier of {f} takes it outside {rule.range_text} in draws of "
        f"sites {_rows_listing(sites)}: bound the multiplier (a uniform or truncated "
        "distribution) so that every draw stays admissible",
        path=("shared", f),
        code="support",
    )


def _correlate_shared(
    shared: Mapping[str, tuple[str, Distribution]],
    arrays: Mapping[str, tuple[_IntArray, FloatArray]],
    correlation: Mapping[tuple[str, str], float],
    root: np.random.SeedSequence,
) -> None:
    """Impose rank correlations between shared multipliers, group by group, in place."""
    from impactkit.uncertainty._correlation import correlation_matrix, iman_conover

    names = list(arrays)
    target, cols = correlation_matrix(names, correlation)
    fields = [names[c] for c in cols]
    columns = {shared[f][0] for f in fields}
    if len(columns) > 1:
        raise ValidationError(
            f"correlated shared fields must share one group column, got {sorted(columns)}",
            path=("correlation",),
            code="invalid",
        )
    _n, n_groups = arrays[fields[0]][1].shape
    for u in range(n_groups):  # a handful of groups, each one vectorised call
        x = np.column_stack([arrays[f][1][:, u] for f in fields])
        y = iman_conover(x, target, block_generator(root, (2, u)))
        for j, f in enumerate(fields):
            arrays[f][1][:, u] = y[:, j]


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
    correlation: Mapping[tuple[str, str], float] | None = None,
) -> PortfolioMonteCarlo:
    """Monte Carlo over a whole network, per-row and shared uncertainty.

    Parameters
    ----------
    outcomes_df, inputs_df, site, discount
        As in :func:`evaluate`. A field ``F`` is drawn per row from the
        distribution in its ``F_dist`` / ``F_<parameter>`` columns (any of
        :mod:`impactkit.dist`); the shorthand ``F_low`` / ``F_high`` without
        ``F_dist`` is a triangular with the row's ``F`` as mode.
    n : int, default 1,000
        Draws.
    seed : int, SeedSequence, Generator or None
        The same seed gives the same draws whatever ``chunk_size``, executor
        or number of workers; two spawned children of one seed give different
        draws.
    shared : mapping, optional
        ``{field: (group_column, distribution)}``: one multiplier per group
        and draw applied to the field of every row of the group (e.g. a
        sector-wide proxy uncertainty common to all its sites). Rows with no
        group label form a group of their own, with its own multiplier. A
        multiplier that can be negative on a field that cannot (all but the
        proxy), or whose upper bound times a share's largest value passes 1
        (a haircut or drop-off above 1), is refused before any draw (code
        ``support``): bound the multiplier. A draw that still leaves its
        field's range (a row's own distribution times the multiplier, or a
        duration beyond its bound) is refused during the run.
    chunk_size : int, default 256
        Draws evaluated at once, at most ``n``, rounded up to a multiple of
        256; memory is about ``chunk_size × rows of 512 sites × 8`` bytes per
        array, besides the result.
    executor : concurrent.futures.Executor or dask client, optional
        Evaluate blocks of sites in parallel.
    correlation : mapping of (str, str) to float, optional
        Rank correlations between ``shared`` multipliers, keyed by field:
        ``{("proxy", "deadweight"): -0.5}``. The fields must share their group
        column; within each group the multipliers' draws are reordered by
        Iman-Conover (their marginals are unchanged, docs/methods/decision.md).

    Returns
    -------
    PortfolioMonteCarlo

    Raises
    ------
    ValidationError
        As :func:`evaluate`, for bad distributions or shared fields, and for
        tables with no outcome row (code ``empty``).

    Notes
    -----
    Each block of :data:`SITE_BLOCK` sites draws block ``j`` of 256 draws from
    its own stream of the seed (:meth:`impactkit.dist.Distribution.draw_parameters`),
    one vectorised call per field and distribution class, and evaluates them
    with the kernel of :func:`impactkit.sroi`. Shared multipliers come from
    their own streams.

    Examples
    --------
    >>> outcomes = pd.DataFrame({"site": ["a", "b"], "quantity": [10.0, 8.0],
    ...                          "proxy": [100.0, 100.0], "proxy_dist": ["uniform"] * 2,
    ...                          "proxy_low": [80.0, 90.0], "proxy_high": [120.0, 110.0]})
    >>> inputs = pd.DataFrame({"site": ["a", "b"], "amount": [500.0, 400.0]})
    >>> mc = monte_carlo(outcomes, inputs, n=2_000, seed=1, discount=0.0)
    >>> mc.ratio.shape, bool(abs(mc.ratio[:, 0].mean() - 2.0) < 0.02)
    ((2000, 2), True)
    """
    if not (
        isinstance(n, int | np.integer)
        and not isinstance(n, bool)
        and n >= 1
        and isinstance(chunk_size, int | np.integer)
        and not isinstance(chunk_size, bool)
        and chunk_size >= 1
    ):
        raise ValidationError(
            "n and chunk_size must be positive", path=("n",), code="out_of_range"
        )
    n = int(n)
    d = _discount(discount)
    shared = dict(shared or {})
    extra = [g for g, _ in shared.values() if g in outcomes_df.columns]
    p = _prepare(outcomes_df, inputs_df, site, d, extra)
    if not len(p.sites):
        raise ValidationError("no outcome rows: no site to draw", path=("outcomes",), code="empty")
    probs: list[Problem] = []
    root = root_sequence(seed)
    shared_arrays: dict[str, tuple[_IntArray, FloatArray]] = {}
    for k, (f, (col, dist)) in enumerate(shared.items()):
        if f not in ROW_FIELDS:
            probs.append(Problem(("shared", f), "unknown_field", f"no field {f!r}"))
            continue
        if col not in outcomes_df.columns:
            probs.append(Problem(("shared", f), "missing_column", f"no column {col!r}"))
            continue
        if not isinstance(dist, Distribution):
            probs.append(Problem(("shared", f), "type", f"expected a distribution, got {dist!r}"))
            continue
        low = FIELD_RULES[f].low
        if low is not None and low >= 0 and dist.support[0] < 0:
            probs.append(
                Problem(
                    ("shared", f),
                    "support",
                    f"{dist.name} multiplier with support [{dist.support[0]:g}, "
                    f"{dist.support[1]:g}] can be negative; {f} cannot: bound it at 0",
                )
            )
            continue
        high = FIELD_RULES[f].high
        top = float(np.max(p.fields[f], initial=0.0))
        if high == 1 and top > 0 and dist.support[1] * top > high:
            # a share (a haircut, the drop-off) times a multiplier that can pass 1 / top:
            # decided on the supports, before any draw, the same answer for every seed
            probs.append(
                Problem(
                    ("shared", f),
                    "support",
                    f"{dist.name} multiplier with support [{dist.support[0]:g}, "
                    f"{dist.support[1]:g}] can take {f} above {high:g} (its largest value is "
                    f"{top:g}): bound the multiplier at {high / top:g} or below",
                )
            )
            continue
        # rows with no group label share one multiplier of their own (the last group)
        codes, uniques = pd.factorize(outcomes_df[col], sort=True, use_na_sentinel=False)
        g = block_generator(root, (1, k))
        mult = dist.draw_group(g, [dist], n * len(uniques)).reshape(n, len(uniques))
        shared_arrays[f] = (codes.astype(np.int64), mult)
    if probs:
        raise ValidationError(probs)
    if correlation:
        _correlate_shared(shared, shared_arrays, correlation, root)
    # whole blocks of draws, never more than the draws asked for (the buffers are that size)
    chunk = -(-min(int(chunk_size), n) // DRAW_BLOCK) * DRAW_BLOCK
    blocks = _blocks(p)
    ex = _as_executor(executor)
    pv = np.empty((n, len(p.sites)))  # the result, held once

    def args(
        b: _IntArray,
    ) -> tuple[
        _Prepared,
        Discount,
        int,
        dict[str, tuple[_IntArray, FloatArray]],
        np.random.SeedSequence,
        int,
    ]:
        sh = {f: (codes[b], mult) for f, (codes, mult) in shared_arrays.items()}
        return (_subset(p, b), d, n, sh, root, chunk)

    def cols(b: _IntArray) -> slice:
        s = p.site_of_row[b]
        return slice(int(s.min()), int(s.max()) + 1)  # a block's sites are consecutive

    if ex is None:
        for b in blocks:
            _mc_block(*args(b), out=pv[:, cols(b)])
    else:
        futs = [(b, ex.submit(_mc_block, *args(b))) for b in blocks]
        for b, fut in futs:
            pv[:, cols(b)] = fut.result()
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        _require_finite_sites(p.sites, {"present_value": pv, "ratio": pv / p.inputs})
    entropy = reproducing_entropy(root)
    return PortfolioMonteCarlo(p.sites.tolist(), pv, p.inputs, entropy)
