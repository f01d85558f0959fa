"""How sure is a project's delta: Monte Carlo over the factor ranges, draw by draw.

A variant's delta over the horizon is ``Σ sign × footprint`` of the rows its changes touch
(:func:`sobriete.project.variants.variant_pieces`). Each piece is evaluated in each of its years by
:func:`sobriete.uncertainty.monte_carlo` with the same seed: every catalog factor then has the
same draws in every piece and year (common random numbers), so the delta's interval is computed
draw by draw, not from two separate intervals, and its probability of being a reduction is the
share of draws in which the delta is below zero.
"""

from __future__ import annotations

from collections import defaultdict

import numpy as np
import pandas as pd

from ..domains import DOMAINS
from ..uncertainty import INTERVAL, monte_carlo
from .evaluation import with_item_keys, year_frames
from .result import ProjectResult
from .variants import variant_pieces

#: Relative size under which a delta is rounding noise [share of the sum of the parts' magnitudes].
ROUNDING = 1e-12


def _batches(pieces, years):
    """``(domain, sign, frame, years)``: the pieces of one domain and sign that count in the same
    years, concatenated (impacts are linear in the rows), so each set is prepared once."""
    same: dict[tuple, list] = defaultdict(list)
    for piece in pieces:
        active = tuple(piece.years(years))
        if active and len(piece.frame):
            same[(piece.domain, piece.sign, active)].append(piece.frame)
    for (domain, sign, active), frames in same.items():
        yield domain, sign, with_item_keys(pd.concat(frames, ignore_index=True), domain), list(active)


def variant_draws(result: ProjectResult, index: int, *, draws: int = 1000, seed: int = 0,
                  criterion: str = "gwp", user_ranges=()) -> tuple[float, np.ndarray]:
    """The deterministic net delta of variant ``index`` over the horizon and its ``draws`` draws
    [criterion unit], in the result's allocation. A delta that is zero up to rounding (the
    variant's rows cancel the baseline's) is zero in every draw."""
    ctx = result.context
    catalog = ctx.catalog
    k = catalog.criteria.index(criterion)
    pieces, _ = variant_pieces(ctx, index)
    total, deterministic, scale = np.zeros(draws), 0.0, 0.0
    for domain, sign, frame, active in _batches(pieces, ctx.project.years):
        options = {"schedules": ctx.schedules} if domain == "lighting" and ctx.schedules else {}
        for shift, rows, group, _ in year_frames(domain, frame, active, catalog):
            prepared = DOMAINS[domain].prepare(rows, catalog, by=[], **options)
            for year in group:
                if not prepared.evaluate(year - shift, allocation=result.allocation).values.any():
                    continue  # nothing counted this year: every draw is 0 too (impacts are products)
                mc = monte_carlo({domain: prepared}, year - shift, draws=draws, seed=seed, catalog=catalog,
                                 options={domain: {"allocation": result.allocation}}, user_ranges=user_ranges)
                value = float(mc._deterministic_total(False)[k])
                total += sign * mc.totals()[:, k]
                deterministic += sign * value
                scale += abs(value)
    total[np.abs(total) <= ROUNDING * scale] = 0.0
    return (0.0 if abs(deterministic) <= ROUNDING * scale else deterministic), total


def project_uncertainty(result: ProjectResult, *, draws: int = 1000, seed: int = 0,
                        criterion: str = "gwp", user_ranges=()) -> pd.DataFrame:
    """The interval of each variant's net delta over the horizon, computed draw by draw.

    Parameters
    ----------
    result : ProjectResult
        From :func:`sobriete.project.assess_project`.
    draws : int, keyword-only
        Number of Monte Carlo draws.
    seed : int, keyword-only
        Same seed, same result.
    criterion : str, keyword-only
    user_ranges : iterable of UserRange, keyword-only
        The user's own ranges (:func:`sobriete.uncertainty.read_ranges`), drawn in every piece.

    Returns
    -------
    DataFrame
        One row per variant: ``variant, criterion, delta`` (deterministic, equal to the summary's
        ``net_delta``), ``mean, median, p05, p95`` of the draws, ``p_reduction`` (share of draws
        with a delta below zero), ``unit, draws, seed``.
    """
    rows = []
    for index, variant in enumerate(result.variants):
        deterministic, values = variant_draws(result, index, draws=draws, seed=seed, criterion=criterion,
                                              user_ranges=user_ranges)
        low, median, high = np.quantile(values, [INTERVAL[0], 0.5, INTERVAL[1]])
        rows.append({"variant": variant.name, "criterion": criterion, "delta": deterministic,
                     "mean": float(values.mean()), "median": float(median), "p05": float(low), "p95": float(high),
                     "p_reduction": float((values < 0).mean()),
                     "unit": result.catalog.criterion_units[criterion], "draws": int(draws), "seed": int(seed)})
    return pd.DataFrame(rows)
