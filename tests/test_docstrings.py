"""numpydoc validation of the whole public API (found dynamically, so new objects are checked).

Every public function, class and public method of every public module passes the
numpydoc checks in ``CHECKS``, and every public function and class has an Examples
section (run by the doctests of ``src/impactkit``).
"""

from __future__ import annotations

import inspect

import pytest
from numpydoc.validate import validate

from public import public_members, public_methods

CHECKS = {
    "GL08": "the object has a docstring",
    "SS01": "it has a summary line",
    "PR01": "every parameter is documented",
    "PR02": "no documented parameter is unknown",
    "RT01": "a Returns section",
}


def public_objects():
    """Qualified names of every public function, class and public method."""
    seen: dict[int, str] = {}
    for _, _, obj in public_members():
        seen.setdefault(id(obj), f"{obj.__module__}.{obj.__qualname__}")
        if inspect.isclass(obj):
            for attr, member in public_methods(obj):
                seen.setdefault(id(member), f"{obj.__module__}.{obj.__qualname__}.{attr}")
    return sorted(set(seen.values()))


def failures(name):
    return sorted({code for code, _ in validate(name)["errors"] if code in CHECKS})


# Public functions and classes (not methods: a class's example shows them) carry an
# Examples section that runs as a doctest; exceptions and warnings are exempt.
# ``NO_EXAMPLES_YET`` lists those still without one; each must still lack it.
NO_EXAMPLES_YET: set[str] = {
    "impactkit.dist.Distribution",
    "impactkit.errors.Problem",
    "impactkit.io._converter.make_converter",
    "impactkit.io._files.dump",
    "impactkit.io._files.load",
    "impactkit.io._schema.json_schema",
    "impactkit.io.write_toc",
    "impactkit.kernel.input_present_value",
    "impactkit.kernel.profile",
    "impactkit.methods._avoided.AvoidedCostItem",
    "impactkit.methods._avoided.AvoidedCostsResult",
    "impactkit.methods._avoided.UnitCost",
    "impactkit.methods._cea.CostPerOutcome",
    "impactkit.methods._cea.cost_per_qaly",
    "impactkit.methods._cea.cost_per_wellby",
    "impactkit.methods._cea.net_monetary_benefit",
    "impactkit.methods._profile.ABCRules",
    "impactkit.methods._profile.ImpactProfile",
    "impactkit.methods._sroi.Lineage",
    "impactkit.methods._sroi.SROIResult",
    "impactkit.model.ImpactModel",
    "impactkit.pipeline.Evaluation",
    "impactkit.portfolio.row_values",
    "impactkit.registry.Registry",
    "impactkit.registry.default_registry",
    "impactkit.registry.get",
    "impactkit.report._decision_charts.ce_plane_chart",
    "impactkit.report._decision_charts.ceac_chart",
    "impactkit.report._decision_charts.evppi_chart",
    "impactkit.report._network.funnel_chart",
    "impactkit.report._render.ReportContent",
    "impactkit.report._render.build",
    "impactkit.report._render.find_browser",
    "impactkit.report._render.html",
    "impactkit.testing.check_attribution_estimator",
    "impactkit.testing.check_measure_calculator",
    "impactkit.toc._export.logframe",
    "impactkit.toc._export.to_graphml",
    "impactkit.toc._export.to_json",
    "impactkit.toc._nodes.Assumption",
    "impactkit.toc._nodes.Indicator",
    "impactkit.toc._nodes.Link",
    "impactkit.toc._nodes.Node",
    "impactkit.toc._nodes.Stakeholder",
    "impactkit.toc._nodes.level_of",
    "impactkit.toc._toc.problems",
    "impactkit.uncertainty._monte_carlo.MonteCarloResult",
    "impactkit.uncertainty._sensitivity.sobol",
    "impactkit.uncertainty._sensitivity.sobol_indices",
    "impactkit.uncertainty._sensitivity.tornado",
}


OBJECTS = public_objects()
TOP_LEVEL = sorted(
    {
        f"{obj.__module__}.{obj.__qualname__}"
        for _, _, obj in public_members()
        if not (inspect.isclass(obj) and issubclass(obj, BaseException | Warning))
    }
)


@pytest.mark.parametrize("name", OBJECTS)
def test_numpydoc(name):
    codes = failures(name)
    assert not codes, f"{name}: {', '.join(f'{c} ({CHECKS[c]})' for c in codes)}"


@pytest.mark.parametrize("name", TOP_LEVEL)
def test_has_examples(name):
    missing = "EX01" in {code for code, _ in validate(name)["errors"]}
    if name in NO_EXAMPLES_YET:
        assert missing, f"{name} has examples now: delete it from NO_EXAMPLES_YET"
    else:
        assert not missing, f"{name}: no Examples section (a doctest that runs)"


def test_pending_names_exist():
    assert set(TOP_LEVEL) >= NO_EXAMPLES_YET, sorted(NO_EXAMPLES_YET - set(TOP_LEVEL))
