"""Evaluation of a project's rows with the domain engines: frames over years, signed pieces, net totals.

Impacts are linear in the rows of every domain, so a variant's footprint is the baseline's plus
the footprint of the rows its changes touch (the variant's version counted +1, the baseline's
−1). Every evaluation goes through one adapter, :func:`evaluate_frame`, which prepares a frame
once with the domain protocol and evaluates it per year and allocation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from ..domains import DOMAINS
from ..equipment import assess_equipment_years
from ..errors import InputValueError
from ..factors import FactorCatalog
from ..footprint import Footprint
from ..hosting import assess_hosting
from ..lighting import assess_lighting
from ..network import assess_lines, assess_traffic
from ..protocol import Overrides
from .fleet import Context, Piece


#: The project's domains, in report order, and the key their deltas are broken down by.
ITEM_KEYS = {"equipment": ("category", "condition"), "traffic": ("network",), "lines": ("technology",),
             "hosting": ("kind",), "lighting": ("za",)}
#: Latest purchase year the equipment engine accepts (it rejects later ones as implausible).
LATEST_PURCHASE_YEAR = pd.Timestamp.today().year + 1


# --------------------------------------------------------------------------- the adapter
def evaluate_frame(domain: str, frame: pd.DataFrame, years: Sequence[int], *, catalog: FactorCatalog,
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
    one preparation for the years up to it, one per later year (:func:`year_frames`).

    ``active`` (rows × years, bool; with a registered domain and no ``overrides``) says which rows
    count in each year: the others get a quantity multiplier of 0 (a year where none is active is
    left out of the result).
    """
    spec = DOMAINS.get(domain)
    if spec is not None:
        options = {"schedules": schedules} if domain == "lighting" and schedules else {}
        out: dict[str, dict[int, Footprint]] = {a: {} for a in allocations}
        for shift, rows, group, positions in year_frames(domain, frame, years, catalog):
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


def year_frames(domain: str, frame: pd.DataFrame, years: Sequence[int], catalog: FactorCatalog
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
    for shift, rows, group, _ in year_frames("equipment", frame, years, catalog):
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
def evaluate_pieces(pieces: Sequence[Piece], years: Sequence[int], *, catalog: FactorCatalog,
                    allocations: Sequence[str], schedules: Mapping | None = None, accumulate=None
                    ) -> dict[str, dict[tuple[int, str], Footprint]]:
    """Σ sign × footprint of the pieces, per allocation and (year, domain), broken down by
    :data:`ITEM_KEYS`. Impacts are linear in the rows: per domain and sign, the pieces are
    evaluated together, in one call of the adapter (see :data:`MASKED_DOMAINS`).

    ``accumulate(out, result, domain, sign)`` replaces :func:`_add_footprints` (e.g. to sum one
    criterion only: :func:`pieces_net`)."""
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
                result = evaluate_frame(domain, with_item_keys(frame, domain), years, catalog=catalog,
                                        by=ITEM_KEYS[domain], allocations=allocations, schedules=schedules,
                                        active=active)
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
                result = evaluate_frame(domain, with_item_keys(frame, domain), active_years, catalog=catalog,
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


def with_item_keys(frame: pd.DataFrame, domain: str) -> pd.DataFrame:
    """``frame`` with the columns of :data:`ITEM_KEYS` the deltas are broken down by, filled where
    missing (equipment ``condition``: ``new``; lighting ``za``: ``(all)``)."""
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
