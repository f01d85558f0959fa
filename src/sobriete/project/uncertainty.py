"""How sure is a project's delta: Monte Carlo over the factor ranges, draw by draw.

A variant's delta over the horizon is ``Σ sign × footprint`` of the rows its changes touch
(:func:`sobriete.project.variants.variant_pieces`), each set of rows counted in its own years.
Every catalog factor has the same draws in every piece and year (common random numbers: one
random stream per factor and seed), so the delta's interval is computed draw by draw, not from
two separate intervals, and its probability of being a reduction is the share of draws in which
the delta is below zero.

Speed: the rows of every variant's pieces of one domain are prepared once (per shift of the
years past the equipment engine's latest purchase year), grouped by piece, and
:func:`sobriete.uncertainty.monte_carlo_combined` builds one response model of the domain for
all pieces and years: each probe of the catalog is built once and evaluated in each year, instead
of a model per piece and year.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from ..domains import DOMAINS
from ..footprint import Footprint
from ..uncertainty import INTERVAL, UserRange, monte_carlo_combined
from .evaluation import with_item_keys, year_frames
from .result import ProjectResult
from .variants import variant_pieces

#: Relative size under which a delta is rounding noise [share of the sum of the parts' magnitudes].
ROUNDING = 1e-12
#: Column naming the batch of pieces each row comes from (the grouping key of the preparations).
BATCH = "_mc_batch"


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


@dataclass
class _Terms:
    """One domain's evaluations: ``(prepared, evaluated year, batches counted in it)``."""

    terms: list[tuple[object, int, frozenset]] = field(default_factory=list)


def _domain_terms(result: ProjectResult, indices: Sequence[int]) -> tuple[list[tuple[int, float]], dict[str, _Terms]]:
    """The batches ``(position of the variant in indices, sign)`` and, per domain, the terms.

    Each batch is split by :func:`~sobriete.project.evaluation.year_frames` as when it is
    evaluated alone (a year past the engine's latest purchase year is evaluated shifted back, its
    rows dated back by the same shift); the batches of one domain and shift are then prepared
    together, grouped by :data:`BATCH`, and evaluated once per year (shifted) that any of them
    counts in (grouped by the domain's item key too)."""
    ctx = result.context
    batches: list[tuple[int, float]] = []
    frames: dict[tuple[str, int], list[pd.DataFrame]] = defaultdict(list)
    counted: dict[tuple[str, int], dict[int, set]] = defaultdict(lambda: defaultdict(set))
    for position, index in enumerate(indices):
        pieces, _ = variant_pieces(ctx, index)
        for domain, sign, frame, active in _batches(pieces, ctx.project.years):
            batch = len(batches)
            batches.append((position, sign))
            for shift, rows, group, _ in year_frames(domain, frame, active, ctx.catalog):
                frames[(domain, shift)].append(rows.assign(**{BATCH: batch}))
                for year in group:
                    counted[(domain, shift)][year - shift].add(batch)
    out: dict[str, _Terms] = defaultdict(_Terms)
    for (domain, shift), parts in frames.items():
        options = {"schedules": ctx.schedules} if domain == "lighting" and ctx.schedules else {}
        rows = pd.concat(parts, ignore_index=True) if len(parts) > 1 else parts[0]
        item = DOMAINS[domain].item_key  # finer cells: factors of two items never interact (fewer probes)
        by = [BATCH, item] if item in rows.columns else [BATCH]
        prepared = DOMAINS[domain].prepare(rows, ctx.catalog, by=by, **options)
        for year, active in sorted(counted[(domain, shift)].items()):
            out[domain].terms.append((prepared, year, frozenset(active)))
    return batches, dict(out)


def _weights(fp: Footprint, active: frozenset, batches: list[tuple[int, float]], n_variants: int) -> np.ndarray:
    """``(groups, variants)``: the sign of each group's batch in its variant where the batch
    counts in the term's year, else 0."""
    out = np.zeros((len(fp.keys), n_variants))
    for g, batch in enumerate(fp.keys[BATCH].to_numpy(int) if len(fp.keys) else ()):
        if batch in active:
            position, sign = batches[batch]
            out[g, position] = sign
    return out


def variants_draws(result: ProjectResult, indices: Sequence[int], *, draws: int = 1000, seed: int = 0,
                   criterion: str = "gwp", user_ranges: Iterable[UserRange] = ()) -> tuple[np.ndarray, np.ndarray]:
    """The deterministic net delta of each variant of ``indices`` over the horizon and its draws
    [criterion unit], in the result's allocation: ``(n_variants,)`` and ``(draws, n_variants)``;
    ``user_ranges``: the user's own ranges (:func:`sobriete.uncertainty.read_ranges`), drawn in
    every piece.
    A delta that is zero up to rounding (the variant's rows cancel the baseline's) is zero in
    every draw."""
    catalog = result.context.catalog
    k = catalog.criteria.index(criterion)
    n = len(indices)
    total, deterministic, scale = np.zeros((int(draws), n)), np.zeros(n), np.zeros(n)
    batches, domains = _domain_terms(result, indices)
    for domain, found in domains.items():
        terms = found.terms

        def weigh(t: int, fp: Footprint, terms=terms) -> np.ndarray:
            return _weights(fp, terms[t][2], batches, n)

        mc = monte_carlo_combined([(prepared, year) for prepared, year, _ in terms], weigh, draws=draws, seed=seed,
                                  catalog=catalog, options={"allocation": result.allocation},
                                  user_ranges=user_ranges)
        total += mc.values[:, :, k]
        deterministic += mc.deterministic[:, k]
        for t, fp in enumerate(mc.footprints):
            scale += np.abs(weigh(t, fp)).T @ np.abs(fp.values[:, k, :].sum(axis=1))
    noise = np.abs(total) <= ROUNDING * scale
    total[noise] = 0.0
    deterministic[np.abs(deterministic) <= ROUNDING * scale] = 0.0
    return deterministic, total


def variant_draws(result: ProjectResult, index: int, *, draws: int = 1000, seed: int = 0,
                  criterion: str = "gwp", user_ranges=()) -> tuple[float, np.ndarray]:
    """The deterministic net delta of variant ``index`` over the horizon and its ``draws`` draws
    [criterion unit] (see :func:`variants_draws`)."""
    deterministic, values = variants_draws(result, [index], draws=draws, seed=seed, criterion=criterion,
                                           user_ranges=user_ranges)
    return float(deterministic[0]), values[:, 0]


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
    deltas, values = variants_draws(result, range(len(result.variants)), draws=draws, seed=seed, criterion=criterion,
                                    user_ranges=user_ranges)
    rows = []
    for index, variant in enumerate(result.variants):
        column = values[:, index]
        low, median, high = np.quantile(column, [INTERVAL[0], 0.5, INTERVAL[1]])
        rows.append({"variant": variant.name, "criterion": criterion, "delta": float(deltas[index]),
                     "mean": float(column.mean()), "median": float(median), "p05": float(low), "p95": float(high),
                     "p_reduction": float((column < 0).mean()),
                     "unit": result.catalog.criterion_units[criterion], "draws": int(draws), "seed": int(seed)})
    return pd.DataFrame(rows)
