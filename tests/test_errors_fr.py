"""Errors in French: codes and params on every error, the French catalogue, the CLI's sentences
(library errors, click's usage errors, file-system errors) in French by default and English with
``--lang en``."""

import ast
import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

import sobriete
from sobriete.cli import main
from sobriete.errors import (DuplicateFactorError, HistoryError, InputFormatError, SobrieteError, UnitError,
                             UnknownCategoryError, UnknownNameError, UnknownZoneYearError)
from sobriete.report.error_messages import ERRORS_FR, HINTS_FR, KINDS_FR, error_text, os_error_text

TINY = Path(__file__).parent / "data" / "tiny_factors"
SRC = Path(sobriete.__file__).parent
CANONICAL = "category,quantity,purchase_year,entity\nlaptop,10,2024,A\nmonitor,2,2023,B\n"
WHERE = dict(file="f.csv", row=3, column="unit")
WHERE_FR = " (fichier f.csv, ligne 3, colonne « unit »)"
GENERIC = {"SobrieteError", "InputFormatError", "InputValueError", "CatalogError", "HistoryError", "ScheduleError"}


# --------------------------------------------------------------------------- structured errors
@pytest.mark.parametrize("error, english, french", [
    (UnknownNameError("grouping column", "site", ["entity", "category"], **WHERE),
     "unknown grouping column 'site'; valid choices: category, entity",
     "colonne de regroupement inconnue « site » ; valeurs possibles : category, entity"),
    (UnknownNameError("profile", "nope", ["glpi"], hint="give a bundled profile name or the path of a YAML "
                                                       "profile file", **WHERE),
     "unknown profile 'nope'; valid choices: glpi; give a bundled profile name or the path of a YAML profile file",
     "profil inconnu « nope » ; valeurs possibles : glpi ; donnez le nom d'un profil fourni ou le chemin d'un "
     "fichier de profil YAML"),
    (UnknownNameError("category", "tablet", ["laptop"], hint="it must be defined in {table}.csv",
                      table="equipment_categories", **WHERE),
     "unknown category 'tablet'; valid choices: laptop; it must be defined in equipment_categories.csv",
     "catégorie inconnue « tablet » ; valeurs possibles : laptop ; à définir dans equipment_categories.csv"),
    (UnknownCategoryError("toaster", ["laptop", "monitor"], **WHERE),
     "unknown category 'toaster'; valid choices: laptop, monitor; map it to a catalog category or add it with a "
     "factor file",
     "catégorie inconnue « toaster » ; valeurs possibles : laptop, monitor ; associez-la à une catégorie du "
     "catalogue ou ajoutez-la avec un fichier de facteurs"),
    (UnknownZoneYearError("FR", 1990, ["FR 2024"], **WHERE),
     "unknown electricity zone/year 'FR 1990'; valid choices: FR 2024; add an electricity factor for it with a "
     "factor file",
     "pas de facteur d'électricité pour la zone FR en 1990 ; valeurs possibles : FR 2024 ; ajoutez-en un avec un "
     "fichier de facteurs"),
    (UnitError("kWh", "W", **WHERE), "bad unit 'kWh': expected a unit of W",
     "unité invalide « kWh » : une unité de W est attendue"),
    (UnitError("zz", **WHERE), "bad unit 'zz'", "unité invalide « zz »"),
    (DuplicateFactorError("equipment_impacts", ("laptop", "gwp"), [2, 3], **WHERE),
     "duplicate equipment_impacts key ('laptop', 'gwp') on lines [2, 3]",
     "clé ('laptop', 'gwp') en double dans la table equipment_impacts (lignes 2, 3)"),
])
def test_structured_errors_in_french_with_location(error, english, french):
    assert str(error) == english + " (file f.csv, row 3, column 'unit')"  # the English text is unchanged
    assert error_text(error, "en") == str(error)
    assert error_text(error, "fr") == french + WHERE_FR


def test_location_parts_and_fallback():
    assert error_text(InputFormatError("the file is empty", file="a.csv", code="empty_file")) == \
        "le fichier est vide (fichier a.csv)"
    assert error_text(HistoryError("x", code="already_saved", year=2025, id=4)) == \
        "une évaluation 2025 de même périmètre est déjà enregistrée (n° 4) ; ajoutez --replace pour la remplacer"
    # no code, an unknown code, an unknown kind: the English sentence as raised
    assert error_text(SobrieteError("some problem", row=2)) == "some problem (row 2)"
    assert error_text(SobrieteError("new", code="no_such_code")) == "new"
    assert error_text(UnknownNameError("gizmo", "g")) == "unknown gizmo 'g'"


def test_os_errors_in_french():
    assert os_error_text(PermissionError(13, "Permission denied", "out.csv")) == "Permission refusée : out.csv"
    assert os_error_text(FileNotFoundError(2, "No such file or directory", "a.csv")) == "Fichier introuvable : a.csv"
    assert os_error_text(PermissionError(13, "Permission denied", "out.csv"), "en") == "Permission denied: out.csv"
    assert error_text(IsADirectoryError(21, "Is a directory", "d")) == "C'est un dossier, pas un fichier : d"


# --------------------------------------------------------------------------- every raise site
def _raises():
    """(file, line, class name, keywords of the call) of every ``raise SomeError(...)`` in the package."""
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
                func = node.exc.func
                name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                yield path.relative_to(SRC), node.lineno, name, node.exc


def test_every_generic_raise_site_has_a_code_the_french_catalogue_knows():
    seen = 0
    for path, line, name, call in _raises():
        if name not in GENERIC or path.name == "errors.py":
            continue
        seen += 1
        code = next((k.value for k in call.keywords if k.arg == "code"), None)
        assert code is not None, f"{path}:{line}: {name} without code="
        if isinstance(code, ast.Constant):
            assert code.value in ERRORS_FR, f"{path}:{line}: code {code.value!r} not in ERRORS_FR"
    assert seen > 70


def test_every_unknown_name_kind_and_hint_is_translated():
    for path, line, name, call in _raises():
        if name != "UnknownNameError" or not call.args or not isinstance(call.args[0], ast.Constant):
            continue
        assert call.args[0].value in KINDS_FR, f"{path}:{line}: kind {call.args[0].value!r} not in KINDS_FR"
        for k in call.keywords:
            if k.arg == "hint":
                assert k.value.value in HINTS_FR, f"{path}:{line}: hint not in HINTS_FR"


# --------------------------------------------------------------------------- through the CLI
@pytest.fixture
def runner(monkeypatch, tmp_path):
    monkeypatch.setenv("SOBRIETE_FACTORS_DIR", str(TINY))
    monkeypatch.delenv("SOBRIETE_DB", raising=False)
    monkeypatch.delenv("SOBRIETE_LANG", raising=False)
    monkeypatch.chdir(tmp_path)
    return CliRunner()


@pytest.fixture
def files(tmp_path):
    (tmp_path / "clean.csv").write_text(CANONICAL, encoding="utf-8")
    (tmp_path / "empty.csv").write_text("", encoding="utf-8")
    (tmp_path / "header.csv").write_text("category,quantity\n", encoding="utf-8")
    (tmp_path / "binary.csv").write_bytes(bytes(range(256)) * 4)
    (tmp_path / "equipment_impacts.csv").write_text(
        "category,criterion,phase,value,unit,source_id\nlaptop,gwp,manufacturing,120,kWh,test\n", encoding="utf-8")
    (tmp_path / "profile.yaml").write_text("- not a mapping\n", encoding="utf-8")
    (tmp_path / "horaires.yaml").write_text("schedules:\n  - id: a\n    extinction: ['25:00-05:00']\n",
                                            encoding="utf-8")
    (tmp_path / "empty_dir").mkdir()
    return tmp_path


def _run(runner, args, lang=None):
    return runner.invoke(main, [*args, *(["--lang", lang] if lang else [])], prog_name="sobriete")


@pytest.mark.parametrize("args, french, english", [
    (["assess", "{d}/empty.csv", "--year", "2025"], "Erreur : le fichier est vide (fichier ",
     "Error: the file is empty (file "),
    (["assess", "{d}/clean.csv", "--year", "2025", "--by", "unknown"],
     "Erreur : colonne de regroupement inconnue « unknown » ; valeurs possibles : ",
     "Error: unknown grouping column 'unknown'; valid choices: "),
    (["assess", "{d}/clean.csv", "--year", "2025", "--factors", "{d}/equipment_impacts.csv"],
     "Erreur : unité invalide « kWh » : une unité de kgCO2e",
     "Error: bad unit 'kWh': expected a unit of kgCO2e"),
    (["assess", "{d}/empty_dir", "--year", "2025"], "Erreur : aucun fichier CSV, XLSX ou Parquet dans le dossier",
     "Error: no CSV, XLSX or Parquet file in the folder"),
])
def test_input_errors_in_french_and_english(runner, files, args, french, english):
    args = [a.format(d=files) for a in args]
    fr, en = _run(runner, args), _run(runner, args, "en")
    assert fr.exit_code == en.exit_code == 2
    assert fr.stderr.startswith(french), fr.stderr
    assert en.stderr.startswith(english), en.stderr
    assert "Traceback" not in fr.output + en.output


def test_bad_factor_unit_names_file_row_and_column_in_french(runner, files):
    result = _run(runner, ["assess", str(files / "clean.csv"), "--year", "2025", "--factors",
                           str(files / "equipment_impacts.csv")])
    assert result.stderr.rstrip().endswith("ligne 2, colonne « unit »)")


def test_history_resave_without_replace(runner, files):
    args = ["assess", str(files / "clean.csv"), "--year", "2025", "--save", "--db", str(files / "h.sqlite")]
    assert runner.invoke(main, args).exit_code == 0
    fr, en = _run(runner, args), _run(runner, args, "en")
    assert fr.exit_code == en.exit_code == 2
    assert fr.stderr.strip() == ("Erreur : une évaluation 2025 de même périmètre est déjà enregistrée (n° 1) ; "
                                 "ajoutez --replace pour la remplacer")
    assert en.stderr.strip() == ("Error: an assessment of 2025 with the same scope is already saved (no. 1); "
                                 "use --replace to overwrite it")
    assert runner.invoke(main, [*args, "--replace"]).exit_code == 0


def test_sobriete_lang_environment_variable(runner, files):
    result = runner.invoke(main, ["assess", str(files / "empty.csv"), "--year", "2025"], env={"SOBRIETE_LANG": "en"})
    assert result.exit_code == 2 and result.stderr.startswith("Error: the file is empty")


BAD_INPUTS = [
    ["assess", "{d}/empty.csv", "--year", "2025"],
    ["assess", "{d}/binary.csv", "--year", "2025"],
    ["assess", "{d}/empty_dir", "--year", "2025"],
    ["assess", "{d}/clean.csv", "--year", "2025", "--by", "site"],
    ["assess", "{d}/clean.csv", "--year", "2025", "--profile", "nope"],
    ["assess", "{d}/clean.csv", "--year", "2025", "--profile", "{d}/profile.yaml"],
    ["assess", "{d}/clean.csv", "--year", "2025", "--factors", "{d}/equipment_impacts.csv"],
    ["assess", "{d}/clean.csv", "--year", "2025", "--schedule", "{d}/horaires.yaml"],
    ["assess", "{d}/clean.csv", "--year", "2025", "--format", "xlsx"],
    ["assess", "--year", "2025"],
    ["history", "list", "--db", "{d}/none.sqlite"],
    ["history", "show", "2025", "--db", "{d}/none.sqlite"],
    ["factors", "show", "toaster"],
    ["lighting", "hours", "--lat", "50", "--lon", "3", "--year", "2025", "--off", "23h"],
    ["lighting", "hours", "--lat", "50", "--lon", "3", "--year", "2025", "--dim", "22:00-06:00=150"],
    ["network", "copper-switch", "{d}/header.csv", "--year", "2025"],
]


@pytest.mark.parametrize("args", BAD_INPUTS, ids=lambda a: " ".join(a[:3]))
def test_no_english_sentence_under_lang_fr(runner, files, args):
    """Fails when an error reaches a French user in English (its code is missing from the
    French catalogue, or it has none): the French sentence must differ from the English one."""
    args = [a.format(d=files) for a in args]
    fr, en = _run(runner, args), _run(runner, args, "en")
    assert fr.exit_code == en.exit_code == 2, fr.output
    assert fr.stderr.startswith("Erreur : ") and en.stderr.startswith("Error: "), (fr.stderr, en.stderr)
    french = fr.stderr.removeprefix("Erreur : ").split(" (fichier")[0].split(" (aide")[0]
    english = en.stderr.removeprefix("Error: ").split(" (file")[0].split(" (help")[0]
    assert french != english, f"untranslated: {english}"


# --------------------------------------------------------------------------- click's own texts
@pytest.mark.parametrize("args, french, english", [
    (["assess", "{d}/clean.csv"], "Erreur : Option manquante '--year'. (aide : sobriete assess --help)",
     "Error: Missing option '--year'. (help: sobriete assess --help)"),
    (["assess", "{d}/clean.csv", "--year", "1800"],
     "Erreur : Valeur invalide pour '--year' : 1800 n'est pas dans l'intervalle 1990<=x<=2100.",
     "Error: Invalid value for '--year': 1800 is not in the range 1990<=x<=2100."),
    (["assess", "{d}/clean.csv", "--year", "2025", "--bogus"], "Erreur : Option inconnue « --bogus ».",
     "Error: No such option '--bogus'."),
    (["assess", "{d}/absent", "--year", "2025"], "« {d}/absent » introuvable.", "does not exist."),
    (["assess", "{d}/clean.csv", "--year", "2025", "--format", "pdf"], "« pdf » n'est pas parmi",
     "'pdf' is not one of"),
    (["history", "show"], "Erreur : Argument manquant 'YEAR'.", "Error: Missing argument 'YEAR'."),
])
def test_click_usage_errors_are_one_french_sentence(runner, files, args, french, english):
    args = [a.format(d=files) for a in args]
    fr, en = _run(runner, args), _run(runner, args, "en")
    assert fr.exit_code == en.exit_code == 2
    assert french.format(d=files) in fr.stderr and fr.stderr.count("\n") == 1, fr.stderr
    assert english in en.stderr, en.stderr
    assert "Usage:" not in fr.output + en.output and "Try '" not in fr.output


def test_unknown_command_in_french(runner):
    result = runner.invoke(main, ["asses"], prog_name="sobriete")
    assert result.exit_code == 2
    assert result.stderr == "Erreur : Commande inconnue « asses ». Vouliez-vous dire 'assess' ? (aide : sobriete " \
                            "--help)\n"


def test_help_pages_in_french(runner):
    top = runner.invoke(main, ["--help"], prog_name="sobriete")
    assert "Afficher cette aide et quitter." in top.output and "Afficher la version et quitter." in top.output
    assert top.output.startswith("Utilisation : sobriete") and "Commandes" in top.output
    page = runner.invoke(main, ["assess", "-h"])
    assert "[défaut : table]" in page.output and "obligatoire" in page.output and "Show this" not in page.output
    assert runner.invoke(main, ["history", "list", "--help", "--lang", "en"]).output.startswith("Utilisation :")
    assert runner.invoke(main, ["--version"]).output.startswith(f"sobriete, version {sobriete.__version__}")


def test_click_texts_are_restored_after_a_command(runner, files):
    import click.exceptions

    before = click.exceptions._
    runner.invoke(main, ["assess", str(files / "clean.csv")])
    assert click.exceptions._ is before and click.exceptions._("Missing option") == "Missing option"


def test_permission_denied_output_in_french(runner, files):
    if os.geteuid() == 0:
        pytest.skip("root writes anywhere")
    locked = files / "locked"
    locked.mkdir(mode=0o500)
    out = locked / "report.csv"
    args = ["assess", str(files / "clean.csv"), "--year", "2025", "--format", "csv", "--output", str(out)]
    assert _run(runner, args).stderr.strip() == f"Erreur : Permission refusée : {out}"
    assert _run(runner, args, "en").stderr.strip() == f"Error: Permission denied: {out}"


# --------------------------------------------------------------------------- small output defects
def test_header_only_file_warns(runner, files):
    fr = _run(runner, ["assess", str(files / "header.csv"), "--year", "2025"])
    en = _run(runner, ["assess", str(files / "header.csv"), "--year", "2025", "--format", "json"], "en")
    assert "header.csv : aucune ligne de données (seulement l'en-tête)" in fr.output
    assert "header.csv: no data rows (only the header)" in json.loads(en.stdout)["warnings"]


def test_csv_floats_without_binary_noise(runner, files):
    (files / "f.csv").write_text("category,quantity,purchase_year,energy_kwh_per_year\nlaptop,1,2024,24.6\n",
                                 encoding="utf-8")  # 24.6 * 0.1 == 2.4600000000000004 in binary
    for lang, sep in (("fr", ";"), ("en", ",")):
        text = _run(runner, ["assess", str(files / "f.csv"), "--year", "2025", "--format", "csv"], lang).stdout
        assert "0000000" not in text and "9999999" not in text
        use = [line for line in text.splitlines() if f"{sep}gwp{sep}use{sep}" in line][0]
        assert use.split(sep)[4] == ("2,46" if lang == "fr" else "2.46")  # 24.6 kWh x 0.1 kgCO2e/kWh


def test_copper_switch_line_counts_are_integers(tmp_path):
    lines = tmp_path / "lignes.csv"
    lines.write_text("commune,technology,count\nA,adsl,1\nA,ftth,2\nB,vdsl,3\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["network", "copper-switch", str(lines), "--year", "2025"])
    assert result.exit_code == 0, result.output
    counts = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()[2:]}
    assert counts == {"A": "1", "B": "3", "Total": "4"}


def test_rejected_values_as_typed(runner, files):
    (files / "r.csv").write_text("category,quantity,purchase_year\nlaptop,-1,2024\nlaptop,2.5x,2024\n",
                                 encoding="utf-8")
    fr = _run(runner, ["assess", str(files / "r.csv"), "--year", "2025"])
    assert "(valeur : -1)" in fr.stdout and "-1.0" not in fr.stdout
    doc = json.loads(_run(runner, ["assess", str(files / "r.csv"), "--year", "2025", "--format", "json"]).stdout)
    assert [r["value"] for r in doc["rejected"]["rows"]] == [-1, "2.5x"]


def test_file_system_errors_through_the_handler(runner, files, monkeypatch):
    out = files / "clean.csv" / "report.csv"  # a file used as a folder
    args = ["assess", str(files / "clean.csv"), "--year", "2025", "--format", "csv", "--output", str(out)]
    assert _run(runner, args).stderr.strip() == ("Erreur : le dossier du fichier de sortie n'existe pas ou n'est "
                                                 f"pas un dossier (fichier {out})")
    import sobriete.report

    def denied(*_args, **_kwargs):
        raise PermissionError(13, "Permission denied", "rapport.csv")

    monkeypatch.setattr(sobriete.report, "write", denied)
    assert _run(runner, args).stderr.strip() == "Erreur : Permission refusée : rapport.csv"
    assert _run(runner, args, "en").stderr.strip() == "Error: Permission denied: rapport.csv"


def test_several_assessments_of_a_year_listed_by_number_in_french(runner, files):
    """Issue #8 item 17: the ids were listed character by character ("( ; valeurs possibles :  , \", ...")."""
    db = str(files / "several.sqlite")
    for by in ("entity", "category"):
        assert runner.invoke(main, ["assess", str(files / "clean.csv"), "--year", "2025", "--by", by, "--save",
                                    "--db", db]).exit_code == 0
    fr, en = _run(runner, ["history", "show", "2025", "--db", db]), _run(runner, ["history", "show", "2025",
                                                                                   "--db", db], "en")
    assert fr.exit_code == en.exit_code == 2
    assert fr.stderr.strip() == ("Erreur : plusieurs évaluations 2025 sont enregistrées (n° 1 : regroupement entité, "
                                 "entrées clean.csv; n° 2 : regroupement catégorie d'équipement, entrées clean.csv) ; "
                                 "choisissez-en une avec --id")
    assert en.stderr.strip() == ("Error: several assessments of 2025 are saved (no. 1: by entity, inputs clean.csv; "
                                 "no. 2: by category, inputs clean.csv); choose one with --id")


def test_missing_database_driver_in_french():
    from sobriete.errors import HistoryError

    error = HistoryError("needs psycopg2", code="missing_db_driver", db="postgresql://u:***@h/x",
                         package="psycopg2-binary")
    assert error_text(error) == ("la base d'historique postgresql://u:***@h/x demande le paquet Python "
                                 "« psycopg2-binary », qui n'est pas installé : pip install psycopg2-binary")


def test_a_text_of_choices_is_not_split_into_characters():
    from sobriete.report.error_messages import _choices

    assert _choices("no. 1: a; no. 2: b") == " ; valeurs possibles : no. 1: a; no. 2: b"
    assert _choices(["b", "a"]) == " ; valeurs possibles : a, b"
