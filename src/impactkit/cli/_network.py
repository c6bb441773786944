"""``impactkit network``: the federation report from tidy CSV or Parquet tables.

Kept apart from :mod:`impactkit.cli` so that the parser is built without
importing the computation modules; they load when the command runs.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from impactkit.errors import FileFormatError

__all__ = [
    "COLUMNS",
    "add_parser",
    "read_table",
    "run",
    "sniff_csv",
    "write_template",
]

_TABLE_FIELDS = (
    "site", "sector", "region", "outcome", "label", "stakeholder", "payer", "indicator",
    "quantity", "n", "proxy", "proxy_source", "price_year", "price_factor", "duration",
    "start_year", "deadweight", "displacement", "attribution", "leakage", "drop_off",
    "drop_off_method", "first_flow_at", "amount", "year",
)  # fmt: skip


COLUMNS: dict[str, dict[str, str]]
"""The column names of the network tables in French, as the template writes them; the
command reads them back (case, accents and spaces aside) as the names of
:func:`impactkit.portfolio.evaluate`. Built from :data:`impactkit._i18n.FIELDS_FR` when
first used, so that building the parser loads no word table."""


def _columns() -> dict[str, dict[str, str]]:
    """:data:`COLUMNS`."""
    from impactkit._i18n import FIELDS_FR

    return {"fr": {c: "résultat" if c == "outcome" else FIELDS_FR[c] for c in _TABLE_FIELDS}}


def __getattr__(name: str) -> Any:
    if name == "COLUMNS":
        return _columns()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


SHEETS = {
    "outcomes": ("résultats", "resultats", "outcomes"),
    "inputs": ("ressources", "inputs"),
}
"""Sheet names read for each table of a workbook (else its first sheet)."""

SPREADSHEETS = (".xlsx", ".xlsm", ".ods", ".xls")
"""Workbook suffixes ``impactkit network`` reads (extra ``excel``)."""

MAX_BYTES = 2_000_000_000
"""Largest table file read (2 GB)."""


def sniff_csv(path: str | Path) -> tuple[str, str, str]:
    r"""The encoding, field separator and decimal mark of a CSV, read from its first 64 KiB.

    French spreadsheets save CSV with ``;`` between fields, a decimal comma and
    the Windows code page (or UTF-8 with a byte-order mark): the encoding is
    UTF-8 (``utf-8-sig`` with a mark) when the bytes decode as such, else
    ``cp1252``; the separator is the most frequent of ``,``, ``;`` and a tab in
    the header; the decimal mark is a comma when the separator is not one and
    a field reads as digits, a comma and digits.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = Path(d) / "t.csv"
    ...     _ = p.write_bytes("établissement;montant\n01;12,5\n".encode("cp1252"))
    ...     sniff_csv(p)
    ('cp1252', ';', ',')
    """
    import codecs
    import re

    p = Path(path)
    if p.suffix.lower() == ".gz":
        return "utf-8", ",", "."
    with open(p, "rb") as fh:
        head = fh.read(65536)
    if head.startswith(codecs.BOM_UTF8):
        encoding = "utf-8-sig"
    else:
        whole_lines = head[: head.rfind(b"\n") + 1] or head
        try:
            whole_lines.decode("utf-8")
            encoding = "utf-8"
        except UnicodeDecodeError:
            encoding = "cp1252"
    text = head.decode("utf-8" if encoding.startswith("utf-8") else encoding, errors="replace")
    lines = [line for line in text.lstrip("\ufeff").splitlines() if line.strip()][:50]
    first = lines[0] if lines else ""
    sep = max((",", ";", "\t"), key=first.count) if first else ","
    if not first.count(sep):
        sep = ","
    number = re.compile(r"\s*-?\d+,\d+\s*")
    comma = sep != "," and any(
        number.fullmatch(field) for line in lines[1:] for field in line.split(sep)
    )
    return encoding, sep, "," if comma else "."


def _fold(name: Any) -> str:
    """A column name compared without case, accents, spaces or underscores."""
    import unicodedata

    text = unicodedata.normalize("NFKD", str(name)).encode("ascii", "ignore").decode()
    return "".join(ch for ch in text.casefold() if ch.isalnum())


def french_columns(df: Any, *, site: str = "site") -> tuple[Any, list[tuple[str, str]]]:
    """The table with French column labels (:data:`COLUMNS`) renamed, and the renamings."""
    wanted = {_fold(fr): en for en, fr in _columns()["fr"].items()}
    present = set(map(str, df.columns))
    renames: dict[str, str] = {}
    for c in df.columns:
        en = wanted.get(_fold(c))
        if en is None or str(c) == en or str(c) == site or en in present:
            continue
        renames[str(c)] = site if en == "site" else en
    return (df.rename(columns=renames) if renames else df), list(renames.items())


_SHEETS_READ: dict[tuple[str, str], tuple[str, int, list[str]]] = {}
"""(path, role) → (sheet, rows, columns) of the workbook tables read, for what is said."""


def _read_workbook(path: Path, role: str, ids: tuple[str, ...]) -> tuple[Any, str]:
    """One table of an ``.xlsx``/``.ods``/``.xls`` workbook and the sheet it came from."""
    import importlib.util

    import pandas as pd

    from impactkit._tables import id_columns

    suffix = path.suffix.lower()
    engines = {
        ".xlsx": ("openpyxl", "calamine"),
        ".xlsm": ("openpyxl", "calamine"),
        ".ods": ("calamine", "odf"),
        ".xls": ("calamine", "xlrd"),
    }[suffix]
    modules = {"openpyxl": "openpyxl", "calamine": "python_calamine", "odf": "odf", "xlrd": "xlrd"}
    engine = next((e for e in engines if importlib.util.find_spec(modules[e])), None)
    if engine is None:
        raise FileFormatError(
            f'{path}: reading {suffix} needs the excel extra: pip install "impactkit[excel]" '
            "(or save the sheet as CSV)",
            code="excel_extra",
        )
    try:
        with pd.ExcelFile(path, engine=engine) as book:  # type: ignore[arg-type]
            names = [str(n) for n in book.sheet_names]
            folded = [_fold(x) for x in SHEETS[role]]
            chosen = next((n for n in names if _fold(n) in folded), names[0])
            df = pd.read_excel(book, sheet_name=chosen)
    except ImportError as exc:
        raise FileFormatError(
            f'{path}: reading {suffix} needs the excel extra: pip install "impactkit[excel]" '
            f"({exc})",
            code="excel_extra",
        ) from exc
    except (ValueError, KeyError, OSError) as exc:
        raise FileFormatError(
            f"{path}: not a readable workbook ({exc})", code="unreadable_table"
        ) from exc
    df = df.dropna(how="all")
    df.columns = [str(c).strip() for c in df.columns]
    for c in id_columns(df.columns, ids):
        df[c] = [
            None
            if v is None or (isinstance(v, float) and v != v)
            else str(int(v))
            if isinstance(v, float) and v.is_integer()
            else str(v).strip()
            for v in df[c]
        ]
    return df, chosen


def read_table(path: str, *, ids: tuple[str, ...] = (), role: str = "outcomes") -> Any:
    """A tidy table from ``.csv``/``.csv.gz``, ``.parquet``, ``.xlsx`` or ``.ods`` (read here).

    A workbook's table is its sheet named for ``role`` (*Résultats* or
    *Outcomes*, *Ressources* or *Inputs*), else its first sheet; French column
    labels (:data:`COLUMNS`) are read as the names the analysis expects.

    A CSV's identifier columns (the site, and ``ids``; see
    :func:`impactkit._tables.id_columns`) are read as text: sites ``"01"`` and
    ``"1"`` stay two sites, and a FINESS or INSEE code keeps its leading zero.
    """
    import pandas as pd

    from impactkit._tables import read_csv

    p = Path(path)
    if not p.is_file():
        raise FileFormatError(f"{path}: no such file", code="no_file")
    if p.stat().st_size > MAX_BYTES:
        raise FileFormatError(f"{path}: larger than {MAX_BYTES:,} bytes", code="too_large")
    try:
        if p.suffix.lower() in (".parquet", ".pq"):
            try:
                return pd.read_parquet(p)
            except ImportError as exc:
                raise FileFormatError(
                    f"{path}: reading Parquet needs pyarrow (pip install pyarrow)", code="pyarrow"
                ) from exc
        if p.suffix.lower() in SPREADSHEETS:
            df, sheet = _read_workbook(p, role, ids)
            _SHEETS_READ[(str(path), role)] = (sheet, len(df), [str(c) for c in df.columns])
        else:
            encoding, sep, decimal = sniff_csv(p)
            df = read_csv(p, ids=ids, sep=sep, decimal=decimal, encoding=encoding)
        site = ids[0] if ids else "site"
        return french_columns(df, site=site)[0]
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FileFormatError(
            f"{path}: not a readable table ({exc})", code="unreadable_table"
        ) from exc


def add_parser(sub: Any) -> None:
    """Register the ``network`` subcommand."""
    p = sub.add_parser(
        "network",
        help="federation report from tidy outcome and input tables",
        description="Evaluate every establishment of a network from tidy tables (CSV or "
        "Parquet) and write the federation report: totals by sector, region, stakeholder "
        "and payer, funnel plots per indicator, remarkable practices, method.",
    )
    p.add_argument("outcomes", help="outcomes table (.csv, .parquet, .xlsx or .ods)")
    p.add_argument(
        "inputs",
        nargs="?",
        default=None,
        help="inputs table (.csv, .parquet, .xlsx or .ods); omitted: the Ressources sheet "
        "of the outcomes workbook",
    )
    p.add_argument(
        "-o", "--output", required=True, help="report path (.html, .htm, .md, .markdown or .pdf)"
    )
    p.add_argument(
        "--lang",
        choices=("fr", "en"),
        default=None,
        help="language of the output and messages (default: the file's, then the system's)",
    )
    p.add_argument("--site", default="site", help="site column (default: site)")
    p.add_argument(
        "--anonymise",
        action="store_true",
        help="replace site names by pseudonyms (needs --key or --key-file)",
    )
    p.add_argument("--key", default=None, help="secret key of the pseudonyms")
    p.add_argument("--key-file", default=None, metavar="PATH", help="file holding the secret key")
    p.add_argument("--member", default=None, help="write one member's benchmark page instead")
    p.add_argument(
        "--discount",
        default="france_2021",
        help="discount rate: a number (0.032) or a preset name (default: france_2021, "
        "France Stratégie 2021, 3.2 %%)",
    )
    p.add_argument("--mc", type=int, default=0, metavar="N", help="Monte Carlo draws")
    p.add_argument("--seed", type=int, default=0, help="seed")
    p.set_defaults(func=run)


def _stages(enabled: bool) -> Any:
    if not enabled:
        return None
    try:
        from tqdm import tqdm
    except ImportError:  # pragma: no cover - the plot extra brings it
        return None
    return tqdm(total=3, file=sys.stderr, desc="network", unit="step")


def run(args: argparse.Namespace) -> int:
    """Run ``impactkit network``; returns the exit code."""
    from impactkit.cli._words import output_format, say_written
    from impactkit.portfolio import analyse_network
    from impactkit.report import member, network

    fmt = output_format(args.output, args.lang, network=True)  # before any work
    key = _key(args) if args.anonymise and args.member is None else None
    discount = _discount(args.discount)
    bar = None
    inputs_path = args.inputs or args.outcomes  # one workbook may hold both sheets
    outcomes = read_table(args.outcomes, ids=(args.site,), role="outcomes")
    inputs = read_table(inputs_path, ids=(args.site,), role="inputs")
    for path, role in ((args.outcomes, "outcomes"), (inputs_path, "inputs")):
        _say_detected(path, args.lang, role=role, site=args.site)
    bar = _stages(len(outcomes) > 50_000 and sys.stderr.isatty())
    if bar is not None:
        bar.update(1)
    a = analyse_network(
        outcomes,
        inputs,
        site=args.site,
        discount=discount,
        n_draws=args.mc,
        seed=args.seed,
        anonymise=key is not None,
        key=key,
    )
    if bar is not None:
        bar.update(1)
    if args.member is not None:
        sites = a.sites[args.site]
        ident: Any = args.member
        if not (sites == ident).any():  # ids read from Parquet may be numbers
            for cast in (int, float):
                try:
                    if (sites == cast(ident)).any():
                        ident = cast(ident)
                        break
                except ValueError:
                    continue
        if not (sites == ident).any():
            _unknown_member(args.member, sites)
        member(a, member=ident, site=args.site, lang=args.lang, path=args.output, format=fmt)
    else:
        network(a, site=args.site, lang=args.lang, path=args.output, format=fmt)
    if bar is not None:
        bar.update(1)
        bar.close()
    say_written(args.output, args.lang)
    return 0


def _key(args: argparse.Namespace) -> str:
    """The secret key of the pseudonyms, from ``--key`` or ``--key-file`` (exit 2 without).

    The messages are English, with their codes; the command line says them in French
    by code (:data:`impactkit._i18n.PROBLEMS_FR`)."""
    from impactkit.errors import ValidationError

    if args.key is not None and args.key_file is not None:
        raise ValidationError(
            "give the key with --key or --key-file, not both", path=("key",), code="two_keys"
        )
    key = args.key
    if args.key_file is not None:
        try:
            key = Path(args.key_file).read_text(encoding="utf-8").strip()
        except (OSError, UnicodeDecodeError) as exc:
            raise FileFormatError(
                f"{args.key_file}: unreadable key file ({exc})", code="key_file"
            ) from exc
    if not key:
        raise FileFormatError(
            "--anonymise needs a secret key (--key KEY or --key-file FILE), chosen by the "
            "network and kept out of the reports: a key derived from the data would let anyone "
            "with the list of ids recompute every pseudonym",
            code="no_key",
        )
    return str(key)


def _discount(value: str) -> Any:
    """``--discount``: a number, or the name of a preset of :mod:`impactkit.discount`."""
    from impactkit import discount as d

    presets = {"france_2021": d.FRANCE_2021, "france_2013": d.FRANCE_2013}
    if value in presets:
        return presets[value]
    try:
        return float(value.replace(",", "."))
    except ValueError:
        raise FileFormatError(
            f"--discount {value!r}: give a rate (0.032) or one of {', '.join(presets)}",
            path=("discount",),
            code="discount_option",
        ) from None


def _unknown_member(wanted: str, sites: Any) -> None:
    """Refuse an unknown ``--member`` (exit 1), suggesting the nearest ids."""
    from impactkit.errors import ValidationError
    from impactkit.portfolio import nearest_members

    near = [str(x) for x in nearest_members(wanted, sites)]
    hint = f"; nearest: {', '.join(near)}" if near else ""
    msg = f"no establishment {wanted!r} in the network{hint}"
    raise ValidationError(msg, path=("member",), code="unknown_site")


def _say_detected(path: str, lang: str, *, role: str = "outcomes", site: str = "site") -> None:
    """Say on stderr how a table was read: a workbook's sheet, a CSV that is not plain
    comma-separated UTF-8, and the French column labels recognised."""
    suffix = Path(path).suffix.lower()
    fr = lang == "fr"
    said: list[str] = []
    if suffix in SPREADSHEETS:
        import pandas as pd

        read = _SHEETS_READ.get((str(path), role))
        if read is None:  # not read by read_table: read it here
            book, sheet = _read_workbook(Path(path), role, (site,))
            read = (sheet, len(book), [str(c) for c in book.columns])
        sheet, n_rows, columns = read
        df = pd.DataFrame(columns=columns)
        kind = {".ods": "OpenDocument"}.get(suffix, "Excel")
        said.append(
            f"classeur {kind}, feuille « {sheet} », {n_rows} lignes"
            if fr
            else f"{kind} workbook, sheet '{sheet}', {n_rows} rows"
        )
    elif suffix == ".csv":
        encoding, sep, decimal = sniff_csv(path)
        if (encoding, sep, decimal) != ("utf-8", ",", "."):
            names = {",": "« , »", ";": "« ; »", "\t": "tab"}
            if fr:
                mark = "virgule" if decimal == "," else "point"
                said.append(
                    f"séparateur {names[sep]}, décimales avec une {mark}, encodage {encoding}"
                )
            else:
                mark = "comma" if decimal == "," else "point"
                said.append(f"separator {names[sep]}, decimal {mark}, encoding {encoding}")
        import pandas as pd

        df = pd.read_csv(path, nrows=0, sep=sep, encoding=encoding)
    else:
        return
    _, renames = french_columns(df, site=site)
    if renames and fr:  # the French labels only: the names they stand for are code
        said.append("colonnes reconnues : " + ", ".join(a for a, _ in renames))
    elif renames:
        said.append("French column labels read: " + ", ".join(f"{a} → {b}" for a, b in renames))
    if said:
        joined = " ; ".join(said) if fr else "; ".join(said)
        print(f"{path} : {joined}" if fr else f"{path}: {joined}", file=sys.stderr)


def write_template(path: str | Path, *, lang: str = "fr") -> None:
    """Write the network tables' workbook template: two sheets with their headers and a
    few illustrative rows.

    The *Résultats* (*Outcomes*) sheet holds one row per establishment and
    outcome, the *Ressources* (*Inputs*) sheet one row per establishment and
    input, under French column labels (:data:`COLUMNS`) with ``lang="fr"``;
    ``impactkit network resultats.xlsx`` reads both back. The example rows are
    illustrative (two establishments of an invented network): replace them.

    Parameters
    ----------
    path : str or Path
        The ``.xlsx`` file (extra ``excel``).
    lang : {"fr", "en"}, default "fr"
        Language of the sheet names and column labels.

    Returns
    -------
    None

    Examples
    --------
    >>> import tempfile
    >>> import pandas as pd
    >>> with tempfile.TemporaryDirectory() as d:
    ...     write_template(Path(d) / "resultats.xlsx")
    ...     book = pd.read_excel(Path(d) / "resultats.xlsx", sheet_name=None, engine="openpyxl")
    >>> list(book), list(book["Ressources"].columns)
    (['Résultats', 'Ressources', 'Notice'], ['établissement', 'montant'])
    """
    try:
        from openpyxl import Workbook
        from openpyxl.styles import Font
    except ImportError as exc:
        raise FileFormatError(
            'writing a workbook needs the excel extra: pip install "impactkit[excel]"',
            code="excel_extra",
        ) from exc
    from impactkit._atomic import write_file

    fr = lang == "fr"
    outcome_cols = [
        "site", "sector", "region", "outcome", "label", "stakeholder", "payer", "quantity",
        "n", "proxy", "proxy_source", "duration", "deadweight", "attribution", "displacement",
        "drop_off",
    ]  # fmt: skip
    rows: list[list[Any]] = [
        ["750000001", "insertion", "Île-de-France", "emploi_durable",
         "En emploi durable à 6 mois" if fr else "In lasting work at 6 months", "salaries",
         "etat", 24, 60, 9000, "Illustratif : à remplacer" if fr else "Illustrative: replace",
         2, 0.3, 0.2, 0.0, 0.2],
        ["750000001", "insertion", "Île-de-France", "confiance",
         "Confiance en soi" if fr else "Self-confidence", "salaries", "", 40, 60, 1200,
         "Illustratif : à remplacer" if fr else "Illustrative: replace", 1, 0.2, 0.3, 0.0, 0.0],
        ["690000002", "insertion", "Auvergne-Rhône-Alpes", "emploi_durable",
         "En emploi durable à 6 mois" if fr else "In lasting work at 6 months", "salaries",
         "etat", 15, 45, 9000, "Illustratif : à remplacer" if fr else "Illustrative: replace",
         2, 0.3, 0.2, 0.0, 0.2],
    ]  # fmt: skip
    inputs: list[list[Any]] = [["750000001", 250000], ["690000002", 180000]]
    french = _columns()["fr"]
    head = (lambda c: french[c]) if fr else (lambda c: c)
    percent = {"deadweight", "attribution", "displacement", "drop_off"}
    wb = Workbook()
    ws = wb.active
    ws.title = "Résultats" if fr else "Outcomes"
    bold = Font(bold=True)
    ws.append([head(c) for c in outcome_cols])
    for row in rows:
        ws.append(row)
    for j, c in enumerate(outcome_cols, start=1):
        ws.cell(1, j).font = bold
        ws.column_dimensions[ws.cell(1, j).column_letter].width = max(12, len(head(c)) + 2)
        if c == "site":
            for i in range(2, len(rows) + 2):
                ws.cell(i, j).number_format = "@"
        if c in percent:
            for i in range(2, len(rows) + 2):
                ws.cell(i, j).number_format = "0%"
    ws.freeze_panes = "A2"
    wi = wb.create_sheet("Ressources" if fr else "Inputs")
    wi.append([head("site"), head("amount")])
    for row in inputs:
        wi.append(row)
    for j in (1, 2):
        wi.cell(1, j).font = bold
        wi.column_dimensions[wi.cell(1, j).column_letter].width = 16
    for i in range(2, len(inputs) + 2):
        wi.cell(i, 1).number_format = "@"
    wn = wb.create_sheet("Notice" if fr else "Read me")
    notes = (
        [
            "Une ligne par établissement et par résultat (feuille Résultats), une ligne "
            "par établissement et par ressource (feuille Ressources).",
            "Les lignes d'exemple sont illustratives : remplacez-les par vos données.",
            "Les taux (effet d'aubaine, attribution, déplacement, dégressivité) sont des "
            "pourcentages ; « personnes mesurées » est le dénominateur de l'indicateur.",
            "Puis : impactkit network resultats.xlsx -o reseau.html",
        ]
        if fr
        else [
            "One row per establishment and outcome (Outcomes sheet), one row per "
            "establishment and input (Inputs sheet).",
            "The example rows are illustrative: replace them with your data.",
            "Rates (deadweight, attribution, displacement, drop-off) are percentages; n is "
            "the number of people measured for the indicator.",
            "Then: impactkit network network.xlsx -o network.html",
        ]
    )
    for line in notes:
        wn.append([line])
    wn.column_dimensions["A"].width = 100
    import io

    buf = io.BytesIO()
    wb.save(buf)
    write_file(path, buf.getvalue())
