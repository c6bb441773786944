"""Exceptions and warnings raised by impactkit.

Every exception impactkit raises on purpose derives from :class:`ImpactkitError`
and from the matching built-in, so existing ``except ValueError`` or
``except KeyError`` clauses keep working.

Validation problems carry a *path* to the offending field, written the way
the model file spells it, e.g. ``outcomes[2].deadweight``.
"""

from __future__ import annotations

import keyword
from collections.abc import Iterable, Sequence
from typing import Literal

import attrs

__all__ = [
    "CalculatorNotFoundError",
    "ConvergenceWarning",
    "CycleError",
    "DanglingLinkError",
    "EstimationError",
    "FileFormatError",
    "GraphStructureError",
    "ImpactkitDeprecationWarning",
    "ImpactkitError",
    "ImpactkitWarning",
    "OutputPathError",
    "OverlapWarning",
    "PathElement",
    "Problem",
    "UnidentifiableError",
    "UnknownNodeError",
    "ValidationError",
    "format_path",
]

PathElement = str | int
Severity = Literal["error", "warning"]


def format_path(path: Sequence[PathElement]) -> str:
    """Render a field path the way a model file spells it.

    Parameters
    ----------
    path : sequence of str or int
        Field names and list indices, outermost first.

    Returns
    -------
    str
        ``outcomes[2].deadweight`` style text; keys that are not plain
        identifiers are quoted (``links['a->b']``). The empty path is ``$``.

    Examples
    --------
    >>> format_path(("outcomes", 2, "deadweight"))
    'outcomes[2].deadweight'
    >>> format_path(("toc", "links", "coaching->sessions"))
    "toc.links['coaching->sessions']"
    """
    out: list[str] = []
    for p in path:
        if isinstance(p, int):
            out.append(f"[{p}]")
        elif not isinstance(p, str):  # a key of another type, from hostile data
            out.append(f"[{p!r}]")
        elif p.isidentifier() and not keyword.iskeyword(p):
            out.append(f".{p}" if out else p)
        else:
            out.append(f"[{p!r}]")
    return "".join(out) if out else "$"


def _path(p: Iterable[PathElement]) -> tuple[PathElement, ...]:
    return tuple(p)


@attrs.frozen
class Problem:
    """One problem found while validating a model, a file or a theory of change.

    Parameters
    ----------
    path : tuple of str or int
        Where the problem is, outermost first (see :func:`format_path`).
    code : str
        A stable machine-readable code, e.g. ``"out_of_range"`` or ``"cycle"``.
    message : str
        What was expected and what was found.
    severity : {"error", "warning"}
        Errors make :meth:`~impactkit.TheoryOfChange.validate` raise; warnings
        are reported but do not.

    Examples
    --------
    A deadweight above 100 % in the third outcome of a model file:

    >>> p = Problem(("outcomes", 2, "deadweight"), "out_of_range", "must be in [0, 1], got 1.2")
    >>> p.location, p.severity
    ('outcomes[2].deadweight', 'error')
    >>> print(p.prefixed("model"))
    model.outcomes[2].deadweight: must be in [0, 1], got 1.2 [out_of_range]

    Every problem of a validation is listed at once, each with its path:

    >>> from impactkit.toc import Stakeholder
    >>> try:
    ...     Stakeholder("familles", label="", size=-3)
    ... except ValidationError as exc:
    ...     print([(q.location, q.code) for q in exc.problems])
    [('label', 'empty'), ('size', 'out_of_range')]
    """

    path: tuple[PathElement, ...] = attrs.field(converter=_path)
    code: str
    message: str
    severity: Severity = "error"

    @property
    def location(self) -> str:
        """The path as text, e.g. ``outcomes[2].deadweight``."""
        return format_path(self.path)

    def prefixed(self, *prefix: PathElement) -> Problem:
        """Return the same problem located under ``prefix``.

        Parameters
        ----------
        *prefix : str or int
            Path elements to put in front, outermost first.

        Returns
        -------
        Problem
        """
        return attrs.evolve(self, path=(*prefix, *self.path))

    def __str__(self) -> str:
        return f"{self.location}: {self.message} [{self.code}]"


class ImpactkitError(Exception):
    """Root of every exception impactkit raises on purpose."""


class ValidationError(ImpactkitError, ValueError):
    """Invalid input, with every problem found listed at once.

    Parameters
    ----------
    problems : Problem, str or iterable of Problem
        The problems. A plain message becomes one problem at ``path``.
    path : sequence of str or int, optional
        Location of a plain-message problem.
    code : str, optional
        Code of a plain-message problem.

    Attributes
    ----------
    problems : tuple of Problem
        Every problem, errors and warnings, in the order found.

    Examples
    --------
    >>> err = ValidationError([Problem(("outcomes", 2, "deadweight"), "out_of_range",
    ...                                "must be in [0, 1], got 1.4")])
    >>> print(err)
    1 problem:
      - outcomes[2].deadweight: must be in [0, 1], got 1.4 [out_of_range]
    """

    def __init__(
        self,
        problems: Problem | str | Iterable[Problem],
        path: Sequence[PathElement] = (),
        code: str = "invalid",
    ) -> None:
        if isinstance(problems, str):
            probs: tuple[Problem, ...] = (Problem(tuple(path), code, problems),)
        elif isinstance(problems, Problem):
            probs = (problems,)
        else:
            probs = tuple(problems)
        super().__init__(probs)
        self.problems = probs

    @property
    def errors(self) -> tuple[Problem, ...]:
        """The problems of severity ``"error"``."""
        return tuple(p for p in self.problems if p.severity == "error")

    @property
    def paths(self) -> tuple[str, ...]:
        """The location of every problem, as text."""
        return tuple(p.location for p in self.problems)

    def prefixed(self, *prefix: PathElement) -> ValidationError:
        """Return a copy of this error with every path placed under ``prefix``.

        Parameters
        ----------
        *prefix : str or int
            Path elements to put in front, outermost first.

        Returns
        -------
        ValidationError
            Of the same class.
        """
        return type(self)([p.prefixed(*prefix) for p in self.problems])

    def __reduce__(self) -> tuple[type[ValidationError], tuple[tuple[Problem, ...]]]:
        return (type(self), (self.problems,))

    def __str__(self) -> str:
        n = len(self.problems)
        head = f"{n} problem{'s' if n != 1 else ''}:"
        return "\n".join([head, *(f"  - {p}" for p in self.problems)])


class FileFormatError(ValidationError):
    """A model file that cannot be read: syntax, size, version or unsafe content.

    Parameters
    ----------
    problems : Problem, str or iterable of Problem
        As for :class:`ValidationError`.
    path : sequence of str or int, optional
        Location of a plain-message problem.
    code : str, optional
        Code of a plain-message problem.
    """


class GraphStructureError(ValidationError):
    """A theory of change whose structure breaks a rule (see docs/guide/theory_of_change.md).

    Parameters
    ----------
    problems : Problem, str or iterable of Problem
        As for :class:`ValidationError`.
    path : sequence of str or int, optional
        Location of a plain-message problem.
    code : str, optional
        Code of a plain-message problem.
    """


class CycleError(GraphStructureError):
    """A cycle made of links that are not all typed ``feedback``.

    Parameters
    ----------
    problems : Problem, str or iterable of Problem
        As for :class:`ValidationError`.
    path : sequence of str or int, optional
        Location of a plain-message problem.
    code : str, optional
        Code of a plain-message problem.
    """


class DanglingLinkError(GraphStructureError):
    """A link that points to a node that does not exist.

    Parameters
    ----------
    problems : Problem, str or iterable of Problem
        As for :class:`ValidationError`.
    path : sequence of str or int, optional
        Location of a plain-message problem.
    code : str, optional
        Code of a plain-message problem.
    """


class UnknownNodeError(ValidationError, KeyError):
    """A node, stakeholder or outcome id that the theory of change does not have.

    Parameters
    ----------
    problems : Problem, str or iterable of Problem
        As for :class:`ValidationError`.
    path : sequence of str or int, optional
        Location of a plain-message problem.
    code : str, optional
        Code of a plain-message problem.
    """

    def __str__(self) -> str:
        return ValidationError.__str__(self)


class UnidentifiableError(ImpactkitError):
    """An effect that cannot be identified from the stated assumptions."""


class CalculatorNotFoundError(ImpactkitError, LookupError):
    """A calculator name that no registry knows; the message lists the available names."""


class EstimationError(ImpactkitError, ValueError):
    """An estimator that cannot produce a trustworthy number from the data given."""


class OutputPathError(ImpactkitError, OSError):
    """An output path impactkit refuses to write: not absent and not a regular file.

    A directory, a symbolic link, a named pipe, a socket or a device at the
    path is never replaced nor written through; nothing is written.

    Examples
    --------
    >>> import os, tempfile, impactkit as ik
    >>> model = ik.examples.load_example("insertion_iae")
    >>> with tempfile.TemporaryDirectory() as d:
    ...     os.mkdir(os.path.join(d, "model.json"))
    ...     try:
    ...         ik.io.dump(model, os.path.join(d, "model.json"))
    ...     except OutputPathError as exc:
    ...         print("refused:", "is a directory" in str(exc))
    refused: True
    """


class ImpactkitWarning(UserWarning):
    """A problem the user can act on, which does not stop the computation."""


class ConvergenceWarning(ImpactkitWarning):
    """An iterative solver stopped before reaching its tolerance."""


class OverlapWarning(ImpactkitWarning):
    """Propensity scores close to 0 or 1: treated and control units barely overlap.

    Where the scores reach 0.01 or 0.99, a few units carry weights above 100 or
    have no comparable counterpart in the other arm. Issued by the
    propensity-score estimators when at least 1 % of the units have scores
    beyond 0.01 or 0.99 on the side that matters for the estimand (either side
    for the ATE, above 0.99 for the ATT, below 0.01 for the ATC), or when an
    arm's effective sample size falls below a tenth of its number of units (or
    of the target population's, when smaller).

    The estimate's ``diagnostics["overlap"]`` gives the range of the scores, the
    units outside [0.01, 0.99] and [0.1, 0.9], and
    ``diagnostics["effective_sample_size"]`` the effective size of each arm.
    Trimming (``trim=(0.1, 0.9)``, Crump et al. 2009) restricts the estimate to
    the region of overlap.
    """


class ImpactkitDeprecationWarning(ImpactkitWarning, DeprecationWarning):
    """A name or behaviour scheduled for removal."""
