"""``sobriete lighting check`` and the compliance report (French by default, English, JSON, CSV)."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobriete.cli import main

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2025" / "conformite"
ARGS = ["lighting", "check", str(EXAMPLE / "eclairage_za_conformite.csv"), "--sites", str(EXAMPLE / "za_sites.csv"),
        "--schedule", str(ROOT / "examples" / "2025" / "horaires.yaml"), "--year", "2025"]


def run(*extra):
    return CliRunner().invoke(main, [*ARGS, *extra])


def test_table_in_french_by_default():
    result = run()
    assert result.exit_code == 0, result.output
    assert "arrêté du 27 décembre 2018" in result.output
    assert "Horaires d'extinction" in result.output and "art. 3 II 1°" in result.output
    assert "vérifié (texte lu sur Légifrance)" in result.output       # art. 5
    assert "Lignes lues : 343 = 343 évaluées + 0 rejetées" in result.output
    assert "non utilisée" not in result.output                        # the compliance columns are used


def test_english_table():
    result = run("--lang", "en")
    assert result.exit_code == 0
    assert "Switch-off times" in result.output and "Share of luminaires compliant" in result.output


def test_json_totals_reconcile():
    result = run("--format", "json")
    data = json.loads(result.output)
    total = data["total"]
    assert total["luminaires"] == 343 == sum(z["luminaires"] for z in data["summary"])
    assert total["compliant"] + total["not_compliant"] + total["unknown"] == 343
    assert data["share_compliant"] == pytest.approx(total["compliant"] / 343)
    assert len(data["luminaires"]) == 343 * 7
    assert {r["rule"]: r["status"] for r in data["rules"]}["art5_data"] == "verified"
    assert data["total"]["energy_saved_kwh"] == pytest.approx(sum(z["energy_saved_kwh"] for z in data["summary"]))


def test_csv_is_french_and_one_line_per_luminaire_and_rule(tmp_path):
    out = tmp_path / "conformite.csv"
    result = run("--format", "csv", "-o", str(out))
    assert result.exit_code == 0 and result.stdout == ""  # the report went to the file; stderr says where
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[0].startswith("ligne;ZA;identifiant;règle;article;statut")
    assert len(lines) == 1 + 343 * 7


def test_bad_sites_file_is_one_french_sentence(tmp_path):
    sites = tmp_path / "za.csv"
    sites.write_text("Zone d'activité;Début d'activité;Fin d'activité\nZA du Moulin;25:00;21:00\n", encoding="utf-8")
    result = CliRunner().invoke(main, [*ARGS[:3], "--sites", str(sites)])
    assert result.exit_code == 2
    assert "heure invalide « 25:00 »" in result.output and "ligne 2" in result.output
    assert "Traceback" not in result.output


def test_check_has_help_with_an_example():
    result = CliRunner().invoke(main, ["lighting", "check", "--help"])
    assert result.exit_code == 0 and "Exemple" in result.output
