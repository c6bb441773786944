"""The one way to write a report to a file: the format from the suffix, written atomically."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from impactkit._atomic import check_target, write_file
from impactkit.errors import OutputPathError
from impactkit.methods import SROIResult
from impactkit.report._content import ReportContent, _content

__all__ = ["SUFFIXES", "write"]

SUFFIXES = {
    ".html": "html",
    ".htm": "html",
    ".md": "markdown",
    ".markdown": "markdown",
    ".pdf": "pdf",
}
"""Report file suffixes (any case) and the format each gives."""


def report_format(path: str | os.PathLike[str]) -> str:
    """The format a report path asks for; any other suffix is refused."""
    suffix = Path(path).suffix.lower()
    if suffix not in SUFFIXES:
        raise OutputPathError(
            f"{path}: a report is written as {', '.join(SUFFIXES)}; "
            f"{suffix or 'no suffix'} is not one of them"
        )
    return SUFFIXES[suffix]


def write(
    result: SROIResult | ReportContent,
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    monte_carlo: Any = None,
    timeout: float = 180.0,
) -> Path:
    """Write a report to ``path``, in the format its suffix names.

    ``.html``/``.htm`` give :func:`html`, ``.md``/``.markdown`` give
    :func:`markdown` and ``.pdf`` gives :func:`pdf` (suffixes in any case);
    any other suffix (``.docx``, ``.txt``) is refused before anything is
    computed. The report is rendered in full first, then written atomically
    (see docs/reference/cli.md, "Output files"): a failure leaves ``path`` as
    it was.

    Parameters
    ----------
    result : SROIResult or ReportContent
        From :func:`analyse`, or an SROI result.
    path : str or path-like
        The file to write; its suffix chooses the format.
    lang : {"en", "fr"}, optional
        Language; default that of the content (which :func:`analyse` takes
        from the model when it is not given), else English.
    monte_carlo : MonteCarloResult, optional
        A simulation to show.
    timeout : float, default 180
        Seconds allowed to the browser printing a PDF.

    Returns
    -------
    pathlib.Path
        The file written.

    Raises
    ------
    OutputPathError
        The suffix is not a report format, or ``path`` is not a regular file.
    PDFUnavailableError
        A PDF was asked for and no headless Chromium could print it.
    ValidationError
        The language is unknown.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)], discount=0.0,
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=10, proxy=250)])
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> write(ik.sroi(m), folder / "rapport.md", lang="fr").read_text(encoding="utf-8")[:34]
    '# Retour social sur investissement'
    >>> from impactkit.errors import OutputPathError
    >>> try:
    ...     write(ik.sroi(m), folder / "rapport.docx")
    ... except OutputPathError as exc:
    ...     print(str(exc).split("; ")[-1])
    .docx is not one of them
    """
    fmt = report_format(path)
    check_target(path)
    content = _content(result, lang, monte_carlo)
    data: str | bytes
    if fmt == "pdf":
        from impactkit.report._pdf import pdf

        data = pdf(content, timeout=timeout)
    elif fmt == "markdown":
        from impactkit.report._markdown import markdown

        data = markdown(content)
    else:
        from impactkit.report._html import html

        data = html(content)
    write_file(path, data)
    return Path(path)
