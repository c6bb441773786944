"""Reports: self-contained HTML and Markdown, charts, French and English.

This package and :mod:`impactkit.io` are the only doors to files.

>>> import impactkit as ik
>>> from impactkit import report
>>> report.t("drop_off", "fr")
'Dégressivité'

Layer: doors (see the architecture page). :func:`analyse` runs the
analyses; :func:`html`, :func:`markdown` and :func:`pdf` present what they
are given, as text or bytes; :func:`write` is the one way to write a report
to a file.
"""

from __future__ import annotations

from impactkit._i18n import LANGS, TEXTS, fmt_money, fmt_number, fmt_pct, fmt_ratio, t
from impactkit.report._charts import (
    by_stakeholder_chart,
    by_year_chart,
    mc_histogram,
    to_svg,
    toc_diagram,
    tornado_chart,
)
from impactkit.report._content import ReportContent, analyse, build
from impactkit.report._decision_charts import ce_plane_chart, ceac_chart, evppi_chart
from impactkit.report._event_study import event_study_chart, event_study_table
from impactkit.report._html import html
from impactkit.report._markdown import markdown
from impactkit.report._network import funnel_chart, member, network
from impactkit.report._pdf import BROWSERS, PDFUnavailableError, find_browser, pdf
from impactkit.report._write import write

__all__ = [
    "BROWSERS",
    "LANGS",
    "TEXTS",
    "PDFUnavailableError",
    "ReportContent",
    "analyse",
    "build",
    "by_stakeholder_chart",
    "by_year_chart",
    "ce_plane_chart",
    "ceac_chart",
    "event_study_chart",
    "event_study_table",
    "evppi_chart",
    "find_browser",
    "fmt_money",
    "fmt_number",
    "fmt_pct",
    "fmt_ratio",
    "funnel_chart",
    "html",
    "markdown",
    "mc_histogram",
    "member",
    "network",
    "pdf",
    "t",
    "to_svg",
    "toc_diagram",
    "tornado_chart",
    "write",
]
