"""Burning hours, energy and footprint of luminaires: hand-computed and independent references."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sobriete import load_catalog
from sobriete.errors import InputFormatError
from sobriete.lighting import assess_lighting, burning_hours, prepare_lighting, read_luminaires
from sobriete.schedule import Schedule, load_schedules, make_schedule

ROOT = Path(__file__).resolve().parents[2]
ALWAYS = Schedule(id="always", threshold_deg=None, hours=[{"start": "00:00", "end": "24:00"}])
#: A clock timer on 12 h a night (18:00-06:00), sun ignored: 4,380 h in a 365-day year.
TIMER = Schedule(id="timer", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])


def test_calendar_hours_with_dst_and_leap_years():
    for year, total in ((2025, 8760), (2024, 8784)):
        h = burning_hours(50.35, 3.45, year, schedules=ALWAYS)
        assert h.lit_hours[0] == pytest.approx(total)
    h = burning_hours(50.35, 3.45, 2024, schedules=ALWAYS)
    march, october, february = h.monthly_lit_hours[0, [2, 9, 1]]
    assert (march, october, february) == (pytest.approx(743), pytest.approx(745), pytest.approx(29 * 24))


def test_extinction_on_dst_nights():
    # 02:00-03:00 does not exist on 30 March 2025 and happens twice on 26 October 2025.
    h = burning_hours(50.35, 3.45, 2025, schedules=Schedule(
        id="x", threshold_deg=None, hours=[{"start": "00:00", "end": "24:00"}],
        extinction=[{"start": "02:00", "end": "03:00"}]))
    assert h.monthly_lit_hours[0, 2] == pytest.approx(743 - 31 + 1)
    assert h.monthly_lit_hours[0, 9] == pytest.approx(745 - 31 - 1)
    assert h.lit_hours[0] == pytest.approx(8760 - 365)


def test_burning_hours_against_a_minute_by_minute_computation():
    """Independent check: pvlib SPA elevation every minute of a leap year, schedule applied
    with pandas local times, versus exact crossings + integrated levels.

    Tolerance 1 h on ~2,000-4,300 h: minute sampling misplaces each of the 732 crossings by up
    to 30 s (random signs: ~8 min in total) and the two ephemerides differ by ~2 s per crossing
    (at most 25 min if all added up).
    """
    pvlib = pytest.importorskip("pvlib")
    lat, lon, year = 50.35, 3.45, 2024
    schedule = make_schedule(off=["23:00-05:00"], dim=["22:00-06:00=50%"])
    start = pd.Timestamp(f"{year}-01-01", tz="Europe/Paris")
    end = pd.Timestamp(f"{year + 1}-01-01", tz="Europe/Paris")
    minutes = pd.date_range(start, end, freq="min", inclusive="left") + pd.Timedelta(seconds=30)
    elevation = pvlib.solarposition.spa_python(minutes, lat, lon, how="numpy")["elevation"].to_numpy()
    local = minutes.tz_convert("Europe/Paris")
    clock = local.hour * 60 + local.minute
    level = np.where((clock >= 22 * 60) | (clock < 6 * 60), 0.5, 1.0)
    level = np.where((clock >= 23 * 60) | (clock < 5 * 60), 0.0, level)
    dark = elevation < -0.833
    expected_lit = (dark & (level > 0)).sum() / 60
    expected_full = (dark * level).sum() / 60
    expected_dusk_to_dawn = dark.sum() / 60

    h = burning_hours(lat, lon, year, schedules=[schedule, make_schedule()], schedule_index=[0, 1])
    assert h.lit_hours[0] == pytest.approx(expected_lit, abs=1.0)
    assert h.full_power_hours[0] == pytest.approx(expected_full, abs=1.0)
    assert h.full_power_hours[1] == pytest.approx(expected_dusk_to_dawn, abs=1.0)
    month = local.month.to_numpy() - 1
    monthly = np.bincount(month, dark * level) / 60
    np.testing.assert_allclose(h.monthly_full_power_hours[0], monthly, atol=0.3)


def test_dusk_to_dawn_hours_are_in_the_ademe_range():
    # ADEME (2010 data): French public lighting burns 3,500-4,300 h/yr; a full night is the top.
    h = burning_hours([43.3, 50.35], [5.4, 3.45], 2025)
    assert ((h.full_power_hours > 3500) & (h.full_power_hours < 4400)).all()
    np.testing.assert_allclose(h.monthly_full_power_hours.sum(axis=1), h.full_power_hours)


def test_photocell_threshold_shortens_hours():
    early, late = burning_hours(50.35, 3.45, 2025, schedules=[make_schedule(threshold_deg=-0.833),
                                                               make_schedule(threshold_deg=-4)],
                                schedule_index=[0, 1]).lit_hours
    # The sun takes roughly 25-30 min to sink from -0.833° to -4° at 50° N: ~2 x 25 min x 365.
    assert 250 < early - late < 400


@settings(max_examples=12, deadline=None)
@given(st.integers(0, 100), st.integers(0, 100), st.integers(18, 23), st.integers(1, 7))
def test_dimming_reduces_energy_monotonically(level_a, level_b, start_hour, end_hour):
    low, high = sorted((level_a, level_b))
    window = f"{start_hour:02d}:00-{end_hour:02d}:00"
    schedules = [make_schedule(id="low", dim=[f"{window}={low}%"]),
                 make_schedule(id="high", dim=[f"{window}={high}%"]), make_schedule(id="full")]
    h = burning_hours(50.35, 3.45, 2025, schedules=schedules, schedule_index=[0, 1, 2])
    assert h.full_power_hours[0] <= h.full_power_hours[1] + 1e-9 <= h.full_power_hours[2] + 2e-9
    if low > 0:  # dimming (above 0 %) never switches lamps off
        np.testing.assert_allclose(h.lit_hours, h.lit_hours[2])


def test_toy_za_hand_computed(lighting_catalog, toy_za):
    toy_za["schedule"] = "timer"
    lum = prepare_lighting(toy_za, lighting_catalog, by="za", schedules={"timer": TIMER},
                           default_location=(50.0, 3.0))
    result = lum.assess(2025)
    summary = result.summary.set_index("za")
    # A: 10 hps 100 W + 10 % gear + 2 led 40 W = 1,180 W x 4,380 h = 5,168.4 kWh; B: 250 W x 4,380 h.
    assert summary.loc["A", "energy_kwh"] == pytest.approx(1180 * 4380 / 1000)
    assert summary.loc["B", "energy_kwh"] == pytest.approx(250 * 4380 / 1000)
    assert summary.loc["A", "system_power_kw"] == pytest.approx(1.18)
    # Default: the FR 2025 average mix (0.1 kgCO2e/kWh in the test catalog).
    assert summary.loc["A", "gwp_use"] == pytest.approx(5168.4 * 0.1)
    assert summary.loc["A", "cost_eur"] == pytest.approx(5168.4 * 0.25)  # catalog price 0.25 EUR/kWh
    fp = result.footprint
    assert fp.energy_kwh.sum() == pytest.approx((1180 + 250) * 4.38)
    assert fp.total().loc["gwp", "total"] == pytest.approx((1180 + 250) * 4.38 * 0.1)
    assert fp.meta["electricity"] == "mix"
    # The seasonal per-use factor on request: FR public lighting 2024 (0.2) used for 2025, with a notice.
    seasonal = lum.evaluate(2025, electricity="usage")
    assert seasonal.total().loc["gwp", "total"] == pytest.approx((1180 + 250) * 4.38 * 0.2)
    assert seasonal.meta["electricity"] == "usage" and any("2024" in w for w in seasonal.quality.warnings)
    assert not fp.total().loc["gwp", "complete"]  # embodied impacts uncovered: a lower bound
    # Rows without a manufacturing factor, per ZA; A's hps (2000, 20-year life) are fully amortised.
    assert fp.uncovered[:, 0, 0].tolist() == [1, 1]
    assert fp.meta["domain"] == "lighting" and fp.meta["energy_price_eur_per_kwh"] == 0.25


def test_assess_lighting_grouping_and_linearity(lighting_catalog, toy_za):
    fp = assess_lighting(toy_za, 2025, catalog=lighting_catalog, by=["za", "technology"],
                         default_location=(50.0, 3.0))
    assert len(fp.keys) == 3
    total = assess_lighting(toy_za, 2025, catalog=lighting_catalog, by=[], default_location=(50.0, 3.0))
    assert total.values.sum() == pytest.approx(fp.values.sum())  # parts sum to the total
    doubled = assess_lighting(toy_za.assign(count=toy_za["count"] * 2), 2025, catalog=lighting_catalog,
                              by=[], default_location=(50.0, 3.0))
    assert doubled.values.sum() == pytest.approx(2 * total.values.sum())


def test_watts_or_kilowatts_same_answer(lighting_catalog, toy_za):
    in_kw = toy_za.assign(lamp_power_kw=toy_za["lamp_power_w"] / 1000).drop(columns="lamp_power_w")
    a = assess_lighting(toy_za, 2025, catalog=lighting_catalog, default_location=(50.0, 3.0))
    b = assess_lighting(in_kw, 2025, catalog=lighting_catalog, default_location=(50.0, 3.0))
    np.testing.assert_allclose(a.values, b.values)


def test_embodied_amortised_when_factors_are_given(lighting_factors_dir, toy_za, tmp_path):
    impacts = tmp_path / "lighting_impacts.csv"
    impacts.write_text("technology,criterion,phase,value,unit,low,high,source_id,status,note\n"
                       "led,gwp,manufacturing,100,kgCO2e,,,test,sourced,\n", encoding="utf-8")
    catalog = load_catalog(impacts, directory=lighting_factors_dir)
    fp = assess_lighting(toy_za, 2025, catalog=catalog, default_location=(50.0, 3.0))
    manufacturing = fp.table("gwp").set_index("za")["manufacturing"]
    # led installed 2020, lifetime 20 years: 100 / 20 = 5 kgCO2e per luminaire and year.
    assert manufacturing["A"] == pytest.approx(2 * 5.0)   # the hps (no factor) are fully amortised
    assert manufacturing["B"] == pytest.approx(5 * 5.0)
    assert fp.uncovered[:, 0, 0].tolist() == [0, 0]
    in_service = assess_lighting(toy_za.assign(installation_year=2015), 2025, catalog=catalog,
                                 default_location=(50.0, 3.0))
    assert in_service.uncovered[:, 0, 0].tolist() == [1, 0]  # now the hps row lacks a factor


def test_other_zone_uses_the_mix_with_a_warning(lighting_catalog, toy_za):
    toy_za["zone"] = "DE"
    fp = assess_lighting(toy_za, 2020, catalog=lighting_catalog, by=[], default_location=(50.0, 3.0))
    assert fp.values[0, 0, 2] == pytest.approx(fp.energy_kwh[0] * 0.4)  # DE 2020 mix: 400 g/kWh
    assert not any("average mix" in w for w in fp.quality.warnings)  # the mix is the default: no notice
    seasonal = assess_lighting(toy_za, 2020, catalog=lighting_catalog, by=[], default_location=(50.0, 3.0),
                               electricity="usage")
    np.testing.assert_allclose(seasonal.values, fp.values)  # no DE per-use factor: the mix, said so
    assert any("average mix" in w for w in seasonal.quality.warnings)


def test_not_yet_installed_luminaires_use_no_energy(lighting_catalog, toy_za):
    toy_za["installation_year"] = [2000, 2020, 2030]
    fp = assess_lighting(toy_za, 2025, catalog=lighting_catalog, default_location=(50.0, 3.0))
    assert fp.table("gwp").set_index("za").loc["B", "energy_kwh"] == 0


def test_bad_rows_are_rejected_with_reasons(lighting_catalog):
    frame = pd.DataFrame({
        "za": ["A", "A", "A", "A", "A", "C", "A"],
        "technology": ["led", "xenon", "led", "led", "led", "led", "hps"],
        "lamp_power_w": ["50", "50", "-3", "50", "50", "50", "70,5"],
        "schedule": [None, None, None, "nope", None, None, None],
        "gear_loss": [None, None, None, None, "15", None, None],
        "latitude": [50.3, 50.3, 50.3, 50.3, 50.3, None, 50.3],
        "longitude": [3.4, 3.4, 3.4, 3.4, 3.4, None, 3.4],
    })
    lum = prepare_lighting(frame, lighting_catalog)
    q = lum.quality
    assert (q.rows_read, q.rows_assessed, q.rows_rejected) == (7, 2, 5)
    assert q.rejected["reason_code"].tolist() == ["unknown_technology", "bad_power", "unknown_schedule",
                                                  "bad_gear_loss", "missing_location"]
    assert lum.lamp_power_w.tolist() == [50.0, 70.5]  # French decimal comma accepted
    with pytest.raises(InputFormatError, match="technology"):
        prepare_lighting(frame.drop(columns="technology"), lighting_catalog)


def test_example_inventory_reads_and_assesses(lighting_catalog):
    frame = read_luminaires(ROOT / "examples" / "2025" / "eclairage_za.csv")
    schedules = load_schedules(ROOT / "examples" / "2025" / "horaires.yaml")
    lum = prepare_lighting(frame, lighting_catalog, by="za", schedules=schedules)
    assert lum.quality.rows_read == len(frame) > 200 and lum.quality.rows_rejected == 0
    result = lum.assess(2025)
    assert len(result.summary) == 4
    hours = result.summary.set_index("za")["full_power_hours"]
    assert hours["Parc d'activités de l'Escaut"] == pytest.approx(4283, abs=2)  # dusk to dawn
    assert hours["ZA du Moulin"] < hours["Parc d'activités de l'Escaut"]


def test_non_finite_and_overflowing_rows_are_rejected(lighting_catalog):
    frame = pd.DataFrame({"za": ["A"] * 4, "technology": ["led"] * 4, "count": ["1e308", "inf", "2", "nan"],
                          "lamp_power_w": [50.0, 50.0, 50.0, 50.0], "latitude": [50.3] * 4, "longitude": [3.4] * 4})
    prepared = prepare_lighting(frame, lighting_catalog, by="za")
    assert prepared.quality.rejected["reason_code"].tolist() == ["count_too_large", "bad_count", "bad_count"]
    fp = prepared.evaluate(2025)
    assert np.isfinite(fp.values).all() and fp.quality.rows_assessed == 1
