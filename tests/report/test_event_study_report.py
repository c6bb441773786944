"""The event study of a staggered rollout in the report: chart, table, both languages."""

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


def test_the_report_shows_the_event_study():
    r = ik.attribution.StaggeredDiD().estimate(
        _rollout(), outcome="y", entity="id", time="t", cohort="g"
    )
    model = ik.examples.load_example()
    fr = ik.report.analyse(model, lang="fr", n_draws=0, sensitivity=False, event_study=r)
    dyn = r.aggregate("dynamic")
    assert fr.event_study["att"].tolist() == pytest.approx(dyn["att"].tolist())
    page = ik.report.html(fr)
    assert "Effet selon l'ancienneté dans le dispositif" in page
    assert "data-table='event_study'" in page or 'data-table="event_study"' in page
    md = ik.report.markdown(
        ik.report.analyse(model, lang="en", n_draws=0, sensitivity=False, event_study=r)
    )
    assert "## Effect by time since adoption" in md
    plain = ik.report.html(ik.report.analyse(model, n_draws=0, sensitivity=False))
    assert "Effect by time since adoption" not in plain


def test_event_study_table_accepts_every_form_and_refuses_others():
    df = _rollout()
    cs = ik.attribution.StaggeredDiD().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    sa = ik.attribution.SunAbraham().estimate(df, outcome="y", entity="id", time="t", cohort="g")
    assert list(ik.report.event_study_table(cs)["event_time"]) == list(
        cs.aggregate("dynamic")["event_time"]
    )
    assert len(ik.report.event_study_table(sa)) == len(sa.event_study)
    with pytest.raises(ik.ValidationError, match="lacks"):
        ik.report.event_study_table(pd.DataFrame({"event_time": [0]}))
    fig = ik.report.event_study_chart(cs, lang="fr")
    assert fig.axes[0].get_ylabel() == "Effet estimé"
