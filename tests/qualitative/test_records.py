"""Evidence and engagement records on the model: validation, files, schema, pseudonyms."""

from __future__ import annotations

import json

import jsonschema
import pytest

import impactkit as ik
from impactkit import qualitative as ql


def model_with_records():
    _, ev, eng = ik.examples.load_example_interviews()
    return ik.examples.load_example(measured=False).evolve(evidence=ev, engagement=eng)


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_round_trip_through_model_files(tmp_path, fmt):
    m = model_with_records()
    path = tmp_path / f"m.{fmt}"
    ik.dump(m, path)
    back = ik.load(path)
    assert back.evidence == m.evidence
    assert back.engagement == m.engagement
    assert back == m


def test_records_validate_against_the_json_schema():
    m = ik.ImpactModel(name="m").evolve(
        evidence=[
            ql.Evidence(
                id="a",
                kind="causal_claim",
                text="t",
                driver="d",
                attributed=False,
                links=["x->y"],
                date="2024-01-31",
                themes=["T"],
            ),
            ql.Evidence(
                id="b", kind="harvested_outcome", text="t", significance="s", contribution="c"
            ),
        ],
        engagement=[ql.Engagement(stakeholder="s", method="survey", n=40, stage="scope")],
    )
    data = json.loads(ik.io.dumps(m))
    jsonschema.validate(data, ik.io.json_schema())
    data["evidence"][0]["kind"] = "rumour"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, ik.io.json_schema())


def test_unknown_node_is_an_error_at_its_path():
    m = ik.examples.load_example()
    bad = [
        ql.Evidence(id="a", kind="testimony", text="t", nodes=("self_esteem", "nowhere")),
        ql.Evidence(
            id="a",
            kind="testimony",
            text="t",
            links=("coaching->nowhere",),
            stakeholder="martians",
        ),
    ]
    with pytest.raises(ik.ValidationError) as e:
        m.evolve(
            evidence=bad,
            engagement=[ql.Engagement(stakeholder="x", method="survey", n=1, stage="scope")],
        )
    assert set(e.value.paths) == {
        "evidence[0].nodes[1]",
        "evidence[1].id",
        "evidence[1].links[0]",
        "evidence[1].stakeholder",
        "engagement[0].stakeholder",
    }
    data = ik.io.to_dict(model_with_records())
    data["evidence"][0]["nodes"] = ["nowhere"]
    data["evidence"][1]["colour"] = "red"
    with pytest.raises(ik.ValidationError) as e:
        ik.io.from_dict(data)
    assert "evidence[1].colour" in e.value.paths


def test_evidence_checks_every_field_at_once():
    with pytest.raises(ik.ValidationError) as e:
        ql.Evidence(
            id="",
            kind="gossip",
            text=" ",
            direction="maybe",
            consent="yes",
            date="31/01/2024",
            links=["a-b"],
        )
    assert set(e.value.paths) == {"id", "kind", "text", "direction", "consent", "date", "links[0]"}
    for kind, field in (
        ("msc_story", "selection_reason"),
        ("causal_claim", "driver"),
        ("harvested_outcome", "significance"),
    ):
        with pytest.raises(ik.ValidationError) as e:
            ql.Evidence(id="x", kind=kind, text="t")
        assert field in e.value.paths
    with pytest.raises(ik.ValidationError) as e:
        ql.Engagement(stakeholder="", method="telepathy", n=0, stage="later")
    assert set(e.value.paths) == {"stakeholder", "method", "n", "stage"}
    assert ql.Evidence(id="x", kind="testimony", text="t").consent is False


def test_consented_and_pseudonymise():
    ev = [
        ql.Evidence(
            id="a",
            kind="testimony",
            text="Marie-Claire et MARIE ont parlé.",
            person="Marie",
            consent=True,
        ),
        ql.Evidence(id="b", kind="testimony", text="Marie", consent=False),
    ]
    assert [e.id for e in ql.consented(ev)] == ["a"]
    out = ql.pseudonymise(ev, ["Marie", "Marie-Claire"])
    assert out[0].text == "[P2] et [P1] ont parlé."
    assert out[0].person == "[P1]"
    assert ql.pseudonymise(ev, {"Marie": "X"})[1].text == "X"
    with pytest.raises(ik.ValidationError):
        ql.pseudonymise(ev, [" "])
