r"""Probability distributions for uncertain inputs.

Any numeric field of an :class:`~impactkit.OutcomeValuation`, a
:class:`~impactkit.FinancialProxy`, an :class:`~impactkit.Input` or a constant
discount rate may be one of these instead of a number. A point evaluation
(:func:`impactkit.sroi`) uses each distribution's :attr:`~Distribution.central`
value, which is its **mean** (the Green Book asks appraisals to use expected
values); :func:`impactkit.monte_carlo` samples them.

Parameterisations follow docs/methods/uncertainty.md:

========== ======================= =========================================
class      parameters              mean
========== ======================= =========================================
Fixed      value                   value
Uniform    low, high               (low + high) / 2
Triangular low, mode, high         (low + mode + high) / 3
PERT       low, mode, high, lam=4  (low + lam*mode + high) / (lam + 2)
Normal     mean, sd [, low, high]  mean of the (truncated) normal
LogNormal  mean, sd                mean
Beta       mean, sd [, low, high]  mean
========== ======================= =========================================

Every class draws a whole group of parameters in one vectorised call
(:meth:`Distribution.draw_group`), which is how Monte Carlo samples a value map
without a Python loop over rows.

References
----------
.. [1] Vose, D. (2008). Risk Analysis: A Quantitative Guide, 3rd ed. Wiley
   (PERT, triangular).
.. [2] HM Treasury (2022). The Green Book, annex on uncertainty.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any, ClassVar, cast

import attrs
import numpy as np

from impactkit._validation import Checker, as_float, did_you_mean
from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray, SeedLike

__all__ = [
    "DISTRIBUTIONS",
    "MAX_MAGNITUDE",
    "PERT",
    "Beta",
    "Distribution",
    "Fixed",
    "LogNormal",
    "Normal",
    "Number",
    "Triangular",
    "Uniform",
    "central",
    "from_dict",
]


def _f(x: Any) -> float:
    # leave non-numbers as they are: the validator reports them with their path
    return as_float(x)  # type: ignore[no-any-return]


def _opt_f(x: Any) -> float | None:
    return None if x is None else _f(x)


class Distribution:
    """Base class of impactkit distributions (frozen attrs values).

    Every distribution of this module is one: any numeric field of a model
    may hold it, a point evaluation uses its :attr:`central` value (the mean)
    and Monte Carlo samples it.

    Examples
    --------
    A deadweight judged between 10 % and 40 %, most likely 20 %:

    >>> import numpy as np
    >>> dw = Triangular(0.1, 0.2, 0.4)
    >>> isinstance(dw, Distribution), round(dw.central, 4)  # (0.1 + 0.2 + 0.4) / 3
    (True, 0.2333)
    >>> [round(float(x), 4) for x in dw.ppf([0.05, 0.95])]
    [0.1387, 0.3452]
    >>> x = dw.sample(np.random.default_rng(0), 10_000)
    >>> bool(0.1 <= x.min() and x.max() <= 0.4), round(float(x.mean()), 2)
    (True, 0.23)
    >>> from_dict({"dist": "triangular", "low": 0.1, "mode": 0.2, "high": 0.4}) == dw
    True
    """

    __slots__ = ()
    name: ClassVar[str] = ""
    _spread: ClassVar[str] = "sd"  # the parameter named when the moments overflow

    def __attrs_post_init__(self) -> None:
        c = Checker()
        self._check(c)
        if not c.has_errors:
            self._check_moments(c)
        c.raise_if_errors()

    def _check_moments(self, c: Checker) -> None:
        """The mean and variance must be finite floats.

        Parameters that are each finite can still give a variance of 1e400
        (``LogNormal(1, 1e200)``) or a mean of ``low + high`` beyond the
        largest float: such a distribution is refused here, with its path,
        rather than raising ``OverflowError`` or handing out infinities later.
        """
        try:
            with np.errstate(all="ignore"):
                values = [self.mean(), self.var()]
            finite = all(math.isfinite(float(v)) for v in values)
        except (OverflowError, ZeroDivisionError, ValueError):
            finite = False
        if not finite:
            c.add(
                self._spread,
                "too_large",
                f"this {self.name} distribution has a mean or variance beyond the largest "
                f"float; impactkit computes with values up to {MAX_MAGNITUDE:g} in magnitude",
            )

    def _check(self, c: Checker) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    # -- moments ---------------------------------------------------------
    @property
    def central(self) -> float:
        """Value used by point evaluation: the mean."""
        return self.mean()

    def mean(self) -> float:
        """Expected value."""
        raise NotImplementedError  # pragma: no cover

    def var(self) -> float:
        """Variance."""
        raise NotImplementedError  # pragma: no cover

    @property
    def support(self) -> tuple[float, float]:
        """Smallest and largest possible values (may be infinite)."""
        raise NotImplementedError  # pragma: no cover

    def _params(self) -> tuple[float, ...]:
        raise NotImplementedError  # pragma: no cover

    # -- quantiles and sampling -----------------------------------------
    def ppf(self, q: Any) -> FloatArray:
        """Quantile function (inverse CDF) at probabilities ``q``.

        Parameters
        ----------
        q : float or array_like of float
            Probabilities in [0, 1].

        Returns
        -------
        numpy.ndarray
            The quantiles, same shape as ``q`` (a 0-d array for a scalar).

        Raises
        ------
        ValidationError
            When a probability is outside [0, 1] or not a number (code
            ``out_of_range`` at ``q``).

        Examples
        --------
        >>> [round(float(x), 4) for x in Triangular(0, 0.2, 0.6).ppf([0.1, 0.5, 0.9])]
        [0.1095, 0.2536, 0.4451]
        """
        q = np.asarray(q, dtype=float)
        if not ((q >= 0.0) & (q <= 1.0)).all():  # NaN fails both
            raise ValidationError(
                "probabilities must lie in [0, 1]", path=("q",), code="out_of_range"
            )
        cols = [np.full(1, p) for p in self._params()]
        return np.asarray(type(self)._ppf(q[..., None], *cols)[..., 0], dtype=float)

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile, ``p`` in [0, 100].

        Parameters
        ----------
        p : float
            Percentile in [0, 100] (50 is the median).

        Returns
        -------
        float
            The quantile at probability ``p / 100``.

        Raises
        ------
        ValidationError
            When ``p`` is outside [0, 100] or not a number.

        Examples
        --------
        >>> round(Uniform(0.1, 0.3).percentile(90), 4)
        0.28
        >>> round(LogNormal(1000, 500).percentile(50), 2)  # median exp(mu)
        894.43
        """
        c = Checker()
        if c.number(p, "p", low=0.0, high=100.0):
            return float(self.ppf(float(p) / 100.0))
        raise ValidationError(c.problems)

    def sample(self, rng: SeedLike, size: int) -> FloatArray:
        """Draw ``size`` independent values.

        Parameters
        ----------
        rng : numpy.random.Generator or seed
            Source of the random draws (seed it for reproducible results); a
            seed (a whole number >= 0, a SeedSequence) gives a new Generator.
        size : int
            Number of values drawn.

        Returns
        -------
        numpy.ndarray
            Array of shape ``(size,)``.

        Raises
        ------
        ValidationError
            When ``rng`` is neither a Generator nor a seed (at ``seed``), or
            ``size`` is not a whole number >= 0 (at ``size``).

        Examples
        --------
        >>> import numpy as np
        >>> x = PERT(0, 0.2, 0.6).sample(np.random.default_rng(1), 1000)
        >>> x.shape, bool(((x >= 0) & (x <= 0.6)).all())
        ((1000,), True)
        """
        from impactkit._random import as_generator

        c = Checker()
        c.number(size, "size", low=0.0, integer=True)
        c.raise_if_errors()
        return type(self).draw_group(as_generator(rng), [self], int(size))[:, 0]

    @classmethod
    def draw_group(
        cls, rng: np.random.Generator, dists: Sequence[Distribution], size: int
    ) -> FloatArray:
        """Draw ``size`` values of each distribution in ``dists`` (all of this class).

        One vectorised call for the whole group, which is how Monte Carlo
        samples a value map without a Python loop over rows. Equals
        ``draw_parameters(rng, group_parameters(dists), size=size)``.

        Parameters
        ----------
        rng : numpy.random.Generator
            Source of the random draws (seed it for reproducible results).
        dists : sequence of Distribution
            Distributions, all instances of the class this is called on.
        size : int
            Number of values drawn per distribution.

        Returns
        -------
        numpy.ndarray
            Array of shape ``(size, len(dists))``: column ``i`` holds the
            draws of ``dists[i]``.

        Examples
        --------
        >>> import numpy as np
        >>> group = [PERT(0, 0.2, 0.6), PERT(10, 20, 40)]
        >>> x = PERT.draw_group(np.random.default_rng(1), group, 500)
        >>> x.shape, bool((x[:, 1] >= 10).all() and (x[:, 1] <= 40).all())
        ((500, 2), True)
        """
        return cls.draw_parameters(rng, cls.group_parameters(dists), size=size)

    @classmethod
    def group_parameters(cls, dists: Sequence[Distribution]) -> FloatArray:
        """Sampling parameters of ``dists`` (all of this class), shape ``(P, len(dists))``.

        Compute them once and draw many blocks with :meth:`draw_parameters`.

        Parameters
        ----------
        dists : sequence of Distribution
            Distributions, all instances of this class.

        Returns
        -------
        ndarray
            Array of shape ``(P, len(dists))``: row ``p`` holds the ``p``-th
            sampling parameter of every distribution, one column per distribution.
        """
        return np.array([d._params() for d in dists], dtype=float).reshape(len(dists), -1).T

    @classmethod
    def draw_parameters(
        cls, rng: np.random.Generator, parameters: FloatArray, *, size: int
    ) -> FloatArray:
        """Draw ``size`` values per column of ``parameters`` (from :meth:`group_parameters`).

        ``draw_group(rng, dists, size)`` equals
        ``draw_parameters(rng, group_parameters(dists), size=size)``.

        Parameters
        ----------
        rng : numpy.random.Generator
            Source of the random draws.
        parameters : ndarray
            Sampling parameters of shape ``(P, n)``, as returned by
            :meth:`group_parameters`.
        size : int
            Number of values drawn per column.

        Returns
        -------
        ndarray
            Array of shape ``(size, n)``: column ``i`` holds the draws of the
            ``i``-th distribution.
        """
        return cls._draw(rng, size, *parameters)

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        u = rng.random((size, p[0].shape[0]))
        return cls._ppf(u, *p)

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        raise NotImplementedError  # pragma: no cover

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping as stored in model files: ``{"dist": name, ...parameters}``.

        :func:`from_dict` rebuilds the same distribution from it.

        Returns
        -------
        dict
            ``"dist"`` (the class's file name, e.g. ``"pert"``), then every
            constructor parameter by name.

        Examples
        --------
        >>> PERT(0, 0.2, 0.6).to_dict()
        {'dist': 'pert', 'low': 0.0, 'mode': 0.2, 'high': 0.6, 'lam': 4.0}
        >>> from_dict(Uniform(0.1, 0.3).to_dict()) == Uniform(0.1, 0.3)
        True
        """
        out: dict[str, Any] = {"dist": self.name}
        for a in attrs.fields(type(self)):  # type: ignore[arg-type]
            out[a.name] = getattr(self, a.name)
        return out


@attrs.frozen
class Fixed(Distribution):
    """A known value, written as a distribution (useful in generated models).

    A point mass: every draw and every quantile is ``value``; mean ``value``,
    variance 0, support ``[value, value]``.

    Parameters
    ----------
    value : float
        The value, a finite real number.

    Raises
    ------
    ValidationError
        When ``value`` is not a finite real number (problem at ``value``).

    Examples
    --------
    >>> Fixed(3.0).central
    3.0
    >>> Fixed(3.0).to_dict()
    {'dist': 'fixed', 'value': 3.0}
    """

    name: ClassVar[str] = "fixed"
    _spread: ClassVar[str] = "value"
    value: float = attrs.field(converter=_f)

    def _check(self, c: Checker) -> None:
        c.number(self.value, "value")

    def mean(self) -> float:
        """Expected value: the value itself.

        Returns
        -------
        float
            ``value``.

        Examples
        --------
        >>> Fixed(3.0).mean()
        3.0
        """
        return self.value

    def var(self) -> float:
        """Variance: 0, a known value does not vary.

        Returns
        -------
        float
            0.0.

        Examples
        --------
        >>> Fixed(3.0).var()
        0.0
        """
        return 0.0

    @property
    def support(self) -> tuple[float, float]:
        return (self.value, self.value)

    def _params(self) -> tuple[float, ...]:
        return (self.value,)

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        return np.broadcast_to(p[0], (size, p[0].shape[0])).copy()

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        return np.broadcast_to(p[0], np.broadcast_shapes(u.shape, p[0].shape)).copy()


@attrs.frozen
class Uniform(Distribution):
    r"""Uniform between ``low`` and ``high``.

    Every value of the support :math:`[a, b]` (``a = low``, ``b = high``) is
    equally likely:

    .. math:: \mu = \frac{a + b}{2}, \qquad \sigma^2 = \frac{(b - a)^2}{12}

    Parameters
    ----------
    low : float
        Smallest value :math:`a`, a finite number.
    high : float
        Largest value :math:`b`, a finite number above ``low``.

    Raises
    ------
    ValidationError
        When ``low`` or ``high`` is not a finite real number, or ``high`` does
        not exceed ``low`` (problem at ``high``); every problem at once.

    Examples
    --------
    >>> Uniform(0.1, 0.3).central
    0.2
    >>> round(Uniform(0.1, 0.3).var(), 6)
    0.003333
    """

    name: ClassVar[str] = "uniform"
    _spread: ClassVar[str] = "high"
    low: float = attrs.field(converter=_f)
    high: float = attrs.field(converter=_f)

    def _check(self, c: Checker) -> None:
        if c.number(self.low, "low") and c.number(self.high, "high") and self.low >= self.high:
            c.add("high", "order", f"high must exceed low, got low={self.low}, high={self.high}")

    def mean(self) -> float:
        """Expected value :math:`(a + b)/2`.

        Returns
        -------
        float
            ``(low + high) / 2``.

        Examples
        --------
        >>> Uniform(0.1, 0.3).mean()
        0.2
        """
        return (self.low + self.high) / 2

    def var(self) -> float:
        """Variance :math:`(b - a)^2/12`.

        Returns
        -------
        float
            ``(high - low) ** 2 / 12``.

        Examples
        --------
        >>> Uniform(0, 6).var()
        3.0
        """
        return (self.high - self.low) ** 2 / 12

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def _params(self) -> tuple[float, ...]:
        return (self.low, self.high)

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        return rng.uniform(p[0], p[1], size=(size, p[0].shape[0]))

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        return p[0] + (p[1] - p[0]) * u


def _check_three_point(d: Triangular | PERT, c: Checker) -> None:
    ok = all([c.number(d.low, "low"), c.number(d.mode, "mode"), c.number(d.high, "high")])
    if not ok:
        return
    if d.low > d.mode:
        c.add("mode", "order", f"low must not exceed mode, got low={d.low}, mode={d.mode}")
    if d.mode > d.high:
        c.add("mode", "order", f"mode must not exceed high, got mode={d.mode}, high={d.high}")
    if d.low >= d.high:
        c.add("high", "order", f"high must exceed low, got low={d.low}, high={d.high}")


@attrs.frozen
class Triangular(Distribution):
    r"""Triangular distribution on ``[low, high]`` with its peak at ``mode``.

    The density rises linearly from ``low`` (:math:`a`) to ``mode``
    (:math:`m`) and falls linearly to ``high`` (:math:`b`); the support is
    :math:`[a, b]`. A three-point estimate (lowest, most likely, highest).

    Parameters
    ----------
    low : float
        Smallest value :math:`a`, a finite number.
    mode : float
        Most likely value :math:`m`, with ``low <= mode <= high``.
    high : float
        Largest value :math:`b`, a finite number above ``low``.

    Raises
    ------
    ValidationError
        When a parameter is not a finite real number, ``low`` exceeds
        ``mode`` or ``mode`` exceeds ``high`` (problems at ``mode``), or
        ``high`` does not exceed ``low`` (problem at ``high``); every problem
        at once.

    Notes
    -----
    .. math:: \mu = (a + m + b)/3, \quad
              \sigma^2 = (a^2 + b^2 + m^2 - ab - am - bm)/18

    Examples
    --------
    >>> d = Triangular(0, 0.2, 0.6)
    >>> round(d.mean(), 5), round(d.var(), 6)
    (0.26667, 0.015556)
    """

    name: ClassVar[str] = "triangular"
    _spread: ClassVar[str] = "high"
    low: float = attrs.field(converter=_f)
    mode: float = attrs.field(converter=_f)
    high: float = attrs.field(converter=_f)

    def _check(self, c: Checker) -> None:
        _check_three_point(self, c)

    def mean(self) -> float:
        """Expected value :math:`(a + m + b)/3`.

        Returns
        -------
        float
            ``(low + mode + high) / 3``.

        Examples
        --------
        >>> Triangular(30, 45, 60).mean()
        45.0
        """
        return (self.low + self.mode + self.high) / 3

    def var(self) -> float:
        """Variance :math:`(a^2 + b^2 + m^2 - ab - am - bm)/18`.

        Returns
        -------
        float
            The variance, with ``a = low``, ``m = mode``, ``b = high``.

        Examples
        --------
        >>> round(Triangular(0, 0.2, 0.6).var(), 6)
        0.015556
        """
        a, m, b = self.low, self.mode, self.high
        return (a * a + b * b + m * m - a * b - a * m - b * m) / 18

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def _params(self) -> tuple[float, ...]:
        return (self.low, self.mode, self.high)

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        return rng.triangular(p[0], p[1], p[2], size=(size, p[0].shape[0]))

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        a, m, b = p
        fc = (m - a) / (b - a)
        left = a + np.sqrt(u * (b - a) * (m - a))
        right = b - np.sqrt((1 - u) * (b - a) * (b - m))
        return np.where(u < fc, left, right)


@attrs.frozen
class PERT(Distribution):
    r"""Beta-PERT distribution on ``[low, high]`` with most likely value ``mode``.

    A rescaled Beta on the support :math:`[a, b]` (``a = low``, ``b = high``)
    whose mode is ``mode`` (:math:`m`): a smoother three-point estimate than
    :class:`Triangular`, with less weight in the tails.

    Parameters
    ----------
    low : float
        Smallest value :math:`a`, a finite number.
    mode : float
        Most likely value :math:`m`, with ``low <= mode <= high``.
    high : float
        Largest value :math:`b`, a finite number above ``low``.
    lam : float, default 4
        Weight :math:`\lambda` of the mode, a finite number above 0 (4 is the
        classic PERT; larger values concentrate the mass around ``mode``).

    Raises
    ------
    ValidationError
        When a parameter is not a finite real number, ``low`` exceeds
        ``mode`` or ``mode`` exceeds ``high`` (problems at ``mode``), ``high``
        does not exceed ``low`` (problem at ``high``), or ``lam`` is not above
        0 (problem at ``lam``); every problem at once.

    Notes
    -----
    .. math:: \alpha = 1 + \lambda\frac{m - a}{b - a},\quad
              \beta = 1 + \lambda\frac{b - m}{b - a},\quad
              X = a + (b - a)\,\mathrm{Beta}(\alpha, \beta)

    with mean :math:`(a + \lambda m + b)/(\lambda + 2)` and variance
    :math:`(b - a)^2 \alpha\beta / ((\alpha + \beta)^2 (\alpha + \beta + 1))`,
    which is :math:`(\mu - a)(b - \mu)/7` for ``lam`` = 4, the classic PERT.

    Examples
    --------
    >>> d = PERT(0, 0.2, 0.6)
    >>> round(d.mean(), 5), round(d.alpha, 4), round(d.beta, 4), round(d.var(), 6)
    (0.23333, 2.3333, 3.6667, 0.012222)
    """

    name: ClassVar[str] = "pert"
    _spread: ClassVar[str] = "high"
    low: float = attrs.field(converter=_f)
    mode: float = attrs.field(converter=_f)
    high: float = attrs.field(converter=_f)
    lam: float = attrs.field(default=4.0, converter=_f)

    def _check(self, c: Checker) -> None:
        _check_three_point(self, c)
        c.number(self.lam, "lam", low=0.0, low_open=True)

    @property
    def alpha(self) -> float:
        """First shape parameter of the underlying Beta."""
        return 1 + self.lam * (self.mode - self.low) / (self.high - self.low)

    @property
    def beta(self) -> float:
        """Second shape parameter of the underlying Beta."""
        return 1 + self.lam * (self.high - self.mode) / (self.high - self.low)

    def mean(self) -> float:
        r"""Expected value :math:`(a + \lambda m + b)/(\lambda + 2)`.

        Returns
        -------
        float
            ``(low + lam * mode + high) / (lam + 2)``.

        Examples
        --------
        >>> round(PERT(0, 0.2, 0.6).mean(), 5)
        0.23333
        """
        return (self.low + self.lam * self.mode + self.high) / (self.lam + 2)

    def var(self) -> float:
        r"""Variance of the rescaled Beta.

        .. math:: \sigma^2 = (b - a)^2
                  \frac{\alpha\beta}{(\alpha + \beta)^2 (\alpha + \beta + 1)}

        with :math:`\alpha`, :math:`\beta` the shape parameters
        (:attr:`alpha`, :attr:`beta`); for ``lam`` = 4 this equals
        :math:`(\mu - a)(b - \mu)/7`.

        Returns
        -------
        float
            The variance.

        Examples
        --------
        >>> d = PERT(0, 0.2, 0.6)
        >>> round(d.var(), 6), round((d.mean() - 0) * (0.6 - d.mean()) / 7, 6)
        (0.012222, 0.012222)
        """
        a, b = self.alpha, self.beta
        return (self.high - self.low) ** 2 * a * b / ((a + b) ** 2 * (a + b + 1))

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def _params(self) -> tuple[float, ...]:
        return (self.low, self.high, self.alpha, self.beta)

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        lo, hi, a, b = p
        return lo + (hi - lo) * rng.beta(a, b, size=(size, lo.shape[0]))

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        lo, hi, a, b = p
        from scipy import special  # imported on use: keeps `import impactkit` light

        return np.asarray(lo + (hi - lo) * special.betaincinv(a, b, u), dtype=float)


@attrs.frozen
class Normal(Distribution):
    r"""Normal distribution, optionally truncated to ``[low, high]``.

    Use it for estimated effects (an estimate and its standard error). Its
    central value is the mean of the truncated distribution.

    Parameters
    ----------
    mean : float
        Mean :math:`\mu` of the normal before truncation, a finite number.
    sd : float
        Standard deviation :math:`\sigma` before truncation, a finite number
        above 0.
    low : float, optional
        Lower truncation bound (none by default: :math:`-\infty`).
    high : float, optional
        Upper truncation bound (none by default: :math:`+\infty`); above
        ``low`` when both are given.

    Raises
    ------
    ValidationError
        When ``mean`` or a given bound is not a finite real number, ``sd`` is
        not a finite number above 0, or ``high`` does not exceed ``low``
        (problem at ``high``); every problem at once.

    Notes
    -----
    The support is ``[low, high]`` (infinite where a bound is absent). With
    the standardised bounds :math:`a = (low - \mu)/\sigma`,
    :math:`b = (high - \mu)/\sigma` and :math:`Z = \Phi(b) - \Phi(a)`, the
    moments are those of :meth:`mean` and :meth:`var`. Without bounds they
    are :math:`\mu` and :math:`\sigma^2`.

    Examples
    --------
    >>> Normal(0.2, 0.05).central
    0.2
    >>> round(Normal(0.0, 1.0, low=0.0).central, 4)   # half-normal mean sqrt(2/pi)
    0.7979
    """

    name: ClassVar[str] = "normal"
    mean_: float = attrs.field(converter=_f, alias="mean")
    sd: float = attrs.field(converter=_f)
    low: float | None = attrs.field(default=None, converter=_opt_f)
    high: float | None = attrs.field(default=None, converter=_opt_f)

    def _check(self, c: Checker) -> None:
        c.number(self.mean_, "mean")
        c.number(self.sd, "sd", low=0.0, low_open=True)
        if self.low is not None:
            c.number(self.low, "low")
        if self.high is not None:
            c.number(self.high, "high")
        if self.low is not None and self.high is not None and self.low >= self.high:
            c.add("high", "order", f"high must exceed low, got low={self.low}, high={self.high}")

    def _bounds(self) -> tuple[float, float]:
        a = -math.inf if self.low is None else (self.low - self.mean_) / self.sd
        b = math.inf if self.high is None else (self.high - self.mean_) / self.sd
        return a, b

    def mean(self) -> float:
        r"""Expected value of the (truncated) normal.

        .. math:: E[X] = \mu + \sigma \frac{\varphi(a) - \varphi(b)}{Z}

        with :math:`a`, :math:`b` the standardised bounds,
        :math:`Z = \Phi(b) - \Phi(a)` and :math:`\varphi(\pm\infty) = 0`;
        :math:`\mu` when there is no bound. Evaluated in log space on the
        side of the lighter tail, so a window far in a tail keeps its
        precision.

        Returns
        -------
        float
            The mean.

        Examples
        --------
        >>> Normal(0.2, 0.05).mean()
        0.2
        >>> round(Normal(0.2, 0.05, low=0.1, high=0.25).mean(), 4)
        0.1885
        """
        if self.low is None and self.high is None:
            return self.mean_
        return _truncnorm_mean_var(self.mean_, self.sd, self.low, self.high)[0]

    def var(self) -> float:
        r"""Variance of the (truncated) normal.

        .. math:: \mathrm{Var}[X] = \sigma^2 \left[1 + \frac{a\varphi(a)
                  - b\varphi(b)}{Z} - \left(\frac{\varphi(a)
                  - \varphi(b)}{Z}\right)^2\right]

        with :math:`a`, :math:`b` the standardised bounds,
        :math:`Z = \Phi(b) - \Phi(a)` and :math:`a\varphi(a) = 0` at an
        infinite bound (the bracket is kept at least 0 against rounding);
        :math:`\sigma^2` when there is no bound.

        Returns
        -------
        float
            The variance.

        Examples
        --------
        >>> round(Normal(0.2, 0.05).var(), 6)
        0.0025
        >>> round(Normal(0.0, 1.0, low=0.0).var(), 4)  # half-normal: 1 - 2/pi
        0.3634
        """
        if self.low is None and self.high is None:
            return self.sd**2
        return _truncnorm_mean_var(self.mean_, self.sd, self.low, self.high)[1]

    @property
    def support(self) -> tuple[float, float]:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        return (lo, hi)

    def _params(self) -> tuple[float, ...]:
        a, b = self._bounds()
        lo, hi = self.support
        return (self.mean_, self.sd, a, b, lo, hi)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping as stored in model files.

        Returns
        -------
        dict
            ``{"dist": "normal", "mean": ..., "sd": ...}``, with ``"low"`` and
            ``"high"`` only when the bound is set.

        Examples
        --------
        >>> Normal(0.2, 0.05, low=0.0).to_dict()
        {'dist': 'normal', 'mean': 0.2, 'sd': 0.05, 'low': 0.0}
        """
        out: dict[str, Any] = {"dist": self.name, "mean": self.mean_, "sd": self.sd}
        if self.low is not None:
            out["low"] = self.low
        if self.high is not None:
            out["high"] = self.high
        return out

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        mu, sd, a, b = p[:4]
        if np.all(np.isneginf(a)) and np.all(np.isposinf(b)):
            return rng.normal(mu, sd, size=(size, mu.shape[0]))
        u = rng.random((size, mu.shape[0]))
        return cls._ppf(u, *p)

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        mu, sd, a, b, lo, hi = p
        with np.errstate(invalid="ignore", over="ignore"):
            x = mu + sd * _truncated_std_normal_ppf(u, a, b)
            # far out in a tail mu + sd z loses the digits that place x inside
            # the window (|mu| much larger than the bounds), and beyond about
            # 1e154 sd the quantile is not a number: the support is kept
            # exactly, a lost draw taking the bound nearest the mode, where all
            # the mass lies (a + b is NaN only without bounds, never lost)
            lost = np.isnan(x)
            if lost.any():
                x = np.where(lost, np.where(a + b > 0, lo, hi), x)
        return np.asarray(np.clip(x, lo, hi), dtype=float)


# The closed form serves a window whose near bound lies at most this many sd
# beyond the mode, i.e. a window holding the mode. Checked against 60-digit
# mpmath and scipy.stats.truncnorm (which shares the closed form and its
# errors): with the mode outside the window the closed form's variance loses
# digits as the near bound moves out (relative error 1e-14 at 1 sd, 2e-13 at
# 3 sd, 2e-12 at 5 sd) while the quadrature stays within 4e-15 and places the
# mean as well (to a few 1e-15 sd); with the mode inside, the closed form is the
# more accurate (the quadrature's 64 nodes then span a bump of the density).
_CLOSED_FORM_REACH = 0.0


def _truncnorm_mean_var(
    mu: float, sd: float, low: float | None, high: float | None
) -> tuple[float, float]:
    r"""Mean and variance of :math:`N(\mu, \sigma^2)` truncated to ``[low, high]``.

    With the standardised bounds :math:`a, b` reflected so that the window
    lies mostly below the mode (:math:`a + b \le 0`), :math:`c = -b` is how
    far the near bound lies below the mode. Where the window holds the mode
    (:math:`c \le 0`) and is wider than one standard deviation, the closed
    form of :func:`_truncnorm_moments` is exact to rounding. Farther out, or in
    a narrow window, the closed form cancels (its terms grow
    like :math:`c^2` while the variance shrinks like :math:`1/c^2`, and
    :math:`\mu + \sigma m` loses the digits that place the mean inside the
    window), so the moments of the distance :math:`s = b - Z` to the near
    bound are integrated instead (:func:`_near_bound_moments`) and the mean is
    anchored at that bound: :math:`high - \sigma E[s]` (or
    :math:`low + \sigma E[s]` reflected). The mean then always lies in the
    window and the variance within Popoviciu's bound.
    """
    a = -math.inf if low is None else (low - mu) / sd
    b = math.inf if high is None else (high - mu) / sd
    flip = a + b > 0
    if flip:
        a, b = -b, -a
    # the width from the bounds themselves: b - a cancels when |mu| dwarfs them
    t = math.inf if low is None or high is None else (high - low) / sd
    c = -b
    if c <= _CLOSED_FORM_REACH and t > 1.0:
        m, v = _truncnorm_moments(-b, -a) if flip else _truncnorm_moments(a, b)
        return mu + sd * m, sd * sd * v
    ms, vs = _near_bound_moments(c, t)
    if flip:
        assert low is not None  # the near bound of a reflected window is ``low``
        return low + sd * ms, sd * sd * vs
    assert high is not None
    return high - sd * ms, sd * sd * vs


_GAUSS_LEGENDRE: tuple[FloatArray, FloatArray] | None = None


def _near_bound_moments(c: float, t: float) -> tuple[float, float]:
    r"""Mean and variance of :math:`s = b - Z`, :math:`Z \sim N(0, 1)` on :math:`[b - t, b]`.

    The density of :math:`s` on :math:`[0, t]` is proportional to
    :math:`e^{-(c s + s^2/2)}` (:math:`c = -b`). Gauss-Legendre quadrature
    (64 nodes) over :math:`[0, T]`, where :math:`T` stops where the density
    has fallen by :math:`e^{-40}` (:math:`T = 80 / (c + \sqrt{c^2 + 80})`) or
    at :math:`t`; every weight is positive, so nothing cancels, and the
    integrand is smooth over at most 40 e-folds, which 64 nodes resolve to
    rounding. Used for :math:`c > 0` and for windows narrower than one
    standard deviation (then :math:`c \ge -t/2`).
    """
    global _GAUSS_LEGENDRE
    if _GAUSS_LEGENDRE is None:
        x, w = np.polynomial.legendre.leggauss(64)
        _GAUSS_LEGENDRE = ((x + 1.0) / 2.0, w / 2.0)
    nodes, weights = _GAUSS_LEGENDRE
    if c == math.inf:  # the bound is infinitely many sd out: all the mass sits on it
        return 0.0, 0.0
    span = t if c <= 0 else min(t, 80.0 / (c + math.sqrt(c * c + 80.0)))
    s = span * nodes
    f = weights * np.exp(-(c * s + 0.5 * s * s))
    total = float(f.sum())
    mean = float((f * s).sum()) / total
    var = float((f * (s - mean) ** 2).sum()) / total
    return mean, var


def _truncnorm_moments(a: float, b: float) -> tuple[float, float]:
    r"""Mean and variance of a standard normal truncated to ``[a, b]``.

    .. math:: m = \frac{\phi(a) - \phi(b)}{Z}, \qquad
              v = 1 + \frac{a\phi(a) - b\phi(b)}{Z} - m^2, \qquad Z = \Phi(b) - \Phi(a)

    Evaluated in log space on the side of the lighter tail (reflecting when the
    interval lies mostly above 0), so far tails keep their precision; agrees
    with ``scipy.stats.truncnorm`` without importing it (which is slow).
    """
    from scipy import special

    try:
        return _truncnorm_moments_log(a, b, special)
    except OverflowError:  # a window astronomically far in a tail: the erfcx form
        return _truncated_std_normal_moments(a, b)


def _truncnorm_moments_log(a: float, b: float, special: Any) -> tuple[float, float]:
    """The log-space evaluation of :func:`_truncnorm_moments` (may overflow far out)."""
    sign = 1.0
    if a + b > 0:
        a, b, sign = -b, -a, -1.0
    la, lb = float(special.log_ndtr(a)), float(special.log_ndtr(b))
    log_z = lb + math.log1p(-math.exp(la - lb))
    half_log_2pi = 0.5 * math.log(2 * math.pi)

    def ratio(x: float) -> tuple[float, float]:
        """phi(x)/Z and x phi(x)/Z (0 at an infinite bound)."""
        if math.isinf(x):
            return 0.0, 0.0
        r = math.exp(-0.5 * x * x - half_log_2pi - log_z)
        return r, x * r

    pa, xpa = ratio(a)
    pb, xpb = ratio(b)
    m = pa - pb
    return sign * m, max(1.0 + xpa - xpb - m * m, 0.0)


def _truncated_std_normal_moments(a: float, b: float) -> tuple[float, float]:
    """Mean and variance of a standard normal truncated to ``[a, b]``, stable in the tails.

    With :math:`Z = \\Phi(b) - \\Phi(a)`: mean :math:`(\\varphi(a) - \\varphi(b))/Z`,
    variance :math:`1 + (a\\varphi(a) - b\\varphi(b))/Z - \\text{mean}^2`, on the side
    of 0 where the window mostly lies. The ratios use the scaled complementary
    error function: :math:`\\varphi(x)/\\Phi(x) = \\sqrt{2/\\pi}/\\mathrm{erfcx}(-x/\\sqrt2)`
    and :math:`\\Phi(a)/\\Phi(b) = e^{-(a-b)(a+b)/2}\\,\\mathrm{erfcx}(-a/\\sqrt2)/
    \\mathrm{erfcx}(-b/\\sqrt2)`, which stay exact where :math:`\\Phi` underflows. The
    variance is kept within Popoviciu's bound :math:`(b - a)^2/4`.
    """
    from scipy import special  # imported on use: keeps `import impactkit` light

    flip = a > -b
    lo, hi = (-b, -a) if flip else (a, b)
    root2 = math.sqrt(2.0)

    def mills(x: float) -> float:  # phi(x) / Phi(x)
        return 0.0 if math.isinf(x) else math.sqrt(2 / math.pi) / float(special.erfcx(-x / root2))

    if math.isinf(lo):
        r = 0.0
    else:
        scale = float(special.erfcx(-lo / root2)) / float(special.erfcx(-hi / root2))
        r = math.exp(-(lo - hi) * (lo + hi) / 2) * scale  # Phi(lo) / Phi(hi), in [0, 1)
    phi_hi = mills(hi) / (1.0 - r)  # phi(hi) / Z
    phi_lo = mills(lo) * r / (1.0 - r)  # phi(lo) / Z
    m = phi_lo - phi_hi
    xr_lo = 0.0 if math.isinf(lo) else lo * phi_lo
    xr_hi = 0.0 if math.isinf(hi) else hi * phi_hi
    v = min(max(1.0 + xr_lo - xr_hi - m * m, 0.0), (hi - lo) ** 2 / 4)
    return (-m if flip else m), v


def _truncated_std_normal_ppf(u: FloatArray, a: FloatArray, b: FloatArray) -> FloatArray:
    """Quantile ``u`` of a standard normal truncated to ``[a, b]``, stable in the tails.

    Inverse CDF in log space: a window in the upper tail is mirrored into the
    lower one, then ``p = Φ(a) + u (Φ(b) − Φ(a))`` is formed from ``log Φ``
    (``log_ndtr``) and inverted with ``ndtri_exp``, so a window 40 standard
    deviations out gives draws inside it instead of infinities.
    """
    from scipy import special  # imported on use: keeps `import impactkit` light

    flip = a > -b  # a + b > 0: the window lies mostly above 0: quantile 1 - u of -Z on [-b, -a]
    u = np.where(flip, 1.0 - u, u)
    lo = np.where(flip, -b, a)
    hi = np.where(flip, -a, b)
    log_hi = special.log_ndtr(hi)
    log_lo = special.log_ndtr(lo)
    with np.errstate(divide="ignore"):
        # log(Φ(lo) + u (Φ(hi) − Φ(lo))) = log Φ(hi) + log(r + u (1 − r)), r = Φ(lo)/Φ(hi)
        r = np.exp(log_lo - log_hi)
        logp = log_hi + np.log(r + u * (1.0 - r))
    z = special.ndtri_exp(logp)
    z = np.clip(z, lo, hi)
    return np.asarray(np.where(flip, -z, z), dtype=float)


@attrs.frozen
class LogNormal(Distribution):
    r"""Log-normal distribution given by its mean and standard deviation.

    For positive money values such as financial proxies. :math:`\ln X` is
    normal with mean :math:`\mu` (:attr:`mu`) and standard deviation
    :math:`\sigma` (:attr:`sigma`); the support is :math:`(0, \infty)`.

    Parameters
    ----------
    mean : float
        Mean :math:`m` of the distribution itself (not of its log), a finite
        number above 0.
    sd : float
        Standard deviation :math:`s` of the distribution itself, a finite
        number above 0.

    Raises
    ------
    ValidationError
        When ``mean`` or ``sd`` is not a finite number above 0; every problem
        at once.

    Notes
    -----
    .. math:: \sigma^2 = \ln(1 + s^2/m^2), \qquad \mu = \ln m - \sigma^2/2

    so the mean is :math:`m` and the variance :math:`s^2`; the median is
    :math:`e^{\mu}`. Use :meth:`from_median` to give the median and
    :math:`\sigma` instead.

    Examples
    --------
    >>> d = LogNormal(1000, 500)
    >>> round(d.mu, 5), round(d.sigma, 5)
    (6.79618, 0.47238)
    >>> d2 = LogNormal.from_median(1000, 0.5)
    >>> round(d2.percentile(50), 6)
    1000.0
    """

    name: ClassVar[str] = "lognormal"
    mean_: float = attrs.field(converter=_f, alias="mean")
    sd: float = attrs.field(converter=_f)

    def _check(self, c: Checker) -> None:
        c.number(self.mean_, "mean", low=0.0, low_open=True)
        c.number(self.sd, "sd", low=0.0, low_open=True)

    @classmethod
    def from_median(cls, median: float, sigma: float) -> LogNormal:
        r"""Build from the median and the standard deviation of the log.

        With :math:`\mu = \ln(\text{median})`, the mean and standard
        deviation are

        .. math:: m = \text{median}\, e^{\sigma^2/2}, \qquad
                  s = m \sqrt{e^{\sigma^2} - 1}

        Parameters
        ----------
        median : float
            Median :math:`e^{\mu}`, a finite number above 0.
        sigma : float
            Standard deviation :math:`\sigma` of the log, a finite number
            above 0.

        Returns
        -------
        LogNormal
            The distribution with that median and :math:`\sigma`.

        Raises
        ------
        ValidationError
            When ``median`` or ``sigma`` is not a finite number above 0 (every
            problem at once), or when the mean or standard deviation would not
            be a finite float (``sigma`` above about 26.6, code ``too_large``
            at ``sigma``).

        Examples
        --------
        >>> d = LogNormal.from_median(1000, 0.5)
        >>> round(d.mean(), 2), round(d.sd, 2), round(d.percentile(50), 6)
        (1133.15, 603.9, 1000.0)
        """
        c = Checker()
        c.number(median, "median", low=0.0, low_open=True)
        c.number(sigma, "sigma", low=0.0, low_open=True)
        c.raise_if_errors()
        try:
            m = float(median) * math.exp(float(sigma) ** 2 / 2)
            sd = m * math.sqrt(math.expm1(float(sigma) ** 2))
        except OverflowError:
            m = sd = math.inf
        if not (math.isfinite(m) and math.isfinite(sd)):
            raise ValidationError(
                f"sigma={sigma!r} gives a mean or standard deviation too large for a float",
                path=("sigma",),
                code="too_large",
            )
        return cls(m, sd)

    @property
    def sigma(self) -> float:
        r"""Standard deviation of the log.

        :math:`\sigma^2 = \ln(1 + (s/m)^2)`; when :math:`s/m` is beyond
        :math:`10^{150}` its square would overflow, and
        :math:`\sigma^2 = 2\ln(s/m) + \ln(1 + (m/s)^2)` is used instead.
        """
        log_ratio = math.log(self.sd) - math.log(self.mean_)
        if log_ratio < 345.0:  # (s/m)^2 below 1e299: the direct formula
            return math.sqrt(math.log1p((self.sd / self.mean_) ** 2))
        return math.sqrt(2.0 * log_ratio + math.log1p(math.exp(-2.0 * log_ratio)))

    @property
    def mu(self) -> float:
        """Mean of the log."""
        return math.log(self.mean_) - self.sigma**2 / 2

    def mean(self) -> float:
        r"""Expected value: the ``mean`` parameter.

        .. math:: E[X] = e^{\mu + \sigma^2/2} = m

        Returns
        -------
        float
            ``mean``, as given.

        Examples
        --------
        >>> LogNormal(1000, 500).mean()
        1000.0
        """
        return self.mean_

    def var(self) -> float:
        r"""Variance: ``sd`` squared.

        .. math:: \mathrm{Var}[X] = (e^{\sigma^2} - 1)\, e^{2\mu + \sigma^2} = s^2

        Returns
        -------
        float
            ``sd ** 2``.

        Examples
        --------
        >>> LogNormal(1000, 500).var()
        250000.0
        """
        return self.sd**2

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)

    def _params(self) -> tuple[float, ...]:
        return (self.mu, self.sigma)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping as stored in model files.

        Returns
        -------
        dict
            ``{"dist": "lognormal", "mean": ..., "sd": ...}`` (the mean and
            standard deviation of the distribution, not of its log).

        Examples
        --------
        >>> LogNormal(1000, 500).to_dict()
        {'dist': 'lognormal', 'mean': 1000.0, 'sd': 500.0}
        """
        return {"dist": self.name, "mean": self.mean_, "sd": self.sd}

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        return rng.lognormal(p[0], p[1], size=(size, p[0].shape[0]))

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        from scipy import special  # imported on use: keeps `import impactkit` light

        return np.asarray(np.exp(p[0] + p[1] * special.ndtri(u)), dtype=float)


_MAX_SHAPE = 1e12  # alpha + beta beyond this: sd below 1e-6 of the range, a point mass


@attrs.frozen
class Beta(Distribution):
    r"""Beta distribution on ``[low, high]`` (default [0, 1]) given by mean and sd.

    For shares such as deadweight, attribution or drop-off.
    :math:`X = low + (high - low)\,\mathrm{Beta}(\alpha, \beta)`; the
    support is ``[low, high]``.

    Parameters
    ----------
    mean : float
        Mean of the distribution, strictly between ``low`` and ``high``.
    sd : float
        Standard deviation, above 0, with
        ``sd**2 < (mean - low) * (high - mean)``.
    low : float, default 0
        Lower end of the support, a finite number.
    high : float, default 1
        Upper end of the support, a finite number above ``low``.

    Raises
    ------
    ValidationError
        When a parameter is not a finite real number or ``sd`` is not above 0
        (every problem at once); otherwise when ``high`` does not exceed
        ``low`` (problem at ``high``), ``mean`` is not strictly inside
        ``(low, high)`` (problem at ``mean``), ``sd`` is too large for a Beta
        with this mean, or so small that the shape parameters exceed
        :math:`\alpha + \beta = 10^{12}` (problems at ``sd``; use
        :class:`Fixed` instead).

    Notes
    -----
    On the unit scale, :math:`\mu = (mean - low)/(high - low)` and
    :math:`s = sd/(high - low)`:
    :math:`k = \mu(1-\mu)/s^2 - 1`, :math:`\alpha = \mu k`,
    :math:`\beta = (1-\mu) k`; requires :math:`s^2 < \mu(1-\mu)`. The mean
    and variance are then ``mean`` and ``sd**2`` by construction.

    Examples
    --------
    >>> d = Beta(0.3, 0.1)
    >>> round(d.alpha, 6), round(d.beta, 6)
    (6.0, 14.0)
    """

    name: ClassVar[str] = "beta"
    mean_: float = attrs.field(converter=_f, alias="mean")
    sd: float = attrs.field(converter=_f)
    low: float = attrs.field(default=0.0, converter=_f)
    high: float = attrs.field(default=1.0, converter=_f)

    def _check(self, c: Checker) -> None:
        ok = all(
            [
                c.number(self.mean_, "mean"),
                c.number(self.sd, "sd", low=0.0, low_open=True),
                c.number(self.low, "low"),
                c.number(self.high, "high"),
            ]
        )
        if not ok:
            return
        if self.low >= self.high:
            c.add("high", "order", f"high must exceed low, got low={self.low}, high={self.high}")
            return
        m, s = self._unit()
        if not 0.0 < m < 1.0:
            c.add(
                "mean", "out_of_range", f"mean must lie strictly inside ({self.low}, {self.high})"
            )
        elif s * s >= m * (1 - m):
            c.add(
                "sd",
                "out_of_range",
                f"sd too large for a Beta with this mean: need sd^2 < "
                f"{(self.high - self.low) * (self.high - self.low) * m * (1 - m):.6g}, "
                f"got {self.sd * self.sd:.6g}",
            )
        elif s * s == 0.0 or not self.alpha + self.beta <= _MAX_SHAPE:
            c.add(
                "sd",
                "out_of_range",
                f"sd {self.sd:g} is too small for the range [{self.low:g}, {self.high:g}] to "
                "sample a Beta (its shape parameters overflow); use a Fixed value",
            )

    def _unit(self) -> tuple[float, float]:
        w = self.high - self.low
        return (self.mean_ - self.low) / w, self.sd / w

    @property
    def alpha(self) -> float:
        """First shape parameter."""
        m, s = self._unit()
        return m * (m * (1 - m) / s**2 - 1)

    @property
    def beta(self) -> float:
        """Second shape parameter."""
        m, s = self._unit()
        return (1 - m) * (m * (1 - m) / s**2 - 1)

    def mean(self) -> float:
        r"""Expected value: the ``mean`` parameter.

        .. math:: E[X] = low + (high - low) \frac{\alpha}{\alpha + \beta} = mean

        Returns
        -------
        float
            ``mean``, as given.

        Examples
        --------
        >>> Beta(0.3, 0.1).mean()
        0.3
        """
        return self.mean_

    def var(self) -> float:
        r"""Variance, ``sd`` squared.

        .. math:: \sigma^2 = (high - low)^2
                  \frac{\alpha\beta}{(\alpha + \beta)^2 (\alpha + \beta + 1)}
                  = sd^2

        Returns
        -------
        float
            ``sd ** 2``.

        Examples
        --------
        >>> round(Beta(0.3, 0.1).var(), 6)
        0.01
        """
        return self.sd**2

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def _params(self) -> tuple[float, ...]:
        return (self.low, self.high, self.alpha, self.beta)

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping as stored in model files.

        Returns
        -------
        dict
            ``{"dist": "beta", "mean": ..., "sd": ...}``, with ``"low"`` and
            ``"high"`` only when the support is not [0, 1].

        Examples
        --------
        >>> Beta(0.3, 0.1).to_dict()
        {'dist': 'beta', 'mean': 0.3, 'sd': 0.1}
        >>> Beta(30, 10, low=0, high=100).to_dict()
        {'dist': 'beta', 'mean': 30.0, 'sd': 10.0, 'low': 0.0, 'high': 100.0}
        """
        out: dict[str, Any] = {"dist": self.name, "mean": self.mean_, "sd": self.sd}
        if (self.low, self.high) != (0.0, 1.0):
            out.update(low=self.low, high=self.high)
        return out

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        return PERT._draw(rng, size, *p)

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        return PERT._ppf(u, *p)


DISTRIBUTIONS: dict[str, type[Distribution]] = {
    c.name: c for c in (Fixed, Uniform, Triangular, PERT, Normal, LogNormal, Beta)
}
"""Distribution classes by the name model files use (``{"dist": "pert", ...}``)."""

Number = float | Distribution
"""A field that holds a number or a distribution."""


def central(value: float | Distribution) -> float:
    """The number a point evaluation uses for ``value``.

    Parameters
    ----------
    value : float or Distribution
        A number, or a distribution (whose mean is used).

    Returns
    -------
    float
        ``float(value)`` for a number; the distribution's
        :attr:`~Distribution.central` value (its mean) otherwise.

    Raises
    ------
    TypeError, ValueError
        When ``value`` is neither a distribution nor convertible to a float.

    Examples
    --------
    >>> central(3), central(Triangular(30, 45, 60))
    (3.0, 45.0)
    >>> round(central(Normal(0.0, 1.0, low=0.0)), 4)  # truncated mean
    0.7979
    """
    if isinstance(value, Distribution):
        return value.central
    return float(value)


def from_dict(data: Any) -> Distribution:
    """Build a distribution from its file form ``{"dist": name, ...}``.

    The inverse of :meth:`Distribution.to_dict`.

    Parameters
    ----------
    data : dict
        ``"dist"``: one of ``"fixed"``, ``"uniform"``, ``"triangular"``,
        ``"pert"``, ``"normal"``, ``"lognormal"``, ``"beta"``; the other keys
        are the class's constructor parameters (e.g. ``"mean"`` and ``"sd"``
        for ``"lognormal"``).

    Returns
    -------
    Distribution
        An instance of the named class.

    Raises
    ------
    ValidationError
        When ``data`` is not a mapping (code ``type``) or names no known
        distribution (``unknown_distribution``); then, all together,
        unknown parameters (``unknown_key``, with the likely intended name),
        missing required ones (``missing``) and values that are not finite
        real numbers; then the class's own checks (order of bounds, ranges).

    Examples
    --------
    >>> from_dict({"dist": "triangular", "low": 30, "mode": 45, "high": 60})
    Triangular(low=30.0, mode=45.0, high=60.0)
    >>> from_dict({"dist": "lognormal", "mean": 1000, "sd": 500}).to_dict()
    {'dist': 'lognormal', 'mean': 1000.0, 'sd': 500.0}
    """
    c = Checker()
    if not isinstance(data, dict):
        raise ValidationError(f"expected a mapping with a 'dist' key, got {data!r}", code="type")
    name = data.get("dist")
    cls = DISTRIBUTIONS.get(name) if isinstance(name, str) else None
    if cls is None:
        raise ValidationError(
            f"unknown distribution {name!r}; available: {', '.join(sorted(DISTRIBUTIONS))}",
            path=("dist",),
            code="unknown_distribution",
        )
    cls_fields = attrs.fields(cast(Any, cls))
    fields = {a.alias for a in cls_fields}
    required = {a.alias for a in cls_fields if a.default is attrs.NOTHING}
    kwargs = {k: v for k, v in data.items() if k != "dist"}
    for k in kwargs:
        if k not in fields:
            c.add(
                k,
                "unknown_key",
                f"unknown parameter for {name}{did_you_mean(k, fields)}: "
                f"expected {sorted(fields)}",
            )
    for k in sorted(required - set(kwargs)):
        c.add(k, "missing", f"required parameter of {name} is missing")
    for k, v in kwargs.items():
        if k in fields:
            c.number(v, k) if v is not None else None
    c.raise_if_errors()
    try:
        return cls(**kwargs)
    except ValidationError:
        raise
    except (TypeError, ValueError) as exc:  # pragma: no cover - guarded above
        raise ValidationError(str(exc)) from exc


MAX_MAGNITUDE = 1e15
"""Largest magnitude of a number field (a quantity, an amount, a proxy value).

A thousand trillion euros, people or units is beyond any social programme, and
keeping every factor under it keeps products of a value map (quantity × proxy
× 300 years × rows) far from float overflow, so no result is ever infinite.
"""

_TAIL_PROBABILITY = 1e-9  # quantiles checked against MAX_MAGNITUDE for a distribution


def problems_in_number(
    value: object,
    path: Sequence[str | int],
    *,
    low: float | None = None,
    high: float | None = None,
    low_open: bool = False,
    integer: bool = False,
) -> list[Problem]:
    """Problems of a number-or-distribution field against an admissible range.

    A distribution must keep its whole support inside the range, so that every
    Monte Carlo draw is admissible.
    """
    c = Checker()
    if isinstance(value, Distribution):
        tails = value.ppf(np.array([_TAIL_PROBABILITY, 1.0 - _TAIL_PROBABILITY]))
        if not np.all(np.isfinite(tails)) or float(np.max(np.abs(tails))) > MAX_MAGNITUDE:
            c.add(
                path,
                "too_large",
                f"{value.name} distribution reaches {float(np.max(np.abs(tails))):g} in its "
                f"tails; impactkit computes with values up to {MAX_MAGNITUDE:g} in magnitude",
            )
        lo, hi = value.support
        bad_low = low is not None and (lo < low or (low_open and lo == low))
        bad_high = high is not None and hi > high
        if bad_low or bad_high:
            lo_txt = "-inf" if low is None else f"{low:g}"
            hi_txt = "inf" if high is None else f"{high:g}"
            rng = f"[{lo_txt}, {hi_txt}]"
            c.add(
                path,
                "support",
                f"{value.name} distribution with support [{lo:g}, {hi:g}] "
                f"leaves the admissible range {rng}; truncate or bound it",
            )
    elif c.number(value, path, low=low, high=high, low_open=low_open, integer=integer):
        x = float(value)  # type: ignore[arg-type]  # a real number: checked just above
        if abs(x) > MAX_MAGNITUDE:
            c.add(
                path,
                "too_large",
                f"{x:g} is beyond what impactkit computes with (values up to "
                f"{MAX_MAGNITUDE:g} in magnitude keep every product and sum finite)",
            )
    return c.problems
