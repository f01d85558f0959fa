"""The users' own ranges read from a file (``read_ranges``, ``--ranges FILE``): French CSV quirks,
XLSX and YAML; a zero-width range gives the deterministic result; a wide range on one factor
widens the interval of the criterion it touches and no other; bad files give one sentence naming
the file, the row and the column, in French and in English."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete import load_catalog
from sobriete.cli import main
from sobriete.equipment import prepare_equipment
from sobriete.errors import SobrieteError
from sobriete.report.error_messages import error_text
from sobriete.uncertainty import UserRange, monte_carlo, read_ranges

ROOT = Path(__file__).parents[1]
EXAMPLE = ROOT / "examples" / "uncertainty" / "ranges.csv"
TINY = ROOT / "tests" / "data" / "tiny_factors"
#: tiny catalog: 4 laptops (100 kg manufacturing, 5 years) and 10 monitors (50 kg in [40, 60], 4 years)
INVENTORY = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [4, 10], "purchase_year": [2024, 2024]})
MONITOR = "equipment_impacts/monitor/gwp/manufacturing"
LAPTOP = "equipment_impacts/laptop/gwp/manufacturing"


def write(tmp_path, text: str, name: str = "plages.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


def refused(path, catalog=None) -> SobrieteError:
    with pytest.raises(SobrieteError) as info:
        read_ranges(path, catalog=catalog)
    return info.value


# --------------------------------------------------------------------------- reading
def test_the_example_file_reads_as_its_four_labelled_ranges():
    ranges = read_ranges(EXAMPLE)
    assert [(r.field, r.item, r.low, r.mode, r.high, r.distribution) for r in ranges] == [
        ("lifetime_years", "laptop", 4.0, 5.0, 7.0, "triangular"),
        ("quantity_multiplier", "monitor", 0.95, 1.0, 1.1, "uniform"),
        ("energy_multiplier", None, 0.8, 1.0, 1.2, "triangular"),
        ("electricity/FR/2025/mix/gwp", None, 0.04149, 0.0461, 0.058, "triangular")]
    assert all(r.note.startswith("hypothèse") for r in ranges)  # every number labelled as an assumption
    assert ranges[-1].id == "electricity/FR/2025/mix/gwp" and ranges[0].id == "user/equipment/lifetime_years/laptop"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp1252"])
def test_french_csv_semicolon_decimal_comma_bom_or_cp1252(tmp_path, encoding):
    path = write(tmp_path, "Paramètre;Élément;Bas;Haut;Loi;Note\r\n"
                           "Durée de vie;Monitor;3,5;6,5;Uniforme;hypothèse\r\n"
                           "multiplicateur d'énergie;;0,75;1,25;;hypothèse\r\n", encoding=encoding)
    lifetime, energy = read_ranges(path, catalog=load_catalog(directory=TINY))
    # no value: a lifetime's mode is the middle of its range, a multiplier's 1; the item as the catalog spells it
    assert (lifetime.field, lifetime.item, lifetime.low, lifetime.mode, lifetime.high, lifetime.distribution) == (
        "lifetime_years", "monitor", 3.5, 5.0, 6.5, "uniform")
    assert (energy.field, energy.item, energy.low, energy.mode, energy.high, energy.distribution) == (
        "energy_multiplier", None, 0.75, 1.0, 1.25, "triangular")


def test_comma_separated_csv_xlsx_and_yaml_give_the_same_ranges(tmp_path):
    catalog = load_catalog(directory=TINY)
    csv = write(tmp_path, f"parameter,item,low,value,high\n{MONITOR},,45,50,58\nquantity_multiplier,laptop,0.9,,1.2\n",
                "r.csv")
    xlsx = tmp_path / "r.xlsx"
    pd.DataFrame({"parameter": [MONITOR, "quantity_multiplier"], "item": [None, "laptop"], "low": [45, 0.9],
                  "value": [50, None], "high": [58, 1.2]}).to_excel(xlsx, index=False)
    yaml = write(tmp_path, f"ranges:\n  - {{parameter: {MONITOR}, low: 45, value: 50, high: 58}}\n"
                           "  - {parameter: quantity_multiplier, item: laptop, low: 0.9, high: 1.2}\n", "r.yaml")
    expected = [UserRange(MONITOR, 45.0, 50.0, 58.0), UserRange("quantity_multiplier", 0.9, 1.0, 1.2, item="laptop")]
    for path in (csv, xlsx, yaml):
        assert read_ranges(path, catalog=catalog) == expected, path.name


def test_an_item_of_another_domain_is_found_and_a_lighting_za_needs_the_domain(tmp_path):
    path = write(tmp_path, "parametre;element;domaine;bas;haut\nquantity_multiplier;fibre_pro;;0,9;1,1\n"
                           "energy_multiplier;ZA des Landes;éclairage;0,8;1\n")
    fibre, za = read_ranges(path)
    assert (fibre.domain, fibre.item, za.domain, za.item, za.mode) == ("lines", "fibre_pro", "lighting",
                                                                       "ZA des Landes", 1.0)


# --------------------------------------------------------------------------- what the draws do
def test_a_zero_width_range_on_a_factor_gives_the_deterministic_result(tmp_path):
    """The monitors' manufacturing (the tiny catalog's only ranged factor, [40, 60]) pinned at 50 by
    the user's file: every draw is the deterministic footprint."""
    catalog = load_catalog(directory=TINY)
    ranges = read_ranges(write(tmp_path, f"parametre;bas;valeur;haut\n{MONITOR};50;50;50\n"), catalog=catalog)
    prepared = prepare_equipment(INVENTORY, catalog)
    mc = monte_carlo({"equipment": prepared}, 2025, draws=40, seed=2, user_ranges=ranges)
    deterministic = prepared.evaluate(2025).values
    np.testing.assert_allclose(mc.domains["equipment"].values, np.broadcast_to(deterministic, (40, *deterministic.shape)),
                               rtol=1e-12)
    free = monte_carlo({"equipment": prepared}, 2025, draws=40, seed=2)
    assert np.ptp(free.totals()[:, free.criteria.index("gwp")]) > 0  # without the file, the factor varies


def test_a_wide_range_on_one_factor_widens_its_criterion_only(tmp_path):
    """A uniform [50, 150] kg range on the laptops' manufacturing gwp (catalog 100 kg, no range):
    each draw adds 4 laptops × 100 kg / 5 years × (m − 1) to the gwp total, exactly, and leaves
    the adpe draws as they were (the monitors' factor keeps its own draws: same seed, same stream)."""
    catalog = load_catalog(directory=TINY)
    ranges = read_ranges(write(tmp_path, f"parametre;bas;haut;loi\n{LAPTOP};50;150;uniforme\n"), catalog=catalog)
    prepared = prepare_equipment(INVENTORY, catalog)
    base = monte_carlo({"equipment": prepared}, 2025, draws=400, seed=5)
    wide = monte_carlo({"equipment": prepared}, 2025, draws=400, seed=5, user_ranges=ranges)
    gwp, adpe = base.criteria.index("gwp"), base.criteria.index("adpe")
    multiplier = wide.inputs.values[:, wide.inputs.ids.index(LAPTOP)]
    assert 0.5 <= multiplier.min() and multiplier.max() <= 1.5
    np.testing.assert_allclose(wide.totals()[:, gwp] - base.totals()[:, gwp], 4 * 100 / 5 * (multiplier - 1),
                               rtol=1e-9, atol=1e-9)
    np.testing.assert_array_equal(wide.totals()[:, adpe], base.totals()[:, adpe])
    spread = {name: np.ptp(np.quantile(mc.totals()[:, gwp], [0.05, 0.95])) for name, mc in (("base", base),
                                                                                           ("wide", wide))}
    assert spread["wide"] > spread["base"]


def test_a_user_factor_range_is_one_input_of_the_sensitivity():
    catalog = load_catalog(directory=TINY)
    mc = monte_carlo({"equipment": prepare_equipment(INVENTORY, catalog)}, 2025, draws=50, seed=1,
                     user_ranges=[UserRange(LAPTOP, 80.0, 100.0, 120.0)])
    assert set(mc.domains["equipment"].inputs) == {LAPTOP, MONITOR}


# --------------------------------------------------------------------------- bad files
BAD = {
    "missing_column": ("parametre;bas;valeur\nlifetime_years;4;5\n", None, None,
                       "le fichier de plages n'a pas de colonne « high » (colonnes : parametre, bas, valeur) ; "
                       "en-têtes acceptés : haut, max, maximum, high",
                       "the ranges file has no 'high' column (columns: parametre, bas, valeur)"),
    "low_above_high": ("parametre;element;bas;haut\nlifetime_years;laptop;7;4\n", 2, "bas",
                       "la borne basse 7 dépasse la borne haute 4", "low 7 is above high 4"),
    "unknown_id": ("parametre;bas;haut\nlifetime_years;4;7\nelectricity/FR/2052/mix/gwp;0,04;0,06\n", 3, "parametre",
                   "identifiant de facteur inconnu « electricity/FR/2052/mix/gwp » ; identifiants proches : "
                   "electricity/FR/2025/mix/gwp", "close ids: electricity/FR/2025/mix/gwp"),
    "decimal_comma_in_comma_file": ("parameter,low,high\nlifetime_years,4,5,7\n", 2, None,
                                    "cette ligne a plus de champs que l'en-tête ; avec « , » comme séparateur, écrivez "
                                    "les décimales avec un point ou séparez les colonnes par « ; »",
                                    "with ',' as separator, write decimals with a point"),
    "not_a_number": ("parametre;bas;haut\nlifetime_years;quatre;7\n", 2, "bas", "« quatre » n'est pas un nombre",
                     "'quatre' is not a number"),
    "value_outside": ("parametre;bas;valeur;haut\nquantity_multiplier;0,9;1,5;1,2\n", 2, "valeur",
                      "doit vérifier 0 ≤ bas ≤ mode ≤ haut", "must satisfy 0 ≤ low ≤ mode ≤ high"),
    "excludes_catalog_value": ("parametre;bas;haut\nelectricity/FR/2025/mix/gwp;0,05;0,06\n", 2, "bas",
                               "ne contient pas la valeur du catalogue 0,0461 que l'évaluation utilise ; changez "
                               "cette valeur avec --factors FICHIER", "does not contain the catalog value 0.0461"),
    "unknown_item": ("parametre;element;bas;haut\nlifetime_years;grille-pain;4;7\n", 2, "element",
                     "élément inconnu « grille-pain »", "unknown range item 'grille-pain'"),
    "unknown_parameter": ("parametre;bas;haut\nlifetime;4;7\n", 2, "parametre",
                          "paramètre de plage inconnu « lifetime »", "unknown range parameter 'lifetime'"),
    "duplicate": ("parametre;element;bas;haut\nlifetime_years;laptop;4;7\nlifetime_years;Laptop;3;6\n", 3,
                  "parametre", "la plage de user/equipment/lifetime_years/laptop est donnée deux fois (lignes 2 et "
                               "celle-ci)", "given twice (rows 2 and 3)"),
    "item_on_factor": ("parametre;element;bas;haut\nelectricity/FR/2025/mix/gwp;laptop;0,04;0,06\n", 2, "element",
                       "ne prend pas d'élément", "takes no item"),
    "unknown_distribution": ("parametre;bas;haut;loi\nlifetime_years;4;7;normale\n", 2, "loi",
                             "loi de probabilité inconnue « normale »", "unknown distribution 'normale'"),
    "empty": ("parametre;bas;haut\n", None, None, "le fichier de plages ne contient aucune plage",
              "the ranges file has no range"),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_a_bad_file_is_one_sentence_naming_file_row_and_column(tmp_path, case):
    text, row, column, french, english = BAD[case]
    path = write(tmp_path, text)
    error = refused(path)
    assert (error.file, error.row, error.column) == (str(path), row, column)
    sentence = error_text(error, "fr")
    assert french in sentence, sentence
    where = ", ".join(x for x in (f"fichier {path}", f"ligne {row}" if row else "",
                                  f"colonne « {column} »" if column else "") if x)
    assert sentence.endswith(f"({where})") and "\n" not in sentence
    assert english in error_text(error, "en")


def test_a_yaml_error_names_the_line_where_the_range_starts(tmp_path):
    path = write(tmp_path, "# plages\nranges:\n  - parameter: lifetime_years\n    low: 4\n    high: 7\n"
                           "  - parameter: quantity_multiplier\n    item: laptop\n    low: 1.2\n    high: 0.9\n",
                 "plages.yaml")
    error = refused(path)
    assert (error.row, error.column) == (6, "low")
    assert error_text(error, "fr").endswith(f"(fichier {path}, ligne 6, colonne « low »)")


def test_an_unknown_id_far_from_any_says_where_to_find_the_ids(tmp_path):
    error = refused(write(tmp_path, "parametre;bas;haut\nzzz/qqq;1;2\n"))
    assert "identifiant de facteur inconnu « zzz/qqq » ; voyez les identifiants avec « sobriete factors show NOM »" \
        in error_text(error, "fr")


# --------------------------------------------------------------------------- command line
def assess(*options):
    return CliRunner().invoke(main, ["assess", str(ROOT / "examples" / "2025"), "--year", "2025", *map(str, options)])


def test_the_example_file_runs_from_the_cli_and_the_french_report_lists_the_ranges():
    result = assess("--uncertainty", 20, "--seed", 4, "--ranges", EXAMPLE)
    assert result.exit_code == 1, result.output  # the examples have rejected rows
    text = result.stdout.split("Vos plages tirées (4, fichier --ranges)")[1]
    assert "durée de vie [an]" in text and "laptop" in text and "triangulaire" in text and "uniforme" in text
    assert "hypothèse : durée de vie des portables entre 4 et 7 ans" in text
    assert "une plage sur un facteur remplace celle du catalogue" in text


def test_the_cli_json_carries_the_ranges_and_a_wider_gwp_interval():
    with_ranges = json.loads(assess("--uncertainty", 100, "--seed", 4, "--ranges", EXAMPLE, "--format", "json").stdout)
    without = json.loads(assess("--uncertainty", 100, "--seed", 4, "--format", "json").stdout)
    drawn = with_ranges["uncertainty"]["user_ranges"]
    assert [r["id"] for r in drawn] == ["user/equipment/lifetime_years/laptop",
                                        "user/equipment/quantity_multiplier/monitor",
                                        "user/equipment/energy_multiplier/*", "electricity/FR/2025/mix/gwp"]

    def total(payload, criterion):
        return next(r for r in payload["uncertainty"]["summary"] if r["domain"] == "all" and r["criterion"] == criterion)

    a, b = total(with_ranges, "gwp"), total(without, "gwp")
    assert a["deterministic"] == pytest.approx(b["deterministic"], rel=1e-12)  # ranges never move the computed value
    assert a["p95"] - a["p05"] > b["p95"] - b["p05"]
    assert without["uncertainty"]["user_ranges"] == []
    assert all(r["used"] for r in drawn)  # the example's four ranges all reach an assessed input


def test_a_bad_ranges_file_exits_2_with_one_sentence(tmp_path):
    path = write(tmp_path, "parametre;element;bas;haut\nlifetime_years;laptop;7;4\n")
    result = assess("--uncertainty", 20, "--ranges", path)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"Erreur : la borne basse 7 dépasse la borne haute 4 (fichier {path}, ligne 2, " \
                                    "colonne « bas »)"
    assert result.stdout == ""  # refused before the assessment runs


def test_ranges_without_uncertainty_is_a_usage_error():
    result = assess("--ranges", EXAMPLE)
    assert result.exit_code == 2 and "--ranges va avec --uncertainty N" in result.output
    assert "--ranges goes with --uncertainty N" in assess("--ranges", EXAMPLE, "--lang", "en").output


def test_every_command_with_uncertainty_takes_ranges():
    for command in (["assess"], ["history", "compare"], ["roadmap", "status"], ["project", "assess"]):
        help_text = CliRunner().invoke(main, [*command, "--help"]).output
        assert "--uncertainty" in help_text and "--ranges" in help_text, command


def test_network_model_reaches_the_monte_carlo_of_traffic():
    """per_gb counts the whole network per GB: the traffic's computed value under --uncertainty is
    the assessment's own (it was the combined model's before)."""
    payload = json.loads(assess("--uncertainty", 20, "--network-model", "per_gb", "--format", "json").stdout)
    row = next(r for r in payload["uncertainty"]["summary"] if r["domain"] == "traffic" and r["criterion"] == "gwp")
    assert row["deterministic"] == pytest.approx(payload["domains"]["traffic"]["totals"]["gwp"]["value"], rel=1e-12)


def test_history_compare_with_a_zero_width_range_gives_the_computed_change(tmp_path):
    """Tiny catalog: 2024, 3 laptops bought in 2023 (72 kgCO2e); 2025, 2 laptops and 4 monitors
    (134.2 kgCO2e). Pinning the monitors' manufacturing (the only ranged factor) at its value makes
    every draw give the computed change, +62.2."""
    files = {2024: write(tmp_path, "category;quantity;purchase_year\nlaptop;3;2023\n", "parc2024.csv"),
             2025: write(tmp_path, "category;quantity;purchase_year\nlaptop;2;2024\nmonitor;4;2024\n", "parc2025.csv")}
    db, tiny = str(tmp_path / "h.sqlite"), ["--factors-dir", str(TINY)]
    runner = CliRunner()
    for year, path in files.items():
        saved = runner.invoke(main, ["assess", str(path), "--year", str(year), "--save", "--db", db, *tiny])
        assert saved.exit_code == 0, saved.output
    ranges = write(tmp_path, f"parametre;bas;valeur;haut;note\n{MONITOR};50;50;50;hypothèse : connu\n", "p.csv")
    result = runner.invoke(main, ["history", "compare", "2024", "2025", "--db", db, *tiny, "--uncertainty", "50",
                                  "--inputs-a", str(files[2024]), "--inputs-b", str(files[2025]), "--ranges",
                                  str(ranges), "--lang", "en"])
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.split("draw by draw")[1].splitlines() if x.startswith("gwp"))
    assert [c.strip() for c in line.split("  ") if c.strip()][:5] == ["gwp", "62.20", "62.20", "62.20", "62.20"]
    assert "Your ranges drawn (1, --ranges file)" in result.output and MONITOR in result.output
    page = tmp_path / "evolution.html"
    html = runner.invoke(main, ["history", "compare", "2024", "2025", "--db", db, *tiny, "--uncertainty", "20",
                                "--inputs-a", str(files[2024]), "--inputs-b", str(files[2025]), "--ranges", str(ranges),
                                "--format", "html", "-o", str(page)])
    assert html.exit_code == 0, html.output
    text = page.read_text(encoding="utf-8")
    assert ">Vos plages tirées (1, fichier --ranges)</h2>" in text and f">{MONITOR}<" in text


def test_roadmap_status_draws_the_ranges(tmp_path, monkeypatch):
    """A wide range on the 2025 French electricity mix widens the gwp interval of the roadmap's
    inventories (lighting, hosting) and leaves the primary energy interval as it was."""
    monkeypatch.chdir(ROOT / "examples" / "roadmap")
    ranges = write(tmp_path, "parametre;bas;haut;loi;note\nelectricity/FR/2025/mix/gwp;0,02;0,09;uniforme;"
                             "hypothèse : test\n")

    def run(*options):
        return CliRunner().invoke(main, ["roadmap", "status", "feuille-de-route.yaml", "--db", "historique.sqlite",
                                         "--uncertainty", "200", "--seed", "3", *map(str, options)])

    wide, base = (json.loads(run("--format", "json", *extra).stdout)["uncertainty"]["summary"]
                  for extra in (("--ranges", ranges), ()))

    def interval(summary, criterion):
        row = next(r for r in summary if r["domain"] == "all" and r["criterion"] == criterion)
        return row["p95"] - row["p05"]

    assert interval(wide, "gwp") > interval(base, "gwp")
    assert interval(wide, "pe") == pytest.approx(interval(base, "pe"), rel=1e-12)
    table = run("--ranges", ranges)
    assert table.exit_code == 0, table.output
    assert "Vos plages tirées (1, fichier --ranges)" in table.output
    drawn = json.loads(run("--ranges", ranges, "--format", "json").stdout)["uncertainty"]["user_ranges"]
    assert [(r["id"], r["low"], r["high"], r["distribution"], r["used"]) for r in drawn] == [
        ("electricity/FR/2025/mix/gwp", 0.02, 0.09, "uniform", True)]
    # the roadmap draws lighting and hosting inventories: an equipment range is said to have no effect
    idle = run("--ranges", EXAMPLE).output
    assert "Vos plages tirées (4, fichier --ranges)" in idle
    assert "sans effet ici (aucune entrée évaluée ne les utilise) : user/equipment/lifetime_years/laptop, " \
           "user/equipment/quantity_multiplier/monitor, user/equipment/energy_multiplier/*" in idle
    # no inventory named for 2024: nothing drawn, so no range is said to be
    none = run("--ranges", ranges, "--year", "2024")
    assert "Incertitude non calculée" in none.output and "Vos plages" not in none.output


PROJECT = """name: Garder les portables
start: 2026
horizon_years: 2
baseline: {inputs: [parc.csv], renewal: true}
variants:
  - name: Garder 7 ans
    changes: [{kind: lifetime, year: 2026, select: {category: laptop}, lifetime_years: 7}]
"""


def test_project_assess_draws_the_ranges(tmp_path):
    """The variant's delta is all laptops: twice the laptops (a range pinned at 2) doubles the delta
    in every draw (the catalog factors keep their draws: same seed), the computed delta stays."""
    write(tmp_path, "category;quantity;purchase_year\nlaptop;10;2020\nmonitor;5;2022\n", "parc.csv")
    project = write(tmp_path, PROJECT, "projet.yaml")

    def run(text=None, *options):
        ranges = ["--ranges", str(write(tmp_path, text))] if text else []
        return CliRunner().invoke(main, ["project", "assess", str(project), "--no-sensitivity", "--uncertainty", "30",
                                         "--lang", "en", *ranges, *options])

    def row(result):
        assert result.exit_code == 0, result.output
        (variant,) = json.loads(result.stdout)["uncertainty"]
        return [variant[k] for k in ("delta", "median", "p05", "p95")]

    twice = "parameter;item;low;value;high\nquantity_multiplier;laptop;2;2;2\n"
    computed, *drawn = row(run(None, "--format", "json"))
    assert computed < 0 and row(run(twice, "--format", "json")) == pytest.approx([computed] + [2 * x for x in drawn],
                                                                               rel=1e-9)
    table = run(twice).output
    assert "Your ranges drawn (1, --ranges file)" in table and "quantity multiplier [1]" in table
    # a drawn lifetime would overwrite the lifetimes the variants set: refused
    refused = run("parametre;element;bas;haut\nlifetime_years;laptop;4;7\n")
    assert refused.exit_code == 2 and "a lifetime_years range cannot be drawn in a project" in refused.output
