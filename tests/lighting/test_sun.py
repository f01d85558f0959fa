"""Sun position and sunrise/sunset against published times and an independent method (pvlib SPA)."""

import numpy as np
import pandas as pd
import pytest

from sobriete.sun import crossings, epoch_minutes, solar_elevation, sunrise_sunset

PARIS = (48.8566, 2.3522)
LILLE = (50.6292, 3.0573)


@pytest.mark.parametrize("date, sunrise, sunset", [
    # Published local times for Paris, read in public pages (rounded or truncated to the minute):
    ("2008-06-21", "05:47", "21:58"),  # justanotheramericaninparis.blogspot.com, 21 June 2008
    ("2018-06-21", "05:46", "21:57"),  # thompson.energy "Daylight in Paris" (longest day, 16:11)
    ("2018-12-21", "08:41", "16:56"),  # same page (shortest day, 8:15)
    ("2023-06-24", "05:48", "21:58"),  # pariswerewolves.blogspot.com, 24 June 2023
])
def test_paris_published_sunrise_sunset(date, sunrise, sunset):
    # Tolerance 1 min: the pages give whole minutes (rounded or truncated: up to 1 min off)
    # for an unstated point of Paris (±0.05° of longitude = ±12 s).
    times = sunrise_sunset([date], *PARIS).iloc[0]
    for computed, published in ((times["sunrise"], sunrise), (times["sunset"], sunset)):
        expected = pd.Timestamp(f"{date} {published}", tz="Europe/Paris")
        assert abs((computed - expected).total_seconds()) <= 60


def test_elevation_matches_pvlib_spa_over_a_year():
    pvlib = pytest.importorskip("pvlib")
    times = pd.date_range("2024-01-01", "2025-01-01", freq="37min", tz="UTC")
    ours = solar_elevation(times, 50.35, 3.45)
    spa = pvlib.solarposition.spa_python(times, 50.35, 3.45)["elevation"]  # geometric, no refraction
    # NOAA/Meeus vs NREL SPA: both geometric elevations; NOAA's stated accuracy is ~0.01°.
    assert np.abs(ours - spa).max() < 0.03


def test_crossings_match_pvlib_spa_in_a_leap_year():
    pvlib = pytest.importorskip("pvlib")
    days = pd.date_range("2024-01-01", "2024-12-31", freq="D", tz="Europe/Paris")
    ref = pvlib.solarposition.sun_rise_set_transit_spa(days, *LILLE)  # -0.8333° threshold
    ours = sunrise_sunset(days.tz_localize(None), *LILLE)
    assert len(ours) == 366
    for column in ("sunrise", "sunset"):
        diff = epoch_minutes(ours[column]) - epoch_minutes(ref[column])
        # Different ephemerides (Meeus vs SPA) and thresholds (-0.833 vs -0.8333): a few seconds.
        assert np.abs(diff * 60).max() < 10


def test_elevation_input_types():
    times = pd.DatetimeIndex(["2025-06-21 10:00", "2025-06-21 12:00"], tz="UTC")
    series = solar_elevation(times, 50.35, 3.45)
    assert isinstance(series, pd.Series) and series.index.equals(times)
    array = solar_elevation(times.to_numpy(), 50.35, 3.45)
    np.testing.assert_allclose(array, series.to_numpy())
    # sites broadcast against times
    two_sites = solar_elevation(times.to_numpy(), np.array([40.0, 60.0]), 3.45)
    assert two_sites[0] > two_sites[1]  # at 10:00 UTC in June the sun is higher at 40° N than at 60° N


def test_polar_night_and_midnight_sun():
    start = epoch_minutes(pd.DatetimeIndex(["2025-12-21", "2025-06-21"], tz="Europe/Oslo"))
    rise, sets = crossings(start, 69.65, 18.96)  # Tromsø
    assert rise[0] == pytest.approx(sets[0])  # never above the threshold: rise = set = transit
    assert sets[1] - rise[1] == pytest.approx(1440, abs=1)  # always above: a full day of sun
