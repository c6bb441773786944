"""A code of ``contradicts`` that is not in the codebook is refused, like one of ``mapping``.

A misspelt contradicting code was kept silently: its segments stayed
"supports", turning contrary testimony into support in the triangulation.
"""

from __future__ import annotations

import pytest

from impactkit import examples
from impactkit import qualitative as ql
from impactkit.errors import ValidationError


@pytest.fixture(scope="module")
def project():
    return ql.read_qdpx(examples.interviews_path())


def test_an_unknown_contradicting_code_is_refused_with_the_unknown_mapping(project):
    with pytest.raises(ValidationError) as exc:
        ql.codings_to_evidence(
            project, {"Confiance": "self_esteem", "Nope": "x"}, contradicts=["Confiance_typo"]
        )
    got = {(tuple(p.path), p.code) for p in exc.value.problems}
    assert got == {
        (("mapping", "Nope"), "unknown_code"),
        (("contradicts", "Confiance_typo"), "unknown_code"),
    }


def test_a_known_contradicting_code_by_name_or_id_marks_its_segments(project):
    by_name = ql.codings_to_evidence(
        project, {"Confiance": "self_esteem"}, contradicts=["Confiance"]
    )
    cid = project.codes.loc[project.codes["name"] == "Confiance", "id"].iloc[0]
    by_id = ql.codings_to_evidence(project, {"Confiance": "self_esteem"}, contradicts=[cid])
    assert by_name == by_id
    assert {e.direction for e in by_name} == {"contradicts"}
