"""The Excel value map: a live workbook on the structure SROI practitioners know.

Sheets, named in the chosen language (English / French):

* *Settings* / *Paramètres*: name, currency, base year, discount rate,
  timing convention, price index (a year / level table);
* *Stakeholders* / *Parties prenantes*: the stakeholders of the theory of
  change (for reading; they are kept in the theory of change);
* *Inputs* / *Ressources*: what is invested, with its discount factor and
  present value as formulas;
* *Value map* / *Carte de valeur*: one row per outcome under the five stage
  headings; price factor, impact, the value of each year (drop-off) and the
  present value are formulas;
* *SROI calculation* / *Calcul SROI*: value of each year, discount factors,
  present values, total present value, net present value and the ratio, with
  the defined names ``total_present_value``, ``total_inputs``,
  ``net_present_value`` and ``sroi_ratio``;
* *Uncertainty* / *Incertitude*: one row per uncertain figure, with its
  distribution and parameters in readable columns;
* *_data* (hidden): only what no visible column shows: the theory of change
  (its stakeholders' label, size and description are read from the visible
  sheet), metadata, evidence (consented, names pseudonymised) and engagement
  records, and the measurement
  calculators, sources, evidence grades and proxy unit of each row, so that
  reading a written workbook gives the model back exactly.

Text is always stored as text (a label beginning with ``=`` is never a
formula); the computed cells are the only formulas. What the workbook shows
is what is read: a blank cell is blank, and a formula or an external link in
an input cell, merged input cells, an ambiguous number typed as text
(``"1,234"``) and a hidden figure for a visible column are problems located
at their cell (``Carte de valeur!E4``), in the workbook's language, all at
once. Numbers may be typed the French way (``100 000,50``, ``25 %``).
Reading first streams every XML part once, counting elements, cells per
row, rich-text runs and characters, and refuses a workbook beyond a limit
before openpyxl builds anything; then it reads the sheets in read-only mode
within limits of rows, columns and filled cells.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
import zipfile
from pathlib import Path
from typing import Any

from impactkit.errors import FileFormatError, PathElement, Problem, ValidationError
from impactkit.io._files import FORMAT_VERSION, from_dict, to_dict
from impactkit.model import ImpactModel

__all__ = [
    "MAX_CELLS",
    "MAX_CELL_ELEMENTS",
    "MAX_COLUMNS",
    "MAX_RICH_RUNS",
    "MAX_ROWS",
    "MAX_ROW_CELLS",
    "MAX_TEXT_CHARS",
    "MAX_WORKBOOK_BYTES",
    "MAX_XML_ELEMENTS",
    "read_value_map",
    "write_value_map",
    "write_value_map_template",
]

MAX_WORKBOOK_BYTES = 20 * 1024 * 1024
"""Largest workbook read, on disk and for any part once uncompressed (bytes)."""
MAX_ROWS = 5_000
"""Rows read per sheet; a sheet with more is refused."""
MAX_COLUMNS = 400
"""Columns read per sheet (enough for 300 years of value)."""
MAX_CELLS = 200_000
"""Non-empty cells read per workbook."""
MAX_JSON_DEPTH = 64
_MAX_UNZIPPED = 5 * MAX_WORKBOOK_BYTES
SPARE_ROWS = 10
MIN_YEARS = 10
_CHUNK = 30_000

SHEETS: dict[str, dict[str, str]] = {
    "settings": {"en": "Settings", "fr": "Paramètres"},
    "stakeholders": {"en": "Stakeholders", "fr": "Parties prenantes"},
    "inputs": {"en": "Inputs", "fr": "Ressources"},
    "map": {"en": "Value map", "fr": "Carte de valeur"},
    "calc": {"en": "SROI calculation", "fr": "Calcul SROI"},
    "uncertainty": {"en": "Uncertainty", "fr": "Incertitude"},
    "data": {"en": "_data", "fr": "_data"},
}
REQUIRED = ("settings", "inputs", "map")

WORDS: dict[str, dict[str, str]] = {
    "en": {
        "key": "Field",
        "value": "Value",
        "label": "Meaning",
        "format_version": "File format version",
        "name": "Name of the analysis",
        "description": "Description",
        "currency": "Currency",
        "base_year": "Base year (prices)",
        "first_flow_at": "Timing: t1 = year 1 discounted, t0 = not",
        "setting_mode": "forecast or evaluative",
        "discount_rate": "Discount rate",
        "discount_name": "Name of the discount rate",
        "discount_schedule": "Declining schedule [[first year, rate], ...]",
        "price_index_name": "Price index",
        "price_index_source": "Source of the price index",
        "pi_year": "Index year",
        "pi_level": "Index level",
        "id": "Identifier",
        "size": "Number of people",
        "sh_note": "From the theory of change (kept in the hidden _data sheet); "
        "the value map's Stakeholder column uses these identifiers.",
        "price_factor": "Price factor to the base year",
        "in_kind": "In kind",
        "discount_factor": "Discount factor",
        "present_value": "Present value",
        "year": "Year",
        "year_value": "Value of the year (undiscounted)",
        "cumulative": "Cumulative present value",
        "total_present_value": "Total present value",
        "total_inputs": "Total inputs (present value)",
        "net_present_value": "Net present value",
        "sroi_ratio": "SROI ratio (value per unit invested)",
        "net_sroi_ratio": "Net SROI ratio",
        "payback_months": "Payback (months)",
        "period": "Period",
        "rate": "Rate of the period",
        "calc_title": "SROI calculation: every figure is a formula of the other sheets",
        "sheet": "Sheet",
        "cell": "Cell",
        "what": "Figure",
        "dist": "Distribution",
        "low": "Low",
        "mode": "Mode",
        "high": "High",
        "mean": "Mean",
        "sd": "Standard deviation",
        "lam": "PERT weight",
        "fixed": "Value (fixed)",
        "central": "Central value (mean)",
        "unc_note": "The value-map cell holds the central value (the mean) of its "
        "distribution; change both together.",
        "data_note": "impactkit data: theory of change and what no visible column shows. "
        "Do not edit.",
    },
    "fr": {
        "key": "Champ",
        "value": "Valeur",
        "label": "Signification",
        "format_version": "Version du format de fichier",
        "name": "Nom de l'analyse",
        "description": "Description",
        "currency": "Devise",
        "base_year": "Année de base (prix)",
        "first_flow_at": "Convention : t1 = année 1 actualisée, t0 = non",
        "setting_mode": "forecast (prévisionnelle) ou evaluative (évaluative)",
        "discount_rate": "Taux d'actualisation",
        "discount_name": "Nom du taux d'actualisation",
        "discount_schedule": "Taux dégressif [[première année, taux], ...]",
        "price_index_name": "Indice des prix",
        "price_index_source": "Source de l'indice des prix",
        "pi_year": "Année de l'indice",
        "pi_level": "Niveau de l'indice",
        "id": "Identifiant",
        "size": "Nombre de personnes",
        "sh_note": "Issues de la théorie du changement (conservée dans la feuille masquée "
        "_data) ; la colonne Partie prenante de la carte de valeur utilise ces identifiants.",
        "price_factor": "Facteur de prix vers l'année de base",
        "in_kind": "En nature",
        "discount_factor": "Facteur d'actualisation",
        "present_value": "Valeur actuelle",
        "year": "Année",
        "year_value": "Valeur de l'année (non actualisée)",
        "cumulative": "Valeur actuelle cumulée",
        "total_present_value": "Valeur actuelle totale",
        "total_inputs": "Total des ressources (valeur actuelle)",
        "net_present_value": "Valeur actuelle nette",
        "sroi_ratio": "Ratio SROI (valeur pour 1 investi)",
        "net_sroi_ratio": "Ratio SROI net",
        "payback_months": "Délai de retour (mois)",
        "period": "Période",
        "rate": "Taux de la période",
        "calc_title": "Calcul du SROI : chaque chiffre est une formule des autres feuilles",
        "sheet": "Feuille",
        "cell": "Cellule",
        "what": "Donnée",
        "dist": "Loi",
        "low": "Minimum",
        "mode": "Mode",
        "high": "Maximum",
        "mean": "Moyenne",
        "sd": "Écart type",
        "lam": "Poids PERT",
        "fixed": "Valeur (fixe)",
        "central": "Valeur centrale (moyenne)",
        "unc_note": "La cellule de la carte de valeur contient la valeur centrale (la "
        "moyenne) de sa loi ; modifiez les deux ensemble.",
        "data_note": "Données impactkit : théorie du changement et ce qu'aucune colonne "
        "visible ne montre. Ne pas modifier.",
    },
}

SETTINGS_KEYS = [
    "format_version",
    "name",
    "description",
    "currency",
    "base_year",
    "first_flow_at",
    "mode",
    "discount_rate",
    "discount_name",
    "discount_schedule",
    "price_index_name",
    "price_index_source",
]
SETTINGS_FIRST = 2  # row of the first key
PI_COL = 5  # price index table: years in column E, levels in F, from row 2
PI_ROWS = 100

STAGES: list[tuple[str, list[str]]] = [
    ("stage_1", ["stakeholder"]),
    ("stage_2", ["outcome", "label"]),
    (
        "stage_3",
        [
            "indicator",
            "quantity",
            "duration",
            "start_year",
            "proxy_description",
            "proxy_value",
            "proxy_currency",
            "proxy_year",
            "proxy_source",
            "price_factor",
        ],
    ),
    (
        "stage_4",
        [
            "deadweight",
            "displacement",
            "attribution",
            "leakage",
            "drop_off",
            "drop_off_method",
            "impact",
        ],
    ),
]
KEY_ROW = 3
FIRST_ROW = 4
INPUT_COLUMNS = [
    "label",
    "amount",
    "stakeholder",
    "year",
    "in_kind",
    "source",
    "description",
    "discount_factor",
    "present_value",
]
INPUT_FIRST = 3
UNC_COLUMNS = ["sheet", "cell", "what", "dist", "low", "mode", "high", "mean", "sd", "lam"]
UNC_COLUMNS += ["fixed", "central"]
UNC_FIRST = 4
COMPUTED = {"price_factor", "impact", "present_value", "discount_factor", "what", "central"}
PROXY_FIELDS = {
    "proxy_description": "description",
    "proxy_value": "value",
    "proxy_currency": "currency",
    "proxy_year": "year",
    "proxy_source": "source",
}
ROW_NUMBERS = {
    "quantity",
    "duration",
    "deadweight",
    "displacement",
    "attribution",
    "leakage",
    "drop_off",
    "proxy_value",
}
PERCENT = {"deadweight", "displacement", "attribution", "leakage", "drop_off", "discount_rate"}
INTEGERS = {"start_year", "proxy_year", "year", "base_year", "format_version", "size"}
DIST_PARAMS = {
    "fixed": ("value",),
    "uniform": ("low", "high"),
    "triangular": ("low", "mode", "high"),
    "pert": ("low", "mode", "high", "lam"),
    "normal": ("mean", "sd", "low", "high"),
    "lognormal": ("mean", "sd"),
    "beta": ("mean", "sd", "low", "high"),
}
_SYMBOLS = {"EUR": "€", "GBP": "£", "USD": "$", "CHF": "CHF"}


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - the excel extra
        raise ImportError(
            "Excel value maps need openpyxl: pip install 'impactkit[excel]'"
        ) from exc
    return openpyxl


def _lang(lang: str) -> str:
    if lang not in WORDS:
        raise ValidationError(
            f"lang must be one of en, fr, got {lang!r}", path=("lang",), code="invalid_choice"
        )
    return lang


def _heading(key: str, lang: str) -> str:
    from impactkit.report._i18n import TEXTS

    if key.startswith("year_"):
        return TEXTS[lang]["year_n"].format(n=int(key[5:]))
    if key in WORDS[lang]:
        return WORDS[lang][key]
    special = {
        "proxy_description": "proxy",
        "proxy_currency": "currency",
        "proxy_year": "price_year",
        "drop_off_method": "drop_off",
    }
    text = TEXTS[lang].get(special.get(key, key), key)
    if key == "drop_off_method":
        text += " (compound / linear)"
    return text


def _map_columns(years: int) -> list[str]:
    cols = [c for _, group in STAGES for c in group]
    return [*cols, *[f"year_{i}" for i in range(1, years + 1)], "present_value"]


# --------------------------------------------------------------------------- writing
class _Book:
    """The workbook being written, with its styles and cell helpers."""

    def __init__(self, lang: str, currency: str) -> None:
        openpyxl = _openpyxl()
        from openpyxl.styles import Alignment, Font, PatternFill

        self.wb = openpyxl.Workbook()
        self.lang = lang
        self.bold = Font(bold=True)
        self.key_font = Font(italic=True, color="808080", size=8)
        self.head_fill = PatternFill("solid", fgColor="DCE6F1")
        self.calc_fill = PatternFill("solid", fgColor="F2F2F2")
        self.wrap = Alignment(wrap_text=True, vertical="top")
        sym = _SYMBOLS.get(currency, currency)
        self.money = f'#,##0.00 "{sym}"' if sym else "#,##0.00"
        self.pct = "0.0%"

    def sheet(self, key: str) -> Any:
        name = SHEETS[key][self.lang]
        if self.wb.sheetnames == ["Sheet"]:
            ws = self.wb.active
            ws.title = name
            return ws
        return self.wb.create_sheet(name)

    @staticmethod
    def put(ws: Any, row: int, col: int, value: Any, fmt: str | None = None) -> Any:
        """Write a value; text is always text, never a formula."""
        c = ws.cell(row=row, column=col)
        if value is None:
            return c
        c.value = value
        if isinstance(value, str):
            c.data_type = "s"
            if value[:1] in "=+-@":
                c.quotePrefix = True
        if fmt:
            c.number_format = fmt
        return c

    def formula(self, ws: Any, row: int, col: int, text: str, fmt: str | None = None) -> Any:
        c = ws.cell(row=row, column=col)
        c.value = text
        c.fill = self.calc_fill
        if fmt:
            c.number_format = fmt
        return c

    def header(self, ws: Any, row: int, keys: list[str], key_row: int | None) -> None:
        from openpyxl.utils import get_column_letter

        for j, key in enumerate(keys, start=1):
            c = self.put(ws, row, j, _heading(key, self.lang))
            c.font, c.fill, c.alignment = self.bold, self.head_fill, self.wrap
            if key_row is not None:
                self.put(ws, key_row, j, key).font = self.key_font
            width = 30 if key in ("label", "proxy_source", "source", "description") else 14
            ws.column_dimensions[get_column_letter(j)].width = width

    def define(self, name: str, ref: str) -> None:
        from openpyxl.workbook.defined_name import DefinedName

        self.wb.defined_names[name] = DefinedName(name, attr_text=ref)


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def _plain(model: ImpactModel | None) -> dict[str, Any]:
    if model is not None:
        return to_dict(model)
    return {
        "format_version": FORMAT_VERSION,
        "name": "",
        "currency": "EUR",
        "discount": {"rate": 0.035},
        "inputs": [],
        "outcomes": [],
    }


def _central(v: Any) -> Any:
    if isinstance(v, dict) and "dist" in v:
        from impactkit.dist import from_dict as dist_from_dict

        return dist_from_dict(v).central
    return v


def _years_needed(model: ImpactModel | None) -> int:
    if model is None:
        return MIN_YEARS
    from impactkit.dist import central

    need = 0
    for ov in model.outcomes:
        d = central(ov.duration) if not callable(getattr(ov.duration, "compute", None)) else 1
        need = max(need, ov.start_year + math.ceil(d) - 1)
    return max(MIN_YEARS, need)


# characters a worksheet cell cannot hold: the control characters XML 1.0 refuses
# (tab, line feed and carriage return are fine), U+FFFE, U+FFFF and surrogates
_CELL_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# what travels as JSON in the hidden sheet, where such characters are escaped
_HIDDEN_KEYS = {"toc", "metadata", "evidence", "engagement", "sources"}


def _unwritable(value: Any, path: tuple[PathElement, ...], out: list[Problem]) -> None:
    """Text of the visible sheets holding a character no worksheet cell can hold."""
    if isinstance(value, str):
        m = _CELL_ILLEGAL.search(value)
        if m is not None:
            out.append(
                Problem(
                    path,
                    "unwritable_character",
                    f"holds the character U+{ord(m.group()):04X}, which a spreadsheet cell "
                    "cannot hold; remove it, or write the model as JSON or YAML",
                )
            )
    elif isinstance(value, dict):
        for k, v in value.items():
            if k in _HIDDEN_KEYS and not (k == "toc" and not path):
                continue
            if k == "toc":  # its stakeholders are shown on their own sheet
                v = {"stakeholders": v.get("stakeholders", [])} if isinstance(v, dict) else v
            _unwritable(v, (*path, str(k)), out)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _unwritable(v, (*path, i), out)


def _shared(model: ImpactModel, plain: dict[str, Any]) -> None:
    """Keep in ``plain`` only the records a workbook may hold, warning when it loses some.

    A workbook is shared like a report: evidence without consent is left out
    (:func:`impactkit.qualitative.consented`), the speakers' names and those
    listed under ``personal_names`` in the metadata are pseudonymised
    (:func:`impactkit.qualitative.pseudonymise`), and that list is left out.
    The model file keeps everything.
    """
    import warnings

    from impactkit.errors import ImpactkitWarning
    from impactkit.qualitative import consented, pseudonymise

    items = list(model.evidence)
    meta = dict(model.metadata)
    listed = meta.pop("personal_names", None)
    if not items and listed is None:
        return
    names = [e.person for e in items if e.person.strip()]
    if isinstance(listed, list | tuple):
        names += [n for n in listed if isinstance(n, str) and n.strip()]
    shown = consented(items)
    if names and shown:
        shown = pseudonymise(shown, list(dict.fromkeys(names)))
    if shown == tuple(items) and listed is None:
        return
    shared = to_dict(model.evolve(evidence=shown, metadata=meta))
    plain["evidence"] = shared.get("evidence", [])
    plain["metadata"] = shared.get("metadata", {})
    withheld = len(items) - len(consented(items))
    warnings.warn(
        f"the workbook holds what a report may show: {withheld} of {len(items)} evidence "
        "records without consent are left out, and personal names are pseudonymised; "
        "the model file (JSON or YAML) keeps everything",
        ImpactkitWarning,
        stacklevel=4,
    )


def _write(model: ImpactModel | None, path: Path, lang: str) -> None:
    lang = _lang(lang)
    plain = _plain(model)
    if model is not None:
        _shared(model, plain)
    problems: list[Problem] = []
    _unwritable(plain, (), problems)
    if problems:
        raise ValidationError(problems)
    w = WORDS[lang]
    book = _Book(lang, plain.get("currency", "EUR"))
    years = _years_needed(model)
    max_input_year = max((int(i.get("year", 0)) for i in plain["inputs"]), default=0)
    periods = max(years, max_input_year) + 1
    names = {k: SHEETS[k][lang] for k in SHEETS}
    unc: list[tuple[str, str, str, dict[str, Any]]] = []  # sheet, cell, what, dist

    # Settings ------------------------------------------------------------------
    ws = book.sheet("settings")
    book.header(ws, 1, ["key", "value", "label"], None)
    ws.column_dimensions["B"].width = 40
    ws.column_dimensions["C"].width = 48
    disc = plain.get("discount", {"rate": 0.035})
    values: dict[str, Any] = {
        "format_version": plain.get("format_version", FORMAT_VERSION),
        "name": plain.get("name", ""),
        "description": plain.get("description", ""),
        "currency": plain.get("currency", "EUR"),
        "base_year": plain.get("base_year"),
        "first_flow_at": plain.get("first_flow_at", "t1"),
        "mode": plain.get("mode", "forecast"),
    }
    if isinstance(disc, str):
        from impactkit.io._converter import PRESETS

        disc = to_dict(ImpactModel("x", discount=PRESETS[disc]))["discount"]
    values["discount_name"] = disc.get("name", "")
    if "rate" in disc:
        rate = disc["rate"]
        values["discount_rate"] = _central(rate)
        if isinstance(rate, dict):
            row = SETTINGS_FIRST + SETTINGS_KEYS.index("discount_rate")
            unc.append((names["settings"], f"B{row}", w["discount_rate"], rate))
    else:
        values["discount_schedule"] = json.dumps(disc["bands"])
    pi = plain.get("price_index") or {}
    values["price_index_name"] = pi.get("name", "")
    values["price_index_source"] = pi.get("source", "")
    for i, key in enumerate(SETTINGS_KEYS):
        r = SETTINGS_FIRST + i
        book.put(ws, r, 1, key).font = book.key_font
        v = values.get(key)
        book.put(ws, r, 2, None if v == "" else v, book.pct if key == "discount_rate" else None)
        book.put(ws, r, 3, w.get(f"setting_{key}", w[key]))
    for key in ("discount_rate", "base_year", "first_flow_at"):
        row = SETTINGS_FIRST + SETTINGS_KEYS.index(key)
        book.define(key, f"{_q(names['settings'])}!$B${row}")
    for j, key in enumerate(("pi_year", "pi_level")):
        c = book.put(ws, 1, PI_COL + j, w[key])
        c.font, c.fill = book.bold, book.head_fill
        ws.column_dimensions[_letter(PI_COL + j)].width = 14
    for i, (year, level) in enumerate(sorted(pi.get("values", {}).items())):
        book.put(ws, 2 + i, PI_COL, int(year))
        book.put(ws, 2 + i, PI_COL + 1, level)
    last_pi = 1 + PI_ROWS
    pi_years = f"{_q(names['settings'])}!${_letter(PI_COL)}$2:${_letter(PI_COL)}${last_pi}"
    pi_levels = (
        f"{_q(names['settings'])}!${_letter(PI_COL + 1)}$2:${_letter(PI_COL + 1)}${last_pi}"
    )
    book.define("price_index_years", pi_years)
    book.define("price_index_levels", pi_levels)

    # Stakeholders -------------------------------------------------------------
    ws = book.sheet("stakeholders")
    book.put(ws, 1, 1, w["sh_note"])
    book.header(ws, 2, ["id", "label", "size", "description"], None)
    toc = model.toc if model is not None else None
    for i, s in enumerate(toc.stakeholders if toc is not None else ()):
        for j, v in enumerate((s.id, s.label, s.size, s.description), start=1):
            book.put(ws, 3 + i, j, v if v != "" else None)

    # Inputs --------------------------------------------------------------------
    calc_name = _q(names["calc"])
    ws = book.sheet("inputs")
    book.header(ws, 1, INPUT_COLUMNS, 2)
    icol = {k: _letter(j) for j, k in enumerate(INPUT_COLUMNS, start=1)}
    n_in = len(plain["inputs"]) + SPARE_ROWS
    for i in range(n_in):
        r = INPUT_FIRST + i
        raw = plain["inputs"][i] if i < len(plain["inputs"]) else None
        if raw is not None:
            amount = raw.get("amount")
            if isinstance(amount, dict):
                unc.append((names["inputs"], f"{icol['amount']}{r}", raw["label"], amount))
            in_row = {
                "label": raw.get("label"),
                "amount": _central(amount),
                "stakeholder": raw.get("stakeholder") or None,
                "year": raw.get("year", 0),
                "in_kind": raw.get("in_kind", False),
                "source": raw.get("source") or None,
                "description": raw.get("description") or None,
            }
            for j, k in enumerate(INPUT_COLUMNS[:7], start=1):
                book.put(ws, r, j, in_row[k], book.money if k == "amount" else None)
        a, yc = f"{icol['amount']}{r}", f"{icol['year']}{r}"
        period = f'IF(first_flow_at="t0",MAX(N({yc})-1,0),N({yc}))'
        book.formula(
            ws,
            r,
            INPUT_COLUMNS.index("discount_factor") + 1,
            f'=IF({a}="","",INDEX(discount_factors,1,{period}+1))',
            "0.0000",
        )
        book.formula(
            ws,
            r,
            INPUT_COLUMNS.index("present_value") + 1,
            f'=IF({a}="","",{a}*{icol["discount_factor"]}{r})',
            book.money,
        )
    last_in = INPUT_FIRST + n_in - 1
    in_pv = f"{_q(names['inputs'])}!{icol['present_value']}{INPUT_FIRST}:"
    in_pv += f"{icol['present_value']}{last_in}"
    ws.freeze_panes = ws.cell(row=INPUT_FIRST, column=2)

    # Value map -----------------------------------------------------------------
    ws = book.sheet("map")
    cols = _map_columns(years)
    col = 1
    for stage, group in [*STAGES, ("stage_5", cols[len(_map_columns(0)) - 1 :])]:
        from impactkit.report._i18n import t

        c = book.put(ws, 1, col, t(stage, lang))
        c.font = book.bold
        if len(group) > 1:
            ws.merge_cells(
                start_row=1, start_column=col, end_row=1, end_column=col + len(group) - 1
            )
        col += len(group)
    book.header(ws, 2, cols, KEY_ROW)
    L = {k: _letter(j) for j, k in enumerate(cols, start=1)}
    outcomes = plain["outcomes"]
    extras: list[dict[str, Any]] = []
    n_rows = len(outcomes) + SPARE_ROWS
    for i in range(n_rows):
        r = FIRST_ROW + i
        raw = outcomes[i] if i < len(outcomes) else None
        if raw is not None:
            extras.append(_write_outcome(book, ws, r, raw, L, names["map"], unc))

        def c(k: str, r: int = r) -> str:
            return f"{L[k]}{r}"

        q, pv = c("quantity"), c("proxy_value")
        py = c("proxy_year")
        book.formula(
            ws,
            r,
            cols.index("price_factor") + 1,
            f'=IF(OR({py}="",base_year="",{py}=base_year),1,'
            f"INDEX(price_index_levels,MATCH(base_year,price_index_years,0))/"
            f"INDEX(price_index_levels,MATCH({py},price_index_years,0)))",
            "0.0000",
        )
        cuts = "*".join(
            f"(1-N({c(k)}))" for k in ("deadweight", "displacement", "attribution", "leakage")
        )
        impact = c("impact")
        book.formula(
            ws,
            r,
            cols.index("impact") + 1,
            f'=IF(OR({q}="",{pv}=""),"",{q}*{pv}*{c("price_factor")}*{cuts})',
            book.money,
        )
        st = f'IF({c("start_year")}="",1,{c("start_year")})'
        dur = f'IF({c("duration")}="",1,{c("duration")})'
        d = f"N({c('drop_off')})"
        for y in range(1, years + 1):
            jj = f"({y}-{st})"
            decay = (
                f'IF({c("drop_off_method")}="linear",MAX(1-{d}*{jj},0),IF({jj}=0,1,(1-{d})^{jj}))'
            )
            book.formula(
                ws,
                r,
                cols.index(f"year_{y}") + 1,
                f'=IF({impact}="","",IF({y}<{st},0,{impact}*MIN(MAX({dur}-{jj},0),1)*{decay}))',
                book.money,
            )
        first, last = c("year_1"), c(f"year_{years}")
        last_col = _letter(1 + years)
        book.formula(
            ws,
            r,
            cols.index("present_value") + 1,
            f'=IF({impact}="","",SUMPRODUCT({first}:{last},{calc_name}!$B$5:${last_col}$5))',
            book.money,
        )
    last_row = FIRST_ROW + n_rows - 1
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)

    # SROI calculation ------------------------------------------------------------
    ws = book.sheet("calc")
    book.put(ws, 1, 1, w["calc_title"]).font = book.bold
    ws.column_dimensions["A"].width = 40
    for row, key in ((3, "year"), (4, "year_value"), (5, "discount_factor"), (6, "present_value")):
        book.put(ws, row, 1, w[key]).font = book.bold
    book.put(ws, 7, 1, w["cumulative"]).font = book.bold
    map_name = _q(names["map"])
    for y in range(1, years + 1):
        col = 1 + y
        x = _letter(col)
        ws.column_dimensions[x].width = 14
        book.put(ws, 3, col, y)
        yl = L[f"year_{y}"]
        book.formula(ws, 4, col, f"=SUM({map_name}!{yl}{FIRST_ROW}:{yl}{last_row})", book.money)
        book.formula(
            ws,
            5,
            col,
            f'=IF(first_flow_at="t0",INDEX(discount_factors,1,{x}3),'
            f"INDEX(discount_factors,1,{x}3+1))",
            "0.0000",
        )
        book.formula(ws, 6, col, f"={x}4*{x}5", book.money)
        book.formula(ws, 7, col, f"=SUM($B$6:{x}6)", book.money)
    last = _letter(1 + years)
    summary = [
        ("total_present_value", f"=SUM(B6:{last}6)", book.money),
        ("total_inputs", f"=SUM({in_pv})", book.money),
        ("net_present_value", "=B9-B10", book.money),
        ("sroi_ratio", "=B9/B10", "0.00"),
        ("net_sroi_ratio", "=B11/B10", "0.00"),
        ("payback_months", '=IF(B4>0,B10/(B4/12),"")', "0.0"),
    ]
    for i, (key, text, fmt) in enumerate(summary):
        r = 9 + i
        book.put(ws, r, 1, w[key]).font = book.bold
        cell = book.formula(ws, r, 2, text, fmt)
        cell.font = book.bold
        book.define(key, f"{_q(names['calc'])}!$B${r}")
    for row, key in ((16, "period"), (17, "rate"), (18, "discount_factor")):
        book.put(ws, row, 1, w[key]).font = book.bold
    rates = _schedule_rates(model, periods)
    for p in range(periods + 1):
        col = 2 + p
        x = _letter(col)
        book.put(ws, 16, col, p)
        if p == 0:
            book.put(ws, 18, col, 1.0, "0.0000")
            continue
        if rates is None:
            book.formula(ws, 17, col, "=discount_rate", book.pct)
        else:
            book.put(ws, 17, col, rates[p], book.pct)
        book.formula(ws, 18, col, f"={_letter(col - 1)}18/(1+{x}17)", "0.0000")
    book.define("discount_factors", f"{_q(names['calc'])}!$B$18:${_letter(2 + periods)}$18")

    # Uncertainty -----------------------------------------------------------------
    ws = book.sheet("uncertainty")
    book.put(ws, 1, 1, w["unc_note"])
    book.header(ws, 2, UNC_COLUMNS, UNC_FIRST - 1)
    for i, (sheet, cell, what, dist) in enumerate(unc):
        r = UNC_FIRST + i
        vals = {"sheet": sheet, "cell": cell, "what": what, "dist": dist["dist"]}
        for k, v in dist.items():
            if k != "dist":
                vals["fixed" if k == "value" else k] = v
        vals["central"] = _central(dist)
        for j, k in enumerate(UNC_COLUMNS, start=1):
            book.put(ws, r, j, vals.get(k))

    # Hidden data -----------------------------------------------------------------
    ws = book.sheet("data")
    ws.sheet_state = "hidden"
    book.put(ws, 1, 1, w["data_note"])
    blobs = {
        "toc": plain.get("toc"),
        "metadata": plain.get("metadata") or None,
        "outcomes": extras if any(len(e) > 1 for e in extras) else None,
        "evidence": plain.get("evidence") or None,
        "engagement": plain.get("engagement") or None,
    }
    r = 2
    for key, blob in blobs.items():
        if blob is None:
            continue
        text = _XML_ILLEGAL.sub(
            lambda m: f"\\u{ord(m.group()):04x}",  # escaped: JSON reads them back
            json.dumps(blob, ensure_ascii=False, sort_keys=False),
        )
        book.put(ws, r, 1, key)
        for j in range(0, len(text), _CHUNK):
            book.put(ws, r, 2 + j // _CHUNK, text[j : j + _CHUNK])
        r += 1
    _save(book.wb, path)


# characters XML 1.0 cannot hold (JSON already escapes the control characters)
_XML_ILLEGAL = re.compile("[\ud800-\udfff\ufffe\uffff]")


def _schedule_rates(model: ImpactModel | None, periods: int) -> list[float] | None:
    from impactkit.discount import Schedule

    if model is None or not isinstance(model.discount, Schedule):
        return None
    return [float(x) for x in model.discount.rates(periods)]


def _write_outcome(
    book: _Book,
    ws: Any,
    r: int,
    raw: dict[str, Any],
    L: dict[str, str],
    sheet: str,
    unc: list[tuple[str, str, str, dict[str, Any]]],
) -> dict[str, Any]:
    proxy = raw["proxy"] if isinstance(raw["proxy"], dict) else {"value": raw["proxy"]}
    extra: dict[str, Any] = {"outcome": raw["outcome"]}
    for k in ("sources", "evidence"):
        if raw.get(k):
            extra[k] = raw[k]
    for k in ("unit", "transfer", "benefit_in_kind", "index_rule"):
        if proxy.get(k):
            extra.setdefault("proxy", {})[k] = proxy[k]
    vals: dict[str, Any] = {
        "stakeholder": raw["stakeholder"],
        "outcome": raw["outcome"],
        "label": raw.get("label") or None,
        "indicator": raw.get("indicator") or None,
        "start_year": raw.get("start_year", 1),
        "drop_off_method": raw.get("drop_off_method", "compound"),
        "proxy_description": proxy.get("description") or None,
        "proxy_currency": proxy.get("currency"),
        "proxy_year": proxy.get("year"),
        "proxy_source": proxy.get("source") or None,
    }
    what = raw.get("label") or raw["outcome"]
    defaults = {"duration": 1, "quantity": None}
    for f in ("quantity", "duration", "deadweight", "displacement", "attribution", "leakage"):
        vals[f] = raw.get(f, defaults.get(f, 0.0))
    vals["drop_off"] = raw.get("drop_off", 0.0)
    vals["proxy_value"] = proxy["value"]
    for f in ROW_NUMBERS:
        v = vals[f]
        if isinstance(v, dict) and ("calculator" in v or "estimator" in v):
            extra[f] = v
            vals[f] = None
        elif isinstance(v, dict):
            from impactkit.report._i18n import TEXTS

            head = TEXTS[book.lang].get(f, f)
            unc.append((sheet, f"{L[f]}{r}", f"{head} — {what}", v))
            vals[f] = _central(v)
    for k, v in vals.items():
        fmt = book.pct if k in PERCENT else book.money if k == "proxy_value" else None
        book.put(ws, r, list(L).index(k) + 1, v, fmt)
    return extra


_SAVE_LOCK = threading.Lock()


def _exact(safe_string: Any) -> Any:
    """openpyxl's number formatter, writing floats with every digit (``repr``).

    openpyxl writes ``%.16g``, which loses the last digit of some floats; a
    value map must read back to the very same model.
    """

    def fmt(value: Any) -> Any:
        if type(value) is float and math.isfinite(value):
            return repr(value)
        return safe_string(value)

    return fmt


def _save(wb: Any, path: Path) -> None:
    import openpyxl.cell._writer as cell_writer

    from impactkit._atomic import open_for_write

    with open_for_write(path) as fh, _SAVE_LOCK:
        original = cell_writer.safe_string
        cell_writer.safe_string = _exact(original)
        try:
            wb.save(fh)
        finally:
            cell_writer.safe_string = original


def write_value_map(
    model: ImpactModel, path: str | os.PathLike[str], *, lang: str = "en", data: Any = None
) -> None:
    """Write a model as a live Excel value map.

    Parameters
    ----------
    model : ImpactModel
        The model; its theory of change travels in a hidden sheet.
    path : str or path-like
        The ``.xlsx`` file; written atomically (no partial file on failure).
    lang : {"en", "fr"}
        Language of the sheet names and headings (row 3 of the value map
        keeps the field names the reader relies on).
    data : mapping, optional
        Accepted for compatibility; the workbook computes its figures itself.

    Returns
    -------
    None

    Raises
    ------
    ValidationError
        An unknown ``lang``, or text of a visible sheet holding a character
        no spreadsheet cell can hold (a control character, U+FFFE, U+FFFF),
        each at its path (``outcomes[0].label``); nothing is written.

    Notes
    -----
    Price factor, impact, the value of each year, present values, totals, the
    net present value and the SROI ratio are formulas, so the workbook stays
    right when a figure is edited; :func:`read_value_map` reads the inputs
    back and never the computed cells. Quantities measured by a calculator
    are kept in the hidden ``_data`` sheet and left blank in the value map;
    so are the evidence and engagement records, which no visible sheet shows.
    A workbook is shared like a report: evidence without consent is left
    out and personal names (speakers, ``metadata["personal_names"]``) are
    pseudonymised, with an :class:`~impactkit.ImpactkitWarning`; the round
    trip is exact for models without such records.

    Examples
    --------
    >>> import tempfile, pathlib, impactkit as ik
    >>> m = ik.examples.load_example()
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "carte.xlsx"
    >>> ik.io.write_value_map(m, p, lang="fr")
    >>> ik.io.read_value_map(p) == m
    True
    """
    del data
    _write(model, Path(path), lang)


def write_value_map_template(path: str | os.PathLike[str], *, lang: str = "en") -> None:
    """Write an empty live value map for practitioners to fill by hand.

    Parameters
    ----------
    path : str or path-like
        The ``.xlsx`` file.
    lang : {"en", "fr"}
        Language of the sheet names and headings.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile, pathlib, impactkit as ik
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "modele.xlsx"
    >>> ik.io.write_value_map_template(p, lang="fr")
    >>> p.exists()
    True
    """
    _write(None, Path(path), lang)


# --------------------------------------------------------------------------- reading
class _Limits(Exception):
    pass


_BAD = object()  # an input cell whose value could not be read (already reported)
# stand-ins for values already reported as wrong: valid, so that the model's own
# checks still run on the rest of the workbook without repeating the problem
_STAND_IN: dict[str, Any] = {
    **dict.fromkeys(ROW_NUMBERS, 0.0),
    "duration": 1,
    "start_year": 1,
    "outcome": "unreadable",
    "stakeholder": "unreadable",
    "input_amount": 0.0,
    "input_year": 0,
    "input_label": "unreadable",
    "input_in_kind": False,
}


def _cell_ref(col: int, row: int) -> str:
    return f"{_letter(col)}{row}"


class _Problems(list[Problem]):
    """The problems found while reading, and the language to word them in."""

    lang = "en"


_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "ambiguous": "{ref}: ambiguous number {text!r}: thousands or decimals? Enter the cell "
        "as a number (not as text), or write it without a thousands separator (1234) or with "
        "a fourth decimal (1.2340)",
        "formula": "{ref}: this input cell holds the formula {formula!r}; only typed values are "
        "read, because the value a spreadsheet saved with a formula may be stale. Type the value",
        "external": "{ref}: this input cell takes its value from another workbook "
        "({formula!r}); type the value",
        "merged": "{ref}: the cells {range} are merged; every input cell holds its own value "
        "(a merged cell reads as blank below its first cell). Unmerge them and type each value",
        "hidden": "{ref}: the hidden sheet gives {field!r} for the outcome {outcome!r}, which has "
        "a column in the value map; only what the value map shows is read, so type the value "
        "in the value map",
        "elements": "more than {limit} XML elements; a value map is read within this limit",
        "row_cells": "row {row} holds more than {limit} cells",
        "rows": "more than {limit} rows (row {row})",
        "cell_elements": "more than {limit} cells in the workbook",
        "runs": "more than {limit} rich-text runs",
        "text": "more than {limit} characters of text",
        "dimension": "the sheet declares the dimension {ref!r}, beyond {rows} rows or "
        "{cols} columns",
        "dtd": "a document type declaration, which a workbook never holds",
        "xml": "not well-formed XML ({error})",
        "member": "the part cannot be read ({error})",
        "sh_unknown": "{ref}: the stakeholder {id!r} is not in the theory of change; this "
        "sheet edits the label, size and description of its stakeholders, which are added "
        "in the model file",
        "sh_missing": "the stakeholder {id!r} of the theory of change has no row in this sheet; "
        "its nodes need it: put its row back",
        "sh_label": "{ref}: the stakeholder {id!r} needs a label",
    },
    "fr": {
        "ambiguous": "{ref} : nombre ambigu {text!r} : milliers ou décimales ? Saisissez la "
        "cellule comme un nombre (et non comme du texte), ou écrivez-le sans séparateur de "
        "milliers (1234) ou avec une quatrième décimale (1,2340)",
        "formula": "{ref} : cette cellule de saisie contient la formule {formula!r} ; seules les "
        "valeurs saisies sont lues, car la valeur enregistrée avec une formule peut être "
        "périmée. Saisissez la valeur",
        "external": "{ref} : cette cellule de saisie prend sa valeur dans un autre classeur "
        "({formula!r}) ; saisissez la valeur",
        "merged": "{ref} : les cellules {range} sont fusionnées ; chaque cellule de saisie a sa "
        "propre valeur (une cellule fusionnée se lit vide sous sa première cellule). "
        "Annulez la fusion et saisissez chaque valeur",
        "hidden": "{ref} : la feuille masquée donne {field!r} pour l'effet {outcome!r}, qui a "
        "une colonne dans la carte de valeur ; seul ce que montre la carte est lu, saisissez "
        "donc la valeur dans la carte de valeur",
        "elements": "plus de {limit} éléments XML ; une carte de valeur est lue dans cette limite",
        "row_cells": "la ligne {row} a plus de {limit} cellules",
        "rows": "plus de {limit} lignes (ligne {row})",
        "cell_elements": "plus de {limit} cellules dans le classeur",
        "runs": "plus de {limit} segments de texte enrichi",
        "text": "plus de {limit} caractères de texte",
        "dimension": "la feuille déclare la dimension {ref!r}, au-delà de {rows} "
        "lignes ou {cols} colonnes",
        "dtd": "une déclaration de type de document, qu'un classeur ne contient jamais",
        "xml": "XML mal formé ({error})",
        "member": "la partie ne peut pas être lue ({error})",
        "sh_unknown": "{ref} : la partie prenante {id!r} n'est pas dans la théorie du "
        "changement ; cette feuille modifie le libellé, l'effectif et la description de ses "
        "parties prenantes, qui s'ajoutent dans le fichier du modèle",
        "sh_missing": "la partie prenante {id!r} de la théorie du changement n'a pas de ligne "
        "dans cette feuille ; ses nœuds en ont besoin : remettez sa ligne",
        "sh_label": "{ref} : la partie prenante {id!r} doit avoir un libellé",
    },
}


def _say(lang: str, key: str, **kw: Any) -> str:
    """A message in the workbook's language; whole numbers grouped the way it writes them."""
    sep = "\u202f" if lang == "fr" else ","
    for k, v in kw.items():
        if isinstance(v, int) and not isinstance(v, bool):
            kw[k] = f"{v:,}".replace(",", sep)
    return _TEXTS.get(lang, _TEXTS["en"])[key].format(**kw)


MAX_XML_ELEMENTS = 1_000_000
"""XML elements read per workbook, every part together, before anything is built."""
MAX_CELL_ELEMENTS = 400_000
"""Cell elements (filled or empty) per workbook."""
MAX_ROW_CELLS = 16_384
"""Cell elements per row (the column count of a spreadsheet)."""
MAX_RICH_RUNS = 20_000
"""Rich-text runs per workbook."""
MAX_TEXT_CHARS = 32_000_000
"""Characters of text per workbook."""

_DIMENSION = re.compile(r"^\$?([A-Z]{1,3})\$?(\d{1,7})(?::\$?([A-Z]{1,3})\$?(\d{1,7}))?$")


def _col_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + ord(ch) - 64
    return n


def _range_bounds(ref: str) -> tuple[int, int, int, int] | None:
    """(min_col, min_row, max_col, max_row) of ``A1`` or ``A1:C4``; None when malformed."""
    m = _DIMENSION.match(ref.strip().upper())
    if m is None:
        return None
    c1, r1 = _col_number(m.group(1)), int(m.group(2))
    c2 = _col_number(m.group(3)) if m.group(3) else c1
    r2 = int(m.group(4)) if m.group(4) else r1
    return min(c1, c2), min(r1, r2), max(c1, c2), max(r1, r2)


class _Scan:
    """One streaming pass over every XML part, counting before anything is built.

    openpyxl builds a whole row, and every rich-text run of the shared strings,
    before a caller sees it: a few kilobytes of zipped XML can ask for
    gigabytes. This pass keeps nothing but counts and the merged ranges, and
    stops at the first limit.
    """

    def __init__(self, z: zipfile.ZipFile, lang: str) -> None:
        self.z = z
        self.lang = lang
        self.elements = self.cells = self.runs = self.text = 0
        self.sheet_names: dict[str, str] = {}  # part -> sheet name
        self.merges: dict[str, list[str]] = {}  # sheet name -> merged ranges

    def refuse(self, where: str, key: str, **kw: Any) -> FileFormatError:
        return FileFormatError(
            [Problem((where,), "too_large", _say(self.lang, key, where=where, **kw))]
        )

    def parse(self, member: str, kind: str) -> list[tuple[str, dict[str, str]]]:
        """Stream one part; returns the elements of interest (workbook and rels parts).

        Elements are counted on the raw bytes before they reach the parser (``<``
        not followed by ``/``: an upper bound), so a part is refused before a
        single handler runs on what lies beyond the limit; the handlers look
        only at the few elements that matter.
        """
        from xml.parsers import expat

        where = self.sheet_names.get(member, member)
        found: list[tuple[str, dict[str, str]]] = []
        row: list[Any] = ["?", 0, 0]  # row number, cells in the row, rows so far
        merges = self.merges.setdefault(where, []) if kind == "sheet" else []

        def run() -> None:
            self.runs += 1
            if self.runs > MAX_RICH_RUNS:
                raise self.refuse(where, "runs", limit=MAX_RICH_RUNS)

        def sheet(name: str, attrs: dict[str, str]) -> None:
            # one function, most frequent first: it runs on every element of a sheet
            if ":" in name:
                name = name.rpartition(":")[2]
            if name == "c":
                row[1] += 1
                if row[1] > MAX_ROW_CELLS:
                    raise self.refuse(where, "row_cells", row=row[0], limit=MAX_ROW_CELLS)
                self.cells += 1
                if self.cells > MAX_CELL_ELEMENTS:
                    raise self.refuse(where, "cell_elements", limit=MAX_CELL_ELEMENTS)
            elif name == "row":
                row[0], row[1], row[2] = attrs.get("r", "?"), 0, row[2] + 1
                r = row[0]
                number = (int(r) if len(r) < 9 else 10**9) if r.isdigit() else row[2]
                if max(number, row[2]) > 4 * MAX_ROWS:
                    raise self.refuse(where, "rows", row=row[0], limit=4 * MAX_ROWS)
            elif name == "r":
                run()
            elif name == "mergeCell":
                merges.append(str(attrs.get("ref", "")))
            elif name == "dimension":
                self.dimension(where, str(attrs.get("ref", "")))

        def strings(name: str, attrs: dict[str, str]) -> None:
            if name == "r" or name.endswith(":r"):
                run()

        def listed(name: str, attrs: dict[str, str]) -> None:
            local = name.rpartition(":")[2]
            if local in ("sheet", "Relationship"):
                found.append((local, dict(attrs)))

        def chars(data: str) -> None:
            self.text += len(data)
            if self.text > MAX_TEXT_CHARS:
                raise self.refuse(where, "text", limit=MAX_TEXT_CHARS)

        def doctype(*args: Any) -> None:
            raise FileFormatError(
                [Problem((where,), "format", _say(self.lang, "dtd", where=where))]
            )

        parser = expat.ParserCreate()
        parser.buffer_text = True  # one call per text node, not per line
        handler = {"sheet": sheet, "strings": strings, "workbook": listed, "rels": listed}
        if kind in handler:
            parser.StartElementHandler = handler[kind]
        parser.CharacterDataHandler = chars
        parser.StartDoctypeDeclHandler = doctype
        parser.EntityDeclHandler = doctype
        try:
            with self.z.open(member) as f:
                while chunk := f.read(1 << 16):
                    self.elements += chunk.count(b"<") - chunk.count(b"</")
                    if self.elements > MAX_XML_ELEMENTS:
                        raise self.refuse(where, "elements", limit=MAX_XML_ELEMENTS)
                    parser.Parse(chunk, False)
            parser.Parse(b"", True)
        except expat.ExpatError as exc:
            raise FileFormatError(
                [Problem((where,), "format", _say(self.lang, "xml", where=where, error=exc))]
            ) from None
        except FileFormatError:
            raise
        except Exception as exc:  # corrupt deflate stream, bad CRC, encryption, ...
            error = str(exc) or type(exc).__name__
            raise FileFormatError(
                [Problem((where,), "format", _say(self.lang, "member", where=where, error=error))]
            ) from None
        return found

    def dimension(self, where: str, ref: str) -> None:
        bounds = _range_bounds(ref)
        rows, cols = 4 * MAX_ROWS, MAX_ROW_CELLS
        if bounds is None or bounds[3] > rows or bounds[2] > cols:
            raise self.refuse(where, "dimension", ref=ref[:40], rows=rows, cols=cols)

    def run(self) -> None:
        names = set(self.z.namelist())
        workbook = "xl/workbook.xml"
        if "_rels/.rels" in names:
            for _, a in self.parse("_rels/.rels", "rels"):
                if str(a.get("Type", "")).endswith("/officeDocument"):
                    workbook = str(a.get("Target", workbook)).lstrip("/")
        folder = workbook.rpartition("/")[0]
        rels_part = f"{folder}/_rels/{workbook.rpartition('/')[2]}.rels"
        targets: dict[str, str] = {}
        if rels_part in names:
            for _, a in self.parse(rels_part, "rels"):
                t = str(a.get("Target", ""))
                targets[str(a.get("Id", ""))] = (
                    t.lstrip("/") if t.startswith("/") else (f"{folder}/{t}" if folder else t)
                )
        if workbook in names:
            sheets = self.parse(workbook, "workbook")
            for _, a in sheets:
                rid = next((v for k, v in a.items() if k.endswith(":id") or k == "id"), "")
                if rid in targets:
                    self.sheet_names[targets[rid]] = str(a.get("name", ""))
            if _detect_lang([str(a.get("name", "")) for _, a in sheets]) == "fr":
                self.lang = "fr"
        done = {"_rels/.rels", rels_part, workbook}
        for member in sorted(names - done):
            if not member.lower().endswith((".xml", ".rels", ".vml")):
                continue
            kind = (
                "sheet"
                if member in self.sheet_names
                else "strings"
                if member.lower().endswith("sharedstrings.xml")
                else "other"
            )
            self.parse(member, kind)


class _Reader:
    """Streams the sheets of a workbook within limits; collects problems."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems = _Problems()
        self.cells = 0
        self.merges: dict[str, list[str]] = {}

    def open(self) -> Any:
        openpyxl = _openpyxl()
        p = self.path
        try:
            size = p.stat().st_size
        except OSError as exc:
            raise FileFormatError(f"{p.name} cannot be read: {exc}", code="format") from exc
        if size > MAX_WORKBOOK_BYTES:
            raise FileFormatError(
                f"{p.name} is {size:,} bytes; a value map is read up to "
                f"{MAX_WORKBOOK_BYTES:,} bytes",
                code="too_large",
            )
        try:
            with zipfile.ZipFile(p) as z:
                infos = z.infolist()
                if sum(i.file_size for i in infos) > _MAX_UNZIPPED or any(
                    i.file_size > MAX_WORKBOOK_BYTES * 4 for i in infos
                ):
                    raise FileFormatError(
                        f"{p.name} expands to more than {_MAX_UNZIPPED:,} bytes: refused",
                        code="too_large",
                    )
                scan = _Scan(z, "en")
                scan.run()
        except (zipfile.BadZipFile, OSError) as exc:
            raise FileFormatError(
                f"{p.name} is not an Excel workbook: {exc}", code="format"
            ) from exc
        self.merges = scan.merges
        return self._load(openpyxl, data_only=False)

    def _load(self, openpyxl: Any, *, data_only: bool) -> Any:
        import warnings

        from openpyxl.worksheet._read_only import ReadOnlyWorksheet

        try:
            with warnings.catch_warnings(), _LOAD_LOCK:
                warnings.simplefilter("ignore")
                original = ReadOnlyWorksheet._get_size
                ReadOnlyWorksheet._get_size = _sheet_size
                try:
                    return openpyxl.load_workbook(self.path, read_only=True, data_only=data_only)
                finally:
                    ReadOnlyWorksheet._get_size = original
        except Exception as exc:
            raise FileFormatError(
                f"{self.path.name} cannot be read as an Excel workbook: "
                f"{str(exc) or type(exc).__name__}",
                code="format",
            ) from exc

    def grid(self, wb: Any, sheet: str) -> dict[tuple[int, int], tuple[Any, bool]]:
        """Non-empty cells of a sheet: (row, col) -> (value, is_formula)."""
        ws = wb[sheet]
        if hasattr(ws, "reset_dimensions"):
            ws.reset_dimensions()  # the stored dimension may lie: read what is there
        out: dict[tuple[int, int], tuple[Any, bool]] = {}
        try:
            for n, row in enumerate(ws.iter_rows(max_col=MAX_COLUMNS + 1)):
                if n > 4 * MAX_ROWS:
                    raise _Limits(f"sheet {sheet!r} has more than {4 * MAX_ROWS} rows")
                for c in row:
                    v = getattr(c, "value", None)
                    if v is None or v == "":
                        continue
                    r, j = c.row, c.column
                    if r > MAX_ROWS or j > MAX_COLUMNS:
                        raise _Limits(
                            f"sheet {sheet!r} goes beyond row {MAX_ROWS} or column "
                            f"{MAX_COLUMNS}: a value map is read within these limits"
                        )
                    self.cells += 1
                    if self.cells > MAX_CELLS:
                        raise _Limits(f"the workbook has more than {MAX_CELLS:,} filled cells")
                    out[(r, j)] = (v, getattr(c, "data_type", None) == "f")
        except _Limits as exc:
            raise FileFormatError([Problem((sheet,), "too_large", str(exc))]) from None
        except FileFormatError:
            raise
        except Exception as exc:
            raise FileFormatError(
                [
                    Problem(
                        (sheet,),
                        "format",
                        f"sheet {sheet!r} cannot be read: {str(exc) or type(exc).__name__}",
                    )
                ]
            ) from exc
        return out

    def merged(self, sheet: str, first_row: int) -> None:
        """Merged ranges reaching the input rows of a sheet are located problems."""
        for ref in self.merges.get(sheet, ()):
            bounds = _range_bounds(ref)
            if bounds is None or bounds[3] < first_row:
                continue
            at = _cell_ref(bounds[0], max(bounds[1], first_row))
            self.problems.append(
                Problem(
                    (sheet, at),
                    "merged_cells",
                    _say(self.problems.lang, "merged", ref=f"{sheet}!{at}", range=ref),
                )
            )


_LOAD_LOCK = threading.Lock()


def _sheet_size(ws: Any) -> None:
    """The dimension a sheet declares, read from its first elements only.

    openpyxl's own reading of it parses the whole sheet when the sheet has no
    dimension element, which takes seconds on a large hostile workbook before
    any limit can apply; the declared dimension is only a hint here anyway.
    """
    from openpyxl.worksheet.dimensions import SheetDimension
    from openpyxl.xml.constants import SHEET_MAIN_NS
    from openpyxl.xml.functions import iterparse

    dimension, data = f"{{{SHEET_MAIN_NS}}}dimension", f"{{{SHEET_MAIN_NS}}}sheetData"
    src = ws._get_source()
    try:
        for _, element in iterparse(src, events=("start",)):
            if element.tag == dimension:
                dims = SheetDimension.from_tree(element).boundaries
                if dims is not None:
                    ws._min_column, ws._min_row, ws._max_column, ws._max_row = dims
                break
            if element.tag == data:
                break
    finally:
        src.close()


def _json_cell(text: Any, where: tuple[PathElement, ...], probs: list[Problem]) -> Any:
    if not isinstance(text, str):
        probs.append(Problem(where, "type", "expected JSON text"))
        return None
    depth = 0
    in_str = esc = False
    for ch in text:
        if in_str:
            if esc:
                esc = False
            elif ch == "\\":
                esc = True
            elif ch == '"':
                in_str = False
        elif ch == '"':
            in_str = True
        elif ch in "[{":
            depth += 1
            if depth > MAX_JSON_DEPTH:
                probs.append(
                    Problem(where, "too_deep", f"JSON nested deeper than {MAX_JSON_DEPTH} levels")
                )
                return None
        elif ch in "]}":
            depth -= 1
    try:
        return json.loads(text)
    except (json.JSONDecodeError, RecursionError, ValueError) as exc:
        probs.append(Problem(where, "syntax", f"not valid JSON: {exc}"))
        return None


_NUM = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")
# one separator then exactly three digits after one to three digits not starting with 0:
# "1,234" is 1234 to an English reader and 1.234 to a French one
_AMBIGUOUS = re.compile(r"^[+-]?[1-9]\d{0,2}[.,]\d{3}$")
_GROUPED = re.compile(r"^[+-]?[1-9]\d{0,2}(,\d{3}){2,}$|^[+-]?[1-9]\d{0,2}(\.\d{3}){2,}$")


class AmbiguousNumber(ValueError):
    """Text such as ``"1,234"``: a thousands separator in English, a decimal comma in French."""

    def __init__(self, text: Any) -> None:
        super().__init__(
            f"ambiguous number {text!r}: thousands or decimals? Type it as a number cell, "
            "or without the separator (1234), or with two decimals (1,23 or 1.23)"
        )
        self.text = text


def parse_number(v: Any, *, integer: bool = False, percent: bool = False) -> float | int:
    """A number from a cell: a number, or text typed the French or English way.

    ``"100 000,50"``, ``"1 234,5 €"``, ``"25 %"`` (0.25) and ``"1,234.5"`` are
    accepted; anything else raises ``ValueError`` with a message.
    """
    if isinstance(v, bool):
        raise ValueError(f"expected a number, got {v!r}")
    if isinstance(v, int | float):
        x: float | int = v
    elif isinstance(v, str):
        s = v.strip()
        for sp in ("\u00a0", "\u202f", " ", "'"):
            s = s.replace(sp, "")
        pct = s.endswith("%")
        s = s.rstrip("%")
        for sym in ("€", "EUR", "£", "GBP", "$", "USD"):
            s = s.replace(sym, "")
        if _AMBIGUOUS.match(s):
            raise AmbiguousNumber(v)
        if _GROUPED.match(s):  # 1,234,567 or 1.234.567: only thousands
            s = s.replace(",", "").replace(".", "")
        elif "," in s and "." in s:
            s = (
                s.replace(".", "").replace(",", ".")
                if s.rfind(",") > s.rfind(".")
                else s.replace(",", "")
            )
        elif "," in s:
            s = s.replace(",", ".")
        if not _NUM.match(s):
            raise ValueError(f"expected a number, got {v!r}")
        x = float(s) / 100.0 if pct else float(s)
        plain_int = "." not in s and "e" not in s.lower() and abs(x) < 2**53
        if not pct and ((integer and x == int(x)) or plain_int):
            x = int(x)
    else:
        raise ValueError(f"expected a number, got {type(v).__name__}")
    if isinstance(x, float) and not math.isfinite(x):
        raise ValueError(f"expected a finite number, got {v!r}")
    if integer:
        if isinstance(x, float) and (x != int(x) or percent):
            raise ValueError(f"expected a whole number, got {v!r}")
        return int(x)
    return x


def _detect_lang(sheetnames: list[str]) -> str | None:
    for lang in ("fr", "en"):
        if all(SHEETS[k][lang] in sheetnames for k in REQUIRED):
            return lang
    return None


def read_value_map(path: str | os.PathLike[str]) -> ImpactModel:
    """Read a value map written by :func:`write_value_map` or filled by hand.

    Parameters
    ----------
    path : str or path-like
        An ``.xlsx`` workbook with English or French sheet names.

    Returns
    -------
    ImpactModel
        The model; ``read_value_map(p)`` after ``write_value_map(m, p)``
        equals ``m``, theory of change included.

    Raises
    ------
    FileFormatError
        Not a workbook, a corrupt or malformed part, a workbook above the
        limits (:data:`MAX_WORKBOOK_BYTES`, :data:`MAX_XML_ELEMENTS`,
        :data:`MAX_CELL_ELEMENTS`, :data:`MAX_ROW_CELLS`,
        :data:`MAX_RICH_RUNS`, :data:`MAX_TEXT_CHARS`, :data:`MAX_ROWS`,
        :data:`MAX_COLUMNS`, :data:`MAX_CELLS`), a missing sheet or a header
        that is not where it should be, each named with its sheet or part.
    ValidationError
        Every problem of the values at once, each located at its sheet and
        cell (``['Carte de valeur'].E5.quantity``): values out of range,
        ambiguous numbers, formulas and external links in input cells,
        merged input cells, hidden figures for visible columns.

    Examples
    --------
    >>> import tempfile, pathlib, impactkit as ik
    >>> p = pathlib.Path(tempfile.mkdtemp()) / "vm.xlsx"
    >>> m = ik.examples.load_example()
    >>> ik.io.write_value_map(m, p)
    >>> round(ik.sroi(ik.io.read_value_map(p)).ratio, 2), round(ik.sroi(m).ratio, 2)
    (1.92, 1.92)
    """
    reader = _Reader(Path(path))
    wb = reader.open()
    try:
        return _read(reader, wb)
    finally:
        wb.close()


def _read(reader: _Reader, wb: Any) -> ImpactModel:
    names = list(wb.sheetnames)
    lang = _detect_lang(names)
    if lang is None:
        raise FileFormatError(
            [
                Problem(
                    (SHEETS[k]["en"],),
                    "missing_sheet",
                    f"sheet {SHEETS[k]['en']!r} (French: {SHEETS[k]['fr']!r}) is missing; a "
                    "value map has the sheets "
                    + ", ".join(repr(SHEETS[q]["en"]) for q in REQUIRED),
                )
                for k in REQUIRED
                if SHEETS[k]["en"] not in names and SHEETS[k]["fr"] not in names
            ]
            or [Problem((), "missing_sheet", "the sheets of a value map are missing")]
        )
    sheet = {k: SHEETS[k][lang] for k in SHEETS}
    probs = reader.problems
    probs.lang = lang
    for key, first in (("settings", 2), ("inputs", INPUT_FIRST - 1), ("map", KEY_ROW)):
        reader.merged(sheet[key], first)
    reader.merged(sheet["uncertainty"], UNC_FIRST - 1)
    reader.merged(sheet["data"], 2)

    def value(grid: dict[tuple[int, int], tuple[Any, bool]], sh: str, r: int, c: int) -> Any:
        """What the cell shows as typed; a formula is a located problem, never its saved value."""
        v, is_formula = grid.get((r, c), (None, False))
        if is_formula:
            formula = str(v)[:80]
            ref = _cell_ref(c, r)
            key = "external" if "[" in formula else "formula"
            probs.append(
                Problem(
                    (sh, ref),
                    "external_link" if key == "external" else "formula",
                    _say(lang, key, ref=f"{sh}!{ref}", formula=formula),
                )
            )
            return _BAD
        return v

    data: dict[str, Any] = {}
    # Settings ------------------------------------------------------------------
    sh = sheet["settings"]
    g = reader.grid(wb, sh)
    settings: dict[str, Any] = {}
    settings_at: dict[str, tuple[PathElement, ...]] = {}
    for (r, c), (k, _) in sorted(g.items()):
        if c != 1 or r < SETTINGS_FIRST:
            continue
        key = str(k)
        where: tuple[PathElement, ...] = (sh, _cell_ref(2, r))
        if key not in SETTINGS_KEYS:
            probs.append(
                Problem(
                    (sh, _cell_ref(1, r)),
                    "unknown_key",
                    f"unknown setting {key!r}{_did_you_mean(key, SETTINGS_KEYS)}",
                )
            )
            continue
        v = value(g, sh, r, 2)
        if v is None or v == "" or v is _BAD:
            continue
        settings[key] = v
        settings_at[key] = where
    for key in ("format_version", "base_year"):
        if key in settings:
            settings[key] = _num(settings[key], settings_at[key], probs, integer=True)
    if "discount_rate" in settings:
        settings["discount_rate"] = _num(
            settings["discount_rate"], settings_at["discount_rate"], probs, percent=True
        )
    for key in ("name", "description", "currency", "first_flow_at", "mode"):
        if key in settings:
            data[key] = settings[key] if isinstance(settings[key], str) else str(settings[key])
    for key in ("format_version", "base_year"):
        if settings.get(key) is not None:
            data[key] = settings[key]
    data.setdefault("format_version", FORMAT_VERSION)
    data.setdefault("name", "")
    disc: dict[str, Any] = {}
    if "discount_schedule" in settings:
        bands = _json_cell(settings["discount_schedule"], settings_at["discount_schedule"], probs)
        if bands is not None:
            disc["bands"] = bands
    elif settings.get("discount_rate") is not None:
        disc["rate"] = settings["discount_rate"]
    if "discount_name" in settings and disc:
        disc["name"] = str(settings["discount_name"])
    if disc:
        data["discount"] = disc
    pi_values: dict[int, Any] = {}
    for (r, c), _ in sorted(g.items()):
        if c != PI_COL or r < 2:
            continue
        yv, lv = value(g, sh, r, c), value(g, sh, r, c + 1)
        if yv is _BAD or lv is _BAD:
            continue
        y = _num(yv, (sh, _cell_ref(c, r)), probs, integer=True)
        if lv is None:
            probs.append(Problem((sh, _cell_ref(c + 1, r)), "missing", "index level is missing"))
            continue
        level = _num(lv, (sh, _cell_ref(c + 1, r)), probs)
        if y is not None and level is not None:
            pi_values[int(y)] = level
    if pi_values:
        pi: dict[str, Any] = {"values": pi_values}
        for k in ("name", "source"):
            if settings.get(f"price_index_{k}"):
                pi[k] = str(settings[f"price_index_{k}"])
        data["price_index"] = pi

    # Uncertainty -----------------------------------------------------------------
    dists: dict[tuple[str, str], tuple[dict[str, Any], tuple[PathElement, ...]]] = {}
    if sheet["uncertainty"] in names:
        dists = _read_uncertainty(reader, wb, sheet["uncertainty"], value, probs)
    if ("discount_rate" in settings) and (sh, settings_at["discount_rate"][1]) in dists:
        d, _ = dists.pop((sh, str(settings_at["discount_rate"][1])))
        _check_central(settings["discount_rate"], d, settings_at["discount_rate"], probs)
        disc["rate"] = d

    # Hidden data -----------------------------------------------------------------
    blobs: dict[str, Any] = {}
    blob_at: dict[str, tuple[PathElement, ...]] = {}
    if sheet["data"] in names:
        gd = reader.grid(wb, sheet["data"])
        rows: dict[int, dict[int, Any]] = {}
        for (r, c), (v, _) in gd.items():
            rows.setdefault(r, {})[c] = v
        for r, dcells in sorted(rows.items()):
            if r < 2 or 1 not in dcells:
                continue
            text = "".join(str(dcells[c]) for c in sorted(dcells) if c > 1)
            blob_at[str(dcells[1])] = (sheet["data"], _cell_ref(2, r))
            blobs[str(dcells[1])] = _json_cell(text, blob_at[str(dcells[1])], probs)
    for key in ("toc", "metadata", "evidence", "engagement"):
        if blobs.get(key) is not None:
            data[key] = blobs[key]
    if isinstance(data.get("toc"), dict) and sheet["stakeholders"] in names:
        _visible_stakeholders(reader, wb, sheet["stakeholders"], data["toc"], value, probs)
    extras: list[Any] = blobs["outcomes"] if isinstance(blobs.get("outcomes"), list) else []

    # Value map -----------------------------------------------------------------
    sh = sheet["map"]
    g = reader.grid(wb, sh)
    header = {str(v): c for (r, c), (v, _) in g.items() if r == KEY_ROW}
    missing = [k for k in ("stakeholder", "outcome", "quantity", "proxy_value") if k not in header]
    if missing:
        raise FileFormatError(
            [
                Problem(
                    (sh, f"row {KEY_ROW}"),
                    "header",
                    f"expected the field name {k!r} in row {KEY_ROW} of {sh!r} "
                    "(the field names under the headings)",
                )
                for k in missing
            ]
        )
    known = set(_map_columns(0)) | {k for k in header if re.fullmatch(r"year_\d+", k)}
    for k, c in header.items():
        if k not in known:
            probs.append(
                Problem(
                    (sh, _cell_ref(c, KEY_ROW)),
                    "unknown_key",
                    f"unknown column {k!r}{_did_you_mean(k, list(known))}",
                )
            )
    year_cols = [k for k in header if k.startswith("year_")]
    outcomes: list[dict[str, Any]] = []
    where_rows: list[dict[str, tuple[PathElement, ...]]] = []
    used = [False] * len(extras)
    last_row = max((r for (r, _) in g), default=0)
    for r in range(FIRST_ROW, last_row + 1):
        inputs_here = {
            k: c
            for k, c in header.items()
            if k in known and k not in COMPUTED and k not in year_cols and (r, c) in g
        }
        if not inputs_here:
            continue
        rec: dict[str, Any] = {}
        proxy: dict[str, Any] = {}
        cells: dict[str, tuple[PathElement, ...]] = {}
        for k, c in inputs_here.items():
            ref: tuple[PathElement, ...] = (sh, _cell_ref(c, r))
            v = value(g, sh, r, c)
            if v is None or v == "":
                continue
            v = None if v is _BAD else _field(k, v, ref, probs)
            if v is None:  # reported: a neutral stand-in, so no other problem is hidden
                v = _STAND_IN.get(k)
                if v is None:
                    continue
            elif (sh, str(ref[1])) in dists and k in ROW_NUMBERS:
                d, _ = dists.pop((sh, str(ref[1])))
                _check_central(v, d, ref, probs)
                v = d
            if k in PROXY_FIELDS:
                proxy[PROXY_FIELDS[k]] = v
                cells[f"proxy.{PROXY_FIELDS[k]}"] = ref
            else:
                rec[k] = v
                cells[k] = ref
        oid = rec.get("outcome")
        for i, e in enumerate(extras):
            if not used[i] and isinstance(e, dict) and e.get("outcome") == oid:
                used[i] = True
                _merge_hidden(e, rec, proxy, blob_at.get("outcomes", (sh,)), probs)
                break
        rec["proxy"] = proxy
        _check_years(rec, cells, len(year_cols), probs)
        outcomes.append(rec)
        where_rows.append(cells)
    data["outcomes"] = outcomes

    # Inputs --------------------------------------------------------------------
    sh = sheet["inputs"]
    g = reader.grid(wb, sh)
    in_header = {str(v): c for (r, c), (v, _) in g.items() if r == INPUT_FIRST - 1}
    if "label" not in in_header or "amount" not in in_header:
        raise FileFormatError(
            [
                Problem(
                    (sh, f"row {INPUT_FIRST - 1}"),
                    "header",
                    f"expected the field names 'label' and 'amount' in row {INPUT_FIRST - 1}",
                )
            ]
        )
    inputs: list[dict[str, Any]] = []
    in_where: list[dict[str, tuple[PathElement, ...]]] = []
    last_row = max((r for (r, _) in g), default=0)
    for r in range(INPUT_FIRST, last_row + 1):
        here = {k: c for k, c in in_header.items() if k not in COMPUTED and (r, c) in g}
        if not here:
            continue
        rec = {}
        cells = {}
        for k, c in here.items():
            ref = (sh, _cell_ref(c, r))
            if k not in INPUT_COLUMNS:
                probs.append(Problem(ref, "unknown_key", f"unknown column {k!r}"))
                continue
            v = value(g, sh, r, c)
            if v is None or v == "":
                continue
            if v is _BAD:
                v = _STAND_IN.get(f"input_{k}")
            elif k == "amount":
                v = _num(v, ref, probs)
                if v is not None and (sh, str(ref[1])) in dists:
                    d, _ = dists.pop((sh, str(ref[1])))
                    _check_central(v, d, ref, probs)
                    v = d
            elif k == "year":
                v = _num(v, ref, probs, integer=True)
            elif k == "in_kind":
                v = _bool(v, ref, probs)
            elif not isinstance(v, str):
                v = str(v)
            if v is None:
                v = _STAND_IN.get(f"input_{k}")
            if v is not None:
                rec[k] = v
                cells[k] = ref
        inputs.append(rec)
        in_where.append(cells)
    data["inputs"] = inputs
    for (s_name, s_cell), (_, ref) in dists.items():
        probs.append(
            Problem(
                ref,
                "unknown_cell",
                f"this row names {s_name}!{s_cell}, which holds no uncertain figure",
            )
        )
    if "bands" in disc and sheet["calc"] in names:
        _check_schedule_rates(reader, wb, sheet["calc"], disc["bands"], probs)
    problems = list(probs)
    try:
        model = from_dict(data)
    except ValidationError as exc:
        problems += [_locate(pr, where_rows, in_where) for pr in exc.problems]
        model = None
    if problems:
        raise ValidationError(problems)
    assert model is not None
    return model


def _visible_stakeholders(
    reader: _Reader, wb: Any, sh: str, toc: dict[str, Any], value: Any, probs: _Problems
) -> None:
    """The label, size and description of each stakeholder, as the sheet shows them.

    The theory of change travels in the hidden sheet, but these three fields
    have visible columns (identifier, label, size, description from row 3):
    what the sheet shows replaces what the hidden sheet says.
    """
    records = toc.get("stakeholders")
    if not isinstance(records, list):
        return
    known = {str(s.get("id")): s for s in records if isinstance(s, dict)}
    g = reader.grid(wb, sh)
    seen: set[str] = set()
    for r in sorted({r for (r, _) in g if r >= 3}):
        cells = [value(g, sh, r, c) for c in (1, 2, 3, 4)]
        if any(v is _BAD for v in cells):
            continue
        sid, label, size, description = cells
        if sid is None or sid == "":
            continue
        sid = str(sid)
        ref = _cell_ref(1, r)
        rec = known.get(sid)
        if rec is None:
            probs.append(
                Problem(
                    (sh, ref),
                    "unknown_stakeholder",
                    _say(probs.lang, "sh_unknown", ref=f"{sh}!{ref}", id=sid),
                )
            )
            continue
        seen.add(sid)
        if label is None or str(label).strip() == "":
            at = _cell_ref(2, r)
            probs.append(
                Problem((sh, at), "empty", _say(probs.lang, "sh_label", ref=f"{sh}!{at}", id=sid))
            )
        else:
            rec["label"] = str(label)
        rec.pop("size", None)
        if size is not None and size != "":
            n = _num(size, (sh, _cell_ref(3, r)), probs, integer=True)
            if n is not None:
                rec["size"] = n
        rec.pop("description", None)
        if description is not None and description != "":
            rec["description"] = str(description)
    for sid in known:
        if sid not in seen:
            probs.append(
                Problem((sh,), "missing_stakeholder", _say(probs.lang, "sh_missing", id=sid))
            )


_VISIBLE = {k for k in _map_columns(0) if k not in COMPUTED and k not in PROXY_FIELDS}
_HIDDEN_ONLY = {"sources", "evidence"}
_HIDDEN_PROXY = {"unit", "transfer", "benefit_in_kind", "index_rule"}


def _merge_hidden(
    extra: dict[str, Any],
    rec: dict[str, Any],
    proxy: dict[str, Any],
    where: tuple[PathElement, ...],
    probs: list[Problem],
) -> None:
    """Add to a value-map row what the hidden sheet keeps for it, and only that.

    The hidden sheet carries what no visible column shows (sources, evidence
    grades, a proxy's unit and transfer, a measurement calculator in place of
    a figure). A figure that has a visible column is read from the visible
    cell only: a blank cell is blank, whatever the hidden sheet says.
    """
    lang = getattr(probs, "lang", "en")
    ref = "!".join(str(w) for w in where[:2])

    def hidden(field: str) -> None:
        probs.append(
            Problem(
                where,
                "hidden_value",
                _say(lang, "hidden", ref=ref, field=field, outcome=extra.get("outcome")),
            )
        )

    for k, v in extra.items():
        if k == "outcome":
            continue
        if k in _HIDDEN_ONLY:
            rec[k] = v
        elif k == "proxy" and isinstance(v, dict):
            for pk, pv in v.items():
                if pk in _HIDDEN_PROXY:
                    proxy[pk] = pv
                else:
                    hidden(f"proxy.{pk}")
        elif k in ROW_NUMBERS and isinstance(v, dict) and ("calculator" in v or "estimator" in v):
            target, key = (proxy, "value") if k == "proxy_value" else (rec, k)
            target.setdefault(key, v)  # a figure typed in the visible cell wins
        elif k in _VISIBLE or k in ROW_NUMBERS:
            hidden(k)
        else:
            rec.setdefault(k, v)  # unknown: the model names it


def _check_years(
    rec: dict[str, Any],
    cells: dict[str, tuple[PathElement, ...]],
    n_years: int,
    probs: list[Problem],
) -> None:
    """A row must end within the workbook's year columns, or its formulas miss years."""
    if not n_years:
        return
    try:
        dur = _central(rec.get("duration", 1))
    except (ValidationError, TypeError, ValueError, KeyError):
        return  # the distribution's own problems are reported by the model
    start = rec.get("start_year", 1)
    if not isinstance(dur, int | float) or not isinstance(start, int) or isinstance(dur, bool):
        return
    last = start + math.ceil(dur) - 1
    if last > n_years:
        probs.append(
            Problem(
                cells.get("duration", cells.get("start_year", ())),
                "beyond_years",
                f"the outcome lasts until year {last} but the workbook has {n_years} year "
                "columns, so its formulas would miss years; write the workbook again "
                "(impactkit new, or ik.io.write_value_map) to get enough columns",
            )
        )


def _check_schedule_rates(
    reader: _Reader, wb: Any, sh: str, bands: Any, probs: list[Problem]
) -> None:
    """The SROI calculation's rates (values) must still be those of the schedule."""
    from impactkit.discount import Schedule

    try:
        rates = Schedule(bands).rates(MAX_COLUMNS)
    except (ValidationError, TypeError, ValueError):
        return  # the model reports the schedule's own problems
    g = reader.grid(wb, sh)
    for (r, c), (v, is_formula) in sorted(g.items()):
        if r != 17 or c < 3 or is_formula or not isinstance(v, int | float):
            continue
        period = c - 2
        if period < len(rates) and not math.isclose(float(v), float(rates[period]), rel_tol=1e-9):
            probs.append(
                Problem(
                    (sh, _cell_ref(c, r)),
                    "stale_schedule",
                    f"the rate of period {period} is {v!r} here but {float(rates[period])!r} "
                    "in the discount schedule of the settings; write the workbook again "
                    "after changing a declining schedule",
                )
            )
            return


def _did_you_mean(word: str, choices: list[str]) -> str:
    import difflib

    close = difflib.get_close_matches(word, choices, n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _num(
    v: Any,
    where: tuple[PathElement, ...],
    probs: list[Problem],
    *,
    integer: bool = False,
    percent: bool = False,
) -> Any:
    try:
        return parse_number(v, integer=integer, percent=percent)
    except AmbiguousNumber as exc:
        lang = getattr(probs, "lang", "en")
        ref = "!".join(str(w) for w in where[:2])
        probs.append(
            Problem(where, "ambiguous_number", _say(lang, "ambiguous", ref=ref, text=exc.text))
        )
        return None
    except ValueError as exc:
        if getattr(probs, "lang", "en") == "fr":
            ref = "!".join(str(w) for w in where[:2])
            kind = "un nombre entier" if integer else "un nombre"
            probs.append(Problem(where, "type", f"{ref} : {v!r} n'est pas {kind} lisible"))
        else:
            probs.append(Problem(where, "type", str(exc)))
        return None


def _bool(v: Any, where: tuple[PathElement, ...], probs: list[Problem]) -> Any:
    if isinstance(v, bool):
        return v
    text = str(v).strip().lower()
    if text in ("true", "vrai", "yes", "oui", "1"):
        return True
    if text in ("false", "faux", "no", "non", "0"):
        return False
    probs.append(Problem(where, "type", f"expected yes or no, got {v!r}"))
    return None


def _field(k: str, v: Any, ref: tuple[PathElement, ...], probs: list[Problem]) -> Any:
    if k in ROW_NUMBERS:
        return _num(v, ref, probs, percent=k in PERCENT)
    if k in INTEGERS:
        return _num(v, ref, probs, integer=True)
    return v if isinstance(v, str) else str(v)


def _check_central(
    v: Any, d: dict[str, Any], where: tuple[PathElement, ...], probs: list[Problem]
) -> None:
    try:
        c = _central(d)
    except (ValidationError, TypeError, ValueError, KeyError):
        return  # the distribution's own problems are reported by the model
    if isinstance(v, int | float) and not math.isclose(float(v), c, rel_tol=1e-9, abs_tol=1e-12):
        probs.append(
            Problem(
                where,
                "central_mismatch",
                f"the cell holds {v!r} but its distribution ({d['dist']}) has the central "
                f"value {c!r}; change the cell and the Uncertainty row together",
            )
        )


def _read_uncertainty(
    reader: _Reader, wb: Any, sh: str, value: Any, probs: list[Problem]
) -> dict[tuple[str, str], tuple[dict[str, Any], tuple[PathElement, ...]]]:
    g = reader.grid(wb, sh)
    header = {str(v): c for (r, c), (v, _) in g.items() if r == UNC_FIRST - 1}
    out: dict[tuple[str, str], tuple[dict[str, Any], tuple[PathElement, ...]]] = {}
    last_row = max((r for (r, _) in g), default=0)
    for r in range(UNC_FIRST, last_row + 1):
        vals = {k: value(g, sh, r, c) for k, c in header.items() if (r, c) in g}
        vals = {
            k: v
            for k, v in vals.items()
            if k not in COMPUTED and v is not _BAD and v is not None and v != ""
        }
        if not vals:
            continue
        row_ref: tuple[PathElement, ...] = (sh, f"row {r}")
        name = str(vals.get("dist", "")).strip().lower()
        if name not in DIST_PARAMS:
            probs.append(
                Problem(
                    (sh, _cell_ref(header.get("dist", 4), r)),
                    "unknown_distribution",
                    f"unknown distribution {vals.get('dist')!r}; one of "
                    f"{', '.join(DIST_PARAMS)}{_did_you_mean(name, list(DIST_PARAMS))}",
                )
            )
            continue
        d: dict[str, Any] = {"dist": name}
        for p in DIST_PARAMS[name]:
            col = "fixed" if p == "value" else p
            if col in vals:
                x = _num(vals[col], (sh, _cell_ref(header[col], r)), probs)
                if x is not None:
                    d[p] = x
        if "sheet" not in vals or "cell" not in vals:
            probs.append(Problem(row_ref, "missing", "a row needs the sheet and the cell"))
            continue
        out[(str(vals["sheet"]), str(vals["cell"]).replace("$", "").upper())] = (d, row_ref)
    return out


def _locate(
    p: Problem,
    where: list[dict[str, tuple[PathElement, ...]]],
    in_where: list[dict[str, tuple[PathElement, ...]]],
) -> Problem:
    path = p.path
    if len(path) >= 3 and path[0] in ("outcomes", "inputs") and isinstance(path[1], int):
        table = where if path[0] == "outcomes" else in_where
        i = path[1]
        field = str(path[2])
        key = f"proxy.{path[3]}" if field == "proxy" and len(path) > 3 else field
        if i < len(table) and key in table[i]:
            return Problem((*table[i][key], field, *path[3:]), p.code, p.message, p.severity)
    return p
