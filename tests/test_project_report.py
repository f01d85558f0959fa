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
