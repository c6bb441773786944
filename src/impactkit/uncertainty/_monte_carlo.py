r"""Monte Carlo simulation of a model whose fields are distributions.

Draws are made in fixed blocks of :data:`BLOCK` samples, block ``b`` from its
own stream (the ``b``-th child of the caller's seed), so the same seed gives
the same numbers whatever ``chunk_size``. Each block draws every distribution
class in one vectorised call; each chunk is evaluated by one kernel call.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import numpy.typing as npt
import pandas as pd

from impactkit._random import block_generator, reproducing_entropy, root_sequence
from impactkit._results import DEFAULT_LEVEL, FrozenDict, Summary, displayed, freeze, jsonable
from impactkit._validation import Checker, require_finite
from impactkit._version import __version__
from impactkit.dist import Distribution, Uniform
from impactkit.errors import ValidationError
from impactkit.model import ImpactModel, ValueMap, compile_model
from impactkit.typing import FloatArray, SeedLike
from impactkit.uncertainty._correlation import correlation_matrix, iman_conover

__all__ = ["BLOCK", "MAX_MEMORY", "MonteCarloResult", "memory_estimate", "monte_carlo"]

BLOCK = 4096
"""Samples per random block; chunk sizes are rounded up to a multiple of it."""

_TARGET_ELEMENTS = 1 << 20  # samples x rows per chunk by default (about 8 MB per array)

METRICS = ("ratio", "present_value", "net_present_value", "total_inputs")

MAX_MEMORY = 4 * 1024**3
"""Default memory cap of one Monte Carlo run [bytes] (4 GiB); see :func:`memory_estimate`."""


@displayed(headline=("Median ratio", "interval", "P(ratio > 1)", "Draws"))
@attrs.frozen
class MonteCarloResult:
    """Samples of the SROI and their summaries.

    Parameters
    ----------
    n : int
        Number of draws.
    seed_entropy : int or None
        Entropy of the root seed, which reproduces the draws; None when no
        single integer does (a sequence of ints, a spawned child SeedSequence).
    present_value, total_inputs : ndarray
        Samples [currency].
    parameters : tuple of str
        Paths of the uncertain fields that were sampled.
    currency : str
        Currency of the model.
    version : str
        impactkit version that made the draws.
    samples_array : ndarray, optional
        Draws of the uncertain parameters, shape ``(n, len(parameters))``,
        when kept (``keep_samples=True``); see :attr:`samples`.
    correlation : mapping of (str, str) to float, optional
        The rank correlations imposed on the inputs, keyed by pairs of paths
        (empty: independent).

    Examples
    --------
    :func:`monte_carlo` returns it; here placements avoided by an AEMO
    renforcée service, with an uncertain count and deadweight:

    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="AEMO renforcée",
    ...     inputs=[ik.Input("Dotation du département", amount=200_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="placement_evite", stakeholder="departement",
    ...               quantity=ik.dist.Uniform(4, 8), proxy=45_000,
    ...               deadweight=ik.dist.Uniform(0.2, 0.4))])
    >>> mc = ik.monte_carlo(m, n=2_000, seed=42)
    >>> mc.n, mc.parameters
    (2000, ('outcomes[0].quantity', 'outcomes[0].deadweight'))
    >>> round(mc.mean(), 3), [round(x, 3) for x in mc.interval(0.9)]
    (0.917, [0.623, 1.235])
    >>> round(mc.probability_ratio_above(1.0), 3)
    0.354
    >>> mc.to_frame().columns.tolist()
    ['draw', 'present_value', 'total_inputs', 'net_present_value', 'ratio']
    """

    n: int
    seed_entropy: int | None
    parameters: tuple[str, ...]
    currency: str
    version: str
    present_value: FloatArray = attrs.field(eq=False, repr=False)
    total_inputs: FloatArray = attrs.field(eq=False, repr=False)
    samples_array: FloatArray | None = attrs.field(
        default=None, eq=False, repr=False, kw_only=True
    )
    """Draws x uncertain parameters, when kept (``keep_samples=True``)."""
    correlation: Mapping[tuple[str, str], float] = attrs.field(
        factory=FrozenDict, converter=freeze, kw_only=True
    )
    """The rank correlations imposed on the inputs (empty: independent)."""

    @property
    def samples(self) -> pd.DataFrame | None:
        """The draws of every uncertain parameter, one column per path (a copy).

        None unless the simulation ran with ``keep_samples=True``. Row ``i``
        holds the inputs of draw ``i`` of :attr:`present_value`, so
        ``evppi(mc.net_present_value, mc.samples["outcomes[0].deadweight"])``
        is the value of learning that deadweight before deciding to fund.
        """
        if self.samples_array is None:
            return None
        return pd.DataFrame(self.samples_array.copy(), columns=list(self.parameters))

    def value_of_information(self, *, n_bootstrap: int = 50, seed: SeedLike = None) -> Any:
        """EVPI and EVPPI of every sampled parameter for the decision to fund.

        The decision compares funding (net benefit ``present_value -
        total_inputs``) with not funding (0), see
        :func:`impactkit.uncertainty.value_of_information`.

        Parameters
        ----------
        n_bootstrap : int, default 50
            Bootstrap replicates of each EVPPI's standard error.
        seed : int, SeedSequence, Generator or None, optional
            Seed of the bootstraps.

        Returns
        -------
        VOIResult

        Raises
        ------
        ValidationError
            When the samples were not kept.
        """
        from impactkit.uncertainty._voi import value_of_information

        samples = self.samples
        if samples is None:
            raise ValidationError(
                "the draws of the parameters were not kept: run monte_carlo(..., "
                "keep_samples=True)",
                path=("keep_samples",),
                code="missing",
            )
        return value_of_information(
            self.net_present_value, samples, n_bootstrap=n_bootstrap, seed=seed
        )

    @property
    def net_present_value(self) -> FloatArray:
        """Samples of ``present_value - total_inputs``."""
        return self.present_value - self.total_inputs

    @property
    def ratio(self) -> FloatArray:
        """Samples of the SROI ratio."""
        return self.present_value / self.total_inputs

    @property
    def net_ratio(self) -> FloatArray:
        """Samples of the net SROI ratio."""
        return self.ratio - 1.0

    def _metric(self, metric: str) -> FloatArray:
        if metric not in METRICS:
            raise ValidationError(
                f"metric must be one of {', '.join(METRICS)}, got {metric!r}",
                path=("metric",),
                code="invalid_choice",
            )
        return np.asarray(getattr(self, metric), dtype=float)

    def interval(self, level: float = DEFAULT_LEVEL, metric: str = "ratio") -> tuple[float, float]:
        """Equal-tailed interval holding ``level`` of the draws.

        Parameters
        ----------
        level : float, default 0.95
            Share of the draws inside the interval (the one default of every
            ``level``, see :data:`impactkit._results.DEFAULT_LEVEL`).
        metric : {"ratio", "present_value", "net_present_value", "total_inputs"}
            The sampled quantity.

        Returns
        -------
        tuple of float
            The ``(1 - level)/2`` and ``(1 + level)/2`` quantiles of the draws.

        Raises
        ------
        ValidationError
            When ``level`` is not a number in (0, 1) or ``metric`` is unknown.

        .. versionchanged:: 0.2
           ``level`` defaults to 0.95, as every interval of impactkit.

        Examples
        --------
        >>> r = MonteCarloResult(4, None, (), "EUR", "0", np.array([1., 2, 3, 4]), np.ones(4))
        >>> r.interval(0.5)
        (1.75, 3.25)
        """
        c = Checker()
        if c.number(level, "level") and not 0 < level < 1:
            c.add("level", "out_of_range", f"level must be in (0, 1), got {level!r}")
        c.raise_if_errors()
        x = self._metric(metric)
        lo, hi = np.quantile(x, [(1 - level) / 2, (1 + level) / 2])
        return float(lo), float(hi)

    def percentiles(self, q: Sequence[float] = (5, 50, 95), metric: str = "ratio") -> pd.Series:
        """Percentiles ``q`` (0-100) of a metric, as a Series indexed by ``q``.

        Parameters
        ----------
        q : sequence of float, default (5, 50, 95)
            Percentiles, 0-100.
        metric : {"ratio", "present_value", "net_present_value", "total_inputs"}
            The sampled quantity.

        Returns
        -------
        pandas.Series
            Indexed by ``q``.

        Raises
        ------
        ValidationError
            When a percentile is not a number in [0, 100] (at ``q``, with its
            position), or ``metric`` is unknown.
        """
        c = Checker()
        if isinstance(q, str) or not isinstance(q, Sequence | np.ndarray):
            c.add("q", "type", f"expected a sequence of percentiles, got {q!r}")
        else:
            for j, v in enumerate(q):
                c.number(v, ("q", j), low=0.0, high=100.0)
        c.raise_if_errors()
        x = self._metric(metric)
        return pd.Series(np.percentile(x, list(q)), index=list(q), name=metric)

    def mean(self, metric: str = "ratio") -> float:
        """Mean of a metric over the draws.

        Parameters
        ----------
        metric : {"ratio", "present_value", "net_present_value", "total_inputs"}
            The sampled quantity.

        Returns
        -------
        float
        """
        return float(np.mean(self._metric(metric)))

    def std(self, metric: str = "ratio") -> float:
        """Standard deviation of a metric over the draws.

        Parameters
        ----------
        metric : {"ratio", "present_value", "net_present_value", "total_inputs"}
            The sampled quantity.

        Returns
        -------
        float
            Sample standard deviation (0 with one draw).
        """
        return float(np.std(self._metric(metric), ddof=1)) if self.n > 1 else 0.0

    def probability_ratio_above(self, x: float = 1.0) -> float:
        """Share of draws whose SROI ratio exceeds ``x``.

        Parameters
        ----------
        x : float, default 1.0
            Threshold of the ratio.

        Returns
        -------
        float
            In [0, 1].

        Raises
        ------
        ValidationError
            When ``x`` is not a finite number.
        """
        c = Checker()
        c.number(x, "x")
        c.raise_if_errors()
        return float(np.mean(self.ratio > x))

    def probability_loss(self) -> float:
        """Share of draws whose net present value is negative (ratio below 1).

        Returns
        -------
        float
            In [0, 1].
        """
        return float(np.mean(self.net_present_value < 0))

    def to_frame(self) -> pd.DataFrame:
        """One row per draw: ``draw``, ``present_value``, ``total_inputs``,

        Returns
        -------
        pandas.DataFrame
        """
        return pd.DataFrame(
            {
                "draw": np.arange(self.n),
                "present_value": self.present_value,
                "total_inputs": self.total_inputs,
                "net_present_value": self.net_present_value,
                "ratio": self.ratio,
            }
        )

    def to_dict(self, *, draws: bool = False) -> dict[str, Any]:
        """Plain JSON-ready data: the run, its summaries and, if asked, the draws.

        Parameters
        ----------
        draws : bool, default False
            Include every draw of ``present_value`` and ``total_inputs``.

        Returns
        -------
        dict
            ``n``, ``seed_entropy`` (reproduces the run), ``parameters``,
            ``currency``, ``version``, and per metric its ``mean``, ``std``,
            ``p5``, ``p50``, ``p95``; ``probability_ratio_above_1`` and
            ``probability_loss``.
        """
        stats = {}
        for m in METRICS:
            p = self.percentiles((5, 50, 95), metric=m)
            stats[m] = {
                "mean": self.mean(m),
                "std": self.std(m),
                "p5": p[5],
                "p50": p[50],
                "p95": p[95],
            }
        out: dict[str, Any] = {
            "n": self.n,
            "seed_entropy": self.seed_entropy,
            "parameters": list(self.parameters),
            "currency": self.currency,
            "version": self.version,
            "metrics": stats,
            "probability_ratio_above_1": self.probability_ratio_above(1.0),
            "probability_loss": self.probability_loss(),
        }
        if draws:
            out["present_value"] = self.present_value
            out["total_inputs"] = self.total_inputs
        return dict(jsonable(out))

    def summary(self) -> Summary:
        """Mean, P5, P50, P95 and P(ratio < 1), for people.

        Returns
        -------
        Summary
        """
        p = self.percentiles((5, 50, 95))
        lo, hi = self.interval(0.90)
        lines: tuple[tuple[str, str], ...] = (
            ("Draws", f"{self.n:,}"),
            ("Mean ratio", f"{self.mean():.2f} : 1"),
            ("Median ratio", f"{p[50]:.2f} : 1"),
            ("90% interval", f"{lo:.2f} - {hi:.2f}"),
            ("P(ratio > 1)", f"{self.probability_ratio_above(1.0):.1%}"),
            ("P(NPV < 0)", f"{self.probability_loss():.1%}"),
            ("Uncertain fields", str(len(self.parameters))),
        )
        if self.correlation:
            lines += (("Rank-correlated pairs", str(len(self.correlation))),)
        return Summary("Monte Carlo", lines)

    def __str__(self) -> str:
        return self.summary().as_text()


def _groups(
    vm: ValueMap, idx: np.ndarray[Any, Any]
) -> list[tuple[type[Distribution], list[int], list[Distribution]]]:
    """Uncertain parameters grouped by distribution class, in model order."""
    groups: dict[type[Distribution], tuple[list[int], list[Distribution]]] = {}
    for col, p in enumerate(idx):
        d = vm.params[int(p)].value
        if not isinstance(d, Distribution):  # pragma: no cover - idx holds uncertain only
            continue
        cols, dists = groups.setdefault(type(d), ([], []))
        cols.append(col)
        dists.append(d)
    return [(cls, cols, dists) for cls, (cols, dists) in groups.items()]


def draw_block(
    vm: ValueMap, idx: np.ndarray[Any, Any], root: np.random.SeedSequence, block: int, size: int
) -> FloatArray:
    """Draws of block ``block`` (``size`` rows) for the uncertain parameters ``idx``.

    One column per parameter, in ``idx`` order: the layout-free form of what
    :func:`monte_carlo` draws (it writes the same numbers straight into the
    kernel's arrays).
    """
    rng = block_generator(root, block)
    out = np.empty((size, len(idx)))
    for cls, cols, dists in _groups(vm, idx):
        out[:, cols] = cls.draw_group(rng, dists, size)
    return out


@attrs.frozen
class _Scatter:
    """Draws of group ``group`` (columns ``src``) go to positions ``dest`` of a field."""

    group: int
    src: npt.NDArray[np.int64]
    dest: npt.NDArray[np.int64]
    scale: FloatArray


class _Sampler:
    """Where each distribution's draws go, worked out once per run.

    A block draws every distribution class in one call (the draws are those of
    :meth:`Distribution.draw_group`, so the numbers never depend on this
    layout). A field whose values are all drawn by one class, in row order
    and unscaled, is a strided view of those draws: nothing is copied. Other
    fields get a buffer whose fixed values are written once and whose
    uncertain columns are overwritten in place, block after block.
    """

    def __init__(
        self,
        vm: ValueMap,
        idx: npt.NDArray[np.int64],
        correlation: tuple[FloatArray, list[int]] | None = None,
    ) -> None:
        groups = _groups(vm, idx)
        self.groups = [(cls, cls.group_parameters(dists)) for cls, _, dists in groups]
        # (group, column in the group's draws) of each uncertain parameter, in idx order
        at = {c: (g, j) for g, (_, cols, _) in enumerate(groups) for j, c in enumerate(cols)}
        self.group_cols = [np.array(cols, dtype=np.int64) for _, cols, _ in groups]
        self.correlated: tuple[FloatArray, list[tuple[int, int]]] | None = None
        if correlation is not None:
            target, cols = correlation
            self.correlated = (target, [at[c] for c in cols])
        where = {
            int(idx[c]): (g, j)
            for g, (_, cols, _) in enumerate(groups)
            for j, c in enumerate(cols)
        }
        base = vm.base * vm.scales
        scales = vm.scales
        self.fixed: dict[str, FloatArray] = {}
        self.views: dict[str, tuple[int, slice]] = {}
        self.buffers: dict[str, tuple[FloatArray, list[_Scatter]]] = {}
        for kind, kidx in vm.kind_index.items():
            unc = [k for k, p in enumerate(kidx) if int(p) in where]
            if not unc:
                self.fixed[kind] = base[kidx][None, :]
                continue
            gs = [where[int(kidx[k])][0] for k in unc]
            js = np.array([where[int(kidx[k])][1] for k in unc], dtype=np.int64)
            step = int(js[1] - js[0]) if js.size > 1 else 1
            regular = step > 0 and np.array_equal(js, js[0] + step * np.arange(js.size))
            if (
                len(unc) == len(kidx)
                and len(set(gs)) == 1
                and regular
                and np.all(scales[kidx] == 1.0)
            ):
                stop = int(js[-1]) + 1
                self.views[kind] = (gs[0], slice(int(js[0]), stop, step))
                continue
            buf = np.empty((BLOCK, len(kidx)))
            buf[:] = base[kidx]  # fixed values, written once
            scatters = []
            unc_arr = np.array(unc, dtype=np.int64)
            g_arr = np.array(gs, dtype=np.int64)
            for g in sorted(set(gs)):
                sel = g_arr == g
                dest = unc_arr[sel]
                scatters.append(_Scatter(g, js[sel], dest, scales[kidx][dest]))
            self.buffers[kind] = (buf, scatters)

    def block(
        self,
        rng: np.random.Generator,
        size: int,
        corr_rng: np.random.Generator | None = None,
        keep: FloatArray | None = None,
    ) -> dict[str, FloatArray]:
        """Arrays of every kind for ``size`` draws of one block's stream.

        With correlated inputs, ``corr_rng`` reorders the block's draws
        (Iman-Conover); ``keep`` (size x parameters) receives the draws.
        """
        draws = []
        for cls, params in self.groups:
            if cls is Uniform:
                # random + in-place affine: the very numbers of rng.uniform, no temporaries
                x = rng.random((size, params.shape[1]))
                x *= params[1] - params[0]
                x += params[0]
            else:
                x = cls.draw_parameters(rng, params, size=size)
            draws.append(x)
        if self.correlated is not None and corr_rng is not None:
            _correlate(draws, *self.correlated, corr_rng)
        if keep is not None:
            for g, x in enumerate(draws):
                keep[:, self.group_cols[g]] = x
        out = dict(self.fixed)
        for kind, (g, cols) in self.views.items():
            out[kind] = draws[g][:, cols]
        for kind, (buf, scatters) in self.buffers.items():
            view = buf[:size]
            for sc in scatters:
                view[:, sc.dest] = draws[sc.group][:, sc.src] * sc.scale
            out[kind] = view
        return out


def _correlate(
    draws: list[FloatArray],
    target: FloatArray,
    where: list[tuple[int, int]],
    rng: np.random.Generator,
) -> None:
    """Reorder the correlated columns of one block in place (marginals unchanged)."""
    x = np.column_stack([draws[g][:, j] for g, j in where])
    y = iman_conover(x, target, rng)
    for c, (g, j) in enumerate(where):
        draws[g][:, j] = y[:, c]


def chunk_length(chunk_size: int | None, n_rows: int) -> int:
    """Samples per kernel call: a whole number of blocks."""
    if chunk_size is None:
        chunk_size = max(BLOCK, _TARGET_ELEMENTS // max(n_rows, 1))
    if int(chunk_size) < 1:
        raise ValidationError(
            f"chunk_size must be positive, got {chunk_size!r}",
            path=("chunk_size",),
            code="out_of_range",
        )
    return int(-(-int(chunk_size) // BLOCK) * BLOCK)


def monte_carlo(
    model: ImpactModel,
    *,
    n: int = 10_000,
    seed: SeedLike = None,
    chunk_size: int | None = None,
    progress: Callable[[int, int], None] | None = None,
    data: Mapping[str, Any] | None = None,
    sampling_uncertainty: bool = False,
    max_memory: int | None = MAX_MEMORY,
    correlation: Mapping[tuple[str, str], float] | None = None,
    keep_samples: bool = False,
) -> MonteCarloResult:
    r"""Sample every distribution of a model and evaluate the SROI of each draw.

    Parameters
    ----------
    model : ImpactModel
        Any numeric field may be a distribution (:mod:`impactkit.dist`).
    n : int, default 10,000
        Number of draws (the impactkit default, docs/methods/uncertainty.md).
    seed : int, SeedSequence, Generator or None
        Seed of the draws; the same seed gives the same draws whatever
        ``chunk_size``. ``None`` draws fresh entropy (recorded on the result).
    chunk_size : int, optional
        Draws per kernel call, rounded up to a multiple of :data:`BLOCK`;
        bounds memory. Default: about a million samples x rows per call.
    progress : callable, optional
        Called as ``progress(done, n)`` after each chunk.
    data : mapping of str to DataFrame, optional
        Data sources for measured quantities.
    sampling_uncertainty : bool, default False
        Carry the sampling uncertainty of measured quantities into the draws
        (a normal with the measurement's standard error, truncated to
        ``[0, n]`` for a count of units; see :func:`impactkit.measure.bind`).
    max_memory : int or None, default :data:`MAX_MEMORY`
        Refuse to start when :func:`memory_estimate` exceeds this many bytes;
        ``None`` removes the cap.
    correlation : mapping of (str, str) to float, optional
        Rank correlations between uncertain fields, keyed by their paths:
        ``{("outcomes[0].deadweight", "outcomes[1].deadweight"): 0.6}``.
        Imposed by Iman-Conover within each block of :data:`BLOCK` draws; the
        marginal draws are unchanged (docs/methods/decision.md). Unlisted pairs stay
        independent.
    keep_samples : bool, default False
        Keep the draws of every uncertain field (:attr:`MonteCarloResult.samples`,
        draws x paths), e.g. for :func:`impactkit.uncertainty.evppi`.

    Returns
    -------
    MonteCarloResult

    Raises
    ------
    ValidationError
        On a bad ``n``, ``chunk_size`` (a whole number >= 1) or ``max_memory``
        (a number >= 0), every problem at once; when the run would need more memory than
        ``max_memory`` (checked before any draw); when the inputs total 0 or
        less in some draws; or when a correlation names an unknown path, a
        value outside [-1, 1], or pairs that cannot hold together (a matrix
        that is not positive semi-definite; the pairs are named); or when
        ``n`` is below ``k + 2`` for ``k`` correlated inputs (too few draws
        to order by rank).

    Notes
    -----
    Parameters are independent unless ``correlation`` says otherwise; Sobol
    indices assume independence. Each draw is evaluated by the same kernel as
    :func:`impactkit.sroi`; a model without distributions gives ``n`` equal
    draws. Report the distribution, not only a point value (HM Treasury Green
    Book 2022, uncertainty annex) [1]_.

    References
    ----------
    .. [1] HM Treasury (2022). The Green Book, annex on risk and uncertainty.

    Examples
    --------
    >>> import impactkit as ik
    >>> m = ik.ImpactModel(name="m", inputs=[ik.Input("Grant", amount=100_000)],
    ...     outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s",
    ...               quantity=ik.dist.Triangular(30, 45, 60), proxy=8000, duration=3,
    ...               deadweight=ik.dist.Uniform(0.2, 0.3))])
    >>> mc = ik.monte_carlo(m, n=20_000, seed=0)
    >>> 0.9 < mc.probability_ratio_above(1.0) <= 1.0
    True
    """
    c = Checker()
    if not (isinstance(n, int | np.integer) and not isinstance(n, bool) and n >= 1):
        c.add("n", "out_of_range", f"n must be a positive whole number, got {n!r}")
    if chunk_size is not None:
        c.number(chunk_size, "chunk_size", low=1.0, integer=True)
    if max_memory is not None:
        c.number(max_memory, "max_memory", low=0.0)
    c.raise_if_errors()
    from impactkit.measure import bind

    model = bind(model, data, sampling_uncertainty=sampling_uncertainty).model
    vm = compile_model(model)
    root = root_sequence(seed)
    entropy = reproducing_entropy(root)
    idx = vm.uncertain
    n = int(n)
    chunk = chunk_length(chunk_size, vm.n_rows)
    _check_memory(n, vm.n_rows, len(idx), chunk, max_memory)
    pv = np.empty(n)
    inputs = np.empty(n)
    names = [vm.params[int(i)].name for i in idx]
    corr = None
    if correlation:
        target, cols = correlation_matrix(names, correlation)
        if n < len(cols) + 2:
            # Iman-Conover orders k columns by the ranks of k + 2 draws or more
            raise ValidationError(
                f"rank-correlating {len(cols)} inputs needs at least {len(cols) + 2} draws, "
                f"got n={n}",
                path=("n",),
                code="out_of_range",
            )
        corr = (target, cols)
    sampler = _Sampler(vm, idx, corr) if len(idx) else None
    kept = np.empty((n, len(idx))) if keep_samples else None
    fixed = vm.evaluate()  # a model without distributions: every draw is the point value
    for lo in range(0, n, chunk):
        hi = min(lo + chunk, n)
        # one block (BLOCK draws, a few MB) per kernel call: the chunk only paces progress
        for b in range(lo // BLOCK, -(-hi // BLOCK)):
            b_lo, b_hi = b * BLOCK, min((b + 1) * BLOCK, n)
            if sampler is None:
                out = fixed
            else:
                out = vm.evaluate_fields(
                    sampler.block(
                        block_generator(root, b),
                        b_hi - b_lo,
                        # its own stream: correlating leaves the marginal draws as they were
                        block_generator(root, (b, 1)) if corr is not None else None,
                        None if kept is None else kept[b_lo:b_hi],
                    )
                )
            pv[b_lo:b_hi] = out.present_value
            inputs[b_lo:b_hi] = out.total_inputs
        if progress is not None:
            progress(hi, n)
    if not model.inputs or np.any(inputs <= 0):
        bad = int(np.sum(inputs <= 0)) if model.inputs else n
        raise ValidationError(
            f"inputs total 0 or less in {bad} of {n} draws: the SROI ratio is undefined",
            path=("inputs",),
            code="no_inputs",
        )
    with np.errstate(over="ignore", divide="ignore", invalid="ignore"):
        ratio = pv / inputs
    # the rule of sroi: a ratio that overflows (inputs totalling almost 0) is refused
    require_finite({"present_value": pv, "total_inputs": inputs, "ratio": ratio}, "monte_carlo")
    return MonteCarloResult(
        n=n,
        seed_entropy=entropy,
        parameters=tuple(vm.params[int(i)].name for i in idx),
        currency=model.currency,
        version=__version__,
        present_value=pv,
        total_inputs=inputs,
        samples_array=kept,
        correlation=dict(correlation or {}),
    )


def memory_estimate(n: int, *, n_rows: int, n_parameters: int, chunk: int) -> int:
    """Bytes a Monte Carlo run needs at its peak, estimated before it starts.

    Parameters
    ----------
    n : int
        Draws.
    n_rows : int
        Outcome rows of the value map.
    n_parameters : int
        Uncertain fields sampled.
    chunk : int
        Draws per kernel call.

    Returns
    -------
    int
        ``8 × (4n + chunk × (n_parameters + 6 n_rows))``: the two kept sample
        arrays and two derived ones (a ratio and its sorted copy for
        percentiles), then one chunk's parameter draws and the kernel's
        working arrays (about six per row).

    Examples
    --------
    >>> memory_estimate(1_000_000_000, n_rows=3, n_parameters=4, chunk=4096) / 1e9 > 32
    True
    """
    return 8 * (4 * int(n) + min(int(chunk), int(n)) * (int(n_parameters) + 6 * int(n_rows)))


def _check_memory(n: int, n_rows: int, n_parameters: int, chunk: int, cap: int | None) -> None:
    need = memory_estimate(n, n_rows=n_rows, n_parameters=n_parameters, chunk=chunk)
    if cap is not None and need > cap:
        raise ValidationError(
            f"{n:,} draws would need about {need / 1e9:.1f} GB of memory, above the cap of "
            f"{cap / 1e9:.1f} GB: use fewer draws (10,000 to 1,000,000 give stable "
            "intervals), or raise max_memory",
            path=("n",),
            code="too_large",
        )
