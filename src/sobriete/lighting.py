"""Public lighting: burning hours from the sky, energy, footprint and cost of luminaires.

Burning hours are computed once per (site, schedule, year) from the sun's daily crossings of
the schedule's threshold elevation (exact instants, :mod:`sobriete.sun`) and the schedule's
power level for each minute of the local week (:mod:`sobriete.schedule`), in local time with
daylight saving; then broadcast to the luminaires. Energy = system power × full-power-equivalent
hours; use-phase impacts = energy × the electricity factor for public lighting of the zone and
year; embodied impacts of luminaires amortised over their lifetime where the catalog has them.

References
----------
ADEME, Base Carbone V23.6: "Électricité - usage : Éclairage public" (méthode saisonnalisée).
VITO for the European Commission, Ecodesign Lot 9 "Public street lighting", 2007: luminaire
lifetime 30 years. Lumhouse; CELMA (via preforled.fr): control-gear losses.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .equipment import _keys_frame, _lookup, _Rejections, embodied_share, group_codes, in_service_fraction
from .errors import InputFormatError, UnknownNameError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .schedule import DEFAULT_SCHEDULE_ID, MINUTES_PER_WEEK, Schedule, default_schedule, weekly_levels
from .sun import MINUTES_PER_DAY, crossings, epoch_minutes
from .schema import DEFAULT_ZONE, LIGHTING_TECHNOLOGY_ALIASES, LUMINAIRE_COLUMNS, POWER_ENERGY_SUFFIX_UNITS  # noqa: F401
from .units import conversion_factor
from .notices import Notice

DEFAULT_TZ = "Europe/Paris"
#: Electricity usage of the catalog used for public lighting (ADEME "Éclairage public").
ELECTRICITY_USAGE = "public_lighting"
#: Coordinates are rounded to this many decimals [deg] to share burning-hour computations
#: between nearby luminaires (0.01° of longitude shifts sunset by 2.4 s).
SITE_DECIMALS = 2
_MONTHS = 12


# --------------------------------------------------------------------------- burning hours
@dataclass(frozen=True)
class BurningHours:
    """Burning hours of (site, schedule) pairs for one year.

    Attributes
    ----------
    lit_hours : ndarray, shape (n,)
        Hours with the lamps on, at any level [h].
    full_power_hours : ndarray, shape (n,)
        Full-power-equivalent hours: ∫ level dt [h] (equal to ``lit_hours`` without dimming).
    monthly_lit_hours, monthly_full_power_hours : ndarray, shape (n, 12)
        The same split by local calendar month [h].
    """

    year: int
    lit_hours: np.ndarray
    full_power_hours: np.ndarray
    monthly_lit_hours: np.ndarray
    monthly_full_power_hours: np.ndarray

    def to_frame(self) -> pd.DataFrame:
        """One row per pair: ``lit_hours``, ``full_power_hours`` and ``fph_01..fph_12``."""
        frame = pd.DataFrame({"lit_hours": self.lit_hours, "full_power_hours": self.full_power_hours})
        for m in range(_MONTHS):
            frame[f"fph_{m + 1:02d}"] = self.monthly_full_power_hours[:, m]
        return frame


def _year_grid(year: int, tz: str):
    """Local midnights of the year [minutes from the first], and the local minute-of-week and
    month of each elapsed minute (daylight saving: 23 h and 25 h days included)."""
    days = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="D")
    midnights = epoch_minutes(days.tz_localize(tz, nonexistent="shift_forward", ambiguous=False))
    start = midnights[0]
    total = int(round(midnights[-1] - start))
    ns_per_minute = pd.Timedelta(minutes=1).value
    instants = pd.to_datetime((start + np.arange(total)).astype("int64") * ns_per_minute, utc=True)
    local_min = instants.tz_convert(tz).tz_localize(None).as_unit("ns").asi8 // ns_per_minute
    # 1970-01-05 was a Monday: minute-of-week 0 is Monday 00:00 local.
    minute_of_week = (local_min - 4 * MINUTES_PER_DAY) % MINUTES_PER_WEEK
    month_starts = np.flatnonzero(np.r_[True, np.diff(days[:-1].month) != 0])
    return start, midnights - start, minute_of_week, month_starts


def burning_hours(latitude_deg, longitude_deg, year: int, *, schedules: Schedule | Sequence[Schedule] | None = None,
                  schedule_index=None, tz: str = DEFAULT_TZ) -> BurningHours:
    """Annual and monthly burning hours of lighting circuits at sites, under schedules.

    Parameters
    ----------
    latitude_deg, longitude_deg : numeric
        Sites [deg] (scalars or arrays of the same length).
    year : int
        Calendar year (local time).
    schedules : Schedule or sequence of Schedule, keyword-only
        Default: dusk to dawn at -0.833°.
    schedule_index : array of int, keyword-only
        Position in ``schedules`` of each site's schedule (default 0).
    tz : str, keyword-only
        IANA time zone of the schedules' clock times.

    Returns
    -------
    BurningHours

    Notes
    -----
    For each local day d with midnights M_d, M_{d+1} and the sun's crossings of the threshold
    R_d (morning) and S_d (evening), the lamps may be on over [M_d, R_d] and [S_d, M_{d+1}];
    full-power hours are ``C(R_d) - C(M_d) + C(M_{d+1}) - C(S_d)`` where C is the running
    integral of the schedule's level over elapsed minutes (exact: the level is constant within
    a minute). Schedules without threshold are on whenever their fixed hours allow.

    Examples
    --------
    >>> h = burning_hours(50.35, 3.45, 2025)
    >>> round(float(h.full_power_hours[0]))  # dusk to dawn in the Nord: ADEME's 3,500-4,300 h range
    4283
    """
    if schedules is None:
        schedules = [default_schedule()]
    elif isinstance(schedules, Schedule):
        schedules = [schedules]
    lat, lon, codes = np.broadcast_arrays(np.atleast_1d(np.asarray(latitude_deg, dtype=float)),
                                          np.atleast_1d(np.asarray(longitude_deg, dtype=float)),
                                          np.atleast_1d(np.asarray(0 if schedule_index is None else schedule_index,
                                                                   dtype=np.int64)))
    start, midnights, minute_of_week, month_starts = _year_grid(int(year), tz)
    n_days = len(midnights) - 1
    grid = np.arange(len(minute_of_week) + 1, dtype=float)
    monthly_full = np.zeros((len(lat), _MONTHS))
    monthly_lit = np.zeros((len(lat), _MONTHS))
    day_start, day_end = midnights[:-1], midnights[1:]
    for s in np.unique(codes):
        rows = np.flatnonzero(codes == s)
        schedule = schedules[int(s)]
        level = weekly_levels(schedule)[minute_of_week]
        if schedule.threshold_deg is None:
            rise = np.broadcast_to(day_start, (len(rows), n_days))
            sets = rise
        else:
            rise, sets = crossings(start + day_start[None, :], lat[rows, None], lon[rows, None],
                                   elevation_deg=schedule.threshold_deg)
            rise = np.clip(rise - start, day_start, day_end)
            sets = np.clip(sets - start, rise, day_end)
        for values, out in ((level, monthly_full), (level > 0, monthly_lit)):
            cumulative = np.r_[0.0, np.cumsum(values, dtype=float)]
            at = np.interp
            per_day = (at(rise, grid, cumulative) - cumulative[day_start.astype(int)]
                       + cumulative[day_end.astype(int)] - at(sets, grid, cumulative))
            out[rows] = np.add.reduceat(per_day, month_starts, axis=1) / 60.0
    return BurningHours(int(year), monthly_lit.sum(axis=1), monthly_full.sum(axis=1), monthly_lit, monthly_full)


# --------------------------------------------------------------------------- inventory
def normalise_technology(values: pd.Series) -> pd.Series:
    """Canonical technology ids from inventory spellings (unknown ones are kept as written).

    Examples
    --------
    >>> normalise_technology(pd.Series(["SHP", "Iodures métalliques", "LED", "xenon"])).tolist()
    ['hps', 'metal_halide', 'led', 'xenon']
    """
    def key(text):
        if not isinstance(text, str):
            return text
        plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
        plain = " ".join(plain.lower().replace("_", " ").replace("-", " ").split())
        return LIGHTING_TECHNOLOGY_ALIASES.get(plain, text.strip())

    uniques = pd.unique(values.astype(object))
    mapping = {u: key(u) for u in uniques}
    return values.astype(object).map(mapping)


def _numbers(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """float64 values (French decimal commas accepted) and a mask of given-but-not-number cells."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(series), dtype=bool)
    text = series.astype("string").str.strip().str.replace("\u00a0", "", regex=False) \
        .str.replace(" ", "", regex=False).str.replace(",", ".", regex=False)
    values = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    given = text.fillna("").ne("").to_numpy(dtype=bool)
    return values, given & np.isnan(values)


@dataclass(frozen=True)
class Luminaires:
    """A validated luminaire inventory as integer codes and float arrays (kept rows only).

    Built once by :func:`prepare_luminaires`; scenarios change the arrays and re-evaluate.
    Powers are in W, coordinates in degrees, years as numbers.
    """

    index: pd.Index
    group: np.ndarray
    keys: pd.DataFrame
    count: np.ndarray
    technology: np.ndarray
    lamp_power_w: np.ndarray
    gear_loss: np.ndarray
    installation_year: np.ndarray
    site: np.ndarray
    site_latitude_deg: np.ndarray
    site_longitude_deg: np.ndarray
    schedule: np.ndarray
    schedules: tuple[Schedule, ...]
    zone: np.ndarray
    technologies: pd.Index
    technology_gear_loss: np.ndarray
    by: tuple[str, ...]
    quality: DataQuality = field(default_factory=DataQuality)

    @property
    def system_power_w(self) -> np.ndarray:
        """Power drawn per luminaire, gear included [W]: ``lamp_power_w × (1 + gear_loss)``."""
        return self.lamp_power_w * (1.0 + self.gear_loss)


def _power_column(frame: pd.DataFrame) -> pd.DataFrame:
    """``lamp_power_<unit>`` (kW, MW...) converted to ``lamp_power_w`` with pint."""
    for column in list(frame.columns):
        name = str(column)
        if name.startswith("lamp_power_") and name != "lamp_power_w":
            if "lamp_power_w" in frame.columns:
                raise InputFormatError(f"both 'lamp_power_w' and '{name}' are given; keep one", column=name,
                                       code="both_columns", first="lamp_power_w", second=name)
            suffix = name.removeprefix("lamp_power_")
            factor = conversion_factor(POWER_ENERGY_SUFFIX_UNITS.get(suffix.lower(), suffix), "W", column=name)
            values, _ = _numbers(frame[name])
            return frame.drop(columns=name).assign(lamp_power_w=values * factor)
    return frame


def prepare_luminaires(frame: pd.DataFrame, *, catalog: FactorCatalog, schedules: Mapping[str, Schedule] | None = None,
                       by: Iterable[str] | str | None = ("za",),
                       default_location: tuple[float, float] | None = None) -> Luminaires:
    """Validate a luminaire inventory and code it for the engine.

    Parameters
    ----------
    frame : DataFrame
        Canonical columns (:data:`LUMINAIRE_COLUMNS`); ``technology`` and ``lamp_power_w``
        (or ``lamp_power_kw``...) are required. A ``_file`` column names each row's file in
        rejections; index labels are reported as row numbers.
    catalog : FactorCatalog, keyword-only
    schedules : mapping of id to Schedule, keyword-only
        The schedules the ``schedule`` column may name (the default schedule is always known).
    by : str or list of str, keyword-only
        Grouping keys (default ``za``).
    default_location : (latitude, longitude), keyword-only
        Used for rows whose ZA has no coordinates at all.

    Returns
    -------
    Luminaires
        Rows with a bad value are left out and listed, with their reason, in ``quality``.
    """
    by = (by,) if isinstance(by, str) else tuple(by or ())
    frame = _power_column(frame)
    for required in ("technology", "lamp_power_w"):
        if required not in frame.columns:
            raise InputFormatError(f"the luminaire inventory has no '{required}' column; canonical columns: "
                                   + ", ".join(LUMINAIRE_COLUMNS), column=required,
                                   code="missing_column", table="luminaire inventory", missing=required,
                                   columns=list(LUMINAIRE_COLUMNS))
    missing = [k for k in by if k not in frame.columns]
    if missing:
        raise UnknownNameError("grouping column", missing[0], frame.columns)
    known = dict(schedules or {})
    known.setdefault(DEFAULT_SCHEDULE_ID, default_schedule())
    schedule_ids = pd.Index(list(known))
    tech_table = catalog.table("lighting_technologies")
    technologies = pd.Index(sorted(set(tech_table["technology"])), name="technology")
    n = len(frame)
    files = frame["_file"].astype(object).to_numpy() if "_file" in frame.columns else None
    rejections = _Rejections(frame.index, files, [])
    bad = np.zeros(n, dtype=bool)
    positions = np.arange(n)

    def reject(mask, column, code, reason, values):
        nonlocal bad
        mask = np.asarray(mask, dtype=bool) & ~bad
        if mask.any():
            rejections.add(positions[mask], column, code, reason, np.asarray(values, dtype=object)[mask])
            bad |= mask

    def raw(column):
        return frame[column].to_numpy(dtype=object)

    def number(column, default, *, low=0.0, high=np.inf, code, reason):
        if column not in frame.columns:
            return np.full(n, default, dtype=float)
        values, not_number = _numbers(frame[column])
        reject(not_number | (values < low) | (values > high), column, code, reason, raw(column))
        return np.where(np.isnan(values), default, values)

    tech_names = normalise_technology(frame["technology"])
    tech = _lookup(tech_names, technologies)
    reject(tech_names.isna().to_numpy(), "technology", "missing_technology", "technology is missing", raw("technology"))
    reject(tech < 0, "technology", "unknown_technology",
           f"unknown technology (known: {', '.join(technologies)})", raw("technology"))
    count = number("count", 1.0, code="bad_count", reason="count must be a number ≥ 0")
    power = number("lamp_power_w", np.nan, code="bad_power", reason="lamp power must be a number ≥ 0 [W]")
    reject(np.isnan(power), "lamp_power_w", "missing_power", "lamp power is missing", raw("lamp_power_w"))
    gear_by_technology = _parameter(tech_table, technologies, "gear_loss")
    default_gear = gear_by_technology[np.clip(tech, 0, None)]
    gear = number("gear_loss", np.nan, high=1.0, code="bad_gear_loss",
                  reason="gear_loss is a share between 0 and 1 (0.15 for 15 %)")
    gear = np.where(np.isnan(gear), default_gear, gear)
    installed = number("installation_year", np.nan, low=1900, high=2100, code="bad_installation_year",
                       reason="installation year must be a year between 1900 and 2100")

    lat = number("latitude", np.nan, low=-90, high=90, code="bad_latitude", reason="latitude must be in [-90, 90]")
    lon = number("longitude", np.nan, low=-180, high=180, code="bad_longitude",
                 reason="longitude must be in [-180, 180]")
    if "za" in frame.columns:  # a row without coordinates takes its ZA's (mean of its rows')
        za = frame["za"].astype(object).fillna("")
        lat = np.where(np.isnan(lat), pd.Series(lat).groupby(za.to_numpy()).transform("mean").to_numpy(), lat)
        lon = np.where(np.isnan(lon), pd.Series(lon).groupby(za.to_numpy()).transform("mean").to_numpy(), lon)
    if default_location is not None:
        lat = np.where(np.isnan(lat), default_location[0], lat)
        lon = np.where(np.isnan(lon), default_location[1], lon)
    reject(np.isnan(lat) | np.isnan(lon), "latitude", "missing_location",
           "no coordinates for the row nor its ZA (give latitude/longitude)", np.full(n, None))

    if "schedule" in frame.columns:
        sched_series = frame["schedule"].astype(object)
        sched = np.where(sched_series.isna().to_numpy(), schedule_ids.get_loc(DEFAULT_SCHEDULE_ID),
                         _lookup(sched_series.fillna(DEFAULT_SCHEDULE_ID).astype(str).str.strip(), schedule_ids))
        reject(sched < 0, "schedule", "unknown_schedule",
               f"unknown schedule (known: {', '.join(schedule_ids)})", raw("schedule"))
    else:
        sched = np.full(n, schedule_ids.get_loc(DEFAULT_SCHEDULE_ID))
    if "zone" in frame.columns:
        zone_series = frame["zone"].astype(object)
        zone = np.where(zone_series.isna().to_numpy(), catalog.zones.get_loc(DEFAULT_ZONE),
                        _lookup(zone_series.fillna(DEFAULT_ZONE), catalog.zones))
        reject(zone < 0, "zone", "unknown_zone", "unknown electricity zone", raw("zone"))
    else:
        zone = np.full(n, catalog.zones.get_loc(DEFAULT_ZONE) if DEFAULT_ZONE in catalog.zones else -1)

    ok = ~bad
    kept = frame.loc[ok]
    gid, uniques = group_codes(kept, by)
    present, gid = np.unique(gid, return_inverse=True)
    keys = _keys_frame(present, uniques) if by else pd.DataFrame(index=range(1))
    site_pairs = np.round(np.c_[lat[ok], lon[ok]], SITE_DECIMALS)
    sites, site = np.unique(site_pairs, axis=0, return_inverse=True) if ok.any() else (np.empty((0, 2)),
                                                                                         np.empty(0, dtype=np.int64))
    n_rejected = len(rejections.positions())
    quality = DataQuality(rows_read=n, rows_assessed=n - n_rejected, rows_rejected=n_rejected,
                          rejected=rejections.frame())
    return Luminaires(frame.index[ok], gid.astype(np.int64), keys.reset_index(drop=True), count[ok],
                      tech[ok].astype(np.int64), power[ok], gear[ok], installed[ok], site.reshape(-1),
                      sites[:, 0], sites[:, 1], sched[ok].astype(np.int64),
                      tuple(known[s] for s in schedule_ids), zone[ok].astype(np.int64), technologies,
                      gear_by_technology, by, quality)


def _parameter(table: pd.DataFrame, technologies: pd.Index, parameter: str) -> np.ndarray:
    rows = table[table["parameter"] == parameter]
    out = np.full(len(technologies), np.nan)
    out[technologies.get_indexer(rows["technology"])] = rows["value"].to_numpy(float)
    return out


# --------------------------------------------------------------------------- factors
def lighting_grid(catalog: FactorCatalog, year: int, zones: Iterable[int]) -> tuple[np.ndarray, list[str]]:
    """Electricity impact per kWh [criterion unit/kWh] by zone code for public lighting.

    The catalog's ``public_lighting`` usage (ADEME Base Carbone "Éclairage public") where it
    has a factor for the zone, the average ``mix`` otherwise; each fallback is a warning.

    Parameters
    ----------
    catalog : FactorCatalog
        Its ``electricity`` table.
    year : int
        Assessed calendar year.
    zones : iterable of int
        Zone codes (positions in ``catalog.zones``) that are used.

    Returns
    -------
    values : ndarray
        ``[zone, criterion]`` [criterion unit/kWh]; NaN where neither usage has a factor
        (counted as uncovered by the caller, never 0).
    warnings : list of Notice
        One per fallback to the average mix or to another year.

    Raises
    ------
    UnknownZoneYearError
        If a used zone has no factor at all for ``year``.
    """
    zones = sorted(set(int(z) for z in zones))
    mix = catalog.grid(year)
    warnings = []
    try:
        usage = catalog.grid(year, usage=ELECTRICITY_USAGE)
    except UnknownNameError:
        usage = None
    values = mix.values.copy()
    for z in zones:
        name = catalog.zones[z]
        has = (usage.source_year[z] != -1) if usage is not None else np.zeros(len(catalog.criteria), bool)
        if has.any():
            # per criterion: the public-lighting factor where published, the average mix otherwise
            values[z] = np.where(has, usage.values[z], mix.values[z])
            warnings += usage.warnings([name])
            missing = [c for c, h in zip(catalog.criteria, has) if not h]
            if missing:
                catalog.require_grid(mix, [name])
                warnings.append(Notice("lighting_mix_for", f"electricity {name}: no '{ELECTRICITY_USAGE}' factor "
                                       f"for {', '.join(missing)}, the average mix is used", zone=name,
                                       criteria=", ".join(missing)))
        else:
            catalog.require_grid(mix, [name])
            warnings.append(Notice("lighting_mix", f"electricity {name}: no '{ELECTRICITY_USAGE}' factor, the "
                                   "average mix is used", zone=name))
            warnings += mix.warnings([name])
    return values, warnings


def _energy_price(catalog: FactorCatalog, price: float | None) -> tuple[float, list[str]]:
    if price is not None:
        return float(price), []
    table = catalog.table("lighting_parameters")
    row = table[table["parameter"] == "energy_price"]
    if row.empty:
        return float("nan"), [Notice("price_missing", "no energy price given nor in the catalog: costs are not "
                                     "computed")]
    value = float(row["value"].iloc[0])
    source = row["source_id"].iloc[0]
    return value, [Notice("price_default", f"energy price: catalog default {value:.3f} EUR/kWh ({source}); give "
                          "your contract price for a real budget", price=f"{value:.3f}".replace(".", ","),
                          source=source)]


# --------------------------------------------------------------------------- assessment
@dataclass(frozen=True)
class LightingResult:
    """A lighting assessment: the footprint, a per-group summary and the burning hours."""

    footprint: Footprint
    summary: pd.DataFrame
    hours: pd.DataFrame


def evaluate_luminaires(lum: Luminaires, year: int, *, catalog: FactorCatalog,
                        energy_price_eur_per_kwh: float | None = None, allocation: str = "amortised",
                        tz: str = DEFAULT_TZ) -> LightingResult:
    """Energy, footprint and cost of prepared luminaires for one year (see :func:`assess_lighting`).

    Parameters
    ----------
    lum : Luminaires
        From :func:`prepare_luminaires` (prepared once, evaluated for many years or scenarios).
    year : int
        Assessed calendar year.
    catalog : FactorCatalog, keyword-only
        The catalog ``lum`` was prepared with.
    energy_price_eur_per_kwh : float, keyword-only
        Electricity price [EUR/kWh]; default from the catalog's ``lighting_parameters``.
    allocation : {'amortised', 'at_purchase'}, keyword-only
        Allocation of embodied impacts (see :func:`sobriete.equipment.embodied_share`).
    tz : str, keyword-only
        Time zone of the schedules.

    Returns
    -------
    LightingResult
        ``footprint``; ``summary`` per group (``energy_kwh`` [kWh], ``cost_eur`` [EUR],
        ``<criterion>_<phase>`` and ``<criterion>_total`` in criterion units...); ``hours``
        per (site, schedule) [h].
    """
    n_crit = len(catalog.criteria)
    n_groups = len(lum.keys)
    pair_code = lum.site * len(lum.schedules) + lum.schedule
    pairs, pair = np.unique(pair_code, return_inverse=True)
    pair_site, pair_schedule = pairs // len(lum.schedules), pairs % len(lum.schedules)
    hours = burning_hours(lum.site_latitude_deg[pair_site], lum.site_longitude_deg[pair_site], year,
                          schedules=lum.schedules, schedule_index=pair_schedule, tz=tz)
    service = in_service_fraction(int(year), lum.installation_year)
    power_w = lum.count * lum.system_power_w
    kwh = power_w * hours.full_power_hours[pair] * service * conversion_factor("W*h", "kWh")

    zones = catalog.zones
    grid, warnings = lighting_grid(catalog, year, np.unique(lum.zone))
    kwh_by_zone = np.bincount(lum.group * len(zones) + lum.zone, kwh, minlength=n_groups * len(zones))
    kwh_by_zone = kwh_by_zone.reshape(n_groups, len(zones))
    rows_by_zone = np.bincount(lum.group * len(zones) + lum.zone, kwh > 0, minlength=n_groups * len(zones))
    values = np.zeros((n_groups, n_crit, len(PHASES)))
    uncovered = np.zeros_like(values)
    use = PHASES.index("use")
    values[:, :, use] = kwh_by_zone @ np.nan_to_num(grid)
    uncovered[:, :, use] = rows_by_zone.reshape(n_groups, len(zones)) @ np.isnan(grid).astype(float)

    impacts = _embodied_matrix(catalog, lum.technologies)  # (tech, crit, 3)
    lifetime = _parameter(catalog.table("lighting_technologies"), lum.technologies, "lifetime")[lum.technology]
    share = embodied_share(int(year), lum.installation_year, lifetime, allocation=allocation)
    weight = lum.count * share
    n_tech = len(lum.technologies)
    by_tech = np.bincount(lum.group * n_tech + lum.technology, weight, minlength=n_groups * n_tech)
    rows_tech = np.bincount(lum.group * n_tech + lum.technology, weight > 0, minlength=n_groups * n_tech)
    embodied_at = [PHASES.index(p) for p in EMBODIED_PHASES]
    values[:, :, embodied_at] = np.einsum("gt,tkp->gkp", by_tech.reshape(n_groups, n_tech), np.nan_to_num(impacts))
    uncovered[:, :, embodied_at] = np.einsum("gt,tkp->gkp", rows_tech.reshape(n_groups, n_tech),
                                             np.isnan(impacts).astype(float))
    if np.isnan(impacts).any() and (weight > 0).any():
        warnings.append(Notice("lighting_embodied", "embodied impacts of luminaires: no public source (PEP "
                               "ecopassport PSR-0014 data are not bundled); add lighting_impacts rows to cover them"))

    price, price_warnings = _energy_price(catalog, energy_price_eur_per_kwh)
    quality = DataQuality(lum.quality.rows_read, lum.quality.rows_assessed, lum.quality.rows_rejected,
                          lum.quality.rejected, {"luminaires": int(lum.count.sum()), "sites": len(lum.site_latitude_deg),
                                                 "site_schedule_pairs": len(pairs)},
                          tuple(dict.fromkeys(warnings + price_warnings)))
    energy = kwh_by_zone.sum(axis=1)
    footprint = Footprint(values, lum.keys, catalog.criteria, tuple(catalog.criterion_units[c] for c in catalog.criteria),
                          energy, uncovered, catalog.version, catalog.hash,
                          {"domain": "lighting", "year": int(year), "allocation": allocation, "by": list(lum.by),
                           "electricity_usage": ELECTRICITY_USAGE, "energy_price_eur_per_kwh": price, "tz": tz},
                          quality, PHASES)
    summary = lum.keys.copy()
    luminaires = np.bincount(lum.group, lum.count, minlength=n_groups)
    summary["luminaires"] = luminaires.astype(np.int64) if np.all(luminaires % 1 == 0) else luminaires
    summary["system_power_kw"] = np.bincount(lum.group, power_w, minlength=n_groups) * conversion_factor("W", "kW")
    summary["energy_kwh"] = energy
    with np.errstate(invalid="ignore", divide="ignore"):
        summary["full_power_hours"] = energy / summary["system_power_kw"].to_numpy()
    summary["cost_eur"] = energy * price
    for k, criterion in enumerate(catalog.criteria):
        summary[f"{criterion}_use"] = values[:, k, use]
        summary[f"{criterion}_total"] = values[:, k, :].sum(axis=1)
    pairs_frame = pd.DataFrame({"latitude": lum.site_latitude_deg[pair_site],
                                "longitude": lum.site_longitude_deg[pair_site],
                                "schedule": [lum.schedules[s].id for s in pair_schedule]})
    return LightingResult(footprint, summary, pd.concat([pairs_frame, hours.to_frame()], axis=1))


def _embodied_matrix(catalog: FactorCatalog, technologies: pd.Index) -> np.ndarray:
    table = catalog.table("lighting_impacts")
    out = np.full((len(technologies), len(catalog.criteria), len(EMBODIED_PHASES)), np.nan)
    if not table.empty:
        out[technologies.get_indexer(table["technology"]), pd.Index(catalog.criteria).get_indexer(table["criterion"]),
            pd.Index(EMBODIED_PHASES).get_indexer(table["phase"])] = table["value"].to_numpy(float)
    return out


def assess_lighting(frame: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                    schedules: Mapping[str, Schedule] | None = None, by: Iterable[str] | str | None = ("za",),
                    energy_price_eur_per_kwh: float | None = None, allocation: str = "amortised",
                    default_location: tuple[float, float] | None = None, tz: str = DEFAULT_TZ) -> Footprint:
    """Footprint of public lighting luminaires for one calendar year.

    Parameters
    ----------
    frame : DataFrame
        Luminaire inventory (:data:`LUMINAIRE_COLUMNS`).
    year : int
        Assessed calendar year.
    catalog : FactorCatalog, keyword-only
        Default: the bundled catalog.
    schedules : mapping of id to Schedule, keyword-only
        Schedules named by the inventory's ``schedule`` column (see
        :func:`sobriete.schedule.load_schedules`).
    by : str or list of str, keyword-only
        Grouping keys (default ``za``).
    energy_price_eur_per_kwh : float, keyword-only
        Electricity price [EUR/kWh] (``meta['energy_price_eur_per_kwh']``); default from the
        catalog's ``lighting_parameters``.
    allocation : {'amortised', 'at_purchase'}, keyword-only
        Allocation of luminaires' embodied impacts (see :func:`sobriete.equipment.embodied_share`).
    default_location : (float, float), keyword-only
        (latitude [deg], longitude [deg]) for rows whose ZA has no coordinates.
    tz : str, keyword-only
        Time zone of the schedules.

    Returns
    -------
    Footprint
        ``energy_kwh`` per group; use phase with the public-lighting electricity factor;
        embodied phases ``uncovered`` unless the catalog has ``lighting_impacts``.

    Notes
    -----
    energy [kWh] = count × lamp power [W] × (1 + gear loss [1]) × full-power-equivalent
    hours [h] × share of the year in service [1], converted from W·h to kWh with pint.

    Examples
    --------
    Ten 50 W LED luminaires on a clock timer, 18:00-06:00 every night (4,380 h in 2025):

    >>> from sobriete.schedule import Schedule
    >>> timer = Schedule(id="timer", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])
    >>> za = pd.DataFrame({"za": ["A"], "count": [10], "technology": ["led"], "lamp_power_w": [50.0],
    ...                    "installation_year": [2020], "schedule": ["timer"]})
    >>> fp = assess_lighting(za, 2025, schedules={"timer": timer}, default_location=(50.35, 3.45))
    >>> float(fp.energy_kwh[0])   # 10 × 50 W × 4,380 h
    2190.0
    """
    catalog = catalog if catalog is not None else load_catalog()
    lum = prepare_luminaires(frame, catalog=catalog, schedules=schedules, by=by, default_location=default_location)
    return evaluate_luminaires(lum, year, catalog=catalog, energy_price_eur_per_kwh=energy_price_eur_per_kwh,
                               allocation=allocation, tz=tz).footprint


# --------------------------------------------------------------------------- reading
def read_luminaires(path: str | Path, *, profile: str | Path | None = None) -> pd.DataFrame:
    """Read a luminaire inventory (CSV as French offices write it, XLSX, Parquet) into canonical columns.

    A thin wrapper over :func:`sobriete.io.read_table` with the lighting domain (profile
    ``eclairage`` unless given). Rows the reader rejects (unknown technology...) are left out
    of the frame with a :class:`UserWarning`; use :func:`sobriete.io.read_table` to get them
    with their reasons.
    """
    import warnings

    from .io import read_table  # io imports this module's column dictionary

    result = read_table(path, profile=profile, domain="lighting")
    if result.rows_rejected:
        warnings.warn(f"{path}: {result.rows_rejected} row(s) rejected while reading; "
                      "sobriete.io.read_table gives them with their reasons", UserWarning, stacklevel=2)
    return result.frame
