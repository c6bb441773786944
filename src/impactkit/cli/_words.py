"""The command line's words in French: language choice, help texts, messages, lint hints.

The language of a command is ``--lang`` when given; else the file's language
(a value map whose sheets are named in French, a model whose ``lang`` says so);
else the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``: ``fr_FR.UTF-8``
gives French; ``C`` and ``POSIX`` state no preference); else the command's
default (French for ``network``, English for the others). See
docs/reference/cli.md.
"""

from __future__ import annotations

import argparse
import contextlib
import os
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

__all__ = [
    "EXTRAS",
    "HELP_FR",
    "choose_lang",
    "file_lang",
    "french_parser",
    "lint_words",
    "locale_lang",
    "missing_extra",
    "plural",
    "pre_lang",
]

FRENCH_SHEETS = ("paramètres", "carte de valeur", "ressources", "calcul sroi", "incertitude")
"""Sheet names (case aside) that make a workbook French."""


def locale_lang(environ: Mapping[str, str] | None = None) -> str | None:
    """``"fr"`` or ``"en"`` from the locale variables, None when they state no language.

    Examples
    --------
    >>> locale_lang({"LANG": "fr_FR.UTF-8"}), locale_lang({"LANG": "C.UTF-8"})
    ('fr', None)
    >>> locale_lang({"LC_ALL": "en_GB.UTF-8", "LANG": "fr_FR.UTF-8"})
    'en'
    """
    env = os.environ if environ is None else environ
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = env.get(var, "")
        if not value:
            continue
        code = value.split(".")[0].split("@")[0].lower()
        if code in ("c", "posix"):
            return None
        if code.startswith("fr"):
            return "fr"
        return "en"
    return None


def file_lang(path: str | os.PathLike[str] | None) -> str | None:
    """The language a model file or value map is written in, or None when it does not say.

    A workbook is French when one of its sheets bears a French name
    (*Paramètres*, *Carte de valeur*...); a JSON or YAML model when its
    top-level ``lang`` is ``"fr"``.
    """
    if path is None:
        return None
    p = Path(path)
    if not p.is_file():
        return None
    suffix = p.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        import zipfile

        try:
            with zipfile.ZipFile(p) as z:
                book = z.read("xl/workbook.xml")[:200_000].decode("utf-8", "replace").lower()
        except (OSError, KeyError, zipfile.BadZipFile):
            return None
        return "fr" if any(f'name="{s}"' in book for s in FRENCH_SHEETS) else "en"
    if suffix in (".json", ".yaml", ".yml"):
        try:
            with open(p, encoding="utf-8", errors="replace") as fh:
                head = fh.read(4096)
        except OSError:
            return None
        import re

        m = re.search(r"""["']?lang["']?\s*:\s*["']?(fr|en)\b""", head)
        return m.group(1) if m else None
    return None


def choose_lang(
    explicit: str | None,
    path: str | os.PathLike[str] | None = None,
    *,
    default: str = "en",
    environ: Mapping[str, str] | None = None,
) -> str:
    """The language of a command: ``--lang``, else the file's, else the locale's, else ``default``.

    Examples
    --------
    >>> choose_lang("en", environ={"LANG": "fr_FR.UTF-8"})
    'en'
    >>> choose_lang(None, environ={"LANG": "fr_FR.UTF-8"})
    'fr'
    >>> choose_lang(None, environ={}, default="fr")
    'fr'
    """
    if explicit:
        return explicit
    return file_lang(path) or locale_lang(environ) or default


def pre_lang(argv: Sequence[str], environ: Mapping[str, str] | None = None) -> str:
    """The language of the help texts, before parsing: ``--lang`` in ``argv``, else the locale.

    Examples
    --------
    >>> pre_lang(["report", "--lang", "fr", "-h"], {}), pre_lang(["-h"], {"LANG": "fr_FR"})
    ('fr', 'fr')
    """
    for i, a in enumerate(argv):
        if a == "--lang" and i + 1 < len(argv):
            return "fr" if argv[i + 1] == "fr" else "en"
        if a.startswith("--lang="):
            return "fr" if a.split("=", 1)[1] == "fr" else "en"
    return locale_lang(environ) or "en"


def plural(n: int, word: str, lang: str) -> str:
    """``1 error``, ``2 errors``; in French ``0 avertissement``, ``2 avertissements``.

    Examples
    --------
    >>> plural(0, "warning", "fr"), plural(2, "error", "fr"), plural(0, "warning", "en")
    ('0 avertissement', '2 erreurs', '0 warnings')
    """
    if lang == "fr":
        fr = {"error": "erreur", "warning": "avertissement", "note": "note"}.get(word, word)
        return f"{n} {fr}{'' if n <= 1 else 's'}"
    return f"{n} {word}{'' if n == 1 else 's'}"


SEVERITY_FR = {"error": "erreur", "warning": "avertissement", "info": "note"}
"""Severity words of problems and findings."""

EXTRAS = {
    "openpyxl": "excel",
    "odf": "excel",
    "python_calamine": "excel",
    "matplotlib": "plot",
    "babel": "plot",
    "tqdm": "plot",
    "SALib": "sensitivity",
    "dask": "dask",
    "distributed": "dask",
}
"""Module → the extra of impactkit that brings it."""


def missing_extra(exc: BaseException, lang: str) -> str | None:
    """The message for a missing optional module, or None when ``exc`` is not one.

    Examples
    --------
    >>> exc = ModuleNotFoundError("No module named 'openpyxl'", name="openpyxl")
    >>> missing_extra(exc, "fr").split(" (pip")[0]
    'impactkit : cette commande a besoin de openpyxl : installez impactkit[excel]'

    """
    if not isinstance(exc, ImportError):
        return None
    name = (getattr(exc, "name", None) or "").split(".")[0]
    extra = EXTRAS.get(name)
    if extra is None:
        return None
    if lang == "fr":
        return (
            f"impactkit : cette commande a besoin de {name} : installez impactkit[{extra}] "
            f'(pip install "impactkit[{extra}]")'
        )
    return f'impactkit: this command needs {name}: pip install "impactkit[{extra}]"'


# ------------------------------------------------------------------ help texts
HELP_FR: dict[str, str] = {
    "Social impact measurement: theory of change, SROI, uncertainty.": (
        "Mesure de l'impact social : théorie du changement, SROI, incertitude."
    ),
    "check a model file and list every problem": "vérifier un modèle et lister chaque problème",
    "Check a model file; exit 1 listing every problem.": (
        "Vérifie un modèle ; code de sortie 1 avec la liste de chaque problème."
    ),
    "model file (.json, .yaml, .yml) or value map (.xlsx)": (
        "modèle (.json, .yaml, .yml) ou carte de valeur (.xlsx)"
    ),
    "show errors only, not warnings": "n'afficher que les erreurs, pas les avertissements",
    "print the theory of change of a model file": "afficher la théorie du changement d'un modèle",
    "Print the theory of change as Mermaid, DOT, GraphML or JSON.": (
        "Affiche la théorie du changement en Mermaid, DOT, GraphML ou JSON."
    ),
    "print the JSON Schema of model files (or of a result's JSON)": (
        "afficher le schéma JSON des modèles (ou du JSON d'un résultat)"
    ),
    "Print the JSON Schema of model files, or with --result NAME the JSON Schema of a "
    "result's to_dict() (--result list gives the names).": (
        "Affiche le schéma JSON des modèles, ou avec --result NOM celui d'un résultat "
        "(--result list donne les noms)."
    ),
    "a result's schema instead: sroi, monte_carlo, cba, effect, ... ('list' names them)": (
        "le schéma d'un résultat : sroi, monte_carlo, cba, effect… (« list » les nomme)"
    ),
    "evaluate the SROI of a model file": "calculer le SROI d'un modèle",
    "Evaluate the SROI, optionally with a Monte Carlo interval.": (
        "Calcule le SROI, avec un intervalle Monte Carlo si demandé."
    ),
    "Monte Carlo draws": "tirages Monte Carlo",
    "seed of the Monte Carlo draws": "graine des tirages Monte Carlo",
    "seed": "graine",
    "write an HTML (or Markdown) report": "écrire un rapport HTML (ou Markdown, ou PDF)",
    "Write a self-contained HTML report (Markdown when the output ends in .md, PDF through "
    "a headless Chromium when it ends in .pdf), in English or French.": (
        "Écrit un rapport HTML autonome (Markdown quand la sortie finit par .md, PDF par "
        "Chrome, Edge ou Chromium quand elle finit par .pdf), en français ou en anglais."
    ),
    "report.html (.htm), report.md (.markdown) or .pdf": (
        "rapport.html (.htm), rapport.md (.markdown) ou .pdf"
    ),
    "Monte Carlo draws when the model has distributions (0: none)": (
        "tirages Monte Carlo quand le modèle a des lois (0 : aucun)"
    ),
    "a data source for measured quantities (repeatable)": (
        "une source de données pour les quantités mesurées (répétable)"
    ),
    "check a model against the SROI principles": "vérifier un modèle selon les principes du SROI",
    "Assurance checks: each finding with a code, a severity, a path and a hint. Exit 1 on "
    "errors (and warnings with --strict).": (
        "Contrôles d'assurance : chaque constat avec sa gravité, son emplacement et un "
        "conseil. Code de sortie 1 s'il y a des erreurs (et des avertissements avec --strict)."
    ),
    "share of present value under which an outcome is noted (0.01)": (
        "part de la valeur actualisée sous laquelle un effet est signalé (0.01)"
    ),
    "exit 1 on warnings too": "code de sortie 1 aussi sur les avertissements",
    "run the embedded example": "lancer l'exemple intégré",
    "Run the embedded example: theory of change, measured quantities, SROI and a Monte "
    "Carlo interval.": (
        "Lance l'exemple intégré : théorie du changement, quantités mesurées, SROI et "
        "intervalle Monte Carlo."
    ),
    "start a model file or an Excel value map": "commencer un modèle ou une carte de valeur Excel",
    "Write a model to start from: a live Excel value map (.xlsx) or a model file (.yaml, "
    ".json), from an embedded example when given.": (
        "Écrit un modèle de départ : une carte de valeur Excel vivante (.xlsx) ou un fichier "
        "de modèle (.yaml, .json), à partir d'un exemple intégré si on le nomme."
    ),
    "file to write: .xlsx, .yaml, .yml or .json": "fichier à écrire : .xlsx, .yaml, .yml ou .json",
    "start from this example": "partir de cet exemple",
    "an empty Excel template (no rows)": "une carte Excel vide (sans ligne)",
    "the template of impactkit network's two tables (.xlsx)": (
        "le modèle des deux tables d'impactkit network (.xlsx)"
    ),
    "replace an existing file": "remplacer un fichier existant",
    "list the embedded examples": "lister les exemples intégrés",
    "List the embedded examples with their sector.": (
        "Liste les exemples intégrés et leur secteur."
    ),
    "language of the output and messages (default: the file's, then the system's)": (
        "langue des sorties et des messages (par défaut : celle du fichier, puis du système)"
    ),
    "federation report from tidy outcome and input tables": (
        "rapport de réseau à partir des tables de résultats et de ressources"
    ),
    "outcomes table (.csv, .parquet, .xlsx or .ods)": (
        "table des résultats (.csv, .parquet, .xlsx ou .ods)"
    ),
    "report path (.html, .htm, .md, .markdown or .pdf)": (
        "chemin du rapport (.html, .htm, .md, .markdown ou .pdf)"
    ),
    "site column (default: site)": "colonne des établissements (par défaut : site)",
    "replace site names by pseudonyms (needs --key or --key-file)": (
        "remplacer les noms des établissements par des pseudonymes (demande --key ou --key-file)"
    ),
    "secret key of the pseudonyms": "clé secrète des pseudonymes",
    "file holding the secret key": "fichier contenant la clé secrète",
    "write one member's benchmark page instead": "écrire plutôt la page d'un établissement",
    "language": "langue",
    "on an internal error, show the traceback": (
        "sur une erreur interne, afficher le détail technique"
    ),
    # argparse's own words
    "usage: ": "utilisation : ",
    "positional arguments": "arguments",
    "options": "options",
    "show this help message and exit": "afficher cette aide et quitter",
    "show program's version number and exit": "afficher la version et quitter",
    "the following arguments are required: %s": "arguments obligatoires manquants : %s",
    "unrecognized arguments: %s": "arguments inconnus : %s",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        "choix invalide : « %(value)s » (au choix : %(choices)s)"
    ),
    "expected one argument": "une valeur attendue",
    "%(prog)s: error: %(message)s\n": "%(prog)s : erreur : %(message)s\n",
    "invalid %(type)s value: %(value)r": "valeur invalide : « %(value)s »",
    "argument %(argument_name)s: %(message)s": "option %(argument_name)s : %(message)s",
}
"""English help text → French (the parser is built in English and translated)."""

# descriptions whose English is split over several lines in the parser
_PREFIXES_FR = {
    "Evaluate every establishment of a network": (
        "Évalue chaque établissement d'un réseau à partir de tables (CSV, Parquet, .xlsx, "
        ".ods) et écrit le rapport de réseau : totaux par secteur, région, partie prenante "
        "et financeur, entonnoirs par indicateur, pratiques remarquables, méthode."
    ),
    "inputs table": (
        "table des ressources (.csv, .parquet, .xlsx ou .ods) ; omise : la feuille "
        "Ressources du classeur des résultats"
    ),
    "discount rate:": (
        "taux d'actualisation : un nombre (0.032) ou un nom (par défaut : france_2021, "
        "France Stratégie 2021, 3,2 %%)"
    ),
}


def _fr(text: str | None) -> str | None:
    if not text:
        return text
    flat = " ".join(text.split())
    if flat in HELP_FR:
        return HELP_FR[flat]
    return next((v for k, v in _PREFIXES_FR.items() if flat.startswith(k)), text)


SECTORS_FR = {
    "handicap": "handicap",
    "insertion": "insertion",
    "protection_enfance": "protection de l'enfance",
    "protection_majeurs": "protection des majeurs",
    "addictologie": "addictologie",
    "personnes_agees": "personnes âgées",
}
"""The sectors of the shipped examples in French words (``impactkit examples --lang fr``)."""


def sector_fr(sector: str) -> str:
    """A sector identifier in French words: :data:`SECTORS_FR`, else the identifier
    with spaces for its underscores.

    Examples
    --------
    >>> sector_fr("personnes_agees"), sector_fr("petite_enfance")
    ('personnes âgées', 'petite enfance')
    """
    return SECTORS_FR.get(sector, sector.replace("_", " "))


METAVARS_FR = {
    "file": "fichier",
    "path": "chemin",
    "outcomes": "résultats",
    "inputs": "ressources",
    "output": "SORTIE",
    "seed": "GRAINE",
    "materiality": "SEUIL",
    "site": "COLONNE",
    "key": "CLÉ",
    "key_file": "FICHIER",
    "member": "ÉTABLISSEMENT",
    "discount": "TAUX",
    "COMMAND": "COMMANDE",
    "NAME=PATH.csv": "NOM=FICHIER.csv",
    "NAME": "NOM",
    "PATH": "FICHIER",
}
"""The names of the values the French help shows (argparse's are the English
destinations: ``file``, ``SEED``), by destination or by English name."""


def french_parser(parser: argparse.ArgumentParser) -> None:
    """Translate a parser's help texts, descriptions and value names into French, in place."""
    parser.description = _fr(parser.description)
    for action in parser._actions:
        if action.help and action.help != argparse.SUPPRESS:
            action.help = _fr(action.help)
        takes_value = action.nargs != 0 and action.choices is None
        if isinstance(action.metavar, str):
            action.metavar = METAVARS_FR.get(action.metavar, action.metavar)
        elif action.metavar is None and takes_value and action.dest in METAVARS_FR:
            action.metavar = METAVARS_FR[action.dest]
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                choice.help = _fr(choice.help)
            for sub in set(action.choices.values()):
                french_parser(sub)
    for group in parser._action_groups:
        group.title = _fr(group.title)


@contextlib.contextmanager
def argparse_words(lang: str) -> Iterator[None]:
    """argparse's own words (``usage:``, ``options``, its errors) in ``lang`` meanwhile."""
    if lang != "fr":
        yield
        return
    import gettext

    original: Any = argparse._  # type: ignore[attr-defined]
    argparse._ = lambda s: HELP_FR.get(s, gettext.gettext(s))  # type: ignore[attr-defined]
    try:
        yield
    finally:
        argparse._ = original  # type: ignore[attr-defined]


# ------------------------------------------------------------------ lint in users' words
LINT_FR: dict[str, tuple[str, str]] = {
    "no_counterfactual": (
        "l'effet {outcome} est compté en entier : ni effet d'aubaine ni attribution",
        "estimez ce qui serait arrivé sans vous et la part des autres acteurs, ou écrivez "
        "dans les sources pourquoi les deux sont nuls",
    ),
    "proxy_no_source": (
        "la valeur monétaire de {outcome} n'a pas de source",
        "indiquez d'où vient la valeur (publication, année, tableau)",
    ),
    "proxy_no_price_year": (
        "la valeur monétaire de {outcome} n'a pas d'année de prix",
        "indiquez l'année des prix de cette valeur",
    ),
    "mixed_price_years": (
        "les valeurs monétaires sont en prix de plusieurs années et le modèle n'a pas "
        "d'année de base : elles s'additionnent sans être ramenées aux prix d'une même année",
        "donnez au modèle une année de base et un indice des prix (l'indice des prix à la "
        "consommation de l'INSEE), ou exprimez toutes les valeurs en prix de la même année",
    ),
    "long_duration": (
        "l'effet {outcome} dure longtemps sans justification",
        "justifiez la durée par une étude ou un suivi, ou raccourcissez-la",
    ),
    "no_in_kind_inputs": (
        "aucune ressource non monétaire n'est déclarée",
        "valorisez le bénévolat, les locaux prêtés et les dons en nature, ou indiquez "
        "qu'il n'y en a pas",
    ),
    "transfer_twice": (
        "le transfert de {outcome} est compté deux fois",
        "un transfert est un gain pour l'un et une perte pour l'autre : comptez-le une "
        "seule fois, d'un seul point de vue",
    ),
    "double_counting": (
        "{node} et un effet de la même chaîne sont valorisés tous les deux",
        "ne valorisez que le dernier effet important de la chaîne, sauf si le premier a "
        "une valeur propre pour la partie prenante",
    ),
    "toc_error": (
        "la théorie du changement a une erreur ({node})",
        "corrigez la théorie du changement (impactkit validate liste ses règles)",
    ),
    "unvalued_stakeholder": (
        "la partie prenante {stakeholder} n'a aucun effet valorisé",
        "associez-la et valorisez ce qui change pour elle, ou dites pourquoi ce n'est pas "
        "important",
    ),
    "not_evaluated": (
        "l'importance relative des effets n'a pas été vérifiée",
        "donnez les données des quantités mesurées (--data NOM=FICHIER.csv)",
    ),
    "immaterial": (
        "l'effet {outcome} pèse très peu dans la valeur totale",
        "ne le gardez que si l'enlever pouvait changer une décision",
    ),
    "no_engagement": (
        "la partie prenante {stakeholder} n'a pas été consultée",
        "consultez-la (entretiens, groupes, questionnaires) et consignez-le, ou expliquez "
        "pourquoi ce n'était pas possible",
    ),
    "outcome_not_heard": (
        "l'effet {outcome} est supposé, pas entendu",
        "vérifiez avec les personnes concernées que ce changement a lieu et compte pour "
        "elles ; consignez l'avis des proches et des personnes accompagnées",
    ),
    "duplicate_row": (
        "la ligne de l'effet {outcome} répète exactement une autre ligne : sa valeur serait "
        "comptée deux fois",
        "ne valorisez chaque effet qu'une fois par partie prenante : fusionnez les lignes, ou "
        "distinguez-les (autres personnes, autres périodes)",
    ),
    "duplicate_outcome": (
        "l'effet {outcome} est déjà valorisé pour la même partie prenante",
        "ne valorisez chaque effet qu'une fois par partie prenante : fusionnez les lignes, ou "
        "distinguez-les (autres personnes, autres périodes)",
    ),
    "similar_rows": (
        "l'effet {outcome} a la même partie prenante et les mêmes chiffres qu'un autre effet : "
        "est-ce le même changement compté deux fois ?",
        "ne valorisez chaque effet qu'une fois par partie prenante : fusionnez les lignes, ou "
        "distinguez-les (autres personnes, autres périodes)",
    ),
    "transfer_one_side": (
        "l'effet {outcome} est un transfert compté comme valeur sociale d'un seul côté",
        "un transfert est un gain pour l'un et une perte pour l'autre : valorisez l'autre "
        "côté avec le signe opposé (ils s'annulent pour la société), ou sortez-le du ratio "
        "et montrez-le dans la vue des finances publiques",
    ),
    "benefit_in_kind": (
        "la valeur de {outcome} est une allocation affectée à l'achat d'une aide",
        "ce n'est une économie que si l'aide n'est plus consommée : comptez le montant "
        "réellement dépensé (un plan notifié dépasse ce qui est consommé), et seulement "
        "pour l'aide devenue inutile",
    ),
    "proxy_index_rule": (
        "la valeur monétaire de {outcome} évolue avec {rule} selon sa source, mais le "
        "modèle la ramène à son année de base avec son indice des prix",
        "exprimez la valeur dans l'année de base avec une série sourcée ({rule}) et "
        "donnez-lui cette année de prix",
    ),
    "value_concentration": (
        "la plus grande part de la valeur repose sur un seul effet",
        "valorisez les autres effets importants, ou montrez comment le résultat change "
        "sans celui-ci",
    ),
    "illustrative_share": (
        "une grande part de la valeur repose sur des valeurs monétaires d'illustration ou "
        "sans source",
        "remplacez les valeurs d'illustration par des chiffres sourcés, ou présentez le "
        "résultat comme une illustration",
    ),
}
"""Lint finding code → (message, hint) in French, in the words of a value map's user.

``value_concentration`` and ``illustrative_share`` are worded with their share by
:func:`impactkit.assurance.concentration_sentences` when the caller gives them
(``sentences`` of :func:`lint_words`); the messages here are the fallback."""

INDEX_RULES_FR = {"GDP per head": "le PIB par habitant"}
"""A proxy's index rule (:attr:`impactkit.FinancialProxy.index_rule`) in French words."""


def lint_words(
    finding: Any, model: Any, lang: str, *, sentences: Mapping[str, str] | None = None
) -> tuple[str, str]:
    """A finding's message and hint in ``lang`` (French: :data:`LINT_FR`).

    ``sentences`` maps a finding code to a sentence already in ``lang`` (the
    concentration sentences, which carry their share); it replaces the message.
    """
    if lang != "fr":
        return str(finding.message), str(finding.hint)
    msg, hint = LINT_FR.get(
        finding.code,
        ("constat du contrôle d'assurance", "voir la documentation des contrôles"),
    )
    if sentences and finding.code in sentences:
        msg = sentences[finding.code].rstrip(".")
    path = tuple(getattr(finding, "path", ()))
    outcome = node = stakeholder = ""
    outcomes = getattr(model, "outcomes", ())
    toc = getattr(model, "toc", None)
    if (
        len(path) >= 2
        and path[0] == "outcomes"
        and isinstance(path[1], int)
        and 0 <= path[1] < len(outcomes)
    ):
        ov = outcomes[path[1]]
        outcome = f"« {getattr(ov, 'label', None) or ov.outcome} »"
    if len(path) >= 3 and path[:2] == ("toc", "nodes") and toc is not None:
        data = toc.graph.nodes.get(path[2], {}) if hasattr(toc, "graph") else {}
        node = f"« {data.get('label') or path[2]} »"
    if len(path) >= 3 and path[:2] == ("toc", "stakeholders"):
        label = next(
            (s.label for s in getattr(toc, "stakeholders", ()) if s.id == path[2]), path[2]
        )
        stakeholder = f"« {label} »"
    if not stakeholder and outcome and path[-1] == "stakeholder":
        sid = outcomes[path[1]].stakeholder
        label = next((s.label for s in getattr(toc, "stakeholders", ()) if s.id == sid), sid)
        stakeholder = f"« {label} »"
    rule = ""
    if outcome and finding.code == "proxy_index_rule":
        raw = getattr(outcomes[path[1]].proxy, "index_rule", "")
        rule = INDEX_RULES_FR.get(raw, raw)
    if finding.code in (sentences or {}):
        return msg, hint
    text = msg.format(outcome=outcome, node=node, stakeholder=stakeholder, rule=rule)
    return " ".join(text.replace("()", "").split()), hint.format(rule=rule)


# ------------------------------------------------------------------ problems in French
def labels_of(model: Any) -> Any:
    """``label(collection, key)`` for :func:`impactkit._i18n.path_fr`: the label of an
    outcome, an input, a node or a stakeholder of ``model`` (an :class:`ImpactModel` or the
    mapping a model file holds), or None."""

    def from_items(items: Any, key: str | int) -> Any:
        if isinstance(key, int):
            try:
                return items[key]
            except (IndexError, KeyError, TypeError):
                return None
        for item in items or ():
            ident = item.get("id") if isinstance(item, Mapping) else getattr(item, "id", None)
            if ident == key:
                return item
        return None

    def field(item: Any, *names: str) -> str | None:
        for name in names:
            value = item.get(name) if isinstance(item, Mapping) else getattr(item, name, None)
            if isinstance(value, str) and value.strip():
                return value
        return None

    def get(obj: Any, name: str) -> Any:
        return obj.get(name) if isinstance(obj, Mapping) else getattr(obj, name, None)

    def label(collection: str, key: str | int) -> str | None:
        try:
            toc = get(model, "toc")
            if collection in ("outcomes", "inputs"):
                item = from_items(get(model, collection), key)
                return None if item is None else field(item, "label", "outcome")
            if collection == "links" and isinstance(key, int) and isinstance(toc, Mapping):
                link = from_items(toc.get("links"), key)
                if isinstance(link, Mapping):
                    ends = [
                        label("nodes", str(link.get(e))) or link.get(e)
                        for e in ("source", "target")
                    ]
                    return " → ".join(str(e) for e in ends)
                return None
            if collection in ("nodes", "stakeholders") and toc is not None:
                if not isinstance(toc, Mapping) and collection == "nodes":
                    node = toc.node(key) if isinstance(key, str) and key in toc else None
                    return None if node is None else field(node, "label")
                item = from_items(get(toc, collection), key)
                return None if item is None else field(item, "label")
        except Exception:  # a label is a courtesy: a broken model gives none
            return None
        return None

    return label


READER_WORDED = frozenset(
    {
        "ambiguous_number",
        "number_as_text",
        "format",
        "too_large",
        "missing_stakeholder",
        "unknown_stakeholder",
        "merged_cells",
        "missing_sheet",
        "outside_formulas",
        "hidden_value",
        "central_mismatch",
        "formula",
        "external_link",
        "unknown_cell",
        "unknown_row",
        "two_laws",
        "missing",
    }
)
"""Codes of the problems a workbook's reader words in the workbook's language."""


def problem_lines_fr(
    problems: Sequence[Any], *, model: Any = None, native: bool = False
) -> list[str]:
    """Each problem as one French line: ``erreur : résultat n°2 (« Emploi »), effet
    d'aubaine : doit être compris entre 0 et 1, reçu 1,4``.

    A problem located at a workbook's cell (``Carte de valeur!E4``, and the field
    when the path names one) is placed by that cell; its message is kept as it is
    when ``native`` (the workbook is French) and it starts with the cell (the
    reader words such messages in the workbook's language), else rendered from its
    code (:func:`impactkit._i18n.problem_fr`). Other problems are placed by
    :func:`impactkit._i18n.path_fr`, with the labels of ``model`` (an
    :class:`ImpactModel` or a model file's mapping) when given.
    """
    import re

    import attrs

    from impactkit._i18n import path_fr, problem_fr
    from impactkit.cli._main import _cell
    from impactkit.model import ImpactModel

    # a path into the model (outcomes, inputs, toc...) is the model's own check, worded in
    # English; the reader's problems are placed by sheet and cell
    model_fields = {f.name for f in attrs.fields(ImpactModel)}
    label = labels_of(model) if model is not None else None
    lines = []
    for p in problems:
        sev = SEVERITY_FR.get(p.severity, p.severity)
        path = tuple(p.path)
        from_model = bool(path) and path[0] in model_fields
        cell = _cell(p)
        field = ""
        sheet_cell_field = len(path) > 2 and isinstance(path[0], str)
        if cell is None and sheet_cell_field and re.fullmatch(r"[A-Z]{1,3}[0-9]+", str(path[1])):
            cell, field = f"{path[0]}!{path[1]}", path_fr(path[2:], label)
        if native and p.code in READER_WORDED and cell is None and not from_model:
            lines.append(f"{sev} : {p.message}")  # a French workbook's reader said it
            continue
        if cell is not None:
            worded = native and (p.message.startswith(cell) or p.code in READER_WORDED)
            message = p.message if worded else problem_fr(p.code, p.message, label)
            where = f"{cell} ({field})" if field else cell
            if message.startswith(cell):  # the message names its cell already
                where = ""
        else:
            message = problem_fr(p.code, p.message, label)
            where = path_fr(path, label)
        lines.append(f"{sev} : {where} : {message}" if where else f"{sev} : {message}")
    return lines


# ------------------------------------------------------------------ messages shared by commands
REPORT_SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".pdf": "pdf",
}
"""Output suffixes ``impactkit report`` and ``impactkit network`` accept (any case) and the
format each gives."""


def output_format(output: str, lang: str, *, network: bool = False) -> str:
    """The report format an output path asks for (:data:`REPORT_SUFFIXES`); another suffix
    is refused with an :class:`~impactkit.errors.OutputPathError` (exit 2), in ``lang``.

    Examples
    --------
    >>> output_format("rapport.PDF", "fr")
    'pdf'
    """
    from impactkit.errors import OutputPathError

    suffix = Path(output).suffix.lower()
    if suffix in REPORT_SUFFIXES:
        return REPORT_SUFFIXES[suffix]
    known = ", ".join(REPORT_SUFFIXES)
    if lang == "fr":
        what = "un rapport de réseau" if network else "un rapport"
        raise OutputPathError(
            f"{output} : {what} s'écrit en {known} ; "
            f"{suffix or 'un fichier sans extension'} n'en fait pas partie"
        )
    what = "a network report" if network else "a report"
    raise OutputPathError(
        f"{output}: {what} is written as {known}; {suffix or 'no suffix'} is not one of them"
    )


def say_written(path: Any, lang: str) -> None:
    """Say on standard output, once, that a report was written to ``path``, in ``lang``.

    The one line ``impactkit report`` and ``impactkit network`` end with.

    Examples
    --------
    >>> say_written("rapport.html", "fr")
    rapport écrit dans rapport.html
    """
    print(f"rapport écrit dans {path}" if lang == "fr" else f"report written to {path}")


def refuse_existing(path: Any, lang: str) -> int:
    """Say on stderr that ``path`` exists and ``--force`` replaces it; exit code 2."""
    import sys

    print(
        f"impactkit : {path} existe ; --force le remplace"
        if lang == "fr"
        else f"impactkit: {path} exists; use --force to replace it",
        file=sys.stderr,
    )
    return 2


def refuse_suffix(path: Any, lang: str, *, network: bool = False) -> int:
    """Say on stderr that ``impactkit new`` cannot tell what to write from ``path``'s
    suffix, and which suffixes it writes; exit code 2."""
    import sys

    if network:
        text = (
            f"impactkit : le modèle des tables du réseau est un classeur .xlsx, pas "
            f"« {path.name} »"
            if lang == "fr"
            else f"impactkit: the network template is an .xlsx workbook, not {path.name!r}"
        )
    else:
        text = (
            f"impactkit : impossible de savoir quoi écrire d'après « {path.name} » : "
            "utilisez .xlsx (carte de valeur Excel), .yaml ou .json"
            if lang == "fr"
            else f"impactkit: cannot tell what to write from {path.name!r}: "
            "use .xlsx (Excel value map), .yaml or .json"
        )
    print(text, file=sys.stderr)
    return 2


def error_fr(exc: BaseException) -> str:
    """A French sentence for an error that is not a list of problems (an output path
    refused, a file the system will not open or write, a computation that cannot be
    done), without the English text of the exception."""
    import errno
    import re

    from impactkit.errors import (
        CalculatorNotFoundError,
        EstimationError,
        OutputPathError,
        UnidentifiableError,
    )

    text = str(exc)
    name = getattr(exc, "filename", None)
    if isinstance(exc, OutputPathError):
        if " : " in text:  # worded in French where it was raised
            return text
        m = re.match(r"(.+?) is (?:a |an )?.*?; impactkit writes only regular files", text)
        if m:
            return (
                f"{m.group(1)} n'est pas un fichier ordinaire : impactkit n'écrit que des "
                "fichiers ordinaires et ne remplace rien d'autre ; choisissez un autre chemin"
            )
        m = re.match(r"could not create a temporary file next to (.+)", text)
        if m:
            return f"impossible de créer un fichier temporaire à côté de {m.group(1)}"
        return "ce chemin de sortie est refusé ; choisissez un autre chemin"
    from impactkit.report import PDFUnavailableError

    if isinstance(exc, PDFUnavailableError):
        if "none was found" in text:
            return (
                "un rapport PDF demande Chrome, Edge ou Chromium, introuvable sur cette "
                "machine (la variable IMPACTKIT_CHROMIUM peut en donner le chemin) ; écrivez "
                "le rapport en HTML (-o rapport.html) et imprimez-le depuis un navigateur"
            )
        return (
            "le navigateur n'a pas pu imprimer le rapport en PDF ; écrivez-le en HTML "
            "(-o rapport.html) et imprimez-le depuis un navigateur"
        )
    if isinstance(exc, CalculatorNotFoundError):
        return "ce calcul n'existe pas (la documentation des calculs les liste)"
    if isinstance(exc, EstimationError):
        return "ces données ne permettent pas une estimation fiable"
    if isinstance(exc, UnidentifiableError):
        return "l'effet ne peut pas être identifié avec les hypothèses données"
    if isinstance(exc, PermissionError):
        return f"accès refusé : {name}" if name else "accès refusé"
    if isinstance(exc, IsADirectoryError):
        return f"{name} est un dossier, pas un fichier" if name else "c'est un dossier"
    if isinstance(exc, NotADirectoryError):
        return f"{name} : un élément du chemin n'est pas un dossier"
    if isinstance(exc, OSError):
        if exc.errno == errno.ENOSPC:
            return "plus de place sur le disque"
        where = f" ({name})" if name else ""
        return f"le système refuse de lire ou d'écrire ce fichier{where}"
    return "la commande ne peut pas aboutir (relancez avec --lang en pour le détail)"
