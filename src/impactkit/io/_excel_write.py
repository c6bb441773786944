"""Writing the Excel value map: a live workbook whose computed cells are formulas.

The layout (sheets, columns, rows, words) lives in
:mod:`impactkit.io._excel_layout`; the reader in :mod:`impactkit.io._excel`.
"""

from __future__ import annotations

import json
import math
import os
import re
import threading
from pathlib import Path
from typing import Any

from impactkit.errors import PathElement, Problem, ValidationError
from impactkit.io._excel_layout import (
    _CHUNK,
    _SYMBOLS,
    COMMENTS,
    COMPUTED,
    DIST_NAMES,
    FIRST_ROW,
    GUARD,
    INPUT_COLUMNS,
    INPUT_FIRST,
    KEY_ROW,
    MAX_STAKEHOLDERS,
    MIN_YEARS,
    OPTIONS,
    PERCENT,
    PI_COL,
    PI_ROWS,
    ROW_NUMBERS,
    SETTINGS_FIRST,
    SETTINGS_KEYS,
    SETTINGS_NAMES_FR,
    SHEETS,
    SPARE_ROWS,
    STAGES,
    TOC_FIRST,
    TOC_KEY_ROW,
    TOC_LINK_COL,
    TOC_LINKS,
    TOC_NODES,
    TOC_ROWS,
    UNC_COLUMNS,
    UNC_FIRST,
    UNC_KEYS,
    WORDS,
    _central,
    _heading,
    _lang,
    _letter,
    _map_columns,
    _openpyxl,
    _q,
    centre_formula,
    centre_key,
    option_shown,
)
from impactkit.io._files import FORMAT_VERSION, to_dict
from impactkit.model import ImpactModel


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
            if k == "toc" and isinstance(v, dict):  # what the visible sheets show of it
                v = {
                    "stakeholders": v.get("stakeholders", []),
                    "nodes": [_shown(n, _NODE_FIELDS) for n in v.get("nodes", [])],
                    "indicators": [
                        (n.get("indicators") or [{}])[0].get("label")
                        for n in v.get("nodes", [])
                        if isinstance(n, dict)
                        and isinstance((n.get("indicators") or [{}])[0], dict)
                    ],
                    "links": [_shown(n, _LINK_FIELDS) for n in v.get("links", [])],
                }
            _unwritable(v, (*path, str(k)), out)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _unwritable(v, (*path, i), out)


_NODE_FIELDS = ("id", "kind", "label", "description", "stakeholder", "horizon")
_LINK_FIELDS = ("source", "target", "rationale")


def _shown(record: Any, fields: tuple[str, ...]) -> Any:
    return {k: record[k] for k in fields if k in record} if isinstance(record, dict) else record


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
    # sheet, cell, what, dist, and the (row key, column key, rank) naming the cell
    unc: list[tuple[str, str, str, dict[str, Any], tuple[str, str, int]]] = []

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
        "mode": option_shown("mode", plain.get("mode", "forecast"), lang),
    }
    if isinstance(disc, str):
        from impactkit.model import PRESETS

        disc = to_dict(ImpactModel("x", discount=PRESETS[disc]))["discount"]
    values["discount_name"] = disc.get("name", "")
    if "rate" in disc:
        rate = disc["rate"]
        values["discount_rate"] = _central(rate)
        if isinstance(rate, dict):
            row = SETTINGS_FIRST + SETTINGS_KEYS.index("discount_rate")
            described = ("discount_rate", "value", 1)
            unc.append((names["settings"], f"B{row}", w["discount_rate"], rate, described))
    else:
        values["discount_schedule"] = json.dumps(disc["bands"])
    pi = plain.get("price_index") or {}
    values["price_index_name"] = pi.get("name", "")
    values["price_index_source"] = pi.get("source", "")
    for i, key in enumerate(SETTINGS_KEYS):
        r = SETTINGS_FIRST + i
        field_name = SETTINGS_NAMES_FR[key] if lang == "fr" else key
        book.put(ws, r, 1, field_name).font = book.key_font
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
    book.header(ws, 2, ["id", "label", "size", "description", "income", "income_group"], None)
    toc = model.toc if model is not None else None
    for i, s in enumerate(toc.stakeholders if toc is not None else ()):
        shown = (s.id, s.label, s.size, s.description, s.income, s.income_group)
        for j, v in enumerate(shown, start=1):
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
                rank = sum(x.get("label") == raw["label"] for x in plain["inputs"][: i + 1])
                described = (str(raw["label"]), "amount", rank)
                cell = f"{icol['amount']}{r}"
                unc.append((names["inputs"], cell, raw["label"], amount, described))
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
        from impactkit._i18n import t

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
            rank = sum(x["outcome"] == raw["outcome"] for x in outcomes[: i + 1])
            extras.append(_write_outcome(book, ws, r, raw, L, names["map"], unc, rank))

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
            method = c("drop_off_method")
            linear = ",".join(
                f'{method}="{w}"'
                for w in dict.fromkeys(o["linear"] for o in OPTIONS["drop_off_method"].values())
            )
            decay = f"IF(OR({linear}),MAX(1-{d}*{jj},0),IF({jj}=0,1,(1-{d})^{jj}))"
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
    for i, (sheet, cell, what, dist, (row_key, field, rank)) in enumerate(unc):
        r = UNC_FIRST + i
        name = DIST_NAMES[lang].get(dist["dist"], dist["dist"])  # « triangulaire »
        vals = {"sheet": sheet, "cell": cell, "what": what, "dist": name}
        vals.update(row_key=row_key, field=field, occurrence=rank)
        for k, v in dist.items():
            if k != "dist":
                vals["fixed" if k == "value" else k] = v
        vals["central"] = _central(dist)
        centre = centre_key(dist)
        for j, k in enumerate(UNC_COLUMNS, start=1):
            if centre is not None and k in (centre, "central"):
                # the law follows its visible cell: they cannot disagree
                visible = f"{_q(sheet)}!{cell}"
                text = centre_formula(dist["dist"], visible, r) if k == centre else f"={visible}"
                book.formula(ws, r, j, text)
            elif k == "written":
                # the centre as written, exact to the last digit: read back only while the
                # formula still gives it (to 1e-9), so that a round trip is exact
                book.put(ws, r, j, vals.get(centre) if centre is not None else None)
            else:
                book.put(ws, r, j, vals.get(k))
    for k in ("written", *UNC_KEYS):
        ws.column_dimensions[_letter(UNC_COLUMNS.index(k) + 1)].hidden = True
    from openpyxl.worksheet.datavalidation import DataValidation

    x = _letter(UNC_COLUMNS.index("dist") + 1)
    rule = DataValidation(
        type="list",
        formula1='"' + ",".join(DIST_NAMES[lang].values()) + '"',
        allow_blank=True,
        showErrorMessage=True,
        errorTitle=GUARD[lang]["list_title"],
        error=GUARD[lang]["list"],
    )
    rule.add(f"{x}{UNC_FIRST}:{x}{UNC_FIRST + len(unc) + SPARE_ROWS}")
    ws.add_data_validation(rule)

    # Theory of change ------------------------------------------------------------
    _write_toc(book, plain.get("toc"), names)

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
        "translations": plain.get("translations") or None,
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
    _guard(book, names, cols, last_row, last_in)
    _save(book.wb, path)


def _write_toc(book: _Book, toc: Any, names: dict[str, str]) -> None:
    """The visible theory of change: nodes on the left, links on the right.

    The reader takes the nodes and links from this sheet (so that a
    spreadsheet user can add an outcome and its links); what no column shows
    (indicators, measures, a link's assumptions) stays in the hidden sheet,
    matched by node identifier and by (from, to).
    """
    from openpyxl.comments import Comment
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = book.lang
    w = WORDS[lang]
    ws = book.sheet("toc")
    book.put(ws, 1, 1, w["toc_note"])
    book.header(ws, 2, TOC_NODES, TOC_KEY_ROW)
    for j, key in enumerate(TOC_LINKS):
        col = TOC_LINK_COL + j
        c = book.put(ws, 2, col, w[key])
        c.font, c.fill, c.alignment = book.bold, book.head_fill, book.wrap
        book.put(ws, TOC_KEY_ROW, col, key).font = book.key_font
        ws.column_dimensions[_letter(col)].width = 30 if key == "link_rationale" else 18
        if key in COMMENTS[lang]:
            ws.cell(row=2, column=col).comment = Comment(COMMENTS[lang][key], "impactkit")
    for key, width in (("node_label", 36), ("node_description", 36)):
        ws.column_dimensions[_letter(TOC_NODES.index(key) + 1)].width = width
    ws.row_dimensions[TOC_KEY_ROW].hidden = True
    toc = toc if isinstance(toc, dict) else {}
    for i, node in enumerate(toc.get("nodes", [])):
        for j, field in enumerate(_NODE_FIELDS, start=1):
            v = node.get(field)
            book.put(ws, TOC_FIRST + i, j, option_shown(field, v, lang) if v != "" else None)
        indicators = node.get("indicators") or [{}]
        label = indicators[0].get("label") if isinstance(indicators[0], dict) else None
        book.put(ws, TOC_FIRST + i, TOC_NODES.index("node_indicator") + 1, label or None)
    for i, link in enumerate(toc.get("links", [])):
        for j, field in enumerate(_LINK_FIELDS):
            v = link.get(field)
            book.put(ws, TOC_FIRST + i, TOC_LINK_COL + j, v if v != "" else None)
        level = link.get("evidence")
        if level is not None:
            col = TOC_LINK_COL + TOC_LINKS.index("link_evidence")
            book.put(ws, TOC_FIRST + i, col, option_shown("link_evidence", str(level), lang))
    g = GUARD[lang]
    last = TOC_FIRST + TOC_ROWS - 1
    ids = f"$A${TOC_FIRST}:$A${last}"
    lists = {
        "kind": '"' + ",".join(OPTIONS["kind"][lang].values()) + '"',
        "horizon": '"' + ",".join(OPTIONS["horizon"][lang].values()) + '"',
        "node_stakeholder": f"{_q(names['stakeholders'])}!$A$3:$A${2 + MAX_STAKEHOLDERS}",
        "link_source": ids,
        "link_target": ids,
        "link_evidence": '"' + ",".join(OPTIONS["link_evidence"][lang].values()) + '"',
    }
    for key, formula in lists.items():
        col = TOC_NODES.index(key) + 1 if key in TOC_NODES else TOC_LINK_COL + TOC_LINKS.index(key)
        rule = DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=g["list_title"],
            error=g["list"],
        )
        rule.add(f"{_letter(col)}{TOC_FIRST}:{_letter(col)}{last}")
        ws.add_data_validation(rule)


def _guard(
    book: _Book, names: dict[str, str], cols: list[str], last_row: int, last_in: int
) -> None:
    """The guard rails a spreadsheet user expects.

    Drop-down lists (stakeholders, drop-off method), a 0 % to 100 %
    validation on the shares, a comment on each column heading, the rows of
    field names hidden, and the computed cells locked: the value map and the
    inputs are protected without a password (Review > Unprotect sheet to
    change a formula), their input cells left unlocked; rows may be
    inserted and formatted.
    """
    from openpyxl.comments import Comment
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    lang = book.lang
    g = GUARD[lang]
    stakeholders = f"{_q(names['stakeholders'])}!$A$3:$A${3 + MAX_STAKEHOLDERS - 1}"

    def percent() -> Any:
        return DataValidation(
            type="decimal",
            operator="between",
            formula1="0",
            formula2="1",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=g["percent_title"],
            error=g["percent"],
        )

    def listed(formula: str) -> Any:
        return DataValidation(
            type="list",
            formula1=formula,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle=g["list_title"],
            error=g["list"],
        )

    def guard(
        ws: Any, keys: list[str], head_row: int, first: int, last: int, sheet: str = ""
    ) -> None:
        rules: dict[str, Any] = {}
        for j, key in enumerate(keys, start=1):
            comment = COMMENTS[lang].get(f"{sheet}_{key}", COMMENTS[lang].get(key))
            x = _letter(j)
            span = f"{x}{first}:{x}{last}"
            if key in PERCENT:
                rules.setdefault("percent", percent()).add(span)
            elif key == "stakeholder":
                rules.setdefault("stakeholder", listed(stakeholders)).add(span)
            elif key == "drop_off_method":
                words = ",".join(OPTIONS["drop_off_method"][lang].values())
                rules.setdefault("method", listed(f'"{words}"')).add(span)
            if comment is not None:
                ws.cell(row=head_row, column=j).comment = Comment(comment, "impactkit")
            if key not in COMPUTED and not key.startswith("year_"):
                for r in range(first, last + 1):
                    ws.cell(row=r, column=j).protection = Protection(locked=False)
        for rule in rules.values():
            ws.add_data_validation(rule)
        p = ws.protection
        p.sheet = True
        p.insertRows = p.deleteRows = p.formatCells = p.formatColumns = p.formatRows = False

    ws = book.wb[names["map"]]
    guard(ws, cols, 2, FIRST_ROW, last_row)
    ws.row_dimensions[KEY_ROW].hidden = True
    ws = book.wb[names["inputs"]]
    guard(ws, INPUT_COLUMNS, 1, INPUT_FIRST, last_in, "inputs")
    ws.row_dimensions[INPUT_FIRST - 1].hidden = True
    book.wb[names["uncertainty"]].row_dimensions[UNC_FIRST - 1].hidden = True
    ws = book.wb[names["settings"]]
    rule = percent()
    rule.add(f"B{SETTINGS_FIRST + SETTINGS_KEYS.index('discount_rate')}")
    ws.add_data_validation(rule)


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
    unc: list[tuple[str, str, str, dict[str, Any], tuple[str, str, int]]],
    rank: int = 1,
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
        "drop_off_method": option_shown(
            "drop_off_method", raw.get("drop_off_method", "compound"), book.lang
        ),
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
            from impactkit._i18n import TEXTS

            head = TEXTS[book.lang].get(f, f)
            unc.append((sheet, f"{L[f]}{r}", f"{head} — {what}", v, (raw["outcome"], f, rank)))
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
        The model; its theory of change is shown on its own sheet (nodes
        and links), the rest of it (indicators, measures) in a hidden sheet.
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
