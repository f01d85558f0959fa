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
    assert "Variation (après − avant)" in result.output and "Économie (avant − après)" in result.output


def test_copper_switch_json_matches_the_library():
    result = CliRunner().invoke(main, ["network", "copper-switch", str(EXAMPLE), "--year", "2025", "--format",
                                       "json", "--lang", "en"])
    data = json.loads(result.output)
    expected = copper_switch_off(read_lines(str(EXAMPLE)).frame, 2025).table()
    assert len(data["groups"]) == len(expected) == 47
    delta = sum(c["delta"] for c in data["groups"])
    assert delta == pytest.approx(expected["delta"].sum())
    assert delta < 0  # fibre uses less electricity than copper: after − before is a reduction
    assert sum(c["savings"] for c in data["groups"]) == pytest.approx(-delta)
    total = next(t for t in data["totals"] if t["criterion"] == "gwp" and t["phase"] == "total")
    assert total["after"] - total["before"] == pytest.approx(delta)
    # one changed line of Commune 02: ADSL → FTTH saves (35 − 10) kWh
    commune_02 = next(c for c in data["groups"] if c["commune"] == "Commune 02")
    assert commune_02["energy_kwh_before"] - commune_02["energy_kwh_after"] == pytest.approx(25.0)


def test_copper_switch_table_shows_change_and_saving_in_english():
    result = CliRunner().invoke(main, ["network", "copper-switch", str(EXAMPLE), "--year", "2025", "--lang", "en"])
    assert result.exit_code == 0, result.output
    header = result.output.splitlines()[1]
    assert "Change (after − before)" in header and "Saving (before − after)" in header
    total = result.output.splitlines()[-1].split()
    assert total[0] == "Total" and float(total[4].replace(",", "")) == -float(total[5].replace(",", ""))


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


HOSTILE_LINES = """Commune;Code INSEE;Site;Technologie;Nombre de lignes;Offre;Montant annuel HT (€)
Commune <script>x</script>;59601;Mairie;ADSL;2;;1176,00
Commune B;59602;École;Fibre dédiée;-3;;1764,00
Commune B;59602;École;Satellite;1;;10
Commune B;59602;Gymnase;VDSL2;1,5;;10
Commune C;59603;Mairie;RTC;abc;;10
=cmd|' /C calc'!A0;59603;Mairie;adsl;1;;10
"""


def test_copper_switch_hostile_file_names_header_value_and_reason_in_row_order(tmp_path):
    path = tmp_path / "lignes.csv"
    path.write_bytes(HOSTILE_LINES.encode("cp1252"))
    result = CliRunner().invoke(main, ["network", "copper-switch", str(path), "--year", "2025"])
    assert result.exit_code == 1
    assert result.stderr.strip() == (
        "! 3/6 ligne(s) rejetée(s) : "
        "ligne 3, colonne Nombre de lignes : le nombre de lignes doit être ≥ 0 (valeur : -3) ; "
        "ligne 4, colonne Technologie : valeur inconnue du profil de colonnes et du catalogue : l'ajouter aux "
        "valeurs du profil (valeur : Satellite) ; "
        "ligne 6, colonne Technologie : valeur inconnue du profil de colonnes et du catalogue : l'ajouter aux "
        "valeurs du profil (valeur : RTC)")
    total = result.stdout.splitlines()[-1].split()
    assert total[:2] == ["Total", "4,5"]                                # 2 + 1,5 + 1 copper lines switched

