"""One builder per kind of change: the rows a change adds or takes away, as signed pieces.

Each builder gets the change, the variant's context and equipment fleet, and the change's
location in the file (for errors); it returns its pieces and what it spends [EUR] beyond the
change's own ``investment_eur`` (purchases at the project's prices).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..hosting import HOSTING_KINDS
from ..lighting import normalise_technology
from ..network import NETWORKS
from ..schedule import validate_schedule
from ..schema import KIND_ALIASES, LINE_TECHNOLOGY_ALIASES, NETWORK_ALIASES, alias_table, normalise_name, \
    normalise_names
from . import model
from .fleet import Context, Fleet, Piece


def build(change, ctx: Context, fleet: Fleet, loc: tuple, policies: list) -> tuple[list[Piece], float]:
    """Pieces and spending of one change (dispatch on its kind)."""
    return _BUILDERS[change.kind](change, ctx, fleet, loc, policies)


# --------------------------------------------------------------------------- names
def _unknown(ctx: Context, loc: tuple, kind: str, value, choices):
    return ctx.source.error(loc, f"unknown {kind} {value!r}; valid choices: {', '.join(sorted(map(str, choices)))}",
                            code="project_unknown_name", kind=kind, value=value, choices=list(choices))


def _category(ctx: Context, value: str, loc: tuple) -> int:
    categories = ctx.catalog.equipment.categories
    if value not in categories:
        raise _unknown(ctx, loc, "category", value, categories)
    return categories.get_loc(value)


def _name(ctx: Context, value: str, loc: tuple, kind: str, valid, aliases: dict[str, str]) -> str:
    table = {**alias_table(aliases), **{normalise_name(v): v for v in valid}}
    found = table.get(normalise_name(value))
    if found is None or found not in valid:
        raise _unknown(ctx, loc, kind, value, valid)
    return found


def _technologies(ctx: Context) -> list[str]:
    return list(ctx.catalog.table("network_technologies")["technology"])


# --------------------------------------------------------------------------- equipment
def _policy_for(policies: list, category: str, condition: str, year: int):
    for policy in reversed(policies):
        s = policy.select
        if policy.year <= year and s.category in (None, category) and s.condition in (None, condition):
            return policy
    return None


def _new_devices(ctx, template: pd.DataFrame, year: int, condition: str, lifetime, energy, policies) -> pd.DataFrame:
    """Devices bought in ``year`` (one row per row of ``template``: category, quantity, zone)."""
    eq = ctx.catalog.equipment
    rows = template.copy()
    life = np.empty(len(rows))
    policy_year = np.full(len(rows), np.inf)
    policy_life = np.full(len(rows), np.nan)
    for i, category in enumerate(rows["category"]):
        policy = _policy_for(policies, category, condition, year)
        life[i] = lifetime or (policy.lifetime_years if policy else eq.lifetime_years[eq.categories.get_loc(category)])
        if policy is not None:
            policy_year[i], policy_life[i] = policy.year, policy.lifetime_years
    rows = rows.assign(condition=condition, lifetime_years=life, _start=float(year), _life=life, _removed=np.inf,
                       _policy_year=policy_year, _policy_life=policy_life)
    if energy is not None:
        rows["energy_kwh_per_year"] = energy
    return rows


def _add(change, ctx, fleet, loc, policies):
    _category(ctx, change.category, (*loc, "category"))
    template = pd.DataFrame({"category": [change.category], "quantity": [change.quantity]})
    fleet.add(_new_devices(ctx, template, change.year, change.condition, change.lifetime_years,
                           change.energy_kwh_per_year, policies))
    return [], 0.0


def _check_selector(ctx, selector, loc):
    if selector.category is not None:
        _category(ctx, selector.category, (*loc, "select", "category"))


def _remove(change, ctx, fleet, loc, policies):
    _check_selector(ctx, change.select, loc)
    try:
        removed = fleet.remove(change.select, change.year, change.quantity)
    except ValueError as exc:
        held = exc.args[0]
        raise ctx.source.error((*loc, "quantity"), f"cannot remove {change.quantity:g} devices: the baseline holds "
                               f"{held:g} matching devices in service in {change.year}",
                               code="project_remove_too_many", quantity=change.quantity, held=held,
                               year=change.year) from None
    if removed.empty:
        raise ctx.source.error((*loc, "select"), f"no device in service in {change.year} matches the selection",
                               code="project_nothing_selected", year=change.year)
    return [], 0.0, removed


def _remove_only(change, ctx, fleet, loc, policies):
    pieces, spent, _ = _remove(change, ctx, fleet, loc, policies)
    return pieces, spent


def _replace(change, ctx, fleet, loc, policies):
    if change.by.category is not None:
        _category(ctx, change.by.category, (*loc, "by", "category"))
    _, _, removed = _remove(change, ctx, fleet, loc, policies)
    # like for like but for what the change says: a replaced device in stock is replaced by one in stock
    template = removed[[c for c in ("category", "quantity", "zone", "status") if c in removed.columns]].copy()
    if change.by.category is not None:
        template["category"] = change.by.category
    fleet.add(_new_devices(ctx, template, change.year, change.by.condition, change.by.lifetime_years,
                           change.by.energy_kwh_per_year, policies))
    return [], 0.0


def _lifetime(change, ctx, fleet, loc, policies):
    _check_selector(ctx, change.select, loc)
    fleet.policy(change.select, change.year, change.lifetime_years)
    policies.append(change)
    return [], 0.0


# --------------------------------------------------------------------------- network
def _traffic_rows(ctx, network: str, gb: float, loc: tuple, year: int) -> Piece:
    name = _name(ctx, network, loc, "network", list(NETWORKS), NETWORK_ALIASES)
    return Piece("traffic", pd.DataFrame({"network": [name], "volume_gb": [abs(gb)]}), np.sign(gb) or 1.0, year)


def _traffic(change, ctx, fleet, loc, policies):
    return [_traffic_rows(ctx, change.network, change.gb_per_year, (*loc, "network"), change.year)], 0.0


def _lines(change, ctx, fleet, loc, policies):
    valid = _technologies(ctx)
    tech = _name(ctx, change.technology, (*loc, "technology"), "technology", valid, LINE_TECHNOLOGY_ALIASES)
    pieces = []
    if change.count < 0 or change.to is not None:
        count = abs(change.count)
        held = _lines_held(ctx, tech) - fleet.lines_removed.get(tech, 0.0)
        if count > held + 1e-9:
            raise ctx.source.error((*loc, "count"), f"cannot remove {count:g} {tech} lines: the baseline holds "
                                   f"{held:g}", code="project_remove_too_many_lines", count=count, held=held,
                                   technology=tech)
        fleet.lines_removed[tech] = fleet.lines_removed.get(tech, 0.0) + count
        pieces.append(Piece("lines", pd.DataFrame({"technology": [tech], "count": [count]}), -1.0, change.year))
    if change.to is not None:
        to = _name(ctx, change.to, (*loc, "to"), "technology", valid, LINE_TECHNOLOGY_ALIASES)
        pieces.append(Piece("lines", pd.DataFrame({"technology": [to], "count": [change.count]}), 1.0, change.year))
    elif change.count > 0:
        pieces.append(Piece("lines", pd.DataFrame({"technology": [tech], "count": [change.count]}), 1.0, change.year))
    return pieces, 0.0


def _lines_held(ctx: Context, tech: str) -> float:
    lines = ctx.baseline.get("lines")
    if lines is None or lines.empty:
        return 0.0
    table = {**alias_table(LINE_TECHNOLOGY_ALIASES), **{normalise_name(t): t for t in _technologies(ctx)}}
    names = normalise_names(lines["technology"].astype(object)).map(table)
    count = pd.to_numeric(lines["count"], errors="coerce").fillna(1.0) if "count" in lines.columns else 1.0
    return float((pd.Series(count, index=lines.index) * (names == tech)).sum())


# --------------------------------------------------------------------------- hosting
def _hosting_row(ctx, settings: model.HostingSettings, loc: tuple, year: int, renew: bool,
                 template: pd.DataFrame | None = None) -> pd.DataFrame:
    values = {k: v for k, v in settings.model_dump().items() if v is not None}
    if "kind" in values:
        values["kind"] = _name(ctx, values["kind"], (*loc, "kind"), "hosting kind", list(HOSTING_KINDS),
                               KIND_ALIASES)
    elif template is None:
        raise ctx.source.error((*loc, "kind"), "new hosting needs its kind (on_premises, colocation or cloud)",
                               code="project_hosting_kind_missing")
    if "server_category" in values:
        _category(ctx, values["server_category"], (*loc, "server_category"))
    rows = template.copy() if template is not None else pd.DataFrame(index=[0])
    for key, value in values.items():
        rows[key] = value
    if renew or template is None:
        rows["purchase_year"] = year
    return rows


def _hosting(change, ctx, fleet, loc, policies):
    base = ctx.baseline.get("hosting")
    matched = None
    if change.select is not None and base is not None and not base.empty:
        kind = _name(ctx, change.select, (*loc, "select"), "hosting kind", list(HOSTING_KINDS), KIND_ALIASES)
        table = {**alias_table(KIND_ALIASES), **{normalise_name(k): k for k in HOSTING_KINDS}}
        mask = (normalise_names(base["kind"].astype(object)).map(table) == kind).to_numpy()
        matched = base[mask] if mask.any() else None
    if change.select is not None and matched is None:
        raise ctx.source.error((*loc, "select"), f"no baseline hosting of kind {change.select!r} to change",
                               code="project_nothing_selected", year=change.year)
    pieces = [Piece("hosting", _hosting_row(ctx, change.set, (*loc, "set"), change.year, change.renew_servers,
                                            matched), 1.0, change.year)]
    if matched is not None:
        pieces.append(Piece("hosting", matched, -1.0, change.year))
    return pieces, 0.0


# --------------------------------------------------------------------------- lighting
def _lighting(change, ctx, fleet, loc, policies):
    frame = ctx.baseline.get("lighting")
    if frame is None or frame.empty:
        raise ctx.source.error((*loc, "scenario"), "a lighting change needs luminaires in the baseline",
                               code="project_no_luminaires")
    scenario = change.scenario
    tech = normalise_technology(frame["technology"].astype(object))
    power = pd.to_numeric(frame["lamp_power_w"], errors="coerce").to_numpy(float)
    count = pd.to_numeric(frame["count"], errors="coerce").fillna(1.0).to_numpy(float) \
        if "count" in frame.columns else np.ones(len(frame))
    za = frame["za"].astype(str).to_numpy() if "za" in frame.columns else np.full(len(frame), "")
    new = frame.copy()
    done = np.zeros(len(frame), dtype=bool)
    spent = 0.0
    known = set(ctx.catalog.table("lighting_technologies")["technology"])
    for j, rule in enumerate(scenario.retrofit):
        rule_loc = (*loc, "scenario", "retrofit", j)
        target = normalise_technology(pd.Series([rule.technology], dtype=object))[0]
        if target not in known:
            raise _unknown(ctx, (*rule_loc, "technology"), "technology", rule.technology, known)
        mask = ~done & (power >= rule.match.min_power_w) & (power <= rule.match.max_power_w)
        if rule.match.technology:
            mask &= tech.isin(normalise_technology(pd.Series(rule.match.technology, dtype=object))).to_numpy()
        if rule.match.za:
            mask &= np.isin(za, rule.match.za)
        new.loc[mask, "technology"] = target
        new.loc[mask, "lamp_power_w"] = rule.lamp_power_w if rule.lamp_power_w is not None \
            else power[mask] * rule.power_ratio
        new.loc[mask, "gear_loss"] = rule.gear_loss if rule.gear_loss is not None else np.nan
        new.loc[mask, "installation_year"] = change.year
        spent += float(count[mask].sum() * rule.investment_eur_per_luminaire)
        done |= mask
    for item in scenario.schedules:
        schedule = validate_schedule(item, source=ctx.source.file)
        ctx.schedules[schedule.id] = schedule
    if scenario.schedule_changes:
        current = new["schedule"].fillna("default") if "schedule" in new.columns else pd.Series("default",
                                                                                                  index=new.index)
        for old, target in scenario.schedule_changes.items():
            if target not in ctx.schedules and target != "default":
                raise ctx.source.error((*loc, "scenario", "schedule_changes", old), f"unknown schedule {target!r}",
                                       code="project_unknown_schedule", name=target)
        moved = current.map(lambda s: scenario.schedule_changes.get(s, s))
        done |= (moved != current).to_numpy()
        new["schedule"] = moved
    if not done.any():
        return [], spent
    return [Piece("lighting", new[done], 1.0, change.year), Piece("lighting", frame[done], -1.0, change.year)], spent


# --------------------------------------------------------------------------- services
def _service(change, ctx, fleet, loc, policies):
    eq = ctx.catalog.equipment
    rows = []
    for j, device in enumerate(change.devices):
        code = _category(ctx, device.category, (*loc, "devices", j, "category"))
        hours = eq.hours_per_year[code]
        if not np.isfinite(hours) or hours <= 0:
            raise ctx.source.error((*loc, "devices", j, "category"), f"category {device.category!r} has no "
                                   "daily-use profile in the catalog: its time share cannot be computed",
                                   code="project_no_use_profile", category=device.category)
        rows.append({"category": device.category, "quantity": change.users * device.hours_per_user_per_year / hours})
    pieces = [Piece("equipment", pd.DataFrame(rows).assign(condition="new"), 1.0, change.year)] if rows else []
    for j, item in enumerate(change.traffic):
        pieces.append(_traffic_rows(ctx, item.network, change.users * item.gb_per_user_per_year,
                                    (*loc, "traffic", j, "network"), change.year))
    if change.hosting is not None:
        pieces.append(Piece("hosting", _hosting_row(ctx, change.hosting, (*loc, "hosting"), change.year, True),
                            1.0, change.year))
    return pieces, 0.0


_BUILDERS = {"add": _add, "remove": _remove_only, "replace": _replace, "lifetime": _lifetime, "traffic": _traffic,
             "lines": _lines, "hosting": _hosting, "lighting": _lighting, "service": _service}
assert set(_BUILDERS) == set(model.CHANGE_KINDS)
