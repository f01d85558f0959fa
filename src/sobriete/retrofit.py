"""Lighting scenarios: LED retrofit by luminaire class, extinction and dimming changes.

A scenario (YAML) changes a prepared luminaire inventory: luminaires matching a class get a
new technology and power, with an investment per luminaire; schedules are swapped for new
ones. Baseline and scenario are evaluated by the same engine; the result per group (ZA) is
the energy, GHG and money saved per year and the simple payback.

YAML example::

    name: Passage LED et extinction
    energy_price_eur_per_kwh: 0.20          # optional
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

from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from .errors import InputValueError, ScheduleError, UnknownNameError, validation_params
from .factors import FactorCatalog
from .lighting import (DEFAULT_TZ, LightingResult, Luminaires, evaluate_luminaires, normalise_technology,
                       prepare_luminaires)
from .schedule import _validate


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
    """A lighting scenario: retrofit rules and schedule changes."""

    model_config = ConfigDict(extra="forbid")

    name: str = "scenario"
    energy_price_eur_per_kwh: float | None = Field(default=None, ge=0)
    retrofit: list[Retrofit] = Field(default_factory=list)
    schedules: list[dict] = Field(default_factory=list)
    schedule_changes: dict[str, str] = Field(default_factory=dict)


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
        With the file and the field at fault.

    Examples
    --------
    >>> s = load_scenario(text="retrofit: [{technology: led, power_ratio: 0.4, "
    ...                        "investment_eur_per_luminaire: 650}]")
    >>> s.retrofit[0].power_ratio, s.retrofit[0].match.max_power_w
    (0.4, inf)
    """
    source = str(path) if path is not None else None
    try:
        raw = yaml.safe_load(Path(path).read_text(encoding="utf-8") if text is None else text)
        return Scenario.model_validate(raw or {})
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise InputValueError(f"cannot read the scenario: {exc}", file=source,
                              code="scenario_unreadable", detail=str(exc)) from None
    except ValidationError as exc:
        error = exc.errors()[0]
        where = ".".join(str(p) for p in error["loc"])
        raise InputValueError(f"invalid scenario field {where}: {error['msg']} (value {error.get('input')!r})",
                              file=source, code="invalid_scenario", where=where, **validation_params(error)) from None


def apply_scenario(lum: Luminaires, scenario: Scenario, *, year: int) -> tuple[Luminaires, np.ndarray]:
    """The luminaires after the scenario, and the investment per row [EUR].

    Rules are applied in order; a luminaire takes the first rule it matches. Retrofitted
    luminaires are installed in ``year`` (their embodied impacts start then).

    Parameters
    ----------
    lum : Luminaires
        Prepared baseline (:func:`sobriete.lighting.prepare_luminaires`); not modified.
    scenario : Scenario
        From :func:`load_scenario`.
    year : int, keyword-only
        Installation year of the retrofitted luminaires.

    Returns
    -------
    changed : Luminaires
        New technology, lamp power [W], gear loss [1], installation year and schedule per row.
    investment_eur : ndarray
        Per row: count × ``investment_eur_per_luminaire`` of its rule [EUR]; 0 when unchanged.

    Raises
    ------
    UnknownNameError
        A technology unknown to the catalog.
    ScheduleError
        A schedule change naming an unknown schedule.
    InputValueError
        A rule matching on ``za`` when the luminaires are not grouped by ``za``.
    """
    tech, power, gear = lum.technology.copy(), lum.lamp_power_w.copy(), lum.gear_loss.copy()
    installed = lum.installation_year.copy()
    investment = np.zeros(len(tech))
    done = np.zeros(len(tech), dtype=bool)
    za = lum.keys["za"].to_numpy(dtype=object)[lum.group] if "za" in lum.keys.columns else None
    for rule in scenario.retrofit:
        mask = ~done & (lum.lamp_power_w >= rule.match.min_power_w) & (lum.lamp_power_w <= rule.match.max_power_w)
        if rule.match.technology:
            codes = _technology_codes(rule.match.technology, lum.technologies)
            mask &= np.isin(lum.technology, codes)
        if rule.match.za:
            if za is None:
                raise InputValueError("a retrofit rule matches on 'za' but the assessment is not grouped by za",
                                      code="retrofit_za_ungrouped")
            mask &= np.isin(za, rule.match.za)
        new_tech = _technology_codes([rule.technology], lum.technologies)[0]
        tech[mask] = new_tech
        power[mask] = rule.lamp_power_w if rule.lamp_power_w is not None else lum.lamp_power_w[mask] * rule.power_ratio
        gear[mask] = rule.gear_loss if rule.gear_loss is not None else lum.technology_gear_loss[new_tech]
        installed[mask] = year
        investment[mask] = lum.count[mask] * rule.investment_eur_per_luminaire
        done |= mask
    schedules = {s.id: s for s in lum.schedules}
    for item in scenario.schedules:
        schedule = _validate(item, source=None)
        schedules[schedule.id] = schedule
    ids = pd.Index(list(schedules))
    remap = np.arange(len(lum.schedules))
    for old, new in scenario.schedule_changes.items():
        for name in (old, new):
            if name not in schedules:
                raise ScheduleError(f"schedule change {old} -> {new}: unknown schedule '{name}'; "
                                    f"known: {', '.join(ids)}",
                                    code="unknown_schedule_change", old=old, new=new, name=name, known=list(ids))
        if old in [s.id for s in lum.schedules]:
            remap[[s.id for s in lum.schedules].index(old)] = ids.get_loc(new)
    changed = replace(lum, technology=tech, lamp_power_w=power, gear_loss=gear, installation_year=installed,
                      schedule=remap[lum.schedule], schedules=tuple(schedules.values()))
    return changed, investment


def _technology_codes(names: list[str], technologies: pd.Index) -> np.ndarray:
    canonical = normalise_technology(pd.Series(names, dtype=object))
    codes = technologies.get_indexer(canonical)
    if (codes < 0).any():
        raise UnknownNameError("technology", names[int(np.flatnonzero(codes < 0)[0])], technologies)
    return codes


@dataclass(frozen=True)
class ScenarioResult:
    """Baseline and scenario assessments, and the savings per group."""

    baseline: LightingResult
    scenario: LightingResult
    savings: pd.DataFrame


def assess_scenario(frame: pd.DataFrame, year: int, scenario: Scenario, *, catalog: FactorCatalog,
                    schedules=None, by=("za",), energy_price_eur_per_kwh: float | None = None,
                    default_location=None, tz: str = DEFAULT_TZ) -> ScenarioResult:
    """Energy, GHG and money saved per year by a scenario, and its simple payback, per group.

    Parameters
    ----------
    frame : DataFrame
        Luminaire inventory (:data:`sobriete.lighting.LUMINAIRE_COLUMNS`).
    year : int
        Assessed calendar year (and installation year of the retrofits).
    scenario : Scenario
        From :func:`load_scenario`.
    catalog : FactorCatalog, keyword-only
        Factors (technologies, electricity, energy price).
    schedules : mapping of id to Schedule, keyword-only
        Baseline schedules named by the inventory's ``schedule`` column.
    by : str or list of str, keyword-only
        Grouping keys (default ``za``).
    energy_price_eur_per_kwh : float, keyword-only
        Electricity price [EUR/kWh]; default: the scenario's, then the catalog's.
    default_location : (float, float), keyword-only
        (latitude [deg], longitude [deg]) for rows whose ZA has no coordinates.
    tz : str, keyword-only
        Time zone of the schedules.

    Returns
    -------
    ScenarioResult
        ``savings`` columns: keys, ``energy_kwh_baseline``, ``energy_kwh_scenario``,
        ``energy_saved_kwh``, ``<criterion>_saved`` (total over phases, criterion units),
        ``cost_saved_eur`` [EUR/year], ``investment_eur``, ``payback_years`` (investment /
        annual saving; NaN when nothing is saved).

    Notes
    -----
    Simple payback [year] = investment [EUR] / (baseline cost − scenario cost) [EUR/year],
    no discounting, at constant energy price.
    """
    lum = prepare_luminaires(frame, catalog=catalog, schedules=schedules, by=by, default_location=default_location)
    price = energy_price_eur_per_kwh if energy_price_eur_per_kwh is not None else scenario.energy_price_eur_per_kwh
    changed, investment = apply_scenario(lum, scenario, year=int(year))
    base = evaluate_luminaires(lum, year, catalog=catalog, energy_price_eur_per_kwh=price, tz=tz)
    after = evaluate_luminaires(changed, year, catalog=catalog, energy_price_eur_per_kwh=price, tz=tz)
    savings = lum.keys.copy()
    savings["energy_kwh_baseline"] = base.summary["energy_kwh"].to_numpy()
    savings["energy_kwh_scenario"] = after.summary["energy_kwh"].to_numpy()
    savings["energy_saved_kwh"] = savings["energy_kwh_baseline"] - savings["energy_kwh_scenario"]
    for criterion in catalog.criteria:
        savings[f"{criterion}_saved"] = (base.summary[f"{criterion}_total"].to_numpy()
                                         - after.summary[f"{criterion}_total"].to_numpy())
    savings["cost_saved_eur"] = base.summary["cost_eur"].to_numpy() - after.summary["cost_eur"].to_numpy()
    savings["investment_eur"] = np.bincount(lum.group, investment, minlength=len(lum.keys))
    with np.errstate(divide="ignore", invalid="ignore"):
        payback = savings["investment_eur"] / savings["cost_saved_eur"]
    savings["payback_years"] = payback.where(savings["cost_saved_eur"] > 0)
    return ScenarioResult(base, after, savings)
