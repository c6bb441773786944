r"""Reliable change (Jacobson & Truax 1991): change larger than the instrument's noise.

.. math::
    S_E = s_1\sqrt{1 - r_{xx}}, \qquad S_{diff} = \sqrt{2 S_E^2}, \qquad
    RCI_i = \frac{x_{2i} - x_{1i}}{S_{diff}}

A unit has *reliably improved* when its RCI exceeds :math:`z` (1.96) in the good
direction, *reliably deteriorated* when it exceeds it in the other, and is
*unchanged* otherwise. With the functional norms :math:`(M_0, s_0)` and the
dysfunctional norms :math:`(M_1, s_1)` the clinical cut-off is

.. math::
    c = \frac{s_0 M_1 + s_1 M_0}{s_0 + s_1}

and a reliably improved unit that moved from the dysfunctional to the
functional side of :math:`c` has *recovered* (docs/methods/scales.md).

References
----------
.. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical
   approach to defining meaningful change in psychotherapy research. Journal of
   Consulting and Clinical Psychology 59(1), 12-19.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from impactkit._results import displayed
from impactkit._validation import Checker
from impactkit.errors import ValidationError
from impactkit.measure._calculators import MeasureResult, _by, _Calculator, wilson_interval
from impactkit.measure._filters import Condition, conditions
from impactkit.measure._scales import Scale, as_scale

__all__ = ["ReliableChange", "ReliableChangeResult", "clinical_cutoff"]

_NORMS = ("functional_mean", "functional_sd", "dysfunctional_mean", "dysfunctional_sd")
CRITERIA: tuple[str, ...] = ("c", "a", "b")


def clinical_cutoff(
    functional: tuple[float, float],
    dysfunctional: tuple[float, float],
    *,
    criterion: str = "c",
) -> float:
    r"""Jacobson & Truax's cut-off *a*, *b* or *c* between functional and dysfunctional norms.

    With :math:`\sigma = \operatorname{sign}(M_0 - M_1)`, the side on which
    the functional population lies:

    .. math::
        a = M_1 + 2\sigma s_1, \qquad b = M_0 - 2\sigma s_0, \qquad
        c = \frac{s_0 M_1 + s_1 M_0}{s_0 + s_1}

    *a*: two standard deviations beyond the dysfunctional mean, towards the
    functional side; *b*: within two standard deviations of the functional
    mean; *c*: closer to the functional mean than to the dysfunctional one,
    in standard deviations (the default, for overlapping populations).

    Parameters
    ----------
    functional : (float, float)
        Mean :math:`M_0` and standard deviation :math:`s_0` of the functional population.
    dysfunctional : (float, float)
        Mean :math:`M_1` and standard deviation :math:`s_1` of the dysfunctional population.
    criterion : {"c", "a", "b"}, default "c"
        Which cut-off.

    Returns
    -------
    float
        The cut-off.

    Raises
    ------
    ValidationError
        When a mean or standard deviation is not a finite number, a standard
        deviation is not positive, the criterion is unknown, or (for *a* and
        *b*) the two means are equal, which leaves the functional side unknown.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). J. Consult. Clin. Psychol. 59(1), 12-19.

    Examples
    --------
    >>> clinical_cutoff((30.0, 5.0), (20.0, 10.0))
    26.666666666666668
    >>> clinical_cutoff((30.0, 5.0), (20.0, 10.0), criterion="a")
    40.0
    >>> clinical_cutoff((30.0, 5.0), (20.0, 10.0), criterion="b")
    20.0
    """
    c = Checker()
    c.choice(criterion, "criterion", CRITERIA)
    try:
        (m0, s0), (m1, s1) = functional, dysfunctional
    except (TypeError, ValueError):
        raise ValidationError(
            "give each population as (mean, standard deviation)", code="type"
        ) from None
    for path, v in (("functional", m0), ("dysfunctional", m1)):
        c.number(v, (path, 0))
    for path, v in (("functional", s0), ("dysfunctional", s1)):
        c.number(v, (path, 1), low=0.0, low_open=True)
    c.raise_if_errors()
    side = float(np.sign(m0 - m1))
    if criterion != "c" and side == 0:
        raise ValidationError(
            f"cut-off {criterion} needs different means: the functional side is unknown",
            path=("criterion",),
            code="inconsistent",
        )
    if criterion == "a":
        return float(m1 + 2 * side * s1)
    if criterion == "b":
        return float(m0 - 2 * side * s0)
    return float((s0 * m1 + s1 * m0) / (s0 + s1))


@displayed
@attrs.frozen
class ReliableChangeResult(MeasureResult):
    r"""A :class:`~impactkit.measure.MeasureResult` with the reliable-change counts.

    Returned by :meth:`ReliableChange.compute`. With
    :math:`S_{diff} = \sqrt 2\, s \sqrt{1 - r_{xx}}` and
    :math:`RCI_i = \pm(x_{2i} - x_{1i}) / S_{diff}` (sign by the good
    direction), a unit is improved when :math:`RCI_i > z`, deteriorated
    when :math:`RCI_i < -z` and unchanged otherwise (Jacobson & Truax 1991,
    docs/methods/scales.md).

    Parameters
    ----------
    quantity : float
        Number of reliably improved units (equal to ``improved``).
    n : int
        Units with both measurements.
    missing : int
        Units (rows kept by ``where``) missing either measurement.
    share : float or None, default None
        ``improved / n``; None when ``n`` is 0.
    mean_change : float or None, default None
        Mean raw change :math:`\overline{x_2 - x_1}` over the ``n`` units,
        whatever the good direction; None when ``n`` is 0.
    ci : tuple of float or None, default None
        Wilson interval of ``share``.
    se : float or None, default None
        Binomial standard error of ``quantity``,
        :math:`\sqrt{n \hat p (1 - \hat p)}` with :math:`\hat p` the share.
    level : float, default 0.95
        Confidence level of ``ci``.
    calculator : mapping, optional
        Spec of the calculator (its file form), read-only.
    data : str or None, default None
        Name of the data source.
    by : pandas.DataFrame or None, default None
        The measurement by group (group columns, ``quantity``, ``n``,
        ``missing``, ``share``), when measured ``by`` columns.
    reliability : float or None, default None
        Cronbach's alpha of the baseline items on the units used, when
        measured with a :class:`~impactkit.measure.Scale` (None otherwise);
        the reliability used in :math:`S_{diff}` is the calculator's
        ``reliability`` when given, this alpha otherwise.
    improved : int, default 0
        Units whose change is reliable in the good direction (``quantity``).
    unchanged : int, default 0
        Units whose change is within the instrument's noise
        (:math:`|RCI| \le z`).
    deteriorated : int, default 0
        Units whose change is reliable in the bad direction.
    recovered : int or None, default None
        Reliably improved units that started on the dysfunctional side of
        the clinical cut-off (or on it) and ended on the functional side;
        None without a cut-off.
    s_diff : float, default nan
        Standard error of the difference, :math:`\sqrt{2}\,s\sqrt{1-r}`.
    cutoff : float or None, default None
        The clinical cut-off used (given, or from the norms); None without one.

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a
       statistical approach to defining meaningful change in psychotherapy
       research. Journal of Consulting and Clinical Psychology 59(1), 12-19.

    Examples
    --------
    >>> df = pd.DataFrame({"pre": [10, 12, 20, 15], "post": [20, 13, 10, 22]})
    >>> r = ReliableChange(baseline="pre", followup="post", reliability=0.8, sd=5.0,
    ...                    cutoff=21.0).compute(df)  # 10 -> 20 improves, stays below 21
    >>> r.improved, r.unchanged, r.deteriorated, r.recovered, r.share
    (2, 1, 1, 1, 0.5)
    """

    improved: int = 0
    unchanged: int = 0
    deteriorated: int = 0
    recovered: int | None = None
    s_diff: float = math.nan
    cutoff: float | None = None

    def to_frame(self) -> pd.DataFrame:
        """The measurement as one row with the reliable-change counts (or the table by group).

        Returns
        -------
        pandas.DataFrame
            The columns of :meth:`MeasureResult.to_frame`, then ``improved``,
            ``unchanged``, ``deteriorated``, ``recovered``, ``s_diff`` and
            ``cutoff`` (a copy of the table by group when there is one).
        """
        out = super().to_frame()
        if self.by is not None:
            return out
        for k in ("improved", "unchanged", "deteriorated", "recovered", "s_diff", "cutoff"):
            out[k] = [getattr(self, k)]
        return out

    def describe(self) -> str:
        """One line for lineage and reports.

        Returns
        -------
        str
            The measure line followed by the reliable-change counts.
        """
        bits = [
            super().describe(),
            f"improved={self.improved}",
            f"unchanged={self.unchanged}",
            f"deteriorated={self.deteriorated}",
        ]
        if self.recovered is not None:
            bits.append(f"recovered={self.recovered}")
        bits.append(f"S_diff={self.s_diff:.4g}")
        if self.cutoff is not None:
            bits.append(f"cutoff={self.cutoff:.4g}")
        return ", ".join(bits)


@attrs.frozen
class ReliableChange(_Calculator):
    r"""Count the units whose change is reliable (Jacobson & Truax 1991).

    The quantity is the number of units with :math:`RCI > z` in the good
    direction, :math:`RCI = (x_2 - x_1) / \sqrt{2 (s \sqrt{1 - r})^2}`; the
    result also counts the units unchanged and reliably deteriorated, and, with
    a clinical cut-off, the units recovered.

    Parameters
    ----------
    baseline, followup : str
        Columns of the first and second measurement; with ``measure``, the time
        suffixes of the item columns.
    reliability : float, optional
        Reliability :math:`r_{xx}` of the instrument (test-retest or alpha from
        its norms), in [0, 1). With ``measure`` and no value, Cronbach's alpha of
        the baseline items on the rows used.
    sd : float, optional
        Standard deviation :math:`s_1` of the instrument in the reference
        (pre-treatment) population, > 0. Default: the sample standard deviation
        (n - 1) of the baseline scores on the rows used.
    direction : {"increase", "decrease"}, default "increase"
        Which way is better.
    z : float, default 1.96
        Critical value of the RCI.
    cutoff : float, optional
        Clinical cut-off *c* given directly.
    functional_mean, functional_sd, dysfunctional_mean, dysfunctional_sd : float, optional
        Norms from which the cut-off is computed (:func:`clinical_cutoff`); give
        all four or none, and not together with ``cutoff``.
    criterion : {"c", "a", "b"}, default "c"
        Which of Jacobson & Truax's cut-offs the norms give: *c* (closer to
        the functional mean), *a* (two standard deviations beyond the
        dysfunctional mean) or *b* (within two standard deviations of the
        functional mean); *a* and *b* need the norms.
    level : float, default 0.95
        Confidence level of the Wilson interval of the share improved.
    where, by, data
        As in :class:`~impactkit.measure.Count`. Each group of ``by`` is
        counted with the ``sd`` and ``reliability`` of all the rows kept (the
        reference population), so the groups' counts add up to the total.
    measure : Scale, optional
        Score a questionnaire scale at each time (see :class:`~impactkit.measure.PrePost`).
    separator : str, default "_"
        Between an item and its time suffix.

    Notes
    -----
    Units missing either measurement are counted in ``missing``. A unit is
    *recovered* when it reliably improved, started on the dysfunctional side of
    *c* and ended on the functional side (above *c* when ``direction`` is
    ``"increase"``).

    References
    ----------
    .. [1] Jacobson, N. S., & Truax, P. (1991). Clinical significance: a statistical
       approach to defining meaningful change in psychotherapy research. Journal of
       Consulting and Clinical Psychology 59(1), 12-19.

    Examples
    --------
    >>> df = pd.DataFrame({"pre": [10, 12, 20, 15, None], "post": [20, 13, 10, 22, 18]})
    >>> r = ReliableChange(baseline="pre", followup="post", reliability=0.8, sd=5.0).compute(df)
    >>> r.quantity, r.improved, r.unchanged, r.deteriorated, r.missing
    (2.0, 2, 1, 1, 1)
    >>> round(r.s_diff, 4)
    3.1623
    """

    name: ClassVar[str] = "reliable_change"
    stage: ClassVar[str] = "outcome"
    baseline: str
    followup: str
    reliability: float | None = None
    sd: float | None = None
    direction: str = "increase"
    z: float = 1.96
    cutoff: float | None = None
    functional_mean: float | None = None
    functional_sd: float | None = None
    dysfunctional_mean: float | None = None
    dysfunctional_sd: float | None = None
    criterion: str = "c"
    level: float = 0.95
    where: tuple[Condition, ...] = attrs.field(default=(), converter=conditions)
    by: tuple[str, ...] = attrs.field(default=(), converter=_by)
    data: str | None = attrs.field(default=None, kw_only=True)
    measure: Scale | None = attrs.field(default=None, converter=as_scale)
    separator: str = "_"

    def _check(self, c: Checker) -> None:
        c.text(self.baseline, "baseline", empty=False)
        c.text(self.followup, "followup", empty=False)
        if self.reliability is not None:
            c.number(self.reliability, "reliability", low=0.0, high=1.0)
            if self.reliability == 1:
                c.add("reliability", "out_of_range", "must be below 1 (no measurement error)")
        elif self.measure is None:
            c.add("reliability", "missing", "give the instrument's reliability (or a measure)")
        if self.sd is not None:
            c.number(self.sd, "sd", low=0.0, low_open=True)
        c.choice(self.direction, "direction", ("increase", "decrease"))
        c.number(self.z, "z", low=0.0, low_open=True)
        norms = [getattr(self, k) for k in _NORMS]
        given = [v is not None for v in norms]
        if any(given) and not all(given):
            missing = [k for k, g in zip(_NORMS, given, strict=True) if not g]
            c.add(missing[0], "missing", "give all four norms or none: " + ", ".join(_NORMS))
        c.choice(self.criterion, "criterion", CRITERIA)
        if self.criterion != "c" and not all(given):
            c.add("criterion", "missing", f"cut-off {self.criterion} is computed from the norms")
        if all(given):
            if self.cutoff is not None:
                c.add("cutoff", "conflict", "give a cutoff or the norms, not both")
            for k in _NORMS:
                sd_field = k.endswith("_sd")
                c.number(getattr(self, k), k, low=0.0 if sd_field else None, low_open=sd_field)
            if not c.has_errors:
                better = _f(self.functional_mean) - _f(self.dysfunctional_mean)
                if better == 0 and self.criterion != "c":
                    c.add(
                        "functional_mean",
                        "inconsistent",
                        f"cut-off {self.criterion} needs the functional mean to differ "
                        "from the dysfunctional mean",
                    )
                if (better < 0) == (self.direction == "increase") and better != 0:
                    c.add(
                        "functional_mean",
                        "inconsistent",
                        f"the functional mean must lie on the better side ({self.direction}) "
                        "of the dysfunctional mean",
                    )
        if self.cutoff is not None:
            c.number(self.cutoff, "cutoff")

    def _columns(self) -> Sequence[tuple[tuple[str | int, ...], str]]:
        return self._paired_columns(self.baseline, self.followup)

    @property
    def clinical_cutoff(self) -> float | None:
        """The clinical cut-off *c* (given or from the norms), or None.

        Returns
        -------
        float or None
            The cut-off.
        """
        if self.cutoff is not None:
            return float(self.cutoff)
        if self.functional_mean is None:
            return None
        return clinical_cutoff(
            (_f(self.functional_mean), _f(self.functional_sd)),
            (_f(self.dysfunctional_mean), _f(self.dysfunctional_sd)),
            criterion=self.criterion,
        )

    def _grouped(self, df: pd.DataFrame) -> pd.DataFrame | None:
        """The counts by group against the reference of all the rows measured.

        The standard deviation and reliability taken from the data (when not
        given) are those of every row kept, not of each group's rows: a group
        is compared with the same :math:`S_{diff}` as the total, so the groups'
        counts add up to it.
        """
        if not self.by or (self.sd is not None and self.reliability is not None):
            return _Calculator._grouped(self, df)
        x1, _, ok = self._paired(df, self.baseline, self.followup)
        r = self.reliability
        if r is None:
            r = self._reliability(df[ok], self.baseline)
        sd = self.sd if self.sd is not None else float(x1[ok].to_numpy().std(ddof=1))
        return _Calculator._grouped(attrs.evolve(self, sd=sd, reliability=r), df)

    def _compute_frame(self, df: pd.DataFrame) -> MeasureResult:
        x1, x2, ok = self._paired(df, self.baseline, self.followup)
        n = int(ok.sum())
        alpha = self._reliability(df[ok], self.baseline)
        r = self.reliability if self.reliability is not None else alpha
        if r is None or not math.isfinite(r) or not 0 <= r < 1:
            raise ValidationError(
                "the reliability could not be estimated from the baseline items; give it",
                path=("reliability",),
                code="missing",
            )
        a, b = x1[ok].to_numpy(), x2[ok].to_numpy()
        sd = self.sd
        if sd is None:
            sd = float(a.std(ddof=1)) if n >= 2 else math.nan
            if not (math.isfinite(sd) and sd > 0):
                raise ValidationError(
                    "the baseline scores do not vary (or are fewer than 2): give sd",
                    path=("sd",),
                    code="missing",
                )
        s_diff = math.sqrt(2.0) * float(sd) * math.sqrt(1.0 - float(r))
        if s_diff == 0:
            raise ValidationError(
                "reliability 1 leaves no measurement error: RCI undefined",
                path=("reliability",),
                code="out_of_range",
            )
        sign = 1.0 if self.direction == "increase" else -1.0
        rci = sign * (b - a) / s_diff
        up = rci > self.z
        down = rci < -self.z
        improved, deteriorated = int(up.sum()), int(down.sum())
        c = self.clinical_cutoff
        recovered = None
        if c is not None:
            started_bad = sign * (a - c) <= 0
            ended_good = sign * (b - c) > 0
            recovered = int((up & started_bad & ended_good).sum())
        q = float(improved)
        return ReliableChangeResult(
            quantity=q,
            n=n,
            missing=int((~ok).sum()),
            share=q / n if n else None,
            mean_change=float(np.mean(b - a)) if n else None,
            ci=wilson_interval(q, n, level=self.level) if n else None,
            se=math.sqrt(n * (q / n) * (1 - q / n)) if n else None,
            level=self.level,
            calculator=self.to_dict(),
            data=self.data,
            reliability=alpha,
            improved=improved,
            unchanged=n - improved - deteriorated,
            deteriorated=deteriorated,
            recovered=recovered,
            s_diff=s_diff,
            cutoff=c,
        )


def _f(x: Any) -> float:
    """``float(x)`` for values already checked to be numbers."""
    return float(x)
