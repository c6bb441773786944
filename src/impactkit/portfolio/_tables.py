"""The portfolio's tidy tables: their columns and their vectorised checks.

The outcome and input columns, the site blocks, and the validation that turns
the tables into the arrays the kernel reads (:func:`_prepare`), every problem
reported at once. See :mod:`impactkit.portfolio`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, cast

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit import kernel
from impactkit._fields import FIELD_RULES
from impactkit._validation import as_float, is_number
from impactkit.discount import Constant, Discount, Schedule
from impactkit.dist import DISTRIBUTIONS, MAX_MAGNITUDE, Distribution
from impactkit.errors import Problem, ValidationError
from impactkit.model import ROW_FIELDS
from impactkit.typing import FloatArray

__all__ = ["NUMERIC_COLUMNS", "SITE_BLOCK"]


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
    if not is_number(discount):  # never a boolean read as a 100 % rate, nor text
        raise ValidationError(
            f"discount must be a rate (a number), a Constant or a Schedule, got {discount!r}",
            path=("discount",),
            code="type",
        )
    return Constant(as_float(discount))


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
    start: _IntArray  # calendar start year, 1 to MAX_START_YEAR
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
        if not df.columns.is_unique:  # a column name must say which values it holds
            twice = sorted({str(c) for c in df.columns[df.columns.duplicated()]})
            probs.append(Problem((name,), "duplicate_column", f"duplicate column names: {twice}"))
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
    # valid inputs are totalled even when the outcomes have problems: listed with them
    zero = [] if pv_inputs is None else [sites[i] for i in np.flatnonzero(pv_inputs <= 0)]
    if zero:
        probs.append(
            Problem(
                ("inputs", "amount"),
                "no_inputs",
                f"{len(zero)} sites have inputs totalling 0: the ratio is "
                f"undefined for {_rows_listing(zero)}",
            )
        )
    if probs or pv_inputs is None:
        raise ValidationError(probs)
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
) -> FloatArray | None:
    """Validate the inputs and return each site's present value.

    None when the amounts or years are invalid; NaN for a site with no inputs
    (a problem of its own). Valid amounts are totalled whatever the other
    problems, so that sites whose inputs total 0 are listed with them.
    """
    known = len(probs)  # the problems of the outcomes, found before
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
    values_ok = len(probs) == known
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
    if not values_ok:
        return None
    known_site = in_pos >= 0
    if not known_site.all():  # inputs of no site or of an unknown one: reported above
        in_pos, amount, years = in_pos[known_site], amount[known_site], years[known_site]
    t = years.astype(np.int64)
    t = np.where(_take(site_t0, in_pos) == 1, kernel.periods(t, True), t)
    # year-0 inputs (the usual case) are not discounted: skip the powers
    dfs = discount.factors(t) if t.any() else np.ones(t.size)
    pv = np.bincount(in_pos, weights=amount * dfs, minlength=len(sites))
    return np.where(has, np.asarray(pv, dtype=float), np.nan)
