"""What a report says: its content, computed once, and its words and figures.

:func:`analyse` runs the analyses, :func:`build` packages results computed
elsewhere; the presenters (:mod:`impactkit.report._html`,
:mod:`impactkit.report._markdown`, :mod:`impactkit.report._pdf`) show the same
:class:`ReportContent`, labelled and formatted here, so that every format says
the same thing.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit._i18n import Formatter, t
from impactkit._results import Summary, displayed, jsonable
from impactkit.errors import ValidationError
from impactkit.methods import SROIResult
from impactkit.model import ROW_FIELDS, ImpactModel
from impactkit.report._event_study import event_study_table
from impactkit.typing import SeedLike

__all__ = ["ReportContent", "analyse", "build"]

_MONEY = {
    "present_value",
    "impact",
    "proxy_value",
    "total_value",
    "amount",
    "value",
    "cumulative_present_value",
    "net_present_value",
    "total_inputs",
}
_YEARS = {"price_year", "base_year"}
_PCT = {"share", "deadweight", "displacement", "attribution", "leakage", "drop_off"}


def _cell(col: str, v: Any, f: Formatter) -> tuple[str, bool]:
    if v is None or (isinstance(v, float) and v != v):
        return "", False
    if isinstance(v, bool):
        return f.t("yes" if v else "no"), False
    if isinstance(v, int | float) and not isinstance(v, bool):
        if col in _YEARS:
            return f.year(float(v)), True
        if col in _MONEY or col.startswith("year_"):
            return f.money(float(v)), True
        if col in _PCT:
            return f.share(float(v)), True
        if col in ("discount_factor",):
            return f.number(float(v), decimals=4), True
        return f.number(float(v), decimals=0 if float(v).is_integer() else 2), True
    return str(v), False


def _heading(col: str, f: Formatter) -> str:
    if col.startswith("year_") and col[5:].isdigit():
        return f.t("year_n", n=int(col[5:]))
    try:
        return f.t(col)
    except KeyError:
        return col


@displayed(headline=("SROI ratio", "Present value", "Net present value"))
@attrs.frozen
class ReportContent:
    """Everything a report shows, computed once (so HTML and Markdown agree).

    Made by :func:`analyse` (which runs the analyses) or :func:`build` (which
    only packages what it is given); :func:`html` and :func:`markdown` show it.

    Parameters
    ----------
    result : SROIResult
        The SROI to report.
    monte_carlo : MonteCarloResult or None
        A simulation to show.
    tornado, tipping : DataFrame or None
        From :func:`impactkit.uncertainty.tornado` and
        :func:`impactkit.uncertainty.tipping_points`.
    lang : {"en", "fr"}
        Language of the report.
    voi : VOIResult or None
        Parameters ranked by EVPPI for the fund / do-not-fund decision.
    event_study : pandas.DataFrame or None
        Effects by time since adoption of a staggered rollout
        (:func:`impactkit.report.event_study_table`), shown with its chart.
    seed_entropy : int or None
        Entropy of the seed of :func:`analyse`'s simulation and value of
        information (``seed=content.seed_entropy`` repeats them); None when
        nothing was drawn or a Generator was given.

    Examples
    --------
    A day-care service whose number of crises avoided is uncertain
    (illustrative figures); :func:`analyse` runs what the report shows:

    >>> import impactkit as ik
    >>> model = ik.ImpactModel(name="Accueil de jour", discount=0.0,
    ...     inputs=[ik.Input("Conseil départemental", amount=120_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="crisis_avoided", stakeholder="people",
    ...               quantity=ik.dist.Uniform(30, 50), proxy=7_500)])
    >>> content = analyse(model, lang="fr", n_draws=500, seed=1)
    >>> content.lang, round(content.result.ratio, 2), content.monte_carlo.n
    ('fr', 2.5, 500)
    >>> lines = dict(content.summary().lines)
    >>> lines["SROI ratio"], lines["90% interval"]
    ('2.50 : 1', '1.94 - 3.03')
    >>> sorted(content.to_dict())
    ['lang', 'monte_carlo', 'seed_entropy', 'sroi', 'tipping', 'tornado']
    """

    result: SROIResult
    monte_carlo: Any = None
    tornado: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)
    tipping: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)
    lang: str = "en"
    voi: Any = attrs.field(default=None, eq=False, repr=False)
    event_study: pd.DataFrame | None = attrs.field(default=None, eq=False, repr=False)
    seed_entropy: int | None = None

    def to_frame(self) -> pd.DataFrame:
        """The SROI's tidy table (see :meth:`SROIResult.to_frame`).

        Returns
        -------
        pandas.DataFrame
        """
        return self.result.to_frame()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data: every analysis the report shows.

        Returns
        -------
        dict
            ``lang``, ``sroi``, ``monte_carlo`` (or None), ``tornado`` and
            ``tipping`` (records, or None), ``seed_entropy``.
        """
        mc = self.monte_carlo
        out: dict[str, Any] = jsonable(
            {
                "lang": self.lang,
                "sroi": self.result.to_dict(),
                "monte_carlo": None if mc is None else mc.to_dict(),
                "tornado": self.tornado,
                "tipping": self.tipping,
                "seed_entropy": self.seed_entropy,
            }
        )
        return out

    def summary(self) -> Summary:
        """The SROI's headline figures and, when there is one, the simulation's.

        Returns
        -------
        Summary
        """
        lines = self.result.summary().lines
        if self.monte_carlo is not None:
            lines = lines + self.monte_carlo.summary().lines
        return Summary(f"Report - {self.result.model_name}", lines)


def build(
    result: SROIResult,
    *,
    lang: str | None = None,
    monte_carlo: Any = None,
    tornado: pd.DataFrame | None = None,
    tipping: pd.DataFrame | None = None,
) -> ReportContent:
    """Package what a report shows, computing nothing.

    Parameters
    ----------
    result : SROIResult
        The SROI to report.
    lang : {"en", "fr"}, optional
        Language of the report; default the model's (:attr:`ImpactModel.lang`),
        else English.
    monte_carlo : MonteCarloResult, optional
        A simulation to show.
    tornado, tipping : DataFrame, optional
        Sensitivity tables to show.

    Returns
    -------
    ReportContent

    Raises
    ------
    ValidationError
        When ``result`` is not an SROIResult or the language is unknown.

    Examples
    --------
    A result and a simulation computed elsewhere, packaged for a French report
    (illustrative figures):

    >>> import impactkit as ik
    >>> model = ik.ImpactModel(name="Accueil de jour", discount=0.0,
    ...     inputs=[ik.Input("Conseil départemental", amount=120_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="crisis_avoided", stakeholder="people",
    ...               quantity=ik.dist.Uniform(30, 50), proxy=7_500)])
    >>> mc = ik.uncertainty.monte_carlo(model, n=500, seed=1)
    >>> content = build(ik.sroi(model), lang="fr", monte_carlo=mc)
    >>> content.monte_carlo.n, content.tornado is None  # nothing computed here
    (500, True)
    >>> print(ik.report.markdown(content).splitlines()[4].replace("\xa0", " "))
    intervalle à 90 % de 1,94 pour 1 à 3,03 pour 1

    .. versionchanged:: 0.2
       No longer runs a Monte Carlo or the sensitivity analyses: :func:`analyse` does.
    """
    if not isinstance(result, SROIResult):
        raise ValidationError(
            f"expected an SROIResult, got {type(result).__name__}", path=("result",), code="type"
        )
    lang = default_lang(result, lang)
    t("ratio", lang)  # checks the language
    return ReportContent(result, monte_carlo, tornado, tipping, lang)


def _voi(monte_carlo: Any, wanted: bool, seed: SeedLike) -> Any:
    samples = getattr(monte_carlo, "samples", None) if wanted else None
    if samples is None or not len(samples.columns):
        return None
    from impactkit.uncertainty import value_of_information

    entropy = monte_carlo.seed_entropy
    if entropy is not None:  # a stream of the simulation's seed that no block of draws uses
        seed = np.random.SeedSequence(entropy, spawn_key=(2**32,))
    nb = monte_carlo.net_present_value
    return value_of_information(nb, samples, n_bootstrap=20, seed=seed)


def analyse(
    model: ImpactModel,
    *,
    data: Mapping[str, Any] | None = None,
    lang: str | None = None,
    n_draws: int = 10_000,
    seed: SeedLike = None,
    sensitivity: bool = True,
    progress: Callable[[int, int], None] | None = None,
    value_of_information: bool = False,
    event_study: Any = None,
) -> ReportContent:
    """Run every analysis a report shows: SROI, Monte Carlo, tornado and tipping points.

    The one place where a report's figures are computed; :func:`html` and
    :func:`markdown` only present its content, so both show the same numbers.

    Parameters
    ----------
    model : ImpactModel
        The analysis.
    data : mapping of str to DataFrame, optional
        Data sources for measured quantities.
    lang : {"en", "fr"}, optional
        Language of the report; default the model's (:attr:`ImpactModel.lang`:
        a workbook written in French gives a French report), else English.
    n_draws : int, default 10,000
        Monte Carlo draws, run when the model has distributions; 0 for none.
    seed : int, SeedSequence, Generator or None
        Seed of the draws; the entropy used is recorded as ``seed_entropy``.
    sensitivity : bool, default True
        Compute the tornado and the tipping points.
    progress : callable, optional
        Passed to :func:`impactkit.monte_carlo`.
    value_of_information : bool, default False
        Keep the Monte Carlo samples and rank the uncertain parameters by EVPPI
        (the value of learning each before deciding to fund) for the report.
    event_study : StaggeredResult, EventStudyResult or pandas.DataFrame, optional
        A staggered rollout's event study (e.g. of the programme's deadweight
        evidence) to show as a chart and a table.

    Returns
    -------
    ReportContent

    Raises
    ------
    ValidationError
        When the model cannot be evaluated or the language is unknown.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("g", amount=1000)], discount=0.0,
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s",
    ...               quantity=ik.dist.Uniform(8, 12), proxy=250)])
    >>> content = analyse(m, n_draws=1000, seed=0)
    >>> round(content.result.ratio, 2), content.monte_carlo.n, len(content.tornado) > 0
    (2.5, 1000, True)
    """
    from impactkit.methods import sroi

    if lang is not None:
        t("ratio", lang)  # checks the language before any work
    result = sroi(model, data=data)
    lang = default_lang(result, lang)
    bound = result.model
    tornado = tipping = monte_carlo = None
    if bound is not None and sensitivity:
        from impactkit.uncertainty import tipping_points
        from impactkit.uncertainty import tornado as tornado_fn

        tornado = tornado_fn(bound)
        tipping = tipping_points(bound)
    if bound is not None and bound.has_uncertainty and n_draws:
        from impactkit.uncertainty import monte_carlo as mc_fn

        monte_carlo = mc_fn(
            bound, n=n_draws, seed=seed, progress=progress, keep_samples=value_of_information
        )
    return ReportContent(
        result,
        monte_carlo,
        tornado,
        tipping,
        lang,
        _voi(monte_carlo, value_of_information, seed),
        None if event_study is None else event_study_table(event_study),
        seed_entropy=None if monte_carlo is None else monte_carlo.seed_entropy,
    )


def _content(
    result: SROIResult | ReportContent, lang: str | None, monte_carlo: Any
) -> ReportContent:
    """What to show: the given content, or a result packaged as it is."""
    if isinstance(result, ReportContent):
        if lang is not None:
            t("ratio", lang)  # checks the language
        return ReportContent(
            result.result,
            result.monte_carlo if monte_carlo is None else monte_carlo,
            result.tornado,
            result.tipping,
            result.lang if lang is None else lang,
            result.voi,
            result.event_study,
            seed_entropy=result.seed_entropy,
        )
    return build(result, lang=lang, monte_carlo=monte_carlo)


_FIELD_KEYS = {"proxy": "proxy_value", "amount": "amount_of", "rate": "discount_rate"}


class _Names:
    """Labels of a result's stakeholders, outcomes, inputs and parameters."""

    def __init__(self, result: SROIResult, f: Formatter) -> None:
        self.f = f
        model = result.model
        toc = model.toc if model is not None else None
        self.stakeholders = (
            {s.id: f.text(s.label or s.id) for s in toc.stakeholders} if toc else {}
        )
        nodes = {n.id: n.label for n in toc.nodes} if toc is not None else {}
        bo = result.by_outcome
        self.outcomes = [
            f.text(str(lbl) if lbl else nodes.get(str(o), str(o)))
            for o, lbl in zip(bo["outcome"], bo["label"], strict=True)
        ]
        self.inputs = [f.text(str(x)) for x in result.inputs["label"]]

    def stakeholder(self, sid: Any) -> str:
        return self.stakeholders.get(str(sid), str(sid))

    def parameter(self, kind: str, row: Any) -> str:
        head = self.f.t(_FIELD_KEYS.get(kind, kind))
        if kind == "rate":
            return head
        names = self.inputs if kind == "amount" else self.outcomes
        i = int(row)
        return f"{head} — {names[i]}" if 0 <= i < len(names) else head

    def value(self, kind: str, x: Any) -> str:
        if x is None or (isinstance(x, float) and not math.isfinite(x)):
            return ""
        x = float(x)
        f = self.f
        if kind in _PCT or kind == "rate":
            return f.share(x)
        if kind in ("proxy", "amount"):
            return f.money(x, decimals=0 if x.is_integer() else 2)
        return f.number(x, decimals=0 if x.is_integer() else 2)


def _param_labels(names: _Names, table: pd.DataFrame) -> dict[str, str]:
    return {
        str(p): names.parameter(str(k), r)
        for p, k, r in zip(table["parameter"], table["kind"], table["row"], strict=True)
    }


def _tipping_table(tipping: pd.DataFrame, names: _Names) -> pd.DataFrame:
    """The tipping points that 1:1 can be reached at (the others: :func:`tipping_folded`)."""
    f = names.f
    rows = []
    for row in tipping.itertuples(index=False):
        if not row.attainable:
            continue
        rows.append(
            {
                f.t("parameter"): names.parameter(str(row.kind), row.row),
                f.t("base_value"): names.value(str(row.kind), row.base_value),
                f.t("tipping_value"): names.value(str(row.kind), row.tipping_value),
            }
        )
    return pd.DataFrame(rows)


def _evidence(code: str, f: Formatter) -> str:
    if not code:
        return ""
    try:
        return f.t(f"ev_{code}")
    except KeyError:
        return code


def _assumptions(result: SROIResult, names: _Names) -> pd.DataFrame:
    model = result.model
    f = names.f
    rows = []
    if model is None:
        return pd.DataFrame()
    bo = result.by_outcome  # a copy each time it is asked for: once here
    for k, ov in enumerate(model.outcomes):
        rows.append(
            {
                "outcome": names.outcomes[k],
                "parameter": f.t("proxy_value"),
                "value": names.value("proxy", bo["proxy_value"][k]),
                "source": source_text(ov.proxy.source, f),
                "evidence": _evidence(ov.evidence.get("proxy", ""), f),
                "price_year": ov.proxy.year,
            }
        )
        for fld in (f for f in ROW_FIELDS if f != "proxy"):  # the proxy has its own source
            src = ov.sources.get(fld, "")
            ev = ov.evidence.get(fld, "")
            if src or ev or fld == "deadweight":
                rows.append(
                    {
                        "outcome": names.outcomes[k],
                        "parameter": f.t(fld),
                        "value": names.value(fld, bo[fld][k]),
                        "source": source_text(src, f),
                        "evidence": _evidence(ev, f),
                        "price_year": None,
                    }
                )
    return pd.DataFrame(
        rows, columns=["outcome", "parameter", "value", "source", "evidence", "price_year"]
    )


_HAIRCUTS = ("deadweight", "displacement", "attribution", "leakage")


def _discount_text(result: SROIResult, f: Formatter) -> str:
    from impactkit.discount import Constant

    model = result.model
    if model is None:
        return ""
    d = model.discount
    timing = f.t(f"timing_{result.first_flow_at}")
    if isinstance(d, Constant):
        from impactkit.dist import central

        rate = f.pct(central(d.rate), decimals=1)
    else:
        rate = " ; ".join(f"{f.share(r)} ({f.t('year').lower()} ≥ {y})" for y, r in d.bands[:3])
    name = f", {discount_name(d.name, f)}" if d.name else ""
    return f"{rate}{name} ; {timing}" if f.lang == "fr" else f"{rate}{name}; {timing}"


def _method(result: SROIResult, f: Formatter) -> list[str]:
    """The method section's paragraphs."""
    model = result.model
    base = str(model.base_year) if model is not None and model.base_year else f.t("the_base_year")
    paras = [
        f.t("method_what"),
        f.t(f"method_{result.mode}"),
        f.t("method_impact", drop_off=f.t("drop_off_compound"), base_year=base),
        f.t(
            "method_discount",
            rate=_discount_text(result, f).split(" ;")[0].split(";")[0],
            timing=f.t(f"timing_{result.first_flow_at}"),
        ),
        f.t("method_limits"),
    ]
    return paras


def _labelled(df: pd.DataFrame, names: _Names) -> pd.DataFrame:
    """A copy with stakeholder and outcome labels instead of their ids."""
    out = df.copy()
    if "stakeholder" in out.columns:
        out["stakeholder"] = [names.stakeholder(s) for s in out["stakeholder"]]
    if "outcome" in out.columns and len(out) == len(names.outcomes):
        out["outcome"] = names.outcomes
    return out


_CATALOGUE_KEY = re.compile(r"\[catalogue:[^\]]*\]\s*|\bcatalogue:[\w.-]+\s*")
_DISCOUNT_NAMES = {
    "france_2021": "rate_france_strategie_2021",
    "france_2013": "rate_france_strategie_2013",
    "uk_green_book_2022": "rate_green_book",
    "green_book": "rate_green_book",
    "green_book_health": "rate_green_book_health",
}


def source_text(text: str, f: Formatter) -> str:
    """A source as a reader reads it: in the report's language, without catalogue keys."""
    return _CATALOGUE_KEY.sub("", f.text(text)).strip()


def discount_name(name: str, f: Formatter) -> str:
    """A discount rate's name in words: « taux de France Stratégie (2021) », not code.

    A built-in rate (:mod:`impactkit.discount`) is named in the report's
    language, with its β when it is not 1; any other name is the user's text.
    """
    m = re.fullmatch(r"(\w+?)(?:\(beta=([^)]*)\))?", name)
    if m is None or m.group(1) not in _DISCOUNT_NAMES:
        return f.text(name)
    words = f.t(_DISCOUNT_NAMES[m.group(1)])
    beta = m.group(2)
    if beta is not None and float(beta) != 1.0:
        words += f" (β = {f.number(float(beta), decimals=len(beta.partition('.')[2]))})"
    return words


def years_from(duration: float, start: int, f: Formatter) -> str:
    """« 1 an à partir de l'année 1 », « 3 ans à partir de l'année 2 »: the plural agrees."""
    key = "from_year_one" if duration == 1 else "from_year"
    return f.t(key, n=f.number(duration, decimals=0), start=start)


def formatter(result: SROIResult, lang: str) -> Formatter:
    """The report's formatter: its language, the result's currency, the model's translations."""
    model = result.model
    texts = model.translations.get(lang) if model is not None else None
    return Formatter(lang, result.currency, texts=texts)


def default_lang(result: SROIResult, lang: str | None) -> str:
    """The language asked for, else the model's, else English."""
    if lang is not None:
        return lang
    model = result.model
    return (model.lang if model is not None else "") or "en"


def tipping_folded(tipping: pd.DataFrame, names: _Names, ratio: float) -> list[str]:
    """One sentence for the figures whose admissible values cannot bring the ratio to 1:1.

    Instead of a table row each (« il faudrait −5 462,7 % »): the figures the
    ratio does not depend on, and those whose whole admissible range leaves it
    on the side of 1:1 where it stands.
    """
    f = names.f
    none: list[str] = []
    side: list[str] = []
    for row in tipping.itertuples(index=False):
        if row.attainable:
            continue
        label = names.parameter(str(row.kind), row.row)
        (none if "does not depend" in str(row.note) else side).append(label)
    out = []
    if side:
        key = "tip_fold_above" if ratio >= 1 else "tip_fold_below"
        out.append(f.t(key, what=_join(side, f)))
    if none:
        out.append(f.t("tip_fold_no_effect", what=_join(none, f)))
    return out


def _join(items: list[str], f: Formatter) -> str:
    return (" ; " if f.lang == "fr" else "; ").join(items)


def synthesis(content: ReportContent, names: _Names) -> tuple[list[str], list[str]]:
    """The summary a director reads first: paragraphs, then the three biggest caveats.

    Who gains what (the three biggest stakeholders' shares), the ratio in
    words and its range, then the caveats: a ratio below 1:1, the value
    resting on one outcome, the figure the ratio depends on most, the
    biggest deduction, and what the theory of change names but the value
    map does not value.
    """
    f = names.f
    r = content.result
    paras = []
    bs = r.by_stakeholder.sort_values("share", ascending=False, kind="stable")
    parts = [
        f.t("syn_share", who=names.stakeholder(sid), share=f.share(float(sh)))
        for sid, sh in zip(bs["stakeholder"][:3], bs["share"][:3], strict=True)
        if math.isfinite(float(sh))
    ]
    if parts:
        paras.append(f.t("syn_who", parts=", ".join(parts)))
    paras.append(
        f.t(
            "syn_ratio",
            unit=f.money(1.0),
            value=f.money(r.ratio, decimals=2),
            ratio=f.ratio(r.ratio),
        )
    )
    mc = content.monte_carlo
    if mc is not None:
        lo, hi = mc.interval(0.90)
        p = mc.probability_ratio_above(1.0)
        paras.append(f.t("syn_range", low=f.ratio(lo), high=f.ratio(hi), p=f.share(p)))
    else:
        paras.append(f.t("syn_no_range"))
    caveats: list[str] = []
    if math.isfinite(r.ratio) and r.ratio < 1:
        caveats.append(f.t("syn_below_one"))
    bo = r.by_outcome
    from impactkit.assurance import concentration_sentences
    from impactkit.report._caveats import outcome_labels, unvalued_outcomes

    labels = {k: f.text(v) for k, v in outcome_labels(r).items()}
    caveats += [s for _, s in concentration_sentences(r, lang=f.lang, labels=labels, pct=f.share)]
    tor = content.tornado
    if tor is not None and len(tor):
        top = tor.iloc[int(tor["swing"].astype(float).fillna(-1).to_numpy().argmax())]
        lo_, hi_ = sorted((float(top["metric_low"]), float(top["metric_high"])))
        caveats.append(
            f.t(
                "syn_sensitive",
                what=names.parameter(str(top["kind"]), top["row"]),
                low=f.ratio(lo_),
                high=f.ratio(hi_),
            )
        )
    if len(bo):
        kept = np.ones(len(bo))
        for h in _HAIRCUTS:
            kept = kept * (1 - bo[h].astype(float).fillna(0).to_numpy())
        lost = 1 - kept
        k = int(lost.argmax())
        if float(lost[k]) > 0:
            cut = [f.t(h).lower() for h in _HAIRCUTS if float(bo[h][k]) > 0]
            caveats.append(
                f.t(
                    "syn_biggest_deduction",
                    outcome=names.outcomes[k],
                    share=f.share(float(lost[k])),
                    what=", ".join(cut),
                )
            )
    caveats = caveats[:3]
    missing = unvalued_outcomes(r)
    if missing is not None:  # the sentence of the "not counted yet" section, shortened to its list
        caveats.append(
            f.t("not_counted_list", items=_join([f.text(m) for m in missing], f))
            if missing
            else f.t("not_counted_none")
        )
    return paras, caveats
