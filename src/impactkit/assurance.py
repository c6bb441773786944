"""Assurance checks: the SROI principles as machine checks (``ik.lint``).

Each finding has a code, a severity (``error``, ``warning``, ``info``), the
path of what it is about, a message and a hint. The checks follow the
principles of Social Value International (do not over-claim, be transparent,
only include what is material, value the things that matter) and the SROI
Guide's stage 4 and 5 practice (docs/methods/profiles.md, "Assurance checks").

=========================  ==========================================================
code                       finding
=========================  ==========================================================
``no_counterfactual``      a valued outcome with neither deadweight nor attribution
``proxy_no_source``        a financial proxy without a source
``proxy_no_price_year``    a financial proxy without a price year (model has a base year)
``mixed_price_years``     proxies of several price years added in a model with no base year
``long_duration``          a duration over 5 years with no evidence stated
``immaterial``             an outcome under the materiality share of the present value
``no_in_kind_inputs``      no non-cash input (volunteer time, premises, goods)
``double_counting``        two valued outcomes on one causal path for one stakeholder
``duplicate_row``          a value-map row repeating another exactly
``duplicate_outcome``      an outcome valued twice for one stakeholder
``similar_rows``           two outcome ids with the same stakeholder and the same figures
``not_evaluated``          materiality not checked (measured quantities without their data)
``transfer_twice``         two rows valuing the same transfer with the same sign
``transfer_one_side``      a transfer valued for one party only (counted as social value)
``benefit_in_kind``        an allowance earmarked to buy help valued (a saving only if the
                           help is no longer consumed)
``proxy_index_rule``       a proxy whose guidance moves it with another index (GDP per head)
                           moved by the model's price index
``value_concentration``    most of the value (>= 80 % by default) on one outcome
``illustrative_share``     a large share (>= 50 % by default) of the value on illustrative
                           or unsourced proxies
``unvalued_stakeholder``   a stakeholder of the theory of change with no valued outcome
``toc_error``              an error of the theory of change (see its own rules)
``no_engagement``          a stakeholder with a valued outcome and no engagement record
``outcome_not_heard``      a valued outcome no stakeholder reported (assumed, not heard)
=========================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

import attrs
import pandas as pd

from impactkit._results import Record, displayed
from impactkit.dist import Distribution
from impactkit.errors import PathElement, ValidationError, format_path
from impactkit.model import ImpactModel, duplicate_rows

if TYPE_CHECKING:
    from impactkit.methods import SROIResult

__all__ = ["Finding", "concentration_sentences", "lint"]

Level = Literal["error", "warning", "info"]


@displayed(headline=("Severity", "Code", "Path"))
@attrs.frozen
class Finding(Record):
    """One assurance finding.

    Parameters
    ----------
    code : str
        Rule that found it.
    severity : {"error", "warning", "info"}
    path : tuple of str or int
        Where, outermost first.
    message : str
        What is wrong.
    hint : str
        What to do about it.

    Examples
    --------
    :func:`lint` returns them; the supported-employment example leaves its
    employers without a valued outcome (no published figure was found):

    >>> import impactkit as ik
    >>> findings = ik.lint(ik.examples.load_example())
    >>> first = findings[0]
    >>> first.code, first.severity, first.location
    ('unvalued_stakeholder', 'info', 'toc.stakeholders.employers')
    >>> sorted({f.severity for f in findings})
    ['info']
    """

    code: str
    severity: Level
    path: tuple[PathElement, ...]
    message: str
    hint: str

    @property
    def location(self) -> str:
        """The path as text."""
        return format_path(self.path)

    def __str__(self) -> str:
        return f"{self.severity}: {self.location}: {self.message} [{self.code}] - {self.hint}"


def _is_zero(x: Any) -> bool:
    return (
        not isinstance(x, Distribution)
        and not callable(getattr(x, "compute", None))
        and float(x) == 0.0
    )


def lint(
    model: ImpactModel,
    *,
    data: Mapping[str, Any] | None = None,
    materiality: float = 0.01,
    max_duration: float = 5.0,
    concentration: float = 0.8,
    illustrative: float = 0.5,
) -> list[Finding]:
    """Check a model against the SROI principles; return every finding.

    Transfers (money moved from one party to another: an allowance, the RSA,
    a tax or social contribution, named in ``proxy.transfer``) are not social
    value: valued for one party only they are flagged (``transfer_one_side``);
    valued on both sides with opposite signs they cancel in the total, which
    is the correct treatment and passes; valued twice with the same sign they
    are flagged (``transfer_twice``). The value-concentration checks use
    :func:`concentration_sentences`, the sentences the report shows.

    Parameters
    ----------
    model : ImpactModel
    data : mapping, optional
        Data sources, to evaluate measured quantities for the materiality check.
    materiality : float, default 0.01
        Share of total present value under which an outcome is reported as
        possibly immaterial (no official threshold exists; state yours).
    max_duration : float, default 5
        Durations above it need stated evidence.
    concentration : float, default 0.8
        Share of the value on one outcome from which the result is said to
        rest on it (``value_concentration``).
    illustrative : float, default 0.5
        Share of the value on illustrative or unsourced proxies from which it
        is flagged (``illustrative_share``).

    Returns
    -------
    list of Finding
        Errors, then warnings, then information.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", base_year=2024, inputs=[ik.Input("g", amount=1000)],
    ...                    outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s",
    ...                                                  quantity=10, proxy=100)])
    >>> sorted({f.code for f in ik.lint(m)})  # doctest: +NORMALIZE_WHITESPACE
    ['illustrative_share', 'no_counterfactual', 'no_engagement', 'no_in_kind_inputs',
     'outcome_not_heard', 'proxy_no_price_year', 'proxy_no_source', 'value_concentration']

    An allowance saved by the State but not lost by anyone is counted as
    social value on one side only:

    >>> aah = ik.valuation.proxy_from_catalogue("aah_taux_plein_2025")
    >>> saved = ik.OutcomeValuation(outcome="aah_saved", stakeholder="etat",
    ...                             quantity=12, proxy=aah, deadweight=0.5)
    >>> m = m.evolve(base_year=2025)  # the allowance's price year
    >>> [f.code for f in ik.lint(m.evolve(outcomes=[*m.outcomes, saved]))
    ...  if f.code.startswith("transfer")]
    ['transfer_one_side']

    Valued on both sides with opposite signs, it nets out and passes:

    >>> lost = ik.OutcomeValuation(outcome="aah_lost", stakeholder="participants",
    ...     quantity=12, deadweight=0.5,
    ...     proxy=ik.valuation.proxy_from_catalogue("aah_taux_plein_2025", negative=True))
    >>> [f.code for f in ik.lint(m.evolve(outcomes=[*m.outcomes, saved, lost]))
    ...  if f.code.startswith("transfer")]
    []
    """
    out: list[Finding] = []

    def add(code: str, sev: Level, path: tuple[PathElement, ...], msg: str, hint: str) -> None:
        out.append(Finding(code, sev, path, msg, hint))

    for k, ov in enumerate(model.outcomes):
        path: tuple[PathElement, ...] = ("outcomes", k)
        no_notes = not any(f in ov.sources for f in ("deadweight", "attribution"))
        if _is_zero(ov.deadweight) and _is_zero(ov.attribution) and no_notes:
            add(
                "no_counterfactual",
                "warning",
                path,
                f"outcome {ov.outcome!r} claims everything: no deadweight and no attribution",
                "estimate what would have happened anyway and who else contributed, or state "
                "why both are zero in sources",
            )
        if not ov.proxy.source:
            add(
                "proxy_no_source",
                "warning",
                (*path, "proxy", "source"),
                f"the proxy of {ov.outcome!r} has no source",
                "cite where the value comes from",
            )
        if ov.proxy.year is None and model.base_year is not None:
            add(
                "proxy_no_price_year",
                "warning",
                (*path, "proxy", "year"),
                f"the proxy of {ov.outcome!r} has no price year",
                "give the year its prices are expressed in",
            )
        moved = ov.proxy.year is not None and model.base_year not in (None, ov.proxy.year)
        if ov.proxy.index_rule and moved:
            add(
                "proxy_index_rule",
                "warning",
                (*path, "proxy", "year"),
                f"the proxy of {ov.outcome!r} moves with {ov.proxy.index_rule} according to its "
                f"guidance, but the model moves it from {ov.proxy.year} to {model.base_year} "
                "with its price index",
                f"state the value in {model.base_year} terms with a sourced "
                f"{ov.proxy.index_rule} series and give it that price year",
            )
        d = ov.duration
        too_long = (d.support[1] if isinstance(d, Distribution) else float(d)) > max_duration
        if too_long and "duration" not in ov.evidence and "duration" not in ov.sources:
            add(
                "long_duration",
                "warning",
                (*path, "duration"),
                f"{ov.outcome!r} lasts more than {max_duration:g} years with no evidence stated",
                "give the evidence for the duration, or shorten it",
            )
    for p in duplicate_rows(model.outcomes):
        add(
            p.code,
            p.severity,
            p.path,
            p.message,
            "value each outcome once per stakeholder: merge the rows, or tell them apart "
            "(different people, different periods)",
        )
    years = sorted({ov.proxy.year for ov in model.outcomes if ov.proxy.year is not None})
    if model.base_year is None and len(years) > 1:
        add(
            "mixed_price_years",
            "warning",
            ("base_year",),
            f"the proxies are in prices of {', '.join(map(str, years))} and the model has no "
            "base year: their values are added without being moved to one year's prices",
            "give the model a base_year and a price_index (the INSEE consumer price index for "
            "France), or state every proxy in the same year's prices",
        )
    if model.inputs and not any(i.in_kind for i in model.inputs):
        add(
            "no_in_kind_inputs",
            "info",
            ("inputs",),
            "no non-cash input is declared",
            "value volunteer time, free premises and donated goods at market or replacement "
            "cost, or state that there are none",
        )
    out += _transfer_findings(model)
    if model.toc is not None:
        valued = {ov.outcome: ov.stakeholder for ov in model.outcomes}
        for p in model.toc.problems(valued):
            if p.code == "double_counting":
                add(
                    "double_counting",
                    "warning",
                    ("toc", *p.path),
                    p.message,
                    "value only the last material outcome of a chain unless the earlier one "
                    "has a distinct value for the stakeholder",
                )
            elif p.severity == "error":
                add(
                    "toc_error",
                    "error",
                    ("toc", *p.path),
                    p.message,
                    f"add an indicator: toc.add_indicator({p.path[1]!r}, 'id', label='...')"
                    if p.code == "no_indicator"
                    else "fix the theory of change (impactkit validate lists its rules)",
                )
        valued_sh = {ov.stakeholder for ov in model.outcomes}
        for s in model.toc.stakeholders:
            if s.id not in valued_sh:
                add(
                    "unvalued_stakeholder",
                    "info",
                    ("toc", "stakeholders", s.id),
                    f"stakeholder {s.id!r} has no valued outcome",
                    "involve them and value what changes for them, or say why it is not material",
                )
    if model.outcomes and model.inputs:
        try:
            from impactkit.methods import sroi

            res = sroi(model, data=data)
        except ValidationError as exc:
            add(
                "not_evaluated",
                "info",
                ("outcomes",),
                f"materiality not checked: {exc.problems[0].message}",
                "pass data= to evaluate measured quantities",
            )
        else:
            for code, sentence in concentration_sentences(
                res, concentration=concentration, illustrative=illustrative
            ):
                add(
                    code,
                    "warning",
                    ("outcomes",),
                    sentence,
                    "value the other material outcomes, or show how the result changes "
                    "without this one"
                    if code == "value_concentration"
                    else "replace illustrative proxies with sourced figures, or report the "
                    "result as illustrative",
                )
            total = abs(res.present_value)
            for k, share in enumerate(
                res.by_outcome["present_value"].abs() / total if total else []
            ):
                if share < materiality:
                    add(
                        "immaterial",
                        "info",
                        ("outcomes", k),
                        f"{model.outcomes[k].outcome!r} is {share:.2%} of the present value",
                        "include it only if leaving it out could change a decision "
                        "(relevance and significance)",
                    )
    out += _engagement_findings(model)
    order = {"error": 0, "warning": 1, "info": 2}
    return sorted(out, key=lambda f: order[f.severity])


def _sign(ov: Any) -> float:
    """The sign of a row's value: its proxy's central value times a fixed quantity's sign."""
    sign = 1.0 if ov.proxy.central_value >= 0 else -1.0
    q = ov.quantity
    if not isinstance(q, Distribution) and not callable(getattr(q, "compute", None)):
        sign *= -1.0 if float(q) < 0 else 1.0
    return sign


def _transfer_findings(model: ImpactModel) -> list[Finding]:
    """Transfers valued once, twice with one sign, and allowances earmarked to buy help.

    Rows naming the same transfer are grouped: a group with both signs nets
    the transfer out (correct); one row alone counts it as social value on
    one side; a second row with the sign of an earlier one counts it twice.
    """
    out: list[Finding] = []
    groups: dict[str, list[int]] = {}
    for k, ov in enumerate(model.outcomes):
        if ov.proxy.transfer:
            groups.setdefault(ov.proxy.transfer, []).append(k)
        if ov.proxy.benefit_in_kind:
            out.append(
                Finding(
                    "benefit_in_kind",
                    "info",
                    ("outcomes", k, "proxy"),
                    f"the proxy of {ov.outcome!r} is an allowance earmarked to buy help: a "
                    "saving only if the help is no longer consumed",
                    "count the amount actually spent (a notified plan is more than what is "
                    "consumed) and only for help no longer needed",
                )
            )
    for name, rows in groups.items():
        first: dict[float, int] = {}
        for k in rows:
            sign = _sign(model.outcomes[k])
            if sign in first:
                out.append(
                    Finding(
                        "transfer_twice",
                        "warning",
                        ("outcomes", k, "proxy", "transfer"),
                        f"transfer {name!r} is valued in outcomes[{first[sign]}] and here, "
                        "with the same sign",
                        "a transfer is a gain to one party and a loss to another: value it "
                        "once on each side with opposite signs, or not at all",
                    )
                )
            first.setdefault(sign, k)
        if len(rows) == 1:
            k = rows[0]
            ov = model.outcomes[k]
            out.append(
                Finding(
                    "transfer_one_side",
                    "warning",
                    ("outcomes", k, "proxy", "transfer"),
                    f"transfer {name!r} is counted as social value for {ov.stakeholder!r} "
                    "only: it is a gain to one party and a loss to another",
                    "value the other side with the opposite sign (they cancel in the society "
                    "view), or leave it out of the SROI and show it in the public-finance view",
                )
            )
    return out


CONCENTRATION_CODES = ("value_concentration", "illustrative_share")
"""The finding codes :func:`concentration_sentences` writes."""

_CONCENTRATION = {
    "en": {
        "value_concentration": "{share} of the value rests on one outcome: {outcome}.",
        "illustrative_share": "{share} of the value rests on illustrative or unsourced "
        "financial proxies.",
    },
    "fr": {
        "value_concentration": "{share} de la valeur repose sur un seul effet : {outcome}.",
        "illustrative_share": "{share} de la valeur repose sur des valeurs monétaires "
        "d'illustration ou sans source.",
    },
}


def _illustrative_source(source: str) -> bool:
    """A proxy is illustrative when it has no source or its source says so."""
    text = source.strip().lower()
    return not text or "illustrati" in text


def concentration_sentences(
    result: SROIResult,
    *,
    lang: str = "en",
    concentration: float = 0.8,
    illustrative: float = 0.5,
    labels: Mapping[str, str] | None = None,
    pct: Callable[[float], str] | None = None,
) -> list[tuple[str, str]]:
    r"""Sentences saying where the value of an SROI is concentrated.

    The one formula behind :func:`lint`'s ``value_concentration`` and
    ``illustrative_share`` findings and the report's sentences. Shares are
    of the positive present value of the rows that are not transfers
    (rows naming ``proxy.transfer`` move money; they are checked apart):

    .. math:: s_o = \frac{\sum_{k \in o} \max(PV_k, 0)}{\sum_k \max(PV_k, 0)}

    for the rows :math:`k` of outcome :math:`o`, and the same sum over the
    rows whose proxy has no source or a source saying "illustrative".

    Parameters
    ----------
    result : SROIResult
    lang : {"en", "fr"}, default "en"
    concentration : float, default 0.8
        One outcome's share from which a sentence is written.
    illustrative : float, default 0.5
        Illustrative share from which a sentence is written.
    labels : mapping of str to str, optional
        Labels of the outcomes, by id (the id, quoted, otherwise).
    pct : callable, optional
        Formats a share (default: a whole percentage).

    Returns
    -------
    list of (code, sentence)
        ``value_concentration`` and ``illustrative_share``, when reached.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="job", stakeholder="s", quantity=9,
    ...                                   proxy=ik.FinancialProxy(100, source="INSEE")),
    ...               ik.OutcomeValuation(outcome="calm", stakeholder="s", quantity=1,
    ...                                   proxy=100)])
    >>> concentration_sentences(ik.sroi(m))  # doctest: +NORMALIZE_WHITESPACE
    [('value_concentration', "90% of the value rests on one outcome: 'job'.")]
    """
    texts = _CONCENTRATION["fr" if lang == "fr" else "en"]

    def fmt(x: float) -> str:
        if pct is not None:
            return pct(x)
        return f"{100 * x:.0f}\u00a0%" if lang == "fr" else f"{100 * x:.0f}%"

    model = result.model
    bo = result.by_outcome
    transfer = [bool(ov.proxy.transfer) for ov in model.outcomes] if model is not None else []
    sources = [ov.proxy.source for ov in model.outcomes] if model is not None else []
    if len(transfer) != len(bo):
        transfer = [False] * len(bo)
        sources = [str(x) for x in bo["proxy_source"]]
    pv = bo["present_value"].clip(lower=0.0).to_numpy(dtype=float)
    keep = ~pd.Series(transfer, dtype=bool).to_numpy()
    total = float(pv[keep].sum())
    out: list[tuple[str, str]] = []
    if total <= 0:
        return out
    by_outcome = pd.Series(pv[keep], index=bo["outcome"].to_numpy()[keep]).groupby(level=0).sum()
    top = str(by_outcome.idxmax())
    share = float(by_outcome.max()) / total
    if share >= concentration:
        name = (labels or {}).get(top) or repr(top)
        out.append(
            (
                "value_concentration",
                texts["value_concentration"].format(share=fmt(share), outcome=name),
            )
        )
    ill = sum(float(pv[k]) for k in range(len(pv)) if keep[k] and _illustrative_source(sources[k]))
    if ill / total >= illustrative:
        out.append(
            ("illustrative_share", texts["illustrative_share"].format(share=fmt(ill / total)))
        )
    return out


def _engagement_findings(model: ImpactModel) -> list[Finding]:
    """Involve stakeholders (Social Value International, principle 1).

    A stakeholder with a valued outcome needs an engagement record; a valued
    outcome needs at least one piece of evidence reported by a stakeholder
    (any record with a stakeholder, consented or not: consent governs
    publication, not whether the outcome was heard). A model that records no
    evidence and no engagement at all cannot tell "not involved" from "not
    recorded": the findings are then information (a reminder); once records
    exist, a gap among them is a warning.
    """
    out = []
    sev: Level = "warning" if (model.evidence or model.engagement) else "info"
    engaged = {g.stakeholder for g in model.engagement}
    reported: set[str] = set()
    for e in model.evidence:
        if e.stakeholder:
            reported.update(e.nodes)
            reported.update(t for _, t in e.link_pairs())
    flagged: set[str] = set()
    for k, ov in enumerate(model.outcomes):
        if ov.stakeholder not in engaged and ov.stakeholder not in flagged:
            flagged.add(ov.stakeholder)
            out.append(
                Finding(
                    "no_engagement",
                    sev,
                    ("outcomes", k, "stakeholder"),
                    f"stakeholder {ov.stakeholder!r} has a valued outcome but no engagement "
                    "record",
                    "involve them (interviews, focus groups, surveys) and record it with "
                    "qualitative.Engagement, or explain why they could not be involved",
                )
            )
        if ov.outcome not in reported:
            out.append(
                Finding(
                    "outcome_not_heard",
                    sev,
                    ("outcomes", k, "outcome"),
                    f"outcome {ov.outcome!r} was never reported by a stakeholder: it is "
                    "assumed rather than heard",
                    "check with the stakeholders that this change happens and matters to them; "
                    "record what they say as qualitative.Evidence",
                )
            )
    return out
