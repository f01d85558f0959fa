"""Reports of a project assessment: terminal text, JSON, CSV, XLSX (French by default)."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pandas as pd

from ..factors import EMBODIED_PHASES
from ..project.result import ProjectResult
from .formatting import _plain, plain_records as _records
from .formatting import format_number, neutralise, text_table
from .messages import allocation_label, check_lang, criterion_short_label, domain_label, message, phase_label

#: Assumptions listed in the tornado.
TORNADO_SIZE = 10
CSV_FLOAT_FORMAT = "%.12g"


def to_dict(result: ProjectResult, *, lang: str = "fr") -> dict[str, Any]:
    """The whole result as plain data (for JSON)."""
    project = result.project
    out = {"project": {"name": project.name, "owner": project.owner, "description": project.description,
                       "first_year": project.first_year, "horizon_years": project.horizon_years,
                       "users": project.users, "baseline": project.baseline.inputs},
           "allocation": result.allocation,
           "catalog": {"version": result.catalog.version, "hash": result.catalog.hash},
           "baseline_rows": {"read": result.quality.rows_read, "assessed": result.quality.rows_assessed,
                             "rejected": result.quality.rows_rejected},
           "summary": _records(result.summary()),
           "deltas": _records(result.deltas()),
           "choices": [message(k, lang) for k in ("project_choice_renewal", "project_choice_removal",
                                                  "project_choice_payback")]}
    if result.sensitivity is not None:
        out["sensitivity"] = _records(result.sensitivity)
    if result.checklist is not None:
        out["checklist"] = {"score": _plain(result.checklist.score), "formula": result.checklist.formula,
                            "counts": result.checklist.counts, "open_priority": result.checklist.open_priority,
                            "criteria": _records(result.checklist.frame)}
    if result.roadmap_fit is not None:  # project ↔ roadmap block (report/project_roadmap.py)
        from .project_roadmap import roadmap_dict

        out["roadmap"] = roadmap_dict(result.roadmap_fit)
    return out


def _number(value, lang: str) -> str:
    if value is None or (isinstance(value, float) and not math.isfinite(value)):
        return "–"
    return format_number(round(float(value), 1) + 0.0, lang)


def _year(value, lang: str) -> str:
    return message("project_never", lang) if value is None or value != value else str(int(value))


def render_table(result: ProjectResult, *, lang: str = "fr", criterion: str = "gwp") -> str:
    """The terminal report: summary per variant, yearly deltas, per domain, tornado, checklist."""
    lang = check_lang(lang)
    project, unit = result.project, result.catalog.criterion_units[criterion]
    years = project.years
    lines = [message("project_title", lang, name=project.name)]
    if project.owner:
        lines.append(message("project_owner", lang, owner=project.owner))
    lines.append(message("project_horizon", lang, first=years[0], last=years[-1], years=len(years),
                         allocation=allocation_label(result.allocation, lang)))
    q = result.quality
    lines.append(message("project_baseline", lang, inputs=", ".join(project.baseline.inputs), read=q.rows_read,
                         assessed=q.rows_assessed, rejected=q.rows_rejected) if project.baseline.inputs or q.rows_read
                 else message("project_greenfield", lang))
    summary = result.summary(criterion)
    lines += ["", message("project_summary", lang, criterion=result.catalog.criterion_label(criterion, lang),
                          unit=unit)]
    lines.append(_text(summary_table(result, summary, lang)))
    deltas = result.deltas()
    deltas = deltas[deltas["criterion"] == criterion]
    for variant in summary["variant"]:
        d = deltas[deltas["variant"] == variant]
        lines += ["", message("project_yearly", lang, variant=variant, criterion=criterion_short_label(criterion, lang), unit=unit)]
        lines.append(_text(yearly_table(d, years, lang)))
        by_domain = domain_table(d, lang)
        if by_domain is not None:
            lines += ["", message("project_by_domain", lang, criterion=criterion_short_label(criterion, lang), unit=unit)]
            lines.append(_text(by_domain))
    if result.sensitivity is not None and len(result.sensitivity):
        lines += _tornado_lines(result, lang, criterion, unit)
    if result.checklist is not None:
        c = result.checklist
        lines += ["", message("project_checklist", lang, score=_score(c.score, lang), conforme=c.counts["conforme"],
                              applicable=c.counts["applicable"], todo=c.counts["a_evaluer"]),
                  message("project_checklist_formula", lang)]
        if c.open_priority:
            lines.append(message("project_open_priority", lang, criteria=", ".join(c.open_priority)))
    if result.roadmap_fit is not None:  # project ↔ roadmap block (report/project_roadmap.py)
        from .project_roadmap import roadmap_lines

        lines += roadmap_lines(result.roadmap_fit, lang)
    lines += ["", message("project_choices", lang)]
    lines += [f"- {message(k, lang)}" for k in ("project_choice_renewal", "project_choice_removal",
                                                 "project_choice_payback")]
    return "\n".join(lines) + "\n"


def _text(table: tuple[list, list, list]) -> str:
    headers, rows, numeric = table
    return text_table(headers, rows, numeric=numeric)


def summary_table(result: ProjectResult, summary: pd.DataFrame, lang: str) -> tuple[list, list, list]:
    """Headers, formatted rows and numeric flags of the summary per variant."""
    headers = [message(k, lang) for k in ("project_variant", "project_net", "project_embodied", "project_use",
                                          "project_per_user", "project_carbon_payback", "project_energy",
                                          "project_money", "project_money_payback")]
    priced = result.project.electricity_price_eur_per_kwh is not None
    rows = [[r["variant"], _number(r["net_delta"], lang), _number(r["embodied_delta"], lang),
             _number(r["use_delta"], lang), _number(r["net_delta_per_user"], lang),
             _year(r["carbon_payback_year"], lang), _number(r["energy_delta_kwh"], lang),
             _number(r["money_delta_eur"], lang), _year(r["money_payback_year"], lang) if priced else "–"]
            for r in summary.to_dict("records")]
    return headers, rows, [False] + [True] * 8


def yearly_parts(deltas: pd.DataFrame, years) -> tuple[pd.Series, pd.Series]:
    """Embodied and use deltas per year of one variant and criterion (``deltas`` filtered)."""
    embodied = deltas[deltas["phase"].isin(EMBODIED_PHASES)].groupby("year")["delta"].sum()
    use = deltas[deltas["phase"] == "use"].groupby("year")["delta"].sum()
    return embodied.reindex(years, fill_value=0.0), use.reindex(years, fill_value=0.0)


def yearly_table(deltas: pd.DataFrame, years, lang: str) -> tuple[list, list, list]:
    """Headers, rows and numeric flags of one variant's deltas per year (``deltas`` filtered)."""
    embodied, use = yearly_parts(deltas, years)
    total = embodied + use
    cumulated = total.cumsum()
    headers = [message(k, lang) for k in ("project_year", "project_embodied", "project_use", "project_delta",
                                          "project_cumulated")]
    rows = [[y, _number(embodied[y], lang), _number(use[y], lang), _number(total[y], lang),
             _number(cumulated[y], lang)] for y in years]
    return headers, rows, [False] + [True] * 4


def domain_table(deltas: pd.DataFrame, lang: str) -> tuple[list, list, list] | None:
    """Headers, rows and numeric flags of one variant's cumulated delta per domain and phase,
    or None when it changes nothing."""
    by_domain = deltas.groupby(["domain", "phase"])["delta"].sum().unstack(fill_value=0.0)
    by_domain = by_domain[(by_domain.abs() > 1e-9).any(axis=1)]
    if not len(by_domain):
        return None
    phases = [p for p in ("manufacturing", "distribution", "use", "end_of_life") if p in by_domain.columns]
    return ([message("domain", lang)] + [phase_label(p, lang) for p in phases],
            [[domain_label(dom, lang)] + [_number(row[p], lang) for p in phases] for dom, row in by_domain.iterrows()],
            [False] + [True] * len(phases))


def _score(score, lang: str) -> str:
    return "–" if score is None or score != score else format_number(round(100 * score, 1), lang) + " %"


def _tornado_lines(result: ProjectResult, lang: str, criterion: str, unit: str) -> list[str]:
    from ..assessment import _item_labels
    from .project_labels import parameter_label

    labels = _item_labels(result.catalog)
    lines = []
    for variant, part in result.sensitivity.groupby("variant", sort=False):
        top = part.head(TORNADO_SIZE)
        low = min(top["result_low"].min(), top["result_high"].min())
        high = max(top["result_low"].max(), top["result_high"].max())
        lines += ["", message("project_tornado", lang, variant=variant, count=len(top), criterion=criterion_short_label(criterion, lang),
                              unit=unit, low=_number(low, lang), high=_number(high, lang))]
        lines.append(_text(tornado_table(top, lang, labels)))
    return lines


def tornado_table(top: pd.DataFrame, lang: str, labels=None) -> tuple[list, list, list]:
    """Headers, rows and numeric flags of one variant's tornado (sensitivity rows); parameters named
    in words (:func:`~.project_labels.parameter_label`, ``labels``: the catalog's item labels)."""
    from .project_labels import parameter_label

    headers = [message(k, lang) for k in ("project_parameter", "project_low", "project_high", "project_result_low",
                                          "project_result_high", "project_swing")]
    rows = [[parameter_label(r["parameter"], lang, labels), format_number(r["low"], lang), format_number(r["high"], lang),
             _number(r["result_low"], lang), _number(r["result_high"], lang), _number(r["swing"], lang)]
            for r in top.to_dict("records")]
    return headers, rows, [False] + [True] * 5


def sheets(result: ProjectResult, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """The tables of the result, by sheet name."""
    out = {"summary": result.summary(), "deltas": result.deltas(),
           "items": pd.concat([v.delta_items.assign(variant=v.name) for v in result.variants], ignore_index=True),
           "investments": pd.concat([v.investments.assign(variant=v.name) for v in result.variants],
                                    ignore_index=True)}
    if result.sensitivity is not None:
        out["sensitivity"] = result.sensitivity
    if result.checklist is not None:
        out["checklist"] = result.checklist.frame
    if result.roadmap_fit is not None:
        out["roadmap"] = result.roadmap_fit
    return out


def write(result: ProjectResult, fmt: str, output: str | Path | None = None, *, lang: str = "fr",
          uncertainty: pd.DataFrame | None = None) -> str | None:
    """The report in ``fmt`` (table, json, csv, xlsx, html, md) written to ``output``, or returned as text;
    ``uncertainty`` (:func:`sobriete.project.uncertainty.project_uncertainty`) is added to every format."""
    from ..errors import InputValueError

    if output is not None and not Path(output).parent.is_dir():
        raise InputValueError("the output's folder does not exist or is not a folder", file=str(output),
                              code="no_output_folder")
    if fmt == "xlsx":
        if output is None:
            raise InputValueError("the xlsx format needs an output file (--output report.xlsx)",
                                  code="xlsx_needs_output")
        with pd.ExcelWriter(output, engine="openpyxl") as writer:
            for name, frame in {**sheets(result, lang),
                                **({"uncertainty": uncertainty} if uncertainty is not None else {})}.items():
                neutralise(frame).to_excel(writer, sheet_name=name, index=False)
        return None
    if fmt in ("html", "md"):
        from .render import render_document

        return render_document(project_document(result, lang=lang, uncertainty=uncertainty), fmt, lang,
                               output=output)
    if fmt == "json":
        payload = to_dict(result, lang=lang)
        if uncertainty is not None:
            payload["uncertainty"] = _records(uncertainty)
        text = json.dumps(payload, ensure_ascii=False, indent=2) + "\n"
    elif fmt == "csv":
        options = {"sep": ";", "decimal": ","} if lang == "fr" else {"sep": ",", "decimal": "."}
        text = neutralise(result.deltas()).to_csv(index=False, float_format=CSV_FLOAT_FORMAT, **options)
        if uncertainty is not None:
            text += "\n" + neutralise(uncertainty).to_csv(index=False, float_format=CSV_FLOAT_FORMAT, **options)
    else:
        text = render_table(result, lang=lang)
        if uncertainty is not None:
            text += "\n" + uncertainty_title(uncertainty, lang) + "\n" + _text(uncertainty_table(uncertainty, lang))
    if output is None:
        return text
    Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return None


def compare_table(results: list[ProjectResult], *, lang: str = "fr", criterion: str = "gwp") -> str:
    """Every variant of several projects side by side: net delta, per user, paybacks."""
    unit = results[0].catalog.criterion_units[criterion]
    rows = []
    for result in results:
        for r in result.summary(criterion).to_dict("records"):
            rows.append([result.project.name, r["variant"], _number(r["net_delta"], lang),
                         _number(r["net_delta_per_user"], lang), _year(r["carbon_payback_year"], lang),
                         _number(r["money_delta_eur"], lang)])
    headers = [message(k, lang) for k in ("project_project", "project_variant", "project_net", "project_per_user",
                                          "project_carbon_payback", "project_money")]
    return "\n".join([message("project_compare", lang, criterion=criterion_short_label(criterion, lang), unit=unit),
                      text_table(headers, rows, numeric=[False, False, True, True, True, True])]) + "\n"


def saved_projects_table(frame: pd.DataFrame, *, lang: str = "fr") -> str:
    """The saved projects (``ProjectHistory.list_projects``) as a table."""
    if frame.empty:
        return message("project_none_saved", lang) + "\n"
    headers = message("project_saved_columns", lang).split("|")
    return text_table(headers, frame.astype(object).values.tolist(), numeric=[True, False, False, True, True,
                                                                               False]) + "\n"


# --------------------------------------------------------------------------- illustrated report
#: Words of the illustrated project report (key: French, English).
DOCUMENT_TEXTS = {
    "summary": ("Synthèse", "Summary"),
    "lead": ("Le projet « {name} » est évalué sur {years} ans ({first}–{last}) contre la situation de référence "
             "(delta = variante − référence : négatif = gain).",
             "Project '{name}' is assessed over {years} years ({first}–{last}) against the baseline "
             "(delta = variant − baseline: negative = saving)."),
    "variant_lead": ("Variante « {variant} » : {net} {unit} sur l'horizon ({verb}), dont {embodied} pour la "
                     "fabrication, la distribution et la fin de vie et {use} pour l'utilisation ; retour carbone : "
                     "{payback}.",
                     "Variant '{variant}': {net} {unit} over the horizon ({verb}), of which {embodied} for "
                     "manufacturing, distribution and end of life and {use} for use; carbon payback: {payback}."),
    "gain": ("un gain", "a saving"),
    "loss": ("une hausse", "an increase"),
    "same": ("aucun changement", "no change"),
    "variant": ("Variante « {variant} »", "Variant '{variant}'"),
    "chart": ("Delta annuel et cumul, fabrication comptée à l'achat ({criterion})",
              "Yearly delta and running total, embodied impacts counted at purchase ({criterion})"),
    "chart_note": ("Le graphique compte la fabrication l'année de l'achat (vue flux), comme le retour carbone ; "
                   "le tableau suit l'allocation choisie ({allocation}).",
                   "The chart counts embodied impacts in the purchase year (flux view), as the carbon payback does; "
                   "the table follows the chosen allocation ({allocation})."),
    "sensitivity": ("Sensibilité", "Sensitivity"),
    "tornado": ("Variante « {variant} » : résultat net selon chaque hypothèse ({criterion})",
                "Variant '{variant}': net result under each assumption ({criterion})"),
    "checklist": ("Écoconception", "Eco-design"),
    "uncertainty": ("Incertitude", "Uncertainty"),
    "uncertainty_title": ("Incertitude du delta net sur l'horizon, tirage par tirage ({draws} tirages, graine {seed})",
                          "Uncertainty of the net delta over the horizon, draw by draw ({draws} draws, seed {seed})"),
    "p_reduction": ("P(baisse)", "P(reduction)"),
    "method": ("Méthode", "Method"),
    "catalog": ("Catalogue de facteurs {version} (empreinte {hash}).", "Factor catalog {version} (hash {hash})."),
    "colophon": ("Produit par sobriete, catalogue {version} ({hash})", "Produced by sobriete, catalog {version} "
                                                                        "({hash})"),
}


def _t(key: str, lang: str, **values: object) -> str:
    return DOCUMENT_TEXTS[key][0 if lang == "fr" else 1].format(**values)


def _direction(delta: float) -> str:
    return "same" if abs(delta) < 0.05 else "gain" if delta < 0 else "loss"


def project_document(result: ProjectResult, *, lang: str = "fr", criterion: str = "gwp",
                     uncertainty: pd.DataFrame | None = None):
    """The illustrated report of a project (render it with
    :func:`sobriete.report.document.render_document`).

    Parameters
    ----------
    result : ProjectResult
    lang : {'fr', 'en'}, keyword-only
    criterion : str, keyword-only
        Criterion of the summary, tables and charts (default climate change).
    uncertainty : DataFrame, optional
        :func:`sobriete.project.uncertainty.project_uncertainty`: each variant's interval.

    Returns
    -------
    Document
        Sections: summary (plain-language paragraph and the table per variant), one per variant
        (yearly deltas, the chart of the yearly delta with its running total and payback year,
        deltas per domain), sensitivity (a tornado per variant), uncertainty (when given),
        eco-design checklist, method.
    """
    from . import charts
    from .document import BulletList, Document, Paragraph, Table

    lang = check_lang(lang)
    project, unit = result.project, result.catalog.criterion_units[criterion]
    years = project.years
    label = result.catalog.criterion_label(criterion, lang)
    doc = Document(message("project_title", lang, name=project.name), lang=lang,
                   subtitle=message("project_horizon", lang, first=years[0], last=years[-1], years=len(years),
                                    allocation=allocation_label(result.allocation, lang)),
                   colophon=_t("colophon", lang, version=result.catalog.version, hash=result.catalog.hash[:12]))
    summary = result.summary(criterion)
    lead = [_t("lead", lang, name=project.name, years=len(years), first=years[0], last=years[-1])]
    for r in summary.to_dict("records"):
        lead.append(_t("variant_lead", lang, variant=r["variant"], net=_number(r["net_delta"], lang), unit=unit,
                       verb=_t(_direction(r["net_delta"]), lang),
                       embodied=_number(r["embodied_delta"], lang), use=_number(r["use_delta"], lang),
                       payback=_year(r["carbon_payback_year"], lang)))
    q = result.quality
    baseline = (message("project_baseline", lang, inputs=", ".join(project.baseline.inputs), read=q.rows_read,
                        assessed=q.rows_assessed, rejected=q.rows_rejected)
                if project.baseline.inputs or q.rows_read else message("project_greenfield", lang))
    headers, rows, numeric = summary_table(result, summary, lang)
    doc.section(_t("summary", lang)).add(
        Paragraph(" ".join(lead), "summary"),
        Paragraph(message("project_owner", lang, owner=project.owner)) if project.owner else None,
        Paragraph(baseline, "warning" if q.rows_rejected else "note"),
        Table(message("project_summary", lang, criterion=label, unit=unit), headers, rows, numeric))
    deltas = result.deltas()
    deltas = deltas[deltas["criterion"] == criterion]
    for variant, r in zip(result.variants, summary.to_dict("records")):
        d = deltas[deltas["variant"] == variant.name]
        section = doc.section(_t("variant", lang, variant=variant.name))
        flux = variant.flux_use_embodied.set_index("year")["total"].reindex(years, fill_value=0.0)
        payback = r["carbon_payback_year"]
        section.add(charts.project_deltas(years, flux.to_numpy(), unit=unit, lang=lang, name="project",
                                          title=_t("chart", lang, criterion=label),
                                          payback_year=None if payback is None or payback != payback
                                          else int(payback)),
                    Paragraph(_t("chart_note", lang, allocation=allocation_label(result.allocation, lang)), "note"))
        headers, rows, numeric = yearly_table(d, years, lang)
        section.add(Table(message("project_yearly", lang, variant=variant.name, criterion=criterion_short_label(criterion, lang), unit=unit),
                          headers, rows, numeric))
        by_domain = domain_table(d, lang)
        if by_domain is not None:
            section.add(Table(message("project_by_domain", lang, criterion=criterion_short_label(criterion, lang), unit=unit), *by_domain))
    if result.sensitivity is not None and len(result.sensitivity):
        from ..assessment import _item_labels
        from .project_labels import parameter_label

        labels = _item_labels(result.catalog)
        section = doc.section(_t("sensitivity", lang))
        for variant, part in result.sensitivity.groupby("variant", sort=False):
            top = part.head(TORNADO_SIZE)
            section.add(charts.tornado([parameter_label(p, lang, labels) for p in top["parameter"]],
                                       top["result_low"].to_numpy(),
                                       top["result_high"].to_numpy(), base=float(top["result"].iloc[0]), unit=unit,
                                       title=_t("tornado", lang, variant=variant, criterion=label), lang=lang,
                                       name="tornado"))
            headers, rows, numeric = tornado_table(top, lang, labels)
            low = min(top["result_low"].min(), top["result_high"].min())
            high = max(top["result_low"].max(), top["result_high"].max())
            section.add(Table(message("project_tornado", lang, variant=variant, count=len(top), criterion=criterion_short_label(criterion, lang),
                                      unit=unit, low=_number(low, lang), high=_number(high, lang)),
                              headers, rows, numeric))
    if uncertainty is not None:
        from .uncertainty import TEXTS

        headers, rows, numeric = uncertainty_table(uncertainty, lang)
        doc.section(_t("uncertainty", lang)).add(Table(uncertainty_title(uncertainty, lang), headers, rows, numeric),
                                                 Paragraph(TEXTS[lang]["meaning"], "note"))
    if result.checklist is not None:
        c = result.checklist
        doc.section(_t("checklist", lang)).add(
            Paragraph(message("project_checklist", lang, score=_score(c.score, lang), conforme=c.counts["conforme"],
                              applicable=c.counts["applicable"], todo=c.counts["a_evaluer"])),
            Paragraph(message("project_checklist_formula", lang), "note"),
            Paragraph(message("project_open_priority", lang, criteria=", ".join(c.open_priority)), "warning")
            if c.open_priority else None)
    doc.section(_t("method", lang)).add(
        Paragraph(_t("catalog", lang, version=result.catalog.version, hash=result.catalog.hash[:12])),
        Paragraph(message("project_choices", lang), "heading"),
        BulletList([message(k, lang) for k in ("project_choice_renewal", "project_choice_removal",
                                               "project_choice_payback")]))
    return doc


def uncertainty_title(frame: pd.DataFrame, lang: str) -> str:
    """Title of the uncertainty table (draws and seed)."""
    return _t("uncertainty_title", check_lang(lang), draws=int(frame["draws"].iloc[0]), seed=int(frame["seed"].iloc[0]))


def uncertainty_table(frame: pd.DataFrame, lang: str) -> tuple[list, list, list]:
    """Headers, rows and numeric flags of each variant's delta interval and probability of a reduction."""
    from .formatting import format_share
    from .uncertainty import TEXTS

    lang = check_lang(lang)
    median, low, high, unit = (TEXTS[lang]["change_headers"][i] for i in (2, 3, 4, 5))
    headers = [message("project_variant", lang), message("project_net", lang), median, low, high, unit,
               _t("p_reduction", lang)]
    rows = [[r["variant"], _number(r["delta"], lang), _number(r["median"], lang), _number(r["p05"], lang),
             _number(r["p95"], lang), r["unit"], format_share(r["p_reduction"], lang)]
            for r in frame.to_dict("records")]
    return headers, rows, [False, True, True, True, True, False, True]
