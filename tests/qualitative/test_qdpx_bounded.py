"""Small REFI-QDA files have a bounded cost: read or refused in seconds and megabytes.

Each hostile archive is built here, under 1.5 MB; reading it must return or
raise FileFormatError within 10 s and well under 500 MB (measured with
tracemalloc, which sees Python, NumPy and pandas allocations).
"""

from __future__ import annotations

import io
import random
import string
import time
import tracemalloc
import zipfile
from collections.abc import Callable
from typing import Any

import pytest

import impactkit as ik
from impactkit import qualitative as ql
from impactkit.qualitative import _qdpx

NS = _qdpx.NAMESPACE
CODE = "{00000000-0000-0000-0000-000000000011}"


def bounded(fn: Callable[[], Any], *, seconds: float = 10.0, megabytes: float = 500.0) -> Any:
    """Run ``fn``; its result or FileFormatError, after checking time and peak memory."""
    tracemalloc.start()
    t0 = time.perf_counter()
    try:
        try:
            out: Any = fn()
        except ik.FileFormatError as exc:
            out = exc
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    elapsed = time.perf_counter() - t0
    assert elapsed < seconds, f"{elapsed:.1f} s"
    assert peak < megabytes * 1e6, f"{peak / 1e6:.0f} MB"
    return out


def archive(members: dict[str, bytes], method: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=method) as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    raw = buf.getvalue()
    assert len(raw) < 1_500_000
    return raw


def project(sources: str) -> bytes:
    return (
        f'<?xml version="1.0" encoding="utf-8"?><Project xmlns="{NS}" name="p">'
        f'<CodeBook><Codes><Code guid="{CODE}" name="c" isCodable="true"/></Codes></CodeBook>'
        f"<Sources>{sources}</Sources></Project>"
    ).encode()


def guid(n: int) -> str:
    return f"{{00000000-0000-0000-0001-{n:012d}}}"


def random_text(n: int) -> str:
    rng = random.Random(0)
    return "".join(rng.choices(string.ascii_letters + " ", k=n))


def coded(spans: list[tuple[int, int]], codings_per_span: int = 1) -> str:
    out = []
    for i, (a, b) in enumerate(spans):
        cds = "".join(
            f'<Coding guid="{guid(10**6 + i * 1000 + j)}"><CodeRef targetGUID="{CODE}"/></Coding>'
            for j in range(codings_per_span)
        )
        out.append(
            f'<PlainTextSelection guid="{guid(i)}" startPosition="{a}" endPosition="{b}">{cds}'
            "</PlainTextSelection>"
        )
    return "".join(out)


def test_codings_of_one_span_share_its_text():
    # 600,000 characters coded 400 times: a copy per coding is 240 MB
    text = random_text(600_000)
    src = (
        f'<TextSource guid="{guid(99)}" name="s" plainTextPath="internal://s.txt">'
        f"{coded([(0, len(text))], codings_per_span=400)}</TextSource>"
    )
    raw = archive({"project.qde": project(src), "sources/s.txt": text.encode()})
    p = bounded(lambda: ql.read_qdpx(raw), megabytes=40)
    assert isinstance(p, ql.QdaProject)
    c = p.codings
    assert len(c) == 400
    assert c["text"].iloc[0] == text
    assert c["text"].iloc[0] is c["text"].iloc[399]


def test_distinct_spans_over_the_limit_are_refused():
    # 120,000 characters, 300 nested spans: 36 million characters of spans
    text = random_text(120_000)
    spans = [(i, len(text) - i) for i in range(300)]
    src = (
        f'<TextSource guid="{guid(99)}" name="s"><PlainTextContent>{text}</PlainTextContent>'
        f"{coded(spans)}</TextSource>"
    )
    raw = archive({"project.qde": project(src)})
    e = bounded(lambda: ql.read_qdpx(raw), megabytes=60)
    assert isinstance(e, ik.FileFormatError)
    assert e.problems[0].code == "too_large"
    assert "coded spans" in str(e)
    assert e.problems[0].path == ("Sources", "s")


def test_millions_of_elements_are_refused_early():
    # 4 million empty elements: 16 MB of XML in 16 KB of ZIP
    body = b"<Description>" + b"<a/>" * 4_000_000 + b"</Description>"
    raw = archive({"project.qde": project("").replace(b"<Sources>", body + b"<Sources>")})
    e = bounded(lambda: ql.read_qdpx(raw), seconds=5, megabytes=30)
    assert isinstance(e, ik.FileFormatError)
    assert e.problems[0].code == "too_large"


def test_element_count_is_bounded_without_compression(monkeypatch):
    monkeypatch.setattr(_qdpx, "MAX_ELEMENTS", 20_000)
    body = b"<Description>" + b"<a/>" * 20_010 + b"</Description>"
    raw = archive(
        {"project.qde": project("").replace(b"<Sources>", body + b"<Sources>")},
        method=zipfile.ZIP_STORED,
    )
    with pytest.raises(ik.FileFormatError, match="more than 20000 XML elements"):
        ql.read_qdpx(raw)


def test_compression_ratio_is_bounded():
    # 64 MiB of one letter in 64 KB: a source file that is a zip bomb
    src = f'<TextSource guid="{guid(99)}" name="s" plainTextPath="internal://s.txt"/>'
    raw = archive({"project.qde": project(src), "sources/s.txt": b"a" * (64 * 1024 * 1024)})
    e = bounded(lambda: ql.read_qdpx(raw), seconds=5, megabytes=30)
    assert isinstance(e, ik.FileFormatError)
    assert "times the compressed size" in str(e)
    assert "'sources/s.txt'" in str(e)


def test_deep_nesting_is_refused_early():
    raw = archive({"project.qde": project("").replace(b"<Sources>", b"<x>" * 100_000)})
    e = bounded(lambda: ql.read_qdpx(raw), seconds=5, megabytes=30)
    assert isinstance(e, ik.FileFormatError)
    assert e.problems[0].code == "too_deep"


def test_text_is_bounded(monkeypatch):
    monkeypatch.setattr(_qdpx, "MAX_TEXT_CHARS", 10_000)
    src = (
        f'<TextSource guid="{guid(99)}" name="s">'
        f"<PlainTextContent>{random_text(20_000)}</PlainTextContent></TextSource>"
    )
    with pytest.raises(ik.FileFormatError, match="characters of text"):
        ql.read_qdpx(archive({"project.qde": project(src)}))
