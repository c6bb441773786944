"""A value map saved by LibreOffice (.ods) is read with the checks of an .xlsx; a file of
another kind is refused with the formats a value map may have and the conversion to make."""

from __future__ import annotations

import zipfile
from xml.sax.saxutils import escape, quoteattr

import openpyxl
import pytest

import impactkit as ik
from impactkit.cli import main
from sheets import FR, column_of

from strategies import synthetic_model

pytest.importorskip("python_calamine")

NS = (
    'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
    'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
    'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" '
)


def _cell(v):
    if v is None:
        return "<table:table-cell/>"
    if isinstance(v, bool):
        b = "true" if v else "false"
        return (
            f'<table:table-cell office:value-type="boolean" office:boolean-value="{b}">'
            f"<text:p>{b}</text:p></table:table-cell>"
        )
    if isinstance(v, int | float):
        return (
            f'<table:table-cell office:value-type="float" office:value="{v!r}">'
            f"<text:p>{v}</text:p></table:table-cell>"
        )
    s = str(v)
    if s.startswith("="):  # the formula text kept as it is: only its presence matters here
        return (
            f"<table:table-cell table:formula={quoteattr('of:' + s)} "
            'office:value-type="float" office:value="0"><text:p>0</text:p></table:table-cell>'
        )
    return (
        f'<table:table-cell office:value-type="string"><text:p>{escape(s)}</text:p>'
        "</table:table-cell>"
    )


def to_ods(xlsx, ods):
    """The sheets of an .xlsx as a minimal OpenDocument spreadsheet (values and formulas)."""
    wb = openpyxl.load_workbook(xlsx)
    parts = []
    for ws in wb.worksheets:
        parts.append(f"<table:table table:name={quoteattr(ws.title)}>")
        for row in ws.iter_rows(min_row=1, max_row=ws.max_row, max_col=ws.max_column):
            parts.append(
                "<table:table-row>" + "".join(_cell(c.value) for c in row) + "</table:table-row>"
            )
        parts.append("</table:table>")
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}'
        'office:version="1.2"><office:body><office:spreadsheet>'
        + "".join(parts)
        + "</office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest='
        '"urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" manifest:media-type='
        '"application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry '
        'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>'
    )
    with zipfile.ZipFile(ods, "w") as z:
        z.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content, compress_type=zipfile.ZIP_DEFLATED)
        z.writestr("META-INF/manifest.xml", manifest, compress_type=zipfile.ZIP_DEFLATED)


def test_an_ods_value_map_reads_back_the_model(tmp_path):
    m = ik.examples.load_example()
    ik.io.write_value_map(m, tmp_path / "carte.xlsx", lang="fr")
    to_ods(tmp_path / "carte.xlsx", tmp_path / "carte.ods")
    back = ik.io.read_value_map(tmp_path / "carte.ods")
    assert back == m
    assert ik.sroi(back).ratio == ik.sroi(m).ratio


def test_an_ods_has_the_checks_of_an_xlsx(tmp_path):
    ik.io.write_value_map(synthetic_model(), tmp_path / "carte.xlsx", lang="fr")
    wb = openpyxl.load_workbook(tmp_path / "carte.xlsx")
    ws = wb[FR["map"]]
    q, dw = column_of(ws, "quantity"), column_of(ws, "deadweight")
    ws[f"{q}4"] = "=10*5"  # a formula in an input cell
    ws[f"{dw}5"] = "25 %"  # a number typed as text
    wb.save(tmp_path / "carte.xlsx")
    to_ods(tmp_path / "carte.xlsx", tmp_path / "carte.ods")
    with pytest.raises(ik.ValidationError) as ei:
        ik.io.read_value_map(tmp_path / "carte.ods", text_numbers="refuse")
    found = {p.path[:2]: p for p in ei.value.problems}
    assert found[(FR["map"], f"{q}4")].code == "formula"
    assert found[(FR["map"], f"{dw}5")].message.startswith(
        f"{FR['map']}!{dw}5 contient le texte « 25 % »"
    )


def test_the_cli_validates_an_ods(tmp_path, capsys):
    ik.io.write_value_map(synthetic_model(), tmp_path / "carte.xlsx", lang="fr")
    to_ods(tmp_path / "carte.xlsx", tmp_path / "carte.ods")
    assert main(["validate", str(tmp_path / "carte.ods")]) == 0


def test_an_unknown_format_names_the_formats_and_the_conversion(tmp_path):
    p = tmp_path / "carte.numbers"
    p.write_bytes(b"PK")
    with pytest.raises(ik.FileFormatError) as ei:
        ik.io.load(p)
    message = str(ei.value)
    assert ".xlsx" in message
    assert ".ods" in message
    assert "Save as" in message


def test_a_repeated_cell_standing_for_billions_is_refused_before_reading(tmp_path):
    row = (
        '<table:table-row table:number-rows-repeated="1000000"><table:table-cell '
        'table:number-columns-repeated="16384" office:value-type="float" office:value="1"/>'
        "</table:table-row>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {NS}'
        'office:version="1.2"><office:body><office:spreadsheet><table:table table:name="x">'
        + row
        + "</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    p = tmp_path / "bombe.ods"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        z.writestr("content.xml", content)
    with pytest.raises(ik.FileFormatError, match="cells"):
        ik.io.read_value_map(p)
