"""The HTML report printed to PDF by a headless Chromium."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from impactkit.errors import ImpactkitError
from impactkit.methods import SROIResult
from impactkit.report._content import ReportContent

__all__ = ["BROWSERS", "PDFUnavailableError", "find_browser", "pdf"]


class PDFUnavailableError(ImpactkitError):
    """No headless Chromium to print a PDF report with."""


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "msedge")
"""Programs tried, in order, on the ``PATH`` to print a PDF (or the ``IMPACTKIT_CHROMIUM``
variable); then Chrome and Edge at their default install paths (report/_browsers.py)."""


def find_browser() -> str | None:
    """The headless Chromium used for PDF reports, or None when there is none.

    The program named by the ``IMPACTKIT_CHROMIUM`` environment variable when it
    is set (and only it), otherwise the first of :data:`BROWSERS` on the ``PATH``,
    otherwise Chrome or Edge at their default install paths on Windows and macOS
    (the first that exists; see report/_browsers.py).

    Returns
    -------
    str or None
        Full path of the browser program, or None when none is found.

    Examples
    --------
    >>> isinstance(find_browser(), (str, type(None)))  # with or without a browser
    True
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMPACTKIT_CHROMIUM": "no-such-browser"}):
    ...     print(find_browser())  # the variable, when set, is the only program tried
    None
    """
    import shutil

    env = os.environ.get("IMPACTKIT_CHROMIUM")
    if env:
        return shutil.which(env)
    for name in BROWSERS:
        found = shutil.which(name)
        if found:
            return found
    from impactkit.report._browsers import browser_paths

    for path in browser_paths():
        if path.is_file():
            return str(path)
    return None


def pdf(
    result: SROIResult | ReportContent,
    *,
    lang: str | None = None,
    monte_carlo: Any = None,
    timeout: float = 180.0,
) -> bytes:
    """The HTML report printed to PDF (A4 landscape) by a headless Chromium, as bytes.

    :func:`write` writes it to a file.

    Parameters
    ----------
    result : SROIResult or ReportContent
        As for :func:`html` (the content of :func:`analyse` for the Monte
        Carlo and sensitivity sections).
    lang : {"en", "fr"}, optional
        As for :func:`html`.
    monte_carlo : MonteCarloResult, optional
        As for :func:`html`.
    timeout : float
        Seconds allowed to the browser.

    Returns
    -------
    bytes
        The PDF document.

    Raises
    ------
    PDFUnavailableError
        No Chromium is installed (see :data:`BROWSERS`), or it failed to
        print: write HTML and print it from a browser instead.

    Examples
    --------
    >>> import impactkit as ik
    >>> from impactkit.report import find_browser
    >>> find_browser() is None or find_browser().startswith("/")
    True
    """
    from impactkit.report._html import html

    return print_page(html(result, lang=lang, monte_carlo=monte_carlo), timeout=timeout)


def print_page(page: str, *, timeout: float = 180.0) -> bytes:
    """Print a self-contained HTML page to PDF with the browser :func:`find_browser` finds.

    The one way impactkit prints: a private profile, no network beyond the
    page, no header or footer (the page's print style sets the paper), and
    ``--no-sandbox`` only when run as root. Single-site and network reports
    both print through it.

    Parameters
    ----------
    page : str
        The HTML page.
    timeout : float, default 180
        Seconds allowed to the browser.

    Returns
    -------
    bytes
        The PDF document.

    Raises
    ------
    PDFUnavailableError
        No browser was found, or it failed to print.

    Examples
    --------
    >>> import os
    >>> from unittest import mock
    >>> with mock.patch.dict(os.environ, {"IMPACTKIT_CHROMIUM": "no-such-browser"}):
    ...     try:
    ...         print_page("<p>x</p>")
    ...     except PDFUnavailableError as exc:
    ...         print("headless" in str(exc))
    True
    """
    import subprocess

    exe = find_browser()
    if exe is None:
        raise PDFUnavailableError(
            "a PDF report needs a headless Chromium, Chrome or Edge (one of "
            + ", ".join(BROWSERS)
            + ", the IMPACTKIT_CHROMIUM variable, or Chrome or Edge at their default "
            "install paths); none was found. Write HTML (-o report.html) and print it "
            "from a browser."
        )
    with tempfile.TemporaryDirectory(prefix="impactkit-pdf-") as tmp:
        source = Path(tmp) / "report.html"
        source.write_text(page, encoding="utf-8")
        out = Path(tmp) / "report.pdf"
        args = [
            exe,
            "--headless",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={out}",
            source.resolve().as_uri(),
        ]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            args.insert(1, "--no-sandbox")  # Chromium refuses its sandbox as root
        try:
            done = subprocess.run(args, capture_output=True, text=True, timeout=timeout)
        except (OSError, subprocess.TimeoutExpired) as exc:
            raise PDFUnavailableError(f"{exe} could not print the report: {exc}") from exc
        if done.returncode != 0 or not out.exists() or out.read_bytes()[:5] != b"%PDF-":
            tail = (done.stderr or "").strip().splitlines()[-3:]
            raise PDFUnavailableError(
                f"{exe} did not print the report (exit {done.returncode}): " + " | ".join(tail)
            )
        return out.read_bytes()
