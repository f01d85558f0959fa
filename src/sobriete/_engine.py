"""Shared plumbing of the domain engines (network, hosting): row checks, grouping, results.

The equipment engine's helpers (:func:`sobriete.equipment.group_codes`, ``_Rejections``,
``_numeric``, ``_lookup``, ``_keys_frame``, ``_coverage_warnings``) are reused as they are; this
module only adds what several domains need around them: a row checker that records
rejections, grouping of a frame into dense group ids, and the assembly of a
:class:`~sobriete.footprint.Footprint` from per-group arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from .equipment import _coverage_warnings, _keys_frame, _lookup, _numeric, _Rejections, group_codes
from .errors import InputFormatError, UnknownNameError
from .factors import PHASES, FactorCatalog
from .footprint import DataQuality, Footprint

DEFAULT_ZONE = "FR"
#: Above this many possible key combinations, group ids are compressed to the present ones.
_DENSE_GROUPS_MAX = 10_000_000


class RowChecker:
    """Collects row-level rejections of one input frame (first problem of a row wins).

    ``bad`` is the mask of rejected rows; :meth:`quality` builds the row accounting.
    """

    def __init__(self, frame: pd.DataFrame):
        files = frame["_file"].astype(object).to_numpy() if "_file" in frame.columns else None
        self.n = len(frame)
        self.bad = np.zeros(self.n, dtype=bool)
        self._rejections = _Rejections(frame.index, files, [])

    def reject(self, mask: np.ndarray, column: str, code: str, reason: str, values=None) -> None:
        """Reject the rows of ``mask`` not yet rejected; ``values`` (Series, array or None) are
        the offending cells, read only for the rejected rows."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        mask = mask & ~self.bad
        if mask.any():
            positions = np.flatnonzero(mask)
            if values is None:
                cells = np.full(len(positions), None, dtype=object)
            elif isinstance(values, pd.Series):
                cells = values.iloc[positions].to_numpy(dtype=object)
            else:
                cells = np.asarray(values, dtype=object)[positions]
            self._rejections.add(positions, column, code, reason, cells)
            self.bad |= mask

    def number(self, series: pd.Series, column: str, *, what: str, minimum: float | None = 0.0,
               required: bool = False) -> np.ndarray:
        """float64 values of ``series``; rejects non-numbers, values below ``minimum`` and, when
        ``required``, missing cells. Missing cells are NaN."""
        values, not_number = _numeric(series)
        self.reject(not_number, column, f"bad_{column}", f"{what} is not a number", series)
        if required:
            self.reject(np.isnan(values), column, f"missing_{column}", f"{what} is missing", series)
        if minimum is not None:
            self.reject(values < minimum, column, f"negative_{column}" if minimum == 0 else f"bad_{column}",
                        f"{what} must be ≥ {minimum:g}", series)
        return values

    def codes(self, series: pd.Series, valid: pd.Index, column: str, *, what: str,
              default: int | None = None, normalise: dict[str, str] | None = None) -> np.ndarray:
        """Integer code of each value in ``valid``; missing cells take ``default`` (or are
        rejected when there is none); unknown values are rejected with the valid choices."""
        raw = series
        if normalise is not None and not isinstance(series.dtype, pd.CategoricalDtype):
            series = series.astype("string").str.strip().str.lower().replace(normalise).astype(object)
        elif normalise is not None:
            cats = pd.Index(series.cat.categories.astype(str).str.strip().str.lower())
            mapped = np.append(valid.get_indexer(cats.map(lambda v: normalise.get(v, v))), -1)
            codes = series.cat.codes.to_numpy()
            series = None
            code = np.take(mapped, codes)  # code -1 (missing) takes the appended -1
            missing = codes < 0
        if series is not None:
            code = _lookup(series, valid)
            missing = series.isna().to_numpy()
        if default is None:
            self.reject(missing, column, f"missing_{column}", f"{what} is missing")
        else:
            code = np.where(missing, default, code)
        self.reject(code < 0, column, f"unknown_{column}",
                    f"unknown {what}; valid choices: {', '.join(map(str, valid))}", raw)
        return code

    def quality(self, counts: dict[str, int], warnings: Iterable[str]) -> DataQuality:
        n_rejected = len(self._rejections.positions())
        return DataQuality(rows_read=self.n, rows_assessed=self.n - n_rejected, rows_rejected=n_rejected,
                           rejected=self._rejections.frame(), counts=dict(counts),
                           warnings=tuple(dict.fromkeys(warnings)))


@dataclass(frozen=True)
class Groups:
    """Dense group id of every input row over the grouping keys ``by``."""

    by: list[str]
    gid: np.ndarray
    n: int
    uniques: list[pd.Index]
    compressed_keys: pd.DataFrame | None

    def keys(self, present: np.ndarray) -> pd.DataFrame:
        if self.compressed_keys is not None:
            return self.compressed_keys.iloc[present].reset_index(drop=True)
        return _keys_frame(present, self.uniques).reset_index(drop=True)


def resolve_by(by: Iterable[str] | str | None, frame: pd.DataFrame) -> list[str]:
    by = [by] if isinstance(by, str) else list(by or [])
    missing = [k for k in by if k not in frame.columns]
    if missing:
        raise UnknownNameError("grouping column", missing[0], frame.columns)
    return by


def groups(frame: pd.DataFrame, by: Iterable[str] | str | None) -> Groups:
    """Group ids of ``frame`` over ``by`` (see :func:`sobriete.equipment.group_codes`)."""
    by = resolve_by(by, frame)
    if len(by) == 1 and isinstance(frame[by[0]].dtype, pd.CategoricalDtype):
        codes = frame[by[0]].cat.codes.to_numpy()
        if len(codes) and codes.min() >= 0:  # fast path: one categorical key without missing values
            categories = frame[by[0]].cat.categories
            return Groups(by, codes.astype(np.intp), max(len(categories), 1),
                          [pd.Index(categories, name=by[0])], None)
    gid, uniques = group_codes(frame, by)
    n = int(np.prod([max(len(u), 1) for u in uniques])) if uniques else 1
    if n > _DENSE_GROUPS_MAX:
        present, gid = np.unique(gid, return_inverse=True)
        return Groups(by, gid, len(present), uniques, _keys_frame(present, uniques))
    return Groups(by, gid, n, uniques, None)


def require_column(frame: pd.DataFrame, column: str, canonical: dict[str, str], what: str) -> None:
    if column not in frame.columns:
        raise InputFormatError(f"the {what} table has no '{column}' column; canonical columns are: "
                               + ", ".join(canonical), column=column)


def prepare(frame: pd.DataFrame, catalog: FactorCatalog | None, by, required: str, canonical: dict[str, str],
            what: str) -> tuple[FactorCatalog, Groups, RowChecker]:
    """The preamble of every domain assessment: the catalog (bundled by default), the required
    column, the groups of ``by`` and a row checker."""
    from .factors import load_catalog

    catalog = catalog if catalog is not None else load_catalog()
    require_column(frame, required, canonical, what)
    return catalog, groups(frame, by), RowChecker(frame)


def zone_codes(frame: pd.DataFrame, catalog: FactorCatalog, check: RowChecker) -> np.ndarray:
    """Grid zone code of each row (``zone`` column, default France)."""
    default = catalog.zones.get_loc(DEFAULT_ZONE) if DEFAULT_ZONE in catalog.zones else None
    if "zone" not in frame.columns:
        if default is None:
            raise InputFormatError(f"no 'zone' column and the catalog has no default zone {DEFAULT_ZONE}",
                                   column="zone")
        return np.full(len(frame), default, dtype=np.int64)
    return check.codes(frame["zone"], catalog.zones, "zone", what="electricity zone", default=default)


def build_footprint(values: np.ndarray, uncovered: np.ndarray, energy_kwh: np.ndarray, rows_per_group: np.ndarray,
                    grouping: Groups, catalog: FactorCatalog, meta: dict, quality: DataQuality,
                    warnings: Sequence[str] = ()) -> Footprint:
    """Assemble a Footprint from per-group arrays (all groups), keeping the groups with rows."""
    present = np.flatnonzero(rows_per_group)
    quality = DataQuality(quality.rows_read, quality.rows_assessed, quality.rows_rejected, quality.rejected,
                          quality.counts, tuple(dict.fromkeys((*quality.warnings, *warnings,
                                                               *_coverage_warnings(uncovered[present],
                                                                                   catalog.criteria)))))
    return Footprint(values[present], grouping.keys(present), catalog.criteria,
                     tuple(catalog.criterion_units[c] for c in catalog.criteria), energy_kwh[present],
                     uncovered[present], catalog.version, catalog.hash, {**meta, "by": list(grouping.by)},
                     quality, PHASES)


def empty_values(n_groups: int, catalog: FactorCatalog) -> tuple[np.ndarray, np.ndarray]:
    shape = (n_groups, len(catalog.criteria), len(PHASES))
    return np.zeros(shape), np.zeros(shape)
