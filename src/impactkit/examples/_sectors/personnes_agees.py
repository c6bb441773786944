"""Elderly care: a *SSIAD* (home nursing service) with a fall-prevention programme.

Nurses and care assistants provide daily care at home to older people losing
autonomy, on a doctor's prescription; the service adds a fall-prevention
programme (home assessment, balance exercises with a physiotherapist,
medication review) and supports family carers. The example follows 220
patients for a year (synthetic data, no real person).
"""

from __future__ import annotations

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
    zarit_waves,
)
from impactkit.examples._sectors._rows import emergency_row, qaly_gain, qaly_row, row
from impactkit.measure import Condition
from impactkit.model import ImpactModel, Input
from impactkit.toc import Assumption, Indicator, TheoryOfChange

__all__ = ["NAME", "SEED", "build_data", "build_model", "build_toc"]

NAME = "personnes_agees"
SEED = 20240615
N = 220
HAS_HEALTH = "chapitre 1 « La personne », thématique « Accompagnement à la santé »"
ANAP_CARE = (
    "tableau de bord de la performance ESMS, axe « prestations de soins et d'accompagnement »"
)

PROXIES = {"hospital": "sejour_mco_cout_moyen_atih", "ehpad_care": "ehpad_soins_jour_atih"}
"""Catalogue ids of the proxies of this example's own rows, by valued outcome."""

MARGINAL_SHARES = {
    "fewer_hospital_stays": 0.5,
    "fewer_emergencies": 0.35,
    "ehpad_care_avoided": 0.5,
}
"""Share of an average cost released when one unit is avoided, for the sensitivity case:
an emergency visit releases its acts and consultations, about 80 EUR of 227 (the health
insurance's figure, Sénat report n° 685, 2016-2017); a hospital stay its direct costs, half
by judgement; a nursing-home place left free is soon taken by someone on the waiting list,
so half of its care cost is saved (judgement)."""


MEASURES = {
    "falls": measure.Sum("falls_avoided", data="patients"),
    "hospital_stays": measure.Sum("fall_stays_avoided", data="patients"),
    "all_stays": measure.Sum("stays_avoided", data="patients"),
    "ed_visits": measure.Sum("ed_visits_avoided", data="patients"),
    "at_home": measure.Threshold(
        column="at_home_12m",
        at_least=1,
        where=[Condition("gir", "<=", 2)],
        data="patients",
    ),
    # reliable change on the Zarit Burden Interview (0-88): reliability 0.83, the lower
    # of the internal consistencies reported for the 22-item version (Bédard et al.
    # 2001, The Gerontologist 41(5), 652-657, citing Majerovitz 1995 and Zarit et al.
    # 1987); SD 16.2 in a representative sample of 312 carers (Hébert, Bravo &
    # Préville 2000, Canadian Journal on Aging 19(4), 494-507)
    "zarit": measure.ReliableChange(
        baseline="zarit_t0",
        followup="zarit_t1",
        reliability=0.83,
        sd=16.2,
        direction="decrease",
        data="patients",
    ),
    "eq5d": qaly_gain("patients"),
}
"""The calculators of the indicators, by indicator id; the valuations reuse them."""
MEASURES["at_home_public"] = MEASURES["at_home"]


def build_data(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Seeded synthetic data: one row per patient followed in the year."""
    rng = np.random.default_rng(seed)
    gir = rng.choice([1, 2, 3, 4], size=N, p=[0.08, 0.3, 0.32, 0.3])
    age = np.clip(np.round(rng.normal(84, 6, N)), 65, 102)
    programme = (rng.random(N) < 0.7).astype(float)  # took part in fall prevention
    f0, f1 = counts_before_after(rng, N, before=1.4, fall=0.5 + 0.5 * programme, new=0.3)
    # hospital stays after a fall, 12 months before and after entry
    h0 = np.minimum(rng.poisson(0.6, N), f0).astype(float)
    h1 = np.minimum(np.maximum(h0 - rng.poisson(0.45, N), 0) + rng.poisson(0.1, N), f1)
    p_ehpad = np.where(gir <= 2, 0.22, 0.08)
    ehpad = (rng.random(N) < p_ehpad).astype(float)
    z0, z1 = zarit_waves(rng, N, share=0.72, relief=5)
    f0, f1 = holes(rng, f0, 0.03), holes(rng, f1, 0.08)
    h0, h1 = holes(rng, h0, 0.03), holes(rng, h1, 0.06)
    patients = pd.DataFrame(
        {
            "patient_id": np.arange(1, N + 1),
            "age": age,
            "gir": gir,
            "fall_programme": programme,
            **before_after("falls", f0, f1),
            **before_after("fall_stays", h0, h1),
            "at_home_12m": holes(rng, 1.0 - ehpad, 0.04),
            "zarit_t0": holes(rng, z0, 0.05),
            "zarit_t1": holes(rng, z1, 0.15),
        }
    )
    # EQ-5D-5L at entry and at 12 months, drawn from their own stream so that the
    # columns above do not change; older people in GIR 1-4: many moderate problems
    eq5d = eq5d_waves(np.random.default_rng(seed + 1), N, severity=1.8, change=0.12)
    # all-cause hospital stays (falls included) and emergency visits, 12 months before
    # and after entry, from a third stream
    extra = np.random.default_rng(seed + 2)
    s0 = h0 + extra.poisson(0.5, N)
    s1 = h1 + np.maximum(extra.poisson(0.5, N) - extra.poisson(0.2, N), 0)
    e0, e1 = counts_before_after(extra, N, before=1.1, fall=0.45, new=0.1)
    e0, e1 = holes(extra, e0, 0.03), holes(extra, e1, 0.08)
    care = pd.DataFrame({**before_after("stays", s0, s1), **before_after("ed_visits", e0, e1)})
    return {"patients": pd.concat([patients, eq5d, care], axis=1)}


def build_toc() -> TheoryOfChange:
    """The theory of change of the service as its nurses describe it."""
    toc = TheoryOfChange(
        "SSIAD et prévention des chutes - Soins à domicile du Bocage",
        description="Home nursing with fall prevention for older people (synthetic example).",
    )
    sh = toc.add_stakeholder
    sh("patients", label="Personnes âgées accompagnées", size=N, description="Patients")
    sh("carers", label="Aidants familiaux", size=158, description="Family carers")
    sh(
        "partners",
        label="Médecins traitants, kinésithérapeutes, hôpital",
        description="Health partners",
    )
    sh(
        "assurance_maladie",
        label="Assurance maladie",
        description="Health insurance: pays hospital stays, emergency visits and GPs",
    )
    sh(
        "branche_autonomie",
        label="Branche autonomie (CNSA, via l'ARS)",
        description="The autonomy branch of social security: since 2021 it funds the care "
        "packages of SSIAD and nursing homes through the regional health agency",
    )
    sh(
        "departement",
        label="Département (APA, tarif dépendance, aide sociale à l'hébergement)",
        description="Département: pays APA at home and in nursing homes (the dependency "
        "tariff, less the resident's share) and ASH in nursing homes",
    )
    sh(
        "caisses_retraite",
        label="Caisses de retraite (action sociale)",
        description="Pension funds: co-fund fall-prevention workshops",
    )
    sh("commune", label="Commune (CCAS)", description="Municipal social action centre")
    toc.add_node("funding", kind="input", label="Dotation de soins (branche autonomie, ARS)")
    toc.add_node("team", kind="input", label="Infirmiers, aides-soignants, ergothérapeute")
    toc.add_node("nursing", kind="activity", label="Soins infirmiers et d'hygiène à domicile")
    toc.add_node(
        "prevention",
        kind="activity",
        label="Programme de prévention des chutes (domicile, équilibre, médicaments)",
    )
    toc.add_node("carer_support", kind="activity", label="Soutien et relais des aidants")
    toc.add_node(
        "patients_followed",
        kind="output",
        label="Personnes soignées",
        measure=measure.Count(unique="patient_id", data="patients"),
        indicators=[
            Indicator(
                "n_patients",
                "File active de l'année",
                unit="people",
                target=220,
                threshold=200,
                timeline="12 mois",
                data_source="Dossier de soins (patients.csv)",
                external_ids={"anap_tdb": ANAP_CARE},
            )
        ],
    )
    toc.add_node(
        "programme_done",
        kind="output",
        label="Parcours de prévention des chutes suivis",
        measure=measure.Sum("fall_programme", data="patients"),
    )
    toc.add_node(
        "fewer_falls",
        kind="outcome",
        horizon="short",
        stakeholder="patients",
        label="Chutes évitées",
        indicators=[
            Indicator(
                "falls",
                "Personnes soignées : chutes en moins sur 12 mois (après moins avant)",
                unit="falls",
                target=40,
                threshold=1,
                timeline="12 mois",
                data_source="Relevé des chutes dans le dossier de soins",
                measure=MEASURES["falls"],
                external_ids={"has_essms_2022": HAS_HEALTH},
            )
        ],
    )
    toc.add_node(
        "fewer_hospital_stays",
        kind="outcome",
        horizon="intermediate",
        stakeholder="assurance_maladie",
        label="Hospitalisations évitées (toutes causes)",
        indicators=[
            Indicator(
                "all_stays",
                "Personnes soignées : séjours hospitaliers (toutes causes) en moins sur "
                "12 mois (avant moins après)",
                unit="stays",
                target=80,
                threshold=1,
                timeline="12 mois",
                data_source="Dossier de soins, comptes rendus d'hospitalisation",
                measure=MEASURES["all_stays"],
                external_ids={"has_essms_2022": HAS_HEALTH, "anap_tdb": ANAP_CARE},
            ),
            Indicator(
                "hospital_stays",
                "Personnes soignées : hospitalisations après une chute en moins sur 12 mois "
                "(avant moins après)",
                unit="stays",
                target=40,
                threshold=1,
                timeline="12 mois",
                data_source="Dossier de soins, comptes rendus d'hospitalisation",
                measure=MEASURES["hospital_stays"],
                external_ids={"has_essms_2022": HAS_HEALTH, "anap_tdb": ANAP_CARE},
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
                "Personnes soignées : passages aux urgences en moins sur 12 mois (avant "
                "moins après)",
                unit="visits",
                target=80,
                threshold=1,
                timeline="12 mois",
                data_source="Dossier de soins (patients.csv)",
                measure=MEASURES["ed_visits"],
            )
        ],
    )
    toc.add_node(
        "later_ehpad",
        kind="outcome",
        horizon="intermediate",
        stakeholder="patients",
        label="Entrée en EHPAD retardée",
        indicators=[
            Indicator(
                "at_home",
                "Personnes en GIR 1 ou 2 : toujours à domicile à 12 mois",
                unit="people",
                target=65,
                threshold=1,
                timeline="12 mois",
                data_source="Dossier de soins (sorties du service)",
                measure=MEASURES["at_home"],
                external_ids={"anap_tdb": ANAP_CARE},
            )
        ],
    )
    toc.add_node(
        "ehpad_care_avoided",
        kind="outcome",
        horizon="intermediate",
        stakeholder="branche_autonomie",
        label="Forfait soins d'EHPAD reporté",
        indicators=[
            Indicator(
                "at_home_public",
                "Personnes en GIR 1 ou 2 : toujours à domicile à 12 mois (forfait soins "
                "d'EHPAD non engagé)",
                unit="people",
                target=65,
                threshold=1,
                timeline="12 mois",
                data_source="Dossier de soins (sorties du service)",
                measure=MEASURES["at_home_public"],
            )
        ],
    )
    toc.add_node(
        "carer_burden",
        kind="outcome",
        horizon="short",
        stakeholder="carers",
        label="Fardeau des aidants allégé",
        indicators=[
            Indicator(
                "zarit",
                "Aidants : baisse fiable du score de Zarit (0-88), au-delà du bruit de "
                "mesure (indice de Jacobson-Truax > 1,96, soit environ 18,5 points)",
                unit="carers",
                direction="decrease",
                baseline=38,
                target=60,
                threshold=1.96,
                timeline="12 mois",
                data_source="Échelle de Zarit passée avec l'aidant",
                measure=MEASURES["zarit"],
            )
        ],
    )
    toc.add_node(
        "health_quality",
        kind="outcome",
        horizon="short",
        stakeholder="patients",
        label="Qualité de vie liée à la santé préservée",
        indicators=[
            Indicator(
                "eq5d",
                "Patients suivis : QALY gagnés sur l'année (EQ-5D-5L à l'entrée et à 12 "
                "mois, table de valeurs française)",
                unit="QALY",
                target=1,
                threshold=0.0,
                timeline="12 mois",
                data_source="EQ-5D-5L passé avec le patient (licence EuroQol)",
                measure=MEASURES["eq5d"],
                external_ids={"has_essms_2022": HAS_HEALTH},
            )
        ],
    )
    toc.add_node(
        "living_at_home",
        kind="impact",
        label="Vieillir chez soi en sécurité, le plus longtemps possible",
        above_ceiling=True,
    )
    link = toc.add_link
    link("funding", "nursing", rationale="The care grant pays the team")
    link("team", "nursing", rationale="Nurses and care assistants")
    link("team", "prevention", rationale="Occupational therapist and partners")
    link("team", "carer_support", rationale="Nurses coordinate respite")
    link("nursing", "patients_followed", rationale="Patients are the delivery")
    link("prevention", "programme_done", rationale="Programmes are the delivery")
    link("carer_support", "patients_followed", rationale="Carers of the same patients")
    link(
        "programme_done",
        "fewer_falls",
        evidence=4,
        assumption=Assumption("Multifactorial prevention reduces falls", "holds"),
    )
    link(
        "patients_followed",
        "fewer_hospital_stays",
        evidence=2,
        assumption=Assumption("Daily nursing catches problems before a crisis", "partly"),
    )
    link("fewer_falls", "fewer_hospital_stays", rationale="Falls cause hospital stays")
    link(
        "patients_followed",
        "later_ehpad",
        evidence=2,
        assumption=Assumption("Care at home postpones entry to a nursing home", "partly"),
    )
    link(
        "patients_followed",
        "carer_burden",
        evidence=2,
        assumption=Assumption("Professional care relieves carers", "partly"),
    )
    link(
        "patients_followed",
        "health_quality",
        evidence=2,
        assumption=Assumption(
            "Daily care and fewer falls keep health-related quality of life", "partly"
        ),
    )
    link("health_quality", "living_at_home", rationale="Health")
    link("later_ehpad", "ehpad_care_avoided", rationale="The nursing-home care package not paid")
    link("fewer_falls", "fewer_emergencies", rationale="Falls bring people to the emergency room")
    link("later_ehpad", "living_at_home", rationale="Living at home")
    link("fewer_falls", "living_at_home", rationale="Safety")
    return toc


def build_model() -> ImpactModel:
    """The evaluative model of the service, its quantities measured on the example data.

    Patients' quality of life, all-cause hospital stays and emergency visits
    avoided, and the nursing-home care package not yet paid are valued; the
    last three are average costs with a marginal-share case. A later entry
    into a nursing home saves only its care: housing and food continue at
    home, and daily-living help continues through the APA. The carers' burden
    is measured but not valued (no published value of carers' health).
    """

    outcomes = [
        row(
            "fewer_hospital_stays",
            "assurance_maladie",
            "Hospitalisations évitées (toutes causes)",
            indicator="all_stays",
            quantity=MEASURES["all_stays"],
            proxy=catalogue_proxy(PROXIES["hospital"], unit="stay"),
            deadweight=dist.Beta(0.4, 0.08),
            attribution=0.3,
            why_deadweight="Stays fall after a year with a crisis anyway (regression to "
            "the mean; judgement)",
            why_attribution="GPs and hospital discharge teams",
            marginal=(
                MARGINAL_SHARES["fewer_hospital_stays"],
                "A stay releases its direct costs.",
            ),
        ),
        emergency_row(
            quantity=MEASURES["ed_visits"],
            share=MARGINAL_SHARES["fewer_emergencies"],
            attribution=0.3,
            why_attribution="GPs and home-help services",
        ),
        row(
            "ehpad_care_avoided",
            "branche_autonomie",
            "Forfait soins d'EHPAD reporté",
            indicator="at_home_public",
            quantity=MEASURES["at_home_public"],
            proxy=catalogue_proxy(
                PROXIES["ehpad_care"],
                times=91,
                unit="person",
                description="Trois mois (91 jours) de soins en EHPAD non engagés ; "
                "l'hébergement, la restauration et l'aide à la vie quotidienne (APA) "
                "continuent à domicile",
            ),
            deadweight=dist.Beta(0.7, 0.06),
            attribution=0.3,
            why_deadweight="Most people in GIR 1-2 at home would still be at home a year "
            "later without this service (judgement; compare with the département's APA "
            "files)",
            why_attribution="Home-help services (SAD) paid by the APA",
            marginal=(
                MARGINAL_SHARES["ehpad_care_avoided"],
                "A place left free is soon taken by someone on the waiting list.",
            ),
        ),
        qaly_row(
            "health_quality",
            "patients",
            "Qualité de vie liée à la santé préservée",
            quantity=MEASURES["eq5d"],
            deadweight=0.5,
            attribution=0.4,
            why_deadweight="Health-related quality of life moves without the service "
            "(judgement; EQ-5D-5L of a comparison group would measure it)",
            why_attribution="GPs, home-help services and families",
        ),
    ]
    inputs = [
        Input(
            "Dotation de soins (branche autonomie, via l'ARS)",
            amount=980_000,
            stakeholder="branche_autonomie",
            source="Budget of the service, synthetic",
        ),
        Input(
            "Ateliers de prévention des chutes (caisses de retraite)",
            amount=28_000,
            stakeholder="caisses_retraite",
            source="Grant, synthetic",
        ),
    ]
    return sector_model(
        NAME,
        title="SSIAD et prévention des chutes - Soins à domicile du Bocage (exemple)",
        sector="personnes_agees",
        description="Synthetic example shipped with impactkit: home nursing with fall "
        "prevention for older people, measured on seeded synthetic data.",
        toc=build_toc(),
        inputs=inputs,
        outcomes=outcomes,
        marginal_shares=MARGINAL_SHARES,
    )
