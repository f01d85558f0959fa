"""Writes ``project_uncertainty_before.json``: the draws of every variant's net delta computed by
the per-year Monte Carlo of ``sobriete.project.uncertainty`` as it was before the model was built
once for all years (commit 801756a). Run once, from the repository root, on that code:

    python tests/data/make_project_uncertainty_fixture.py

``tests/test_project_uncertainty.py`` recomputes the same cases with the current code and compares
draw by draw. The cases are stored with the fixture (project text or file, baseline rows,
schedules), so the test does not depend on this script.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).parents[2]
OUT = Path(__file__).with_name("project_uncertainty_before.json")

MIXED = """name: Mixte
start: 2026
horizon_years: 8
users: 100
variants:
  - name: tout
    changes:
      - {kind: add, year: 2026, category: laptop, quantity: 10, condition: refurbished}
      - {kind: add, year: 2029, category: monitor, quantity: 5}
      - {kind: replace, year: 2030, select: {category: desktop, purchased_before: 2020}, quantity: 2, by: {condition: refurbished, lifetime_years: 4}}
      - {kind: lifetime, year: 2027, select: {category: laptop, purchased_from: 2020}, lifetime_years: 7}
      - {kind: traffic, year: 2028, network: fixed, gb_per_year: 1000}
      - {kind: lines, year: 2027, technology: adsl, count: 2, to: ftth}
      - {kind: service, year: 2031, users: 200, devices: [{category: laptop, hours_per_user_per_year: 2}], traffic: [{network: mobile, gb_per_user_per_year: 0.1}]}
  - name: peu
    changes:
      - {kind: remove, year: 2032, select: {category: desktop}, quantity: 1}
      - {kind: lines, year: 2026, technology: adsl, count: 1}
"""
MIXED_BASELINE = {
    "equipment": pd.DataFrame({"category": ["laptop", "desktop", "monitor", "laptop"], "quantity": [20, 6, 10, 4],
                               "purchase_year": [2018, 2017, 2021, 2023]}),
    "lines": pd.DataFrame({"technology": ["adsl", "ftth"], "count": [5.0, 3.0]}),
}
LIGHTING = ("name: ZA\nstart: 2026\nhorizon_years: 3\nvariants:\n  - name: led\n    changes:\n"
            "      - kind: lighting\n        year: 2027\n        scenario:\n          retrofit:\n"
            "            - {match: {technology: hps}, technology: led, lamp_power_w: 40, "
            "investment_eur_per_luminaire: 500}\n")
LIGHTING_BASELINE = {"lighting": pd.DataFrame({
    "za": ["ZA Nord", "ZA Nord"], "count": [10, 5], "technology": ["SHP", "led"], "lamp_power_w": [100.0, 30.0],
    "installation_year": [2010, 2020], "schedule": ["timer"] * 2, "latitude": [50.35] * 2,
    "longitude": [3.45] * 2})}
TIMER = {"id": "timer", "threshold_deg": None, "hours": [{"start": "18:00", "end": "06:00"}]}

CASES = [
    *({"name": p.stem, "file": f"examples/projects/{p.name}"}
      for p in sorted((ROOT / "examples/projects").glob("*.yaml"))),
    {"name": "mixed", "text": MIXED, "baseline": {k: v.to_dict("list") for k, v in MIXED_BASELINE.items()}},
    {"name": "lighting", "text": LIGHTING, "baseline": {k: v.to_dict("list") for k, v in LIGHTING_BASELINE.items()},
     "schedules": [TIMER]},
]
DRAWS, SEED = 100, 1


def run(case: dict) -> dict:
    from sobriete import load_catalog
    from sobriete.project import assess_project, load_project
    from sobriete.project.uncertainty import variant_draws
    from sobriete.schedule import Schedule

    catalog = load_catalog()
    if "file" in case:
        result = assess_project(ROOT / case["file"], catalog=catalog, sensitivity=False)
    else:
        project, source = load_project(text=case["text"])
        schedules = {s["id"]: Schedule(**s) for s in case.get("schedules", [])} or None
        result = assess_project(project, source=source, catalog=catalog, sensitivity=False, schedules=schedules,
                                baseline={k: pd.DataFrame(v) for k, v in case["baseline"].items()})
    out = {}
    for index, variant in enumerate(result.variants):
        delta, draws = variant_draws(result, index, draws=DRAWS, seed=SEED)
        out[variant.name] = {"delta": delta, "draws": draws.tolist()}
    return out


def main() -> None:
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout.strip()
    cases = []
    for case in CASES:
        print(case["name"], file=sys.stderr, flush=True)
        cases.append({**case, "variants": run(case)})
    OUT.write_text(json.dumps({"commit": commit, "draws": DRAWS, "seed": SEED, "criterion": "gwp",
                               "cases": cases}, indent=1) + "\n")


if __name__ == "__main__":
    main()
