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


def plain_text(fig: Any) -> Any:
    """Render every text of ``fig`` as typed: a ``$`` in a name is a dollar, not mathtext.

    Names come from users ("5$ à 10$", "$\\foo$ users"); matplotlib would
    read a pair of dollars as a formula, and fail or typeset it. Tick labels
    are created lazily, so they are materialised first.
    """
    from matplotlib.text import Text

    for ax in fig.axes:
        for axis in (ax.xaxis, ax.yaxis):
            for tick in [*axis.get_major_ticks(), *axis.get_minor_ticks()]:
                tick.label1.set_parse_math(False)
                tick.label2.set_parse_math(False)
    for text in fig.findobj(Text):
        text.set_parse_math(False)
    return fig


def to_svg(fig: Any) -> str:
    """The figure as inline SVG text (no XML header), for self-contained HTML."""
    plain_text(fig)
    buf = io.StringIO()
    fig.savefig(buf, format="svg", metadata={"Date": None}, bbox_inches="tight")
    svg = buf.getvalue()
    return svg[svg.index("<svg") :]


def by_stakeholder_chart(result: Any, lang: str = "en") -> Any:
    """Horizontal bars of present value by stakeholder (an SROIResult)."""
    df = result.by_stakeholder.sort_values("present_value")
    fig = _figure(7.0, 0.5 + 0.45 * max(len(df), 2))
    ax = fig.add_subplot()
    ax.barh(df["stakeholder"].astype(str), df["present_value"], color=PALETTE[1])
    ax.set_xlabel(f"{t('present_value', lang)} ({result.currency})")
    _money_axis(ax.xaxis, lang)
    ax.set_title(t("by_stakeholder", lang))
    return plain_text(fig)


def by_year_chart(result: Any, lang: str = "en") -> Any:
    """Undiscounted value and present value by year, with cumulative present value."""
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
    tornado: pd.DataFrame, lang: str = "en", *, top: int = 12, threshold: float | None = 1.0
) -> Any:
    """Tornado bars from :func:`impactkit.uncertainty.tornado`, with the 1:1 line."""
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
    ax.set_yticklabels([str(p) for p in df["parameter"]], fontsize=8)
    ax.axvline(base, color="black", linewidth=0.8)
    if threshold is not None:
        ax.axvline(threshold, color=PALETTE[4], linestyle="--", label=t("one_to_one", lang))
    ax.set_xlabel(t("ratio_axis", lang))
    ax.legend(fontsize=8, loc="lower right")
    ax.set_title(t("tornado", lang), fontsize=10)
    return plain_text(fig)


def mc_histogram(mc: Any, lang: str = "en", *, bins: int = 60) -> Any:
    """Histogram of Monte Carlo ratio draws with the 1:1 line and P(ratio > 1)."""
    r = np.asarray(mc.ratio)
    fig = _figure()
    ax = fig.add_subplot()
    ax.hist(r, bins=bins, color=PALETTE[1])
    ax.axvline(1.0, color=PALETTE[3], linestyle="--", label=t("one_to_one", lang))
    p = mc.probability_ratio_above(1.0)
    ax.set_xlabel(t("ratio_axis", lang))
    ax.set_ylabel(t("frequency", lang))
    ax.set_title(
        f"{t('monte_carlo', lang)}: {mc.n:,} {t('draws', lang)}; P(>1) = {100 * p:.1f} %",
        fontsize=10,
    )
    ax.legend(fontsize=8)
    return plain_text(fig)


def toc_diagram(toc: Any, lang: str = "en") -> Any:
    """The theory of change as layered boxes: inputs to impact, left to right."""
    import networkx as nx

    order = {"input": 0, "activity": 1, "output": 2, "outcome": 3, "impact": 6}
    g = nx.DiGraph()
    for n in toc.nodes:
        layer = order[n.kind] + (n.level - 3 if n.kind == "outcome" else 0)
        g.add_node(n.id, layer=layer)
    g.add_edges_from((lk.source, lk.target) for lk in toc.links)
    pos = nx.multipartite_layout(g, subset_key="layer", align="vertical") if len(g) else {}
    layers = max((d["layer"] for _, d in g.nodes(data=True)), default=0) + 1
    per_layer = max(
        (sum(1 for _, d in g.nodes(data=True) if d["layer"] == k) for k in range(layers)),
        default=1,
    )
    fig = _figure(max(7.0, 2.4 * layers), max(3.0, 1.1 * per_layer))
    ax = fig.add_subplot()
    ax.set_axis_off()
    for lk in toc.links:
        (x0, y0), (x1, y1) = pos[lk.source], pos[lk.target]
        ax.annotate(
            "",
            xy=(x1, y1),
            xytext=(x0, y0),
            arrowprops={
                "arrowstyle": "->",
                "color": "#555555",
                "lw": 0.8,
                "linestyle": "--" if lk.kind == "feedback" else "-",
                "shrinkA": 18,
                "shrinkB": 18,
            },
        )
    for n in toc.nodes:
        x, y = pos[n.id]
        lines = textwrap.wrap(n.label, 20)
        label = "\n".join(lines[:3]) + ("…" if len(lines) > 3 else "")
        ax.text(
            x,
            y,
            label,
            ha="center",
            va="center",
            fontsize=7,
            bbox={
                "boxstyle": "round,pad=0.4",
                "fc": KIND_COLOURS[n.kind],
                "ec": "#333333",
                "lw": 0.5,
            },
        )
    ax.set_title(f"{t('theory_of_change', lang)}: {toc.name}", fontsize=10)
    if pos:
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        pad_x = 0.12 * (max(xs) - min(xs) or 1.0)
        pad_y = 0.15 * (max(ys) - min(ys) or 1.0)
        ax.set_xlim(min(xs) - pad_x, max(xs) + pad_x)
        ax.set_ylim(min(ys) - pad_y, max(ys) + pad_y)
    return plain_text(fig)
