"""Tables read from files keep their identifiers as text.

A CSV reader that infers types turns the site ``"01"`` into the number 1 (so
sites ``"01"`` and ``"1"`` merge) and the FINESS, INSEE or département code
``"0101"`` into 101. Every door of impactkit that reads a table from a file
(the ``--data`` and ``network`` commands, the example data) reads its
identifier columns as text with :func:`read_csv`; see docs/reference/file_format.md.
"""

from __future__ import annotations

import io
import unicodedata
from collections.abc import Iterable
from typing import Any

__all__ = ["ID_NAMES", "id_columns", "is_id_column", "read_csv"]

ID_NAMES: frozenset[str] = frozenset(
    {
        "id",
        "site",
        "member",
        "membre",
        "establishment",
        "etablissement",
        "structure",
        "organisation",
        "organization",
        "participant",
        "beneficiary",
        "beneficiaire",
        "person",
        "personne",
        "unit",
        "unite",
        "finess",
        "siret",
        "siren",
        "insee",
        "commune",
        "departement",
        "dept",
        "region",
        "postcode",
        "code_postal",
        "cp",
    }
)
"""Column names read as identifiers (compared without case and accents).

Besides these, a name ending in ``_id``, ``_code``, ``_finess``, ``_siret``
or ``_insee``, or starting with ``id_`` or ``code_``, is an identifier.
"""

_SUFFIXES = ("_id", "_code", "_finess", "_siret", "_siren", "_insee")
_PREFIXES = ("id_", "code_")


def _fold(name: str) -> str:
    text = unicodedata.normalize("NFKD", name.strip().casefold())
    return "".join(ch for ch in text if not unicodedata.combining(ch)).replace(" ", "_")


def is_id_column(name: object) -> bool:
    """True when a column name designates identifiers (read as text).

    Examples
    --------
    >>> [is_id_column(c) for c in ("site", "Département", "patient_id", "amount")]
    [True, True, True, False]
    """
    if not isinstance(name, str):
        return False
    n = _fold(name)
    return n in ID_NAMES or n.endswith(_SUFFIXES) or n.startswith(_PREFIXES)


def id_columns(columns: Iterable[object], extra: Iterable[str] = ()) -> list[str]:
    """The identifier columns among ``columns``: :func:`is_id_column` or named in ``extra``.

    Examples
    --------
    >>> id_columns(["etab", "site", "amount"], extra=["etab"])
    ['etab', 'site']
    """
    named = set(extra)
    return [c for c in columns if isinstance(c, str) and (c in named or is_id_column(c))]


def read_csv(source: Any, *, ids: Iterable[str] = (), **kwargs: Any) -> Any:
    """A CSV table whose identifier columns are text, exactly as written in the file.

    The other columns are inferred as :func:`pandas.read_csv` does; the
    identifier columns (:func:`id_columns`, plus the names in ``ids``) are
    read as text, so ``"01"`` and ``"1"`` stay two sites and ``"0101"`` stays
    ``"0101"``. Missing cells stay missing.

    Parameters
    ----------
    source : str, path or text file object
        The CSV file.
    ids : iterable of str, optional
        Further columns to read as text (e.g. a ``--site`` column of another name).
    **kwargs
        Passed to :func:`pandas.read_csv`.

    Returns
    -------
    pandas.DataFrame

    Examples
    --------
    >>> import io
    >>> df = read_csv(io.StringIO("site,amount\\n01,5\\n1,7\\n0101,2\\n"))
    >>> df["site"].tolist(), df["amount"].tolist()
    (['01', '1', '0101'], [5, 7, 2])
    """
    import pandas as pd

    if hasattr(source, "read"):  # a stream is read once: the header is taken from the text
        text = source.read()
        if isinstance(text, bytes):
            text = text.decode(kwargs.pop("encoding", None) or "utf-8")
        source = io.StringIO(text)
        header = pd.read_csv(source, nrows=0, **kwargs).columns
        source.seek(0)
    else:
        header = pd.read_csv(source, nrows=0, **kwargs).columns
    dtype = dict.fromkeys(id_columns(header, ids), str)
    return pd.read_csv(source, dtype=dtype or None, **kwargs)
