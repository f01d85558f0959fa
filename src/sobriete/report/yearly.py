"""The yearly assessment report people read, as a :class:`~.document.Document`.

Built from an :class:`~sobriete.assessment.Assessment` and, when given, the saved history
(:meth:`sobriete.history.History.list`) and the luminaires' monthly burning hours
(:func:`lighting_hours`). Sections: summary, totals per criterion and phase, domains, top
contributors (Pareto), per entity, trend over the saved years, lighting per ZA, data quality
(row accounting, rejected rows, coverage, distinct warnings) and method (allocation, catalog,
sources, caveats and lower bounds).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from functools import cached_property
from pathlib import Path

import numpy as np
import pandas as pd

from ..assessment import Assessment
from ..footprint import Footprint
from ..units import conversion_factor
from . import charts
from .assessment import contributors
from .document import BulletList, Document, Link, Paragraph, Section, Table
from .formatting import as_typed, format_count, format_number, format_percent, format_share
from .history import scope_warning
from .quality import coverage_frame
from .messages import allocation_label, check_lang, domain_label, message, notice, phase_label, reason

#: Rejected rows listed in the report (all are counted).
MAX_REJECTED = 50
#: Contributors drawn in the Pareto chart and listed in its table.
TOP_CONTRIBUTORS = 15
#: Criterion of the summary, charts and rankings.
HEADLINE_CRITERION = "gwp"
#: Notice code of a missing factor (summarised by the coverage table) and of a source's caveat.
MISSING_FACTOR_CODE = "missing_factor"
CAVEAT_CODE = "caveat"
#: Factor tables each domain reads (for the list of sources of the method section).
DOMAIN_TABLES = {
    "equipment": ("equipment_impacts", "equipment_parameters", "refurbished", "electricity"),
    "traffic": ("network_traffic",),
    "lines": ("network_lines", "network_line_parameters", "equipment_impacts", "electricity"),
    "hosting": ("hosting", "hosting_spend", "equipment_impacts", "electricity"),
    "lighting": ("lighting_technologies", "lighting_impacts", "lighting_parameters", "electricity"),
}
#: Columns of :func:`lighting_hours`.
LIGHTING_HOURS_COLUMNS = ["za", "schedule", "luminaires", "power_kw", *[f"fph_{m:02d}" for m in range(1, 13)]]

_TEXTS = {
    "title": ("Bilan environnemental du numérique et de l'éclairage des ZA — {year}",
              "Environmental report of the digital estate and business-park lighting — {year}"),
    "subtitle": ("Évaluation de l'année {year} ; allocation {allocation} ; catalogue de facteurs {version}",
                 "Assessment of {year}; allocation {allocation}; factor catalog {version}"),
    "summary": ("Synthèse", "Summary"),
    "summary_total": ("En {year}, l'empreinte carbone évaluée est de {total} kgCO2e, soit {tonnes} tCO2e{bound}.",
                      "In {year}, the assessed carbon footprint is {total} kgCO2e, i.e. {tonnes} tCO2e{bound}."),
    "summary_bound": (" (un minorant : des facteurs manquent pour une partie des lignes)",
                      " (a lower bound: factors are missing for some rows)"),
    "summary_shares": ("La fabrication du matériel (avec sa distribution et sa fin de vie) en représente {embodied}, "
                       "son utilisation {use}.",
                       "Manufacturing of the hardware (with its distribution and end of life) accounts for "
                       "{embodied}, its use for {use}."),
    "summary_change": ("Par rapport à {previous} ({before} kgCO2e), c'est une évolution de {change}.",
                       "Compared with {previous} ({before} kgCO2e), this is a change of {change}."),
    "summary_no_history": ("Aucune année précédente n'est enregistrée dans l'historique : l'évolution n'est pas "
                           "calculée.", "No earlier year is saved in the history: no change is computed."),
    "summary_top": ("Premier poste : {item} ({domain}), {share} du total.",
                    "Largest item: {item} ({domain}), {share} of the total."),
    "summary_rows": ("{read} lignes lues : {assessed} évaluées, {rejected} rejetées (détail en fin de rapport).",
                     "{read} rows read: {assessed} assessed, {rejected} rejected (details at the end)."),
    "totals_chart": ("Émissions par domaine et par phase", "Emissions per domain and phase"),
    "lower_bound_mark": ("* minorant : des facteurs manquent pour certaines lignes ou phases (voir « Couverture »)",
                         "* lower bound: some rows or phases have no factor (see 'Coverage')"),
    "domains": ("Par domaine", "Per domain"),
    "domain_table": ("Totaux par domaine", "Totals per domain"),
    "rows_read_rejected": ("lignes lues / rejetées", "rows read / rejected"),
    "energy_kwh": ("électricité (kWh)", "electricity (kWh)"),
    "skipped": ("Domaine non compté : {domain} ({why}).", "Domain not counted: {domain} ({why})."),
    "contributors": ("Principaux contributeurs", "Top contributors"),
    "pareto": ("Contributeurs par ordre décroissant et part cumulée", "Contributors, largest first, and cumulative "
               "share"),
    "contributors_table": ("Les {n} premiers contributeurs ({unit})", "The first {n} contributors ({unit})"),
    "contributors_more": ("{n} autre(s) contributeur(s) : {value} kgCO2e ({share}).",
                          "{n} other contributor(s): {value} kgCO2e ({share})."),
    "per_key": ("Par {key}", "Per {key}"),
    "per_key_table": ("Chaque {key}, du plus au moins émetteur ({unit})",
                      "Every {key}, largest first ({unit})"),
    "no_by": ("Aucun regroupement n'a été demandé : relancez avec --by entity pour le détail par commune.",
              "No grouping was asked for: run again with --by entity for the detail per municipality."),
    "ungrouped_rows": ("« {label} » regroupe les domaines sans colonne « {key} » (trafic, hébergement...).",
                       "'{label}' gathers the domains without a '{key}' column (traffic, hosting...)."),
    "trend": ("Évolution sur les années enregistrées", "Trend over the saved years"),
    "trend_chart": ("Empreinte carbone par année", "Carbon footprint per year"),
    "trend_table": ("Totaux par année", "Totals per year"),
    "trend_none": ("L'historique ne contient pas d'autre année : enregistrez chaque bilan avec --save pour suivre "
                   "l'évolution.", "The history holds no other year: save each assessment with --save to follow "
                   "the trend."),
    "trend_note": ("Une ligne par année : la dernière évaluation enregistrée ; l'année {year} est celle de ce "
                   "rapport.",
                   "One line per year: the last saved assessment; {year} is this report's."),
    "year": ("année", "year"),
    "lighting": ("Éclairage public des zones d'activité", "Business-park public lighting"),
    "lighting_table": ("Par zone d'activité", "Per business park"),
    "luminaires": ("luminaires", "luminaires"),
    "power_kw": ("puissance (kW)", "power (kW)"),
    "hours_table": ("Heures équivalentes pleine puissance par mois (h)", "Full-power-equivalent hours per month (h)"),
    "hours_axis": ("heures équivalentes pleine puissance (h)", "full-power-equivalent hours (h)"),
    "hours_chart": ("Heures de fonctionnement par mois et par zone", "Burning hours per month and business park"),
    "hours_note": ("Calculées au centre de chaque zone avec son régime d'allumage (hauteur du soleil, extinctions, "
                   "abaissements).", "Computed at each park's centre with its schedule (sun elevation, night "
                   "switch-off, dimming)."),
    "hours_missing": ("Heures mensuelles non calculées, faute de coordonnées : {zas}.",
                      "Monthly hours not computed, for want of coordinates: {zas}."),
    "za": ("zone", "business park"),
    "schedule": ("régime", "schedule"),
    "quality": ("Qualité des données", "Data quality"),
    "accounting": ("Comptabilité des lignes par domaine", "Row accounting per domain"),
    "read": ("lues", "read"), "assessed": ("évaluées", "assessed"), "rejected": ("rejetées", "rejected"),
    "reasons": ("Motifs de rejet", "Rejection reasons"),
    "count": ("nombre", "count"),
    "reason": ("motif", "reason"),
    "rejected_rows": ("Lignes rejetées ({shown} premières sur {count})", "Rejected rows (first {shown} of {count})"),
    "file": ("fichier", "file"), "row": ("ligne", "row"), "column": ("colonne", "column"), "value": ("valeur", "value"),
    "coverage": ("Couverture des facteurs (part des lignes évaluées ayant un facteur)",
                 "Factor coverage (share of assessed rows with a factor)"),
    "coverage_full": ("Tous les facteurs ont été trouvés pour toutes les lignes évaluées.",
                      "Every factor was found for every assessed row."),
    "coverage_note": ("Seuls les domaines et critères incomplets sont listés ; les autres sont couverts à 100 %. "
                      "Sous 100 %, la valeur est un minorant (jamais complétée par un zéro implicite).",
                      "Only incomplete domains and criteria are listed; the others are 100 % covered. Below "
                      "100 % the value is a lower bound (never filled with an implicit zero)."),
    "warnings": ("Avertissements (distincts)", "Warnings (distinct)"),
    "method": ("Méthode", "Method"),
    "method_allocation": ("Allocation des impacts de fabrication : {allocation}.",
                          "Allocation of embodied impacts: {allocation}."),
    "method_catalog": ("Catalogue de facteurs : version {version}, empreinte SHA-256 {hash}.",
                       "Factor catalog: version {version}, SHA-256 hash {hash}."),
    "method_network": ("Modèle réseau : {model}.", "Network model: {model}."),
    "method_inputs": ("Fichiers d'entrée (SHA-256)", "Input files (SHA-256)"),
    "method_use": ("Utilisation = électricité (kWh) × facteur du réseau électrique de la zone et de l'année ; "
                   "fabrication, distribution et fin de vie : facteurs par équipement (ADEME).",
                   "Use = electricity (kWh) × grid factor of the zone and year; manufacturing, distribution and "
                   "end of life: per-device factors (ADEME)."),
    "caveats": ("Réserves des sources et minorants", "Source caveats and lower bounds"),
    "no_caveat": ("Aucune réserve de source ne s'applique.", "No source caveat applies."),
    "lower_bounds": ("Critères minorés (facteurs manquants) : {criteria}.",
                     "Criteria that are lower bounds (missing factors): {criteria}."),
    "sources": ("Sources des facteurs des domaines évalués", "Sources of the assessed domains' factors"),
    "organisation": ("organisme", "organisation"), "document": ("document", "document"),
    "licence": ("licence", "licence"), "where": ("où dans le document", "where in it"),
    "equivalences": ("Aucune équivalence grand public (km en voiture...) n'est donnée : le catalogue ne contient "
                     "pas encore de facteur d'équivalence sourcé (données Impact CO2 de l'ADEME non vérifiées).",
                     "No everyday equivalence (km by car...) is given: the catalog holds no sourced equivalence "
                     "factor yet (ADEME Impact CO2 data not verified)."),
    "colophon": ("Produit par sobriete — catalogue {version} ({hash})", "Produced by sobriete — catalog {version} "
                 "({hash})"),
    "criterion": ("critère", "criterion"), "unit": ("unité", "unit"), "total": ("total", "total"),
    "share": ("part", "share"), "domain": ("domaine", "domain"), "item": ("poste", "item"),
}


#: Words for the usual grouping keys (other keys are shown as they are).
KEY_LABELS = {"fr": {"entity": "entité", "category": "catégorie", "service": "service", "site": "site",
                     "commune": "commune", "za": "zone d'activité"},
              "en": {"entity": "entity", "category": "category", "service": "service", "site": "site",
                     "commune": "municipality", "za": "business park"}}


def key_label(key: str, lang: str = "fr") -> str:
    """A grouping key in words (``entity`` → ``entité``)."""
    return KEY_LABELS[check_lang(lang)].get(key, key)


def text(name: str, lang: str = "fr", **values: object) -> str:
    """A sentence of the yearly report in ``lang`` (French or English)."""
    template = _TEXTS[name][0 if check_lang(lang) == "fr" else 1]
    return template.format(**values) if values else template


def _n(value: float, lang: str) -> str:
    return format_number(value, lang)


def _int(value: int, lang: str) -> str:
    return format_count(value, lang)


# --------------------------------------------------------------------------- document
def yearly_document(assessment: Assessment, *, lang: str = "fr", history: pd.DataFrame | None = None,
                    lighting: pd.DataFrame | None = None, catalog_sources: pd.DataFrame | None = None) -> Document:
    """The yearly report of an assessment.

    Parameters
    ----------
    assessment : Assessment
        The assessed year.
    lang : {'fr', 'en'}, keyword-only
        Report language.
    history : DataFrame, optional
        Saved assessments (:meth:`sobriete.history.History.list`): the trend over the years and
        the change against the previous saved year.
    lighting : DataFrame, optional
        Monthly burning hours per ZA and schedule (:func:`lighting_hours`).
    catalog_sources : DataFrame, optional
        The catalog's ``sources`` table with, per source, the factor tables that cite it
        (:func:`catalog_sources`); the method section lists those of the assessed domains.

    Returns
    -------
    Document
        Render it with :func:`sobriete.report.document.render_document`.

    Examples
    --------
    Three laptops bought in 2024 (tiny test catalog: 25 kgCO2e each in 2025):

    >>> from sobriete.assessment import DomainInputs, assess_inputs
    >>> from sobriete.factors import load_catalog
    >>> inventory = pd.DataFrame({"category": ["laptop"], "quantity": [3], "purchase_year": [2024]})
    >>> result = assess_inputs({"equipment": DomainInputs.from_frame(inventory)}, year=2025,
    ...                        catalog=load_catalog(directory="tests/data/tiny_factors"))
    >>> doc = yearly_document(result)
    >>> [s.heading for s in doc.sections][:3]
    ['Synthèse', 'Totaux par critère et par phase', 'Par domaine']
    >>> doc.sections[0].blocks[0].text.split(".")[0]
    "En 2025, l'empreinte carbone évaluée est de 75,00 kgCO2e, soit 0,0750 tCO2e"
    """
    lang = check_lang(lang)
    assessment = _SummedOnce(assessment)
    doc = Document(text("title", lang, year=assessment.year), lang=lang,
                   subtitle=text("subtitle", lang, year=assessment.year,
                                 allocation=allocation_label(assessment.allocation, lang),
                                 version=assessment.catalog_version),
                   colophon=text("colophon", lang, version=assessment.catalog_version,
                                 hash=assessment.catalog_hash[:12]))
    years = _years(assessment, history)
    _summary(doc.section(text("summary", lang)), assessment, years, lang)
    _totals(doc.section(message("totals", lang)), assessment, lang)
    _domains(doc.section(text("domains", lang)), assessment, lang)
    _contributors(doc.section(text("contributors", lang)), assessment, lang)
    for key in assessment.by:
        _per_key(doc.section(text("per_key", lang, key=key_label(key, lang))), assessment, key, lang)
    if not assessment.by:
        doc.section(text("per_key", lang, key=key_label("entity", lang))).add(Paragraph(text("no_by", lang), "note"))
    _trend(doc.section(text("trend", lang)), assessment, years, lang)
    if "lighting" in assessment.footprints:
        _lighting(doc.section(text("lighting", lang)), assessment, lighting, lang)
    _quality(doc.section(text("quality", lang)), assessment, lang)
    _method(doc.section(text("method", lang)), assessment, catalog_sources, lang)
    return doc


class _SummedOnce:
    """An assessment whose footprint summed over the domains is computed once: the report reads
    it in every section."""

    def __init__(self, assessment: Assessment):
        self._assessment = assessment

    def __getattr__(self, name: str):
        return getattr(self._assessment, name)

    @cached_property
    def footprint(self) -> Footprint:
        return self._assessment.footprint


def _headline(fp: Footprint) -> tuple[int, str]:
    c = fp.criteria.index(HEADLINE_CRITERION) if HEADLINE_CRITERION in fp.criteria else 0
    return c, fp.units[c]


def _years(assessment: Assessment, history: pd.DataFrame | None) -> pd.DataFrame:
    """One row per year (the last saved assessment of each year; this assessment for its
    own year): ``year`` and ``total_<criterion>``."""
    fp = assessment.footprint
    own = {"year": assessment.year, **{f"total_{c}": float(v) for c, v in fp.total()["total"].items()}}
    frame = pd.DataFrame([own])
    if history is not None and len(history):
        saved = history.sort_values(["year", "id"]).drop_duplicates("year", keep="last")
        saved = saved[saved["year"] != assessment.year]
        frame = pd.concat([saved[[c for c in saved.columns if c == "year" or c.startswith("total_")]], frame],
                          ignore_index=True)
    return frame.sort_values("year").reset_index(drop=True)


def _summary(section: Section, assessment: Assessment, years: pd.DataFrame, lang: str) -> None:
    fp = assessment.footprint
    c, unit = _headline(fp)
    total = fp.total().iloc[c]
    whole = float(total["total"])
    sentences = [text("summary_total", lang, year=assessment.year, total=_n(whole, lang),
                      tonnes=_n(whole * conversion_factor("kg", "t"), lang),
                      bound="" if total["complete"] else text("summary_bound", lang))]
    if whole:
        sentences.append(text("summary_shares", lang, embodied=format_share(total["embodied"] / whole, lang),
                              use=format_share(total["use"] / whole, lang)))
    criterion = f"total_{fp.criteria[c]}"
    earlier = years[(years["year"] < assessment.year) & years[criterion].notna()] if criterion in years else years[:0]
    if len(earlier):
        before = float(earlier[criterion].iloc[-1])
        change = 100.0 * (whole - before) / before if before else float("nan")
        sentences.append(text("summary_change", lang, previous=int(earlier["year"].iloc[-1]), before=_n(before, lang),
                              change=format_percent(change, lang)))
    else:
        sentences.append(text("summary_no_history", lang))
    top = contributors(assessment, lang).head(1)
    if len(top) and top["share"].iloc[0] == top["share"].iloc[0]:
        sentences.append(text("summary_top", lang, item=top["label"].iloc[0],
                              domain=domain_label(top["domain"].iloc[0], lang).lower(),
                              share=format_share(top["share"].iloc[0], lang)))
    q = assessment.quality
    sentences.append(text("summary_rows", lang, read=_int(q.rows_read, lang), assessed=_int(q.rows_assessed, lang),
                          rejected=_int(q.rows_rejected, lang)))
    section.add(Paragraph(" ".join(sentences), "summary"))


def _totals(section: Section, assessment: Assessment, lang: str) -> None:
    fp = assessment.footprint
    total = fp.total()
    headers = [text("criterion", lang), text("unit", lang), *[phase_label(p, lang) for p in fp.phases],
               text("total", lang)]
    rows = [[assessment.criterion_label(str(criterion), lang) + ("" if row["complete"] else " *"), row["unit"],
             *[_n(row[p], lang) for p in fp.phases], _n(row["total"], lang)] for criterion, row in total.iterrows()]
    section.add(Table(message("totals", lang), headers, rows, [False, False] + [True] * (len(fp.phases) + 1),
                      text("lower_bound_mark", lang) if not total["complete"].all() else ""))
    c, unit = _headline(fp)
    names = list(assessment.footprints)
    series = {phase_label(p, lang): [float(assessment.footprints[d].values[:, c, j].sum()) for d in names]
              for j, p in enumerate(fp.phases)}
    section.add(charts.stacked_bars([domain_label(d, lang) for d in names], series, unit=unit,
                                    title=text("totals_chart", lang), lang=lang, name="phases"))


def _domains(section: Section, assessment: Assessment, lang: str) -> None:
    fp = assessment.footprint
    headers = [text("domain", lang), *[f"{c} ({u})" for c, u in zip(fp.criteria, fp.units)], text("energy_kwh", lang),
               text("rows_read_rejected", lang)]

    def line(label: str, part: Footprint, q) -> list[str]:
        rows = f"{_int(q.rows_read, lang)} / {_int(q.rows_rejected, lang)}" if q is not None else "–"
        totals = part.total()
        return [label, *[_n(v, lang) + ("" if ok else " *") for v, ok in zip(totals["total"], totals["complete"])],
                _n(part.energy_kwh.sum(), lang), rows]

    rows = [line(domain_label(name, lang), part, assessment.domain_quality.get(name))
            for name, part in assessment.footprints.items()]
    rows.append(line(text("total", lang).capitalize(), fp, assessment.quality))
    complete = fp.total()["complete"].all()
    legend = "; ".join(f"{c} : {assessment.criterion_label(c, lang)}" if lang == "fr" else
                       f"{c}: {assessment.criterion_label(c, lang)}" for c in fp.criteria)
    section.add(Table(text("domain_table", lang), headers, rows, [False] + [True] * (len(fp.criteria) + 2),
                      legend + ("" if complete else ". " + text("lower_bound_mark", lang))))
    section.add(*[Paragraph(text("skipped", lang, domain=domain_label(d, lang), why=why), "note")
                  for d, why in assessment.skipped.items()])


def _contributors(section: Section, assessment: Assessment, lang: str) -> None:
    frame = contributors(assessment, lang)
    if frame.empty:
        return
    fp = assessment.footprint
    c, unit = _headline(fp)
    if c:  # contributors() ranks the first criterion; re-rank on the headline one
        values = np.concatenate([part.values[:, c, :].sum(axis=1) for part in assessment.items.values()])
        frame = frame.assign(value=values[_item_order(assessment, frame)])
    labels = [f"{r.label} ({domain_label(r.domain, lang).lower()})" for r in frame.itertuples()]
    section.add(charts.pareto(labels, frame["value"].to_numpy(), unit=unit, title=text("pareto", lang), lang=lang,
                              top=TOP_CONTRIBUTORS))
    shown = frame.head(TOP_CONTRIBUTORS)
    rows = [[str(r.label), domain_label(r.domain, lang), _n(r.value, lang),
             format_share(r.share, lang) if r.share == r.share else "–"] for r in shown.itertuples()]
    section.add(Table(text("contributors_table", lang, n=len(shown), unit=unit),
                      [text("item", lang), text("domain", lang), f"{text('total', lang)} ({unit})",
                       text("share", lang)], rows, [False, False, True, True]))
    rest = frame.iloc[TOP_CONTRIBUTORS:]
    if len(rest):
        section.add(Paragraph(text("contributors_more", lang, n=len(rest), value=_n(rest["value"].sum(), lang),
                                   share=format_share(rest["share"].sum(), lang)), "note"))


def _item_order(assessment: Assessment, frame: pd.DataFrame) -> np.ndarray:
    """Position, in the concatenated items of every domain, of each row of ``frame``."""
    offsets, start = {}, 0
    for domain, part in assessment.items.items():
        offsets[domain] = (start, part)
        start += len(part.keys)
    positions = []
    for r in frame.itertuples():
        first, part = offsets[r.domain]
        positions.append(first + int(np.flatnonzero(part.keys[r.key].astype(object).to_numpy() == r.item)[0]))
    return np.asarray(positions, dtype=np.int64)


def _per_key(section: Section, assessment: Assessment, key: str, lang: str) -> None:
    fp = assessment.footprint.by(key)
    c, unit = _headline(fp)
    values = fp.values[:, c, :]
    totals = values.sum(axis=1)
    grand = totals.sum()
    order = np.argsort(-totals, kind="stable")
    labels = [_key_text(v, lang) for v in fp.keys[key]]
    headers = [key_label(key, lang), *[phase_label(p, lang) for p in fp.phases], f"{text('total', lang)} ({unit})",
               text("share", lang)]
    rows = [[labels[g], *[_n(v, lang) for v in values[g]], _n(totals[g], lang),
             format_share(totals[g] / grand, lang) if grand else "–"] for g in order]
    section.add(Table(text("per_key_table", lang, key=key_label(key, lang), unit=unit), headers, rows,
                      [False] + [True] * (len(fp.phases) + 2)))
    if any(str(v) == "(all)" for v in fp.keys[key]):
        section.add(Paragraph(text("ungrouped_rows", lang, label=message("ungrouped", lang),
                                   key=key_label(key, lang)), "note"))


def _key_text(value: object, lang: str) -> str:
    if value is None or (isinstance(value, float) and value != value) or value is pd.NA:
        return message("unspecified", lang)  # rows whose cell of this key is empty
    return message("ungrouped", lang) if str(value) == "(all)" else str(value)


def _trend(section: Section, assessment: Assessment, years: pd.DataFrame, lang: str) -> None:
    fp = assessment.footprint
    c, unit = _headline(fp)
    criterion = f"total_{fp.criteria[c]}"
    if len(years) < 2:
        section.add(Paragraph(text("trend_none", lang), "note"))
        return
    section.add(charts.trend(years["year"].astype(int).tolist(),
                             {assessment.criterion_label(fp.criteria[c], lang): years[criterion].to_numpy()},
                             unit=unit, title=text("trend_chart", lang), lang=lang, name="trend",
                             x_label=text("year", lang)))
    columns = [f"total_{k}" for k in fp.criteria if f"total_{k}" in years]
    rows = [[str(int(r["year"])), *[_n(r[k], lang) for k in columns]] for r in years.to_dict("records")]
    headers = [text("year", lang), *[f"{k.removeprefix('total_')} ({fp.units[fp.criteria.index(k.removeprefix('total_'))]})"
                                     for k in columns]]
    section.add(Table(text("trend_table", lang), headers, rows, [False] + [True] * len(columns),
                      text("trend_note", lang, year=assessment.year)))


def _lighting(section: Section, assessment: Assessment, hours: pd.DataFrame | None, lang: str) -> None:
    part = assessment.items.get("lighting")
    fp = assessment.footprints["lighting"]
    c, unit = _headline(fp)
    if part is not None and "za" in part.by_keys:
        per_za = pd.DataFrame({"za": part.keys["za"].astype(object), "energy": part.energy_kwh,
                               "gwp": part.values[:, c, :].sum(axis=1)})
        extra = hours.groupby("za")[["luminaires", "power_kw"]].sum() if hours is not None and len(hours) else None
        headers = [text("za", lang), text("energy_kwh", lang), f"{assessment.criterion_label(fp.criteria[c], lang)} "
                   f"({unit})"]
        if extra is not None:
            headers[1:1] = [text("luminaires", lang), text("power_kw", lang)]
        rows = []
        for r in per_za.sort_values("gwp", ascending=False, kind="stable").itertuples():
            cells = [str(r.za), _n(r.energy, lang), _n(r.gwp, lang)]
            if extra is not None and r.za in extra.index:
                cells[1:1] = [_int(extra.loc[r.za, "luminaires"], lang), _n(extra.loc[r.za, "power_kw"], lang)]
            elif extra is not None:
                cells[1:1] = ["–", "–"]
            rows.append(cells)
        section.add(Table(text("lighting_table", lang), headers, rows, [False] + [True] * (len(headers) - 1)))
    if part is not None and "za" in part.by_keys and hours is not None:
        missing = sorted(set(map(str, part.keys["za"])) - set(map(str, hours["za"])))
        if missing:
            section.add(Paragraph(text("hours_missing", lang, zas=", ".join(missing)), "note"))
    if hours is None or hours.empty:
        return
    section.add(*monthly_hours_blocks(hours, lang, chart_title=text("hours_chart", lang),
                                      table_title=text("hours_table", lang), axis=text("hours_axis", lang),
                                      headers=(text("za", lang), text("schedule", lang), text("total", lang)),
                                      note=text("hours_note", lang)))


def monthly_hours_blocks(hours: pd.DataFrame, lang: str, *, chart_title: str, table_title: str, axis: str,
                         headers: tuple[str, str, str], note: str | None = None) -> tuple:
    """The monthly full-power-equivalent hours of :func:`lighting_hours` as a chart (one line per ZA,
    or per ZA and schedule where a ZA has several) and a table (ZA, schedule, 12 months, total [h]);
    ``headers``: the words for ZA, schedule and total. Shared by the yearly and lighting reports."""
    months = [f"fph_{m:02d}" for m in range(1, 13)]
    twice = hours["za"].duplicated(keep=False).to_numpy()
    names = [f"{r.za} ({r.schedule})" if twice[i] else str(r.za) for i, r in enumerate(hours.itertuples())]
    chart = charts.trend(list(range(1, 13)), dict(zip(names, hours[months].to_numpy())), unit=axis, title=chart_title,
                         lang=lang, name="lighting-hours", months=True)
    rows = [[str(r["za"]), str(r["schedule"]), *[_n(r[m], lang) for m in months], _n(r[months].sum(), lang)]
            for _, r in hours.iterrows()]
    table = Table(table_title, [headers[0], headers[1], *charts.MONTHS[lang], headers[2]], rows,
                  [False, False] + [True] * 13, note)
    return chart, table


def _quality(section: Section, assessment: Assessment, lang: str) -> None:
    q = assessment.quality
    section.add(Paragraph(message("rows", lang, read=_int(q.rows_read, lang), assessed=_int(q.rows_assessed, lang),
                                  rejected=_int(q.rows_rejected, lang))))
    rows = [[domain_label(d, lang), _int(p.rows_read, lang), _int(p.rows_assessed, lang), _int(p.rows_rejected, lang)]
            for d, p in assessment.domain_quality.items()]
    section.add(Table(text("accounting", lang), [text("domain", lang), text("read", lang), text("assessed", lang),
                                                 text("rejected", lang)], rows, [False, True, True, True]))
    rejected = q.rejected
    if len(rejected):
        codes = (rejected["reason_code"] if "reason_code" in rejected else pd.Series(None, index=rejected.index))
        codes = codes.fillna(rejected["reason"]).astype(str)
        first = rejected["reason"].groupby(codes.to_numpy()).first()
        counts = codes.value_counts(sort=True)
        section.add(Table(text("reasons", lang), [text("reason", lang), text("count", lang)],
                          [[reason(code, first[code], lang), _int(n, lang)] for code, n in counts.items()],
                          [False, True]))
        shown = rejected.head(MAX_REJECTED)
        section.add(Table(text("rejected_rows", lang, shown=len(shown), count=_int(len(rejected), lang)),
                          [text("file", lang), text("row", lang), text("column", lang), text("value", lang),
                           text("reason", lang)],
                          [[Path(str(r.get("file") or "")).name, str(r.get("row", "")), str(r.get("column", "")),
                            _cell(as_typed(r.get("value"), lang)), reason(r.get("reason_code"), r.get("reason"), lang)]
                           for r in shown.to_dict("records")], [False, True, False, False, False]))
    _coverage(section, assessment, lang)
    shown_warnings = list(dict.fromkeys(notice(w, lang) for w in q.warnings
                                        if getattr(w, "code", None) not in (MISSING_FACTOR_CODE, CAVEAT_CODE)))
    if shown_warnings:
        section.add(Paragraph(text("warnings", lang), "heading"), BulletList(shown_warnings))


def _cell(value: object) -> str:
    if value is None or (isinstance(value, float) and value != value):
        return ""
    return str(value)


def _coverage(section: Section, assessment: Assessment, lang: str) -> None:
    frame = coverage_frame(assessment)
    if not (frame["uncovered_rows"] > 0).any():
        section.add(Paragraph(text("coverage_full", lang), "note"))
        return
    phases = list(dict.fromkeys(frame["phase"]))
    rows = []
    for (domain, criterion), part in frame.groupby(["domain", "criterion"], sort=False):
        if not (part["uncovered_rows"] > 0).any():
            continue
        shares = part.set_index("phase")["covered_share"]
        rows.append([domain_label(domain, lang), criterion,
                     *[format_share(shares[p], lang) if shares[p] == shares[p] else "–" for p in phases]])
    section.add(Table(text("coverage", lang), [text("domain", lang), text("criterion", lang),
                                               *[phase_label(p, lang) for p in phases]], rows,
                      [False, False] + [True] * len(phases), text("coverage_note", lang)))


def _method(section: Section, assessment: Assessment, sources: pd.DataFrame | None, lang: str) -> None:
    section.add(Paragraph(text("method_allocation", lang, allocation=allocation_label(assessment.allocation, lang))),
                Paragraph(text("method_use", lang)),
                Paragraph(text("method_catalog", lang, version=assessment.catalog_version,
                               hash=assessment.catalog_hash)))
    if {"traffic", "lines"} & (set(assessment.footprints) | set(assessment.skipped)):
        section.add(Paragraph(text("method_network", lang, model=assessment.network_model)))
    if assessment.inputs:
        section.add(Paragraph(text("method_inputs", lang), "heading"),
                    BulletList([f"{f.name} — {f.sha256}" for f in assessment.inputs]))
    section.add(Paragraph(text("caveats", lang), "heading"))
    caveats = [notice(w, lang) for w in assessment.quality.warnings if getattr(w, "code", None) == CAVEAT_CODE]
    section.add(BulletList(caveats) if caveats else Paragraph(text("no_caveat", lang), "note"))
    total = assessment.footprint.total()
    bounded = [assessment.criterion_label(str(c), lang) for c, ok in total["complete"].items() if not ok]
    if bounded:
        section.add(Paragraph(text("lower_bounds", lang, criteria=", ".join(bounded)), "warning"))
    section.add(Paragraph(text("equivalences", lang), "note"))
    if sources is not None and len(sources):
        tables = {t for d in assessment.footprints for t in DOMAIN_TABLES.get(d, ())} | {"criteria", "caveats"}
        used = sources[[bool(set(t) & tables) for t in sources["tables"]]]
        rows = [[Link(str(r.source_id), str(r.url)), str(r.organisation), str(r.document), str(r.year),
                 str(r.licence), str(r.location)] for r in used.itertuples()]
        section.add(Table(text("sources", lang), ["source", text("organisation", lang), text("document", lang),
                                                  text("year", lang), text("licence", lang), text("where", lang)],
                          rows))


# --------------------------------------------------------------------------- year on year
_COMPARE = {
    "compare_title": ("Évolution de l'empreinte de {a} à {b}", "Footprint change from {a} to {b}"),
    "compare_summary": ("De {a} à {b}, l'empreinte carbone passe de {before} à {after} kgCO2e ({change}).",
                        "From {a} to {b}, the carbon footprint goes from {before} to {after} kgCO2e ({change})."),
    "compare_phases": ("Empreinte carbone par phase, {a} et {b}", "Carbon footprint per phase, {a} and {b}"),
    "compare_groups": ("Les plus forts écarts d'empreinte carbone par {key} ({b} − {a})",
                       "Largest carbon footprint changes per {key} ({b} − {a})"),
    "compare_table": ("Évolution par critère et par phase", "Change per criterion and phase"),
    "change": ("écart", "change"), "change_pct": ("écart (%)", "change (%)"), "phase": ("phase", "phase"),
}
_TEXTS.update(_COMPARE)


def comparison_document(frame: pd.DataFrame, year_a: int, year_b: int, *, lang: str = "fr") -> Document:
    """The year-on-year comparison (:meth:`sobriete.history.History.compare`) as a document:
    a summary, the carbon footprint per phase of both years (or the change per group) as a
    chart, and the full table."""
    lang = check_lang(lang)
    keys = [c for c in frame.columns if c not in ("criterion", "phase", "unit", "value_a", "value_b", "change",
                                                  "change_pct")]
    doc = Document(text("compare_title", lang, a=year_a, b=year_b), lang=lang)
    section = doc.section(text("summary", lang))
    scope = scope_warning(frame, year_a, year_b, lang=lang)
    if scope:
        section.add(Paragraph(scope, "warning"))
    gwp = frame[(frame["criterion"] == HEADLINE_CRITERION)]
    totals = gwp[gwp["phase"] == "total"]
    if len(totals):
        before, after = float(totals["value_a"].sum()), float(totals["value_b"].sum())
        change = 100.0 * (after - before) / before if before else float("nan")
        section.add(Paragraph(text("compare_summary", lang, a=year_a, b=year_b, before=_n(before, lang),
                                   after=_n(after, lang), change=format_percent(change, lang)), "summary"))
        phases = gwp[gwp["phase"] != "total"].groupby("phase", sort=False)[["value_a", "value_b"]].sum()
        unit = str(totals["unit"].iloc[0])
        if keys:
            per = totals.groupby(keys[0], sort=False)["change"].sum()
            per = per[per.abs().sort_values(ascending=False, kind="stable").index[:TOP_CONTRIBUTORS]]
            per = per.sort_values(kind="stable")  # the largest changes, decreases first
            section.add(charts.stacked_bars([_key_text(k, lang) for k in per.index], {text("change", lang): per},
                                            unit=unit, title=text("compare_groups", lang, key=key_label(keys[0], lang),
                                                                  a=year_a, b=year_b), lang=lang, name="change"))
        else:
            section.add(charts.stacked_bars([str(year_a), str(year_b)],
                                            {phase_label(p, lang): [r.value_a, r.value_b]
                                             for p, r in phases.iterrows()},
                                            unit=unit, title=text("compare_phases", lang, a=year_a, b=year_b),
                                            lang=lang, name="phases"))
    rows = [[*[_key_text(r[k], lang) for k in keys], r["criterion"], phase_label(r["phase"], lang), r["unit"],
             _n(r["value_a"], lang), _n(r["value_b"], lang),
             ("+" if r["change"] > 0 else "") + _n(r["change"], lang), format_percent(r["change_pct"], lang)]
            for r in frame.to_dict("records")]
    doc.section(text("compare_table", lang)).add(Table(
        text("compare_table", lang), [*[key_label(k, lang) for k in keys], text("criterion", lang),
                                      text("phase", lang), text("unit", lang), str(year_a), str(year_b),
                                      text("change", lang), text("change_pct", lang)],
        rows, [False] * (len(keys) + 3) + [True] * 4))
    return doc


# --------------------------------------------------------------------------- inputs of the report
def catalog_sources(catalog) -> pd.DataFrame:
    """The catalog's ``sources`` table with a ``tables`` column: the factor tables whose rows
    cite each source."""
    sources = catalog.table("sources")
    cited: dict[str, set[str]] = {}
    for name in catalog.table_names:
        table = catalog.table(name)
        if name != "sources" and "source_id" in table:
            for source in table["source_id"].dropna().unique():
                cited.setdefault(str(source), set()).add(name)
    sources["tables"] = [tuple(sorted(cited.get(str(s), ()))) for s in sources["source_id"]]
    return sources


def lighting_hours(frame: pd.DataFrame, year: int, *, schedules: Mapping | None = None,
                   tz: str | None = None) -> pd.DataFrame:
    """Monthly full-power-equivalent burning hours per ZA and schedule, at the ZA's centre.

    Parameters
    ----------
    frame : DataFrame
        Canonical luminaire inventory (``za``, ``schedule``, ``latitude``, ``longitude``,
        ``lamp_power_w``, optional ``count``).
    year : int
        Calendar year.
    schedules : mapping of id to Schedule, optional
        Schedules named by the ``schedule`` column (unknown or missing ids: dusk to dawn).

    Returns
    -------
    DataFrame
        :data:`LIGHTING_HOURS_COLUMNS`: ``luminaires`` [1], ``power_kw`` [kW] (lamps), and
        ``fph_01`` … ``fph_12`` [h].
    """
    from ..schedule import burning_hours, default_schedule

    data = frame.copy()
    data["count"] = pd.to_numeric(data["count"], errors="coerce").fillna(1) if "count" in data else 1.0
    data["schedule"] = data["schedule"].astype(object).where(data["schedule"].notna(), "default") \
        if "schedule" in data else "default"
    data["power_w"] = pd.to_numeric(data.get("lamp_power_w"), errors="coerce") * data["count"]
    groups = data.groupby(["za", "schedule"], sort=True, dropna=False).agg(
        luminaires=("count", "sum"), power_kw=("power_w", "sum"), latitude=("latitude", "mean"),
        longitude=("longitude", "mean")).reset_index()
    groups = groups[groups["latitude"].notna() & groups["longitude"].notna()].reset_index(drop=True)
    if groups.empty:
        return pd.DataFrame(columns=LIGHTING_HOURS_COLUMNS)
    known = dict(schedules or {})
    ids = list(dict.fromkeys(groups["schedule"]))
    chosen = [known.get(i, default_schedule()) for i in ids]
    index = [ids.index(s) for s in groups["schedule"]]
    hours = burning_hours(groups["latitude"].to_numpy(float), groups["longitude"].to_numpy(float), int(year),
                          schedules=chosen, schedule_index=index, **({"tz": tz} if tz else {}))
    groups["power_kw"] = groups["power_kw"] * conversion_factor("W", "kW")
    for m in range(12):
        groups[f"fph_{m + 1:02d}"] = hours.monthly_full_power_hours[:, m]
    return groups[LIGHTING_HOURS_COLUMNS]


# --------------------------------------------------------------------------- files
#: Formats of :func:`write_yearly`.
YEARLY_FORMATS = ("html", "md")


def saved_history(db: str | Path | None) -> pd.DataFrame | None:
    """The saved assessments of the history database ``db`` (None when there is none)."""
    from ..errors import SobrieteError
    from ..history import History

    try:
        with History(db, create=False) as store:
            return store.list()
    except SobrieteError:
        return None


def input_lighting_hours(assessment: Assessment, inputs: Mapping[str, Sequence[str | Path]] | Sequence[str | Path],
                         *, catalog=None, schedules: Mapping | None = None) -> pd.DataFrame | None:
    """Monthly burning hours per ZA (:func:`lighting_hours`) of the lighting files among the
    assessment's ``inputs`` (as given to :func:`sobriete.assessment.assess`); the schedules
    default to those found beside them, as the assessment does."""
    from ..assessment import AUTO, folder_schedules, read_domain_inputs
    from ..io import expand_paths

    if "lighting" not in assessment.footprints:
        return None
    given = inputs if isinstance(inputs, Mapping) else {AUTO: list(inputs)}
    paths = [*given.get("lighting", ())] or [*given.get(AUTO, ())]
    read_with = assessment.profiles.get("lighting", {})  # only the files the assessment read as lighting
    files = [f for f in expand_paths(paths) if f.name in read_with] or paths
    read = read_domain_inputs(files, domain="lighting", catalog=catalog)
    if schedules is None:
        folders = [p if p.is_dir() else p.parent for p in map(Path, paths)]
        schedules = folder_schedules(folders)
    return lighting_hours(read.frame, assessment.year, schedules=schedules)


def write_yearly(assessment: Assessment, fmt: str, output: str | Path | None = None, *, lang: str = "fr",
                 catalog=None, history: pd.DataFrame | None = None, lighting: pd.DataFrame | None = None,
                 extend=None) -> str | None:
    """Write the yearly report as ``html`` or ``md`` (see :func:`.document.render_document`);
    return its text when ``output`` is None. ``extend(doc)``, optional, appends sections (the
    lighting compliance block). The open-data package is :func:`.opendata.write_datapackage`."""
    from ..errors import InputValueError, UnknownNameError
    from ..factors import load_catalog
    from .render import render_document

    if fmt not in YEARLY_FORMATS:
        raise UnknownNameError("report format", fmt, YEARLY_FORMATS)
    catalog = catalog if catalog is not None else load_catalog()
    if output is not None and not Path(output).parent.is_dir():
        raise InputValueError("the output's folder does not exist or is not a folder", file=str(output),
                              code="no_output_folder")
    doc = yearly_document(assessment, lang=lang, history=history, lighting=lighting,
                          catalog_sources=catalog_sources(catalog))
    if extend is not None:
        extend(doc)
    return render_document(doc, fmt, lang, output=output)
