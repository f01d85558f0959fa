"""Equipment engine vs the bare numpy floor, with peak memory (issue #2).

Targets on the 2-core machine: the engine at 10^7 rows ≤ 2x the bare numpy kernel doing the
same arithmetic on the same arrays; peak memory of the engine ≤ 2x the input frame's size.
Run: ``python -m pytest benchmarks --benchmark-only`` (``SOBRIETE_BENCH_SIZES=1000`` for a quick run).
"""

import tracemalloc
from functools import cache

import numpy as np
import pandas as pd
import pytest

import sobriete as sb
from sobriete.synthetic import make_inventory

from .conftest import bench_sizes

YEAR = 2025
BY = ["entity", "category"]


@cache
def inventory(n_rows: int) -> pd.DataFrame:
    return make_inventory(n_rows, seed=42, categories=list(sb.load_catalog().equipment.categories))


def bare_kernel(cat, qty, start, measured, refurbished, gid, n_groups, lifetime, energy, factors, ratio, grid):
    """The floor: the same arithmetic on ready integer codes and float arrays, nothing else
    (no validation, no accounting)."""
    n_cat = len(lifetime)
    lt = lifetime[cat]
    share = np.clip(np.minimum(YEAR + 1.0, start + lt) - np.maximum(float(YEAR), start), 0.0, None) / lt
    code = cat + n_cat * refurbished
    emb = np.bincount(gid * 2 * n_cat + code, qty * share, minlength=n_groups * 2 * n_cat)
    kwh = np.bincount(gid, qty * np.where(np.isnan(measured), energy[cat], measured), minlength=n_groups)
    factor2 = np.nan_to_num(np.concatenate([factors, factors * ratio]))
    embodied = np.einsum("gc,ckp->gkp", emb.reshape(n_groups, 2 * n_cat), factor2)
    use = kwh[:, None] * np.nan_to_num(grid)
    return embodied, use


def kernel_arrays(inv: pd.DataFrame, catalog):
    eq = catalog.equipment
    cat = eq.categories.get_indexer(inv["category"].cat.categories)[inv["category"].cat.codes.to_numpy()]
    gid = (inv["entity"].cat.codes.to_numpy().astype(np.int64) * len(inv["category"].cat.categories)
           + inv["category"].cat.codes.to_numpy())
    n_groups = len(inv["entity"].cat.categories) * len(inv["category"].cat.categories)
    return (cat, inv["quantity"].to_numpy(float), inv["purchase_year"].to_numpy(float),
            inv["energy_kwh_per_year"].to_numpy(), inv["condition"].cat.codes.to_numpy() == 1, gid, n_groups,
            eq.lifetime_years, eq.energy_kwh_per_year, eq.embodied, eq.refurbished_ratio,
            catalog.grid(YEAR).values[catalog.zones.get_loc("FR")])


@pytest.mark.parametrize("n_rows", bench_sizes())
def test_engine(benchmark, catalog, n_rows):
    inv = inventory(n_rows)
    benchmark.group = f"equipment {n_rows:.0e} rows"
    benchmark.extra_info["rows"] = n_rows
    fp = benchmark(sb.assess_equipment, inv, YEAR, catalog=catalog, by=BY)
    assert fp.quality.rows_assessed == n_rows


@pytest.mark.parametrize("n_rows", bench_sizes())
def test_bare_numpy_kernel(benchmark, catalog, n_rows):
    inv = inventory(n_rows)
    arrays = kernel_arrays(inv, catalog)
    benchmark.group = f"equipment {n_rows:.0e} rows"
    benchmark.extra_info["rows"] = n_rows
    embodied, use = benchmark(bare_kernel, *arrays)
    # the floor computes the same numbers as the engine
    fp = sb.assess_equipment(inv, YEAR, catalog=catalog, by=BY)
    assert embodied.sum(axis=0) == pytest.approx(fp.values[:, :, [0, 1, 3]].sum(axis=0), rel=1e-9)
    assert use.sum(axis=0) == pytest.approx(fp.values[:, :, 2].sum(axis=0), rel=1e-9)


@pytest.mark.parametrize("n_rows", bench_sizes())
def test_peak_memory(benchmark, catalog, n_rows):
    """Peak memory allocated by one assessment, relative to the input frame's size."""
    inv = inventory(n_rows)
    input_bytes = int(inv.memory_usage(deep=True).sum())

    def measured():
        tracemalloc.start()
        sb.assess_equipment(inv, YEAR, catalog=catalog, by=BY)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    benchmark.group = f"equipment memory {n_rows:.0e} rows"
    peak = benchmark.pedantic(measured, rounds=1, iterations=1)
    ratio = peak / input_bytes
    benchmark.extra_info.update(rows=n_rows, input_mb=input_bytes / 2**20, peak_mb=peak / 2**20,
                                peak_over_input=ratio)
    if n_rows >= 1_000_000:  # small inputs are dominated by fixed costs (catalog arrays, frames)
        assert ratio <= 2.0, f"peak memory {peak / 2**20:.0f} MiB is {ratio:.2f}x the input frame"
