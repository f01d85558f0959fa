"""Monte Carlo over the factor ranges: hand-computed expectations on the tiny catalog, the
properties the issue asks for (zero width, symmetric mean, seed), the collapsed design, the
response model against exact evaluation, draw-by-draw comparisons and sensitivity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from sobriete import load_catalog
from sobriete.equipment import prepare_equipment
from sobriete.errors import InputValueError, SobrieteError, UnknownNameError
from sobriete.protocol import Overrides
from sobriete.uncertainty import (UserRange, collapse, compare, draw, factor_distributions, monte_carlo,
                                  prepare_design, sample, sensitivity)

# tiny catalog: monitor gwp manufacturing 50 kg in [40, 60] (symmetric triangular), nothing else drawn
INVENTORY = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [4, 10], "purchase_year": [2024, 2024]})
#: 10 monitors x 50 kg / 4 years of lifetime: the monitors' manufacturing gwp of 2025 [kgCO2e]
MONITOR_MANUFACTURING = 10 * 50 / 4
#: standard deviation of a triangular(0.8, 1, 1.2) multiplier: sqrt((a² + b² + c² - ab - ac - bc) / 18)
TRIANGULAR_SD = np.sqrt((0.8 ** 2 + 1 + 1.2 ** 2 - 0.8 - 0.96 - 1.2) / 18)


def gwp_total(mc):
    return mc.totals()[:, mc.criteria.index("gwp")]


@pytest.fixture(scope="module")
def zero_width(tmp_path_factory, tiny_catalog):
    path = tmp_path_factory.mktemp("zero") / "equipment_impacts.csv"
    path.write_text("category,criterion,phase,value,unit,low,high,source_id,status,note\n"
                    "monitor,gwp,manufacturing,50,kgCO2e,50,50,test,sourced,\n")
    return load_catalog(path, directory="tests/data/tiny_factors")


def test_zero_width_ranges_give_the_deterministic_result_at_every_draw(zero_width):
    prepared = prepare_equipment(INVENTORY, zero_width)
    flat = UserRange("quantity_multiplier", 1.0, 1.0, 1.0, item="laptop")
    mc = monte_carlo({"equipment": prepared}, 2025, draws=50, seed=3, user_ranges=[flat])
    deterministic = prepared.evaluate(2025).values
    expected = np.broadcast_to(deterministic, (50, *deterministic.shape))
    np.testing.assert_allclose(mc.domains["equipment"].values, expected, rtol=1e-12)
    summary = mc.summary().set_index(["domain", "criterion"])
    assert summary.loc[("all", "gwp"), "p05"] == pytest.approx(summary.loc[("all", "gwp"), "p95"], rel=1e-12)


def test_symmetric_triangular_mean_is_the_deterministic_value_within_sampling_error(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    n = 4000
    mc = monte_carlo({"equipment": prepared}, 2025, draws=n, seed=11)
    total = gwp_total(mc)
    deterministic = prepared.evaluate(2025).total().loc["gwp", "total"]
    sd = MONITOR_MANUFACTURING * TRIANGULAR_SD  # the total is linear in the one drawn factor
    assert abs(total.mean() - deterministic) < 4 * sd / np.sqrt(n)  # 4 standard errors: fails 1 in 16,000
    assert total.std() == pytest.approx(sd, rel=0.05)
    assert mc.domains["equipment"].inputs == ("equipment_impacts/monitor/gwp/manufacturing",)
    # every draw: the deterministic total plus the monitors' manufacturing times (multiplier - 1)
    m = mc.inputs.values[:, mc.inputs.ids.index("equipment_impacts/monitor/gwp/manufacturing")]
    np.testing.assert_allclose(total, deterministic + MONITOR_MANUFACTURING * (m - 1), rtol=1e-12)


def test_same_seed_same_result_other_seed_other_draws(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    a = monte_carlo({"equipment": prepared}, 2025, draws=100, seed=5)
    b = monte_carlo({"equipment": prepared}, 2025, draws=100, seed=5)
    c = monte_carlo({"equipment": prepared}, 2025, draws=100, seed=6)
    np.testing.assert_array_equal(a.domains["equipment"].values, b.domains["equipment"].values)
    pd.testing.assert_frame_equal(a.summary(), b.summary())
    assert not np.array_equal(a.domains["equipment"].values, c.domains["equipment"].values)


def test_a_factor_draws_the_same_whatever_else_is_drawn(tiny_catalog):
    """Common random numbers: a factor's stream depends on the seed and its id only."""
    ranges = [UserRange("quantity_multiplier", 0.5, 1.0, 1.5, item="laptop")]
    alone = sample(factor_distributions(tiny_catalog), 200, seed=9)
    more = sample(factor_distributions(tiny_catalog), 200, seed=9, user_ranges=ranges)
    factor = "equipment_impacts/monitor/gwp/manufacturing"
    np.testing.assert_array_equal(alone.values[:, alone.ids.index(factor)], more.values[:, more.ids.index(factor)])


def test_user_range_on_quantities_is_exact_per_draw(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    spec = UserRange("quantity_multiplier", 0.8, 1.0, 1.3, item="laptop")
    mc = monte_carlo({"equipment": prepared}, 2025, draws=300, seed=2, user_ranges=[spec])
    laptop = prepare_equipment(INVENTORY.iloc[[0]], tiny_catalog).evaluate(2025).total().loc["gwp", "total"]
    q = mc.inputs.values[:, mc.inputs.ids.index(spec.id)]
    m = mc.inputs.values[:, mc.inputs.ids.index("equipment_impacts/monitor/gwp/manufacturing")]
    deterministic = prepared.evaluate(2025).total().loc["gwp", "total"]
    np.testing.assert_allclose(gwp_total(mc), deterministic + laptop * (q - 1) + MONITOR_MANUFACTURING * (m - 1),
                               rtol=1e-12)
    assert 0.8 <= q.min() and q.max() <= 1.3


def test_response_model_equals_exact_evaluation_with_interactions(catalog):
    """Refurbished ratio x manufacturing impact and grid x energy multiply: the model's cross
    terms make it exact; it is checked against evaluating every draw."""
    inv = pd.DataFrame({"category": ["laptop", "laptop", "thin_client", "monitor"], "quantity": [5, 3, 4, 7],
                        "purchase_year": [2023, 2024, 2022, 2025], "condition": ["new", "refurbished", "new", "new"],
                        "entity": ["A", "B", "A", "B"]})
    luminaires = pd.DataFrame({"za": ["Z1", "Z2"], "technology": ["fluorescent", "led"], "lamp_power_w": [58.0, 40.0],
                               "latitude": [50.3, 50.3], "longitude": [3.4, 3.4], "installation_year": [2010, 2020]})
    designs = {"equipment": prepare_design(inv, "equipment", catalog, year=2025, by="entity"),
               "lighting": prepare_design(luminaires, "lighting", catalog, year=2025, by="za")}
    model = monte_carlo(designs, 2025, draws=40, seed=4)
    exact = monte_carlo(designs, 2025, draws=40, seed=4, method="exact")
    assert {d.method for d in model.domains.values()} == {"model"}
    assert {d.method for d in exact.domains.values()} == {"exact"}
    for name in designs:
        np.testing.assert_allclose(model.domains[name].values, exact.domains[name].values, rtol=1e-9, atol=1e-12)
    assert "refurbished/laptop/gwp/manufacturing" in model.domains["equipment"].inputs
    assert "lighting_technologies/fluorescent/gear_loss" in model.domains["lighting"].inputs


def test_lifetime_ranges_are_evaluated_exactly(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    spec = UserRange("lifetime_years", 3.0, 4.0, 6.0, item="monitor")
    mc = monte_carlo({"equipment": prepared}, 2025, draws=30, seed=1, user_ranges=[spec])
    assert mc.domains["equipment"].method == "exact"
    life = mc.inputs.values[:, mc.inputs.ids.index(spec.id)]
    m = mc.inputs.values[:, mc.inputs.ids.index("equipment_impacts/monitor/gwp/manufacturing")]
    # monitor embodied: 10 x (50 m + 2 + 3) kg / lifetime, bought in 2024, still in service in 2025
    monitor = 10 * (50 * m + 2 + 3) / life
    laptop = prepare_equipment(INVENTORY.iloc[[0]], tiny_catalog).evaluate(2025).total().loc["gwp", "total"]
    use = prepare_equipment(INVENTORY.iloc[[1]], tiny_catalog).evaluate(2025).total().loc["gwp", "use"]
    np.testing.assert_allclose(gwp_total(mc), laptop + use + monitor, rtol=1e-12)


def test_collapsed_design_gives_the_full_deterministic_result(catalog):
    rng = np.random.default_rng(0)
    n = 3000
    inv = pd.DataFrame({"category": rng.choice(["laptop", "monitor", "smartphone"], n),
                        "quantity": rng.integers(1, 4, n), "purchase_year": rng.integers(2018, 2026, n),
                        "entity": rng.choice(["A", "B", "C"], n), "asset_tag": np.arange(n).astype(str)})
    design = prepare_design(inv, "equipment", catalog, year=2025, by="entity")
    assert design.collapsed and design.design_rows <= 3 * 3 * 8  # asset tags do not split rows
    full = design.full.evaluate(2025)
    merged = design.draws.evaluate(2025).by("entity")
    np.testing.assert_allclose(merged.values, full.values, rtol=1e-12)
    assert design.full.quality.rows_read == n  # the row accounting is the full input's


def test_collapse_counts_a_missing_quantity_as_one_and_keeps_bad_ones_apart():
    inv = pd.DataFrame({"category": ["laptop"] * 5, "quantity": [2, None, "abc", 3, -1]})
    out = collapse(inv, "equipment").reset_index(drop=True)
    # 2 + 1 (missing: the default) + 3 merged; "abc" and -1 kept as they are, for the domain to reject
    assert sorted(map(str, out["quantity"].tolist())) == sorted(["6.0", "abc", "-1"])
    traffic = pd.DataFrame({"network": ["fixed"] * 3, "volume_gb": [1.0, None, 2.0]})
    assert sorted(map(str, collapse(traffic, "traffic")["volume_gb"])) == ["3.0", "nan"]  # required: no default


def test_lighting_design_sums_counts(catalog):
    lum = pd.DataFrame({"za": ["Z"] * 4, "technology": ["led"] * 4, "lamp_power_w": [40.0] * 4,
                        "luminaire_id": ["a", "b", "c", "d"], "latitude": 50.3, "longitude": 3.4,
                        "installation_year": 2020})
    design = prepare_design(lum, "lighting", catalog, year=2025, by="za")
    assert design.design_rows == 1
    np.testing.assert_allclose(design.draws.evaluate(2025).values, design.full.evaluate(2025).values, rtol=1e-12)


def test_comparison_is_computed_draw_by_draw(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    before = monte_carlo({"equipment": prepared}, 2025, draws=500, seed=8)
    after = monte_carlo({"equipment": prepared}, 2025, draws=500, seed=8,
                        overrides=Overrides(quantity_multiplier=0.5))
    change = compare(before, after).set_index("criterion").loc["gwp"]
    total = gwp_total(before)
    # halving every quantity halves every draw: the change is -total / 2 draw by draw
    assert change["p05"] == pytest.approx(-0.5 * np.quantile(total, 0.95), rel=1e-9)
    assert change["p95"] == pytest.approx(-0.5 * np.quantile(total, 0.05), rel=1e-9)
    assert change["p_reduction"] == 1.0
    same = compare(before, before).set_index("criterion").loc["gwp"]
    assert same["p05"] == same["p95"] == 0.0 and same["p_reduction"] == 0.0
    with pytest.raises(InputValueError) as error:
        compare(before, monte_carlo({"equipment": prepared}, 2025, draws=500, seed=9))
    assert error.value.code == "different_draws"


def test_sensitivity_ranks_by_share_of_variance(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    spec = UserRange("quantity_multiplier", 0.5, 1.0, 1.5, item="laptop")
    mc = monte_carlo({"equipment": prepared}, 2025, draws=4000, seed=7, user_ranges=[spec])
    table = sensitivity(mc).set_index("input")
    laptop = prepare_equipment(INVENTORY.iloc[[0]], tiny_catalog).evaluate(2025).total().loc["gwp", "total"]
    var_q = laptop ** 2 * (0.25 + 1 + 2.25 - 0.5 - 0.75 - 1.5) / 18  # triangular(0.5, 1, 1.5)
    var_m = (MONITOR_MANUFACTURING * TRIANGULAR_SD) ** 2
    assert table.loc[spec.id, "src2"] == pytest.approx(var_q / (var_q + var_m), abs=0.03)
    assert table["r2"].iloc[0] == pytest.approx(1.0, abs=1e-9)  # linear and additive: all explained


def test_bundled_distributions():
    table = factor_distributions(load_catalog()).set_index("factor_id")
    drawn = table[table["drawn"]]
    assert (drawn["low"] <= drawn["value"]).all() and (drawn["value"] <= drawn["high"]).all()
    assert table.loc["equipment_parameters/thin_client/annual_energy", "distribution"] == "uniform"
    assert table.loc["equipment_impacts/laptop/gwp/manufacturing", "distribution"] == "triangular"
    one_sided = table.loc["hosting/on_premises/pue"]  # low only: not drawn, and it says why
    assert not one_sided["drawn"] and "one-sided" in one_sided["reason"]


def test_lognormal_draws_take_low_and_high_as_the_95_percent_interval():
    values = draw("lognormal", 0.5, 1.0, 2.0, 200_000, np.random.default_rng(0))
    assert np.median(values) == pytest.approx(1.0, rel=0.01)  # sqrt(0.5 x 2)
    assert np.mean((values >= 0.5) & (values <= 2.0)) == pytest.approx(0.95, abs=0.003)


def test_bad_ranges_are_one_clear_error():
    with pytest.raises(InputValueError) as error:
        UserRange("quantity_multiplier", 1.2, 1.0, 1.5)
    assert error.value.code == "bad_user_range" and "low ≤ mode ≤ high" in str(error.value)
    with pytest.raises(UnknownNameError):
        UserRange("colour", 1, 1, 1)
    with pytest.raises(SobrieteError):
        sample(factor_distributions(load_catalog()), 1)
    with pytest.raises(InputValueError) as error:
        sample(factor_distributions(load_catalog()), 10, seed=-1)
    assert error.value.code == "bad_seed"


def test_a_user_range_never_silently_replaces_a_scenario_value(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    with pytest.raises(InputValueError) as error:
        monte_carlo({"equipment": prepared}, 2025, draws=10, overrides=Overrides(quantity_multiplier=0.5),
                    user_ranges=[UserRange("quantity_multiplier", 0.9, 1.0, 1.1)])
    assert error.value.code == "range_and_scenario"


def test_a_factor_common_to_both_runs_cancels_in_the_change(tiny_catalog):
    """Removing the laptops: the monitors' uncertain factor is in both runs and drawn alike, so the
    change is exactly minus the laptops' total at every draw (two separate intervals would not say so)."""
    from sobriete.report.uncertainty import render_change

    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    before = monte_carlo({"equipment": prepared}, 2025, draws=300, seed=12)
    after = monte_carlo({"equipment": prepared}, 2025, draws=300, seed=12,
                        overrides=Overrides(quantity_multiplier={"laptop": 0}))
    laptop = prepare_equipment(INVENTORY.iloc[[0]], tiny_catalog).evaluate(2025).total().loc["gwp", "total"]
    change = compare(before, after).set_index("criterion").loc["gwp"]
    assert change["p05"] == pytest.approx(-laptop, rel=1e-12) and change["p95"] == pytest.approx(-laptop, rel=1e-12)
    assert np.quantile(gwp_total(before), 0.95) - np.quantile(gwp_total(before), 0.05) > 20  # each run is uncertain
    text = render_change(compare(before, after), 2025, "sans portables")
    assert "P(baisse)" in text and "100,0 %" in text


@pytest.mark.parametrize("domain", ["lines", "traffic", "lighting", "equipment"])
def test_every_additive_domain_collapses_to_the_same_result(catalog, domain):
    rng = np.random.default_rng(21)
    n = 400
    frames = {
        "lines": pd.DataFrame({"entity": rng.choice(["A", "B"], n), "technology": rng.choice(["ftth", "adsl"], n),
                               "count": rng.integers(1, 5, n).astype(float), "invoice": np.arange(n)}),
        "traffic": pd.DataFrame({"entity": rng.choice(["A", "B"], n), "network": rng.choice(["fixed", "mobile"], n),
                                 "volume_gb": rng.choice([1.0, 2.5], n)}),
        "lighting": pd.DataFrame({"entity": rng.choice(["A", "B"], n), "za": rng.choice(["Z1", "Z2"], n),
                                  "technology": rng.choice(["led", "hps"], n), "lamp_power_w": 70.0,
                                  "latitude": 50.3, "longitude": 3.4, "installation_year": rng.integers(2010, 2013, n),
                                  "luminaire_id": np.arange(n).astype(str)}),
        "equipment": pd.DataFrame({"entity": rng.choice(["A", "B"], n),
                                   "category": rng.choice(["laptop", "monitor"], n),
                                   "purchase_year": rng.integers(2022, 2025, n), "serial": np.arange(n)}),
    }
    design = prepare_design(frames[domain], domain, catalog, year=2025, by="entity")
    assert design.collapsed and design.design_rows < n / 10
    np.testing.assert_allclose(design.draws.evaluate(2025).by("entity").values, design.full.evaluate(2025).values,
                               rtol=1e-12)
