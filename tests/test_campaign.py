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
