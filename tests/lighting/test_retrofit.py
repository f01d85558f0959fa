"""Scenarios: LED retrofit and schedule changes, savings and simple payback by hand."""

from pathlib import Path

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
    assert s.loc["A", "gwp_saved"] == pytest.approx((baseline - after) * 0.2)
    assert s.loc["A", "cost_saved_eur"] == pytest.approx((baseline - after) * 0.25)
    assert s.loc["A", "investment_eur"] == 10 * 500
    assert s.loc["A", "payback_years"] == pytest.approx(5000 / ((baseline - after) * 0.25))
    assert s.loc["B", "investment_eur"] == 0  # nothing retrofitted in B, only dimmed
    assert s.loc["B", "energy_saved_kwh"] == pytest.approx(250 * 4.38 * 0.5)


def test_price_from_the_scenario(lighting_catalog, toy_za):
    scenario = load_scenario(text="energy_price_eur_per_kwh: 0.5\nschedule_changes: {}\n")
    result = assess_scenario(toy_za, 2025, scenario, catalog=lighting_catalog, default_location=(50.0, 3.0))
    assert result.baseline.footprint.meta["energy_price_eur_per_kwh"] == 0.5
    assert result.savings["energy_saved_kwh"].abs().max() == 0
    assert result.savings["payback_years"].isna().all()  # nothing saved: no payback


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
