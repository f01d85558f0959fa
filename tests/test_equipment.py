"""Equipment engine on the tiny catalog: every expected value is computed by hand.

Tiny catalog (tests/data/tiny_factors): laptop gwp 100 (manufacturing) + 10 (distribution) +
5 (end of life, written as 5000 gCO2e) kgCO2e, adpe 0.01 kgSbeq (manufacturing only), lifetime 5
years, 20 kWh/year; monitor gwp 50 + 2 + 3 kgCO2e, lifetime 4 years, 50 W x 4 h/day x 365 =
73 kWh/year; refurbished: manufacturing x 0.1 (laptop) or x 0.2 (others), distribution and end
of life x 1; electricity FR 2025 0.1, FR 2024 0.05, DE 2020 0.4 kgCO2e/kWh.
"""

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sobriete as sb
from sobriete.equipment import embodied_share, in_service_fraction
from sobriete.errors import InputFormatError, UnknownNameError, UnknownZoneYearError

GWP, ADPE = 0, 1
MFG, DIST, USE, EOL = 0, 1, 2, 3


def gwp(fp, phase=None):
    total = fp.total()
    return total.loc["gwp", phase if phase else "total"]


def test_amortised_laptop_within_lifetime(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2023]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    # 10 laptops x 1/5 of (100, 10, 5) kg; use 10 x 20 kWh x 0.1 kg/kWh
    assert fp.values[0, GWP].tolist() == pytest.approx([200.0, 20.0, 20.0, 10.0])
    assert fp.values[0, ADPE, MFG] == pytest.approx(10 * 0.01 / 5)
    assert fp.energy_kwh[0] == pytest.approx(200.0)
    assert gwp(fp) == pytest.approx(250.0)


def test_amortised_is_zero_after_lifetime_but_use_continues(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2019]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    assert fp.values[0, GWP].tolist() == pytest.approx([0.0, 0.0, 20.0, 0.0])
    assert fp.quality.counts["fully_amortised_rows"] == 1


def test_at_purchase_counts_everything_in_purchase_year_only(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "laptop"], "quantity": [1, 1], "purchase_year": [2025, 2024]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, allocation="at_purchase")
    assert fp.values[0, GWP].tolist() == pytest.approx([100.0, 10.0, 2 * 20 * 0.1, 5.0])


def test_fractional_lifetime_last_year_gets_the_remainder():
    # 2.5-year lifetime bought in 2023: 0.4, 0.4, 0.2 of the embodied impacts
    shares = [float(embodied_share(y, 2023.0, 2.5)) for y in (2023, 2024, 2025, 2026)]
    assert shares == pytest.approx([0.4, 0.4, 0.2, 0.0])


def test_purchase_date_is_pro_rata_temporis(tiny_catalog):
    # bought 1 July 2025 (day 182 of 365): in service 184/365 of 2025
    inv = pd.DataFrame({"category": ["laptop"], "purchase_date": ["01/07/2025"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    fraction = 184 / 365
    assert fp.values[0, GWP, MFG] == pytest.approx(100 * fraction / 5)
    assert fp.energy_kwh[0] == pytest.approx(20 * fraction)


def test_undated_rows_take_the_steady_state_share_and_are_counted(tiny_catalog):
    inv = pd.DataFrame({"category": ["monitor"], "quantity": [4]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    assert fp.values[0, GWP, MFG] == pytest.approx(4 * 50 / 4)
    assert fp.quality.counts["undated_rows"] == 1
    rejected = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, undated="reject")
    assert rejected.quality.rows_rejected == 1 and rejected.quality.rejected["reason_code"].tolist() == ["undated"]


def test_refurbished_uses_sourced_ratio(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [5, 4], "purchase_year": [2025, 2025],
                        "condition": ["refurbished", "refurbished"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    # laptop: 5/5 x (100 x 0.1, 10, 5); monitor: 4/4 x (50 x 0.2, 2, 3)
    assert fp.values[0, GWP, [MFG, DIST, EOL]].tolist() == pytest.approx([10 + 10, 10 + 2, 5 + 3])
    # adpe has no refurbished ratio in the tiny catalog: the laptop counts as new (conservative);
    # the monitor has no adpe factor at all: not counted as zero but flagged
    assert fp.values[0, ADPE, MFG] == pytest.approx(0.01)
    assert fp.uncovered[0, ADPE, MFG] == 1 and not fp.total().loc["adpe", "complete"]


def test_explicit_kwh_overrides_profile(tiny_catalog):
    inv = pd.DataFrame({"category": ["monitor", "monitor"], "energy_kwh_per_year": [10.0, np.nan],
                        "purchase_year": [2024, 2024]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    assert fp.energy_kwh[0] == pytest.approx(10.0 + 73.0)
    assert fp.quality.counts["measured_energy_rows"] == 1 and fp.quality.counts["profile_energy_rows"] == 1


def test_power_in_w_and_kw_give_the_same_answer(tiny_catalog):
    watts = pd.DataFrame({"category": ["monitor"], "power_w": [30.0], "hours_per_year": [1000.0]})
    kilowatts = pd.DataFrame({"category": ["monitor"], "power_kw": [0.03], "hours_per_year": [1000.0]})
    a = sb.assess_equipment(watts, 2025, catalog=tiny_catalog)
    b = sb.assess_equipment(kilowatts, 2025, catalog=tiny_catalog)
    assert a.energy_kwh[0] == pytest.approx(30.0) and b.energy_kwh[0] == pytest.approx(30.0)
    np.testing.assert_allclose(a.values, b.values)


def test_power_without_hours_uses_the_daily_profile(tiny_catalog):
    inv = pd.DataFrame({"category": ["monitor"], "power_w": [20.0]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    assert fp.energy_kwh[0] == pytest.approx(20 * 4 * 365 / 1000)


def test_zone_and_year_fallback_with_warning(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"], "zone": ["DE"], "purchase_year": [2024]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    assert fp.values[0, GWP, USE] == pytest.approx(20 * 0.4)
    assert any("DE" in w and "2020" in w for w in fp.quality.warnings)


def test_year_before_any_factor_is_a_clear_error(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"], "purchase_year": [2020]})
    with pytest.raises(UnknownZoneYearError, match="FR 2023"):
        sb.assess_equipment(inv, 2023, catalog=tiny_catalog)


def test_grouping_and_reconciliation(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "laptop", "monitor", "monitor"], "quantity": [10, 5, 2, 1],
                        "purchase_year": [2023, 2015, 2025, 2022], "entity": ["A", "B", "A", "B"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, by=["entity", "category"])
    assert fp.keys.to_dict("list") == {"entity": ["A", "A", "B", "B"],
                                       "category": ["laptop", "monitor", "laptop", "monitor"]}
    table = fp.table("gwp").set_index(["entity", "category"])
    # A/monitor: 2 x 1/4 x (50, 2, 3) + 2 x 73 x 0.1
    assert table.loc[("A", "monitor"), "total"] == pytest.approx(0.5 * 55 + 14.6)
    # parts sum to the total, groups sum to the grand total
    total = fp.total()
    assert total.loc["gwp", ["manufacturing", "distribution", "use", "end_of_life"]].sum() == \
        pytest.approx(total.loc["gwp", "total"])
    assert table["total"].sum() == pytest.approx(total.loc["gwp", "total"])
    by_entity = fp.by("entity")
    np.testing.assert_allclose(by_entity.values.sum(axis=0), fp.values.sum(axis=0))
    long = fp.to_frame()
    assert set(long.columns) == {"entity", "category", "criterion", "phase", "value", "unit", "uncovered_rows"}
    assert long.loc[long.criterion == "gwp", "value"].sum() == pytest.approx(total.loc["gwp", "total"])


def test_missing_group_key_values_form_their_own_group(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "laptop"], "entity": ["A", None], "purchase_year": [2025, 2025]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, by="entity")
    assert len(fp.keys) == 2 and fp.keys["entity"].isna().sum() == 1


def test_rejections_name_row_column_and_reason(tiny_catalog):
    inv = pd.DataFrame({
        "category": ["laptop", "toaster", "laptop", "laptop", "laptop", None, "laptop"],
        "quantity": [1, 1, -2, "deux", 1, 1, 1],
        "purchase_year": [2024, 2024, 2024, 2024, 2031, 2024, 2024],
        "power_w": [None, None, None, None, None, None, "abc"],
        "_file": "parc.csv",
    }, index=range(2, 9))
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    rej = fp.quality.rejected.set_index("row")
    assert fp.quality.rows_read == 7 and fp.quality.rows_assessed == 1 and fp.quality.rows_rejected == 6
    assert rej.loc[3, "reason_code"] == "unknown_category" and rej.loc[3, "value"] == "toaster"
    assert rej.loc[4, "reason_code"] == "negative_quantity"
    assert rej.loc[5, "reason_code"] == "bad_quantity" and rej.loc[5, "column"] == "quantity"
    assert rej.loc[6, "reason_code"] == "implausible_purchase_year"
    assert rej.loc[7, "reason_code"] == "missing_category"
    assert rej.loc[8, "reason_code"] == "bad_power"
    assert set(rej["file"]) == {"parc.csv"}
    assert gwp(fp) == pytest.approx((100 + 10 + 5) / 5 + 20 * 0.1)


def test_unknown_options_list_the_choices(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"]})
    with pytest.raises(UnknownNameError, match="amortised, at_purchase"):
        sb.assess_equipment(inv, 2025, catalog=tiny_catalog, allocation="linear")
    with pytest.raises(UnknownNameError, match="grouping column 'commune'"):
        sb.assess_equipment(inv, 2025, catalog=tiny_catalog, by="commune")
    with pytest.raises(InputFormatError, match="no 'category' column"):
        sb.assess_equipment(pd.DataFrame({"type": ["laptop"]}), 2025, catalog=tiny_catalog)


def test_detail_rows_sum_to_the_footprint(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "monitor", "monitor"], "quantity": [3, 2, 1],
                        "purchase_year": [2022, 2024, 2025]}, index=[10, 11, 12])
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, detail=True)
    rows = fp.rows
    assert list(rows.index) == [10, 11, 12]
    gwp_columns = [c for c in rows.columns if c.startswith("gwp_")]
    assert rows[gwp_columns].to_numpy().sum() == pytest.approx(gwp(fp))
    # the tiny catalog has no adpe grid factor: per-row use is unknown (NaN), not 0
    assert rows["adpe_use"].isna().all() and not bool(fp.total().loc["adpe", "complete"])


def test_several_years_in_one_pass_match_single_years(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [3, 2], "purchase_year": [2022, 2024]})
    many = sb.assess_equipment_years(inv, [2024, 2025], catalog=tiny_catalog)
    for year in (2024, 2025):
        single = sb.assess_equipment(inv, year, catalog=tiny_catalog)
        np.testing.assert_allclose(many[year].values, single.values)


def test_footprints_add_and_subtract(tiny_catalog):
    a = sb.assess_equipment(pd.DataFrame({"category": ["laptop"], "entity": ["A"], "purchase_year": [2025]}),
                            2025, catalog=tiny_catalog, by="entity")
    b = sb.assess_equipment(pd.DataFrame({"category": ["monitor"], "entity": ["B"], "purchase_year": [2025]}),
                            2025, catalog=tiny_catalog, by="entity")
    both = a + b
    assert both.keys["entity"].tolist() == ["A", "B"]
    assert gwp(both) == pytest.approx(gwp(a) + gwp(b))
    assert gwp(both - b) == pytest.approx(gwp(a))
    assert both.quality.rows_read == 2


# ---------------------------------------------------------------- properties (hypothesis)
categories = st.sampled_from(["laptop", "monitor"])
rows = st.lists(st.tuples(categories, st.integers(0, 50), st.integers(2010, 2025),
                          st.sampled_from(["new", "refurbished"]), st.sampled_from(["A", "B", "C"])),
                min_size=1, max_size=30)


def _frame(data):
    return pd.DataFrame(data, columns=["category", "quantity", "purchase_year", "condition", "entity"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows, st.sampled_from(["amortised", "at_purchase"]))
def test_doubling_quantity_doubles_impacts(tiny_catalog, data, allocation):
    inv = _frame(data)
    one = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, by="entity", allocation=allocation)
    two = sb.assess_equipment(inv.assign(quantity=inv.quantity * 2), 2025, catalog=tiny_catalog, by="entity",
                              allocation=allocation)
    np.testing.assert_allclose(two.values, 2 * one.values, rtol=1e-12, atol=1e-12)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows, rows)
def test_concatenated_inventories_add_up(tiny_catalog, first, second):
    a, b = _frame(first), _frame(second)
    whole = sb.assess_equipment(pd.concat([a, b], ignore_index=True), 2025, catalog=tiny_catalog, by="entity")
    parts = (sb.assess_equipment(a, 2025, catalog=tiny_catalog, by="entity")
             + sb.assess_equipment(b, 2025, catalog=tiny_catalog, by="entity"))
    np.testing.assert_allclose(whole.values, parts.values, rtol=1e-9, atol=1e-9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows, st.randoms(use_true_random=False))
def test_row_order_does_not_matter(tiny_catalog, data, rnd):
    inv = _frame(data)
    order = list(range(len(inv)))
    rnd.shuffle(order)
    a = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, by=["entity", "category"])
    b = sb.assess_equipment(inv.iloc[order], 2025, catalog=tiny_catalog, by=["entity", "category"])
    np.testing.assert_allclose(a.values, b.values, rtol=1e-12, atol=1e-9)


@given(st.floats(2000, 2030), st.floats(0.5, 12))
def test_amortised_shares_sum_to_one_over_the_life(start, lifetime):
    years = np.arange(1999, 2045)
    total = sum(float(embodied_share(int(y), start, lifetime)) for y in years)
    assert total == pytest.approx(1.0)


def test_functions_accept_scalar_ndarray_and_series():
    series = pd.Series([2023.0, np.nan], index=["x", "y"])
    out = embodied_share(2025, series, 5.0)
    assert isinstance(out, pd.Series) and list(out.index) == ["x", "y"] and out.tolist() == [0.2, 0.2]
    np.testing.assert_allclose(in_service_fraction(2025, np.array([2024.0, 2025.5])), [1.0, 0.5])


def test_unit_suffixed_text_columns_convert_and_reject_bad_cells(tiny_catalog):
    """A CSV read as text: ``energy_mwh_per_year`` converts where the cell is a number and the
    row with 'n/a' is rejected with its reason (not silently NaN)."""
    inv = pd.DataFrame({"category": ["monitor", "monitor"], "energy_mwh_per_year": ["0.01", "n/a"],
                        "purchase_year": [2024, 2024]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    assert fp.energy_kwh[0] == pytest.approx(10.0)
    assert fp.quality.rejected["reason_code"].tolist() == ["bad_energy"]
    assert fp.quality.rejected["value"].tolist() == ["n/a"]


def test_a_footprint_with_no_assessed_row_regroups_to_zero(tiny_catalog):
    inv = pd.DataFrame({"category": ["toaster"], "entity": ["A"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, by="entity")
    assert len(fp.keys) == 0 and fp.quality.rows_rejected == 1
    total = fp.by()
    assert total.values.shape == (1, 2, 4) and not total.values.any()


# --------------------------------------------------------------------------- devices not in service (issue #8, item 13)
def test_in_stock_has_no_use_phase_but_its_embodied_share_counts(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "laptop", "laptop"], "quantity": [10, 10, 10],
                        "purchase_year": [2023, 2023, 2023], "status": ["in_service", "in_stock", "in_repair"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    # embodied: 3 rows x 10 laptops x 1/5 x (100, 10, 5); use: 2 powered rows x 10 x 20 kWh x 0.1
    assert fp.values[0, GWP].tolist() == pytest.approx([600.0, 60.0, 40.0, 30.0])
    assert fp.energy_kwh.sum() == pytest.approx(400.0)
    assert fp.quality.counts["rows_in_stock"] == 1
    assert fp.quality.rows_assessed == 3


def test_glpi_french_statuses_are_understood_and_unknown_ones_rejected(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"] * 5, "purchase_year": [2023] * 5,
                        "status": ["En service", "En stock", "En réparation", None, "Prêté"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    assert fp.quality.counts["rows_in_stock"] == 1
    assert fp.energy_kwh.sum() == pytest.approx(3 * 20.0)  # service, repair and missing status are powered
    rejected = fp.quality.rejected
    assert rejected[["row", "column", "value", "reason_code"]].values.tolist() == [[4, "status", "Prêté",
                                                                                     "unknown_status"]]


def test_in_stock_bought_mid_year_is_still_amortised_pro_rata(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"], "purchase_date": ["01/07/2025"], "status": ["in_stock"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    # embodied share of 2025: (2026 - 2025.4959) / 5 of 100 kg; no use in stock
    assert fp.total().loc["gwp", "manufacturing"] == pytest.approx(100 * (184 / 365) / 5)
    assert fp.total().loc["gwp", "use"] == 0.0


# --------------------------------------------------------------------------- non-finite values (issue #8, item 1)
NON_FINITE_CSV = ("category;quantity;purchase_year;entity;energy_kwh_per_year\n"
                  "laptop;1e308;2022;Denain;\nlaptop;1;2022;Denain;inf\nlaptop;1;2022;Denain;-inf\n"
                  "laptop;1;2022;Denain;nan\nlaptop;2;2022;Denain;\n")


def test_non_finite_and_overflowing_rows_are_rejected_from_a_csv(tmp_path):
    from sobriete.assessment import assess

    path = tmp_path / "inventaire.csv"
    path.write_text(NON_FINITE_CSV, encoding="utf-8")
    result = assess([path], year=2025)  # raised "cannot convert float NaN to integer" in factors.caveats
    quality = result.quality
    assert (quality.rows_read, quality.rows_assessed, quality.rows_rejected) == (5, 1, 4)
    assert quality.rejected["reason_code"].tolist() == ["overflow", "infinite_energy_kwh_per_year",
                                                        "infinite_energy_kwh_per_year", "bad_energy"]
    totals = result.footprints["equipment"].total()
    assert np.isfinite(totals[["manufacturing", "distribution", "use", "end_of_life", "total"]].to_numpy()).all()
    two = sb.assess_equipment(pd.DataFrame({"category": ["laptop"], "quantity": [2], "purchase_year": [2022]}), 2025)
    assert totals.loc["gwp", "total"] == pytest.approx(two.total().loc["gwp", "total"])


@pytest.mark.parametrize("column, value, code", [
    ("quantity", np.inf, "infinite_quantity"), ("quantity", 1e308, "overflow"), ("quantity", -np.inf, "infinite_quantity"),
    ("energy_kwh_per_year", np.inf, "infinite_energy_kwh_per_year"), ("energy_kwh_per_year", 1e308, "overflow"),
    ("power_w", np.inf, "infinite_power_w"), ("lifetime_years", np.inf, "infinite_lifetime_years"),
])
def test_non_finite_numbers_from_parquet_are_rejected(tiny_catalog, tmp_path, column, value, code):
    frame = pd.DataFrame({"category": ["laptop", "laptop"], "quantity": [1.0, 1.0], "purchase_year": [2023, 2023]})
    frame[column] = [value, 1.0]
    if column == "power_w":  # the tiny laptop has no daily-use profile
        frame["hours_per_year"] = 1000.0
    path = tmp_path / "inv.parquet"
    frame.to_parquet(path)
    fp = sb.assess_equipment(pd.read_parquet(path), 2025, catalog=tiny_catalog)
    assert fp.quality.rejected["reason_code"].tolist() == [code]
    assert fp.quality.rows_assessed == 1
    assert np.isfinite(fp.values).all() and np.isfinite(fp.energy_kwh).all()


def test_caveats_skip_a_non_finite_total(tiny_catalog):
    catalog = sb.load_catalog()
    fp = sb.assess_equipment(pd.DataFrame({"category": ["laptop"], "purchase_year": [2023]}), 2025, catalog=catalog)
    broken = type(fp)(**{**fp.__dict__, "values": np.full_like(fp.values, np.nan)})
    assert catalog.caveats(broken) == []
