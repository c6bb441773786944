"""Contract checks that every calculator passes; plugin authors run them too.

>>> import pandas as pd
>>> from impactkit.measure import Threshold
>>> check_measure_calculator(Threshold(column="x", at_least=1),
...                          pd.DataFrame({"x": [0, 1, 2, None]}))
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd

from impactkit.errors import ImpactkitError

__all__ = ["check_attribution_estimator", "check_measure_calculator"]


def check_measure_calculator(calc: Any, df: pd.DataFrame) -> None:
    """Check the contract of an output or outcome calculator on sample data.

    The calculator must: have a ``name`` and a ``data`` attribute; not modify
    its input; give the same result twice; give a finite, non-negative
    quantity with ``n + missing`` equal to the rows it considered; rebuild
    from its ``to_dict()`` form to an equal calculator (through the registry
    when it is registered); and give the same quantity whatever the row order.

    Parameters
    ----------
    calc : calculator
        The calculator to check.
    df : pandas.DataFrame
        Sample data it can compute on.

    Returns
    -------
    None
        The calculator passed every check.

    Raises
    ------
    AssertionError
        With a message naming the broken rule.

    Examples
    --------
    The calculator of the hours worked in the shipped supported-employment
    example, on its participants' data (eighteen of whom gave no hours):

    >>> import impactkit as ik
    >>> calc = ik.examples.load_example(measured=False).outcomes[0].quantity
    >>> participants = ik.examples.load_example_data()["participants"]
    >>> res = calc.compute(participants)
    >>> res.quantity, res.n, res.missing
    (1243.0, 102, 18)
    >>> check_measure_calculator(calc, participants) is None  # every rule holds
    True
    """
    name = getattr(type(calc), "name", None)
    if not isinstance(name, str) or not name:
        raise AssertionError(f"{type(calc).__name__}: needs a class attribute 'name'")
    if not hasattr(calc, "data"):
        raise AssertionError(f"{name}: needs a 'data' attribute naming its source")
    before = df.copy()
    a = calc.compute(df)
    b = calc.compute(df)
    pd.testing.assert_frame_equal(df, before, obj=f"{name}: input was modified")
    for field in ("quantity", "n", "missing"):
        if not hasattr(a, field):
            raise AssertionError(f"{name}: result lacks {field!r}")
    runs = zip((a.quantity, a.n, a.missing), (b.quantity, b.n, b.missing), strict=True)
    if not all(x == y or (x != x and y != y) for x, y in runs):  # NaN: reported below
        raise AssertionError(f"{name}: two runs on the same data differ")
    if not (a.quantity >= 0 and a.quantity == a.quantity and a.quantity != float("inf")):
        raise AssertionError(f"{name}: quantity must be finite and >= 0, got {a.quantity}")
    considered = len(df)
    where = getattr(calc, "where", ())
    if where:
        from impactkit.measure._filters import apply_conditions

        considered = len(apply_conditions(df, where))
    if a.n + a.missing != considered:
        raise AssertionError(
            f"{name}: n + missing = {a.n + a.missing}, but {considered} rows "
            "were considered (rows must never be dropped silently)"
        )
    spec = calc.to_dict()
    if spec.get("calculator") != name:
        raise AssertionError(f"{name}: to_dict() must start with calculator={name!r}")
    from impactkit.registry import default_registry

    for stage in ("outcome", "output"):
        reg = default_registry(stage)
        try:
            rebuilt = reg.build(spec)
        except ImpactkitError:
            continue
        if rebuilt != calc:
            raise AssertionError(f"{name}: rebuilding from to_dict() gives {rebuilt!r}")
        break
    shuffled = df.sample(frac=1.0, random_state=0)
    c = calc.compute(shuffled)
    # a sum of floats may differ in its last digits with the order: that is not a defect
    if c.n != a.n or not math.isclose(c.quantity, a.quantity, rel_tol=1e-9, abs_tol=1e-9):
        raise AssertionError(f"{name}: the result depends on row order")


def check_attribution_estimator(
    est: Any, df: pd.DataFrame, *, outcome: str, treatment: str, **kwargs: Any
) -> None:
    """Check the contract of a counterfactual estimator on sample data.

    The estimator must: have a ``name``; not modify its input; give the same
    estimate twice; return finite ``effect`` and ``se`` with an interval that
    contains the effect; give the same effect whatever the row order and when
    a constant is added to the outcome.

    Parameters
    ----------
    est : estimator
        The estimator to check.
    df : pandas.DataFrame
        Sample data it can estimate on.
    outcome, treatment : str
        Column names.
    **kwargs
        Further keyword arguments of ``estimate``.

    Returns
    -------
    None
        The estimator passed every check.

    Raises
    ------
    AssertionError
        With a message naming the broken rule.

    Examples
    --------
    A seeded randomised trial of a job-search workshop (weekly hours worked):

    >>> import numpy as np
    >>> from impactkit.attribution import DifferenceInMeans
    >>> rng = np.random.default_rng(7)
    >>> t = rng.integers(0, 2, size=200)
    >>> df = pd.DataFrame({"hours": 10 + 4 * t + rng.normal(0, 3, size=200), "t": t})
    >>> check_attribution_estimator(DifferenceInMeans(), df, outcome="hours", treatment="t")

    It returns None when every rule holds, and names the rule an estimator
    breaks, here one that forgets the comparison group:

    >>> from types import SimpleNamespace
    >>> class TreatedMean:
    ...     name = "treated_mean"
    ...     def estimate(self, df, *, outcome, treatment):
    ...         m = float(df.loc[df[treatment] == 1, outcome].mean())
    ...         return SimpleNamespace(effect=m, se=0.5, ci=(m - 1.0, m + 1.0))
    >>> check_attribution_estimator(TreatedMean(), df, outcome="hours", treatment="t")
    Traceback (most recent call last):
    ...
    AssertionError: treated_mean: adding a constant to the outcome changes the effect
    """
    import math

    name = getattr(type(est), "name", None)
    if not isinstance(name, str) or not name:
        raise AssertionError(f"{type(est).__name__}: needs a class attribute 'name'")
    before = df.copy()
    a = est.estimate(df, outcome=outcome, treatment=treatment, **kwargs)
    b = est.estimate(df, outcome=outcome, treatment=treatment, **kwargs)
    pd.testing.assert_frame_equal(df, before, obj=f"{name}: input was modified")
    for field in ("effect", "se", "ci"):
        if not hasattr(a, field):
            raise AssertionError(f"{name}: the estimate lacks {field!r}")
    if (a.effect, a.se) != (b.effect, b.se):
        raise AssertionError(f"{name}: two runs on the same data differ")
    if not (math.isfinite(a.effect) and math.isfinite(a.se) and a.se >= 0):
        raise AssertionError(f"{name}: effect and se must be finite (se >= 0)")
    if not a.ci[0] <= a.effect <= a.ci[1]:
        raise AssertionError(f"{name}: the interval does not contain the effect")
    shuffled = df.sample(frac=1.0, random_state=0)
    c = est.estimate(shuffled, outcome=outcome, treatment=treatment, **kwargs)
    if not math.isclose(c.effect, a.effect, rel_tol=1e-9, abs_tol=1e-9):
        raise AssertionError(f"{name}: the effect depends on row order")
    shifted = df.assign(**{outcome: df[outcome] + 100.0})
    d = est.estimate(shifted, outcome=outcome, treatment=treatment, **kwargs)
    if not math.isclose(d.effect, a.effect, rel_tol=1e-7, abs_tol=1e-7):
        raise AssertionError(f"{name}: adding a constant to the outcome changes the effect")
