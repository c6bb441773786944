"""Child protection: an *AEMO renforcée* service (intensive home-based educational support).

Educators, a psychologist and a family mediator work several times a week in
the homes of children in danger, under a judge's order (AEMO) or an
administrative agreement with the département (AED). They aim to keep the
child safely at home instead of placing them, or to make a return home from a
placement last. The example follows 240 children of about 160 families for a
year (synthetic data, no real person).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from impactkit import dist, measure
from impactkit.examples._sectors._common import (
    catalogue_proxy,
    eq5d_waves,
    holes,
    sector_model,
)
from impactkit.examples._sectors._rows import qaly_gain, qaly_row, row
from impactkit.measure import Condition
from impactkit.model import ImpactModel, Input
from impactkit.toc import Assumption, Indicator, TheoryOfChange

__all__ = ["NAME", "SEED", "build_data", "build_model", "build_toc"]

NAME = "protection_enfance"
SEED = 20240611
N_FAMILIES = 160
HAS_PERSON = "chapitre 1 « La personne »"

PROXIES = {"placement": "ase_accueil_depense_annuelle"}
"""Catalogue ids of the proxies of this example's own rows, by valued outcome."""

MARGINAL_SHARES = {"placement_avoided": 0.5, "placement_shortened": 0.5}
"""Share of the average yearly cost of a placement released when one is avoided, for the
sensitivity case: a place left free is soon taken by another child while placements wait
(judgement); the département saves the full cost only when it closes places."""


MEASURES = {
    "parenting_scale": measure.PrePost(
        baseline="parenting_t0", followup="parenting_t1", min_change=4, data="families"
    ),
    "attendance": measure.PrePost(
        baseline="attendance_t0",
        followup="attendance_t1",
        min_change=10,
        data="children",
    ),
    "not_placed": measure.Threshold(
        column="at_home_12m",
        at_least=1,
        where=[Condition("entry", "==", "domicile")],
        data="children",
    ),
    "child_eq5d": qaly_gain("children"),
    "parent_eq5d": qaly_gain("families"),
    "repeat_ip": measure.Threshold(
        column="new_ip_12m", at_most=0, where=[Condition("ip_before", ">=", 1)], data="children"
    ),
    "no_judicial": measure.Threshold(
        column="judicial_12m",
        at_most=0,
        where=[Condition("framework", "==", "administratif (AED)")],
        data="families",
    ),
    "return_lasts": measure.Threshold(
        column="at_home_12m",
        at_least=1,
        where=[Condition("entry", "==", "retour de placement")],
        data="children",
    ),
}
"""The calculators of the indicators, by indicator id; the valuations reuse them."""


def build_data(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Seeded synthetic data: ``families`` (parents, visits) and ``children``."""
    rng = np.random.default_rng(seed)
    nf = N_FAMILIES
    fid = np.arange(1, nf + 1)
    n_kids = rng.choice([1, 2, 3], size=nf, p=[0.55, 0.3, 0.15])
    site = rng.choice(["Lille", "Roubaix", "Tourcoing"], size=nf, p=[0.5, 0.3, 0.2])
    framework = rng.choice(["judiciaire (AEMO)", "administratif (AED)"], size=nf, p=[0.7, 0.3])
    visits = rng.poisson(70, size=nf) + 20  # home visits in the year
    # parenting-skills scale filled in with the family (0-40), higher is better
    p0 = np.clip(np.round(rng.normal(19, 5, nf)), 0, 40)
    p1 = np.clip(np.round(p0 + rng.normal(4.0, 4.0, nf) + 0.03 * (visits - 70)), 0, 40)
    families = pd.DataFrame(
        {
            "family_id": fid,
            "site": site,
            "framework": framework,
            "children": n_kids,
            "home_visits": holes(rng, visits, 0.02),
            "parenting_t0": holes(rng, p0, 0.05),
            "parenting_t1": holes(rng, p1, 0.12),
        }
    )
    kid_family = np.repeat(fid, n_kids)
    n = kid_family.size
    age = rng.integers(2, 18, size=n)
    # at entry the child lives at home (risk of placement) or is back from a placement
    entry = rng.choice(["domicile", "retour de placement"], size=n, p=[0.78, 0.22])
    family_gain = (p1 - p0)[kid_family - 1]
    p_home = np.where(entry == "domicile", 0.80, 0.70) + 0.01 * np.clip(family_gain, -5, 8)
    at_home = (rng.random(n) < np.clip(p_home, 0, 1)).astype(float)
    at_home[rng.random(n) < 0.04] = np.nan  # moved away, lost to follow-up
    school_age = age >= 6
    a0 = np.where(school_age, np.clip(np.round(rng.normal(76, 14, n)), 0, 100), np.nan)
    a1 = np.where(school_age, np.clip(np.round(a0 + rng.normal(7, 11, n)), 0, 100), np.nan)
    children = pd.DataFrame(
        {
            "child_id": np.arange(1, n + 1),
            "family_id": kid_family,
            "age": age,
            "entry": entry,
            "at_home_12m": at_home,
            "attendance_t0": holes(rng, a0, 0.06),
            "attendance_t1": holes(rng, a1, 0.10),
        }
    )
    extra = np.random.default_rng(seed + 1)
    ip0 = extra.poisson(1.2, n).astype(float)
    ip1 = (extra.random(n) < np.where(ip0 >= 1, 0.25, 0.08)).astype(float)
    children["ip_before"] = ip0
    children["new_ip_12m"] = holes(extra, ip1, 0.05)
    aed = (framework == "administratif (AED)").astype(float)
    judicial = np.where(aed == 1, (extra.random(nf) < 0.2).astype(float), np.nan)
    families["judicial_12m"] = judicial
    # EQ-5D-5L at entry and at 12 months: the child's (proxy version answered with a
    # parent under 8) and the main parent's, from their own streams
    kids_eq5d = eq5d_waves(
        np.random.default_rng(seed + 2),
        n,
        severity=1.0,
        change=0.3,
        weights=(0.3, 0.3, 0.7, 0.8, 1.3),
        nonresponse=(0.08, 0.15),
    )
    parents_eq5d = eq5d_waves(
        np.random.default_rng(seed + 3),
        nf,
        severity=1.3,
        change=0.3,
        weights=(0.4, 0.4, 0.8, 0.8, 1.3),
        nonresponse=(0.05, 0.15),
    )
    return {
        "children": pd.concat([children, kids_eq5d], axis=1),
        "families": pd.concat([families, parents_eq5d], axis=1),
    }


def build_toc() -> TheoryOfChange:
    """The theory of change of the service as its teams describe it."""
    toc = TheoryOfChange(
        "AEMO renforcée - Service Cap Familles",
        description="Intensive home-based educational support for children in danger "
        "(synthetic example).",
    )
    sh = toc.add_stakeholder
    n_children = len(build_data()["children"])
    sh("children", label="Enfants accompagnés", size=n_children, description="Children aged 2-17")
    sh("parents", label="Parents et familles", size=N_FAMILIES, description="Parents")
    sh(
        "schools",
        label="Écoles et collèges, partenaires",
        description="Schools, child psychiatry and social services working with the team",
    )
    sh(
        "departement",
        label="Département (aide sociale à l'enfance)",
        description="Département: child welfare service (ASE), funder and placement payer",
    )
    sh(
        "etat_justice",
        label="État - juge des enfants",
        description="The State: the juvenile judge who orders the measure",
    )
    sh(
        "caf",
        label="CAF",
        description="Family allowance fund (allowances follow the child; transfers)",
    )
    sh("commune", label="Commune", description="The town lending the premises")
    toc.add_node("funding", kind="input", label="Financement du Département (ASE)")
    toc.add_node("team", kind="input", label="Équipe pluridisciplinaire (éducateurs, psychologue)")
    toc.add_node("home_work", kind="activity", label="Interventions éducatives au domicile")
    toc.add_node("parent_support", kind="activity", label="Soutien à la parentalité")
    toc.add_node("partners", kind="activity", label="Travail avec l'école et les partenaires")
    toc.add_node(
        "visits",
        kind="output",
        label="Visites à domicile réalisées",
        measure=measure.Sum("home_visits", data="families"),
        indicators=[
            Indicator(
                "n_visits",
                "Familles accompagnées : nombre de visites à domicile dans l'année",
                unit="visits",
                target=14000,
                threshold=11000,
                timeline="12 mois",
                data_source="Dossier de l'usager (families.csv)",
            )
        ],
    )
    toc.add_node("school_meetings", kind="output", label="Rencontres avec l'école")
    toc.add_node(
        "parenting",
        kind="outcome",
        horizon="short",
        stakeholder="parents",
        label="Compétences parentales renforcées",
        indicators=[
            Indicator(
                "parenting_scale",
                "Familles accompagnées : gain d'au moins 4 points sur l'échelle de "
                "compétences parentales (0-40)",
                unit="families",
                baseline=19,
                target=80,
                threshold=4,
                timeline="12 mois après l'entrée",
                data_source="Échelle remplie avec la famille à l'entrée et à 12 mois",
                measure=MEASURES["parenting_scale"],
                external_ids={"has_essms_2022": HAS_PERSON},
            )
        ],
    )
    toc.add_node(
        "schooling",
        kind="outcome",
        horizon="intermediate",
        stakeholder="children",
        label="Scolarité retrouvée (assiduité)",
        indicators=[
            Indicator(
                "attendance",
                "Enfants de 6 ans et plus : assiduité scolaire en hausse d'au moins "
                "10 points (% des demi-journées)",
                unit="children",
                baseline=76,
                target=70,
                threshold=10,
                timeline="année scolaire suivant l'entrée",
                data_source="Relevés d'absences transmis par l'établissement scolaire",
                measure=MEASURES["attendance"],
                external_ids={"has_essms_2022": HAS_PERSON},
            )
        ],
    )
    toc.add_node(
        "stays_home",
        kind="outcome",
        horizon="intermediate",
        stakeholder="children",
        label="L'enfant vit chez lui en sécurité",
    )
    toc.add_node(
        "home_return_lasts",
        kind="outcome",
        horizon="intermediate",
        stakeholder="children",
        label="Le retour en famille tient",
    )
    toc.add_node(
        "placement_avoided",
        kind="outcome",
        horizon="intermediate",
        stakeholder="departement",
        label="Placements évités",
        indicators=[
            Indicator(
                "not_placed",
                "Enfants vivant chez eux à l'entrée : toujours chez eux, sans placement, "
                "à 12 mois",
                unit="children",
                target=150,
                threshold=1,
                timeline="12 mois après l'entrée",
                data_source="Décisions du juge et de l'ASE (children.csv)",
                measure=MEASURES["not_placed"],
                external_ids={"has_essms_2022": HAS_PERSON},
            )
        ],
    )
    toc.add_node(
        "placement_shortened",
        kind="outcome",
        horizon="intermediate",
        stakeholder="departement",
        label="Placements écourtés (retours en famille durables)",
        indicators=[
            Indicator(
                "return_lasts",
                "Enfants revenus de placement : toujours en famille à 12 mois",
                unit="children",
                target=40,
                threshold=1,
                timeline="12 mois après le retour",
                data_source="Décisions du juge et de l'ASE (children.csv)",
                measure=MEASURES["return_lasts"],
            )
        ],
    )
    toc.add_node(
        "child_wellbeing",
        kind="outcome",
        horizon="intermediate",
        stakeholder="children",
        label="Sécurité et qualité de vie de l'enfant",
        indicators=[
            Indicator(
                "child_eq5d",
                "Enfants accompagnés : QALY gagnés sur l'année (EQ-5D-5L, version proxy "
                "avant 8 ans, valeurs françaises)",
                unit="QALY",
                target=4,
                threshold=0.01,
                timeline="12 mois après l'entrée",
                data_source="Questionnaire EQ-5D-5L à l'entrée et à 12 mois (children.csv)",
                measure=MEASURES["child_eq5d"],
                external_ids={"has_essms_2022": HAS_PERSON},
            )
        ],
    )
    toc.add_node(
        "parent_wellbeing",
        kind="outcome",
        horizon="intermediate",
        stakeholder="parents",
        label="Qualité de vie des parents améliorée",
        indicators=[
            Indicator(
                "parent_eq5d",
                "Parents accompagnés : QALY gagnés sur l'année (EQ-5D-5L, valeurs françaises)",
                unit="QALY",
                target=3,
                threshold=0.01,
                timeline="12 mois après l'entrée",
                data_source="Questionnaire EQ-5D-5L à l'entrée et à 12 mois (families.csv)",
                measure=MEASURES["parent_eq5d"],
            )
        ],
    )
    toc.add_node(
        "no_repeat_ip",
        kind="outcome",
        horizon="intermediate",
        stakeholder="children",
        label="Pas de nouvelle information préoccupante",
        indicators=[
            Indicator(
                "repeat_ip",
                "Enfants ayant fait l'objet d'une information préoccupante avant l'entrée : "
                "aucune nouvelle dans les 12 mois",
                unit="children",
                target=120,
                threshold=1,
                timeline="12 mois après l'entrée",
                data_source="Cellule de recueil des informations préoccupantes (children.csv)",
                measure=MEASURES["repeat_ip"],
            )
        ],
    )
    toc.add_node(
        "judicial_avoided",
        kind="outcome",
        horizon="intermediate",
        stakeholder="etat_justice",
        label="Mesures judiciaires évitées",
        indicators=[
            Indicator(
                "no_judicial",
                "Familles en accompagnement administratif (AED) : pas de saisine du juge "
                "à 12 mois",
                unit="families",
                target=40,
                threshold=1,
                timeline="12 mois après l'entrée",
                data_source="Décisions du juge et de l'ASE (families.csv)",
                measure=MEASURES["no_judicial"],
            )
        ],
    )
    toc.add_node(
        "safe_childhood",
        kind="impact",
        label="Des enfants qui grandissent en sécurité, dans leur famille quand c'est possible",
        above_ceiling=True,
    )
    link = toc.add_link
    link("funding", "home_work", rationale="The département pays the team's time")
    link("team", "home_work", rationale="Educators deliver the home visits")
    link("team", "parent_support", rationale="Psychologist and mediator lead it")
    link("team", "partners", rationale="The referent educator meets the school")
    link("home_work", "visits", rationale="Visits are the unit of delivery")
    link("parent_support", "visits", rationale="Parent work happens during visits")
    link("partners", "school_meetings", rationale="Meetings are the delivery")
    link(
        "visits",
        "parenting",
        evidence=2,
        assumption=Assumption("Frequent practical support builds parents' skills", "partly"),
    )
    link(
        "school_meetings",
        "schooling",
        evidence=2,
        assumption=Assumption("School and family agree on attendance", "partly"),
    )
    link(
        "parenting",
        "schooling",
        evidence=2,
        assumption=Assumption("Children go to school when home life is steadier", "untested"),
    )
    link(
        "parenting",
        "stays_home",
        evidence=3,
        assumption=Assumption("Danger recedes when parenting improves", "partly"),
    )
    link(
        "parenting",
        "home_return_lasts",
        evidence=2,
        assumption=Assumption("A prepared return home holds", "partly"),
    )
    link("stays_home", "placement_avoided", rationale="No placement is ordered")
    link(
        "visits",
        "child_wellbeing",
        evidence=2,
        assumption=Assumption("A safer, steadier home improves the child's daily life", "partly"),
    )
    link(
        "parent_support",
        "parent_wellbeing",
        evidence=2,
        assumption=Assumption("Support relieves parents' stress and isolation", "partly"),
    )
    link("stays_home", "no_repeat_ip", rationale="Danger recedes: no new report")
    link("parenting", "judicial_avoided", rationale="Families cooperate: no referral to the judge")
    link("child_wellbeing", "safe_childhood", rationale="Safety and wellbeing")
    link("home_return_lasts", "placement_shortened", rationale="No new placement")
    link("stays_home", "safe_childhood", rationale="Growing up safely at home")
    link("schooling", "safe_childhood", rationale="School is a protective factor")
    return toc


def build_model() -> ImpactModel:
    """The evaluative model of the service, its quantities measured on the example data."""
    placement = catalogue_proxy(
        PROXIES["placement"],
        unit="child-year",
        description="Dépense annuelle moyenne d'accueil d'un enfant confié à l'ASE (une année "
        "de placement évitée)",
    )
    taken = "A place left free is soon taken by another child (judgement)."
    outcomes = [
        row(
            "placement_avoided",
            "departement",
            "Placements évités",
            indicator="not_placed",
            quantity=MEASURES["not_placed"],
            proxy=placement,
            deadweight=dist.Beta(0.55, 0.08),
            attribution=0.15,
            why_deadweight="Share of children at risk who would have stayed at home "
            "without the service: judgement of the team and the ASE, to test "
            "against a comparison group (children on the waiting list)",
            why_attribution="School, child psychiatry and social services also act (judgement)",
            marginal=(MARGINAL_SHARES["placement_avoided"], taken),
            evidence={"deadweight": "stakeholder_judgement", "attribution": "judgement"},
        ),
        row(
            "placement_shortened",
            "departement",
            "Placements écourtés",
            indicator="return_lasts",
            quantity=MEASURES["return_lasts"],
            proxy=placement,
            deadweight=dist.Beta(0.45, 0.08),
            attribution=0.2,
            why_deadweight="Returns home that would have lasted without support (judgement)",
            why_attribution="Foster families and the placement team prepared the "
            "return (judgement)",
            marginal=(MARGINAL_SHARES["placement_shortened"], taken),
            evidence={"deadweight": "stakeholder_judgement"},
        ),
        qaly_row(
            "child_wellbeing",
            "children",
            "Sécurité et qualité de vie de l'enfant",
            indicator="child_eq5d",
            quantity=MEASURES["child_eq5d"],
            duration=2,
            drop_off=0.5,
            deadweight=0.4,
            attribution=0.2,
            why_deadweight="Children's quality of life improves after a crisis anyway "
            "(regression to the mean; judgement)",
            why_attribution="School, child psychiatry and social services (judgement)",
        ),
        qaly_row(
            "parent_wellbeing",
            "parents",
            "Qualité de vie des parents améliorée",
            indicator="parent_eq5d",
            quantity=MEASURES["parent_eq5d"],
            deadweight=0.4,
            attribution=0.3,
            why_deadweight="Parents' quality of life improves after a crisis anyway "
            "(regression to the mean; judgement)",
            why_attribution="Social services and health care (judgement)",
        ),
    ]
    inputs = [
        Input(
            "Dotation du Département (ASE) pour l'AEMO renforcée",
            amount=1_650_000,
            stakeholder="departement",
            source="Budget of the service, synthetic",
        ),
        Input(
            "Locaux prêtés par la commune",
            amount=24_000,
            stakeholder="commune",
            in_kind=True,
            source="Market rent of equivalent premises (synthetic)",
        ),
    ]
    return sector_model(
        NAME,
        title="AEMO renforcée - Cap Familles (exemple)",
        sector="protection_enfance",
        description="Synthetic example shipped with impactkit: intensive home-based "
        "educational support for children in danger, measured on seeded synthetic data.",
        toc=build_toc(),
        inputs=inputs,
        outcomes=outcomes,
        marginal_shares=MARGINAL_SHARES,
    )
