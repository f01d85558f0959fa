"""Roadmap indicators: built-in definitions (data), and their values per year.

Built-in indicators are defined in ``factors/roadmap_indicators.csv`` (id, unit, direction,
topic, labels, definition, source); legal targets in ``factors/roadmap_legal_targets.csv``.
Values come from four places, in this order of precedence:

1. the saved assessments of the history database (footprint per criterion, phase, domain,
   per agent; hosting and lighting electricity);
2. the asset register named by the roadmap (``register:``): one row per device with its
   purchase date, price, condition, retirement and disposal (average age, effective lifetime,
   devices per agent, the legal reuse rate, the refurbished purchase share);
3. values recorded in the history database (``sobriete roadmap record``) or in the roadmap's
   ``values:`` CSV, for the user's own indicators (and to override a computed value);
4. formulas of other indicators, evaluated year by year.

Every value is one row of a tidy frame ``indicator, year, value, unit, origin``.
"""

from __future__ import annotations

import ast
import operator
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFormatError
from ..parsing import parse_dates, parse_numbers
from ..notices import Notice
from ..schema import alias_table, normalise_name, normalise_names
from .definitions import _definitions, _factors_dir, builtin_ids, definitions, sources  # noqa: F401
from .model import Roadmap, formula_names

#: Columns of an indicator-value frame.
VALUE_COLUMNS = ["indicator", "year", "value", "unit", "origin"]
#: Canonical columns of the asset register [unit].
REGISTER_COLUMNS = {
    "asset_id": "device identifier (optional)",
    "category": "equipment category (free text; '@category' indicators match it normalised)",
    "purchase_date": "date of purchase (required)",
    "purchase_price_eur": "purchase price excl. VAT [EUR]",
    "condition": "'new' or 'refurbished' (réemploi, reconditionné) at purchase",
    "retirement_date": "date the device was retired (réformé), empty while in service",
    "disposal_date": "date it left the stock of retired devices, empty while in stock",
    "destination": "réemploi, réutilisation, don, cession, vente (reuse); recyclage, destruction (not reuse)",
    "security_exclusion": "oui/yes when the device holds classified or security-bound data (décret 2023-266 art. 1)",
}
#: Header spellings of the register (matched through :func:`sobriete.schema.normalise_name`).
REGISTER_ALIASES = {
    "identifiant": "asset_id", "nom": "asset_id", "numero d'inventaire": "asset_id",
    "categorie": "category", "type": "category",
    "date d'achat": "purchase_date", "date achat": "purchase_date",
    "prix d'achat ht": "purchase_price_eur", "prix d'achat": "purchase_price_eur", "valeur d'achat": "purchase_price_eur",
    "montant ht": "purchase_price_eur", "etat a l'achat": "condition", "etat": "condition",
    "date de reforme": "retirement_date", "date reforme": "retirement_date", "date de sortie": "disposal_date",
    "destination": "destination", "filiere": "destination", "exclusion securite": "security_exclusion",
    **{k: k for k in REGISTER_COLUMNS},
}
#: Destinations that count as reuse or re-use (décret n° 2023-266 art. 2), normalised.
REUSE_DESTINATIONS = ("reemploi", "reutilisation", "don", "cession", "vente")
#: Destinations that do not (the item left the stock all the same).
OTHER_DESTINATIONS = ("recyclage", "destruction", "deee", "perte", "vol")
#: Conditions at purchase that count as new (normalised).
NEW_CONDITIONS = ("new", "neuf", "neuve")
#: Conditions at purchase that count as reused or refurbished (normalised).
REFURBISHED_CONDITIONS = ("refurbished", "reconditionne", "reemploi", "occasion", "reutilisation")
#: Age limit of décret n° 2023-266 art. 1 [year]: older items are excluded from the reuse rate.
REUSE_AGE_LIMIT_YEARS = 10
#: Register categories beyond which age and lifetime are given per category only when asked (``@category``).
MAX_CATEGORIES = 30
_DAYS_PER_YEAR = 365.25  # mean Julian year, to turn date differences into years


def legal_targets() -> pd.DataFrame:
    """Legal targets: ``indicator, year_from, value, unit, source_id, status, note``; a target
    applies from ``year_from`` until the next row of the same indicator; a row without a value
    ends the previous target (a repealed text). ``status`` is ``sourced`` or ``not_verified``."""
    frame = pd.read_csv(_factors_dir() / "roadmap_legal_targets.csv", dtype={"note": str}, keep_default_na=False)
    frame["value"] = pd.to_numeric(frame["value"].replace("", np.nan))
    return frame.sort_values(["indicator", "year_from"], kind="stable").reset_index(drop=True)


def legal_target(indicator: str, year: int) -> tuple[float, str, str] | None:
    """The legal target ``(value, status, source_id)`` of ``indicator`` in ``year``, if any.

    Examples
    --------
    >>> legal_target("reuse_rate_pct", 2024)[:2], legal_target("reuse_rate_pct", 2031)[0]
    ((35.0, 'sourced'), 50.0)
    >>> legal_target("reuse_rate_pct", 2022) is None
    True
    >>> legal_target("refurbished_purchase_share_pct", 2024)[:2], legal_target("refurbished_purchase_share_pct", 2025)
    ((20.0, 'not_verified'), None)
    """
    rows = legal_targets()
    rows = rows[(rows["indicator"] == indicator) & (rows["year_from"] <= year)]
    if not len(rows):
        return None
    last = rows.iloc[-1]
    if np.isnan(last["value"]):  # the text was repealed, its successor's figure is not known
        return None
    return float(last["value"]), str(last["status"]), str(last["source_id"])


def unit_of(indicator: str, roadmap: Roadmap | None = None) -> str:
    """The unit of an indicator: the roadmap's own, else the built-in definition's."""
    spec = roadmap.indicator(indicator) if roadmap is not None else None
    if spec is not None and spec.unit:
        return spec.unit
    base = (spec.builtin if spec is not None and spec.builtin else indicator).split("@")[0]
    table = _definitions(str(_factors_dir())).set_index("indicator")
    if base in table.index:
        return str(table.loc[base, "unit"])
    return "1" if indicator == "agents" else ""


def direction_of(indicator: str, roadmap: Roadmap | None = None) -> str | None:
    """``lower`` or ``higher`` (is better), when known."""
    spec = roadmap.indicator(indicator) if roadmap is not None else None
    if spec is not None and spec.direction:
        return spec.direction
    base = (spec.builtin if spec is not None and spec.builtin else indicator).split("@")[0]
    table = _definitions(str(_factors_dir())).set_index("indicator")
    return str(table.loc[base, "direction"]) if base in table.index else None


# --------------------------------------------------------------------------- from the history
#: History indicators as (criterion, phases or None for all, domains or None for all).
_HISTORY_FOOTPRINT = {
    "footprint_gwp": ("gwp", None, None), "footprint_adpe": ("adpe", None, None),
    "footprint_pe": ("pe", None, None), "footprint_water": ("water", None, None),
    "footprint_gwp_embodied": ("gwp", ("manufacturing", "distribution", "end_of_life"), None),
    "footprint_gwp_use": ("gwp", ("use",), None),
    "footprint_gwp_equipment": ("gwp", None, ("equipment",)),
    "footprint_gwp_network": ("gwp", None, ("traffic", "lines")),
    "footprint_gwp_hosting": ("gwp", None, ("hosting",)), "footprint_gwp_lighting": ("gwp", None, ("lighting",)),
}


def assessment_indicators(tidy: pd.DataFrame, energy: Mapping[str, tuple[float, int]], year: int) -> pd.DataFrame:
    """History indicators of one assessment.

    Parameters
    ----------
    tidy : DataFrame
        The assessment's tidy results (``domain, criterion, phase, value, unit``, as
        :meth:`sobriete.assessment.Assessment.to_frame`).
    energy : mapping
        ``{domain: (electricity [kWh], number of groups)}``.
    year : int

    Returns
    -------
    DataFrame
        :data:`VALUE_COLUMNS`, origin ``history``. A criterion or domain the assessment does
        not have gives no row (never a zero).

    Examples
    --------
    >>> tidy = pd.DataFrame({"domain": ["equipment", "equipment", "hosting"], "criterion": "gwp",
    ...                      "phase": ["manufacturing", "use", "use"], "value": [10.0, 5.0, 2.0], "unit": "kgCO2e"})
    >>> out = assessment_indicators(tidy, {"hosting": (40.0, 1)}, 2025).set_index("indicator")["value"]
    >>> out[["footprint_gwp", "footprint_gwp_embodied", "footprint_gwp_hosting", "hosting_energy_kwh"]].tolist()
    [17.0, 10.0, 2.0, 40.0]
    """
    rows = []
    for indicator, (criterion, phases, domains) in _HISTORY_FOOTPRINT.items():
        part = tidy[tidy["criterion"] == criterion]
        if domains is not None:
            part = part[part["domain"].isin(domains)]
        if phases is not None:
            part = part[part["phase"].isin(phases)]
        if len(part):
            rows.append((indicator, year, float(part["value"].sum()), str(part["unit"].iloc[0]), "history"))
    if "hosting" in energy:
        rows.append(("hosting_energy_kwh", year, float(energy["hosting"][0]), "kWh", "history"))
    if "lighting" in energy:
        kwh, groups = energy["lighting"]
        rows.append(("lighting_energy_kwh", year, float(kwh), "kWh", "history"))
        rows.append(("lighting_energy_kwh_per_za", year, float(kwh) / max(groups, 1), "kWh", "history"))
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


def history_indicators(history, years: Iterable[int] | None = None) -> tuple[pd.DataFrame, list[Notice]]:
    """History indicators of every saved year (or of ``years``); one assessment per year: the
    latest saved when a year has several (with a notice)."""
    saved = history.list()
    notices: list[Notice] = []
    frames = []
    wanted = set(years) if years is not None else None
    for year, part in saved.groupby("year", sort=True):
        if wanted is not None and int(year) not in wanted:
            continue
        chosen = int(part["id"].max())
        if len(part) > 1:
            notices.append(Notice("roadmap_several_assessments",
                                  f"{len(part)} assessments of {year} are saved; the roadmap uses the latest (no. "
                                  f"{chosen})", year=int(year), count=len(part), id=chosen))
        assessment = history.load(int(year), assessment_id=chosen)
        energy = {d: (float(np.sum(fp.energy_kwh)), len(fp.keys)) for d, fp in assessment.footprints.items()}
        frames.append(assessment_indicators(assessment.to_frame(), energy, int(year)))
    frame = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=VALUE_COLUMNS)
    return frame, notices


# --------------------------------------------------------------------------- the asset register
def project_indicators(saved: pd.DataFrame) -> pd.DataFrame:
    """The project indicators per year of assessment, from the projects saved in the history
    (:func:`sobriete.history.saved_projects`).

    ``projects_assessed_before_start_pct`` [%]: of the projects assessed (saved) in the year, the
    share saved before the project's start date — the assessment came before the project began,
    the closest trace of "assessed before decision" the history holds (ASSUMPTION: a project
    is decided at the latest when it starts). ``projects_checklist_score_pct`` [%]: the mean RGESN
    progress score of the year's assessed projects that filled the checklist.

    Examples
    --------
    >>> saved = pd.DataFrame({"saved_at": ["2025-03-01T10:00:00+00:00", "2025-06-01T10:00:00+00:00"],
    ...                       "start_date": ["2026-01-01", "2025-01-01"], "checklist_score": [0.5, None]})
    >>> project_indicators(saved)[["indicator", "year", "value"]].values.tolist()
    [['projects_assessed_before_start_pct', 2025, 50.0], ['projects_checklist_score_pct', 2025, 50.0]]
    """
    if saved.empty:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    saved_on = pd.to_datetime(saved["saved_at"], utc=True).dt.tz_localize(None)
    start = pd.to_datetime(saved["start_date"], errors="coerce")
    frame = pd.DataFrame({"year": saved_on.dt.year, "before": (saved_on < start).where(start.notna()),
                          "score": pd.to_numeric(saved["checklist_score"], errors="coerce")})
    rows = []
    for year, part in frame.groupby("year"):
        known = part["before"].dropna()
        if len(known):
            rows.append(("projects_assessed_before_start_pct", int(year), 100.0 * known.astype(float).mean(), "percent",
                         "history"))
        if part["score"].notna().any():
            rows.append(("projects_checklist_score_pct", int(year), 100.0 * part["score"].mean(), "percent",
                         "history"))
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


def read_register(path: str | Path) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Read an asset register (CSV with ``;`` or ``,``, or XLSX) into canonical columns.

    Returns
    -------
    (DataFrame, DataFrame)
        The register (:data:`REGISTER_COLUMNS`, dates as datetime64, ``row`` = file line) and
        the rejected rows ``file, row, column, value, reason`` (a purchase date missing or not
        a date, a date or price that does not parse, a destination, condition or security flag
        that is not a known value: one reason per row): every row is kept or rejected.

    Raises
    ------
    InputFormatError
        If the file has no purchase-date column.
    """
    path = Path(path)
    raw = pd.read_excel(path, dtype=object) if path.suffix.lower() in (".xlsx", ".xls") else read_text_table(path)
    aliases = alias_table(REGISTER_ALIASES)
    names = {c: aliases.get(normalise_name(c)) for c in raw.columns}
    frame = raw.rename(columns={c: n for c, n in names.items() if n}).loc[:, [n for n in names.values() if n]]
    raw = raw.reset_index(drop=True)
    if "purchase_date" not in frame:
        raise InputFormatError(f"the asset register has no purchase date column (columns: {', '.join(raw.columns)})",
                               file=str(path), code="register_no_purchase_date", columns=list(raw.columns))
    frame = frame.replace({"": None})
    frame["row"] = np.arange(2, len(frame) + 2)
    rejected = []
    for column in ("purchase_date", "retirement_date", "disposal_date"):
        if column not in frame:
            frame[column] = pd.NaT
            continue
        parsed = parse_dates(frame[column])
        bad = parsed.map(lambda v: isinstance(v, str)).to_numpy(bool, copy=True)
        if column == "purchase_date":
            bad |= frame[column].isna().to_numpy()
        for r, v in zip(frame["row"][bad], frame[column][bad]):
            rejected.append((str(path), int(r), column, v, "missing date" if v is None else "not a date"))
        frame[column] = pd.to_datetime(parsed.where(~bad, None))
    if "purchase_price_eur" in frame:
        prices = parse_numbers(frame["purchase_price_eur"])
        bad = prices.map(lambda v: isinstance(v, str)).to_numpy(bool)
        for r, v in zip(frame["row"][bad], frame["purchase_price_eur"][bad]):
            rejected.append((str(path), int(r), "purchase_price_eur", v, "not a number"))
        frame["purchase_price_eur"] = pd.to_numeric(prices.where(~bad, None), errors="coerce")
    for column, default in (("category", ""), ("condition", "new"), ("destination", ""),
                            ("security_exclusion", "")):
        frame[column] = normalise_names(frame[column].fillna(default)) if column in frame else default
    for column, known in (("destination", ("", *REUSE_DESTINATIONS, *OTHER_DESTINATIONS)),
                          ("condition", ("", *NEW_CONDITIONS, *REFURBISHED_CONDITIONS)),
                          ("security_exclusion", ("", "oui", "yes", "true", "1", "x", "non", "no", "false", "0"))):
        given = [c for c, n in names.items() if n == column]
        bad = ~frame[column].isin(known).to_numpy()
        for r, v in zip(frame["row"][bad], raw.loc[bad, given[0]] if given else []):
            rejected.append((str(path), int(r), column, v, f"unknown value; expected one of {', '.join(known[1:])}"))
    reject = pd.DataFrame(rejected, columns=["file", "row", "column", "value", "reason"]).sort_values(
        "row", kind="stable").drop_duplicates("row").reset_index(drop=True)
    keep = ~frame["row"].isin(reject["row"])
    return frame[keep].reset_index(drop=True), reject


@dataclass(frozen=True)
class PreparedRegister:
    """An asset register as plain arrays, built once for every year (dates as days since
    1970-01-01 [day], NaN when unknown; comparisons with NaN are False, like NaT)."""

    purchase: np.ndarray
    retired: np.ndarray
    disposed: np.ndarray
    purchase_year: np.ndarray
    retired_year: np.ndarray
    reuse_eligible: np.ndarray     # retired, not more than ten years old then, not security-bound
    reuse_destination: np.ndarray
    price: np.ndarray
    refurbished: np.ndarray
    category: np.ndarray

    def __len__(self) -> int:
        return len(self.purchase)


def _days(dates: pd.Series) -> np.ndarray:
    values = pd.to_datetime(dates).to_numpy("datetime64[D]")
    days = values.astype(np.int64).astype(float)
    days[np.isnat(values)] = np.nan
    return days


def _day(year: int, month: int = 1, day: int = 1) -> float:
    return float((np.datetime64(f"{year:04d}-{month:02d}-{day:02d}") - np.datetime64("1970-01-01")).astype(int))


def prepare_register(register: pd.DataFrame) -> PreparedRegister:
    """Arrays of a register (:func:`read_register`'s columns; missing optional columns are
    empty), computed once so that each year costs a few whole-array comparisons."""
    n = len(register)

    def column(name, default):
        return register[name] if name in register else pd.Series(default, index=register.index)

    purchase, retired = column("purchase_date", pd.NaT), column("retirement_date", pd.NaT)
    p_year, r_year = purchase.dt.year.to_numpy(float), retired.dt.year.to_numpy(float)
    p_md = (purchase.dt.month * 100 + purchase.dt.day).to_numpy(float)
    r_md = (retired.dt.month * 100 + retired.dt.day).to_numpy(float)
    # more than ten calendar years at retirement (as purchase + DateOffset(years=10) < retirement)
    age = r_year - p_year
    too_old = (age > REUSE_AGE_LIMIT_YEARS) | ((age == REUSE_AGE_LIMIT_YEARS) & (r_md > p_md))
    secure = column("security_exclusion", "").isin(["oui", "yes", "true", "1", "x"]).to_numpy()
    return PreparedRegister(
        purchase=_days(purchase), retired=_days(retired), disposed=_days(column("disposal_date", pd.NaT)),
        purchase_year=p_year, retired_year=r_year,
        reuse_eligible=retired.notna().to_numpy() & ~too_old & ~secure,
        reuse_destination=column("destination", "").isin(REUSE_DESTINATIONS).to_numpy(),
        price=pd.to_numeric(column("purchase_price_eur", np.nan), errors="coerce").to_numpy(float),
        refurbished=column("condition", "").isin(REFURBISHED_CONDITIONS).to_numpy(),
        category=column("category", "").to_numpy(object) if n else np.array([], dtype=object))


def _prepared(register: pd.DataFrame | PreparedRegister) -> PreparedRegister:
    return register if isinstance(register, PreparedRegister) else prepare_register(register)


def reuse_rate(register: pd.DataFrame | PreparedRegister, year: int) -> tuple[float, int, int]:
    """The reuse rate of retired IT equipment of ``year`` (décret n° 2023-266 art. 3).

    Parameters
    ----------
    register : DataFrame or PreparedRegister
        :func:`read_register`'s frame (``purchase_date, retirement_date, disposal_date,
        destination, security_exclusion``).
    year : int

    Returns
    -------
    (float, int, int)
        ``(A / B × 100 [%], A, B)``; the rate is NaN when B is 0.

    Notes
    -----
    ``A`` = items oriented to reuse or re-use during the year (disposal date in the year and a
    destination of :data:`REUSE_DESTINATIONS`); ``B`` = retired items in stock on 1 January
    (retired before 1 January, not disposed of before it). Both exclude (art. 1) items more
    than ten years old at their retirement date and items flagged ``security_exclusion``. As
    the decree writes it, A may count items retired during the year, so the rate can exceed
    100 %. "More than ten years" is calendar years: an item retired exactly ten years after
    its purchase date is counted.

    References
    ----------
    .. [1] Décret n° 2023-266 du 12 avril 2023, art. 1 (scope, exclusions), art. 2 (destinations),
       art. 3 (« Résultat = A/B × 100 »; 25 % 2023, 35 % 2024, 50 % from 2025). JORF n° 0088,
       14 April 2023, text 3 (original version).

    Examples
    --------
    >>> reg = pd.DataFrame({"purchase_date": pd.to_datetime(["2018-01-01", "2019-01-01", "2010-01-01"]),
    ...     "retirement_date": pd.to_datetime(["2024-06-01", "2024-09-01", "2024-03-01"]),
    ...     "disposal_date": pd.to_datetime(["2025-02-01", None, "2025-03-01"]),
    ...     "destination": ["don", "", "reemploi"], "security_exclusion": ""})
    >>> reuse_rate(reg, 2025)   # the 2010 device is 14 years old when retired: excluded
    (50.0, 1, 2)
    """
    r = _prepared(register)
    jan1, next_jan1 = _day(year), _day(year + 1)
    with np.errstate(invalid="ignore"):
        in_stock = r.reuse_eligible & (r.retired < jan1) & ~(r.disposed < jan1)
        reused = r.reuse_eligible & (r.disposed >= jan1) & (r.disposed < next_jan1) & r.reuse_destination
    a, b = int(reused.sum()), int(in_stock.sum())
    return (100.0 * a / b if b else float("nan")), a, b


def refurbished_share(register: pd.DataFrame | PreparedRegister, year: int) -> tuple[float, float, float]:
    """Share of the year's IT purchase spend on reused or refurbished devices [%].

    Returns ``(share [%], refurbished spend [EUR], total spend [EUR])``; NaN when nothing with
    a price was bought in the year. Rows without a price are left out of both sums.

    References
    ----------
    .. [1] Décret n° 2021-254 du 9 mars 2021, art. 2 (repealed on 1 July 2024 by décret
       n° 2024-134): proportions are a percentage of the total spend excl. VAT on the product
       category in the calendar year.

    Examples
    --------
    >>> reg = pd.DataFrame({"purchase_date": pd.to_datetime(["2025-02-01", "2025-05-01", "2024-01-01"]),
    ...                     "purchase_price_eur": [300.0, 900.0, 500.0],
    ...                     "condition": ["reconditionne", "new", "refurbished"]})
    >>> refurbished_share(reg, 2025)
    (25.0, 300.0, 1200.0)
    """
    r = _prepared(register)
    bought = (r.purchase_year == year) & ~np.isnan(r.price)
    total = float(r.price[bought].sum())
    refurb = float(r.price[bought & r.refurbished].sum())
    return (100.0 * refurb / total if total else float("nan")), refurb, total


def in_service(register: pd.DataFrame | PreparedRegister, year: int) -> np.ndarray:
    """Devices in service on 31 December of ``year``: bought by then, not retired by then."""
    r = _prepared(register)
    end = _day(year, 12, 31)
    with np.errstate(invalid="ignore"):
        return (r.purchase <= end) & ~(r.retired <= end)


def register_last_year(register: PreparedRegister) -> int:
    """The last calendar year the register covers: its latest purchase, retirement or disposal.

    Examples
    --------
    >>> dates = lambda *d: pd.to_datetime(pd.Series(d))
    >>> reg = prepare_register(pd.DataFrame({"purchase_date": dates("2020-03-01", "2021-06-01"),
    ...                                      "retirement_date": dates("2024-05-01", None),
    ...                                      "disposal_date": dates("2025-01-15", None)}))
    >>> register_last_year(reg)
    2025
    """
    days = np.concatenate([register.purchase, register.retired, register.disposed])
    return (pd.Timestamp("1970-01-01") + pd.to_timedelta(np.nanmax(days), unit="D")).year


def register_indicators(register: pd.DataFrame | PreparedRegister, years: Iterable[int], *,
                        agents: Mapping[int, float] | None = None, categories: Iterable[str] = ()) -> pd.DataFrame:
    """Register indicators per year: ``average_age_years``, ``effective_lifetime_years`` (and
    their ``@category`` variants for ``categories``), ``devices_per_agent`` (when the year has
    agents), ``reuse_rate_pct``, ``refurbished_purchase_share_pct``. A year where an
    indicator has nothing to measure gives no row. Ages and lifetimes are in years of 365.25
    days.

    Examples
    --------
    >>> reg = pd.DataFrame({"category": ["laptop", "laptop", "monitor"],
    ...     "purchase_date": pd.to_datetime(["2020-12-31", "2022-12-31", "2015-12-31"]),
    ...     "retirement_date": pd.to_datetime([None, None, "2025-06-30"]), "disposal_date": pd.NaT,
    ...     "destination": "", "security_exclusion": "", "purchase_price_eur": float("nan"), "condition": "new"})
    >>> out = register_indicators(reg, [2025], agents={2025: 4}, categories=["laptop"]).set_index("indicator")
    >>> out["value"].round(2).to_dict()
    {'average_age_years': 4.0, 'effective_lifetime_years': 9.5, 'average_age_years@laptop': 4.0, 'devices_per_agent': 0.5}
    """
    r = _prepared(register)
    agents = agents or {}
    rows = []
    scopes = [("", np.ones(len(r), bool))] + [(f"@{c}", r.category == normalise_name(c)) for c in categories]
    lifetime = (r.retired - r.purchase) / _DAYS_PER_YEAR
    for year in years:
        end = _day(year, 12, 31)
        active = in_service(r, year)
        retired_in_year = r.retired_year == year
        for suffix, scope in scopes:
            if (active & scope).any():
                age = (end - r.purchase[active & scope]).mean() / _DAYS_PER_YEAR
                rows.append((f"average_age_years{suffix}", year, float(age), "year", "register"))
            if (retired_in_year & scope).any():
                rows.append((f"effective_lifetime_years{suffix}", year,
                             float(lifetime[retired_in_year & scope].mean()), "year", "register"))
        if year in agents:
            rows.append(("devices_per_agent", year, float(active.sum()) / agents[year], "1", "register"))
        rate, _, b = reuse_rate(r, year)
        if b:
            rows.append(("reuse_rate_pct", year, rate, "percent", "register"))
        share, _, total = refurbished_share(r, year)
        if total:
            rows.append(("refurbished_purchase_share_pct", year, share, "percent", "register"))
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


# --------------------------------------------------------------------------- lighting inventories
def lighting_indicators(luminaires: pd.DataFrame, schedules: Mapping[str, object] | None, year: int) -> pd.DataFrame:
    """``led_share_pct`` and ``night_extinction_share_pct`` of a canonical luminaire inventory.

    Parameters
    ----------
    luminaires : DataFrame
        ``technology``, optional ``count`` (default 1) and ``schedule`` (default ``default``).
    schedules : mapping of id to Schedule, optional
        A schedule counts as a night extinction when it has at least one extinction window.
    year : int

    Examples
    --------
    >>> from types import SimpleNamespace as S
    >>> lum = pd.DataFrame({"technology": ["led", "hps", "led"], "count": [2, 1, 1],
    ...                     "schedule": ["nuit", "default", "default"]})
    >>> lighting_indicators(lum, {"nuit": S(extinction=[1])}, 2025)["value"].tolist()
    [75.0, 50.0]
    """
    count = luminaires["count"].fillna(1).to_numpy(float) if "count" in luminaires else np.ones(len(luminaires))
    total = count.sum()
    if not total:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    led = (luminaires["technology"] == "led").to_numpy()
    schedule = luminaires["schedule"].fillna("default") if "schedule" in luminaires else \
        pd.Series("default", index=luminaires.index)
    dark = {k for k, v in (schedules or {}).items() if getattr(v, "extinction", None)}
    night = schedule.isin(dark).to_numpy()
    return pd.DataFrame([("led_share_pct", year, 100 * count[led].sum() / total, "percent", "lighting"),
                         ("night_extinction_share_pct", year, 100 * count[night].sum() / total, "percent",
                          "lighting")], columns=VALUE_COLUMNS)


def read_lighting(path: Path, year: int) -> tuple[pd.DataFrame, list[Notice]]:
    """Lighting indicators of one luminaire inventory (read with the bundled profiles; the
    schedules of a ``horaires.yaml`` beside it), and notices for its rejected rows."""
    from ..assessment import folder_schedules, read_domain_inputs

    inputs = read_domain_inputs([path], domain="lighting")
    schedules = folder_schedules([Path(path).parent])
    return lighting_indicators(inputs.frame, schedules, year), _rejection_notices(inputs.quality.rejected)


# --------------------------------------------------------------------------- hosting inventories
def hosting_pue(hosting: pd.DataFrame, year: int, *, catalog=None) -> float:
    """Energy-weighted PUE of a canonical hosting inventory: facility electricity / IT
    electricity, both from :func:`sobriete.hosting.assess_hosting` (IT = the same rows with
    PUE 1 and no measured cooling). NaN when there is no IT electricity.

    Examples
    --------
    >>> rooms = pd.DataFrame({"kind": ["on_premises", "colocation"], "it_energy_kwh": [1000.0, 3000.0],
    ...                       "pue": [2.0, 1.4]})
    >>> round(hosting_pue(rooms, 2025), 6)   # (2000 + 4200) / 4000
    1.55
    """
    from ..hosting import assess_hosting

    facility = float(np.sum(assess_hosting(hosting, year, catalog=catalog).energy_kwh))
    it_only = hosting.drop(columns=[c for c in ("cooling_kwh",) if c in hosting]).assign(pue=1.0)
    it = float(np.sum(assess_hosting(it_only, year, catalog=catalog).energy_kwh))
    return facility / it if it else float("nan")


def read_hosting(path: Path, year: int) -> tuple[pd.DataFrame, list[Notice]]:
    """``hosting_pue`` of one hosting inventory, and notices for its rejected rows."""
    from ..assessment import read_domain_inputs

    inputs = read_domain_inputs([path], domain="hosting")
    pue = hosting_pue(inputs.frame, year)
    rows = [("hosting_pue", year, pue, "1", "hosting")] if np.isfinite(pue) else []
    return pd.DataFrame(rows, columns=VALUE_COLUMNS), _rejection_notices(inputs.quality.rejected)


def _rejection_notices(rejected: pd.DataFrame) -> list[Notice]:
    return [Notice("roadmap_register_row_rejected", f"{r.file}: row {r.row} rejected ({r.column}: {r.reason}, "
                   f"value {r.value!r})", file=r.file, row=r.row, column=r.column, value=r.value, reason=r.reason)
            for r in rejected.itertuples()]


# --------------------------------------------------------------------------- recorded values, formulas
def read_text_table(path: str | Path) -> pd.DataFrame:
    """A CSV as text cells (``""`` where empty), read like every input of sobriete: cp1252 or
    UTF-8 with or without BOM, ``;`` or ``,`` (:func:`sobriete.io.read_raw`); rows 2, 3... of
    the file are positions 0, 1... of the frame."""
    from ..io import read_raw

    frame = read_raw(path).frame
    return frame.astype(object).where(frame.notna(), "").astype(str).reset_index(drop=True)


def read_values(path: str | Path) -> pd.DataFrame:
    """A CSV of indicator values: ``indicator, year, value[, unit][, note]`` (``;`` or ``,``;
    French decimal comma accepted; French headers ``indicateur, année, valeur, unité``).

    Raises
    ------
    InputFormatError
        A missing column, or a row whose year or value is not a number (naming file, row and
        column): recorded values are all or nothing.
    """
    path = Path(path)
    raw = read_text_table(path)
    aliases = alias_table({"indicateur": "indicator", "annee": "year", "valeur": "value", "unite": "unit",
                           "commentaire": "note", "indicator": "indicator", "year": "year", "value": "value",
                           "unit": "unit", "note": "note"})
    headers = {aliases.get(normalise_name(c), c): c for c in raw.columns}  # canonical -> the file's header
    raw = raw.rename(columns={c: aliases.get(normalise_name(c), c) for c in raw.columns})
    for column in ("indicator", "year", "value"):
        if column not in raw:
            raise InputFormatError(f"the values file has no '{column}' column (columns: {', '.join(raw.columns)})",
                                   file=str(path), code="values_missing_column", missing=column,
                                   columns=list(raw.columns))
    for column in ("year", "value"):
        parsed = parse_numbers(raw[column].replace({"": None}))
        bad = parsed.map(lambda v: isinstance(v, str) or v is None or v != v).to_numpy(bool)
        if bad.any():
            i = int(np.flatnonzero(bad)[0])
            raise InputFormatError(f"the {column} {raw[column].iloc[i]!r} is not a number", file=str(path),
                                   row=i + 2, column=headers[column], code="values_not_a_number",
                                   value=raw[column].iloc[i],
                                   name=column)
        raw[column] = parsed.astype(float)
    empty = raw["indicator"].str.strip() == ""
    if empty.any():
        i = int(np.flatnonzero(empty.to_numpy())[0])
        raise InputFormatError("the indicator is empty", file=str(path), row=i + 2, column=headers["indicator"],
                               code="values_empty_indicator")
    frame = pd.DataFrame({"indicator": raw["indicator"].str.strip(), "year": raw["year"].astype(int),
                          "value": raw["value"], "unit": raw.get("unit", pd.Series("", index=raw.index)),
                          "note": raw.get("note", pd.Series("", index=raw.index))})
    return frame


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
        ast.Pow: operator.pow, ast.USub: operator.neg, ast.UAdd: operator.pos}


def evaluate_formula(text: str, values: Mapping[str, float]) -> float:
    """Value of a formula for one year (NaN when a name has no value or on division by zero).

    Examples
    --------
    >>> evaluate_formula("a / b * 100", {"a": 1.0, "b": 4.0})
    25.0
    >>> evaluate_formula("a / b", {"a": 1.0, "b": 0.0}), evaluate_formula("a + c", {"a": 1.0})
    (nan, nan)
    """
    def ev(node):
        if isinstance(node, ast.Expression):
            return ev(node.body)
        if isinstance(node, ast.Constant):
            return float(node.value)
        if isinstance(node, ast.Name):
            return float(values.get(node.id, float("nan")))
        if isinstance(node, ast.UnaryOp):
            return _OPS[type(node.op)](ev(node.operand))
        left, right = ev(node.left), ev(node.right)
        if isinstance(node.op, ast.Div) and right == 0:
            return float("nan")
        return _OPS[type(node.op)](left, right)

    return ev(ast.parse(text, mode="eval"))


def formula_values(formulas: Mapping[str, str], values: pd.DataFrame, units: Mapping[str, str]) -> pd.DataFrame:
    """Formula indicators per year, in dependency order (formulas are acyclic: see
    :func:`sobriete.roadmap.model.formula_cycle`); a year where an input is missing gives no row."""
    table = {(r.indicator, int(r.year)): r.value for r in values.itertuples()}
    years = sorted({int(y) for y in values["year"]}) if len(values) else []
    done: list[str] = []
    todo = dict(formulas)
    while todo:
        ready = [k for k, v in todo.items() if not set(formula_names(v)) & set(todo)]
        for key in ready:
            for year in years:
                result = evaluate_formula(todo[key], {n: table.get((n, year), float("nan"))
                                                      for n in formula_names(todo[key])})
                if np.isfinite(result):
                    table[(key, year)] = result
            done.append(key)
            del todo[key]
        if not ready:
            break
    rows = [(k, y, table[(k, y)], units.get(k, ""), "formula") for k in done for y in years if (k, y) in table]
    return pd.DataFrame(rows, columns=VALUE_COLUMNS)


def _with_precedence(parts: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate value frames; a later part's (indicator, year) replaces an earlier one's."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return pd.DataFrame(columns=VALUE_COLUMNS)
    frame = pd.concat(parts, ignore_index=True)
    return frame.drop_duplicates(["indicator", "year"], keep="last").reset_index(drop=True)


def _exists(roadmap: Roadmap, relative: str | None, where: tuple, notices: list[Notice]) -> bool:
    """Whether a data file the roadmap names exists; if not, a notice naming file, line and field."""
    from .model import roadmap_notice

    if relative is None:
        return False
    if roadmap.resolve(relative).is_file():
        return True
    notices.append(roadmap_notice(roadmap, "roadmap_file_missing", f"the file {relative} does not exist; the "
                                  "indicators it gives are missing", where, path=str(roadmap.resolve(relative))))
    return False


def compute_indicators(roadmap: Roadmap | None = None, history=None, *, years: Iterable[int] | None = None,
                       register: pd.DataFrame | None = None) -> tuple[pd.DataFrame, list[Notice]]:
    """Every indicator value the roadmap, the history and the register give, per year.

    Parameters
    ----------
    roadmap : Roadmap, optional
        Its agents, register, values file, aliases (``builtin``) and formulas.
    history : History, optional
        Saved assessments and recorded indicator values.
    years : iterable of int, optional
        Restrict to these years (default: every year with a value).
    register : DataFrame, optional
        An asset register already read (default: the roadmap's ``asset_register:`` file).

    Returns
    -------
    (DataFrame, list of Notice)
        :data:`VALUE_COLUMNS` sorted by indicator and year, and the notices (rejected register
        rows, years with several assessments, a missing project file...).
    """
    from ..history import load_indicator_values

    notices: list[Notice] = []
    spec = roadmap.spec if roadmap is not None else None
    agents = dict(spec.agents) if spec is not None else {}
    parts = []
    if history is not None:
        from ..history import saved_projects

        frame, more = history_indicators(history)
        parts += [frame, project_indicators(saved_projects(history))]
        notices += more
    recorded = load_indicator_values(history) if history is not None else pd.DataFrame(columns=VALUE_COLUMNS)
    if spec is not None and _exists(roadmap, spec.values, ("values",), notices):
        own = read_values(roadmap.resolve(spec.values))
        recorded = _with_precedence([recorded, own.assign(origin="file")[VALUE_COLUMNS]])
    for r in recorded[recorded["indicator"] == "agents"].itertuples():
        agents.setdefault(int(r.year), float(r.value))
    if register is None and spec is not None and _exists(roadmap, spec.asset_register, ("asset_register",), notices):
        register, rejected = read_register(roadmap.resolve(spec.asset_register))
        notices += _rejection_notices(rejected)
    all_years = set(agents)
    for p in parts + [recorded]:
        all_years |= {int(y) for y in p["year"]}
    if register is not None and len(register):
        register = prepare_register(register)
        first = int(np.nanmin(register.purchase_year))
        # up to the register's last purchase, retirement or disposal: a value recorded for a later
        # year (this year's training rate) must not make the register report a 0 % reuse rate and
        # ages at a 31 December to come for a year it does not cover yet
        last = register_last_year(register)
        all_years |= set(range(max(first, (spec.baseline_year if spec else first)), last + 1))
        register_years = sorted(y for y in all_years if y <= last)
        categories = {i.builtin.split("@", 1)[1] for i in (spec.indicators if spec else [])
                      if i.builtin and "@" in i.builtin}
        present = set(pd.unique(register.category)) - {""}
        if len(present) <= MAX_CATEGORIES:   # per category, as the issue asks, unless there are too many
            categories |= present
        parts.append(register_indicators(register, register_years, agents=agents, categories=sorted(categories)))
    for field, reader in (("lighting_inventories", read_lighting), ("hosting_inventories", read_hosting)):
        for year, path in sorted((getattr(spec, field) if spec is not None else {}).items()):
            if not _exists(roadmap, path, (field, year), notices):
                continue
            frame_y, more = reader(roadmap.resolve(path), int(year))
            parts.append(frame_y)
            notices += more
    if agents:
        parts.append(pd.DataFrame([("agents", y, float(n), "1", "roadmap") for y, n in sorted(agents.items())],
                                  columns=VALUE_COLUMNS))
    frame = _with_precedence(parts + [recorded[VALUE_COLUMNS] if len(recorded) else recorded])
    per_agent = frame[frame["indicator"].isin(["footprint_gwp", "agents"])].pivot_table(
        index="year", columns="indicator", values="value", aggfunc="last")
    if {"footprint_gwp", "agents"} <= set(per_agent.columns):
        ratio = (per_agent["footprint_gwp"] / per_agent["agents"]).dropna()
        frame = _with_precedence([pd.DataFrame({"indicator": "footprint_gwp_per_agent", "year": ratio.index,
                                                "value": ratio.to_numpy(), "unit": "kgCO2e", "origin": "history"}),
                                  frame])
    if spec is not None:
        aliases = [(i.id, i.builtin) for i in spec.indicators if i.builtin and i.builtin != i.id]
        for own_id, builtin in aliases:
            sub = frame[frame["indicator"] == builtin].assign(indicator=own_id)
            frame = _with_precedence([sub, frame])   # values recorded under the roadmap's own id win
        formulas = {i.id: i.formula for i in spec.indicators if i.formula}
        if formulas:
            units = {i.id: i.unit for i in spec.indicators}
            frame = _with_precedence([frame, formula_values(formulas, frame, units)])
    if years is not None:
        frame = frame[frame["year"].isin(list(years))]
    frame = frame.astype({"year": int, "value": float})
    return frame.sort_values(["indicator", "year"], kind="stable").reset_index(drop=True), notices
