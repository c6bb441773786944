"""Sources sharing a name give evidence with distinct ids.

Evidence ids were ``"<source name>@<start>-<end>"``: two transcripts named
alike with a segment at the same offsets gave two records of one id, which
the model refuses as duplicates with no way to tell them apart.
"""

from __future__ import annotations

import pandas as pd

from impactkit import examples
from impactkit import qualitative as ql


def _twin_project():
    p = ql.read_qdpx(examples.interviews_path())
    first = p.sources["id"].iloc[0]
    twin = p.sources.iloc[[0]].assign(id="twin-source")
    cod = p.codings[p.codings["source"] == first].assign(source="twin-source")
    cod = cod.assign(id=cod["id"] + "-twin")
    return p, ql.QdaProject(
        p.name,
        codes=p.codes,
        sources=pd.concat([p.sources, twin], ignore_index=True),
        codings=pd.concat([p.codings, cod], ignore_index=True),
        users=p.users,
        variables=p.variables,
    )


MAPPING = {"Confiance": "self_esteem", "Rôle du conseiller": "advice"}


def test_sources_of_one_name_give_distinct_ids():
    p, q = _twin_project()
    ev = ql.codings_to_evidence(q, MAPPING)
    ids = [e.id for e in ev]
    assert len(ids) == len(set(ids)) == 8
    first = p.sources["id"].iloc[0]
    name = p.sources["name"].iloc[0]
    assert any(i.startswith(f"{name} [{first}]@") for i in ids)
    assert any(i.startswith(f"{name} [twin-source]@") for i in ids)


def test_ids_of_uniquely_named_sources_are_unchanged():
    p, _ = _twin_project()
    ev = ql.codings_to_evidence(p, MAPPING)
    assert all("[" not in e.id for e in ev)
    assert {e.id.split("@")[0] for e in ev} <= set(p.sources["name"])
