"""The fleet model: the equipment a variant touches, as dated slots, and the signed pieces of rows it becomes.

A piece is rows of one domain counted with a sign (+1 the variant's version, −1 the baseline's)
in a range of years; the change builders (:mod:`.changes`) produce pieces and act on a
variant's :class:`Fleet`. Modelling choices (each stated in the report):

- a device taken out of service in year Y stops its use phase and its renewals from Y; the
  embodied impacts of the generation in service keep their allocation (an early disposal does
  not erase impacts already caused);
- a lifetime policy from year Y applies to the devices in service at Y (their renewal comes
  ``lifetime_years`` after their start, at the earliest in Y) and to the devices bought from Y
  on, which are amortised over the new lifetime.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..equipment import start_year_from_date
from ..factors import FactorCatalog
from ..schema import normalise_name, normalise_names
from .model import Project, Source


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
    start = slots["_start"].to_numpy(float)
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
        pieces.extend(renewals(slots[dated], first=first, end=end, sign=sign))
    return pieces


def renewals(slots: pd.DataFrame, *, first: int, end: int, sign: float) -> list[Piece]:
    """The like-for-like renewals of the dated ``slots`` in ``[first, end)``, each at the end of
    the previous generation's lifetime (lifetime policies applied; none once removed), as one
    piece of purchases counted with ``sign``."""
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
