"""Embedded examples: one service per field of the social and medico-social sector.

Six example models ship with impactkit, one per field (:func:`names`):

- ``emploi_accompagne`` (handicap): supported employment towards ordinary work;
- ``protection_enfance``: intensive home-based educational support (AEMO
  renforcée) for children at risk of placement;
- ``insertion_iae``: a work-integration workshop (atelier et chantier
  d'insertion);
- ``protection_majeurs``: a service of court-appointed protection of adults
  (mandataire judiciaire);
- ``addictologie``: an outpatient addiction-care centre (CSAPA);
- ``personnes_agees``: a home nursing and fall-prevention service for older
  people (SSIAD).

Each has a theory of change as practitioners describe it, stakeholders up to
the public payers at their real level, indicators with their targets,
thresholds and timelines, seeded synthetic data with missing values, and
proxies with sources and price years; French labels. :func:`info` describes
them in one table.

The default example, *emploi accompagné*, helps adults with disabilities into
ordinary work (participants, families, employers, public finances).

>>> import impactkit as ik
>>> model = ik.examples.load_example(measured=False)    # quantities are calculators
>>> data = ik.examples.load_example_data()
>>> sorted(data)
['employers', 'participants', 'sessions']
>>> res = ik.sroi(model, data=data)
>>> res.ratio > 1
True
>>> round(ik.sroi(ik.examples.load_example()).ratio, 10) == round(res.ratio, 10)
True

Every example works the same way:

>>> "protection_enfance" in ik.examples.names()
True
>>> m = ik.examples.load_example("addictologie", measured=False)
>>> r = ik.sroi(m, data=ik.examples.load_example_data("addictologie"))
>>> round(r.ratio, 10) == round(ik.sroi(ik.examples.load_example("addictologie")).ratio, 10)
True

The files are rebuilt by ``python -m impactkit.examples.generate``.

Layer: doors (see the architecture page). Reads the embedded files and
uses every layer below.
"""

from __future__ import annotations

from importlib import resources
from typing import Any

import attrs
import pandas as pd

from impactkit._results import Record, displayed
from impactkit._tables import read_csv
from impactkit.examples._network import REGIONS, synthetic_network
from impactkit.model import ImpactModel
from impactkit.typing import SeedLike

__all__ = [
    "EXAMPLE",
    "REGIONS",
    "ExampleInfo",
    "describe",
    "info",
    "load_example",
    "load_example_data",
    "load_unit_costs",
    "names",
    "run_demo",
    "synthetic_network",
]

EXAMPLE = "emploi_accompagne"
"""Name of the default example."""


@displayed(headline=("Name", "Sector", "Title"))
@attrs.frozen(kw_only=True)
class ExampleInfo(Record):
    """What an embedded example is, for listings (``impactkit examples``).

    Parameters
    ----------
    name : str
        The example's name, as given to :func:`load_example`.
    sector : str
        Its field, spelt as the sectors of :func:`impactkit.valuation.catalogue`
        (``handicap``, ``protection_enfance``, ``insertion``,
        ``protection_majeurs``, ``addictologie``, ``personnes_agees``).
    title_fr : str
        Short French title of the service.
    description_fr, description_en : str
        One line in French and in English.
    sources : tuple of str
        Names of its data sources (the keys of :func:`load_example_data`).
    docs : str
        Path of its page in the documentation.

    Examples
    --------
    >>> describe("insertion_iae").sector
    'insertion'
    """

    name: str
    sector: str
    title_fr: str
    description_fr: str
    description_en: str
    sources: tuple[str, ...]
    docs: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Plain dictionary (JSON-ready).

        Returns
        -------
        dict of str to Any
            One key per field (``name``, ``sector``, ``title_fr``,
            ``description_fr``, ``description_en``, ``sources``, ``docs``);
            ``sources`` is a list.

        Examples
        --------
        >>> d = describe("insertion_iae").to_dict()
        >>> d["sector"], d["sources"]
        ('insertion', ['employees'])
        """
        d = attrs.asdict(self)
        d["sources"] = list(self.sources)
        return d


_EXAMPLES: tuple[ExampleInfo, ...] = (
    ExampleInfo(
        name="emploi_accompagne",
        sector="handicap",
        title_fr="Emploi accompagné",
        description_fr="Dispositif d'emploi accompagné : des adultes en situation de handicap "
        "vers et dans l'emploi en milieu ordinaire.",
        description_en="Supported employment: adults with disabilities into and in ordinary work.",
        sources=("participants", "sessions", "employers"),
        docs="secteurs/emploi_accompagne",
    ),
    ExampleInfo(
        name="protection_enfance",
        sector="protection_enfance",
        title_fr="AEMO renforcée",
        description_fr="Action éducative en milieu ouvert renforcée : des enfants en danger "
        "accompagnés chez eux pour éviter ou écourter un placement.",
        description_en="Intensive home-based educational support for children at risk, "
        "to avoid or shorten placements.",
        sources=("children", "families"),
        docs="secteurs/protection_enfance",
    ),
    ExampleInfo(
        name="insertion_iae",
        sector="insertion",
        title_fr="Atelier et chantier d'insertion",
        description_fr="Atelier et chantier d'insertion (IAE) : un contrat de travail et un "
        "accompagnement socioprofessionnel vers l'emploi durable.",
        description_en="Work-integration workshop: a paid job plus support towards "
        "lasting employment.",
        sources=("employees",),
        docs="secteurs/insertion_iae",
    ),
    ExampleInfo(
        name="protection_majeurs",
        sector="protection_majeurs",
        title_fr="Service mandataire judiciaire",
        description_fr="Service mandataire judiciaire à la protection des majeurs : accès aux "
        "droits, budget et dettes, logement et santé des personnes protégées.",
        description_en="Court-appointed protection of adults: rights, budget and debts, "
        "housing and health of protected people.",
        sources=("measures",),
        docs="secteurs/protection_majeurs",
    ),
    ExampleInfo(
        name="addictologie",
        sector="addictologie",
        title_fr="CSAPA ambulatoire",
        description_fr="Centre de soins, d'accompagnement et de prévention en addictologie : "
        "moins de consommation, moins d'urgences, retour vers l'emploi.",
        description_en="Outpatient addiction-care centre: less use, fewer emergency visits, "
        "return to work.",
        sources=("patients",),
        docs="secteurs/addictologie",
    ),
    ExampleInfo(
        name="personnes_agees",
        sector="personnes_agees",
        title_fr="SSIAD et prévention des chutes",
        description_fr="Service de soins infirmiers à domicile avec un programme de prévention "
        "des chutes : moins de chutes et d'hospitalisations, entrée en EHPAD "
        "retardée, aidants soulagés.",
        description_en="Home nursing with fall prevention for older people: fewer falls and "
        "hospital stays, later nursing-home entry, relieved carers.",
        sources=("patients",),
        docs="secteurs/personnes_agees",
    ),
)
_BY_NAME = {e.name: e for e in _EXAMPLES}


def names() -> list[str]:
    """Names of the embedded examples, the default first.

    Returns
    -------
    list of str
        The names accepted by :func:`load_example`,
        :func:`load_example_data` and :func:`describe`; the first is
        :data:`EXAMPLE` (``"emploi_accompagne"``).

    Examples
    --------
    >>> names()[0]
    'emploi_accompagne'
    >>> len(names())
    6
    """
    return [e.name for e in _EXAMPLES]


def _unknown(name: Any) -> Exception:
    from impactkit.errors import ValidationError

    return ValidationError(
        f"no example {name!r}; available: {', '.join(names())}",
        path=("name",),
        code="unknown_example",
    )


def describe(name: str) -> ExampleInfo:
    """Sector and one-line descriptions (French and English) of an example.

    Parameters
    ----------
    name : str
        One of :func:`names`.

    Returns
    -------
    ExampleInfo

    Raises
    ------
    ValidationError
        Unknown name; the message lists the available examples.

    Examples
    --------
    >>> describe("personnes_agees").title_fr
    'SSIAD et prévention des chutes'
    """
    if not isinstance(name, str) or name not in _BY_NAME:
        raise _unknown(name)
    return _BY_NAME[name]


def info() -> pd.DataFrame:
    """One row per example: name, sector, title and descriptions, data sources.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``name``; columns ``sector``, ``title_fr``,
        ``description_fr``, ``description_en``, ``sources`` (comma-separated)
        and ``docs``.

    Examples
    --------
    >>> info().loc["addictologie", "sector"]
    'addictologie'
    """
    rows = [{**e.to_dict(), "sources": ", ".join(e.sources)} for e in _EXAMPLES]
    return pd.DataFrame(rows).set_index("name")


def _files() -> Any:
    return resources.files("impactkit.examples")


def load_example(name: str = EXAMPLE, *, measured: bool = True) -> ImpactModel:
    """An embedded example model.

    Parameters
    ----------
    name : str
        One of :func:`names` (default ``"emploi_accompagne"``).
    measured : bool, default True
        True: the quantities measured on the shipped data, so the model
        evaluates on its own (``ik.sroi(load_example())``). False: the model as
        stored, its quantities being calculators bound to the data sources of
        :func:`load_example_data` (``ik.sroi(model, data=load_example_data(name))``).

    Returns
    -------
    ImpactModel

    Raises
    ------
    ValidationError
        Unknown name; the message lists the available examples.

    Examples
    --------
    >>> load_example("insertion_iae").metadata["sector"]
    'insertion'
    """
    from impactkit.io import loads

    describe(name)
    text = (_files() / f"{name}.json").read_text(encoding="utf-8")
    model = loads(text, "json")
    if measured:
        from impactkit.measure import bind

        model = bind(model, load_example_data(name)).model
    return model


def _data_dir(name: str) -> Any:
    # the default example's files sit in data/ itself; the others in data/<name>/
    return _files() / "data" if name == EXAMPLE else _files() / "data" / name


def load_example_data(name: str = EXAMPLE) -> dict[str, pd.DataFrame]:
    """An example's seeded synthetic data sources, by name.

    Parameters
    ----------
    name : str
        One of :func:`names` (default ``"emploi_accompagne"``: ``participants``,
        ``sessions``, ``employers``).

    Returns
    -------
    dict of str to pandas.DataFrame
        The sources named by the calculators of ``load_example(name,
        measured=False)``; missing values included on purpose.

    Raises
    ------
    ValidationError
        Unknown name; the message lists the available examples.

    Examples
    --------
    >>> sorted(load_example_data("protection_enfance"))
    ['children', 'families']
    """
    sources = describe(name).sources
    out = {}
    folder = _data_dir(name)
    for source in sources:
        with (folder / f"{source}.csv").open("r", encoding="utf-8") as fh:
            out[source] = read_csv(fh)  # identifier columns as text
    return out


def load_unit_costs() -> dict[str, Any]:
    """The example's unit public-cost catalogue (for :func:`impactkit.methods.avoided_costs`).

    AAH and RSA amounts are the 2024 national scales (transfers); the other
    entries are illustrative orders of magnitude, labelled as such.

    Returns
    -------
    dict of str to UnitCost
        Keyed by the cost's ``key`` (``aah_month``, ``rsa_month``,
        ``esat_place_year``, ``sessad_follow_up_year``); each
        :class:`~impactkit.valuation.UnitCost` carries its amount, unit, payer,
        price year, source and whether it is a transfer.

    Examples
    --------
    >>> costs = load_unit_costs()
    >>> sorted(costs)
    ['aah_month', 'esat_place_year', 'rsa_month', 'sessad_follow_up_year']
    >>> aah = costs["aah_month"]
    >>> aah.cost, aah.unit, aah.payer, aah.price_year, aah.transfer
    (1033.32, 'person-month', 'etat', 2025, True)
    """
    from impactkit.valuation import UnitCost

    with (_files() / "data" / "unit_costs.csv").open("r", encoding="utf-8") as fh:
        return UnitCost.catalogue(pd.read_csv(fh))


def run_demo(*, n_draws: int = 10_000, seed: SeedLike = None, lang: str = "en") -> str:
    """Run the example end to end and return the text the ``impactkit demo`` command prints.

    Theory-of-change summary, outputs and measured quantities with ``n`` and
    ``missing``, the SROI table and a Monte Carlo interval.

    Parameters
    ----------
    n_draws : int, default 10,000
        Monte Carlo draws.
    seed : int, SeedSequence, Generator or None
        Seed of the draws; the text names the entropy used, which reproduces them.
    lang : {"en", "fr"}, default "en"
        Language of the text: in French, French words and numbers, and the
        outcomes and stakeholders by their labels.

    Returns
    -------
    str
        The report, as printed.

    Examples
    --------
    >>> text = run_demo(n_draws=500, seed=1)
    >>> lines = text.splitlines()
    >>> lines[0]
    'impactkit demo - Emploi accompagné - Horizons Emploi (exemple)'
    >>> [line for line in lines if line.startswith("SROI ratio")]
    ['SROI ratio         2.16 : 1']
    >>> print(lines[-1])  # doctest: +NORMALIZE_WHITESPACE
    Monte Carlo (500 draws, seed 1, sampling uncertainty of measured quantities included):
    SROI ratio 90% interval 1.89 - 2.46 : 1, P(ratio > 1) = 100.0%
    >>> french = run_demo(n_draws=500, seed=1, lang="fr")
    >>> print(french.splitlines()[-1].replace("\\xa0", " "))  # doctest: +NORMALIZE_WHITESPACE
    Monte Carlo (500 tirages, graine 1, incertitude d'échantillonnage des quantités
    mesurées comprise) : intervalle à 90 % du ratio SROI de 1,89 à 2,46 pour 1,
    probabilité que le ratio dépasse 1 pour 1 : 100,0 %
    """
    from impactkit._i18n import _lang
    from impactkit.measure import Count, Sum
    from impactkit.methods import sroi
    from impactkit.uncertainty import monte_carlo

    fr = _lang(lang) == "fr"
    model = load_example(measured=False)
    data = load_example_data()
    toc = model.toc
    lines: list[str] = [f"impactkit demo - {model.name}", ""]
    if toc is not None:
        lines += _demo_toc(model, fr)
    sessions = Count(data="sessions").compute(data["sessions"])
    hours = Sum("hours", data="sessions").compute(data["sessions"])
    people = Count(unique="participant_id", data="sessions").compute(data["sessions"])
    res = sroi(model, data=data)
    mc = monte_carlo(model, n=n_draws, seed=seed, data=data, sampling_uncertainty=True)
    if fr:
        return "\n".join(lines + _demo_fr(model, res, mc, (sessions, hours, people)))
    lines += ["Outputs and measured quantities", "-------------------------------"]
    rows = [
        ("sessions delivered", sessions),
        ("hours of coaching", hours),
        ("people coached", people),
    ]
    rows += [(f"outcomes[{k}] {model.outcomes[k].outcome}", m) for k, m in res.measured.items()]
    width = max(len(r[0]) for r in rows)
    for label, m in rows:
        lines.append(
            f"  {label.ljust(width)}  {m.quantity:10,.1f}   n={m.n:<5} missing={m.missing}"
        )
    lines += ["", str(res.summary()), ""]
    table = res.by_outcome[
        ["outcome", "stakeholder", "quantity", "proxy_value", "impact", "present_value", "share"]
    ]
    lines += [table.to_string(index=False, float_format=lambda x: f"{x:,.2f}"), ""]
    lo, hi = mc.interval(0.90)
    lines.append(
        f"Monte Carlo ({n_draws:,} draws, seed {mc.seed_entropy}, sampling uncertainty of "
        f"measured quantities included): SROI ratio 90% interval {lo:.2f} - {hi:.2f} : 1, "
        f"P(ratio > 1) = {mc.probability_ratio_above(1.0):.1%}"
    )
    return "\n".join(lines)


_KINDS_FR = {
    "input": ("ressource", "ressources"),
    "activity": ("activité", "activités"),
    "output": ("réalisation", "réalisations"),
    "outcome": ("effet", "effets"),
    "impact": ("impact", "impacts"),
}


def _fr_count(n: int, one: str, many: str) -> str:
    """``1 effet``, ``0 erreur``, ``3 164 mesures``: French plural from 2 on."""
    from impactkit._i18n import fmt_number

    return f"{fmt_number(n, 'fr', decimals=0)} {one if n <= 1 else many}"


def _demo_toc(model: ImpactModel, fr: bool) -> list[str]:
    """The demo's theory-of-change paragraph."""
    toc = model.toc
    assert toc is not None
    kinds = pd.Series([n.kind for n in toc.nodes]).value_counts()
    probs = model.problems()
    n_err = sum(p.severity == "error" for p in probs)
    if not fr:
        lines = [
            "Theory of change",
            "----------------",
            f"{len(toc.stakeholders)} stakeholders, {len(toc)} nodes "
            f"({', '.join(f'{v} {k}' for k, v in kinds.items())}), {len(toc.links)} links; "
            f"{_count(n_err, 'error')}, {_count(len(probs) - n_err, 'warning')}",
        ]
        for o in toc.nodes_of_kind("outcome"):
            node = toc.node(o)
            lines.append(
                f"  - {node.label} [{node.stakeholder}] <- "
                f"{', '.join(toc.contributing_activities(o))}"
            )
        return [*lines, ""]
    who = {s.id: s.label for s in toc.stakeholders}
    by_kind = ", ".join(
        _fr_count(int(v), *_KINDS_FR.get(str(k), (str(k), str(k)))) for k, v in kinds.items()
    )
    lines = [
        "Théorie du changement",
        "---------------------",
        f"{_fr_count(len(toc.stakeholders), 'partie prenante', 'parties prenantes')}, "
        f"{_fr_count(len(toc), 'nœud', 'nœuds')} ({by_kind}), "
        f"{_fr_count(len(toc.links), 'lien', 'liens')} ; "
        f"{_fr_count(n_err, 'erreur', 'erreurs')}, "
        f"{_fr_count(len(probs) - n_err, 'avertissement', 'avertissements')}",
    ]
    for o in toc.nodes_of_kind("outcome"):
        node = toc.node(o)
        sh = who.get(node.stakeholder or "", node.stakeholder or "")
        acts = ", ".join(toc.node(a).label or a for a in toc.contributing_activities(o))
        lines.append(f"  - {node.label} ({sh}) ← {acts}")
    return [*lines, ""]


def _demo_fr(model: ImpactModel, res: Any, mc: Any, outputs: tuple[Any, ...]) -> list[str]:
    """The demo's measured quantities, SROI and Monte Carlo in French."""
    from impactkit._i18n import fmt_number, fmt_pct, fmt_ratio, sroi_table_fr

    sessions, hours, people = outputs
    rows = [
        ("séances réalisées", sessions),
        ("heures d'accompagnement", hours),
        ("personnes accompagnées", people),
    ]
    rows += [
        (model.outcomes[k].label or model.outcomes[k].outcome, m) for k, m in res.measured.items()
    ]
    width = max(len(r[0]) for r in rows)
    lines = ["Réalisations et quantités mesurées", "----------------------------------"]
    for label, m in rows:
        lines.append(
            f"  {label.ljust(width)}  {fmt_number(m.quantity, 'fr', decimals=1):>10}   "
            f"{_fr_count(m.n, 'mesure', 'mesures')}, "
            f"{_fr_count(m.missing, 'manquante', 'manquantes')}"
        )
    lines += ["", sroi_table_fr(res, model, by_outcome=True), ""]
    lo, hi = mc.interval(0.90)
    lines.append(
        f"Monte Carlo ({fmt_number(mc.n, 'fr', decimals=0)} tirages, graine {mc.seed_entropy}, "
        "incertitude d'échantillonnage des quantités mesurées comprise) : intervalle à "
        "90\u00a0% du "
        f"ratio SROI de {fmt_number(lo, 'fr')} à {fmt_ratio(hi, 'fr')}, probabilité que le "
        f"ratio dépasse 1 pour 1 : {fmt_pct(mc.probability_ratio_above(1.0), 'fr')}"
    )
    return lines


from impactkit.examples._interviews import (  # noqa: E402 - the coded interview set
    interviews_path,
    load_example_interviews,
)

__all__ += ["interviews_path", "load_example_interviews", "survey_export_path"]


def survey_export_path(name: str = "personnes_agees") -> str:
    """Path of an example's simulated field export (``export_kobo.csv``).

    The answers of the example's synthetic data to the questionnaire
    :func:`impactkit.io.write_xlsform` writes from the model, laid out as
    KoboToolbox exports them: one row per participant and wave, group paths in
    the headers, ``;`` between fields, decimal commas, the server's metadata,
    and one submission whose consent was refused. It lets the field how-to
    (docs/howto/terrain.md) run end to end without a survey server.

    Parameters
    ----------
    name : str, default "personnes_agees"
        An example shipped with an export (``personnes_agees``, source
        ``patients``).

    Returns
    -------
    str

    Raises
    ------
    ValidationError
        An example shipped without a field export.

    Examples
    --------
    >>> import impactkit as ik
    >>> lu = ik.io.read_survey(ik.examples.survey_export_path(),
    ...                        form=ik.examples.load_example("personnes_agees", measured=False))
    >>> lu.refused, len(lu.data)
    (1, 220)
    """
    from impactkit.errors import ValidationError
    from impactkit.examples.generate import SURVEY_EXPORTS

    if name not in SURVEY_EXPORTS:
        raise ValidationError(
            f"example {name!r} ships no field export; choose among {', '.join(SURVEY_EXPORTS)}",
            path=("name",),
            code="invalid_choice",
        )
    return str(_data_dir(name) / "export_kobo.csv")


def _count(n: int, noun: str) -> str:
    """``"1 warning"``, ``"2 warnings"``, ``"0 errors"``."""
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"
