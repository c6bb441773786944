"""Contribution claims cite qualitative evidence by id."""

from __future__ import annotations

import pytest

import impactkit as ik
from impactkit import attribution as att


def test_claims_cite_evidence_ids():
    _, ev, _ = ik.examples.load_example_interviews()
    items = [
        att.EvidenceItem("MSC story", test="straw_in_the_wind", evidence_ids=("msc-2024-1",)),
        att.EvidenceItem("Harvested outcome", test="smoking_gun", evidence_ids="oh-2024-1"),
    ]
    table = att.contribution_tracing(items, evidence=ev)
    assert list(table["evidence_ids"]) == ["msc-2024-1", "oh-2024-1"]
    bad = [*items, att.EvidenceItem("?", test="hoop", evidence_ids=("x", "oh-2024-1", "y"))]
    with pytest.raises(ik.ValidationError) as e:
        att.contribution_tracing(bad, evidence=ev)
    assert set(e.value.paths) == {"items[2].evidence_ids[0]", "items[2].evidence_ids[2]"}
    assert len(att.contribution_tracing(bad)) == 3  # not checked without evidence
    with pytest.raises(ik.ValidationError):
        att.EvidenceItem("x", test="hoop", evidence_ids=("",))
