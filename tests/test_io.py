"""Reading inputs: French CSV quirks, XLSX, Parquet, row numbers, the GLPI profile end to end."""

from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import sobriete as sb
from sobriete.io import read_inputs, read_table
from sobriete.parsing import clean_number_text, parse_dates, parse_numbers
from sobriete.io.readers import detect_encoding, sniff_separator

EXAMPLES = Path(__file__).parents[1] / "examples" / "2025"


def write(tmp_path, name, text, encoding="utf-8"):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def reconciles(result, footprint=None):
    assert result.rows_read == len(result.frame) + result.rejected[["file", "row"]].drop_duplicates().shape[0]
    if footprint is not None:
        q = result.combine_quality(footprint.quality)
        assert q.rows_read == result.rows_read == q.rows_assessed + q.rows_rejected
        return q
    return result.quality


# --------------------------------------------------------------------------- French CSV quirks
FRENCH = ("category ;quantity; power_w ;purchase_date;entity\n"
          "laptop;1;1 234,5;15/03/2021;Mairie  \n"
          "\n"
          "monitor ; 2 ;1\u202f000;2020-01-31;École\n"
          ";;;;\n"
          "laptop;3;1.234,5;01/12/2019;Médiathèque\n"
          "laptop;4;12,25;;Mairie\n")


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8", "utf-8-sig"])
def test_french_csv_quirks_give_exact_values(tmp_path, tiny_catalog, encoding):
    text = FRENCH if encoding != "cp1252" else FRENCH.replace("\u202f", "\u00a0")  # no U+202F in cp1252
    result = read_table(write(tmp_path, "parc.csv", text, encoding), catalog=tiny_catalog)
    frame = result.frame
    # Line numbers: header = 1, the blank line (3) and the line of separators only (5) are skipped.
    assert frame.index.tolist() == [2, 4, 6, 7]
    assert frame["category"].tolist() == ["laptop", "monitor", "laptop", "laptop"]
    assert frame["quantity"].tolist() == [1.0, 2.0, 3.0, 4.0]
    assert frame["power_w"].tolist() == [1234.5, 1000.0, 1234.5, 12.25]
    assert frame["purchase_date"].dt.strftime("%Y-%m-%d").fillna("").tolist() == [
        "2021-03-15", "2020-01-31", "2019-12-01", ""]
    assert frame["entity"].tolist() == ["Mairie", "École", "Médiathèque", "Mairie"]
    assert set(frame["_file"]) == {"parc.csv"}
    assert result.rows_read == 4 and result.counts["blank_rows_skipped"] == 2
    assert any("2 blank row(s) skipped" in w for w in result.warnings)
    reconciles(result)


def test_comma_separated_file_with_dot_decimals(tmp_path, tiny_catalog):
    path = write(tmp_path, "inv.csv", 'category,quantity,power_w\nlaptop,1,"1,500"\nmonitor,2,12.5\n')
    frame = read_table(path, catalog=tiny_catalog).frame
    assert frame["power_w"].tolist() == [1500.0, 12.5]


def test_quoted_cell_over_two_lines_keeps_line_numbers(tmp_path, tiny_catalog):
    text = 'category;entity;note\nlaptop;A;"line one\nline two"\nmonitor;B;x\n\nlaptop;C;y\n'
    frame = read_table(write(tmp_path, "q.csv", text), catalog=tiny_catalog).frame
    assert frame.index.tolist() == [2, 4, 6]


def test_encoding_detection_and_separator_sniffing():
    assert detect_encoding("Entité;Écran".encode("cp1252")) == "cp1252"
    assert detect_encoding("Entité".encode("utf-8")) == "utf-8-sig"
    assert detect_encoding(b"\xef\xbb\xbfEntit\xc3\xa9") == "utf-8-sig"
    assert sniff_separator("a;b;c\n1,5;2,5;3\n") == ";"
    assert sniff_separator("a,b,c\n1.5,2.5,3\n") == ","
    assert sniff_separator("a\tb\n1,5\t2\n") == "\t"


def test_cp1252_and_utf8_bom_read_the_same(tmp_path, tiny_catalog):
    a = read_table(write(tmp_path, "a.csv", FRENCH.replace("\u202f", " "), "cp1252"), catalog=tiny_catalog)
    b = read_table(write(tmp_path, "b.csv", FRENCH.replace("\u202f", " "), "utf-8-sig"), catalog=tiny_catalog)
    pd.testing.assert_frame_equal(a.frame.drop(columns="_file"), b.frame.drop(columns="_file"))


def test_number_text_conventions():
    cells = pd.Series(["1 234,5", "1.234,5", "1,234.5", "-0,5", "+3", "12'000", "1.234.567", "1,5 "])
    assert clean_number_text(cells).tolist() == ["1234.5", "1234.5", "1234.5", "-0.5", "+3", "12000",
                                                 "1234567", "1.5"]
    parsed = parse_numbers(pd.Series(["2,5", "abc", None, "3"]), factor=1000.0)
    assert parsed.tolist()[:2] == [2500.0, "abc"] and pd.isna(parsed.iloc[2]) and parsed.iloc[3] == 3000.0


@settings(max_examples=60, deadline=None)
@given(st.floats(min_value=-1e9, max_value=1e9, allow_nan=False).map(lambda v: round(v, 3)),
       st.sampled_from([" ", "\u202f", "\u00a0", "."]))
def test_french_number_round_trip(value, thousands):
    """A number written the French way (any thousands separator, decimal comma) reads back."""
    whole, frac = f"{abs(value):,.3f}".split(".")
    text = ("-" if value < 0 else "") + whole.replace(",", thousands) + "," + frac
    assert parse_numbers(pd.Series([text])).iloc[0] == pytest.approx(value, abs=1e-9)


def test_dates_french_iso_and_bad_text():
    parsed = parse_dates(pd.Series(["15/03/2021", "2021-03-16", "17-03-2021", "18.03.2021 08:00", "31/02/2021"]))
    assert [str(v)[:10] for v in parsed.tolist()[:4]] == ["2021-03-15", "2021-03-16", "2021-03-17", "2021-03-18"]
    assert parsed.iloc[4] == "31/02/2021"  # left as text: the engine rejects it with the value


# --------------------------------------------------------------------------- XLSX and Parquet
def test_xlsx_with_header_below_blank_rows_gives_excel_row_numbers(tmp_path, tiny_catalog):
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Parc"
    sheet["B3"], sheet["C3"], sheet["D3"] = "Type ", "Date d'achat", "Quantité"
    sheet["B4"], sheet["C4"], sheet["D4"] = "Ordinateur portable", pd.Timestamp("2022-05-01").to_pydatetime(), 2
    sheet["B6"], sheet["C6"], sheet["D6"] = "Écran", "01/02/2021", "1,5"
    book.create_sheet("Autre")
    path = tmp_path / "parc.xlsx"
    book.save(path)
    result = read_table(path, profile="glpi", catalog=tiny_catalog)
    assert result.frame.index.tolist() == [4, 6]
    assert result.frame["category"].tolist() == ["laptop", "monitor"]
    assert result.frame["quantity"].tolist() == [2.0, 1.5]
    assert result.frame["purchase_date"].dt.year.tolist() == [2022, 2021]
    with pytest.raises(sb.SobrieteError, match="unknown sheet 'Nope'.*Autre, Parc"):
        read_table(path, profile="glpi", sheet="Nope")
    with pytest.raises(sb.SobrieteError, match="sheet 'Autre' is empty"):
        read_table(path, profile="glpi", sheet="Autre")


def test_parquet_rows_are_numbered_from_one(tmp_path, tiny_catalog):
    path = tmp_path / "inv.parquet"
    pd.DataFrame({"category": ["laptop", "monitor", "laptop"], "quantity": [1, 2, -1],
                  "site": ["A", "B", "A"]}).to_parquet(path)
    result = read_table(path, catalog=tiny_catalog)
    assert result.frame.index.tolist() == [1, 2, 3]
    assert result.frame["quantity"].tolist() == [1.0, 2.0, -1.0]
    fp = sb.assess_equipment(result.frame, 2025, catalog=tiny_catalog)
    q = reconciles(result, fp)
    assert q.rejected[["file", "row", "reason_code"]].values.tolist() == [["inv.parquet", 3, "negative_quantity"]]


# --------------------------------------------------------------------------- GLPI end to end
GLPI = ("Nom;Entité;Type;Modèle;Fabricant;Lieu;Statut;Date d'achat;Numéro de série;Utilisateur;Puissance (kW)\n"
        "PC1;Commune 01;Ordinateur portable;T14;Lenovo;Mairie;En service;01/01/2023;S1;a.b;\n"
        "PC2;Commune 01;PORTABLE;T14;Lenovo;Mairie;En service;01/01/2023;S2;a.c;\n"
        "E1;Commune 02;Écran;P24;Dell;École;En service;01/01/2025;S3;;0,05\n"
        "PC3;Commune 02;Portable;T14;Lenovo;École;Au rebut;01/01/2015;S4;;\n"
        "PC4;Commune 02;Portabel;T14;Lenovo;École;En service;01/01/2023;S5;;\n")


def test_glpi_export_end_to_end_on_the_tiny_catalog(tmp_path, tiny_catalog):
    path = write(tmp_path, "glpi.csv", GLPI, "cp1252")
    result = read_table(path, profile="glpi", catalog=tiny_catalog)
    assert result.frame["category"].tolist() == ["laptop", "laptop", "monitor"]
    assert result.frame.loc[4, "power_w"] == pytest.approx(50.0)  # 0,05 kW
    assert result.rejected[["row", "column", "value", "reason_code"]].values.tolist() == [
        [5, "Statut", "Au rebut", "out_of_inventory"], [6, "Type", "Portabel", "unmapped_value"]]
    assert result.unmapped[["value", "count", "suggestion", "maps_to"]].values.tolist() == [
        ["Portabel", 1, "Portable", "laptop"]]
    fp = sb.assess_equipment(result.frame, 2025, catalog=tiny_catalog, by="entity")
    q = reconciles(result, fp)
    assert (q.rows_read, q.rows_assessed, q.rows_rejected) == (5, 3, 2)
    total = fp.to_frame().query("criterion == 'gwp'").groupby(["entity", "phase"])["value"].sum()
    # Commune 01: 2 laptops bought 1 Jan 2023, 5-year life: 1/5 of 100 kg manufacturing each.
    assert total[("Commune 01", "manufacturing")] == pytest.approx(2 * 100 / 5)
    # Commune 02: a monitor bought 1 Jan 2025, 4-year life: 50/4 kg; use: 50 W × 4 h/day × 365 d
    # = 73 kWh × 0.1 kgCO2e/kWh.
    assert total[("Commune 02", "manufacturing")] == pytest.approx(50 / 4)
    assert total[("Commune 02", "use")] == pytest.approx(50 * 4 * 365 / 1000 * 0.1)


def test_power_in_kw_or_w_gives_the_same_footprint(tmp_path, tiny_catalog):
    kw = write(tmp_path, "kw.csv", "Type;Puissance (kW);Heures par an\nÉcran;0,025;2000\n")
    w = write(tmp_path, "w.csv", "Type;Puissance (W);Heures par an\nÉcran;25;2000\n")
    fps = [sb.assess_equipment(read_table(p, profile="glpi", catalog=tiny_catalog).frame, 2025,
                               catalog=tiny_catalog) for p in (kw, w)]
    np.testing.assert_allclose(fps[0].values, fps[1].values)
    assert fps[0].energy_kwh.sum() == pytest.approx(25 * 2000 / 1000)


def test_monitor_size_classes_and_status_exclusion(tmp_path, catalog):
    text = ("Type;Taille;Statut\nÉcran;19,5;En service\nÉcran;24;\nÉcran;27;\nÉcran;32;\nÉcran;;\n"
            "Écran;24;Volé\n")
    result = read_table(write(tmp_path, "ecrans.csv", text), profile="glpi", catalog=catalog)
    assert result.frame["category"].tolist() == ["monitor_small", "monitor", "monitor", "monitor_large", "monitor"]
    assert result.rejected["reason_code"].tolist() == ["out_of_inventory"]
    assert "Volé" in result.rejected.loc[0, "reason"]


def test_unmapped_values_are_counted_with_a_suggestion(tmp_path, catalog):
    text = "Type\n" + "Ordinateur portble\n" * 3 + "Unité centrale\n" + "Imprimante 3D\n" + "Switsh\n" * 2
    result = read_table(write(tmp_path, "u.csv", text), profile="glpi", catalog=catalog)
    assert result.unmapped[["column", "value", "count", "suggestion", "maps_to"]].values.tolist() == [
        ["Type", "Ordinateur portble", 3, "Ordinateur portable", "laptop"],
        ["Type", "Switsh", 2, "Switch", "network_switch"],
        ["Type", "Imprimante 3D", 1, "Imprimante laser", "printer_laser"]]
    assert len(result.frame) == 1 and result.rows_read == 7
    assert (result.rejected["reason_code"] == "unmapped_value").sum() == 6


def test_catalog_ids_are_accepted_case_insensitively(tmp_path, catalog):
    result = read_table(write(tmp_path, "c.csv", "category;condition;zone\nLaptop;Refurbished;fr\n"),
                        catalog=catalog)
    assert result.frame[["category", "condition", "zone"]].values.tolist() == [["laptop", "refurbished", "FR"]]


def test_several_files_and_folders(tmp_path, tiny_catalog):
    folder = tmp_path / "in"
    folder.mkdir()
    write(folder, "a.csv", "category;entity\nlaptop;A\nlaptop;B\n")
    pd.DataFrame({"category": ["monitor"], "entity": ["C"]}).to_parquet(folder / "b.parquet")
    write(folder, "notes.md", "not an input")
    single = write(tmp_path, "c.csv", "category;site\nmonitor;S\n")
    result = read_inputs([folder, single], catalog=tiny_catalog)
    assert result.frame["_file"].tolist() == ["a.csv", "a.csv", "b.parquet", "c.csv"]
    assert result.frame.index.tolist() == [2, 3, 1, 2]
    assert result.frame["entity"].tolist()[:3] == ["A", "B", "C"] and pd.isna(result.frame["entity"].iloc[3])
    assert result.counts["files"] == 3
    fp = sb.assess_equipment(result.frame, 2025, catalog=tiny_catalog, by=["entity", "category"])
    reconciles(result, fp)


def test_the_synthetic_example_reconciles():
    result = read_inputs([EXAMPLES], profile="glpi")
    fp = sb.assess_equipment(result.frame, 2025, by=["entity", "category"])
    q = reconciles(result, fp)
    assert q.rows_read == 3880 and result.counts["blank_rows_skipped"] == 2
    assert result.rejected["reason_code"].value_counts().to_dict() == {"out_of_inventory": 40, "unmapped_value": 3}
    assert sorted(fp.quality.rejected["reason_code"]) == ["implausible_purchase_date", "negative_quantity",
                                                          "negative_quantity"]
    assert set(result.frame["_file"]) == {"glpi_ordinateurs_ecrans.csv", "glpi_materiels_reseau.csv",
                                          "telephones_mobiles.xlsx"}
    # The negative quantity of the CSV is reported on its line (data row 412 + header; before the blank line).
    row = fp.quality.rejected.query("file == 'glpi_ordinateurs_ecrans.csv' and reason_code == 'negative_quantity'")
    assert row["row"].tolist() == [414]
