"""``sobriete project``: template, assess, compare, history; errors in one sentence, exit codes."""

from __future__ import annotations

import json

import pytest
import yaml
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.history import ProjectHistory
from sobriete.project import load_project

PROJECT = """name: Portables
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
        select: {category: laptop}
        lifetime_years: 7
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


def test_template_is_a_valid_commented_french_project(runner, tmp_path, monkeypatch):
    monkeypatch.delenv("SOBRIETE_FACTORS_DIR")  # the template names categories of the bundled catalog
    result = runner.invoke(main, ["project", "template"])
    assert result.exit_code == 0
    assert "# Fichier de projet sobriete" in result.output and "horizon_years" in result.output
    (tmp_path / "t.yaml").write_text(result.output, encoding="utf-8")
    project, _ = load_project(tmp_path / "t.yaml")
    assert project.years == [2026, 2027, 2028, 2029, 2030]
    assessed = runner.invoke(main, ["project", "assess", "t.yaml", "--no-sensitivity"])
    assert assessed.exit_code == 0, assessed.output


def test_assess_table_in_french_and_json(runner):
    result = runner.invoke(main, ["project", "assess", "projet.yaml"])
    assert result.exit_code == 0, result.output
    assert "Évaluation de projet : Portables" in result.output
    assert "-460" in result.output.replace("\u202f", "").replace(" ", "")  # 2 × −230 kgCO2e over the horizon
    doc = json.loads(runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "json", "--lang", "en"])
                     .output)
    assert doc["summary"][0]["net_delta"] == pytest.approx(-460.0)
    assert doc["summary"][0]["net_delta_per_user"] == pytest.approx(-46.0)
    assert doc["baseline_rows"] == {"read": 1, "assessed": 1, "rejected": 0}


def test_csv_and_xlsx(runner, tmp_path):
    result = runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "csv"])
    assert result.exit_code == 0 and result.output.startswith("variant;year;domain")
    result = runner.invoke(main, ["project", "assess", "projet.yaml", "--format", "xlsx", "-o", "p.xlsx"])
    assert result.exit_code == 0 and (tmp_path / "p.xlsx").stat().st_size > 0


def test_baseline_option_replaces_the_files(runner, tmp_path):
    (tmp_path / "autre.csv").write_text("category,quantity,purchase_year\nlaptop,20,2023\n", encoding="utf-8")
    doc = json.loads(runner.invoke(main, ["project", "assess", "projet.yaml", "--baseline", "autre.csv",
                                          "--format", "json"]).output)
    assert doc["summary"][0]["net_delta"] == pytest.approx(-920.0)


@pytest.mark.parametrize("edit, field, line", [
    (lambda d: d["variants"][0]["changes"][0]["select"].update(category="tablette"),
     "variants[0].changes[0].select.category", 14),
    (lambda d: d["variants"][0]["changes"][0].update(year=2035), "variants[0].changes[0].year", 13),
    (lambda d: d["variants"][0]["changes"].append({"kind": "remove", "year": 2026, "quantity": 11,
                                                   "select": {"category": "laptop"}}),
     "variants[0].changes[1].quantity", 17),
    (lambda d: d["variants"][0]["changes"].append({"kind": "add", "year": 2026, "quantity": -1,
                                                   "category": "laptop"}),
     "variants[0].changes[1].quantity", None),
    (lambda d: d["baseline"].update(inputs=["absent.csv"]), "baseline.inputs[0]", None),
    (lambda d: d["variants"][0]["changes"].append({"kind": "lines", "year": 2026, "count": 1,
                                                   "technology": "pigeon"}),
     "variants[0].changes[1].technology", None),
])
def test_bad_project_files_one_sentence_exit_2_nothing_saved(runner, tmp_path, edit, field, line):
    data = yaml.safe_load(PROJECT)
    edit(data)
    (tmp_path / "bad.yaml").write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), encoding="utf-8")
    result = runner.invoke(main, ["project", "assess", "bad.yaml", "--save", "--db", "h.sqlite"])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.output
    assert f"« {field} »" in lines[0] and "fichier bad.yaml" in lines[0] and "ligne " in lines[0]
    if line is not None:
        text = (tmp_path / "bad.yaml").read_text(encoding="utf-8").splitlines()
        number = int(lines[0].split("ligne ")[1].split(")")[0].split(",")[0])
        assert field.rsplit(".", 1)[-1].split("[")[0] in text[number - 1]
    assert not (tmp_path / "h.sqlite").exists() or ProjectHistory(tmp_path / "h.sqlite").list_projects().empty


def test_save_list_show(runner, tmp_path):
    result = runner.invoke(main, ["project", "assess", "projet.yaml", "--save", "--db", "h.sqlite",
                                  "--no-sensitivity"])
    assert result.exit_code == 0
    listed = runner.invoke(main, ["project", "list", "--db", "h.sqlite"])
    assert "Portables" in listed.output
    shown = json.loads(runner.invoke(main, ["project", "show", "1", "--db", "h.sqlite"]).output)
    assert shown["name"] == "Portables" and shown["summary"][0]["net_delta"] == pytest.approx(-460.0)
    missing = runner.invoke(main, ["project", "show", "9", "--db", "h.sqlite"])
    assert missing.exit_code == 2 and "aucun projet n° 9" in missing.output


def test_existing_history_gets_the_projects_table_and_stays_readable(tmp_path):
    import sqlalchemy as sa

    from sobriete.history import History

    db = tmp_path / "old.sqlite"
    engine = sa.create_engine(f"sqlite:///{db}")
    with engine.begin() as conn:  # a version-1 database, as the previous release wrote it: migrated on opening
        from sobriete import history

        history.schema_version.create(conn)
        history._v1_initial(conn)
        conn.execute(history.schema_version.insert().values(version=1))
    engine.dispose()
    with ProjectHistory(db) as h:
        assert h.schema_version() == history.SCHEMA_VERSION and h.list_projects().empty
    with History(db) as h:
        assert h.list().empty
    with sa.create_engine(f"sqlite:///{db}").connect() as conn:
        assert "projects" in sa.inspect(conn).get_table_names()


def test_compare(runner, tmp_path):
    (tmp_path / "b.yaml").write_text(PROJECT.replace("lifetime_years: 7", "lifetime_years: 6")
                                     .replace("Portables", "Portables 6 ans"), encoding="utf-8")
    result = runner.invoke(main, ["project", "compare", "projet.yaml", "b.yaml"])
    assert result.exit_code == 0, result.output
    assert "Portables 6 ans" in result.output and "Comparaison de projets" in result.output


@pytest.mark.parametrize("name, nets", [
    ("renouvellement_portables", [0, -36968, -49785]),
    ("salle_serveur_colocation", [-4640, 6580]),
    ("bascule_cuivre_fibre", [-115, -69]),
    ("portail_citoyen", [6993, 11703]),
])
def test_examples_give_the_readme_figures(name, nets):
    from pathlib import Path

    from sobriete.project import assess_project

    path = Path(__file__).parents[1] / "examples" / "projects" / f"{name}.yaml"
    result = assess_project(path, sensitivity=False)
    assert [round(v) for v in result.summary()["net_delta"]] == nets
