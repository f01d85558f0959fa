"""Hostile and messy inputs (issue #8 items 1-6, 10, 11, 13): each built from the exact input of the
issue, read without a traceback, every data line a row, assessed or rejected with its reason."""

import datetime as dt
import decimal
import json
import subprocess
import sys
import zipfile

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from click.testing import CliRunner

from sobriete.cli import main
from sobriete.errors import InputFormatError
from sobriete.io import read_table
from sobriete.io.readers import MAX_COLUMNS, read_raw
from sobriete.report.error_messages import error_text
from sobriete.report.messages import reason


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


def reconciles(result):
    rejected_rows = result.rejected[["file", "row"]].drop_duplicates().shape[0]
    assert result.rows_read == len(result.frame) + rejected_rows
    return result


def cli_json(path, *args, exit_code=None):
    run = CliRunner().invoke(main, ["assess", str(path), "--year", "2025", "--format", "json", *args])
    assert run.exception is None or isinstance(run.exception, SystemExit), run.output
    assert exit_code is None or run.exit_code == exit_code
    return run, (json.loads(run.stdout) if run.exit_code in (0, 1) else None)


# --------------------------------------------------------------------------- 1. non-finite numbers
def test_inf_and_nan_text_are_rejected_rows_and_1e308_passes_on_finite(tmp_path, tiny_catalog):
    path = write(tmp_path, "inf.csv", "category;quantity;energy_kwh_per_year;purchase_year\n"
                 "laptop;1e308;;2022\nlaptop;1;inf;2022\nlaptop;1;-inf;2022\nlaptop;1;nan;2022\nlaptop;1;10;2022\n")
    result = reconciles(read_table(path, catalog=tiny_catalog))
    assert result.rejected[["row", "value", "reason_code"]].values.tolist() == [
        [3, "inf", "non_finite_number"], [4, "-inf", "non_finite_number"], [5, "nan", "non_finite_number"]]
    assert result.frame["quantity"].tolist() == [1e308, 1.0]  # finite: the engine judges the overflow
    assert reason("non_finite_number", lang="fr").startswith("pas un nombre fini")


def test_non_finite_rows_through_the_cli_reconcile(tmp_path):
    report = cli_json(write(tmp_path, "inf.csv", "category;quantity;energy_kwh_per_year;purchase_year\n"
                            "laptop;1;inf;2022\nlaptop;1;-inf;2022\nlaptop;1;nan;2022\nlaptop;1;10;2022\n"),
                      exit_code=1)[1]
    assert _counts(report) == {"read": 4, "assessed": 1, "rejected": 3}


def test_parquet_nan_inf_and_huge_floats(tmp_path, tiny_catalog):
    path = tmp_path / "p.parquet"
    pq.write_table(pa.table({"category": ["laptop"] * 5,
                             "quantity": pa.array([1e308, float("nan"), float("inf"), 1.0, None]),
                             "purchase_year": [2022] * 5}), path)
    result = reconciles(read_table(path, catalog=tiny_catalog))
    assert result.rejected[["row", "value", "reason_code"]].values.tolist() == [
        [2, "nan", "non_finite_number"], [3, "inf", "non_finite_number"]]
    assert result.frame["quantity"].tolist()[:2] == [1e308, 1.0]
    assert np.isnan(result.frame["quantity"].iloc[2])  # a null cell is a missing value, not a NaN


# --------------------------------------------------------------------------- 2. ragged rows
RAGGED = "category;quantity;purchase_year;entity\nlaptop;1;2022;Denain;extra;cols\nlaptop;1\n"


def test_ragged_rows_every_data_line_is_a_row(tmp_path, tiny_catalog):
    result = reconciles(read_table(write(tmp_path, "ragged.csv", RAGGED), catalog=tiny_catalog))
    assert result.rows_read == 2
    assert result.rejected[["row", "value", "reason_code", "reason"]].values.tolist() == [
        [2, "laptop;1;2022;Denain;extra;cols", "too_many_fields",
         "6 fields, the header has 4: quote cells that contain the separator ';'"]]
    # too few fields: the missing cells are empty, the row is judged on that
    assert result.frame.index.tolist() == [3]
    assert result.frame.loc[3, "category"] == "laptop" and pd.isna(result.frame.loc[3, "purchase_year"])
    assert result.frame.loc[3, "entity"] is None or pd.isna(result.frame.loc[3, "entity"])
    assert not any(w.code == "blank_rows" for w in result.warnings)
    assert "plus de champs que l'en-tête" in reason("too_many_fields", lang="fr")
    # the French report repeats the counts and the separator the reader found
    assert reason("too_many_fields", result.rejected["reason"].iloc[0], "fr") == (
        "la ligne a 6 champs, l'en-tête 4 : mettez entre guillemets les cellules qui contiennent le séparateur « ; »")


def test_ragged_rows_through_the_cli(tmp_path):
    run, report = cli_json(write(tmp_path, "ragged.csv", RAGGED))
    assert run.exit_code == 1
    assert _counts(report) == {"read": 2, "assessed": 1, "rejected": 1}  # row 3: undated, assessed as such
    assert [(r["row"], r["reason_code"]) for r in report["rejected"]["rows"]] == [(2, "too_many_fields")]
    french = CliRunner().invoke(main, ["assess", str(tmp_path / "ragged.csv"), "--year", "2025"])
    assert "la ligne a 6 champs, l'en-tête 4" in french.output


def test_ragged_rows_keep_physical_line_numbers_with_quoted_newlines(tmp_path, tiny_catalog):
    text = ('category;quantity;entity\n"laptop";1;"Mairie\nannexe"\nlaptop;1;A;x;y\nlaptop;2\n\n'
            'laptop;3;B;;\n')  # an empty trailing field loses nothing: not a rejection
    result = reconciles(read_table(write(tmp_path, "q.csv", text), catalog=tiny_catalog))
    assert result.rejected[["row", "reason_code"]].values.tolist() == [[4, "too_many_fields"]]
    assert result.frame.index.tolist() == [2, 5, 7]
    assert result.counts["blank_rows_skipped"] == 1 and result.rows_read == 4


@pytest.mark.parametrize("extra", [2, 16, 17, 40])  # up to 16 extra fields: fast parser; beyond: record by record
def test_ragged_rows_with_many_extra_fields(tmp_path, tiny_catalog, extra):
    long = "laptop;1;2022;Denain" + ";x" * extra
    text = f"category;quantity;purchase_year;entity\nlaptop;1\n{long}\n\nlaptop;2;2023;Valenciennes\n"
    result = reconciles(read_table(write(tmp_path, "r.csv", text), catalog=tiny_catalog))
    assert result.rejected[["row", "value", "reason"]].values.tolist() == [
        [3, long, f"{4 + extra} fields, the header has 4: quote cells that contain the separator ';'"]]
    assert result.frame.index.tolist() == [2, 5] and result.frame["quantity"].tolist() == [1.0, 2.0]
    assert result.rows_read == 3 and result.counts["blank_rows_skipped"] == 1


# --------------------------------------------------------------------------- 3. dates out of range
def test_dates_outside_the_nanosecond_range_are_rejected_with_a_reason(tmp_path):
    report = cli_json(write(tmp_path, "dates.csv", "category;quantity;purchase_date\nlaptop;1;01/01/0001\n"
                            "laptop;1;31/12/9999\nlaptop;1;2024-03-04\n"), exit_code=1)[1]
    assert _counts(report) == {"read": 3, "assessed": 1, "rejected": 2}
    assert {r["reason_code"] for r in report["rejected"]["rows"]} == {"implausible_purchase_date"}


def test_xlsx_date_cell_of_year_one_is_rejected(tmp_path):
    import openpyxl
    book = openpyxl.Workbook()
    book.active.append(["category", "quantity", "purchase_date"])
    book.active.append(["laptop", 1, dt.datetime(1, 1, 1)])
    book.active.append(["laptop", 1, dt.datetime(2024, 1, 1)])
    book.save(tmp_path / "d.xlsx")
    run, report = cli_json(tmp_path / "d.xlsx")
    assert run.exit_code == 1 and _counts(report) == {"read": 2, "assessed": 1, "rejected": 1}
    assert report["rejected"]["rows"][0]["row"] == 2
    assert report["rejected"]["rows"][0]["reason_code"] in {"bad_purchase_date", "implausible_purchase_date"}


# --------------------------------------------------------------------------- 4. Parquet types
def test_parquet_decimal_and_utf8_binary_are_read(tmp_path, tiny_catalog):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({
        "category": pa.array([b"laptop", b"monitor"], pa.binary()),
        "quantity": pa.array([decimal.Decimal("2.50"), decimal.Decimal("1")], pa.decimal128(5, 2)),
        "purchase_year": [2022, 2023],
        "extra": pa.array([{"a": 1}, {"a": 2}]),  # unused: ignored with a warning
    }), path)
    result = reconciles(read_table(path, catalog=tiny_catalog))
    assert result.frame["category"].tolist() == ["laptop", "monitor"]
    assert result.frame["quantity"].tolist() == [2.5, 1.0]
    assert [w.code for w in result.warnings if w.code == "refused_column"] == ["refused_column"]


@pytest.mark.parametrize("column", [
    pa.array([{"a": 1}], pa.struct([("a", pa.int64())])), pa.array([[1, 2]], pa.list_(pa.int64())),
    pa.array([b"\xff\xfe\x00"], pa.binary()), pa.array([dt.time(1, 2)], pa.time64("us"))])
def test_parquet_columns_that_cannot_be_read_are_refused_in_one_sentence(tmp_path, tiny_catalog, column):
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"category": ["laptop"], "quantity": column}), path)
    with pytest.raises(InputFormatError, match="column 'quantity' is of type") as info:
        read_table(path, catalog=tiny_catalog)
    assert info.value.code == "refused_column" and "\n" not in str(info.value)
    assert error_text(info.value).startswith("la colonne est de type")


# --------------------------------------------------------------------------- 5. XLSX extents
# Peak resident memory of the process image [MB]: VmHWM (getrusage's ru_maxrss would include
# the forking pytest process's peak, which Linux carries over exec).
PEAK = """
import re, sys
from sobriete.errors import SobrieteError
from sobriete.io import read_table
try:
    result = read_table(sys.argv[1])
    print(result.rows_read, len(result.frame), result.frame.index.tolist()[-1])
except SobrieteError as error:
    print("error", error.code)
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


@pytest.mark.parametrize("with_table, expected", [(False, "error no_profile_matches"), (True, "3 3 1048576")])
def test_xlsx_cell_at_xfd1048576_is_read_bounded_by_its_content(tmp_path, with_table, expected):
    import openpyxl
    book = openpyxl.Workbook()
    if with_table:
        for row in (["category", "quantity", "purchase_year"], ["laptop", 1, 2022], ["desktop", 2, 2021]):
            book.active.append(row)
    book.active["XFD1048576"] = "x"
    book.save(tmp_path / "far.xlsx")
    assert (tmp_path / "far.xlsx").stat().st_size < 6_000
    run = subprocess.run([sys.executable, "-c", PEAK, str(tmp_path / "far.xlsx")], capture_output=True, text=True,
                         timeout=120)
    lines = run.stdout.split("\n")
    assert run.returncode == 0, run.stderr
    assert lines[0] == expected
    assert int(lines[1]) < 300  # peak resident memory [MB], the interpreter and pandas included


def _rewrite_sheet(path, change):
    """Rewrite the first sheet's XML of an XLSX file (as Excel leaves odd files)."""
    with zipfile.ZipFile(path) as source:
        items = {name: source.read(name) for name in source.namelist()}
    items["xl/worksheets/sheet1.xml"] = change(items["xl/worksheets/sheet1.xml"])
    with zipfile.ZipFile(path, "w") as target:
        for name, data in items.items():
            target.writestr(name, data)


def test_xlsx_with_wrong_dimension_leading_blanks_and_merged_header(tmp_path, tiny_catalog):
    import openpyxl
    book = openpyxl.Workbook()
    sheet = book.active
    sheet["C3"], sheet["D3"], sheet["F3"] = "category", "Quantité", "purchase_year"
    sheet.merge_cells("D3:E3")  # a merged header cell: its second column has no header
    for i, row in enumerate([("laptop", 2, "ignored", 2022), ("monitor", 1, None, 2023)], start=4):
        sheet.cell(i, 3, row[0]), sheet.cell(i, 4, row[1]), sheet.cell(i, 5, row[2]), sheet.cell(i, 6, row[3])
    sheet["C8"] = "desktop"
    book.save(tmp_path / "odd.xlsx")
    _rewrite_sheet(tmp_path / "odd.xlsx", lambda xml: xml.replace(b'<dimension ref="C3:F8"', b'<dimension ref="A1:B2"'))
    raw = read_raw(tmp_path / "odd.xlsx")
    assert list(raw.frame.columns) == ["category", "Quantité", "column 5", "purchase_year"]
    assert raw.frame.index.tolist() == [4, 5, 8] and raw.blank_rows == 2
    result = reconciles(read_table(tmp_path / "odd.xlsx", profile="glpi", catalog=tiny_catalog))
    assert result.frame["quantity"].tolist() == [2.0, 1.0, 1.0]


# --------------------------------------------------------------------------- 6. very wide header
def test_a_header_of_100000_columns_is_refused_stating_the_limit(tmp_path):
    header = ";".join(f"c{i}" for i in range(100_000))
    path = write(tmp_path, "wide.csv", header + "\n" + ";".join("1" * 100_000) + "\n")
    with pytest.raises(InputFormatError) as info:
        read_table(path)
    assert info.value.code == "too_many_columns" and MAX_COLUMNS == 1_000
    assert "the header has 100,000 columns; sobriete reads at most 1,000 columns" in str(info.value)
    assert "au plus 1000" in error_text(info.value)


def test_a_header_at_the_column_limit_is_read(tmp_path, tiny_catalog):
    header = "category;" + ";".join(f"c{i}" for i in range(MAX_COLUMNS - 1))
    result = read_table(write(tmp_path, "w.csv", header + "\nlaptop\n"), catalog=tiny_catalog)
    assert result.rows_read == 1 and result.frame["category"].tolist() == ["laptop"]


# --------------------------------------------------------------------------- 10. repeated headers
def test_a_repeated_header_with_the_same_values_says_which_column_is_used(tmp_path, tiny_catalog):
    result = read_table(write(tmp_path, "d.csv", "category;category;quantity\nlaptop;laptop;1\nmonitor;monitor;2\n"),
                        catalog=tiny_catalog)
    assert result.frame["category"].tolist() == ["laptop", "monitor"]
    [notice] = [w for w in result.warnings if w.code == "repeated_column"]
    assert str(notice) == "d.csv: the column 'category' appears 2 times (columns 1, 2) with the same values; " \
                          "the first is used"


def test_a_repeated_header_with_different_values_is_refused(tmp_path, tiny_catalog):
    path = write(tmp_path, "d.csv", "category;category;quantity\nlaptop;laptop;1\nlaptop;desktop;1\n")
    with pytest.raises(InputFormatError) as info:
        read_table(path, catalog=tiny_catalog)
    assert str(info.value) == ("the column 'category' appears 2 times (columns 1, 2) with different values "
                               f"(row 3: 'laptop' / 'desktop'): keep one of them (file {path}, row 3, "
                               "column 'category')")
    run, _ = cli_json(path)
    assert run.exit_code == 2 and "apparaît 2 fois" in run.output and "Traceback" not in run.output


def test_a_repeated_header_in_an_xlsx_sheet(tmp_path, tiny_catalog):
    import openpyxl
    book = openpyxl.Workbook()
    for row in (["Type", "Entité", "Entité"], ["Écran", "A", "A"]):
        book.active.append(row)
    book.save(tmp_path / "r.xlsx")
    result = read_table(tmp_path / "r.xlsx", profile="glpi", catalog=tiny_catalog)
    assert result.frame["entity"].tolist() == ["A"]
    assert [w.code for w in result.warnings if w.code == "repeated_column"] == ["repeated_column"]


# --------------------------------------------------------------------------- 11. YAML profiles
def test_a_profile_with_a_yaml_syntax_error_names_file_line_and_column(tmp_path):
    profile = write(tmp_path, "p.yaml", "name: p\ncolumns:\n  category: [Type\n  quantity: Nb\n")
    with pytest.raises(InputFormatError) as info:
        read_table(write(tmp_path, "a.csv", "Type\nlaptop\n"), profile=profile)
    assert info.value.code == "yaml_syntax" and "\n" not in str(info.value)
    assert str(info.value).startswith("profile is not valid YAML at line 4, column 11:")
    assert error_text(info.value).startswith("le profil n'est pas un YAML valide, ligne 4, colonne 11")


# --------------------------------------------------------------------------- 13. GLPI statuses
GLPI_STATUS = ("Type;Statut;Date d'achat\n"
               "Ordinateur portable;En service;01/01/2023\n"
               "Ordinateur portable;En stock;01/01/2023\n"
               "Ordinateur portable;Stock;01/01/2023\n"
               "Ordinateur portable;En réparation;01/01/2023\n"
               "Ordinateur portable;EN PANNE;01/01/2023\n"
               "Ordinateur portable;En production;01/01/2023\n"
               "Ordinateur portable;;01/01/2023\n"
               "Ordinateur portable;Au rebut;01/01/2015\n"
               "Ordinateur portable;Hors service;01/01/2015\n"
               "Ordinateur portable;Volé;01/01/2015\n"
               "Ordinateur portable;En stok;01/01/2023\n")


def test_glpi_statuses_map_to_canonical_statuses_and_stock_is_counted(tmp_path, tiny_catalog):
    result = reconciles(read_table(write(tmp_path, "s.csv", GLPI_STATUS), profile="glpi", catalog=tiny_catalog))
    assert result.frame["status"].astype(object).where(result.frame["status"].notna(), None).tolist() == [
        "in_service", "in_stock", "in_stock", "in_repair", "in_repair", "in_service", None]
    assert result.counts["rows_in_stock"] == 2
    assert result.rejected[["row", "value", "reason_code"]].values.tolist() == [
        [9, "Au rebut", "out_of_inventory"], [10, "Hors service", "out_of_inventory"], [11, "Volé", "out_of_inventory"],
        [12, "En stok", "unmapped_value"]]
    assert result.unmapped[["value", "suggestion", "maps_to"]].values.tolist() == [["En stok", "En stock", "in_stock"]]


def test_a_profile_mapping_to_an_unknown_status_is_refused(tmp_path):
    profile = write(tmp_path, "p.yaml", "name: p\nvalues:\n  status:\n    En stock: stock\n")
    with pytest.raises(InputFormatError, match=r"status values must map to in_service, in_stock, in_repair"):
        read_table(write(tmp_path, "a.csv", "category\nlaptop\n"), profile=profile)


def test_canonical_status_column_is_checked(tmp_path, tiny_catalog):
    text = "category;status\nlaptop;in_stock\nlaptop;in service\nlaptop;broken\n"
    result = reconciles(read_table(write(tmp_path, "c.csv", text), catalog=tiny_catalog))
    assert result.frame["status"].tolist() == ["in_stock", "in_service"]
    assert result.rejected[["row", "reason_code"]].values.tolist() == [[4, "unmapped_value"]]


# --------------------------------------------------------------------------- found by the fuzzing
def test_a_utf16_file_cut_in_a_character_is_one_sentence(tmp_path):
    path = write(tmp_path, "u16.csv", b"\xff\xfe\x00N\x00o\x00m\x00;\x00E\x00n\x00t\x00i\x00t\x00\xe9\x00 \x00;"
                                      b"\x00 \x00T\x00y\x00p\x00e\x00\n\x00")
    run, _ = cli_json(path, exit_code=2)
    assert run.stderr.strip().startswith("Erreur : impossible de décoder le fichier en utf-16")
    assert "\n" not in run.stderr.strip()


def test_a_parquet_file_with_a_repeated_column_name(tmp_path, tiny_catalog):
    path = tmp_path / "r.parquet"
    pq.write_table(pa.Table.from_arrays([pa.array(["laptop", "laptop"]), pa.array(["A", "B"]),
                                         pa.array(["laptop", "laptop"])], names=["category", "entity", "category"]),
                   path)
    result = reconciles(read_table(path, catalog=tiny_catalog))
    assert result.frame["category"].tolist() == ["laptop", "laptop"]
    assert [w.code for w in result.warnings if w.code == "repeated_column"] == ["repeated_column"]


def test_a_date_in_a_unit_column_is_a_bad_unit_not_a_division_by_zero(tmp_path):
    # found by the fuzzing: pint evaluates "01/01/0001" as 1 / 1 / 1 with a zero, ZeroDivisionError
    from sobriete.errors import UnitError
    from sobriete.units import conversion_factor
    with pytest.raises(UnitError, match="bad unit '01/01/0001'"):
        conversion_factor("01/01/0001", "GB", file="t.csv", row=2, column="Unité")
    path = write(tmp_path, "t.csv", "Site;Réseau;Volume;Unité;Zone électrique\n1e300;Fixe;42;01/01/0001;France\n")
    run, report = cli_json(path)
    assert run.exit_code in (1, 2) and "Traceback" not in run.output


@pytest.mark.parametrize("name, header", [("l.csv", "Commune;Technologie;Nombre de lignes\nA;Fibre;{}\n"),
                                          ("t.csv", "Site;Réseau;Volume;Unité\nA;Fixe;{};Go\n")])
def test_a_number_beyond_the_float_range_is_a_non_finite_number(tmp_path, name, header):
    # found by the fuzzing: "1e400" (inf once parsed) crashed the network engine
    run, report = cli_json(write(tmp_path, name, header.format("1e400")), exit_code=1)
    assert _counts(report) == {"read": 1, "assessed": 0, "rejected": 1}
    assert report["rejected"]["rows"][0]["reason_code"] == "non_finite_number"


def _counts(report: dict) -> dict:
    """Rows read, assessed and rejected of a JSON report (the other row counts left aside)."""
    return {key: report["rows"][key] for key in ("read", "assessed", "rejected")}
