"""The shipped lighting factor files validate (schema, units, sources) against the catalog rules."""

import shutil
from pathlib import Path

import pandas as pd

from sobriete import load_catalog

ROOT = Path(__file__).resolve().parents[2]


def test_shipped_lighting_files_validate(tmp_path):
    for path in (ROOT / "tests" / "data" / "tiny_factors").iterdir():
        shutil.copy(path, tmp_path / path.name)
    for name in ("lighting_technologies.csv", "lighting_parameters.csv"):
        shutil.copy(ROOT / "factors" / name, tmp_path / name)
    light_sources = pd.read_csv(ROOT / "factors" / "sources.csv", dtype=str, keep_default_na=False)
    light_sources = light_sources[light_sources["source_id"].str.startswith("light-")]
    assert len(light_sources) >= 5
    tiny = pd.read_csv(tmp_path / "sources.csv", dtype=str, keep_default_na=False)
    pd.concat([tiny, light_sources]).to_csv(tmp_path / "sources.csv", index=False)
    catalog = load_catalog(directory=tmp_path)
    table = catalog.table("lighting_technologies")
    assert set(table["technology"]) == {"led", "hps", "metal_halide", "mercury", "fluorescent"}
    gear = table[table["parameter"] == "gear_loss"].set_index("technology")["value"]
    assert gear["hps"] == 0.15 and gear["led"] == 0
    assert (table.loc[table["parameter"] == "lifetime", "value"] == 30).all()
    assert (table.loc[table["status"] == "assumption", "note"].str.len() > 50).all()
    assert catalog.table("lighting_parameters")["unit"].tolist() == ["EUR/kWh"]
