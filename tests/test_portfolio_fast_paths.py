"""The portfolio's shortcuts for the usual tables (numeric columns, integer site ids,
inputs one row per site in the sites' order) give what the general paths give."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit.errors import ValidationError


def _tables(n_sites: int, *, text: bool) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(3)
    ids = [f"s{i:03d}" for i in range(n_sites)] if text else list(range(n_sites))
    site = np.repeat(np.array(ids, dtype=object if text else np.int64), 3)
    out = pd.DataFrame(
        {
            "site": site,
            "outcome": np.tile(["a", "b", "c"], n_sites),
            "quantity": rng.integers(1, 50, site.size),
            "proxy": rng.uniform(100, 900, site.size),
            "deadweight": rng.uniform(0, 0.4, site.size),
            "duration": rng.integers(1, 4, site.size),
        }
    )
    inp = pd.DataFrame({"site": ids, "amount": rng.uniform(1e3, 1e4, n_sites)})
    return out, inp


@pytest.mark.parametrize("text", [False, True])
def test_inputs_in_site_order_or_shuffled_give_the_same_result(text):
    out, inp = _tables(40, text=text)
    in_order = pf.evaluate(out, inp, discount=0.035)
    shuffled = pf.evaluate(out, inp.sample(frac=1.0, random_state=1), discount=0.035)
    pd.testing.assert_frame_equal(in_order, shuffled)
    # the same numbers from float columns and from the general (object) path
    as_float = pf.evaluate(out.astype({"quantity": float}), inp, discount=0.035)
    as_text = pf.evaluate(out.astype({"quantity": str}), inp, discount=0.035)
    np.testing.assert_array_equal(as_float["ratio"], in_order["ratio"])
    np.testing.assert_array_equal(as_text["ratio"], in_order["ratio"])


def test_checks_still_report_every_problem_on_the_fast_paths():
    out, inp = _tables(10, text=False)
    out.loc[4, "deadweight"] = 1.5
    out.loc[7, "quantity"] = -1
    inp = pd.concat([inp, pd.DataFrame({"site": [99], "amount": [5.0]})], ignore_index=True)
    with pytest.raises(ValidationError) as e:
        pf.evaluate(out, inp, discount=0.035)
    codes = {p.code for p in e.value.problems}
    paths = {p.path for p in e.value.problems}
    assert ("outcomes", "deadweight") in paths
    assert ("outcomes", "quantity") in paths
    assert "unknown_site" in codes
