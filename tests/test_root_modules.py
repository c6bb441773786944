"""Every public module is reachable from the package root in a fresh interpreter."""

from __future__ import annotations

import subprocess
import sys

import pytest


@pytest.mark.parametrize("name", ["errors", "typing", "attribution", "measure", "io"])
def test_a_public_module_is_an_attribute_of_the_root(name):
    code = f"import impactkit as ik; m = ik.{name}; print(m.__name__)"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"impactkit.{name}"
