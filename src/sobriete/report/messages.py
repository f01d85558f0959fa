"""Message catalogue of the reports: every sentence and label, in French and English.

Reports look their words up here (:func:`message`), never in scattered strings. Row-level
rejection reasons are translated from their ``reason_code`` (:func:`reason`); a code this
catalogue does not know falls back to the English reason the library gave.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

#: Report languages; French is the default.
LANGUAGES = ("fr", "en")

MESSAGES: dict[str, dict[str, str]] = {
    "fr": {
        "title": "Empreinte environnementale {year}",
        "allocation": "Allocation des impacts de fabrication",
        "catalog": "Catalogue de facteurs",
        "inputs": "Entrées",
        "by": "Regroupement",
        "none": "aucun",
        "criterion": "Critère",
        "unit": "Unité",
        "total": "Total",
        "share": "Part",
        "domain": "Domaine",
        "totals": "Totaux par critère et par phase",
        "lower_bound": "minorant : des facteurs manquent pour certaines lignes ou phases (voir la couverture des facteurs)",
        "energy": "Électricité consommée (phase d'utilisation) : {value} kWh",
        "top": "Principaux contributeurs par {name} ({criterion}, {unit})",
        "items": "Principaux contributeurs, tous domaines ({criterion}, {unit})",
        "item": "Élément",
        "rows": "Lignes lues : {read} = {assessed} évaluées + {rejected} rejetées",
        "rejections": "Motifs de rejet",
        "rejected_row": "{file}ligne {row}, colonne {column} : {reason} (valeur : {value})",
        "rejected_more": "… et {count} autre(s) rejet(s) (voir --format json ou xlsx)",
        "warnings": "Avertissements sur la qualité des données",
        "unmapped": "Valeurs non reconnues",
        "unmapped_row": "{column} = {value!r} : {count} ligne(s){suggestion}",
        "suggestion": ", suggestion : {suggestion}",
        "domain_totals": "Par domaine",
        "all": "(tous)",
        "ungrouped": "(non réparti)",
        "rows_domain": "Lignes lues / rejetées",
        "energy_short": "Électricité (kWh)",
        "profile": "profil {profile}",
        "network_model": "Modèle réseau",
        "skipped": "Domaine non compté : {domain} ({reason})",
        # factors
        "criteria": "Critères",
        "categories": "Catégories d'équipements",
        "sources": "Sources",
        "id": "Identifiant",
        "label": "Libellé",
        "family": "Famille",
        "lifetime": "Durée de vie (ans)",
        "annual_energy": "Électricité (kWh/an)",
        "organisation": "Organisme",
        "document": "Document",
        "year": "Année",
        "licence": "Licence",
        "table": "Table",
        "value": "Valeur",
        "status": "Statut",
        "source": "Source",
        "phase": "Phase",
        "catalog_line": "Catalogue {version} (empreinte {hash})",
        "valid": "OK : {file} est valide ({tables}) ; catalogue résultant {version}.",
        "invalid": "INVALIDE : {error}",
        # history
        "history_empty": "Aucune évaluation enregistrée dans {db}.",
        "saved": "Évaluation {year} enregistrée dans {db} (n° {id}).",
        "saved_at": "Enregistrée le",
        "rows_short": "Lignes (lues/rejetées)",
        "compare_title": "Évolution {year_a} → {year_b}",
        "change": "Écart",
        "change_pct": "Écart (%)",
        "error": "Erreur : {error}",
        "usage_error": "Erreur : {error} (aide : {help})",
        "strict_failed": "{rejected} ligne(s) rejetée(s) sur {read} et --strict est demandé : aucun résultat produit.",
        "written": "Rapport écrit dans {file} ; lignes lues : {read} = {assessed} évaluées + {rejected} rejetées.",
        "groups": "Par {name} : {count} groupe(s) ({criterion}, {unit})",
        "others": "… et {count} autres",
        "caveated_apart": "Mis à part, non compté dans les totaux (la source elle-même le juge peu fiable)",
        "caveated_included": "Compté dans les totaux bien que la source le juge peu fiable (--include-caveated)",
        "caveated_line": "{criterion}, {phase} : {value} {unit} ({share} du critère s'il était compté) — {caveat}",
        "caveated_option": "Pour le compter quand même : --include-caveated.",
        "coverage": "Couverture des facteurs (part des lignes évaluées ayant un facteur ; en dessous de 100 %, "
                    "la valeur est un minorant)",
        "count_undated_rows": "dont {count} sans date d'achat (comptées en régime permanent : 1/durée de vie par an)",
        "count_not_in_service_rows": "dont {count} hors service (en stock, en réparation) : sans phase d'utilisation",
        "count_fully_amortised_rows": "dont {count} entièrement amorties (fabrication déjà comptée)",
        "count_refurbished_rows": "dont {count} reconditionnées",
        "count_profile_energy_rows": "dont {count} à l'électricité estimée par le profil de la catégorie",
        "count_default_pue_rows": "dont {count} avec le PUE par défaut",
        "count_spend_rows": "dont {count} évaluées par un facteur monétaire",
        "count_contracted_power_energy_rows": "dont {count} à l'énergie estimée par la puissance souscrite",
        "replaced": "Évaluation {year} n° {old} remplacée par le n° {id} dans {db}.",
        "output_is_input": "la sortie {output} est un fichier d'entrée ({input}) : choisissez un autre fichier "
                           "pour -o/--output",
        "dask_dashboard": "Dask : {workers} worker(s), suivi des tâches sur {link}",
    },
    "en": {
        "title": "Environmental footprint {year}",
        "allocation": "Allocation of embodied impacts",
        "catalog": "Factor catalog",
        "inputs": "Inputs",
        "by": "Grouping",
        "none": "none",
        "criterion": "Criterion",
        "unit": "Unit",
        "total": "Total",
        "share": "Share",
        "domain": "Domain",
        "totals": "Totals per criterion and phase",
        "lower_bound": "lower bound: some rows or phases have no factor (see the factor coverage)",
        "energy": "Electricity used (use phase): {value} kWh",
        "top": "Top contributors per {name} ({criterion}, {unit})",
        "items": "Top contributors, all domains ({criterion}, {unit})",
        "item": "Item",
        "rows": "Rows read: {read} = {assessed} assessed + {rejected} rejected",
        "rejections": "Rejection reasons",
        "rejected_row": "{file}row {row}, column {column}: {reason} (value: {value})",
        "rejected_more": "… and {count} more rejection(s) (see --format json or xlsx)",
        "warnings": "Data-quality warnings",
        "unmapped": "Unrecognised values",
        "unmapped_row": "{column} = {value!r}: {count} row(s){suggestion}",
        "suggestion": ", suggestion: {suggestion}",
        "domain_totals": "Per domain",
        "ungrouped": "(not split)",
        "rows_domain": "Rows read / rejected",
        "energy_short": "Electricity (kWh)",
        "profile": "profile {profile}",
        "network_model": "Network model",
        "skipped": "Domain not counted: {domain} ({reason})",
        "all": "(all)",
        "criteria": "Criteria",
        "categories": "Equipment categories",
        "sources": "Sources",
        "id": "Id",
        "label": "Label",
        "family": "Family",
        "lifetime": "Lifetime (years)",
        "annual_energy": "Electricity (kWh/year)",
        "organisation": "Organisation",
        "document": "Document",
        "year": "Year",
        "licence": "Licence",
        "table": "Table",
        "value": "Value",
        "status": "Status",
        "source": "Source",
        "phase": "Phase",
        "catalog_line": "Catalog {version} (hash {hash})",
        "valid": "OK: {file} is valid ({tables}); resulting catalog {version}.",
        "invalid": "INVALID: {error}",
        "history_empty": "No assessment saved in {db}.",
        "saved": "Assessment {year} saved in {db} (no. {id}).",
        "saved_at": "Saved at",
        "rows_short": "Rows (read/rejected)",
        "compare_title": "Change {year_a} → {year_b}",
        "change": "Change",
        "change_pct": "Change (%)",
        "error": "Error: {error}",
        "usage_error": "Error: {error} (help: {help})",
        "strict_failed": "{rejected} row(s) rejected out of {read} and --strict is set: no result produced.",
        "written": "Report written to {file}; rows read: {read} = {assessed} assessed + {rejected} rejected.",
        "groups": "Per {name}: {count} group(s) ({criterion}, {unit})",
        "others": "… and {count} others",
        "caveated_apart": "Set apart, not counted in the totals (its own source calls it unreliable)",
        "caveated_included": "Counted in the totals although its source calls it unreliable (--include-caveated)",
        "caveated_line": "{criterion}, {phase}: {value} {unit} ({share} of the criterion if counted) — {caveat}",
        "caveated_option": "To count it anyway: --include-caveated.",
        "coverage": "Factor coverage (share of the assessed rows with a factor; below 100 %, the value is a "
                    "lower bound)",
        "count_undated_rows": "of which {count} without a purchase date (steady state: 1/lifetime per year)",
        "count_not_in_service_rows": "of which {count} not in service (in stock, under repair): no use phase",
        "count_fully_amortised_rows": "of which {count} fully amortised (manufacturing already counted)",
        "count_refurbished_rows": "of which {count} refurbished",
        "count_profile_energy_rows": "of which {count} with electricity from the category's profile",
        "count_default_pue_rows": "of which {count} with the default PUE",
        "count_spend_rows": "of which {count} assessed with a spend-based factor",
        "count_contracted_power_energy_rows": "of which {count} with energy from the contracted power",
        "replaced": "Assessment {year} no. {old} replaced by no. {id} in {db}.",
        "output_is_input": "the output {output} is an input file ({input}): choose another file for -o/--output",
        "dask_dashboard": "Dask: {workers} worker(s), tasks shown at {link}",
    },
}

PHASE_LABELS = {
    "fr": {"manufacturing": "Fabrication", "distribution": "Distribution", "use": "Utilisation",
           "end_of_life": "Fin de vie", "embodied": "Intrinsèque", "total": "Total"},
    "en": {"manufacturing": "Manufacturing", "distribution": "Distribution", "use": "Use",
           "end_of_life": "End of life", "embodied": "Embodied", "total": "Total"},
}

#: Grouping keys and item columns as a French or English reader names them (a key not listed,
#: such as a column of the user's own file, is shown as it is).
KEY_LABELS = {
    "fr": {"entity": "Entité", "category": "Catégorie d'équipement", "site": "Site", "service": "Service",
           "commune": "Commune", "domain": "Domaine", "za": "Zone d'activité", "technology": "Technologie de ligne",
           "network": "Réseau", "kind": "Type d'hébergement", "zone": "Zone électrique", "year": "Année",
           "condition": "État", "status": "Statut", "schedule": "Horaire", "operator": "Opérateur"},
    "en": {"entity": "Entity", "category": "Equipment category", "site": "Site", "service": "Service",
           "commune": "Municipality", "domain": "Domain", "za": "Business park", "technology": "Line technology",
           "network": "Network", "kind": "Hosting kind", "zone": "Grid zone", "year": "Year",
           "condition": "Condition", "status": "Status", "schedule": "Schedule", "operator": "Operator"},
}

#: Items the factor catalog does not label (its categories and technologies carry their own
#: labels, kept in :attr:`~sobriete.assessment.Assessment.item_labels`).
ITEM_LABELS = {
    "fr": {"on_premises": "Salle informatique sur site", "colocation": "Centre de données en colocation",
           "cloud": "Cloud"},
    "en": {"on_premises": "On-premises server room", "colocation": "Colocation data centre", "cloud": "Cloud"},
}

#: Short criterion names for column headers (the catalog's full labels head the totals table).
CRITERION_SHORT_LABELS = {
    "fr": {"gwp": "Climat", "adpe": "Ressources abiotiques", "water": "Eau", "pe": "Énergie primaire",
           "fe": "Énergie finale"},
    "en": {"gwp": "Climate", "adpe": "Abiotic resources", "water": "Water", "pe": "Primary energy",
           "fe": "Final energy"},
}

ALLOCATION_LABELS = {
    "fr": {"amortised": "amortie sur la durée de vie", "at_purchase": "à l'achat"},
    "en": {"amortised": "amortised over the lifetime", "at_purchase": "at purchase"},
}

DOMAIN_LABELS = {
    "fr": {"equipment": "Équipements", "network": "Réseau", "traffic": "Réseau : trafic", "lines": "Réseau : lignes",
           "hosting": "Hébergement", "lighting": "Éclairage public"},
    "en": {"equipment": "Equipment", "network": "Network", "traffic": "Network: traffic", "lines": "Network: lines",
           "hosting": "Hosting", "lighting": "Public lighting"},
}

#: Data-quality notices by ``Notice.code`` (:mod:`sobriete.notices`); params fill the braces.
NOTICES = {
    "fr": {
        "missing_factor": "{criterion} : pas de facteur pour {phases} ; valeur minorée",
        "grid_latest_year": "électricité {zone} ({usage}) : pas de facteur {criteria} pour {year}, le dernier "
                            "publié ({used}) est utilisé",
        "traffic_earliest_year": "réseau {network} {zone} : pas de facteur par Go pour {year} ou avant, le plus "
                                 "ancien ({used}) est utilisé",
        "hosting_contracted_power": "{count} ligne(s) de colocation utilisent la puissance souscrite × heures : "
                                    "un majorant de l'énergie informatique",
        "hosting_spend": "{count} ligne(s) utilisent un facteur monétaire (dernier recours, très incertain)",
        "lighting_mix_for": "électricité {zone} : pas de facteur « éclairage public » pour {criteria}, le mix "
                            "moyen est utilisé",
        "lighting_mix": "électricité {zone} : pas de facteur « éclairage public », le mix moyen est utilisé",
        "lighting_embodied": "impacts de fabrication des luminaires : aucune source publique (données PEP "
                             "ecopassport PSR-0014 non fournies) ; ajoutez des lignes lighting_impacts pour les couvrir",
        "skipped_files": "{count} fichier(s) hors du domaine {domain} ignoré(s) : {files}",
        "unused_columns": "{file} : {count} colonne(s) non utilisée(s) par le profil « {profile} » : {columns}",
        "blank_rows": "{file} : {count} ligne(s) vide(s) ignorée(s)",
        "repeated_column": "{file} : la colonne « {column} » apparaît {count} fois (colonnes {positions}) avec les "
                           "mêmes valeurs ; la première est utilisée",
        "refused_column": "{file} : colonne « {column} » de type {kind} ignorée (non utilisée par le profil "
                          "« {profile} »)",
        "no_rows": "{file} : aucune ligne de données (seulement l'en-tête)",
        "duplicate_rows": "{file} : {count} ligne(s) identique(s) à une ligne précédente, comptées comme des "
                          "équipements distincts (supprimez-les de la source s'il s'agit de doublons)",
        "duplicate_serials": "{file} : {count} ligne(s) reprennent le numéro de série d'une ligne précédente",
        "domain_skipped": "domaine non compté ({why}) : ses {rows} ligne(s) sont écartées",
        "ungrouped": "pas de donnée « {key} » dans ses entrées : présenté sans répartition par {key}",
        "replaced_inputs": "{files} remplacé(s) par le(s) fichier(s) donné(s) pour ce domaine",
        "text": "{sentence}",
        "price_missing": "aucun prix de l'énergie donné ni dans le catalogue : les coûts ne sont pas calculés",
        "price_default": "prix de l'énergie : valeur par défaut du catalogue, {price} €/kWh ({source}) ; donnez le "
                         "prix de votre contrat pour un budget réel",
        "caveat": "{criterion} / {phase_fr} : {message} ({share} % du total {criterion})",
        "lines_box_only": "{criterion} ({phases_label}) : l'impact intrinsèque des box est compté ; le réseau "
                          "d'accès des lignes n'a pas de facteur pour ce critère ({rows} ligne(s) du tableau) : "
                          "valeur minorée",
        "lines_network_only": "{criterion} ({phases_label}) : le réseau d'accès des lignes est compté ; les box "
                              "n'ont pas de facteur pour ce critère ({rows} ligne(s) du tableau) : valeur minorée",
        "lines_no_factor": "{criterion} ({phases_label}) : ni le réseau d'accès ni une box n'a de facteur pour ce "
                           "critère ({rows} ligne(s) du tableau) : non compté",
        "lines_no_access_factor": "{criterion} ({phases_label}) : le réseau d'accès n'a ni consommation électrique "
                                  "connue ni facteur d'utilisation pour ce critère ({rows} ligne(s) du tableau) : "
                                  "seule l'électricité des box est comptée, valeur minorée",
        "lines_no_electricity_factor": "{criterion} ({phases_label}) : l'électricité n'a pas de facteur pour ce "
                                       "critère ({rows} ligne(s) du tableau) : l'électricité des lignes n'est pas "
                                       "comptée pour {criterion}",
    },
    "en": {"missing_factor": "{criterion}: no factor for {phases}; the value is a lower bound"},
}

#: Electricity usages of the grid factors (``electricity.csv``), in French.
USAGE_LABELS_FR = {"mix": "mix moyen", "public_lighting": "éclairage public"}

#: Row-level rejection reasons by ``reason_code``.
REASONS = {
    "fr": {
        "missing_category": "catégorie manquante",
        "unknown_category": "catégorie inconnue (absente du catalogue de facteurs)",
        "bad_quantity": "la quantité n'est pas un nombre",
        "missing_quantity": "quantité manquante",
        "negative_quantity": "quantité négative",
        "bad_purchase_year": "l'année d'achat n'est pas une année entière",
        "implausible_purchase_year": "année d'achat invraisemblable (passée lointaine ou future)",
        "bad_purchase_date": "la date d'achat n'est pas une date",
        "implausible_purchase_date": "date d'achat invraisemblable (passée lointaine ou future)",
        "undated": "ni année ni date d'achat",
        "bad_lifetime": "la durée de vie doit être un nombre positif",
        "bad_power": "la puissance doit être un nombre ≥ 0",
        "bad_hours": "heures d'utilisation par an hors de 0–8784",
        "missing_hours": "puissance donnée sans heures d'utilisation et sans profil pour la catégorie",
        "bad_energy": "l'énergie annuelle doit être un nombre ≥ 0",
        "unknown_condition": "état inconnu (attendu : neuf ou reconditionné)",
        "unknown_status": "statut inconnu (attendu : en service, en stock ou en réparation)",
        "overflow": "quantité × facteurs trop grands : les totaux déborderaient (nombre invraisemblable)",
        "unknown_zone": "zone électrique inconnue",
        "unmapped_value": "valeur inconnue du profil de colonnes et du catalogue : l'ajouter aux valeurs du profil",
        "out_of_inventory": "équipement sorti de l'inventaire (statut) : exclu",
        "too_many_fields": "la ligne a plus de champs que l'en-tête : mettez entre guillemets les cellules qui "
                           "contiennent le séparateur",
        "non_finite_number": "pas un nombre fini (inf, -inf ou nan) : donnez la valeur ou laissez la cellule vide",
        "missing_technology": "technologie manquante",
        "unknown_technology": "technologie inconnue (absente du catalogue de facteurs)",
        "bad_count": "le nombre de luminaires doit être un nombre ≥ 0",
        "count_too_large": "nombre × puissance des luminaires trop grand pour être calculé",
        "missing_power": "puissance manquante",
        "bad_gear_loss": "gear_loss est une part entre 0 et 1 (0,15 pour 15 %)",
        "bad_installation_year": "l'année d'installation doit être comprise entre 1900 et 2100",
        "bad_latitude": "la latitude doit être comprise entre -90 et 90",
        "bad_longitude": "la longitude doit être comprise entre -180 et 180",
        "missing_location": "ni coordonnées pour la ligne ni pour sa ZA (donner latitude/longitude)",
        "unknown_schedule": "horaire inconnu : le définir dans le fichier d'horaires (--schedule)",
        "bad_hours_per_year": "heures par an au-delà de 8784",
        "missing_energy": "aucun moyen d'estimer l'énergie (kWh mesurés, ou serveurs × puissance)",
        "no_spend_factor": "pas de facteur monétaire pour ce type d'hébergement",
        "missing_pue": "PUE manquant (ni PUE ni énergie de refroidissement)",
        "missing_unit": "unité du volume manquante",
        "bad_unit": "l'unité n'est pas un volume de données (Mo, Go, To...)",
    },
    "en": {
        "missing_category": "category is missing",
        "unknown_category": "unknown category (not in the factor catalog)",
        "bad_quantity": "quantity is not a number",
        "missing_quantity": "quantity is missing",
        "negative_quantity": "quantity is negative",
        "bad_purchase_year": "purchase year is not a whole year",
        "implausible_purchase_year": "implausible purchase year (far past or future)",
        "bad_purchase_date": "purchase date is not a date",
        "implausible_purchase_date": "implausible purchase date (far past or future)",
        "undated": "no purchase year or date",
        "bad_lifetime": "lifetime must be a positive number",
        "bad_power": "power must be a number ≥ 0",
        "bad_hours": "hours per year outside 0–8784",
        "missing_hours": "power given without hours and the category has no use profile",
        "bad_energy": "annual energy must be a number ≥ 0",
        "unknown_condition": "unknown condition (expected new or refurbished)",
        "unknown_status": "unknown status (expected in_service, in_stock or in_repair)",
        "overflow": "quantity × factors too large: the totals would overflow (implausible number)",
        "unknown_zone": "unknown electricity zone",
        "unmapped_value": "value not known to the profile or the catalog: add it to the profile's values",
        "out_of_inventory": "device no longer in the inventory (status): excluded",
        "too_many_fields": "the line has more fields than the header: quote cells that contain the separator",
        "non_finite_number": "not a finite number (inf, -inf or nan): give the value or leave the cell empty",
        "missing_technology": "technology is missing",
        "unknown_technology": "unknown technology (not in the factor catalog)",
        "bad_count": "count must be a number ≥ 0",
        "count_too_large": "count × lamp power is too large to compute",
        "missing_power": "lamp power is missing",
        "bad_gear_loss": "gear_loss is a share between 0 and 1 (0.15 for 15 %)",
        "bad_installation_year": "installation year must be a year between 1900 and 2100",
        "bad_latitude": "latitude must be in [-90, 90]",
        "bad_longitude": "longitude must be in [-180, 180]",
        "missing_location": "no coordinates for the row nor its ZA (give latitude/longitude)",
        "unknown_schedule": "unknown schedule: define it in the schedules file (--schedule)",
        "bad_hours_per_year": "hours per year above 8784",
        "missing_energy": "no way to estimate the energy (measured kWh, or servers × power)",
        "no_spend_factor": "no spend-based factor for this kind of hosting",
        "missing_pue": "PUE is missing (neither PUE nor cooling energy)",
        "missing_unit": "the volume's unit is missing",
        "bad_unit": "unit is not a data volume (MB, GB, TB...)",
    },
}


def check_lang(lang: str) -> str:
    """Return ``lang`` if it is a report language, else raise with the choices."""
    if lang not in LANGUAGES:
        from ..errors import UnknownNameError

        raise UnknownNameError("language", lang, LANGUAGES)
    return lang


def message(key: str, lang: str = "fr", **values: object) -> str:
    """The sentence ``key`` in ``lang``, filled with ``values``.

    Examples
    --------
    >>> message("rows", "fr", read=10, assessed=8, rejected=2)
    'Lignes lues : 10 = 8 évaluées + 2 rejetées'
    >>> message("rows", "en", read=10, assessed=8, rejected=2)
    'Rows read: 10 = 8 assessed + 2 rejected'
    """
    text = MESSAGES[check_lang(lang)][key]
    return text.format(**values) if values else text


#: French reasons of the row checker's generic codes (``bad_<column>``...), by prefix.
GENERIC_REASONS_FR = {"bad": "{column} : valeur invalide", "missing": "{column} : valeur manquante",
                      "negative": "{column} : valeur négative", "unknown": "{column} : valeur inconnue",
                      "infinite": "{column} : valeur non finie (infinie ou trop grande)"}


#: Reasons whose library text carries numbers a reader needs (read back from that text, which
#: :mod:`sobriete.io.readers` writes in this fixed form), worded in each language.
_WITH_NUMBERS = {
    "too_many_fields": (re.compile(r"^(\d+) fields, the header has (\d+): .*separator '(.+)'$"), {
        "fr": "la ligne a {0} champs, l'en-tête {1} : mettez entre guillemets les cellules qui contiennent le "
              "séparateur « {2} »",
        "en": "{0} fields, the header has {1}: quote cells that contain the separator '{2}'"}),
}


def reason(code: object, fallback: object = "", lang: str = "fr") -> str:
    """Translated rejection reason for ``code``: a known code, else in French a generic
    ``bad_/missing_/negative_/unknown_<column>`` code, else the library's English text.

    Examples
    --------
    >>> reason("negative_quantity", "quantity is negative", "fr")
    'quantité négative'
    >>> reason("unknown_technology", "unknown technology; valid choices: adsl, ftth", "fr")
    'technologie inconnue (absente du catalogue de facteurs)'
    >>> reason("negative_volume", "volume must be ≥ 0", "fr")
    'volume : valeur négative'
    >>> reason("some_new_code", "a reason in English", "fr")
    'a reason in English'
    >>> reason("too_many_fields", "6 fields, the header has 4: quote cells that contain the separator ';'", "fr")
    "la ligne a 6 champs, l'en-tête 4 : mettez entre guillemets les cellules qui contiennent le séparateur « ; »"
    """
    code = str(code)
    known = REASONS[check_lang(lang)].get(code)
    if known is not None:
        worded = _WITH_NUMBERS.get(code)
        found = worded[0].match(str(fallback)) if worded else None
        return worded[1][lang].format(*found.groups()) if found else known
    prefix, _, column = code.partition("_")
    if lang == "fr" and column and prefix in GENERIC_REASONS_FR:
        return GENERIC_REASONS_FR[prefix].format(column=column)
    return str(fallback) if fallback else code


def phase_label(phase: str, lang: str = "fr") -> str:
    return PHASE_LABELS[check_lang(lang)].get(phase, phase)


def allocation_label(allocation: str, lang: str = "fr") -> str:
    """The allocation as a reader names it; English keeps the option's value for ``--allocation``.

    Examples
    --------
    >>> allocation_label("amortised"), allocation_label("amortised", "en")
    ('amortie sur la durée de vie', 'amortised (amortised over the lifetime)')
    """
    label = ALLOCATION_LABELS[check_lang(lang)].get(allocation, allocation)
    return label if lang == "fr" else f"{allocation} ({label})"


#: Network models (``--network-model``) as a reader names them.
NETWORK_MODEL_LABELS = {
    "fr": {"combined": "lignes + part du trafic liée au volume", "per_gb": "tout au Go de trafic",
           "per_line": "lignes seules"},
    "en": {"combined": "lines + volume-dependent traffic", "per_gb": "everything per GB of traffic",
           "per_line": "lines only"},
}


def network_model_label(model: str, lang: str = "fr") -> str:
    """The network model as a reader names it, with the option's value for ``--network-model``.

    Examples
    --------
    >>> network_model_label("per_gb")
    'tout au Go de trafic (per_gb)'
    """
    return f"{NETWORK_MODEL_LABELS[check_lang(lang)].get(model, model)} ({model})"


def key_label(key: str, lang: str = "fr") -> str:
    """A grouping key or column as a reader names it (unknown keys as they are).

    Examples
    --------
    >>> key_label("entity"), key_label("entity", "en"), key_label("Pôle")
    ('Entité', 'Entity', 'Pôle')
    """
    return KEY_LABELS[check_lang(lang)].get(key, key)


def item_label(item: object, lang: str = "fr", labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """An item (equipment category, line technology, hosting kind...) as a reader names it:
    the assessment's ``labels`` (from the catalog), then :data:`ITEM_LABELS`, else as it is.

    Examples
    --------
    >>> item_label("colocation"), item_label("laptop", "fr", {"laptop": {"fr": "Ordinateur portable"}})
    ('Centre de données en colocation', 'Ordinateur portable')
    """
    if not isinstance(item, str):
        return str(item)
    known = (labels or {}).get(item, {}).get(lang)
    return str(known) if known else ITEM_LABELS[check_lang(lang)].get(item, item)


def criterion_short_label(criterion: str, lang: str = "fr") -> str:
    """A criterion's short name for a column header (unknown criteria as they are).

    Examples
    --------
    >>> criterion_short_label("gwp"), criterion_short_label("water", "en")
    ('Climat', 'Water')
    """
    return CRITERION_SHORT_LABELS[check_lang(lang)].get(criterion, criterion)


def notice(warning: object, lang: str = "fr") -> str:
    """A warning in the report's language: a :class:`~sobriete.notices.Notice` whose code the
    catalogue knows is translated (with its domain, if any); anything else is shown as given.

    Examples
    --------
    >>> from sobriete.notices import Notice, prefixed
    >>> notice(prefixed("equipment", Notice("blank_rows", "a.csv: 1 blank row(s) skipped",
    ...                                      file="a.csv", count=1)))
    'Équipements : a.csv : 1 ligne(s) vide(s) ignorée(s)'
    """
    lang = check_lang(lang)
    code = getattr(warning, "code", None)
    template = NOTICES[lang].get(code) if code else None
    if template is None:
        return str(warning)
    params = dict(warning.params)
    if "phase" in params:
        params["phase_fr"] = phase_label(params["phase"], "fr").lower()
    if "phase_list" in params:
        params["phases_label"] = ", ".join(phase_label(p, lang).lower() for p in params["phase_list"])
    if lang == "fr":  # ids become words: criteria, keys, electricity usages
        if "criterion" in params:
            params["criterion"] = criterion_short_label(str(params["criterion"]), lang).lower()
        if "criteria" in params:
            criteria = params["criteria"]
            criteria = criteria.split(", ") if isinstance(criteria, str) else list(criteria)
            params["criteria"] = ", ".join(criterion_short_label(str(c), lang).lower() for c in criteria)
        if "key" in params:
            params["key"] = key_label(str(params["key"]), lang).lower()
        if "usage" in params:
            params["usage"] = USAGE_LABELS_FR.get(str(params["usage"]), params["usage"])
    if code == "missing_factor":
        rows = params["rows"]
        params["phases"] = ", ".join(f"{phase_label(p, lang).lower()} ({n} ligne(s))" if lang == "fr" else
                                     f"{phase_label(p, lang).lower()} ({n} row(s))" for p, n in rows.items())
    text = template.format(**params)
    domain = params.get("domain")
    return f"{domain_label(domain, lang)} : {text}" if domain and lang == "fr" else (
        f"{domain_label(domain, lang)}: {text}" if domain else text)


def domain_label(domain: str, lang: str = "fr") -> str:
    return DOMAIN_LABELS[check_lang(lang)].get(domain, domain)


# --------------------------------------------------------------------------- roadmap notices (#11)
_WHERE_FR = " (fichier {file}, ligne {line}, champ {field})"
NOTICES["fr"].update({
    "roadmap_unknown_builtin": "indicateur intégré inconnu « {value} » ; indicateurs intégrés : {choices}" + _WHERE_FR,
    "roadmap_formula_unknown": "la formule de « {id} » utilise des indicateurs inconnus : {names}" + _WHERE_FR,
    "roadmap_formula_cycle": "la formule de « {id} » se réfère à elle-même ou forme un cycle ({cycle}) ; "
                             "indicateur ignoré" + _WHERE_FR,
    "roadmap_unknown_indicator": "l'objectif porte sur un indicateur inconnu ou inutilisable « {value} » ; "
                                 "objectif ignoré" + _WHERE_FR,
    "roadmap_target_before_baseline": "l'année d'objectif {year} n'est pas postérieure à l'année de référence "
                                      "{baseline} ; objectif ignoré" + _WHERE_FR,
    "roadmap_measure_unknown_indicator": "la mesure « {id} » cite des indicateurs inconnus : {names}" + _WHERE_FR,
    "roadmap_no_legal_target": "pas d'objectif réglementaire pour « {indicator} » en {year}" + _WHERE_FR,
    "roadmap_no_values": "aucune valeur de « {indicator} », quelle que soit l'année : statut non calculable"
                         + _WHERE_FR,
    "roadmap_missing_years": "pas de valeur de « {indicator} » pour {years} ; le statut utilise les années "
                             "mesurées" + _WHERE_FR,
    "roadmap_project_missing": "le fichier projet {path} de la mesure « {id} » n'existe pas ; son effet est pris "
                               "dans « effects »" + _WHERE_FR,
    "roadmap_project_unavailable": "ce sobriete ne sait pas encore évaluer les fichiers projet ({path}) ; l'effet "
                                   "de la mesure « {id} » est pris dans « effects »" + _WHERE_FR,
    "roadmap_project_failed": "le fichier projet {path} de la mesure « {id} » n'a pas pu être évalué ({detail}) ; "
                              "son effet est pris dans « effects »" + _WHERE_FR,
    "roadmap_file_missing": "le fichier {path} n'existe pas ; les indicateurs qu'il donne manquent" + _WHERE_FR,
    "roadmap_several_assessments": "{count} évaluations de {year} sont enregistrées ; la feuille de route utilise "
                                   "la plus récente (n° {id})",
    "roadmap_register_row_rejected": "{file} : ligne {row} rejetée ({column} : {reason}, valeur « {value} »)",
})


# --------------------------------------------------------------------------- project assessment (issue #10)
MESSAGES["fr"].update({
    "project_title": "Évaluation de projet : {name}",
    "project_owner": "Porteur : {owner}",
    "project_horizon": "Horizon : {first}–{last} ({years} ans) ; allocation des impacts de fabrication : {allocation}",
    "project_baseline": "Situation de référence : {inputs} ; lignes lues {read} = {assessed} évaluées + {rejected} "
                        "rejetées",
    "project_greenfield": "Situation de référence : aucune (projet nouveau)",
    "project_summary": "Bilan par variante ({criterion}, {unit}) : delta = variante − référence, négatif = gain",
    "project_variant": "Variante",
    "project_net": "Net sur l'horizon",
    "project_embodied": "Fabrication, distribution, fin de vie",
    "project_use": "Utilisation",
    "project_per_user": "Par usager/agent",
    "project_carbon_payback": "Retour carbone",
    "project_money": "Coût net (€)",
    "project_money_payback": "Retour financier",
    "project_energy": "Électricité (kWh)",
    "project_never": "au-delà de l'horizon",
    "project_yearly": "Variante « {variant} » : delta par année ({criterion}, {unit})",
    "project_year": "Année",
    "project_delta": "Delta",
    "project_cumulated": "Cumul",
    "project_by_domain": "Delta cumulé par domaine et phase ({criterion}, {unit})",
    "project_tornado": "Sensibilité (variante « {variant} ») : les {count} hypothèses qui changent le plus le résultat "
                       "net ({criterion}, {unit}, de {low} à {high})",
    "project_parameter": "Hypothèse",
    "project_low": "Basse",
    "project_high": "Haute",
    "project_result_low": "Résultat (basse)",
    "project_result_high": "Résultat (haute)",
    "project_swing": "Écart",
    "project_checklist": "Écoconception (RGESN 2024) : score {score} ({conforme} conformes sur {applicable} "
                         "applicables ; {todo} à évaluer)",
    "project_open_priority": "Critères prioritaires non conformes ou à évaluer : {criteria}",
    "project_checklist_formula": "score d'avancement = 100 × Σ pondérations des critères conformes ÷ Σ pondérations "
                                 "des critères applicables (conformes, non conformes, à évaluer) ; pondération 1,5 "
                                 "Prioritaire, 1,25 Recommandé, 1,0 Modéré (RGESN 2024, p. 8)",
    "project_choices": "Choix de modélisation",
    "project_choice_renewal": "la référence renouvelle chaque appareil daté à l'identique en fin de vie (les "
                              "appareils déjà en fin de vie le sont la première année)",
    "project_choice_removal": "un appareil retiré cesse sa consommation et ses renouvellements ; l'amortissement "
                              "de sa fabrication se poursuit",
    "project_choice_payback": "retour carbone : première année à partir de laquelle le cumul des deltas reste ≤ 0, "
                              "fabrication comptée à l'achat",
    "project_saved": "Projet enregistré dans l'historique {db} (n° {id}).",
    "project_compare": "Comparaison de projets ({criterion}, {unit})",
    "project_project": "Projet",
    "project_saved_columns": "n°|nom|porteur|début|horizon (ans)|enregistré le",
    "project_none_saved": "Aucun projet enregistré dans l'historique.",
})
MESSAGES["en"].update({
    "project_title": "Project assessment: {name}",
    "project_owner": "Owner: {owner}",
    "project_horizon": "Horizon: {first}–{last} ({years} years); allocation of embodied impacts: {allocation}",
    "project_baseline": "Baseline: {inputs}; rows read {read} = {assessed} assessed + {rejected} rejected",
    "project_greenfield": "Baseline: none (greenfield project)",
    "project_summary": "Summary per variant ({criterion}, {unit}): delta = variant − baseline, negative = saving",
    "project_variant": "Variant",
    "project_net": "Net over the horizon",
    "project_embodied": "Manufacturing, distribution, end of life",
    "project_use": "Use",
    "project_per_user": "Per user/agent",
    "project_carbon_payback": "Carbon payback",
    "project_money": "Net cost (EUR)",
    "project_money_payback": "Money payback",
    "project_energy": "Electricity (kWh)",
    "project_never": "beyond the horizon",
    "project_yearly": "Variant '{variant}': delta per year ({criterion}, {unit})",
    "project_year": "Year",
    "project_delta": "Delta",
    "project_cumulated": "Cumulated",
    "project_by_domain": "Cumulated delta by domain and phase ({criterion}, {unit})",
    "project_tornado": "Sensitivity (variant '{variant}'): the {count} assumptions that move the net result most "
                       "({criterion}, {unit}, from {low} to {high})",
    "project_parameter": "Assumption",
    "project_low": "Low",
    "project_high": "High",
    "project_result_low": "Result (low)",
    "project_result_high": "Result (high)",
    "project_swing": "Swing",
    "project_checklist": "Eco-design (RGESN 2024): score {score} ({conforme} compliant of {applicable} applicable; "
                         "{todo} to assess)",
    "project_open_priority": "Priority criteria not compliant or to assess: {criteria}",
    "project_checklist_formula": "progress score = 100 × Σ weights of compliant criteria ÷ Σ weights of applicable "
                                 "criteria (compliant, not compliant, to assess); weight 1.5 Prioritaire, 1.25 "
                                 "Recommandé, 1.0 Modéré (RGESN 2024, p. 8)",
    "project_choices": "Modelling choices",
    "project_choice_renewal": "the baseline renews every dated device like for like at the end of its lifetime "
                              "(devices already past it in the first year)",
    "project_choice_removal": "a removed device stops its use and renewals; its embodied impacts keep their "
                              "allocation",
    "project_choice_payback": "carbon payback: first year from which the cumulated deltas stay ≤ 0, embodied "
                              "impacts counted at purchase",
    "project_saved": "Project saved in the history {db} (no. {id}).",
    "project_compare": "Project comparison ({criterion}, {unit})",
    "project_project": "Project",
    "project_saved_columns": "no.|name|owner|start|horizon (years)|saved at",
    "project_none_saved": "No project saved in the history.",
})

# --------------------------------------------------------------------------- test campaign (spreadsheets)
NOTICES["fr"].update({
    "title_rows": "{file} : {count} ligne(s) de titre au-dessus de l'en-tête ignorée(s) (ligne(s) {rows})",
})
REASONS["fr"].update({"total_row": "ligne de total d'un tableur, pas un élément : écartée"})
REASONS["en"].update({"total_row": "a spreadsheet total line, not an item: left out"})
MESSAGES["fr"].update({"unspecified": "(non renseigné)"})
MESSAGES["en"].update({"unspecified": "(not given)"})
MESSAGES["fr"].update({"compare_scope": "Attention : les deux années ne couvrent pas les mêmes domaines ({year_a} : "
                                        "{domains_a} ; {year_b} : {domains_b}) : l'écart mêle l'évolution et le "
                                        "changement de périmètre."})
MESSAGES["en"].update({"compare_scope": "Warning: the two years do not cover the same domains ({year_a}: {domains_a}; "
                                        "{year_b}: {domains_b}): the change mixes the trend with a change of scope."})
NOTICES["fr"].update({"sheet_chosen": "{file} : feuille « {sheet} » lue (les feuilles {skipped} ne contiennent pas de "
                                      "tableau reconnu)"})
