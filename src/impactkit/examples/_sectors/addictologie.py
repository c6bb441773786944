"""Addiction care: an outpatient *CSAPA* (centre de soins, d'accompagnement et de
prévention en addictologie).

A team of doctors, nurses, psychologists and social workers offers free and,
on request, anonymous care: assessment, medical and psychological follow-up,
substitution treatment, social support and help for relatives. The example
follows 260 patients over a year of care (synthetic data, no real person).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import dist, measure
from impactkit.examples._sectors._common import (
    before_after,
    catalogue_proxy,
    counts_before_after,
    eq5d_waves,
    holes,
    sector_model,
    weekly_hours,
    zarit_waves,
)
from impactkit.examples._sectors._rows import (
    emergency_row,
    qaly_gain,
    qaly_row,
    row,
    weekly_job_proxy,
)
from impactkit.measure import Condition
from impactkit.model import ImpactModel, Input
from impactkit.toc import Assumption, Indicator, TheoryOfChange

__all__ = ["NAME", "SEED", "build_data", "build_model", "build_toc"]

NAME = "addictologie"
SEED = 20240614
N = 260
HAS_HEALTH = "chapitre 1 « La personne », thématique « Accompagnement à la santé »"

PROXIES = {"alcohol_stay": "sejour_mco_alcool_cout_moyen"}
"""Catalogue ids of the proxies of this example's own rows, by valued outcome."""

MARGINAL_SHARES = {"fewer_emergencies": 0.35, "fewer_alcohol_stays": 0.5}
"""Share of an average cost released when one unit is avoided, for the sensitivity case:
an emergency visit releases its acts and consultations, about 80 EUR of 227 (the health
insurance's figure, Sénat report n° 685, 2016-2017); a hospital stay its direct costs,
half of the average by judgement."""


MEASURES = {
    "days_use": measure.PrePost(
        baseline="days_use_t0",
        followup="days_use_t1",
        direction="decrease",
        min_change=10,
        data="patients",
    ),
    "ed_visits": measure.Sum("ed_visits_avoided", data="patients"),
    "employed": measure.Threshold(
        column="employed_t1",
        at_least=1,
        where=[Condition("employed_t0", "==", 0)],
        data="patients",
    ),
    "job_hours": measure.Sum(
        "job_hours_week_t1", where=[Condition("employed_t0", "==", 0)], data="patients"
    ),
    "alcohol_stays": measure.Sum(
        "alcohol_stays_avoided", where=[Condition("product", "==", "alcool")], data="patients"
    ),
    "overdoses": measure.Sum(
        "overdoses_avoided", where=[Condition("product", "==", "opioïdes")], data="patients"
    ),
    "relatives": measure.PrePost(
        baseline="relative_burden_t0",
        followup="relative_burden_t1",
        direction="decrease",
        min_change=5,
        data="patients",
    ),
    "eq5d": qaly_gain("patients"),
}
"""The calculators of the indicators, by indicator id; the valuations reuse them."""


def build_data(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Seeded synthetic data: one row per patient followed in the year."""
    rng = np.random.default_rng(seed)
    product = rng.choice(
        ["alcool", "cannabis", "opioïdes", "cocaïne"], size=N, p=[0.5, 0.25, 0.15, 0.1]
    )
    consultations = rng.poisson(14, N) + 2
    # days of use in the last 30 days (timeline follow-back), entry and 12 months
    d0 = np.clip(np.round(rng.normal(21, 6, N)), 0, 30)
    d1 = np.clip(np.round(d0 - rng.normal(8, 8, N) - 0.2 * (consultations - 14)), 0, 30)
    ed0, ed1 = counts_before_after(rng, N, before=1.3, fall=0.6, new=0.2)
    ed0, ed1 = holes(rng, ed0, 0.04), holes(rng, ed1, 0.12)
    work0 = (rng.random(N) < 0.35).astype(float)
    work1 = np.where(work0 == 1, (rng.random(N) < 0.9), (rng.random(N) < 0.2)).astype(float)
    patients = pd.DataFrame(
        {
            "patient_id": np.arange(1, N + 1),
            "product": product,
            "age": rng.integers(18, 70, size=N),
            "consultations": consultations,
            "days_use_t0": holes(rng, d0, 0.03),
            "days_use_t1": holes(rng, d1, 0.18),
            **before_after("ed_visits", ed0, ed1),
            "employed_t0": work0,
            "employed_t1": holes(rng, work1, 0.15),
        }
    )
    # EQ-5D-5L at admission and at 12 months, drawn from their own stream so that the
    # columns above do not change; pain and anxiety/depression weigh most
    eq5d = eq5d_waves(
        np.random.default_rng(seed + 1),
        N,
        severity=1.3,
        change=0.3,
        weights=(0.5, 0.4, 0.9, 1.0, 1.3),
        nonresponse=(0.05, 0.15),
    )
    return {
        "patients": pd.concat(
            [patients, eq5d, _stays_and_jobs(seed, product, work0, work1)], axis=1
        )
    }


def _stays_and_jobs(
    seed: int,
    product: np.ndarray[Any, Any],
    work0: np.ndarray[Any, Any],
    work1: np.ndarray[Any, Any],
) -> pd.DataFrame:
    """Alcohol-related hospital stays and non-fatal overdoses before and after, weekly hours
    of the job held at 12 months and a relative's burden score (Zarit, 0-88), from their
    own stream so that the columns above keep their values."""
    rng = np.random.default_rng(seed + 2)
    alcohol = product == "alcool"
    s0 = np.where(alcohol, rng.poisson(1.3, N), 0).astype(float)
    s1 = np.where(alcohol, np.maximum(s0 - rng.poisson(0.6, N), 0), 0).astype(float)
    opioid = product == "opioïdes"
    o0 = np.where(opioid, rng.poisson(0.6, N), 0).astype(float)
    o1 = np.where(opioid, np.maximum(o0 - rng.poisson(0.3, N), 0), 0).astype(float)
    hours = holes(rng, weekly_hours(rng, work1, mean=24, sd=8, low=6), 0.15)
    z0, z1 = zarit_waves(rng, N, share=0.6, relief=7)
    return pd.DataFrame(
        {
            "alcohol_stays_before": holes(rng, s0, 0.04),
            "alcohol_stays_after": holes(rng, s1, 0.12),
            "overdoses_before": o0,
            "overdoses_after": holes(rng, o1, 0.1),
            "job_hours_week_t1": hours,
            "relative_burden_t0": holes(rng, z0, 0.05),
            "relative_burden_t1": holes(rng, z1, 0.2),
        }
    ).assign(
        alcohol_stays_avoided=lambda d: d["alcohol_stays_before"] - d["alcohol_stays_after"],
        overdoses_avoided=lambda d: d["overdoses_before"] - d["overdoses_after"],
    )


def build_toc() -> TheoryOfChange:
    """The theory of change of the centre as its team describes it."""
    toc = TheoryOfChange(
        "CSAPA ambulatoire - Centre Passerelle",
        description="Outpatient addiction-care centre (synthetic example).",
    )
    sh = toc.add_stakeholder
    sh("patients", label="Personnes accompagnées", size=N, description="Patients")
    sh("relatives", label="Entourage", description="Relatives supported by the centre")
    sh(
        "partners",
        label="Médecins généralistes, pharmacies, hôpital",
        description="Health partners who refer and share the care",
    )
    sh(
        "assurance_maladie",
        label="Assurance maladie (ONDAM, via l'ARS)",
        description="Health insurance: funds the centre and pays emergency visits",
    )
    sh(
        "etat",
        label="État (justice, MILDECA)",
        description="The State: court-ordered care and prevention funding",
    )
    sh("employers", label="Employeurs", description="Employers of the patients")
    sh("commune", label="Commune", description="Town: prevention in schools, premises")
    toc.add_node("funding", kind="input", label="Dotation globale de l'Assurance maladie (ARS)")
    toc.add_node("team", kind="input", label="Équipe médico-psycho-sociale")
    toc.add_node("care", kind="activity", label="Consultations médicales et psychologiques")
    toc.add_node("social", kind="activity", label="Accompagnement social et vers l'emploi")
    toc.add_node("harm", kind="activity", label="Réduction des risques et traitements")
    toc.add_node(
        "consultations",
        kind="output",
        label="Consultations réalisées",
        measure=measure.Sum("consultations", data="patients"),
        indicators=[
            Indicator(
                "n_consultations",
                "File active : consultations dans l'année",
                unit="consultations",
                target=4000,
                threshold=3200,
                timeline="12 mois",
                data_source="Rapport d'activité (patients.csv)",
            )
        ],
    )
    toc.add_node(
        "less_use",
        kind="outcome",
        horizon="short",
        stakeholder="patients",
        label="Consommation réduite",
        indicators=[
            Indicator(
                "days_use",
                "Patients suivis : au moins 10 jours de consommation en moins sur 30 "
                "(calendrier rétrospectif)",
                unit="patients",
                direction="decrease",
                baseline=21,
                target=110,
                threshold=10,
                timeline="12 mois après l'admission",
                data_source="Entretien d'évaluation à l'admission et à 12 mois",
                measure=MEASURES["days_use"],
                external_ids={"has_essms_2022": HAS_HEALTH},
            )
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
                "Patients suivis : passages aux urgences en moins sur 12 mois (après moins avant)",
                unit="visits",
                target=60,
                threshold=1,
                timeline="12 mois",
                data_source="Déclaration des patients, dossier médical",
                measure=MEASURES["ed_visits"],
                external_ids={"has_essms_2022": HAS_HEALTH},
            )
        ],
    )
    toc.add_node(
        "back_to_work",
        kind="outcome",
        horizon="intermediate",
        stakeholder="patients",
        label="Retour à l'emploi",
        indicators=[
            Indicator(
                "employed",
                "Patients sans emploi à l'admission : en emploi à 12 mois",
                unit="patients",
                target=40,
                threshold=1,
                timeline="12 mois après l'admission",
                data_source="Entretien à 12 mois",
                measure=MEASURES["employed"],
            ),
            Indicator(
                "job_hours",
                "Patients sans emploi à l'admission : heures de travail hebdomadaires à "
                "12 mois (total)",
                unit="hours/week",
                target=900,
                threshold=1,
                timeline="12 mois après l'admission",
                data_source="Entretien à 12 mois",
                measure=MEASURES["job_hours"],
            ),
        ],
    )
    toc.add_node(
        "fewer_alcohol_stays",
        kind="outcome",
        horizon="intermediate",
        stakeholder="assurance_maladie",
        label="Hospitalisations liées à l'alcool évitées",
        indicators=[
            Indicator(
                "alcohol_stays",
                "Patients suivis pour l'alcool : séjours hospitaliers (MCO) en moins sur "
                "12 mois (avant moins après)",
                unit="stays",
                target=60,
                threshold=1,
                timeline="12 mois après l'admission",
                data_source="Dossier médical partagé (patients.csv)",
                measure=MEASURES["alcohol_stays"],
            )
        ],
    )
    toc.add_node(
        "fewer_overdoses",
        kind="outcome",
        horizon="intermediate",
        stakeholder="patients",
        label="Surdoses évitées",
        indicators=[
            Indicator(
                "overdoses",
                "Patients suivis pour les opioïdes : surdoses non mortelles en moins sur "
                "12 mois (avant moins après)",
                unit="overdoses",
                target=10,
                threshold=1,
                timeline="12 mois après l'admission",
                data_source="Dossier médical (patients.csv)",
                measure=MEASURES["overdoses"],
            )
        ],
    )
    toc.add_node(
        "health_quality",
        kind="outcome",
        horizon="intermediate",
        stakeholder="patients",
        label="Qualité de vie liée à la santé améliorée",
        indicators=[
            Indicator(
                "eq5d",
                "Patients suivis : QALY gagnés sur l'année (EQ-5D-5L à l'admission et à 12 "
                "mois, table de valeurs française)",
                unit="QALY",
                target=3,
                threshold=0.0,
                timeline="12 mois après l'admission",
                data_source="EQ-5D-5L passé avec le patient (licence EuroQol)",
                measure=MEASURES["eq5d"],
                external_ids={"has_essms_2022": HAS_HEALTH},
            )
        ],
    )
    toc.add_node(
        "relatives_relieved",
        kind="outcome",
        horizon="intermediate",
        stakeholder="relatives",
        label="Entourage soulagé",
        indicators=[
            Indicator(
                "relatives",
                "Proches des patients : baisse d'au moins 5 points du fardeau ressenti "
                "(échelle de Zarit, 0-88)",
                unit="relatives",
                direction="decrease",
                target=60,
                threshold=5,
                timeline="12 mois après l'admission",
                data_source="Questionnaire proposé aux proches (patients.csv)",
                measure=MEASURES["relatives"],
            )
        ],
    )
    toc.add_node(
        "recovery",
        kind="impact",
        label="Rétablissement : santé, liens et place dans la société",
        above_ceiling=True,
    )
    link = toc.add_link
    link("funding", "care", rationale="The global grant pays the team")
    link("team", "care", rationale="Doctors, nurses and psychologists")
    link("team", "social", rationale="Social workers")
    link("team", "harm", rationale="Nurses deliver treatments and kits")
    link("care", "consultations", rationale="Consultations are the delivery")
    link("social", "consultations", rationale="Social appointments are consultations")
    link("harm", "consultations", rationale="Treatment reviews are consultations")
    link(
        "consultations",
        "less_use",
        evidence=4,
        assumption=Assumption("Psychosocial care and treatment reduce use", "holds"),
    )
    link(
        "less_use",
        "fewer_emergencies",
        evidence=3,
        assumption=Assumption("Less use means fewer intoxications and injuries", "partly"),
    )
    link(
        "less_use",
        "back_to_work",
        evidence=2,
        assumption=Assumption("Stability makes work possible again", "partly"),
    )
    link(
        "less_use",
        "health_quality",
        evidence=3,
        assumption=Assumption("Less use means less pain, anxiety and low mood", "partly"),
    )
    link("health_quality", "recovery", rationale="Health")
    link("less_use", "relatives_relieved", rationale="Calmer home life")
    link("back_to_work", "recovery", rationale="A place in society")
    link("less_use", "recovery", rationale="Health")
    link("less_use", "fewer_alcohol_stays", rationale="Less drinking, fewer acute admissions")
    link("harm", "fewer_overdoses", rationale="Substitution treatment and naloxone")
    link("fewer_overdoses", "recovery", rationale="Alive and safer")
    return toc


def build_model() -> ImpactModel:
    """The evaluative model of the centre, its quantities measured on the example data."""
    outcomes = [
        emergency_row(
            quantity=MEASURES["ed_visits"],
            share=MARGINAL_SHARES["fewer_emergencies"],
            attribution=0.2,
            why_attribution="Hospital liaison teams (ELSA) and GPs",
        ),
        row(
            "back_to_work",
            "patients",
            "Retour à l'emploi",
            indicator="job_hours",
            quantity=MEASURES["job_hours"],
            proxy=weekly_job_proxy(),
            deadweight=dist.Beta(0.35, 0.08),
            attribution=0.3,
            why_deadweight="Return-to-work rate without care (judgement)",
            why_attribution="France Travail and employers",
        ),
        qaly_row(
            "health_quality",
            "patients",
            "Qualité de vie liée à la santé améliorée",
            quantity=MEASURES["eq5d"],
            deadweight=0.4,
            attribution=0.3,
            why_deadweight="Health-related quality of life improves after a crisis "
            "anyway (regression to the mean; judgement)",
            why_attribution="GPs, pharmacies and hospital liaison teams",
        ),
        row(
            "fewer_alcohol_stays",
            "assurance_maladie",
            "Hospitalisations liées à l'alcool évitées",
            indicator="alcohol_stays",
            quantity=MEASURES["alcohol_stays"],
            proxy=catalogue_proxy(PROXIES["alcohol_stay"], unit="stay"),
            deadweight=dist.Beta(0.4, 0.08),
            attribution=0.3,
            why_deadweight="Admissions fall after a crisis year anyway (regression to the "
            "mean; judgement)",
            why_attribution="Hospital liaison teams (ELSA) and GPs",
            marginal=(
                MARGINAL_SHARES["fewer_alcohol_stays"],
                "A stay avoided releases its direct costs only (judgement).",
            ),
        ),
    ]
    inputs = [
        Input(
            "Dotation globale de financement (Assurance maladie, ARS)",
            amount=520_000,
            stakeholder="assurance_maladie",
            source="Budget of the centre, synthetic",
        ),
        Input(
            "Subvention de prévention (MILDECA)",
            amount=35_000,
            stakeholder="etat",
            source="Grant, synthetic",
        ),
    ]
    return sector_model(
        NAME,
        title="CSAPA ambulatoire - Centre Passerelle (exemple)",
        sector="addictologie",
        description="Synthetic example shipped with impactkit: an outpatient addiction-care "
        "centre, measured on seeded synthetic data.",
        toc=build_toc(),
        inputs=inputs,
        outcomes=outcomes,
        marginal_shares=MARGINAL_SHARES,
    )
