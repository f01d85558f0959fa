"""The roadmap block of a project report: each variant's yearly delta against the remaining
budget of each carbon target (:mod:`sobriete.project.roadmap_fit`), in French or English."""

from __future__ import annotations

import pandas as pd

from ..project.roadmap_fit import first_exceeding
from .formatting import format_number, text_table
from .messages import check_lang

#: The block's sentences (kept beside the block so that it stays one isolated piece).
TEXT = {
    "fr": {"title": "Compatibilité avec la feuille de route (variante « {variant} », kgCO2e)",
           "rule": "Budget restant = trajectoire de la cible − dernière valeur enregistrée ({last_year}) ; "
                   "le projet tient dans le budget quand son delta de l'année ≤ budget.",
           "headers": ("Cible", "Année", "Trajectoire", "Budget restant", "Delta du projet", "Verdict"),
           "fits": "tient dans le budget", "exceeds": "dépasse le budget",
           "verdict_all": "« {variant} » tient dans le budget restant de la cible {indicator} ({target_year}) "
                          "chaque année.",
           "verdict_first": "« {variant} » dépasse le budget restant de la cible {indicator} ({target_year}) "
                            "dès {year}.",
           "none": "Feuille de route : aucune cible carbone avec une valeur enregistrée à laquelle comparer le "
                   "projet."},
    "en": {"title": "Fit with the roadmap (variant '{variant}', kgCO2e)",
           "rule": "Remaining budget = the target's trajectory − the last recorded value ({last_year}); the "
                   "project fits when its delta of the year ≤ budget.",
           "headers": ("Target", "Year", "Trajectory", "Remaining budget", "Project delta", "Verdict"),
           "fits": "fits", "exceeds": "exceeds",
           "verdict_all": "'{variant}' fits the remaining budget of target {indicator} ({target_year}) every year.",
           "verdict_first": "'{variant}' exceeds the remaining budget of target {indicator} ({target_year}) "
                            "from {year}.",
           "none": "Roadmap: no carbon target with a recorded value to set the project against."},
}


def _number(value: float, lang: str) -> str:
    return format_number(round(float(value), 1) + 0.0, lang)


def roadmap_lines(fit: pd.DataFrame, lang: str = "fr") -> list[str]:
    """The block's lines (a leading blank line included)."""
    text = TEXT[check_lang(lang)]
    if fit.empty:
        return ["", text["none"]]
    lines = []
    verdicts = first_exceeding(fit)
    for variant, part in fit.groupby("variant", sort=False):
        lines += ["", text["title"].format(variant=variant), text["rule"].format(last_year=int(part["last_year"].max()))]
        rows = [[f"{r['indicator']} ({r['target_year']})", r["year"], _number(r["trajectory_value"], lang),
                 _number(r["budget"], lang), _number(r["delta"], lang), text["fits"] if r["fits"] else text["exceeds"]]
                for r in part.to_dict("records")]
        lines.append(text_table(list(text["headers"]), rows, numeric=[False, False, True, True, True, False]))
        for v in verdicts[verdicts["variant"] == variant].to_dict("records"):
            lines.append(text["verdict_all"].format(**v) if v["fits_all"] else
                         text["verdict_first"].format(**v, year=v["first_year_exceeding"]))
    return lines


def roadmap_dict(fit: pd.DataFrame) -> dict:
    """The block as plain data (JSON): every row, and the verdict per variant and target."""
    from .formatting import plain_records as _records

    return {"rule": "budget = trajectory_value - last_value; fits = delta <= budget",
            "years": _records(fit), "verdicts": _records(first_exceeding(fit))}
