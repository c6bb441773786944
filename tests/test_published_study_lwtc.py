"""A published SROI reproduced row by row: Living Well, Taking Control (Westbank, 2015).

Clifford Z., Solomon-Moore E., Kimberlee R., Biggs O., Weld S., Blackburn K.,
Jones M. (2015). *Social Return on Investment Evaluation of 'Living Well, Taking
Control' Prevention and Management Programme for Type 2 Diabetes at Westbank
Community Health and Care.* Project report, University of the West of England,
Bristol, March 2015; deposited as "Social Return on Investment Report (SROI) final
report on a type 2 diabetes prevention and management programme delivered by
Westbank CHC" (UWE Research Repository, eprint 28425). An evaluative SROI
of a type 2 diabetes prevention programme (248 participants, June 2013 to
December 2014). Page numbers below are the report's printed page numbers.

Every figure of this file was read in the report, with its page or table,
except the deductions and the drop-off rate identified below from printed
figures:

- inputs: Table 5 (p. 32), twelve expenditure lines totalling £119,446, and
  volunteers' 163.5 hours at the £6.50 minimum wage, £1,062.75 (p. 32);
- quantities: Table 8, column e (pp. 53-54; row i, whose column e is blank,
  from column a);
- financial proxies: "Putting a value on the outcome" (pp. 58-62);
- deductions: deadweight 10% for participant outcomes (p. 64) and 50% for
  the project staff (p. 65), attribution 35% for weight loss (p. 66);
- duration 3 years (p. 58), "66% drop off per year over a 3 year benefit
  period" (p. 67), discount rate 3.5% (p. 67);
- each outcome's impact: Table 13 (p. 71); each stakeholder's: Table 11
  (p. 68); present value of each year, total, NPV and ratios (p. 69);
  sensitivity ratios: Table 12 (p. 70).

What the report does not print, and how it is identified. The impact map of
Appendix 5 (p. 98) is an empty page in the deposited PDF, so the deductions of
each row other than those above are not printed: the deadweight of rows g and
i-o (the text gives 10% for participant outcomes only) and any further
deduction. Table 13 gives their product: each row's impact equals quantity x
proxy x 0.9 (row h aside) times, for rows a-d and f, a further 0.9, and for
rows i and k a further 0.95, exactly to the penny. Table 12 tells the
deductions apart, since its scenarios replace one deduction and keep the
others: 10% deadweight on every row but the staff's, and the further 10% or 5%
as attribution (the report: attribution "set at zero or a very low
percentage", p. 66), reproduce all seven ratios of Table 12; the further
deduction read as displacement ("range from 0% to 10%", p. 65), or rows g, j
and l-o read as 10% attribution without deadweight, give the same Table 13 but
miss Table 12 (``test_table_12_identifies_the_unprinted_deductions``).

Conventions, and how they are known:

- deductions multiply (``Q x P x (1 - DW)(1 - AT)``): Table 13, e.g. weight
  loss 65 x £125.48 x 0.90 x 0.65 = £4,771.38; impactkit's rule.
- drop-off compounds from the second year, and is 22% a year, not 66%: the
  undiscounted values of years 2 and 3 printed on p. 69 are 0.78 and 0.78^2
  of year 1, i.e. one third of the 66% the text gives (p. 67), which would
  give a ratio of 3.59, not 5.80. The rate the printed figures follow is used;
  Table 12's "drop-off at 50% for all outcomes, 1 : 4.29" confirms a single
  rate applied to every outcome from year 2 (impactkit's compound default).
- year 1 is discounted once: p. 69 prints year 1 as £301,155.56 =
  £311,696.01 / 1.035; the inputs (spent in the period analysed) are not
  discounted. That is impactkit's default timing, ``first_flow_at="t1"``.
- every outcome lasts 3 years, the GP practices' QOF income included: p. 58
  says that income "has only been valued as an outcome for two years", but
  the printed year 3 (£171,040.67) holds it for a third year.

Discrepancies of the report, tested as such and not absorbed into the model:

- row h (project staff, 4 x £495 with 50% deadweight, pp. 53, 61, 65) is
  £990.00, Table 13 prints £996.00; Table 11 and every total carry the
  printed £996.00. ``MODEL`` holds the row as its inputs give it;
  ``PUBLISHED`` holds the row at its printed value (quantity 1, proxy
  £996.00, no deduction) to check the totals to the penny.
- weight loss: p. 56 says the impact map counts 66 people, Table 8 gives 65,
  and Table 13's £4,771.38 follows 65.
- the NPV is printed £578,645.48 in the NPV calculation and £578,645.30 in
  the net ratio (p. 69); £699,154.05 - £120,508.75 = £578,645.30.

Tolerances are half a unit of the last printed digit: a penny's half for
pounds and pence, 0.005 for ratios, 0.05 percentage points for Table 11's
shares.
"""

from __future__ import annotations

import attrs
import pytest

import impactkit as ik
from impactkit.model import volunteer_time

SOURCE = (
    "Clifford et al. (2015), SROI evaluation of Living Well, Taking Control, "
    "UWE Bristol, eprint 28425"
)
PENNY = 0.005  # half of the last printed digit of every amount in pounds and pence

# Table 5 (p. 32): expenditure June 2013 - December 2014, BIG Lottery grant
EXPENDITURE = [
    ("Salaries, National Insurance & pension", 81_722.0),
    ("Recruitment", 347.0),
    ("Venue hire", 7_038.0),
    ("General running expenses", 2_213.0),
    ("Producing information", 1_022.0),
    ("Training for staff and volunteers", 3_108.0),
    ("Travel for staff and volunteers", 3_599.0),
    ("Consultancy & advice/evaluation", 1_400.0),
    ("Tutor costs", 884.0),
    ("Activity costs", 3_164.0),
    ("Office equipment (capital)", 449.0),
    ("Other project equipment (capital)", 14_500.0),
]
PUBLISHED_REVENUE_COSTS = 104_497.0  # Table 5
PUBLISHED_CAPITAL_COSTS = 14_949.0  # Table 5
PUBLISHED_EXPENDITURE = 119_446.0  # Table 5
VOLUNTEER_HOURS, MINIMUM_WAGE = 163.5, 6.50  # p. 32
PUBLISHED_VOLUNTEER_INPUT = 1_062.75  # p. 32
PUBLISHED_INPUTS = 120_508.75  # p. 69
PUBLISHED_COST_PER_PARTICIPANT = 485.92  # p. 33, for 248 participants

# One value-map row per outcome of Table 13: (letter, stakeholder, outcome,
# quantity [Table 8, col. e], proxy [pp. 58-62], deadweight, attribution,
# impact printed in Table 13 [p. 71]). Deadweight: pp. 64-65; attribution:
# 35% for weight loss (p. 66), the others identified from Tables 12-13 (see
# the module docstring).
ROWS = [
    ("a", "participants", "healthier_diet", 237, 45.33, 0.10, 0.10, 8_702.00),
    ("b", "participants", "increased_physical_activity", 149, 436.0, 0.10, 0.10, 52_620.84),
    ("c", "participants", "better_mental_health", 110, 135.0, 0.10, 0.10, 12_028.50),
    ("d", "participants", "improved_social_networks", 60, 35.0, 0.10, 0.10, 1_701.00),
    ("e", "participants", "weight_loss", 65, 125.48, 0.10, 0.35, 4_771.38),
    ("f", "participants", "lower_risk_of_type_2_diabetes", 22, 7_712.50, 0.10, 0.10, 137_436.75),
    ("g", "indirect_participants", "healthier_diet", 69, 45.33, 0.10, 0.0, 2_814.99),
    ("h", "project_staff", "increased_job_prospects", 4, 495.0, 0.50, 0.0, 996.00),
    ("i", "westbank", "raised_profile", 1, 700.0, 0.10, 0.05, 598.50),
    ("j", "volunteers", "increased_knowledge", 7, 130.0, 0.10, 0.0, 819.00),
    ("k", "westbank_gym", "more_integrated_working", 4, 700.0, 0.10, 0.05, 2_394.00),
    ("l", "gp_practices", "increased_gp_capacity", 248, 46.0, 0.10, 0.0, 10_267.20),
    ("m", "gp_practices", "increased_qof_income", 12, 1_726.12, 0.10, 0.0, 18_642.10),
    ("n", "diabetes_support_group", "accommodation_for_group", 14, 31.25, 0.10, 0.0, 393.75),
    ("o", "nhs", "reduced_nhs_costs", 213, 300.0, 0.10, 0.0, 57_510.00),
]
ROW_H = 7  # the row whose printed impact its inputs do not give

# Table 11 (p. 68): value of impact and share of the overall impact
PUBLISHED_BY_STAKEHOLDER = {
    "participants": (217_260.47, 69.7),
    "indirect_participants": (2_814.99, 0.9),
    "project_staff": (996.00, 0.3),
    "westbank": (598.50, 0.2),
    "volunteers": (819.00, 0.3),
    "westbank_gym": (2_394.00, 0.8),
    "gp_practices": (28_909.30, 9.3),
    "diabetes_support_group": (393.75, 0.1),
    "nhs": (57_510.00, 18.5),
}
PUBLISHED_TOTAL_IMPACT = 311_696.01  # Table 11

DURATION = 3  # years, p. 58
DROP_OFF = 0.22  # a year from year 2: what the year values of p. 69 follow (0.66 / 3)
TEXT_DROP_OFF = 0.66  # p. 67, "66% drop off per year"
DISCOUNT = 0.035  # p. 67

# p. 69: present value of each year after discounting, total, NPV, ratios
PUBLISHED_YEARS = (301_155.56, 226_957.81, 171_040.67)
PUBLISHED_PV = 699_154.05
PUBLISHED_NPV = 578_645.30  # the net ratio's figure; the NPV line prints 578,645.48
MISPRINTED_NPV = 578_645.48
PUBLISHED_RATIO = 5.80
PUBLISHED_NET_RATIO = 4.80

# Table 12 (p. 70): (deadweight, attribution, drop-off) set to 50% -> ratio
PUBLISHED_SENSITIVITY = [
    ((0.5, None, None), 3.23),
    ((None, None, 0.5), 4.29),
    ((None, 0.5, None), 3.15),
    ((0.5, None, 0.5), 2.39),
    ((0.5, 0.5, None), 1.75),
    ((None, 0.5, 0.5), 2.33),
    ((0.5, 0.5, 0.5), 1.30),
]


def _outcome(row: tuple) -> ik.OutcomeValuation:
    letter, stakeholder, outcome, quantity, proxy, deadweight, attribution, _ = row
    return ik.OutcomeValuation(
        outcome=outcome,
        stakeholder=stakeholder,
        label=f"({letter}) {outcome.replace('_', ' ')}",
        quantity=quantity,
        proxy=ik.FinancialProxy(proxy, currency="GBP", source=f"{SOURCE}, pp. 58-62"),
        deadweight=deadweight,
        attribution=attribution,
        duration=DURATION,
        drop_off=DROP_OFF,
        sources={"quantity": "Table 8", "deadweight": "pp. 64-65", "drop_off": "p. 69"},
    )


def _model() -> ik.ImpactModel:
    return ik.ImpactModel(
        name="Living Well, Taking Control (Clifford et al. 2015)",
        currency="GBP",
        discount=DISCOUNT,
        mode="evaluative",
        inputs=[
            *(
                ik.Input(
                    label, amount=amount, stakeholder="big_lottery", source=f"{SOURCE}, Table 5"
                )
                for label, amount in EXPENDITURE
            ),
            volunteer_time(
                VOLUNTEER_HOURS,
                MINIMUM_WAGE,
                stakeholder="volunteers",
                source=f"{SOURCE}, p. 32: National Minimum Wage, 21 and over",
            ),
        ],
        outcomes=[_outcome(row) for row in ROWS],
    )


MODEL = _model()
"""The value map as the report's inputs give it (row h: 4 x £495 x 50%)."""

PUBLISHED = MODEL.evolve(
    outcomes=[
        *MODEL.outcomes[:ROW_H],
        attrs.evolve(
            MODEL.outcomes[ROW_H],
            quantity=1,
            proxy=ik.FinancialProxy(996.00, currency="GBP", source=f"{SOURCE}, Table 13"),
            deadweight=0.0,
        ),
        *MODEL.outcomes[ROW_H + 1 :],
    ]
)
"""The same value map with row h at the impact Table 13 prints, as the totals carry it."""


def _table_12(model: ik.ImpactModel) -> list[tuple[float, float]]:
    """(printed, computed) ratio of each Table 12 scenario applied to ``model``."""
    out = []
    for (deadweight, attribution, drop_off), printed in PUBLISHED_SENSITIVITY:
        rows = [
            attrs.evolve(
                ov,
                deadweight=ov.deadweight if deadweight is None else deadweight,
                attribution=ov.attribution if attribution is None else attribution,
                drop_off=ov.drop_off if drop_off is None else drop_off,
            )
            for ov in model.outcomes
        ]
        out.append((printed, ik.sroi(model.evolve(outcomes=rows)).ratio))
    return out


def test_model_is_valid() -> None:
    assert [p for p in MODEL.problems() if p.severity == "error"] == []
    assert [p for p in PUBLISHED.problems() if p.severity == "error"] == []


def test_inputs_table_5_and_volunteer_time() -> None:
    res = ik.sroi(MODEL)
    inputs = res.inputs
    revenue = inputs["amount"].iloc[:10].sum()
    capital = inputs["amount"].iloc[10:12].sum()
    assert revenue == pytest.approx(PUBLISHED_REVENUE_COSTS, abs=0.5)
    assert capital == pytest.approx(PUBLISHED_CAPITAL_COSTS, abs=0.5)
    assert revenue + capital == pytest.approx(PUBLISHED_EXPENDITURE, abs=0.5)
    volunteers = inputs.iloc[-1]
    assert bool(volunteers["in_kind"])
    assert volunteers["amount"] == pytest.approx(PUBLISHED_VOLUNTEER_INPUT, abs=PENNY)
    assert res.total_inputs == pytest.approx(PUBLISHED_INPUTS, abs=PENNY)
    # inputs of the period analysed sit at year 0 and are not discounted
    assert (inputs["discount_factor"] == 1.0).all()
    assert res.total_inputs / 248 == pytest.approx(PUBLISHED_COST_PER_PARTICIPANT, abs=PENNY)


@pytest.mark.parametrize(
    "k", [k for k in range(len(ROWS)) if k != ROW_H], ids=lambda k: ROWS[k][0]
)
def test_each_outcome_impact_table_13(k: int) -> None:
    impact = ik.sroi(MODEL).by_outcome["impact"].iloc[k]
    assert impact == pytest.approx(ROWS[k][-1], abs=PENNY)


def test_row_h_does_not_give_its_printed_impact() -> None:
    # 4 staff x £495 (p. 61) x (1 - 50%) (p. 65) = £990.00; Table 13 prints £996.00
    impact = ik.sroi(MODEL).by_outcome["impact"].iloc[ROW_H]
    assert impact == pytest.approx(4 * 495.0 * 0.50, rel=1e-12)
    assert ROWS[ROW_H][-1] - impact == pytest.approx(6.00, abs=1e-9)
    assert ik.sroi(PUBLISHED).by_outcome["impact"].iloc[ROW_H] == 996.00


def test_weight_loss_follows_table_8s_65_not_the_66_of_page_56() -> None:
    e = ROWS[4]
    assert e[0] == "e"
    assert e[3] == 65
    as_66 = MODEL.evolve(outcomes=[attrs.evolve(MODEL.outcomes[4], quantity=66)])
    impact_66 = ik.sroi(as_66).by_outcome["impact"].iloc[0]
    assert impact_66 == pytest.approx(66 * 125.48 * 0.90 * 0.65, rel=1e-12)
    assert abs(impact_66 - e[-1]) > 70


def test_each_stakeholder_value_and_share_table_11() -> None:
    by_outcome = ik.sroi(PUBLISHED).by_outcome
    impact = by_outcome.groupby("stakeholder", sort=False)["impact"].sum()
    shares = ik.sroi(PUBLISHED).by_stakeholder.set_index("stakeholder")["share"]
    assert list(impact.index) == list(PUBLISHED_BY_STAKEHOLDER)
    for stakeholder, (value, percent) in PUBLISHED_BY_STAKEHOLDER.items():
        assert impact[stakeholder] == pytest.approx(value, abs=PENNY), stakeholder
        # every row lasts 3 years with the same drop-off: shares of the present
        # value are shares of the yearly impact
        assert 100 * shares[stakeholder] == pytest.approx(percent, abs=0.05), stakeholder
    assert impact.sum() == pytest.approx(PUBLISHED_TOTAL_IMPACT, abs=PENNY)
    # from the report's own inputs, the staff row and the total are £6.00 less
    mine = ik.sroi(MODEL).by_outcome.groupby("stakeholder", sort=False)["impact"].sum()
    assert mine["project_staff"] == pytest.approx(990.00, abs=PENNY)
    assert mine.sum() == pytest.approx(PUBLISHED_TOTAL_IMPACT - 6.00, abs=PENNY)


def test_present_value_of_each_year_and_totals_page_69() -> None:
    res = ik.sroi(PUBLISHED)
    years = res.by_year
    assert list(years["year"]) == [1, 2, 3]
    for computed, printed in zip(years["present_value"], PUBLISHED_YEARS, strict=True):
        assert computed == pytest.approx(printed, abs=PENNY)
    assert res.present_value == pytest.approx(PUBLISHED_PV, abs=PENNY)
    assert res.total_inputs == pytest.approx(PUBLISHED_INPUTS, abs=PENNY)
    assert res.net_present_value == pytest.approx(PUBLISHED_NPV, abs=PENNY)
    assert abs(res.net_present_value - MISPRINTED_NPV) > 0.1
    assert res.ratio == pytest.approx(PUBLISHED_RATIO, abs=0.005)
    assert res.net_ratio == pytest.approx(PUBLISHED_NET_RATIO, abs=0.005)
    # the £6.00 of row h moves the ratios by less than their printed digit
    mine = ik.sroi(MODEL)
    assert f"{mine.ratio:.2f}" == "5.80"
    assert f"{mine.net_ratio:.2f}" == "4.80"


def test_conventions_year_1_discounted_once_drop_off_from_year_2() -> None:
    years = ik.sroi(PUBLISHED).by_year
    undiscounted = years["value"].to_numpy()
    assert undiscounted[0] == pytest.approx(PUBLISHED_TOTAL_IMPACT, abs=PENNY)
    assert undiscounted[1] / undiscounted[0] == pytest.approx(1 - DROP_OFF, rel=1e-12)
    assert undiscounted[2] / undiscounted[1] == pytest.approx(1 - DROP_OFF, rel=1e-12)
    assert years["discount_factor"].iloc[0] == pytest.approx(1 / (1 + DISCOUNT), rel=1e-12)
    # discounting from year 0 ("t0") would print year 1 undiscounted
    t0 = ik.sroi(PUBLISHED.evolve(first_flow_at="t0")).by_year["present_value"].iloc[0]
    assert abs(t0 - PUBLISHED_YEARS[0]) > 1_000


def test_the_66_percent_of_the_text_would_not_give_the_printed_ratio() -> None:
    text = MODEL.evolve(
        outcomes=[attrs.evolve(ov, drop_off=TEXT_DROP_OFF) for ov in PUBLISHED.outcomes]
    )
    res = ik.sroi(text)
    assert f"{res.ratio:.2f}" == "3.59"
    assert abs(res.by_year["present_value"].iloc[1] - PUBLISHED_YEARS[1]) > 10_000


def test_gp_income_lasts_three_years_in_the_printed_figures() -> None:
    # p. 58: QOF income "has only been valued as an outcome for two years"
    m = 12
    two_years = PUBLISHED.evolve(
        outcomes=[
            attrs.evolve(ov, duration=2) if k == m else ov
            for k, ov in enumerate(PUBLISHED.outcomes)
        ]
    )
    year_3 = ik.sroi(two_years).by_year["present_value"].iloc[2]
    qof_year_3 = 12 * 1_726.12 * 0.90 * (1 - DROP_OFF) ** 2 / (1 + DISCOUNT) ** 3
    assert year_3 == pytest.approx(PUBLISHED_YEARS[2] - qof_year_3, abs=PENNY)
    assert abs(year_3 - PUBLISHED_YEARS[2]) > 10_000


@pytest.mark.parametrize("k", range(len(PUBLISHED_SENSITIVITY)))
def test_sensitivity_ratios_table_12(k: int) -> None:
    printed, ratio = _table_12(MODEL)[k]
    assert ratio == pytest.approx(printed, abs=0.005)


def test_table_12_identifies_the_unprinted_deductions() -> None:
    # two other readings of the unprinted deductions give every Table 13 value
    # (the same products), but not Table 12's ratios
    as_displacement = MODEL.evolve(
        outcomes=[
            attrs.evolve(ov, displacement=ov.attribution, attribution=0.0)
            if ov.outcome != "weight_loss"
            else ov
            for ov in MODEL.outcomes
        ]
    )
    others = ("participants", "project_staff")
    as_attribution = MODEL.evolve(
        outcomes=[
            attrs.evolve(ov, deadweight=0.0, attribution=0.10)
            if ov.stakeholder not in others and ov.attribution == 0.0
            else ov
            for ov in MODEL.outcomes
        ]
    )
    for reading in (as_displacement, as_attribution):
        assert ik.sroi(reading).by_outcome["impact"].to_numpy() == pytest.approx(
            ik.sroi(MODEL).by_outcome["impact"].to_numpy(), rel=1e-12
        )
        assert max(abs(printed - ratio) for printed, ratio in _table_12(reading)) > 0.05
    assert max(abs(printed - ratio) for printed, ratio in _table_12(MODEL)) < 0.005
