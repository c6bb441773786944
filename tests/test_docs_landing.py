"""The documentation opens in French for an establishment's analyst, lists the methods
beside every method page, and renders formulas without a network."""

from __future__ import annotations

import ast
import re
from pathlib import Path

DOCS = Path(__file__).parent.parent / "docs"


def _conf() -> dict[str, object]:
    tree = ast.parse((DOCS / "conf.py").read_text(encoding="utf-8"))
    out: dict[str, object] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
            try:
                out[node.targets[0].id] = ast.literal_eval(node.value)
            except ValueError:
                continue
    return out


def test_landing_page_opens_with_the_french_entry_to_the_sectors():
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    top = text[: text.index("impactkit is an embeddable")]
    assert "Vous êtes analyste d'un établissement ? Choisissez votre secteur" in top
    sectors = sorted(p.stem for p in (DOCS / "secteurs").glob("*.md") if p.stem != "index")
    linked = sorted(re.findall(r"<secteurs/(\w+)>", top))
    assert linked == sectors
    assert len(top) < 2_000  # before the English introduction, not 3,000 px down


def test_landing_toctrees_list_pages_not_their_headings():
    text = (DOCS / "index.md").read_text(encoding="utf-8")
    assert ":maxdepth: 2" not in text
    assert "methods/index" in text


def test_every_method_page_is_in_the_methods_section():
    listed = (DOCS / "methods" / "index.md").read_text(encoding="utf-8").split("```")[1]
    names = {line.strip() for line in listed.splitlines()[2:] if line.strip()}
    pages = {p.stem for p in (DOCS / "methods").glob("*.md") if p.stem != "index"}
    assert names == pages
    index = (DOCS / "index.md").read_text(encoding="utf-8")
    assert not re.search(r"(?m)^methods/(?!index)", index)  # reached through methods/index


def test_formulas_render_offline():
    conf = _conf()
    extensions = conf["extensions"]
    assert isinstance(extensions, list)
    assert "sphinx-mathjax-offline" in extensions
    path = str(conf["mathjax_path"])
    assert not path.startswith(("http:", "https:", "//"))
    options = conf["html_theme_options"]
    assert isinstance(options, dict)
    assert options["show_nav_level"] == 1
    pyproject = (DOCS.parent / "pyproject.toml").read_text(encoding="utf-8")
    docs_extra = pyproject[pyproject.index("docs = [") :].split("]")[0]
    assert "sphinx-mathjax-offline" in docs_extra
