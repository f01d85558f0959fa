"""Monte Carlo speed: 1,000 draws on an inventory of every registered domain.

The inventory (SYNTHETIC, seeded) has ``n`` rows in all: 60 % equipment, 25 % luminaires, 10 %
lines, 4 % traffic, 1 % hosting. Preparing the designs (reading, validation, collapsing, burning
hours) is the deterministic assessment's cost and is done in an untimed fixture; the timed part is
:func:`sobriete.uncertainty.monte_carlo`: probing the domains, drawing and summarising.
Target (issue #14): 1,000 draws on 10^6 rows in ≤ 5 s on 2 cores.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import pytest

import sobriete as sb
from sobriete.synthetic import commune_names, make_inventory
from sobriete.uncertainty import monte_carlo, prepare_design

from .conftest import bench_sizes

SHARES = {"equipment": 0.60, "lighting": 0.25, "lines": 0.10, "traffic": 0.04, "hosting": 0.01}
DRAWS = 1000


def frames(n: int) -> dict[str, pd.DataFrame]:
    rng = np.random.default_rng(14)
    size = {d: max(2, int(n * s)) for d, s in SHARES.items()}
    communes = commune_names(46)

    def commune(k):
        return pd.Categorical.from_codes(rng.integers(0, len(communes), k), communes)

    k = size["lighting"]
    za = rng.integers(0, 50, k)
    lat, lon = rng.uniform(50.2, 50.5, 50), rng.uniform(3.2, 3.7, 50)
    return {
        "equipment": make_inventory(size["equipment"], seed=14).drop(columns="service"),
        "lighting": pd.DataFrame({"za": pd.Categorical.from_codes(za, [f"ZA {i}" for i in range(50)]),
                                  "technology": rng.choice(["led", "hps", "metal_halide", "fluorescent"], k),
                                  "lamp_power_w": rng.choice([40.0, 70.0, 100.0, 150.0], k),
                                  "installation_year": rng.integers(1995, 2025, k),
                                  "latitude": lat[za], "longitude": lon[za]}),
        "lines": pd.DataFrame({"entity": commune(size["lines"]),
                               "technology": rng.choice(["ftth", "adsl", "vdsl", "mobile_4g", "mobile_5g"],
                                                        size["lines"]),
                               "count": rng.integers(1, 20, size["lines"]).astype(float)}),
        "traffic": pd.DataFrame({"entity": commune(size["traffic"]),
                                 "network": rng.choice(["fixed", "mobile"], size["traffic"]),
                                 "volume_gb": rng.choice([10.0, 50.0, 100.0, 500.0], size["traffic"])}),
        "hosting": pd.DataFrame({"entity": commune(size["hosting"]),
                                 "kind": rng.choice(["on_premises", "colocation", "cloud"], size["hosting"]),
                                 "servers": rng.integers(1, 20, size["hosting"]).astype(float),
                                 "purchase_year": rng.integers(2015, 2026, size["hosting"]).astype(float)}),
    }


@cache
def designs(n: int):
    catalog = sb.load_catalog()
    return {d: prepare_design(f, d, catalog, year=2025, by="za" if d == "lighting" else "entity")
            for d, f in frames(n).items()}


@pytest.mark.parametrize("n", bench_sizes("1000,1000000"))
def test_bench_monte_carlo_all_domains(benchmark, n):
    prepared = designs(n)
    result = benchmark.pedantic(monte_carlo, args=(prepared, 2025), kwargs={"draws": DRAWS, "seed": 1},
                                rounds=1, iterations=1)
    benchmark.extra_info.update({
        "rows": sum(d.rows for d in prepared.values()),
        "design_rows": {name: d.design_rows for name, d in prepared.items()},
        "evaluations": {name: d.evaluations for name, d in result.domains.items()},
        "methods": {name: d.method for name, d in result.domains.items()}})
    assert result.domains["equipment"].values.shape[0] == DRAWS
