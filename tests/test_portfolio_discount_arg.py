"""The network functions read a discount rate that is a number, never a boolean or text."""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    out = pd.DataFrame({"site": ["a"], "quantity": [1.0], "proxy": [100.0], "duration": [2]})
    inp = pd.DataFrame({"site": ["a"], "amount": [100.0]})
    return out, inp


@pytest.mark.parametrize("bad", [True, "0.035", None, [0.035]])
def test_a_discount_that_is_not_a_rate_is_refused(bad: object) -> None:
    out, inp = _tables()
    for call in (
        lambda: pf.evaluate(out, inp, discount=bad),  # type: ignore[arg-type]
        lambda: pf.monte_carlo(out, inp, n=2, seed=1, discount=bad),  # type: ignore[arg-type]
        lambda: pf.analyse_network(out, inp, discount=bad),
    ):
        with pytest.raises(ValidationError) as exc:
            call()
        assert [(p.path, p.code) for p in exc.value.problems] == [(("discount",), "type")]


def test_a_whole_number_rate_is_read() -> None:
    out, inp = _tables()
    assert pf.evaluate(out, inp, discount=0)["ratio"].tolist() == [2.0]
    got = pf.evaluate(out, inp, discount=1)["ratio"].tolist()  # 100 % a year, if asked
    assert got == [pytest.approx(0.5 + 0.25)]
