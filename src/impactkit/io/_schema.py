"""The JSON Schema of model files (printed by ``impactkit schema``)."""

from __future__ import annotations

from typing import Any

from impactkit._fields import FIELD_RULES
from impactkit.dist import DISTRIBUTIONS
from impactkit.io._converter import PRESETS
from impactkit.io._files import FORMAT_VERSION
from impactkit.measure._filters import OPS
from impactkit.model import EVIDENCE_GRADES, NOTE_FIELDS
from impactkit.qualitative._records import (
    DIRECTIONS,
    ENGAGEMENT_METHODS,
    ENGAGEMENT_STAGES,
    EVIDENCE_KINDS,
)
from impactkit.toc import ASSUMPTION_STATUSES, HORIZONS, LINK_KINDS, NODE_KINDS

__all__ = ["json_schema"]

_NUM = {"type": "number"}
_STR = {"type": "string"}
_NONEMPTY = {"type": "string", "minLength": 1, "pattern": r"\S"}


def _obj(props: dict[str, Any], required: tuple[str, ...] = ()) -> dict[str, Any]:
    out: dict[str, Any] = {"type": "object", "properties": props, "additionalProperties": False}
    if required:
        out["required"] = list(required)
    return out


def _dist_schemas() -> list[dict[str, Any]]:
    params: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
        "fixed": (("value",), ()),
        "uniform": (("low", "high"), ()),
        "triangular": (("low", "mode", "high"), ()),
        "pert": (("low", "mode", "high"), ("lam",)),
        "normal": (("mean", "sd"), ("low", "high")),
        "lognormal": (("mean", "sd"), ()),
        "beta": (("mean", "sd"), ("low", "high")),
    }
    if set(params) != set(DISTRIBUTIONS):  # pragma: no cover - guards future additions
        raise RuntimeError("schema out of date with impactkit.dist")
    out = []
    for name, (req, opt) in params.items():
        props: dict[str, Any] = {"dist": {"const": name}}
        props.update(dict.fromkeys((*req, *opt), _NUM))
        out.append(_obj(props, ("dist", *req)))
    return out


def _qualitative_defs() -> dict[str, Any]:
    ids = {"type": "array", "items": _NONEMPTY}
    date = {"type": "string", "pattern": r"^([0-9]{4}-[0-9]{2}-[0-9]{2})?$"}
    return {
        "evidence": _obj(
            {
                "id": _NONEMPTY,
                "kind": {"enum": list(EVIDENCE_KINDS)},
                "text": _NONEMPTY,
                "stakeholder": _STR,
                "nodes": ids,
                "links": {"type": "array", "items": {"type": "string", "pattern": "^.+->.+$"}},
                "consent": {"type": "boolean"},
                "direction": {"enum": list(DIRECTIONS)},
                "source": _STR,
                "date": date,
                "themes": ids,
                "person": _STR,
                "selection_reason": _STR,
                "significance": _STR,
                "contribution": _STR,
                "substantiation": _STR,
                "driver": _STR,
                "attributed": {"type": ["boolean", "null"]},
            },
            ("id", "kind", "text"),
        ),
        "engagement": _obj(
            {
                "stakeholder": _NONEMPTY,
                "method": {"enum": list(ENGAGEMENT_METHODS)},
                "n": {"type": "integer", "minimum": 1},
                "stage": {"enum": list(ENGAGEMENT_STAGES)},
                "date": date,
                "notes": _STR,
            },
            ("stakeholder", "method", "n", "stage"),
        ),
    }


def ref(name: str) -> dict[str, Any]:
    """A JSON reference to ``$defs/name``."""
    return {"$ref": f"#/$defs/{name}"}


def json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of impactkit model files.

    Returns
    -------
    dict
        The schema; ``$defs`` holds the reusable parts (``number``,
        ``distribution``, ``proxy``, ``input``, ``outcome``, ``discount``,
        ``toc``).

    Examples
    --------
    >>> schema = json_schema()
    >>> schema["$schema"], schema["required"]
    ('https://json-schema.org/draft/2020-12/schema', ['format_version', 'name'])

    Editors and other tools can check a model file against it before impactkit
    reads it, here with the ``jsonschema`` package:

    >>> import jsonschema
    >>> import impactkit as ik
    >>> data = ik.io.to_dict(ik.examples.load_example("protection_enfance", measured=False))
    >>> jsonschema.validate(data, schema)  # a valid file: no error
    >>> data["outcomes"][0]["deadweight"] = 1.4
    >>> try:
    ...     jsonschema.validate(data, schema)
    ... except jsonschema.ValidationError as exc:
    ...     print(list(exc.absolute_path))
    ['outcomes', 0, 'deadweight']
    """

    def field(name: str) -> dict[str, Any]:
        # ranges come from the one table the model validators read
        return {"anyOf": [FIELD_RULES[name].json_schema(), ref("distribution")]}

    fraction = field("deadweight")
    nonneg = field("quantity")
    defs: dict[str, Any] = {
        "distribution": {"oneOf": _dist_schemas()},
        "calculator": {
            "type": "object",
            "required": ["calculator"],
            "description": "A measurement calculator named in the registry, with its "
            "parameters (plugins may add their own).",
            "properties": {
                "calculator": _NONEMPTY,
                "data": {"type": ["string", "null"]},
                "where": {
                    "type": "array",
                    "items": _obj(
                        {"column": _NONEMPTY, "op": {"enum": list(OPS)}, "value": {}}, ("column",)
                    ),
                },
            },
        },
        "number": {"anyOf": [_NUM, ref("distribution")]},
        "proxy": {
            "anyOf": [
                _NUM,
                ref("distribution"),
                _obj(
                    {
                        "value": ref("number"),
                        "currency": {"type": ["string", "null"], "pattern": "^[A-Z]{3}$"},
                        "year": {"type": ["integer", "null"]},
                        "source": _STR,
                        "description": _STR,
                        "unit": _STR,
                        "transfer": _STR,
                        "benefit_in_kind": {"type": "boolean"},
                        "index_rule": _STR,
                    },
                    ("value",),
                ),
            ]
        },
        "input": _obj(
            {
                "label": _NONEMPTY,
                "amount": nonneg,
                "stakeholder": _STR,
                "year": FIELD_RULES["year"].json_schema(),
                "in_kind": {"type": "boolean"},
                "source": _STR,
                "description": _STR,
            },
            ("label", "amount"),
        ),
        "outcome": _obj(
            {
                "outcome": _NONEMPTY,
                "stakeholder": _NONEMPTY,
                "quantity": {"anyOf": [*nonneg["anyOf"], ref("calculator")]},
                "proxy": ref("proxy"),
                "duration": field("duration"),
                "start_year": FIELD_RULES["start_year"].json_schema(),
                "deadweight": fraction,
                "displacement": fraction,
                "attribution": fraction,
                "leakage": fraction,
                "drop_off": fraction,
                "drop_off_method": {"enum": ["compound", "linear"]},
                "label": _STR,
                "indicator": _STR,
                "sources": {
                    "type": "object",
                    "propertyNames": {"enum": list(NOTE_FIELDS)},
                    "additionalProperties": _STR,
                },
                "evidence": {
                    "type": "object",
                    "propertyNames": {"enum": list(NOTE_FIELDS)},
                    "additionalProperties": {"enum": list(EVIDENCE_GRADES)},
                },
            },
            ("outcome", "stakeholder", "quantity", "proxy"),
        ),
        "discount": {
            "anyOf": [
                _NUM,
                {"enum": list(PRESETS)},
                _obj({"rate": ref("number"), "name": _STR}, ("rate",)),
                _obj(
                    {
                        "bands": {
                            "type": "array",
                            "minItems": 1,
                            "items": {
                                "type": "array",
                                "prefixItems": [{"type": "integer", "minimum": 0}, _NUM],
                                "minItems": 2,
                                "maxItems": 2,
                            },
                        },
                        "name": _STR,
                    },
                    ("bands",),
                ),
            ]
        },
        "indicator": _obj(
            {
                "id": _NONEMPTY,
                "label": _NONEMPTY,
                "unit": _STR,
                "direction": {"enum": ["increase", "decrease"]},
                "baseline": {"type": ["number", "string", "null"]},
                "target": {"type": ["number", "string", "null"]},
                "threshold": {"type": ["number", "string", "null"]},
                "timeline": _STR,
                "data_source": _STR,
                "external_ids": {"type": "object", "additionalProperties": _STR},
                "measure": {"anyOf": [ref("calculator"), {"type": "null"}]},
            },
            ("id", "label"),
        ),
        "toc": _obj(
            {
                "name": _NONEMPTY,
                "description": _STR,
                "stakeholders": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _NONEMPTY,
                            "label": _NONEMPTY,
                            "size": {"type": ["integer", "null"], "minimum": 0},
                            "description": _STR,
                            "income": {"type": ["number", "null"], "exclusiveMinimum": 0},
                            "income_group": {"type": ["string", "null"], "minLength": 1},
                        },
                        ("id", "label"),
                    ),
                },
                "nodes": {
                    "type": "array",
                    "items": _obj(
                        {
                            "id": _NONEMPTY,
                            "kind": {"enum": list(NODE_KINDS)},
                            "label": _NONEMPTY,
                            "description": _STR,
                            "stakeholder": {"type": ["string", "null"]},
                            "horizon": {"enum": [*HORIZONS, None]},
                            "indicators": {"type": "array", "items": ref("indicator")},
                            "above_ceiling": {"type": "boolean"},
                            "measure": {"anyOf": [ref("calculator"), {"type": "null"}]},
                        },
                        ("id", "kind", "label"),
                    ),
                },
                "links": {
                    "type": "array",
                    "items": _obj(
                        {
                            "source": _NONEMPTY,
                            "target": _NONEMPTY,
                            "kind": {"enum": list(LINK_KINDS)},
                            "assumptions": {
                                "type": "array",
                                "items": {
                                    "anyOf": [
                                        _NONEMPTY,
                                        _obj(
                                            {
                                                "text": _NONEMPTY,
                                                "status": {"enum": [*ASSUMPTION_STATUSES, None]},
                                            },
                                            ("text",),
                                        ),
                                    ]
                                },
                            },
                            "rationale": _STR,
                            "evidence": {"type": ["integer", "null"], "minimum": 1, "maximum": 5},
                            "confidence": {"type": ["number", "null"], "minimum": 0, "maximum": 1},
                            "lag": {"type": ["number", "null"], "minimum": 0},
                        },
                        ("source", "target"),
                    ),
                },
            }
        ),
    }
    props = {
        "format_version": {"type": "integer", "minimum": 1, "maximum": FORMAT_VERSION},
        "name": _NONEMPTY,
        "currency": {"type": "string", "pattern": "^[A-Z]{3}$"},
        "base_year": {"type": ["integer", "null"]},
        "discount": ref("discount"),
        "toc": {"anyOf": [ref("toc"), {"type": "null"}]},
        "inputs": {"type": "array", "items": ref("input")},
        "outcomes": {"type": "array", "items": ref("outcome")},
        "price_index": {
            "anyOf": [
                {"type": "null"},
                _obj(
                    {
                        "values": {
                            "type": "object",
                            "propertyNames": {"pattern": "^[0-9]{4}$"},
                            "additionalProperties": {"type": "number", "exclusiveMinimum": 0},
                        },
                        "name": _STR,
                        "source": _STR,
                    },
                    ("values",),
                ),
            ]
        },
        "first_flow_at": {"enum": ["t1", "t0"]},
        "mode": {"enum": ["forecast", "evaluative"]},
        "description": _STR,
        "metadata": {"type": "object"},
        "evidence": {"type": "array", "items": ref("evidence")},
        "engagement": {"type": "array", "items": ref("engagement")},
    }
    defs.update(_qualitative_defs())
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"https://impactkit.readthedocs.io/schema/model-v{FORMAT_VERSION}.json",
        "title": "impactkit model file",
        **_obj(props, ("format_version", "name")),
        "$defs": defs,
    }
