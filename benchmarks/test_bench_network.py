"""Benchmark: network traffic and line assessment vs a bare numpy kernel of the same arithmetic.

Target: ``assess_traffic`` / ``assess_lines`` on 10⁶ rows within 2× the kernel (bincount of
the quantities per group × zone × type, then the factor product). Sizes from the environment
variable ``SOBRIETE_BENCH_SIZES`` (default "1000,1000000"). Run with::

    python -m pytest benchmarks/test_bench_network.py --benchmark-only -p no:cacheprovider
"""

from __future__ import annotations

import os

import numpy as np
import pandas as pd
import pytest

from sobriete import load_catalog
from sobriete.network import assess_lines, assess_traffic, line_factors, traffic_factors

SIZES = [int(s) for s in os.environ.get("SOBRIETE_BENCH_SIZES", "1000,1000000").split(",")]
COMMUNES = pd.Index([f"Commune {i:02d}" for i in range(1, 47)])


@pytest.fixture(scope="module")
def catalog():
    return load_catalog()


def _frame(n: int, kind: str) -> pd.DataFrame:
    rng = np.random.default_rng(4)
    commune = pd.Categorical.from_codes(rng.integers(0, len(COMMUNES), n), categories=COMMUNES)
    if kind == "traffic":
        network = pd.Categorical.from_codes(rng.integers(0, 2, n), categories=["fixed", "mobile"])
        return pd.DataFrame({"commune": commune, "network": network, "volume_gb": rng.gamma(2.0, 50.0, n)})
    techs = ["ftth", "adsl", "vdsl", "mobile_4g", "mobile_5g"]
    technology = pd.Categorical.from_codes(rng.integers(0, len(techs), n), categories=techs)
    return pd.DataFrame({"commune": commune, "technology": technology, "count": rng.integers(1, 20, n).astype(float)})


def _traffic_kernel(gid, net, volume, factors, n_groups):
    """The same arithmetic with integer codes given: per (group, network) volume × factor."""
    f = factors.values[0]  # zone FR
    per_cell = np.bincount(gid * 2 + net, volume, minlength=n_groups * 2).reshape(n_groups, 2)
    rows = np.bincount(gid * 2 + net, minlength=n_groups * 2).reshape(n_groups, 2)
    return per_cell @ np.nan_to_num(f), rows @ np.isnan(f)


def _lines_kernel(gid, tech, count, per_line, energy, grid, n_groups, n_tech):
    cell = gid * n_tech + tech
    lines = np.bincount(cell, count, minlength=n_groups * n_tech).reshape(n_groups, n_tech)
    rows = np.bincount(cell, minlength=n_groups * n_tech).reshape(n_groups, n_tech)
    values = np.einsum("gt,tkp->gkp", lines, per_line)
    kwh = lines @ energy
    values[:, :, 2] += np.outer(kwh, grid)
    return values, rows


@pytest.mark.parametrize("n", SIZES)
def test_bench_traffic(benchmark, catalog, n):
    frame = _frame(n, "traffic")
    result = benchmark(assess_traffic, frame, 2025, catalog=catalog, by="commune", model="per_gb")
    assert result.quality.rows_assessed == n
    expected = (frame["volume_gb"].to_numpy() * np.where(frame["network"].cat.codes == 0, 9.26934695867389e-3,
                                                          24.6836791969497e-3)).sum()
    assert result.total().loc["gwp", "total"] == pytest.approx(expected, rel=1e-9)


@pytest.mark.parametrize("n", SIZES)
def test_bench_traffic_kernel(benchmark, catalog, n):
    frame = _frame(n, "traffic")
    gid = frame["commune"].cat.codes.to_numpy().astype(np.int64)
    net = frame["network"].cat.codes.to_numpy().astype(np.int64)
    volume = frame["volume_gb"].to_numpy()
    factors = traffic_factors(catalog, 2025, basis="total")
    benchmark(_traffic_kernel, gid, net, volume, factors, len(COMMUNES))


@pytest.mark.parametrize("n", SIZES)
def test_bench_lines(benchmark, catalog, n):
    frame = _frame(n, "lines")
    result = benchmark(assess_lines, frame, 2025, catalog=catalog, by="commune")
    assert result.quality.rows_assessed == n


@pytest.mark.parametrize("n", SIZES)
def test_bench_lines_kernel(benchmark, catalog, n):
    frame = _frame(n, "lines")
    f = line_factors(catalog)
    order = f.technologies.get_indexer(frame["technology"].cat.categories)
    tech = order[frame["technology"].cat.codes.to_numpy()]
    gid = frame["commune"].cat.codes.to_numpy().astype(np.int64)
    grid = np.nan_to_num(catalog.grid(2025).values[catalog.zones.get_loc("FR")])
    benchmark(_lines_kernel, gid, tech, frame["count"].to_numpy(), f.per_line_total(), f.energy_kwh(), grid,
              len(COMMUNES), len(f.technologies))
