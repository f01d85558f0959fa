"""Benchmark fixtures: sizes from SOBRIETE_BENCH_SIZES (CI sets the smallest only)."""

import os

import pytest

import sobriete as sb

DEFAULT_SIZES = "1000,100000,1000000,10000000"


def bench_sizes(default: str = DEFAULT_SIZES) -> list[int]:
    """Row counts to benchmark, e.g. ``SOBRIETE_BENCH_SIZES=1000`` in CI."""
    return [int(float(s)) for s in os.environ.get("SOBRIETE_BENCH_SIZES", default).split(",") if s.strip()]


@pytest.fixture(scope="session")
def catalog():
    return sb.load_catalog()
