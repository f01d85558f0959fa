"""Readable names of a project's sensitivity parameters (the tornado), in French or English.

A catalog factor id (``"equipment_impacts/laptop/gwp/manufacturing"``) reads as its table, item,
phase and criterion (« Impact de l'équipement : Ordinateur portable · Fabrication (Climat) »); an
assumption of the project file (``"add (2026) lifetime_years"``) as the kind of change, its year
and the field (« ajout (2026) : durée de vie [an] »). Item names come from the catalog's labels,
criterion and phase names from :mod:`sobriete.report.messages`; anything unknown stays as it is.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from .messages import check_lang, criterion_short_label, item_label, phase_label

#: Names of the catalog tables a project's sensitivity varies.
TABLES = {"fr": {"equipment_impacts": "Impact de l'équipement", "refurbished": "Part du reconditionné",
                 "electricity": "Facteur de l'électricité", "network_traffic": "Trafic, par Go",
                 "network_lines": "Ligne, par an"},
          "en": {"equipment_impacts": "Device impact", "refurbished": "Refurbished share",
                 "electricity": "Electricity factor", "network_traffic": "Traffic, per GB",
                 "network_lines": "Line, per year"}}
#: Kinds of change (the project file's ``kind``).
KINDS = {"fr": {"add": "ajout", "remove": "retrait", "replace": "remplacement", "lifetime": "durée de vie",
                "traffic": "trafic", "lines": "lignes", "hosting": "hébergement", "lighting": "éclairage",
                "service": "service"},
         "en": {}}
#: Fields of a change that can carry a range.
FIELDS = {"fr": {"lifetime_years": "durée de vie [an]", "quantity": "quantité", "gb_per_year": "trafic [Go/an]",
                 "count": "nombre de lignes", "users": "usagers", "energy_kwh_per_year": "électricité [kWh/an]",
                 "investment_eur": "investissement [€]"},
          "en": {"lifetime_years": "lifetime [year]", "gb_per_year": "traffic [GB/year]", "count": "number of lines",
                 "energy_kwh_per_year": "electricity [kWh/year]", "investment_eur": "investment [EUR]"}}
#: The replacing devices of a ``replace`` change (its ``by`` fields).
REPLACING = {"fr": "nouveaux appareils,", "en": "new devices,"}
_ASSUMPTION = re.compile(r"^(?P<change>.*) \((?P<year>\d{4})\) (?P<field>[\w.]+)$")


def parameter_label(parameter: str, lang: str = "fr", labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The tornado's name of ``parameter``.

    Parameters
    ----------
    parameter : str
        A catalog factor id or an assumption name (``"<kind or label> (<year>) <field>"``).
    lang : {'fr', 'en'}
    labels : mapping, optional
        ``{item: {lang: label}}`` of the catalog (equipment categories, line technologies).

    Examples
    --------
    >>> parameter_label("equipment_impacts/laptop/gwp/manufacturing", "fr", {"laptop": {"fr": "Ordinateur portable"}})
    "Impact de l'équipement : Ordinateur portable · Fabrication (Climat)"
    >>> parameter_label("electricity/FR/2025/mix/gwp", "en")
    'Electricity factor: FR 2025 (Climate)'
    >>> parameter_label("add (2026) lifetime_years"), parameter_label("Portables (2027) quantity", "en")
    ('ajout (2026) : durée de vie [an]', 'Portables (2027): quantity')
    >>> parameter_label("replace (2026) by.lifetime_years")
    'remplacement (2026) : nouveaux appareils, durée de vie [an]'
    >>> parameter_label("network_lines/ftth/gwp/use", "en")
    'Line, per year: ftth · Use (Climate)'
    """
    lang = check_lang(lang)
    colon = " : " if lang == "fr" else ": "
    table, _, rest = parameter.partition("/")
    if rest and table in TABLES[lang]:
        keys = rest.split("/")
        criterion = criterion_short_label(keys[-1], lang)
        if table == "electricity" and len(keys) == 4:
            what = f"{keys[0]} {keys[1]}"
        elif table == "network_traffic" and len(keys) == 5:
            what = f"{item_label(keys[1], lang, labels)} {keys[3]}"
        elif len(keys) == 3:  # item / criterion / phase
            what = f"{item_label(keys[0], lang, labels)} · {phase_label(keys[2], lang)}"
            criterion = criterion_short_label(keys[1], lang)
        else:
            what = "/".join(keys[:-1])
        return f"{TABLES[lang][table]}{colon}{what} ({criterion})"
    match = _ASSUMPTION.match(parameter)
    if match is None:
        return parameter
    change = KINDS[lang].get(match["change"], match["change"])
    head, _, name = match["field"].rpartition(".")  # "by.lifetime_years": the replacing devices' lifetime
    field = FIELDS[lang].get(name, name)
    if head:
        field = f"{REPLACING[lang]} {field}" if head == "by" else f"{head}.{field}"
    return f"{change} ({match['year']}){colon}{field}"
