"""The ``impactkit`` command: parser, subcommands and exit codes (see :mod:`impactkit.cli`)."""

from __future__ import annotations

import argparse
import contextlib
import json
import re
import sys
from collections.abc import Iterator, Sequence
from typing import Any, TextIO

from impactkit._version import __version__
from impactkit.errors import FileFormatError, ImpactkitError, Problem, ValidationError

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

_ROW = {"type": "object"}
SROI_JSON_SCHEMA: dict[str, Any] = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "impactkit sroi --format json",
    "type": "object",
    "required": ["sroi"],
    "additionalProperties": False,
    "properties": {
        "sroi": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "model",
                "currency",
                "base_year",
                "discount",
                "first_flow_at",
                "mode",
                "present_value",
                "total_inputs",
                "net_present_value",
                "ratio",
                "net_ratio",
                "payback_months",
                "discounted_payback_years",
                "by_outcome",
                "by_stakeholder",
                "by_year",
                "version",
            ],
            "properties": {
                "model": {"type": "string"},
                "currency": {"type": "string"},
                "base_year": {"type": ["integer", "null"]},
                "discount": {"type": "string"},
                "first_flow_at": {"enum": ["t1", "t0"]},
                "mode": {"enum": ["forecast", "evaluative"]},
                "present_value": {"type": "number"},
                "total_inputs": {"type": "number"},
                "net_present_value": {"type": "number"},
                "ratio": {"type": "number"},
                "net_ratio": {"type": "number"},
                "payback_months": {"type": ["number", "null"]},
                "discounted_payback_years": {"type": ["number", "null"]},
                "by_outcome": {"type": "array", "items": _ROW},
                "by_stakeholder": {"type": "array", "items": _ROW},
                "by_year": {"type": "array", "items": _ROW},
                "public_finance": {"type": "array", "items": _ROW},
                "version": {"type": "string"},
                "lineage": {"type": "array", "items": _ROW},
                "model_spec": {"type": ["object", "null"]},
            },
        },
        "monte_carlo": {
            "type": "object",
            "additionalProperties": False,
            "required": [
                "n",
                "seed_entropy",
                "mean_ratio",
                "p5",
                "p50",
                "p95",
                "interval_90",
                "probability_ratio_above_1",
            ],
            "properties": {
                "n": {"type": "integer"},
                "seed_entropy": {"type": ["integer", "null"]},
                "mean_ratio": {"type": "number"},
                "p5": {"type": "number"},
                "p50": {"type": "number"},
                "p95": {"type": "number"},
                "interval_90": {
                    "type": "array",
                    "items": {"type": "number"},
                    "minItems": 2,
                    "maxItems": 2,
                },
                "probability_ratio_above_1": {"type": "number"},
            },
        },
    },
}
"""JSON Schema of the stable output of ``impactkit sroi --format json``."""


_CELL = re.compile(r"[A-Z]{1,3}[0-9]+")


def _cell(p: Any) -> str | None:
    """The workbook cell a problem carries (``Carte de valeur!E4``), or None."""
    for attr in ("cell", "reference", "where"):
        ref = getattr(p, attr, None)
        if ref:
            return str(ref)
    path = tuple(p.path)
    if len(path) == 2 and isinstance(path[0], str) and _CELL.fullmatch(str(path[1])):
        return f"{path[0]}!{path[1]}"  # a workbook's sheet and cell
    return None


def _where(p: Any) -> str:
    """Where a problem is: the cell it carries (a workbook's ``Carte de valeur!E4``) when
    the reader gave one, else its path in the model."""
    cell = _cell(p)
    return str(p.location) if cell is None else cell


_LOADED: dict[str, Any] = {}
"""The model read from each path by this command, for the labels of French messages."""


def _context(path: str | None, *, parsed: bool = True) -> tuple[Any, bool]:
    """What words a problem of the file at ``path`` in French: the model read from it (or
    the mapping a model file holds, when it did not load), and whether the file is a
    French workbook whose reader words its problems in French already.

    The mapping only of a file the reader ``parsed``: not after a
    :class:`FileFormatError` (syntax, size, unsafe content)."""
    from impactkit.cli._words import file_lang

    if path is None:
        return None, False
    suffix = path.lower().rsplit(".", 1)[-1]
    native = suffix in ("xlsx", "xlsm", "ods", "xls") and file_lang(path) == "fr"
    if path in _LOADED:
        return _LOADED[path], native
    if suffix not in ("json", "yaml", "yml") or not parsed:
        return None, native
    try:  # a file the reader parsed (its problems are not a FileFormatError's)
        with open(path, encoding="utf-8") as fh:
            text = fh.read(5_000_000)
        if suffix == "json":
            return json.loads(text), native
        import yaml

        return yaml.safe_load(text), native
    except Exception:  # the labels are a courtesy: an unreadable file gives none
        return None, native


def _print_problems(
    problems: Sequence[Problem],
    out: TextIO,
    lang: str = "en",
    path: str | None = None,
    *,
    parsed: bool = True,
) -> None:
    if lang == "fr":
        from impactkit.cli._words import problem_lines_fr

        model, native = _context(path, parsed=parsed)
        for line in problem_lines_fr(problems, model=model, native=native):
            print(line, file=out)
        return
    for p in problems:
        print(f"{p.severity}: {_where(p)}: {p.message} [{p.code}]", file=out)


def _load(path: str) -> Any:
    from impactkit.io import load

    if path.lower().endswith((".xlsx", ".ods", ".xls")):
        from impactkit.io import read_value_map

        model = read_value_map(path, text_numbers="warn")  # what the workbook shows
    else:
        model = load(path)
    _LOADED[path] = model
    return model


def _load_valid(path: str) -> Any:
    """A model that ``impactkit validate`` accepts, or a ValidationError (exit 1).

    Every command that computes from a model or shows it reads it here (all
    but ``validate`` and ``lint``, which list the problems): an error-level
    problem of :meth:`ImpactModel.problems` (a duplicated value-map row, an
    unknown node, ...) stops it before anything is computed or written, with
    the problems ``validate`` lists; warnings do not.
    """
    model = _load(path)
    errors = [p for p in model.problems() if p.severity == "error"]
    if errors:
        raise ValidationError(errors)
    return model


def _plural(n: int, word: str, lang: str = "en") -> str:
    """``1 error``, ``2 errors`` (« 0 avertissement » in French)."""
    from impactkit.cli._words import plural

    return plural(n, word, lang)


def _warn_few_draws(n: int | None, lang: str = "en") -> None:
    if n and 0 < n < 100:
        print(
            f"impactkit : avertissement : {n} tirages Monte Carlo donnent des intervalles "
            "instables ; prenez-en au moins 1\u202f000"
            if lang == "fr"
            else f"impactkit: warning: {_plural(n, 'Monte Carlo draw')} give unstable "
            "intervals; use at least 1,000",
            file=sys.stderr,
        )


def _cmd_validate(args: argparse.Namespace) -> int:
    lang = args.lang
    fr = lang == "fr"
    import warnings as python_warnings

    with python_warnings.catch_warnings(record=True) as caught:
        python_warnings.simplefilter("always")
        try:
            model = _load(args.file)
        except ValidationError as exc:
            if exit_code(exc) != EXIT_INVALID:
                raise  # an unreadable file: the same code as every other command
            parsed = not isinstance(exc, FileFormatError)
            _print_problems(exc.problems, sys.stdout, lang, args.file, parsed=parsed)
            n = _plural(len(exc.errors), "error", lang)
            print(f"{args.file} : invalide ({n})" if fr else f"{args.file}: invalid ({n})")
            return 1
    cells = [p for w in caught for p in getattr(w.message, "problems", ())]  # a workbook's
    for w in caught:
        if not getattr(w.message, "problems", ()):
            python_warnings.warn_explicit(w.message, w.category, w.filename, w.lineno)
    probs = cells + model.problems()
    errors = [p for p in probs if p.severity == "error"]
    warnings = [p for p in probs if p.severity == "warning"]
    shown = probs if not args.quiet else errors
    _print_problems(shown, sys.stdout, lang, args.file)
    n_err, n_warn = _plural(len(errors), "error", lang), _plural(len(warnings), "warning", lang)
    if errors:
        print(
            f"{args.file} : invalide ({n_err}, {n_warn})"
            if fr
            else f"{args.file}: invalid ({n_err}, {n_warn})"
        )
        return 1
    print(f"{args.file} : valide ({n_warn})" if fr else f"{args.file}: valid ({n_warn})")
    return 0


def _cmd_toc(args: argparse.Namespace) -> int:
    from impactkit.toc import to_dot, to_graphml, to_json, to_mermaid

    model = _load_valid(args.file)
    if model.toc is None:
        print(
            f"{args.file} : le modèle n'a pas de théorie du changement"
            if args.lang == "fr"
            else f"{args.file}: the model has no theory of change",
            file=sys.stderr,
        )
        return 1
    fn = {"mermaid": to_mermaid, "dot": to_dot, "graphml": to_graphml, "json": to_json}
    print(fn[args.format](model.toc))
    return 0


def _data(args: argparse.Namespace) -> dict[str, Any] | None:
    """``--data NAME=PATH.csv`` options as DataFrames (read here, at the door)."""
    items = getattr(args, "data", None) or []
    if not items:
        return None

    out: dict[str, Any] = {}
    for item in items:
        name, sep, path = item.partition("=")
        if not sep or not name or not path:
            raise ValidationError(
                f"--data takes NAME=PATH.csv, got {item!r}", path=("data",), code="usage"
            )
        out[name] = _read_csv(name, path)
    return out


def _cmd_lint(args: argparse.Namespace) -> int:
    from impactkit.assurance import CONCENTRATION_CODES, concentration_sentences, lint
    from impactkit.cli._words import SEVERITY_FR, lint_words

    lang = args.lang
    model = _load(args.file)  # lint lists the model's problems with their fixes
    data = _data(args)
    findings = lint(model, data=data, materiality=args.materiality)
    sentences: dict[str, str] = {}
    if lang == "fr" and any(f.code in CONCENTRATION_CODES for f in findings):
        # the concentration findings carry their share: word them with the report's formula
        from impactkit.methods import sroi

        labels = {ov.outcome: f"« {ov.label or ov.outcome} »" for ov in model.outcomes}
        sentences = dict(concentration_sentences(sroi(model, data=data), lang="fr", labels=labels))
    for f in findings:
        message, hint = lint_words(f, model, lang, sentences=sentences)
        if lang == "fr":
            sev = SEVERITY_FR.get(f.severity, f.severity)
            print(f"{sev} : {message}\n    conseil : {hint}")
        else:
            print(f"{f.severity}: {_where(f)}: {message} [{f.code}]\n    hint: {hint}")
    n_err = sum(f.severity == "error" for f in findings)
    n_warn = sum(f.severity == "warning" for f in findings)
    counts = (
        f"{_plural(n_err, 'error', lang)}, {_plural(n_warn, 'warning', lang)}, "
        f"{_plural(len(findings) - n_err - n_warn, 'note', lang)}"
    )
    print(f"{args.file} : {counts}" if lang == "fr" else f"{args.file}: {counts}")
    return 1 if n_err or (args.strict and n_warn) else 0


def _cmd_schema(args: argparse.Namespace) -> int:
    from impactkit.io import RESULT_SCHEMAS, json_schema, result_schema

    name = getattr(args, "result", None)
    if name == "list":
        for known in sorted(RESULT_SCHEMAS):
            print(known)
        return 0
    try:
        schema = json_schema() if name is None else result_schema(name)
    except ValidationError as exc:  # an unknown name: a wrong command line, not bad data
        _print_problems(exc.problems, sys.stderr, args.lang)
        return EXIT_USAGE
    print(json.dumps(schema, indent=2))
    return 0


def _sroi_payload(
    model: Any, mc_n: int | None, seed: int | None, data: dict[str, Any] | None = None
) -> dict[str, Any]:
    from impactkit.methods import sroi
    from impactkit.uncertainty import monte_carlo

    res = sroi(model, data=data)
    payload = {"sroi": res.to_dict()}
    if mc_n:
        mc = monte_carlo(model, n=mc_n, seed=seed, progress=_progress_bar(mc_n), data=data)
        lo, hi = mc.interval(0.90)
        p = mc.percentiles((5, 50, 95))
        payload["monte_carlo"] = {
            "n": mc.n,
            "seed_entropy": mc.seed_entropy,
            "mean_ratio": mc.mean(),
            "p5": float(p[5]),
            "p50": float(p[50]),
            "p95": float(p[95]),
            "interval_90": [lo, hi],
            "probability_ratio_above_1": mc.probability_ratio_above(1.0),
        }
    return payload


def _progress_bar(total: int) -> Any:
    """A tqdm progress bar on long runs, only when stderr is a terminal (extra ``plot``)."""
    if not sys.stderr.isatty() or total < 100_000:
        return None
    try:
        from tqdm import tqdm
    except ImportError:
        return None
    bar = tqdm(total=total, desc="Monte Carlo", unit="draw", unit_scale=True, file=sys.stderr)

    def show(done: int, n: int) -> None:
        bar.update(done - bar.n)
        if done >= n:
            bar.close()

    return show


def _cmd_report(args: argparse.Namespace) -> int:
    from impactkit.cli._words import output_format, say_written
    from impactkit.report import analyse, write

    output_format(args.output, args.lang)
    _warn_few_draws(args.mc, args.lang)
    model = _load_valid(args.file)
    content = analyse(
        model,
        data=_data(args),
        lang=args.lang,
        n_draws=args.mc or 0,
        seed=args.seed,
        progress=_progress_bar(args.mc or 0),
    )
    write(content, args.output)
    say_written(args.output, args.lang)
    return 0


def _cmd_sroi(args: argparse.Namespace) -> int:
    _warn_few_draws(args.mc, args.lang)
    model = _load_valid(args.file)
    data = _data(args)
    payload = _sroi_payload(model, args.mc, args.seed, data)
    if args.format == "json":
        print(json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False))
        return 0
    from impactkit.methods import sroi

    res = sroi(model, data=data)
    if args.format == "markdown" and args.lang == "fr":
        print(_markdown_fr(res, model))
    elif args.format == "markdown":
        from impactkit._escape import md_text

        print(f"# SROI - {md_text(res.model_name)}\n")
        print("| figure | value |\n|---|---|")
        for k, v in res.summary().lines:
            print(f"| {k} | {_md_value(v)} |")
        print()
        print(_markdown_table(res.by_stakeholder))
    elif args.lang == "fr":
        from impactkit._i18n import sroi_table_fr

        print(sroi_table_fr(res, model))
    else:
        print(res.summary())
    if "monte_carlo" in payload and args.lang == "fr":
        from impactkit._i18n import fmt_number, fmt_pct, fmt_ratio

        mcp = payload["monte_carlo"]
        lo, hi = mcp["interval_90"]
        print(
            f"\nMonte Carlo ({fmt_number(mcp['n'], 'fr', decimals=0)} tirages) : intervalle "
            f"à {fmt_pct(0.9, 'fr', decimals=0)} de {fmt_ratio(lo, 'fr')} à "
            f"{fmt_ratio(hi, 'fr')}, probabilité que le "
            f"ratio dépasse 1 pour 1 : {fmt_pct(mcp['probability_ratio_above_1'], 'fr')}"
        )
    elif "monte_carlo" in payload:
        mcp = payload["monte_carlo"]
        print(
            f"\nMonte Carlo ({mcp['n']:,} draws): 90% interval "
            f"{mcp['interval_90'][0]:.2f} - {mcp['interval_90'][1]:.2f}, "
            f"P(ratio > 1) = {mcp['probability_ratio_above_1']:.1%}"
        )
    return 0


def _markdown_fr(res: Any, model: Any) -> str:
    """``impactkit sroi --format markdown --lang fr``: the figures and the value by
    stakeholder in French words and numbers, stakeholders by their labels."""
    from impactkit._escape import md_text
    from impactkit._i18n import fmt_money, fmt_pct, sroi_figures_fr, t

    lines = [f"# SROI – {md_text(res.model_name)}", "", "| Chiffre | Valeur |", "|---|---|"]
    lines += [f"| {k} | {v} |" for k, v in sroi_figures_fr(res, model)]
    toc = model.toc
    labels = {} if toc is None else {sh.id: sh.label for sh in toc.stakeholders}
    lines += ["", f"| {t('stakeholder', 'fr')} | {t('present_value', 'fr')} | Part |"]
    lines.append("|---|---|---|")
    for rec in res.by_stakeholder.itertuples(index=False):
        who = md_text(labels.get(rec.stakeholder) or rec.stakeholder)
        money = fmt_money(rec.present_value, model.currency, "fr")
        lines.append(f"| {who} | {money} | {fmt_pct(rec.share, 'fr')} |")
    return "\n".join(lines)


def _md_value(v: Any) -> str:
    """A Markdown table cell: numbers with thousands separators and 2 decimals."""
    import math

    if isinstance(v, bool) or v is None:
        text = str(v)
    elif isinstance(v, int):
        text = f"{v:,}"
    elif isinstance(v, float):
        text = f"{v:,.2f}" if math.isfinite(v) else "-"
    else:
        from impactkit._escape import md_text

        return md_text(v)  # text: HTML and Markdown syntax escaped
    return text.replace("|", "\\|")


def _markdown_table(df: Any) -> str:
    from impactkit._escape import md_text

    cols = [md_text(c) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for row in df.itertuples(index=False):
        cells = [_md_value(v) for v in row]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def _cmd_demo(args: argparse.Namespace) -> int:
    from impactkit.examples import run_demo

    print(run_demo(n_draws=args.mc, seed=args.seed, lang=args.lang))
    return 0


def _example_names() -> list[str]:
    from impactkit import examples

    names = getattr(examples, "names", None)
    return list(names()) if names is not None else [examples.EXAMPLE]


def _cmd_examples(args: argparse.Namespace) -> int:
    from impactkit import examples

    describe = getattr(examples, "describe", None)
    rows = []
    for name in _example_names():
        info = describe(name) if describe is not None else None
        sector = getattr(info, "sector", "")
        if args.lang == "fr":
            from impactkit.cli._words import sector_fr

            sector = sector_fr(sector)
        text = getattr(info, f"description_{args.lang}", "") or getattr(info, "description", "")
        rows.append((name, sector, text))
    width = max(len(r[0]) for r in rows)
    swidth = max(len(r[1]) for r in rows)
    for name, sector, text in rows:
        print(f"{name.ljust(width)}  {sector.ljust(swidth)}  {text}".rstrip())
    print(
        "\nimpactkit new vm.xlsx --example NAME --lang fr   starts a value map from one"
        if args.lang == "en"
        else "\nimpactkit new carte.xlsx --example NOM --lang fr   part de l'un d'eux"
    )
    return 0


def _starter_model(lang: str) -> Any:
    """A small model to start from: one activity, one valued outcome, one input."""
    import impactkit as ik

    fr = lang == "fr"
    toc = ik.TheoryOfChange("Mon analyse" if fr else "My analysis")
    toc.add_stakeholder(
        "personnes" if fr else "people",
        label="Personnes accompagnées" if fr else "People supported",
        size=100,
    )
    sh = "personnes" if fr else "people"
    toc.add_node("activite", kind="activity", label="Accompagnement" if fr else "Support")
    toc.add_node(
        "effet",
        kind="outcome",
        label="Effet pour les personnes" if fr else "Outcome",
        stakeholder=sh,
    )
    toc.add_indicator(
        "effet",
        "effet_mesure",
        label="Part des personnes concernées" if fr else "Share of people concerned",
    )
    toc.add_link("activite", "effet", rationale="À compléter" if fr else "To complete")
    return ik.ImpactModel(
        name="Mon analyse" if fr else "My analysis",
        currency="EUR",
        toc=toc,
        inputs=[
            ik.Input(
                "Subvention" if fr else "Grant",
                amount=100_000,
                stakeholder="financeur" if fr else "funder",
            )
        ],
        outcomes=[
            ik.OutcomeValuation(
                outcome="effet",
                stakeholder=sh,
                quantity=50,
                proxy=ik.FinancialProxy(
                    2_000,
                    source="Illustratif : à remplacer par une source"
                    if fr
                    else "Illustrative: replace with a source",
                ),
                label="Effet pour les personnes" if fr else "Outcome",
                indicator="effet_mesure",
                duration=1,
                deadweight=0.2,
                attribution=0.1,
            )
        ],
    )


def _cmd_new(args: argparse.Namespace) -> int:
    from pathlib import Path

    from impactkit.cli._words import refuse_existing, refuse_suffix

    path = Path(args.path)
    suffix = path.suffix.lower()
    if getattr(args, "network", False):
        return _new_network(args, path)
    fr = args.lang == "fr"
    if suffix not in (".xlsx", ".yaml", ".yml", ".json"):
        return refuse_suffix(path, args.lang)
    if path.exists() and not args.force:
        return refuse_existing(path, args.lang)
    if args.example is not None:
        from impactkit.examples import load_example

        names = _example_names()
        if args.example not in names:
            import difflib

            close = difflib.get_close_matches(args.example, names, n=1)
            if fr:
                hint = f" ; vouliez-vous dire « {close[0]} » ?" if close else ""
                msg = (
                    f"impactkit : pas d'exemple « {args.example} »{hint} "
                    "(impactkit examples les liste)"
                )
            else:
                hint = f"; did you mean {close[0]!r}?" if close else ""
                msg = (
                    f"impactkit: no example {args.example!r}{hint} (impactkit examples lists them)"
                )
            print(msg, file=sys.stderr)
            return 2
        from impactkit.model import in_language

        # the example's texts in the workbook's language, from its own translations
        model = in_language(load_example(args.example), args.lang)
    else:
        model = _starter_model(args.lang)
    if suffix == ".xlsx":
        from impactkit.io import write_value_map, write_value_map_template

        if args.example is None and args.empty:
            write_value_map_template(path, lang=args.lang)
        else:
            write_value_map(model, path, lang=args.lang)
    else:
        from impactkit.io import dump

        dump(model, path)
    if suffix == ".xlsx" and args.example is None and args.empty:  # the cells to fill first
        print(
            f"{path} écrit. Remplissez Paramètres!B3 (nom de l'analyse), une ligne de Carte de "
            "valeur (à partir de la ligne 4) et une ligne de Ressources (à partir de la ligne "
            f"3), puis : impactkit validate {path}"
            if args.lang == "fr"
            else f"{path} written. Fill in Settings!B3 (name of the analysis), a row of Value "
            f"map (from row 4) and a row of Inputs (from row 3), then: impactkit validate {path}"
        )
        return 0
    print(
        f"{path} écrit" if args.lang == "fr" else f"{path} written",
        f"(impactkit report {path} -o rapport.html --lang {args.lang})",
    )
    return 0


def _new_network(args: argparse.Namespace, path: Any) -> int:
    """``impactkit new resultats.xlsx --network``: the network tables' template."""
    from impactkit.cli._network import write_template
    from impactkit.cli._words import refuse_existing, refuse_suffix

    fr = args.lang == "fr"
    if path.suffix.lower() != ".xlsx":
        return refuse_suffix(path, args.lang, network=True)
    if path.exists() and not args.force:
        return refuse_existing(path, args.lang)
    write_template(path, lang=args.lang)
    print(
        f"{path} écrit (impactkit network {path} -o reseau.html)"
        if fr
        else f"{path} written (impactkit network {path} -o network.html --lang en)"
    )
    return 0


def _add_data_option(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--data",
        action="append",
        metavar="NAME=PATH.csv",
        help="a data source for measured quantities (repeatable)",
    )


LANG_HELP = "language of the output and messages (default: the file's, then the system's)"


def _add_lang_option(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("en", "fr"), default=None, help=LANG_HELP)


def build_parser(*, lang: str = "en") -> argparse.ArgumentParser:
    """The argument parser of the ``impactkit`` command.

    Building it imports no computation module, so ``impactkit --help`` starts
    fast; an embedding application can add the commands to its own tool.

    Parameters
    ----------
    lang : {"en", "fr"}, default "en"
        Language of the help texts.

    Returns
    -------
    argparse.ArgumentParser
        One subcommand per command of :mod:`impactkit.cli`.

    Examples
    --------
    >>> args = build_parser().parse_args(["validate", "modele.yaml"])
    >>> args.command, args.file
    ('validate', 'modele.yaml')
    """
    parser = argparse.ArgumentParser(
        prog="impactkit",
        description="Social impact measurement: theory of change, SROI, uncertainty.",
    )
    parser.add_argument("--version", action="version", version=f"impactkit {__version__}")
    parser.add_argument(
        DEBUG_OPTION, action="store_true", help="on an internal error, show the traceback"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser(
        "validate",
        help="check a model file and list every problem",
        description="Check a model file; exit 1 listing every problem.",
    )
    p.add_argument("file", help="model file (.json, .yaml, .yml) or value map (.xlsx)")
    p.add_argument("--quiet", action="store_true", help="show errors only, not warnings")
    _add_lang_option(p)
    p.set_defaults(func=_cmd_validate)

    p = sub.add_parser(
        "toc",
        help="print the theory of change of a model file",
        description="Print the theory of change as Mermaid, DOT, GraphML or JSON.",
    )
    p.add_argument("file", help="model file (.json, .yaml, .yml) or value map (.xlsx)")
    p.add_argument("--format", choices=("mermaid", "dot", "graphml", "json"), default="mermaid")
    _add_lang_option(p)
    p.set_defaults(func=_cmd_toc)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of model files (or of a result's JSON)",
        description="Print the JSON Schema of model files, or with --result NAME the JSON "
        "Schema of a result's to_dict() (--result list gives the names).",
    )
    p.add_argument(
        "--result",
        metavar="NAME",
        default=None,
        help="a result's schema instead: sroi, monte_carlo, cba, effect, ... ('list' names them)",
    )
    _add_lang_option(p)
    p.set_defaults(func=_cmd_schema)

    p = sub.add_parser(
        "sroi",
        help="evaluate the SROI of a model file",
        description="Evaluate the SROI, optionally with a Monte Carlo interval.",
    )
    p.add_argument("file", help="model file (.json, .yaml, .yml) or value map (.xlsx)")
    p.add_argument("--mc", type=int, default=None, metavar="N", help="Monte Carlo draws")
    p.add_argument("--seed", type=int, default=0, help="seed of the Monte Carlo draws")
    p.add_argument("--format", choices=("table", "json", "markdown"), default="table")
    _add_data_option(p)
    _add_lang_option(p)
    p.set_defaults(func=_cmd_sroi)

    p = sub.add_parser(
        "report",
        help="write an HTML (or Markdown) report",
        description="Write a self-contained HTML report (Markdown when the output ends in "
        ".md, PDF through a headless Chromium when it ends in .pdf), in English or French.",
    )
    p.add_argument("file", help="model file (.json, .yaml, .yml) or value map (.xlsx)")
    p.add_argument(
        "-o", "--output", required=True, help="report.html (.htm), report.md (.markdown) or .pdf"
    )
    _add_lang_option(p)
    p.add_argument(
        "--mc",
        type=int,
        default=10_000,
        metavar="N",
        help="Monte Carlo draws when the model has distributions (0: none)",
    )
    p.add_argument("--seed", type=int, default=0)
    _add_data_option(p)
    p.set_defaults(func=_cmd_report)

    p = sub.add_parser(
        "lint",
        help="check a model against the SROI principles",
        description="Assurance checks: each finding with a code, a severity, "
        "a path and a hint. Exit 1 on errors (and warnings with --strict).",
    )
    p.add_argument("file", help="model file (.json, .yaml, .yml) or value map (.xlsx)")
    _add_data_option(p)
    p.add_argument(
        "--materiality",
        type=float,
        default=0.01,
        help="share of present value under which an outcome is noted (0.01)",
    )
    p.add_argument("--strict", action="store_true", help="exit 1 on warnings too")
    _add_lang_option(p)
    p.set_defaults(func=_cmd_lint)

    p = sub.add_parser(
        "demo",
        help="run the embedded example",
        description="Run the embedded example: theory of change, measured "
        "quantities, SROI and a Monte Carlo interval.",
    )
    p.add_argument("--mc", type=int, default=10_000, metavar="N", help="Monte Carlo draws")
    p.add_argument("--seed", type=int, default=0, help="seed")
    _add_lang_option(p)
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser(
        "new",
        help="start a model file or an Excel value map",
        description="Write a model to start from: a live Excel value map (.xlsx) or a "
        "model file (.yaml, .json), from an embedded example when given.",
    )
    p.add_argument("path", help="file to write: .xlsx, .yaml, .yml or .json")
    p.add_argument("--example", default=None, metavar="NAME", help="start from this example")
    _add_lang_option(p)
    p.add_argument("--empty", action="store_true", help="an empty Excel template (no rows)")
    p.add_argument(
        "--network",
        action="store_true",
        help="the template of impactkit network's two tables (.xlsx)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(func=_cmd_new)

    p = sub.add_parser(
        "examples",
        help="list the embedded examples",
        description="List the embedded examples with their sector.",
    )
    _add_lang_option(p)
    p.set_defaults(func=_cmd_examples)

    from impactkit.cli._network import add_parser as _add_network

    _add_network(sub)
    if lang == "fr":
        from impactkit.cli._words import french_parser

        french_parser(parser)
    return parser


def _suggest_command(parser: argparse.ArgumentParser, argv: list[str], lang: str = "en") -> None:
    """Exit 2 with a "did you mean" when the first word is close to a command."""
    import difflib

    first = next((a for a in argv if not a.startswith("-")), None)
    if first is None or argv[0].startswith("-"):
        return
    choices = next(
        (list(a.choices) for a in parser._actions if isinstance(a, argparse._SubParsersAction)),
        [],
    )
    if first in choices:
        return
    close = difflib.get_close_matches(first, choices, n=1)
    if close:
        parser.error(
            f"commande inconnue « {first} » ; vouliez-vous dire « {close[0]} » ?"
            if lang == "fr"
            else f"unknown command {first!r}; did you mean {close[0]!r}?"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments; default ``sys.argv[1:]``.

    Returns
    -------
    int
        The exit code: 0 on success, 1 on invalid content, 2 on an unreadable file or
        another error (the command may return 1 for its own findings, as lint does).

    Examples
    --------
    ``impactkit validate`` on the shipped work-integration example: valid,
    with one warning, so the exit code is 0:

    >>> from importlib import resources
    >>> path = resources.files("impactkit.examples") / "insertion_iae.json"
    >>> main(["validate", str(path)])  # doctest: +ELLIPSIS
    warning: toc.nodes.lasting_job: outcomes 'lasting_job' and 'rsa_lost' are ... [double_counting]
    ...insertion_iae.json: valid (1 warning)
    0
    """
    from impactkit.cli._words import argparse_words, choose_lang, pre_lang

    words = sys.argv[1:] if argv is None else list(argv)
    words, debug = _debug_option(words)
    lang = pre_lang(words)
    parser = build_parser(lang=lang)
    try:
        with argparse_words(lang):
            _suggest_command(parser, words, lang)
            args = parser.parse_args(words)
    except BrokenPipeError:  # `impactkit --help | head`
        return _closed_pipe()
    args.debug = debug
    path = getattr(args, "file", None) or getattr(args, "outcomes", None)
    try:
        args.lang = choose_lang(
            getattr(args, "lang", None), path, default="fr" if args.command == "network" else "en"
        )
    except Exception as exc:  # a defect: said in the language asked for, as in _run
        return _internal(exc, lang == "fr", debug=debug)
    return _run(args)


DEBUG_OPTION = "--debug"
"""The option, anywhere before ``--``, that adds the traceback to an internal error's line."""


def _debug_option(words: list[str]) -> tuple[list[str], bool]:
    """The command line without :data:`DEBUG_OPTION`, and whether it was given."""
    end = words.index("--") if "--" in words else len(words)
    kept = [w for w in words[:end] if w != DEBUG_OPTION] + words[end:]
    return kept, len(kept) != len(words)


EXIT_PIPE = 141
"""A closed output pipe (``impactkit ... | head``): 128 + SIGPIPE, as shell tools end."""


def _closed_pipe() -> int:
    """End quietly when the reader of standard output went away (exit 141, no traceback)."""
    import os

    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())  # the interpreter's final flush stays silent
    except (OSError, ValueError, AttributeError):
        pass
    return EXIT_PIPE


# ------------------------------------------------------------------ exit codes
EXIT_OK = 0
"""The command succeeded."""
EXIT_INVALID = 1
"""The model or its data is invalid; every problem is listed with its path."""
EXIT_USAGE = 2
"""A file cannot be read (missing, too large, not JSON/YAML/CSV), an output path is refused
or the command line is wrong."""
EXIT_INTERNAL = 3
"""A defect of impactkit: the input was accepted but the command failed; please report it."""

EXIT_CODES: tuple[tuple[type[BaseException], int], ...] = (
    (FileFormatError, EXIT_USAGE),
    (ValidationError, EXIT_INVALID),
    (ImpactkitError, EXIT_USAGE),
    (OSError, EXIT_USAGE),
    (MemoryError, EXIT_USAGE),
)
"""The one table of exit codes: the first row whose exception class matches decides.

Every command goes through it (``validate`` included): an unreadable file is
code 2 whatever the command, an invalid model code 1; any other exception is
:data:`EXIT_INTERNAL`. Documented in docs/reference/cli.md.
"""


def exit_code(exc: BaseException) -> int:
    """The exit code of a command that raised ``exc`` (see :data:`EXIT_CODES`).

    Parameters
    ----------
    exc : BaseException
        The exception a command raised.

    Returns
    -------
    int
        :data:`EXIT_INVALID`, :data:`EXIT_USAGE` or :data:`EXIT_INTERNAL`.

    Examples
    --------
    >>> from impactkit.errors import FileFormatError, ValidationError
    >>> exit_code(FileFormatError("not JSON")), exit_code(ValidationError("negative"))
    (2, 1)
    >>> exit_code(FileNotFoundError("model.json")), exit_code(KeyError("x"))
    (2, 3)
    """
    return next((code for cls, code in EXIT_CODES if isinstance(exc, cls)), EXIT_INTERNAL)


def _run(args: argparse.Namespace) -> int:
    """Run a parsed command; user input never produces a traceback, only an exit code.

    A defect anywhere, in the command or in the words of its error, is one line in the
    command's language (:func:`_internal`) and :data:`EXIT_INTERNAL`."""
    fr = (getattr(args, "lang", "en") or "en") == "fr"
    debug = bool(getattr(args, "debug", False))
    try:
        return _run_command(args)
    except BrokenPipeError:
        return _closed_pipe()
    except KeyboardInterrupt:
        print("\nimpactkit : interrompu" if fr else "\nimpactkit: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except Exception as exc:
        return _internal(exc, fr, debug=debug)


EXIT_INTERRUPTED = 130
"""Interrupted from the keyboard (Ctrl-C): 128 + SIGINT, as shell tools end."""


def _run_command(args: argparse.Namespace) -> int:
    from impactkit.cli._words import error_fr, missing_extra

    lang = getattr(args, "lang", "en") or "en"
    fr = lang == "fr"
    debug = bool(getattr(args, "debug", False))
    try:
        with _warnings_in(lang, getattr(args, "file", None)):
            code: int = args.func(args)
        sys.stdout.flush()
    except BrokenPipeError:
        return _closed_pipe()
    except ValidationError as exc:
        where = getattr(args, "file", None) or getattr(args, "outcomes", None)
        parsed = not isinstance(exc, FileFormatError)
        _print_problems(exc.problems, sys.stderr, lang, where, parsed=parsed)
        return exit_code(exc)
    except FileNotFoundError as exc:
        name = exc.filename or exc
        print(
            f"impactkit : fichier introuvable : {name}" if fr else f"impactkit: {exc}",
            file=sys.stderr,
        )
        return exit_code(exc)
    except (ImpactkitError, OSError) as exc:
        print(f"impactkit : {error_fr(exc)}" if fr else f"impactkit: {exc}", file=sys.stderr)
        return exit_code(exc)
    except MemoryError as exc:
        print(
            "impactkit : pas assez de mémoire pour cette commande"
            if fr
            else "impactkit: not enough memory for this command",
            file=sys.stderr,
        )
        return exit_code(exc)
    except ImportError as exc:
        extra = missing_extra(exc, lang)
        if extra is None:
            return _internal(exc, fr, debug=debug)
        print(extra, file=sys.stderr)
        return EXIT_USAGE
    except Exception as exc:
        return _internal(exc, fr, debug=debug)
    return code


@contextlib.contextmanager
def _warnings_in(lang: str, path: str | None) -> Iterator[None]:
    """Python warnings a command raises, in French lines when ``lang`` is French.

    A warning that carries problems (a workbook's cells holding text) prints them
    as ``validate`` does; another prints its text after « impactkit : avertissement : »,
    not Python's ``file:line: Category:`` form with the source line.
    """
    if lang != "fr":
        yield
        return
    import warnings

    from impactkit.cli._words import problem_lines_fr

    def show(
        message: Warning | str,
        category: type[Warning],
        filename: str,
        lineno: int,
        file: TextIO | None = None,
        line: str | None = None,
    ) -> None:
        problems = getattr(message, "problems", ())
        if problems:
            model, native = _context(path)
            for line in problem_lines_fr(problems, model=model, native=native):
                print(line, file=sys.stderr)
        else:
            print(f"impactkit : avertissement : {message}", file=sys.stderr)

    with warnings.catch_warnings():
        # shown as French lines, never raised, whatever filter the caller set
        warnings.simplefilter("default")
        warnings.showwarning = show
        yield


def _internal(exc: BaseException, fr: bool, *, debug: bool = False) -> int:
    """Say a defect of impactkit on one line; exit :data:`EXIT_INTERNAL`.

    The English line names the exception, for a bug report; the French line is
    French only (no exception name, no English text of the exception). With
    ``--debug`` the traceback follows, in either language."""
    try:
        detail = f"{type(exc).__name__}: {exc}"
    except Exception:  # an exception whose text itself fails
        detail = type(exc).__name__
    print(
        f"impactkit : erreur interne : la commande a échoué sur des données qu'elle avait "
        f"acceptées ; c'est un défaut d'impactkit {__version__}, merci de le signaler avec "
        f"le fichier qui l'a provoqué ({DEBUG_OPTION} affiche le détail technique)"
        if fr
        else f"impactkit: internal error ({detail}); this is a defect of "
        f"impactkit {__version__}, please report it with the file that caused it "
        f"({DEBUG_OPTION} shows the traceback)",
        file=sys.stderr,
    )
    if debug:
        import traceback

        traceback.print_exception(exc, file=sys.stderr)
    return EXIT_INTERNAL


def _read_csv(name: str, path: str) -> Any:
    """A ``--data`` CSV as a DataFrame; an unreadable file is a :class:`FileFormatError`."""
    import pandas as pd

    from impactkit._tables import read_csv

    try:
        return read_csv(path)  # identifier columns as text: "01" stays "01"
    except (pd.errors.EmptyDataError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise FileFormatError(
            f"{path} is not a readable CSV file: {exc}", path=("data", name), code="csv"
        ) from exc
