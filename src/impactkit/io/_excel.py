"""The Excel value map: the layout SROI practitioners know, written and read back.

Three sheets: *Model* (settings), *Value map* (one row per outcome under the
five stage headings, computed values visible) and *Inputs*. Row 2 of the
value map holds headings in the chosen language, row 3 the field names the
reader relies on, so a hand-filled template reads back. Distributions and
calculators travel as JSON in the *uncertainty* column.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from impactkit.errors import FileFormatError, PathElement, Problem, ValidationError
from impactkit.io._files import FORMAT_VERSION, from_dict, to_dict
from impactkit.model import ImpactModel

__all__ = ["read_value_map", "write_value_map", "write_value_map_template"]

MODEL_SHEET = "Model"
MAP_SHEET = "Value map"
INPUT_SHEET = "Inputs"
KEY_ROW = 3
FIRST_ROW = 4

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
    ("stage_5", []),  # year columns and present value are added per model
]
INPUT_COLUMNS = ["label", "amount", "stakeholder", "year", "in_kind", "source", "description"]
MODEL_KEYS = [
    "format_version",
    "name",
    "currency",
    "base_year",
    "discount",
    "first_flow_at",
    "mode",
    "price_index",
    "description",
    "metadata",
]
COMPUTED = {"impact", "present_value"}
PROXY_FIELDS = {
    "proxy_description": "description",
    "proxy_value": "value",
    "proxy_currency": "currency",
    "proxy_year": "year",
    "proxy_source": "source",
}
NUMERIC = {
    "quantity",
    "duration",
    "deadweight",
    "displacement",
    "attribution",
    "leakage",
    "drop_off",
    "proxy_value",
}


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - the excel extra
        raise ImportError(
            "Excel value maps need openpyxl: pip install 'impactkit[excel]'"
        ) from exc
    return openpyxl


def _heading(key: str, lang: str) -> str:
    from impactkit.report._i18n import t

    if key.startswith("year_"):
        return t("year_n", lang, n=int(key[5:]))
    special = {
        "proxy_description": "proxy",
        "proxy_currency": "currency",
        "proxy_year": "price_year",
        "proxy_source": "proxy_source",
        "proxy_value": "proxy_value",
    }
    try:
        return t(special.get(key, key), lang)
    except KeyError:
        return key


def _map_columns(years: int) -> list[str]:
    cols = [c for _, group in STAGES for c in group]
    return [*cols, *[f"year_{i}" for i in range(1, years + 1)], "present_value", "uncertainty"]


def _write(model: ImpactModel | None, path: Path, lang: str, data: Any) -> None:
    openpyxl = _openpyxl()
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from impactkit.report._i18n import t

    wb = openpyxl.Workbook()
    ws_model = wb.active
    ws_model.title = MODEL_SHEET
    plain: dict[str, Any] = (
        to_dict(model)
        if model is not None
        else {
            "format_version": FORMAT_VERSION,
            "name": "",
            "currency": "EUR",
            "base_year": None,
            "discount": {"rate": 0.035},
            "first_flow_at": "t1",
            "mode": "forecast",
        }
    )
    ws_model.append(["key", t("value", lang), t("label", lang)])
    for key in MODEL_KEYS:
        v = plain.get(key)
        if isinstance(v, dict | list):
            v = json.dumps(v, ensure_ascii=False)
        ws_model.append([key, v, _heading(key, lang)])
    result = None
    if model is not None and model.inputs and model.outcomes:
        from impactkit.methods import sroi

        try:
            result = sroi(model, data=data)
        except ValidationError:
            result = None  # measured quantities without data: computed cells stay empty
    years = max(5, result.by_year.shape[0] if result is not None else 0)
    cols = _map_columns(years)
    ws = wb.create_sheet(MAP_SHEET)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DCE6F1")
    col = 1
    for stage, group in STAGES:
        width = len(group) if stage != "stage_5" else years + 1
        ws.cell(row=1, column=col, value=t(stage, lang)).font = bold
        if width > 1:
            ws.merge_cells(start_row=1, start_column=col, end_row=1, end_column=col + width - 1)
        col += width
    for j, key in enumerate(cols, start=1):
        c = ws.cell(row=2, column=j, value=_heading(key, lang))
        c.font, c.fill = bold, fill
        c.alignment = Alignment(wrap_text=True, vertical="top")
        ws.cell(row=KEY_ROW, column=j, value=key).font = Font(italic=True, color="888888")
        ws.column_dimensions[get_column_letter(j)].width = 14 if key != "label" else 28
    if model is not None:
        vm = result.value_map() if result is not None else None
        for i, (ov, raw) in enumerate(zip(model.outcomes, plain.get("outcomes", []), strict=True)):
            row = FIRST_ROW + i
            unc: dict[str, Any] = {}
            values: dict[str, Any] = {
                "stakeholder": ov.stakeholder,
                "outcome": ov.outcome,
                "label": ov.label,
                "indicator": ov.indicator,
                "start_year": ov.start_year,
                "drop_off_method": ov.drop_off_method,
                "proxy_description": ov.proxy.description,
                "proxy_currency": ov.proxy.currency,
                "proxy_year": ov.proxy.year,
                "proxy_source": ov.proxy.source,
            }
            for f in (
                "quantity",
                "duration",
                "deadweight",
                "displacement",
                "attribution",
                "leakage",
                "drop_off",
            ):
                v = raw.get(f)
                if isinstance(v, dict):
                    unc[f] = v
                    values[f] = None if "calculator" in v or "estimator" in v else _central(v)
                else:
                    values[f] = v
            pv = raw["proxy"]["value"] if isinstance(raw["proxy"], dict) else raw["proxy"]
            if isinstance(pv, dict):
                unc["proxy_value"] = pv
                values["proxy_value"] = _central(pv)
            else:
                values["proxy_value"] = pv
            extra = {k: v for k, v in raw.items() if k in ("sources", "evidence") and v}
            extra.update(
                {k: v for k, v in raw["proxy"].items() if k in ("unit", "transfer")}
                if isinstance(raw["proxy"], dict)
                else {}
            )
            if unc or extra:
                values["uncertainty"] = json.dumps({**unc, **extra}, ensure_ascii=False)
            if vm is not None:
                values["impact"] = float(vm["impact"].iloc[i])
                values["present_value"] = float(vm["present_value"].iloc[i])
                for y in range(1, years + 1):
                    key = f"year_{y}"
                    values[key] = float(vm[key].iloc[i]) if key in vm.columns else 0.0
            for j, key in enumerate(cols, start=1):
                v = values.get(key)
                if v is not None and v != "":
                    ws.cell(row=row, column=j, value=v)
    ws.freeze_panes = ws.cell(row=FIRST_ROW, column=3)
    wi = wb.create_sheet(INPUT_SHEET)
    wi.append(
        [_heading(k, lang) if k != "label" else t("label_col", lang) for k in INPUT_COLUMNS]
        + [t("uncertainty", lang)]
    )
    wi.append([*INPUT_COLUMNS, "uncertainty"])
    for cell in wi[1]:
        cell.font, cell.fill = bold, fill
    if model is not None:
        for raw in plain.get("inputs", []):
            amount = raw.get("amount")
            unc_in = {"amount": amount} if isinstance(amount, dict) else {}
            wi.append(
                [
                    raw.get("label"),
                    _central(amount) if unc_in else amount,
                    raw.get("stakeholder", ""),
                    raw.get("year", 0),
                    raw.get("in_kind", False),
                    raw.get("source", ""),
                    raw.get("description", ""),
                    json.dumps(unc_in, ensure_ascii=False) if unc_in else None,
                ]
            )
    _save(wb, path)


def _central(v: Any) -> Any:
    if isinstance(v, dict) and "dist" in v:
        from impactkit.dist import from_dict as dist_from_dict

        return dist_from_dict(v).central
    return v


def _save(wb: Any, path: Path) -> None:
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".xlsx")
    os.close(fd)
    try:
        wb.save(tmp)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_value_map(
    model: ImpactModel, path: str | os.PathLike[str], *, lang: str = "en", data: Any = None
) -> None:
    """Write a model as an Excel value map (sheets Model, Value map, Inputs).

    Parameters
    ----------
    model : ImpactModel
    path : str or path-like
        The ``.xlsx`` file; written atomically (no partial file on failure).
    lang : {"en", "fr"}
        Language of the headings (the field names of row 3 do not change).
    data : mapping, optional
        Data sources, to show computed values of measured quantities.

    Notes
    -----
    Impact, yearly values and present value are written as computed values,
    visible in any spreadsheet; they are recomputed, never read back. The
    theory of change is not part of a value map: keep the model file for it.
    """
    _write(model, Path(path), lang, data)


def write_value_map_template(path: str | os.PathLike[str], *, lang: str = "en") -> None:
    """Write an empty value map for practitioners to fill by hand."""
    _write(None, Path(path), lang, None)


def _cell_ref(col: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(col)}{row}"


def read_value_map(path: str | os.PathLike[str]) -> ImpactModel:
    """Read an Excel value map written by :func:`write_value_map` or filled by hand.

    Raises
    ------
    FileFormatError
        A missing sheet, or a header that is not where it should be: the
        message names the sheet, the cell and the expected header.
    ValidationError
        Every problem of the values, each located at its sheet and cell
        (``['Value map'].F5.quantity``).
    """
    openpyxl = _openpyxl()
    p = Path(path)
    try:
        wb = openpyxl.load_workbook(p, read_only=False, data_only=True)
    except (OSError, KeyError, ValueError) as exc:
        raise FileFormatError(f"{p.name} is not an Excel workbook: {exc}", code="format") from exc
    except Exception as exc:
        raise FileFormatError(
            f"{p.name} cannot be read as an Excel workbook: {exc}", code="format"
        ) from exc
    missing = [s for s in (MODEL_SHEET, MAP_SHEET, INPUT_SHEET) if s not in wb.sheetnames]
    if missing:
        raise FileFormatError(
            [
                Problem(
                    (s,),
                    "missing_sheet",
                    f"sheet {s!r} is missing; a value map has sheets "
                    f"{MODEL_SHEET!r}, {MAP_SHEET!r} and {INPUT_SHEET!r}",
                )
                for s in missing
            ]
        )
    probs: list[Problem] = []
    data: dict[str, Any] = {}
    ws_m = wb[MODEL_SHEET]
    if ws_m.cell(1, 1).value != "key":
        probs.append(
            Problem(
                (MODEL_SHEET, "A1"),
                "header",
                f"expected header 'key', found {ws_m.cell(1, 1).value!r}",
            )
        )
    for r in range(2, ws_m.max_row + 1):
        key, val = ws_m.cell(r, 1).value, ws_m.cell(r, 2).value
        if key is None:
            continue
        if key not in MODEL_KEYS:
            probs.append(
                Problem(
                    (MODEL_SHEET, f"A{r}"),
                    "unknown_key",
                    f"unknown setting {key!r}; expected one of {', '.join(MODEL_KEYS)}",
                )
            )
            continue
        if val is None or val == "":
            continue
        if key in ("discount", "price_index", "metadata") and isinstance(val, str):
            try:
                val = json.loads(val)
            except json.JSONDecodeError:
                if key == "discount":
                    pass  # a preset name such as "green_book"
                else:
                    probs.append(Problem((MODEL_SHEET, f"B{r}"), "syntax", f"{key} must be JSON"))
                    continue
        if key == "price_index" and isinstance(val, dict):
            val = {**val, "values": {int(k): v for k, v in val.get("values", {}).items()}}
        data[key] = val
    data.setdefault("format_version", FORMAT_VERSION)
    ws = wb[MAP_SHEET]
    header = {}
    for j in range(1, ws.max_column + 1):
        v = ws.cell(KEY_ROW, j).value
        if v is not None:
            header[str(v)] = j
    for key in ("stakeholder", "outcome", "quantity", "proxy_value"):
        if key not in header:
            probs.append(
                Problem(
                    (MAP_SHEET, f"row {KEY_ROW}"),
                    "header",
                    f"expected the field name {key!r} in row {KEY_ROW} of "
                    f"{MAP_SHEET!r} (the machine header under the headings)",
                )
            )
    if probs:
        raise FileFormatError(probs)
    known = set(_map_columns(0)) | {k for k in header if k.startswith("year_")}
    unknown = [k for k in header if k not in known]
    for k in unknown:
        probs.append(
            Problem(
                (MAP_SHEET, _cell_ref(header[k], KEY_ROW)), "unknown_key", f"unknown column {k!r}"
            )
        )
    outcomes: list[dict[str, Any]] = []
    where: list[dict[str, tuple[PathElement, ...]]] = []
    for r in range(FIRST_ROW, ws.max_row + 1):
        vals = {k: ws.cell(r, j).value for k, j in header.items()}
        if all(
            v is None or v == ""
            for k, v in vals.items()
            if k not in COMPUTED and not k.startswith("year_")
        ):
            continue
        rec: dict[str, Any] = {}
        proxy: dict[str, Any] = {}
        cells: dict[str, tuple[PathElement, ...]] = {}
        for k, v in vals.items():
            if (
                k in COMPUTED
                or k.startswith("year_")
                or k == "uncertainty"
                or v is None
                or v == ""
            ):
                continue
            ref: tuple[PathElement, ...] = (MAP_SHEET, _cell_ref(header[k], r))
            if k in PROXY_FIELDS:
                proxy[PROXY_FIELDS[k]] = v
                cells[f"proxy.{PROXY_FIELDS[k]}"] = ref
            else:
                rec[k] = v
                cells[k] = ref
        unc_raw = vals.get("uncertainty")
        if unc_raw:
            ref = (MAP_SHEET, _cell_ref(header["uncertainty"], r))
            try:
                unc = json.loads(unc_raw)
            except (json.JSONDecodeError, TypeError):
                probs.append(Problem(ref, "syntax", "uncertainty must be JSON"))
                unc = {}
            for k, v in unc.items():
                if k == "proxy_value":
                    proxy["value"] = v
                elif k in ("unit", "transfer"):
                    proxy[k] = v
                else:
                    rec[k] = v
                cells.setdefault(k, ref)
        rec["proxy"] = proxy
        outcomes.append(rec)
        where.append(cells)
    data["outcomes"] = outcomes
    wi = wb[INPUT_SHEET]
    in_header = {
        str(wi.cell(2, j).value): j
        for j in range(1, wi.max_column + 1)
        if wi.cell(2, j).value is not None
    }
    if "label" not in in_header or "amount" not in in_header:
        probs.append(
            Problem(
                (INPUT_SHEET, "row 2"),
                "header",
                "expected the field names 'label' and 'amount' in row 2",
            )
        )
    inputs: list[dict[str, Any]] = []
    in_where: list[dict[str, tuple[PathElement, ...]]] = []
    for r in range(3, wi.max_row + 1):
        vals = {k: wi.cell(r, j).value for k, j in in_header.items()}
        if all(v is None or v == "" for v in vals.values()):
            continue
        rec = {k: v for k, v in vals.items() if v is not None and v != "" and k != "uncertainty"}
        if vals.get("uncertainty"):
            try:
                rec.update(json.loads(vals["uncertainty"]))
            except (json.JSONDecodeError, TypeError):
                probs.append(
                    Problem((INPUT_SHEET, f"row {r}"), "syntax", "uncertainty must be JSON")
                )
        inputs.append(rec)
        in_where.append({k: (INPUT_SHEET, _cell_ref(j, r)) for k, j in in_header.items()})
    data["inputs"] = inputs
    if probs:
        raise ValidationError(probs)
    try:
        return from_dict(data)
    except ValidationError as exc:
        raise ValidationError([_locate(pr, where, in_where) for pr in exc.problems]) from None


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
