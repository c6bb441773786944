"""The module graph reads top-down (docs/architecture.md).

doors (io, report, cli, examples, testing)
  -> analyses (methods, uncertainty, portfolio, attribution, measure, pipeline, assurance)
  -> model (model, _valuemap, toc, valuation, registry)
  -> foundation (kernel, dist, discount, errors, typing and the private helpers)

A module may import its own layer and the layers below it. An import of a higher
layer is allowed only inside a function and only where listed below with its reason.
"""

from __future__ import annotations

import ast
import pathlib

import impactkit

ROOT = pathlib.Path(impactkit.__file__).parent

LAYERS = {
    "foundation": {
        "_fields",
        "kernel",
        "dist",
        "discount",
        "errors",
        "typing",
        "_validation",
        "_results",
        "_random",
        "_version",
        "_tables",
        "_atomic",
    },
    "model": {"model", "_valuemap", "toc", "valuation", "registry", "qualitative"},
    "analyses": {
        "methods",
        "uncertainty",
        "portfolio",
        "attribution",
        "measure",
        "pipeline",
        "assurance",
        "_network",
        "_comparison",
    },
    "doors": {"io", "report", "cli", "examples", "testing", "_cli_network"},
}
RANK = {unit: i for i, units in enumerate(LAYERS.values()) for unit in units}

# (importing unit, imported unit): why an upward import inside a function is right
UPWARD_ON_USE = {
    ("toc", "registry"): "a node's measure calculator is looked up by name on use",
    ("registry", "measure"): "the registry lists the built-in calculators when asked",
    ("methods", "io"): "SROIResult.to_dict gives the model's file form (plain data, no I/O)",
    ("valuation", "methods"): "a catalogue entry becomes the UnitCost avoided costs take, on use",
}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _imports():
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(p for p in rel.parts if p != "__init__")
        if module == "impactkit":
            continue  # the package root names everything (lazily)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set()
        for node in tree.body:
            top.add(node)
            if isinstance(node, ast.If):  # TYPE_CHECKING blocks
                top.update(node.body)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = (
                    [f"impactkit.{a.name}" for a in node.names]
                    if node.module == "impactkit"
                    else [node.module]
                )
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                continue
            for target in targets:
                if target.startswith("impactkit."):
                    yield module, target, node in top


def test_every_unit_has_a_layer():
    units = {_unit(m) for m, _, _ in _imports()} | {_unit(t) for _, t, _ in _imports()}
    missing = sorted(u for u in units if u and u not in RANK)
    assert not missing, f"give these a layer in tests/test_architecture.py: {missing}"


def test_imports_point_down():
    wrong = []
    for module, target, at_top in _imports():
        a, b = _unit(module), _unit(target)
        if a not in RANK or b not in RANK or RANK[b] <= RANK[a]:
            continue
        if at_top or (a, b) not in UPWARD_ON_USE:
            wrong.append(f"{module} -> {target}" + ("" if at_top else " (in a function)"))
    assert not wrong, wrong


def test_foundation_imports_nothing_above_it():
    for module, target, _ in _imports():
        if _unit(module) in LAYERS["foundation"]:
            assert _unit(target) in LAYERS["foundation"], f"{module} -> {target}"


def test_upward_exceptions_are_current():
    used = {(_unit(m), _unit(t)) for m, t, top in _imports() if not top}
    for pair in UPWARD_ON_USE:
        assert pair in used, pair


def test_attribution_and_uncertainty_do_not_import_methods():
    """They share the result contract through impactkit._results, not through methods."""
    for module, target, _ in _imports():
        if _unit(module) in ("attribution", "uncertainty"):
            assert _unit(target) != "methods", f"{module} -> {target}"
