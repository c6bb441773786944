"""The layout of the Excel value map: its sheets, columns, rows, styles and words.

What the writer (:mod:`impactkit.io._excel_write`) lays out and the reader
(:mod:`impactkit.io._excel`) expects: sheet names in English and French, the
column keys of each sheet and the row they start at, which columns are
computed, percentages or whole numbers, the headings and the messages in the
workbook's language, and the small helpers both sides share (cell references,
quoted sheet names, the central value of a distribution).
"""

from __future__ import annotations

import re
from typing import Any

from impactkit.errors import ValidationError

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
    "toc": {"en": "Theory of change", "fr": "Théorie du changement"},
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
        "sh_note": "The stakeholders of the theory of change: add a row (identifier and "
        "label) to add one; the Stakeholder columns of the value map and of the theory of "
        "change offer these identifiers.",
        "income": "Equivalised income (per year)",
        "income_group": "Income group",
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
        "written": "Centre as written (impactkit)",
        "row_key": "Row described (impactkit)",
        "field": "Column described (impactkit)",
        "occurrence": "Rank among rows of that key (impactkit)",
        "unc_note": "The central value (the mean) of each distribution is the cell it "
        "describes: its mode (triangular, PERT) or its mean is a formula of that cell, so "
        "change the cell and the distribution follows; change the minimum or the maximum "
        "when the new value leaves them. A uniform or a bounded normal distribution has no "
        "such formula: change its parameters with the cell.",
        "data_note": "impactkit data: theory of change and what no visible column shows. "
        "Do not edit.",
        "toc_note": "The theory of change: one row per node (left) and per link (right). "
        "Add an outcome here, then its row in the value map; indicators and measures stay "
        "in the model file.",
        "node_id": "Identifier",
        "kind": "Kind",
        "node_label": "Label",
        "node_description": "Description",
        "node_stakeholder": "Stakeholder",
        "horizon": "Horizon (outcomes)",
        "node_indicator": "Indicator (outcomes)",
        "link_source": "From (identifier)",
        "link_target": "To (identifier)",
        "link_rationale": "Why",
        "link_evidence": "Evidence level (1 to 5)",
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
        "setting_mode": "prévisionnelle ou évaluative",
        "discount_rate": "Taux d'actualisation",
        "discount_name": "Nom du taux d'actualisation",
        "discount_schedule": "Taux dégressif [[première année, taux], ...]",
        "price_index_name": "Indice des prix",
        "price_index_source": "Source de l'indice des prix",
        "pi_year": "Année de l'indice",
        "pi_level": "Niveau de l'indice",
        "id": "Identifiant",
        "size": "Nombre de personnes",
        "sh_note": "Les parties prenantes de la théorie du changement : ajoutez une ligne "
        "(identifiant et libellé) pour en ajouter une ; les colonnes Partie prenante de la "
        "carte de valeur et de la théorie du changement proposent ces identifiants.",
        "income": "Revenu équivalent (par an)",
        "income_group": "Groupe de revenu",
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
        "written": "Centre écrit (impactkit)",
        "row_key": "Ligne décrite (impactkit)",
        "field": "Colonne décrite (impactkit)",
        "occurrence": "Rang parmi les lignes de cette clé (impactkit)",
        "unc_note": "La valeur centrale (la moyenne) de chaque loi est la cellule qu'elle "
        "décrit : son mode (triangulaire, PERT) ou sa moyenne est une formule de cette "
        "cellule ; modifiez la cellule et la loi suit, et le minimum ou le maximum si la "
        "nouvelle valeur en sort. Une loi uniforme ou une normale bornée n'a pas cette "
        "formule : modifiez ses paramètres avec la cellule.",
        "data_note": "Données impactkit : théorie du changement et ce qu'aucune colonne "
        "visible ne montre. Ne pas modifier.",
        "toc_note": "La théorie du changement : une ligne par nœud (à gauche) et par lien (à "
        "droite). Ajoutez ici un effet, puis sa ligne dans la carte de valeur ; indicateurs "
        "et mesures restent dans le fichier du modèle.",
        "node_id": "Identifiant",
        "kind": "Nature",
        "node_label": "Libellé",
        "node_description": "Description",
        "node_stakeholder": "Partie prenante",
        "horizon": "Horizon (effets)",
        "node_indicator": "Indicateur (effets)",
        "link_source": "De (identifiant)",
        "link_target": "Vers (identifiant)",
        "link_rationale": "Pourquoi",
        "link_evidence": "Niveau de preuve (1 à 5)",
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

SETTINGS_NAMES_FR = {
    "format_version": "Version du format",
    "name": "Nom",
    "description": "Description",
    "currency": "Devise",
    "base_year": "Année de base",
    "first_flow_at": "Convention temporelle",
    "mode": "Mode",
    "discount_rate": "Taux d'actualisation",
    "discount_name": "Nom du taux",
    "discount_schedule": "Taux dégressif",
    "price_index_name": "Indice des prix",
    "price_index_source": "Source de l'indice",
}
"""The names a French workbook shows in the first column of its *Paramètres* sheet,
where an English one shows the keys; the reader reads either."""


def setting_key(cell: object) -> str:
    """The setting a *Settings* / *Paramètres* first-column cell names: its key, or
    the key of its French name (letter case and spaces aside); else the text as is.

    Examples
    --------
    >>> setting_key("Année de base"), setting_key(" taux d'actualisation "), setting_key("name")
    ('base_year', 'discount_rate', 'name')
    """
    text = " ".join(str(cell).split())
    return _SETTING_BY_NAME.get(text.casefold(), text)


_SETTING_BY_NAME = {n.casefold(): k for k, n in SETTINGS_NAMES_FR.items()}
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
TOC_NODES = ["node_id", "kind", "node_label", "node_description", "node_stakeholder", "horizon"]
TOC_NODES += ["node_indicator"]
TOC_LINKS = ["link_source", "link_target", "link_rationale", "link_evidence"]
TOC_LINK_COL = len(TOC_NODES) + 2  # one blank column between the two tables
TOC_FIRST = 4  # headings in row 2, field names in row 3
TOC_KEY_ROW = 3
TOC_ROWS = 500  # rows the drop-down lists of node identifiers cover
MAX_STAKEHOLDERS = 200  # rows of the Stakeholders sheet the drop-down lists offer
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
UNC_COLUMNS += ["fixed", "central", "written", "row_key", "field", "occurrence"]
UNC_FIRST = 4
UNC_KEYS = ("row_key", "field", "occurrence")
"""The hidden columns of an *Uncertainty* row that name the figure it describes by its
row's key (the outcome id, the input label or the setting's name), its column's key and
its rank among the rows of that key: a row inserted, deleted or moved in the described
sheet moves the figure's cell, not these (the *Cell* column is its address as written)."""
UNC_KEY_COLUMNS = {"map": "outcome", "inputs": "label", "settings": "key"}
"""The column whose value is the key of a row, in each sheet an uncertainty may describe."""
COMPUTED = {"price_factor", "impact", "present_value", "discount_factor", "what", "central"}
COMPUTED |= {"written"}
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
    from impactkit._i18n import TEXTS

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
        text += " (" + " / ".join(OPTIONS["drop_off_method"][lang].values()) + ")"
    return text


def _map_columns(years: int) -> list[str]:
    cols = [c for _, group in STAGES for c in group]
    return [*cols, *[f"year_{i}" for i in range(1, years + 1)], "present_value"]


def _q(sheet: str) -> str:
    return "'" + sheet.replace("'", "''") + "'"


def _letter(col: int) -> str:
    from openpyxl.utils import get_column_letter

    return str(get_column_letter(col))


def _central(v: Any) -> Any:
    if isinstance(v, dict) and "dist" in v:
        from impactkit.dist import from_dict as dist_from_dict

        return dist_from_dict(v).central
    return v


def _cell_ref(col: int, row: int) -> str:
    return f"{_letter(col)}{row}"


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
        "evidence": "{ref}: {text!r} is not an evidence level; choose one of the list: {levels}",
        "sh_id": "{ref}: this stakeholder row needs an identifier (letters, digits and _)",
        "sh_label": "{ref}: the stakeholder {id!r} needs a label",
        "sh_unlisted": "{ref}: the stakeholder {id!r} is not on the sheet {sheet}; add its "
        "row there, or choose a stakeholder of the list",
        "text_value": "{ref} holds the text {text!r}: the workbook will show #VALUE! (or "
        "another result than the report); type a number",
        "text_zero": "{ref} holds the text {text!r}: the workbook counts it as 0; type a number",
        "central": "{ref} holds {value} but its uncertainty distribution ({dist}, row {row} of "
        "{sheet}) has the central value {central}: change {cells} ({params}) so that its "
        "central value is {value}, or put {central} back in {ref}",
        "centre_out": "{ref} holds {value}, the central value of its {dist} distribution (row "
        "{row} of {sheet}), which the other parameters of the distribution ({params}) do not "
        "admit{span}. Change {cells}, or type in {ref} a value they admit",
        "centre_formula": "{ref}: the formula {formula!r} does not give the central value of "
        "the distribution from {visible}; put back the formula {expected} or type a number",
        "centre_missing": "{ref}: the {dist} distribution of row {row} needs {params} for its "
        "central value to follow {visible}; fill them in",
        "span_between": ": it must lie between {lo} and {hi}",
        "unknown_dist": "{ref}: unknown distribution {name!r}; one of {names}",
        "did_you_mean": "; did you mean {word!r}?",
        "unknown_setting": "{ref}: unknown setting {name!r}",
        "unknown_column": "{ref}: unknown column {name!r}",
        "pi_level": "{ref}: the level of the price index is missing",
        "yes_no": "{ref}: expected yes or no, got {text!r}",
        "beyond_years": "{ref}: the outcome lasts until year {last} but the workbook has {n} "
        "year columns, so its formulas would miss years; write the workbook again (impactkit "
        "new, or ik.io.write_value_map) to get enough columns",
        "stale_schedule": "{ref}: the rate of period {period} is {here} here but {rate} in the "
        "discount schedule of the settings; write the workbook again after changing a "
        "declining schedule",
        "unc_missing": "{ref}: row {row} needs the sheet and the cell it describes",
        "unknown_cell": "{ref}: this row names {cell}, which holds no uncertain figure",
        "unknown_row": "{ref}: this row describes {what} of the row {row_key!r} of {sheet}, "
        "which the sheet no longer has; delete this row or put the row back",
        "two_laws": "{ref}: this row describes {cell}, which row {first} already describes; "
        "keep one of the two",
        "span_inside": ": it must lie strictly between {lo} and {hi}",
        "below_block": "{ref}: row {row} is outside the block of formulas (rows {first} to "
        "{last}): the workbook does not count it, so it is not read. Insert rows inside the "
        "block (above row {last}) and copy the formulas of a filled row into them",
        "no_formulas": "{ref}: row {row} lacks the workbook's formulas (column {column}): the "
        "workbook does not count it, so it is not read. Copy the formulas of a filled row "
        "into it",
    },
    "fr": {
        "ambiguous": "{ref} : nombre ambigu « {text} » : milliers ou décimales ? Saisissez la "
        "cellule comme un nombre (et non comme du texte), ou écrivez-le sans séparateur de "
        "milliers (1234) ou avec une quatrième décimale (1,2340)",
        "formula": "{ref} : cette cellule de saisie contient la formule « {formula} » ; seules "
        "les valeurs saisies sont lues, car la valeur enregistrée avec une formule peut être "
        "périmée. Saisissez la valeur",
        "external": "{ref} : cette cellule de saisie prend sa valeur dans un autre classeur "
        "(« {formula} ») ; saisissez la valeur",
        "merged": "{ref} : les cellules {range} sont fusionnées ; chaque cellule de saisie a sa "
        "propre valeur (une cellule fusionnée se lit vide sous sa première cellule). "
        "Annulez la fusion et saisissez chaque valeur",
        "hidden": "{ref} : la feuille masquée donne « {field} » pour l'effet « {outcome} », qui a "
        "une colonne dans la carte de valeur ; seul ce que montre la carte est lu, saisissez "
        "donc la valeur dans la carte de valeur",
        "elements": "plus de {limit} éléments XML ; une carte de valeur est lue dans cette limite",
        "row_cells": "la ligne {row} a plus de {limit} cellules",
        "rows": "plus de {limit} lignes (ligne {row})",
        "cell_elements": "plus de {limit} cellules dans le classeur",
        "runs": "plus de {limit} segments de texte enrichi",
        "text": "plus de {limit} caractères de texte",
        "dimension": "la feuille déclare la dimension « {ref} », au-delà de {rows} "
        "lignes ou {cols} colonnes",
        "dtd": "une déclaration de type de document, qu'un classeur ne contient jamais",
        "xml": "XML mal formé ({error})",
        "member": "la partie ne peut pas être lue ({error})",
        "evidence": "{ref} : « {text} » n'est pas un niveau de preuve ; choisissez-en un de la "
        "liste : {levels}",
        "sh_id": "{ref} : cette ligne de partie prenante doit avoir un identifiant (lettres, "
        "chiffres et _)",
        "sh_label": "{ref} : la partie prenante « {id} » doit avoir un libellé",
        "sh_unlisted": "{ref} : la partie prenante « {id} » n'est pas sur la feuille {sheet} ; "
        "ajoutez-y sa ligne, ou choisissez une partie prenante de la liste",
        "text_value": "{ref} contient le texte « {text} » : le classeur affichera #VALEUR! "
        "(ou un autre résultat que le rapport) ; saisissez un nombre",
        "text_zero": "{ref} contient le texte « {text} » : le classeur le compte pour 0 ; "
        "saisissez un nombre",
        "central": "{ref} vaut {value} mais sa loi d'incertitude ({dist}, ligne {row} de la "
        "feuille {sheet}) a pour valeur centrale {central} : modifiez {cells} ({params}) pour "
        "que sa valeur centrale soit {value}, ou remettez {central} en {ref}",
        "centre_out": "{ref} vaut {value}, valeur centrale de sa loi {dist} (ligne {row} de la "
        "feuille {sheet}), que les autres paramètres de la loi ({params}) n'admettent pas"
        "{span}. Modifiez {cells}, ou saisissez en {ref} une valeur qu'ils admettent",
        "centre_formula": "{ref} : la formule « {formula} » ne donne pas la valeur centrale de la "
        "loi à partir de {visible} ; remettez la formule {expected} ou saisissez un nombre",
        "centre_missing": "{ref} : la loi {dist} de la ligne {row} a besoin de {params} pour que "
        "sa valeur centrale suive {visible} ; remplissez-les",
        "span_between": " : elle doit être comprise entre {lo} et {hi}",
        "unknown_dist": "{ref} : loi inconnue « {name} » ; choisissez parmi {names}",
        "did_you_mean": " ; vouliez-vous dire « {word} » ?",
        "unknown_setting": "{ref} : champ inconnu « {name} »",
        "unknown_column": "{ref} : colonne inconnue « {name} »",
        "pi_level": "{ref} : le niveau de l'indice des prix manque",
        "yes_no": "{ref} : « {text} » n'est ni oui ni non ; saisissez oui ou non",
        "beyond_years": "{ref} : l'effet dure jusqu'à l'année {last} mais le classeur n'a que "
        "{n} colonnes d'années : ses formules oublieraient des années ; écrivez de nouveau le "
        "classeur à partir du modèle pour avoir assez de colonnes",
        "stale_schedule": "{ref} : le taux de la période {period} vaut ici {here} mais {rate} "
        "dans le taux dégressif des paramètres ; écrivez de nouveau le classeur après avoir "
        "changé un taux dégressif",
        "unc_missing": "{ref} : la ligne {row} doit nommer la feuille et la cellule qu'elle "
        "décrit",
        "unknown_cell": "{ref} : cette ligne nomme {cell}, qui ne contient aucun chiffre "
        "incertain",
        "unknown_row": "{ref} : cette ligne décrit {what} de la ligne « {row_key} » de la feuille "
        "{sheet}, que la feuille n'a plus ; supprimez cette ligne ou rétablissez la ligne",
        "two_laws": "{ref} : cette ligne décrit {cell}, que la ligne {first} décrit déjà ; "
        "gardez l'une des deux",
        "span_inside": " : elle doit être strictement comprise entre {lo} et {hi}",
        "below_block": "{ref} : la ligne {row} est hors du bloc de formules (lignes {first} à "
        "{last}) : le classeur ne la compte pas, elle n'est donc pas lue. Insérez des lignes "
        "à l'intérieur du bloc (au-dessus de la ligne {last}) et recopiez-y les formules "
        "d'une ligne remplie",
        "no_formulas": "{ref} : la ligne {row} n'a pas les formules du classeur (colonne "
        "{column}) : le classeur ne la compte pas, elle n'est donc pas lue. Recopiez-y les "
        "formules d'une ligne remplie",
    },
}


def _say(lang: str, key: str, **kw: Any) -> str:
    """A message in the workbook's language; whole numbers grouped the way it writes them."""
    sep = "\u202f" if lang == "fr" else ","
    for k, v in kw.items():
        if isinstance(v, int) and not isinstance(v, bool):
            kw[k] = f"{v:,}".replace(",", sep)
    return _TEXTS.get(lang, _TEXTS["en"])[key].format(**kw)


DIST_NAMES = {
    "en": {k: k for k in DIST_PARAMS},
    "fr": {
        "fixed": "fixe",
        "uniform": "uniforme",
        "triangular": "triangulaire",
        "pert": "PERT",
        "normal": "normale",
        "lognormal": "log-normale",
        "beta": "bêta",
    },
}


def centre_key(d: dict[str, Any]) -> str | None:
    """The column of the *Uncertainty* sheet that a formula of the visible cell fills.

    The parameter that sets a distribution's central value (its mean) with the
    others held: the value of a fixed one, the mode of a triangular or PERT
    one, the mean of a log-normal, a Beta or an unbounded normal one. A
    uniform distribution (its centre is that of its bounds) and a bounded
    normal one (whose mean is not its parameter) have none.
    """
    name = d.get("dist")
    if name == "fixed":
        return "fixed"
    if name in ("triangular", "pert"):
        return "mode"
    if name in ("lognormal", "beta") or (name == "normal" and "low" not in d and "high" not in d):
        return "mean"
    return None


def centre_formula(name: str, visible: str, row: int) -> str:
    """The formula of the centre cell of an *Uncertainty* row, from the visible cell.

    ``visible`` is the reference of the cell the row describes
    (``'Carte de valeur'!H4``). With :math:`V` its value and :math:`a`,
    :math:`b`, :math:`\\lambda` the row's low, high and PERT weight, the mean
    is :math:`V` when :math:`V = (a + m + b)/3` (triangular) or
    :math:`V = (a + \\lambda m + b)/(\\lambda + 2)` (PERT), hence the mode
    :math:`m = 3V - a - b` or :math:`m = ((\\lambda + 2)V - a - b)/\\lambda`;
    the mean or the value of the other distributions is :math:`V`.
    """
    col = {k: _letter(j) for j, k in enumerate(UNC_COLUMNS, start=1)}
    low, high, lam = (f"{col[k]}{row}" for k in ("low", "high", "lam"))
    if name == "triangular":
        return f"=3*{visible}-{low}-{high}"
    if name == "pert":
        return f"=(({lam}+2)*{visible}-{low}-{high})/{lam}"
    return f"={visible}"


def centre_value(name: str, v: float, d: dict[str, Any]) -> float | None:
    """What :func:`centre_formula` computes, in the same order of operations.

    None when a parameter the formula needs is missing (or the PERT weight is 0).
    """
    if name == "triangular":
        if not all(isinstance(d.get(k), int | float) for k in ("low", "high")):
            return None
        return float(3 * v - d["low"] - d["high"])
    if name == "pert":
        if not all(isinstance(d.get(k), int | float) for k in ("low", "high", "lam")):
            return None
        if d["lam"] == 0:
            return None
        return float(((d["lam"] + 2) * v - d["low"] - d["high"]) / d["lam"])
    return float(v)


def number_text(x: float, lang: str) -> str:
    """A number as a message shows it: ``0,7`` in French, ``0.7`` in English."""
    text = f"{x:.12g}"
    return text.replace(".", ",") if lang == "fr" else text


OPTIONS: dict[str, dict[str, dict[str, str]]] = {
    "drop_off_method": {
        "en": {"compound": "compound", "linear": "linear"},
        "fr": {"compound": "composée", "linear": "linéaire"},
    },
    "kind": {
        "en": {k: k for k in ("input", "activity", "output", "outcome", "impact")},
        "fr": {
            "input": "ressource",
            "activity": "activité",
            "output": "réalisation",
            "outcome": "effet",
            "impact": "impact",
        },
    },
    "horizon": {
        "en": {"short": "short", "intermediate": "intermediate", "long": "long"},
        "fr": {"short": "court terme", "intermediate": "moyen terme", "long": "long terme"},
    },
    "mode": {
        "en": {"forecast": "forecast", "evaluative": "evaluative"},
        "fr": {"forecast": "prévisionnelle", "evaluative": "évaluative"},
    },
    # the 1-5 evidence scale of a link (impactkit.toc.EVIDENCE_LEVELS)
    "link_evidence": {
        "en": {
            "1": "1 described",
            "2": "2 correlated",
            "3": "3 causal",
            "4": "4 replicated",
            "5": "5 systematised",
        },
        "fr": {
            "1": "1 décrit",
            "2": "2 corrélé",
            "3": "3 causal",
            "4": "4 reproduit",
            "5": "5 systématisé",
        },
    },
}
"""The values of a choice as each language's workbook shows them (model value -> shown)."""


def option_shown(field: str, value: Any, lang: str) -> Any:
    """The value of a choice as the workbook shows it in ``lang``."""
    return (
        OPTIONS.get(field, {}).get(lang, {}).get(value, value) if isinstance(value, str) else value
    )


def option_value(field: str, shown: str) -> str:
    """The model's value of a choice typed in either language (``composée`` -> ``compound``).

    An evidence level is also read from its number alone (``3``, ``3.0``) or
    its word alone (``causal``, ``reproduit``).
    """
    text = shown.strip().lower()
    for words in OPTIONS.get(field, {}).values():
        for value, word in words.items():
            if text == word.lower():
                return value
            if field == "link_evidence" and text in (word.lower().partition(" ")[2], value):
                return value
    if field == "link_evidence" and re.fullmatch(r"[1-5](\.0*)?", text):
        return text[0]
    return shown


COMMENTS: dict[str, dict[str, str]] = {
    "en": {
        "stakeholder": "Identifier of a stakeholder of the Stakeholders sheet (list).",
        "outcome": "Identifier of the outcome: letters, digits and _ only, one per row.",
        "label": "The outcome in words, as the report shows it.",
        "indicator": "What is measured to count the people who reach the outcome.",
        "quantity": "Number of people (or units) reaching the outcome each year.",
        "duration": "Number of years the outcome lasts.",
        "start_year": "Year of the first value (1 = first year).",
        "proxy_value": "Value of one unit of outcome for one year, in the currency.",
        "deadweight": "Share that would have happened anyway, from 0 % to 100 %.",
        "displacement": "Share of the outcome displaced from elsewhere, 0 % to 100 %.",
        "attribution": "Share due to others than the project, 0 % to 100 %.",
        "leakage": "Share reaching people outside the stakeholders, 0 % to 100 %.",
        "drop_off": "Share of the outcome lost each year after the first, 0 % to 100 %.",
        "drop_off_method": "compound: lost each year on what remains; linear: the same loss "
        "each year (list).",
        "impact": "Formula: quantity x value x (1 - the four shares). Do not type here.",
        "inputs_label": "The input in words, as the report shows it.",
        "amount": "Amount invested, in the currency.",
        "year": "Year of the input (0 = at the start, not discounted).",
        "link_evidence": "How well the link is shown (list): 1 described, 2 correlated "
        "(data show the change), 3 causal (a comparison group), 4 replicated (independent "
        "evaluations), 5 systematised (Nesta Standards of Evidence).",
    },
    "fr": {
        "stakeholder": "Identifiant d'une partie prenante de la feuille Parties prenantes "
        "(liste).",
        "outcome": "Identifiant de l'effet : lettres, chiffres et _ seulement, un par ligne.",
        "label": "L'effet en mots, tel que le rapport le montre.",
        "indicator": "Ce qui est mesuré pour compter les personnes qui atteignent l'effet.",
        "quantity": "Nombre de personnes (ou d'unités) atteignant l'effet chaque année.",
        "duration": "Nombre d'années pendant lesquelles l'effet dure.",
        "start_year": "Année de la première valeur (1 = première année).",
        "proxy_value": "Valeur d'une unité d'effet pour une année, dans la devise.",
        "deadweight": "Part qui serait arrivée de toute façon, de 0\u00a0% à 100\u00a0%.",
        "displacement": "Part de l'effet déplacée d'ailleurs, de 0\u00a0% à 100\u00a0%.",
        "attribution": "Part due à d'autres que le projet, de 0\u00a0% à 100\u00a0%.",
        "leakage": "Part qui profite à d'autres que les parties prenantes, de 0\u00a0% à "
        "100\u00a0%.",
        "drop_off": "Part de l'effet perdue chaque année après la première, de 0\u00a0% à "
        "100\u00a0%.",
        "drop_off_method": "composée : perte chaque année sur ce qui reste ; linéaire : même "
        "perte chaque année (liste).",
        "impact": "Formule : quantité x valeur x (1 - les quatre parts). Ne rien saisir ici.",
        "inputs_label": "La ressource en mots, telle que le rapport la montre.",
        "amount": "Montant investi, dans la devise.",
        "year": "Année de la ressource (0 = au départ, non actualisée).",
        "link_evidence": "Ce qui montre le lien (liste) : 1 décrit, 2 corrélé (les données "
        "montrent le changement), 3 causal (un groupe de comparaison), 4 reproduit "
        "(évaluations indépendantes), 5 systématisé (niveaux de preuve de Nesta).",
    },
}
"""The comment of each column heading, in each language."""

GUARD: dict[str, dict[str, str]] = {
    "en": {
        "percent_title": "A share from 0 % to 100 %",
        "percent": "Type a share from 0 % to 100 % (for example 25 %).",
        "list_title": "A value of the list",
        "list": "Choose a value of the list.",
    },
    "fr": {
        "percent_title": "Une part de 0\u00a0% à 100\u00a0%",
        "percent": "Saisissez une part de 0\u00a0% à 100\u00a0% (par exemple 25\u00a0%).",
        "list_title": "Une valeur de la liste",
        "list": "Choisissez une valeur de la liste.",
    },
}
"""The words of the guard rails: data validation titles and messages."""


def _detect_lang(sheetnames: list[str]) -> str | None:
    for lang in ("fr", "en"):
        if all(SHEETS[k][lang] in sheetnames for k in REQUIRED):
            return lang
    return None
