"""Insertion: an *atelier et chantier d'insertion* (ACI), part of the IAE.

People far from work (long-term jobseekers, RSA recipients) get a paid
fixed-term job of about 26 hours a week in a market-gardening and
green-spaces workshop, with on-the-job supervision, training and
socio-professional support towards a lasting job. The example follows the 150
employees who left the workshop in the year (synthetic data, no real person).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from impactkit import dist, measure
from impactkit.examples._sectors._common import (
    catalogue_proxy,
    catalogue_row,
    counts_before_after,
    eq5d_waves,
    holes,
    sector_model,
    weekly_hours,
)
from impactkit.examples._sectors._rows import (
    emergency_row,
    qaly_gain,
    qaly_row,
    row,
    weekly_job_proxy,
)
from impactkit.measure import Condition
from impactkit.model import ImpactModel, Input, OutcomeValuation
from impactkit.toc import Assumption, Indicator, TheoryOfChange

__all__ = ["NAME", "SEED", "build_data", "build_model", "build_toc"]

NAME = "insertion_iae"
SEED = 20240612
N = 150
HOURS_PER_WEEK = 26.0
HAS_PERSON = "chapitre 1 « La personne »"

PROXIES = {
    "job": "smic_horaire_net",
    "rsa": "rsa_forfait_personne_seule",
    "aid": "iae_aide_poste_aci",
}
"""Catalogue ids of the proxies and of the aid per post, by use."""

DEPARTEMENT_SHARE_OF_RSA = 0.88
"""Monthly share of the single-person RSA the département pays towards the aid per post of
each post held by an RSA recipient, under its annual agreement (décret n° 2014-728 du 27 juin
2014; 88 % as reported by the Banque des Territoires)."""

SALES = 180_000
"""Sales of vegetables and green-space services in the year (the workshop's accounts,
synthetic); commercial income is capped at 30 % of an ACI's costs."""

MARGINAL_SHARES = {"fewer_emergencies": 0.35}
"""Share of the average cost of an emergency visit released when one is avoided: the acts
and consultations, about 80 EUR of 227 (Sénat report n° 685, 2016-2017)."""


MEASURES = {
    "hours_paid": measure.Sum("hours_paid", data="employees"),
    "certified": measure.Threshold(column="qualification", at_least=1, data="employees"),
    "exit_lasting_job": measure.Proportion(
        column="exit", values=["emploi durable"], data="employees"
    ),
    "job_hours": measure.Sum("job_hours_week_6m", data="employees"),
    "eq5d": qaly_gain("employees"),
    "ed_visits": measure.Sum("ed_visits_avoided", data="employees"),
    "housing": measure.Threshold(
        column="housed_at_exit",
        at_least=1,
        where=[Condition("housed_at_entry", "==", 0)],
        data="employees",
    ),
    "licence": measure.Threshold(column="driving_licence", at_least=1, data="employees"),
    "rsa_months": measure.Sum(
        "rsa_months_saved",
        where=[Condition("rsa_at_entry", "==", 1)],
        data="employees",
    ),
}
"""The calculators of the indicators, by indicator id; the valuations reuse them."""
MEASURES["rsa_months_lost"] = MEASURES["rsa_months"]


def build_data(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Seeded synthetic data: one row per employee who left the workshop in the year."""
    rng = np.random.default_rng(seed)
    age = rng.integers(19, 62, size=N)
    months = np.clip(np.round(rng.gamma(4.0, 3.0, N)), 4, 24)
    rsa = (rng.random(N) < 0.55).astype(float)
    training = np.round(rng.gamma(2.0, 30.0, N))
    qual = (rng.random(N) < 0.25 + 0.002 * training).astype(float)
    p_job = 0.18 + 0.012 * (months - 12) + 0.1 * qual
    u = rng.random(N)
    exit_kind = np.where(
        u < p_job,
        "emploi durable",
        np.where(
            u < p_job + 0.2,
            "emploi de transition",
            np.where(u < p_job + 0.32, "formation qualifiante", "autre sortie"),
        ),
    ).astype(object)
    exit_kind[rng.random(N) < 0.05] = None  # exit situation unknown
    in_job = np.isin(exit_kind, ["emploi durable", "emploi de transition"])
    employed_6m = (rng.random(N) < np.where(in_job, 0.78, 0.15)).astype(float)
    employed_6m[rng.random(N) < 0.15] = np.nan  # not reached at 6 months
    # months on RSA in the 12 months before entry and after exit (RSA recipients only)
    before = np.where(rsa == 1, np.clip(np.round(rng.normal(10.5, 2.0, N)), 0, 12), 0.0)
    after = np.where(
        rsa == 1,
        np.where(in_job, np.round(rng.uniform(0, 5, N)), np.round(rng.uniform(5, 12, N))),
        0.0,
    )
    before = holes(rng, before, 0.03)
    after = holes(rng, after, 0.08)
    employees = pd.DataFrame(
        {
            "employee_id": np.arange(1, N + 1),
            "site": rng.choice(["Maraîchage", "Espaces verts"], size=N, p=[0.6, 0.4]),
            "age": age,
            "rsa_at_entry": rsa,
            "months_in_contract": months,
            "hours_paid": holes(
                rng, np.round(np.minimum(months, 12) * HOURS_PER_WEEK * 52 / 12), 0.02
            ),
            "training_hours": holes(rng, training, 0.04),
            "qualification": holes(rng, qual, 0.06),
            "exit": exit_kind,
            "employed_6m": employed_6m,
            "rsa_months_before": before,
            "rsa_months_after": after,
            "rsa_months_saved": before - after,
        }
    )
    return {"employees": pd.concat([employees, _after_exit(seed, employed_6m)], axis=1)}


def _after_exit(seed: int, employed_6m: np.ndarray[Any, Any]) -> pd.DataFrame:
    """Weekly hours of the job held six months after exit, emergency visits, housing,
    driving licence and EQ-5D-5L, from their own streams so that the columns of
    :func:`build_data` keep their values."""
    rng = np.random.default_rng(seed + 1)
    hours = weekly_hours(rng, employed_6m, mean=26, sd=7, low=8)
    e0, e1 = counts_before_after(rng, N, before=1.0, fall=0.4, new=0.1)
    housed0 = (rng.random(N) < 0.7).astype(float)
    housed1 = np.where(housed0 == 1, 1.0, (rng.random(N) < 0.45).astype(float))
    licence = (rng.random(N) < 0.12).astype(float)
    eq5d = eq5d_waves(
        np.random.default_rng(seed + 2),
        N,
        severity=1.3,
        change=0.3,
        weights=(0.4, 0.5, 0.8, 0.9, 1.2),
        nonresponse=(0.05, 0.25),
    )
    return pd.concat(
        [
            pd.DataFrame(
                {
                    "job_hours_week_6m": holes(rng, hours, 0.05),
                    "ed_visits_before": holes(rng, e0, 0.05),
                    "ed_visits_after": holes(rng, e1, 0.2),
                    "housed_at_entry": housed0,
                    "housed_at_exit": holes(rng, housed1, 0.1),
                    "driving_licence": holes(rng, licence, 0.05),
                }
            ).assign(ed_visits_avoided=lambda d: d["ed_visits_before"] - d["ed_visits_after"]),
            eq5d,
        ],
        axis=1,
    )


def full_time_equivalents(data: dict[str, pd.DataFrame], *, rsa_only: bool = False) -> float:
    """Full-time equivalents (35 h) paid in the year, the basis of the State's aid per post;
    with ``rsa_only``, those of the posts held by people on the RSA at entry."""
    e = data["employees"]
    fte = e["months_in_contract"].clip(upper=12) * HOURS_PER_WEEK / 35.0
    if rsa_only:
        fte = fte[e["rsa_at_entry"] == 1]
    return float(fte.sum() / 12.0)


def build_toc() -> TheoryOfChange:
    """The theory of change of the workshop as its supervisors describe it."""
    toc = TheoryOfChange(
        "Atelier et chantier d'insertion - Les Jardins du Val",
        description="Work-integration workshop (ACI) in market gardening and green spaces "
        "(synthetic example).",
    )
    sh = toc.add_stakeholder
    sh("employees", label="Salariés en insertion", size=N, description="People in the workshop")
    sh("families", label="Familles des salariés", description="Households of the employees")
    sh(
        "employers",
        label="Entreprises du territoire",
        description="Employers hiring at exit; clients of the workshop",
    )
    sh(
        "etat",
        label="État (DDETS, aide au poste)",
        description="The State: pays the aid per post and approves the workshop",
    )
    sh(
        "france_travail",
        label="France Travail",
        description="Public employment service: one of the habilitated prescribers who "
        "check eligibility and issue the PASS IAE (plateforme de l'inclusion)",
    )
    sh(
        "departement",
        label="Département (RSA)",
        description="Département: pays the RSA minimum income and co-funds the support",
    )
    sh(
        "caf",
        label="CAF",
        description="Family allowance fund: pays the RSA on behalf of the département, and "
        "the activity bonus (prime d'activité) once people work (transfers)",
    )
    sh("commune", label="Commune", description="The town lending the land")
    sh(
        "assurance_maladie",
        label="Assurance maladie",
        description="Health insurance: pays emergency visits",
    )
    sh("clients", label="Clients de l'atelier", description="Buyers of vegetables and services")
    sh("region", label="Région et fonds européens", description="Région and ESF+ co-funding")
    toc.add_node("aid", kind="input", label="Aide au poste de l'État et cofinancements")
    toc.add_node("supervisors", kind="input", label="Encadrants techniques et accompagnateurs")
    toc.add_node("work", kind="activity", label="Mise en situation de travail encadrée")
    toc.add_node("training", kind="activity", label="Formation en situation de travail")
    toc.add_node(
        "support", kind="activity", label="Accompagnement socioprofessionnel et levée des freins"
    )
    toc.add_node(
        "contracts",
        kind="output",
        label="Salariés en parcours d'insertion",
        measure=measure.Count(unique="employee_id", data="employees"),
        indicators=[
            Indicator(
                "n_employees",
                "Personnes éligibles (PASS IAE) : salariés sortis dans l'année",
                unit="people",
                target=150,
                threshold=120,
                timeline="12 mois",
                data_source="Extranet IAE (employees.csv)",
            )
        ],
    )
    toc.add_node(
        "training_hours",
        kind="output",
        label="Heures de formation",
        measure=measure.Sum("training_hours", data="employees"),
    )
    toc.add_node(
        "wages",
        kind="outcome",
        horizon="short",
        stakeholder="employees",
        label="Revenu d'activité pendant le parcours",
        indicators=[
            Indicator(
                "hours_paid",
                "Salariés en insertion : heures de travail rémunérées dans l'année",
                unit="hours",
                target=190000,
                threshold=1,
                timeline="pendant le contrat",
                data_source="Bulletins de paie (employees.csv)",
                measure=MEASURES["hours_paid"],
            )
        ],
    )
    toc.add_node(
        "qualification",
        kind="outcome",
        horizon="short",
        stakeholder="employees",
        label="Qualification ou certification obtenue",
        indicators=[
            Indicator(
                "certified",
                "Salariés sortis : certification, titre ou permis obtenu pendant le parcours",
                unit="people",
                target=45,
                threshold=1,
                timeline="à la sortie",
                data_source="Dossier de suivi (employees.csv)",
                measure=MEASURES["certified"],
                external_ids={"has_essms_2022": HAS_PERSON},
            )
        ],
    )
    toc.add_node(
        "lasting_job",
        kind="outcome",
        horizon="intermediate",
        stakeholder="employees",
        label="Emploi durable à la sortie",
        indicators=[
            Indicator(
                "exit_lasting_job",
                "Salariés sortis : CDI ou CDD de six mois et plus à la sortie (sortie "
                "vers l'emploi durable au sens de la DARES)",
                unit="people",
                target=40,
                threshold=1,
                timeline="à la sortie",
                data_source="Extranet IAE, situation à la sortie",
                measure=MEASURES["exit_lasting_job"],
            ),
            Indicator(
                "job_hours",
                "Salariés sortis : heures de travail hebdomadaires de l'emploi occupé six "
                "mois après la sortie (total)",
                unit="hours/week",
                target=1200,
                threshold=1,
                timeline="6 mois après la sortie",
                data_source="Enquête à six mois (employees.csv)",
                measure=MEASURES["job_hours"],
            ),
        ],
    )
    toc.add_node(
        "health",
        kind="outcome",
        horizon="intermediate",
        stakeholder="employees",
        label="Santé stabilisée (qualité de vie)",
        indicators=[
            Indicator(
                "eq5d",
                "Salariés en insertion : QALY gagnés sur l'année (EQ-5D-5L, valeurs françaises)",
                unit="QALY",
                target=3,
                threshold=0.01,
                timeline="de l'entrée à la sortie",
                data_source="Questionnaire EQ-5D-5L à l'entrée et à la sortie",
                measure=MEASURES["eq5d"],
                external_ids={"has_essms_2022": HAS_PERSON},
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
                "Salariés en insertion : passages aux urgences en moins sur 12 mois "
                "(avant moins après)",
                unit="visits",
                target=60,
                threshold=1,
                timeline="12 mois",
                data_source="Déclaration des salariés (employees.csv)",
                measure=MEASURES["ed_visits"],
            )
        ],
    )
    toc.add_node(
        "housing",
        kind="outcome",
        horizon="intermediate",
        stakeholder="employees",
        label="Logement stabilisé",
        indicators=[
            Indicator(
                "housing",
                "Salariés sans logement stable à l'entrée : logés durablement à la sortie",
                unit="people",
                target=20,
                threshold=1,
                timeline="à la sortie",
                data_source="Dossier d'accompagnement (employees.csv)",
                measure=MEASURES["housing"],
            )
        ],
    )
    toc.add_node(
        "mobility",
        kind="outcome",
        horizon="short",
        stakeholder="employees",
        label="Mobilité : permis de conduire obtenu",
        indicators=[
            Indicator(
                "licence",
                "Salariés en insertion : permis de conduire obtenu pendant le parcours",
                unit="people",
                target=15,
                threshold=1,
                timeline="pendant le contrat",
                data_source="Dossier d'accompagnement (employees.csv)",
                measure=MEASURES["licence"],
            )
        ],
    )
    toc.add_node(
        "production",
        kind="outcome",
        horizon="short",
        stakeholder="clients",
        label="Production vendue (légumes, entretien d'espaces verts)",
        indicators=[
            Indicator(
                "sales",
                "Clients de l'atelier : chiffre d'affaires de l'année",
                unit="EUR",
                target=180000,
                threshold=1,
                timeline="exercice comptable",
                data_source="Comptes de l'atelier",
            )
        ],
    )
    toc.add_node(
        "rsa_exit",
        kind="outcome",
        horizon="intermediate",
        stakeholder="departement",
        label="Mois de RSA évités",
        indicators=[
            Indicator(
                "rsa_months",
                "Salariés au RSA à l'entrée : mois de RSA en moins dans les 12 mois "
                "après la sortie qu'avant l'entrée",
                unit="months",
                target=450,
                threshold=1,
                timeline="12 mois après la sortie",
                data_source="Échange de données avec le Département (employees.csv)",
                measure=MEASURES["rsa_months"],
            )
        ],
    )
    toc.add_node(
        "rsa_lost",
        kind="outcome",
        horizon="intermediate",
        stakeholder="employees",
        label="RSA en moins pour les salariés (transfert)",
        indicators=[
            Indicator(
                "rsa_months_lost",
                "Salariés au RSA à l'entrée : mois de RSA en moins (contrepartie du revenu "
                "d'activité)",
                unit="months",
                target=450,
                threshold=1,
                timeline="12 mois après la sortie",
                data_source="Échange de données avec le Département (employees.csv)",
                measure=MEASURES["rsa_months_lost"],
            )
        ],
    )
    toc.add_node(
        "recruits",
        kind="outcome",
        horizon="intermediate",
        stakeholder="employers",
        label="Recrutements facilités pour les entreprises",
    )
    toc.add_node(
        "inclusion",
        kind="impact",
        label="Retour durable à l'emploi et à l'autonomie financière",
        above_ceiling=True,
    )
    link = toc.add_link
    link("aid", "work", rationale="The aid per post pays wages and supervision")
    link("supervisors", "work", rationale="Supervisors organise production")
    link("supervisors", "training", rationale="Supervisors train on the job")
    link("supervisors", "support", rationale="Support workers lift barriers (housing, mobility)")
    link("work", "contracts", rationale="A paid contract is the delivery")
    link("training", "training_hours", rationale="Hours are the delivery")
    link("support", "contracts", rationale="Support runs alongside the contract")
    link(
        "contracts",
        "wages",
        evidence=4,
        assumption=Assumption("A work contract pays wages", "holds"),
    )
    link("wages", "inclusion", rationale="Income from work")
    link(
        "training_hours",
        "qualification",
        evidence=3,
        assumption=Assumption("Training on the job leads to certification", "holds"),
    )
    link(
        "contracts",
        "lasting_job",
        evidence=3,
        assumption=Assumption("A paid work experience with support leads to a job", "partly"),
    )
    link(
        "qualification",
        "lasting_job",
        evidence=2,
        assumption=Assumption("Certification opens jobs", "partly"),
    )
    link("lasting_job", "rsa_exit", rationale="Earnings end or reduce the RSA")
    link("lasting_job", "rsa_lost", rationale="The same RSA, lost by the household")
    link("lasting_job", "recruits", rationale="Employers fill vacancies")
    link("lasting_job", "inclusion", rationale="A lasting job")
    link(
        "support",
        "health",
        evidence=2,
        assumption=Assumption("A paid job and support steady health and routine", "partly"),
    )
    link("health", "fewer_emergencies", rationale="Fewer crises, fewer emergency visits")
    link(
        "support",
        "housing",
        evidence=2,
        assumption=Assumption("A wage and support unlock stable housing", "partly"),
    )
    link("support", "mobility", rationale="The licence is funded and prepared")
    link("work", "production", rationale="The work produces what is sold")
    link("housing", "inclusion", rationale="A stable home")
    link("mobility", "lasting_job", rationale="Jobs outside the bus network")
    return toc


def build_model() -> ImpactModel:
    """The evaluative model of the workshop, its quantities measured on the example data.

    Net pay during the contract and in the job held six months after exit,
    health-related quality of life and emergency visits avoided are valued;
    the RSA is a transfer valued on both sides (the employees lose what the
    département saves). The inputs are the workshop's public budget: the
    State's aid per post (of which the département's share for RSA
    recipients), the département's support grant, the région and the ESF+,
    and the land lent by the commune. Costs financed by sales are left out,
    as is the value of the production sold.
    """
    net_hour = catalogue_proxy(
        PROXIES["job"], unit="hour", description="Salaire net d'une heure au SMIC"
    )

    def rsa_row(
        outcome: str, stakeholder: str, label: str, indicator: str, sign: float
    ) -> OutcomeValuation:
        # the RSA is a transfer, valued on both sides with the return to work's counterfactual
        return row(
            outcome,
            stakeholder,
            label,
            indicator=indicator,
            quantity=MEASURES[indicator],
            proxy=catalogue_proxy(PROXIES["rsa"], transfer="rsa", sign=sign, unit="month"),
            deadweight=dist.Beta(0.25, 0.06),
            attribution=0.15,
            why_deadweight="Same counterfactual as the return to work",
            why_attribution="Same as the return to work",
            evidence={},
        )

    outcomes = [
        row(
            "wages",
            "employees",
            "Revenu d'activité pendant le parcours",
            indicator="hours_paid",
            quantity=MEASURES["hours_paid"],
            proxy=net_hour,
            deadweight=0.1,
            attribution=0.0,
            why_deadweight="Hours these people would have worked elsewhere in the year "
            "(judgement: they were far from work)",
            why_attribution="The workshop is the employer",
            evidence={},
        ),
        row(
            "lasting_job",
            "employees",
            "Emploi à la sortie",
            indicator="job_hours",
            quantity=MEASURES["job_hours"],
            proxy=weekly_job_proxy(),
            duration=2,
            drop_off=0.3,
            deadweight=dist.Beta(0.25, 0.06),
            attribution=0.15,
            why_deadweight="Return-to-work rate of comparable jobseekers without the "
            "workshop (judgement; compare with France Travail cohorts)",
            why_attribution="France Travail and training bodies also contribute",
        ),
        rsa_row("rsa_lost", "employees", "RSA en moins (transfert)", "rsa_months_lost", -1.0),
        rsa_row("rsa_exit", "departement", "Mois de RSA évités (transfert)", "rsa_months", 1.0),
        qaly_row(
            "health",
            "employees",
            "Santé stabilisée (qualité de vie)",
            quantity=MEASURES["eq5d"],
            deadweight=0.4,
            attribution=0.3,
            why_deadweight="Quality of life improves after entry anyway (regression to "
            "the mean; judgement)",
            why_attribution="Health care and social services (judgement)",
        ),
        emergency_row(
            quantity=MEASURES["ed_visits"],
            share=MARGINAL_SHARES["fewer_emergencies"],
            attribution=0.3,
            why_attribution="Health care and social services (judgement)",
        ),
    ]
    data = build_data()
    fte = full_time_equivalents(data)
    rsa_fte = full_time_equivalents(data, rsa_only=True)
    aid = catalogue_row(PROXIES["aid"])
    rsa = catalogue_row(PROXIES["rsa"])
    total_aid = fte * float(aid["value"])
    dept_aid = rsa_fte * DEPARTEMENT_SHARE_OF_RSA * float(rsa["value"]) * 12
    inputs = [
        Input(
            "Aide au poste de l'État (ACI), hors part du Département",
            amount=round(total_aid - dept_aid, 2),
            stakeholder="etat",
            year=0,
            source=f"{fte:.2f} FTE x catalogue:{PROXIES['aid']} ({float(aid['value']):,.0f} "
            f"EUR per FTE, {int(aid['year'])}) - {aid['source']}; less the département's share",
        ),
        Input(
            "Part du Département dans l'aide au poste (allocataires du RSA)",
            amount=round(dept_aid, 2),
            stakeholder="departement",
            year=0,
            source=f"{rsa_fte:.2f} FTE held by RSA recipients x 88 % of the single-person RSA "
            f"({float(rsa['value']):.2f} EUR, catalogue:{PROXIES['rsa']}) x 12 months "
            "(décret n° 2014-728 du 27 juin 2014; 88 % as reported by the Banque des "
            "Territoires)",
        ),
        Input(
            "Subvention du Département (accompagnement socioprofessionnel)",
            amount=95_000,
            stakeholder="departement",
            source="Agreement with the département, synthetic",
        ),
        Input(
            "Région et Fonds social européen (FSE+)",
            amount=70_000,
            stakeholder="region",
            source="Grant agreements, synthetic",
        ),
        Input(
            "Terrain mis à disposition par la commune",
            amount=12_000,
            stakeholder="commune",
            in_kind=True,
            source="Rental value of the land (synthetic)",
        ),
    ]
    return sector_model(
        NAME,
        title="Atelier et chantier d'insertion - Les Jardins du Val (exemple)",
        sector="insertion",
        description="Synthetic example shipped with impactkit: a work-integration workshop, "
        "measured on seeded synthetic data.",
        toc=build_toc(),
        inputs=inputs,
        outcomes=outcomes,
        marginal_shares=MARGINAL_SHARES,
    )
