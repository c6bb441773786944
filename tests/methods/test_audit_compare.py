"""Forecast against evaluation with cohorts and moved start years (docs/methods/profiles.md)."""

from __future__ import annotations

from typing import Any

import pytest

import impactkit as ik
from impactkit import methods as M


def _row(**kw: Any) -> ik.OutcomeValuation:
    args: dict[str, Any] = {"outcome": "a", "stakeholder": "s", "quantity": 10, "proxy": 100}
    args.update(kw)
    return ik.OutcomeValuation(**args)


def _model(rows: list[ik.OutcomeValuation], rate: float) -> ik.ImpactModel:
    return ik.ImpactModel(name="m", discount=rate, inputs=[ik.Input("g", amount=1)], outcomes=rows)


def test_every_cohort_row_is_compared() -> None:
    forecast = _model([_row(start_year=s, duration=2) for s in (1, 2, 3)], 0.0)
    evaluation = _model(
        [_row(start_year=s, duration=2, quantity=q) for s, q in ((1, 8), (2, 12), (3, 5))], 0.0
    )
    c = M.compare(forecast, evaluation)
    assert c["status"].tolist() == ["matched"] * 3
    # by hand: 10 x 100 x 2 years per cohort, then 8, 12 and 5 people
    assert c["pv_forecast"].tolist() == pytest.approx([2000.0, 2000.0, 2000.0])
    assert c["pv_evaluation"].tolist() == pytest.approx([1600.0, 2400.0, 1000.0])
    assert c["pv_forecast"].sum() == pytest.approx(ik.sroi(forecast).present_value)
    assert c["pv_evaluation"].sum() == pytest.approx(ik.sroi(evaluation).present_value)


def test_evaluated_start_year_and_linear_drop_off_count() -> None:
    forecast = _model([_row(start_year=1, duration=2)], 0.1)
    evaluation = _model(
        [_row(start_year=2, duration=2, drop_off=0.5, drop_off_method="linear")], 0.1
    )
    c = M.compare(forecast, evaluation).iloc[0]
    # by hand: 1,000 in years 2 and 3, linear drop-off 50 % -> 1,000 then 500
    expected = 1000 / 1.1**2 + 500 / 1.1**3
    assert c["pv_evaluation"] == pytest.approx(expected)
    assert c["pv_evaluation"] == pytest.approx(ik.sroi(evaluation).present_value)
    parts = sum(c[f"due_to_{g}"] for g in ("quantity", "proxy", "haircuts", "persistence"))
    assert parts == pytest.approx(c["difference"])
    assert c["due_to_persistence"] == pytest.approx(c["difference"])
