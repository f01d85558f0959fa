"""``sobriete roadmap``: template, status, indicators, record, bilan on the example (copied to a
temporary folder so that nothing writes into the repository)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.history import History
from sobriete.roadmap import evaluate_roadmap, load_roadmap, read_register, reuse_rate

EXAMPLE = Path(__file__).parents[1] / "examples" / "roadmap"


@pytest.fixture
def example(tmp_path, monkeypatch):
    folder = tmp_path / "roadmap"
    shutil.copytree(EXAMPLE, folder)
    shutil.copytree(EXAMPLE.parent / "2025", tmp_path / "2025")   # its luminaire inventory
    monkeypatch.delenv("SOBRIETE_DB", raising=False)
    monkeypatch.chdir(tmp_path)
    return folder


def run(*args):
    return CliRunner().invoke(main, [str(a) for a in args])


def test_template_is_a_valid_roadmap_with_the_six_topics(tmp_path, monkeypatch):
    result = run("roadmap", "template")
    assert result.exit_code == 0 and "Achats durables" in result.output and "Territoire connecté" in result.output
    path = tmp_path / "fdr.yaml"
    path.write_text(result.output, encoding="utf-8")
    assert load_roadmap(path).spec.baseline_year == 2023
    monkeypatch.chdir(tmp_path)   # no database, none of the data files yet: statuses without data, warnings
    status = run("roadmap", "status", path)
    assert status.exit_code == 0 and "sans donnée" in status.output
    assert f"le fichier {tmp_path / 'registre_materiels.csv'} n'existe pas" in status.output


def test_example_has_ten_indicators_four_targets_six_measures_two_projects():
    roadmap = load_roadmap(EXAMPLE / "feuille-de-route.yaml")
    builtins = {i.builtin for i in roadmap.spec.indicators}
    assert len(roadmap.spec.indicators) >= 10 and {"reuse_rate_pct", "refurbished_purchase_share_pct"} <= builtins
    assert len(roadmap.spec.targets) == 4 and len(roadmap.spec.measures) == 6
    assert sorted(Path(m.project).name for m in roadmap.spec.measures if m.project) == [
        "renouvellement_portables.yaml", "salle_serveur_colocation.yaml"]


def test_status_table_of_the_example(example):
    result = run("roadmap", "status", example / "feuille-de-route.yaml", "--db", example / "historique.sqlite")
    assert result.exit_code == 0, result.output
    assert "en retard" in result.output and "Reste à faire" in result.output and "Synthèse par thème" in result.output
    assert "Mesures classées par coût-efficacité" in result.output


def test_status_json_reconciles_with_the_library(example):
    result = run("roadmap", "status", example / "feuille-de-route.yaml", "--db", example / "historique.sqlite",
                 "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    roadmap = load_roadmap(example / "feuille-de-route.yaml")
    with History(example / "historique.sqlite", create=False) as history:
        lib = evaluate_roadmap(roadmap, history, assessor=None)
    by_id = {s["indicator"]: s for s in payload["statuses"]}
    assert set(by_id) == set(lib.statuses["indicator"]) and len(by_id) == 4
    carbon = lib.statuses.set_index("indicator").loc["empreinte_carbone"]
    assert by_id["empreinte_carbone"]["target_value"] == pytest.approx(0.7 * carbon["baseline_value"])
    # the legal reuse rate of 2025 recomputed by hand from the register: A / B x 100
    register, _ = read_register(example / "registre_materiels.csv")
    rate, a, b = reuse_rate(register, 2025)
    assert by_id["taux_reemploi"]["last_value"] == pytest.approx(100 * a / b)
    assert by_id["taux_reemploi"]["target_value"] == 50.0 and by_id["taux_reemploi"]["target_verified"]
    # the example's own purchase target (the decree's share is repealed since 1 July 2024)
    assert by_id["part_achats_reconditionnes"]["target_value"] == 20.0
    assert by_id["part_achats_reconditionnes"]["target_year"] == 2027


def test_status_csv_and_xlsx(example):
    args = ["roadmap", "status", example / "feuille-de-route.yaml", "--db", example / "historique.sqlite"]
    csv = run(*args, "--format", "csv")
    lines = csv.stdout.splitlines()
    assert csv.exit_code == 0 and lines[0].startswith("indicateur;libellé;unité;thème;année de référence;")
    statuses = {line.split(";")[0]: line.split(";") for line in lines[1:]}
    header = lines[0].split(";")
    assert statuses["taux_reemploi"][header.index("statut")] == "atteint"
    assert statuses["empreinte_carbone"][header.index("statut")] == "en retard"
    assert statuses["taux_reemploi"][header.index("unité")] == "%"
    assert "off_track" not in csv.stdout and "percent" not in csv.stdout
    english = run(*args, "--format", "csv", "--lang", "en").stdout
    assert english.startswith("indicator,label,unit,topic,baseline year,") and ",off track," in english
    out = example / "etat.xlsx"
    assert run(*args, "--format", "xlsx", "--output", out).exit_code == 0
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["objectifs", "valeurs", "mesures", "thèmes", "avertissements"]
    measures = list(book["mesures"].values)
    column = measures[0].index("origine de l'effet")
    assert {row[column] for row in measures[1:]} == {"effet déclaré", "–"}
    assert run(*args, "--format", "xlsx").exit_code == 2


def test_status_table_names_the_effect_source_in_words(example):
    out = run("roadmap", "status", example / "feuille-de-route.yaml", "--db", example / "historique.sqlite").stdout
    measures = out[out.index("Mesures classées"):out.index("Avertissements")]
    assert "effet déclaré" in measures and " effects" not in measures and " none" not in measures
    assert "en cours      12 000            1 500,0" in measures               # whole euros, no ",0"
    assert "budget 45 000 €" in out and "45 000,0" not in out


def test_indicators_and_record(example):
    db = example / "h.sqlite"
    shutil.copy(example / "historique.sqlite", db)
    values = example / "saisies.csv"
    values.write_text("indicateur;année;valeur;unité\nagents_formes;2025;44,5;percent\n", encoding="utf-8")
    recorded = run("roadmap", "record", values, "--db", db)
    assert recorded.exit_code == 0 and "1 valeur(s)" in recorded.output
    shown = run("roadmap", "indicators", "--year", "2025", "--db", db)
    assert shown.exit_code == 0 and "footprint_gwp" in shown.output and "44,5" in shown.output
    assert "2024" not in shown.stdout.split("\n", 3)[-1]
    listed = run("roadmap", "indicators", "--list")
    assert "reuse_rate_pct" in listed.output and "legifrance-decret-2023-266" in listed.output


def test_record_rejects_a_bad_value_naming_file_row_and_column(example):
    values = example / "saisies.csv"
    values.write_text("indicateur;année;valeur\nx;2025;1\nx;2026;n/a\n", encoding="utf-8")
    result = run("roadmap", "record", values, "--db", example / "h.sqlite")
    assert result.exit_code == 2
    assert f"« n/a » n'est pas un nombre (fichier {values}, ligne 3, colonne « valeur »)" in result.output  # the file's header


def test_bilan_markdown_in_french(example):
    out = example / "bilan.md"
    result = run("roadmap", "bilan", example / "feuille-de-route.yaml", "--year", "2025", "--db",
                 example / "historique.sqlite", "-o", out)
    assert result.exit_code == 0
    text = out.read_text(encoding="utf-8")
    for heading in ("# Bilan annuel 2025", "## 1. Ce qui a été mesuré en 2025", "## 2. Objectifs et trajectoires",
                    "## 4. Mesures réalisées", "## 5. Mesures en cours et prévues", "## 6. Définitions et sources"):
        assert heading in text
    assert "Décret n° 2023-266" in text and "M5 — Convention de don" in text
    # the texts behind the bilan (art. 35 REEN; décret n° 2022-1084's notice on Légifrance: a yearly
    # bilan in the rapport sur la situation en matière de développement durable, CGCT L. 2311-1-1)
    assert "loi n° 2021-1485, art. 35" in text and "D. 2311-15-1" in text and "L. 2311-1-1" in text


def test_bad_roadmap_is_one_sentence_exit_2(example):
    bad = example / "bad.yaml"
    bad.write_text("name: x\nbaseline_year: 2023\ntargets:\n  - {indicator: footprint_gwp, year: 2030}\n",
                   encoding="utf-8")
    result = run("roadmap", "status", bad, "--db", example / "historique.sqlite")
    assert result.exit_code == 2 and len(result.output.strip().splitlines()) == 1
    assert "ligne 4" in result.output and "targets[0]" in result.output


@pytest.mark.skipif((EXAMPLE.parent / "projects" / "renouvellement_portables.yaml").exists(),
                    reason="the project examples exist (issue #10 merged): the effects come from them")
def test_missing_project_files_warn_and_effects_count(example):
    result = run("roadmap", "status", example / "feuille-de-route.yaml", "--db", example / "historique.sqlite",
                 "--format", "json")
    notices = json.loads(result.stdout)["notices"]
    assert sum("renouvellement_portables.yaml" in n["notice"] or "salle_serveur_colocation.yaml" in n["notice"]
               for n in notices) == 2
    measures = pd.DataFrame(json.loads(result.stdout)["measures"]).set_index("id")
    assert measures.loc["M1", "avoided_kgco2e_per_year"] == 9000.0 and measures.loc["M1", "effect_source"] == "effects"


def test_status_without_a_database_uses_register_inventories_and_values(example):
    result = run("roadmap", "status", example / "feuille-de-route.yaml", "--format", "json")
    assert result.exit_code == 0
    statuses = {s["indicator"]: s for s in json.loads(result.stdout)["statuses"]}
    assert statuses["empreinte_carbone"]["status"] == "no_data" and statuses["taux_reemploi"]["status"] == "reached"
    missing = run("roadmap", "status", example / "feuille-de-route.yaml", "--db", example / "absent.sqlite")
    assert missing.exit_code == 2 and "pas de base d'historique" in missing.output


def test_status_and_bilan_of_a_past_year(example):
    args = [example / "feuille-de-route.yaml", "--db", example / "historique.sqlite", "--year", "2024"]
    status = run("roadmap", "status", *args, "--format", "json")
    by_id = {s["indicator"]: s for s in json.loads(status.stdout)["statuses"]}
    assert by_id["empreinte_carbone"]["last_year"] == 2024 and by_id["taux_reemploi"]["target_value"] == 35.0
    assert run("roadmap", "status", *args).exit_code == 0
    bilan = run("roadmap", "bilan", *args)
    assert bilan.exit_code == 0 and "# Bilan annuel 2024" in bilan.output and "en 2024" in bilan.output


def test_a_value_recorded_for_a_later_year_does_not_extend_the_register(example):
    # recording this year's training rate (2026) made the register report a 0 % reuse rate for
    # 2026, a year it does not cover: the legal target turned « en retard, jamais à ce rythme »
    db = example / "h.sqlite"
    shutil.copy(example / "historique.sqlite", db)
    values = example / "saisies.csv"
    values.write_text("indicateur;année;valeur;unité\nagents_formes;2026;55,5;%\n", encoding="utf-8")
    assert run("roadmap", "record", values, "--db", db).exit_code == 0
    result = run("roadmap", "status", example / "feuille-de-route.yaml", "--db", db, "--format", "json")
    statuses = {s["indicator"]: s for s in json.loads(result.stdout)["statuses"]}
    reuse = statuses["taux_reemploi"]
    assert (reuse["last_year"], round(reuse["last_value"], 2), reuse["status"]) == (2025, 68.25, "reached")
    assert statuses["agents_formes"]["last_year"] == 2026
