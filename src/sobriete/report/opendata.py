"""Open-data export of a yearly assessment: a Frictionless data package.

A folder with three CSV files and ``datapackage.json`` describing them with Table Schemas, ready
to publish on data.gouv.fr (the *stratégie numérique responsable*'s open-data topic):

- ``resultats.csv``: every value per domain, grouping keys (entity...), criterion and phase,
  with its unit and the number of rows without a factor (``uncovered_rows``: above zero the
  value is a lower bound);
- ``facteurs.csv``: the factors of the tables the assessed domains read, with their unit,
  range, status and source;
- ``sources.csv``: the sources (organisation, document, year, licence, address, location).

CSV files follow RFC 4180 as Frictionless expects by default (``,`` separator, ``.`` decimal
point, UTF-8), not the French spreadsheet convention: they are meant for machines.

References
----------
Frictionless Data, "Data Package" and "Table Schema" specifications (v1),
https://specs.frictionlessdata.io/data-package/ and https://specs.frictionlessdata.io/table-schema/
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..errors import InputValueError
from .yearly import DOMAIN_TABLES

#: Files of the package.
RESULTS_FILE, FACTORS_FILE, SOURCES_FILE, DESCRIPTOR_FILE = ("resultats.csv", "facteurs.csv", "sources.csv",
                                                             "datapackage.json")
#: Columns of the factor resource (key columns of each table are joined into ``factor``).
FACTOR_COLUMNS = ["table", "factor", "value", "unit", "low", "high", "status", "source_id", "note"]
SOURCE_COLUMNS = ["source_id", "organisation", "document", "year", "licence", "url", "location"]
#: Descriptions of the known columns (French first: the package is for French publication).
DESCRIPTIONS = {
    "year": "Année évaluée / assessed year",
    "domain": "Domaine : equipment, traffic, lines, hosting, lighting",
    "criterion": "Critère : gwp (changement climatique), adpe (ressources abiotiques), pe (énergie primaire), "
                 "water (eau)",
    "phase": "Phase du cycle de vie : manufacturing, distribution, use, end_of_life",
    "value": "Valeur dans l'unité de la colonne unit",
    "unit": "Unité de la valeur",
    "uncovered_rows": "Lignes évaluées sans facteur pour ce critère et cette phase (> 0 : valeur minorée)",
    "allocation": "Allocation des impacts de fabrication (amortised, at_purchase)",
    "catalog_version": "Version du catalogue de facteurs",
    "table": "Table du catalogue de facteurs",
    "factor": "Identifiant du facteur (colonnes clés de la table, séparées par /)",
    "low": "Borne basse donnée par la source", "high": "Borne haute donnée par la source",
    "status": "sourced, derived (formule dans note) ou assumption (raisonnement dans note)",
    "source_id": "Identifiant de la source (sources.csv)",
    "note": "Où dans la source, calcul ou raisonnement",
}
_FLOAT_FORMAT = "%.12g"


def _field(name: str, series: pd.Series) -> dict:
    if pd.api.types.is_bool_dtype(series):
        kind = "boolean"
    elif pd.api.types.is_integer_dtype(series):
        kind = "integer"
    elif pd.api.types.is_float_dtype(series):
        kind = "number"
    else:
        kind = "string"
    field = {"name": name, "type": kind}
    if name in DESCRIPTIONS:
        field["description"] = DESCRIPTIONS[name]
    return field


def _resource(name: str, path: str, frame: pd.DataFrame, title: str, **schema) -> dict:
    return {"name": name, "path": path, "title": title, "profile": "tabular-data-resource", "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8",
            "schema": {"fields": [_field(c, frame[c]) for c in frame.columns], **schema}}


def results_table(assessment: Assessment) -> pd.DataFrame:
    """Every value of the assessment: ``year, domain, keys..., criterion, phase, value, unit,
    uncovered_rows, allocation, catalog_version``."""
    frame = assessment.to_frame()
    frame.insert(0, "year", np.int64(assessment.year))
    frame["uncovered_rows"] = frame["uncovered_rows"].astype(np.int64)
    frame["allocation"] = assessment.allocation
    frame["catalog_version"] = assessment.catalog_version
    for key in assessment.by:  # keys as text: a commune code stays "02100", missing groups stay empty
        frame[key] = frame[key].astype(object).where(frame[key].notna(), None).map(
            lambda v: None if v is None else str(v))
    return frame


def factors_table(catalog, domains) -> pd.DataFrame:
    """The factors of the tables the ``domains`` read (:data:`~.yearly.DOMAIN_TABLES`), one
    row per value: :data:`FACTOR_COLUMNS`."""
    names = [t for t in dict.fromkeys(t for d in domains for t in DOMAIN_TABLES.get(d, ())) if t in catalog.table_names]
    parts = []
    for name in names:
        table = catalog.table(name)
        if table.empty or "value" not in table:
            continue
        keys = [c for c in table.columns if c not in {"value", "unit", "low", "high", "source_id", "status", "note",
                                                         "unit_source"}]
        factor = table[keys].astype(str).agg("/".join, axis=1) if keys else pd.Series("", index=table.index)
        parts.append(pd.DataFrame({"table": name, "factor": factor, "value": table["value"].astype(float),
                                   "unit": table["unit"].astype(str), "low": table["low"].astype(float),
                                   "high": table["high"].astype(float), "status": table["status"].astype(str),
                                   "source_id": table["source_id"].astype(str),
                                   "note": table["note"].fillna("").astype(str)}))
    return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(columns=FACTOR_COLUMNS)


def sources_table(catalog, factors: pd.DataFrame) -> pd.DataFrame:
    """The sources the ``factors`` cite: :data:`SOURCE_COLUMNS`."""
    sources = catalog.table("sources")
    used = sources[sources["source_id"].isin(set(factors["source_id"]))][SOURCE_COLUMNS].copy()
    used["year"] = pd.to_numeric(used["year"], errors="coerce").astype("Int64")
    return used.reset_index(drop=True)


def write_datapackage(assessment: Assessment, folder: str | Path, *, catalog=None) -> Path:
    """Write the open-data package of an assessment into ``folder`` (created if needed).

    Parameters
    ----------
    assessment : Assessment
        The yearly assessment.
    folder : path
        Output folder; its three CSV files and ``datapackage.json`` are replaced.
    catalog : FactorCatalog, optional
        The catalog the assessment used (default: the bundled one); its hash must match.

    Returns
    -------
    Path
        The ``datapackage.json`` written.

    Examples
    --------
    >>> import tempfile
    >>> from sobriete.assessment import assess
    >>> result = assess(["examples/2025/"], year=2025, by="entity")
    >>> path = write_datapackage(result, tempfile.mkdtemp())
    >>> [r["path"] for r in json.loads(path.read_text())["resources"]]
    ['resultats.csv', 'facteurs.csv', 'sources.csv']
    """
    from ..factors import load_catalog

    catalog = catalog if catalog is not None else load_catalog()
    if catalog.hash != assessment.catalog_hash:
        raise InputValueError("the factor catalog given is not the one the assessment used "
                              f"({catalog.version} vs {assessment.catalog_version})", code="different_catalogs",
                              first=catalog.version, second=assessment.catalog_version)
    folder = Path(folder)
    if folder.exists() and not folder.is_dir():
        raise InputValueError("the output of the datapackage format must be a folder", file=str(folder),
                              code="datapackage_needs_folder")
    folder.mkdir(parents=True, exist_ok=True)
    results = results_table(assessment)
    factors = factors_table(catalog, assessment.footprints)
    sources = sources_table(catalog, factors)
    for frame, name in ((results, RESULTS_FILE), (factors, FACTORS_FILE), (sources, SOURCES_FILE)):
        frame.to_csv(folder / name, index=False, encoding="utf-8", float_format=_FLOAT_FORMAT, lineterminator="\r\n")
    descriptor = {
        "profile": "tabular-data-package",
        "name": f"empreinte-numerique-{assessment.year}",
        "title": ("Empreinte environnementale du numérique et de l'éclairage des zones d'activité — "
                  f"{assessment.year}"),
        "description": ("Résultats du bilan annuel calculé par sobriete (allocation "
                        f"{assessment.allocation}, catalogue de facteurs {assessment.catalog_version}, empreinte "
                        f"{assessment.catalog_hash}) et facteurs utilisés avec leurs sources. Choisissez la licence "
                        "de publication de vos résultats ; chaque source garde la sienne (sources.csv)."),
        "version": assessment.catalog_version,
        "keywords": ["numérique responsable", "empreinte carbone", "REEN", "éclairage public"],
        "resources": [
            _resource("resultats", RESULTS_FILE, results, "Résultats par domaine, regroupement, critère et phase"),
            _resource("facteurs", FACTORS_FILE, factors, "Facteurs d'impact utilisés",
                      foreignKeys=[{"fields": "source_id", "reference": {"resource": "sources",
                                                                          "fields": "source_id"}}]),
            _resource("sources", SOURCES_FILE, sources, "Sources des facteurs", primaryKey=["source_id"]),
        ],
    }
    path = folder / DESCRIPTOR_FILE
    path.write_text(json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path
