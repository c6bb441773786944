"""The coded interview set of the *emploi accompagné* example (synthetic, consented).

Six short interviews, written for the example (no real person): four people
supported, one family carer, one employer. Two coders coded them in a nested
codebook; consent and stakeholder are case variables, as QDA software records
them. One participant did not consent to quotation: that interview is coded
and counted but never quoted. Further records (a Most Significant Change
story, a harvested outcome, a causal claim, a document) and the engagement
log live in ``data/interviews_records.json``.

The archive ``data/interviews.qdpx`` is rebuilt by
``python -m impactkit.examples._interviews``.
"""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pandas as pd

from impactkit.qualitative import QdaProject, read_qdpx, write_qdpx
from impactkit.qualitative._records import Engagement, Evidence, from_plain

__all__ = ["build_project", "interviews_path", "load_example_interviews"]

_CODES = [
    # id, name, parent, codable
    ("effets", "Effets", None, False),
    ("confiance", "Confiance", "effets", True),
    ("emploi", "Emploi durable", "effets", True),
    ("repit", "Répit des aidants", "effets", True),
    ("recrutement", "Recrutement inclusif", "effets", True),
    ("freins", "Freins", None, False),
    ("sante", "Santé", "freins", True),
    ("transport", "Transport", "freins", True),
    ("rupture", "Rupture d'emploi", "freins", True),
    ("contribution", "Contribution", None, False),
    ("conseiller", "Rôle du conseiller", "contribution", True),
    ("autre", "Autre soutien", "contribution", True),
]

# case, stakeholder, consent, text, [(phrase, coder A codes, coder B codes)]
_INTERVIEWS: list[tuple[str, str, bool, str, list[tuple[str, list[str], list[str]]]]] = [
    (
        "P01",
        "participants",
        True,
        "Avant, je n'osais pas parler à un employeur. Avec ma conseillère on a préparé "
        "chaque entretien, et maintenant je me sens capable. Je travaille à la "
        "médiathèque depuis un an, en CDI.",
        [
            ("je me sens capable", ["confiance"], ["confiance"]),
            ("Avec ma conseillère on a préparé chaque entretien", ["conseiller"], ["conseiller"]),
            ("Je travaille à la médiathèque depuis un an, en CDI", ["emploi"], ["emploi"]),
        ],
    ),
    (
        "P02",
        "participants",
        True,
        "Le travail m'a redonné un rythme. Mais les semaines où ma santé ne va pas, "
        "c'est dur de tenir. Sans le bus de nuit je n'aurais pas pu accepter les horaires.",
        [
            ("Le travail m'a redonné un rythme", ["emploi"], ["confiance"]),
            ("les semaines où ma santé ne va pas, c'est dur de tenir", ["sante"], ["sante"]),
            (
                "Sans le bus de nuit je n'aurais pas pu accepter les horaires",
                ["transport"],
                ["autre"],
            ),
        ],
    ),
    (
        "P03",
        "participants",
        True,
        "J'ai perdu mon poste au bout de quatre mois, l'équipe ne comprenait pas mes "
        "besoins. Mais je sais maintenant ce que je peux demander.",
        [
            ("J'ai perdu mon poste au bout de quatre mois", ["rupture"], ["rupture"]),
            ("je sais maintenant ce que je peux demander", ["confiance"], ["confiance"]),
        ],
    ),
    (
        "P04",
        "participants",
        False,
        "Ma conseillère m'a aidée à parler de mon handicap à mon chef. Je garde mon travail.",
        [
            (
                "Ma conseillère m'a aidée à parler de mon handicap à mon chef",
                ["conseiller"],
                ["conseiller"],
            ),
            ("Je garde mon travail", ["emploi"], ["emploi"]),
        ],
    ),
    (
        "F01",
        "families",
        True,
        "Depuis qu'il travaille, je ne l'accompagne plus tous les matins. J'ai repris "
        "un mi-temps.",
        [
            ("je ne l'accompagne plus tous les matins", ["repit"], ["repit"]),
            ("J'ai repris un mi-temps", ["repit"], ["repit"]),
        ],
    ),
    (
        "E01",
        "employers",
        True,
        "Le service nous a aidés à adapter le poste. Nous avons recruté une deuxième "
        "personne l'année suivante.",
        [
            ("Le service nous a aidés à adapter le poste", ["conseiller"], ["conseiller"]),
            (
                "Nous avons recruté une deuxième personne l'année suivante",
                ["recrutement"],
                ["recrutement"],
            ),
        ],
    ),
]

MAPPING: dict[str, tuple[str, ...]] = {
    "Confiance": ("self_esteem",),
    "Emploi durable": ("employed_12m",),
    "Répit des aidants": ("carer_respite",),
    "Recrutement inclusif": ("inclusive_employers",),
    "Rôle du conseiller": ("coaching",),
    "Rupture d'emploi": ("employed_12m",),
}
"""Codes of the example's codebook mapped to nodes of its theory of change."""

CONTRADICTS: tuple[str, ...] = ("Rupture d'emploi",)
"""Codes whose segments contradict the nodes they are linked to."""


def build_project() -> QdaProject:
    """The example's coded interviews as a project (what the archive holds).

    Returns
    -------
    QdaProject
    """
    codes = pd.DataFrame(
        [
            {"id": i, "name": n, "parent": p, "codable": c, "description": "", "color": None}
            for i, n, p, c in _CODES
        ]
    )
    sources, codings, variables = [], [], []
    for case, stakeholder, consent, text, segments in _INTERVIEWS:
        sid = f"entretien-{case}"
        sources.append(
            {
                "id": sid,
                "name": f"Entretien {case}",
                "kind": "text",
                "text": text,
                "path": "",
                "case": case,
            }
        )
        variables += [
            {"owner": case, "owner_kind": "case", "name": "stakeholder", "value": stakeholder},
            {"owner": case, "owner_kind": "case", "name": "consent", "value": consent},
        ]
        for phrase, a_codes, b_codes in segments:
            start = text.index(phrase)
            end = start + len(phrase)
            for coder, cs in (("codeur A", a_codes), ("codeur B", b_codes)):
                for code in cs:
                    codings.append(
                        {
                            "id": "",
                            "selection": "",
                            "source": sid,
                            "source_name": f"Entretien {case}",
                            "start": start,
                            "end": end,
                            "text": phrase,
                            "code": code,
                            "code_name": {i: n for i, n, _, _ in _CODES}[code],
                            "coder": coder,
                            "case": case,
                        }
                    )
    return QdaProject(
        "Emploi accompagné - entretiens",
        codes=codes,
        sources=pd.DataFrame(sources),
        codings=pd.DataFrame(codings),
        variables=pd.DataFrame(variables),
        description="Entretiens synthétiques écrits pour l'exemple ; aucune personne réelle.",
    )


def _data() -> Any:
    return resources.files("impactkit.examples") / "data"


def interviews_path() -> str:
    """Path of the example's ``interviews.qdpx`` (REFI-QDA archive).

    Returns
    -------
    str

    Examples
    --------
    >>> import impactkit as ik
    >>> ik.examples.interviews_path().endswith("interviews.qdpx")
    True
    """
    return str(_data() / "interviews.qdpx")


def load_example_interviews() -> tuple[QdaProject, tuple[Evidence, ...], tuple[Engagement, ...]]:
    """The example's coded interviews, its evidence records and engagement log.

    Returns
    -------
    project : QdaProject
        Read from ``interviews.qdpx``.
    evidence : tuple of Evidence
        The coded segments mapped to the theory of change (:data:`MAPPING`),
        followed by the records of ``interviews_records.json``.
    engagement : tuple of Engagement

    Examples
    --------
    >>> import impactkit as ik
    >>> project, evidence, engagement = ik.examples.load_example_interviews()
    >>> model = ik.examples.load_example().evolve(evidence=evidence, engagement=engagement)
    >>> sum(not e.consent for e in model.evidence) > 0     # kept, never published
    True
    """
    from impactkit.qualitative import codings_to_evidence

    project = read_qdpx((_data() / "interviews.qdpx").read_bytes())
    # The codes were agreed by both coders before mapping: keep coder A's coding.
    coded = project.codings
    first = _with_codings(project, coded[coded["coder"] == "codeur A"])
    evidence = codings_to_evidence(first, MAPPING, contradicts=CONTRADICTS)
    records = json.loads((_data() / "interviews_records.json").read_text(encoding="utf-8"))
    more = tuple(from_plain(r, Evidence) for r in records["evidence"])
    engagement = tuple(from_plain(r, Engagement) for r in records["engagement"])
    return project, (*evidence, *more), engagement


def _with_codings(project: QdaProject, codings: pd.DataFrame) -> QdaProject:
    """The same project with other codings."""
    return QdaProject(
        project.name,
        codes=project.codes,
        sources=project.sources,
        codings=codings,
        users=project.users,
        variables=project.variables,
        description=project.description,
    )


if __name__ == "__main__":  # pragma: no cover - rebuilds the shipped file
    from pathlib import Path

    write_qdpx(build_project(), Path(__file__).parent / "data" / "interviews.qdpx")
