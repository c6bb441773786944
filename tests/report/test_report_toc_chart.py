"""The theory-of-change chart: layered, links between boxes, a legend, the same bytes every run."""

from __future__ import annotations

import itertools
import os
import subprocess
import sys

import matplotlib
import numpy as np
import pytest
from matplotlib.patches import FancyBboxPatch

import impactkit as ik
from impactkit import report

matplotlib.use("Agg")

SCRIPT = (
    "import sys, hashlib, impactkit as ik\n"
    "from impactkit.report import toc_diagram, to_svg\n"
    "for n in ik.examples.names():\n"
    "    svg = to_svg(toc_diagram(ik.examples.load_example(n).toc, 'fr'))\n"
    "    print(n, hashlib.sha256(svg.encode()).hexdigest())\n"
)


def test_same_bytes_whatever_the_hash_seed():
    outs = []
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, check=True
        )
        outs.append(done.stdout)
    assert outs[0] == outs[1]
    assert len(outs[0].splitlines()) == len(ik.examples.names())


def _boxes(ax):
    return [p for p in ax.patches if isinstance(p, FancyBboxPatch)]


def _crosses(p0, p1, box, margin=1e-6):
    """Whether the segment p0-p1 enters the inside of ``box`` (its edges excluded)."""
    x0, y0 = box.get_x() + margin, box.get_y() + margin
    x1, y1 = x0 + box.get_width() - 2 * margin, y0 + box.get_height() - 2 * margin
    for s in np.linspace(0.0, 1.0, 200):
        x = p0[0] + s * (p1[0] - p0[0])
        y = p0[1] + s * (p1[1] - p0[1])
        if x0 < x < x1 and y0 < y < y1:
            return True
    return False


@pytest.mark.parametrize("name", ik.examples.names())
def test_links_never_cross_a_box(name):
    toc = ik.examples.load_example(name).toc
    ax = report.toc_diagram(toc, "fr").axes[0]
    boxes = _boxes(ax)
    assert len(boxes) == len(toc)
    segments = []
    for line in ax.lines:
        xy = line.get_xydata()
        segments += list(itertools.pairwise(xy))
    for ann in ax.texts:
        if getattr(ann, "arrow_patch", None) is not None:
            segments.append((ann.xyann, ann.xy))
    assert len([a for a in ax.texts if getattr(a, "arrow_patch", None)]) == len(toc.links)
    for p0, p1 in segments:
        assert not any(_crosses(p0, p1, b) for b in boxes), (p0, p1)


def test_layers_run_from_inputs_to_impact_with_a_legend():
    toc = ik.examples.load_example().toc
    fig = report.toc_diagram(toc, "fr")
    ax = fig.axes[0]
    centre = {}
    labels = {t.get_text().replace("\n", " "): t.get_position()[0] for t in ax.texts}
    for n in toc.nodes:
        x = labels[" ".join((n.label or n.id).split())]
        centre[n.kind] = min(centre.get(n.kind, np.inf), x)
    assert centre["input"] < centre["activity"] < centre["output"] < centre["outcome"]
    assert centre["outcome"] < centre["impact"]
    legend = [t.get_text() for t in fig.legends[0].get_texts()]
    assert legend == ["Ressources", "Activités", "Réalisations", "Effets", "Impact"]
    impact = next(n for n in toc.nodes if n.kind == "impact")
    shown = " ".join(t.get_text().replace("\n", " ") for t in ax.texts)
    assert impact.label in shown  # the impact's label is whole, not cut
