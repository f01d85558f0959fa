"""The kernel shared by every domain engine (equipment, network, hosting, lighting).

It is the one place for:

- **row rejections**: :class:`RowChecker` (and its store :class:`Rejections`) records every
  rejected input row with its file, row, column, value and reason; the first problem of a row
  wins, so ``rows_read = rows_assessed + rows_rejected`` always holds;
- **group codes**: :func:`group_codes` / :class:`Groups` give each row a dense integer group id
  over the grouping keys (``pd.factorize``, never ``np.unique`` on large arrays);
- **allocation** of embodied impacts to a year (:func:`embodied_share`) and the in-service
  fraction of the use phase (:func:`in_service_fraction`);
- **assembly** of a :class:`~sobriete.footprint.Footprint` from per-group arrays
  (:func:`make_footprint`, keyword-only) and the merge of row accounting
  (:meth:`~sobriete.footprint.DataQuality.combine`).

Inputs are read chunk by chunk (:data:`CHUNK_ROWS` rows, read at call time so tests can patch
it) through column adapters that give numpy views where the dtype allows (numbers, categorical
codes) and fetch the offending cells only for rejected rows; sums per cell are bincounts.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
import numpy as np
import pandas as pd

from .errors import InputFormatError, InputValueError, UnknownNameError
from .factors import PHASES, FactorCatalog, GridFactors, load_catalog
from .footprint import DataQuality, Footprint
from .notices import Notice
from .parsing import non_finite, to_float
from .schema import DEFAULT_ZONE, alias_table, normalise_name

__all__ = ["ALLOCATIONS", "CHUNK_ROWS", "REJECTED_COLUMNS", "CellSums", "Groups", "PreparedGrid", "Rejections",
           "RowChecker", "ZoneColumn", "build_footprint", "chunks", "embodied_share", "empty_values", "group_codes",
           "groups", "identical_rows", "in_service_fraction", "make_footprint", "prepare", "prepared_grid", "require_column",
           "resolve_by", "zone_codes"]

#: Rows processed at once: bounds the engine's working memory whatever the input's size.
CHUNK_ROWS = 1 << 16
#: Largest impact of one row in any criterion unit (ASSUMPTION, numerical guard, not a physical
#: bound: float64 ends at 1.8e308, so a sum of up to 10^18 rows below it stays finite). A row
#: above it (quantity 1e308, an energy of 1e300 kWh...) is rejected: it would overflow the totals.
MAX_ROW_IMPACT = 1e290
#: Above this many possible key combinations, group ids are compressed to the present ones.
_DENSE_GROUPS_MAX = 10_000_000


# --------------------------------------------------------------------------- validation
#: Columns of a frame of rejected rows.
REJECTED_COLUMNS = ["file", "row", "column", "value", "reason_code", "reason"]


class Rejections:
    """Rejected input rows with their reason: the only store of row rejections.

    Each :meth:`add` keeps the positions (row numbers in the input frame, from 0) as an array,
    never a frame; :meth:`frame` builds the one frame of all of them once (sorted by row, then
    column) and keeps it, however many years or scenarios are evaluated afterwards.

    Parameters
    ----------
    index : pandas.Index
        The input frame's index: its labels are reported as row numbers.
    files : ndarray of str, optional
        The source file of each input row (the ``_file`` column), if any.
    """

    def __init__(self, index: pd.Index, files: np.ndarray | None = None, masks=None):
        self.index = index
        self.files = files
        self._parts: list[tuple[np.ndarray, int, np.ndarray]] = []
        self._reasons: list[tuple[str, str, str]] = []
        self._frame: pd.DataFrame | None = None
        for positions, column, code, reason, values in masks or ():
            self.add(positions, column, code, reason, values)

    def add(self, positions: np.ndarray, column: str, code: str, reason: str, values) -> None:
        """Record the rows at ``positions`` as rejected on ``column`` for ``reason`` (stable
        ``code``); ``values`` are their offending cells."""
        if not len(positions):
            return
        key = (column, code, reason)
        try:
            reason_id = self._reasons.index(key)
        except ValueError:
            reason_id = len(self._reasons)
            self._reasons.append(key)
        self._parts.append((np.asarray(positions, dtype=np.int64), reason_id, np.asarray(values, dtype=object)))
        self._frame = None

    def __len__(self) -> int:
        """Number of rejected rows (a row rejected twice counts once)."""
        return len(self.positions())

    def positions(self) -> np.ndarray:
        """Sorted positions of the rejected rows, each once."""
        if not self._parts:
            return np.empty(0, dtype=np.int64)
        positions = np.sort(np.concatenate([p[0] for p in self._parts]))
        if len(positions) > 1:
            positions = positions[np.concatenate(([True], positions[1:] != positions[:-1]))]
        return positions

    def frame(self) -> pd.DataFrame:
        """One line per rejection: ``file, row, column, value, reason_code, reason``."""
        if self._frame is None:
            self._frame = self._build()
        return self._frame

    def _build(self) -> pd.DataFrame:
        if not self._parts:
            return _NO_REJECTIONS.copy(deep=False)
        positions = np.concatenate([p[0] for p in self._parts])
        reason = np.concatenate([np.full(len(p[0]), p[1], dtype=np.int32) for p in self._parts])
        values = np.concatenate([p[2] for p in self._parts])
        columns = np.array([r[0] for r in self._reasons], dtype=object)
        order = np.argsort(positions, kind="stable")
        if len(positions) > 1 and (np.diff(positions[order]) == 0).any():  # a row rejected on two columns
            order = np.lexsort((columns[reason], positions))
        positions, reason = positions[order], reason[order]
        def text(values) -> pd.Series:  # explicit object dtype: no string inference on 10^5 cells
            return pd.Series(values, dtype=object)

        return pd.DataFrame({
            "file": text(self.files[positions] if self.files is not None else np.full(len(positions), None)),
            "row": self.index.to_numpy()[positions],
            "column": text(columns[reason]),
            "value": text(values[order]),
            "reason_code": text(np.array([r[1] for r in self._reasons], dtype=object)[reason]),
            "reason": text(np.array([r[2] for r in self._reasons], dtype=object)[reason])})


_NO_REJECTIONS = pd.DataFrame(columns=REJECTED_COLUMNS)
#: Former private name, kept for the domain modules of other branches.
_Rejections = Rejections



#: How embodied impacts are allocated to the assessed year.
ALLOCATIONS = ("amortised", "at_purchase")


# --------------------------------------------------------------------------- allocation
def embodied_share(year, start_year, lifetime_years, *, allocation: str = "amortised"):
    """Share of a device's embodied impacts allocated to calendar ``year``.

    Parameters
    ----------
    year : int
        Assessed calendar year.
    start_year : numeric
        Start of service as a fractional year (2021.0 = 1 January 2021; 2021.5 ≈ 2 July);
        NaN when unknown.
    lifetime_years : numeric
        Lifetime [year], > 0.
    allocation : {'amortised', 'at_purchase'}, keyword-only
        ``amortised``: linear over the lifetime, the share of ``[year, year+1)`` that falls in
        ``[start, start+lifetime)``; 0 once fully amortised. ``at_purchase``: everything in the
        purchase year (GHG Protocol capital goods).

    Returns
    -------
    numeric
        Share in [0, 1], same type as ``start_year``. Unknown start (NaN): ``1/lifetime``, the
        steady-state share of a fleet renewed at the end of each lifetime, in both allocations.

    Notes
    -----
    amortised: ``max(0, min(year+1, start+L) - max(year, start)) / L``; over all years the
    shares sum to 1.

    Examples
    --------
    >>> float(embodied_share(2025, 2023.0, 5.0))
    0.2
    >>> float(embodied_share(2025, 2020.0, 5.0))
    0.0
    >>> float(embodied_share(2025, 2023.0, 2.5))
    0.2
    >>> float(embodied_share(2025, 2025.0, 5.0, allocation="at_purchase"))
    1.0
    """
    if allocation not in ALLOCATIONS:
        raise UnknownNameError("allocation", allocation, ALLOCATIONS)
    start = np.asarray(start_year, dtype=float)
    lifetime = np.asarray(lifetime_years, dtype=float)
    if allocation == "amortised":  # in place: one temporary for 10^6 rows, not five
        share = np.asarray(np.minimum(start + lifetime, year + 1.0))
        share -= np.maximum(start, float(year))
        np.maximum(share, 0.0, out=share)
        share /= lifetime
    else:
        share = (np.floor(start) == year).astype(float)
    undated = np.isnan(start)
    if undated.any():
        share = np.where(undated, 1.0 / lifetime, share)
    return _like(share, start_year)


def in_service_fraction(year, start_year):
    """Fraction of calendar ``year`` during which a device is in service (use phase).

    1 for a device in service since before the year or of unknown start; the remaining
    fraction for one started during the year; 0 for one started after it.

    Examples
    --------
    >>> float(in_service_fraction(2025, 2019.0))
    1.0
    >>> float(in_service_fraction(2025, 2025.75))
    0.25
    >>> float(in_service_fraction(2025, 2026.0))
    0.0
    """
    start = np.asarray(start_year, dtype=float)
    fraction = np.asarray(np.maximum(start, float(year)))
    np.subtract(year + 1.0, fraction, out=fraction)
    np.clip(fraction, 0.0, 1.0, out=fraction)
    undated = np.isnan(start)
    if undated.any():
        fraction[undated] = 1.0
    return _like(fraction, start_year)


def _like(result: np.ndarray, template):
    if isinstance(template, pd.Series):
        return pd.Series(result, index=template.index, name=template.name)
    return result


# --------------------------------------------------------------------------- grouping
def group_codes(frame: pd.DataFrame, by: Sequence[str]) -> tuple[np.ndarray, list[pd.Index]]:
    """Mixed-radix group code of each row over ``by`` (missing values form their own group),
    and the sorted unique values of each key."""
    keys = _GroupKeys(frame, by)
    return keys.codes(slice(0, len(frame))), keys.uniques


def _sorted_codes(series: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Code of each value among the sorted distinct values (missing values last).

    Integer keys of a compact range (site numbers, asset ids) are ranked through a presence
    table, without hashing: O(rows + range); anything else goes through ``pd.factorize``.

    Examples
    --------
    >>> codes, uniques = _sorted_codes(pd.Series([30, 10, 30, 20]))
    >>> codes.tolist(), uniques.tolist()
    ([2, 0, 2, 1], [10, 20, 30])
    """
    values = series.to_numpy()
    if values.dtype.kind in "iu" and len(values):
        low, high = int(values.min()), int(values.max())
        if high - low <= max(4 * len(values), 1 << 16) and high < 2**63:
            # int64: no wrap-around for small types (no copy for int64 keys from 0: site numbers)
            offset = values if low == 0 and values.dtype == np.int64 else np.subtract(values, low, dtype=np.int64)
            present = np.zeros(high - low + 1, dtype=bool)
            present[offset] = True
            rank = np.cumsum(present) - 1
            return rank.take(offset), pd.Index(np.flatnonzero(present) + low, dtype=values.dtype)
    codes, uniques = pd.factorize(series, sort=True, use_na_sentinel=False)
    return codes, pd.Index(uniques)


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
                codes, categories = _sorted_codes(series)
                self.missing_code.append(-1)
            self.arrays.append(codes)
            self.uniques.append(pd.Index(categories, name=name))
        self.n_groups = int(np.prod([max(len(u), 1) for u in self.uniques])) if self.uniques else 1

    def codes(self, sl: slice) -> np.ndarray:
        if len(self.arrays) == 1:  # one key: its codes are the group ids
            part = self.arrays[0][sl]
            if self.missing_code[0] >= 0:
                return np.where(part < 0, self.missing_code[0], part).astype(np.int64, copy=False)
            return part.astype(np.int64, copy=False)
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

    With ``normalise`` (a mapping of aliases to ids), names are matched through
    :func:`sobriete.schema.normalise_name` (case, accents, spaces and punctuation folded) after
    replacing the aliases; each distinct name is normalised once.
    """

    def __init__(self, series: pd.Series, valid: pd.Index, normalise: dict[str, str] | None = None):
        self.series = series
        self.valid = valid
        self.mapping = None
        if isinstance(series.dtype, pd.CategoricalDtype):
            self.codes = series.cat.codes.to_numpy()
            names = pd.Index(series.cat.categories.astype(str))
        elif normalise is not None:
            self.codes, names = pd.factorize(series)
            names = pd.Index(names)
        else:
            return
        if normalise is not None:
            lookup = {normalise_name(v): i for i, v in enumerate(valid)}
            lookup.update({k: valid.get_loc(v) for k, v in alias_table(normalise).items() if v in valid})
            found = [lookup.get(normalise_name(name), -1) for name in names]
            self.mapping = np.append(np.asarray(found, dtype=np.int64), -2)
        else:
            self.mapping = np.append(valid.get_indexer(names), -2)

    def chunk(self, sl: slice) -> np.ndarray:
        if self.mapping is not None:
            return self.mapping[self.codes[sl]]  # code -1 (missing) takes the appended -2
        part = self.series.iloc[sl]
        codes = self.valid.get_indexer(part.astype(object))
        return np.where(part.isna().to_numpy(), -2, codes)

    def raw(self, positions: np.ndarray) -> np.ndarray:
        if isinstance(self.series.dtype, pd.CategoricalDtype):  # the names, without a pandas take
            names = np.append(np.asarray(self.series.cat.categories, dtype=object), None)
            return names[self.codes[positions]]
        return self.series.iloc[positions].astype(object).to_numpy()


def _numeric(series: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """float64 values and a mask of cells that were given but are not numbers; text is read by the
    one number parser (:func:`sobriete.parsing.to_float`: French decimal commas, thousands spaces,
    non-finite spellings flagged). Numeric columns pass as they are: their infinities are
    rejected by :meth:`RowChecker.number` with their own reason."""
    if pd.api.types.is_numeric_dtype(series.dtype) and not pd.api.types.is_bool_dtype(series.dtype):
        values = series.to_numpy(dtype=float, na_value=np.nan)
        return values, np.zeros(len(values), dtype=bool)
    values, bad = to_float(series)
    # "inf", "-Infinity", "1e400" are infinite numbers, rejected as such (not as text); "nan" stays bad
    spelled = non_finite(series)
    if spelled.any():
        nan_text = series.astype("string").str.casefold().str.contains("nan", regex=False)
        infinite = spelled & ~nan_text.fillna(False).to_numpy(dtype=bool)
        values, bad = np.where(infinite, np.inf, values), bad & ~infinite
    return values, bad


def _lookup(series: pd.Series, valid: pd.Index) -> np.ndarray:
    """Integer code of each value in ``valid`` (-1 when unknown or missing)."""
    return np.maximum(_CodeColumn(series, valid).chunk(slice(0, len(series))), -1)



def _coverage_warnings(uncovered: np.ndarray, criteria: Sequence[str]) -> tuple[str, ...]:
    """One notice per criterion naming the phases some assessed rows have no factor for."""
    totals = uncovered.sum(axis=0).round().astype(np.int64)  # (criterion, phase)
    return _coverage_notices(tuple(criteria), totals.shape, totals.tobytes())


@lru_cache(maxsize=256)
def _coverage_notices(criteria: tuple[str, ...], shape: tuple[int, int], totals: bytes) -> tuple[str, ...]:
    """The notices of :func:`_coverage_warnings` for rows without a factor ``totals``
    (memoised: many evaluations of one input give the same notices)."""
    counts = np.frombuffer(totals, dtype=np.int64).reshape(shape)
    out = []
    for k, criterion in enumerate(criteria):
        rows = {phase: int(counts[k, j]) for j, phase in enumerate(PHASES) if counts[k, j]}
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
        self.rejections = Rejections(frame.index, files)

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
            self.rejections.add(positions, column, code, reason, _cells(values, positions))
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
        self.finite(values, column, what=what, source=source, start=sl.start)
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

    def finite(self, values: np.ndarray, column: str, *, what: str, source=None, start: int = 0) -> None:
        """Reject the rows whose value is infinite (``inf``, ``-inf``, or a number too large
        for float64 such as ``1e309``); NaN means missing and is left to the other checks."""
        self.reject(np.isinf(values), column, f"infinite_{column}", f"{what} is not a finite number", source,
                    start=start)

    @property
    def n_rejected(self) -> int:
        return int(np.count_nonzero(self.bad))

    def quality(self, counts: dict[str, int], warnings: Iterable[str]) -> DataQuality:
        """The row accounting: rows read, assessed and rejected (with the rejections frame)."""
        n_rejected = self.n_rejected
        return DataQuality(rows_read=self.n, rows_assessed=self.n - n_rejected, rows_rejected=n_rejected,
                           rejected=self.rejections.frame(), counts=dict(counts),
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
            self._gid, self._present = pd.factorize(self._keys.codes(slice(0, self._rows)), sort=True)
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


def identical_rows(codes: Sequence[np.ndarray], values: Sequence[np.ndarray] = ()
                   ) -> tuple[np.ndarray, np.ndarray] | None:
    """Rows that agree on every integer code and every value, merged: the cell of each row and
    the first row of each cell (cells in order of first appearance), or None when the
    combinations cannot be coded in one int64 (the rows are then kept as they are).

    A prepared input evaluated many times sums its quantities per cell once and evaluates the
    cells: every sum the engines take is linear in the quantity, so the results are the same.

    Parameters
    ----------
    codes : sequence of ndarray
        Non-negative integer codes per row (groups, categories, zones...).
    values : sequence of ndarray
        Other columns (years, powers...); NaN is one value.

    Examples
    --------
    >>> cell, first = identical_rows([np.array([0, 1, 0, 0])], [np.array([2020.0, 2021.0, 2020.0, np.nan])])
    >>> cell.tolist(), first.tolist()
    ([0, 1, 0, 2], [0, 1, 3])
    """
    columns = [(np.asarray(code, dtype=np.int64), int(code.max(initial=0)) + 1) for code in codes]
    for value in values:
        code, uniques = pd.factorize(value, use_na_sentinel=False)
        columns.append((code.astype(np.int64, copy=False), len(uniques) + 1))
    if np.prod([float(size) for _, size in columns]) >= 2.0 ** 62:
        return None
    n_rows = len(columns[0][0]) if columns else 0
    key = np.zeros(n_rows, dtype=np.int64)
    for code, size in columns:
        key *= size
        key += code
    cell, uniques = pd.factorize(key)
    first = np.empty(len(uniques), dtype=np.int64)
    first[cell[::-1]] = np.arange(n_rows)[::-1]
    return cell.astype(np.int64, copy=False), first


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


def make_footprint(*, values: np.ndarray, uncovered: np.ndarray, energy_kwh: np.ndarray, keys: pd.DataFrame,
                   catalog: FactorCatalog, meta: dict, quality: DataQuality, warnings: Sequence[str] = (),
                   rows: pd.DataFrame | None = None) -> Footprint:
    """The one assembly of a :class:`~sobriete.footprint.Footprint` (keyword-only).

    Parameters
    ----------
    values, uncovered : ndarray, shape (n_groups, n_criteria, n_phases)
        Impacts [criterion unit] and rows without a factor, per group kept.
    energy_kwh : ndarray, shape (n_groups,)
        Use-phase electricity [kWh].
    keys : DataFrame
        One row per group, one column per grouping key.
    catalog : FactorCatalog
        Gives the criteria, their units, the version and the hash.
    meta : dict
        Domain, year, allocation, ``by``...
    quality : DataQuality
        Row accounting; ``warnings`` and one coverage notice per criterion with missing
        factors are added to its warnings (each once).
    rows : DataFrame, optional
        Per-row detail.

    Raises
    ------
    InputValueError
        If a value is not finite (an overflow that the row checks did not catch).
    """
    if not (np.isfinite(values).all() and np.isfinite(energy_kwh).all()):
        raise InputValueError("the result is not finite (an overflow): reduce the inputs' magnitudes",
                              code="result_not_finite")
    quality = replace(quality, warnings=tuple(dict.fromkeys(
        (*quality.warnings, *warnings, *_coverage_warnings(uncovered, catalog.criteria)))))
    return Footprint(values=values, keys=keys.reset_index(drop=True), criteria=catalog.criteria,
                     units=tuple(catalog.criterion_units[c] for c in catalog.criteria), energy_kwh=energy_kwh,
                     uncovered=uncovered, catalog_version=catalog.version, catalog_hash=catalog.hash,
                     meta=meta, quality=quality, phases=PHASES, rows=rows)


def build_footprint(values: np.ndarray, uncovered: np.ndarray, energy_kwh: np.ndarray, rows_per_group: np.ndarray,
                    grouping: Groups, catalog: FactorCatalog, meta: dict, quality: DataQuality,
                    warnings: Sequence[str] = ()) -> Footprint:
    """A Footprint from per-group arrays over all groups of ``grouping``, keeping the groups
    with rows (see :func:`make_footprint`)."""
    present = np.flatnonzero(rows_per_group)
    return make_footprint(values=values[present], uncovered=uncovered[present], energy_kwh=energy_kwh[present],
                          keys=grouping.keys(present), catalog=catalog, meta={**meta, "by": list(grouping.by)},
                          quality=quality, warnings=warnings)


def empty_values(n_groups: int, catalog: FactorCatalog) -> tuple[np.ndarray, np.ndarray]:
    shape = (n_groups, len(catalog.criteria), len(PHASES))
    return np.zeros(shape), np.zeros(shape)
