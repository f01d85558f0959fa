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
``colour_temperature`` colour temperature ≤ 3000 K                               art. 3 II 3°
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

The switch-off rule goes through the schedule engine: the minutes of the week where the
schedule lights and the rule forbids light form a schedule of their own whose burning hours
(:func:`sobriete.lighting.burning_hours`, local time with daylight saving, sun threshold of
the schedule) are the hours lit in breach per year, and whose full-power hours times the
luminaire's power are the energy a compliant schedule would save.

References
----------
Arrêté du 27 décembre 2018 relatif à la prévention, à la réduction et à la limitation des
nuisances lumineuses (NOR TREP1831126A), art. 5 in the version in force since 30 June 2019
(Légifrance LEGIARTI000038748391); arts. 2, 3 and 8 as reproduced by the sources named in
``factors/lighting_rules.csv`` (see ``factors/sources.csv``).
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CatalogError, InputFormatError, InputValueError
from .factors import FactorCatalog, bundled_factors_dir, load_catalog
from .footprint import DataQuality
from .lighting import DEFAULT_TZ, BurningHours, burning_hours, normalise_technology
from .notices import Notice
from .schedule import WEEKDAYS, MINUTES_PER_WEEK, Schedule, Window, default_schedule, parse_clock, weekly_levels
from .schema import DEFAULT_SCHEDULE_ID, alias_table, normalise_name, normalise_names
from .sun import MINUTES_PER_DAY, crossings, epoch_minutes
from .units import conversion_factor

#: Rules checked, in report order.
RULES = ("switch_off", "ulr", "cie_code3", "colour_temperature", "dsfli", "upward_globe", "art5_data")
#: Outcome of a rule for a luminaire (codes 0..3 in the engine's arrays).
STATUSES = ("compliant", "not_compliant", "unknown", "not_applicable")
COMPLIANT, NOT_COMPLIANT, UNKNOWN, NOT_APPLICABLE = range(4)
#: Threshold statuses of ``lighting_rules.csv`` that may decide compliant / not compliant.
DECIDING_STATUSES = ("verified", "quoted", "assumption")
RULE_STATUSES = (*DECIDING_STATUSES, "not_verified")
#: Installation categories of art. 1 that business parks have: a) outdoor lighting for the
#: safety of movements (roads of the ZA), e) uncovered car parks attached to a zone of activity.
INSTALLATIONS = ("road", "car_park")
INSTALLATION_ALIASES = {"voirie": "road", "route": "road", "rue": "road", "voie": "road", "a": "road",
                        "eclairage exterieur": "road", "zone d'activite": "road", "za": "road",
                        "parking": "car_park", "parc de stationnement": "car_park", "stationnement": "car_park",
                        "e": "car_park", "car park": "car_park"}
#: Why a rule is unknown or not applicable (English; French in :mod:`sobriete.report.compliance`).
REASONS = {
    "": "",
    "missing_ulr": "no upward light ratio (ulr_percent)",
    "missing_cie": "no CIE flux code n° 3 (cie_code3_percent)",
    "missing_cct": "no colour temperature (colour_temperature_k)",
    "missing_year": "no installation year: cannot tell whether the rule applies",
    "before_application": "installed before the rule applies",
    "protected_unknown": "not known whether the ZA is a protected site (sites file)",
    "protected_threshold_not_verified": "protected site: its lower ceiling is not verified",
    "threshold_not_verified": "threshold not verified in the text",
    "missing_flux": "a luminaire of the ZA has no nominal flux (nominal_flux_lm)",
    "missing_area": "no lit surface for the ZA (lit_area_m2)",
    "missing_fields": "data missing",
    "no_schedule_column": "no schedule for the luminaire",
    "unknown_schedule": "schedule not defined in the schedules file",
    "no_activity_hours": "no activity hours for the ZA (sites file)",
    "no_installation": "installation kind (road / car park) unknown",
    "no_location": "no coordinates for the ZA: sunset and sunrise unknown",
}
_REASON_CODES = tuple(REASONS)

#: Canonical compliance columns of a luminaire inventory [unit] (besides the lighting ones).
COMPLIANCE_COLUMNS = {
    "installation": "road (art. 1 a) or car_park (art. 1 e); default: the ZA's",
    "ulr_percent": "upward light ratio, nominal [%]",
    "cie_code3_percent": "CIE flux code n° 3 [%]",
    "colour_temperature_k": "nominal colour temperature of the source [K]",
    "max_power_w": "electric power of the luminaire at its maximum regime [W]",
    "nominal_flux_lm": "nominal flux of the source at its maximum regime [lm]",
    "installation_date": "installation date of the luminaire head",
}
#: French headers of the compliance columns (the CNIG EclExt géostandard's attribute names
#: are not verified, so none of them is listed).
COMPLIANCE_ALIASES = {
    "Usage": "installation", "Type d'éclairage": "installation", "Catégorie d'installation": "installation",
    "ULR (%)": "ulr_percent", "ULR": "ulr_percent", "Flux vers le haut (%)": "ulr_percent",
    "Code flux CIE n°3 (%)": "cie_code3_percent", "Code flux CIE 3 (%)": "cie_code3_percent",
    "CIE n°3 (%)": "cie_code3_percent",
    "Température de couleur (K)": "colour_temperature_k", "Température de couleur": "colour_temperature_k",
    "Puissance maximale (W)": "max_power_w", "Puissance au régime maximal (W)": "max_power_w",
    "Flux nominal (lm)": "nominal_flux_lm", "Flux lumineux nominal (lm)": "nominal_flux_lm",
    "Date d'installation": "installation_date", "Date de pose": "installation_date",
}
#: Canonical columns of the business-park (ZA) file [unit].
SITE_COLUMNS = {
    "za": "business park name, as in the luminaire inventory (required)",
    "site_id": "site identifier (the CNIG 'sites économiques' id where known; its column name is not verified)",
    "activity_start": "start of the activity, local clock time HH:MM",
    "activity_end": "end of the activity, HH:MM (before the start: past midnight)",
    "activity_days": "days of activity, e.g. 'lun-ven' or 'lun,mar,mer' (default: every day)",
    "installation": "default installation kind of its luminaires: road or car_park",
    "built_up": "inside a built-up area (en agglomération): oui/non",
    "protected": "protected site (astronomical site, national park core, nature reserve): oui/non",
    "lit_area_m2": "lit surface [m²]",
    "latitude": "[deg] (default: mean of its luminaires)",
    "longitude": "[deg] (default: mean of its luminaires)",
}
SITE_ALIASES = {
    "Zone d'activité": "za", "ZA": "za", "ZAE": "za", "Parc d'activités": "za",
    "Identifiant du site": "site_id", "Id site": "site_id",
    "Début d'activité": "activity_start", "Heure de début": "activity_start",
    "Fin d'activité": "activity_end", "Heure de fin": "activity_end",
    "Jours d'activité": "activity_days", "Jours": "activity_days",
    "Usage": "installation", "Type d'éclairage": "installation",
    "En agglomération": "built_up", "Agglomération": "built_up",
    "Site protégé": "protected", "Espace protégé": "protected", "Protégé": "protected",
    "Surface éclairée (m²)": "lit_area_m2", "Surface éclairée (m2)": "lit_area_m2", "Surface éclairée": "lit_area_m2",
    "Latitude": "latitude", "Longitude": "longitude",
}
_TRUE = {"oui", "o", "yes", "y", "true", "vrai", "1", "x"}
_FALSE = {"non", "n", "no", "false", "faux", "0", ""}
#: Data art. 5 requires per luminaire, and the columns that hold each.
ART5_FIELDS = {"ulr": ("ulr_percent",), "cie_code3": ("cie_code3_percent",),
               "colour_temperature": ("colour_temperature_k",), "max_power": ("max_power_w", "lamp_power_w"),
               "nominal_flux": ("nominal_flux_lm",), "installation_date": ("installation_date", "installation_year")}
#: Plausible ranges of the numeric columns: a value outside rejects the row.
_RANGES = {"ulr_percent": (0.0, 100.0), "cie_code3_percent": (0.0, 100.0), "colour_temperature_k": (1000.0, 10000.0),
           "max_power_w": (0.0, np.inf), "lamp_power_w": (0.0, np.inf), "nominal_flux_lm": (0.0, np.inf), "count": (0.0, np.inf),
           "installation_year": (1900.0, 2100.0), "latitude": (-90.0, 90.0), "longitude": (-180.0, 180.0)}
_RULE_FILE_COLUMNS = ("rule", "parameter", "installation", "place", "value", "unit", "article", "version", "status",
                      "source_id", "note")


# --------------------------------------------------------------------------- rules as data
def load_rules(path: str | Path | None = None) -> pd.DataFrame:
    """The thresholds of the arrêté as data (default: the bundled ``lighting_rules.csv``).

    Parameters
    ----------
    path : str or Path, optional
        A file of the same schema (e.g. after checking a threshold on Légifrance and setting
        its ``status`` to ``verified``).

    Returns
    -------
    DataFrame
        One row per (rule, parameter, installation, place): ``value`` (float, NaN when the
        text was not verified), ``unit``, ``article``, ``version``, ``status``, ``source_id``.

    Raises
    ------
    CatalogError
        A missing column, an unknown status, a duplicated key or a source absent from
        ``sources.csv``, with the file, line and column.

    Examples
    --------
    >>> rules = load_rules()
    >>> rules.set_index(["rule", "parameter"]).loc[("ulr", "max_upward_light_ratio"), "value"].item()
    1.0
    """
    file = Path(path) if path is not None else bundled_factors_dir() / "lighting_rules.csv"
    try:
        table = pd.read_csv(file, dtype=str, keep_default_na=False)
    except (OSError, pd.errors.ParserError, UnicodeDecodeError) as exc:
        raise CatalogError(f"cannot read the rules file: {exc}", file=str(file), code="rules_unreadable",
                           detail=str(exc)) from None
    missing = [c for c in _RULE_FILE_COLUMNS if c not in table.columns]
    if missing:
        raise CatalogError(f"the rules file has no column '{missing[0]}'", file=str(file), column=missing[0],
                           code="rules_missing_column", missing=missing[0])
    line = pd.Series(np.arange(len(table)) + 2, index=table.index)
    bad = ~table["status"].isin(RULE_STATUSES)
    if bad.any():
        first = table.index[bad][0]
        raise CatalogError(f"unknown rule status '{table.at[first, 'status']}' (use {', '.join(RULE_STATUSES)})",
                           file=str(file), row=int(line[first]), column="status", code="rules_bad_status",
                           value=table.at[first, "status"], choices=list(RULE_STATUSES))
    key = ["rule", "parameter", "installation", "place"]
    dup = table.duplicated(key, keep=False)
    if dup.any():
        rows = [int(r) for r in line[dup]]
        raise CatalogError(f"rule {tuple(table.loc[dup, key].iloc[0])} is defined twice (lines {rows})",
                           file=str(file), code="rules_duplicate", key=tuple(table.loc[dup, key].iloc[0]), lines=rows)
    sources = set(pd.read_csv(bundled_factors_dir() / "sources.csv", usecols=["source_id"])["source_id"])
    unknown = ~table["source_id"].isin(sources)
    if unknown.any():
        first = table.index[unknown][0]
        raise CatalogError(f"source '{table.at[first, 'source_id']}' is not in sources.csv", file=str(file),
                           row=int(line[first]), column="source_id", code="rules_unknown_source",
                           value=table.at[first, "source_id"])
    values = pd.to_numeric(table["value"].str.replace(",", "."), errors="coerce")
    bad = values.isna() & table["value"].ne("")
    if bad.any():
        first = table.index[bad][0]
        raise CatalogError(f"value '{table.at[first, 'value']}' is not a number", file=str(file),
                           row=int(line[first]), column="value", code="rules_bad_value", value=table.at[first, "value"])
    deciding = table["status"].isin(DECIDING_STATUSES)
    if (deciding & values.isna()).any():
        first = table.index[deciding & values.isna()][0]
        raise CatalogError("a threshold that decides needs a value (or status not_verified)", file=str(file),
                           row=int(line[first]), column="value", code="rules_no_value")
    return table.assign(value=values.astype(float))


def _threshold(rules: Mapping[tuple, tuple[float, bool]], rule: str, parameter: str, installation: str = "*",
               place: str = "*") -> tuple[float, bool]:
    """(value, decides) of a threshold in :func:`_rule_index`; an exact installation/place row
    wins over ``*``."""
    for inst, plc in ((installation, place), (installation, "*"), ("*", place), ("*", "*")):
        hit = rules.get((rule, parameter, inst, plc))
        if hit is not None:
            return hit
    return float("nan"), False


def _rule_index(rules: pd.DataFrame) -> dict[tuple, tuple[float, bool]]:
    """{(rule, parameter, installation, place): (value, decides)}."""
    return {(r, p, i, pl): (float(v), s in DECIDING_STATUSES and bool(np.isfinite(v)))
            for r, p, i, pl, v, s in zip(rules["rule"], rules["parameter"], rules["installation"], rules["place"],
                                         rules["value"], rules["status"])}


def rule_table(rules: pd.DataFrame) -> pd.DataFrame:
    """One line per rule: its article, threshold text, unit, verification status and whether
    it decides (a rule whose threshold is not verified reports ``unknown``).

    Examples
    --------
    >>> table = rule_table(load_rules()).set_index("rule")
    >>> bool(table.loc["colour_temperature", "decides"]), bool(table.loc["dsfli", "decides"])
    (True, False)
    """
    main = {"switch_off": "off_after_activity_end", "ulr": "max_upward_light_ratio",
            "cie_code3": "min_cie_flux_code_3", "colour_temperature": "max_colour_temperature",
            "dsfli": "max_installed_flux_density", "upward_globe": "max_upward_share_after_2025",
            "art5_data": "required_fields"}
    comparison = {"switch_off": "0 h lit outside the allowed window", "ulr": "< {v:g} %", "cie_code3": "> {v:g} %",
                  "colour_temperature": "≤ {v:g} K", "dsfli": "≤ {v:g} lm/m²", "upward_globe": "≤ {v:g} %",
                  "art5_data": "{v:g} data held"}
    lines = []
    records = rules.to_dict("records")
    for rule in RULES:
        rows = pd.DataFrame([r for r in records if r["rule"] == rule and r["parameter"] == main[rule]],
                            columns=rules.columns)
        if rows.empty:
            lines.append({"rule": rule, "article": "", "threshold": "", "value": np.nan, "unit": "", "status": "not_verified",
                          "version": "", "source_id": "", "decides": False})
            continue
        first = rows.iloc[0]
        statuses = set(rows["status"])
        status = "not_verified" if "not_verified" in statuses else first["status"]
        value = first["value"]
        text = comparison[rule].format(v=value) if np.isfinite(value) else ""
        if status not in DECIDING_STATUSES:
            text = (text + " " if text else "") + "(not verified)"
        lines.append({"rule": rule, "article": first["article"].split(" (")[0], "threshold": text, "value": value,
                      "unit": first["unit"], "status": status, "version": first["version"],
                      "source_id": first["source_id"], "decides": status in DECIDING_STATUSES})
    return pd.DataFrame(lines)


# --------------------------------------------------------------------------- inputs
def _numbers(values: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """float64 values (decimal commas accepted) and a mask of given-but-not-a-number cells."""
    if pd.api.types.is_numeric_dtype(values.dtype) and not pd.api.types.is_bool_dtype(values.dtype):
        return values.to_numpy(dtype=float, na_value=np.nan), np.zeros(len(values), dtype=bool)
    text = values.astype("string").str.strip().str.replace("\u00a0", "", regex=False) \
        .str.replace(" ", "", regex=False).str.replace(",", ".", regex=False).str.rstrip("%")
    numbers = pd.to_numeric(text, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    given = text.fillna("").ne("").to_numpy(dtype=bool)
    return numbers, given & np.isnan(numbers)


def _map_headers(columns: Iterable[object], aliases: Mapping[str, str], canonical: Iterable[str]) -> dict:
    """{source header: canonical column} for the headers an alias (or a canonical name) matches."""
    table = alias_table({**aliases, **{c: c for c in canonical}})
    found = {}
    for header in columns:
        target = table.get(normalise_name(header))
        if target is not None and target not in found.values():
            found[header] = target
    return found


def compliance_columns(raw: pd.DataFrame) -> pd.DataFrame:
    """The compliance columns of a raw luminaire table, renamed to their canonical names.

    Parameters
    ----------
    raw : DataFrame
        The file as read (e.g. ``sobriete.io.read_raw(path).frame``): French headers such as
        ``ULR (%)``, ``Température de couleur (K)``, ``Flux nominal (lm)``, or the canonical names.

    Returns
    -------
    DataFrame
        Same index, only the :data:`COMPLIANCE_COLUMNS` found (values as written).

    Examples
    --------
    >>> compliance_columns(pd.DataFrame({"ULR (%)": ["0,5"], "Puissance (W)": ["70"]})).columns.tolist()
    ['ulr_percent']
    """
    found = _map_headers(raw.columns, COMPLIANCE_ALIASES, COMPLIANCE_COLUMNS)
    return raw[list(found)].rename(columns=found)


def _installation_codes(values: pd.Series) -> np.ndarray:
    """Codes in :data:`INSTALLATIONS`: -1 where missing, -2 where the spelling is unknown."""
    table = alias_table({**INSTALLATION_ALIASES, **{k: k for k in INSTALLATIONS}})
    positions, uniques = pd.factorize(values.astype(object), use_na_sentinel=True)
    codes = []
    for value in uniques:
        key = normalise_name(value)
        codes.append(INSTALLATIONS.index(table[key]) if key in table else (-1 if key == "" else -2))
    return np.r_[np.asarray(codes, dtype=np.int64), -1][positions]


def parse_days(text: object) -> tuple[int, ...]:
    """Weekdays (Monday = 0) from ``'lun-ven'``, ``'lun,mar,sam'``, ``'tous'`` or empty (every day).

    Examples
    --------
    >>> parse_days("lun-ven"), parse_days("sam, dim"), parse_days(None)
    ((0, 1, 2, 3, 4), (5, 6), (0, 1, 2, 3, 4, 5, 6))
    """
    if text is None or (isinstance(text, float) and np.isnan(text)) or str(text).strip().lower() in ("", "tous", "all"):
        return tuple(range(7))
    days: set[int] = set()
    for part in str(text).replace(";", ",").split(","):
        first, sep, last = part.strip().lower().rstrip(".").partition("-")
        if first not in WEEKDAYS or (sep and last.strip() not in WEEKDAYS):
            raise InputValueError(f"bad activity days {text!r}: write e.g. 'lun-ven' or 'lun,mar,mer'",
                                  code="bad_activity_days", value=text)
        a = WEEKDAYS[first]
        b = WEEKDAYS[last.strip()] if sep else a
        days.update((a + k) % 7 for k in range((b - a) % 7 + 1))
    return tuple(sorted(days))


def prepare_sites(frame: pd.DataFrame, *, file: str | None = None) -> pd.DataFrame:
    """Validate a business-park (ZA) table into canonical columns (:data:`SITE_COLUMNS`).

    Parameters
    ----------
    frame : DataFrame
        French headers (``Zone d'activité``, ``Début d'activité``, ``Fin d'activité``,
        ``Jours d'activité``, ``Usage``, ``En agglomération``, ``Site protégé``,
        ``Surface éclairée (m²)``) or canonical names; index labels are reported as row numbers.
    file : str, keyword-only
        Named in errors.

    Returns
    -------
    DataFrame
        ``za``, ``za_key`` (normalised name), ``activity_start_min``/``activity_end_min``
        [minutes after local midnight, NaN when not given], ``activity_days`` (tuple),
        ``installation`` (code, -1 unknown), ``built_up``/``protected`` (1.0, 0.0, NaN unknown),
        ``lit_area_m2`` [m²], ``latitude``/``longitude`` [deg], ``site_id``.

    Raises
    ------
    InputFormatError
        No ZA column, or a ZA given twice.
    InputValueError
        A bad value, with the file, row and column.
    """
    found = _map_headers(frame.columns, SITE_ALIASES, SITE_COLUMNS)
    data = frame[list(found)].rename(columns=found)
    source = {v: str(k) for k, v in found.items()}
    if "za" not in data.columns:
        raise InputFormatError("the sites file has no ZA column ('Zone d'activité' or 'za')", file=file, column="za",
                               code="sites_no_za")
    rows = frame.index

    def fail(position: int, column: str, message: str, code: str, value: object):
        raise InputValueError(message, file=file, row=int(rows[position]) if isinstance(rows[position], (int, np.integer))
                              else None, column=source.get(column, column), code=code, value=value)

    out = pd.DataFrame({"za": data["za"].astype(object).to_numpy()}, index=rows)
    out["za_key"] = normalise_names(out["za"]).to_numpy()
    dup = out["za_key"].duplicated()
    if dup.any():
        fail(int(np.flatnonzero(dup.to_numpy())[0]), "za", f"ZA '{out['za'][dup].iloc[0]}' is given twice",
             "sites_duplicate_za", out["za"][dup].iloc[0])
    for column in ("activity_start", "activity_end"):
        minutes = np.full(len(out), np.nan)
        if column in data.columns:
            for position, value in enumerate(data[column].astype(object).to_numpy()):
                if value is None or (isinstance(value, float) and np.isnan(value)) or str(value).strip() == "":
                    continue
                try:
                    minutes[position] = parse_clock(value)
                except InputValueError:
                    fail(position, column, f"bad time {value!r}: write HH:MM (e.g. 19:00)", "sites_bad_time", value)
        out[f"{column}_min"] = minutes
    days = []
    for position, value in enumerate(data["activity_days"].astype(object).to_numpy() if "activity_days" in data
                                     else [None] * len(out)):
        try:
            days.append(parse_days(value))
        except InputValueError:
            fail(position, "activity_days", f"bad activity days {value!r}: write e.g. 'lun-ven'", "sites_bad_days",
                 value)
    out["activity_days"] = days
    codes = _installation_codes(data["installation"]) if "installation" in data else np.full(len(out), -1)
    if (codes == -2).any():
        position = int(np.flatnonzero(codes == -2)[0])
        value = data["installation"].iloc[position]
        fail(position, "installation", f"unknown installation kind {value!r}: write voirie (road) or parking "
             "(car_park)", "sites_bad_installation", value)
    out["installation"] = codes
    for column in ("built_up", "protected"):
        flags = np.full(len(out), np.nan)
        if column in data.columns:
            for position, value in enumerate(data[column].astype(object).to_numpy()):
                key = "" if value is None or (isinstance(value, float) and np.isnan(value)) else normalise_name(value)
                if key in _TRUE:
                    flags[position] = 1.0
                elif key and key not in _FALSE:
                    fail(position, column, f"{value!r} is not oui/non", "sites_bad_flag", value)
                elif key:
                    flags[position] = 0.0
        out[column] = flags
    for column, (low, high) in {"lit_area_m2": (0.0, np.inf), "latitude": (-90.0, 90.0),
                                "longitude": (-180.0, 180.0)}.items():
        if column not in data.columns:
            out[column] = np.nan
            continue
        values, not_number = _numbers(data[column])
        bad = not_number | (values < low) | (values > high)
        if bad.any():
            position = int(np.flatnonzero(bad)[0])
            fail(position, column, f"bad {column} {data[column].iloc[position]!r}: a number in [{low:g}, {high:g}]",
                 "sites_bad_number", data[column].iloc[position])
        out[column] = values
    out["site_id"] = data["site_id"].astype(object).to_numpy() if "site_id" in data.columns else None
    return out


def read_sites(path: str | Path) -> pd.DataFrame:
    """Read a business-park (ZA) file (CSV as French offices write it, XLSX, Parquet) and
    validate it with :func:`prepare_sites`."""
    from .io import read_raw  # io imports the engine modules' schemas

    table = read_raw(path)
    return prepare_sites(table.frame, file=str(path))


# --------------------------------------------------------------------------- switch-off windows
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
    hour = 60.0
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
    return f"{minute // 60:02d}:{minute % 60:02d}"


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
    n_hours = int(round(elapsed[-1])) // 60
    utc_hours = pd.to_datetime(np.round(start + 60.0 * np.arange(n_hours)).astype("int64"), unit="m", utc=True)
    local_hour = utc_hours.tz_convert(tz).tz_localize(None).as_unit("s").asi8 // 60
    # local minute = local_hour[0] + elapsed + shift, the shift changing at the daylight-saving transitions
    shift = local_hour - local_hour[0] - 60 * np.arange(n_hours)
    change = np.flatnonzero(np.diff(shift)) + 1
    bounds = np.r_[0.0, 60.0 * change, 60.0 * n_hours]
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
        begin, end = np.zeros((len(lat), 1)), np.full((len(lat), 1), 60.0 * n_hours)
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


class _Rejections:
    def __init__(self, index: pd.Index, files: np.ndarray | None):
        self.index, self.files, self.parts = index, files, []
        self.bad = np.zeros(len(index), dtype=bool)

    def add(self, mask: np.ndarray, column: str, values: pd.Series, code: str, reason: str) -> None:
        mask = mask & ~self.bad
        if mask.any():
            self.bad |= mask
            self.parts.append(pd.DataFrame({
                "file": self.files[mask] if self.files is not None else None, "row": self.index[mask],
                "column": column, "value": values.to_numpy(dtype=object)[mask], "reason_code": code, "reason": reason}))

    def frame(self) -> pd.DataFrame:
        columns = ["file", "row", "column", "value", "reason_code", "reason"]
        return pd.concat(self.parts, ignore_index=True) if self.parts else pd.DataFrame(columns=columns)


def _read_values(frame: pd.DataFrame, rejections: _Rejections) -> dict[str, np.ndarray]:
    """Numeric compliance and lighting columns, range-checked (bad rows rejected)."""
    n = len(frame)
    values = {}
    for column, (low, high) in _RANGES.items():
        if column not in frame.columns:
            values[column] = np.full(n, 1.0 if column == "count" else np.nan)
            continue
        numbers, not_number = _numbers(frame[column])
        rejections.add(not_number, column, frame[column], "not_a_number", f"{column} is not a number")
        rejections.add((numbers < low) | (numbers > high), column, frame[column], "out_of_range",
                       f"{column} must be between {low:g} and {high:g}")
        values[column] = numbers if column != "count" else np.where(np.isnan(numbers), 1.0, numbers)
    if "installation_date" in frame.columns:
        text = frame["installation_date"].astype("string").str.strip()
        dates = pd.to_datetime(text, dayfirst=True, errors="coerce")
        rejections.add((text.fillna("").ne("") & dates.isna()).to_numpy(), "installation_date", frame["installation_date"],
                       "bad_date", "installation_date is not a date (dd/mm/yyyy)")
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
    threshold = np.array([s.threshold_deg is not None for s in schedules] + [False])[schedule_code]
    checks = (("no_schedule_column", schedule_code == -2), ("unknown_schedule", schedule_code == -1),
              ("no_activity_hours", np.isnan(start) | np.isnan(end)), ("no_installation", installation < 0),
              ("no_location", threshold & np.isnan(lat)))
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
    levels_cache: dict[int, np.ndarray] = {}
    for k, (z, inst, s) in enumerate(zip(pair_za, pair_inst, pair_sched)):
        (lag, lead, earliest), _ = params[int(inst)]
        key = (site.at[int(z), "activity_start_min"], site.at[int(z), "activity_end_min"],
               site.at[int(z), "activity_days"], int(inst))
        if key not in allowed_cache:
            allowed_cache[key] = allowed_minutes(key[0], key[1], key[2], lag_h=lag, lead_h=lead, earliest_h=earliest)
        if int(s) not in levels_cache:
            levels_cache[int(s)] = weekly_levels(schedules[int(s)])
        breach_levels[k] = levels_cache[int(s)] * ~allowed_cache[key]
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
    files = frame["_file"].astype(object).to_numpy() if "_file" in frame.columns else None
    rejections = _Rejections(frame.index, files)
    values = _read_values(frame, rejections)
    inst = _installation_codes(frame["installation"]) if "installation" in frame.columns else np.full(n, -1)
    if "installation" in frame.columns:
        rejections.add(inst == -2, "installation", frame["installation"], "unknown_installation",
                       "installation kind is not road (voirie) or car_park (parking)")
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
    low, low_decides = _threshold(index, "colour_temperature", "max_colour_temperature_protected", place="protected")
    lenient = status == COMPLIANT
    if low_decides:
        fails_low = lenient & (protected == 1) & (cct > low)
        status[fails_low] = NOT_COMPLIANT
    else:
        hit = lenient & (protected == 1)
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
        place = {1.0: "built_up", 0.0: "outside"}.get(site.at[z, "built_up"], "?")
        threshold, decides = _threshold(index, "dsfli", "max_installed_flux_density", kind, place)
        if decides:
            za_status[z], za_reason[z] = (COMPLIANT if density[z] <= threshold else NOT_COMPLIANT), 0
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
    rejected = rejections.frame()
    n_rejected = int(rejections.bad.sum())
    quality = DataQuality(rows_read=n, rows_assessed=n - n_rejected, rows_rejected=n_rejected, rejected=rejected,
                          counts={"luminaires": int(round(v["count"].sum()))}, warnings=tuple(warnings))
    return ComplianceResult(out, zas, table, year, quality)

