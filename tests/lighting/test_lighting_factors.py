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


def test_neighbouring_zones_have_yearly_digital4better_gwp():
    """Issue #8 item 15: values read in Digital4Better data/factor/country-yearly.csv at commit
    011fa68d, column gwp (the commit already cited for adpe)."""
    catalog = load_catalog()
    gwp = list(catalog.criteria).index("gwp")
    published_2024 = {"BE": 0.170801, "DE": 0.326911, "ES": 0.0979897, "GB": 0.178818}
    grid = catalog.grid(2024)
    for zone, value in published_2024.items():
        assert grid.values[catalog.zones.get_loc(zone), gwp] == value
        assert grid.source_year[catalog.zones.get_loc(zone), gwp] == 2024
    assert catalog.grid(2019).values[catalog.zones.get_loc("DE"), gwp] == 0.401854
    # the IEA values stay keyed on 2014 (assessments of 2014-2018), EU27 keeps only that one
    assert catalog.grid(2016).values[catalog.zones.get_loc("DE"), gwp] == 0.461
    assert catalog.grid(2024).values[catalog.zones.get_loc("EU27"), gwp] == 0.42
    table = catalog.table("electricity")
    d4b = table[(table["source_id"] == "digital4better-data-2024") & (table["criterion"] == "gwp")]
    assert len(d4b) == 8 * 6 and set(d4b["year"]) == set(range(2019, 2025))
    assert d4b["note"].str.contains("NOT an ADEME value").all()
    assert d4b["note"].str.contains("commit 011fa68d").all()


def test_the_ademe_documentation_on_per_use_factors_is_cited():
    sources = pd.read_csv(ROOT / "factors" / "sources.csv", dtype=str, keep_default_na=False).set_index("source_id")
    row = sources.loc["ademe-base-carbone-doc-electricite-usage"]
    assert row["organisation"] == "ADEME" and "mix" in row["notes"] and "2023" in row["notes"]
    assert "ademe-base-carbone-doc-electricite-usage" in (ROOT / "factors" / "GAPS.md").read_text(encoding="utf-8")
