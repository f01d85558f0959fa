"""Compliance of business-park lighting with the arrêté of 27 December 2018 on light nuisance.

Each luminaire (and each business park, *zone d'activité*) is checked against the rules of the
arrêté du 27 décembre 2018 relatif à la prévention, à la réduction et à la limitation des
nuisances lumineuses, as amended, that apply to the lighting of business parks and of the car
parks attached to them:

===================== ========================================================= ===========
rule                  what is checked                                           article
===================== ========================================================= ===========
``switch_off``        hours lit outside the allowed window around the activity  art. 2
``ulr``               upward light ratio of the luminaire < 1 %                 art. 3 II 1°
``cie_code3``         CIE flux code n° 3 > 95 %                                 art. 3 II 2°
``colour_temperature`` colour temperature ≤ 3000 K (nature reserves ≤ 2400 K)     art. 3 II 3°, 4
``dsfli``             installed flux per lit surface of the ZA                  art. 3 II 4°
``upward_globe``      more than 50 % upwards (globes), to replace by 2025       art. 8
``art5_data``         the six data the operator must hold                       art. 5
===================== ========================================================= ===========

The thresholds are data (``factors/lighting_rules.csv``), each with its article, the version
read, a ``status`` and a source. Only thresholds whose status is ``verified`` (read on
Légifrance), ``quoted`` (read as a verbatim quotation of the article) or ``assumption`` (an
interpretation, with its reasoning) decide; a ``not_verified`` threshold makes the rule
``unknown`` with the measured value beside it. Missing data make a rule ``unknown``, never
``compliant``.

The thresholds and the inputs (ZA file, compliance columns) are read by
:mod:`sobriete.compliance_rules`; the switch-off windows are in :mod:`sobriete.switch_off`. The
switch-off rule goes through the schedule engine: the minutes of the week where the
schedule lights and the rule forbids light form a schedule of their own whose burning hours
(:func:`sobriete.lighting.burning_hours`, local time with daylight saving, sun threshold of
the schedule) are the hours lit in breach per year, and whose full-power hours times the
luminaire's power are the energy a compliant schedule would save.

References
----------
Arrêté du 27 décembre 2018 relatif à la prévention, à la réduction et à la limitation des
nuisances lumineuses (NOR TREP1831126A), arts. 4 (I and II) and 5 in the version in force since
30 June 2019 (Légifrance LEGIARTI000038748380 and LEGIARTI000038748391); arts. 2, 3 and 8 as
reproduced by the sources named in ``factors/lighting_rules.csv`` (see ``factors/sources.csv``
and ``docs/legal-texts.md``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from .compliance_rules import (ART5_FIELDS, COMPLIANCE_ALIASES, COMPLIANCE_COLUMNS, DECIDING_STATUSES,  # noqa: F401
                               INSTALLATION_ALIASES, INSTALLATIONS, OUTSIDE_PROTECTED, PROTECTED_PLACES, REASONS,
                               RULE_STATUSES, RULES, SITE_ALIASES, SITE_COLUMNS, STATUSES, _RANGES, _REASON_CODES,
                               _installation_codes, _numbers, _map_headers, _rule_index, _threshold, compliance_columns, load_rules, parse_days,
                               prepare_sites,
                               read_sites, rule_table, COMPLIANT, NOT_COMPLIANT, UNKNOWN, NOT_APPLICABLE)
from .factors import FactorCatalog, load_catalog
from .footprint import DataQuality
from .kernel import RowChecker
from ._prepared import as_written, profile_headers  # noqa: F401  (as_written: used by cli.lighting)
from .lighting import DEFAULT_TZ, normalise_technology
from .notices import Notice
from .schedule import MINUTES_PER_WEEK, Schedule, default_schedule, weekly_levels
from .sun import MINUTES_PER_DAY
from .schema import DEFAULT_SCHEDULE_ID, normalise_names
from .switch_off import (_dark_minutes, _year_week, allowed_minutes, breach_hours, breach_schedule,  # noqa: F401
                         dark_minutes_of_week)
from .units import conversion_factor

# --------------------------------------------------------------------------- the check
@dataclass(frozen=True)
class ComplianceResult:
    """Compliance of luminaires and business parks, rule by rule.

    Attributes
    ----------
    luminaires : DataFrame
        One row per assessed inventory row (index: the input's row labels): ``za``,
        ``luminaire_id``, ``count``, ``installation``, ``schedule``; per rule
        ``<rule>_status`` (:data:`STATUSES`), ``<rule>_value`` (measured, in the rule's unit)
        and ``<rule>_reason`` (:data:`REASONS` code); ``art5_missing``; ``breach_lit_hours``
        [h/year] lit outside the allowed window; ``energy_saved_kwh`` [kWh/year] a compliant
        schedule would save (NaN when the power is unknown); ``overall_status``.
    zas : DataFrame
        One row per ZA: site attributes and ``dsfli_lm_per_m2`` [lm/m²].
    rules : DataFrame
        :func:`rule_table`: article, threshold, verification status, ``decides``.
    year : int
        Year of the burning hours.
    quality : DataQuality
        Rows read = assessed + rejected (bad values of the compliance columns).
    """

    luminaires: pd.DataFrame
    zas: pd.DataFrame
    rules: pd.DataFrame
    year: int
    quality: DataQuality = field(default_factory=DataQuality)

    @property
    def deciding_rules(self) -> tuple[str, ...]:
        """Rules whose threshold decides (the others are always ``unknown``)."""
        return tuple(self.rules.loc[self.rules["decides"], "rule"])

    def summary(self, *, total: bool = True) -> pd.DataFrame:
        """Per ZA (and a last ``(total)`` row): luminaires, for each rule the number of
        luminaires ``<rule>_<status>``, overall ``compliant``/``not_compliant``/``unknown``,
        ``share_compliant`` [1], ``energy_saved_kwh`` [kWh/year] and ``dsfli_lm_per_m2``.

        Counts are numbers of luminaires (a row's ``count``)."""
        lum = self.luminaires
        za = pd.Categorical(lum["za"].astype(object).fillna(""), categories=self.zas["za"].fillna(""))
        codes = za.codes
        n = len(self.zas)
        weight = lum["count"].to_numpy(dtype=float)
        out = pd.DataFrame({"za": self.zas["za"].to_numpy()})
        out["luminaires"] = np.bincount(codes, weight, minlength=n)
        for rule in (*RULES, "overall"):
            status = lum[f"{rule}_status"].cat.codes.to_numpy()
            counts = np.bincount(codes * 4 + status, weight, minlength=4 * n).reshape(n, 4)
            for k, name in enumerate(STATUSES):
                if rule != "overall" or name != "not_applicable":
                    out[f"{rule}_{name}" if rule != "overall" else name] = counts[:, k]
        out["energy_saved_kwh"] = np.bincount(codes, np.nan_to_num(lum["energy_saved_kwh"].to_numpy(float)),
                                              minlength=n)
        out["dsfli_lm_per_m2"] = self.zas["dsfli_lm_per_m2"].to_numpy()
        if total:
            row = out.drop(columns=["za", "dsfli_lm_per_m2"]).sum().to_frame().T
            row.insert(0, "za", "(total)")
            row["dsfli_lm_per_m2"] = np.nan
            out = pd.concat([out, row], ignore_index=True)
        with np.errstate(invalid="ignore", divide="ignore"):
            out["share_compliant"] = out["compliant"] / out["luminaires"]
        return out

    def share_compliant(self, by: str | None = None) -> float | pd.Series:
        """Share of luminaires compliant with every deciding rule [1] (see :func:`share_compliant`)."""
        return share_compliant(self, by=by)

    def to_long(self) -> pd.DataFrame:
        """One line per luminaire row and rule: ``row``, ``za``, ``luminaire_id``, ``rule``,
        ``article``, ``status``, ``value``, ``unit``, ``threshold``, ``reason``."""
        lum = self.luminaires
        rules = self.rules.set_index("rule")
        parts = []
        for rule in RULES:
            parts.append(pd.DataFrame({
                "row": lum.index.to_numpy(), "za": lum["za"].to_numpy(), "luminaire_id": lum["luminaire_id"].to_numpy(),
                "rule": rule, "article": rules.at[rule, "article"], "status": lum[f"{rule}_status"].astype(str).to_numpy(),
                "value": lum[f"{rule}_value"].to_numpy(), "unit": _VALUE_UNITS[rule],
                "threshold": rules.at[rule, "threshold"], "reason": lum[f"{rule}_reason"].astype(str).to_numpy()}))
        return pd.concat(parts, ignore_index=True)


#: Unit of each rule's measured value.
_VALUE_UNITS = {"switch_off": "h/year", "ulr": "%", "cie_code3": "%", "colour_temperature": "K", "dsfli": "lm/m2",
                "upward_globe": "%", "art5_data": "data held"}


def share_compliant(result: ComplianceResult, by: str | None = None) -> float | pd.Series:
    """Share of luminaires compliant with every rule that decides [1]: the roadmap indicator.

    A luminaire counts as compliant when each deciding rule is ``compliant`` or
    ``not_applicable``; ``unknown`` counts as not compliant (missing data never pass).

    Parameters
    ----------
    result : ComplianceResult
    by : str, optional
        A column of ``result.luminaires`` (e.g. ``"za"``): one share per value.

    Returns
    -------
    float or Series
        Weighted by the rows' ``count``; NaN when there is no luminaire.
    """
    lum = result.luminaires
    weight = lum["count"].to_numpy(dtype=float)
    ok = (lum["overall_status"] == "compliant").to_numpy()
    if by is None:
        total = weight.sum()
        return float(weight[ok].sum() / total) if total > 0 else float("nan")
    frame = pd.DataFrame({"key": lum[by].to_numpy(), "ok": weight * ok, "all": weight})
    sums = frame.groupby("key", sort=True)[["ok", "all"]].sum()
    return (sums["ok"] / sums["all"]).rename("share_compliant")


def _codes_frame(codes: np.ndarray, names: tuple[str, ...]) -> pd.Categorical:
    return pd.Categorical.from_codes(codes.astype(np.int8), categories=list(names))


def _luminaire_rule(value: np.ndarray, passes: np.ndarray, year: np.ndarray, applies_from: float, decides: bool,
                    missing: str) -> tuple[np.ndarray, np.ndarray]:
    """Status and reason codes of a rule on luminaire values (art. 3 II prescriptions)."""
    status = np.full(len(value), UNKNOWN, dtype=np.int8)
    reason = np.full(len(value), _REASON_CODES.index(missing), dtype=np.int8)
    known = ~np.isnan(value)
    if not decides:
        reason[known] = _REASON_CODES.index("threshold_not_verified")
        return status, reason
    ok = known & passes
    fail = known & ~passes
    status[ok], reason[ok] = COMPLIANT, 0
    no_year = fail & np.isnan(year)
    status[no_year], reason[no_year] = UNKNOWN, _REASON_CODES.index("missing_year")
    before = fail & (year < applies_from)
    status[before], reason[before] = NOT_APPLICABLE, _REASON_CODES.index("before_application")
    breach = fail & (year >= applies_from)
    status[breach], reason[breach] = NOT_COMPLIANT, 0
    return status, reason


def _read_values(frame: pd.DataFrame, rejections: RowChecker) -> dict[str, np.ndarray]:
    """Numeric compliance and lighting columns, range-checked (bad rows rejected)."""
    n = len(frame)
    values = {}
    for column, (low, high) in _RANGES.items():
        if column not in frame.columns:
            values[column] = np.full(n, 1.0 if column == "count" else np.nan)
            continue
        numbers, not_number = _numbers(frame[column])
        rejections.reject(not_number, column, "not_a_number", f"{column} is not a number", frame[column])
        rejections.reject((numbers < low) | (numbers > high), column, "out_of_range",
                          f"{column} must be between {low:g} and {high:g}", frame[column])
        values[column] = numbers if column != "count" else np.where(np.isnan(numbers), 1.0, numbers)
    if "installation_date" in frame.columns:
        text = frame["installation_date"].astype("string").str.strip()
        dates = pd.to_datetime(text, dayfirst=True, errors="coerce")
        rejections.reject((text.fillna("").ne("") & dates.isna()).to_numpy(), "installation_date", "bad_date",
                          "installation_date is not a date (dd/mm/yyyy)", frame["installation_date"])
        year = dates.dt.year.to_numpy(dtype=float, na_value=np.nan)
        values["installation_date"] = year
        values["installation_year"] = np.where(np.isnan(values["installation_year"]), year, values["installation_year"])
    else:
        values["installation_date"] = np.full(n, np.nan)
    return values


def _za_sites(za_keys: pd.Series, sites: pd.DataFrame | None, lat: np.ndarray, lon: np.ndarray):
    """Per luminaire its ZA code; per ZA its site row (or NaN attributes) and coordinates."""
    codes, names = pd.factorize(za_keys.fillna(""), sort=True)
    n_za = len(names)
    table = pd.DataFrame({"za_key": names})
    if sites is not None and len(sites):
        table = table.merge(sites.drop(columns=["za"]), on="za_key", how="left")
    for column, default in (("activity_start_min", np.nan), ("activity_end_min", np.nan), ("installation", -1),
                            ("built_up", np.nan), ("protected", np.nan), ("lit_area_m2", np.nan),
                            ("latitude", np.nan), ("longitude", np.nan), ("site_id", None)):
        if column not in table.columns:
            table[column] = default
    if "activity_days" not in table.columns:
        table["activity_days"] = [tuple(range(7))] * n_za
    table["activity_days"] = [d if isinstance(d, tuple) else tuple(range(7)) for d in table["activity_days"]]
    table["installation"] = table["installation"].fillna(-1).astype(np.int64)
    for column, values in (("latitude", lat), ("longitude", lon)):
        given = ~np.isnan(values)
        sums = np.bincount(codes[given], values[given], minlength=n_za)
        counts = np.bincount(codes[given], minlength=n_za)
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = sums / counts
        table[column] = np.where(table[column].isna(), mean, table[column].to_numpy(dtype=float))
    return codes, table


def _site_notices(za_keys: pd.Series, site: pd.DataFrame, sites: pd.DataFrame | None) -> list[Notice]:
    """Say which ZAs of the inventory the sites file lacks, and which of its ZAs have no luminaire."""
    if sites is None:
        return [Notice("compliance_no_sites", "no sites file: activity hours, protection and lit surface of the ZAs "
                       "are unknown")]
    notices = []
    missing = sorted(set(site["za_key"]) - set(sites["za_key"]))
    if missing:
        names = ", ".join(str(z) for z in site.loc[site["za_key"].isin(missing), "za"])
        notices.append(Notice("compliance_za_not_in_sites", f"{len(missing)} ZA(s) of the inventory not in the sites "
                              f"file: {names}", count=len(missing), names=names))
    unused = sites.loc[~sites["za_key"].isin(set(za_keys)), "za"]
    if len(unused):
        names = ", ".join(str(z) for z in unused)
        notices.append(Notice("compliance_site_without_luminaire", f"{len(unused)} ZA(s) of the sites file without "
                              f"any luminaire: {names}", count=len(unused), names=names))
    return notices


def _switch_off(za: np.ndarray, site: pd.DataFrame, installation: np.ndarray, schedule_code: np.ndarray,
                schedules: list[Schedule], rules: Mapping[tuple, tuple[float, bool]], year: int, tz: str):
    """Status, reason, hours lit in breach [h/year] and full-power hours in breach [h/year]."""
    n = len(za)
    status = np.full(n, UNKNOWN, dtype=np.int8)
    reason = np.zeros(n, dtype=np.int8)
    lit = np.full(n, np.nan)
    full = np.full(n, np.nan)
    start = site["activity_start_min"].to_numpy(dtype=float)[za]
    end = site["activity_end_min"].to_numpy(dtype=float)[za]
    lat = site["latitude"].to_numpy(dtype=float)[za]
    car_park = INSTALLATIONS.index("car_park")
    sunset_deg, sunset_decides = _threshold(rules, "switch_off", "earliest_on_sun_elevation", "car_park")
    needs_sun = np.array([s.threshold_deg is not None for s in schedules] + [False])[schedule_code]
    needs_sun |= sunset_decides & (installation == car_park)
    checks = (("no_schedule_column", schedule_code == -2), ("unknown_schedule", schedule_code == -1),
              ("no_activity_hours", np.isnan(start) | np.isnan(end)), ("no_installation", installation < 0),
              ("no_location", needs_sun & np.isnan(lat)))
    ok = np.ones(n, dtype=bool)
    for code, mask in checks:
        reason[ok & mask] = _REASON_CODES.index(code)
        ok &= ~mask
    params = {}
    for k, inst in enumerate(INSTALLATIONS):
        values = [_threshold(rules, "switch_off", p, inst) for p in ("off_after_activity_end",
                                                                     "on_before_activity_start", "earliest_morning_on")]
        params[k] = ([v for v, _ in values], all(d for _, d in values))
    undecided = ok & ~np.array([params[k][1] for k in range(len(INSTALLATIONS))] + [False])[installation]
    reason[undecided] = _REASON_CODES.index("threshold_not_verified")
    ok &= ~undecided
    if not ok.any():
        return status, reason, lit, full
    n_sched = len(schedules)
    combo = (za * len(INSTALLATIONS) + installation) * n_sched + schedule_code
    pairs, inverse = np.unique(combo[ok], return_inverse=True)
    pair_za = pairs // (n_sched * len(INSTALLATIONS))
    pair_inst = (pairs // n_sched) % len(INSTALLATIONS)
    pair_sched = pairs % n_sched
    allowed_cache: dict[tuple, np.ndarray] = {}
    breach_levels = np.empty((len(pairs), MINUTES_PER_WEEK))
    allowed_levels = np.empty((len(pairs), MINUTES_PER_WEEK))
    levels_cache: dict[int, np.ndarray] = {}
    starts, ends = site["activity_start_min"].to_numpy(float), site["activity_end_min"].to_numpy(float)
    days = site["activity_days"].to_list()
    for k, (z, inst, s) in enumerate(zip(pair_za, pair_inst, pair_sched)):
        (lag, lead, earliest), _ = params[int(inst)]
        key = (starts[z], ends[z], days[z], int(inst))
        if key not in allowed_cache:
            allowed_cache[key] = allowed_minutes(key[0], key[1], key[2], lag_h=lag, lead_h=lead, earliest_h=earliest)
        if int(s) not in levels_cache:
            levels_cache[int(s)] = weekly_levels(schedules[int(s)])
        breach_levels[k] = levels_cache[int(s)] * ~allowed_cache[key]
        allowed_levels[k] = levels_cache[int(s)] * allowed_cache[key]
    # dark minutes per (ZA, sun threshold), then hours in breach = dark minutes · levels
    thresholds = [schedules[int(s)].threshold_deg for s in pair_sched]
    dark = np.empty((len(pairs), MINUTES_PER_WEEK))
    week = _year_week(year, tz)
    for threshold in set(thresholds):
        rows = np.array([t == threshold for t in thresholds])
        zas, where = np.unique(pair_za[rows], return_inverse=True)
        minutes = _dark_minutes(site["latitude"].to_numpy(float)[zas], site["longitude"].to_numpy(float)[zas],
                                threshold, week)
        dark[rows] = minutes[where]
    minute = conversion_factor("min", "h")
    pair_lit = np.einsum("pw,pw->p", dark, breach_levels > 0) * minute
    pair_full = np.einsum("pw,pw->p", dark, breach_levels) * minute
    parks = np.flatnonzero(pair_inst == car_park) if sunset_decides else np.empty(0, dtype=np.int64)
    if len(parks):
        # car parks lit no earlier than sunset: allowed minutes of the evening (local time from
        # noon) lit while the sun is still above the sunset elevation
        zas, where = np.unique(pair_za[parks], return_inverse=True)
        sunset_dark = _dark_minutes(site["latitude"].to_numpy(float)[zas], site["longitude"].to_numpy(float)[zas],
                                    sunset_deg, week)[where]
        evening = np.tile(np.arange(MINUTES_PER_DAY) >= MINUTES_PER_DAY // 2, 7)
        daylight = np.clip(dark[parks] - sunset_dark, 0.0, None) * evening
        pair_lit[parks] += np.einsum("pw,pw->p", daylight, allowed_levels[parks] > 0) * minute
        pair_full[parks] += np.einsum("pw,pw->p", daylight, allowed_levels[parks]) * minute
    lit[ok], full[ok] = pair_lit[inverse], pair_full[inverse]
    status[ok] = np.where(lit[ok] > 1e-9, NOT_COMPLIANT, COMPLIANT)
    return status, reason, lit, full


def _system_power_w(frame: pd.DataFrame, values: Mapping[str, np.ndarray],
                    catalog: FactorCatalog | None) -> tuple[np.ndarray, list[Notice]]:
    """count × lamp power × (1 + gear loss) per row [W]; the gear loss is the row's or the
    catalog's default for its technology (as :mod:`sobriete.lighting` does); NaN where the
    technology or the power is unknown."""
    n = len(frame)
    if "technology" not in frame.columns or "lamp_power_w" not in frame.columns:
        return np.full(n, np.nan), [Notice("compliance_no_power", "no technology and lamp power: the energy a "
                                           "compliant schedule would save is not computed")]
    table = (catalog if catalog is not None else load_catalog()).table("lighting_technologies")
    gear = table[table["parameter"] == "gear_loss"].set_index("technology")["value"]
    positions, uniques = pd.factorize(frame["technology"], use_na_sentinel=True)
    per_unique = normalise_technology(pd.Series(uniques, dtype=object)).map(gear).to_numpy(dtype=float, na_value=np.nan)
    default = np.r_[per_unique, np.nan][positions]
    given = _numbers(frame["gear_loss"])[0] if "gear_loss" in frame.columns else np.full(n, np.nan)
    power = values["count"] * values["lamp_power_w"] * (1.0 + np.where(np.isnan(given), default, given))
    unknown = int(np.isnan(power).sum())
    warnings = [Notice("compliance_power_unknown", f"{unknown} luminaire row(s) without a known technology or power: "
                       "energy saving not computed for them", count=unknown)] if unknown else []
    return power, warnings


def check_lighting(frame: pd.DataFrame, sites: pd.DataFrame | None = None,
                   schedules: Mapping[str, Schedule] | None = None, *, year: int | None = None,
                   rules: pd.DataFrame | None = None, catalog: FactorCatalog | None = None,
                   tz: str = DEFAULT_TZ) -> ComplianceResult:
    """Check luminaires and business parks against the arrêté of 27 December 2018.

    Parameters
    ----------
    frame : DataFrame
        Luminaire inventory: the lighting columns (``za``, ``luminaire_id``, ``count``,
        ``technology``, ``lamp_power_w``, ``installation_year``, ``latitude``, ``longitude``,
        ``schedule``) and any :data:`COMPLIANCE_COLUMNS` (all optional: what is missing makes
        a rule ``unknown``). A ``_file`` column names each row's file in rejections.
    sites : DataFrame, optional
        From :func:`prepare_sites` / :func:`read_sites` (activity hours, installation kind,
        built-up, protected, lit surface per ZA).
    schedules : mapping of id to Schedule, optional
        Schedules named by the ``schedule`` column (the default dusk-to-dawn one is known).
    year : int, keyword-only
        Year of the burning hours (default: the current year).
    rules : DataFrame, keyword-only
        From :func:`load_rules` (default: the bundled thresholds).
    catalog : FactorCatalog, keyword-only
        For the luminaires' gear losses (energy saved); default: the bundled catalog.
    tz : str, keyword-only
        Time zone of the schedules and activity hours.

    Returns
    -------
    ComplianceResult

    Notes
    -----
    Switch-off (art. 2): the lighting may be on, each activity day, from
    ``min(07:00, start - 1 h)`` to ``end + 1 h`` (car parks: ``end + 2 h``); hours lit outside
    [h/year] come from the schedule engine (sun threshold, local time, daylight saving).
    Energy saved [kWh/year] = count × lamp power [W] × (1 + gear loss) × full-power hours
    in breach [h], converted with pint.

    Examples
    --------
    >>> from sobriete.schedule import Schedule
    >>> night = Schedule(id="night", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])
    >>> lum = pd.DataFrame({"za": ["A", "A"], "schedule": ["night", "night"], "installation": ["voirie", "voirie"],
    ...                     "ulr_percent": [0.5, 3.0], "installation_year": [2021, 2021]})
    >>> za = prepare_sites(pd.DataFrame({"za": ["A"], "activity_start": ["08:00"], "activity_end": ["18:00"]}))
    >>> result = check_lighting(lum, za, {"night": night}, year=2025)
    >>> result.luminaires["ulr_status"].tolist()
    ['compliant', 'not_compliant']
    >>> round(float(result.luminaires["switch_off_value"].iloc[0]), 6)   # 19:00-06:00 every night
    4015.0
    """
    year = int(year if year is not None else _dt.date.today().year)
    rules = rules if rules is not None else load_rules()
    index = _rule_index(rules)
    if not frame.index.is_unique:
        frame = frame.reset_index(drop=True)
    n = len(frame)
    rejections = RowChecker(frame)
    values = _read_values(frame, rejections)
    inst = _installation_codes(frame["installation"]) if "installation" in frame.columns else np.full(n, -1)
    if "installation" in frame.columns:
        rejections.reject(inst == -2, "installation", "unknown_installation",
                          "installation kind is not road (voirie) or car_park (parking)", frame["installation"])
    kept = ~rejections.bad
    known = {DEFAULT_SCHEDULE_ID: default_schedule(), **dict(schedules or {})}
    power, warnings = _system_power_w(frame, values, catalog)

    sub = frame if kept.all() else frame.loc[kept]
    v = {k: a[kept] for k, a in values.items()}
    za_keys = normalise_names(sub["za"]) if "za" in sub.columns else pd.Series([""] * len(sub), dtype=object)
    za, site = _za_sites(za_keys.reset_index(drop=True), sites, v["latitude"], v["longitude"])
    if "za" in sub.columns:
        _, first = np.unique(za, return_index=True)
        site["za"] = sub["za"].to_numpy(dtype=object)[first]
    else:
        site["za"] = None
    installation = np.where(inst[kept] >= 0, inst[kept], site["installation"].to_numpy()[za])
    year_installed = v["installation_year"]
    applies_from, _ = _threshold(index, "luminaire_rules", "applies_from_year")
    out = pd.DataFrame(index=sub.index)
    out["za"] = sub["za"] if "za" in sub.columns else None
    out["luminaire_id"] = sub["luminaire_id"] if "luminaire_id" in sub.columns else None
    out["count"] = v["count"]
    out["installation"] = _codes_frame(np.where(installation >= 0, installation, len(INSTALLATIONS)),
                                       (*INSTALLATIONS, "unknown"))
    statuses: dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}

    # switch-off (art. 2)
    if "schedule" in sub.columns:
        positions, uniques = pd.factorize(sub["schedule"], use_na_sentinel=True)
        ids = [str(u).strip() for u in uniques] + [DEFAULT_SCHEDULE_ID]   # a blank cell: the default schedule
        schedule_code = pd.Index(list(known)).get_indexer(ids)[positions]
        out["schedule"] = pd.Categorical.from_codes(np.where(positions < 0, len(ids) - 1, positions),
                                                    categories=pd.Index(ids).unique()) \
            if len(set(ids)) == len(ids) else np.asarray(ids, dtype=object)[positions]
    else:
        schedule_code = np.full(len(sub), -2)
        out["schedule"] = None
    status, reason, lit, full = _switch_off(za, site, installation, schedule_code, list(known.values()), index, year, tz)
    statuses["switch_off"] = (status, reason, lit)
    out["breach_lit_hours"] = lit
    out["energy_saved_kwh"] = power[kept] * full * conversion_factor("W*h", "kWh")

    # luminaire prescriptions (art. 3 II)
    for rule, column, parameter, missing, passes in (
            ("ulr", "ulr_percent", "max_upward_light_ratio", "missing_ulr", np.less),
            ("cie_code3", "cie_code3_percent", "min_cie_flux_code_3", "missing_cie", np.greater),
            ("colour_temperature", "colour_temperature_k", "max_colour_temperature", "missing_cct", np.less_equal)):
        threshold, decides = _threshold(index, rule, parameter)
        with np.errstate(invalid="ignore"):
            ok = passes(v[column], threshold)
        status, reason = _luminaire_rule(v[column], ok, year_installed, applies_from, decides, missing)
        statuses[rule] = (status, reason, v[column])
    status, reason, cct = statuses["colour_temperature"]
    protected = site["protected"].to_numpy(dtype=float)[za]
    lenient = status == COMPLIANT
    for kind, place in PROTECTED_PLACES.items():   # art. 4: a lower ceiling per kind of protected space
        low, low_decides = _threshold(index, "colour_temperature", "max_colour_temperature_protected", place=place)
        hit = lenient & (protected == kind)
        if low_decides:
            above = hit & (cct > low)
            status[above], reason[above] = NOT_COMPLIANT, _REASON_CODES.index("above_protected_ceiling")
        else:
            status[hit], reason[hit] = UNKNOWN, _REASON_CODES.index("protected_threshold_not_verified")
    hit = lenient & np.isnan(protected)
    status[hit], reason[hit] = UNKNOWN, _REASON_CODES.index("protected_unknown")

    # globes (art. 8)
    threshold, decides = _threshold(index, "upward_globe", "max_upward_share_after_2025")
    with np.errstate(invalid="ignore"):
        globe_ok = v["ulr_percent"] <= threshold
    status, reason = _luminaire_rule(v["ulr_percent"], globe_ok, np.full(len(sub), np.inf), -np.inf, decides,
                                     "missing_ulr")
    statuses["upward_globe"] = (status, reason, v["ulr_percent"])

    # installed flux density per ZA (art. 3 II 4°)
    flux = v["count"] * v["nominal_flux_lm"]
    n_za = len(site)
    flux_sum = np.bincount(za, np.nan_to_num(flux), minlength=n_za)
    flux_missing = np.bincount(za, np.isnan(flux), minlength=n_za) > 0
    area = site["lit_area_m2"].to_numpy(dtype=float)
    with np.errstate(invalid="ignore", divide="ignore"):
        density = np.where(flux_missing | ~(area > 0), np.nan, flux_sum / area)
    site["dsfli_lm_per_m2"] = density
    za_status = np.full(n_za, UNKNOWN, dtype=np.int8)
    za_reason = np.where(flux_missing, _REASON_CODES.index("missing_flux"), _REASON_CODES.index("missing_area"))
    for z in np.flatnonzero(~np.isnan(density)):
        kind = INSTALLATIONS[site.at[z, "installation"]] if site.at[z, "installation"] >= 0 else "road"
        # art. 4 I and II: astronomical sites and nature reserves follow the ceilings set outside built-up areas
        outside = site.at[z, "protected"] in OUTSIDE_PROTECTED
        place = "outside" if outside else {1.0: "built_up", 0.0: "outside"}.get(site.at[z, "built_up"], "?")
        threshold, decides = _threshold(index, "dsfli", "max_installed_flux_density", kind, place)
        if decides:   # the ministry's table writes the ceilings '< 35', '< 25', '< 20'
            za_status[z], za_reason[z] = (COMPLIANT if density[z] < threshold else NOT_COMPLIANT), 0
        else:
            za_reason[z] = _REASON_CODES.index("threshold_not_verified")
    statuses["dsfli"] = (za_status[za], za_reason[za].astype(np.int8), density[za])

    # art. 5 data
    held = np.zeros(len(sub), dtype=np.int64)
    bits = np.zeros(len(sub), dtype=np.int64)
    for k, columns in enumerate(ART5_FIELDS.values()):
        has = np.zeros(len(sub), dtype=bool)
        for column in columns:
            has |= ~np.isnan(v[column]) if column in v else np.zeros(len(sub), dtype=bool)
        held += has
        bits |= (~has).astype(np.int64) << k
    names = list(ART5_FIELDS)
    patterns = np.array([", ".join(names[k] for k in range(len(names)) if b >> k & 1) for b in range(1 << len(names))],
                        dtype=object)
    out["art5_missing"] = pd.Categorical.from_codes(bits, categories=patterns)
    status = np.where(held == len(ART5_FIELDS), COMPLIANT, NOT_COMPLIANT).astype(np.int8)
    reason = np.where(held == len(ART5_FIELDS), 0, _REASON_CODES.index("missing_fields")).astype(np.int8)
    statuses["art5_data"] = (status, reason, held.astype(float))

    table = rule_table(rules)
    deciding = set(table.loc[table["decides"], "rule"])
    any_fail = np.zeros(len(sub), dtype=bool)
    all_pass = np.ones(len(sub), dtype=bool)
    for rule in RULES:
        status, reason, value = statuses[rule]
        out[f"{rule}_status"] = _codes_frame(status, STATUSES)
        out[f"{rule}_value"] = value
        out[f"{rule}_reason"] = _codes_frame(reason, _REASON_CODES)
        if rule in deciding:
            any_fail |= status == NOT_COMPLIANT
            all_pass &= (status == COMPLIANT) | (status == NOT_APPLICABLE)
    overall = np.where(any_fail, NOT_COMPLIANT, np.where(all_pass, COMPLIANT, UNKNOWN))
    out["overall_status"] = _codes_frame(overall, STATUSES)
    zas = site[["za", "site_id", "activity_start_min", "activity_end_min", "activity_days", "installation", "built_up",
                "protected", "lit_area_m2", "latitude", "longitude", "dsfli_lm_per_m2"]].copy()
    zas["installation"] = [INSTALLATIONS[i] if i >= 0 else None for i in zas["installation"]]
    warnings += _site_notices(za_keys, site, sites)
    quality = rejections.quality({"luminaires": int(round(v["count"].sum()))}, warnings)
    return ComplianceResult(out, zas, table, year, quality)



def has_compliance_columns(luminaires: str | Path) -> bool:
    """Whether a luminaire file carries any compliance column (:data:`COMPLIANCE_COLUMNS`)."""
    from .io import read_raw

    return not compliance_columns(read_raw(luminaires).frame).columns.empty


def check_file(luminaires: str | Path, *, sites: str | Path | None = None,
               schedules: Mapping[str, Schedule] | None = None, year: int | None = None,
               rules: str | Path | None = None, catalog: FactorCatalog | None = None) -> tuple[ComplianceResult, DataQuality]:
    """Read a luminaire file (and a ZA file) and check it: what ``sobriete lighting check`` and the
    compliance block of ``sobriete lighting assess`` run.

    Parameters
    ----------
    luminaires : path
        Luminaire inventory (CSV, XLSX, Parquet) read through the ``eclairage`` profile; its
        compliance columns (:data:`COMPLIANCE_COLUMNS`, any accepted spelling) are read raw.
    sites : path, optional
        ZA file (:func:`read_sites`).
    schedules : mapping of id to Schedule, optional
    year : int, optional
        Year of the burning hours (default: the current year).
    rules : path, optional
        Thresholds replacing the bundled ``lighting_rules.csv``.
    catalog : FactorCatalog, optional

    Returns
    -------
    (ComplianceResult, DataQuality)
        The check, and the row accounting of the reading and the check together (the profile's
        "unused columns" notice is dropped when the compliance columns are all it names).
    """
    from .io import read_raw, read_table  # the readers sit above the engine modules

    catalog = catalog if catalog is not None else load_catalog()
    read = read_table(luminaires, domain="lighting", catalog=catalog)
    raw = read_raw(luminaires).frame
    extra = compliance_columns(raw)
    result = check_lighting(read.frame.join(extra), read_sites(sites) if sites else None, schedules, year=year,
                            rules=load_rules(rules) if rules else None, catalog=catalog)
    result = replace(result, quality=as_written(result.quality, raw, written_headers(raw, read.profiles)))
    quality = read.combine_quality(result.quality)
    quality = replace(quality, rejected=quality.rejected.sort_values("row", kind="stable").reset_index(drop=True))
    return result, without_compliance_notice(quality, len(extra.columns))


def written_headers(raw: pd.DataFrame, profiles: Mapping[str, str]) -> dict[str, str]:
    """{canonical column: the file's header} for the lighting columns (through the profile the
    file was read with, ``eclairage`` by default) and the compliance columns."""
    compliance = compliance_headers(raw)
    return {**profile_headers(raw, next(iter(profiles.values()), "eclairage")),
            **dict(zip(compliance_columns(raw[compliance]).columns, compliance))}


def compliance_headers(raw: pd.DataFrame) -> list[str]:
    """The headers of ``raw`` that :func:`compliance_columns` reads, in its column order."""
    return list(_map_headers(raw.columns, COMPLIANCE_ALIASES, COMPLIANCE_COLUMNS))


def without_compliance_notice(quality: DataQuality, n_compliance_columns: int) -> DataQuality:
    """``quality`` without the reader's "unused columns" notice when the compliance columns
    (which the lighting profile does not read but the compliance check does) are all it names."""
    warnings = tuple(w for w in quality.warnings
                     if getattr(w, "code", "") != "unused_columns" or w.params.get("count") != n_compliance_columns)
    return replace(quality, warnings=warnings)
