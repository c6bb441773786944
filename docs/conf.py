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
    "myst_nb",
    "matplotlib.sphinxext.plot_directive",
    # MathJax 3 shipped with the build (Apache-2.0), copied to _static/mathjax: formulas
    # render offline, no CDN
    "sphinx-mathjax-offline",
]
mathjax_path = "mathjax/tex-chtml.js"
plot_html_show_source_link = False
plot_html_show_formats = False
plot_formats = [("png", 100)]
source_suffix = {".rst": "restructuredtext", ".md": "myst-nb"}
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
html_theme_options = {
    "navigation_with_keys": False,
    "show_toc_level": 2,
    # the left sidebar lists the pages of the current section (every method page
    # shows the methods, reached through methods/index)
    "show_nav_level": 1,
    "navigation_depth": 2,
}
html_sidebars = {"**": ["sidebar-nav-bs"]}
exclude_patterns = ["_build", "jupyter_execute"]
# The tutorial and some how-tos are MyST notebooks (front matter ``file_format:
# mystnb``): their code cells run at every build, in a temporary directory, and a
# failing cell or any output on stderr (a warning) fails the build under -W.
nb_execution_mode = "force"
nb_execution_timeout = 300
nb_execution_in_temp = True
nb_execution_raise_on_error = True
nb_execution_show_tb = True
nb_output_stderr = "warn"
nb_merge_streams = True
nitpicky = False
