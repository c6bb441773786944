"""Files in and out: model files (JSON, YAML), their JSON Schema, graph exports,
field questionnaires (XLSForm) and survey exports (KoboToolbox, ODK, LimeSurvey,
SPSS, Stata, SAS).

This package and :mod:`impactkit.report` are the only doors to the file
system; computation modules never read or write files.

Layer: doors (see the architecture page): it may use every layer below,
and nothing below imports it at module level.
"""

from __future__ import annotations

from pathlib import Path

from impactkit.io._excel import read_value_map, write_value_map, write_value_map_template
from impactkit.io._files import (
    FORMAT_VERSION,
    MAX_FILE_BYTES,
    MAX_YAML_BYTES,
    dump,
    dumps,
    from_dict,
    load,
    loads,
    to_dict,
)
from impactkit.io._result_schema import RESULT_SCHEMAS, result_schema
from impactkit.io._survey import SurveyResult, read_survey
from impactkit.io._xlsform import write_xlsform
from impactkit.model import PRESETS, json_schema, make_converter
from impactkit.toc import TheoryOfChange, to_dot, to_graphml, to_json, to_mermaid

__all__ = [
    "FORMAT_VERSION",
    "MAX_FILE_BYTES",
    "MAX_YAML_BYTES",
    "PRESETS",
    "RESULT_SCHEMAS",
    "SurveyResult",
    "dump",
    "dumps",
    "from_dict",
    "json_schema",
    "load",
    "loads",
    "make_converter",
    "read_survey",
    "read_value_map",
    "result_schema",
    "to_dict",
    "write_toc",
    "write_value_map",
    "write_value_map_template",
    "write_xlsform",
]

_TOC_FORMATS = {"mermaid": to_mermaid, "dot": to_dot, "graphml": to_graphml, "json": to_json}


def write_toc(toc: TheoryOfChange, path: str | Path, *, format: str = "mermaid") -> None:
    """Write a theory of change as Mermaid, DOT, GraphML or node-link JSON.

    Parameters
    ----------
    toc : TheoryOfChange
    path : str or path-like
        Where to write.
    format : {"mermaid", "dot", "graphml", "json"}

    Raises
    ------
    ValidationError
        When the format is unknown.

    Examples
    --------
    >>> import json
    >>> import tempfile
    >>> from pathlib import Path
    >>> import impactkit as ik
    >>> toc = ik.examples.load_example("protection_enfance", measured=False).toc
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_toc(toc, Path(tmp) / "toc.mmd")
    ...     write_toc(toc, Path(tmp) / "toc.json", format="json")
    ...     first = (Path(tmp) / "toc.mmd").read_text(encoding="utf-8").splitlines()[0]
    ...     text = (Path(tmp) / "toc.json").read_text(encoding="utf-8")
    >>> first
    'flowchart LR'
    >>> ik.TheoryOfChange.from_dict(json.loads(text)).to_dict() == toc.to_dict()
    True
    """
    if format not in _TOC_FORMATS:
        from impactkit.errors import ValidationError

        raise ValidationError(
            f"format must be one of {', '.join(_TOC_FORMATS)}, got {format!r}",
            path=("format",),
            code="invalid_choice",
        )
    from impactkit._atomic import write_file

    write_file(path, _TOC_FORMATS[format](toc) + "\n")
