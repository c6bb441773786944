"""Contract checks that every calculator passes; plugin authors run them too.

>>> import pandas as pd
>>> from impactkit.measure import Threshold
>>> check_measure_calculator(Threshold(column="x", at_least=1),
...                          pd.DataFrame({"x": [0, 1, 2, None]}))
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from impactkit.errors import ImpactkitError

__all__ = ["check_measure_calculator"]


def check_measure_calculator(calc: Any, df: pd.DataFrame) -> None:
    """Check the contract of an output or outcome calculator on sample data.

    The calculator must: have a ``name`` and a ``data`` attribute; not modify
    its input; give the same result twice; give a finite, non-negative
    quantity with ``n + missing`` equal to the rows it considered; rebuild
    from its ``to_dict()`` form to an equal calculator (through the registry
    when it is registered); and give the same quantity whatever the row order.

    Raises
    ------
    AssertionError
        With a message naming the broken rule.
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
    if (a.quantity, a.n, a.missing) != (b.quantity, b.n, b.missing):
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
    if c.quantity != a.quantity or c.n != a.n:
        raise AssertionError(f"{name}: the result depends on row order")
