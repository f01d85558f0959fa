"""Warnings carry a code so that reports can say them in French."""

import pickle

import pandas as pd

import sobriete as sb
from sobriete.notices import Notice, prefixed
from sobriete.report.messages import notice


def test_engine_missing_factors_are_one_notice_per_criterion(tiny_catalog):
    inv = pd.DataFrame({"category": ["monitor", "monitor"], "purchase_year": [2024, 2025]})
    fp = sb.assess_equipment(inv, 2025, catalog=tiny_catalog)
    (adpe,) = [w for w in fp.quality.warnings if getattr(w, "code", "") == "missing_factor"]
    # the tiny catalog has no adpe factor for monitors (3 embodied phases) nor FR electricity (use)
    assert adpe.params == {"criterion": "adpe", "rows": {"manufacturing": 2, "distribution": 2, "use": 2,
                                                         "end_of_life": 2}}
    assert notice(adpe, "fr") == ("ressources abiotiques : pas de facteur pour fabrication (2 ligne(s)), distribution (2 ligne(s)), "
                                  "utilisation (2 ligne(s)), fin de vie (2 ligne(s)) ; valeur minorée")
    assert notice(adpe, "en").startswith("adpe: no factor for manufacturing (2 row(s))")


def test_grid_fallback_is_translated_with_its_values(tiny_catalog):
    (warning,) = tiny_catalog.grid(2026).warnings(["FR"])
    assert warning.code == "grid_latest_year" and warning.params["used"] == "2025"
    assert warning.params["criteria"] == "gwp"  # the tiny catalog has FR electricity for gwp only
    assert notice(warning, "fr") == ("électricité FR (mix moyen) : pas de facteur climat pour 2026, le dernier "
                                     "publié (2025) est utilisé")


def test_domain_prefix_and_plain_strings():
    n = prefixed("lighting", Notice("lighting_mix", "electricity DE: ...", zone="DE"))
    assert str(n) == "lighting: electricity DE: ..." and n.code == "lighting_mix"
    assert notice(n, "fr") == "Éclairage public : électricité DE : pas de facteur « éclairage public », le mix moyen est utilisé"
    assert notice("a plain sentence", "fr") == "a plain sentence"
    plain = prefixed("hosting", "a plain sentence")
    assert notice(plain, "fr") == "Hébergement : a plain sentence"


def test_notices_survive_pickling_and_compare_as_text():
    n = Notice("blank_rows", "a.csv: 1 blank row(s) skipped", file="a.csv", count=1)
    back = pickle.loads(pickle.dumps(n))
    assert back == n and back.code == "blank_rows" and back.params == {"file": "a.csv", "count": 1}
    assert "blank row" in n


def test_grid_fallback_names_only_the_criteria_concerned(catalog):
    """2025: the bundled FR gwp factor exists (0.0461) but adpe stops in 2024: only adpe is named."""
    warnings = catalog.grid(2025).warnings(["FR"])
    assert [(w.params["used"], w.params["criteria"]) for w in warnings] == [("2024", "adpe")]
