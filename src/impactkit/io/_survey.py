"""Survey exports in: KoboToolbox / ODK, LimeSurvey, SPSS, Stata and SAS files.

:func:`read_survey` reads an export and returns the answers under the names
the form or the model expects, with a report of what was renamed, set apart,
missing or unknown. Every problem is located (column, and row when it is a
value) and reported, never a silent gap.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit._results import FrozenDict, Summary, displayed, freeze, jsonable
from impactkit.errors import Problem, ValidationError
from impactkit.model import ImpactModel

__all__ = ["KOBO_METADATA", "LIMESURVEY_METADATA", "SurveyResult", "read_survey"]

KOBO_METADATA: frozenset[str] = frozenset(
    {
        "start",
        "end",
        "today",
        "deviceid",
        "username",
        "phonenumber",
        "simserial",
        "subscriberid",
        "audit",
        "audit_url",
        "instanceID",
        "instanceName",
        "rootUuid",
        "deprecatedID",
        "uuid",
        "__version__",
    }
)
"""KoboToolbox / ODK metadata question names, set apart (as are names starting with ``_``
and the ``meta/`` and ``formhub/`` groups)."""

LIMESURVEY_METADATA: frozenset[str] = frozenset(
    {
        "id",
        "submitdate",
        "lastpage",
        "startlanguage",
        "seed",
        "startdate",
        "datestamp",
        "ipaddr",
        "refurl",
        "token",
        "interviewtime",
    }
)
"""LimeSurvey response-export columns that are not answers, set apart."""

_SURVEY_KINDS = ("kobo", "limesurvey", "spss", "stata", "sas")
_EXT = {
    ".csv": None,
    ".txt": None,
    ".xlsx": None,
    ".xlsm": None,
    ".sav": "spss",
    ".zsav": "spss",
    ".dta": "stata",
    ".sas7bdat": "sas",
    ".xpt": "sas",
}
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)([eE][+-]?\d+)?$")
_LIME_SUB = re.compile(r"^(?P<q>[^\[\]]+)\[(?P<s>[^\[\]]+)\]$")
MAX_SURVEY_BYTES = 200 * 1024 * 1024
"""Largest export read (bytes)."""


@displayed(headline=("Rows", "Problems", "Missing expected", "Consent refused"))
@attrs.frozen
class SurveyResult:
    """Answers read from a survey export, under the expected names, with the report.

    Returned by :func:`read_survey`.

    Parameters
    ----------
    data : pandas.DataFrame
        The answers, one column per expected name (one row per participant
        when the export had one row per participant and wave, and the form
        was a model).
    metadata : pandas.DataFrame
        Columns set apart (submission times, uuids, device ids...), same rows
        as the export.
    format : str
        ``"kobo"``, ``"limesurvey"``, ``"spss"``, ``"stata"`` or ``"sas"``.
    renamed : mapping of str to str
        Export column -> name used (group paths dropped, case fixed...).
    dropped : tuple of str
        Export columns set apart in ``metadata``.
    missing : tuple of str
        Expected columns the export does not have.
    unknown : tuple of str
        Export columns the form does not expect (kept in ``data``, except
        when answers at several waves are gathered into one row per
        participant).
    labels : mapping
        Value labels by column (SPSS, Stata, SAS): code -> label.
    user_missing : mapping of str to int
        Values declared missing by the file (SPSS user-missing), set to NaN, by column.
    problems : tuple of Problem
        Every located problem (path = column, and row when a value).
    source : str
        The file read.
    refused : int, default 0
        Rows left out because consent was refused (form written by
        :func:`impactkit.io.write_xlsform`).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> text = "start;grp/age;grp/score;_uuid\\n2024-01-01;34;12,5;a1\\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "export.csv"
    ...     _ = p.write_text(text, encoding="utf-8")
    ...     r = read_survey(p)
    >>> r.data.to_dict("records"), r.dropped
    ([{'age': 34.0, 'score': 12.5}], ('start', '_uuid'))
    """

    data: pd.DataFrame = attrs.field(eq=False, repr=False)
    metadata: pd.DataFrame = attrs.field(eq=False, repr=False)
    format: str
    renamed: Mapping[str, str] = attrs.field(factory=FrozenDict, converter=freeze)
    dropped: tuple[str, ...] = ()
    missing: tuple[str, ...] = ()
    unknown: tuple[str, ...] = ()
    labels: Mapping[str, Any] = attrs.field(factory=FrozenDict, converter=freeze)
    user_missing: Mapping[str, int] = attrs.field(factory=FrozenDict, converter=freeze)
    problems: tuple[Problem, ...] = ()
    source: str = ""
    refused: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing is missing, unknown or otherwise a problem."""
        return not self.problems

    def raise_if_problems(self) -> None:
        """Raise every problem at once, as a :class:`~impactkit.errors.ValidationError`.

        Raises
        ------
        ValidationError
            When there is at least one problem.
        """
        if self.problems:
            raise ValidationError(list(self.problems))

    def to_frame(self) -> pd.DataFrame:
        """The answers (a copy of ``data``).

        Returns
        -------
        pandas.DataFrame
        """
        return self.data.copy()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: the report and the answers as records.

        Returns
        -------
        dict
        """
        return {
            "format": self.format,
            "source": self.source,
            "renamed": dict(self.renamed),
            "dropped": list(self.dropped),
            "missing": list(self.missing),
            "unknown": list(self.unknown),
            "labels": jsonable(self.labels),
            "user_missing": dict(self.user_missing),
            "refused": self.refused,
            "problems": [
                {"path": list(p.path), "code": p.code, "message": p.message} for p in self.problems
            ],
            "data": jsonable(self.data),
        }

    def summary(self) -> Summary:
        """What was read and what was done to it.

        Returns
        -------
        Summary
        """
        lines = (
            ("Format", self.format),
            ("Rows", str(len(self.data))),
            ("Columns", str(self.data.shape[1])),
            ("Renamed", str(len(self.renamed))),
            ("Set apart (metadata)", str(len(self.dropped))),
            ("Missing expected columns", ", ".join(self.missing) or "none"),
            ("Unknown columns", ", ".join(self.unknown) or "none"),
            ("Consent refused (left out)", str(self.refused)),
            ("Problems", str(len(self.problems))),
        )
        table = pd.DataFrame(
            [{"path": "/".join(map(str, p.path)), "message": p.message} for p in self.problems]
        )
        return Summary("Survey export", lines, table if len(table) else None)


# reading ---------------------------------------------------------------------------


def _delimiter(text: str) -> str:
    first = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first, delimiters=";,\t").delimiter
    except csv.Error:
        counts = {d: first.count(d) for d in ";,\t"}
        return max(counts, key=lambda d: counts[d])


def _read_text(path: Path) -> str:
    raw = path.read_bytes()
    for enc in ("utf-8-sig", "cp1252"):
        try:
            return raw.decode(enc)
        except UnicodeDecodeError:
            continue
    return raw.decode("latin-1")  # pragma: no cover - cp1252 decodes nearly everything


def _pyreadstat() -> Any:
    try:
        import pyreadstat
    except ImportError as exc:
        raise ImportError(
            "SPSS, Stata and SAS files need pyreadstat: pip install 'impactkit[survey]'"
        ) from exc
    return pyreadstat


def _read_stat(path: Path, kind: str) -> tuple[pd.DataFrame, dict[str, Any], dict[str, int]]:
    prs = _pyreadstat()
    suffix = path.suffix.lower()
    user_missing: dict[str, int] = {}
    if kind == "spss":
        df, meta = prs.read_sav(str(path), user_missing=True)
        for col, ranges in (meta.missing_ranges or {}).items():
            if col not in df.columns:
                continue
            s = pd.to_numeric(df[col], errors="coerce")
            mask = pd.Series(False, index=df.index)
            for r in ranges:
                lo, hi = r.get("lo"), r.get("hi")
                if isinstance(lo, int | float) and isinstance(hi, int | float):
                    mask |= (s >= lo) & (s <= hi)
                else:
                    mask |= df[col] == lo
            if mask.any():
                user_missing[col] = int(mask.sum())
                df.loc[mask, col] = np.nan
    elif kind == "stata":
        df, meta = prs.read_dta(str(path))
    elif suffix == ".xpt":
        df, meta = prs.read_xport(str(path))
    else:
        df, meta = prs.read_sas7bdat(str(path))
    labels = {k: dict(v) for k, v in (meta.variable_value_labels or {}).items()}
    return df, labels, user_missing


def _as_number(s: pd.Series) -> pd.Series:
    """Numbers from text, decimal commas included; the column unchanged if not all numbers."""
    if pd.api.types.is_numeric_dtype(s) and not pd.api.types.is_bool_dtype(s):
        return s.astype(float)
    vals = s.dropna()
    if not len(vals):
        return s
    text = vals.map(lambda v: str(v).strip().replace("\u202f", "").replace("\xa0", ""))
    if not text.map(lambda t: bool(_NUMBER.match(t))).all():
        return s
    if text.str.match(r"^[+-]?0\d").any():
        return s  # leading zeros: codes (ids, postcodes), kept as text
    has_comma = text.str.contains(",", regex=False)
    has_dot = text.str.contains(".", regex=False)
    if has_comma.any() and has_dot.any():
        return s  # mixed decimal marks: leave the text as is (reported by the checks)
    out = pd.Series(np.nan, index=s.index, dtype=float)
    out[vals.index] = text.str.replace(",", ".", regex=False).astype(float)
    return out


def _kobo_columns(cols: Sequence[str]) -> tuple[dict[str, str], list[str], list[Problem]]:
    """Rename map (group paths dropped, select_multiple indicators), metadata columns."""
    colset = set(cols)
    meta: list[str] = []
    names: dict[str, str] = {}
    for c in cols:
        last = c.rsplit("/", 1)[-1]
        head = c.split("/", 1)[0]
        if c.startswith("_") or last in KOBO_METADATA or head in ("meta", "formhub"):
            meta.append(c)
            continue
        parent = c.rsplit("/", 1)[0] if "/" in c else None
        if parent is not None and parent in colset:
            # a select_multiple indicator: "grp/q/option" beside "grp/q"
            names[c] = f"{parent.rsplit('/', 1)[-1]}_{last}"
        else:
            names[c] = last
    problems = []
    seen: dict[str, str] = {}
    for c, n in list(names.items()):
        if n in seen:
            problems.append(
                Problem(
                    (c,),
                    "duplicate_name",
                    f"columns {seen[n]!r} and {c!r} both read as {n!r}: the full path is kept",
                )
            )
            names[c] = c.replace("/", "_")
        else:
            seen[n] = c
    return names, meta, problems


def _limesurvey_columns(cols: Sequence[str]) -> tuple[dict[str, str], list[str]]:
    meta = [c for c in cols if c in LIMESURVEY_METADATA]
    names = {}
    for c in cols:
        if c in meta:
            continue
        m = _LIME_SUB.match(c)
        names[c] = f"{m['q']}_{m['s']}" if m else c
    return names, meta


def _yes_blank(df: pd.DataFrame, names: Mapping[str, str]) -> pd.DataFrame:
    """LimeSurvey multiple choice: ``Y`` / blank -> 1 / 0, for every option of a question
    where some option was ticked."""
    groups: dict[str, list[str]] = {}
    for src, dst in names.items():
        m = _LIME_SUB.match(src)
        if m and dst in df.columns:
            groups.setdefault(m["q"], []).append(dst)

    def y_or_blank(c: str) -> bool:
        vals = df[c].dropna().astype(str).str.strip()
        return bool(vals.isin(["Y", ""]).all())

    for cols in groups.values():
        ticked = any(df[c].astype(str).str.strip().eq("Y").any() for c in cols)
        if ticked and all(y_or_blank(c) for c in cols):
            for c in cols:
                df[c] = df[c].map(lambda v: 1.0 if str(v).strip() == "Y" else 0.0)
    return df


def _norm(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", str(name).lower()).strip("_")


def _expected(
    form: Any, data: str | None
) -> tuple[list[str], dict[str, list[str]], Any, set[str]]:
    """Expected names, select_multiple choices by question, the model's plan, numeric names."""
    from impactkit.io._xlsform import CONSENT, PARTICIPANT, WAVE, plan

    if form is None:
        return [], {}, None, set()
    if data is not None and not isinstance(form, ImpactModel):
        raise ValidationError(
            "data= names a data source of a model: give the model as form=",
            path=("data",),
            code="conflict",
        )
    if isinstance(form, ImpactModel):
        p = plan(form, data)
        numeric = {q.name for q in p.questions if q.kind in ("integer", "decimal", "yes_no")}
        return [CONSENT, PARTICIPANT, WAVE, *p.question_names], {}, p, numeric
    if isinstance(form, str | Path):
        xls = pd.read_excel(form, sheet_name=None, dtype=str, engine="openpyxl")
        survey = xls.get("survey")
        if survey is None:
            raise ValidationError(
                f"{form}: an XLSForm has a 'survey' sheet", path=("form",), code="invalid"
            )
        choices = xls.get("choices", pd.DataFrame(columns=["list_name", "name"]))
        names, multi, numeric = [], {}, set()
        for t, n in zip(survey["type"].fillna(""), survey["name"].fillna(""), strict=True):
            t = str(t).strip()
            if not n or t.startswith(("begin", "end")) or t in ("note",):
                continue
            names.append(str(n))
            if t in ("integer", "decimal", "range"):
                numeric.add(str(n))
            if t.startswith("select_multiple"):
                lst = t.split()[-1]
                multi[str(n)] = [
                    str(x) for x in choices.loc[choices["list_name"] == lst, "name"].dropna()
                ]
        return names, multi, None, numeric
    if isinstance(form, Mapping):
        return [str(v) for v in form.values()], {}, None, set()
    return [str(x) for x in form], {}, None, set()


def _text_questions(form: str | Path) -> set[str]:
    """Names of an XLSForm's text questions (never read as numbers)."""
    survey = pd.read_excel(form, sheet_name="survey", dtype=str, engine="openpyxl")
    kinds = survey["type"].fillna("").str.strip()
    return {str(n) for n, t in zip(survey["name"], kinds, strict=True) if t == "text"}


def _split_multiple(
    df: pd.DataFrame, multi: Mapping[str, Sequence[str]]
) -> tuple[pd.DataFrame, list[str]]:
    new: list[str] = []
    for q, options in multi.items():
        if q not in df.columns:
            continue
        present = [o for o in options if f"{q}_{o}" in df.columns]
        if present:
            continue  # the export already carries the indicator columns
        answered = df[q].notna()
        tokens = df[q].fillna("").astype(str).str.split()
        for o in options:
            col = f"{q}_{o}"
            df[col] = np.where(answered, tokens.map(lambda t, o=o: float(o in t)), np.nan)
            new.append(col)
    return df, new


def _refused(df: pd.DataFrame) -> tuple[pd.DataFrame, int]:
    from impactkit.io._xlsform import CONSENT

    if CONSENT not in df.columns:
        return df, 0
    no = df[CONSENT].astype(str).str.strip().str.lower().isin(["no", "non", "0", "0.0"])
    return df[~no], int(no.sum())


def _pivot(
    df: pd.DataFrame, plan_: Any, problems: list[Problem]
) -> tuple[pd.DataFrame, list[str]]:
    """One row per participant: answers at each wave into the model's columns."""
    from impactkit.io._xlsform import PARTICIPANT, WAVE

    if WAVE not in df.columns or PARTICIPANT not in df.columns:
        return df, []
    pid = df[PARTICIPANT]
    bad = pid.isna()
    for i in df.index[bad]:
        problems.append(Problem((PARTICIPANT, i), "missing", "answer without participant id"))
    df = df[~bad]
    dup = df.duplicated([PARTICIPANT, WAVE], keep="last")
    for i in df.index[dup]:
        problems.append(
            Problem(
                (PARTICIPANT, i),
                "duplicate",
                f"participant {df.at[i, PARTICIPANT]!r} answered wave {df.at[i, WAVE]!r} "
                "twice: the last answer is kept",
            )
        )
    df = df[~dup]
    order = list(dict.fromkeys(df[PARTICIPANT].tolist()))
    out = pd.DataFrame({PARTICIPANT: order})
    waves = [str(w) for w in plan_.waves]
    wave_s = df[WAVE].astype(str)
    unknown_waves = sorted(set(wave_s) - set(waves))
    if unknown_waves:
        problems.append(
            Problem(
                (WAVE,),
                "unknown_wave",
                f"waves {unknown_waves} are not among the form's ({', '.join(waves)})",
            )
        )
    missing = []
    for col, (q, w) in plan_.columns.items():
        if q == PARTICIPANT:
            out[col] = out[PARTICIPANT]
            continue
        if q not in df.columns:
            missing.append(col)
            continue
        if w is not None:
            part = df[wave_s == str(w)].set_index(PARTICIPANT)[q]
        else:
            rank = wave_s.map({x: i for i, x in enumerate(waves)}).fillna(len(waves))
            part = (
                df.assign(_rank=rank.to_numpy())
                .sort_values("_rank", kind="stable")
                .dropna(subset=[q])
                .groupby(PARTICIPANT)[q]
                .last()
            )
        out[col] = out[PARTICIPANT].map(part)
    return out, missing


def read_survey(
    path: str | Path,
    *,
    form: Any = None,
    data: str | None = None,
    format: str | None = None,
    sheet: str | int = 0,
) -> SurveyResult:
    """Read a survey export into the columns a form or a model expects, with a report.

    Formats, by extension (or ``format``):

    - KoboToolbox / ODK exports, CSV (``;`` or ``,`` or tab, detected) or
      XLSX: group paths dropped (``grp/q`` -> ``q``), metadata (``start``,
      ``end``, ``_uuid``, ``_submission_time``, ``meta/...``) set apart,
      ``select_multiple`` answers split into indicator columns ``q_option``
      (from the ``q/option`` columns of the export, or from the form's
      choices), numbers with a decimal comma read as numbers;
    - LimeSurvey response exports (CSV, answer codes): ``Q[SQ001]`` ->
      ``Q_SQ001``, multiple choice ``Y`` / blank -> 1 / 0, ``id``,
      ``submitdate``... set apart;
    - SPSS ``.sav``/``.zsav``, Stata ``.dta``, SAS ``.sas7bdat``/``.xpt``
      (pyreadstat, ``pip install 'impactkit[survey]'``): codes kept, value
      labels returned in ``labels``, SPSS user-defined missing values read as
      missing (counted in ``user_missing``).

    Parameters
    ----------
    path : str or path-like
        The export.
    form : ImpactModel, XLSForm path, sequence or mapping, optional
        What the columns should be: a model (the questions of
        :func:`impactkit.io.write_xlsform`; with one row per participant and
        wave, the answers are pivoted into the columns the calculators read,
        e.g. ``zarit`` at wave ``t0`` -> ``zarit_t0``), an XLSForm file (its
        question names and ``select_multiple`` choices), a list of names, or a
        mapping export name -> name.
    data : str, optional
        With a model as ``form``: the data source the export fills (required
        when the model's calculators read several).
    format : {"kobo", "limesurvey", "spss", "stata", "sas"}, optional
        Override the detection.
    sheet : str or int, default 0
        Sheet of an XLSX export.

    Returns
    -------
    SurveyResult
        ``data`` under the expected names, and what was renamed, set apart,
        missing, unknown, with every problem located.

    Raises
    ------
    ValidationError
        Unknown format, a file too large, or a form of the wrong kind.
    FileNotFoundError
        When the file does not exist.

    Notes
    -----
    Expected names are matched exactly, then ignoring case and punctuation
    (``Age`` -> ``age``, recorded in ``renamed``). An expected column absent
    from the export is in ``missing``; an export column the form does not
    expect is kept and listed in ``unknown``; both are problems. A value that
    is not a number in a column the form declares numeric is a problem
    naming its row. A column is read as numbers when every answer is one
    (``12,5`` or ``12.5``), unless some have leading zeros (codes such as
    ``007`` stay text), it is the participant id or the wave, or the XLSForm
    declares it ``text``.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> text = "id,submitdate,Q1,Q2[SQ001],Q2[SQ002]\\n1,2024-03-01,4,Y,\\n"
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     p = Path(tmp) / "results.csv"
    ...     _ = p.write_text(text, encoding="utf-8")
    ...     r = read_survey(p, form=["Q1", "Q2_SQ001", "Q2_SQ002"])
    >>> r.format, r.data.to_dict("records"), r.dropped, r.ok
    ('limesurvey', [{'Q1': 4.0, 'Q2_SQ001': 1.0, 'Q2_SQ002': 0.0}], ('id', 'submitdate'), True)
    """
    p = Path(path)
    if format is not None and format not in _SURVEY_KINDS:
        raise ValidationError(
            f"format must be one of {', '.join(_SURVEY_KINDS)}, got {format!r}",
            path=("format",),
            code="invalid_choice",
        )
    suffix = p.suffix.lower()
    if suffix not in _EXT and format is None:
        raise ValidationError(
            f"{p.name}: unknown export type {suffix!r}; expected "
            + ", ".join(sorted(_EXT))
            + " (or give format=)",
            path=("path",),
            code="invalid_choice",
        )
    if p.stat().st_size > MAX_SURVEY_BYTES:
        raise ValidationError(
            f"{p.name} is larger than {MAX_SURVEY_BYTES} bytes", path=("path",), code="too_large"
        )
    kind = format or _EXT.get(suffix)
    labels: dict[str, Any] = {}
    user_missing: dict[str, int] = {}
    problems: list[Problem] = []
    if kind in ("spss", "stata", "sas"):
        raw, labels, user_missing = _read_stat(p, kind)
    elif suffix in (".xlsx", ".xlsm"):
        raw = pd.read_excel(p, sheet_name=sheet, dtype=object, engine="openpyxl")
    else:
        text = _read_text(p)
        raw = pd.read_csv(
            io.StringIO(text),
            sep=_delimiter(text),
            dtype=str,
            keep_default_na=False,
            na_values=[""],
        )
    raw.columns = [str(c) for c in raw.columns]
    cols = list(raw.columns)
    if kind is None:
        lime = {"submitdate", "lastpage", "startlanguage"} & set(cols)
        kind = "limesurvey" if lime else "kobo"
    meta_cols: list[str] = []
    if kind == "kobo":
        names, meta_cols, problems_k = _kobo_columns(cols)
        problems += problems_k
    elif kind == "limesurvey":
        names, meta_cols = _limesurvey_columns(cols)
    else:
        names = {c: c for c in cols}
    metadata = raw[meta_cols].copy()
    df = raw[[c for c in cols if c not in meta_cols]].rename(columns=names)
    renamed = {c: n for c, n in names.items() if c != n}
    expected, multi, plan_, numeric = _expected(form, data)
    text_questions = _text_questions(form) if isinstance(form, str | Path) else set()
    if isinstance(form, Mapping):
        given = {str(k): str(v) for k, v in form.items() if str(k) in df.columns}
        df = df.rename(columns=given)
        for src, dst in given.items():
            orig = next((k for k, v in names.items() if v == src), src)
            renamed[orig] = dst
    # match expected names ignoring case and punctuation
    if expected:
        targets = [*expected, *(plan_.columns if plan_ is not None else ())]
        by_norm = {_norm(e): e for e in targets}
        fix = {}
        for c in df.columns:
            if c not in targets and _norm(c) in by_norm and by_norm[_norm(c)] not in df.columns:
                fix[c] = by_norm[_norm(c)]
        df = df.rename(columns=fix)
        for src, dst in fix.items():
            orig = next((k for k, v in renamed.items() if v == src), src)
            renamed[orig] = dst
    df, split_cols = _split_multiple(df, multi)
    if kind == "limesurvey":
        df = _yes_blank(df, {k: renamed.get(k, v) for k, v in names.items()})
    from impactkit.io._xlsform import PARTICIPANT, WAVE

    for c in df.columns:
        if c not in (PARTICIPANT, WAVE) and c not in text_questions:
            df[c] = _as_number(df[c])
    missing: list[str] = []
    unknown: list[str] = []
    df, refused = _refused(df)
    positions = {c: i + 1 for i, c in enumerate(df.columns)}
    if plan_ is not None:
        known = set(expected) | set(plan_.columns)
        unknown = [c for c in df.columns if c not in known]
        _check_numeric(df, numeric, problems)
        df, missing = _pivot(df, plan_, problems)
        if not missing and not set(plan_.columns) <= set(df.columns):
            missing = [c for c in plan_.columns if c not in df.columns]
    elif expected:
        _check_numeric(df, numeric, problems)
        known = set(expected) | set(split_cols)
        indicator_of = {f"{q}_{o}" for q, opts in multi.items() for o in opts}
        unknown = [c for c in df.columns if c not in known and c not in indicator_of]
        missing = [e for e in expected if e not in df.columns]
    for c in missing:
        problems.append(
            Problem((c,), "missing_column", f"expected column {c!r} is not in the export")
        )
    for c in unknown:
        src = next((k for k, v in renamed.items() if v == c), c)
        problems.append(
            Problem(
                (c,),
                "unknown_column",
                f"column {src!r} (answer column {positions[c]}) is not expected by the form",
            )
        )
    return SurveyResult(
        data=df.reset_index(drop=True),
        metadata=metadata.reset_index(drop=True),
        format=kind,
        renamed=renamed,
        dropped=tuple(meta_cols),
        missing=tuple(missing),
        unknown=tuple(unknown),
        labels=labels,
        user_missing=user_missing,
        problems=tuple(problems),
        source=str(p),
        refused=refused,
    )


def _check_numeric(df: pd.DataFrame, numeric: set[str], problems: list[Problem]) -> None:
    """Report the answers of numeric questions that are not numbers, then read them as missing."""
    for c in sorted(numeric):
        if c not in df.columns or pd.api.types.is_numeric_dtype(df[c]):
            continue
        vals = df[c].dropna()
        text = vals.map(lambda v: str(v).strip())
        good = text.map(lambda t: bool(_NUMBER.match(t)))
        bad = vals[~good]
        if len(bad):
            problems.append(
                Problem(
                    (c, bad.index[0]),
                    "not_numeric",
                    f"{len(bad)} answers of {c!r} are not numbers (e.g. {bad.iloc[0]!r} in "
                    f"row {bad.index[0]}): read as missing",
                )
            )
        out = pd.Series(np.nan, index=df.index, dtype=float)
        ok = text[good]
        out[ok.index] = ok.str.replace(",", ".", regex=False).astype(float)
        df[c] = out
