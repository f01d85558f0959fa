"""Network: hand-computed traffic and line footprints on the tiny catalog (see conftest.py).

Tiny factors: box 60 kgCO2e over 5 years (10 manufacturing + 1 distribution + 1 end of life
per year) and 100 kWh/yr; infrastructure 20 kgCO2e/yr per fixed line, 3 (+2 use) per mobile
line; access energy ftth 10, adsl/vdsl 40 kWh/yr, cable unknown; FR grid 0.05 (2024), 0.1 (2025).
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sobriete.errors import CatalogError, InputFormatError, InputValueError, UnknownNameError
from sobriete.factors import load_catalog
from sobriete.protocol import DOMAINS, Overrides, Prepared
from sobriete.network import (
    NETWORK_MODELS, assess_lines, assess_network, assess_traffic, copper_switch_off, line_factors, prepare_lines,
    prepare_traffic, to_gigabytes,
    traffic_factors,
)


def gwp(fp, phase="total"):
    return float(fp.total().loc["gwp", phase])


# --------------------------------------------------------------------------- traffic
def test_traffic_per_gb_hand_computed(net_catalog):
    traffic = pd.DataFrame({"network": ["fixed", "mobile"], "volume": [1, 500], "unit": ["TB", "MB"]})
    fp = assess_traffic(traffic, 2025, catalog=net_catalog, model="per_gb")
    # 1000 GB × 8 g (2024 factor, the latest up to 2025) + 0.5 GB × 20 g
    assert gwp(fp) == pytest.approx(8.0 + 0.01)
    assert gwp(fp, "use") == pytest.approx(gwp(fp))
    assert fp.meta["basis"] == "total"


def test_traffic_combined_uses_marginal_factors(net_catalog):
    traffic = pd.DataFrame({"network": ["fixed", "mobile"], "volume_gb": [1000.0, 100.0]})
    fp = assess_traffic(traffic, 2025, catalog=net_catalog, model="combined")
    assert gwp(fp) == pytest.approx(1000 * 0.002 + 100 * 0.010)


def test_traffic_factor_year_selection(net_catalog):
    assert traffic_factors(net_catalog, 2022, basis="total").values[0, 0, 0] == pytest.approx(0.010)
    assert traffic_factors(net_catalog, 2024, basis="total").values[0, 0, 0] == pytest.approx(0.008)
    traffic = pd.DataFrame({"network": ["fixed"], "volume_gb": [100.0]})
    early = assess_traffic(traffic, 2019, catalog=net_catalog, model="per_gb")
    assert gwp(early) == pytest.approx(1.0)  # earliest factor (2020) used, with a warning
    assert any("earliest one (2020)" in w for w in early.quality.warnings)


def test_gigabytes_are_decimal_as_in_ademe():
    assert to_gigabytes(1.0, "To") == pytest.approx(1000.0)
    assert to_gigabytes(1.0, "TB") == to_gigabytes(1000.0, "GB")
    assert to_gigabytes(1000.0, "Mo") == pytest.approx(1.0)
    assert to_gigabytes(1.0, "GiB") == pytest.approx(2**30 / 1e9)


def test_unit_invariance_between_volume_columns(net_catalog):
    a = pd.DataFrame({"network": ["fixed", "fixed", "mobile"], "volume": [1, 2500, 750000], "unit": ["To", "Go", "Mo"]})
    b = pd.DataFrame({"network": ["fixed", "fixed", "mobile"], "volume_gb": [1000.0, 2500.0, 750.0]})
    c = pd.DataFrame({"network": ["fixed", "fixed", "mobile"], "volume_tb": [1.0, 2.5, 0.75]})
    results = [gwp(assess_traffic(f, 2025, catalog=net_catalog, model="per_gb")) for f in (a, b, c)]
    assert results[0] == pytest.approx(results[1]) == pytest.approx(results[2])


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 1e6), st.sampled_from(["MB", "GB", "TB", "Mo", "Go", "To"]),
                          st.sampled_from(["fixed", "mobile"])), min_size=1, max_size=20))
def test_properties_units_and_linearity(net_catalog, rows):
    volume, unit, network = map(list, zip(*rows))
    frame = pd.DataFrame({"network": network, "volume": volume, "unit": unit})
    in_gb = frame.assign(volume_gb=to_gigabytes(frame["volume"], frame["unit"])).drop(columns=["volume", "unit"])
    base = gwp(assess_traffic(frame, 2025, catalog=net_catalog, model="per_gb"))
    assert gwp(assess_traffic(in_gb, 2025, catalog=net_catalog, model="per_gb")) == pytest.approx(base, rel=1e-9)
    doubled = frame.assign(volume=frame["volume"] * 2)
    assert gwp(assess_traffic(doubled, 2025, catalog=net_catalog, model="per_gb")) == pytest.approx(2 * base,
                                                                                                    rel=1e-9)


def test_traffic_bad_rows_are_rejected_with_reasons(net_catalog):
    traffic = pd.DataFrame({"network": ["fixed", "fixed", "satellite", "mobile", "fixed"],
                            "volume": [10, -5, 3, "beaucoup", 2], "unit": ["Go", "Go", "Go", "Go", "kWh"]})
    fp = assess_traffic(traffic, 2025, catalog=net_catalog, model="per_gb")
    q = fp.quality
    assert (q.rows_read, q.rows_assessed, q.rows_rejected) == (5, 1, 4)
    reasons = dict(zip(q.rejected["row"], q.rejected["reason_code"]))
    assert reasons == {1: "negative_volume", 2: "unknown_network", 3: "bad_volume", 4: "bad_unit"}
    assert "valid choices: fixed, mobile" in q.rejected.loc[q.rejected["row"] == 2, "reason"].iloc[0]
    assert gwp(fp) == pytest.approx(10 * 0.008)


def test_traffic_missing_columns_are_clear_errors(net_catalog):
    with pytest.raises(InputFormatError, match="no 'network' column"):
        assess_traffic(pd.DataFrame({"volume_gb": [1.0]}), 2025, catalog=net_catalog)
    with pytest.raises(InputFormatError, match="'unit' column"):
        assess_traffic(pd.DataFrame({"network": ["fixed"], "volume": [1.0]}), 2025, catalog=net_catalog)
    with pytest.raises(UnknownNameError, match="valid choices: combined, per_gb"):
        assess_traffic(pd.DataFrame({"network": ["fixed"], "volume_gb": [1.0]}), 2025, catalog=net_catalog,
                       model="per_byte")


# --------------------------------------------------------------------------- lines
def test_lines_hand_computed(net_catalog):
    lines = pd.DataFrame({"commune": ["A", "A", "B"], "technology": ["Fibre", "adsl", "4G"], "count": [1, 1, 10]})
    fp = assess_lines(lines, 2024, catalog=net_catalog, by="commune")
    a = fp.table("gwp").set_index("commune")
    # ftth: 20 + 10 box manufacturing; adsl the same
    assert a.loc["A", "manufacturing"] == pytest.approx(60.0)
    assert a.loc["A", "distribution"] == pytest.approx(2.0)
    assert a.loc["A", "end_of_life"] == pytest.approx(2.0)
    assert a.loc["A", "use"] == pytest.approx((10 + 100 + 40 + 100) * 0.05)
    assert a.loc["A", "energy_kwh"] == pytest.approx(250.0)
    # 4G: 3 infrastructure + 2 use per line, no box, no kWh
    assert a.loc["B", "total"] == pytest.approx(50.0)
    assert a.loc["B", "energy_kwh"] == 0.0
    assert fp.quality.counts["lines"] == 12


def test_lines_box_comes_from_the_equipment_catalog(net_catalog):
    factors = line_factors(net_catalog)
    box = net_catalog.equipment.categories.get_loc("internet_box")
    assert factors.box_energy_kwh == net_catalog.equipment.energy_kwh_per_year[box] == 100.0
    assert factors.box_per_year[0, 0] == pytest.approx(50.0 / 5)


def test_lines_doubling_count_doubles_impact(net_catalog):
    lines = pd.DataFrame({"technology": ["ftth", "vdsl", "mobile_4g"], "count": [3, 2, 7]})
    one = assess_lines(lines, 2025, catalog=net_catalog).values
    two = assess_lines(lines.assign(count=lines["count"] * 2), 2025, catalog=net_catalog).values
    np.testing.assert_allclose(two, 2 * one)


def test_lines_unknown_technology_and_negative_count(net_catalog):
    lines = pd.DataFrame({"technology": ["ftth", "RNIS", "adsl", None], "count": [1, 1, -2, 1]})
    q = assess_lines(lines, 2025, catalog=net_catalog).quality
    assert (q.rows_assessed, q.rows_rejected) == (1, 3)
    assert list(q.rejected["reason_code"]) == ["unknown_technology", "negative_count", "missing_technology"]
    assert "RNIS" in list(q.rejected["value"])


def test_lines_without_access_energy_are_a_lower_bound(net_catalog):
    fp = assess_lines(pd.DataFrame({"technology": ["cable"]}), 2024, catalog=net_catalog)
    assert not bool(fp.total().loc["gwp", "complete"])
    assert gwp(fp, "use") == pytest.approx(100 * 0.05)  # the box only
    assert "gwp (use): the access network has neither an electricity figure nor a use-phase factor for gwp " \
        "(1 row(s)): only the boxes' electricity is counted, a lower bound" in fp.quality.warnings


def test_lines_need_the_box_category(tmp_path, network_dir):
    for path in network_dir.iterdir():
        text = path.read_text(encoding="utf-8")
        if path.name.startswith("equipment_"):
            text = "".join(line for line in text.splitlines(keepends=True) if not line.startswith("internet_box"))
        (tmp_path / path.name).write_text(text, encoding="utf-8")
    with pytest.raises(CatalogError, match="internet_box"):
        assess_lines(pd.DataFrame({"technology": ["ftth"]}), 2024, catalog=load_catalog(directory=tmp_path))


# --------------------------------------------------------------------------- models
def test_combined_is_the_sum_of_its_parts(net_catalog):
    lines = pd.DataFrame({"site": ["x", "y"], "technology": ["ftth", "mobile_4g"], "count": [2, 5]})
    traffic = pd.DataFrame({"site": ["x", "y"], "network": ["fixed", "mobile"], "volume_gb": [3000.0, 400.0]})
    combined = assess_network(2025, traffic=traffic, lines=lines, catalog=net_catalog, by="site")
    parts = (assess_lines(lines, 2025, catalog=net_catalog, by="site").values
             + assess_traffic(traffic, 2025, catalog=net_catalog, by="site", model="combined").values)
    np.testing.assert_allclose(combined.values, parts)
    assert combined.meta["model"] == "combined"
    assert combined.quality.rows_read == 4


def test_models_use_their_inputs(net_catalog):
    lines = pd.DataFrame({"technology": ["ftth"]})
    traffic = pd.DataFrame({"network": ["fixed"], "volume_gb": [1000.0]})
    per_gb = assess_network(2025, traffic=traffic, lines=lines, catalog=net_catalog, model="per_gb")
    assert gwp(per_gb) == pytest.approx(8.0)
    assert any("per_gb model" in w for w in per_gb.quality.warnings)
    per_line = assess_network(2025, traffic=traffic, lines=lines, catalog=net_catalog, model="per_line")
    assert gwp(per_line) == pytest.approx(gwp(assess_lines(lines, 2025, catalog=net_catalog)))
    with pytest.raises(UnknownNameError, match="per_line"):
        assess_network(2025, lines=lines, catalog=net_catalog, model="flat")
    assert NETWORK_MODELS[0] == "combined"


# --------------------------------------------------------------------------- copper switch-off
def test_copper_switch_off_toy_commune(net_catalog):
    lines = pd.DataFrame({"commune": ["A", "A", "B"], "technology": ["ADSL", "ftth", "ftth"], "count": [3, 1, 2]})
    result = copper_switch_off(lines, 2024, catalog=net_catalog)
    table = result.table().set_index("commune")
    # A before: 3 adsl × (32 + 140 × 0.05) + 1 ftth × (32 + 110 × 0.05) = 3 × 39 + 37.5
    assert table.loc["A", "before"] == pytest.approx(154.5)
    assert table.loc["A", "after"] == pytest.approx(4 * 37.5)
    assert table.loc["A", "delta"] == pytest.approx(-3 * 30 * 0.05)
    assert table.loc["A", "switched_lines"] == 3
    assert table.loc["B", "delta"] == pytest.approx(0.0)
    assert table.loc["B", "switched_lines"] == 0
    np.testing.assert_allclose(result.delta.values, result.after.values - result.before.values)


def test_copper_switch_off_partial_share(net_catalog):
    lines = pd.DataFrame({"commune": ["A"], "technology": ["vdsl"], "count": [4]})
    half = copper_switch_off(lines, 2025, catalog=net_catalog, technologies=("vdsl",), share=0.5)
    assert half.table()["delta"].iloc[0] == pytest.approx(-2 * 30 * 0.1)
    assert half.table()["switched_lines"].iloc[0] == 2
    with pytest.raises(UnknownNameError):
        copper_switch_off(lines, 2025, catalog=net_catalog, to="fibre_optique")


def test_bundled_network_factors_reproduce_published_values():
    """ADEME 2024: 50.1 kgCO2e per fixed subscription and year = our infrastructure share + box
    + 21.4 % use; the derived infrastructure row must give back the published non-use part."""
    catalog = load_catalog()
    f = line_factors(catalog)
    ftth = f.technologies.get_loc("ftth")
    non_use = f.per_line_total()[ftth, 0, [0, 1, 3]].sum()
    assert non_use == pytest.approx(50.1 * (1 - 0.214), rel=1e-4)
    assert traffic_factors(catalog, 2025, basis="total").values[catalog.zones.get_loc("FR"), 0, 0] == \
        pytest.approx(9.26934695867389e-3)


# --------------------------------------------------------------------------- prepare once, evaluate many
def modified_catalog(network_dir, tmp_path, table: str, rows: str):
    """The tiny network catalog with ``rows`` (CSV, with header) overriding rows of ``table``."""
    path = tmp_path / f"{table}.csv"
    path.write_text(rows, encoding="utf-8")
    return load_catalog(path, directory=network_dir)


LINE_PARAMETERS = "technology,parameter,value,unit,low,high,source_id,status,note\n"
LINES = pd.DataFrame({"commune": ["A", "A", "B", "B", "C"], "technology": ["adsl", "ftth", "vdsl", "mobile_4g", "adsl"],
                      "count": [3.0, 1.0, 2.0, 10.0, 4.0]})
TRAFFIC = pd.DataFrame({"commune": ["A", "A", "B"], "network": ["fixed", "mobile", "fixed"],
                        "volume_gb": [1000.0, 100.0, 500.0]})


def test_typed_names_are_matched_like_everywhere_else(net_catalog):
    net = load_catalog()
    lines = pd.DataFrame({"technology": ["FIBRE DEDIÉE", "Fibre  Optique", "adsl_2+", " VDSL2 "],
                          "count": [1, 1, 1, 1]})
    fp = assess_lines(lines, 2025, catalog=net)
    assert fp.quality.rows_rejected == 0
    assert fp.energy_kwh[0] == pytest.approx(assess_lines(pd.DataFrame({
        "technology": ["fibre_pro", "ftth", "adsl", "vdsl"]}), 2025, catalog=net).energy_kwh[0])
    traffic = pd.DataFrame({"network": ["Internet  FIXE", "Wi-Fi", "4G"], "volume_gb": [1.0, 1.0, 1.0]})
    assert assess_traffic(traffic, 2025, catalog=net_catalog).quality.rows_rejected == 0


def test_evaluate_without_overrides_is_the_one_call_assessment(net_catalog):
    prepared = prepare_lines(LINES, net_catalog, by="commune")
    for year in (2024, 2025):
        np.testing.assert_array_equal(prepared.evaluate(year).values,
                                      assess_lines(LINES, year, catalog=net_catalog, by="commune").values)
    traffic = prepare_traffic(TRAFFIC, net_catalog, by="commune")
    for model in ("combined", "per_gb"):
        np.testing.assert_array_equal(traffic.evaluate(2025, model=model).values,
                                      assess_traffic(TRAFFIC, 2025, catalog=net_catalog, by="commune",
                                                     model=model).values)
    assert prepared.quality.rows_read == 5 and prepared.by == ("commune",)


def test_registered_domains_follow_the_protocol(net_catalog):
    for name, frame in (("lines", LINES), ("traffic", TRAFFIC)):
        prepared = DOMAINS[name].prepare(frame, net_catalog, by=["commune"])
        assert isinstance(prepared, Prepared) and prepared.domain == name
        assert prepared.evaluate(2025).quality.rows_assessed == len(frame)
    assert (DOMAINS["lines"].item_key, DOMAINS["traffic"].item_key) == ("technology", "network")


@settings(max_examples=25, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ftth", "adsl", "vdsl", "mobile_4g", "cable"]), st.floats(0, 1e4),
                          st.sampled_from(["A", "B"])), min_size=1, max_size=12), st.floats(0, 5))
def test_lines_are_linear_in_count(net_catalog, rows, factor):
    technology, count, commune = map(list, zip(*rows))
    frame = pd.DataFrame({"technology": technology, "count": count, "commune": commune})
    one = assess_lines(frame, 2025, catalog=net_catalog, by="commune")
    scaled = assess_lines(frame.assign(count=frame["count"] * factor), 2025, catalog=net_catalog, by="commune")
    np.testing.assert_allclose(scaled.values, factor * one.values, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(scaled.energy_kwh, factor * one.energy_kwh, rtol=1e-9, atol=1e-9)
    multiplied = prepare_lines(frame, net_catalog, by="commune").evaluate(
        2025, overrides=Overrides(quantity_multiplier=factor))
    np.testing.assert_allclose(multiplied.values, scaled.values, rtol=1e-9, atol=1e-9)


def test_line_quantity_multipliers_equal_the_modified_input(net_catalog):
    prepared = prepare_lines(LINES, net_catalog, by="commune")
    per_row = np.array([2.0, 0.5, 0.0, 3.0, 1.0])
    by_row = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=per_row))
    expected = assess_lines(LINES.assign(count=LINES["count"] * per_row), 2025, catalog=net_catalog, by="commune")
    np.testing.assert_allclose(by_row.values, expected.values)
    by_item = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier={"adsl": 2.0}))
    scaled = LINES["count"] * np.where(LINES["technology"] == "adsl", 2.0, 1.0)
    np.testing.assert_allclose(by_item.values, assess_lines(LINES.assign(count=scaled), 2025, catalog=net_catalog,
                                                            by="commune").values)
    assert by_item.quality.counts["lines"] == 3 * 2 + 1 + 2 + 10 + 4 * 2


def test_line_factor_energy_lifetime_and_grid_overrides_equal_a_modified_catalog(net_catalog, network_dir,
                                                                                  tmp_path):
    prepared = prepare_lines(LINES, net_catalog, by="commune")
    cases = [
        (Overrides(factor_multipliers={"network_line_parameters/adsl/access_energy": 1.5}),
         "network_line_parameters", LINE_PARAMETERS + "adsl,access_energy,60,kWh/year,,,test,sourced,\n"),
        (Overrides(factor_multipliers={"network_lines/vdsl/gwp/manufacturing": 0.5}),
         "network_lines", "technology,criterion,phase,value,unit,low,high,source_id,status,note\n"
                          "vdsl,gwp,manufacturing,10,kgCO2e/year,,,test,sourced,\n"),
        (Overrides(lifetime_years=10.0), "equipment_parameters",
         "category,parameter,value,unit,low,high,source_id,status,note\n"
         "internet_box,lifetime,10,year,,,test,sourced,\n"),
        (Overrides(factor_multipliers={"equipment_impacts/internet_box/gwp/end_of_life": 3.0}), "equipment_impacts",
         "category,criterion,phase,value,unit,low,high,source_id,status,note\n"
         "internet_box,gwp,end_of_life,15,kgCO2e,,,test,sourced,\n"),
        (Overrides(factor_multipliers={"equipment_parameters/internet_box/annual_energy": 0.3}),
         "equipment_parameters", "category,parameter,value,unit,low,high,source_id,status,note\n"
                                 "internet_box,annual_energy,30,kWh/year,,,test,sourced,\n"),
        (Overrides(grid_factor={"gwp": 0.3}), "electricity",
         "zone,year,usage,criterion,value,unit,low,high,source_id,status,note\nFR,2025,mix,gwp,0.3,kgCO2e/kWh,,,test,"
         "sourced,\n"),
        (Overrides(factor_multipliers={"electricity/FR/2025/mix/gwp": 2.0}), "electricity",
         "zone,year,usage,criterion,value,unit,low,high,source_id,status,note\nFR,2025,mix,gwp,0.2,kgCO2e/kWh,,,test,"
         "sourced,\n"),
    ]
    for overrides, table, rows in cases:
        expected = assess_lines(LINES, 2025, catalog=modified_catalog(network_dir, tmp_path, table, rows), by="commune")
        result = prepared.evaluate(2025, overrides=overrides)
        np.testing.assert_allclose(result.values, expected.values, err_msg=str(overrides))
        np.testing.assert_allclose(result.energy_kwh, expected.energy_kwh)


def test_line_energy_multiplier_equals_a_catalog_with_less_electricity(net_catalog, network_dir, tmp_path):
    """Halving the lines' electricity = access energy and box electricity halved in the catalog."""
    access = tmp_path / "network_line_parameters.csv"
    access.write_text(LINE_PARAMETERS + "".join(f"{t},access_energy,{v},kWh/year,,,test,sourced,\n"
                                                 for t, v in (("ftth", 5), ("adsl", 20), ("vdsl", 20))),
                      encoding="utf-8")
    box = tmp_path / "equipment_parameters.csv"
    box.write_text("category,parameter,value,unit,low,high,source_id,status,note\n"
                   "internet_box,annual_energy,50,kWh/year,,,test,sourced,\n", encoding="utf-8")
    expected = assess_lines(LINES, 2025, catalog=load_catalog(access, box, directory=network_dir), by="commune")
    result = prepare_lines(LINES, net_catalog, by="commune").evaluate(2025, overrides=Overrides(energy_multiplier=0.5))
    np.testing.assert_allclose(result.values, expected.values)
    np.testing.assert_allclose(result.energy_kwh, expected.energy_kwh)
    rows = prepare_lines(LINES, net_catalog, by="commune").evaluate(
        2025, overrides=Overrides(energy_multiplier=np.full(len(LINES), 0.5)))
    np.testing.assert_allclose(rows.values, expected.values)


def test_prepared_inputs_cross_process_boundaries(net_catalog):
    import pickle

    prepared = prepare_lines(LINES, net_catalog, by="commune")
    copy = pickle.loads(pickle.dumps(prepared))
    np.testing.assert_array_equal(copy.evaluate(2025).values, prepared.evaluate(2025).values)
    switch = pickle.loads(pickle.dumps(copper_switch_off(LINES, 2025, catalog=net_catalog)))
    assert switch.table()["switched_lines"].sum() == 3 + 2 + 4


def test_line_energy_multiplier_and_hand_computed_lifetime(net_catalog):
    adsl = pd.DataFrame({"technology": ["adsl"], "count": [1.0]})
    prepared = prepare_lines(adsl, net_catalog)
    half = prepared.evaluate(2024, overrides=Overrides(energy_multiplier={"adsl": 0.5}))
    assert half.energy_kwh[0] == pytest.approx(0.5 * (40 + 100))
    assert gwp(half, "use") == pytest.approx(0.5 * 140 * 0.05)
    assert gwp(half, "manufacturing") == pytest.approx(30.0)  # embodied unchanged
    longer = prepared.evaluate(2024, overrides=Overrides(lifetime_years=10.0))
    # infrastructure 20 + box 50/10; distribution and end of life 5/10 each; use (40 + 100) × 0.05
    assert gwp(longer, "manufacturing") == pytest.approx(25.0)
    assert gwp(longer, "end_of_life") == pytest.approx(0.5)
    assert gwp(longer) == pytest.approx(25.0 + 0.5 + 0.5 + 7.0)


def test_technology_switch_equals_the_switched_input(net_catalog):
    prepared = prepare_lines(LINES, net_catalog, by="commune")
    switched = prepared.evaluate(2025, overrides=Overrides(extra={"technology_switch": {"ADSL": "ftth"}}))
    expected = assess_lines(LINES.replace({"technology": {"adsl": "ftth"}}), 2025, catalog=net_catalog, by="commune")
    np.testing.assert_allclose(switched.values, expected.values)
    np.testing.assert_allclose(switched.uncovered, expected.uncovered)
    partial = prepared.evaluate(2025, overrides=Overrides(extra={"technology_switch": {"adsl": "ftth"},
                                                                 "switch_share": 0.25}))
    adsl = LINES["technology"] == "adsl"
    split = pd.concat([LINES.assign(count=np.where(adsl, LINES["count"] * 0.75, LINES["count"])),
                       LINES[adsl].assign(technology="ftth", count=LINES.loc[adsl, "count"] * 0.25)])
    np.testing.assert_allclose(partial.values, assess_lines(split, 2025, catalog=net_catalog, by="commune").values)
    with pytest.raises(UnknownNameError, match="line technology"):
        prepared.evaluate(2025, overrides=Overrides(extra={"technology_switch": {"adsl": "pigeon"}}))


def test_traffic_overrides_equal_the_modified_input(net_catalog, network_dir, tmp_path):
    prepared = prepare_traffic(TRAFFIC, net_catalog, by="commune")
    mobile = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier={"mobile": 3.0}), model="per_gb")
    scaled = TRAFFIC.assign(volume_gb=TRAFFIC["volume_gb"] * np.where(TRAFFIC["network"] == "mobile", 3.0, 1.0))
    np.testing.assert_allclose(mobile.values, assess_traffic(scaled, 2025, catalog=net_catalog, by="commune",
                                                             model="per_gb").values)
    rows = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=np.array([0.0, 2.0, 1.0])),
                             model="per_gb")
    np.testing.assert_allclose(rows.values, assess_traffic(TRAFFIC.assign(volume_gb=[0.0, 200.0, 500.0]), 2025,
                                                           catalog=net_catalog, by="commune", model="per_gb").values)
    factor = prepared.evaluate(2025, overrides=Overrides(
        factor_multipliers={"network_traffic/FR/fixed/total/2024/gwp": 0.5}), model="per_gb")
    catalog = modified_catalog(network_dir, tmp_path, "network_traffic",
                               "zone,network,basis,year,criterion,value,unit,low,high,source_id,status,note\n"
                               "FR,fixed,total,2024,gwp,4,gCO2e/GB,,,test,sourced,\n")
    np.testing.assert_allclose(factor.values, assess_traffic(TRAFFIC, 2025, catalog=catalog, by="commune",
                                                             model="per_gb").values)
    # (1000 + 500) GB × 4 g + 100 GB × 20 g
    assert gwp(factor) == pytest.approx(1500 * 0.004 + 100 * 0.020)


def test_bad_overrides_are_one_clear_sentence(net_catalog):
    prepared = prepare_lines(LINES, net_catalog)
    with pytest.raises(UnknownNameError, match="pigeon"):
        prepared.evaluate(2025, overrides=Overrides(quantity_multiplier={"pigeon": 2.0}))
    with pytest.raises(InputValueError, match="one value per input row \\(5\\)"):
        prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=np.ones(3)))
    with pytest.raises(InputValueError, match="lifetime_years"):
        prepared.evaluate(2025, overrides=Overrides(lifetime_years=0.0))
    with pytest.raises(UnknownNameError, match="factor id"):
        prepared.evaluate(2025, overrides=Overrides(factor_multipliers={"network_lines/adsl/gwp": 2.0}))


def test_prepared_evaluation_does_not_touch_the_input(net_catalog):
    frame = LINES.copy()
    prepared = prepare_lines(frame, net_catalog, by="commune")
    before = prepared.evaluate(2025).values.copy()
    prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=np.full(5, 2.0),
                                                extra={"technology_switch": {"adsl": "ftth"}}))
    np.testing.assert_array_equal(prepared.evaluate(2025).values, before)
    pd.testing.assert_frame_equal(frame, LINES)


def test_lines_warnings_say_what_is_counted_per_phase(net_catalog):
    """Issue #8 item 22: the boxes' embodied impacts are counted where the access network has no
    factor; the warning says so per phase, in English and French."""
    from sobriete.report.messages import notice

    catalog = load_catalog()
    lines = pd.DataFrame({"technology": ["ftth", "adsl", "mobile_4g"], "count": [2, 3, 5]})
    fp = assess_lines(lines, 2025, catalog=catalog)
    water = [w for w in fp.quality.warnings if getattr(w, "params", {}).get("criterion") == "water"]
    box_only = next(w for w in water if w.code == "lines_box_only")
    assert box_only.params["phase_list"] == ["manufacturing", "distribution", "end_of_life"]
    assert box_only.params["rows"] == 2  # the two fixed rows; the mobile row has no box
    assert str(box_only).startswith("water (manufacturing, distribution, end of life): the boxes' embodied water "
                                    "is counted; the lines' access network has no factor for it (2 row(s))")
    assert notice(box_only, "fr").startswith("water (fabrication, distribution, fin de vie) : l'impact intrinsèque "
                                             "des box est compté")
    assert not any(getattr(w, "code", None) == "missing_factor" for w in fp.quality.warnings)
    box = catalog.equipment.categories.get_loc("internet_box")
    water_k = catalog.criteria.index("water")
    box_water = catalog.equipment.embodied[box, water_k].sum() / catalog.equipment.lifetime_years[box]
    assert float(fp.total().loc["water", "embodied"]) == pytest.approx(5 * box_water)


def test_rows_across_the_chunk_boundary(net_catalog):
    """More rows than one chunk of the engine, a rejected row in the second chunk: the per-row
    cells and weights stay aligned with the input rows."""
    from sobriete._engine import CHUNK_ROWS

    n = CHUNK_ROWS + 5_000
    rng = np.random.default_rng(9)
    technology = np.array(["ftth", "adsl", "mobile_4g"], dtype=object)[rng.integers(0, 3, n)]
    technology[CHUNK_ROWS + 10] = "pigeon"
    frame = pd.DataFrame({"commune": rng.integers(0, 3, n), "technology": technology,
                          "count": rng.integers(1, 5, n).astype(float)})
    prepared = prepare_lines(frame, net_catalog, by="commune")
    assert prepared.quality.rows_rejected == 1
    assert prepared.quality.rejected["row"].tolist() == [CHUNK_ROWS + 10]
    multiplier = np.where(np.arange(n) >= CHUNK_ROWS, 3.0, 1.0)
    result = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=multiplier))
    expected = assess_lines(frame.assign(count=frame["count"] * multiplier), 2025, catalog=net_catalog, by="commune")
    np.testing.assert_allclose(result.values, expected.values)
    traffic = pd.DataFrame({"commune": frame["commune"], "network": np.where(technology == "mobile_4g", "mobile",
                                                                               "fixed"),
                            "volume": frame["count"] * 100, "unit": np.where(np.arange(n) % 2, "Mo", "Go")})
    prepared_traffic = prepare_traffic(traffic, net_catalog, by="commune")
    result = prepared_traffic.evaluate(2025, overrides=Overrides(quantity_multiplier=multiplier), model="per_gb")
    expected = assess_traffic(traffic.assign(volume=traffic["volume"] * multiplier), 2025, catalog=net_catalog,
                              by="commune", model="per_gb")
    np.testing.assert_allclose(result.values, expected.values)


@settings(max_examples=20, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["ftth", "ADSL", "vdsl", "4G", "pigeon", None]),
                          st.one_of(st.none(), st.floats(-5, 1e4)), st.sampled_from(["A", "B"]), st.floats(0, 4)),
                min_size=1, max_size=15))
def test_per_row_multipliers_with_rejected_rows(net_catalog, rows):
    technology, count, commune, multiplier = map(list, zip(*rows))
    frame = pd.DataFrame({"technology": technology, "count": count, "commune": commune}).astype({"count": float})
    m = np.array(multiplier)
    prepared = prepare_lines(frame, net_catalog, by="commune")
    count = frame["count"].fillna(1.0)
    scaled = np.where(count < 0, count, count * m)  # a rejected count stays rejected (−1 × 0 would not)
    expected = assess_lines(frame.assign(count=scaled), 2025, catalog=net_catalog, by="commune")
    result = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=m))
    assert result.quality.rows_rejected == expected.quality.rows_rejected
    np.testing.assert_allclose(result.values, expected.values, rtol=1e-9, atol=1e-9)


def test_zones_per_row(net_catalog):
    """A zone column: each line's electricity at its zone's factor (FR 0.1 in 2025, DE 0.4 from 2020)."""
    frame = pd.DataFrame({"technology": ["adsl", "adsl", "ftth"], "count": [1.0, 2.0, 1.0], "zone": ["FR", "DE", "DE"]})
    prepared = prepare_lines(frame, net_catalog)
    assert gwp(prepared.evaluate(2025), "use") == pytest.approx(140 * 0.1 + 2 * 140 * 0.4 + 110 * 0.4)
    m = np.array([2.0, 0.5, 3.0])
    result = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=m, grid_factor={("DE", "gwp"): 0.2}))
    assert gwp(result, "use") == pytest.approx(2 * 140 * 0.1 + 140 * 0.2 + 3 * 110 * 0.2)
    switched = prepared.evaluate(2025, overrides=Overrides(extra={"technology_switch": {"adsl": "ftth"}}))
    assert gwp(switched, "use") == pytest.approx(110 * 0.1 + 3 * 110 * 0.4)
