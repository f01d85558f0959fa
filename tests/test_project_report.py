"""``sobriete project assess --format html|md``: the illustrated project report (content present,
values equal to the JSON output, input strings escaped, French by default)."""

from __future__ import annotations

import json
import re
from html import unescape

import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.report.formatting import format_number

INJECTION = "<script>alert(1)</script>"
PROJECT = f"""name: "Portables {INJECTION}"
owner: DSI
start: 2026
horizon_years: 4
users: 10
baseline:
  inputs: [inventaire.csv]
variants:
  - name: sept ans
    changes:
      - kind: lifetime
        year: 2026
        select: {{category: laptop}}
        lifetime_years: 7
        ranges: {{lifetime_years: [6, 8]}}
"""


@pytest.fixture
def runner(monkeypatch, tmp_path, network_dir):
    monkeypatch.setenv("SOBRIETE_FACTORS_DIR", str(network_dir))
    monkeypatch.delenv("SOBRIETE_DB", raising=False)
    monkeypatch.delenv("SOBRIETE_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "inventaire.csv").write_text("category,quantity,purchase_year\nlaptop,10,2023\n", encoding="utf-8")
    (tmp_path / "projet.yaml").write_text(PROJECT, encoding="utf-8")
    return CliRunner()


def _json(runner) -> dict:
    result = runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def _visible(html: str) -> str:
    """The text a reader sees (tags and inline SVG removed, entities decoded)."""
    body = re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
    return unescape(re.sub(r"<[^>]+>", " ", body))


def test_html_report_has_the_summary_tables_and_both_charts_with_the_json_values(runner, tmp_path):
    doc = _json(runner)
    result = runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "html", "-o", "projet.html"])
    assert result.exit_code == 0, result.output
    html = (tmp_path / "projet.html").read_text(encoding="utf-8")
    text = _visible(html)
    summary = doc["summary"][0]
    # 10 laptops kept 7 years instead of 5 (tiny catalog): the net delta of the JSON, in French format
    net = format_number(round(summary["net_delta"], 1) + 0.0, "fr")
    assert summary["net_delta"] < 0
    assert f"Variante « sept ans » : {net} kgCO2e sur l'horizon (un gain)" in re.sub(r"\s+", " ", text)
    assert "Bilan par variante" in text and "delta par année" in text
    # every yearly delta of the JSON is in the yearly table
    yearly = {}
    for row in doc["deltas"]:
        if row["criterion"] == "gwp":
            yearly[row["year"]] = yearly.get(row["year"], 0.0) + row["delta"]
    for value in yearly.values():
        assert format_number(round(value, 1) + 0.0, "fr") in text
    assert html.count("<svg") == 2  # the yearly deltas with their running total, and the tornado
    assert "Sensibilité" in text and "Méthode" in text
    tornado = doc["sensitivity"][0]  # the lifetime range of the file: 6 and 8 years
    assert (tornado["low"], tornado["high"]) == (6, 8)
    assert format_number(round(tornado["result_low"], 1) + 0.0, "fr") in text
    assert "<script>alert(1)</script>" not in html  # the project name is escaped
    assert INJECTION in text                        # ...and shown as text
    assert "<script" not in html.lower().replace("&lt;script", "")


def test_payback_year_of_the_json_is_drawn_on_the_chart(runner, tmp_path):
    payback = _json(runner)["summary"][0]["carbon_payback_year"]
    html = runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "html"]).output
    assert payback is not None
    assert f"retour : {payback}" in html


def test_markdown_report_writes_its_charts_beside_it_and_english_on_request(runner, tmp_path):
    result = runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "md", "-o", "projet.md",
                                  "--lang", "en"])
    assert result.exit_code == 0, result.output
    md = (tmp_path / "projet.md").read_text(encoding="utf-8")
    assert md.startswith("# Project assessment: Portables")
    assert "## Variant 'sept ans'" in md and "## Sensitivity" in md
    svgs = sorted(p.name for p in (tmp_path / "projet-figures").glob("*.svg"))
    assert len(svgs) == 2
    assert INJECTION not in md  # escaped for Markdown renderers


# --------------------------------------------------------------------------- uncertainty
GREENFIELD = """name: Postes neufs
start: 2026
horizon_years: 2
variants:
  - name: plus dix
    changes:
      - {kind: add, year: 2026, category: laptop, quantity: 10}
"""


def test_zero_width_ranges_give_the_deterministic_delta(runner):
    # the tiny catalog gives no low/high: every draw is the deterministic delta, a reduction
    doc = json.loads(runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "json",
                                          "--uncertainty", "20", "--seed", "4"]).output)
    spread, summary = doc["uncertainty"][0], doc["summary"][0]
    assert spread["variant"] == "sept ans" and spread["draws"] == 20 and spread["seed"] == 4
    assert spread["delta"] == pytest.approx(summary["net_delta"], rel=1e-12)
    for key in ("mean", "median", "p05", "p95"):
        assert spread[key] == pytest.approx(summary["net_delta"], rel=1e-12)
    assert spread["p_reduction"] == 1.0


def test_same_seed_same_interval_around_the_delta_of_an_increase(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("SOBRIETE_FACTORS_DIR", raising=False)  # the bundled catalog: factors with ranges
    (tmp_path / "p.yaml").write_text(GREENFIELD, encoding="utf-8")
    args = ["project", "assess", "p.yaml", "--no-sensitivity", "--format", "json", "--uncertainty", "100",
            "--seed", "9"]
    first, second = (json.loads(CliRunner().invoke(main, args).output) for _ in range(2))
    assert first["uncertainty"] == second["uncertainty"]
    spread, summary = first["uncertainty"][0], first["summary"][0]
    assert spread["delta"] == pytest.approx(summary["net_delta"], rel=1e-9) and summary["net_delta"] > 0
    assert spread["p05"] < spread["delta"] < spread["p95"]
    assert spread["p_reduction"] == 0.0  # ten more laptops never reduce the footprint
    other = json.loads(CliRunner().invoke(main, args[:-1] + ["10"]).output)["uncertainty"][0]
    assert other["p05"] != spread["p05"]  # another seed, other draws
    table = CliRunner().invoke(main, args[:4] + args[6:]).output
    assert "Incertitude du delta net sur l'horizon, tirage par tirage (100 tirages, graine 9)" in table
    assert "P(baisse)" in table and format_number(round(spread["p95"], 1) + 0.0, "fr") in table
    html = CliRunner().invoke(main, args[:5] + ["html"] + args[6:]).output
    assert ">Incertitude</h2>" in html and format_number(round(spread["p05"], 1) + 0.0, "fr") in _visible(html)
