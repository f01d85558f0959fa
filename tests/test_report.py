"""Reports: French/English text, JSON structure with hand-computed values, spreadsheet safety."""

import io
import re
import json

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sobriete import report
from sobriete.assessment import DomainInputs, assess_inputs
from sobriete.report.history import render_comparison
from sobriete.report.messages import MESSAGES, REASONS

INVENTORY = pd.DataFrame({"category": ["laptop", "monitor", "tablet", "laptop"], "quantity": [10, 2, 1, -1],
                          "purchase_year": [2024, 2023, 2024, 2024],
                          "entity": ["=HYPERLINK(\"http://x\")", "+B", "A", "A"]})


@pytest.fixture
def result(tiny_catalog):
    return assess_inputs({"equipment": DomainInputs.from_frame(INVENTORY)}, year=2025, by=["entity"],
                         catalog=tiny_catalog)


def test_catalogues_have_the_same_keys():
    assert MESSAGES["fr"].keys() == MESSAGES["en"].keys()
    assert REASONS["fr"].keys() == REASONS["en"].keys()


def test_french_table(result):
    text = report.render_table(result)
    assert "Lignes lues : 4 = 2 évaluées + 2 rejetées" in text
    assert "Changement climatique" in text and "292,1" in text  # French decimal comma
    assert "quantité négative" in text and "catégorie inconnue" in text
    assert "Allocation des impacts de fabrication : amortie sur la durée de vie" in text and "test-1" in text
    assert "85,6 %" in text  # top contributor share: 250 / 292.1


def test_english_table(result):
    text = report.render_table(result, lang="en")
    assert "Rows read: 4 = 2 assessed + 2 rejected" in text
    assert "Climate change" in text and "292.1" in text and "quantity is negative" in text


def test_thousands_are_grouped_in_french():
    assert report.format_number(1234567.25) == "1 234 567,2"
    assert report.format_number(1234567.25, "en") == "1,234,567.2"


def test_json_document(result):
    doc = json.loads(report.to_json(result))
    assert doc["year"] == 2025 and doc["allocation"] == "amortised"
    assert doc["catalog"]["version"] == "test-1" and len(doc["catalog"]["hash"]) == 64
    gwp = doc["totals"]["gwp"]
    assert gwp["unit"] == "kgCO2e" and gwp["value"] == pytest.approx(292.1)
    assert gwp["phases"] == pytest.approx({"manufacturing": 225, "distribution": 21, "use": 34.6,
                                           "end_of_life": 11.5})
    assert doc["totals"]["adpe"]["complete"] is False
    groups = {g["entity"]: g["totals"]["gwp"]["value"] for g in doc["groups"]["entity"]}
    assert groups == pytest.approx({"=HYPERLINK(\"http://x\")": 250.0, "+B": 42.1})
    assert doc["rows"] == {"read": 4, "assessed": 2, "rejected": 2, "undated": 0}
    assert doc["rejected"]["count"] == 2 and doc["rejected"]["truncated"] == 0
    assert {r["reason_code"] for r in doc["rejected"]["rows"]} == {"unknown_category", "negative_quantity"}
    # adpe has no factor for some phases in the tiny catalog: one notice, in English and in French
    assert len(doc["warnings"]) == len(doc["warnings_text"]) == 1
    assert doc["warnings"][0].startswith("equipment: adpe: no factor for manufacturing (1 row(s))")
    assert "valeur minorée" in doc["warnings_text"][0]


def test_json_rejections_are_truncated_with_a_count(result):
    doc = report.to_dict(result, max_rejected=1)
    assert len(doc["rejected"]["rows"]) == 1 and doc["rejected"]["truncated"] == 1


def test_csv_is_neutralised_and_numbers_stay_numbers(result):
    text = report.write_csv(result, lang="en")
    frame = pd.read_csv(io.StringIO(text))
    assert set(frame["entity"]) == {"'=HYPERLINK(\"http://x\")", "'+B"}
    assert frame["value"].dtype == float
    assert frame.loc[(frame["entity"] == "'+B") & (frame["criterion"] == "gwp"), "value"].sum() == \
        pytest.approx(42.1)
    french = pd.read_csv(io.StringIO(report.write_csv(result)), sep=";", decimal=",")
    assert french["value"].sum() == pytest.approx(frame["value"].sum())


def test_xlsx_is_neutralised(result, tmp_path):
    path = tmp_path / "out.xlsx"
    report.write_xlsx(result, path)
    book = openpyxl.load_workbook(path)
    cells = [c for row in book["Résultats"].iter_rows() for c in row]
    assert not any(c.data_type == "f" for sheet in book for row in sheet.iter_rows() for c in row)
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert "'=HYPERLINK(\"http://x\")" in texts and "'+B" in texts
    header = [c.value for c in next(book["Résultats"].iter_rows())]
    rows = [dict(zip(header, r)) for r in book["Résultats"].iter_rows(min_row=2, values_only=True)]
    assert all(isinstance(r["Valeur"], (int, float)) for r in rows)  # numbers stay numbers, not text
    assert sum(r["Valeur"] for r in rows if r["Entité"] == "'+B" and r["Critère"] == "Climat") == \
        pytest.approx(42.1)  # monitor: 25 + 1 + 14.6 + 1.5
    rejected = book["Lignes rejetées"]
    assert rejected.max_row == 3  # header + 2


@pytest.mark.parametrize("cell", ["=1+1", "+1", "-1+2", "@SUM(A1)", "\tx", "\rx"])
def test_every_formula_prefix_is_neutralised(cell):
    out = report.neutralise(pd.DataFrame({"a": [cell], "n": [-1.0]}))
    assert out.loc[0, "a"] == "'" + cell and out.loc[0, "n"] == -1.0



def test_comparison_signs_decreases_and_new_groups():
    frame = pd.DataFrame({"entity": ["A", "B"], "criterion": ["gwp", "gwp"], "phase": ["use", "total"],
                          "unit": ["kgCO2e", "kgCO2e"], "value_a": [1234.5, 0.0], "value_b": [987.6, 42.1],
                          "change": [-246.9, 42.1], "change_pct": [-20.0, float("nan")]})
    lines = render_comparison(frame, 2024, 2025).splitlines()
    assert lines[0] == "Évolution 2024 → 2025"
    a = next(line for line in lines if line.startswith("A "))
    assert re.split(r"\s{2,}", a)[-4:] == ["1 234,5", "987,6", "-246,9", "-20,0 %"]  # a decrease has no '+'
    b = next(line for line in lines if line.startswith("B "))
    assert b.split()[-4:] == ["0", "42,10", "+42,10", "–"]  # new group: no percentage
    english = render_comparison(frame, 2024, 2025, lang="en")
    assert "1,234.5" in english and "-20.0%" in english and "Change 2024 → 2025" in english


def test_every_row_rejection_of_the_domains_has_a_french_reason():
    """Lighting, hosting and network rejections were shown in English to French users."""
    from sobriete.report.messages import reason

    for code, english in [("unknown_schedule", "unknown schedule (known: default)"),
                          ("bad_latitude", "latitude must be in [-90, 90]"),
                          ("missing_pue", "no PUE"), ("bad_unit", "unit is not a data volume"),
                          ("negative_volume", "volume must be ≥ 0"), ("unknown_technology", "unknown technology")]:
        assert reason(code, english, "fr") != english and reason(code, english, "en") != reason(code, english, "fr")


# ---------------------------------------------------------------- caveats, coverage, groups (issues #8, #12)
def _caveated(result):
    from dataclasses import replace

    from sobriete.notices import Notice

    caveat = Notice("caveat", "gwp/end_of_life: unreliable (3 % of the gwp total)", criterion="gwp",
                    phase="end_of_life", share=3, message="la source la juge peu fiable", message_en="unreliable")
    return replace(result, quality=replace(result.quality, warnings=(*result.quality.warnings, caveat)))


def test_headline_sets_the_caveated_phase_apart_and_the_parts_add_up(result):
    from sobriete.report.caveats import headline

    caveated = _caveated(result)
    head = headline(caveated)
    end_of_life = 10 / 5 * 5 + 2 / 4 * 3  # laptops 5 kg / 5 yr, monitors 3 kg / 4 yr [kgCO2e]
    assert head.set_apart[["domain", "criterion", "phase"]].values.tolist() == [["equipment", "gwp", "end_of_life"]]
    assert head.set_apart["value"].iloc[0] == pytest.approx(end_of_life)
    kept = head.assessment.footprint.total()
    assert kept.loc["gwp", "end_of_life"] == 0
    assert kept.loc["gwp", "total"] == pytest.approx(292.1 - end_of_life)
    assert kept.loc["adpe", "total"] == result.footprint.total().loc["adpe", "total"]  # other criteria untouched
    included = headline(caveated, include_caveated=True)
    assert included.included and included.assessment is caveated and len(included.set_apart) == 1


def test_caveated_phase_out_of_every_format(result, tmp_path):
    caveated = _caveated(result)
    end_of_life = 10 / 5 * 5 + 2 / 4 * 3
    doc = report.to_dict(caveated)
    assert doc["totals"]["gwp"]["value"] == pytest.approx(292.1 - end_of_life)
    assert doc["caveated"]["included"] is False
    assert doc["caveated"]["set_apart"][0]["value"] == pytest.approx(end_of_life)
    assert report.to_dict(caveated, include_caveated=True)["totals"]["gwp"]["value"] == pytest.approx(292.1)
    text = report.render_table(caveated)
    assert "Mis à part, non compté dans les totaux" in text and "la source la juge peu fiable" in text
    assert "Set apart, not counted" in report.render_table(caveated, lang="en")
    frame = pd.read_csv(io.StringIO(report.write_csv(caveated, lang="en")))
    gwp = frame[frame["criterion"] == "gwp"]
    assert gwp["value"].sum() == pytest.approx(292.1 - end_of_life)
    assert gwp["value_caveated"].sum() == pytest.approx(end_of_life)
    assert gwp.loc[gwp["value_caveated"].notna(), "caveat"].str.contains("unreliable").all()
    path = tmp_path / "out.xlsx"
    report.write_xlsx(caveated, path)
    book = openpyxl.load_workbook(path)
    rows = list(book["Mis à part"].iter_rows(values_only=True))
    assert rows[0][:4] == ("Domaine", "Critère", "Phase", "Valeur") and rows[1][:3] == ("Équipements", "Climat",
                                                                                         "Fin de vie")
    assert rows[1][3] == pytest.approx(end_of_life)


def test_coverage_hand_checked(result):
    from sobriete.report.quality import coverage_frame, coverage_table

    frame = coverage_frame(result).set_index(["criterion", "phase"])
    # 2 rows assessed: the laptop has adpe for manufacturing only, the monitor no adpe at all
    assert frame.loc[("adpe", "manufacturing"), "covered_share"] == 0.5
    assert frame.loc[("adpe", "distribution"), "covered_share"] == 0.0
    assert frame.loc[("gwp", "manufacturing"), "covered_share"] == 1.0
    table = coverage_table(result)
    assert "Ressources abiotiques" in table and "50,0 %" in table and "Climat" not in table


def test_missing_factor_warnings_give_way_to_the_coverage_table(result):
    text = report.render_table(result)
    assert "Couverture des facteurs" in text and "pas de facteur pour" not in text


def test_groups_table_top_and_others_add_up(result):
    text = report.render_table(result, top=1)
    lines = text.splitlines()
    start = lines.index(next(line for line in lines if line.startswith("Par entité : 2 groupe(s)")))
    assert lines[start + 3].split() == ["=HYPERLINK(\"http://x\")", "250,0", "85,6", "%"]
    assert lines[start + 4].split()[:5] == ["…", "et", "1", "autres", "42,10"]
    assert lines[start + 5].split() == ["Total", "292,1", "100,0", "%"]


def test_comparison_uses_labels(result):
    from sobriete.history import compare_assessments

    frame = compare_assessments(result, result, by="domain")
    text = render_comparison(frame, 2025, 2025)
    assert "Équipements" in text and "Climat" in text and "equipment" not in text and " gwp " not in text


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(quantities=st.lists(st.integers(0, 50), min_size=1, max_size=6),
       cell=st.sampled_from([(c, p) for c in ("gwp", "adpe") for p in ("manufacturing", "distribution", "use",
                                                                         "end_of_life")]))
def test_headline_parts_add_up_for_any_caveated_cell(tiny_catalog, quantities, cell):
    """Property: for any inventory and caveated criterion × phase, the totals without it plus the
    values set apart give the full totals, per domain and criterion, and nothing else moves."""
    from dataclasses import replace

    from sobriete.notices import Notice
    from sobriete.report.caveats import headline

    frame = pd.DataFrame({"category": ["laptop", "monitor"] * 3, "quantity": [0] * 6,
                          "purchase_year": [2021, 2022, 2023, 2024, 2025, 2020], "entity": list("ABCABC")})
    frame = frame.head(len(quantities)).assign(quantity=quantities)
    result = assess_inputs({"equipment": DomainInputs.from_frame(frame)}, year=2025, by=["entity"],
                           catalog=tiny_catalog)
    criterion, phase = cell
    caveat = Notice("caveat", "x", criterion=criterion, phase=phase, share=0, message="x", message_en="x")
    result = replace(result, quality=replace(result.quality, warnings=(caveat,)))
    head = headline(result)
    full, kept = result.footprint.total(), head.assessment.footprint.total()
    apart = head.set_apart.groupby("criterion")["value"].sum()
    for c in full.index:
        assert kept.loc[c, "total"] + apart.get(c, 0.0) == pytest.approx(full.loc[c, "total"])
        for p in ("manufacturing", "distribution", "use", "end_of_life"):
            expected = 0.0 if (c, p) == cell else full.loc[c, p]
            assert kept.loc[c, p] == pytest.approx(expected)
    groups = report.to_dict(result)["groups"]["entity"]
    assert sum(g["totals"][criterion]["value"] for g in groups) == pytest.approx(kept.loc[criterion, "total"])
