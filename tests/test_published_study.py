"""A published SROI reproduced: Jones et al. (2020), the Health Precinct, North Wales.

Jones C., Hartfiel N., Brocklehurst P., Lynch M., Edwards R. T. (2020). Social
Return on Investment Analysis of the Health Precinct Community Hub for Chronic
Conditions. IJERPH 17(14), 5249, doi:10.3390/ijerph17145249 (MDPI, CC BY 4.0).

Only the abstract's totals could be read (inputs £55,389, benefits £281,010,
ratio 5.07 : 1, sensitivity 2.60-5.16 : 1); tests/data/published/README.md says
which figure each row carries and what of the value map is missing. The paper
gives pounds to the unit and the ratio to two decimals: the tolerances are half
a unit of the last published digit.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import impactkit as ik

DATA = Path(__file__).parent / "data" / "published"
MODEL_FILE = DATA / "health_precinct_2020.yaml"

PUBLISHED_INPUTS = 55_389.0  # £, abstract
PUBLISHED_VALUE = 281_010.0  # £, abstract, base case
PUBLISHED_RATIO = 5.07  # abstract, base case, two decimals
PUBLISHED_SENSITIVITY = (2.60, 5.16)  # abstract


def _from_api() -> ik.ImpactModel:
    """The same model built with the public Python API."""
    return ik.ImpactModel(
        name="Health Precinct (Jones et al. 2020), published totals",
        currency="GBP",
        discount=0.0,
        mode="evaluative",
        inputs=[
            ik.Input(
                "Inputs (attendance fees, staffing, equipment, overheads), published total",
                amount=PUBLISHED_INPUTS,
                stakeholder="funders and participants",
            )
        ],
        outcomes=[
            ik.OutcomeValuation(
                outcome="benefits_total",
                stakeholder="participants, families, staff, NHS, local government",
                quantity=1,
                proxy=ik.FinancialProxy(
                    PUBLISHED_VALUE,
                    currency="GBP",
                    source="Jones et al. (2020), IJERPH 17(14):5249, abstract",
                ),
                duration=1,
            )
        ],
    )


@pytest.fixture(scope="module")
def model() -> ik.ImpactModel:
    return ik.io.load(MODEL_FILE)


def test_model_file_is_valid(model: ik.ImpactModel) -> None:
    assert [p for p in model.problems() if p.severity == "error"] == []
    assert model.currency == "GBP"


def test_published_totals_and_ratio(model: ik.ImpactModel) -> None:
    res = ik.sroi(model)
    assert res.total_inputs == pytest.approx(PUBLISHED_INPUTS, abs=0.5)
    assert res.present_value == pytest.approx(PUBLISHED_VALUE, abs=0.5)
    # 281,010 / 55,389 = 5.0734; the paper prints 5.07
    assert res.ratio == pytest.approx(PUBLISHED_RATIO, abs=0.005)
    assert f"{res.ratio:.2f}" == "5.07"
    assert res.net_present_value == pytest.approx(PUBLISHED_VALUE - PUBLISHED_INPUTS, abs=1.0)


def test_base_case_lies_in_the_published_sensitivity_range(model: ik.ImpactModel) -> None:
    low, high = PUBLISHED_SENSITIVITY
    assert low <= ik.sroi(model).ratio <= high


def test_python_api_gives_the_file_figures(model: ik.ImpactModel) -> None:
    a, b = ik.sroi(model), ik.sroi(_from_api())
    assert (a.total_inputs, a.present_value, a.ratio) == (b.total_inputs, b.present_value, b.ratio)


def test_discounting_the_published_total_again_would_miss_the_ratio() -> None:
    # The study's £281,010 is already its value of benefits: impactkit's default
    # (3.5 %, benefits of year 1 discounted once) would discount it a second time.
    res = ik.sroi(_from_api().evolve(discount=0.035))
    assert res.present_value == pytest.approx(PUBLISHED_VALUE / 1.035, rel=1e-12)
    assert f"{res.ratio:.2f}" == "4.90"
    assert f"{res.ratio:.2f}" != f"{PUBLISHED_RATIO:.2f}"


def test_readme_states_source_licence_and_rows() -> None:
    text = (DATA / "README.md").read_text(encoding="utf-8")
    for needed in ("10.3390/ijerph17145249", "CC BY 4.0", "Abstract", "What is missing"):
        assert needed in text
