"""A variant's rows: its changes built in date order on its fleet, as signed pieces, and what it spends.

The users of a new service are counted through a time share of their devices: quantity =
users × service hours ÷ the device's yearly hours of use (ADEME profile), undated (steady
state), plus their traffic and the service's hosting (:mod:`.changes`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .changes import build
from .evaluation import pieces_net
from .fleet import Context, Fleet, Piece
from .model import Project


def variant_pieces(ctx: Context, index: int) -> tuple[list[Piece], pd.DataFrame]:
    """The rows a variant changes, as signed pieces, and its investments per change
    (``change, year, investment_eur``)."""
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


def variant_net(ctx: Context, index: int, allocation: str, criterion: str = "gwp") -> float:
    """A variant's net delta of ``criterion`` over the horizon [criterion unit] (no report frames)."""
    pieces, _ = variant_pieces(ctx, index)
    return pieces_net(pieces, ctx, allocation, criterion)
