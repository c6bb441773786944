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
from scipy import special

from impactkit.errors import ValidationError
from impactkit.measure._calculators import Proportion, Threshold

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


def _shares(calculator: Any, frame: pd.DataFrame, site: str, labels: Any) -> pd.DataFrame | None:
    """Share calculators for every site at once: counts by site, the Wilson interval
    written with the very operations of :func:`~impactkit.measure.wilson_interval`."""
    hits = _hits(calculator, frame)
    if hits is None:
        return None
    ok, hit = hits
    codes = pd.Index(labels).get_indexer(frame[site])
    m = len(labels)
    n = np.bincount(codes, weights=ok, minlength=m)
    k = np.bincount(codes, weights=hit, minlength=m)
    missing = np.bincount(codes, weights=~ok, minlength=m)
    z = float(special.ndtri(0.5 + calculator.level / 2))
    with np.errstate(divide="ignore", invalid="ignore"):
        p = k / n
        denom = 1 + z * z / n
        centre = (p + z * z / (2 * n)) / denom
        half = z / denom * np.sqrt(p * (1 - p) / n + z * z / (4 * n * n))
        lo = np.where(k <= 0, 0.0, np.maximum(0.0, centre - half))
        hi = np.where(k >= n, 1.0, np.minimum(1.0, centre + half))
        se = np.sqrt(n * (k / n) * (1 - k / n))
    empty = n == 0
    nan = np.full(m, np.nan)
    return pd.DataFrame(
        {
            site: labels,
            "quantity": k,
            "n": n.astype(np.int64),
            "missing": missing.astype(np.int64),
            "share": np.where(empty, np.nan, p),
            "mean_change": nan,
            "ci_low": np.where(empty, np.nan, lo),
            "ci_high": np.where(empty, np.nan, hi),
            "se": np.where(empty, np.nan, se),
        }
    )


def _per_site(part: pd.DataFrame, calculator: Any, site: str) -> pd.DataFrame:
    """One row per site of a partition (the calculator's own computation per group)."""
    frame = calculator._frame(part)  # column checks and the where= filter, vectorised
    # every site keeps a row, even when the filter leaves it no participant
    labels = pd.unique(part[site].to_numpy())
    fast = _shares(calculator, frame, site, labels)
    if fast is not None:
        return fast
    groups = dict(iter(frame.groupby(site, sort=False, dropna=False)))
    recs = []
    for s in labels:
        g = groups.get(s, frame.iloc[:0])
        r = calculator._compute_frame(g)
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
        on the site so that each site lives in one partition.

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
    rows alone, so the dask result equals the pandas one.

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
    # check the calculator's columns once, on the empty metadata, before any work
    calculator._frame(data._meta)
    if not partitioned:
        data = data.shuffle(on=site)  # each site's rows land in one partition
    meta = _meta(site, data._meta[site].dtype)
    out: pd.DataFrame = data.map_partitions(_per_site, calculator, site, meta=meta).compute()
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
