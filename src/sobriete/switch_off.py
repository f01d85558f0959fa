"""Switch-off times of art. 2 of the arrêté of 27 December 2018: the minutes of the local week
when lighting linked to an activity may be on, and the hours a schedule lights outside them.

A schedule's burning hours are a dot product of its weekly power levels
(:func:`sobriete.schedule.weekly_levels`) with the minutes of the year the sun is below its
threshold, per local minute of the week (:func:`dark_minutes_of_week`, computed once per site and
checked equal to :func:`sobriete.lighting.burning_hours`); :func:`breach_schedule` and
:func:`breach_hours` give the same through the lighting engine itself.
"""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from .lighting import DEFAULT_TZ, BurningHours, burning_hours
from .schedule import MINUTES_PER_WEEK, Schedule, Window, weekly_levels
from .sun import MINUTES_PER_DAY, MINUTES_PER_HOUR, SECONDS_PER_MINUTE, crossings, epoch_minutes


def allowed_minutes(start_min: float, end_min: float, days: Iterable[int] = range(7), *, lag_h: float,
                    lead_h: float, earliest_h: float) -> np.ndarray:
    """Minutes of the local week (Monday 00:00 = 0) when lighting linked to an activity may be on.

    On each activity day the lighting may be on from ``min(earliest_h, start - lead_h)`` until
    ``end + lag_h``; an end before the start runs past midnight. Every other minute is
    forbidden (on days without activity: all night).

    Parameters
    ----------
    start_min, end_min : float
        Start and end of the activity [minutes after local midnight].
    days : iterable of int
        Activity days (Monday = 0).
    lag_h, lead_h, earliest_h : float, keyword-only
        Hours allowed after the end [h], before the start [h], and the clock hour from which
        lighting may come back on [h after midnight] (art. 2: 1, 1 and 7 for a) lighting).

    Returns
    -------
    ndarray of bool, shape (10080,)

    Examples
    --------
    Activity 08:00-18:00 every day: allowed 07:00-19:00, forbidden 19:00-07:00.

    >>> ok = allowed_minutes(8 * 60, 18 * 60, lag_h=1, lead_h=1, earliest_h=7)
    >>> bool(ok[7 * 60]), bool(ok[18 * 60 + 59]), bool(ok[19 * 60]), bool(ok[6 * 60 + 59])
    (True, True, False, False)
    """
    hour = float(MINUTES_PER_HOUR)
    end = end_min if end_min > start_min else end_min + MINUTES_PER_DAY
    on = int(round(min(earliest_h * hour, start_min - lead_h * hour)))
    off = int(round(end + lag_h * hour))
    allowed = np.zeros(MINUTES_PER_WEEK, dtype=bool)
    span = np.arange(on, off)
    for day in days:
        allowed[(day * MINUTES_PER_DAY + span) % MINUTES_PER_WEEK] = True
    return allowed


_DAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _clock(minute: int) -> str:
    return f"{minute // MINUTES_PER_HOUR:02d}:{minute % MINUTES_PER_HOUR:02d}"


def breach_schedule(schedule: Schedule, allowed: np.ndarray) -> Schedule | None:
    """The part of ``schedule`` that lights outside the ``allowed`` minutes, as a schedule of its
    own (same sun threshold and dimming), or None when there is none.

    Its burning hours are the hours lit in breach; its full-power hours × power, the energy a
    schedule switching off at the allowed times would save.

    Examples
    --------
    >>> s = Schedule(id="s", threshold_deg=None, hours=[{"start": "18:00", "end": "00:30"}])
    >>> ok = allowed_minutes(8 * 60, 23 * 60, lag_h=1, lead_h=1, earliest_h=7)
    >>> [w.label() for w in breach_schedule(s, ok).hours][:2]
    ['00:00-00:30', '00:00-00:30']
    """
    breach = (weekly_levels(schedule) > 0) & ~allowed
    if not breach.any():
        return None
    windows = []
    by_day = breach.reshape(7, MINUTES_PER_DAY)
    for day in range(7):
        edges = np.diff(np.r_[0, by_day[day].astype(np.int8), 0])
        for start, end in zip(np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)):
            windows.append(Window(start=_clock(int(start)), end=_clock(int(end)), days=[_DAY_NAMES[day]]))
    return Schedule(id=f"{schedule.id}/breach", label=schedule.label, threshold_deg=schedule.threshold_deg,
                    dimming=schedule.dimming, hours=windows)


def breach_hours(schedules: list[Schedule | None], latitude_deg, longitude_deg, year: int, *,
                 tz: str = DEFAULT_TZ) -> BurningHours:
    """Burning hours of breach schedules (:func:`breach_schedule`) at sites; None counts 0 h.

    Parameters
    ----------
    schedules : list of Schedule or None
        One per site.
    latitude_deg, longitude_deg : array_like
        Sites [deg] (ignored for schedules without sun threshold).
    year : int
    tz : str, keyword-only

    Returns
    -------
    BurningHours
        ``lit_hours`` [h/year] lit in breach, ``full_power_hours`` [h/year].
    """
    n = len(schedules)
    lat = np.broadcast_to(np.asarray(latitude_deg, dtype=float), (n,))
    lon = np.broadcast_to(np.asarray(longitude_deg, dtype=float), (n,))
    real = [i for i, s in enumerate(schedules) if s is not None]
    lit, full = np.zeros(n), np.zeros(n)
    monthly_lit, monthly_full = np.zeros((n, 12)), np.zeros((n, 12))
    if real:
        unique: dict[int, int] = {}
        items: list[Schedule] = []
        codes = []
        for i in real:
            key = id(schedules[i])
            if key not in unique:
                unique[key] = len(items)
                items.append(schedules[i])
            codes.append(unique[key])
        hours = burning_hours(np.nan_to_num(lat[real]), np.nan_to_num(lon[real]), year, schedules=items,
                              schedule_index=np.asarray(codes), tz=tz)
        lit[real], full[real] = hours.lit_hours, hours.full_power_hours
        monthly_lit[real], monthly_full[real] = hours.monthly_lit_hours, hours.monthly_full_power_hours
    return BurningHours(int(year), lit, full, monthly_lit, monthly_full)


def dark_minutes_of_week(latitude_deg, longitude_deg, year: int, *, threshold_deg: float | None,
                         tz: str = DEFAULT_TZ) -> np.ndarray:
    """Minutes of the year with the sun below ``threshold_deg``, per local minute of the week.

    The burning hours of any schedule at the site are then a dot product:
    full-power hours [h] = ``D @ weekly_levels(schedule) / 60`` (lit hours with ``levels > 0``),
    the same sum :func:`sobriete.lighting.burning_hours` integrates minute by minute (a test
    checks they agree), computed once per site instead of once per schedule.

    Parameters
    ----------
    latitude_deg, longitude_deg : array_like
        Sites [deg].
    year : int
        Calendar year (local time; 23 h and 25 h days of daylight saving included).
    threshold_deg : float or None, keyword-only
        Sun elevation below which it is dark [deg]; None: every minute counts.
    tz : str, keyword-only
        IANA time zone whose offsets change on whole hours (Europe/Paris does).

    Returns
    -------
    ndarray, shape (n_sites, 10080)
        [min]: elapsed minutes of the year, partly dark minutes counted by their dark fraction.

    Examples
    --------
    >>> d = dark_minutes_of_week(50.35, 3.45, 2025, threshold_deg=None)
    >>> float(d.sum()) / 60   # hours in 2025
    8760.0
    """
    return _dark_minutes(latitude_deg, longitude_deg, threshold_deg, _year_week(year, tz))


def _year_week(year: int, tz: str) -> tuple:
    """The local year as elapsed minutes: UTC start [epoch min], local midnights [elapsed min],
    and the pieces between daylight-saving transitions with their shift onto the local week."""
    days = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="D")
    midnights = epoch_minutes(days.tz_localize(tz, nonexistent="shift_forward", ambiguous=False))
    start = midnights[0]
    elapsed = midnights - start
    n_hours = int(round(elapsed[-1])) // MINUTES_PER_HOUR
    utc_hours = pd.to_datetime(np.round(start + MINUTES_PER_HOUR * np.arange(n_hours)).astype("int64"), unit="m",
                               utc=True)
    local_hour = utc_hours.tz_convert(tz).tz_localize(None).as_unit("s").asi8 // SECONDS_PER_MINUTE
    # local minute = local_hour[0] + elapsed + shift, the shift changing at the daylight-saving transitions
    shift = local_hour - local_hour[0] - MINUTES_PER_HOUR * np.arange(n_hours)
    change = np.flatnonzero(np.diff(shift)) + 1
    bounds = np.r_[0.0, MINUTES_PER_HOUR * change, MINUTES_PER_HOUR * n_hours].astype(float)
    shifts = shift[np.r_[0, change]].astype(float)
    # 1970-01-05 was a Monday: minute of the week 0 is Monday 00:00 local
    origin = float(local_hour[0] - 4 * MINUTES_PER_DAY)
    return start, elapsed, n_hours, bounds, shifts + origin


def _dark_minutes(latitude_deg, longitude_deg, threshold_deg: float | None, week: tuple) -> np.ndarray:
    """:func:`dark_minutes_of_week` on a :func:`_year_week` grid computed once."""
    start, elapsed, n_hours, bounds, shifts = week
    lat = np.atleast_1d(np.asarray(latitude_deg, dtype=float))
    lon = np.broadcast_to(np.atleast_1d(np.asarray(longitude_deg, dtype=float)), lat.shape)
    if threshold_deg is None:
        begin, end = np.zeros((len(lat), 1)), np.full((len(lat), 1), float(MINUTES_PER_HOUR * n_hours))
    else:
        day_start, day_end = elapsed[:-1], elapsed[1:]
        rise, sets = crossings(start + day_start[None, :], lat[:, None], lon[:, None], elevation_deg=threshold_deg)
        rise = np.clip(rise - start, day_start, day_end)
        sets = np.clip(sets - start, rise, day_end)
        begin = np.concatenate([np.broadcast_to(day_start, rise.shape), sets], axis=1)   # dark [begin, end)
        end = np.concatenate([rise, np.broadcast_to(day_end, rise.shape)], axis=1)
    out = np.empty((len(lat), MINUTES_PER_WEEK))
    for site in range(len(lat)):
        pieces_begin, pieces_end, whole_weeks = [], [], 0.0
        for k in range(len(shifts)):       # cut at the transitions, move each piece onto the week
            lo, hi = np.maximum(begin[site], bounds[k]), np.minimum(end[site], bounds[k + 1])
            keep = hi > lo
            weeks = np.floor((hi - lo)[keep] / MINUTES_PER_WEEK)
            whole_weeks += weeks.sum()
            week_start = np.mod(lo[keep] + shifts[k], MINUTES_PER_WEEK)
            week_end = week_start + (hi - lo)[keep] - weeks * MINUTES_PER_WEEK
            wraps = week_end > MINUTES_PER_WEEK
            pieces_begin += [week_start, np.zeros(int(wraps.sum()))]
            pieces_end += [np.minimum(week_end, MINUTES_PER_WEEK), week_end[wraps] - MINUTES_PER_WEEK]
        out[site] = whole_weeks + _coverage(np.concatenate(pieces_begin), np.concatenate(pieces_end), MINUTES_PER_WEEK)
    return out


def _coverage(begin: np.ndarray, end: np.ndarray, n_minutes: int) -> np.ndarray:
    """Sum over the intervals [begin, end) (within [0, n_minutes)) of their overlap with each
    minute [m, m + 1) [min]."""
    size = n_minutes + 1
    first_full = np.ceil(begin)
    last_full = np.maximum(np.floor(end), first_full)
    steps = np.bincount(first_full.astype(np.int64), minlength=size) - np.bincount(last_full.astype(np.int64),
                                                                                  minlength=size)
    covered = np.cumsum(steps[:n_minutes]).astype(float)
    head = np.floor(begin)
    partial = head < first_full
    covered += np.bincount(head[partial].astype(np.int64), (np.minimum(first_full, end) - begin)[partial],
                           minlength=size)[:n_minutes]
    tail = np.floor(end)
    partial = (end > tail) & (tail >= first_full)
    covered += np.bincount(tail[partial].astype(np.int64), (end - tail)[partial], minlength=size)[:n_minutes]
    return covered
