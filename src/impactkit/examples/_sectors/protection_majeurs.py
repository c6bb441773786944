"""Legal protection of adults: a *service mandataire judiciaire à la protection des majeurs*.

Court-appointed delegates manage the budget and represent or assist adults
under guardianship or curatorship (tutelle, curatelle renforcée): they open
the rights people are entitled to, negotiate debts, keep the rent paid and
coordinate with care. The example follows 300 measures for a year
(synthetic data, no real person).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import dist, measure
from impactkit.examples._sectors._common import (
    BASE_YEAR,
    before_after,
    catalogue_proxy,
    catalogue_row,
    counts_before_after,
    cpi,
    eq5d_waves,
    holes,
    sector_model,
)
from impactkit.examples._sectors._rows import emergency_row, qaly_gain, qaly_row, row
from impactkit.measure import Condition
from impactkit.model import ImpactModel, Input
from impactkit.toc import Assumption, Indicator, TheoryOfChange

__all__ = ["NAME", "SEED", "build_data", "build_model", "build_toc"]

NAME = "protection_majeurs"
SEED = 20240613
N = 300
HAS_PERSON = "chapitre 1 « La personne »"

PROXIES = {
    "eviction": "expulsion_locative_cout_procedure_cnafal",
    "stay": "sejour_mco_cout_moyen_atih",
}
"""Catalogue ids of the proxies of this example's own rows, by valued outcome."""

MARGINAL_SHARES = {"hospital_avoided": 0.5, "fewer_emergencies": 0.35}
"""Share of an average cost released when one unit is avoided, for the sensitivity case:
an emergency visit releases its acts and consultations, about 80 EUR of 227 (the health
insurance's figure in the same Sénat report); a hospital stay releases its direct costs,
half of the average by judgement (bed-side care, drugs and consumables are about half the
cost of a surgical stay in the ATIH study, 31 % and 24 %)."""

COST_PER_MEASURE = "pjm_cout_mesure_an_igas_2013"
"""Catalogue id of the mean cost of a measure, all funders, 2013 (IGAS, rapport
n° 2014-071R: 1 828 EUR a year, 20 % borne by the protected people, 80 % by public
funders)."""


MEASURES = {
    "rights": measure.Threshold(column="rights_opened", at_least=1, data="measures"),
    "debt": measure.PrePost(
        baseline="debt_t0",
        followup="debt_t1",
        direction="decrease",
        min_change=1000,
        data="measures",
    ),
    "eviction_avoided": measure.Threshold(
        column="housing_kept_12m",
        at_least=1,
        where=[Condition("eviction_procedure_t0", "==", 1)],
        data="measures",
    ),
    "hospital_days": measure.Sum("hospital_days_avoided", data="measures"),
    "stays": measure.Sum("hospital_stays_avoided", data="measures"),
    "ed_visits": measure.Sum("ed_visits_avoided", data="measures"),
    "eq5d": qaly_gain("measures"),
    "abuse": measure.Threshold(column="financial_abuse_stopped", at_least=1, data="measures"),
    "arrears": measure.Threshold(
        column="care_home_arrears_cleared",
        at_least=1,
        where=[Condition("care_home_arrears_t0", "==", 1)],
        data="measures",
    ),
    "overindebtedness": measure.Threshold(
        column="overindebtedness_file_avoided", at_least=1, data="measures"
    ),
}
"""The calculators of the indicators, by indicator id; the valuations reuse them."""
MEASURES["eviction_cost"] = MEASURES["eviction_avoided"]


def build_data(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Seeded synthetic data: one row per protection measure followed in the year."""
    rng = np.random.default_rng(seed)
    kind = rng.choice(["curatelle renforcée", "tutelle"], size=N, p=[0.6, 0.4])
    home = rng.choice(["domicile", "établissement"], size=N, p=[0.7, 0.3])
    rights_missing = rng.poisson(1.2, N).astype(float)
    opened = np.minimum(rights_missing, rng.binomial(rights_missing.astype(int), 0.7)).astype(
        float
    )
    debt0 = np.where(rng.random(N) < 0.45, np.round(rng.lognormal(8.3, 0.9, N), -1), 0.0)
    debt1 = np.round(debt0 * np.clip(rng.normal(0.45, 0.35, N), 0, 1.4), -1)
    at_home = home == "domicile"
    eviction = ((rng.random(N) < 0.12) & at_home).astype(float)
    kept = np.where(eviction == 1, (rng.random(N) < 0.75).astype(float), np.nan)
    kept[(eviction == 1) & (rng.random(N) < 0.1)] = np.nan  # not known at 12 months
    hosp0 = np.where(rng.random(N) < 0.3, np.round(rng.gamma(1.5, 14, N)), 0.0)
    hosp1 = np.round(hosp0 * np.clip(rng.normal(0.6, 0.4, N), 0, 2))
    hosp0 = holes(rng, hosp0, 0.05)
    hosp1 = holes(rng, hosp1, 0.10)
    measures = pd.DataFrame(
        {
            "measure_id": np.arange(1, N + 1),
            "measure": kind,
            "living": home,
            "age": rng.integers(20, 92, size=N),
            "rights_missing_t0": rights_missing,
            "rights_opened": holes(rng, opened, 0.04),
            "debt_t0": holes(rng, debt0, 0.04),
            "debt_t1": holes(rng, debt1, 0.08),
            "eviction_procedure_t0": eviction,
            "housing_kept_12m": kept,
            **before_after("hospital_days", hosp0, hosp1),
        }
    )
    return {"measures": pd.concat([measures, _care_and_abuse(seed, home)], axis=1)}


def _care_and_abuse(seed: int, home: np.ndarray[Any, Any]) -> pd.DataFrame:
    """Hospital stays and emergency visits before and after, financial abuse stopped,
    over-indebtedness files avoided and EQ-5D-5L, drawn from their own streams so that
    the columns of :func:`build_data` keep their values."""
    rng = np.random.default_rng(seed + 1)
    s0, s1 = counts_before_after(rng, N, before=1.0, fall=0.5, new=0.05)
    e0, e1 = counts_before_after(rng, N, before=1.2, fall=0.5, new=0.1)
    s0, s1 = holes(rng, s0, 0.05), holes(rng, s1, 0.10)
    e0, e1 = holes(rng, e0, 0.05), holes(rng, e1, 0.12)
    abuse = np.where(rng.random(N) < 0.08, (rng.random(N) < 0.8).astype(float), 0.0)
    files = np.where(rng.random(N) < 0.15, (rng.random(N) < 0.5).astype(float), 0.0)
    in_home = home == "établissement"
    arrears = (in_home & (rng.random(N) < 0.25)).astype(float)
    cleared = np.where(arrears == 1, (rng.random(N) < 0.7).astype(float), np.nan)
    eq5d = eq5d_waves(
        np.random.default_rng(seed + 2),
        N,
        severity=1.6,
        change=0.25,
        weights=(0.6, 0.5, 0.9, 0.8, 1.2),
        nonresponse=(0.10, 0.20),
    )
    return pd.concat(
        [
            pd.DataFrame(
                {
                    **before_after("hospital_stays", s0, s1),
                    **before_after("ed_visits", e0, e1),
                    "financial_abuse_stopped": holes(rng, abuse, 0.03),
                    "overindebtedness_file_avoided": holes(rng, files, 0.05),
                    "care_home_arrears_t0": arrears,
                    "care_home_arrears_cleared": cleared,
                }
            ),
            eq5d,
        ],
        axis=1,
    )


def build_toc() -> TheoryOfChange:
    """The theory of change of the service as its delegates describe it."""
    toc = TheoryOfChange(
        "Service mandataire judiciaire - Tutélaire du Rhône",
        description="Court-appointed protection of adults (synthetic example).",
    )
    sh = toc.add_stakeholder
    sh("protected", label="Majeurs protégés", size=N, description="Adults under protection")
    sh("families", label="Familles et proches", description="Relatives relieved of the role")
    sh(
        "landlords",
        label="Bailleurs sociaux et privés",
        description="Landlords whose rent is paid",
    )
    sh(
        "etat",
        label="État (DDETS) et juge des contentieux de la protection",
        description="The State: funds most of the measures; the judge orders them",
    )
    sh(
        "assurance_maladie",
        label="Assurance maladie",
        description="Health insurance: pays hospital stays",
    )
    sh("caf", label="CAF", description="Pays housing benefit and AAH (transfers)")
    sh("departement", label="Département", description="Co-funds some measures (MASP, MAJ)")
    sh("commune", label="Commune (CCAS)", description="Municipal social action centre")
    toc.add_node("funding", kind="input", label="Financement public des mesures")
    toc.add_node("delegates", kind="input", label="Mandataires judiciaires")
    toc.add_node("budget", kind="activity", label="Gestion du budget et des comptes")
    toc.add_node("rights", kind="activity", label="Ouverture et maintien des droits")
    toc.add_node("coordination", kind="activity", label="Coordination avec le soin et le logement")
    toc.add_node(
        "followed",
        kind="output",
        label="Mesures exercées",
        measure=measure.Count(unique="measure_id", data="measures"),
        indicators=[
            Indicator(
                "n_measures",
                "Mesures exercées dans l'année",
                unit="measures",
                target=300,
                threshold=280,
                timeline="12 mois",
                data_source="Logiciel métier (measures.csv)",
            )
        ],
    )
    toc.add_node(
        "rights_opened",
        kind="outcome",
        horizon="short",
        stakeholder="protected",
        label="Accès aux droits (AAH, APL, complémentaire santé)",
        indicators=[
            Indicator(
                "rights",
                "Personnes protégées : au moins un droit ouvert dans l'année",
                unit="people",
                target=150,
                threshold=1,
                timeline="12 mois",
                data_source="Logiciel métier",
                measure=MEASURES["rights"],
                external_ids={"has_essms_2022": HAS_PERSON},
            )
        ],
    )
    toc.add_node(
        "debt_reduced",
        kind="outcome",
        horizon="intermediate",
        stakeholder="protected",
        label="Dettes apurées ou réduites",
        indicators=[
            Indicator(
                "debt",
                "Personnes endettées : dette réduite d'au moins 1 000 euros",
                unit="people",
                direction="decrease",
                target=80,
                threshold=1000,
                timeline="12 mois",
                data_source="Comptes gérés (measures.csv)",
                measure=MEASURES["debt"],
            )
        ],
    )
    toc.add_node(
        "housing_kept",
        kind="outcome",
        horizon="intermediate",
        stakeholder="protected",
        label="Expulsions évitées, logement conservé",
        indicators=[
            Indicator(
                "eviction_avoided",
                "Personnes sous procédure d'expulsion à l'entrée : toujours logées à 12 mois",
                unit="people",
                target=20,
                threshold=1,
                timeline="12 mois",
                data_source="Suivi des procédures (measures.csv)",
                measure=MEASURES["eviction_avoided"],
            )
        ],
    )
    toc.add_node(
        "eviction_costs_avoided",
        kind="outcome",
        horizon="intermediate",
        stakeholder="etat",
        label="Coûts publics d'expulsion évités (force publique, hébergement)",
        indicators=[
            Indicator(
                "eviction_cost",
                "Personnes sous procédure d'expulsion à l'entrée : expulsions évitées à 12 mois",
                unit="evictions",
                target=20,
                threshold=1,
                timeline="12 mois",
                data_source="Suivi des procédures (measures.csv)",
                measure=MEASURES["eviction_cost"],
            )
        ],
    )
    toc.add_node(
        "hospital_avoided",
        kind="outcome",
        horizon="intermediate",
        stakeholder="assurance_maladie",
        label="Journées d'hospitalisation évitées",
        indicators=[
            Indicator(
                "hospital_days",
                "Personnes protégées : journées d'hospitalisation en moins sur 12 mois "
                "(après moins avant)",
                unit="days",
                direction="increase",
                target=800,
                threshold=1,
                timeline="12 mois",
                data_source="Déclarations des établissements de santé (measures.csv)",
                measure=MEASURES["hospital_days"],
                external_ids={"has_essms_2022": HAS_PERSON},
            ),
            Indicator(
                "stays",
                "Personnes protégées : séjours hospitaliers en moins sur 12 mois "
                "(avant moins après)",
                unit="stays",
                target=60,
                threshold=1,
                timeline="12 mois",
                data_source="Déclarations des établissements de santé (measures.csv)",
                measure=MEASURES["stays"],
            ),
        ],
    )
    toc.add_node(
        "fewer_emergencies",
        kind="outcome",
        horizon="intermediate",
        stakeholder="assurance_maladie",
        label="Passages aux urgences évités",
        indicators=[
            Indicator(
                "ed_visits",
                "Personnes protégées : passages aux urgences en moins sur 12 mois "
                "(avant moins après)",
                unit="visits",
                target=100,
                threshold=1,
                timeline="12 mois",
                data_source="Déclarations des établissements de santé (measures.csv)",
                measure=MEASURES["ed_visits"],
            )
        ],
    )
    toc.add_node(
        "quality_of_life",
        kind="outcome",
        horizon="intermediate",
        stakeholder="protected",
        label="Qualité de vie liée à la santé améliorée",
        indicators=[
            Indicator(
                "eq5d",
                "Personnes protégées : QALY gagnés sur l'année (EQ-5D-5L, valeurs françaises)",
                unit="QALY",
                target=4,
                threshold=0.01,
                timeline="12 mois",
                data_source="Questionnaire EQ-5D-5L à l'ouverture et à 12 mois",
                measure=MEASURES["eq5d"],
                external_ids={"has_essms_2022": HAS_PERSON},
            )
        ],
    )
    toc.add_node(
        "abuse_stopped",
        kind="outcome",
        horizon="short",
        stakeholder="protected",
        label="Maltraitance financière repérée et arrêtée",
        indicators=[
            Indicator(
                "abuse",
                "Personnes protégées : maltraitance financière arrêtée dans l'année",
                unit="people",
                target=20,
                threshold=1,
                timeline="12 mois",
                data_source="Logiciel métier (signalements, measures.csv)",
                measure=MEASURES["abuse"],
            )
        ],
    )
    toc.add_node(
        "arrears_cleared",
        kind="outcome",
        horizon="intermediate",
        stakeholder="protected",
        label="Impayés d'hébergement en établissement apurés",
        indicators=[
            Indicator(
                "arrears",
                "Personnes en établissement avec des impayés à l'ouverture : impayés apurés "
                "à 12 mois",
                unit="people",
                target=15,
                threshold=1,
                timeline="12 mois",
                data_source="Comptes gérés (measures.csv)",
                measure=MEASURES["arrears"],
            )
        ],
    )
    toc.add_node(
        "overindebtedness_avoided",
        kind="outcome",
        horizon="intermediate",
        stakeholder="protected",
        label="Procédures de surendettement évitées",
        indicators=[
            Indicator(
                "overindebtedness",
                "Personnes endettées : dossier de surendettement évité dans l'année",
                unit="people",
                target=20,
                threshold=1,
                timeline="12 mois",
                data_source="Comptes gérés (measures.csv)",
                measure=MEASURES["overindebtedness"],
            )
        ],
    )
    toc.add_node(
        "dignity",
        kind="impact",
        label="Une vie digne et sécurisée, des droits effectifs",
        above_ceiling=True,
    )
    link = toc.add_link
    link("funding", "budget", rationale="Public funding pays the delegates")
    link("delegates", "budget", rationale="Delegates manage accounts")
    link("delegates", "rights", rationale="Delegates file the claims")
    link("delegates", "coordination", rationale="Delegates meet carers and landlords")
    link("budget", "followed", rationale="Measures are the delivery")
    link("rights", "followed", rationale="Measures are the delivery")
    link("coordination", "followed", rationale="Measures are the delivery")
    link(
        "followed",
        "rights_opened",
        evidence=3,
        assumption=Assumption("Unclaimed rights are claimed once someone files them", "holds"),
    )
    link(
        "followed",
        "debt_reduced",
        evidence=2,
        assumption=Assumption("A managed budget stops new debt and pays old", "partly"),
    )
    link("rights_opened", "debt_reduced", rationale="New income pays the debts")
    link(
        "debt_reduced",
        "housing_kept",
        evidence=2,
        assumption=Assumption("Paid rent and a repayment plan stop the eviction", "partly"),
    )
    link(
        "followed",
        "hospital_avoided",
        evidence=1,
        assumption=Assumption("Coordination with care avoids crises and stays", "untested"),
    )
    link("housing_kept", "eviction_costs_avoided", rationale="No police assistance, no rehousing")
    link(
        "followed",
        "quality_of_life",
        evidence=1,
        assumption=Assumption("A secured budget and home lower stress and neglect", "untested"),
    )
    link(
        "coordination",
        "fewer_emergencies",
        rationale="Care kept up avoids crises that end in the emergency department",
    )
    link(
        "budget",
        "abuse_stopped",
        rationale="Delegates see every account movement and report abuse",
    )
    link("debt_reduced", "overindebtedness_avoided", rationale="A repayment plan out of court")
    link("budget", "arrears_cleared", rationale="Fees paid from the managed budget")
    link("arrears_cleared", "dignity", rationale="A place kept in the care home")
    link("quality_of_life", "dignity", rationale="Health and safety")
    link("abuse_stopped", "dignity", rationale="Assets protected")
    link("housing_kept", "dignity", rationale="A home")
    link("rights_opened", "dignity", rationale="Effective rights")
    return toc


def build_model() -> ImpactModel:
    """The evaluative model of the service, its quantities measured on the example data.

    Four outcomes are valued, two for the protected people (health-related
    quality of life, the costs of an eviction avoided) and two for the health
    insurance (hospital stays and emergency visits avoided, average costs with
    a marginal-share case). Rights opened and debts repaid are transfers; the
    financial abuse stopped and the over-indebtedness files avoided are
    measured but not valued (no published unit value was found).
    """
    outcomes = [
        row(
            "housing_kept",
            "protected",
            "Expulsions évitées, logement conservé",
            indicator="eviction_avoided",
            quantity=MEASURES["eviction_avoided"],
            proxy=catalogue_proxy(PROXIES["eviction"], unit="eviction"),
            deadweight=dist.Beta(0.35, 0.08),
            attribution=0.25,
            why_deadweight="Procedures that stop without intervention (judgement)",
            why_attribution="Housing-benefit services and the eviction-prevention "
            "commission (CCAPEX)",
        ),
        qaly_row(
            "quality_of_life",
            "protected",
            "Qualité de vie liée à la santé améliorée",
            quantity=MEASURES["eq5d"],
            deadweight=0.4,
            attribution=0.3,
            why_deadweight="Quality of life improves after the crisis that led to the "
            "measure anyway (regression to the mean; judgement)",
            why_attribution="Care teams, families and social services",
        ),
        row(
            "hospital_avoided",
            "assurance_maladie",
            "Séjours hospitaliers évités",
            indicator="stays",
            quantity=MEASURES["stays"],
            proxy=catalogue_proxy(PROXIES["stay"], unit="stay"),
            deadweight=dist.Beta(0.5, 0.08),
            attribution=0.4,
            why_deadweight="Stays fall after a crisis year anyway (regression to the mean)",
            why_attribution="Psychiatric teams and GPs provide the care",
            marginal=(
                MARGINAL_SHARES["hospital_avoided"],
                "A stay avoided releases its direct costs only.",
            ),
        ),
        emergency_row(
            quantity=MEASURES["ed_visits"],
            share=MARGINAL_SHARES["fewer_emergencies"],
            attribution=0.3,
            why_attribution="Psychiatric teams and GPs",
        ),
    ]
    cost = catalogue_row(COST_PER_MEASURE)
    budget = N * float(cost["value"]) * cpi().factor(int(cost["year"]), BASE_YEAR)
    igas = (
        f"catalogue:{COST_PER_MEASURE}: mean cost of a measure {float(cost['value']):,.0f} EUR "
        f"a year in {int(cost['year'])}, all funders, {{share}} by {{who}}; x {N} measures, "
        f"moved to {BASE_YEAR} with the INSEE consumer price index - {cost['source']}"
    )
    inputs = [
        Input(
            "Financement public des mesures (État, programme 304)",
            amount=round(0.8 * budget, -2),
            stakeholder="etat",
            source=igas.format(share="80 %", who="public funders"),
        ),
        Input(
            "Participation des personnes protégées",
            amount=round(0.2 * budget, -2),
            stakeholder="protected",
            source=igas.format(share="20 %", who="the protected people"),
        ),
    ]
    return sector_model(
        NAME,
        title="Service mandataire judiciaire - Tutélaire du Rhône (exemple)",
        sector="protection_majeurs",
        description="Synthetic example shipped with impactkit: court-appointed protection of "
        "adults, measured on seeded synthetic data.",
        toc=build_toc(),
        inputs=inputs,
        outcomes=outcomes,
        marginal_shares=MARGINAL_SHARES,
    )
