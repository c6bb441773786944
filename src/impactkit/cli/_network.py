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

__all__ = ["add_parser", "read_table", "run", "sniff_csv"]

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


def read_table(path: str, *, ids: tuple[str, ...] = ()) -> Any:
    """A tidy table from ``.csv``/``.csv.gz`` or ``.parquet`` (read here, at the door).

    A CSV's identifier columns (the site, and ``ids``; see
    :func:`impactkit._tables.id_columns`) are read as text: sites ``"01"`` and
    ``"1"`` stay two sites, and a FINESS or INSEE code keeps its leading zero.
    """
    import pandas as pd

    from impactkit._tables import read_csv

    p = Path(path)
    if not p.is_file():
        raise FileFormatError(f"{path}: no such file")
    if p.stat().st_size > MAX_BYTES:
        raise FileFormatError(f"{path}: larger than {MAX_BYTES:,} bytes")
    try:
        if p.suffix.lower() in (".parquet", ".pq"):
            try:
                return pd.read_parquet(p)
            except ImportError as exc:
                raise FileFormatError(
                    f"{path}: reading Parquet needs pyarrow (pip install pyarrow)"
                ) from exc
        encoding, sep, decimal = sniff_csv(p)
        return read_csv(p, ids=ids, sep=sep, decimal=decimal, encoding=encoding)
    except (ValueError, UnicodeDecodeError, pd.errors.ParserError) as exc:
        raise FileFormatError(f"{path}: not a readable table ({exc})") from exc


def add_parser(sub: Any) -> None:
    """Register the ``network`` subcommand."""
    p = sub.add_parser(
        "network",
        help="federation report from tidy outcome and input tables",
        description="Evaluate every establishment of a network from tidy tables (CSV or "
        "Parquet) and write the federation report: totals by sector, region, stakeholder "
        "and payer, funnel plots per indicator, remarkable practices, method.",
    )
    p.add_argument("outcomes", help="outcomes table (.csv or .parquet)")
    p.add_argument("inputs", help="inputs table (.csv or .parquet)")
    p.add_argument(
        "-o", "--output", required=True, help="report path (.html, .htm, .md or .markdown)"
    )
    p.add_argument("--lang", choices=("en", "fr"), default="en", help="language")
    p.add_argument("--site", default="site", help="site column (default: site)")
    p.add_argument("--anonymise", action="store_true", help="pseudonymise site names")
    p.add_argument("--member", default=None, help="write one member's benchmark page instead")
    p.add_argument("--discount", type=float, default=0.035, help="constant discount rate")
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
    from impactkit.portfolio import analyse_network
    from impactkit.report import member, network

    fmt = _output_format(args.output)  # before any work: a wrong suffix costs nothing
    bar = None
    outcomes = read_table(args.outcomes, ids=(args.site,))
    inputs = read_table(args.inputs, ids=(args.site,))
    for path in (args.outcomes, args.inputs):
        _say_detected(path, args.lang)
    bar = _stages(len(outcomes) > 50_000 and sys.stderr.isatty())
    if bar is not None:
        bar.update(1)
    a = analyse_network(
        outcomes,
        inputs,
        site=args.site,
        discount=args.discount,
        n_draws=args.mc,
        seed=args.seed,
        anonymise=args.anonymise and args.member is None,
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
        member(a, member=ident, site=args.site, lang=args.lang, path=args.output, format=fmt)
    else:
        network(a, site=args.site, lang=args.lang, path=args.output, format=fmt)
    if bar is not None:
        bar.update(1)
        bar.close()
    print(f"report written to {args.output}")
    return 0


NETWORK_SUFFIXES = {".html": "html", ".htm": "html", ".md": "markdown", ".markdown": "markdown"}
"""Output suffixes ``impactkit network`` accepts (any case) and the format each gives."""


def _output_format(output: str) -> str:
    """The network report's format from its path; another suffix is refused (exit 2)."""
    from pathlib import Path

    from impactkit.errors import OutputPathError

    suffix = Path(output).suffix.lower()
    if suffix not in NETWORK_SUFFIXES:
        raise OutputPathError(
            f"{output}: a network report is written as {', '.join(NETWORK_SUFFIXES)}; "
            f"{suffix or 'no suffix'} is not one of them"
        )
    return NETWORK_SUFFIXES[suffix]


def _say_detected(path: str, lang: str) -> None:
    """Say on stderr how a CSV that is not plain comma-separated UTF-8 was read."""
    if Path(path).suffix.lower() != ".csv":
        return
    encoding, sep, decimal = sniff_csv(path)
    if (encoding, sep, decimal) == ("utf-8", ",", "."):
        return
    names = {",": "« , »", ";": "« ; »", "\t": "tab"}
    if lang == "fr":
        mark = "virgule" if decimal == "," else "point"
        print(
            f"{path} : séparateur {names[sep]}, décimales avec une {mark}, encodage {encoding}",
            file=sys.stderr,
        )
    else:
        mark = "comma" if decimal == "," else "point"
        print(
            f"{path}: separator {names[sep]}, decimal {mark}, encoding {encoding}",
            file=sys.stderr,
        )
