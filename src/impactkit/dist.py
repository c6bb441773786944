r"""Probability distributions for uncertain inputs.

Any numeric field of an :class:`~impactkit.OutcomeValuation`, a
:class:`~impactkit.FinancialProxy`, an :class:`~impactkit.Input` or a constant
discount rate may be one of these instead of a number. A point evaluation
(:func:`impactkit.sroi`) uses each distribution's :attr:`~Distribution.central`
value, which is its **mean** (the Green Book asks appraisals to use expected
values); :func:`impactkit.monte_carlo` samples them.

Parameterisations follow METHODS §8.1:

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
from scipy import special

from impactkit._validation import Checker, is_number
from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray

__all__ = [
    "DISTRIBUTIONS",
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
    return float(x) if is_number(x) else x


def _opt_f(x: Any) -> float | None:
    return None if x is None else _f(x)


class Distribution:
    """Base class of impactkit distributions (frozen attrs values)."""

    __slots__ = ()
    name: ClassVar[str] = ""

    def __attrs_post_init__(self) -> None:
        c = Checker()
        self._check(c)
        c.raise_if_errors()

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
        """Quantile function (inverse CDF) at probabilities ``q``."""
        q = np.asarray(q, dtype=float)
        cols = [np.full(1, p) for p in self._params()]
        return np.asarray(type(self)._ppf(q[..., None], *cols)[..., 0], dtype=float)

    def percentile(self, p: float) -> float:
        """The ``p``-th percentile, ``p`` in [0, 100]."""
        return float(self.ppf(p / 100.0))

    def sample(self, rng: np.random.Generator, size: int) -> FloatArray:
        """Draw ``size`` independent values."""
        return type(self).draw_group(rng, [self], size)[:, 0]

    @classmethod
    def draw_group(
        cls, rng: np.random.Generator, dists: Sequence[Distribution], size: int
    ) -> FloatArray:
        """Draw ``size`` values of each distribution in ``dists`` (all of this class).

        Returns an array of shape ``(size, len(dists))``; one vectorised call.
        """
        return cls.draw_params(rng, cls.group_params(dists), size)

    @classmethod
    def group_params(cls, dists: Sequence[Distribution]) -> FloatArray:
        """Sampling parameters of ``dists`` (all of this class), shape ``(P, len(dists))``.

        Compute them once and draw many blocks with :meth:`draw_params`.
        """
        return np.array([d._params() for d in dists], dtype=float).reshape(len(dists), -1).T

    @classmethod
    def draw_params(cls, rng: np.random.Generator, params: FloatArray, size: int) -> FloatArray:
        """Draw ``size`` values per column of ``params`` (from :meth:`group_params`).

        ``draw_group(rng, dists, size)`` equals
        ``draw_params(rng, group_params(dists), size)``.
        """
        return cls._draw(rng, size, *params)

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        u = rng.random((size, p[0].shape[0]))
        return cls._ppf(u, *p)

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        raise NotImplementedError  # pragma: no cover

    def to_dict(self) -> dict[str, Any]:
        """Plain mapping as stored in model files: ``{"dist": name, ...parameters}``."""
        out: dict[str, Any] = {"dist": self.name}
        for a in attrs.fields(type(self)):  # type: ignore[arg-type]
            out[a.name] = getattr(self, a.name)
        return out


@attrs.frozen
class Fixed(Distribution):
    """A known value, written as a distribution (useful in generated models).

    Examples
    --------
    >>> Fixed(3.0).central
    3.0
    """

    name: ClassVar[str] = "fixed"
    value: float = attrs.field(converter=_f)

    def _check(self, c: Checker) -> None:
        c.number(self.value, "value")

    def mean(self) -> float:
        return self.value

    def var(self) -> float:
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
    """Uniform between ``low`` and ``high``.

    Examples
    --------
    >>> Uniform(0.1, 0.3).central
    0.2
    """

    name: ClassVar[str] = "uniform"
    low: float = attrs.field(converter=_f)
    high: float = attrs.field(converter=_f)

    def _check(self, c: Checker) -> None:
        if c.number(self.low, "low") and c.number(self.high, "high") and self.low >= self.high:
            c.add("high", "order", f"high must exceed low, got low={self.low}, high={self.high}")

    def mean(self) -> float:
        return (self.low + self.high) / 2

    def var(self) -> float:
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
    low: float = attrs.field(converter=_f)
    mode: float = attrs.field(converter=_f)
    high: float = attrs.field(converter=_f)

    def _check(self, c: Checker) -> None:
        _check_three_point(self, c)

    def mean(self) -> float:
        return (self.low + self.mode + self.high) / 3

    def var(self) -> float:
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

    Notes
    -----
    .. math:: \alpha = 1 + \lambda\frac{m - a}{b - a},\quad
              \beta = 1 + \lambda\frac{b - m}{b - a},\quad
              X = a + (b - a)\,\mathrm{Beta}(\alpha, \beta)

    with mean :math:`(a + \lambda m + b)/(\lambda + 2)`; ``lam`` = 4 is the
    classic PERT.

    Examples
    --------
    >>> d = PERT(0, 0.2, 0.6)
    >>> round(d.mean(), 5), round(d.alpha, 4), round(d.beta, 4), round(d.var(), 6)
    (0.23333, 2.3333, 3.6667, 0.012222)
    """

    name: ClassVar[str] = "pert"
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
        return (self.low + self.lam * self.mode + self.high) / (self.lam + 2)

    def var(self) -> float:
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
        return np.asarray(lo + (hi - lo) * special.betaincinv(a, b, u), dtype=float)


@attrs.frozen
class Normal(Distribution):
    r"""Normal distribution, optionally truncated to ``[low, high]``.

    Use it for estimated effects (an estimate and its standard error). Its
    central value is the mean of the truncated distribution.

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
        a, b = self._bounds()
        if a == -math.inf and b == math.inf:
            return self.mean_
        from scipy import stats

        return float(stats.truncnorm.mean(a, b, loc=self.mean_, scale=self.sd))

    def var(self) -> float:
        a, b = self._bounds()
        if a == -math.inf and b == math.inf:
            return self.sd**2
        from scipy import stats

        return float(stats.truncnorm.var(a, b, loc=self.mean_, scale=self.sd))

    @property
    def support(self) -> tuple[float, float]:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        return (lo, hi)

    def _params(self) -> tuple[float, ...]:
        a, b = self._bounds()
        return (self.mean_, self.sd, float(special.ndtr(a)), float(special.ndtr(b)))

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dist": self.name, "mean": self.mean_, "sd": self.sd}
        if self.low is not None:
            out["low"] = self.low
        if self.high is not None:
            out["high"] = self.high
        return out

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        mu, sd, pa, pb = p
        if np.all(pa == 0.0) and np.all(pb == 1.0):
            return rng.normal(mu, sd, size=(size, mu.shape[0]))
        u = rng.random((size, mu.shape[0]))
        return cls._ppf(u, *p)

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        mu, sd, pa, pb = p
        z = special.ndtri(pa + u * (pb - pa))
        return np.asarray(mu + sd * z, dtype=float)


@attrs.frozen
class LogNormal(Distribution):
    r"""Log-normal distribution given by its mean and standard deviation.

    For positive money values such as financial proxies.

    Notes
    -----
    .. math:: \sigma^2 = \ln(1 + s^2/m^2), \qquad \mu = \ln m - \sigma^2/2

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
        """Build from the median and the standard deviation of the log."""
        c = Checker()
        c.number(median, "median", low=0.0, low_open=True)
        c.number(sigma, "sigma", low=0.0, low_open=True)
        c.raise_if_errors()
        m = float(median) * math.exp(float(sigma) ** 2 / 2)
        return cls(m, m * math.sqrt(math.expm1(float(sigma) ** 2)))

    @property
    def sigma(self) -> float:
        """Standard deviation of the log."""
        return math.sqrt(math.log1p((self.sd / self.mean_) ** 2))

    @property
    def mu(self) -> float:
        """Mean of the log."""
        return math.log(self.mean_) - self.sigma**2 / 2

    def mean(self) -> float:
        return self.mean_

    def var(self) -> float:
        return self.sd**2

    @property
    def support(self) -> tuple[float, float]:
        return (0.0, math.inf)

    def _params(self) -> tuple[float, ...]:
        return (self.mu, self.sigma)

    def to_dict(self) -> dict[str, Any]:
        return {"dist": self.name, "mean": self.mean_, "sd": self.sd}

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        return rng.lognormal(p[0], p[1], size=(size, p[0].shape[0]))

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        return np.asarray(np.exp(p[0] + p[1] * special.ndtri(u)), dtype=float)


@attrs.frozen
class Beta(Distribution):
    r"""Beta distribution on ``[low, high]`` (default [0, 1]) given by mean and sd.

    For shares such as deadweight, attribution or drop-off.

    Notes
    -----
    On the unit scale, :math:`k = \mu(1-\mu)/s^2 - 1`, :math:`\alpha = \mu k`,
    :math:`\beta = (1-\mu) k`; requires :math:`s^2 < \mu(1-\mu)`.

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
                f"{(self.high - self.low) ** 2 * m * (1 - m):.6g}, got {self.sd**2:.6g}",
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
        return self.mean_

    def var(self) -> float:
        return self.sd**2

    @property
    def support(self) -> tuple[float, float]:
        return (self.low, self.high)

    def _params(self) -> tuple[float, ...]:
        return (self.low, self.high, self.alpha, self.beta)

    def to_dict(self) -> dict[str, Any]:
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

    Examples
    --------
    >>> central(3), central(Triangular(30, 45, 60))
    (3.0, 45.0)
    """
    if isinstance(value, Distribution):
        return value.central
    return float(value)


def from_dict(data: Any) -> Distribution:
    """Build a distribution from its file form ``{"dist": name, ...}``.

    Raises
    ------
    ValidationError
        Unknown distribution name, unknown or missing parameters, bad values;
        every problem at once.
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
            c.add(k, "unknown_key", f"unknown parameter for {name}: expected {sorted(fields)}")
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
    else:
        c.number(value, path, low=low, high=high, low_open=low_open, integer=integer)
    return c.problems
