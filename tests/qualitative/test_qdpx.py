"""REFI-QDA exchange: round trip, schema validity, inline and file sources, hostile archives."""

# ruff: noqa: E501 - the XML fixtures read best one element a line

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pandas as pd
import pytest
import xmlschema

import impactkit as ik
from impactkit import qualitative as ql
from impactkit.qualitative import _qdpx

SCHEMA = xmlschema.XMLSchema(Path(__file__).parent / "data" / "Project.xsd")
NS = "urn:QDA-XML:project:1.0"
G = "{{00000000-0000-0000-0000-{:012d}}}"


def guid(n: int) -> str:
    return G.format(n)


TEXT = "Avant je restais seul. Maintenant je travaille et je suis fier."
#       0123456789...
SPAN_A = (0, 22)  # "Avant je restais seul."
SPAN_B = (23, len(TEXT))


def project_xml(source: str) -> str:
    """A project as the major tools export it: nested codes, users, a case with variables."""
    return f"""<?xml version="1.0" encoding="utf-8"?>
<Project xmlns="{NS}" name="Demo" origin="test">
  <Users><User guid="{guid(1)}" name="Alice"/><User guid="{guid(2)}" name="Bob"/></Users>
  <CodeBook><Codes>
    <Code guid="{guid(10)}" name="Effets" isCodable="false">
      <Description>Changes reported</Description>
      <Code guid="{guid(11)}" name="Isolement" isCodable="true" color="#ff0000"/>
      <Code guid="{guid(12)}" name="Emploi" isCodable="true">
        <Code guid="{guid(13)}" name="Fierté" isCodable="true"/>
      </Code>
    </Code>
  </Codes></CodeBook>
  <Variables>
    <Variable guid="{guid(30)}" name="consent" typeOfVariable="Boolean"/>
    <Variable guid="{guid(31)}" name="stakeholder" typeOfVariable="Text"/>
  </Variables>
  <Cases><Case guid="{guid(40)}" name="P01">
    <VariableValue><VariableRef targetGUID="{guid(30)}"/><BooleanValue>true</BooleanValue></VariableValue>
    <VariableValue><VariableRef targetGUID="{guid(31)}"/><TextValue>participants</TextValue></VariableValue>
    <SourceRef targetGUID="{guid(20)}"/>
  </Case></Cases>
  <Sources>{source}</Sources>
</Project>"""


SELECTIONS = f"""
      <PlainTextSelection guid="{guid(50)}" startPosition="{SPAN_A[0]}" endPosition="{SPAN_A[1]}" creatingUser="{guid(1)}">
        <Coding guid="{guid(60)}" creatingUser="{guid(1)}"><CodeRef targetGUID="{guid(11)}"/></Coding>
        <Coding guid="{guid(61)}" creatingUser="{guid(2)}"><CodeRef targetGUID="{guid(11)}"/></Coding>
      </PlainTextSelection>
      <PlainTextSelection guid="{guid(51)}" startPosition="{SPAN_B[0]}" endPosition="{SPAN_B[1]}">
        <Coding guid="{guid(62)}" creatingUser="{guid(2)}"><CodeRef targetGUID="{guid(13)}"/></Coding>
      </PlainTextSelection>"""


def archive(members: dict[str, bytes | str]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def inline_project() -> bytes:
    src = f"""<TextSource guid="{guid(20)}" name="Entretien 1">
      <PlainTextContent>{TEXT}</PlainTextContent>{SELECTIONS}
    </TextSource>"""
    return archive({"project.qde": project_xml(src)})


def file_project() -> bytes:
    src = f"""<TextSource guid="{guid(20)}" name="Entretien 1" plainTextPath="internal://{guid(20)}.txt">{SELECTIONS}
    </TextSource>"""
    return archive(
        {"project.qde": project_xml(src), f"Sources/{guid(20)}.txt": TEXT.encode("utf-8-sig")}
    )


def test_schema_accepts_the_test_projects():
    for raw in (inline_project(), file_project()):
        SCHEMA.validate(zipfile.ZipFile(io.BytesIO(raw)).read("project.qde").decode())


@pytest.mark.parametrize("make", [inline_project, file_project])
def test_read_resolves_spans_from_inline_and_file_sources(make):
    p = ql.read_qdpx(make())
    c = p.codings
    assert list(c["text"]) == [TEXT[slice(*SPAN_A)]] * 2 + [TEXT[slice(*SPAN_B)]]
    assert list(c["coder"]) == ["Alice", "Bob", "Bob"]
    assert list(c["code_name"]) == ["Isolement", "Isolement", "Fierté"]
    assert set(c["case"]) == {"P01"}
    assert p.sources["text"].iloc[0] == TEXT


def test_nested_codebook():
    codes = ql.read_qdpx(inline_project()).codes.set_index("name")
    assert list(codes.index) == ["Effets", "Isolement", "Emploi", "Fierté"]
    assert pd.isna(codes.loc["Effets", "parent"])
    assert codes.loc["Isolement", "parent"] == guid(10)
    assert codes.loc["Fierté", "parent"] == guid(12)
    assert not codes.loc["Effets", "codable"]
    assert codes.loc["Fierté", "codable"]
    assert codes.loc["Effets", "description"] == "Changes reported"
    assert codes.loc["Isolement", "color"] == "#ff0000"


def test_codebook_only_project_and_qdc(tmp_path):
    xml = project_xml("").replace("<Sources></Sources>", "")
    p = ql.read_qdpx(archive({"project.qde": xml}))
    assert len(p.codes) == 4
    assert p.codings.empty
    assert p.sources.empty
    assert list(p.codings.columns) == list(_qdpx.CODING_COLUMNS)
    qdc = tmp_path / "book.qdc"
    qdc.write_text(
        '<CodeBook xmlns="urn:QDA-XML:codebook:1.0"><Codes>'
        f'<Code guid="{guid(1)}" name="A" isCodable="true">'
        f'<Code guid="{guid(2)}" name="B" isCodable="true"/></Code></Codes></CodeBook>',
        encoding="utf-8",
    )
    codes = ql.read_qdpx(qdc).codes
    assert list(codes["name"]) == ["A", "B"]
    assert codes["parent"].iloc[1] == guid(1)


@pytest.mark.parametrize("inline", [True, False])
def test_round_trip_is_schema_valid(tmp_path, inline):
    p = ql.read_qdpx(file_project())
    out = tmp_path / "out.qdpx"
    ql.write_qdpx(p, out, inline=inline)
    with zipfile.ZipFile(out) as zf:
        SCHEMA.validate(zf.read("project.qde").decode("utf-8"))
        assert any(n.startswith("sources/") for n in zf.namelist()) is not inline
    q = ql.read_qdpx(out)
    pd.testing.assert_frame_equal(q.codes, p.codes)
    pd.testing.assert_frame_equal(q.codings, p.codings)
    pd.testing.assert_frame_equal(q.sources.drop(columns="path"), p.sources.drop(columns="path"))
    pd.testing.assert_frame_equal(q.variables, p.variables)
    # writing is deterministic
    ql.write_qdpx(q, tmp_path / "again.qdpx", inline=inline)
    assert (tmp_path / "again.qdpx").read_bytes() == out.read_bytes()


def test_write_a_project_built_from_frames(tmp_path):
    p = ql.QdaProject(
        "Built",
        codes=pd.DataFrame(
            {
                "id": ["a", "b"],
                "name": ["A", "B"],
                "parent": [None, "a"],
                "codable": [True, True],
                "description": ["", ""],
                "color": [None, None],
            }
        ),
        sources=pd.DataFrame(
            {
                "id": ["s"],
                "name": ["S"],
                "kind": ["text"],
                "text": ["héllo wörld"],
                "path": [""],
                "case": [None],
            }
        ),
        codings=pd.DataFrame(
            {
                "id": [""],
                "selection": [""],
                "source": ["s"],
                "source_name": ["S"],
                "start": [0],
                "end": [5],
                "text": ["héllo"],
                "code": ["b"],
                "code_name": ["B"],
                "coder": ["Zoé"],
                "case": [None],
            }
        ),
    )
    ql.write_qdpx(p, tmp_path / "b.qdpx")
    with zipfile.ZipFile(tmp_path / "b.qdpx") as zf:
        SCHEMA.validate(zf.read("project.qde").decode("utf-8"))
    q = ql.read_qdpx(tmp_path / "b.qdpx")
    assert list(q.codings["text"]) == ["héllo"]
    assert list(q.codings["coder"]) == ["Zoé"]
    assert q.codes["parent"].iloc[1] == q.codes["id"].iloc[0]
    bad = ql.QdaProject(
        "x", codes=p.codes, sources=p.sources, codings=p.codings.assign(code="zz", source="nope")
    )
    with pytest.raises(ik.ValidationError) as e:
        ql.write_qdpx(bad, tmp_path / "bad.qdpx")
    assert {p.path for p in e.value.problems} == {("codings", 0, "code"), ("codings", 0, "source")}
    assert not (tmp_path / "bad.qdpx").exists()


def test_example_interviews_are_schema_valid_and_agree():
    p = ql.read_qdpx(ik.examples.interviews_path())
    with zipfile.ZipFile(ik.examples.interviews_path()) as zf:
        SCHEMA.validate(zf.read("project.qde").decode("utf-8"))
    seg = p.codings.assign(entity=p.codings["source"] + ":" + p.codings["start"].astype(str))
    r = ql.agreement(seg, entity="entity", coder="coder", code="code_name")
    assert r.n_coders == 2
    assert 0.6 < r.value < 1


# ------------------------------------------------------------------ hostile archives
def expect(raw: bytes, code: str, match: str) -> None:
    with pytest.raises(ik.FileFormatError, match=match) as e:
        ql.read_qdpx(raw)
    assert e.value.problems[0].code == code


def test_not_a_zip(tmp_path):
    expect(b"<Project/>", "not_a_zip", "not a ZIP archive")
    f = tmp_path / "x.qdpx"
    f.write_bytes(b"PK\x03\x04 broken")
    with pytest.raises(ik.FileFormatError, match=r"x\.qdpx"):
        ql.read_qdpx(f)


def test_entity_bomb_is_refused():
    bomb = (
        '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">'
        '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
        '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
        f'<Project xmlns="{NS}" name="&lol3;"/>'
    )
    expect(archive({"project.qde": bomb}), "unsafe", "DTD, entities")


def test_external_entity_is_refused():
    xxe = (
        '<?xml version="1.0"?><!DOCTYPE p [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        f'<Project xmlns="{NS}" name="&x;"/>'
    )
    expect(archive({"project.qde": xxe}), "unsafe", "DTD")


@pytest.mark.parametrize("name", ["../evil.txt", "/etc/passwd", "a/../../b", "C:/x", "a\\..\\b"])
def test_path_traversal_is_refused(name):
    expect(archive({"project.qde": project_xml(""), name: b"x"}), "path_traversal", "leave")


def test_source_path_leaving_the_archive_is_refused():
    src = f'<TextSource guid="{guid(20)}" name="s" plainTextPath="internal://../../etc/passwd"/>'
    expect(archive({"project.qde": project_xml(src)}), "path_traversal", "leaves")


def test_size_limits(monkeypatch):
    monkeypatch.setattr(_qdpx, "MAX_MEMBER_BYTES", 1000)
    expect(
        archive({"project.qde": project_xml(""), "sources/big.txt": b"x" * 2000}),
        "too_large",
        "limit",
    )
    monkeypatch.setattr(_qdpx, "MAX_MEMBER_BYTES", 10_000)
    monkeypatch.setattr(_qdpx, "MAX_TOTAL_BYTES", 5000)
    expect(
        archive({"project.qde": project_xml(""), "a.txt": b"x" * 3000, "b.txt": b"y" * 3000}),
        "too_large",
        "more than",
    )
    monkeypatch.setattr(_qdpx, "MAX_MEMBERS", 2)
    expect(archive({"project.qde": "", "a": b"", "b": b""}), "too_large", "members")


def test_other_format_errors():
    expect(archive({"other.xml": "<a/>"}), "missing", "no project.qde")
    expect(archive({"project.qde": "<Project name='x'/>"}), "format", "root element")
    expect(archive({"project.qde": "<Project"}), "syntax", "invalid XML")
    src = f"""<TextSource guid="{guid(20)}" name="s" plainTextPath="internal://gone.txt"/>"""
    expect(archive({"project.qde": project_xml(src)}), "missing", "not in the archive")
    bad_span = SELECTIONS.replace(f'endPosition="{SPAN_B[1]}"', 'endPosition="9999"')
    src = f'<TextSource guid="{guid(20)}" name="s"><PlainTextContent>{TEXT}</PlainTextContent>{bad_span}</TextSource>'
    expect(archive({"project.qde": project_xml(src)}), "out_of_range", "outside the text")
    unknown = SELECTIONS.replace(f'targetGUID="{guid(13)}"', f'targetGUID="{guid(99)}"')
    src = f'<TextSource guid="{guid(20)}" name="s"><PlainTextContent>{TEXT}</PlainTextContent>{unknown}</TextSource>'
    expect(archive({"project.qde": project_xml(src)}), "unknown_code", "not in the codebook")


def test_codings_to_evidence_reads_consent_and_stakeholder_from_cases():
    p = ql.read_qdpx(inline_project())
    ev = ql.codings_to_evidence(
        p, {"Isolement": "isolation", guid(13): ["employed", "pride"]}, contradicts=["Fierté"]
    )
    assert [e.nodes for e in ev] == [("isolation",), ("employed", "pride")]
    assert all(e.consent and e.stakeholder == "participants" for e in ev)
    assert [e.direction for e in ev] == ["supports", "contradicts"]
    assert ev[0].themes == ("Isolement",)
    assert ev[0].text == TEXT[slice(*SPAN_A)]
    # without a consent variable, consent is never assumed
    no_case = ql.QdaProject(p.name, codes=p.codes, sources=p.sources, codings=p.codings)
    assert not any(e.consent for e in ql.codings_to_evidence(no_case, {"Isolement": "i"}))
    with pytest.raises(ik.ValidationError, match="not in the codebook"):
        ql.codings_to_evidence(p, {"Nope": "x"})


def test_pdf_representation_and_sources_without_text(tmp_path):
    src = f"""<PDFSource guid="{guid(20)}" name="Compte rendu.pdf" path="relative://cr.pdf">
      <Representation guid="{guid(21)}" name="texte"><PlainTextContent>{TEXT}</PlainTextContent>{SELECTIONS}
      </Representation></PDFSource>
      <PictureSource guid="{guid(22)}" name="photo" path="relative://p.jpg"/>"""
    raw = archive({"project.qde": project_xml(src)})
    SCHEMA.validate(zipfile.ZipFile(io.BytesIO(raw)).read("project.qde").decode())
    p = ql.read_qdpx(raw)
    assert list(p.sources["kind"]) == ["pdf", "picture"]
    assert list(p.codings["text"])[-1] == TEXT[slice(*SPAN_B)]
    with pytest.warns(ik.ImpactkitWarning, match="1 source"):
        ql.write_qdpx(p, tmp_path / "pdf.qdpx")
    q = ql.read_qdpx(tmp_path / "pdf.qdpx")
    pd.testing.assert_frame_equal(q.codings, p.codings)
    coded_picture = ql.QdaProject(
        p.name, codes=p.codes, sources=p.sources, codings=p.codings.assign(source=guid(22))
    )
    with pytest.raises(ik.ValidationError, match="no text"):
        ql.write_qdpx(coded_picture, tmp_path / "bad.qdpx")
