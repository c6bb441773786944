"""Cells without any comparison unit are reported in missing_cells, never dropped silently."""

from __future__ import annotations

import contextlib
import io
import warnings

import numpy as np
import pandas as pd
import pytest

from impactkit import attribution as att
from impactkit.errors import ImpactkitWarning


def _no_never_treated() -> pd.DataFrame:
    """Cohorts 3, 5 and 7 in periods 1..7: nobody is never treated."""
    rng = np.random.default_rng(3)
    n = 150
    g = np.array([3, 5, 7])[np.arange(n) % 3]
    rows = []
    for i in range(n):
        a = rng.normal()
        for t in range(1, 8):
            eff = 1 + 0.5 * (t - g[i]) if t >= g[i] else 0.0
            rows.append({"id": i, "t": t, "g": int(g[i]), "y": a + 0.3 * t + eff + rng.normal()})
    return pd.DataFrame(rows)


def test_cells_without_comparison_units_are_listed_and_warned() -> None:
    df = _no_never_treated()
    with pytest.warns(ImpactkitWarning, match="without any comparison unit"):
        r = att.StaggeredDiD(control="not_yet_treated").estimate(
            df, outcome="y", entity="id", time="t", cohort="g"
        )
    # period 7: everyone is treated; cohort 7 in periods 5 and 6: once cohort 5 adopts, the
    # only units not yet treated are cohort 7's own
    expected = {(3, 7), (5, 7), (7, 5), (7, 6), (7, 7)}
    missing = {(g, t) for g, t, _ in r.missing_cells}
    assert missing == expected
    assert all("no comparison units" in why for _, _, why in r.missing_cells)
    estimated = set(zip(r.att_gt["cohort"], r.att_gt["time"], strict=True))
    assert not estimated & missing
    assert {c["time"] for c in r.to_dict()["missing_cells"] if c["cohort"] == 7} == {5, 6, 7}
    assert "Cells not estimated" in dict(r.summary().lines)


def test_estimated_cells_agree_with_the_reference_port() -> None:
    pytest.importorskip("csdid")
    from csdid.att_gt import ATTgt

    df = _no_never_treated()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        r = att.StaggeredDiD(control="not_yet_treated").estimate(
            df, outcome="y", entity="id", time="t", cohort="g"
        )
        with contextlib.redirect_stdout(io.StringIO()):
            out = ATTgt(
                yname="y",
                gname="g",
                idname="id",
                tname="t",
                data=df,
                control_group="notyettreated",
            ).fit(est_method="dr", bstrap=False)
    ref = pd.DataFrame({k: np.ravel(out.results[k]) for k in ("group", "year", "att", "se")})
    ref = ref.dropna().set_index(["group", "year"])
    mine = r.att_gt.set_index(["cohort", "time"])
    common = ref.index.intersection(mine.index)
    assert len(common) == len(ref)  # every cell R estimates, impactkit estimates too
    np.testing.assert_allclose(mine.loc[common, "att"], ref.loc[common, "att"], atol=1e-10)
    np.testing.assert_allclose(mine.loc[common, "se"], ref.loc[common, "se"], atol=1e-10)
