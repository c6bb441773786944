"""Published SWEMWBS measurement error drives ReliableChange (Jacobson & Truax 1991).

Shah et al. (2018), Health and Quality of Life Outcomes 16:239, abstract:
baseline SD 3.921, 1 SEM = 1.03 points. With ``sd`` = 3.921 and
``reliability`` = 1 - (1.03 / 3.921)^2, S_diff = sqrt(2) * 3.921 * sqrt(1 - r)
= sqrt(2) * 1.03 = 1.456640 and a change is reliable beyond
1.96 * 1.456640 = 2.855 points.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest

from impactkit.measure import ONS4_NORMS, SWEMWBS, SWEMWBS_NORMS, ReliableChange

S_DIFF = math.sqrt(2.0) * 1.03  # hand: 1.4142136 x 1.03 = 1.4566400


def test_published_figures_and_their_source():
    assert SWEMWBS_NORMS["sd"] == 3.921
    assert SWEMWBS_NORMS["sem"] == 1.03
    assert SWEMWBS_NORMS["clinical_baseline_mean"] == 19.28
    # r = 1 - (1.03 / 3.921)^2 = 1 - 0.26269^2 = 0.930995
    assert SWEMWBS_NORMS["reliability"] == pytest.approx(0.930995, abs=1e-6)
    src = SWEMWBS_NORMS["reliable_change_source"]
    assert "Health and Quality of Life Outcomes 16, 239" in src
    assert "10.1186/s12955-018-1060-2" in src


def test_sem_is_recovered_from_sd_and_reliability():
    sd, r = SWEMWBS_NORMS["sd"], SWEMWBS_NORMS["reliability"]
    assert sd * math.sqrt(1.0 - r) == pytest.approx(SWEMWBS_NORMS["sem"], rel=1e-12)


def _items(totals: list[int], suffix: str) -> dict[str, list[int]]:
    """Seven SWEMWBS items (1-5) summing to each total: as equal as possible."""
    out: dict[str, list[int]] = {f"{c}_{suffix}": [] for c in SWEMWBS.items}
    for t in totals:
        base, extra = divmod(t, 7)
        for i, c in enumerate(SWEMWBS.items):
            out[f"{c}_{suffix}"].append(base + (1 if i < extra else 0))
    return out


def test_reliable_change_uses_the_published_sd_and_reliability():
    pre = [19, 19, 19, 19, 22, 14]
    post = [22, 21, 16, 26, 22, 17]  # changes +3, +2, -3, +7, 0, +3
    df = pd.DataFrame({**_items(pre, "t0"), **_items(post, "t1")})
    assert SWEMWBS.score(df, suffix="t0").tolist() == pre
    assert SWEMWBS.score(df, suffix="t1").tolist() == post
    r = ReliableChange(
        baseline="t0",
        followup="t1",
        measure=SWEMWBS,
        sd=SWEMWBS_NORMS["sd"],
        reliability=SWEMWBS_NORMS["reliability"],
    ).compute(df)
    assert r.s_diff == pytest.approx(S_DIFF, rel=1e-12)
    # RCIs by hand: 3/1.45664 = 2.0595, 2/1.45664 = 1.3730, -2.0595, 7/1.45664 = 4.8056,
    # 0, 2.0595: beyond 1.96 -> improved x3, deteriorated x1, unchanged x2
    assert (r.improved, r.unchanged, r.deteriorated) == (3, 2, 1)
    assert r.quantity == 3.0
    assert r.share == pytest.approx(0.5)


def test_two_point_change_is_within_the_published_noise_but_not_with_a_smaller_sd():
    df = pd.DataFrame({"pre": [19.0], "post": [21.0]})
    published = ReliableChange(
        baseline="pre",
        followup="post",
        sd=SWEMWBS_NORMS["sd"],
        reliability=SWEMWBS_NORMS["reliability"],
    ).compute(df)
    assert published.unchanged == 1  # 2 / 1.45664 = 1.373 <= 1.96
    # same reliability, an SD a third as large: S_diff = 0.48555, RCI = 4.119
    narrow = ReliableChange(
        baseline="pre", followup="post", sd=3.921 / 3, reliability=SWEMWBS_NORMS["reliability"]
    ).compute(df)
    assert narrow.improved == 1


def test_ons4_ships_no_reliability():
    assert "sd" not in ONS4_NORMS
    assert "reliability" not in ONS4_NORMS
