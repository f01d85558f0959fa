"""Report of the lighting compliance check (:mod:`sobriete.compliance`): text table, JSON, CSV.

French by default, English with ``lang="en"``. :func:`render` is the one entry point; the
``lighting assess`` / ``sobriete assess`` reports can embed :func:`render_table` as a block.
"""

from __future__ import annotations

import io
import json
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import pandas as pd

from ..compliance import RULES, ComplianceResult
from ..footprint import DataQuality
from . import charts
from .document import BulletList, Document, Paragraph, Table
from .formatting import as_typed, format_number, format_share, neutralise, text_table
from .messages import check_lang, notice, reason

#: Output formats of :func:`render` (``html`` and ``md``: the illustrated report).
FORMATS = ("table", "json", "csv", "html", "md")
#: Shown non-compliant luminaires in the text table (all are in JSON and CSV).
MAX_LISTED = 10

_TEXTS = {
    "title": ("Conformité de l'éclairage des ZA — arrêté du 27 décembre 2018 (nuisances lumineuses), année {year}",
              "Business-park lighting compliance — arrêté of 27 December 2018 (light nuisance), year {year}"),
    "rules": ("Règles vérifiées", "Rules checked"),
    "rule": ("règle", "rule"), "article": ("article", "article"), "threshold": ("seuil", "threshold"),
    "verification": ("vérification du seuil", "threshold verification"),
    "by_za": ("Par ZA (nombre de luminaires)", "Per business park (number of luminaires)"),
    "by_rule": ("Par règle, toutes ZA (nombre de luminaires)", "Per rule, all business parks (number of luminaires)"),
    "za": ("ZA", "business park"), "luminaires": ("luminaires", "luminaires"),
    "compliant": ("conformes", "compliant"), "not_compliant": ("non conformes", "not compliant"),
    "unknown": ("inconnus", "unknown"), "not_applicable": ("non applicables", "not applicable"),
    "share": ("part conforme", "share compliant"),
    "energy": ("économie d'un horaire conforme (kWh/an)", "saving of a compliant schedule (kWh/yr)"),
    "dsfli": ("DSFLI mesurée (lm/m²)", "installed flux density (lm/m²)"),
    "total": ("Total", "Total"),
    "share_line": ("Part des luminaires conformes à toutes les règles décisives : {share} ({n} sur {total}) ; "
                   "règles décisives : {rules}",
                   "Share of luminaires compliant with every deciding rule: {share} ({n} of {total}); "
                   "deciding rules: {rules}"),
    "energy_line": ("Énergie qu'un horaire conforme à l'art. 2 économiserait : {energy} kWh/an",
                    "Energy a schedule following art. 2 would save: {energy} kWh/yr"),
    "listed": ("Luminaires non conformes ({shown} premiers sur {count})",
               "Non-compliant luminaires (first {shown} of {count})"),
    "row": ("ligne", "row"), "id": ("identifiant", "id"), "failed": ("règles non respectées", "rules failed"),
    "rows": ("Lignes lues : {read} = {assessed} évaluées + {rejected} rejetées",
             "Rows read: {read} = {assessed} assessed + {rejected} rejected"),
    "rejected_row": ("{file}ligne {row}, colonne {column} : {reason} (valeur : {value})",
                     "{file}row {row}, column {column}: {reason} (value: {value})"),
    "warnings": ("Avertissements", "Warnings"),
    "unknown_note": ("« inconnu » : donnée manquante ou seuil non vérifié dans le texte (jamais compté conforme).",
                     "'unknown': missing data or a threshold not verified in the text (never counted compliant)."),
    "status": ("statut", "status"), "value": ("valeur", "value"), "unit": ("unité", "unit"),
    "reason": ("motif", "reason"),
    "heading": ("Conformité à l'arrêté du 27 décembre 2018", "Compliance with the arrêté of 27 December 2018"),
    "quality": ("Lignes lues, rejetées et avertissements", "Rows read, rejected and warnings"),
}
RULE_NAMES = {
    "switch_off": ("Horaires d'extinction", "Switch-off times"),
    "ulr": ("ULR (lumière vers le haut)", "Upward light ratio"),
    "cie_code3": ("Code flux CIE n° 3", "CIE flux code n° 3"),
    "colour_temperature": ("Température de couleur", "Colour temperature"),
    "dsfli": ("Densité de flux installé (DSFLI)", "Installed flux density"),
    "upward_globe": ("Boules (> 50 % vers le haut)", "Globes (> 50 % upwards)"),
    "art5_data": ("Données de l'art. 5", "Art. 5 data"),
}
STATUS_NAMES = {"compliant": ("conforme", "compliant"), "not_compliant": ("non conforme", "not compliant"),
                "unknown": ("inconnu", "unknown"), "not_applicable": ("non applicable", "not applicable")}
VERIFICATION = {
    "verified": ("vérifié (texte lu sur Légifrance)", "verified (text read on Légifrance)"),
    "quoted": ("citation du texte (page Légifrance non lue)", "quotation of the text (Légifrance page not read)"),
    "assumption": ("hypothèse (motivée dans lighting_rules.csv)", "assumption (reasoning in lighting_rules.csv)"),
    "not_verified": ("non vérifié : la règle reste « inconnu »", "not verified: the rule stays 'unknown'"),
}
THRESHOLDS_FR = {"switch_off": "0 h allumée hors de la plage permise", "ulr": "< {v} %", "cie_code3": "> {v} %",
                 "colour_temperature": "≤ {v} K", "dsfli": "< {v} lm/m²", "upward_globe": "≤ {v} %",
                 "art5_data": "{v} données tenues"}
REASONS_FR = {
    "": "",
    "missing_ulr": "ULR non renseigné",
    "missing_cie": "code flux CIE n° 3 non renseigné",
    "missing_cct": "température de couleur non renseignée",
    "missing_year": "année d'installation inconnue : on ne sait pas si la règle s'applique",
    "before_application": "installé avant l'application de la règle",
    "protected_unknown": "on ne sait pas si la ZA est un site protégé (fichier des ZA)",
    "protected_threshold_not_verified": "site protégé : son plafond plus bas n'est pas vérifié",
    "above_protected_ceiling": "site protégé : au-dessus du plafond plus bas de l'art. 4",
    "threshold_not_verified": "seuil non vérifié dans le texte",
    "missing_flux": "un luminaire de la ZA n'a pas de flux nominal",
    "missing_area": "surface éclairée de la ZA inconnue",
    "missing_fields": "données manquantes",
    "no_schedule_column": "pas d'horaire pour le luminaire",
    "unknown_schedule": "horaire absent du fichier des horaires (--schedule)",
    "no_activity_hours": "heures d'activité de la ZA inconnues (fichier des ZA)",
    "no_installation": "usage (voirie / parking) inconnu",
    "no_location": "pas de coordonnées pour la ZA : coucher et lever du soleil inconnus",
}
#: French reasons of the rows :func:`sobriete.compliance.check_lighting` rejects.
REJECTIONS_FR = {"not_a_number": "la valeur n'est pas un nombre", "out_of_range": "valeur hors des limites plausibles",
                 "unknown_installation": "usage inconnu (voirie ou parking attendu)",
                 "bad_date": "date d'installation invalide (jj/mm/aaaa attendu)"}
#: The same in English: the library's reasons name the canonical column (``lamp_power_w must be
#: between 0 and inf``), the report names the file's header beside them.
REJECTIONS_EN = {"not_a_number": "the value is not a number", "out_of_range": "value outside the plausible range",
                 "unknown_installation": "unknown use (road or car park expected)",
                 "bad_date": "invalid installation date (dd/mm/yyyy expected)"}
NOTICES_FR = {
    "compliance_no_power": "pas de technologie ni de puissance : l'énergie qu'un horaire conforme économiserait "
                           "n'est pas calculée",
    "compliance_no_sites": "pas de fichier des ZA : heures d'activité, protection et surface éclairée inconnues",
    "compliance_za_not_in_sites": "{count} ZA de l'inventaire absente(s) du fichier des ZA : {names}",
    "compliance_site_without_luminaire": "{count} ZA du fichier des ZA sans aucun luminaire : {names}",
    "compliance_power_unknown": "{count} ligne(s) de luminaires sans technologie ou puissance connue : économie "
                                "d'énergie non calculée pour elles",
}


def plain_number(value: float, lang: str = "fr") -> str:
    """A count or a threshold as written in a text: whole numbers without decimals.

    Examples
    --------
    >>> plain_number(3000.0), plain_number(87.0, "en"), plain_number(0.5), plain_number(float("nan"))
    ('3 000', '87', '0,500', '–')
    """
    if value is None or not np.isfinite(float(value)):
        return "–"
    if float(value).is_integer():
        text = f"{int(value):,}"
        return text.replace(",", " ") if lang == "fr" else text
    return format_number(value, lang)


def _t(key: str, lang: str) -> str:
    return _TEXTS[key][0 if lang == "fr" else 1]


def _pick(table: dict, key: str, lang: str) -> str:
    return table[key][0 if lang == "fr" else 1]


def threshold_text(rule: str, value: float, status: str, english: str, lang: str) -> str:
    """The threshold of a rule as the reader's language writes it.

    Examples
    --------
    >>> threshold_text("colour_temperature", 3000.0, "quoted", "≤ 3000 K", "fr")
    '≤ 3 000 K'
    >>> threshold_text("dsfli", float("nan"), "not_verified", "(not verified)", "fr")
    'non vérifié'
    """
    if lang != "fr":
        return english
    text = THRESHOLDS_FR[rule].format(v=plain_number(value, lang)) if np.isfinite(value) else ""
    if status == "not_verified":
        text = (text + " " if text else "") + ("(non vérifié)" if text else "non vérifié")
    return text


def _notice(warning: object, lang: str) -> str:
    code = getattr(warning, "code", None)
    if lang == "fr" and code in NOTICES_FR:
        return NOTICES_FR[code].format(**getattr(warning, "params", {}))
    return notice(warning, lang)


def _rule_rows(result: ComplianceResult, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the rules checked: name, article, threshold, verification."""
    rows = [[_pick(RULE_NAMES, r.rule, lang), r.article, threshold_text(r.rule, r.value, r.status, r.threshold, lang),
             _pick(VERIFICATION, r.status, lang)] for r in result.rules.itertuples()]
    return [_t(k, lang) for k in ("rule", "article", "threshold", "verification")], rows


def _za_rows(summary: pd.DataFrame, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the counts per ZA (the total row last)."""
    num = lambda v: plain_number(v, lang)  # noqa: E731
    heads = ["za", "luminaires", "compliant", "not_compliant", "unknown", "share", "energy", "dsfli"]
    rows = [[z.za, num(z.luminaires), num(z.compliant), num(z.not_compliant), num(z.unknown),
             format_share(z.share_compliant, lang) if np.isfinite(z.share_compliant) else "–",
             format_number(z.energy_saved_kwh, lang), format_number(z.dsfli_lm_per_m2, lang)] for z in summary.itertuples()]
    return [_t(k, lang) for k in heads], rows


def _per_rule_rows(total: pd.Series, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and rows of the counts per rule and status, all ZA."""
    rows = [[_pick(RULE_NAMES, rule, lang)] + [plain_number(total[f"{rule}_{s}"], lang) for s in STATUS_NAMES]
            for rule in RULES]
    return [_t("rule", lang)] + [_t(s, lang) for s in STATUS_NAMES], rows


def _summary_lines(result: ComplianceResult, total: pd.Series, lang: str) -> list[str]:
    """The share of compliant luminaires and the energy a compliant schedule would save."""
    deciding = ", ".join(_pick(RULE_NAMES, r, lang) for r in result.deciding_rules)
    return [_t("share_line", lang).format(
                share=format_share(result.share_compliant(), lang) if total["luminaires"] else "–",
                n=plain_number(total["compliant"], lang), total=plain_number(total["luminaires"], lang),
                rules=deciding),
            _t("energy_line", lang).format(energy=format_number(total["energy_saved_kwh"], lang))]


def _accounting_lines(quality: DataQuality, lang: str) -> list[str]:
    """Rows read = assessed + rejected, then the first rejected rows with their reason."""
    return [_t("rows", lang).format(read=quality.rows_read, assessed=quality.rows_assessed,
                                    rejected=quality.rows_rejected), *rejected_lines(quality, lang)]


def _summary_frame(result: ComplianceResult, lang: str) -> pd.DataFrame:
    summary = result.summary()
    summary["za"] = summary["za"].replace({"(total)": _t("total", lang)})
    return summary


def render_table(result: ComplianceResult, lang: str = "fr", quality: DataQuality | None = None) -> str:
    """The compliance report as plain text: rules with their article and verification, counts per
    ZA and per rule, the share compliant, the energy a compliant schedule would save, the first
    non-compliant luminaires, the row accounting and the warnings."""
    lang = check_lang(lang)
    quality = quality if quality is not None else result.quality
    lines = [_t("title", lang).format(year=result.year), "", _t("rules", lang)]
    lines += [text_table(*_rule_rows(result, lang)), ""]
    summary = _summary_frame(result, lang)
    lines.append(_t("by_za", lang))
    lines += [text_table(*_za_rows(summary, lang), numeric=[False] + [True] * 7), ""]
    lines.append(_t("by_rule", lang))
    total = summary.iloc[-1]
    lines += [text_table(*_per_rule_rows(total, lang), numeric=[False, True, True, True, True]),
              _t("unknown_note", lang), ""]
    lines += _summary_lines(result, total, lang)
    failing = _failing(result, lang)
    if len(failing):
        lines += ["", _t("listed", lang).format(shown=min(MAX_LISTED, len(failing)), count=len(failing))]
        lines.append(text_table([_t(k, lang) for k in ("row", "za", "id", "failed")],
                                failing.head(MAX_LISTED).astype(str).to_numpy().tolist()))
    accounting = _accounting_lines(quality, lang)
    lines += ["", accounting[0], *("  " + line for line in accounting[1:])]
    if quality.warnings:
        lines += ["", _t("warnings", lang)] + [f"  - {_notice(w, lang)}" for w in quality.warnings]
    return "\n".join(lines) + "\n"


def rejected_lines(quality: DataQuality, lang: str = "fr", limit: int = MAX_LISTED) -> list[str]:
    """One sentence per rejected row (the first ``limit``): file, row, column, reason, value.

    Examples
    --------
    >>> bad = pd.DataFrame({"file": ["za.csv"], "row": [3], "column": ["Puissance (W)"], "value": ["-70"],
    ...                     "reason_code": ["out_of_range"], "reason": ["lamp_power_w must be >= 0"]})
    >>> rejected_lines(DataQuality(rows_read=1, rows_assessed=0, rows_rejected=1, rejected=bad))
    ['za.csv, ligne 3, colonne Puissance (W) : valeur hors des limites plausibles (valeur : -70)']
    """
    lines = []
    for item in quality.rejected.sort_values("row", kind="stable").head(limit).itertuples():
        file = f"{item.file}, " if isinstance(item.file, str) and item.file else ""
        code = getattr(item, "reason_code", None)
        own = REJECTIONS_FR if lang == "fr" else REJECTIONS_EN
        text = own[code] if code in own else reason(code, item.reason, lang)
        lines.append(_t("rejected_row", lang).format(file=file, row=item.row, column=item.column, reason=text,
                                                     value=as_typed(item.value, lang)))
    return lines


def compliance_sections(doc: Document, result: ComplianceResult, lang: str = "fr",
                        quality: DataQuality | None = None) -> None:
    """Append the compliance block to an illustrated report (:class:`~.document.Document`): the
    share compliant and the energy a compliant schedule would save, counts per ZA and per rule
    (with a chart), the rules with their article, the first non-compliant luminaires and, when
    ``quality`` is given, the row accounting and warnings."""
    lang = check_lang(lang)
    summary = _summary_frame(result, lang)
    total = summary.iloc[-1]
    section = doc.section(_t("heading", lang))
    section.add(*(Paragraph(line, "summary" if i == 0 else "text")
                  for i, line in enumerate(_summary_lines(result, total, lang))))
    section.add(Table(_t("by_za", lang), *_za_rows(summary, lang), [False] + [True] * 7))
    statuses = {_t(s, lang): [float(total[f"{rule}_{s}"]) for rule in RULES] for s in STATUS_NAMES}
    section.add(charts.stacked_bars([_pick(RULE_NAMES, r, lang) for r in RULES], statuses,
                                    unit=_t("luminaires", lang), title=_t("by_rule", lang), lang=lang,
                                    name="compliance"))
    section.add(Table(_t("by_rule", lang), *_per_rule_rows(total, lang), [False, True, True, True, True],
                      _t("unknown_note", lang)))
    section.add(Table(_t("rules", lang), *_rule_rows(result, lang)))
    failing = _failing(result, lang)
    if len(failing):
        section.add(Table(_t("listed", lang).format(shown=min(MAX_LISTED, len(failing)), count=len(failing)),
                          [_t(k, lang) for k in ("row", "za", "id", "failed")],
                          failing.head(MAX_LISTED).astype(str).to_numpy().tolist()))
    if quality is not None:
        accounting = _accounting_lines(quality, lang)
        part = doc.section(_t("quality", lang)).add(Paragraph(accounting[0]))
        part.add(BulletList(accounting[1:]) if accounting[1:] else None)
        if quality.warnings:
            part.add(Paragraph(_t("warnings", lang), "warning"), BulletList([_notice(w, lang) for w in quality.warnings]))


def compliance_document(result: ComplianceResult, lang: str = "fr", quality: DataQuality | None = None) -> Document:
    """The compliance check (``sobriete lighting check --format html|md``) as a document."""
    lang = check_lang(lang)
    doc = Document(_t("title", lang).format(year=result.year), lang=lang)
    compliance_sections(doc, result, lang, quality if quality is not None else result.quality)
    return doc


def _failing(result: ComplianceResult, lang: str) -> pd.DataFrame:
    lum = result.luminaires
    failed = pd.Series("", index=lum.index, dtype=object)
    for rule in RULES:
        hit = (lum[f"{rule}_status"] == "not_compliant").to_numpy()
        name = _pick(RULE_NAMES, rule, lang)
        failed[hit] = [f"{f}, {name}" if f else name for f in failed[hit]]
    keep = failed.ne("").to_numpy()
    return pd.DataFrame({"row": lum.index[keep], "za": lum["za"].to_numpy()[keep],
                         "id": lum["luminaire_id"].to_numpy()[keep], "failed": failed[keep].to_numpy()})


def to_long(result: ComplianceResult, lang: str = "fr") -> pd.DataFrame:
    """One line per luminaire row and rule, statuses and reasons in the reader's language."""
    lang = check_lang(lang)
    long = result.to_long()
    rules = result.rules.set_index("rule")
    long["status"] = long["status"].map(lambda s: _pick(STATUS_NAMES, s, lang))
    long["threshold"] = [threshold_text(r, rules.at[r, "value"], rules.at[r, "status"], rules.at[r, "threshold"], lang)
                         for r in long["rule"]]
    long["rule"] = long["rule"].map(lambda r: _pick(RULE_NAMES, r, lang))
    long["reason"] = long["reason"].map(lambda c: REASONS_FR.get(c, c) if lang == "fr" else c)
    if lang == "fr":
        long["unit"] = long["unit"].replace({"h/year": "h/an", "data held": "données tenues"})
    if lang == "fr":
        long = long.rename(columns={"row": "ligne", "za": "ZA", "luminaire_id": "identifiant", "rule": "règle",
                                    "status": "statut", "value": "valeur", "unit": "unité", "threshold": "seuil",
                                    "reason": "motif"})
    return long


def to_dict(result: ComplianceResult, quality: DataQuality | None = None) -> dict:
    """JSON-ready content: year, rules (article, threshold, verification), per ZA and total
    counts, share compliant, every luminaire × rule, row accounting."""
    summary = result.summary()
    clean = lambda frame: frame.astype(object).where(frame.notna(), None).to_dict("records")  # noqa: E731
    zas = result.zas.assign(activity_days=[list(d) for d in result.zas["activity_days"]])
    return {"year": result.year, "rules": clean(result.rules), "zas": clean(zas),
            "summary": clean(summary.iloc[:-1]), "total": clean(summary.iloc[-1:])[0],
            "share_compliant": result.share_compliant(), "deciding_rules": list(result.deciding_rules),
            "luminaires": clean(result.to_long()),
            "quality": (quality if quality is not None else result.quality).to_dict()}


def render(result: ComplianceResult, fmt: str = "table", lang: str = "fr", quality: DataQuality | None = None) -> str:
    """The report in ``fmt`` (:data:`FORMATS`): text table, JSON or CSV (one line per
    luminaire and rule, ``;`` separator and decimal comma in French, safe against formula
    injection)."""
    if fmt == "table":
        return render_table(result, lang, quality)
    if fmt == "json":
        return json.dumps(to_dict(result, quality), indent=2, ensure_ascii=False, default=str) + "\n"
    if fmt in ("html", "md"):
        from .render import render_document

        return render_document(compliance_document(result, lang, quality), fmt, lang)
    if fmt == "csv":
        buffer = io.StringIO()
        french = check_lang(lang) == "fr"
        neutralise(to_long(result, lang)).to_csv(buffer, index=False, sep=";" if french else ",",
                                                 decimal="," if french else ".")
        return buffer.getvalue()
    raise ValueError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def assessment_compliance(assessment, inputs, *, sites: str | Path | None = None, schedules=None,
                          catalog=None) -> list[tuple[str, ComplianceResult, DataQuality]]:
    """The compliance check of the lighting files an assessment read (``sobriete assess``).

    Parameters
    ----------
    assessment : Assessment
        The yearly assessment (its ``profiles`` name the files read as lighting).
    inputs : mapping of domain to paths, or list of paths
        As given to :func:`sobriete.assessment.assess`.
    sites : path, optional
        ZA file: every lighting file is checked (otherwise only those carrying compliance columns).
    schedules : mapping of id to Schedule, optional
        Default: the ``horaires.yaml`` found beside the inputs, as the assessment does.
    catalog : FactorCatalog, optional

    Returns
    -------
    list of (file name, ComplianceResult, DataQuality)
        Empty when no lighting file carries compliance columns and no ``sites`` is given, so
        the report is unchanged.
    """
    from ..assessment import AUTO, folder_schedules
    from ..compliance import check_file, has_compliance_columns
    from ..io import expand_paths

    if "lighting" not in assessment.footprints:
        return []
    given = inputs if isinstance(inputs, Mapping) else {AUTO: list(inputs)}
    paths = [*given.get("lighting", ()), *given.get(AUTO, ())]
    read_as_lighting = assessment.profiles.get("lighting", {})
    files = [f for f in expand_paths(paths) if f.name in read_as_lighting]
    files = [f for f in files if sites is not None or has_compliance_columns(f)]
    if files and schedules is None:
        schedules = folder_schedules([p if Path(p).is_dir() else Path(p).parent for p in map(Path, paths)])
    return [(f.name, *check_file(f, sites=sites, schedules=schedules, year=assessment.year, catalog=catalog))
            for f in files]


def attach(text: str | None, blocks: list[tuple[str, ComplianceResult, DataQuality]], fmt: str,
           lang: str = "fr") -> str | None:
    """Add the compliance blocks (:func:`assessment_compliance`) to a ``table`` or ``json``
    assessment report: below the table, or as a ``compliance`` list of the JSON (one item per
    lighting file, with its ``file`` name)."""
    if not blocks or text is None:
        return text
    if fmt == "json":
        document = json.loads(text)
        document["compliance"] = [{"file": name, **to_dict(result, quality)} for name, result, quality in blocks]
        return json.dumps(document, ensure_ascii=False, indent=2, default=str) + "\n"
    parts = [text.rstrip("\n")]
    for name, result, quality in blocks:
        parts += ["", *([f"[{name}]"] if len(blocks) > 1 else []), render_table(result, lang, quality).rstrip("\n")]
    return "\n".join(parts) + "\n"
