"""Inputs of the lighting compliance check: the thresholds of the arrêté of 27 December 2018 as
data (``factors/lighting_rules.csv``), the business-park (ZA) file and the luminaires' compliance
columns, with their French headers.

See :mod:`sobriete.compliance` for the check itself.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from .errors import CatalogError, InputFormatError, InputValueError
from .factors import bundled_factors_dir
from .schedule import WEEKDAYS, parse_clock
from .schema import alias_table, normalise_name, normalise_names


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
    "above_protected_ceiling": "protected site: above the lower ceiling of art. 4",
    "threshold_not_verified": "threshold not verified in the text",
    "missing_flux": "a luminaire of the ZA has no nominal flux (nominal_flux_lm)",
    "missing_area": "no lit surface for the ZA (lit_area_m2)",
    "missing_fields": "data missing",
    "no_schedule_column": "no schedule for the luminaire",
    "unknown_schedule": "schedule not defined in the schedules file (--schedule)",
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
#: French headers of the compliance columns (the attribute table of the CNIG EclExt géostandard
#: could not be read: only the cover pages of its draft v0.3 of 28 June 2021 were found, so none
#: of its attribute names is listed).
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
    "site_id": "site identifier (CNIG standard Site Economique: 'site_id', e.g. 80024_SITE-ECO_00001)",
    "activity_start": "start of the activity, local clock time HH:MM",
    "activity_end": "end of the activity, HH:MM (before the start: past midnight)",
    "activity_days": "days of activity, e.g. 'lun-ven' or 'lun,mar,mer' (default: every day)",
    "installation": "default installation kind of its luminaires: road or car_park",
    "built_up": "inside a built-up area (en agglomération): oui/non",
    "protected": "protected site (art. 4): non, oui (kind unknown), 'site astronomique' or 'réserve naturelle'",
    "lit_area_m2": "lit surface [m²]",
    "latitude": "[deg] (default: mean of its luminaires)",
    "longitude": "[deg] (default: mean of its luminaires)",
}
SITE_ALIASES = {
    "Zone d'activité": "za", "ZA": "za", "ZAE": "za", "Parc d'activités": "za",
    # CNIG standard Site Economique v1.0.0 (cnigfr/schema-sites-economiques, schema/site-eco/schema.json):
    # 'site_nom' (« nom du site ») names the site, 'site_id' (« identifiant du site ») identifies it
    "site_nom": "za", "Nom du site": "za",
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
#: Kinds of protected space of art. 4 (codes of the ``protected`` column, 0 = not protected,
#: NaN = unknown) and the ``place`` of ``lighting_rules.csv`` that holds their lower ceilings:
#: art. 4 I (sites d'observation astronomique) and art. 4 II (réserves naturelles and their
#: périmètres de protection) were read on Légifrance; any other protected space (``oui``) has
#: no ceiling read.
PROTECTED_PLACES = {1.0: "protected", 2.0: "astronomical_site", 3.0: "nature_reserve"}
#: Kinds whose installations follow the prescriptions set outside built-up areas (art. 4 I and II:
#: « telles que prévues hors agglomération »).
OUTSIDE_PROTECTED = (2.0, 3.0)
#: Words of the ``protected`` column that name a kind, matched on the normalised cell.
PROTECTED_KIND_WORDS = {"astronom": 2.0, "reserve naturelle": 3.0, "perimetre de protection": 3.0}
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
                  "colour_temperature": "≤ {v:g} K", "dsfli": "< {v:g} lm/m²", "upward_globe": "≤ {v:g} %",
                  "art5_data": "{v:g} data held"}
    lines = []
    records = rules.to_dict("records")
    for rule in RULES:
        rows = [r for r in records if r["rule"] == rule and r["parameter"] == main[rule]]
        if not rows:
            lines.append({"rule": rule, "article": "", "threshold": "", "value": np.nan, "unit": "", "status": "not_verified",
                          "version": "", "source_id": "", "decides": False})
            continue
        first = rows[0]
        statuses = {r["status"] for r in rows}
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
                kind = _protected_kind(key) if column == "protected" else None
                if kind is not None:
                    flags[position] = kind
                elif key in _TRUE:
                    flags[position] = 1.0
                elif key and key not in _FALSE and column == "built_up":
                    fail(position, column, f"{value!r} is not oui/non", "sites_bad_flag", value)
                elif key and key not in _FALSE:
                    fail(position, column, f"{value!r} is not oui/non, 'site astronomique' or 'réserve naturelle'",
                         "sites_bad_protected", value)
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


def _protected_kind(key: str) -> float | None:
    """The art. 4 kind code of a normalised ``protected`` cell (None: not a kind's name).

    Examples
    --------
    >>> _protected_kind("site d'observation astronomique"), _protected_kind("reserve naturelle"), _protected_kind("oui")
    (2.0, 3.0, None)
    """
    for words, kind in PROTECTED_KIND_WORDS.items():
        if words in key:
            return kind
    return None


def read_sites(path: str | Path) -> pd.DataFrame:
    """Read a business-park (ZA) file (CSV as French offices write it, XLSX, Parquet) and
    validate it with :func:`prepare_sites`."""
    from .io import read_raw  # io imports the engine modules' schemas

    table = read_raw(path)
    return prepare_sites(table.frame, file=str(path))
