"""Hosting: server rooms on premises, colocation and cloud (electricity with PUE, servers' embodied impacts).

Each row of a hosting table is one hosting arrangement (a server room, a colocation contract,
a cloud subscription). Its IT electricity comes, in order of preference, from a measured
``it_energy_kwh``; from ``servers`` × ``power_w`` × ``hours_per_year`` (or the catalog's energy
profile of ``server_category`` when no power is given); from cloud ``instance_hours`` ×
``power_w``; from colocation ``contracted_kw`` × hours (an upper bound: the contracted power is
rarely drawn in full). The facility's electricity is IT × PUE, or IT + ``cooling_kwh`` when
the overhead is measured. The PUE comes from the row, else from the catalog's default for the
kind of hosting. Embodied impacts of the servers come from the equipment catalog
(``server_rack``, ``server_tower``, ``storage_nas``...), amortised like equipment. A
spend-based factor (``spend_eur``) is used only as a labelled last resort, when nothing else is
known and the catalog has such a factor.

:func:`prepare_hosting` validates the table and sums its rows per cell once (domain protocol,
registered as ``hosting``); :meth:`PreparedHosting.evaluate` computes any year under scenario
overrides (quantity, energy, lifetime, grid, factor multipliers, ``extra["pue"]``).

References
----------
Arcep, Pour un numérique soutenable, 4th edition, 2025 (data 2023): average PUE of French
colocation data centres 1.46.
Uptime Institute, intelligence update 221, 2023: industry average PUE 1.58.
ADEME, publicodes-acv-numerique v2.2.0, src/data center.publicodes: server embodied impacts,
power and lifetime (through the equipment catalog).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import pandas as pd

from ._prepared import NO_OVERRIDES, NameColumn, PreparedBase, PresentGroups, factor_keys, grid, multiply, resolve
from .factors import EMBODIED_PHASES, HOSTING_KINDS, PHASES, FactorCatalog
from .footprint import DataQuality, Footprint
from .kernel import MAX_ROW_IMPACT, _read_only, build_footprint, embodied_share, empty_values, prepare, zone_codes
from .protocol import DomainSpec, Overrides, register
from .schema import HOSTING_COLUMNS, KIND_ALIASES  # noqa: F401  (re-exported)
from .units import conversion_factor
from .notices import Notice

DEFAULT_SERVER_CATEGORY = "server_rack"
#: Hours in a (non-leap) year, for continuous operation [h/year].
HOURS_PER_YEAR = 8760.0
#: IT energy sources, in order of preference (recorded per row in the counts).
ENERGY_SOURCES = ("measured", "servers_power", "servers_profile", "instance_hours", "contracted_power", "spend")
_KINDS = pd.Index(HOSTING_KINDS)


def facility_energy_kwh(it_energy_kwh, pue=None, cooling_kwh=None):
    """Electricity of a hosting facility [kWh]: IT × PUE, or IT + measured overhead.

    Parameters
    ----------
    it_energy_kwh : numeric
        IT equipment electricity [kWh].
    pue : numeric, optional
        Power usage effectiveness [1] (total facility energy / IT energy), ≥ 1.
    cooling_kwh : numeric, optional
        Measured cooling and other overhead [kWh]; where given (not NaN) it replaces the PUE.

    Examples
    --------
    >>> facility_energy_kwh(1000.0, 1.5)
    1500.0
    >>> facility_energy_kwh(np.array([1000.0, 1000.0]), 1.5, np.array([np.nan, 200.0])).tolist()
    [1500.0, 1200.0]
    """
    by_pue = it_energy_kwh * pue if pue is not None else np.nan * it_energy_kwh
    if cooling_kwh is None:
        return by_pue
    return np.where(np.isnan(cooling_kwh), by_pue, it_energy_kwh + np.nan_to_num(cooling_kwh))


def default_pue(catalog: FactorCatalog) -> np.ndarray:
    """Default PUE by kind code (:data:`HOSTING_KINDS`), NaN where the catalog has none.

    Parameters
    ----------
    catalog : FactorCatalog
        Its ``hosting`` table (rows with ``parameter == "pue"``).

    Returns
    -------
    ndarray
        PUE [1] (total facility energy / IT energy) per kind, in the order of
        :data:`HOSTING_KINDS`.

    References
    ----------
    Bundled values (``factors/hosting.csv``, sources in ``factors/sources.csv``):

    - colocation: Arcep, "Pour un numérique soutenable", 4th edition, 2025 (data 2023).
    - on premises (assumption): Uptime Institute, "Intelligence update 221", 2023 (global
      average).
    - cloud (assumption): ADEME, publicodes-acv-numerique v2.2.0, 2025, ``data center.publicodes``
      ("serveur . PUE mails").

    Examples
    --------
    >>> from sobriete import load_catalog
    >>> dict(zip(HOSTING_KINDS, default_pue(load_catalog()).tolist()))
    {'on_premises': 1.58, 'colocation': 1.46, 'cloud': 1.16}
    """
    table = catalog.table("hosting")
    table = table[table["parameter"] == "pue"]
    out = np.full(len(HOSTING_KINDS), np.nan)
    out[pd.Index(HOSTING_KINDS).get_indexer(table["kind"])] = table["value"].to_numpy(float)
    return out


def spend_factors(catalog: FactorCatalog) -> np.ndarray:
    """Spend-based factors ``[kind, criterion]`` [criterion unit/EUR], NaN where none.

    Parameters
    ----------
    catalog : FactorCatalog
        Its ``hosting_spend`` table.

    Returns
    -------
    ndarray
        Shape ``(len(HOSTING_KINDS), len(catalog.criteria))``. The bundled catalog ships no
        spend factor (no public French source): spend-only rows are rejected, not counted 0.

    Examples
    --------
    >>> from sobriete import load_catalog
    >>> factors = spend_factors(load_catalog())
    >>> factors.shape[0] == len(HOSTING_KINDS), bool(np.isnan(factors).all())
    (True, True)
    """
    table = catalog.table("hosting_spend")
    out = np.full((len(HOSTING_KINDS), len(catalog.criteria)), np.nan)
    out[pd.Index(HOSTING_KINDS).get_indexer(table["kind"]),
        pd.Index(catalog.criteria).get_indexer(table["criterion"])] = table["value"].to_numpy(float)
    return out


def _prepared_hosting(catalog: FactorCatalog) -> tuple[np.ndarray, np.ndarray]:
    """Memoised on the catalog (see :meth:`FactorCatalog.prepared`)."""
    return catalog.prepared(_build_prepared_hosting)


def _build_prepared_hosting(catalog: FactorCatalog) -> tuple[np.ndarray, np.ndarray]:
    """:func:`default_pue` and :func:`spend_factors`, computed once per catalog (read-only)."""
    arrays = default_pue(catalog), spend_factors(catalog)
    _read_only(*arrays)
    return arrays


def prepare_hosting(hosting: pd.DataFrame, catalog: FactorCatalog | None = None, *,
                    by: Iterable[str] | str | None = None, **options) -> PreparedHosting:
    """Validate a hosting table, estimate each row's IT energy and sum the rows per cell
    (group, kind, zone, server category, purchase year, PUE source), once.

    Parameters
    ----------
    hosting : DataFrame
        Canonical columns (:data:`HOSTING_COLUMNS`); other columns can be keys in ``by``.
        Kinds are matched through :func:`sobriete.schema.normalise_name` with
        :data:`KIND_ALIASES` ("Salle  serveur" → on_premises, "Hébergement" → colocation).
    catalog : FactorCatalog, optional
    by : str or list of str, keyword-only
    **options
        Other domains' options (:class:`~sobriete.protocol.DomainSpec`), ignored.

    Returns
    -------
    PreparedHosting
        Rows with no way to estimate the energy, no PUE, or bad values are rejected with their
        reason (in its ``quality``).

    Examples
    --------
    >>> rooms = pd.DataFrame({"kind": ["Salle  serveur"], "servers": [4], "power_w": [250], "pue": [2.0]})
    >>> prepared = prepare_hosting(rooms)
    >>> float(prepared.evaluate(2024).energy_kwh[0]), float(prepared.evaluate(2024, overrides=Overrides(
    ...     extra={"pue": 1.5})).energy_kwh[0])   # 4 × 250 W × 8760 h × PUE
    (17520.0, 13140.0)
    """
    catalog, grouping, check = prepare(hosting, catalog, by, "kind", HOSTING_COLUMNS, "hosting")
    n = len(hosting)
    kind = check.codes(NameColumn(hosting["kind"], _KINDS, KIND_ALIASES), _KINDS, "kind", what="hosting kind")

    def number(column, what, minimum=0.0):
        return check.number(hosting[column], column, what=what, minimum=minimum) if column in hosting.columns \
            else np.full(n, np.nan)

    measured = number("it_energy_kwh", "IT energy")
    servers = number("servers", "number of servers")
    power = number("power_w", "power")
    hours = number("hours_per_year", "hours per year")
    check.reject(hours > 366 * 24, "hours_per_year", "bad_hours_per_year", "hours per year above 8784",
                 hosting.get("hours_per_year"))
    hours = np.where(np.isnan(hours), HOURS_PER_YEAR, hours)
    instance_hours = number("instance_hours", "instance-hours")
    contracted = number("contracted_kw", "contracted power") * conversion_factor("kW", "W")
    cooling = number("cooling_kwh", "cooling energy")
    spend = number("spend_eur", "spend")
    pue = number("pue", "PUE", minimum=1.0)
    purchase = number("purchase_year", "purchase year", minimum=None)

    eq = catalog.equipment
    default_cat = eq.categories.get_loc(DEFAULT_SERVER_CATEGORY) if DEFAULT_SERVER_CATEGORY in eq.categories else None
    if "server_category" in hosting.columns:
        cat = check.codes(NameColumn(hosting["server_category"], eq.categories), eq.categories, "server_category",
                          what="server category", default=default_cat)
    else:
        cat = np.full(n, -1 if default_cat is None else default_cat)
    safe_cat, safe_kind = np.clip(cat, 0, None), np.clip(kind, 0, None)
    zone = zone_codes(hosting, catalog, check)

    # IT energy [kWh/year], first available source wins (ENERGY_SOURCES order).
    wh_to_kwh = conversion_factor("W*h", "kWh")
    with np.errstate(over="ignore"):  # products of huge inputs: rejected as overflows below
        candidates = [measured, servers * power * hours * wh_to_kwh, servers * eq.energy_kwh_per_year[safe_cat],
                      np.where(kind == HOSTING_KINDS.index("cloud"), instance_hours * power * wh_to_kwh, np.nan),
                      np.where(kind == HOSTING_KINDS.index("colocation"), contracted * hours * wh_to_kwh, np.nan)]
    source = np.full(n, len(ENERGY_SOURCES) - 1)
    it_kwh = np.full(n, np.nan)
    for i in range(len(candidates) - 1, -1, -1):
        have = ~np.isnan(candidates[i])
        it_kwh = np.where(have, candidates[i], it_kwh)
        source = np.where(have, i, source)
    pue_by_kind, spend_k = _prepared_hosting(catalog)
    spend_only = np.isnan(it_kwh) & ~np.isnan(spend)
    check.reject(np.isnan(it_kwh) & ~spend_only, "it_energy_kwh", "missing_energy",
                 "no IT energy: give it_energy_kwh, or servers (with power_w), or instance_hours with power_w "
                 "(cloud), or contracted_kw (colocation)")
    check.reject(spend_only & np.isnan(spend_k[safe_kind]).all(axis=1), "spend_eur", "no_spend_factor",
                 "spend given but the catalog has no spend-based factor for this kind of hosting; give the IT "
                 "energy or add a hosting_spend factor file", hosting.get("spend_eur"))
    pue_given = ~np.isnan(pue)
    check.reject(~spend_only & ~pue_given & np.isnan(pue_by_kind[safe_kind]) & np.isnan(cooling), "pue",
                 "missing_pue", "no PUE for this row and no default PUE in the catalog for its kind; give 'pue' or "
                 "'cooling_kwh'")
    it_kwh = np.nan_to_num(it_kwh)
    with np.errstate(over="ignore", invalid="ignore"):  # an overflow is rejected just below
        facility = np.where(spend_only, 0.0, facility_energy_kwh(it_kwh, np.where(pue_given, pue,
                                                                                  pue_by_kind[safe_kind]), cooling))
        magnitude = np.nanmax(np.abs(np.column_stack([facility, np.nan_to_num(servers), np.nan_to_num(spend)])),
                              axis=1)
    # a row whose energy, servers or spend would make its impact overflow (× factors ≥ 1) is rejected
    check.reject(~(magnitude <= MAX_ROW_IMPACT), "it_energy_kwh", "overflow",
                 f"the row's energy, servers or spend is too large to assess (above {MAX_ROW_IMPACT:g})")
    facility = np.where(magnitude <= MAX_ROW_IMPACT, facility, 0.0)
    # PUE source: 0 catalog default, 1 row's PUE, 2 measured cooling, 3 spend only.
    mode = np.select([spend_only, ~np.isnan(cooling), pue_given], [3, 2, 1], 0)

    ok = ~check.bad
    present = PresentGroups(grouping, np.bincount(grouping.gid[ok], minlength=grouping.n))
    cells = _Cells.build(ok, np.searchsorted(present.present, grouping.gid), safe_kind, zone, safe_cat, purchase,
                         mode, {"it": it_kwh, "facility": facility, "servers": np.nan_to_num(servers),
                                "spend": np.where(spend_only, spend, 0.0)},
                         {"server_rows": ~np.isnan(servers), "kwh_rows": facility > 0})
    src = source[ok]
    counts = {f"{name}_energy_rows": int(((src == i) & ~spend_only[ok]).sum())
              for i, name in enumerate(ENERGY_SOURCES[:-1])}
    counts["spend_rows"] = int(spend_only[ok].sum())
    counts["default_pue_rows"] = int((mode[ok] == 0).sum())
    warnings = []
    if counts["contracted_power_energy_rows"]:
        warnings.append(Notice("hosting_contracted_power", f"{counts['contracted_power_energy_rows']} colocation "
                               "row(s) use the contracted power × hours: an upper bound of the IT energy",
                               count=counts["contracted_power_energy_rows"]))
    if counts["spend_rows"]:
        warnings.append(Notice("hosting_spend", f"{counts['spend_rows']} row(s) use a spend-based factor "
                               "(last resort, very uncertain)", count=counts["spend_rows"]))
    return PreparedHosting(catalog, check.quality(counts, warnings), tuple(grouping.by), present, cells)


@dataclass(frozen=True, eq=False)
class _Cells:
    """Hosting rows summed per cell: the cell's codes (present group, kind, zone, server
    category, PUE source), purchase year, sums and row counts; ``row`` maps each input row to
    its cell (rejected rows: an extra last cell) and ``row_values`` keeps the rows' values for
    per-row overrides."""

    group: np.ndarray
    kind: np.ndarray
    zone: np.ndarray
    category: np.ndarray
    purchase: np.ndarray
    mode: np.ndarray
    sums: dict[str, np.ndarray]
    counts: dict[str, np.ndarray]
    row: np.ndarray
    row_values: dict[str, np.ndarray]

    @classmethod
    def build(cls, ok, group, kind, zone, category, purchase, mode, values, flags) -> _Cells:
        years, year_code = np.unique(np.nan_to_num(purchase, nan=-1.0), return_inverse=True)
        radix = [len(years), 4, int(zone.max(initial=0)) + 1, int(category.max(initial=0)) + 1,
                 int(kind.max(initial=0)) + 1]
        key = group.astype(np.int64)
        for code, size in zip((kind, category, zone, mode, year_code), radix[::-1]):
            key = key * size + code
        row, uniques = pd.factorize(np.where(ok, key, -1))
        n_cells = len(uniques)  # a cell per valid key, and one for the rejected rows' key if any
        if (~ok).any():  # the rejected rows' key (-1) is moved to an extra last cell
            dropped = row[np.flatnonzero(~ok)[0]]
            n_cells -= 1
            row = np.where(row == dropped, n_cells, np.where(row > dropped, row - 1, row))
        first = np.zeros(n_cells, dtype=np.int64)
        first[row[ok]] = np.flatnonzero(ok)  # any row of the cell gives its codes
        sums = {name: np.bincount(row, np.where(ok, v, 0.0), minlength=n_cells + 1)[:-1] for name, v in values.items()}
        counts = {name: np.bincount(row, ok & f, minlength=n_cells + 1)[:-1] for name, f in flags.items()}
        counts["rows"] = np.bincount(row, ok, minlength=n_cells + 1)[:-1]
        return cls(group[first], kind[first], zone[first], category[first],
                   np.where(years[year_code[first]] < 0, np.nan, years[year_code[first]]), mode[first], sums, counts,
                   row, values)


@dataclass(frozen=True, eq=False)
class PreparedHosting(PreparedBase):
    """A hosting table validated and summed per cell by :func:`prepare_hosting`.

    Overrides applied by :meth:`evaluate` (:class:`~sobriete.protocol.Overrides`; mappings are
    keyed by hosting kind):

    - ``quantity_multiplier``: the whole row [1] (servers, IT energy, cooling, spend: ``m``
      copies of the arrangement; 0 removes it);
    - ``energy_multiplier``: the facility's electricity [1];
    - ``lifetime_years``: the servers' lifetime [year] (default: the catalog's, per server category);
    - ``grid_factor`` and ``electricity/...`` factor ids: the electricity factors;
    - ``factor_multipliers`` on ``hosting/<kind>/pue`` (the default PUE),
      ``hosting_spend/<kind>/<criterion>``, ``equipment_impacts/<category>/<criterion>/<phase>``
      and ``equipment_parameters/<category>/lifetime``;
    - ``extra["pue"]``: the PUE [1] (≥ 1) of every row of a kind (scalar, ``{kind: pue}`` or
      per row), replacing the row's or the default one; rows whose overhead is measured
      (``cooling_kwh``) keep it.

    ``condition`` does not apply to hosting; other domains' ``extra`` keys are ignored.
    """

    cells: _Cells
    domain: str = "hosting"

    def evaluate(self, year: int, *, overrides: Overrides | None = None, allocation: str = "amortised",
                 **options) -> Footprint:
        """Footprint of the hosting in ``year`` under ``overrides``.

        Parameters
        ----------
        year : int
        overrides : Overrides, keyword-only
        allocation : {'amortised', 'at_purchase'}, keyword-only
            Servers' embodied impacts, as for equipment (:func:`sobriete.equipment.embodied_share`).
        **options
            Other domains' options (``model``...), ignored.

        Notes
        -----
        use = facility kWh × grid[zone, year], facility kWh = IT kWh × PUE (or IT + cooling);
        embodied = servers × share(year) × factor[server_category]; spend rows: spend × factor.
        """
        overrides = overrides or NO_OVERRIDES
        catalog, cells = self.catalog, self.cells
        eq = catalog.equipment
        pue_by_kind, spend_k = _prepared_hosting(catalog)
        spend_k, embodied, lifetime = np.nan_to_num(spend_k), np.nan_to_num(eq.embodied), eq.lifetime_years
        keys = {table: factor_keys(overrides, table) for table in ("hosting", "hosting_spend", "equipment_impacts",
                                                                   "equipment_parameters")}
        if any(keys.values()):
            criteria = pd.Index(catalog.criteria)
            pue_by_kind = multiply(pue_by_kind[:, None], keys["hosting"], (_KINDS, pd.Index(["pue"])), "hosting")[:, 0]
            spend_k = multiply(spend_k, keys["hosting_spend"], (_KINDS, criteria), "hosting_spend")
            embodied = multiply(embodied, keys["equipment_impacts"],
                                (eq.categories, criteria, pd.Index(EMBODIED_PHASES)), "equipment_impacts")
            lifetime = multiply(lifetime[:, None], keys["equipment_parameters"],
                                (eq.categories, pd.Index(["lifetime"])), "equipment_parameters")[:, 0]
        n = len(cells.row)
        quantity, quantity_rows = resolve(overrides.quantity_multiplier, _KINDS, n, "quantity_multiplier")
        energy, energy_rows = resolve(overrides.energy_multiplier, _KINDS, n, "energy_multiplier")
        life, life_rows = resolve(overrides.lifetime_years, _KINDS, n, "lifetime_years", default=np.nan, strict=True)
        pue, pue_rows = resolve(overrides.extra.get("pue"), _KINDS, n, "pue", default=np.nan, minimum=1.0)
        if quantity_rows is None and energy_rows is None and life_rows is None and pue_rows is None:
            k = cells.kind
            facility, weight, spend = _parts(year, allocation, cells, cells.sums, slice(0, -1), quantity[k] * energy[k],
                                             quantity[k], life[k], pue[k], pue_by_kind, lifetime)
        else:
            k = np.append(cells.kind, 0)[cells.row]
            per_row = [r if r is not None else v[k] for r, v in
                       ((quantity_rows, quantity), (energy_rows, energy), (life_rows, life), (pue_rows, pue))]
            parts = _parts(year, allocation, cells, cells.row_values, cells.row, per_row[0] * per_row[1], per_row[0],
                           per_row[2], per_row[3], pue_by_kind, lifetime)
            facility, weight, spend = (np.bincount(cells.row, np.nan_to_num(p), minlength=len(cells.kind) + 1)[:-1]
                                       for p in parts)
        return self._footprint(int(year), allocation, facility, weight, spend, embodied, spend_k, overrides)

    def _footprint(self, year, allocation, facility, weight, spend, embodied, spend_k, overrides) -> Footprint:
        catalog, cells, counts = self.catalog, self.cells, self.cells.counts
        n_g, n_cat, n_z, n_k = self.groups.n, len(catalog.equipment.categories), len(catalog.zones), len(_KINDS)

        def by_group(codes, size, values):
            return np.bincount(cells.group * size + codes, values, minlength=n_g * size).reshape(n_g, size)

        kwh, kwh_rows = by_group(cells.zone, n_z, facility), by_group(cells.zone, n_z, counts["kwh_rows"])
        spend_only = cells.mode == 3
        emb_rows = by_group(cells.category, n_cat, counts["server_rows"])
        spend_rows = by_group(cells.kind, n_k, np.where(spend_only, counts["rows"], 0))
        no_server_rows = np.bincount(cells.group, np.where(spend_only, 0, counts["rows"] - counts["server_rows"]),
                                     minlength=n_g)
        electricity = grid(catalog, year, overrides)
        used_zones = [catalog.zones[z] for z in np.flatnonzero(kwh_rows.sum(axis=0))]
        catalog.require_grid(electricity.grid, used_zones)
        values, uncovered = empty_values(n_g, catalog)
        embodied_at, use = [PHASES.index(p) for p in EMBODIED_PHASES], PHASES.index("use")
        values[:, :, embodied_at] = np.einsum("gc,ckp->gkp", by_group(cells.category, n_cat, weight), embodied)
        uncovered[:, :, embodied_at] = (np.einsum("gc,ckp->gkp", emb_rows,
                                                  np.isnan(catalog.equipment.embodied).astype(float))
                                        + no_server_rows[:, None, None])
        values[:, :, use] = kwh @ electricity.values + by_group(cells.kind, n_k, spend) @ spend_k
        uncovered[:, :, use] = kwh_rows @ electricity.missing + spend_rows @ np.isnan(_prepared_hosting(catalog)[1])
        meta = {"domain": "hosting", "year": year, "allocation": allocation}
        return build_footprint(values, uncovered, kwh.sum(axis=1), np.bincount(cells.group, counts["rows"],
                                                                               minlength=n_g),
                               self.groups, catalog, meta, self.quality, electricity.grid.warnings(used_zones))


def _parts(year, allocation, cells: _Cells, values: dict, at, multiplier, quantity, life, pue, pue_by_kind,
           lifetime):
    """Facility electricity [kWh], servers × embodied share [1] and spend [EUR] of cells
    (``at = slice(0, -1)``) or of rows (``at`` = each row's cell), after the overrides."""
    kind, mode = np.append(cells.kind, 0)[at], np.append(cells.mode, 3)[at]
    category, purchase = np.append(cells.category, 0)[at], np.append(cells.purchase, np.nan)[at]
    it = values["it"]
    facility = np.where(mode == 0, it * pue_by_kind[kind], values["facility"])
    facility = np.where(~np.isnan(pue) & (mode <= 1), it * pue, facility) * multiplier
    with np.errstate(invalid="ignore"):
        share = embodied_share(year, purchase, np.where(np.isnan(life), lifetime[category], life),
                               allocation=allocation)
    return facility, values["servers"] * quantity * share, values["spend"] * quantity


def assess_hosting(hosting: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                   by: Iterable[str] | str | None = None, allocation: str = "amortised") -> Footprint:
    """Footprint of hosting (server rooms, colocation, cloud) for one year: :func:`prepare_hosting`
    then :meth:`PreparedHosting.evaluate`.

    Parameters
    ----------
    hosting : DataFrame
        Canonical columns (:data:`HOSTING_COLUMNS`); other columns can be keys in ``by``.
    year : int
        Assessed year.
    catalog : FactorCatalog, optional
    by : str or list of str, optional
    allocation : {'amortised', 'at_purchase'}, keyword-only
        Servers' embodied impacts, as for equipment (:func:`sobriete.equipment.embodied_share`).

    Returns
    -------
    Footprint
        Rows with no way to estimate the energy, no PUE, or bad values are rejected with their
        reason. Rows without ``servers`` have no embodied impacts: they are counted as
        uncovered (a lower bound), never as zero.

    Notes
    -----
    use = facility kWh × grid[zone, year], facility kWh = IT kWh × PUE (or IT + cooling);
    embodied = servers × share(year) × factor[server_category]; spend rows: spend × factor.

    Examples
    --------
    >>> rooms = pd.DataFrame({"kind": ["on_premises"], "servers": [4], "power_w": [250], "pue": [2.0]})
    >>> fp = assess_hosting(rooms, 2024)
    >>> float(fp.energy_kwh[0])   # 4 × 250 W × 8760 h × 2.0
    17520.0
    """
    return prepare_hosting(hosting, catalog, by=by).evaluate(year, allocation=allocation)


register(DomainSpec("hosting", prepare_hosting, "kind"))
