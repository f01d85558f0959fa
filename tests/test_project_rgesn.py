"""The RGESN 2024 checklist: shipped criteria, statuses, the official progress score."""

from __future__ import annotations

import pytest

from sobriete.project import ProjectError, load_project
from sobriete.project.rgesn import assess_checklist, load_criteria


def test_shipped_criteria_are_the_2024_edition():
    criteria = load_criteria()
    assert len(criteria) == 78 and criteria["criterion"].is_unique
    assert criteria["family"].nunique() == 9 and sorted(criteria["family_number"].unique()) == list(range(1, 10))
    assert criteria["priority"].value_counts().to_dict() == {"Prioritaire": 30, "Recommandé": 29, "Modéré": 19}
    assert set(criteria["weight"]) == {1.5, 1.25, 1.0}
    assert criteria["question"].str.endswith("?").all()


def test_score_follows_the_weighted_formula():
    # 1.1 Prioritaire (1.5) compliant, 1.3 Recommandé (1.25) not compliant, 1.7 Modéré not applicable
    c = assess_checklist({"1.1": "Conforme", "1.3": "non-conforme", "1.7": "N/A"})
    total = 30 * 1.5 + 29 * 1.25 + 19 * 1.0
    assert c.score == pytest.approx(1.5 / (total - 1.0))
    assert c.counts == {"conforme": 1, "non_conforme": 1, "non_applicable": 1, "a_evaluer": 75, "applicable": 77}
    assert "1.1" not in c.open_priority and len(c.open_priority) == 29


def test_all_compliant_scores_one_and_nothing_open():
    criteria = load_criteria()
    c = assess_checklist(dict.fromkeys(criteria["criterion"], "conforme"))
    assert c.score == 1.0 and c.open_priority == []


def test_errors_name_the_criterion_and_line():
    text = "name: x\nstart: 2026\nhorizon_years: 1\nvariants: [{name: v}]\nchecklist:\n  '1.1': conforme\n  '1.2': peut-être\n"
    project, source = load_project(text=text)
    with pytest.raises(ProjectError) as info:
        assess_checklist(project.checklist, source=source)
    assert info.value.row == 7 and info.value.params["field"] == "checklist.1.2"
    with pytest.raises(ProjectError, match="applies to every service"):
        assess_checklist({"1.1": "non applicable"})
    with pytest.raises(ProjectError, match="unknown RGESN criterion"):
        assess_checklist({"10.1": "conforme"})
