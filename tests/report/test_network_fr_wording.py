"""Words of the French network report: group ratios, percentiles, indicators with no funnel.

A per-sector table gives each sector's ratio, not the network's; the spread of
ratios reads « 5e centile », not ``p5``; an indicator whose sites all have the
same rate (no funnel can be drawn) is named with the reason, not left out.
"""

from __future__ import annotations

import re

import pandas as pd

from impactkit import portfolio as pf
from impactkit.report import network


def _tables(flat: float | None = None) -> tuple[pd.DataFrame, pd.DataFrame]:
    sites = [f"s{i}" for i in range(6)]
    rows = []
    for i, s in enumerate(sites):
        n = 20.0 + 10 * i
        rows.append(
            {
                "site": s,
                "outcome": "emploi",
                "label": "En emploi à 12 mois",
                "quantity": float(round(n * (0.2 + 0.1 * (i % 3)))),
                "n": n,
                "proxy": 9000.0,
                "sector": ["handicap", "insertion"][i % 2],
                "region": "Bretagne",
            }
        )
        if flat is not None:
            rows.append(
                {
                    "site": s,
                    "outcome": "logement",
                    "label": "Logement stable",
                    "quantity": n * flat,
                    "n": n,
                    "proxy": 3000.0,
                    "sector": ["handicap", "insertion"][i % 2],
                    "region": "Bretagne",
                }
            )
    inputs = pd.DataFrame({"site": sites, "amount": 1e5})
    return pd.DataFrame(rows), inputs


def _section(page: str, heading: str) -> str:
    parts = re.split(r"^## ", page, flags=re.M)
    found = [p for p in parts if p.startswith(heading + "\n")]
    assert len(found) == 1, heading
    return found[0]


def test_group_tables_name_the_group_ratio() -> None:
    out, inp = _tables()
    page = network(out, inp, lang="fr", format="markdown", charts=False, discount=0.0)
    sector = _section(page, "Par secteur")
    assert "Ratio SROI du secteur" in sector
    assert "Ratio SROI du réseau" not in sector
    region = _section(page, "Par région")
    assert "Ratio SROI de la région" in region
    assert "Ratio SROI du réseau" not in region
    # the network's own ratio keeps its name, in the figures
    assert "Ratio SROI du réseau" in _section(page, "Le réseau en chiffres")
    en = network(out, inp, lang="en", format="markdown", charts=False, discount=0.0)
    assert "Sector SROI ratio" in _section(en, "By sector")
    assert "Network SROI ratio" not in _section(en, "By sector")


def test_percentile_headings_read_in_french() -> None:
    out, inp = _tables()
    page = network(out, inp, lang="fr", format="markdown", charts=False, discount=0.0)
    spread = _section(page, "Dispersion des ratios des établissements")
    head = spread.splitlines()[2]
    for p in ("5e centile", "25e centile", "50e centile", "75e centile", "95e centile"):
        assert p in head
    assert not re.search(r"\bp\d", spread)
    html = network(out, inp, lang="fr", format="html", charts=False, discount=0.0)
    assert "<th>5e centile</th>" in html
    assert not re.search(r"<th>p\d", html)


def test_french_percentile_words() -> None:
    from impactkit._i18n import Formatter
    from impactkit.report._network import _heading

    fm = Formatter("fr", "EUR")
    assert _heading(fm, "p1") == "1er centile"
    assert _heading(fm, "p2.5") == "2,5e centile"
    assert _heading(fm, "p50") == "50e centile"
    assert _heading(fm, "percentile") == "Rang centile parmi les pairs"


def test_an_indicator_with_no_funnel_is_named_with_the_reason() -> None:
    for rate in (0.0, 1.0, 0.5):
        out, inp = _tables(flat=rate)
        a = pf.analyse_network(out, inp, discount=0.0)
        assert set(a.indicators) == {"emploi", "logement"}
        assert set(a.funnels) == {"emploi"}  # every site at the same rate: no funnel
        for fmt in ("markdown", "html"):
            page = network(a, lang="fr", format=fmt, charts=False)
            assert "« Logement stable » : pas de graphique en entonnoir" in page
            assert "tous les établissements mesurés ont le même résultat" in page


def test_the_section_is_kept_when_no_indicator_has_a_funnel() -> None:
    out, inp = _tables(flat=1.0)
    out = out[out["outcome"] == "logement"]
    a = pf.analyse_network(out, inp, discount=0.0)
    assert not a.funnels
    page = network(a, lang="fr", format="markdown", charts=False)
    body = _section(page, "Indicateurs : graphiques en entonnoir")
    assert "« Logement stable » : pas de graphique en entonnoir" in body


def test_the_member_page_names_an_indicator_with_no_funnel() -> None:
    from impactkit.report import member

    out, inp = _tables(flat=1.0)
    page = member(out, inp, member="s2", lang="fr", format="markdown", discount=0.0)
    body = _section(page, "Indicateurs : graphiques en entonnoir")
    assert "En emploi à 12 mois" in body  # the indicator with a funnel, in its table
    assert "« Logement stable » : pas de graphique en entonnoir" in body
    html = member(out, inp, member="s2", lang="fr", format="html", charts=False, discount=0.0)
    assert "« Logement stable » : pas de graphique en entonnoir" in html
