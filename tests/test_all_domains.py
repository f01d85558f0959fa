"""The yearly assessment of every domain, end to end: French example files, profiles,
auto-detection, CLI, JSON/CSV, grouping across domains, history per domain."""

from __future__ import annotations

import io
import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete.assessment import assess
from sobriete.cli import main
from sobriete.errors import InputFormatError
from sobriete.history import History
from sobriete.hosting import assess_hosting
from sobriete.io import read_domains, read_inputs, read_table
from sobriete.io.detect import bundled_profiles, detect_profile
from sobriete.lighting import assess_lighting, read_luminaires
from sobriete.network import assess_lines, assess_traffic
from sobriete.schedule import load_schedules

EXAMPLES = Path(__file__).parents[1] / "examples" / "2025"
ROWS = {"equipment": 3880, "traffic": 5, "lines": 152, "hosting": 5, "lighting": 343}
PROFILE_OF = {"glpi_ordinateurs_ecrans.csv": "glpi", "glpi_materiels_reseau.csv": "glpi",
              "telephones_mobiles.xlsx": "glpi", "trafic.csv": "trafic", "lignes_operateur.csv": "operateur",
              "hebergement.csv": "hebergement", "eclairage_za.csv": "eclairage"}


@pytest.fixture(scope="module")
def example_json():
    result = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--format", "json",
                                       "--by", "entity"])
    assert result.exit_code == 1, result.output  # assessed, with rejected rows (GLPI quirks)
    return json.loads(result.output)


# --------------------------------------------------------------------------- each profile reads its French file
def test_traffic_profile_converts_french_volumes(catalog):
    result = read_table(EXAMPLES / "trafic.csv")
    assert result.profiles == {"trafic.csv": "trafic"} and result.rows_rejected == 0
    # Hand-converted: 42 To + 6,5 To + 3 200 Go fixed; 850 Go + 1 400 Go mobile.
    canonical = pd.DataFrame({"network": ["fixed", "mobile"], "volume_gb": [42_000 + 6_500 + 3_200, 850 + 1_400]})
    read = assess_traffic(result.frame, 2025, catalog=catalog).total()["total"]
    hand = assess_traffic(canonical, 2025, catalog=catalog).total()["total"]
    np.testing.assert_allclose(read, hand, rtol=1e-12)
    assert result.frame["network"].astype(str).tolist() == ["fixed", "mobile", "fixed", "fixed", "mobile"]


def test_operator_profile_reads_the_invoice_export(catalog):
    result = read_table(EXAMPLES / "lignes_operateur.csv")
    assert result.profiles == {"lignes_operateur.csv": "operateur"} and result.rows_rejected == 0
    raw = pd.read_csv(EXAMPLES / "lignes_operateur.csv", sep=";")
    assert result.frame["count"].sum() == raw["Nombre de lignes"].sum()
    assert (result.frame["entity"] == result.frame["commune"]).all()  # Commune is also the entity
    assert set(result.frame["technology"].astype(str)) <= {"ftth", "fibre_pro", "adsl", "vdsl", "sdsl", "cable",
                                                           "mobile_4g", "mobile_5g"}
    fp = assess_lines(result.frame, 2025, catalog=catalog)
    assert fp.quality.rows_assessed == 152


def test_hosting_profile_maps_french_kinds_and_units(catalog):
    result = read_table(EXAMPLES / "hebergement.csv")
    assert result.profiles == {"hebergement.csv": "hebergement"} and result.rows_rejected == 0
    canonical = pd.DataFrame({
        "kind": ["on_premises", "on_premises", "colocation", "cloud", "cloud"],
        "servers": [12, 3, 8, np.nan, np.nan], "power_w": [350, np.nan, np.nan, np.nan, 120],
        "it_energy_kwh": [np.nan, np.nan, np.nan, 5200, np.nan], "pue": [1.9, np.nan, np.nan, np.nan, np.nan],
        "contracted_kw": [np.nan, np.nan, 4, np.nan, np.nan], "instance_hours": [np.nan] * 4 + [17520],
        "server_category": ["server_rack", "server_tower", "server_rack", None, None],
        "purchase_year": [2021, 2019, 2022, np.nan, np.nan]})
    read = assess_hosting(result.frame, 2025, catalog=catalog)
    hand = assess_hosting(canonical, 2025, catalog=catalog)
    np.testing.assert_allclose(read.values, hand.values, rtol=1e-12)
    # 12 servers x 350 W x 8760 h x PUE 1.9 = 69 890 kWh for the first room alone.
    first = assess_hosting(canonical.iloc[[0]], 2025, catalog=catalog)
    assert first.energy_kwh.sum() == pytest.approx(12 * 350 * 8760 * 1.9 / 1000)


def test_lighting_profile_reads_the_luminaires(catalog):
    result = read_table(EXAMPLES / "eclairage_za.csv")
    assert result.profiles == {"eclairage_za.csv": "eclairage"} and result.rows_rejected == 0
    raw = pd.read_csv(EXAMPLES / "eclairage_za.csv", sep=";", decimal=",")
    canonical = raw.set_axis(["za", "luminaire_id", "technology", "lamp_power_w", "installation_year", "latitude",
                              "longitude", "schedule"], axis=1)
    schedules = load_schedules(EXAMPLES / "horaires.yaml")
    read = assess_lighting(result.frame, 2025, catalog=catalog, schedules=schedules)
    hand = assess_lighting(canonical, 2025, catalog=catalog, schedules=schedules)
    np.testing.assert_allclose(read.values, hand.values, rtol=1e-12)
    assert read.quality.rows_rejected == 0
    pd.testing.assert_frame_equal(read_luminaires(EXAMPLES / "eclairage_za.csv"), result.frame)


def test_lighting_power_in_kilowatts_is_converted(tmp_path, catalog):
    path = tmp_path / "lum.csv"
    path.write_text("Zone d'activité;Type de source;Puissance (kW);Latitude;Longitude\n"
                    "ZA;SHP;0,07;50,35;3,44\n", encoding="utf-8")
    assert read_table(path).frame["lamp_power_w"].tolist() == [70.0]


# --------------------------------------------------------------------------- detection
def test_each_example_file_gets_its_profile():
    results = read_domains([EXAMPLES])
    assert list(results) == ["equipment", "traffic", "lines", "hosting", "lighting"]
    found = {f: p for r in results.values() for f, p in r.profiles.items()}
    assert found == PROFILE_OF
    assert {d: r.rows_read for d, r in results.items()} == ROWS


def test_ambiguous_headers_give_one_sentence_with_the_candidates():
    with pytest.raises(InputFormatError, match="match several profiles equally") as info:
        detect_profile(["Technologie", "Puissance (W)", "Nombre de lignes"], bundled_profiles(), file="x.csv")
    assert "operateur (lines)" in str(info.value) and "eclairage (lighting)" in str(info.value)
    assert "--profile" in str(info.value) and "x.csv" in str(info.value)


def test_unrecognised_headers_list_the_candidates(tmp_path):
    path = tmp_path / "notes.csv"
    path.write_text("Couleur;Poids\nrouge;3\n", encoding="utf-8")
    with pytest.raises(InputFormatError, match="no profile recognises") as info:
        read_domains([path])
    for name in ("glpi (equipment)", "operateur (lines)", "trafic (traffic)", "hebergement (hosting)",
                 "eclairage (lighting)"):
        assert name in str(info.value)
    result = CliRunner().invoke(main, ["assess", str(path), "--year", "2025"])
    assert result.exit_code == 2 and "aucun profil ne reconnaît" in result.output and "Traceback" not in result.output


def test_a_given_profile_reads_its_domain_and_the_folder_keeps_the_rest():
    only_equipment = read_inputs([EXAMPLES], profile="glpi")
    assert only_equipment.rows_read == ROWS["equipment"]
    assert any("not of the equipment domain skipped" in w for w in only_equipment.warnings)
    result = assess([EXAMPLES], year=2025, profile="glpi")
    assert list(result.footprints) == list(ROWS)


# --------------------------------------------------------------------------- CLI end to end
def test_json_domains_add_up_to_the_totals(example_json):
    data = example_json
    assert list(data["domains"]) == list(ROWS)
    for criterion, total in data["totals"].items():
        parts = sum(d["totals"][criterion]["value"] for d in data["domains"].values())
        assert parts == pytest.approx(total["value"], rel=1e-12)
        for phase, value in total["phases"].items():
            assert sum(d["totals"][criterion]["phases"][phase] for d in data["domains"].values()) == \
                pytest.approx(value, rel=1e-12, abs=1e-12)
    for name, domain in data["domains"].items():
        rows = domain["rows"]
        assert rows["read"] == ROWS[name] == rows["assessed"] + rows["rejected"]
        assert domain["totals"]["gwp"]["value"] > 0
    assert data["rows"]["read"] == sum(ROWS.values())
    assert data["rows"]["rejected"] == sum(d["rows"]["rejected"] for d in data["domains"].values()) == 46
    assert {i["name"]: i["profile"] for i in data["inputs"]} == PROFILE_OF
    assert data["network_model"] == "combined" and data["skipped"] == {}
    assert sum(d["energy_kwh"] for d in data["domains"].values()) == pytest.approx(data["energy_kwh"])


def test_by_entity_across_domains(example_json):
    data = example_json
    groups = {g["entity"]: g["totals"]["gwp"]["value"] for g in data["groups"]["entity"]}
    assert sum(groups.values()) == pytest.approx(data["totals"]["gwp"]["value"], rel=1e-12)
    ungrouped = sum(data["domains"][d]["totals"]["gwp"]["value"] for d in ("traffic", "hosting", "lighting"))
    assert groups["(all)"] == pytest.approx(ungrouped, rel=1e-12)
    assert "Commune 46" in groups  # lines (by commune) and devices share the entity key
    for domain in ("traffic", "hosting", "lighting"):
        assert any(w.startswith(f"{domain}: no column 'entity'") for w in data["warnings"])
    assert not any(w.startswith("lines: no column 'entity'") for w in data["warnings"])


def test_terminal_report_shows_domains_side_by_side_in_french():
    result = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--by", "entity"])
    out = result.output
    assert "Par domaine" in out and "Lignes lues / rejetées" in out and "(non réparti)" in out
    for label in ("Équipements", "Réseau : trafic", "Réseau : lignes", "Hébergement", "Éclairage public"):
        assert label in out
    assert "lignes_operateur.csv (profil operateur)" in out and "eclairage_za.csv (profil eclairage)" in out
    english = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--lang", "en"]).output
    assert "Per domain" in english and "Network: lines" in english and "profile glpi" in english


def test_per_gb_model_leaves_lines_out_and_says_so():
    result = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--format", "json",
                                       "--network-model", "per_gb"])
    data = json.loads(result.output)
    assert "lines" not in data["domains"] and "lines" in data["skipped"]
    assert data["rows"]["read"] == sum(ROWS.values()) - ROWS["lines"]
    assert any("lines: lines are not counted by the per_gb" in w for w in data["warnings"])


def test_domain_options_and_csv_domain_column(tmp_path):
    result = CliRunner().invoke(main, ["assess", "--lines", str(EXAMPLES / "lignes_operateur.csv"),
                                       "--hosting", str(EXAMPLES / "hebergement.csv"), "--year", "2025",
                                       "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output), sep=";", decimal=",")
    assert set(frame["domain"]) == {"lines", "hosting"}
    json_out = CliRunner().invoke(main, ["assess", "--lines", str(EXAMPLES / "lignes_operateur.csv"),
                                         "--hosting", str(EXAMPLES / "hebergement.csv"), "--year", "2025",
                                         "--format", "json"]).output
    totals = json.loads(json_out)["domains"]
    for domain in ("lines", "hosting"):
        part = frame[frame["domain"] == domain].query("criterion == 'gwp'")["value"].sum()
        assert part == pytest.approx(totals[domain]["totals"]["gwp"]["value"], rel=1e-9)


def test_explicit_domain_file_replaces_the_folders(tmp_path):
    lines = tmp_path / "mes_lignes.csv"
    lines.write_text("Commune;Technologie;Nombre de lignes\nA;ADSL;3\nA;Fibre;2\n", encoding="utf-8")
    result = assess({"auto": [EXAMPLES], "lines": [lines]}, year=2025)
    assert result.domain_quality["lines"].rows_read == 2
    assert result.profiles["lines"] == {"mes_lignes.csv": "operateur"}
    assert any("replaced by the lines file" in w for w in result.warnings)
    # 3 x (35 + 70.08) + 2 x (10 + 70.08) kWh, as in sobriete.network.assess_lines
    assert result.footprints["lines"].energy_kwh.sum() == pytest.approx(475.4)


def test_history_compare_per_domain(tmp_path):
    db = tmp_path / "h.sqlite"
    runner = CliRunner()
    for year in ("2024", "2025"):
        saved = runner.invoke(main, ["assess", str(EXAMPLES), "--year", year, "--save", "--db", str(db),
                                     "--format", "json"])
        assert saved.exit_code == 1, saved.output
    with History(db, create=False) as store:
        loaded = store.load(2025)
        change = store.compare(2024, 2025, by="domain")
    assert list(loaded.footprints) == list(ROWS)
    assert set(change["domain"]) == set(ROWS)
    gwp_total = change.query("criterion == 'gwp' and phase == 'total'")
    assert gwp_total["value_b"].sum() == pytest.approx(float(loaded.footprint.total().loc["gwp", "total"]))
    shown = runner.invoke(main, ["history", "compare", "2024", "2025", "--by", "domain", "--db", str(db)])
    assert shown.exit_code == 0 and "Éclairage public" in shown.output and "lighting" not in shown.output


def test_top_contributors_cover_every_domain_and_add_up(example_json):
    """The default view lists items of all domains (equipment categories, line technologies,
    ZA...): each domain's items add up to that domain's total."""
    doc = example_json
    rows = pd.DataFrame(doc["contributors"])
    assert set(rows["domain"]) == set(doc["domains"])
    assert rows["value"].is_monotonic_decreasing
    for domain, part in doc["domains"].items():
        items = rows.loc[rows["domain"] == domain, "value"].sum()
        if (rows["domain"] == domain).sum() < 50:  # all of the domain's items are listed
            assert items == pytest.approx(part["totals"]["gwp"]["value"])
    laptop = rows.loc[rows["item"] == "laptop"].iloc[0]
    assert laptop["label"] == "Ordinateur portable" and laptop["share"] == pytest.approx(
        laptop["value"] / doc["totals"]["gwp"]["value"])


def test_default_table_shows_top_contributors_in_french():
    result = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025"])
    assert "Principaux contributeurs, tous domaines (Changement climatique, kgCO2e)" in result.output
    assert "Ordinateur portable" in result.output


def test_lighting_file_given_alone_finds_its_schedules_beside_it():
    """--lighting FILE (not a folder): the horaires.yaml beside the file names its schedules."""
    result = CliRunner().invoke(main, ["assess", str(EXAMPLES / "glpi_materiels_reseau.csv"), "--lighting",
                                       str(EXAMPLES / "eclairage_za.csv"), "--year", "2025", "--format", "json"])
    doc = json.loads(result.output)
    assert doc["domains"]["lighting"]["rows"] == {"read": 343, "assessed": 343, "rejected": 0}
    assert not [r for r in doc["rejected"]["rows"] if r.get("reason_code") == "unknown_schedule"]


def test_top_contributors_use_french_labels_for_every_domain(example_json):
    rows = pd.DataFrame(example_json["contributors"]).set_index("item")
    assert rows.loc["on_premises", "label"] == "Salle informatique sur site"
    assert rows.loc["ftth", "label"] == "Fibre optique (FTTH)"
    assert rows.loc["laptop", "label"] == "Ordinateur portable"


# ---------------------------------------------------------------- issue #8 items 19, 23, 25 on the example
#: The words the French report must not show (the shared before-stop hook checks the same list).
CODE_WORDS = r"\b(entity|category|amortised|at_purchase|all_in_one|gwp|adpe|water|pe)\b"


def test_french_example_report_has_no_code_words():
    import re

    result = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--by", "entity"])
    assert result.exit_code == 1
    assert re.findall(CODE_WORDS, result.stdout) == []
    assert "Regroupement : Entité" in result.stdout and "Allocation des impacts de fabrication : amortie" in \
        result.stdout


def test_example_water_end_of_life_is_set_apart_and_included_on_request(example_json):
    water = example_json["totals"]["water"]
    apart = example_json["caveated"]["set_apart"]
    assert example_json["caveated"]["included"] is False
    assert {(r["criterion"], r["phase"]) for r in apart} == {("water", "end_of_life")}
    assert water["phases"]["end_of_life"] == 0
    assert all("ADEME" in r["caveat_text"] for r in apart)
    included = json.loads(CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--format", "json",
                                                    "--by", "entity", "--include-caveated"]).stdout)
    full = included["totals"]["water"]
    assert full["value"] == pytest.approx(water["value"] + sum(r["value"] for r in apart))
    assert full["phases"]["end_of_life"] == pytest.approx(sum(r["value"] for r in apart))
    share = sum(r["share_of_criterion"] for r in apart)
    assert share == pytest.approx(full["phases"]["end_of_life"] / full["value"]) and share > 0.5
    for doc in (example_json, included):  # the domains still add up to the totals
        assert sum(d["totals"]["water"]["value"] for d in doc["domains"].values()) == \
            pytest.approx(doc["totals"]["water"]["value"])


def test_example_groups_list_every_entity(example_json):
    groups = example_json["groups"]["entity"]
    values = [g["totals"]["gwp"]["value"] for g in groups]
    assert values == sorted(values, reverse=True)
    assert sum(values) == pytest.approx(example_json["totals"]["gwp"]["value"])
    table = CliRunner().invoke(main, ["assess", str(EXAMPLES), "--year", "2025", "--by", "entity"]).stdout
    assert f"Par entité : {len(groups)} groupe(s)" in table and len(groups) > 14


def test_saved_assessment_reads_like_the_fresh_one(tmp_path):
    """A saved assessment is reported like a fresh one: every view of the table (domains,
    rows per domain, top contributors, coverage, French warnings, caveats) and the JSON."""
    from sobriete.report import render_table, to_dict

    fresh = assess([EXAMPLES], year=2025, by=["entity"])
    with History(tmp_path / "h.sqlite") as store:
        store.save(fresh)
        saved = store.load(2025)
    for lang in ("fr", "en"):
        assert render_table(saved, lang=lang) == render_table(fresh, lang=lang)
    assert json.loads(json.dumps(to_dict(saved), default=str)) == json.loads(json.dumps(to_dict(fresh), default=str))
