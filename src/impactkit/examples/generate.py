"""Write the embedded examples: *emploi accompagné* (supported employment) and the sector packs.

Run ``python -m impactkit.examples.generate`` to rebuild the model files and the
seeded synthetic data shipped with impactkit. The data are synthetic (no real
person), drawn with a fixed seed, and include missing values on purpose. The
sector examples (child protection, insertion, legal protection of adults,
addiction care, elderly care) are built in :mod:`impactkit.examples._sectors`
and written to ``<name>.json`` and ``data/<name>/*.csv``.

The proxies are illustrative orders of magnitude with their reasoning stated
in ``source``; replace them with your own evidenced values.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from impactkit import dist, io, measure
from impactkit._atomic import write_file
from impactkit.examples._sectors import _common
from impactkit.examples._sectors._rows import (
    emergency_row,
    qaly_gain,
    qaly_row,
    row,
    weekly_job_proxy,
)
from impactkit.model import ImpactModel, Input, OutcomeValuation, volunteer_time
from impactkit.toc import Assumption, Indicator, TheoryOfChange

__all__ = ["build_data", "build_model", "main", "write_sector"]

HERE = Path(__file__).parent
SEED = 20240601
N_PARTICIPANTS = 120
N_EMPLOYERS = 45


ROSENBERG_RETEST = 0.85
"""Test-retest reliability of the Rosenberg scale over two weeks, lower end of the
0.85-0.88 range (Rosenberg 1979, as summarised by RAND's Education and Labor
assessment finder, "Rosenberg Self-Esteem Scale (RSE)", 2018)."""

ROSENBERG_CHANGE = measure.ReliableChange(
    baseline="self_esteem_t0",
    followup="self_esteem_t1",
    reliability=ROSENBERG_RETEST,
    data="participants",
)
"""Participants whose self-esteem rose by more than the scale's measurement error
(Jacobson & Truax 1991; the SD is the sample's at entry)."""

HOURS_WORKED = measure.Sum("hours_week_12m", data="participants")
"""Contractual weekly hours of the participants in work at 12 months, added up."""

QUALITY_OF_LIFE = qaly_gain("participants")
"""QALYs of the year followed, EQ-5D-5L scored with the French value set (Andrade et al.
2020); undiscounted here because the model discounts the row's flows."""

CARER_RESPITE = measure.PrePost(
    baseline="carer_hours_t0",
    followup="carer_hours_t1",
    direction="decrease",
    min_change=2,
    data="participants",
)
"""Family carers whose weekly hours of help fell by at least 2 hours."""

EMERGENCIES = measure.Sum("ed_visits_avoided", data="participants")
"""Emergency-department visits in the year before entry less those in the year after."""

ED_MARGINAL_SHARE = 0.35
"""Share of the average cost of an emergency visit (227 EUR) released when one visit is
avoided: the acts and consultations, about 80 EUR of it (same Sénat report, 80 / 227)."""


def build_data(seed: int = SEED) -> dict[str, pd.DataFrame]:
    """Seeded synthetic data: participants, coaching sessions and employers.

    Synthetic people (no real person): 120 participants with their site,
    age, number of coaching sessions, employment at 12 months, Rosenberg
    self-esteem at entry and at 12 months and their family carer's weekly
    hours of help; one row per coaching session with its length in hours;
    45 employers with whether they kept the person they hired. Missing
    values are drawn on purpose (people lost to follow-up, unanswered
    questionnaires).

    Parameters
    ----------
    seed : int, default 20240601
        Seed of the random generator; the same seed gives the same data
        (the shipped files use the default).

    Returns
    -------
    dict of str to pandas.DataFrame
        ``participants``, ``sessions`` and ``employers``, as read by the
        calculators of :func:`build_model`.

    Examples
    --------
    >>> data = build_data()
    >>> {name: df.shape for name, df in data.items()}
    {'participants': (120, 23), 'sessions': (3164, 4), 'employers': (45, 3)}
    >>> int(data["participants"]["employed_12m"].isna().sum()) > 0
    True
    """
    rng = np.random.default_rng(seed)
    n = N_PARTICIPANTS
    pid = np.arange(1, n + 1)
    site = rng.choice(["Lyon", "Villeurbanne", "Vénissieux"], size=n, p=[0.5, 0.3, 0.2])
    age = rng.integers(20, 58, size=n)
    sessions = rng.poisson(22, size=n) + 4
    # employment at 12 months: more likely with more coaching
    p_emp = 1 / (1 + np.exp(-(-1.1 + 0.045 * (sessions - 22) + 0.9)))
    employed = (rng.random(n) < p_emp).astype(float)
    employed[rng.random(n) < 0.08] = np.nan  # lost to follow-up
    # Rosenberg self-esteem scale (10-40)
    se0 = np.clip(np.round(rng.normal(24, 4, n)), 10, 40)
    se1 = np.clip(np.round(se0 + rng.normal(3.2, 3.0, n)), 10, 40)
    se0[rng.random(n) < 0.05] = np.nan
    se1[rng.random(n) < 0.12] = np.nan
    # hours of help given by the family carer per week
    has_carer = rng.random(n) < 0.75
    ch0 = np.where(has_carer, np.round(rng.gamma(4, 2.5, n), 1), np.nan)
    ch1 = np.where(has_carer, np.round(np.clip(ch0 - rng.normal(2.5, 2.0, n), 0, None), 1), np.nan)
    ch1[(rng.random(n) < 0.1) & has_carer] = np.nan
    participants = pd.DataFrame(
        {
            "participant_id": pid,
            "site": site,
            "age": age,
            "sessions": sessions,
            "employed_12m": employed,
            "self_esteem_t0": se0,
            "self_esteem_t1": se1,
            "carer_hours_t0": ch0,
            "carer_hours_t1": ch1,
        }
    )
    participants = pd.concat([participants, _health_and_hours(seed, employed)], axis=1)
    rows: list[tuple[int, int, int]] = []
    for i, k in zip(pid, sessions, strict=True):
        for j in range(int(k)):
            rows.append((len(rows) + 1, int(i), j + 1))
    sess = pd.DataFrame(rows, columns=["session_id", "participant_id", "number"])
    sess["hours"] = np.round(rng.choice([1.0, 1.5, 2.0], size=len(sess), p=[0.5, 0.3, 0.2]), 1)
    sess.loc[rng.random(len(sess)) < 0.02, "hours"] = np.nan
    retained = rng.choice(["yes", "no"], size=N_EMPLOYERS, p=[0.62, 0.38]).astype(object)
    retained[rng.random(N_EMPLOYERS) < 0.1] = None
    employers = pd.DataFrame(
        {
            "employer_id": np.arange(1, N_EMPLOYERS + 1),
            "size": rng.choice(["<50", "50-249", "250+"], size=N_EMPLOYERS, p=[0.5, 0.3, 0.2]),
            "retained_hire": retained,
        }
    )
    return {"participants": participants, "sessions": sess, "employers": employers}


def _health_and_hours(seed: int, employed: np.ndarray[Any, Any]) -> pd.DataFrame:
    """Weekly hours of those in work, emergency visits and EQ-5D-5L, from their own streams.

    Drawn after the other columns from generators of their own so that the
    columns above keep their values: contractual weekly hours at 12 months
    (part time is the rule; 0 for people not in work, missing for those lost to
    follow-up or not answering),
    emergency-department visits in the 12 months before entry and after, and
    EQ-5D-5L at entry and at 12 months (mental-health dimensions weigh most).
    """
    rng = np.random.default_rng(seed + 1)
    n = employed.shape[0]
    hours = _common.holes(rng, _common.weekly_hours(rng, employed, mean=20, sd=6, low=6), 0.05)
    ed0, ed1 = _common.counts_before_after(rng, n, before=1.8, fall=1.0, new=0.15)
    ed0, ed1 = _common.holes(rng, ed0, 0.04), _common.holes(rng, ed1, 0.12)
    eq5d = _common.eq5d_waves(
        np.random.default_rng(seed + 2),
        n,
        severity=1.4,
        change=0.5,
        weights=(0.4, 0.4, 0.8, 0.8, 1.2),
        nonresponse=(0.04, 0.12),
    )
    return pd.concat(
        [
            pd.DataFrame({"hours_week_12m": hours, **_common.before_after("ed_visits", ed0, ed1)}),
            eq5d,
        ],
        axis=1,
    )


def build_toc() -> TheoryOfChange:
    """The theory of change of the service (labels in French; descriptions in English)."""
    toc = TheoryOfChange(
        "Emploi accompagné - Association Horizons Emploi",
        description="Supported employment for adults with disabilities towards ordinary work "
        "(synthetic example).",
    )
    toc.add_stakeholder(
        "participants",
        label="Personnes accompagnées",
        size=N_PARTICIPANTS,
        description="Adults with disabilities supported towards ordinary work",
    )
    toc.add_stakeholder(
        "families",
        label="Familles et aidants",
        size=90,
        description="Families and informal carers",
    )
    toc.add_stakeholder(
        "employers",
        label="Employeurs",
        size=N_EMPLOYERS,
        description="Employers hiring supported participants",
    )
    toc.add_stakeholder(
        "assurance_maladie",
        label="Assurance maladie",
        description="Health insurance: pays emergency-department visits",
    )
    toc.add_stakeholder(
        "public",
        label="Finances publiques (État, Sécurité sociale)",
        description="State and social security: taxes, contributions and allowances "
        "(transfers, shown in the public-finance view)",
    )
    toc.add_node(
        "funding",
        kind="input",
        label="Financements (État via l'ARS, Agefiph, FIPHFP)",
        description="Public funding of the service: the State (programme 157, through the "
        "regional health agency), Agefiph and FIPHFP",
    )
    toc.add_node(
        "coaches",
        kind="input",
        label="Conseillers en emploi accompagné",
        description="Job coaches and volunteers",
    )
    toc.add_node(
        "coaching",
        kind="activity",
        label="Accompagnement individuel vers et dans l'emploi",
        description="Individual job coaching before and after hiring",
    )
    toc.add_node(
        "employer_support",
        kind="activity",
        label="Soutien aux employeurs",
        description="Advice and mediation for employers",
    )
    toc.add_node(
        "sessions",
        kind="output",
        label="Entretiens d'accompagnement réalisés",
        description="Coaching sessions delivered",
        measure=measure.Count(data="sessions"),
        indicators=[
            Indicator(
                "n_sessions",
                "Personnes accompagnées : nombre d'entretiens",
                unit="sessions",
                target=2500,
                threshold=2000,
                timeline="12 mois",
                data_source="Logiciel de suivi (sessions.csv)",
            )
        ],
    )
    toc.add_node(
        "employer_visits",
        kind="output",
        label="Employeurs accompagnés",
        description="Employers advised",
    )
    toc.add_node(
        "self_esteem",
        kind="outcome",
        horizon="short",
        stakeholder="participants",
        label="Confiance en soi renforcée",
        description="Greater self-esteem",
        indicators=[
            Indicator(
                "rosenberg",
                "Personnes accompagnées : hausse fiable du score de Rosenberg (10-40), "
                "au-delà du bruit de mesure (indice de Jacobson-Truax > 1,96)",
                unit="points",
                baseline=24,
                target=27,
                threshold=1.96,
                timeline="12 mois",
                data_source="Questionnaire entrée / 12 mois",
                measure=ROSENBERG_CHANGE,
            )
        ],
    )
    toc.add_node(
        "employed_12m",
        kind="outcome",
        horizon="intermediate",
        stakeholder="participants",
        label="En emploi en milieu ordinaire à 12 mois",
        description="In paid ordinary work 12 months after entry",
        indicators=[
            Indicator(
                "employed",
                "Personnes accompagnées : en emploi en milieu ordinaire à 12 mois",
                unit="people",
                target=60,
                threshold=1,
                timeline="12 mois après l'entrée",
                data_source="Enquête de suivi à 12 mois",
                measure=measure.Threshold(column="employed_12m", at_least=1, data="participants"),
                external_ids={"iris": "PI3687", "has_essms_2022": "chapitre 1 « La personne »"},
            ),
            Indicator(
                "hours_worked",
                "Personnes en emploi à 12 mois : heures de travail hebdomadaires (total)",
                unit="hours/week",
                target=1200,
                threshold=1,
                timeline="12 mois après l'entrée",
                data_source="Enquête de suivi à 12 mois (contrat de travail)",
                measure=HOURS_WORKED,
            ),
        ],
    )
    toc.add_node(
        "quality_of_life",
        kind="outcome",
        horizon="intermediate",
        stakeholder="participants",
        label="Qualité de vie liée à la santé améliorée",
        description="Better health-related quality of life (EQ-5D-5L)",
        indicators=[
            Indicator(
                "eq5d",
                "Personnes accompagnées : QALY gagnés sur l'année (EQ-5D-5L, valeurs françaises)",
                unit="QALY",
                target=3,
                threshold=0.01,
                timeline="12 mois",
                data_source="Questionnaire EQ-5D-5L entrée / 12 mois",
                measure=QUALITY_OF_LIFE,
            )
        ],
    )
    toc.add_node(
        "fewer_emergencies",
        kind="outcome",
        horizon="intermediate",
        stakeholder="assurance_maladie",
        label="Passages aux urgences évités",
        description="Fewer emergency-department visits",
        indicators=[
            Indicator(
                "ed_visits",
                "Personnes accompagnées : passages aux urgences en moins sur 12 mois "
                "(avant moins après)",
                unit="visits",
                target=50,
                threshold=1,
                timeline="12 mois",
                data_source="Déclaration des personnes (participants.csv)",
                measure=EMERGENCIES,
            )
        ],
    )
    toc.add_node(
        "carer_respite",
        kind="outcome",
        horizon="intermediate",
        stakeholder="families",
        label="Moins d'heures d'aide des aidants",
        description="Carers spend fewer hours helping each week",
        indicators=[
            Indicator(
                "carer_hours",
                "Aidants familiaux : baisse d'au moins 2 h d'aide par semaine",
                unit="hours/week",
                direction="decrease",
                threshold=2,
                target=40,
                timeline="12 mois",
                data_source="Questionnaire aidants",
                measure=CARER_RESPITE,
            )
        ],
    )
    toc.add_node(
        "inclusive_employers",
        kind="outcome",
        horizon="intermediate",
        stakeholder="employers",
        label="Recrutements inclusifs maintenus",
        description="Employers keep the disabled worker they hired",
        indicators=[
            Indicator(
                "retained",
                "Employeurs accompagnés : embauche maintenue à 12 mois",
                unit="employers",
                target=30,
                threshold=1,
                timeline="12 mois",
                data_source="Enquête employeurs",
                measure=measure.Proportion(
                    column="retained_hire", values=["yes"], data="employers"
                ),
            )
        ],
    )
    toc.add_node(
        "public_revenue",
        kind="outcome",
        horizon="long",
        stakeholder="public",
        label="Cotisations et impôts des emplois (transfert, vue finances publiques)",
        description="Social contributions and taxes from the jobs: a transfer, shown in the "
        "public-finance view and not counted as social value",
        indicators=[
            Indicator(
                "contributions",
                "Personnes accompagnées : emplois générant des cotisations",
                unit="jobs",
                target=60,
                threshold=1,
                timeline="12 mois",
                data_source="Enquête de suivi",
                measure=measure.Threshold(column="employed_12m", at_least=1, data="participants"),
            )
        ],
    )
    toc.add_node(
        "inclusion",
        kind="impact",
        label="Inclusion professionnelle et sociale durable",
        description="Lasting inclusion in work and society",
        above_ceiling=True,
    )
    toc.add_link("funding", "coaching", rationale="Funding pays the coaches' time")
    toc.add_link("coaches", "coaching", rationale="Coaches deliver the support")
    toc.add_link("funding", "employer_support", rationale="Funding pays mediation time")
    toc.add_link("coaching", "sessions", rationale="Sessions are the unit of delivery")
    toc.add_link("employer_support", "employer_visits", rationale="Visits are the delivery")
    toc.add_link(
        "sessions",
        "self_esteem",
        evidence=2,
        assumption=Assumption("Regular contact builds confidence", "holds"),
    )
    toc.add_link(
        "sessions",
        "employed_12m",
        evidence=4,
        assumption=Assumption(
            "Place-then-train support raises employment (IPS evidence)", "holds"
        ),
    )
    toc.add_link(
        "self_esteem",
        "employed_12m",
        evidence=2,
        assumption=Assumption("Confidence helps to keep a job", "partly"),
    )
    toc.add_link(
        "employer_visits",
        "inclusive_employers",
        evidence=2,
        assumption=Assumption("Mediation prevents early breakdown", "untested"),
    )
    toc.add_link(
        "employed_12m",
        "carer_respite",
        evidence=2,
        assumption=Assumption("Work days reduce daily help", "partly"),
    )
    toc.add_link(
        "employed_12m", "public_revenue", evidence=3, rationale="Wages bear social contributions"
    )
    toc.add_link(
        "sessions",
        "quality_of_life",
        evidence=2,
        assumption=Assumption(
            "Support and work improve mental health and daily functioning", "partly"
        ),
    )
    toc.add_link(
        "quality_of_life",
        "fewer_emergencies",
        evidence=2,
        assumption=Assumption("Fewer crises mean fewer emergency visits", "partly"),
    )
    toc.add_link("quality_of_life", "inclusion", rationale="Health is part of inclusion")
    toc.add_link("employed_12m", "inclusion", rationale="Work is a lever of inclusion")
    toc.add_link("inclusive_employers", "inclusion", rationale="Employers' practice changes")
    return toc


def build_model() -> ImpactModel:
    """The forecast-and-evaluate model of the service, measured on the example data.

    Its theory of change, inputs (the State, Agefiph and FIPHFP funding,
    premises in kind, volunteer time), four valued outcomes for participants
    (net pay, health-related quality of life), families (carers' time) and
    the health insurance (emergency visits avoided), the French 2021
    discounting convention and the INSEE consumer price index. Taxes,
    contributions and the disability allowance are transfers: neither side
    of them is counted as social value (they belong to the public-finance
    view, :func:`build_unit_costs`). The employers' outcome and self-esteem
    are measured but not valued (no published figure was found for them).

    Returns
    -------
    ImpactModel
        In ``evaluative`` mode, base year 2025, in euros; the model shipped
        as ``emploi_accompagne.json``.

    Examples
    --------
    >>> import impactkit as ik
    >>> model = build_model()
    >>> model.mode, model.base_year, len(model.outcomes)
    ('evaluative', 2025, 4)
    >>> model == ik.examples.load_example(measured=False)
    True
    >>> round(ik.sroi(model, data=build_data()).ratio, 4)
    2.1637
    """
    smic = _common.catalogue_row("smic_horaire_brut")
    outcomes = [
        row(
            "employed_12m",
            "participants",
            "En emploi en milieu ordinaire à 12 mois",
            indicator="hours_worked",
            quantity=HOURS_WORKED,
            proxy=weekly_job_proxy(
                "Salaire net d'une heure hebdomadaire au SMIC pendant 52 semaines "
                "(net des cotisations salariales, un transfert ; l'AAH perdue, autre "
                "transfert, n'est comptée d'aucun côté)"
            ),
            duration=3,
            drop_off=0.2,
            deadweight=dist.Beta(0.30, 0.07),
            attribution=0.15,
            why_deadweight="Employment rate of comparable people without support "
            "(assumption to test with a comparison group)",
            why_attribution="Share owed to other services (judgement)",
            evidence={"deadweight": "literature", "attribution": "stakeholder_judgement"},
        ),
        qaly_row(
            "quality_of_life",
            "participants",
            "Qualité de vie liée à la santé améliorée",
            quantity=QUALITY_OF_LIFE,
            duration=2,
            drop_off=0.5,
            deadweight=0.3,
            attribution=0.3,
            why_deadweight="Quality of life improves after entry anyway (regression to "
            "the mean; judgement)",
            why_attribution="Psychiatric care and GPs (judgement)",
        ),
        OutcomeValuation(
            outcome="carer_respite",
            stakeholder="families",
            label="Moins d'heures d'aide des aidants",
            indicator="carer_hours",
            quantity=CARER_RESPITE,
            proxy=_common.catalogue_proxy(
                "smic_horaire_brut",
                times=92,
                unit="carer-year",
                description="2 h par semaine x 46 semaines au SMIC horaire brut (coût de "
                "remplacement du temps d'aide)",
            ),
            deadweight=0.1,
            attribution=0.2,
            duration=2,
            drop_off=0.3,
        ),
        emergency_row(
            quantity=EMERGENCIES,
            share=ED_MARGINAL_SHARE,
            attribution=0.3,
            why_attribution="Psychiatric care and GPs (judgement)",
            why_share="The health insurance's figure: of the 227 EUR mean cost of a visit, "
            "about 80 EUR are the acts and consultations (Sénat report n° 685, "
            "2016-2017).",
        ),
    ]
    inputs = [
        Input(
            "Financement de l'État (programme 157, via l'ARS)",
            amount=300_000,
            stakeholder="etat",
            source="Budget 2025 (synthetic)",
        ),
        Input(
            "Cofinancement Agefiph",
            amount=130_000,
            stakeholder="agefiph",
            source="Budget 2025 (synthetic)",
        ),
        Input(
            "Cofinancement FIPHFP",
            amount=50_000,
            stakeholder="fiphfp",
            source="Budget 2025 (synthetic)",
        ),
        Input(
            "Locaux mis à disposition",
            amount=18_000,
            stakeholder="commune",
            in_kind=True,
            source="Market rent of equivalent premises (synthetic)",
        ),
        volunteer_time(
            600,
            float(smic["value"]),
            label="Bénévolat (mentorat)",
            stakeholder="volunteers",
            source=f"SMIC horaire brut 2025: {smic['source']}",
        ),
    ]
    return _common.sector_model(
        "emploi_accompagne",
        title="Emploi accompagné - Horizons Emploi (exemple)",
        sector="handicap",
        description="Synthetic example shipped with impactkit: a supported-employment service "
        "for adults with disabilities, measured on seeded synthetic data.",
        toc=build_toc(),
        inputs=inputs,
        outcomes=outcomes,
        marginal_shares={"fewer_emergencies": ED_MARGINAL_SHARE},
    )


def build_unit_costs() -> pd.DataFrame:
    """Unit public costs for the avoided-costs view (orders of magnitude, with sources).

    Amounts are those published for 2025 where a public scale exists (AAH, RSA);
    the others are illustrative orders of magnitude to replace with
    local figures. The *basis* says whether a cost is released when demand
    falls (marginal) or is an average that overstates savings.
    """
    rows = [
        {
            "key": "aah_month",
            "label": "Allocation aux adultes handicapés, un mois",
            "cost": 1033.32,
            "unit": "person-month",
            "payer": "etat",
            "price_year": 2025,
            "source": "CRAMIF, « Prestations sociales : revalorisation au 1er avril 2025 »: AAH à "
            "taux plein, personne seule, 1 033,32 € par mois",
            "basis": "marginal",
            "covers": "aah",
            "transfer": True,
        },
        {
            "key": "rsa_month",
            "label": "Revenu de solidarité active, personne seule, un mois",
            "cost": 646.52,
            "unit": "person-month",
            "payer": "departement",
            "price_year": 2025,
            "source": "Décret n° 2025-293 du 29 mars 2025 portant revalorisation du montant "
            "forfaitaire du RSA: personne seule, 646,52 € à compter du 1er avril 2025",
            "basis": "marginal",
            "covers": "rsa",
            "transfer": True,
        },
        {
            "key": "esat_place_year",
            "label": "Place en ESAT, une année",
            "cost": 13000.0,
            "unit": "place-year",
            "payer": "securite_sociale",
            "price_year": 2023,
            "source": "Illustrative order of magnitude of the yearly operating grant of an "
            "ESAT place; use your own budget",
            "basis": "average",
            "covers": "esat_place",
            "transfer": False,
        },
        {
            "key": "sessad_follow_up_year",
            "label": "Suivi médico-social, une année",
            "cost": 4500.0,
            "unit": "person-year",
            "payer": "securite_sociale",
            "price_year": 2023,
            "source": "Illustrative order of magnitude; use the local price per person",
            "basis": "average",
            "covers": "medico_social_follow_up",
            "transfer": False,
        },
    ]
    return pd.DataFrame(rows)


def write_sector(name: str, out: Path = HERE) -> None:
    """Write the sector example ``name``: ``<name>.json`` and ``data/<name>/*.csv``.

    The model and data are built by the module ``name`` of
    :mod:`impactkit.examples._sectors`; folders are created as needed and
    existing files overwritten.

    Parameters
    ----------
    name : str
        A sector example other than the default (``protection_enfance``,
        ``insertion_iae``, ``protection_majeurs``, ``addictologie``,
        ``personnes_agees``).
    out : pathlib.Path, default the package folder
        Folder to write into; the default rewrites the files shipped with
        impactkit.

    Raises
    ------
    ModuleNotFoundError
        ``name`` is not a sector example.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     write_sector("addictologie", Path(tmp))
    ...     sorted(str(p.relative_to(tmp)) for p in Path(tmp).rglob("*.*"))
    ['addictologie.json', 'data/addictologie/patients.csv']
    """
    import importlib

    mod = importlib.import_module(f"impactkit.examples._sectors.{name}")
    data_dir = out / "data" / name
    data_dir.mkdir(parents=True, exist_ok=True)
    for source, df in mod.build_data().items():
        write_file(data_dir / f"{source}.csv", df.to_csv(index=False))
    io.dump(mod.build_model(), out / f"{name}.json")


def main(out: Path = HERE) -> None:
    """Write every example under ``out``: ``emploi_accompagne.json`` and ``data/*.csv``,
    then each sector example (:func:`write_sector`).

    ``data/`` holds the default example's sources (:func:`build_data`) and
    its unit-cost catalogue ``unit_costs.csv``; folders are created as
    needed and existing files overwritten. ``python -m
    impactkit.examples.generate`` runs it with the default folder.

    Parameters
    ----------
    out : pathlib.Path, default the package folder
        Folder to write into; the default rewrites the files shipped with
        impactkit.

    Examples
    --------
    >>> import tempfile
    >>> from pathlib import Path
    >>> with tempfile.TemporaryDirectory() as tmp:
    ...     main(Path(tmp))
    ...     for path in sorted(Path(tmp).glob("*.json")):
    ...         print(path.name)
    ...     sorted(p.name for p in Path(tmp, "data").glob("*.csv"))
    addictologie.json
    emploi_accompagne.json
    insertion_iae.json
    personnes_agees.json
    protection_enfance.json
    protection_majeurs.json
    ['employers.csv', 'participants.csv', 'sessions.csv', 'unit_costs.csv']
    """
    from impactkit.examples._sectors import NAMES

    data_dir = out / "data"
    data_dir.mkdir(parents=True, exist_ok=True)
    for name, df in build_data().items():
        write_file(data_dir / f"{name}.csv", df.to_csv(index=False))
    write_file(data_dir / "unit_costs.csv", build_unit_costs().to_csv(index=False))
    io.dump(build_model(), out / "emploi_accompagne.json")
    for name in NAMES:
        write_sector(name, out)
    write_survey_exports(out)


def _question_paths(form: Path) -> dict[str, str]:
    """Question name -> its group path, as a field-collection server writes export headers."""
    import openpyxl

    wb = openpyxl.load_workbook(form, read_only=True)
    try:
        rows = list(wb["survey"].iter_rows(values_only=True))
    finally:
        wb.close()
    head = list(rows[0])
    t, n = head.index("type"), head.index("name")
    stack: list[str] = []
    out: dict[str, str] = {}
    for r in rows[1:]:
        if r[t] == "begin_group":
            out[str(r[n])] = "/".join(stack)
            stack.append(str(r[n]))
        elif r[t] == "end_group":
            stack.pop()
        elif r[n]:
            out[str(r[n])] = "/".join([*stack, str(r[n])])
    return out


def _export_cell(v: Any) -> str:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, float | np.floating):
        return repr(float(v)).replace(".", ",").removesuffix(",0")  # French decimal commas
    return str(v)


def write_survey_export(
    model: ImpactModel, data: pd.DataFrame, source: str, form: Path, out: Path
) -> None:
    """Write ``data`` as a field-collection server exports the answers to ``form``.

    One row per participant and wave, group paths in the headers, ``;`` between
    fields, decimal commas, the server's metadata columns, and one submission
    whose consent was refused: the export a service gets from KoboToolbox for
    the XLSForm :func:`impactkit.io.write_xlsform` wrote (see
    docs/howto/terrain.md).

    Parameters
    ----------
    model : ImpactModel
        The model the form was written from.
    data : pandas.DataFrame
        The source ``source`` of the model's data, one row per participant.
    source : str
        Its name among the model's data sources.
    form : pathlib.Path
        The XLSForm written from ``model`` for ``source``.
    out : pathlib.Path
        The CSV to write.
    """
    import uuid

    from impactkit._atomic import write_file
    from impactkit.io._xlsform import CONSENT, PARTICIPANT, WAVE, plan

    p = plan(model, source)
    paths = _question_paths(form)
    last = p.waves[-1]
    rows = []
    for i, rec in enumerate(data.to_dict("records")):
        ids = [c for c, (q, _) in p.columns.items() if q == PARTICIPANT]
        pid = str(rec[ids[0]] if ids else rec.get(PARTICIPANT, f"P{i:04d}"))
        for w in p.waves:
            row = {
                "start": "2024-01-01T09:00:00.000+01:00",
                "end": "2024-01-01T09:10:00.000+01:00",
                CONSENT: "yes",
                PARTICIPANT: pid,
                WAVE: w,
            }
            for col, (q, qw) in p.columns.items():
                if q != PARTICIPANT and (qw == w or (qw is None and w == last)):
                    row[q] = rec[col]
            row["_uuid"] = str(uuid.UUID(int=i * 10 + p.waves.index(w)))
            row["_submission_time"] = "2024-01-01T09:11:00"
            rows.append(row)
    rows.append({"start": "", CONSENT: "no", "_uuid": "refused"})
    questions = dict.fromkeys(q for q, _ in p.columns.values() if q != PARTICIPANT)
    names = ["start", "end", CONSENT, PARTICIPANT, WAVE, *questions, "_uuid", "_submission_time"]
    meta = ("start", "end", "_uuid", "_submission_time")
    header = [n if n in meta else paths.get(n, n) for n in names]
    lines = [";".join(header)]
    lines += [";".join(_export_cell(r.get(n)) for n in names) for r in rows]
    write_file(out, "\n".join(lines) + "\n")


SURVEY_EXPORTS = {"personnes_agees": "patients"}
"""Examples shipped with a simulated field export, and the data source it answers."""


def write_survey_exports(out: Path = HERE) -> None:
    """Write ``data/<name>/export_kobo.csv`` for each example of :data:`SURVEY_EXPORTS`."""
    import tempfile

    from impactkit.examples import load_example, load_example_data
    from impactkit.io import write_xlsform

    for name, source in SURVEY_EXPORTS.items():
        model = load_example(name, measured=False)
        with tempfile.TemporaryDirectory() as tmp:
            form = write_xlsform(model, Path(tmp) / "form.xlsx", data=source)
            data = load_example_data(name)[source]
            write_survey_export(model, data, source, form, out / "data" / name / "export_kobo.csv")


if __name__ == "__main__":  # pragma: no cover
    main()
