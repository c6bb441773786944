"""Small hostile workbooks are refused within bounded time and memory: every XML part is
counted while it streams (elements, cells per row, rich-text runs, characters, the declared
dimension) before openpyxl builds anything, and the refusal names the sheet or part."""

from __future__ import annotations

import time
import tracemalloc
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import impactkit as ik
from impactkit.cli import EXIT_INVALID, EXIT_OK, EXIT_USAGE, main
from impactkit.io import _excel

from strategies import synthetic_model

EN = {k: v["en"] for k, v in _excel.SHEETS.items()}
NS = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"'
SECONDS = 10
BYTES = 500 * 1024 * 1024


def hostile(tmp_path, name, replace):
    """A written value map whose parts ``replace`` maps to chunks of new content."""
    good = tmp_path / "good.xlsx"
    ik.io.write_value_map(synthetic_model(), good)
    wb = openpyxl.load_workbook(good, read_only=True)
    sheet_part = {s: f"xl/worksheets/sheet{i + 1}.xml" for i, s in enumerate(wb.sheetnames)}
    wb.close()
    replace = {sheet_part.get(k, k): v for k, v in replace.items()}
    p = tmp_path / name
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            if info.filename not in replace:
                dst.writestr(info.filename, src.read(info.filename))
        for part, chunks in replace.items():
            with dst.open(part, "w") as f:
                for chunk in chunks():
                    f.write(chunk)
    assert p.stat().st_size < 1024 * 1024  # small on disk
    return p


def refused_within_bounds(p, *, trace=True):
    t = time.perf_counter()
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.read_value_map(p)
    assert time.perf_counter() - t < SECONDS
    if trace:  # memory on a second reading: tracing slows the first one down
        tracemalloc.start()
        try:
            with pytest.raises(ik.FileFormatError):
                ik.io.read_value_map(p)
            _, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
        assert peak < BYTES
    for prob in ei.value.problems:
        assert prob.message.strip()
        assert prob.path
    return ei.value.problems


def repeat(head, unit, n, tail, block=100_000):
    def chunks():
        yield head.encode()
        piece = (unit * block).encode()
        for _ in range(n // block):
            yield piece
        yield tail.encode()

    return chunks


def test_one_row_of_twenty_million_empty_cells(tmp_path):
    sheet = repeat(f'<worksheet {NS}><sheetData><row r="1">', "<c/>", 20_000_000, "</row>"
                   "</sheetData></worksheet>")  # fmt: skip
    p = hostile(tmp_path, "row.xlsx", {EN["map"]: sheet})
    probs = refused_within_bounds(p)
    assert probs[0].path == (EN["map"],)
    assert "row 1" in probs[0].message
    assert "16,384" in probs[0].message


def test_rich_text_runs_in_the_shared_strings(tmp_path):
    run = '<r><rPr><b/><sz val="11"/><color rgb="FF0000"/></rPr><t>x</t></r>'
    strings = repeat(f'<sst {NS} count="1" uniqueCount="1"><si>', run, 1_000_000, "</si></sst>")
    p = hostile(tmp_path, "runs.xlsx", {"xl/sharedStrings.xml": strings})
    probs = refused_within_bounds(p)
    assert probs[0].path == ("xl/sharedStrings.xml",)
    assert "rich-text runs" in probs[0].message


def test_many_small_elements(tmp_path):
    styles = repeat(f"<styleSheet {NS}><fonts>", "<font/>", 2_000_000, "</fonts></styleSheet>")
    p = hostile(tmp_path, "styles.xlsx", {"xl/styles.xml": styles})
    # elements are counted on the bytes, nothing is kept: tracing would only take time
    probs = refused_within_bounds(p, trace=False)
    assert probs[0].path == ("xl/styles.xml",)
    assert "XML elements" in probs[0].message


def test_a_long_text(tmp_path):
    sheet = repeat(
        f'<worksheet {NS}><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
        "x",
        40_000_000,
        "</t></is></c></row></sheetData></worksheet>",
    )
    p = hostile(tmp_path, "text.xlsx", {EN["settings"]: sheet})
    probs = refused_within_bounds(p)
    assert probs[0].path == (EN["settings"],)
    assert "characters" in probs[0].message


def test_a_declared_dimension_beyond_the_limits(tmp_path):
    def sheet():
        yield (
            f'<worksheet {NS}><dimension ref="A1:XFD1048576"/><sheetData><row r="1">'
            '<c r="A1" t="inlineStr"><is><t>x</t></is></c></row></sheetData></worksheet>'
        ).encode()

    p = hostile(tmp_path, "dim.xlsx", {EN["map"]: sheet})
    probs = refused_within_bounds(p)
    assert probs[0].path == (EN["map"],)
    assert "A1:XFD1048576" in probs[0].message


def test_entity_expansion(tmp_path):
    def strings():
        yield (
            '<?xml version="1.0"?><!DOCTYPE sst [<!ENTITY a "aaaaaaaaaa">'
            '<!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
            f"<sst {NS}><si><t>&b;</t></si></sst>"
        ).encode()

    p = hostile(tmp_path, "dtd.xlsx", {"xl/sharedStrings.xml": strings})
    probs = refused_within_bounds(p)
    assert probs[0].code == "format"


def test_a_corrupt_part_is_a_file_format_error(tmp_path):
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(synthetic_model(), p)
    with zipfile.ZipFile(p) as z:
        info = z.getinfo("xl/worksheets/sheet4.xml")
    data = bytearray(p.read_bytes())
    start = info.header_offset + 30 + len(info.filename) + len(info.extra)
    for i in range(start + 10, start + min(info.compress_size, 200)):
        data[i] ^= 0x5A
    p.write_bytes(bytes(data))
    probs = refused_within_bounds(p)
    assert probs[0].path == (EN["map"],)


def test_ordinary_workbooks_still_read(tmp_path):
    m = ik.examples.load_example()
    p = tmp_path / "vm.xlsx"
    ik.io.write_value_map(m, p, lang="fr")
    assert ik.io.read_value_map(p) == m


@pytest.mark.parametrize("rows", ['<row r="20001"/>', '<row r="99999999999"/>', "<row/>" * 20_001])
def test_rows_beyond_the_limit(tmp_path, rows):
    def sheet():
        yield f"<worksheet {NS}><sheetData>{rows}</sheetData></worksheet>".encode()

    p = hostile(tmp_path, "rows.xlsx", {EN["map"]: sheet})
    probs = refused_within_bounds(p)
    assert probs[0].path == (EN["map"],)
    assert "20,000 rows" in probs[0].message


@pytest.fixture(scope="module")
def good_parts(tmp_path_factory):
    p = tmp_path_factory.mktemp("good") / "vm.xlsx"
    ik.io.write_value_map(ik.examples.load_example(), p, lang="fr")
    with zipfile.ZipFile(p) as z:
        return {n: z.read(n) for n in z.namelist()}


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
    phases=[Phase.explicit, Phase.generate],
)
@given(data=st.data())
def test_a_mutated_workbook_is_read_or_refused_cleanly(tmp_path, good_parts, data):
    names = sorted(n for n in good_parts if n.endswith(".xml"))
    name = data.draw(st.sampled_from(names))
    xml = good_parts[name]
    start = data.draw(st.integers(0, len(xml)))
    end = data.draw(st.integers(start, min(len(xml), start + 200)))
    junk = data.draw(
        st.sampled_from([b"", b"<", b"<c/>" * 50, b'"', b"&", b"\xff\xfe", b"<row r='9'>"])
        | st.binary(max_size=40)
    )
    p = tmp_path / "mutated.xlsx"
    with zipfile.ZipFile(p, "w", zipfile.ZIP_DEFLATED) as z:
        for n, content in good_parts.items():
            z.writestr(n, xml[:start] + junk + xml[end:] if n == name else content)
    problems: tuple = ()
    try:
        ik.io.read_value_map(p)
    except ik.ValidationError as exc:  # FileFormatError included
        problems = exc.problems or (None,)
    assert all(prob is not None and prob.message.strip() for prob in problems)
    assert main(["validate", str(p)]) in (EXIT_OK, EXIT_INVALID, EXIT_USAGE)
