"""A project against the roadmap: its yearly delta set against the remaining budget of each
carbon target (hand-computed), and the CLI block in French, English and JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.history import History
from sobriete.project.roadmap_fit import first_exceeding, roadmap_fit
from sobriete.roadmap import evaluate_roadmap, load_roadmap

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"


def _status(indicator="footprint_gwp", direction="lower", last_value=950.0):
    # baseline 2023: 1000 kgCO2e, target 600 in 2027: the straight path loses 100 a year
    return {"indicator": indicator, "unit": "kgCO2e", "baseline_year": 2023, "baseline_value": 1000.0,
            "target_year": 2027, "target_value": 600.0, "direction": direction, "last_year": 2024,
            "last_value": last_value}


def _deltas():
    rows = []
    for year, use, embodied in [(2025, -120.0, -80.0), (2026, -120.0, -80.0), (2028, 30.0, 0.0)]:
        rows.append({"variant": "v", "year": year, "domain": "equipment", "criterion": "gwp", "phase": "use",
                     "delta": use})
        rows.append({"variant": "v", "year": year, "domain": "lines", "criterion": "gwp", "phase": "manufacturing",
                     "delta": embodied})
        rows.append({"variant": "v", "year": year, "domain": "lines", "criterion": "pe", "phase": "use",
                     "delta": 1e6})  # another criterion: never counted
    return pd.DataFrame(rows)


def test_budget_is_the_trajectory_minus_the_last_value_by_hand():
    fit = roadmap_fit(_deltas(), pd.DataFrame([_status()]))
    # trajectory 2025 = 1000 − 2 × 100 = 800, budget = 800 − 950 = −150; delta −200 ≤ −150: fits
    # 2026: 700 → −250; delta −200 > −250: exceeds; 2028 (after the target year): 600 → −350; +30 exceeds
    assert fit["year"].tolist() == [2025, 2026, 2028]
    assert fit["trajectory_value"].tolist() == [800.0, 700.0, 600.0]
    assert fit["budget"].tolist() == [-150.0, -250.0, -350.0]
    assert fit["delta"].tolist() == [-200.0, -200.0, 30.0]
    assert fit["fits"].tolist() == [True, False, False]
    verdict = first_exceeding(fit).iloc[0]
    assert not verdict["fits_all"] and verdict["first_year_exceeding"] == 2026


def test_part_indicators_count_their_part_only_and_other_targets_are_left_out():
    statuses = pd.DataFrame([_status("footprint_gwp_use"), _status("footprint_gwp_network"),
                             _status("reuse_rate_pct", direction="higher"),
                             _status(last_value=float("nan"))])
    fit = roadmap_fit(_deltas(), statuses)
    assert set(fit["indicator"]) == {"footprint_gwp_use", "footprint_gwp_network"}
    use = fit[fit["indicator"] == "footprint_gwp_use"]
    network = fit[fit["indicator"] == "footprint_gwp_network"]
    assert use["delta"].tolist() == [-120.0, -120.0, 30.0]
    assert network["delta"].tolist() == [-80.0, -80.0, 0.0]
    assert network["fits"].tolist() == [False, False, False]   # −80 > −150, −80 > −250, 0 > −350
    assert roadmap_fit(_deltas(), pd.DataFrame([_status("footprint_gwp_use", last_value=700.0)]))[
        "fits"].tolist() == [True, True, False]   # budgets +100, 0, −100 against −120, −120, +30


@pytest.fixture
def example(tmp_path, monkeypatch):
    for name in ("roadmap", "2025", "projects"):
        shutil.copytree(EXAMPLES / name, tmp_path / name)
    monkeypatch.delenv("SOBRIETE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _assess(*extra):
    return CliRunner().invoke(main, ["project", "assess", "projects/renouvellement_portables.yaml", "--no-sensitivity",
                                     "--roadmap", "roadmap/feuille-de-route.yaml", "--db", "roadmap/historique.sqlite",
                                     *extra])


def test_cli_block_reconciles_with_the_roadmap_status_and_the_deltas(example):
    result = _assess("--format", "json")
    data = json.loads(result.output)
    assert result.exit_code == (1 if data["baseline_rows"]["rejected"] else 0)   # as without --roadmap
    plan = load_roadmap(example / "roadmap" / "feuille-de-route.yaml")
    with History(example / "roadmap" / "historique.sqlite", create=False) as history:
        status = evaluate_roadmap(plan, history, assessor=None).statuses
    target = status[status["indicator"] == "empreinte_carbone"].iloc[0]   # −30 % in 2030, lower is better
    years = data["roadmap"]["years"]
    assert {r["indicator"] for r in years} == {"empreinte_carbone"}
    deltas = pd.DataFrame(data["deltas"])
    for row in years:
        share = (row["year"] - target["baseline_year"]) / (target["target_year"] - target["baseline_year"])
        path = target["target_value"] if row["year"] >= target["target_year"] else \
            target["baseline_value"] + min(share, 1.0) * (target["target_value"] - target["baseline_value"])
        assert row["trajectory_value"] == pytest.approx(path)
        assert row["budget"] == pytest.approx(path - target["last_value"])
        d = deltas[(deltas["variant"] == row["variant"]) & (deltas["year"] == row["year"])
                   & (deltas["criterion"] == "gwp")]
        assert row["delta"] == pytest.approx(d["delta"].sum())
        assert row["fits"] == (row["delta"] <= row["budget"])
    assert len(data["roadmap"]["verdicts"]) == len(data["summary"])   # one verdict per variant and target


def test_cli_block_in_french_and_english(example):
    fr = _assess()
    assert fr.exit_code in (0, 1), fr.output   # 1: the example's baseline has rejected rows
    assert "Compatibilité avec la feuille de route" in fr.output and "Budget restant" in fr.output
    assert "tient dans le budget" in fr.output or "dépasse le budget" in fr.output
    en = _assess("--lang", "en")
    assert en.exit_code == fr.exit_code and "Fit with the roadmap" in en.output and "Remaining budget" in en.output
