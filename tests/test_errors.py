"""The exception family: paths, every problem listed, pickling, docstrings."""

from __future__ import annotations

import inspect
import pickle

import pytest

import impactkit as ik
import impactkit.errors as E
from impactkit.errors import Problem, ValidationError, format_path


def test_format_path():
    assert format_path(("outcomes", 2, "deadweight")) == "outcomes[2].deadweight"
    assert format_path(()) == "$"
    assert format_path(("links", "a->b")) == "links['a->b']"
    assert format_path(("nodes", "class")) == "nodes['class']"


def test_validation_error_lists_every_problem():
    err = ValidationError(
        [
            Problem(("outcomes", 0, "deadweight"), "out_of_range", "must be in [0, 1]"),
            Problem(("inputs", 1, "amount"), "out_of_range", "must be >= 0"),
        ]
    )
    text = str(err)
    assert "2 problems" in text
    assert "outcomes[0].deadweight" in text
    assert "inputs[1].amount" in text
    assert err.paths == ("outcomes[0].deadweight", "inputs[1].amount")
    assert isinstance(err, ValueError)


def test_prefixed():
    err = ValidationError("bad", path=("deadweight",), code="x").prefixed("outcomes", 3)
    assert err.problems[0].location == "outcomes[3].deadweight"


CLASSES = [
    obj
    for _, obj in inspect.getmembers(E, inspect.isclass)
    if issubclass(obj, BaseException) and obj.__module__ == E.__name__
]


@pytest.mark.parametrize("cls", CLASSES, ids=lambda c: c.__name__)
def test_every_exception_pickles_and_is_documented(cls):
    assert cls.__doc__
    if issubclass(cls, ValidationError):
        exc = cls([Problem(("a", 1), "c", "m")])
    elif issubclass(cls, Warning):
        exc = cls("message")
    else:
        exc = cls("message")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is cls
    assert str(back) == str(exc)


def test_leaves_inherit_builtins():
    assert issubclass(E.UnknownNodeError, KeyError)
    assert issubclass(E.CalculatorNotFoundError, LookupError)
    assert issubclass(E.CycleError, E.GraphStructureError)
    assert issubclass(E.EstimationError, E.ImpactkitError)
    assert issubclass(E.ConvergenceWarning, E.ImpactkitWarning)


def test_messages_show_whole_numbers_as_typed_and_use_the_right_article():
    with pytest.raises(ik.ValidationError, match=r"got -3 \["):
        ik.toc.Stakeholder("p", "P", size=-3)
    with pytest.raises(ik.ValidationError, match="not an activity"):
        ik.toc.Node("a", "activity", "a", horizon="short")
