"""Uncertainty views: intervals per criterion and domain, what drives them, changes between two
runs; for people (terminal, French by default) and for programs (JSON, CSV)."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pandas as pd

from ..uncertainty import INTERVAL, MonteCarlo, sensitivity
from .formatting import format_number, format_share, neutralise, text_table
from .messages import check_lang, domain_label

TEXTS = {
    "fr": {
        "title": "Incertitude (Monte Carlo : {draws} tirages, graine {seed})",
        "headers": ["Domaine", "Critère", "Valeur calculée", "Moyenne", "Médiane", "5 %", "95 %", "Unité"],
        "all": "Total", "lower_bound": " (minorant)",
        "drivers": "Ce qui fait varier le total {criterion} (part de la variance, R² = {r2})",
        "input": "Facteur ou plage", "share": "Part",
        "meaning": ("Lecture : 90 % des tirages tombent entre les colonnes « 5 % » et « 95 % ». L'intervalle "
                    "couvre les plages publiées des facteurs du catalogue et vos propres plages ; il ne couvre ni "
                    "les choix de modèle (allocation, périmètre, mix moyen), ni les facteurs manquants : un "
                    "« minorant » le reste."),
        "not_drawn": "{n} facteurs à plage d'un seul côté ne sont pas tirés (borne manquante non publiée).",
        "change_title": "Évolution {before} → {after}, tirage par tirage",
        "change_headers": ["Critère", "Évolution calculée", "Médiane", "5 %", "95 %", "Unité", "P(baisse)"],
    },
    "en": {
        "title": "Uncertainty (Monte Carlo: {draws} draws, seed {seed})",
        "headers": ["Domain", "Criterion", "Computed value", "Mean", "Median", "5%", "95%", "Unit"],
        "all": "Total", "lower_bound": " (lower bound)",
        "drivers": "What moves the {criterion} total (share of variance, R² = {r2})",
        "input": "Factor or range", "share": "Share",
        "meaning": ("Reading: 90% of the draws fall between the '5%' and '95%' columns. The interval covers the "
                    "catalog factors' published ranges and your own ranges; it covers neither model choices "
                    "(allocation, scope, average mix) nor missing factors: a 'lower bound' stays one."),
        "not_drawn": "{n} factors with a one-sided range are not drawn (the other bound is not published).",
        "change_title": "Change {before} → {after}, draw by draw",
        "change_headers": ["Criterion", "Computed change", "Median", "5%", "95%", "Unit", "P(reduction)"],
    },
}


#: Words of the user's ranges block (key: French, English).
USER_TEXTS = {
    "user_title": ("Vos plages tirées ({n}, fichier --ranges)", "Your ranges drawn ({n}, --ranges file)"),
    "user_headers": (["Paramètre", "Domaine", "Élément", "Bas", "Mode", "Haut", "Loi", "Note"],
                     ["Parameter", "Domain", "Item", "Low", "Mode", "High", "Distribution", "Note"]),
    "every_item": ("tous", "all"),
    "user_factor": ("une plage sur un facteur remplace celle du catalogue (unité du facteur)",
                    "a range on a factor replaces the catalog's (in the factor's unit)"),
    "user_unused": ("sans effet ici (aucune entrée évaluée ne les utilise) : {ids}",
                    "no effect here (no input assessed uses them): {ids}"),
    "lifetime_years": ("durée de vie [an]", "lifetime [year]"),
    "quantity_multiplier": ("multiplicateur de quantité [1]", "quantity multiplier [1]"),
    "energy_multiplier": ("multiplicateur d'énergie [1]", "energy multiplier [1]"),
    "triangular": ("triangulaire", "triangular"), "uniform": ("uniforme", "uniform"),
    "lognormal": ("lognormale", "lognormal"),
}
for _position, _lang in enumerate(("fr", "en")):
    TEXTS[_lang].update({key: words[_position] for key, words in USER_TEXTS.items()})


def _texts(lang: str) -> dict[str, Any]:
    return TEXTS[check_lang(lang)]


def render_uncertainty(result: MonteCarlo, *, lang: str = "fr", top: int = 5, criterion: str = "gwp") -> str:
    """Terminal text: per domain and in total, the computed value, mean, median and 5-95 %
    interval of each criterion; the inputs that drive the ``criterion`` total; how to read it.

    Examples
    --------
    >>> from sobriete.uncertainty import monte_carlo_files
    >>> text = render_uncertainty(monte_carlo_files(["examples/2025/"], year=2025, draws=50, seed=1))
    >>> text.splitlines()[0]
    'Incertitude (Monte Carlo : 50 tirages, graine 1)'
    """
    t = _texts(lang)
    rows = summary_rows(result.summary(), lang)
    parts = [t["title"].format(draws=result.draws, seed=result.seed), "",
             text_table(t["headers"], rows, numeric=[False, False, True, True, True, True, True, False])]
    if criterion in result.criteria:
        drivers = sensitivity(result, criterion)
        if not drivers.empty:
            parts += ["", t["drivers"].format(criterion=criterion, r2=format_number(drivers["r2"].iloc[0], lang)),
                      text_table([t["input"], t["share"]],
                                 [[r["input"], format_share(r["src2"], lang)]
                                  for r in drivers.head(top).to_dict("records")],
                                 numeric=[False, True])]
    one_sided = int((result.distributions["reason"].str.startswith("one-sided")).sum()) \
        if not result.distributions.empty else 0
    parts += ["", t["meaning"]] + ([t["not_drawn"].format(n=one_sided)] if one_sided else [])
    user = render_user_ranges(result.inputs.user, lang, used=ranges_used(result))
    return "\n".join(parts) + "\n" + ("\n" + user if user else "")


def ranges_used(*results: MonteCarlo) -> frozenset[str]:
    """The ids of the inputs (factors, user ranges) that some domain of ``results`` responds to."""
    return frozenset(i for result in results for d in result.domains.values() for i in d.inputs)


def _unused(ranges, used, t) -> list[str]:
    idle = [r.id for r in ranges if used is not None and r.id not in used]
    return [t["user_unused"].format(ids=", ".join(idle))] if idle else []


def user_ranges_rows(ranges, lang: str = "fr") -> list[list[str]]:
    """Formatted rows (headers: ``TEXTS[lang]["user_headers"]``) of the user's ranges: what was
    drawn, on what, and the note that says where each range comes from."""
    t = _texts(lang)
    return [[r.field if r.is_factor else t.get(r.field, r.field),
             "" if r.is_factor else domain_label(r.domain, lang), "" if r.is_factor else (r.item or t["every_item"]),
             format_number(r.low, lang), format_number(r.mode, lang), format_number(r.high, lang),
             t.get(r.distribution, r.distribution), r.note] for r in ranges]


def render_user_ranges(ranges, lang: str = "fr", *, used=None) -> str:
    """The user's ranges drawn, as terminal text (empty when there are none); with ``used``
    (:func:`ranges_used`), those no assessed input responds to are named.

    Examples
    --------
    >>> from sobriete.uncertainty import UserRange
    >>> text = render_user_ranges([UserRange("lifetime_years", 4, 5, 7, item="laptop", note="hypothèse")])
    >>> text.splitlines()[0]
    'Vos plages tirées (1, fichier --ranges)'
    """
    ranges = list(ranges)
    if not ranges:
        return ""
    t = _texts(lang)
    table = text_table(t["user_headers"], user_ranges_rows(ranges, lang),
                       numeric=[False, False, False, True, True, True, False, False])
    notes = ([t["user_factor"]] if any(r.is_factor for r in ranges) else []) + _unused(ranges, used, t)
    return "\n".join([t["user_title"].format(n=len(ranges)), "", table, *notes]) + "\n"


def user_ranges_blocks(ranges, lang: str = "fr", *, used=None) -> list:
    """The user's ranges drawn as document blocks (a table and the ranges without effect; none
    without ranges)."""
    from .document import Paragraph, Table

    ranges = list(ranges)
    if not ranges:
        return []
    t = _texts(lang)
    return [Table(t["user_title"].format(n=len(ranges)), t["user_headers"], user_ranges_rows(ranges, lang),
                  [False, False, False, True, True, True, False, False]),
            *(Paragraph(text, "note") for text in _unused(ranges, used, t))]


def user_ranges_section(doc, ranges, lang: str = "fr", *, used=None) -> None:
    """Append the user's ranges drawn to an illustrated report (a section with its table)."""
    blocks = user_ranges_blocks(ranges, lang, used=used)
    if blocks:
        doc.section(blocks[0].caption).add(*blocks)


def user_ranges_records(ranges, *, used=None) -> list[dict[str, Any]]:
    """The user's ranges as JSON records (``used``: some assessed input responds to it, when known)."""
    return [{"id": r.id, "parameter": r.field, "domain": None if r.is_factor else r.domain, "item": r.item,
             "low": r.low, "mode": r.mode, "high": r.high, "distribution": r.distribution, "note": r.note,
             **({"used": r.id in used} if used is not None else {})} for r in ranges]


def summary_rows(summary: pd.DataFrame, lang: str = "fr") -> list[list[str]]:
    """Formatted rows (headers: ``TEXTS[lang]["headers"]``) of :meth:`MonteCarlo.summary`."""
    t = _texts(lang)
    return [[t["all"] if r["domain"] == "all" else domain_label(r["domain"], lang), r["criterion"],
             format_number(r["deterministic"], lang), format_number(r["mean"], lang),
             format_number(r["median"], lang), format_number(r["p05"], lang), format_number(r["p95"], lang),
             r["unit"] + ("" if r["complete"] else t["lower_bound"])]
            for r in summary.to_dict("records")]


def uncertainty_dict(result: MonteCarlo, *, criterion: str = "gwp") -> dict[str, Any]:
    """JSON-ready: settings, the summary per domain and criterion (and per phase), the drivers of
    the ``criterion`` total and each domain's method."""
    drivers = sensitivity(result, criterion) if criterion in result.criteria else pd.DataFrame()
    return {
        "draws": result.draws, "seed": result.seed, "interval": list(INTERVAL),
        "summary": _records(result.summary()), "by_phase": _records(result.summary(by_phase=True)),
        "by_group": _records(result.summary(by_group=True))
        if any(len(d.deterministic.keys.columns) for d in result.domains.values()) else [],
        "drivers": {"criterion": criterion, "inputs": _records(drivers)},
        "user_ranges": user_ranges_records(result.inputs.user, used=ranges_used(result)),
        "domains": {name: {"method": d.method, "evaluations": d.evaluations, "inputs": list(d.inputs),
                           "design_rows": d.design_rows} for name, d in result.domains.items()},
        "not_drawn": _records(result.distributions.loc[~result.distributions["drawn"]
                                                       & result.distributions["reason"].str.startswith("one-sided"),
                                                       ["factor_id", "value", "low", "high", "reason"]])
        if not result.distributions.empty else [],
    }


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    return json.loads(frame.to_json(orient="records"))


def uncertainty_csv(result: MonteCarlo) -> str:
    """The summary per domain, criterion and phase as CSV (``;`` separator, as the other reports)."""
    buffer = io.StringIO()
    neutralise(result.summary(by_phase=True)).to_csv(buffer, sep=";", index=False)
    return buffer.getvalue()


def change_rows(frame: pd.DataFrame, *, lang: str = "fr") -> list[list[str]]:
    """Formatted rows of :func:`render_change` (headers: ``TEXTS[lang]["change_headers"]``)."""
    return [[r["criterion"], format_number(r["change"], lang), format_number(r["median"], lang),
             format_number(r["p05"], lang), format_number(r["p95"], lang), r["unit"],
             format_share(r["p_reduction"], lang)] for r in frame.to_dict("records")]


def render_change(frame: pd.DataFrame, before: object, after: object, *, lang: str = "fr") -> str:
    """The change between two runs (:func:`sobriete.uncertainty.compare`), with its interval and
    the probability that it is a reduction."""
    t = _texts(lang)
    table = text_table(t["change_headers"], change_rows(frame, lang=lang),
                       numeric=[False, True, True, True, True, False, True])
    return t["change_title"].format(before=before, after=after) + "\n\n" + table + "\n"


def attach(text: str | None, result: MonteCarlo, fmt: str, output: str | Path | None, *,
           lang: str = "fr") -> str | None:
    """Add the uncertainty to a report already rendered in ``fmt``: below the table, as an
    ``uncertainty`` key of the JSON, after the CSV; beside an output file (``<name>.incertitude.csv``
    or ``.uncertainty.csv``). Returns the text to print (None when the report went to a file)."""
    if output is not None:
        suffix = ".incertitude.csv" if check_lang(lang) == "fr" else ".uncertainty.csv"
        Path(output).with_name(Path(output).stem + suffix).write_text(uncertainty_csv(result), encoding="utf-8")
        return text
    if fmt == "json" and text is not None:
        document = json.loads(text)
        document["uncertainty"] = uncertainty_dict(result)
        return json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    if fmt == "csv":
        return (text or "") + "\n" + uncertainty_csv(result)
    return (text or "") + "\n" + render_uncertainty(result, lang=lang)
