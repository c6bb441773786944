"""numpydoc validation of the whole public API (found dynamically, so new objects are checked).

Every public function, class and public method of every public module passes the
numpydoc checks in ``CHECKS``, and every public function and class has an Examples
section (run by the doctests of ``src/impactkit``).
"""

from __future__ import annotations

import inspect

import pytest
from numpydoc.validate import validate

from public import public_members, public_methods

CHECKS = {
    "GL08": "the object has a docstring",
    "SS01": "it has a summary line",
    "PR01": "every parameter is documented",
    "PR02": "no documented parameter is unknown",
    "RT01": "a Returns section",
}


def public_objects():
    """Qualified names of every public function, class and public method."""
    seen: dict[int, str] = {}
    for _, _, obj in public_members():
        seen.setdefault(id(obj), f"{obj.__module__}.{obj.__qualname__}")
        if inspect.isclass(obj):
            for attr, member in public_methods(obj):
                seen.setdefault(id(member), f"{obj.__module__}.{obj.__qualname__}.{attr}")
    return sorted(set(seen.values()))


def failures(name):
    return sorted({code for code, _ in validate(name)["errors"] if code in CHECKS})


OBJECTS = public_objects()
TOP_LEVEL = sorted(
    {
        f"{obj.__module__}.{obj.__qualname__}"
        for _, _, obj in public_members()
        if not (inspect.isclass(obj) and issubclass(obj, BaseException | Warning))
    }
)


@pytest.mark.parametrize("name", OBJECTS)
def test_numpydoc(name):
    codes = failures(name)
    assert not codes, f"{name}: {', '.join(f'{c} ({CHECKS[c]})' for c in codes)}"


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_has_examples(name):
    """Public functions and classes show their use in an Examples section (run as a
    doctest); a class's example stands for its methods; exceptions are exempt."""
    missing = "EX01" in {code for code, _ in validate(name)["errors"]}
    assert not missing, f"{name}: no Examples section (a doctest that runs)"
