"""Every public name is documented, and the pinned spellings of DESIGN.md exist."""

from __future__ import annotations

import importlib
import inspect

import pytest

import impactkit as ik

MODULES = [
    "impactkit",
    "impactkit.toc",
    "impactkit.dist",
    "impactkit.discount",
    "impactkit.valuation",
    "impactkit.kernel",
    "impactkit.methods",
    "impactkit.uncertainty",
    "impactkit.measure",
    "impactkit.attribution",
    "impactkit.portfolio",
    "impactkit.registry",
    "impactkit.io",
    "impactkit.report",
    "impactkit.examples",
    "impactkit.testing",
    "impactkit.errors",
    "impactkit.pipeline",
    "impactkit.assurance",
    "impactkit.qualitative",
]


def public_objects():
    for modname in MODULES:
        mod = importlib.import_module(modname)
        assert mod.__doc__, modname
        for name in mod.__all__:
            obj = getattr(mod, name)
            if inspect.isfunction(obj) or inspect.isclass(obj):
                yield f"{modname}.{name}", obj


@pytest.mark.parametrize(
    ("name", "obj"), list(public_objects()), ids=lambda x: x if isinstance(x, str) else ""
)
def test_documented(name, obj):
    doc = inspect.getdoc(obj)
    assert doc, f"{name} has no docstring"
    assert doc.splitlines()[0].strip(), f"{name} has no summary line"


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
    assert list(sig.parameters)[:6] == [
        "outcomes_df",
        "inputs_df",
        "site",
        "discount",
        "by",
        "executor",
    ]
    sig = inspect.signature(ik.monte_carlo)
    assert list(sig.parameters)[:5] == ["model", "n", "seed", "chunk_size", "progress"]
