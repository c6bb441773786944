"""Non-finite results never leave the library: the model path's magnitude and
finiteness rules hold for portfolios, funnels, shrinkage, distributions, Monte
Carlo and seeds (located impactkit errors, never inf, NaN or a raw exception)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit import dist
from impactkit import portfolio as pf
from impactkit._random import as_generator, check_seed, root_sequence, seeded
from impactkit.cli import main


def tables(**outcome_columns):
    out = pd.DataFrame(
        {"site": ["a", "b"], "outcome": ["x", "x"], "quantity": [5.0, 5.0], "proxy": [10.0, 10.0]}
    )
    for k, v in outcome_columns.items():
        out[k] = v
    inp = pd.DataFrame({"site": ["a", "b"], "amount": [100.0, 100.0]})
    return out, inp


def codes(exc):
    return {(p.path, p.code) for p in exc.value.problems}


# -- portfolio --------------------------------------------------------------------------


def test_portfolio_refuses_magnitudes_the_model_refuses():
    out, inp = tables(quantity=[1e300, 5.0], proxy=[1e300, 10.0])
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(out, inp)
    assert {(("outcomes", "quantity"), "too_large"), (("outcomes", "proxy"), "too_large")} <= (
        codes(ei)
    )
    inp["amount"] = [1e16, 100.0]
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(tables()[0], inp)
    assert (("inputs", "amount"), "too_large") in codes(ei)


def test_inputs_totalling_almost_zero_are_refused_not_an_infinite_ratio():
    out, inp = tables()
    inp["amount"] = [1e-320, 100.0]
    for run in (
        lambda: pf.evaluate(out, inp, discount=0.0),
        lambda: pf.monte_carlo(out, inp, n=10, seed=0),
    ):
        with pytest.raises(ik.ValidationError, match="not a finite number for sites a"):
            run()


def test_a_missing_deadweight_is_an_error_not_zero():
    out, inp = tables(deadweight=[np.nan, 0.5])
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(out, inp)
    (p,) = ei.value.problems
    assert (p.path, p.code) == (("outcomes", "deadweight"), "missing")
    assert "rows 0" in p.message
    for col in ("duration", "drop_off", "price_factor"):
        with pytest.raises(ik.ValidationError, match="missing values in rows 1"):
            pf.evaluate(*tables(**{col: [1.0, None]}))


@pytest.mark.parametrize(
    "values",
    [
        pd.to_datetime(["2020-01-01", "2021-01-01"]),
        [1 + 2j, 3 + 0j],
        [True, False],
        pd.to_timedelta([1, 2], unit="D"),
        pd.Series([pd.Timestamp("2020-01-01"), 3.0], dtype=object),
    ],
)
def test_dates_complex_numbers_and_booleans_are_not_coerced(values):
    out, inp = tables(quantity=values)
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(out, inp)
    assert (("outcomes", "quantity"), "type") in codes(ei)
    out, inp = tables()
    inp["amount"] = values
    with pytest.raises(ik.ValidationError) as ei:
        pf.evaluate(out, inp)
    assert (("inputs", "amount"), "type") in codes(ei)


def test_numbers_written_as_text_are_still_read():
    out, inp = tables(quantity=["5", "5.0"])
    assert pf.evaluate(out, inp, discount=0.0)["ratio"].tolist() == [0.5, 0.5]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.floats(allow_nan=True, allow_infinity=True, width=64), min_size=4, max_size=4))
def test_evaluate_gives_finite_numbers_or_a_validation_error(xs):
    q, proxy, price, amount = xs
    out, inp = tables(quantity=[q, 1.0], proxy=[proxy, 1.0], price_factor=[price, 1.0])
    inp["amount"] = [amount, 1.0]
    try:
        res = pf.evaluate(out, inp)
    except ik.ValidationError:
        return
    numeric = res[["present_value", "total_inputs", "net_present_value", "ratio", "net_ratio"]]
    assert np.isfinite(numeric.to_numpy(dtype=float)).all()


# -- funnel and shrinkage ---------------------------------------------------------------


def frame(**cols):
    df = pd.DataFrame({"site": list("abc"), "value": [0.5, 0.2, 0.3], "n": [1.0, 1.0, 1.0]})
    for k, v in cols.items():
        df[k] = v
    return df


@pytest.mark.parametrize(
    ("kwargs", "path", "code"),
    [
        ({"kind": "mean", "sd": 1e308}, ("sd",), "too_large"),
        ({"kind": "mean", "sd": 1.0, "target": float("inf")}, ("target",), "out_of_range"),
        ({"kind": "mean", "sd": 1.0, "target": float("nan")}, ("target",), "out_of_range"),
        ({"kind": "mean", "sd": [1, 2]}, ("sd",), "type"),
    ],
)
def test_funnel_refuses_non_finite_parameters(kwargs, path, code):
    with pytest.raises(ik.ValidationError) as ei:
        pf.funnel(frame(), value="value", n="n", **kwargs)
    assert (path, code) in codes(ei)


@pytest.mark.parametrize(
    ("column", "code"),
    [
        (pd.to_datetime(["2020", "2021", "2022"]), "type"),
        ([1 + 1j, 0.5, 0.5], "type"),
        ([True, False, True], "type"),
        (["a", "0.5", "0.5"], "type"),
        ([1e300, 2e300, 0.1], "too_large"),
    ],
)
def test_funnel_refuses_values_that_are_not_real_numbers(column, code):
    with pytest.raises(ik.ValidationError) as ei:
        pf.funnel(frame(value=column), value="value", n="n", kind="mean", sd=1.0)
    assert (("value",), code) in codes(ei)


def test_funnel_sd_column_of_text_is_a_validation_error():
    with pytest.raises(ik.ValidationError) as ei:
        pf.funnel(frame(s=["a", "1", "1"]), value="value", n="n", kind="mean", sd="s")
    assert (("sd",), "type") in codes(ei)


def test_funnel_limits_that_overflow_are_refused():
    df = frame(n=[1e-320, 10.0, 10.0])
    with pytest.raises(ik.ValidationError, match="not a finite number"):
        pf.funnel(df, value="value", n="n", kind="ratio")


def test_shrink_never_ranks_nan():
    with pytest.raises(ik.ValidationError) as ei:
        pf.shrink(np.array([1e300, -1e300, 0.0]), np.array([1.0, 1.0, 1.0]), seed=0)
    assert (("estimates",), "too_large") in codes(ei)
    with pytest.raises(ik.ValidationError, match="not a finite number"):
        pf.shrink(np.array([1.0, 2.0, 3.0]), np.array([1e-200, 1e-200, 1.0]), seed=0)
    r = pf.shrink(np.array([1.0, 2.0, 3.0]), np.array([1.0, 1.0, 1.0]), seed=0).table
    assert r["rank"].between(1, 3).all()


@pytest.mark.parametrize(
    "estimates",
    [
        np.array([1 + 1j, 1.0]),
        ["a", "b"],
        pd.Series(pd.to_datetime(["2020", "2021"])),
        np.array([True, False]),
    ],
)
def test_shrink_refuses_what_is_not_a_real_number(estimates):
    with pytest.raises(ik.ValidationError) as ei:
        pf.shrink(estimates, [1.0, 1.0])
    assert (("estimates",), "type") in codes(ei)


def test_shrink_of_draws_with_text_is_a_validation_error():
    draws = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": ["x", "2", "3"]})
    with pytest.raises(ik.ValidationError) as ei:
        pf.shrink(draws)
    assert (("estimates",), "type") in codes(ei)


# -- distributions ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("make", "path"),
    [
        (lambda: dist.LogNormal(1, 1e200), ("sd",)),
        (lambda: dist.Normal(1e200, 1e200), ("sd",)),
        (lambda: dist.Uniform(1e200, 1e308), ("high",)),
        (lambda: dist.Uniform(1e308, 1.7e308), ("high",)),
        (lambda: dist.Triangular(1e200, 1e200, 1e308), ("high",)),
        (lambda: dist.PERT(1e200, 1e200, 1e308), ("high",)),
        (lambda: dist.Beta(1e-300, 1e200), ("sd",)),
    ],
)
def test_distributions_whose_moments_overflow_are_validation_errors(make, path):
    with pytest.raises(ik.ValidationError) as ei:
        make()
    assert ei.value.problems[0].path == path


def test_a_lognormal_far_from_overflowing_its_moments_keeps_a_finite_sigma():
    d = dist.LogNormal(1e-300, 1.0)  # (sd / mean)^2 = 1e600 overflowed the direct formula
    assert np.isfinite(d.sigma)
    assert np.isfinite(d.mu)
    x = d.sample(np.random.default_rng(0), 100)
    assert np.isfinite(x).all()
    assert (x >= 0).all()
    assert d.sigma == pytest.approx(np.sqrt(2 * np.log(1e300)), rel=1e-12)
    # below the switch the direct formula is kept, bit for bit
    assert dist.LogNormal(1000, 500).sigma == np.sqrt(np.log1p(0.25))


def test_sample_takes_a_seed_and_checks_size():
    assert dist.Uniform(0, 1).sample(0, 3).shape == (3,)
    with pytest.raises(ik.ValidationError):
        dist.Uniform(0, 1).sample(0, -1)
    with pytest.raises(ik.ValidationError):
        dist.Uniform(0, 1).sample(-1, 3)


# -- Monte Carlo ------------------------------------------------------------------------


def tiny_inputs_model():
    return ik.ImpactModel(
        name="m",
        inputs=[ik.Input("Grant", amount=1e-320)],
        outcomes=[
            ik.OutcomeValuation(
                outcome="o",
                stakeholder="s",
                quantity=dist.Triangular(30, 45, 60),
                proxy=8000,
            )
        ],
    )


def test_monte_carlo_refuses_what_sroi_refuses():
    m = tiny_inputs_model()
    with pytest.raises(ik.ValidationError, match="not a finite number"):
        ik.sroi(m)
    with pytest.raises(ik.ValidationError) as ei:
        ik.monte_carlo(m, n=50, seed=0)
    assert (("monte_carlo", "ratio"), "not_finite") in codes(ei)


# -- seeds ------------------------------------------------------------------------------

BAD_SEEDS = [-1, 1.5, "abc", True, np.float64(1.0), [], [1, -2], object()]


@pytest.mark.parametrize("seed", BAD_SEEDS, ids=repr)
def test_bad_seeds_are_validation_errors_at_seed(seed):
    for f in (check_seed, as_generator, seeded, root_sequence):
        with pytest.raises(ik.ValidationError) as ei:
            f(seed)
        assert ei.value.problems[0].path == ("seed",)
        assert ei.value.problems[0].code == "invalid_seed"
    m = ik.examples.load_example()
    with pytest.raises(ik.ValidationError) as ei:
        ik.monte_carlo(m, n=10, seed=seed)
    assert ei.value.problems[0].path == ("seed",)
    out, inp = tables()
    with pytest.raises(ik.ValidationError):
        pf.monte_carlo(out, inp, n=10, seed=seed)
    with pytest.raises(ik.ValidationError):
        pf.shrink(np.array([1.0, 2.0]), np.array([1.0, 1.0]), seed=seed)


@pytest.mark.parametrize(
    "seed",
    [None, 0, 2**200, np.int64(3), [1, 2], np.random.SeedSequence(1), np.random.default_rng(1)],
    ids=repr,
)
def test_good_seeds_are_accepted(seed):
    assert isinstance(as_generator(seed), np.random.Generator)
    assert isinstance(root_sequence(seed), np.random.SeedSequence)


def test_cli_bad_seed_is_a_normal_error_exit(tmp_path, capsys):
    p = tmp_path / "m.json"
    ik.dump(ik.examples.load_example(), p)
    code = main(["sroi", str(p), "--mc", "10", "--seed", "-1"])
    err = capsys.readouterr().err
    assert code == 1
    assert "internal error" not in err
    assert "seed" in err
