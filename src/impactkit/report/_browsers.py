"""Where Chromium-based browsers are installed by default, for printing PDF reports.

Kept apart from the printing itself so that the discovery can be tested (and
extended) on any system: :func:`browser_paths` takes the system's name and its
environment instead of reading them.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

__all__ = ["browser_paths"]


def browser_paths(
    system: str | None = None, environ: Mapping[str, str] | None = None
) -> list[Path]:
    r"""Default install paths of Chrome, Edge and Chromium on Windows and macOS, in order.

    Windows: ``Google\Chrome\Application\chrome.exe`` and
    ``Microsoft\Edge\Application\msedge.exe`` under ``%ProgramFiles%``,
    ``%ProgramFiles(x86)%`` and ``%LocalAppData%`` (Edge ships with Windows
    10 and 11). macOS: the ``.app`` bundles in ``/Applications`` and
    ``~/Applications``. Elsewhere: none (browsers are on the ``PATH``).

    Parameters
    ----------
    system : str, optional
        ``platform.system()`` (``"Windows"``, ``"Darwin"``, ``"Linux"``); default the
        running one.
    environ : mapping, optional
        Environment variables; default ``os.environ``.

    Returns
    -------
    list of Path
        Candidate programs, whether they exist or not.

    Examples
    --------
    >>> [p.name for p in browser_paths("Windows", {"ProgramFiles": "C:/PF"})]
    ['chrome.exe', 'msedge.exe']
    >>> browser_paths("Linux")
    []
    """
    import platform

    system = platform.system() if system is None else system
    env = os.environ if environ is None else environ
    if system == "Windows":
        roots = [env.get(k) for k in ("ProgramFiles", "ProgramFiles(x86)", "LocalAppData")]
        apps = (
            Path("Google", "Chrome", "Application", "chrome.exe"),
            Path("Microsoft", "Edge", "Application", "msedge.exe"),
        )
        return [Path(root) / app for root in roots if root for app in apps]
    if system == "Darwin":
        bundles = (
            "Google Chrome.app/Contents/MacOS/Google Chrome",
            "Microsoft Edge.app/Contents/MacOS/Microsoft Edge",
            "Chromium.app/Contents/MacOS/Chromium",
        )
        homes = [Path("/Applications")]
        if env.get("HOME"):
            homes.append(Path(env["HOME"], "Applications"))
        return [home / b for home in homes for b in bundles]
    return []
