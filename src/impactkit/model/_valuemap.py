"""A model compiled to arrays: every numeric parameter, its path, and the kernel call.

Point evaluation, Monte Carlo, tornado, tipping points, Sobol and portfolios
all go through :meth:`ValueMap.evaluate`, which calls :mod:`impactkit.kernel`
once per batch of samples.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import attrs
import numpy as np
import numpy.typing as npt

from impactkit import kernel
from impactkit._fields import FIELD_RULES
from impactkit._results import freeze
from impactkit.discount import Constant, Schedule
from impactkit.dist import Distribution, central
from impactkit.errors import PathElement, Problem, ValidationError, format_path
from impactkit.model._model import ImpactModel
from impactkit.typing import FloatArray

__all__ = ["ROW_FIELDS", "KernelOutput", "Parameter", "ValueMap", "compile_model"]

ROW_FIELDS: tuple[str, ...] = (
    "quantity",
    "proxy",
    "deadweight",
    "displacement",
    "attribution",
    "leakage",
    "drop_off",
    "duration",
)
_RATE_CLIP = -0.99
"""Lowest rate values are clipped to: the rate's bound -1 is open."""
_RANGES: dict[str, tuple[float | None, float | None]] = {
    k: (FIELD_RULES[k].low, FIELD_RULES[k].high) for k in (*ROW_FIELDS, "amount")
} | {"rate": (_RATE_CLIP, FIELD_RULES["rate"].high)}


@attrs.frozen
class Parameter:
    """One numeric field of a model, as the uncertainty tools see it.

    Attributes
    ----------
    path : tuple
        Where it is in the model (``("outcomes", 0, "deadweight")``).
    kind : str
        A row field (:data:`ROW_FIELDS`), ``"rate"`` or ``"amount"``.
    index : int
        Row or input number.
    value : float or Distribution
        As given in the model.
    scale : float
        Multiplier applied before evaluation (price-index factor of proxies).
    low, high : float or None
        Admissible range.
    """

    path: tuple[PathElement, ...]
    kind: str
    index: int
    value: float | Distribution
    scale: float = 1.0
    low: float | None = None
    high: float | None = None

    @property
    def name(self) -> str:
        """The path as text, e.g. ``outcomes[0].deadweight``."""
        return format_path(self.path)

    @property
    def central(self) -> float:
        """Value used by point evaluation (unscaled)."""
        return central(self.value)

    @property
    def uncertain(self) -> bool:
        """True when the value is a distribution."""
        return isinstance(self.value, Distribution)

    def clip(self, x: FloatArray) -> FloatArray:
        """Clip values to the admissible range."""
        return np.asarray(np.clip(x, self.low, self.high), dtype=float)


@attrs.frozen
class KernelOutput:
    """Result of one kernel call over ``S`` samples."""

    present_value: FloatArray  # (S,)
    total_inputs: FloatArray  # (S,)
    row_present_values: FloatArray | None = None  # (S, K)


@attrs.frozen(eq=False)
class ValueMap:
    """A model compiled to arrays (see :func:`compile_model`)."""

    params: tuple[Parameter, ...]
    n_rows: int
    n_inputs: int
    start: npt.NDArray[np.int64]
    linear: npt.NDArray[np.bool_]
    input_years: npt.NDArray[np.int64]
    schedule: Schedule | None
    t0: bool
    kind_index: Mapping[str, npt.NDArray[np.int64]] = attrs.field(converter=freeze)
    """Kind -> parameter indices in row order (read-only)."""

    @property
    def base(self) -> FloatArray:
        """Central value of every parameter (unscaled)."""
        return np.array([p.central for p in self.params], dtype=float)

    @property
    def scales(self) -> FloatArray:
        return np.array([p.scale for p in self.params], dtype=float)

    def index_of(self, path: Sequence[PathElement]) -> int:
        """Position of the parameter at ``path``."""
        t = tuple(path)
        for i, p in enumerate(self.params):
            if p.path == t:
                return i
        raise KeyError(format_path(t))

    @property
    def uncertain(self) -> npt.NDArray[np.int64]:
        """Indices of the parameters that are distributions."""
        return np.array([i for i, p in enumerate(self.params) if p.uncertain], dtype=np.int64)

    def _cumulative(self, horizon: int) -> FloatArray | None:
        if self.schedule is None:
            return None
        return self.schedule.cumulative(max(horizon, 1))

    def fields(
        self, varying: npt.NDArray[np.int64], values: FloatArray, base: FloatArray | None = None
    ) -> dict[str, FloatArray]:
        """Arrays of every kind, ``(S, n)`` where a parameter varies, else ``(1, n)``."""
        base = self.base if base is None else base
        scales = self.scales
        kinds = np.array([self.params[i].kind for i in varying]) if len(varying) else np.array([])
        pos = {int(p): k for idx in self.kind_index.values() for k, p in enumerate(idx)}
        out: dict[str, FloatArray] = {}
        s = values.shape[0] if values.ndim == 2 else 1
        for kind, idx in self.kind_index.items():
            b = (base[idx] * scales[idx])[None, :]
            mask = kinds == kind if len(varying) else np.zeros(0, dtype=bool)
            if not mask.any():
                out[kind] = b
                continue
            arr = np.empty((s, len(idx)))
            arr[:] = b
            cols = np.array([pos[int(p)] for p in varying[mask]], dtype=np.int64)
            arr[:, cols] = values[:, mask] * scales[varying[mask]]
            out[kind] = arr
        return out

    def evaluate(
        self,
        varying: Sequence[int] | npt.NDArray[np.int64] = (),
        values: FloatArray | None = None,
        *,
        rows: bool = False,
        base: FloatArray | None = None,
    ) -> KernelOutput:
        """Evaluate with some parameters set per sample.

        Parameters
        ----------
        varying : sequence of int
            Indices of the parameters given in ``values``.
        values : ndarray, shape (S, len(varying))
            Their values per sample (unscaled, as in the model).
        rows : bool
            Also return the present value of every row.
        base : ndarray, optional
            Values of the other parameters (default: central values).
        """
        v_idx = np.asarray(varying, dtype=np.int64)
        vals = np.zeros((1, 0)) if values is None else np.asarray(values, dtype=float)
        if vals.ndim == 1:
            vals = vals[:, None]
        return self.evaluate_fields(self.fields(v_idx, vals, base), rows=rows)

    def evaluate_fields(self, f: dict[str, FloatArray], *, rows: bool = False) -> KernelOutput:
        """Evaluate arrays of every kind (as :meth:`fields` returns them), scaled."""
        rate = f.get("rate")
        rate_arg = rate[:, :1] if rate is not None else None
        horizon = int(self.start.max(initial=1)) + int(np.ceil(f["duration"].max(initial=1)))
        cum = self._cumulative(horizon + int(self.input_years.max(initial=0)))
        args = [f[k] for k in ROW_FIELDS]
        pv_rows = None
        if rows:
            pv_rows = kernel.present_values(
                *args,
                start=self.start,
                linear=self.linear,
                rate=rate_arg,
                cumulative=cum,
                t0=self.t0,
            )
            pv = pv_rows.sum(axis=1)
        else:
            pv = kernel.present_values(
                *args,
                start=self.start,
                linear=self.linear,
                rate=rate_arg,
                cumulative=cum,
                t0=self.t0,
                reduce=True,
            )
        inputs = kernel.input_present_value(
            f["amount"], self.input_years, rate=rate_arg, cumulative=cum, t0=self.t0
        )
        s = max(pv.shape[0], inputs.shape[0])
        return KernelOutput(
            np.broadcast_to(pv, (s,)).copy(), np.broadcast_to(inputs, (s,)).copy(), pv_rows
        )

    def year_values(self) -> FloatArray:
        """Undiscounted value of every row by year at central values, ``(rows, years)``."""
        f = self.fields(np.zeros(0, dtype=np.int64), np.zeros((1, 0)))
        out = kernel.year_values(*[f[k] for k in ROW_FIELDS], start=self.start, linear=self.linear)
        return np.asarray(out[0], dtype=float)

    def discount_factors(self, years: npt.NDArray[np.int64]) -> FloatArray:
        """Discount factors at the central rate for benefit or input years."""
        periods = kernel.periods(years, self.t0)
        if self.schedule is not None:
            return self.schedule.cumulative(int(periods.max(initial=0)) + 1)[periods]
        return kernel.rate_factors(self.base[self.kind_index["rate"][0]], periods)


def compile_model(model: ImpactModel) -> ValueMap:
    """Compile a model's numeric fields to a :class:`ValueMap`."""
    params: list[Parameter] = []
    kind_lists: dict[str, list[int]] = {k: [] for k in (*ROW_FIELDS, "amount", "rate")}

    def add(
        path: tuple[PathElement, ...],
        kind: str,
        index: int,
        value: float | Distribution,
        scale: float = 1.0,
    ) -> None:
        lo, hi = _RANGES[kind]
        if kind == "proxy":
            c = central(value)
            lo, hi = (0.0, None) if c >= 0 else (None, 0.0)
        kind_lists[kind].append(len(params))
        params.append(Parameter(path, kind, index, value, scale, lo, hi))

    unbound = [
        (k, f)
        for k, ov in enumerate(model.outcomes)
        for f in ("quantity", "deadweight")
        if callable(getattr(getattr(ov, f), "compute", None))
    ]
    if unbound:
        raise ValidationError(
            [
                Problem(
                    ("outcomes", k, f),
                    "unbound_calculator",
                    f"{f} is measured from data by a calculator: evaluate with data={{...}}",
                )
                for k, f in unbound
            ]
        )
    for k, ov in enumerate(model.outcomes):
        for field in ROW_FIELDS:
            if field == "proxy":
                add(
                    ("outcomes", k, "proxy", "value"),
                    "proxy",
                    k,
                    ov.proxy.value,
                    model.proxy_factor(k),
                )
            else:
                add(("outcomes", k, field), field, k, getattr(ov, field))
    for m, inp in enumerate(model.inputs):
        add(("inputs", m, "amount"), "amount", m, inp.amount)
    schedule: Schedule | None = None
    if isinstance(model.discount, Constant):
        add(("discount", "rate"), "rate", 0, model.discount.rate)
    else:
        schedule = model.discount
    kind_index = {
        k: np.array(v, dtype=np.int64) for k, v in kind_lists.items() if v or k != "rate"
    }
    return ValueMap(
        params=tuple(params),
        n_rows=len(model.outcomes),
        n_inputs=len(model.inputs),
        start=np.array([ov.start_year for ov in model.outcomes], dtype=np.int64),
        linear=np.array([ov.drop_off_method == "linear" for ov in model.outcomes], dtype=bool),
        input_years=np.array([i.year for i in model.inputs], dtype=np.int64),
        schedule=schedule,
        t0=model.first_flow_at == "t0",
        kind_index=kind_index,
    )
