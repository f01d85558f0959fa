"""Illustrated reports of the domain commands and the drawn year-on-year change, as a user runs
them (fresh interpreter: start-up, imports, reading, computing, charts, page):

- ``test_domain_report_command``: ``lighting assess`` (example ZA with the LED scenario and the
  compliance columns), ``lighting check`` and ``network copper-switch`` with ``--format html``;
- ``test_history_compare_uncertainty``: ``history compare 2024 2025 --uncertainty 1000`` on two
  saved assessments of the example authority (both years' inputs drawn with the same seed).

Run: ``python -m pytest benchmarks/test_bench_report_commands.py --benchmark-only``.
"""

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "2025"
CONFORMITE = EXAMPLE / "conformite"
COMMANDS = {
    "lighting-assess": ["lighting", "assess", CONFORMITE / "eclairage_za_conformite.csv", "--year", "2025",
                        "--schedule", EXAMPLE / "horaires.yaml", "--sites", CONFORMITE / "za_sites.csv",
                        "--scenario", ROOT / "examples" / "scenario_led.yaml"],
    "lighting-check": ["lighting", "check", CONFORMITE / "eclairage_za_conformite.csv", "--year", "2025",
                       "--schedule", EXAMPLE / "horaires.yaml", "--sites", CONFORMITE / "za_sites.csv"],
    "copper-switch": ["network", "copper-switch", EXAMPLE / "lignes_operateur.csv", "--year", "2025"],
}


def _run(*args) -> None:
    done = subprocess.run([sys.executable, "-m", "sobriete", *map(str, args)], capture_output=True, text=True,
                          cwd=ROOT)
    assert done.returncode in (0, 1), done.stderr


@pytest.mark.parametrize("name", list(COMMANDS))
def test_domain_report_command(benchmark, tmp_path, name):
    output = tmp_path / f"{name}.html"
    benchmark.group = "illustrated reports of the domain commands"
    benchmark.pedantic(_run, args=(*COMMANDS[name], "--format", "html", "-o", output), rounds=3, iterations=1)
    assert output.stat().st_size > 20_000


def test_history_compare_uncertainty(benchmark, tmp_path):
    db = tmp_path / "h.sqlite"
    for year in (2024, 2025):
        _run("assess", EXAMPLE, "--year", year, "--save", "--db", db)
    benchmark.group = "history compare --uncertainty"
    benchmark.pedantic(_run, args=("history", "compare", "2024", "2025", "--db", db, "--uncertainty", "1000",
                                   "--seed", "1", "--inputs-a", EXAMPLE, "--inputs-b", EXAMPLE), rounds=2, iterations=1)
