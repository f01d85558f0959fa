"""Reports of the network domain: the copper switch-off table (terminal) and JSON.

The change is shown with one sign convention (:class:`~sobriete.comparison.Comparison`):
``Variation`` = after − before (negative: a reduction) and ``Économie`` = before − after, both
explicit, so a reader never has to guess the sign.
"""

from __future__ import annotations

import json

from ..footprint import DataQuality
from ..network import SwitchOff
from .formatting import as_typed, format_number, format_percent, text_table
from .messages import check_lang, notice, reason

LABELS = {
    "fr": {"switched_lines": "Lignes basculées", "before": "Avant", "after": "Après",
           "delta": "Variation (après − avant)", "savings": "Économie (avant − après)",
           "change_pct": "Variation %",
           "total": "Total", "title": "Extinction du cuivre {year} ({unit}/an), par {keys}",
           "rejected": "{rejected}/{read} ligne(s) rejetée(s) : {rows}",
           "rejected_row": "ligne {row}, colonne {column} : {reason} (valeur : {value})"},
    "en": {"switched_lines": "Lines switched", "before": "Before", "after": "After",
           "delta": "Change (after − before)", "savings": "Saving (before − after)", "change_pct": "Change %",
           "total": "Total", "title": "Copper switch-off {year} ({unit}/yr), by {keys}",
           "rejected": "{rejected}/{read} row(s) rejected: {rows}",
           "rejected_row": "row {row}, column {column}: {reason} (value: {value})"},
}
#: Reasons of the lines' own rejection codes, more precise than the generic ones.
REASONS = {"fr": {"negative_count": "le nombre de lignes doit être ≥ 0",
                  "bad_count": "le nombre de lignes n'est pas un nombre"},
           "en": {"negative_count": "line count must be ≥ 0", "bad_count": "line count is not a number"}}
#: Labels of the grouping keys the switch-off table is usually shown by.
KEY_LABELS = {"fr": {"commune": "Commune", "entity": "Entité", "site": "Site"},
              "en": {"commune": "Commune", "entity": "Entity", "site": "Site"}}
_VALUES = ("before", "after", "delta", "savings")


def _count(value: float, lang: str) -> str:
    """A number of lines: an integer (``1 200``), or one decimal if the file gave a fraction."""
    text = f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"
    return text.replace(",", "\u202f").replace(".", ",") if lang == "fr" else text


def switch_off_table(result: SwitchOff, year: int, *, lang: str = "fr", criterion: str = "gwp") -> str:
    """The copper switch-off as a terminal table: one row per group and a total row.

    Examples
    --------
    >>> import pandas as pd
    >>> from sobriete.network import copper_switch_off
    >>> lines = pd.DataFrame({"commune": ["A"], "technology": ["adsl"], "count": [100]})
    >>> print(switch_off_table(copper_switch_off(lines, 2024), 2024, lang="en").splitlines()[0])
    Copper switch-off 2024 (kgCO2e/yr), by Commune
    """
    title, headers, rows = _switch_rows(result, year, check_lang(lang), criterion)
    keys = list(result.before.by_keys)
    header, _rule, *body = text_table(headers, rows, numeric=[False] * max(len(keys), 1) + [True] * 6).splitlines()
    return "\n".join([title, header, *body])  # one line per group under the header, as the CLI always printed


def _switch_rows(result: SwitchOff, year: int, lang: str, criterion: str) -> tuple[str, list[str], list[list[str]]]:
    """Title, headers and formatted rows (one per group, then the total) of the switch-off table."""
    labels, key_labels = LABELS[lang], KEY_LABELS[lang]
    table = result.table(criterion)
    keys = list(result.before.by_keys)
    unit = result.before.units[result.before.criteria.index(criterion)]
    totals = table[["switched_lines", *_VALUES]].sum()
    before_total = totals["before"]
    change_total = totals["delta"] / before_total * 100.0 if before_total else float("nan")

    def cells(label: list[str], row) -> list[str]:
        return [*label, _count(row["switched_lines"], lang), *(format_number(row[c], lang) for c in _VALUES)]

    rows = [cells([str(r[k]) for k in keys], r) + [format_percent(r["change_pct"], lang)]
            for r in table.to_dict("records")]
    rows.append(cells([labels["total"]] + [""] * (len(keys) - 1), totals) + [format_percent(change_total, lang)]
                if keys else cells([labels["total"]], totals) + [format_percent(change_total, lang)])
    headers = [key_labels.get(k, k) for k in keys] or [""]
    headers += [labels[c] for c in ("switched_lines", *_VALUES, "change_pct")]
    title = labels["title"].format(year=year, unit=unit,
                                   keys=", ".join(key_labels.get(k, k) for k in keys) or labels["total"].lower())
    return title, headers, rows


DOC_LABELS = {
    "fr": {"doc_title": "Extinction du cuivre {year} : passage des lignes ADSL/VDSL en fibre",
           "summary": "Synthèse", "detail": "Avant et après, par {keys}",
           "summary_text": "En {year}, basculer {lines} ligne(s) cuivre en fibre fait passer l'empreinte carbone des "
                           "lignes de {before} à {after} {unit} par an : une variation de {delta} {unit} ({pct}).",
           "chart": "Variation (après − avant) par {keys}", "quality": "Lignes lues, rejetées et avertissements",
           "rows": "Lignes lues : {read} = {assessed} évaluées + {rejected} rejetées"},
    "en": {"doc_title": "Copper switch-off {year}: ADSL/VDSL lines moved to fibre",
           "summary": "Summary", "detail": "Before and after, by {keys}",
           "summary_text": "In {year}, moving {lines} copper line(s) to fibre takes the lines' carbon footprint from "
                           "{before} to {after} {unit} a year: a change of {delta} {unit} ({pct}).",
           "chart": "Change (after − before) by {keys}", "quality": "Rows read, rejected and warnings",
           "rows": "Rows read: {read} = {assessed} assessed + {rejected} rejected"},
}


def switch_off_document(result: SwitchOff, quality: DataQuality, year: int, *, lang: str = "fr",
                        criterion: str = "gwp"):
    """The copper switch-off as an illustrated report (``network copper-switch --format html|md``):
    a summary, the change per group as a chart, the before/after table with its total, the row
    accounting, warnings and first rejected rows.

    Returns
    -------
    Document
        Render it with :func:`sobriete.report.document.render_document`.
    """
    from . import charts
    from .document import BulletList, Document, Paragraph, Table

    lang = check_lang(lang)
    words = DOC_LABELS[lang]
    title, headers, rows = _switch_rows(result, year, lang, criterion)
    keys = list(result.before.by_keys)
    table = result.table(criterion)
    unit = result.before.units[result.before.criteria.index(criterion)]
    totals = table[["switched_lines", *_VALUES]].sum()
    key_text = ", ".join(KEY_LABELS[lang].get(k, k) for k in keys) or LABELS[lang]["total"].lower()
    doc = Document(words["doc_title"].format(year=year), lang=lang)
    section = doc.section(words["summary"])
    section.add(Paragraph(words["summary_text"].format(
        year=year, lines=_count(totals["switched_lines"], lang), before=format_number(totals["before"], lang),
        after=format_number(totals["after"], lang), delta=format_number(totals["delta"], lang), unit=unit,
        pct=rows[-1][-1]), "summary"))
    names = [" / ".join(str(r[k]) for k in keys) or LABELS[lang]["total"] for r in table.to_dict("records")]
    section.add(charts.stacked_bars(names, {LABELS[lang]["delta"]: table["delta"].to_numpy(float)}, unit=f"{unit}/an"
                                    if lang == "fr" else f"{unit}/yr", title=words["chart"].format(keys=key_text),
                                    lang=lang, name="copper-switch"))
    doc.section(words["detail"].format(keys=key_text)).add(
        Table(title, headers, rows, [False] * max(len(keys), 1) + [True] * 6))
    part = doc.section(words["quality"]).add(Paragraph(words["rows"].format(
        read=quality.rows_read, assessed=quality.rows_assessed, rejected=quality.rows_rejected)))
    messages = switch_off_messages(quality, lang=lang, criterion=criterion)
    part.add(BulletList(messages) if messages else None)
    return doc


def switch_off_json(result: SwitchOff, quality: DataQuality, year: int, *, criterion: str = "gwp") -> str:
    """The copper switch-off as JSON: per group ``switched_lines``, ``before``, ``after``, ``delta``
    (after − before), ``savings`` (before − after), ``change_pct`` and energy [kWh], the totals per
    criterion and phase, and the row accounting."""
    unit = result.before.units[result.before.criteria.index(criterion)]
    totals = result.total().reset_index()
    data = {"year": year, "criterion": criterion, "unit": unit,
            "sign_convention": "delta = after - before (negative: a reduction); savings = before - after",
            "groups": _records(result.table(criterion)), "totals": _records(totals), "quality": quality.to_dict()}
    return json.dumps(data, ensure_ascii=False, default=float)


def _records(frame) -> list[dict]:
    """Records with NaN as null (JSON has no NaN)."""
    return frame.astype(object).where(frame.notna(), None).to_dict("records")


def _about(warning: object, criterion: str) -> bool:
    """Whether a warning concerns ``criterion`` (warnings naming no criterion concern all)."""
    params = getattr(warning, "params", {})
    named = params.get("criterion") or params.get("criteria")
    return named is None or criterion in str(named).split(", ")


def switch_off_messages(quality: DataQuality, *, lang: str = "fr", criterion: str = "gwp",
                        max_rejected: int = 5) -> list[str]:
    """Warnings about ``criterion`` (the one shown) and the first rejected rows, in ``lang``."""
    lang = check_lang(lang)
    out = [notice(w, lang) for w in quality.warnings if _about(w, criterion)]
    if quality.rows_rejected:
        labels = LABELS[lang]
        first = quality.rejected.sort_values("row", kind="stable").head(max_rejected)
        rows = (" ; " if lang == "fr" else "; ").join(labels["rejected_row"].format(
            row=r.row, column=r.column, reason=REASONS[lang].get(r.reason_code) or reason(r.reason_code, r.reason, lang),
            value=as_typed(r.value, lang)) for r in first.itertuples())
        out.append(labels["rejected"].format(rejected=quality.rows_rejected, read=quality.rows_read, rows=rows))
    return out
