"""Error sentences in the user's language: the French catalogue of :class:`SobrieteError` codes.

Every error carries a stable ``code`` and the ``params`` its sentence names
(:mod:`sobriete.errors`); :func:`error_text` builds the French sentence from the template of
that code and adds where the problem is: « (fichier X, ligne N, colonne « c ») ». An error
without a code, or with a code this catalogue does not know, is shown in English as raised.
Operating-system errors (missing file, permission) get a French sentence too
(:func:`os_error_text`).
"""

from __future__ import annotations

import errno
from collections.abc import Iterable, Mapping

from ..errors import SobrieteError
from .messages import check_lang, key_label

#: Error sentences by ``SobrieteError.code``; params fill the braces (lists are joined,
#: floats written with a decimal comma). English is the exception's own text.
ERRORS_FR = {
    # names, units, duplicates (structured errors)
    "unknown_name": "{kind} « {value} »{choices}{hint}",
    "unknown_category": "catégorie inconnue « {value} »{choices} ; associez-la à une catégorie du catalogue ou "
                        "ajoutez-la avec un fichier de facteurs",
    "unknown_zone_year": "pas de facteur d'électricité pour la zone {zone} en {year}{choices} ; ajoutez-en un avec "
                         "un fichier de facteurs",
    "bad_unit": "unité invalide « {unit} »",
    "bad_unit_dimension": "unité invalide « {unit} » : une unité de {expected} est attendue",
    "duplicate_factor": "clé {key} en double dans la table {table} (lignes {lines})",
    # reading input files
    "file_not_found": "fichier d'entrée introuvable",
    "not_a_file": "l'entrée n'est pas un fichier",
    "no_input": "aucun fichier d'entrée donné",
    "empty_folder": "aucun fichier CSV, XLSX ou Parquet dans le dossier (extensions cherchées : {suffixes})",
    "empty_file": "le fichier est vide",
    "no_header": "aucune ligne d'en-têtes : le fichier est vide",
    "binary_file": "le fichier est binaire, ce n'est pas un fichier texte CSV ; donnez un fichier CSV, XLSX ou "
                   "Parquet",
    "too_many_fields": "cette ligne a {fields} champs, plus que l'en-tête (séparateur « {sep} ») ; mettez entre "
                       "guillemets les cellules qui contiennent le séparateur",
    "csv_unreadable": "impossible de lire le fichier CSV : {detail}",
    "undecodable": "impossible de décoder le fichier en {encoding} : {detail}",
    "xlsx_unreadable": "impossible d'ouvrir le fichier comme classeur Excel ({detail})",
    "sheet_unreadable": "impossible de lire la feuille « {sheet} » ({detail})",
    "empty_sheet": "la feuille « {sheet} » est vide",
    "parquet_unreadable": "impossible de lire le fichier comme Parquet ({detail})",
    "too_many_columns": "l'en-tête a {count} colonnes ; sobriete en lit au plus {limit} : gardez les colonnes de "
                        "l'inventaire",
    "sheet_too_large": "la feuille « {sheet} » a plus de {limit} cellules remplies ; enregistrez-la en CSV ou "
                       "Parquet",
    "refused_column": "la colonne est de type {kind}, que sobriete ne sait pas lire : enregistrez-la en nombres, "
                      "texte ou dates, ou retirez-la",
    "repeated_column_differs": "la colonne « {header} » apparaît {count} fois (colonnes {positions}) avec des "
                               "valeurs différentes (« {first} » / « {other} ») : gardez-en une",
    "yaml_syntax": "{what_fr} n'est pas un YAML valide, ligne {line}, colonne {col} : {problem}",
    "yaml_undecodable": "{what_fr} n'est pas un texte UTF-8 (octet {byte})",
    "dask_missing": "le moteur Dask a besoin de Dask ({module} manque) : pip install 'sobriete[dask]'",
    "dask_one_dataset": "--engine dask lit un seul jeu de données (un dossier Parquet partitionné ou un fichier "
                        "Parquet), {given} donnés",
    "override_per_row_distributed": "des valeurs par ligne ne peuvent pas suivre les lignes d'un tableau réparti : "
                                    "donnez les modifications par élément ou pour toutes les lignes",
    # profiles and detection
    "no_profile_matches": "aucun profil ne reconnaît les colonnes de ce fichier ({headers}) ; candidats : "
                          "{candidates}. Renommez les colonnes ou donnez un profil (--profile FICHIER.yaml, ou "
                          "--lines/--traffic/--hosting/--lighting FICHIER)",
    "several_profiles_match": "les colonnes de ce fichier ({headers}) correspondent autant à plusieurs profils : "
                              "{candidates}. Choisissez-en un avec --profile NOM (ou --lines/--traffic/--hosting/"
                              "--lighting FICHIER)",
    "no_column_for": "aucune colonne ne donne « {target} » avec le profil « {profile} » : une de {expected} est "
                     "attendue ; colonnes du fichier : {columns}",
    "profile_domain": "le profil « {profile} » est pour le domaine « {domain} », pas « {expected} »",
    "no_domain_file": "aucun fichier du domaine {domain} parmi les entrées (ignorés : {skipped})",
    "profile_not_yaml": "le profil n'est pas un YAML valide : {detail}",
    "profile_not_mapping": "le profil doit être une table YAML (name:, columns:, values: ...)",
    "invalid_profile": "profil invalide à « {where} » : {detail}",
    # tables and columns
    "missing_column": "pas de colonne « {missing} » dans {table} ; colonnes reconnues : {columns}",
    "both_columns": "« {first} » et « {second} » sont toutes deux données ; gardez-en une",
    "non_numeric_column": "la colonne « {name} » doit être numérique pour être convertie en {unit}",
    "no_zone_column": "pas de colonne « zone » et le catalogue n'a pas la zone par défaut {zone}",
    "volume_without_unit": "une colonne « volume » demande une colonne « unit » (Mo, Go, To, MB, GB, TB), ou "
                           "nommez la colonne d'après son unité (« volume_go », « volume_to »)",
    "no_volume_column": "le tableau du trafic n'a pas de colonne de volume : donnez « volume_gb », ou « volume » "
                        "avec « unit », ou « volume_<unité> » (volume_mo, volume_go, volume_to)",
    "rows_do_not_reconcile": "le décompte des lignes ne tombe pas juste : {read} lues ≠ {assessed} évaluées + "
                             "{rejected} rejetées",
    # scenarios (overrides) and results
    "override_out_of_range": "la modification « {override} » doit être finie et {bound}, reçu {value}",
    "override_length": "la modification « {override} » a {given} valeurs pour {rows} lignes d'entrée",
    "override_per_row": "la modification « {override} » ligne par ligne demande les lignes préparées",
    "result_not_finite": "le résultat n'est pas fini (dépassement de capacité) : réduisez les ordres de grandeur "
                         "des entrées",
    # assessment
    "nothing_given": "rien à évaluer : aucune entrée donnée",
    "nothing_to_assess": "rien à évaluer : {reasons}",
    "different_criteria": "des empreintes aux critères ou unités différents ne peuvent pas être combinées",
    "different_catalogs": "des empreintes calculées avec des catalogues de facteurs différents ne peuvent pas être "
                          "combinées ({first} / {second})",
    "xlsx_needs_output": "le format xlsx demande un fichier de sortie (--output rapport.xlsx)",
    "no_output_folder": "le dossier du fichier de sortie n'existe pas ou n'est pas un dossier",
    "datapackage_needs_folder": "les données ouvertes s'écrivent dans un dossier (--datapackage dossier/)",
    "network_no_input": "l'évaluation du réseau demande le trafic, les lignes ou les deux",
    "network_model_unused": "le modèle {model} n'utilise aucune des entrées données : {reasons}",
    "bad_share": "la part doit être comprise entre 0 et 1 (reçu {share})",
    # factor catalog
    "bundled_factors_missing": "les fichiers de facteurs fournis manquent dans cette installation ; réinstallez "
                               "sobriete",
    "factor_file_not_found": "fichier de facteurs introuvable",
    "factor_file_unreadable": "impossible de lire le fichier de facteurs : {detail}",
    "unknown_factor_table": "impossible de savoir à quelle table de facteurs appartient ce fichier : nommez-le "
                            "d'après une table ({tables}) ou utilisez les colonnes de cette table (voir "
                            "factors/README.md)",
    "unknown_factor_column": "colonne inconnue « {name} » dans la table {table} ; colonnes attendues : {columns}",
    "invalid_factor_row": "ligne invalide dans la table {table} : {detail} (valeur « {value} »)",
    "no_lifetime": "la catégorie d'équipement « {category} » n'a pas de durée de vie dans equipment_parameters",
    "no_energy": "la catégorie d'équipement « {category} » n'a ni annual_energy ni active_power avec daily_use "
                 "dans equipment_parameters",
    "no_box_category": "le modèle par ligne demande la catégorie d'équipement « {category} » (box) dans le "
                       "catalogue de facteurs ; ajoutez-la avec un fichier de facteurs",
    # history
    "no_history": "pas de base d'historique à {path} ; enregistrez d'abord une évaluation avec --save ou nommez la "
                  "base avec --db",
    "bad_history_url": "base d'historique inutilisable {url} : {detail}",
    "history_unreadable": "impossible d'ouvrir la base d'historique {db} : {detail}",
    "history_too_new": "la base d'historique {db} a la version de schéma {version}, plus récente que celle de ce "
                       "sobriete ({supported}) ; mettez sobriete à jour",
    "already_saved": "une évaluation {year} de même périmètre est déjà enregistrée (n° {id}) ; ajoutez "
                     "--replace pour la remplacer",
    "no_saved_assessment": "aucune évaluation {what} dans {db} ; années enregistrées : {years}",
    "several_saved": "plusieurs évaluations {year} sont enregistrées ({saved}) ; choisissez-en une avec --id",
    "missing_db_driver": "la base d'historique {db} demande le paquet Python « {package} », qui n'est pas "
                         "installé : pip install {package}",
    "not_grouped_by": "l'évaluation {year} n'est pas regroupée par « {by} » (ses regroupements : {keys}) ; "
                      "réévaluez-la avec --by {by}",
    # lighting schedules and scenarios
    "bad_time": "heure invalide « {text} » : écrivez HH:MM entre 00:00 et 24:00 (ex. « 23:00 »)",
    "bad_level": "niveau d'abaissement invalide « {value} » : écrivez un pourcentage comme « 50% »",
    "level_above_one": "niveau d'abaissement « {value} » supérieur à 1 : écrivez « {percent} » ou {share}",
    "level_out_of_range": "le niveau d'abaissement « {value} » doit être compris entre 0 % et 100 % de la pleine "
                          "puissance",
    "unknown_weekday": "jour inconnu « {value} » ; utilisez lun..dim ou mon..sun",
    "empty_window": "la plage {start}-{end} commence et finit à la même heure",
    "no_threshold_no_hours": "sans seuil d'allumage solaire (threshold_deg: null), il faut des heures fixes "
                             "(« hours »)",
    "overlapping_windows": "les plages {kind} {first} et {second} se chevauchent ; fusionnez-les ou changez leurs "
                           "jours",
    "bad_window": "plage invalide « {text} » : écrivez DÉBUT-FIN, ex. 23:00-05:00",
    "step_without_level": "le palier d'abaissement « {text} » n'a pas de niveau : écrivez ex. 22:00-06:00=50%",
    "boolean_key": "horaire « {id} » : une clé est lue comme vrai/faux (YAML transforme off/on/yes/no en "
                   "booléens) : utilisez « extinction » et « hours »",
    "schedule_cause": "horaire « {id} » : {cause}",
    "invalid_schedule_field": "horaire « {id} », champ {where} : {detail} (valeur « {value} »)",
    "schedules_unreadable": "impossible de lire les horaires : {detail}",
    "schedules_not_list": "le fichier d'horaires doit contenir une liste sous « schedules: »",
    "schedule_not_mapping": "chaque horaire doit être une table (clé: valeur), reçu « {item} »",
    "schedule_defined_twice": "l'horaire « {id} » est défini deux fois",
    "scenario_unreadable": "impossible de lire le scénario : {detail}",
    "invalid_scenario": "champ {where} du scénario invalide : {detail} (valeur « {value} »)",
    "scenario_empty": "le scénario est vide : donnez des règles « retrofit », des « schedule_changes » ou "
                      "« energy_price_eur_per_kwh »",
    "scenario_not_mapping": "le scénario doit être une table (name:, retrofit:, ...), reçu « {item} »",
    "retrofit_za_ungrouped": "une règle de rénovation porte sur « za » mais l'évaluation n'est pas regroupée "
                             "par za",
    "unknown_schedule_change": "changement d'horaire {old} → {new} : horaire inconnu « {name} » ; horaires "
                               "connus : {known}",
    # lighting compliance and CEE (sobriete.compliance, sobriete.cee)
    "sites_no_za": "le fichier des ZA n'a pas de colonne de ZA (« Zone d'activité » ou « za »)",
    "sites_duplicate_za": "la ZA « {value} » est donnée deux fois",
    "sites_bad_time": "heure invalide « {value} » : écrivez HH:MM (ex. 19:00)",
    "sites_bad_days": "jours d'activité invalides « {value} » : écrivez par ex. « lun-ven » ou « lun,mar,mer »",
    "bad_activity_days": "jours d'activité invalides « {value} » : écrivez par ex. « lun-ven » ou « lun,mar,mer »",
    "sites_bad_installation": "usage inconnu « {value} » : écrivez voirie ou parking",
    "sites_bad_flag": "« {value} » n'est pas oui/non",
    "sites_bad_protected": "« {value} » n'est pas oui/non, « site astronomique » ni « réserve naturelle »",
    "sites_bad_number": "valeur invalide « {value} » : un nombre dans les limites de la colonne est attendu",
    "rules_unreadable": "impossible de lire le fichier des seuils : {detail}",
    "rules_missing_column": "le fichier des seuils n'a pas de colonne « {missing} »",
    "rules_bad_status": "statut de seuil inconnu « {value} »{choices}",
    "rules_duplicate": "le seuil {key} est défini deux fois (lignes {lines})",
    "rules_unknown_source": "la source « {value} » n'est pas dans sources.csv",
    "rules_bad_value": "la valeur « {value} » n'est pas un nombre",
    "rules_no_value": "un seuil qui décide demande une valeur (ou le statut not_verified)",
    "cee_unreadable": "impossible de lire le fichier des fiches CEE : {detail}",
    "cee_missing_column": "le fichier des fiches CEE n'a pas de colonne « {missing} »",
    "cee_bad_value": "valeur invalide « {value} » : un nombre positif ou nul est attendu",
    "cee_bad_price": "prix du MWh cumac invalide ({value}) : un nombre positif ou nul est attendu",
    "cee_no_sheet": "aucune fiche CEE : donnez un fichier de fiches (les valeurs des fiches ne sont pas fournies, "
                    "faute d'avoir pu les vérifier)",
    # command line
    "cli_no_inputs": "donnez des fichiers ou dossiers INPUTS, ou --traffic/--lines/--hosting/--lighting FICHIER",
    "cli_xlsx_needs_output": "--format xlsx demande --output FICHIER.xlsx",
    "cli_cee_needs_scenario": "--cee-sheets va avec --scenario et --cee-price",
    "cli_sites_needs_lighting": "--sites demande un inventaire d'éclairage parmi les fichiers évalués",
    "cli_uncertainty_needs_inputs": "--uncertainty demande les fichiers des deux années : --inputs-a CHEMIN et "
                                    "--inputs-b CHEMIN (l'historique ne garde que leurs noms)",
    # scenario overrides of the prepared network and hosting domains
    "bad_override": "modification « {override} » : {detail}, reçu {value}",
    "cli_scheduler_needs_dask": "--scheduler ne sert qu'avec --engine dask",
}

#: What an :class:`~sobriete.errors.UnknownNameError` names (its ``kind``), with the adjective.
KINDS_FR = {
    "allocation": "allocation inconnue", "catalog id": "identifiant de catalogue inconnu",
    "category": "catégorie inconnue", "criterion": "critère inconnu", "domain": "domaine inconnu",
    "electricity usage": "usage d'électricité inconnu", "factor table": "table de facteurs inconnue",
    "grouping column": "colonne de regroupement inconnue", "grouping key": "clé de regroupement inconnue",
    "input domain": "domaine d'entrée inconnu", "kind": "type d'hébergement inconnu", "language": "langue inconnue",
    "override key": "clé de scénario inconnue (ni technologie ni ZA)", "ZA": "ZA inconnue",
    "line technology": "technologie de ligne inconnue", "network model": "modèle réseau inconnu",
    "profile": "profil inconnu", "sheet": "feuille inconnue", "source_id": "source inconnue (source_id)",
    "technology": "technologie inconnue", "text format": "format texte inconnu",
    "document format": "format de rapport inconnu", "report format": "format de rapport inconnu",
    "undated policy": "règle inconnue pour les lignes non datées", "zone": "zone inconnue",
    "factor id": "identifiant de facteur inconnu", "grid_factor key": "clé de grid_factor inconnue",
    "phase": "phase inconnue",
    "factor id": "identifiant de facteur inconnu", "condition": "état inconnu",
    "override item": "élément inconnu pour une modification de scénario",
    "override": "modification de scénario inconnue",
    "factor id": "identifiant de facteur inconnu", "condition": "état inconnu",
    "override item": "élément inconnu pour une modification de scénario",
    "override": "modification de scénario inconnue", "grid_factor key": "clé de grid_factor inconnue",
    "phase": "phase inconnue",
}

#: Hints of :class:`~sobriete.errors.UnknownNameError` (English template → French template).
HINTS_FR = {
    "add the source to sources.csv": "ajoutez la source à sources.csv",
    "it must be defined in {table}.csv": "à définir dans {table}.csv",
    "choose one of the inputs' columns with --by": "choisissez avec --by une colonne des entrées",
    "re-run the assessment with it in 'by'": "relancez l'évaluation avec cette clé dans --by",
    "equipment takes none in 'extra'": "les équipements n'en acceptent aucune dans « extra »",
    "give a bundled profile name or the path of a YAML profile file":
        "donnez le nom d'un profil fourni ou le chemin d'un fichier de profil YAML",
    "a factor id is '<table>/<key 1>/<key 2>/...' in the order of the table's key columns":
        "un identifiant de facteur s'écrit « <table>/<clé 1>/<clé 2>/... » dans l'ordre des colonnes clés de la table",
}

#: Tables named by ``missing_column`` errors.
TABLES_FR = {"inventory": "l'inventaire", "luminaire inventory": "l'inventaire des luminaires",
             "lines": "le tableau des lignes", "traffic": "le tableau du trafic", "hosting": "le tableau de "
             "l'hébergement"}

#: Pydantic validation error types (``detail_type``) in French; ``detail_ctx`` fills the braces.
VALIDATION_FR = {
    "missing": "champ obligatoire manquant",
    "extra_forbidden": "champ non prévu",
    "float_parsing": "ce n'est pas un nombre", "float_type": "ce n'est pas un nombre",
    "int_parsing": "ce n'est pas un nombre entier", "int_type": "ce n'est pas un nombre entier",
    "int_from_float": "ce n'est pas un nombre entier",
    "greater_than": "doit être > {gt}", "greater_than_equal": "doit être ≥ {ge}",
    "less_than": "doit être < {lt}", "less_than_equal": "doit être ≤ {le}",
    "literal_error": "valeur non permise (attendu : {expected})",
    "string_type": "doit être un texte", "bool_parsing": "doit être vrai ou faux",
    "bool_type": "doit être vrai ou faux",
    "list_type": "doit être une liste", "dict_type": "doit être une table (clé: valeur)",
    "model_type": "doit être une table (clé: valeur)",
}

#: Operating-system errors by ``errno``.
OS_ERRORS_FR = {errno.ENOENT: "Fichier introuvable : {file}", errno.EACCES: "Permission refusée : {file}",
                errno.EPERM: "Permission refusée : {file}", errno.EISDIR: "C'est un dossier, pas un fichier : {file}",
                errno.ENOTDIR: "Ce n'est pas un dossier : {file}", errno.ENOSPC: "Disque plein : {file}",
                errno.EROFS: "Système de fichiers en lecture seule : {file}"}

#: Choices shown at most in a sentence.
MAX_CHOICES = 40


def error_text(error: BaseException, lang: str = "fr") -> str:
    """One sentence for ``error`` in ``lang``, with where it happened.

    In French, a :class:`~sobriete.errors.SobrieteError` whose ``code`` is in
    :data:`ERRORS_FR` is rebuilt from its French template and ``params``, followed by
    « (fichier X, ligne N, colonne « c ») »; an :class:`OSError` gets :func:`os_error_text`;
    anything else (and every error in English) is its own English text.

    Examples
    --------
    >>> from sobriete.errors import InputFormatError, UnitError
    >>> error_text(UnitError("kWh", "W", file="f.csv", row=3, column="unit"))
    'unité invalide « kWh » : une unité de W est attendue (fichier f.csv, ligne 3, colonne « unit »)'
    >>> error_text(InputFormatError("the file is empty", file="a.csv", code="empty_file"), "en")
    'the file is empty (file a.csv)'
    >>> error_text(InputFormatError("a new problem", code="not_in_the_catalogue"))
    'a new problem'
    """
    lang = check_lang(lang)
    if isinstance(error, OSError) and not isinstance(error, SobrieteError):
        return os_error_text(error, lang)
    if lang != "fr" or not isinstance(error, SobrieteError):
        return str(error).strip()
    sentence = _sentence(error)
    return str(error).strip() if sentence is None else sentence + where_fr(error.file, error.row, error.column)


def os_error_text(error: OSError, lang: str = "fr") -> str:
    """A file-system error as one sentence: ``Permission refusée : data.csv``.

    Examples
    --------
    >>> os_error_text(PermissionError(13, "Permission denied", "data.csv"))
    'Permission refusée : data.csv'
    >>> os_error_text(PermissionError(13, "Permission denied", "data.csv"), "en")
    'Permission denied: data.csv'
    """
    file = error.filename or ""
    template = OS_ERRORS_FR.get(error.errno) if lang == "fr" else None
    if template is not None:
        return template.format(file=file).strip()
    text = error.strerror or str(error)
    return (f"{text} : {file}" if lang == "fr" else f"{text}: {file}").strip().rstrip(":").strip()


def where_fr(file: str | None = None, row: int | None = None, column: str | None = None) -> str:
    """« (fichier X, ligne N, colonne « c ») », or nothing when nothing is known."""
    parts = [f"fichier {file}" if file else "", f"ligne {row}" if row is not None else "",
             f"colonne « {column} »" if column else ""]
    shown = ", ".join(p for p in parts if p)
    return f" ({shown})" if shown else ""


def _sentence(error: SobrieteError) -> str | None:
    """The French sentence of ``error`` without its location, or ``None`` if not translated."""
    template = ERRORS_FR.get(error.code) if error.code else None
    if template is None:
        return None
    params = {key: _value(value) for key, value in error.params.items()}
    if error.code == "unknown_name":
        kind = KINDS_FR.get(str(error.params.get("kind")))
        if kind is None:
            return None
        params["kind"] = kind
    if "choices" in error.params:
        params["choices"] = _choices(error.params["choices"])
    if "hint" in error.params:
        hint = HINTS_FR.get(error.params["hint"], error.params["hint"])
        params["hint"] = f" ; {hint.format(**params)}" if hint else ""
    if "table" in params and error.code == "missing_column":
        params["table"] = TABLES_FR.get(params["table"], params["table"])
    if "detail_type" in error.params:
        params["detail"] = _validation_detail(error.params)
        if error.params["detail_type"] == "missing":  # the "value" is the whole enclosing mapping
            template = template.replace(" (valeur « {value} »)", "")
    if error.code == "no_saved_assessment":
        year, number = error.params["year"], error.params.get("id")
        params["what"] = f"n° {number} de {year}" if number is not None else f"de {year}"
        params["years"] = params["years"] or "aucune"
    if error.code == "no_column_for":
        params.update({key: ", ".join(f"« {v} »" for v in error.params[key]) for key in ("expected", "columns")})
    if error.code == "several_saved":
        params["saved"] = "; ".join(
            f"n° {i} : regroupement {', '.join(key_label(k).lower() for k in by) or 'aucun'}, "
            f"entrées {', '.join(inputs) or 'aucune'}"
            for i, by, inputs in zip(error.params["ids"], error.params["by"], error.params["inputs"]))
    if error.code == "not_grouped_by":  # the keys in words (entité, not entity)
        params["keys"] = ", ".join(key_label(k).lower() for k in error.params["keys"] or ()) or "aucun"
    try:
        return template.format(**params)
    except (KeyError, IndexError, ValueError):  # a template naming a param the raise site did not give
        return None


def _validation_detail(params: Mapping[str, object]) -> str:
    cause = params.get("cause")
    if isinstance(cause, SobrieteError):
        return _sentence(cause) or str(cause)
    template = VALIDATION_FR.get(str(params.get("detail_type")))
    if template is not None:
        try:
            return template.format(**{k: _value(v) for k, v in dict(params.get("detail_ctx") or {}).items()})
        except (KeyError, IndexError):
            pass
    return str(params.get("detail", "")).removeprefix("Value error, ")


def _value(value: object) -> object:
    """A param as French text: a sobriete error as its sentence, lists joined, decimal comma."""
    if isinstance(value, SobrieteError):
        return _sentence(value) or str(value)
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    if isinstance(value, (list, set, frozenset)):
        return ", ".join(str(_value(v)) for v in value)
    return "" if value is None else value


def _choices(choices: Iterable[object] | None) -> str:
    if choices is None:
        return ""
    if isinstance(choices, str):  # one text, not a list of its characters
        choices = [choices]
    items = sorted({str(c) for c in choices})
    more = f", … ({len(items) - MAX_CHOICES} de plus)" if len(items) > MAX_CHOICES else ""
    return f" ; valeurs possibles : {', '.join(items[:MAX_CHOICES])}{more}"


# --------------------------------------------------------------------------- roadmap (#11)
ERRORS_FR.update({
    "roadmap_not_yaml": "la feuille de route n'est pas un YAML valide : {detail}",
    "roadmap_not_mapping": "la feuille de route doit être une table YAML (name:, baseline_year:, indicators:, "
                           "targets:, measures:)",
    "invalid_roadmap_field": "champ {field} de la feuille de route invalide : {detail} (valeur « {value} »)",
    "roadmap_unknown_builtin": "champ {field} : indicateur intégré inconnu « {value} » ; indicateurs intégrés : "
                               "{choices}",
    "roadmap_formula_unknown": "champ {field} : la formule de « {id} » utilise des indicateurs inconnus : {names}",
    "roadmap_formula_cycle": "champ {field} : la formule de « {id} » se réfère à elle-même ou forme un cycle "
                             "({cycle})",
    "roadmap_unknown_indicator": "champ {field} : l'objectif porte sur un indicateur inconnu ou inutilisable "
                                 "« {value} »",
    "roadmap_target_before_baseline": "champ {field} : l'année d'objectif {year} n'est pas postérieure à l'année "
                                      "de référence {baseline}",
    "roadmap_measure_unknown_indicator": "champ {field} : la mesure « {id} » cite des indicateurs inconnus : {names}",
    "register_no_purchase_date": "le registre des matériels n'a pas de colonne de date d'achat (colonnes : "
                                 "{columns})",
    "values_missing_column": "le fichier de valeurs n'a pas de colonne « {missing} » (colonnes : {columns})",
    "values_not_a_number": "« {value} » n'est pas un nombre",
    "values_empty_indicator": "l'indicateur est vide",
})
KINDS_FR.update({"project variant": "variante de projet inconnue"})
# --------------------------------------------------------------------------- project files (issue #10)
ERRORS_FR.update({
    "project_unreadable": "impossible de lire le fichier de projet : {detail}",
    "project_not_yaml": "le fichier de projet n'est pas un YAML valide : {detail}",
    "project_not_mapping": "le fichier de projet doit être une table YAML (name:, start:, variants: ...)",
    "invalid_project": "champ « {field} » invalide : {detail} (valeur « {value} »)",
    "project_unknown_name": "champ « {field} » : valeur inconnue « {value} »{choices}",
    "project_change_outside_horizon": "champ « {field} » : changement daté de {year}, hors de l'horizon "
                                      "{first}–{last}",
    "project_remove_too_many": "champ « {field} » : impossible de retirer {quantity} appareils, la référence n'en "
                               "compte que {held} correspondants en service en {year}",
    "project_remove_too_many_lines": "champ « {field} » : impossible de retirer {count} lignes {technology}, la "
                                     "référence n'en compte que {held}",
    "project_nothing_selected": "champ « {field} » : rien ne correspond à la sélection en {year}",
    "project_baseline_missing": "champ « {field} » : fichier de référence introuvable : {path}",
    "project_hosting_kind_missing": "champ « {field} » : un nouvel hébergement doit avoir son type (on_premises, "
                                    "colocation ou cloud)",
    "project_no_luminaires": "champ « {field} » : un changement d'éclairage demande des luminaires dans la référence",
    "project_unknown_schedule": "champ « {field} » : horaire inconnu « {name} »",
    "project_no_use_profile": "champ « {field} » : la catégorie « {category} » n'a pas de profil d'usage quotidien "
                              "dans le catalogue : sa part de temps ne peut pas être calculée",
    "project_unknown_status": "champ « {field} » : statut inconnu « {value} »{choices}",
    "project_unknown_criterion": "champ « {field} » : critère RGESN inconnu « {value} »",
    "project_always_applicable": "champ « {field} » : le critère {value} s'applique à tous les services, il ne "
                                 "peut pas être déclaré non applicable",
    "project_not_saved": "aucun projet n° {id} dans l'historique",
    "project_needs_protocol": "le domaine {domain} n'est pas inscrit au protocole des domaines : ses changements ne "
                              "peuvent pas être donnés comme modifications (donnez-les comme un tableau modifié)",
    "project_grid_shift": "les facteurs d'électricité du catalogue diffèrent entre {first} et {year} : des achats "
                          "après la dernière année du catalogue ne peuvent pas être évalués cette année-là",
    "project_row_rejected": "{domain} : une ligne construite à partir du projet est rejetée par le moteur : "
                            "{column} {reason} (valeur « {value} »)",
})


# --------------------------------------------------------------------------- uncertainty (#14)
ERRORS_FR.update({
    "bad_user_range": "la plage de {range} doit vérifier 0 ≤ bas ≤ mode ≤ haut, reçu {low}, {mode}, {high}",
    "bad_draws": "il faut au moins 2 tirages, reçu {draws}",
    "bad_seed": "la graine doit être un entier ≥ 0, reçu {seed}",
    "different_draws": "comparez des tirages Monte Carlo de même graine et de même nombre (graines {first} et "
                       "{second})",
    "design_groups": "le plan des tirages a un groupe absent du résultat calculé : {group}",
    "mixed_domains": "un modèle de réponse Monte Carlo couvre un seul domaine, reçu : {domains}",
    "range_and_scenario": "une plage sur « {override} » ne peut pas être tirée sous un scénario qui fixe aussi "
                          "« {override} » ; donnez la plage sur la valeur du scénario",
})
KINDS_FR.update({"distribution": "loi de probabilité inconnue", "uncertain field": "plage incertaine inconnue",
                 "method": "méthode inconnue"})


# --------------------------------------------------------------------------- users' ranges files (--ranges)
ERRORS_FR.update({
    "cli_ranges_needs_uncertainty": "--ranges va avec --uncertainty N",
    "cli_project_lifetime_range": "--ranges : une plage sur lifetime_years ne peut pas être tirée dans un projet, "
                                  "dont les variantes fixent les durées de vie ; donnez-la dans le fichier de projet "
                                  "(ranges: {{lifetime_years: [bas, haut]}}) pour l'analyse de sensibilité",
    "unknown_range_factor": "identifiant de facteur inconnu « {value} » ; identifiants proches : {close}",
    "unknown_range_factor_far": "identifiant de facteur inconnu « {value} » ; voyez les identifiants avec "
                                "« sobriete factors show NOM »",
    "range_on_zero_factor": "le facteur {factor} vaut 0 dans le catalogue : une plage ne peut pas en être un "
                            "multiple",
    "range_excludes_value": "la plage {low} – {high} de {factor} ne contient pas la valeur du catalogue {value} que "
                            "l'évaluation utilise ; changez cette valeur avec --factors FICHIER",
    "ranges_missing_column": "le fichier de plages n'a pas de colonne « {missing} » (colonnes : {columns}) ; "
                             "en-têtes acceptés : {expected}",
    "ranges_too_many_fields": "cette ligne a plus de champs que l'en-tête ; avec « , » comme séparateur, écrivez "
                              "les décimales avec un point ou séparez les colonnes par « ; » (ligne lue : "
                              "« {detail} »)",
    "ranges_not_a_number": "« {value} » n'est pas un nombre",
    "ranges_empty_parameter": "le paramètre est vide : donnez un identifiant de facteur ou l'un de {fields}",
    "ranges_missing_bound": "la borne est vide : une plage demande bas et haut",
    "ranges_low_above_high": "la borne basse {low} dépasse la borne haute {high}",
    "ranges_unknown_parameter": "paramètre de plage inconnu « {value} »{choices}, ou un identifiant de facteur "
                                "du catalogue",
    "ranges_factor_item": "une plage sur le facteur {factor} ne prend pas d'élément : son identifiant le nomme",
    "ranges_unknown_item": "élément inconnu « {value} »{choices}{hint}",
    "ranges_duplicate": "la plage de {range} est donnée deux fois (lignes {first} et celle-ci)",
    "ranges_empty": "le fichier de plages ne contient aucune plage",
    "ranges_not_a_list": "le fichier de plages doit être une liste YAML de plages (parametre:, bas:, haut: ...) "
                         "ou en contenir une sous « ranges: »",
    "dask_domain_skipped": "le modèle réseau {model} ne compte pas le domaine {domain} de ce jeu de données ; "
                           "choisissez un autre --network-model",
})
KINDS_FR.update({"range parameter": "paramètre de plage inconnu", "range item": "élément de plage inconnu"})
HINTS_FR.update({"or a catalog factor id": "ou un identifiant de facteur du catalogue",
                 "give a 'domain' column for a lighting ZA or technology":
                     "ajoutez une colonne « domaine » pour une ZA ou une technologie d'éclairage"})
# --------------------------------------------------------------------------- test campaign: profile candidates
ERRORS_FR.update({
    "profile_candidate": "profil {profile} : {found} colonne(s) reconnue(s), dont {own} par ses propres noms",
    "profile_candidate_missing": "profil {profile} : pas de colonne {names}",
})
ERRORS_FR.update({
    "xlsx_too_many_rows": "la feuille « {sheet} » du classeur aurait {rows} lignes, au-delà de la limite d'Excel "
                          "({limit} lignes) : utilisez --format csv ou --datapackage, ou un regroupement --by moins fin",
})
#: More pydantic error types met in project and roadmap files (test campaign).
VALIDATION_FR.update({
    "union_tag_invalid": "type « {tag} » inconnu (champ {discriminator} ; types possibles : {expected_tags})",
    "union_tag_not_found": "le champ {discriminator} manque : il dit de quel type est l'élément",
    "enum": "valeur non permise (attendu : {expected})",
    "too_short": "trop court : au moins {min_length} élément(s)", "too_long": "trop long : au plus {max_length} élément(s)",
    "string_too_short": "texte vide", "date_parsing": "ce n'est pas une date (AAAA-MM-JJ)",
    "date_type": "ce n'est pas une date (AAAA-MM-JJ)", "date_from_datetime_parsing": "ce n'est pas une date (AAAA-MM-JJ)",
    "finite_number": "le nombre doit être fini",
})

ERRORS_FR.update({
    "roadmap_strict": "--strict : {count} élément(s) inutilisable(s) dans la feuille de route, le premier : {first}",
})
