"""The "Stakeholder voice" / "Paroles des parties prenantes" section of reports.

Built from :func:`impactkit.qualitative.stakeholder_voice`, which applies
consent before anything is rendered: evidence without consent never reaches
this module. The speakers recorded as ``person`` on any record, and names
listed under ``personal_names`` in the model's metadata, are pseudonymised in
every text shown; the ``person`` field itself is never shown.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pandas as pd

from impactkit._escape import html_text, md_text
from impactkit._i18n import fmt_money, fmt_pct

__all__ = ["VOICE_TEXTS", "voice_html", "voice_markdown"]

VOICE_TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "section": "Stakeholder voice",
        "quotes": "What stakeholders said, by outcome",
        "themes": "Themes",
        "triangulation": "Triangulation and confidence (GRADE-CERQual)",
        "engagement": "Engagement by stakeholder",
        "withheld": "{n} record(s) heard but not shown: no consent to publication.",
        "no_quote": "No consented evidence for this outcome.",
        "confidence_note": (
            "Confidence follows GRADE-CERQual: high, moderate, low or very low. An outcome "
            "without evidence is assumed rather than heard."
        ),
        "outcome": "Outcome",
        "stakeholder": "Stakeholder",
        "value": "Value",
        "share": "Share",
        "supports": "Supporting",
        "contradicts": "Contradicting",
        "n_sources": "Sources",
        "stakeholders_heard": "Stakeholders heard",
        "confidence": "Confidence",
        "theme": "Theme",
        "count": "Records",
        "records": "Records",
        "people": "People",
        "methods": "Methods",
        "stages": "Stages",
        "high": "high",
        "moderate": "moderate",
        "low": "low",
        "very low": "very low",
        "supports_d": "supports",
        "contradicts_d": "contradicts",
        "testimony": "testimony",
        "msc_story": "most significant change story",
        "harvested_outcome": "harvested outcome",
        "causal_claim": "causal claim",
        "observation": "observation",
        "document": "document",
        "interview": "interview",
        "focus_group": "focus group",
        "survey": "survey",
        "workshop": "workshop",
        "msc_panel": "MSC panel",
        "outcome_harvesting": "outcome harvesting",
        "quip": "QuIP interviews",
        "other": "other",
        "scope": "scope",
        "outcomes": "outcomes",
        "evidence": "evidence",
        "impact": "impact",
        "calculation": "calculation",
        "reporting": "reporting",
    },
    "fr": {
        "section": "Paroles des parties prenantes",
        "quotes": "Ce que disent les parties prenantes, par effet",
        "themes": "Thèmes",
        "triangulation": "Triangulation et niveau de confiance (GRADE-CERQual)",
        "engagement": "Implication des parties prenantes",
        "withheld": ("{n} élément(s) recueilli(s) mais non publié(s), faute de consentement."),
        "no_quote": "Aucun élément consenti pour cet effet.",
        "confidence_note": (
            "Le niveau de confiance suit GRADE-CERQual : élevé, modéré, faible ou très "
            "faible. Un effet sans élément de preuve est supposé, non entendu."
        ),
        "outcome": "Effet",
        "stakeholder": "Partie prenante",
        "value": "Valeur",
        "share": "Part",
        "supports": "Confirment",
        "contradicts": "Contredisent",
        "n_sources": "Sources",
        "stakeholders_heard": "Parties prenantes entendues",
        "confidence": "Confiance",
        "theme": "Thème",
        "count": "Éléments",
        "records": "Enregistrements",
        "people": "Personnes",
        "methods": "Méthodes",
        "stages": "Étapes",
        "high": "élevé",
        "moderate": "modéré",
        "low": "faible",
        "very low": "très faible",
        "supports_d": "confirme",
        "contradicts_d": "contredit",
        "testimony": "témoignage",
        "msc_story": "récit de changement le plus significatif",
        "harvested_outcome": "effet récolté",
        "causal_claim": "affirmation causale",
        "observation": "observation",
        "document": "document",
        "interview": "entretien",
        "focus_group": "groupe de discussion",
        "survey": "questionnaire",
        "workshop": "atelier",
        "msc_panel": "comité MSC",
        "outcome_harvesting": "récolte des effets",
        "quip": "entretiens QuIP",
        "other": "autre",
        "scope": "périmètre",
        "outcomes": "effets",
        "evidence": "preuves",
        "impact": "impact",
        "calculation": "calcul",
        "reporting": "restitution",
    },
}
"""Labels of the section, in English and French."""


def _t(key: str, lang: str) -> str:
    texts = VOICE_TEXTS.get(lang, VOICE_TEXTS["en"])
    return texts.get(key, key)


def _esc(x: Any) -> str:
    return html_text(x)


def _voice(result: Any) -> Any:
    from impactkit.qualitative import stakeholder_voice

    model = getattr(result, "model", None)
    if model is None or not (getattr(model, "evidence", ()) or getattr(model, "engagement", ())):
        return None
    meta = model.metadata
    names = meta.get("personal_names", ()) if isinstance(meta, Mapping) else ()
    names = [str(n) for n in names] if isinstance(names, list | tuple) else []
    return stakeholder_voice(result, personal_names=names)


def _labels(result: Any) -> dict[str, str]:
    model = getattr(result, "model", None)
    toc = getattr(model, "toc", None)
    if toc is None:
        return {}
    return {n.id: n.label for n in toc.nodes}


def _stakeholders(result: Any) -> dict[str, str]:
    toc = getattr(getattr(result, "model", None), "toc", None)
    return {} if toc is None else {s.id: s.label for s in toc.stakeholders}


def _tri_rows(v: Any, result: Any, lang: str) -> pd.DataFrame:
    tri = v.triangulation.reset_index()
    labels = _labels(result)
    sh = _stakeholders(result)
    cur = getattr(result, "currency", "EUR")
    money = "present_value" in getattr(result, "by_outcome", pd.DataFrame()).columns
    return pd.DataFrame(
        {
            _t("outcome", lang): [labels.get(o, o) for o in tri["outcome"]],
            _t("stakeholder", lang): [sh.get(x, x) for x in tri["stakeholder"]],
            _t("value", lang): [
                fmt_money(x, cur, lang) if money else f"{x:.2f}" for x in tri["value"]
            ],
            _t("share", lang): [fmt_pct(x, lang) for x in tri["share"]],
            _t("supports", lang): tri["supports"],
            _t("contradicts", lang): tri["contradicts"],
            _t("stakeholders_heard", lang): [
                ", ".join(sh.get(x, x) for x in h.split(", ") if x)
                for h in tri["stakeholders_heard"]
            ],
            _t("confidence", lang): [_t(c, lang) for c in tri["confidence"]],
        }
    )


def _engagement(v: Any, sh: dict[str, str], lang: str) -> pd.DataFrame:
    eng = v.engagement
    words = {
        c: [", ".join(_t(w, lang) for w in str(x).split(", ")) for x in eng[c]]
        for c in ("methods", "stages")
    }
    return _renamed(
        eng.assign(stakeholder=[sh.get(x, x) for x in eng["stakeholder"]], **words), lang
    )


def _renamed(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    return df.rename(columns={c: _t(str(c), lang) for c in df.columns})


def _html_table(df: pd.DataFrame, name: str) -> str:
    head = "".join(f"<th>{_esc(c)}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{_esc(v)}</td>" for v in rec) + "</tr>"
        for rec in df.itertuples(index=False)
    )
    return (
        f"<div class='scroll'><table data-table='{_esc(name)}'><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table></div>"
    )


def _md_table(df: pd.DataFrame) -> str:
    lines = ["| " + " | ".join(map(md_text, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    for rec in df.itertuples(index=False):
        lines.append("| " + " | ".join(md_text(v) for v in rec) + " |")
    return "\n".join(lines)


def voice_html(result: Any, lang: str = "en") -> str:
    """The section as HTML; empty text when the model has no evidence or engagement."""
    v = _voice(result)
    if v is None:
        return ""
    labels = _labels(result)
    sh = _stakeholders(result)
    parts = [f"<h2 id='stakeholder-voice'>{_esc(_t('section', lang))}</h2>"]
    if v.n_withheld:
        parts.append(f"<p class='muted'>{_esc(_t('withheld', lang).format(n=v.n_withheld))}</p>")
    parts.append(f"<h3>{_esc(_t('quotes', lang))}</h3>")
    for outcome in v.triangulation.index:
        q = v.quotes[v.quotes["outcome"] == outcome]
        parts.append(f"<h4>{_esc(labels.get(outcome, outcome))}</h4>")
        if not len(q):
            parts.append(f"<p class='muted'>{_esc(_t('no_quote', lang))}</p>")
        for rec in q.to_dict("records"):
            who = ", ".join(
                x
                for x in (
                    sh.get(rec["stakeholder"], rec["stakeholder"]),
                    _t(rec["kind"], lang),
                    _t(f"{rec['direction']}_d", lang),
                    rec["source"],
                    rec["date"],
                )
                if x
            )
            parts.append(
                f"<blockquote data-evidence='{_esc(rec['id'])}'>{_esc(rec['text'])}"
                f"<br><span class='muted'>- {_esc(who)}</span></blockquote>"
            )
    if len(v.themes):
        parts.append(f"<h3>{_esc(_t('themes', lang))}</h3>")
        parts.append(_html_table(_renamed(v.themes, lang), "themes"))
    parts.append(f"<h3>{_esc(_t('triangulation', lang))}</h3>")
    parts.append(_html_table(_tri_rows(v, result, lang), "triangulation"))
    parts.append(f"<p class='muted'>{_esc(_t('confidence_note', lang))}</p>")
    if len(v.engagement):
        parts.append(f"<h3>{_esc(_t('engagement', lang))}</h3>")
        parts.append(_html_table(_engagement(v, sh, lang), "engagement"))
    return "".join(parts)


def voice_markdown(result: Any, lang: str = "en") -> list[str]:
    """The section as Markdown lines; no line when the model has no evidence or engagement."""
    v = _voice(result)
    if v is None:
        return []
    labels = _labels(result)
    sh = _stakeholders(result)
    out = [f"## {_t('section', lang)}", ""]
    if v.n_withheld:
        out += [f"_{_t('withheld', lang).format(n=v.n_withheld)}_", ""]
    out += [f"### {_t('quotes', lang)}", ""]
    for outcome in v.triangulation.index:
        q = v.quotes[v.quotes["outcome"] == outcome]
        out += [f"#### {md_text(labels.get(outcome, outcome))}", ""]
        if not len(q):
            out += [f"_{_t('no_quote', lang)}_", ""]
        for rec in q.to_dict("records"):
            who = ", ".join(
                md_text(x)
                for x in (
                    sh.get(rec["stakeholder"], rec["stakeholder"]),
                    _t(rec["kind"], lang),
                    rec["source"],
                )
                if x
            )
            out += [f"> {md_text(rec['text'])}", f"> - {who}", ""]
    if len(v.themes):
        out += [f"### {_t('themes', lang)}", "", _md_table(_renamed(v.themes, lang)), ""]
    out += [
        f"### {_t('triangulation', lang)}",
        "",
        _md_table(_tri_rows(v, result, lang)),
        "",
        _t("confidence_note", lang),
        "",
    ]
    if len(v.engagement):
        out += [f"### {_t('engagement', lang)}", "", _md_table(_engagement(v, sh, lang)), ""]
    return out
