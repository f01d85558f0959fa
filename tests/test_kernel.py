"""The kernel: rejections collected once, chunking, pickling across processes, merged accounting."""

import inspect
import pickle

import numpy as np
import pandas as pd
import pytest

import sobriete as sb
from sobriete import errors, kernel
from sobriete.footprint import DataQuality
from sobriete.notices import Notice

# --------------------------------------------------------------------------- errors cross processes
EXAMPLES = {
    errors.SobrieteError: lambda: errors.SobrieteError("boom", file="a.csv", row=3, column="x", code="c", n=1),
    errors.UnknownNameError: lambda: errors.UnknownNameError("category", "phone", ["laptop"], file="a.csv", row=2,
                                                             hint="see {table}", table="t"),
    errors.UnknownCategoryError: lambda: errors.UnknownCategoryError("phone", ["laptop"], row=4),
    errors.UnknownZoneYearError: lambda: errors.UnknownZoneYearError("FR", 1999, ["FR 2024"]),
    errors.UnitError: lambda: errors.UnitError("furlong", "power", column="power"),
    errors.InputValueError: lambda: errors.InputValueError("bad", code="bad_value", value=1.5),
    errors.InputFormatError: lambda: errors.InputFormatError("empty", file="a.csv", code="empty_file"),
    errors.CatalogError: lambda: errors.CatalogError("broken", file="f.csv", row=2, code="x"),
    errors.DuplicateFactorError: lambda: errors.DuplicateFactorError("electricity", ("FR", 2024), [2, 5],
                                                                     file="e.csv"),
    errors.HistoryError: lambda: errors.HistoryError("locked", code="db_locked"),
    errors.ScheduleError: lambda: errors.ScheduleError("overlap", file="s.yaml", code="overlap"),
}


def test_every_error_class_has_an_example():
    classes = {c for _, c in inspect.getmembers(errors, inspect.isclass) if issubclass(c, errors.SobrieteError)}
    assert classes == set(EXAMPLES)


@pytest.mark.parametrize("cls", list(EXAMPLES), ids=lambda c: c.__name__)
def test_errors_round_trip_through_pickle(cls):
    error = EXAMPLES[cls]()
    back = pickle.loads(pickle.dumps(error))
    assert type(back) is cls
    assert str(back) == str(error)
    assert (back.code, back.params, back.file, back.row, back.column) == \
        (error.code, error.params, error.file, error.row, error.column)
    assert back.args == error.args


def test_unit_error_message_is_not_doubled_after_pickling():
    back = pickle.loads(pickle.dumps(errors.UnitError("furlong", "power")))
    assert str(back) == "bad unit 'furlong': expected a unit of power"


def test_footprint_and_quality_round_trip_through_pickle(tiny_catalog):
    inv = pd.DataFrame({"category": ["laptop", "phone", "monitor"], "quantity": [10, 1, 2],
                        "purchase_year": [2023, 2023, 2019], "entity": ["A", "B", "B"]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog, by="entity", detail=True)
    back = pickle.loads(pickle.dumps(fp))
    np.testing.assert_array_equal(back.values, fp.values)
    assert back.keys.equals(fp.keys)
    assert back.quality == fp.quality
    assert back.quality.rows_rejected == 1
    assert back.rows.equals(fp.rows)
    assert [getattr(w, "code", None) for w in back.quality.warnings] == \
        [getattr(w, "code", None) for w in fp.quality.warnings]


# --------------------------------------------------------------------------- rejections
def test_rejections_sorted_by_row_then_column_and_counted_once():
    rejections = kernel.Rejections(pd.Index([10, 11, 12, 13]), np.array(["a.csv"] * 4, dtype=object))
    rejections.add(np.array([3, 1]), "quantity", "bad_quantity", "quantity is not a number", ["x", "y"])
    rejections.add(np.array([1]), "category", "unknown_category", "unknown category", ["phone"])
    frame = rejections.frame()
    assert frame["row"].tolist() == [11, 11, 13]
    assert frame["column"].tolist() == ["category", "quantity", "quantity"]
    assert frame["value"].tolist() == ["phone", "y", "x"]
    assert frame["file"].tolist() == ["a.csv"] * 3
    assert len(rejections) == 2
    assert rejections.frame() is frame  # built once, whatever the number of readers


def test_row_checker_first_problem_wins_and_reconciles():
    frame = pd.DataFrame({"n": ["1", "x", "inf", "-2", None]})
    check = kernel.RowChecker(frame)
    values = check.number(frame["n"], "n", what="count", required=True)
    quality = check.quality({}, [])
    assert (quality.rows_read, quality.rows_assessed, quality.rows_rejected) == (5, 1, 4)
    assert quality.rejected["reason_code"].tolist() == ["bad_n", "infinite_n", "negative_n", "missing_n"]
    assert values[0] == 1.0


def test_chunks_read_chunk_rows_at_call_time(monkeypatch):
    monkeypatch.setattr(kernel, "CHUNK_ROWS", 3)
    assert [(s.start, s.stop) for s in kernel.chunks(7)] == [(0, 3), (3, 6), (6, 7)]


def test_results_do_not_depend_on_the_chunk_size(monkeypatch, tiny_catalog):
    """Rows, rejections and groups that straddle chunk boundaries give the same result."""
    rng = np.random.default_rng(3)
    n = 101
    inv = pd.DataFrame({
        "category": rng.choice(["laptop", "monitor", "phone", None], n),
        "quantity": rng.choice(["1", "2", "x", "-1", "inf", "1e308"], n),
        "purchase_year": rng.choice([2019.0, 2023.0, 2025.0, np.nan, 1900.0], n),
        "status": rng.choice(["in_service", "in_stock", "En réparation", "lost", None], n),
        "entity": rng.choice(["A", "B", "C"], n),
    })
    whole = sb.assess_equipment_years(inv, [2024, 2025], catalog=tiny_catalog, by="entity")
    monkeypatch.setattr(kernel, "CHUNK_ROWS", 7)
    chunked = sb.assess_equipment_years(inv, [2024, 2025], catalog=tiny_catalog, by="entity")
    prepared = sb.prepare_equipment(inv, tiny_catalog, by="entity")
    assert len(list(kernel.chunks(n))) == 15
    for year in (2024, 2025):
        np.testing.assert_allclose(chunked[year].values, whole[year].values, rtol=1e-12)
        assert chunked[year].quality == whole[year].quality
        np.testing.assert_allclose(prepared.evaluate(year).values, whole[year].values, rtol=1e-12)
    quality = whole[2025].quality
    assert quality.rows_read == n == quality.rows_assessed + quality.rows_rejected
    assert quality.rows_rejected == quality.rejected["row"].nunique() > 0


# --------------------------------------------------------------------------- accounting
def test_combine_sums_counts_concatenates_rejections_and_dedups_warnings():
    rejected = pd.DataFrame({"file": ["a"], "row": [1], "column": ["x"], "value": [1], "reason_code": ["c"],
                             "reason": ["r"]})
    a = DataQuality(3, 2, 1, rejected, {"undated_rows": 1, "rows_in_stock": 2}, (Notice("n", "w"),))
    b = DataQuality(4, 3, 1, rejected.assign(row=[7]), {"undated_rows": 5}, ("w", "v"))
    both = DataQuality.combine(a, b)
    assert (both.rows_read, both.rows_assessed, both.rows_rejected) == (7, 5, 2)
    assert both.counts == {"undated_rows": 6, "rows_in_stock": 2}
    assert both.warnings == ("w", "v")
    assert both.rejected["row"].tolist() == [1, 7]
    assert a + b == both
    assert DataQuality.combine() == DataQuality()


def test_followed_by_chains_reading_and_engine():
    read = DataQuality(10, 8, 2, counts={"blank_rows": 1})
    engine = DataQuality(8, 5, 3, counts={"undated_rows": 2, "blank_rows": 1})
    both = read.followed_by(engine)
    assert (both.rows_read, both.rows_assessed, both.rows_rejected) == (10, 5, 5)
    assert both.counts == {"blank_rows": 2, "undated_rows": 2}
    with pytest.raises(errors.InputValueError, match="engine read 7 rows but the reading step accepted 8"):
        read.followed_by(DataQuality(7, 7, 0))


def test_make_footprint_refuses_a_non_finite_result(tiny_catalog):
    with pytest.raises(errors.InputValueError, match="not finite"):
        kernel.make_footprint(values=np.full((1, 2, 4), np.inf), uncovered=np.zeros((1, 2, 4)),
                              energy_kwh=np.zeros(1), keys=pd.DataFrame(index=range(1)), catalog=tiny_catalog,
                              meta={}, quality=DataQuality())


def test_engine_shim_keeps_the_former_names():
    from sobriete import _engine

    for name in ("RowChecker", "build_footprint", "CellSums", "ZoneColumn", "prepare", "prepared_grid", "zone_codes",
                 "empty_values", "_Rejections", "_CodeColumn", "_NumberColumn", "_read_only", "_keys_frame",
                 "_lookup", "group_codes", "CHUNK_ROWS"):
        assert hasattr(_engine, name), name


def test_many_groups_are_summed_by_column_with_the_same_result(monkeypatch):
    """A key with as many values as rows (asset ids): the sums avoid groups × categories cells."""
    from sobriete.equipment import _Sums, _tables

    catalog = sb.load_catalog()
    rng = np.random.default_rng(5)
    n = 20
    inv = pd.DataFrame({"category": rng.choice(["laptop", "monitor", "smartphone", "server_rack"], n),
                        "quantity": rng.integers(1, 5, n), "purchase_year": rng.integers(2018, 2026, n),
                        "condition": rng.choice(["new", "refurbished"], n), "asset": [f"PC{i:03d}" for i in range(n)]})
    monkeypatch.setattr(kernel, "CHUNK_ROWS", 7)
    tables = catalog.prepared(_tables)
    assert _Sums([2025], n, tables, np.arange(len(catalog.zones)), n).by_column
    inv.loc[3, "category"] = "téléphone à cadran"  # rejected: asset PC003 has no group
    fp = sb.assess_equipment(inv, 2025, catalog=catalog, by="asset")
    assert fp.keys["asset"].tolist() == [a for a in inv["asset"] if a != "PC003"]
    for g, asset in enumerate(fp.keys["asset"]):
        alone = sb.assess_equipment(inv[inv["asset"] == asset], 2025, catalog=catalog)
        np.testing.assert_allclose(fp.values[g], alone.values[0], rtol=1e-12)
        np.testing.assert_array_equal(fp.uncovered[g], alone.uncovered[0])
        assert fp.energy_kwh[g] == pytest.approx(alone.energy_kwh[0], rel=1e-12)


@pytest.mark.parametrize("reject", [False, True])
def test_summing_by_column_over_several_chunks_equals_summing_by_cell(monkeypatch, reject):
    """Many groups (sites, several rows each, in chunks of 7 rows summed 240 at a time): the sums
    by column (the result's layout filled in place, columns zero for most rows summed over the
    others) equal the sums by (group, category) cell, for several years, two electricity zones,
    devices in stock, prepared evaluations and rows without a factor."""
    from sobriete.equipment import _Sums, _tables

    catalog = sb.load_catalog()
    rng = np.random.default_rng(11)
    n, sites = 300, 60
    inv = pd.DataFrame({"category": rng.choice(["laptop", "monitor", "server_rack", "ups"], n, p=[.6, .3, .07, .03]),
                        "quantity": rng.integers(1, 5, n), "purchase_year": rng.integers(2016, 2026, n),
                        "condition": rng.choice(["new", "refurbished"], n), "site": rng.integers(0, sites, n),
                        "zone": rng.choice(["FR", "DE"], n), "status": rng.choice(["in_service", "in_stock"], n)})
    if reject:
        inv.loc[inv["site"] == 4, "category"] = "téléphone à cadran"  # site 4 has no assessed row
    tables = catalog.prepared(_tables)
    monkeypatch.setattr(kernel, "CHUNK_ROWS", 7)
    assert _Sums([2025], sites, tables, np.arange(1), n).by_column
    assert _Sums([2025], sites, tables, np.arange(2), n)._flush_rows == 4 * sites  # summed 240 rows at a time
    years = [2020, 2025, 2030]
    by_column = sb.assess_equipment_years(inv, years, catalog=catalog, by="site")
    evaluated = sb.prepare_equipment(inv, catalog, by="site").evaluate(2025, overrides=sb.Overrides(
        lifetime_years={"laptop": 7.0}))
    monkeypatch.setattr(kernel, "CHUNK_ROWS", 10**9)  # now summed by (group, category) cell
    assert not _Sums([2025], sites, tables, np.arange(1), n).by_column
    by_cell = sb.assess_equipment_years(inv, years, catalog=catalog, by="site")
    for y in years:
        assert by_column[y].keys["site"].tolist() == by_cell[y].keys["site"].tolist()
        assert (4 in by_column[y].keys["site"].tolist()) is not reject
        np.testing.assert_allclose(by_column[y].values, by_cell[y].values, rtol=1e-12, atol=0)
        np.testing.assert_array_equal(by_column[y].uncovered, by_cell[y].uncovered)
        assert by_column[y].uncovered.any()  # the UPS and rack rows miss factors
    direct = sb.assess_equipment(inv.assign(lifetime_years=np.where(inv["category"] == "laptop", 7.0, np.nan)), 2025,
                                 catalog=catalog, by="site")
    np.testing.assert_allclose(evaluated.values, direct.values, rtol=1e-12, atol=0)


@pytest.mark.parametrize("values", [[5, 3, 5, 9, 3], [2**40, 7, 2**40], [-4, 0, -4], np.array([3, 1], dtype=np.uint16),
                                    np.array([127, -128, 0], dtype=np.int8), np.array([2**64 - 1, 2**64 - 3], dtype=np.uint64)])
def test_group_codes_of_integer_keys_are_sorted_ranks(values):
    codes, uniques = kernel.group_codes(pd.DataFrame({"k": values}), ["k"])
    expected_codes, expected_uniques = pd.factorize(pd.Series(values), sort=True)
    assert codes.tolist() == expected_codes.tolist()
    assert uniques[0].tolist() == expected_uniques.tolist()
