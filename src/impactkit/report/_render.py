"""Self-contained HTML and Markdown reports of an SROI result."""

from __future__ import annotations

import html as _html
import os
import tempfile
from pathlib import Path
from typing import Any

import pandas as pd

from impactkit._version import __version__
from impactkit.errors import ValidationError
from impactkit.methods._sroi import SROIResult
from impactkit.report._i18n import fmt_money, fmt_number, fmt_pct, fmt_ratio, t

__all__ = ["ReportContent", "build", "html", "markdown"]

_CSS = """
body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d3557;line-height:1.45;padding:0 1rem}
h1{font-size:1.8rem;margin-bottom:.2rem}h2{border-bottom:2px solid #a8dadc;padding-bottom:.2rem;
margin-top:2.2rem}.headline{font-size:1.6rem;background:#f1faee;padding:1rem 1.2rem;
border-left:6px solid #457b9d}.muted{color:#6c757d;font-size:.9rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.85rem}th,td{border:1px solid #d0d7de;
padding:.25rem .5rem;text-align:left;vertical-align:top}td.num{text-align:right;
white-space:nowrap}th{background:#f6f8fa}svg{max-width:100%;height:auto}
pre{background:#f6f8fa;padding:.6rem;font-size:.8rem;white-space:pre-wrap}
.scroll{overflow-x:auto}
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
    return _html.escape("" if x is None else str(x))


def _cell(col: str, v: Any, lang: str, currency: str) -> tuple[str, bool]:
    if v is None or (isinstance(v, float) and v != v):
        return "", False
    if isinstance(v, bool):
        return t("yes" if v else "no", lang), False
    if isinstance(v, int | float) and not isinstance(v, bool):
        if col in _MONEY or col.startswith("year_"):
            return fmt_money(float(v), currency, lang), True
        if col in _PCT:
            return fmt_pct(float(v), lang), True
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


class ReportContent:
    """Everything a report shows, computed once (so HTML and Markdown agree).

    Attributes
    ----------
    result : SROIResult
    monte_carlo : MonteCarloResult or None
    tornado, tipping : DataFrame or None
    lang : str
    voi : VOIResult or None
        Parameters ranked by EVPPI for the fund / do-not-fund decision.
    """

    def __init__(
        self,
        result: SROIResult,
        monte_carlo: Any,
        tornado: pd.DataFrame | None,
        tipping: pd.DataFrame | None,
        lang: str,
        voi: Any = None,
    ) -> None:
        self.result = result
        self.monte_carlo = monte_carlo
        self.tornado = tornado
        self.tipping = tipping
        self.lang = lang
        self.voi = voi


def build(
    result: SROIResult,
    *,
    lang: str = "en",
    monte_carlo: Any = None,
    mc_draws: int = 10_000,
    seed: int = 0,
    sensitivity: bool = True,
    value_of_information: bool = False,
) -> ReportContent:
    """Compute what a report needs from a result (and the model it carries).

    A Monte Carlo run (``mc_draws``, ``seed``) is made when the model has
    distributions and none is given; the tornado and tipping points come from
    the model. With ``value_of_information``, the parameters of a Monte Carlo
    that kept its samples are ranked by EVPPI for the decision to fund
    (net present value against 0).
    """
    t("ratio", lang)  # checks the language
    if not isinstance(result, SROIResult):
        raise ValidationError(
            f"expected an SROIResult, got {type(result).__name__}", path=("result",), code="type"
        )
    model = result.model
    tornado = tipping = None
    if model is not None and sensitivity:
        from impactkit.uncertainty import tipping_points
        from impactkit.uncertainty import tornado as tornado_fn

        tornado = tornado_fn(model)
        tipping = tipping_points(model)
        if monte_carlo is None and model.has_uncertainty and mc_draws:
            from impactkit.uncertainty import monte_carlo as mc_fn

            monte_carlo = mc_fn(model, n=mc_draws, seed=seed, keep_samples=value_of_information)
    return ReportContent(
        result, monte_carlo, tornado, tipping, lang, _voi(monte_carlo, value_of_information)
    )


def _voi(monte_carlo: Any, wanted: bool) -> Any:
    samples = getattr(monte_carlo, "samples", None) if wanted else None
    if samples is None or not len(samples.columns):
        return None
    from impactkit.uncertainty import value_of_information

    return value_of_information(monte_carlo.net_present_value, samples, n_bootstrap=20)


def _assumptions(result: SROIResult, lang: str) -> pd.DataFrame:
    model = result.model
    rows = []
    if model is None:
        return pd.DataFrame()
    for k, ov in enumerate(model.outcomes):
        rows.append(
            {
                "outcome": ov.outcome,
                "parameter": "proxy",
                "value": str(result.by_outcome["proxy_value"][k]),
                "source": ov.proxy.source,
                "evidence": ov.evidence.get("proxy", ""),
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
                val = result.by_outcome[f][k]
                shown = fmt_pct(val, lang) if f in _PCT else fmt_number(val, lang)
                rows.append(
                    {
                        "outcome": ov.outcome,
                        "parameter": t(f, lang),
                        "value": shown,
                        "source": src,
                        "evidence": ev,
                        "price_year": None,
                    }
                )
    return pd.DataFrame(
        rows, columns=["outcome", "parameter", "value", "source", "evidence", "price_year"]
    )


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
        parts.append(
            "<br><span class='muted'>"
            + _figure_value("interval_low", lo, "")
            + _figure_value("interval_high", hi, "")
            + _esc(t("interval", lang, low=fmt_ratio(lo, lang), high=fmt_ratio(hi, lang)))
            + " · "
            + _esc(t("p_above_1", lang))
            + " : "
            + _figure_value(
                "p_above_1",
                mc.probability_ratio_above(1.0),
                fmt_pct(mc.probability_ratio_above(1.0), lang),
            )
            + "</span>"
        )
    parts.append("</p>")
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
        f"<tr><th>{_esc(t('discounting', lang))}</th><td>{_esc(r.discount)}; "
        f"{_esc(t('convention', lang))} {_esc(r.first_flow_at)}</td></tr>"
    )
    parts.append(
        f"<h2>{_esc(t('key_figures', lang))}</h2><table data-table='key_figures'>{rows}</table>"
    )
    parts.append(f"<h2>{_esc(t('by_stakeholder', lang))}</h2>")
    parts.append(_svg_or_note(lambda: ch.by_stakeholder_chart(r, lang)))
    parts.append(_table(r.by_stakeholder, lang, cur, name="by_stakeholder"))
    parts.append(f"<h2>{_esc(t('by_outcome', lang))}</h2>")
    bo = r.by_outcome[
        ["outcome", "stakeholder", "quantity", "proxy_value", "impact", "present_value", "share"]
    ]
    parts.append(_table(bo, lang, cur, name="by_outcome"))
    parts.append(f"<h2>{_esc(t('by_year', lang))}</h2>")
    parts.append(_svg_or_note(lambda: ch.by_year_chart(r, lang)))
    parts.append(_table(r.by_year, lang, cur, name="by_year"))
    parts.append(f"<h2>{_esc(t('value_map', lang))}</h2>")
    parts.append(_table(r.value_map(), lang, cur, name="value_map"))
    parts.append(f"<h2>{_esc(t('inputs', lang))}</h2>")
    parts.append(_table(r.inputs, lang, cur, name="inputs"))
    model = r.model
    if model is not None and model.toc is not None and len(model.toc):
        parts.append(f"<h2>{_esc(t('theory_of_change', lang))}</h2>")
        toc = model.toc
        parts.append(_svg_or_note(lambda: ch.toc_diagram(toc, lang)))
    if content.tornado is not None:
        parts.append(f"<h2>{_esc(t('sensitivity', lang))}</h2>")
        tor = content.tornado
        parts.append(_svg_or_note(lambda: ch.tornado_chart(tor, lang)))
    if content.tipping is not None:
        tp = content.tipping[["parameter", "base_value", "tipping_value", "attainable", "note"]]
        parts.append(f"<h3>{_esc(t('tipping_points', lang))}</h3>")
        parts.append(_table(tp, lang, cur, name="tipping_points"))
    parts.append(f"<h2>{_esc(t('monte_carlo', lang))}</h2>")
    if mc is not None:
        parts.append(_svg_or_note(lambda: ch.mc_histogram(mc, lang)))
    else:
        parts.append(f"<p>{_esc(t('no_uncertainty', lang))}</p>")
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
    parts.append(_table(_assumptions(r, lang), lang, cur, name="assumptions"))
    parts.append(f"<h2>{_esc(t('lineage', lang))}</h2>")
    for k in range(len(r.by_outcome)):
        parts.append(f"<pre>{_esc(str(r.explain(k)))}</pre>")
    parts.append(f"<p class='muted'>{_esc(t('generated_by', lang, version=__version__))}</p>")
    parts.append("</body></html>")
    return "".join(parts)


def html(
    result: SROIResult,
    path: str | os.PathLike[str] | None = None,
    *,
    lang: str = "en",
    monte_carlo: Any = None,
    mc_draws: int = 10_000,
    seed: int = 0,
    value_of_information: bool = False,
) -> str:
    """Write a self-contained HTML report of an SROI result; return its text.

    Parameters
    ----------
    result : SROIResult
        From :func:`impactkit.sroi`; the model it carries gives the theory of
        change, assumptions, tornado and tipping points.
    path : str or path-like, optional
        Where to write; nothing is written when None. The page is built in
        full first and written atomically: a failure leaves no partial file.
    lang : {"en", "fr"}
    monte_carlo : MonteCarloResult, optional
        A simulation to show; by default one of ``mc_draws`` draws (``seed``)
        is run when the model has distributions.
    value_of_information : bool, default False
        Add a section ranking the uncertain parameters by EVPPI (the value of
        learning each before deciding to fund); the Monte Carlo then keeps
        its samples.

    Returns
    -------
    str
        The HTML. Charts are inline SVG (extra ``plot``); every headline figure
        carries its exact value in a ``data-value`` attribute.
    """
    content = build(
        result,
        lang=lang,
        monte_carlo=monte_carlo,
        mc_draws=mc_draws,
        seed=seed,
        value_of_information=value_of_information,
    )
    text = render_html(content)
    if path is not None:
        _atomic_write(Path(path), text)
    return text


def _atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; a report is an ordinary file
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _md_table(df: pd.DataFrame, lang: str, currency: str) -> str:
    cols = [_heading(str(c), lang) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for rec in df.itertuples(index=False):
        cells = [
            _cell(str(c), v, lang, currency)[0].replace("|", "\\|")
            for c, v in zip(df.columns, rec, strict=True)
        ]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def markdown(
    result: SROIResult, *, lang: str = "en", monte_carlo: Any = None, sensitivity: bool = False
) -> str:
    """The report as Markdown text (no charts), in French or English.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)], discount=0.0,
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=10, proxy=250)])
    >>> print(markdown(ik.sroi(m), lang="fr").splitlines()[2].replace("\xa0", " "))
    **2,50 € de valeur sociale pour 1 € investi**
    """
    content = build(
        result, lang=lang, monte_carlo=monte_carlo, mc_draws=0, sensitivity=sensitivity
    )
    r = content.result
    cur = r.currency
    out = [f"# {t('report_title', lang)} - {r.model_name}", ""]
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
    out += [
        "",
        f"## {t('by_stakeholder', lang)}",
        "",
        _md_table(r.by_stakeholder, lang, cur),
        "",
        f"## {t('by_outcome', lang)}",
        "",
        _md_table(
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
            lang,
            cur,
        ),
        "",
    ]
    if content.tipping is not None:
        out += [
            f"## {t('tipping_points', lang)}",
            "",
            _md_table(
                content.tipping[["parameter", "base_value", "tipping_value", "attainable"]],
                lang,
                cur,
            ),
            "",
        ]
    return "\n".join(out)
