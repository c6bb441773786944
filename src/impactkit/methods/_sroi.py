r"""Social Return on Investment: the point evaluation of a value map.

Follows the SROI Guide (Cabinet Office 2009, SROI Network 2012) as written in
docs/methods/sroi.md:

.. math::
    PV = \sum_t \frac{V_t}{(1+r)^t}, \quad NPV = PV - I, \quad
    \text{ratio} = PV / I, \quad \text{net ratio} = NPV / I

and the Guide's payback period in months, :math:`I / (V_1 / 12)`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs
import numpy as np
import pandas as pd

from impactkit import kernel
from impactkit._results import FrozenDict, Summary, displayed, freeze, jsonable
from impactkit._validation import require_finite
from impactkit._version import __version__
from impactkit.dist import Distribution
from impactkit.errors import ValidationError
from impactkit.model import HAIRCUTS, ROW_FIELDS, ImpactModel, ValueMap, compile_model
from impactkit.valuation._equity import EquityWeights, weighted_table

__all__ = ["Lineage", "SROIResult", "Summary", "sroi"]


@displayed
@attrs.frozen
class Lineage:
    """Where one figure of a result comes from.

    Parameters
    ----------
    outcome : str
        Outcome id of the row.
    row : int
        Row number in the model (``outcomes[row]``).
    steps : tuple of (str, str)
        Each step of the computation with its value and source.
    present_value : float
        The row's present value [currency].

    Examples
    --------
    :meth:`SROIResult.explain` returns it for one outcome row:

    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="Emploi accompagné",
    ...     inputs=[ik.Input("Dotation ARS", amount=120_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="emploi", stakeholder="participants",
    ...               quantity=18, proxy=9_000, deadweight=0.25, attribution=0.2)])
    >>> lin = ik.sroi(m).explain("emploi")
    >>> lin.row, round(lin.present_value, 2)
    (0, 93913.04)
    >>> dict(lin.steps)["impact per year"]  # 18 x 9,000 x 0.75 x 0.8
    '97,200.00 EUR'
    >>> lin.to_frame().columns.tolist()
    ['step', 'value']
    """

    outcome: str
    row: int
    steps: tuple[tuple[str, str], ...]
    present_value: float

    def __str__(self) -> str:
        width = max(len(k) for k, _ in self.steps)
        head = f"outcomes[{self.row}] {self.outcome}"
        return "\n".join([head, *(f"  {k.ljust(width)}  {v}" for k, v in self.steps)])

    def to_frame(self) -> pd.DataFrame:
        """The steps as a table.

        Returns
        -------
        pandas.DataFrame
            One row per step: ``step``, ``value`` (the step as text, with its source).
        """
        return pd.DataFrame(list(self.steps), columns=["step", "value"])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            ``outcome``, ``row``, ``present_value`` and ``steps`` (pairs of text).
        """
        return {
            "outcome": self.outcome,
            "row": self.row,
            "present_value": jsonable(self.present_value),
            "steps": [list(s) for s in self.steps],
        }

    def summary(self) -> Summary:
        """The steps for people.

        Returns
        -------
        Summary
            One line per step.
        """
        return Summary(f"outcomes[{self.row}] {self.outcome}", self.steps)


def _fmt(x: float, currency: str = "") -> str:
    s = f"{x:,.2f}"
    return f"{s} {currency}".strip()


@displayed(headline=("SROI ratio", "Present value", "Net present value"))
@attrs.frozen
class SROIResult:
    """The SROI of a model, with its tables and lineage.

    Parameters
    ----------
    present_value : float
        Total present value of the outcomes [currency].
    total_inputs : float
        Present value of the inputs [currency].
    net_present_value : float
        ``present_value - total_inputs`` [currency].
    ratio : float
        ``present_value / total_inputs``, reported as "ratio : 1".
    net_ratio : float
        ``net_present_value / total_inputs`` (= ratio - 1).
    payback_months : float or None
        The SROI Guide's payback, :math:`I / (V_1/12)` with :math:`V_1` the
        undiscounted value of year 1; None when year 1 has no positive value.
    discounted_payback_years : float or None
        Smallest fractional year at which the cumulative discounted value
        reaches the inputs (linear inside the year); None when never reached.
    currency, base_year, discount, first_flow_at, mode
        Conventions of the model.
    model_name : str
        Name of the model.
    version : str
        impactkit version that computed the result.
    by_outcome_table, by_year_table, rows_by_year, inputs_table : pandas.DataFrame
        The tables behind :attr:`by_outcome`, :attr:`by_year`, :meth:`value_map`
        and :attr:`inputs`.
    lineage : tuple of Lineage
        One per row (see :meth:`explain`).
    measured : mapping of int to MeasureResult
        What each calculator measured, by row.
    model : ImpactModel, optional
        The evaluated model, its calculators replaced by what they measured.
    equity : EquityWeights, optional
        Distributional weights of the stakeholders, when given (see
        :meth:`with_equity`).

    Examples
    --------
    :func:`sroi` returns it:

    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="Emploi accompagné",
    ...     inputs=[ik.Input("Dotation ARS", amount=120_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="emploi", stakeholder="participants",
    ...               quantity=18, proxy=9_000, deadweight=0.25, attribution=0.2,
    ...               drop_off=0.1, duration=3)])
    >>> res = sroi(m)
    >>> round(res.present_value, 2), round(res.ratio, 4), round(res.payback_months, 1)
    (246588.31, 2.0549, 14.8)
    >>> res.to_frame()[["year", "value"]].round(2).values.tolist()
    [[1.0, 97200.0], [2.0, 87480.0], [3.0, 78732.0]]
    >>> res.summary().lines[3]
    ('SROI ratio', '2.05 : 1')
    """

    model_name: str
    currency: str
    base_year: int | None
    discount: str
    first_flow_at: str
    mode: str
    present_value: float
    total_inputs: float
    net_present_value: float
    ratio: float
    net_ratio: float
    payback_months: float | None
    discounted_payback_years: float | None
    version: str
    _by_outcome: pd.DataFrame = attrs.field(eq=False, repr=False, alias="by_outcome_table")
    _by_year: pd.DataFrame = attrs.field(eq=False, repr=False, alias="by_year_table")
    _rows_by_year: pd.DataFrame = attrs.field(eq=False, repr=False, alias="rows_by_year")
    _inputs: pd.DataFrame = attrs.field(eq=False, repr=False, alias="inputs_table")
    _lineage: tuple[Lineage, ...] = attrs.field(eq=False, repr=False, alias="lineage")
    measured: Mapping[int, Any] = attrs.field(
        factory=FrozenDict, converter=freeze, eq=False, repr=False
    )
    model: ImpactModel | None = attrs.field(default=None, eq=False, repr=False)
    """The evaluated model, its calculators replaced by what they measured."""
    equity: EquityWeights | None = attrs.field(default=None, eq=False, repr=False)
    """Distributional weights of the stakeholders, when given (see :meth:`with_equity`)."""

    def with_equity(self, equity: EquityWeights) -> SROIResult:
        """The same result carrying distributional weights, shown beside the unweighted values.

        Parameters
        ----------
        equity : EquityWeights
            Incomes of the stakeholders (or of their income groups).

        Returns
        -------
        SROIResult
            Unweighted figures unchanged; ``weighted_present_value``,
            ``weighted_total_inputs``, ``weighted_ratio`` and
            ``weighted_by_stakeholder`` filled in.
        """
        if not isinstance(equity, EquityWeights):
            raise ValidationError("equity must be an EquityWeights", path=("equity",), code="type")
        return attrs.evolve(self, equity=equity)

    @property
    def weighted_by_stakeholder(self) -> pd.DataFrame | None:
        """:attr:`by_stakeholder` with ``income``, ``weight`` and ``weighted_present_value``
        beside the unweighted columns (None without weights)."""
        if self.equity is None:
            return None
        return weighted_table(self.by_stakeholder, self.equity, column="present_value")

    @property
    def weighted_present_value(self) -> float | None:
        """Equity-weighted present value of the outcomes (None without weights)."""
        t = self.weighted_by_stakeholder
        return None if t is None else float(t["weighted_present_value"].sum())

    @property
    def weighted_total_inputs(self) -> float | None:
        """Equity-weighted present value of the inputs (stakeholders without income: 1)."""
        if self.equity is None:
            return None
        t = weighted_table(self._inputs, self.equity, column="present_value")
        return float(t["weighted_present_value"].sum())

    @property
    def weighted_ratio(self) -> float | None:
        """``weighted_present_value / weighted_total_inputs`` (None without weights)."""
        pv, inputs = self.weighted_present_value, self.weighted_total_inputs
        if pv is None or inputs is None or inputs <= 0:
            return None
        return pv / inputs

    @property
    def by_outcome(self) -> pd.DataFrame:
        """One row per value-map row.

        Columns: ``row``, ``outcome``, ``label``, ``stakeholder``, ``quantity``,
        ``proxy_value`` (base-year prices), ``deadweight``, ``displacement``,
        ``attribution``, ``leakage``, ``drop_off``, ``drop_off_method``,
        ``duration``, ``start_year``, ``impact`` (yearly, after haircuts),
        ``total_value`` (undiscounted over all years), ``present_value``,
        ``share`` (of the total present value).
        """
        return self._by_outcome.copy()

    @property
    def by_stakeholder(self) -> pd.DataFrame:
        """Present value by stakeholder: ``stakeholder``, ``present_value``, ``share``,
        ``outcomes`` (number of rows)."""
        t = self._by_outcome
        g = (
            t.groupby("stakeholder", sort=False)
            .agg(present_value=("present_value", "sum"), outcomes=("row", "count"))
            .reset_index()
        )
        g.insert(2, "share", _share(g["present_value"].to_numpy()))
        return g

    @property
    def public_finance(self) -> pd.DataFrame:
        """The public-finance view beside the society view: who pays, who saves.

        One row per public payer (a stakeholder id of
        :data:`impactkit.valuation.PUBLIC_PAYERS` or of the model's
        ``metadata["public_payers"]``) that funds an input or has a valued
        outcome, in order of appearance. Columns: ``payer``; ``pays``, the
        present value of its inputs; ``saves``, of its valued outcomes that
        are not transfers (resources released: a place, a stay); ``transfers``,
        of its valued outcomes that are transfers (an allowance no longer
        paid, taxes and contributions received, named in ``proxy.transfer``);
        ``net`` = ``saves + transfers - pays``. A département's saving shows
        here without being social value: transfers net out of the society view
        only when the other side is valued too (see docs/methods/avoided_costs.md).
        """
        from impactkit.valuation import PUBLIC_PAYERS

        model = self.model
        extra = model.metadata.get("public_payers", ()) if model is not None else ()
        extra = (extra,) if isinstance(extra, str) else extra
        public = set(PUBLIC_PAYERS) | {str(x) for x in (extra or ())}
        bo = self._by_outcome
        outcomes = model.outcomes if model is not None else ()
        transfer = np.array(
            [bool(o.proxy.transfer) for o in outcomes]
            if len(outcomes) == len(bo)
            else [False] * len(bo),
            dtype=bool,
        )
        pv = bo["present_value"].to_numpy(dtype=float)
        sh = bo["stakeholder"].astype(str).to_numpy()
        inputs = self._inputs
        in_sh = inputs["stakeholder"].astype(str).to_numpy()
        in_pv = inputs["present_value"].to_numpy(dtype=float)
        order = [x for x in dict.fromkeys([*in_sh, *sh]) if x in public]
        rows = []
        for payer in order:
            pays = float(in_pv[in_sh == payer].sum())
            saves = float(pv[(sh == payer) & ~transfer].sum())
            moved = float(pv[(sh == payer) & transfer].sum())
            rows.append((payer, pays, saves, moved, saves + moved - pays))
        return pd.DataFrame(rows, columns=["payer", "pays", "saves", "transfers", "net"])

    @property
    def by_year(self) -> pd.DataFrame:
        """Value by year: ``year``, ``value`` (undiscounted), ``discount_factor``,
        ``present_value``, ``cumulative_present_value``."""
        return self._by_year.copy()

    @property
    def inputs(self) -> pd.DataFrame:
        """The inputs: ``label``, ``stakeholder``, ``year``, ``in_kind``, ``amount``,
        ``discount_factor``, ``present_value``."""
        return self._inputs.copy()

    def value_map(self) -> pd.DataFrame:
        """The value map, in the column order of the SROI value-map template.

        Columns: ``stakeholder``, ``outcome``, ``label``, ``indicator``, ``quantity``,
        ``duration``, ``start_year``, ``proxy``, ``proxy_value``, ``proxy_source``,
        ``deadweight``, ``displacement``, ``attribution``, ``leakage``, ``drop_off``,
        ``impact``, ``year_1`` ... ``year_T`` (undiscounted), ``present_value``.

        Returns
        -------
        pandas.DataFrame
        """
        t = self._by_outcome
        years = self._rows_by_year
        cols = [
            "stakeholder",
            "outcome",
            "label",
            "indicator",
            "quantity",
            "duration",
            "start_year",
            "proxy",
            "proxy_value",
            "proxy_source",
            *HAIRCUTS,
            "drop_off",
            "impact",
        ]
        # one concatenation: a column at a time fragments the frame over long horizons
        return pd.concat(
            [
                t[cols].reset_index(drop=True),
                years.reset_index(drop=True),
                t[["present_value"]].reset_index(drop=True),
            ],
            axis=1,
        )

    def to_frame(self) -> pd.DataFrame:
        """Tidy long table, one row per value-map row and year, never rounded.

        Columns: ``row``, ``outcome``, ``stakeholder``, ``year``, ``value``,
        ``discount_factor``, ``present_value``.

        Returns
        -------
        pandas.DataFrame
        """
        years = self._rows_by_year
        t = self._by_outcome
        df_year = self._by_year.set_index("year")["discount_factor"]
        recs = []
        for j, col in enumerate(years.columns):
            y = j + 1
            recs.append(
                pd.DataFrame(
                    {
                        "row": t["row"].to_numpy(),
                        "outcome": t["outcome"].to_numpy(),
                        "stakeholder": t["stakeholder"].to_numpy(),
                        "year": y,
                        "value": years[col].to_numpy(),
                        "discount_factor": float(df_year.get(y, np.nan)),
                    }
                )
            )
        if not recs:
            return pd.DataFrame(
                columns=[
                    "row",
                    "outcome",
                    "stakeholder",
                    "year",
                    "value",
                    "discount_factor",
                    "present_value",
                ]
            )
        out = pd.concat(recs, ignore_index=True).sort_values(["row", "year"], kind="stable")
        out["present_value"] = out["value"] * out["discount_factor"]
        return out.reset_index(drop=True)

    def explain(self, outcome: str | int) -> Lineage:
        """Lineage of one row: quantity, proxy and its price year, haircuts, discounting.

        Parameters
        ----------
        outcome : str or int
            Outcome id (first row with that id) or row number.

        Returns
        -------
        Lineage
            Quantity, proxy and its price year, haircuts, discounting, with sources.

        Raises
        ------
        ValidationError
            When there is no such outcome or row.
        """
        if isinstance(outcome, int) and not isinstance(outcome, bool):
            if not 0 <= outcome < len(self._lineage):
                raise ValidationError(
                    f"no outcome row {outcome}", path=("outcomes", outcome), code="unknown_node"
                )
            return self._lineage[outcome]
        for lin in self._lineage:
            if lin.outcome == outcome:
                return lin
        known = ", ".join(dict.fromkeys(lin.outcome for lin in self._lineage))
        raise ValidationError(
            f"no outcome {outcome!r} in the result; known: {known}",
            path=("outcomes",),
            code="unknown_node",
        )

    def summary(self) -> Summary:
        """Headline figures and the table by stakeholder, for people (rounded).

        Returns
        -------
        Summary
        """
        c = self.currency
        lines = (
            ("Present value", _fmt(self.present_value, c)),
            ("Total inputs", _fmt(self.total_inputs, c)),
            ("Net present value", _fmt(self.net_present_value, c)),
            ("SROI ratio", f"{self.ratio:.2f} : 1"),
            ("Net SROI ratio", f"{self.net_ratio:.2f}"),
            (
                "Payback",
                "not reached"
                if self.payback_months is None
                else f"{self.payback_months:.1f} months",
            ),
            ("Discounting", f"{self.discount}; convention {self.first_flow_at}"),
            ("Mode", self.mode),
        )
        table = self.by_stakeholder.round({"present_value": 2, "share": 4})
        wpv, wratio = self.weighted_present_value, self.weighted_ratio
        extra: tuple[tuple[str, str], ...] = ()
        pf = self.public_finance
        if len(pf):
            extra += (
                (
                    "Public finances",
                    f"paid {_fmt(float(pf['pays'].sum()), c)}, saved "
                    f"{_fmt(float(pf['saves'].sum()), c)}, transfers "
                    f"{_fmt(float(pf['transfers'].sum()), c)}",
                ),
            )
        if wpv is not None:
            extra += (("Present value, equity-weighted", _fmt(wpv, c)),)
            if wratio is not None:
                extra += (("SROI ratio, equity-weighted", f"{wratio:.2f} : 1"),)
        return Summary(f"SROI - {self.model_name}", (*lines, *extra), table)

    def to_dict(self) -> dict[str, Any]:
        """Headline figures and tables as plain data (for JSON).

        Returns
        -------
        dict
            The headline figures, the tables by outcome, stakeholder and year,
            the lineage of each row and, under ``model_spec``, the evaluated
            model in its file form: ``impactkit.model.from_dict(d["model_spec"])``
            gives the model back, so the result can be recomputed.
        """
        spec = None
        if self.model is not None:
            # the file form of the model is plain data; no file is read or written
            from impactkit.model import to_dict as model_to_dict

            spec = model_to_dict(self.model)
        out: dict[str, Any] = jsonable(
            {
                **self._headline(),
                "lineage": [lin.to_dict() for lin in self._lineage],
                "model_spec": spec,
            }
        )
        return out

    def _headline(self) -> dict[str, Any]:
        return {
            "model": self.model_name,
            "currency": self.currency,
            "base_year": self.base_year,
            "discount": self.discount,
            "first_flow_at": self.first_flow_at,
            "mode": self.mode,
            "present_value": self.present_value,
            "total_inputs": self.total_inputs,
            "net_present_value": self.net_present_value,
            "ratio": self.ratio,
            "net_ratio": self.net_ratio,
            "payback_months": self.payback_months,
            "discounted_payback_years": self.discounted_payback_years,
            "by_outcome": _records(self._by_outcome),
            "by_stakeholder": _records(self.by_stakeholder),
            "by_year": _records(self._by_year),
            "public_finance": _records(self.public_finance),
            "version": self.version,
            **self._equity_dict(),
        }

    def _equity_dict(self) -> dict[str, Any]:
        t = self.weighted_by_stakeholder
        if self.equity is None or t is None:
            return {}
        return {
            "equity": self.equity.to_dict(),
            "weighted_present_value": self.weighted_present_value,
            "weighted_total_inputs": self.weighted_total_inputs,
            "weighted_ratio": self.weighted_ratio,
            "weighted_by_stakeholder": jsonable(t),
        }

    def __str__(self) -> str:
        return self.summary().as_text()


def _records(df: pd.DataFrame) -> list[dict[str, Any]]:
    # jsonable: a missing cell (NaN) becomes null, so the JSON never holds NaN
    return [jsonable(r) for r in df.to_dict(orient="records")]


def _share(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    total = values.sum()
    if total == 0:
        return np.zeros_like(values, dtype=float)
    return np.asarray(values / total, dtype=float)


def _check_inputs(total: float, model: ImpactModel) -> None:
    if not model.inputs:
        raise ValidationError(
            "the model has no inputs: the SROI ratio is undefined",
            path=("inputs",),
            code="no_inputs",
        )
    if not total > 0:
        raise ValidationError(
            f"inputs total {total:g}: the SROI ratio is undefined",
            path=("inputs",),
            code="no_inputs",
        )


def sroi(
    model: ImpactModel,
    *,
    data: Mapping[str, Any] | None = None,
    equity: EquityWeights | None = None,
) -> SROIResult:
    r"""Evaluate the SROI of a model at the central value of every field.

    Parameters
    ----------
    model : ImpactModel
        The analysis. Distributions count at their central value (mean).
    data : mapping of str to DataFrame, optional
        Data sources for quantities given by measurement calculators.
    equity : EquityWeights, optional
        Distributional weights: the result then also carries weighted values
        beside the unweighted ones (:meth:`SROIResult.with_equity`).

    Returns
    -------
    SROIResult

    Raises
    ------
    ValidationError
        When the inputs total zero (the ratio is undefined) or a data source
        is missing.

    Notes
    -----
    Row impact :math:`Q P (1-DW)(1-DS)(1-AT)(1-LK)`; yearly values with
    compound drop-off from the second year; present value
    :math:`\sum_t V_t DF(t)` with benefit year 1 discounted once (SROI
    convention, ``first_flow_at="t1"``) [1]_; inputs of year 0 undiscounted.
    Payback in months :math:`I/(V_1/12)` [1]_.

    References
    ----------
    .. [1] Nicholls, J., Lawlor, E., Neitzert, E., Goodspeed, T. (2012). A Guide
       to Social Return on Investment. The SROI Network.

    Examples
    --------
    >>> import impactkit as ik
    >>> model = ik.ImpactModel(
    ...     name="Synthetic", currency="EUR", discount=ik.discount.Constant(0.035),
    ...     inputs=[ik.Input("Cash", amount=40_000), ik.Input("Volunteers", amount=6_000)],
    ...     outcomes=[
    ...         ik.OutcomeValuation(outcome="a", stakeholder="s", quantity=50, proxy=1000,
    ...                             deadweight=0.2, attribution=0.1, drop_off=0.1, duration=3),
    ...         ik.OutcomeValuation(outcome="b", stakeholder="s", quantity=20, proxy=2500,
    ...                             deadweight=0.5, displacement=0.1, attribution=0.25)])
    >>> res = ik.sroi(model)
    >>> round(res.present_value, 2), round(res.ratio, 4), round(res.payback_months, 2)
    (107633.35, 2.3399, 10.44)
    """
    from impactkit.measure import bind

    binding = bind(model, data)
    model, measured = binding.model, binding.measured
    vm = compile_model(model)
    out = vm.evaluate(rows=True)
    pv_rows = out.row_present_values[0] if out.row_present_values is not None else np.zeros(0)
    pv = float(out.present_value[0])
    total_inputs = float(out.total_inputs[0])
    _check_inputs(total_inputs, model)
    res = _build_result(model, vm, pv, total_inputs, pv_rows, measured, binding.deadweights)
    return res if equity is None else res.with_equity(equity)


def _build_result(
    model: ImpactModel,
    vm: ValueMap,
    pv: float,
    total_inputs: float,
    pv_rows: np.ndarray[Any, Any],
    measured: Mapping[int, Any],
    deadweights: Mapping[int, Any],
) -> SROIResult:
    base = vm.base * vm.scales
    yv = vm.year_values() if vm.n_rows else np.zeros((0, 1))  # (K, T)
    horizon = yv.shape[1]
    years = np.arange(1, horizon + 1)
    dfs = vm.discount_factors(years)
    v_t = yv.sum(axis=0)
    pv_t = v_t * dfs
    by_year = pd.DataFrame(
        {
            "year": years,
            "value": v_t,
            "discount_factor": dfs,
            "present_value": pv_t,
            "cumulative_present_value": np.cumsum(pv_t),
        }
    )
    rows_by_year = pd.DataFrame(yv, columns=[f"year_{t}" for t in years])

    def col(kind: str) -> np.ndarray[Any, Any]:
        return base[vm.kind_index[kind]] if vm.n_rows else np.zeros(0)

    impact = kernel.impact(*(col(k) for k in ("quantity", "proxy", *HAIRCUTS)))
    ovs = model.outcomes
    by_outcome = pd.DataFrame(
        {
            "row": np.arange(len(ovs)),
            "outcome": [o.outcome for o in ovs],
            "label": [o.label for o in ovs],
            "stakeholder": [o.stakeholder for o in ovs],
            "indicator": [o.indicator for o in ovs],
            **{k: col(k) for k in ROW_FIELDS if k != "proxy"},
            "proxy": [o.proxy.description for o in ovs],
            "proxy_value": col("proxy"),
            "proxy_source": [o.proxy.source for o in ovs],
            "price_year": [
                o.proxy.year if o.proxy.year is not None else model.base_year for o in ovs
            ],
            "drop_off_method": [o.drop_off_method for o in ovs],
            "start_year": [o.start_year for o in ovs],
            "impact": impact,
            "total_value": yv.sum(axis=1) if vm.n_rows else np.zeros(0),
            "present_value": pv_rows,
            "share": _share(pv_rows),
        }
    )
    order = [
        "row",
        "outcome",
        "label",
        "stakeholder",
        "indicator",
        "quantity",
        "proxy",
        "proxy_value",
        "proxy_source",
        "price_year",
        *HAIRCUTS,
        "drop_off",
        "drop_off_method",
        "duration",
        "start_year",
        "impact",
        "total_value",
        "present_value",
        "share",
    ]
    by_outcome = by_outcome[order]

    in_years = vm.input_years
    in_df = vm.discount_factors(in_years) if len(in_years) else np.zeros(0)
    amounts = base[vm.kind_index["amount"]] if vm.n_inputs else np.zeros(0)
    inputs = pd.DataFrame(
        {
            "label": [i.label for i in model.inputs],
            "stakeholder": [i.stakeholder for i in model.inputs],
            "year": in_years,
            "in_kind": [i.in_kind for i in model.inputs],
            "amount": amounts,
            "discount_factor": in_df,
            "present_value": amounts * in_df,
        }
    )

    v1 = float(v_t[0]) if horizon else 0.0
    months = float(kernel.payback_months(total_inputs, v1))
    payback = months if np.isfinite(months) else None
    disc_payback = kernel.payback_year(np.r_[-total_inputs, pv_t])
    lineage = tuple(
        _lineage(
            model, k, float(pv_rows[k]), float(impact[k]), measured.get(k), deadweights.get(k)
        )
        for k in range(len(ovs))
    )
    require_finite(
        {
            "present_value": pv,
            "total_inputs": total_inputs,
            "ratio": pv / total_inputs,
            "by_outcome": pv_rows,
        },
        "result",
    )
    return SROIResult(
        model_name=model.name,
        currency=model.currency,
        base_year=model.base_year,
        discount=model.discount.describe(),
        first_flow_at=model.first_flow_at,
        mode=model.mode,
        present_value=pv,
        total_inputs=total_inputs,
        net_present_value=pv - total_inputs,
        ratio=pv / total_inputs,
        net_ratio=(pv - total_inputs) / total_inputs,
        payback_months=payback,
        discounted_payback_years=disc_payback,
        version=__version__,
        by_outcome_table=by_outcome,
        by_year_table=by_year,
        rows_by_year=rows_by_year,
        inputs_table=inputs,
        lineage=lineage,
        measured=dict(measured),
        model=model,
    )


def _describe_value(v: Any) -> str:
    if isinstance(v, Distribution):
        params = ", ".join(f"{k}={x:g}" for k, x in v.to_dict().items() if k != "dist")
        return f"{v.central:g} (central value of {v.name}({params}))"
    return f"{float(v):g}"


def _lineage(
    model: ImpactModel, k: int, pv: float, impact: float, measured: Any, deadweight: Any = None
) -> Lineage:
    ov = model.outcomes[k]
    src = ov.sources
    ev = ov.evidence

    def note(field: str) -> str:
        bits = [b for b in (src.get(field, ""), ev.get(field, "")) if b]
        return f" [{'; '.join(bits)}]" if bits else ""

    steps: list[tuple[str, str]] = []
    q_note = note("quantity")
    if measured is not None:
        q_note += f" [measured: {measured.describe()}]"
    steps.append(("quantity", _describe_value(ov.quantity) + q_note))
    p = ov.proxy
    factor = model.proxy_factor(k)
    price = f"{p.year} prices" if p.year is not None else "base-year prices"
    proxy_txt = f"{_describe_value(p.value)} {p.currency or model.currency} ({price})"
    if factor != 1.0:
        proxy_txt += f" x index factor {factor:.6g} -> {p.year} to {model.base_year}"
    if p.source:
        proxy_txt += f" [source: {p.source}]"
    steps.append(("proxy", proxy_txt + note("proxy")))
    for h in HAIRCUTS:
        extra = ""
        if h == "deadweight" and deadweight is not None:
            extra = (
                f" [estimated: effect {deadweight.effect:.4g} (SE {deadweight.se:.3g}) "
                f"against observed {deadweight.observed:.4g}; {deadweight.note}]"
            )
        steps.append((h, _describe_value(getattr(ov, h)) + note(h) + extra))
    steps.append(("impact per year", f"{impact:,.2f} {model.currency}"))
    steps.append(
        (
            "duration",
            f"{_describe_value(ov.duration)} years from year {ov.start_year}" + note("duration"),
        )
    )
    steps.append(
        ("drop_off", f"{_describe_value(ov.drop_off)} ({ov.drop_off_method})" + note("drop_off"))
    )
    steps.append(("discounting", f"{model.discount.describe()}, convention {model.first_flow_at}"))
    steps.append(("present value", f"{pv:,.2f} {model.currency}"))
    return Lineage(ov.outcome, k, tuple(steps), pv)
