"""The *Numérique responsable* roadmap: targets, indicators, trajectories and the annual bilan.

Quick tour::

    from sobriete.history import History
    from sobriete.roadmap import load_roadmap, evaluate_roadmap
    roadmap = load_roadmap("examples/roadmap/feuille-de-route.yaml")
    with History("examples/roadmap/historique.sqlite", create=False) as history:
        result = evaluate_roadmap(roadmap, history)
    result.values      # indicator, year, value, unit, origin
    result.statuses    # one row per target: trajectory, status, projection, gap, reste à faire
    result.measures    # ranked by kgCO2e avoided per euro and by effect per year
    result.topics      # one summary line per topic

Modules: :mod:`.model` (the file), :mod:`.indicators` (definitions and values),
:mod:`.trajectory` (status, projection), :mod:`.measures` (effects and ranking).
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

import pandas as pd

from ..notices import Notice
from .indicators import compute_indicators, definitions, legal_targets, read_register, reuse_rate, refurbished_share
from .measures import ProjectEffect, measure_table, planned_effects, rank_measures
from .model import TOPICS, Roadmap, RoadmapError, load_roadmap
from .trajectory import statuses, target_status, topic_summary

__all__ = ["TOPICS", "ProjectEffect", "Roadmap", "RoadmapError", "RoadmapResult", "compute_indicators",
           "definitions", "evaluate_roadmap", "legal_targets", "load_roadmap", "read_register", "refurbished_share",
           "reuse_rate", "target_status", "template_text"]


@dataclass(frozen=True)
class RoadmapResult:
    """A roadmap evaluated against its data (tidy frames; see the module docstring)."""

    roadmap: Roadmap
    values: pd.DataFrame
    statuses: pd.DataFrame
    measures: pd.DataFrame
    topics: pd.DataFrame
    notices: tuple[Notice, ...]
    as_of: int | None = None


def evaluate_roadmap(roadmap: Roadmap, history=None, *, as_of: int | None = None, assessor="default",
                     register: pd.DataFrame | None = None) -> RoadmapResult:
    """Indicators, statuses, ranked measures and the topic summary of ``roadmap``.

    Parameters
    ----------
    roadmap : Roadmap
    history : History, optional
        Saved assessments and recorded indicator values.
    as_of : int, optional
        Ignore values after this year (the bilan of a past year).
    assessor : callable, None or "default"
        How a measure's project file becomes a :class:`ProjectEffect`
        (:func:`sobriete.roadmap.measures.default_project_assessor`); None: use ``effects``.
    register : DataFrame, optional
        An asset register already read (default: the roadmap's ``register:``).
    """
    values, notices = compute_indicators(roadmap, history, register=register)
    measures, more = measure_table(roadmap, assessor=assessor)
    status, most = statuses(roadmap, values, effects=planned_effects(measures), as_of=as_of)
    ranked = rank_measures(measures)
    shown = values[values["year"] <= as_of] if as_of is not None else values
    return RoadmapResult(roadmap, shown.reset_index(drop=True), status, ranked, topic_summary(status, measures),
                         tuple(roadmap.notices) + tuple(notices) + tuple(more) + tuple(most), as_of)


def template_text() -> str:
    """The commented French template of a roadmap file (``sobriete roadmap template``)."""
    return (resources.files("sobriete") / "roadmap" / "template.yaml").read_text(encoding="utf-8")
