"""Every Python example of the documentation pages runs (one namespace per page)."""

from __future__ import annotations

import re
import warnings
from pathlib import Path

import pytest

DOCS = Path(__file__).parent.parent / "docs"
PAGES = sorted(p for p in DOCS.rglob("*.md") if "_build" not in p.parts)
# Python blocks, and the code cells of the pages that are notebooks (run by the docs build too)
BLOCK = re.compile(r"```(?:python|\{code-cell\} ipython3)\n(.*?)```", re.S)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(DOCS)))
def test_page_examples_run(page, tmp_path, monkeypatch, capsys):
    text = page.read_text(encoding="utf-8")
    blocks = BLOCK.findall(text)
    notebook = text.startswith("---\nfile_format: mystnb\n")
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": f"docs_{page.stem}"}
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        for i, cell in enumerate(blocks):
            # a notebook cell's options (":tags: ...") and IPython magics are for the docs build
            code = re.sub(r"(?m)^(:[\w-]+:.*|%.*)$", "", cell) if notebook else cell
            try:
                exec(compile(code, f"{page.name}[block {i}]", "exec"), namespace)
            except Exception as exc:
                raise AssertionError(f"{page.name}, block {i} failed: {exc!r}\n{code}") from exc
