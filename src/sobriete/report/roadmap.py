"""Roadmap views for people: status table, indicator table, JSON, CSV/XLSX and the annual bilan
(Markdown, French by default).

Words of this view live here (``ROADMAP_MESSAGES``), keyed like the main catalogue, so that the
roadmap adds no line to the shared catalogue but its notices.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd

from .compliance import plain_number
from .formatting import format_number, neutralise, text_table
from .messages import check_lang, notice

#: Words of the roadmap views.
ROADMAP_MESSAGES = {  # key: (French, English)
    'status_title': ('Feuille de route « {name} » — état en {year}', "Roadmap '{name}' — status in {year}"),
    'indicators_title': ('Indicateurs de la feuille de route{year}', 'Roadmap indicators{year}'),
    'indicator': ('Indicateur', 'Indicator'),
    'topic': ('Thème', 'Topic'),
    'unit': ('Unité', 'Unit'),
    'baseline': ('Référence', 'Baseline'),
    'target': ('Objectif', 'Target'),
    'last': ('Dernière valeur', 'Last value'),
    'trajectory': ('Trajectoire', 'Trajectory'),
    'status': ('Statut', 'Status'),
    'projection': ('Projection', 'Projection'),
    'reached_in': ('Atteint en', 'Reached in'),
    'gap': ('Écart', 'Gap'),
    'planned': ('Mesures prévues', 'Planned measures'),
    'remaining': ('Reste à faire', 'Still to find'),
    'year': ('Année', 'Year'),
    'value': ('Valeur', 'Value'),
    'origin': ('Origine', 'Origin'),
    'never': ('jamais à ce rythme', 'never at this pace'),
    'fit': ('Projection : tendance linéaire (moindres carrés) sur les années mesurées ; écart = objectif − dernière valeur (en % de la dernière valeur) ; reste à faire = écart − effet annuel attendu des mesures prévues ou en cours.',
        'Projection: linear trend (least squares) over the measured years; gap = target − last value (in % of the last value); still to find = gap − expected yearly effect of planned or ongoing measures.'),
    'topics_title': ('Synthèse par thème', 'Summary per topic'),
    'topic_line': ('{topic} : {targets} objectif(s) — {reached} atteint(s), {on_track} en bonne voie, {off_track} en retard, {no_data} sans donnée ; mesures : {done} réalisée(s), {in_progress} en cours, {planned} prévue(s) ; budget {budget} €',
        '{topic}: {targets} target(s) — {reached} reached, {on_track} on track, {off_track} off track, {no_data} without data; measures: {done} done, {in_progress} in progress, {planned} planned; budget EUR {budget}'),
    'measures_title': ('Mesures classées par coût-efficacité', 'Measures ranked by cost-effectiveness'),
    'measure': ('Mesure', 'Measure'),
    'owner': ('Pilote', 'Owner'),
    'budget': ('Budget (€)', 'Budget (EUR)'),
    'avoided': ('Évité (kgCO2e/an)', 'Avoided (kgCO2e/yr)'),
    'per_eur': ('kgCO2e évités / €', 'kgCO2e avoided / EUR'),
    'eur_per_t': ('€ / tCO2e', 'EUR / tCO2e'),
    'effect_source': ('Effet', 'Effect'),
    'rank_effect': ('Rang effet', 'Effect rank'),
    'warnings': ('Avertissements', 'Warnings'),
    'not_verified': (' (valeur légale non vérifiée)', ' (legal value not verified)'),
    'legal': ('légal', 'legal'),
}
TOPIC_LABELS = {
    "fr": {"achats": "Achats durables", "cycle_de_vie": "Cycle de vie du matériel",
           "ecoconception": "Écoconception des services", "sensibilisation": "Sensibilisation des agents et élus",
           "inclusion": "Citoyens et inclusion numérique", "territoire": "Territoire connecté et données ouvertes"},
    "en": {"achats": "Sustainable procurement", "cycle_de_vie": "IT equipment life cycle",
           "ecoconception": "Eco-design of services", "sensibilisation": "Awareness of agents and elected members",
           "inclusion": "Citizens and digital inclusion", "territoire": "Connected territory and open data"},
}
STATUS_LABELS = {
    "fr": {"reached": "atteint", "on_track": "en bonne voie", "off_track": "en retard", "no_data": "sans donnée",
           "planned": "prévue", "in_progress": "en cours", "done": "réalisée", "abandoned": "abandonnée"},
    "en": {"reached": "reached", "on_track": "on track", "off_track": "off track", "no_data": "no data",
           "planned": "planned", "in_progress": "in progress", "done": "done", "abandoned": "abandoned"},
}
ORIGIN_LABELS = {
    "fr": {"history": "historique", "register": "registre", "recorded": "saisie", "file": "fichier de valeurs",
           "formula": "formule", "roadmap": "feuille de route", "lighting": "inventaire d'éclairage",
           "hosting": "inventaire d'hébergement"},
    "en": {"history": "history", "register": "register", "recorded": "recorded", "file": "values file",
           "formula": "formula", "roadmap": "roadmap", "lighting": "lighting inventory",
           "hosting": "hosting inventory"},
}
EFFECT_SOURCE_LABELS = {
    "fr": {"project": "projet évalué", "effects": "effet déclaré", "none": "–"},
    "en": {"project": "assessed project", "effects": "declared effect", "none": "–"},
}
#: Values of the CSV/XLSX cells, per column (besides statuses, topics, origins, effect sources).
VALUE_LABELS = {
    "fr": {"target_kind": {"absolute": "absolu", "relative": "relatif", "legal": "légal"},
           "direction": {"lower": "à la baisse", "higher": "à la hausse"},
           "fit": {"linear least squares over the recorded years":
                   "tendance linéaire (moindres carrés) sur les années mesurées",
                   "none (one value)": "aucune (une seule valeur)"},
           "target_verified": {True: "oui", False: "non"}},
    "en": {"target_kind": {}, "direction": {"lower": "down", "higher": "up"}, "fit": {},
           "target_verified": {True: "yes", False: "no"}},
}
#: Headers of the CSV/XLSX tables: column -> (French, English).
COLUMN_LABELS = {
    "indicator": ("indicateur", "indicator"), "label": ("libellé", "label"), "unit": ("unité", "unit"),
    "topic": ("thème", "topic"), "baseline_year": ("année de référence", "baseline year"),
    "baseline_value": ("valeur de référence", "baseline value"), "target_year": ("année de l'objectif", "target year"),
    "target_value": ("objectif", "target"), "target_kind": ("type d'objectif", "target kind"),
    "target_verified": ("objectif vérifié", "target verified"), "direction": ("sens souhaité", "wanted direction"),
    "last_year": ("dernière année", "last year"), "last_value": ("dernière valeur", "last value"),
    "trajectory_value": ("trajectoire", "trajectory"), "status": ("statut", "status"),
    "projected_value": ("projection", "projection"), "fit": ("méthode de projection", "projection method"),
    "fit_points": ("années ajustées", "fitted years"), "year_reached": ("atteint en", "reached in"),
    "gap": ("écart", "gap"), "gap_pct": ("écart (%)", "gap (%)"), "planned_effect": ("mesures prévues", "planned measures"),
    "remaining": ("reste à faire", "still to find"), "missing_years": ("années manquantes", "missing years"),
    "year": ("année", "year"), "value": ("valeur", "value"), "origin": ("origine", "origin"),
    "id": ("id", "id"), "title": ("mesure", "measure"), "owner": ("pilote", "owner"), "budget_eur": ("budget (€)", "budget (EUR)"),
    "start": ("début", "start"), "end": ("fin", "end"), "indicators": ("indicateurs", "indicators"),
    "project": ("fichier projet", "project file"), "effect_source": ("origine de l'effet", "effect from"),
    "avoided_kgco2e_per_year": ("évité (kgCO2e/an)", "avoided (kgCO2e/yr)"),
    "horizon_years": ("horizon (ans)", "horizon (years)"), "kgco2e_per_eur": ("kgCO2e évités / €", "kgCO2e avoided / EUR"),
    "eur_per_tco2e": ("€ / tCO2e", "EUR / tCO2e"), "effects": ("effets annuels", "yearly effects"),
    "rank_effect": ("rang effet", "effect rank"), "rank_cost_effectiveness": ("rang coût-efficacité", "cost-effectiveness rank"),
    "targets": ("objectifs", "targets"), "reached": ("atteints", "reached"), "on_track": ("en bonne voie", "on track"),
    "off_track": ("en retard", "off track"), "no_data": ("sans donnée", "no data"),
    "measures_done": ("mesures réalisées", "measures done"), "measures_in_progress": ("mesures en cours", "measures in progress"),
    "measures_planned": ("mesures prévues", "measures planned"), "notice": ("avertissement", "warning"),
}
#: Sheet names of the XLSX status workbook.
SHEET_LABELS = {"fr": {"statuses": "objectifs", "values": "valeurs", "measures": "mesures", "topics": "thèmes",
                       "notices": "avertissements"},
                "en": {"statuses": "targets", "values": "values", "measures": "measures", "topics": "topics",
                       "notices": "warnings"}}
UNIT_LABELS = {"percent": "%", "year": "ans", "1": ""}
#: Formats of ``roadmap status``.
STATUS_FORMATS = ("table", "json", "csv", "xlsx", "html", "md")


def _m(key: str, lang: str, **values: object) -> str:
    text = ROADMAP_MESSAGES[key][0 if check_lang(lang) == "fr" else 1]
    return text.format(**values) if values else text


def indicator_label(indicator: str, roadmap=None, lang: str = "fr") -> str:
    """The indicator's label: the roadmap's own, else the built-in's, else its id."""
    from ..roadmap.indicators import definitions

    spec = roadmap.indicator(indicator) if roadmap is not None else None
    if spec is not None and spec.label:
        return spec.label
    base, _, category = (spec.builtin if spec is not None and spec.builtin else indicator).partition("@")
    table = definitions().set_index("indicator")
    if base in table.index:
        label = str(table.loc[base, "label_fr" if lang == "fr" else "label_en"])
        return f"{label} ({category})" if category else label
    return indicator


def _missing(value: object) -> bool:
    """None or NaN (a column of years with a missing one is float)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _unit(unit: str, lang: str) -> str:
    """A catalog unit as a reader writes it after a number.

    Examples
    --------
    >>> _unit("percent", "fr"), _unit("year", "fr"), _unit("year", "en"), _unit("kgCO2e", "en")
    ('%', 'ans', 'years', 'kgCO2e')
    """
    if lang == "fr":
        return UNIT_LABELS.get(unit, unit)
    return {"percent": "%", "1": "", "year": "years"}.get(unit, unit)


def _num(value: object, lang: str) -> str:
    return format_number(value, lang)


def _money(value: object, lang: str) -> str:
    """An amount [EUR]: whole euros without decimals (``45 000``), cents kept otherwise."""
    return plain_number(value, lang) if not _missing(value) else "–"


def _with_unit(value: object, unit: str, lang: str) -> str:
    if _missing(value):
        return "–"
    text = _num(value, lang)
    shown = _unit(unit, lang)
    return f"{text} {shown}".strip()


def _signed(value: float, unit: str, lang: str) -> str:
    if _missing(value):
        return "–"
    return ("+" if value > 0 else "") + _with_unit(value, unit, lang)


def status_year(result) -> int:
    """The year a status is given for: ``as_of``, else the last measured, else the baseline."""
    return result.as_of or (int(result.values["year"].max()) if len(result.values)
                            else result.roadmap.spec.baseline_year)


def status_table(result, lang: str) -> tuple[list[str], list[list[str]]]:
    """Headers and formatted rows of the status of every target."""
    st = result.statuses
    headers = [_m(k, lang) for k in ("indicator", "baseline", "target", "last", "trajectory", "status", "projection",
                                     "reached_in", "gap", "planned", "remaining")]
    rows = []
    for r in st.to_dict("records"):
        u = r["unit"]
        target = f"{r['target_year']} : {_with_unit(r['target_value'], u, lang)}" if lang == "fr" else \
            f"{r['target_year']}: {_with_unit(r['target_value'], u, lang)}"
        if r["target_kind"] == "legal":
            target += f" ({_m('legal', lang)})" + ("" if r["target_verified"] else " *")
        last = "–" if _missing(r["last_year"]) else \
            f"{int(r['last_year'])} : {_with_unit(r['last_value'], u, lang)}" if lang == "fr" else \
            f"{int(r['last_year'])}: {_with_unit(r['last_value'], u, lang)}"
        reached = _m("never", lang) if r["status"] != "no_data" and _missing(r["year_reached"]) else (
            "–" if _missing(r["year_reached"]) else str(int(r["year_reached"])))
        gap = "–" if r["status"] == "no_data" else \
            f"{_signed(r['gap'], u, lang)} ({_signed(r['gap_pct'], 'percent', lang)})"
        rows.append([indicator_label(r["indicator"], result.roadmap, lang),
                     f"{int(r['baseline_year'])} : {_with_unit(r['baseline_value'], u, lang)}" if lang == "fr" else
                     f"{int(r['baseline_year'])}: {_with_unit(r['baseline_value'], u, lang)}",
                     target, last, _with_unit(r["trajectory_value"], u, lang), STATUS_LABELS[lang][r["status"]],
                     _with_unit(r["projected_value"], u, lang), reached, gap, _signed(r["planned_effect"], u, lang),
                     _signed(r["remaining"], u, lang)])
    return headers, rows


# --------------------------------------------------------------------------- status
def render_status(result, *, lang: str = "fr") -> str:
    """The status of every target, the summary per topic, the ranked measures and warnings."""
    lang = check_lang(lang)
    st = result.statuses
    year = status_year(result)
    out = [_m("status_title", lang, name=result.roadmap.spec.name, year=year), ""]
    headers, rows = status_table(result, lang)
    out += [text_table(headers, rows), "", _m("fit", lang)]
    if len(st) and not st["target_verified"].all():
        out.append("* " + _m("not_verified", lang).strip(" ()"))
    out += ["", _m("topics_title", lang), ""]
    out += ["- " + topic_line(t, lang) for t in result.topics.to_dict("records")]
    out += ["", _m("measures_title", lang), "", render_measures(result.measures, lang=lang)]
    if result.notices:
        out += ["", _m("warnings", lang) + " :" if lang == "fr" else _m("warnings", lang) + ":"]
        out += ["- " + notice(n, lang) for n in result.notices]
    return "\n".join(out) + "\n"


def topic_line(t: dict, lang: str = "fr") -> str:
    """One sentence per topic: targets by status, measures by status and budget [EUR], in ``lang``."""
    return _m("topic_line", lang, topic=TOPIC_LABELS[lang].get(t["topic"], t["topic"]), targets=t["targets"],
              reached=t["reached"], on_track=t["on_track"], off_track=t["off_track"], no_data=t["no_data"],
              done=t["measures_done"], in_progress=t["measures_in_progress"], planned=t["measures_planned"],
              budget=_money(t["budget_eur"], lang))


def render_measures(measures: pd.DataFrame, *, lang: str = "fr") -> str:
    headers, rows, numeric = measures_table(measures, lang)
    return text_table(headers, rows, numeric=numeric)


def measures_table(measures: pd.DataFrame, lang: str) -> tuple[list, list, list]:
    """Headers, formatted rows and numeric flags of the measures ranked by cost-effectiveness
    [kgCO2e avoided per EUR], in ``lang``."""
    headers = ["#", _m("measure", lang), _m("topic", lang), _m("owner", lang), _m("status", lang), _m("budget", lang),
               _m("avoided", lang), _m("per_eur", lang), _m("eur_per_t", lang), _m("rank_effect", lang),
               _m("effect_source", lang)]
    rows = [[r["rank_cost_effectiveness"], f"{r['id']} {r['title']}", TOPIC_LABELS[lang].get(r["topic"], r["topic"]),
             r["owner"] or "–", STATUS_LABELS[lang][r["status"]], _money(r["budget_eur"], lang),
             _num(r["avoided_kgco2e_per_year"], lang), _num(r["kgco2e_per_eur"], lang),
             _num(r["eur_per_tco2e"], lang), r["rank_effect"],
             EFFECT_SOURCE_LABELS[lang].get(r["effect_source"], r["effect_source"])]
            for r in measures.to_dict("records")]
    return headers, rows, [True, False, False, False, False, True, True, True, True, True, False]


def status_frames(result, *, lang: str = "fr") -> dict[str, pd.DataFrame]:
    """The result as tidy frames for CSV/XLSX/JSON: statuses, values, measures, topics, notices."""
    measures = result.measures.copy()
    measures["effects"] = [json.dumps(e, ensure_ascii=False) for e in measures["effects"]]
    measures["indicators"] = [", ".join(i) for i in measures["indicators"]]
    statuses = result.statuses.copy()
    statuses.insert(1, "label", [indicator_label(i, result.roadmap, lang) for i in statuses["indicator"]])
    statuses["missing_years"] = [", ".join(map(str, y)) for y in statuses["missing_years"]]
    return {"statuses": statuses, "values": result.values, "measures": measures, "topics": result.topics,
            "notices": pd.DataFrame({"notice": [notice(n, lang) for n in result.notices]})}


def for_people(frame: pd.DataFrame, lang: str = "fr") -> pd.DataFrame:
    """A :func:`status_frames` table as a person reads it in a spreadsheet: headers and coded
    values (statuses, topics, origins, units...) in ``lang``; numbers stay numbers.

    Examples
    --------
    >>> for_people(pd.DataFrame({"status": ["off_track"], "unit": ["percent"], "gap": [6.9]})).to_dict("records")
    [{'statut': 'en retard', 'unité': '%', 'écart': 6.9}]
    """
    lang = check_lang(lang)
    out = frame.copy()
    labels = {"status": STATUS_LABELS[lang], "topic": TOPIC_LABELS[lang], "origin": ORIGIN_LABELS[lang],
              "effect_source": EFFECT_SOURCE_LABELS[lang], **VALUE_LABELS[lang]}
    for column, table in labels.items():
        if column in out.columns and table:
            out[column] = out[column].map(lambda v, t=table: t.get(v, v))
    if "unit" in out.columns:
        out["unit"] = out["unit"].map(lambda u: _unit(u, lang))
    return out.rename(columns={c: COLUMN_LABELS[c][0 if lang == "fr" else 1] for c in out.columns if c in COLUMN_LABELS})


def to_json(result, *, lang: str = "fr", uncertainty=None) -> str:
    """The status as JSON: the :func:`status_frames` tables with their ids (machine-readable keys)."""
    frames = status_frames(result, lang=lang)
    payload = {"roadmap": result.roadmap.spec.name, "baseline_year": result.roadmap.spec.baseline_year,
               "as_of": result.as_of, **{k: json.loads(v.to_json(orient="records", date_format="iso"))
                                         for k, v in frames.items()}}
    if uncertainty is not None:
        payload["uncertainty"] = uncertainty_json(uncertainty, lang)
    return json.dumps(payload, ensure_ascii=False, indent=2) + "\n"


def write_status(result, fmt: str, output: str | Path | None = None, *, lang: str = "fr",
                 uncertainty=None) -> str | None:
    """Write the status in ``fmt`` (:data:`STATUS_FORMATS`); without ``output``, return the
    text (``xlsx`` needs a file). CSV writes the statuses table (``;`` and decimal comma in
    French); XLSX one sheet per frame; both are safe against formula injection. ``html`` and
    ``md``: the illustrated report (:func:`roadmap_document`). ``uncertainty``
    (:func:`sobriete.roadmap.uncertainty.inventory_uncertainty`) is added to every format."""
    from ..errors import InputValueError

    lang = check_lang(lang)
    if fmt in ("html", "md"):
        from .render import render_document

        return render_document(roadmap_document(result, lang=lang, uncertainty=uncertainty), fmt, lang,
                               output=output)
    frames = status_frames(result, lang=lang)
    if uncertainty is not None and uncertainty.available:
        frames["uncertainty"] = uncertainty.result.summary()
    if fmt == "table":
        text = render_status(result, lang=lang)
        if uncertainty is not None:
            text += "\n" + uncertainty_text(uncertainty, lang)
    elif fmt == "json":
        text = to_json(result, lang=lang, uncertainty=uncertainty)
    elif fmt == "csv":
        options = {"sep": ";", "decimal": ","} if lang == "fr" else {"sep": ",", "decimal": "."}
        text = neutralise(for_people(frames["statuses"], lang)).to_csv(index=False, **options)
        if "uncertainty" in frames:
            text += "\n" + neutralise(frames["uncertainty"]).to_csv(index=False, **options)
    else:
        if output is None:
            raise InputValueError("the xlsx format needs an output file (--output report.xlsx)",
                                  code="xlsx_needs_output")
        with pd.ExcelWriter(output, engine="openpyxl") as writer:
            for name, frame in frames.items():
                neutralise(for_people(frame, lang)).to_excel(writer, sheet_name=SHEET_LABELS[lang].get(name, name),
                                                             index=False)
        return None
    if output is None:
        return text
    Path(output).write_text(text, encoding="utf-8-sig" if fmt == "csv" else "utf-8")
    return None


# --------------------------------------------------------------------------- indicators
def render_indicators(values: pd.DataFrame, *, roadmap=None, year: int | None = None, lang: str = "fr") -> str:
    """The indicator values (one line per indicator and year), with their origin."""
    lang = check_lang(lang)
    title = _m("indicators_title", lang, year=f" — {year}" if year is not None else "")
    headers = [_m("indicator", lang), "id", _m("year", lang), _m("value", lang), _m("unit", lang), _m("origin", lang)]
    rows = [[indicator_label(r["indicator"], roadmap, lang), r["indicator"], r["year"], _num(r["value"], lang),
             _unit(r["unit"], lang), ORIGIN_LABELS[lang].get(r["origin"], r["origin"])]
            for r in values.to_dict("records")]
    return title + "\n\n" + text_table(headers, rows, numeric=[False, False, True, True, False, False]) + "\n"


# --------------------------------------------------------------------------- bilan
def render_bilan(result, *, year: int, lang: str = "fr") -> str:
    """The annual bilan of the roadmap as Markdown (French by default): what was measured,
    against which targets, what moved since the previous year, measures done and planned,
    definitions and sources."""
    from ..roadmap.indicators import definitions, legal_targets

    lang = check_lang(lang)
    fr = lang == "fr"
    spec = result.roadmap.spec
    values = result.values
    out = [f"# {'Bilan annuel' if fr else 'Annual report'} {year} — {spec.name}", ""]
    if spec.authority:
        out += [spec.authority, ""]
    out += [("Ce bilan rend compte de la stratégie numérique responsable (loi n° 2021-1485, art. 35 ; "
             "décret n° 2022-1084, CGCT art. D. 2311-15-1), dont la loi prévoit un bilan annuel dans le rapport sur "
             "la situation en matière de développement durable (CGCT art. L. 2311-1-1) : indicateurs "
             "mesurés, objectifs, évolution depuis l'an dernier, mesures réalisées et prévues. Il est généré par "
             "sobriete à partir des évaluations enregistrées et des données déclarées.") if fr else
            ("This report covers the responsible-digital strategy (law no. 2021-1485, art. 35; decree no. 2022-1084, "
             "CGCT art. D. 2311-15-1), whose yearly report the law places in the report on sustainable development "
             "(CGCT art. L. 2311-1-1): measured indicators, targets, change since last year, measures done and "
             "planned. Generated by sobriete from the saved assessments and the declared data."), ""]
    declared = [i.id for i in spec.indicators] + [t.indicator for t in spec.targets]
    if declared:  # the roadmap's own indicators (not the built-ins they stand for twice)
        values = values[values["indicator"].isin(declared)]
    this = values[values["year"] == year]
    before = values[values["year"] == year - 1].set_index("indicator")["value"]
    out += [f"## 1. {'Ce qui a été mesuré en' if fr else 'What was measured in'} {year}", ""]
    if len(this):
        out += [f"| {'Indicateur' if fr else 'Indicator'} | {year} | {year - 1} | {'Évolution' if fr else 'Change'} "
                f"| {'Origine' if fr else 'Origin'} |", "|---|---:|---:|---:|---|"]
        for r in this.to_dict("records"):
            prev = before.get(r["indicator"])
            change = "–" if prev is None or prev == 0 else _signed(100 * (r["value"] - prev) / abs(prev), "percent",
                                                                   lang)
            out.append(f"| {indicator_label(r['indicator'], result.roadmap, lang)} | "
                       f"{_with_unit(r['value'], r['unit'], lang)} | "
                       f"{'–' if prev is None else _with_unit(prev, r['unit'], lang)} | {change} | "
                       f"{ORIGIN_LABELS[lang].get(r['origin'], r['origin'])} |")
    else:
        out.append("Aucun indicateur mesuré pour cette année." if fr else "No indicator measured for this year.")
    out += ["", f"## 2. {'Objectifs et trajectoires' if fr else 'Targets and trajectories'}", ""]
    for r in result.statuses.to_dict("records"):
        label = indicator_label(r["indicator"], result.roadmap, lang)
        u = r["unit"]
        if r["status"] == "no_data":
            out.append(f"- **{label}** : " + ("aucune valeur mesurée, statut non calculable." if fr else
                                              "no measured value, no status."))
            continue
        legal = (" (objectif réglementaire" + ("" if r["target_verified"] else ", valeur non vérifiée") + ")") \
            if fr and r["target_kind"] == "legal" else (" (legal target" + ("" if r["target_verified"] else
                                                                            ", value not verified") + ")"
                                                        if r["target_kind"] == "legal" else "")
        if _missing(r["year_reached"]):
            reached = "objectif jamais atteint à ce rythme" if fr else "never reached at this pace"
        else:
            reached = f"objectif atteint en {int(r['year_reached'])}" if fr else f"reached in {int(r['year_reached'])}"
        if fr:
            out.append(f"- **{label}** : {_with_unit(r['last_value'], u, lang)} en {int(r['last_year'])} pour un "
                       f"objectif de {_with_unit(r['target_value'], u, lang)} en {r['target_year']}{legal} ; "
                       f"trajectoire {_with_unit(r['trajectory_value'], u, lang)} → "
                       f"**{STATUS_LABELS[lang][r['status']]}**. Tendance : "
                       f"{_with_unit(r['projected_value'], u, lang)} en {r['target_year']}, "
                       f"{reached}. Reste à faire après les mesures prévues : {_signed(r['remaining'], u, lang)}.")
        else:
            out.append(f"- **{label}**: {_with_unit(r['last_value'], u, lang)} in {int(r['last_year'])} against a "
                       f"target of {_with_unit(r['target_value'], u, lang)} in {r['target_year']}{legal}; trajectory "
                       f"{_with_unit(r['trajectory_value'], u, lang)} → **{STATUS_LABELS[lang][r['status']]}**. "
                       f"Trend: {_with_unit(r['projected_value'], u, lang)} in {r['target_year']}, "
                       f"{reached}. Still to find after planned measures: {_signed(r['remaining'], u, lang)}.")
    out += ["", _m("fit", lang), "", f"## 3. {_m('topics_title', lang)}", ""]
    out += ["- " + topic_line(t, lang) for t in result.topics.to_dict("records")]
    measures = result.measures
    for title, keep in ((("Mesures réalisées" if fr else "Measures done"), ("done",)),
                        (("Mesures en cours et prévues" if fr else "Measures in progress and planned"),
                         ("in_progress", "planned"))):
        out += ["", f"## {'4' if keep == ('done',) else '5'}. {title}", ""]
        part = measures[measures["status"].isin(keep)]
        if not len(part):
            out.append("Aucune." if fr else "None.")
        for r in part.to_dict("records"):
            effect = "" if r["avoided_kgco2e_per_year"] != r["avoided_kgco2e_per_year"] else (
                f" ; effet attendu {_num(r['avoided_kgco2e_per_year'], lang)} kgCO2e évités par an" if fr else
                f"; expected {_num(r['avoided_kgco2e_per_year'], lang)} kgCO2e avoided per year")
            budget = "" if r["budget_eur"] != r["budget_eur"] else (f" ; budget {_money(r['budget_eur'], lang)} €" if fr
                                                                     else f"; budget EUR {_money(r['budget_eur'], lang)}")
            out.append(f"- {r['id']} — {r['title']} ({TOPIC_LABELS[lang][r['topic']]}, "
                       f"{r['owner'] or '–'}){budget}{effect}")
    out += ["", f"## 6. {'Définitions et sources' if fr else 'Definitions and sources'}", ""]
    table = definitions().set_index("indicator")
    shown = sorted(set(values["indicator"]) | set(result.statuses["indicator"]))
    for ind in shown:
        spec_ind = result.roadmap.indicator(ind)
        base = (spec_ind.builtin if spec_ind is not None and spec_ind.builtin else ind).split("@")[0]
        if base in table.index:
            out.append(f"- `{ind}` : {table.loc[base, 'definition_fr']} (source : {table.loc[base, 'source_id']})"
                       if fr else f"- `{ind}`: {table.loc[base, 'definition_en']} (source: "
                                  f"{table.loc[base, 'source_id']})")
        elif spec_ind is not None and spec_ind.formula:
            out.append(f"- `{ind}` : formule `{spec_ind.formula}`" if fr else f"- `{ind}`: formula "
                                                                              f"`{spec_ind.formula}`")
    from ..roadmap.indicators import sources

    legal = legal_targets()
    cited = sorted({str(table.loc[result.roadmap.builtin_of(i), "source_id"]) for i in shown
                    if result.roadmap.builtin_of(i) in table.index} | set(legal["source_id"]))
    src = sources().set_index("source_id")
    out += [""] + [f"- {s} : {src.loc[s, 'document']} ({src.loc[s, 'organisation']}, {src.loc[s, 'year']})"
                   if fr else f"- {s}: {src.loc[s, 'document']} ({src.loc[s, 'organisation']}, {src.loc[s, 'year']})"
                   for s in cited if s in src.index]
    for r in legal[legal["status"] != "sourced"].to_dict("records"):
        out.append(f"- {'Non vérifié' if fr else 'Not verified'} : {r['indicator']} {_legal_value(r, lang)} "
                   f"({'à partir de' if fr else 'from'} {r['year_from']}) — {r['note']}")
    if result.notices:
        out += ["", f"## {'Avertissements' if fr else 'Warnings'}", ""]
        out += ["- " + notice(n, lang) for n in result.notices]
    return "\n".join(out) + "\n"


def bilan_to(result, *, year: int, output: str | Path | None = None, lang: str = "fr") -> str | None:
    """Write the Markdown bilan of ``year`` to ``output``; without ``output``, return it."""
    text = render_bilan(result, year=year, lang=lang)
    if output is None:
        return text
    Path(output).write_text(text, encoding="utf-8")
    return None


__all__ = ["STATUS_FORMATS", "render_bilan", "render_indicators", "render_status", "status_frames", "to_json",
           "write_status", "bilan_to"]


def render_definitions(*, lang: str = "fr") -> str:
    """The built-in indicators with their unit, topic, definition and source."""
    from ..roadmap.indicators import definitions, legal_targets

    lang = check_lang(lang)
    table = definitions()
    column = "definition_fr" if lang == "fr" and "definition_fr" in table else "definition_en"
    out = []
    for r in table.to_dict("records"):
        out.append(f"{r['indicator']} [{_unit(r['unit'], lang) or '1'}] — "
                   f"{r['label_fr' if lang == 'fr' else 'label_en']} ({TOPIC_LABELS[lang][r['topic']]})")
        out.append(f"    {r[column]} Source : {r['source_id']}" if lang == "fr" else
                   f"    {r[column]} Source: {r['source_id']}")
    legal = legal_targets()
    if len(legal):
        out += ["", "Objectifs réglementaires :" if lang == "fr" else "Legal targets:"]
        for r in legal.to_dict("records"):
            flag = "" if r["status"] == "sourced" else _m("not_verified", lang)
            target = f"≥ {_num(r['value'], lang)} %" if r["value"] == r["value"] else _legal_value(r, lang)
            out.append(f"  {r['indicator']} {target} "
                       f"{'à partir de' if lang == 'fr' else 'from'} {r['year_from']} ({r['source_id']}){flag}")
    return "\n".join(out) + "\n"


def _legal_value(row: dict, lang: str) -> str:
    """A legal target's value, or, for a row without one (a repealed text), that none is known."""
    if row["value"] == row["value"]:
        return f"{_num(row['value'], lang)} %"
    return "aucun objectif connu" if lang == "fr" else "no known target"


def recorded_message(count: int, db: str, lang: str = "fr") -> str:
    """The sentence confirming that ``count`` indicator values were recorded in ``db``."""
    return (f"{count} valeur(s) d'indicateur enregistrée(s) dans {db}" if check_lang(lang) == "fr" else
            f"{count} indicator value(s) recorded in {db}")


# --------------------------------------------------------------------------- illustrated report
#: Words of the illustrated roadmap report and of the uncertainty block (key: French, English).
DOCUMENT_TEXTS = {
    "summary": ("Synthèse", "Summary"),
    "lead": ("En {year}, la feuille de route suit {targets} objectif(s) : {reached} atteint(s), {on_track} en bonne "
             "voie, {off_track} en retard, {no_data} sans donnée. Elle compte {measures} mesure(s) pour un budget "
             "de {budget} €.",
             "In {year}, the roadmap follows {targets} target(s): {reached} reached, {on_track} on track, "
             "{off_track} off track, {no_data} without data. It has {measures} measure(s) for a budget of EUR "
             "{budget}."),
    "lead_carbon": ("Empreinte carbone : {last} en {year}, pour un objectif de {target} en {target_year} "
                    "({status}).",
                    "Carbon footprint: {last} in {year}, against a target of {target} in {target_year} ({status})."),
    "statuses": ("État des objectifs", "Status of the targets"),
    "trajectories": ("Trajectoires", "Trajectories"),
    "trajectory_chart": ("{label} : valeurs et trajectoire vers l'objectif", "{label}: values and path to the target"),
    "measures": ("Mesures", "Measures"),
    "macc": ("Courbe des coûts d'abattement des mesures (€ par tCO2e évitée)",
             "Marginal abatement cost curve of the measures (EUR per tCO2e avoided)"),
    "macc_note": ("Largeur d'une barre = tonnes de CO2e évitées sur l'horizon de la mesure (budget ÷ coût par "
                  "tonne) ; hauteur = budget ÷ tonnes évitées ; mesures classées de la moins chère à la plus chère. "
                  "{missing} mesure(s) sans effet chiffré ou sans budget n'y figurent pas.",
                  "Bar width = tonnes of CO2e avoided over the measure's horizon (budget ÷ cost per tonne); "
                  "height = budget ÷ tonnes avoided; measures sorted from cheapest to dearest. {missing} measure(s) "
                  "without a quantified effect or a budget are not shown."),
    "t_avoided": ("tCO2e évitées", "tCO2e avoided"),
    "eur_per_t": ("€/tCO2e", "EUR/tCO2e"),
    "uncertainty": ("Incertitude", "Uncertainty"),
    "uncertainty_title": ("Empreinte des inventaires de {year} ({domains}) : {draws} tirages, graine {seed}",
                          "Footprint of the {year} inventories ({domains}): {draws} draws, seed {seed}"),
    "uncertainty_scope": ("L'intervalle porte sur les inventaires que la feuille de route nomme pour {year} "
                          "({files}) ; les autres domaines de l'empreinte viennent des évaluations enregistrées "
                          "dans l'historique, sans leurs lignes, et ne sont pas tirés.",
                          "The interval covers the inventories the roadmap names for {year} ({files}); the other "
                          "domains of the footprint come from assessments saved in the history, without their "
                          "rows, and are not drawn."),
    "uncertainty_none": ("Incertitude non calculée : la feuille de route ne nomme aucun inventaire pour {year} "
                         "(lighting_inventories, hosting_inventories) ; les empreintes de l'historique sont des "
                         "résultats enregistrés, sans les lignes qu'il faudrait tirer.",
                         "Uncertainty not computed: the roadmap names no inventory for {year} (lighting_inventories, "
                         "hosting_inventories); the history's footprints are saved results, without the rows a "
                         "draw needs."),
    "warnings": ("Avertissements", "Warnings"),
    "colophon": ("Produit par sobriete à partir de la feuille de route {file}", "Produced by sobriete from the "
                                                                                "roadmap {file}"),
}


def _d(key: str, lang: str, **values: object) -> str:
    return DOCUMENT_TEXTS[key][0 if lang == "fr" else 1].format(**values)


def abatement_frame(measures: pd.DataFrame) -> pd.DataFrame:
    """The measures that can be placed on the abatement cost curve: ``id, title, avoided_t,
    eur_per_tco2e`` with ``avoided_t`` = budget ÷ cost per tonne [tCO2e] (the tonnes the roadmap's
    cost per tonne divides the budget by), sorted by cost per tonne.

    Examples
    --------
    >>> m = pd.DataFrame({"id": ["A", "B", "C"], "title": ["a", "b", "c"], "budget_eur": [1000.0, 300.0, None],
    ...                   "eur_per_tco2e": [500.0, 100.0, None]})
    >>> abatement_frame(m)[["id", "avoided_t"]].values.tolist()
    [['B', 3.0], ['A', 2.0]]
    """
    cost = pd.to_numeric(measures["eur_per_tco2e"], errors="coerce")
    budget = pd.to_numeric(measures["budget_eur"], errors="coerce")
    avoided = budget / cost
    keep = cost.notna() & avoided.notna() & (avoided > 0)
    out = measures.loc[keep, ["id", "title"]].assign(avoided_t=avoided[keep], eur_per_tco2e=cost[keep])
    return out.sort_values("eur_per_tco2e", kind="stable").reset_index(drop=True)


def _series(values: pd.DataFrame, indicator: str, years: list[int]) -> list[float]:
    own = values[values["indicator"] == indicator].groupby("year")["value"].last()
    return [float(own.get(y, float("nan"))) for y in years]


def _trajectory_charts(result, lang: str) -> list:
    """One chart per targeted indicator: its values and the straight path to its target."""
    from ..roadmap.trajectory import straight_trajectory
    from . import charts

    out = []
    for r in result.statuses.to_dict("records"):
        if r["status"] == "no_data" or _missing(r["baseline_value"]):
            continue
        last = int(r["last_year"]) if not _missing(r["last_year"]) else int(r["baseline_year"])
        years = list(range(int(r["baseline_year"]), max(int(r["target_year"]), last) + 1))
        label = indicator_label(r["indicator"], result.roadmap, lang)
        path = [float(straight_trajectory(y, baseline_year=int(r["baseline_year"]),
                                          baseline_value=float(r["baseline_value"]),
                                          target_year=int(r["target_year"]), target_value=float(r["target_value"])))
                if y <= int(r["target_year"]) else float("nan") for y in years]
        unit = _unit(r["unit"], lang) or "1"
        out.append(charts.trajectories(years, {label: _series(result.values, r["indicator"], years)}, {label: path},
                                       unit=unit, title=_d("trajectory_chart", lang, label=label), lang=lang,
                                       name="trajectory"))
    return out


def roadmap_document(result, *, lang: str = "fr", uncertainty=None):
    """The illustrated status report of a roadmap (render it with
    :func:`sobriete.report.document.render_document`).

    Parameters
    ----------
    result : RoadmapResult
    lang : {'fr', 'en'}, keyword-only
    uncertainty : RoadmapUncertainty, optional
        From :func:`sobriete.roadmap.uncertainty.inventory_uncertainty`: its intervals, or the
        sentence saying why there are none.

    Returns
    -------
    Document
        Sections: summary (plain-language paragraph), status table, one trajectory chart per
        targeted indicator, topics, measures (table and the marginal abatement cost curve),
        uncertainty (when asked), warnings.
    """
    from . import charts
    from .document import BulletList, Document, Paragraph, Table

    lang = check_lang(lang)
    spec = result.roadmap.spec
    year = status_year(result)
    st = result.statuses
    doc = Document(_m("status_title", lang, name=spec.name, year=year), lang=lang, subtitle=spec.authority,
                   colophon=_d("colophon", lang, file=result.roadmap.path.name if result.roadmap.path else "–"))
    counts = st["status"].value_counts() if len(st) else pd.Series(dtype=int)
    lead = [_d("lead", lang, year=year, targets=len(st), reached=int(counts.get("reached", 0)),
               on_track=int(counts.get("on_track", 0)), off_track=int(counts.get("off_track", 0)),
               no_data=int(counts.get("no_data", 0)), measures=len(result.measures),
               budget=_num(float(pd.to_numeric(result.measures["budget_eur"], errors="coerce").sum()), lang))]
    carbon = [r for r in st.to_dict("records") if result.roadmap.builtin_of(r["indicator"]) == "footprint_gwp"
              and r["status"] != "no_data"]
    for r in carbon[:1]:
        lead.append(_d("lead_carbon", lang, last=_with_unit(r["last_value"], r["unit"], lang),
                       year=int(r["last_year"]), target=_with_unit(r["target_value"], r["unit"], lang),
                       target_year=r["target_year"], status=STATUS_LABELS[lang][r["status"]]))
    doc.section(_d("summary", lang)).add(Paragraph(" ".join(lead), "summary"))
    headers, rows = status_table(result, lang)
    section = doc.section(_d("statuses", lang))
    section.add(Table(_m("status_title", lang, name=spec.name, year=year), headers, rows),
                Paragraph(_m("fit", lang), "note"),
                Paragraph("* " + _m("not_verified", lang).strip(" ()"), "warning")
                if len(st) and not st["target_verified"].all() else None)
    doc.section(_d("trajectories", lang)).add(*_trajectory_charts(result, lang))
    doc.section(_m("topics_title", lang)).add(BulletList([topic_line(t, lang)
                                                          for t in result.topics.to_dict("records")]))
    section = doc.section(_d("measures", lang))
    headers, rows, numeric = measures_table(result.measures, lang)
    section.add(Table(_m("measures_title", lang), headers, rows, numeric))
    curve = abatement_frame(result.measures)
    if len(curve):
        section.add(charts.abatement_curve([f"{i} {t}" for i, t in zip(curve["id"], curve["title"])],
                                           curve["avoided_t"].to_numpy(), curve["eur_per_tco2e"].to_numpy(),
                                           title=_d("macc", lang), lang=lang, unit_x=_d("t_avoided", lang),
                                           unit_y=_d("eur_per_t", lang)))
    section.add(Paragraph(_d("macc_note", lang, missing=len(result.measures) - len(curve)), "note"))
    if uncertainty is not None:
        section = doc.section(_d("uncertainty", lang))
        section.add(*uncertainty_blocks(uncertainty, lang))
    if result.notices:
        doc.section(_d("warnings", lang)).add(BulletList([notice(n, lang) for n in result.notices]))
    return doc


def uncertainty_blocks(uncertainty, lang: str) -> list:
    """The uncertainty of the roadmap's inventories as document blocks (table and notes)."""
    from .document import Paragraph, Table
    from .uncertainty import TEXTS, ranges_used, summary_rows, user_ranges_blocks

    if not uncertainty.available:
        return [Paragraph(_d("uncertainty_none", lang, year=uncertainty.year), "warning")]
    t = TEXTS[lang]
    mc = uncertainty.result
    title = _d("uncertainty_title", lang, year=uncertainty.year, draws=mc.draws, seed=mc.seed,
               domains=", ".join(uncertainty.inputs))
    return [Table(title, t["headers"], summary_rows(mc.summary(), lang), [False, False] + [True] * 5 + [False]),
            Paragraph(_d("uncertainty_scope", lang, year=uncertainty.year,
                         files=", ".join(uncertainty.inputs.values())), "note"),
            Paragraph(t["meaning"], "note"), *user_ranges_blocks(mc.inputs.user, lang, used=ranges_used(mc))]


def uncertainty_text(uncertainty, lang: str) -> str:
    """The uncertainty of the roadmap's inventories below the terminal status."""
    from .uncertainty import TEXTS, ranges_used, render_user_ranges, summary_rows

    if not uncertainty.available:
        return _d("uncertainty_none", lang, year=uncertainty.year) + "\n"
    mc = uncertainty.result
    title = _d("uncertainty_title", lang, year=uncertainty.year, draws=mc.draws, seed=mc.seed,
               domains=", ".join(uncertainty.inputs))
    table = text_table(TEXTS[lang]["headers"], summary_rows(mc.summary(), lang),
                       numeric=[False, False] + [True] * 5 + [False])
    return "\n".join([title, "", table, "", _d("uncertainty_scope", lang, year=uncertainty.year,
                                                 files=", ".join(uncertainty.inputs.values())),
                      TEXTS[lang]["meaning"]]) + "\n" + ("\n" + render_user_ranges(mc.inputs.user, lang, used=ranges_used(mc))
                                                        if mc.inputs.user else "")


def uncertainty_json(uncertainty, lang: str) -> dict:
    """JSON-ready: year, draws, seed, the inventories drawn and the summary (``domain == "all"``:
    the total), or ``available: false`` with the reason."""
    out = {"year": uncertainty.year, "draws": uncertainty.draws, "seed": uncertainty.seed,
           "available": uncertainty.available, "inputs": uncertainty.inputs}
    if not uncertainty.available:
        out["reason"] = _d("uncertainty_none", lang, year=uncertainty.year)
        return out
    out["summary"] = json.loads(uncertainty.result.summary().to_json(orient="records"))
    from .uncertainty import ranges_used, user_ranges_records

    out["user_ranges"] = user_ranges_records(uncertainty.result.inputs.user, used=ranges_used(uncertainty.result))
    return out
