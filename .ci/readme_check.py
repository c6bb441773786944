"""Run every code block of README.md in a fresh virtual environment (CI step).

The environment is made with the README's own install line only
(``pip install -e .``, no extra), so the README works as written on a fresh
machine. The Python blocks run in order in one interpreter (later blocks use
the names of earlier ones) in an empty directory; then the ``pip install``
and ``impactkit`` lines of the other shell blocks run there, in order. Any
failure, or a traceback, fails the step.
"""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INSTALL = "pip install -e ."


def blocks(text: str, lang: str) -> list[str]:
    """The fenced code blocks of one language, in order."""
    return re.findall(rf"^```{lang}\n(.*?)^```", text, flags=re.S | re.M)


def main() -> int:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    install = [ln for b in blocks(readme, "bash") for ln in b.splitlines() if INSTALL in ln]
    if not any(re.search(r"pip install -e \.(\s|$)", ln) for ln in install):
        print(f"README check: README.md no longer shows the install line {INSTALL!r}",
              file=sys.stderr)
        return 1
    python = blocks(readme, "python")
    # shell blocks that are not the install/test lines: their ``pip install`` and
    # ``impactkit`` lines run in order (an extra a block needs is installed there)
    commands = [
        ln.split(" #", 1)[0].strip()
        for b in blocks(readme, "bash")
        if not b.lstrip().startswith("python -m venv")
        for ln in b.splitlines()
        if ln.strip().startswith(("impactkit ", "pip install "))
    ]
    with tempfile.TemporaryDirectory(prefix="impactkit-readme-") as tmp:
        venv = Path(tmp) / "venv"
        work = Path(tmp) / "work"
        work.mkdir()
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
        py = venv / "bin" / "python"
        subprocess.run([str(py), "-m", "pip", "install", "-q", "-e", str(ROOT)], check=True)
        script = work / "readme_blocks.py"
        script.write_text("\n".join(python), encoding="utf-8")
        print(f"== README: {len(python)} Python blocks")
        env = {"PATH": f"{venv / 'bin'}:/usr/bin:/bin", "MPLBACKEND": "Agg", "HOME": tmp}
        run = subprocess.run([str(py), str(script)], cwd=work, env=env)
        if run.returncode:
            print("README check: a Python block failed", file=sys.stderr)
            return 1
        for cmd in commands:
            print(f"== README: {cmd}")
            args = shlex.split(cmd)
            if args[0] == "pip":
                args = [str(py), "-m", *args, "-q"]
                args = [a.replace(".[", f"{ROOT}[") if a.startswith(".[") else a
                        for a in args]
            done = subprocess.run(args, cwd=work, env=env, capture_output=True, text=True)
            if done.returncode != 0 or "Traceback" in done.stderr:
                print(f"README check: {cmd!r} exited {done.returncode}\n{done.stdout}"
                      f"{done.stderr}", file=sys.stderr)
                return 1
    print("README check: every block ran")
    return 0


if __name__ == "__main__":
    sys.exit(main())
