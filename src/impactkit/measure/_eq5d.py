r"""EQ-5D-5L: utility index from the five dimensions, and QALYs gained from two indices.

The EQ-5D-5L describes health on five dimensions (mobility, self-care, usual
activities, pain/discomfort, anxiety/depression), each answered on five levels
(1 = no problems ... 5 = extreme problems / unable). A *value set* turns a
profile into a utility index anchored at 1 (full health) and 0 (dead):

.. math:: u = 1 - \sum_{d} \beta_{d, \ell_d}, \qquad \beta_{d, 1} = 0

The two value sets shipped are additive (one decrement per dimension and
level, no constant, no interaction):

- ``"france"``: Andrade L. F., Ludwig K., Ramos Goni J. M., Oppe M., de
  Pouvourville G. (2020). A French value set for the EQ-5D-5L.
  *PharmacoEconomics* 38(4), 413-425 (Springer, open access),
  doi:10.1007/s40273-019-00876-4; the adjusted hybrid model. The paper's
  abstract gives the range of the values, -0.525 to 1.
- ``"england"``: Devlin N. J., Shah K. K., Feng Y., Mulhern B., van Hout B.
  (2018). Valuing health-related quality of life: an EQ-5D-5L value set for
  England. *Health Economics* 27(1), 7-22 (Wiley, open access),
  doi:10.1002/hec.3564; the 20-parameter hybrid model. The abstract gives the
  range, -0.285 (state 55555) to 0.950 (the best state below full health).

The decrements are the papers' coefficients as distributed, with those
citations, in the value-set table of the R package ``eq5d`` (Morton F. &
Nijjar J. S., CRAN, file ``data-raw/VT.csv``); the tests check them against
the published values (full health, worst state, best state below full health)
and against mixed states. The questionnaire's wording is licensed by the
EuroQol Research Foundation: impactkit ships scoring only, never the text;
register the instrument with EuroQol to use it (see docs/methods/scales.md).

QALYs gained (:class:`QALYGain`) are the area between two utility curves over
a stated horizon: without the action the person stays at the baseline index;
with it the index moves linearly from the baseline to the follow-up value
over the time to follow-up, then stays there.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from impactkit._results import Summary, displayed, jsonable
from impactkit._validation import Checker, did_you_mean
from impactkit.discount import factors
from impactkit.errors import Problem, ValidationError
from impactkit.measure._calculators import (
    MeasureResult,
    _by,
    _Calculator,
    paired_t_interval,
)
from impactkit.measure._filters import Condition, conditions

__all__ = [
    "EQ5D5L_COLUMNS",
    "EQ5D5L_DIMENSIONS",
    "EQ5D5L_VALUE_SETS",
    "EQ5DIndexResult",
    "EQ5DValueSet",
    "QALYGain",
    "QALYResult",
    "eq5d5l_index",
    "qaly_proxy",
]

EQ5D5L_DIMENSIONS: tuple[str, ...] = ("MO", "SC", "UA", "PD", "AD")
"""The five dimensions in the instrument's order: mobility, self-care, usual
activities, pain/discomfort, anxiety/depression."""

EQ5D5L_COLUMNS: tuple[str, ...] = ("eq5d_mo", "eq5d_sc", "eq5d_ua", "eq5d_pd", "eq5d_ad")
"""Default column names of the five dimensions (levels 1-5), in the instrument's order."""


@attrs.frozen
class EQ5DValueSet:
    r"""An additive EQ-5D-5L value set: :math:`u = c - \sum_d \beta_{d,\ell_d}`.

    Parameters
    ----------
    name : str
        Key in :data:`EQ5D5L_VALUE_SETS`.
    country : str
        Population whose preferences it reflects.
    decrements : mapping of str to tuple of 4 floats
        For each dimension (``"MO"`` ... ``"AD"``), the decrement of levels 2, 3,
        4 and 5 (level 1 has none), as positive numbers.
    source : str
        Publisher, authors, title, year and where the coefficients were read.
    constant : float, default 1
        Value of full health (11111).

    Examples
    --------
    >>> vs = EQ5D5L_VALUE_SETS["england"]
    >>> vs.country, vs.value((1, 1, 1, 1, 1)), round(vs.value((5, 5, 5, 5, 5)), 3)
    ('England', 1.0, -0.285)
    """

    name: str
    country: str
    decrements: Mapping[str, tuple[float, float, float, float]]
    source: str
    constant: float = 1.0

    def value(self, levels: Sequence[int]) -> float:
        """The index of one profile (levels of MO, SC, UA, PD, AD).

        Parameters
        ----------
        levels : sequence of 5 int
            Levels 1-5 in the instrument's order.

        Returns
        -------
        float
            The utility index (unrounded).

        Raises
        ------
        ValidationError
            When there are not five levels, each a whole number from 1 to 5.

        Examples
        --------
        >>> round(EQ5D5L_VALUE_SETS["france"].value((2, 2, 2, 2, 2)), 3)
        0.85
        """
        lv = list(levels)
        if len(lv) != 5 or not all(
            x in (1, 2, 3, 4, 5) and not isinstance(x, bool | np.bool_) for x in lv
        ):
            raise ValidationError(
                f"an EQ-5D-5L profile is five levels from 1 to 5, got {lv!r}",
                path=("levels",),
                code="out_of_range",
            )
        return self.constant - sum(
            self.decrements[d][int(x) - 2]
            for d, x in zip(EQ5D5L_DIMENSIONS, lv, strict=True)
            if x > 1
        )


_ENGLAND = EQ5DValueSet(
    name="england",
    country="England",
    decrements={
        "MO": (0.058, 0.076, 0.207, 0.274),
        "SC": (0.050, 0.080, 0.164, 0.203),
        "UA": (0.050, 0.063, 0.162, 0.184),
        "PD": (0.063, 0.084, 0.276, 0.335),
        "AD": (0.078, 0.104, 0.285, 0.289),
    },
    source=(
        "Devlin N. J., Shah K. K., Feng Y., Mulhern B., van Hout B. (2018). Valuing "
        "health-related quality of life: an EQ-5D-5L value set for England. Health "
        "Economics 27(1), 7-22 (Wiley), doi:10.1002/hec.3564; 20-parameter hybrid model "
        "coefficients as distributed in the R package eq5d (data-raw/VT.csv)"
    ),
)

_FRANCE = EQ5DValueSet(
    name="france",
    country="France",
    decrements={
        "MO": (0.03759, 0.04774, 0.17949, 0.32509),
        "SC": (0.03656, 0.050781, 0.172251, 0.258331),
        "UA": (0.03313, 0.03979, 0.15689, 0.24005),
        "PD": (0.02198, 0.04704, 0.26374, 0.44399),
        "AD": (0.02046, 0.04683, 0.20005, 0.25803),
    },
    source=(
        "Andrade L. F., Ludwig K., Ramos Goni J. M., Oppe M., de Pouvourville G. (2020). "
        "A French value set for the EQ-5D-5L. PharmacoEconomics 38(4), 413-425 "
        "(Springer), doi:10.1007/s40273-019-00876-4; adjusted hybrid model coefficients "
        "as distributed in the R package eq5d (data-raw/VT.csv)"
    ),
)

EQ5D5L_VALUE_SETS: Mapping[str, EQ5DValueSet] = {"france": _FRANCE, "england": _ENGLAND}
"""The shipped EQ-5D-5L value sets by name (``"france"``, ``"england"``)."""


def _value_set(name: Any, path: tuple[str | int, ...] = ("value_set",)) -> EQ5DValueSet:
    if isinstance(name, EQ5DValueSet):
        return name
    if not isinstance(name, str) or name.lower() not in EQ5D5L_VALUE_SETS:
        raise ValidationError(
            f"unknown EQ-5D-5L value set {name!r}{did_you_mean(str(name), EQ5D5L_VALUE_SETS)}; "
            f"known: {', '.join(EQ5D5L_VALUE_SETS)}",
            path=path,
            code="invalid_choice",
        )
    return EQ5D5L_VALUE_SETS[name.lower()]


def _dimension_columns(columns: Any) -> tuple[str, ...]:
    if columns is None:
        return EQ5D5L_COLUMNS
    if isinstance(columns, Mapping):
        missing = [d for d in EQ5D5L_DIMENSIONS if d not in columns]
        extra = [k for k in columns if k not in EQ5D5L_DIMENSIONS]
        if missing or extra:
            raise ValidationError(
                "columns maps each of MO, SC, UA, PD, AD to a column"
                + (f"; missing {', '.join(missing)}" if missing else "")
                + (f"; unknown {', '.join(map(str, extra))}" if extra else ""),
                path=("columns",),
                code="invalid",
            )
        return tuple(str(columns[d]) for d in EQ5D5L_DIMENSIONS)
    cols = (columns,) if isinstance(columns, str) else tuple(columns)
    if len(cols) != 5:
        raise ValidationError(
            f"columns names the five dimensions MO, SC, UA, PD, AD in order, got {len(cols)}",
            path=("columns",),
            code="invalid",
        )
    return tuple(str(c) for c in cols)


def _not_boolean(s: pd.Series) -> pd.Series:
    """The answers with True/False made text: a yes/no is not a level (True would read as 1)."""
    if pd.api.types.is_bool_dtype(s):
        return s.astype(object).map(str)
    if s.dtype == object:
        return s.map(lambda x: str(x) if isinstance(x, bool | np.bool_) else x)
    return s


def _levels(frame: pd.DataFrame, cols: Sequence[str]) -> tuple[pd.DataFrame, pd.Series, pd.Series]:
    """Levels as floats; masks of incomplete rows and of rows with an invalid answer."""
    problems = [
        Problem(("columns", i), "missing_column", f"column {c!r} is not in the data")
        for i, c in enumerate(cols)
        if c not in frame.columns
    ]
    if problems:
        raise ValidationError(problems)
    num = pd.DataFrame(
        {
            d: pd.to_numeric(_not_boolean(frame[c]), errors="coerce").astype(float)
            for d, c in zip(EQ5D5L_DIMENSIONS, cols, strict=True)
        },
        index=frame.index,
    )
    blank = np.column_stack([frame[c].isna().to_numpy() for c in cols])
    valid = num.isin([1.0, 2.0, 3.0, 4.0, 5.0]).to_numpy()
    invalid = pd.Series((~blank & ~valid).any(axis=1), index=frame.index)
    incomplete = pd.Series(blank.any(axis=1), index=frame.index) & ~invalid
    return num.where(valid), incomplete, invalid


def _index_values(levels: pd.DataFrame, vs: EQ5DValueSet) -> pd.Series:
    out = pd.Series(vs.constant, index=levels.index, dtype=float)
    for d in EQ5D5L_DIMENSIONS:
        dec = np.concatenate([[0.0], np.asarray(vs.decrements[d], dtype=float)])
        lv = levels[d].to_numpy()
        ok = ~np.isnan(lv)
        vals = np.full(lv.shape, np.nan)
        vals[ok] = dec[lv[ok].astype(int) - 1]
        out = out - vals
    return out


@displayed(headline=("Mean index", "Scored", "Incomplete", "Out of range"))
@attrs.frozen
class EQ5DIndexResult:
    """EQ-5D-5L utility indices per respondent, with the rows that could not be scored.

    Returned by :func:`eq5d5l_index`.

    Parameters
    ----------
    index : pandas.Series
        One index per row of the input (same index), NaN where not scored.
    value_set : str
        Name of the value set.
    n : int
        Rows scored.
    incomplete : int
        Rows with at least one dimension unanswered (and no invalid answer).
    out_of_range : int
        Rows with an answer that is not a level 1-5 (e.g. 0, 6, 2.5, "x").
    source : str
        Citation of the value set.

    Examples
    --------
    >>> df = pd.DataFrame({c: [1, 5, None] for c in EQ5D5L_COLUMNS})
    >>> r = eq5d5l_index(df, value_set="england")
    >>> r.n, r.incomplete, r.out_of_range, round(r.mean, 4)
    (2, 1, 0, 0.3575)
    """

    index: pd.Series = attrs.field(eq=False, repr=False)
    value_set: str
    n: int
    incomplete: int
    out_of_range: int
    source: str = ""

    @property
    def missing(self) -> int:
        """Rows not scored (incomplete or out of range)."""
        return self.incomplete + self.out_of_range

    @property
    def mean(self) -> float | None:
        """Mean index over the scored rows (None when none was scored)."""
        return float(self.index.mean()) if self.n else None

    def to_frame(self) -> pd.DataFrame:
        """The indices as a one-column table (``eq5d_index``), NaN where not scored.

        Returns
        -------
        pandas.DataFrame
        """
        return self.index.rename("eq5d_index").to_frame()

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data.

        Returns
        -------
        dict
            value_set, n, incomplete, out_of_range, mean, source and the
            indices as a list (None where not scored).
        """
        return {
            "value_set": self.value_set,
            "n": self.n,
            "incomplete": self.incomplete,
            "out_of_range": self.out_of_range,
            "mean": jsonable(self.mean),
            "source": self.source,
            "index": jsonable(self.index.tolist()),
        }

    def summary(self) -> Summary:
        """Headline figures for people.

        Returns
        -------
        Summary
        """
        lines = (
            ("Value set", self.value_set),
            ("Scored", str(self.n)),
            ("Incomplete (missing)", str(self.incomplete)),
            ("Out of range 1-5 (missing)", str(self.out_of_range)),
            ("Mean index", "-" if self.mean is None else f"{self.mean:.3f}"),
        )
        return Summary("EQ-5D-5L index", lines)


def eq5d5l_index(
    frame: pd.DataFrame,
    *,
    value_set: str,
    columns: Sequence[str] | Mapping[str, str] | None = None,
) -> EQ5DIndexResult:
    r"""EQ-5D-5L utility index per respondent, :math:`u = 1 - \sum_d \beta_{d,\ell_d}`.

    Parameters
    ----------
    frame : pandas.DataFrame
        One row per respondent, one column per dimension (levels 1-5).
    value_set : {"france", "england"}
        Which value set (see :data:`EQ5D5L_VALUE_SETS`).
    columns : sequence of 5 str or mapping, optional
        The dimension columns in the order MO, SC, UA, PD, AD, or a mapping
        ``{"MO": ..., "SC": ..., ...}``. Default :data:`EQ5D5L_COLUMNS`.

    Returns
    -------
    EQ5DIndexResult
        The indices (unrounded; value sets publish three decimals) and the
        counts of rows not scored.

    Raises
    ------
    ValidationError
        Unknown value set, malformed ``columns``, or every missing column at once.

    Notes
    -----
    A row with a dimension unanswered is *incomplete*; a row with an answer
    that is not a whole level 1-5 is *out of range*. Both get NaN and are
    counted in the result, never dropped: calculators count them as missing.
    Text answers that read as numbers (``"3"``) are accepted.

    References
    ----------
    .. [1] Andrade L. F. et al. (2020). A French value set for the EQ-5D-5L.
       PharmacoEconomics 38(4), 413-425.
    .. [2] Devlin N. J. et al. (2018). Valuing health-related quality of life:
       an EQ-5D-5L value set for England. Health Economics 27(1), 7-22.

    Examples
    --------
    >>> df = pd.DataFrame([[1, 1, 1, 1, 1], [5, 5, 5, 5, 5], [2, 2, 2, 2, 2], [1, 9, 1, 1, 1]],
    ...                   columns=list(EQ5D5L_COLUMNS))
    >>> r = eq5d5l_index(df, value_set="france")
    >>> [round(x, 3) for x in r.index.dropna()], r.out_of_range
    ([1.0, -0.525, 0.85], 1)
    """
    vs = _value_set(value_set)
    if not isinstance(frame, pd.DataFrame):
        raise ValidationError(
            f"eq5d5l_index needs a pandas DataFrame, got {type(frame).__name__}", code="type"
        )
    cols = _dimension_columns(columns)
    levels, incomplete, invalid = _levels(frame, cols)
    idx = _index_values(levels, vs)
    idx.name = "eq5d_index"
    return EQ5DIndexResult(
        index=idx,
        value_set=vs.name,
        n=int(idx.notna().sum()),
        incomplete=int(incomplete.sum()),
        out_of_range=int(invalid.sum()),
        source=vs.source,
    )


def _qaly_weight(horizon: float, followup_at: float, rate: float) -> float:
    """Discounted QALYs per unit of index change, the weight W of :class:`QALYGain`."""
    total = 0.0
    for k in range(1, math.ceil(horizon) + 1):
        a, b = float(k - 1), min(float(k), horizon)
        t = followup_at
        if b <= t:
            area = (b * b - a * a) / (2 * t)
        elif a >= t:
            area = b - a
        else:
            area = (t * t - a * a) / (2 * t) + (b - t)
        total += float(factors(rate, [k])[0]) * area
    return total


@displayed
@attrs.frozen
class QALYResult(MeasureResult):
    r"""A :class:`~impactkit.measure.MeasureResult` of QALYs gained, with the time weight.

    Returned by :meth:`QALYGain.compute`; ``quantity`` is
    :math:`W \sum_i (u_{i1} - u_{i0})`.

    Parameters
    ----------
    quantity : float
        Discounted QALYs gained, summed over people.
    n : int
        People with both indices.
    missing : int
        People missing either index (including incomplete or out-of-range
        EQ-5D answers).
    share, mean_change, ci, se, level, calculator, data, by, reliability
        As in :class:`~impactkit.measure.MeasureResult`; ``mean_change`` is
        the mean index change and ``ci`` its paired t interval.
    weight : float, default nan
        :math:`W`, discounted QALYs per unit of index change over the horizon.
    mean_qalys : float or None, default None
        Mean discounted QALYs gained per person (``quantity / n``).

    Examples
    --------
    >>> df = pd.DataFrame({"u0": [0.5, 0.6], "u1": [0.7, 0.6]})
    >>> r = QALYGain(baseline="u0", followup="u1", horizon=2).compute(df)
    >>> round(r.weight, 6), round(r.quantity, 6), round(r.mean_qalys, 6)
    (1.5, 0.3, 0.15)
    """

    weight: float = math.nan
    mean_qalys: float | None = None

    def to_frame(self) -> pd.DataFrame:
        """The measurement as one row with ``weight`` and ``mean_qalys`` (or the table by group).

        Returns
        -------
        pandas.DataFrame
            The columns of :meth:`MeasureResult.to_frame`, then ``weight`` and
            ``mean_qalys`` (a copy of the table by group when there is one).
        """
        out = super().to_frame()
        if self.by is not None:
            return out
        out["weight"] = [self.weight]
        out["mean_qalys"] = [self.mean_qalys]
        return out

    def describe(self) -> str:
        """One line for lineage and reports.

        Returns
        -------
        str
            The measure line followed by the weight and the mean QALYs per person.
        """
        bits = [super().describe(), f"weight={self.weight:.4g}"]
        if self.mean_qalys is not None:
            bits.append(f"QALYs per person={self.mean_qalys:.4g}")
        return ", ".join(bits)


@attrs.frozen
class QALYGain(_Calculator):
    r"""QALYs gained over a horizon, from utility indices before and after (area between curves).

    Without the action a person stays at the baseline index :math:`u_0`; with
    it the index moves linearly to :math:`u_1` at the follow-up time :math:`T`
    and stays there until the horizon :math:`H`. The QALYs gained are the area
    between the two curves, year by year, discounted:

    .. math::
        Q_i = (u_{i1} - u_{i0})\,W, \qquad
        W = \sum_{k=1}^{\lceil H \rceil} DF(k)
            \int_{k-1}^{\min(k, H)} \min\!\Bigl(\frac{t}{T}, 1\Bigr)\,dt

    with :math:`DF(k) = (1 + r)^{-k}` (:func:`impactkit.discount.factors`; the
    QALYs of year :math:`k` are discounted like a benefit of year :math:`k`).
    The quantity is :math:`\sum_i Q_i`.

    Parameters
    ----------
    baseline, followup : str
        Columns of the utility index before and after; with ``value_set``, the
        time suffixes of the EQ-5D-5L dimension columns
        (``f"{dimension}{separator}{suffix}"``).
    horizon : float
        Years over which the gain is counted, > 0 (say why in the model).
    followup_at : float, default 1
        Years between the two measurements, in (0, ``horizon``].
    discount_rate : float, default 0
        Annual rate of :math:`DF`; 0 counts undiscounted QALYs. Discount here
        for a stand-alone count (cost per QALY). In a value map the model
        discounts each row's yearly flows itself: keep 0 there, with a horizon
        of one year and the row's ``duration`` and ``drop_off`` for the years
        after, or the QALYs are discounted twice.
    value_set : {"france", "england"}, optional
        Score EQ-5D-5L dimensions with this value set (:func:`eq5d5l_index`).
    dimensions : sequence of 5 str, default :data:`EQ5D5L_COLUMNS`
        Stems of the dimension columns, with ``value_set``.
    separator : str, default "_"
        Between a dimension stem and the time suffix.
    level, where, by, data
        As in :class:`~impactkit.measure.LifeSatisfaction`.

    Notes
    -----
    People with either index missing (incomplete or out-of-range EQ-5D
    answers included) are counted in ``missing``. An index above 1 is an
    error. The interval is the paired t interval of the mean index change;
    ``se`` is the standard error of the quantity, :math:`W\sqrt n\,s_\Delta`.
    Value the QALYs with :func:`qaly_proxy`.

    References
    ----------
    .. [1] Drummond M. F. et al. (2015). Methods for the economic evaluation of
       health care programmes, 4th ed. Oxford University Press (QALYs as the
       area under the utility curve).

    Examples
    --------
    >>> df = pd.DataFrame({"u0": [0.5, 0.6, None], "u1": [0.7, 0.8, 0.9]})
    >>> r = QALYGain(baseline="u0", followup="u1", horizon=3).compute(df)
    >>> round(r.quantity, 6), r.n, r.missing   # 0.4 x (0.5 + 1 + 1)
    (1.0, 2, 1)
    """

    name: ClassVar[str] = "qaly_gain"
    _t_interval: ClassVar[bool] = True
    stage: ClassVar[str] = "outcome"
    baseline: str
    followup: str
    horizon: float
    followup_at: float = 1.0
    discount_rate: float = 0.0
    value_set: str | None = None
    dimensions: tuple[str, ...] = attrs.field(default=EQ5D5L_COLUMNS, converter=tuple)
    separator: str = "_"
    level: float = 0.95
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)

    def _check(self, c: Checker) -> None:
        c.text(self.baseline, "baseline", empty=False)
        c.text(self.followup, "followup", empty=False)
        ok = c.number(self.horizon, "horizon", low=0.0, low_open=True)
        ok &= c.number(self.followup_at, "followup_at", low=0.0, low_open=True)
        if ok and self.followup_at > self.horizon:
            c.add(
                "followup_at",
                "out_of_range",
                f"the follow-up ({self.followup_at:g} years) must lie within the horizon "
                f"({self.horizon:g} years)",
            )
        if ok and self.horizon > 200:
            c.add("horizon", "out_of_range", "a horizon beyond 200 years is not a QALY horizon")
        if c.number(self.discount_rate, "discount_rate") and not self.discount_rate > -1:
            c.add("discount_rate", "out_of_range", "must exceed -1")
        if self.value_set is not None:
            try:
                _value_set(self.value_set)
            except ValidationError as exc:
                c.extend(exc.problems)
        if len(self.dimensions) != 5:
            c.add("dimensions", "invalid", "name the five dimension columns MO, SC, UA, PD, AD")
        for i, d in enumerate(self.dimensions):
            c.text(d, ("dimensions", i), empty=False)
        c.text(self.separator, "separator")

    def _dimension_cols(self, suffix: str) -> list[str]:
        return [f"{d}{self.separator}{suffix}" for d in self.dimensions]

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        if self.value_set is None:
            return ((("baseline",), self.baseline), (("followup",), self.followup))
        return [
            ((field, i), col)
            for field, sfx in (("baseline", self.baseline), ("followup", self.followup))
            for i, col in enumerate(self._dimension_cols(sfx))
        ]

    @property
    def weight(self) -> float:
        """Discounted QALYs per unit of index change over the horizon (:math:`W`).

        Returns
        -------
        float
        """
        return _qaly_weight(
            float(self.horizon), float(self.followup_at), float(self.discount_rate)
        )

    def _index(self, df: pd.DataFrame, column: str, field: str) -> pd.Series:
        if self.value_set is not None:
            return eq5d5l_index(
                df, value_set=self.value_set, columns=self._dimension_cols(column)
            ).index
        s = self._numeric(df[column], field)
        bad = s[s.notna() & ((s > 1) | ~np.isfinite(s))]
        if len(bad):
            raise ValidationError(
                f"{len(bad)} utilities above 1 or not finite in column {column!r} "
                f"(rows {list(bad.index[:5])})",
                path=(field,),
                code="out_of_range",
            )
        return s

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        u0 = self._index(df, self.baseline, "baseline")
        u1 = self._index(df, self.followup, "followup")
        ok = u0.notna() & u1.notna()
        d = (u1[ok] - u0[ok]).to_numpy(dtype=float)
        n = int(ok.sum())
        w = self.weight
        sd = float(d.std(ddof=1)) if n >= 2 else None
        q = float(w * d.sum())
        return QALYResult(
            quantity=q,
            n=n,
            missing=int((~ok).sum()),
            mean_change=float(d.mean()) if n else None,
            ci=paired_t_interval(d, self.level) if n >= 2 else None,
            se=w * math.sqrt(n) * sd if sd is not None else None,
            level=self.level,
            calculator=self.to_dict(),
            data=self.data,
            weight=w,
            mean_qalys=q / n if n else None,
        )


def qaly_proxy(*, entry: str = "valeur_annee_vie") -> Any:
    """The money value of one QALY: the catalogue's value of a life-year, at its price year.

    Parameters
    ----------
    entry : str, default "valeur_annee_vie"
        Catalogue entry (see :func:`impactkit.valuation.catalogue`); the
        default is the value of a life-year recommended in France (115,000 EUR,
        dated 2013, the Quinet report's year, as quoted by the OFDT note
        2015-04; its price year could not be read in the report).

    Returns
    -------
    FinancialProxy
        Per QALY, with the entry's currency, price year and source.

    Notes
    -----
    A life-year valued this way is a year of life, not a year in full health:
    using it for a QALY assumes a year in full health is worth a statistical
    life-year. The French guidance moves this value with GDP per head, not
    with consumer prices: state it in the model's base year with a
    GDP-per-head series (:func:`impactkit.lint` warns, ``proxy_index_rule``,
    when a model moves it with a consumer price index).

    Examples
    --------
    >>> p = qaly_proxy()
    >>> p.value, p.currency, p.year, p.unit
    (115000.0, 'EUR', 2013, 'EUR per QALY')
    """
    from impactkit.valuation import proxy_from_catalogue

    p = proxy_from_catalogue(
        entry, description="One quality-adjusted life-year (QALY), valued as a life-year"
    )
    return attrs.evolve(p, unit=f"{p.currency} per QALY")
