"""A table saved by a French spreadsheet (``;``, decimal commas, Windows code page or UTF-8
with a byte-order mark) gives the same network report as a plain CSV."""

from __future__ import annotations

import codecs
from pathlib import Path

import pandas as pd
import pytest

import impactkit as ik
from impactkit.cli import main
from impactkit.cli._network import read_table, sniff_csv


def _french_csv(df: pd.DataFrame, path: Path, encoding: str) -> None:
    text = df.to_csv(sep=";", decimal=",", index=False)
    data = text.encode("cp1252" if encoding == "cp1252" else "utf-8")
    if encoding == "utf-8-sig":
        data = codecs.BOM_UTF8 + data
    path.write_bytes(data)


@pytest.fixture
def tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    outcomes, inputs = ik.examples.synthetic_network(15, seed=2)
    outcomes = outcomes.copy()
    outcomes["label"] = "Insertion réussie"  # an accent that the code page writes as one byte
    return outcomes, inputs


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_a_french_spreadsheet_csv_reads_as_the_plain_csv(tables, tmp_path, encoding):
    outcomes = tables[0]
    plain, french = tmp_path / "plain.csv", tmp_path / "french.csv"
    outcomes.to_csv(plain, index=False)
    _french_csv(outcomes, french, encoding)
    assert sniff_csv(french) == (encoding, ";", ",")
    assert sniff_csv(plain) == ("utf-8", ",", ".")
    pd.testing.assert_frame_equal(read_table(str(french)), read_table(str(plain)))


def test_the_network_report_is_the_same_from_either_csv(tables, tmp_path, capsys):
    outcomes, inputs = tables
    outcomes.to_csv(tmp_path / "o.csv", index=False)
    inputs.to_csv(tmp_path / "i.csv", index=False)
    _french_csv(outcomes, tmp_path / "o_fr.csv", "cp1252")
    _french_csv(inputs, tmp_path / "i_fr.csv", "utf-8-sig")
    args = ["--mc", "0", "--lang", "fr"]
    plain = [str(tmp_path / "o.csv"), str(tmp_path / "i.csv"), "-o", str(tmp_path / "a.md")]
    french = [str(tmp_path / "o_fr.csv"), str(tmp_path / "i_fr.csv"), "-o", str(tmp_path / "b.md")]
    assert main(["network", *plain, *args]) == 0
    capsys.readouterr()
    assert main(["network", *french, *args]) == 0
    err = capsys.readouterr().err
    assert "séparateur « ; », décimales avec une virgule, encodage cp1252" in err
    assert (tmp_path / "a.md").read_text(encoding="utf-8") == (tmp_path / "b.md").read_text(
        encoding="utf-8"
    )
