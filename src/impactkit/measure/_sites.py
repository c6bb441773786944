"""Participant-level measurement per site, on pandas or on a dask DataFrame.

A federation's participant rows (millions, across thousands of sites) rarely
fit one machine's memory. :func:`measure_sites` runs any calculator per site on
a dask DataFrame partition by partition, so memory is bounded by the largest
partition, and returns one small row per site: the ``quantity`` column the
portfolio tables take.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ValidationError
from impactkit.measure._calculators import (
    Count,
    DistanceTravelled,
    PrePost,
    Proportion,
    Sum,
    Threshold,
)
from impactkit.measure._reliable_change import ReliableChange
from impactkit.measure._wellbeing import LifeSatisfaction

__all__ = ["SITE_COLUMNS", "measure_sites"]

SITE_COLUMNS: tuple[str, ...] = (
    "quantity",
    "n",
    "missing",
    "share",
    "mean_change",
    "ci_low",
    "ci_high",
    "se",
)
"""Columns of :func:`measure_sites`, after the site column."""


def _meta(site: str, dtype: Any) -> pd.DataFrame:
    out = pd.DataFrame({site: pd.Series([], dtype=dtype)})
    for c in SITE_COLUMNS:
        out[c] = pd.Series([], dtype="int64" if c in ("n", "missing") else "float64")
    return out


def _hits(calculator: Any, frame: pd.DataFrame) -> tuple[Any, Any] | None:
    """Usable rows and rows that count, for the share calculators; None for the others."""
    if isinstance(calculator, Proportion):
        ok_s, hit_s = calculator._matches(frame[calculator.column])
        return ok_s.to_numpy(), hit_s.to_numpy()
    if isinstance(calculator, Threshold):
        v = calculator._numeric(frame[calculator.column], "column").to_numpy()
        ok = ~np.isnan(v)
        hit = ok.copy()
        with np.errstate(invalid="ignore"):
            if calculator.at_least is not None:
                hit &= v >= calculator.at_least
            if calculator.at_most is not None:
                hit &= v <= calculator.at_most
        return ok, hit
    return None


class _Sites:
    """Row-to-site codes, and sums by site that are exactly those of each site's rows.

    Counts come from one ``bincount``. Sums of floating-point values are taken
    over each site's rows in their order with NumPy's own summation, as
    ``calculator.compute`` on that site's rows takes them: the rows are put in
    site order once (a stable radix sort of the codes) and each site's
    contiguous run is summed, so every figure equals the per-site path to the
    last bit (a grouped ``bincount`` of floats would not).
    """

    def __init__(self, codes: Any, m: int) -> None:
        self.codes = codes
        self.m = m

    def count(self, mask: Any) -> Any:
        return np.bincount(self.codes[mask], minlength=self.m).astype(float)

    def _runs(self, mask: Any) -> tuple[Any, Any, Any, Any]:
        """Rows of ``mask`` in site order: row indices, site codes, run starts and ends."""
        idx = np.flatnonzero(mask)
        c = self.codes[idx]
        key = c.astype(np.uint16 if self.m <= 0xFFFF else np.int64)
        order = np.argsort(key, kind="stable")
        idx, c = idx[order], c[order]
        starts = np.flatnonzero(np.r_[True, c[1:] != c[:-1]]) if c.size else np.zeros(0, int)
        ends = np.r_[starts[1:], c.size].astype(int)
        return idx, c, starts, ends

    def _sums(self, x: Any, c: Any, starts: Any, ends: Any) -> Any:
        """Each run's ``np.sum``: runs of one length are the rows of one C-ordered
        array, summed along the rows (NumPy sums each row as it sums a 1-D array)."""
        out = np.zeros(self.m)
        lengths = ends - starts
        for length in np.unique(lengths).tolist():
            pick = lengths == length
            rows = x[starts[pick][:, None] + np.arange(length)[None, :]]
            out[c[starts[pick]]] = np.add.reduce(rows, axis=1)
        return out

    def total(self, mask: Any, x: Any) -> Any:
        """``x[rows].sum()`` of each site's rows in ``mask``."""
        idx, c, starts, ends = self._runs(mask)
        return self._sums(x[idx], c, starts, ends)

    def mean_sd(self, mask: Any, x: Any) -> tuple[Any, Any, Any]:
        """Count, ``mean()`` and ``std(ddof=1)`` of each site's rows in ``mask`` (NaN for
        the standard deviation of fewer than two rows, the mean of none)."""
        idx, c, starts, ends = self._runs(mask)
        xs = x[idx]
        n = self.count(mask)
        with np.errstate(divide="ignore", invalid="ignore"):
            mean = self._sums(xs, c, starts, ends) / n
            dev = xs - mean[c]
            sd = np.sqrt(self._sums(dev * dev, c, starts, ends) / (n - 1))
        return n, mean, np.where(n >= 2, sd, np.nan)


def _t_interval(n: Any, mean: Any, sd: Any, level: float) -> tuple[Any, Any]:
    """Paired t interval by site, as :func:`~impactkit.measure.paired_t_interval` (n >= 2)."""
    from scipy import special  # imported on use: keeps `import impactkit` light

    with np.errstate(divide="ignore", invalid="ignore"):
        t = special.stdtrit(np.maximum(n - 1, 1), 0.5 + level / 2)
        se = sd / np.sqrt(n)
    ok = n >= 2
    return np.where(ok, mean - t * se, np.nan), np.where(ok, mean + t * se, np.nan)


def _wilson(k: Any, n: Any, level: float) -> tuple[Any, Any]:
    """Wilson interval by site, with the very operations of
    :func:`~impactkit.measure.wilson_interval` (NaN where ``n`` is 0)."""
    from scipy import special  # imported on use: keeps `import impactkit` light

    z = float(special.ndtri(0.5 + level / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        lo = np.where(k <= 0, 0.0, np.maximum(0.0, centre - half))
        hi = np.where(k >= n, 1.0, np.minimum(1.0, centre + half))
    empty = n == 0
    return np.where(empty, np.nan, lo), np.where(empty, np.nan, hi)


def _shares(calculator: Any, frame: pd.DataFrame, g: _Sites) -> dict[str, Any] | None:
    """Share calculators: counts by site, the Wilson interval, the binomial spread."""
    hits = _hits(calculator, frame)
    if hits is None:
        return None
    ok, hit = hits
    n = g.count(ok)
    k = g.count(hit)
    lo, hi = _wilson(k, n, calculator.level)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(n * (k / n) * (1 - k / n))
    return _counted(k, n, g.count(~ok), np.full(g.m, np.nan), lo, hi, se)


def _counted(k: Any, n: Any, missing: Any, mean: Any, lo: Any, hi: Any, se: Any) -> dict[str, Any]:
    """The site columns of a calculator that counts units: NaN where a site has none."""
    empty = n == 0
    return {
        "quantity": k,
        "n": n,
        "missing": missing,
        "share": np.where(empty, np.nan, k / np.where(empty, 1, n)),
        "mean_change": np.where(empty, np.nan, mean),
        "ci_low": lo,
        "ci_high": hi,
        "se": np.where(empty, np.nan, se),
    }


def _changes(calculator: Any, frame: pd.DataFrame, g: _Sites) -> dict[str, Any] | None:
    """Calculators of paired change: every row's change, then sums by site."""
    if isinstance(calculator, PrePost):
        y0 = calculator._scored(frame, calculator.baseline, "baseline").to_numpy(dtype=float)
        y1 = calculator._scored(frame, calculator.followup, "followup").to_numpy(dtype=float)
        ok = ~np.isnan(y0) & ~np.isnan(y1)
        d = y1 - y0
        if calculator.direction == "decrease":
            d = -d
        with np.errstate(invalid="ignore"):
            hit = ok & (d >= calculator.min_change if calculator.min_change is not None else d > 0)
    elif isinstance(calculator, DistanceTravelled):
        if calculator.measure is not None:
            s0 = calculator._scored(frame, calculator.baseline, "baseline")
            s1 = calculator._scored(frame, calculator.followup, "followup")
            ok = (s0.notna() & s1.notna()).to_numpy()
            d = (s1 - s0).to_numpy(dtype=float)
        else:
            ok, d = _distance(calculator, frame)
        with np.errstate(invalid="ignore"):
            hit = ok & (d >= calculator.min_change)
    else:
        return None
    n, mean, sd = g.mean_sd(ok, d)
    k = g.count(hit)
    lo, hi = _t_interval(n, mean, sd, calculator.level)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(k * (1 - k / n))
    return _counted(k, n, g.count(~ok), mean, lo, hi, se)


def _distance(calc: DistanceTravelled, frame: pd.DataFrame) -> tuple[Any, Any]:
    """Usable rows and each row's distance (mean change over the domains)."""
    changes, oks = calc._domain_changes(frame)
    usable = np.logical_and.reduce([ok.to_numpy(dtype=bool) for ok in oks])
    dist = pd.concat(changes, axis=1).mean(axis=1).to_numpy(dtype=float)
    return usable, dist


def _totals(calculator: Any, frame: pd.DataFrame, g: _Sites) -> dict[str, Any] | None:
    """Counting and summing calculators, and the wellbeing change (a sum of changes)."""
    nan = np.full(g.m, np.nan)
    out = {"share": nan, "mean_change": nan, "ci_low": nan, "ci_high": nan, "se": nan}
    if isinstance(calculator, Count):
        if calculator.unique is None:
            n = g.count(np.ones(len(frame), dtype=bool))
            return {"quantity": n, "n": n, "missing": np.zeros(g.m), **out}
        s = frame[calculator.unique]
        ok = s.notna().to_numpy()
        pairs = pd.DataFrame({"site": g.codes[ok], "value": s.to_numpy()[ok]})
        distinct = pairs.drop_duplicates()["site"].to_numpy()
        quantity = np.bincount(distinct, minlength=g.m).astype(float)
        return {"quantity": quantity, "n": g.count(ok), "missing": g.count(~ok), **out}
    if isinstance(calculator, Sum):
        x = calculator._numeric(frame[calculator.column], "column").to_numpy(dtype=float)
        ok = ~np.isnan(x)
        return {
            "quantity": g.total(ok, x),
            "n": g.count(ok),
            "missing": g.count(~ok),
            **out,
        }
    if isinstance(calculator, LifeSatisfaction):
        calculator._compute_frame(frame)  # the range checks, on every row at once
        y0 = calculator._numeric(frame[calculator.baseline], "baseline").to_numpy(dtype=float)
        y1 = calculator._numeric(frame[calculator.followup], "followup").to_numpy(dtype=float)
        ok = ~np.isnan(y0) & ~np.isnan(y1)
        d = y1 - y0
        n, mean, sd = g.mean_sd(ok, d)
        lo, hi = _t_interval(n, mean, sd, calculator.level)
        return {
            "quantity": g.total(ok, d),
            "n": n,
            "missing": g.count(~ok),
            "share": nan,
            "mean_change": np.where(n == 0, np.nan, mean),
            "ci_low": lo,
            "ci_high": hi,
            "se": np.sqrt(n) * sd,
        }
    return None


def _reliable(calculator: Any, frame: pd.DataFrame, g: _Sites) -> dict[str, Any] | None:
    """Reliable change with a stated reliability: every row's index, then counts by site."""
    if not isinstance(calculator, ReliableChange) or calculator.reliability is None:
        return None
    a = calculator._scored(frame, calculator.baseline, "baseline").to_numpy(dtype=float)
    b = calculator._scored(frame, calculator.followup, "followup").to_numpy(dtype=float)
    ok = ~np.isnan(a) & ~np.isnan(b)
    n, _, sd_pre = g.mean_sd(ok, a)
    if calculator.sd is not None:
        sd = np.full(g.m, float(calculator.sd))
    else:
        bad = n > 0
        bad &= ~(np.isfinite(sd_pre) & (sd_pre > 0))
        if bad.any():
            raise ValidationError(
                "the baseline scores do not vary (or are fewer than 2) at "
                f"{int(bad.sum())} sites: give sd",
                path=("sd",),
                code="missing",
            )
        sd = sd_pre
    r = float(calculator.reliability)
    s_diff = np.sqrt(2.0) * sd * np.sqrt(1.0 - r)
    sign = 1.0 if calculator.direction == "increase" else -1.0
    with np.errstate(divide="ignore", invalid="ignore"):
        rci = sign * (b - a) / s_diff[g.codes]
        up = ok & (rci > calculator.z)
    k = g.count(up)
    lo, hi = _wilson(k, n, calculator.level)
    _, mean, _ = g.mean_sd(ok, b - a)
    with np.errstate(divide="ignore", invalid="ignore"):
        se = np.sqrt(n * (k / n) * (1 - k / n))
    return _counted(k, n, g.count(~ok), mean, lo, hi, se)


_GROUPED = (_shares, _changes, _totals, _reliable)


def _per_site(part: pd.DataFrame, calculator: Any, site: str) -> pd.DataFrame:
    """One row per site of a partition: grouped sums for the built-in calculators, the
    calculator's own computation per group for any other."""
    calculator._frame(part.iloc[:0])  # the calculator's column checks, on no rows
    keep = np.ones(len(part), dtype=bool)
    for cond in getattr(calculator, "where", ()):
        keep &= cond.mask(part).to_numpy(dtype=bool)
    frame = part if keep.all() else part.loc[keep]
    # every site keeps a row, even when the filter leaves it no participant
    codes, uniques = pd.factorize(part[site], use_na_sentinel=False)
    labels = np.asarray(uniques, dtype=None if uniques.dtype.kind in "biuf" else object)
    g = _Sites(codes if frame is part else codes[keep], len(labels))
    for grouped in _GROUPED:
        cols = grouped(calculator, frame, g)
        if cols is not None:
            out = pd.DataFrame({site: labels, **{c: cols[c] for c in SITE_COLUMNS}})
            return out.astype({"n": "int64", "missing": "int64"})
    groups = dict(iter(frame.groupby(site, sort=False, dropna=False)))
    recs = []
    for s in labels:
        r = calculator._compute_frame(groups.get(s, frame.iloc[:0]))
        ci = r.ci if r.ci is not None else (np.nan, np.nan)
        recs.append(
            (
                s,
                r.quantity,
                r.n,
                r.missing,
                np.nan if r.share is None else r.share,
                np.nan if r.mean_change is None else r.mean_change,
                ci[0],
                ci[1],
                np.nan if r.se is None else r.se,
            )
        )
    out = pd.DataFrame.from_records(recs, columns=[site, *SITE_COLUMNS])
    return out.astype({"n": "int64", "missing": "int64"})


def _free_name(columns: list[Any]) -> str:
    """A column name that is not among ``columns``."""
    taken = {str(c) for c in columns}
    i = 0
    while f"_impactkit_row_{i}" in taken:
        i += 1
    return f"_impactkit_row_{i}"


_ROW_BITS = 40
"""Bits of a row's position within its partition in its place tag (a partition of up to
2**40 rows, 2**23 partitions)."""


def _tag_rows(
    part: pd.DataFrame, tag: str, partition_info: dict[str, Any] | None = None
) -> pd.DataFrame:
    """``part`` with each row's place: its partition's number, then its position in it."""
    number = int((partition_info or {}).get("number", 0))
    place = (np.int64(number) << _ROW_BITS) + np.arange(len(part), dtype=np.int64)
    return part.assign(**{tag: place})


def _per_site_in_order(part: pd.DataFrame, calculator: Any, site: str, tag: str) -> pd.DataFrame:
    """:func:`_per_site` on a shuffled partition put back in the rows' first order."""
    order = np.argsort(part[tag].to_numpy())  # places are distinct: any sort is stable
    return _per_site(part.iloc[order].drop(columns=[tag]), calculator, site)


def measure_sites(
    calculator: Any, data: Any, *, site: str = "site", partitioned: bool = False
) -> pd.DataFrame:
    """Measure ``calculator`` separately for every site of participant-level data.

    Parameters
    ----------
    calculator : calculator
        Any measurement calculator (:class:`~impactkit.measure.Proportion`,
        :class:`~impactkit.measure.PrePost`, ...); its ``where`` filter applies.
    data : pandas.DataFrame or dask.dataframe.DataFrame
        One row per participant, with a ``site`` column. A dask DataFrame is
        processed partition by partition, with the active dask scheduler (a
        ``dask.distributed`` client if one is open); memory is bounded by a
        partition.
    site : str, default "site"
        The site column.
    partitioned : bool, default False
        Each site's rows are already in one partition (a Parquet dataset
        partitioned by site): no shuffle. Otherwise rows are first shuffled
        on the site so that each site lives in one partition, each row
        carrying its place in the data (partition, position), and every
        partition is put back in that order after the shuffle.

    Returns
    -------
    DataFrame
        One row per site: ``site``, ``quantity``, ``n``, ``missing``,
        ``share``, ``mean_change``, ``ci_low``, ``ci_high``, ``se`` (NaN where
        a calculator does not give the figure), in order of first appearance
        (pandas) or of the partitions (dask). The result is small and always
        a pandas DataFrame. Sites whose rows the filter leaves empty keep a
        row (``n`` = 0).

    Raises
    ------
    ValidationError
        When the site column or a column the calculator reads is missing, or
        with ``partitioned=True`` when a site spans several partitions.

    Notes
    -----
    Each site's figures are those of ``calculator.compute`` on that site's
    rows alone, in their order in the data, to the last bit, so the dask
    result equals the pandas one: a shuffle moves rows between partitions
    in no set order, and a sum of floating-point numbers depends on the
    order of its terms, so the rows are read back in their first order.
    The built-in calculators (counts, sums, shares, thresholds, pre/post
    change, distance travelled, scale scores, wellbeing change, reliable
    change with a stated reliability) are computed for every site in one
    pass over the rows: counts by site code, then each site's sums taken over
    its rows in their order. A plugin calculator, and reliable change whose
    reliability is estimated from each site's items, run site by site.

    Examples
    --------
    >>> import pandas as pd
    >>> from impactkit import measure
    >>> df = pd.DataFrame({"site": ["a", "a", "b", "b", "b"], "employed": [1, 0, 1, 1, None]})
    >>> measure_sites(measure.Proportion("employed"), df)[["site", "quantity", "n", "missing"]]
      site  quantity  n  missing
    0    a       1.0  2        0
    1    b       2.0  2        1
    """
    if not callable(getattr(calculator, "_compute_frame", None)):
        raise ValidationError(
            "calculator must be an impactkit measurement calculator",
            path=("calculator",),
            code="type",
        )
    columns = list(getattr(data, "columns", []))
    if site not in columns:
        raise ValidationError(
            f"no site column {site!r} in the data", path=(site,), code="missing_column"
        )
    if isinstance(data, pd.DataFrame):
        return _per_site(data, calculator, site)
    try:
        import dask.dataframe as dd
    except ImportError as exc:  # pragma: no cover - the dask extra
        raise ValidationError(
            "a dask DataFrame needs the 'dask' extra", path=("data",), code="missing_extra"
        ) from exc
    if not isinstance(data, dd.DataFrame):
        raise ValidationError(
            f"data must be a pandas or dask DataFrame, got {type(data).__name__}",
            path=("data",),
            code="type",
        )
    frame: Any = data  # dask's methods are untyped
    # check the calculator's columns once, on the empty metadata, before any work
    calculator._frame(frame._meta)
    meta = _meta(site, frame._meta[site].dtype)
    if partitioned:
        out: pd.DataFrame = frame.map_partitions(_per_site, calculator, site, meta=meta).compute()
    else:
        # each site's rows land in one partition, in an order the shuffle does not keep:
        # every row carries its place (partition, row), and each partition is put back in
        # that order, so that a site's sums add its rows as the pandas path does
        tag = _free_name(columns)
        tagged_meta = frame._meta.assign(**{tag: np.int64(0)})
        tagged = frame.map_partitions(_tag_rows, tag, meta=tagged_meta)
        out = (
            tagged.shuffle(on=site)
            .map_partitions(_per_site_in_order, calculator, site, tag, meta=meta)
            .compute()
        )
    out = out.reset_index(drop=True)
    split = pd.unique(out[site][out[site].duplicated()].to_numpy())
    if split.size:
        shown = ", ".join(map(str, split[:20]))
        raise ValidationError(
            f"{split.size} sites span several partitions ({shown}); "
            "pass partitioned=False to shuffle them together",
            path=("data",),
            code="split_site",
        )
    return out
