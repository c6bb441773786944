"""The federation report and a member's benchmark page, in French and English.

:func:`network` presents a :class:`~impactkit.portfolio.NetworkAnalysis` for
advocacy (what the network contributes, where, for whom, with what confidence,
and which practices stand out); :func:`member` shows one establishment among
its peers. Both return self-contained HTML (or Markdown) and write it when
given a path.
"""

from __future__ import annotations

import contextlib
import html as _html
import math
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit._atomic import write_file
from impactkit._escape import html_text, md_text
from impactkit._i18n import Formatter
from impactkit.errors import ValidationError
from impactkit.portfolio import FunnelResult, NetworkAnalysis, analyse_network, nearest_members

__all__ = ["funnel_chart", "member", "network"]

TEXT: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Rapport d'impact du réseau",
        "member_title": "Votre établissement parmi ses pairs",
        "totals": "Le réseau en chiffres",
        "sites": "Établissements",
        "present_value": "Valeur sociale actualisée",
        "total_inputs": "Ressources investies",
        "net_present_value": "Valeur nette",
        "ratio": "Ratio SROI du réseau",
        "by_sector": "Par secteur",
        "by_region": "Par région",
        "distribution": "Dispersion des ratios des établissements",
        "by_stakeholder": "Valeur par partie prenante",
        "by_payer": "Valeur par financeur public",
        "uncertainty": "Incertitude sur le total du réseau",
        "uncertainty_none": "Aucune simulation demandée : les totaux sont des valeurs centrales.",
        "uncertainty_text": (
            "Sur {draws} tirages Monte Carlo, la valeur du réseau est comprise entre {pv5} et "
            "{pv95} (intervalle à 90\u00a0%), le ratio entre {r5} et {r95} ; probabilité que le "
            "ratio dépasse 1 : {p1}."
        ),
        "funnels": "Indicateurs : graphiques en entonnoir",
        "funnel_text": (
            "Chaque point est un établissement : son résultat selon le nombre de personnes "
            "mesurées. Les courbes sont les limites de contrôle à 95\u00a0% et 99,8\u00a0% "
            "autour de la "
            "cible du réseau ({target}). Hors de l'entonnoir, l'écart est peu probable par "
            "hasard ; dans l'entonnoir, les différences peuvent n'être que du bruit."
        ),
        "flags": "Au-dessus : {above} · dans l'entonnoir : {within} · en dessous : {below}",
        "remarkable": "Pratiques remarquables",
        "remarkable_text": (
            "Établissements au-dessus de la limite à 99,8\u00a0% dont l'estimation, une fois "
            "ramenée vers la moyenne du réseau selon sa précision (« shrinkage »), reste "
            "au-dessus de la limite à 95\u00a0%."
        ),
        "remarkable_none": "Aucun établissement ne se distingue au-delà du hasard.",
        "methods": "Méthode",
        "methods_text": (
            "<p>La valeur de chaque établissement est calculée par le même moteur que le SROI "
            "d'un établissement (valeur actualisée des résultats nets de l'effet d'aubaine, de "
            "l'attribution, du déplacement et de la dégressivité). Le ratio d'un groupe est "
            "pondéré par la valeur (&Sigma; valeurs / &Sigma; ressources), pas la moyenne des "
            "ratios.</p><p>Les comparaisons entre établissements suivent Spiegelhalter (2005) : "
            "graphiques en entonnoir plutôt que classements, car les petits établissements se "
            "retrouvent aux extrêmes par hasard ; estimations « rétrécies » par la méthode "
            "bayésienne empirique normale–normale (variance inter-établissements de "
            "DerSimonian–Laird) avant toute mise en avant.</p><p>Limites : les coûts évités "
            "sont des coûts moyens, pas des économies marginales ; les transferts ne sont pas "
            "de la valeur ; un écart à la cible peut tenir au public accueilli plutôt qu'à la "
            "pratique. Ces résultats ouvrent un dialogue, ils ne notent pas.</p>"
        ),
        "site": "Établissement",
        "sector": "Secteur",
        "region": "Région",
        "indicator": "Indicateur",
        "value": "Résultat",
        "n": "Personnes mesurées",
        "shrunk": "Estimation rétrécie",
        "target": "Cible du réseau",
        "upper_998": "Limite haute 99,8\u00a0%",
        "toc": "Théorie du changement",
        "voice": "Paroles des parties prenantes",
        "group": "Groupe",
        "share": "Part",
        "mean_ratio": "Ratio moyen",
        "median_ratio": "Ratio médian",
        "funnel_x": "Personnes mesurées",
        "funnel_y": "Résultat",
        "your_ratio": "Votre ratio SROI",
        "percentile": "Rang centile parmi les pairs",
        "peer_median": "Ratio médian des pairs",
        "peers": "Pairs comparés",
        "position": "Position",
        "above": "au-dessus",
        "within": "dans l'entonnoir",
        "below": "en dessous",
        "lower_95": "Limite basse 95\u00a0%",
        "upper_95": "Limite haute 95\u00a0%",
        "caveats": "À lire avec prudence",
        "caveats_text": (
            "<ul><li>Un rang ou un centile n'est pas une note : les écarts dans l'entonnoir "
            "sont compatibles avec le hasard.</li><li>Les pairs sont les établissements du même "
            "secteur ; le public accueilli peut différer.</li><li>Les valeurs monétaires "
            "reposent sur des coûts moyens et des hypothèses (effet d'aubaine, attribution) à "
            "discuter avec les parties prenantes.</li></ul>"
        ),
        "anonymised": "Les noms des établissements sont remplacés par des pseudonymes.",
        "discount_text": "Taux d'actualisation : {rate} par an, {name}.",
        "discount_schedule": "Actualisation : taux dégressifs par tranches d'années ({name}).",
        "discount_unknown": "Actualisation : celle fournie avec les tables.",
        "france_2021": "taux de France Stratégie (2021)",
        "france_2013": "taux de France Stratégie (2013)",
        "constant": "taux constant",
        "not_given": "non renseigné",
        "group_sector": "Secteur",
        "sector_ratio": "Ratio SROI du secteur",
        "region_ratio": "Ratio SROI de la région",
        "no_funnel": (
            "« {label} » : pas de graphique en entonnoir, car tous les établissements mesurés "
            "ont le même résultat (tous à 0\u00a0%, tous à 100\u00a0% ou tous au même taux) ; "
            "il n'y a aucun écart entre eux à situer."
        ),
    },
    "en": {
        "title": "Network impact report",
        "member_title": "Your establishment among its peers",
        "totals": "The network in figures",
        "sites": "Establishments",
        "present_value": "Present social value",
        "total_inputs": "Resources invested",
        "net_present_value": "Net value",
        "ratio": "Network SROI ratio",
        "by_sector": "By sector",
        "by_region": "By region",
        "distribution": "Spread of establishment ratios",
        "by_stakeholder": "Value by stakeholder",
        "by_payer": "Value by public payer",
        "uncertainty": "Uncertainty of the network total",
        "uncertainty_none": "No simulation requested: totals are central values.",
        "uncertainty_text": (
            "Over {draws} Monte Carlo draws, the network's value lies between {pv5} and {pv95} "
            "(90 % interval) and its ratio between {r5} and {r95}; probability that the ratio "
            "exceeds 1: {p1}."
        ),
        "funnels": "Indicators: funnel plots",
        "funnel_text": (
            "Each point is an establishment: its result against the number of people measured. "
            "The curves are the 95 % and 99.8 % control limits around the network target "
            "({target}). Outside the funnel a gap is unlikely to be chance; inside it, "
            "differences may be noise."
        ),
        "flags": "Above: {above} · within: {within} · below: {below}",
        "remarkable": "Remarkable practices",
        "remarkable_text": (
            "Establishments above the 99.8 % limit whose estimate, pulled towards the network "
            "mean according to its precision (shrinkage), stays above the 95 % limit."
        ),
        "remarkable_none": "No establishment stands out beyond chance.",
        "methods": "Method",
        "methods_text": (
            "<p>Each establishment's value is computed by the same engine as a single SROI "
            "(present value of outcomes net of deadweight, attribution, displacement and "
            "drop-off). A group's ratio is value-weighted (&Sigma; value / &Sigma; inputs), not "
            "the mean of ratios.</p><p>Comparisons follow Spiegelhalter (2005): funnel plots "
            "rather than league tables, because small services sit at the extremes by chance; "
            "estimates are shrunk (empirical-Bayes normal–normal, DerSimonian–Laird "
            "between-site variance) before any are singled out.</p><p>Limits: avoided costs are "
            "average costs, not marginal savings; transfers are not value; a gap to the target "
            "may reflect the people served rather than the practice. These results open a "
            "conversation; they do not grade.</p>"
        ),
        "site": "Establishment",
        "sector": "Sector",
        "region": "Region",
        "indicator": "Indicator",
        "value": "Result",
        "n": "People measured",
        "shrunk": "Shrunk estimate",
        "target": "Network target",
        "upper_998": "Upper 99.8 % limit",
        "toc": "Theory of change",
        "voice": "Stakeholder voice",
        "group": "Group",
        "share": "Share",
        "mean_ratio": "Mean ratio",
        "median_ratio": "Median ratio",
        "funnel_x": "People measured",
        "funnel_y": "Result",
        "your_ratio": "Your SROI ratio",
        "percentile": "Percentile rank among peers",
        "peer_median": "Peers' median ratio",
        "peers": "Peers compared",
        "position": "Position",
        "above": "above",
        "within": "within the funnel",
        "below": "below",
        "lower_95": "Lower 95 % limit",
        "upper_95": "Upper 95 % limit",
        "caveats": "Read with care",
        "caveats_text": (
            "<ul><li>A rank or percentile is not a grade: gaps inside the funnel are "
            "compatible with chance.</li><li>Peers are the establishments of the same sector; "
            "the people they serve may differ.</li><li>Money values rest on average costs and "
            "assumptions (deadweight, attribution) to discuss with stakeholders.</li></ul>"
        ),
        "anonymised": "Establishment names are replaced by pseudonyms.",
        "discount_text": "Discount rate: {rate} a year, {name}.",
        "discount_schedule": "Discounting: declining rates by bands of years ({name}).",
        "discount_unknown": "Discounting: as given with the tables.",
        "france_2021": "France Stratégie rate (2021)",
        "france_2013": "France Stratégie rate (2013)",
        "constant": "constant rate",
        "not_given": "not given",
        "group_sector": "Sector",
        "sector_ratio": "Sector SROI ratio",
        "region_ratio": "Region SROI ratio",
        "no_funnel": (
            "“{label}”: no funnel plot, because every establishment measured has the same "
            "result (all at 0%, all at 100% or all at one rate); there is no gap between "
            "them to place."
        ),
    },
}

LABELS: dict[str, dict[str, str]] = {
    "fr": {
        "handicap": "Handicap",
        "protection_enfance": "Protection de l'enfance",
        "insertion": "Insertion par l'activité économique",
        "protection_majeurs": "Protection juridique des majeurs",
        "addictologie": "Addictologie",
        "personnes_agees": "Personnes âgées",
        "participants": "Personnes accompagnées",
        "patients": "Personnes soignées",
        "children": "Enfants accompagnés",
        "parents": "Parents et familles",
        "families": "Familles et proches",
        "relatives": "Entourage",
        "carers": "Aidants",
        "employees": "Salariés en insertion",
        "salaries": "Salariés en insertion",
        "employers": "Employeurs",
        "protected": "Majeurs protégés",
        "landlords": "Bailleurs",
        "schools": "Écoles et collèges",
        "partners": "Partenaires de santé",
        "public": "Finances publiques",
        "etat": "État",
        "etat_justice": "État (justice)",
        "departement": "Département",
        "assurance_maladie": "Assurance maladie",
        "caf": "CAF",
        "commune": "Commune",
        "france_travail": "France Travail",
        "caisses_retraite": "Caisses de retraite",
    },
    "en": {
        "handicap": "Disability",
        "protection_enfance": "Child protection",
        "insertion": "Work integration",
        "protection_majeurs": "Legal protection of adults",
        "addictologie": "Addiction care",
        "personnes_agees": "Older people",
        "participants": "People supported",
        "patients": "Patients",
        "children": "Children supported",
        "parents": "Parents and families",
        "families": "Families and relatives",
        "relatives": "Relatives",
        "carers": "Carers",
        "employees": "Employees in work integration",
        "salaries": "Employees in work integration",
        "employers": "Employers",
        "protected": "Protected adults",
        "landlords": "Landlords",
        "schools": "Schools",
        "partners": "Health partners",
        "public": "Public finances",
        "etat": "State",
        "etat_justice": "State (justice)",
        "departement": "Département",
        "assurance_maladie": "Health insurance",
        "caf": "Family allowance fund (CAF)",
        "commune": "Town",
        "france_travail": "France Travail",
        "caisses_retraite": "Pension funds",
    },
}
"""Words shown for the sector, stakeholder and payer ids of the shipped examples; other
ids are shown with their underscores as spaces and a capital (``labels=`` adds more)."""

LABELLED = ("sector", "group", "stakeholder", "payer")
"""Columns whose ids the reports show as words (see :data:`LABELS`)."""

CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:1100px;color:#1d3557;line-height:1.45;padding:0 1rem}
h1{font-size:1.7rem}h2{font-size:1.3rem;border-bottom:2px solid #a8dadc;margin-top:2rem}
table{border-collapse:collapse;margin:.5rem 0 1rem;font-size:.9rem}
th,td{border:1px solid #ccd;padding:.25rem .5rem}td.n{text-align:right}
th{background:#f1faee;text-align:left}.figures{display:flex;flex-wrap:wrap;gap:1rem}
.figure{background:#f1faee;padding:.6rem 1rem;border-radius:6px}
.figure b{display:block;font-size:1.3rem}svg{max-width:100%;height:auto}
@media print{@page{size:A4 landscape;margin:12mm}body{margin:0;max-width:none}
h2{page-break-after:avoid}table,svg{page-break-inside:avoid}}
"""


def _check_lang(lang: str) -> str:
    """``lang`` when the report speaks it, checked before any work is done."""
    if lang not in TEXT:
        raise ValidationError(
            f"lang must be one of {', '.join(TEXT)}, got {lang!r}",
            path=("lang",),
            code="invalid_choice",
        )
    return lang


def _t(fm: Formatter, key: str, **kwargs: object) -> str:
    """The report's own text ``key`` (:data:`TEXT`) in the formatter's language.

    ``{placeholders}`` are filled from ``kwargs`` with :meth:`str.format`;
    without them the text is returned as stored.
    """
    text = TEXT[fm.lang][key]
    return text.format(**kwargs) if kwargs else text


_PERCENTILE = re.compile(r"p(\d+(?:\.\d+)?)")
"""A percentile column of :func:`impactkit.portfolio.distribution` (``p5``, ``p2.5``)."""


def _heading(fm: Formatter, col: Any) -> str:
    """A table's column heading: the report's word for it, else the column's name.

    In French a percentile column reads in words (``p5``: « 5e centile »,
    ``p1``: « 1er centile »), never as its code.
    """
    text = TEXT[fm.lang].get(col)
    if text is not None:
        return text
    m = _PERCENTILE.fullmatch(str(col))
    if m and fm.lang == "fr":
        num = m.group(1)
        return f"{num.replace('.', ',')}{'er' if num == '1' else 'e'} centile"
    return str(col)


def _label(v: Any, fm: Formatter, labels: Mapping[str, str] | None = None) -> str:
    """The word shown for a sector, stakeholder or payer id (``-`` or empty: not given)."""
    text = str(v).strip()
    if text in ("", "-", "nan", "None", "<NA>"):
        return _t(fm, "not_given")
    if labels and text in labels:
        return str(labels[text])
    if text in LABELS[fm.lang]:
        return LABELS[fm.lang][text]
    if "_" in text and text == text.lower():
        spaced = text.replace("_", " ")
        return spaced[:1].upper() + spaced[1:]
    return text


def _labelled(df: pd.DataFrame, fm: Formatter, labels: Mapping[str, str] | None) -> pd.DataFrame:
    """The table with its id columns (:data:`LABELLED`) shown as words."""
    cols = [c for c in LABELLED if c in df.columns]
    if not cols:
        return df
    out = df.copy()
    for c in cols:
        out[c] = [_label(v, fm, labels) for v in out[c]]
    return out


def _discount_text(a: NetworkAnalysis, fm: Formatter) -> str:
    """The discounting sentence of the method section."""
    d = getattr(a, "discount", None)
    if d is None:
        return _t(fm, "discount_unknown")
    raw = str(getattr(d, "name", "") or "")
    base = raw.split("(")[0]
    name = _t(fm, base) if base in ("france_2021", "france_2013") else raw
    rate = getattr(d, "rate", None)
    if isinstance(rate, int | float) and not isinstance(rate, bool):
        return _t(fm, "discount_text", rate=fm.pct(float(rate)), name=name or _t(fm, "constant"))
    if hasattr(d, "bands"):
        return _t(fm, "discount_schedule", name=name or "-")
    return _t(fm, "discount_unknown")


def _fmt(col: str, v: Any, fm: Formatter) -> tuple[str, bool]:
    """Cell text and whether it is a number (right-aligned)."""
    if v is None or (isinstance(v, float) and not math.isfinite(v)):
        return "-", True
    if isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool):
        x = float(v)
        if col in ("present_value", "total_inputs", "net_present_value"):
            return fm.money(x), True
        if col in (
            "share",
            "percentile",
            "value",
            "shrunk",
            "target",
            "upper_998",
            "upper_95",
            "lower_95",
        ):
            return fm.pct(x), True
        if col in ("sites", "n", "peers"):
            return fm.number(x, decimals=0), True
        return fm.number(x), True
    return str(v), False


def _e(s: str) -> str:
    """Text for HTML text nodes: ``& < >`` escaped, quotes kept (see report/_escape.py)."""
    return html_text(s, quote=False)


def _md(s: str) -> str:
    """Text as inert one-line Markdown (see report/_escape.py)."""
    return md_text(s)


def _html_table(df: pd.DataFrame, fm: Formatter) -> str:
    head = "".join(f"<th>{_e(_heading(fm, c))}</th>" for c in df.columns)
    rows = []
    for rec in df.itertuples(index=False):
        cells = []
        for c, v in zip(df.columns, rec, strict=True):
            text, num = _fmt(str(c), v, fm)
            cls = ' class="n"' if num else ""
            cells.append(f"<td{cls}>{_e(text)}</td>")
        rows.append("<tr>" + "".join(cells) + "</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"


def _md_table(df: pd.DataFrame, fm: Formatter) -> str:
    esc = _md

    head = "| " + " | ".join(esc(_heading(fm, c)) for c in df.columns) + " |"
    sep = "|" + "|".join("---" for _ in df.columns) + "|"
    rows = [
        "| "
        + " | ".join(esc(_fmt(str(c), v, fm)[0]) for c, v in zip(df.columns, r, strict=True))
        + " |"
        for r in df.itertuples(index=False)
    ]
    return "\n".join([head, sep, *rows])


def funnel_chart(f: FunnelResult, *, lang: str = "en", title: str = "") -> Any:
    """A funnel plot of one indicator (matplotlib Figure, extra ``plot``).

    Parameters
    ----------
    f : FunnelResult
        A result of :func:`impactkit.portfolio.funnel`: its table, target,
        overdispersion ``phi``, kind and levels draw the chart.
    lang : {"en", "fr"}, default "en"
        Language of the labels.
    title : str, optional
        Chart title.

    Returns
    -------
    matplotlib.figure.Figure
        Points (rasterised, so thousands of sites stay light), the target and
        the control limits; site names never appear.

    Examples
    --------
    Exits to ordinary work from five work-integration workshops (illustrative):

    >>> from impactkit.portfolio import funnel
    >>> from impactkit.report import to_svg
    >>> sites = pd.DataFrame({"site": ["Lyon", "Grenoble", "Valence", "Annecy", "Roanne"],
    ...                       "exit_rate": [0.32, 0.18, 0.45, 0.25, 0.05],
    ...                       "n": [120, 60, 40, 200, 80]})
    >>> f = funnel(sites, value="exit_rate", n="n", site="site")
    >>> fig = funnel_chart(f, lang="fr", title="Sorties vers l'emploi ordinaire")
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), ax.get_ylabel(), ax.get_xscale()
    ('Personnes mesurées', 'Résultat', 'log')
    >>> len(ax.lines)  # lower and upper limits at 95 % and 99.8 %, and the target
    5
    >>> svg = to_svg(fig)  # as embedded in the reports: the title, no establishment's name
    >>> "Sorties vers" in svg, "Roanne" in svg
    (True, False)
    """
    from impactkit.report._charts import _figure, short_label

    fig = _figure(7.0, 3.8)
    ax = fig.add_subplot()
    t = f.table
    n = t["n"].to_numpy(dtype=float)
    colours = t["flag"].map({"above": "#2a9d8f", "below": "#e63946", "within": "#8d99ae"})
    ax.scatter(n, t["value"], s=9, c=colours.tolist(), alpha=0.7, linewidths=0, rasterized=True)
    grid = np.geomspace(max(n.min(), 1.0), n.max(), 200)
    theta0 = f.target
    kind = f.kind
    phi = max(1.0, f.phi)
    from scipy import special

    # the table's limit columns, in the order of the (ascending) levels
    limits = zip(
        [c for c in t.columns if str(c).startswith("lower_")],
        [c for c in t.columns if str(c).startswith("upper_")],
        strict=True,
    )
    for level, style, (lower_c, upper_c) in zip(f.levels, ("--", ":"), limits, strict=False):
        z = float(special.ndtri(0.5 + level / 2)) * math.sqrt(phi)
        if kind == "mean":
            # sigma / sqrt(n): sigma is read back from the table's limits (given to funnel)
            upper = t[upper_c].to_numpy(dtype=float)
            sigma = (upper - theta0) / z * np.sqrt(n)
            if not np.allclose(sigma, sigma[0], rtol=1e-9, atol=0.0):
                # a standard deviation per site: each site's own limits, no common curve
                for lim in (t[lower_c].to_numpy(dtype=float), upper):
                    ax.plot(n, lim, "_", color="#1d3557", ms=6, mew=1)
                continue
            sd = sigma[0] / np.sqrt(grid)
        elif kind == "proportion":
            sd = np.sqrt(theta0 * (1 - theta0) / grid)
        else:
            sd = np.sqrt(theta0 / grid)
        lo, hi = theta0 - z * sd, theta0 + z * sd
        if kind == "proportion":
            lo, hi = np.clip(lo, 0, 1), np.clip(hi, 0, 1)
        ax.plot(grid, lo, style, color="#1d3557", lw=1)
        ax.plot(grid, hi, style, color="#1d3557", lw=1)
    ax.axhline(theta0, color="#f1a208", lw=1.2)
    ax.set_xscale("log")
    from matplotlib.ticker import FuncFormatter, NullFormatter

    fm = Formatter(_check_lang(lang))
    # plain tick labels: no mathtext (10^k) to typeset, which is slow and locale-blind
    ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: fm.number(x, decimals=0)))
    ax.xaxis.set_minor_formatter(NullFormatter())
    ax.set_xlabel(_t(fm, "funnel_x"))
    ax.set_ylabel(_t(fm, "funnel_y"))
    if title:
        # one line that fits the figure's width (the report gives the full label above)
        ax.set_title(short_label(title, TITLE_WIDTH, 1).replace("$", r"\$"), fontsize=10)
    fig.subplots_adjust(left=0.1, right=0.98, bottom=0.14, top=0.9)
    return fig


TITLE_WIDTH = 90
"""Characters of a funnel plot's title (one line across the 7-inch figure at 10 points)."""


def _svg(fig: Any) -> str:
    import matplotlib as mpl

    from impactkit.report._charts import to_svg

    # the funnel plot's margins are laid out by hand and its texts fit them: written
    # at its own size, it is drawn once instead of twice (measured, then drawn)
    with mpl.rc_context({"svg.hashsalt": "impactkit", "svg.fonttype": "none"}):
        return to_svg(fig, crop=False)


def _uncertainty_text(a: NetworkAnalysis, fm: Formatter) -> str:
    u = a.uncertainty
    if not u:
        return _t(fm, "uncertainty_none")
    return _t(
        fm,
        "uncertainty_text",
        draws=fm.number(u["draws"], decimals=0),
        pv5=fm.money(u["present_value_p5"]),
        pv95=fm.money(u["present_value_p95"]),
        r5=fm.ratio(u["ratio_p5"]),
        r95=fm.ratio(u["ratio_p95"]),
        p1=fm.pct(u["probability_ratio_above_1"]),
    )


def _group_table(df: pd.DataFrame | None, key: str) -> pd.DataFrame | None:
    """One breakdown's table; its ratio is the group's (``sector_ratio``), not the network's."""
    if df is None:
        return None
    cols = [key, "sites", "present_value", "total_inputs", "ratio", "median_ratio"]
    return df[[c for c in cols if c in df.columns]].rename(columns={"ratio": f"{key}_ratio"})


def _sections(
    a: NetworkAnalysis,
    fm: Formatter,
    *,
    site: str,
    charts: bool,
    max_charts: int,
    labels: Mapping[str, str] | None = None,
    fmt: str | None = None,
) -> list[tuple[str, str, str]]:
    """(heading, html body, markdown body) of every section.

    With ``fmt`` ("html" or "markdown") the tables of the other format are left
    empty: only the page written is typeset.
    """
    tt = a.totals

    def html_table(df: pd.DataFrame) -> str:
        return "" if fmt == "markdown" else _html_table(df, fm)

    def md_table(df: pd.DataFrame) -> str:
        return "" if fmt == "html" else _md_table(df, fm)

    out: list[tuple[str, str, str]] = []
    figs = [
        ("sites", fm.number(tt["sites"], decimals=0)),
        ("present_value", fm.money(tt["present_value"])),
        ("total_inputs", fm.money(tt["total_inputs"])),
        ("net_present_value", fm.money(tt["net_present_value"])),
        ("ratio", fm.ratio(tt["ratio"])),
    ]
    h = (
        "<div class='figures'>"
        + "".join(f"<div class='figure'>{_e(_t(fm, k))}<b>{_e(v)}</b></div>" for k, v in figs)
        + "</div>"
    )
    md = "\n".join(
        f"- **{_t(fm, k)}** : {v}" if fm.lang == "fr" else f"- **{_t(fm, k)}**: {v}"
        for k, v in figs
    )
    if a.anonymised:
        h += f"<p><em>{_e(_t(fm, 'anonymised'))}</em></p>"
        md += f"\n\n*{_t(fm, 'anonymised')}*"
    out.append((_t(fm, "totals"), h, md))
    for key, df in (
        ("by_sector", _group_table(a.by_sector, "sector")),
        ("by_region", _group_table(a.by_region, "region")),
        ("distribution", a.distribution),
        ("by_stakeholder", a.by_stakeholder),
        ("by_payer", a.by_payer),
    ):
        if df is not None and len(df):
            df = _labelled(df, fm, labels)
            out.append((_t(fm, key), html_table(df), md_table(df)))
    u = _uncertainty_text(a, fm)
    out.append((_t(fm, "uncertainty"), f"<p>{_e(u)}</p>", u))
    # indicators with no funnel (every site at the same rate) are named, with the reason
    flat = [_t(fm, "no_funnel", label=a.indicators[k]) for k in a.indicators if k not in a.funnels]
    if a.funnels or flat:
        hb, mb = [], []
        for i, (ind, f) in enumerate(a.funnels.items()):
            label = a.indicators.get(ind, ind)
            counts = f.table["flag"].value_counts()
            flags = _t(
                fm,
                "flags",
                above=int(counts.get("above", 0)),
                within=int(counts.get("within", 0)),
                below=int(counts.get("below", 0)),
            )
            text = _t(fm, "funnel_text", target=fm.pct(f.target))
            hb.append(f"<h3>{_e(label)}</h3><p>{_e(text)}</p><p>{_e(flags)}</p>")
            mb.append(f"### {_md(label)}\n\n{text}\n\n{flags}")
            if charts and i < max_charts:
                with contextlib.suppress(ImportError):  # charts need the plot extra
                    hb.append(_svg(funnel_chart(f, lang=fm.lang, title=label)))
        hb += [f"<p>{_e(x)}</p>" for x in flat]
        mb += [_md(x) for x in flat]
        out.append((_t(fm, "funnels"), "".join(hb), "\n\n".join(mb)))
    if len(a.remarkable):
        cols = [
            c
            for c in (
                site,
                "sector",
                "region",
                "label",
                "value",
                "n",
                "shrunk",
                "upper_998",
                "toc",
                "voice",
            )
            if c in a.remarkable.columns
        ]
        rem = _labelled(a.remarkable[cols].rename(columns={"label": "indicator"}), fm, labels)
        body_h = f"<p>{_e(_t(fm, 'remarkable_text'))}</p>" + html_table(rem)
        body_m = _md(_t(fm, "remarkable_text")) + "\n\n" + md_table(rem)
    else:
        body_h = f"<p>{_e(_t(fm, 'remarkable_none'))}</p>"
        body_m = _t(fm, "remarkable_none")
    out.append((_t(fm, "remarkable"), body_h, body_m))
    rate = _discount_text(a, fm)
    methods_h = f"<p>{_e(rate)}</p>" + _t(fm, "methods_text")
    methods_md = rate + "\n\n" + _html_to_text(_t(fm, "methods_text"))
    out.append((_t(fm, "methods"), methods_h, methods_md))
    return out


def _html_to_text(s: str) -> str:
    s = s.replace("&Sigma;", "Σ").replace("</p><p>", "\n\n").replace("</li><li>", "\n- ")
    s = s.replace("<ul><li>", "- ")
    return _html.unescape(re.sub(r"<[^>]+>", "", s))


def _page(title: str, sections: list[tuple[str, str, str]], fm: Formatter, fmt: str) -> str:
    if fmt == "markdown":
        parts = [f"# {_md(title)}"]
        for head, _, md in sections:
            parts += [f"## {_md(head)}", md]
        return "\n\n".join(parts) + "\n"
    body = "".join(f"<section><h2>{_e(h)}</h2>{b}</section>" for h, b, _ in sections)
    return (
        f'<!DOCTYPE html><html lang="{fm.lang}"><head><meta charset="utf-8">'
        f'<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{_e(title)}</title><style>{CSS}</style></head>"
        f"<body><h1>{_e(title)}</h1>{body}</body></html>\n"
    )


def _write(text: str, path: str | Path | None, fmt: str = "html") -> str:
    if fmt == "pdf" and path is not None:
        _print_pdf(text, path)
    elif path is not None:
        write_file(path, text)
    return text


def _print_pdf(page: str, path: str | Path, *, timeout: float = 180.0) -> None:
    """Print an HTML page to a PDF file with the headless browser of PDF reports.

    The browser is the one :func:`impactkit.report.find_browser` finds (the
    ``IMPACTKIT_CHROMIUM`` variable, a Chromium, Chrome or Edge on the ``PATH``
    or at its default install path), run as :func:`impactkit.report.pdf` runs
    it: A4 landscape (the page's print style), no header or footer, a private
    profile, no network beyond the page.

    Parameters
    ----------
    page : str
        A self-contained HTML page (from :func:`network` or :func:`member`).
    path : str or Path
        The ``.pdf`` file; written (atomically) only when printing succeeded.
    timeout : float, default 180
        Seconds allowed to the browser.

    Returns
    -------
    None

    Raises
    ------
    PDFUnavailableError
        No browser, or it failed to print.

    Examples
    --------
    >>> from impactkit.report import find_browser
    >>> find_browser() is None or isinstance(find_browser(), str)
    True
    """
    from impactkit.report._pdf import print_page

    write_file(path, print_page(page, timeout=timeout))


def _analysis(outcomes_df: Any, inputs_df: Any, **options: Any) -> NetworkAnalysis:
    """The analysis a report presents: given, or computed from the tidy tables."""
    if isinstance(outcomes_df, NetworkAnalysis):
        return outcomes_df
    if inputs_df is None:
        raise ValidationError("give the inputs table", path=("inputs_df",), code="missing")
    return analyse_network(outcomes_df, inputs_df, **options)


def _check_format(fmt: str, path: str | Path | None = None) -> None:
    if fmt == "pdf" and path is None:
        raise ValidationError(
            "format='pdf' needs a path to print to", path=("path",), code="missing"
        )
    if fmt not in ("html", "markdown", "pdf"):
        raise ValidationError(
            f"format must be 'html', 'markdown' or 'pdf', got {fmt!r}",
            path=("format",),
            code="invalid_choice",
        )


def network(
    outcomes_df: pd.DataFrame | NetworkAnalysis,
    inputs_df: pd.DataFrame | None = None,
    *,
    site: str = "site",
    lang: str = "en",
    anonymise: bool = False,
    path: str | Path | None = None,
    format: str = "html",
    title: str | None = None,
    charts: bool = True,
    max_charts: int = 12,
    labels: Mapping[str, str] | None = None,
    **options: Any,
) -> str:
    """The federation report: what the network contributes, compared fairly.

    Parameters
    ----------
    outcomes_df : pandas.DataFrame or NetworkAnalysis
        The tidy outcome table (see :func:`impactkit.portfolio.analyse_network`
        for the optional ``sector``, ``region``, ``payer`` and ``n`` columns),
        or an analysis already computed.
    inputs_df : pandas.DataFrame, optional
        The inputs table (required with a DataFrame of outcomes).
    site : str, default "site"
        The site column.
    lang : {"en", "fr"}, default "en"
        Language of every heading, note and number.
    anonymise : bool, default False
        Replace site names by stable pseudonyms everywhere (tables and charts).
    path : str or Path, optional
        Write the report there as well (atomically).
    format : {"html", "markdown", "pdf"}, default "html"
        Self-contained HTML, Markdown (no charts), or the HTML printed to PDF
        at ``path`` (needs ``path``; printed by the browser of :func:`impactkit.report.pdf`), the
        HTML returned.
    title : str, optional
        The report's title (default: "Rapport d'impact du réseau").
    charts : bool, default True
        Include funnel plots (needs the ``plot`` extra).
    max_charts : int, default 12
        Funnel plots drawn at most (every indicator still gets its counts).
    labels : mapping, optional
        Id → word for the sector, stakeholder and payer columns, over the
        built-in words of the shipped sectors and stakeholders (:data:`LABELS`);
        a missing payer (``-`` or empty) reads « non renseigné ».
    **options
        Passed to :func:`~impactkit.portfolio.analyse_network` (``discount``,
        ``n_draws``, ``seed``, ``key``, column names, ``currency``).

    Returns
    -------
    str
        The report.

    Raises
    ------
    ValidationError
        Invalid tables or options.

    Examples
    --------
    >>> outcomes = pd.DataFrame({"site": ["Foyer A", "Foyer B"], "outcome": ["job"] * 2,
    ...     "quantity": [30, 12], "n": [40, 30], "proxy": [8000.0, 8000.0]})
    >>> inputs = pd.DataFrame({"site": ["Foyer A", "Foyer B"], "amount": [1.5e5, 9e4]})
    >>> text = network(outcomes, inputs, anonymise=True, key="clé", format="markdown",
    ...                discount=0.0, lang="fr")
    >>> "Foyer" in text, text.splitlines()[0]
    (False, "# Rapport d'impact du réseau")
    """
    _check_format(format, path)
    _check_lang(lang)
    a = _analysis(outcomes_df, inputs_df, site=site, anonymise=anonymise, **options)
    fm = Formatter(lang, a.currency)
    secs = _sections(
        a,
        fm,
        site=site,
        charts=charts and format in ("html", "pdf"),
        max_charts=max_charts,
        labels=labels,
        fmt="html" if format == "pdf" else format,
    )
    page_fmt = "html" if format == "pdf" else format
    return _write(_page(title or _t(fm, "title"), secs, fm, page_fmt), path, format)


def member(
    outcomes_df: pd.DataFrame | NetworkAnalysis,
    inputs_df: pd.DataFrame | None = None,
    *,
    member: Any,
    site: str = "site",
    peers: str = "sector",
    lang: str = "en",
    path: str | Path | None = None,
    format: str = "html",
    charts: bool = True,
    **options: Any,
) -> str:
    """A member's benchmark page: « votre établissement parmi ses pairs ».

    Parameters
    ----------
    outcomes_df : pandas.DataFrame or NetworkAnalysis
        As in :func:`network` (not anonymised: the member is named).
    inputs_df : pandas.DataFrame, optional
        The inputs table.
    member : object
        The establishment's id in the site column.
    site : str, default "site"
        The site column.
    peers : str, default "sector"
        Column defining the peer group (its sector); all sites when absent.
    lang : {"en", "fr"}, default "en"
        Language.
    path : str or Path, optional
        Write the page there as well.
    format : {"html", "markdown", "pdf"}, default "html"
        Output format, as in :func:`network`.
    charts : bool, default True
        Include the funnel plots of its indicators.
    **options
        Passed to :func:`~impactkit.portfolio.analyse_network`.

    Returns
    -------
    str
        The page: the member's ratio against its peers' distribution, its
        position in every indicator's funnel, and the caveats written out.

    Raises
    ------
    ValidationError
        An unknown member, or invalid tables.

    Examples
    --------
    >>> outcomes = pd.DataFrame({"site": ["a", "b", "c"], "outcome": ["job"] * 3,
    ...     "quantity": [30, 12, 20], "n": [40, 30, 35], "proxy": [8000.0] * 3})
    >>> inputs = pd.DataFrame({"site": ["a", "b", "c"], "amount": [1.5e5, 9e4, 1e5]})
    >>> page = member(outcomes, inputs, member="b", lang="en", format="markdown",
    ...               discount=0.0)
    >>> page.splitlines()[0]
    '# Your establishment among its peers — b'
    """
    _check_format(format, path)
    _check_lang(lang)
    from impactkit import portfolio as pf

    a = _analysis(outcomes_df, inputs_df, site=site, **options)
    sites = a.sites
    if not (sites[site] == member).any():
        near = nearest_members(member, sites[site])
        hint = f"; nearest: {', '.join(map(repr, near))}" if near else ""
        raise ValidationError(
            f"no establishment {member!r} in the network{hint}",
            path=("member",),
            code="unknown_site",
        )
    fm = Formatter(lang, a.currency)
    group = peers if peers in sites.columns else None
    pos = pf.position(sites, member, site=site, peers=group)
    figs = pd.DataFrame(
        [
            {
                "your_ratio": pos["ratio"],
                "percentile": pos["percentile"] / 100,
                "peer_median": pos["peer_median"],
                "peers": pos["peers"],
            }
        ]
    )
    figs_h = _html_table(figs, fm)
    figs_m = _md_table(figs, fm)
    secs: list[tuple[str, str, str]] = [(_t(fm, "totals"), figs_h, figs_m)]
    rows = []
    hb = []
    for ind, f in a.funnels.items():
        me = f.table[f.table[site] == member]
        if me.empty:
            continue
        r = me.iloc[0]
        rows.append(
            {
                "indicator": a.indicators.get(ind, ind),
                "value": r["value"],
                "n": r["n"],
                "target": r["target"],
                "lower_95": r["lower_95"],
                "upper_95": r["upper_95"],
                "position": _t(fm, str(r["flag_95"])),
            }
        )
        if charts and format in ("html", "pdf"):
            try:
                fig = funnel_chart(f, lang=fm.lang, title=a.indicators.get(ind, ind))
                fig.axes[0].scatter(
                    [r["n"]], [r["value"]], s=80, marker="*", color="#e63946", zorder=5
                )
                hb.append(_svg(fig))
            except ImportError:  # pragma: no cover - the plot extra
                pass
    # indicators with no funnel (every site at the same rate) are named, with the reason
    flat = [_t(fm, "no_funnel", label=a.indicators[k]) for k in a.indicators if k not in a.funnels]
    if rows or flat:
        tab = pd.DataFrame(rows)
        secs.append(
            (
                _t(fm, "funnels"),
                (_html_table(tab, fm) if rows else "")
                + "".join(hb)
                + "".join(f"<p>{_e(x)}</p>" for x in flat),
                "\n\n".join([*([_md_table(tab, fm)] if rows else []), *map(_md, flat)]),
            )
        )
    secs.append((_t(fm, "caveats"), _t(fm, "caveats_text"), _html_to_text(_t(fm, "caveats_text"))))
    title = f"{_t(fm, 'member_title')} — {member}"
    page_fmt = "html" if format == "pdf" else format
    return _write(_page(title, secs, fm, page_fmt), path, format)
