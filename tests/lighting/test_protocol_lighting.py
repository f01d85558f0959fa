"""Lighting on the domain protocol: prepare once, evaluate with overrides == assess the modified input."""

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobriete import load_catalog
from sobriete.errors import InputValueError, UnknownNameError
from sobriete.lighting import assess_lighting, prepare_lighting
from sobriete.protocol import DOMAINS, Overrides
from sobriete.retrofit import Retrofit
from sobriete.schedule import Schedule

TIMER = Schedule(id="timer", threshold_deg=None, hours=[{"start": "18:00", "end": "06:00"}])
WHERE = {"default_location": (50.0, 3.0), "schedules": {"timer": TIMER}}
#: Embodied factors so that every phase is exercised: 100 kgCO2e per led luminaire, 60 per hps.
IMPACTS = ("technology,criterion,phase,value,unit,low,high,source_id,status,note\n"
           "led,gwp,manufacturing,100,kgCO2e,,,test,sourced,\nhps,gwp,manufacturing,60,kgCO2e,,,test,sourced,\n"
           "led,gwp,end_of_life,4,kgCO2e,,,test,sourced,\n")


@pytest.fixture(scope="module")
def catalog(lighting_factors_dir, tmp_path_factory):
    path = tmp_path_factory.mktemp("impacts") / "lighting_impacts.csv"
    path.write_text(IMPACTS, encoding="utf-8")
    return load_catalog(path, directory=lighting_factors_dir)


@pytest.fixture()
def za(toy_za):
    return toy_za.assign(installation_year=[2015, 2020, 2020])  # every row within its 20-year life


def _assess(frame, catalog, **options):
    return assess_lighting(frame, 2025, catalog=catalog, **WHERE, **options)


def _same(a, b):
    np.testing.assert_allclose(a.values, b.values, rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(a.energy_kwh, b.energy_kwh, rtol=1e-12)
    np.testing.assert_array_equal(a.uncovered, b.uncovered)


def test_registered_and_equal_to_the_one_call_api(catalog, za):
    prepared = DOMAINS["lighting"].prepare(za, catalog, by=["za"], **WHERE)
    assert DOMAINS["lighting"].item_key == "za" and prepared.domain == "lighting"
    _same(prepared.evaluate(2025), _assess(za, catalog))
    assert prepared.evaluate(2025).values[:, 0, 0].sum() > 0  # embodied impacts are counted


@pytest.mark.parametrize("factor", [2, 7])
def test_linear_in_the_count(catalog, za, factor):
    one, many = _assess(za, catalog), _assess(za.assign(count=za["count"] * factor), catalog)
    np.testing.assert_allclose(many.values, factor * one.values, rtol=1e-12)
    np.testing.assert_allclose(many.energy_kwh, factor * one.energy_kwh, rtol=1e-12)


def test_evaluating_again_reuses_the_burning_hours(catalog, za):
    prepared = prepare_lighting(za, catalog, by="za", **WHERE)
    first = prepared.evaluate(2025)
    cached = dict(prepared._hours)
    _same(prepared.evaluate(2025), first)
    assert prepared._hours == cached and len(cached) == 2  # (site, schedule) pairs of 2025


@pytest.mark.parametrize("multiplier, modify", [
    (3.0, lambda f: f.assign(count=f["count"] * 3)),
    ({"A": 0.5}, lambda f: f.assign(count=f["count"] * np.where(f["za"] == "A", 0.5, 1))),
    ({"SHP": 0}, lambda f: f.assign(count=f["count"] * np.where(f["technology"] == "SHP", 0, 1))),
    (np.array([1.0, 4.0, 2.0]), lambda f: f.assign(count=f["count"] * [1.0, 4.0, 2.0])),
])
def test_quantity_multiplier(catalog, za, multiplier, modify):
    prepared = prepare_lighting(za, catalog, by="za", **WHERE)
    _same(prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=multiplier)), _assess(modify(za), catalog))


def test_energy_multiplier_equals_a_lower_power(catalog, za):
    prepared = prepare_lighting(za, catalog, by="za", **WHERE)
    # energy ∝ lamp power × (1 + gear loss): halving the energy of ZA B = halving its lamps' power
    changed = za.assign(lamp_power_w=za["lamp_power_w"] * np.where(za["za"] == "B", 0.5, 1))
    _same(prepared.evaluate(2025, overrides=Overrides(energy_multiplier={"B": 0.5})), _assess(changed, catalog))


def test_grid_factor_and_factor_multipliers_equal_a_modified_catalog(lighting_factors_dir, catalog, za, tmp_path):
    prepared = prepare_lighting(za, catalog, by="za", **WHERE)
    (tmp_path / "electricity.csv").write_text(
        "zone,year,usage,criterion,value,unit,low,high,source_id,status,note\n"
        "FR,2025,mix,gwp,0.3,kgCO2e/kWh,,,test,sourced,\n", encoding="utf-8")
    (tmp_path / "lighting_impacts.csv").write_text(IMPACTS.replace(",100,", ",250,"), encoding="utf-8")
    modified = load_catalog(tmp_path / "electricity.csv", tmp_path / "lighting_impacts.csv",
                            directory=lighting_factors_dir)
    overrides = Overrides(grid_factor={("FR", "gwp"): 0.3},
                          factor_multipliers={"lighting_impacts/led/gwp/manufacturing": 2.5})
    _same(prepared.evaluate(2025, overrides=overrides), _assess(za, modified))
    # the same electricity change as a multiplier of the factor id the year uses (FR 2025 mix: 0.1)
    doubled = Overrides(factor_multipliers={"electricity/FR/2025/mix/gwp": 3.0,
                                            "lighting_impacts/led/gwp/manufacturing": 2.5})
    _same(prepared.evaluate(2025, overrides=doubled), _assess(za, modified))
    unused = Overrides(factor_multipliers={"electricity/FR/2024/mix/gwp": 3.0})  # not the factor of 2025
    _same(prepared.evaluate(2025, overrides=unused), prepared.evaluate(2025))


def test_lifetime_override_equals_a_modified_catalog(lighting_factors_dir, za, tmp_path):
    base = (lighting_factors_dir / "lighting_technologies.csv").read_text(encoding="utf-8")
    (tmp_path / "lighting_technologies.csv").write_text(
        base.replace("led,lifetime,20", "led,lifetime,10"), encoding="utf-8")
    impacts = tmp_path / "lighting_impacts.csv"
    impacts.write_text(IMPACTS, encoding="utf-8")
    plain = load_catalog(impacts, directory=lighting_factors_dir)
    shorter = load_catalog(impacts, tmp_path / "lighting_technologies.csv", directory=lighting_factors_dir)
    prepared = prepare_lighting(za, plain, by="za", **WHERE)
    expected = _assess(za, shorter)
    _same(prepared.evaluate(2025, overrides=Overrides(lifetime_years={"led": 10})), expected)
    _same(prepared.evaluate(2025, overrides=Overrides(
        factor_multipliers={"lighting_technologies/led/lifetime": 0.5})), expected)
    # by hand: B's 5 led, 100 kgCO2e over 10 years
    assert expected.table("gwp").set_index("za").loc["B", "manufacturing"] == pytest.approx(5 * 100 / 10)


def test_schedule_per_za_equals_the_schedule_column(catalog, za):
    prepared = prepare_lighting(za, catalog, by="za", **WHERE)
    expected = _assess(za.assign(schedule=np.where(za["za"] == "A", "timer", None)), catalog)
    _same(prepared.evaluate(2025, overrides=Overrides(extra={"schedule": {"A": "timer"}})), expected)
    _same(prepared.evaluate(2025, overrides=Overrides(extra={"schedule": {"A": TIMER}})), expected)
    everywhere = _assess(za.assign(schedule="timer"), catalog)
    _same(prepared.evaluate(2025, overrides=Overrides(extra={"schedule_changes": {"default": "timer"}})), everywhere)
    # by hand: the timer burns 4,380 h in 2025; A draws 10 x 110 W + 2 x 40 W
    assert everywhere.energy_kwh[0] == pytest.approx(1180 * 4.38)


def test_retrofit_equals_the_retrofitted_inventory(catalog, za):
    prepared = prepare_lighting(za, catalog, by="za", **WHERE)
    rule = Retrofit(match={"technology": "hps"}, technology="led", lamp_power_w=40, investment_eur_per_luminaire=500)
    result = prepared.assess(2025, overrides=Overrides(extra={"retrofit": [rule], "retrofit_year": 2024}))
    hps = za["technology"] == "SHP"
    changed = za.assign(technology=np.where(hps, "led", za["technology"]),
                        lamp_power_w=np.where(hps, 40.0, za["lamp_power_w"]),
                        installation_year=np.where(hps, 2024, za["installation_year"]))
    _same(result.footprint, _assess(changed, catalog))
    assert result.investment_eur.tolist() == [10 * 500, 0]


def test_price_override(catalog, za):
    prepared = prepare_lighting(za, catalog, by="za", **WHERE)
    result = prepared.assess(2025, overrides=Overrides(extra={"energy_price_eur_per_kwh": 0.4}))
    np.testing.assert_allclose(result.summary["cost_eur"], result.footprint.energy_kwh * 0.4)
    doubled = prepared.assess(2025, overrides=Overrides(factor_multipliers={"lighting_parameters/energy_price": 2}))
    np.testing.assert_allclose(doubled.summary["cost_eur"], result.footprint.energy_kwh * 0.5)  # 2 x 0.25


def test_ungrouped_by_default_and_bad_overrides(catalog, za):
    prepared = prepare_lighting(za, catalog, **WHERE)
    assert len(prepared.keys) == 1 and prepared.by == ()
    with pytest.raises(UnknownNameError, match="Z9"):
        prepared.evaluate(2025, overrides=Overrides(quantity_multiplier={"Z9": 2}))
    with pytest.raises(InputValueError, match="2 values for 3 input rows"):
        prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=[1.0, 2.0]))
    with pytest.raises(UnknownNameError, match="electricity usage"):
        prepared.evaluate(2025, electricity="seasonal")


def test_per_row_overrides_skip_rejected_rows(catalog, za):
    frame = za.assign(technology=["SHP", "plasma", "LED"])  # row 1 is rejected
    prepared = prepare_lighting(frame, catalog, by="za", **WHERE)
    assert prepared.quality.rows_rejected == 1
    fp = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=np.array([2.0, 100.0, 3.0])))
    expected = _assess(frame.drop(index=1).assign(count=[20, 15]), catalog)
    np.testing.assert_allclose(fp.values, expected.values, rtol=1e-12)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(counts=st.lists(st.integers(0, 10_000), min_size=3, max_size=3), k=st.floats(0, 1_000))
def test_parts_and_multipliers_are_linear(catalog, toy_za, counts, k):
    """Property: impacts are linear in the count (a multiplier k scales every phase and the
    energy by k) and the groups add up to the ungrouped total."""
    frame = toy_za.assign(count=counts, installation_year=[2015, 2020, 2020])
    prepared = prepare_lighting(frame, catalog, by="za", **WHERE)
    base = prepared.evaluate(2025)
    scaled = prepared.evaluate(2025, overrides=Overrides(quantity_multiplier=k))
    np.testing.assert_allclose(scaled.values, k * base.values, rtol=1e-9, atol=1e-9)
    total = prepare_lighting(frame, catalog, **WHERE).evaluate(2025)
    np.testing.assert_allclose(total.values[0], base.values.sum(axis=0), rtol=1e-9, atol=1e-9)


def test_identical_rows_are_evaluated_as_one_cell_with_the_same_results(catalog):
    """Rows that only differ by their position are merged once (counts summed) for the evaluations
    without a per-row override: footprint, rows without a factor, summary and investment equal
    those of the rows themselves (an override with one value per row keeps the rows)."""
    import pandas as pd

    rng = np.random.default_rng(2)
    n = 400
    frame = pd.DataFrame({"za": rng.choice(["A", "B", "C"], n), "count": rng.integers(1, 4, n),
                          "technology": rng.choice(["SHP", "led"], n), "lamp_power_w": rng.choice([40.0, 100.0], n),
                          "installation_year": rng.choice([2000, 2010, 2020], n),
                          "schedule": rng.choice(["timer", None], n)})
    prepared = prepare_lighting(frame, catalog, by="za", **WHERE)
    assert prepared._cells.rows_per_entry.sum() == n and len(prepared._cells.count) <= 3 * 2 * 2 * 3 * 2
    ones = np.ones(n)
    rule = Retrofit(match={"technology": "hps", "za": ["B"]}, technology="led", lamp_power_w=30,
                    investment_eur_per_luminaire=400)
    for extra in ({}, {"lifetime_years": {"led": 12.0}, "grid_factor": {"gwp": 0.07}},
                  {"extra": {"retrofit": [rule], "schedule": {"C": "timer"}}}):
        merged = prepared.assess(2025, overrides=Overrides(**extra))
        rows = prepared.assess(2025, overrides=Overrides(quantity_multiplier=ones, **extra))
        _same(merged.footprint, rows.footprint)
        pd.testing.assert_frame_equal(merged.summary, rows.summary, rtol=1e-12)
        np.testing.assert_allclose(merged.investment_eur, rows.investment_eur, rtol=1e-12)
        assert merged.footprint.quality == rows.footprint.quality
    # hps has no end-of-life factor: its rows still in their 20-year life in 2025 (installed in 2010
    # or 2020) are counted as rows without a factor, not as cells
    baseline = prepared.evaluate(2025)
    eol = baseline.phases.index("end_of_life")
    hps_rows = frame[(frame["technology"] == "SHP") & (frame["installation_year"] > 2005)].groupby("za").size()
    assert baseline.uncovered[:, 0, eol].tolist() == hps_rows.reindex(["A", "B", "C"], fill_value=0).tolist()
    assert len(prepared._cells.count) < hps_rows.sum()  # fewer cells than those rows alone
