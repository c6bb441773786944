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

from impactkit._validation import Checker, as_float, did_you_mean
from impactkit.errors import Problem, ValidationError
from impactkit.typing import FloatArray

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
        return cls.draw_params(rng, cls.group_params(dists), size=size)

    @classmethod
    def group_params(cls, dists: Sequence[Distribution]) -> FloatArray:
        """Sampling parameters of ``dists`` (all of this class), shape ``(P, len(dists))``.

        Compute them once and draw many blocks with :meth:`draw_params`.

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
    def draw_params(cls, rng: np.random.Generator, params: FloatArray, *, size: int) -> FloatArray:
        """Draw ``size`` values per column of ``params`` (from :meth:`group_params`).

        ``draw_group(rng, dists, size)`` equals
        ``draw_params(rng, group_params(dists), size=size)``.

        Parameters
        ----------
        rng : numpy.random.Generator
            Source of the random draws.
        params : ndarray
            Sampling parameters of shape ``(P, n)``, as returned by
            :meth:`group_params`.
        size : int
            Number of values drawn per column.

        Returns
        -------
        ndarray
            Array of shape ``(size, n)``: column ``i`` holds the draws of the
            ``i``-th distribution.
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
        from scipy import special  # imported on use: keeps `import impactkit` light

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
        return self.mean_ + self.sd * _truncnorm_moments(a, b)[0]

    def var(self) -> float:
        a, b = self._bounds()
        if a == -math.inf and b == math.inf:
            return self.sd**2
        return self.sd**2 * _truncnorm_moments(a, b)[1]

    @property
    def support(self) -> tuple[float, float]:
        lo = -math.inf if self.low is None else self.low
        hi = math.inf if self.high is None else self.high
        return (lo, hi)

    def _params(self) -> tuple[float, ...]:
        a, b = self._bounds()
        return (self.mean_, self.sd, a, b)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"dist": self.name, "mean": self.mean_, "sd": self.sd}
        if self.low is not None:
            out["low"] = self.low
        if self.high is not None:
            out["high"] = self.high
        return out

    @classmethod
    def _draw(cls, rng: np.random.Generator, size: int, *p: FloatArray) -> FloatArray:
        mu, sd, a, b = p
        if np.all(np.isneginf(a)) and np.all(np.isposinf(b)):
            return rng.normal(mu, sd, size=(size, mu.shape[0]))
        u = rng.random((size, mu.shape[0]))
        return cls._ppf(u, *p)

    @classmethod
    def _ppf(cls, u: FloatArray, *p: FloatArray) -> FloatArray:
        mu, sd, a, b = p
        return np.asarray(mu + sd * _truncated_std_normal_ppf(u, a, b), dtype=float)


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
        from scipy import special  # imported on use: keeps `import impactkit` light

        return np.asarray(np.exp(p[0] + p[1] * special.ndtri(u)), dtype=float)


_MAX_SHAPE = 1e12  # alpha + beta beyond this: sd below 1e-6 of the range, a point mass


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

_TAIL = 1e-9  # quantiles checked against MAX_MAGNITUDE for a distribution


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
        tails = value.ppf(np.array([_TAIL, 1.0 - _TAIL]))
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
