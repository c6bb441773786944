"""French wording of the sector examples' English texts (descriptions, justifications, sources).

:func:`french` gives the French of one text the examples write in English, or
``None``; :func:`~impactkit.examples._sectors._common.sector_model` puts the
texts of a model it finds here into the model's ``translations["fr"]``, so that
a French report of an example holds no English sentence.
"""

from __future__ import annotations

import re

__all__ = ["FR", "french"]

_SYNTHETIC = (
    "Synthetic example shipped with impactkit: {}, measured on seeded synthetic data.",
    "Exemple synthétique fourni avec impactkit : {}, mesuré sur des données synthétiques "
    "reproductibles.",
)
_SERVICES = {
    "a supported-employment service for adults with disabilities": "un service d'emploi "
    "accompagné pour des adultes en situation de handicap",
    "a work-integration workshop": "un atelier et chantier d'insertion",
    "an outpatient addiction-care centre": "un centre ambulatoire d'addictologie",
    "court-appointed protection of adults": "la protection juridique des majeurs",
    "home nursing with fall prevention for older people": "des soins infirmiers à domicile "
    "avec prévention des chutes pour des personnes âgées",
    "intensive home-based educational support for children in danger": "un accompagnement "
    "éducatif intensif à domicile pour des enfants en danger",
}

_PAILLE = (
    "[catalogue:sejour_mco_alcool_cout_moyen] Derived from F. Paille, M. Reynaud, « L'alcool, "
    "une des toutes premières causes d'hospitalisation en France », Bulletin épidémiologique "
    "hebdomadaire n° 24-25, 7 juillet 2015 (stay counts as reported by Fréquence Médicale, "
    "« Les hospitalisations liées à l'alcool ont explosé en dix ans », 7 juillet 2015; MCO "
    "cost of 1,22 Md€ as reported in the AFP dispatch on the same study) "
    "<https://frequencemedicale.com/medecine_generale/patient/3774-Les-hospitalisations-"
    "liees-a-l-alcool-ont-explose-en-dix-ans>"
)

FR: dict[str, str] = {
    _SYNTHETIC[0].format(en): _SYNTHETIC[1].format(fr) for en, fr in _SERVICES.items()
}
"""English text of an example -> its French."""

FR.update(
    {
        _PAILLE: "Calculé d'après F. Paille, M. Reynaud, « L'alcool, une des toutes premières "
        "causes d'hospitalisation en France », Bulletin épidémiologique hebdomadaire n° 24-25, "
        "7 juillet 2015 (nombres de séjours tels que rapportés par Fréquence Médicale, « Les "
        "hospitalisations liées à l'alcool ont explosé en dix ans », 7 juillet 2015 ; coût MCO "
        "de 1,22 Md€ tel que rapporté par la dépêche AFP sur la même étude) "
        "<https://frequencemedicale.com/medecine_generale/patient/3774-Les-hospitalisations-"
        "liees-a-l-alcool-ont-explose-en-dix-ans>",
        # deadweight: what would have happened anyway
        "Admissions fall after a crisis year anyway (regression to the mean; judgement)": "Les "
        "hospitalisations baissent de toute façon après une année de crise (régression vers la "
        "moyenne ; jugement)",
        "Emergency visits fall after a crisis year anyway (regression to the mean; "
        "judgement)": "Les passages aux urgences baissent de toute façon après une année de "
        "crise (régression vers la moyenne ; jugement)",
        "Stays fall after a crisis year anyway (regression to the mean)": "Les séjours baissent "
        "de toute façon après une année de crise (régression vers la moyenne)",
        "Stays fall after a year with a crisis anyway (regression to the mean; judgement)": "Les "
        "séjours baissent de toute façon après une année marquée par une crise (régression vers "
        "la moyenne ; jugement)",
        "Children's quality of life improves after a crisis anyway (regression to the mean; "
        "judgement)": "La qualité de vie des enfants s'améliore de toute façon après une crise "
        "(régression vers la moyenne ; jugement)",
        "Parents' quality of life improves after a crisis anyway (regression to the mean; "
        "judgement)": "La qualité de vie des parents s'améliore de toute façon après une crise "
        "(régression vers la moyenne ; jugement)",
        "Health-related quality of life improves after a crisis anyway (regression to the mean; "
        "judgement)": "La qualité de vie liée à la santé s'améliore de toute façon après une "
        "crise (régression vers la moyenne ; jugement)",
        "Quality of life improves after entry anyway (regression to the mean; judgement)": "La "
        "qualité de vie s'améliore de toute façon après l'entrée (régression vers la moyenne ; "
        "jugement)",
        "Quality of life improves after the crisis that led to the measure anyway (regression "
        "to the mean; judgement)": "La qualité de vie s'améliore de toute façon après la crise "
        "qui a conduit à la mesure (régression vers la moyenne ; jugement)",
        "Health-related quality of life moves without the service (judgement; EQ-5D-5L of a "
        "comparison group would measure it)": "La qualité de vie liée à la santé évolue aussi "
        "sans le service (jugement ; l'EQ-5D-5L d'un groupe de comparaison la mesurerait)",
        "Employment rate of comparable people without support (assumption to test with a "
        "comparison group)": "Taux d'emploi de personnes comparables sans accompagnement "
        "(hypothèse à vérifier avec un groupe de comparaison)",
        "Hours these people would have worked elsewhere in the year (judgement: they were far "
        "from work)": "Heures que ces personnes auraient travaillées ailleurs dans l'année "
        "(jugement : elles étaient éloignées de l'emploi)",
        "Return-to-work rate of comparable jobseekers without the workshop (judgement; compare "
        "with France Travail cohorts)": "Taux de retour à l'emploi de demandeurs d'emploi "
        "comparables sans le chantier (jugement ; à comparer avec des cohortes de France "
        "Travail)",
        "Return-to-work rate without care (judgement)": "Taux de retour à l'emploi sans soins "
        "(jugement)",
        "Same counterfactual as the return to work": "Même situation contrefactuelle que pour le "
        "retour à l'emploi",
        "Most people in GIR 1-2 at home would still be at home a year later without this "
        "service (judgement; compare with the département's APA files)": "La plupart des "
        "personnes en GIR 1-2 à domicile y seraient encore un an plus tard sans ce service "
        "(jugement ; à comparer avec les dossiers d'APA du département)",
        "Share of children at risk who would have stayed at home without the service: "
        "judgement of the team and the ASE, to test against a comparison group (children on the "
        "waiting list)": "Part des enfants en danger qui seraient restés à domicile sans le "
        "service : jugement de l'équipe et de l'ASE, à vérifier avec un groupe de comparaison "
        "(enfants sur liste d'attente)",
        "Returns home that would have lasted without support (judgement)": "Retours en famille "
        "qui auraient tenu sans accompagnement (jugement)",
        "Procedures that stop without intervention (judgement)": "Procédures qui s'arrêtent sans "
        "intervention (jugement)",
        # attribution: the share owed to others
        "Care teams, families and social services": "Équipes soignantes, familles et services "
        "sociaux",
        "Foster families and the placement team prepared the return (judgement)": "Les familles "
        "d'accueil et l'équipe de placement ont préparé le retour (jugement)",
        "France Travail and employers": "France Travail et les employeurs",
        "France Travail and training bodies also contribute": "France Travail et les organismes "
        "de formation y contribuent aussi",
        "GPs and home-help services": "Médecins généralistes et services d'aide à domicile",
        "GPs and hospital discharge teams": "Médecins généralistes et équipes de sortie "
        "d'hospitalisation",
        "GPs, home-help services and families": "Médecins généralistes, services d'aide à "
        "domicile et familles",
        "GPs, pharmacies and hospital liaison teams": "Médecins généralistes, pharmacies et "
        "équipes hospitalières de liaison",
        "Health care and social services (judgement)": "Soins et services sociaux (jugement)",
        "Social services and health care (judgement)": "Services sociaux et soins (jugement)",
        "Home-help services (SAD) paid by the APA": "Services d'aide à domicile (SAD) financés "
        "par l'APA",
        "Hospital liaison teams (ELSA) and GPs": "Équipes hospitalières de liaison et de soins en "
        "addictologie (ELSA) et médecins généralistes",
        "Housing-benefit services and the eviction-prevention commission (CCAPEX)": "Services "
        "des aides au logement et commission de prévention des expulsions (CCAPEX)",
        "Psychiatric care and GPs (judgement)": "Soins psychiatriques et médecins généralistes "
        "(jugement)",
        "Psychiatric teams and GPs": "Équipes psychiatriques et médecins généralistes",
        "Psychiatric teams and GPs provide the care": "Les équipes psychiatriques et les "
        "médecins généralistes assurent les soins",
        "Same as the return to work": "Comme pour le retour à l'emploi",
        "School, child psychiatry and social services (judgement)": "École, pédopsychiatrie et "
        "services sociaux (jugement)",
        "School, child psychiatry and social services also act (judgement)": "L'école, la "
        "pédopsychiatrie et les services sociaux agissent aussi (jugement)",
        "Share owed to other services (judgement)": "Part due à d'autres services (jugement)",
        "The workshop is the employer": "Le chantier est l'employeur",
    }
)

FR.update(
    {
        # why an average cost overstates the saving (the end of a marginal note)
        "Of the 227 EUR mean cost of a visit, about 80 EUR are the acts and consultations "
        "(Sénat report n° 685, 2016-2017).": "Sur les 227\xa0€ du coût moyen d'un passage, "
        "environ 80\xa0€ correspondent aux actes et consultations (rapport du Sénat n° 685, "
        "2016-2017).",
        "The health insurance's figure: of the 227 EUR mean cost of a visit, about 80 EUR are "
        "the acts and consultations (Sénat report n° 685, 2016-2017).": "Chiffre de "
        "l'Assurance maladie : sur les 227\xa0€ du coût moyen d'un passage, environ 80\xa0€ "
        "correspondent aux actes et consultations (rapport du Sénat n° 685, 2016-2017).",
        "A stay avoided releases its direct costs only (judgement).": "Un séjour évité ne libère "
        "que ses coûts directs (jugement).",
        "A stay avoided releases its direct costs only.": "Un séjour évité ne libère que ses "
        "coûts directs.",
        "A stay releases its direct costs.": "Un séjour libère ses coûts directs.",
        "A place left free is soon taken by someone on the waiting list.": "Une place libérée "
        "est vite reprise par une personne sur liste d'attente.",
        "A place left free is soon taken by another child (judgement).": "Une place libérée est "
        "vite reprise par un autre enfant (jugement).",
        # theories of change: what the service is
        "Court-appointed protection of adults (synthetic example).": "Protection juridique des "
        "majeurs (exemple synthétique).",
        "Home nursing with fall prevention for older people (synthetic example).": "Soins "
        "infirmiers à domicile avec prévention des chutes pour des personnes âgées (exemple "
        "synthétique).",
        "Intensive home-based educational support for children in danger (synthetic "
        "example).": "Accompagnement éducatif intensif à domicile pour des enfants en danger "
        "(exemple synthétique).",
        "Outpatient addiction-care centre (synthetic example).": "Centre ambulatoire "
        "d'addictologie (exemple synthétique).",
        "Supported employment for adults with disabilities towards ordinary work (synthetic "
        "example).": "Emploi accompagné d'adultes en situation de handicap vers le milieu "
        "ordinaire de travail (exemple synthétique).",
        "Work-integration workshop (ACI) in market gardening and green spaces (synthetic "
        "example).": "Atelier et chantier d'insertion (ACI) en maraîchage et espaces verts "
        "(exemple synthétique).",
        # inputs' sources
        "Agreement with the département, synthetic": "Convention avec le département, synthétique",
        "Budget 2025 (synthetic)": "Budget 2025 (synthétique)",
        "Budget of the centre, synthetic": "Budget du centre, synthétique",
        "Budget of the service, synthetic": "Budget du service, synthétique",
        "Grant agreements, synthetic": "Conventions de subvention, synthétiques",
        "Grant, synthetic": "Subvention, synthétique",
        "Market rent of equivalent premises (synthetic)": "Loyer de marché de locaux "
        "équivalents (synthétique)",
        "Rental value of the land (synthetic)": "Valeur locative du terrain (synthétique)",
        # theories of change: the steps
        "Advice and mediation for employers": "Conseil et médiation auprès des employeurs",
        "Better health-related quality of life (EQ-5D-5L)": "Meilleure qualité de vie liée à "
        "la santé (EQ-5D-5L)",
        "Carers spend fewer hours helping each week": "Les aidants passent moins d'heures à "
        "aider chaque semaine",
        "Coaching sessions delivered": "Séances d'accompagnement réalisées",
        "Employers advised": "Employeurs conseillés",
        "Employers keep the disabled worker they hired": "Les employeurs gardent le travailleur "
        "handicapé qu'ils ont embauché",
        "Fewer emergency-department visits": "Moins de passages aux urgences",
        "Greater self-esteem": "Meilleure estime de soi",
        "In paid ordinary work 12 months after entry": "En emploi rémunéré en milieu ordinaire "
        "12 mois après l'entrée",
        "Individual job coaching before and after hiring": "Accompagnement individuel vers et "
        "dans l'emploi, avant et après l'embauche",
        "Job coaches and volunteers": "Conseillers en emploi accompagné et bénévoles",
        "Lasting inclusion in work and society": "Inclusion durable dans le travail et la société",
        "Public funding of the service: the State (programme 157, through the regional health "
        "agency), Agefiph and FIPHFP": "Financement public du service : l'État (programme 157, "
        "par l'agence régionale de santé), l'Agefiph et le FIPHFP",
        "Social contributions and taxes from the jobs: a transfer, shown in the public-finance "
        "view and not counted as social value": "Cotisations sociales et impôts issus des "
        "emplois : un transfert, montré dans la vue des finances publiques et non compté comme "
        "valeur sociale",
        # theories of change: the stakeholders
        "Adults under protection": "Majeurs protégés",
        "Adults with disabilities supported towards ordinary work": "Adultes en situation de "
        "handicap accompagnés vers le milieu ordinaire de travail",
        "Buyers of vegetables and services": "Acheteurs des légumes et des prestations",
        "Children aged 2-17": "Enfants de 2 à 17 ans",
        "Co-funds some measures (MASP, MAJ)": "Cofinance certaines mesures (MASP, MAJ)",
        "Département: child welfare service (ASE), funder and placement payer": "Département : "
        "aide sociale à l'enfance (ASE), financeur et payeur des placements",
        "Département: pays APA at home and in nursing homes (the dependency tariff, less the "
        "resident's share) and ASH in nursing homes": "Département : verse l'APA à domicile et "
        "en EHPAD (le tarif dépendance, moins la participation du résident) et l'ASH en EHPAD",
        "Département: pays the RSA minimum income and co-funds the support": "Département : "
        "verse le RSA et cofinance l'accompagnement",
        "Employers hiring at exit; clients of the workshop": "Employeurs qui recrutent à la "
        "sortie ; clients du chantier",
        "Employers hiring supported participants": "Employeurs qui recrutent des personnes "
        "accompagnées",
        "Employers of the patients": "Employeurs des patients",
        "Families and informal carers": "Familles et aidants",
        "Family allowance fund (allowances follow the child; transfers)": "Caisse d'allocations "
        "familiales (les allocations suivent l'enfant ; transferts)",
        "Family allowance fund: pays the RSA on behalf of the département, and the activity "
        "bonus (prime d'activité) once people work (transfers)": "Caisse d'allocations "
        "familiales : verse le RSA pour le compte du département, et la prime d'activité une "
        "fois les personnes en emploi (transferts)",
        "Family carers": "Aidants familiaux",
        "Health insurance: funds the centre and pays emergency visits": "Assurance maladie : "
        "finance le centre et paie les passages aux urgences",
        "Health insurance: pays emergency visits": "Assurance maladie : paie les passages aux "
        "urgences",
        "Health insurance: pays emergency-department visits": "Assurance maladie : paie les "
        "passages aux urgences",
        "Health insurance: pays hospital stays": "Assurance maladie : paie les séjours "
        "hospitaliers",
        "Health insurance: pays hospital stays, emergency visits and GPs": "Assurance maladie : "
        "paie les séjours hospitaliers, les passages aux urgences et les médecins généralistes",
        "Health partners": "Partenaires de santé",
        "Health partners who refer and share the care": "Partenaires de santé qui orientent et "
        "partagent la prise en charge",
        "Households of the employees": "Ménages des salariés",
        "Landlords whose rent is paid": "Bailleurs dont le loyer est payé",
        "Municipal social action centre": "Centre communal d'action sociale",
        "Pays housing benefit and AAH (transfers)": "Verse les aides au logement et l'AAH "
        "(transferts)",
        "Pension funds: co-fund fall-prevention workshops": "Caisses de retraite : cofinancent "
        "les ateliers de prévention des chutes",
        "People in the workshop": "Personnes en parcours sur le chantier",
        "Public employment service: one of the habilitated prescribers who check eligibility "
        "and issue the PASS IAE (plateforme de l'inclusion)": "Service public de l'emploi : "
        "l'un des prescripteurs habilités qui vérifient l'éligibilité et délivrent le PASS IAE "
        "(plateforme de l'inclusion)",
        "Relatives relieved of the role": "Proches déchargés de ce rôle",
        "Relatives supported by the centre": "Proches accompagnés par le centre",
        "Région and ESF+ co-funding": "Cofinancement de la Région et du FSE+",
        "Schools, child psychiatry and social services working with the team": "Écoles, "
        "pédopsychiatrie et services sociaux qui travaillent avec l'équipe",
        "State and social security: taxes, contributions and allowances (transfers, shown in "
        "the public-finance view)": "État et sécurité sociale : impôts, cotisations et "
        "allocations (transferts, montrés dans la vue des finances publiques)",
        "The State: court-ordered care and prevention funding": "L'État : soins ordonnés par la "
        "justice et financement de la prévention",
        "The State: funds most of the measures; the judge orders them": "L'État : finance la "
        "plupart des mesures ; le juge les ordonne",
        "The State: pays the aid per post and approves the workshop": "L'État : verse l'aide au "
        "poste et conventionne le chantier",
        "The State: the juvenile judge who orders the measure": "L'État : le juge des enfants "
        "qui ordonne la mesure",
        "The autonomy branch of social security: since 2021 it funds the care packages of SSIAD "
        "and nursing homes through the regional health agency": "La branche autonomie de la "
        "sécurité sociale : depuis 2021, elle finance les forfaits de soins des SSIAD et des "
        "EHPAD par l'agence régionale de santé",
        "The town lending the land": "La commune qui prête le terrain",
        "The town lending the premises": "La commune qui prête les locaux",
        "Town: prevention in schools, premises": "Commune : prévention dans les écoles, locaux",
    }
)

FR.update(
    {
        # theories of change: the assumptions and the reasons of the links
        "A managed budget stops new debt and pays old": (
            "Un budget géré arrête les nouvelles dettes et rembourse les anciennes"
        ),
        "A paid job and support steady health and routine": (
            "Un emploi rémunéré et un accompagnement stabilisent la santé et le rythme de vie"
        ),
        "A paid work experience with support leads to a job": (
            "Une expérience de travail rémunérée et accompagnée mène à un emploi"
        ),
        "A prepared return home holds": "Un retour en famille préparé tient",
        "A safer, steadier home improves the child's daily life": (
            "Un foyer plus sûr et plus stable améliore la vie quotidienne de l'enfant"
        ),
        "A secured budget and home lower stress and neglect": (
            "Un budget et un logement sécurisés réduisent le stress et la négligence"
        ),
        "A wage and support unlock stable housing": (
            "Un salaire et un accompagnement ouvrent l'accès à un logement stable"
        ),
        "A work contract pays wages": "Un contrat de travail verse un salaire",
        "Care at home postpones entry to a nursing home": (
            "Les soins à domicile retardent l'entrée en EHPAD"
        ),
        "Certification opens jobs": "La certification ouvre l'accès à l'emploi",
        "Children go to school when home life is steadier": (
            "Les enfants vont à l'école quand la vie familiale est plus stable"
        ),
        "Confidence helps to keep a job": "La confiance en soi aide à garder un emploi",
        "Coordination with care avoids crises and stays": (
            "La coordination avec les soins évite des crises et des hospitalisations"
        ),
        "Daily care and fewer falls keep health-related quality of life": (
            "Des soins quotidiens et moins de chutes préservent la qualité de vie liée à la santé"
        ),
        "Daily nursing catches problems before a crisis": (
            "Les soins infirmiers quotidiens repèrent les problèmes avant la crise"
        ),
        "Danger recedes when parenting improves": (
            "Le danger recule quand les pratiques parentales s'améliorent"
        ),
        "Fewer crises mean fewer emergency visits": (
            "Moins de crises, c'est moins de passages aux urgences"
        ),
        "Frequent practical support builds parents' skills": (
            "Un soutien concret et fréquent renforce les compétences des parents"
        ),
        "Less use means fewer intoxications and injuries": (
            "Moins de consommation, c'est moins d'intoxications et de blessures"
        ),
        "Less use means less pain, anxiety and low mood": (
            "Moins de consommation, c'est moins de douleur, d'anxiété et de déprime"
        ),
        "Mediation prevents early breakdown": "La médiation prévient les ruptures précoces",
        "Multifactorial prevention reduces falls": (
            "La prévention multifactorielle réduit les chutes"
        ),
        "Paid rent and a repayment plan stop the eviction": (
            "Un loyer payé et un plan d'apurement arrêtent l'expulsion"
        ),
        "Place-then-train support raises employment (IPS evidence)": (
            "L'accompagnement qui place d'abord puis forme en emploi augmente l'emploi "
            "(résultats du modèle IPS)"
        ),
        "Professional care relieves carers": "Les soins professionnels soulagent les aidants",
        "Psychosocial care and treatment reduce use": (
            "La prise en charge psychosociale et les traitements réduisent la consommation"
        ),
        "Regular contact builds confidence": "Des contacts réguliers donnent confiance",
        "School and family agree on attendance": (
            "L'école et la famille s'accordent sur l'assiduité"
        ),
        "Stability makes work possible again": "La stabilité rend le travail de nouveau possible",
        "Support and work improve mental health and daily functioning": (
            "L'accompagnement et le travail améliorent la santé mentale et l'autonomie au "
            "quotidien"
        ),
        "Support relieves parents' stress and isolation": (
            "L'accompagnement réduit le stress et l'isolement des parents"
        ),
        "Training on the job leads to certification": (
            "La formation en situation de travail mène à une certification"
        ),
        "Unclaimed rights are claimed once someone files them": (
            "Les droits non réclamés sont obtenus dès que quelqu'un fait les démarches"
        ),
        "Work days reduce daily help": "Les jours travaillés réduisent l'aide quotidienne",
        "A home": "Un logement",
        "A lasting job": "Un emploi durable",
        "A paid contract is the delivery": "Un contrat rémunéré est la prestation",
        "A place in society": "Une place dans la société",
        "A place kept in the care home": "Une place conservée en établissement",
        "A repayment plan out of court": "Un plan d'apurement à l'amiable",
        "A stable home": "Un logement stable",
        "Alive and safer": "En vie et plus en sécurité",
        "Assets protected": "Patrimoine protégé",
        "Calmer home life": "Une vie familiale plus apaisée",
        "Care kept up avoids crises that end in the emergency department": (
            "Des soins maintenus évitent les crises qui finissent aux urgences"
        ),
        "Carers of the same patients": "Aidants des mêmes patients",
        "Coaches deliver the support": "Les conseillers assurent l'accompagnement",
        "Consultations are the delivery": "Les consultations sont la prestation",
        "Danger recedes: no new report": (
            "Le danger recule : pas de nouvelle information préoccupante"
        ),
        "Delegates file the claims": "Les mandataires font les demandes",
        "Delegates manage accounts": "Les mandataires gèrent les comptes",
        "Delegates meet carers and landlords": (
            "Les mandataires rencontrent les soignants et les bailleurs"
        ),
        "Delegates see every account movement and report abuse": (
            "Les mandataires voient chaque mouvement de compte et signalent les abus"
        ),
        "Doctors, nurses and psychologists": "Médecins, infirmiers et psychologues",
        "Earnings end or reduce the RSA": (
            "Les revenus d'activité mettent fin au RSA ou le réduisent"
        ),
        "Educators deliver the home visits": "Les éducateurs assurent les visites à domicile",
        "Effective rights": "Des droits effectifs",
        "Employers fill vacancies": "Les employeurs pourvoient leurs postes vacants",
        "Employers' practice changes": "Les pratiques des employeurs changent",
        "Falls bring people to the emergency room": "Les chutes conduisent aux urgences",
        "Falls cause hospital stays": "Les chutes causent des hospitalisations",
        "Families cooperate: no referral to the judge": (
            "Les familles coopèrent : pas de saisine du juge"
        ),
        "Fees paid from the managed budget": "Frais payés sur le budget géré",
        "Fewer crises, fewer emergency visits": "Moins de crises, moins de passages aux urgences",
        "Funding pays mediation time": "Le financement paie le temps de médiation",
        "Funding pays the coaches' time": "Le financement paie le temps des conseillers",
        "Growing up safely at home": "Grandir en sécurité chez soi",
        "Health": "Santé",
        "Health and safety": "Santé et sécurité",
        "Health is part of inclusion": "La santé fait partie de l'inclusion",
        "Hours are the delivery": "Les heures sont la prestation",
        "Income from work": "Revenus du travail",
        "Jobs outside the bus network": "Emplois hors du réseau de bus",
        "Less drinking, fewer acute admissions": (
            "Moins d'alcool, moins d'hospitalisations en urgence"
        ),
        "Living at home": "Vivre chez soi",
        "Measures are the delivery": "Les mesures sont la prestation",
        "Meetings are the delivery": "Les rencontres sont la prestation",
        "New income pays the debts": "Les nouveaux revenus remboursent les dettes",
        "No new placement": "Pas de nouveau placement",
        "No placement is ordered": "Aucun placement n'est ordonné",
        "No police assistance, no rehousing": "Ni concours de la force publique, ni relogement",
        "Nurses and care assistants": "Infirmiers et aides-soignants",
        "Nurses coordinate respite": "Les infirmiers organisent le répit",
        "Nurses deliver treatments and kits": "Les infirmiers délivrent traitements et kits",
        "Occupational therapist and partners": "Ergothérapeute et partenaires",
        "Parent work happens during visits": (
            "Le travail avec les parents a lieu pendant les visites"
        ),
        "Patients are the delivery": "Les patients suivis sont la prestation",
        "Programmes are the delivery": "Les programmes sont la prestation",
        "Psychologist and mediator lead it": "Le psychologue et le médiateur l'animent",
        "Public funding pays the delegates": "Le financement public paie les mandataires",
        "Safety": "Sécurité",
        "Safety and wellbeing": "Sécurité et bien-être",
        "School is a protective factor": "L'école est un facteur de protection",
        "Sessions are the unit of delivery": "Les séances sont l'unité de prestation",
        "Social appointments are consultations": "Les rendez-vous sociaux sont des consultations",
        "Social workers": "Travailleurs sociaux",
        "Substitution treatment and naloxone": "Traitements de substitution et naloxone",
        "Supervisors organise production": "Les encadrants organisent la production",
        "Supervisors train on the job": "Les encadrants forment en situation de travail",
        "Support runs alongside the contract": "L'accompagnement se déroule pendant le contrat",
        "Support workers lift barriers (housing, mobility)": (
            "Les accompagnateurs lèvent les freins (logement, mobilité)"
        ),
        "The aid per post pays wages and supervision": (
            "L'aide au poste paie les salaires et l'encadrement"
        ),
        "The care grant pays the team": "La dotation de soins paie l'équipe",
        "The département pays the team's time": "Le département paie le temps de l'équipe",
        "The global grant pays the team": "La dotation globale paie l'équipe",
        "The licence is funded and prepared": "Le permis est financé et préparé",
        "The nursing-home care package not paid": "Le forfait de soins en EHPAD non payé",
        "The referent educator meets the school": "L'éducateur référent rencontre l'école",
        "The same RSA, lost by the household": "Le même RSA, perdu par le ménage",
        "The work produces what is sold": "Le travail produit ce qui est vendu",
        "Treatment reviews are consultations": "Les bilans de traitement sont des consultations",
        "Visits are the delivery": "Les visites sont la prestation",
        "Visits are the unit of delivery": "Les visites sont l'unité de prestation",
        "Wages bear social contributions": "Les salaires supportent des cotisations sociales",
        "Work is a lever of inclusion": "Le travail est un levier d'inclusion",
    }
)

_INDEX_RULES = {"GDP per head": "le PIB par habitant"}

_KEPT = re.compile(
    r" Kept at its stated amount as a (\d{4}) value, not revalued from (\d{4}): its guidance "
    r"moves it with (.+?), which the example does not apply \(an understatement\)\.$"
)
_MARGINAL = re.compile(
    r"^Average cost used as a saving; sensitivity case: (\d+)% of it is released when one "
    r"unit is avoided \(metadata marginal_shares\)\. (.*)$"
)


_STATE_AID = re.compile(
    r"^(\d+)\.(\d+) FTE x catalogue:\w+ \((\d{1,3}(?:,\d{3})*) EUR per FTE, (\d{4})\) - "
    r"(.*); less the département's share$",
    re.S,
)
_VOLUNTEER = re.compile(r"^(\d+(?:\.\d+)?) hours x (\d+(?:\.\d+)?) per hour$")


def french(text: str) -> str | None:
    """The French of an English text of the sector examples, or ``None`` when it has none.

    A catalogue source that ends with the note of a value kept at its stated
    amount (see :func:`~impactkit.examples._sectors._common.catalogue_proxy`)
    keeps its citation and has the note in French.
    """
    if text in FR:
        return FR[text]
    kept = _KEPT.search(text)
    if kept and kept.group(3) in _INDEX_RULES:
        year, stated, rule = kept.groups()
        return (
            text[: kept.start()] + f" Montant retenu tel quel comme valeur de {year}, sans "
            f"revalorisation depuis {stated} : ses recommandations le font évoluer avec "
            f"{_INDEX_RULES[rule]}, ce que l'exemple n'applique pas (une sous-estimation)."
        )
    aid = _STATE_AID.match(text)
    if aid:  # the state aid of an integration workshop, computed by the builder
        units, cents, amount, year, source = aid.groups()
        grouped = amount.replace(",", "\u202f")
        return (
            f"{units},{cents} ETP x aide au poste du catalogue ({grouped} EUR par ETP, {year}) "
            f"- {source} ; moins la part du Département"
        )
    volunteer = _VOLUNTEER.match(text)
    if volunteer:  # the description impactkit.volunteer_time writes
        hours, rate = (x.replace(".", ",") for x in volunteer.groups())
        return f"{hours} heures x {rate} par heure"
    marginal = _MARGINAL.match(text)
    if marginal and (why := french(marginal.group(2))) is not None:
        return (
            "Coût moyen compté comme une économie ; cas de sensibilité : "
            f"{marginal.group(1)}\xa0% de ce coût sont libérés quand une unité est évitée. {why}"
        )
    return None


def _price_index() -> dict[str, str]:
    """The French of the shipped INSEE price index's name and source."""
    from impactkit.valuation import PriceIndex

    cpi = PriceIndex.insee_cpi()
    return {
        cpi.name: "IPC de l'INSEE, ensemble des ménages, France, base 2015 = 100, moyennes "
        "annuelles",
        cpi.source: "Indice des prix à la consommation (IPC) de l'INSEE, ensemble des ménages, "
        "France, ensemble, base 2015 = 100, moyennes annuelles. Série : INSEE BDM idbank "
        "001764363, « Indice annuel des prix à la consommation - Base 2015 - Ensemble des "
        "ménages - France - Ensemble », url : https://www.insee.fr/fr/statistiques/serie/001764363."
        " Statut lu, 1998-2023 : lu dans un export BDM de l'INSEE de la série (fichier "
        "donnees_brutes.xlsx, feuille « valeurs_annuelles », série mise à jour par l'INSEE le "
        "12/01/2024) conservé dans le dépôt public ReinforcedKnowledge/france-inflation-data-"
        "cleaned, lu le 26/11/2026. Statut lu, 2025 : 120,95, observation de l'idbank 001764363 "
        "(OBS_STATUS A, OBS_QUAL DEF) citée dans une note du 20 septembre 2026 d'un dépôt public "
        "qui a lu directement la BDM de l'INSEE (ses observations de 1990 et de 2015, 67,40 et "
        "100, concordent avec l'export ci-dessus), lu le 26/11/2026. Statut calculé, 2024 : non "
        "lu directement ; 119,82 est le seul niveau à deux décimales compatible avec les niveaux "
        "2023 et 2025 ci-dessus et avec les deux variations annuelles calculées sur la série "
        "001764363 à cinq décimales (2024 : 0,02001 ; 2025 : 0,00943 ; fichier "
        "data/reference/macro/ipc_annuel.csv du dépôt public wald52/retraitecomptenotionelle, "
        "certifié le 13/08/2026) : 117,47 × 1,02001 = 119,8206 et 120,95 / 1,00943 = 119,8201. "
        "Les moyennes annuelles publiées par l'INSEE (+2,0 % en 2024, +0,9 % en 2025 ; "
        "Informations rapides des 15 janvier 2025 et 15 janvier 2026) concordent. Les valeurs "
        "antérieures à 2006 sont publiées par l'INSEE avec une décimale (série rétropolée).",
    }


FR.update(_price_index())

_IGAS_MEASURE = (
    "IGAS, I. Rougier et C. Waquet, « Financement par les organismes de sécurité sociale des "
    "mandataires judiciaires à la protection des majeurs », rapport n° 2014-071R, juillet 2014, "
    "relayé par Neuromedia, « Le rapport de l'IGAS »"
)
FR.update(
    {
        # sources of inputs computed by the builders
        "52.12 FTE held by RSA recipients x 88 % of the single-person RSA (646.52 EUR, "
        "catalogue:rsa_forfait_personne_seule) x 12 months (décret n° 2014-728 du 27 juin 2014; "
        "88 % as reported by the Banque des Territoires)": "52,12 ETP occupés par des "
        "allocataires du RSA x 88 % du RSA d'une personne seule (646,52 EUR, montant "
        "forfaitaire du catalogue) x 12 mois (décret n° 2014-728 du 27 juin 2014 ; "
        "88 % selon la Banque des Territoires)",
        **{
            f"catalogue:pjm_cout_mesure_an_igas_2013: mean cost of a measure 1,828 EUR a year in "
            f"2013, all funders, {en}; x 300 measures, moved to 2025 with the INSEE consumer "
            f"price index - {_IGAS_MEASURE}": "Catalogue : coût "
            f"moyen d'une mesure 1 828 EUR par an en 2013, tous financeurs, {fr} ; x 300 mesures, "
            f"ramené à 2025 avec l'indice des prix à la consommation de l'INSEE - {_IGAS_MEASURE}"
            for en, fr in (
                ("80 % by public funders", "80 % par les financeurs publics"),
                ("20 % by the protected people", "20 % par les personnes protégées"),
            )
        },
    }
)
