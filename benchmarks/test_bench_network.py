"""Benchmark: network traffic, lines and hosting (issues #4 and #9).

Targets:

- ``assess_traffic`` / ``assess_lines`` on 10⁶ rows within 2× a bare numpy kernel of the same
  arithmetic; the kernel is the floor: the same sums and factor products on ready integer codes
  and float arrays, nothing else (no validation, no accounting, no catalog look-up). Each kernel
  benchmark also checks that the kernel and the engine compute the same numbers, and
  ``test_ratio_to_kernel`` measures the ratio in one run (engine and kernel interleaved, the
  best of each; the machine is shared, so the best time is the least disturbed one).
- Evaluate many: a prepared 10⁶-row traffic, lines and hosting input evaluated for 10 years ×
  10 scenarios (lifetime and grid overrides) in ≤ 2 s for all three together.
- Fixed cost of one evaluation of a prepared 10³-row input ≤ 1 ms.
- Peak memory of one assessment against the input frame's size.

Sizes from ``SOBRIETE_BENCH_SIZES`` (default "1000,1000000"). Run with::

    SOBRIETE_BENCH_SIZES=1000000 python -m pytest benchmarks/test_bench_network.py --benchmark-only
"""

from __future__ import annotations

import time
import tracemalloc
from functools import cache

import numpy as np
import pandas as pd
import pytest

from sobriete.factors import PHASES
from sobriete.hosting import prepare_hosting
from sobriete.network import assess_lines, assess_traffic, line_factors, prepare_lines, prepare_traffic, traffic_factors
from sobriete.protocol import Overrides

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
    if kind == "hosting":
        kinds = pd.Categorical.from_codes(rng.integers(0, 3, n), categories=["on_premises", "colocation", "cloud"])
        return pd.DataFrame({"commune": commune, "kind": kinds, "servers": rng.integers(1, 20, n).astype(float),
                             "power_w": rng.uniform(100.0, 600.0, n),
                             "purchase_year": rng.integers(2012, 2026, n).astype(float)})
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


@pytest.mark.parametrize("kind", ["traffic", "lines"])
@pytest.mark.parametrize("n", SIZES)
def test_ratio_to_kernel(benchmark, n, kind):
    """Engine ÷ bare kernel, measured in one run: both interleaved, the best of each."""
    frame, catalog = _frame(n, kind), _catalog()
    if kind == "traffic":
        arrays = _traffic_arrays(frame, catalog)
        engine, kernel = (lambda: _traffic(n)), (lambda: _traffic_kernel(*arrays))
    else:
        arrays = _lines_arrays(frame, catalog)
        engine, kernel = (lambda: _lines(n)), (lambda: _lines_kernel(*arrays))

    def best_of_both(rounds: int = 15) -> tuple[float, float]:
        times = {engine: [], kernel: []}
        for _ in range(rounds):
            for call in (kernel, engine):
                start = time.perf_counter()
                call()
                times[call].append(time.perf_counter() - start)
        return min(times[engine]), min(times[kernel])

    benchmark.group = f"network ratio {n:.0e} rows"
    engine_s, kernel_s = benchmark.pedantic(best_of_both, rounds=1, iterations=1)
    ratio = engine_s / kernel_s
    benchmark.extra_info.update(rows=n, engine_ms=engine_s * 1e3, kernel_ms=kernel_s * 1e3, ratio=ratio)
    if n >= 1_000_000:  # small inputs are dominated by the fixed costs (catalog arrays, frames)
        assert ratio <= 2.0, f"{kind}: {engine_s * 1e3:.1f} ms is {ratio:.2f}x the kernel's {kernel_s * 1e3:.1f} ms"


YEARS = range(2021, 2031)
SCENARIOS = [Overrides(lifetime_years=4.0 + i, grid_factor={"gwp": 0.03 + 0.01 * i}) for i in range(10)]


@cache
def _prepared(n: int) -> dict:
    catalog = _catalog()
    return {"traffic": prepare_traffic(_frame(n, "traffic"), catalog, by="commune"),
            "lines": prepare_lines(_frame(n, "lines"), catalog, by="commune"),
            "hosting": prepare_hosting(_frame(n, "hosting"), catalog, by="commune")}


@pytest.mark.parametrize("n", SIZES)
def test_evaluate_many(benchmark, n):
    """Prepared traffic, lines and hosting inputs evaluated for 10 years × 10 scenarios."""
    prepared = _prepared(n)

    def evaluate_all():
        return [p.evaluate(year, overrides=scenario) for p in prepared.values() for year in YEARS
                for scenario in SCENARIOS]

    benchmark.group = f"network evaluate many {n:.0e} rows"
    results = benchmark.pedantic(evaluate_all, rounds=3, iterations=1, warmup_rounds=1)
    assert len(results) == 3 * len(YEARS) * len(SCENARIOS)
    # the grid scenario changes the use phase, the lifetime one the boxes' and servers' embodied share
    lines = [r for r in results if r.meta["domain"] == "network_lines"]
    assert lines[0].values[:, 0, USE].sum() < lines[9].values[:, 0, USE].sum()
    best = benchmark.stats.stats.min
    benchmark.extra_info.update(rows=n, evaluations=len(results), seconds=best,
                                ms_per_evaluation=best / len(results) * 1e3)
    if n >= 1_000_000:
        assert best <= 2.0, f"{len(results)} evaluations of {n} rows took {best:.2f} s"


@pytest.mark.parametrize("domain", ["traffic", "lines", "hosting"])
def test_fixed_cost_of_one_evaluation(benchmark, domain):
    """One evaluation of a prepared 10³-row input, with a lifetime and a grid override."""
    prepared = _prepared(1000)[domain]
    benchmark.group = "network evaluate 1e+03 rows"
    result = benchmark(prepared.evaluate, 2025, overrides=SCENARIOS[3])
    assert result.quality.rows_assessed == 1000
    benchmark.extra_info.update(rows=1000, best_ms=benchmark.stats.stats.min * 1e3)
    assert benchmark.stats.stats.min <= 1e-3, f"{domain}: {benchmark.stats.stats.min * 1e3:.2f} ms"
