"""Network: impacts of data traffic (per GB) and of connectivity lines (per line and year).

Three models (:data:`NETWORK_MODELS`), chosen by name:

``combined`` (default)
    Per line and year (access-network infrastructure, access electricity by technology, the
    customer box) plus the volume-dependent part per GB. ADEME's 2024 study of internet access
    in France models the footprint this way and finds it driven by the number of subscriptions
    and boxes, not by the volume (fixed: 50.1 kgCO2e per subscription and year + 1.75 gCO2e/GB,
    i.e. 4 kg of the 54 kg of an average 2,290 GB subscription). It is also the only model in
    which halving the traffic does not halve the network's footprint, and in which switching
    copper lines to fibre changes something.
``per_gb``
    The whole network life cycle allocated to data volume (NegaOctet factors, box included
    for fixed access). Lines are not counted (their impacts are inside the per-GB factor).
``per_line``
    Lines only; traffic is not counted.

Volumes are converted with pint: ``GB``/``Go`` are decimal (1 Go = 10⁹ octets), as ADEME and
NegaOctet use them; ``GiB`` (2³⁰ bytes) is accepted and converted.

References
----------
ADEME (with Arcep), Évaluation de l'empreinte environnementale de la fourniture d'accès à
internet en France, 2024 (per-subscription + per-GB model; life-cycle stage shares).
ADEME, publicodes-acv-numerique v2.2.0, src/transmission.publicodes (NegaOctet per-GB factors).
Arcep, Pour un numérique soutenable, 2022 (data 2020): access electricity per subscription,
fibre < 10 kWh/yr, copper ≈ 35 kWh/yr.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
import numpy as np
import pandas as pd

from ._engine import (CellSums, RowChecker, ZoneColumn, _CodeColumn, _NumberColumn, _read_only, build_footprint,
                      chunks, empty_values, prepare, prepared_grid, require_column)
from .errors import CatalogError, InputFormatError, InputValueError, UnitError, UnknownNameError
from .factors import EMBODIED_PHASES, NETWORKS, PHASES, FactorCatalog, load_catalog
from .footprint import Footprint
from .schema import (LINE_COLUMNS, LINE_TECHNOLOGY_ALIASES, NETWORK_ALIASES, TRAFFIC_COLUMNS,  # noqa: F401
                     VOLUME_SUFFIX_UNITS)
from .units import conversion_factor
from .notices import Notice

#: Models of the network footprint; see the module docstring.
NETWORK_MODELS = ("combined", "per_gb", "per_line")
DEFAULT_MODEL = "combined"
#: Per-GB factor basis used by each model for traffic.
_TRAFFIC_BASIS = {"combined": "marginal", "per_gb": "total"}
#: Equipment category of the customer box (embodied impacts and energy come from the catalog).
BOX_CATEGORY = "internet_box"
#: Copper technologies switched by default in :func:`copper_switch_off` (roadmap Action 6).
COPPER_TECHNOLOGIES = ("adsl", "vdsl")



_NETWORK_INDEX = pd.Index(NETWORKS)


def _check_model(model: str, choices: Sequence[str] = NETWORK_MODELS) -> None:
    if model not in choices:
        raise UnknownNameError("network model", model, choices)


# --------------------------------------------------------------------------- pure functions
def to_gigabytes(volume, unit):
    """Convert data volumes to gigabytes [GB = 10⁹ bytes].

    Parameters
    ----------
    volume : numeric
        Volumes (scalar, ndarray or Series).
    unit : str or array-like of str
        One unit for all, or one per value (``MB``, ``GB``, ``TB``, ``Mo``, ``Go``, ``To``,
        ``GiB``...).

    Returns
    -------
    numeric
        Same type (and index) as ``volume``.

    Raises
    ------
    UnitError
        If a unit is not a data volume.

    Examples
    --------
    >>> to_gigabytes(1.5, "To")
    1500.0
    >>> to_gigabytes(np.array([500.0, 2.0]), ["Mo", "Go"]).tolist()
    [0.5, 2.0]
    """
    if isinstance(unit, str):
        return volume * _gb_factor(unit)
    units = pd.Series(np.asarray(unit, dtype=object))
    codes, uniques = pd.factorize(units)
    factors = np.array([_gb_factor(u) for u in uniques])
    result = np.asarray(volume, dtype=float) * factors[codes]
    return pd.Series(result, index=volume.index, name=volume.name) if isinstance(volume, pd.Series) else result


def _gb_factor(unit: object) -> float:
    """GB per ``unit``, rounded to 12 significant digits (pint's 10⁶ x 10⁻⁹ is not exact)."""
    return float(f"{conversion_factor(unit, 'GB'):.12g}")


def line_energy_kwh(count, access_energy_kwh, boxes, box_energy_kwh):
    """Annual electricity of lines [kWh/year]: access network plus customer boxes.

    Parameters
    ----------
    count : numeric
        Number of lines [1].
    access_energy_kwh : numeric
        Access-network electricity per line [kWh/year].
    boxes : numeric
        Customer boxes per line [1].
    box_energy_kwh : numeric
        Electricity of one box [kWh/year].

    Returns
    -------
    numeric
        Electricity of the lines [kWh/year], same type as the inputs.

    Notes
    -----
    ``count × (access_energy_kwh + boxes × box_energy_kwh)``.

    Examples
    --------
    >>> line_energy_kwh(10, 35.0, 1.0, 70.08)
    1050.8
    """
    return count * (access_energy_kwh + boxes * box_energy_kwh)


# --------------------------------------------------------------------------- dense factors
@dataclass(frozen=True)
class TrafficFactors:
    """Per-GB factors for one year and basis: ``values[zone, network, criterion]`` [unit/GB],
    NaN where the catalog has none; ``source_year[zone, network]`` (-1 when none)."""

    zones: pd.Index
    networks: pd.Index
    year: int
    basis: str
    values: np.ndarray
    source_year: np.ndarray

    def warnings(self, used: np.ndarray) -> list[str]:
        """Sentences for used (zone, network) pairs whose factor is of a later year."""
        out = []
        for z, n in zip(*np.nonzero(used)):
            if self.source_year[z, n] > self.year:
                out.append(Notice("traffic_earliest_year", f"network {self.networks[n]} {self.zones[z]} "
                                  f"({self.basis} per GB): no factor for {self.year} or before, the earliest one "
                                  f"({self.source_year[z, n]}) is used", network=self.networks[n], zone=self.zones[z],
                                  year=self.year, used=int(self.source_year[z, n])))
        return out


def traffic_factors(catalog: FactorCatalog, year: int, *, basis: str) -> TrafficFactors:
    """Per-GB factors of ``basis`` for ``year``: per zone, network and criterion, the latest
    factor of a year up to ``year``, else the earliest one."""
    table = catalog.table("network_traffic")
    table = table[table["basis"] == basis]
    zones, networks, criteria = catalog.zones, pd.Index(NETWORKS), pd.Index(catalog.criteria)
    values = np.full((len(zones), len(networks), len(criteria)), np.nan)
    source_year = np.full((len(zones), len(networks)), -1, dtype=np.int64)
    if not table.empty:
        table = table.assign(_late=table["year"] > year, _order=np.where(table["year"] > year, -table["year"],
                                                                          table["year"]))
        table = table.sort_values(["_late", "_order"], ascending=[False, True])  # best choice last
        best = table.drop_duplicates(["zone", "network", "criterion"], keep="last")
        z, n = zones.get_indexer(best["zone"]), networks.get_indexer(best["network"])
        values[z, n, criteria.get_indexer(best["criterion"])] = best["value"].to_numpy(float)
        source_year[z, n] = best["year"].to_numpy(np.int64)
    return TrafficFactors(zones, networks, int(year), basis, values, source_year)


@dataclass(frozen=True)
class LineFactors:
    """Per-line factors by technology code.

    Attributes
    ----------
    technologies : pandas.Index
    per_line : ndarray, shape (n_technologies, n_criteria, n_phases)
        Network infrastructure per line and year [criterion unit/year], box excluded; NaN
        where the catalog has no factor.
    access_energy_kwh : ndarray, shape (n_technologies,)
        Access-network electricity per line [kWh/year]; NaN where unknown.
    boxes : ndarray, shape (n_technologies,)
        Customer boxes per line [1].
    box_per_year : ndarray, shape (n_criteria, n_phases)
        Embodied impacts of one box per year of its lifetime [criterion unit/year] (0 for use).
    box_energy_kwh : float
        Electricity of one box [kWh/year].
    """

    technologies: pd.Index
    per_line: np.ndarray
    access_energy_kwh: np.ndarray
    boxes: np.ndarray
    box_per_year: np.ndarray
    box_energy_kwh: float

    def per_line_total(self) -> np.ndarray:
        """Non-electric impacts per line and year, box included [unit/year]; NaN → 0."""
        return np.nan_to_num(self.per_line) + self.boxes[:, None, None] * np.nan_to_num(self.box_per_year)

    def energy_kwh(self) -> np.ndarray:
        """Electricity per line and year, box included [kWh/year]; unknown access energy → 0."""
        return line_energy_kwh(1.0, np.nan_to_num(self.access_energy_kwh), self.boxes, self.box_energy_kwh)

    def missing(self) -> np.ndarray:
        """``missing[t, k, p]``: a line of technology t has no factor for criterion k, phase p."""
        embodied = [PHASES.index(p) for p in EMBODIED_PHASES]
        use = PHASES.index("use")
        miss = np.zeros_like(self.per_line, dtype=bool)
        box_missing = (self.boxes[:, None, None] > 0) & np.isnan(self.box_per_year)[None, :, :]
        miss[:, :, embodied] = np.isnan(self.per_line[:, :, embodied]) | box_missing[:, :, embodied]
        miss[:, :, use] = np.isnan(self.access_energy_kwh)[:, None] & np.isnan(self.per_line[:, :, use])
        return miss


def line_factors(catalog: FactorCatalog) -> LineFactors:
    """Dense per-line factors from ``network_lines``, ``network_line_parameters`` and the
    equipment catalog's ``internet_box`` (one copy of the box's numbers, never two)."""
    techs = pd.Index(catalog.table("network_technologies")["technology"], name="technology")
    criteria = pd.Index(catalog.criteria)
    per_line = np.full((len(techs), len(criteria), len(PHASES)), np.nan)
    table = catalog.table("network_lines")
    per_line[techs.get_indexer(table["technology"]), criteria.get_indexer(table["criterion"]),
             pd.Index(PHASES).get_indexer(table["phase"])] = table["value"].to_numpy(float)
    params = catalog.table("network_line_parameters").pivot(index="technology", columns="parameter",
                                                            values="value").reindex(techs)
    access = params["access_energy"].to_numpy(float) if "access_energy" in params else np.full(len(techs), np.nan)
    boxes = np.nan_to_num(params["boxes"].to_numpy(float)) if "boxes" in params else np.zeros(len(techs))
    box_per_year = np.zeros((len(criteria), len(PHASES)))
    box_kwh = 0.0
    eq = catalog.equipment
    if BOX_CATEGORY in eq.categories:
        b = eq.categories.get_loc(BOX_CATEGORY)
        box_per_year[:, [PHASES.index(p) for p in EMBODIED_PHASES]] = eq.embodied[b] / eq.lifetime_years[b]
        box_kwh = float(eq.energy_kwh_per_year[b])
    elif (boxes > 0).any():
        raise CatalogError(f"the per-line model needs the equipment category '{BOX_CATEGORY}' (customer box) "
                           "in the factor catalog; add it with a factor file",
                           code="no_box_category", category=BOX_CATEGORY)
    return LineFactors(techs, per_line, access, boxes, box_per_year, box_kwh)


def _prepared_traffic(catalog: FactorCatalog, year: int, basis: str) -> tuple[TrafficFactors, np.ndarray, np.ndarray]:
    """Memoised on the catalog (see :meth:`FactorCatalog.prepared`)."""
    return catalog.prepared(_build_prepared_traffic, year, basis)


def _build_prepared_traffic(catalog: FactorCatalog, year: int, basis: str) -> tuple[TrafficFactors, np.ndarray, np.ndarray]:
    """Per-GB factors flattened to ``[zone × network, criterion]`` (NaN → 0) and their missing
    mask, computed once per catalog, year and basis (read-only arrays)."""
    factors = traffic_factors(catalog, year, basis=basis)
    flat = factors.values.reshape(-1, factors.values.shape[2])
    prepared = (factors, np.nan_to_num(flat), np.isnan(flat).astype(float))
    _read_only(factors.values, factors.source_year, *prepared[1:])
    return prepared


@dataclass(frozen=True)
class _PreparedLines:
    factors: LineFactors
    per_line: np.ndarray  # (tech, criterion, phase), box included, NaN → 0
    missing: np.ndarray  # same shape, 1.0 where a factor is missing
    energy_kwh: np.ndarray  # (tech,)
    has_energy: np.ndarray  # (tech,), 1.0 where the line uses electricity


def _prepared_lines(catalog: FactorCatalog) -> _PreparedLines:
    """Memoised on the catalog (see :meth:`FactorCatalog.prepared`)."""
    return catalog.prepared(_build_prepared_lines)


def _build_prepared_lines(catalog: FactorCatalog) -> _PreparedLines:
    """Dense per-line factors, computed once per catalog (read-only arrays)."""
    factors = line_factors(catalog)
    energy = factors.energy_kwh()
    prepared = _PreparedLines(factors, factors.per_line_total(), factors.missing().astype(float), energy,
                              (energy > 0).astype(float))
    _read_only(prepared.per_line, prepared.missing, prepared.energy_kwh, prepared.has_energy)
    return prepared


# --------------------------------------------------------------------------- traffic



class _TrafficVolume:
    """Volumes in GB, chunk by chunk, from ``volume_gb``, ``volume`` + ``unit``, or one
    ``volume_<unit>`` column; bad, missing or negative volumes and unknown units are rejected."""

    def __init__(self, traffic: pd.DataFrame):
        self.unit_codes = None
        if "volume_gb" in traffic.columns:
            self.column, self.factor = "volume_gb", 1.0
        elif "volume" in traffic.columns:
            if "unit" not in traffic.columns:
                raise InputFormatError("a 'volume' column needs a 'unit' column (MB, GB, TB, Mo, Go, To), "
                                       "or name the column after its unit ('volume_gb', 'volume_to')",
                                       column="volume", code="volume_without_unit")
            self.column, self.factor = "volume", 1.0
            self.unit = traffic["unit"]
            self.unit_codes, uniques = pd.factorize(self.unit)
            self.unit_factors = np.full(len(uniques) + 1, np.nan)
            for i, unit in enumerate(uniques):
                try:
                    self.unit_factors[i] = _gb_factor(unit)
                except UnitError:
                    pass
        else:
            for column in traffic.columns:
                name = str(column).lower()
                unit = VOLUME_SUFFIX_UNITS.get(name.removeprefix("volume_")) if name.startswith("volume_") else None
                if unit is not None:
                    self.column, self.factor = column, _gb_factor(unit)
                    break
            else:
                raise InputFormatError("the traffic table has no volume column: give 'volume_gb', or 'volume' with "
                                       "'unit', or 'volume_<unit>' (volume_mb, volume_tb, volume_go, volume_to)",
                                       column="volume_gb", code="no_volume_column")
        self.values = _NumberColumn(traffic[self.column])

    def chunk(self, check: RowChecker, sl: slice) -> np.ndarray:
        volume = check.number(self.values, str(self.column), what="volume", required=True, sl=sl)
        if self.unit_codes is not None:
            codes = self.unit_codes[sl]
            check.reject(codes < 0, "unit", "missing_unit", "the volume's unit is missing", start=sl.start)
            factors = self.unit_factors[codes]
            check.reject(np.isnan(factors), "unit", "bad_unit", "unit is not a data volume (MB, GB, TB, Mo, Go, "
                         "To...)", self.unit, start=sl.start)
            return volume * factors
        return volume * self.factor if self.factor != 1.0 else volume


def traffic_volume_gb(traffic: pd.DataFrame, check: RowChecker) -> np.ndarray:
    """Volumes in GB from ``volume_gb``, ``volume`` + ``unit``, or one ``volume_<unit>`` column;
    bad, missing or negative volumes and unknown units are rejected."""
    return _TrafficVolume(traffic).chunk(check, slice(0, len(traffic)))


def assess_traffic(traffic: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                   by: Iterable[str] | str | None = None, model: str = DEFAULT_MODEL) -> Footprint:
    """Footprint of data traffic for one year.

    Parameters
    ----------
    traffic : DataFrame
        Canonical columns (:data:`TRAFFIC_COLUMNS`); other columns can be keys in ``by``.
    year : int
        Assessed year (selects the per-GB factors: the latest up to that year).
    catalog : FactorCatalog, optional
        Defaults to the bundled catalog.
    by : str or list of str, optional
        Grouping keys (``"commune"``, ``["site", "network"]``...).
    model : {'combined', 'per_gb'}, keyword-only
        ``combined``: volume-dependent part only (to add to :func:`assess_lines`);
        ``per_gb``: whole network life cycle per GB.

    Returns
    -------
    Footprint
        Impacts in the ``use`` phase (the service's life cycle allocated to the assessed
        organisation's data); ``energy_kwh`` is 0 (the factors are not split into kWh).

    Notes
    -----
    impact[group, criterion] = Σ volume_gb × factor[zone, network, criterion, year].

    Examples
    --------
    >>> t = pd.DataFrame({"network": ["fixed", "mobile"], "volume": [2, 500], "unit": ["To", "Go"]})
    >>> fp = assess_traffic(t, 2025, model="per_gb")
    >>> round(float(fp.total().loc["gwp", "total"]), 2)   # 2000 × 0.00927 + 500 × 0.02468
    30.88
    """
    _check_model(model, tuple(_TRAFFIC_BASIS))
    catalog, grouping, check = prepare(traffic, catalog, by, "network", TRAFFIC_COLUMNS, "traffic")
    network = _CodeColumn(traffic["network"], _NETWORK_INDEX, NETWORK_ALIASES)
    volume = _TrafficVolume(traffic)
    zone = ZoneColumn(traffic, catalog)
    factors, flat, flat_missing = _prepared_traffic(catalog, int(year), _TRAFFIC_BASIS[model])
    n_n = len(NETWORKS)
    sums = CellSums(grouping.n * zone.n * n_n)
    for sl in chunks(check.n, sums.size):
        net = check.codes(network, _NETWORK_INDEX, "network", what="network", sl=sl)
        vol = volume.chunk(check, sl)
        cell = grouping.codes(sl) * (zone.n * n_n) + net
        z = zone.chunk(check, sl)
        if zone.column is not None:
            cell += z * n_n
        sums.add(cell, vol, check.ok(sl))
    volume_cells = zone.expand(sums.weight.reshape(grouping.n, zone.n, n_n), 1).reshape(grouping.n, -1)
    rows_cells = zone.expand(sums.rows.reshape(grouping.n, zone.n, n_n), 1).reshape(grouping.n, -1)
    values, uncovered = empty_values(grouping.n, catalog)
    use = PHASES.index("use")
    values[:, :, use] = volume_cells @ flat
    uncovered[:, :, use] = rows_cells @ flat_missing
    used = rows_cells.sum(axis=0).reshape(len(catalog.zones), n_n) > 0
    quality = check.quality({"volume_gb": int(round(float(sums.weight.sum())))}, factors.warnings(used))
    meta = {"domain": "network_traffic", "year": factors.year, "model": model, "basis": factors.basis}
    return build_footprint(values, uncovered, np.zeros(grouping.n), rows_cells.sum(axis=1), grouping, catalog,
                           meta, quality)


# --------------------------------------------------------------------------- lines
def assess_lines(lines: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                 by: Iterable[str] | str | None = None) -> Footprint:
    """Footprint of connectivity lines (subscriptions) for one year.

    Parameters
    ----------
    lines : DataFrame
        Canonical columns (:data:`LINE_COLUMNS`); other columns can be keys in ``by``.
        Technologies are matched lower-case, with the usual invoice spellings
        (:data:`LINE_TECHNOLOGY_ALIASES`: "Fibre" → ftth, "VDSL2" → vdsl, "4G" → mobile_4g).
    year : int
        Assessed year (selects the electricity factors).
    catalog : FactorCatalog, optional
    by : str or list of str, optional

    Returns
    -------
    Footprint

    Notes
    -----
    Per line and year: infrastructure[t] + boxes[t] × box embodied / box lifetime (embodied
    phases), and (access_energy[t] + boxes[t] × box energy) × grid[zone, year] (use). Boxes are
    counted in steady state (one in service per line, renewed at the end of its lifetime).

    Examples
    --------
    >>> lines = pd.DataFrame({"commune": ["A", "A"], "technology": ["ADSL", "Fibre"], "count": [3, 2]})
    >>> fp = assess_lines(lines, 2024, by="commune")
    >>> float(fp.energy_kwh[0])   # 3 × (35 + 70.08) + 2 × (10 + 70.08)
    475.4
    """
    catalog, grouping, check = prepare(lines, catalog, by, "technology", LINE_COLUMNS, "lines")
    prepared = _prepared_lines(catalog)
    techs = prepared.factors.technologies
    technology = _CodeColumn(lines["technology"], techs, LINE_TECHNOLOGY_ALIASES)
    count = _NumberColumn(lines["count"]) if "count" in lines.columns else None
    zone = ZoneColumn(lines, catalog)
    n_t = len(techs)
    sums = CellSums(grouping.n * n_t * zone.n)
    for sl in chunks(check.n, sums.size):
        tech = check.codes(technology, techs, "technology", what="line technology", sl=sl)
        if count is None:
            n_lines = np.ones(sl.stop - sl.start)
        else:
            n_lines = check.number(count, "count", what="line count", sl=sl)
            missing_count = np.isnan(n_lines)
            if missing_count.any():
                n_lines = np.where(missing_count, 1.0, n_lines)
        cell = grouping.codes(sl) * (n_t * zone.n)
        z = zone.chunk(check, sl)
        cell += tech * zone.n + z if zone.column is not None else tech
        sums.add(cell, n_lines, check.ok(sl))
    lines_cells = zone.expand(sums.weight.reshape(grouping.n, n_t, zone.n), 2)
    rows_cells = zone.expand(sums.rows.reshape(grouping.n, n_t, zone.n), 2)
    lines_t, rows_t = lines_cells.sum(axis=2), rows_cells.sum(axis=2)
    values = np.einsum("gt,tkp->gkp", lines_t, prepared.per_line)
    uncovered = np.einsum("gt,tkp->gkp", rows_t, prepared.missing)
    kwh = np.einsum("gtz,t->gz", lines_cells, prepared.energy_kwh)
    rows_kwh = np.einsum("gtz,t->gz", rows_cells, prepared.has_energy)
    grid = prepared_grid(catalog, int(year))
    used_zones = [catalog.zones[z] for z in np.flatnonzero(rows_kwh.sum(axis=0))]
    catalog.require_grid(grid.grid, used_zones)
    use = PHASES.index("use")
    values[:, :, use] += kwh @ grid.values
    uncovered[:, :, use] += rows_kwh @ grid.missing
    counts = {"lines": int(round(float(lines_t.sum())))}
    quality = check.quality(counts, grid.grid.warnings(used_zones))
    meta = {"domain": "network_lines", "year": int(year), "model": "per_line"}
    return build_footprint(values, uncovered, kwh.sum(axis=1), rows_t.sum(axis=1), grouping, catalog, meta,
                           quality)


# --------------------------------------------------------------------------- both
def assess_network(year: int, *, traffic: pd.DataFrame | None = None, lines: pd.DataFrame | None = None,
                   catalog: FactorCatalog | None = None, by: Iterable[str] | str | None = None,
                   model: str = DEFAULT_MODEL) -> Footprint:
    """Footprint of the network (traffic and lines) with one of :data:`NETWORK_MODELS`.

    ``combined`` = :func:`assess_lines` + :func:`assess_traffic` (volume-dependent part);
    ``per_gb`` = traffic only, whole network per GB; ``per_line`` = lines only. An input the
    model does not use is named in the warnings.

    Examples
    --------
    >>> lines = pd.DataFrame({"technology": ["ftth"], "count": [1]})
    >>> traffic = pd.DataFrame({"network": ["fixed"], "volume_gb": [2290.0]})
    >>> fp = assess_network(2024, traffic=traffic, lines=lines)
    >>> fp.meta["model"]
    'combined'
    """
    _check_model(model)
    catalog = catalog if catalog is not None else load_catalog()
    if traffic is None and lines is None:
        raise InputValueError("assess_network needs traffic, lines or both", code="network_no_input")
    parts, unused = [], []
    if lines is not None:
        if model == "per_gb":
            unused.append("lines are not counted by the per_gb model (the per-GB factors include the "
                          "access network and the box)")
        else:
            parts.append(assess_lines(lines, year, catalog=catalog, by=by))
    if traffic is not None:
        if model == "per_line":
            unused.append("traffic is not counted by the per_line model")
        else:
            parts.append(assess_traffic(traffic, year, catalog=catalog, by=by, model=model))
    if not parts:
        raise InputValueError(f"the {model} model uses none of the inputs given: {'; '.join(unused)}",
                              code="network_model_unused", model=model, reasons=list(unused))
    result = parts[0] if len(parts) == 1 else parts[0] + parts[1]
    quality = result.quality
    quality = replace(quality, warnings=tuple(dict.fromkeys((*quality.warnings, *unused))))
    return replace(result, quality=quality, meta={**result.meta, "domain": "network", "model": model,
                                                  "year": int(year)})


# --------------------------------------------------------------------------- copper switch-off
@dataclass(frozen=True)
class SwitchOff:
    """Before/after footprints of a copper switch-off, and ``difference = after − before``."""

    before: Footprint
    after: Footprint
    difference: Footprint
    switched_lines: pd.DataFrame

    def table(self, criterion: str = "gwp") -> pd.DataFrame:
        """Per group: switched lines, before, after, difference [criterion unit], energy before/after [kWh]."""
        keys = list(self.before.by_keys)
        before = self.before.table(criterion).rename(columns={"total": "before", "energy_kwh": "energy_kwh_before"})
        after = self.after.table(criterion).rename(columns={"total": "after", "energy_kwh": "energy_kwh_after"})
        cols_b, cols_a = [*keys, "before", "energy_kwh_before"], [*keys, "after", "energy_kwh_after"]
        if keys:
            out = before[cols_b].merge(after[cols_a], on=keys, how="outer").merge(self.switched_lines, on=keys,
                                                                                    how="left")
        else:
            out = pd.concat([before[cols_b], after[cols_a], self.switched_lines], axis=1)
        out["switched_lines"] = out["switched_lines"].fillna(0.0)
        out["difference"] = out["after"] - out["before"]
        return out[[*keys, "switched_lines", "before", "after", "difference", "energy_kwh_before",
                    "energy_kwh_after"]]


def copper_switch_off(lines: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                      by: Iterable[str] | str | None = "commune", technologies: Sequence[str] = COPPER_TECHNOLOGIES,
                      to: str = "ftth", share: float = 1.0) -> SwitchOff:
    """Turn copper lines into fibre lines (roadmap Action 6) and compare the footprints.

    Parameters
    ----------
    lines : DataFrame
        Lines as for :func:`assess_lines`.
    year : int
        Assessed year.
    by : str or list of str, optional
        Grouping keys of the comparison, default ``"commune"``.
    technologies : sequence of str, keyword-only
        Technologies switched (catalog ids), default ADSL and VDSL.
    to : str, keyword-only
        Technology they become, default ``ftth``.
    share : float, keyword-only
        Share of those lines switched, in [0, 1].

    Returns
    -------
    SwitchOff
        Each switched line keeps one box (the box is replaced one for one and counted in
        steady state before and after), so the difference is the access network's
        (electricity and infrastructure, per technology in the catalog).

    Examples
    --------
    >>> lines = pd.DataFrame({"commune": ["A"], "technology": ["adsl"], "count": [100]})
    >>> s = copper_switch_off(lines, 2024)
    >>> s.table()[["commune", "switched_lines"]].to_dict("records")
    [{'commune': 'A', 'switched_lines': 100.0}]
    >>> round(float(s.difference.energy_kwh[0]), 1)   # 100 × (10 − 35)
    -2500.0
    """
    if not 0.0 <= share <= 1.0:
        raise InputValueError(f"share must be between 0 and 1, got {share}", code="bad_share", share=share)
    catalog = catalog if catalog is not None else load_catalog()
    techs = _prepared_lines(catalog).factors.technologies
    for name in (*technologies, to):
        if name not in techs:
            raise UnknownNameError("line technology", name, techs)
    require_column(lines, "technology", LINE_COLUMNS, "lines")
    normalised = lines["technology"].astype("string").str.strip().str.lower().replace(LINE_TECHNOLOGY_ALIASES)
    switched = normalised.isin(list(technologies)).fillna(False).to_numpy(dtype=bool)
    count = pd.to_numeric(lines["count"], errors="coerce").fillna(1.0).to_numpy() if "count" in lines.columns \
        else np.ones(len(lines))
    if share >= 1.0:
        after_lines = lines.assign(technology=np.where(switched, to, lines["technology"].astype(object)))
    else:
        kept = lines.assign(count=np.where(switched, count * (1.0 - share), count))
        after_lines = pd.concat([kept, lines.loc[switched].assign(technology=to, count=count[switched] * share)])
    before = assess_lines(lines, year, catalog=catalog, by=by)
    after = assess_lines(after_lines, year, catalog=catalog, by=by)
    keys = list(before.by_keys)
    per_row = pd.DataFrame({"switched_lines": np.where(switched, count * share, 0.0)}, index=lines.index)
    if keys:
        switched_lines = per_row.join(lines[keys]).groupby(keys, dropna=False, sort=True)["switched_lines"].sum()
        switched_lines = switched_lines.reset_index()
    else:
        switched_lines = pd.DataFrame({"switched_lines": [per_row["switched_lines"].sum()]})
    return SwitchOff(before, after, after - before, switched_lines)
