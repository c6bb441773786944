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

Every result also displays itself the same way (:func:`displayed`): a short
one-line ``repr`` with its headline figures, and in notebooks an HTML table of
its summary, headline figures first. A result type names its headline figures
once, by the labels of its summary lines; there is no display code per type.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar, cast, overload, runtime_checkable

import attrs
import numpy as np
import pandas as pd

__all__ = [
    "DEFAULT_LEVEL",
    "REPR_LIMIT",
    "FrozenDict",
    "Record",
    "Result",
    "Summary",
    "displayed",
    "freeze",
    "html_table",
    "jsonable",
    "short_repr",
]

DEFAULT_LEVEL = 0.95
"""The one default of every ``level`` argument (confidence and Monte Carlo intervals).

Estimators' confidence intervals (``interval``, ``ci``), measurement intervals
and Monte Carlo intervals (``interval``) all default to 95 %. Another level is
always asked for by name (``mc.interval(0.90)``); summaries that show another
range say which (the Monte Carlo summary prints the 90 % range P5-P95).
"""

K = TypeVar("K")
V = TypeVar("V")
T = TypeVar("T")

REPR_LIMIT = 200
"""Every result's ``repr`` is one line shorter than this many characters."""

HTML_ROWS = 20
"""Rows of a summary's table shown in a notebook; the rest are counted, not shown."""


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
        return html_table(self)


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


def _one_line(text: str, limit: int) -> str:
    """``text`` on one line (runs of white space become one space), cut to ``limit``."""
    flat = " ".join(str(text).split())
    return flat if len(flat) <= limit else flat[: max(limit - 1, 0)] + "\u2026"


def _split(
    lines: Sequence[tuple[str, str]], headline: Sequence[str]
) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The summary lines named by ``headline``, in its order; then the rest.

    A name picks the line with that label, else the first whose label starts
    with it, else the first whose label contains it (``"interval"`` finds
    ``"95% interval"`` whatever the level).
    """
    first: list[tuple[str, str]] = []
    for want in headline:
        free = [line for line in lines if line not in first]
        for test in (str.__eq__, str.startswith, str.__contains__):
            hit = next((line for line in free if test(line[0], want)), None)
            if hit is not None:
                first.append(hit)
                break
    return first, [line for line in lines if line not in first]


def short_repr(
    kind: str, lines: Sequence[tuple[str, str]], *, headline: Sequence[str] = (), most: int = 3
) -> str:
    """One line naming ``kind`` and its headline figures, under :data:`REPR_LIMIT` characters.

    Parameters
    ----------
    kind : str
        The type's name, written first.
    lines : sequence of (str, str)
        Label and formatted value of each figure (a summary's lines).
    headline : sequence of str, optional
        Labels (or starts or parts of labels) of the figures to show; without
        them, the first lines are shown.
    most : int, default 3
        How many figures to show without ``headline``; figures that do not fit
        in the line are left out.

    Returns
    -------
    str
        ``<kind: label value; label value>``.

    Examples
    --------
    >>> short_repr("SROIResult", [("Present value", "10.00 EUR"), ("SROI ratio", "2.00 : 1")],
    ...            headline=["SROI ratio", "Present"])
    '<SROIResult: SROI ratio 2.00 : 1; Present value 10.00 EUR>'
    """
    first, rest = _split(lines, headline)
    shown = first if first else rest[: max(most, 0)]
    head = f"<{_one_line(kind, 60)}"
    parts: list[str] = []
    room = REPR_LIMIT - 1 - len(head) - 2
    for label, value in shown:
        part = f"{_one_line(label, 40)} {_one_line(value, 60)}"
        cost = len(part) + (2 if parts else 0)
        if cost > room:
            break
        parts.append(part)
        room -= cost
    return f"{head}: {'; '.join(parts)}>" if parts else f"{head}>"


def html_table(summary: Summary, *, headline: Sequence[str] = (), rows: int = HTML_ROWS) -> str:
    """A summary as one compact HTML table, its headline figures first; all text escaped.

    Parameters
    ----------
    summary : Summary
        What to show.
    headline : sequence of str, optional
        Labels (or starts or parts of labels) of the figures shown first, in bold.
    rows : int, default 20
        Rows of the summary's table shown; the others are counted under it.

    Returns
    -------
    str
        An HTML fragment: the title, a table of the figures, then the
        summary's own table (if any).

    Examples
    --------
    >>> html_table(Summary("A & B", (("Ratio", "<2>"),)))  # doctest: +ELLIPSIS
    '<div class="impactkit-summary"><h4>A &amp; B</h4><table><tbody><tr>...&lt;2&gt;...'
    """
    import html

    first, rest = _split(summary.lines, headline)
    lead = set(first)
    body = "".join(
        f'<tr><th style="text-align:left">{html.escape(k)}</th>'
        + (
            f"<td><strong>{html.escape(v)}</strong></td>"
            if (k, v) in lead
            else f"<td>{html.escape(v)}</td>"
        )
        + "</tr>"
        for k, v in first + rest
    )
    out = [
        f'<div class="impactkit-summary"><h4>{html.escape(summary.title)}</h4>',
        f"<table><tbody>{body}</tbody></table>",
    ]
    if summary.table is not None:
        frame = summary.table
        shown = frame.head(max(rows, 0))
        out.append(shown.to_html(index=False, escape=True, border=0, max_cols=20))
        if len(frame) > len(shown):
            out.append(f"<p>{len(frame) - len(shown)} more rows: use to_frame()</p>")
    out.append("</div>")
    return "".join(out)


@overload
def displayed(cls: type[T], /) -> type[T]: ...


@overload
def displayed(*, headline: Sequence[str] = ...) -> Callable[[type[T]], type[T]]: ...


def displayed(
    cls: type[T] | None = None, /, *, headline: Sequence[str] = ()
) -> type[T] | Callable[[type[T]], type[T]]:
    """Give a result type its short ``repr`` and its notebook display (a class decorator).

    Put it above ``@attrs.frozen``: it replaces the ``repr`` attrs wrote (every
    field, often thousands of characters) with :func:`short_repr` of the
    result's summary, and adds ``_repr_html_``, the summary as an HTML table
    (:func:`html_table`), headline figures first.

    Parameters
    ----------
    cls : type, optional
        The result type (when used without arguments).
    headline : sequence of str, optional
        The labels (or starts or parts of labels) of the summary lines that are the
        type's headline figures, most important first; by default the first
        lines of the summary.

    Returns
    -------
    type or callable
        The same class, with ``__repr__`` and ``_repr_html_``.

    Examples
    --------
    >>> import attrs
    >>> @displayed(headline=["Ratio"])
    ... @attrs.frozen
    ... class R:
    ...     ratio: float
    ...     def summary(self) -> Summary:
    ...         return Summary("R", (("Draws", "10"), ("Ratio", f"{self.ratio:.2f}")))
    >>> R(2.0)
    <R: Ratio 2.00>
    """
    wanted = tuple(headline)

    def install(klass: type[T]) -> type[T]:
        def __repr__(self: Any) -> str:
            try:
                s = self.summary()
            except Exception:  # a repr never fails
                return f"<{type(self).__name__}>"
            return short_repr(type(self).__name__, s.lines, headline=wanted)

        def _repr_html_(self: Any) -> str:
            return html_table(self.summary(), headline=wanted)

        __repr__.__qualname__ = f"{klass.__qualname__}.__repr__"
        _repr_html_.__qualname__ = f"{klass.__qualname__}._repr_html_"
        klass.__repr__ = __repr__  # type: ignore[method-assign]
        setattr(klass, "_repr_html_", _repr_html_)  # noqa: B010
        setattr(klass, "_display_headline", wanted)  # noqa: B010
        return klass

    return install if cls is None else install(cls)


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
