"""Measures of the roadmap: their expected effect, and their ranking.

A measure's expected yearly effect per indicator is its ``effects`` (in the indicator's unit,
signed), or, when it names a project file, the project's assessed effect, read through ONE
adapter (:func:`project_effect`) so that the roadmap does not depend on the project module's
internals. Measures are ranked by expected effect per year and by cost-effectiveness (kgCO2e
avoided per euro of budget).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..errors import SobrieteError, UnknownNameError
from ..notices import Notice
from .model import Measure, Roadmap, roadmap_notice

#: Indicator that a project's avoided carbon counts against.
CARBON_INDICATOR = "footprint_gwp"
#: Measure statuses whose effect is still to come (counted in « reste à faire »).
PLANNED = ("planned", "in_progress")


@dataclass(frozen=True)
class ProjectEffect:
    """What the roadmap needs of an assessed project.

    Attributes
    ----------
    avoided_kgco2e_per_year : float
        Average yearly climate-change saving over the project's horizon [kgCO2e/year]
        (positive = avoided; the project's ``savings = -delta``).
    horizon_years : int
        Horizon the average is taken over [year].
    cost_eur : float or None
        Investment the project file states [EUR], if any.
    """

    avoided_kgco2e_per_year: float
    horizon_years: int
    cost_eur: float | None = None


#: How a project file (and the name of one of its variants, None: the first) becomes a
#: :class:`ProjectEffect`.
ProjectAssessor = Callable[[Path, "str | None"], ProjectEffect]


def default_project_assessor() -> ProjectAssessor | None:
    """The project module's assessment (issue #10), when this installation has it; else None
    (then measures use their ``effects``).

    The adapter calls ``sobriete.project.assess_project(path, sensitivity=False)`` and reads
    ``result.summary("gwp")`` (one row per variant: ``net_delta`` over the horizon [kgCO2e],
    variant − baseline, and ``investment_eur``): the yearly saving is ``-net_delta / number
    of years of the horizon``. This is the only place the roadmap touches the project module.
    """
    try:
        from .. import project
    except ImportError:
        return None

    def assess(path: Path, variant: str | None = None) -> ProjectEffect:
        result = project.assess_project(path, sensitivity=False)
        summary = result.summary("gwp")
        rows = summary if variant is None else summary[summary["variant"] == variant]
        if not len(rows):
            raise UnknownNameError("project variant", variant, summary["variant"], file=str(path))
        row = rows.iloc[0]
        years = max(len(result.years), 1)
        invest = float(row["investment_eur"])
        return ProjectEffect(-float(row["net_delta"]) / years, years, invest if invest > 0 else None)

    return assess


def project_effect(roadmap: Roadmap, n: int, measure: Measure, assessor: ProjectAssessor | None
                   ) -> tuple[ProjectEffect | None, Notice | None]:
    """The assessed effect of measure ``n``'s project file, or a notice saying why not."""
    path = roadmap.resolve(measure.project)
    where = ("measures", n, "project")
    if path is None:
        return None, None
    if not path.is_file():
        return None, roadmap_notice(roadmap, "roadmap_project_missing",
                                    f"the project file {measure.project} of measure {measure.id!r} does not exist; "
                                    "its effect is taken from 'effects'", where, path=str(path), id=measure.id)
    if assessor is None:
        return None, roadmap_notice(roadmap, "roadmap_project_unavailable",
                                    f"this sobriete cannot assess project files yet ({measure.project}); the effect "
                                    f"of measure {measure.id!r} is taken from 'effects'", where, path=str(path),
                                    id=measure.id)
    try:
        return assessor(path, measure.project_variant), None
    except SobrieteError as exc:
        return None, roadmap_notice(roadmap, "roadmap_project_failed",
                                    f"the project file {measure.project} of measure {measure.id!r} could not be "
                                    f"assessed ({exc}); its effect is taken from 'effects'", where,
                                    path=str(path), id=measure.id, detail=str(exc))


def measure_table(roadmap: Roadmap, *, assessor: ProjectAssessor | None | str = "default"
                  ) -> tuple[pd.DataFrame, list[Notice]]:
    """One row per measure: ``id, title, topic, owner, status, budget_eur, start, end,
    indicators, project, effect_source, avoided_kgco2e_per_year, horizon_years,
    kgco2e_per_eur, eur_per_tco2e, effects`` (``effects``: ``{indicator: yearly effect}``).

    ``avoided_kgco2e_per_year`` is the project's saving, else minus the effect on
    ``footprint_gwp`` (or on the roadmap's indicator that stands for it);
    ``kgco2e_per_eur`` = avoided per year × horizon (the measure's ``horizon_years``, else
    the project's, else 1: the per-year figure) / budget.
    """
    if assessor == "default":
        assessor = default_project_assessor()
    notices: list[Notice] = []
    rows = []
    for n, m in enumerate(roadmap.spec.measures):
        effect, notice = project_effect(roadmap, n, m, assessor)
        if notice is not None:
            notices.append(notice)
        effects = dict(m.effects)
        carbon = [i for i in roadmap.ids_of(CARBON_INDICATOR) if i in effects] or [CARBON_INDICATOR]
        if effect is not None:
            for key in carbon:
                effects[key] = -effect.avoided_kgco2e_per_year
            source = "project"
        else:
            source = "effects" if m.effects else "none"
        avoided = -effects[carbon[0]] if carbon[0] in effects else float("nan")
        horizon = m.horizon_years or (effect.horizon_years if effect is not None else None) or 1
        budget = m.budget_eur if m.budget_eur is not None else (effect.cost_eur if effect is not None else None)
        per_eur = avoided * horizon / budget if budget else float("nan")
        rows.append({"id": m.id, "title": m.title, "topic": m.topic, "owner": m.owner, "status": m.status,
                     "budget_eur": budget, "start": m.start, "end": m.end, "indicators": list(m.indicators),
                     "project": m.project, "effect_source": source, "avoided_kgco2e_per_year": avoided,
                     "horizon_years": horizon, "kgco2e_per_eur": per_eur,
                     "eur_per_tco2e": 1000.0 / per_eur if per_eur and per_eur == per_eur else float("nan"),
                     "effects": effects})
    columns = ["id", "title", "topic", "owner", "status", "budget_eur", "start", "end", "indicators", "project",
               "effect_source", "avoided_kgco2e_per_year", "horizon_years", "kgco2e_per_eur", "eur_per_tco2e",
               "effects"]
    frame = pd.DataFrame(rows, columns=columns)
    frame["budget_eur"] = frame["budget_eur"].astype(float)
    return frame, notices


def planned_effects(measures: pd.DataFrame) -> dict[str, float]:
    """Sum per indicator of the yearly effects of the measures still to come (planned or in
    progress): what they are expected to change [indicator unit, signed].

    Examples
    --------
    >>> m = pd.DataFrame({"status": ["planned", "done", "in_progress"],
    ...                   "effects": [{"a": -10.0}, {"a": -5.0}, {"a": -2.0, "b": 3.0}]})
    >>> planned_effects(m)
    {'a': -12.0, 'b': 3.0}
    """
    total: dict[str, float] = {}
    for status, effects in zip(measures["status"], measures["effects"]):
        if status in PLANNED:
            for key, value in effects.items():
                total[key] = total.get(key, 0.0) + float(value)
    return total


def rank_measures(measures: pd.DataFrame) -> pd.DataFrame:
    """Measures that are not abandoned, ranked by cost-effectiveness (kgCO2e avoided per euro,
    best first; measures without a budget or an effect last), with ``rank_effect`` (by
    avoided kgCO2e per year, largest first) and ``rank_cost_effectiveness``.

    Examples
    --------
    >>> m = pd.DataFrame({"id": ["a", "b", "c"], "status": "planned", "avoided_kgco2e_per_year": [100.0, 50.0, 10.0],
    ...                   "kgco2e_per_eur": [0.1, 0.5, float("nan")]})
    >>> r = rank_measures(m)
    >>> r["id"].tolist(), r["rank_effect"].tolist()
    (['b', 'a', 'c'], [2, 1, 3])
    """
    frame = measures[measures["status"] != "abandoned"].copy()
    frame["rank_effect"] = frame["avoided_kgco2e_per_year"].rank(ascending=False, method="min",
                                                                  na_option="bottom").astype(int)
    frame["rank_cost_effectiveness"] = frame["kgco2e_per_eur"].rank(ascending=False, method="min",
                                                                     na_option="bottom").astype(int)
    return frame.sort_values(["rank_cost_effectiveness", "rank_effect"], kind="stable").reset_index(drop=True)
