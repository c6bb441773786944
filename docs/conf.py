"""Sphinx configuration of the impactkit documentation."""

from __future__ import annotations

import impactkit

project = "impactkit"
author = "impactkit developers"
copyright = "2026, impactkit developers"  # noqa: A001
version = release = impactkit.__version__

extensions = [
    "sphinx.ext.autodoc",
    "sphinx.ext.autosummary",
    "sphinx.ext.mathjax",
    "sphinx.ext.viewcode",
    "numpydoc",
    "myst_parser",
    "matplotlib.sphinxext.plot_directive",
]
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
source_suffix = {".rst": "restructuredtext", ".md": "markdown"}
myst_enable_extensions = ["dollarmath", "amsmath", "colon_fence", "deflist"]
myst_heading_anchors = 3
autosummary_generate = True
autodoc_typehints = "none"
autodoc_member_order = "bysource"
numpydoc_show_class_members = False
numpydoc_class_members_toctree = False
numpydoc_validation_checks: set[str] = set()
numpydoc_xref_param_type = False
html_theme = "pydata_sphinx_theme"
html_title = f"impactkit {version}"
html_theme_options = {"navigation_with_keys": False, "show_toc_level": 2}
exclude_patterns = ["_build"]
nitpicky = False
