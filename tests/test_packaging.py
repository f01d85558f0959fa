"""The wheel carries the package, its unit definitions and the factor files."""

import json
import os
import subprocess
import sys
import venv
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(ROOT)],
                   check=True, capture_output=True)
    (path,) = out.glob("sobriete-*.whl")
    return path


@pytest.mark.slow
def test_wheel_contains_factor_files(wheel):
    names = set(zipfile.ZipFile(wheel).namelist())
    shipped = {p.name for p in (ROOT / "factors").glob("*.csv")}
    assert shipped and {f"sobriete/factors/{n}" for n in shipped} <= names
    assert "sobriete/units.txt" in names
    profiles = {p.name for p in (ROOT / "src" / "sobriete" / "profiles").glob("*.yaml")}
    assert {"glpi.yaml", "canonical.yaml"} <= profiles
    assert {f"sobriete/profiles/{n}" for n in profiles} <= names


@pytest.mark.slow
def test_installed_wheel_assesses_from_another_directory(wheel, tmp_path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target", str(target), str(wheel)],
                   check=True, capture_output=True)
    script = (
        "import sobriete as sb, pandas as pd\n"
        "from sobriete.factors import bundled_factors_dir\n"
        f"assert sb.__file__.startswith({str(target)!r}), sb.__file__\n"
        f"assert str(bundled_factors_dir()).startswith({str(target)!r})\n"
        "fp = sb.assess_equipment(pd.DataFrame({'category': ['laptop'], 'purchase_year': [2024]}), 2024)\n"
        "print(round(fp.total().loc['gwp', 'total'], 4))\n"
        "from sobriete.io import load_profile\n"
        "assert load_profile('glpi').domain == 'equipment'\n"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    result = subprocess.run([sys.executable, "-c", script], cwd=work, capture_output=True, text=True,
                            env={"PYTHONPATH": str(target), "PATH": "/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    # (170 + 12.3 + 2.79) / 5 + 29.0175 kWh x 0.0519 kgCO2e/kWh (ADEME, 2024 mix)
    assert float(result.stdout) == pytest.approx((170 + 12.3 + 2.79) / 5 + 29.0175 * 0.0519, abs=1e-3)


@pytest.mark.slow
def test_wheel_in_a_fresh_virtual_environment_runs_the_yearly_assessment(wheel, tmp_path):
    """pip install the wheel (dependencies from the package index) into a new virtual environment,
    then run the console script on the shipped examples from another directory."""
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=True)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    subprocess.run([str(bin_dir / "python"), "-m", "pip", "install", "-q", str(wheel)], check=True,
                   capture_output=True)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(bin_dir / "sobriete"), "assess", str(ROOT / "examples" / "2025"), "--year", "2025",
                             "--format", "json"], cwd=elsewhere, capture_output=True, text=True)
    assert result.returncode == 1, result.stderr  # assessed; the examples' bad rows are rejected on purpose
    doc = json.loads(result.stdout)
    rows = doc["rows"]
    assert rows["read"] == rows["assessed"] + rows["rejected"] == 4385
    assert set(doc["domains"]) == {"equipment", "traffic", "lines", "hosting", "lighting"}
    assert doc["totals"]["gwp"]["value"] > 0 and doc["catalog"]["version"].startswith("2026.")
