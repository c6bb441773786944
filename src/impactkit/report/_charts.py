"""Charts of results, as matplotlib Figures (extra ``plot``).

Every function returns a new :class:`matplotlib.figure.Figure` built with the
object-oriented API (no global pyplot state), labelled in French or English.
"""

from __future__ import annotations

import io
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from impactkit.errors import ValidationError
from impactkit.report._escape import plain
from impactkit.report._i18n import t

__all__ = [
    "by_stakeholder_chart",
    "by_year_chart",
    "mc_histogram",
    "to_svg",
    "toc_diagram",
    "tornado_chart",
]

PALETTE = ["#1d3557", "#457b9d", "#a8dadc", "#e63946", "#f1a208", "#2a9d8f", "#8d99ae", "#6d597a"]
KIND_COLOURS = {
    "input": "#8d99ae",
    "activity": "#457b9d",
    "output": "#a8dadc",
    "outcome": "#2a9d8f",
    "impact": "#f1a208",
}


def _figure(width: float = 7.0, height: float = 3.6) -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError as exc:  # pragma: no cover - the plot extra
        raise ImportError("charts need matplotlib: pip install 'impactkit[plot]'") from exc
    return Figure(figsize=(width, height))


def _money_axis(axis: Any, lang: str) -> None:
    """Thousands separators of the language on a money axis."""
    from matplotlib.ticker import FuncFormatter

    from impactkit.report._i18n import fmt_number

    axis.set_major_formatter(FuncFormatter(lambda x, _: fmt_number(x, lang, decimals=0)))


LABEL_WIDTH = 32
"""Characters per line of a category label on a chart axis."""
LABEL_LINES = 2
"""Lines of a category label on a chart axis; a longer label is cut with an ellipsis."""


def short_label(text: Any, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """A label wrapped on at most ``lines`` lines of ``width`` characters, cut with ``…``.

    A chart cropped to its content grows with its longest label; a bounded
    label keeps the chart's size independent of what users type. Bidirectional
    and control characters are removed first (:func:`impactkit.report._escape.plain`).
    """
    words = " ".join(plain(text).split())
    wrapped = textwrap.wrap(words, width, break_long_words=True, break_on_hyphens=True)
    if len(wrapped) <= lines:
        return "\n".join(wrapped)
    last = textwrap.shorten(" ".join(wrapped[lines - 1 :]), width - 1, placeholder="")
    last = (last or wrapped[lines - 1][: width - 1]).rstrip() + "…"
    return "\n".join([*wrapped[: lines - 1], last])


def plain_text(fig: Any) -> Any:
    """Render every text of ``fig`` as typed: a ``$`` in a name is a dollar, not mathtext.

    Names come from users ("5$ à 10$", "$\\foo$ users"); matplotlib would
    read a pair of dollars as a formula, and fail or typeset it. Tick labels
    are created lazily, so they are materialised first (a figure returned by a
    chart function is plain whoever draws it). Bidirectional and control
    characters are removed from every text (they would reorder it).
    """
    from matplotlib.text import Text

    for ax in fig.axes:  # tick labels are made lazily: make them now, so they are plain
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                tick.label1.set_parse_math(False)
                tick.label2.set_parse_math(False)
    for text in fig.findobj(Text):
        text.set_parse_math(False)
        shown = text.get_text()
        clean = plain(shown).replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
        if clean != shown:
            text.set_text(clean)
    return fig


def to_svg(fig: Any, *, crop: bool = True) -> str:
    """The figure as inline SVG text (no XML header), for self-contained HTML.

    The same figure gives the same bytes on every run: no date, and the ids
    of clip paths and glyphs come from a fixed salt. Every text of the figure
    is set to be drawn as typed (a ``$`` is not read as mathtext), and the
    figure is cropped to its content.

    Parameters
    ----------
    fig : matplotlib.figure.Figure
        The figure, e.g. from one of the chart functions of this module. Its
        texts are switched to plain text in place.
    crop : bool, default True
        Crop the figure to its content. Cropping measures the drawn figure
        first, which draws it twice; a figure whose margins are laid out by
        hand (the funnel plots) is written at its own size in one drawing.

    Returns
    -------
    str
        The ``<svg ...>...</svg>`` element, starting at ``<svg``.

    Examples
    --------
    >>> from matplotlib.figure import Figure
    >>> fig = Figure(figsize=(2, 1))
    >>> _ = fig.add_subplot().set_title("5$ à 10$")
    >>> svg = to_svg(fig)
    >>> svg.startswith("<svg"), svg.rstrip().endswith("</svg>"), to_svg(fig) == svg
    (True, True, True)
    """
    import matplotlib

    plain_text(fig)
    buf = io.StringIO()
    plain: dict[Any, Any] = {"svg.hashsalt": "impactkit", "svg.id": None, "text.parse_math": False}
    with matplotlib.rc_context(plain):
        fig.savefig(
            buf, format="svg", metadata={"Date": None}, bbox_inches="tight" if crop else None
        )
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def _ratio_axis(axis: Any, lang: str) -> None:
    from matplotlib.ticker import FuncFormatter

    from impactkit.report._i18n import fmt_number

    axis.set_major_formatter(FuncFormatter(lambda x, _: fmt_number(x, lang, decimals=1)))


def _stakeholder_labels(result: Any) -> dict[str, str]:
    model = getattr(result, "model", None)
    toc = getattr(model, "toc", None)
    if toc is None:
        return {}
    return {s.id: s.label or s.id for s in toc.stakeholders}


def by_stakeholder_chart(result: Any, lang: str = "en") -> Any:
    """Horizontal bars of present value by stakeholder (an SROIResult).

    One bar per row of ``result.by_stakeholder``, sorted by present value
    (largest at the top), labelled with the stakeholders' labels from the
    model's theory of change when it has one (their ids otherwise); the
    money axis uses the thousands separators of ``lang``.

    Parameters
    ----------
    result : SROIResult
        The evaluated model (:func:`impactkit.sroi`); its ``by_stakeholder``,
        ``currency`` and ``model`` are read.
    lang : {"en", "fr"}, default "en"
        Language of the title and axis labels.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure with one axes, not attached to pyplot.

    Raises
    ------
    ValidationError
        ``lang`` is not ``"en"`` or ``"fr"``.
    ImportError
        matplotlib is not installed (extra ``plot``).

    Examples
    --------
    >>> import impactkit as ik
    >>> res = ik.sroi(ik.examples.load_example())
    >>> ax = by_stakeholder_chart(res, "fr").axes[0]
    >>> ax.get_title(), ax.get_xlabel()
    ('Valeur par partie prenante', 'Valeur actuelle (EUR)')
    >>> [label.get_text() for label in ax.get_yticklabels()][-1]
    'Personnes accompagnées'
    >>> by_stakeholder_chart(res, "en").axes[0].get_title()
    'Value by stakeholder'
    """
    df = result.by_stakeholder.sort_values("present_value")
    fig = _figure(7.0, 0.5 + 0.45 * max(len(df), 2))
    ax = fig.add_subplot()
    names = _stakeholder_labels(result)
    shown = [short_label(names.get(str(s), str(s))) for s in df["stakeholder"]]
    ax.barh(range(len(df)), df["present_value"], color=PALETTE[1])
    ax.set_yticks(range(len(df)))
    ax.set_yticklabels(shown)
    ax.set_xlabel(f"{t('present_value', lang)} ({result.currency})")
    _money_axis(ax.xaxis, lang)
    ax.set_title(t("by_stakeholder", lang))
    return plain_text(fig)


def by_year_chart(result: Any, lang: str = "en") -> Any:
    """Undiscounted value and present value by year, with cumulative present value.

    Paired bars of ``value`` and ``present_value`` for each year of
    ``result.by_year``, a line of the cumulative present value and a dashed
    horizontal line at the total inputs: the cumulative line crossing it
    shows the discounted payback year.

    Parameters
    ----------
    result : SROIResult
        The evaluated model (:func:`impactkit.sroi`); its ``by_year``,
        ``total_inputs`` and ``currency`` are read.
    lang : {"en", "fr"}, default "en"
        Language of the title, axis labels and legend.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure with one axes, not attached to pyplot.

    Raises
    ------
    ValidationError
        ``lang`` is not ``"en"`` or ``"fr"``.
    ImportError
        matplotlib is not installed (extra ``plot``).

    Examples
    --------
    >>> import impactkit as ik
    >>> res = ik.sroi(ik.examples.load_example())
    >>> ax = by_year_chart(res, "fr").axes[0]
    >>> ax.get_title(), ax.get_xlabel(), [int(x) for x in ax.get_xticks()]
    ('Valeur par année', 'Année', [1, 2, 3])
    >>> by_year_chart(res, "en").axes[0].get_legend_handles_labels()[1]
    ['Cumulative present value', 'Total inputs', 'Value', 'Present value']
    """
    df = result.by_year
    fig = _figure()
    ax = fig.add_subplot()
    x = df["year"].to_numpy()
    ax.bar(x - 0.2, df["value"], width=0.4, color=PALETTE[2], label=t("value", lang))
    ax.bar(
        x + 0.2, df["present_value"], width=0.4, color=PALETTE[1], label=t("present_value", lang)
    )
    ax.plot(
        x,
        df["cumulative_present_value"],
        color=PALETTE[3],
        marker="o",
        label=t("cumulative_present_value", lang),
    )
    ax.axhline(
        result.total_inputs, color=PALETTE[0], linestyle="--", label=t("total_inputs", lang)
    )
    ax.set_xlabel(t("year", lang))
    ax.set_xticks(x)
    ax.set_ylabel(result.currency)
    _money_axis(ax.yaxis, lang)
    ax.legend(fontsize=8)
    ax.set_title(t("by_year", lang))
    return plain_text(fig)


def tornado_chart(
    tornado: pd.DataFrame,
    lang: str = "en",
    *,
    top: int = 12,
    threshold: float | None = 1.0,
    labels: Any = None,
) -> Any:
    """Tornado bars from :func:`impactkit.uncertainty.tornado`, with the 1:1 line.

    ``labels`` maps a parameter path (``outcomes[0].deadweight``) to the text
    shown for it (default: the path).

    Each of the first ``top`` rows of the table is a bar from the metric at
    the parameter's low value (``metric_low``) to the metric at its high
    value (``metric_high``) around the base (``metric_base``, a solid line);
    the rows keep the table's order, the widest swing at the top.

    Parameters
    ----------
    tornado : pandas.DataFrame
        The table of :func:`impactkit.uncertainty.tornado` (columns
        ``parameter``, ``metric_base``, ``metric_low``, ``metric_high``),
        sorted by swing.
    lang : {"en", "fr"}, default "en"
        Language of the title, axis label and legend.
    top : int, default 12
        Rows drawn (the first ones of the table).
    threshold : float or None, default 1.0
        Where to draw the dashed break-even line: 1 for a ratio (1:1), 0 for
        a net present value; None for no line.
    labels : mapping of str to str, optional
        Text shown for a parameter path; paths not in it are shown as they
        are. Labels are shortened to 60 characters.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure with one axes, not attached to pyplot.

    Raises
    ------
    ValidationError
        The table is empty, or ``lang`` is not ``"en"`` or ``"fr"``.
    ImportError
        matplotlib is not installed (extra ``plot``).

    Examples
    --------
    >>> import impactkit as ik
    >>> model = ik.examples.load_example()
    >>> table = ik.uncertainty.tornado(
    ...     model, params=["inputs[0].amount", "outcomes[0].deadweight"]
    ... )
    >>> fig = tornado_chart(table, "fr", labels={"inputs[0].amount": "Financement"})
    >>> ax = fig.axes[0]
    >>> ax.get_xlabel(), [label.get_text() for label in ax.get_yticklabels()]
    ('Ratio SROI', ['outcomes[0].deadweight', 'Financement'])
    >>> tornado_chart(table, "en", top=1).axes[0].get_legend_handles_labels()[1]
    ['1:1', 'low', 'high']
    """
    if tornado.empty:
        raise ValidationError("the tornado table is empty", path=("tornado",), code="empty")
    df = tornado.head(top).iloc[::-1]
    base = float(df["metric_base"].iloc[0])
    fig = _figure(7.0, 0.6 + 0.4 * len(df))
    ax = fig.add_subplot()
    y = np.arange(len(df))
    lo = df["metric_low"].to_numpy()
    hi = df["metric_high"].to_numpy()
    ax.barh(y, lo - base, left=base, color=PALETTE[3], label=t("low", lang))
    ax.barh(y, hi - base, left=base, color=PALETTE[1], label=t("high", lang))
    ax.set_yticks(y)
    names = dict(labels or {})
    ax.set_yticklabels(
        [textwrap.shorten(str(names.get(p, p)), 60) for p in df["parameter"]],
        fontsize=8,
    )
    ax.axvline(base, color="black", linewidth=0.8)
    if threshold is not None:
        ax.axvline(threshold, color=PALETTE[4], linestyle="--", label=t("one_to_one", lang))
    ax.set_xlabel(t("ratio_axis", lang))
    _ratio_axis(ax.xaxis, lang)
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(textwrap.fill(t("tornado", lang), 70), fontsize=10)
    return plain_text(fig)


def mc_histogram(mc: Any, lang: str = "en", *, bins: int = 60) -> Any:
    """Histogram of Monte Carlo ratio draws with the 1:1 line and P(ratio > 1).

    The title gives the number of draws and the share of draws whose ratio
    exceeds 1, formatted in ``lang``.

    Parameters
    ----------
    mc : MonteCarloResult
        The simulation (:func:`impactkit.uncertainty.monte_carlo`); its
        ``ratio`` draws, ``n`` and ``probability_ratio_above`` are used.
    lang : {"en", "fr"}, default "en"
        Language of the title, axis labels and legend.
    bins : int, default 60
        Number of bins of the histogram.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure with one axes, not attached to pyplot.

    Raises
    ------
    ValidationError
        ``lang`` is not ``"en"`` or ``"fr"``.
    ImportError
        matplotlib is not installed (extra ``plot``).

    Examples
    --------
    >>> import impactkit as ik
    >>> mc = ik.uncertainty.monte_carlo(ik.examples.load_example(), n=500, seed=1)
    >>> ax = mc_histogram(mc, "fr", bins=20).axes[0]
    >>> ax.get_title(), len(ax.patches)
    ('Simulation de Monte-Carlo : 500 tirages ; P(> 1) = 100,0\\xa0%', 20)
    >>> mc_histogram(mc, "en").axes[0].get_title()
    'Monte Carlo simulation: 500 draws; P(> 1) = 100.0%'
    """
    r = np.asarray(mc.ratio)
    fig = _figure()
    ax = fig.add_subplot()
    ax.hist(r, bins=bins, color=PALETTE[1])
    ax.axvline(1.0, color=PALETTE[3], linestyle="--", label=t("one_to_one", lang))
    p = mc.probability_ratio_above(1.0)
    from impactkit.report._i18n import fmt_number, fmt_pct

    ax.set_xlabel(t("ratio_axis", lang))
    _ratio_axis(ax.xaxis, lang)
    ax.set_ylabel(t("frequency", lang))
    colon, semi = (" :", " ;") if lang == "fr" else (":", ";")
    ax.set_title(
        f"{t('monte_carlo', lang)}{colon} {fmt_number(mc.n, lang, decimals=0)} "
        f"{t('draws', lang)}{semi} P(> 1) = {fmt_pct(p, lang)}",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return plain_text(fig)


def toc_diagram(toc: Any, lang: str = "en", *, width: float = 10.5) -> Any:
    """The theory of change as layered boxes: inputs to impact, left to right.

    Labels are wrapped to fit their column and set at 9 pt, so that the
    diagram shown at its natural width (``width`` inches, 1008 px for the
    default) keeps text of 12 px; links end in arrowheads at the box edges,
    feedback links dashed.

    Columns run from inputs, activities and outputs through the outcomes (one
    column per outcome level) to the impact; columns left empty by the
    theory of change are dropped. Boxes are coloured by node kind and hold
    the node's label (its id when it has none), cut at four lines.

    Parameters
    ----------
    toc : TheoryOfChange
        The theory of change to draw.
    lang : {"en", "fr"}, default "en"
        Language of the title.
    width : float, default 10.5
        Width of the figure [inches]; the height follows from the tallest
        column and the longest labels.

    Returns
    -------
    matplotlib.figure.Figure
        A new figure with one axes (axis lines off), not attached to pyplot.

    Raises
    ------
    ValidationError
        ``lang`` is not ``"en"`` or ``"fr"``.
    ImportError
        matplotlib is not installed (extra ``plot``).

    Examples
    --------
    >>> import impactkit as ik
    >>> toc = ik.examples.load_example().toc
    >>> fig = toc_diagram(toc, "fr", width=8)
    >>> fig.axes[0].get_title(loc="left")
    'Théorie du changement : Emploi accompagné - Association Horizons Emploi'
    >>> float(fig.get_size_inches()[0])
    8.0
    >>> len(fig.axes[0].texts) == len(toc) + len(toc.links)  # a box per node, an arrow per link
    True
    >>> toc_diagram(toc, "en").axes[0].get_title(loc="left")[:17]
    'Theory of change:'
    """
    import networkx as nx

    order = {"input": 0, "activity": 1, "output": 2, "outcome": 3, "impact": 6}
    g = nx.DiGraph()
    for n in toc.nodes:
        layer = order[n.kind] + (n.level - 3 if n.kind == "outcome" else 0)
        g.add_node(n.id, layer=layer)
    g.add_edges_from((lk.source, lk.target) for lk in toc.links)
    used = sorted({d["layer"] for _, d in g.nodes(data=True)})
    dense = {layer: i for i, layer in enumerate(used)}
    for _, d in g.nodes(data=True):
        d["layer"] = dense[d["layer"]]
    pos = nx.multipartite_layout(g, subset_key="layer", align="vertical") if len(g) else {}
    layers = max(len(used), 1)
    per_layer = max(
        (sum(1 for _, d in g.nodes(data=True) if d["layer"] == k) for k in range(layers)),
        default=1,
    )
    chars = max(12, int(width * 72 / layers / 6.0))
    wrapped = {}
    for n in toc.nodes:
        lines = textwrap.wrap(n.label or n.id, chars) or [n.id]
        wrapped[n.id] = "\n".join(lines[:4]) + ("…" if len(lines) > 4 else "")
    tallest = max((w.count("\n") + 1 for w in wrapped.values()), default=1)
    fig = _figure(width, max(3.0, per_layer * (0.35 + 0.2 * tallest) + 0.8))
    ax = fig.add_subplot()
    ax.set_axis_off()
    boxes = {}
    for n in toc.nodes:
        x, y = pos[n.id]
        boxes[n.id] = ax.text(
            x,
            y,
            wrapped[n.id],
            ha="center",
            va="center",
            fontsize=9,
            zorder=2,
            bbox={
                "boxstyle": "round,pad=0.4",
                "fc": KIND_COLOURS[n.kind],
                "ec": "#333333",
                "lw": 0.6,
            },
        )
    for lk in toc.links:
        (x0, y0), (x1, y1) = pos[lk.source], pos[lk.target]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            zorder=3,
            arrowprops={
                "arrowstyle": "-|>",
                "mutation_scale": 14,
                "color": "#333333",
                "lw": 1.0,
                "linestyle": "--" if lk.kind == "feedback" else "-",
                "patchA": boxes[lk.source].get_bbox_patch(),
                "patchB": boxes[lk.target].get_bbox_patch(),
                "shrinkA": 1,
                "shrinkB": 1,
            },
        )
    colon = " :" if lang == "fr" else ":"
    ax.set_title(f"{t('theory_of_change', lang)}{colon} {toc.name}", fontsize=11, loc="left")
    if pos:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        pad_x = 0.5 * (max(xs) - min(xs) or 1.0) / layers
        pad_y = 0.5 * (max(ys) - min(ys) or 1.0) / max(per_layer - 1, 1)
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    fig.subplots_adjust(left=0.01, right=0.99, top=0.92, bottom=0.02)
    return plain_text(fig)
