"""One vocabulary across the public API (the table in docs/architecture.md, "Vocabulary").

Every public callable and every public result class is walked (found at run time,
as in tests/test_public_api.py and tests/test_result_contract.py), so a name
replaced by the vocabulary cannot come back in a signature, a result field or a
``to_dict`` key.
"""

from __future__ import annotations

import inspect
import re

import attrs
import pytest

import impactkit as ik
from public import public_members, public_methods
from test_result_contract import EXAMPLES, RESULTS, result_types

# replaced name -> the vocabulary's word
BANNED = {
    "n_boot": "n_bootstrap",
    "bootstrap": "n_bootstrap",
    "bootstrap_draws": "n_bootstrap",
    "B": "n_bootstrap",
    "num_resamples": "n_bootstrap",
    "mc_draws": "n_draws",
    "conf_level": "level",
    "conf_int": "interval",
    "p_value": "pvalue",
    "params": "parameters",
    "n_params": "n_parameters",
    "pre": "baseline",
    "post": "followup",
}

# ``unit`` is a unit of measure; the observed unit of a panel (or a coded unit) is ``entity``
UNIT_OF_MEASURE = {"FinancialProxy", "UnitCost", "Indicator"}

DEFAULT_LANG = "en"


def _signatures():
    """(qualified name, signature) of every public function, method and class constructor."""
    seen = set()
    for modname, name, obj in public_members():
        items = [(f"{modname}.{name}", obj)]
        if inspect.isclass(obj):
            items += [(f"{modname}.{name}.{a}", m) for a, m in public_methods(obj)]
        for qual, fn in items:
            if id(fn) in seen:
                continue
            seen.add(id(fn))
            try:
                sig = inspect.signature(fn)
            except (TypeError, ValueError):  # pragma: no cover - builtins without one
                continue
            yield qual, fn, sig


def _classes():
    seen = set()
    for modname, name, obj in public_members():
        if inspect.isclass(obj) and obj not in seen:
            seen.add(obj)
            yield f"{modname}.{name}", obj


def _banned(name):
    return BANNED.get(name)


def _observed_unit(name):
    """A name that counts or lists observed units (``n_units``, ``unit_cohort``)."""
    return bool({"unit", "units"} & set(name.split("_")))


def test_no_replaced_parameter_name():
    offenders = []
    for qual, fn, sig in _signatures():
        owner = qual.split(".")[-1] if inspect.isclass(fn) else qual.split(".")[-2]
        for p in sig.parameters.values():
            if _banned(p.name):
                offenders.append(f"{qual}({p.name}=...): say {BANNED[p.name]}")
            if p.name in ("draws", "mc") and type(p.default) is int:
                offenders.append(f"{qual}({p.name}=...): a number of draws is n_draws")
            if p.name == "unit" and owner not in UNIT_OF_MEASURE:
                offenders.append(f"{qual}(unit=...): a panel's or coded unit is 'entity'")
    assert not offenders, offenders


def test_no_replaced_method_or_field_name():
    offenders = []
    for qual, cls in _classes():
        for attr in dir(cls):
            if _banned(attr):
                offenders.append(f"{qual}.{attr}: say {BANNED[attr]}")
        if attrs.has(cls):
            for a in attrs.fields(cls):
                if _observed_unit(a.name) and cls.__name__ not in UNIT_OF_MEASURE:
                    offenders.append(f"{qual}.{a.name}: a panel's or coded unit is an 'entity'")
    assert not offenders, offenders


def _keys(value, path=()):
    if isinstance(value, dict):
        for k, v in value.items():
            yield (*path, str(k))
            yield from _keys(v, (*path, str(k)))
    elif isinstance(value, list) and value and isinstance(value[0], dict):
        # a table (records) has data columns, not keys of the API; its first record is enough
        return


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_no_replaced_to_dict_key(name):
    d = EXAMPLES[name]().to_dict()
    offenders = [
        ".".join(p)
        for p in _keys(d)
        if (_banned(p[-1]) or _observed_unit(p[-1])) and "model_spec" not in p
    ]
    assert not offenders, offenders


def test_one_interval_method_and_one_pvalue():
    """Results give another level's interval by ``interval(level)`` and a p-value as ``pvalue``."""
    for qual, cls in _classes():
        methods = {a for a, _ in public_methods(cls)}
        assert not {m for m in methods if "interval" in m or m.startswith("conf")} - {
            "interval"
        }, qual
        if "interval" in methods:
            assert "level" in inspect.signature(cls.interval).parameters, qual
        if attrs.has(cls):
            assert "p_value" not in {a.name for a in attrs.fields(cls)}, qual


def test_one_default_language():
    offenders = [
        f"{qual}(lang={sig.parameters['lang'].default!r})"
        for qual, _, sig in _signatures()
        if "lang" in sig.parameters
        # None: the language of the content given (``report.html`` of an analysed report)
        and sig.parameters["lang"].default not in (DEFAULT_LANG, None, inspect.Parameter.empty)
    ]
    assert not offenders, offenders


def test_data_is_keyword_only_where_it_is_an_option():
    """``data`` is keyword-only wherever it has a default (an option, not the thing read)."""
    offenders = []
    for qual, _, sig in _signatures():
        p = sig.parameters.get("data")
        optional = p is not None and p.default is not inspect.Parameter.empty
        if optional and p.kind is not inspect.Parameter.KEYWORD_ONLY:
            offenders.append(qual)
    assert not offenders, offenders


def test_seed_goes_to_the_call_that_draws():
    """An estimator holds no seed: ``estimate(..., seed=)`` draws, as every function does."""
    offenders = []
    for qual, cls in _classes():
        estimator = callable(getattr(cls, "estimate", None)) or callable(getattr(cls, "fit", None))
        if estimator and "seed" in inspect.signature(cls).parameters:
            offenders.append(qual)
    assert not offenders, offenders


def test_every_stochastic_result_records_its_entropy():
    """A result returned by a callable that takes a ``seed`` records ``seed_entropy``."""
    classes = result_types()
    offenders = set()
    for qual, fn, sig in _signatures():
        if "seed" not in sig.parameters or inspect.isclass(fn):
            continue
        ret = getattr(fn, "__annotations__", {}).get("return", "")
        text = ret if isinstance(ret, str) else getattr(ret, "__name__", "")
        for word in re.findall(r"[A-Za-z_]\w*", text):
            cls = classes.get(word)
            recorded = (
                cls is None
                or not attrs.has(cls)
                or "seed_entropy" in {a.name for a in attrs.fields(cls)}
            )
            if not recorded:
                offenders.add(f"{word} (from {qual})")
    assert not offenders, sorted(offenders)


def test_results_found():
    assert "WildClusterResult" in RESULTS
    assert ik.qualitative.Agreement in RESULTS.values()


def test_no_result_records_its_seed_under_another_name():
    offenders = [
        name
        for name, cls in result_types().items()
        if attrs.has(cls) and "seed" in {a.name for a in attrs.fields(cls)}
    ]
    assert not offenders, offenders


def test_recorded_entropy_repeats_the_run():
    """``seed=result.seed_entropy`` repeats a run drawn from fresh entropy."""
    import numpy as np
    import pandas as pd

    codings = pd.DataFrame(
        [(u, c, (u + (c == "b" and u % 3 == 0)) % 3) for u in range(12) for c in "abc"],
        columns=["entity", "coder", "code"],
    )
    first = ik.qualitative.agreement(codings, n_bootstrap=200)
    again = ik.qualitative.agreement(codings, n_bootstrap=200, seed=first.seed_entropy)
    assert first.seed_entropy is not None
    assert first.ci == again.ci
    np.testing.assert_array_equal(first.draws, again.draws)

    model = ik.examples.load_example()
    data = ik.examples.load_example_data()
    a = ik.report.analyse(model, data=data, n_draws=300, value_of_information=True)
    b = ik.report.analyse(
        model, data=data, n_draws=300, value_of_information=True, seed=a.seed_entropy
    )
    assert a.seed_entropy == a.to_dict()["seed_entropy"] == a.monte_carlo.seed_entropy
    # the value of information draws from a child stream of the report's seed: that seed
    # repeats it; the child's own entropy (its parent's) would not, so none is recorded
    assert a.voi.seed_entropy is None
    assert b.voi.seed_entropy is None
    pd.testing.assert_frame_equal(a.voi.table, b.voi.table)
