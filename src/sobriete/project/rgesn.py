"""The RGESN eco-design checklist of a digital service and its progress score.

The criteria of the *Référentiel général de l'écoconception des services numériques*, 2024 edition
(Arcep and Arcom; 78 criteria in 9 families, each ``Prioritaire``, ``Recommandé`` or ``Modéré``),
are shipped as data (``factors/rgesn_2024.csv``, from DINUM/MiNumEco's machine-readable edition,
Licence Ouverte / Etalab 2.0), with the score weights (``factors/rgesn_2024_weights.csv``).

A project file gives a status per criterion (``checklist: {"1.1": conforme, ...}``): ``conforme``,
``non conforme``, ``non applicable`` or ``à évaluer`` (the default for a criterion not listed).

Notes
-----
Progress score [%] (RGESN 2024, p. 8, « Calcul de score d'avancement »)::

    100 × Σ weight(priority) over compliant criteria
        ÷ Σ weight(priority) over applicable criteria (compliant, not compliant, to assess)

with weights 1.5 (Prioritaire), 1.25 (Recommandé), 1.0 (Modéré). A criterion « Applicable à tous
les services » cannot be declared not applicable; a criterion still to assess counts as not
validated.

References
----------
Arcep, Arcom, Référentiel général de l'écoconception des services numériques, version 2024, p. 8.
DINUM, MiNumEco, ``_data/referentiel-ecoconception.json`` (commit 26b913c7, 2024).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import pandas as pd

from ..factors import bundled_factors_dir
from ..schema import normalise_name

#: Statuses (ids) and the spellings accepted for them (accents, case and separators ignored).
STATUSES = {"conforme": "conforme", "non conforme": "non_conforme", "non applicable": "non_applicable",
            "a evaluer": "a_evaluer", "n/a": "non_applicable", "na": "non_applicable"}
#: Applicability of the criteria that can never be declared not applicable.
ALWAYS_APPLICABLE = "Applicable à tous les services"
#: The formula, as the report states it.
FORMULA = ("score = 100 × Σ pondération des critères conformes ÷ Σ pondération des critères applicables "
           "(conformes, non conformes, à évaluer) ; pondération 1,5 Prioritaire, 1,25 Recommandé, 1,0 Modéré "
           "(RGESN 2024, p. 8)")


def load_criteria() -> pd.DataFrame:
    """The 78 criteria (``criterion, family_number, family, question, priority, difficulty,
    applicability, source_id``) with their score ``weight``."""
    folder = bundled_factors_dir()
    criteria = pd.read_csv(folder / "rgesn_2024.csv", dtype={"criterion": str, "family_number": int})
    weights = pd.read_csv(folder / "rgesn_2024_weights.csv").set_index("priority")["weight"]
    return criteria.assign(weight=criteria["priority"].map(weights))


@dataclass(frozen=True)
class Checklist:
    """Statuses per criterion, the progress score [share, 0–1] and the open priority criteria."""

    frame: pd.DataFrame
    score: float
    counts: dict[str, int]
    open_priority: list[str]
    formula: str = FORMULA


def assess_checklist(statuses: Mapping[str, str], *, source=None) -> Checklist:
    """Score a checklist.

    Parameters
    ----------
    statuses : mapping of criterion id ("1.1") to status
    source : sobriete.project.model.Source, optional
        Where the ``checklist`` field is, for errors.

    Returns
    -------
    Checklist

    Examples
    --------
    >>> c = assess_checklist({"1.1": "conforme", "1.3": "non conforme", "1.7": "non applicable"})
    >>> c.counts["conforme"], c.counts["applicable"]
    (1, 77)
    >>> round(c.score * (30 * 1.5 + 29 * 1.25 + 19 * 1.0 - 1.0), 9)   # 1.7 is « Modéré » and not applicable
    1.5
    """
    from .model import Source

    source = source if source is not None else Source(None, None)
    criteria = load_criteria()
    known = set(criteria["criterion"])
    status = pd.Series("a_evaluer", index=criteria["criterion"])
    for key, value in statuses.items():
        key = str(key)
        if key not in known:
            raise source.error(("checklist", key), f"unknown RGESN criterion {key!r}",
                               code="project_unknown_criterion", value=key)
        found = STATUSES.get(normalise_name(value))
        if found is None:
            raise source.error(("checklist", key), f"unknown status {value!r}; valid choices: conforme, non conforme, "
                               "non applicable, à évaluer", code="project_unknown_status", value=value,
                               choices=["conforme", "non conforme", "non applicable", "à évaluer"])
        row = criteria.loc[criteria["criterion"] == key].iloc[0]
        if found == "non_applicable" and row["applicability"] == ALWAYS_APPLICABLE:
            raise source.error(("checklist", key), f"criterion {key} applies to every service: it cannot be "
                               "declared not applicable", code="project_always_applicable", value=key)
        status[key] = found
    frame = criteria.assign(status=status.to_numpy())
    applicable = frame["status"] != "non_applicable"
    compliant = frame["status"] == "conforme"
    score = float(frame.loc[compliant, "weight"].sum() / frame.loc[applicable, "weight"].sum()) \
        if applicable.any() else float("nan")
    counts = {s: int((frame["status"] == s).sum()) for s in ("conforme", "non_conforme", "non_applicable",
                                                              "a_evaluer")}
    counts["applicable"] = int(applicable.sum())
    open_priority = frame.loc[(frame["priority"] == "Prioritaire")
                              & frame["status"].isin(["non_conforme", "a_evaluer"]), "criterion"].tolist()
    return Checklist(frame, score, counts, open_priority)
