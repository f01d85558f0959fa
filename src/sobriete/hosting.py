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
import numpy as np
import pandas as pd

from ._engine import _read_only, build_footprint, empty_values, prepare, prepared_grid, zone_codes
from .equipment import embodied_share
from .factors import EMBODIED_PHASES, HOSTING_KINDS, PHASES, FactorCatalog
from .footprint import Footprint
from .schema import HOSTING_COLUMNS, KIND_ALIASES  # noqa: F401  (re-exported)
from .units import conversion_factor
from .notices import Notice

DEFAULT_SERVER_CATEGORY = "server_rack"
#: Hours in a (non-leap) year, for continuous operation [h/year].
HOURS_PER_YEAR = 8760.0
#: IT energy sources, in order of preference (recorded per row in the counts).
ENERGY_SOURCES = ("measured", "servers_power", "servers_profile", "instance_hours", "contracted_power", "spend")


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


def assess_hosting(hosting: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                   by: Iterable[str] | str | None = None, allocation: str = "amortised") -> Footprint:
    """Footprint of hosting (server rooms, colocation, cloud) for one year.

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
    catalog, grouping, check = prepare(hosting, catalog, by, "kind", HOSTING_COLUMNS, "hosting")
    n = len(hosting)
    kind = check.codes(hosting["kind"], pd.Index(HOSTING_KINDS), "kind", what="hosting kind",
                       normalise=KIND_ALIASES)

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
    if "server_category" in hosting.columns:
        cat = check.codes(hosting["server_category"], eq.categories, "server_category", what="server category",
                          default=eq.categories.get_loc(DEFAULT_SERVER_CATEGORY)
                          if DEFAULT_SERVER_CATEGORY in eq.categories else None)
    else:
        cat = np.full(n, eq.categories.get_loc(DEFAULT_SERVER_CATEGORY) if DEFAULT_SERVER_CATEGORY in eq.categories
                      else -1)
    safe_cat = np.clip(cat, 0, None)
    zone = zone_codes(hosting, catalog, check)

    # IT energy [kWh/year], first available source wins (ENERGY_SOURCES order).
    wh_to_kwh = conversion_factor("W*h", "kWh")
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
    check.reject(spend_only & np.isnan(spend_k[np.clip(kind, 0, None)]).all(axis=1), "spend_eur", "no_spend_factor",
                 "spend given but the catalog has no spend-based factor for this kind of hosting; give the IT "
                 "energy or add a hosting_spend factor file", hosting.get("spend_eur"))
    pue_given = ~np.isnan(pue)
    pue = np.where(np.isnan(pue), pue_by_kind[np.clip(kind, 0, None)], pue)
    check.reject(~spend_only & np.isnan(pue) & np.isnan(cooling), "pue", "missing_pue",
                 "no PUE for this row and no default PUE in the catalog for its kind; give 'pue' or 'cooling_kwh'")
    with np.errstate(invalid="ignore"):
        share = embodied_share(year, purchase, eq.lifetime_years[safe_cat], allocation=allocation)
    facility = np.where(spend_only, 0.0, facility_energy_kwh(np.nan_to_num(it_kwh), pue, cooling))

    ok = ~check.bad
    gid = grouping.gid[ok]
    n_g, n_cat, n_z, n_k = grouping.n, len(eq.categories), len(catalog.zones), len(HOSTING_KINDS)
    has_servers = ~np.isnan(servers[ok])
    weight = np.nan_to_num(servers[ok]) * share[ok]
    emb_cells = np.bincount(gid * n_cat + safe_cat[ok], weight, minlength=n_g * n_cat).reshape(n_g, n_cat)
    emb_rows = np.bincount(gid * n_cat + safe_cat[ok], has_servers, minlength=n_g * n_cat).reshape(n_g, n_cat)
    kwh = np.bincount(gid * n_z + zone[ok], facility[ok], minlength=n_g * n_z).reshape(n_g, n_z)
    kwh_rows = np.bincount(gid * n_z + zone[ok], facility[ok] > 0, minlength=n_g * n_z).reshape(n_g, n_z)
    spend_cells = np.bincount(gid * n_k + np.clip(kind[ok], 0, None), np.where(spend_only[ok], spend[ok], 0.0),
                              minlength=n_g * n_k).reshape(n_g, n_k)
    spend_rows = np.bincount(gid * n_k + np.clip(kind[ok], 0, None), spend_only[ok],
                             minlength=n_g * n_k).reshape(n_g, n_k)
    rows = np.bincount(gid, minlength=n_g)
    no_server_rows = np.bincount(gid, ~has_servers & ~spend_only[ok], minlength=n_g)

    grid = prepared_grid(catalog, int(year))
    used_zones = [catalog.zones[z] for z in np.flatnonzero(kwh_rows.sum(axis=0))]
    catalog.require_grid(grid.grid, used_zones)
    values, uncovered = empty_values(n_g, catalog)
    embodied_at, use = [PHASES.index(p) for p in EMBODIED_PHASES], PHASES.index("use")
    values[:, :, embodied_at] = np.einsum("gc,ckp->gkp", emb_cells, np.nan_to_num(eq.embodied))
    uncovered[:, :, embodied_at] = (np.einsum("gc,ckp->gkp", emb_rows, np.isnan(eq.embodied).astype(float))
                                    + no_server_rows[:, None, None])
    values[:, :, use] = kwh @ grid.values + spend_cells @ np.nan_to_num(spend_k)
    uncovered[:, :, use] = kwh_rows @ grid.missing + spend_rows @ np.isnan(spend_k)

    src = source[ok]
    counts = {f"{name}_energy_rows": int(((src == i) & ~spend_only[ok]).sum())
              for i, name in enumerate(ENERGY_SOURCES[:-1])}
    counts["spend_rows"] = int(spend_only[ok].sum())
    counts["default_pue_rows"] = int((~pue_given[ok] & np.isnan(cooling[ok]) & ~spend_only[ok]).sum())
    warnings = list(grid.grid.warnings(used_zones))
    if counts["contracted_power_energy_rows"]:
        warnings.append(Notice("hosting_contracted_power", f"{counts['contracted_power_energy_rows']} colocation "
                               "row(s) use the contracted power × hours: an upper bound of the IT energy",
                               count=counts["contracted_power_energy_rows"]))
    if counts["spend_rows"]:
        warnings.append(Notice("hosting_spend", f"{counts['spend_rows']} row(s) use a spend-based factor "
                               "(last resort, very uncertain)", count=counts["spend_rows"]))
    quality = check.quality(counts, warnings)
    meta = {"domain": "hosting", "year": int(year), "allocation": allocation}
    return build_footprint(values, uncovered, kwh.sum(axis=1), rows, grouping, catalog, meta, quality)
