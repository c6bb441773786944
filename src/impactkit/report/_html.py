"""The report as one self-contained HTML page (inline SVG charts, no remote resource)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit._escape import html_text
from impactkit._i18n import Formatter
from impactkit._version import __version__
from impactkit.methods import SROIResult
from impactkit.report import _caveats
from impactkit.report._content import (
    _HAIRCUTS,
    ReportContent,
    _assumptions,
    _cell,
    _content,
    _discount_text,
    _heading,
    _method,
    _Names,
    _param_labels,
    _tipping_table,
    formatter,
    synthesis,
    tipping_folded,
    years_from,
)

__all__ = ["html"]

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d3557;line-height:1.45;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #a8dadc;padding-bottom:.2rem;
margin-top:2.2rem}.headline{font-size:1.6rem;background:#f1faee;padding:1rem 1.2rem;
border-left:6px solid #457b9d}.muted{color:#6c757d;font-size:.9rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}th,td{border:1px solid #d0d7de;
padding:.25rem .5rem;text-align:left;vertical-align:top}td.num{text-align:right;
white-space:nowrap}th{background:#f6f8fa}svg{max-width:100%;height:auto}
figure{margin:.6rem 0}.scroll{overflow-x:auto;max-width:100%}
table.lineage{font-size:.8rem}table.lineage th{font-weight:normal;width:16rem}
table[data-table=value_map]{font-size:.72rem;width:100%}
table[data-table=value_map] th,table[data-table=value_map] td{padding:.2rem .3rem;
white-space:normal;overflow-wrap:anywhere;hyphens:auto}
table[data-table=value_map] td.num{white-space:normal;overflow-wrap:normal}
section[data-section=synthesis]{background:#f8f9fa;padding:.2rem 1rem;border-radius:4px}
@page{size:A4 landscape;margin:10mm 10mm 14mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:9pt}
.scroll{overflow:visible}
h2+.scroll,h3+.scroll,.scroll{break-before:avoid;page-break-before:avoid}
table{font-size:6.5pt;width:100%;table-layout:auto}
thead{display:table-header-group}
th,td{padding:1px 2px}td.num{white-space:nowrap}
table[data-table=value_map] th{white-space:normal;word-break:normal}
table[data-table=value_map] th,table[data-table=value_map] td{overflow-wrap:break-word}
h2,h3{break-after:avoid;page-break-after:avoid}
tr,figure,pre,table.lineage,table[data-table=key_figures]{break-inside:avoid;
page-break-inside:avoid}
p,li{orphans:3;widows:3}
h2.newpage{break-before:page;page-break-before:always}
svg{max-width:100%;height:auto}
}
"""


def _page_numbers(f: Formatter) -> str:
    """Print CSS numbering the PDF's pages « Page 3 / 12 » at the foot of each page."""
    label = f.t("page").replace('"', "")
    return (
        "@page{@bottom-right{content:"
        f'"{label} " counter(page) " / " counter(pages);'
        "font-size:8pt;color:#6c757d}}"
    )


def _esc(x: Any) -> str:
    """User text for HTML text and attributes (see :mod:`impactkit._escape`)."""
    return html_text(x)


def _table(df: pd.DataFrame, f: Formatter, *, name: str = "") -> str:
    head = "".join(f"<th>{_esc(_heading(str(c), f))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, rec, strict=True):
            text, num = _cell(str(c), v, f)
            raw = f' data-value="{float(v)!r}"' if num else ""
            cls = ' class="num"' if num else ""
            cells.append(f"<td{cls}{raw}>{_esc(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    attr = f' data-table="{_esc(name)}"' if name else ""
    return (
        f"<div class='scroll'><table{attr}><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div>"
    )


def _figure_value(key: str, value: float, text: str) -> str:
    return f'<span class="figure" data-key="{key}" data-value="{value!r}">{_esc(text)}</span>'


def _lineage(result: SROIResult, k: int, names: _Names, row: pd.Series) -> str:
    """One outcome's computation, step by step, in the report's language (``row``: its
    row of ``result.by_outcome``)."""
    f = names.f
    model = result.model
    factor = model.proxy_factor(k) if model is not None else 1.0
    proxy = names.value("proxy", row["proxy_value"])
    if model is not None and factor != 1.0:
        raw = names.value("proxy", row["proxy_value"] / factor)
        proxy = f.t(
            "base_year_prices",
            value=raw,
            year=f.year(row["price_year"]),
            factor=f.number(factor, decimals=4),
            base=model.base_year,
        )
    method = f.t(str(row["drop_off_method"]))
    disc = result.discount
    quantity = names.value("quantity", row["quantity"])
    measured = result.measured.get(k)
    if measured is not None:  # how many records the quantity rests on, and how many were missing
        note = f.t(
            "measured_from",
            n=f.number(measured.n, decimals=0),
            missing=f.number(measured.missing, decimals=0),
        )
        quantity = f"{quantity} ({note})"
    steps = [
        (f.t("quantity"), quantity),
        (f.t("proxy_value"), proxy),
        *[(f.t(h), f.share(float(row[h]))) for h in _HAIRCUTS],
        (f.t("impact_per_year"), f.money(float(row["impact"]), decimals=2)),
        (
            f.t("duration"),
            years_from(float(row["duration"]), int(row["start_year"]), f),
        ),
        (f.t("drop_off"), f"{f.share(float(row['drop_off']))} ({method})"),
        (f.t("discounting"), _discount_text(result, f) or disc),
        (f.t("present_value"), f.money(float(row["present_value"]), decimals=2)),
    ]
    body = "".join(f"<tr><th>{_esc(a)}</th><td>{_esc(b)}</td></tr>" for a, b in steps)
    title = f"{names.outcomes[k]} — {names.stakeholder(row['stakeholder'])}"
    return f"<h3>{_esc(title)}</h3><table class='lineage' data-lineage='{k}'>{body}</table>"


class _Charts:
    """Charts as inline SVG; without the plotting extra, a note in the report's language.

    The first missing chart also raises an :class:`~impactkit.errors.ImpactkitWarning`
    (shown once on the command line); the page says where each chart would be.
    """

    def __init__(self, f: Formatter) -> None:
        self.f = f
        self.warned = False

    def __call__(self, make: Any) -> str:
        try:
            from impactkit.report._charts import to_svg

            fig = make()
        except ImportError:
            note = self.f.t("charts_unavailable")
            if not self.warned:
                import warnings

                from impactkit.errors import ImpactkitWarning

                warnings.warn(note, ImpactkitWarning, stacklevel=4)
                self.warned = True
            return f'<p class="muted" data-note="charts">{_esc(note)}</p>'
        return f"<figure>{to_svg(fig)}</figure>"


def render_html(content: ReportContent) -> str:
    """The report as one self-contained HTML page (no remote resource)."""
    from impactkit.report import _charts as ch

    r, lang = content.result, content.lang
    f = formatter(r, lang)
    _svg_or_note = _Charts(f)
    names = _Names(r, f)
    per = f.money(r.ratio, decimals=2)
    unit = f.money(1.0, decimals=0)
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(f.t('report_title'))} - {_esc(r.model_name)}</title>"
        f"<style>{_CSS}{_page_numbers(f)}</style></head><body>"
    ]
    parts.append(
        f"<h1>{_esc(f.t('report_title'))}</h1><p class='muted'>"
        f"{_esc(r.model_name)} · {_esc(f.t(r.mode))}</p>"
    )
    headline = f.t("headline", value=per, unit=unit)
    parts.append(f'<p class="headline">{_figure_value("ratio", r.ratio, headline)}')
    mc = content.monte_carlo
    if mc is not None:
        lo, hi = mc.interval(0.90)
        colon = " : " if lang == "fr" else ": "
        parts.append(
            "<br><span class='muted'>"
            + _figure_value("interval_low", lo, "")
            + _figure_value("interval_high", hi, "")
            + _esc(f.t("interval", low=f.ratio(lo), high=f.ratio(hi)))
            + " · "
            + _esc(f.t("p_above_1"))
            + colon
            + _figure_value(
                "p_above_1",
                mc.probability_ratio_above(1.0),
                f.share(mc.probability_ratio_above(1.0)),
            )
            + "</span>"
        )
    parts.append("</p>")
    model = r.model
    description = (model.description if model is not None else "") or (
        model.toc.description if model is not None and model.toc is not None else ""
    )
    paras, caveats = synthesis(content, names)
    parts.append(f"<section data-section='synthesis'><h2>{_esc(f.t('synthesis'))}</h2>")
    parts.append("".join(f"<p>{_esc(p)}</p>" for p in paras))
    parts.append(f"<h3>{_esc(f.t('syn_caveats'))}</h3><ul>")
    parts.append("".join(f"<li>{_esc(c)}</li>" for c in caveats) + "</ul></section>")
    parts.append(f"<h2>{_esc(f.t('about'))}</h2>")
    if description:
        parts.append(f"<p data-section='description'>{_esc(f.text(description))}</p>")
    parts.append(_caveats.caveats_html(r, lang))
    parts.append(f"<div data-section='method'><h3>{_esc(f.t('method'))}</h3>")
    parts.append("".join(f"<p>{_esc(p)}</p>" for p in _method(r, f)) + "</div>")
    payback = (
        f.t("not_reached")
        if r.payback_months is None
        else f"{f.number(r.payback_months, decimals=1)} {f.t('months')}"
    )
    figures = [
        ("present_value", r.present_value, f.money(r.present_value)),
        ("total_inputs", r.total_inputs, f.money(r.total_inputs)),
        ("net_present_value", r.net_present_value, f.money(r.net_present_value)),
        ("ratio", r.ratio, f.ratio(r.ratio)),
        ("net_ratio", r.net_ratio, f.number(r.net_ratio)),
    ]
    rows = "".join(
        f"<tr><th>{_esc(f.t(k))}</th><td class='num'>{_figure_value(k, v, txt)}</td></tr>"
        for k, v, txt in figures
    )
    rows += (
        f"<tr><th>{_esc(f.t('payback_months'))}</th><td class='num'>"
        + (
            _figure_value("payback_months", r.payback_months, payback)
            if r.payback_months is not None
            else _esc(payback)
        )
        + "</td></tr>"
    )
    rows += (
        f"<tr><th>{_esc(f.t('discounting'))}</th>"
        f"<td>{_esc(_discount_text(r, f) or r.discount)}</td></tr>"
    )
    parts.append(
        f"<h2>{_esc(f.t('key_figures'))}</h2><table data-table='key_figures'>{rows}</table>"
    )
    parts.append(f"<h2>{_esc(f.t('by_stakeholder'))}</h2>")
    parts.append(_svg_or_note(lambda: ch.by_stakeholder_chart(r, lang)))
    bs = r.by_stakeholder
    bs["stakeholder"] = [names.stakeholder(s) for s in bs["stakeholder"]]
    parts.append(_table(bs, f, name="by_stakeholder"))
    parts.append(_caveats.public_finance_html(r, lang))
    parts.append(f"<h2>{_esc(f.t('by_outcome'))}</h2>")
    bo = r.by_outcome[
        ["outcome", "stakeholder", "quantity", "proxy_value", "impact", "present_value", "share"]
    ].copy()
    bo["outcome"] = names.outcomes
    bo["stakeholder"] = [names.stakeholder(s) for s in bo["stakeholder"]]
    parts.append(_table(bo, f, name="by_outcome"))
    parts.append(f"<h2>{_esc(f.t('by_year'))}</h2>")
    parts.append(_svg_or_note(lambda: ch.by_year_chart(r, lang)))
    parts.append(_table(r.by_year, f, name="by_year"))
    parts.append(f"<h2 class='newpage'>{_esc(f.t('value_map'))}</h2>")
    vm = r.value_map().drop(columns=["label", "indicator", "proxy", "proxy_source"])
    vm["outcome"] = names.outcomes
    vm["stakeholder"] = [names.stakeholder(s) for s in vm["stakeholder"]]
    parts.append(_table(vm, f, name="value_map"))
    parts.append(f"<h2>{_esc(f.t('inputs'))}</h2>")
    inputs = r.inputs
    inputs["stakeholder"] = [names.stakeholder(s) for s in inputs["stakeholder"]]
    parts.append(_table(inputs, f, name="inputs"))
    if model is not None and model.toc is not None and len(model.toc):
        parts.append(f"<h2 class='newpage'>{_esc(f.t('theory_of_change'))}</h2>")
        toc = model.toc
        parts.append(_svg_or_note(lambda: ch.toc_diagram(toc, lang, texts=f.texts)))
    if content.tornado is not None:
        parts.append(f"<h2>{_esc(f.t('sensitivity'))}</h2>")
        tor = content.tornado
        labels = _param_labels(names, tor)
        parts.append(_svg_or_note(lambda: ch.tornado_chart(tor, lang, labels=labels)))
    if content.tipping is not None:
        parts.append(f"<h3>{_esc(f.t('tipping_points'))}</h3>")
        table = _tipping_table(content.tipping, names)
        if len(table):
            parts.append(_table(table, f, name="tipping_points"))
        for sentence in tipping_folded(content.tipping, names, r.ratio):
            parts.append(f"<p data-note='tipping'>{_esc(sentence)}</p>")
    parts.append(f"<h2>{_esc(f.t('monte_carlo'))}</h2>")
    if mc is not None:
        parts.append(_svg_or_note(lambda: ch.mc_histogram(mc, lang)))
    else:
        parts.append(f"<p>{_esc(f.t('no_uncertainty'))}</p>")
    from impactkit.report._voice import voice_html

    parts.append(voice_html(r, lang))
    if content.event_study is not None:
        from impactkit.report._event_study import TEXT as ES
        from impactkit.report._event_study import event_study_chart

        es = content.event_study
        parts.append(f"<h2>{_esc(ES[lang]['title'])}</h2>")
        parts.append(_svg_or_note(lambda: event_study_chart(es, lang=lang)))
        parts.append(_table(es.rename(columns=ES[lang]), f, name="event_study"))
    if content.voi is not None:
        from impactkit.report._decision_charts import _t as dt
        from impactkit.report._decision_charts import evppi_chart

        voi = content.voi
        parts.append(f"<h2>{_esc(dt('evppi', lang))}</h2>")
        parts.append(f"<p>EVPI : {_figure_value('evpi', voi.evpi, f.money(voi.evpi))}</p>")
        parts.append(_svg_or_note(lambda: evppi_chart(voi, lang=lang)))
        parts.append(_table(voi.to_frame(), f, name="evppi"))
    parts.append(f"<h2>{_esc(f.t('assumptions'))}</h2>")
    parts.append(_table(_assumptions(r, names), f, name="assumptions"))
    parts.append(f"<h2>{_esc(f.t('lineage'))}</h2>")
    for k, (_, row) in enumerate(r.by_outcome.iterrows()):
        parts.append(_lineage(r, k, names, row))
    parts.append(f"<p class='muted'>{_esc(f.t('generated_by', version=__version__))}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def html(
    result: SROIResult | ReportContent,
    *,
    lang: str | None = None,
    monte_carlo: Any = None,
) -> str:
    """A self-contained HTML report, as text (:func:`write` writes it to a file).

    The report shows what it is given and computes nothing: pass the content
    of :func:`analyse` for the Monte Carlo and sensitivity sections.

    Parameters
    ----------
    result : SROIResult or ReportContent
        From :func:`analyse`, or an SROI result from :func:`impactkit.sroi`
        (the model it carries gives the theory of change and assumptions).
    lang : {"en", "fr"}, optional
        Language; default that of the content, else the model's, else English.
    monte_carlo : MonteCarloResult, optional
        A simulation to show.

    Returns
    -------
    str
        The HTML. Charts are inline SVG (extra ``plot``); every headline figure
        carries its exact value in a ``data-value`` attribute.

    Raises
    ------
    ValidationError
        When the language is unknown or ``result`` is neither accepted type.

    Examples
    --------
    >>> import impactkit as ik
    >>> model = ik.ImpactModel(name="Accueil de jour", discount=0.0,
    ...     inputs=[ik.Input("Conseil départemental", amount=120_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="crisis_avoided", stakeholder="people",
    ...               quantity=40, proxy=7_500)])
    >>> page = html(ik.sroi(model), lang="fr")
    >>> page.startswith('<!DOCTYPE html><html lang="fr">')
    True
    >>> 'data-key="ratio" data-value="2.5"' in page, "Chiffres clés" in page
    (True, True)

    .. versionchanged:: 0.2
       ``mc_draws`` and ``seed`` are gone: :func:`analyse` runs the simulation.

    .. versionchanged:: 0.2
       ``path`` is gone: :func:`impactkit.report.write` writes a report to a file.
    """
    return render_html(_content(result, lang, monte_carlo))
