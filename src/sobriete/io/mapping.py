"""Apply a profile to a raw source table: canonical columns, values and units.

The stages after reading and recognising the profile, each called once, in order, by
:func:`map_table`:

1. :func:`map_headers` — which source columns feed each canonical column (with their unit),
   repeated headers, columns no rule names (done once: detection hands its result on);
2. ``_check_columns`` — required columns present, repeated headers identical (else refused),
   unreadable columns unused;
3. ``_convert_values`` — numbers, dates and units through :mod:`sobriete.parsing`;
4. ``_check_rows`` — the reader's bad rows, excluded statuses, non-finite numbers, values the
   profile or the catalog cannot map (one reason per row, the first found);
5. ``_complete`` — size refinements, defaults, copied columns, then the result with its counts.

Everything is vectorised over columns; value maps work on the distinct values of a column.
Rows that cannot be mapped are rejected here, each with its file, row, column, value and
reason; value checks on canonical columns (negative quantity, future dates...) are left to
the engine, which reports them the same way.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from ..errors import InputFormatError, SobrieteError
from ..footprint import DataQuality
from ..notices import Notice
from ..parsing import non_finite, parse_dates, parse_numbers
from ..schema import normalise_name
from ..units import conversion_factor
from .convert import distinct, recode
from .domains import DOMAINS, InputDomain
from .profiles import Profile
from .readers import RawTable, refused_column

REJECTED_COLUMNS = ["file", "row", "column", "value", "reason_code", "reason"]
UNMAPPED_COLUMNS = ["column", "value", "count", "suggestion", "maps_to"]
#: Reasons of the rows rejected while reading (``reason_code`` is stable, for translations).
REASONS = {
    "out_of_inventory": "device no longer in the inventory (status {value!r}): excluded",
    "unmapped_value": "value not known to the profile or the catalog: add it to the profile's values",
    "non_finite_number": "not a finite number (inf, -inf or nan): give the value or leave the cell empty",
}


@dataclass(frozen=True)
class InputResult:
    """What was read: the canonical frame, the rejected rows and what the profile could not map.

    Attributes
    ----------
    frame : DataFrame
        Canonical columns of the domain, then grouping keys; index = source row number (CSV line,
        Excel row, 1-based Parquet row); ``_file`` = source file name.
    rejected : DataFrame
        ``file, row, column, value, reason_code, reason``: rows that could not be read or mapped.
    rows_read : int
        ``len(frame)`` + distinct rejected rows.
    unmapped : DataFrame
        ``column, value, count, suggestion, maps_to``: source values no rule maps.
    warnings : list of str
    counts : dict
        ``files``, ``blank_rows_skipped``, ``duplicate_rows``, ``duplicate_serials``...
    profiles : dict
        ``{file name: profile name}``: the profile each file was read with.
    headers : dict
        ``{file name: {canonical column: the file's header}}``, so that the rows the engine
        rejects name the column as the file writes it (``Quantité``, not ``quantity``).
    """

    frame: pd.DataFrame
    rejected: pd.DataFrame
    rows_read: int
    unmapped: pd.DataFrame
    warnings: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    profiles: dict[str, str] = field(default_factory=dict)
    headers: dict[str, dict[str, str]] = field(default_factory=dict)

    @property
    def rows_rejected(self) -> int:
        return self.rows_read - len(self.frame)

    @property
    def quality(self) -> DataQuality:
        """Row accounting of the reading step (``rows_assessed`` = rows handed to the engine)."""
        return DataQuality(self.rows_read, len(self.frame), self.rows_rejected, self.rejected, dict(self.counts),
                           tuple(self.warnings))

    def combine_quality(self, engine: DataQuality) -> DataQuality:
        """Row accounting of reading + assessment: rows read in the files = rows assessed by the
        engine + rows rejected by either.

        Raises
        ------
        InputFormatError
            If ``engine`` did not assess this result's frame (its rows read differ).
        """
        if engine.rows_read != len(self.frame):
            raise InputFormatError(f"the engine read {engine.rows_read} rows but the inputs gave "
                                   f"{len(self.frame)}: combine the quality of the same frame",
                                   code="rows_do_not_reconcile", read=engine.rows_read, assessed=len(self.frame),
                                   rejected=0)
        rejected = pd.concat([f for f in (self.rejected, as_written(engine.rejected, self.headers)) if len(f)]
                             or [self.rejected], ignore_index=True)
        rejected = in_file_order(rejected, list(self.profiles))
        counts = {**self.counts, **engine.counts}
        return DataQuality(self.rows_read, engine.rows_assessed, self.rows_rejected + engine.rows_rejected,
                           rejected, counts, tuple(dict.fromkeys((*self.warnings, *engine.warnings))))




def as_written(rejected: pd.DataFrame, headers: Mapping[str, Mapping[str, str]]) -> pd.DataFrame:
    """Rejected rows with each canonical column named by its file's header
    (:attr:`InputResult.headers`): ``Quantité`` where the engine says ``quantity``.

    Examples
    --------
    >>> rows = pd.DataFrame({"file": ["a.csv", "b.csv"], "row": [3, 2], "column": ["quantity", "quantity"]})
    >>> as_written(rows, {"a.csv": {"quantity": "Quantité"}})["column"].tolist()
    ['Quantité', 'quantity']
    """
    if not len(rejected) or not headers or not {"file", "column"} <= set(rejected.columns):
        return rejected
    named = [headers.get(f, {}).get(c, c) for f, c in zip(rejected["file"], rejected["column"])]
    return rejected.assign(column=named)


def in_file_order(rejected: pd.DataFrame, files: Sequence[str]) -> pd.DataFrame:
    """Rejected rows file by file (in ``files``' order, others last) and row by row, whichever
    step rejected them, as a reader goes through the files.

    Examples
    --------
    >>> rows = pd.DataFrame({"file": ["b.csv", "a.csv", "b.csv"], "row": [9, 4, 2]})
    >>> in_file_order(rows, ["b.csv", "a.csv"]).values.tolist()
    [['b.csv', 2], ['b.csv', 9], ['a.csv', 4]]
    """
    if len(rejected) < 2 or not {"file", "row"} <= set(rejected.columns):
        return rejected
    order = {name: i for i, name in enumerate(files)}
    file_rank = rejected["file"].map(order).fillna(len(order)).to_numpy()
    rows = pd.to_numeric(rejected["row"], errors="coerce").fillna(-1).to_numpy()
    return rejected.iloc[np.lexsort((rows, file_rank))].reset_index(drop=True)


@dataclass(frozen=True)
class HeaderMap:
    """Stage 1: how a profile reads a table's headers.

    Attributes
    ----------
    profile : Profile
    found : dict
        ``{canonical column: [(frame column, unit or None), ...]}`` in the profile's order.
    unmatched : list of str
        Frame columns no rule names.
    repeats : dict
        ``{frame column: [frame columns repeating its header]}`` (``category;category``).
    """

    profile: Profile
    found: dict[str, list[tuple[str, str | None]]]
    unmatched: list[str]
    repeats: dict[str, list[str]] = field(default_factory=dict)

    @property
    def missing(self) -> list[tuple[str, ...]]:
        """Required column groups of the profile's domain that no header gives."""
        return DOMAINS[self.profile.domain].missing(self.found)


def resolve_headers(columns: Iterable[str], profile: Profile) -> tuple[dict[str, list[tuple[str, str | None]]],
                                                                      list[str]]:
    """Source headers feeding each canonical column (in the profile's order, with their unit),
    and the source headers no rule names.

    Examples
    --------
    >>> from sobriete.io import load_profile
    >>> found, other = resolve_headers(["Type ", "PUISSANCE (kW)", "Couleur"], load_profile("glpi"))
    >>> found["category"], found["power_w"], other
    ([('Type ', None)], [('PUISSANCE (kW)', 'kW')], ['Couleur'])
    """
    header_map = map_headers(list(columns), profile)
    return header_map.found, header_map.unmatched


def map_headers(columns: list[str], profile: Profile, headers: Iterable[str] | None = None) -> HeaderMap:
    """Stage 1 (:class:`HeaderMap`) for frame ``columns`` whose source headers are ``headers``
    (default: the columns themselves)."""
    headers = list(headers) if headers is not None else [str(c) for c in columns]
    lookup = profile.header_lookup()
    found: dict[str, list[tuple[int, str, str | None]]] = {}
    unmatched, first_of, repeats = [], {}, {}
    for column, header in zip(columns, headers):
        key = normalise_name(header)
        if key in first_of:  # the same header again: checked against the first, never a second source
            repeats.setdefault(first_of[key], []).append(column)
            continue
        first_of[key] = column
        hit = lookup.get(key)
        if hit is None:
            unmatched.append(column)
        else:
            found.setdefault(hit[0], []).append((hit[1], column, hit[2]))
    ordered = {c: [(h, u) for _, h, u in sorted(v, key=lambda x: x[0])] for c, v in found.items()}
    return HeaderMap(profile, ordered, unmatched, repeats)


def _convert(column: str, series: pd.Series, unit: str | None, decimal: str, file: str,
             spec: InputDomain, kind: str = "csv") -> pd.Series:
    if column in spec.numeric:
        factor = 1.0
        if unit is not None:
            factor = conversion_factor(unit, spec.units[column], file=file, column=str(series.name))
        parsed = parse_numbers(series, decimal=decimal, factor=factor)
        return _with_typed_units(parsed, spec.units[column], decimal) if column in spec.units else parsed
    if column in spec.dates:
        return parse_dates(_excel_serials(series) if kind == "xlsx" else series)
    return series


#: Excel day numbers read as dates in a date column of a sheet: 1 January 1950 to 31 December 2099.
_SERIALS = (18_264, 73_050)


def _excel_serials(series: pd.Series) -> pd.Series:
    """A sheet's date column whose cells lost their date format (« 44197 » for 1 January 2021):
    whole numbers of :data:`_SERIALS` as dates (Excel's 1900 system, day 0 = 30 December
    1899); other cells as they are.

    Examples
    --------
    >>> _excel_serials(pd.Series([44197, "15/03/2019", 12.5, None], dtype=object)).tolist()
    [Timestamp('2021-01-01 00:00:00'), '15/03/2019', 12.5, None]
    """
    if series.dtype != object and not pd.api.types.is_numeric_dtype(series.dtype):
        return series
    codes, uniques = pd.factorize(series, use_na_sentinel=True)  # each distinct cell once
    days = np.array([float(v) if isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, bool)
                     else np.nan for v in uniques], dtype=np.float64)
    serial = (days >= _SERIALS[0]) & (days <= _SERIALS[1]) & (days % 1 == 0)
    if not serial.any():
        return series
    values = np.array([*uniques, None], dtype=object)
    values[:-1][serial] = list(pd.Timestamp("1899-12-30") + pd.to_timedelta(days[serial], unit="D"))
    return pd.Series(values[codes], index=series.index, name=series.name, dtype=object)


#: A number followed by its unit in one cell: « 150 W », « 0,06 kW », « 1 200 kWh/an ».
_NUMBER_AND_UNIT = re.compile(r"^\s*([-+]?[\d\s\u00a0\u202f.,]*\d)\s*([^\d\s.,+-][^\s]*(?:\s?/\s?\S+)?)\s*$")


def _with_typed_units(parsed: pd.Series, unit: str, decimal: str) -> pd.Series:
    """Cells left as text by :func:`parse_numbers` that are a number and a unit of the
    column's dimension (« 150 W » or « 0,06 kW » where watts are expected) as numbers in the
    canonical ``unit``; other texts stay (their rows are rejected with the value as typed).

    Examples
    --------
    >>> _with_typed_units(pd.Series([150.0, "150 W", "0,06 kW", "12 kg", "n/a"], dtype=object), "W", ",").tolist()
    [150.0, 150.0, 60.0, '12 kg', 'n/a']
    """
    if parsed.dtype != object:
        return parsed
    codes, uniques = pd.factorize(parsed, use_na_sentinel=True)
    converted, changed = list(uniques), False
    for i, value in enumerate(uniques):
        found = _NUMBER_AND_UNIT.match(value) if isinstance(value, str) else None
        if found is None:
            continue
        number = parse_numbers(pd.Series([found.group(1)]), decimal=decimal).iloc[0]
        try:
            factor = conversion_factor(found.group(2), unit)
        except SobrieteError:
            continue
        if isinstance(number, float) and np.isfinite(number):
            converted[i], changed = float(number * factor), True
    if not changed:
        return parsed
    values = np.array([*converted, np.nan], dtype=object)[codes]
    out = pd.Series(values, index=parsed.index, name=parsed.name, dtype=object)
    return out.astype(np.float64) if all(isinstance(v, float) for v in converted) else out


def _coalesce(parts: list[pd.Series]) -> pd.Series:
    out = parts[0]
    for part in parts[1:]:
        out = out.where(out.notna(), part)
    return out


class _Rejections:
    """Row-level rejections of one table (first reason per row wins)."""

    def __init__(self, table: RawTable):
        self.table = table
        self.bad = np.zeros(len(table.frame), dtype=bool)
        self.parts: list[pd.DataFrame] = []
        if len(table.bad_rows):
            self.parts.append(table.bad_rows.assign(file=Path(table.file).name)[REJECTED_COLUMNS])

    def add(self, mask: np.ndarray, column: str, code: str, values: pd.Series) -> None:
        mask = mask & ~self.bad
        if not mask.any():
            return
        self.bad |= mask
        vals = values.iloc[np.flatnonzero(mask)].to_numpy(dtype=object)
        reasons = [REASONS[code].format(value=v) for v in vals] if "{value" in REASONS[code] else REASONS[code]
        self.parts.append(pd.DataFrame({
            "file": Path(self.table.file).name, "row": self.table.frame.index.to_numpy()[mask], "column": column,
            "value": vals, "reason_code": code, "reason": reasons}))

    def frame(self) -> pd.DataFrame:
        if not self.parts:
            return pd.DataFrame(columns=REJECTED_COLUMNS)
        return pd.concat(self.parts, ignore_index=True).sort_values("row", kind="stable").reset_index(drop=True)


def map_table(table: RawTable, profile: Profile, *, valid: Mapping[str, Iterable[str]],
              headers: HeaderMap | None = None, keep: Iterable[str] = ()) -> InputResult:
    """Map a raw table to the profile's canonical columns (stages 1 to 5 of the module docstring).

    Parameters
    ----------
    table : RawTable
    profile : Profile
    valid : mapping
        Known values of the domain's checked columns (``category``: catalog category ids,
        ``zone``: catalog zones...; see :data:`sobriete.io.domains.DOMAINS`).
    headers : HeaderMap, optional
        Stage 1 already done (by profile detection) for this table and profile.
    keep : iterable of str
        Headers of columns the profile does not use, kept as they are (grouping keys);
        compared normalised (:func:`sobriete.schema.normalise_name`).

    Returns
    -------
    InputResult
        ``rows_read = len(frame) + rows rejected`` (the reader's bad rows included).
    """
    name = Path(table.file).name
    spec = DOMAINS[profile.domain]
    if headers is None or headers.profile != profile:
        headers = map_headers(list(table.frame.columns), profile, table.headers or None)
    wanted = {normalise_name(k) for k in keep}
    kept = [h for h in headers.unmatched if headers.profile.keep_unmapped or normalise_name(table.header_of(h)) in wanted]
    warnings = _check_columns(table, headers, kept)
    duplicated = count_duplicate_rows(table.frame) if len(table.frame) and table.frame.shape[1] else None
    data, source_of = _convert_values(table, headers, spec, kept)
    rejections, unmapped = _check_rows(table, data, source_of, profile, spec, valid)
    result = _complete(table, profile, spec, data, rejections, unmapped, warnings, duplicated, name)
    return replace(result, headers={name: {c: h for c, h in source_of.items() if c != h}})


def _check_columns(table: RawTable, headers: HeaderMap, kept: Iterable[str] = ()) -> list:
    """Stage 2: required columns, repeated headers and unreadable columns."""
    raw, profile, name = table.frame, headers.profile, Path(table.file).name
    for group in headers.missing:
        expected = [s.name for c in group for s in profile.columns.get(c, [])] + list(group)
        what = "the equipment category" if group == ("category",) else f"the {profile.domain} column '{group[0]}'"
        raise InputFormatError(
            f"no column gives {what} with profile '{profile.name}': expected one of "
            f"{', '.join(repr(e) for e in expected)}; the file's columns are "
            f"{', '.join(repr(str(c)) for c in raw.columns[:20])}", file=table.file, column=group[0],
            code="no_column_for", target=group[0], profile=profile.name, expected=expected,
            columns=[str(c) for c in raw.columns[:20]])
    warnings = []
    used = {h for sources in headers.found.values() for h, _ in sources}
    if profile.keep_unmapped:
        used |= set(headers.unmatched)
    for first, repeats in headers.repeats.items():
        if first not in used:
            continue
        positions = [list(raw.columns).index(c) + 1 for c in [first, *repeats]]
        header = table.header_of(first)
        for repeat in repeats:
            differ = _differing_row(raw[first], raw[repeat])
            if differ is not None:
                raise InputFormatError(
                    f"the column '{header}' appears {len(positions)} times (columns "
                    f"{', '.join(map(str, positions))}) with different values (row {differ[0]}: {differ[1]!r} / "
                    f"{differ[2]!r}): keep one of them", file=table.file, row=differ[0], column=header,
                    code="repeated_column_differs", header=header, count=len(positions),
                    positions=", ".join(map(str, positions)), first=differ[1], other=differ[2])
        warnings.append(Notice("repeated_column", f"{name}: the column '{header}' appears {len(positions)} times "
                               f"(columns {', '.join(map(str, positions))}) with the same values; the first is used",
                               file=name, column=header, count=len(positions),
                               positions=", ".join(map(str, positions))))
    for column, kind in table.refused.items():
        if map_headers([column], profile).found:
            raise refused_column(table, column, kind)
        warnings.append(Notice("refused_column", f"{name}: column '{column}' of type {kind} ignored (not used by "
                               f"profile '{profile.name}')", file=name, column=column, kind=kind,
                               profile=profile.name))
    unused = [c for c in headers.unmatched if c not in set(kept)]
    if unused and not profile.keep_unmapped:
        shown = ", ".join(repr(str(c)) for c in unused[:12]) + (" …" if len(unused) > 12 else "")
        warnings.append(Notice("unused_columns", f"{name}: {len(unused)} column(s) not used by profile "
                               f"'{profile.name}': {shown}", file=name, count=len(unused),
                               profile=profile.name, columns=shown))
    return warnings


def _differing_row(first: pd.Series, other: pd.Series) -> tuple[int, object, object] | None:
    """The first row where two columns differ (missing equals missing), or None."""
    a, b = first.astype(object), other.astype(object)
    differ = ~((a == b) | (a.isna() & b.isna())).to_numpy(dtype=bool)
    if not differ.any():
        return None
    i = int(np.flatnonzero(differ)[0])
    return int(first.index[i]), a.iloc[i], b.iloc[i]


def _convert_values(table: RawTable, headers: HeaderMap, spec: InputDomain,
                    kept: Iterable[str] = ()) -> tuple[dict, dict]:
    """Stage 3: each canonical column from its sources (numbers, dates, units), coalesced in the
    profile's order; the ``kept`` columns no rule names as they are."""
    raw = table.frame
    data: dict[str, pd.Series] = {}
    source_of: dict[str, str] = {}
    for column, sources in headers.found.items():
        parts = [_convert(column, raw[h], unit, table.decimal, table.file, spec, table.kind) for h, unit in sources]
        data[column] = _coalesce(parts).rename(column)
        source_of[column] = table.header_of(sources[0][0])
    for header in kept:
        data.setdefault(str(header), raw[header])
        source_of.setdefault(str(header), str(header))
    return data, source_of


def _check_rows(table: RawTable, data: dict, source_of: dict, profile: Profile, spec: InputDomain,
                valid: Mapping[str, Iterable[str]]) -> tuple[_Rejections, list[pd.DataFrame]]:
    """Stage 4: one reason per rejected row, the first found: the reader's bad rows, excluded
    statuses, non-finite numbers, unmapped values (values are recoded in ``data`` in place)."""
    rejections = _Rejections(table)
    for column, excluded in profile.exclude.items():
        if column in data:
            hit = _normalised_isin(data[column], excluded)
            rejections.add(hit, source_of[column], "out_of_inventory", data[column])
    for column in sorted(set(data) & spec.numeric):
        rejections.add(non_finite(data[column]), source_of[column], "non_finite_number", data[column])
    unmapped_parts = []
    for column in sorted(set(data) & (set(profile.values) | spec.checked)):
        checked = column in spec.checked and column in valid
        before = data[column]
        lookup = {**{normalise_name(k): v for k, v in spec.aliases.get(column, {}).items()},
                  **profile.value_lookup(column)}
        data[column], unknown = _map_values(before, lookup,
                                            valid.get(column, ()) if checked else (), strict=checked)
        if unknown is not None:
            newly = unknown & ~rejections.bad
            rejections.add(newly, source_of[column], "unmapped_value", before)
            if newly.any():
                unmapped_parts.append(_unmapped_table(before[newly], source_of[column], profile, column,
                                                      valid.get(column, ())))
    return rejections, unmapped_parts


def _complete(table: RawTable, profile: Profile, spec: InputDomain, data: dict, rejections: _Rejections,
              unmapped_parts: list[pd.DataFrame], warnings: list, duplicated: int | None, name: str) -> InputResult:
    """Stage 5: refinements, defaults, copied columns, counts and warnings; the kept rows."""
    raw = table.frame
    _refine(data, profile)
    n = len(raw)
    for column, value in profile.defaults.items():
        if column not in data:
            data[column] = (pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [value]), index=raw.index)
                            if isinstance(value, str) else pd.Series(value, index=raw.index))
        else:
            series = data[column]
            if isinstance(series.dtype, pd.CategoricalDtype):
                data[column] = _fill_categorical(series, value)
            else:
                text = pd.api.types.is_string_dtype(series.dtype) and not isinstance(value, str)
                data[column] = (series.astype(object) if text else series).fillna(value)
    for target, source in profile.copy_columns.items():
        if source in data and target not in data:
            data[target] = data[source].rename(target)
    ordered = [c for c in spec.columns if c in data]
    data = {c: data[c] for c in ordered + [c for c in data if c not in ordered]}
    data["_file"] = pd.Series(pd.Categorical.from_codes(np.zeros(n, dtype=np.int8), [name]), index=raw.index)
    counts = {"blank_rows_skipped": table.blank_rows}
    if len(table.bad_rows):
        counts["rows_too_many_fields"] = len(table.bad_rows)
    if "status" in data and "status" in spec.checked:
        counts["rows_in_stock"] = int(((data["status"] == "in_stock").to_numpy(dtype=bool) & ~rejections.bad).sum())
    warnings = _duplicate_warnings(duplicated, data.get("serial"), name, counts) + warnings
    if not n and not len(table.bad_rows):  # a header and nothing else: say so, "0 = 0 + 0" alone looks like success
        warnings.insert(0, Notice("no_rows", f"{name}: no data rows (only the header)", file=name))
    if table.skipped_sheets:
        skipped = ", ".join(table.skipped_sheets)
        warnings.insert(0, Notice("sheet_chosen", f"{name}: sheet {table.sheet!r} read (sheet(s) {skipped} hold no "
                                  "table a profile reads)", file=name, sheet=table.sheet, skipped=skipped))
    if table.title_rows:
        warnings.insert(0, Notice("title_rows", f"{name}: {len(table.title_rows)} title line(s) above the header "
                                  f"skipped (row(s) {', '.join(map(str, table.title_rows))})", file=name,
                                  count=len(table.title_rows), rows=", ".join(map(str, table.title_rows))))
    if table.blank_rows:
        warnings.insert(0, Notice("blank_rows", f"{name}: {table.blank_rows} blank row(s) skipped", file=name,
                                  count=table.blank_rows))
    kept = _keep_rows(data, ~rejections.bad, raw.index)
    unmapped = pd.concat(unmapped_parts, ignore_index=True) if unmapped_parts else pd.DataFrame(columns=UNMAPPED_COLUMNS)
    return InputResult(kept, rejections.frame(), n + len(table.bad_rows), unmapped, warnings, counts,
                       {name: profile.name})


def _keep_rows(data: dict[str, pd.Series], keep: np.ndarray, index: pd.Index) -> pd.DataFrame:
    """The frame of the kept rows, filtered column by column (each source column released as
    soon as it is filtered) and assembled without copying or consolidating."""
    if not keep.all():
        rows = np.flatnonzero(keep)
        index = index[rows]
        for column in list(data):
            data[column] = data.pop(column).iloc[rows]
    return pd.DataFrame({c: s.set_axis(index) for c, s in data.items()}, index=index, copy=False)


def _normalised_isin(series: pd.Series, values: Iterable[str]) -> np.ndarray:
    codes, uniques = distinct(series)
    wanted = {normalise_name(v) for v in values}
    hit = np.array([normalise_name(u) in wanted for u in uniques], dtype=bool)
    return np.append(hit, False)[codes] if len(codes) else np.zeros(0, dtype=bool)


def _map_values(series: pd.Series, lookup: dict[str, str], valid: Iterable[str], *,
                strict: bool) -> tuple[pd.Series, np.ndarray | None]:
    """Recode distinct values; with ``strict``, values neither in ``lookup`` nor ``valid`` are unknown."""
    codes, uniques = distinct(series)
    valid_by_key = {normalise_name(v): str(v) for v in valid}
    targets = []
    for value in uniques:
        key = normalise_name(value)
        target = lookup.get(key) or valid_by_key.get(key)
        targets.append(target if target is not None else (None if strict else value))
    targets_arr = np.array(targets, dtype=object)
    known = np.array([t is not None for t in targets], dtype=bool)
    categories = pd.Index(pd.unique(targets_arr[known])) if known.any() else pd.Index([], dtype=object)
    new_codes = recode(codes, categories.get_indexer(targets_arr), len(categories))
    mapped = pd.Series(pd.Categorical.from_codes(new_codes, categories.astype(str) if len(categories) else
                                                 categories), index=series.index, name=series.name)
    if not strict:
        return mapped, None
    unknown = np.append(~known, False)[codes] if len(codes) else np.zeros(0, dtype=bool)
    return mapped, unknown


def _unmapped_table(values: pd.Series, column: str, profile: Profile, canonical: str,
                    valid: Iterable[str]) -> pd.DataFrame:
    counts = values.astype(str).value_counts()
    known = {normalise_name(k): (k, v) for k, v in profile.values.get(canonical, {}).items()}
    known.update({normalise_name(v): (str(v), str(v)) for v in valid})
    rows = []
    for value, count in counts.items():
        close = difflib.get_close_matches(normalise_name(value), list(known), n=1, cutoff=0.6)
        suggestion, target = known[close[0]] if close else (None, None)
        rows.append({"column": column, "value": value, "count": int(count), "suggestion": suggestion,
                     "maps_to": target})
    return pd.DataFrame(rows, columns=UNMAPPED_COLUMNS)


def _refine(data: dict[str, pd.Series], profile: Profile) -> None:
    if "category" not in data:
        return
    for rule in profile.refine:
        if rule.column not in data:
            continue
        size = pd.to_numeric(data[rule.column], errors="coerce").to_numpy(dtype=float)
        category = data["category"]
        targets = [b.category for b in rule.bins]
        category = category.cat.add_categories([t for t in dict.fromkeys(targets) if t not in
                                                category.cat.categories])
        codes = category.cat.codes.to_numpy().copy()
        cats = category.cat.categories
        applies = np.isin(codes, cats.get_indexer(rule.when)) & ~np.isnan(size)
        done = np.zeros(len(codes), dtype=bool)
        for b in rule.bins:
            if b.below is not None:
                hit = size < b.below
            elif b.up_to is not None:
                hit = size <= b.up_to
            else:
                hit = np.ones(len(codes), dtype=bool)
            hit &= applies & ~done
            codes[hit] = cats.get_loc(b.category)
            done |= hit
        data["category"] = pd.Series(pd.Categorical.from_codes(codes, cats), index=category.index,
                                     name="category").cat.remove_unused_categories()


def _fill_categorical(series: pd.Series, value) -> pd.Series:
    if value not in series.cat.categories:
        series = series.cat.add_categories([value])
    return series.fillna(value)


def _duplicate_warnings(duplicated: int | None, serial: pd.Series | None, name: str,
                        counts: dict[str, int]) -> list[str]:
    """Exact duplicate rows are kept (an inventory may list identical devices) but reported."""
    out = []
    if duplicated is not None:
        counts["duplicate_rows"] = duplicated
        if duplicated:
            out.append(Notice("duplicate_rows", f"{name}: {duplicated} row(s) repeat an earlier row exactly; they "
                              "are counted as separate devices (remove them from the source if they are double "
                              "entries)", file=name, count=duplicated))
    if serial is not None:
        repeated = int((serial.notna() & serial.duplicated()).sum())
        counts["duplicate_serials"] = repeated
        if repeated:
            out.append(Notice("duplicate_serials", f"{name}: {repeated} row(s) repeat the serial number of an "
                              "earlier row", file=name, count=repeated))
    return out


def count_duplicate_rows(frame: pd.DataFrame) -> int:
    """Rows equal in every column to an earlier row (missing values equal each other).

    Each row gets one integer key, built column by column from the codes of the column's
    distinct values (mixed radix: ``key × (distinct + 1) + code + 1``); before the key could
    overflow it is replaced by its dense rank and rows whose key is unique so far are dropped
    (a necessary condition), so a column of distinct names or serial numbers ends the search
    at once. Memory: one int64 key per candidate row, never a copy of the frame.

    Examples
    --------
    >>> count_duplicate_rows(pd.DataFrame({"a": [1, 1, 1, 2], "b": ["x", "x", "y", "x"]}))
    1
    >>> count_duplicate_rows(pd.DataFrame({"a": [None, None, 1.0], "b": ["x", "x", None]}))
    1
    """
    rows: np.ndarray | None = None  # candidate row positions (None: all rows)
    key = np.zeros(len(frame), dtype=np.int64)
    span = 1  # keys are in [0, span)
    for column in frame.columns:
        if len(key) < 2:
            return 0
        series = frame[column] if rows is None else frame[column].iloc[rows]
        codes, uniques = distinct(series)
        radix = len(uniques) + 1
        if span * radix >= 1 << 62:
            dense, groups = pd.factorize(key)
            repeated = np.bincount(dense)[dense] > 1
            rows = np.flatnonzero(repeated) if rows is None else rows[repeated]
            key, codes, span = dense[repeated], codes[repeated], len(groups)
            if len(key) < 2:
                return 0
        key *= radix
        key += codes
        key += 1
        span *= radix
    key.sort()
    return int(len(key) - 1 - np.count_nonzero(key[1:] != key[:-1])) if len(key) else 0
