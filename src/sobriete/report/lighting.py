"""Lighting reports: burning hours, assessment and scenario tables and JSON, French by default.

Every assessment report says which electricity factor was used (the average mix of the year,
the default, or the seasonal per-use factor) and, for a scenario, the baseline's and the
scenario's electricity prices side by side.
"""

from __future__ import annotations

import json
from typing import Any

import numpy as np
import pandas as pd

from .formatting import as_typed, format_number, text_table
from .messages import check_lang, notice, reason
from .compliance import plain_number, rejected_lines, render_table as compliance_table, to_dict as compliance_dict

#: Output labels: key -> (French, English).
_TEXTS = {
    "lit_hours": ("heures allumées (h)", "lit hours (h)"),
    "full_power_hours": ("heures équiv. pleine puissance (h)", "full-power-equivalent hours (h)"),
    "month": ("mois", "month"),
    "za": ("ZA", "business park"),
    "luminaires": ("luminaires", "luminaires"),
    "system_power_kw": ("puissance (kW)", "power (kW)"),
    "energy_kwh": ("énergie (kWh/an)", "energy (kWh/yr)"),
    "cost_eur": ("coût (€/an)", "cost (EUR/yr)"),
    "gwp_total": ("GES (kgCO2e/an)", "GHG (kgCO2e/yr)"),
    "energy_saved_kwh": ("énergie économisée (kWh/an)", "energy saved (kWh/yr)"),
    "gwp_baseline": ("GES avant (kgCO2e/an)", "GHG before (kgCO2e/yr)"),
    "gwp_scenario": ("GES après (kgCO2e/an)", "GHG after (kgCO2e/yr)"),
    "gwp_saved": ("GES évités (kgCO2e/an)", "GHG avoided (kgCO2e/yr)"),
    "cost_baseline_eur": ("coût avant (€/an)", "cost before (EUR/yr)"),
    "cost_scenario_eur": ("coût après (€/an)", "cost after (EUR/yr)"),
    "cost_saved_eur": ("économie (€/an)", "saving (EUR/yr)"),
    "investment_eur": ("investissement (€)", "investment (EUR)"),
    "payback_years": ("retour simple (ans)", "simple payback (years)"),
    "cee_kwh_cumac": ("CEE (kWh cumac)", "CEE (kWh cumac)"),
    "cee_value_eur": ("valeur des CEE (€)", "CEE value (EUR)"),
    "payback_with_cee_years": ("retour avec CEE (ans)", "payback with CEE (years)"),
    "hours_title": ("Heures de fonctionnement {year} — lat {lat}, lon {lon}, seuil {threshold}°",
                    "Burning hours {year} — lat {lat}, lon {lon}, threshold {threshold}°"),
    "rejected": ("{n} ligne(s) rejetée(s) sur {read} :", "{n} row(s) rejected out of {read}:"),
    "warning": ("Attention", "Warning"),
    "nothing_assessed": ("Aucun luminaire évalué : toutes les lignes sont rejetées (motifs ci-dessous).",
                         "No luminaire assessed: every row is rejected (reasons below)."),
    "no_rows": ("Aucun luminaire évalué : le fichier n'a aucune ligne de données.",
                "No luminaire assessed: the file has no data row."),
    "scenario": ("Scénario « {name} » — économies par an (économie = avant − après)",
                 "Scenario '{name}' — savings per year (saving = before − after)"),
    "electricity": ("Facteur d'électricité : {label}", "Electricity factor: {label}"),
    "electricity_mix": ("mix moyen de consommation de l'année {year} (ADEME : le facteur d'un bilan GES)",
                        "average consumption mix of {year} (ADEME: the factor of a GHG inventory)"),
    "electricity_usage": ("usage « éclairage public », méthode saisonnalisée (analyse de sensibilité ; ADEME "
                          "ne publie plus ces facteurs après 2023)",
                          "per-use 'public lighting' factor, seasonal method (sensitivity analysis; ADEME "
                          "publishes none after 2023)"),
    "price": ("Prix de l'électricité : {price} €/kWh", "Electricity price: {price} EUR/kWh"),
    "prices": ("Prix de l'électricité : avant {before} €/kWh, après {after} €/kWh",
               "Electricity price: before {before} EUR/kWh, after {after} EUR/kWh"),
}
LABELS = {lang: {key: texts[i] for key, texts in _TEXTS.items()} for i, lang in enumerate(("fr", "en"))}
#: Rejected rows listed on stderr (all of them are in JSON).
MAX_REJECTED_SHOWN = 10
ASSESSMENT_COLUMNS = ["za", "luminaires", "system_power_kw", "full_power_hours", "energy_kwh", "cost_eur", "gwp_total"]
SAVINGS_COLUMNS = ["za", "energy_saved_kwh", "gwp_baseline", "gwp_scenario", "gwp_saved", "cost_baseline_eur",
                   "cost_scenario_eur", "cost_saved_eur", "investment_eur", "payback_years", "cee_kwh_cumac",
                   "cee_value_eur", "payback_with_cee_years"]


def table(frame: pd.DataFrame, lang: str = "fr") -> str:
    """``frame`` as text with translated headers, numbers formatted for ``lang`` and
    right-aligned, text left-aligned (a frame without rows gives its headers alone).

    Examples
    --------
    >>> print(table(pd.DataFrame({"za": ["ZA 1", "Total"], "energy_kwh": [1234.5, 12.0]})))
    ZA     énergie (kWh/an)
    -----  ----------------
    ZA 1            1 234,5
    Total             12,00
    """
    labels = LABELS[check_lang(lang)]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in frame.columns]
    counts = [pd.api.types.is_integer_dtype(frame[c]) for c in frame.columns]
    rows = [[(plain_number(v, lang) if count else format_number(v, lang)) if num else v
             for v, num, count in zip(row, numeric, counts)] for row in frame.itertuples(index=False)]
    return text_table([labels.get(c, c) for c in frame.columns], rows, numeric=numeric)


def with_total(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` (one row per ZA) with a total row: additive columns summed; full-power hours
    = total energy / total power [h]; payback = total investment / total yearly saving [year].

    Examples
    --------
    >>> f = pd.DataFrame({"za": ["A", "B"], "system_power_kw": [1.0, 3.0], "energy_kwh": [4000.0, 6000.0],
    ...                   "full_power_hours": [4000.0, 2000.0]})
    >>> with_total(f).iloc[-1, 1:].astype(float).tolist()
    [4.0, 10000.0, 2500.0]
    """
    if frame.empty:
        return frame
    total = frame.sum(numeric_only=True)
    ratios = {"full_power_hours": ("energy_kwh", "system_power_kw"),
              "payback_years": ("investment_eur", "cost_saved_eur"),
              "payback_with_cee_years": ("net_investment_eur", "cost_saved_eur")}
    for column, (num, den) in ratios.items():
        if column in total.index:
            ok = num in total.index and den in total.index and total[den] > 0
            total[column] = total[num] / total[den] if ok else float("nan")
    row = pd.DataFrame([{**total.to_dict(), frame.columns[0]: "Total"}])[frame.columns]
    out = pd.concat([frame, row], ignore_index=True)
    counts = [c for c in frame.columns if pd.api.types.is_integer_dtype(frame[c])]
    return out.astype({c: frame[c].dtype for c in counts})


def _columns(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    return frame[[c for c in columns if c in frame.columns]]


def electricity_label(meta: dict, lang: str = "fr") -> str:
    """The electricity factor a lighting footprint used, in words.

    Examples
    --------
    >>> electricity_label({"electricity": "mix", "year": 2025}, "en")
    'average consumption mix of 2025 (ADEME: the factor of a GHG inventory)'
    """
    return LABELS[check_lang(lang)][f"electricity_{meta['electricity']}"].format(year=meta["year"])


def hours_report(result, *, year: int, latitude: float, longitude: float, threshold: float, off=(), dim=(),
                 fmt: str = "table", lang: str = "fr") -> str:
    """Burning hours of one site (:class:`sobriete.lighting.BurningHours` of one row), monthly."""
    monthly = pd.DataFrame({"month": np.arange(1, 13), "lit_hours": result.monthly_lit_hours[0],
                            "full_power_hours": result.monthly_full_power_hours[0]})
    if fmt == "json":
        return json.dumps({"year": year, "latitude": latitude, "longitude": longitude, "threshold_deg": threshold,
                           "off": list(off), "dim": list(dim), "lit_hours": float(result.lit_hours[0]),
                           "full_power_hours": float(result.full_power_hours[0]),
                           "monthly": monthly.to_dict("records")}, indent=2)
    labels = LABELS[check_lang(lang)]
    colon = " : " if lang == "fr" else ": "
    return "\n".join([labels["hours_title"].format(year=year, lat=latitude, lon=longitude, threshold=threshold),
                      f"{labels['lit_hours']}{colon}{format_number(result.lit_hours[0], lang)}",
                      f"{labels['full_power_hours']}{colon}{format_number(result.full_power_hours[0], lang)}",
                      table(monthly, lang)])


def assessment_dict(result, quality, scenario=None, lang: str = "fr", compliance=None,
                    compliance_quality=None) -> dict[str, Any]:
    """JSON-ready content of a lighting assessment (and scenario): summary, savings, meta with
    the electricity factor named in ``lang``, prices, row accounting."""
    meta = dict(result.footprint.meta)
    meta["electricity_label"] = electricity_label(meta, lang)
    out = {"summary": result.summary.to_dict("records"), "savings": None, "meta": meta,
           "quality": quality.to_dict()}
    if scenario is not None:
        out["scenario"] = {"name": scenario.name,
                           "energy_price_eur_per_kwh": scenario.scenario.footprint.meta["energy_price_eur_per_kwh"],
                           "baseline_energy_price_eur_per_kwh": meta["energy_price_eur_per_kwh"],
                           "convention": "saved = baseline - scenario (delta = scenario - baseline)"}
        out["savings"] = scenario.savings.to_dict("records")
    if compliance is not None:
        out["compliance"] = compliance_dict(compliance, compliance_quality)
    return out


def assessment_report(result, quality, scenario=None, *, compliance=None, compliance_quality=None,
                      fmt: str = "table", lang: str = "fr") -> tuple[str, str]:
    """The report (stdout) and its warnings and rejected rows (stderr) of a lighting assessment.

    Parameters
    ----------
    result : LightingResult
        The baseline (:meth:`sobriete.lighting.PreparedLighting.assess`).
    quality : DataQuality
        Row accounting of the reading and the assessment.
    scenario : ScenarioResult, optional
        From :func:`sobriete.retrofit.compare_scenario`.
    compliance : ComplianceResult, optional
        From :func:`sobriete.compliance.check_file`: the compliance block (arrêté of 27 December 2018).
    compliance_quality : DataQuality, optional
        The row accounting :func:`sobriete.compliance.check_file` returns with it (reading and
        check together); default: the check's own.
    fmt : {'table', 'json'}, keyword-only
    lang : {'fr', 'en'}, keyword-only
    """
    if fmt == "json":
        return json.dumps(assessment_dict(result, quality, scenario, lang, compliance, compliance_quality), indent=2, default=str,
                          ensure_ascii=False), ""
    labels = LABELS[check_lang(lang)]
    meta = result.footprint.meta
    summary = table(_columns(with_total(result.summary), ASSESSMENT_COLUMNS), lang) if len(result.summary) \
        else labels["nothing_assessed" if quality.rows_rejected else "no_rows"]
    out = [summary,
           labels["electricity"].format(label=electricity_label(meta, lang))]
    if scenario is None:
        out.append(labels["price"].format(price=format_number(meta["energy_price_eur_per_kwh"], lang)))
    else:
        after = scenario.scenario.footprint.meta["energy_price_eur_per_kwh"]
        out += ["", labels["scenario"].format(name=scenario.name),
                table(_columns(with_total(scenario.savings), SAVINGS_COLUMNS), lang),
                labels["prices"].format(before=format_number(meta["energy_price_eur_per_kwh"], lang),
                                        after=format_number(after, lang))]
    if compliance is not None:
        out += ["", compliance_table(compliance, lang, compliance_quality)]
    colon = " : " if lang == "fr" else ": "  # French typography puts a space before the colon
    err = [f"{labels['warning']}{colon}{notice(w, lang)}" for w in quality.warnings]
    if quality.rows_rejected:
        err.append(labels["rejected"].format(n=quality.rows_rejected, read=quality.rows_read))
        err += ["  " + line for line in rejected_lines(quality, lang, MAX_REJECTED_SHOWN)]
    return "\n".join(out), "\n".join(err)


# --------------------------------------------------------------------------- illustrated report (html, md)
_DOC_TEXTS = {
    "title": ("Éclairage des zones d'activité {year}", "Business-park lighting {year}"),
    "summary": ("Synthèse", "Summary"),
    "summary_text": ("En {year}, l'éclairage de {zas} ZA ({luminaires} luminaires) consomme {energy} kWh, émet "
                     "{gwp} kgCO2e et coûte {cost} € par an.",
                     "In {year}, the lighting of {zas} business parks ({luminaires} luminaires) uses {energy} kWh, "
                     "emits {gwp} kgCO2e and costs EUR {cost} a year."),
    "per_za": ("Par ZA", "Per business park"),
    "per_za_table": ("Énergie, empreinte et coût par ZA", "Energy, footprint and cost per business park"),
    "hours": ("Heures de fonctionnement par mois", "Monthly burning hours"),
    "hours_chart": ("Heures équivalentes pleine puissance par mois et par ZA",
                    "Full-power-equivalent hours per month and business park"),
    "hours_axis": ("heures équiv. pleine puissance (h)", "full-power-equivalent hours (h)"),
    "hours_table": ("Heures équivalentes pleine puissance (h) par mois", "Full-power-equivalent hours (h) per month"),
    "schedule": ("horaire", "schedule"), "total": ("total", "total"),
    "savings_chart": ("GES avant et après le scénario, par ZA", "GHG before and after the scenario, per business park"),
    "quality": ("Lignes lues, rejetées et avertissements", "Rows read, rejected and warnings"),
    "rejected_headers": ("fichier|ligne|colonne|valeur|motif", "file|row|column|value|reason"),
    "rows": ("Lignes lues : {read} = {assessed} évaluées + {rejected} rejetées",
             "Rows read: {read} = {assessed} assessed + {rejected} rejected"),
}


def _d(key: str, lang: str, **values: object) -> str:
    return _DOC_TEXTS[key][0 if lang == "fr" else 1].format(**values)


def frame_table(frame: pd.DataFrame, columns: list[str], caption: str, lang: str):
    """A :class:`~.document.Table` of ``frame``'s ``columns`` with translated headers, text kept
    as text and numbers formatted for ``lang``."""
    from .document import Table

    shown = [c for c in columns if c in frame.columns]
    numeric = [pd.api.types.is_numeric_dtype(frame[c]) for c in shown]
    counts = {c for c in shown if c == "luminaires" or pd.api.types.is_integer_dtype(frame[c])}

    def cell(value: object, column: str, number: bool) -> str:
        if column in counts and pd.notna(value) and float(value).is_integer():
            return f"{int(value):,}".replace(",", "\u202f" if lang == "fr" else ",")
        return format_number(value, lang) if number else str(value)

    rows = [[cell(v, c, n) for v, c, n in zip(r, shown, numeric)] for r in frame[shown].itertuples(index=False)]
    return Table(caption, [LABELS[lang].get(c, c) for c in shown], rows, numeric)


def assessment_document(result, quality, scenario=None, *, compliance=None, hours: pd.DataFrame | None = None,
                        lang: str = "fr"):
    """The lighting assessment as an illustrated report (``lighting assess --format html|md``).

    Parameters
    ----------
    result, quality, scenario, compliance
        As :func:`assessment_report`.
    hours : DataFrame, optional
        Monthly full-power-equivalent hours per ZA and schedule
        (:func:`sobriete.report.yearly.lighting_hours`): a chart and a table.
    lang : {'fr', 'en'}, keyword-only

    Returns
    -------
    Document
        Per-ZA table, monthly burning hours, the scenario's savings with a chart, the
        compliance block, the row accounting; render with :func:`.document.render_document`.
    """
    from . import charts
    from .compliance import compliance_sections
    from .document import BulletList, Document, Paragraph, Table

    lang = check_lang(lang)
    labels = LABELS[lang]
    meta = result.footprint.meta
    summary = result.summary
    doc = Document(_d("title", lang, year=meta.get("year", "")), lang=lang)
    totals = summary[["luminaires", "energy_kwh", "gwp_total", "cost_eur"]].sum()
    section = doc.section(_d("summary", lang))
    section.add(Paragraph(_d("summary_text", lang, year=meta.get("year", ""), zas=len(summary),
                             luminaires=f"{int(totals['luminaires']):,}".replace(",", "\u202f" if lang == "fr" else ","),
                             energy=format_number(totals["energy_kwh"], lang),
                             gwp=format_number(totals["gwp_total"], lang), cost=format_number(totals["cost_eur"], lang)),
                          "summary"),
                Paragraph(labels["electricity"].format(label=electricity_label(meta, lang)), "note"))
    if scenario is None:
        section.add(Paragraph(labels["price"].format(price=format_number(meta["energy_price_eur_per_kwh"], lang)),
                              "note"))
    doc.section(_d("per_za", lang)).add(frame_table(summary, ASSESSMENT_COLUMNS, _d("per_za_table", lang), lang))
    if hours is not None and len(hours):
        from .yearly import monthly_hours_blocks

        doc.section(_d("hours", lang)).add(*monthly_hours_blocks(
            hours, lang, chart_title=_d("hours_chart", lang), table_title=_d("hours_table", lang),
            axis=_d("hours_axis", lang), headers=(labels["za"], _d("schedule", lang), _d("total", lang))))
    if scenario is not None:
        savings = scenario.savings
        after = scenario.scenario.footprint.meta["energy_price_eur_per_kwh"]
        doc.section(labels["scenario"].format(name=scenario.name)).add(
            charts.stacked_bars([str(z) for z in savings["za"]],
                                {labels["gwp_scenario"]: savings["gwp_scenario"], labels["gwp_saved"]: savings["gwp_saved"]},
                                unit="kgCO2e/an" if lang == "fr" else "kgCO2e/yr", title=_d("savings_chart", lang),
                                lang=lang, name="lighting-savings"),
            frame_table(savings, SAVINGS_COLUMNS, labels["scenario"].format(name=scenario.name), lang),
            Paragraph(labels["prices"].format(before=format_number(meta["energy_price_eur_per_kwh"], lang),
                                              after=format_number(after, lang)), "note"))
    if compliance is not None:
        compliance_sections(doc, compliance, lang)
    part = doc.section(_d("quality", lang)).add(Paragraph(_d("rows", lang, read=quality.rows_read,
                                                             assessed=quality.rows_assessed,
                                                             rejected=quality.rows_rejected)))
    if quality.warnings:
        part.add(Paragraph(labels["warning"], "warning"), BulletList([notice(w, lang) for w in quality.warnings]))
    if quality.rows_rejected:
        rejected = quality.rejected.head(MAX_REJECTED_SHOWN)
        part.add(Table(labels["rejected"].format(n=quality.rows_rejected, read=quality.rows_read),
                       _d("rejected_headers", lang).split("|"),
                       [[str(r.file), str(r.row), str(r.column), str(as_typed(r.value, lang)),
                         reason(r.reason_code, r.reason, lang)] for r in rejected.itertuples()]))
    return doc
