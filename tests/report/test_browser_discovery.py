"""PDF printing finds Chrome or Edge at their default install paths on Windows and macOS."""

from __future__ import annotations

import platform
import shutil

import pytest

from impactkit import report


@pytest.fixture
def no_path_browser(monkeypatch):
    monkeypatch.delenv("IMPACTKIT_CHROMIUM", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)


def _touch(path):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"")
    return path


def test_windows_edge_in_program_files_x86(tmp_path, monkeypatch, no_path_browser):
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "pf"))
    monkeypatch.setenv("ProgramFiles(x86)", str(tmp_path / "pf86"))
    monkeypatch.setenv("LocalAppData", str(tmp_path / "local"))
    edge = _touch(tmp_path / "pf86" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    assert report.find_browser() == str(edge)


def test_windows_program_files_before_per_user_install(tmp_path, monkeypatch, no_path_browser):
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setenv("ProgramFiles", str(tmp_path / "pf"))
    monkeypatch.delenv("ProgramFiles(x86)", raising=False)
    monkeypatch.setenv("LocalAppData", str(tmp_path / "local"))
    _touch(tmp_path / "pf" / "Microsoft" / "Edge" / "Application" / "msedge.exe")
    chrome = _touch(tmp_path / "local" / "Google" / "Chrome" / "Application" / "chrome.exe")
    # Program Files first, then the per-user install: Edge in Program Files wins over
    # a per-user Chrome; within one root Chrome is tried first
    assert report.find_browser().endswith("msedge.exe")
    _touch(tmp_path / "pf" / "Google" / "Chrome" / "Application" / "chrome.exe")
    assert report.find_browser().endswith("chrome.exe")
    assert report.find_browser() != str(chrome)


def test_macos_application_bundles(tmp_path, monkeypatch, no_path_browser):
    monkeypatch.setattr(platform, "system", lambda: "Darwin")
    monkeypatch.setenv("HOME", str(tmp_path))
    edge = _touch(
        tmp_path / "Applications" / "Microsoft Edge.app" / "Contents" / "MacOS" / "Microsoft Edge"
    )
    found = report.find_browser()
    # /Applications of the test machine holds no browser bundle on Linux CI
    assert found == str(edge) or found.startswith("/Applications/")


def test_nothing_found_anywhere(tmp_path, monkeypatch, no_path_browser):
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    for var in ("ProgramFiles", "ProgramFiles(x86)", "LocalAppData"):
        monkeypatch.setenv(var, str(tmp_path / var))
    assert report.find_browser() is None


def test_path_program_wins_and_variable_is_only_choice(tmp_path, monkeypatch):
    monkeypatch.setattr(platform, "system", lambda: "Windows")
    monkeypatch.setenv("ProgramFiles", str(tmp_path))
    _touch(tmp_path / "Google" / "Chrome" / "Application" / "chrome.exe")
    monkeypatch.delenv("IMPACTKIT_CHROMIUM", raising=False)
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: f"/usr/bin/{name}")
    assert report.find_browser() == "/usr/bin/chromium"
    monkeypatch.setenv("IMPACTKIT_CHROMIUM", "my-browser")
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    assert report.find_browser() is None  # the variable, when set, is the only program tried


def test_edge_on_the_path_is_tried(monkeypatch):
    monkeypatch.delenv("IMPACTKIT_CHROMIUM", raising=False)
    monkeypatch.setattr(platform, "system", lambda: "Linux")
    monkeypatch.setattr(
        shutil, "which", lambda name, *a, **k: "/opt/edge/msedge" if name == "msedge" else None
    )
    assert report.find_browser() == "/opt/edge/msedge"
