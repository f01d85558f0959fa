"""Lighting factors: the electricity factor chosen for public lighting, the energy price and the
per-technology parameters and embodied impacts, as dense arrays memoised on the catalog.

The default electricity factor is the average consumption mix of the assessed year; the
seasonal per-use factor "Éclairage public" is an option for sensitivity analyses.

References
----------
ADEME, Documentation de la Base Carbone, page "Mix de consommation - par usage" (2025): "pour la
réalisation d'un Bilan d'émissions de GES, le 'Mix de consommation - moyen' doit être utilisé";
per-use factors are indicative (sensitivity); none are computed after 2023
(``factors/sources.csv``: ``ademe-base-carbone-doc-electricite-usage``).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from .errors import UnknownNameError, UnknownZoneYearError
from .factors import EMBODIED_PHASES, FactorCatalog
from .notices import Notice

#: Electricity usage of the catalog holding the seasonal per-use factor (ADEME "Éclairage public").
ELECTRICITY_USAGE = "public_lighting"
#: Electricity factors a lighting assessment can use: ``'mix'``, the average consumption mix of
#: the assessed year (ADEME: the one for a GHG inventory), or ``'usage'``, the seasonal per-use
#: factor "Éclairage public" (sensitivity; ADEME stopped computing per-use factors after 2023).
ELECTRICITY_CHOICES = ("mix", "usage")
DEFAULT_ELECTRICITY = "mix"


def technology_parameters(catalog: FactorCatalog, technologies: tuple[str, ...], parameter: str) -> np.ndarray:
    """``parameter`` (``gear_loss`` [share] or ``lifetime`` [year]) of each technology, from
    ``lighting_technologies`` (NaN where missing); read-only, computed once per catalog."""
    return catalog.prepared(_technology_parameters, tuple(technologies), parameter)


def _technology_parameters(catalog: FactorCatalog, technologies: tuple[str, ...], parameter: str) -> np.ndarray:
    technologies = pd.Index(technologies)
    table = catalog.table("lighting_technologies")
    rows = table[table["parameter"] == parameter]
    out = np.full(len(technologies), np.nan)
    out[technologies.get_indexer(rows["technology"])] = rows["value"].to_numpy(float)
    out.setflags(write=False)
    return out


def embodied_impacts(catalog: FactorCatalog, technologies: tuple[str, ...]) -> np.ndarray:
    """Embodied impacts per luminaire ``[technology, criterion, embodied phase]`` [criterion unit]
    from ``lighting_impacts`` (NaN: none); read-only, computed once per catalog."""
    return catalog.prepared(_embodied_impacts, tuple(technologies))


def _embodied_impacts(catalog: FactorCatalog, technologies: tuple[str, ...]) -> np.ndarray:
    technologies = pd.Index(technologies)
    table = catalog.table("lighting_impacts")
    out = np.full((len(technologies), len(catalog.criteria), len(EMBODIED_PHASES)), np.nan)
    if not table.empty:
        out[technologies.get_indexer(table["technology"]), pd.Index(catalog.criteria).get_indexer(table["criterion"]),
            pd.Index(EMBODIED_PHASES).get_indexer(table["phase"])] = table["value"].to_numpy(float)
    out.setflags(write=False)
    return out




@dataclass(frozen=True)
class LightingGrid:
    """Electricity factors for public lighting by zone for one year and choice.

    ``values[zone, criterion]`` [criterion unit/kWh] (NaN: none); ``usages`` and
    ``source_year`` say which catalog row each comes from; ``warnings`` per zone; ``errors``
    per zone (raised when the zone is used: no factor at all); ``label`` names the choice.
    """

    values: np.ndarray
    usages: list[list[str]]
    source_year: np.ndarray
    warnings: list[list]
    errors: list
    label: str


def lighting_grid(catalog: FactorCatalog, year: int, *, electricity: str = DEFAULT_ELECTRICITY) -> LightingGrid:
    """Electricity impact per kWh [criterion unit/kWh] by zone for public lighting.

    Parameters
    ----------
    catalog : FactorCatalog
        Its ``electricity`` table.
    year : int
        Assessed calendar year.
    electricity : {'mix', 'usage'}, keyword-only
        ``'mix'``: the average consumption mix (``usage`` ``mix`` in the catalog) of the
        latest year up to ``year``. ``'usage'``: the seasonal per-use factor
        ``public_lighting`` where the catalog has one, the average mix for the zones and
        criteria it lacks (a notice each).

    Returns
    -------
    LightingGrid

    Raises
    ------
    UnknownNameError
        ``electricity`` is not one of :data:`ELECTRICITY_CHOICES`.

    References
    ----------
    ADEME, Documentation de la Base Carbone, "Mix de consommation - par usage" (2025): a GHG
    inventory uses the average mix; per-use factors are indicative, for sensitivity; none are
    computed after 2023.
    """
    return catalog.prepared(_lighting_grid_table, int(year), electricity)


def _lighting_grid_table(catalog: FactorCatalog, year: int, electricity: str) -> LightingGrid:
    if electricity not in ELECTRICITY_CHOICES:
        raise UnknownNameError("electricity usage", electricity, ELECTRICITY_CHOICES)
    mix = catalog.grid(year)
    usage = None
    if electricity == "usage":
        try:
            usage = catalog.grid(year, usage=ELECTRICITY_USAGE)
        except UnknownNameError:
            usage = None
    n_zones, n_crit = mix.values.shape
    values = mix.values.copy()
    source_year = mix.source_year.copy()
    usages = [[mix.usage] * n_crit for _ in range(n_zones)]
    warnings, errors = [[] for _ in range(n_zones)], [None] * n_zones
    for z, name in enumerate(catalog.zones):
        has = (usage.source_year[z] != -1) if usage is not None else np.zeros(n_crit, bool)
        if has.all():
            values[z], source_year[z] = usage.values[z], usage.source_year[z]
            usages[z] = [ELECTRICITY_USAGE] * n_crit
            warnings[z] += usage.warnings([name])
            continue
        try:
            catalog.require_grid(mix, [name])
        except UnknownZoneYearError as exc:
            errors[z] = exc
            continue
        warnings[z] += mix.warnings([name])
        if has.any():
            values[z] = np.where(has, usage.values[z], mix.values[z])
            source_year[z] = np.where(has, usage.source_year[z], mix.source_year[z])
            usages[z] = [ELECTRICITY_USAGE if h else mix.usage for h in has]
            warnings[z] += usage.warnings([name])
            missing = [c for c, h in zip(catalog.criteria, has) if not h]
            warnings[z].append(Notice("lighting_mix_for", f"electricity {name}: no '{ELECTRICITY_USAGE}' factor "
                                      f"for {', '.join(missing)}, the average mix is used", zone=name,
                                      criteria=", ".join(missing)))
        elif electricity == "usage":
            warnings[z].append(Notice("lighting_mix", f"electricity {name}: no '{ELECTRICITY_USAGE}' factor, the "
                                      "average mix is used", zone=name))
    for array in (values, source_year):
        array.setflags(write=False)
    return LightingGrid(values, usages, source_year, warnings, errors, electricity)


def energy_price(catalog: FactorCatalog, price: float | None, multiplier: float = 1.0) -> tuple[float, list]:
    """The electricity price [EUR/kWh]: ``price`` if given, else the catalog's default
    (``lighting_parameters``), times ``multiplier``; and its notices (default used, or none)."""
    if price is not None:
        return float(price) * multiplier, []
    value, source = catalog.prepared(_catalog_price)
    if source is None:
        return float("nan"), [Notice("price_missing", "no energy price given nor in the catalog: costs are not "
                                     "computed")]
    value *= multiplier
    return value, [Notice("price_default", f"energy price: catalog default {value:.3f} EUR/kWh ({source}); give "
                          "your contract price for a real budget", price=f"{value:.3f}".replace(".", ","),
                          source=source)]


def _catalog_price(catalog: FactorCatalog) -> tuple[float, str | None]:
    table = catalog.table("lighting_parameters")
    row = table[table["parameter"] == "energy_price"]
    return (float("nan"), None) if row.empty else (float(row["value"].iloc[0]), str(row["source_id"].iloc[0]))
