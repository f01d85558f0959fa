"""Status and trajectory of a targeted indicator: the straight path from the baseline to the
target, on or off track, the projection at the target year, the year the target is reached at
the current pace, the gap, and what planned measures leave to find (« reste à faire »).

Pure functions over plain numbers and arrays; :func:`statuses` applies them to a roadmap's
targets and indicator values.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass

import numpy as np
import pandas as pd

from ..notices import Notice
from .indicators import direction_of, legal_target, unit_of
from .model import Roadmap, Target, roadmap_notice

#: Fit used for the projection (stated in every status).
FIT = "linear least squares over the recorded years"
#: Status values.
STATUSES = ("reached", "on_track", "off_track", "no_data")


def straight_trajectory(year, *, baseline_year: int, baseline_value: float, target_year: int,
                        target_value: float):
    """Value of the straight trajectory from the baseline to the target in ``year``.

    Parameters
    ----------
    year : int, ndarray or Series
    baseline_year, target_year : int
    baseline_value, target_value : float
        In the indicator's unit.

    Returns
    -------
    Same type as ``year``: ``baseline + (target - baseline) × (year - baseline_year) /
    (target_year - baseline_year)``.

    Examples
    --------
    >>> straight_trajectory(2025, baseline_year=2023, baseline_value=100.0, target_year=2030, target_value=65.0)
    90.0
    >>> straight_trajectory(np.array([2023, 2030]), baseline_year=2023, baseline_value=100.0, target_year=2030,
    ...                     target_value=65.0).tolist()
    [100.0, 65.0]
    """
    share = (year - baseline_year) / (target_year - baseline_year)
    return baseline_value + (target_value - baseline_value) * share


def linear_fit(years: Sequence[float], values: Sequence[float]) -> tuple[float, float] | None:
    """Least-squares line ``value = intercept + slope × year`` through the points, or None with
    fewer than two distinct years.

    Examples
    --------
    >>> linear_fit([2023, 2024, 2025], [100.0, 96.0, 90.0])   # slope -5, passes through (2024, 95.33)
    (10215.333333333334, -5.0)
    """
    x, y = np.asarray(years, float), np.asarray(values, float)
    if len(np.unique(x)) < 2:
        return None
    slope, intercept = np.polyfit(x - x.mean(), y, 1)
    return float(intercept - slope * x.mean()), float(slope)


def year_reached(intercept: float, slope: float, target_value: float, *, last_year: int, last_value: float,
                 direction: str) -> int | None:
    """First whole year at which the fitted line reaches the target, at or after ``last_year``
    (``last_year`` itself when the last value already meets it); None when the trend moves away
    from the target or is flat.

    Examples
    --------
    >>> year_reached(10215.333333333334, -5.0, 65.0, last_year=2025, last_value=90.0, direction="lower")   # 2030.07
    2031
    >>> year_reached(0.0, 1.0, 65.0, last_year=2025, last_value=90.0, direction="lower") is None
    True
    """
    if _meets(last_value, target_value, direction):
        return last_year
    if slope == 0 or (slope > 0) != (direction == "higher"):
        return None
    exact = (target_value - intercept) / slope
    return max(last_year, int(math.ceil(exact - 1e-9)))


def _meets(value: float, target: float, direction: str) -> bool:
    return value <= target if direction == "lower" else value >= target


@dataclass(frozen=True)
class Status:
    """Status of one target (values in the indicator's unit; NaN where unknown)."""

    indicator: str
    unit: str
    topic: str
    baseline_year: int
    baseline_value: float
    target_year: int
    target_value: float
    target_kind: str              # absolute, relative, legal
    target_verified: bool
    direction: str
    last_year: int | None
    last_value: float
    trajectory_value: float       # on the straight path in last_year
    status: str                   # see STATUSES
    projected_value: float        # at target_year, by FIT
    fit: str
    fit_points: int
    year_reached: int | None
    gap: float                    # target - last value
    gap_pct: float                # 100 × gap / last value
    planned_effect: float         # expected yearly effect of planned measures (signed)
    remaining: float              # target - (last value + planned effect), 0 once met: « reste à faire »
    missing_years: tuple[int, ...] = ()


def target_status(values: Mapping[int, float], *, indicator: str, baseline_year: int, target_year: int,
                  target_value: float | None = None, change_pct: float | None = None,
                  direction: str | None = None, planned_effect: float = 0.0, unit: str = "", topic: str = "",
                  target_kind: str = "absolute", verified: bool = True, as_of: int | None = None) -> Status:
    """Status of one target from the indicator's values per year.

    Parameters
    ----------
    values : mapping of int to float
        ``{year: value}`` of the indicator [its unit].
    baseline_year, target_year : int
    target_value : float, optional
        Absolute target [unit]; or ``change_pct`` [%] relative to the baseline value.
    direction : {'lower', 'higher'}, optional
        Which way is better; default: the way from the baseline to the target.
    planned_effect : float
        Expected yearly effect of the planned measures on the indicator [unit], signed.
    as_of : int, optional
        Ignore values after this year.

    Returns
    -------
    Status
        ``status``: ``reached`` when the last value meets the target, ``on_track`` when it is
        at or better than the straight trajectory in its year, ``off_track`` otherwise,
        ``no_data`` without values. The baseline is the value of ``baseline_year``, else the
        first recorded value (``missing_years`` lists the years without a value).

    Examples
    --------
    >>> s = target_status({2023: 100.0, 2024: 96.0, 2025: 90.0}, indicator="x", baseline_year=2023,
    ...                   target_year=2030, change_pct=-35.0)
    >>> s.target_value, s.trajectory_value, s.status, round(s.projected_value, 6), s.year_reached
    (65.0, 90.0, 'on_track', 65.333333, 2031)
    """
    known = {int(y): float(v) for y, v in values.items() if (as_of is None or y <= as_of) and np.isfinite(v)}
    nan = float("nan")
    span = range(baseline_year, max([*known, baseline_year]) + 1)
    missing = tuple(y for y in span if y not in known)
    if not known:
        return Status(indicator, unit, topic, baseline_year, nan, target_year,
                      float(target_value) if target_value is not None else nan, target_kind, verified,
                      direction or "", None, nan, nan, "no_data", nan, FIT, 0, None, nan, nan, planned_effect, nan,
                      missing)
    base_year = baseline_year if baseline_year in known else min(known)
    base = known[base_year]
    target = float(target_value) if target_value is not None else base * (1 + float(change_pct) / 100)
    direction = direction or ("higher" if target > base else "lower")
    last_year = max(known)
    last = known[last_year]
    path = straight_trajectory(last_year, baseline_year=base_year, baseline_value=base, target_year=target_year,
                               target_value=target) if target_year != base_year else target
    if _meets(last, target, direction):
        status = "reached"
    else:
        status = "on_track" if _meets(last, path, direction) else "off_track"
    fit = linear_fit(list(known), list(known.values()))
    projected = fit[0] + fit[1] * target_year if fit else nan
    reached = year_reached(*fit, target, last_year=last_year, last_value=last, direction=direction) if fit else (
        last_year if status == "reached" else None)
    gap = target - last
    # what the planned measures leave to find; nothing once they (or the last value) meet the target
    remaining = 0.0 if _meets(last + planned_effect, target, direction) else target - (last + planned_effect)
    return Status(indicator, unit, topic, base_year, base, target_year, target, target_kind, verified, direction,
                  last_year, last, float(path), status, float(projected), FIT if fit else "none (one value)",
                  len(known), reached, gap, 100 * gap / last if last else nan, planned_effect,
                  remaining, missing)


def statuses(roadmap: Roadmap, values: pd.DataFrame, *, effects: Mapping[str, float] | None = None,
             as_of: int | None = None) -> tuple[pd.DataFrame, list[Notice]]:
    """The status of every target of the roadmap, as a tidy frame (one row per target and the
    :class:`Status` fields), and the notices (missing years, no value at all).

    ``effects`` is the expected yearly effect of planned measures per indicator
    (:func:`sobriete.roadmap.measures.planned_effects`). A legal target (``legal: true``)
    takes the legal value of the target year (or of ``as_of``, else of the last recorded year).
    """
    effects = effects or {}
    spec = roadmap.spec
    notices: list[Notice] = []
    rows = []
    for n, target in enumerate(spec.targets):
        part = values[values["indicator"] == target.indicator]
        series = dict(zip(part["year"].astype(int), part["value"].astype(float)))
        spec_ind = roadmap.indicator(target.indicator)
        topic = (spec_ind.topic if spec_ind is not None and spec_ind.topic else None) or _builtin_topic(
            target.indicator, roadmap)
        kind, verified, value, year = _target_value(target, roadmap.builtin_of(target.indicator), series, as_of)
        if kind == "legal" and value is None:
            if year is None:   # a legal target takes the year of the last value: there is none
                notices.append(roadmap_notice(roadmap, "roadmap_no_values", f"no value of {target.indicator!r} "
                                              "in any year: its status cannot be computed",
                                              ("targets", n, "indicator"), indicator=target.indicator))
            else:
                notices.append(roadmap_notice(roadmap, "roadmap_no_legal_target",
                                              f"no legal target for {target.indicator!r} in {year}",
                                              ("targets", n, "legal"), indicator=target.indicator, year=year))
            continue
        status = target_status(series, indicator=target.indicator, baseline_year=spec.baseline_year,
                               target_year=year, target_value=value, change_pct=target.change_pct,
                               direction=direction_of(target.indicator, roadmap),
                               planned_effect=float(effects.get(target.indicator, 0.0)),
                               unit=unit_of(target.indicator, roadmap), topic=topic or "", target_kind=kind,
                               verified=verified, as_of=as_of)
        if status.status == "no_data":
            notices.append(roadmap_notice(roadmap, "roadmap_no_values", f"no value of {target.indicator!r} in any "
                                          "year: its status cannot be computed", ("targets", n, "indicator"),
                                          indicator=target.indicator))
        elif status.missing_years:
            notices.append(roadmap_notice(roadmap, "roadmap_missing_years",
                                          f"no value of {target.indicator!r} for "
                                          f"{', '.join(map(str, status.missing_years))}; the status uses the "
                                          "years that have one", ("targets", n, "indicator"),
                                          indicator=target.indicator, years=", ".join(map(str, status.missing_years))))
        rows.append(asdict(status))
    columns = list(Status.__dataclass_fields__)
    return pd.DataFrame(rows, columns=columns), notices


def _target_value(target: Target, builtin: str, series: Mapping[int, float], as_of: int | None):
    if not target.legal:
        return ("relative" if target.change_pct is not None else "absolute"), True, target.value, int(target.year)
    year = target.year or as_of or (max(series) if series else None)
    found = legal_target(builtin, year) if year is not None else None
    if found is None:
        return "legal", False, None, year
    value, status, _ = found
    return "legal", status == "sourced", value, int(year)


def _builtin_topic(indicator: str, roadmap: Roadmap) -> str | None:
    from .indicators import definitions

    base = roadmap.builtin_of(indicator)
    table = definitions().set_index("indicator")
    return str(table.loc[base, "topic"]) if base in table.index else None


def topic_summary(status_frame: pd.DataFrame, measures: pd.DataFrame) -> pd.DataFrame:
    """One line per topic: targets reached / on track / off track / without data, measures
    done / in progress / planned, and their budget [EUR].

    Examples
    --------
    >>> st = pd.DataFrame({"topic": ["achats", "achats"], "status": ["on_track", "off_track"]})
    >>> me = pd.DataFrame({"topic": ["achats"], "status": ["done"], "budget_eur": [1000.0]})
    >>> row = topic_summary(st, me).to_dict("records")[0]
    >>> [row[k] for k in ("targets", "on_track", "off_track", "measures_done", "budget_eur")]
    [2, 1, 1, 1, 1000.0]
    """
    from .model import TOPICS

    rows = []
    for topic in TOPICS:
        st = status_frame[status_frame["topic"] == topic] if len(status_frame) else status_frame
        me = measures[measures["topic"] == topic] if len(measures) else measures
        rows.append({"topic": topic, "targets": int(len(st)),
                     **{s: int((st["status"] == s).sum()) if len(st) else 0 for s in STATUSES},
                     "measures_done": int((me["status"] == "done").sum()) if len(me) else 0,
                     "measures_in_progress": int((me["status"] == "in_progress").sum()) if len(me) else 0,
                     "measures_planned": int((me["status"] == "planned").sum()) if len(me) else 0,
                     "budget_eur": float(me["budget_eur"].fillna(0).sum()) if len(me) else 0.0})
    return pd.DataFrame(rows).astype({c: int for c in ["targets", *STATUSES, "measures_done",
                                                         "measures_in_progress", "measures_planned"]})
