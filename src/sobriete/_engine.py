"""Shared plumbing of the domain engines (equipment, network, hosting, lighting).

Inputs are read chunk by chunk (:data:`CHUNK_ROWS` rows) through column adapters that give
numpy views where the dtype allows (numbers, categorical codes) and fetch the offending cells
only for rejected rows; group ids are combined per chunk; sums per cell are bincounts. The
working memory of an assessment is bounded by a chunk, whatever the input's size. This module
also holds a row checker that records rejections with their reason, the dense factor arrays
cached per catalog, and the assembly of a :class:`~sobriete.footprint.Footprint` from
per-group arrays.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
import numpy as np
import pandas as pd

from .errors import InputFormatError, UnknownNameError
from .factors import PHASES, FactorCatalog, GridFactors
from .footprint import DataQuality, Footprint
from .notices import Notice
from .schema import DEFAULT_ZONE

#: Rows processed at once: bounds the engine's working memory whatever the input's size.
CHUNK_ROWS = 1 << 16
#: Above this many possible key combinations, group ids are compressed to the present ones.
_DENSE_GROUPS_MAX = 10_000_000


# --------------------------------------------------------------------------- validation
@dataclass
class _Rejections:
    """Row-level problems found while reading the inventory, kept with their reason."""

    index: pd.Index
    files: np.ndarray | None
    masks: list[tuple[np.ndarray, str, str, str, np.ndarray]]

    def add(self, positions: np.ndarray, column: str, code: str, reason: str, values) -> None:
        if len(positions):
            self.masks.append((positions, column, code, reason, np.asarray(values, dtype=object)))

    def frame(self) -> pd.DataFrame:
        parts = []
        for positions, column, code, reason, values in self.masks:
            parts.append(pd.DataFrame({
                "file": self.files[positions] if self.files is not None else None,
                "row": self.index[positions].to_numpy(), "column": column, "value": values,
                "reason_code": code, "reason": reason, "_pos": positions}))
        if not parts:
            return pd.DataFrame(columns=["file", "row", "column", "value", "reason_code", "reason"])
        frame = pd.concat(parts, ignore_index=True).sort_values(["_pos", "column"], kind="stable")
        return frame.drop(columns="_pos").reset_index(drop=True)

    def positions(self) -> np.ndarray:
        if not self.masks:
            return np.empty(0, dtype=np.int64)
        return np.unique(np.concatenate([m[0] for m in self.masks]))




# --------------------------------------------------------------------------- grouping
def group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, list[pd.Index]]:
    """Mixed-radix group code of each row over ``by`` (missing values form their own group),
    and the sorted unique values of each key."""
    keys = _GroupKeys(frame, by)
    return keys.codes(slice(0, len(frame))), keys.uniques


class _GroupKeys:
    """Per-key integer codes (views of categorical codes where possible), combined per chunk
    into one mixed-radix group code without a full-length temporary."""

    def __init__(self, frame: pd.DataFrame, by: Sequence[str]):
        self.arrays: list[np.ndarray] = []
        self.uniques: list[pd.Index] = []
        self.missing_code: list[int] = []
        for name in by:
            series = frame[name]
            if isinstance(series.dtype, pd.CategoricalDtype):
                categories = pd.Index(series.cat.categories)
                codes = series.cat.codes.to_numpy()
                if (codes < 0).any():
                    categories = categories.append(pd.Index([np.nan]))
                self.missing_code.append(len(series.cat.categories))
            else:
                codes, categories = pd.factorize(series, sort=True, use_na_sentinel=False)
                categories = pd.Index(categories)
                self.missing_code.append(-1)
            self.arrays.append(codes)
            self.uniques.append(pd.Index(categories, name=name))
        self.n_groups = int(np.prod([max(len(u), 1) for u in self.uniques])) if self.uniques else 1

    def codes(self, sl: slice) -> np.ndarray:
        if len(self.arrays) == 1:  # one key: its codes are the group ids
            part = self.arrays[0][sl]
            if self.missing_code[0] >= 0:
                return np.where(part < 0, self.missing_code[0], part).astype(np.int64, copy=False)
            return part.astype(np.int64)
        code = np.zeros(sl.stop - sl.start, dtype=np.int64)
        for array, keys, missing in zip(self.arrays, self.uniques, self.missing_code):
            part = array[sl]
            if missing >= 0:
                part = np.where(part < 0, missing, part)
            code *= max(len(keys), 1)
            code += part
        return code


def _keys_frame(present: np.ndarray, uniques: list[pd.Index]) -> pd.DataFrame:
    shape = [max(len(u), 1) for u in uniques]
    if not uniques:
        return pd.DataFrame(index=range(len(present)))
    digits = np.unravel_index(present, shape)
    return pd.DataFrame({u.name: u.take(d) for u, d in zip(uniques, digits)})


# --------------------------------------------------------------------------- column adapters
class _NumberColumn:
    """A numeric input column read chunk by chunk: numpy views for numeric dtypes, coercion
    (with a mask of cells that are not numbers) for text."""

    def __init__(self, series: pd.Series):
        self.series = series
        dtype = series.dtype
        self.fast = pd.api.types.is_numeric_dtype(dtype) and not pd.api.types.is_bool_dtype(dtype)
        self.whole = self.fast and pd.api.types.is_integer_dtype(dtype) and isinstance(dtype, np.dtype)
        self.array = series.to_numpy(dtype=float, na_value=np.nan) if self.fast and not isinstance(
            dtype, np.dtype) else (series.to_numpy() if self.fast else None)

    def chunk(self, sl: slice) -> tuple[np.ndarray, np.ndarray | None]:
        if self.fast:
            return self.array[sl].astype(float, copy=False), None
        values, not_number = _numeric(self.series.iloc[sl])
        return values, not_number

    def raw(self, positions: np.ndarray) -> np.ndarray:
        return self.series.iloc[positions].astype(object).to_numpy()


class _CodeColumn:
    """A column of names looked up in ``valid``: -1 unknown, -2 missing.

    With ``normalise`` (a mapping of aliases to ids), names are matched stripped and
    lower-case after replacing the aliases; each distinct name is normalised once.
    """

    def __init__(self, series: pd.Series, valid: pd.Index, normalise: dict[str, str] | None = None):
        self.series = series
        self.valid = valid
        self.mapping = None
        if isinstance(series.dtype, pd.CategoricalDtype):
            self.codes = series.cat.codes.to_numpy()
            names = series.cat.categories.astype(str)
        elif normalise is not None:
            self.codes, names = pd.factorize(series)
            names = pd.Series(names, dtype=object).astype("string")
        else:
            return
        if normalise is not None:
            names = pd.Index(names).str.strip().str.lower().map(lambda v: normalise.get(v, v))
        self.mapping = np.append(valid.get_indexer(names), -2)

    def chunk(self, sl: slice) -> np.ndarray:
        if self.mapping is not None:
            return self.mapping[self.codes[sl]]  # code -1 (missing) takes the appended -2
        part = self.series.iloc[sl]
        codes = self.valid.get_indexer(part.astype(object))
        return np.where(part.isna().to_numpy(), -2, codes)

    def raw(self, positions: np.ndarray) -> np.ndarray:
        return self.series.iloc[positions].astype(object).to_numpy()


def _numeric(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """float64 values and a mask of cells that were given but are not numbers."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(len(values), dtype=bool)
    values = pd.to_numeric(series, errors="coerce").to_numpy(dtype=float, na_value=np.nan)
    given = series.notna().to_numpy().copy()
    if series.dtype == object or pd.api.types.is_string_dtype(series.dtype):
        given &= series.astype("string").str.strip().ne("").fillna(False).to_numpy(dtype=bool)
    return values, given & np.isnan(values)


def _lookup(series: pd.Series, valid: pd.Index) -> np.ndarray:
    """Integer code of each value in ``valid`` (-1 when unknown or missing)."""
    return np.maximum(_CodeColumn(series, valid).chunk(slice(0, len(series))), -1)



def _coverage_warnings(uncovered: np.ndarray, criteria: Sequence[str]) -> tuple[str, ...]:
    """One notice per criterion naming the phases some assessed rows have no factor for."""
    out = []
    for k, criterion in enumerate(criteria):
        rows = {phase: int(uncovered[:, k, j].sum()) for j, phase in enumerate(PHASES)}
        rows = {phase: n for phase, n in rows.items() if n}
        if rows:
            listed = ", ".join(f"{phase} ({n} row(s))" for phase, n in rows.items())
            out.append(Notice("missing_factor", f"{criterion}: no factor for {listed}; the value is a lower bound",
                              criterion=criterion, rows=rows))
    return tuple(out)




# --------------------------------------------------------------------------- row checks
def _cells(values, positions: np.ndarray) -> np.ndarray:
    """The offending cells at ``positions``: from a column adapter, a Series or a full-length array."""
    if values is None:
        return np.full(len(positions), None, dtype=object)
    if hasattr(values, "raw"):
        return values.raw(positions)
    if isinstance(values, pd.Series):
        return values.iloc[positions].to_numpy(dtype=object)
    return np.asarray(values, dtype=object)[positions]


class RowChecker:
    """Collects row-level rejections of one input frame (first problem of a row wins).

    ``bad`` is the mask of rejected rows; checks take the whole frame or one chunk ``sl`` of
    it (masks then have the chunk's length); :meth:`quality` builds the row accounting.
    """

    def __init__(self, frame: pd.DataFrame):
        files = frame["_file"].astype(object).to_numpy() if "_file" in frame.columns else None
        self.n = len(frame)
        self.bad = np.zeros(self.n, dtype=bool)
        self._rejections = _Rejections(frame.index, files, [])

    def reject(self, mask: np.ndarray, column: str, code: str, reason: str, values=None, *, start: int = 0) -> None:
        """Reject the rows of ``mask`` (rows ``start`` to ``start + len(mask)``) not yet rejected;
        ``values`` (a column adapter, a Series, a full-length array or None) give the offending
        cells, read only for the rejected rows."""
        mask = np.asarray(mask, dtype=bool)
        if not mask.any():
            return
        bad = self.bad[start:start + len(mask)]
        mask = mask & ~bad
        if mask.any():
            positions = np.flatnonzero(mask) + start
            self._rejections.add(positions, column, code, reason, _cells(values, positions))
            bad |= mask

    def ok(self, sl: slice) -> np.ndarray | None:
        """Mask of the valid rows of the chunk ``sl``, None when all are valid."""
        bad = self.bad[sl]
        return ~bad if bad.any() else None

    def number(self, source: pd.Series | _NumberColumn, column: str, *, what: str, minimum: float | None = 0.0,
               required: bool = False, sl: slice | None = None) -> np.ndarray:
        """float64 values of ``source`` (of the chunk ``sl``, default all rows); rejects non-numbers,
        values below ``minimum`` and, when ``required``, missing cells. Missing cells are NaN."""
        source = source if isinstance(source, _NumberColumn) else _NumberColumn(source)
        sl = sl if sl is not None else slice(0, self.n)
        values, not_number = source.chunk(sl)
        if not_number is not None:
            self.reject(not_number, column, f"bad_{column}", f"{what} is not a number", source, start=sl.start)
        if required:
            self.reject(np.isnan(values), column, f"missing_{column}", f"{what} is missing", source, start=sl.start)
        if minimum is not None:
            self.reject(values < minimum, column, f"negative_{column}" if minimum == 0 else f"bad_{column}",
                        f"{what} must be ≥ {minimum:g}", source, start=sl.start)
        return values

    def codes(self, source: pd.Series | _CodeColumn, valid: pd.Index, column: str, *, what: str,
              default: int | None = None, normalise: dict[str, str] | None = None,
              sl: slice | None = None) -> np.ndarray:
        """Integer code in ``valid`` of each value of ``source`` (of the chunk ``sl``, default all
        rows); missing cells take ``default`` (or are rejected when there is none); unknown values
        are rejected with the valid choices. Rejected rows have a negative code."""
        source = source if isinstance(source, _CodeColumn) else _CodeColumn(source, valid, normalise)
        sl = sl if sl is not None else slice(0, self.n)
        code = source.chunk(sl)
        missing = code == -2
        if default is None:
            self.reject(missing, column, f"missing_{column}", f"{what} is missing", start=sl.start)
        elif missing.any():
            code = np.where(missing, default, code)
        unknown = code < 0
        if unknown.any():
            self.reject(unknown, column, f"unknown_{column}",
                        f"unknown {what}; valid choices: {', '.join(map(str, source.valid))}", source, start=sl.start)
        return code

    def quality(self, counts: dict[str, int], warnings: Iterable[str]) -> DataQuality:
        n_rejected = len(self._rejections.positions())
        return DataQuality(rows_read=self.n, rows_assessed=self.n - n_rejected, rows_rejected=n_rejected,
                           rejected=self._rejections.frame(), counts=dict(counts),
                           warnings=tuple(dict.fromkeys(warnings)))


# --------------------------------------------------------------------------- groups and cells
class Groups:
    """Dense group id of every input row over the grouping keys ``by``, read chunk by chunk.

    ``n`` is the number of possible groups; above ``_DENSE_GROUPS_MAX`` key combinations the
    ids are compressed to the combinations present.
    """

    def __init__(self, frame: pd.DataFrame, by: list[str]):
        self.by = by
        self._keys = _GroupKeys(frame, by)
        self.uniques = self._keys.uniques
        self.n = self._keys.n_groups
        self._rows = len(frame)
        self._present = self._gid = None
        if self.n > _DENSE_GROUPS_MAX:
            self._present, self._gid = np.unique(self._keys.codes(slice(0, self._rows)), return_inverse=True)
            self.n = len(self._present)

    def codes(self, sl: slice) -> np.ndarray:
        """Group id of the rows of ``sl``."""
        return self._gid[sl] if self._gid is not None else self._keys.codes(sl)

    @property
    def gid(self) -> np.ndarray:
        """Group id of every row."""
        return self.codes(slice(0, self._rows))

    def keys(self, present: np.ndarray) -> pd.DataFrame:
        """Key values of the groups ``present``."""
        present = self._present[present] if self._present is not None else present
        return _keys_frame(present, self.uniques).reset_index(drop=True)


def resolve_by(by: Iterable[str] | str | None, frame: pd.DataFrame) -> list[str]:
    by = [by] if isinstance(by, str) else list(by or [])
    missing = [k for k in by if k not in frame.columns]
    if missing:
        raise UnknownNameError("grouping column", missing[0], frame.columns)
    return by


def groups(frame: pd.DataFrame, by: Iterable[str] | str | None) -> Groups:
    """Group ids of ``frame`` over ``by`` (see :func:`group_codes`)."""
    return Groups(frame, resolve_by(by, frame))


def chunks(n_rows: int, cells: int = 0) -> Iterator[slice]:
    """Slices of :data:`CHUNK_ROWS` rows, or of ``cells`` rows when the per-chunk sums have more
    cells than that (a chunk's bincount then stays proportional to its rows)."""
    step = max(CHUNK_ROWS, cells)
    for first in range(0, n_rows, step):
        yield slice(first, min(first + step, n_rows))


class CellSums:
    """Per-cell sums of a weight and counts of rows, accumulated chunk by chunk."""

    def __init__(self, size: int):
        self.size = size
        self.weight = np.zeros(size)
        self.rows = np.zeros(size, dtype=np.int64)

    def add(self, cell: np.ndarray, weight: np.ndarray, ok: np.ndarray | None) -> None:
        """Add the rows of a chunk (only those of ``ok``, a mask, when given)."""
        if ok is not None:
            cell, weight = cell[ok], weight[ok]
        self.weight += np.bincount(cell, weight, minlength=self.size)
        self.rows += np.bincount(cell, minlength=self.size)


def require_column(frame: pd.DataFrame, column: str, canonical: dict[str, str], what: str) -> None:
    if column not in frame.columns:
        raise InputFormatError(f"the {what} table has no '{column}' column; canonical columns are: "
                               + ", ".join(canonical), column=column,
                               code="missing_column", table=what, missing=column, columns=list(canonical))


def prepare(frame: pd.DataFrame, catalog: FactorCatalog | None, by, required: str, canonical: dict[str, str],
            what: str) -> tuple[FactorCatalog, Groups, RowChecker]:
    """The preamble of every domain assessment: the catalog (bundled by default), the required
    column, the groups of ``by`` and a row checker."""
    from .factors import load_catalog

    catalog = catalog if catalog is not None else load_catalog()
    require_column(frame, required, canonical, what)
    return catalog, groups(frame, by), RowChecker(frame)


class ZoneColumn:
    """Grid zone code of each row (``zone`` column, default France), chunk by chunk.

    Without a ``zone`` column every row is in the default zone: ``n`` is then 1 and
    :meth:`chunk` gives code 0 of that one-zone space (:meth:`expand` puts it back in place).
    """

    def __init__(self, frame: pd.DataFrame, catalog: FactorCatalog):
        self.zones = catalog.zones
        self.default = self.zones.get_loc(DEFAULT_ZONE) if DEFAULT_ZONE in self.zones else None
        if "zone" in frame.columns:
            self.column = _CodeColumn(frame["zone"], self.zones)
            self.n = len(self.zones)
        elif self.default is None:
            raise InputFormatError(f"no 'zone' column and the catalog has no default zone {DEFAULT_ZONE}",
                                   column="zone", code="no_zone_column", zone=DEFAULT_ZONE)
        else:
            self.column = None
            self.n = 1

    def chunk(self, check: RowChecker, sl: slice) -> np.ndarray | int:
        if self.column is None:
            return 0
        return check.codes(self.column, self.zones, "zone", what="electricity zone", default=self.default, sl=sl)

    def expand(self, values: np.ndarray, axis: int) -> np.ndarray:
        """``values`` over this column's zone space, as an array over all the catalog's zones."""
        if self.column is not None:
            return values
        shape = list(values.shape)
        shape[axis] = len(self.zones)
        out = np.zeros(shape, dtype=values.dtype)
        index = [slice(None)] * len(shape)
        index[axis] = slice(self.default, self.default + 1)
        out[tuple(index)] = values
        return out


def zone_codes(frame: pd.DataFrame, catalog: FactorCatalog, check: RowChecker) -> np.ndarray:
    """Grid zone code of each row (``zone`` column, default France)."""
    zone = ZoneColumn(frame, catalog)
    if zone.column is None:
        return np.full(len(frame), zone.default, dtype=np.int64)
    return zone.chunk(check, slice(0, len(frame)))


# --------------------------------------------------------------------------- catalog arrays
@dataclass(frozen=True)
class PreparedGrid:
    """Electricity factors of one year with their dense views: ``values`` with NaN → 0 and
    ``missing`` (1.0 where the catalog has no factor) [criterion unit/kWh]."""

    grid: GridFactors
    values: np.ndarray
    missing: np.ndarray


def _read_only(*arrays: np.ndarray) -> None:
    for array in arrays:
        array.setflags(write=False)


def prepared_grid(catalog: FactorCatalog, year: int) -> PreparedGrid:
    """Memoised on the catalog (see :meth:`FactorCatalog.prepared`)."""
    return catalog.prepared(_build_prepared_grid, year)


def _build_prepared_grid(catalog: FactorCatalog, year: int) -> PreparedGrid:
    """``catalog.grid(year)`` and its dense views, computed once per catalog and year (the
    catalog does not change once loaded; the arrays are read-only)."""
    grid = catalog.grid(year)
    prepared = PreparedGrid(grid, np.nan_to_num(grid.values), np.isnan(grid.values).astype(float))
    _read_only(grid.values, grid.source_year, prepared.values, prepared.missing)
    return prepared


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
