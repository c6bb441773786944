"""Decision-analysis charts draw results in French and English."""

from __future__ import annotations

import numpy as np
import pandas as pd


def test_decision_charts_draw_in_both_languages():
    from impactkit.report import ce_plane_chart, ceac_chart, evppi_chart
    from impactkit.uncertainty import acceptability, value_of_information

    rng = np.random.default_rng(0)
    e = np.column_stack([np.zeros(400), rng.normal(1, 0.3, 400)])
    c = np.column_stack([np.zeros(400), rng.normal(1000, 200, 400)])
    acc = acceptability(c, e, wtp=np.linspace(0, 3000, 31), names=["none", "programme"])
    s = pd.DataFrame({"a": rng.normal(size=400), "b": rng.normal(size=400)})
    voi = value_of_information(s["a"] + 0.2 * s["b"], s, n_bootstrap=5)
    for lang in ("en", "fr"):
        fig = ce_plane_chart(c, e, names=["none", "programme"], wtp=1000.0, lang=lang)
        assert fig.axes[0].get_xlabel()
        fig = ceac_chart(acc, lang=lang)
        assert len(fig.axes[0].lines) == 3
        fig = evppi_chart(voi, lang=lang)
        assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["b", "a"]
    assert "plan" in ce_plane_chart(c, e, lang="fr").axes[0].get_title().lower()


def test_decision_charts_show_user_names_as_typed(tmp_path):
    """A "$" in an option or parameter name is a dollar, not a formula (saving used to fail)."""
    from impactkit.report import ce_plane_chart, ceac_chart, evppi_chart
    from impactkit.uncertainty import acceptability, value_of_information

    rng = np.random.default_rng(1)
    names = ["5$ à 10$", "$\\foo$ users"]
    e = np.column_stack([np.zeros(300), rng.normal(1, 0.3, 300)])
    c = np.column_stack([np.zeros(300), rng.normal(1000, 200, 300)])
    acc = acceptability(c, e, wtp=np.linspace(0, 3000, 11), names=names)
    s = pd.DataFrame({"$a$": rng.normal(size=300), "b": rng.normal(size=300)})
    voi = value_of_information(s["$a$"] + 0.2 * s["b"], s, n_bootstrap=5)
    figs = [
        ce_plane_chart(c, e, names=names, wtp=30_000.0, lang="fr"),
        ceac_chart(acc, lang="fr"),
        evppi_chart(voi, lang="fr"),
    ]
    for i, fig in enumerate(figs):
        fig.savefig(tmp_path / f"{i}.png")
    legend = [t.get_text() for t in figs[0].axes[0].get_legend().get_texts()]
    assert any("30\u202f000" in t for t in legend)  # French thousands, not "30000"


def test_html_report_ranks_parameters_by_evppi():
    import impactkit as ik

    model = ik.ImpactModel(
        name="m",
        currency="EUR",
        inputs=[ik.Input("Grant", amount=120_000)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="o",
                stakeholder="s",
                quantity=ik.dist.Triangular(30, 45, 60),
                proxy=ik.dist.LogNormal(mean=3_000, sd=800),
                duration=3,
                deadweight=ik.dist.Uniform(0.2, 0.5),
            )
        ],
    )
    content = ik.report.analyse(model, lang="fr", n_draws=4096, value_of_information=True)
    page = ik.report.html(content)
    assert "Valeur de l&#x27;information par paramètre" in page or "EVPPI" in page
    assert "data-table='evppi'" in page or 'data-table="evppi"' in page
    plain = ik.report.html(ik.report.analyse(model, lang="fr", n_draws=4096))
    assert "EVPPI" not in plain
