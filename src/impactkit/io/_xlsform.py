"""Questionnaires out: an XLSForm (KoboToolbox, ODK Collect, Enketo) from a model.

The form asks, per data source of the model, for every column its
calculators read: the questions come from the calculators (which columns,
which range, which scale they belong to) and their labels from the theory of
change (the indicator the calculator measures). Pre/post measurements become
one question asked at each *wave* (``wave`` field): the column ``zarit_t0`` is
the answer to ``zarit`` at wave ``t0``. :func:`impactkit.io.read_survey`
reverses the mapping, so that an export of the form goes back into the model.

No item wording of a licensed instrument is written: a scale's items are
labelled by their position (see docs/methods/scales.md).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from impactkit.errors import ValidationError
from impactkit.model import ImpactModel

__all__ = ["write_xlsform"]

CONSENT = "consent"
"""Name of the consent question (first question; the form ends when refused)."""
PARTICIPANT = "participant_id"
"""Name of the pseudonymous participant id question."""
WAVE = "wave"
"""Name of the wave question (``select_one``), e.g. ``t0`` at entry and ``t1`` at follow-up."""
MAIN_GROUP = "questionnaire"
"""Group holding every question after consent (relevant only when consent is given)."""

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
_LANGS = {"fr": "Français (fr)", "en": "English (en)"}


@attrs.frozen
class Question:
    """One question of the form, and what it feeds (internal record)."""

    name: str
    kind: str  # integer, decimal, text, yes_no
    label_fr: str
    label_en: str
    low: float | None = None
    high: float | None = None
    group: str | None = None
    group_label: str = ""
    reversed: bool = False
    waves: tuple[str, ...] = ()
    levels: tuple[float, ...] = ()  # the only answers allowed (a select_one), if any


@attrs.frozen
class FormPlan:
    """The questions of one data source and the column each answer fills (internal)."""

    data: str | None
    questions: tuple[Question, ...]
    waves: tuple[str, ...]
    columns: dict[str, tuple[str, str | None]]  # expected column -> (question, wave)

    @property
    def question_names(self) -> list[str]:
        """Question names, in form order."""
        return [q.name for q in self.questions]


def _calculators(model: ImpactModel) -> Iterator[tuple[Any, str, str]]:
    """(calculator, French label, indicator id) for every calculator of the model."""
    from impactkit.measure import is_calculator

    seen: set[int] = set()
    nodes = model.toc.nodes if model.toc is not None else ()
    for node in nodes:
        for ind in getattr(node, "indicators", ()):
            m = getattr(ind, "measure", None)
            if m is not None and is_calculator(m) and id(m) not in seen:
                seen.add(id(m))
                yield m, str(ind.label or node.label), str(ind.id)
        m = getattr(node, "measure", None)
        if m is not None and is_calculator(m) and id(m) not in seen:
            seen.add(id(m))
            yield m, str(node.label), str(node.id)
    labels = {n.id: n.label for n in nodes}
    for ov in model.outcomes:
        for field in ("quantity", "deadweight"):
            m = getattr(ov, field)
            if is_calculator(m) and id(m) not in seen:
                seen.add(id(m))
                label = labels.get(ov.outcome) or ov.label or ov.outcome
                yield m, str(label), str(ov.outcome)


def sources(model: ImpactModel) -> list[str | None]:
    """Data sources the model's calculators read, in order of appearance."""
    out: list[str | None] = []
    for calc, _, _ in _calculators(model):
        if calc.data not in out:
            out.append(calc.data)
    return out


def _split(a: str, b: str) -> tuple[str, str, str] | None:
    """``("self_esteem", "t0", "t1")`` from ``self_esteem_t0`` and ``self_esteem_t1``."""
    n = 0
    while n < min(len(a), len(b)) and a[n] == b[n]:
        n += 1
    p = a[:n]
    if "_" in p:
        p = p[: p.rfind("_") + 1]
    base = p.rstrip("_")
    wa, wb = a[len(p) :], b[len(p) :]
    if not base or not wa or not wb or wa == wb:
        return None
    return base, wa, wb


class _Builder:
    def __init__(self, data: str | None) -> None:
        self.data = data
        self.questions: dict[str, Question] = {}
        self.columns: dict[str, tuple[str, str | None]] = {}
        self.waves: list[str] = []

    def add(self, column: str, q: Question, wave: str | None) -> None:
        if wave is not None and wave not in self.waves:
            self.waves.append(wave)
        old = self.questions.get(q.name)
        if old is None:
            self.questions[q.name] = q
        elif wave is not None and old.waves and wave not in old.waves:
            self.questions[q.name] = attrs.evolve(old, waves=(*old.waves, wave))
        elif wave is None and old.waves:
            self.questions[q.name] = attrs.evolve(old, waves=())
        self.columns.setdefault(column, (q.name, wave))

    def pair(
        self, a: str, b: str, kind: str, label: str, low: float | None, high: float | None
    ) -> None:
        split = _split(a, b)
        if split is None:
            for col in (a, b):
                self.add(col, Question(col, kind, *_labels(label, col), low, high), None)
            return
        base, wa, wb = split
        for col, w in ((a, wa), (b, wb)):
            q = Question(base, kind, *_labels(label, base), low, high, waves=(w,))
            self.add(col, q, w)

    def scale(
        self,
        scale: Any,
        suffixes: Sequence[str],
        sep: str,
        label: str,
        names: Sequence[tuple[str, str]] = (),
    ) -> None:
        group = scale.name or "scale"
        allowed = dict(scale.levels)
        for i, item in enumerate(scale.items, 1):
            rev = item in scale.reverse
            if names:
                fr, en = names[i - 1]
            else:
                fr = f"Item {i} sur {scale.k}" + (" (inversé)" if rev else "")
                en = f"Item {i} of {scale.k}" + (" (reversed)" if rev else "")
            for sfx in suffixes:
                q = Question(
                    str(item),
                    "integer",
                    fr,
                    en,
                    float(scale.low),
                    float(scale.high),
                    group=group,
                    group_label=label,
                    reversed=rev,
                    waves=(sfx,),
                    levels=tuple(dict.fromkeys(float(v) for v in allowed.get(item, ()))),
                )
                self.add(f"{item}{sep}{sfx}", q, sfx)


def _labels(label: str, column: str) -> tuple[str, str]:
    """French label: the indicator's own words; English: the column, in words."""
    return label, column.replace("_", " ").capitalize()


_EQ5D_NAMES = (
    ("Mobilité : niveau de 1 à 5", "Mobility: level 1 to 5"),
    ("Soins personnels : niveau de 1 à 5", "Self-care: level 1 to 5"),
    ("Activités courantes : niveau de 1 à 5", "Usual activities: level 1 to 5"),
    ("Douleur ou gêne : niveau de 1 à 5", "Pain or discomfort: level 1 to 5"),
    ("Anxiété ou dépression : niveau de 1 à 5", "Anxiety or depression: level 1 to 5"),
)
"""Labels of the five EQ-5D-5L dimensions: their names only, never the licensed wording."""


def plan(model: ImpactModel, data: str | None = None) -> FormPlan:
    """The questions of one data source of ``model`` (internal).

    Raises
    ------
    ValidationError
        When the model has several data sources and ``data`` names none of
        them, or when a column is not a valid XLSForm name.
    """
    from impactkit.measure import Scale

    srcs = sources(model)
    if not srcs:
        raise ValidationError(
            "the model has no calculator bound to data: nothing to ask",
            path=("outcomes",),
            code="empty",
        )
    if data is None and len(srcs) > 1:
        raise ValidationError(
            "the model reads several data sources; choose one with data= among "
            + ", ".join(map(str, srcs)),
            path=("data",),
            code="missing",
        )
    if data is not None and data not in srcs:
        raise ValidationError(
            f"no calculator reads data {data!r}; sources: {', '.join(map(str, srcs))}",
            path=("data",),
            code="invalid_choice",
        )
    src = srcs[0] if data is None else data
    b = _Builder(src)
    for calc, label, _ind in _calculators(model):
        if calc.data != src:
            continue
        name = calc.name
        measure = getattr(calc, "measure", None)
        sep = getattr(calc, "separator", "_")
        if isinstance(measure, Scale):
            pre = str(getattr(calc, "baseline", "t0"))
            post = str(getattr(calc, "followup", "t1"))
            b.scale(measure, [pre, post], sep, label)
        elif name == "qaly_gain" and calc.value_set is not None:
            eq = Scale(items=list(calc.dimensions), low=1, high=5, name="eq5d5l")
            fr = f"EQ-5D-5L (cotation seulement, texte sous licence EuroQol) : {label}"
            b.scale(eq, [calc.baseline, calc.followup], calc.separator, fr, _EQ5D_NAMES)
        elif name == "qaly_gain":
            b.pair(calc.baseline, calc.followup, "decimal", label, None, 1.0)
        elif name == "life_satisfaction":
            b.pair(calc.baseline, calc.followup, "integer", label, calc.low, calc.high)
        elif name in ("prepost", "reliable_change"):
            a = calc.baseline
            c = calc.followup
            b.pair(a, c, "decimal", label, None, None)
        elif name == "distance_travelled":
            lo, hi = calc.scale
            for dom in calc.domains:
                for w in (calc.baseline, calc.followup):
                    q = Question(dom, "integer", *_labels(label, dom), lo, hi, waves=(w,))
                    b.add(f"{dom}{calc.separator}{w}", q, w)
        else:
            for _path, col in calc._columns():
                kind = "decimal"
                if name == "proportion":
                    vals = tuple(calc.values)
                    kind = "yes_no" if all(isinstance(v, bool | int) for v in vals) else "text"
                elif name == "count":
                    # the distinct units counted are the participants: their id
                    b.columns.setdefault(col, (PARTICIPANT, None))
                    continue
                b.add(col, Question(col, kind, *_labels(label, col)), None)
        for cnd in getattr(calc, "where", ()):
            values = cnd.value if isinstance(cnd.value, list | tuple) else [cnd.value]
            numeric = all(isinstance(v, int | float) and not isinstance(v, bool) for v in values)
            kind = "decimal" if numeric and cnd.value is not None else "text"
            fr = f"Critère de sélection de l'indicateur « {label} »"
            en = f"{cnd.column.replace('_', ' ').capitalize()} (selection criterion)"
            b.add(cnd.column, Question(cnd.column, kind, fr, en), None)
        for col in getattr(calc, "by", ()):
            fr = f"Groupe de comparaison de l'indicateur « {label} »"
            en = f"{col.replace('_', ' ').capitalize()} (group)"
            b.add(col, Question(col, "text", fr, en), None)
    bad = [q.name for q in b.questions.values() if not _NAME.match(q.name)]
    if bad or any(q in (CONSENT, PARTICIPANT, WAVE) for q in b.questions):
        raise ValidationError(
            "columns that cannot be XLSForm question names (a letter or _ first, then "
            "letters, digits, _ - .; not consent, participant_id, wave): " + ", ".join(bad),
            path=("data",),
            code="invalid",
        )
    waves = tuple(b.waves) or ("t0", "t1")
    return FormPlan(src, tuple(b.questions.values()), waves, dict(b.columns))


def _wave_label(w: str, lang: str) -> str:
    names = {"t0": ("Entrée", "Entry"), "t1": ("Suivi", "Follow-up")}
    fr, en = names.get(w, (f"Temps {w}", f"Wave {w}"))
    return f"{fr} ({w})" if lang == "fr" else f"{en} ({w})"


def _fmt(x: float) -> str:
    return f"{x:g}"


def _levels_list(levels: tuple[float, ...]) -> str:
    """Name of the choice list of an item's allowed answers, e.g. ``levels_0_2_4``."""
    return "levels_" + "_".join(
        _fmt(v).replace("-", "m").replace(".", "p").replace("+", "") for v in levels
    )


def _rows(plan_: FormPlan) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    fr, en = "label::" + _LANGS["fr"], "label::" + _LANGS["en"]
    hfr, hen = "hint::" + _LANGS["fr"], "hint::" + _LANGS["en"]
    survey: list[dict[str, str]] = [
        {
            "type": "select_one yes_no",
            "name": CONSENT,
            fr: "La personne accepte-t-elle de répondre (consentement éclairé) ?",
            en: "Does the person agree to answer (informed consent)?",
            "required": "yes",
        },
        {
            "type": "begin_group",
            "name": MAIN_GROUP,
            fr: "Questionnaire",
            en: "Questionnaire",
            "relevant": f"${{{CONSENT}}} = 'yes'",
        },
        {
            "type": "text",
            "name": PARTICIPANT,
            fr: "Identifiant pseudonyme de la personne (jamais son nom)",
            en: "Pseudonymous participant id (never the name)",
            "required": "yes",
            "constraint": "string-length(.) >= 1 and string-length(.) <= 40",
        },
        {
            "type": "select_one waves",
            "name": WAVE,
            fr: "Temps de mesure",
            en: "Measurement wave",
            "required": "yes",
        },
    ]
    choices: list[dict[str, str]] = [
        {"list_name": "yes_no", "name": "yes", fr: "Oui", en: "Yes"},
        {"list_name": "yes_no", "name": "no", fr: "Non", en: "No"},
        {"list_name": "binary", "name": "1", fr: "Oui", en: "Yes"},
        {"list_name": "binary", "name": "0", fr: "Non", en: "No"},
    ]
    for w in plan_.waves:
        choices.append(
            {"list_name": "waves", "name": w, fr: _wave_label(w, "fr"), en: _wave_label(w, "en")}
        )
    open_group: str | None = None
    lists: set[str] = set()
    for q in plan_.questions:
        if q.group != open_group:
            if open_group is not None:
                survey.append({"type": "end_group"})
            if q.group is not None:
                survey.append(
                    {
                        "type": "begin_group",
                        "name": q.group,
                        fr: q.group_label or q.group,
                        en: q.group,
                    }
                )
            open_group = q.group
        kind = {"yes_no": "select_one binary"}.get(q.kind, q.kind)
        if q.levels:
            # the allowed answers as choices, each named and labelled by its score: the
            # export holds the score whether it gives choice names or labels
            lst = _levels_list(q.levels)
            kind = f"select_one {lst}"
            if lst not in lists:
                lists.add(lst)
                choices += [
                    {"list_name": lst, "name": _fmt(v), fr: _fmt(v), en: _fmt(v)} for v in q.levels
                ]
        row = {"type": kind, "name": q.name, fr: q.label_fr, en: q.label_en}
        cons = []
        if q.low is not None and not q.levels:  # with levels, the choices constrain
            cons.append(f". >= {_fmt(q.low)}")
        if q.high is not None and not q.levels:
            cons.append(f". <= {_fmt(q.high)}")
        if cons:
            row["constraint"] = " and ".join(cons)
            rng = f"{_fmt(q.low) if q.low is not None else '…'} – "
            rng += f"{_fmt(q.high) if q.high is not None else '…'}"
            row["constraint_message::" + _LANGS["fr"]] = f"Valeur attendue : {rng}"
            row["constraint_message::" + _LANGS["en"]] = f"Expected value: {rng}"
        if q.reversed and q.low is not None and q.high is not None:
            row[hfr] = f"Item inversé : coté {_fmt(q.low + q.high)} moins la réponse"
            row[hen] = f"Reversed item: scored {_fmt(q.low + q.high)} minus the answer"
        if q.waves and set(q.waves) != set(plan_.waves):
            row["relevant"] = " or ".join(f"${{{WAVE}}} = '{w}'" for w in q.waves)
        survey.append(row)
    if open_group is not None:
        survey.append({"type": "end_group"})
    survey.append({"type": "end_group"})
    return survey, choices


def _save_workbook(wb: Any, path: Path) -> None:
    """Save an openpyxl workbook through the one atomic writer (see docs/reference/cli.md)."""
    from impactkit._atomic import open_for_write

    with open_for_write(path) as fh:
        wb.save(fh)


def _form_id(text: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    return (slug or "impactkit")[:60]


def write_xlsform(
    model: ImpactModel, path: str | Path, *, lang: str = "en", data: str | None = None
) -> Path:
    """Write an XLSForm (sheets survey, choices, settings) asking what the model measures.

    The form opens with a consent question (everything after it is skipped
    when consent is refused), then a pseudonymous participant id and the
    measurement wave (``select_one``: ``t0`` at entry, ``t1`` at follow-up,
    or the suffixes the calculators use), then one question per column the
    calculators of the data source read: a scale's items in a group (reversed
    items declared in the hint), EQ-5D-5L dimensions in a group, ranges as
    constraints; an item whose answers a scale restricts (its ``levels``, e.g.
    AUDIT items 9 and 10: 0, 2 or 4) is a ``select_one`` of exactly those
    scores, each choice named and labelled by its score. A question measured
    before and after (``zarit_t0`` and ``zarit_t1``) is asked once per wave
    (``zarit``), relevant only at its waves. Labels are in French and
    English (``label::Français (fr)``, ``label::English (en)``); ``lang`` is
    the default language.

    Parameters
    ----------
    model : ImpactModel
        A model whose calculators are bound to data (``load_example(...,
        measured=False)`` for an example).
    path : str or path-like
        Where to write the ``.xlsx`` file (replaced atomically).
    lang : {"en", "fr"}, default "en"
        Default language of the form.
    data : str, optional
        The data source the form collects; required when the calculators
        read several.

    Returns
    -------
    pathlib.Path
        The path written.

    Raises
    ------
    ValidationError
        Unknown language, no calculator, several data sources without
        ``data``, or a column that cannot be a question name.
    ImportError
        Without openpyxl (``pip install 'impactkit[excel]'``).

    Notes
    -----
    No wording of a licensed instrument (EQ-5D-5L, SWEMWBS, Zarit...) is
    written: items are labelled by position; paste the licensed wording into
    the labels once you hold the licence. :func:`impactkit.io.read_survey`
    with ``form=model`` turns an export of the form back into the columns the
    calculators read.

    References
    ----------
    .. [1] XLSForm specification, https://xlsform.org (survey, choices and
       settings sheets; ``label::Language (code)`` columns).

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> import impactkit as ik
    >>> model = ik.examples.load_example("personnes_agees", measured=False)
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     out = ik.io.write_xlsform(model, Path(tmp) / "form.xlsx")
    ...     import openpyxl
    ...     wb = openpyxl.load_workbook(out)
    ...     names = [r[1] for r in wb["survey"].iter_rows(min_row=2, values_only=True)]
    >>> names[:4]
    ['consent', 'questionnaire', 'participant_id', 'wave']
    >>> "zarit" in names
    True
    """
    if lang not in _LANGS:
        raise ValidationError(
            f"lang must be one of {', '.join(_LANGS)}, got {lang!r}",
            path=("lang",),
            code="invalid_choice",
        )
    p = plan(model, data)
    survey, choices = _rows(p)
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - the excel extra
        raise ImportError("XLSForms need openpyxl: pip install 'impactkit[excel]'") from exc
    wb = openpyxl.Workbook()
    for title, rows in (("survey", survey), ("choices", choices)):
        ws = wb.active if title == "survey" else wb.create_sheet(title)
        ws.title = title
        header: list[str] = []
        for r in rows:
            header += [k for k in r if k not in header]
        ws.append(header)
        for r in rows:
            ws.append([r.get(k, "") for k in header])
    ws = wb.create_sheet("settings")
    title = model.name or "impactkit"
    ws.append(["form_title", "form_id", "default_language", "version"])
    ws.append([title, _form_id(f"{title}_{p.data or ''}"), _LANGS[lang], "1"])
    out = Path(path)
    _save_workbook(wb, out)
    return out
