"""Evaluation of a project: the baseline and each variant over the horizon, deltas, payback.

The baseline evolves: its dated devices age, are amortised and, at the end of their lifetime,
are renewed like for like (``baseline.renewal``; devices already past their end of life are
renewed in the first year). A variant is the baseline plus its changes. Impacts are linear in
the rows of every domain, so a variant's footprint is the baseline's plus the footprint of the
rows its changes touch (the variant's version counted +1, the baseline's −1): the large
baseline is evaluated once, each variant only on what it changes. Every evaluation goes through
one adapter, :func:`_evaluate`.

Modelling choices (each stated in the report):

- a device taken out of service in year Y stops its use phase and its renewals from Y; the
  embodied impacts of the generation in service keep their allocation (an early disposal does
  not erase impacts already caused);
- a lifetime policy from year Y applies to the devices in service at Y (their renewal comes
  ``lifetime_years`` after their start, at the earliest in Y) and to the devices bought from Y
  on, which are amortised over the new lifetime;
- the users of a new service are counted through a time share of their devices: quantity =
  users × service hours ÷ the device's yearly hours of use (ADEME profile), undated (steady
  state), plus their traffic and the service's hosting.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from ..comparison import Comparison
from ..equipment import assess_equipment, assess_equipment_years, start_year_from_date
from ..errors import InputValueError
from ..factors import EMBODIED_PHASES, FactorCatalog, load_catalog
from ..footprint import DataQuality, Footprint
from ..hosting import assess_hosting
from ..lighting import assess_lighting, normalise_technology
from ..network import assess_lines, assess_traffic
from ..domains import DOMAINS
from ..protocol import Overrides
from ..schema import (KIND_ALIASES, LINE_TECHNOLOGY_ALIASES, NETWORK_ALIASES, alias_table, normalise_name,
                      normalise_names)
from .model import Project, Source, load_project

#: The project's domains, in report order, and the key their deltas are broken down by.
ITEM_KEYS = {"equipment": ("category", "condition"), "traffic": ("network",), "lines": ("technology",),
             "hosting": ("kind",), "lighting": ("za",)}
#: Latest purchase year the equipment engine accepts (it rejects later ones as implausible).
LATEST_PURCHASE_YEAR = pd.Timestamp.today().year + 1


# --------------------------------------------------------------------------- the adapter
def _evaluate(domain: str, frame: pd.DataFrame, years: Sequence[int], *, catalog: FactorCatalog,
              by: Sequence[str] = (), allocations: Sequence[str] = ("amortised",),
              overrides: Overrides | None = None, schedules: Mapping | None = None,
              active: np.ndarray | None = None) -> dict[str, dict[int, Footprint]]:
    """The footprint of ``frame`` (a domain's canonical frame) in each of ``years``, for each of
    ``allocations``: ``{allocation: {year: Footprint}}``.

    When the domain is registered in :data:`sobriete.protocol.DOMAINS`, the frame is prepared once
    and evaluated per year and allocation with ``overrides``; otherwise the one-call functions of
    the domain are used (``overrides`` must then be empty: a scenario is expressed as a modified
    frame).

    Equipment rows carry their start of service [fractional year] in ``_start``; the equipment
    engine rejects purchases after :data:`LATEST_PURCHASE_YEAR`. Embodied shares and in-service
    fractions depend only on year − start, so a year beyond it is evaluated on the rows started
    by then, shifted back by a whole number of years (checked to leave the grid factor unchanged):
    one preparation for the years up to it, one per later year (:func:`_year_frames`).

    ``active`` (rows × years, bool; with a registered domain and no ``overrides``) says which rows
    count in each year: the others get a quantity multiplier of 0 (a year where none is active is
    left out of the result).
    """
    spec = DOMAINS.get(domain)
    if spec is not None:
        options = {"schedules": schedules} if domain == "lighting" and schedules else {}
        out: dict[str, dict[int, Footprint]] = {a: {} for a in allocations}
        for shift, rows, group, positions in _year_frames(domain, frame, years, catalog):
            prepared = spec.prepare(rows, catalog, by=list(by), **options)
            for y in group:
                scenario = overrides
                if active is not None:  # the rows active in y (a per-row quantity multiplier of 0 or 1)
                    mask = active[:, list(years).index(y)]
                    mask = mask if positions is None else mask[positions]
                    if not mask.any():
                        continue
                    scenario = None if mask.all() else Overrides(quantity_multiplier=mask.astype(float))
                for a in allocations:
                    out[a][y] = _year(prepared.evaluate(y - shift, overrides=scenario, allocation=a), y)
        return out
    if overrides is not None and not overrides.is_empty():
        raise InputValueError(f"the {domain} domain is not registered in the domain protocol: its changes cannot be "
                              "given as overrides (give them as a modified frame)", code="project_needs_protocol",
                              domain=domain)
    return {a: _one_call(domain, frame, years, catalog=catalog, by=list(by), allocation=a, schedules=schedules)
            for a in allocations}


def _year_frames(domain: str, frame: pd.DataFrame, years: Sequence[int], catalog: FactorCatalog
                 ) -> list[tuple[int, pd.DataFrame, list[int], np.ndarray | None]]:
    """``(shift, engine frame, years, positions)`` groups (``positions``: the rows of ``frame``
    the engine frame holds, None: all). Equipment: the years up to
    :data:`LATEST_PURCHASE_YEAR` together, without the rows started later (they count 0 then);
    later years in runs whose rows started by the run's last year are shifted back by the same
    number of years, as long as every year of the run keeps its grid factors. Other domains: one
    group."""
    plain = frame.drop(columns=[c for c in frame.columns if c.startswith("_") and c != "_file"])
    if domain != "equipment" or "_start" not in frame.columns:
        return [(0, plain, list(years), None)]
    start = frame["_start"].to_numpy(float)
    plain = _fill_dates(plain, start)
    late = np.floor(start) > LATEST_PURCHASE_YEAR
    groups = []
    early = [y for y in years if y <= LATEST_PURCHASE_YEAR]
    if early:
        groups.append((0, plain[~late], early, np.flatnonzero(~late)) if late.any() else (0, plain, early, None))
    late = [y for y in years if y > LATEST_PURCHASE_YEAR]
    while late:  # the longest run of years one shift serves with unchanged grid factors
        size = 1
        while size < len(late) and _same_grid(catalog, late[:size + 1], late[size] - LATEST_PURCHASE_YEAR):
            size += 1
        group, late = late[:size], late[size:]
        shift = group[-1] - LATEST_PURCHASE_YEAR
        if not _same_grid(catalog, group, shift):
            raise InputValueError(f"the catalog's grid factors differ between {group[0] - shift} and {group[0]}: "
                                  "purchases after the catalog's latest year cannot be assessed in that year",
                                  code="project_grid_shift", first=group[0] - shift, year=group[0])
        keep = ~(np.floor(start) > group[-1])
        groups.append((shift, _dated(plain[keep].drop(columns=["purchase_year", "purchase_date"], errors="ignore"),
                                     start[keep] - shift), group, np.flatnonzero(keep)))
    return groups


def _year(fp: Footprint, year: int) -> Footprint:
    return fp if fp.meta.get("year") == year else replace(fp, meta={**fp.meta, "year": year})


def _one_call(domain, frame, years, *, catalog, by, allocation, schedules) -> dict[int, Footprint]:
    """The domain's one-call function for each year (equipment: one pass over the years)."""
    if domain == "equipment":
        return _equipment_years(frame, years, catalog=catalog, by=by, allocation=allocation)
    plain = frame.drop(columns=[c for c in frame.columns if c.startswith("_") and c != "_file"])
    call = {"traffic": lambda y: assess_traffic(plain, y, catalog=catalog, by=by),
            "lines": lambda y: assess_lines(plain, y, catalog=catalog, by=by),
            "hosting": lambda y: assess_hosting(plain, y, catalog=catalog, by=by, allocation=allocation),
            "lighting": lambda y: assess_lighting(plain, y, catalog=catalog, by=by, schedules=schedules,
                                                  allocation=allocation)}[domain]
    return {y: call(y) for y in years}


def _equipment_years(frame, years, *, catalog, by, allocation):
    out = {}
    for shift, rows, group, _ in _year_frames("equipment", frame, years, catalog):
        shifted = assess_equipment_years(rows, [y - shift for y in group], catalog=catalog, by=by,
                                         allocation=allocation)
        out.update({y: _year(shifted[y - shift], y) for y in group})
    return out


def _fill_dates(plain: pd.DataFrame, start: np.ndarray) -> pd.DataFrame:
    """Rows built by the project carry their start in ``_start`` only: write it as
    ``purchase_year`` (whole years) or ``purchase_date`` for the engine."""
    missing = ~np.isnan(start)
    if "purchase_year" in plain.columns:
        years = pd.to_numeric(plain["purchase_year"], errors="coerce").to_numpy(float)
        missing &= np.isnan(years)
    else:
        years = np.full(len(plain), np.nan)
    if "purchase_date" in plain.columns:
        missing &= plain["purchase_date"].isna().to_numpy()
    if not missing.any():
        return plain
    whole = missing & (np.mod(start, 1) == 0)
    out = plain.assign(purchase_year=np.where(whole, start, years))
    fractional = missing & ~whole
    if fractional.any():
        dates = _dated(plain.iloc[:0].reindex(range(int(fractional.sum()))), start[fractional])["purchase_date"]
        values = (out["purchase_date"].astype(object).to_numpy().copy() if "purchase_date" in out.columns
                  else np.full(len(out), None, dtype=object))
        values[fractional] = dates.astype(object).to_numpy()
        out["purchase_date"] = values
    return out


def _grid_values(catalog: FactorCatalog, year: int) -> np.ndarray:
    return catalog.grid(year).values


def _same_grid(catalog: FactorCatalog, years: Sequence[int], shift: int) -> bool:
    """True when every year of ``years`` has the grid factors of that year − ``shift``."""
    return all(np.array_equal(catalog.prepared(_grid_values, y), catalog.prepared(_grid_values, y - shift),
                              equal_nan=True) for y in years)


def _dated(rows: pd.DataFrame, start: np.ndarray) -> pd.DataFrame:
    """``rows`` with ``purchase_year`` (whole starts) or ``purchase_date`` (others) from ``start``."""
    whole = np.isnan(start) | (np.mod(start, 1) == 0)
    out = rows.assign(purchase_year=np.where(whole, start, np.nan))
    if not whole.all():
        year = np.floor(start[~whole])
        base = pd.to_datetime(pd.Series(year.astype(int).astype(str)) + "-01-01")
        days = np.where(base.dt.is_leap_year, 366, 365)
        dates = np.full(len(start), np.datetime64("NaT"), dtype="datetime64[ns]")
        dates[~whole] = (base + pd.to_timedelta(np.round((start[~whole] - year) * days), unit="D")).to_numpy()
        out["purchase_date"] = dates
    return out


# --------------------------------------------------------------------------- pieces
@dataclass
class Piece:
    """Rows of one domain counted with ``sign`` in the years ``[since, until)`` (None: open)."""

    domain: str
    frame: pd.DataFrame
    sign: float = 1.0
    since: float | None = None
    until: float | None = None
    change: int | None = None
    buys: bool = False

    def years(self, years: Iterable[int]) -> list[int]:
        return [y for y in years if (self.since is None or y >= self.since) and (self.until is None or y < self.until)]


@dataclass
class Context:
    """What building a variant needs: the project, where its fields are, the catalog, the baseline."""

    project: Project
    source: Source
    catalog: FactorCatalog
    baseline: dict[str, pd.DataFrame]
    schedules: dict = field(default_factory=dict)

    @property
    def first(self) -> int:
        return self.project.first_year

    @property
    def end(self) -> int:
        return self.project.first_year + self.project.horizon_years


# --------------------------------------------------------------------------- equipment fleet
def equipment_slots(frame: pd.DataFrame, catalog: FactorCatalog) -> pd.DataFrame:
    """``frame`` with its start of service ``_start`` [fractional year; NaN undated] and lifetime
    ``_life`` [year] (the row's, or the catalog's for its category)."""
    start = np.full(len(frame), np.nan)
    if "purchase_year" in frame.columns:
        start = pd.to_numeric(frame["purchase_year"], errors="coerce").to_numpy(float)
    if "purchase_date" in frame.columns:
        dates = start_year_from_date(pd.to_datetime(frame["purchase_date"], errors="coerce", dayfirst=True))
        start = np.where(np.isnan(dates), start, dates)
    eq = catalog.equipment
    life = eq.lifetime_years[np.clip(eq.categories.get_indexer(frame["category"].astype(object)), 0, None)]
    if "lifetime_years" in frame.columns:
        given = pd.to_numeric(frame["lifetime_years"], errors="coerce").to_numpy(float)
        life = np.where(np.isnan(given), life, given)
    condition = frame["condition"] if "condition" in frame.columns else pd.Series("new", index=frame.index)
    quantity = pd.to_numeric(frame["quantity"], errors="coerce").fillna(1.0) if "quantity" in frame.columns else 1.0
    return frame.assign(_start=start, _life=life, condition=condition.astype(object).fillna("new"),
                        quantity=quantity, _removed=np.inf,
                        _policy_year=np.inf, _policy_life=np.nan)


#: Slot columns the equipment engine or the fleet reads; any other column is kept only when a
#: selector's ``where`` names it (:func:`compact_slots`).
SLOT_COLUMNS = ("category", "purchase_year", "purchase_date", "lifetime_years", "power_w", "hours_per_year",
                "condition", "zone", "status", "_start", "_life", "_removed", "_policy_year", "_policy_life")


def selector_columns(project: Project) -> list[str]:
    """The columns the ``where`` of the project's selectors name."""
    return sorted({column for variant in project.variants for change in variant.changes
                   for column in getattr(getattr(change, "select", None), "where", None) or {}})


def compact_slots(slots: pd.DataFrame, keep: Sequence[str] = ()) -> pd.DataFrame:
    """``slots`` with the rows identical in every column the project uses merged into one
    (quantities summed): the fleet and the engine then work on a few rows per category, start and
    lifetime instead of one per inventory line.

    Impacts are linear in quantity, so the merged rows give the same footprint. A measured
    electricity [kWh/year per device] is merged as the quantity-weighted mean
    Σ quantity × energy / Σ quantity over rows that all have one, so that quantity × energy keeps
    its sum (rows without one are merged apart). Columns neither the engine nor a selector reads
    (entity, service, ``_file``...) are dropped.

    Examples
    --------
    >>> slots = pd.DataFrame({"category": ["laptop"] * 3, "quantity": [1.0, 3.0, 2.0], "_start": [2020.0] * 3,
    ...                       "energy_kwh_per_year": [10.0, 30.0, np.nan], "entity": ["A", "B", "C"]})
    >>> compact_slots(slots)[["quantity", "energy_kwh_per_year"]].values.tolist()
    [[4.0, 25.0], [2.0, nan]]
    """
    if len(slots) < 2:
        return slots
    keys = [c for c in slots.columns if c in SLOT_COLUMNS or c in keep]
    quantity = slots["quantity"].to_numpy(float)
    columns = {"quantity": quantity}
    measured = "energy_kwh_per_year" in slots.columns
    if measured:
        energy = pd.to_numeric(slots["energy_kwh_per_year"], errors="coerce").to_numpy(float)
        columns["_measured"] = ~np.isnan(energy)
        columns["_qe"] = np.where(np.isnan(energy), 0.0, quantity * energy)
    code = np.zeros(len(slots), dtype=np.int64)
    size = 1
    parts = [slots[c] for c in keys] + ([pd.Series(columns["_measured"])] if measured else [])
    for column in parts:  # one integer per distinct combination (mixed radix, re-coded before it could overflow)
        codes, uniques = pd.factorize(column, use_na_sentinel=False)
        if size * (len(uniques) + 1) >= 2 ** 62:
            code, combined = pd.factorize(code)
            size = len(combined)
        code = code * (len(uniques) + 1) + codes
        size *= len(uniques) + 1
    inverse, combined = pd.factorize(code)  # numbered in the order of their first row
    if len(combined) == len(slots):
        return slots
    first = np.full(len(combined), len(slots), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(slots)))
    group = inverse
    out = slots.iloc[first][keys].reset_index(drop=True)
    for column in out.columns:  # a few hundred rows: plain object columns are the fastest to filter and join
        if isinstance(out[column].dtype, (pd.CategoricalDtype, pd.StringDtype)):
            out[column] = out[column].astype(object).where(out[column].notna(), None)
    total = np.bincount(group, quantity, minlength=len(first))
    out["quantity"] = total
    if measured:
        qe = np.bincount(group, columns["_qe"], minlength=len(first))
        has = out.index.isin(np.unique(group[columns["_measured"]]))
        with np.errstate(invalid="ignore", divide="ignore"):
            out["energy_kwh_per_year"] = np.where(has, np.where(total > 0, qe / np.where(total > 0, total, 1.0), 0.0),
                                                  np.nan)
    return out


def slot_pieces(slots: pd.DataFrame, *, first: int, end: int, renewal: bool, sign: float) -> list[Piece]:
    """The equipment rows of ``slots`` over ``[first, end)``: each device, its renewals at the end
    of its lifetime (``renewal``), its removal (``_removed``) and lifetime policy (``_policy_*``)."""
    pieces: list[Piece] = []
    if slots.empty:
        return pieces
    slots = slots.reset_index(drop=True)
    start, life = slots["_start"].to_numpy(float), slots["_life"].to_numpy(float)
    removed, p_year, p_life = (slots[c].to_numpy(float) for c in ("_removed", "_policy_year", "_policy_life"))
    dated = ~np.isnan(start)
    policy = np.isfinite(p_year)

    def add(mask, rows, since, until, buys=False):
        for (s, u), part in pd.DataFrame({"s": since, "u": until})[mask].groupby(["s", "u"], sort=True):
            pieces.append(Piece("equipment", rows.loc[part.index], sign, None if s == -np.inf else s,
                                None if u == np.inf else u, buys=buys))

    n = len(slots)
    minus_inf = np.full(n, -np.inf)
    # dated devices: full until removal, embodied only after it
    add(dated, slots, minus_inf, removed, buys=True)
    energy_free = slots.assign(energy_kwh_per_year=0.0)
    add(dated & np.isfinite(removed), energy_free, removed, np.full(n, np.inf))
    # undated devices (steady state 1/lifetime): the policy changes the lifetime from its year on
    add(~dated & ~policy, slots, minus_inf, removed)
    add(~dated & policy, slots, minus_inf, np.minimum(p_year, removed))
    add(~dated & policy & (p_year < removed), slots.assign(_life=p_life, lifetime_years=p_life), p_year, removed)
    if renewal and dated.any():
        pieces.extend(_renewals(slots[dated], first=first, end=end, sign=sign))
    return pieces


def _renewals(slots: pd.DataFrame, *, first: int, end: int, sign: float) -> list[Piece]:
    start, life = slots["_start"].to_numpy(float), slots["_life"].to_numpy(float)
    removed, p_year, p_life = (slots[c].to_numpy(float) for c in ("_removed", "_policy_year", "_policy_life"))
    policy = np.isfinite(p_year)
    base_life = life.copy()
    keep = ["category", "quantity", "condition", "zone"]
    template = slots[[c for c in keep if c in slots.columns]]
    frames = []
    for _ in range(int(end - np.nanmin(start)) + 2):
        in_force = policy & (start + base_life >= p_year)
        ends = np.where(in_force, np.maximum(start + p_life, p_year), start + base_life)
        ends = np.maximum(ends, first)
        alive = (ends < end) & (ends < removed)
        if not alive.any():
            break
        base_life = np.where(policy & (ends >= p_year), p_life, base_life)
        frames.append(template[alive].assign(_start=ends[alive], lifetime_years=base_life[alive],
                                             _life=base_life[alive], energy_kwh_per_year=0.0))
        start = np.where(alive, ends, np.inf)
    if not frames:
        return []
    return [Piece("equipment", pd.concat(frames, ignore_index=True), sign, buys=True)]


def select(slots: pd.DataFrame, selector, year: int) -> np.ndarray:
    """Mask of the ``slots`` in service at ``year`` that match ``selector``."""
    mask = slots["_removed"].to_numpy(float) > year
    start = slots["_start"].to_numpy(float)
    if selector.category is not None:
        mask &= (slots["category"] == selector.category).to_numpy()
    if selector.condition is not None:
        mask &= (slots["condition"] == selector.condition).to_numpy()
    if selector.purchased_before is not None:
        mask &= start < selector.purchased_before
    if selector.purchased_from is not None:
        mask &= start >= selector.purchased_from
    for column, value in selector.where.items():
        if column not in slots.columns:
            return np.zeros(len(slots), dtype=bool)
        mask &= (normalise_names(slots[column].astype(object)) == normalise_name(value)).to_numpy()
    return mask


class Fleet:
    """A variant's equipment: the baseline rows it touches (``state``) and the devices it adds.

    Rows the variant never touches stay in ``base`` and cancel out in the delta.
    """

    def __init__(self, base: pd.DataFrame):
        self.base = base
        self.touched = np.zeros(len(base), dtype=bool)
        self.state = base.iloc[:0].copy()
        self.lines_removed: dict[str, float] = {}

    def _take(self, mask_base: np.ndarray) -> None:
        new = mask_base & ~self.touched
        if new.any():
            self.touched |= new
            self.state = pd.concat([self.state, self.base[new]])

    def matching(self, selector, year: int) -> tuple[np.ndarray, np.ndarray]:
        return (select(self.base, selector, year) & ~self.touched, select(self.state, selector, year))

    def remove(self, selector, year: int, quantity: float | None) -> pd.DataFrame:
        """Take ``quantity`` matching devices (oldest first; all if None) out of service in
        ``year``; returns the removed rows. Raises ValueError with the count held if too few."""
        in_base, in_state = self.matching(selector, year)
        starts = np.concatenate([self.base["_start"].to_numpy(float)[in_base],
                                 self.state["_start"].to_numpy(float)[in_state]])
        qty = np.concatenate([self.base["quantity"].to_numpy(float)[in_base],
                              self.state["quantity"].to_numpy(float)[in_state]])
        held = float(qty.sum())
        if quantity is not None and quantity > held + 1e-9:
            raise ValueError(held)
        order = np.argsort(starts, kind="stable")
        needed = order[(np.cumsum(qty[order]) - qty[order]) < (held if quantity is None else quantity)]
        base_positions = np.flatnonzero(in_base)
        take = np.zeros(len(self.base), dtype=bool)
        take[base_positions[needed[needed < len(base_positions)]]] = True
        self._take(take)  # only the baseline rows the removal needs move to the state
        in_state = select(self.state, selector, year)
        positions = np.flatnonzero(in_state)
        order = positions[np.argsort(self.state["_start"].to_numpy(float)[positions], kind="stable")]
        qty = self.state["quantity"].to_numpy(float)[order]
        want = float(qty.sum()) if quantity is None else quantity
        taken = np.clip(want - (np.cumsum(qty) - qty), 0.0, qty)
        state = self.state.reset_index(drop=True)
        rest = state.iloc[order].assign(quantity=qty - taken)
        removed = state.iloc[order].assign(quantity=taken, _removed=float(year))
        others = state.drop(index=order)
        self.state = pd.concat([others, rest[rest["quantity"] > 0], removed[removed["quantity"] > 0]],
                               ignore_index=True)
        return removed[removed["quantity"] > 0]

    def policy(self, selector, year: int, lifetime: float) -> None:
        in_base, _ = self.matching(selector, year)
        self._take(in_base)
        self.state = self.state.reset_index(drop=True)
        mask = select(self.state, selector, year)
        self.state.loc[mask, "_policy_year"] = float(year)
        self.state.loc[mask, "_policy_life"] = lifetime

    def add(self, rows: pd.DataFrame) -> None:
        self.state = pd.concat([self.state, rows], ignore_index=True)

    def pieces(self, ctx: Context) -> list[Piece]:
        renewal, first, end = ctx.project.baseline.renewal, ctx.first, ctx.end
        return (slot_pieces(self.state, first=first, end=end, renewal=renewal, sign=1.0)
                + slot_pieces(self.base[self.touched], first=first, end=end, renewal=renewal, sign=-1.0))


# --------------------------------------------------------------------------- variants
def variant_pieces(ctx: Context, index: int) -> tuple[list[Piece], pd.DataFrame]:
    """The rows a variant changes, as signed pieces, and its investments per change
    (``change, year, investment_eur``)."""
    from .changes import build  # the per-kind builders

    variant = ctx.project.variants[index]
    fleet = Fleet(ctx.baseline.get("equipment_slots", pd.DataFrame(columns=["category"])))
    pieces, money = [], []
    policies: list = []
    order = sorted(range(len(variant.changes)), key=lambda i: (variant.changes[i].year, i))
    for i in order:
        change = variant.changes[i]
        loc = ("variants", index, "changes", i)
        if not ctx.first <= change.year < ctx.end:
            raise ctx.source.error((*loc, "year"), f"change dated {change.year}, outside the horizon "
                                   f"{ctx.first}–{ctx.end - 1}", code="project_change_outside_horizon",
                                   year=change.year, first=ctx.first, last=ctx.end - 1)
        made, spent = build(change, ctx, fleet, loc, policies)
        for piece in made:
            piece.change = i
        pieces.extend(made)
        money.append({"change": i, "year": change.year, "investment_eur": change.investment_eur + spent})
    pieces.extend(fleet.pieces(ctx))
    money.extend({"change": None, "year": y, "investment_eur": eur}
                 for y, eur in purchases(pieces, ctx.project).items() if eur)
    return pieces, pd.DataFrame(money, columns=["change", "year", "investment_eur"])


def purchases(pieces: Sequence[Piece], project: Project) -> pd.Series:
    """Net purchases of devices per year [EUR] at the project's prices (variant − baseline:
    renewals the variant avoids count as savings); devices without a price count 0."""
    prices = {(p.category, p.condition): p.eur for p in project.prices}
    years = project.years
    out = np.zeros(len(years))
    for piece in pieces:
        if not piece.buys or not prices:
            continue
        frame = piece.frame
        year = np.floor(frame["_start"].to_numpy(float)) - years[0]
        inside = (year >= 0) & (year < len(years))
        price = np.array([prices.get(k, 0.0) for k in zip(frame["category"], frame["condition"])])
        quantity = frame["quantity"].to_numpy(float) if "quantity" in frame.columns else np.ones(len(frame))
        out += piece.sign * np.bincount(year[inside].astype(int), (quantity * price)[inside], minlength=len(years))
    return pd.Series(out, index=years)


# --------------------------------------------------------------------------- result
@dataclass
class VariantResult:
    """One variant: its yearly footprints per domain and its deltas against the baseline."""

    name: str
    comparisons: dict[int, dict[str, Comparison]]
    delta_items: pd.DataFrame
    investments: pd.DataFrame
    flux_use_embodied: pd.DataFrame


@dataclass
class ProjectResult:
    """Everything :func:`assess_project` computes, as tidy frames (see the properties)."""

    project: Project
    source: Source
    catalog: FactorCatalog
    allocation: str
    baseline: dict[int, dict[str, Footprint]]
    variants: list[VariantResult]
    quality: DataQuality
    sensitivity: pd.DataFrame | None = None
    checklist: Any = None
    roadmap_fit: pd.DataFrame | None = None  # :func:`.roadmap_fit.assess_roadmap_fit`
    context: Any = field(default=None, repr=False)  # the Context the variants were built from

    @property
    def years(self) -> list[int]:
        return self.project.years

    def deltas(self) -> pd.DataFrame:
        """One row per variant, year, domain, criterion and phase: ``before, after, delta, unit``
        and ``cumulated`` (delta summed from the first year), with the Comparison convention."""
        frames = []
        for v in self.variants:
            for year, domains in v.comparisons.items():
                for domain, comparison in domains.items():
                    frame = comparison.to_frame()
                    frames.append(frame.assign(variant=v.name, year=year, domain=domain))
        out = pd.concat(frames, ignore_index=True)
        out = out[["variant", "year", "domain", "criterion", "phase", "before", "after", "delta", "unit"]]
        out = out.sort_values(["variant", "domain", "criterion", "phase", "year"], kind="stable")
        out["cumulated"] = out.groupby(["variant", "domain", "criterion", "phase"], sort=False)["delta"].cumsum()
        return out.reset_index(drop=True)

    def summary(self, criterion: str = "gwp") -> pd.DataFrame:
        """One row per variant: net delta over the horizon, its embodied and use parts, per user,
        carbon payback year, investment, energy and money deltas, money payback year."""
        rows = []
        deltas = self.deltas()
        users = self.project.users
        price = self.project.electricity_price_eur_per_kwh
        for v in self.variants:
            d = deltas[(deltas["variant"] == v.name) & (deltas["criterion"] == criterion)]
            net = float(d["delta"].sum())
            embodied = float(d.loc[d["phase"].isin(EMBODIED_PHASES), "delta"].sum())
            energy = self.energy_deltas(v)
            invest = v.investments.groupby("year")["investment_eur"].sum().reindex(self.years, fill_value=0.0)
            money = invest + (energy * price if price is not None else 0.0)
            flux = v.flux_use_embodied
            rows.append({"variant": v.name, "criterion": criterion, "unit": self.catalog.criterion_units[criterion],
                         "net_delta": net, "embodied_delta": embodied, "use_delta": net - embodied,
                         "net_delta_per_user": net / users if users else np.nan,
                         "carbon_payback_year": payback_year(flux["total"].to_numpy(), self.years),
                         "energy_delta_kwh": float(energy.sum()),
                         "investment_eur": float(invest.sum()),
                         "money_delta_eur": float(money.sum()) if price is not None else np.nan,
                         "money_payback_year": payback_year(money.to_numpy(), self.years)
                         if price is not None else None})
        return pd.DataFrame(rows)

    def energy_deltas(self, v: VariantResult) -> pd.Series:
        """Electricity delta per year [kWh] (all domains)."""
        return pd.Series({y: sum(float(c.delta.energy_kwh.sum()) for c in v.comparisons[y].values())
                          for y in self.years})


def payback_year(yearly: np.ndarray, years: Sequence[int]) -> int | None:
    """First year from which the cumulated ``yearly`` deltas stay ≤ 0 (a net saving), or None
    if they are still > 0 at the end of the horizon.

    Examples
    --------
    >>> payback_year([100.0, -40.0, -40.0, -40.0], [2026, 2027, 2028, 2029])
    2029
    >>> payback_year([-5.0, -5.0], [2026, 2027]), payback_year([5.0, -1.0], [2026, 2027])
    (2026, None)
    """
    cumulated = np.cumsum(np.asarray(yearly, dtype=float))
    above = np.flatnonzero(cumulated > 1e-9 * max(1.0, float(np.abs(cumulated).max(initial=0.0))))
    if len(above) == 0:
        return int(years[0])
    if above[-1] == len(cumulated) - 1:
        return None
    return int(years[above[-1] + 1])


# --------------------------------------------------------------------------- assessing
def read_baseline(project: Project, source: Source, catalog: FactorCatalog
                  ) -> tuple[dict[str, pd.DataFrame], DataQuality, dict]:
    """The baseline frames per domain (read like ``sobriete assess``), their reading quality
    and the lighting schedules found beside them."""
    from ..assessment import folder_schedules, read_all_inputs

    base = Path(source.file).parent if source.file else Path(".")
    paths = []
    for i, text in enumerate(project.baseline.inputs):
        path = Path(text) if Path(text).is_absolute() else base / text
        if not path.exists():
            raise source.error(("baseline", "inputs", i), f"baseline input not found: {path}",
                               code="project_baseline_missing", path=str(path))
        paths.append(path)
    if not paths:
        return {}, DataQuality(), {}
    read = read_all_inputs(paths, catalog=catalog)
    quality = DataQuality()
    for inputs in read.values():
        quality = quality + inputs.quality
    schedules = folder_schedules([p if p.is_dir() else p.parent for p in paths]) or {}
    return {d: r.frame for d, r in read.items()}, quality, schedules


def assess_project(project: Project | str | Path, *, source: Source | None = None,
                   baseline: Mapping[str, pd.DataFrame] | None = None, catalog: FactorCatalog | None = None,
                   allocation: str = "amortised", sensitivity: bool = True,
                   schedules: Mapping | None = None) -> ProjectResult:
    """Assess a project: the baseline and every variant over the horizon.

    Parameters
    ----------
    project : Project, or path of a project file
    source : Source, optional
        Where the project's fields are (from :func:`load_project`), for errors.
    baseline : mapping of domain to DataFrame, optional
        Canonical frames replacing the project's ``baseline.inputs`` (e.g. from ``--baseline``).
    catalog : FactorCatalog, optional
    allocation : {'amortised', 'at_purchase'}
        Allocation of embodied impacts in the yearly deltas. Carbon payback always uses
        ``at_purchase`` (embodied impacts counted when invested).
    sensitivity : bool
        Also rank the assumptions that move the result most (:mod:`.sensitivity`).
    schedules : mapping of id to Schedule, optional
        Lighting schedules of ``baseline`` frames (read beside the files otherwise).

    Returns
    -------
    ProjectResult

    Examples
    --------
    >>> text = '''name: Toy
    ... start: 2026
    ... horizon_years: 2
    ... variants: [{name: plus, changes: [{kind: add, year: 2026, category: laptop, quantity: 1}]}]'''
    >>> p, src = load_project(text=text)
    >>> r = assess_project(p, source=src, sensitivity=False)
    >>> round(float(r.summary()["embodied_delta"][0]), 2)   # 2 of 5 years of a laptop's embodied gwp
    74.04
    """
    if not isinstance(project, Project):
        project, source = load_project(project)
    source = source if source is not None else Source(None, None)
    catalog = catalog if catalog is not None else load_catalog()
    if baseline is None:
        baseline, quality, found = read_baseline(project, source, catalog)
        schedules = dict(schedules or found)
    else:
        quality, schedules = DataQuality(), dict(schedules or {})
        for frame in baseline.values():
            quality = quality + DataQuality(len(frame), len(frame), 0)
    baseline = dict(baseline)
    years = project.years
    frames, base_fp = {}, {y: {} for y in years}
    for domain in ITEM_KEYS:
        if domain not in baseline:
            continue
        frame = baseline[domain]
        result = _evaluate(domain, frame, years, catalog=catalog, allocations=(allocation,),
                           schedules=schedules)[allocation]
        engine_quality = result[years[0]].quality
        quality = quality + DataQuality(0, -engine_quality.rows_rejected, engine_quality.rows_rejected,
                                        engine_quality.rejected, {}, engine_quality.warnings)
        valid = frame[_valid(frame, engine_quality.rejected)] if engine_quality.rows_rejected else frame
        frames[domain] = valid
        for y in years:
            base_fp[y][domain] = result[y]
    if "equipment" in frames:
        frames["equipment_slots"] = compact_slots(equipment_slots(frames["equipment"], catalog),
                                                  selector_columns(project))
        if project.baseline.renewal:  # the baseline's own renewals over the horizon
            for piece in _renewals(frames["equipment_slots"].loc[frames["equipment_slots"]["_start"].notna()],
                                   first=project.first_year, end=years[-1] + 1, sign=1.0):
                renewed = _evaluate("equipment", piece.frame, years, catalog=catalog,
                                    allocations=(allocation,))[allocation]
                for y in years:
                    base_fp[y]["equipment"] = base_fp[y]["equipment"] + renewed[y]
    ctx = Context(project, source, catalog, frames, schedules)
    template = _zero_like(base_fp, catalog, years)
    variants = [_variant(ctx, i, base_fp, template, allocation) for i in range(len(project.variants))]
    result = ProjectResult(project, source, catalog, allocation, base_fp, variants, quality, context=ctx)
    if sensitivity:
        from .sensitivity import tornado

        result.sensitivity = tornado(result, ctx)
    if project.checklist:
        from .rgesn import assess_checklist

        result.checklist = assess_checklist(project.checklist, source=source)
    return result


def _valid(frame: pd.DataFrame, rejected: pd.DataFrame) -> np.ndarray:
    """Mask of the rows of ``frame`` the engine did not reject (rows are named by file and label)."""
    if "_file" in frame.columns:
        keys = pd.MultiIndex.from_arrays([frame["_file"].astype(str), frame.index])
        bad = pd.MultiIndex.from_arrays([rejected["file"].astype(str), rejected["row"]])
        return ~keys.isin(bad)
    return ~frame.index.isin(rejected["row"])


def _zero_like(base_fp, catalog, years) -> Footprint:
    n_crit = len(catalog.criteria)
    from ..factors import PHASES

    return Footprint(np.zeros((1, n_crit, len(PHASES))), pd.DataFrame(index=range(1)), catalog.criteria,
                     tuple(catalog.criterion_units[c] for c in catalog.criteria), np.zeros(1),
                     np.zeros((1, n_crit, len(PHASES))), catalog.version, catalog.hash)


def evaluate_pieces(pieces: Sequence[Piece], years: Sequence[int], *, catalog: FactorCatalog,
                    allocations: Sequence[str], schedules: Mapping | None = None, accumulate=None
                    ) -> dict[str, dict[tuple[int, str], Footprint]]:
    """Σ sign × footprint of the pieces, per allocation and (year, domain), broken down by
    :data:`ITEM_KEYS`. Impacts are linear in the rows: per domain and sign, the pieces are
    evaluated together, in one call of the adapter (see :data:`MASKED_DOMAINS`).

    ``accumulate(out, result, domain, sign)`` replaces :func:`_accumulate` (e.g. to sum one
    criterion only: :func:`variant_net`)."""
    out: dict[str, dict[tuple[int, str], Footprint]] = {a: {} for a in allocations}
    _accumulate = accumulate or _add_footprints
    for domain in ITEM_KEYS:
        for sign in (1.0, -1.0):
            signed = [p for p in pieces if p.domain == domain and p.sign == sign and len(p.frame)]
            if domain in MASKED_DOMAINS and domain in DOMAINS and signed:  # every piece in one preparation
                frame = pd.concat([p.frame for p in signed], ignore_index=True) if len(signed) > 1 \
                    else signed[0].frame
                active = np.concatenate([np.repeat([[bool(p.years([y])) for y in years]], len(p.frame), axis=0)
                                         for p in signed])
                result = _evaluate(domain, _with_keys(frame, domain), years, catalog=catalog, by=ITEM_KEYS[domain],
                                   allocations=allocations, schedules=schedules, active=active)
                _accumulate(out, result, domain, sign)
                continue
            groups: dict[tuple[int, ...], list[int]] = defaultdict(list)
            for y in years:
                active = tuple(i for i, p in enumerate(signed) if p.years([y]))
                if active:
                    groups[active].append(y)
            for active, active_years in groups.items():
                frames = [signed[i].frame for i in active]
                frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
                result = _evaluate(domain, _with_keys(frame, domain), active_years, catalog=catalog,
                                   by=ITEM_KEYS[domain], allocations=allocations, schedules=schedules)
                _accumulate(out, result, domain, sign)
    return out


#: Domains whose pieces are evaluated in one preparation, each row counted in its own years
#: through a quantity multiplier of 0 or 1 (linear in quantity: devices, GB, lines).
MASKED_DOMAINS = ("equipment", "traffic", "lines")


def _add_footprints(out: dict, result: dict, domain: str, sign: float) -> None:
    """Add ``sign`` × the footprints of ``result`` ({allocation: {year: fp}}) to ``out``."""
    for allocation, per_year in result.items():
        sums = out[allocation]
        for y, fp in per_year.items():
            _check_no_rejection(fp, domain)
            sums[(y, domain)] = (fp if sign > 0 else -fp) if (y, domain) not in sums else \
                sums[(y, domain)] + fp if sign > 0 else sums[(y, domain)] - fp


def _with_keys(frame: pd.DataFrame, domain: str) -> pd.DataFrame:
    if domain == "equipment" and "condition" not in frame.columns:
        return frame.assign(condition="new")
    if domain == "equipment":
        return frame.assign(condition=frame["condition"].fillna("new"))
    if domain == "lighting" and "za" not in frame.columns:
        return frame.assign(za="(all)")
    return frame


def _check_no_rejection(fp: Footprint, domain: str) -> None:
    if fp.quality.rows_rejected:
        first = fp.quality.rejected.iloc[0]
        raise InputValueError(f"{domain}: a row built from the project was rejected by the engine: "
                              f"{first['column']} {first['reason']} (value {first['value']!r})",
                              code="project_row_rejected", domain=domain, column=first["column"],
                              reason=first["reason"], value=first["value"])


def variant_net(ctx: Context, index: int, allocation: str, criterion: str = "gwp") -> float:
    """A variant's net delta of ``criterion`` over the horizon [criterion unit] (no report frames)."""
    pieces, _ = variant_pieces(ctx, index)
    return pieces_net(pieces, ctx, allocation, criterion)


def pieces_net(pieces: Sequence[Piece], ctx: Context, allocation: str, criterion: str = "gwp") -> float:
    """Σ sign × the ``criterion`` total of the pieces over the horizon [criterion unit], summed as
    numbers (no footprint arithmetic)."""
    k = ctx.catalog.criteria.index(criterion)
    total = [0.0]

    def add(out, result, domain, sign):
        for fp in result[allocation].values():
            _check_no_rejection(fp, domain)
            total[0] += sign * float(fp.values[:, k, :].sum())

    evaluate_pieces(pieces, ctx.project.years, catalog=ctx.catalog, allocations=(allocation,),
                    schedules=ctx.schedules, accumulate=add)
    return total[0]


def _variant(ctx: Context, index: int, base_fp, template: Footprint, allocation: str) -> VariantResult:
    years = ctx.project.years
    pieces, investments = variant_pieces(ctx, index)
    allocations = (allocation, "at_purchase") if allocation != "at_purchase" else (allocation,)
    both = evaluate_pieces(pieces, years, catalog=ctx.catalog, allocations=allocations, schedules=ctx.schedules)
    evaluated = both[allocation]
    comparisons, items = {}, []
    for y in years:
        comparisons[y] = {}
        domains = [d for d in ITEM_KEYS if d in base_fp[y] or (y, d) in evaluated]
        for domain in domains:
            before = base_fp[y].get(domain, template).by()
            delta = evaluated.get((y, domain))
            after = before if delta is None else before + delta.by()
            comparisons[y][domain] = Comparison(before, after)
            if delta is not None:
                frame = delta.to_frame().drop(columns="uncovered_rows")
                keys = [frame[k].astype(str) for k in ITEM_KEYS[domain]]
                frame["item"] = keys[0].str.cat(keys[1:], sep=" / ") if len(keys) > 1 else keys[0]
                items.append(frame.drop(columns=list(ITEM_KEYS[domain])).assign(year=y, domain=domain))
    flux = both.get("at_purchase", {})
    gwp = ctx.catalog.criteria.index("gwp") if "gwp" in ctx.catalog.criteria else 0
    totals = [sum(float(fp.values[:, gwp, :].sum()) for (yy, _), fp in flux.items() if yy == y) for y in years]
    delta_items = pd.concat(items, ignore_index=True) if items else pd.DataFrame(
        columns=["criterion", "phase", "value", "unit", "item", "year", "domain"])
    return VariantResult(ctx.project.variants[index].name, comparisons, delta_items, investments,
                         pd.DataFrame({"year": years, "total": totals}))
