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
``long_duration``          a duration over 5 years with no evidence stated
``immaterial``             an outcome under the materiality share of the present value
``no_in_kind_inputs``      no non-cash input (volunteer time, premises, goods)
``double_counting``        two valued outcomes on one causal path for one stakeholder
``transfer_twice``         two rows valuing the same transfer
``unvalued_stakeholder``   a stakeholder of the theory of change with no valued outcome
``toc_error``              an error of the theory of change (see its own rules)
``no_engagement``          a stakeholder with a valued outcome and no engagement record
``outcome_not_heard``      a valued outcome no stakeholder reported (assumed, not heard)
=========================  ==========================================================
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal

import attrs

from impactkit._results import Record, displayed
from impactkit.dist import Distribution
from impactkit.errors import PathElement, ValidationError, format_path
from impactkit.model import ImpactModel, duplicate_rows

__all__ = ["Finding", "lint"]

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
) -> list[Finding]:
    """Check a model against the SROI principles; return every finding.

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
    ['no_counterfactual', 'no_engagement', 'no_in_kind_inputs', 'outcome_not_heard',
     'proxy_no_price_year', 'proxy_no_source']
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
    if model.inputs and not any(i.in_kind for i in model.inputs):
        add(
            "no_in_kind_inputs",
            "info",
            ("inputs",),
            "no non-cash input is declared",
            "value volunteer time, free premises and donated goods at market or replacement "
            "cost, or state that there are none",
        )
    seen: dict[str, int] = {}
    for k, ov in enumerate(model.outcomes):
        t = ov.proxy.transfer
        if t:
            if t in seen:
                add(
                    "transfer_twice",
                    "warning",
                    ("outcomes", k, "proxy", "transfer"),
                    f"transfer {t!r} is valued in outcomes[{seen[t]}] and here",
                    "a transfer is a gain to one party and a loss to another: value it once, "
                    "from one perspective",
                )
            seen.setdefault(t, k)
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
