"""The roadmap: file model, trajectories and statuses by hand, legal indicators by hand, measures."""

from __future__ import annotations

import math
import pickle

import numpy as np
import pandas as pd
import pytest

from sobriete.history import History, load_indicator_values, save_indicator_values
from sobriete.report.error_messages import error_text
from sobriete.roadmap import (ProjectEffect, RoadmapError, evaluate_roadmap, load_roadmap, read_register,
                              refurbished_share, reuse_rate, target_status, template_text)
from sobriete.roadmap.indicators import compute_indicators, definitions, legal_target, read_values
from sobriete.roadmap.measures import measure_table, planned_effects, rank_measures
from sobriete.roadmap.model import TOPICS, formula_cycle
from sobriete.roadmap.trajectory import linear_fit, straight_trajectory, year_reached

BASE = "name: FdR test\nbaseline_year: 2023\n"


# --------------------------------------------------------------------------- trajectories by hand
def test_status_on_track_with_projection_and_reste_a_faire():
    # 200 -> 190 -> 170, target -25 % (150) in 2029.
    s = target_status({2023: 200.0, 2024: 190.0, 2025: 170.0}, indicator="x", baseline_year=2023,
                      target_year=2029, change_pct=-25.0, planned_effect=-12.0)
    assert s.target_value == 150.0
    assert s.trajectory_value == pytest.approx(200 - 50 * 2 / 6)       # 183.33 in 2025
    assert s.status == "on_track" and s.direction == "lower"
    # least squares through the three points: slope -15, mean (2024, 186.67)
    assert s.projected_value == pytest.approx(186.0 + 2 / 3 - 15 * 5)  # 111.67 in 2029
    assert s.year_reached == 2027                                       # 2024 + 36.67 / 15 = 2026.44
    assert s.gap == pytest.approx(-20.0) and s.gap_pct == pytest.approx(-20 / 170 * 100)
    assert s.remaining == pytest.approx(150 - (170 - 12))               # -8: still to find
    assert s.fit_points == 3 and s.missing_years == ()


def test_reste_a_faire_is_zero_once_the_target_is_met():
    # the example's reuse rate: 68.25 % against a legal 50 % (higher is better): nothing left to find,
    # not -18.25 %; the gap keeps its sign (target − last value)
    s = target_status({2023: 37.04, 2025: 68.25}, indicator="r", baseline_year=2023, target_year=2025,
                      target_value=50.0, direction="higher")
    assert s.status == "reached" and s.gap == pytest.approx(-18.25) and s.remaining == 0.0
    # planned measures that carry a lower-is-better indicator past its target: 0 too
    s = target_status({2023: 200.0, 2025: 170.0}, indicator="x", baseline_year=2023, target_year=2029,
                      target_value=150.0, planned_effect=-25.0)
    assert s.status == "on_track" and s.remaining == 0.0
    # and 1 short of it: -1 still to find
    s = target_status({2023: 200.0, 2025: 170.0}, indicator="x", baseline_year=2023, target_year=2029,
                      target_value=150.0, planned_effect=-19.0)
    assert s.remaining == pytest.approx(-1.0)


def test_status_off_track_and_year_reached_at_this_pace():
    s = target_status({2023: 100.0, 2024: 99.0}, indicator="x", baseline_year=2023, target_year=2028,
                      target_value=50.0)
    assert s.trajectory_value == pytest.approx(90.0)   # 100 - 50 / 5
    assert s.status == "off_track"
    assert s.projected_value == pytest.approx(95.0)    # -1 per year
    assert s.year_reached == 2073


def test_status_higher_is_better_and_reached():
    up = target_status({2023: 20.0, 2024: 30.0}, indicator="r", baseline_year=2023, target_year=2025,
                       target_value=50.0)
    assert up.direction == "higher" and up.trajectory_value == pytest.approx(35.0) and up.status == "off_track"
    assert up.year_reached == 2026                     # +10 per year from 30
    done = target_status({2023: 100.0, 2024: 60.0}, indicator="x", baseline_year=2023, target_year=2030,
                         target_value=65.0)
    assert done.status == "reached" and done.year_reached == 2024


def test_trend_moving_away_never_reaches():
    s = target_status({2023: 100.0, 2024: 110.0}, indicator="x", baseline_year=2023, target_year=2030,
                      change_pct=-35.0)
    assert s.status == "off_track" and s.year_reached is None


def test_missing_baseline_year_uses_first_recorded_and_says_so():
    s = target_status({2024: 100.0, 2026: 90.0}, indicator="x", baseline_year=2023, target_year=2030,
                      change_pct=-20.0)
    assert s.baseline_year == 2024 and s.target_value == pytest.approx(80.0)
    assert s.missing_years == (2023, 2025)
    nothing = target_status({}, indicator="x", baseline_year=2023, target_year=2030, target_value=1.0)
    assert nothing.status == "no_data" and math.isnan(nothing.last_value)


def test_trajectory_functions_take_arrays_and_series():
    years = pd.Series([2023, 2026, 2030], index=["a", "b", "c"])
    path = straight_trajectory(years, baseline_year=2023, baseline_value=70.0, target_year=2030, target_value=0.0)
    assert isinstance(path, pd.Series) and path.tolist() == pytest.approx([70.0, 40.0, 0.0])
    assert linear_fit([2025], [1.0]) is None
    intercept, slope = linear_fit([2020, 2022], [10.0, 14.0])
    assert slope == pytest.approx(2.0) and intercept + slope * 2021 == pytest.approx(12.0)
    assert year_reached(intercept, slope, 13.0, last_year=2022, last_value=14.0, direction="higher") == 2022


# --------------------------------------------------------------------------- legal indicators by hand
def _register(rows):
    frame = pd.DataFrame(rows, columns=["id", "purchase_date", "retirement_date", "disposal_date", "destination",
                                        "security_exclusion"])
    for c in ("purchase_date", "retirement_date", "disposal_date"):
        frame[c] = pd.to_datetime(frame[c])
    return frame


def test_reuse_rate_by_hand_with_the_ten_year_exclusion():
    reg = _register([
        ("a", "2018-01-01", "2024-06-01", "2025-02-01", "don", ""),         # in stock 1 Jan, reused: A and B
        ("b", "2019-01-01", "2024-09-01", None, "", ""),                    # in stock, still there: B
        ("c", "2010-01-01", "2024-03-01", "2025-03-01", "reemploi", ""),    # 14 years old when retired: excluded
        ("d", "2016-01-01", "2025-04-01", "2025-10-01", "cession", ""),     # retired during 2025, reused: A only
        ("e", "2020-01-01", "2023-05-01", "2024-12-01", "recyclage", ""),   # left before 1 Jan: neither
        ("f", "2021-01-01", "2024-11-01", "2025-06-01", "recyclage", ""),   # B, not reused
        ("g", "2020-01-01", "2024-02-01", "2025-05-01", "don", "oui"),      # security exclusion
        ("i", "2014-06-01", "2024-06-01", None, "", ""),                    # exactly ten years: counted, B
        ("j", "2014-05-31", "2024-06-01", "2025-01-15", "don", ""),         # ten years and a day: excluded
        ("k", "2022-01-01", None, None, "", ""),                            # in service: neither
    ])
    rate, a, b = reuse_rate(reg, 2025)
    assert (a, b) == (2, 4) and rate == pytest.approx(50.0)
    # 2024: stock on 1 Jan 2024 = e only (c is 14 years old); e left to recycling in 2024: 0 / 1
    assert reuse_rate(reg, 2024) == (0.0, 0, 1)
    assert math.isnan(reuse_rate(reg, 2020)[0])


def test_legal_targets_of_the_reuse_rate_come_from_the_decree_and_the_agec_share_is_flagged():
    assert [legal_target("reuse_rate_pct", y)[0] for y in (2023, 2024, 2025, 2030)] == [25.0, 35.0, 50.0, 50.0]
    assert legal_target("reuse_rate_pct", 2025)[1:] == ("sourced", "legifrance-decret-2023-266")
    assert legal_target("refurbished_purchase_share_pct", 2024)[:2] == (20.0, "not_verified")
    # décret 2021-254 was repealed from 1 July 2024 (décret 2024-134, whose IT rates were not read):
    # no legal target from 2025, said in the definitions
    assert legal_target("refurbished_purchase_share_pct", 2025) is None
    from sobriete.report.roadmap import render_definitions
    assert ("refurbished_purchase_share_pct aucun objectif connu à partir de 2025 (legifrance-decret-2024-134)"
            in render_definitions(lang="fr"))


def test_refurbished_share_by_hand():
    reg = pd.DataFrame({"purchase_date": pd.to_datetime(["2025-01-10", "2025-03-01", "2025-07-01", "2025-09-09",
                                                         "2024-05-05"]),
                        "purchase_price_eur": [600.0, 1000.0, 400.0, np.nan, 999.0],
                        "condition": ["reconditionne", "new", "reemploi", "reconditionne", "reconditionne"]})
    share, refurb, total = refurbished_share(reg, 2025)
    assert (refurb, total) == (1000.0, 2000.0) and share == pytest.approx(50.0)   # no-price row left out


def test_register_reads_french_headers_and_rejects_bad_rows_with_where(tmp_path):
    path = tmp_path / "registre.csv"
    path.write_text("Identifiant;Catégorie;Date d'achat;Prix d'achat HT;État;Date de réforme;Date de sortie;"
                    "Destination;Exclusion sécurité\n"
                    "A1;Ordinateur portable;15/03/2019;1 000,50;Neuf;01/02/2024;;;\n"
                    "A2;Écran;hier;200;Reconditionné;;;;\n"
                    "A3;Écran;;200;Neuf;;;;\n"
                    "A4;Écran;01/01/2020;deux cents;Neuf;;;;\n"
                    "A5;Écran;01/01/2020;200;Neuf;01/01/2024;01/06/2024;Réemploie;\n"
                    "A6;Écran;01/01/2020;200;Occasion;;;;\n", encoding="utf-8")
    reg, rejected = read_register(path)
    assert reg.loc[0, "purchase_price_eur"] == 1000.5
    assert reg.loc[0, "category"] == "ordinateur portable" and reg.loc[0, "condition"] == "neuf"
    assert rejected[["row", "column"]].values.tolist() == [[3, "purchase_date"], [4, "purchase_date"],
                                                           [5, "purchase_price_eur"], [6, "destination"]]
    assert rejected.loc[3, "value"] == "Réemploie" and "reemploi" in rejected.loc[3, "reason"]
    assert reg["row"].tolist() == [2, 7] and reg.loc[1, "condition"] == "occasion"   # occasion: refurbished
    assert len(reg) + len(rejected) == 6   # every row assessed or rejected


# --------------------------------------------------------------------------- the file
def test_template_loads_and_names_the_six_topics():
    text = template_text()
    roadmap = load_roadmap(text=text)
    assert roadmap.notices == ()
    for topic in TOPICS:
        assert f"  {topic} " in text
    assert len(roadmap.spec.targets) == 4 and len(roadmap.spec.measures) == 6


def test_bad_items_are_left_out_with_file_line_and_field(tmp_path):
    path = tmp_path / "fdr.yaml"
    path.write_text(BASE + "indicators:\n"
                    "  - id: boucle\n"
                    "    formula: boucle + 1\n"
                    "  - id: a\n"
                    "    formula: b * 2\n"
                    "  - id: b\n"
                    "    formula: a / 2\n"
                    "targets:\n"
                    "  - indicator: footprint_gwp\n"
                    "    year: 2030\n"
                    "    change_pct: -30\n"
                    "  - indicator: footprint_gwp\n"
                    "    year: 2022\n"
                    "    value: 10\n"
                    "  - indicator: inconnu\n"
                    "    year: 2030\n"
                    "    value: 1\n", encoding="utf-8")
    roadmap = load_roadmap(path)
    by_code = {n.code: n for n in roadmap.notices}
    assert by_code["roadmap_target_before_baseline"].params["line"] == 15
    assert by_code["roadmap_target_before_baseline"].params["field"] == "targets[1].year"
    assert by_code["roadmap_unknown_indicator"].params["line"] == 17
    cycles = [n for n in roadmap.notices if n.code == "roadmap_formula_cycle"]
    assert [(n.params["id"], n.params["line"]) for n in cycles] == [("boucle", 5), ("a", 7)]
    assert "refers to itself" in cycles[0] and str(path) in cycles[0] and "line 5" in cycles[0]
    assert [t.year for t in roadmap.spec.targets] == [2030]      # what is usable is kept
    with pytest.raises(RoadmapError) as info:
        load_roadmap(path, strict=True)
    assert str(info.value) == f"the formula of 'boucle' refers to itself (file {path}, line 5, field " \
                              "indicators[0].formula)"
    assert error_text(info.value) == ("champ indicators[0].formula : la formule de « boucle » se réfère à elle-même "
                                      f"ou forme un cycle (boucle -> boucle) (fichier {path}, ligne 5)")


def test_invalid_field_names_file_line_and_field_in_french(tmp_path):
    path = tmp_path / "fdr.yaml"
    path.write_text(BASE + "targets:\n  - indicator: footprint_gwp\n    year: deux mille trente\n"
                    "    value: 1\n", encoding="utf-8")
    with pytest.raises(RoadmapError) as info:
        load_roadmap(path)
    assert info.value.row == 5 and info.value.params["field"] == "targets[0].year"
    assert error_text(info.value) == ("champ targets[0].year de la feuille de route invalide : ce n'est pas un "
                                      f"nombre entier (valeur « deux mille trente ») (fichier {path}, ligne 5)")
    bad_yaml = tmp_path / "bad.yaml"
    bad_yaml.write_text("name: x\n  baseline_year: [\n", encoding="utf-8")
    with pytest.raises(RoadmapError, match=r"not valid YAML.*line 2"):
        load_roadmap(bad_yaml)


def test_target_needs_one_kind_of_value():
    with pytest.raises(RoadmapError, match=r"exactly one of 'value'.*line 4, field targets\[0\]"):
        load_roadmap(text=BASE + "targets:\n  - {indicator: footprint_gwp, year: 2030, value: 1, change_pct: -3}\n")


def test_formula_cycle_detection_and_no_code_in_formulas():
    assert formula_cycle({"a": "b", "b": "c", "c": "a"}) == ["a", "b", "c", "a"]
    with pytest.raises(RoadmapError, match="only use numbers"):
        load_roadmap(text=BASE + "indicators:\n  - id: x\n    formula: open('f')\n")


# --------------------------------------------------------------------------- indicators and statuses
def _toy_roadmap(tmp_path, extra=""):
    values = tmp_path / "valeurs.csv"
    values.write_text("indicateur;année;valeur;unité\nformes;2023;10;percent\nformes;2024;20;percent\n"
                      "formes;2025;25;percent\nhabitants;2023;1000;1\nhabitants;2025;1000;1\n", encoding="utf-8")
    path = tmp_path / "fdr.yaml"
    path.write_text(BASE + "agents: {2023: 10, 2024: 10, 2025: 12}\nvalues: valeurs.csv\nindicators:\n"
                    "  - {id: formes, unit: percent, topic: sensibilisation, direction: higher}\n"
                    "  - {id: habitants, unit: '1'}\n"
                    "  - {id: formes_par_agent, formula: formes / agents, unit: percent}\n"
                    "targets:\n  - {indicator: formes, year: 2027, value: 60}\n" + extra, encoding="utf-8")
    return load_roadmap(path)


def test_recorded_values_formulas_and_statuses_from_a_toy_history(tmp_path):
    roadmap = _toy_roadmap(tmp_path)
    with History(tmp_path / "h.sqlite") as history:
        save_indicator_values(history, pd.DataFrame({"indicator": ["formes"], "year": [2025], "value": [30.0]}))
        values, notices = compute_indicators(roadmap, history)
        result = evaluate_roadmap(roadmap, history, assessor=None)
    table = values.set_index(["indicator", "year"])["value"]
    assert table[("formes", 2025)] == 25.0          # the roadmap's values file wins over the database
    assert table[("formes_par_agent", 2025)] == pytest.approx(25 / 12)
    assert ("formes_par_agent", 2024) in table.index and ("habitants", 2024) not in table.index
    status = result.statuses.set_index("indicator").loc["formes"]
    assert status["trajectory_value"] == pytest.approx(10 + 50 * 2 / 4)   # 35 in 2025
    assert status["status"] == "off_track" and status["topic"] == "sensibilisation"
    assert status["projected_value"] == pytest.approx(55 / 3 + 7.5 * 3)  # +7.5 per year through (2024, 18.33)
    topics = result.topics.set_index("topic")
    assert topics.loc["sensibilisation", "off_track"] == 1 and topics["targets"].sum() == 1


def test_missing_history_years_give_a_warning_and_a_status(tmp_path):
    roadmap = _toy_roadmap(tmp_path, "  - {indicator: habitants, year: 2030, change_pct: 5}\n"
                                     "  - {indicator: footprint_gwp, year: 2030, change_pct: -30}\n")
    with History(tmp_path / "h.sqlite") as history:
        result = evaluate_roadmap(roadmap, history, assessor=None)
    codes = {(n.code, n.params.get("indicator")) for n in result.notices}
    assert ("roadmap_missing_years", "habitants") in codes and ("roadmap_no_values", "footprint_gwp") in codes
    missing = next(n for n in result.notices if n.code == "roadmap_missing_years")
    assert missing.params["years"] == "2024" and missing.params["line"] == 11
    st = result.statuses.set_index("indicator")
    assert st.loc["habitants", "target_value"] == pytest.approx(1050.0)
    assert st.loc["habitants", "trajectory_value"] == pytest.approx(1000 + 50 * 2 / 7)
    assert st.loc["habitants", "status"] == "off_track" and st.loc["footprint_gwp", "status"] == "no_data"


def test_history_migration_keeps_old_databases_readable(tmp_path):
    import sqlalchemy as sa

    path = tmp_path / "old.sqlite"
    History(path).close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:   # make it a version-1 database
        conn.execute(sa.text("DROP TABLE indicator_values"))
        conn.execute(sa.text("UPDATE schema_version SET version = 1"))
    engine.dispose()
    with History(path, create=False) as history:
        assert history.schema_version() == 3 and len(history.list()) == 0
        assert save_indicator_values(history, pd.DataFrame({"indicator": ["x", "x"], "year": [2024, 2025],
                                                            "value": [1.0, 2.0]})) == 2
        save_indicator_values(history, pd.DataFrame({"indicator": ["x"], "year": [2025], "value": [3.0]}))
        assert load_indicator_values(history)["value"].tolist() == [1.0, 3.0]


def test_values_file_errors_name_file_row_and_column(tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("indicator,year,value\nx,2024,1\nx,2025,beaucoup\n", encoding="utf-8")
    with pytest.raises(Exception) as info:
        read_values(path)
    assert (info.value.file, info.value.row, info.value.column) == (str(path), 3, "value")
    assert error_text(info.value).startswith("« beaucoup » n'est pas un nombre (fichier")


# --------------------------------------------------------------------------- measures
def test_project_effect_counts_as_the_measures_effect_and_ranks(tmp_path):
    (tmp_path / "projet.yaml").write_text("name: p\n", encoding="utf-8")
    roadmap = load_roadmap(text=BASE + (
        "measures:\n"
        "  - {id: P, title: Projet, topic: cycle_de_vie, project: projet.yaml, status: planned}\n"
        "  - {id: E, title: Effet, topic: achats, budget_eur: 100, effects: {footprint_gwp: -50}, horizon_years: 4}\n"
        "  - {id: X, title: Sans, topic: inclusion, project: absent.yaml, effects: {footprint_gwp: -10}}\n"
        "  - {id: D, title: Faite, topic: achats, status: done, effects: {footprint_gwp: -999}}\n"),
        path=tmp_path / "fdr.yaml")
    effect = ProjectEffect(avoided_kgco2e_per_year=1200.0, horizon_years=5, cost_eur=6000.0)
    table, notices = measure_table(roadmap, assessor=lambda path, variant: effect)
    row = table.set_index("id")
    assert row.loc["P", "effect_source"] == "project" and row.loc["P", "avoided_kgco2e_per_year"] == 1200.0
    assert row.loc["P", "kgco2e_per_eur"] == pytest.approx(1200 * 5 / 6000)   # 1 kg per euro
    assert row.loc["P", "eur_per_tco2e"] == pytest.approx(1000.0)
    assert row.loc["E", "kgco2e_per_eur"] == pytest.approx(50 * 4 / 100)       # 2 kg per euro
    assert [n.code for n in notices] == ["roadmap_project_missing"] and row.loc["X", "effect_source"] == "effects"
    assert planned_effects(table) == {"footprint_gwp": -1200.0 - 50.0 - 10.0}  # done measures excluded
    ranked = rank_measures(table)
    assert ranked["id"].tolist()[:2] == ["E", "P"] and ranked.set_index("id").loc["P", "rank_effect"] == 1


def test_notices_and_errors_survive_pickling(tmp_path):
    roadmap = load_roadmap(text=BASE + "targets:\n  - {indicator: nope, year: 2030, value: 1}\n")
    notice = pickle.loads(pickle.dumps(roadmap.notices[0]))
    assert notice.code == "roadmap_unknown_indicator" and notice.params["line"] == 4
    error = RoadmapError("bad", file="f.yaml", line=3, field="targets[0].year", code="invalid_roadmap_field",
                         value="x")
    back = pickle.loads(pickle.dumps(error))
    assert (str(back), back.row, back.params) == (str(error), 3, error.params)


def test_shipped_definitions_are_sourced():
    table = definitions()
    sources = set(pd.read_csv(__import__("sobriete.factors", fromlist=["x"]).bundled_factors_dir() / "sources.csv")
                  ["source_id"])
    assert table["indicator"].is_unique and table["source_id"].isin(sources).all()
    assert set(table["topic"]) <= set(TOPICS) and set(table["direction"]) <= {"lower", "higher"}


def test_lighting_shares_from_the_example_inventory_by_hand():
    from sobriete.assessment import read_domain_inputs
    from sobriete.roadmap.indicators import read_lighting

    path = __import__("pathlib").Path(__file__).parents[1] / "examples" / "2025" / "eclairage_za.csv"
    values, notices = read_lighting(path, 2025)
    frame = read_domain_inputs([path], domain="lighting").frame
    led = (frame["technology"] == "led").sum() / len(frame) * 100
    night = frame["schedule"].isin(["za_nuit", "za_abaissement"]).sum() / len(frame) * 100  # the two with extinction
    assert values.set_index("indicator")["value"].to_dict() == pytest.approx(
        {"led_share_pct": led, "night_extinction_share_pct": night})
    assert notices == []


def test_shipped_roadmap_tables_have_parsable_units_and_a_verification_status():
    from sobriete.roadmap.indicators import legal_targets
    from sobriete.units import parse_unit

    for unit in set(definitions()["unit"]) | set(legal_targets()["unit"]):
        parse_unit(unit)
    legal = legal_targets()
    assert legal["status"].isin(["sourced", "not_verified"]).all()
    assert (legal.loc[legal["status"] == "not_verified", "note"].str.startswith("NOT VERIFIED")).all()
    assert set(legal["indicator"]) <= set(definitions()["indicator"])


def test_legal_target_follows_the_year_and_needs_values(tmp_path):
    roadmap = load_roadmap(text=BASE + "targets:\n  - {indicator: reuse_rate_pct, legal: true}\n"
                                "  - {indicator: footprint_gwp, legal: true}\n")
    values = pd.DataFrame({"indicator": "reuse_rate_pct", "year": [2023, 2024], "value": [20.0, 30.0],
                           "unit": "percent", "origin": "register"})
    from sobriete.roadmap.trajectory import statuses

    frame, notices = statuses(roadmap, values)
    row = frame.set_index("indicator").loc["reuse_rate_pct"]
    assert (row["target_year"], row["target_value"], row["target_kind"]) == (2024, 35.0, "legal")
    assert row["status"] == "off_track" and bool(row["target_verified"])    # 30 < 35, the 2024 legal value
    assert [n.code for n in notices] == ["roadmap_no_values"]                # footprint_gwp has no value at all
    early, _ = statuses(roadmap, values, as_of=2023)
    assert early.set_index("indicator").loc["reuse_rate_pct", "target_value"] == 25.0


def test_values_recorded_under_an_alias_win_over_the_builtin(tmp_path):
    (tmp_path / "v.csv").write_text("indicator;year;value\ncarbone;2024;5\n", encoding="utf-8")
    (tmp_path / "f.yaml").write_text(BASE + "values: v.csv\nindicators:\n  - {id: carbone, builtin: footprint_gwp}\n",
                                     encoding="utf-8")
    roadmap = load_roadmap(tmp_path / "f.yaml")
    with History(tmp_path / "h.sqlite") as history:
        save_indicator_values(history, pd.DataFrame({"indicator": "footprint_gwp", "year": [2024, 2025],
                                                     "value": [7.0, 8.0]}))
        values, _ = compute_indicators(roadmap, history)
    table = values.set_index(["indicator", "year"])["value"].to_dict()
    assert table[("carbone", 2024)] == 5.0 and table[("carbone", 2025)] == 8.0 and table[("footprint_gwp", 2024)] == 7.0


# --------------------------------------------------------------------------- French file quirks
def test_values_file_in_cp1252_with_accented_headers(tmp_path):
    # was a UnicodeDecodeError traceback: the reader assumed UTF-8
    path = tmp_path / "valeurs.csv"
    path.write_bytes("indicateur;année;valeur;unité\nagents_formes;2025;44,5;%\n".encode("cp1252"))
    frame = read_values(path)
    assert frame[["indicator", "year", "value", "unit"]].values.tolist() == [["agents_formes", 2025, 44.5, "%"]]


def test_values_error_names_the_files_own_header(tmp_path):
    path = tmp_path / "valeurs.csv"
    path.write_text("indicateur;année;valeur\nx;deux mille;1\n", encoding="utf-8")
    from sobriete.errors import InputFormatError

    with pytest.raises(InputFormatError, match="row 2, column 'année'"):
        read_values(path)


def test_register_in_cp1252_reads_like_utf8(tmp_path):
    from pathlib import Path

    source = Path(__file__).parents[1] / "examples" / "roadmap" / "registre_materiels.csv"
    cp1252 = tmp_path / "registre.csv"
    cp1252.write_bytes(source.read_text(encoding="utf-8-sig").encode("cp1252"))
    utf8, utf8_rejected = read_register(source)
    frame, rejected = read_register(cp1252)
    pd.testing.assert_frame_equal(frame.reset_index(drop=True), utf8.reset_index(drop=True))
    assert len(rejected) == len(utf8_rejected)


def test_project_indicators_from_the_saved_projects(tmp_path):
    """Issue #11: the share of projects assessed before they start and their mean RGESN score, from
    the projects saved in the history (saved today, 2026-12: a project starting in 2026 was assessed
    after its start, one starting in 2027 before)."""
    import sqlalchemy as sa

    from sobriete.history import ProjectHistory, saved_projects
    from sobriete.project import assess_project
    from sobriete.roadmap.indicators import compute_indicators

    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    result = assess_project(root / "examples" / "projects" / "portail_citoyen.yaml", sensitivity=False)
    with ProjectHistory(tmp_path / "h.sqlite") as history:
        history.save_project(result)
        second = history.save_project(result)
        with history.engine.begin() as conn:  # the second one had already started when it was assessed
            conn.execute(sa.text("UPDATE projects SET start_date = '2020-01-01', checklist_score = NULL "
                                 "WHERE id = :id"), {"id": second})
        saved = saved_projects(history)
        values, _ = compute_indicators(None, history)
    assert saved["start_date"].tolist() == [f"{result.project.first_year}-01-01", "2020-01-01"]
    saved_on = pd.Timestamp(saved["saved_at"].iloc[0]).tz_localize(None)
    year = saved_on.year
    expected_before = 50.0 if saved_on < pd.Timestamp(f"{result.project.first_year}-01-01") else 0.0
    by = values.set_index(["indicator", "year"])["value"]
    assert by[("projects_assessed_before_start_pct", year)] == pytest.approx(expected_before)
    assert by[("projects_checklist_score_pct", year)] == pytest.approx(100.0 * result.checklist.score)
