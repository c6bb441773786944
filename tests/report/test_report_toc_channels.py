"""Links within one column of the theory-of-change chart each run in their own vertical
channel, in the gap between the column and the next, clear of both columns' boxes."""

from __future__ import annotations

import itertools

import matplotlib
import pytest
from matplotlib.patches import FancyBboxPatch

import impactkit as ik
from impactkit import report

matplotlib.use("Agg")

PX = 1 / 96  # a pixel at the chart's natural width [inches]


def _toc() -> ik.TheoryOfChange:
    toc = ik.TheoryOfChange("Canaux")
    toc.add_stakeholder("p", label="Personnes", size=10)
    toc.add_node("act", kind="activity", label="Activité")
    for i in range(1, 5):
        toc.add_node(f"o{i}", kind="outcome", label=f"Effet {i}", stakeholder="p")
        toc.add_link("act", f"o{i}")
    toc.add_node("imp", kind="impact", label="Impact")
    toc.add_link("o1", "o4")  # four rows apart, around the next one
    toc.add_link("o2", "o3")  # nested inside it
    toc.add_link("o3", "imp")
    return toc


def _channels(ax, toc) -> list[float]:
    """x of the vertical part of every within-column link (drawn out, down or up, in)."""
    out = []
    for line in ax.lines:
        xs, ys = line.get_xdata(), line.get_ydata()
        if len(xs) == 3 and xs[1] == xs[2] and ys[0] == ys[1] and ys[1] != ys[2]:
            out.append(float(xs[1]))
    return out


def _box_edges(ax) -> list[tuple[float, float]]:
    return sorted(
        {
            (round(p.get_x(), 9), round(p.get_x() + p.get_width(), 9))
            for p in ax.patches
            if isinstance(p, FancyBboxPatch)
        }
    )


def test_two_within_column_links_have_distinct_channels():
    toc = _toc()
    ax = report.toc_diagram(toc, "fr").axes[0]
    xs = _channels(ax, toc)
    assert len(xs) == 2
    assert xs[0] != pytest.approx(xs[1], abs=2 * PX)
    edges = _box_edges(ax)  # (left, right) of each column's boxes
    (_, right), (next_left, _) = edges[1], edges[2]
    for x in xs:
        assert right + 4 * PX - 1e-9 <= x <= next_left - 4 * PX + 1e-9
    # the link between the nearer boxes (o2 -> o3) runs nearer to them: no crossing
    by_link = {}
    for line in ax.lines:
        xd, yd = line.get_xdata(), line.get_ydata()
        if len(xd) == 3 and xd[1] == xd[2]:
            by_link[abs(yd[1] - yd[2])] = float(xd[1])
    near, far = (by_link[k] for k in sorted(by_link))
    assert near < far


def test_the_example_within_column_links_no_longer_share_a_channel():
    toc = ik.examples.load_example().toc
    ax = report.toc_diagram(toc, "fr").axes[0]
    xs = _channels(ax, toc)
    assert len(xs) == 2
    assert abs(xs[0] - xs[1]) >= 4 * PX


@pytest.mark.parametrize(("width", "n"), [(10.5, 6), (4.0, 9)])  # 9 at 4 in: 4 px apart
def test_many_within_column_links_stay_between_the_columns(width, n):
    toc = ik.TheoryOfChange("Beaucoup")
    toc.add_stakeholder("p", label="Personnes", size=10)
    toc.add_node("act", kind="activity", label="Activité")
    for i in range(n):
        toc.add_node(f"o{i}", kind="outcome", label=f"Effet {i}", stakeholder="p")
        toc.add_link("act", f"o{i}")
    toc.add_node("imp", kind="impact", label="Impact")
    for i in range(n - 1):
        toc.add_link(f"o{i}", f"o{i + 1}")
    toc.add_link("o0", "imp")
    ax = report.toc_diagram(toc, "fr", width=width).axes[0]
    xs = sorted(_channels(ax, toc))
    assert len(xs) == n - 1
    assert min(b - a for a, b in itertools.pairwise(xs)) > 0.5 * PX
    edges = _box_edges(ax)
    (_, right), (next_left, _) = edges[1], edges[2]
    for x in xs:
        assert right + 4 * PX - 1e-9 <= x <= next_left - 4 * PX + 1e-9
