"""Hosting: hand-computed cases on the tiny catalog (server 1000 kgCO2e over 4 years,
2000 kWh/yr profile; PUE defaults colocation 1.5, cloud 1.2, none on premises; cloud spend
0.5 kgCO2e/EUR; FR grid 0.05 in 2024)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sobriete.errors import InputFormatError, InputValueError, UnknownNameError
from sobriete.factors import load_catalog
from sobriete.hosting import assess_hosting, facility_energy_kwh, prepare_hosting
from sobriete.protocol import DOMAINS, Overrides, Prepared


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


# --------------------------------------------------------------------------- prepare once, evaluate many
ROOMS = pd.DataFrame({
    "site": ["a", "a", "b", "c", "d"],
    "kind": ["Salle  serveur", "colocation", "COLOCATION", "cloud", "on_premises"],
    "servers": [4, 10, None, None, 2], "power_w": [250, None, None, 100, None], "pue": [2.0, None, None, None, None],
    "it_energy_kwh": [None, None, 5000, None, None], "instance_hours": [None, None, None, 3000, None],
    "cooling_kwh": [None, None, None, None, 900], "purchase_year": [2022, 2024, None, None, None]})
ROOMS.loc[4, "it_energy_kwh"] = 3000.0


def modified_catalog(network_dir, tmp_path, table: str, rows: str):
    path = tmp_path / f"{table}.csv"
    path.write_text(rows, encoding="utf-8")
    return load_catalog(path, directory=network_dir)


def test_kinds_are_matched_through_the_name_normaliser(net_catalog):
    fp = assess_hosting(ROOMS, 2024, catalog=net_catalog, by="site")
    assert fp.quality.rows_rejected == 0
    assert fp.table().set_index("site").loc["a", "energy_kwh"] == pytest.approx(4 * 250 * 8.76 * 2.0
                                                                                  + 10 * 2000 * 1.5)


def test_evaluate_without_overrides_is_the_one_call_assessment(net_catalog):
    prepared = prepare_hosting(ROOMS, net_catalog, by="site")
    for year, allocation in ((2024, "amortised"), (2025, "at_purchase"), (2030, "amortised")):
        expected = assess_hosting(ROOMS, year, catalog=net_catalog, by="site", allocation=allocation)
        result = prepared.evaluate(year, allocation=allocation)
        np.testing.assert_array_equal(result.values, expected.values)
        np.testing.assert_array_equal(result.uncovered, expected.uncovered)
    assert DOMAINS["hosting"].prepare is prepare_hosting and DOMAINS["hosting"].item_key == "kind"
    assert isinstance(prepared, Prepared)


def test_quantity_multiplier_scales_the_whole_row(net_catalog):
    extensive = ["servers", "it_energy_kwh", "instance_hours", "cooling_kwh"]
    prepared = prepare_hosting(ROOMS, net_catalog, by="site")
    per_row = np.array([2.0, 0.5, 3.0, 1.0, 4.0])
    result = prepared.evaluate(2024, overrides=Overrides(quantity_multiplier=per_row))
    expected = assess_hosting(ROOMS.assign(**{c: ROOMS[c] * per_row for c in extensive}), 2024, catalog=net_catalog,
                              by="site")
    np.testing.assert_allclose(result.values, expected.values)
    colocation = prepared.evaluate(2024, overrides=Overrides(quantity_multiplier={"colocation": 3.0}))
    m = np.where(ROOMS["kind"].str.lower() == "colocation", 3.0, 1.0)
    expected = assess_hosting(ROOMS.assign(**{c: ROOMS[c] * m for c in extensive}), 2024, catalog=net_catalog,
                              by="site")
    np.testing.assert_allclose(colocation.values, expected.values)


def test_pue_energy_and_lifetime_overrides(net_catalog):
    prepared = prepare_hosting(ROOMS, net_catalog, by="site")
    pue = prepared.evaluate(2024, overrides=Overrides(extra={"pue": {"on_premises": 1.2, "colocation": 1.3}}))
    # rows of a kind take the scenario's PUE, the measured cooling (site d) is kept
    expected = assess_hosting(ROOMS.assign(pue=[1.2, 1.3, 1.3, None, None]), 2024, catalog=net_catalog, by="site")
    np.testing.assert_allclose(pue.values, expected.values)
    np.testing.assert_allclose(pue.energy_kwh, expected.energy_kwh)
    energy = prepared.evaluate(2024, overrides=Overrides(energy_multiplier=0.5))
    np.testing.assert_allclose(energy.energy_kwh, 0.5 * prepared.evaluate(2024).energy_kwh)
    np.testing.assert_allclose(energy.values[:, :, 0], prepared.evaluate(2024).values[:, :, 0])
    np.testing.assert_allclose(energy.values[:, :, 2], 0.5 * prepared.evaluate(2024).values[:, :, 2])  # use
    # 4 servers bought in 2022, lifetime 4 → 8 years: 2024 carries 1/8 of 1000 kgCO2e each
    longer = prepared.evaluate(2024, overrides=Overrides(lifetime_years={"on_premises": 8.0}))
    table = longer.table().set_index("site")
    assert table.loc["a", "manufacturing"] == pytest.approx(4 * 1000 / 8 + 10 * 1000 / 4)
    assert table.loc["d", "manufacturing"] == pytest.approx(2 * 1000 / 8)  # undated: steady state 1/8
    late = prepared.evaluate(2026, overrides=Overrides(lifetime_years=np.array([8.0, 4.0, 4.0, 4.0, 4.0])))
    assert late.table().set_index("site").loc["a", "manufacturing"] == pytest.approx(4 * 1000 / 8 + 10 * 1000 / 4)


def test_factor_and_grid_overrides_equal_a_modified_catalog(net_catalog, network_dir, tmp_path):
    prepared = prepare_hosting(ROOMS, net_catalog, by="site")
    header = "kind,parameter,value,unit,low,high,source_id,status,note\n"
    cases = [
        (Overrides(factor_multipliers={"hosting/colocation/pue": 1.2}), "hosting",
         header + "colocation,pue,1.8,dimensionless,,,test,sourced,\n"),
        (Overrides(factor_multipliers={"equipment_parameters/server_rack/lifetime": 2.0}), "equipment_parameters",
         "category,parameter,value,unit,low,high,source_id,status,note\nserver_rack,lifetime,8,year,,,test,sourced,\n"),
        (Overrides(factor_multipliers={"equipment_impacts/server_rack/gwp/manufacturing": 0.5}), "equipment_impacts",
         "category,criterion,phase,value,unit,low,high,source_id,status,note\n"
         "server_rack,gwp,manufacturing,500,kgCO2e,,,test,sourced,\n"),
        (Overrides(grid_factor={("FR", "gwp"): 0.2}), "electricity",
         "zone,year,usage,criterion,value,unit,low,high,source_id,status,note\nFR,2024,mix,gwp,0.2,kgCO2e/kWh,,,test,"
         "sourced,\n"),
    ]
    for overrides, table, rows in cases:
        expected = assess_hosting(ROOMS, 2024, catalog=modified_catalog(network_dir, tmp_path, table, rows), by="site")
        np.testing.assert_allclose(prepared.evaluate(2024, overrides=overrides).values, expected.values,
                                   err_msg=str(overrides))


def test_spend_factor_multiplier_equals_a_modified_catalog(net_catalog, network_dir, tmp_path):
    frame = pd.DataFrame({"kind": ["cloud", "colocation"], "spend_eur": [1000.0, None], "it_energy_kwh": [None, 100]})
    doubled = prepare_hosting(frame, net_catalog).evaluate(
        2024, overrides=Overrides(factor_multipliers={"hosting_spend/cloud/gwp": 2.0}))
    catalog = modified_catalog(network_dir, tmp_path, "hosting_spend", "kind,criterion,value,unit,low,high,source_id,"
                               "status,note\ncloud,gwp,1.0,kgCO2e/EUR,,,test,sourced,\n")
    np.testing.assert_allclose(doubled.values, assess_hosting(frame, 2024, catalog=catalog).values)
    assert gwp(doubled, "use") == pytest.approx(1000 * 1.0 + 100 * 1.5 * 0.05)


def test_hosting_override_errors(net_catalog):
    prepared = prepare_hosting(ROOMS, net_catalog)
    with pytest.raises(InputValueError, match="pue"):
        prepared.evaluate(2024, overrides=Overrides(extra={"pue": 0.9}))
    with pytest.raises(UnknownNameError, match="garage"):
        prepared.evaluate(2024, overrides=Overrides(quantity_multiplier={"garage": 2.0}))


def test_rejected_rows_stay_out_of_every_evaluation(net_catalog):
    frame = pd.DataFrame({"site": ["a", "b", "c", "d"], "kind": ["cloud", "garage", "colocation", "cloud"],
                          "it_energy_kwh": [10.0, 5.0, 7.0, -1.0]})
    prepared = prepare_hosting(frame, net_catalog, by="site")
    assert prepared.quality.rows_rejected == 2 and len(prepared.cells.kind) == 2
    assert prepared.evaluate(2024).energy_kwh.tolist() == pytest.approx([10 * 1.2, 7 * 1.5])
    tripled = prepared.evaluate(2024, overrides=Overrides(quantity_multiplier=np.array([1.0, 9.0, 3.0, 9.0])))
    assert tripled.energy_kwh.tolist() == pytest.approx([10 * 1.2, 3 * 7 * 1.5])
    assert list(tripled.keys["site"]) == ["a", "c"]


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["on_premises", "colocation", "cloud", "garage"]),
                          st.one_of(st.none(), st.floats(-10, 1e5)), st.one_of(st.none(), st.integers(0, 20)),
                          st.one_of(st.none(), st.integers(2015, 2026)), st.sampled_from(["a", "b", "c"]),
                          st.floats(0, 4)), min_size=1, max_size=15), st.integers(2024, 2030))
def test_per_row_multipliers_equal_the_modified_input(net_catalog, rows, year):
    kind, it_kwh, servers, purchase, site, multiplier = map(list, zip(*rows))
    frame = pd.DataFrame({"kind": kind, "it_energy_kwh": it_kwh, "servers": servers, "purchase_year": purchase,
                          "site": site}).astype({"it_energy_kwh": float, "servers": float, "purchase_year": float})
    m = np.array(multiplier)
    result = prepare_hosting(frame, net_catalog, by="site").evaluate(year, overrides=Overrides(quantity_multiplier=m))
    # a rejected row (negative energy) stays rejected whatever its multiplier: -1 x 0 would read as valid
    kwh = frame["it_energy_kwh"].where(frame["it_energy_kwh"] < 0, frame["it_energy_kwh"] * m)
    expected = assess_hosting(frame.assign(it_energy_kwh=kwh, servers=frame["servers"] * m),
                              year, catalog=net_catalog, by="site")
    assert result.quality.rows_rejected == expected.quality.rows_rejected
    np.testing.assert_allclose(result.values, expected.values, rtol=1e-9, atol=1e-6)


def test_rows_whose_energy_would_overflow_are_rejected_and_totals_stay_finite(net_catalog):
    """Issue #8 item 1: 1e300 servers × 1e300 W, a PUE of 1e300, 1e308 kWh: rejected rows (reason
    ``overflow``), the other rows assessed, no warning from numpy, finite totals."""
    import warnings

    frame = pd.DataFrame({"kind": ["on_premises", "colocation", "cloud", "cloud"], "servers": [1e300, 2, 1, np.nan],
                          "power_w": [1e300, 300, 100, np.nan], "it_energy_kwh": [np.nan, np.nan, 1e308, 10.0],
                          "pue": [1.5, 1e300, 1.2, np.nan]})
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fp = assess_hosting(frame, 2024, catalog=net_catalog)
    assert fp.quality.rejected["row"].tolist() == [0, 1, 2]
    assert set(fp.quality.rejected["reason_code"]) == {"overflow"}
    assert np.isfinite(fp.values).all()
    alone = assess_hosting(frame.iloc[[3]], 2024, catalog=net_catalog)
    np.testing.assert_allclose(fp.values.sum(axis=0), alone.values.sum(axis=0))
