"""The report as Markdown text (no charts)."""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit._escape import md_text
from impactkit._i18n import Formatter
from impactkit.methods import SROIResult
from impactkit.report import _caveats
from impactkit.report._content import (
    ReportContent,
    _cell,
    _content,
    _heading,
    _labelled,
    _Names,
    _tipping_table,
    formatter,
    synthesis,
    tipping_folded,
)

__all__ = ["markdown"]


def _md(x: Any) -> str:
    """User text as inert one-line Markdown (see :mod:`impactkit._escape`)."""
    return md_text(x)


def _md_table(df: pd.DataFrame, f: Formatter) -> str:
    cols = [_md(_heading(str(c), f)) for c in df.columns]
    lines = ["| " + " | ".join(cols) + " |", "|" + "---|" * len(cols)]
    for rec in df.itertuples(index=False):
        cells = [_md(_cell(str(c), v, f)[0]) for c, v in zip(df.columns, rec, strict=True)]
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
        Language; default that of the content, else the model's, else English.
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
    f = formatter(r, lang)
    names = _Names(r, f)
    out = [f"# {f.t('report_title')} - {_md(r.model_name)}", ""]
    out.append(
        "**"
        + f.t(
            "headline",
            value=f.money(r.ratio, decimals=2),
            unit=f.money(1.0),
        )
        + "**"
    )
    mc = content.monte_carlo
    if mc is not None:
        lo, hi = mc.interval(0.90)
        out.append("")
        out.append(f.t("interval", low=f.ratio(lo), high=f.ratio(hi)))
    paras, caveats = synthesis(content, names)
    out += ["", f"## {f.t('synthesis')}", ""]
    for p in paras:
        out += [_md(p), ""]
    out += [f"### {f.t('syn_caveats')}", ""] + [f"- {_md(c)}" for c in caveats]
    out += ["", f"## {f.t('key_figures')}", ""]
    out.append(
        _md_table(
            pd.DataFrame(
                {
                    f.t("parameter"): [
                        f.t(k)
                        for k in ("present_value", "total_inputs", "net_present_value", "ratio")
                    ],
                    f.t("value"): [
                        f.money(r.present_value),
                        f.money(r.total_inputs),
                        f.money(r.net_present_value),
                        f.ratio(r.ratio),
                    ],
                }
            ),
            f,
        )
    )
    out += ["", *_caveats.caveats_markdown(r, lang)]
    out += [
        f"## {f.t('by_stakeholder')}",
        "",
        _md_table(_labelled(r.by_stakeholder, names), f),
        "",
        *_caveats.public_finance_markdown(r, lang),
        f"## {f.t('by_outcome')}",
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
            f,
        ),
        "",
    ]
    from impactkit.report._voice import voice_markdown

    out += voice_markdown(r, lang)
    if content.event_study is not None:
        from impactkit.report._event_study import TEXT as ES

        es = content.event_study.rename(columns=ES[lang])
        out += [f"## {_md(ES[lang]['title'])}", "", _md_table(es, f), ""]
    if content.tipping is not None:
        table = _tipping_table(content.tipping, names)
        out += [f"## {f.t('tipping_points')}", ""]
        if len(table):
            out += [_md_table(table, f), ""]
        for sentence in tipping_folded(content.tipping, names, r.ratio):
            out += [_md(sentence), ""]
    return "\n".join(out)
