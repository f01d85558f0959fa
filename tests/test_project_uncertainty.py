"""The project's Monte Carlo (``sobriete project assess --uncertainty N``): the one response model
for every variant, piece and year gives the draws the per-year code gave (a fixture recorded by
running that code), and :func:`sobriete.uncertainty.monte_carlo_combined` is the weighted sum of
per-year runs, with hand-computed draws on the tiny catalog."""

from __future__ import annotations

import json
import pickle
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from sobriete import load_catalog
from sobriete.equipment import prepare_equipment
from sobriete.errors import InputValueError
from sobriete.network import prepare_lines
from sobriete.project import assess_project, load_project
from sobriete.project.uncertainty import project_uncertainty, variant_draws, variants_draws
from sobriete.schedule import Schedule
from sobriete.uncertainty import INTERVAL, UserRange, factor_distributions, monte_carlo, monte_carlo_combined, sample

ROOT = Path(__file__).parents[1]
#: Recorded by tests/data/make_project_uncertainty_fixture.py on commit 801756a (per-year models).
BEFORE = json.loads((ROOT / "tests" / "data" / "project_uncertainty_before.json").read_text())
# tiny catalog: monitor gwp manufacturing 50 kg in [40, 60], nothing else drawn
INVENTORY = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [4, 10], "purchase_year": [2024, 2024]})
MONITOR = "equipment_impacts/monitor/gwp/manufacturing"


@pytest.fixture(scope="module")
def default_catalog():
    return load_catalog()


def _assess(case: dict, catalog):
    if "file" in case:
        return assess_project(ROOT / case["file"], catalog=catalog, sensitivity=False)
    project, source = load_project(text=case["text"])
    schedules = {s["id"]: Schedule(**s) for s in case.get("schedules", [])} or None
    return assess_project(project, source=source, catalog=catalog, sensitivity=False, schedules=schedules,
                          baseline={k: pd.DataFrame(v) for k, v in case["baseline"].items()})


# --------------------------------------------------------------------------- against the old code
@pytest.mark.parametrize("case", BEFORE["cases"], ids=[c["name"] for c in BEFORE["cases"]])
def test_draws_equal_the_per_year_code(case, default_catalog):
    """Same seed, same draws: every variant's net delta, draw by draw, as the code that built one
    model per piece and year computed it (4 examples, late purchases shifted back, a lighting
    retrofit). Tolerance 1e-9 of the largest draw: only the order of the sums changed."""
    result = _assess(case, default_catalog)
    deltas, draws = variants_draws(result, range(len(result.variants)), draws=BEFORE["draws"], seed=BEFORE["seed"],
                                   criterion=BEFORE["criterion"])
    assert [v.name for v in result.variants] == list(case["variants"])
    for i, variant in enumerate(result.variants):
        old = case["variants"][variant.name]
        before = np.asarray(old["draws"])
        scale = max(np.abs(before).max(), 1.0)
        assert deltas[i] == pytest.approx(old["delta"], rel=1e-9, abs=1e-9 * scale)
        np.testing.assert_allclose(draws[:, i], before, rtol=1e-9, atol=1e-9 * scale)


def test_the_interval_reads_the_draws_and_one_variant_alone_gives_its_column(default_catalog):
    result = assess_project(ROOT / "examples" / "projects" / "bascule_cuivre_fibre.yaml", catalog=default_catalog,
                            sensitivity=False)
    frame = project_uncertainty(result, draws=300, seed=5)
    deltas, draws = variants_draws(result, range(len(result.variants)), draws=300, seed=5)
    assert frame["delta"].tolist() == pytest.approx(result.summary()["net_delta"].tolist(), rel=1e-9)
    for i, row in frame.iterrows():
        low, high = np.quantile(draws[:, i], INTERVAL)
        assert (row["p05"], row["p95"], row["mean"]) == pytest.approx((low, high, draws[:, i].mean()), rel=1e-12)
        assert row["p_reduction"] == (draws[:, i] < 0).mean()
        alone, values = variant_draws(result, i, draws=300, seed=5)
        assert alone == pytest.approx(deltas[i], rel=1e-12)
        np.testing.assert_allclose(values, draws[:, i], rtol=1e-12)


# --------------------------------------------------------------------------- monte_carlo_combined
def test_a_change_between_two_years_of_the_same_devices_is_certain(tiny_catalog):
    """4 laptops and 10 monitors bought in 2024 (monitor lifetime 4 years): their amortised
    manufacturing is the same in 2025 and 2026, so 2026 − 2025 is the same in every draw (common
    random numbers), and 2025 + 2026 moves by 2 × 10 × 50 / 4 × (multiplier − 1)."""
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    weights = {0: np.array([[-1.0, 1.0]]), 1: np.array([[1.0, 1.0]])}  # outputs: 2026 − 2025, 2025 + 2026
    mc = monte_carlo_combined([(prepared, 2025), (prepared, 2026)], lambda t, fp: weights[t], draws=200, seed=9)
    k = mc.criteria.index("gwp")
    years = [prepared.evaluate(y).total().loc["gwp", "total"] for y in (2025, 2026)]
    assert mc.deterministic[:, k] == pytest.approx([years[1] - years[0], years[0] + years[1]], rel=1e-12)
    np.testing.assert_allclose(mc.values[:, 0, k], years[1] - years[0], rtol=1e-9, atol=1e-9 * abs(years[0]))
    inputs = sample(factor_distributions(tiny_catalog), 200, seed=9)
    multiplier = inputs.values[:, inputs.ids.index(MONITOR)]
    np.testing.assert_allclose(mc.values[:, 1, k], sum(years) + 2 * 10 * 50 / 4 * (multiplier - 1), rtol=1e-9)
    assert mc.inputs == (MONITOR,) and mc.method == "model"


def test_combined_equals_the_weighted_sum_of_runs_year_by_year(default_catalog):
    """Several inputs of one domain in several years with weights of both signs: each output is
    the weighted sum of :func:`monte_carlo` runs, draw by draw (the real catalog: tens of ranged
    factors, cross terms); the exact method agrees with the model."""
    a = prepare_equipment(pd.DataFrame({"category": ["laptop", "monitor", "smartphone"], "quantity": [30, 20, 12],
                                        "purchase_year": [2021, 2023, 2024]}), default_catalog)
    b = prepare_equipment(pd.DataFrame({"category": ["laptop", "desktop"], "quantity": [5, 7],
                                        "purchase_year": [2024, 2019]}), default_catalog)
    terms = [(a, 2025), (b, 2025), (a, 2026)]
    weights = [np.array([[1.0, 0.0]]), np.array([[-1.0, 2.0]]), np.array([[0.5, -1.0]])]
    options = {"allocation": "at_purchase"}
    mc = monte_carlo_combined(terms, lambda t, fp: weights[t], draws=60, seed=2, options=options)
    runs = [monte_carlo({"equipment": p}, y, draws=60, seed=2, options={"equipment": options}) for p, y in terms]
    # halving the groups of inputs finds exactly the inputs each year's own probing finds
    assert set(mc.inputs) == {i for run in runs for i in run.domains["equipment"].inputs}
    for o in range(2):
        expected = sum(w[0, o] * r.totals() for w, r in zip(weights, runs))
        np.testing.assert_allclose(mc.values[:, o, :], expected, rtol=1e-9, atol=1e-9 * np.abs(expected).max())
    exact = monte_carlo_combined(terms, lambda t, fp: weights[t], draws=60, seed=2, options=options, method="exact")
    assert exact.method == "exact" and mc.method == "model"
    np.testing.assert_allclose(exact.values, mc.values, rtol=1e-9, atol=1e-9 * np.abs(mc.values).max())
    # the probes do not multiply with the years: each one is evaluated once per term
    single = monte_carlo_combined(terms[:1], lambda t, fp: weights[0], draws=60, seed=2, options=options)
    assert mc.evaluations % len(terms) == 0 and mc.evaluations // len(terms) >= single.evaluations


def test_a_drawn_lifetime_is_evaluated_draw_by_draw(tiny_catalog):
    prepared = prepare_equipment(INVENTORY, tiny_catalog)
    lifetime = UserRange("lifetime_years", 3, 4, 6, item="monitor")
    mc = monte_carlo_combined([(prepared, 2025), (prepared, 2026)], lambda t, fp: np.ones((1, 1)), draws=20,
                              seed=4, user_ranges=[lifetime])
    assert mc.method == "exact"
    inputs = sample(factor_distributions(tiny_catalog), 20, seed=4, user_ranges=[lifetime])
    runs = [monte_carlo({"equipment": prepared}, y, draws=20, seed=4, user_ranges=[lifetime]).totals()
            for y in (2025, 2026)]
    np.testing.assert_allclose(mc.values[:, 0, :], runs[0] + runs[1], rtol=1e-12)
    assert len(set(inputs.values[:, inputs.ids.index(lifetime.id)])) == 20


def test_terms_of_two_domains_are_refused(default_catalog):
    laptops = prepare_equipment(INVENTORY, default_catalog)
    lines = prepare_lines(pd.DataFrame({"technology": ["adsl"], "count": [3.0]}), default_catalog)
    with pytest.raises(InputValueError, match="one domain, got: equipment, lines") as info:
        monte_carlo_combined([(laptops, 2025), (lines, 2025)], lambda t, fp: np.ones((len(fp.keys), 1)), draws=10)
    assert info.value.code == "mixed_domains"


# --------------------------------------------------------------------------- the catalog's copy
def test_the_last_multiplied_catalog_is_reused_and_not_pickled(tiny_catalog):
    doubled = tiny_catalog.with_multipliers({MONITOR: 2.0})
    assert tiny_catalog.with_multipliers({MONITOR: 2}) is doubled  # same multipliers: the same copy
    other = tiny_catalog.with_multipliers({MONITOR: 3.0})
    assert other is not doubled
    monitor = other.table("equipment_impacts").query("category == 'monitor' and phase == 'manufacturing'")
    assert monitor["value"].iloc[0] == pytest.approx(150.0)  # 50 kg × 3
    assert tiny_catalog.with_multipliers({MONITOR: 2.0}) is not doubled  # only the last copy is kept
    copy = pickle.loads(pickle.dumps(tiny_catalog))
    assert "_last_multiplied" not in copy.__dict__ and copy.hash == tiny_catalog.hash
