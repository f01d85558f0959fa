"""Lighting scenarios: LED retrofit by luminaire class, extinction and dimming changes.

A scenario (YAML) changes a prepared luminaire inventory: luminaires matching a class get a
new technology and power, with an investment per luminaire; schedules are swapped for new
ones; the scenario may have its own electricity price. The scenario becomes
:class:`~sobriete.protocol.Overrides` of the prepared baseline (nothing is re-read); baseline
and scenario are compared with :class:`~sobriete.comparison.Comparison` (delta = after −
before, savings = −delta): per group (ZA) the energy, impacts and money saved per year, both
prices, the investment and the simple payback.

Scenario files follow the rules of schedule files (:func:`sobriete.schedule.parse_schedules`):
errors name the file, a schedule id defined twice is refused; an empty scenario (or one that
changes nothing) is refused.

YAML example::

    name: Passage LED et extinction
    energy_price_eur_per_kwh: 0.20          # optional: the scenario's price (the baseline keeps its own)
    retrofit:
      - label: SHP 100-150 W -> LED 60 W
        match: {technology: hps, min_power_w: 100, max_power_w: 150}
        technology: led
        lamp_power_w: 60                    # or power_ratio: 0.4
        investment_eur_per_luminaire: 650
    schedules:                              # new schedules (same syntax as a schedules file)
      - id: za_nuit
        extinction: [{start: "23:00", end: "05:00"}]
    schedule_changes: {default: za_nuit}    # every luminaire on 'default' moves to 'za_nuit'
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .comparison import Comparison
from .errors import InputValueError, validation_detail, validation_params
from .factors import FactorCatalog
from .lighting import DEFAULT_ELECTRICITY, DEFAULT_TZ, LightingResult, PreparedLighting, prepare_lighting
from .protocol import Overrides
from .schedule import Schedule, parse_schedules, read_yaml


class LuminaireClass(BaseModel):
    """Which luminaires a retrofit rule applies to (all conditions must hold)."""

    model_config = ConfigDict(extra="forbid")

    technology: list[str] | None = None
    min_power_w: float = Field(default=0.0, ge=0)
    max_power_w: float = Field(default=float("inf"), ge=0)
    za: list[str] | None = None

    @field_validator("technology", "za", mode="before")
    @classmethod
    def _list(cls, value):
        return [value] if isinstance(value, str) else value


class Retrofit(BaseModel):
    """Replace the matching luminaires: new technology and power, investment per luminaire."""

    model_config = ConfigDict(extra="forbid")

    label: str = ""
    match: LuminaireClass = Field(default_factory=LuminaireClass)
    technology: str
    lamp_power_w: float | None = Field(default=None, gt=0)
    power_ratio: float | None = Field(default=None, gt=0)
    gear_loss: float | None = Field(default=None, ge=0, le=1)
    investment_eur_per_luminaire: float = Field(ge=0)

    @model_validator(mode="after")
    def _one_power(self):
        if (self.lamp_power_w is None) == (self.power_ratio is None):
            raise ValueError("give exactly one of lamp_power_w [W] or power_ratio")
        return self


class Scenario(BaseModel):
    """A lighting scenario: retrofit rules, schedules, schedule changes and its electricity price."""

    model_config = ConfigDict(extra="forbid")

    name: str = "scenario"
    energy_price_eur_per_kwh: float | None = Field(default=None, ge=0)
    retrofit: list[Retrofit] = Field(default_factory=list)
    schedules: dict[str, Schedule] = Field(default_factory=dict)
    schedule_changes: dict[str, str] = Field(default_factory=dict)

    def changes_something(self) -> bool:
        """True when the scenario retrofits, changes schedules or sets a price."""
        return bool(self.retrofit or self.schedule_changes or self.energy_price_eur_per_kwh is not None)

    def overrides(self, *, year: int | None = None) -> Overrides:
        """The scenario as overrides of a prepared baseline (retrofits installed in ``year``,
        default: the evaluated year)."""
        extra = {"retrofit": list(self.retrofit), "schedules": dict(self.schedules),
                 "schedule_changes": dict(self.schedule_changes)}
        if year is not None:
            extra["retrofit_year"] = int(year)
        if self.energy_price_eur_per_kwh is not None:
            extra["energy_price_eur_per_kwh"] = self.energy_price_eur_per_kwh
        return Overrides(extra=extra)


def load_scenario(path: str | Path | None = None, *, text: str | None = None) -> Scenario:
    """Read and validate a scenario YAML file (or ``text``).

    Parameters
    ----------
    path : str or Path, optional
        Scenario YAML file (UTF-8); named in errors.
    text : str, keyword-only
        The YAML itself, instead of a file.

    Returns
    -------
    Scenario

    Raises
    ------
    InputValueError
        With the file and the field at fault; an empty scenario, or one that changes nothing.
    ScheduleError
        From its ``schedules`` (the rules and messages of schedule files, naming the file).

    Examples
    --------
    >>> s = load_scenario(text="retrofit: [{technology: led, power_ratio: 0.4, "
    ...                        "investment_eur_per_luminaire: 650}]")
    >>> s.retrofit[0].power_ratio, s.retrofit[0].match.max_power_w
    (0.4, inf)
    """
    source = str(path) if path is not None else None
    raw = read_yaml(path, text, what="scenario", error=InputValueError, code="scenario_unreadable")
    if raw is None or raw == {}:
        raise InputValueError("the scenario is empty: give retrofit rules, schedule_changes or "
                              "energy_price_eur_per_kwh", file=source, code="scenario_empty")
    if not isinstance(raw, dict):
        raise InputValueError(f"the scenario must be a mapping (name:, retrofit:, ...), got {raw!r}", file=source,
                              code="scenario_not_mapping", item=raw)
    if "schedules" in raw:
        raw = {**raw, "schedules": parse_schedules(raw["schedules"], source=source)}
    try:
        scenario = Scenario.model_validate(raw)
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputValueError(f"invalid scenario field {where}: {validation_detail(error)}",
                              file=source, code="invalid_scenario", where=where, **validation_params(error)) from None
    if not scenario.changes_something():
        raise InputValueError("the scenario is empty: give retrofit rules, schedule_changes or "
                              "energy_price_eur_per_kwh", file=source, code="scenario_empty")
    return scenario


@dataclass(frozen=True)
class ScenarioResult:
    """Baseline and scenario assessments, their comparison and the savings per group.

    ``comparison`` is ``Comparison(baseline.footprint, scenario.footprint)`` (delta = after −
    before, savings = −delta). ``savings`` has one row per group: keys, ``energy_kwh_baseline``,
    ``energy_kwh_scenario``, ``energy_saved_kwh`` [kWh/year], ``<criterion>_baseline``,
    ``<criterion>_scenario``, ``<criterion>_saved`` (totals over phases, criterion units/year),
    ``price_baseline_eur_per_kwh``, ``price_scenario_eur_per_kwh`` [EUR/kWh],
    ``cost_baseline_eur``, ``cost_scenario_eur``, ``cost_saved_eur`` [EUR/year],
    ``investment_eur`` [EUR] and ``payback_years`` (NaN when nothing is saved).
    """

    name: str
    baseline: LightingResult
    scenario: LightingResult
    comparison: Comparison
    savings: pd.DataFrame


def compare_scenario(prepared: PreparedLighting, year: int, scenario: Scenario, *,
                     energy_price_eur_per_kwh: float | None = None, allocation: str = "amortised",
                     electricity: str = DEFAULT_ELECTRICITY) -> ScenarioResult:
    """Evaluate a prepared baseline and the scenario applied to it, and compare them.

    Parameters
    ----------
    prepared : PreparedLighting
        From :func:`sobriete.lighting.prepare_lighting`.
    year : int
        Assessed calendar year (and installation year of the retrofits).
    scenario : Scenario
        From :func:`load_scenario`.
    energy_price_eur_per_kwh : float, keyword-only
        The baseline's electricity price [EUR/kWh] (default: the catalog's). The scenario uses
        its own ``energy_price_eur_per_kwh`` when it gives one, the baseline's otherwise.
    allocation, electricity : str, keyword-only
        As in :meth:`sobriete.lighting.PreparedLighting.assess`.

    Returns
    -------
    ScenarioResult

    Notes
    -----
    Simple payback [year] = investment [EUR] / (baseline cost − scenario cost) [EUR/year],
    no discounting, each side at its own constant price.
    """
    options = {"allocation": allocation, "electricity": electricity, "energy_price_eur_per_kwh": energy_price_eur_per_kwh}
    base = prepared.assess(year, **options)
    after = prepared.assess(year, overrides=scenario.overrides(year=year), **options)
    comparison = Comparison(base.footprint, after.footprint)
    savings = prepared.keys.copy()
    savings["energy_kwh_baseline"] = base.footprint.energy_kwh
    savings["energy_kwh_scenario"] = after.footprint.energy_kwh
    savings["energy_saved_kwh"] = comparison.savings.energy_kwh
    for k, criterion in enumerate(prepared.catalog.criteria):
        savings[f"{criterion}_baseline"] = base.footprint.values[:, k, :].sum(axis=1)
        savings[f"{criterion}_scenario"] = after.footprint.values[:, k, :].sum(axis=1)
        savings[f"{criterion}_saved"] = comparison.savings.values[:, k, :].sum(axis=1)
    savings["price_baseline_eur_per_kwh"] = base.footprint.meta["energy_price_eur_per_kwh"]
    savings["price_scenario_eur_per_kwh"] = after.footprint.meta["energy_price_eur_per_kwh"]
    savings["cost_baseline_eur"] = base.summary["cost_eur"].to_numpy()
    savings["cost_scenario_eur"] = after.summary["cost_eur"].to_numpy()
    savings["cost_saved_eur"] = savings["cost_baseline_eur"] - savings["cost_scenario_eur"]
    savings["investment_eur"] = after.investment_eur
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = savings["investment_eur"] / savings["cost_saved_eur"]
    savings["payback_years"] = payback.where(savings["cost_saved_eur"] > 0)
    return ScenarioResult(scenario.name, base, after, comparison, savings)


def assess_scenario(frame: pd.DataFrame, year: int, scenario: Scenario, *, catalog: FactorCatalog | None = None,
                    schedules=None, by=("za",), energy_price_eur_per_kwh: float | None = None,
                    allocation: str = "amortised", electricity: str = DEFAULT_ELECTRICITY,
                    default_location=None, tz: str = DEFAULT_TZ) -> ScenarioResult:
    """Energy, impacts and money saved per year by a scenario, and its simple payback, per group.

    One call: :func:`sobriete.lighting.prepare_lighting` then :func:`compare_scenario` (see
    both for the parameters; ``schedules`` are the baseline's, named by the inventory's
    ``schedule`` column).

    Returns
    -------
    ScenarioResult
    """
    prepared = prepare_lighting(frame, catalog, by=by, schedules=schedules, default_location=default_location, tz=tz)
    return compare_scenario(prepared, year, scenario, energy_price_eur_per_kwh=energy_price_eur_per_kwh,
                            allocation=allocation, electricity=electricity)
