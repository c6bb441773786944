"""Notebook display and short reprs: results, models, theories of change, price indices.

Every result type is checked by tests/test_result_contract.py; this file checks the
shared rendering (escaping, limits, headline order) and the three specifications.
"""

from __future__ import annotations

import attrs
import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import impactkit as ik
from impactkit._results import REPR_LIMIT, Summary, displayed, html_table, short_repr

HOSTILE = '<script>alert("x")</script> & <b>'


def _model(name="m"):
    return ik.ImpactModel(
        name=name,
        inputs=[ik.Input("funding", amount=1000.0)],
        outcomes=[ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=10, proxy=300.0)],
    )


def test_sroi_repr_is_short_with_headline_first():
    res = ik.sroi(ik.examples.load_example(), data=ik.examples.load_example_data())
    text = repr(res)
    assert len(text) < REPR_LIMIT
    assert text.startswith("<SROIResult: SROI ratio 2.16 : 1; Present value")
    page = res._repr_html_()
    assert page.index("SROI ratio") < page.index("Present value") < page.index("Total inputs")


def test_html_escapes_every_text():
    res = ik.sroi(_model(HOSTILE))
    page = res._repr_html_()
    assert "<script>" not in page
    assert "<b>" not in page
    assert "&lt;script&gt;" in page
    for obj in (
        _model(HOSTILE),
        ik.TheoryOfChange(HOSTILE),
        ik.PriceIndex({2020: 1.0}, name=HOSTILE),
    ):
        page = obj._repr_html_()
        assert "<script>" not in page, type(obj)
        assert "<b>" not in page, type(obj)
        assert "&lt;script&gt;" in page


def test_summary_table_is_cut_in_notebooks():
    s = Summary("T", (("a", "1"),), pd.DataFrame({"x": range(50)}))
    page = html_table(s, rows=5)
    assert page.count("<tr>") == 1 + 5  # one figure, five rows (the header row is styled)
    assert "45 more rows" in page


@given(
    st.text(max_size=300),
    st.lists(st.tuples(st.text(max_size=300), st.text(max_size=300)), max_size=8),
    st.lists(st.text(max_size=20), max_size=4),
)
def test_short_repr_is_always_one_short_line(kind, lines, headline):
    text = short_repr(kind, lines, headline=headline)
    assert len(text) < REPR_LIMIT
    assert "\n" not in text
    assert "\r" not in text
    assert text.startswith("<")
    assert text.endswith(">")


def test_headline_lines_are_found_by_label_start_or_part():
    lines = [("Draws", "9"), ("90% interval", "1 - 2"), ("Median ratio", "1.5 : 1")]
    assert short_repr("R", lines, headline=["Median", "interval"]) == (
        "<R: Median ratio 1.5 : 1; 90% interval 1 - 2>"
    )
    assert short_repr("R", lines) == "<R: Draws 9; 90% interval 1 - 2; Median ratio 1.5 : 1>"


def test_repr_never_fails():
    @displayed
    @attrs.frozen
    class Broken:
        x: int

        def summary(self) -> Summary:
            raise RuntimeError("no summary")

    assert repr(Broken(1)) == "<Broken>"


def test_model_repr_shows_counts_without_computing():
    m = ik.examples.load_example()
    text = repr(m)
    assert len(text) < REPR_LIMIT
    assert "\n" not in text
    assert text == (
        "<ImpactModel 'Emploi accompagné - Horizons Emploi (exemple)': 4 outcomes, 5 inputs, "
        "14 ToC nodes; EUR 2025, evaluative>"
    )
    page = m._repr_html_()
    assert "ratio" not in page.lower()
    assert '<th style="text-align:left">Outcomes</th><td>4</td>' in page
    long = repr(_model("n" * 500))
    assert len(long) < REPR_LIMIT


def test_toc_repr_counts_nodes_by_kind():
    toc = ik.examples.load_example().toc
    assert repr(toc) == (
        "TheoryOfChange('Emploi accompagné - Association Horizons Emploi', 5 stakeholders, "
        "14 nodes (2 input, 2 activity, 2 output, 7 outcome, 1 impact), 16 links)"
    )
    assert '<th style="text-align:left">Outcome nodes</th><td>7</td>' in toc._repr_html_()
    assert repr(ik.TheoryOfChange("empty")) == (
        "TheoryOfChange('empty', 0 stakeholders, 0 nodes, 0 links)"
    )


def test_price_index_repr_leaves_out_the_source_note():
    idx = ik.PriceIndex(
        {2020: 100.0, 2021: 101.0, 2024: 116.0}, name="CPI", source="a long note " * 40
    )
    assert repr(idx) == "<PriceIndex 'CPI': 3 years, 2020-2024>"
    page = idx._repr_html_()
    assert "a long note" in page
    assert "<td>2024</td>" in page
