"""Compatibility of a project with the roadmap: its yearly delta against the remaining budget of
each carbon target.

A roadmap target on a carbon indicator (``footprint_gwp`` and its parts, in kgCO2e/year, lower is
better) draws a straight trajectory from the baseline value to the target value
(:func:`sobriete.roadmap.trajectory.straight_trajectory`), held at the target value after the
target year. In a project year Y, the *remaining budget* is what the authority may still add to
its footprint while staying on that trajectory, if its footprint stayed at the last recorded
value::

    budget(Y) = trajectory(Y) − last recorded value          [kgCO2e]

(negative when the footprint is already above the trajectory: the project must then save at
least that much). The project's delta in Y (variant − baseline, the part of the footprint the
indicator counts) **fits** when ``delta(Y) ≤ budget(Y)``, and **exceeds** the budget otherwise.

Only the roadmap's statuses (:func:`sobriete.roadmap.evaluate_roadmap`) are read: this module
does not depend on the roadmap's internals beyond the trajectory function.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from ..factors import EMBODIED_PHASES
from ..roadmap.trajectory import straight_trajectory

#: The carbon indicators a project's delta can be set against: the domains and phases they count
#: (None: all).
INDICATOR_PARTS: dict[str, tuple[tuple[str, ...] | None, tuple[str, ...] | None]] = {
    "footprint_gwp": (None, None),
    "footprint_gwp_embodied": (None, EMBODIED_PHASES),
    "footprint_gwp_use": (None, ("use",)),
    "footprint_gwp_equipment": (("equipment",), None),
    "footprint_gwp_network": (("traffic", "lines"), None),
}

#: Columns of :func:`roadmap_fit`.
COLUMNS = ["variant", "indicator", "unit", "target_year", "target_value", "last_year", "last_value", "year",
           "trajectory_value", "budget", "delta", "fits"]


def trajectory_in(year: int, status: dict) -> float:
    """The trajectory of a target status in ``year`` [indicator unit]: straight from the baseline
    to the target, the target value from the target year on.

    Examples
    --------
    >>> s = {"baseline_year": 2023, "baseline_value": 100.0, "target_year": 2030, "target_value": 65.0}
    >>> trajectory_in(2025, s), trajectory_in(2032, s)
    (90.0, 65.0)
    """
    if year >= status["target_year"] or status["target_year"] == status["baseline_year"]:
        return float(status["target_value"])
    return float(straight_trajectory(year, baseline_year=int(status["baseline_year"]),
                                     baseline_value=float(status["baseline_value"]),
                                     target_year=int(status["target_year"]),
                                     target_value=float(status["target_value"])))


def roadmap_fit(deltas: pd.DataFrame, statuses: pd.DataFrame, *, builtin=lambda indicator: indicator
                ) -> pd.DataFrame:
    """Each variant's yearly delta against the remaining budget of each carbon target.

    Parameters
    ----------
    deltas : DataFrame
        :meth:`ProjectResult.deltas` (``variant, year, domain, criterion, phase, delta``) [kgCO2e].
    statuses : DataFrame
        The roadmap's target statuses (``RoadmapResult.statuses``): ``indicator, unit,
        baseline_year, baseline_value, target_year, target_value, direction, last_year,
        last_value``.
    builtin : callable
        The built-in indicator an indicator id of the roadmap stands for (``Roadmap.builtin_of``).

    Returns
    -------
    DataFrame
        :data:`COLUMNS`, one row per variant, carbon target (lower is better, with a recorded
        value) and project year: ``budget = trajectory_value − last_value``, ``fits = delta ≤
        budget``. Targets on other indicators are left out (a project's delta is in kgCO2e).

    Examples
    --------
    >>> deltas = pd.DataFrame({"variant": "v", "year": [2026, 2027], "domain": "equipment", "criterion": "gwp",
    ...                        "phase": "use", "delta": [500.0, -2000.0]})
    >>> statuses = pd.DataFrame([{"indicator": "footprint_gwp", "unit": "kgCO2e", "baseline_year": 2023,
    ...     "baseline_value": 10000.0, "target_year": 2028, "target_value": 5000.0, "direction": "lower",
    ...     "last_year": 2025, "last_value": 8500.0}])
    >>> roadmap_fit(deltas, statuses)[["year", "trajectory_value", "budget", "fits"]].values.tolist()
    [[2026, 7000.0, -1500.0, False], [2027, 6000.0, -2500.0, False]]
    """
    rows = []
    gwp = deltas[deltas["criterion"] == "gwp"]
    for status in statuses.to_dict("records"):
        parts = INDICATOR_PARTS.get(builtin(status["indicator"]))
        if parts is None or status.get("direction") != "lower" or not np.isfinite(status.get("last_value", np.nan)):
            continue
        domains, phases = parts
        part = gwp
        if domains is not None:
            part = part[part["domain"].isin(domains)]
        if phases is not None:
            part = part[part["phase"].isin(phases)]
        yearly = part.groupby(["variant", "year"], sort=False)["delta"].sum()
        for (variant, year), delta in yearly.items():
            path = trajectory_in(int(year), status)
            budget = path - float(status["last_value"])
            rows.append({"variant": variant, "indicator": status["indicator"], "unit": status["unit"],
                         "target_year": int(status["target_year"]), "target_value": float(status["target_value"]),
                         "last_year": int(status["last_year"]), "last_value": float(status["last_value"]),
                         "year": int(year), "trajectory_value": path, "budget": budget, "delta": float(delta),
                         "fits": bool(delta <= budget)})
    return pd.DataFrame(rows, columns=COLUMNS)


def first_exceeding(fit: pd.DataFrame) -> pd.DataFrame:
    """One row per variant and target: ``fits_all`` (every year fits) and ``first_year_exceeding``
    (None when it always fits).

    Examples
    --------
    >>> fit = pd.DataFrame({"variant": "v", "indicator": "footprint_gwp", "target_year": 2030,
    ...                     "year": [2026, 2027], "fits": [True, False]})
    >>> first_exceeding(fit).to_dict("records")
    [{'variant': 'v', 'indicator': 'footprint_gwp', 'target_year': 2030, 'fits_all': False, 'first_year_exceeding': 2027}]
    """
    rows = []
    for (variant, indicator, target_year), part in fit.groupby(["variant", "indicator", "target_year"], sort=False):
        over = part.loc[~part["fits"], "year"]
        rows.append({"variant": variant, "indicator": indicator, "target_year": int(target_year),
                     "fits_all": over.empty, "first_year_exceeding": None if over.empty else int(over.min())})
    return pd.DataFrame(rows, columns=["variant", "indicator", "target_year", "fits_all", "first_year_exceeding"])


def assess_roadmap_fit(result, roadmap, history=None) -> pd.DataFrame:
    """:func:`roadmap_fit` of an assessed project against a roadmap and its history.

    Parameters
    ----------
    result : ProjectResult
    roadmap : Roadmap
        From :func:`sobriete.roadmap.load_roadmap`.
    history : History, optional
        The saved assessments and recorded values the roadmap's indicators come from.

    Returns
    -------
    DataFrame
        :data:`COLUMNS`; also stored as ``result.roadmap_fit``. The roadmap's measures are taken
        from their ``effects`` (their project files are not assessed again here).
    """
    from ..roadmap import evaluate_roadmap

    statuses = evaluate_roadmap(roadmap, history, assessor=None).statuses
    result.roadmap_fit = roadmap_fit(result.deltas(), statuses, builtin=roadmap.builtin_of)
    return result.roadmap_fit
