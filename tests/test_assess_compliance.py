"""The lighting compliance block in ``sobriete assess`` reports (issue #13): present when the
lighting inventory carries compliance columns or ``--sites`` is given, equal to ``sobriete
lighting check``, absent (report unchanged) otherwise."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.compliance import RULES

EXAMPLES = Path(__file__).parents[1] / "examples" / "2025"
LUMINAIRES = EXAMPLES / "conformite" / "eclairage_za_conformite.csv"
SITES = EXAMPLES / "conformite" / "za_sites.csv"
SCHEDULES = EXAMPLES / "horaires.yaml"


def _json(*args) -> dict:
    result = CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)


@pytest.fixture(scope="module")
def with_sites():
    assessed = _json("assess", LUMINAIRES, "--year", "2025", "--schedule", SCHEDULES, "--sites", SITES,
                     "--format", "json")
    checked = _json("lighting", "check", LUMINAIRES, "--sites", SITES, "--schedule", SCHEDULES, "--year", "2025",
                    "--format", "json")
    return assessed, checked


def test_assess_json_gains_the_compliance_summary_of_lighting_check(with_sites):
    assessed, checked = with_sites
    [block] = assessed["compliance"]
    assert block["file"] == LUMINAIRES.name
    assert block["total"] == checked["total"] and block["summary"] == checked["summary"]
    total = block["total"]
    assert total["luminaires"] == 343  # every luminaire of the example, as the assessment counted them
    assert block["share_compliant"] == pytest.approx(total["compliant"] / total["luminaires"])
    for rule in RULES:  # per rule, the four statuses account for every luminaire
        assert sum(total[f"{rule}_{s}"] for s in ("compliant", "not_compliant", "unknown", "not_applicable")) == 343
    # the Escaut car park lit all night breaks art. 2: a compliant schedule saves energy there
    escaut = next(z for z in block["summary"] if z["za"].startswith("Parc d'activités de l'Escaut"))
    assert escaut["switch_off_not_compliant"] > 0 and escaut["energy_saved_kwh"] > 0
    assert total["energy_saved_kwh"] == pytest.approx(sum(z["energy_saved_kwh"] for z in block["summary"]))


def test_assess_table_shows_the_compliance_block():
    result = CliRunner().invoke(main, ["assess", str(LUMINAIRES), "--year", "2025", "--schedule", str(SCHEDULES),
                                       "--sites", str(SITES)])
    assert result.exit_code == 0, result.output
    assert "Conformité de l'éclairage des ZA — arrêté du 27 décembre 2018" in result.stdout
    assert "Part des luminaires conformes à toutes les règles décisives" in result.stdout


def test_compliance_columns_alone_bring_the_block_without_sites():
    assessed = _json("assess", LUMINAIRES, "--year", "2025", "--schedule", SCHEDULES, "--format", "json")
    [block] = assessed["compliance"]
    assert block["total"]["luminaires"] == 343
    assert "no sites file: activity hours, protection and lit surface of the ZAs are unknown" in \
        block["quality"]["warnings"]
    assert block["total"]["switch_off_unknown"] == 343  # without activity hours art. 2 cannot be decided


def test_no_compliance_column_leaves_the_report_unchanged():
    data = _json("assess", EXAMPLES / "eclairage_za.csv", "--year", "2025", "--format", "json")
    assert "compliance" not in data
    table = CliRunner().invoke(main, ["assess", str(EXAMPLES / "eclairage_za.csv"), "--year", "2025"])
    assert "Conformité" not in table.stdout


def test_sites_without_lighting_is_one_clear_error(tmp_path):
    inventory = tmp_path / "parc.csv"
    inventory.write_text("category;quantity;purchase_year\nlaptop;3;2023\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["assess", str(inventory), "--year", "2025", "--sites", str(SITES)])
    assert result.exit_code == 2
    assert "--sites demande un inventaire d'éclairage parmi les fichiers évalués" in result.output


def test_output_file_gets_the_block(tmp_path):
    out = tmp_path / "bilan.json"
    result = CliRunner().invoke(main, ["assess", str(LUMINAIRES), "--year", "2025", "--schedule", str(SCHEDULES),
                                       "--format", "json", "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert json.loads(out.read_text(encoding="utf-8"))["compliance"][0]["total"]["luminaires"] == 343


def test_assess_html_report_gets_the_compliance_section(tmp_path, with_sites):
    from html import unescape

    out = tmp_path / "bilan.html"
    result = CliRunner().invoke(main, ["assess", str(LUMINAIRES), "--year", "2025", "--schedule", str(SCHEDULES),
                                       "--sites", str(SITES), "--format", "html", "-o", str(out),
                                       "--db", str(tmp_path / "absent.sqlite")])
    assert result.exit_code == 0, result.output
    html = unescape(out.read_text(encoding="utf-8"))
    total = with_sites[1]["total"]
    assert ">Conformité à l'arrêté du 27 décembre 2018</h2>" in html
    assert f"({int(total['compliant'])} sur {int(total['luminaires'])})" in html
