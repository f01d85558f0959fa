"""Public lighting: burning hours from the sky, energy, footprint and cost of luminaires.

Burning hours are computed once per (site, schedule, year) from the sun's daily crossings of
the schedule's threshold elevation (exact instants, :mod:`sobriete.sun`) and the schedule's
power level for each minute of the local week (:mod:`sobriete.schedule`), in local time with
daylight saving; then broadcast to the luminaires. Energy = system power × full-power-equivalent
hours; use-phase impacts = energy × the electricity factor for public lighting of the zone and
year (the average mix by default, the seasonal per-use factor on request); embodied impacts
of luminaires amortised over their lifetime where the catalog has them.

References
----------
ADEME, Documentation de la Base Carbone, "Mix de consommation - par usage" (2025): a GHG
inventory uses the average mix; per-use factors (méthode saisonnalisée) serve sensitivity
analyses and are not computed after 2023.
ADEME, Base Carbone V23.6: "Électricité - 2019..2025 - mix moyen - consommation" and
"Électricité - usage : Éclairage public" (méthode saisonnalisée).
VITO for the European Commission, Ecodesign Lot 9 "Public street lighting", 2007: luminaire
lifetime 30 years. Lumhouse; CELMA (via preforled.fr): control-gear losses.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from . import kernel
from .errors import InputFormatError, InputValueError, ScheduleError, UnknownNameError
from .factors import EMBODIED_PHASES, PHASES, FactorCatalog, load_catalog
from .footprint import DataQuality, Footprint
from .kernel import embodied_share, in_service_fraction
from .lighting_factors import (DEFAULT_ELECTRICITY, ELECTRICITY_CHOICES, ELECTRICITY_USAGE,  # noqa: F401
                               LightingGrid, embodied_impacts, energy_price, lighting_grid, technology_parameters)
from .notices import Notice
from .protocol import DomainSpec, Overrides, is_per_row, register
from .parsing import to_float
from .schedule import (DEFAULT_SCHEDULE_ID, DEFAULT_TZ, MONTHS, BurningHours, Schedule, burning_hours,  # noqa: F401
                       default_schedule)
from .schema import (LIGHTING_TECHNOLOGY_ALIASES, LUMINAIRE_COLUMNS, POWER_ENERGY_SUFFIX_UNITS, alias_table,
                     normalise_name)
from .units import conversion_factor

#: Coordinates are rounded to this many decimals [deg] to share burning-hour computations
#: between nearby luminaires (0.01° of longitude shifts sunset by 2.4 s).
SITE_DECIMALS = 2


# --------------------------------------------------------------------------- inventory
def normalise_technology(values: pd.Series) -> pd.Series:
    """Canonical technology ids from inventory spellings (unknown ones are kept as written).

    Spellings are matched through :func:`sobriete.schema.normalise_name` (case, accents,
    spaces and punctuation folded) against :data:`sobriete.schema.LIGHTING_TECHNOLOGY_ALIASES`.

    Examples
    --------
    >>> normalise_technology(pd.Series(["SHP", "Iodures métalliques", "LED", "xenon"])).tolist()
    ['hps', 'metal_halide', 'led', 'xenon']
    """
    return _per_distinct(values, lambda v: _TECHNOLOGY_TABLE.get(normalise_name(v), str(v).strip()))


def _per_distinct(values: pd.Series, func) -> pd.Series:
    """``func`` of each distinct value of a column, computed once per value; missing stay None."""
    codes, uniques = pd.factorize(values)
    mapped = np.array([func(u) for u in uniques] + [None], dtype=object)
    return pd.Series(mapped[codes], index=values.index, dtype=object)


_TECHNOLOGY_TABLE = alias_table(LIGHTING_TECHNOLOGY_ALIASES)


def _power_column(frame: pd.DataFrame) -> pd.DataFrame:
    """``lamp_power_<unit>`` (kW, MW...) converted to ``lamp_power_w`` with pint."""
    for column in list(frame.columns):
        name = str(column)
        if name.startswith("lamp_power_") and name != "lamp_power_w":
            if "lamp_power_w" in frame.columns:
                raise InputFormatError(f"both 'lamp_power_w' and '{name}' are given; keep one", column=name,
                                       code="both_columns", first="lamp_power_w", second=name)
            suffix = name.removeprefix("lamp_power_")
            factor = conversion_factor(POWER_ENERGY_SUFFIX_UNITS.get(suffix.lower(), suffix), "W", column=name)
            values, _ = to_float(frame[name])
            return frame.drop(columns=name).assign(lamp_power_w=values * factor)
    return frame


def _schedule_key(schedule: Schedule) -> str:
    """What makes two schedules give the same burning hours (their whole definition)."""
    return schedule.model_dump_json(exclude={"id", "label"})


@dataclass(frozen=True, eq=False)
class PreparedLighting:
    """A luminaire inventory validated and coded once, evaluated for any year and scenario.

    Built by :func:`prepare_lighting`. Per kept row (in input order): ``position`` in the frame
    given to ``prepare``, group, ZA code, count [1], technology code, lamp power [W], gear loss
    [share] (``gear_given``: from the inventory, else the technology's default), installation
    year, site and schedule codes, zone code. Burning hours are cached per (year, site,
    schedule) on the object, so evaluating again costs only array arithmetic.
    """

    catalog: FactorCatalog
    position: np.ndarray
    group: np.ndarray
    keys: pd.DataFrame
    za: np.ndarray
    za_names: pd.Index
    count: np.ndarray
    technology: np.ndarray
    lamp_power_w: np.ndarray
    gear_loss: np.ndarray
    gear_given: np.ndarray
    installation_year: np.ndarray
    site: np.ndarray
    site_latitude_deg: np.ndarray
    site_longitude_deg: np.ndarray
    schedule: np.ndarray
    schedules: tuple[Schedule, ...]
    zone: np.ndarray
    technologies: pd.Index
    by: tuple[str, ...]
    quality: DataQuality
    rows_in: int
    tz: str = DEFAULT_TZ
    domain: str = "lighting"
    rows_per_entry: np.ndarray | None = field(default=None, repr=False)  # merged cells: rows each; None: one
    _hours: dict = field(default_factory=dict, repr=False)
    _baseline_hours: dict = field(default_factory=dict, repr=False)

    def evaluate(self, year: int, *, overrides: Overrides | None = None, allocation: str = "amortised",
                 electricity: str = DEFAULT_ELECTRICITY, energy_price_eur_per_kwh: float | None = None) -> Footprint:
        """Footprint of the luminaires in ``year`` under ``overrides`` (see :meth:`assess`)."""
        return self._entries(overrides)._run(year, overrides, allocation, electricity,
                                             energy_price_eur_per_kwh).footprint

    def assess(self, year: int, *, overrides: Overrides | None = None, allocation: str = "amortised",
               electricity: str = DEFAULT_ELECTRICITY, energy_price_eur_per_kwh: float | None = None) -> LightingResult:
        """Energy, footprint and cost of the luminaires in ``year``, with a per-group summary.

        Parameters
        ----------
        year : int
            Assessed calendar year.
        overrides : Overrides, keyword-only
            What a scenario changes, applied here without re-validating the input:
            ``quantity_multiplier`` and ``energy_multiplier`` (scalar, ``{za or technology:
            value}`` or one value per input row) [1]; ``lifetime_years`` of luminaires (same
            shapes) [year]; ``grid_factor`` ``{criterion: value}`` or ``{(zone, criterion):
            value}`` [criterion unit/kWh]; ``factor_multipliers`` for the ids
            ``electricity/<zone>/<year>/<usage>/<criterion>``,
            ``lighting_impacts/<technology>/<criterion>/<phase>``,
            ``lighting_technologies/<technology>/<gear_loss|lifetime>`` and
            ``lighting_parameters/energy_price``; ``extra``: ``schedules`` (``{id: Schedule}``
            the other keys may name), ``schedule`` (a Schedule or id for every luminaire, or
            ``{za: Schedule or id}``), ``schedule_changes`` (``{old id: new id}``),
            ``retrofit`` (rules, see :class:`sobriete.retrofit.Retrofit`; first match wins),
            ``retrofit_year`` (installation year of retrofitted luminaires, default ``year``)
            and ``energy_price_eur_per_kwh``. ``condition`` does not apply to lighting.
        allocation : {'amortised', 'at_purchase'}, keyword-only
            Allocation of embodied impacts (see :func:`sobriete.equipment.embodied_share`).
        electricity : {'mix', 'usage'}, keyword-only
            Electricity factor: ``'mix'`` (default), the average consumption mix of the
            assessed year, as ADEME requires for a GHG inventory; ``'usage'``, the seasonal
            per-use factor "Éclairage public" (published up to 2023), for sensitivity.
        energy_price_eur_per_kwh : float, keyword-only
            Electricity price [EUR/kWh]; default from the catalog's ``lighting_parameters``.

        Returns
        -------
        LightingResult
            ``footprint``; ``summary`` per group (``luminaires`` [1], ``system_power_kw``
            [kW], ``energy_kwh`` [kWh], ``full_power_hours`` [h], ``cost_eur`` [EUR],
            ``<criterion>_use`` and ``<criterion>_total`` in criterion units); ``hours``
            per (site, schedule) [h]; ``investment_eur`` per group [EUR] (retrofits).
        """
        entries = self._entries(overrides)
        run = entries._run(year, overrides, allocation, electricity, energy_price_eur_per_kwh)
        n_groups = len(self.keys)
        fp = run.footprint
        summary = self.keys.copy()
        luminaires = np.bincount(entries.group, run.count, minlength=n_groups)
        summary["luminaires"] = luminaires.astype(np.int64) if np.all(luminaires % 1 == 0) else luminaires
        summary["system_power_kw"] = np.bincount(entries.group, run.power_w, minlength=n_groups) * _W_TO_KW
        summary["energy_kwh"] = fp.energy_kwh
        with np.errstate(invalid="ignore", divide="ignore"):
            summary["full_power_hours"] = fp.energy_kwh / summary["system_power_kw"].to_numpy()
        summary["cost_eur"] = fp.energy_kwh * run.price
        use = PHASES.index("use")
        for k, criterion in enumerate(fp.criteria):
            summary[f"{criterion}_use"] = fp.values[:, k, use]
            summary[f"{criterion}_total"] = fp.values[:, k, :].sum(axis=1)
        pairs = pd.DataFrame({"latitude": self.site_latitude_deg[run.pair_site],
                              "longitude": self.site_longitude_deg[run.pair_site],
                              "schedule": [run.schedules[s].id for s in run.pair_schedule]})
        return LightingResult(fp, summary, pd.concat([pairs, run.hours.to_frame()], axis=1),
                              np.bincount(entries.group, run.investment, minlength=n_groups))

    # ------------------------------------------------------------------ evaluation
    def retrofitted(self, year: int, overrides: Overrides) -> PreparedLighting:
        """The same luminaires with the retrofit rules of ``overrides.extra["retrofit"]`` applied
        (technology, lamp power [W], gear loss and installation year of the rows they match), for
        what needs the rows themselves, such as the energy-saving certificates
        (:func:`sobriete.cee.retrofit_cee`)."""
        tech_gear = self._technology_parameter("gear_loss", dict(overrides.factor_multipliers))
        tech, power, gear, installed, _ = self._retrofit(dict(overrides.extra), int(year), tech_gear)
        return replace(self, technology=tech, lamp_power_w=power, gear_loss=gear, installation_year=installed,
                       _hours={}, _baseline_hours={})

    def _run(self, year, overrides, allocation, electricity, price) -> _Run:
        year = int(year)
        overrides = overrides if overrides is not None else _NO_OVERRIDES
        extra = dict(overrides.extra)
        multipliers = dict(overrides.factor_multipliers)
        tech_gear = self._technology_parameter("gear_loss", multipliers)
        tech, power, gear, installed, investment = self._retrofit(extra, year, tech_gear)
        schedules, schedule = self._schedules(extra)
        count = self.count * self._per_row(overrides.quantity_multiplier, "quantity_multiplier", tech, 1.0)
        power_w = count * power * (1.0 + gear)
        pair, pair_site, pair_schedule, full_hours, hours = self._burning(year, schedules, schedule)
        kwh = power_w * full_hours[pair] * in_service_fraction(year, installed) * _WH_TO_KWH
        kwh = kwh * self._per_row(overrides.energy_multiplier, "energy_multiplier", tech, 1.0)

        catalog, n_groups = self.catalog, len(self.keys)
        n_zones, n_crit = len(catalog.zones), len(catalog.criteria)
        grid, electricity_used, warnings = self._grid(year, electricity, overrides.grid_factor, multipliers)
        cell = self.group * n_zones + self.zone
        kwh_by_zone = np.bincount(cell, kwh, minlength=n_groups * n_zones).reshape(n_groups, n_zones)
        rows_by_zone = np.bincount(cell, self._rows(kwh > 0), minlength=n_groups * n_zones).reshape(n_groups, n_zones)
        values = np.zeros((n_groups, n_crit, len(PHASES)))
        uncovered = np.zeros_like(values)
        use = PHASES.index("use")
        values[:, :, use] = kwh_by_zone @ np.nan_to_num(grid)
        uncovered[:, :, use] = rows_by_zone @ np.isnan(grid).astype(float)

        impacts = self._impacts(multipliers)
        lifetime = self._technology_parameter("lifetime", multipliers)[tech]
        lifetime = self._per_row(overrides.lifetime_years, "lifetime_years", tech, np.nan, base=lifetime)
        weight = count * embodied_share(year, installed, lifetime, allocation=allocation)
        n_tech = len(self.technologies)
        cell = self.group * n_tech + tech
        by_tech = np.bincount(cell, weight, minlength=n_groups * n_tech).reshape(n_groups, n_tech)
        rows_tech = np.bincount(cell, self._rows(weight > 0), minlength=n_groups * n_tech).reshape(n_groups, n_tech)
        values[:, :, _EMBODIED_AT] = np.einsum("gt,tkp->gkp", by_tech, np.nan_to_num(impacts))
        uncovered[:, :, _EMBODIED_AT] = np.einsum("gt,tkp->gkp", rows_tech, np.isnan(impacts).astype(float))
        if np.isnan(impacts).any() and (weight > 0).any():
            warnings.append(Notice("lighting_embodied", "embodied impacts of luminaires: no public source (PEP "
                                   "ecopassport PSR-0014 data are not bundled); add lighting_impacts rows to cover "
                                   "them"))
        price, price_warnings = energy_price(catalog, extra.get("energy_price_eur_per_kwh", price),
                                              multipliers.get("lighting_parameters/energy_price", 1.0))
        base = self.quality
        counts = {"luminaires": float(count.sum()) if count.sum() % 1 else int(count.sum()),
                  "sites": len(self.site_latitude_deg), "site_schedule_pairs": len(pair_site)}
        quality = DataQuality(base.rows_read, base.rows_assessed, base.rows_rejected, base.rejected, counts,
                              tuple(dict.fromkeys([*base.warnings, *warnings, *price_warnings])))
        meta = {"domain": "lighting", "year": year, "allocation": allocation, "by": list(self.by),
                "electricity": electricity_used, "energy_price_eur_per_kwh": price, "tz": self.tz,
                "overridden": not overrides.is_empty()}
        footprint = Footprint(values, self.keys, catalog.criteria,
                              tuple(catalog.criterion_units[c] for c in catalog.criteria), kwh_by_zone.sum(axis=1),
                              uncovered, catalog.version, catalog.hash, meta, quality, PHASES)
        return _Run(footprint, count, power_w, price, investment, schedules, pair_site, pair_schedule, hours)

    def _rows(self, mask: np.ndarray) -> np.ndarray:
        """Input rows per entry where ``mask`` holds (an entry is a row, or a cell of merged rows)."""
        return mask if self.rows_per_entry is None else np.where(mask, self.rows_per_entry, 0)

    def _entries(self, overrides: Overrides | None) -> PreparedLighting:
        """What an evaluation sums over: the merged cells, unless an override gives one value per
        input row (then the rows themselves)."""
        return self if overrides is not None and is_per_row(overrides) else self._cells

    @cached_property
    def _cells(self) -> PreparedLighting:
        """The same luminaires with the rows no other override can tell apart (group, ZA,
        technology, lamp power, gear loss and whether given, installation year, site, schedule,
        zone) merged into one cell, counts summed: every sum of an evaluation is linear in the
        count, so the results are the same, over fewer entries (the 10^6 rows of the benchmark
        make at most 72 000 cells). Burning hours are shared with the rows."""
        if self.rows_per_entry is not None:
            return self
        merged = kernel.identical_rows(
            [self.group, self.za, self.technology, self.gear_given, self.site, self.schedule, self.zone],
            [self.lamp_power_w, self.gear_loss, self.installation_year])
        if merged is None or len(merged[1]) == len(self.count):
            return self
        cell, first = merged
        n_cells = len(first)
        return replace(self, position=self.position[first], group=self.group[first], za=self.za[first],
                       count=np.bincount(cell, self.count, minlength=n_cells), technology=self.technology[first],
                       lamp_power_w=self.lamp_power_w[first], gear_loss=self.gear_loss[first],
                       gear_given=self.gear_given[first], installation_year=self.installation_year[first],
                       site=self.site[first], schedule=self.schedule[first], zone=self.zone[first],
                       rows_per_entry=np.bincount(cell, minlength=n_cells), _hours=self._hours, _baseline_hours={})

    def _per_row(self, value, name: str, tech: np.ndarray, default: float, *, base: np.ndarray | None = None):
        """An override as one value per kept row: scalar, ``{za or technology: value}`` (others keep
        ``base``, or ``default``) or one value per input row."""
        if value is None:
            return base if base is not None else default
        if isinstance(value, Mapping):
            out = np.array(base, dtype=float, copy=True) if base is not None else np.full(len(tech), default)
            for key, item in value.items():
                code = self._technology_index.get(_TECHNOLOGY_TABLE.get(normalise_name(key), key), -1)
                if code >= 0:
                    out[tech == code] = float(item)
                elif key in self._za_index:
                    out[self.za == self._za_index[key]] = float(item)
                else:
                    raise UnknownNameError("override key", key, [*self.technologies, *map(str, self.za_names)],
                                           override=name)
            return out
        array = np.asarray(value, dtype=float)
        if array.ndim == 0:
            return np.full(len(tech), float(array))
        if len(array) != self.rows_in:
            raise InputValueError(f"{name} has {len(array)} values for {self.rows_in} input rows",
                                  code="override_length", override=name, given=len(array), rows=self.rows_in)
        return array[self.position]

    def _technology_parameter(self, parameter: str, multipliers: Mapping[str, float]) -> np.ndarray:
        values = technology_parameters(self.catalog, self._technology_ids, parameter)
        prefix = "lighting_technologies/"
        scaled = [(k, m) for k, m in multipliers.items() if k.startswith(prefix) and k.endswith(f"/{parameter}")]
        if not scaled:
            return values
        values = values.copy()
        for key, multiplier in scaled:
            values[self._technology_code(key.split("/")[1], key)] *= multiplier
        return values

    def _technology_code(self, name: str, factor_id: str) -> int:
        code = self.technologies.get_indexer([name])[0]
        if code < 0:
            raise UnknownNameError("catalog id", factor_id, [f"lighting_technologies/{t}/..." for t in self.technologies])
        return int(code)

    def _impacts(self, multipliers: Mapping[str, float]) -> np.ndarray:
        impacts = embodied_impacts(self.catalog, self._technology_ids)
        scaled = [(k, m) for k, m in multipliers.items() if k.startswith("lighting_impacts/")]
        if not scaled:
            return impacts
        impacts = impacts.copy()
        for key, multiplier in scaled:
            parts = key.split("/")
            if len(parts) != 4 or parts[2] not in self.catalog.criteria or parts[3] not in EMBODIED_PHASES:
                raise UnknownNameError("catalog id", key, ["lighting_impacts/<technology>/<criterion>/<phase>"])
            impacts[self._technology_code(parts[1], key), self.catalog.criteria.index(parts[2]),
                    EMBODIED_PHASES.index(parts[3])] *= multiplier
        return impacts

    def _grid(self, year, electricity, grid_factor, multipliers):
        table = lighting_grid(self.catalog, year, electricity=electricity)
        warnings = []
        for z in self._zones_used:
            if table.errors[z] is not None:
                raise table.errors[z]
            warnings += table.warnings[z]
        values = table.values
        scaled = [(k, m) for k, m in multipliers.items() if k.startswith("electricity/")]
        if grid_factor or scaled:
            values = values.copy()
            criteria = list(self.catalog.criteria)
            for key, multiplier in scaled:
                zone, source_year, usage, criterion = (key.split("/") + [""] * 4)[1:5]
                if zone not in self.catalog.zones or criterion not in criteria:
                    raise UnknownNameError("catalog id", key, ["electricity/<zone>/<year>/<usage>/<criterion>"])
                z, k = self.catalog.zones.get_loc(zone), criteria.index(criterion)
                if table.usages[z][k] == usage and str(table.source_year[z, k]) == source_year:
                    values[z, k] *= multiplier
            for key, value in (grid_factor or {}).items():
                zone, criterion = key if isinstance(key, tuple) else (None, key)
                if criterion not in criteria:
                    raise UnknownNameError("criterion", criterion, criteria)
                k = criteria.index(criterion)
                if zone is None:
                    values[:, k] = float(value)
                elif zone in self.catalog.zones:
                    values[self.catalog.zones.get_loc(zone), k] = float(value)
                else:
                    raise UnknownNameError("zone", zone, self.catalog.zones)
        return values, table.label, warnings

    @cached_property
    def _technology_ids(self) -> tuple[str, ...]:
        return tuple(self.technologies)

    @cached_property
    def _technology_index(self) -> dict[str, int]:
        return {name: code for code, name in enumerate(self.technologies)}

    @cached_property
    def _za_index(self) -> dict[object, int]:
        return {name: code for code, name in enumerate(self.za_names)}

    @cached_property
    def _zones_used(self) -> list[int]:
        return [int(z) for z in np.unique(self.zone)]

    @cached_property
    def _schedule_keys(self) -> dict[str, int]:
        return {s.id: i for i, s in enumerate(self.schedules)}

    @cached_property
    def _pairs(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        return _pairs(self.site, self.schedule, len(self.schedules))

    def _schedules(self, extra: Mapping) -> tuple[tuple[Schedule, ...], np.ndarray]:
        """The schedules and each row's schedule code after ``schedule_changes`` and ``schedule``."""
        if not any(k in extra for k in ("schedule", "schedule_changes")):
            return self.schedules, self.schedule
        known = {s.id: s for s in self.schedules}
        known.update(extra.get("schedules") or {})
        order = list(known)

        def code(item) -> int:
            if isinstance(item, Schedule):
                known.setdefault(item.id, item)
                if item.id not in order:
                    order.append(item.id)
                return order.index(item.id)
            if item not in known:
                raise ScheduleError(f"unknown schedule '{item}'; known: {', '.join(order)}",
                                    code="unknown_schedule_change", old=item, new=item, name=item, known=order)
            return order.index(item)

        remap = np.arange(len(self.schedules))
        for old, new in (extra.get("schedule_changes") or {}).items():
            code(old)
            remap[self._schedule_keys[old]] = code(new) if old in self._schedule_keys else remap[0]
        schedule = remap[self.schedule]
        chosen = extra.get("schedule")
        if isinstance(chosen, Mapping):
            for za, item in chosen.items():
                if za not in self.za_names:
                    raise UnknownNameError("ZA", za, list(map(str, self.za_names)))
                schedule = np.where(self.za == self.za_names.get_loc(za), code(item), schedule)
        elif chosen is not None:
            schedule = np.full(len(schedule), code(chosen))
        return tuple(known[s] for s in order), schedule

    def _retrofit(self, extra: Mapping, year: int, tech_gear: np.ndarray):
        rules = extra.get("retrofit") or ()
        if not rules:
            gear = np.where(self.gear_given, self.gear_loss, tech_gear[self.technology])
            return self.technology, self.lamp_power_w, gear, self.installation_year, np.zeros(len(self.count))
        tech, power, gear = self.technology.copy(), self.lamp_power_w.copy(), self.gear_loss.copy()
        installed = self.installation_year.copy()
        investment = np.zeros(len(tech))
        done = np.zeros(len(tech), dtype=bool)
        for rule in rules:
            mask = ~done & (self.lamp_power_w >= rule.match.min_power_w) & (self.lamp_power_w <= rule.match.max_power_w)
            if rule.match.technology:
                mask &= np.isin(self.technology, self.technology_codes(rule.match.technology))
            if rule.match.za:
                mask &= np.isin(self.za, self.za_names.get_indexer(rule.match.za))
            new = self.technology_codes([rule.technology])[0]
            tech[mask] = new
            power[mask] = rule.lamp_power_w if rule.lamp_power_w is not None else self.lamp_power_w[mask] * rule.power_ratio
            gear[mask] = rule.gear_loss if rule.gear_loss is not None else tech_gear[new]
            installed[mask] = extra.get("retrofit_year", year)
            investment[mask] = self.count[mask] * rule.investment_eur_per_luminaire
            done |= mask
        given = self.gear_given | done  # retrofitted rows keep the gear loss set here
        return tech, power, np.where(given, gear, tech_gear[tech]), installed, investment

    def technology_codes(self, names: Iterable[str]) -> np.ndarray:
        """Codes of technology names (any inventory spelling).

        Raises
        ------
        UnknownNameError
            A technology unknown to the catalog.
        """
        names = list(names)
        codes = self.technologies.get_indexer(normalise_technology(pd.Series(names, dtype=object)))
        if (codes < 0).any():
            raise UnknownNameError("technology", names[int(np.flatnonzero(codes < 0)[0])], self.technologies)
        return codes

    def _burning(self, year: int, schedules: tuple[Schedule, ...], schedule: np.ndarray):
        """Per kept row its (site, schedule) pair; per pair the sites, schedules and burning hours,
        computed once per (year, site, schedule definition) and cached."""
        if schedule is self.schedule:
            if year not in self._baseline_hours:  # the usual case, assembled once per year
                self._baseline_hours[year] = self._burning_pairs(year, schedules, schedule, *self._pairs)
            return self._baseline_hours[year]
        return self._burning_pairs(year, schedules, schedule, *_pairs(self.site, schedule, len(schedules)))

    def _burning_pairs(self, year, schedules, schedule, pair, pair_site, pair_schedule):
        keys = [_schedule_key(s) for s in schedules] if schedules is not self.schedules else self._base_keys
        wanted = [(year, keys[s], int(site)) for site, s in zip(pair_site, pair_schedule)]
        missing = [i for i, key in enumerate(wanted) if key not in self._hours]
        if missing:
            computed = burning_hours(self.site_latitude_deg[pair_site[missing]],
                                     self.site_longitude_deg[pair_site[missing]], year, schedules=schedules,
                                     schedule_index=pair_schedule[missing], tz=self.tz)
            for j, i in enumerate(missing):
                self._hours[wanted[i]] = (computed.lit_hours[j], computed.full_power_hours[j],
                                          computed.monthly_lit_hours[j], computed.monthly_full_power_hours[j])
        cached = [self._hours[key] for key in wanted]
        lit, full, monthly_lit, monthly_full = (np.array([c[i] for c in cached]).reshape((len(cached),) + shape)
                                                for i, shape in enumerate(((), (), (MONTHS,), (MONTHS,))))
        return pair, pair_site, pair_schedule, full, BurningHours(year, lit, full, monthly_lit, monthly_full)

    @cached_property
    def _base_keys(self) -> list[str]:
        return [_schedule_key(s) for s in self.schedules]


def _pairs(site: np.ndarray, schedule: np.ndarray, n_schedules: int):
    pair, pairs = _codes(site * n_schedules + schedule)
    return pair, pairs // n_schedules, pairs % n_schedules


def _codes(values: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Dense code of each integer value in sorted order, and the sorted distinct values (a hash
    factorisation: numpy's ``unique`` sorts the whole array)."""
    codes, uniques = pd.factorize(np.asarray(values, dtype=np.int64), sort=True)
    return codes.astype(np.int64), np.asarray(uniques, dtype=np.int64)


@dataclass(frozen=True)
class _Run:
    footprint: Footprint
    count: np.ndarray
    power_w: np.ndarray
    price: float
    investment: np.ndarray
    schedules: tuple[Schedule, ...]
    pair_site: np.ndarray
    pair_schedule: np.ndarray
    hours: BurningHours


_NO_OVERRIDES = Overrides()
_EMBODIED_AT = [PHASES.index(p) for p in EMBODIED_PHASES]
_W_TO_KW = conversion_factor("W", "kW")
_WH_TO_KWH = conversion_factor("W*h", "kWh")


def prepare_lighting(frame: pd.DataFrame, catalog: FactorCatalog | None = None, *,
                     by: Iterable[str] | str | None = None, schedules: Mapping[str, Schedule] | None = None,
                     default_location: tuple[float, float] | None = None, tz: str = DEFAULT_TZ) -> PreparedLighting:
    """Validate a luminaire inventory and code it once for any number of evaluations.

    Parameters
    ----------
    frame : DataFrame
        Canonical columns (:data:`LUMINAIRE_COLUMNS`); ``technology`` and ``lamp_power_w``
        (or ``lamp_power_kw``...) are required. A ``_file`` column names each row's file in
        rejections; index labels are reported as row numbers.
    catalog : FactorCatalog
        Default: the bundled catalog.
    by : str or list of str, keyword-only
        Grouping keys (none: one total).
    schedules : mapping of id to Schedule, keyword-only
        The schedules the ``schedule`` column may name (the default schedule is always known).
    default_location : (latitude, longitude), keyword-only
        Used for rows whose ZA has no coordinates at all [deg].
    tz : str, keyword-only
        IANA time zone of the schedules' clock times.

    Returns
    -------
    PreparedLighting
        Rows with a bad value are left out and listed, with their reason, in ``quality``.

    Examples
    --------
    >>> za = pd.DataFrame({"za": ["A", "A"], "technology": ["SHP", "led"], "lamp_power_w": [100, 40],
    ...                    "latitude": [50.35, 50.35], "longitude": [3.45, 3.45]})
    >>> prepared = prepare_lighting(za, by="za")
    >>> prepared.quality.rows_assessed, len(prepared.keys)
    (2, 1)
    """
    catalog = catalog if catalog is not None else load_catalog()
    frame = _power_column(frame)
    for required in ("technology", "lamp_power_w"):
        kernel.require_column(frame, required, LUMINAIRE_COLUMNS, "luminaire inventory")
    by = tuple(kernel.resolve_by(by, frame))
    known = dict(schedules or {})
    known.setdefault(DEFAULT_SCHEDULE_ID, default_schedule())
    schedule_ids = pd.Index(list(known))
    tech_table = catalog.table("lighting_technologies")
    technologies = pd.Index(sorted(set(tech_table["technology"])), name="technology")
    n = len(frame)
    check = kernel.RowChecker(frame)

    def raw(column):
        return frame[column]

    def number(column, default, *, low=0.0, high=np.inf, code, reason):
        if column not in frame.columns:
            return np.full(n, default, dtype=float)
        values, not_number = to_float(frame[column])
        with np.errstate(invalid="ignore"):
            check.reject(not_number | (values < low) | (values > high) | np.isinf(values), column, code, reason,
                         raw(column))
        return np.where(np.isnan(values), default, values)

    tech = check.codes(normalise_technology(frame["technology"]), technologies, "technology", what="technology")
    count = number("count", 1.0, code="bad_count", reason="count must be a number ≥ 0")
    power = number("lamp_power_w", np.nan, code="bad_power", reason="lamp power must be a number ≥ 0 [W]")
    check.reject(np.isnan(power), "lamp_power_w", "missing_power", "lamp power is missing", raw("lamp_power_w"))
    gear = number("gear_loss", np.nan, high=1.0, code="bad_gear_loss",
                  reason="gear_loss is a share between 0 and 1 (0.15 for 15 %)")
    with np.errstate(over="ignore", invalid="ignore"):  # a year's energy at most: count × 2 × power × 8,784 h
        overflow = ~np.isfinite(count * power * 2.0 * 8784.0) & np.isfinite(count) & np.isfinite(power)
    check.reject(overflow, "count", "count_too_large", "count × lamp power is too large to compute", raw("count")
                 if "count" in frame.columns else None)
    installed = number("installation_year", np.nan, low=1900, high=2100, code="bad_installation_year",
                       reason="installation year must be a year between 1900 and 2100")
    lat = number("latitude", np.nan, low=-90, high=90, code="bad_latitude", reason="latitude must be in [-90, 90]")
    lon = number("longitude", np.nan, low=-180, high=180, code="bad_longitude",
                 reason="longitude must be in [-180, 180]")
    if "za" in frame.columns:  # a row without coordinates takes its ZA's (mean of its rows')
        za_codes, za_names = pd.factorize(frame["za"].astype(object), sort=True)
        za_names = pd.Index(za_names, name="za")
        groups_of = pd.Series(za_codes)
        lat = np.where(np.isnan(lat), pd.Series(lat).groupby(groups_of).transform("mean").to_numpy(), lat)
        lon = np.where(np.isnan(lon), pd.Series(lon).groupby(groups_of).transform("mean").to_numpy(), lon)
    else:
        za_codes, za_names = np.full(n, -1), pd.Index([], name="za")
    if default_location is not None:
        lat = np.where(np.isnan(lat), default_location[0], lat)
        lon = np.where(np.isnan(lon), default_location[1], lon)
    check.reject(np.isnan(lat) | np.isnan(lon), "latitude", "missing_location",
                 "no coordinates for the row nor its ZA (give latitude/longitude)")
    if "schedule" in frame.columns:
        names = _per_distinct(frame["schedule"], lambda v: str(v).strip())
        sched = check.codes(names, schedule_ids, "schedule", what="schedule",
                            default=schedule_ids.get_loc(DEFAULT_SCHEDULE_ID))
    else:
        sched = np.full(n, schedule_ids.get_loc(DEFAULT_SCHEDULE_ID))
    zone = kernel.zone_codes(frame, catalog, check)

    ok = ~check.bad
    grouping = kernel.groups(frame.loc[ok], by)
    gid, present = _codes(grouping.gid)
    scale = 10 ** SITE_DECIMALS  # one integer per rounded (latitude, longitude) pair
    lat_i, lon_i = np.round(lat[ok] * scale).astype(np.int64), np.round(lon[ok] * scale).astype(np.int64)
    site, pairs = _codes((lat_i + 90 * scale) * (360 * scale + 1) + lon_i + 180 * scale)
    sites = np.c_[pairs // (360 * scale + 1) - 90 * scale, pairs % (360 * scale + 1) - 180 * scale] / scale
    gear = gear[ok]
    return PreparedLighting(catalog, np.flatnonzero(ok), gid.reshape(-1).astype(np.int64), grouping.keys(present),
                            np.asarray(za_codes)[ok], za_names, count[ok], tech[ok].astype(np.int64), power[ok],
                            np.nan_to_num(gear), ~np.isnan(gear), installed[ok], site.reshape(-1), sites[:, 0],
                            sites[:, 1], sched[ok].astype(np.int64), tuple(known[s] for s in schedule_ids),
                            zone[ok].astype(np.int64), technologies, by, check.quality({}, ()), n, tz)


# --------------------------------------------------------------------------- assessment
@dataclass(frozen=True)
class LightingResult:
    """A lighting assessment: the footprint, a per-group summary, the burning hours per (site,
    schedule) and the investment per group [EUR] (retrofits)."""

    footprint: Footprint
    summary: pd.DataFrame
    hours: pd.DataFrame
    investment_eur: np.ndarray


def assess_lighting(frame: pd.DataFrame, year: int, *, catalog: FactorCatalog | None = None,
                    schedules: Mapping[str, Schedule] | None = None, by: Iterable[str] | str | None = ("za",),
                    energy_price_eur_per_kwh: float | None = None, allocation: str = "amortised",
                    electricity: str = DEFAULT_ELECTRICITY, overrides: Overrides | None = None,
                    default_location: tuple[float, float] | None = None, tz: str = DEFAULT_TZ) -> Footprint:
    """Footprint of public lighting luminaires for one calendar year.

    Parameters
    ----------
    frame : DataFrame
        Luminaire inventory (:data:`LUMINAIRE_COLUMNS`).
    year : int
        Assessed calendar year.
    catalog : FactorCatalog, keyword-only
        Default: the bundled catalog.
    schedules : mapping of id to Schedule, keyword-only
        Schedules named by the inventory's ``schedule`` column (see
        :func:`sobriete.schedule.load_schedules`).
    by : str or list of str, keyword-only
        Grouping keys (default ``za``).
    energy_price_eur_per_kwh : float, keyword-only
        Electricity price [EUR/kWh] (``meta['energy_price_eur_per_kwh']``); default from the
        catalog's ``lighting_parameters``.
    allocation : {'amortised', 'at_purchase'}, keyword-only
        Allocation of luminaires' embodied impacts (see :func:`sobriete.equipment.embodied_share`).
    electricity : {'mix', 'usage'}, keyword-only
        ``'mix'`` (default): the average consumption mix of the assessed year, as ADEME
        requires for a GHG inventory; ``'usage'``: the seasonal per-use factor "Éclairage
        public", for sensitivity (``meta['electricity']`` says which was used).
    overrides : Overrides, keyword-only
        Scenario changes (see :meth:`PreparedLighting.assess`).
    default_location : (float, float), keyword-only
        (latitude [deg], longitude [deg]) for rows whose ZA has no coordinates.
    tz : str, keyword-only
        Time zone of the schedules.

    Returns
    -------
    Footprint
        ``energy_kwh`` per group; use phase with the chosen electricity factor; embodied phases
        ``uncovered`` unless the catalog has ``lighting_impacts``.

    Notes
    -----
    energy [kWh] = count × lamp power [W] × (1 + gear loss [1]) × full-power-equivalent
    hours [h] × share of the year in service [1], converted from W·h to kWh with pint.

    References
    ----------
    ADEME, Documentation de la Base Carbone, "Mix de consommation - par usage" (2025).

    Examples
    --------
    Ten 50 W LED luminaires on a clock timer, 18:00-06:00 every night (4,380 h in 2025):

    >>> from sobriete.schedule import Schedule
    >>> timer = Schedule(id="timer", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])
    >>> za = pd.DataFrame({"za": ["A"], "count": [10], "technology": ["led"], "lamp_power_w": [50.0],
    ...                    "installation_year": [2020], "schedule": ["timer"]})
    >>> fp = assess_lighting(za, 2025, schedules={"timer": timer}, default_location=(50.35, 3.45))
    >>> float(fp.energy_kwh[0])   # 10 × 50 W × 4,380 h
    2190.0
    >>> fp.meta["electricity"]
    'mix'
    """
    prepared = prepare_lighting(frame, catalog, by=by, schedules=schedules, default_location=default_location, tz=tz)
    return prepared.evaluate(year, overrides=overrides, allocation=allocation, electricity=electricity,
                             energy_price_eur_per_kwh=energy_price_eur_per_kwh)


register(DomainSpec("lighting", prepare_lighting, "za"))


# --------------------------------------------------------------------------- reading
def read_luminaires(path: str | Path, *, profile: str | Path | None = None) -> pd.DataFrame:
    """Read a luminaire inventory (CSV as French offices write it, XLSX, Parquet) into canonical columns.

    A thin wrapper over :func:`sobriete.io.read_table` with the lighting domain (profile
    ``eclairage`` unless given). Rows the reader rejects (unknown technology...) are left out
    of the frame with a :class:`UserWarning`; use :func:`sobriete.io.read_table` to get them
    with their reasons.
    """
    import warnings

    from .io import read_table  # io imports this module's column dictionary

    result = read_table(path, profile=profile, domain="lighting")
    if result.rows_rejected:
        warnings.warn(f"{path}: {result.rows_rejected} row(s) rejected while reading; "
                      "sobriete.io.read_table gives them with their reasons", UserWarning, stacklevel=2)
    return result.frame
