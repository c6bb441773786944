"""Private helpers that collect validation problems instead of stopping at the first."""

from __future__ import annotations

import difflib
import math
import numbers
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import numpy as np

from impactkit.errors import PathElement, Problem, Severity, ValidationError

__all__ = [
    "Checker",
    "as_float",
    "did_you_mean",
    "identifier",
    "identifier_problem",
    "is_number",
    "require_finite",
]


def did_you_mean(key: object, allowed: Iterable[str]) -> str:
    """`` (did you mean 'year'?)`` when ``key`` is close to an allowed name, else ``""``.

    Examples
    --------
    >>> did_you_mean("yaer", ["value", "year", "source"])
    " (did you mean 'year'?)"
    >>> did_you_mean("zzz", ["value"])
    ''
    """
    close = difflib.get_close_matches(str(key), sorted(allowed), n=1, cutoff=0.6)
    return f" (did you mean {close[0]!r}?)" if close else ""


def is_number(value: object) -> bool:
    """True for real numbers (not booleans), including numpy scalars."""
    return isinstance(value, numbers.Real) and not isinstance(value, bool | np.bool_)


def as_float(value: Any) -> Any:
    """``float(value)`` for a real number a float can hold; anything else as it is.

    Converters use it so that the validator, not an ``OverflowError``, reports
    an integer too large for a float (``10**400``) with its path.
    """
    if not is_number(value):
        return value
    try:
        return float(value)
    except OverflowError:
        return value


def identifier(value: Any) -> Any:
    """An identifier in Unicode normal form C; anything else as it is.

    ``"café"`` typed on macOS (``e`` + combining accent) and on Windows
    (``é``) are the same id once normalised. The converter of every id field
    (stakeholders, nodes, indicators, link ends, value-map rows); the check
    that goes with it is :func:`identifier_problem`.

    Examples
    --------
    >>> identifier("cafe\u0301") == "caf\u00e9"
    True
    """
    if type(value) is str and not value.isascii():
        return unicodedata.normalize("NFC", value)
    return value


# categories of characters that show nothing: controls, format characters (zero-width
# spaces and joiners, bidirectional controls, the soft hyphen), surrogates, line and
# paragraph separators
_INVISIBLE = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
# scripts whose letters look alike (Latin a, Cyrillic а, Greek α, ...)
_CONFUSABLE_SCRIPTS = ("LATIN", "GREEK", "CYRILLIC")


def identifier_problem(value: str) -> str | None:
    """Why an identifier cannot be told apart from another, or None when it can.

    An id holding an invisible character (a zero-width space, a bidirectional
    control, any other format or control character) or mixing Latin, Greek and
    Cyrillic letters (``"еmploi"`` with a Cyrillic ``е``) looks like another id
    while being a different one: two rows of the same outcome would count
    twice.

    Examples
    --------
    >>> identifier_problem("emploi") is None
    True
    >>> print(identifier_problem("\u0435mploi").partition(":")[0])
    mixes Latin and Cyrillic letters ('е' is U+0435 CYRILLIC SMALL LETTER IE)
    >>> print(identifier_problem("emploi\u200b").partition(":")[0])
    holds an invisible character (U+200B ZERO WIDTH SPACE)
    """
    if value.isascii():
        if value.isprintable():
            return None
        bad = next(ch for ch in value if not ch.isprintable())
        return _invisible(bad)
    scripts: dict[str, list[str]] = {}
    for ch in value:
        if unicodedata.category(ch) in _INVISIBLE:
            return _invisible(ch)
        if ch.isalpha():
            script = unicodedata.name(ch, "").partition(" ")[0]
            if script in _CONFUSABLE_SCRIPTS:
                scripts.setdefault(script, []).append(ch)
    if len(scripts) > 1:
        names = sorted(scripts, key=_CONFUSABLE_SCRIPTS.index)
        odd = min(scripts.values(), key=len)[0]  # a letter of the rarest script
        return (
            f"mixes {' and '.join(n.title() for n in names)} letters ({odd!r} is "
            f"U+{ord(odd):04X} {unicodedata.name(odd, '')}): it looks like another id; "
            "write it in one script"
        )
    return None


def _invisible(ch: str) -> str:
    name = unicodedata.name(ch, "") or f"category {unicodedata.category(ch)}"
    return (
        f"holds an invisible character (U+{ord(ch):04X} {name}): it looks like another id; "
        "remove it"
    )


class Checker:
    """Collect problems under a common path prefix, then raise them all at once."""

    def __init__(self, *prefix: PathElement) -> None:
        self.prefix: tuple[PathElement, ...] = prefix
        self.problems: list[Problem] = []

    def add(
        self,
        path: PathElement | Sequence[PathElement],
        code: str,
        message: str,
        severity: Severity = "error",
    ) -> None:
        p = (path,) if isinstance(path, str | int) else tuple(path)
        self.problems.append(Problem((*self.prefix, *p), code, message, severity))

    def extend(self, problems: Sequence[Problem], *prefix: PathElement) -> None:
        self.problems.extend(p.prefixed(*self.prefix, *prefix) for p in problems)

    def number(
        self,
        value: Any,
        path: PathElement | Sequence[PathElement],
        *,
        low: float | None = None,
        high: float | None = None,
        low_open: bool = False,
        integer: bool = False,
    ) -> bool:
        """Check a real, finite number inside ``[low, high]``; True when it passes."""
        if not is_number(value):
            self.add(path, "type", f"expected a number, got {type(value).__name__} {value!r}")
            return False
        try:
            x = float(value)
        except OverflowError:
            self.add(path, "too_large", "the number is too large for a float")
            return False
        if not math.isfinite(x):
            self.add(path, "not_finite", f"expected a finite number, got {x!r}")
            return False
        if integer and x != int(x):
            self.add(path, "not_integer", f"expected a whole number, got {x!r}")
            return False
        shown = int(value) if isinstance(value, numbers.Integral) else x  # -3, not -3.0
        if low is not None and (x < low or (low_open and x == low)):
            bracket = "(" if low_open else "["
            hi = "inf)" if high is None else f"{high:g}]"
            self.add(path, "out_of_range", f"must be in {bracket}{low:g}, {hi}, got {shown!r}")
            return False
        if high is not None and x > high:
            lo = "(-inf" if low is None else f"[{low:g}"
            self.add(path, "out_of_range", f"must be in {lo}, {high:g}], got {shown!r}")
            return False
        return True

    def text(
        self, value: Any, path: PathElement | Sequence[PathElement], *, empty: bool = True
    ) -> bool:
        """Check a string; with ``empty=False`` a blank string is a problem."""
        if not isinstance(value, str):
            self.add(path, "type", f"expected text, got {type(value).__name__} {value!r}")
            return False
        if not empty and not value.strip():
            self.add(path, "empty", "must not be empty")
            return False
        return True

    def ident(
        self, value: Any, path: PathElement | Sequence[PathElement], *, empty: bool = False
    ) -> bool:
        """Check an identifier: text, not blank (unless ``empty``), no invisible or
        mixed-script characters (:func:`identifier_problem`)."""
        if not self.text(value, path, empty=empty):
            return False
        why = identifier_problem(value)
        if why is not None:
            self.add(path, "invalid_identifier", f"the identifier {value!r} {why}")
            return False
        return True

    def choice(
        self, value: Any, path: PathElement | Sequence[PathElement], options: Sequence[object]
    ) -> bool:
        if value not in options:
            opts = ", ".join(repr(o) for o in options)
            self.add(path, "invalid_choice", f"must be one of {opts}, got {value!r}")
            return False
        return True

    @property
    def has_errors(self) -> bool:
        return bool(self.problems) and any(p.severity == "error" for p in self.problems)

    def raise_if_errors(self, cls: type[ValidationError] = ValidationError) -> None:
        if self.problems and self.has_errors:
            raise cls(self.problems)


def require_finite(values: Mapping[str, Any], *prefix: PathElement) -> None:
    """Refuse a result holding NaN or infinity, naming every such field.

    ``values`` maps field names to numbers or arrays (``None`` is skipped). A
    non-finite result means an input overflowed or a formula met a degenerate
    case: it is an error, never a number handed to the user.
    """
    c = Checker(*prefix)
    for name, v in values.items():
        if v is None:
            continue
        arr = np.asarray(v, dtype=float)
        bad = ~np.isfinite(arr)
        if bad.any():
            where = f" in {int(bad.sum())} of {arr.size} values" if arr.ndim else ""
            c.add(
                name,
                "not_finite",
                f"the result is not a finite number{where}: the inputs overflow or are "
                "degenerate; check their magnitudes",
            )
    c.raise_if_errors()
