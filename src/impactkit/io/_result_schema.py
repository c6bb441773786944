"""JSON Schemas of the results' ``to_dict()`` (printed by ``impactkit schema --result NAME``).

One generator reads each result class: its attrs fields and their type
annotations give the properties (a ``float`` is a number or ``null``, since
``to_dict`` turns a non-finite value into ``null``; a table is a list of
records; an array a list of numbers; a nested result its own schema). Where a
result's ``to_dict`` writes something else than its fields (a summary instead
of the draws, tables under other names), :data:`_SHAPES` says so, next to the
name the result is published under. Every schema is closed
(``additionalProperties: false``), so a key added to a ``to_dict`` without its
schema fails the tests that validate every example result.
"""

from __future__ import annotations

import functools
import importlib
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit.errors import ValidationError

__all__ = ["RESULT_SCHEMAS", "result_schema"]

_DIALECT = "https://json-schema.org/draft/2020-12/schema"
_BASE = "https://impactkit.readthedocs.io/schema/result"

RESULT_SCHEMAS: dict[str, str] = {
    "sroi": "impactkit.methods._sroi:SROIResult",
    "lineage": "impactkit.methods._sroi:Lineage",
    "monte_carlo": "impactkit.uncertainty._monte_carlo:MonteCarloResult",
    "evaluation": "impactkit.pipeline:Evaluation",
    "report": "impactkit.report._render:ReportContent",
    "cba": "impactkit.methods._cba:CBAResult",
    "avoided_costs": "impactkit.methods._avoided:AvoidedCostsResult",
    "cost_per_outcome": "impactkit.methods._cea:CostPerOutcome",
    "contract": "impactkit.methods._contract:ContractResult",
    "contract_simulation": "impactkit.methods._contract:ContractSimulation",
    "weighted_outcomes": "impactkit.methods._weighted:WeightedOutcomes",
    "effect": "impactkit.attribution._core:EffectEstimate",
    "deadweight": "impactkit.attribution._contribution:DeadweightEstimate",
    "shapley": "impactkit.attribution._contribution:ShapleyResult",
    "contribution_story": "impactkit.attribution._evidence:ContributionStory",
    "staggered": "impactkit.attribution._staggered:StaggeredResult",
    "event_study": "impactkit.attribution._event_study:EventStudyResult",
    "bacon": "impactkit.attribution._event_study:BaconDecomposition",
    "wild_cluster": "impactkit.attribution._wild:WildClusterResult",
    "measure": "impactkit.measure._calculators:MeasureResult",
    "reliable_change": "impactkit.measure._reliable_change:ReliableChangeResult",
    "reliability": "impactkit.measure._scales:ReliabilityResult",
    "eq5d_index": "impactkit.measure._eq5d:EQ5DIndexResult",
    "qaly_gain": "impactkit.measure._eq5d:QALYResult",
    "survey": "impactkit.io._survey:SurveyResult",
    "portfolio_monte_carlo": "impactkit.portfolio:PortfolioMonteCarlo",
    "network": "impactkit._network:NetworkAnalysis",
    "acceptability": "impactkit.uncertainty._voi:AcceptabilityResult",
    "evppi": "impactkit.uncertainty._voi:EVPPIResult",
    "voi": "impactkit.uncertainty._voi:VOIResult",
    "agreement": "impactkit.qualitative._agreement:Agreement",
    "stakeholder_voice": "impactkit.qualitative._voice:StakeholderVoice",
    "finding": "impactkit.assurance:Finding",
    "example_info": "impactkit.examples:ExampleInfo",
}
"""Published name of each result type's schema -> ``module:Class``."""

_NUM: dict[str, Any] = {"type": ["number", "null"]}
_INT: dict[str, Any] = {"type": "integer"}
_STR: dict[str, Any] = {"type": "string"}
_TABLE: dict[str, Any] = {"$ref": "#/$defs/table"}
_COMMON_DEFS: dict[str, Any] = {
    "table": {
        "description": "A table as a list of records (column -> value; a missing cell is null).",
        "type": "array",
        "items": {"type": "object"},
    },
    "array": {
        "description": "A numpy array as nested lists (a non-finite number is null).",
        "type": "array",
        "items": {
            "anyOf": [{"type": ["number", "boolean", "string", "null"]}, {"$ref": "#/$defs/array"}]
        },
    },
}


def _records(**columns: str) -> dict[str, Any]:
    """A table whose columns are known: each column ``"number"``, ``"integer"`` or ``"string"``.

    Any cell may be ``null`` (a missing value); no other column may appear.
    """
    cell = {kind: {"type": [kind, "null"]} for kind in ("number", "integer", "string")}
    return {
        "type": "array",
        "items": _closed({name: cell[kind] for name, kind in columns.items()}),
    }


_N, _I, _S = "number", "integer", "string"


def _stats(*names: str) -> dict[str, Any]:
    return _closed(dict.fromkeys(names, _NUM))


def _closed(props: Mapping[str, Any], optional: Sequence[str] = ()) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": dict(props),
        "required": [k for k in props if k not in optional],
        "additionalProperties": False,
    }


_SHAPES: dict[str, dict[str, Any]] = {
    # the headline figures, the tables under their public names, and the model's file form
    "sroi": {
        "keep": (
            "currency",
            "base_year",
            "first_flow_at",
            "mode",
            "present_value",
            "total_inputs",
            "net_present_value",
            "ratio",
            "net_ratio",
            "payback_months",
            "discounted_payback_years",
            "version",
        ),
        "add": {
            "model": _STR,
            "discount": _STR,
            "by_outcome": _records(
                row=_I,
                outcome=_S,
                label=_S,
                stakeholder=_S,
                indicator=_S,
                quantity=_N,
                proxy=_S,
                proxy_value=_N,
                proxy_source=_S,
                price_year=_I,
                deadweight=_N,
                displacement=_N,
                attribution=_N,
                leakage=_N,
                drop_off=_N,
                drop_off_method=_S,
                duration=_N,
                start_year=_I,
                impact=_N,
                total_value=_N,
                present_value=_N,
                share=_N,
            ),
            "by_stakeholder": _records(stakeholder=_S, present_value=_N, share=_N, outcomes=_I),
            "by_year": _records(
                year=_I,
                value=_N,
                discount_factor=_N,
                present_value=_N,
                cumulative_present_value=_N,
            ),
            "public_finance": _records(payer=_S, pays=_N, saves=_N, transfers=_N, net=_N),
            "lineage": {"type": "array", "items": {"$ref": "#/$defs/lineage"}},
            "model_spec": {"anyOf": [{"$ref": "#/$defs/model_file"}, {"type": "null"}]},
            "equity": {"type": "object"},
            "weighted_present_value": _NUM,
            "weighted_total_inputs": _NUM,
            "weighted_ratio": _NUM,
            "weighted_by_stakeholder": _TABLE,
        },
        "optional": (
            "equity",
            "weighted_present_value",
            "weighted_total_inputs",
            "weighted_ratio",
            "weighted_by_stakeholder",
        ),
    },
    # summaries of the draws; the draws themselves only with to_dict(draws=True)
    "monte_carlo": {
        "keep": ("n", "seed_entropy", "parameters", "currency", "version"),
        "add": {
            "metrics": {
                "type": "object",
                "additionalProperties": _stats("mean", "std", "p5", "p50", "p95"),
            },
            "probability_ratio_above_1": _NUM,
            "probability_loss": _NUM,
            "present_value": {"$ref": "#/$defs/array"},
            "total_inputs": {"$ref": "#/$defs/array"},
        },
        "optional": ("present_value", "total_inputs"),
    },
    "report": {
        "drop": ("result", "event_study", "voi"),
        "add": {"sroi": {"$ref": "#/$defs/sroi"}},
    },
    "contract_simulation": {
        "keep": ("seed_entropy",),
        "add": {
            "n": _INT,
            "probability_of_loss": _NUM,
            "expected_payer_cost": _NUM,
            "expected_moic": _NUM,
            "irr_percentiles": _stats("p5", "p50", "p95"),
        },
    },
    "effect": {"add": {"pvalue": _NUM}},
    "shapley": {"drop": ("values", "se"), "add": {"players": _TABLE}},
    "staggered": {
        "drop": ("influence", "seed_entropy", "unit_cohort", "boot_cells", "boot_cohorts"),
        "add": {"simple": {"$ref": "#/$defs/effect"}, "event_study": _TABLE},
    },
    "bacon": {"add": {"by_type": _TABLE}},
    "portfolio_monte_carlo": {
        "drop": ("present_value", "total_inputs"),
        "add": {"n": _INT, "network_ratio": _stats("mean", "p5", "p50", "p95")},
    },
    "network": {"drop": ("distribution", "funnels")},
    "acceptability": {"keep": ("options", "n"), "add": {"table": _TABLE}},
    "voi": {"drop": ("seed_entropy",)},
    "agreement": {"drop": ("draws",)},
    "eq5d_index": {
        "drop": ("index",),
        "add": {
            "mean": _NUM,
            "index": {
                "description": "Each respondent's index, null where not scored.",
                "type": "array",
                "items": _NUM,
            },
        },
    },
    "survey": {
        "drop": ("metadata", "problems"),
        "add": {
            "problems": {
                "description": "Each problem found, located by its column (and row).",
                "type": "array",
                "items": {
                    "type": "object",
                    "properties": {
                        "path": {"type": "array"},
                        "code": _STR,
                        "message": _STR,
                    },
                    "required": ["path", "code", "message"],
                    "additionalProperties": False,
                },
            }
        },
    },
    "weighted_outcomes": {"drop": ("ranks",)},
}
"""Where a ``to_dict`` differs from the fields: fields kept or dropped, keys added."""


def _refs(schema: Any) -> set[str]:
    """The names of the ``$defs`` a schema refers to, at any depth."""
    if isinstance(schema, Mapping):
        own = {str(schema["$ref"]).removeprefix("#/$defs/")} if "$ref" in schema else set()
        return own.union(*(_refs(v) for v in schema.values()))
    if isinstance(schema, list):
        return set().union(*(_refs(v) for v in schema))
    return set()


def _union(options: list[dict[str, Any]]) -> dict[str, Any]:
    """``anyOf`` of the options; options that only name types become one ``type`` list."""
    if all(set(o) == {"type"} for o in options):
        names: list[str] = []
        for o in options:
            for t in [o["type"]] if isinstance(o["type"], str) else o["type"]:
                if t not in names:
                    names.append(t)
        return {"type": names[0] if len(names) == 1 else names}
    return {"anyOf": options}


def _load(name: str) -> type:
    module, _, cls = RESULT_SCHEMAS[name].partition(":")
    return typing.cast(type, getattr(importlib.import_module(module), cls))


def _names_by_class() -> dict[type, str]:
    return {_load(n): n for n in RESULT_SCHEMAS}


def _type_schema(tp: Any, results: Mapping[type, str], used: set[str]) -> dict[str, Any]:
    """The JSON Schema of what :func:`impactkit._results.jsonable` makes of a ``tp`` value."""
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if tp is Any or tp is object:
        return {}
    if tp is type(None):
        return {"type": "null"}
    if tp is bool:
        return {"type": "boolean"}
    if tp is int:
        return dict(_INT)
    if tp is float:
        return dict(_NUM)
    if tp is str:
        return dict(_STR)
    if origin is typing.Literal:
        return {"enum": list(args)}
    if origin in (typing.Union, types.UnionType):
        return _union([_type_schema(a, results, used) for a in args])
    if tp is pd.DataFrame:
        return dict(_TABLE)
    if tp is pd.Series:
        return {"type": "object"}
    if tp is np.ndarray or origin is np.ndarray:
        return {"$ref": "#/$defs/array"}
    if origin is tuple or origin is list or origin in (Sequence, typing.Sequence):
        if origin is tuple and args and args[-1] is not Ellipsis:
            items = [_type_schema(a, results, used) for a in args]
            return {
                "type": "array",
                "prefixItems": items,
                "minItems": len(items),
                "maxItems": len(items),
            }
        return {"type": "array", "items": _type_schema(args[0], results, used) if args else {}}
    if origin in (dict, Mapping, typing.Mapping) or tp in (dict, Mapping):
        value = _type_schema(args[1], results, used) if len(args) == 2 else {}
        return {"type": "object", "additionalProperties": value}
    if isinstance(tp, type) and tp in results:
        used.add(results[tp])
        return {"$ref": f"#/$defs/{results[tp]}"}
    if isinstance(tp, type) and attrs.has(tp):
        return _fields_schema(tp, results, used)
    return {}


def _fields_schema(
    cls: type, results: Mapping[type, str], used: set[str], shape: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    shape = shape or {}
    hints = typing.get_type_hints(cls)
    keep = shape.get("keep")
    drop = set(shape.get("drop", ()))
    props: dict[str, Any] = {}
    for a in attrs.fields(cls):
        if a.name.startswith("_") or a.name in drop or (keep is not None and a.name not in keep):
            continue
        props[a.name] = _type_schema(hints.get(a.name, Any), results, used)
    props.update(shape.get("add", {}))
    used.update(_refs(shape.get("add", {})))
    out = _closed(props, shape.get("optional", ()))
    doc = (cls.__doc__ or "").strip().splitlines()
    if doc:
        out = {"description": doc[0], **out}
    return out


@functools.cache
def _build(name: str) -> dict[str, Any]:
    from impactkit.io._schema import json_schema

    results = _names_by_class()
    root = _fields_schema(_load(name), results, set(), _SHAPES.get(name))
    defs: dict[str, Any] = {}
    todo = _refs(root)
    while todo:
        ref = todo.pop()
        if ref in defs or ref == name:
            continue
        if ref in _COMMON_DEFS:
            defs[ref] = _COMMON_DEFS[ref]
        elif ref == "model_file":
            defs[ref] = json_schema()  # its own $id: its references stay inside it
            continue
        else:
            defs[ref] = _fields_schema(_load(ref), results, set(), _SHAPES.get(ref))
        todo |= _refs(defs[ref]) - set(defs)
    if name in _refs(root) | _refs([v for k, v in defs.items() if k != "model_file"]):
        defs[name] = {"$ref": "#"}  # a result holding one of its own kind
    return {
        "$schema": _DIALECT,
        "$id": f"{_BASE}/{name}.json",
        "title": f"impactkit {name} result ({_load(name).__name__}.to_dict())",
        **root,
        "$defs": dict(sorted(defs.items())),
    }


def result_schema(name: str) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of a result's ``to_dict()``.

    The schema is made from the result class's fields and their types: a float
    is a number or ``null`` (``to_dict`` writes a non-finite value as
    ``null``), a table a list of records, an array nested lists of numbers, a
    result inside another under ``$defs``; a model inside a result
    (``model_spec``) follows the model-file schema (:func:`json_schema`).
    Objects are closed: a key that is not in the schema is an error.

    Parameters
    ----------
    name : str
        The result's published name: ``"sroi"``, ``"monte_carlo"``, ``"cba"``,
        ``"effect"``, ... (every name is a key of ``RESULT_SCHEMAS``; the CLI
        lists them with ``impactkit schema --result list``).

    Returns
    -------
    dict
        A new JSON Schema, with ``$schema``, ``$id``, ``title`` and ``$defs``.

    Raises
    ------
    ValidationError
        When the name is unknown (the problem lists the known names).

    See Also
    --------
    json_schema : the schema of model files.

    Examples
    --------
    >>> import impactkit as ik
    >>> s = ik.io.result_schema("sroi")
    >>> s["$schema"], s["properties"]["ratio"]
    ('https://json-schema.org/draft/2020-12/schema', {'type': ['number', 'null']})
    >>> "monte_carlo" in ik.io.RESULT_SCHEMAS
    True
    """
    import copy

    if not isinstance(name, str) or name not in RESULT_SCHEMAS:
        from impactkit._validation import did_you_mean

        hint = did_you_mean(str(name), RESULT_SCHEMAS)
        raise ValidationError(
            f"no result schema named {name!r}{hint}; known: {', '.join(sorted(RESULT_SCHEMAS))}",
            ("name",),
            "unknown_result",
        )
    return copy.deepcopy(_build(name))
