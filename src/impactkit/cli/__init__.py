"""The ``impactkit`` command.

``impactkit validate FILE``
    Exit 0 when the model is valid; exit 1 listing every problem with its path.
``impactkit toc FILE --format mermaid|dot|graphml|json``
    Print the theory of change of a model file.
``impactkit schema [--result NAME|list]``
    Print the JSON Schema of model files, or of a result's ``to_dict()``.
``impactkit sroi FILE [--mc N --seed S] [--format table|json|markdown]``
    Evaluate the SROI (and optionally a Monte Carlo interval).
``impactkit lint FILE [--data NAME=PATH.csv] [--strict]``
    Assurance checks against the SROI principles.
``impactkit report FILE -o report.html [--lang fr] [--mc N]``
    A self-contained HTML (or Markdown) report.
``impactkit demo``
    Run the embedded example end to end.
``impactkit new PATH [--example NAME] [--lang fr]``
    Start a model file (.yaml, .json) or a live Excel value map (.xlsx).
``impactkit examples``
    List the embedded examples.

Every command that reads a model accepts ``.json``, ``.yaml``, ``.yml`` and
``.xlsx`` (an Excel value map).
``impactkit network OUTCOMES [INPUTS] -o reseau.html|.md|.pdf [--anonymise --key KEY]``
    The federation report from tidy CSV, Parquet, ``.xlsx`` or ``.ods`` tables
    (``--member ID``: one establishment's benchmark page; ``impactkit new
    resultats.xlsx --network`` writes the tables' template).

Exit codes: 0 success, 1 invalid model or data, 2 unreadable file or usage
error, 3 internal error (a defect of impactkit, never the user's input).
"""

from impactkit.cli._main import (
    EXIT_CODES,
    EXIT_INTERNAL,
    EXIT_INVALID,
    EXIT_OK,
    EXIT_USAGE,
    SROI_JSON_SCHEMA,
    build_parser,
    exit_code,
    main,
)

__all__ = [
    "EXIT_CODES",
    "EXIT_INTERNAL",
    "EXIT_INVALID",
    "EXIT_OK",
    "EXIT_USAGE",
    "SROI_JSON_SCHEMA",
    "build_parser",
    "exit_code",
    "main",
]
