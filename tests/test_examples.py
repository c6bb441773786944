"""The embedded example: loads, validates, is reproducible from its generator."""

from __future__ import annotations

import pandas as pd
import pytest

import impactkit as ik
from impactkit._tables import read_csv
from impactkit.examples import generate


def test_example_loads_and_is_valid():
    m = ik.examples.load_example(measured=False)
    m.validate()
    assert m.toc is not None
    assert len(m.toc.stakeholders) == 5
    assert m.mode == "evaluative"
    assert m.base_year == 2025
    data = ik.examples.load_example_data()
    assert data["participants"].isna().any().any()  # missing values on purpose
    res = ik.sroi(m, data=data)
    assert res.ratio > 1
    for k, meas in res.measured.items():
        assert meas.n + meas.missing > 0
        assert res.by_outcome.loc[k, "quantity"] == meas.quantity


def test_generator_reproduces_the_shipped_files(tmp_path):
    generate.main(tmp_path)
    shipped = ik.examples.load_example_data()
    for name, df in shipped.items():
        # read as the loader reads: identifier columns as text
        pd.testing.assert_frame_equal(read_csv(tmp_path / "data" / f"{name}.csv"), df)
    stored = ik.examples.load_example(measured=False)
    assert ik.load(tmp_path / "emploi_accompagne.json") == stored
    measured = ik.examples.load_example()
    assert not ik.measure.has_calculators(measured)
    assert ik.sroi(measured).ratio == pytest.approx(
        ik.sroi(stored, data=ik.examples.load_example_data()).ratio, rel=1e-12
    )


def test_demo_text():
    text = ik.examples.run_demo(n_draws=2_000, seed=0)
    for part in ("Theory of change", "missing=", "SROI ratio", "90% interval"):
        assert part in text


def test_unit_cost_catalogue():
    from impactkit import methods as M

    cat = ik.examples.load_unit_costs()
    assert cat["aah_month"].transfer
    assert cat["aah_month"].cost == 1033.32
    assert all(u.source for u in cat.values())
    r = M.avoided_costs(
        [M.AvoidedCostItem("esat_place_year", people=10, reduction=1)],
        cat,
        public_funding=[100_000],
        base_year=2023,
        discount=0.0,
    )
    assert r.present_value == 130_000.0
    assert r.warnings[0].code == "average_cost"
