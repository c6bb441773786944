"""The model: one immutable analysis, its compiled value map and its file form.

- :class:`ImpactModel`, :class:`Input`, :class:`OutcomeValuation`: the analysis
  (inputs, value-map rows, theory of change, discounting), checked on
  construction; :func:`volunteer_time` and :func:`in_kind` value non-cash inputs.
- ``compile_model`` and ``ValueMap``: the model compiled to arrays, which
  point evaluation, Monte Carlo, sensitivity and portfolios share. They are the
  engine's interface to the analyses above, named here for them and not part
  of the public API.
- The file form: :func:`to_dict` / :func:`from_dict` (plain data, versioned by
  :data:`FORMAT_VERSION`), :func:`make_converter` and its :data:`PRESETS`,
  :func:`json_schema`. Reading and writing files is the job of
  :mod:`impactkit.io`.
- :func:`in_language`: the same model with its texts in another language, from
  its own translations.

Layer: model (see the architecture page). Uses the foundation, the theory of
change, valuation and the qualitative records.
"""

from __future__ import annotations

from impactkit.model._converter import PRESETS, make_converter
from impactkit.model._form import FORMAT_VERSION, from_dict, to_dict
from impactkit.model._inputs import in_kind, volunteer_time
from impactkit.model._model import (
    EVIDENCE_GRADES,
    HAIRCUTS,
    NOTE_FIELDS,
    ImpactModel,
    Input,
    OutcomeValuation,
    duplicate_rows,
)
from impactkit.model._schema import json_schema
from impactkit.model._translate import in_language
from impactkit.model._valuemap import ROW_FIELDS as ROW_FIELDS
from impactkit.model._valuemap import KernelOutput as KernelOutput
from impactkit.model._valuemap import Parameter as Parameter
from impactkit.model._valuemap import ValueMap as ValueMap
from impactkit.model._valuemap import compile_model as compile_model

__all__ = [
    "EVIDENCE_GRADES",
    "FORMAT_VERSION",
    "HAIRCUTS",
    "NOTE_FIELDS",
    "PRESETS",
    "ImpactModel",
    "Input",
    "OutcomeValuation",
    "duplicate_rows",
    "from_dict",
    "in_kind",
    "in_language",
    "json_schema",
    "make_converter",
    "to_dict",
    "volunteer_time",
]
