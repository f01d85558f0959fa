"""Sensitivity of a project's result: one assumption at a time over its low/high range, ranked.

The result is each variant's net delta of a criterion over the horizon (variant − baseline,
summed over the years, domains and phases). Two kinds of parameters are varied:

- the catalog factors the delta uses, over the catalog's ``low``/``high`` columns: equipment
  embodied impacts per category and phase, the refurbished share, the electricity factor, the
  per-GB traffic factors and the per-line infrastructure factors. Impacts are linear in each of
  these factors, so the result at a factor's low value is exactly
  ``result + (low / value − 1) × (the part of the delta that factor multiplies)``, read from the
  delta broken down by item and phase (no re-evaluation; a test checks it against an evaluation
  with a modified catalog);
- the project's own assumptions given a range in the file (``ranges: {lifetime_years: [6, 8]}``
  on a change), which are not linear: the variant is evaluated again at each bound.

A parameter whose range is empty (low = high = value) has a zero bar.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..network import TRAFFIC_BASIS, DEFAULT_MODEL
from .changes import build
from .evaluation import pieces_net
from .fleet import Context, Fleet
from .result import ProjectResult
from .variants import variant_net

#: Columns of the sensitivity frame.
COLUMNS = ["variant", "parameter", "kind", "value", "low", "high", "result", "result_low", "result_high", "swing"]


def _bounds(row) -> tuple[float, float, float] | None:
    value = float(row["value"])
    low = float(row["low"]) if pd.notna(row.get("low")) else value
    high = float(row["high"]) if pd.notna(row.get("high")) else value
    if value == 0 or (pd.isna(row.get("low")) and pd.isna(row.get("high"))):
        return None
    return value, low, high


def factor_parts(result: ProjectResult, items: pd.DataFrame, criterion: str = "gwp") -> list[dict]:
    """Each catalog factor with a range that the delta ``items`` (one variant's delta by item,
    phase and year) depends on, with the part of the delta it multiplies [criterion unit]."""
    catalog = result.catalog
    items = items[items["criterion"] == criterion]
    out = []

    def part(domain, phase=None, item=None, prefix=None):
        mask = items["domain"] == domain
        if phase is not None:
            mask &= items["phase"].isin([phase] if isinstance(phase, str) else phase)
        if item is not None:
            mask &= items["item"] == item
        if prefix is not None:
            mask &= items["item"].str.startswith(prefix + " / ")
        return float(items.loc[mask, "value"].sum())

    equipment = items[items["domain"] == "equipment"]
    categories = set(equipment["item"].str.split(" / ").str[0])
    impacts = catalog.table("equipment_impacts")
    for row in impacts[(impacts["criterion"] == criterion) & impacts["category"].isin(categories)].to_dict("records"):
        if (bounds := _bounds(row)) is not None:
            out.append({"parameter": f"equipment_impacts/{row['category']}/{criterion}/{row['phase']}",
                        "bounds": bounds, "part": part("equipment", row["phase"], prefix=row["category"])})
    refurbished = catalog.table("refurbished")
    for row in refurbished[(refurbished["criterion"] == criterion)
                           & refurbished["category"].isin(categories)].to_dict("records"):
        if (bounds := _bounds(row)) is not None:
            out.append({"parameter": f"refurbished/{row['category']}/{criterion}/{row['phase']}", "bounds": bounds,
                        "part": part("equipment", row["phase"], item=f"{row['category']} / refurbished")})
    grid = catalog.table("electricity")
    grid = grid[(grid["zone"] == "FR") & (grid["usage"] == "mix") & (grid["criterion"] == criterion)
                & (grid["year"] <= result.years[-1])]
    if len(grid):
        row = grid.sort_values("year").iloc[-1]
        if (bounds := _bounds(row)) is not None:
            use = sum(part(d, "use") for d in ("equipment", "hosting", "lines"))
            out.append({"parameter": f"electricity/FR/{int(row['year'])}/mix/{criterion}", "bounds": bounds,
                        "part": use})
    traffic = catalog.table("network_traffic")
    traffic = traffic[(traffic["zone"] == "FR") & (traffic["basis"] == TRAFFIC_BASIS[DEFAULT_MODEL])
                      & (traffic["criterion"] == criterion)]
    for network, rows in traffic.groupby("network"):
        row = rows.sort_values("year").iloc[-1]
        if (bounds := _bounds(row)) is not None:
            out.append({"parameter": f"network_traffic/FR/{network}/{row['basis']}/{int(row['year'])}/{criterion}",
                        "bounds": bounds, "part": part("traffic", item=network)})
    lines = catalog.table("network_lines")
    for row in lines[lines["criterion"] == criterion].to_dict("records"):
        if (bounds := _bounds(row)) is not None:
            out.append({"parameter": f"network_lines/{row['technology']}/{criterion}/{row['phase']}",
                        "bounds": bounds, "part": part("lines", row["phase"], item=row["technology"])})
    return [p for p in out if p["part"] != 0]  # a factor the delta does not use cannot move it


def _net(variant, criterion: str) -> float:
    items = variant.delta_items
    return float(items.loc[items["criterion"] == criterion, "value"].sum())


def tornado(result: ProjectResult, ctx: Context, *, criterion: str = "gwp") -> pd.DataFrame:
    """Every parameter with a range, for every variant, ranked by swing (largest first).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`: the parameter, its kind (``factor`` or ``assumption``), its value and
        range, the net result [criterion unit] at the value, at low and at high, and the swing
        ``|result_high − result_low|``.
    """
    rows = []
    for index, variant in enumerate(result.variants):
        base = _net(variant, criterion)
        for p in factor_parts(result, variant.delta_items, criterion):
            value, low, high = p["bounds"]
            rows.append({"variant": variant.name, "parameter": p["parameter"], "kind": "factor", "value": value,
                         "low": low, "high": high, "result": base,
                         "result_low": base + (low / value - 1.0) * p["part"],
                         "result_high": base + (high / value - 1.0) * p["part"]})
        rows.extend(_assumptions(result, ctx, index, base, criterion))
    frame = pd.DataFrame(rows, columns=COLUMNS[:-1])
    frame["swing"] = (frame["result_high"] - frame["result_low"]).abs()
    order = frame.assign(_v=frame["variant"].map({v.name: i for i, v in enumerate(result.variants)}))
    return frame.loc[order.sort_values(["_v", "swing"], ascending=[True, False], kind="stable").index] \
        .reset_index(drop=True)


#: Change kinds that act on the equipment fleet (they interact: the variant is rebuilt).
FLEET_KINDS = ("add", "remove", "replace", "lifetime")


def _assumptions(result: ProjectResult, ctx: Context, index: int, base: float, criterion: str) -> list[dict]:
    """One row per range given in the file: the variant's net result at each bound. A change
    outside the fleet is linear and independent of the others: only its own rows are evaluated
    again; a fleet change rebuilds the variant."""
    project = result.project
    variant = project.variants[index]
    rows = []
    for i, change in enumerate(variant.changes):
        own = None  # the change's own net result, computed once for all its ranges
        for name, (low, high) in change.ranges.items():
            results = []
            for bound in (low, high):
                changed = _with_field(change, name, bound)
                if bound == _field(change, name):  # the assumption as it is: the variant's result
                    results.append(base)
                elif change.kind in FLEET_KINDS:
                    changes = list(variant.changes)
                    changes[i] = changed
                    variants = list(project.variants)
                    variants[index] = variant.model_copy(update={"changes": changes})
                    other = Context(project.model_copy(update={"variants": variants}), ctx.source, ctx.catalog,
                                    ctx.baseline, dict(ctx.schedules))
                    results.append(variant_net(other, index, result.allocation, criterion))
                else:
                    loc = ("variants", index, "changes", i)
                    own = _change_net(result, ctx, change, loc, criterion) if own is None else own
                    results.append(base - own + _change_net(result, ctx, changed, loc, criterion))
            rows.append({"variant": variant.name, "parameter": f"{change.label or change.kind} ({change.year}) "
                         f"{name}", "kind": "assumption", "value": _field(change, name), "low": low, "high": high,
                         "result": base, "result_low": results[0], "result_high": results[1]})
    return rows


def _change_net(result: ProjectResult, ctx: Context, change, loc: tuple, criterion: str) -> float:
    """Net result of one change outside the fleet, alone [criterion unit]."""
    pieces, _ = build(change, ctx, Fleet(ctx.baseline.get("equipment_slots", pd.DataFrame(columns=["category"]))),
                      loc, [])
    return pieces_net(pieces, ctx, result.allocation, criterion)


def _field(change, name: str) -> float:
    target = change
    for part in name.split("."):
        target = getattr(target, part)
    return np.nan if target is None else float(target)


def _with_field(change, name: str, value: float):
    head, _, rest = name.partition(".")
    if not rest:
        return change.model_copy(update={head: value})
    return change.model_copy(update={head: _with_field(getattr(change, head), rest, value)})
