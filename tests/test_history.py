"""History on a temporary SQLite file: save, replace, transactional failure, load, compare."""

import pandas as pd
import pytest
import sqlalchemy as sa

from sobriete import history as history_module
from sobriete.assessment import DomainInputs, assess_inputs
from sobriete.errors import HistoryError
from sobriete.history import SCHEMA_VERSION, History, database_url

INVENTORY = pd.DataFrame({"category": ["laptop", "monitor"], "quantity": [10, 2],
                          "purchase_year": [2024, 2023], "entity": ["A", "B"]})


def _assess(catalog, year, frame=INVENTORY):
    return assess_inputs({"equipment": DomainInputs.from_frame(frame)}, year=year, by=["entity"], catalog=catalog)


@pytest.fixture
def store(tmp_path):
    with History(tmp_path / "h.sqlite") as h:
        yield h


def test_database_url_from_env(monkeypatch, tmp_path):
    monkeypatch.setenv("SOBRIETE_DB", str(tmp_path / "env.sqlite"))
    assert database_url() == f"sqlite:///{tmp_path / 'env.sqlite'}"
    monkeypatch.delenv("SOBRIETE_DB")
    monkeypatch.chdir(tmp_path)
    assert database_url() == f"sqlite:///{tmp_path / 'sobriete.sqlite'}"


def test_schema_is_versioned(store):
    assert store.schema_version() == SCHEMA_VERSION == 3  # 2: item labels and details, 3: roadmap indicator values (#11)
    with store.engine.connect() as conn:
        assert {"schema_version", "assessments", "results", "energy"} <= set(sa.inspect(conn).get_table_names())


def test_newer_schema_is_refused(tmp_path):
    path = tmp_path / "h.sqlite"
    History(path).close()
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        conn.execute(sa.text("UPDATE schema_version SET version = 99"))
    engine.dispose()
    with pytest.raises(HistoryError, match="newer"):
        History(path)


def test_missing_file_is_not_created_for_reading(tmp_path):
    with pytest.raises(HistoryError, match="no history database"):
        History(tmp_path / "none.sqlite", create=False)
    assert not (tmp_path / "none.sqlite").exists()


def test_save_load_round_trip(store, tiny_catalog):
    original = _assess(tiny_catalog, 2025)
    store.save(original)
    loaded = store.load(2025)
    pd.testing.assert_frame_equal(loaded.footprint.total(), original.footprint.total())
    pd.testing.assert_frame_equal(loaded.to_frame(), original.to_frame())
    assert loaded.footprint.energy_kwh.sum() == pytest.approx(10 * 20 + 2 * 73)
    assert (loaded.year, loaded.allocation, loaded.by) == (2025, "amortised", ("entity",))
    assert (loaded.catalog_version, loaded.catalog_hash) == ("test-1", tiny_catalog.hash)
    assert loaded.quality.rows_read == 2 and loaded.criterion_label("gwp") == "Changement climatique"
    listed = store.list()
    assert listed[["year", "by", "rows_read"]].values.tolist() == [[2025, "entity", 2]]
    assert listed.loc[0, "total_gwp"] == pytest.approx(292.1)


def test_same_year_and_scope_needs_replace(store, tiny_catalog):
    first = store.save(_assess(tiny_catalog, 2025))
    with pytest.raises(HistoryError, match="--replace"):
        store.save(_assess(tiny_catalog, 2025, INVENTORY.assign(quantity=[20, 2])))
    assert store.load(2025).footprint.total().loc["gwp", "total"] == pytest.approx(292.1)
    second = store.save(_assess(tiny_catalog, 2025, INVENTORY.assign(quantity=[20, 2])), replace=True)
    assert second != first and len(store.list()) == 1
    # laptops doubled: + 10 x (20 + 2 + 1 + 2) kg
    assert store.load(2025).footprint.total().loc["gwp", "total"] == pytest.approx(292.1 + 250)


def test_failure_mid_save_leaves_previous_state(store, tiny_catalog, monkeypatch):
    store.save(_assess(tiny_catalog, 2025))

    def crash(conn, assessment_id, assessment):
        conn.execute(history_module.results.insert(), [{
            "assessment_id": assessment_id, "domain": "equipment", "group_keys": "{}", "criterion": "gwp",
            "phase": "use", "value": 1.0, "unit": "kgCO2e", "uncovered_rows": 0}])
        raise RuntimeError("disk full")

    monkeypatch.setattr(history_module, "_insert_results", crash)
    with pytest.raises(RuntimeError, match="disk full"):
        store.save(_assess(tiny_catalog, 2025, INVENTORY.assign(quantity=[20, 2])), replace=True)
    with pytest.raises(RuntimeError):
        store.save(_assess(tiny_catalog, 2024))
    listed = store.list()
    assert listed["year"].tolist() == [2025]
    assert store.load(2025).footprint.total().loc["gwp", "total"] == pytest.approx(292.1)
    with store.engine.connect() as conn:
        # 2 entities and 2 items (categories) × 2 criteria × 4 phases, of the first save only
        assert conn.execute(sa.select(sa.func.count()).select_from(history_module.results)).scalar() == 2 * 2 * 2 * 4


def test_compare_hand_checked(store, tiny_catalog):
    store.save(_assess(tiny_catalog, 2024))
    store.save(_assess(tiny_catalog, 2025))
    change = store.compare(2024, 2025).set_index(["criterion", "phase"])
    # Only the grid factor changes: FR 0.05 -> 0.1 kgCO2e/kWh on 346 kWh.
    use = change.loc[("gwp", "use")]
    assert (use["value_a"], use["value_b"], use["change"], use["change_pct"]) == \
        pytest.approx((17.3, 34.6, 17.3, 100.0))
    total = change.loc[("gwp", "total")]
    assert total["change_pct"] == pytest.approx(100 * 17.3 / 274.8)
    assert change.loc[("gwp", "manufacturing"), "change"] == 0
    assert pd.isna(change.loc[("adpe", "use"), "change_pct"])  # 0 -> 0


def test_compare_by_group_with_a_new_group(store, tiny_catalog):
    store.save(_assess(tiny_catalog, 2024, INVENTORY.iloc[:1]))
    store.save(_assess(tiny_catalog, 2025))
    change = store.compare(2024, 2025, by="entity").set_index(["entity", "criterion", "phase"])
    b = change.loc[("B", "gwp", "total")]
    assert (b["value_a"], b["value_b"]) == pytest.approx((0.0, 42.1)) and pd.isna(b["change_pct"])
    a = change.loc[("A", "gwp", "use")]
    assert (a["value_a"], a["value_b"]) == pytest.approx((10.0, 20.0))
    with pytest.raises(HistoryError, match="not grouped by 'site'"):
        store.compare(2024, 2025, by="site")


def test_unknown_or_ambiguous_year(store, tiny_catalog):
    store.save(_assess(tiny_catalog, 2025))
    with pytest.raises(HistoryError, match="saved years: 2025"):
        store.load(2023)
    other = assess_inputs({"equipment": DomainInputs.from_frame(INVENTORY)}, year=2025, catalog=tiny_catalog)
    other_id = store.save(other)  # same year, other scope (no grouping)
    with pytest.raises(HistoryError, match="--id"):
        store.load(2025)
    assert store.load(2025, assessment_id=other_id).by == ()


def _with_warnings(result, *warnings):
    from dataclasses import replace

    return replace(result, quality=replace(result.quality, warnings=tuple(warnings)))


def test_saved_warnings_keep_their_code_and_read_in_french(store, tiny_catalog):
    """Issue #8 item 18: ``history show`` printed the warnings in English under the French default."""
    from sobriete.notices import Notice
    from sobriete.report.messages import notice

    blank = Notice("blank_rows", "a.csv: 1 blank row(s) skipped", file="a.csv", count=1)
    store.save(_with_warnings(_assess(tiny_catalog, 2025), blank, "a plain sentence"))
    loaded = store.load(2025).quality.warnings
    assert [notice(w, "fr") for w in loaded] == ["a.csv : 1 ligne(s) vide(s) ignorée(s)", "a plain sentence"]
    assert loaded[0].code == "blank_rows" and loaded[0].params == {"file": "a.csv", "count": 1}


def test_item_labels_are_saved(store, tiny_catalog):
    result = _assess(tiny_catalog, 2025)
    store.save(result)
    assert store.load(2025).item_labels == result.item_labels and result.item_labels["laptop"]["fr"]


def test_version_1_database_is_migrated_to_the_current_schema(tmp_path, tiny_catalog):
    path = tmp_path / "v1.sqlite"
    with History(path) as h:
        h.save(_assess(tiny_catalog, 2024))
    engine = sa.create_engine(f"sqlite:///{path}")
    with engine.begin() as conn:  # back to the version-1 schema
        conn.execute(sa.text("ALTER TABLE assessments DROP COLUMN item_labels"))
        conn.execute(sa.text("UPDATE schema_version SET version = 1"))
    engine.dispose()
    with History(path) as h:
        assert h.schema_version() == SCHEMA_VERSION and h.load(2024).item_labels == {}
        h.save(_assess(tiny_catalog, 2025))
        assert h.load(2025).item_labels


def test_list_leaves_caveated_phases_out_unless_included(store, tiny_catalog):
    from sobriete.notices import Notice

    result = _assess(tiny_catalog, 2025)
    caveat = Notice("caveat", "gwp/end_of_life: unreliable", criterion="gwp", phase="end_of_life", share=3,
                    message="peu fiable", message_en="unreliable")
    store.save(_with_warnings(result, caveat))
    total = result.footprint.total()
    end_of_life = total.loc["gwp", "end_of_life"]
    assert end_of_life == pytest.approx(10 / 5 * 5 + 2 / 4 * 3)  # laptops 5 kg / 5 yr, monitors 3 kg / 4 yr
    listed = store.list()
    assert listed.loc[0, "total_gwp"] == pytest.approx(total.loc["gwp", "total"] - end_of_life)
    assert listed.loc[0, "caveated_gwp"] == pytest.approx(end_of_life)
    assert store.list(include_caveated=True).loc[0, "total_gwp"] == pytest.approx(total.loc["gwp", "total"])


def test_replace_returns_the_replaced_id(store, tiny_catalog):
    first = store.save(_assess(tiny_catalog, 2025))
    second = store.save(_assess(tiny_catalog, 2025), replace=True)
    assert (first, first.replaced, second, second.replaced) == (1, None, 2, 1)


def test_same_values_compare_as_no_change(store, tiny_catalog):
    from sobriete.history import compare_assessments

    result = _assess(tiny_catalog, 2025)
    assert (compare_assessments(result, result)["change"] == 0).all()


# --------------------------------------------------------------------------- compare --uncertainty (issue #14)
@pytest.fixture
def two_years(tmp_path):
    """Two saved years on the tiny catalog: 2024, 3 laptops bought
    in 2023; 2025, 2 laptops bought in 2024 and 4 monitors (the only ranged factor: monitor
    manufacturing gwp 50 kg in [40, 60])."""
    from click.testing import CliRunner

    from sobriete.cli import main

    files = {2024: tmp_path / "parc2024.csv", 2025: tmp_path / "parc2025.csv"}
    files[2024].write_text("category;quantity;purchase_year\nlaptop;3;2023\n", encoding="utf-8")
    files[2025].write_text("category;quantity;purchase_year\nlaptop;2;2024\nmonitor;4;2024\n", encoding="utf-8")
    db = str(tmp_path / "h.sqlite")
    runner = CliRunner()
    for year, path in files.items():
        result = runner.invoke(main, ["assess", str(path), "--year", str(year), "--save", "--db", db,
                                      "--factors-dir", "tests/data/tiny_factors"])
        assert result.exit_code == 0, result.output

    def compare(*options):
        return runner.invoke(main, ["history", "compare", "2024", "2025", "--db", db, "--factors-dir",
                                    "tests/data/tiny_factors", *options])

    return files, compare


def _gwp_change_row(output: str) -> list[str]:
    line = next(x for x in output.split("tirage par tirage")[1].splitlines() if x.startswith("gwp"))
    return line.split("  ")


def test_compare_uncertainty_needs_the_inputs_of_both_years(two_years):
    files, compare = two_years
    result = compare("--uncertainty", "50", "--inputs-a", str(files[2024]))
    assert result.exit_code == 2
    assert "--uncertainty demande les fichiers des deux années : --inputs-a CHEMIN et --inputs-b CHEMIN" in \
        result.output
    english = compare("--uncertainty", "50", "--lang", "en")
    assert "--uncertainty needs the inputs of both years" in english.output


def test_compare_uncertainty_hand_checked_and_same_seed_same_result(two_years):
    """2024 = 3 × (115/5 + 20 kWh × 0.05) = 72 kgCO2e; 2025 = 2 × (115/5 + 20 × 0.1) + 4 × (55/4 +
    73 kWh × 0.1) = 50 + 84.2 = 134.2: change +62.2. The monitors' manufacturing (4 × 50/4 = 50 kg)
    is drawn in [40, 60]: the change stays within [52.2, 72.2]."""
    files, compare = two_years
    options = ["--uncertainty", "400", "--seed", "7", "--inputs-a", str(files[2024]), "--inputs-b", str(files[2025])]
    first, again = compare(*options), compare(*options)
    assert first.exit_code == 0, first.output
    assert first.output == again.output
    cells = [c.strip() for c in _gwp_change_row(first.output) if c.strip()]
    assert cells[1] == "62,20"  # the computed change, as in the table above it
    assert "+62,20" in first.output.split("tirage par tirage")[0]
    low, high = (float(c.replace(",", ".")) for c in cells[3:5])
    assert 52.2 < low < 62.2 < high < 72.2
    assert cells[-1] == "0,0 %"  # the total went up in every draw
    assert "Attention" not in first.output  # the saved files themselves: no warning
    other = compare(*options[:3], "8", *options[4:])
    assert _gwp_change_row(other.output) != _gwp_change_row(first.output)


def test_compare_uncertainty_of_zero_width_is_the_deterministic_change(two_years, tmp_path):
    """Only laptops (no ranged factor) in both years: every draw gives the computed change,
    72 → 50 kgCO2e, so the interval is one point and the reduction is certain."""
    files, compare = two_years
    laptops = tmp_path / "laptops2025.csv"
    laptops.write_text("category;quantity;purchase_year\nlaptop;2;2024\n", encoding="utf-8")
    result = compare("--uncertainty", "50", "--inputs-a", str(files[2024]), "--inputs-b", str(laptops),
                     "--lang", "en")
    assert result.exit_code == 0, result.output
    line = next(x for x in result.output.split("draw by draw")[1].splitlines() if x.startswith("gwp"))
    cells = [c.strip() for c in line.split("  ") if c.strip()]
    assert cells[:5] == ["gwp", "-22.00", "-22.00", "-22.00", "-22.00"] and cells[-1] == "100.0%"
    # the 2025 file given is not the one saved: said on stderr, not on the report
    assert "Warning: the files given for 2025 do not hold the saved content of parc2025.csv" in result.stderr
    assert "Warning" not in result.stdout


def test_compare_uncertainty_in_html(two_years, tmp_path):
    from html import unescape

    files, compare = two_years
    out = tmp_path / "evolution.html"
    result = compare("--uncertainty", "50", "--inputs-a", str(files[2024]), "--inputs-b", str(files[2025]),
                     "--format", "html", "-o", str(out))
    assert result.exit_code == 0, result.output
    html = unescape(out.read_text(encoding="utf-8"))
    assert ">Évolution 2024 → 2025, tirage par tirage</h2>" in html and ">62,20<" in html and "P(baisse)" in html
