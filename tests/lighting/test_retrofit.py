"""Scenarios: LED retrofit and schedule changes, savings and simple payback by hand."""

from pathlib import Path

import numpy as np
import pytest

from sobriete.errors import InputValueError, ScheduleError, UnknownNameError
from sobriete.retrofit import assess_scenario, load_scenario
from sobriete.schedule import Schedule

ROOT = Path(__file__).resolve().parents[2]
TIMER = Schedule(id="timer", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])
SCENARIO = """
name: test
retrofit:
  - match: {technology: SHP, min_power_w: 100}
    technology: led
    lamp_power_w: 40
    investment_eur_per_luminaire: 500
schedules:
  - id: half
    threshold_deg: null
    hours: [{start: "18:00", end: "06:00"}]
    dimming: [{start: "18:00", end: "06:00", level: 50%}]
schedule_changes: {timer: half}
"""


def test_led_retrofit_and_dimming_by_hand(lighting_catalog, toy_za):
    toy_za["schedule"] = "timer"
    result = assess_scenario(toy_za, 2025, load_scenario(text=SCENARIO), catalog=lighting_catalog,
                             schedules={"timer": TIMER}, default_location=(50.0, 3.0))
    s = result.savings.set_index("za")
    # A: 1,180 W -> (10 x 40 + 2 x 40) W at half power; 4,380 h.
    baseline, after = 1180 * 4.38, 480 * 0.5 * 4.38
    assert s.loc["A", "energy_saved_kwh"] == pytest.approx(baseline - after)
    assert s.loc["A", "gwp_saved"] == pytest.approx((baseline - after) * 0.1)  # FR 2025 average mix
    assert s.loc["A", "cost_saved_eur"] == pytest.approx((baseline - after) * 0.25)
    assert s.loc["A", "investment_eur"] == 10 * 500
    assert s.loc["A", "payback_years"] == pytest.approx(5000 / ((baseline - after) * 0.25))
    assert s.loc["B", "investment_eur"] == 0  # nothing retrofitted in B, only dimmed
    assert s.loc["B", "energy_saved_kwh"] == pytest.approx(250 * 4.38 * 0.5)


def test_scenario_price_does_not_replace_the_baseline_price(lighting_catalog, toy_za):
    """Issue #8 item 21: a scenario's price applies to the scenario only; both are shown."""
    scenario = load_scenario(text="energy_price_eur_per_kwh: 0.5\nschedule_changes: {}\n")
    result = assess_scenario(toy_za.assign(schedule="timer"), 2025, scenario, catalog=lighting_catalog,
                             schedules={"timer": TIMER}, default_location=(50.0, 3.0))
    assert result.baseline.footprint.meta["energy_price_eur_per_kwh"] == 0.25  # the catalog's
    assert result.scenario.footprint.meta["energy_price_eur_per_kwh"] == 0.5
    s = result.savings.set_index("za")
    assert s.loc["A", "cost_baseline_eur"] == pytest.approx(1180 * 4.38 * 0.25)
    assert s.loc["A", "cost_scenario_eur"] == pytest.approx(1180 * 4.38 * 0.5)
    assert (s["price_baseline_eur_per_kwh"] == 0.25).all() and (s["price_scenario_eur_per_kwh"] == 0.5).all()
    assert s.loc["A", "cost_saved_eur"] == pytest.approx(-1180 * 4.38 * 0.25)  # dearer: a negative saving
    assert result.savings["energy_saved_kwh"].abs().max() == 0
    assert result.savings["payback_years"].isna().all()  # nothing saved: no payback
    given = assess_scenario(toy_za, 2025, scenario, catalog=lighting_catalog, default_location=(50.0, 3.0),
                            energy_price_eur_per_kwh=0.2)
    assert given.baseline.footprint.meta["energy_price_eur_per_kwh"] == 0.2


def test_savings_follow_the_comparison_convention(lighting_catalog, toy_za):
    scenario = load_scenario(text="retrofit: [{match: {technology: hps}, technology: led, lamp_power_w: 40, "
                                  "investment_eur_per_luminaire: 500}]")
    result = assess_scenario(toy_za, 2025, scenario, catalog=lighting_catalog, default_location=(50.0, 3.0))
    delta = result.comparison.delta.values.sum(axis=2)[:, 0]
    np.testing.assert_allclose(result.savings["gwp_saved"], -delta)
    np.testing.assert_allclose(result.savings["gwp_saved"],
                               result.savings["gwp_baseline"] - result.savings["gwp_scenario"])
    saved = result.savings.set_index("za")["gwp_saved"]
    assert saved["B"] == 0.0 and saved["A"] > 0.0      # B has no HPS luminaire; A's 10 HPS become LED
    baseline = result.baseline.summary.set_index("za")["gwp_total"]
    assert result.savings["gwp_baseline"].to_numpy() == pytest.approx(baseline.loc[result.savings["za"]].to_numpy())


def test_bad_scenarios(lighting_catalog, toy_za):
    with pytest.raises(InputValueError, match="exactly one of lamp_power_w"):
        load_scenario(text="retrofit: [{technology: led, lamp_power_w: 40, power_ratio: 0.5, "
                           "investment_eur_per_luminaire: 1}]")
    with pytest.raises(InputValueError, match="investment_eur_per_luminaire"):
        load_scenario(text="retrofit: [{technology: led, lamp_power_w: 40}]")
    with pytest.raises(UnknownNameError, match="plasma"):
        assess_scenario(toy_za, 2025, load_scenario(text="retrofit: [{technology: plasma, lamp_power_w: 40, "
                                                         "investment_eur_per_luminaire: 1}]"),
                        catalog=lighting_catalog, default_location=(50.0, 3.0))
    with pytest.raises(ScheduleError, match="unknown schedule 'nope'"):
        assess_scenario(toy_za, 2025, load_scenario(text="schedule_changes: {default: nope}"),
                        catalog=lighting_catalog, default_location=(50.0, 3.0))


def test_example_scenario_saves(lighting_catalog):
    from sobriete.lighting import read_luminaires
    from sobriete.schedule import load_schedules
    result = assess_scenario(read_luminaires(ROOT / "examples" / "2025" / "eclairage_za.csv"), 2025,
                             load_scenario(ROOT / "examples" / "scenario_led.yaml"), catalog=lighting_catalog,
                             schedules=load_schedules(ROOT / "examples" / "2025" / "horaires.yaml"))
    assert (result.savings["energy_saved_kwh"] > 0).all()
    assert (result.savings["payback_years"] > 0).all()


def _savings(catalog, za, text):
    za = za.assign(schedule="timer")
    result = assess_scenario(za, 2025, load_scenario(text=text), catalog=catalog, schedules={"timer": TIMER},
                             default_location=(50.0, 3.0))
    return result.savings.set_index("za")


def test_power_ratio_keeps_a_share_of_the_old_lamp_power(lighting_catalog, toy_za):
    s = _savings(lighting_catalog, toy_za, "retrofit: [{match: {technology: hps}, technology: led, power_ratio: 0.4, "
                                           "investment_eur_per_luminaire: 300}]")
    # A: 10 x 100 W x 1.1 (hps gear) -> 10 x 40 W x 1.0 (led gear); the 2 led and B are untouched.
    assert s.loc["A", "energy_saved_kwh"] == pytest.approx((1100 - 400) * 4.38)
    assert s.loc["A", "investment_eur"] == 10 * 300
    assert (s.loc["B", "energy_saved_kwh"], s.loc["B", "investment_eur"]) == (0, 0)


def test_a_luminaire_takes_the_first_rule_it_matches(lighting_catalog, toy_za):
    s = _savings(lighting_catalog, toy_za, """
retrofit:
  - {match: {technology: hps}, technology: led, lamp_power_w: 40, investment_eur_per_luminaire: 500}
  - {match: {technology: [hps, led]}, technology: led, lamp_power_w: 10, investment_eur_per_luminaire: 1}
""")
    # hps rows take rule 1 only; the led rows (A: 2 x 40 W, B: 5 x 50 W) take rule 2.
    assert s.loc["A", "energy_saved_kwh"] == pytest.approx((1100 - 400 + 2 * (40 - 10)) * 4.38)
    assert s.loc["A", "investment_eur"] == 10 * 500 + 2 * 1
    assert s.loc["B", "energy_saved_kwh"] == pytest.approx(5 * (50 - 10) * 4.38)
    assert s.loc["B", "investment_eur"] == 5 * 1


def test_rules_match_on_za_and_power_bounds(lighting_catalog, toy_za):
    s = _savings(lighting_catalog, toy_za, """
retrofit:
  - {match: {za: B}, technology: led, lamp_power_w: 25, investment_eur_per_luminaire: 100}
  - {match: {min_power_w: 30, max_power_w: 45}, technology: led, lamp_power_w: 20, investment_eur_per_luminaire: 7}
""")
    assert s.loc["B", "energy_saved_kwh"] == pytest.approx(5 * (50 - 25) * 4.38)
    assert s.loc["B", "investment_eur"] == 5 * 100
    # In A only the 40 W led fall within 30-45 W; the 100 W hps are out of bounds.
    assert s.loc["A", "energy_saved_kwh"] == pytest.approx(2 * (40 - 20) * 4.38)
    assert s.loc["A", "investment_eur"] == 2 * 7


def test_gear_loss_of_the_rule_overrides_the_technology_default(lighting_catalog, toy_za):
    s = _savings(lighting_catalog, toy_za, "retrofit: [{match: {technology: hps}, technology: hps, lamp_power_w: 100, "
                                           "gear_loss: 0.05, investment_eur_per_luminaire: 50}]")
    # new ballasts only: 10 x 100 W x (1.10 - 1.05)
    assert s.loc["A", "energy_saved_kwh"] == pytest.approx(10 * 100 * 0.05 * 4.38)
    assert s.loc["A", "cost_saved_eur"] == pytest.approx(10 * 100 * 0.05 * 4.38 * 0.25)  # catalog price


@pytest.mark.parametrize("factor", [3, 17])  # each case computes burning hours twice: kept few
def test_savings_and_investment_scale_with_the_count_and_payback_does_not(lighting_catalog, toy_za, factor):
    text = "retrofit: [{match: {technology: hps}, technology: led, lamp_power_w: 40, investment_eur_per_luminaire: 500}]"
    one = _savings(lighting_catalog, toy_za, text)
    many = _savings(lighting_catalog, toy_za.assign(count=toy_za["count"] * factor), text)
    for column in ("energy_saved_kwh", "gwp_saved", "cost_saved_eur", "investment_eur"):
        np.testing.assert_allclose(many[column], factor * one[column], rtol=1e-9)
    assert many.loc["A", "payback_years"] == pytest.approx(one.loc["A", "payback_years"], rel=1e-9)


# --------------------------------------------------------------------------- scenario files (issue #8 item 9)
def _write(tmp_path, text):
    path = tmp_path / "scenario.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_schedule_errors_inside_a_scenario_name_the_file(tmp_path):
    path = _write(tmp_path, "schedule_changes: {default: nuit}\nschedules:\n"
                            "  - {id: nuit, extinction: [{start: '23:00', end: '25:00'}]}\n")
    with pytest.raises(ScheduleError, match="25:00") as error:
        load_scenario(path)
    assert error.value.file == str(path)


def test_duplicate_schedule_ids_in_a_scenario_are_refused_as_in_schedule_files(tmp_path):
    from sobriete.schedule import load_schedules
    schedules = "schedules:\n  - {id: nuit, hours: [{start: '18:00', end: '23:00'}]}\n" \
                "  - {id: nuit, extinction: [{start: '23:00', end: '05:00'}]}\n"
    path = _write(tmp_path, "schedule_changes: {default: nuit}\n" + schedules)
    with pytest.raises(ScheduleError) as in_scenario:
        load_scenario(path)
    with pytest.raises(ScheduleError) as in_schedules:
        load_schedules(text=schedules)
    assert in_scenario.value.code == in_schedules.value.code == "schedule_defined_twice"
    assert in_scenario.value.file == str(path) and "'nuit' is defined twice" in str(in_scenario.value)


@pytest.mark.parametrize("text", ["", "# nothing\n", "{}\n", "name: rien\n", "name: x\nschedules: []\n"])
def test_an_empty_scenario_is_refused(tmp_path, text):
    path = _write(tmp_path, text)
    with pytest.raises(InputValueError, match="the scenario is empty") as error:
        load_scenario(path)
    assert error.value.code == "scenario_empty" and error.value.file == str(path)


def test_scenario_file_errors_through_the_cli_are_one_french_sentence(tmp_path, lighting_factors_dir):
    from click.testing import CliRunner

    from sobriete.cli import main
    path = _write(tmp_path, "")
    result = CliRunner().invoke(main, ["lighting", "assess", str(ROOT / "examples" / "2025" / "eclairage_za.csv"),
                                       "--year", "2025", "--scenario", str(path),
                                       "--factors-dir", str(lighting_factors_dir)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "le scénario est vide" in result.output and str(path) in result.output


def test_yaml_syntax_errors_are_one_sentence_with_file_and_line(tmp_path):
    path = _write(tmp_path, "name: x\nretrofit: [{technology: led\n")
    with pytest.raises(InputValueError) as error:
        load_scenario(path)
    assert error.value.file == str(path) and error.value.row == 3 and "\n" not in str(error.value)
