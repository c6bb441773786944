"""The contract checks of impactkit.testing: a sound plugin passes, and a deliberately
broken one shows that every rule can fail, with the message naming the rule."""

from __future__ import annotations

import itertools
import types

import attrs
import numpy as np
import pandas as pd
import pytest

from impactkit import measure
from impactkit.attribution import EffectEstimate
from impactkit.testing import check_attribution_estimator, check_measure_calculator

DATA = pd.DataFrame({"x": [3.0, 1.0, None, 2.0, 5.0], "y": [1.0, 2.0, 3.0, 4.0, 5.0]})
_calls = itertools.count()


@attrs.frozen
class Calculator:
    """A plugin calculator counting rows with ``x`` >= 2; ``flaw`` breaks one rule."""

    flaw: str = ""
    data: str | None = None

    name = "plugin_count"

    def compute(self, df):
        x = df["x"]
        n, missing = int(x.notna().sum()), int(x.isna().sum())
        quantity = float((x >= 2).sum())
        if self.flaw == "modifies_input":
            df["x"] = 0.0
        if self.flaw == "no_quantity":
            return types.SimpleNamespace(n=n, missing=missing)
        if self.flaw == "not_deterministic":
            quantity += next(_calls)
        if self.flaw == "negative":
            quantity = -1.0
        if self.flaw == "not_finite":
            quantity = float("nan")
        if self.flaw == "infinite":
            quantity = float("inf")
        if self.flaw == "drops_rows":
            missing = 0
        if self.flaw == "row_order":
            quantity = float(x.iloc[0])
        if self.flaw == "float_sum":  # a plain sum: its last digits follow the row order
            quantity = float(sum(v * 0.1 for v in x.dropna()))
        return measure.MeasureResult(quantity=quantity, n=n, missing=missing)

    def to_dict(self):
        name = "another_name" if self.flaw == "to_dict_name" else self.name
        return {"calculator": name}


class Nameless(Calculator):
    name = ""


@attrs.frozen
class NoData:
    name = "plugin_no_data"

    def compute(self, df):  # pragma: no cover - the check stops before
        return measure.MeasureResult(quantity=0.0, n=len(df), missing=0)


@attrs.frozen
class NotRebuilt(measure.Count):
    """Takes the name of a built-in, so its file form rebuilds a different calculator."""


def test_a_sound_calculator_passes():
    check_measure_calculator(Calculator(), DATA)


@pytest.mark.parametrize(
    ("calc", "message"),
    [
        (Nameless(), "needs a class attribute 'name'"),
        (NoData(), "needs a 'data' attribute"),
        (Calculator("modifies_input"), "input was modified"),
        (Calculator("no_quantity"), "result lacks 'quantity'"),
        (Calculator("not_deterministic"), "two runs on the same data differ"),
        (Calculator("negative"), "quantity must be finite and >= 0"),
        (Calculator("not_finite"), "quantity must be finite and >= 0"),
        (Calculator("infinite"), "quantity must be finite and >= 0"),
        (Calculator("drops_rows"), "rows must never be dropped silently"),
        (Calculator("to_dict_name"), "to_dict() must start with"),
        (NotRebuilt(), "rebuilding from to_dict() gives"),
        (Calculator("row_order"), "the result depends on row order"),
    ],
    ids=lambda x: x if isinstance(x, str) else type(x).__name__,
)
def test_every_rule_of_the_calculator_check_can_fail(calc, message):
    with pytest.raises(AssertionError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_measure_calculator(calc, DATA.copy())


TREATED = pd.DataFrame({"t": [0, 0, 0, 1, 1, 1], "y": [1.0, 2.0, 3.0, 4.0, 6.0, 8.0]})


@attrs.frozen
class Estimator:
    """A plugin difference in means; ``flaw`` breaks one rule."""

    flaw: str = ""

    name = "plugin_diff"

    def estimate(self, df, *, outcome, treatment):
        y, t = df[outcome], df[treatment] == 1
        effect = float(y[t].mean() - y[~t].mean())
        se = 0.5
        if self.flaw == "modifies_input":
            df[outcome] = 0.0
        if self.flaw == "no_ci":
            return types.SimpleNamespace(effect=effect, se=se)
        if self.flaw == "not_deterministic":
            effect += next(_calls)
        if self.flaw == "not_finite":
            se = float("inf")
        if self.flaw == "negative_se":
            se = -1.0
        if self.flaw == "row_order":
            effect = float(y.iloc[0])
        if self.flaw == "not_shift_invariant":
            effect = float(y[t].mean())
        ci = (effect - 2 * se, effect + 2 * se)
        if self.flaw == "bad_interval":
            ci = (effect + 1.0, effect + 2.0)
        if self.flaw == "not_finite":
            # EffectEstimate refuses a non-finite figure itself, so a plugin that
            # slips one through does so with its own result type
            return types.SimpleNamespace(effect=effect, se=se, ci=ci)
        return EffectEstimate(
            effect=effect,
            se=se,
            ci=ci,
            level=0.95,
            df=None,
            estimand="ATE",
            method="plugin",
            n_treated=int(t.sum()),
            n_control=int((~t).sum()),
        )


class NamelessEstimator(Estimator):
    name = None


def test_a_sound_estimator_passes():
    check_attribution_estimator(Estimator(), TREATED, outcome="y", treatment="t")


@pytest.mark.parametrize(
    ("est", "message"),
    [
        (NamelessEstimator(), "needs a class attribute 'name'"),
        (Estimator("modifies_input"), "input was modified"),
        (Estimator("no_ci"), "the estimate lacks 'ci'"),
        (Estimator("not_deterministic"), "two runs on the same data differ"),
        (Estimator("not_finite"), "effect and se must be finite"),
        (Estimator("negative_se"), "effect and se must be finite"),
        (Estimator("bad_interval"), "the interval does not contain the effect"),
        (Estimator("row_order"), "the effect depends on row order"),
        (Estimator("not_shift_invariant"), "adding a constant to the outcome changes the effect"),
    ],
    ids=lambda x: x if isinstance(x, str) else type(x).__name__,
)
def test_every_rule_of_the_estimator_check_can_fail(est, message):
    with pytest.raises(AssertionError, match=message):
        check_attribution_estimator(est, TREATED.copy(), outcome="y", treatment="t")


def test_the_sound_plugins_really_compute():
    """The reference plugins are not trivially passing: their numbers are right."""
    assert Calculator().compute(DATA).quantity == 3.0
    est = Estimator().estimate(TREATED, outcome="y", treatment="t")
    assert est.effect == pytest.approx(np.mean([4, 6, 8]) - np.mean([1, 2, 3]))


def test_a_sum_whose_last_digits_follow_the_row_order_is_not_a_defect():
    df = pd.DataFrame({"x": np.random.default_rng(0).uniform(0, 10, 200)})
    calc = Calculator("float_sum")
    assert calc.compute(df).quantity != calc.compute(df.sample(frac=1.0, random_state=0)).quantity
    check_measure_calculator(calc, df)
