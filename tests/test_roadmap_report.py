"""``sobriete roadmap status --format html|md`` and ``--uncertainty``: the illustrated roadmap report
(trajectories, the marginal abatement cost curve of the measures), values equal to the JSON output,
input strings escaped; the interval of the inventories' footprint."""

from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from html import unescape
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.factors import load_catalog
from sobriete.report import charts
from sobriete.report.formatting import format_number
from sobriete.report.roadmap import abatement_frame
from sobriete.roadmap import load_roadmap
from sobriete.roadmap.uncertainty import inventory_uncertainty

EXAMPLE = Path(__file__).parents[1] / "examples" / "roadmap"
FACTORS = Path(__file__).parents[1] / "factors"
INJECTION = "<script>alert(1)</script>"
SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture
def example(tmp_path, monkeypatch):
    folder = tmp_path / "roadmap"
    shutil.copytree(EXAMPLE, folder)
    shutil.copytree(EXAMPLE.parent / "2025", tmp_path / "2025")
    shutil.copytree(EXAMPLE.parent / "projects", tmp_path / "projects")
    monkeypatch.delenv("SOBRIETE_DB", raising=False)
    monkeypatch.delenv("SOBRIETE_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


def run(folder, *args):
    return CliRunner().invoke(main, ["roadmap", "status", str(folder / "feuille-de-route.yaml"), "--db",
                                     str(folder / "historique.sqlite"), *map(str, args)])


def _visible(html: str) -> str:
    body = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", body)))


# --------------------------------------------------------------------------- the abatement curve
MEASURES = pd.DataFrame({"id": ["A", "B", "C", "D"], "title": ["cher", "bon marché", "sans effet", "rentable"],
                         "budget_eur": [1000.0, 300.0, 500.0, 0.0], "eur_per_tco2e": [500.0, 100.0, None, 0.0]})


def test_abatement_frame_keeps_measures_with_a_cost_per_tonne_sorted_cheapest_first():
    # A: 1 000 € / 500 €/t = 2 t; B: 300 / 100 = 3 t; C has no cost per tonne; D has no budget, so
    # its tonnes cannot be read from budget ÷ cost (0 / 0): both are left off the curve
    frame = abatement_frame(MEASURES)
    assert frame["id"].tolist() == ["B", "A"]
    assert frame["avoided_t"].tolist() == [3.0, 2.0]
    assert (frame["avoided_t"] * frame["eur_per_tco2e"]).tolist() == [300.0, 1000.0]  # area = budget


def test_abatement_curve_draws_bars_of_width_tonnes_and_height_cost_side_by_side():
    chart = charts.abatement_curve(["B", "A", "X"], [3.0, 2.0, -1.0], [100.0, 500.0, 50.0], title="MACC",
                                   unit_x="tCO2e", unit_y="€/tCO2e")
    root = ET.fromstring(chart.svg)
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert "tCO2e" in texts and "€/tCO2e" in texts
    assert "X" not in texts  # a measure that avoids nothing is not on the curve
    # bars in the order of cost, each described with its tonnes and its cost per tonne
    assert chart.description == "MACC: B 3,00 tCO2e, 100 €/tCO2e; A 2,00 tCO2e, 500 €/tCO2e"
    # the bars are side by side: B spans 0-3 t, A 3-5 t of an axis from 0 to 5 t, and A is 5 times as
    # tall as B. Matplotlib writes the axes' background (patch_2) then the bars (patch_3, patch_4).
    boxes = {}
    for m in re.finditer(r'<g id="(patch_\d+)">\s*<path d="([^"]*)"', chart.svg):
        numbers = [float(v) for v in re.findall(r"-?[\d.]+", m.group(2))]
        boxes[m.group(1)] = (min(numbers[0::2]), max(numbers[0::2]), min(numbers[1::2]), max(numbers[1::2]))
    x0, x1, _, zero = boxes["patch_2"]
    b_left, b_right, b_top, b_bottom = boxes["patch_3"]
    a_left, a_right, a_top, a_bottom = boxes["patch_4"]
    assert (b_left - x0) / (x1 - x0) == pytest.approx(0.0, abs=1e-6)
    assert (b_right - x0) / (x1 - x0) == pytest.approx(0.6, abs=1e-6)
    assert (a_left, a_right) == pytest.approx((b_right, x1), abs=1e-6)
    assert b_bottom == a_bottom == zero
    assert (a_bottom - a_top) / (b_bottom - b_top) == pytest.approx(5.0, rel=1e-4)


# --------------------------------------------------------------------------- the illustrated report
def test_html_status_has_trajectories_the_curve_and_the_json_values(example):
    yaml_path = example / "feuille-de-route.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("name: Feuille de route", f"name: \"{INJECTION} Feuille de route", 1)
                         .replace("(exemple synthétique)\n", "(exemple synthétique)\"\n", 1), encoding="utf-8")
    payload = json.loads(run(example, "--format", "json").stdout)
    assert payload["roadmap"].startswith(INJECTION)
    result = run(example, "--format", "html", "-o", example / "etat.html")
    assert result.exit_code == 0, result.output
    html = (example / "etat.html").read_text(encoding="utf-8")
    text = _visible(html)
    for heading in ("Synthèse", "État des objectifs", "Trajectoires", "Synthèse par thème", "Mesures"):
        assert f">{heading}</h2>" in html
    statuses = {s["indicator"]: s for s in payload["statuses"]}
    carbon = statuses["empreinte_carbone"]
    last = format_number(carbon["last_value"], "fr")
    assert f"Empreinte carbone : {last} kgCO2e en {carbon['last_year']}" in text
    targeted = [s for s in payload["statuses"] if s["status"] != "no_data"]
    assert html.count("<svg") == len(targeted) + 1  # one trajectory per targeted indicator, and the curve
    # the curve's measures: those of the JSON with a cost per tonne, cheapest first
    measures = sorted((m for m in payload["measures"] if m["eur_per_tco2e"] is not None),
                      key=lambda m: m["eur_per_tco2e"])
    described = re.search(r'aria-label="Courbe des coûts[^"]*: ([^"]*)"', html).group(1)
    assert [part.split(" ")[0] for part in unescape(described).split("; ")] == [m["id"] for m in measures]
    assert INJECTION in text and INJECTION not in html  # shown as text, never run


def test_markdown_status_in_english(example):
    result = run(example, "--format", "md", "-o", example / "status.md", "--lang", "en")
    assert result.exit_code == 0, result.output
    md = (example / "status.md").read_text(encoding="utf-8")
    assert "## Trajectories" in md and "## Measures" in md and "Marginal abatement cost curve" in md
    assert len(list((example / "status-figures").glob("*.svg"))) >= 2


# --------------------------------------------------------------------------- uncertainty
def test_uncertainty_same_seed_same_result_and_interval_around_the_footprint(example):
    first = json.loads(run(example, "--format", "json", "--uncertainty", 200, "--seed", 7).stdout)["uncertainty"]
    second = json.loads(run(example, "--format", "json", "--uncertainty", 200, "--seed", 7).stdout)["uncertainty"]
    assert first == second
    assert first["available"] and set(first["inputs"]) == {"lighting", "hosting"} and first["year"] == 2025
    total = next(r for r in first["summary"] if r["domain"] == "all" and r["criterion"] == "gwp")
    parts = [r["deterministic"] for r in first["summary"] if r["domain"] != "all" and r["criterion"] == "gwp"]
    assert total["deterministic"] == pytest.approx(sum(parts))
    assert total["p05"] < total["deterministic"] < total["p95"]
    table = run(example, "--uncertainty", 200, "--seed", 7).output
    assert "Empreinte des inventaires de 2025 (lighting, hosting) : 200 tirages, graine 7" in table
    assert format_number(total["p95"], "fr") in table


def test_zero_width_ranges_give_the_deterministic_value(example, tmp_path):
    folder = tmp_path / "no_ranges"
    shutil.copytree(FACTORS, folder)
    for path in folder.glob("*.csv"):
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        if {"value", "low", "high"} <= set(frame.columns):
            frame["low"] = frame["high"] = ""
            frame.to_csv(path, index=False)
    catalog = load_catalog(directory=folder)
    spread = inventory_uncertainty(load_roadmap(example / "feuille-de-route.yaml"), 2025, draws=50, seed=3,
                                   catalog=catalog)
    summary = spread.result.summary()
    # equal up to rounding (the draws sum the same terms in another order)
    assert summary["p05"].tolist() == pytest.approx(summary["deterministic"].tolist(), rel=1e-12, abs=1e-12)
    assert summary["p95"].tolist() == pytest.approx(summary["deterministic"].tolist(), rel=1e-12, abs=1e-12)
    assert (summary.query("criterion == 'gwp'")["deterministic"] > 0).all()


def test_uncertainty_without_inventories_says_so(example):
    payload = json.loads(run(example, "--format", "json", "--year", 2024, "--uncertainty", 50).stdout)
    assert payload["uncertainty"]["available"] is False
    assert "ne nomme aucun inventaire pour 2024" in payload["uncertainty"]["reason"]
    assert "Incertitude non calculée" in run(example, "--year", 2024, "--uncertainty", 50).output
