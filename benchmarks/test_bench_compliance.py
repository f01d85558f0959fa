"""Lighting compliance speed target: 10^5 luminaires checked against the arrêté of 27 December
2018 in ≤ 0.5 s (sizes from SOBRIETE_BENCH_SIZES, capped at 10^5; CI runs the smallest).

Seeded synthetic inventory built outside the timer: 20 business parks with 3 activity patterns,
4 schedules (dusk to dawn, night extinction, dimming, fixed hours), roads and car parks, and every
compliance column partly filled."""

import os

import numpy as np
import pandas as pd
import pytest

from sobriete.compliance import check_lighting, load_rules, prepare_sites
from sobriete.schedule import default_schedule, make_schedule

SCHEDULES = {s.id: s for s in (default_schedule(), make_schedule(id="nuit", off=["23:00-05:00"]),
                               make_schedule(id="eco", threshold_deg=-3, off=["00:00-05:00"], dim=["22:00-24:00=50%"]),
                               make_schedule(id="za", threshold_deg=None, on=["06:00-21:00"]))}
N_ZA = 20


def _sizes(default, cap):
    env = os.environ.get("SOBRIETE_BENCH_SIZES")
    return sorted({min(int(float(s)), cap) for s in env.split(",")}) if env else default


def inventory(n: int, seed: int = 0) -> tuple[pd.DataFrame, pd.DataFrame]:
    rng = np.random.default_rng(seed)
    names = np.array([f"ZA {k:02d}" for k in range(N_ZA)])
    za = rng.integers(0, N_ZA, n)
    lat, lon = rng.uniform(42.5, 51, N_ZA), rng.uniform(-4.5, 7.5, N_ZA)

    def maybe(values):  # one value in ten missing
        return np.where(rng.random(n) < 0.1, np.nan, values)

    frame = pd.DataFrame({
        "za": names[za], "luminaire_id": np.arange(n).astype(str), "count": 1.0,
        "technology": rng.choice(["led", "hps", "metal_halide"], n), "lamp_power_w": rng.uniform(30, 150, n),
        "installation_year": rng.integers(1990, 2025, n).astype(float),
        "latitude": lat[za] + rng.normal(0, 0.002, n), "longitude": lon[za] + rng.normal(0, 0.002, n),
        "schedule": np.array(list(SCHEDULES))[(za + rng.integers(0, 2, n)) % len(SCHEDULES)],
        "installation": rng.choice(["voirie", "parking"], n, p=[0.8, 0.2]),
        "ulr_percent": maybe(rng.choice([0.0, 0.5, 2.0, 55.0], n)),
        "cie_code3_percent": maybe(rng.choice([98.0, 94.0], n)),
        "colour_temperature_k": maybe(rng.choice([2700.0, 3000.0, 4000.0], n)),
        "max_power_w": maybe(rng.uniform(30, 150, n)), "nominal_flux_lm": maybe(rng.uniform(3000, 15000, n))})
    patterns = [("06:00", "21:00", "lun-ven"), ("08:00", "18:00", "lun-sam"), ("05:00", "23:30", "lun-dim")]
    chosen = [patterns[k % 3] for k in range(N_ZA)]
    sites = prepare_sites(pd.DataFrame({
        "za": names, "activity_start": [p[0] for p in chosen], "activity_end": [p[1] for p in chosen],
        "activity_days": [p[2] for p in chosen], "installation": "voirie", "built_up": "oui",
        "protected": np.where(np.arange(N_ZA) % 5 == 0, "oui", "non"), "lit_area_m2": 50_000.0}))
    return frame, sites


@pytest.mark.parametrize("luminaires", _sizes([1_000, 100_000], cap=100_000))
def test_bench_check_luminaires(benchmark, catalog, luminaires):
    frame, sites = inventory(luminaires)
    rules = load_rules()
    result = benchmark(check_lighting, frame, sites, SCHEDULES, year=2025, rules=rules, catalog=catalog)
    summary = result.summary()
    total = summary.iloc[-1]
    assert total["luminaires"] == luminaires
    assert total["compliant"] + total["not_compliant"] + total["unknown"] == luminaires
    assert total["switch_off_not_compliant"] > 0 and total["energy_saved_kwh"] > 0
    benchmark.extra_info["share_compliant"] = result.share_compliant()
