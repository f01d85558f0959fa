"""Project assessment at scale (issue #10).

Target: a project of 50 changes per variant over 10 years, 3 variants, against a 10^6-row
baseline, with the sensitivity analysis (20 parameters: the catalog factors the deltas use and
the project's own ranges) included, in ≤ 5 s. ``extra_info`` gives the measured seconds and the
machine's floor beside it (preparing the baseline once, one evaluation of it prepared) with the
ratios, since the machine may be shared. Sizes from ``SOBRIETE_BENCH_SIZES`` (CI: 1000).
``test_project_uncertainty``: ``project assess --uncertainty 1000`` (the deterministic assessment,
then 1,000 draws of every variant's net delta) of the largest example project and of the project
above against baselines of ``SOBRIETE_BENCH_SIZES`` rows; ``extra_info`` gives the seconds, the
floor (one deterministic ``assess_project`` of the same project) and their ratio.
Run: ``python -m pytest benchmarks/test_bench_project.py --benchmark-only``.
"""

from __future__ import annotations

from pathlib import Path
from time import perf_counter, process_time

import numpy as np
import pandas as pd
import pytest

from sobriete.project import assess_project, load_project
from sobriete.project.uncertainty import project_uncertainty
from sobriete.synthetic import make_inventory

from .conftest import bench_sizes

START, HORIZON = 2026, 10
#: The largest example project (3 variants over 6 years, a 300-laptop GLPI baseline).
LARGEST_EXAMPLE = Path(__file__).parents[1] / "examples" / "projects" / "renouvellement_portables.yaml"
DRAWS = 1000
CATEGORIES = ["laptop", "desktop", "monitor", "smartphone", "tablet", "printer_multifunction"]


def project_text(n_changes: int = 50, n_variants: int = 3, n_ranges: int = 7, seed: int = 7) -> str:
    """A project of ``n_changes`` dated changes of every equipment, network and service kind per
    variant; the first ``n_ranges`` changes of each variant carry a range for the sensitivity
    analysis: a lifetime policy (the variant is rebuilt for each bound), the traffic, lines and
    service users (only their own rows are evaluated again)."""
    rng = np.random.default_rng(seed)
    kinds = ["add", "remove", "replace", "lifetime", "traffic", "lines", "service"]
    lines = [f"name: Bench\nstart: {START}\nhorizon_years: {HORIZON}\nusers: 5000\n"
             "electricity_price_eur_per_kwh: 0.2\nprices: [{category: laptop, eur: 900}]\nvariants:"]
    for v in range(n_variants):
        lines.append(f"  - name: variante {v + 1}\n    changes:")
        for i in range(n_changes):
            year = START + int(rng.integers(0, HORIZON))
            category = CATEGORIES[int(rng.integers(0, len(CATEGORIES)))]
            kind = kinds[i % len(kinds)]
            ranged = i < n_ranges
            if kind == "add":
                lines.append(f"      - {{kind: add, year: {year}, category: {category}, quantity: 10, "
                             "condition: refurbished}")
            elif kind == "remove":
                lines.append(f"      - {{kind: remove, year: {year}, select: {{category: {category}, "
                             f"purchased_before: 2020}}, quantity: 1}}")
            elif kind == "replace":
                lines.append(f"      - {{kind: replace, year: {year}, select: {{category: {category}, "
                             "purchased_before: 2020}, quantity: 2, by: {condition: refurbished, lifetime_years: 4}}")
            elif kind == "lifetime":
                extra = ", ranges: {lifetime_years: [6, 8]}" if ranged else ""
                lines.append(f"      - {{kind: lifetime, year: {year}, select: {{category: {category}, "
                             f"purchased_from: 2024}}, lifetime_years: 7{extra}}}")
            elif kind == "traffic":
                extra = ", ranges: {gb_per_year: [500, 2000]}" if ranged else ""
                lines.append(f"      - {{kind: traffic, year: {year}, network: fixed, gb_per_year: 1000{extra}}}")
            elif kind == "lines":
                extra = ", ranges: {count: [1, 1]}" if ranged else ""
                lines.append(f"      - {{kind: lines, year: {year}, technology: adsl, count: 1, to: ftth{extra}}}")
            else:
                extra = ", ranges: {users: [500, 1500]}" if ranged else ""
                lines.append(f"      - {{kind: service, year: {year}, users: 1000, devices: [{{category: laptop, "
                             f"hours_per_user_per_year: 2}}], traffic: [{{network: mobile, "
                             f"gb_per_user_per_year: 0.1}}]{extra}}}")
    return "\n".join(lines) + "\n"


def baseline(n_rows: int) -> dict[str, pd.DataFrame]:
    from sobriete import load_catalog

    inventory = make_inventory(n_rows, seed=42, categories=list(load_catalog().equipment.categories))
    lines = pd.DataFrame({"technology": ["adsl", "ftth", "mobile_4g"] * 40, "count": [5.0] * 120})
    return {"equipment": inventory, "lines": lines}


@pytest.mark.parametrize("n_rows", [n for n in bench_sizes("1000,100000,1000000") if n <= 1_000_000])
def test_project_50_changes_3_variants_with_sensitivity(benchmark, catalog, n_rows):
    project, source = load_project(text=project_text())
    frames = baseline(n_rows)
    cpu = []

    def assess():  # CPU time beside wall time: the machine is shared
        start = process_time()
        out = assess_project(project, source=source, baseline=frames, catalog=catalog)
        cpu.append(process_time() - start)
        return out

    result = benchmark.pedantic(assess, rounds=1 if n_rows >= 100_000 else 3, iterations=1)
    assert len(result.variants) == 3 and all(len(v.changes) == 50 for v in project.variants)
    parameters = result.sensitivity.groupby("variant")["parameter"].nunique()
    # per variant: 4 ranges of the file + the catalog factors its delta uses; 20 or more in all
    assert (parameters >= 12).all() and result.sensitivity["parameter"].nunique() >= 20
    benchmark.extra_info["parameters"] = int(result.sensitivity["parameter"].nunique())
    benchmark.extra_info["rows"] = n_rows
    # the machine's floor: one evaluation of the prepared baseline (the machine is shared: the
    # ratio measured / floor says more than seconds)
    prepare, evaluate = _floors(frames["equipment"], catalog)
    measured = float(benchmark.stats.stats.min)
    benchmark.extra_info["seconds"] = round(measured, 3)
    benchmark.extra_info["cpu_seconds"] = round(min(cpu), 3)
    benchmark.extra_info["floor_prepare_baseline_s"] = round(prepare, 4)
    benchmark.extra_info["floor_one_evaluation_s"] = round(evaluate, 5)
    benchmark.extra_info["ratio_to_prepare_baseline"] = round(measured / prepare, 1)
    benchmark.extra_info["ratio_to_one_evaluation"] = round(measured / evaluate, 1)


def _floors(inventory: pd.DataFrame, catalog, repeat: int = 3) -> tuple[float, float]:
    """Best times [s] of preparing the baseline inventory once and of one evaluation (one
    year) of it prepared: the machine's floor, measured beside the benchmark."""
    from time import perf_counter

    from sobriete.domains import DOMAINS

    prepare = evaluate = np.inf
    for _ in range(repeat):
        t = perf_counter()
        prepared = DOMAINS["equipment"].prepare(inventory, catalog, by=["category", "condition"])
        prepare = min(prepare, perf_counter() - t)
    prepared.evaluate(START)  # the first evaluation merges identical rows once
    for _ in range(repeat):
        t = perf_counter()
        prepared.evaluate(START + 1)
        evaluate = min(evaluate, perf_counter() - t)
    return prepare, evaluate


@pytest.mark.parametrize("size", ["example", *(n for n in bench_sizes("1000,100000,1000000") if n <= 1_000_000)])
def test_project_uncertainty(benchmark, catalog, size):
    """The deterministic assessment then 1,000 draws (what ``project assess --uncertainty 1000
    --no-sensitivity`` computes), beside its floor: the deterministic assessment alone."""
    if size == "example":
        args = [(LARGEST_EXAMPLE,), {}]
    else:
        project, source = load_project(text=project_text())
        args = [(project,), {"source": source, "baseline": baseline(size)}]

    def deterministic():
        return assess_project(*args[0], catalog=catalog, sensitivity=False, **args[1])

    times = {"floor": [], "draws": [], "cpu": []}

    def run():
        start, cpu = perf_counter(), process_time()
        result = deterministic()
        middle = perf_counter()
        spread = project_uncertainty(result, draws=DRAWS, seed=1)
        times["draws"].append(perf_counter() - middle)
        times["cpu"].append(process_time() - cpu)
        return result, spread

    result, spread = benchmark.pedantic(run, rounds=2 if size == "example" else 1, iterations=1, warmup_rounds=0)
    assert spread["delta"].tolist() == pytest.approx(result.summary()["net_delta"].tolist(), rel=1e-9, abs=1e-6)
    assert ((spread["p05"] <= spread["median"]) & (spread["median"] <= spread["p95"])).all()
    for _ in range(2):
        start = perf_counter()
        deterministic()
        times["floor"].append(perf_counter() - start)
    measured, floor = float(benchmark.stats.stats.min), min(times["floor"])
    benchmark.extra_info.update({
        "project": LARGEST_EXAMPLE.name if size == "example" else f"bench 3x50 changes, {size} baseline rows",
        "draws": DRAWS, "seconds": round(measured, 3), "cpu_seconds": round(min(times["cpu"]), 3),
        "draws_seconds": round(min(times["draws"]), 3), "floor_deterministic_assess_s": round(floor, 3),
        "ratio_to_floor": round(measured / floor, 2)})
