"""The result contract shared by every result type, in a neutral module.

Every public result of impactkit is a frozen value with three methods:

- ``to_frame()``: a pandas DataFrame of its main table;
- ``to_dict()``: plain JSON-ready data (no NaN, no numpy types);
- ``summary()``: a :class:`Summary` for people (text, and HTML in notebooks).

This module holds the :class:`Summary` value, the :class:`Result` protocol the
common checks test against, a read-only hashable mapping (:class:`FrozenDict`)
for the mappings results carry, and :func:`jsonable`, the one conversion to
JSON-ready data. It imports nothing from the rest of impactkit, so any layer
may use it.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Any, Protocol, TypeVar, cast, runtime_checkable

import attrs
import numpy as np
import pandas as pd

__all__ = ["DEFAULT_LEVEL", "FrozenDict", "Record", "Result", "Summary", "freeze", "jsonable"]

DEFAULT_LEVEL = 0.95
"""The one default of every ``level`` argument (confidence and Monte Carlo intervals).

Estimators' confidence intervals (``conf_int``, ``ci``), measurement intervals
and Monte Carlo intervals (``interval``) all default to 95 %. Another level is
always asked for by name (``mc.interval(0.90)``); summaries that show another
range say which (the Monte Carlo summary prints the 90 % range P5-P95).
"""

K = TypeVar("K")
V = TypeVar("V")


@attrs.frozen
class Summary:
    """A human-readable summary: ``str()`` gives text, notebooks show HTML.

    Parameters
    ----------
    title : str
        Heading of the summary.
    lines : tuple of (str, str)
        Label and formatted value of each headline figure.
    table : pandas.DataFrame, optional
        A table shown under the headline figures.

    Examples
    --------
    >>> s = Summary("Result", (("Ratio", "3.2"),))
    >>> print(s)
    Result
    ======
    Ratio  3.2
    """

    title: str
    lines: tuple[tuple[str, str], ...]
    table: pd.DataFrame | None = attrs.field(default=None, eq=False)

    def as_text(self) -> str:
        """Plain-text rendering.

        Returns
        -------
        str
            The title, underlined, then one aligned line per figure and the table.
        """
        width = max((len(k) for k, _ in self.lines), default=0)
        out = [self.title, "=" * len(self.title)]
        out += [f"{k.ljust(width)}  {v}" for k, v in self.lines]
        if self.table is not None:
            out += ["", self.table.to_string(index=False)]
        return "\n".join(out)

    def __str__(self) -> str:
        return self.as_text()

    def _repr_html_(self) -> str:
        import html

        rows = "".join(
            f"<tr><th>{html.escape(k)}</th><td>{html.escape(v)}</td></tr>" for k, v in self.lines
        )
        table = "" if self.table is None else self.table.to_html(index=False)
        return f"<h4>{html.escape(self.title)}</h4><table>{rows}</table>{table}"


@runtime_checkable
class Result(Protocol):
    """The contract every public result type honours.

    ``to_dict`` is JSON-ready (``json.dumps(r.to_dict(), allow_nan=False)``
    succeeds); results are frozen and hashable.
    """

    def to_frame(self) -> pd.DataFrame:
        """The main table of the result, tidy and never rounded."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data."""

    def summary(self) -> Summary:
        """Headline figures for people."""


class Record:
    """Mixin giving the result contract to a result made of plain fields.

    ``to_dict`` holds every attrs field by name, ``to_frame`` is that one row,
    and ``summary`` lists the fields. Results with tables define their own.
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            Every field by name.
        """
        return dict(jsonable(attrs.asdict(cast(Any, self), recurse=False)))

    def to_frame(self) -> pd.DataFrame:
        """The result as a one-row table.

        Returns
        -------
        pandas.DataFrame
            One column per field.
        """
        return pd.DataFrame([self.to_dict()])

    def summary(self) -> Summary:
        """Every field, for people.

        Returns
        -------
        Summary
        """
        lines = tuple(
            (k.replace("_", " ").capitalize(), _text(v)) for k, v in self.to_dict().items()
        )
        return Summary(type(self).__name__, lines)


def _text(v: Any) -> str:
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


def _hash_value(v: Any) -> Any:
    """A hashable stand-in for a value held by a result mapping."""
    if isinstance(v, np.ndarray):
        return ("ndarray", v.dtype.str, v.shape, v.tobytes())
    if isinstance(v, pd.DataFrame | pd.Series):
        return ("pandas", pd.util.hash_pandas_object(v, index=True).to_numpy().tobytes())
    if isinstance(v, list | tuple):
        return tuple(_hash_value(x) for x in v)
    if isinstance(v, dict | FrozenDict):
        return tuple(sorted((str(k), _hash_value(x)) for k, x in v.items()))
    try:
        hash(v)
    except TypeError:
        return repr(v)
    return v


class FrozenDict(Mapping[K, V]):
    """A read-only, hashable mapping (results hold these instead of dicts).

    Parameters
    ----------
    data : mapping, optional
        The items to hold; nested dicts and lists are frozen too (see :func:`freeze`).

    Examples
    --------
    >>> d = FrozenDict({"a": 1})
    >>> d["a"], hash(d) == hash(FrozenDict({"a": 1}))
    (1, True)
    """

    __slots__ = ("_d", "_h")

    def __init__(self, data: Mapping[K, V] | None = None) -> None:
        self._d: dict[K, V] = {k: freeze(v) for k, v in (data or {}).items()}
        self._h: int | None = None

    def __getitem__(self, key: K) -> V:
        return self._d[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._d)

    def __len__(self) -> int:
        return len(self._d)

    def __hash__(self) -> int:
        if self._h is None:
            self._h = hash(_hash_value(self._d))
        return self._h

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            try:
                return bool(self._d == dict(other))
            except (TypeError, ValueError):  # arrays or frames inside compare element-wise
                return bool(_hash_value(dict(self._d)) == _hash_value(dict(other)))
        return NotImplemented

    def __repr__(self) -> str:
        return f"FrozenDict({self._d!r})"


def freeze(value: Any) -> Any:
    """Return a read-only version of ``value``: dicts become :class:`FrozenDict`.

    Lists become tuples; numpy arrays are copied and marked read-only; other
    values are returned as they are.

    Parameters
    ----------
    value : object
        The value to freeze.

    Returns
    -------
    object
        The frozen value.

    Examples
    --------
    >>> freeze({"a": [1, 2]})
    FrozenDict({'a': (1, 2)})
    """
    if isinstance(value, FrozenDict):
        return value
    if isinstance(value, Mapping):
        return FrozenDict(value)
    if isinstance(value, list):
        return tuple(freeze(v) for v in value)
    if isinstance(value, np.ndarray) and value.flags.writeable:
        out = value.copy()
        out.flags.writeable = False
        return out
    return value


def jsonable(value: Any) -> Any:
    """Convert ``value`` to JSON-ready data: the one conversion every ``to_dict`` uses.

    numpy scalars and arrays become Python numbers and lists, DataFrames become
    lists of records, tuples become lists, mappings become dicts with string
    keys; a non-finite float becomes ``None`` (JSON has no NaN).

    Parameters
    ----------
    value : object
        The value to convert.

    Returns
    -------
    object
        Data made of dict, list, str, int, float, bool and None only.

    Examples
    --------
    >>> import numpy as np
    >>> jsonable({"a": np.array([1.0, np.nan]), "b": (np.int64(2),)})
    {'a': [1.0, None], 'b': [2]}
    """
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, np.bool_):
        return bool(value)
    if isinstance(value, int | np.integer):
        return int(value)
    if isinstance(value, float | np.floating):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.ndarray):
        return [jsonable(v) for v in value.tolist()]
    if isinstance(value, pd.DataFrame):
        return [jsonable(r) for r in value.to_dict(orient="records")]
    if isinstance(value, pd.Series):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, Mapping):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if attrs.has(type(value)):
        to_dict = getattr(value, "to_dict", None)
        if callable(to_dict):
            return jsonable(to_dict())
        return jsonable(attrs.asdict(value, recurse=False))
    return str(value)
