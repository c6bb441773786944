"""Row filters expressed as data (never code): ``{"column": ..., "op": ..., "value": ...}``."""

from __future__ import annotations

import datetime as _dt
import numbers
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit._fields import OPS
from impactkit._validation import Checker
from impactkit.errors import ValidationError

__all__ = ["OPS", "Condition", "apply_conditions", "check_comparable", "conditions"]


@attrs.frozen
class Condition:
    """Keep rows where ``column op value``.

    Parameters
    ----------
    column : str
        Column name.
    op : str
        One of :data:`OPS`.
    value : Any
        Right-hand side (a list for ``in`` / ``not_in``; unused by ``notna`` /
        ``isna``).

    Examples
    --------
    >>> df = pd.DataFrame({"site": ["a", "b", "a"], "age": [30, 50, None]})
    >>> Condition("site", "==", "a").mask(df).tolist()
    [True, False, True]
    """

    column: str
    op: str = "=="
    value: Any = None

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.column, "column", empty=False)
        c.choice(self.op, "op", OPS)
        scalar = str | int | float | bool | None
        if self.op in ("in", "not_in"):
            if not isinstance(self.value, list | tuple):
                c.add("value", "type", f"'{self.op}' takes a list of values")
            elif not all(isinstance(v, scalar) for v in self.value):
                c.add("value", "type", f"'{self.op}' takes a list of text, numbers or booleans")
        elif self.op not in ("notna", "isna") and not isinstance(self.value, scalar):
            c.add(
                "value",
                "type",
                f"'{self.op}' compares with one value (text, a number or a boolean), got "
                f"{type(self.value).__name__}; use 'in' for a list",
            )
        if not c.has_errors and self.op not in ("notna", "isna"):
            listed = self.value if self.op in ("in", "not_in") else [self.value]
            if any(_missing(v) for v in listed):
                # a missing value never equals anything: the filter would keep no row (==, in)
                # or every known row (!=, not_in) without saying so
                c.add(
                    "value",
                    "missing",
                    f"'{self.op}' cannot compare with a missing value (None or NaN); "
                    "keep missing rows with op 'isna', known ones with 'notna'",
                )
        if isinstance(self.value, list):
            object.__setattr__(self, "value", tuple(self.value))
        c.raise_if_errors()

    def mask(self, df: pd.DataFrame) -> pd.Series:
        """Boolean mask of the rows kept (missing values never match a comparison).

        A missing value is kept only by ``isna``; ``!=`` and ``not_in``
        reject it as well, so a filter never keeps a row whose value is
        unknown unless it asks for one.

        Parameters
        ----------
        df : pandas.DataFrame
            The rows to filter; it must hold ``column``.

        Returns
        -------
        pandas.Series of bool
            True for the rows kept, on the index of ``df``.

        Raises
        ------
        ValidationError
            When ``column`` is not in ``df`` (code ``missing_column``), or
            when its values cannot be compared with ``value`` (code
            ``type``, e.g. text against a number with ``<``).

        Examples
        --------
        >>> df = pd.DataFrame({"age": [30, 50, None], "site": ["a", None, "b"]})
        >>> Condition("age", ">=", 40).mask(df).tolist()
        [False, True, False]
        >>> Condition("site", "!=", "a").mask(df).tolist()
        [False, False, True]
        >>> Condition("site", "isna").mask(df).tolist()
        [False, True, False]
        """
        if self.column not in df.columns:
            raise ValidationError(
                f"filter column {self.column!r} is not in the data; columns: "
                f"{', '.join(map(str, df.columns))}",
                path=("where",),
                code="missing_column",
            )
        s = df[self.column]
        op = self.op
        if op == "notna":
            return s.notna()
        if op == "isna":
            return s.isna()
        if op in ("==", "!=", "in", "not_in"):
            wanted = list(self.value) if op in ("in", "not_in") else [self.value]
            check_comparable(
                s,
                wanted,
                path=("where",),
                column=self.column,
                what="value",
                parses_dates=op in ("==", "!="),
            )
        if op == "in":
            return s.isin(list(self.value))
        if op == "not_in":
            return ~s.isin(list(self.value)) & s.notna()
        try:
            res = {
                "==": lambda: s == self.value,
                "!=": lambda: (s != self.value) & s.notna(),
                "<": lambda: s < self.value,
                "<=": lambda: s <= self.value,
                ">": lambda: s > self.value,
                ">=": lambda: s >= self.value,
            }[op]()
        except TypeError as exc:
            raise ValidationError(
                f"cannot compare column {self.column!r} with {self.value!r}: {exc}",
                path=("where",),
                code="type",
            ) from exc
        return pd.Series(np.asarray(res, dtype=bool), index=df.index)

    def to_dict(self) -> dict[str, Any]:
        """File form.

        Returns
        -------
        dict
        """
        out: dict[str, Any] = {"column": self.column, "op": self.op}
        if self.op not in ("notna", "isna"):
            out["value"] = list(self.value) if isinstance(self.value, tuple) else self.value
        return out


def _kind(x: Any) -> str:
    """The kind of a value for equality: ``number`` (booleans included), ``text``,
    ``time`` or ``other`` (anything else, never judged)."""
    if isinstance(x, str):
        return "text"
    if isinstance(x, bool | np.bool_ | numbers.Number):
        return "number"
    if isinstance(x, _dt.date | np.datetime64):
        return "time"
    return "other"


def _missing(x: Any) -> bool:
    try:
        return bool(pd.isna(x))
    except (TypeError, ValueError):
        return False


def _column_kinds(s: pd.Series) -> tuple[set[str], list[Any]]:
    """Kinds of the non-missing values of a column and its distinct values (from the
    dtype alone when it tells them)."""
    dt = s.dtype
    if pd.api.types.is_bool_dtype(dt) or pd.api.types.is_numeric_dtype(dt):
        kinds = {"number"}
    elif pd.api.types.is_datetime64_any_dtype(dt):
        kinds = {"time"}
    elif isinstance(dt, pd.StringDtype):
        kinds = {"text"}
    else:
        kinds = set()
    distinct = list(pd.unique(s.dropna().to_numpy()))
    if not distinct:
        return set(), []
    if not kinds:
        kinds = {_kind(x) for x in distinct}
    return kinds, distinct


def _fold(x: str) -> str:
    text = unicodedata.normalize("NFKD", x.strip().casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def check_comparable(
    s: pd.Series,
    values: Sequence[Any],
    *,
    path: tuple[str | int, ...],
    column: str,
    what: str = "values",
    parses_dates: bool = False,
) -> None:
    """Refuse a comparison by equality that can never hold, instead of matching no row.

    A column of text (``"1"``/``"0"``, ``"oui"``/``"non"``: a yes/no answer read
    from a file) never equals the number 1 or ``True``, and a column of numbers
    never equals the text ``"1"``: counting on it would silently give 0 of
    ``n``. So when no non-missing value of the column is of the kind of any of
    ``values`` (number, text or date), this is an error naming the column and
    showing a few of its values. Text is compared exactly; a text value of the
    column that differs from one of ``values`` only in case, accents or
    surrounding spaces (``"Oui "`` for ``"oui"``) is an error too, since those
    rows would silently not count. See docs/methods/measurement.md.

    Parameters
    ----------
    s : pandas.Series
        The column.
    values : sequence
        The values the column is compared with.
    path : tuple
        Path of the offending field (``("values",)``, ``("where",)``).
    column : str
        Name of the column, for the message.
    what : str, default "values"
        Name of ``values`` in the message.
    parses_dates : bool, default False
        True for ``==`` / ``!=``, where pandas reads text compared with a date
        column as a date (membership tests do not).

    Raises
    ------
    ValidationError
        Code ``incomparable`` (no value of the column can equal ``values``) or
        ``near_match`` (the same answer written another way).

    Examples
    --------
    >>> check_comparable(pd.Series(["oui", "non"]), ["oui"], path=("values",), column="q")
    >>> try:
    ...     check_comparable(pd.Series(["1", "0"]), [True], path=("values",), column="q")
    ... except ValidationError as exc:
    ...     print(exc.problems[0].code)
    incomparable
    """
    wanted = [v for v in values if not _missing(v)]
    want_kinds = {_kind(v) for v in wanted}
    if not wanted or "other" in want_kinds:
        return
    if want_kinds == {"number"} and (
        pd.api.types.is_bool_dtype(s.dtype) or pd.api.types.is_numeric_dtype(s.dtype)
    ):
        return  # numbers against numbers: nothing to look at, no pass over the column
    kinds, distinct = _column_kinds(s)
    if not kinds or "other" in kinds:
        return
    shown = ", ".join(repr(x.item() if isinstance(x, np.generic) else x) for x in distinct[:5])
    more = ", ..." if len(distinct) > 5 else ""
    if not kinds & want_kinds and not (parses_dates and {"text", "time"} <= kinds | want_kinds):
        # (== and != parse text compared with dates; membership does not)
        hint = (
            f"; give the {what} as written in the data, e.g. [{shown.split(', ')[0]}]"
            if kinds == {"text"}
            else ""
        )
        plural = {"number": "numbers", "text": "text", "time": "dates"}
        raise ValidationError(
            f"column {column!r} holds {' and '.join(plural[k] for k in sorted(kinds))} "
            f"({shown}{more}), which never equal the {what} {wanted!r} "
            f"({' and '.join(plural[k] for k in sorted(want_kinds))}): no row would "
            f"count{hint}",
            path=path,
            code="incomparable",
        )
    texts = {_fold(v): v for v in wanted if isinstance(v, str)}
    if not texts:
        return
    exact = set(wanted)
    near = [
        (x, texts[_fold(x)])
        for x in distinct
        if isinstance(x, str) and x not in exact and _fold(x) in texts
    ]
    if near:
        pairs = ", ".join(f"{x!r} for {v!r}" for x, v in near[:5])
        raise ValidationError(
            f"column {column!r} holds {pairs}: text is compared exactly, so those rows "
            f"would not count; list every spelling in {what} or clean the column",
            path=path,
            code="near_match",
        )


def conditions(x: Any) -> tuple[Condition, ...]:
    """Normalise ``where``: None, a mapping of column to value (equality), or conditions."""
    if x is None:
        return ()
    if isinstance(x, Condition):
        return (x,)
    if isinstance(x, Mapping):
        if set(x) <= {"column", "op", "value"} and "column" in x:
            return (Condition(**x),)
        return tuple(Condition(str(k), "==", v) for k, v in x.items())
    out = []
    for i, item in enumerate(x):
        if isinstance(item, Condition):
            out.append(item)
        elif isinstance(item, Mapping):
            try:
                out.append(Condition(**item))
            except ValidationError as exc:
                raise exc.prefixed("where", i) from None
            except TypeError as exc:
                raise ValidationError(str(exc), path=("where", i), code="type") from exc
        else:
            raise ValidationError(
                f"expected a condition, got {item!r}", path=("where", i), code="type"
            )
    return tuple(out)


def apply_conditions(df: pd.DataFrame, where: Iterable[Condition]) -> pd.DataFrame:
    """Rows of ``df`` meeting every condition."""
    mask = pd.Series(True, index=df.index)
    for cond in where:
        mask &= cond.mask(df)
    return df.loc[mask]
