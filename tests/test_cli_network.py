"""CLI: sobriete network copper-switch."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.cli.network import read_lines
from sobriete.network import copper_switch_off

EXAMPLE = Path(__file__).parents[1] / "examples" / "2025" / "lignes_operateur.csv"


def test_copper_switch_table_in_french():
    result = CliRunner().invoke(main, ["network", "copper-switch", str(EXAMPLE), "--year", "2025"])
    assert result.exit_code == 0, result.output
    assert "Lignes basculées" in result.output and "Commune 46" in result.output


def test_copper_switch_json_matches_the_library():
    result = CliRunner().invoke(main, ["network", "copper-switch", str(EXAMPLE), "--year", "2025", "--format",
                                       "json", "--lang", "en"])
    data = json.loads(result.output)
    expected = copper_switch_off(read_lines(str(EXAMPLE)).frame, 2025).table()
    assert len(data["communes"]) == len(expected) == 47
    assert sum(c["difference"] for c in data["communes"]) == pytest.approx(expected["difference"].sum())
    assert sum(c["difference"] for c in data["communes"]) < 0


def test_copper_switch_bad_file_is_one_sentence(tmp_path):
    bad = tmp_path / "lignes.csv"
    bad.write_text("Commune;Nombre de lignes\nA;3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["network", "copper-switch", str(bad), "--year", "2025"])
    assert result.exit_code == 2  # README: 2 = usage or input error
    assert result.output.startswith("Erreur : ")
    assert "« technology »" in result.output and "« Technologie »" in result.output and "Traceback" not in result.output


def test_copper_switch_missing_file_and_rejected_rows_exit_codes(tmp_path):
    missing = CliRunner().invoke(main, ["network", "copper-switch", str(tmp_path / "absent.csv"), "--year", "2025"])
    assert missing.exit_code == 2 and "Traceback" not in missing.output
    lines = tmp_path / "lignes.csv"
    lines.write_text("Commune;Technologie;Nombre de lignes\nA;ADSL;2\nB;Pigeon voyageur;1\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["network", "copper-switch", str(lines), "--year", "2025"])
    assert result.exit_code == 1, result.output  # README: 1 = done with rejected rows
