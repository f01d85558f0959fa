"""The factor catalog: shipped files are complete and sourced; user files override or fail clearly."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import sobriete as sb
from sobriete.errors import CatalogError, DuplicateFactorError, UnitError, UnknownNameError
from sobriete.factors import TABLES, bundled_factors_dir
from sobriete.units import parse_unit

FACTOR_TABLES = [name for name, spec in TABLES.items() if "value" in spec.columns]


def raw(name: str) -> pd.DataFrame:
    return pd.read_csv(bundled_factors_dir() / f"{name}.csv", dtype=str, keep_default_na=False)


@pytest.mark.parametrize("name", list(TABLES))
def test_shipped_table_has_the_schema_columns(name):
    path = bundled_factors_dir() / f"{name}.csv"
    if not path.exists():
        pytest.skip(f"{name}.csv is not shipped")
    assert set(raw(name).columns) == set(TABLES[name].columns)


@pytest.mark.parametrize("name", FACTOR_TABLES)
def test_every_factor_row_has_a_known_source_a_parsable_unit_and_a_status(name):
    if not (bundled_factors_dir() / f"{name}.csv").exists():
        pytest.skip(f"{name}.csv is not shipped")
    table, sources = raw(name), set(raw("sources")["source_id"])
    assert not table.empty
    assert table["source_id"].isin(sources).all()
    assert table["status"].isin(["sourced", "derived", "assumption"]).all()
    assert (table.loc[table["status"] == "assumption", "note"].str.len() > 10).all(), "assumptions need reasoning"
    for unit in table["unit"].unique():
        parse_unit(unit)
    assert not table.duplicated(list(TABLES[name].key)).any()


def test_every_source_names_organisation_document_and_year():
    sources = raw("sources")
    assert sources["source_id"].is_unique
    assert (sources[["organisation", "document"]].apply(lambda c: c.str.len()) > 2).all().all()
    assert sources["year"].astype(int).between(1990, 2026).all()


def test_bundled_catalog_loads_with_version_and_hash(catalog):
    assert catalog.version and catalog.version != "unversioned"
    assert len(catalog.hash) == 64
    assert {"gwp"} <= set(catalog.criteria)
    assert catalog.criterion_units["gwp"] == "kgCO2e"


def test_issue_categories_are_all_in_the_catalog(catalog):
    wanted = {"laptop", "desktop", "thin_client", "monitor_small", "monitor", "monitor_large", "all_in_one",
              "smartphone", "mobile_phone", "tablet", "ip_phone", "printer_laser", "printer_inkjet",
              "printer_multifunction", "video_projector", "display_screen", "server_rack", "server_tower",
              "storage_nas", "network_switch", "router", "firewall", "wifi_access_point", "internet_box", "ups"}
    eq = catalog.equipment
    assert wanted <= set(eq.categories)
    assert np.isfinite(eq.lifetime_years).all() and (eq.lifetime_years > 0).all()
    assert np.isfinite(eq.energy_kwh_per_year).all()


@pytest.mark.parametrize("category, phase, value", [
    # ADEME publicodes-acv-numerique v2.2.0, src/acv-terminaux.publicodes (NegaOctet data), kgCO2e
    ("laptop", "manufacturing", 170.0), ("laptop", "distribution", 12.3), ("laptop", "end_of_life", 2.79),
    ("smartphone", "manufacturing", 77.0), ("tablet", "manufacturing", 80.5), ("monitor", "manufacturing", 64.6),
])
def test_published_ademe_device_values(catalog, category, phase, value):
    impacts = catalog.table("equipment_impacts").set_index(["category", "criterion", "phase"])
    assert impacts.loc[(category, "gwp", phase), "value"] == pytest.approx(value)


def test_published_ademe_profiles(catalog):
    eq = catalog.equipment
    energy = dict(zip(eq.categories, eq.energy_kwh_per_year))
    lifetime = dict(zip(eq.categories, eq.lifetime_years))
    # ADEME: laptop 26.5 W x 3 h/day x 365 = 29.0 kWh/yr; pro desktop 70 W x 6 h/day x 365 = 153.3
    assert energy["laptop"] == pytest.approx(29.0175, rel=1e-3)
    assert energy["desktop"] == pytest.approx(153.3, rel=1e-3)
    assert lifetime["laptop"] == 5 and lifetime["smartphone"] == 2.5 and lifetime["monitor"] == 6


@pytest.mark.parametrize("year, value", [(2019, 0.0607), (2020, 0.0599), (2021, 0.0569), (2022, 0.0520),
                                         (2023, 0.0580), (2024, 0.0519), (2025, 0.0461)])
def test_french_electricity_series(catalog, year, value):
    # ADEME Base Carbone V23.6 "Electricité - YYYY - mix moyen - consommation"; 2025 publicodes-commun
    grid = catalog.grid(year)
    assert grid.values[catalog.zones.get_loc("FR"), catalog.criteria.index("gwp")] == pytest.approx(value)


def test_public_lighting_electricity_falls_back_to_latest_year(catalog):
    grid = catalog.grid(2025, usage="public_lighting")
    fr = catalog.zones.get_loc("FR")
    assert grid.values[fr, catalog.criteria.index("gwp")] == pytest.approx(0.0638)  # 2023 saisonnalisée
    assert any("2023" in w for w in grid.warnings(["FR"]))


def test_reference_laptop_footprint_against_impact_co2(catalog):
    """ADEME Impact CO2 shows a laptop's use phase as 1.506 kgCO2e/year (29.0 kWh x 0.0519, the
    2024 mix): our engine must give the same, to the rounding of the published value."""
    fp = sb.assess_equipment(pd.DataFrame({"category": ["laptop"], "purchase_year": [2024]}), 2024, catalog=catalog)
    assert fp.total().loc["gwp", "use"] == pytest.approx(1.506, abs=5e-4)
    # and one year of the amortised embodied footprint is (170 + 12.3 + 2.79) / 5
    assert fp.total().loc["gwp", "embodied"] == pytest.approx((170 + 12.3 + 2.79) / 5)


# ---------------------------------------------------------------- user files
def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


HEADER = "category,criterion,phase,value,unit,low,high,source_id,status,note\n"


def test_user_file_overrides_and_adds(tmp_path, tiny_catalog):
    path = write(tmp_path, "mine.csv", HEADER + "laptop,gwp,manufacturing,0.2,tCO2e,,,test,sourced,supplier PCF\n"
                 "monitor,adpe,manufacturing,0.002,kgSbeq,,,test,sourced,\n")
    catalog = sb.load_catalog(path, directory=Path(__file__).parent / "data" / "tiny_factors")
    impacts = catalog.table("equipment_impacts").set_index(["category", "criterion", "phase"])
    assert impacts.loc[("laptop", "gwp", "manufacturing"), "value"] == pytest.approx(200.0)  # tonnes converted
    assert impacts.loc[("monitor", "adpe", "manufacturing"), "value"] == pytest.approx(0.002)
    assert len(impacts) == len(tiny_catalog.table("equipment_impacts")) + 1
    assert catalog.hash != tiny_catalog.hash and catalog.version.startswith("test-1+user.")
    assert catalog.overrides == (str(path),)


def test_duplicate_rows_in_one_file_are_an_error(tmp_path):
    path = write(tmp_path, "dup.csv", HEADER + "laptop,gwp,manufacturing,1,kgCO2e,,,test,sourced,\n"
                 "laptop,gwp,manufacturing,2,kgCO2e,,,test,sourced,\n")
    with pytest.raises(DuplicateFactorError, match=r"lines \[2, 3\]"):
        sb.load_catalog(path)


def test_bad_unit_names_file_row_and_column(tmp_path):
    path = write(tmp_path, "unit.csv", HEADER + "laptop,gwp,manufacturing,1,kWh,,,test,sourced,\n")
    with pytest.raises(UnitError) as info:
        sb.load_catalog(path, directory=Path(__file__).parent / "data" / "tiny_factors")
    assert "unit.csv" in str(info.value) and "row 2" in str(info.value) and "'unit'" in str(info.value)


@pytest.mark.parametrize("line, error, match", [
    ("toaster,gwp,manufacturing,1,kgCO2e,,,test,sourced,", UnknownNameError, "unknown category 'toaster'"),
    ("laptop,gwp,manufacturing,1,kgCO2e,,,nowhere,sourced,", UnknownNameError, "unknown source_id 'nowhere'"),
    ("laptop,gwp,use,1,kgCO2e,,,test,sourced,", CatalogError, "phase"),
    ("laptop,gwp,manufacturing,abc,kgCO2e,,,test,sourced,", CatalogError, "value"),
    ("laptop,gwp,manufacturing,5,kgCO2e,6,,test,sourced,", CatalogError, "low"),
    ("laptop,gwp,manufacturing,5,kgCO2e,,,test,assumption,", CatalogError, "reasoning"),
])
def test_invalid_rows_fail_with_a_clear_message(tmp_path, line, error, match):
    path = write(tmp_path, "equipment_impacts.csv", HEADER + line + "\n")
    with pytest.raises(error, match=match):
        sb.load_catalog(path, directory=Path(__file__).parent / "data" / "tiny_factors")


def test_unrecognised_file_is_an_error(tmp_path):
    path = write(tmp_path, "random.csv", "a,b\n1,2\n")
    with pytest.raises(CatalogError, match="cannot tell which factor table"):
        sb.load_catalog(path)
    with pytest.raises(CatalogError, match="not found"):
        sb.load_catalog(tmp_path / "missing.csv")


def test_source_caveats_are_reported_with_their_share(catalog):
    """ADEME says its end-of-life water data are unreliable: a footprint with end-of-life water
    says so, with that phase's share of the water total; one without it says nothing."""
    fp = sb.assess_equipment(pd.DataFrame({"category": ["laptop"], "purchase_year": [2025]}), 2025, catalog=catalog)
    (caveat,) = catalog.caveats(fp)
    water = fp.total().loc["water"]
    assert caveat.code == "caveat" and caveat.params["phase"] == "end_of_life"
    assert caveat.params["share"] == round(100 * water["end_of_life"] / water["total"])
    old = sb.assess_equipment(pd.DataFrame({"category": ["laptop"], "purchase_year": [2010]}), 2025, catalog=catalog)
    assert catalog.caveats(old) == []  # fully amortised: no end-of-life water left in 2025


# --------------------------------------------------------------------------- cache and factor ids (issue #9)
def test_load_catalog_is_cached_per_files_and_modification_times(tmp_path):
    import os
    import shutil

    folder = tmp_path / "factors"
    shutil.copytree("tests/data/tiny_factors", folder)
    first = sb.load_catalog(directory=folder)
    assert sb.load_catalog(directory=folder) is first
    impacts = folder / "equipment_impacts.csv"
    impacts.write_text(impacts.read_text(encoding="utf-8").replace("laptop,gwp,manufacturing,100,",
                                                                   "laptop,gwp,manufacturing,120,"), encoding="utf-8")
    stat = impacts.stat()
    os.utime(impacts, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    second = sb.load_catalog(directory=folder)
    assert second is not first
    assert second.equipment.embodied[0, 0, 0] == 120.0 and first.equipment.embodied[0, 0, 0] == 100.0


def test_a_cached_catalog_cannot_be_changed_through_its_views(tiny_catalog):
    table = tiny_catalog.table("equipment_impacts")
    table.loc[:, "value"] = 0.0
    assert tiny_catalog.table("equipment_impacts")["value"].iloc[0] == 100.0
    with pytest.raises(ValueError, match="read-only"):
        tiny_catalog.equipment.embodied[0, 0, 0] = 0.0
    with pytest.raises(TypeError):
        tiny_catalog.criterion_units["gwp"] = "t"
    factors = tiny_catalog.factor_table()
    factors["value"] = 0.0
    assert tiny_catalog.factor_table()["value"].iloc[0] == 100.0


def test_factor_table_has_one_row_per_factor_with_unit_source_and_range(tiny_catalog):
    table = tiny_catalog.factor_table().set_index("factor_id")
    assert table.index.is_unique
    assert list(tiny_catalog.factor_ids()) == list(table.index)
    monitor = table.loc["equipment_impacts/monitor/gwp/manufacturing"]
    assert (monitor["value"], monitor["low"], monitor["high"], monitor["unit"], monitor["source_id"]) == \
        (50.0, 40.0, 60.0, "kgCO2e", "test")
    assert table.loc["equipment_impacts/laptop/gwp/end_of_life", "value"] == 5.0  # 5000 g, canonical unit
    assert table.loc["electricity/DE/2020/mix/gwp", "value"] == pytest.approx(0.4)
    assert np.isnan(table.loc["equipment_parameters/laptop/lifetime", "low"])
    # 7 impacts + 5 parameters + 4 refurbished ratios + 4 electricity factors
    assert len(table) == 20


def test_every_shipped_factor_has_an_id_a_unit_and_a_source():
    table = sb.load_catalog().factor_table()
    assert table["factor_id"].is_unique
    assert table["unit"].str.len().gt(0).all() and table["source_id"].str.len().gt(0).all()


def test_with_multipliers_scales_value_and_range(tiny_catalog):
    scaled = tiny_catalog.with_multipliers({"equipment_impacts/monitor/gwp/manufacturing": 1.5})
    row = scaled.factor_table().set_index("factor_id").loc["equipment_impacts/monitor/gwp/manufacturing"]
    assert (row["value"], row["low"], row["high"]) == (75.0, 60.0, 90.0)
    assert scaled.equipment.embodied[1, 0, 0] == 75.0
    assert tiny_catalog.equipment.embodied[1, 0, 0] == 50.0
    with pytest.raises(UnknownNameError, match="unknown factor id 'nope'"):
        tiny_catalog.with_multipliers({"nope": 2})
