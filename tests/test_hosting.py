"""Hosting: hand-computed cases on the tiny catalog (server 1000 kgCO2e over 4 years,
2000 kWh/yr profile; PUE defaults colocation 1.5, cloud 1.2, none on premises; cloud spend
0.5 kgCO2e/EUR; FR grid 0.05 in 2024)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sobriete.errors import InputFormatError
from sobriete.hosting import assess_hosting, facility_energy_kwh


def gwp(fp, phase="total"):
    return float(fp.total().loc["gwp", phase])


def test_on_premises_servers_power_and_pue(net_catalog):
    rooms = pd.DataFrame({"kind": ["on_premises"], "servers": [2], "power_w": [500], "pue": [2.0],
                          "purchase_year": [2023]})
    fp = assess_hosting(rooms, 2024, catalog=net_catalog)
    assert fp.energy_kwh[0] == pytest.approx(2 * 500 * 8760 / 1000 * 2.0)
    assert gwp(fp, "use") == pytest.approx(17520 * 0.05)
    assert gwp(fp, "manufacturing") == pytest.approx(2 * 1000 / 4)  # 2024 is in the 4-year lifetime
    assert fp.quality.counts["servers_power_energy_rows"] == 1


def test_servers_without_power_use_the_catalog_profile(net_catalog):
    fp = assess_hosting(pd.DataFrame({"kind": ["colocation"], "servers": [3]}), 2024, catalog=net_catalog)
    assert fp.energy_kwh[0] == pytest.approx(3 * 2000 * 1.5)  # default colocation PUE
    assert fp.quality.counts["default_pue_rows"] == 1


def test_measured_energy_cooling_cloud_and_contracted_power(net_catalog):
    frame = pd.DataFrame({
        "site": ["m", "c", "i", "k"],
        "kind": ["colocation", "on_premises", "cloud", "colocation"],
        "it_energy_kwh": [1000, 1000, None, None], "cooling_kwh": [None, 300, None, None],
        "instance_hours": [None, None, 1000, None], "power_w": [None, None, 100, None],
        "contracted_kw": [None, None, None, 2]})
    t = assess_hosting(frame, 2024, catalog=net_catalog, by="site").table().set_index("site")
    assert t.loc["m", "energy_kwh"] == pytest.approx(1500.0)
    assert t.loc["c", "energy_kwh"] == pytest.approx(1300.0)  # measured overhead replaces the PUE
    assert t.loc["i", "energy_kwh"] == pytest.approx(1000 * 100 / 1000 * 1.2)
    assert t.loc["k", "energy_kwh"] == pytest.approx(2 * 8760 * 1.5)


def test_rows_without_servers_have_uncovered_embodied(net_catalog):
    fp = assess_hosting(pd.DataFrame({"kind": ["colocation"], "it_energy_kwh": [1000]}), 2024, catalog=net_catalog)
    assert not bool(fp.total().loc["gwp", "complete"])
    assert gwp(fp, "manufacturing") == 0.0
    assert fp.uncovered[0, 0, 0] == 1


def test_contracted_power_and_spend_are_labelled(net_catalog):
    frame = pd.DataFrame({"kind": ["colocation", "cloud"], "contracted_kw": [1, None], "spend_eur": [None, 1000]})
    fp = assess_hosting(frame, 2024, catalog=net_catalog)
    assert gwp(fp, "use") == pytest.approx(8760 * 1.5 * 0.05 + 1000 * 0.5)
    assert any("upper bound" in w for w in fp.quality.warnings)
    assert any("spend-based" in w for w in fp.quality.warnings)


def test_bad_rows_missing_pue_and_no_energy(net_catalog):
    frame = pd.DataFrame({"kind": ["on_premises", "colocation", "cloud", "garage", "colocation", "colocation"],
                          "it_energy_kwh": [1000, None, 50, 10, 10, -1], "pue": [None, None, 0.8, None, None, None],
                          "servers": [None, None, None, None, -2, None]})
    q = assess_hosting(frame, 2024, catalog=net_catalog).quality
    assert q.rows_read == q.rows_assessed + q.rows_rejected == 6
    assert dict(zip(q.rejected["row"], q.rejected["reason_code"])) == {
        0: "missing_pue", 1: "missing_energy", 2: "bad_pue", 3: "unknown_kind", 4: "negative_servers",
        5: "negative_it_energy_kwh"}


def test_spend_without_factor_is_rejected(tmp_path, network_dir):
    from sobriete.factors import load_catalog
    for path in network_dir.iterdir():
        if path.name != "hosting_spend.csv":
            (tmp_path / path.name).write_bytes(path.read_bytes())
    catalog = load_catalog(directory=tmp_path)
    q = assess_hosting(pd.DataFrame({"kind": ["cloud"], "spend_eur": [100]}), 2024, catalog=catalog).quality
    assert list(q.rejected["reason_code"]) == ["no_spend_factor"]


def test_missing_kind_column(net_catalog):
    with pytest.raises(InputFormatError, match="no 'kind' column"):
        assess_hosting(pd.DataFrame({"servers": [1]}), 2024, catalog=net_catalog)


@settings(max_examples=30, deadline=None)
@given(st.floats(0, 1e7), st.floats(1, 3), st.integers(1, 50))
def test_properties(net_catalog, it_kwh, pue, servers):
    assert facility_energy_kwh(2 * it_kwh, pue) == pytest.approx(2 * facility_energy_kwh(it_kwh, pue))
    one = assess_hosting(pd.DataFrame({"kind": ["on_premises"], "servers": [servers], "pue": [pue]}), 2024,
                         catalog=net_catalog)
    two = assess_hosting(pd.DataFrame({"kind": ["on_premises"], "servers": [2 * servers], "pue": [pue]}), 2024,
                         catalog=net_catalog)
    np.testing.assert_allclose(two.values, 2 * one.values)
    w = pd.DataFrame({"kind": ["on_premises"], "servers": [servers], "power_w": [1000.0], "pue": [pue]})
    kw = pd.DataFrame({"kind": ["colocation"], "contracted_kw": [servers * 1.0], "pue": [pue]})
    assert assess_hosting(w, 2024, catalog=net_catalog).energy_kwh[0] == pytest.approx(
        assess_hosting(kw, 2024, catalog=net_catalog).energy_kwh[0])
