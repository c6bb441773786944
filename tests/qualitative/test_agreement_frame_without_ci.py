"""Without bootstrap, Agreement.to_frame has no interval (None), as to_dict, not NaN."""

from __future__ import annotations

import numpy as np

from impactkit import qualitative as ql

M = np.array([[1, 2, 1, 2.0, 1], [1, 2, 2, 2.0, 1]])


def test_no_interval_is_none_in_the_frame_and_the_dict():
    r = ql.agreement(M)
    row = r.to_frame().iloc[0]
    d = r.to_dict()
    for k in ("ci_low", "ci_high", "level"):
        assert row[k] is None
    assert (d["ci"], d["level"]) == (None, None)
    assert row["value"] == r.value == d["value"]


def test_an_interval_is_in_both():
    r = ql.agreement(M, n_bootstrap=200, seed=4)
    row = r.to_frame().iloc[0]
    assert (row["ci_low"], row["ci_high"]) == r.ci == tuple(r.to_dict()["ci"])
