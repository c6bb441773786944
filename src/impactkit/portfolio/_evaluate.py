"""Portfolio tables: validation, evaluation, Monte Carlo, ``from_models``.

See :mod:`impactkit.portfolio`.
"""

from __future__ import annotations

import concurrent.futures as cf
import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit import kernel
from impactkit._fields import FIELD_RULES
from impactkit._random import block_generator, root_sequence
from impactkit._results import Summary, displayed, jsonable
from impactkit._validation import require_finite
from impactkit.discount import Constant, Discount, Schedule
from impactkit.dist import DISTRIBUTIONS, MAX_MAGNITUDE, Distribution
from impactkit.errors import Problem, ValidationError
from impactkit.model import ROW_FIELDS
from impactkit.typing import FloatArray, SeedLike

__all__ = [
    "NUMERIC_COLUMNS",
    "SITE_BLOCK",
    "PortfolioMonteCarlo",
    "aggregate",
    "distribution",
    "evaluate",
    "from_models",
    "monte_carlo",
    "position",
    "row_values",
    "stakeholder_shares",
]

NUMERIC_COLUMNS: tuple[str, ...] = (*ROW_FIELDS, "start_year", "price_factor")
"""Numeric outcome columns; their defaults and ranges are those of the field table."""

TEXT_COLUMNS = (
    "outcome",
    "stakeholder",
    "label",
    "indicator",
    "proxy_source",
    "drop_off_method",
    "first_flow_at",
    "price_year",
)
INPUT_COLUMNS = ("amount", "year", "label", "stakeholder", "in_kind", "source", "description")
SITE_BLOCK = 512
"""Sites per work unit and per random stream block (fixed: results never depend on workers)."""
DRAW_BLOCK = 256
"""Monte Carlo draws per random block; chunks are whole numbers of blocks."""

_IntArray = npt.NDArray[np.int64]
_BoolArray = npt.NDArray[np.bool_]
_PARAMS: dict[str, tuple[str, ...]] = {
    name: tuple(a.alias for a in attrs.fields(cast(Any, cls)))
    for name, cls in DISTRIBUTIONS.items()
}
_REQUIRED: dict[str, tuple[str, ...]] = {
    name: tuple(a.alias for a in attrs.fields(cast(Any, cls)) if a.default is attrs.NOTHING)
    for name, cls in DISTRIBUTIONS.items()
}
_PARAM_NAMES = sorted({p for ps in _PARAMS.values() for p in ps})


def _discount(discount: Discount | float) -> Discount:
    if isinstance(discount, Constant | Schedule):
        if isinstance(discount, Constant) and isinstance(discount.rate, Distribution):
            raise ValidationError(
                "a portfolio's discount rate must be certain",
                path=("discount",),
                code="uncertain_discount",
            )
        return discount
    return Constant(float(discount))


def _rows_listing(idx: Sequence[Any] | npt.NDArray[Any], limit: int = 20) -> str:
    shown = ", ".join(map(str, list(idx)[:limit]))
    more = f" and {len(idx) - limit} more" if len(idx) > limit else ""
    return shown + more


@attrs.frozen
class _RowDist:
    """Rows of one field drawn from one distribution class."""

    cls: type[Distribution]
    rows: _IntArray  # positions in the outcomes table
    params: FloatArray  # (P, len(rows))


@attrs.frozen
class _Prepared:
    sites: npt.NDArray[Any]  # site labels in order of first appearance
    site_of_row: _IntArray  # (R,) site position of each outcome row
    fields: dict[str, FloatArray]  # (R,) each, central values; proxy at base-year prices
    linear: _BoolArray
    start: _IntArray  # calendar start year, 1 or 2
    period_shift: _IntArray  # 1 on rows of sites using the "t0" convention
    price_factor: FloatArray
    inputs: FloatArray  # (n_sites,) PV of inputs
    dists: dict[str, list[_RowDist]] = attrs.field(factory=dict)
    first_row: _IntArray = attrs.field(factory=lambda: np.zeros(0, dtype=np.int64))
    runs: _IntArray | None = None  # first row of each site when its rows are contiguous


_NOT_REAL = (
    bool,
    np.bool_,
    complex,
    np.complexfloating,
    dt.date,
    dt.timedelta,
    np.datetime64,
    np.timedelta64,
)


def _numeric(col: pd.Series) -> tuple[FloatArray, _IntArray]:
    """Float values of a column and the rows whose value is not a real number.

    Numbers written as text (a CSV) are read; booleans, complex numbers,
    dates and durations are not numbers of a value map, as in the model
    validators: their rows are returned as bad (never coerced to 0/1, the
    real part or nanoseconds).
    """
    kind = col.dtype.kind if isinstance(col.dtype, np.dtype) else ""
    if kind in ("f", "i", "u"):  # numpy numbers (the usual case): one copy as floats
        return np.array(col.to_numpy(), dtype=float), np.zeros(0, dtype=np.int64)
    types = pd.api.types
    if types.is_numeric_dtype(col.dtype) and not (
        types.is_bool_dtype(col.dtype) or types.is_complex_dtype(col.dtype)
    ):
        return col.to_numpy(dtype=float, na_value=np.nan), np.zeros(0, dtype=np.int64)
    present = col.notna().to_numpy()
    if (
        types.is_bool_dtype(col.dtype)
        or types.is_complex_dtype(col.dtype)
        or kind in ("m", "M")
        or isinstance(col.dtype, pd.DatetimeTZDtype | pd.PeriodDtype | pd.IntervalDtype)
    ):
        return np.full(len(col), np.nan), np.flatnonzero(present).astype(np.int64)
    x = pd.to_numeric(col, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    bad_mask = np.isnan(x) & present
    if col.dtype == object:
        vals = col.to_numpy(dtype=object)
        bad_mask |= np.fromiter(
            (isinstance(v, _NOT_REAL) for v in vals), dtype=bool, count=len(vals)
        )
        x = np.where(bad_mask, np.nan, x)
    return x, np.flatnonzero(bad_mask).astype(np.int64)


def _too_large(probs: list[Problem], x: FloatArray, path: tuple[str, ...]) -> None:
    """The magnitude rule of the model validators (:data:`impactkit.dist.MAX_MAGNITUDE`)."""
    with np.errstate(invalid="ignore"):
        big = np.flatnonzero(np.abs(x) > MAX_MAGNITUDE)
    if big.size:
        probs.append(
            Problem(
                path,
                "too_large",
                f"values beyond {MAX_MAGNITUDE:g} in magnitude in rows {_rows_listing(big)} "
                "(impactkit computes with values up to that size, so that every product and "
                "sum stays finite)",
            )
        )


def _require_finite_sites(sites: npt.NDArray[Any], values: Mapping[str, FloatArray]) -> None:
    """Refuse results that are not finite numbers, naming the sites (columns of arrays)."""
    probs = []
    for name, v in values.items():
        arr = np.asarray(v, dtype=float)
        bad = ~np.isfinite(arr)
        if bad.ndim == 2:
            bad = bad.any(axis=0)
        if bad.any():
            probs.append(
                Problem(
                    ("result", name),
                    "not_finite",
                    f"the result is not a finite number for sites "
                    f"{_rows_listing([sites[i] for i in np.flatnonzero(bad)])}: the inputs "
                    "overflow or are degenerate (e.g. inputs totalling almost 0); check "
                    "their magnitudes",
                )
            )
    if probs:
        raise ValidationError(probs)


_Idx = npt.NDArray[np.int64] | slice


def _take(values: npt.NDArray[Any], rows: _Idx) -> npt.NDArray[Any]:
    """Rows of a per-row array; a length-1 array is a column's one value for every row."""
    return values if values.shape == (1,) else values[rows]


def _first_rows(codes: _IntArray, m: int) -> _IntArray:
    """Position of the first row of each of ``m`` groups numbered by first appearance.

    Codes from :func:`pandas.factorize` (``sort=False``) or ``ngroup(sort=False)``
    grow by one exactly where a group first appears.
    """
    if not codes.size:
        return np.zeros(0, dtype=np.int64)
    top = np.maximum.accumulate(codes)
    first = np.flatnonzero(np.r_[True, top[1:] > top[:-1]]).astype(np.int64, copy=False)
    return first[:m]


def _site_codes(
    values: pd.Series,
) -> tuple[_IntArray, npt.NDArray[Any], _IntArray | None, _IntArray]:
    """Site codes by first appearance, the labels, the runs, and rows with no site.

    Tables usually hold each site's rows together; the codes are then read from
    the runs of equal labels in one comparison pass (no hash of every row), and
    the run starts are returned so that per-site sums can be taken with
    :func:`numpy.add.reduceat`. Otherwise (rows of a site apart, missing labels,
    labels that are neither integers nor pandas text) :func:`pandas.factorize`
    gives the same codes and the runs are None. A row with no site gets a code
    of its own after the real sites (``len(labels)`` onwards), so that the
    other checks can run and report everything at once.
    """
    n = len(values)
    kind = getattr(values.dtype, "kind", "O")
    text = isinstance(values.dtype, pd.StringDtype)
    plain_int = isinstance(values.dtype, np.dtype) and kind in "iu"  # holds no missing value
    if n and (plain_int or ((kind in "iu" or text) and not values.hasnans)):
        a = values.to_numpy(dtype=np.int64) if kind in "iu" else values.array
        ne = a[1:] != a[:-1]
        change = (
            ne.to_numpy(dtype=bool, na_value=True)
            if isinstance(ne, pd.api.extensions.ExtensionArray)
            else np.asarray(ne, dtype=bool)
        )
        starts = np.flatnonzero(np.r_[True, change]).astype(np.int64)
        # a site's rows together: far fewer runs than rows (else hashing every row is cheaper)
        if 4 * starts.size <= n or starts.size == 1:
            heads = values.iloc[starts]
            if not (
                np.unique(a[starts]).size < starts.size if plain_int else heads.duplicated().any()
            ):
                codes = np.repeat(
                    np.arange(starts.size, dtype=np.int64), np.diff(np.r_[starts, n])
                )
                return codes, np.asarray(heads.to_numpy()), starts, np.zeros(0, dtype=np.int64)
    raw, uniques = pd.factorize(values, sort=False)
    codes = raw.astype(np.int64, copy=False)
    missing = np.flatnonzero(codes < 0).astype(np.int64)
    if missing.size:
        codes = codes.copy()
        codes[missing] = len(uniques) + np.arange(missing.size)
    return codes, np.asarray(uniques), None, missing


def _codes(values: pd.Series) -> tuple[npt.NDArray[np.integer[Any]], int]:
    """Integer codes of a column (missing values get a code) and how many there are."""
    if isinstance(values.dtype, pd.CategoricalDtype):  # the codes are already there
        cat = values.array  # a Categorical: its codes without the accessor's Series
        c = np.asarray(cat.codes)
        m = len(cat.categories)
        return (np.where(c < 0, m, c) if c.size and c.min() < 0 else c), m + 1
    v, uniq = pd.factorize(values, use_na_sentinel=False)
    return v, max(len(uniq), 1)


def _first_values(values: pd.Series, first: _IntArray) -> Any:
    """The values of the rows ``first`` (a site's first row), typed as a column of them is.

    A categorical column is read through its categories: their type is inferred
    once on the few categories, not on every site.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):  # index the categories, not the rows
        cat = values.array  # a Categorical: its codes without the accessor's Series
        codes = np.asarray(cat.codes)[first]
        cats = cat.categories.to_numpy(dtype=object)
        if codes.size and codes.min() < 0:
            cats = np.append(cats, np.array([None]))
            codes = np.where(codes < 0, cats.size - 1, codes)
        return pd.Series(cats).array.take(codes)
    return np.asarray(values.iloc[first].to_numpy(), dtype=object)


def _not_constant(
    values: pd.Series, codes: _IntArray, first: _IntArray, runs: _IntArray | None = None
) -> _IntArray:
    """Group positions whose ``values`` are not all equal (missing counts as a value).

    With ``runs`` (each group's rows contiguous, starting there) a value that
    differs from the row before it inside a run is enough.
    """
    v, _ = _codes(values)
    if runs is not None:
        change = np.r_[False, v[1:] != v[:-1]]
        change[runs] = False
        return np.unique(codes[change])
    return np.unique(codes[v != v[first[codes]]])


def _plainly_admissible(name: str, col: FloatArray, *, whole: bool) -> bool:
    """True when a column has no missing value and all its values are admissible,
    read from its extremes (two reductions instead of a pass per check)."""
    r = FIELD_RULES[name]
    if r.choices is not None or (r.integer and not whole) or not col.size:
        return False
    lo, hi = float(np.min(col)), float(np.max(col))  # NaN anywhere makes them NaN
    return bool(np.isfinite(lo) and np.isfinite(hi) and not r.bad(np.array([lo, hi])).any())


def _check_range(
    probs: list[Problem],
    name: str,
    x: FloatArray,
    path: tuple[str, ...],
    uncertain: _BoolArray | None = None,
) -> None:
    """Range problems of a column; rows holding a distribution need not be whole."""
    r = FIELD_RULES[name]
    mask = r.bad(x)
    if uncertain is not None and r.integer:
        mask &= ~uncertain | attrs.evolve(r, integer=False).bad(x)
    bad = np.flatnonzero(mask)
    if not bad.size:
        return
    if r.choices is not None:
        probs.append(
            Problem(
                path,
                "invalid_choice",
                f"{name} must be one of {r.range_text} in rows {_rows_listing(bad)}",
            )
        )
        return
    out = np.flatnonzero(attrs.evolve(r, integer=False).bad(x))
    if out.size:
        probs.append(
            Problem(
                path,
                "out_of_range",
                f"values outside {r.range_text} in rows {_rows_listing(out)}",
            )
        )
    frac = np.setdiff1d(bad, out)
    if frac.size:
        probs.append(
            Problem(path, "not_integer", f"{name} must be whole in rows {_rows_listing(frac)}")
        )


def _column_dists(
    outcomes: pd.DataFrame, f: str, central: FloatArray, probs: list[Problem]
) -> list[_RowDist]:
    """Distributions of field ``f`` from ``F_dist`` and ``F_<param>`` columns.

    Rows sharing the same distribution build one object, so the classes' own
    checks and parameterisations are used, never a copy of them.
    """
    names = outcomes[f"{f}_dist"]
    has = names.notna().to_numpy() & (names.astype(str).str.strip() != "").to_numpy()
    out: list[_RowDist] = []
    pcols = {p: f"{f}_{p}" for p in _PARAM_NAMES if f"{f}_{p}" in outcomes.columns}
    # parameters given on rows without a distribution are a mistake, not a default
    for c in pcols.values():
        stray = np.flatnonzero(~has & outcomes[c].notna().to_numpy())
        if stray.size:
            probs.append(
                Problem(
                    ("outcomes", c),
                    "orphan_parameter",
                    f"{c} is given but {f}_dist is empty in rows {_rows_listing(stray)}",
                )
            )
    if not has.any():
        return out
    kinds = names[has].astype(str).str.strip().str.lower()
    unknown = sorted(set(kinds) - set(DISTRIBUTIONS))
    if unknown:
        probs.append(
            Problem(
                ("outcomes", f"{f}_dist"),
                "unknown_distribution",
                f"unknown distributions {unknown}; available: {', '.join(sorted(DISTRIBUTIONS))}",
            )
        )
    rows_all = np.flatnonzero(has)
    rule = FIELD_RULES[f]
    for name in DISTRIBUTIONS:  # a fixed order: the draws never depend on the table's order
        sel = rows_all[(kinds == name).to_numpy()]
        if not sel.size:
            continue
        cls = DISTRIBUTIONS[name]
        params = _PARAMS[name]
        extra = [
            c for p, c in pcols.items() if p not in params and outcomes[c].iloc[sel].notna().any()
        ]
        if extra:
            probs.append(
                Problem(
                    ("outcomes", f"{f}_dist"),
                    "unknown_key",
                    f"{name} takes {', '.join(params)}; {extra} are given on its rows",
                )
            )
        required = _REQUIRED[name]
        cols = {p: outcomes[pcols[p]].iloc[sel] for p in params if p in pcols}
        read = {p: _numeric(column) for p, column in cols.items()}
        table = pd.DataFrame({p: values for p, (values, _) in read.items()})
        for p_, (_, wrong) in read.items():
            if wrong.size:
                probs.append(
                    Problem(
                        ("outcomes", pcols[p_]),
                        "type",
                        f"non-numeric values in rows {_rows_listing(sel[wrong])}",
                    )
                )
        group = (
            table.groupby(list(table.columns), dropna=False, sort=False).ngroup().to_numpy()
            if len(table.columns)
            else np.zeros(sel.size, dtype=np.int64)
        )
        first = _first_rows(group.astype(np.int64), int(group.max()) + 1)
        objs: list[Distribution] = []
        bad_rows: list[int] = []
        errors: dict[str, list[int]] = {}
        for g, r0 in enumerate(first):
            kwargs = {
                p: float(v)
                for p, v in zip(table.columns, table.iloc[int(r0)].to_numpy(), strict=True)
                if not np.isnan(v)
            }
            rows_g = sel[group == g]
            try:
                if any(p not in kwargs for p in required):
                    raise ValidationError(f"{name} needs {', '.join(required)}")
                d = cls(**kwargs)
            except (ValidationError, TypeError) as exc:
                msg = exc.problems[0].message if isinstance(exc, ValidationError) else str(exc)
                errors.setdefault(msg, []).extend(rows_g.tolist())
                bad_rows.extend(rows_g.tolist())
                continue
            for prob in rule.problems(d, ("outcomes", f)):
                probs.append(
                    attrs.evolve(prob, message=f"{prob.message} in rows {_rows_listing(rows_g)}")
                )
            objs.append(d)
        for msg, rows_m in errors.items():
            probs.append(
                Problem(
                    ("outcomes", f"{f}_dist"),
                    "invalid_distribution",
                    f"{name}: {msg} in rows {_rows_listing(sorted(rows_m))}",
                )
            )
        if bad_rows:
            continue
        centrals = np.array([d.central for d in objs])[group]
        given = central[sel]
        off = ~np.isnan(given) & ~np.isclose(given, centrals, rtol=1e-12, atol=0.0)
        if off.any():
            probs.append(
                Problem(
                    ("outcomes", f),
                    "not_central",
                    f"{f} must be empty or the mean of {f}_dist on rows {_rows_listing(sel[off])}",
                )
            )
        central[sel] = centrals
        out.append(_RowDist(cls, sel.astype(np.int64), cls.group_parameters(objs)[:, group]))
    return out


def _shorthand_dists(
    outcomes: pd.DataFrame, f: str, central: FloatArray, probs: list[Problem]
) -> list[_RowDist]:
    """``F_low`` / ``F_high`` without ``F_dist``: a triangular with the row's ``F`` as mode."""
    lo_c, hi_c = f"{f}_low", f"{f}_high"
    if not (lo_c in outcomes.columns and hi_c in outcomes.columns):
        probs.append(Problem(("outcomes", f), "missing_column", f"give both {lo_c} and {hi_c}"))
        return []
    lo, bad_lo = _numeric(outcomes[lo_c])
    hi, bad_hi = _numeric(outcomes[hi_c])
    for c, wrong in ((lo_c, bad_lo), (hi_c, bad_hi)):
        if wrong.size:
            probs.append(
                Problem(
                    ("outcomes", c), "type", f"non-numeric values in rows {_rows_listing(wrong)}"
                )
            )
    _too_large(probs, lo, ("outcomes", lo_c))
    _too_large(probs, hi, ("outcomes", hi_c))
    bad = np.flatnonzero(~((lo <= central) & (central <= hi)))
    if bad.size:
        probs.append(
            Problem(
                ("outcomes", f),
                "order",
                f"need {lo_c} <= {f} <= {hi_c} in rows {_rows_listing(bad)}",
            )
        )
        return []
    rule = FIELD_RULES[f]
    if rule.bad(lo).any() or rule.bad(hi).any():
        probs.append(
            Problem(
                ("outcomes", f),
                "out_of_range",
                f"{lo_c}/{hi_c} leave the admissible range of {f}",
            )
        )
    rows = np.flatnonzero(hi > lo)  # rows with low == high are certain
    if not rows.size:
        return []
    params = np.stack([lo[rows], central[rows], hi[rows]])
    return [_RowDist(DISTRIBUTIONS["triangular"], rows.astype(np.int64), params)]


def _prepare(
    outcomes: pd.DataFrame,
    inputs: pd.DataFrame,
    site: str,
    discount: Discount,
    by: Sequence[str],
) -> _Prepared:
    probs: list[Problem] = []
    for name, df in (("outcomes", outcomes), ("inputs", inputs)):
        if not isinstance(df, pd.DataFrame):
            raise ValidationError(f"{name} must be a DataFrame", path=(name,), code="type")
        if site not in df.columns:
            probs.append(Problem((name, site), "missing_column", f"no site column {site!r}"))
    if probs:
        raise ValidationError(probs)
    columns = set(outcomes.columns)
    dist_cols = {f"{f}_dist" for f in ROW_FIELDS} | {
        f"{f}_{p}" for f in ROW_FIELDS for p in _PARAM_NAMES
    }
    allowed = {site, *NUMERIC_COLUMNS, *TEXT_COLUMNS, *by, *dist_cols}
    unknown = [c for c in outcomes.columns if c not in allowed]
    if unknown:
        probs.append(
            Problem(
                ("outcomes",),
                "unknown_column",
                f"unknown columns {unknown}; outcome columns are {', '.join(NUMERIC_COLUMNS)}"
                f", {', '.join(TEXT_COLUMNS)}, F_dist and F_<parameter> for a field F, "
                "the site and by= columns",
            )
        )
    for req in ("quantity", "proxy"):
        if req not in columns:
            probs.append(
                Problem(("outcomes", req), "missing_column", f"column {req!r} is required")
            )
    in_unknown = [c for c in inputs.columns if c not in {site, *INPUT_COLUMNS, *by}]
    if "amount" not in inputs.columns:
        probs.append(
            Problem(("inputs", "amount"), "missing_column", "column 'amount' is required")
        )
    if in_unknown:
        probs.append(Problem(("inputs",), "unknown_column", f"unknown columns {in_unknown}"))
    missing_by = [b for b in by if b not in columns]
    if missing_by:
        probs.append(
            Problem(("by",), "missing_column", f"by= columns {missing_by} are not in the outcomes")
        )
    if any(p.code == "missing_column" for p in probs):
        raise ValidationError(probs)  # the values cannot be checked without these columns

    n = len(outcomes)
    fields: dict[str, FloatArray] = {}
    for f in NUMERIC_COLUMNS:
        default = FIELD_RULES[f].default
        if f not in columns:  # an absent column is its default, never materialised
            fields[f] = np.full(1, np.nan if default is None else default)
            continue
        col, bad_type = _numeric(outcomes[f])
        if bad_type.size:
            probs.append(
                Problem(
                    ("outcomes", f),
                    "type",
                    f"non-numeric values in rows {_rows_listing(bad_type)}",
                )
            )
            col = col.copy()
            col[bad_type] = 0.0  # reported; kept out of the missing-value check below
        _too_large(probs, col, ("outcomes", f))
        fields[f] = col
    dtypes = outcomes.dtypes  # one lookup, not a Series per column
    whole_columns = {
        f
        for f in NUMERIC_COLUMNS
        if f in columns and outcomes.columns.is_unique and pd.api.types.is_integer_dtype(dtypes[f])
    }
    row_dists: dict[str, list[_RowDist]] = {}
    for f in ROW_FIELDS:
        if f"{f}_dist" in columns:
            # central values are filled in below
            fields[f] = np.array(np.broadcast_to(fields[f], (n,)))
            row_dists[f] = _column_dists(outcomes, f, fields[f], probs)
        elif f"{f}_low" in columns or f"{f}_high" in columns:
            fields[f] = np.broadcast_to(fields[f], (n,))
            row_dists[f] = _shorthand_dists(outcomes, f, fields[f], probs)
    for f in NUMERIC_COLUMNS:
        default = FIELD_RULES[f].default
        col = fields[f]
        if col.size < n:
            continue  # the default: admissible by construction
        if _plainly_admissible(f, col, whole=f in whole_columns):
            continue
        missing = np.flatnonzero(np.isnan(col))
        if missing.size:
            # a blank cell is not the default: the model validators refuse NaN too
            hint = (
                ""
                if default is None
                else f"; give every row a value ({default:g} for the default) or leave "
                "the column out"
            )
            probs.append(
                Problem(
                    ("outcomes", f),
                    "missing",
                    f"missing values in rows {_rows_listing(missing)}{hint}",
                )
            )
        uncertain = None
        if row_dists.get(f):
            uncertain = np.zeros(n, dtype=bool)
            for rd in row_dists[f]:
                uncertain[rd.rows] = True
        _check_range(probs, f, col, ("outcomes", f), uncertain)
    linear = np.broadcast_to(_choice(probs, outcomes, "drop_off_method", "compound", "linear"), n)
    site_of_row, sites, runs, no_site = _site_codes(outcomes[site])
    n_sites = len(sites)
    if no_site.size:
        probs.append(
            Problem(("outcomes", site), "missing", f"rows {_rows_listing(no_site)} have no site")
        )
        # each such row is a group of its own for the checks below, never a site
        first = np.unique(site_of_row, return_index=True)[1].astype(np.int64)
    else:
        first = runs if runs is not None else _first_rows(site_of_row, n_sites)
    _check_duplicates(probs, outcomes, site_of_row, n_sites)
    shift = _choice(probs, outcomes, "first_flow_at", "t1", "t0").astype(np.int64)
    for b in (*by, *(["first_flow_at"] if "first_flow_at" in columns else [])):
        varying = _not_constant(outcomes[b], site_of_row, first, runs)
        if varying.size:
            probs.append(
                Problem(
                    ("outcomes", b),
                    "not_constant",
                    f"{b!r} varies within sites {_rows_listing([sites[i] for i in varying])}",
                )
            )
    pv_inputs = _inputs(probs, inputs, site, sites, discount, _take(shift, first))
    if probs:
        raise ValidationError(probs)
    zero = [sites[i] for i in np.flatnonzero(pv_inputs <= 0)]
    if zero:
        raise ValidationError(
            f"{len(zero)} sites have inputs totalling 0: the ratio is "
            f"undefined for {_rows_listing(zero)}",
            path=("inputs", "amount"),
            code="no_inputs",
        )
    price = fields.pop("price_factor")
    start = fields.pop("start_year").astype(np.int64)
    if np.any(price != 1.0):
        fields["proxy"] = fields["proxy"] * price
    return _Prepared(
        sites, site_of_row, fields, linear, start, shift, price, pv_inputs, row_dists, first, runs
    )


def _choice(
    probs: list[Problem], outcomes: pd.DataFrame, name: str, default: str, other: str
) -> _BoolArray:
    """Rows of a two-valued text column that hold ``other`` (an absent column: none)."""
    if name not in outcomes.columns:
        return np.zeros(1, dtype=bool)
    m = outcomes[name]
    hit = (m == other).to_numpy(dtype=bool, na_value=False)
    fine = (m == default).to_numpy(dtype=bool, na_value=False) | m.isna().to_numpy()
    bad = np.flatnonzero(~(hit | fine))
    if bad.size:
        probs.append(
            Problem(
                ("outcomes", name),
                "invalid_choice",
                f"must be {default!r} or {other!r} in rows {_rows_listing(bad)}",
            )
        )
    return hit


def _check_duplicates(
    probs: list[Problem], outcomes: pd.DataFrame, site_of_row: _IntArray, n_sites: int
) -> None:
    """Duplicate site/outcome/stakeholder keys, without building the key strings."""
    key_cols = [c for c in ("outcome", "stakeholder") if c in outcomes.columns]
    if not key_cols:
        return
    key = site_of_row
    dup = np.zeros(0, dtype=bool)
    for c in key_cols:
        codes, m = _codes(outcomes[c])
        key = key * m + codes
        if int(key.max(initial=0)) > 8 * key.size:
            key, _ = pd.factorize(key)  # dense codes 0..m-1 for the count below
        dup = np.bincount(key)[key] > 1
        if not dup.any():
            return  # unique on fewer columns: unique on all
    if dup.any():
        probs.append(
            Problem(
                ("outcomes",),
                "duplicate_key",
                f"duplicate site/{'/'.join(key_cols)} keys in rows "
                f"{_rows_listing(np.flatnonzero(dup))}",
            )
        )


def _inputs(
    probs: list[Problem],
    inputs: pd.DataFrame,
    site: str,
    sites: npt.NDArray[Any],
    discount: Discount,
    site_t0: _IntArray,
) -> FloatArray:
    """Validate the inputs and return each site's present value."""
    if not inputs.columns.is_unique:
        probs.append(Problem(("inputs",), "duplicate_column", "duplicate column names"))
    amount, bad_type = _numeric(inputs["amount"])
    if bad_type.size:
        probs.append(
            Problem(
                ("inputs", "amount"),
                "type",
                f"non-numeric values in rows {_rows_listing(bad_type)}",
            )
        )
    bad_amount = np.setdiff1d(
        np.flatnonzero(~np.isfinite(amount) | FIELD_RULES["amount"].bad(amount)), bad_type
    )
    if bad_amount.size:
        probs.append(
            Problem(
                ("inputs", "amount"),
                "out_of_range",
                f"amounts must be finite and >= 0 in rows {_rows_listing(bad_amount)}",
            )
        )
    _too_large(probs, amount, ("inputs", "amount"))
    years = np.zeros(len(inputs))
    if "year" in inputs.columns:  # optional; a missing year is year 0, like a missing column
        years, bad_year_type = _numeric(inputs["year"])
        years = np.where(inputs["year"].isna().to_numpy(), 0.0, years)
        years[bad_year_type] = np.nan  # a boolean or a date is not a year
    bad_year = np.flatnonzero(~np.isfinite(years) | FIELD_RULES["year"].bad(years))
    if bad_year.size:
        probs.append(
            Problem(
                ("inputs", "year"),
                "not_integer",
                f"years must be whole numbers >= 0 in rows {_rows_listing(bad_year)}",
            )
        )
    labels = inputs[site].to_numpy()
    if (
        labels.shape == sites.shape
        and labels.dtype == sites.dtype
        and (labels.dtype.kind in "iu" or (labels.dtype == object and not pd.isna(labels).any()))
        and np.array_equal(labels, sites)
    ):
        in_pos = np.arange(len(sites), dtype=np.int64)  # the sites, in order: no lookup
    else:
        in_pos = pd.Index(sites).get_indexer(inputs[site]).astype(np.int64)
    has = np.bincount(in_pos[in_pos >= 0], minlength=len(sites)) > 0
    if not has.all():
        no_inputs = [sites[i] for i in np.flatnonzero(~has)]
        probs.append(
            Problem(
                ("inputs", site),
                "no_inputs",
                f"{len(no_inputs)} sites have no inputs: {_rows_listing(no_inputs)}",
            )
        )
    no_site = inputs[site].isna().to_numpy()
    if no_site.any():
        probs.append(
            Problem(
                ("inputs", site),
                "missing",
                f"rows {_rows_listing(np.flatnonzero(no_site))} have no site",
            )
        )
    orphan = (in_pos < 0) & ~no_site
    if orphan.any():
        names = sorted(map(str, pd.unique(inputs[site].to_numpy()[orphan])))
        probs.append(
            Problem(
                ("inputs", site),
                "unknown_site",
                f"inputs for sites with no outcome rows: {_rows_listing(names)}",
            )
        )
    if probs:
        return np.zeros(len(sites))
    t = years.astype(np.int64)
    t = np.where(_take(site_t0, in_pos) == 1, kernel.periods(t, True), t)
    # year-0 inputs (the usual case) are not discounted: skip the powers
    dfs = discount.factors(t) if t.any() else np.ones(t.size)
    pv = np.bincount(in_pos, weights=amount * dfs, minlength=len(sites))
    return np.asarray(pv, dtype=float)


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
    by = list(by or ())
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
    return out


def aggregate(result: pd.DataFrame, by: str | Sequence[str]) -> pd.DataFrame:
    """Totals and value-weighted ratios by group (sector, region, organisation).

    The group ratio is :math:`\\sum_s PV_s / \\sum_s I_s` over the group's sites
    (value-weighted), not the mean of site ratios; ``mean_ratio`` and
    ``median_ratio`` are given beside it, since a few large sites can make the
    two differ.

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
        One row per group, sorted by group: the group columns, ``sites``,
        ``present_value``, ``total_inputs``, ``mean_ratio``, ``median_ratio``,
        ``net_present_value`` and ``ratio`` (value-weighted).

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
    *,
    percentiles: Sequence[float] = (5, 25, 50, 75, 95),
    by: str | Sequence[str] | None = None,
) -> pd.DataFrame:
    """Percentiles of the site ratios, overall or by group.

    Each site counts once, whatever its size (the spread of practice across
    the network, not a value-weighted figure; see :func:`aggregate`).
    Percentiles use :func:`numpy.quantile`'s default linear interpolation.

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
        share the site's value; all sites when omitted.

    Returns
    -------
    dict
        ``site``, ``ratio``, ``percentile`` [0-100], ``peer_median`` (median
        ratio of the peers) and ``peers`` (their number, the site included).

    Raises
    ------
    ValidationError
        When no row of ``result`` has ``site_id`` (code ``unknown_site``).

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
    """Share of the network's present value by stakeholder group.

    Each row's present value is computed as in :func:`row_values` (the same
    kernel as :func:`evaluate`); the shares are
    :math:`PV_g / \\sum_g PV_g` over the whole network.

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
    out = rv.groupby(stakeholder)["present_value"].sum().reset_index()
    total = out["present_value"].sum()
    out["share"] = out["present_value"] / total if total else 0.0
    return out.sort_values("present_value", ascending=False, ignore_index=True)


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

        .. versionchanged:: 0.2
           The per-site table, formerly returned by ``summary``.
        """
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
            whole = len(p.dists[f]) == 1 and rd.rows.size == n_rows
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
        sector-wide proxy uncertainty common to all its sites).
    chunk_size : int, default 256
        Draws evaluated at once, rounded up to a multiple of 256; memory is
        about ``chunk_size × rows of 512 sites × 8`` bytes per array, besides
        the result.
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
        As :func:`evaluate`, and for bad distributions or shared fields.

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
        codes, uniques = pd.factorize(outcomes_df[col], sort=True)
        g = block_generator(root, (1, k))
        mult = dist.draw_group(g, [dist], n * len(uniques)).reshape(n, len(uniques))
        shared_arrays[f] = (codes.astype(np.int64), mult)
    if probs:
        raise ValidationError(probs)
    if correlation:
        _correlate_shared(shared, shared_arrays, correlation, root)
    chunk = -(-int(chunk_size) // DRAW_BLOCK) * DRAW_BLOCK
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
    entropy = root.entropy if isinstance(root.entropy, int) else None
    return PortfolioMonteCarlo(p.sites.tolist(), pv, p.inputs, entropy)


def from_models(models: Mapping[Any, Any]) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Write models as the tidy tables of :func:`evaluate` and :func:`monte_carlo`.

    Parameters
    ----------
    models : mapping of site label to ImpactModel
        One model per site. They share one currency and one certain discount;
        quantities are numbers or distributions (measure calculators first
        with :func:`impactkit.measure.bind`-style evaluation); input amounts
        are certain.

    Returns
    -------
    outcomes_df, inputs_df : DataFrame
        One row per site × outcome with every numeric field (central values),
        ``price_year``, ``price_factor``, ``start_year``, ``first_flow_at``,
        ``drop_off_method``, the text fields, and ``F_dist`` /
        ``F_<parameter>`` columns for the fields that hold distributions; one
        row per site × input. The tables do not carry the discount: pass the
        models' common discount to :func:`evaluate` and :func:`monte_carlo`
        (``discount=next(iter(models.values())).discount``); models with
        different discounts are refused.

    Raises
    ------
    ValidationError
        Models that are not :class:`~impactkit.ImpactModel`, differing
        currencies or discounts, uncertain discount rates or input amounts,
        unmeasured calculators: every problem at once.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="a", inputs=[ik.Input("Grant", amount=10_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=20,
    ...               proxy=ik.dist.LogNormal(1_000, 200), duration=2)])
    >>> out, inp = from_models({"a": m})
    >>> out[["site", "proxy", "proxy_dist", "proxy_mean", "proxy_sd"]]
      site   proxy proxy_dist  proxy_mean  proxy_sd
    0    a  1000.0  lognormal      1000.0     200.0
    >>> res = evaluate(out, inp, discount=m.discount)
    >>> round(float(res["ratio"][0]), 6) == round(ik.sroi(m).ratio, 6)
    True
    """
    from impactkit.model import ImpactModel

    probs: list[Problem] = []
    out_recs: list[dict[str, Any]] = []
    in_recs: list[dict[str, Any]] = []
    first: ImpactModel | None = None
    for site, m in models.items():
        if not isinstance(m, ImpactModel):
            probs.append(Problem(("models", str(site)), "type", "expected an ImpactModel"))
            continue
        if first is None:
            first = m
        shared = {
            "currency": (m.currency, first.currency),
            "discount": (m.discount.describe(), first.discount.describe()),
        }
        for attr, (mine, theirs) in shared.items():  # one of each for the whole network
            if getattr(m, attr) != getattr(first, attr):
                probs.append(
                    Problem(
                        ("models", str(site), attr),
                        f"{attr}_mismatch",
                        f"{mine} differs from {theirs}",
                    )
                )
        if isinstance(m.discount, Constant) and isinstance(m.discount.rate, Distribution):
            probs.append(
                Problem(
                    ("models", str(site), "discount", "rate"),
                    "uncertain_discount",
                    "a portfolio's discount rate must be certain",
                )
            )
        for k, ov in enumerate(m.outcomes):
            rec: dict[str, Any] = {
                "site": site,
                "outcome": ov.outcome,
                "stakeholder": ov.stakeholder,
                "label": ov.label,
                "indicator": ov.indicator,
                "proxy_source": ov.proxy.source,
                "price_year": ov.proxy.year if ov.proxy.year is not None else m.base_year,
                "price_factor": m.proxy_factor(k),
                "start_year": ov.start_year,
                "drop_off_method": ov.drop_off_method,
                "first_flow_at": m.first_flow_at,
            }
            for f in ROW_FIELDS:
                v = ov.proxy.value if f == "proxy" else getattr(ov, f)
                if callable(getattr(v, "compute", None)):
                    probs.append(
                        Problem(
                            ("models", str(site), "outcomes", k, f),
                            "unbound_calculator",
                            f"{f} is measured by a calculator: bind the model to its data first",
                        )
                    )
                    continue
                if isinstance(v, Distribution):
                    rec[f] = v.central
                    rec[f"{f}_dist"] = v.name
                    for key, x in v.to_dict().items():
                        if key != "dist" and x is not None:
                            rec[f"{f}_{key}"] = x
                else:
                    rec[f] = float(v)
            out_recs.append(rec)
        for j, inp in enumerate(m.inputs):
            if isinstance(inp.amount, Distribution):
                probs.append(
                    Problem(
                        ("models", str(site), "inputs", j, "amount"),
                        "uncertain_input",
                        "a portfolio's input amounts are certain",
                    )
                )
                continue
            in_recs.append(
                {
                    "site": site,
                    "label": inp.label,
                    "stakeholder": inp.stakeholder,
                    "amount": float(inp.amount),
                    "year": inp.year,
                    "in_kind": inp.in_kind,
                }
            )
    if probs:
        raise ValidationError(probs)
    base = [
        "site",
        "outcome",
        "stakeholder",
        "label",
        "indicator",
        *ROW_FIELDS,
        "start_year",
        "drop_off_method",
        "price_year",
        "price_factor",
        "proxy_source",
        "first_flow_at",
    ]
    outcomes = pd.DataFrame.from_records(out_recs)
    outcomes = outcomes.reindex(
        columns=base + sorted(c for c in outcomes.columns if c not in base)
    )
    inputs = pd.DataFrame.from_records(
        in_recs, columns=["site", "label", "stakeholder", "amount", "year", "in_kind"]
    )
    return outcomes, inputs
