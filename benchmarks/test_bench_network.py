"""Benchmark: network traffic and line assessment vs a bare numpy kernel of the same arithmetic (issue #4).

Target: ``assess_traffic`` / ``assess_lines`` on 10⁶ rows within 2× the kernel; the kernel is
the floor: the same sums and factor products on ready integer codes and float arrays, nothing
else (no validation, no accounting, no catalog look-up). Each kernel benchmark also checks
that the kernel and the engine compute the same numbers. Peak memory of one assessment is
checked against the input frame's size. Sizes from ``SOBRIETE_BENCH_SIZES`` (default
"1000,1000000"). Run with::

    SOBRIETE_BENCH_SIZES=1000000 python -m pytest benchmarks/test_bench_network.py --benchmark-only
"""

from __future__ import annotations

import tracemalloc
from functools import cache

import numpy as np
import pandas as pd
import pytest

from sobriete.factors import PHASES
from sobriete.network import assess_lines, assess_traffic, line_factors, traffic_factors

from .conftest import bench_sizes

SIZES = bench_sizes("1000,1000000")
YEAR = 2025
COMMUNES = pd.Index([f"Commune {i:02d}" for i in range(1, 47)])
TECHNOLOGIES = ["ftth", "adsl", "vdsl", "mobile_4g", "mobile_5g"]
USE = PHASES.index("use")


@cache
def _frame(n: int, kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    commune = pd.Categorical.from_codes(rng.integers(0, len(COMMUNES), n), categories=COMMUNES)
    if kind == "traffic":
        network = pd.Categorical.from_codes(rng.integers(0, 2, n), categories=["fixed", "mobile"])
        return pd.DataFrame({"commune": commune, "network": network, "volume_gb": rng.gamma(2.0, 50.0, n)})
    technology = pd.Categorical.from_codes(rng.integers(0, len(TECHNOLOGIES), n), categories=TECHNOLOGIES)
    return pd.DataFrame({"commune": commune, "technology": technology, "count": rng.integers(1, 20, n).astype(float)})


def _traffic_kernel(gid, net, volume, factors, missing, n_groups, n_networks):
    """Per (group, network): Σ volume and row count, × the per-GB factors and their missing mask."""
    cell = gid * n_networks + net
    per_cell = np.bincount(cell, volume, minlength=n_groups * n_networks).reshape(n_groups, n_networks)
    rows = np.bincount(cell, minlength=n_groups * n_networks).reshape(n_groups, n_networks)
    return per_cell @ factors, rows @ missing


def _lines_kernel(gid, tech, count, per_line, missing, energy, has_energy, grid, grid_missing, n_groups, n_tech):
    """Per (group, technology): Σ lines and row count, × the per-line factors, then kWh × grid."""
    cell = gid * n_tech + tech
    lines = np.bincount(cell, count, minlength=n_groups * n_tech).reshape(n_groups, n_tech)
    rows = np.bincount(cell, minlength=n_groups * n_tech).reshape(n_groups, n_tech)
    values = np.einsum("gt,tkp->gkp", lines, per_line)
    uncovered = np.einsum("gt,tkp->gkp", rows, missing)
    values[:, :, USE] += np.outer(lines @ energy, grid)
    uncovered[:, :, USE] += np.outer(rows @ has_energy, grid_missing)
    return values, uncovered


def _traffic_arrays(frame: pd.DataFrame, catalog):
    factors = traffic_factors(catalog, YEAR, basis="total")
    f = factors.values[catalog.zones.get_loc("FR")]  # (network, criterion); the frame has no zone column
    order = factors.networks.get_indexer(frame["network"].cat.categories)
    return (frame["commune"].cat.codes.to_numpy().astype(np.int64), order[frame["network"].cat.codes.to_numpy()],
            frame["volume_gb"].to_numpy(), np.nan_to_num(f), np.isnan(f).astype(float), len(COMMUNES),
            len(factors.networks))


def _lines_arrays(frame: pd.DataFrame, catalog):
    f = line_factors(catalog)
    order = f.technologies.get_indexer(frame["technology"].cat.categories)
    grid = catalog.grid(YEAR).values[catalog.zones.get_loc("FR")]
    return (frame["commune"].cat.codes.to_numpy().astype(np.int64), order[frame["technology"].cat.codes.to_numpy()],
            frame["count"].to_numpy(), f.per_line_total(), f.missing().astype(float), f.energy_kwh(),
            (f.energy_kwh() > 0).astype(float), np.nan_to_num(grid), np.isnan(grid).astype(float), len(COMMUNES),
            len(f.technologies))


def _by_commune(fp, field: str = "values") -> np.ndarray:
    """Engine values (or uncovered row counts) indexed by commune code (absent communes at 0)."""
    out = np.zeros((len(COMMUNES), *fp.values.shape[1:]))
    out[COMMUNES.get_indexer(fp.keys["commune"])] = getattr(fp, field)
    return out


def _traffic(n):
    return assess_traffic(_frame(n, "traffic"), YEAR, catalog=_catalog(), by="commune", model="per_gb")


def _lines(n):
    return assess_lines(_frame(n, "lines"), YEAR, catalog=_catalog(), by="commune")


@cache
def _catalog():
    from sobriete import load_catalog

    return load_catalog()


@pytest.mark.parametrize("n", SIZES)
def test_bench_traffic(benchmark, n):
    frame = _frame(n, "traffic")
    benchmark.group = f"network traffic {n:.0e} rows"
    result = benchmark(assess_traffic, frame, YEAR, catalog=_catalog(), by="commune", model="per_gb")
    assert result.quality.rows_assessed == n
    expected = (frame["volume_gb"].to_numpy() * np.where(frame["network"].cat.codes == 0, 9.26934695867389e-3,
                                                          24.6836791969497e-3)).sum()
    assert result.total().loc["gwp", "total"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("n", SIZES)
def test_bench_traffic_kernel(benchmark, n):
    arrays = _traffic_arrays(_frame(n, "traffic"), _catalog())
    benchmark.group = f"network traffic {n:.0e} rows"
    values, uncovered = benchmark(_traffic_kernel, *arrays)
    fp = _traffic(n)  # the floor computes the same numbers as the engine
    assert values == pytest.approx(_by_commune(fp)[:, :, USE], rel=1e-9)
    assert uncovered == pytest.approx(_by_commune(fp, "uncovered")[:, :, USE])


@pytest.mark.parametrize("n", SIZES)
def test_bench_lines(benchmark, n):
    frame = _frame(n, "lines")
    benchmark.group = f"network lines {n:.0e} rows"
    result = benchmark(assess_lines, frame, YEAR, catalog=_catalog(), by="commune")
    assert result.quality.rows_assessed == n
    assert result.quality.counts["lines"] == int(frame["count"].sum())


@pytest.mark.parametrize("n", SIZES)
def test_bench_lines_kernel(benchmark, n):
    arrays = _lines_arrays(_frame(n, "lines"), _catalog())
    benchmark.group = f"network lines {n:.0e} rows"
    values, uncovered = benchmark(_lines_kernel, *arrays)
    fp = _lines(n)  # the floor computes the same numbers as the engine
    assert values == pytest.approx(_by_commune(fp), rel=1e-9)
    assert uncovered == pytest.approx(_by_commune(fp, "uncovered"))


def _peak_bytes(call, *args) -> int:
    """Peak bytes allocated (tracemalloc) while ``call(*args)`` runs."""
    tracemalloc.start()
    try:
        call(*args)
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


@pytest.mark.parametrize("kind", ["traffic", "lines"])
@pytest.mark.parametrize("n", SIZES)
def test_peak_memory(benchmark, n, kind):
    """Peak memory allocated by one assessment, relative to the input frame's size."""
    frame = _frame(n, kind)
    input_bytes = int(frame.memory_usage(deep=True).sum())
    assess = _traffic if kind == "traffic" else _lines
    assess(n)  # the catalog's dense arrays are prepared once per catalog, outside the measure

    benchmark.group = f"network memory {n:.0e} rows"
    peak = benchmark.pedantic(_peak_bytes, (assess, n), rounds=1, iterations=1)
    ratio = peak / input_bytes
    benchmark.extra_info.update(rows=n, input_mb=input_bytes / 2**20, peak_mb=peak / 2**20, peak_over_input=ratio)
    if n >= 1_000_000:  # small inputs are dominated by fixed costs (catalog arrays, frames)
        assert ratio <= 1.0, f"peak memory {peak / 2**20:.1f} MiB is {ratio:.2f}x the input frame"
