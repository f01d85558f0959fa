"""Spreadsheet reports of an assessment: tidy CSV (ids, for machines) and an XLSX workbook in the
reader's language (labels, units in headers, numbers kept as numbers with a readable format).

Both are safe against spreadsheet formula injection, and both keep the phases their source
disowns out of the counted values (:func:`.caveats.headline`): the tidy ``value`` column sums to
the report's totals and the disowned figure sits apart in ``value_caveated`` with its caveat.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..errors import InputValueError
from .caveats import caveated_cells, headline
from .formatting import as_typed, neutralise
from .messages import (allocation_label, criterion_short_label, domain_label, item_label, key_label, message,
                       notice, phase_label, reason)
from .quality import NAMED_COUNTS, coverage_frame, shown_warnings

#: Floats in CSV outputs: 12 significant digits, far more than any factor has, and no binary
#: noise (``2.46``, not ``2.4600000000000004``); the factor catalog is written the same way.
CSV_FLOAT_FORMAT = "%.12g"
#: Excel number formats (Excel shows them with the reader's own separators): thousands grouped
#: with 2 decimals from 1 up, 3 significant digits below, shares as percentages.
NUMBER_FORMAT, SMALL_NUMBER_FORMAT, SHARE_FORMAT = "#,##0.00", "0.00E+00", "0.0%"

#: Sheet names of the workbook.
SHEETS = {
    "fr": {"summary": "Résumé", "totals": "Totaux", "set_apart": "Mis à part", "domains": "Domaines",
           "results": "Résultats", "coverage": "Couverture", "rejected": "Lignes rejetées",
           "warnings": "Avertissements", "unmapped": "Valeurs non reconnues"},
    "en": {"summary": "Summary", "totals": "Totals", "set_apart": "Set apart", "domains": "Domains",
           "results": "Results", "coverage": "Coverage", "rejected": "Rejected rows", "warnings": "Warnings",
           "unmapped": "Unrecognised values"},
}
#: Column headers of the workbook (grouping keys use :func:`.messages.key_label`, phases
#: :func:`.messages.phase_label`).
HEADERS = {
    "fr": {"year": "Année", "domain": "Domaine", "criterion": "Critère", "label": "Libellé", "phase": "Phase",
           "value": "Valeur", "unit": "Unité", "uncovered_rows": "Lignes sans facteur", "allocation": "Allocation",
           "catalog_version": "Version du catalogue", "value_caveated": "Valeur mise à part",
           "caveat": "Réserve de la source", "total": "Total", "energy_kwh": "Électricité (kWh)",
           "rows_read": "Lignes lues", "rows_assessed": "Lignes évaluées", "rows_rejected": "Lignes rejetées",
           "files": "Fichiers (profil)", "file": "Fichier", "row": "Ligne", "column": "Colonne",
           "reason": "Motif", "reason_code": "Code du motif", "warning": "Avertissement", "count": "Nombre de lignes",
           "suggestion": "Suggestion", "share_of_criterion": "Part du critère", "rows": "Lignes évaluées",
           "covered_share": "Part couverte", "key": "Élément", "embodied": "Intrinsèque (hors utilisation)"},
    "en": {"year": "Year", "domain": "Domain", "criterion": "Criterion", "label": "Label", "phase": "Phase",
           "value": "Value", "unit": "Unit", "uncovered_rows": "Rows without factor", "allocation": "Allocation",
           "catalog_version": "Catalog version", "value_caveated": "Value set apart",
           "caveat": "Source's caveat", "total": "Total", "energy_kwh": "Electricity (kWh)",
           "rows_read": "Rows read", "rows_assessed": "Rows assessed", "rows_rejected": "Rows rejected",
           "files": "Files (profile)", "file": "File", "row": "Row", "column": "Column", "reason": "Reason",
           "reason_code": "Reason code", "warning": "Warning", "count": "Rows", "suggestion": "Suggestion",
           "share_of_criterion": "Share of the criterion", "rows": "Rows assessed", "covered_share": "Share covered",
           "key": "Item", "embodied": "Embodied (all but use)"},
}


# --------------------------------------------------------------------------- tidy frames (ids)
def results_frame(assessment: Assessment, *, lang: str = "fr", include_caveated: bool = False) -> pd.DataFrame:
    """Tidy results: ``year, domain, keys..., criterion, phase, value, unit, uncovered_rows,
    allocation, catalog_version, value_caveated, caveat``.

    ``value`` sums to the report's totals: a criterion × phase its source disowns is empty
    there (NaN) and its figure is in ``value_caveated`` with the source's ``caveat`` — unless
    ``include_caveated``, where it stays in ``value`` and ``caveat`` still names it.
    """
    frame = assessment.to_frame()
    frame.insert(0, "year", assessment.year)
    frame["allocation"] = assessment.allocation
    frame["catalog_version"] = assessment.catalog_version
    frame["uncovered_rows"] = frame["uncovered_rows"].astype(np.int64)
    frame["value_caveated"] = np.nan
    frame["caveat"] = None
    for criterion, phase, caveat in caveated_cells(assessment):
        at = ((frame["criterion"] == criterion) & (frame["phase"] == phase) & (frame["value"] != 0)).to_numpy()
        frame.loc[at, "caveat"] = notice(caveat, lang)
        if not include_caveated:
            frame.loc[at, "value_caveated"] = frame.loc[at, "value"]
            frame.loc[at, "value"] = np.nan
    return frame


def domains_frame(assessment: Assessment) -> pd.DataFrame:
    """Per domain and criterion: the phases, the total, the unit, electricity and rows read,
    assessed and rejected."""
    parts = []
    for name, part in assessment.footprints.items():
        q = assessment.domain_quality.get(name)
        frame = part.total().reset_index().drop(columns=["complete"])
        frame.insert(0, "domain", name)
        frame["energy_kwh"] = float(part.energy_kwh.sum())
        for key in ("rows_read", "rows_assessed", "rows_rejected"):
            frame[key] = getattr(q, key) if q is not None else None
        frame["files"] = ", ".join(f"{f} ({p})" for f, p in assessment.profiles.get(name, {}).items())
        parts.append(frame)
    return pd.concat(parts, ignore_index=True)


def write_csv(assessment: Assessment, target: str | Path | io.TextIOBase | None = None, *,
              lang: str = "fr", include_caveated: bool = False) -> str | None:
    """Tidy results (:func:`results_frame`, ids as column names and values, for machines) as
    CSV, safe against formula injection. French: ``;`` and decimal comma (what a French
    spreadsheet expects); English: ``,`` and decimal point. Returns the text when ``target``
    is None."""
    frame = neutralise(results_frame(assessment, lang=lang, include_caveated=include_caveated))
    options = {"sep": ";", "decimal": ","} if lang == "fr" else {"sep": ",", "decimal": "."}
    options["float_format"] = CSV_FLOAT_FORMAT
    if isinstance(target, (str, Path)):
        frame.to_csv(target, index=False, encoding="utf-8-sig", **options)
        return None
    text = frame.to_csv(index=False, **options)
    if target is not None:
        target.write(text)
        return None
    return text


# --------------------------------------------------------------------------- workbook (labels)
def workbook_sheets(assessment: Assessment, *, lang: str = "fr",
                    include_caveated: bool = False) -> dict[str, pd.DataFrame]:
    """The workbook's sheets in the reader's language: ``{sheet name: frame}`` with labelled
    headers (units in brackets) and labelled domains, criteria, phases and items."""
    head = headline(assessment, include_caveated=include_caveated)
    q = assessment.quality
    labels = assessment.item_labels
    total = head.assessment.footprint.total().reset_index().drop(columns=["complete"])
    total.insert(1, "label", [assessment.criterion_label(c, lang) for c in total["criterion"]])
    rejected = q.rejected.copy()
    if len(rejected):
        rejected["value"] = [as_typed(v) for v in rejected["value"]]
        rejected["reason"] = [reason(c, r, lang) for c, r in zip(rejected.get("reason_code", [None] * len(rejected)),
                                                                  rejected["reason"])]
    summary = [(message("year", lang), assessment.year),
               (message("allocation", lang), allocation_label(assessment.allocation, lang)),
               (message("by", lang), ", ".join(key_label(k, lang) for k in assessment.by)),
               (message("catalog", lang), f"{assessment.catalog_version} ({assessment.catalog_hash})"),
               (HEADERS[lang]["rows_read"], q.rows_read), (HEADERS[lang]["rows_assessed"], q.rows_assessed),
               (HEADERS[lang]["rows_rejected"], q.rows_rejected),
               *[(message(f"count_{k}", lang, count=int(q.counts[k])), int(q.counts[k])) for k in NAMED_COUNTS
                 if q.counts.get(k)],
               (message("inputs", lang), ", ".join(f"{f.name} sha256:{f.sha256}" for f in assessment.inputs))]
    set_apart = head.set_apart.assign(caveat=[notice(head.notices[c, p], lang) for c, p in
                                              zip(head.set_apart["criterion"], head.set_apart["phase"])])
    sheets = {
        "summary": pd.DataFrame(summary, columns=[HEADERS[lang]["key"], HEADERS[lang]["value"]]),
        "totals": total, "set_apart": set_apart, "domains": domains_frame(head.assessment),
        "results": results_frame(assessment, lang=lang, include_caveated=include_caveated),
        "coverage": coverage_frame(assessment), "rejected": rejected,
        "warnings": pd.DataFrame({"warning": [notice(w, lang) for w in shown_warnings(q.warnings)]}),
        "unmapped": assessment.unmapped,
    }
    return {SHEETS[lang][name]: _labelled(frame, assessment, labels, lang) for name, frame in sheets.items()}


def _labelled(frame: pd.DataFrame, assessment: Assessment, labels, lang: str) -> pd.DataFrame:
    """Ids to labels in the id columns and labelled headers (a unit column folds into the
    header when the frame has one unit per criterion)."""
    out = frame.copy()
    if "domain" in out:
        out["domain"] = [domain_label(str(d), lang) for d in out["domain"]]
    if "criterion" in out:
        out["criterion"] = [criterion_short_label(str(c), lang) for c in out["criterion"]]
    if "phase" in out:
        out["phase"] = [phase_label(str(p), lang) for p in out["phase"]]
    if "allocation" in out:
        out["allocation"] = [allocation_label(str(a), lang) for a in out["allocation"]]
    for key in assessment.by:
        if key in out and out[key].dtype == object:
            out[key] = [item_label(v, lang, labels) if isinstance(v, str) else v for v in out[key]]
    headers = {**HEADERS[lang], **{p: phase_label(p, lang) for p in ("manufacturing", "distribution", "use",
                                                                     "end_of_life")}}
    out.columns = [headers.get(c, key_label(c, lang)) for c in out.columns]
    return out


#: Rows of an Excel sheet, header included (Excel 2007 and later).
EXCEL_MAX_ROWS = 1_048_576


def write_xlsx(assessment: Assessment, target: str | Path | io.BytesIO, *, lang: str = "fr",
               include_caveated: bool = False) -> None:
    """A workbook (:func:`workbook_sheets`) in the reader's language, safe against formula
    injection; numbers stay numbers, with a readable number format.

    Raises
    ------
    InputValueError
        A sheet would pass Excel's :data:`EXCEL_MAX_ROWS` rows (10⁵ groups × criteria × phases
        of results): nothing is written.
    """
    sheets = workbook_sheets(assessment, lang=lang, include_caveated=include_caveated)
    for name, frame in sheets.items():  # refused before anything is written
        if len(frame) + 1 > EXCEL_MAX_ROWS:
            raise InputValueError(
                f"the workbook's sheet {name!r} would have {len(frame) + 1:,} rows, over Excel's limit of "
                f"{EXCEL_MAX_ROWS:,}: use --format csv or --datapackage, or a coarser --by",
                code="xlsx_too_many_rows", sheet=name, rows=len(frame) + 1, limit=EXCEL_MAX_ROWS)
    with pd.ExcelWriter(target, engine="openpyxl") as writer:
        for name, frame in sheets.items():
            neutralise(frame.astype({c: object for c in frame.columns if frame[c].dtype == "string"}))\
                .to_excel(writer, sheet_name=name, index=False)
            _number_formats(writer.sheets[name], frame, share_columns={HEADERS[lang]["share_of_criterion"],
                                                                       HEADERS[lang]["covered_share"]})


def _number_formats(sheet, frame: pd.DataFrame, share_columns: set[str]) -> None:
    """A readable format on every float cell, and column widths that fit the headers."""
    for j, column in enumerate(frame.columns, start=1):
        letter = sheet.cell(row=1, column=j).column_letter
        sheet.column_dimensions[letter].width = max(10, min(60, len(str(column)) + 2))
        if not pd.api.types.is_float_dtype(frame[column].dtype):
            continue
        for i in range(2, len(frame) + 2):
            cell = sheet.cell(row=i, column=j)
            if isinstance(cell.value, (int, float)):
                cell.number_format = SHARE_FORMAT if column in share_columns else (
                    NUMBER_FORMAT if cell.value == 0 or abs(cell.value) >= 1 else SMALL_NUMBER_FORMAT)
