"""The whole analysis as one immutable value: inputs, outcome valuations, discounting.

:class:`ImpactModel` holds what an SROI value map holds (stakeholders' inputs,
one :class:`OutcomeValuation` per outcome row) with the theory of change it
comes from, the currency, the base price year and the discounting. Every value
is checked on construction: an invalid model cannot exist, so nothing is ever
evaluated from bad input.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any, Literal

import attrs

from impactkit._fields import FIELD_RULES
from impactkit._results import FrozenDict, Summary, html_table
from impactkit._validation import Checker, as_float, did_you_mean, identifier, is_number
from impactkit.discount import Constant, Discount, Schedule
from impactkit.dist import Distribution
from impactkit.errors import Problem, ValidationError
from impactkit.qualitative._records import Engagement, Evidence, evidence_problems
from impactkit.toc import TheoryOfChange
from impactkit.typing import DeadweightCalculator, MeasureCalculator
from impactkit.valuation import FinancialProxy, PriceIndex, _check_currency

__all__ = [
    "EVIDENCE_GRADES",
    "ImpactModel",
    "Input",
    "OutcomeValuation",
]

EVIDENCE_GRADES: tuple[str, ...] = (
    "rct",
    "quasi_experimental",
    "theory_based",
    "monitoring_only",
    "stakeholder_judgement",
    "literature",
    "judgement",
)
"""Evidence behind an assumption (docs/methods/conventions.md, impactkit convention)."""

HAIRCUTS: tuple[str, ...] = ("deadweight", "displacement", "attribution", "leakage")
NOTE_FIELDS: tuple[str, ...] = (
    "quantity",
    "proxy",
    "duration",
    "start_year",
    *HAIRCUTS,
    "drop_off",
)


def _is_calculator(value: object) -> bool:
    return callable(getattr(value, "compute", None)) and hasattr(value, "data")


def _number(x: Any) -> Any:
    if isinstance(x, Distribution):
        return x
    return as_float(x)


def _proxy(x: Any) -> Any:
    if isinstance(x, FinancialProxy):
        return x
    if isinstance(x, Distribution) or is_number(x):
        return FinancialProxy(x)
    return x


def _str_map(x: Any) -> Any:
    return FrozenDict(dict(x)) if isinstance(x, Mapping) else x


TEXT_LANGS = ("en", "fr")
"""Languages a model's texts can be given in."""


def _translations(x: Any) -> Any:
    if not isinstance(x, Mapping):
        return x
    return FrozenDict({k: _str_map(v) for k, v in x.items()})


def _check_translations(c: Checker, x: Any) -> None:
    if not isinstance(x, Mapping):
        c.add("translations", "type", "expected a mapping of languages to texts")
        return
    for lang, texts in x.items():
        if lang not in TEXT_LANGS:
            c.add(
                ("translations", str(lang)),
                "invalid_choice",
                f"a language is one of {', '.join(TEXT_LANGS)}, got {lang!r}",
            )
        if not isinstance(texts, Mapping):
            c.add(("translations", str(lang)), "type", "expected a mapping of text to text")
            continue
        for k, v in texts.items():
            if not isinstance(k, str) or not isinstance(v, str):
                c.add(
                    ("translations", str(lang), str(k)),
                    "type",
                    f"a translation maps text to text, got {k!r}: {v!r}",
                )


def _plain(x: Any) -> Any:
    """Metadata as a read-only value: mappings frozen, lists and tuples as tuples."""
    if isinstance(x, Mapping):
        return FrozenDict({k: _plain(v) for k, v in x.items()})
    if isinstance(x, list | tuple):
        return tuple(_plain(v) for v in x)
    return x


@attrs.frozen
class Input:
    """A contribution needed for the activity (money or non-cash).

    Parameters
    ----------
    label : str
        What it is (``"Grant"``, ``"Volunteer time"``); not empty.
    amount : float or Distribution
        Value [currency], non-negative.
    stakeholder : str, optional
        Who contributes it.
    year : int, default 0
        Year it is spent; year 0 is not discounted, later years are.
    in_kind : bool, default False
        True for non-cash inputs valued at market or replacement cost.
    source, description : str, optional
        Justification and details.

    Examples
    --------
    >>> Input("Grant", amount=100_000, stakeholder="funder").amount
    100000.0
    """

    label: str
    amount: float | Distribution = attrs.field(kw_only=True, converter=_number)
    stakeholder: str = attrs.field(default="", kw_only=True, converter=identifier)
    year: int = attrs.field(default=0, kw_only=True)
    in_kind: bool = attrs.field(default=False, kw_only=True)
    source: str = attrs.field(default="", kw_only=True)
    description: str = attrs.field(default="", kw_only=True)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.label, "label", empty=False)
        c.extend(FIELD_RULES["amount"].problems(self.amount, ("amount",)))
        c.ident(self.stakeholder, "stakeholder", empty=True)
        yr = FIELD_RULES["year"]
        c.number(self.year, "year", low=yr.low, high=yr.high, integer=True)
        if not isinstance(self.in_kind, bool):
            c.add("in_kind", "type", "expected true or false")
        c.text(self.source, "source")
        c.text(self.description, "description")
        c.raise_if_errors()


@attrs.frozen
class OutcomeValuation:
    r"""One row of the value map: an outcome for a stakeholder, its quantity and value.

    Parameters
    ----------
    outcome : str
        Outcome id (a node of the theory of change when the model has one).
    stakeholder : str
        Stakeholder experiencing the outcome.
    quantity : float, Distribution or calculator
        How many units (usually people) experience the outcome [units], >= 0;
        or a measurement calculator (:mod:`impactkit.measure`) bound to a data
        source, resolved when the model is evaluated with ``data=``.
    proxy : FinancialProxy, float or Distribution
        Value of one unit for one year; a number becomes a proxy in the model's
        currency and base year.
    duration : float or Distribution, default 1
        How many years the outcome lasts [years]. A number must be whole; a
        distribution may give fractional years, whose last year counts pro rata.
    start_year : int, default 1
        Year of the outcome's first value: 1 during the activity period, 2 the
        period after, a later year for a forecast's later cohorts (whole years
        up to 100).
    deadweight, displacement, attribution, leakage : float or Distribution
        Haircuts [fraction, 0-1]; leakage defaults to 0. The deadweight may
        also be measured from data with
        :class:`impactkit.attribution.CounterfactualDeadweight`.
    drop_off : float or Distribution, default 0
        Yearly decline after the first year [fraction, 0-1].
    drop_off_method : {"compound", "linear"}, default "compound"
        The SROI Guide deducts drop-off from the remaining level each year
        (compound); ``"linear"`` deducts ``drop_off`` of the first-year value
        each year.
    label : str, optional
        Outcome description in the stakeholder's words.
    indicator : str, optional
        Indicator used to measure the quantity.
    sources : mapping of str to str, optional
        Source of each assumption, keyed by field name (``{"deadweight": ...}``).
    evidence : mapping of str to str, optional
        Evidence grade of each assumption, keyed by field name, from
        :data:`EVIDENCE_GRADES`.

    Notes
    -----
    The value of row :math:`k` in year :math:`t` is

    .. math::
        V_k(t) = Q_k P_k (1 - DW_k)(1 - DS_k)(1 - AT_k)(1 - LK_k)\,
                 (1 - d_k)^{t - s_k}, \qquad s_k \le t \le s_k + D_k - 1

    (SROI Guide 2012, stage 4; docs/methods/sroi.md).

    Examples
    --------
    >>> ov = OutcomeValuation(outcome="employed", stakeholder="participants", quantity=45,
    ...                       proxy=8000, duration=3, deadweight=0.25, attribution=0.2)
    >>> ov.proxy.value
    8000.0
    """

    outcome: str = attrs.field(kw_only=True, converter=identifier)
    stakeholder: str = attrs.field(kw_only=True, converter=identifier)
    quantity: float | Distribution | MeasureCalculator = attrs.field(
        kw_only=True, converter=_number
    )
    proxy: FinancialProxy = attrs.field(kw_only=True, converter=_proxy)
    duration: float | Distribution = attrs.field(default=1.0, kw_only=True, converter=_number)
    start_year: int = attrs.field(default=1, kw_only=True)
    deadweight: float | Distribution | DeadweightCalculator = attrs.field(
        default=0.0, kw_only=True, converter=_number
    )
    displacement: float | Distribution = attrs.field(default=0.0, kw_only=True, converter=_number)
    attribution: float | Distribution = attrs.field(default=0.0, kw_only=True, converter=_number)
    leakage: float | Distribution = attrs.field(default=0.0, kw_only=True, converter=_number)
    drop_off: float | Distribution = attrs.field(default=0.0, kw_only=True, converter=_number)
    drop_off_method: str = attrs.field(default="compound", kw_only=True)
    label: str = attrs.field(default="", kw_only=True)
    indicator: str = attrs.field(default="", kw_only=True)
    sources: Mapping[str, str] = attrs.field(factory=dict, kw_only=True, converter=_str_map)
    evidence: Mapping[str, str] = attrs.field(factory=dict, kw_only=True, converter=_str_map)

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.ident(self.outcome, "outcome")
        c.ident(self.stakeholder, "stakeholder")
        if not _is_calculator(self.quantity):
            c.extend(FIELD_RULES["quantity"].problems(self.quantity, ("quantity",)))
        if not isinstance(self.proxy, FinancialProxy):
            c.add("proxy", "type", f"expected a FinancialProxy or a number, got {self.proxy!r}")
        c.extend(FIELD_RULES["duration"].problems(self.duration, ("duration",)))
        start = FIELD_RULES["start_year"]
        if not (is_number(self.start_year) and not start.bad([self.start_year])[0]):
            c.add(
                "start_year",
                "out_of_range",
                f"must be a whole year from 1 (during the activity; 2 is the period after) "
                f"to {start.high:g}, got {self.start_year!r}",
            )
        for h in (*HAIRCUTS, "drop_off"):
            if h == "deadweight" and _is_calculator(self.deadweight):
                continue
            c.extend(FIELD_RULES[h].problems(getattr(self, h), (h,)))
        c.choice(self.drop_off_method, "drop_off_method", ("compound", "linear"))
        c.text(self.label, "label")
        c.text(self.indicator, "indicator")
        for name, allowed in (("sources", None), ("evidence", EVIDENCE_GRADES)):
            notes = getattr(self, name)
            if not isinstance(notes, Mapping):
                c.add(name, "type", "expected a mapping of field name to text")
                continue
            for k, v in notes.items():
                if k not in NOTE_FIELDS:
                    c.add(
                        (name, str(k)),
                        "unknown_key",
                        f"notes are keyed by field{did_you_mean(k, NOTE_FIELDS)}: "
                        f"{', '.join(NOTE_FIELDS)}",
                    )
                elif allowed is not None:
                    c.choice(v, (name, k), allowed)
                else:
                    c.text(v, (name, k))
        c.raise_if_errors()
        if is_number(self.start_year):
            object.__setattr__(self, "start_year", int(self.start_year))

    @property
    def has_uncertainty(self) -> bool:
        """True when any field is a distribution."""
        fields = [getattr(self, f) for f in ("quantity", "duration", *HAIRCUTS, "drop_off")]
        fields = [f for f in fields if not _is_calculator(f)]
        return any(isinstance(x, Distribution) for x in [*fields, self.proxy.value])


def _inputs(x: Iterable[Input]) -> tuple[Input, ...]:
    return tuple(x)


def _outcomes(x: Iterable[OutcomeValuation]) -> tuple[OutcomeValuation, ...]:
    return tuple(x)


def _copy_toc(t: Any) -> Any:
    # a frozen copy: neither the caller's later edits nor the model's users can change it
    return t.frozen() if isinstance(t, TheoryOfChange) else t


def _discount(d: Any) -> Any:
    if is_number(d) or isinstance(d, Distribution):
        return Constant(d)
    return d


def _price_index(x: Any) -> Any:
    if x is None or isinstance(x, PriceIndex):
        return x
    return PriceIndex(x)


@attrs.frozen
class ImpactModel:
    """A complete impact analysis as one immutable value.

    Parameters
    ----------
    name : str
        Name of the analysis (not empty).
    currency : str, default "EUR"
        ISO 4217 code every money value is expressed in.
    base_year : int, optional
        Price year of the analysis; proxies of other price years are indexed
        to it with ``price_index``.
    discount : Constant, Schedule or float, default Constant(0.035)
        Discounting (:mod:`impactkit.discount`); a number is a constant rate.
    toc : TheoryOfChange, optional
        The theory of change; the model keeps its own frozen copy
        (:meth:`TheoryOfChange.frozen`), which cannot be changed.
    inputs : sequence of Input
        Contributions (the SROI denominator).
    outcomes : sequence of OutcomeValuation
        The value-map rows.
    price_index : PriceIndex or mapping, optional
        Index used to move proxies to ``base_year``.
    first_flow_at : {"t1", "t0"}, default "t1"
        Timing convention. ``"t1"`` (SROI Guide, Excel ``NPV``): benefit year
        1 is discounted once, year-0 inputs are not discounted. ``"t0"``
        (``numpy_financial.npv``): benefit year ``t`` and input year ``t >= 1``
        sit at period ``t - 1``.
    mode : {"forecast", "evaluative"}, default "forecast"
        Whether the figures are planned or measured (SROI Guide).
    description : str, optional
        Free text.
    metadata : mapping, optional
        Plain data (text, finite numbers, lists, mappings) kept with the
        model, read-only: mappings are held frozen and lists as tuples, so a
        model read back from its file is equal to the one written.
    evidence : sequence of qualitative.Evidence, optional
        Qualitative evidence linked to nodes and links of the theory of change
        (:mod:`impactkit.qualitative`); an unknown node is an error at
        ``evidence[i].nodes[j]``.
    engagement : sequence of qualitative.Engagement, optional
        How each stakeholder group was involved.
    lang : {"en", "fr"}, default "en"
        Language the model's texts are written in (descriptions, labels,
        sources); reports are written in it unless asked otherwise (one
        default language across impactkit: English). Not part of equality:
        it says how the texts read, not what the analysis is.
    translations : mapping of str to mapping of str to str, optional
        The model's texts in other languages: for each language (``"en"``,
        ``"fr"``), each text as written in the model mapped to the same text
        in that language, e.g. ``{"en": {"Sans l'accompagnement": "Without
        the support"}}``. A report in that language shows the translation of
        every description, label, source and justification it has one for
        (see docs/reference/file_format.md, "Texts in two languages").

    Raises
    ------
    ValidationError
        Every problem at once, with paths such as ``outcomes[3].deadweight``:
        wrong types, values out of range, proxies in another currency, price
        years without an index.

    See Also
    --------
    impactkit.sroi : evaluate the model.
    impactkit.monte_carlo : sample its distributions.

    Examples
    --------
    A supported-employment service (*emploi accompagné*): 18 people in
    ordinary work, valued at 9,000 a year each for three years, of whom a
    quarter would have found work anyway:

    >>> import impactkit as ik
    >>> model = ImpactModel(
    ...     name="Emploi accompagné", discount=0.035,
    ...     inputs=[Input("Dotation ARS", amount=120_000, stakeholder="ARS")],
    ...     outcomes=[OutcomeValuation(outcome="emploi_ordinaire", stakeholder="participants",
    ...                                quantity=18, proxy=9_000, deadweight=0.25,
    ...                                attribution=0.2, drop_off=0.1, duration=3)])
    >>> model.discount.rate, len(model.outcomes)
    (0.035, 1)
    >>> round(ik.sroi(model).ratio, 4)
    2.0549
    """

    name: str
    currency: str = "EUR"
    base_year: int | None = None
    discount: Discount = attrs.field(factory=lambda: Constant(0.035), converter=_discount)
    toc: TheoryOfChange | None = attrs.field(default=None, converter=_copy_toc)
    inputs: tuple[Input, ...] = attrs.field(default=(), converter=_inputs)
    outcomes: tuple[OutcomeValuation, ...] = attrs.field(default=(), converter=_outcomes)
    price_index: PriceIndex | None = attrs.field(default=None, converter=_price_index)
    first_flow_at: Literal["t1", "t0"] = "t1"
    mode: Literal["forecast", "evaluative"] = "forecast"
    description: str = ""
    metadata: Mapping[str, Any] = attrs.field(factory=dict, converter=_plain)
    evidence: tuple[Evidence, ...] = attrs.field(
        default=(), converter=tuple, validator=lambda s, a, v: _check_records(s)
    )
    engagement: tuple[Engagement, ...] = attrs.field(default=(), converter=tuple)
    lang: str = attrs.field(default="en", eq=False)
    translations: Mapping[str, Mapping[str, str]] = attrs.field(
        factory=dict, converter=_translations
    )

    def __attrs_post_init__(self) -> None:
        c = Checker()
        c.text(self.name, "name", empty=False)
        c.choice(self.lang, "lang", TEXT_LANGS)
        _check_translations(c, self.translations)
        _check_currency(c, self.currency, "currency")
        if self.base_year is not None:
            c.number(self.base_year, "base_year", low=1800, high=2200, integer=True)
        if not isinstance(self.discount, Constant | Schedule):
            c.add("discount", "type", f"expected a discount object, got {self.discount!r}")
        if self.toc is not None and not isinstance(self.toc, TheoryOfChange):
            c.add("toc", "type", f"expected a TheoryOfChange, got {type(self.toc).__name__}")
        for i, inp in enumerate(self.inputs):
            if not isinstance(inp, Input):
                c.add(("inputs", i), "type", f"expected an Input, got {type(inp).__name__}")
        for i, ov in enumerate(self.outcomes):
            if not isinstance(ov, OutcomeValuation):
                c.add(
                    ("outcomes", i),
                    "type",
                    f"expected an OutcomeValuation, got {type(ov).__name__}",
                )
            else:
                self._check_proxy(c, i, ov.proxy)
        c.choice(self.first_flow_at, "first_flow_at", ("t1", "t0"))
        c.choice(self.mode, "mode", ("forecast", "evaluative"))
        c.text(self.description, "description")
        if not isinstance(self.metadata, Mapping):
            c.add("metadata", "type", "expected a mapping")
        else:
            _check_plain(c, self.metadata, ("metadata",))
        c.raise_if_errors()

    def _check_proxy(self, c: Checker, i: int, p: FinancialProxy) -> None:
        path = ("outcomes", i, "proxy")
        if p.currency is not None and p.currency != self.currency:
            c.add(
                (*path, "currency"),
                "currency_mismatch",
                f"proxy is in {p.currency} but the model is in {self.currency}; convert it "
                "explicitly (impactkit never converts currencies silently)",
            )
        if p.year is None:
            return
        if self.base_year is None:
            return
        if p.year != self.base_year:
            if self.price_index is None:
                c.add(
                    (*path, "year"),
                    "price_year",
                    f"proxy is in {p.year} prices but the model's base year is "
                    f"{self.base_year}; give the model a price_index",
                )
            elif isinstance(self.price_index, PriceIndex):
                for y in (p.year, self.base_year):
                    if y not in self.price_index.values:
                        c.add(
                            (*path, "year"),
                            "price_year",
                            f"price index {self.price_index.name!r} has no value for {y}",
                        )

    def proxy_factor(self, i: int) -> float:
        """Multiplier that moves the proxy of row ``i`` to base-year prices.

        Parameters
        ----------
        i : int
            Row number (``outcomes[i]``).

        Returns
        -------
        float
            1.0 when the proxy is already in base-year prices.
        """
        p = self.outcomes[i].proxy
        if p.year is None or self.base_year is None or p.year == self.base_year:
            return 1.0
        if self.price_index is None:  # pragma: no cover - prevented by validation
            raise ValidationError("no price index", path=("price_index",))
        return self.price_index.factor(p.year, self.base_year)

    # ------------------------------------------------------------------ checks
    def problems(self) -> list[Problem]:
        """Consistency problems of the model with its theory of change.

        Field values are already valid (checked on construction). This adds:
        every rule of the theory of change (paths under ``toc``), the value-map
        rules (valued outcomes need an indicator and a stakeholder; double
        counting on a causal path), outcomes or stakeholders the theory of
        change does not know, a valuation stakeholder that differs from its
        outcome node's, and duplicated rows (:func:`duplicate_rows`).

        Returns
        -------
        list of Problem
            Errors first, then warnings.
        """
        c = Checker()
        if self.toc is not None:
            valued = {ov.outcome: ov.stakeholder for ov in self.outcomes}
            c.extend(self.toc.problems(valued), "toc")
            known_sh = {s.id for s in self.toc.stakeholders}
            for i, ov in enumerate(self.outcomes):
                path = ("outcomes", i)
                if ov.outcome not in self.toc:
                    c.add(
                        (*path, "outcome"),
                        "unknown_node",
                        f"outcome {ov.outcome!r} is not a node of the theory of change",
                    )
                else:
                    node = self.toc.node(ov.outcome)
                    if node.kind not in ("outcome", "impact"):
                        c.add(
                            (*path, "outcome"),
                            "not_an_outcome",
                            f"{ov.outcome!r} is a {node.kind}, not an outcome",
                        )
                    if node.stakeholder is not None and node.stakeholder != ov.stakeholder:
                        c.add(
                            (*path, "stakeholder"),
                            "stakeholder_mismatch",
                            f"the theory of change gives outcome {ov.outcome!r} to "
                            f"{node.stakeholder!r}, not {ov.stakeholder!r}",
                        )
                    if node.above_ceiling and ov.attribution == 0.0:
                        c.add(
                            (*path, "attribution"),
                            "attribution_above_ceiling",
                            f"outcome {ov.outcome!r} is above the ceiling of accountability "
                            "but claimed as fully attributable",
                            "warning",
                        )
                if ov.stakeholder not in known_sh:
                    c.add(
                        (*path, "stakeholder"),
                        "unknown_stakeholder",
                        f"stakeholder {ov.stakeholder!r} is not in the theory of change",
                    )
        c.extend(duplicate_rows(self.outcomes))
        for i, ov in enumerate(self.outcomes):
            d = ov.duration
            if not isinstance(d, Distribution) and d > 10 and "duration" not in ov.evidence:
                c.add(
                    ("outcomes", i, "duration"),
                    "long_duration",
                    f"duration of {d:g} years without stated evidence",
                    "warning",
                )
        return sorted(c.problems, key=lambda p: p.severity != "error")

    def validate(self) -> None:
        """Raise :class:`~impactkit.ValidationError` with every problem if any is an error."""
        probs = self.problems()
        if any(p.severity == "error" for p in probs):
            raise ValidationError(probs)

    @property
    def has_uncertainty(self) -> bool:
        """True when any field of the model is a distribution."""
        return (
            any(ov.has_uncertainty for ov in self.outcomes)
            or any(isinstance(i.amount, Distribution) for i in self.inputs)
            or (
                isinstance(self.discount, Constant)
                and isinstance(self.discount.rate, Distribution)
            )
        )

    def _facts(self) -> tuple[tuple[str, str], ...]:
        """What the model is, without computing it: counts and settings (no ratio)."""
        d = self.discount
        if isinstance(d, Constant):
            rate = d.rate
            discount = "uncertain rate" if isinstance(rate, Distribution) else f"{rate:.2%}"
        else:
            discount = f"schedule of {len(d.bands)} bands"
        stakeholders = {ov.stakeholder for ov in self.outcomes}
        facts = [
            ("Outcomes", str(len(self.outcomes))),
            ("Inputs", str(len(self.inputs))),
            ("Stakeholders valued", str(len(stakeholders))),
            ("Theory of change", "-" if self.toc is None else f"{len(self.toc)} nodes"),
            ("Currency", self.currency),
            ("Base year", "-" if self.base_year is None else str(self.base_year)),
            ("Discount", discount),
            ("Mode", self.mode),
            ("Uncertain figures", "yes" if self.has_uncertainty else "no"),
        ]
        if self.evidence or self.engagement:
            facts.append(("Evidence records", str(len(self.evidence))))
            facts.append(("Engagement records", str(len(self.engagement))))
        return tuple(facts)

    def __repr__(self) -> str:
        name = self.name if len(self.name) <= 60 else self.name[:59] + "\u2026"
        toc = "" if self.toc is None else f", {len(self.toc)} ToC nodes"
        year = "" if self.base_year is None else f" {self.base_year}"
        return (
            f"<ImpactModel {name!r}: {len(self.outcomes)} outcomes, {len(self.inputs)} inputs"
            f"{toc}; {self.currency}{year}, {self.mode}>"
        )

    def _repr_html_(self) -> str:
        return html_table(Summary(f"Impact model - {self.name}", self._facts()))

    def evolve(self, **changes: Any) -> ImpactModel:
        """A copy with some fields changed (``attrs.evolve``).

        Parameters
        ----------
        **changes
            Fields to change, by name.

        Returns
        -------
        ImpactModel
            Validated like any new model.
        """
        return attrs.evolve(self, **changes)


def _check_records(model: ImpactModel) -> None:
    """Evidence and engagement records: types, unique ids, known nodes, links, stakeholders."""
    toc = model.toc if isinstance(model.toc, TheoryOfChange) else None
    probs = evidence_problems(model.evidence, model.engagement, toc)
    if probs:
        raise ValidationError(probs)


def _check_plain(c: Checker, value: Any, path: tuple[str | int, ...], depth: int = 0) -> None:
    """Metadata must be plain data that a model file can carry."""
    if depth > 20:
        c.add(path, "too_deep", "metadata nests too deeply")
    elif isinstance(value, Mapping):
        for k, v in value.items():
            if not isinstance(k, str):
                c.add(path, "type", f"metadata keys must be text, got {k!r}")
            else:
                _check_plain(c, v, (*path, k), depth + 1)
    elif isinstance(value, list | tuple):
        for i, v in enumerate(value):
            _check_plain(c, v, (*path, i), depth + 1)
    elif isinstance(value, float) and not math.isfinite(value):
        c.add(path, "not_finite", f"metadata holds finite numbers only, got {value!r}")
    elif value is not None and not isinstance(value, str | bool | int | float):
        c.add(path, "type", f"metadata holds plain data only, got {type(value).__name__}")


def outcome_ids(outcomes: Iterable[OutcomeValuation]) -> list[str]:
    """Outcome ids of the rows, in order."""
    return [ov.outcome for ov in outcomes]


_VALUE_FIELDS = ("quantity", "duration", "start_year", *HAIRCUTS, "drop_off", "drop_off_method")


def _hashable(x: Any) -> Any:
    try:
        hash(x)
    except TypeError:
        return repr(x)
    return x


def duplicate_rows(outcomes: Iterable[OutcomeValuation]) -> list[Problem]:
    """Value-map rows that count the same value twice.

    Parameters
    ----------
    outcomes : iterable of OutcomeValuation
        The rows of a value map.

    Returns
    -------
    list of Problem
        ``duplicate_row`` (error) for a row identical to an earlier one;
        ``duplicate_outcome`` (warning) for the same outcome of the same
        stakeholder valued again with other figures; ``similar_rows``
        (warning) for a row of the same stakeholder with the same figures
        (quantity, proxy value, duration, haircuts) under another outcome
        id. Each names the earlier row.

    Examples
    --------
    >>> ov = OutcomeValuation(outcome="o", stakeholder="s", quantity=10, proxy=100)
    >>> [p.code for p in duplicate_rows([ov, ov])]
    ['duplicate_row']
    """
    rows = list(outcomes)
    first_same: dict[Any, int] = {}
    first_outcome: dict[tuple[str, str], int] = {}
    first_figures: dict[Any, int] = {}
    out: list[Problem] = []
    for k, ov in enumerate(rows):
        path = ("outcomes", k)
        same = _hashable(ov)
        figures = (
            ov.stakeholder,
            _hashable(ov.proxy.value),
            ov.proxy.year,
            *(_hashable(getattr(ov, f)) for f in _VALUE_FIELDS),
        )
        if same in first_same and rows[first_same[same]] == ov:
            out.append(
                Problem(
                    path,
                    "duplicate_row",
                    f"repeats outcomes[{first_same[same]}] exactly: its value would be "
                    "counted twice",
                )
            )
            continue
        first_same.setdefault(same, k)
        key = (ov.outcome, ov.stakeholder)
        if key in first_outcome:
            out.append(
                Problem(
                    path,
                    "duplicate_outcome",
                    f"outcome {ov.outcome!r} of {ov.stakeholder!r} is already valued in "
                    f"outcomes[{first_outcome[key]}]: double counting unless the rows cover "
                    "different people or periods",
                    "warning",
                )
            )
        elif figures in first_figures:
            out.append(
                Problem(
                    path,
                    "similar_rows",
                    f"same stakeholder and the same figures as outcomes[{first_figures[figures]}] "
                    f"under another outcome id: is {ov.outcome!r} the same change counted twice?",
                    "warning",
                )
            )
        first_outcome.setdefault(key, k)
        first_figures.setdefault(figures, k)
    return out
