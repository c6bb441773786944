"""Charts of results, as matplotlib Figures (extra ``plot``).

Every function returns a new :class:`matplotlib.figure.Figure` built with the
object-oriented API (no global pyplot state), labelled in French or English.
"""

from __future__ import annotations

import io
import itertools
import textwrap
from typing import Any

import numpy as np
import pandas as pd

from impactkit._escape import plain
from impactkit._i18n import t
from impactkit.errors import ValidationError

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

    from impactkit._i18n import fmt_number

    axis.set_major_formatter(FuncFormatter(lambda x, _: fmt_number(x, lang, decimals=0)))


LABEL_WIDTH = 32
"""Characters per line of a category label on a chart axis."""
LABEL_LINES = 2
"""Lines of a category label on a chart axis; a longer label is cut with an ellipsis."""


def short_label(text: Any, width: int = LABEL_WIDTH, lines: int = LABEL_LINES) -> str:
    """A label wrapped on at most ``lines`` lines of ``width`` characters, cut with ``…``.

    A chart cropped to its content grows with its longest label; a bounded
    label keeps the chart's size independent of what users type. Bidirectional
    and control characters are removed first (:func:`impactkit._escape.plain`).
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

    from impactkit._i18n import fmt_number

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
    ...     model, parameters=["inputs[0].amount", "outcomes[0].deadweight"]
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
    >>> ax.get_title().split(" ; ")[0], len(ax.patches)
    ('Simulation de Monte Carlo : 500 tirages', 20)
    >>> ax.get_title().split(" ; ")[1]
    'probabilité que le ratio dépasse 1 pour 1 : 100,0\\xa0%'
    >>> mc_histogram(mc, "en").axes[0].get_title()
    'Monte Carlo simulation: 500 draws; probability that the ratio exceeds 1:1: 100.0%'
    """
    r = np.asarray(mc.ratio)
    fig = _figure()
    ax = fig.add_subplot()
    ax.hist(r, bins=bins, color=PALETTE[1])
    ax.axvline(1.0, color=PALETTE[3], linestyle="--", label=t("one_to_one", lang))
    p = mc.probability_ratio_above(1.0)
    from impactkit._i18n import fmt_number, fmt_pct

    ax.set_xlabel(t("ratio_axis", lang))
    _ratio_axis(ax.xaxis, lang)
    ax.set_ylabel(t("frequency", lang))
    colon, semi = (" :", " ;") if lang == "fr" else (":", ";")
    ax.set_title(
        f"{t('monte_carlo', lang)}{colon} {fmt_number(mc.n, lang, decimals=0)} "
        f"{t('draws', lang)}{semi} {t('p_above_1_short', lang)}{colon} {fmt_pct(p, lang)}",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return plain_text(fig)


def toc_diagram(toc: Any, lang: str = "en", *, width: float = 10.5, texts: Any = None) -> Any:
    """The theory of change as layered boxes: inputs to impact, left to right.

    A layered (Sugiyama-style) drawing: columns run from inputs, activities
    and outputs through the outcomes (one column per outcome level) to the
    impact, columns left empty are dropped; a link that skips columns passes
    through a free slot of each column it crosses, so that every line runs
    in the gaps between columns or through empty slots and never through a
    box; the order within each column is chosen by barycentre sweeps to
    limit crossings. Labels are wrapped to their box and set at 9 pt (12 px
    at the natural width, ``width`` inches, 1008 px for the default), cut
    at six lines; boxes are coloured by node kind, with a legend of the
    kinds shown. Links end in arrowheads at the box edges; links that go
    back (feedback) are dashed. A link between two boxes of one column runs
    out and back in on their right, each in its own vertical channel,
    evenly spaced across the gap to the next column (the link joining the
    nearest boxes nearest to them, so that nested links do not cross), at
    least 4 px from either column's boxes when the gap allows. The drawing
    depends only on the order of the nodes and links, never on hashing: the
    same theory of change gives the same SVG in every run.

    Parameters
    ----------
    toc : TheoryOfChange
        The theory of change to draw.
    lang : {"en", "fr"}, default "en"
        Language of the title and the legend.
    width : float, default 10.5
        Width of the figure [inches]; the height follows from the tallest
        column and the longest labels.
    texts : mapping of str to str, optional
        Translations of the node labels and the title (a model's
        ``translations[lang]``).

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
    >>> [x.get_text() for x in fig.legends[0].get_texts()][:2]
    ['Ressources', 'Activités']
    >>> toc_diagram(toc, "en").axes[0].get_title(loc="left")[:17]
    'Theory of change:'
    """
    from matplotlib.patches import FancyBboxPatch, Patch

    tr = dict(texts or {})
    order = {"input": 0, "activity": 1, "output": 2, "outcome": 3, "impact": 6}
    nodes = list(toc.nodes)
    raw = {n.id: order[n.kind] + (n.level - 3 if n.kind == "outcome" else 0) for n in nodes}
    dense = {v: i for i, v in enumerate(sorted(set(raw.values())))}
    layer = {k: dense[v] for k, v in raw.items()}
    n_layers = max(len(dense), 1)
    # Columns of items (nodes, and one "slot" per column a forward link skips).
    columns: list[list[Any]] = [[] for _ in range(n_layers)]
    for n in nodes:
        columns[layer[n.id]].append(n.id)
    chains: list[tuple[Any, list[Any]]] = []
    for i, lk in enumerate(toc.links):
        a, b = layer[lk.source], layer[lk.target]
        chain: list[Any] = [lk.source]
        for k in range(a + 1, b):
            slot = ("slot", i, k)
            columns[k].append(slot)
            chain.append(slot)
        chain.append(lk.target)
        chains.append((lk, chain))
    where = {item: k for k, col in enumerate(columns) for item in col}
    pred: dict[Any, list[Any]] = {}
    succ: dict[Any, list[Any]] = {}
    for _, chain in chains:
        for u, v in itertools.pairwise(chain):
            if where[v] == where[u] + 1:
                succ.setdefault(u, []).append(v)
                pred.setdefault(v, []).append(u)

    def sweep(k: int, neighbours: dict[Any, list[Any]], ref: list[Any]) -> None:
        rank = {item: i for i, item in enumerate(ref)}
        col = columns[k]
        keys = []
        for i, item in enumerate(col):
            near = [rank[x] for x in neighbours.get(item, []) if x in rank]
            keys.append((sum(near) / len(near) if near else float(i), i))
        columns[k] = [col[i] for _, i in sorted(keys)]

    for _ in range(4):  # barycentre sweeps, down then up: fewer crossings
        for k in range(1, n_layers):
            sweep(k, pred, columns[k - 1])
        for k in range(n_layers - 2, -1, -1):
            sweep(k, succ, columns[k + 1])

    pitch = (width - 0.2) / n_layers
    em = 9 * 0.66 / 72  # width of a character at 9 pt [inches]
    longest = max((len(w) for n in nodes for w in (n.label or n.id).split()), default=8)
    box_w = min(max(pitch * 0.76, longest * em + 0.14), pitch * 0.88)
    chars = max(8, int((box_w - 0.14) / em))
    label = {}
    for n in nodes:
        text = tr.get(n.label or n.id, n.label or n.id)
        lines = textwrap.wrap(text, chars, break_long_words=False) or [n.id]
        label[n.id] = "\n".join(lines[:6]) + ("…" if len(lines) > 6 else "")
    line_h = 9 * 1.3 / 72
    box_h = {k: (v.count("\n") + 1) * line_h + 0.16 for k, v in label.items()}
    slot_h = max(box_h.values(), default=0.4) + 0.28
    rows = max((len(c) for c in columns), default=1)
    plot_h = max(rows, 1) * slot_h
    legend_h = 0.55
    height = max(3.0, plot_h + 0.45 + legend_h)
    fig = _figure(width, height)
    ax = fig.add_axes((0.0, legend_h / height, 1.0, plot_h / height))
    ax.set_axis_off()
    ax.set_xlim(0, width)
    ax.set_ylim(-0.3, plot_h)  # the strip below the boxes carries the links going back
    pos: dict[Any, tuple[float, float]] = {}
    for k, col in enumerate(columns):
        top = plot_h - (rows - len(col)) * slot_h / 2
        for i, item in enumerate(col):
            pos[item] = (0.1 + (k + 0.5) * pitch, top - (i + 0.5) * slot_h)
    kinds = {n.id: n.kind for n in nodes}
    for n in nodes:
        x, y = pos[n.id]
        h = box_h[n.id]
        ax.add_patch(
            FancyBboxPatch(
                (x - box_w / 2, y - h / 2),
                box_w,
                h,
                boxstyle="round,pad=0,rounding_size=0.06",
                fc=KIND_COLOURS[n.kind],
                ec="#333333",
                lw=0.6,
                zorder=2,
            )
        )
        dark = n.kind in ("activity", "outcome")
        ax.text(
            x,
            y,
            label[n.id],
            ha="center",
            va="center",
            fontsize=9,
            zorder=3,
            color="white" if dark else "#1d3557",
        )
    # Links within a column: one vertical channel each, in the gap on the column's
    # right, evenly spaced; the link joining the nearest boxes runs nearest to them
    # (nested links do not cross), ties in link order.
    gap_w = pitch - box_w
    px = 1 / 96  # one pixel at the natural width [inches]
    within: dict[int, list[tuple[int, int]]] = {}
    for i, lk in enumerate(toc.links):
        k = layer[lk.source]
        if layer[lk.target] == k:
            rows_apart = abs(columns[k].index(lk.source) - columns[k].index(lk.target))
            within.setdefault(k, []).append((rows_apart, i))
    channel: dict[int, float] = {}  # link -> distance of its channel from the box edge
    for k, group in within.items():
        room = gap_w if k < n_layers - 1 else min(gap_w, gap_w / 2 + 0.1)
        m = len(group)
        step = room / (m + 1)
        for j, (_, i) in enumerate(sorted(group)):
            if step >= 4 * px or room < 8 * px:
                channel[i] = (j + 1) * step
            else:  # too many to space evenly: from 4 px off this column to 4 px off the next
                channel[i] = 4 * px + j * (room - 8 * px) / max(m - 1, 1)
    for i_link, (lk, chain) in enumerate(chains):
        style = "--" if lk.kind == "feedback" else "-"
        arrow = {
            "arrowstyle": "-|>",
            "mutation_scale": 12,
            "color": "#333333",
            "lw": 1.0,
            "linestyle": style,
            "shrinkA": 0,
            "shrinkB": 0,
        }
        a, b = layer[lk.source], layer[lk.target]
        (x0, y0), (x1, y1) = pos[lk.source], pos[lk.target]
        gap = (pitch - box_w) / 3
        if b == a:  # within a column: out and in on the right, in its own channel
            side = x0 + box_w / 2 + channel[i_link]
            points = [(x0 + box_w / 2, y0), (side, y0), (side, y1), (x1 + box_w / 2, y1)]
        elif b < a:  # back: through the strip below every box
            out, back = x0 - box_w / 2 - gap, x1 + box_w / 2 + gap
            points = [(x0 - box_w / 2, y0), (out, y0), (out, -0.15), (back, -0.15)]
            points += [(back, y1), (x1 + box_w / 2, y1)]
        else:
            points = [(x0 + box_w / 2, y0)]
            for item in chain[1:-1]:
                x, y = pos[item]
                points += [(x - box_w / 2, y), (x + box_w / 2, y)]
            points.append((x1 - box_w / 2, y1))
        if len(points) > 2:
            xs, ys = zip(*points[:-1], strict=True)
            ax.plot(xs, ys, color="#333333", lw=1.0, linestyle=style, zorder=1)
        ax.annotate("", xy=points[-1], xytext=points[-2], zorder=1, arrowprops=arrow)
    shown = [k for k in KIND_COLOURS if k in set(kinds.values())]
    fig.legend(
        [Patch(fc=KIND_COLOURS[k], ec="#333333", lw=0.6) for k in shown],
        [t(f"kind_{k}", lang) for k in shown],
        loc="lower left",
        ncol=len(shown) or 1,
        fontsize=9,
        frameon=False,
        bbox_to_anchor=(0.0, 0.0),
    )
    colon = " :" if lang == "fr" else ":"
    name = tr.get(toc.name, toc.name)
    ax.set_title(f"{t('theory_of_change', lang)}{colon} {name}", fontsize=11, loc="left")
    return plain_text(fig)
