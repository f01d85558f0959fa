"""Benchmark: roadmap indicators of an asset register over ten years (issue #11).

The register indicators (average age, effective lifetime, devices per agent, the legal reuse rate,
the refurbished purchase share, and two ``@category`` variants) are computed with whole-column
operations per year, so the cost grows linearly with the register. Sizes from
``SOBRIETE_BENCH_SIZES`` (default "1000,1000000"). Run with::

    SOBRIETE_BENCH_SIZES=1000000 python -m pytest benchmarks/test_bench_roadmap.py --benchmark-only
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

from sobriete.roadmap.indicators import register_indicators, reuse_rate

from .conftest import bench_sizes

SIZES = bench_sizes("1000,1000000")
YEARS = list(range(2016, 2026))


@cache
def _register(n: int) -> pd.DataFrame:
    rng = np.random.default_rng(11)
    purchase = pd.Timestamp("2010-01-01") + pd.to_timedelta(rng.integers(0, 5800, n), unit="D")
    retired = pd.Series(purchase + pd.to_timedelta(rng.integers(365, 4000, n), unit="D"))
    retired = retired.where(retired <= pd.Timestamp("2025-12-31"))
    disposal = (retired + pd.to_timedelta(rng.integers(30, 500, n), unit="D"))
    disposal = disposal.where(disposal <= pd.Timestamp("2025-12-31"))
    return pd.DataFrame({
        "category": np.array(["ordinateur portable", "ecran", "unite centrale"])[rng.integers(0, 3, n)],
        "purchase_date": purchase, "retirement_date": retired, "disposal_date": disposal,
        "destination": np.array(["reemploi", "don", "recyclage", ""])[rng.integers(0, 4, n)],
        "security_exclusion": "", "purchase_price_eur": rng.uniform(150, 1200, n),
        "condition": np.where(rng.random(n) < 0.1, "reconditionne", "neuf")})


@pytest.mark.parametrize("n", SIZES)
def test_register_indicators_ten_years(benchmark, n):
    register = _register(n)
    out = benchmark(register_indicators, register, YEARS, agents={y: 1000.0 for y in YEARS},
                    categories=["ordinateur portable", "ecran"])
    rate, a, b = reuse_rate(register, 2025)
    got = out[(out["indicator"] == "reuse_rate_pct") & (out["year"] == 2025)]["value"]
    assert got.tolist() == pytest.approx([rate]) and b > 0
    assert set(out["year"]) == set(YEARS)
