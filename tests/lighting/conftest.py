"""Fixtures of the lighting tests: a tiny catalog with lighting rows, independent of other branches."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sobriete import load_catalog

ROOT = Path(__file__).resolve().parents[2]
TINY = ROOT / "tests" / "data" / "tiny_factors"

#: Hand-made public-lighting electricity factors: 0.2 kgCO2e/kWh for FR in 2024 (only), so a
#: 2025 assessment falls back to it; DE has none (average mix used).
PUBLIC_LIGHTING_ROWS = [
    "FR,2024,public_lighting,gwp,0.2,kgCO2e/kWh,,,test,sourced,",
    "FR,2024,public_lighting,adpe,0.000002,kgSbeq/kWh,,,test,sourced,",
]
#: Hand-made technologies: gear loss 10 % for hps, 0 for led; lifetime 20 years.
TECHNOLOGY_ROWS = """technology,parameter,value,unit,low,high,source_id,status,note
led,gear_loss,0,dimensionless,,,test,sourced,
hps,gear_loss,0.1,dimensionless,,,test,sourced,
metal_halide,gear_loss,10,percent,,,test,sourced,10 % written in percent to test conversion
mercury,gear_loss,0.15,dimensionless,,,test,sourced,
fluorescent,gear_loss,0.2,dimensionless,,,test,sourced,
led,lifetime,20,year,,,test,sourced,
hps,lifetime,20,year,,,test,sourced,
metal_halide,lifetime,20,year,,,test,sourced,
mercury,lifetime,20,year,,,test,sourced,
fluorescent,lifetime,20,year,,,test,sourced,
"""


@pytest.fixture(scope="session")
def lighting_factors_dir(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("lighting_factors")
    for path in TINY.iterdir():
        shutil.copy(path, folder / path.name)
    with open(folder / "electricity.csv", "a", encoding="utf-8") as handle:
        handle.write("\n".join(PUBLIC_LIGHTING_ROWS) + "\n")
    (folder / "lighting_technologies.csv").write_text(TECHNOLOGY_ROWS, encoding="utf-8")
    (folder / "lighting_parameters.csv").write_text(
        "parameter,value,unit,low,high,source_id,status,note\nenergy_price,0.25,EUR/kWh,,,test,sourced,\n",
        encoding="utf-8")
    return folder


@pytest.fixture(scope="session")
def lighting_catalog(lighting_factors_dir):
    return load_catalog(directory=lighting_factors_dir)


@pytest.fixture()
def toy_za() -> pd.DataFrame:
    """Two ZA: A has 10 hps 100 W + 2 led 40 W; B has 5 led 50 W (no coordinates: default location)."""
    return pd.DataFrame({
        "za": ["A", "A", "B"],
        "count": [10, 2, 5],
        "technology": ["SHP", "led", "LED"],
        "lamp_power_w": [100.0, 40.0, 50.0],
        "installation_year": [2000, 2020, 2020],
        "latitude": [50.35, 50.35, None],
        "longitude": [3.45, 3.45, None],
    })
