"""A bootstrapped event study shows its simultaneous band in the report, in both languages."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import impactkit as ik

pytest.importorskip("matplotlib")


def _rollout():
    rng = np.random.default_rng(0)
    rows = []
    for i in range(90):
        g = (0, 3, 4)[i % 3]
        for t in range(1, 6):
            eff = (1 + (t - g)) if g and t >= g else 0.0
            rows.append({"id": i, "t": t, "g": g, "y": rng.normal() + t + eff})
    return pd.DataFrame(rows)


def test_the_band_and_its_critical_value_reach_table_chart_and_report():
    r = ik.attribution.StaggeredDiD(n_bootstrap=499).estimate(
        _rollout(), outcome="y", entity="id", time="t", cohort="g", seed=1
    )
    tab = ik.report.event_study_table(r)
    assert {"band_low", "band_high", "critical_value"} <= set(tab.columns)
    assert (tab["band_low"] <= tab["ci_low"]).all()
    fig = ik.report.event_study_chart(r, lang="fr")
    legend = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert legend == ["Bande simultanée", "Intervalle ponctuel"]
    model = ik.examples.load_example()
    fr = ik.report.analyse(model, lang="fr", n_draws=0, sensitivity=False, event_study=r)
    page = ik.report.html(fr)
    assert "Bande simultanée, borne basse" in page
    assert "Valeur critique de la bande" in page
    assert "band_low" not in page
    assert "critical_value" not in page
    md = ik.report.markdown(
        ik.report.analyse(model, lang="en", n_draws=0, sensitivity=False, event_study=r)
    )
    assert "Uniform band, lower bound" in md
    # without the bootstrap: no band, no legend
    plain = ik.attribution.StaggeredDiD().estimate(
        _rollout(), outcome="y", entity="id", time="t", cohort="g"
    )
    assert "band_low" not in ik.report.event_study_table(plain).columns
    assert ik.report.event_study_chart(plain, lang="en").axes[0].get_legend() is None
