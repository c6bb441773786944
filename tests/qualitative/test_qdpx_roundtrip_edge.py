"""REFI-QDA: damaged archives are located errors, awkward projects round trip exactly."""

# ruff: noqa: E501 - the XML fixtures read best one element a line

from __future__ import annotations

import io
import zipfile

import pandas as pd
import pytest

import impactkit as ik
from impactkit import qualitative as ql
from impactkit.qualitative import _qdpx

NS = _qdpx.NAMESPACE


def guid(n: int) -> str:
    return f"{{00000000-0000-0000-0000-{n:012d}}}"


def archive(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def project_xml(source: str) -> str:
    """A small project: two codes, a case with a text variable, the given sources."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Demo" origin="test">
  <CodeBook><Codes>
    <Code guid="{guid(11)}" name="Isolement" isCodable="true"/>
    <Code guid="{guid(13)}" name="Fierté" isCodable="true"/>
  </Codes></CodeBook>
  <Variables><Variable guid="{guid(31)}" name="stakeholder" typeOfVariable="Text"/></Variables>
  <Cases><Case guid="{guid(40)}" name="P01">
    <VariableValue><VariableRef targetGUID="{guid(31)}"/><TextValue>participants</TextValue></VariableValue>
  </Case></Cases>
  <Sources>{source}</Sources>
</Project>"""


def inline_project() -> bytes:
    src = f'<TextSource guid="{guid(20)}" name="s"><PlainTextContent>abc</PlainTextContent></TextSource>'
    return archive({"project.qde": project_xml(src)})


def expect(raw: bytes, code: str, match: str) -> ik.FileFormatError:
    with pytest.raises(ik.FileFormatError, match=match) as e:
        ql.read_qdpx(raw)
    assert e.value.problems[0].code == code
    return e.value


# ------------------------------------------------------------------ damaged archives
def test_encrypted_member_is_refused():
    raw = bytearray(inline_project())
    local = raw.find(b"PK\x03\x04")
    central = raw.find(b"PK\x01\x02")
    raw[local + 6] |= 1  # general purpose flag, bit 0: encrypted
    raw[central + 8] |= 1
    expect(bytes(raw), "encrypted", "'project.qde' is encrypted")


def test_corrupt_deflate_stream_is_a_located_error():
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("project.qde", project_xml("") * 3)
    good = buf.getvalue()
    start = 30 + len("project.qde")  # compressed data follows the local header
    for pos in (start + 5, start + 40, start + 150):
        bad = bytearray(good)
        bad[pos : pos + 8] = b"\xff" * 8
        e = expect(bytes(bad), "damaged", "project.qde")
        assert "damaged" in str(e)


def test_utf7_declaration_is_refused():
    xml = project_xml("").replace('encoding="utf-8"', 'encoding="UTF-7"')
    expect(archive({"project.qde": xml}), "encoding", "UTF-7")


def test_utf8_declarations_are_read():
    for enc in ("UTF-8", "utf-8"):
        xml = project_xml("").replace('encoding="utf-8"', f'encoding="{enc}"')
        assert ql.read_qdpx(archive({"project.qde": xml})).name == "Demo"
    xml = project_xml("").replace('encoding="utf-8"', 'encoding="utf8"')  # not an XML name
    expect(archive({"project.qde": xml}), "encoding", "utf8")
    latin = project_xml("").replace('encoding="utf-8"', 'encoding="ISO-8859-1"')
    p = ql.read_qdpx(archive({"project.qde": latin.encode("latin-1")}))
    assert "Fierté" in set(p.codes["name"])


def test_5000_digit_integer_is_a_located_error():
    xml = project_xml("").replace(
        "<TextValue>participants</TextValue>", "<IntegerValue>" + "9" * 5000 + "</IntegerValue>"
    )
    e = expect(archive({"project.qde": xml}), "out_of_range", "5000 digits")
    assert e.problems[0].path[:3] == ("case", "P01", "stakeholder")


def test_non_finite_float_is_a_located_error():
    xml = project_xml("").replace(
        "<TextValue>participants</TextValue>", "<FloatValue>1e999</FloatValue>"
    )
    expect(archive({"project.qde": xml}), "not_finite", "finite")


def test_huge_positions_are_a_located_error():
    src = f"""<TextSource guid="{guid(20)}" name="s"><PlainTextContent>abc</PlainTextContent>
      <PlainTextSelection guid="{guid(50)}" startPosition="0" endPosition="{"9" * 5000}">
        <Coding guid="{guid(60)}"><CodeRef targetGUID="{guid(11)}"/></Coding>
      </PlainTextSelection></TextSource>"""
    expect(archive({"project.qde": project_xml(src)}), "type", "whole numbers")


def test_duplicate_source_guids_are_refused():
    src = (
        f'<TextSource guid="{guid(20)}" name="a"><PlainTextContent>abc</PlainTextContent></TextSource>'
        f'<TextSource guid="{guid(20)}" name="b"><PlainTextContent>de</PlainTextContent></TextSource>'
    )
    e = expect(archive({"project.qde": project_xml(src)}), "duplicate", "two sources")
    assert e.problems[0].path == ("Sources", "b")


def test_duplicate_code_guids_are_refused():
    xml = project_xml("").replace(f'guid="{guid(13)}"', f'guid="{guid(11)}"')
    expect(archive({"project.qde": xml}), "duplicate", "two codes")


# ------------------------------------------------------------------ one depth limit
def _chain(levels: int) -> ql.QdaProject:
    codes = pd.DataFrame(
        {
            "id": [f"c{i}" for i in range(levels)],
            "name": [f"code {i}" for i in range(levels)],
            "parent": [None, *(f"c{i}" for i in range(levels - 1))],
            "codable": True,
            "description": "",
            "color": None,
        }
    )
    return ql.QdaProject("deep", codes=codes)


def _deep_xml(levels: int) -> bytes:
    opened = "".join(
        f'<Code guid="{guid(1000 + i)}" name="c{i}" isCodable="true">' for i in range(levels)
    )
    return archive(
        {
            "project.qde": f'<Project xmlns="{NS}" name="d"><CodeBook><Codes>{opened}{"</Code>" * levels}</Codes></CodeBook></Project>'
        }
    )


def test_reading_and_writing_share_one_depth_limit(tmp_path):
    limit = _qdpx.MAX_CODE_DEPTH
    ok = tmp_path / "ok.qdpx"
    ql.write_qdpx(_chain(limit), ok)
    back = ql.read_qdpx(ok)
    assert len(back.codes) == limit
    assert ql.read_qdpx(_deep_xml(limit)).codes.shape[0] == limit
    with pytest.raises(ik.ValidationError, match=f"more than {limit} levels") as e:
        ql.write_qdpx(_chain(limit + 1), tmp_path / "no.qdpx")
    assert e.value.problems[0].code == "too_deep"
    assert not (tmp_path / "no.qdpx").exists()
    expect(_deep_xml(limit + 1), "too_deep", f"more than {limit} levels")
    expect(_deep_xml(10_000), "too_deep", "levels deep")


# ------------------------------------------------------------------ round trips
def _project(text: str, spans: list[tuple[int, int]], **code_cols) -> ql.QdaProject:
    codes = pd.DataFrame(
        {
            "id": ["c1", "c2"],
            "name": code_cols.get("names", ["Confiance", "Emploi"]),
            "parent": [None, None],
            "codable": True,
            "description": "",
            "color": None,
        }
    )
    sources = pd.DataFrame(
        {
            "id": ["s1"],
            "name": ["Entretien"],
            "kind": ["text"],
            "text": [text],
            "path": [""],
            "case": [None],
        }
    )
    codings = pd.DataFrame(
        {
            "id": [f"k{i}" for i in range(len(spans))],
            "selection": None,
            "source": "s1",
            "source_name": "Entretien",
            "start": [a for a, _ in spans],
            "end": [b for _, b in spans],
            "text": [text[a:b] for a, b in spans],
            "code": [("c1", "c2")[i % 2] for i in range(len(spans))],
            "code_name": None,
            "coder": "Alice",
            "case": None,
        }
    )
    return ql.QdaProject("p", codes=codes, sources=sources, codings=codings)


@pytest.mark.parametrize("inline", [True, False])
@pytest.mark.parametrize(
    "text",
    [
        "Ligne un\r\nLigne deux\r\nfin",
        "retour seul\rpuis\n\rmixte\r\n\r\n",
        "\ufeffcommence par une marque d'ordre",
        "tab\tet  espaces  ",
    ],
)
def test_text_round_trips_with_its_offsets(tmp_path, inline, text):
    spans = [(0, 5), (4, len(text)), (len(text) - 3, len(text))]
    p = _project(text, spans)
    f = tmp_path / "p.qdpx"
    ql.write_qdpx(p, f, inline=inline)
    back = ql.read_qdpx(f)
    assert back.sources["text"].iloc[0] == text
    got = back.codings.sort_values(["start", "end"])
    assert list(zip(got["start"], got["end"], strict=True)) == sorted(spans)
    assert list(got["text"]) == [text[a:b] for a, b in sorted(spans)]


@pytest.mark.parametrize("where", ["name", "description"])
def test_control_character_in_a_code_is_refused_on_writing(tmp_path, where):
    p = _project("abc", [(0, 1)])
    codes = p.codes
    codes.loc[0, where] = "Confi\x01ance"
    bad = ql.QdaProject("p", codes=codes, sources=p.sources, codings=p.codings)
    f = tmp_path / "p.qdpx"
    with pytest.raises(ik.ValidationError, match="U\\+0001") as e:
        ql.write_qdpx(bad, f)
    assert e.value.problems[0].path == ("codes", 0, where)
    assert not f.exists()


def test_control_character_in_text_is_refused_inline_and_kept_in_files(tmp_path):
    text = "bip\x07bip"
    p = _project(text, [(0, 4)])
    with pytest.raises(ik.ValidationError) as e:
        ql.write_qdpx(p, tmp_path / "in.qdpx", inline=True)
    assert e.value.problems[0].path == ("sources", 0, "text")
    ql.write_qdpx(p, tmp_path / "files.qdpx")
    assert ql.read_qdpx(tmp_path / "files.qdpx").sources["text"].iloc[0] == text


def test_lone_surrogate_is_refused_on_writing(tmp_path):
    p = _project("ab", [(0, 1)])
    sources = p.sources.astype(object)
    sources.loc[0, "text"] = "a\ud800b"
    p = ql.QdaProject("p", codes=p.codes, sources=sources, codings=p.codings)
    with pytest.raises(ik.ValidationError, match="U\\+D800"):
        ql.write_qdpx(p, tmp_path / "p.qdpx")


def _with_consent(*values, case_value=None) -> ql.QdaProject:
    p = _project("Je me sens mieux.", [(0, 17)])
    rows = [("s1", "source", "consent", v) for v in values]
    sources = p.sources
    if case_value is not None:
        sources.loc[0, "case"] = "P01"
        rows.append(("P01", "case", "consent", case_value))
    variables = pd.DataFrame(rows, columns=["owner", "owner_kind", "name", "value"])
    return ql.QdaProject(
        "p", codes=p.codes, sources=sources, codings=p.codings, variables=variables
    )


@pytest.mark.parametrize(
    ("values", "case_value", "consent"),
    [
        ((True,), None, True),
        ((True, False), None, False),
        ((False, True), None, False),
        ((True, "oui"), None, False),
        ((True,), False, False),
        ((), True, True),
        ((), None, False),
    ],
)
def test_contradictory_consent_means_no_consent(tmp_path, values, case_value, consent):
    p = _with_consent(*values, case_value=case_value)
    (ev,) = ql.codings_to_evidence(p, {"Confiance": "n"})
    assert ev.consent is consent
    # the same after a round trip through a file
    f = tmp_path / "p.qdpx"
    ql.write_qdpx(p, f)
    (ev2,) = ql.codings_to_evidence(ql.read_qdpx(f), {"Confiance": "n"})
    assert ev2.consent is consent


def test_codes_of_the_same_name_keep_all_their_segments(tmp_path):
    text = "Premier passage. Second passage."
    p = _project(text, [(0, 16), (17, len(text))], names=["Confiance", "Confiance"])
    ev = ql.codings_to_evidence(p, {"Confiance": "n"})
    assert sorted(e.text for e in ev) == ["Premier passage.", "Second passage."]
    f = tmp_path / "p.qdpx"
    ql.write_qdpx(p, f)
    back = ql.read_qdpx(f)
    assert list(back.codes["name"]) == ["Confiance", "Confiance"]
    assert len(ql.codings_to_evidence(back, {"Confiance": "n"})) == 2


def test_unknown_codes_in_the_mapping_are_listed_together():
    p = _project("abc", [(0, 1)])
    with pytest.raises(ik.ValidationError) as e:
        ql.codings_to_evidence(p, {"Nope": "n", "Confiance": "n", "Rien": "m"})
    assert [pr.path for pr in e.value.problems] == [("mapping", "Nope"), ("mapping", "Rien")]


def _with_value(value) -> ql.QdaProject:
    p = _project("abc", [(0, 1)])
    variables = pd.DataFrame(
        {"owner": ["s1", "s1"], "owner_kind": "source", "name": ["age", "consent"]},
    ).assign(value=pd.Series([value, True], dtype=object))
    return ql.QdaProject(
        "p", codes=p.codes, sources=p.sources, codings=p.codings, variables=variables
    )


@pytest.mark.parametrize("value", [10**18, -(10**30), float("inf")])
def test_values_the_reader_refuses_are_not_written(tmp_path, value):
    with pytest.raises(ik.ValidationError) as e:
        ql.write_qdpx(_with_value(value), tmp_path / "p.qdpx")
    assert e.value.problems[0].path == ("variables", 0, "value")


@pytest.mark.parametrize("value", [None, float("nan")])
def test_missing_values_are_left_out(tmp_path, value):
    ql.write_qdpx(_with_value(value), tmp_path / "p.qdpx")
    back = ql.read_qdpx(tmp_path / "p.qdpx").variables
    assert list(back["name"]) == ["consent"]


def test_large_integers_round_trip(tmp_path):
    ql.write_qdpx(_with_value(10**18 - 1), tmp_path / "p.qdpx")
    back = ql.read_qdpx(tmp_path / "p.qdpx").variables
    assert back.loc[back["name"] == "age", "value"].iloc[0] == 10**18 - 1
