"""A model with no base year adds proxies of several price years without moving them to
one year's prices: the lint says so, in English and in French; one price year, or a base
year with its index, passes."""

from __future__ import annotations

import impactkit as ik
from impactkit.cli import main
from impactkit.io import dump


def _model(years, base_year=None):
    rows = [
        ik.OutcomeValuation(
            outcome=f"o{k}",
            stakeholder="s",
            quantity=10,
            proxy=ik.FinancialProxy(100.0, year=y, source="INSEE"),
            deadweight=0.2,
        )
        for k, y in enumerate(years)
    ]
    index = ik.PriceIndex.insee_cpi() if base_year is not None else None
    return ik.ImpactModel(
        name="m",
        base_year=base_year,
        price_index=index,
        inputs=[ik.Input("g", amount=1000)],
        outcomes=rows,
    )


def _codes(model):
    return {f.code: f for f in ik.lint(model)}


def test_several_price_years_without_a_base_year_are_flagged():
    found = _codes(_model([2019, 2024, 2019]))["mixed_price_years"]
    assert found.severity == "warning"
    assert found.location == "base_year"
    assert "2019, 2024" in found.message


def test_one_price_year_or_a_base_year_passes():
    assert "mixed_price_years" not in _codes(_model([2024, 2024]))
    assert "mixed_price_years" not in _codes(_model([2019, 2024], base_year=2024))
    assert "mixed_price_years" not in _codes(_model([None, 2024]))


def test_the_french_lint_words_it(tmp_path, capsys):
    path = tmp_path / "m.yaml"
    dump(_model([2019, 2024]), path)
    main(["lint", str(path), "--lang", "fr"])
    out = capsys.readouterr().out
    assert "en prix de plusieurs années et le modèle n'a pas d'année de base" in out
    assert "constat du contrôle" not in out
