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

from ._engine import (CHUNK_ROWS, DEFAULT_ZONE, _CodeColumn, _coverage_warnings, _GroupKeys, _keys_frame,  # noqa: F401
                      _lookup, _NumberColumn, _numeric, _Rejections, group_codes)
from .errors import InputFormatError, UnknownNameError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .parsing import to_datetimes
from .schema import CONDITIONS, INVENTORY_COLUMNS, POWER_ENERGY_SUFFIX_UNITS  # noqa: F401  (re-exported)
from .units import conversion_factor

#: How embodied impacts are allocated to the assessed year.
ALLOCATIONS = ("amortised", "at_purchase")
#: How rows without a purchase year or date are treated.
UNDATED_POLICIES = ("steady_state", "reject")
HOURS_PER_YEAR_MAX = 366 * 24
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
    """Fractional start year of dates (1 January = ``year.0``) [year]; NaN where not a date.

    Text dates are read by :func:`sobriete.parsing.to_datetimes`: ISO ``yyyy-mm-dd`` year first,
    ``dd/mm/yyyy`` day first, both in one column.

    Examples
    --------
    >>> start_year_from_date(pd.Series(pd.to_datetime(["2024-01-01", "2023-07-02"]))).round(3)
    array([2024.   , 2023.499])
    >>> start_year_from_date(pd.Series(["2025-03-04", "04/03/2025", "2025-12-31", "31/02/2025"])).round(3)
    array([2025.17 , 2025.17 , 2025.997,      nan])
    """
    dt = to_datetimes(dates)
    year = dt.dt.year.to_numpy(dtype=float, na_value=np.nan)
    days = np.where(dt.dt.is_leap_year.to_numpy(dtype=bool, na_value=False), 366.0, 365.0)
    return year + (dt.dt.day_of_year.to_numpy(dtype=float, na_value=np.nan) - 1.0) / days


# --------------------------------------------------------------------------- validation
_UNIT_COLUMNS = {"power_": ("W", "power_w"), "energy_": ("kWh/year", "energy_kwh_per_year")}


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
            unit = POWER_ENERGY_SUFFIX_UNITS.get(suffix.lower())
            if unit is None:
                continue
            if canonical_name in inventory.columns or canonical_name in renamed.values():
                raise InputFormatError(f"both '{canonical_name}' and '{name}' are given; keep one",
                                       column=name, code="both_columns", first=canonical_name, second=name)
            unit = unit + ("/year" if prefix == "energy_" else "")
            renamed[name] = canonical_name
            factor = conversion_factor(unit, canonical_unit, column=name)
            inventory = inventory.assign(**{name: _scaled(inventory[name], factor)})
    return inventory.rename(columns=renamed) if renamed else inventory


def _scaled(series: pd.Series, factor: float) -> pd.Series:
    """``series`` × ``factor`` where it holds numbers; cells that are not numbers are kept as
    they are, so that the engine rejects their rows with the reason (never silently NaN)."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        return series.astype(float) * factor
    values, not_number = _numeric(series)
    if not not_number.any():
        return pd.Series(values * factor, index=series.index, name=series.name)
    out = pd.Series(values * factor, index=series.index, name=series.name, dtype=object)
    out[not_number] = series[not_number].astype(object)
    return out


# --------------------------------------------------------------------------- the engine
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
        Also return per-row impacts in ``Footprint.rows`` (criterion units; NaN where the
        catalog has no factor, never 0).

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


class _Accumulator:
    """Sums per (group, extended category) and (group, zone), for each assessed year."""

    def __init__(self, years: list[int], n_groups: int, k2: int, n_zones: int):
        self.emb = {y: np.zeros(n_groups * k2) for y in years}
        self.kwh = {y: np.zeros(n_groups * n_zones) for y in years}
        self.emb_rows = np.zeros(n_groups * k2)
        self.zone_rows = np.zeros(n_groups * n_zones)
        self.group_rows = np.zeros(n_groups, dtype=np.int64)
        self.zones_used = np.zeros(n_zones, dtype=bool)
        self.counts = {"undated_rows": 0, "refurbished_rows": 0, "profile_energy_rows": 0,
                       "measured_energy_rows": 0, "power_hours_energy_rows": 0}
        self.year_counts = {y: {"not_in_service_rows": 0, "fully_amortised_rows": 0} for y in years}


def assess_equipment_years(inventory: pd.DataFrame, years: Iterable[int], *,
                           catalog: FactorCatalog | None = None, by: Iterable[str] | str | None = None,
                           allocation: str = "amortised", undated: str = "steady_state",
                           detail: bool = False) -> dict[int, Footprint]:
    """:func:`assess_equipment` for several years in one pass over the inventory.

    The rows are read, validated and coded once; each year only changes the embodied shares
    and the grid factors.

    Parameters
    ----------
    inventory : DataFrame
        As for :func:`assess_equipment`.
    years : iterable of int
        Assessed calendar years.
    catalog, by, allocation, undated, detail
        As for :func:`assess_equipment`.

    Returns
    -------
    dict of int to Footprint
        One footprint per year, each equal to ``assess_equipment(inventory, year, ...)``.

    Examples
    --------
    >>> inv = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2023]})
    >>> many = assess_equipment_years(inv, range(2025, 2031))
    >>> [bool(many[y].total().loc["gwp", "manufacturing"] > 0) for y in (2025, 2030)]
    [True, False]
    """
    years = [int(y) for y in years]
    if allocation not in ALLOCATIONS:
        raise UnknownNameError("allocation", allocation, ALLOCATIONS)
    if undated not in UNDATED_POLICIES:
        raise UnknownNameError("undated policy", undated, UNDATED_POLICIES)
    catalog = catalog if catalog is not None else load_catalog()
    by = [by] if isinstance(by, str) else list(by or [])
    inventory = canonical_unit_columns(inventory)
    if "category" not in inventory.columns:
        raise InputFormatError("the inventory has no 'category' column; canonical columns are: "
                               + ", ".join(INVENTORY_COLUMNS), column="category",
                               code="missing_column", table="inventory", missing="category",
                               columns=list(INVENTORY_COLUMNS))
    missing = [k for k in by if k not in inventory.columns]
    if missing:
        raise UnknownNameError("grouping column", missing[0], inventory.columns)
    eq = catalog.equipment
    n_cat, zones = len(eq.categories), catalog.zones
    keys = _GroupKeys(inventory, by)
    acc = _Accumulator(years, keys.n_groups, 2 * n_cat, len(zones))
    reader = _InventoryReader(inventory, catalog, undated)
    detail_parts: dict[int, list[pd.DataFrame]] = {y: [] for y in years}
    grids = {y: catalog.grid(y) for y in years}
    factor2 = np.concatenate([eq.embodied, eq.embodied * eq.refurbished_ratio])  # (2 n_cat, crit, 3)

    for first in range(0, len(inventory), CHUNK_ROWS):
        sl = slice(first, min(first + CHUNK_ROWS, len(inventory)))
        rows = reader.read(sl)
        if rows is None:
            continue
        gid = keys.codes(sl)[rows.ok] if rows.ok is not None else keys.codes(sl)
        _accumulate(acc, rows, gid, years, allocation, n_cat, len(zones))
        if detail:
            index = inventory.index[sl] if rows.ok is None else inventory.index[sl][rows.ok]
            for y in years:
                weight = rows.quantity * embodied_share(y, rows.start, rows.lifetime, allocation=allocation)
                kwh = rows.quantity * in_service_fraction(y, rows.start) * rows.energy
                detail_parts[y].append(_detail_rows(index, weight, factor2[rows.code2], kwh,
                                                    grids[y].values[rows.zone], catalog.criteria))

    return {y: _footprint(catalog, acc, keys, grids[y], y, factor2, reader, by, allocation, undated,
                          pd.concat(detail_parts[y]) if detail and detail_parts[y] else None)
            for y in years}


@dataclass
class _Rows:
    """The valid rows of one chunk, as float64 arrays in canonical units and integer codes."""

    ok: np.ndarray | None  # mask of valid rows in the chunk (None: all valid)
    code2: np.ndarray  # category code + n_categories for refurbished devices
    quantity: np.ndarray
    start: np.ndarray
    lifetime: np.ndarray
    energy: np.ndarray
    energy_source: np.ndarray  # 0 catalog profile, 1 measured kWh, 2 power x hours
    zone: np.ndarray
    undated: np.ndarray


_BAD_NUMBER_CODES = {"quantity": "bad_quantity", "purchase_year": "bad_purchase_year", "lifetime_years": "bad_lifetime",
                     "energy_kwh_per_year": "bad_energy", "power_w": "bad_power", "hours_per_year": "bad_hours"}


class _InventoryReader:
    """Reads canonical columns chunk by chunk, rejecting invalid rows with their reason."""

    def __init__(self, inventory: pd.DataFrame, catalog: FactorCatalog, undated: str):
        eq = catalog.equipment
        get = inventory.get
        self.n = len(inventory)
        self.eq = eq
        self.undated = undated
        self.category = _CodeColumn(inventory["category"], eq.categories)
        self.zone = None if get("zone") is None else _CodeColumn(inventory["zone"], catalog.zones)
        self.default_zone = catalog.zones.get_loc(DEFAULT_ZONE)
        self.condition = None if get("condition") is None else _CodeColumn(inventory["condition"],
                                                                            pd.Index(CONDITIONS))
        self.numbers = {name: _NumberColumn(inventory[name]) for name in
                        ("quantity", "purchase_year", "lifetime_years", "energy_kwh_per_year", "power_w",
                         "hours_per_year") if name in inventory.columns}
        self.dates = None if get("purchase_date") is None else _NumberColumn(inventory["purchase_date"])
        self.profile_hours = eq.hours_per_year
        self.latest_year = pd.Timestamp.today().year + 1
        files = inventory["_file"].astype(object).to_numpy() if "_file" in inventory.columns else None
        self.rejections = _Rejections(inventory.index, files, [])

    def read(self, sl: slice) -> _Rows | None:
        m = sl.stop - sl.start
        bad = np.zeros(m, dtype=bool)
        columns = {"category": self.category, "zone": self.zone, "condition": self.condition,
                   "purchase_date": self.dates, **self.numbers}

        def reject(mask, column, code, reason):
            if mask is None or not mask.any():
                return
            mask = mask & ~bad
            if mask.any():
                positions = np.flatnonzero(mask) + sl.start
                source = columns.get(column)
                values = source.raw(positions) if source is not None else np.full(len(positions), None)
                self.rejections.add(positions, column, code, reason, values)
                bad[mask] = True

        cat = self.category.chunk(sl)
        reject(cat == -2, "category", "missing_category", "category is missing")
        reject(cat == -1, "category", "unknown_category", "unknown category (not in the factor catalog)")
        cat = np.maximum(cat, 0)

        qty = self._number("quantity", sl, reject, default=1.0)
        if "quantity" in self.numbers:
            reject(np.isnan(qty), "quantity", "missing_quantity", "quantity is missing")
            reject(qty < 0, "quantity", "negative_quantity", "quantity is negative")

        start = self._number("purchase_year", sl, reject, default=np.nan, whole=True)
        if "purchase_year" in self.numbers:
            reject((start < FIRST_PURCHASE_YEAR) | (start > self.latest_year), "purchase_year",
                   "implausible_purchase_year", f"purchase year outside {FIRST_PURCHASE_YEAR}–{self.latest_year}")
        if self.dates is not None:
            start = self._dates(sl, start, reject)
        undated = np.isnan(start)
        if self.undated == "reject":
            reject(undated, "purchase_year", "undated", "no purchase year or date (undated='reject')")

        lifetime = self.eq.lifetime_years[cat]
        if "lifetime_years" in self.numbers:
            given = self._number("lifetime_years", sl, reject, default=np.nan)
            reject(given <= 0, "lifetime_years", "bad_lifetime", "lifetime must be a positive number")
            lifetime = np.where(np.isnan(given), lifetime, given)

        energy, source = self._energy(cat, sl, reject)

        refurbished = np.zeros(m, dtype=bool)
        if self.condition is not None:
            cond = self.condition.chunk(sl)
            reject(cond == -1, "condition", "unknown_condition", "condition must be 'new' or 'refurbished'")
            refurbished = cond == 1
        if self.zone is not None:
            zone = self.zone.chunk(sl)
            reject(zone == -1, "zone", "unknown_zone", "unknown electricity zone")
            zone = np.where(zone == -2, self.default_zone, zone)
        else:
            zone = np.full(m, self.default_zone)

        code2 = cat + len(self.eq.categories) * refurbished
        if not bad.any():
            return _Rows(None, code2, qty, start, lifetime, energy, source, zone, undated)
        ok = ~bad
        if not ok.any():
            return None
        return _Rows(ok, code2[ok], qty[ok], start[ok], lifetime[ok], energy[ok], source[ok], zone[ok], undated[ok])

    def _number(self, name, sl, reject, *, default, whole=False):
        column = self.numbers.get(name)
        if column is None:
            return np.full(sl.stop - sl.start, default)
        values, not_number = column.chunk(sl)
        code = _BAD_NUMBER_CODES[name]
        reject(not_number, name, code, f"{name} is not a number")
        if whole and not column.whole:
            reject((np.mod(values, 1) != 0) & ~np.isnan(values), name, code, f"{name} is not a whole year")
        return values

    def _dates(self, sl, start, reject):
        raw = self.dates.series.iloc[sl]
        parsed = to_datetimes(raw)
        given = raw.notna().to_numpy() & raw.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
        reject(given & parsed.isna().to_numpy(), "purchase_date", "bad_purchase_date", "purchase date is not a date")
        from_date = start_year_from_date(parsed)
        reject((from_date < FIRST_PURCHASE_YEAR) | (from_date >= self.latest_year + 1), "purchase_date",
               "implausible_purchase_date", f"purchase date outside {FIRST_PURCHASE_YEAR}–{self.latest_year}")
        return np.where(np.isnan(from_date), start, from_date)

    def _energy(self, cat, sl, reject):
        m = sl.stop - sl.start
        energy = self.eq.energy_kwh_per_year[cat]
        source = np.zeros(m, dtype=np.int8)
        power = self._number("power_w", sl, reject, default=np.nan) if "power_w" in self.numbers else None
        if power is not None:
            reject(power < 0, "power_w", "bad_power", "power must be a number ≥ 0")
            hours = self._number("hours_per_year", sl, reject, default=np.nan)
            reject((hours < 0) | (hours > HOURS_PER_YEAR_MAX), "hours_per_year", "bad_hours",
                   f"hours per year must be between 0 and {HOURS_PER_YEAR_MAX}")
            hours = np.where(np.isnan(hours), self.profile_hours[cat], hours)
            has_power = ~np.isnan(power)
            reject(has_power & np.isnan(hours), "hours_per_year", "missing_hours",
                   "power given without hours_per_year and the category has no daily-use profile")
            energy = np.where(has_power, power * hours * conversion_factor("W*h", "kWh"), energy)
            source[has_power] = 2
        if "energy_kwh_per_year" in self.numbers:
            kwh = self._number("energy_kwh_per_year", sl, reject, default=np.nan)
            reject(kwh < 0, "energy_kwh_per_year", "bad_energy", "annual energy must be a number ≥ 0")
            measured = ~np.isnan(kwh)
            energy = np.where(measured, kwh, energy)
            source[measured] = 1
        return energy, source


def _accumulate(acc: _Accumulator, rows: _Rows, gid: np.ndarray, years: list[int], allocation: str,
                n_cat: int, n_zones: int) -> None:
    k2 = 2 * n_cat
    n_groups = len(acc.group_rows)
    emb_index = gid * k2 + rows.code2
    zone_index = gid * n_zones + rows.zone
    acc.group_rows += np.bincount(gid, minlength=n_groups)
    acc.emb_rows += np.bincount(emb_index, minlength=n_groups * k2)
    acc.zone_rows += np.bincount(zone_index, minlength=n_groups * n_zones)
    acc.zones_used |= np.bincount(rows.zone, minlength=n_zones) > 0
    counts = acc.counts
    counts["undated_rows"] += int(rows.undated.sum())
    counts["refurbished_rows"] += int((rows.code2 >= n_cat).sum())
    sources = np.bincount(rows.energy_source, minlength=3)
    counts["profile_energy_rows"] += int(sources[0])
    counts["measured_energy_rows"] += int(sources[1])
    counts["power_hours_energy_rows"] += int(sources[2])
    end = rows.start + rows.lifetime
    for y in years:
        share = embodied_share(y, rows.start, rows.lifetime, allocation=allocation)
        service = in_service_fraction(y, rows.start)
        acc.year_counts[y]["not_in_service_rows"] += int(np.count_nonzero(service == 0))
        acc.year_counts[y]["fully_amortised_rows"] += int(np.count_nonzero(end <= y))
        acc.emb[y] += np.bincount(emb_index, rows.quantity * share, minlength=n_groups * k2)
        acc.kwh[y] += np.bincount(zone_index, rows.quantity * service * rows.energy, minlength=n_groups * n_zones)


def _footprint(catalog, acc, keys, grid, year, factor2, reader, by, allocation, undated, rows):
    zones = catalog.zones
    used = [zones[z] for z in np.flatnonzero(acc.zones_used)]
    catalog.require_grid(grid, used)
    present = np.flatnonzero(acc.group_rows)
    k2 = factor2.shape[0]
    emb = acc.emb[year].reshape(-1, k2)[present]
    emb_rows = acc.emb_rows.reshape(-1, k2)[present]
    kwh = acc.kwh[year].reshape(-1, len(zones))[present]
    kwh_rows = acc.zone_rows.reshape(-1, len(zones))[present]
    values = np.zeros((len(present), len(catalog.criteria), len(PHASES)))
    uncovered = np.zeros_like(values)
    embodied_at = [PHASES.index(p) for p in EMBODIED_PHASES]
    values[:, :, embodied_at] = np.einsum("gc,ckp->gkp", emb, np.nan_to_num(factor2))
    uncovered[:, :, embodied_at] = np.einsum("gc,ckp->gkp", emb_rows, np.isnan(factor2).astype(float))
    use_at = PHASES.index("use")
    values[:, :, use_at] = kwh @ np.nan_to_num(grid.values)
    uncovered[:, :, use_at] = kwh_rows @ np.isnan(grid.values).astype(float)
    rejected = reader.rejections.frame()
    n_rejected = len(reader.rejections.positions())
    quality = DataQuality(rows_read=reader.n, rows_assessed=reader.n - n_rejected, rows_rejected=n_rejected,
                          rejected=rejected, counts={**acc.counts, **acc.year_counts[year]},
                          warnings=tuple(grid.warnings(used)) + _coverage_warnings(uncovered, catalog.criteria))
    meta = {"domain": "equipment", "year": year, "allocation": allocation, "undated": undated, "by": list(by)}
    return Footprint(values, _keys_frame(present, keys.uniques), catalog.criteria,
                     tuple(catalog.criterion_units[c] for c in catalog.criteria), kwh.sum(axis=1), uncovered,
                     catalog.version, catalog.hash, meta, quality, PHASES, rows)


def _detail_rows(index: pd.Index, weight: np.ndarray, factors: np.ndarray, kwh: np.ndarray,
                 grid_rows: np.ndarray, criteria: Sequence[str]) -> pd.DataFrame:
    data = {"energy_kwh": kwh}
    for k, criterion in enumerate(criteria):
        for j, phase in enumerate(EMBODIED_PHASES):
            data[f"{criterion}_{phase}"] = weight * factors[:, k, j]
        data[f"{criterion}_use"] = kwh * grid_rows[:, k]  # NaN, as embodied, where no factor exists
    return pd.DataFrame(data, index=index)
