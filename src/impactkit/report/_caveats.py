"""What a report's figure does not count, what its ratio means, and who pays and saves.

Every report says, before its method, which outcomes of the theory of change
carry no value (named by their labels), where the value is concentrated (the
sentences of :func:`impactkit.assurance.concentration_sentences`, the same
formula as ``ik.lint``), and what a ratio below 1 does and does not mean.
Beside the society view it shows the public-finance view of
:attr:`impactkit.methods.SROIResult.public_finance`: what each public payer
puts in, the resources it saves and the transfers it no longer pays out.
The texts are those of :mod:`impactkit.report._i18n`.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit.methods._sroi import SROIResult
from impactkit.report._escape import html_text, md_text
from impactkit.report._i18n import fmt_money, fmt_pct, fmt_ratio, t

__all__ = [
    "caveat_sentences",
    "caveats_html",
    "caveats_markdown",
    "public_finance_html",
    "public_finance_markdown",
    "unvalued_outcomes",
]


def _readable(node_id: str, label: str | None = None) -> str:
    """A label, or the id shown as words when no label was given (no code in a report)."""
    if label and label != node_id:
        return label
    return node_id.replace("_", " ")


def unvalued_outcomes(result: SROIResult) -> list[str] | None:
    """Labels of the outcomes of the theory of change that carry no value.

    An outcome node of the theory of change with no row in the value map,
    in the order of the theory of change. None when the model has no theory
    of change (nothing can be named).
    """
    model = result.model
    toc = model.toc if model is not None else None
    if toc is None or not len(toc):
        return None
    valued = {str(o) for o in result.by_outcome["outcome"]}
    return [
        _readable(n.id, n.label) for n in toc.nodes if n.kind == "outcome" and n.id not in valued
    ]


def _unvalued_stakeholders(result: SROIResult) -> list[str]:
    model = result.model
    toc = model.toc if model is not None else None
    if toc is None:
        return []
    valued = {str(s) for s in result.by_outcome["stakeholder"]}
    return [_readable(s.id, s.label) for s in toc.stakeholders if s.id not in valued]


def _outcome_labels(result: SROIResult) -> dict[str, str]:
    model = result.model
    toc = model.toc if model is not None else None
    nodes = {n.id: n.label for n in toc.nodes} if toc is not None else {}
    out: dict[str, str] = {}
    bo = result.by_outcome
    for o, label in zip(bo["outcome"], bo["label"], strict=True):
        out.setdefault(str(o), str(label) if label else _readable(str(o), nodes.get(str(o))))
    return out


def _join(items: list[str], lang: str) -> str:
    if len(items) <= 1:
        return "".join(items)
    last = " et " if lang == "fr" else " and "
    return ", ".join(items[:-1]) + last + items[-1]


def caveat_sentences(result: SROIResult, lang: str) -> list[str]:
    """The paragraphs of the "not counted yet" section, in ``lang``.

    Parameters
    ----------
    result : SROIResult
    lang : {"en", "fr"}

    Returns
    -------
    list of str
        What is not valued (or that everything is, or that nothing can be
        named without a theory of change), the stakeholders with no valued
        outcome, the value-concentration sentences, and what the ratio means.
    """
    from impactkit.assurance import concentration_sentences

    out: list[str] = []
    missing = unvalued_outcomes(result)
    if missing is None:
        out.append(t("not_counted_no_toc", lang))
    elif missing:
        out.append(t("not_counted_list", lang, items=_join(missing, lang)))
    else:
        out.append(t("not_counted_none", lang))
    people = _unvalued_stakeholders(result)
    if people:
        out.append(t("unvalued_stakeholders", lang, items=_join(people, lang)))
    out += [
        sentence
        for _, sentence in concentration_sentences(
            result,
            lang=lang,
            labels=_outcome_labels(result),
            pct=lambda x: fmt_pct(x, lang, decimals=0),
        )
    ]
    meaning = t("ratio_meaning", lang)
    if result.ratio < 1:
        meaning = t("ratio_is_below_1", lang, ratio=fmt_ratio(result.ratio, lang)) + " " + meaning
    out.append(meaning)
    return out


def caveats_html(result: SROIResult, lang: str) -> str:
    """The "not counted yet" section as HTML (a heading and its paragraphs)."""
    paragraphs = "".join(f"<p>{html_text(p)}</p>" for p in caveat_sentences(result, lang))
    return (
        f"<div data-section='not_counted'><h3>{html_text(t('not_counted', lang))}</h3>"
        f"{paragraphs}</div>"
    )


def caveats_markdown(result: SROIResult, lang: str) -> list[str]:
    """The "not counted yet" section as Markdown lines."""
    out = [f"## {t('not_counted', lang)}", ""]
    for p in caveat_sentences(result, lang):
        out += [md_text(p), ""]
    return out


def _payer_label(result: SROIResult, payer: str, lang: str) -> str:
    model = result.model
    toc = model.toc if model is not None else None
    for s in toc.stakeholders if toc is not None else ():
        if s.id == payer and s.label and s.label != s.id:
            return str(s.label)
    try:
        return t(f"payer_{payer}", lang)
    except KeyError:
        return _readable(payer)


_COLUMNS = ("pays", "saves", "transfers", "net")


def _public_table(result: SROIResult) -> pd.DataFrame:
    return result.public_finance


def public_finance_html(result: SROIResult, lang: str) -> str:
    """The public-finance view as HTML (empty when no public payer appears)."""
    pf = _public_table(result)
    if not len(pf):
        return ""
    cur = result.currency
    head = "".join(f"<th>{html_text(t(c, lang))}</th>" for c in ("payer", *_COLUMNS))
    rows = []
    for rec in pf.to_dict(orient="records"):
        cells = [f"<td>{html_text(_payer_label(result, str(rec['payer']), lang))}</td>"]
        for c in _COLUMNS:
            v: Any = float(rec[c])
            cells.append(
                f'<td class="num" data-value="{v!r}">{html_text(fmt_money(v, cur, lang))}</td>'
            )
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return (
        f"<div data-section='public_finance'><h2>{html_text(t('public_finance', lang))}</h2>"
        f"<p>{html_text(t('public_finance_note', lang))}</p>"
        f"<div class='scroll'><table data-table='public_finance'><thead><tr>{head}</tr></thead>"
        f"<tbody>{''.join(rows)}</tbody></table></div></div>"
    )


def public_finance_markdown(result: SROIResult, lang: str) -> list[str]:
    """The public-finance view as Markdown lines (none when no public payer appears)."""
    pf = _public_table(result)
    if not len(pf):
        return []
    cur = result.currency
    cols = [md_text(t(c, lang)) for c in ("payer", *_COLUMNS)]
    lines = [
        f"## {t('public_finance', lang)}",
        "",
        md_text(t("public_finance_note", lang)),
        "",
        "| " + " | ".join(cols) + " |",
        "|" + "---|" * len(cols),
    ]
    for rec in pf.to_dict(orient="records"):
        cells = [md_text(_payer_label(result, str(rec["payer"]), lang))]
        cells += [md_text(fmt_money(float(rec[c]), cur, lang)) for c in _COLUMNS]
        lines.append("| " + " | ".join(cells) + " |")
    return [*lines, ""]
