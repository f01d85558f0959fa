"""CLI: sobriete lighting hours | assess."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.lighting import burning_hours
from sobriete.schedule import make_schedule

ROOT = Path(__file__).resolve().parents[2]


def test_hours_json_matches_the_library():
    result = CliRunner().invoke(main, ["lighting", "hours", "--lat", "50.35", "--lon", "3.45", "--year", "2025",
                                       "--off", "23:00-05:00", "--dim", "22:00-06:00=50%", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    expected = burning_hours(50.35, 3.45, 2025, schedules=make_schedule(off=["23:00-05:00"],
                                                                        dim=["22:00-06:00=50%"]))
    assert data["full_power_hours"] == pytest.approx(expected.full_power_hours[0])
    assert data["lit_hours"] == pytest.approx(expected.lit_hours[0])
    assert sum(m["full_power_hours"] for m in data["monthly"]) == pytest.approx(data["full_power_hours"])


def test_hours_table_in_french_and_english():
    args = ["lighting", "hours", "--lat", "50.35", "--lon", "3.45", "--year", "2025"]
    assert "heures allumées" in CliRunner().invoke(main, args).output
    assert "lit hours" in CliRunner().invoke(main, args + ["--lang", "en"]).output


def test_bad_schedule_is_one_sentence():
    result = CliRunner().invoke(main, ["lighting", "hours", "--lat", "50", "--lon", "3", "--year", "2025",
                                       "--dim", "22:00-06:00=150%"])
    assert result.exit_code == 2  # README: 2 = usage or input error
    assert result.output.startswith("Erreur : ")
    assert "100 %" in result.output and "Traceback" not in result.output


def test_assess_with_schedule_and_scenario(lighting_factors_dir):
    result = CliRunner().invoke(main, [
        "lighting", "assess", str(ROOT / "examples" / "2025" / "eclairage_za.csv"), "--year", "2025",
        "--schedule", str(ROOT / "examples" / "2025" / "horaires.yaml"),
        "--scenario", str(ROOT / "examples" / "scenario_led.yaml"),
        "--factors-dir", str(lighting_factors_dir), "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert len(data["summary"]) == 4 and len(data["savings"]) == 4
    assert data["quality"]["read"] == data["quality"]["assessed"] + data["quality"]["rejected"]
    assert all(row["energy_saved_kwh"] > 0 for row in data["savings"])
    table = CliRunner().invoke(main, ["lighting", "assess", str(ROOT / "examples" / "2025" / "eclairage_za.csv"),
                                      "--year", "2025", "--factors-dir", str(lighting_factors_dir)])
    assert table.exit_code == 0 and "énergie (kWh/an)" in table.output


@pytest.mark.parametrize("command", [["lighting"], ["lighting", "hours"], ["lighting", "assess"]])
def test_every_command_has_help(command):
    result = CliRunner().invoke(main, command + ["--help"])
    assert result.exit_code == 0 and len(result.output) > 100


@pytest.mark.parametrize("option", [["--lat", "95", "--lon", "3"], ["--lat", "50", "--lon", "200"]])
def test_hours_rejects_impossible_coordinates(option):
    result = CliRunner().invoke(main, ["lighting", "hours", *option, "--year", "2025"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "95" in result.output or "200" in result.output


def test_assess_reads_the_schedules_next_to_the_file_and_fails_on_rejections(tmp_path, lighting_factors_dir):
    """The README command (no --schedule) uses the horaires.yaml beside the luminaires file;
    rows still rejected give exit code 1, with their reason in French."""
    source = ROOT / "examples" / "2025" / "eclairage_za.csv"
    args = ["lighting", "assess", "--year", "2025", "--factors-dir", str(lighting_factors_dir), "--format", "json"]
    beside = CliRunner().invoke(main, args + [str(source)])
    assert beside.exit_code == 0, beside.output
    quality = json.loads(beside.stdout)["quality"]
    assert quality["rejected"] == 0 and quality["assessed"] == quality["read"] == 343
    alone = tmp_path / "eclairage_za.csv"  # same file without its horaires.yaml
    alone.write_bytes(source.read_bytes())
    table = CliRunner().invoke(main, ["lighting", "assess", str(alone), "--year", "2025",
                                      "--factors-dir", str(lighting_factors_dir)])
    assert table.exit_code == 1
    assert "horaire inconnu" in table.stderr and "unknown schedule" not in table.stderr
    assert "4 283,3" in table.stdout  # Escaut's full-power hours, French number format


def _assess_cli(lighting_factors_dir, *extra):
    return CliRunner().invoke(main, ["lighting", "assess", str(ROOT / "examples" / "2025" / "eclairage_za.csv"),
                                     "--year", "2025", "--factors-dir", str(lighting_factors_dir), *extra])


def test_every_report_names_the_electricity_factor(lighting_factors_dir):
    """Issue #8 item 14: the average mix by default, the seasonal per-use factor on request, said
    in the table and in JSON, in French and English."""
    french = _assess_cli(lighting_factors_dir)
    assert "Facteur d'électricité : mix moyen de consommation de l'année 2025" in french.stdout
    english = _assess_cli(lighting_factors_dir, "--lang", "en")
    assert "Electricity factor: average consumption mix of 2025" in english.stdout
    seasonal = _assess_cli(lighting_factors_dir, "--electricity", "usage")
    assert "méthode saisonnalisée" in seasonal.stdout
    data = json.loads(_assess_cli(lighting_factors_dir, "--format", "json").stdout)
    assert data["meta"]["electricity"] == "mix" and "mix moyen" in data["meta"]["electricity_label"]
    data = json.loads(_assess_cli(lighting_factors_dir, "--format", "json", "--electricity", "usage",
                                  "--lang", "en").stdout)
    assert data["meta"]["electricity"] == "usage" and "seasonal method" in data["meta"]["electricity_label"]
    # test catalog: FR mix 2025 = 0.1, public lighting 2024 = 0.2 kgCO2e/kWh (used for 2025)
    for row in data["summary"]:
        assert row["gwp_use"] == pytest.approx(row["energy_kwh"] * 0.2)


def test_scenario_report_shows_both_prices(lighting_factors_dir, tmp_path):
    """Issue #8 item 21: the scenario's price does not replace the baseline's; both are shown."""
    scenario = tmp_path / "prix.yaml"
    scenario.write_text("name: prix\nenergy_price_eur_per_kwh: 0.35\nschedule_changes: {}\n", encoding="utf-8")
    table = _assess_cli(lighting_factors_dir, "--scenario", str(scenario), "--price", "0.25")
    assert "Prix de l'électricité : avant 0,250 €/kWh, après 0,350 €/kWh" in table.stdout
    data = json.loads(_assess_cli(lighting_factors_dir, "--scenario", str(scenario), "--format", "json").stdout)
    assert data["meta"]["energy_price_eur_per_kwh"] == 0.25  # the catalog's, for the baseline
    assert data["scenario"]["energy_price_eur_per_kwh"] == 0.35
    for base, row in zip(data["summary"], data["savings"]):
        assert base["cost_eur"] == pytest.approx(row["energy_kwh_baseline"] * 0.25)
        assert row["cost_scenario_eur"] == pytest.approx(row["energy_kwh_scenario"] * 0.35)


def test_assess_carries_the_compliance_block_when_the_inventory_has_its_columns():
    from sobriete.compliance import check_file
    from sobriete.schedule import load_schedules

    folder = ROOT / "examples" / "2025" / "conformite"
    args = ["lighting", "assess", str(folder / "eclairage_za_conformite.csv"), "--year", "2025",
            "--sites", str(folder / "za_sites.csv"), "--schedule", str(ROOT / "examples" / "2025" / "horaires.yaml")]
    table = CliRunner().invoke(main, args)
    assert table.exit_code == 0, table.output
    assert "arrêté du 27 décembre 2018" in table.output
    data = json.loads(CliRunner().invoke(main, args + ["--format", "json"]).output)
    expected, _ = check_file(folder / "eclairage_za_conformite.csv", sites=folder / "za_sites.csv",
                             schedules=load_schedules(ROOT / "examples" / "2025" / "horaires.yaml"), year=2025)
    assert data["compliance"]["share_compliant"] == pytest.approx(expected.share_compliant())
    # the ZA energy of the assessment and the luminaires of the compliance block are the same 343 rows
    assert data["compliance"]["total"]["luminaires"] == sum(row["luminaires"] for row in data["summary"])


def test_assess_has_no_compliance_block_without_its_columns():
    args = ["lighting", "assess", str(ROOT / "examples" / "2025" / "eclairage_za.csv"), "--year", "2025",
            "--format", "json"]
    assert "compliance" not in json.loads(CliRunner().invoke(main, args).output)


def test_scenario_with_cee_sheets_adds_volume_value_and_payback(tmp_path):
    sheets = tmp_path / "fiches.csv"
    sheets.write_text("sheet;version;date;applies_to;kwh_cumac_per_luminaire;source\n"
                      "RES-EC-104;user;2025-11;LED;2 000;my copy of the sheet\n", encoding="utf-8")
    args = ["lighting", "assess", str(ROOT / "examples" / "2025" / "eclairage_za.csv"), "--year", "2025",
            "--scenario", str(ROOT / "examples" / "scenario_led.yaml"), "--format", "json"]
    plain = json.loads(CliRunner().invoke(main, args).output)["savings"]
    result = CliRunner().invoke(main, args + ["--cee-sheets", str(sheets), "--cee-price", "8"])
    assert result.exit_code == 0, result.output
    for before, row in zip(plain, json.loads(result.output)["savings"]):
        assert row["cost_saved_eur"] == pytest.approx(before["cost_saved_eur"])     # CEE changes no saving
        assert row["cee_kwh_cumac"] == pytest.approx(2000.0 * row["luminaires_retrofitted"])
        assert row["cee_value_eur"] == pytest.approx(row["cee_kwh_cumac"] * 8.0 / 1000.0)  # EUR per MWh cumac
        assert row["payback_with_cee_years"] == pytest.approx(
            (row["investment_eur"] - row["cee_value_eur"]) / row["cost_saved_eur"])
    # every discharge luminaire of the example is retrofitted: 180 SHP + 57 metal halide + 13 mercury
    assert sum(row["luminaires_retrofitted"] for row in json.loads(result.output)["savings"]) == 250
    refused = CliRunner().invoke(main, args[:5] + ["--cee-sheets", str(sheets)])
    assert refused.exit_code == 2 and "--cee-sheets va avec --scenario" in refused.output


def test_assess_output_file_holds_the_report_stdout_stays_empty(tmp_path):
    """``-o`` writes the JSON report to the file (the same as on screen) and nothing on stdout."""
    args = ["lighting", "assess", str(ROOT / "examples/2025/eclairage_za.csv"), "--year", "2025",
            "--schedule", str(ROOT / "examples/2025/horaires.yaml"), "--format", "json"]
    screen = CliRunner().invoke(main, args)
    out = tmp_path / "eclairage.json"
    written = CliRunner().invoke(main, [*args, "-o", str(out)])
    assert written.exit_code == screen.exit_code == 0, written.output
    assert written.stdout == ""
    assert json.loads(out.read_text(encoding="utf-8")) == json.loads(screen.stdout)
