"""Regressions found by the new-user test campaign: real-world spreadsheets and exports, the
accounting of rows in every output, French sentences."""

import datetime
import json

import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.io import read_table

openpyxl = pytest.importorskip("openpyxl")


def excel_inventory(path):
    """A sheet as people save it from Excel: a merged title line above the header, a commune
    merged over two rows, quantities with a thousands-separator format, dates as Excel dates,
    a total line at the bottom and a second sheet of notes."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Parc 2025"
    sheet["A1"] = "Inventaire du parc informatique — extraction du 14/11/2025"
    sheet.merge_cells("A1:F1")
    sheet.append(["Entité", "Type", "Fabricant", "Quantité", "Date d'achat", "Statut"])
    rows = [("Commune 01", "Ordinateur portable", "Dell", 1200, datetime.date(2021, 3, 15), "En service"),
            ("Commune 02", "Écran", "Iiyama", 1350, datetime.date(2019, 6, 1), "En service"),
            ("Commune 03", "Tablette", "Apple", 40, datetime.date(2022, 11, 2), "En stock"),
            (None, "Ordinateur portable", "HP", 3, datetime.date(2023, 1, 9), "En réparation")]
    for row in rows:
        sheet.append(list(row))
        sheet.cell(row=sheet.max_row, column=4).number_format = "#,##0"
        sheet.cell(row=sheet.max_row, column=5).number_format = "dd/mm/yyyy"
    sheet.merge_cells("A5:A6")  # Commune 03 over its two rows
    sheet.append(["Total", None, None, 2593, None, None])
    book.create_sheet("Notes")["A1"] = "Source : GLPI"
    book.save(path)
    return path


def test_excel_sheet_with_title_merged_cells_and_total_line(tmp_path, tiny_catalog):
    result = read_table(excel_inventory(tmp_path / "parc.xlsx"), profile="glpi", catalog=tiny_catalog)
    # header found below the title; Excel row numbers kept
    assert result.frame.index.tolist() == [3, 4, 5, 6]
    assert result.frame["entity"].tolist() == ["Commune 01", "Commune 02", "Commune 03", "Commune 03"]
    assert result.frame["quantity"].tolist() == [1200, 1350, 40, 3]
    assert result.frame["purchase_date"].dt.year.tolist() == [2021, 2019, 2022, 2023]
    # the total line is read and rejected with its own reason, on its row, naming the file's header
    rejected = result.rejected
    assert rejected[["row", "column", "value", "reason_code"]].values.tolist() == [[7, "Entité", "Total", "total_row"]]
    assert result.rows_read == 5 == len(result.frame) + len(rejected)
    assert any(w.code == "title_rows" and w.params["rows"] == "1" for w in result.warnings)


def test_excel_sheet_in_the_cli_french_report(tmp_path):
    path = excel_inventory(tmp_path / "parc.xlsx")
    out = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--by", "entity"])
    assert out.exit_code == 1, out.output
    assert "Lignes lues : 5 = 4 évaluées + 1 rejetées" in out.output
    assert "ligne 7, colonne Entité : ligne de total d'un tableur, pas un élément : écartée (valeur : Total)" in out.output
    assert "parc.xlsx : 1 ligne(s) de titre au-dessus de l'en-tête ignorée(s) (ligne(s) 1)" in out.output
    assert "(tous)" not in out.output


def test_a_table_without_title_keeps_its_first_row_as_header(tmp_path, tiny_catalog):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Type", "Quantité"])  # two columns only: not a title line
    sheet.append(["Ordinateur portable", 2])
    sheet.append(["Écran", 1])
    book.save(tmp_path / "a.xlsx")
    result = read_table(tmp_path / "a.xlsx", profile="glpi", catalog=tiny_catalog)
    assert result.frame["category"].tolist() == ["laptop", "monitor"]
    assert not any(w.code == "title_rows" for w in result.warnings)


def test_a_device_named_total_is_not_a_total_line(tmp_path, tiny_catalog):
    path = tmp_path / "inv.csv"
    path.write_text("Type;Nom;Quantité\nOrdinateur portable;Total;2\nÉcran;Poste 2;1\n", encoding="utf-8")
    result = read_table(path, profile="glpi", catalog=tiny_catalog)
    assert len(result.frame) == 2 and result.rejected.empty


def test_unrecognised_file_names_each_candidate_profile_in_french(tmp_path):
    path = tmp_path / "divers.csv"
    path.write_text("Couleur;Poids\nrouge;3\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["assess", str(path), "--year", "2025"])
    assert out.exit_code == 2
    assert "profil glpi : pas de colonne « Type » / « Type de matériel » / « Type d'élément »" in out.output
    assert "profil operateur : pas de colonne « Technologie »" in out.output
    assert "no column" not in out.output and "(equipment)" not in out.output
    english = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--lang", "en"])
    assert "glpi (equipment): no column 'Type'" in english.output


REJECTS = ("Nom;Entité;Type;Quantité;Date d'achat;Puissance (W);Statut\n"
           "PC1;Commune 01;Casque VR;1;01/02/2020;;En service\n"
           "PC2;Commune 01;Ordinateur portable;-2;01/02/2020;;En service\n"
           "PC3;Commune 02;Écran;deux;01/02/2020;;En service\n"
           "PC4;Commune 02;Écran;1;;;En service\n"
           "PC5;Commune 03;Unité centrale;1;01/02/2020;environ 40;En service\n"
           "PC6;Commune 03;Ordinateur portable;1;31/02/2021;;En service\n"
           "PC7;Commune 04;Ordinateur portable;1;01/02/2022;;Rebut\n"
           "PC8;Commune 04;Tablette;1;01/02/2022;;En service\n"
           "PC9;Commune 05;Ordinateur portable;2;01/02/2022;;En service\n"
           "PC10;Commune 05;Écran;1;15/09/2023;;En stock\n")


@pytest.fixture
def rejects(tmp_path):
    path = tmp_path / "inventaire_rejets.csv"
    path.write_bytes(REJECTS.encode("cp1252"))
    return path


def test_rejected_rows_name_the_file_headers_in_file_order_in_every_format(rejects, tmp_path):
    # 10 rows: 6 rejected (unknown type, negative and text quantity, text power, impossible date,
    # scrapped), 4 assessed (one without a date, assessed on an assumption)
    expected = [[2, "Type", "Casque VR"], [3, "Quantité", "-2"], [4, "Quantité", "deux"],
                [6, "Puissance (W)", "environ 40"], [7, "Date d'achat", "31/02/2021"], [8, "Statut", "Rebut"]]
    runner = CliRunner()
    out = runner.invoke(main, ["assess", str(rejects), "--year", "2025"])
    assert out.exit_code == 1
    assert "Lignes lues : 10 = 4 évaluées + 6 rejetées" in out.output
    shown = [f"ligne {row}, colonne {column} :" for row, column, _ in expected]
    positions = [out.output.index(s) for s in shown]
    assert positions == sorted(positions)
    for english in ("colonne quantity", "colonne power_w", "colonne purchase_date"):
        assert english not in out.output
    runner.invoke(main, ["assess", str(rejects), "--year", "2025", "--format", "json", "-o", str(tmp_path / "b.json")])
    report = json.loads((tmp_path / "b.json").read_text(encoding="utf-8"))
    assert report["rows"]["read"] == 10 == report["rows"]["assessed"] + report["rows"]["rejected"]
    assert [[r["row"], r["column"], str(r["value"])] for r in report["rejected"]["rows"]] == [
        [row, column, value.replace("-2", "-2")] for row, column, value in expected]
    runner.invoke(main, ["assess", str(rejects), "--year", "2025", "--format", "xlsx", "-o", str(tmp_path / "b.xlsx")])
    book = openpyxl.load_workbook(tmp_path / "b.xlsx")
    summary = {r[0]: r[1] for r in book["Résumé"].iter_rows(values_only=True) if r and r[0]}
    assert (summary["Lignes lues"], summary["Lignes évaluées"], summary["Lignes rejetées"]) == (10, 4, 6)
    sheet = list(book["Lignes rejetées"].iter_rows(values_only=True))
    assert [[r[1], r[2]] for r in sheet[1:]] == [[row, column] for row, column, _ in expected]
    for fmt in ("html", "md"):
        runner.invoke(main, ["assess", str(rejects), "--year", "2025", "--format", fmt, "-o", str(tmp_path / f"b.{fmt}")])
        text = (tmp_path / f"b.{fmt}").read_text(encoding="utf-8")
        assert "Lignes lues : 10 = 4 évaluées + 6 rejetées" in text
        assert "quantité négative" in text and "la date d&#39;achat n&#39;est pas une date" in text.replace("'", "&#39;")


def test_an_empty_key_cell_is_not_named_all_and_an_empty_rejected_cell_is_not_none(tmp_path):
    path = tmp_path / "vide.csv"
    path.write_text("Entité;Type;Quantité\nCommune 01;;2\n;Ordinateur portable;1\nCommune 02;Écran;1\n", encoding="utf-8")
    out = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--by", "entity"]).output
    assert "(non renseigné)" in out and "(tous)" not in out
    assert "ligne 2, colonne Type : catégorie manquante (valeur : cellule vide)" in out and "None" not in out
    html = tmp_path / "b.html"
    CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--by", "entity", "--format", "html", "-o", str(html)])
    assert "(non renseigné)" in html.read_text(encoding="utf-8")


def test_yearly_report_names_the_grouping_key_in_french(tmp_path):
    from pathlib import Path
    examples = Path(__file__).parents[1] / "examples" / "2025"
    md = tmp_path / "b.md"
    CliRunner().invoke(main, ["assess", str(examples), "--year", "2025", "--by", "entity", "--format", "md",
                              "-o", str(md)])
    text = md.read_text(encoding="utf-8")
    assert "sans colonne « entité »" in text and "colonne entity" not in text


def test_json_groups_equal_each_group_assessed_alone(tiny_catalog):
    """The JSON groups are built from the arrays at once; each equals the totals of its group
    computed alone (the former per-group path), for 300 groups over 3 categories."""
    import numpy as np
    import pandas as pd

    import sobriete as sb
    from sobriete.footprint import Footprint
    from sobriete.report.assessment import groups_dict, totals_dict

    rng = np.random.default_rng(3)
    n = 3000
    inventory = pd.DataFrame({"category": rng.choice(["laptop", "monitor", "printer"], n),
                              "quantity": rng.integers(1, 4, n), "purchase_year": rng.integers(2016, 2025, n),
                              "asset": [f"A{i}" for i in rng.integers(0, 300, n)]})
    fp = sb.assess_equipment(inventory, 2025, catalog=tiny_catalog, by="asset")
    entries = groups_dict(fp, ("asset",))["asset"]
    sub = fp.by("asset")
    assert len(entries) == len(sub.keys) > 250  # assets holding only printers (no factor here) are rejected
    first = [e["totals"]["gwp"]["value"] for e in entries]
    assert first == sorted(first, reverse=True)
    position = {v: g for g, v in enumerate(sub.keys["asset"])}
    for entry in entries:
        g = position[entry["asset"]]
        alone = Footprint(sub.values[g:g + 1], sub.keys.iloc[[g]], sub.criteria, sub.units, sub.energy_kwh[g:g + 1],
                          sub.uncovered[g:g + 1], sub.catalog_version, sub.catalog_hash, phases=sub.phases)
        assert entry["totals"] == totals_dict(alone)
        assert entry["energy_kwh"] == float(sub.energy_kwh[g])
    assert sum(e["totals"]["gwp"]["value"] for e in entries) == pytest.approx(fp.total().loc["gwp", "total"], rel=1e-12)


def test_a_workbook_over_excel_rows_is_refused_in_one_french_sentence(rejects, tmp_path, monkeypatch):
    """10⁵ asset ids × 4 criteria × 4 phases of results pass Excel's 1,048,576 rows: one
    sentence, exit 2, no file (the limit is lowered here to keep the test small)."""
    from sobriete.report import files

    monkeypatch.setattr(files, "EXCEL_MAX_ROWS", 40)
    target = tmp_path / "b.xlsx"
    out = CliRunner().invoke(main, ["assess", str(rejects), "--year", "2025", "--by", "Nom", "--format", "xlsx",
                                    "-o", str(target)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "la feuille « Résultats » du classeur aurait 65 lignes, au-delà de la limite d'Excel (40 lignes)" in out.output
    assert not target.exists()


DATA = __import__("pathlib").Path(__file__).parent / "data" / "campaign"
EXAMPLES = __import__("pathlib").Path(__file__).parents[1] / "examples" / "2025"


def test_lighting_inventory_as_a_za_manager_writes_it(tmp_path):
    """cp1252, « N° PL », « Année pose », « Sodium HP », powers typed « 150 W » or « 0,06 kW »,
    an empty power and a technology without a factor (low-pressure sodium)."""
    out = CliRunner().invoke(main, ["lighting", "assess", str(DATA / "luminaires_za.csv"), "--year", "2025",
                                    "--schedule", str(EXAMPLES / "horaires.yaml")])
    assert out.exit_code == 1, out.output
    assert "2 ligne(s) rejetée(s) sur 8" in out.output
    assert "ligne 8, colonne Puissance lampe (W) : puissance manquante (valeur : cellule vide)" in out.output
    assert "ligne 9, colonne Type de lampe" in out.output and "Sodium basse pression" in out.output
    assert "nan" not in out.output and "colonne(s) non utilisée(s)" in out.output
    result = read_table(DATA / "luminaires_za.csv", domain="lighting")
    assert result.frame["lamp_power_w"].tolist()[:6] == [150.0, 150.0, 100.0, 45.5, 125.0, 60.0]  # rows 2 to 7
    assert result.frame["technology"].tolist()[:2] == ["hps", "hps"]
    assert result.frame["installation_year"].tolist()[:2] == [1998, 1998]


def test_a_typo_in_a_project_change_kind_is_one_french_sentence(tmp_path):
    projects = EXAMPLES.parent / "projects"
    text = (projects / "renouvellement_portables.yaml").read_text(encoding="utf-8")
    broken = tmp_path / "projets" / "casse.yaml"
    broken.parent.mkdir()
    broken.write_text(text.replace("kind: lifetime", "kind: lifetme").replace("../2025/", f"{EXAMPLES}/"),
                      encoding="utf-8")
    out = CliRunner().invoke(main, ["project", "assess", str(broken)])
    assert out.exit_code == 2 and "Traceback" not in out.output
    assert "type « lifetme » inconnu (champ 'kind' ; types possibles : 'add', 'remove', 'replace', 'lifetime'" in out.output
    assert "ligne 36" in out.output and "Input tag" not in out.output


def test_project_reports_name_the_criterion_in_words(tmp_path):
    project = EXAMPLES.parent / "projects" / "salle_serveur_colocation.yaml"
    out = CliRunner().invoke(main, ["project", "assess", str(project)])
    assert "delta par année (Climat, kgCO2e)" in out.output and "(gwp," not in out.output
    compare = CliRunner().invoke(main, ["project", "compare", str(project), str(project)])
    assert "Comparaison de projets (Climat, kgCO2e)" in compare.output
    md = tmp_path / "p.md"
    CliRunner().invoke(main, ["project", "assess", str(project), "--format", "md", "-o", str(md)])
    assert "(gwp," not in md.read_text(encoding="utf-8")
    english = CliRunner().invoke(main, ["project", "assess", str(project), "--lang", "en"])
    assert "(Climate, kgCO2e)" in english.output


def test_counts_in_the_written_message_and_the_others_line_are_grouped_in_french(tmp_path):
    rows = "".join(f"PC{i};Commune {i % 3};Ordinateur portable;1;01/02/2022;;En service;A{i}\n" for i in range(1200))
    path = tmp_path / "inv.csv"
    path.write_text("Nom;Entité;Type;Quantité;Date d'achat;Puissance (W);Statut;Identifiant\n" + rows, encoding="utf-8")
    out = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--format", "json", "-o",
                                    str(tmp_path / "b.json")])
    assert "lignes lues : 1 200 = 1 200 évaluées + 0 rejetées." in out.output
    table = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--by", "Identifiant", "--top", "2"])
    assert "… et 1 198 autres" in table.output


def test_history_compare_warns_when_the_years_cover_other_domains(tmp_path):
    db = str(tmp_path / "h.sqlite")
    runner = CliRunner()
    runner.invoke(main, ["assess", str(EXAMPLES / "glpi_ordinateurs_ecrans.csv"), "--year", "2024", "--save", "--db", db])
    runner.invoke(main, ["assess", str(EXAMPLES / "glpi_ordinateurs_ecrans.csv"),
                         str(EXAMPLES / "eclairage_za.csv"), "--year", "2025", "--save", "--db", db])
    out = runner.invoke(main, ["history", "compare", "2024", "2025", "--db", db])
    assert out.exit_code == 0, out.output
    assert ("les deux années ne couvrent pas les mêmes domaines (2024 : Équipements ; 2025 : Équipements, "
            "Éclairage public)") in out.output
    html = tmp_path / "e.html"
    runner.invoke(main, ["history", "compare", "2024", "2025", "--db", db, "--format", "html", "-o", str(html)])
    assert "ne couvrent pas les mêmes domaines" in html.read_text(encoding="utf-8")
    runner.invoke(main, ["assess", str(EXAMPLES / "glpi_ordinateurs_ecrans.csv"), "--year", "2023", "--save", "--db", db])
    same = runner.invoke(main, ["history", "compare", "2023", "2024", "--db", db])
    assert "mêmes domaines" not in same.output


def test_excel_day_numbers_in_a_date_column_are_dates(tmp_path, tiny_catalog):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["Type", "Quantité", "Date d'achat"])
    sheet.append(["Ordinateur portable", "1 200", 44197])  # a date whose cell lost its format: 1 January 2021
    sheet.append(["Écran", 3, "15/03/2019"])
    sheet.append(["Écran", 2, 2019])  # a year, not a day number: still rejected as not a date
    book.save(tmp_path / "a.xlsx")
    result = read_table(tmp_path / "a.xlsx", profile="glpi", catalog=tiny_catalog)
    assert result.frame.loc[2, "purchase_date"] == __import__("pandas").Timestamp("2021-01-01")
    assert result.frame.loc[2, "quantity"] == 1200
    assert result.frame.loc[3, "purchase_date"] == __import__("pandas").Timestamp("2019-03-15")
    assert result.frame.loc[4, "purchase_date"] == 2019


def test_csv_saved_from_excel_with_a_title_line_and_a_total_line(tmp_path, tiny_catalog):
    path = tmp_path / "parc.csv"
    path.write_bytes(("Inventaire du parc — extraction du 14/11/2025;;;;\n"
                      "Entité;Type;Quantité;Date d'achat;Statut\n"
                      "Commune 01;Ordinateur portable;2;01/02/2021;En service\n"
                      "Commune 02;Écran;1;01/02/2020;En service\n"
                      "Total;;3;;\n").encode("cp1252"))
    result = read_table(path, profile="glpi", catalog=tiny_catalog)
    assert result.frame.index.tolist() == [3, 4]  # file lines: title 1, header 2
    assert result.frame["quantity"].tolist() == [2, 1]
    assert result.rejected[["row", "column", "reason_code"]].values.tolist() == [[5, "Entité", "total_row"]]
    assert result.rows_read == 3
    assert any(w.code == "title_rows" for w in result.warnings)
    ragged = tmp_path / "ragged.csv"  # and a record with too many fields, read record by record
    ragged.write_text("Parc;;\nType;Quantité;Lieu\nOrdinateur portable;1;Mairie\n"
                      "Écran;2;Mairie;" + ";".join("x" * 30) + "\n", encoding="utf-8")
    result = read_table(ragged, profile="glpi", catalog=tiny_catalog)
    assert result.frame.index.tolist() == [3] and result.rejected["row"].tolist() == [4]


def test_by_a_file_header_and_a_misspelt_key(rejects):
    runner = CliRunner()
    by_header = runner.invoke(main, ["assess", str(rejects), "--year", "2025", "--by", "Entité"])
    assert "Par entité : 3 groupe(s)" in by_header.output  # Communes 02, 04 and 05 hold the 4 assessed rows
    by_kept = runner.invoke(main, ["assess", str(rejects), "--year", "2025", "--by", "nom"])
    assert "PC9" in by_kept.output and "colonne(s) non utilisée(s)" not in by_kept.output
    typo = runner.invoke(main, ["assess", str(rejects), "--year", "2025", "--by", "Entite2"])
    assert typo.exit_code == 2
    assert "colonne de regroupement inconnue « Entite2 » ; valeurs possibles : Date d'achat, Entité" in typo.output


def test_a_workbook_whose_first_sheet_is_a_readme(tmp_path, tiny_catalog):
    book = openpyxl.Workbook()
    readme = book.active
    readme.title = "Lisez-moi"
    readme["A1"], readme["A2"] = "Extraction GLPI du 14/11/2025", "Contact : DSI"
    sheet = book.create_sheet("Parc")
    sheet.append(["Type", "Quantité"])
    sheet.append(["Ordinateur portable", 2])
    book.save(tmp_path / "parc.xlsx")
    result = read_table(tmp_path / "parc.xlsx", profile="glpi", catalog=tiny_catalog)
    assert result.frame["category"].tolist() == ["laptop"] and result.rows_read == 1
    out = CliRunner().invoke(main, ["assess", str(tmp_path / "parc.xlsx"), "--year", "2025"])
    assert "parc.xlsx : feuille « Parc » lue (les feuilles Lisez-moi ne contiennent pas de tableau reconnu)" in out.output
    with pytest.raises(Exception, match="no column|aucune colonne|Type"):
        read_table(tmp_path / "parc.xlsx", profile="glpi", sheet="Lisez-moi", catalog=tiny_catalog)


def test_strict_says_which_rows_failed(rejects):
    out = CliRunner().invoke(main, ["assess", str(rejects), "--year", "2025", "--strict"])
    assert out.exit_code == 1
    assert "6 ligne(s) rejetée(s) sur 10 et --strict est demandé : aucun résultat produit." in out.output
    assert "inventaire_rejets.csv, ligne 3, colonne Quantité : quantité négative (valeur : -2)" in out.output


def test_history_compare_keeps_the_rows_without_a_key_value(tmp_path):
    """Rows whose entity cell is empty form a group; its total is the sum of its phases in
    both years (it read 0 and « nan » before)."""
    import pandas as pd

    from sobriete.history import History, compare_assessments

    path = tmp_path / "vide.csv"
    path.write_text("Entité;Type;Quantité;Date d'achat\n;Ordinateur portable;1;01/02/2022\n"
                    "Commune 02;Écran;1;01/02/2022\n", encoding="utf-8")
    db = str(tmp_path / "h.sqlite")
    for year in ("2024", "2025"):
        CliRunner().invoke(main, ["assess", str(path), "--year", year, "--by", "entity", "--save", "--db", db])
    with History(db, create=False) as store:
        frame = compare_assessments(store.load(2024), store.load(2025), by="entity")
    empty = frame[frame["entity"].isna() & (frame["criterion"] == "gwp")].set_index("phase")
    assert len(empty) == 5
    for column in ("value_a", "value_b"):
        assert empty.loc["total", column] == pytest.approx(empty.drop(index="total")[column].sum(), rel=1e-12)
        assert empty.loc["total", column] > 0
    assert frame.groupby("criterion")["value_b"].sum().gt(0).any() and not pd.isna(frame["value_a"]).any()
    out = CliRunner().invoke(main, ["history", "compare", "2024", "2025", "--by", "entity", "--db", db])
    assert "(non renseigné)" in out.output and "nan" not in out.output


@pytest.mark.parametrize("kind, source, good, typo, args", [
    ("project", "examples/projects/portail_citoyen.yaml", "horizon_years:", "horizon_yeras:", ["project", "assess"]),
    ("roadmap", "examples/roadmap/feuille-de-route.yaml", "baseline_year:", "baseline_yaer:",
     ["roadmap", "status", "--db", "examples/roadmap/historique.sqlite"]),
])
def test_a_misspelt_key_is_named_not_the_whole_document(tmp_path, kind, source, good, typo, args):
    """A required key misspelt: the sentence names the misspelt key and its line, never the whole
    document as the "value" of the missing field (found by the test campaign)."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    text = (root / source).read_text(encoding="utf-8")
    assert text.count(good) == 1
    path = tmp_path / f"{kind}.yaml"
    path.write_text(text.replace(good, typo), encoding="utf-8")
    line = text[:text.index(good)].count("\n") + 1
    args = [str(root / a) if a.startswith("examples/") else a for a in args]
    result = CliRunner().invoke(main, [*args[:2], str(path), *args[2:]])
    assert result.exit_code == 2
    message = result.output.strip().splitlines()[-1]
    assert typo.rstrip(":") in message and "champ non prévu" in message and f"ligne {line}" in message
    assert "{" not in message and len(message) < 300


def test_roadmap_strict_fails_on_a_missing_values_file(tmp_path):
    """`roadmap status --strict` fails (exit 2, one French sentence) when an element of the
    roadmap is unusable at evaluation (here its values file is missing), as the README says;
    the shipped example passes."""
    import shutil
    from pathlib import Path

    example = Path(__file__).resolve().parents[1] / "examples" / "roadmap"
    copy = tmp_path / "roadmap"
    shutil.copytree(example, copy)
    (copy / "valeurs.csv").unlink()
    args = ["roadmap", "status", str(copy / "feuille-de-route.yaml"), "--db", str(copy / "historique.sqlite")]
    lenient = CliRunner().invoke(main, args)
    assert lenient.exit_code == 0 and "valeurs.csv n'existe pas" in lenient.output
    strict = CliRunner().invoke(main, [*args, "--strict"])
    assert strict.exit_code == 2
    last = strict.output.strip().splitlines()[-1]
    assert last.startswith("Erreur : --strict :") and "valeurs.csv n'existe pas" in last and "ligne 23" in last
    shipped = CliRunner().invoke(main, ["roadmap", "status", str(example / "feuille-de-route.yaml"), "--db",
                                        str(example / "historique.sqlite"), "--strict"])
    assert shipped.exit_code == 0


def test_lighting_check_says_where_the_report_went(tmp_path):
    """`lighting check -o FILE` says on standard error where the report went and what became of
    the rows, as `assess -o` does (found by the test campaign)."""
    from pathlib import Path

    folder = Path(__file__).resolve().parents[1] / "examples" / "2025"
    out = tmp_path / "conformite.json"
    result = CliRunner().invoke(main, ["lighting", "check", str(folder / "conformite" / "eclairage_za_conformite.csv"),
                                       "--sites", str(folder / "conformite" / "za_sites.csv"), "--schedule",
                                       str(folder / "horaires.yaml"), "--year", "2025", "--format", "json",
                                       "-o", str(out)])
    assert result.exit_code == 0 and json.loads(out.read_text(encoding="utf-8"))
    assert f"Rapport écrit dans {out} ; lignes lues : 343 = 343 évaluées + 0 rejetées." in result.output


@pytest.mark.parametrize("keys, words", [(["entity", "za"], "entité, zone d'activité"), ([], "aucun")])
def test_not_grouped_by_names_the_keys_in_words(keys, words):
    from sobriete.history import HistoryError
    from sobriete.report.error_messages import error_text

    error = HistoryError("the 2024 assessment is not grouped by 'site'", code="not_grouped_by", year=2024,
                         by="site", keys=keys)
    assert error_text(error) == (f"l'évaluation 2024 n'est pas regroupée par « site » (ses regroupements : "
                                 f"{words}) ; réévaluez-la avec --by site")
