"""Tornado parameters named in the reader's language (catalog labels, criterion and phase names)."""

from __future__ import annotations

from sobriete import load_catalog
from sobriete.assessment import _item_labels
from sobriete.report.project_labels import parameter_label


def test_catalog_factor_ids_read_as_table_item_phase_and_criterion():
    labels = _item_labels(load_catalog())
    laptop = labels["laptop"]
    assert parameter_label("equipment_impacts/laptop/gwp/manufacturing", "fr", labels) == \
        f"Impact de l'équipement : {laptop['fr']} · Fabrication (Climat)"
    assert parameter_label("refurbished/laptop/gwp/manufacturing", "en", labels) == \
        f"Refurbished share: {laptop['en']} · Manufacturing (Climate)"
    assert parameter_label("electricity/FR/2025/mix/gwp", "fr") == "Facteur de l'électricité : FR 2025 (Climat)"


def test_assumptions_read_as_kind_year_and_field_and_unknown_names_stay():
    assert parameter_label("lifetime (2028) lifetime_years") == "durée de vie (2028) : durée de vie [an]"
    assert parameter_label("service (2026) users", "en") == "service (2026): users"
    assert parameter_label("Mon changement (2027) gb_per_year") == "Mon changement (2027) : trafic [Go/an]"
    assert parameter_label("unknown_table/x/y") == "unknown_table/x/y"
