"""Row filters expressed as data (never code): ``{"column": ..., "op": ..., "value": ...}``."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit._validation import Checker
from impactkit.errors import ValidationError

__all__ = ["OPS", "Condition", "apply_conditions", "conditions"]

OPS: tuple[str, ...] = ("==", "!=", "<", "<=", ">", ">=", "in", "not_in", "notna", "isna")
"""Operators a condition may use."""


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
