"""Equipment inventory rows: canonical unit columns, row validation and the coded rows.

:class:`_InventoryReader` reads an inventory's canonical columns chunk by chunk, sends every
invalid row to the kernel's :class:`~sobriete.kernel.RowChecker` with its reason, and gives the
valid rows as a :class:`_RowSet` of integer codes and float64 values in canonical units, which
:mod:`sobriete.equipment` sums for any year (one-call assessment) or keeps (prepared inventory).
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pandas as pd

from .errors import InputFormatError
from .factors import FactorCatalog
from .kernel import MAX_ROW_IMPACT, RowChecker, Rejections, _CodeColumn, _NumberColumn, _numeric, _read_only, \
    identical_rows
from .parsing import to_datetimes
from .schema import CONDITIONS, DEFAULT_ZONE, POWER_ENERGY_SUFFIX_UNITS, STATUS_ALIASES, STATUSES
from .units import conversion_factor

HOURS_PER_YEAR_MAX = 366 * 24
#: Earliest purchase year accepted.
FIRST_PURCHASE_YEAR = 1970


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
        merged = identical_rows([self.gid, self.cat, self.refurbished, self.zone, self.source, self.powered],
                                       [self.start, self.lifetime])
        if merged is None:
            return self  # too many combinations to code in int64: keep the rows
        inverse, first = merged
        n_cells = len(first)

        def total(values):
            return np.bincount(inverse, values, minlength=n_cells)

        return _RowSet(None, self.gid[first], self.cat[first], self.refurbished[first], self.zone[first],
                       total(self.quantity), total(self.quantity_energy), self.start[first], self.lifetime[first],
                       self.source[first], self.powered[first], np.bincount(inverse, minlength=n_cells))


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
    _read_only(tables.factor2, tables.missing2, tables.scale)
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
    def rejections(self) -> Rejections:
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

        with np.errstate(invalid="ignore", over="ignore"):  # inf × 0 in rows rejected above
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
        parsed = to_datetimes(raw)
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
