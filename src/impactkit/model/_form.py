"""The model's file form: plain data in and out, versioned and checked field by field.

Text and files (JSON, YAML, size limits, safe loading) are the job of
:mod:`impactkit.io`; this module turns a model into plain data and back.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import cattrs

from impactkit.errors import FileFormatError, Problem, ValidationError
from impactkit.model._converter import make_converter, problems_from_exception
from impactkit.model._model import ImpactModel

__all__ = ["FORMAT_VERSION", "from_dict", "to_dict"]

FORMAT_VERSION = 1
"""Version of the model-file format written by this impactkit."""

_CONVERTER = make_converter()


def to_dict(model: ImpactModel, converter: cattrs.Converter | None = None) -> dict[str, Any]:
    """The model as plain data (the file form), with ``format_version`` first.

    Parameters
    ----------
    model : ImpactModel
        The model to convert.
    converter : cattrs.Converter, optional
        The converter that unstructures the model; default: the module's
        converter, built by :func:`~impactkit.model.make_converter`.

    Returns
    -------
    dict of str to Any
        JSON-ready plain data: ``format_version`` (:data:`FORMAT_VERSION`)
        then the model's fields; distributions, discount conventions,
        calculators and the theory of change are in their file forms.
        :func:`from_dict` rebuilds an equal model from it.

    See Also
    --------
    dumps : The same data as JSON or YAML text.

    Examples
    --------
    >>> import impactkit as ik
    >>> d = to_dict(ik.ImpactModel(name="Foyer"))
    >>> list(d)[:3], d["discount"]
    (['format_version', 'name', 'currency'], {'rate': 0.035})
    >>> model = ik.examples.load_example(measured=False)
    >>> from_dict(to_dict(model)) == model
    True
    """
    conv = converter or _CONVERTER
    data: dict[str, Any] = conv.unstructure(model, ImpactModel)
    return {"format_version": FORMAT_VERSION, **data}


def from_dict(data: Any, converter: cattrs.Converter | None = None) -> ImpactModel:
    """Build a model from plain data (the file form), checking every field.

    Unknown keys are errors; numbers and text are checked strictly (a string
    is never taken for a number).

    Parameters
    ----------
    data : mapping
        The file form, as written by :func:`to_dict` or parsed from a model
        file: a mapping with ``format_version`` and the model's fields.
    converter : cattrs.Converter, optional
        The converter that structures the model; default: the module's
        converter, built by :func:`~impactkit.model.make_converter`.

    Returns
    -------
    ImpactModel
        The model, validated.

    Raises
    ------
    ValidationError
        Every problem at once, each with its path (``outcomes[2].deadweight``).
    FileFormatError
        ``data`` is not a mapping; ``format_version`` is missing, not a
        positive whole number, or newer than :data:`FORMAT_VERSION`.

    Examples
    --------
    >>> import impactkit as ik
    >>> from_dict({"format_version": 1, "name": "Foyer", "discount": 0.025}).discount.rate
    0.025
    >>> try:
    ...     from_dict({"name": "Foyer"})
    ... except ik.errors.FileFormatError as exc:
    ...     print(exc.problems[0].code)
    missing
    """
    if not isinstance(data, Mapping):
        raise FileFormatError(
            f"a model file holds a mapping, got {type(data).__name__}", code="type"
        )
    version = data.get("format_version")
    if "format_version" not in data:
        raise FileFormatError(
            f"missing format_version (this impactkit writes {FORMAT_VERSION})",
            path=("format_version",),
            code="missing",
        )
    if not (isinstance(version, int) and not isinstance(version, bool)) or version < 1:
        raise FileFormatError(
            f"format_version must be a positive whole number, got {version!r}",
            path=("format_version",),
            code="type",
        )
    if version > FORMAT_VERSION:
        raise FileFormatError(
            f"format_version {version} is newer than this impactkit reads "
            f"({FORMAT_VERSION}); upgrade impactkit",
            path=("format_version",),
            code="version",
        )
    body = {k: v for k, v in data.items() if k != "format_version"}
    conv = converter or _CONVERTER
    try:
        return conv.structure(body, ImpactModel)
    except ValidationError:
        raise
    except Exception as exc:
        probs = list(problems_from_exception(exc))
        raise ValidationError(probs or [Problem((), "invalid", str(exc))]) from exc
