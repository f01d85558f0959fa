"""Command line: every command through CliRunner, exit codes, JSON values, history, help."""

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import click
import openpyxl
import pytest
from click.testing import CliRunner

from sobriete.cli import main

TINY = Path(__file__).parent / "data" / "tiny_factors"
CANONICAL = ("category,quantity,purchase_year,entity\n"
             "laptop,10,2024,A\n"
             "monitor,2,2023,B\n")
REJECTED = CANONICAL + "tablet,1,2024,A\nlaptop,-1,2024,=cmd|' /C calc'!A0\n"


@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("SOBRIETE_FACTORS_DIR", str(TINY))
    monkeypatch.delenv("SOBRIETE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


@pytest.fixture
def clean(tmp_path):
    path = tmp_path / "inventaire_2025.csv"
    path.write_text(CANONICAL, encoding="utf-8")
    return path


@pytest.fixture
def dirty(tmp_path):
    path = tmp_path / "inventaire_sale.csv"
    path.write_text(REJECTED, encoding="utf-8")
    return path


def test_assess_table_in_french(runner, clean):
    result = runner.invoke(main, ["assess", str(clean), "--year", "2025", "--by", "entity"])
    assert result.exit_code == 0, result.output
    assert "Lignes lues : 2 = 2 évaluées + 0 rejetées" in result.output
    assert "292,1" in result.output and "Changement climatique" in result.output


def test_assess_json_hand_computed(runner, clean):
    result = runner.invoke(main, ["assess", str(clean), "--year", "2025", "--by", "entity", "--format", "json"])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["totals"]["gwp"]["value"] == pytest.approx(292.1)
    assert doc["totals"]["gwp"]["phases"]["use"] == pytest.approx(10 * 20 * 0.1 + 2 * 73 * 0.1)
    assert {g["entity"]: g["totals"]["gwp"]["value"] for g in doc["groups"]["entity"]} == \
        pytest.approx({"A": 250.0, "B": 42.1})
    assert doc["rows"] == {"read": 2, "assessed": 2, "rejected": 0, "undated": 0}
    assert doc["catalog"]["version"] == "test-1"
    assert doc["inputs"][0]["name"] == "inventaire_2025.csv" and len(doc["inputs"][0]["sha256"]) == 64


def test_assess_with_rejections_exits_1(runner, dirty):
    result = runner.invoke(main, ["assess", str(dirty), "--year", "2025", "--format", "json", "--lang", "en"])
    assert result.exit_code == 1
    doc = json.loads(result.output)
    assert doc["rows"] == {"read": 4, "assessed": 2, "rejected": 2, "undated": 0}
    assert {r["row"] for r in doc["rejected"]["rows"]} == {4, 5}


def test_output_file_is_announced_with_the_row_count(runner, dirty, tmp_path):
    """With --output the terminal used to stay silent while the exit code said 1."""
    out = tmp_path / "bilan.json"
    result = runner.invoke(main, ["assess", str(dirty), "--year", "2025", "--format", "json", "-o", str(out)])
    assert result.exit_code == 1 and out.exists()
    assert result.stdout == ""
    assert f"Rapport écrit dans {out}" in result.stderr and "4 = 2 évaluées + 2 rejetées" in result.stderr


def test_strict_fails_without_output(runner, dirty, tmp_path):
    out = tmp_path / "out.json"
    result = runner.invoke(main, ["assess", str(dirty), "--year", "2025", "--strict", "--format", "json",
                                  "--output", str(out), "--save"])
    assert result.exit_code == 1
    assert not out.exists() and not (tmp_path / "sobriete.sqlite").exists()
    assert "--strict" in result.output  # the sentence on stderr (mixed into output by CliRunner)


def test_strict_passes_when_clean(runner, clean):
    assert runner.invoke(main, ["assess", str(clean), "--year", "2025", "--strict"]).exit_code == 0


@pytest.mark.parametrize("args, fragment", [
    (["assess", "missing.csv", "--year", "2025"], "« missing.csv » introuvable"),
    (["assess", "{clean}"], "Option manquante '--year'"),
    (["assess", "{clean}", "--year", "2025", "--allocation", "linear"], "amortised"),
    (["assess", "{clean}", "--year", "2025", "--format", "xlsx"], "--output"),
    (["assess", "{clean}", "--year", "2025", "--by", "site"], "colonne de regroupement inconnue « site »"),
    (["assess", "{clean}", "--year", "2025", "--profile", "nope"], "nope"),
    (["assess", "{binary}", "--year", "2025"], "Erreur"),
])
def test_usage_and_input_errors_exit_2_without_traceback(runner, clean, tmp_path, args, fragment):
    binary = tmp_path / "binary.csv"
    binary.write_bytes(bytes(range(256)) * 4)
    args = [a.format(clean=clean, binary=binary) for a in args]
    result = runner.invoke(main, args)
    assert result.exit_code == 2, result.output
    assert fragment in result.output
    assert "Traceback" not in result.output and isinstance(result.exception, SystemExit)


def test_csv_output_is_neutralised(runner, dirty, tmp_path):
    out = tmp_path / "out.csv"
    dirty.write_text(CANONICAL.replace(",B\n", ",=cmd|' /C calc'!A0\n"), encoding="utf-8")
    result = runner.invoke(main, ["assess", str(dirty), "--year", "2025", "--by", "entity", "--format", "csv",
                                  "--output", str(out), "--lang", "en"])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8-sig")
    assert ",'=cmd|' /C calc'!A0," in text and ",=cmd" not in text


def test_xlsx_output(runner, clean, tmp_path):
    out = tmp_path / "bilan.xlsx"
    result = runner.invoke(main, ["assess", str(clean), "--year", "2025", "--format", "xlsx", "--output", str(out)])
    assert result.exit_code == 0, result.output
    book = openpyxl.load_workbook(out)
    assert book.sheetnames[:5] == ["Résumé", "Totaux", "Mis à part", "Domaines", "Résultats"]
    totals = book["Totaux"]
    header = [c.value for c in totals[1]]
    gwp = [c.value for c in totals[2]]
    assert header[:3] == ["Critère", "Libellé", "Fabrication"] and gwp[0] == "Climat"
    assert gwp[header.index("Total")] == pytest.approx(292.1)
    assert totals.cell(row=2, column=header.index("Total") + 1).number_format == "#,##0.00"


def test_save_replace_show_compare(runner, clean, tmp_path):
    db = tmp_path / "h.sqlite"
    base = ["assess", str(clean), "--by", "entity", "--db", str(db), "--save"]
    assert runner.invoke(main, base + ["--year", "2024"]).exit_code == 0
    assert runner.invoke(main, base + ["--year", "2025"]).exit_code == 0
    again = runner.invoke(main, base + ["--year", "2025"])
    assert again.exit_code == 2 and "--replace" in again.output
    assert runner.invoke(main, base + ["--year", "2025", "--replace"]).exit_code == 0

    listed = runner.invoke(main, ["history", "list", "--db", str(db)])
    assert listed.exit_code == 0 and "2024" in listed.output and "292,1" in listed.output
    shown = runner.invoke(main, ["history", "show", "2025", "--db", str(db), "--lang", "en"])
    assert shown.exit_code == 0 and "Rows read: 2 = 2 assessed + 0 rejected" in shown.output
    compared = runner.invoke(main, ["history", "compare", "2024", "2025", "--db", str(db)])
    assert compared.exit_code == 0, compared.output
    use = next(line for line in compared.output.splitlines() if line.startswith("Climat") and "Utilisation" in line)
    assert use.split()[-5:] == ["17,30", "34,60", "+17,30", "+100,0", "%"]
    by_entity = runner.invoke(main, ["history", "compare", "2024", "2025", "--by", "entity", "--db", str(db)])
    assert by_entity.exit_code == 0 and by_entity.output.count("\nB ") >= 5


def test_default_database_in_working_directory(runner, clean, tmp_path):
    assert runner.invoke(main, ["assess", str(clean), "--year", "2025", "--save"]).exit_code == 0
    assert (tmp_path / "sobriete.sqlite").is_file()
    assert runner.invoke(main, ["history", "list"]).exit_code == 0


def test_history_errors_are_one_sentence(runner, tmp_path):
    result = runner.invoke(main, ["history", "list", "--db", str(tmp_path / "none.sqlite")])
    assert result.exit_code == 2 and result.output.startswith("Erreur : pas de base d'historique")
    assert not (tmp_path / "none.sqlite").exists()


def test_factors_browse(runner):
    listed = runner.invoke(main, ["factors", "list"])
    assert listed.exit_code == 0 and "laptop" in listed.output and "kgSbeq" in listed.output
    assert "73,00" in listed.output  # monitor: 50 W x 4 h/day x 365 days
    shown = runner.invoke(main, ["factors", "show", "laptop", "--lang", "en"])
    assert shown.exit_code == 0 and "laptop / gwp / end_of_life" in shown.output and "5.00" in shown.output
    assert runner.invoke(main, ["factors", "show", "toaster"]).exit_code == 2
    sources = runner.invoke(main, ["factors", "sources"])
    assert sources.exit_code == 0 and "sobriete tests" in sources.output and "MIT" in sources.output


def test_factors_validate(runner, tmp_path):
    good = tmp_path / "equipment_impacts.csv"
    good.write_text("category,criterion,phase,value,unit,source_id\nlaptop,gwp,manufacturing,120,kgCO2e,test\n")
    result = runner.invoke(main, ["factors", "validate", str(good)])
    assert result.exit_code == 0 and result.output.startswith("OK")
    bad = tmp_path / "bad.csv"
    bad.write_text("category,criterion,phase,value,unit,source_id\nlaptop,gwp,manufacturing,120,kgCO2x,test\n")
    result = runner.invoke(main, ["factors", "validate", str(bad)])
    assert result.exit_code == 1 and "INVALIDE" in result.output and "kgCO2x" in result.output
    assert "ligne 2" in result.output and "colonne « unit »" in result.output


def test_factor_override_changes_the_result(runner, clean, tmp_path):
    override = tmp_path / "equipment_impacts.csv"
    override.write_text("category,criterion,phase,value,unit,source_id\nlaptop,gwp,manufacturing,200,kgCO2e,test\n")
    result = runner.invoke(main, ["assess", str(clean), "--year", "2025", "--format", "json",
                                  "--factors", str(override)])
    doc = json.loads(result.output)
    assert doc["totals"]["gwp"]["phases"]["manufacturing"] == pytest.approx(10 / 5 * 200 + 25)
    assert doc["catalog"]["version"].startswith("test-1+user.")


def _commands(group, prefix=()):
    ctx = click.Context(group)
    for name in group.list_commands(ctx):
        command = group.get_command(ctx, name)
        yield (*prefix, name), command
        if isinstance(command, click.Group):
            yield from _commands(command, (*prefix, name))


@pytest.mark.parametrize("path, command", list(_commands(main)), ids=lambda v: " ".join(v) if isinstance(v, tuple)
                         else "")
def test_every_command_has_help_with_an_example(path, command):
    result = CliRunner().invoke(main, [*path, "--help"])
    assert result.exit_code == 0
    assert command.help and "Exemple" in command.help and "\b" in command.help
    assert "sobriete " + " ".join(path) in result.output


def test_python_dash_m():
    result = subprocess.run([sys.executable, "-m", "sobriete", "history", "--help"], capture_output=True, text=True)
    assert result.returncode == 0 and "compare" in result.stdout


def test_progress_bar_is_quiet_unless_a_terminal_and_a_large_input(tmp_path, monkeypatch):
    import io
    import sys

    from sobriete.cli import options

    data = tmp_path / "inventaire.csv"
    data.write_text("category\nlaptop\n", encoding="utf-8")
    with options.progress_bar([data], 2) as progress:  # pytest's stderr is not a terminal
        assert progress is None

    class Terminal(io.StringIO):
        def isatty(self):
            return True

    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with options.progress_bar([data], 2) as progress:  # small input: quiet even on a terminal
        assert progress is None
    monkeypatch.setattr(options, "PROGRESS_MIN_BYTES", 1)
    with options.progress_bar([data], 2) as progress:
        progress("read", 1, 2)
        progress("assess", 1, 1)
    assert "sobriete" in terminal.getvalue() and "100%" in terminal.getvalue()


# ---------------------------------------------------------------- issue #8 items 7, 8, 19, 20, 24
def test_output_naming_an_input_file_is_refused_and_the_input_kept(runner, clean):
    before = clean.read_bytes()
    result = runner.invoke(main, ["assess", str(clean), "--year", "2025", "-o", str(clean), "--format", "csv"])
    assert result.exit_code == 2 and "est un fichier d'entrée" in result.output
    assert "Traceback" not in result.output and clean.read_bytes() == before


def test_output_inside_an_input_folder_is_refused(runner, clean, tmp_path):
    target = tmp_path / "rapport.json"  # ``clean`` lies in tmp_path: the folder is an input
    result = runner.invoke(main, ["assess", str(tmp_path), "--year", "2025", "-o", str(target), "--lang", "en"])
    assert result.exit_code == 2 and "is an input file" in result.output and not target.exists()


def test_output_naming_a_factor_file_is_refused(runner, clean, tmp_path):
    factors = tmp_path / "equipment_impacts.csv"
    factors.write_text((TINY / "equipment_impacts.csv").read_text(encoding="utf-8"), encoding="utf-8")
    before = factors.read_bytes()
    result = runner.invoke(main, ["assess", str(clean), "--year", "2025", "--factors", str(factors), "-o",
                                  str(factors)])
    assert result.exit_code == 2 and factors.read_bytes() == before


def test_postgresql_url_without_its_driver_names_the_package(runner, clean):
    for module in ("psycopg2", "psycopg"):
        if importlib.util.find_spec(module) is not None:
            pytest.skip(f"{module} is installed")
    result = runner.invoke(main, ["assess", str(clean), "--year", "2025", "--save",
                                  "--db", "postgresql://user:secret@localhost/sobriete"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "pip install psycopg" in result.output and "secret" not in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_replace_says_which_assessment_it_replaced(runner, clean, tmp_path):
    base = ["assess", str(clean), "--year", "2025", "--db", str(tmp_path / "h.sqlite"), "--save"]
    assert runner.invoke(main, base).exit_code == 0
    again = runner.invoke(main, base + ["--replace"])
    assert again.exit_code == 0 and "Évaluation 2025 n° 1 remplacée par le n° 2" in again.output


ENTITIES = "category,quantity,purchase_year,entity\n" + "".join(
    f"laptop,{n},2024,E{n}\n" for n in range(1, 8))  # 7 entities, E7 largest


def test_by_entity_lists_every_group_or_top_n_and_the_others_total(runner, tmp_path):
    path = tmp_path / "seven.csv"
    path.write_text(ENTITIES, encoding="utf-8")
    every = runner.invoke(main, ["assess", str(path), "--year", "2025", "--by", "entity"])
    lines = every.output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Par entité : 7 groupe(s)")))
    names = [line.split()[0] for line in lines[start + 3:start + 10]]
    assert names == [f"E{n}" for n in range(7, 0, -1)]  # every group, largest first
    # per laptop in 2025: 100/5 + 10/5 + 5/5 embodied + 20 kWh × 0.1 = 25 kgCO2e
    top = runner.invoke(main, ["assess", str(path), "--year", "2025", "--by", "entity", "--top", "3"])
    lines = top.output.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Par entité")))
    table = lines[start + 3:start + 8]
    assert [line.split()[0] for line in table[:3]] == ["E7", "E6", "E5"]
    assert table[3].startswith("… et 4 autres") and table[3].split()[4] == "250,0"  # (1+2+3+4) × 25
    assert table[4].startswith("Total") and table[4].split()[1:3] == ["700,0", "100,0"]  # 28 × 25


def test_undated_rows_are_shown_in_the_table_and_json(runner, tmp_path):
    path = tmp_path / "undated.csv"
    path.write_text("category,quantity,purchase_year\nlaptop,1,2024\nlaptop,1,\nmonitor,1,\n", encoding="utf-8")
    table = runner.invoke(main, ["assess", str(path), "--year", "2025"])
    assert "dont 2 sans date d'achat" in table.output
    doc = json.loads(runner.invoke(main, ["assess", str(path), "--year", "2025", "--format", "json"]).output)
    assert doc["rows"]["undated"] == 2 and doc["counts"]["undated_rows"] == 2


# ---------------------------------------------------------------- start-up (issue #9)
HEAVY = ("pandas", "numpy", "sqlalchemy", "pint", "pydantic", "openpyxl", "pyarrow")


@pytest.mark.parametrize("args", [[], ["assess"], ["history"], ["history", "show"], ["factors"],
                                  ["factors", "validate"], ["network"], ["network", "copper-switch"], ["lighting"],
                                  ["lighting", "assess"], ["lighting", "check"], ["roadmap"]])
def test_help_imports_no_heavy_module(args):
    code = ("import sys\nfrom sobriete.cli import main\n"
            f"main({[*args, '--help']!r}, standalone_mode=False)\n"
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "[]"


def test_group_help_lists_each_command_with_its_own_first_line():
    from sobriete.cli import COMMANDS

    ctx = click.Context(main)
    for name, (_module, _attribute, short) in COMMANDS.items():
        assert main.get_command(ctx, name).help.splitlines()[0] == short


def test_cli_choice_lists_match_the_library():
    from sobriete.assessment import AUTO
    from sobriete.cli import options
    from sobriete.equipment import ALLOCATIONS
    from sobriete.network import DEFAULT_MODEL, NETWORK_MODELS
    from sobriete.report.assessment import FORMATS

    assert (options.ALLOCATIONS, options.NETWORK_MODELS, options.DEFAULT_NETWORK_MODEL, options.AUTO) == \
        (ALLOCATIONS, NETWORK_MODELS, DEFAULT_MODEL, AUTO)
    assert FORMATS == ("table", "json", "csv", "xlsx")
    from sobriete.lighting_factors import DEFAULT_ELECTRICITY, ELECTRICITY_CHOICES
    from sobriete.report.compliance import FORMATS as COMPLIANCE_FORMATS
    from sobriete.sun import SUNRISE_ELEVATION_DEG

    assert (options.LIGHTING_ELECTRICITY, options.DEFAULT_LIGHTING_ELECTRICITY, options.SUNRISE_ELEVATION_DEG,
            options.COMPLIANCE_FORMATS) == (ELECTRICITY_CHOICES, DEFAULT_ELECTRICITY, SUNRISE_ELEVATION_DEG,
                                            COMPLIANCE_FORMATS)


def test_top_level_api_reaches_every_command():
    import sobriete as sb

    for name in ("assess", "History", "burning_hours", "copper_switch_off", "assess_lighting", "assess_scenario",
                 "load_schedules", "compare_assessments", "report"):
        assert callable(getattr(sb, name)) or name == "report"
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        sb.nope  # noqa: B018
