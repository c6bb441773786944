"""The cattrs converter that maps models to plain data and back, strictly.

Structuring never coerces: a string is not a number, a float is not a whole
year, unknown keys are errors. Every problem is reported with its path.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, cast

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_unstructure_fn, override

from impactkit import discount as _discount
from impactkit._results import jsonable
from impactkit._validation import as_float, did_you_mean, is_number
from impactkit.discount import Constant, Schedule
from impactkit.dist import Distribution
from impactkit.dist import from_dict as dist_from_dict
from impactkit.errors import PathElement, Problem, ValidationError
from impactkit.model._model import ImpactModel, Input, OutcomeValuation
from impactkit.qualitative._records import Engagement, Evidence, from_plain
from impactkit.toc import TheoryOfChange
from impactkit.typing import DeadweightCalculator, MeasureCalculator
from impactkit.valuation import FinancialProxy, PriceIndex

__all__ = ["PRESETS", "make_converter", "problems_from_exception"]

PRESETS: dict[str, Constant | Schedule] = {
    "uk_green_book": _discount.UK_GREEN_BOOK,
    "green_book": _discount.GREEN_BOOK,
    "green_book_health": _discount.GREEN_BOOK_HEALTH,
    "france_2021": _discount.FRANCE_2021,
    "france_2013": _discount.FRANCE_2013,
}
"""Discount presets a model file may name (``discount: green_book``)."""


def _fail(msg: str, code: str = "type") -> ValidationError:
    return ValidationError([Problem((), code, msg)])


def _float(v: Any, _: Any) -> float:
    if not is_number(v):
        raise _fail(f"expected a number, got {type(v).__name__} {v!r}")
    x = as_float(v)
    if not isinstance(x, float):
        raise _fail("the number is too large for a float", "too_large")
    return x


def _int(v: Any, _: Any) -> int:
    if not is_number(v) or not isinstance(as_float(v), float) or float(v) != int(v):
        raise _fail(f"expected a whole number, got {v!r}")
    return int(v)


def _str(v: Any, _: Any) -> str:
    if not isinstance(v, str):
        raise _fail(f"expected text, got {type(v).__name__} {v!r}")
    return v


def _bool(v: Any, _: Any) -> bool:
    if not isinstance(v, bool):
        raise _fail(f"expected true or false, got {v!r}")
    return v


def _number(v: Any, _: Any) -> float | Distribution:
    if isinstance(v, Mapping):
        return dist_from_dict(dict(v))
    return _float(v, None)


def _deadweight(v: Any, _: Any) -> Any:
    if isinstance(v, Mapping) and "estimator" in v:
        from impactkit.registry import default_registry

        deadweight: Any = default_registry("deadweight").get("counterfactual")
        return deadweight.from_dict(dict(v))
    return _number(v, None)


def _quantity(v: Any, _: Any) -> Any:
    if isinstance(v, Mapping) and "calculator" in v:
        from impactkit.registry import default_registry

        return default_registry("outcome").build(v)
    return _number(v, None)


def _unknown_keys(v: Mapping[Any, Any], allowed: Iterable[str], what: str) -> None:
    """Unknown keys are errors, each with its closest allowed name."""
    names = sorted(allowed)
    extra = [k for k in v if k not in names]
    if extra:
        raise ValidationError(
            [
                Problem(
                    (str(k),),
                    "unknown_key",
                    f"unknown key {k!r}{did_you_mean(k, names)}; {what} has keys "
                    f"{', '.join(names)}",
                )
                for k in extra
            ]
        )


def _proxy(v: Any, conv: cattrs.Converter) -> FinancialProxy:
    if not isinstance(v, Mapping):
        return FinancialProxy(_number(v, None))
    if "dist" in v:
        return FinancialProxy(dist_from_dict(dict(v)))
    _unknown_keys(v, (a.name for a in attrs.fields(FinancialProxy)), "a proxy")
    return cast(FinancialProxy, _structure_attrs(conv, v, FinancialProxy))


def _structure_attrs(conv: cattrs.Converter, v: Any, cls: type[Any]) -> Any:
    if not isinstance(v, Mapping):
        raise _fail(f"expected a mapping, got {type(v).__name__}")
    return conv.structure_attrs_fromdict(dict(v), cls)


def _discount_hook(v: Any, _: Any) -> Constant | Schedule:
    if isinstance(v, str):
        if v not in PRESETS:
            raise _fail(
                f"unknown discount preset {v!r}; available: {', '.join(PRESETS)}", "unknown_preset"
            )
        return PRESETS[v]
    if is_number(v):
        return Constant(_float(v, None))
    if not isinstance(v, Mapping):
        raise _fail(f"expected a rate, a preset name or a mapping, got {v!r}")
    keys = set(v)
    if "rate" in keys:
        _unknown_keys(v, ("rate", "name"), "a constant discount")
        return Constant(_number(v["rate"], None), name=_str(v.get("name", ""), None))
    if "bands" in keys:
        _unknown_keys(v, ("bands", "name"), "a discount schedule")
        bands = v["bands"]
        probs = []
        if not isinstance(bands, list | tuple):
            raise ValidationError(
                [Problem(("bands",), "type", "expected a list of [first_year, rate] pairs")]
            )
        for i, b in enumerate(bands):
            if not (isinstance(b, list | tuple) and len(b) == 2 and all(is_number(x) for x in b)):
                probs.append(Problem(("bands", i), "type", "expected [first_year, rate]"))
        if probs:
            raise ValidationError(probs)
        return Schedule(
            tuple((as_float(y), as_float(r)) for y, r in bands),
            name=_str(v.get("name", ""), None),
        )
    _unknown_keys(
        {k: x for k, x in v.items() if k != "name"}, ("rate", "bands"), "a discount mapping"
    )
    raise _fail("a discount mapping needs 'rate' (constant) or 'bands' (schedule)", "missing")


def _toc_hook(v: Any, _: Any) -> TheoryOfChange:
    return TheoryOfChange.from_dict(v)


def _price_index_hook(v: Any, conv: Any) -> PriceIndex:
    if not isinstance(v, Mapping):
        raise _fail(f"expected a mapping, got {type(v).__name__}")
    _unknown_keys(v, ("values", "name", "source"), "a price index")
    vals = v.get("values")
    if not isinstance(vals, Mapping):
        raise ValidationError(
            [Problem(("values",), "type", "expected a mapping of year to index level")]
        )
    probs = []
    clean: dict[int, float] = {}
    for k, x in vals.items():
        # a year is written as digits (JSON keys are text): 2023.7, "yes" or true are refused
        if isinstance(k, int) and not isinstance(k, bool):
            year = k
        elif isinstance(k, str) and k.isascii() and k.isdigit():
            year = int(k)
        else:
            probs.append(
                Problem(("values", str(k)), "type", f"year must be a whole number, got {k!r}")
            )
            continue
        if not is_number(x):
            probs.append(Problem(("values", str(k)), "type", f"expected a number, got {x!r}"))
            continue
        clean[year] = as_float(x)
    if probs:
        raise ValidationError(probs)
    return PriceIndex(
        clean, name=_str(v.get("name", ""), None), source=_str(v.get("source", ""), None)
    )


def _unstructure_number(v: float | Distribution) -> Any:
    return v.to_dict() if isinstance(v, Distribution) else v


def _unstructure_discount(d: Constant | Schedule) -> Any:
    if isinstance(d, Constant):
        out: dict[str, Any] = {"rate": _unstructure_number(d.rate)}
    else:
        out = {"bands": [[y, r] for y, r in d.bands]}
    if d.name:
        out["name"] = d.name
    return out


def _unstructure_price_index(p: PriceIndex) -> Any:
    out: dict[str, Any] = {"values": {int(k): v for k, v in p.values.items()}}
    if p.name:
        out["name"] = p.name
    if p.source:
        out["source"] = p.source
    return out


def make_converter() -> cattrs.Converter:
    """A new converter configured for model files (strict, unknown keys rejected).

    Returns
    -------
    cattrs.Converter
        Structures plain data (as read from a model file) into impactkit
        objects and unstructures them back; distributions are written as
        ``{"dist": name, ...}``.

    Examples
    --------
    >>> conv = make_converter()
    >>> grant = conv.structure({"label": "Dotation ARS", "amount": 120_000.0}, Input)
    >>> grant.amount, grant.year
    (120000.0, 0)
    >>> from impactkit.dist import Uniform
    >>> conv.unstructure(Input("Bénévolat", amount=Uniform(4_000, 8_000)))["amount"]
    {'dist': 'uniform', 'low': 4000.0, 'high': 8000.0}

    Nothing is coerced and unknown keys are errors, each with its path:

    >>> try:
    ...     conv.structure({"label": "Dotation ARS", "amount": "120000", "yaer": 1}, Input)
    ... except Exception as exc:
    ...     for p in problems_from_exception(exc):
    ...         print(p)
    amount: expected a number, got str '120000' [type]
    yaer: unknown key 'yaer' (did you mean 'year'?) [unknown_key]
    """
    conv = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
    conv.register_structure_hook(float, _float)
    conv.register_structure_hook(int, _int)
    conv.register_structure_hook(str, _str)
    conv.register_structure_hook(bool, _bool)
    conv.register_structure_hook(float | Distribution, _number)
    conv.register_structure_hook_func(
        lambda t: t == (float | Distribution | MeasureCalculator), _quantity
    )
    conv.register_structure_hook_func(
        lambda t: t == (float | Distribution | DeadweightCalculator), _deadweight
    )
    conv.register_structure_hook(FinancialProxy, lambda v, _: _proxy(v, conv))
    conv.register_structure_hook(Constant | Schedule, _discount_hook)
    conv.register_structure_hook(TheoryOfChange, _toc_hook)
    conv.register_structure_hook(PriceIndex, _price_index_hook)
    conv.register_structure_hook_func(
        lambda t: t == Mapping[str, Any],
        lambda v, _: dict(v) if isinstance(v, Mapping) else _bad_map(v),
    )
    conv.register_structure_hook_func(lambda t: t == Mapping[str, str], _str_map)

    conv.register_unstructure_hook(float | Distribution, _unstructure_number)
    conv.register_unstructure_hook(Distribution, lambda d: d.to_dict())
    conv.register_unstructure_hook(Constant, _unstructure_discount)
    conv.register_unstructure_hook(Schedule, _unstructure_discount)
    conv.register_unstructure_hook(TheoryOfChange, lambda t: t.to_dict())
    conv.register_unstructure_hook_func(
        lambda t: (
            isinstance(t, type)
            and callable(getattr(t, "compute", None))
            and callable(getattr(t, "to_dict", None))
        ),
        lambda obj: obj.to_dict(),
    )
    conv.register_unstructure_hook(PriceIndex, _unstructure_price_index)
    conv.register_structure_hook(Evidence, lambda v, _: from_plain(v, Evidence))
    conv.register_structure_hook(Engagement, lambda v, _: from_plain(v, Engagement))
    conv.register_unstructure_hook(Evidence, lambda e: e.to_dict())
    conv.register_unstructure_hook(Engagement, lambda e: e.to_dict())
    # read-only mappings and tuples held by a model are written as plain JSON data
    conv.register_unstructure_hook_func(lambda t: t == Mapping[str, Any], jsonable)
    conv.register_unstructure_hook_func(lambda t: t == Mapping[str, str], dict)
    always = {
        "name",
        "currency",
        "base_year",
        "discount",
        "first_flow_at",
        "mode",
        "inputs",
        "outcomes",
        "amount",
        "outcome",
        "quantity",
        "proxy",
        "value",
    }
    for cls in (FinancialProxy, Input, OutcomeValuation, ImpactModel):  # inner classes first
        overrides = {
            a.name: override(omit_if_default=True)
            for a in attrs.fields(cls)
            if a.default is not attrs.NOTHING and a.name not in always
        }
        fn = make_dict_unstructure_fn(cls, conv, **cast(dict[str, Any], overrides))
        conv.register_unstructure_hook(cls, _with_numbers(fn))
    return conv


def _with_numbers(fn: Any) -> Any:
    def unstructure(obj: Any) -> dict[str, Any]:
        out: dict[str, Any] = fn(obj)
        for k, v in out.items():
            if k in ("duration", "year", "start_year") and isinstance(v, float) and v.is_integer():
                out[k] = int(v)
            elif isinstance(v, Distribution) or (
                callable(getattr(v, "compute", None)) and callable(getattr(v, "to_dict", None))
            ):
                out[k] = v.to_dict()
            elif isinstance(v, Constant | Schedule):
                out[k] = _unstructure_discount(v)
        return out

    return unstructure


def _str_map(v: Any, _: Any) -> dict[str, str]:
    if not isinstance(v, Mapping):
        return _bad_map(v)  # type: ignore[no-any-return]
    probs = [
        Problem((str(k),), "type", f"expected text, got {x!r}")
        for k, x in v.items()
        if not isinstance(x, str) or not isinstance(k, str)
    ]
    if probs:
        raise ValidationError(probs)
    return dict(v)


def _bad_map(v: Any) -> Any:
    raise _fail(f"expected a mapping, got {type(v).__name__}")


def problems_from_exception(
    exc: BaseException, path: tuple[PathElement, ...] = ()
) -> Iterator[Problem]:
    """Flatten a cattrs structuring error into impactkit problems with paths."""
    if isinstance(exc, ClassValidationError):
        named, rest = exc.group_exceptions()
        for sub, note in named:
            yield from problems_from_exception(sub, (*path, str(note.name)))
        for sub in rest:
            yield from problems_from_exception(sub, path)
    elif isinstance(exc, IterableValidationError):
        indexed, others = exc.group_exceptions()
        for sub, inote in indexed:
            yield from problems_from_exception(sub, (*path, int(inote.index)))
        for sub in others:
            yield from problems_from_exception(sub, path)
    elif isinstance(exc, ForbiddenExtraKeysError):
        known = [a.name for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        for k in sorted(exc.extra_fields):
            yield Problem((*path, k), "unknown_key", f"unknown key {k!r}{did_you_mean(k, known)}")
    elif isinstance(exc, ValidationError):
        for p in exc.problems:
            yield p.prefixed(*path)
    elif isinstance(exc, KeyError):
        yield Problem(path, "missing", "required field is missing")
    elif isinstance(exc, BaseExceptionGroup):
        for inner in exc.exceptions:
            yield from problems_from_exception(inner, path)
    else:
        yield Problem(path, "invalid", f"{type(exc).__name__}: {exc}")
