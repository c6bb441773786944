"""Decision-analysis charts: cost-effectiveness plane, acceptability curves, EVPPI ranking.

Like :mod:`impactkit.report._charts`, every function returns a new
:class:`matplotlib.figure.Figure` (extra ``plot``, imported only when a chart
is drawn), labelled in French or English. The charts draw results; they
compute nothing beyond what they plot.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np

from impactkit._i18n import fmt_number
from impactkit.errors import ValidationError
from impactkit.report._charts import PALETTE, _figure, _money_axis, plain_text

__all__ = ["ce_plane_chart", "ceac_chart", "evppi_chart"]

_LABELS: dict[str, dict[str, str]] = {
    "ce_plane": {"en": "Cost-effectiveness plane", "fr": "Plan coût-efficacité"},
    "inc_cost": {"en": "Incremental cost", "fr": "Coût incrémental"},
    "inc_effect": {"en": "Incremental effect", "fr": "Effet incrémental"},
    "wtp_line": {"en": "Willingness to pay", "fr": "Disposition à payer"},
    "ceac": {
        "en": "Cost-effectiveness acceptability curves",
        "fr": "Courbes d'acceptabilité coût-efficacité",
    },
    "probability": {"en": "Probability cost-effective", "fr": "Probabilité d'être efficient"},
    "wtp": {
        "en": "Willingness to pay per unit of effect",
        "fr": "Disposition à payer par unité d'effet",
    },
    "frontier": {"en": "Acceptability frontier", "fr": "Frontière d'acceptabilité"},
    "evppi": {
        "en": "Value of information by parameter (EVPPI)",
        "fr": "Valeur de l'information par paramètre (EVPPI)",
    },
    "evppi_axis": {"en": "EVPPI per decision", "fr": "EVPPI par décision"},
    "evpi_line": {"en": "EVPI", "fr": "EVPI"},
}


def _t(key: str, lang: str) -> str:
    if lang not in ("en", "fr"):
        raise ValidationError(
            f"lang must be 'en' or 'fr', got {lang!r}", path=("lang",), code="invalid_choice"
        )
    return _LABELS[key][lang]


def ce_plane_chart(
    costs: Any,
    effects: Any,
    *,
    names: Sequence[str] | None = None,
    reference: int = 0,
    wtp: float | None = None,
    lang: str = "en",
    max_points: int = 2_000,
) -> Any:
    """Scatter of incremental effect and cost of each option against a reference option.

    Parameters
    ----------
    costs, effects : array_like, shape (draws, options)
        Row-aligned draws [currency], [unit of effect].
    names : sequence of str, optional
        Option labels.
    reference : int, default 0
        Column of the comparator (plotted at the origin).
    wtp : float, optional
        Draws the line cost = wtp × effect.
    lang : {"en", "fr"}
    max_points : int, default 2,000
        Draws plotted per option (the first ones), to keep the figure light.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    Draws of the cost per person [EUR] and of the QALYs gained by a home
    fall-prevention programme against usual care (illustrative figures):

    >>> import numpy as np
    >>> rng = np.random.default_rng(0)
    >>> costs = np.column_stack([np.full(500, 1200.0), rng.normal(1500, 100, 500)])
    >>> effects = np.column_stack([np.zeros(500), rng.normal(0.02, 0.01, 500)])
    >>> fig = ce_plane_chart(costs, effects, names=["Usual care", "Fall prevention"],
    ...                      wtp=30_000, lang="fr")
    >>> ax = fig.axes[0]
    >>> ax.get_title(), ax.get_xlabel(), ax.get_ylabel()
    ('Plan coût-efficacité (Usual care = 0)', 'Effet incrémental', 'Coût incrémental')
    """
    c = np.atleast_2d(np.asarray(costs, dtype=float).T).T
    e = np.atleast_2d(np.asarray(effects, dtype=float).T).T
    if c.shape != e.shape or c.ndim != 2 or not 0 <= reference < c.shape[1]:
        raise ValidationError(
            "costs and effects must be (draws, options) and reference a column",
            path=("costs",),
            code="shape",
        )
    labels = list(names) if names is not None else [f"option_{j}" for j in range(c.shape[1])]
    fig = _figure(6.0, 4.5)
    ax = fig.add_subplot()
    dc, de = c - c[:, [reference]], e - e[:, [reference]]
    k = min(max_points, c.shape[0])
    for j in range(c.shape[1]):
        if j == reference:
            continue
        colour = PALETTE[j % len(PALETTE)]
        ax.scatter(de[:k, j], dc[:k, j], s=4, alpha=0.3, color=colour, label=labels[j])
        ax.scatter([de[:, j].mean()], [dc[:, j].mean()], s=60, color=colour, edgecolor="black")
    ax.axhline(0, color="grey", lw=0.8)
    ax.axvline(0, color="grey", lw=0.8)
    if wtp is not None:
        lim = np.abs(de).max() if de.size else 1.0
        xs = np.array([-lim, lim])
        shown = fmt_number(wtp, lang, decimals=0 if float(wtp).is_integer() else 2)
        ax.plot(xs, wtp * xs, ls="--", color="black", label=f"{_t('wtp_line', lang)} {shown}")
    ax.set_xlabel(_t("inc_effect", lang))
    ax.set_ylabel(_t("inc_cost", lang))
    _money_axis(ax.yaxis, lang)
    ax.set_title(f"{_t('ce_plane', lang)} ({labels[reference]} = 0)")
    ax.legend(fontsize=8)
    return plain_text(fig)


def ceac_chart(result: Any, *, lang: str = "en", frontier: bool = True) -> Any:
    """Acceptability curves of an :class:`~impactkit.uncertainty.AcceptabilityResult`.

    Parameters
    ----------
    result : AcceptabilityResult
        From :func:`impactkit.uncertainty.acceptability`.
    lang : {"en", "fr"}
    frontier : bool, default True
        Also draw the acceptability frontier (thick line).

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    A home fall-prevention programme against usual care (illustrative cost
    per person [EUR] and QALYs gained):

    >>> import numpy as np
    >>> from impactkit.uncertainty import acceptability
    >>> rng = np.random.default_rng(0)
    >>> costs = np.column_stack([np.full(500, 1200.0), rng.normal(1500, 100, 500)])
    >>> effects = np.column_stack([np.zeros(500), rng.normal(0.02, 0.01, 500)])
    >>> curves = acceptability(costs, effects, wtp=[0, 10_000, 30_000, 50_000],
    ...                        names=["Usual care", "Fall prevention"])
    >>> ax = ceac_chart(curves, lang="fr").axes[0]
    >>> ax.get_ylabel()
    "Probabilité d'être efficient"
    >>> ax.get_legend_handles_labels()[1]
    ['Usual care', 'Fall prevention', "Frontière d'acceptabilité"]
    >>> ax.lines[1].get_ydata().round(3).tolist()  # fall prevention, by willingness to pay
    [0.006, 0.216, 0.828, 0.92]
    """
    fig = _figure()
    ax = fig.add_subplot()
    for j, name in enumerate(result.options):
        ax.plot(result.wtp, result.probability[:, j], color=PALETTE[j % len(PALETTE)], label=name)
    if frontier:
        f = result.frontier()
        ax.plot(
            f["wtp"], f["probability"], color="black", lw=3, alpha=0.35, label=_t("frontier", lang)
        )
    ax.set_ylim(0, 1)
    ax.set_xlabel(_t("wtp", lang))
    ax.set_ylabel(_t("probability", lang))
    _money_axis(ax.xaxis, lang)
    ax.set_title(_t("ceac", lang))
    ax.legend(fontsize=8)
    return plain_text(fig)


def evppi_chart(result: Any, *, lang: str = "en", top: int = 15) -> Any:
    """Bars of EVPPI by parameter, largest first, with the EVPI as a line.

    Parameters
    ----------
    result : VOIResult
        From :func:`impactkit.uncertainty.value_of_information`.
    lang : {"en", "fr"}
    top : int, default 15
        Parameters shown.

    Returns
    -------
    matplotlib.figure.Figure

    Examples
    --------
    Which uncertain parameter is worth studying before funding a home
    fall-prevention programme (illustrative draws of its cost [EUR] and QALYs
    gained, valued at 30,000 EUR a QALY)?

    >>> import numpy as np
    >>> import pandas as pd
    >>> from impactkit.uncertainty import value_of_information
    >>> rng = np.random.default_rng(0)
    >>> draws = pd.DataFrame({"cost": rng.normal(300, 100, 500),
    ...                       "qaly": rng.normal(0.02, 0.01, 500)})
    >>> net_benefit = np.column_stack([np.zeros(500), 30_000 * draws["qaly"] - draws["cost"]])
    >>> voi = value_of_information(net_benefit, draws, n_bootstrap=20, seed=1)
    >>> ax = evppi_chart(voi, lang="fr").axes[0]
    >>> ax.get_title()
    "Valeur de l'information par paramètre (EVPPI)"
    >>> list(voi.table["parameter"])  # largest EVPPI first
    ['qaly', 'cost']
    >>> [label.get_text() for label in ax.get_yticklabels()]  # bottom to top
    ['cost', 'qaly']
    """
    t = result.table.head(top).iloc[::-1]
    fig = _figure(7.0, 0.8 + 0.4 * max(len(t), 2))
    ax = fig.add_subplot()
    ax.barh(t["parameter"].astype(str), t["evppi"], xerr=1.96 * t["se"], color=PALETTE[1])
    ax.axvline(result.evpi, color=PALETTE[3], ls="--", label=_t("evpi_line", lang))
    ax.set_xlabel(_t("evppi_axis", lang))
    _money_axis(ax.xaxis, lang)
    ax.set_title(_t("evppi", lang))
    ax.legend(fontsize=8)
    return plain_text(fig)
