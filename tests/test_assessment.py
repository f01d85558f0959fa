"""Assessment orchestration: hand-computed totals on the tiny catalog, combined accounting."""

import hashlib

import numpy as np
import pandas as pd
import pytest

from sobriete.assessment import DOMAINS, DomainInputs, InputFile, assess_inputs
from sobriete.errors import UnknownNameError
from sobriete.footprint import DataQuality

INVENTORY = pd.DataFrame({"category": ["laptop", "monitor", "tablet", "laptop"], "quantity": [10, 2, 1, -1],
                          "purchase_year": [2024, 2023, 2024, 2024], "entity": ["A", "B", "A", "B"]})


@pytest.fixture
def result(tiny_catalog):
    return assess_inputs({"equipment": DomainInputs.from_frame(INVENTORY)}, year=2025, by=["entity"],
                         catalog=tiny_catalog)


def test_hand_computed_totals(result):
    # laptop: 10 x 1/5 of (100, 10, 5) kg + 10 x 20 kWh x 0.1; monitor: 2 x 1/4 of (50, 2, 3) + 2 x 73 kWh x 0.1
    total = result.footprint.total()
    assert total.loc["gwp", ["manufacturing", "distribution", "use", "end_of_life"]].tolist() == \
        pytest.approx([200 + 25, 20 + 1, 20 + 14.6, 10 + 1.5])
    assert total.loc["gwp", "total"] == pytest.approx(292.1)
    by_entity = result.footprint.table("gwp").set_index("entity")["total"]
    assert by_entity.to_dict() == pytest.approx({"A": 250.0, "B": 42.1})


def test_rows_reconcile_and_provenance(result, tiny_catalog):
    q = result.quality
    assert (q.rows_read, q.rows_assessed, q.rows_rejected) == (4, 2, 2)
    assert sorted(q.rejected["reason_code"]) == ["negative_quantity", "unknown_category"]
    assert result.catalog_hash == tiny_catalog.hash and result.catalog_version == "test-1"
    assert result.criterion_label("gwp", "en") == "Climate change"
    assert result.scope == {"by": ["entity"], "inputs": []}


def test_reader_rejections_are_combined(tiny_catalog):
    rejected = pd.DataFrame({"file": ["a.csv"], "row": [7], "column": ["quantity"], "value": ["x"],
                             "reason_code": ["bad_number"], "reason": ["unreadable number"]})
    read = DataQuality(rows_read=5, rows_assessed=4, rows_rejected=1, rejected=rejected)
    result = assess_inputs({"equipment": DomainInputs(INVENTORY, read)}, year=2025, catalog=tiny_catalog)
    q = result.quality
    assert (q.rows_read, q.rows_assessed, q.rows_rejected) == (5, 2, 3)
    assert set(q.rejected["reason_code"]) == {"bad_number", "negative_quantity", "unknown_category"}


def test_domains_side_by_side_sum_to_the_total(tiny_catalog, monkeypatch):
    """A second domain with the same Footprint structure is reported apart and in total."""
    monkeypatch.setitem(DOMAINS, "other", DOMAINS["equipment"])
    frame = DomainInputs.from_frame(INVENTORY.iloc[:2])
    result = assess_inputs({"equipment": frame, "other": frame}, year=2025, by="entity", catalog=tiny_catalog)
    parts = [fp.total()["total"].to_numpy() for fp in result.footprints.values()]
    np.testing.assert_allclose(result.footprint.total()["total"].to_numpy(), parts[0] + parts[1])
    assert set(result.to_frame()["domain"]) == {"equipment", "other"}
    assert result.quality.rows_read == 4


def test_bad_choices_name_the_valid_ones(tiny_catalog):
    data = {"equipment": DomainInputs.from_frame(INVENTORY)}
    with pytest.raises(UnknownNameError, match="amortised"):
        assess_inputs(data, year=2025, allocation="linear", catalog=tiny_catalog)
    with pytest.raises(UnknownNameError, match="entity"):
        assess_inputs(data, year=2025, by="site", catalog=tiny_catalog)
    with pytest.raises(UnknownNameError, match="equipment"):
        assess_inputs({"water": data["equipment"]}, year=2025, catalog=tiny_catalog)


def test_input_file_hash(tmp_path):
    path = tmp_path / "inv.csv"
    path.write_bytes(b"category\nlaptop\n")
    info = InputFile.from_path(path)
    assert info == InputFile("inv.csv", hashlib.sha256(b"category\nlaptop\n").hexdigest(), 16)
