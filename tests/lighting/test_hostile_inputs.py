"""Regressions from a hostile review of ``lighting check`` / ``lighting assess``: a cp1252 file
with ``;`` and decimal commas, a ZA name with ``<script>``, a negative and a non-numeric power,
an unknown technology and a negative ULR."""

from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.compliance import check_file
from sobriete.report.lighting import table, with_total

ROOT = Path(__file__).resolve().parents[2]
SCHEDULES = ROOT / "examples" / "2025" / "horaires.yaml"
ROWS = """Zone d'activité;Identifiant;Type de source;Puissance (W);Année de pose;Latitude;Longitude;Régime d'allumage;ULR (%);Température de couleur (K)
ZA <script>alert(1)</script>;A1;LED;55,5;2021;50,35;3,44;za_nuit;0;3000
ZA Moulin;A2;SHP;-70;1994;50,35;3,44;za_nuit;2,5;2000
ZA Moulin;A3;Plasma;70;1994;50,35;3,44;za_nuit;;
ZA Moulin;A4;LED;abc;1994;50,35;3,44;za_nuit;;
ZA Moulin;A5;LED;40;2022;50,35;3,44;za_nuit;-3;3000
"""


@pytest.fixture
def hostile(tmp_path):
    path = tmp_path / "hostile.csv"
    path.write_bytes(ROWS.encode("cp1252"))
    return path


def test_check_names_the_file_header_and_the_typed_value_in_row_order(hostile):
    _, quality = check_file(hostile, schedules=None, year=2025)
    rejected = quality.rejected[["row", "column", "value"]].astype(str).values.tolist()
    assert rejected == [["3", "Puissance (W)", "-70"], ["4", "Type de source", "Plasma"],
                        ["5", "Puissance (W)", "abc"], ["6", "ULR (%)", "-3"]]
    assert (quality.rows_read, quality.rows_assessed, quality.rows_rejected) == (5, 1, 4)


def test_check_cli_lists_rejections_as_written(hostile):
    out = CliRunner().invoke(main, ["lighting", "check", str(hostile), "--year", "2025"]).output
    assert "hostile.csv, ligne 3, colonne Puissance (W) : valeur hors des limites plausibles (valeur : -70)" in out
    assert "ligne 6, colonne ULR (%) : valeur hors des limites plausibles (valeur : -3)" in out
    assert "lamp_power_w" not in out and "ulr_percent" not in out
    assert out.index("ligne 3,") < out.index("ligne 4,") < out.index("ligne 5,") < out.index("ligne 6,")


def test_assess_compliance_block_counts_like_check_and_no_unused_column_notice(hostile):
    out = CliRunner().invoke(main, ["lighting", "assess", str(hostile), "--year", "2025",
                                    "--schedule", str(SCHEDULES)]).output
    assert "Lignes lues : 5 = 1 évaluées + 4 rejetées" in out          # same accounting as lighting check
    assert "non utilisée" not in out                                  # ULR and colour temperature are read
    assert "Empty DataFrame" not in out and "reason_code" not in out
    assert "ligne 3, colonne Puissance (W) : la puissance doit être un nombre ≥ 0 (valeur : -70)" in out


def test_assess_table_has_a_total_that_adds_up(hostile):
    result = CliRunner().invoke(main, ["lighting", "assess", str(hostile), "--year", "2025",
                                       "--schedule", str(SCHEDULES), "--price", "0.2"])
    lines = result.output.splitlines()
    assert lines[2].startswith("ZA <script>alert(1)</script>")       # text left-aligned, shown as typed
    total = next(line for line in lines if line.startswith("Total"))
    # two LED luminaires of 55.5 W and 40 W, one schedule: 2 luminaires, 0.0955 kW
    assert total.split()[1:3] == ["2", "0,0955"]


def test_with_total_sums_parts_and_recomputes_ratios():
    savings = pd.DataFrame({"za": ["A", "B"], "investment_eur": [1000.0, 3000.0], "cost_saved_eur": [100.0, 100.0],
                            "payback_years": [10.0, 30.0], "system_power_kw": [1.0, 3.0],
                            "energy_kwh": [4000.0, 6000.0], "full_power_hours": [4000.0, 2000.0],
                            "luminaires": [3, 4]})
    total = with_total(savings).iloc[-1]
    assert total["za"] == "Total"
    assert total["investment_eur"] == 4000.0 and total["cost_saved_eur"] == 200.0
    assert total["payback_years"] == 20.0                             # 4000 € / 200 €/an, not 10 + 30
    assert total["full_power_hours"] == 2500.0                        # 10 000 kWh / 4 kW
    assert total["luminaires"] == 7 and with_total(savings)["luminaires"].dtype.kind == "i"


def test_table_aligns_text_left_numbers_right_and_counts_without_decimals():
    text = table(pd.DataFrame({"za": ["ZA 1", "Total"], "luminaires": [87, 343], "energy_kwh": [1234.5, 12.0]}))
    assert text.splitlines() == ["ZA     luminaires  énergie (kWh/an)",
                                 "-----  ----------  ----------------",
                                 "ZA 1           87           1 234,5",
                                 "Total         343             12,00"]


def test_assess_with_every_row_rejected_says_so_in_one_sentence(hostile):
    # without the schedules file every row's schedule 'za_nuit' is unknown
    result = CliRunner().invoke(main, ["lighting", "assess", str(hostile), "--year", "2025"])
    assert result.exit_code == 1
    assert result.stdout.splitlines()[0] == "Aucun luminaire évalué : toutes les lignes sont rejetées (motifs ci-dessous)."
    assert "Empty DataFrame" not in result.output
    assert "ligne 2, colonne Régime d'allumage : horaire inconnu" in result.stderr


def test_assess_of_a_header_only_file(tmp_path):
    path = tmp_path / "entete.csv"
    path.write_text(ROWS.splitlines()[0] + "\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["lighting", "assess", str(path), "--year", "2025"])
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "Aucun luminaire évalué : le fichier n'a aucune ligne de données."


def test_check_in_english_gives_reasons_without_code_words(hostile):
    out = CliRunner().invoke(main, ["lighting", "check", str(hostile), "--year", "2025", "--lang", "en"]).output
    assert "row 3, column Puissance (W): value outside the plausible range (value: -70)" in out
    assert "row 5, column Puissance (W): the value is not a number (value: abc)" in out
    assert "lamp_power_w" not in out and "ulr_percent" not in out and " inf " not in out
