"""Equipment: embodied and use-phase impacts of an inventory of devices.

The inventory is a pandas DataFrame with canonical columns (:data:`INVENTORY_COLUMNS`);
any other column can be a grouping key. Rows are mapped to integer codes once and processed
in chunks with numpy (no per-row Python): quantities are weighted by the embodied share of the
assessed year and summed per (group, category, condition), electricity per (group, zone), then
multiplied by the factor matrices. Results reconcile exactly: parts sum to the total.

Rows are read and validated by :mod:`sobriete.equipment_rows`. :func:`assess_equipment_years`
streams them chunk by chunk; :func:`prepare_equipment` keeps them (merged into cells of identical
rows) for many evaluations under scenario :class:`~sobriete.protocol.Overrides`.

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

from . import kernel
from .equipment_rows import (_MEASURED, _POWER_HOURS, _POWER_PROFILE_HOURS, _PROFILE,  # noqa: F401  (re-exported)
                             FIRST_PURCHASE_YEAR, HOURS_PER_YEAR_MAX, MAX_ROW_IMPACT, _InventoryReader, _RowSet, _Tables,
                             _tables, canonical_unit_columns, start_year_from_date)
from .errors import InputValueError, UnknownNameError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import Footprint
from .kernel import (ALLOCATIONS, RowChecker, _GroupKeys, _keys_frame, _lookup, _Rejections,  # noqa: F401
                     embodied_share, group_codes, in_service_fraction, make_footprint, prepared_grid)
from .protocol import DomainSpec, Overrides, grid_override, is_per_row, register, values_per_entry
from .schema import CONDITIONS, INVENTORY_COLUMNS  # noqa: F401  (re-exported)

#: How rows without a purchase year or date are treated.
UNDATED_POLICIES = ("steady_state", "reject")


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
        # (group, extended category); by column: (criterion × phase, group), a row per column, and
        # the impacts are summed in the layout of the result, (criterion, PHASES, group), whose
        # use phase is filled at the end (no copy of an array of groups × criteria × phases)
        n_criteria = tables.factor2.shape[1]

        def table() -> np.ndarray:
            return np.zeros((n_criteria, len(PHASES), n_groups) if self.by_column else (n_groups, self.k2))

        def targets(full: np.ndarray) -> np.ndarray | list[np.ndarray]:
            """By column: a view per criterion × embodied phase, in the order of the catalog's columns."""
            return [full[c, p] for c in range(n_criteria) for p in _EMBODIED_AT] if self.by_column else full

        self.emb = {y: table() for y in years}
        self.emb_targets = {y: targets(emb) for y, emb in self.emb.items()}
        self.emb_rows = table()  # rows per cell; by column: rows without a factor
        self.emb_rows_targets = targets(self.emb_rows)
        # the uncovered rows can take their use phase in place when they serve one result only
        self.rows_in_place = self.by_column and len(years) == 1
        self.kwh = {y: np.zeros(n_groups * n_zones) for y in years}
        self.zone_rows = np.zeros(n_groups * n_zones)
        self.group_rows = np.zeros(n_groups, dtype=np.int64)
        self.zones_used = np.zeros(n_zones, dtype=bool)
        self.counts = dict.fromkeys(("undated_rows", "refurbished_rows", "profile_energy_rows",
                                     "measured_energy_rows", "power_hours_energy_rows", "rows_in_stock"), 0)
        self.year_counts = {y: {"not_in_service_rows": 0, "fully_amortised_rows": 0} for y in years}
        self._pending: list[_Part] = []  # by column: rows added, not summed yet
        self._pending_rows = 0
        # summed once four rows per group are pending, within a memory budget (the group and
        # category codes, and per year a weight and an electricity per row, 8 bytes each)
        row_bytes = 8 * (2 + (n_zones > 1) + 2 * len(years))
        self._flush_rows = max(kernel.CHUNK_ROWS, min(4 * n_groups, _PENDING_BYTES // row_bytes))

    @property
    def cells(self) -> int:
        """Rows per chunk at least: the cells of the per-chunk bincounts (by column: none, the rows
        of many chunks are summed together, see :meth:`add`)."""
        return 0 if self.by_column else self.n_groups * max(self.k2, self.n_zones)

    def add(self, rs: _RowSet, tables: _Tables, allocation: str, static: dict | None = None) -> None:
        """Add the rows (or cells) ``rs`` (``rs.n`` rows each; None: one), with the catalog
        arrays ``tables``; ``static`` (from :meth:`static` of the same rows) skips the counts.

        The per-row arithmetic is done here, chunk by chunk; the sums per group follow at once,
        or by column (many groups) once four rows per group are pending (within
        :data:`_PENDING_BYTES`) and in :meth:`finish`: each sum then writes the arrays of all
        the groups once for many chunks, not once per chunk.
        """
        all_powered = bool(rs.powered.all())
        if static is None:
            self._count_rows(rs, all_powered)
        else:
            self._set_counts(static)
        weights, kwh = self._year_rows(rs, tables, allocation, all_powered)
        part = _Part(rs.gid, rs.cat + tables.n_cat * rs.refurbished, rs.n,
                     rs.gid * self.n_zones + rs.zone if self.n_zones > 1 else None,
                     None if all_powered else rs.powered, weights, kwh, counted=static is None)
        if not self.by_column:
            self._sum(part, tables)
            return
        self._pending.append(part)
        self._pending_rows += len(part.gid)
        if self._pending_rows >= self._flush_rows:
            self.finish(tables)

    def finish(self, tables: _Tables) -> None:
        """Sum the rows added but not summed yet (by column)."""
        if self._pending:
            part, self._pending, self._pending_rows = _Part.concat(self._pending), [], 0
            self._sum(part, tables)

    _STATIC = ("group_rows", "emb_rows", "zone_rows", "zones_used", "counts")

    def static(self) -> dict:
        """The sums that do not depend on the year (row counts), to reuse with :meth:`add`."""
        assert not self._pending, "finish() first"
        static = {name: getattr(self, name) for name in self._STATIC}
        self.rows_in_place = False
        for value in static.values():
            if isinstance(value, np.ndarray):
                value.setflags(write=False)  # shared by the evaluations that reuse them
        return static

    def _set_counts(self, static: dict) -> None:
        for name in self._STATIC:
            value = static[name]
            setattr(self, name, dict(value) if isinstance(value, dict) else value)
        self.rows_in_place = False

    def _count_rows(self, rs: _RowSet, all_powered: bool) -> None:
        """The row counts of the data quality, and the zones used."""
        n = rs.n
        counts = self.counts
        counts["undated_rows"] += _count(np.isnan(rs.start), n)
        counts["refurbished_rows"] += _count(rs.refurbished, n)
        counts["rows_in_stock"] += 0 if all_powered else _count(~rs.powered, n)
        sources = np.bincount(rs.source, n, minlength=4)
        counts["profile_energy_rows"] += int(sources[_PROFILE])
        counts["measured_energy_rows"] += int(sources[_MEASURED])
        counts["power_hours_energy_rows"] += int(sources[_POWER_HOURS] + sources[_POWER_PROFILE_HOURS])
        if self.n_zones == 1:
            self.zones_used |= bool(rs.powered.any())
        else:
            self.zones_used |= np.bincount(rs.zone[rs.powered], minlength=self.n_zones) > 0

    def _year_rows(self, rs: _RowSet, tables: _Tables, allocation: str, all_powered: bool
                   ) -> tuple[dict[int, np.ndarray], dict[int, np.ndarray]]:
        """Per year, each row's embodied weight (quantity × share of the year) and electricity
        [kWh]; the per-year row counts."""
        lifetime = tables.lifetime.take(rs.cat)
        given = ~np.isnan(rs.lifetime)
        if given.any():
            lifetime[given] = rs.lifetime[given]
        energy = rs.quantity_energy * tables.scale.reshape(-1).take(rs.source.astype(np.int64) * tables.n_cat + rs.cat)
        if not all_powered:
            energy[~rs.powered] = 0.0
        end = rs.start + lifetime
        weights, kwh = {}, {}
        for y, year_counts in self.year_counts.items():
            share = embodied_share(y, rs.start, lifetime, allocation=allocation)
            service = in_service_fraction(y, rs.start)
            year_counts["not_in_service_rows"] += _count(service == 0, rs.n)
            year_counts["fully_amortised_rows"] += _count(end <= y, rs.n)
            share *= rs.quantity
            service *= energy
            weights[y], kwh[y] = share, service
        return weights, kwh

    def _sum(self, part: _Part, tables: _Tables) -> None:
        """The sums per group of the rows ``part``."""
        cell = None if self.by_column else part.gid * self.k2 + part.code2  # (group, extended category)
        zone_index = part.gid if part.zone_index is None else part.zone_index  # (group, zone)
        rows_per_code = np.bincount(part.code2, part.n, minlength=self.k2) if self.by_column else None
        if part.counted:
            n = part.n
            group_rows = np.bincount(part.gid, n, minlength=self.n_groups)
            self.group_rows += group_rows.astype(np.int64)
            plan = _ColumnPlan(tables.missing2, self.k2, rows_per_code) if self.by_column else None
            self._embodied(self.emb_rows_targets, cell, part.gid, part.code2, n, plan, whole=group_rows)
            if part.powered is None and self.n_zones == 1:  # one zone: (group, zone) is the group
                self.zone_rows += group_rows
            else:
                powered = n if part.powered is None else \
                    part.powered if n is None else np.where(part.powered, n, 0)
                self.zone_rows += np.bincount(zone_index, powered, minlength=len(self.zone_rows))
        plan = _ColumnPlan(tables.factor2, self.k2, rows_per_code) if self.by_column else None
        for y in self.year_counts:
            self._embodied(self.emb_targets[y], cell, part.gid, part.code2, part.weights[y], plan)
            self.kwh[y] += np.bincount(zone_index, part.kwh[y], minlength=len(self.kwh[y]))

    def _embodied(self, target: np.ndarray, cell: np.ndarray | None, gid: np.ndarray, code2: np.ndarray,
                  weight: np.ndarray | None, plan: _ColumnPlan | None, whole: np.ndarray | None = None) -> None:
        """Add ``weight`` (None: 1) per ``cell`` (group, extended category) to ``target``, or by
        column: ``weight ×`` each distinct column of ``plan`` per group to the rows (criterion ×
        phase) of ``target`` that share it (``whole``: the weight per group, when already summed)."""
        if not self.by_column:
            target += np.bincount(cell, weight, minlength=self.n_groups * self.k2).reshape(self.n_groups, self.k2)
            return
        subset = None  # the rows with a value in at least one sparse column, selected once
        for rows, constant, per_code, sparse in plan.columns:
            if constant is not None:  # the same factor for every present category: × the group's weight
                if whole is None:
                    whole = np.bincount(gid, weight, minlength=self.n_groups)
                summed = constant * whole
            else:
                if sparse and subset is None:
                    keep = np.flatnonzero(plan.sparse_codes.take(code2))
                    subset = gid.take(keep), code2.take(keep), None if weight is None else weight.take(keep)
                sub_gid, sub_code, sub_weight = subset if sparse else (gid, code2, weight)
                per_row = per_code.take(sub_code)
                if sub_weight is not None:
                    per_row *= sub_weight
                summed = np.bincount(sub_gid, per_row, minlength=self.n_groups)
            for row in rows:
                target[row] += summed


class _ColumnPlan:
    """The distinct columns (criterion × phase) of a catalog table (extended category × criterion ×
    phase) over the extended categories present in a chunk, found once per chunk and reused for
    every year: identical columns (the same factors missing for adpe's three phases...) are summed
    once, a column constant over the present categories is that constant × the group's weight, and
    a column that is zero for most rows (a factor missing for a few categories) sums only the others.
    """

    def __init__(self, table: np.ndarray, k2: int, rows_per_code: np.ndarray):
        present = rows_per_code > 0
        columns = np.where(present, table.reshape(k2, -1).T, 0.0)  # a row per criterion × phase
        distinct: dict[bytes, list[int]] = {}  # identical columns, by their bytes (a dozen columns)
        for j, column in enumerate(columns):
            distinct.setdefault(column.tobytes(), []).append(j)
        self.columns: list[tuple[np.ndarray, float | None, np.ndarray | None, bool]] = []
        self.sparse_codes = np.zeros(k2, dtype=bool)  # the codes with a value in a sparse column
        dense = []
        for same in distinct.values():
            rows, column = np.array(same), columns[same[0]]
            values = column[present]
            if not values.any():
                continue
            if (values == values[0]).all():
                self.columns.append((rows, float(values[0]), None, False))
            else:
                dense.append((rows, column))
        # the columns zero for most rows (a factor missing for a few categories) are summed
        # over the rows of the categories with a value in any of them, if those are few
        n_rows = rows_per_code.sum()
        for rows, per_code in sorted(dense, key=lambda item: rows_per_code[item[1] != 0].sum()):
            codes = self.sparse_codes | (per_code != 0)
            sparse = bool(rows_per_code[codes].sum() < _SPARSE_SHARE * n_rows)
            if sparse:
                self.sparse_codes = codes
            self.columns.append((rows, None, per_code, sparse))


#: below this share of a chunk's rows with a value, a column is summed over those rows only
#: (the cost of selecting them is about half a full bincount: measured, numpy 2.4)
_SPARSE_SHARE = 0.4


@dataclass(frozen=True)
class _Part:
    """What the sums per group need of a set of rows: group, extended category, rows per entry
    (None: one), (group, zone) index (None: the group), powered mask (None: all), and per year
    the embodied weights and the electricity [kWh]; ``counted``: whether its rows are counted."""

    gid: np.ndarray
    code2: np.ndarray
    n: np.ndarray | None
    zone_index: np.ndarray | None
    powered: np.ndarray | None
    weights: dict[int, np.ndarray]
    kwh: dict[int, np.ndarray]
    counted: bool

    @classmethod
    def concat(cls, parts: list[_Part]) -> _Part:
        if len(parts) == 1:
            return parts[0]

        def joined(name: str, fill) -> np.ndarray | None:
            arrays = [getattr(p, name) for p in parts]
            if all(a is None for a in arrays):
                return None
            return np.concatenate([fill(len(p.gid)) if a is None else a for p, a in zip(parts, arrays)])

        years = parts[0].weights
        return cls(np.concatenate([p.gid for p in parts]), np.concatenate([p.code2 for p in parts]),
                   joined("n", lambda k: np.ones(k, dtype=np.int64)), joined("zone_index", None),
                   joined("powered", lambda k: np.ones(k, dtype=bool)),
                   {y: np.concatenate([p.weights[y] for p in parts]) for y in years},
                   {y: np.concatenate([p.kwh[y] for p in parts]) for y in years}, parts[0].counted)


#: By column, the memory the rows waiting to be summed per group may take [bytes]. Summing the
#: 64 Ki-row chunks of 10^6 rows by 2×10^5 groups together, not chunk by chunk (which writes
#: every group's arrays once per chunk), took 0.128 s instead of 0.145 s (measured, load ≈ 1.6).
_PENDING_BYTES = 1 << 28


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

    kwh = per_group(sums.kwh[year], sums.n_zones)
    use = _dot(kwh, grid_values[sums.zones])
    use_missing = _dot(per_group(sums.zone_rows, sums.n_zones), grid_missing[sums.zones])
    if sums.by_column:  # already impacts in the result's layout, (criterion, PHASES, group)
        def with_use(full: np.ndarray, use: np.ndarray, in_place: bool) -> np.ndarray:
            out = full if every and in_place else full[:, :, present] if not every else full.copy()
            out[:, _USE_AT] = use.T
            return np.moveaxis(out, 2, 0)  # (group, criterion, phase), a view

        return (with_use(sums.emb[year], use, True), with_use(sums.emb_rows, use_missing, sums.rows_in_place),
                kwh.sum(axis=1))
    shape = (len(present), n_criteria, len(EMBODIED_PHASES))  # weights × the factor matrices
    emb = _dot(per_group(sums.emb[year], sums.k2), tables.factor2.reshape(sums.k2, -1)).reshape(shape)
    emb_rows = _dot(per_group(sums.emb_rows, sums.k2), tables.missing2.reshape(sums.k2, -1)).reshape(shape)
    return _with_use(emb, use), _with_use(emb_rows, use_missing), kwh.sum(axis=1)


def _with_use(embodied: np.ndarray, use: np.ndarray) -> np.ndarray:
    """(group, criterion, PHASES) from the embodied phases (group, criterion, EMBODIED_PHASES)
    and the use phase (group, criterion), in one copy."""
    return np.concatenate([embodied[:, :, :_USE_AT], use[:, :, None], embodied[:, :, _USE_AT:]], axis=2)


def _dot(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a @ b`` for a tall ``a`` and a small ``b`` without BLAS threads (which stall for
    tall-and-thin products on a loaded 2-core machine: 0.3 s instead of 2 ms, measured)."""
    return np.einsum("gc,ck->gk", a, b)


_USE_AT = PHASES.index("use")
_EMBODIED_AT = [PHASES.index(phase) for phase in EMBODIED_PHASES]
assert PHASES == (*EMBODIED_PHASES[:_USE_AT], "use", *EMBODIED_PHASES[_USE_AT:])  # the order _with_use relies on


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
    sums.finish(tables)
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
        sums.finish(tables)
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
        if overrides.grid_factor:  # a factor the scenario gives is no longer missing
            given = ~np.isnan(grid_override(overrides.grid_factor, np.full_like(values, np.nan), zones=catalog.zones,
                                            criteria=catalog.criteria))
            missing = np.where(given, 0.0, missing)
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
                              code="override_out_of_range", override=name, bound=bound, value=float(bad[0]))


register(DomainSpec("equipment", prepare_equipment, "category"))
