"""Lint findings on stakeholder involvement."""

from __future__ import annotations

import impactkit as ik
from impactkit import qualitative as ql


def test_valued_stakeholder_without_engagement_and_outcomes_not_heard():
    m = ik.examples.load_example()
    found = {(f.code, f.location) for f in ik.lint(m)}
    # nothing recorded at all: a reminder, not a warning
    assert {
        f.severity for f in ik.lint(m) if f.code in ("no_engagement", "outcome_not_heard")
    } == {"info"}
    for k, _ov in enumerate(m.outcomes):
        assert ("outcome_not_heard", f"outcomes[{k}].outcome") in found
    assert ("no_engagement", "outcomes[0].stakeholder") in found
    # one finding per stakeholder, at its first valued outcome
    assert sum(c == "no_engagement" for c, _ in found) == len({o.stakeholder for o in m.outcomes})

    _, ev, eng = ik.examples.load_example_interviews()
    heard = m.evolve(evidence=ev, engagement=eng)
    found = {(f.code, f.location) for f in ik.lint(heard)}
    not_heard = {loc for c, loc in found if c == "outcome_not_heard"}
    unengaged = {loc for c, loc in found if c == "no_engagement"}
    # no interview speaks of health or emergency visits, and the health insurance was
    # not engaged
    silent = [
        k
        for k, o in enumerate(m.outcomes)
        if o.outcome in ("quality_of_life", "fewer_emergencies")
    ]
    assert not_heard == {f"outcomes[{k}].outcome" for k in silent}
    insurer = next(k for k, o in enumerate(m.outcomes) if o.stakeholder == "assurance_maladie")
    assert unengaged == {f"outcomes[{insurer}].stakeholder"}
    sev = {f.severity for f in ik.lint(heard) if f.code in ("no_engagement", "outcome_not_heard")}
    assert sev == {"warning"}


def test_a_document_alone_is_not_hearing_a_stakeholder():
    m = ik.ImpactModel(
        name="m", outcomes=[ik.OutcomeValuation(outcome="o", stakeholder="s", quantity=1, proxy=1)]
    )
    doc = ql.Evidence(id="d", kind="document", text="report", nodes=("o",), consent=True)
    said = ql.Evidence(id="t", kind="testimony", text="yes", stakeholder="s", links=("x->o",))
    codes = {f.code for f in ik.lint(m.evolve(evidence=[doc]))}
    assert "outcome_not_heard" in codes
    codes = {f.code for f in ik.lint(m.evolve(evidence=[doc, said]))}
    assert "outcome_not_heard" not in codes  # heard, even without consent to publish
    eng = ql.Engagement(stakeholder="s", method="focus_group", n=6, stage="outcomes")
    assert "no_engagement" not in {f.code for f in ik.lint(m.evolve(engagement=[eng]))}
    for f in ik.lint(m):
        assert f.hint
