"""ik.lint: every finding with a code, severity, path and hint."""

from __future__ import annotations

import attrs

import impactkit as ik

from strategies import synthetic_model


def test_lint_findings():
    m = synthetic_model(base_year=2024)
    a, b = m.outcomes
    m = m.evolve(
        outcomes=[
            attrs.evolve(
                a,
                deadweight=0.0,
                attribution=0.0,
                duration=8,
                proxy=ik.FinancialProxy(1000, transfer="rsa"),
            ),
            attrs.evolve(
                b,
                quantity=0.01,
                proxy=ik.FinancialProxy(2500, source="s", year=2024, transfer="rsa"),
            ),
        ],
        inputs=[ik.Input("cash", amount=40_000)],
    )
    found = {(f.code, f.location) for f in ik.lint(m)}
    assert ("no_counterfactual", "outcomes[0]") in found
    assert ("proxy_no_source", "outcomes[0].proxy.source") in found
    assert ("proxy_no_price_year", "outcomes[0].proxy.year") in found
    assert ("long_duration", "outcomes[0].duration") in found
    assert ("transfer_twice", "outcomes[1].proxy.transfer") in found
    assert ("immaterial", "outcomes[1]") in found
    assert ("no_in_kind_inputs", "inputs") in found
    for f in ik.lint(m):
        assert f.hint
        assert f.severity in ("error", "warning", "info")


def test_lint_toc_checks():
    m = ik.examples.load_example(measured=False)
    data = ik.examples.load_example_data()
    # self-esteem leads to employment for the same people: valuing both counts twice
    esteem = ik.OutcomeValuation(
        outcome="self_esteem", stakeholder="participants", quantity=10, proxy=100.0
    )
    codes = {f.code for f in ik.lint(m.evolve(outcomes=[*m.outcomes, esteem]), data=data)}
    assert "double_counting" in codes
    assert "not_evaluated" not in codes
    assert "not_evaluated" in {f.code for f in ik.lint(m)}
    toc = m.toc.copy()
    toc.add_stakeholder("staff", label="Salariés")
    codes = {f.code for f in ik.lint(m.evolve(toc=toc), data=data)}
    assert "unvalued_stakeholder" in codes
