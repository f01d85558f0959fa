"""Lighting speed targets: burning hours for 100 (site, schedule) pairs for a year ≤ 1 s;
10^5 luminaires assessed ≤ 0.5 s. Sizes can be restricted with SOBRIETE_BENCH_SIZES
(comma-separated; CI runs only the smallest)."""

import os
import shutil
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sobriete import load_catalog
from sobriete.lighting import burning_hours, evaluate_luminaires, prepare_luminaires
from sobriete.schedule import default_schedule, make_schedule

ROOT = Path(__file__).resolve().parents[1]


def _sizes(default, cap):
    """Sizes from SOBRIETE_BENCH_SIZES (row counts), capped for this benchmark: the issue's
    targets are 100 (site, schedule) pairs and 10^5 luminaires."""
    env = os.environ.get("SOBRIETE_BENCH_SIZES")
    return sorted({min(int(float(s)), cap) for s in env.split(",")}) if env else default


SCHEDULES = [default_schedule(), make_schedule(id="nuit", off=["23:00-05:00"]),
             make_schedule(id="eco", threshold_deg=-3, off=["00:00-05:00"], dim=["22:00-24:00=50%"]),
             make_schedule(id="za", threshold_deg=-3, on=["06:00-21:00"])]


@pytest.fixture(scope="module")
def catalog(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench_factors")
    for path in (ROOT / "tests" / "data" / "tiny_factors").iterdir():
        shutil.copy(path, folder / path.name)
    with open(folder / "electricity.csv", "a", encoding="utf-8") as handle:
        handle.write("FR,2024,public_lighting,gwp,0.0638,kgCO2e/kWh,,,test,sourced,\n")
    rows = ["technology,parameter,value,unit,low,high,source_id,status,note"]
    for tech, gear in (("led", 0), ("hps", 0.15), ("metal_halide", 0.15), ("mercury", 0.15), ("fluorescent", 0.2)):
        rows += [f"{tech},gear_loss,{gear},dimensionless,,,test,sourced,", f"{tech},lifetime,30,year,,,test,sourced,"]
    (folder / "lighting_technologies.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return load_catalog(directory=folder)


@pytest.mark.parametrize("pairs", _sizes([10, 100], cap=100))
def test_bench_burning_hours(benchmark, pairs):
    rng = np.random.default_rng(0)
    lat, lon = rng.uniform(42.5, 51, pairs), rng.uniform(-4.5, 7.5, pairs)
    codes = rng.integers(0, len(SCHEDULES), pairs)
    result = benchmark(burning_hours, lat, lon, 2025, schedules=SCHEDULES, schedule_index=codes)
    assert (result.full_power_hours > 0).all()


@pytest.mark.parametrize("luminaires", _sizes([1_000, 100_000], cap=100_000))
def test_bench_assess_luminaires(benchmark, catalog, luminaires):
    rng = np.random.default_rng(1)
    n_za = 50
    za_lat, za_lon = rng.uniform(50.2, 50.5, n_za), rng.uniform(3.2, 3.7, n_za)
    za = rng.integers(0, n_za, luminaires)
    frame = pd.DataFrame({
        "za": pd.Categorical.from_codes(za, [f"ZA {i}" for i in range(n_za)]),
        "technology": rng.choice(["led", "hps", "metal_halide"], luminaires),
        "lamp_power_w": rng.choice([40.0, 70.0, 100.0, 150.0], luminaires),
        "installation_year": rng.integers(1995, 2025, luminaires),
        "latitude": za_lat[za], "longitude": za_lon[za],
        "schedule": rng.choice([s.id for s in SCHEDULES], luminaires),
    })
    schedules = {s.id: s for s in SCHEDULES}

    def run():
        lum = prepare_luminaires(frame, catalog=catalog, schedules=schedules)
        return evaluate_luminaires(lum, 2025, catalog=catalog)

    result = benchmark(run)
    assert result.footprint.quality.rows_assessed == luminaires
