"""A network with no outcome row has no draws and no report: an impactkit error says so."""

from __future__ import annotations

import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def _empty() -> tuple[pd.DataFrame, pd.DataFrame]:
    out = pd.DataFrame(
        {
            "site": pd.Series([], dtype=object),
            "quantity": pd.Series([], dtype=float),
            "proxy": pd.Series([], dtype=float),
        }
    )
    inp = pd.DataFrame({"site": pd.Series([], dtype=object), "amount": pd.Series([], dtype=float)})
    return out, inp


@pytest.mark.parametrize(
    "call",
    [
        lambda o, i: pf.monte_carlo(o, i, n=3, seed=1),
        lambda o, i: pf.analyse_network(o, i),
    ],
)
def test_no_outcome_rows_is_an_error(call: object) -> None:
    out, inp = _empty()
    with pytest.raises(ValidationError) as exc:
        call(out, inp)  # type: ignore[operator]
    assert [(p.path, p.code) for p in exc.value.problems] == [(("outcomes",), "empty")]


def test_evaluate_of_no_rows_is_an_empty_table() -> None:
    out, inp = _empty()
    res = pf.evaluate(out, inp)
    assert len(res) == 0
    assert "ratio" in res.columns
