"""Network factors as dense arrays: per GB of traffic and per line, with the pure formulas.

Read once per catalog (and year, for traffic) and kept on the catalog
(:meth:`~sobriete.factors.FactorCatalog.prepared`); :mod:`sobriete.network` evaluates with them.

References
----------
ADEME (with Arcep), Évaluation de l'empreinte environnementale de la fourniture d'accès à
internet en France, 2024 (per-subscription + per-GB model).
ADEME, publicodes-acv-numerique v2.2.0, src/transmission.publicodes (NegaOctet per-GB factors).
Arcep, Pour un numérique soutenable, 2022 (data 2020): access electricity per subscription.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .kernel import _read_only
from .errors import CatalogError
from .factors import EMBODIED_PHASES, NETWORKS, PHASES, FactorCatalog
from .notices import Notice
from .units import conversion_factor

#: Equipment category of the customer box (embodied impacts and energy come from the catalog).
BOX_CATEGORY = "internet_box"


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
    box_lifetime_years: float = 1.0

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
    box_kwh, box_life = 0.0, 1.0
    eq = catalog.equipment
    if BOX_CATEGORY in eq.categories:
        b = eq.categories.get_loc(BOX_CATEGORY)
        box_per_year[:, [PHASES.index(p) for p in EMBODIED_PHASES]] = eq.embodied[b] / eq.lifetime_years[b]
        box_kwh, box_life = float(eq.energy_kwh_per_year[b]), float(eq.lifetime_years[b])
    elif (boxes > 0).any():
        raise CatalogError(f"the per-line model needs the equipment category '{BOX_CATEGORY}' (customer box) "
                           "in the factor catalog; add it with a factor file",
                           code="no_box_category", category=BOX_CATEGORY)
    return LineFactors(techs, per_line, access, boxes, box_per_year, box_kwh, box_life)


def _prepared_traffic(catalog: FactorCatalog, year: int, basis: str) -> tuple[TrafficFactors, np.ndarray, np.ndarray]:
    """Memoised on the catalog (see :meth:`FactorCatalog.prepared`)."""
    return catalog.prepared(_build_prepared_traffic, year, basis)


def _build_prepared_traffic(catalog: FactorCatalog, year: int,
                            basis: str) -> tuple[TrafficFactors, np.ndarray, np.ndarray]:
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
