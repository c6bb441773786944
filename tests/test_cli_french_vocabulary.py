"""One French vocabulary on the French path: the examples' sectors in words, not
identifiers; « Monte Carlo » spelt one way in the report, the charts and the command
line."""

from __future__ import annotations

from impactkit._i18n import TEXTS
from impactkit.cli import main


def test_examples_name_their_sector_in_french(capsys):
    assert main(["examples", "--lang", "fr"]) == 0
    out = capsys.readouterr().out
    assert "protection de l'enfance" in out
    assert "personnes âgées" in out
    lines = [line for line in out.splitlines() if line.strip()][:-1]
    for line in lines:
        name, sector = line.split()[0], line[len(line.split()[0]) :].strip()
        assert "_" not in sector.split("  ")[0], line  # the identifier is the name only
        assert "_" in name or name.isalpha()


def test_monte_carlo_is_spelt_one_way():
    assert all("Monte-Carlo" not in str(v) for v in TEXTS["fr"].values())
    assert TEXTS["fr"]["monte_carlo"] == "Simulation de Monte Carlo"
