"""The French reference catalogue of unit costs and proxies, and the INSEE price index.

Both are package data read once, validated, and handed out as fresh copies:
:func:`catalogue` returns the unit-cost catalogue as a typed DataFrame,
:func:`proxy_from_catalogue` and :func:`unit_cost_from_catalogue` turn one
entry into the objects the valuation methods take, and
:func:`insee_cpi_values` feeds :meth:`impactkit.PriceIndex.insee_cpi`.

A *sourced* entry holds a figure read in the public document its ``source``
names (publisher, title, year, table or page) and its ``notes`` quote the
place; an *illustrative* entry is a labelled placeholder with no source.
Entries listed in each other's ``overlaps`` cover the same expense (at two
payer levels, or as two estimates of it): never count two of them.
"""

from __future__ import annotations

import csv
import functools
import io
import os
import re
from collections.abc import Iterable, Mapping, Sequence
from importlib import resources
from typing import Any

import numpy as np
import pandas as pd

from impactkit._validation import Checker
from impactkit.errors import ValidationError

__all__ = [
    "BASES",
    "COLUMNS",
    "INDEX_RULES",
    "PAYERS",
    "PUBLIC_PAYERS",
    "SECTORS",
    "STATUSES",
    "catalogue",
    "insee_cpi_values",
    "proxy_from_catalogue",
    "unit_cost_from_catalogue",
]

COLUMNS: tuple[str, ...] = (
    "id",
    "label_fr",
    "label_en",
    "value",
    "low",
    "high",
    "unit",
    "currency",
    "year",
    "payer",
    "basis",
    "transfer",
    "benefit_in_kind",
    "sector",
    "status",
    "source",
    "url",
    "overlaps",
    "notes",
)
"""Columns of the catalogue, in file order."""

STATUSES: tuple[str, ...] = ("sourced", "illustrative")
"""``sourced``: a figure read in the named public document; ``illustrative``: a placeholder."""

SECTORS: tuple[str, ...] = (
    "handicap",
    "protection_enfance",
    "insertion",
    "protection_majeurs",
    "addictologie",
    "personnes_agees",
    "transversal",
)
"""The six fields of the social and medico-social sector, plus values shared by all."""

PAYERS: tuple[str, ...] = (
    "etat",
    "assurance_maladie",
    "branche_autonomie",
    "departement",
    "caf",
    "commune",
    "region",
    "france_travail",
    "personne",
    "autre",
)
"""Who bears the expense: the State, health insurance, the branche autonomie of social
security (the CNSA, which since the LFSS for 2021 funds the care packages of medico-social
establishments and services through the regional health agencies, ARS), the département, the
family-benefit fund (CAF), the commune, the région, the public employment service, the
person, or another party (several payers, an employer, society as a whole)."""

PUBLIC_PAYERS: tuple[str, ...] = (
    "etat",
    "securite_sociale",
    "assurance_maladie",
    "branche_autonomie",
    "caf",
    "departement",
    "region",
    "commune",
    "france_travail",
    "public",
)
"""Stakeholder ids read as public payers by the public-finance view of a result: the
catalogue's public payers, the avoided-costs levels (``securite_sociale``) and ``public``
for the public purse as a whole. A model adds its own under ``metadata["public_payers"]``."""

INDEX_RULES: Mapping[str, str] = {
    "valeur_vie_statistique": "GDP per head",
    "valeur_annee_vie": "GDP per head",
}
"""Entries whose guidance moves them between years with another index than consumer prices:
the value of a statistical life and of a life-year follow GDP per head (see their notes).
:func:`proxy_from_catalogue` sets :attr:`~impactkit.FinancialProxy.index_rule` from it."""

BASES: tuple[str, ...] = ("average", "marginal")
"""``average``: a total divided by a volume; ``marginal``: what one unit more or less changes."""

_FLAGS = ("transfer", "benefit_in_kind")
_TEXT = ("id", "label_fr", "label_en", "unit", "currency", "payer", "basis", "sector", "status")
_OPTIONAL_TEXT = ("source", "url", "overlaps", "notes")
_ID = re.compile(r"[a-z][a-z0-9_]*\Z")
_CURRENCY = re.compile(r"[A-Z]{3}\Z")

# Catalogue payers that are a public payer level of the avoided-costs method.
_UNIT_COST_PAYER = {
    "etat": "etat",
    "assurance_maladie": "securite_sociale",
    "branche_autonomie": "securite_sociale",
    "caf": "securite_sociale",
    "departement": "departement",
    "commune": "commune",
}


def _data_file(name: str) -> Any:
    return resources.files("impactkit.valuation") / "data" / name


def _blank(x: Any) -> bool:
    return x is None or (isinstance(x, float) and np.isnan(x)) or (isinstance(x, str) and not x)


def _parse_number(c: Checker, raw: str, path: tuple[str | int, ...]) -> float | None:
    try:
        x = float(raw)
    except ValueError:
        c.add(path, "type", f"expected a number, got {raw!r}")
        return None
    c.number(x, path)
    return x


def _read_rows(text: str) -> list[dict[str, str]]:
    reader = csv.DictReader(io.StringIO(text))
    header = tuple(reader.fieldnames or ())
    if header != COLUMNS:
        raise ValidationError(
            f"catalogue columns must be {', '.join(COLUMNS)} in this order; "
            f"got {', '.join(header) or 'none'}",
            path=("columns",),
            code="columns",
        )
    rows: list[dict[str, str]] = []
    for row in reader:
        if None in row:
            raise ValidationError(
                f"row {len(rows)} has more fields than columns", path=(len(rows),), code="fields"
            )
        rows.append({k: (v or "").strip() for k, v in row.items()})
    return rows


def _validate(rows: Sequence[Mapping[str, str]]) -> pd.DataFrame:
    """Check every row, collecting all problems; return the typed frame."""
    c = Checker()
    seen: dict[str, int] = {}
    values: list[float | None] = []
    lows: list[float | None] = []
    highs: list[float | None] = []
    years: list[int] = []
    for i, r in enumerate(rows):
        for col in _TEXT:
            c.text(r[col], (i, col), empty=False)
        rid = r["id"]
        if rid and not _ID.match(rid):
            c.add((i, "id"), "id", f"id {rid!r} must be lowercase letters, digits and '_'")
        if rid in seen:
            c.add((i, "id"), "duplicate_id", f"id {rid!r} repeats row {seen[rid]}")
        seen.setdefault(rid, i)
        if r["currency"] and not _CURRENCY.match(r["currency"]):
            c.add((i, "currency"), "currency", f"expected an ISO 4217 code, got {r['currency']!r}")
        for col, options in (
            ("payer", PAYERS),
            ("basis", BASES),
            ("sector", SECTORS),
            ("status", STATUSES),
        ):
            if r[col]:
                c.choice(r[col], (i, col), options)
        for col in _FLAGS:
            if r[col] not in ("true", "false"):
                c.add((i, col), "type", f"{rid!r}: {col} must be true or false, got {r[col]!r}")
        if r["benefit_in_kind"] == "true" and r["transfer"] != "true":
            c.add(
                (i, "benefit_in_kind"),
                "benefit_in_kind",
                f"{rid!r} is a benefit in kind, so it is a transfer too: set transfer to true",
            )
        if r["status"] == "sourced" and not r["source"]:
            c.add((i, "source"), "missing_source", f"{rid!r} is sourced but names no source")
        if r["status"] == "illustrative" and not r["notes"]:
            c.add((i, "notes"), "missing_notes", f"{rid!r} is illustrative: say what it is")
        v = _parse_number(c, r["value"], (i, "value")) if r["value"] else None
        if not r["value"]:
            c.add((i, "value"), "missing", f"{rid!r} has no value")
        lo = _parse_number(c, r["low"], (i, "low")) if r["low"] else None
        hi = _parse_number(c, r["high"], (i, "high")) if r["high"] else None
        if v is not None and lo is not None and lo > v:
            c.add((i, "low"), "order", f"{rid!r}: low {lo:g} exceeds value {v:g}")
        if v is not None and hi is not None and hi < v:
            c.add((i, "high"), "order", f"{rid!r}: high {hi:g} is below value {v:g}")
        year = 0
        try:
            year = int(r["year"])
        except ValueError:
            c.add((i, "year"), "type", f"expected a whole year, got {r['year']!r}")
        else:
            c.number(year, (i, "year"), low=1900, high=2200, integer=True)
        values.append(v)
        lows.append(lo)
        highs.append(hi)
        years.append(year)
    lists = [[x for x in r["overlaps"].split(";") if x] for r in rows]
    by_id = {rid: lists[i] for rid, i in seen.items()}
    for i, r in enumerate(rows):
        for other in lists[i]:
            if other == r["id"]:
                c.add((i, "overlaps"), "overlaps", f"{r['id']!r} lists itself")
            elif other not in seen:
                c.add((i, "overlaps"), "unknown_id", f"{r['id']!r} overlaps unknown id {other!r}")
            elif r["id"] not in by_id[other]:
                c.add(
                    (i, "overlaps"),
                    "asymmetric",
                    f"{r['id']!r} overlaps {other!r} but {other!r} does not list {r['id']!r}",
                )
    c.raise_if_errors()
    df = pd.DataFrame({col: [r[col] for r in rows] for col in COLUMNS})
    df["value"] = np.array(values, dtype=float)
    df["low"] = pd.array(lows, dtype="Float64")
    df["high"] = pd.array(highs, dtype="Float64")
    df["year"] = np.array(years, dtype=np.int64)
    for col in _FLAGS:
        df[col] = np.array([r[col] == "true" for r in rows], dtype=bool)
    for col in (*_TEXT, *_OPTIONAL_TEXT):
        df[col] = df[col].astype("string")
    return df


@functools.lru_cache(maxsize=1)
def _shipped() -> pd.DataFrame:
    return _validate(_read_rows(_data_file("catalogue.csv").read_text(encoding="utf-8")))


def _selection(value: str | Iterable[str] | None, name: str, options: Sequence[str]) -> set[str]:
    chosen = {value} if isinstance(value, str) else set(value or ())
    unknown = sorted(chosen - set(options))
    if unknown:
        raise ValidationError(
            f"unknown {name} {', '.join(map(repr, unknown))}; choose among {', '.join(options)}",
            path=(name,),
            code="invalid_choice",
        )
    return chosen


def catalogue(
    *,
    sector: str | Iterable[str] | None = None,
    status: str | Iterable[str] | None = None,
    payer: str | Iterable[str] | None = None,
    path: str | os.PathLike[str] | None = None,
) -> pd.DataFrame:
    """The French reference catalogue of unit costs and financial proxies.

    Each row is one figure with its unit, price year, payer, basis and, when
    ``status`` is ``"sourced"``, the public document it was read in.
    ``transfer`` marks money moved from one party to another (a benefit such
    as the RSA or the AAH, a tax or social contribution, a subsidy): a saving
    for its payer, a loss for its recipient, never net social value on one
    side only. ``benefit_in_kind`` marks an allowance earmarked to buy help
    (PCH, APA): its saving is real only if the help is no longer consumed. The
    catalogue is validated on load: unique ids, allowed statuses, sectors,
    payers and bases, a source on every sourced entry, a note on every
    illustrative one, ``low <= value <= high``, ``transfer`` and
    ``benefit_in_kind`` written ``true`` or ``false`` (a benefit in kind is a
    transfer too), and ``overlaps`` naming existing entries that list each
    other back.

    Parameters
    ----------
    sector, status, payer : str or iterable of str, optional
        Keep only these sectors (:data:`SECTORS`), statuses (:data:`STATUSES`)
        or payers (:data:`PAYERS`).
    path : str or path-like, optional
        Read and validate your own catalogue with the same columns instead of
        the shipped one (e.g. the shipped file extended with local prices).

    Returns
    -------
    pandas.DataFrame
        Columns :data:`COLUMNS`: ``value`` float, ``low``/``high`` nullable
        floats, ``year`` integer, ``transfer`` and ``benefit_in_kind``
        booleans, every other column text (``overlaps`` is a ``;``-separated
        list of ids, empty when none). A fresh copy on each call.

    Raises
    ------
    ValidationError
        An unknown filter value, or a catalogue file that breaks the rules
        above (every problem at once, located as ``[row].column``).

    See Also
    --------
    proxy_from_catalogue, unit_cost_from_catalogue

    Examples
    --------
    >>> import impactkit as ik
    >>> cat = ik.valuation.catalogue().set_index("id")
    >>> row = cat.loc["rsa_forfait_personne_seule"]
    >>> float(row["value"]), int(row["year"]), str(row["payer"]), bool(row["transfer"])
    (646.52, 2025, 'departement', True)
    >>> sorted(ik.valuation.catalogue(sector="insertion", status="sourced")["sector"].unique())
    ['insertion']
    """
    sectors = _selection(sector, "sector", SECTORS)
    statuses = _selection(status, "status", STATUSES)
    payers = _selection(payer, "payer", PAYERS)
    if path is None:
        df = _shipped().copy()
    else:
        with open(path, encoding="utf-8", newline="") as fh:
            df = _validate(_read_rows(fh.read()))
    keep = np.ones(len(df), dtype=bool)
    for col, chosen in (("sector", sectors), ("status", statuses), ("payer", payers)):
        if chosen:
            keep &= df[col].isin(chosen).to_numpy(dtype=bool)
    return df.loc[keep].reset_index(drop=True)


def _entry(entry_id: str, table: pd.DataFrame | None) -> pd.Series:
    df = _shipped() if table is None else table
    hit = df.loc[df["id"] == entry_id]
    if hit.empty:
        raise ValidationError(
            f"no catalogue entry {entry_id!r}; list them with ik.valuation.catalogue()['id']",
            path=("id",),
            code="unknown_id",
        )
    return hit.iloc[0]


def _source_text(row: pd.Series) -> str:
    if row["status"] == "illustrative":
        return f"illustrative value (impactkit catalogue {row['id']}): {row['notes']}"
    url = f" <{row['url']}>" if row["url"] else ""
    return f"{row['source']}{url}"


def proxy_from_catalogue(
    entry_id: str,
    *,
    spread: bool = False,
    transfer: str | None = None,
    negative: bool = False,
    description: str | None = None,
    table: pd.DataFrame | None = None,
) -> Any:
    """A :class:`~impactkit.FinancialProxy` from one catalogue entry.

    Parameters
    ----------
    entry_id : str
        The entry's ``id``.
    spread : bool, default False
        When True and the entry has ``low`` and ``high``, the value is a
        :class:`~impactkit.dist.Triangular` ``(low, value, high)`` for Monte
        Carlo; otherwise the point value.
    transfer : str, optional
        Name of the money transfer the value stands for. By default the
        entry's ``id`` when the catalogue marks it a transfer (a benefit such
        as the RSA, a tax or contribution), else none; give a name to tie
        rows built from different entries to one transfer. An entry marked a
        transfer cannot be given an empty name. :func:`impactkit.lint` then
        checks that the transfer is valued on both sides with opposite signs,
        or not at all.
    negative : bool, default False
        The loss side of a transfer (the allowance a participant no longer
        receives): the value with its sign reversed.
    description : str, optional
        Defaults to the entry's English label.
    table : DataFrame, optional
        A catalogue from :func:`catalogue` (e.g. your own ``path=``); the
        shipped one by default.

    Returns
    -------
    FinancialProxy
        With the entry's value, currency, price year, unit and source (the
        source string, then the address in angle brackets; for an
        illustrative entry, the word "illustrative" and what it stands for),
        the catalogue's ``transfer`` and ``benefit_in_kind`` marks, and the
        entry's :data:`INDEX_RULES` when it has one.

    Raises
    ------
    ValidationError
        When no entry has that id, or an empty ``transfer`` name is given
        for an entry the catalogue marks a transfer.

    Examples
    --------
    The State's saving and the participant's loss of the same allowance:

    >>> import impactkit as ik
    >>> saved = ik.valuation.proxy_from_catalogue("aah_taux_plein_2025")
    >>> saved.value, saved.currency, saved.year, saved.unit, saved.transfer
    (1033.32, 'EUR', 2025, 'EUR per person per month', 'aah_taux_plein_2025')
    >>> lost = ik.valuation.proxy_from_catalogue("aah_taux_plein_2025", negative=True)
    >>> lost.value, lost.transfer == saved.transfer
    (-1033.32, True)
    >>> ik.valuation.proxy_from_catalogue("apa_domicile_plan_gir1").benefit_in_kind
    True
    """
    from impactkit.dist import Triangular
    from impactkit.valuation import FinancialProxy

    row = _entry(entry_id, table)
    marked = bool(row["transfer"])
    if transfer is None:
        transfer = entry_id if marked else ""
    elif marked and not transfer:
        raise ValidationError(
            f"entry {entry_id!r} is a transfer: name it (the default is its id)",
            path=("transfer",),
            code="transfer",
        )
    sign = -1.0 if negative else 1.0
    value: Any = sign * float(row["value"])
    if spread and not pd.isna(row["low"]) and not pd.isna(row["high"]):
        lo, hi = sign * float(row["low"]), sign * float(row["high"])
        value = Triangular(min(lo, hi), value, max(lo, hi))
    return FinancialProxy(
        value,
        currency=str(row["currency"]),
        year=int(row["year"]),
        source=_source_text(row),
        description=str(row["label_en"]) if description is None else description,
        unit=str(row["unit"]),
        transfer=transfer,
        benefit_in_kind=bool(row["benefit_in_kind"]),
        index_rule=INDEX_RULES.get(entry_id, ""),
    )


def _overlap_group(entry_id: str, df: pd.DataFrame) -> str:
    """The smallest id of the entries connected to ``entry_id`` through ``overlaps``."""
    links = {
        str(i): [x for x in str(o).split(";") if x]
        for i, o in zip(df["id"], df["overlaps"], strict=True)
    }
    group, todo = {entry_id}, [entry_id]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in group:
                group.add(other)
                todo.append(other)
    return min(group) if len(group) > 1 else ""


def unit_cost_from_catalogue(
    entry_id: str,
    *,
    transfer: bool | None = None,
    table: pd.DataFrame | None = None,
) -> Any:
    """A :class:`~impactkit.methods.UnitCost` from one catalogue entry, for avoided costs.

    Entries linked through ``overlaps`` share the same ``covers`` key, so
    :func:`impactkit.methods.avoided_costs` refuses to count the same expense
    at two payer levels.

    Parameters
    ----------
    entry_id : str
        The entry's ``id``; its payer must be a public payer level:
        ``etat``, ``departement``, ``commune``, or ``assurance_maladie``,
        ``branche_autonomie`` and ``caf``, which become ``securite_sociale``.
    transfer : bool, optional
        Mark a benefit payment (counted in the public view, not as social
        value); by default the catalogue's ``transfer`` mark.
    table : DataFrame, optional
        A catalogue from :func:`catalogue`; the shipped one by default.

    Returns
    -------
    UnitCost
        With the catalogue's ``transfer`` and ``benefit_in_kind`` marks.

    Raises
    ------
    ValidationError
        An unknown id, or a payer that is not a public payer level.

    Examples
    --------
    >>> import impactkit as ik
    >>> u = ik.valuation.unit_cost_from_catalogue("mas_place_jour")
    >>> u.cost, u.payer, u.price_year, u.basis, u.covers, u.transfer
    (230.0, 'securite_sociale', 2020, 'average', 'mas_place_an', False)
    >>> ik.valuation.unit_cost_from_catalogue("rsa_forfait_personne_seule").transfer
    True
    """
    from impactkit.methods import UnitCost

    df = _shipped() if table is None else table
    row = _entry(entry_id, df)
    payer = _UNIT_COST_PAYER.get(str(row["payer"]))
    if payer is None:
        raise ValidationError(
            f"entry {entry_id!r} is paid by {row['payer']!r}, not a public payer level "
            f"({', '.join(_UNIT_COST_PAYER)})",
            path=("payer",),
            code="payer",
        )
    return UnitCost(
        key=entry_id,
        label=str(row["label_fr"]),
        cost=float(row["value"]),
        unit=str(row["unit"]),
        payer=payer,
        price_year=int(row["year"]),
        source=_source_text(row),
        basis=str(row["basis"]),  # type: ignore[arg-type]  # validated on load
        covers=_overlap_group(entry_id, df),
        transfer=bool(row["transfer"]) if transfer is None else transfer,
        benefit_in_kind=bool(row["benefit_in_kind"]),
        currency=str(row["currency"]),
    )


@functools.lru_cache(maxsize=1)
def _cpi() -> tuple[tuple[tuple[int, float], ...], str, str]:
    text = _data_file("insee_cpi.csv").read_text(encoding="utf-8")
    meta = [line[1:].strip() for line in text.splitlines() if line.startswith("#")]
    body = "\n".join(line for line in text.splitlines() if not line.startswith("#"))
    frame = pd.read_csv(io.StringIO(body), dtype={"year": np.int64, "index": float, "status": str})
    pairs = tuple((int(y), float(v)) for y, v in zip(frame["year"], frame["index"], strict=True))
    name = "INSEE CPI, all households, France, base 2015 = 100, annual averages"
    return pairs, name, " ".join(meta)


def insee_cpi_values() -> tuple[dict[int, float], str, str]:
    """The shipped INSEE annual CPI: ``(values by year, name, source)``, a fresh dict.

    The file's ``status`` column says which levels were read (``read``) and
    which one was derived from read figures (``derived``, 2024); the
    ``source`` text carries the file header explaining both.
    """
    pairs, name, source = _cpi()
    return dict(pairs), name, source
