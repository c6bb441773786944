"""The event-study chart of a staggered rollout, in French or English."""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit.errors import ValidationError

__all__ = ["event_study_chart", "event_study_table"]

TEXT = {
    "fr": {
        "title": "Effet selon l'ancienneté dans le dispositif",
        "x": "Années depuis l'entrée (0 = première année)",
        "y": "Effet estimé",
        "event_time": "Années depuis l'entrée",
        "att": "Effet",
        "se": "Erreur-type",
        "ci_low": "Borne basse",
        "ci_high": "Borne haute",
        "band_low": "Bande simultanée, borne basse",
        "band_high": "Bande simultanée, borne haute",
        "critical_value": "Valeur critique de la bande",
        "pointwise": "Intervalle ponctuel",
        "band": "Bande simultanée",
    },
    "en": {
        "title": "Effect by time since adoption",
        "x": "Years since adoption (0 = first year)",
        "y": "Estimated effect",
        "event_time": "Years since adoption",
        "att": "Effect",
        "se": "Std. error",
        "ci_low": "Lower bound",
        "ci_high": "Upper bound",
        "band_low": "Uniform band, lower bound",
        "band_high": "Uniform band, upper bound",
        "critical_value": "Critical value of the band",
        "pointwise": "Pointwise interval",
        "band": "Uniform band",
    },
}


COLUMNS = (
    "event_time",
    "att",
    "se",
    "ci_low",
    "ci_high",
    "band_low",
    "band_high",
    "critical_value",
)


def event_study_table(study: Any) -> pd.DataFrame:
    """The event-study table of a staggered estimate, whatever its form.

    Parameters
    ----------
    study : StaggeredResult, EventStudyResult or pandas.DataFrame
        A group-time result (its dynamic aggregation is used), a Sun–Abraham
        result, or a table with ``event_time``, ``att``, ``ci_low``, ``ci_high``.

    Returns
    -------
    pandas.DataFrame
        ``event_time``, ``att``, ``se`` (when known), ``ci_low``, ``ci_high``,
        and the simultaneous band ``band_low``, ``band_high`` with its
        ``critical_value`` when the study has one (a bootstrapped
        :class:`~impactkit.attribution.StaggeredDiD`).

    Raises
    ------
    ValidationError
        When the table lacks one of the columns.

    Examples
    --------
    >>> t = pd.DataFrame({"event_time": [-1, 0], "att": [0.0, 1.0],
    ...                   "ci_low": [-0.5, 0.5], "ci_high": [0.5, 1.5]})
    >>> event_study_table(t)["att"].tolist()
    [0.0, 1.0]
    """
    if isinstance(study, pd.DataFrame):
        table = study
    elif hasattr(study, "att_gt"):  # group-time result: its dynamic aggregation
        table = study.aggregate("dynamic")
    elif hasattr(study, "event_study"):
        table = study.event_study
    else:
        table = study
    if not isinstance(table, pd.DataFrame):
        raise ValidationError(
            f"an event study is a staggered result or a table, got {type(study).__name__}",
            code="type",
        )
    missing = [c for c in ("event_time", "att", "ci_low", "ci_high") if c not in table.columns]
    if missing:
        raise ValidationError(
            f"the event-study table lacks {missing}", path=("event_study",), code="missing_column"
        )
    cols = [c for c in COLUMNS if c in table.columns]
    return table[cols].sort_values("event_time", ignore_index=True)


def event_study_chart(study: Any, *, lang: str = "en") -> Any:
    """The event study as a chart: effects and intervals by time since adoption.

    Parameters
    ----------
    study : StaggeredResult, EventStudyResult or pandas.DataFrame
        See :func:`event_study_table`.
    lang : {"en", "fr"}, default "en"
        Language of the labels.

    Returns
    -------
    matplotlib.figure.Figure
        Points with their intervals; pre-adoption periods (negative event
        times) in grey, the zero line and the adoption date marked. When the
        study has a simultaneous band, it is drawn as a wide pale bar behind
        the pointwise interval, with a legend.

    Raises
    ------
    ValidationError
        For an unknown language or a table without the needed columns.

    Examples
    --------
    >>> t = pd.DataFrame({"event_time": [-1, 0, 1], "att": [0.0, 1.0, 2.0],
    ...                   "ci_low": [-0.5, 0.5, 1.2], "ci_high": [0.5, 1.5, 2.8]})
    >>> fig = event_study_chart(t, lang="en")
    >>> fig.axes[0].get_xlabel()
    'Years since adoption (0 = first year)'
    """
    if lang not in TEXT:
        raise ValidationError(
            f"lang must be one of {', '.join(TEXT)}, got {lang!r}",
            path=("lang",),
            code="invalid_choice",
        )
    from impactkit.report._charts import _figure, plain_text

    tab = event_study_table(study)
    txt = TEXT[lang]
    fig = _figure(7.0, 3.6)
    ax = fig.add_subplot()
    e = tab["event_time"].to_numpy(dtype=float)
    att = tab["att"].to_numpy(dtype=float)
    lo = att - tab["ci_low"].to_numpy(dtype=float)
    hi = tab["ci_high"].to_numpy(dtype=float) - att
    pre = e < 0
    band = {"band_low", "band_high"} <= set(tab.columns)
    labelled = False
    for mask, colour in ((pre, "#8d99ae"), (~pre, "#2a9d8f")):
        if not mask.any():
            continue
        if band:
            b_lo = att - tab["band_low"].to_numpy(dtype=float)
            b_hi = tab["band_high"].to_numpy(dtype=float) - att
            ax.errorbar(
                e[mask],
                att[mask],
                yerr=[b_lo[mask], b_hi[mask]],
                fmt="none",
                ecolor=colour,
                elinewidth=6,
                alpha=0.3,
                label=None if labelled else txt["band"],
            )
        ax.errorbar(
            e[mask],
            att[mask],
            yerr=[lo[mask], hi[mask]],
            fmt="o",
            color=colour,
            capsize=3,
            lw=1.2,
            label=None if labelled or not band else txt["pointwise"],
        )
        labelled = True
    if band:
        ax.legend(fontsize=8, frameon=False)
    ax.axhline(0.0, color="#1d3557", lw=0.8)
    ax.axvline(-0.5, color="#e63946", lw=0.8, ls="--")
    ax.set_xlabel(txt["x"])
    ax.set_ylabel(txt["y"])
    ax.set_title(txt["title"], fontsize=10)
    fig.subplots_adjust(left=0.12, right=0.98, bottom=0.15, top=0.9)
    return plain_text(fig)
