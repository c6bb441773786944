"""Every writer writes whole files, and never over what it does not own.

A FIFO, a device, a directory or a symbolic link at the output path is refused
before anything is written; a planted ``OUT.tmp`` link is never followed; a
new file has the permissions of an ordinary ``open(path, "w")``.
"""

from __future__ import annotations

import os
import stat
import sys

import pandas as pd
import pytest

import impactkit as ik
from impactkit import qualitative as ql
from impactkit._atomic import open_for_write, write_file
from impactkit.cli import main
from impactkit.errors import OutputPathError

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="POSIX file kinds")


def _model():
    return ik.ImpactModel(
        name="Accueil",
        discount=0.0,
        inputs=[ik.Input("Département", amount=1000.0)],
        outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="people", quantity=2, proxy=900.0)],
    )


def _network_tables():
    outcomes = pd.DataFrame(
        {
            "site": ["a", "b", "c"],
            "outcome": ["emploi"] * 3,
            "stakeholder": ["personnes"] * 3,
            "quantity": [3.0, 4.0, 5.0],
            "proxy": [1000.0] * 3,
        }
    )
    inputs = pd.DataFrame({"site": ["a", "b", "c"], "amount": [1000.0, 2000.0, 1500.0]})
    return outcomes, inputs


def _write_report_html(path):
    ik.report.write(ik.sroi(_model()), path)


def _write_value_map(path):
    ik.io.write_value_map(_model(), path)


def _write_qdpx(path):
    ql.write_qdpx(ql.read_qdpx(ik.examples.interviews_path()), path)


def _write_network(path):
    ik.report.network(*_network_tables(), path=path, charts=False)


def _write_network_md(path):
    ik.report.network(*_network_tables(), path=path, format="markdown", charts=False)


def _write_model(path):
    ik.io.dump(_model(), path)


def _write_toc(path):
    toc = ik.examples.load_example("protection_enfance", measured=False).toc
    ik.io.write_toc(toc, path)


def _write_xlsform(path):
    model = ik.examples.load_example("protection_enfance", measured=False)
    ik.io.write_xlsform(model, path, data="children")


WRITERS = {
    "report.html": (_write_report_html, ".html"),
    "questionnaire": (_write_xlsform, ".xlsx"),
    "value map": (_write_value_map, ".xlsx"),
    "qdpx": (_write_qdpx, ".qdpx"),
    "network": (_write_network, ".html"),
    "network markdown": (_write_network_md, ".md"),
    "model file": (_write_model, ".json"),
    "theory of change": (_write_toc, ".mmd"),
}


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


# ---------------------------------------------------------------- the helper itself
def test_a_new_file_respects_the_umask_and_a_replaced_one_keeps_its_mode(tmp_path):
    target = tmp_path / "sub" / "out.txt"
    write_file(target, "é")
    assert target.read_bytes() == "é".encode()
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    target.chmod(0o600)
    write_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert sorted(p.name for p in target.parent.iterdir()) == ["out.txt"]


def test_a_failure_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def fail() -> None:
        with open_for_write(target) as fh:
            fh.write(b"half")
            raise RuntimeError("stop")

    with pytest.raises(RuntimeError):
        fail()
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_symbolic_link_at_the_target_is_refused_and_its_target_untouched(tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    link = tmp_path / "out.html"
    link.symlink_to(victim)
    with pytest.raises(OutputPathError, match="symbolic link"):
        write_file(link, "x")
    assert link.is_symlink()
    assert victim.read_text(encoding="utf-8") == "precious"


def test_a_directory_at_the_target_is_refused(tmp_path):
    (tmp_path / "out.html").mkdir()
    with pytest.raises(OutputPathError, match="directory"):
        write_file(tmp_path / "out.html", "x")
    assert isinstance(OutputPathError("x"), OSError)


# ---------------------------------------------------------------- every writer
@pytest.mark.parametrize("name", list(WRITERS))
def test_every_writer_refuses_a_fifo_and_leaves_it(tmp_path, name):
    write, suffix = WRITERS[name]
    target = tmp_path / f"out{suffix}"
    os.mkfifo(target)
    with pytest.raises(OutputPathError, match="FIFO"):
        write(target)
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_writer_refuses_a_device_and_leaves_it(tmp_path, name):
    write, suffix = WRITERS[name]
    target = tmp_path / f"out{suffix}"
    try:
        os.mknod(target, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # as /dev/null
    except (PermissionError, OSError):
        pytest.skip("creating a device node needs privileges")
    with pytest.raises(OutputPathError, match="character device"):
        write(target)
    assert stat.S_ISCHR(os.lstat(target).st_mode)


@pytest.mark.parametrize("name", list(WRITERS))
def test_every_writer_ignores_a_planted_tmp_link_and_writes_a_regular_file(tmp_path, name):
    write, suffix = WRITERS[name]
    target = tmp_path / f"out{suffix}"
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    for planted in (f"{target.name}.tmp", f".{target.name}.tmp"):
        (tmp_path / planted).symlink_to(victim)
    write(target)
    write(target)  # and over its own previous output
    assert victim.read_text(encoding="utf-8") == "precious"
    assert stat.S_ISREG(os.lstat(target).st_mode)
    assert target.stat().st_size > 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o666 & ~_umask()
    leftovers = {p.name for p in tmp_path.iterdir()} - {
        target.name,
        "victim.txt",
        "model.json",
        f"{target.name}.tmp",
        f".{target.name}.tmp",
    }
    assert not leftovers


@pytest.mark.parametrize("suffix", [".html", ".md"])
def test_cli_report_on_a_fifo_exits_2_and_leaves_it(tmp_path, capsys, suffix):
    model = tmp_path / "model.json"
    ik.io.dump(_model(), model)
    target = tmp_path / f"out{suffix}"
    os.mkfifo(target)
    assert main(["report", str(model), "-o", str(target)]) == 2
    assert "FIFO" in capsys.readouterr().err
    assert stat.S_ISFIFO(os.lstat(target).st_mode)


def test_example_generation_writes_through_the_same_helper(tmp_path):
    from impactkit.examples.generate import write_sector

    data = tmp_path / "data" / "addictologie"
    data.mkdir(parents=True)
    os.mkfifo(data / "patients.csv")
    with pytest.raises(OutputPathError):
        write_sector("addictologie", tmp_path)
    assert stat.S_ISFIFO(os.lstat(data / "patients.csv").st_mode)
