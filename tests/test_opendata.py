"""Open-data export: a Frictionless data package validated with the ``frictionless`` library,
whose values add up to the assessment's totals and whose factors all cite a listed source."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

from sobriete.assessment import DomainInputs, assess_inputs
from sobriete.cli import main
from sobriete.errors import InputValueError
from sobriete.report.opendata import DESCRIPTOR_FILE, FACTORS_FILE, RESULTS_FILE, SOURCES_FILE, write_datapackage

frictionless = pytest.importorskip("frictionless")


@pytest.fixture(scope="module")
def tiny(tiny_catalog):
    frame = pd.DataFrame({"category": ["laptop", "monitor", "laptop"], "quantity": [2, 1, 1],
                          "purchase_year": [2024, 2023, 2024], "entity": ["=1+1", "Commune, \"B\"", "02100"]})
    return assess_inputs({"equipment": DomainInputs.from_frame(frame)}, year=2025, by="entity", catalog=tiny_catalog)


@pytest.fixture(scope="module")
def package(tiny, tiny_catalog, tmp_path_factory):
    folder = tmp_path_factory.mktemp("opendata")
    path = write_datapackage(tiny, folder, catalog=tiny_catalog)
    return folder, path


def test_package_is_valid_for_frictionless(package):
    _, path = package
    report = frictionless.validate(str(path))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    descriptor = json.loads(path.read_text(encoding="utf-8"))
    assert [r["path"] for r in descriptor["resources"]] == [RESULTS_FILE, FACTORS_FILE, SOURCES_FILE]
    assert descriptor["profile"] == "tabular-data-package"


def test_results_add_up_to_the_assessment_totals(package, tiny):
    folder, _ = package
    results = pd.read_csv(folder / RESULTS_FILE, dtype={"entity": str})
    totals = results.groupby("criterion")["value"].sum()
    expected = tiny.footprint.total()["total"]
    for criterion in expected.index:
        assert totals[criterion] == pytest.approx(expected[criterion], rel=1e-12)
    # laptops 2 x 25 + 25; monitor bought 2023, 4 years: (50+2+3)/4 + 50 W x 4 h x 365 d x 0.1 / 1000
    assert totals["gwp"] == pytest.approx(75.0 + 55.0 / 4 + 7.3)
    assert set(results["entity"]) == {"=1+1", "Commune, \"B\"", "02100"}  # text kept as text, leading zero too
    assert set(results["year"]) == {2025}


def test_every_factor_cites_a_listed_source(package):
    folder, _ = package
    factors = pd.read_csv(folder / FACTORS_FILE)
    sources = pd.read_csv(folder / SOURCES_FILE)
    assert len(factors) and set(factors["source_id"]) <= set(sources["source_id"])
    laptop = factors[(factors["table"] == "equipment_impacts") & factors["factor"].str.startswith("laptop/gwp/")]
    assert sorted(laptop["factor"]) == ["laptop/gwp/distribution", "laptop/gwp/end_of_life", "laptop/gwp/manufacturing"]


def test_a_broken_foreign_key_is_caught_by_the_validation(package, tmp_path):
    """The validation really checks the references: a factor citing an unknown source fails."""
    folder, path = package
    for name in (RESULTS_FILE, FACTORS_FILE, SOURCES_FILE, DESCRIPTOR_FILE):
        (tmp_path / name).write_bytes((folder / name).read_bytes())
    factors = pd.read_csv(tmp_path / FACTORS_FILE)
    factors.loc[0, "source_id"] = "nowhere"
    factors.to_csv(tmp_path / FACTORS_FILE, index=False)
    assert not frictionless.validate(str(tmp_path / DESCRIPTOR_FILE)).valid


def test_another_catalog_is_refused(tiny, catalog, tmp_path):
    with pytest.raises(InputValueError, match="not the one the assessment used"):
        write_datapackage(tiny, tmp_path, catalog=catalog)


def test_assess_writes_the_package_of_the_example(tmp_path):
    result = CliRunner().invoke(main, ["assess", "examples/2025/", "--year", "2025", "--by", "entity",
                                       "--datapackage", str(tmp_path / "donnees"), "--format", "json",
                                       "-o", str(tmp_path / "bilan.json")])
    assert result.exit_code == 1, result.output  # rejected rows on purpose
    report = frictionless.validate(str(tmp_path / "donnees" / DESCRIPTOR_FILE))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    document = json.loads((tmp_path / "bilan.json").read_text(encoding="utf-8"))
    results = pd.read_csv(tmp_path / "donnees" / RESULTS_FILE)
    gwp = results.loc[results["criterion"] == "gwp", "value"].sum()
    assert gwp == pytest.approx(document["totals"]["gwp"]["value"], rel=1e-9)
    assert set(results["domain"]) == {"equipment", "traffic", "lines", "hosting", "lighting"}


def test_a_file_as_output_is_one_french_sentence(tiny, tiny_catalog, tmp_path):
    from sobriete.report import error_text

    target = tmp_path / "donnees.csv"
    target.write_text("x", encoding="utf-8")
    with pytest.raises(InputValueError) as caught:
        write_datapackage(tiny, target, catalog=tiny_catalog)
    assert "les données ouvertes s'écrivent dans un dossier" in error_text(caught.value, "fr")
    assert target.read_text(encoding="utf-8") == "x"  # nothing overwritten
