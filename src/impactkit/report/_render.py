"""Self-contained HTML and Markdown reports of an SROI result."""

from __future__ import annotations

import math
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import attrs
import pandas as pd

from impactkit._atomic import write_file
from impactkit._results import Summary, displayed, jsonable
from impactkit._version import __version__
from impactkit.errors import ImpactkitError, ValidationError
from impactkit.methods._sroi import SROIResult
from impactkit.model import ImpactModel
from impactkit.report import _caveats
from impactkit.report._escape import html_text, md_text
from impactkit.report._event_study import event_study_table
from impactkit.report._i18n import fmt_money, fmt_number, fmt_pct, fmt_ratio, t
from impactkit.typing import SeedLike

__all__ = [
    "BROWSERS",
    "PDFUnavailableError",
    "ReportContent",
    "analyse",
    "build",
    "find_browser",
    "html",
    "markdown",
    "pdf",
]

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
@page{size:A4 landscape;margin:10mm}
@media print{
body{max-width:none;margin:0;padding:0;font-size:9pt}
.scroll{overflow:visible}
table{font-size:6.5pt;width:100%;table-layout:auto}
th,td{padding:1px 2px}td.num{white-space:nowrap}
table[data-table=value_map] th{white-space:normal;word-break:normal}
h2{break-after:avoid;page-break-after:avoid}
tr,figure,pre{break-inside:avoid;page-break-inside:avoid}
h2.newpage{break-before:page;page-break-before:always}
svg{max-width:100%;height:auto}
}
"""

_MONEY = {
    "present_value",
    "impact",
    "proxy_value",
    "total_value",
    "amount",
    "value",
    "cumulative_present_value",
    "net_present_value",
    "total_inputs",
}
_PCT = {"share", "deadweight", "displacement", "attribution", "leakage", "drop_off"}


def _esc(x: Any) -> str:
    """User text for HTML text and attributes (see :mod:`impactkit.report._escape`)."""
    return html_text(x)


def _cell(col: str, v: Any, lang: str, currency: str) -> tuple[str, bool]:
    if v is None or (isinstance(v, float) and v != v):
        return "", False
    if isinstance(v, bool):
        return t("yes" if v else "no", lang), False
    if isinstance(v, int | float) and not isinstance(v, bool):
        if col in _MONEY or col.startswith("year_"):
            return fmt_money(float(v), currency, lang), True
        if col in _PCT:
            return _pct(float(v), lang), True
        if col in ("discount_factor",):
            return fmt_number(float(v), lang, decimals=4), True
        return fmt_number(float(v), lang, decimals=0 if float(v).is_integer() else 2), True
    return str(v), False


def _heading(col: str, lang: str) -> str:
    if col.startswith("year_") and col[5:].isdigit():
        return t("year_n", lang, n=int(col[5:]))
    try:
        return t(col, lang)
    except KeyError:
        return col


def _table(df: pd.DataFrame, lang: str, currency: str, *, name: str = "") -> str:
    head = "".join(f"<th>{_esc(_heading(str(c), lang))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, rec, strict=True):
            text, num = _cell(str(c), v, lang, currency)
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


@displayed(headline=("SROI ratio", "Present value", "Net present value"))
@attrs.frozen
class ReportContent:
    """Everything a report shows, computed once (so HTML and Markdown agree).

    Made by :func:`analyse` (which runs the analyses) or :func:`build` (which
    only packages what it is given); :func:`html` and :func:`markdown` show it.

    Parameters
    ----------
    result : SROIResult
        The SROI to report.
    monte_carlo : MonteCarloResult or None
        A simulation to show.
    tornado, tipping : DataFrame or None
        From :func:`impactkit.uncertainty.tornado` and
        :func:`impactkit.uncertainty.tipping_points`.
    lang : {"en", "fr"}
        Language of the report.
    voi : VOIResult or None
        Parameters ranked by EVPPI for the fund / do-not-fund decision.
    event_study : pandas.DataFrame or None
        Effects by time since adoption of a staggered rollout
        (:func:`impactkit.report.event_study_table`), shown with its chart.

    Examples
    --------
    A day-care service whose number of crises avoided is uncertain
    (illustrative figures); :func:`analyse` runs what the report shows:

    >>> import impactkit as ik
    >>> model = ik.ImpactModel(name="Accueil de jour", discount=0.0,
    ...     inputs=[ik.Input("Conseil départemental", amount=120_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="crisis_avoided", stakeholder="people",
    ...               quantity=ik.dist.Uniform(30, 50), proxy=7_500)])
    >>> content = analyse(model, lang="fr", mc_draws=500, seed=1)
    >>> content.lang, round(content.result.ratio, 2), content.monte_carlo.n
    ('fr', 2.5, 500)
    >>> lines = dict(content.summary().lines)
    >>> lines["SROI ratio"], lines["90% interval"]
    ('2.50 : 1', '1.94 - 3.03')
    >>> sorted(content.to_dict())
    ['lang', 'monte_carlo', 'sroi', 'tipping', 'tornado']
    """

    result: SROIResult
    monte_carlo: Any = None
    tornado: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)
    tipping: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)
    lang: str = "en"
    voi: Any = attrs.field(default=None, eq=False, repr=False)
    event_study: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)

    def to_frame(self) -> pd.DataFrame:
        """The SROI's tidy table (see :meth:`SROIResult.to_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        return self.result.to_frame()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: every analysis the report shows.

        Returns
        -------
        dict
            ``lang``, ``sroi``, ``monte_carlo`` (or None), ``tornado`` and
            ``tipping`` (records, or None).
        """
        mc = self.monte_carlo
        out: dict[str, Any] = jsonable(
            {
                "lang": self.lang,
                "sroi": self.result.to_dict(),
                "monte_carlo": None if mc is None else mc.to_dict(),
                "tornado": self.tornado,
                "tipping": self.tipping,
            }
        )
        return out

    def summary(self) -> Summary:
        """The SROI's headline figures and, when there is one, the simulation's.

        Returns
        -------
        Summary
        """
        lines = self.result.summary().lines
        if self.monte_carlo is not None:
            lines = lines + self.monte_carlo.summary().lines
        return Summary(f"Report - {self.result.model_name}", lines)


def build(
    result: SROIResult,
    *,
    lang: str = "en",
    monte_carlo: Any = None,
    tornado: pd.DataFrame | None = None,
    tipping: pd.DataFrame | None = None,
) -> ReportContent:
    """Package what a report shows, computing nothing.

    Parameters
    ----------
    result : SROIResult
        The SROI to report.
    lang : {"en", "fr"}
        Language of the report.
    monte_carlo : MonteCarloResult, optional
        A simulation to show.
    tornado, tipping : DataFrame, optional
        Sensitivity tables to show.

    Returns
    -------
    ReportContent

    Raises
    ------
    ValidationError
        When ``result`` is not an SROIResult or the language is unknown.

    Examples
    --------
    A result and a simulation computed elsewhere, packaged for a French report
    (illustrative figures):

    >>> import impactkit as ik
    >>> model = ik.ImpactModel(name="Accueil de jour", discount=0.0,
    ...     inputs=[ik.Input("Conseil départemental", amount=120_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="crisis_avoided", stakeholder="people",
    ...               quantity=ik.dist.Uniform(30, 50), proxy=7_500)])
    >>> mc = ik.uncertainty.monte_carlo(model, n=500, seed=1)
    >>> content = build(ik.sroi(model), lang="fr", monte_carlo=mc)
    >>> content.monte_carlo.n, content.tornado is None  # nothing computed here
    (500, True)
    >>> print(markdown(content).splitlines()[4])
    intervalle à 90 % de 1,94 pour 1 à 3,03 pour 1

    .. versionchanged:: 0.2
       No longer runs a Monte Carlo or the sensitivity analyses: :func:`analyse` does.
    """
    t("ratio", lang)  # checks the language
    if not isinstance(result, SROIResult):
        raise ValidationError(
            f"expected an SROIResult, got {type(result).__name__}", path=("result",), code="type"
        )
    return ReportContent(result, monte_carlo, tornado, tipping, lang)


def _voi(monte_carlo: Any, wanted: bool) -> Any:
    samples = getattr(monte_carlo, "samples", None) if wanted else None
    if samples is None or not len(samples.columns):
        return None
    from impactkit.uncertainty import value_of_information

    return value_of_information(monte_carlo.net_present_value, samples, n_bootstrap=20)


def analyse(
    model: ImpactModel,
    *,
    data: Mapping[str, Any] | None = None,
    lang: str = "en",
    mc_draws: int = 10_000,
    seed: SeedLike = None,
    sensitivity: bool = True,
    progress: Callable[[int, int], None] | None = None,
    value_of_information: bool = False,
    event_study: Any = None,
) -> ReportContent:
    """Run every analysis a report shows: SROI, Monte Carlo, tornado and tipping points.

    The one place where a report's figures are computed; :func:`html` and
    :func:`markdown` only present its content, so both show the same numbers.

    Parameters
    ----------
    model : ImpactModel
        The analysis.
    data : mapping of str to DataFrame, optional
        Data sources for measured quantities.
    lang : {"en", "fr"}
        Language of the report.
    mc_draws : int, default 10,000
        Monte Carlo draws, run when the model has distributions; 0 for none.
    seed : int, SeedSequence, Generator or None
        Seed of the draws (the entropy used is recorded on the Monte Carlo result).
    sensitivity : bool, default True
        Compute the tornado and the tipping points.
    progress : callable, optional
        Passed to :func:`impactkit.monte_carlo`.
    value_of_information : bool, default False
        Keep the Monte Carlo samples and rank the uncertain parameters by EVPPI
        (the value of learning each before deciding to fund) for the report.
    event_study : StaggeredResult, EventStudyResult or pandas.DataFrame, optional
        A staggered rollout's event study (e.g. of the programme's deadweight
        evidence) to show as a chart and a table.

    Returns
    -------
    ReportContent

    Raises
    ------
    ValidationError
        When the model cannot be evaluated or the language is unknown.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)], discount=0.0,
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s",
    ...               quantity=ik.dist.Uniform(8, 12), proxy=250)])
    >>> content = analyse(m, mc_draws=1000, seed=0)
    >>> round(content.result.ratio, 2), content.monte_carlo.n, len(content.tornado) > 0
    (2.5, 1000, True)
    """
    from impactkit.methods import sroi

    t("ratio", lang)  # checks the language before any work
    result = sroi(model, data=data)
    bound = result.model
    tornado = tipping = monte_carlo = None
    if bound is not None and sensitivity:
        from impactkit.uncertainty import tipping_points
        from impactkit.uncertainty import tornado as tornado_fn

        tornado = tornado_fn(bound)
        tipping = tipping_points(bound)
    if bound is not None and bound.has_uncertainty and mc_draws:
        from impactkit.uncertainty import monte_carlo as mc_fn

        monte_carlo = mc_fn(
            bound, n=mc_draws, seed=seed, progress=progress, keep_samples=value_of_information
        )
    return ReportContent(
        result,
        monte_carlo,
        tornado,
        tipping,
        lang,
        _voi(monte_carlo, value_of_information),
        None if event_study is None else event_study_table(event_study),
    )


def _content(
    result: SROIResult | ReportContent, lang: str | None, monte_carlo: Any
) -> ReportContent:
    """What to show: the given content, or a result packaged as it is."""
    if isinstance(result, ReportContent):
        if lang is not None:
            t("ratio", lang)  # checks the language
        return ReportContent(
            result.result,
            result.monte_carlo if monte_carlo is None else monte_carlo,
            result.tornado,
            result.tipping,
            result.lang if lang is None else lang,
            result.voi,
            result.event_study,
        )
    return build(result, lang="en" if lang is None else lang, monte_carlo=monte_carlo)


_FIELD_KEYS = {"proxy": "proxy_value", "amount": "amount_of", "rate": "discount_rate"}


def _pct(x: float, lang: str) -> str:
    """A share as ``30 %``, or ``12,5 %`` when it is not a whole percentage."""
    whole = math.isfinite(x) and abs(round(100 * x, 1) - round(100 * x)) < 1e-9
    return fmt_pct(x, lang, decimals=0 if whole else 1)


class _Names:
    """Labels of a result's stakeholders, outcomes, inputs and parameters."""

    def __init__(self, result: SROIResult, lang: str) -> None:
        self.lang = lang
        model = result.model
        toc = model.toc if model is not None else None
        self.stakeholders = {s.id: s.label or s.id for s in toc.stakeholders} if toc else {}
        nodes = {n.id: n.label for n in toc.nodes} if toc is not None else {}
        bo = result.by_outcome
        self.outcomes = [
            str(lbl) if lbl else nodes.get(str(o), str(o))
            for o, lbl in zip(bo["outcome"], bo["label"], strict=True)
        ]
        self.inputs = [str(x) for x in result.inputs["label"]]

    def stakeholder(self, sid: Any) -> str:
        return self.stakeholders.get(str(sid), str(sid))

    def parameter(self, kind: str, row: Any) -> str:
        head = t(_FIELD_KEYS.get(kind, kind), self.lang)
        if kind == "rate":
            return head
        names = self.inputs if kind == "amount" else self.outcomes
        i = int(row)
        return f"{head} — {names[i]}" if 0 <= i < len(names) else head

    def value(self, kind: str, x: Any, currency: str) -> str:
        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return ""
        x = float(x)
        if kind in _PCT or kind == "rate":
            return _pct(x, self.lang)
        if kind in ("proxy", "amount"):
            return fmt_money(x, currency, self.lang, decimals=0 if x.is_integer() else 2)
        return fmt_number(x, self.lang, decimals=0 if x.is_integer() else 2)


def _param_labels(names: _Names, table: pd.DataFrame) -> dict[str, str]:
    return {
        str(p): names.parameter(str(k), r)
        for p, k, r in zip(table["parameter"], table["kind"], table["row"], strict=True)
    }


def _tipping_note(row: Any, names: _Names, currency: str) -> str:
    import re

    lang = names.lang
    if row.attainable:
        return ""
    note = str(row.note)
    bounds = re.search(r"\[([^,\]]+), ([^\]]+)\]", note)

    def bound(text: str) -> str:
        x = float(text)
        return t("no_limit", lang) if not math.isfinite(x) else names.value(row.kind, x, currency)

    lo, hi = (bound(bounds.group(1)), bound(bounds.group(2))) if bounds else ("", "")
    span = t("range_from_to", lang, lo=lo, hi=hi)
    if hi == t("no_limit", lang):
        span = t("range_at_least", lang, lo=lo)
    if "does not depend" in note:
        return t("tip_no_effect", lang)
    if "stays above" in note:
        return t("tip_stays_above", lang, span=span)
    if "stays below" in note:
        return t("tip_stays_below", lang, span=span)
    sol = re.search(r"solution (\S+) is outside", note)
    if sol:
        x = names.value(row.kind, float(sol.group(1)), currency)
        return t("tip_outside", lang, x=x, span=span)
    return note


def _tipping_table(tipping: pd.DataFrame, names: _Names, currency: str) -> pd.DataFrame:
    lang = names.lang
    rows = []
    for row in tipping.itertuples(index=False):
        rows.append(
            {
                t("parameter", lang): names.parameter(str(row.kind), row.row),
                t("base_value", lang): names.value(str(row.kind), row.base_value, currency),
                t("tipping_value", lang): names.value(str(row.kind), row.tipping_value, currency),
                t("attainable", lang): t("yes" if row.attainable else "no", lang),
                t("note", lang): _tipping_note(row, names, currency),
            }
        )
    return pd.DataFrame(rows)


def _evidence(code: str, lang: str) -> str:
    if not code:
        return ""
    try:
        return t(f"ev_{code}", lang)
    except KeyError:
        return code


def _assumptions(result: SROIResult, lang: str, names: _Names | None = None) -> pd.DataFrame:
    model = result.model
    names = names or _Names(result, lang)
    cur = result.currency
    rows = []
    if model is None:
        return pd.DataFrame()
    bo = result.by_outcome  # a copy each time it is asked for: once here
    for k, ov in enumerate(model.outcomes):
        rows.append(
            {
                "outcome": names.outcomes[k],
                "parameter": t("proxy_value", lang),
                "value": names.value("proxy", bo["proxy_value"][k], cur),
                "source": ov.proxy.source,
                "evidence": _evidence(ov.evidence.get("proxy", ""), lang),
                "price_year": ov.proxy.year,
            }
        )
        for f in (
            "quantity",
            "deadweight",
            "displacement",
            "attribution",
            "leakage",
            "drop_off",
            "duration",
        ):
            src = ov.sources.get(f, "")
            ev = ov.evidence.get(f, "")
            if src or ev or f == "deadweight":
                rows.append(
                    {
                        "outcome": names.outcomes[k],
                        "parameter": t(f, lang),
                        "value": names.value(f, bo[f][k], cur),
                        "source": src,
                        "evidence": _evidence(ev, lang),
                        "price_year": None,
                    }
                )
    return pd.DataFrame(
        rows, columns=["outcome", "parameter", "value", "source", "evidence", "price_year"]
    )


def _lineage(result: SROIResult, k: int, names: _Names, row: pd.Series) -> str:
    """One outcome's computation, step by step, in the report's language (``row``: its
    row of ``result.by_outcome``)."""
    lang, cur = names.lang, result.currency
    model = result.model
    factor = model.proxy_factor(k) if model is not None else 1.0
    proxy = names.value("proxy", row["proxy_value"], cur)
    if model is not None and factor != 1.0:
        raw = names.value("proxy", row["proxy_value"] / factor, cur)
        proxy = t(
            "base_year_prices",
            lang,
            value=raw,
            year=row["price_year"],
            factor=fmt_number(factor, lang, decimals=4),
            base=model.base_year,
        )
    method = t(str(row["drop_off_method"]), lang)
    disc = result.discount
    quantity = names.value("quantity", row["quantity"], cur)
    measured = result.measured.get(k)
    if measured is not None:  # how many records the quantity rests on, and how many were missing
        note = t(
            "measured_from",
            lang,
            n=fmt_number(measured.n, lang, decimals=0),
            missing=fmt_number(measured.missing, lang, decimals=0),
        )
        quantity = f"{quantity} ({note})"
    steps = [
        (t("quantity", lang), quantity),
        (t("proxy_value", lang), proxy),
        *[(t(f, lang), _pct(float(row[f]), lang)) for f in _HAIRCUTS],
        (t("impact_per_year", lang), fmt_money(float(row["impact"]), cur, lang, decimals=2)),
        (
            t("duration", lang),
            t(
                "from_year",
                lang,
                n=fmt_number(float(row["duration"]), lang, decimals=0),
                start=int(row["start_year"]),
            ),
        ),
        (t("drop_off", lang), f"{_pct(float(row['drop_off']), lang)} ({method})"),
        (t("discounting", lang), _discount_text(result, lang) or disc),
        (t("present_value", lang), fmt_money(float(row["present_value"]), cur, lang, decimals=2)),
    ]
    body = "".join(f"<tr><th>{_esc(a)}</th><td>{_esc(b)}</td></tr>" for a, b in steps)
    title = f"{names.outcomes[k]} — {names.stakeholder(row['stakeholder'])}"
    return f"<h3>{_esc(title)}</h3><table class='lineage' data-lineage='{k}'>{body}</table>"


_HAIRCUTS = ("deadweight", "displacement", "attribution", "leakage")


def _discount_text(result: SROIResult, lang: str) -> str:
    from impactkit.discount import Constant

    model = result.model
    if model is None:
        return ""
    d = model.discount
    timing = t(f"timing_{result.first_flow_at}", lang)
    if isinstance(d, Constant):
        from impactkit.dist import central

        rate = fmt_pct(central(d.rate), lang, decimals=1)
    else:
        rate = " ; ".join(
            f"{_pct(r, lang)} ({t('year', lang).lower()} ≥ {y})" for y, r in d.bands[:3]
        )
    name = f" ({d.name})" if d.name else ""
    return f"{rate}{name} ; {timing}" if lang == "fr" else f"{rate}{name}; {timing}"


def _method(result: SROIResult, lang: str) -> str:
    model = result.model
    base = (
        str(model.base_year) if model is not None and model.base_year else t("the_base_year", lang)
    )
    paras = [
        t("method_what", lang),
        t(f"method_{result.mode}", lang),
        t("method_impact", lang, drop_off=t("drop_off_compound", lang), base_year=base),
        t(
            "method_discount",
            lang,
            rate=_discount_text(result, lang).split(" ;")[0].split(";")[0],
            timing=t(f"timing_{result.first_flow_at}", lang),
        ),
        t("method_limits", lang),
    ]
    return "".join(f"<p>{_esc(p)}</p>" for p in paras)


def _labelled(df: pd.DataFrame, names: _Names) -> pd.DataFrame:
    """A copy with stakeholder and outcome labels instead of their ids."""
    out = df.copy()
    if "stakeholder" in out.columns:
        out["stakeholder"] = [names.stakeholder(s) for s in out["stakeholder"]]
    if "outcome" in out.columns and len(out) == len(names.outcomes):
        out["outcome"] = names.outcomes
    return out


def _svg_or_note(make: Any) -> str:
    try:
        from impactkit.report._charts import to_svg

        fig = make()
    except ImportError as exc:
        return f'<p class="muted">{_esc(exc)}</p>'
    return f"<figure>{to_svg(fig)}</figure>"


def render_html(content: ReportContent) -> str:
    """The report as one self-contained HTML page (no remote resource)."""
    from impactkit.report import _charts as ch

    r, lang = content.result, content.lang
    cur = r.currency
    names = _Names(r, lang)
    per = fmt_money(r.ratio, cur, lang, decimals=2)
    unit = fmt_money(1.0, cur, lang, decimals=0)
    parts = [
        f'<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_esc(t('report_title', lang))} - {_esc(r.model_name)}</title>"
        f"<style>{_CSS}</style></head><body>"
    ]
    parts.append(
        f"<h1>{_esc(t('report_title', lang))}</h1><p class='muted'>"
        f"{_esc(r.model_name)} · {_esc(t(r.mode, lang))}</p>"
    )
    headline = t("headline", lang, value=per, unit=unit)
    parts.append(f'<p class="headline">{_figure_value("ratio", r.ratio, headline)}')
    mc = content.monte_carlo
    if mc is not None:
        lo, hi = mc.interval(0.90)
        colon = " : " if lang == "fr" else ": "
        parts.append(
            "<br><span class='muted'>"
            + _figure_value("interval_low", lo, "")
            + _figure_value("interval_high", hi, "")
            + _esc(t("interval", lang, low=fmt_ratio(lo, lang), high=fmt_ratio(hi, lang)))
            + " · "
            + _esc(t("p_above_1", lang))
            + colon
            + _figure_value(
                "p_above_1",
                mc.probability_ratio_above(1.0),
                _pct(mc.probability_ratio_above(1.0), lang),
            )
            + "</span>"
        )
    parts.append("</p>")
    model = r.model
    description = (model.description if model is not None else "") or (
        model.toc.description if model is not None and model.toc is not None else ""
    )
    parts.append(f"<h2>{_esc(t('about', lang))}</h2>")
    if description:
        parts.append(f"<p data-section='description'>{_esc(description)}</p>")
    parts.append(_caveats.caveats_html(r, lang))
    parts.append(f"<div data-section='method'><h3>{_esc(t('method', lang))}</h3>")
    parts.append(_method(r, lang) + "</div>")
    payback = (
        t("not_reached", lang)
        if r.payback_months is None
        else f"{fmt_number(r.payback_months, lang, decimals=1)} {t('months', lang)}"
    )
    figures = [
        ("present_value", r.present_value, fmt_money(r.present_value, cur, lang)),
        ("total_inputs", r.total_inputs, fmt_money(r.total_inputs, cur, lang)),
        ("net_present_value", r.net_present_value, fmt_money(r.net_present_value, cur, lang)),
        ("ratio", r.ratio, fmt_ratio(r.ratio, lang)),
        ("net_ratio", r.net_ratio, fmt_number(r.net_ratio, lang)),
    ]
    rows = "".join(
        f"<tr><th>{_esc(t(k, lang))}</th><td class='num'>{_figure_value(k, v, txt)}</td></tr>"
        for k, v, txt in figures
    )
    rows += (
        f"<tr><th>{_esc(t('payback_months', lang))}</th><td class='num'>"
        + (
            _figure_value("payback_months", r.payback_months, payback)
            if r.payback_months is not None
            else _esc(payback)
        )
        + "</td></tr>"
    )
    rows += (
        f"<tr><th>{_esc(t('discounting', lang))}</th>"
        f"<td>{_esc(_discount_text(r, lang) or r.discount)}</td></tr>"
    )
    parts.append(
        f"<h2>{_esc(t('key_figures', lang))}</h2><table data-table='key_figures'>{rows}</table>"
    )
    parts.append(f"<h2>{_esc(t('by_stakeholder', lang))}</h2>")
    parts.append(_svg_or_note(lambda: ch.by_stakeholder_chart(r, lang)))
    bs = r.by_stakeholder
    bs["stakeholder"] = [names.stakeholder(s) for s in bs["stakeholder"]]
    parts.append(_table(bs, lang, cur, name="by_stakeholder"))
    parts.append(_caveats.public_finance_html(r, lang))
    parts.append(f"<h2>{_esc(t('by_outcome', lang))}</h2>")
    bo = r.by_outcome[
        ["outcome", "stakeholder", "quantity", "proxy_value", "impact", "present_value", "share"]
    ].copy()
    bo["outcome"] = names.outcomes
    bo["stakeholder"] = [names.stakeholder(s) for s in bo["stakeholder"]]
    parts.append(_table(bo, lang, cur, name="by_outcome"))
    parts.append(f"<h2>{_esc(t('by_year', lang))}</h2>")
    parts.append(_svg_or_note(lambda: ch.by_year_chart(r, lang)))
    parts.append(_table(r.by_year, lang, cur, name="by_year"))
    parts.append(f"<h2 class='newpage'>{_esc(t('value_map', lang))}</h2>")
    vm = r.value_map().drop(columns=["label", "indicator", "proxy", "proxy_source"])
    vm["outcome"] = names.outcomes
    vm["stakeholder"] = [names.stakeholder(s) for s in vm["stakeholder"]]
    parts.append(_table(vm, lang, cur, name="value_map"))
    parts.append(f"<h2>{_esc(t('inputs', lang))}</h2>")
    inputs = r.inputs
    inputs["stakeholder"] = [names.stakeholder(s) for s in inputs["stakeholder"]]
    parts.append(_table(inputs, lang, cur, name="inputs"))
    if model is not None and model.toc is not None and len(model.toc):
        parts.append(f"<h2 class='newpage'>{_esc(t('theory_of_change', lang))}</h2>")
        toc = model.toc
        parts.append(_svg_or_note(lambda: ch.toc_diagram(toc, lang)))
    if content.tornado is not None:
        parts.append(f"<h2>{_esc(t('sensitivity', lang))}</h2>")
        tor = content.tornado
        labels = _param_labels(names, tor)
        parts.append(_svg_or_note(lambda: ch.tornado_chart(tor, lang, labels=labels)))
    if content.tipping is not None:
        parts.append(f"<h3>{_esc(t('tipping_points', lang))}</h3>")
        parts.append(
            _table(_tipping_table(content.tipping, names, cur), lang, cur, name="tipping_points")
        )
    parts.append(f"<h2>{_esc(t('monte_carlo', lang))}</h2>")
    if mc is not None:
        parts.append(_svg_or_note(lambda: ch.mc_histogram(mc, lang)))
    else:
        parts.append(f"<p>{_esc(t('no_uncertainty', lang))}</p>")
    from impactkit.report._voice import voice_html

    parts.append(voice_html(r, lang))
    if content.event_study is not None:
        from impactkit.report._event_study import TEXT as ES
        from impactkit.report._event_study import event_study_chart

        es = content.event_study
        parts.append(f"<h2>{_esc(ES[lang]['title'])}</h2>")
        parts.append(_svg_or_note(lambda: event_study_chart(es, lang=lang)))
        parts.append(_table(es.rename(columns=ES[lang]), lang, cur, name="event_study"))
    if content.voi is not None:
        from impactkit.report._decision_charts import _t as dt
        from impactkit.report._decision_charts import evppi_chart

        voi = content.voi
        parts.append(f"<h2>{_esc(dt('evppi', lang))}</h2>")
        parts.append(
            f"<p>EVPI : {_figure_value('evpi', voi.evpi, fmt_money(voi.evpi, cur, lang))}</p>"
        )
        parts.append(_svg_or_note(lambda: evppi_chart(voi, lang=lang)))
        parts.append(_table(voi.to_frame(), lang, cur, name="evppi"))
    parts.append(f"<h2>{_esc(t('assumptions', lang))}</h2>")
    parts.append(_table(_assumptions(r, lang, names), lang, cur, name="assumptions"))
    parts.append(f"<h2>{_esc(t('lineage', lang))}</h2>")
    for k, (_, row) in enumerate(r.by_outcome.iterrows()):
        parts.append(_lineage(r, k, names, row))
    parts.append(f"<p class='muted'>{_esc(t('generated_by', lang, version=__version__))}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def html(
    result: SROIResult | ReportContent,
    path: str | os.PathLike[str] | None = None,
    *,
    lang: str | None = None,
    monte_carlo: Any = None,
) -> str:
    """Write a self-contained HTML report; return its text.

    The report shows what it is given and computes nothing: pass the content
    of :func:`analyse` for the Monte Carlo and sensitivity sections.

    Parameters
    ----------
    result : SROIResult or ReportContent
        From :func:`analyse`, or an SROI result from :func:`impactkit.sroi`
        (the model it carries gives the theory of change and assumptions).
    path : str or path-like, optional
        Where to write; nothing is written when None. The page is built in
        full first and written atomically: a failure leaves no partial file.
    lang : {"en", "fr"}, optional
        Language; default that of the content, else English.
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
    """
    content = _content(result, lang, monte_carlo)
    text = render_html(content)
    if path is not None:
        write_file(path, text)
    return text


class PDFUnavailableError(ImpactkitError):
    """No headless Chromium to print a PDF report with."""


BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
"""Programs tried, in order, to print a PDF (or the ``IMPACTKIT_CHROMIUM`` variable)."""


def find_browser() -> str | None:
    """The headless Chromium used for PDF reports, or None when there is none.

    The program named by the ``IMPACTKIT_CHROMIUM`` environment variable when it
    is set (and only it), otherwise the first of :data:`BROWSERS` on the ``PATH``.

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
    return None


def pdf(
    result: SROIResult | ReportContent,
    path: str | os.PathLike[str],
    *,
    lang: str | None = None,
    monte_carlo: Any = None,
    timeout: float = 180.0,
) -> None:
    """Write the HTML report printed to PDF (A4 landscape) by a headless Chromium.

    Parameters
    ----------
    result : SROIResult or ReportContent
        As for :func:`html` (the content of :func:`analyse` for the Monte
        Carlo and sensitivity sections).
    path : str or path-like
        The ``.pdf`` file; written only when printing succeeded.
    lang : {"en", "fr"}, optional
        As for :func:`html`.
    monte_carlo : MonteCarloResult, optional
        As for :func:`html`.
    timeout : float
        Seconds allowed to the browser.

    Returns
    -------
    None

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
    import subprocess

    exe = find_browser()
    if exe is None:
        raise PDFUnavailableError(
            "a PDF report needs a headless Chromium (one of "
            + ", ".join(BROWSERS)
            + ", or the IMPACTKIT_CHROMIUM variable); none was found. Write HTML "
            "(-o report.html) and print it from a browser, or install Chromium."
        )
    text = html(result, None, lang=lang, monte_carlo=monte_carlo)
    target = Path(path)
    with tempfile.TemporaryDirectory(prefix="impactkit-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(text, encoding="utf-8")
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
            page.resolve().as_uri(),
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
        write_file(target, out.read_bytes())


def _md(x: Any) -> str:
    """User text as inert one-line Markdown (see :mod:`impactkit.report._escape`)."""
    return md_text(x)


def _md_table(df: pd.DataFrame, lang: str, currency: str) -> str:
    cols = [_md(_heading(str(c), lang)) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for rec in df.itertuples(index=False):
        cells = [
            _md(_cell(str(c), v, lang, currency)[0]) for c, v in zip(df.columns, rec, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(
    result: SROIResult | ReportContent, *, lang: str | None = None, monte_carlo: Any = None
) -> str:
    """The report as Markdown text (no charts), in French or English.

    Shows what it is given, as :func:`html` does (same arguments, same defaults).

    Parameters
    ----------
    result : SROIResult or ReportContent
        From :func:`analyse`, or an SROI result.
    lang : {"en", "fr"}, optional
        Language; default that of the content, else English.
    monte_carlo : MonteCarloResult, optional
        A simulation to show.

    Returns
    -------
    str
        The Markdown text.

    Raises
    ------
    ValidationError
        When the language is unknown.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)], discount=0.0,
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=10, proxy=250)])
    >>> print(markdown(ik.sroi(m), lang="fr").splitlines()[2].replace("\xa0", " "))
    **2,50 € de valeur sociale pour 1 € investi**
    """
    content = _content(result, lang, monte_carlo)
    lang = content.lang
    r = content.result
    cur = r.currency
    names = _Names(r, lang)
    out = [f"# {t('report_title', lang)} - {_md(r.model_name)}", ""]
    out.append(
        "**"
        + t(
            "headline",
            lang,
            value=fmt_money(r.ratio, cur, lang, decimals=2),
            unit=fmt_money(1.0, cur, lang),
        )
        + "**"
    )
    mc = content.monte_carlo
    if mc is not None:
        lo, hi = mc.interval(0.90)
        out.append("")
        out.append(t("interval", lang, low=fmt_ratio(lo, lang), high=fmt_ratio(hi, lang)))
    out += ["", f"## {t('key_figures', lang)}", ""]
    out.append(
        _md_table(
            pd.DataFrame(
                {
                    t("parameter", lang): [
                        t(k, lang)
                        for k in ("present_value", "total_inputs", "net_present_value", "ratio")
                    ],
                    t("value", lang): [
                        fmt_money(r.present_value, cur, lang),
                        fmt_money(r.total_inputs, cur, lang),
                        fmt_money(r.net_present_value, cur, lang),
                        fmt_ratio(r.ratio, lang),
                    ],
                }
            ),
            lang,
            cur,
        )
    )
    out += ["", *_caveats.caveats_markdown(r, lang)]
    out += [
        f"## {t('by_stakeholder', lang)}",
        "",
        _md_table(_labelled(r.by_stakeholder, names), lang, cur),
        "",
        *_caveats.public_finance_markdown(r, lang),
        f"## {t('by_outcome', lang)}",
        "",
        _md_table(
            _labelled(
                r.by_outcome[
                    [
                        "outcome",
                        "stakeholder",
                        "quantity",
                        "proxy_value",
                        "impact",
                        "present_value",
                        "share",
                    ]
                ],
                names,
            ),
            lang,
            cur,
        ),
        "",
    ]
    from impactkit.report._voice import voice_markdown

    out += voice_markdown(r, lang)
    if content.event_study is not None:
        from impactkit.report._event_study import TEXT as ES

        es = content.event_study.rename(columns=ES[lang])
        out += [f"## {_md(ES[lang]['title'])}", "", _md_table(es, lang, cur), ""]
    if content.tipping is not None:
        out += [
            f"## {t('tipping_points', lang)}",
            "",
            _md_table(_tipping_table(content.tipping, names, cur), lang, cur),
            "",
        ]
    return "\n".join(out)
