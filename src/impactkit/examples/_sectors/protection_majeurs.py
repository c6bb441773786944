"""Legal protection of adults: a *service mandataire judiciaire à la protection des majeurs*.

Court-appointed delegates manage the budget and represent or assist adults
under guardianship or curatorship (tutelle, curatelle renforcée): they open
the rights people are entitled to, negotiate debts, keep the rent paid and
coordinate with care. The example follows 300 measures for a year
(synthetic data, no real person).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit import dist, measure
from impactkit.examples._sectors._common import catalogue_proxy, holes, sector_model
from impactkit.measure import Condition
from impactkit.model import ImpactModel, Input, OutcomeValuation
from impactkit.toc import Assumption, Indicator, TheoryOfChange

__all__ = ["NAME", "SEED", "build_data", "build_model", "build_toc"]

NAME = "protection_majeurs"
SEED = 20240613
N = 300
HAS_PERSON = "chapitre 1 « La personne »"

PROXIES = {
    "eviction": "expulsion_locative_cout_public",
    "hospital": "hospitalisation_psychiatrie_journee",
}
"""Catalogue ids of the proxies, by valued outcome."""


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
            "hospital_days_before": hosp0,
            "hospital_days_after": hosp1,
            "hospital_days_avoided": hosp0 - hosp1,
        }
    )
    return {"measures": measures}


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
        label="Coûts publics d'expulsion évités",
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
    link("housing_kept", "dignity", rationale="A home")
    link("rights_opened", "dignity", rationale="Effective rights")
    return toc


def build_model() -> ImpactModel:
    """The evaluative model of the service, its quantities measured on the example data."""
    outcomes = [
        OutcomeValuation(
            outcome="eviction_costs_avoided",
            stakeholder="etat",
            label="Expulsions évitées",
            indicator="eviction_cost",
            quantity=MEASURES["eviction_cost"],
            proxy=catalogue_proxy(PROXIES["eviction"], unit="eviction"),
            duration=1,
            deadweight=dist.Beta(0.35, 0.08),
            attribution=0.25,
            sources={
                "deadweight": "Procedures that stop without intervention (judgement)",
                "attribution": "Housing-benefit services and the eviction-prevention "
                "commission (CCAPEX)",
            },
            evidence={"deadweight": "judgement"},
        ),
        OutcomeValuation(
            outcome="hospital_avoided",
            stakeholder="assurance_maladie",
            label="Journées d'hospitalisation évitées",
            indicator="hospital_days",
            quantity=MEASURES["hospital_days"],
            proxy=catalogue_proxy(PROXIES["hospital"], unit="day"),
            duration=1,
            deadweight=dist.Beta(0.5, 0.08),
            attribution=0.4,
            sources={
                "deadweight": "Days fall after a crisis year anyway (regression to the mean)",
                "attribution": "Psychiatric teams and GPs provide the care",
            },
            evidence={"deadweight": "judgement"},
        ),
    ]
    inputs = [
        Input(
            "Financement public des mesures (État, Département)",
            amount=1_150_000,
            stakeholder="etat",
            source="Budget of the service, synthetic",
        ),
        Input(
            "Participation des personnes protégées",
            amount=210_000,
            stakeholder="protected",
            source="Contributions levied on the protected people's resources, synthetic",
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
    )
