"""Equipment: embodied and use-phase impacts of an inventory of devices.

The inventory is a pandas DataFrame with canonical columns (:data:`INVENTORY_COLUMNS`);
any other column can be a grouping key. Rows are mapped to integer codes once and processed
in chunks with numpy (no per-row Python): quantities are weighted by the embodied share of the
assessed year and summed per (group, category, condition), electricity per (group, zone), then
multiplied by the factor matrices. Results reconcile exactly: parts sum to the total.

References
----------
ADEME, publicodes-acv-numerique v2.2.0 (NegaOctet / Base Empreinte data), 2025: per-device
manufacturing, distribution and end-of-life impacts, lifetimes, use profiles.
ADEME, Base Carbone V23.6, 2024: electricity "mix moyen - consommation" factors.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import InputFormatError, UnknownNameError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .units import DAYS_PER_YEAR, conversion_factor

#: Canonical inventory columns and their meaning [unit].
INVENTORY_COLUMNS = {
    "category": "catalog equipment category id (required)",
    "quantity": "number of devices [1], default 1",
    "purchase_year": "year of purchase or commissioning",
    "purchase_date": "date of purchase (wins over purchase_year where both are given)",
    "lifetime_years": "lifetime override [year]",
    "energy_kwh_per_year": "measured annual electricity [kWh/year], overrides the profile",
    "power_w": "average power when on [W] (with hours_per_year, overrides the profile)",
    "hours_per_year": "hours on per year [h/year]",
    "condition": "'new' (default) or 'refurbished'",
    "zone": "electricity grid zone, default 'FR'",
}
#: How embodied impacts are allocated to the assessed year.
ALLOCATIONS = ("amortised", "at_purchase")
#: How rows without a purchase year or date are treated.
UNDATED_POLICIES = ("steady_state", "reject")
CONDITIONS = ("new", "refurbished")
DEFAULT_ZONE = "FR"
HOURS_PER_YEAR_MAX = 366 * 24
#: Rows processed at once: bounds the engine's working memory whatever the inventory's size.
CHUNK_ROWS = 1 << 20
#: Earliest purchase year accepted.
FIRST_PURCHASE_YEAR = 1970


# --------------------------------------------------------------------------- pure functions
def embodied_share(year, start_year, lifetime_years, *, allocation: str = "amortised"):
    """Share of a device's embodied impacts allocated to calendar ``year``.

    Parameters
    ----------
    year : int
        Assessed calendar year.
    start_year : numeric
        Start of service as a fractional year (2021.0 = 1 January 2021; 2021.5 ≈ 2 July);
        NaN when unknown.
    lifetime_years : numeric
        Lifetime [year], > 0.
    allocation : {'amortised', 'at_purchase'}, keyword-only
        ``amortised``: linear over the lifetime, the share of ``[year, year+1)`` that falls in
        ``[start, start+lifetime)``; 0 once fully amortised. ``at_purchase``: everything in the
        purchase year (GHG Protocol capital goods).

    Returns
    -------
    numeric
        Share in [0, 1], same type as ``start_year``. Unknown start (NaN): ``1/lifetime``, the
        steady-state share of a fleet renewed at the end of each lifetime, in both allocations.

    Notes
    -----
    amortised: ``max(0, min(year+1, start+L) - max(year, start)) / L``; over all years the
    shares sum to 1.

    Examples
    --------
    >>> float(embodied_share(2025, 2023.0, 5.0))
    0.2
    >>> float(embodied_share(2025, 2020.0, 5.0))
    0.0
    >>> float(embodied_share(2025, 2023.0, 2.5))
    0.2
    >>> float(embodied_share(2025, 2025.0, 5.0, allocation="at_purchase"))
    1.0
    """
    if allocation not in ALLOCATIONS:
        raise UnknownNameError("allocation", allocation, ALLOCATIONS)
    start = np.asarray(start_year, dtype=float)
    lifetime = np.asarray(lifetime_years, dtype=float)
    if allocation == "amortised":
        overlap = np.minimum(year + 1.0, start + lifetime) - np.maximum(float(year), start)
        share = np.clip(overlap, 0.0, None) / lifetime
    else:
        share = (np.floor(start) == year).astype(float)
    share = np.where(np.isnan(start), 1.0 / lifetime, share)
    return _like(share, start_year)


def in_service_fraction(year, start_year):
    """Fraction of calendar ``year`` during which a device is in service (use phase).

    1 for a device in service since before the year or of unknown start; the remaining
    fraction for one started during the year; 0 for one started after it.

    Examples
    --------
    >>> float(in_service_fraction(2025, 2019.0))
    1.0
    >>> float(in_service_fraction(2025, 2025.75))
    0.25
    >>> float(in_service_fraction(2025, 2026.0))
    0.0
    """
    start = np.asarray(start_year, dtype=float)
    fraction = np.clip(year + 1.0 - np.maximum(float(year), start), 0.0, 1.0)
    return _like(np.where(np.isnan(start), 1.0, fraction), start_year)


def _like(result: np.ndarray, template):
    if isinstance(template, pd.Series):
        return pd.Series(result, index=template.index, name=template.name)
    return result


def start_year_from_date(dates: pd.Series) -> np.ndarray:
    """Fractional start year of datetimes (1 January = ``year.0``) [year]; NaN for NaT.

    Examples
    --------
    >>> start_year_from_date(pd.Series(pd.to_datetime(["2024-01-01", "2023-07-02"]))).round(3)
    array([2024.   , 2023.499])
    """
    dt = pd.to_datetime(dates, errors="coerce")
    year = dt.dt.year.to_numpy(dtype=float, na_value=np.nan)
    days = np.where(dt.dt.is_leap_year.to_numpy(dtype=bool, na_value=False), 366.0, 365.0)
    return year + (dt.dt.dayofyear.to_numpy(dtype=float, na_value=np.nan) - 1.0) / days


# --------------------------------------------------------------------------- validation
@dataclass
class _Rejections:
    """Row-level problems found while reading the inventory, kept with their reason."""

    index: pd.Index
    files: np.ndarray | None
    masks: list[tuple[np.ndarray, str, str, str, np.ndarray]]

    def add(self, positions: np.ndarray, column: str, code: str, reason: str, values) -> None:
        if len(positions):
            self.masks.append((positions, column, code, reason, np.asarray(values, dtype=object)))

    def frame(self) -> pd.DataFrame:
        parts = []
        for positions, column, code, reason, values in self.masks:
            parts.append(pd.DataFrame({
                "file": self.files[positions] if self.files is not None else None,
                "row": self.index[positions].to_numpy(), "column": column, "value": values,
                "reason_code": code, "reason": reason, "_pos": positions}))
        if not parts:
            return pd.DataFrame(columns=["file", "row", "column", "value", "reason_code", "reason"])
        frame = pd.concat(parts, ignore_index=True).sort_values(["_pos", "column"], kind="stable")
        return frame.drop(columns="_pos").reset_index(drop=True)

    def positions(self) -> np.ndarray:
        if not self.masks:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate([m[0] for m in self.masks]))


def _numeric(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """float64 values and a mask of cells that were given but are not numbers."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(len(values), dtype=bool)
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    given = series.notna().to_numpy().copy()  # writable under pandas 3 copy-on-write
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        given &= series.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
    return values, given & np.isnan(values)


def _lookup(series: pd.Series, valid: pd.Index) -> np.ndarray:
    """Integer code of each value in ``valid`` (-1 when unknown or missing)."""
    if isinstance(series.dtype, pd.CategoricalDtype):
        mapping = valid.get_indexer(series.cat.categories.astype(str))
        codes = series.cat.codes.to_numpy()
        return np.where(codes >= 0, mapping[codes], -1)
    return valid.get_indexer(series.astype(object))


_UNIT_COLUMNS = {"power_": ("W", "power_w"), "energy_": ("kWh/year", "energy_kwh_per_year")}
_SUFFIX_UNITS = {"w": "W", "kw": "kW", "mw": "MW", "wh": "Wh", "kwh": "kWh", "mwh": "MWh", "gwh": "GWh"}


def canonical_unit_columns(inventory: pd.DataFrame) -> pd.DataFrame:
    """Convert ``power_<unit>`` and ``energy_<unit>_per_year`` columns to ``power_w`` and
    ``energy_kwh_per_year`` (pint at the edge: ``power_kw`` × 1000 = ``power_w``).

    Examples
    --------
    >>> canonical_unit_columns(pd.DataFrame({"power_kw": [0.05]}))["power_w"].tolist()
    [50.0]
    """
    renamed = {}
    for column in inventory.columns:
        for prefix, (canonical_unit, canonical_name) in _UNIT_COLUMNS.items():
            name = str(column)
            if not name.startswith(prefix) or name == canonical_name:
                continue
            suffix = name[len(prefix):].removesuffix("_per_year")
            unit = _SUFFIX_UNITS.get(suffix.lower())
            if unit is None:
                continue
            if canonical_name in inventory.columns or canonical_name in renamed.values():
                raise InputFormatError(f"both '{canonical_name}' and '{name}' are given; keep one",
                                       column=name)
            unit = unit + ("/year" if prefix == "energy_" else "")
            renamed[name] = canonical_name
            factor = conversion_factor(unit, canonical_unit, column=name)
            inventory = inventory.assign(**{name: pd.to_numeric(inventory[name], errors="coerce") * factor
                                            if pd.api.types.is_numeric_dtype(inventory[name]) else
                                            inventory[name]})
            if not pd.api.types.is_numeric_dtype(inventory[name]):
                raise InputFormatError(f"column '{name}' must be numeric to be converted to {canonical_unit}",
                                       column=name)
    return inventory.rename(columns=renamed) if renamed else inventory


# --------------------------------------------------------------------------- grouping
def group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, list[pd.Index]]:
    """Mixed-radix group code of each row over ``by`` (missing values form their own group),
    and the sorted unique values of each key."""
    code = np.zeros(len(frame), dtype=np.int64)
    uniques = []
    for name in by:
        series = frame[name]
        if isinstance(series.dtype, pd.CategoricalDtype):
            categories = series.cat.categories
            codes = series.cat.codes.to_numpy().astype(np.int64)
            if (codes < 0).any():
                codes = np.where(codes < 0, len(categories), codes)
                categories = categories.append(pd.Index([np.nan]))
            keys = pd.Index(categories)
        else:
            codes, keys = pd.factorize(series, sort=True, use_na_sentinel=False)
            codes = codes.astype(np.int64)
        code = code * max(len(keys), 1) + codes
        uniques.append(pd.Index(keys, name=name))
    return code, uniques


def _keys_frame(present: np.ndarray, uniques: list[pd.Index]) -> pd.DataFrame:
    shape = [max(len(u), 1) for u in uniques]
    if not uniques:
        return pd.DataFrame(index=range(len(present)))
    digits = np.unravel_index(present, shape)
    return pd.DataFrame({u.name: u.take(d) for u, d in zip(uniques, digits)})


# --------------------------------------------------------------------------- the engine
@dataclass(frozen=True)
class _Columns:
    """The inventory's canonical columns, resolved once (None when absent)."""

    n: int
    category: pd.Series
    quantity: pd.Series | None
    purchase_year: pd.Series | None
    purchase_date: pd.Series | None
    lifetime: pd.Series | None
    energy: pd.Series | None
    power: pd.Series | None
    hours: pd.Series | None
    condition: pd.Series | None
    zone: pd.Series | None


def _resolve_columns(inventory: pd.DataFrame) -> _Columns:
    if "category" not in inventory.columns:
        raise InputFormatError("the inventory has no 'category' column; canonical columns are: "
                               + ", ".join(INVENTORY_COLUMNS), column="category")
    get = inventory.get
    return _Columns(len(inventory), inventory["category"], get("quantity"), get("purchase_year"),
                    get("purchase_date"), get("lifetime_years"), get("energy_kwh_per_year"),
                    get("power_w"), get("hours_per_year"), get("condition"), get("zone"))


def _chunk(series: pd.Series | None, sl: slice) -> pd.Series | None:
    return None if series is None else series.iloc[sl]


def assess_equipment(inventory: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                     by: Iterable[str] | str | None = None, allocation: str = "amortised",
                     undated: str = "steady_state", detail: bool = False) -> Footprint:
    """Footprint of an equipment inventory for one calendar year.

    Parameters
    ----------
    inventory : DataFrame
        Canonical columns (:data:`INVENTORY_COLUMNS`); any other column can be a key in ``by``.
        A ``_file`` column, if present, names each row's source file in rejections; the index
        labels are reported as row numbers.
    year : int
        Assessed calendar year.
    catalog : FactorCatalog, optional
        Defaults to the bundled catalog.
    by : str or list of str, optional
        Grouping keys (e.g. ``["entity", "category"]``); none: one total.
    allocation : {'amortised', 'at_purchase'}, keyword-only
        See :func:`embodied_share`.
    undated : {'steady_state', 'reject'}, keyword-only
        Rows without purchase year or date: counted at ``1/lifetime`` of their embodied
        impacts per year (steady state), or rejected.
    detail : bool, keyword-only
        Also return per-row impacts in ``Footprint.rows``.

    Returns
    -------
    Footprint
        Rows with invalid values are not assessed; each is reported in
        ``Footprint.quality.rejected`` with its column and reason.

    Notes
    -----
    Embodied [unit] = Σ quantity × share(year) × factor[category, condition, criterion, phase];
    use [unit] = Σ quantity × in-service fraction × annual energy [kWh] × grid[zone, year].
    Refurbished devices carry ``ratio × factor`` of a new one's embodied impacts.

    Examples
    --------
    >>> inv = pd.DataFrame({"category": ["laptop", "laptop"], "quantity": [10, 5],
    ...                     "purchase_year": [2023, 2015], "entity": ["A", "B"]})
    >>> fp = assess_equipment(inv, 2025, by="entity")
    >>> fp.quality.rows_assessed
    2
    """
    return assess_equipment_years(inventory, [year], catalog=catalog, by=by, allocation=allocation,
                                  undated=undated, detail=detail)[year]


def assess_equipment_years(inventory: pd.DataFrame, years: Iterable[int], *,
                           catalog: FactorCatalog | None = None, by: Iterable[str] | str | None = None,
                           allocation: str = "amortised", undated: str = "steady_state",
                           detail: bool = False) -> dict[int, Footprint]:
    """:func:`assess_equipment` for several years in one pass over the inventory.

    The rows are read, validated and coded once; each year only changes the embodied shares
    and the grid factors. Returns ``{year: Footprint}``.
    """
    years = [int(y) for y in years]
    if allocation not in ALLOCATIONS:
        raise UnknownNameError("allocation", allocation, ALLOCATIONS)
    if undated not in UNDATED_POLICIES:
        raise UnknownNameError("undated policy", undated, UNDATED_POLICIES)
    catalog = catalog if catalog is not None else load_catalog()
    by = [by] if isinstance(by, str) else list(by or [])
    inventory = canonical_unit_columns(inventory)
    missing = [k for k in by if k not in inventory.columns]
    if missing:
        raise UnknownNameError("grouping column", missing[0], inventory.columns)
    cols = _resolve_columns(inventory)
    eq = catalog.equipment
    n_cat, n_crit = len(eq.categories), len(catalog.criteria)
    zones = catalog.zones
    conditions = pd.Index(CONDITIONS)
    grids = {y: catalog.grid(y) for y in years}

    gid_all, uniques = group_codes(inventory, by)
    n_groups = int(np.prod([max(len(u), 1) for u in uniques])) if uniques else 1
    if n_groups * 2 * n_cat > 50_000_000:  # sparse combination of many keys: compress the codes
        present, gid_all = np.unique(gid_all, return_inverse=True)
        keys_all = _keys_frame(present, uniques)
        n_groups = len(present)
    else:
        keys_all = None

    # Per category: hours per year of the catalog profile, for rows that give only a power.
    params = catalog.table("equipment_parameters").pivot(index="category", columns="parameter", values="value")
    params = params.reindex(eq.categories)
    daily = params["daily_use"].to_numpy(float) if "daily_use" in params else np.full(n_cat, np.nan)
    profile_hours = daily * DAYS_PER_YEAR

    # Factor matrices for the extended category code c + n_cat * refurbished.
    factor2 = np.concatenate([eq.embodied, eq.embodied * eq.refurbished_ratio])  # (2 n_cat, crit, 3)
    factor2_missing = np.isnan(factor2)
    factor2 = np.nan_to_num(factor2)

    k2 = 2 * n_cat
    acc_emb = {y: np.zeros(n_groups * k2) for y in years}
    acc_emb_rows = {y: np.zeros(n_groups * k2) for y in years}
    acc_kwh = {y: np.zeros(n_groups * len(zones)) for y in years}
    acc_kwh_rows = {y: np.zeros(n_groups * len(zones)) for y in years}
    rows_per_group = np.zeros(n_groups, dtype=np.int64)
    counts = {"undated_rows": 0, "refurbished_rows": 0, "profile_energy_rows": 0,
              "measured_energy_rows": 0, "power_hours_energy_rows": 0}
    year_counts = {y: {"not_in_service_rows": 0, "fully_amortised_rows": 0} for y in years}
    zones_used: set[int] = set()
    files = inventory["_file"].astype(object).to_numpy() if "_file" in inventory.columns else None
    rejections = _Rejections(inventory.index, files, [])
    detail_parts = []
    latest_year = max(pd.Timestamp.today().year, max(years))

    for first in range(0, cols.n, CHUNK_ROWS):
        sl = slice(first, min(first + CHUNK_ROWS, cols.n))
        m = sl.stop - sl.start
        pos = np.arange(sl.start, sl.stop)
        bad = np.zeros(m, dtype=bool)

        def reject(mask, column, code, reason, values):
            nonlocal bad
            mask = mask & ~bad
            if mask.any():
                rejections.add(pos[mask], column, code, reason, np.asarray(values)[mask])
                bad |= mask

        category = cols.category.iloc[sl]
        cat = _lookup(category, eq.categories)
        cat_missing = category.isna().to_numpy()
        reject(cat_missing, "category", "missing_category", "category is missing", category.to_numpy())
        reject(cat < 0, "category", "unknown_category",
               "unknown category (not in the factor catalog)", category.astype(object).to_numpy())

        if cols.quantity is not None:
            qty, not_number = _numeric(cols.quantity.iloc[sl])
            raw_qty = cols.quantity.iloc[sl].to_numpy(dtype=object)
            reject(not_number, "quantity", "bad_quantity", "quantity is not a number", raw_qty)
            reject(np.isnan(qty), "quantity", "missing_quantity", "quantity is missing", raw_qty)
            reject(qty < 0, "quantity", "negative_quantity", "quantity is negative", raw_qty)
        else:
            qty = np.ones(m)

        start = np.full(m, np.nan)
        if cols.purchase_year is not None:
            py, not_number = _numeric(cols.purchase_year.iloc[sl])
            raw = cols.purchase_year.iloc[sl].to_numpy(dtype=object)
            reject(not_number | (np.mod(py, 1) != 0) & ~np.isnan(py), "purchase_year", "bad_purchase_year",
                   "purchase year is not a whole year", raw)
            reject((py < FIRST_PURCHASE_YEAR) | (py > latest_year), "purchase_year", "implausible_purchase_year",
                   f"purchase year outside {FIRST_PURCHASE_YEAR}–{latest_year}", raw)
            start = py
        if cols.purchase_date is not None:
            raw_dates = cols.purchase_date.iloc[sl]
            parsed = pd.to_datetime(raw_dates, errors="coerce", dayfirst=True)
            given = raw_dates.notna().to_numpy() & ~(raw_dates.astype("string").str.strip().eq("").fillna(False)
                                                     .to_numpy(dtype=bool))
            reject(given & parsed.isna().to_numpy(), "purchase_date", "bad_purchase_date",
                   "purchase date is not a date", raw_dates.to_numpy(dtype=object))
            from_date = start_year_from_date(parsed)
            reject((from_date < FIRST_PURCHASE_YEAR) | (from_date >= latest_year + 1), "purchase_date",
                   "implausible_purchase_date", f"purchase date outside {FIRST_PURCHASE_YEAR}–{latest_year}",
                   raw_dates.to_numpy(dtype=object))
            start = np.where(np.isnan(from_date), start, from_date)
        undated_rows = np.isnan(start)
        if undated == "reject":
            reject(undated_rows, "purchase_year", "undated", "no purchase year or date (undated='reject')",
                   np.full(m, None))

        lifetime = eq.lifetime_years[np.clip(cat, 0, None)]
        if cols.lifetime is not None:
            lt, not_number = _numeric(cols.lifetime.iloc[sl])
            raw = cols.lifetime.iloc[sl].to_numpy(dtype=object)
            reject(not_number | (lt <= 0), "lifetime_years", "bad_lifetime", "lifetime must be a positive number", raw)
            lifetime = np.where(np.isnan(lt), lifetime, lt)

        energy = eq.energy_kwh_per_year[np.clip(cat, 0, None)]
        source = np.zeros(m, dtype=np.int8)  # 0 profile, 1 measured kWh, 2 power x hours
        power = hours = None
        if cols.power is not None:
            power, not_number = _numeric(cols.power.iloc[sl])
            reject(not_number | (power < 0), "power_w", "bad_power", "power must be a number ≥ 0",
                   cols.power.iloc[sl].to_numpy(dtype=object))
        if cols.hours is not None:
            hours, not_number = _numeric(cols.hours.iloc[sl])
            reject(not_number | (hours < 0) | (hours > HOURS_PER_YEAR_MAX), "hours_per_year", "bad_hours",
                   f"hours per year must be between 0 and {HOURS_PER_YEAR_MAX}",
                   cols.hours.iloc[sl].to_numpy(dtype=object))
        if power is not None:
            h = profile_hours[np.clip(cat, 0, None)] if hours is None else \
                np.where(np.isnan(hours), profile_hours[np.clip(cat, 0, None)], hours)
            has_power = ~np.isnan(power)
            reject(has_power & np.isnan(h), "hours_per_year", "missing_hours",
                   "power given without hours_per_year and the category has no daily-use profile",
                   np.full(m, None))
            energy = np.where(has_power, power * h * conversion_factor("W*h", "kWh"), energy)
            source = np.where(has_power, 2, source).astype(np.int8)
        if cols.energy is not None:
            kwh, not_number = _numeric(cols.energy.iloc[sl])
            reject(not_number | (kwh < 0), "energy_kwh_per_year", "bad_energy",
                   "annual energy must be a number ≥ 0", cols.energy.iloc[sl].to_numpy(dtype=object))
            energy = np.where(np.isnan(kwh), energy, kwh)
            source = np.where(np.isnan(kwh), source, 1).astype(np.int8)

        refurbished = np.zeros(m, dtype=bool)
        if cols.condition is not None:
            cond_series = cols.condition.iloc[sl]
            cond = _lookup(cond_series, conditions)
            cond = np.where(cond_series.isna().to_numpy(), 0, cond)
            reject(cond < 0, "condition", "unknown_condition", "condition must be 'new' or 'refurbished'",
                   cond_series.to_numpy(dtype=object))
            refurbished = cond == 1
        if cols.zone is not None:
            zone_series = cols.zone.iloc[sl]
            zone = _lookup(zone_series, zones)
            zone = np.where(zone_series.isna().to_numpy(), zones.get_loc(DEFAULT_ZONE), zone)
            reject(zone < 0, "zone", "unknown_zone", "unknown electricity zone", zone_series.to_numpy(dtype=object))
        else:
            zone = np.full(m, zones.get_loc(DEFAULT_ZONE))

        ok = ~bad
        if not ok.any():
            continue
        cat, qty, start, lifetime, energy = cat[ok], qty[ok], start[ok], lifetime[ok], energy[ok]
        refurbished, zone, source, undated_ok = refurbished[ok], zone[ok], source[ok], undated_rows[ok]
        gid = gid_all[sl][ok]
        rows_per_group += np.bincount(gid, minlength=n_groups)
        code2 = cat + n_cat * refurbished
        emb_index = gid * k2 + code2
        zone_index = gid * len(zones) + zone
        zones_used.update(np.unique(zone).tolist())
        counts["undated_rows"] += int(undated_ok.sum())
        counts["refurbished_rows"] += int(refurbished.sum())
        counts["profile_energy_rows"] += int((source == 0).sum())
        counts["measured_energy_rows"] += int((source == 1).sum())
        counts["power_hours_energy_rows"] += int((source == 2).sum())
        for y in years:
            share = embodied_share(y, start, lifetime, allocation=allocation)
            service = in_service_fraction(y, start)
            year_counts[y]["not_in_service_rows"] += int((service == 0).sum())
            year_counts[y]["fully_amortised_rows"] += int(((start + lifetime) <= y).sum())
            weight = qty * share
            acc_emb[y] += np.bincount(emb_index, weight, minlength=n_groups * k2)
            acc_emb_rows[y] += np.bincount(emb_index, weight > 0, minlength=n_groups * k2)
            kwh = qty * service * energy
            acc_kwh[y] += np.bincount(zone_index, kwh, minlength=n_groups * len(zones))
            acc_kwh_rows[y] += np.bincount(zone_index, kwh > 0, minlength=n_groups * len(zones))
            if detail:
                detail_parts.append(_detail_rows(inventory.index[sl][ok], y, weight, factor2[code2], kwh,
                                                 grids[y].values[zone], catalog.criteria))

    rejected = rejections.frame()
    n_rejected = len(rejections.positions())
    used_zone_ids = [zones[z] for z in sorted(zones_used)]
    present = np.flatnonzero(rows_per_group) if keys_all is None else np.arange(n_groups)
    keys = _keys_frame(present, uniques) if keys_all is None else keys_all
    if keys_all is not None:
        present = np.flatnonzero(rows_per_group)
        keys = keys.iloc[present].reset_index(drop=True)

    results = {}
    for y in years:
        grid = grids[y]
        catalog.require_grid(grid, used_zone_ids)
        emb = acc_emb[y].reshape(n_groups, k2)[present]
        emb_rows = acc_emb_rows[y].reshape(n_groups, k2)[present]
        kwh = acc_kwh[y].reshape(n_groups, len(zones))[present]
        kwh_rows = acc_kwh_rows[y].reshape(n_groups, len(zones))[present]
        values = np.zeros((len(present), n_crit, len(PHASES)))
        uncovered = np.zeros_like(values)
        embodied_at = [PHASES.index(p) for p in EMBODIED_PHASES]
        values[:, :, embodied_at] = np.einsum("gc,ckp->gkp", emb, factor2)
        uncovered[:, :, embodied_at] = np.einsum("gc,ckp->gkp", emb_rows, factor2_missing.astype(float))
        use_at = PHASES.index("use")
        values[:, :, use_at] = kwh @ np.nan_to_num(grid.values)
        uncovered[:, :, use_at] = kwh_rows @ np.isnan(grid.values).astype(float)
        quality = DataQuality(rows_read=cols.n, rows_assessed=cols.n - n_rejected, rows_rejected=n_rejected,
                              rejected=rejected,
                              counts={**counts, **year_counts[y]},
                              warnings=tuple(grid.warnings(used_zone_ids)) + _coverage_warnings(
                                  uncovered, catalog.criteria))
        rows = None
        if detail:
            rows = pd.concat([p for p in detail_parts if p.attrs["year"] == y] or [pd.DataFrame()])
        results[y] = Footprint(values, keys.reset_index(drop=True), catalog.criteria,
                               tuple(catalog.criterion_units[c] for c in catalog.criteria),
                               kwh.sum(axis=1), uncovered, catalog.version, catalog.hash,
                               {"domain": "equipment", "year": y, "allocation": allocation, "undated": undated,
                                "by": list(by)}, quality, PHASES, rows)
    return results


def _coverage_warnings(uncovered: np.ndarray, criteria: Sequence[str]) -> tuple[str, ...]:
    out = []
    for k, criterion in enumerate(criteria):
        for j, phase in enumerate(PHASES):
            n = int(uncovered[:, k, j].sum())
            if n:
                out.append(f"{criterion}/{phase}: {n} row(s) have no factor; the value is a lower bound")
    return tuple(out)


def _detail_rows(index: pd.Index, year: int, weight: np.ndarray, factors: np.ndarray, kwh: np.ndarray,
                 grid_rows: np.ndarray, criteria: Sequence[str]) -> pd.DataFrame:
    data = {"energy_kwh": kwh}
    for k, criterion in enumerate(criteria):
        for j, phase in enumerate(EMBODIED_PHASES):
            data[f"{criterion}_{phase}"] = weight * factors[:, k, j]
        data[f"{criterion}_use"] = kwh * np.nan_to_num(grid_rows[:, k])
    frame = pd.DataFrame(data, index=index)
    frame.attrs["year"] = year
    return frame
