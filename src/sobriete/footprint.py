"""Footprint: the engine's result, criterion × life-cycle phase for any grouping, with units.

A :class:`Footprint` holds a dense array ``values[group, criterion, phase]`` in the
catalog's canonical units, the group keys, the use-phase electricity [kWh] and an explicit
record of what could not be assessed (``uncovered``: input rows whose factor is missing for a
criterion and phase, never silently counted as zero). Footprints add and subtract (scenario
minus baseline), re-aggregate to fewer keys, and convert to a tidy long frame.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd

from .errors import InputValueError, UnknownNameError
from .factors import PHASES


@dataclass(frozen=True, eq=False)
class DataQuality:
    """Row accounting and warnings of an assessment.

    ``rows_read = rows_assessed + rows_rejected`` always holds; ``rejected`` has one line per
    problem (a row with two problems appears twice) with ``row``, ``column``, ``value`` and
    ``reason`` (and ``file`` when the row came from a file).
    """

    rows_read: int = 0
    rows_assessed: int = 0
    rows_rejected: int = 0
    rejected: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["file", "row", "column", "value", "reason"]))
    counts: dict[str, int] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()

    def __post_init__(self):
        if self.rows_read != self.rows_assessed + self.rows_rejected:
            raise InputValueError(f"row accounting does not reconcile: {self.rows_read} read != "
                                  f"{self.rows_assessed} assessed + {self.rows_rejected} rejected",
                                  code="rows_do_not_reconcile", read=self.rows_read, assessed=self.rows_assessed,
                                  rejected=self.rows_rejected)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, DataQuality):
            return NotImplemented
        return ((self.rows_read, self.rows_assessed, self.rows_rejected, self.counts, self.warnings)
                == (other.rows_read, other.rows_assessed, other.rows_rejected, other.counts, other.warnings)
                and self.rejected.reset_index(drop=True).equals(other.rejected.reset_index(drop=True)))

    __hash__ = object.__hash__

    @classmethod
    def combine(cls, *parts: DataQuality) -> DataQuality:
        """The accounting of several inputs assessed side by side (domains, files, partitions):
        rows and counts summed, rejected rows concatenated, warnings kept once each in order.

        Examples
        --------
        >>> a = DataQuality(3, 2, 1, counts={"undated_rows": 1}, warnings=("w",))
        >>> b = DataQuality(5, 5, 0, counts={"undated_rows": 2}, warnings=("w", "v"))
        >>> c = DataQuality.combine(a, b)
        >>> c.rows_read, c.rows_assessed, c.rows_rejected, c.counts, c.warnings
        (8, 7, 1, {'undated_rows': 3}, ('w', 'v'))
        """
        if not parts:
            return cls()
        return cls(sum(p.rows_read for p in parts), sum(p.rows_assessed for p in parts),
                   sum(p.rows_rejected for p in parts), *_merged(parts))

    def followed_by(self, engine: DataQuality) -> DataQuality:
        """The accounting of a reading step (``self``) whose accepted rows the engine then
        assessed (``engine``): rows read in the files = rows the engine assessed + rows rejected
        by either; counts summed, rejected rows concatenated, warnings kept once each.

        Raises
        ------
        InputValueError
            If the engine did not read the rows this step accepted.

        Examples
        --------
        >>> read = DataQuality(10, 8, 2)
        >>> both = read.followed_by(DataQuality(8, 7, 1))
        >>> both.rows_read, both.rows_assessed, both.rows_rejected
        (10, 7, 3)
        """
        if engine.rows_read != self.rows_assessed:
            raise InputValueError(f"the engine read {engine.rows_read} rows but the reading step accepted "
                                  f"{self.rows_assessed}", code="rows_do_not_reconcile", read=engine.rows_read,
                                  assessed=self.rows_assessed, rejected=0)
        return DataQuality(self.rows_read, engine.rows_assessed, self.rows_rejected + engine.rows_rejected,
                           *_merged((self, engine)))

    def __add__(self, other: DataQuality) -> DataQuality:
        return DataQuality.combine(self, other)

    def to_dict(self, max_rejected: int | None = 1000) -> dict[str, Any]:
        rejected = self.rejected if max_rejected is None else self.rejected.head(max_rejected)
        return {
            "read": self.rows_read, "assessed": self.rows_assessed, "rejected": self.rows_rejected,
            "rejected_rows": rejected.astype(object).where(rejected.notna(), None).to_dict("records"),
            "rejected_truncated": max(0, len(self.rejected) - len(rejected)),
            "counts": dict(self.counts), "warnings": list(self.warnings),
        }


@dataclass(frozen=True)
class Footprint:
    """Impacts per group × criterion × phase, with units and provenance.

    Attributes
    ----------
    values : ndarray, shape (n_groups, n_criteria, n_phases)
        Impacts in the criterion's unit (``units``) per phase in ``phases``.
    keys : DataFrame
        One row per group, one column per grouping key (no columns: a single total group).
    criteria, units : tuple of str
        Criterion ids and their units.
    energy_kwh : ndarray, shape (n_groups,)
        Use-phase electricity [kWh].
    uncovered : ndarray, same shape as ``values``
        Number of assessed input rows with no factor for that criterion and phase: where it is
        not zero the value is a lower bound.
    catalog_version, catalog_hash : str
        The factor catalog that produced it.
    meta : dict
        Year, allocation, domain and other settings.
    quality : DataQuality
        Row accounting, rejected rows and warnings.
    rows : DataFrame or None
        Per-row detail when requested.
    """

    values: np.ndarray
    keys: pd.DataFrame
    criteria: tuple[str, ...]
    units: tuple[str, ...]
    energy_kwh: np.ndarray
    uncovered: np.ndarray
    catalog_version: str
    catalog_hash: str
    meta: dict[str, Any] = field(default_factory=dict)
    quality: DataQuality = field(default_factory=DataQuality)
    phases: tuple[str, ...] = PHASES
    rows: pd.DataFrame | None = None

    # ------------------------------------------------------------------ views
    @property
    def by_keys(self) -> tuple[str, ...]:
        return tuple(self.keys.columns)

    def total(self) -> pd.DataFrame:
        """One line per criterion: each phase, the total and the unit.

        Columns ``manufacturing, distribution, use, end_of_life, embodied, total, unit,
        complete`` (``complete`` is False when some rows lacked a factor: a lower bound).
        """
        summed = self.values.sum(axis=0)
        frame = pd.DataFrame(summed, index=pd.Index(self.criteria, name="criterion"), columns=list(self.phases))
        embodied = [p for p in self.phases if p != "use"]
        frame["embodied"] = frame[embodied].sum(axis=1)
        frame["total"] = summed.sum(axis=1)
        frame["unit"] = list(self.units)
        frame["complete"] = self.uncovered.sum(axis=(0, 2)) == 0
        return frame

    def to_frame(self) -> pd.DataFrame:
        """Tidy long frame: ``keys..., criterion, phase, value, unit`` (one row per group,
        criterion and phase)."""
        n_groups, n_crit, n_phase = self.values.shape
        group = np.repeat(np.arange(n_groups), n_crit * n_phase)
        frame = self.keys.iloc[group].reset_index(drop=True)
        frame["criterion"] = np.tile(np.repeat(np.asarray(self.criteria, dtype=object), n_phase), n_groups)
        frame["phase"] = np.tile(np.asarray(self.phases, dtype=object), n_groups * n_crit)
        frame["value"] = self.values.reshape(-1)
        frame["unit"] = np.tile(np.repeat(np.asarray(self.units, dtype=object), n_phase), n_groups)
        frame["uncovered_rows"] = self.uncovered.reshape(-1).astype(np.int64)
        return frame

    def table(self, criterion: str = "gwp") -> pd.DataFrame:
        """Wide frame for one criterion: one row per group, one column per phase, plus total."""
        c = self._criterion_index(criterion)
        frame = self.keys.copy().reset_index(drop=True)
        for j, phase in enumerate(self.phases):
            frame[phase] = self.values[:, c, j]
        frame["total"] = self.values[:, c, :].sum(axis=1)
        frame["energy_kwh"] = self.energy_kwh
        return frame

    def _criterion_index(self, criterion: str) -> int:
        try:
            return self.criteria.index(criterion)
        except ValueError:
            raise UnknownNameError("criterion", criterion, self.criteria) from None

    # ------------------------------------------------------------------ algebra
    def by(self, *keys: str) -> Footprint:
        """Re-aggregate to a subset of the grouping keys (none: the grand total)."""
        missing = [k for k in keys if k not in self.by_keys]
        if missing:
            raise UnknownNameError("grouping key", missing[0], self.by_keys,
                                   hint="re-run the assessment with it in 'by'")
        codes, n, new_keys = _regroup(self.keys, list(keys))
        return replace(self, values=_sum_by(codes, self.values, n), keys=new_keys.reset_index(drop=True),
                       energy_kwh=np.bincount(codes, self.energy_kwh, minlength=n),
                       uncovered=_sum_by(codes, self.uncovered, n), rows=None)

    def _aligned(self, other: Footprint, sign: float) -> Footprint:
        if not isinstance(other, Footprint):
            return NotImplemented
        if self.criteria != other.criteria or self.units != other.units:
            raise InputValueError("footprints with different criteria or units cannot be combined: "
                                  f"{list(zip(self.criteria, self.units))} vs {list(zip(other.criteria, other.units))}",
                                  code="different_criteria")
        if self.catalog_hash != other.catalog_hash:
            raise InputValueError("footprints computed with different factor catalogs cannot be combined "
                                  f"({self.catalog_version} vs {other.catalog_version})",
                                  code="different_catalogs", first=self.catalog_version, second=other.catalog_version)
        names = list(dict.fromkeys(self.by_keys + other.by_keys))
        left, right = _with_keys(self.keys, names), _with_keys(other.keys, names)
        codes, n, keys = _regroup(pd.concat([left, right], ignore_index=True), names)
        values = np.concatenate([self.values, sign * other.values])
        energy = np.concatenate([self.energy_kwh, sign * other.energy_kwh])
        uncovered = np.concatenate([self.uncovered, other.uncovered])
        meta = dict(self.meta) if self.meta == other.meta else {
            k: v for k, v in self.meta.items() if other.meta.get(k) == v}
        return Footprint(values=_sum_by(codes, values, n), keys=keys, criteria=self.criteria, units=self.units,
                         energy_kwh=np.bincount(codes, energy, minlength=n), uncovered=_sum_by(codes, uncovered, n),
                         catalog_version=self.catalog_version, catalog_hash=self.catalog_hash, meta=meta,
                         quality=DataQuality.combine(self.quality, other.quality), phases=self.phases)

    def __add__(self, other: Footprint) -> Footprint:
        return self._aligned(other, 1.0)

    def __sub__(self, other: Footprint) -> Footprint:
        return self._aligned(other, -1.0)

    def __neg__(self) -> Footprint:
        return replace(self, values=-self.values, energy_kwh=-self.energy_kwh, rows=None)

    def __repr__(self) -> str:
        totals = self.total()
        lines = [f"Footprint({len(self.keys)} group(s) by {list(self.by_keys)}, catalog {self.catalog_version})"]
        for criterion, row in totals.iterrows():
            flag = "" if row["complete"] else " (lower bound: missing factors)"
            lines.append(f"  {criterion}: {row['total']:.6g} {row['unit']}{flag}")
        return "\n".join(lines)


def _merged(parts) -> tuple[pd.DataFrame, dict[str, int], tuple[str, ...]]:
    """Rejected rows concatenated, counts summed and warnings kept once each, over ``parts``."""
    frames = [p.rejected for p in parts if not p.rejected.empty]
    rejected = pd.concat(frames, ignore_index=True) if len(frames) > 1 else (
        frames[0] if frames else parts[-1].rejected)
    counts: dict[str, int] = {}
    for part in parts:
        for key, value in part.counts.items():
            counts[key] = counts.get(key, 0) + value
    return rejected, counts, tuple(dict.fromkeys(w for p in parts for w in p.warnings))


def _sum_by(codes: np.ndarray, array: np.ndarray, n: int) -> np.ndarray:
    """Sum the first axis of ``array`` by group ``codes`` (other axes kept)."""
    if len(array) == 0:
        return np.zeros((n, *array.shape[1:]))
    flat = array.reshape(len(array), -1)
    out = np.zeros((n, flat.shape[1]))
    np.add.at(out, codes, flat)
    return out.reshape((n, *array.shape[1:]))


def _regroup(keys: pd.DataFrame, names: list[str]) -> tuple[np.ndarray, int, pd.DataFrame]:
    """Group code of each row of ``keys`` over ``names`` (sorted, missing values kept), the
    number of groups and the new keys frame."""
    if not names:
        return np.zeros(len(keys), dtype=np.int64), 1, pd.DataFrame(index=range(1))
    codes = keys.groupby(names, sort=True, dropna=False).ngroup().to_numpy()
    first = pd.Series(np.arange(len(codes))).groupby(codes).first().to_numpy()
    return codes, len(first), keys[names].iloc[first].reset_index(drop=True)


def _with_keys(keys: pd.DataFrame, names: list[str]) -> pd.DataFrame:
    out = keys.copy()
    for name in names:
        if name not in out.columns:
            out[name] = "(all)"
    return out[names].reset_index(drop=True)
