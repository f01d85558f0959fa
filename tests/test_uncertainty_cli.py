"""``sobriete assess --uncertainty N --seed S``: intervals in the table, JSON and CSV reports."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobriete.cli import main

EXAMPLES = Path(__file__).parents[1] / "examples" / "2025"


@pytest.fixture(scope="module")
def json_report():
    result = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--uncertainty", "200", "--seed", "3",
                                       "--format", "json", "--lang", "en"])
    assert result.exit_code == 1, result.output  # the examples have rejected rows
    return json.loads(result.stdout)


def test_json_report_carries_intervals_around_the_computed_total(json_report):
    summary = {(r["domain"], r["criterion"]): r for r in json_report["uncertainty"]["summary"]}
    total = summary[("all", "gwp")]
    assert total["p05"] < total["median"] < total["p95"]
    # the computed value is the assessment's own total, domain by domain too
    assert total["deterministic"] == pytest.approx(json_report["totals"]["gwp"]["value"], rel=1e-9)
    for name, domain in json_report["domains"].items():
        assert summary[(name, "gwp")]["deterministic"] == pytest.approx(domain["totals"]["gwp"]["value"], rel=1e-9)
    assert not total["complete"] and json_report["totals"]["gwp"]["complete"] is False
    assert json_report["uncertainty"]["draws"] == 200 and json_report["uncertainty"]["seed"] == 3
    assert {d["method"] for d in json_report["uncertainty"]["domains"].values()} <= {"model", "exact"}


def test_same_seed_same_report_in_french_table():
    args = ["assess", str(EXAMPLES), "--year", "2025", "--uncertainty", "100", "--seed", "7"]
    first, second = CliRunner().invoke(main, args), CliRunner().invoke(main, args)
    assert first.stdout == second.stdout
    assert "Incertitude (Monte Carlo : 100 tirages, graine 7)" in first.stdout
    assert "minorant" in first.stdout  # incomplete criteria stay marked as lower bounds


def test_csv_output_file_gets_an_uncertainty_file_beside_it(tmp_path):
    output = tmp_path / "bilan.csv"
    result = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--uncertainty", "50",
                                       "--format", "csv", "--output", str(output)])
    assert result.exit_code == 1, result.output
    beside = (tmp_path / "bilan.incertitude.csv").read_text(encoding="utf-8").splitlines()
    assert beside[0].split(";")[:5] == ["domain", "criterion", "phase", "deterministic", "mean"]
