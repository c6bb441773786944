"""A REFI-QDA archive naming one member twice is refused: which copy is read was arbitrary.

Two members ``project.qde`` and ``Project.QDE`` (or the same name twice) let
one tool read one project and impactkit another; the later one was read.
"""

from __future__ import annotations

import io
import warnings
import zipfile
from pathlib import Path

import pytest

import impactkit as ik
from impactkit import examples
from impactkit import qualitative as ql


def _with_extra(name: str, data: bytes) -> bytes:
    raw = Path(examples.interviews_path()).read_bytes()
    src = zipfile.ZipFile(io.BytesIO(raw))
    buf = io.BytesIO()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns of the duplicate name
        with zipfile.ZipFile(buf, "w") as z:
            for info in src.infolist():
                z.writestr(info, src.read(info))
            z.writestr(name, data)
    return buf.getvalue()


@pytest.mark.parametrize("name", ["Project.QDE", "project.qde"])
def test_a_second_project_is_refused(name):
    with pytest.raises(ik.FileFormatError) as exc:
        ql.read_qdpx(_with_extra(name, b"<x/>"))
    assert exc.value.problems[0].code == "duplicate"
    assert "project.qde" in str(exc.value).lower()


def test_the_archive_alone_is_read():
    assert len(ql.read_qdpx(Path(examples.interviews_path()).read_bytes()).codings) == 28
