"""The folder tree is the layer diagram (docs/architecture.md), without exceptions.

doors (io, report, cli, examples, testing)
  -> analyses (measure, attribution, methods, uncertainty, portfolio, pipeline, assurance)
  -> model (registry, valuation, toc, qualitative, model)
  -> foundation (kernel, dist, discount, errors, typing and the private helpers)

Every import counts: at the top of a module, inside a function, or through
``importlib.import_module`` with a constant name. A unit may import its own layer
and the layers below it, never one above; the import graph between units has no
cycle; a unit reaches into another package's private module only where
:data:`PRIVATE_IMPORTS` says why.
"""

from __future__ import annotations

import ast
import pathlib
import pkgutil

import networkx as nx

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
        "_i18n",
        "_escape",
    },
    "model": {"registry", "valuation", "toc", "qualitative", "model"},
    "analyses": {
        "measure",
        "attribution",
        "methods",
        "uncertainty",
        "portfolio",
        "pipeline",
        "assurance",
    },
    "doors": {"io", "report", "cli", "examples", "testing"},
}
RANK = {unit: i for i, units in enumerate(LAYERS.values()) for unit in units}

# (importing module, imported private module): why the private module is the right door
PRIVATE_IMPORTS = {
    (
        "impactkit.model._model",
        "impactkit.qualitative._records",
    ): "a model checks its evidence records with the records' own rules (evidence_problems)",
    (
        "impactkit.model._converter",
        "impactkit.qualitative._records",
    ): "the model's file form reads evidence records with the records' own reader (from_plain)",
    (
        "impactkit.examples._interviews",
        "impactkit.qualitative._records",
    ): "the shipped interviews are stored in the records' file form (from_plain)",
    (
        "impactkit.examples.generate",
        "impactkit.io._xlsform",
    ): "the synthetic survey export uses the column names of the questionnaire it answers",
    (
        "impactkit.portfolio._monte_carlo",
        "impactkit.uncertainty._correlation",
    ): "the portfolio's Monte Carlo correlates draws with the same Iman-Conover step",
    (
        "impactkit.methods._sroi",
        "impactkit.valuation._equity",
    ): "the equity-weighted table of an SROI result is built by the weights' own helper",
    (
        "impactkit.testing",
        "impactkit.measure._filters",
    ): "the test helpers apply a calculator's row conditions exactly as the calculator does",
}


def _unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else ""


def _constant_import_module(node: ast.AST) -> str | None:
    if not (isinstance(node, ast.Call) and node.args):
        return None
    func = node.func
    name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
    arg = node.args[0]
    if name == "import_module" and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
        return arg.value
    return None


def _imports():
    """(importing module, imported module) for every import, wherever it is written."""
    for path in ROOT.rglob("*.py"):
        rel = path.relative_to(ROOT.parent).with_suffix("")
        module = ".".join(p for p in rel.parts if p != "__init__")
        if module == "impactkit":
            continue  # the package root names everything (lazily)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module:
                targets = (
                    [f"impactkit.{a.name}" for a in node.names]
                    if node.module == "impactkit"
                    else [node.module]
                )
            elif isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            elif (dynamic := _constant_import_module(node)) is not None:
                targets = [dynamic]
            else:
                continue
            for target in targets:
                if target.startswith("impactkit."):
                    yield module, target


def _graph() -> nx.DiGraph:
    g = nx.DiGraph()
    for module, target in _imports():
        a, b = _unit(module), _unit(target)
        if a != b:
            g.add_edge(a, b)
    return g


def test_every_unit_has_a_layer():
    units = {_unit(m) for m, _ in _imports()} | {_unit(t) for _, t in _imports()}
    units |= {m.name for m in pkgutil.iter_modules([str(ROOT)])}
    missing = sorted(u for u in units if u and u not in RANK)
    assert not missing, f"give these a layer in tests/test_architecture.py: {missing}"


def test_no_import_points_up():
    wrong = [
        f"{module} -> {target}"
        for module, target in _imports()
        if _unit(module) in RANK
        and _unit(target) in RANK
        and RANK[_unit(target)] > RANK[_unit(module)]
    ]
    assert not wrong, wrong


def test_units_form_no_cycle():
    cycles = [sorted(c) for c in nx.strongly_connected_components(_graph()) if len(c) > 1]
    assert not cycles, cycles


def test_private_modules_stay_private():
    wrong = []
    for module, target in _imports():
        parts = target.split(".")
        private = len(parts) > 2 and any(p.startswith("_") for p in parts[2:])
        if private and _unit(module) != _unit(target) and (module, target) not in PRIVATE_IMPORTS:
            wrong.append(f"{module} -> {target}")
    assert not wrong, sorted(set(wrong))


def test_private_import_reasons_are_current():
    used = set(_imports())
    assert not [pair for pair in PRIVATE_IMPORTS if pair not in used]


def test_every_public_submodule_is_named_at_the_root():
    public = {m.name for m in pkgutil.iter_modules([str(ROOT)]) if not m.name.startswith("_")}
    assert public <= set(impactkit.__all__), sorted(public - set(impactkit.__all__))
    for name in sorted(public):
        assert getattr(impactkit, name).__name__ == f"impactkit.{name}"


def test_attribution_and_uncertainty_do_not_import_methods():
    """They share the result contract through impactkit._results, not through methods."""
    for module, target in _imports():
        if _unit(module) in ("attribution", "uncertainty"):
            assert _unit(target) != "methods", f"{module} -> {target}"


def test_only_the_doors_and_the_qda_exchange_touch_files():
    """Writing files goes through the atomic helper; only doors and qualitative's qdpx use it."""
    writers = {_unit(m) for m, t in _imports() if t == "impactkit._atomic"}
    assert writers <= LAYERS["doors"] | {"qualitative"}, sorted(writers)
