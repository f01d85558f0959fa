"""Message catalogue of the reports: every sentence and label, in French and English.

Reports look their words up here (:func:`message`), never in scattered strings. Row-level
rejection reasons are translated from their ``reason_code`` (:func:`reason`); a code this
catalogue does not know falls back to the English reason the library gave.
"""

from __future__ import annotations

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
        "lower_bound": "minorant : des facteurs manquent pour certaines lignes ou phases (voir les avertissements)",
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
        "lower_bound": "lower bound: some rows or phases have no factor (see the warnings)",
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
        "dask_dashboard": "Dask: {workers} worker(s), tasks shown at {link}",
    },
}

PHASE_LABELS = {
    "fr": {"manufacturing": "Fabrication", "distribution": "Distribution", "use": "Utilisation",
           "end_of_life": "Fin de vie", "embodied": "Intrinsèque", "total": "Total"},
    "en": {"manufacturing": "Manufacturing", "distribution": "Distribution", "use": "Use",
           "end_of_life": "End of life", "embodied": "Embodied", "total": "Total"},
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
        "no_rows": "{file} : aucune ligne de données (seulement l'en-tête)",
        "duplicate_rows": "{file} : {count} ligne(s) identique(s) à une ligne précédente, comptées comme des "
                          "équipements distincts (supprimez-les de la source s'il s'agit de doublons)",
        "duplicate_serials": "{file} : {count} ligne(s) reprennent le numéro de série d'une ligne précédente",
        "domain_skipped": "domaine non compté ({why}) : ses {rows} ligne(s) sont écartées",
        "ungrouped": "pas de colonne « {key} » dans ses entrées : présenté sans répartition par {key}",
        "replaced_inputs": "{files} remplacé(s) par le(s) fichier(s) donné(s) pour ce domaine",
        "text": "{sentence}",
        "price_missing": "aucun prix de l'énergie donné ni dans le catalogue : les coûts ne sont pas calculés",
        "price_default": "prix de l'énergie : valeur par défaut du catalogue, {price} €/kWh ({source}) ; donnez le "
                         "prix de votre contrat pour un budget réel",
        "caveat": "{criterion} / {phase_fr} : {message} ({share} % du total {criterion})",
    },
    "en": {"missing_factor": "{criterion}: no factor for {phases}; the value is a lower bound"},
}

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
    """
    code = str(code)
    known = REASONS[check_lang(lang)].get(code)
    if known is not None:
        return known
    prefix, _, column = code.partition("_")
    if lang == "fr" and column and prefix in GENERIC_REASONS_FR:
        return GENERIC_REASONS_FR[prefix].format(column=column)
    return str(fallback) if fallback else code


def phase_label(phase: str, lang: str = "fr") -> str:
    return PHASE_LABELS[check_lang(lang)].get(phase, phase)


def allocation_label(allocation: str, lang: str = "fr") -> str:
    return f"{allocation} ({ALLOCATION_LABELS[check_lang(lang)].get(allocation, allocation)})"


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
