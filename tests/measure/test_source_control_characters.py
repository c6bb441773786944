"""The measurement and qualitative modules' sources hold no control characters: a
``\\f`` typed in a non-raw string once turned ``\\frac`` in a docstring's formula
into a form feed followed by ``rac``."""

from __future__ import annotations

import re
from pathlib import Path

import impactkit

SRC = Path(impactkit.__file__).parent
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def test_no_control_characters_in_the_sources():
    found = []
    for package in ("measure", "qualitative"):
        for path in sorted((SRC / package).glob("*.py")):
            # split on newlines only: str.splitlines would split on the form feed too
            for i, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
                if CONTROL.search(line.rstrip("\r")):
                    found.append(f"{path.name}:{i}")
    assert not found


def test_the_cut_off_formula_reads_frac():
    from impactkit.measure import clinical_cutoff

    doc = clinical_cutoff.__doc__ or ""
    assert r"c = \frac{s_0 M_1 + s_1 M_0}{s_0 + s_1}" in doc
