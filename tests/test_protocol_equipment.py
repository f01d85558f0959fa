"""Equipment on the domain protocol: prepare once, evaluate many.

Every override kind is checked two ways: against the hand-computed value on the tiny catalog
(laptop 100/10/5 kgCO2e, 5 years, 20 kWh/yr; monitor 50/2/3 kgCO2e, 4 years, 50 W x 4 h/day =
73 kWh/yr; refurbished manufacturing x 0.1 (laptop) x 0.2 (monitor); FR 2025 0.1 kgCO2e/kWh),
and against :func:`assess_equipment` on the input (or catalog) modified as the override says.
"""

import os

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import sobriete as sb
from sobriete import protocol
from sobriete.equipment import PreparedEquipment, prepare_equipment
from sobriete.errors import InputValueError, UnknownNameError
from sobriete.protocol import Overrides

YEAR = 2025
#: Hypothesis examples per property (CI's slow run can raise it).
EXAMPLES = int(os.environ.get("SOBRIETE_EXAMPLES", "60"))


@pytest.fixture
def inventory():
    return pd.DataFrame({
        "category": ["laptop", "monitor", "laptop", "monitor", "tablet", "laptop"],
        "quantity": [10, 4, 2, 1, 3, 5],
        "purchase_year": [2023, 2024, 2021, np.nan, 2024, 2025],
        "entity": ["A", "A", "B", "B", "A", "B"],
        "energy_kwh_per_year": [np.nan, np.nan, 30.0, np.nan, np.nan, np.nan],
    })


def same(fp, expected):
    """Same groups, values, energy and uncovered rows (the catalog identity may differ)."""
    assert fp.keys.equals(expected.keys)
    np.testing.assert_allclose(fp.values, expected.values, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(fp.energy_kwh, expected.energy_kwh, rtol=1e-12, atol=1e-12)
    np.testing.assert_array_equal(fp.uncovered, expected.uncovered)


def test_registered_first_in_the_registry():
    assert list(protocol.DOMAINS)[0] == "equipment"
    assert protocol.DOMAINS["equipment"].prepare is prepare_equipment
    assert protocol.DOMAINS["equipment"].item_key == "category"


def test_prepared_is_a_prepared(tiny_catalog, inventory):
    prepared = prepare_equipment(inventory, tiny_catalog, by="entity")
    assert isinstance(prepared, protocol.Prepared)
    assert isinstance(prepared, PreparedEquipment)
    assert prepared.by == ("entity",)
    # the tablet is not in the tiny catalog: rejected once, at preparation
    assert (prepared.quality.rows_read, prepared.quality.rows_assessed, prepared.quality.rows_rejected) == (6, 5, 1)
    assert prepared.quality.rejected["reason_code"].tolist() == ["unknown_category"]


@pytest.mark.parametrize("allocation", ["amortised", "at_purchase"])
@pytest.mark.parametrize("year", [2024, 2025, 2028])
def test_no_override_equals_assess(tiny_catalog, inventory, allocation, year):
    prepared = prepare_equipment(inventory, tiny_catalog, by="entity")
    expected = sb.assess_equipment(inventory, year, catalog=tiny_catalog, by="entity", allocation=allocation)
    fp = prepared.evaluate(year, allocation=allocation)
    same(fp, expected)
    assert fp.quality == expected.quality
    assert fp.meta == expected.meta


def test_lifetime_per_category_by_hand(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2023]})
    fp = prepare_equipment(inv, tiny_catalog).evaluate(YEAR, overrides=Overrides(lifetime_years={"laptop": 8}))
    # 10 laptops x 1/8 of 100 kg manufacturing
    assert fp.total().loc["gwp", "manufacturing"] == pytest.approx(125.0)


def test_lifetime_per_category_equals_assess_with_the_column(tiny_catalog, inventory):
    overrides = Overrides(lifetime_years={"laptop": 8})
    modified = inventory.assign(lifetime_years=np.where(inventory["category"] == "laptop", 8.0, np.nan))
    same(prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(YEAR, overrides=overrides),
         sb.assess_equipment(modified, YEAR, catalog=tiny_catalog, by="entity"))


def test_lifetime_per_row_equals_assess_with_the_column(tiny_catalog, inventory):
    per_row = np.array([np.nan, 6.0, 3.0, np.nan, 9.0, 2.5])
    same(prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(
        YEAR, overrides=Overrides(lifetime_years=per_row)),
        sb.assess_equipment(inventory.assign(lifetime_years=per_row), YEAR, catalog=tiny_catalog, by="entity"))


def test_quantity_multiplier_by_hand_and_equals_assess(tiny_catalog, inventory):
    overrides = Overrides(quantity_multiplier={"monitor": 0.0, "laptop": 2.0})
    fp = prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(YEAR, overrides=overrides)
    factor = inventory["category"].map({"monitor": 0.0, "laptop": 2.0}).fillna(1.0)
    same(fp, sb.assess_equipment(inventory.assign(quantity=inventory["quantity"] * factor), YEAR,
                                 catalog=tiny_catalog, by="entity"))
    single = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2023]})
    doubled = prepare_equipment(single, tiny_catalog).evaluate(YEAR, overrides=Overrides(quantity_multiplier=2))
    assert doubled.total().loc["gwp", "total"] == pytest.approx(2 * 250.0)


def test_quantity_multiplier_per_row(tiny_catalog, inventory):
    per_row = np.array([0.5, 1.0, 3.0, 0.0, 1.0, 1.0])
    same(prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(
        YEAR, overrides=Overrides(quantity_multiplier=per_row)),
        sb.assess_equipment(inventory.assign(quantity=inventory["quantity"] * per_row), YEAR,
                            catalog=tiny_catalog, by="entity"))


def test_condition_refurbished_by_hand_and_equals_assess(tiny_catalog, inventory):
    single = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2023]})
    fp = prepare_equipment(single, tiny_catalog).evaluate(YEAR, overrides=Overrides(condition="refurbished"))
    # manufacturing x 0.1: 10 x 100 x 0.1 / 5 = 20 kg
    assert fp.total().loc["gwp", "manufacturing"] == pytest.approx(20.0)
    assert fp.quality.counts["refurbished_rows"] == 1
    overrides = Overrides(condition={"monitor": "refurbished"})
    modified = inventory.assign(condition=np.where(inventory["category"] == "monitor", "refurbished", "new"))
    same(prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(YEAR, overrides=overrides),
         sb.assess_equipment(modified, YEAR, catalog=tiny_catalog, by="entity"))


def test_condition_back_to_new_per_row(tiny_catalog, inventory):
    refurbished = inventory.assign(condition="refurbished")
    per_row = np.array(["new", None, "new", None, None, "new"], dtype=object)
    expected = refurbished.assign(condition=np.where(pd.isna(per_row), "refurbished", per_row))
    same(prepare_equipment(refurbished, tiny_catalog, by="entity").evaluate(YEAR, overrides=Overrides(
        condition=per_row)), sb.assess_equipment(expected, YEAR, catalog=tiny_catalog, by="entity"))


def test_energy_multiplier_by_hand_and_equals_assess(tiny_catalog, inventory):
    single = pd.DataFrame({"category": ["monitor"], "quantity": [2], "purchase_year": [2020]})
    fp = prepare_equipment(single, tiny_catalog).evaluate(YEAR, overrides=Overrides(energy_multiplier=0.5))
    # 2 monitors x 73 kWh x 0.5 x 0.1 kg/kWh
    assert fp.energy_kwh.sum() == pytest.approx(73.0)
    assert fp.total().loc["gwp", "use"] == pytest.approx(7.3)
    prepared = prepare_equipment(inventory, tiny_catalog, by="entity")
    base = prepared.evaluate(YEAR)
    measured = inventory.assign(energy_kwh_per_year=np.where(
        inventory["energy_kwh_per_year"].notna(), inventory["energy_kwh_per_year"],
        inventory["category"].map({"laptop": 20.0, "monitor": 73.0})) * 1.5)
    same(prepared.evaluate(YEAR, overrides=Overrides(energy_multiplier=1.5)),
         sb.assess_equipment(measured, YEAR, catalog=tiny_catalog, by="entity"))
    np.testing.assert_allclose(prepared.evaluate(YEAR, overrides=Overrides(energy_multiplier=1.5)).energy_kwh,
                               1.5 * base.energy_kwh)


def test_grid_factor_equals_assess_with_a_factor_file(tiny_catalog, inventory, tmp_path):
    path = tmp_path / "electricity.csv"
    path.write_text("zone,year,usage,criterion,value,unit,low,high,source_id,status,note\n"
                    "FR,2025,mix,gwp,0.3,kgCO2e/kWh,,,test,sourced,\n", encoding="utf-8")
    other = sb.load_catalog(path, directory="tests/data/tiny_factors")
    same(prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(
        YEAR, overrides=Overrides(grid_factor={"gwp": 0.3})),
        sb.assess_equipment(inventory, YEAR, catalog=other, by="entity"))
    fp = prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(
        YEAR, overrides=Overrides(grid_factor={("FR", "gwp"): 0.3}))
    assert fp.total().loc["gwp", "use"] == pytest.approx(0.3 * fp.energy_kwh.sum())


@pytest.mark.parametrize("factor_id, table, line", [
    ("equipment_impacts/laptop/gwp/manufacturing", "equipment_impacts",
     "laptop,gwp,manufacturing,130,kgCO2e,,,test,sourced,"),
    ("equipment_parameters/laptop/lifetime", "equipment_parameters", "laptop,lifetime,6.5,year,,,test,sourced,"),
    ("equipment_parameters/monitor/active_power", "equipment_parameters",
     "monitor,active_power,65,W,,,test,sourced,"),
    ("refurbished/*/gwp/manufacturing", "refurbished", "*,gwp,manufacturing,0.26,dimensionless,,,test,sourced,"),
    ("electricity/FR/2025/mix/gwp", "electricity", "FR,2025,mix,gwp,0.13,kgCO2e/kWh,,,test,sourced,"),
])
def test_factor_multiplier_equals_assess_with_the_factor_file(tiny_catalog, inventory, tmp_path, factor_id, table,
                                                             line):
    header = {"equipment_impacts": "category,criterion,phase", "equipment_parameters": "category,parameter",
              "refurbished": "category,criterion,phase", "electricity": "zone,year,usage,criterion"}[table]
    path = tmp_path / f"{table}.csv"
    path.write_text(f"{header},value,unit,low,high,source_id,status,note\n{line}\n", encoding="utf-8")
    modified = sb.load_catalog(path, directory="tests/data/tiny_factors")
    inventory = inventory.assign(condition=["refurbished", "refurbished", "new", "new", "new", "new"])
    fp = prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(
        YEAR, overrides=Overrides(factor_multipliers={factor_id: 1.3}))
    same(fp, sb.assess_equipment(inventory, YEAR, catalog=modified, by="entity"))
    assert fp.catalog_hash == tiny_catalog.hash  # a scenario of the same catalog: it subtracts from the baseline
    delta = fp - prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(YEAR)
    assert delta.total().loc["gwp", "total"] != 0


def test_unknown_factor_id_and_items_are_errors(tiny_catalog, inventory):
    prepared = prepare_equipment(inventory, tiny_catalog)
    with pytest.raises(UnknownNameError, match="unknown factor id 'equipment_impacts/laptop/gwp/use'"):
        prepared.evaluate(YEAR, overrides=Overrides(factor_multipliers={"equipment_impacts/laptop/gwp/use": 2}))
    with pytest.raises(UnknownNameError, match="unknown override item 'phone'"):
        prepared.evaluate(YEAR, overrides=Overrides(lifetime_years={"phone": 3}))
    with pytest.raises(InputValueError, match="'lifetime_years' override must be finite and > 0"):
        prepared.evaluate(YEAR, overrides=Overrides(lifetime_years=0))
    with pytest.raises(InputValueError, match="3 values for 6 input rows"):
        prepared.evaluate(YEAR, overrides=Overrides(quantity_multiplier=np.ones(3)))
    with pytest.raises(UnknownNameError, match="unknown condition 'used'"):
        prepared.evaluate(YEAR, overrides=Overrides(condition="used"))
    with pytest.raises(UnknownNameError, match="unknown override 'pue'"):
        prepared.evaluate(YEAR, overrides=Overrides(extra={"pue": 1.5}))


def test_evaluations_do_not_change_the_prepared_input(tiny_catalog, inventory):
    prepared = prepare_equipment(inventory, tiny_catalog, by="entity")
    before = prepared.evaluate(YEAR)
    prepared.evaluate(YEAR, overrides=Overrides(lifetime_years=2, quantity_multiplier=3, condition="refurbished",
                                                energy_multiplier=0.1, grid_factor={"gwp": 1.0},
                                                factor_multipliers={"equipment_impacts/laptop/gwp/manufacturing": 9}))
    same(prepared.evaluate(YEAR), before)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lifetimes=st.lists(st.one_of(st.none(), st.floats(0.5, 12)), min_size=6, max_size=6),
       multipliers=st.lists(st.floats(0, 5), min_size=6, max_size=6),
       year=st.integers(2024, 2032))
def test_per_row_overrides_equal_assess_on_the_modified_input(tiny_catalog, inventory, lifetimes, multipliers, year):
    lifetime = np.array([np.nan if v is None else v for v in lifetimes])
    multiplier = np.array(multipliers)
    fp = prepare_equipment(inventory, tiny_catalog, by="entity").evaluate(
        year, overrides=Overrides(lifetime_years=lifetime, quantity_multiplier=multiplier))
    modified = inventory.assign(lifetime_years=lifetime, quantity=inventory["quantity"] * multiplier)
    same(fp, sb.assess_equipment(modified, year, catalog=tiny_catalog, by="entity"))


def test_an_inventory_with_no_valid_row_evaluates_to_nothing(tiny_catalog):
    for inv in (pd.DataFrame({"category": pd.Series([], dtype=object)}),
                pd.DataFrame({"category": ["phone", "tablet"], "quantity": [1, 2]})):
        prepared = prepare_equipment(inv, tiny_catalog, by="category")
        fp = prepared.evaluate(YEAR, overrides=Overrides(lifetime_years=3))
        assert fp.values.shape == (0, 2, 4)
        assert fp.quality.rows_read == len(inv) == fp.quality.rows_rejected
        same(fp, sb.assess_equipment(inv, YEAR, catalog=tiny_catalog, by="category"))


@st.composite
def inventories(draw):
    n = draw(st.integers(1, 25))
    pick = lambda values: draw(st.lists(st.sampled_from(values), min_size=n, max_size=n))  # noqa: E731
    return pd.DataFrame({
        "category": pick(["laptop", "monitor", "phone", None]),
        "quantity": pick([0, 1, 2, 7, -1, np.nan]),
        "purchase_year": pick([2019.0, 2022.0, 2025.0, np.nan]),
        "energy_kwh_per_year": pick([np.nan, np.nan, 12.5, np.inf]),
        "condition": pick(["new", "refurbished", None]),
        "status": pick(["in_service", "in_stock", "in_repair", None]),
        "entity": pick(["A", "B"]),
    })


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(inv=inventories(), year=st.integers(2024, 2031), allocation=st.sampled_from(["amortised", "at_purchase"]))
def test_evaluate_equals_assess_on_any_inventory(tiny_catalog, inv, year, allocation):
    fp = prepare_equipment(inv, tiny_catalog, by="entity").evaluate(year, allocation=allocation)
    expected = sb.assess_equipment(inv, year, catalog=tiny_catalog, by="entity", allocation=allocation)
    same(fp, expected)
    assert fp.quality == expected.quality
    assert fp.quality.rows_read == len(inv) == fp.quality.rows_assessed + fp.quality.rows_rejected


def test_a_grid_factor_given_for_a_missing_criterion_covers_it(tiny_catalog):
    # the tiny catalog has no adpe factor for FR electricity: the use phase is a lower bound
    inv = pd.DataFrame({"category": ["laptop"], "quantity": [10], "purchase_year": [2023]})
    prepared = prepare_equipment(inv, tiny_catalog)
    assert prepared.evaluate(YEAR).uncovered[0, ADPE_INDEX, USE_INDEX] == 1
    for value in (0.0, 2e-7):
        fp = prepared.evaluate(YEAR, overrides=Overrides(grid_factor={"adpe": value}))
        assert fp.uncovered[0, ADPE_INDEX, USE_INDEX] == 0
        assert fp.values[0, ADPE_INDEX, USE_INDEX] == pytest.approx(10 * 20 * value)


ADPE_INDEX, USE_INDEX = 1, 2
