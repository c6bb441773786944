"""The truncated normal's moments take the more accurate of their two paths."""

from __future__ import annotations

import ast
import collections
import math
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

import impactkit
from impactkit import dist

SRC = Path(impactkit.__file__).parent


def _constants_bound_twice(path: Path) -> list[str]:
    counts: collections.Counter[str] = collections.Counter()
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        targets: list[ast.expr] = []
        if isinstance(node, ast.Assign):
            targets = list(node.targets)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            targets = [node.target]
        counts.update(
            t.id for t in targets if isinstance(t, ast.Name) and t.id.lstrip("_").isupper()
        )
    return sorted(n for n, k in counts.items() if k > 1)


def test_no_module_constant_is_bound_twice() -> None:
    # dist.py bound _TAIL to 5.0 (a reach in sd) and again to 1e-9 (a tail
    # probability): the second silently replaced the first where it was read
    twice = {
        str(p.relative_to(SRC)): names
        for p in sorted(SRC.rglob("*.py"))
        if (names := _constants_bound_twice(p))
    }
    assert twice == {}


def _reference(a: float, b: float) -> tuple[float, float]:
    """Mean and variance of N(0, 1) on [a, b] in 60-digit arithmetic."""
    mp = pytest.importorskip("mpmath")
    with mp.workdps(60):
        lo = -mp.inf if math.isinf(a) else mp.mpf(a)
        hi = mp.mpf(b)
        z = mp.ncdf(hi) - mp.ncdf(lo)
        pa = 0 if math.isinf(a) else mp.npdf(lo)
        apa = 0 if math.isinf(a) else lo * pa
        m = (pa - mp.npdf(hi)) / z
        return float(m), float(1 + (apa - hi * mp.npdf(hi)) / z - m * m)


@pytest.mark.parametrize("c", [0.5, 1.0, 2.0, 3.0, 4.0, 5.0])
@pytest.mark.parametrize("width", [1.5, 5.0, math.inf])
def test_mode_outside_the_window_keeps_the_variance_to_rounding(c: float, width: float) -> None:
    # the near bound c sd below the mode: the closed form (and scipy's
    # truncnorm, which shares it) loses digits of the variance as c grows
    b = -c
    a = b - width
    ref_m, ref_v = _reference(a, b)
    d = dist.Normal(0.0, 1.0, low=None if math.isinf(a) else a, high=b)
    assert abs(d.mean() - ref_m) <= 1e-14
    assert d.var() == pytest.approx(ref_v, rel=1e-14, abs=0)
    # scipy agrees to its own precision, which is the closed form's
    assert d.var() == pytest.approx(float(stats.truncnorm.var(a, b)), rel=1e-10)
    # mirrored above the mode: the same moments, reflected
    e = dist.Normal(0.0, 1.0, low=-b, high=None if math.isinf(a) else -a)
    assert abs(e.mean() + ref_m) <= 1e-14
    assert e.var() == pytest.approx(ref_v, rel=1e-14, abs=0)


@pytest.mark.parametrize(("low", "high"), [(-1.0, 2.0), (-3.0, 0.5), (None, 0.0), (-0.2, None)])
def test_window_holding_the_mode_takes_the_closed_form(
    low: float | None, high: float | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    a = -np.inf if low is None else low
    b = np.inf if high is None else high
    expected = (float(stats.truncnorm.mean(a, b)), float(stats.truncnorm.var(a, b)))

    def refuse(c: float, t: float) -> tuple[float, float]:
        raise AssertionError("quadrature used for a window holding the mode")

    monkeypatch.setattr(dist, "_near_bound_moments", refuse)
    d = dist.Normal(0.0, 1.0, low=low, high=high)
    assert d.mean() == pytest.approx(expected[0], rel=1e-13, abs=1e-15)
    assert d.var() == pytest.approx(expected[1], rel=1e-13)
