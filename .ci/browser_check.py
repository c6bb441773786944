"""Render the embedded example's HTML report in headless Chromium (CI step).

Writes ci-artifacts/report.html and ci-artifacts/report.png, fails on console
errors, on a missing headline figure, or when no screenshot is produced.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import impactkit as ik  # noqa: E402

FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--enable-logging=stderr", "--v=0"]


def main() -> int:
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("browser check: chromium is not installed", file=sys.stderr)
        return 1
    out = Path("ci-artifacts")
    out.mkdir(exist_ok=True)
    model = ik.examples.load_example()
    content = ik.report.analyse(model, data=ik.examples.load_example_data(), lang="fr",
                                mc_draws=5_000, seed=0)
    page = out / "report.html"
    ik.report.html(content, page)
    url = page.resolve().as_uri()
    with tempfile.TemporaryDirectory() as profile:
        base = [chromium, *FLAGS, f"--user-data-dir={profile}"]
        shot = subprocess.run([*base, f"--screenshot={out / 'report.png'}",
                               "--window-size=1280,4000", url],
                              capture_output=True, text=True, timeout=120)
        dom = subprocess.run([*base, "--dump-dom", url], capture_output=True, text=True,
                             timeout=120)
    logs = shot.stderr + dom.stderr
    console = [ln for ln in logs.splitlines() if "CONSOLE" in ln]
    errors = [ln for ln in console if re.search(r"Uncaught|Error|Failed", ln)]
    problems = []
    if errors:
        problems.append("console errors:\n  " + "\n  ".join(errors))
    if f'data-value="{res.ratio!r}"' not in dom.stdout:
        problems.append("the rendered page lacks the headline SROI ratio")
    if dom.stdout.count("<svg") < 5:
        problems.append("the rendered page lacks its charts")
    png = out / "report.png"
    if not png.exists() or png.stat().st_size < 10_000:
        problems.append("no screenshot was produced")
    if problems:
        print("browser check failed: " + "; ".join(problems), file=sys.stderr)
        return 1
    print(f"browser check: report rendered by {os.path.basename(chromium)}, "
          f"{len(console)} console messages, no errors; screenshot {png.resolve()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
