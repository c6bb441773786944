"""Sites and rows with no group label are counted, never dropped silently.

A site with no sector (or region) forms a group of its own in the tables by
group, so that the groups add up to the network totals the report shows.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from impactkit import portfolio as pf
from impactkit import report


def _network() -> tuple[pd.DataFrame, pd.DataFrame]:
    out = pd.DataFrame(
        {
            "site": ["a", "a", "b", "c", "d"],
            "outcome": ["x", "y", "x", "x", "x"],
            "stakeholder": ["people", "state", "people", "state", "people"],
            "quantity": [10, 5, 8, 3, 4],
            "proxy": [100.0, 50.0, 100.0, 10.0, 200.0],
            "sector": ["care", "care", None, "care", None],
        }
    )
    inp = pd.DataFrame({"site": ["a", "b", "c", "d"], "amount": [500.0, 400.0, 100.0, 1_000.0]})
    return out, inp


def test_aggregate_counts_the_sites_without_a_group() -> None:
    out, inp = _network()
    res = pf.evaluate(out, inp, discount=0.0, by=["sector"])
    agg = pf.aggregate(res, "sector")
    assert agg["sector"].iloc[0] == "care"
    assert pd.isna(agg["sector"].iloc[1])  # the unlabelled sites, last
    assert agg["sites"].tolist() == [2, 2]
    # b: 800 / 400, d: 800 / 1000 -> 1600 / 1400
    assert agg["present_value"].tolist() == [1280.0, 1600.0]
    assert agg["ratio"].iloc[1] == pytest.approx(1600.0 / 1400.0)
    assert agg["present_value"].sum() == res["present_value"].sum()
    assert agg["total_inputs"].sum() == res["total_inputs"].sum()
    # several keys and categorical keys count them too
    assert pf.aggregate(res.assign(r="n"), ["sector", "r"])["sites"].sum() == 4
    cat = res.assign(sector=res["sector"].astype("category"))
    assert pf.aggregate(cat, "sector")["sites"].tolist() == [2, 2]


def test_distribution_has_the_group_of_sites_without_a_label() -> None:
    out, inp = _network()
    res = pf.evaluate(out, inp, discount=0.0, by=["sector"])
    d = pf.distribution(res, by="sector", percentiles=(0, 50, 100))
    assert len(d) == 2
    assert pd.isna(d["sector"].iloc[1])
    assert d.iloc[1][["p0", "p50", "p100"]].tolist() == [0.8, 1.4, 2.0]
    two = pf.distribution(res.assign(r="n"), by=["sector", "r"], percentiles=(50,))
    assert two["p50"].tolist() == [pytest.approx(1.4), pytest.approx(1.4)]


def test_position_of_a_site_without_a_group() -> None:
    out, inp = _network()
    res = pf.evaluate(out, inp, discount=0.0, by=["sector"])
    pos = pf.position(res, "b", peers="sector")
    assert pos["peers"] == 2  # b and d, the sites with no sector
    assert pos["percentile"] == 75.0
    assert pos["peer_median"] == pytest.approx(1.4)


def test_network_groups_add_up_to_the_totals_and_the_report_shows_them() -> None:
    out, inp = _network()
    a = pf.analyse_network(out, inp, discount=0.0)
    assert a.by_sector is not None
    assert a.by_sector["sites"].sum() == a.totals["sites"]
    assert math.isclose(a.by_sector["present_value"].sum(), a.totals["present_value"])
    assert a.distribution is not None
    assert len(a.distribution) == 2
    text = report.network(a, lang="fr", format="markdown")
    section = text.split("## Par secteur")[1].split("## ")[0]
    # French figures keep their no-break spaces in Markdown too
    assert "| non renseigné | 2 | 1\u202f600\u00a0€ | 1\u202f400\u00a0€ | 1,14 | 1,40 |" in section
    np.testing.assert_allclose(a.by_sector["ratio"], [1280.0 / 600.0, 1600.0 / 1400.0])


def test_stakeholder_shares_count_the_rows_without_a_stakeholder() -> None:
    out, inp = _network()
    out.loc[1, "stakeholder"] = None  # a's second row (5 x 50 = 250) names nobody
    shares = pf.stakeholder_shares(out.drop(columns="sector"), inp, discount=0.0)
    assert shares["present_value"].sum() == 2880.0  # the whole network
    assert shares["share"].sum() == pytest.approx(1.0)
    missing = shares[shares["stakeholder"].isna()]
    assert missing["present_value"].tolist() == [250.0]
    assert missing["share"].tolist() == [pytest.approx(250.0 / 2880.0)]
    a = pf.analyse_network(out, inp, discount=0.0)
    assert a.by_stakeholder is not None
    by = a.by_stakeholder.set_index("group")["present_value"]
    assert by.to_dict() == {"people": 2600.0, "-": 250.0, "state": 30.0}
    text = report.network(a, lang="fr", format="markdown")
    section = text.split("## Valeur par partie prenante")[1].split("## ")[0]
    assert "| non renseigné | 250\u00a0€ |" in section
