"""The pinned spellings of docs/architecture.md exist; public signatures follow CONTRIBUTING.md.

Docstrings are checked by numpydoc validation in tests/test_docstrings.py.
"""

from __future__ import annotations

import inspect

import impactkit as ik
from public import public_members, public_methods


def test_pinned_spellings():
    for attr in (
        "TheoryOfChange",
        "ImpactModel",
        "Input",
        "OutcomeValuation",
        "FinancialProxy",
        "sroi",
        "monte_carlo",
        "load",
        "dump",
        "dist",
        "discount",
        "ValidationError",
        "registry",
        "methods",
        "portfolio",
        "examples",
        "report",
        "io",
        "attribution",
        "measure",
    ):
        assert hasattr(ik, attr), attr
    assert callable(ik.methods.irr)
    assert callable(ik.methods.cea_frontier)
    assert callable(ik.portfolio.evaluate)
    assert callable(ik.examples.load_example)
    assert callable(ik.report.html)
    assert callable(ik.io.write_value_map)
    assert callable(ik.io.read_value_map)
    assert ik.discount.GREEN_BOOK.name == "green_book"
    sig = inspect.signature(ik.portfolio.evaluate)
    assert _positional(sig) == ["outcomes_df", "inputs_df"]
    assert _keyword_only(sig)[:4] == ["site", "discount", "by", "executor"]
    sig = inspect.signature(ik.monte_carlo)
    assert _positional(sig) == ["model"]
    assert _keyword_only(sig)[:4] == ["n", "seed", "chunk_size", "progress"]


def _positional(sig):
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return [p.name for p in sig.parameters.values() if p.kind in kinds]


def _keyword_only(sig):
    return [p.name for p in sig.parameters.values() if p.kind is inspect.Parameter.KEYWORD_ONLY]


# Where the rule of at most two positional parameters does not apply, and why.
POSITIONAL_EXEMPT = {
    "impactkit.kernel.impact": "array kernel: the value-map columns in ROW_FIELDS order",
    "impactkit.kernel.present_values": "array kernel: the value-map columns in ROW_FIELDS order",
    "impactkit.kernel.year_values": "array kernel: the value-map columns in ROW_FIELDS order",
    "impactkit.kernel.profile": "array kernel: the value-map columns in ROW_FIELDS order",
    "impactkit.dist.Distribution.draw_group": "the vectorised hook distribution classes implement",
    "impactkit.report.fmt_money": "locale formatter (number, currency, language) of the report",
}


def public_callables():
    """Every public function and public method of a public class, by qualified name."""
    seen = set()
    for modname, name, obj in public_members():
        if inspect.isfunction(obj):
            items = [(f"{modname}.{name}", obj)]
        else:
            items = [(f"{modname}.{name}.{a}", m) for a, m in public_methods(obj)]
        for qual, fn in items:
            if fn not in seen:
                seen.add(fn)
                yield qual, fn


def test_at_most_two_positional_parameters():
    """STYLE: public functions take at most two positional parameters; options are
    keyword-only."""
    offenders = []
    for qual, fn in public_callables():
        names = _positional(inspect.signature(fn))
        if names and names[0] in ("self", "cls"):
            names = names[1:]
        if len(names) > 2 and qual not in POSITIONAL_EXEMPT:
            offenders.append(f"{qual}({', '.join(names)})")
    assert not offenders, offenders


def test_exemptions_are_current():
    quals = dict(public_callables())
    for qual in POSITIONAL_EXEMPT:
        assert qual in quals, qual


SEED_EXEMPT = {
    "impactkit.examples.generate.build_data": "the embedded example data is defined by its seed",
    "impactkit.examples.synthetic_network": "the synthetic network is defined by its seed",
}


def test_seed_defaults_to_none():
    """One seed rule: ``seed=None`` (fresh entropy, recorded on the result)."""
    offenders = []
    for qual, fn in public_callables():
        params = inspect.signature(fn).parameters
        if "seed" in params and qual not in SEED_EXEMPT and params["seed"].default is not None:
            offenders.append(qual)
    assert not offenders, offenders
