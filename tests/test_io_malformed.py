"""Malformed inputs and profiles: one clear SobrieteError, or row-level rejections that reconcile."""

import pandas as pd
import pytest

import sobriete as sb
from sobriete.errors import InputFormatError, SobrieteError, UnknownNameError
from sobriete.io import DOMAINS, PROFILES, load_profile, read_table
from sobriete.io.profiles import check_profile_targets


def write(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
    return path


@pytest.mark.parametrize("name, content, message", [
    ("empty.csv", b"", "the file is empty"),
    ("blank.csv", b"\r\n  \r\n", "the file is empty"),
    ("binary.csv", bytes(range(256)) * 20, "binary"),
    ("fake.xlsx", b"PK\x03\x04 not really a zip", "cannot open the file as an Excel workbook"),
    ("fake.parquet", b"PAR1 garbage", "cannot read the file as Parquet"),
    ("wrong.csv", "Couleur;Poids\nrouge;3\n", "no column gives the equipment category"),
])
def test_unusable_files_give_one_clear_sentence(tmp_path, tiny_catalog, name, content, message):
    path = write(tmp_path, name, content)
    with pytest.raises(SobrieteError, match=message) as info:
        read_table(path, profile="glpi", catalog=tiny_catalog)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_missing_file_and_empty_folder(tmp_path):
    with pytest.raises(InputFormatError, match="input file not found"):
        read_table(tmp_path / "nope.csv")
    with pytest.raises(InputFormatError, match="no CSV, XLSX or Parquet file in the folder"):
        sb.io.read_inputs([tmp_path])


def test_header_only_file_gives_zero_rows(tmp_path, tiny_catalog):
    result = read_table(write(tmp_path, "h.csv", "Type;Entité\n"), profile="glpi", catalog=tiny_catalog)
    assert result.rows_read == 0 and result.frame.empty
    fp = sb.assess_equipment(result.frame, 2025, catalog=tiny_catalog)
    assert result.combine_quality(fp.quality).rows_read == 0


ROWS = ("category;quantity;power_w;purchase_date;entity\n"
        "laptop;-2;;01/01/2024;A\n"          # negative quantity
        "monitor;1;beaucoup;01/01/2024;A\n"  # non-numeric power
        "laptop;1;;01/01/2040;A\n"           # purchase date in the future
        "tablet;1;;01/01/2024;A\n"           # category not in the (tiny) catalog
        "lapton;1;;01/01/2024;A\n"           # unknown everywhere
        "laptop;1;;31/02/2024;A\n"           # not a date
        "laptop;1;;01/01/2024;A\n"
        "laptop;1;;01/01/2024;A\n")          # exact duplicate of the line above


def test_bad_rows_are_rejected_with_reasons_and_reconcile(tmp_path, tiny_catalog):
    result = read_table(write(tmp_path, "bad.csv", ROWS), catalog=tiny_catalog)
    fp = sb.assess_equipment(result.frame, 2025, catalog=tiny_catalog)
    q = result.combine_quality(fp.quality)
    reasons = dict(zip(q.rejected["row"], q.rejected["reason_code"]))
    assert reasons == {2: "negative_quantity", 3: "bad_power", 4: "implausible_purchase_date",
                       5: "unmapped_value", 6: "unmapped_value", 7: "bad_purchase_date"}
    assert q.rejected.set_index("row").loc[3, "value"] == "beaucoup"
    assert (q.rows_read, q.rows_assessed, q.rows_rejected) == (8, 2, 6)
    assert set(q.rejected["file"]) == {"bad.csv"}
    # Duplicates are kept (an inventory may list identical devices) but reported.
    assert result.counts["duplicate_rows"] == 1
    assert any("1 row(s) repeat an earlier row exactly" in w for w in result.warnings)


def test_duplicate_serial_numbers_are_reported(tmp_path, catalog):
    text = "Type;Numéro de série;Nom\nPortable;S1;a\nPortable;S1;b\nPortable;S2;c\n"
    result = read_table(write(tmp_path, "s.csv", text), profile="glpi", catalog=catalog)
    assert result.counts == {"files": 1, "blank_rows_skipped": 0, "duplicate_rows": 0, "duplicate_serials": 1}
    assert len(result.frame) == 3


def test_unknown_profile_and_domain():
    with pytest.raises(UnknownNameError, match="unknown profile 'glpy'; valid choices: canonical, eclairage, glpi"):
        load_profile("glpy")
    with pytest.raises(UnknownNameError, match="unknown input domain 'weather'"):
        read_table("whatever.csv", profile="glpi", domain="weather")


@pytest.mark.parametrize("text, message", [
    ("name: x\ncolumns: [unclosed\n", "profile is not valid YAML"),
    ("- a\n- b\n", "profile must be a YAML mapping"),
    ("name: x\ncolumnz: {}\n", "invalid profile at 'columnz': Extra inputs are not permitted"),
    ("name: x\ncolumns:\n  power_w: [{name: P, unit: bananas}]\n", "bad unit 'bananas'"),
    ("name: x\ncolumns:\n  power_w: [{name: P, unit: kWh}]\n", "expected a unit of W"),
    ("name: x\ncolumns:\n  entity: [{name: E, unit: W}]\n", "column 'entity' takes no unit"),
    ("name: x\nvalues:\n  condition: {Neuf: brand_new}\n", "condition values must map to new, refurbished"),
    ("name: x\nrefine:\n  - {column: s, when: [monitor], bins: [{category: a}, {below: 2, category: b}]}\n",
     "every size bin but the last needs"),
    ("name: x\ndomain: weather\n", "unknown domain 'weather'"),
])
def test_bad_profiles_give_one_clear_sentence(tmp_path, text, message):
    path = write(tmp_path, "p.yaml", text)
    with pytest.raises(InputFormatError, match=message) as info:
        load_profile(path)
    assert str(path) in str(info.value)


def test_user_profile_from_a_file(tmp_path, tiny_catalog):
    profile = write(tmp_path, "mine.yaml", "name: mine\ncolumns:\n  category: [Matériel]\n"
                    "  power_w: [{name: Conso, unit: kW}]\n  site: [Bâtiment]\n"
                    "values:\n  category: {PC portable: laptop}\ndefaults: {quantity: 2}\n")
    data = write(tmp_path, "d.csv", "MATERIEL;conso;batiment;Autre\npc  portable;0,5;Hôtel de ville;x\n")
    result = read_table(data, profile=profile, catalog=tiny_catalog)
    assert result.frame[["category", "power_w", "site", "quantity"]].values.tolist() == [
        ["laptop", 500.0, "Hôtel de ville", 2]]
    assert any("not used by profile 'mine': 'Autre'" in w for w in result.warnings)


def test_bundled_profiles_load_and_map_to_catalog_categories(catalog):
    assert PROFILES == ("canonical", "glpi", "operateur", "trafic", "hebergement", "eclairage")
    for name in PROFILES:
        assert load_profile(name).name == name
    assert check_profile_targets(load_profile("glpi"), catalog.equipment.categories) == []
    # Every value a profile maps to is a known id of its domain's checked column.
    for name in PROFILES:
        profile = load_profile(name)
        spec = DOMAINS[profile.domain]
        valid = spec.valid(catalog)
        for column, mapping in profile.values.items():
            if column in spec.checked:
                assert set(mapping.values()) <= set(valid[column]), (name, column)


def test_frame_from_excel_with_formula_like_text_is_kept_as_text(tmp_path, tiny_catalog):
    """Cells are data: a '=cmd' entity name stays a plain string (reports neutralise it)."""
    path = tmp_path / "f.parquet"
    pd.DataFrame({"category": ["laptop"], "entity": ["=HYPERLINK(\"x\")"]}).to_parquet(path)
    assert read_table(path, catalog=tiny_catalog).frame["entity"].tolist() == ['=HYPERLINK("x")']
