"""Illustrated reports (html, md) of ``lighting assess``, ``lighting check`` and ``network
copper-switch``: the content is there, the figures equal the JSON output of the same command, a
``<script>`` in a ZA or commune name stays text, French by default and English on request.
"""

from __future__ import annotations

import json
import re
from html import unescape
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.report.formatting import format_number

EXAMPLES = Path(__file__).parents[1] / "examples"
LUMINAIRES = EXAMPLES / "2025" / "eclairage_za.csv"
CONFORMITE = EXAMPLES / "2025" / "conformite"
SCHEDULES = EXAMPLES / "2025" / "horaires.yaml"
LINES = EXAMPLES / "2025" / "lignes_operateur.csv"
INJECTION = "<script>alert(1)</script>"


def _run(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert result.exit_code in (0, 1), result.output  # 1: rows rejected, the report is still written
    return result


def _injected(source: Path, folder: Path, old: str) -> Path:
    """A copy of ``source`` where the name ``old`` becomes a script tag."""
    path = folder / source.name
    path.write_text(source.read_text(encoding="utf-8").replace(old, INJECTION), encoding="utf-8")
    return path


def _html_text(path: Path) -> str:
    raw = path.read_text(encoding="utf-8")
    assert INJECTION not in raw and "<script" not in raw  # escaped: never a live tag
    return unescape(raw)


# --------------------------------------------------------------------------- lighting assess
@pytest.fixture(scope="module")
def lighting(tmp_path_factory):
    """The example luminaires with 'ZA du Moulin' renamed to a script tag, assessed with the LED
    scenario: the JSON output, the HTML report and the Markdown report."""
    folder = tmp_path_factory.mktemp("lighting")
    luminaires = _injected(LUMINAIRES, folder, "ZA du Moulin")
    common = ["lighting", "assess", luminaires, "--year", "2025", "--schedule", SCHEDULES,
              "--scenario", EXAMPLES / "scenario_led.yaml"]
    data = json.loads(_run(*common, "--format", "json").output.split("\nAttention")[0])
    _run(*common, "--format", "html", "-o", folder / "eclairage.html")
    _run(*common, "--format", "md", "--lang", "en", "-o", folder / "lighting.md")
    return folder, data


def test_lighting_html_has_the_per_za_table_chart_and_savings(lighting):
    folder, data = lighting
    html = _html_text(folder / "eclairage.html")
    for heading in ("Synthèse", "Par ZA", "Heures de fonctionnement par mois", "Lignes lues, rejetées et avertissements"):
        assert f">{heading}</h2>" in html
    assert "Scénario « LED et extinction 2026 »" in html
    assert html.count("<figure") == 2  # monthly hours, savings per ZA
    assert INJECTION in html  # shown as text once unescaped
    assert "Facteur d'électricité : mix moyen" in html


def test_lighting_html_values_equal_the_json_output(lighting):
    folder, data = lighting
    html = _html_text(folder / "eclairage.html")
    for za in data["summary"]:
        for column in ("energy_kwh", "gwp_total", "cost_eur"):
            assert f">{format_number(za[column])}<" in html, (za["za"], column)
    for za in data["savings"]:
        assert f">{format_number(za['gwp_saved'])}<" in html
    total = sum(z["energy_kwh"] for z in data["summary"])
    assert f"consomme {format_number(total)} kWh" in html


def test_lighting_markdown_in_english_writes_its_charts_beside(lighting):
    folder, data = lighting
    text = (folder / "lighting.md").read_text(encoding="utf-8")
    assert text.startswith("# Business-park lighting 2025")
    assert sorted(p.name for p in (folder / "lighting-figures").iterdir()) == ["01-lighting-hours.svg",
                                                                               "02-lighting-savings.svg"]
    escaped = INJECTION.replace("<", "&lt;").replace(">", "&gt;")
    assert escaped in text and INJECTION not in text
    first = data["summary"][0]
    assert format_number(first["energy_kwh"], "en") in text


def test_lighting_hours_chart_months_sum_to_the_table_total(lighting):
    """The monthly table's total column is the sum of its twelve months (rounded cells)."""
    folder, _ = lighting
    html = _html_text(folder / "eclairage.html")
    table = html[html.index("Heures équivalentes pleine puissance (h) par mois"):]
    row = re.search(r"<tr>\s*<td>ZA des Tilleuls</td>(.*?)</tr>", table, re.S).group(1)
    cells = [float(c.replace("\u202f", "").replace(" ", "").replace(",", "."))
             for c in re.findall(r"<td[^>]*>([^<]*)</td>", row)[1:]]
    assert len(cells) == 13 and sum(cells[:12]) == pytest.approx(cells[12], abs=0.1 * 12)


def test_lighting_assess_with_compliance_columns_gets_the_compliance_block(tmp_path):
    luminaires = CONFORMITE / "eclairage_za_conformite.csv"
    common = ["lighting", "assess", luminaires, "--year", "2025", "--schedule", SCHEDULES,
              "--sites", CONFORMITE / "za_sites.csv"]
    data = json.loads(_run(*common, "--format", "json").output.split("\nAttention")[0])
    _run(*common, "--format", "html", "-o", tmp_path / "e.html")
    html = _html_text(tmp_path / "e.html")
    assert ">Conformité à l'arrêté du 27 décembre 2018</h2>" in html
    total = data["compliance"]["total"]
    assert f"({int(total['compliant'])} sur {int(total['luminaires'])})" in html
    assert f"économiserait : {format_number(total['energy_saved_kwh'])} kWh/an" in html


# --------------------------------------------------------------------------- lighting check
def test_lighting_check_html_counts_equal_json(tmp_path):
    luminaires = _injected(CONFORMITE / "eclairage_za_conformite.csv", tmp_path, "ZA du Moulin")
    sites = _injected(CONFORMITE / "za_sites.csv", tmp_path, "ZA du Moulin")
    common = ["lighting", "check", luminaires, "--sites", sites, "--schedule", SCHEDULES, "--year", "2025"]
    data = json.loads(_run(*common, "--format", "json").output)
    _run(*common, "--format", "html", "-o", tmp_path / "c.html")
    html = _html_text(tmp_path / "c.html")
    assert INJECTION in html
    moulin = next(z for z in data["summary"] if z["za"] == INJECTION)
    row = re.search(r"<td>" + re.escape(INJECTION.replace("<", "&lt;").replace(">", "&gt;")) + r"</td>(.*?)</tr>",
                    (tmp_path / "c.html").read_text(encoding="utf-8"), re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[:4] == [str(int(moulin[k])) for k in ("luminaires", "compliant", "not_compliant", "unknown")]
    assert html.count("<figure") == 1
    english = _run(*common, "--format", "md", "--lang", "en").output
    assert "## Compliance with the arrêté of 27 December 2018" in english


# --------------------------------------------------------------------------- network copper-switch
@pytest.fixture(scope="module")
def copper(tmp_path_factory):
    folder = tmp_path_factory.mktemp("copper")
    lines = _injected(LINES, folder, "Commune 02")
    data = json.loads(_run("network", "copper-switch", lines, "--year", "2025", "--format", "json").output)
    _run("network", "copper-switch", lines, "--year", "2025", "--format", "html", "-o", folder / "cuivre.html")
    return folder, lines, data


def test_copper_switch_html_values_equal_json(copper):
    folder, _, data = copper
    html = _html_text(folder / "cuivre.html")
    assert ">Synthèse</h2>" in html and html.count("<figure") == 1
    assert INJECTION in html
    for group in data["groups"]:
        assert f">{format_number(group['before'])}<" in html and f">{format_number(group['after'])}<" in html
    delta = sum(g["delta"] for g in data["groups"])
    assert delta < 0 and f"une variation de {format_number(delta)} kgCO2e" in html
    lines = sum(g["switched_lines"] for g in data["groups"])
    assert f"basculer {int(lines)} ligne(s)" in html


def test_copper_switch_markdown_in_english(copper):
    folder, lines, data = copper
    out = folder / "copper.md"
    _run("network", "copper-switch", lines, "--year", "2025", "--format", "md", "--lang", "en", "-o", out)
    text = out.read_text(encoding="utf-8")
    assert text.startswith("# Copper switch-off 2025")
    assert [p.name for p in (folder / "copper-figures").iterdir()] == ["01-copper-switch.svg"]
    assert "Change (after − before)" in text


def test_lighting_html_lists_the_rejected_rows(tmp_path):
    """A luminaire with a negative power is rejected: the illustrated report lists it with its reason."""
    source = LUMINAIRES.read_text(encoding="utf-8").splitlines()
    header, first = source[0], source[1]
    cells = first.split(";")
    power = [i for i, name in enumerate(header.split(";")) if "puissance" in name.lower()][0]
    cells[power] = "-70"
    path = tmp_path / "eclairage.csv"
    path.write_text("\n".join([header, ";".join(cells), *source[2:]]) + "\n", encoding="utf-8")
    result = _run("lighting", "assess", path, "--year", "2025", "--schedule", SCHEDULES, "--format", "html", "-o",
                  tmp_path / "e.html")
    assert result.exit_code == 1
    html = (tmp_path / "e.html").read_text(encoding="utf-8")
    assert "-70" in html and "1 ligne(s) rejetée(s)" in html
