"""History views: saved assessments and year-on-year changes, for people."""

from __future__ import annotations

import pandas as pd

from collections.abc import Mapping

from .formatting import format_count, format_number, format_percent, text_table
from .messages import (allocation_label, criterion_short_label, domain_label, item_label, key_label, message,
                       phase_label)


def render_history_list(frame: pd.DataFrame, *, lang: str = "fr") -> str:
    """One line per saved assessment, with the total of each criterion."""
    criteria = [c.removeprefix("total_") for c in frame.columns if c.startswith("total_")]  # caveats: see list()
    headers = ["n°" if lang == "fr" else "no.", message("year", lang), message("by", lang), message("inputs", lang),
               message("allocation", lang).split(" ")[0], message("catalog", lang).split(" ")[0],
               message("rows_short", lang), message("saved_at", lang)]
    headers += [f"{criterion_short_label(c, lang)} "
                f"({frame[f'unit_{c}'].dropna().iloc[0] if frame[f'unit_{c}'].notna().any() else ''})"
                for c in criteria]
    rows = [[r["id"], r["year"], ", ".join(key_label(k, lang) for k in r["by"].split(", ")) if r["by"] else "–",
             r["inputs"] or "–", allocation_label(r["allocation"], lang), r["catalog_version"],
             f"{format_count(r['rows_read'], lang)}/{format_count(r['rows_rejected'], lang)}", r["saved_at"]]
            + [format_number(r[f"total_{c}"], lang) for c in criteria] for r in frame.to_dict("records")]
    return text_table(headers, rows, numeric=[True, True] + [False] * 6 + [True] * len(criteria)) + "\n"


def render_comparison(frame: pd.DataFrame, year_a: int, year_b: int, *, lang: str = "fr",
                      labels: Mapping[str, Mapping[str, str]] | None = None) -> str:
    """The change per criterion, phase and group (see :func:`sobriete.history.compare_assessments`),
    with words for keys, domains, criteria, phases and items (``labels``: ``{id: {lang: label}}``,
    the assessments' :attr:`~sobriete.assessment.Assessment.item_labels`)."""
    keys = [c for c in frame.columns if c not in ("criterion", "phase", "unit", "value_a", "value_b", "change",
                                                  "change_pct")]
    labels = labels or {}

    def group_text(key: str, value: object) -> str:
        if value is None or (isinstance(value, float) and value != value):
            return message("unspecified", lang)
        if key == "domain":
            return domain_label(str(value), lang)
        return item_label(value, lang, labels)

    headers = [*[key_label(k, lang) for k in keys], message("criterion", lang), message("phase", lang),
               message("unit", lang), str(year_a), str(year_b), message("change", lang), message("change_pct", lang)]
    rows = [[*[group_text(k, r[k]) for k in keys], criterion_short_label(r["criterion"], lang),
             phase_label(r["phase"], lang), r["unit"], format_number(r["value_a"], lang),
             format_number(r["value_b"], lang), ("+" if r["change"] > 0 else "") + format_number(r["change"], lang),
             format_percent(r["change_pct"], lang)]
            for r in frame.to_dict("records")]
    table = text_table(headers, rows, numeric=[False] * (len(keys) + 3) + [True] * 4)
    scope = scope_warning(frame, year_a, year_b, lang=lang)
    return (message("compare_title", lang, year_a=year_a, year_b=year_b) + "\n\n" + (scope + "\n\n" if scope else "")
            + table + "\n")


def scope_warning(frame: pd.DataFrame, year_a: int, year_b: int, *, lang: str = "fr") -> str | None:
    """A sentence when the compared assessments do not cover the same domains (the change then
    mixes a change of scope with the trend), from :func:`sobriete.history.compare_assessments`'
    ``attrs["domains"]``; None when they do.

    Examples
    --------
    >>> frame = pd.DataFrame(); frame.attrs["domains"] = (("equipment",), ("equipment", "lighting"))
    >>> scope_warning(frame, 2024, 2025)
    "Attention : les deux années ne couvrent pas les mêmes domaines (2024 : Équipements ; 2025 : Équipements, Éclairage public) : l'écart mêle l'évolution et le changement de périmètre."
    """
    before, after = frame.attrs.get("domains", ((), ()))
    if list(before) == list(after):
        return None
    names = [", ".join(domain_label(d, lang) for d in domains) or "–" for domains in (before, after)]
    return message("compare_scope", lang, year_a=year_a, year_b=year_b, domains_a=names[0], domains_b=names[1])


#: How to read the change's interval (``history compare --uncertainty``).
UNCERTAINTY_NOTE = {
    "fr": ("Monte Carlo : {draws} tirages, graine {seed}, les mêmes tirages des facteurs pour les deux années ; "
           "l'écart est calculé tirage par tirage (90 % des tirages entre « 5 % » et « 95 % ») et P(baisse) est la "
           "part des tirages où le total baisse. Totaux de tous les domaines ; les phases que leur source juge peu "
           "fiables restent à part comme dans le tableau (sauf --include-caveated) ; catalogue actuel."),
    "en": ("Monte Carlo: {draws} draws, seed {seed}, the same factor draws for both years; the change is computed "
           "draw by draw (90% of the draws between '5%' and '95%') and P(reduction) is the share of draws in which "
           "the total goes down. Totals of every domain; phases their source deems unreliable stay apart as in the "
           "table (unless --include-caveated); current catalog."),
}


#: Warning of ``history compare --uncertainty`` when the given inputs are not the saved ones.
INPUTS_DIFFER = {
    "fr": "Attention : les fichiers donnés pour {year} n'ont pas le contenu enregistré de {names} (SHA-256 "
          "différent ou fichier absent) : l'incertitude porte sur d'autres données que le tableau.",
    "en": "Warning: the files given for {year} do not hold the saved content of {names} (different SHA-256 or "
          "missing file): the uncertainty is about other data than the table.",
}


def uncertainty_text(change: pd.DataFrame, year_a: int, year_b: int, *, draws: int, seed: int,
                     lang: str = "fr") -> str:
    """The change's interval and P(reduction) as terminal text, with how to read it."""
    from .uncertainty import render_change

    return "\n" + render_change(change, year_a, year_b, lang=lang) + UNCERTAINTY_NOTE[lang].format(
        draws=draws, seed=seed) + "\n"


def uncertainty_section(doc, change: pd.DataFrame, year_a: int, year_b: int, *, draws: int, seed: int,
                        lang: str = "fr") -> None:
    """Append the change's interval computed draw by draw and the probability of a reduction
    (:func:`sobriete.uncertainty.compare`) to a comparison document, with how to read it."""
    from .document import Paragraph, Table
    from .uncertainty import TEXTS, change_rows

    t = TEXTS[lang]
    title = t["change_title"].format(before=year_a, after=year_b)
    doc.section(title).add(Table(title, t["change_headers"], change_rows(change, lang=lang),
                                 [False, True, True, True, True, False, True]),
                           Paragraph(UNCERTAINTY_NOTE[lang].format(draws=draws, seed=seed), "note"))
