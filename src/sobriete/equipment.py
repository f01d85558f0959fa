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
from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from . import kernel
from .errors import InputFormatError, InputValueError, UnknownNameError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .kernel import (ALLOCATIONS, RowChecker, _CodeColumn, _GroupKeys, _keys_frame, _lookup,  # noqa: F401
                     _NumberColumn, _numeric, _Rejections, embodied_share, group_codes, in_service_fraction,
                     make_footprint, prepared_grid)
from .protocol import DomainSpec, Overrides, grid_override, is_per_row, register, values_per_entry
from .schema import (CONDITIONS, DEFAULT_ZONE, INVENTORY_COLUMNS, POWER_ENERGY_SUFFIX_UNITS,  # noqa: F401
                     STATUS_ALIASES, STATUSES)
from .units import conversion_factor

#: How rows without a purchase year or date are treated.
UNDATED_POLICIES = ("steady_state", "reject")
HOURS_PER_YEAR_MAX = 366 * 24
#: Earliest purchase year accepted.
FIRST_PURCHASE_YEAR = 1970
#: Largest impact of one row in any criterion unit (ASSUMPTION, numerical guard, not a physical
#: bound: float64 ends at 1.8e308, so a sum of up to 10^18 rows below it stays finite). A row
#: above it (quantity 1e308, an energy of 1e300 kWh...) is rejected: it would overflow the totals.
MAX_ROW_IMPACT = 1e290


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


#: Where a row's annual electricity comes from: the catalog profile, a measured kWh, power ×
#: given hours, power × the profile's hours.
_PROFILE, _MEASURED, _POWER_HOURS, _POWER_PROFILE_HOURS = range(4)
_STATUS_IN_STOCK = STATUSES.index("in_stock")


_ROW_DTYPES = {"position": np.int64, "gid": np.int64, "cat": np.int64, "zone": np.int64, "refurbished": bool,
               "source": np.int8, "powered": bool}


@dataclass
class _RowSet:
    """Valid input rows, or cells of identical rows, as arrays in canonical units and codes.

    ``quantity_energy`` is quantity × the row's energy base (kWh/year for measured and
    power × hours rows, W for power × profile-hours rows, 1 for profile rows), so that cells of
    several rows keep exact sums; ``n`` counts the rows of each cell (None: one each).
    """

    position: np.ndarray | None  # row in the input frame (None for cells)
    gid: np.ndarray
    cat: np.ndarray
    refurbished: np.ndarray
    zone: np.ndarray
    quantity: np.ndarray
    quantity_energy: np.ndarray
    start: np.ndarray
    lifetime: np.ndarray  # given lifetime [year]; NaN: the catalog's
    source: np.ndarray
    powered: np.ndarray
    n: np.ndarray | None = None

    def __len__(self) -> int:
        return len(self.gid)

    @classmethod
    def concat(cls, parts: list[_RowSet]) -> _RowSet:
        names = [f.name for f in fields(cls) if f.name != "n"]
        if not parts:
            return cls(*[np.empty(0, dtype=_ROW_DTYPES.get(name, float)) for name in names])
        return cls(*[np.concatenate([getattr(p, name) for p in parts]) for name in names])

    def cells(self) -> _RowSet:
        """Rows with the same group, category, condition, zone, start, lifetime, energy source
        and status merged into one cell (quantities summed): the same sums, fewer entries."""
        codes = [(self.gid, int(self.gid.max(initial=0)) + 1), (self.cat, int(self.cat.max(initial=0)) + 1),
                 (self.refurbished.astype(np.int64), 2), (self.zone, int(self.zone.max(initial=0)) + 1),
                 (self.source.astype(np.int64), 4), (self.powered.astype(np.int64), 2)]
        for values in (self.start, self.lifetime):
            code, uniques = pd.factorize(values, use_na_sentinel=False)
            codes.append((code, len(uniques) + 1))
        if np.prod([float(size) for _, size in codes]) >= 2.0 ** 62:
            return self  # too many combinations to code in int64: keep the rows
        key = np.zeros(len(self), dtype=np.int64)
        for code, size in codes:
            key *= size
            key += code
        inverse, uniques = pd.factorize(key)
        first = np.empty(len(uniques), dtype=np.int64)
        first[inverse[::-1]] = np.arange(len(key))[::-1]
        def total(values):
            return np.bincount(inverse, values, minlength=len(uniques))
        return _RowSet(None, self.gid[first], self.cat[first], self.refurbished[first], self.zone[first],
                       total(self.quantity), total(self.quantity_energy), self.start[first], self.lifetime[first],
                       self.source[first], self.powered[first], np.bincount(inverse, minlength=len(uniques)))


@dataclass(frozen=True)
class _Tables:
    """The catalog's dense equipment arrays an evaluation uses (possibly scaled by factor
    multipliers): embodied factors per extended category (new, then refurbished), default
    lifetimes and the energy scale per source and category."""

    factor2: np.ndarray  # (2 n_cat, criteria, 3), NaN → 0
    missing2: np.ndarray  # 1.0 where no factor
    lifetime: np.ndarray
    scale: np.ndarray  # (4, n_cat): kWh per energy-base unit

    @property
    def n_cat(self) -> int:
        return len(self.lifetime)


def _tables(catalog: FactorCatalog) -> _Tables:
    eq = catalog.equipment
    factor2 = np.concatenate([eq.embodied, eq.embodied * eq.refurbished_ratio])
    ones = np.ones_like(eq.lifetime_years)
    scale = np.stack([eq.energy_kwh_per_year, ones, ones, eq.hours_per_year * conversion_factor("W*h", "kWh")])
    tables = _Tables(np.nan_to_num(factor2), np.isnan(factor2).astype(float), eq.lifetime_years, scale)
    kernel._read_only(tables.factor2, tables.missing2, tables.scale)
    return tables


def _largest_grid_factor(catalog: FactorCatalog) -> float:
    """The largest electricity factor of any zone, year and criterion [unit/kWh] (overflow bound)."""
    values = catalog.factor_table().query("table == 'electricity'")["value"].abs()
    return float(values.max()) if len(values) else 0.0


class _InventoryReader:
    """Reads canonical columns chunk by chunk; every rejected row goes to the kernel's
    :class:`~sobriete.kernel.RowChecker` with its reason."""

    def __init__(self, inventory: pd.DataFrame, catalog: FactorCatalog, undated: str):
        eq = catalog.equipment
        get = inventory.get
        self.n = len(inventory)
        self.eq = eq
        self.undated = undated
        self.check = RowChecker(inventory)
        self.category = _CodeColumn(inventory["category"], eq.categories)
        self.zone = None if get("zone") is None else _CodeColumn(inventory["zone"], catalog.zones)
        self.default_zone = catalog.zones.get_loc(DEFAULT_ZONE)
        #: Catalog zone codes the rows can have (the default zone only, without a zone column).
        self.zone_space = np.arange(len(catalog.zones)) if self.zone is not None else np.array([self.default_zone])
        self.condition = None if get("condition") is None else _CodeColumn(inventory["condition"],
                                                                            pd.Index(CONDITIONS))
        self.status = None if get("status") is None else _CodeColumn(inventory["status"], pd.Index(STATUSES),
                                                                     STATUS_ALIASES)
        self.numbers = {name: _NumberColumn(inventory[name]) for name in
                        ("quantity", "purchase_year", "lifetime_years", "energy_kwh_per_year", "power_w",
                         "hours_per_year") if name in inventory.columns}
        self.dates = None if get("purchase_date") is None else _NumberColumn(inventory["purchase_date"])
        self.profile_hours = eq.hours_per_year
        self.latest_year = pd.Timestamp.today().year + 1
        tables = catalog.prepared(_tables)
        self.max_factor = np.abs(tables.factor2).max(axis=(1, 2))
        self.max_grid = catalog.prepared(_largest_grid_factor)
        self.scale = tables.scale
        self.max_scale = float(np.nanmax(tables.scale, initial=0.0))

    @property
    def rejections(self) -> kernel.Rejections:
        return self.check.rejections

    def reject(self, mask, column, code, reason, start):
        """Reject the rows of ``mask`` (chunk starting at ``start``) not yet rejected."""
        if mask is not None:
            source = {"category": self.category, "zone": self.zone, "condition": self.condition,
                      "status": self.status, "purchase_date": self.dates, **self.numbers}.get(column)
            self.check.reject(mask, column, code, reason, source, start=start)

    def read(self, sl: slice, gid: np.ndarray) -> _RowSet | None:
        """The valid rows of the chunk ``sl`` (None when none is valid); ``gid`` their groups."""
        m = sl.stop - sl.start

        def reject(mask, column, code, reason):
            self.reject(mask, column, code, reason, sl.start)

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
        if self.undated == "reject":
            reject(np.isnan(start), "purchase_year", "undated", "no purchase year or date (undated='reject')")

        lifetime = np.full(m, np.nan)
        if "lifetime_years" in self.numbers:
            lifetime = self._number("lifetime_years", sl, reject, default=np.nan)
            reject(lifetime <= 0, "lifetime_years", "bad_lifetime", "lifetime must be a positive number")

        energy, source = self._energy(cat, sl, reject)

        refurbished = np.zeros(m, dtype=bool)
        if self.condition is not None:
            cond = self.condition.chunk(sl)
            reject(cond == -1, "condition", "unknown_condition", "condition must be 'new' or 'refurbished'")
            refurbished = cond == 1
        powered = np.ones(m, dtype=bool)
        if self.status is not None:
            status = self.status.chunk(sl)
            reject(status == -1, "status", "unknown_status", f"status must be one of {', '.join(STATUSES)}")
            powered = status != _STATUS_IN_STOCK
        if self.zone is not None:
            zone = self.zone.chunk(sl)
            reject(zone == -1, "zone", "unknown_zone", "unknown electricity zone")
            zone = np.where(zone == -2, self.default_zone, zone)
        else:
            zone = np.full(m, self.default_zone)

        quantity_energy = qty * energy
        self._overflow(qty, quantity_energy, cat, refurbished, source, reject)

        ok = self.check.ok(sl)
        position = np.arange(sl.start, sl.stop)
        parts = (position, gid, cat, refurbished, zone, qty, quantity_energy, start, lifetime, source, powered)
        if ok is None:
            return _RowSet(*parts)
        keep = np.flatnonzero(ok)  # one scan of the mask, then cheap takes
        if not len(keep):
            return None
        return _RowSet(*(a.take(keep) for a in parts))

    def _overflow(self, qty, quantity_energy, cat, refurbished, source, reject):
        """Reject the rows whose impact would pass :data:`MAX_ROW_IMPACT` (one test on the
        chunk's largest values first: the usual chunk needs no per-row bound)."""
        with np.errstate(over="ignore", invalid="ignore"):
            if np.nanmax(qty, initial=0.0) * self.max_factor.max(initial=0.0) <= MAX_ROW_IMPACT and \
                    np.nanmax(np.abs(quantity_energy), initial=0.0) * self.max_scale * self.max_grid <= MAX_ROW_IMPACT:
                return
            code2 = cat + len(self.eq.categories) * refurbished
            kwh = np.nan_to_num(quantity_energy * self.scale[source, cat])
            bound = np.maximum(qty * self.max_factor[code2], kwh * self.max_grid)
        reject(~(bound <= MAX_ROW_IMPACT) & ~np.isnan(qty), "quantity", "overflow",
               f"quantity × factors exceeds {MAX_ROW_IMPACT:g} (the totals would overflow)")

    def _number(self, name, sl, reject, *, default, whole=False):
        column = self.numbers.get(name)
        if column is None:
            return np.full(sl.stop - sl.start, default)
        values, not_number = column.chunk(sl)
        code = _BAD_NUMBER_CODES[name]
        reject(not_number, name, code, f"{name} is not a number")
        reject(np.isinf(values), name, f"infinite_{name}", f"{name} is not a finite number")
        if whole and not column.whole:
            reject((np.mod(values, 1) != 0) & np.isfinite(values), name, code, f"{name} is not a whole year")
        return values

    def _dates(self, sl, start, reject):
        raw = self.dates.series.iloc[sl]
        parsed = pd.to_datetime(raw, errors="coerce", dayfirst=True)
        given = raw.notna().to_numpy() & raw.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
        reject(given & parsed.isna().to_numpy(), "purchase_date", "bad_purchase_date", "purchase date is not a date")
        from_date = start_year_from_date(parsed)
        reject((from_date < FIRST_PURCHASE_YEAR) | (from_date >= self.latest_year + 1), "purchase_date",
               "implausible_purchase_date", f"purchase date outside {FIRST_PURCHASE_YEAR}–{self.latest_year}")
        return np.where(np.isnan(from_date), start, from_date)

    def _energy(self, cat, sl, reject):
        """Each row's energy base and its source (see :class:`_RowSet`)."""
        m = sl.stop - sl.start
        energy = np.ones(m)
        source = np.full(m, _PROFILE, dtype=np.int8)
        if "power_w" in self.numbers:
            power = self._number("power_w", sl, reject, default=np.nan)
            reject(power < 0, "power_w", "bad_power", "power must be a number ≥ 0")
            hours = self._number("hours_per_year", sl, reject, default=np.nan)
            reject((hours < 0) | (hours > HOURS_PER_YEAR_MAX), "hours_per_year", "bad_hours",
                   f"hours per year must be between 0 and {HOURS_PER_YEAR_MAX}")
            has_power = ~np.isnan(power)
            no_hours = np.isnan(hours)
            reject(has_power & no_hours & np.isnan(self.profile_hours[cat]), "hours_per_year", "missing_hours",
                   "power given without hours_per_year and the category has no daily-use profile")
            energy = np.where(has_power, np.where(no_hours, power, power * hours * conversion_factor("W*h", "kWh")),
                              energy)
            source[has_power] = np.where(no_hours[has_power], _POWER_PROFILE_HOURS, _POWER_HOURS)
        if "energy_kwh_per_year" in self.numbers:
            kwh = self._number("energy_kwh_per_year", sl, reject, default=np.nan)
            reject(kwh < 0, "energy_kwh_per_year", "bad_energy", "annual energy must be a number ≥ 0")
            measured = ~np.isnan(kwh)
            energy = np.where(measured, kwh, energy)
            source[measured] = _MEASURED
        return energy, source


_BAD_NUMBER_CODES = {"quantity": "bad_quantity", "purchase_year": "bad_purchase_year", "lifetime_years": "bad_lifetime",
                     "energy_kwh_per_year": "bad_energy", "power_w": "bad_power", "hours_per_year": "bad_hours"}


# --------------------------------------------------------------------------- sums per year
class _Sums:
    """Sums of a set of rows for each year, per group.

    Few groups × categories (the usual case): embodied weights per (group, extended category),
    multiplied by the factor matrix at the end. Many (a key of 10^5 sites or asset ids): each
    row's embodied impacts are summed per group and criterion × phase directly ("by column"),
    so that no array has groups × categories cells. Electricity is summed per (group, zone).
    """

    def __init__(self, years: list[int], n_groups: int, tables: _Tables, zones: np.ndarray, n_rows: int):
        # electricity is summed over the zones the input can name: the default one only when it
        # has no zone column (the usual case), so that no array has groups × all zones cells
        self.zones = zones
        n_zones = len(zones)
        self.n_groups, self.k2, self.n_zones = n_groups, 2 * tables.n_cat, n_zones
        self.by_column = n_groups * self.k2 > max(kernel.CHUNK_ROWS, 4 * n_rows)
        width = tables.factor2[0].size if self.by_column else self.k2
        self.emb = {y: np.zeros((n_groups, width)) for y in years}
        self.emb_rows = np.zeros((n_groups, width))  # rows per cell; by column: rows without a factor
        self.kwh = {y: np.zeros(n_groups * n_zones) for y in years}
        self.zone_rows = np.zeros(n_groups * n_zones)
        self.group_rows = np.zeros(n_groups, dtype=np.int64)
        self.zones_used = np.zeros(n_zones, dtype=bool)
        self.counts = dict.fromkeys(("undated_rows", "refurbished_rows", "profile_energy_rows",
                                     "measured_energy_rows", "power_hours_energy_rows", "rows_in_stock"), 0)
        self.year_counts = {y: {"not_in_service_rows": 0, "fully_amortised_rows": 0} for y in years}

    @property
    def cells(self) -> int:
        """Length of the per-chunk bincounts (a chunk has at least as many rows)."""
        return self.n_groups * (self.n_zones if self.by_column else max(self.k2, self.n_zones))

    def add(self, rs: _RowSet, tables: _Tables, allocation: str, static: dict | None = None) -> None:
        """Add the rows (or cells) ``rs`` (``rs.n`` rows each; None: one), with the catalog
        arrays ``tables``; ``static`` (from :meth:`static` of the same rows) skips the counts."""
        code2 = rs.cat + tables.n_cat * rs.refurbished
        cell = None if self.by_column else rs.gid * self.k2 + code2  # (group, extended category)
        zone_index = rs.gid * self.n_zones + rs.zone if self.n_zones > 1 else rs.gid  # (group, zone)
        all_powered = bool(rs.powered.all())
        if static is None:
            self._add_counts(rs, tables, cell, code2, zone_index, all_powered)
        else:
            self._set_counts(static)
        self._add_years(rs, tables, allocation, cell, code2, zone_index, all_powered)

    _STATIC = ("group_rows", "emb_rows", "zone_rows", "zones_used", "counts")

    def static(self) -> dict:
        """The sums that do not depend on the year (row counts), to reuse with :meth:`add`."""
        static = {name: getattr(self, name) for name in self._STATIC}
        for value in static.values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)  # shared by the evaluations that reuse them
        return static

    def _set_counts(self, static: dict) -> None:
        for name in self._STATIC:
            value = static[name]
            setattr(self, name, dict(value) if isinstance(value, dict) else value)

    def _add_counts(self, rs, tables, cell, code2, zone_index, all_powered) -> None:
        n = rs.n

        def count(mask: np.ndarray) -> int:
            return _count(mask, n)

        def rows_per(index: np.ndarray, size: int, mask: np.ndarray | None = None) -> np.ndarray:
            if mask is None:
                return np.bincount(index, n, minlength=size)
            return np.bincount(index, mask if n is None else np.where(mask, n, 0), minlength=size)

        powered = None if all_powered else rs.powered
        group_rows = rows_per(rs.gid, self.n_groups)
        self.group_rows += group_rows.astype(np.int64)
        self.emb_rows += self._embodied(cell, rs.gid, code2, n, tables.missing2)
        if self.n_zones == 1:  # one zone: (group, zone) is the group
            self.zone_rows += group_rows if all_powered else rows_per(rs.gid, self.n_groups, powered)
            self.zones_used |= all_powered or bool(rs.powered.any())
        else:
            self.zone_rows += rows_per(zone_index, len(self.zone_rows), powered)
            self.zones_used |= rows_per(rs.zone, self.n_zones, powered) > 0
        counts = self.counts
        undated = np.isnan(rs.start)
        counts["undated_rows"] += count(undated)
        counts["refurbished_rows"] += count(rs.refurbished)
        counts["rows_in_stock"] += 0 if all_powered else count(~rs.powered)
        sources = rows_per(rs.source, 4)
        counts["profile_energy_rows"] += int(sources[_PROFILE])
        counts["measured_energy_rows"] += int(sources[_MEASURED])
        counts["power_hours_energy_rows"] += int(sources[_POWER_HOURS] + sources[_POWER_PROFILE_HOURS])

    def _add_years(self, rs, tables, allocation, cell, code2, zone_index, all_powered) -> None:
        lifetime = tables.lifetime.take(rs.cat)
        given = ~np.isnan(rs.lifetime)
        if given.any():
            lifetime[given] = rs.lifetime[given]
        energy = rs.quantity_energy * tables.scale.reshape(-1).take(rs.source.astype(np.int64) * tables.n_cat + rs.cat)
        if not all_powered:
            energy[~rs.powered] = 0.0
        end = rs.start + lifetime
        for y, year_counts in self.year_counts.items():
            share = embodied_share(y, rs.start, lifetime, allocation=allocation)
            service = in_service_fraction(y, rs.start)
            year_counts["not_in_service_rows"] += _count(service == 0, rs.n)
            year_counts["fully_amortised_rows"] += _count(end <= y, rs.n)
            share *= rs.quantity
            self.emb[y] += self._embodied(cell, rs.gid, code2, share, tables.factor2)
            service *= energy
            self.kwh[y] += np.bincount(zone_index, service, minlength=len(self.kwh[y]))

    def _embodied(self, cell: np.ndarray | None, gid: np.ndarray, code2: np.ndarray, weight: np.ndarray | None,
                  factor2: np.ndarray) -> np.ndarray:
        """``weight`` (None: 1) summed per ``cell`` (group, extended category), or by column:
        ``weight × factor2`` summed per (group, criterion × phase)."""
        if not self.by_column:
            return np.bincount(cell, weight, minlength=self.n_groups * self.k2).reshape(self.n_groups, self.k2)
        columns = factor2.reshape(self.k2, -1).T  # one row per criterion × phase
        out = np.zeros((self.n_groups, len(columns)))
        present = np.bincount(code2, minlength=self.k2) > 0
        # identical columns (the same factors missing for adpe's three phases...) are summed once
        distinct, which = np.unique(columns, axis=0, return_inverse=True)
        for j, column in enumerate(distinct):
            if column[present].any():
                per_row = column.take(code2)
                if weight is not None:
                    per_row *= weight
                out[:, which.reshape(-1) == j] = np.bincount(gid, per_row, minlength=self.n_groups)[:, None]
        return out


def _count(mask: np.ndarray, n: np.ndarray | None) -> int:
    """Rows of ``mask`` (cells of ``n`` rows each; None: one)."""
    return int(np.count_nonzero(mask)) if n is None else int(n[mask].sum())


def _values(sums: _Sums, year: int, present: np.ndarray, tables: _Tables,
            grid_values: np.ndarray, grid_missing: np.ndarray, n_criteria: int) -> tuple[np.ndarray, ...]:
    """Impacts and uncovered rows per present group, criterion and phase, and energy [kWh]."""
    every = len(present) == sums.n_groups  # no copy when every group has rows

    def per_group(table: np.ndarray, width: int) -> np.ndarray:
        table = table.reshape(-1, width)
        return table if every else table[present]

    shape = (len(present), n_criteria, len(_EMBODIED_AT))
    emb, emb_rows = per_group(sums.emb[year], sums.emb[year].shape[1]), per_group(sums.emb_rows,
                                                                                    sums.emb_rows.shape[1])
    if not sums.by_column:  # weights × the factor matrices
        emb, emb_rows = _dot(emb, tables.factor2.reshape(sums.k2, -1)), _dot(emb_rows, tables.missing2.reshape(sums.k2, -1))
    kwh = per_group(sums.kwh[year], sums.n_zones)
    values = np.empty((len(present), n_criteria, len(PHASES)))
    uncovered = np.empty_like(values)
    values[:, :, _EMBODIED_AT] = emb.reshape(shape)
    uncovered[:, :, _EMBODIED_AT] = emb_rows.reshape(shape)
    values[:, :, _USE_AT] = _dot(kwh, grid_values[sums.zones])
    uncovered[:, :, _USE_AT] = _dot(per_group(sums.zone_rows, sums.n_zones), grid_missing[sums.zones])
    return values, uncovered, kwh.sum(axis=1)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for a tall ``a`` and a small ``b`` without BLAS threads (which stall for
    tall-and-thin products on a loaded 2-core machine: 0.3 s instead of 2 ms, measured)."""
    return np.einsum("gc,ck->gk", a, b)


_EMBODIED_AT = [PHASES.index(p) for p in EMBODIED_PHASES]
_USE_AT = PHASES.index("use")


def _quality(check: RowChecker, counts: dict, warnings) -> DataQuality:
    return check.quality(counts, warnings)


# --------------------------------------------------------------------------- one-call API
def assess_equipment_years(inventory: pd.DataFrame, years: Iterable[int], *,
                           catalog: FactorCatalog | None = None, by: Iterable[str] | str | None = None,
                           allocation: str = "amortised", undated: str = "steady_state",
                           detail: bool = False) -> dict[int, Footprint]:
    """:func:`assess_equipment` for several years in one pass over the inventory.

    The rows are read, validated and coded once, chunk by chunk (the working memory stays
    bounded by a chunk); each year only changes the embodied shares and the grid factors. For
    many evaluations of the same inventory (scenarios, Monte Carlo), :func:`prepare_equipment`
    keeps the coded rows instead.

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
    catalog, inventory, keys, reader = _start(inventory, catalog, by, allocation, undated)
    tables = catalog.prepared(_tables)
    sums = _Sums(years, keys.n_groups, tables, reader.zone_space, len(inventory))
    detail_parts: dict[int, list[pd.DataFrame]] = {y: [] for y in years}
    for sl in kernel.chunks(len(inventory), sums.cells):
        rows = reader.read(sl, keys.codes(sl))
        if rows is None:
            continue
        sums.add(rows, tables, allocation)
        if detail:
            for y in years:
                detail_parts[y].append(_detail_rows(inventory.index[rows.position], rows, tables, y, allocation,
                                                    prepared_grid(catalog, y).grid.values, catalog.criteria))
    present = np.flatnonzero(sums.group_rows)
    keys_frame = _keys_frame(present, keys.uniques)
    out = {}
    for y in years:
        grid = prepared_grid(catalog, y)
        out[y] = _footprint(catalog, sums, y, present, keys_frame, tables, grid.values, grid.missing, reader.check,
                            {"domain": "equipment", "year": y, "allocation": allocation, "undated": undated,
                             "by": list(keys_by(keys))},
                            pd.concat(detail_parts[y]) if detail and detail_parts[y] else None)
    return out


def keys_by(keys: _GroupKeys) -> list[str]:
    return [u.name for u in keys.uniques]


def _start(inventory, catalog, by, allocation, undated):
    """Checks of the options and columns shared by the one-call API and :func:`prepare_equipment`."""
    if allocation is not None and allocation not in ALLOCATIONS:
        raise UnknownNameError("allocation", allocation, ALLOCATIONS)
    if undated not in UNDATED_POLICIES:
        raise UnknownNameError("undated policy", undated, UNDATED_POLICIES)
    catalog = catalog if catalog is not None else load_catalog()
    inventory = canonical_unit_columns(inventory)
    kernel.require_column(inventory, "category", INVENTORY_COLUMNS, "inventory")
    by = kernel.resolve_by(by, inventory)
    return catalog, inventory, _GroupKeys(inventory, by), _InventoryReader(inventory, catalog, undated)


def _grid_notes(catalog: FactorCatalog, year: int, used: tuple[int, ...]) -> tuple[str, ...]:
    """Check that the used zones (codes) have electricity factors for ``year`` and give the
    notices of older factors used (memoised per catalog, year and zones)."""
    grid = prepared_grid(catalog, year).grid
    names = [catalog.zones[z] for z in used]
    catalog.require_grid(grid, names)
    return tuple(grid.warnings(names))


def _footprint(catalog, sums, year, present, keys_frame, tables, grid_values, grid_missing, check, meta,
               rows) -> Footprint:
    used = tuple(sums.zones[np.flatnonzero(sums.zones_used)].tolist())
    warnings = catalog.prepared(_grid_notes, year, used)
    values, uncovered, energy = _values(sums, year, present, tables, grid_values, grid_missing,
                                        len(catalog.criteria))
    quality = check.quality({**sums.counts, **sums.year_counts[year]}, warnings)
    return make_footprint(values=values, uncovered=uncovered, energy_kwh=energy, keys=keys_frame, catalog=catalog,
                          meta=meta, quality=quality, rows=rows)


def _detail_rows(index: pd.Index, rows: _RowSet, tables: _Tables, year: int, allocation: str,
                 grid_values: np.ndarray, criteria: Sequence[str]) -> pd.DataFrame:
    lifetime = np.where(np.isnan(rows.lifetime), tables.lifetime[rows.cat], rows.lifetime)
    weight = rows.quantity * embodied_share(year, rows.start, lifetime, allocation=allocation)
    kwh = np.where(rows.powered, rows.quantity_energy * tables.scale[rows.source, rows.cat], 0.0) \
        * in_service_fraction(year, rows.start)
    code2 = rows.cat + tables.n_cat * rows.refurbished
    factors = np.where(tables.missing2[code2] > 0, np.nan, tables.factor2[code2])
    grid_rows = grid_values[rows.zone]
    data = {"energy_kwh": kwh}
    for k, criterion in enumerate(criteria):
        for j, phase in enumerate(EMBODIED_PHASES):
            data[f"{criterion}_{phase}"] = weight * factors[:, k, j]
        data[f"{criterion}_use"] = kwh * grid_rows[:, k]  # NaN, as embodied, where no factor exists
    return pd.DataFrame(data, index=index)


# --------------------------------------------------------------------------- prepare once, evaluate many
def prepare_equipment(inventory: pd.DataFrame, catalog: FactorCatalog | None = None, *,
                      by: Iterable[str] | str | None = None, undated: str = "steady_state") -> PreparedEquipment:
    """Validate and code an inventory once, for many evaluations (years, scenarios, draws).

    Parameters
    ----------
    inventory : DataFrame
        As for :func:`assess_equipment`.
    catalog : FactorCatalog, optional
        Defaults to the bundled catalog.
    by : str or list of str, optional
        Grouping keys.
    undated : {'steady_state', 'reject'}, keyword-only
        See :func:`assess_equipment`.

    Returns
    -------
    PreparedEquipment
        Its ``quality`` holds the rows rejected here, once; :meth:`PreparedEquipment.evaluate`
        never re-reads the inventory.

    Notes
    -----
    The prepared rows take about 70 bytes per valid row (codes and float64 values), against
    the chunk-bounded memory of :func:`assess_equipment_years`.

    Examples
    --------
    >>> inv = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [10, 4], "purchase_year": [2023, 2024]})
    >>> prepared = prepare_equipment(inv)
    >>> base = prepared.evaluate(2025).total().loc["gwp", "total"]
    >>> longer = prepared.evaluate(2025, overrides=Overrides(lifetime_years={"laptop": 8})).total().loc["gwp", "total"]
    >>> bool(longer < base)
    True
    """
    catalog, inventory, keys, reader = _start(inventory, catalog, by, None, undated)
    parts = [rows for sl in kernel.chunks(len(inventory)) if (rows := reader.read(sl, keys.codes(sl))) is not None]
    return PreparedEquipment(catalog, _RowSet.concat(parts), keys, reader.check, undated, len(inventory),
                             reader.zone_space)


class PreparedEquipment:
    """An equipment inventory validated and coded once (see :func:`prepare_equipment`).

    Attributes
    ----------
    domain : str
        ``'equipment'``.
    by : tuple of str
        Grouping keys.
    quality : DataQuality
        Rows read, assessed and rejected at preparation, with the rejected rows.
    """

    domain = "equipment"

    def __init__(self, catalog: FactorCatalog, rows: _RowSet, keys: _GroupKeys, check: RowChecker, undated: str,
                 n_input: int, zone_space: np.ndarray):
        self.catalog = catalog
        self.by = tuple(keys_by(keys))
        self.undated = undated
        self._rows = rows
        self._cells: _RowSet | None = None
        self._static: dict | None = None  # row counts of the cells, the same for every evaluation
        self._check = check
        self._n_input = n_input
        self._zone_space = zone_space
        self._n_groups = keys.n_groups
        self._present = np.flatnonzero(np.bincount(rows.gid, minlength=keys.n_groups))
        self._keys_frame = _keys_frame(self._present, keys.uniques)
        self.quality = check.quality({}, ())

    def __len__(self) -> int:
        """Number of valid rows."""
        return len(self._rows)

    def evaluate(self, year: int, *, overrides: Overrides | None = None, allocation: str = "amortised") -> Footprint:
        """The footprint in ``year`` under ``overrides``, without re-validating the inventory.

        Parameters
        ----------
        year : int
            Assessed calendar year.
        overrides : Overrides, optional
            Applied at evaluation time. Equipment uses ``lifetime_years`` (replaces the row's or
            the catalog's lifetime), ``quantity_multiplier``, ``condition`` (``'new'`` /
            ``'refurbished'``), ``energy_multiplier`` (use-phase electricity of powered rows),
            ``grid_factor`` and ``factor_multipliers`` (any id of
            :meth:`FactorCatalog.factor_ids` of the tables ``equipment_impacts``,
            ``refurbished``, ``equipment_parameters`` and ``electricity``). Per-category
            values are keyed by category id; arrays give one value per input row (NaN keeps).
        allocation : {'amortised', 'at_purchase'}
            See :func:`embodied_share`.

        Returns
        -------
        Footprint
            Equal to :func:`assess_equipment` on the inventory modified as the overrides say.
        """
        if allocation not in ALLOCATIONS:
            raise UnknownNameError("allocation", allocation, ALLOCATIONS)
        overrides = overrides if overrides is not None else Overrides()
        if overrides.extra:  # equipment has no domain-specific setting: never ignore one silently
            raise UnknownNameError("override", next(iter(overrides.extra)), (), hint="equipment takes none in 'extra'")
        catalog, tables, grid_values, grid_missing, grid = self._factors(int(year), overrides)
        per_row = is_per_row(overrides)
        rows = self._overridden(self._rows if per_row else self._cells_once(), overrides, tables)
        sums = _Sums([int(year)], self._n_groups, tables, self._zone_space, len(rows))
        reuse = not per_row and overrides.condition is None  # the row counts of the cells hold
        sums.add(rows, tables, allocation, self._static if reuse else None)
        if reuse and self._static is None:
            self._static = sums.static()
        meta = {"domain": "equipment", "year": int(year), "allocation": allocation, "undated": self.undated,
                "by": list(self.by)}
        if not overrides.is_empty():
            meta["overrides"] = True
        return _footprint(self.catalog, sums, int(year), self._present, self._keys_frame, tables, grid_values,
                          grid_missing, self._check, meta, None)

    def _cells_once(self) -> _RowSet:
        if self._cells is None:
            self._cells = self._rows.cells()
        return self._cells

    def _factors(self, year: int, overrides: Overrides):
        """The catalog arrays under the factor multipliers and the grid override."""
        catalog = self.catalog
        multipliers = dict(overrides.factor_multipliers)
        if multipliers:
            catalog = catalog.with_multipliers(multipliers)
        tables = catalog.prepared(_tables)
        prepared = prepared_grid(catalog, year)
        values = grid_override(overrides.grid_factor, prepared.values, zones=catalog.zones,
                               criteria=catalog.criteria)
        missing = prepared.missing
        if overrides.grid_factor:
            missing = np.where(values != prepared.values, 0.0, missing)
        return catalog, tables, values, missing, prepared.grid

    def _overridden(self, rows: _RowSet, overrides: Overrides, tables: _Tables) -> _RowSet:
        """``rows`` with the per-row or per-category overrides applied."""
        if overrides.lifetime_years is None and overrides.quantity_multiplier is None \
                and overrides.condition is None and overrides.energy_multiplier is None:
            return rows
        common = {"items": self.catalog.equipment.categories, "item_code": rows.cat, "position": rows.position,
                  "n_input": self._n_input}
        out = dict(vars(rows))
        lifetime = values_per_entry(overrides.lifetime_years, name="lifetime_years", **common)
        if lifetime is not None:
            _check_override("lifetime_years", lifetime, positive=True)
            out["lifetime"] = np.where(np.isnan(lifetime), rows.lifetime, lifetime)
        quantity = values_per_entry(overrides.quantity_multiplier, name="quantity_multiplier", **common)
        if quantity is not None:
            _check_override("quantity_multiplier", quantity)
            quantity = np.where(np.isnan(quantity), 1.0, quantity)
            out["quantity"] = rows.quantity * quantity
            out["quantity_energy"] = rows.quantity_energy * quantity
        energy = values_per_entry(overrides.energy_multiplier, name="energy_multiplier", **common)
        if energy is not None:
            _check_override("energy_multiplier", energy)
            out["quantity_energy"] = out["quantity_energy"] * np.where(np.isnan(energy), 1.0, energy)
        condition = values_per_entry(overrides.condition, name="condition", convert=_condition_code, **common)
        if condition is not None:
            out["refurbished"] = np.where(np.isnan(condition), rows.refurbished, condition == 1)
        return _RowSet(**out)


def _condition_code(value) -> float:
    if value not in CONDITIONS:
        raise UnknownNameError("condition", value, CONDITIONS)
    return float(CONDITIONS.index(value))


def _check_override(name: str, values: np.ndarray, *, positive: bool = False) -> None:
    given = values[~np.isnan(values)]
    bad = given[~np.isfinite(given) | ((given <= 0) if positive else (given < 0))]
    if len(bad):
        bound = "> 0" if positive else "≥ 0"
        raise InputValueError(f"the '{name}' override must be finite and {bound}, got {bad[0]!r}",
                              code="bad_override", override=name, bound=bound, value=float(bad[0]))


register(DomainSpec("equipment", prepare_equipment, "category"))
