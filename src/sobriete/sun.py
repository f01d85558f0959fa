"""Sun position: solar elevation and daily threshold crossings (sunrise, sunset), vectorised.

The formulas are NOAA's solar calculator ones (Meeus, *Astronomical Algorithms*), written
for numpy arrays: accurate to about 0.01° in elevation and well under a minute in sunrise and
sunset time between 1900 and 2100, at a cost of a few array operations per instant. Times are
handled as float "epoch minutes" (minutes since 1970-01-01 00:00 UTC) inside the module;
public functions accept pandas datetimes.

References
----------
NOAA Global Monitoring Laboratory, "NOAA Solar Calculator" and its spreadsheet
(NOAA_Solar_Calculations_year.xls), based on J. Meeus, *Astronomical Algorithms*, 1991.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

#: Sun elevation [deg] at standard sunrise and sunset: the upper limb on a flat horizon, i.e.
#: the centre 16' (semi-diameter) + 34' (mean refraction) below it (NOAA, USNO).
SUNRISE_ELEVATION_DEG = -0.833
MINUTES_PER_HOUR = 60
MINUTES_PER_DAY = 24 * MINUTES_PER_HOUR
SECONDS_PER_MINUTE = 60
_JD_UNIX_EPOCH = 2440587.5
_JD_J2000 = 2451545.0


def epoch_minutes(times) -> np.ndarray:
    """Minutes since 1970-01-01 00:00 UTC (float) of datetimes; naive ones are taken as UTC.

    Examples
    --------
    >>> epoch_minutes(pd.DatetimeIndex(["1970-01-02 00:30"])).tolist()
    [1470.0]
    """
    index = pd.DatetimeIndex(pd.to_datetime(times))
    if index.tz is not None:
        index = index.tz_convert("UTC").tz_localize(None)
    return index.as_unit("ns").asi8.astype(float) / 60e9


def _sun_terms(epoch_min):
    """Declination [rad] and equation of time [min] at ``epoch_min`` (NOAA / Meeus)."""
    t = (np.asarray(epoch_min, dtype=float) / MINUTES_PER_DAY + _JD_UNIX_EPOCH - _JD_J2000) / 36525.0
    l0 = np.deg2rad(np.mod(280.46646 + t * (36000.76983 + t * 0.0003032), 360.0))
    m = np.deg2rad(357.52911 + t * (35999.05029 - 0.0001537 * t))
    e = 0.016708634 - t * (0.000042037 + 0.0000001267 * t)
    centre = (np.sin(m) * (1.914602 - t * (0.004817 + 0.000014 * t))
              + np.sin(2 * m) * (0.019993 - 0.000101 * t) + np.sin(3 * m) * 0.000289)
    omega = np.deg2rad(125.04 - 1934.136 * t)
    apparent_long = np.deg2rad(np.rad2deg(l0) + centre - 0.00569 - 0.00478 * np.sin(omega))
    eps0 = 23.0 + (26.0 + (21.448 - t * (46.815 + t * (0.00059 - t * 0.001813))) / 60.0) / 60.0
    eps = np.deg2rad(eps0 + 0.00256 * np.cos(omega))
    declination = np.arcsin(np.sin(eps) * np.sin(apparent_long))
    y = np.tan(eps / 2.0) ** 2
    eq_time_min = 4.0 * np.rad2deg(
        y * np.sin(2 * l0) - 2 * e * np.sin(m) + 4 * e * y * np.sin(m) * np.cos(2 * l0)
        - 0.5 * y * y * np.sin(4 * l0) - 1.25 * e * e * np.sin(2 * m))
    return declination, eq_time_min


def _elevation_deg(epoch_min, latitude_deg, longitude_deg):
    declination, eq_time = _sun_terms(epoch_min)
    true_solar_min = np.mod(np.mod(epoch_min, MINUTES_PER_DAY) + eq_time + 4.0 * np.asarray(longitude_deg), float(MINUTES_PER_DAY))
    hour_angle = np.deg2rad(true_solar_min / 4.0 - 180.0)
    lat = np.deg2rad(latitude_deg)
    cos_zenith = np.sin(lat) * np.sin(declination) + np.cos(lat) * np.cos(declination) * np.cos(hour_angle)
    return np.rad2deg(np.arcsin(np.clip(cos_zenith, -1.0, 1.0)))


def solar_elevation(times, latitude_deg, longitude_deg):
    """Geometric solar elevation (no refraction) [deg] at ``times`` for a site.

    Parameters
    ----------
    times : DatetimeIndex, Series of datetimes or array-like
        Instants; tz-aware ones are converted, naive ones are taken as UTC.
    latitude_deg, longitude_deg : numeric
        Site [deg], north and east positive; broadcast against ``times``.

    Returns
    -------
    Series or ndarray
        Elevation [deg]: a Series indexed like ``times`` for a DatetimeIndex or Series input.

    Notes
    -----
    ``sin(h) = sin φ sin δ + cos φ cos δ cos H`` with the declination δ and the hour angle H
    from the true solar time (UTC + equation of time + 4 min/deg × longitude).

    References
    ----------
    NOAA Global Monitoring Laboratory, NOAA Solar Calculator (Meeus 1991 formulas).

    Examples
    --------
    >>> noon = pd.DatetimeIndex(["2025-06-21 12:00"], tz="Europe/Paris")
    >>> round(float(solar_elevation(noon, 50.35, 3.45).iloc[0]), 1)
    55.9
    """
    values = _elevation_deg(epoch_minutes(times), latitude_deg, longitude_deg)
    if isinstance(times, (pd.DatetimeIndex, pd.Series)):
        return pd.Series(values, index=times.index if isinstance(times, pd.Series) else times,
                         name="elevation_deg")
    return values


def crossings(day_start_min, latitude_deg, longitude_deg, *, elevation_deg=SUNRISE_ELEVATION_DEG,
              iterations: int = 3):
    """Morning and evening crossings of ``elevation_deg`` by the sun's centre, per day.

    Parameters
    ----------
    day_start_min : array-like
        Start of each (local) day [epoch minutes, UTC].
    latitude_deg, longitude_deg : numeric
        Site [deg]; broadcast against ``day_start_min`` (e.g. shape ``(n_sites, 1)``).
    elevation_deg : numeric, keyword-only
        Threshold elevation [deg]; -0.833 is the standard sunrise/sunset.
    iterations : int, keyword-only
        Refinements of each crossing with the sun's position at its own time (3 gives
        sub-second convergence).

    Returns
    -------
    rise_min, set_min : ndarray
        Crossing instants [epoch minutes]. Where the sun stays below the threshold all day
        (polar night) both equal the solar transit; where it stays above (midnight sun) they are
        the transit ∓ 12 h.

    Notes
    -----
    ``cos H0 = (sin h0 - sin φ sin δ) / (cos φ cos δ)``; transit at ``720 - 4 λ - EoT`` minutes
    UTC; crossings at transit ∓ 4 H0 minutes (H0 in degrees), δ and EoT evaluated at each
    crossing's own time.
    """
    day_start = np.asarray(day_start_min, dtype=float)
    lat = np.deg2rad(np.asarray(latitude_deg, dtype=float))
    lon = np.asarray(longitude_deg, dtype=float)
    sin_h0 = np.sin(np.deg2rad(elevation_deg))
    # UTC day whose solar transit falls nearest to the local day's noon.
    local_noon = day_start + 720.0
    utc_day = np.round((local_noon - (720.0 - 4.0 * lon)) / MINUTES_PER_DAY) * MINUTES_PER_DAY

    def solve(guess, sign):
        event = guess
        for _ in range(iterations):
            declination, eq_time = _sun_terms(event)
            transit = utc_day + 720.0 - 4.0 * lon - eq_time
            cos_h = (sin_h0 - np.sin(lat) * np.sin(declination)) / (np.cos(lat) * np.cos(declination))
            half_arc = np.rad2deg(np.arccos(np.clip(cos_h, -1.0, 1.0)))
            event = transit + sign * 4.0 * half_arc
        return event

    transit0 = utc_day + 720.0 - 4.0 * lon
    return solve(transit0 - 360.0, -1.0), solve(transit0 + 360.0, 1.0)


def sunrise_sunset(dates, latitude_deg: float, longitude_deg: float, *, tz: str = "Europe/Paris",
                   elevation_deg: float = SUNRISE_ELEVATION_DEG) -> pd.DataFrame:
    """Local sunrise and sunset times for calendar dates at a site.

    Parameters
    ----------
    dates : array-like of dates
        Local calendar dates.
    latitude_deg, longitude_deg : float
        Site [deg].
    tz : str, keyword-only
        IANA time zone of the output (daylight saving included).
    elevation_deg : float, keyword-only
        Threshold [deg] (-0.833 standard; civil twilight is -6).

    Returns
    -------
    DataFrame
        Columns ``sunrise`` and ``sunset`` (tz-aware), indexed by date.

    Examples
    --------
    >>> times = sunrise_sunset(["2008-06-21"], 48.8566, 2.3522)  # Paris, summer solstice
    >>> times.loc["2008-06-21", "sunrise"].strftime("%H:%M"), times.loc["2008-06-21", "sunset"].strftime("%H:%M")
    ('05:46', '21:57')
    """
    days = pd.DatetimeIndex(pd.to_datetime(dates)).normalize()
    starts = days.tz_localize(tz, nonexistent="shift_forward", ambiguous=False)
    rise, sets = crossings(epoch_minutes(starts), latitude_deg, longitude_deg, elevation_deg=elevation_deg)

    def to_local(minutes):
        return pd.to_datetime(np.round(minutes * 60e9).astype("int64"), utc=True).tz_convert(tz)

    return pd.DataFrame({"sunrise": to_local(rise), "sunset": to_local(sets)},
                        index=pd.Index(days, name="date"))
